/* 11st actions. Every one re-reads the lines first (orderlistalladdr, 100
 * ordNos a call) so that a second run, or a run after a crash, never acts
 * twice: ACK (reqpackaging per line, then the address again), SHIP (reqdelivery
 * once per dlvNo, acknowledging first where needed, never onto an open cancel
 * request), DELAY (deliveryDelayGuide per order and dlvNo), CANCEL
 * (reqrejectorder per line), APPROVE / REJECT a cancel request (per claim);
 * returns and exchanges are in elevenst_claim.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/couriers.h"
#include "market/elevenst_int.h"
#include "util/kst.h"
#include "util/str.h"


static const char *ORD(const struct action_item *it)
{
	return record_get(it->rec, F_ORDER_NO);
}

static const char *SEQ(const struct action_item *it)
{
	return record_get(it->rec, F_LINE_NO);
}

void est_fail_rest(struct act *a, const char *prefix, const char *msg)
{
	for (size_t i = 0; i < a->b->n; i++)
		if (a->b->items[i].result == RES_NONE)
			est_item_result(&a->b->items[i], RES_FAILED, NULL, "%s%.400s", prefix, msg);
}

/* Reads the orders of the undecided items (or, with decided, of the items
 * that ended OK or SKIPPED) into a->state. Undecided items whose keys are not
 * 11st numbers fail here. */
static int read_lines(struct act *a, bool decided, struct ob_err *err)
{
	const char **ids = calloc(a->b->n ? a->b->n : 1, sizeof *ids);
	if (!ids)
		return ob_err_nomem(err);
	size_t n = 0;
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (decided ? it->result != RES_OK && it->result != RES_SKIPPED : it->result != RES_NONE)
			continue;
		if (!str_is_digits(ORD(it)) || !str_is_digits(SEQ(it))) {
			if (!decided)
				est_item_result(it, RES_FAILED, NULL, "order_no '%.40s' / line_no '%.20s' are not 11st numbers",
					    ORD(it), SEQ(it));
			continue;
		}
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(ids[k], ORD(it)) == 0)
				break;
		if (k == n)
			ids[n++] = ORD(it);
	}
	est_reply_clear(&a->state);
	int rc = n ? est_read_orders(a->st, a->c, ids, n, &a->state, err) : OB_OK;
	free(ids);
	return rc;
}

/* read_lines for the undecided items; when 11st cannot be asked every one of
 * them fails with the reason and OB_ENET comes back. */
static int read_state(struct act *a, struct ob_err *err)
{
	int rc = read_lines(a, false, err);
	if (rc == OB_OK)
		return OB_OK;
	est_fail_rest(a, "nothing sent: could not read the order at 11st first: ", err->msg);
	return OB_ENET;
}

static long state_row(const struct act *a, const struct action_item *it)
{
	return est_find_line(&a->state, ORD(it), SEQ(it));
}

static const char *S(const struct act *a, long row, const char *name)
{
	return row < 0 ? "" : est_get(&a->state, (size_t)row, name);
}

static bool shipped(const char *stat)
{
	return str_eq(stat, "401") || str_eq(stat, "501") || str_eq(stat, "901");
}

static bool cancelled(const char *stat)
{
	return str_eq(stat, "B01") || str_eq(stat, "C01");
}

int est_act_call(struct act *a, const char *path, const char *body, long *code, char *text, size_t n,
		    bool *unknown, struct ob_err *err)
{
	struct est_reply r;
	est_reply_init(&r);
	*unknown = false;
	int rc = est_call(a->st, a->c, body ? "POST" : "GET", path, body, false, &r, unknown, err);
	if (rc == OB_OK && r.has_code && r.code == -1000)
		rc = est_account_error(a->st, path, &r, err);
	if (rc == OB_OK && !r.has_code) {
		rc = ob_errf(err, OB_ENET, "%s: 11st's answer to %s had no result_code", a->st->base.who, path);
		*unknown = true;
	}
	if (rc == OB_OK) {
		*code = r.code;
		str_copy(text, n, r.text);
	}
	est_reply_free(&r);
	return rc;
}

/* After a failed call the items of the call get the error. When 11st could
 * not be reached at all, the rest are not sent either and this returns true
 * (the caller returns OB_ENET so the plan stops for this account). When the
 * call went out and its answer was lost (unknown), only those items are marked
 * and the caller goes on with the others: one lost answer must not hold back
 * a whole sheet; the next import re-reads the marked ones first. */
static bool call_failed(struct act *a, struct action_item **items, size_t n, bool unknown, const struct ob_err *e)
{
	for (size_t i = 0; i < n; i++) {
		est_item_result(items[i], RES_FAILED, NULL, "%s", e->msg);
		items[i]->outcome_unknown = unknown;
	}
	if (unknown)
		return false;
	est_fail_rest(a, "not sent: ", e->msg);
	return true;
}

/* --- ACK --- */

/* What reqpackaging needs besides ordNo and ordPrdSeq. orderlistalladdr is
 * not documented to carry addPrdYn, so when it lacks it the paid-order detail
 * (complete/{ordNo}, which lists them) is asked. */
struct ack_keys {
	char add_yn[4], add_no[32], dlv_no[32], prd_no[32];
};

static int ack_keys(struct act *a, const struct action_item *it, long row, struct ack_keys *k, struct ob_err *err)
{
	str_copy(k->add_yn, sizeof k->add_yn, S(a, row, "addPrdYn"));
	str_copy(k->add_no, sizeof k->add_no, S(a, row, "addPrdNo"));
	str_copy(k->dlv_no, sizeof k->dlv_no, S(a, row, "dlvNo"));
	str_copy(k->prd_no, sizeof k->prd_no, S(a, row, "prdNo"));
	if (!*k->add_yn || !*k->dlv_no) {
		char path[96];
		snprintf(path, sizeof path, "/ordservices/complete/%s", ORD(it));
		struct est_reply d;
		est_reply_init(&d);
		int rc = est_call(a->st, a->c, "GET", path, NULL, true, &d, NULL, err);
		if (rc == OB_OK)
			rc = est_list_ok(a->st, "complete", &d, err);
		long i = rc == OB_OK ? est_find_line(&d, ORD(it), SEQ(it)) : -1;
		if (i >= 0) {
			str_copy(k->add_yn, sizeof k->add_yn, est_get(&d, (size_t)i, "addPrdYn"));
			str_copy(k->add_no, sizeof k->add_no, est_get(&d, (size_t)i, "addPrdNo"));
			if (!*k->dlv_no)
				str_copy(k->dlv_no, sizeof k->dlv_no, est_get(&d, (size_t)i, "dlvNo"));
			if (!*k->prd_no)
				str_copy(k->prd_no, sizeof k->prd_no, est_get(&d, (size_t)i, "prdNo"));
		}
		est_reply_free(&d);
		if (rc != OB_OK)
			return rc;
	}
	if (!*k->add_yn)
		str_copy(k->add_yn, sizeof k->add_yn, "N");
	/* "No add-on" is the literal null in the path; 0 is how lists say it. */
	if (!str_eq(k->add_yn, "Y") || !*k->add_no || str_eq(k->add_no, "0"))
		str_copy(k->add_no, sizeof k->add_no, "null");
	if (!*k->dlv_no)
		str_copy(k->dlv_no, sizeof k->dlv_no, record_get(it->rec, F_BUNDLE_NO));
	return OB_OK;
}

/* reqpackaging for one line. Returns OB_OK with *code/text, or OB_ENET. */
static int send_ack(struct act *a, const struct action_item *it, const struct ack_keys *k, long *code, char *text,
		    size_t n, bool *unknown, struct ob_err *err)
{
	struct buf path = BUF_INIT;
	char why[256];
	int rc = OB_OK;
	if (buf_puts(&path, "/ordservices/reqpackaging") < 0 || est_path_id(&path, ORD(it), why, sizeof why) < 0 ||
	    est_path_id(&path, SEQ(it), why, sizeof why) < 0 || est_path_id(&path, k->add_yn, why, sizeof why) < 0 ||
	    est_path_id(&path, k->add_no, why, sizeof why) < 0 || est_path_id(&path, k->dlv_no, why, sizeof why) < 0) {
		*code = 1; /* not sent */
		str_copy(text, n, why);
	} else {
		rc = est_act_call(a, path.data, NULL, code, text, n, unknown, err);
	}
	buf_free(&path);
	return rc;
}

/* The receiver of an 11st line (mobile, else the other phone). */
static struct market_address receiver_of(const struct act *a, long row)
{
	const char *phone = S(a, row, "rcvrPrtblNo");
	struct market_address m = { S(a, row, "rcvrNm"), *phone ? phone : S(a, row, "rcvrTlphn"),
				    S(a, row, "rcvrMailNo"), S(a, row, "rcvrBaseAddr"), S(a, row, "rcvrDtlsAddr") };
	return m;
}

/* After acknowledging: the buyer could change the address until now, so read
 * it again and flag lines whose address differs from the sheet. */
static void after_ack(struct act *a, struct ob_err *err)
{
	if (read_lines(a, true, err) != OB_OK) {
		for (size_t i = 0; i < a->b->n; i++) {
			struct action_item *it = &a->b->items[i];
			if (it->result != RES_OK && it->result != RES_SKIPPED)
				continue;
			size_t l = strlen(it->message);
			snprintf(it->message + l, sizeof it->message - l, "; could not read the address again (%.200s): "
				 "check it in SellerOffice before shipping", err->msg);
		}
		return;
	}
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_OK && it->result != RES_SKIPPED)
			continue;
		long row = state_row(a, it);
		struct market_address now = receiver_of(a, row);
		if (row < 0 || !address_differs(it->rec, &now))
			continue;
		char addr[400];
		address_text(&now, addr, sizeof addr);
		it->address_changed = true;
		size_t l = strlen(it->message);
		snprintf(it->message + l, sizeof it->message - l, "; the buyer changed the address since the export, "
			 "ship to: %s", addr);
	}
}

/* Acknowledged groups of this batch: 11st acknowledges every line with the
 * same dlvNo and prdNo in one call. */
struct groups {
	char key[EST_IDS_PER_CALL * 2][72];
	char line[EST_IDS_PER_CALL * 2][24];
	size_t n;
};

static const char *group_find(const struct groups *g, const char *dlv, const char *prd)
{
	char key[72];
	snprintf(key, sizeof key, "%s|%s", dlv, prd);
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->key[i], key) == 0)
			return g->line[i];
	return NULL;
}

static void group_add(struct groups *g, const char *dlv, const char *prd, const char *line)
{
	if (g->n >= sizeof g->key / sizeof g->key[0])
		return;
	snprintf(g->key[g->n], sizeof g->key[0], "%s|%s", dlv, prd);
	str_copy(g->line[g->n], sizeof g->line[0], line);
	g->n++;
}

/* Acknowledges one 202 line (used by ACK and by SHIP for its prerequisite).
 * Returns OB_OK with *res / msg filled, or OB_ENET when 11st could not be
 * reached (*unknown says whether the call may have been applied). */
static int ack_line(struct act *a, struct action_item *it, long row, struct groups *g, enum result *res,
		    char *code, size_t ncode, char *msg, size_t nmsg, bool *unknown, struct ob_err *err)
{
	struct ack_keys k;
	*unknown = false;
	code[0] = '\0';
	int rc = ack_keys(a, it, row, &k, err);
	if (rc != OB_OK) {
		*res = RES_FAILED;
		snprintf(msg, nmsg, "could not read the line's add-on keys at 11st (%.300s)", err->msg);
		return rc == OB_ENET ? OB_ENET : OB_OK;
	}
	const char *with = group_find(g, k.dlv_no, k.prd_no);
	if (with) {
		*res = RES_OK;
		snprintf(msg, nmsg, "acknowledged (발주확인) together with line %s (same bundle and product)", with);
		return OB_OK;
	}
	/* An add-on is acknowledged with its main product. */
	with = str_eq(k.add_yn, "Y") ? group_find(g, k.dlv_no, k.add_no) : NULL;
	if (with) {
		*res = RES_OK;
		snprintf(msg, nmsg, "acknowledged (발주확인) with its main product, line %s", with);
		return OB_OK;
	}
	long c;
	char text[256];
	rc = send_ack(a, it, &k, &c, text, sizeof text, unknown, err);
	if (rc != OB_OK)
		return rc;
	snprintf(code, ncode, "%ld", c);
	if (c == 1) {
		*res = RES_FAILED;
		code[0] = '\0';
		snprintf(msg, nmsg, "not sent: %s", text);
	} else if (c == 0) {
		*res = RES_OK;
		group_add(g, k.dlv_no, k.prd_no, SEQ(it));
		snprintf(msg, nmsg, "acknowledged (발주확인)");
	} else if (c == -3206 || c == -3207) {
		/* Already acknowledged, or nothing to acknowledge: what is it now? */
		const char *ids[1] = { ORD(it) };
		struct est_reply now;
		est_reply_init(&now);
		struct ob_err e2 = OB_ERR_INIT;
		long i = est_read_orders(a->st, a->c, ids, 1, &now, &e2) == OB_OK ? est_find_line(&now, ORD(it), SEQ(it))
										   : -1;
		const char *stat = i >= 0 ? est_get(&now, (size_t)i, "ordPrdStat") : "";
		if (str_eq(stat, "301") || str_eq(stat, "701") || shipped(stat)) {
			*res = RES_SKIPPED;
			snprintf(msg, nmsg, "already acknowledged (11st status %s)", stat);
		} else {
			*res = RES_FAILED;
			snprintf(msg, nmsg, "11st refused: %s (%ld)%s", text, c,
				 c == -3207 ? "; try again after the next export" : "");
		}
		est_reply_free(&now);
	} else if (c == -3211) {
		*res = RES_FAILED;
		snprintf(msg, nmsg, "the order is already cancelled at 11st (%s)", text);
	} else if (c == -3214) {
		*res = RES_FAILED;
		snprintf(msg, nmsg, "a cancellation is in progress (%s); answer it in the claims sheet", text);
	} else if (c == -3210) {
		*res = RES_FAILED;
		snprintf(msg, nmsg, "11st needs the global-shipping barcode printed in SellerOffice first (%s)", text);
	} else {
		*res = RES_FAILED;
		snprintf(msg, nmsg, "11st refused: %s (%ld)", *text ? text : "no reason given", c);
	}
	return OB_OK;
}

static int perform_ack(struct act *a, struct ob_err *err)
{
	if (read_state(a, err) != OB_OK)
		return OB_ENET;
	struct groups *g = calloc(1, sizeof *g);
	if (!g)
		return ob_err_nomem(err);
	int rc = OB_OK;
	for (size_t i = 0; i < a->b->n && rc == OB_OK; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_NONE)
			continue;
		long row = state_row(a, it);
		const char *stat = S(a, row, "ordPrdStat");
		if (row < 0) {
			est_item_result(it, RES_FAILED, NULL, "11st has no line %s in order %s", SEQ(it), ORD(it));
		} else if (str_eq(stat, "301") || shipped(stat)) {
			est_item_result(it, RES_SKIPPED, NULL, "already acknowledged (11st status %s)", stat);
		} else if (str_eq(stat, "701")) {
			est_item_result(it, RES_SKIPPED, NULL, "already acknowledged; the buyer asked to cancel it (11st status "
				    "701): answer the request in the claims sheet");
		} else if (cancelled(stat)) {
			est_item_result(it, RES_FAILED, NULL, "the order is cancelled at 11st (status %s)", stat);
		} else if (!str_eq(stat, "202")) {
			est_item_result(it, RES_FAILED, NULL, "cannot acknowledge a line in 11st status %s", stat);
		} else {
			enum result res;
			char code[64], msg[512];
			bool unknown;
			rc = ack_line(a, it, row, g, &res, code, sizeof code, msg, sizeof msg, &unknown, err);
			if (rc != OB_OK) {
				struct action_item *one[1] = { it };
				if (call_failed(a, one, 1, unknown, err))
					break;
				rc = OB_OK;
				continue;
			}
			est_item_result(it, res, code, "%s", msg);
		}
	}
	free(g);
	if (rc == OB_OK) {
		struct ob_err e2 = OB_ERR_INIT;
		after_ack(a, &e2);
	}
	return rc;
}

/* --- SHIP --- */

static void bundle_result(struct action_batch *b, const char *dlv, enum result res, const char *code,
			  const char *msg, bool unknown)
{
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE || strcmp(record_get(it->rec, F_BUNDLE_NO), dlv) != 0)
			continue;
		est_item_result(it, res, code, "%s", msg);
		it->outcome_unknown = unknown;
	}
}

/* reqdelivery for a bundle after re-reading it; fills the bundle's items. */
static int ship_bundle(struct act *a, const char *dlv, struct groups *g, struct ob_err *err)
{
	struct action_batch *b = a->b;
	const struct action_item *first = NULL;
	for (size_t i = 0; i < b->n && !first; i++)
		if (b->items[i].result == RES_NONE && strcmp(record_get(b->items[i].rec, F_BUNDLE_NO), dlv) == 0)
			first = &b->items[i];
	if (!first)
		return OB_OK;
	const char *want = record_get(first->rec, F_INVOICE_NO);
	const char *courier = first->courier_code ? first->courier_code : "";
	char msg[512];
	if (!str_is_digits(dlv)) {
		snprintf(msg, sizeof msg, "bundle_no '%.40s' is not an 11st dlvNo", dlv);
		bundle_result(b, dlv, RES_FAILED, NULL, msg, false);
		return OB_OK;
	}
	/* Every line 11st has in this bundle (the orders of the sheet's rows). */
	size_t live = 0, paid = 0, sent = 0;
	const char *open = NULL, *other_inv = NULL, *other_code = NULL;
	for (size_t r = 0; r < a->state.nrows; r++) {
		if (strcmp(est_get(&a->state, r, "dlvNo"), dlv) != 0)
			continue;
		const char *stat = est_get(&a->state, r, "ordPrdStat");
		if (cancelled(stat) || str_eq(stat, "A01"))
			continue;
		int64_t q = 0, cq = 0;
		if (str_to_i64(est_get(&a->state, r, "ordQty"), &q) == 0 &&
		    str_to_i64(est_get(&a->state, r, "ordCnQty"), &cq) == 0 && q > 0 && cq >= q)
			continue;
		live++;
		if (str_eq(stat, "701") || str_eq(stat, "601"))
			open = est_get(&a->state, r, "ordPrdSeq");
		else if (str_eq(stat, "202"))
			paid++;
		else if (shipped(stat)) {
			sent++;
			other_inv = est_get(&a->state, r, "invcNo");
			other_code = est_get(&a->state, r, "dlvEtprsCd");
		}
	}
	if (open) {
		/* Shipping onto a cancel request costs the seller the round trip. */
		snprintf(msg, sizeof msg, "not shipped: the buyer asked to cancel line %s of this bundle (11st status "
			 "701/601); APPROVE or REJECT it in the claims sheet first", open);
		bundle_result(b, dlv, RES_FAILED, "OPEN_CANCEL_REQUEST", msg, false);
		return OB_OK;
	}
	if (!live) {
		snprintf(msg, sizeof msg, "not shipped: 11st has no line left to ship in bundle %s (cancelled or gone)",
			 dlv);
		bundle_result(b, dlv, RES_FAILED, NULL, msg, false);
		return OB_OK;
	}
	if (sent == live) {
		if (str_eq(other_inv, want)) {
			snprintf(msg, sizeof msg, "already shipped with invoice %s", want);
			bundle_result(b, dlv, RES_SKIPPED, NULL, msg, false);
		} else {
			snprintf(msg, sizeof msg, "already shipped with invoice %s (%s); 11st cannot change an invoice by "
				 "API: change it in SellerOffice (배송중 관리)", other_inv, elevenst_courier_name(other_code));
			bundle_result(b, dlv, RES_UNSUPPORTED, NULL, msg, false);
		}
		return OB_OK;
	}
	if (strlen(want) > EST_INVOICE_MAX) {
		snprintf(msg, sizeof msg, "11st takes invoice numbers of at most %d characters; '%s' has %zu",
			 EST_INVOICE_MAX, want, strlen(want));
		bundle_result(b, dlv, RES_FAILED, NULL, msg, false);
		return OB_OK;
	}
	/* reqdelivery needs 301: acknowledge the paid lines first. */
	if (paid) {
		for (size_t r = 0; r < a->state.nrows; r++) {
			if (strcmp(est_get(&a->state, r, "dlvNo"), dlv) != 0 ||
			    !str_eq(est_get(&a->state, r, "ordPrdStat"), "202"))
				continue;
			/* A stand-in item for the line (it may not be on the sheet). */
			struct record tmp;
			record_init(&tmp, SHEET_ORDERS);
			struct action_item li;
			memset(&li, 0, sizeof li);
			li.rec = &tmp;
			int s = record_set(&tmp, F_ORDER_NO, est_get(&a->state, r, "ordNo")) |
				record_set(&tmp, F_LINE_NO, est_get(&a->state, r, "ordPrdSeq")) |
				record_set(&tmp, F_BUNDLE_NO, dlv);
			enum result res = RES_FAILED;
			char code[64] = "", amsg[512] = "out of memory";
			bool unknown = false;
			int rc = s ? OB_OK : ack_line(a, &li, (long)r, g, &res, code, sizeof code, amsg, sizeof amsg,
						      &unknown, err);
			record_free(&tmp);
			if (rc != OB_OK) {
				snprintf(msg, sizeof msg, "not shipped: acknowledging first failed: %.400s", err->msg);
				bundle_result(b, dlv, RES_FAILED, NULL, msg, unknown);
				if (unknown)
					return OB_OK; /* answer lost: the others go on (see call_failed) */
				est_fail_rest(a, "not sent: ", err->msg);
				return OB_ENET;
			}
			if (res != RES_OK && res != RES_SKIPPED) {
				snprintf(msg, sizeof msg, "not shipped: acknowledging first failed: %.400s", amsg);
				bundle_result(b, dlv, RES_FAILED, code, msg, false);
				return OB_OK;
			}
		}
	}
	struct buf path = BUF_INIT;
	char why[256], when[16];
	est_minute_text(kst_now(), when);
	/* dlvMthdCd 01 = 택배 (courier). */
	if (buf_puts(&path, "/ordservices/reqdelivery") < 0 || est_path_id(&path, when, why, sizeof why) < 0 ||
	    est_path_id(&path, "01", why, sizeof why) < 0 || est_path_id(&path, courier, why, sizeof why) < 0 ||
	    est_path_id(&path, want, why, sizeof why) < 0 || est_path_id(&path, dlv, why, sizeof why) < 0) {
		buf_free(&path);
		snprintf(msg, sizeof msg, "not shipped: %s", why);
		bundle_result(b, dlv, RES_FAILED, NULL, msg, false);
		return OB_OK;
	}
	long c;
	char text[256], code[32];
	bool unknown;
	int rc = est_act_call(a, path.data, NULL, &c, text, sizeof text, &unknown, err);
	buf_free(&path);
	if (rc != OB_OK) {
		bundle_result(b, dlv, RES_FAILED, NULL, err->msg, unknown);
		if (unknown)
			return OB_OK; /* answer lost: the others go on (see call_failed) */
		est_fail_rest(a, "not sent: ", err->msg);
		return OB_ENET;
	}
	snprintf(code, sizeof code, "%ld", c);
	if (c == 0) {
		snprintf(msg, sizeof msg, "shipped with invoice %s (11st ships every line of bundle %s)", want, dlv);
		bundle_result(b, dlv, RES_OK, code, msg, false);
	} else if (c == -3308 || c == -3309 || c == -3313) {
		/* Already shipped (or moved on): with our invoice it is done. */
		const char *ids[1] = { ORD(first) };
		struct est_reply now;
		est_reply_init(&now);
		struct ob_err e2 = OB_ERR_INIT;
		long i = est_read_orders(a->st, a->c, ids, 1, &now, &e2) == OB_OK ?
				 est_find_line(&now, ORD(first), SEQ(first)) : -1;
		const char *inv = i >= 0 ? est_get(&now, (size_t)i, "invcNo") : "";
		if (i >= 0 && shipped(est_get(&now, (size_t)i, "ordPrdStat")) && str_eq(inv, want)) {
			snprintf(msg, sizeof msg, "already shipped with invoice %s", want);
			bundle_result(b, dlv, RES_SKIPPED, code, msg, false);
		} else if (c == -3308) {
			snprintf(msg, sizeof msg, "already shipped%s%s; 11st cannot change an invoice: change it in "
				 "SellerOffice (배송중 관리)", *inv ? " with invoice " : "", inv);
			bundle_result(b, dlv, RES_FAILED, code, msg, false);
		} else {
			snprintf(msg, sizeof msg, "11st refused: %s (%ld)", text, c);
			bundle_result(b, dlv, RES_FAILED, code, msg, false);
		}
		est_reply_free(&now);
	} else {
		const char *hint = c == -3306 ? "; check the invoice number and the courier" :
				   c == -3307 ? "; 11st does not know this courier code, choose another courier" :
				   c == -3310 ? "; the buyer may have asked to cancel: answer it in the claims sheet first" :
				   c == -3320 ? "; this invoice number is already used on another order" :
				   c == -3311 ? "; a system error at 11st, import the sheet again later" : "";
		snprintf(msg, sizeof msg, "not shipped: 11st refused: %s (%ld)%s", *text ? text : "no reason given", c,
			 hint);
		bundle_result(b, dlv, RES_FAILED, code, msg, false);
	}
	return OB_OK;
}

static int perform_ship(struct act *a, struct ob_err *err)
{
	if (read_state(a, err) != OB_OK)
		return OB_ENET;
	struct groups *g = calloc(1, sizeof *g);
	if (!g)
		return ob_err_nomem(err);
	int rc = OB_OK;
	for (size_t i = 0; i < a->b->n && rc == OB_OK; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result == RES_NONE)
			rc = ship_bundle(a, record_get(it->rec, F_BUNDLE_NO), g, err);
	}
	free(g);
	return rc;
}

/* --- DELAY --- */

static bool leading_code(const char *s, const char *const *codes, size_t n, char out[3])
{
	while (*s == ' ')
		s++;
	if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') || (s[2] >= '0' && s[2] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[0] == codes[i][0] && s[1] == codes[i][1]) {
			out[0] = s[0];
			out[1] = s[1];
			out[2] = '\0';
			return true;
		}
	}
	return false;
}

const char *elevenst_delay_code(const char *reason)
{
	static const char *const codes[] = { "01", "02", "03", "04", "05" };
	char c[3];
	if (leading_code(reason, codes, 5, c))
		return codes[c[1] - '1'];
	if (strstr(reason, "재고") || strstr(reason, "품절"))
		return "01"; /* 단기 재고 부족 */
	if (strstr(reason, "폭주") || strstr(reason, "주문량") || strstr(reason, "물량"))
		return "02"; /* 주문폭주로 인한 작업지연 */
	if (strstr(reason, "제작"))
		return "03"; /* 주문제작 시간이 필요 */
	if (strstr(reason, "고객") || strstr(reason, "요청"))
		return "04"; /* 고객 요청 */
	return "05";         /* 기타 */
}

const char *elevenst_cancel_code(const char *reason)
{
	static const char *const codes[] = { "06", "07", "08", "09", "10", "99" };
	char c[3];
	if (leading_code(reason, codes, 6, c)) {
		for (size_t k = 0; k < 6; k++)
			if (strcmp(codes[k], c) == 0)
				return codes[k];
	}
	bool soldout = strstr(reason, "품절") || strstr(reason, "재고");
	if (soldout && strstr(reason, "옵션"))
		return "09"; /* 옵션 품절(해당옵션) */
	if (soldout)
		return "08"; /* 상품 품절(전체옵션) */
	if (strstr(reason, "지연"))
		return "06"; /* 배송 지연 예상 */
	if (strstr(reason, "변심") || strstr(reason, "고객요청") || strstr(reason, "고객 요청"))
		return "10"; /* 고객변심: no penalty */
	if (strstr(reason, "잘못") || strstr(reason, "가격") || strstr(reason, "정보"))
		return "07"; /* 상품/가격 정보 잘못 입력 */
	return "99";
}

/* Bytes of s in CP949 (2 per non-ASCII character, which covers Hangul). */
static size_t cp949_bytes(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			n++;
		else if ((*p & 0xC0) == 0xC0)
			n += 2;
	return n;
}

/* Appends text as CDATA, splitting any "]]>" inside it. */
static int put_cdata(struct buf *b, const char *text)
{
	if (buf_puts(b, "<![CDATA[") < 0)
		return -1;
	for (const char *p = text; *p; p++) {
		if (p[0] == ']' && p[1] == ']' && p[2] == '>') {
			if (buf_puts(b, "]]]]><![CDATA[>") < 0)
				return -1;
			p += 2;
		} else if (buf_putc(b, *p) < 0) {
			return -1;
		}
	}
	return buf_puts(b, "]]>");
}

/* Checks a DELAY row; returns false with msg filled when 11st would refuse. */
static bool delay_row_ok(const struct action_item *it, ob_time today, char *day, char *msg, size_t n)
{
	const char *reason = record_get(it->rec, F_REASON);
	ob_time d;
	if (kst_parse(record_get(it->rec, F_DELAY_UNTIL), &d) < 0) {
		snprintf(msg, n, "delay_until '%s' is not a date (YYYY-MM-DD)", record_get(it->rec, F_DELAY_UNTIL));
		return false;
	}
	d = kst_day_start(d);
	if (d < today) {
		snprintf(msg, n, "delay_until %s is in the past", record_get(it->rec, F_DELAY_UNTIL));
		return false;
	}
	if (d > today + 30 * (ob_time)OB_DAY) {
		char last[16];
		kst_strftime(last, sizeof last, "%Y-%m-%d", today + 30 * (ob_time)OB_DAY);
		snprintf(msg, n, "11st takes a shipping date at most 30 days ahead (until %s)", last);
		return false;
	}
	kst_strftime(day, 16, "%Y%m%d", d);
	/* 20-300 bytes: counted both ways, since 11st does not say in which
	 * encoding; the CP949 count is the smaller, the UTF-8 count the larger. */
	size_t lo = cp949_bytes(reason), hi = strlen(reason);
	if (lo < 20 || hi > 300) {
		snprintf(msg, n, "11st takes a delay reason of 20 to 300 bytes (about 10 to 100 Hangul characters); this "
			 "one has %zu", lo < 20 ? lo : hi);
		return false;
	}
	return true;
}

bool elevenst_check_row(enum action a, enum sheet_kind sheet, const struct record *rec, char *why, size_t n)
{
	if (sheet == SHEET_ORDERS && a == ACT_DELAY) {
		struct action_item it = { 0 };
		it.rec = (struct record *)rec;
		char day[16];
		return delay_row_ok(&it, kst_day_start(kst_now()), day, why, n);
	}
	/* The invoices 11st takes: a shipment's, a return's pickup. */
	enum field_id inv_col = sheet == SHEET_ORDERS && a == ACT_SHIP ? F_INVOICE_NO :
				sheet == SHEET_CLAIMS && a == ACT_PICKUP ? F_PICKUP_INVOICE_NO : F__COUNT;
	if (inv_col != F__COUNT) {
		char inv[128];
		str_copy(inv, sizeof inv, record_get(rec, inv_col));
		courier_normalize_invoice(inv);
		if (strlen(inv) > EST_INVOICE_MAX) {
			snprintf(why, n, "column %s: 11st takes invoice numbers of at most %d characters",
				 field_def(inv_col)->key, EST_INVOICE_MAX);
			return false;
		}
	}
	/* Free-text reasons travel as URL path segments. */
	const char *text = a == ACT_CANCEL ? record_get(rec, F_REASON) :
			   sheet == SHEET_CLAIMS && (a == ACT_REJECT || a == ACT_HOLD) ? record_get(rec, F_SELLER_REASON) :
										       NULL;
	if (text && *text) {
		struct buf path = BUF_INIT;
		int bad = est_path_text(&path, text, why, n) < 0;
		buf_free(&path);
		return !bad;
	}
	return true;
}

static int perform_delay(struct act *a, struct ob_err *err)
{
	ob_time today = kst_day_start(kst_now());
	char msg[512], day[16];
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result == RES_NONE && !delay_row_ok(it, today, day, msg, sizeof msg))
			est_item_result(it, RES_FAILED, NULL, "%s", msg);
	}
	if (read_state(a, err) != OB_OK)
		return OB_ENET;
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_NONE)
			continue;
		long row = state_row(a, it);
		const char *stat = S(a, row, "ordPrdStat");
		char want[KST_TEXT_LEN] = "", have[KST_TEXT_LEN] = "";
		kst_normalize(record_get(it->rec, F_DELAY_UNTIL), want);
		kst_normalize(S(a, row, "delaySendDt"), have);
		if (row < 0) {
			est_item_result(it, RES_FAILED, NULL, "11st has no line %s in order %s", SEQ(it), ORD(it));
		} else if (*want && strncmp(want, have, 10) == 0) {
			est_item_result(it, RES_SKIPPED, NULL, "the delay until %.10s was already announced", want);
		} else if (!str_eq(stat, "202") && !str_eq(stat, "301")) {
			est_item_result(it, RES_FAILED, NULL, "11st takes a delay notice only before shipping (status 202 or "
				    "301); this line is %s", stat);
		}
	}
	/* One call per ordNo + dlvNo; the first row of the pair gives the date and
	 * reason, and the pair's other rows must agree. */
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_NONE)
			continue;
		long row = state_row(a, it);
		const char *dlv = S(a, row, "dlvNo");
		const char *reason = record_get(it->rec, F_REASON);
		struct action_item *group[EST_IDS_PER_CALL];
		size_t ng = 0;
		for (size_t k = i; k < a->b->n && ng < EST_IDS_PER_CALL; k++) {
			struct action_item *o = &a->b->items[k];
			if (o->result != RES_NONE || !str_eq(ORD(o), ORD(it)) || !str_eq(S(a, state_row(a, o), "dlvNo"), dlv))
				continue;
			if (k != i && (!str_eq(record_get(o->rec, F_DELAY_UNTIL), record_get(it->rec, F_DELAY_UNTIL)) ||
				       !str_eq(record_get(o->rec, F_REASON), reason))) {
				est_item_result(o, RES_FAILED, NULL, "line %s of the same order and bundle asks for another date "
					    "or reason; 11st takes one delay per order and bundle", SEQ(it));
				continue;
			}
			group[ng++] = o;
		}
		ob_time d;
		kst_parse(record_get(it->rec, F_DELAY_UNTIL), &d);
		kst_strftime(day, sizeof day, "%Y%m%d", kst_day_start(d));
		const char *code = elevenst_delay_code(reason);
		/* The body is UTF-8 as the working Java client sends it; the date
		 * format is not documented, YYYYMMDD matches the other date-only
		 * input (cancelreqreject's sendDt). */
		struct buf body = BUF_INIT;
		if (buf_printf(&body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeliveryDelayGuideRequest><ordNo>%s"
			       "</ordNo><dlvNo>%s</dlvNo><delaySendDt>%s</delaySendDt><delaySendRsnCd>%s</delaySendRsnCd>"
			       "<delaySendRsn>", ORD(it), dlv, day, code) < 0 ||
		    put_cdata(&body, reason) < 0 || buf_puts(&body, "</delaySendRsn></DeliveryDelayGuideRequest>") < 0) {
			buf_free(&body);
			return ob_err_nomem(err);
		}
		if (!str_is_digits(dlv)) {
			buf_free(&body);
			for (size_t k = 0; k < ng; k++)
				est_item_result(group[k], RES_FAILED, NULL, "11st gave no dlvNo for the line");
			continue;
		}
		long c;
		char text[256], cs[32];
		bool unknown;
		int rc = est_act_call(a, "/ordservices/deliveryDelayGuide", body.data, &c, text, sizeof text, &unknown, err);
		buf_free(&body);
		if (rc != OB_OK) {
			if (call_failed(a, group, ng, unknown, err))
				return OB_ENET;
			continue;
		}
		snprintf(cs, sizeof cs, "%ld", c);
		for (size_t k = 0; k < ng; k++) {
			if (c == 0)
				est_item_result(group[k], RES_OK, cs, "delay announced until %.4s-%.2s-%.2s (reason %s); 11st "
					    "emails and texts the buyer", day, day + 4, day + 6, code);
			else
				est_item_result(group[k], RES_FAILED, cs, "11st refused the delay: %s (%ld)",
					    *text ? text : "no reason given", c);
		}
	}
	return OB_OK;
}

/* --- CANCEL (판매불가) --- */

static int perform_cancel(struct act *a, struct ob_err *err)
{
	if (read_state(a, err) != OB_OK)
		return OB_ENET;
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_NONE)
			continue;
		long row = state_row(a, it);
		const char *stat = S(a, row, "ordPrdStat");
		if (row < 0) {
			est_item_result(it, RES_FAILED, NULL, "11st has no line %s in order %s", SEQ(it), ORD(it));
			continue;
		}
		if (cancelled(stat)) {
			est_item_result(it, RES_SKIPPED, NULL, "already cancelled (11st status %s)", stat);
			continue;
		}
		if (str_eq(stat, "701")) {
			est_item_result(it, RES_FAILED, NULL, "the buyer already asked to cancel this line: APPROVE the request "
				    "in the claims sheet instead (no penalty)");
			continue;
		}
		if (!str_eq(stat, "202") && !str_eq(stat, "301")) {
			est_item_result(it, RES_FAILED, NULL, "not cancelled: the line is %s at 11st (shipped or closed); ask "
				    "the buyer to return it", stat);
			continue;
		}
		const char *reason = record_get(it->rec, F_REASON);
		const char *code = elevenst_cancel_code(reason);
		struct buf path = BUF_INIT;
		char why[256];
		if (buf_puts(&path, "/claimservice/reqrejectorder") < 0 || est_path_id(&path, ORD(it), why, sizeof why) < 0 ||
		    est_path_id(&path, SEQ(it), why, sizeof why) < 0 || est_path_id(&path, code, why, sizeof why) < 0 ||
		    est_path_text(&path, reason, why, sizeof why) < 0) {
			buf_free(&path);
			est_item_result(it, RES_FAILED, NULL, "not sent: %s", why);
			continue;
		}
		long c;
		char text[256], cs[32];
		bool unknown;
		int rc = est_act_call(a, path.data, NULL, &c, text, sizeof text, &unknown, err);
		buf_free(&path);
		if (rc != OB_OK) {
			struct action_item *one[1] = { it };
			if (call_failed(a, one, 1, unknown, err))
				return OB_ENET;
			continue;
		}
		snprintf(cs, sizeof cs, "%ld", c);
		if (c == 0) {
			est_item_result(it, RES_OK, cs, "cancelled (판매불가, reason %s %s)%s", code,
				    elevenst_cancel_reason(code, "02"),
				    str_eq(code, "10") ? "" : "; 11st may deduct a seller credit point for it");
		} else {
			est_item_result(it, RES_FAILED, cs, "11st refused the cancel: %s (%ld)", *text ? text : "no reason given",
				    c);
		}
	}
	return OB_OK;
}

/* --- APPROVE / REJECT a cancel request --- */

/* Finds claim id in the cancel-request list around the time it was made
 * (the claims sheet's requested_at), or over the last 30 days without one.
 * *row is -1 when 11st does not list it. */
static int find_claim(struct act *a, const struct action_item *it, const char *id, struct est_reply *r, long *row,
		      struct ob_err *err)
{
	ob_time from, to, at;
	if (kst_parse(record_get(it->rec, F_REQUESTED_AT), &at) == 0) {
		from = at - at % 60 - 60;
		to = at - at % 60 + 120;
	} else {
		ob_time now = kst_now();
		to = now - now % 60 + 60;
		from = to - 30 * (ob_time)OB_DAY + 60;
	}
	*row = -1;
	int rc = est_list(a->st, a->c, "claimservice", "cancelorders", from, to, r, err);
	for (size_t i = 0; rc == OB_OK && i < r->nrows; i++)
		if (str_eq(est_get(r, i, "ordPrdCnSeq"), id)) {
			*row = (long)i;
			break;
		}
	return rc;
}

static void claim_result(struct action_batch *b, const char *id, enum result res, const char *code, const char *msg,
			 bool unknown)
{
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE || strcmp(record_get(it->rec, F_CLAIM_ID), id) != 0)
			continue;
		est_item_result(it, res, code, "%s", msg);
		it->outcome_unknown = unknown;
	}
}

static int claim_one(struct act *a, struct action_item *it, struct ob_err *err)
{
	struct action_batch *b = a->b;
	bool approve = b->action == ACT_APPROVE;
	const char *id = record_get(it->rec, F_CLAIM_ID);
	char msg[512];
	if (!str_is_digits(id) || !str_is_digits(ORD(it)) || !str_is_digits(SEQ(it))) {
		snprintf(msg, sizeof msg, "claim_id '%.30s', order_no and line_no must be 11st numbers", id);
		claim_result(b, id, RES_FAILED, NULL, msg, false);
		return OB_OK;
	}
	struct est_reply list;
	est_reply_init(&list);
	long row;
	int rc = find_claim(a, it, id, &list, &row, err);
	if (rc != OB_OK) {
		est_reply_free(&list);
		snprintf(msg, sizeof msg, "nothing sent: could not read the request at 11st first (%.400s)", err->msg);
		claim_result(b, id, RES_FAILED, NULL, msg, false);
		est_fail_rest(a, "not sent: ", err->msg);
		return OB_ENET;
	}
	char stat[8];
	str_copy(stat, sizeof stat, row >= 0 ? est_get(&list, (size_t)row, "ordCnStatCd") : "");
	if (row >= 0 && str_eq(stat, "02")) {
		claim_result(b, id, approve ? RES_SKIPPED : RES_FAILED, NULL,
			     approve ? "already cancelled (취소완료)" : "the cancel is already completed and cannot be rejected",
			     false);
		est_reply_free(&list);
		return OB_OK;
	}
	est_reply_free(&list);
	if (row < 0 || !str_eq(stat, "01")) {
		/* Not an open request: rejected (shipped), withdrawn or unknown. */
		const char *ids[1] = { ORD(it) };
		struct est_reply now;
		est_reply_init(&now);
		struct ob_err e2 = OB_ERR_INIT;
		long i = est_read_orders(a->st, a->c, ids, 1, &now, &e2) == OB_OK ? est_find_line(&now, ORD(it), SEQ(it)) :
										   -1;
		const char *ls = i >= 0 ? est_get(&now, (size_t)i, "ordPrdStat") : "";
		const char *inv = i >= 0 ? est_get(&now, (size_t)i, "invcNo") : "";
		bool done = false;
		if (!approve && shipped(ls) && str_eq(inv, record_get(it->rec, F_INVOICE_NO))) {
			done = true;
			snprintf(msg, sizeof msg, "already answered as shipped (이미출고) with invoice %s", inv);
		} else if (approve && cancelled(ls)) {
			done = true;
			snprintf(msg, sizeof msg, "already cancelled (11st status %s)", ls);
		} else if (str_eq(ls, "301") || str_eq(ls, "202")) {
			snprintf(msg, sizeof msg, "11st has no open cancel request %s: the buyer withdrew it (the line is "
				 "%s again); ship it as usual", id, ls);
		} else {
			snprintf(msg, sizeof msg, "11st has no open cancel request %s for line %s of order %s (line status "
				 "%s)", id, SEQ(it), ORD(it), *ls ? ls : "unknown");
		}
		claim_result(b, id, done ? RES_SKIPPED : RES_FAILED, NULL, msg, false);
		est_reply_free(&now);
		return OB_OK;
	}
	struct buf path = BUF_INIT;
	char why[256];
	int bad;
	if (approve) {
		/* The claim number comes first here, the order number first in reject. */
		bad = buf_puts(&path, "/claimservice/cancelreqconf") < 0 || est_path_id(&path, id, why, sizeof why) < 0 ||
		      est_path_id(&path, ORD(it), why, sizeof why) < 0 || est_path_id(&path, SEQ(it), why, sizeof why) < 0;
	} else {
		char day[16];
		kst_strftime(day, sizeof day, "%Y%m%d", kst_now());
		const char *inv = record_get(it->rec, F_INVOICE_NO);
		bad = buf_puts(&path, "/claimservice/cancelreqreject") < 0 || est_path_id(&path, ORD(it), why, sizeof why) < 0 ||
		      est_path_id(&path, SEQ(it), why, sizeof why) < 0 || est_path_id(&path, id, why, sizeof why) < 0 ||
		      est_path_id(&path, "01", why, sizeof why) < 0 || est_path_id(&path, day, why, sizeof why) < 0 ||
		      est_path_id(&path, it->courier_code ? it->courier_code : "", why, sizeof why) < 0 ||
		      est_path_id(&path, inv, why, sizeof why) < 0;
	}
	if (bad) {
		buf_free(&path);
		snprintf(msg, sizeof msg, "not sent: %s", why);
		claim_result(b, id, RES_FAILED, NULL, msg, false);
		return OB_OK;
	}
	long c;
	char text[256], cs[32];
	bool unknown;
	rc = est_act_call(a, path.data, NULL, &c, text, sizeof text, &unknown, err);
	buf_free(&path);
	if (rc != OB_OK) {
		claim_result(b, id, RES_FAILED, NULL, err->msg, unknown);
		if (unknown)
			return OB_OK; /* answer lost: the others go on (see call_failed) */
		est_fail_rest(a, "not sent: ", err->msg);
		return OB_ENET;
	}
	snprintf(cs, sizeof cs, "%ld", c);
	if (c == 0)
		snprintf(msg, sizeof msg, "%s", approve ? "cancel approved (취소승인)" :
			 "cancel rejected: already shipped (이미출고) with the invoice given");
	else
		snprintf(msg, sizeof msg, "11st refused: %s (%ld)%s", *text ? text : "no reason given", c,
			 c == -23005 || c == -23006 ? "; check the courier and invoice number" : "");
	claim_result(b, id, c == 0 ? RES_OK : RES_FAILED, cs, msg, false);
	return OB_OK;
}

static int perform_claims(struct act *a, struct ob_err *err)
{
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_NONE)
			continue;
		/* A batch of one action may hold claims of every type. */
		int ct = claim_type_parse(record_get(it->rec, F_CLAIM_TYPE));
		int rc = ct == CT_RETURN || ct == CT_EXCHANGE ? elevenst_retex_one(a, it, (enum claim_type)ct, err) :
			 a->b->action == ACT_APPROVE || a->b->action == ACT_REJECT ? claim_one(a, it, err) :
			 (est_item_result(it, RES_UNSUPPORTED, NULL, "11st has no %s call for cancel requests",
					  action_word(a->b->action)), OB_OK);
		if (rc != OB_OK)
			return rc;
	}
	return OB_OK;
}

static void unsupported(struct action_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		est_item_result(&b->items[i], RES_UNSUPPORTED, NULL, "11st has no %s call", action_word(b->action));
}

int elevenst_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	struct act a;
	a.st = (struct elevenst *)m;
	a.c = c;
	a.b = b;
	est_reply_init(&a.state);
	int rc;
	switch (b->action) {
	case ACT_ACK: rc = perform_ack(&a, err); break;
	case ACT_SHIP: rc = perform_ship(&a, err); break;
	case ACT_DELAY: rc = perform_delay(&a, err); break;
	case ACT_CANCEL: rc = perform_cancel(&a, err); break;
	case ACT_APPROVE:
	case ACT_REJECT:
	case ACT_HOLD:
	case ACT_RESHIP:
	case ACT_PICKUP:
		if (b->sheet == SHEET_CLAIMS) {
			rc = perform_claims(&a, err);
			break;
		}
		unsupported(b); /* a claim action on the orders sheet */
		rc = OB_OK;
		break;
	default:
		unsupported(b);
		rc = OB_OK;
		break;
	}
	est_reply_free(&a.state);
	return rc;
}
