/* String set (see strset.h). */
#include "util/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static int grow(struct strset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	char **slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i])
			continue;
		size_t j = hash(s->slots[i]) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

int strset_add(struct strset *s, const char *key)
{
	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	size_t j = hash(key) & (s->cap - 1);
	while (s->slots[j]) {
		if (strcmp(s->slots[j], key) == 0)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->slots[j] = ob_strdup(key);
	if (!s->slots[j])
		return -1;
	s->n++;
	return 1;
}

bool strset_has(const struct strset *s, const char *key)
{
	if (!s->cap)
		return false;
	size_t j = hash(key) & (s->cap - 1);
	while (s->slots[j]) {
		if (strcmp(s->slots[j], key) == 0)
			return true;
		j = (j + 1) & (s->cap - 1);
	}
	return false;
}

void strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	s->slots = NULL;
	s->cap = s->n = 0;
}
