/* Internals shared by the 11st (11번가) adapter's files: elevenst.c (calls,
 * paths, listing), elevenst_xml.c (EUC-KR XML answers -> name/value rows),
 * elevenst_map.c (rows -> unified records), elevenst_act.c (actions). */
#ifndef OB_MARKET_ELEVENST_INT_H
#define OB_MARKET_ELEVENST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "market/adapter.h"
#include "market/market.h"
#include "util/buf.h"

/* Rows a list answers at most; exactly this many means rows may be missing. */
#define EST_ROW_CAP 3000
/* ordNos one orderlistall / orderlistalladdr call takes (-28003 beyond). */
#define EST_IDS_PER_CALL 100
/* Characters of an invoice number 11st takes (real clients cut there). */
#define EST_INVOICE_MAX 15

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
	long http_status;   /* set by est_call when the answer was not HTTP 200 */
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
/* "6,000" -> 6000 (11st writes some amounts with a thousands comma); false
 * for empty or non-numeric text. */
bool est_money(const char *s, int64_t *out);

/* The return and exchange lists (§10): which claim type each holds and
 * whether its rows are open claims (the request lists, listed by reqDt with
 * their current clmStat), completed or withdrawn ones. */
enum est_retex_kind { EST_RX_OPEN, EST_RX_DONE, EST_RX_WITHDRAWN };
struct est_retex_list {
	const char *name;       /* "returnorders" */
	enum claim_type type;   /* CT_RETURN or CT_EXCHANGE */
	enum est_retex_kind kind;
};
/* The list named name, or NULL when it is no return/exchange list. */
const struct est_retex_list *elevenst_retex_list(const char *name);
/* The list of a claim type and kind. */
const struct est_retex_list *elevenst_retex_lists(enum claim_type type, enum est_retex_kind kind);
/* Unified status of a clmStat on a list of that kind (CS_NONE if unknown). */
enum claim_status elevenst_retex_status(const char *clm_stat, enum est_retex_kind kind);
/* Reason text of a clmReqRsn code ("" when not documented). */
const char *elevenst_retex_reason(const char *code);
/* "BUYER", "SELLER" or "": who pays the return shipping, from
 * dlvCstRespnClf, clmDlvCstMthd and the reason code's fault. */
const char *elevenst_fee_payer(const char *respn_clf, const char *cst_mthd, const char *rsn);
/* Claim line of row i of a return or exchange list li; row i2 of r2
 * (orderlistalladdr), when not NULL, adds product, quantity and bundle. */
int elevenst_map_retex(const struct elevenst *st, const struct est_reply *r, size_t i, const struct est_reply *r2,
		       size_t i2, const struct est_retex_list *li, struct record *out);
/* Reason text of a cancel reason code; who is ordCnMnbdCd ("02" = seller). */
const char *elevenst_cancel_reason(const char *code, const char *who);
/* Courier name for an 11st code (the code itself when unknown). */
const char *elevenst_courier_name(const char *code);

/* Actions (elevenst_act.c). */
struct act {
	struct elevenst *st;
	struct http_client *c;
	struct action_batch *b;
	struct est_reply state; /* the lines as 11st has them now */
};
#define est_item_result action_result
/* Fails every undecided item; used when the market cannot be reached. */
void est_fail_rest(struct act *a, const char *prefix, const char *msg);
/* One state-changing call. *code gets 11st's result_code. Returns OB_OK when
 * an answer came; OB_ENET when 11st is in maintenance or could not be reached
 * (msg says which, *unknown whether the call may have been applied). */
int est_act_call(struct act *a, const char *path, const char *body, long *code, char *text, size_t n,
		 bool *unknown, struct ob_err *err);
int elevenst_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err);
/* Row rules checked in the dry run (market_ops.check_row). */
bool elevenst_check_row(enum action a, enum sheet_kind sheet, const struct record *rec, char *why, size_t n);
/* Delay reason code 01-05 for a reason text (a leading code wins). */
const char *elevenst_delay_code(const char *reason);
/* Seller-cancel reason code 06-10/99 for a reason text (a leading code wins). */
const char *elevenst_cancel_code(const char *reason);
/* Returns and exchanges (elevenst_claim.c): one claim of the batch (and every
 * other item with the same claim_id). OB_ENET when 11st could not be asked;
 * the undecided items then fail. */
int elevenst_retex_one(struct act *a, struct action_item *it, enum claim_type type, struct ob_err *err);
/* Reason codes picked from the seller's text (a leading code wins):
 * returnreqreject 101-104, exchangereqreject 201-204, the holds 101-105. */
const char *elevenst_return_reject_code(const char *text);
const char *elevenst_exchange_reject_code(const char *text);
const char *elevenst_hold_code(const char *text);

#endif
