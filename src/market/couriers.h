/* Couriers (택배사): one table of the couriers Korean sellers use, with the
 * names sellers type, each market's code for it, and the invoice-number shapes
 * (digit counts per Coupang's official code table, coupang.md §6.4). */
#ifndef OB_MARKET_COURIERS_H
#define OB_MARKET_COURIERS_H

#include <stdbool.h>
#include <stddef.h>

struct courier_code {
	const char *market; /* market_ops.name */
	const char *code;
};

struct courier {
	const char *id;               /* stable English id, e.g. "CJ" */
	const char *name_ko;          /* "CJ대한통운" */
	const char *aliases[8];       /* other names sellers type */
	struct courier_code codes[4]; /* per market; missing = the market has no code */
	unsigned char lengths[6];     /* allowed invoice lengths, 0-terminated; empty = range below */
	unsigned char min_len, max_len; /* when lengths is empty; 0,0 = 8..22 (4..22 alnum) */
	bool alnum;                   /* letters allowed in invoice numbers (foreign carriers) */
};

/* Finds a courier by Korean name, alias, id or any market's code (spaces and
 * case ignored). NULL when unknown. */
const struct courier *courier_find(const char *text);
/* The market's code, or NULL when that market has no code for the courier. */
const char *courier_code(const struct courier *c, const char *market);
/* Finds the courier a market's code stands for. */
const struct courier *courier_by_code(const char *market, const char *code);
/* Checks an invoice number's shape; on failure writes why into why. Dashes and
 * spaces are not allowed (normalize with courier_normalize_invoice first). */
bool courier_invoice_ok(const struct courier *c, const char *invoice, char *why, size_t n);
/* Removes dashes and spaces sellers paste from courier sites, in place. */
void courier_normalize_invoice(char *invoice);
const struct courier *courier_table(size_t *n);

#endif
