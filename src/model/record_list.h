/* A growable list of records (deep copies). Used where rows must be held until
 * a window is complete (a window that hit a row cap is thrown away whole). */
#ifndef OB_MODEL_RECORD_LIST_H
#define OB_MODEL_RECORD_LIST_H

#include <stddef.h>

#include "model/record.h"

struct record_list {
	struct record *items;
	size_t n, cap;
};

#define RECORD_LIST_INIT { NULL, 0, 0 }

/* Appends a deep copy of r. */
int record_list_push(struct record_list *l, const struct record *r);
void record_list_clear(struct record_list *l); /* frees the records, keeps nothing */

#endif
