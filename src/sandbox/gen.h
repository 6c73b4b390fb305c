/* Deterministic test data shared by the sandbox markets: a seeded PRNG
 * (splitmix64, independent of libc rand()) and realistic Korean buyers,
 * addresses, phone numbers, products and delivery memos, including the
 * hostile ones (commas, quotes, newlines, emoji, formula-like text). */
#ifndef OB_SANDBOX_GEN_H
#define OB_SANDBOX_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sandbox_rng {
	uint64_t s;
};

void sandbox_rng_seed(struct sandbox_rng *r, uint64_t seed);
uint64_t sandbox_rng_next(struct sandbox_rng *r);
/* Uniform in [0, n); 0 when n is 0. */
uint64_t sandbox_rng_below(struct sandbox_rng *r, uint64_t n);
/* Uniform in [lo, hi]. */
int64_t sandbox_rng_range(struct sandbox_rng *r, int64_t lo, int64_t hi);
bool sandbox_rng_percent(struct sandbox_rng *r, unsigned percent);
/* An independent stream for a purpose, so adding draws to one part of a data
 * set does not shift every other part. */
uint64_t sandbox_rng_derive(uint64_t seed, const char *purpose);

/* "김민준": surname + given name. */
void sandbox_gen_name(struct sandbox_rng *r, char *out, size_t n);
/* "010-1234-5678". */
void sandbox_gen_mobile(struct sandbox_rng *r, char *out, size_t n);
/* Safe (virtual) number "0504-1234-5678" or "0505-...". */
void sandbox_gen_safe_number(struct sandbox_rng *r, char *out, size_t n);

struct sandbox_address {
	char addr1[192];  /* "서울특별시 강남구 테헤란로 152" */
	char addr2[128];  /* "101동 1203호" */
	char zip[8];      /* 5 digits, leading zero kept: "06236" */
	bool remote;      /* 도서산간 (Jeju) */
};

/* Addresses of index i < sandbox_gen_fixed_addresses() are fixed (the
 * documented examples, zip 06236 and 01000); then random ones. */
void sandbox_gen_address(struct sandbox_rng *r, struct sandbox_address *a);
size_t sandbox_gen_fixed_addresses(void);
void sandbox_gen_fixed_address(size_t i, struct sandbox_address *a);

/* Delivery memos: the table (every hostile case is in it) and a random pick
 * (NULL = no memo). */
size_t sandbox_gen_memo_count(void);
const char *sandbox_gen_memo_at(size_t i);
const char *sandbox_gen_memo(struct sandbox_rng *r);

struct sandbox_product {
	const char *name;
	const char *options[4]; /* NULL-terminated; at least one */
	unsigned price;         /* KRW */
};

const struct sandbox_product *sandbox_gen_products(size_t *n);

#endif
