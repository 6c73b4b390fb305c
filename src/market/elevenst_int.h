/* Internals shared by the 11st (11번가) adapter's files: elevenst.c (calls,
 * paths, listing), elevenst_xml.c (EUC-KR XML answers -> name/value rows),
 * elevenst_map.c (rows -> unified records), elevenst_act.c (actions). */
#ifndef OB_MARKET_ELEVENST_INT_H
#define OB_MARKET_ELEVENST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "market/market.h"
#include "util/buf.h"

/* Rows a list answers at most; exactly this many means rows may be missing. */
#define EST_ROW_CAP 3000
/* ordNos one orderlistall / orderlistalladdr call takes (-28003 beyond). */
#define EST_IDS_PER_CALL 100

struct elevenst {
	struct market_base base;
	const char *api_key;
	long timeout_ms;
};

/* One parsed answer. Rows are the root's children named "order" (any
 * prefix); each is a list of leaf name/value pairs in document order. Values
 * are UTF-8, trimmed; the literal "null" and empty elements read as "". Parsing
 * several answers into one reply appends their rows (root and code are the
 * last answer's). */
struct est_pair {
	uint32_t name, value; /* offsets into arena */
};

struct est_reply {
	char root[48];      /* local name of the root element: "orders", "ResultOrder" */
	bool has_code;      /* the answer carried a result_code */
	long code;
	char text[512];     /* result_text */
	struct buf arena;
	struct est_pair *pairs;
	size_t npairs, cappairs;
	size_t *rows;       /* rows[i] = index of row i's first pair */
	size_t nrows, caprows;
};

void est_reply_init(struct est_reply *r);
void est_reply_free(struct est_reply *r);
/* Drops the rows, keeps the memory. */
void est_reply_clear(struct est_reply *r);

/* Converts an 11st answer to UTF-8 without its XML declaration: the
 * declaration's encoding decides (EUC-KR and its aliases decode as CP949, its
 * superset); without one CP949 is assumed, falling back to UTF-8 when the
 * bytes are not CP949 but are valid UTF-8. Exposed for tests. */
int est_to_utf8(const char *body, size_t len, struct buf *out, struct ob_err *err);
/* Parses an answer (bytes as received) into r, appending rows. Refuses DTDs;
 * never loads or substitutes entities and never touches the network. */
int est_parse(const char *body, size_t len, struct est_reply *r, struct ob_err *err);
/* Value of a leaf in row i ("" when absent, empty or "null"). */
const char *est_get(const struct est_reply *r, size_t row, const char *name);
/* The row whose ordNo and ordPrdSeq match, or -1. */
long est_find_line(const struct est_reply *r, const char *ord_no, const char *seq);

/* Appends "/seg" to a path. Identifiers: digits, letters, '-', ',' only.
 * Returns -1 (why filled) when seg is not such a value. */
int est_path_id(struct buf *path, const char *seg, char *why, size_t n);
/* Appends "/text" percent-encoded as UTF-8 (what the docs' examples show).
 * Refuses a '/' (servers split the path on it even when encoded), an empty
 * text and text that is not UTF-8; returns -1 with why filled. */
int est_path_text(struct buf *path, const char *text, char *why, size_t n);
/* "YYYYMMDDhhmm" of t in KST (13 bytes with the NUL). */
void est_minute_text(ob_time t, char out[16]);

/* One call: path starts with "/" and follows base_url. body (POST) is sent
 * as given with an XML content type. On OB_OK, r holds the parsed answer (the
 * business result_code is the caller's to judge). HTTP statuses other than 200
 * and unparsable answers are OB_ENET errors naming the account. */
int est_call(struct elevenst *st, struct http_client *c, const char *method, const char *path, const char *body,
	     bool idempotent, struct est_reply *r, bool *outcome_unknown, struct ob_err *err);
/* Judges a list answer: no code or 0 = rows (maybe none); -1000 maintenance;
 * -1 key or IP refused; anything else an error with 11st's code and text. */
int est_list_ok(const struct elevenst *st, const char *what, const struct est_reply *r, struct ob_err *err);
/* Error for a business code that is not about one row (-1, -1000), else
 * OB_OK: the caller reports the code on its rows. */
int est_account_error(const struct elevenst *st, const char *what, const struct est_reply *r, struct ob_err *err);
/* One list call for [from, to) (the end minute sent is to-60s, which 11st
 * includes). service is "ordservices" or "claimservice". Rows are appended. */
int est_list(struct elevenst *st, struct http_client *c, const char *service, const char *name, ob_time from,
	     ob_time to, struct est_reply *r, struct ob_err *err);
/* The state of the given orders (orderlistalladdr, EST_IDS_PER_CALL ordNos a
 * call), every line of each, appended to r. */
int est_read_orders(struct elevenst *st, struct http_client *c, const char *const *ord_nos, size_t n,
		    struct est_reply *r, struct ob_err *err);

/* Mapping (elevenst_map.c). */
const char *elevenst_order_status(const char *ord_prd_stat);
/* Order line of row i of r; where the row lacks a value, row i2 of r2 (when
 * r2 is not NULL) gives it. default_stat stands in when neither has
 * ordPrdStat (the shipping list names no status). */
int elevenst_map_order(const struct elevenst *st, const struct est_reply *r, size_t i, const struct est_reply *r2,
		       size_t i2, const char *default_stat, struct record *out);
/* Claim line of row i of a cancel list; row i2 of r2 (orderlistalladdr),
 * when not NULL, adds the line's product, option, quantity and bundle. */
int elevenst_map_claim(const struct elevenst *st, const struct est_reply *r, size_t i, const struct est_reply *r2,
		       size_t i2, struct record *out);
/* Reason text of a cancel reason code; who is ordCnMnbdCd ("02" = seller). */
const char *elevenst_cancel_reason(const char *code, const char *who);
/* Courier name for an 11st code (the code itself when unknown). */
const char *elevenst_courier_name(const char *code);

/* Actions (elevenst_act.c). */
int elevenst_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err);
/* Delay reason code 01-05 for a reason text (a leading code wins). */
const char *elevenst_delay_code(const char *reason);
/* Seller-cancel reason code 06-10/99 for a reason text (a leading code wins). */
const char *elevenst_cancel_code(const char *reason);

#endif
