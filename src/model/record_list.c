/* Growable record lists (see record_list.h). */
#include "model/record_list.h"

#include <stdlib.h>

int record_list_push(struct record_list *l, const struct record *r)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct record *p = realloc(l->items, cap * sizeof *p);
		if (!p)
			return -1;
		l->items = p;
		l->cap = cap;
	}
	if (record_copy(&l->items[l->n], r) < 0)
		return -1;
	l->n++;
	return 0;
}

void record_list_clear(struct record_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		record_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
