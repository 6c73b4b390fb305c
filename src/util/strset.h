/* A set of strings (open addressing, FNV-1a). Used to drop duplicate records
 * when several windows or queries return the same line. */
#ifndef OB_UTIL_STRSET_H
#define OB_UTIL_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **slots;
	size_t cap, n;
};

#define STRSET_INIT { NULL, 0, 0 }

/* Adds s; returns 1 when added, 0 when already there, -1 when out of memory. */
int strset_add(struct strset *s, const char *key);
bool strset_has(const struct strset *s, const char *key);
void strset_free(struct strset *s);

#endif
