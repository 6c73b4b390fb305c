/* A set of 128-bit fingerprints of strings: membership in 16 bytes per key
 * instead of the key itself, so the export driver's duplicate check stays
 * small for a million lines. Two keys share a fingerprint with probability
 * about n^2 / 2^129 (1e-27 for a million keys): treated as never. */
#ifndef OB_UTIL_FPSET_H
#define OB_UTIL_FPSET_H

#include <stddef.h>
#include <stdint.h>

struct fp128 {
	uint64_t a, b;
};

struct fpset {
	struct fp128 *slots; /* open addressing; {0, 0} = empty */
	size_t n, cap;       /* cap is a power of two */
};

#define FPSET_INIT { NULL, 0, 0 }

struct fp128 fp_of(const void *p, size_t n);
/* Adds the fingerprint: 1 when new, 0 when present, -1 when out of memory. */
int fpset_add(struct fpset *s, struct fp128 fp);
void fpset_free(struct fpset *s);

#endif
