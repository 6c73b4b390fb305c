/* Fingerprint set (see fpset.h): two independent 64-bit hashes (FNV-1a and a
 * multiply-rotate hash, each finished with the splitmix64 mixer), linear
 * probing, grown at half full. */
#include "util/fpset.h"

#include <stdlib.h>

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct fp128 fp_of(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t a = 0xcbf29ce484222325ull, b = 0x9e3779b97f4a7c15ull ^ n;
	for (size_t i = 0; i < n; i++) {
		a = (a ^ s[i]) * 0x100000001b3ull;
		b = ((b << 5) | (b >> 59)) ^ s[i];
		b *= 0xff51afd7ed558ccdull;
	}
	struct fp128 f = { mix(a), mix(b ^ (a >> 17)) };
	/* {0, 0} marks an empty slot. */
	if (!f.a && !f.b)
		f.a = 1;
	return f;
}

static size_t slot_of(const struct fpset *s, struct fp128 f)
{
	size_t i = (size_t)f.a & (s->cap - 1);
	while ((s->slots[i].a || s->slots[i].b) && (s->slots[i].a != f.a || s->slots[i].b != f.b))
		i = (i + 1) & (s->cap - 1);
	return i;
}

int fpset_add(struct fpset *s, struct fp128 f)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct fp128 *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return -1;
		struct fpset g = { ns, 0, nc };
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i].a || s->slots[i].b)
				g.slots[slot_of(&g, s->slots[i])] = s->slots[i];
		g.n = s->n;
		free(s->slots);
		*s = g;
	}
	size_t i = slot_of(s, f);
	if (s->slots[i].a || s->slots[i].b)
		return 0;
	s->slots[i] = f;
	s->n++;
	return 1;
}

void fpset_free(struct fpset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->n = s->cap = 0;
}
