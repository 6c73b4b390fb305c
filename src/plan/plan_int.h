/* Internals shared by the files of the plan (see plan.h). */
#ifndef OB_PLAN_PLAN_INT_H
#define OB_PLAN_PLAN_INT_H

#include <openssl/evp.h>

#include "plan/plan.h"
#include "sheet/sheet_read.h"

/* The strings an item keeps (plan_item.strs), in this order, each ending in
 * NUL: the unit without its "account|sheet|" prefix, then the fields that
 * planning compares or looks up. */
enum item_str {
	IS_UNIT,
	IS_ORDER_NO,
	IS_LINE_NO,
	IS_BUNDLE_NO,
	IS_CLAIM_ID,
	IS_INVOICE_NO,
	IS_DELAY_UNTIL,
	IS__COUNT
};

/* Fields as written in the sheet (plan_item.ident), in this order. */
enum item_word {
	IW_MARKET,
	IW_ACCOUNT,
	IW_STATUS,     /* status, or claim_status on the claims sheet */
	IW_CLAIM_TYPE, /* claims sheet only */
	IW__COUNT
};

const char *plan_item_str(const struct plan *p, const struct plan_item *it, enum item_str k);
const char *plan_item_word(const struct plan *p, const struct plan_item *it, enum item_word k);
/* Keeps an item's strings; -1 when memory ran out. */
int plan_keep_strs(struct plan *p, struct plan_item *it, const char *const v[IS__COUNT]);
int plan_keep_words(struct plan *p, struct plan_item *it, const char *const v[IW__COUNT]);

/* Sets an item's message (printf-style, at most 511 bytes as the message
 * arrays of struct action_item) and market code. Safe from several threads. */
void plan_set_message(struct plan *p, struct plan_item *it, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The SHA-256 of an item's idempotency key text; ctx (may be NULL) is a
 * digest context to reuse. */
int plan_key_digest(EVP_MD_CTX *ctx, const struct account *acct, enum action a, const char *courier_code,
		    const struct record *r, unsigned char md[32]);

/* Opens a sheet of a file as plan_read reads it. */
int plan_open_sheet(const char *path, const char *sheet, struct sheet_reader **r, struct ob_err *err);
/* What validation does to a row's invoice number (courier_normalize_invoice
 * on its first 127 bytes). */
int plan_normalize_invoice(struct record *r);

/* Keeps the record of item i (rows that are not read from a sheet). */
int plan_keep_record(struct plan *p, size_t i, const struct record *r, struct ob_err *err);
/* Makes every item's record available (reads the sheets again); after it,
 * plan_get_record may run in several threads at once. */
int plan_load_records(struct plan *p, struct ob_err *err);
int plan_get_record(const struct plan *p, size_t i, struct record *out, struct ob_err *err);

void plan_mem_free(struct plan *p);

#endif
