/* Coupang actions on returns (반품) and exchanges (교환), one claim at a time
 * (coupang.md §7, §11). Each re-reads the claim first and goes on from the
 * state Coupang shows, so a second run after a crash, a lost answer or a
 * half-done two-step approval sends only what is still missing:
 *   return APPROVE  = receiveConfirmation (반품접수 -> 입고완료), then approval
 *                     (cancelCount = cancelCountSum) -> 반품완료;
 *   return PICKUP   = return-exchange-invoices/manual (RETURN), while 반품접수;
 *   exchange APPROVE = receiveConfirmation (RECEIPT -> PROGRESS);
 *   exchange RESHIP  = invoices on the new shipmentBoxId, after CompleteCollect;
 *   exchange REJECT  = rejection, SOLDOUT or WITHDRAW from seller_reason;
 *   exchange PICKUP  = return-exchange-invoices/manual (EXCHANGE), before
 *                      the pickup is ordered (collectStatus BeforeDirection).
 * Coupang has no call to reject or hold a return, nor to hold an exchange:
 * those specs are unsupported (coupang.c says what to do instead). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/adapter.h"
#include "market/coupang_int.h"
#include "market/couriers.h"
#include "util/json.h"
#include "util/kst.h"
#include "util/str.h"

#define item_result action_result

/* The same result for every row of the claim. */
static void claim_result(struct action_batch *b, const char *id, enum result res, const char *code, bool unknown,
			 const char *msg)
{
	FOR_ITEMS_WITH(b, F_CLAIM_ID, id, it)
	{
		if (it->result != RES_NONE)
			continue;
		item_result(it, res, code, "%s", msg);
		it->outcome_unknown = unknown;
	}
}

static const struct action_item *first_item(struct action_batch *b, const char *id)
{
	FOR_ITEMS_WITH(b, F_CLAIM_ID, id, it)
	return it;
	return NULL;
}

/* The pickup courier's Coupang code and the normalized invoice from the row;
 * false with why in msg when they do not make a valid pair. */
static bool pickup_of(const struct record *rec, const char **code, char *invoice, size_t in, char *msg, size_t mn)
{
	const char *name = record_get(rec, F_PICKUP_COURIER);
	const struct courier *c = courier_find(name);
	if (!c) {
		snprintf(msg, mn, "unknown pickup courier '%s'; use a name such as CJ대한통운, 롯데택배, 한진택배, "
			 "우체국택배 or 로젠택배 ('orderbridge couriers' lists them all)", name);
		return false;
	}
	*code = courier_code(c, "coupang");
	if (!*code) {
		snprintf(msg, mn, "%s has no code at Coupang; choose another pickup courier", c->name_ko);
		return false;
	}
	str_copy(invoice, in, record_get(rec, F_PICKUP_INVOICE_NO));
	courier_normalize_invoice(invoice);
	char why[256];
	if (!courier_invoice_ok(c, invoice, why, sizeof why)) {
		snprintf(msg, mn, "pickup invoice: %s; check the number on the label", why);
		return false;
	}
	return true;
}

/* The first registered invoice of returnDeliveryDtos (the pickup). */
static void pickup_now(const cJSON *doc, char *code, size_t cn, char *invoice, size_t in)
{
	code[0] = invoice[0] = '\0';
	const cJSON *d;
	cJSON_ArrayForEach(d, json_get(doc, "returnDeliveryDtos"))
	{
		const char *inv = json_str(d, "deliveryInvoiceNo"), *c = json_str(d, "deliveryCompanyCode");
		if (inv && *inv && strcmp(inv, "null") != 0) {
			str_copy(code, cn, c ? c : "");
			str_copy(invoice, in, inv);
			return;
		}
	}
}

/* POST return-exchange-invoices/manual; fills the claim's rows. */
static int send_pickup(struct coupang *cp, struct http_client *c, struct action_batch *b, const char *id,
		       const char *type, const char *code, const char *invoice, const char *before, struct ob_err *err)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "returnExchangeDeliveryType", type) ||
	    !json_add_id(body, "receiptId", id) || !cJSON_AddStringToObject(body, "deliveryCompanyCode", code) ||
	    !cJSON_AddStringToObject(body, "invoiceNumber", invoice)) {
		cJSON_Delete(body);
		return ob_err_nomem(err);
	}
	char path[256], msg[512];
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/return-exchange-invoices/manual", cp->vendor_id);
	struct ob_err e = OB_ERR_INIT;
	bool unknown = false;
	int rc = coupang_call(cp, c, "POST", path, NULL, body, false, NULL, NULL, &unknown, &e);
	cJSON_Delete(body);
	if (rc != OB_OK) {
		snprintf(msg, sizeof msg, "pickup invoice not registered: %.400s", e.msg);
		claim_result(b, id, RES_FAILED, NULL, unknown, msg);
	} else {
		if (*before)
			snprintf(msg, sizeof msg, "pickup invoice changed from %s to %s %s (회수송장)", before, code, invoice);
		else
			snprintf(msg, sizeof msg, "pickup invoice %s %s registered (회수송장)", code, invoice);
		claim_result(b, id, RES_OK, "SUCCESS", false, msg);
	}
	return OB_OK;
}

/* --- returns --- */

/* PUT returnRequests/{id}/receiveConfirmation or approval. */
static int return_step(struct coupang *cp, struct http_client *c, const char *id, bool approve, int64_t count,
		       bool *unknown, struct ob_err *err)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "vendorId", cp->vendor_id) || !json_add_id(body, "receiptId", id) ||
	    (approve && !cJSON_AddNumberToObject(body, "cancelCount", (double)count))) {
		cJSON_Delete(body);
		return ob_err_nomem(err);
	}
	char path[256];
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/returnRequests/%s/%s", cp->vendor_id, id,
		 approve ? "approval" : "receiveConfirmation");
	int rc = coupang_call(cp, c, "PUT", path, NULL, body, false, NULL, NULL, unknown, err);
	cJSON_Delete(body);
	return rc;
}

int coupang_perform_return(struct coupang *cp, struct http_client *c, struct action_batch *b, const char *id,
			   struct ob_err *err)
{
	char path[256], msg[512];
	if (!str_is_digits(id)) {
		snprintf(msg, sizeof msg, "claim_id '%s' is not a Coupang receiptId", id);
		claim_result(b, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	if (b->action != ACT_APPROVE && b->action != ACT_PICKUP) {
		snprintf(msg, sizeof msg, "Coupang has no %s call for returns", action_word(b->action));
		claim_result(b, id, RES_UNSUPPORTED, NULL, false, msg);
		return OB_OK;
	}
	/* What the row asks for is checked before anything is read. */
	const char *code = NULL;
	char invoice[64] = "";
	if (b->action == ACT_PICKUP &&
	    !pickup_of(first_item(b, id)->rec, &code, invoice, sizeof invoice, msg, sizeof msg)) {
		claim_result(b, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	snprintf(path, sizeof path, COUPANG_API "/v6/vendors/%s/returnRequests/%s", cp->vendor_id, id);
	cJSON *root = NULL;
	struct ob_err e = OB_ERR_INIT;
	int rc = coupang_call(cp, c, "GET", path, NULL, NULL, true, &root, NULL, NULL, &e);
	const cJSON *d = json_get(root, "data");
	const cJSON *rr = cJSON_IsArray(d) ? cJSON_GetArrayItem(d, 0) : d;
	if (rc != OB_OK || !rr) {
		claim_result(b, id, RES_FAILED, NULL, false,
			     rc != OB_OK ? e.msg : "Coupang no longer lists this return (the buyer may have withdrawn it)");
		cJSON_Delete(root);
		return OB_OK;
	}
	enum claim_type t;
	enum claim_status s;
	enum confirmed_by by;
	coupang_claim_status(rr, &t, &s, &by);
	const char *rs = json_str(rr, "receiptStatus");
	if (!rs)
		rs = "";
	if (t != CT_RETURN) {
		claim_result(b, id, RES_FAILED, NULL, false,
			     "at Coupang this is a cancel request (출고중지요청), not a return: export again and decide it "
			     "as a cancel");
	} else if (b->action == ACT_PICKUP) {
		char cur_code[32], cur_inv[64];
		pickup_now(rr, cur_code, sizeof cur_code, cur_inv, sizeof cur_inv);
		if (str_eq(cur_inv, invoice)) {
			snprintf(msg, sizeof msg, "pickup invoice %s %s already registered", cur_code, cur_inv);
			claim_result(b, id, RES_SKIPPED, NULL, false, msg);
		} else if (!str_eq(rs, "RETURNS_UNCHECKED")) {
			snprintf(msg, sizeof msg,
				 "Coupang takes a pickup invoice only while the return is 반품접수 (RETURNS_UNCHECKED); it is "
				 "%s", rs);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else {
			rc = send_pickup(cp, c, b, id, "RETURN", code, invoice, cur_inv, err);
		}
	} else if (str_eq(rs, "RETURNS_COMPLETED")) {
		claim_result(b, id, RES_SKIPPED, NULL, false,
			     by == CB_MARKET ? "already completed by Coupang CS (반품완료)" : "already approved (반품완료)");
	} else if (str_eq(rs, "REQUEST_COUPANG_CHECK")) {
		claim_result(b, id, RES_FAILED, NULL, false,
			     "Coupang is checking this return (쿠팡확인요청): Coupang decides it, not the seller");
	} else if (!str_eq(rs, "RETURNS_UNCHECKED") && !str_eq(rs, "VENDOR_WAREHOUSE_CONFIRM")) {
		snprintf(msg, sizeof msg, "not approved: the return is %s at Coupang", rs);
		claim_result(b, id, RES_FAILED, NULL, false, msg);
	} else {
		/* Two calls; the state read above says which are still to do. */
		int64_t sum = 0;
		json_i64(rr, "cancelCountSum", &sum);
		bool received_now = false, unknown = false;
		int step = OB_OK;
		if (str_eq(rs, "RETURNS_UNCHECKED")) {
			step = return_step(cp, c, id, false, 0, &unknown, &e);
			if (step == OB_EIO) {
				cJSON_Delete(root);
				*err = e;
				return step;
			}
			if (step != OB_OK) {
				snprintf(msg, sizeof msg, "not received (입고확인): %.400s", e.msg);
				claim_result(b, id, RES_FAILED, NULL, unknown, msg);
			}
			received_now = step == OB_OK;
		}
		if (step == OB_OK) {
			step = return_step(cp, c, id, true, sum, &unknown, &e);
			if (step == OB_EIO) {
				cJSON_Delete(root);
				*err = e;
				return step;
			}
			if (step != OB_OK) {
				snprintf(msg, sizeof msg,
					 "%s not approved (반품승인): %.300s; import the sheet again to finish the approval",
					 received_now ? "received (입고확인) but" : "already received (입고완료) but", e.msg);
				claim_result(b, id, RES_FAILED, NULL, unknown, msg);
			} else {
				snprintf(msg, sizeof msg, "%s%d unit%s (반품승인)",
					 received_now ? "received (입고확인) and approved " : "approved ", (int)sum,
					 sum == 1 ? "" : "s");
				claim_result(b, id, RES_OK, "SUCCESS", false, msg);
			}
		}
	}
	cJSON_Delete(root);
	return rc == OB_EIO ? rc : OB_OK;
}

/* --- exchanges --- */

static void lower_ascii(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in && in[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

const char *coupang_exchange_reject_code(const char *seller_reason)
{
	/* Coupang takes two reasons only. Stock words win over withdrawal words
	 * ("재고 없어 취소" is sold out). */
	static const char *const soldout[] = { "soldout", "sold out", "out of stock", "품절", "재고", "절판" };
	static const char *const withdraw[] = { "withdraw", "withdrew", "철회", "취소", "cancel" };
	char t[512];
	lower_ascii(seller_reason, t, sizeof t);
	for (size_t i = 0; i < sizeof soldout / sizeof soldout[0]; i++)
		if (strstr(t, soldout[i]))
			return "SOLDOUT";
	for (size_t i = 0; i < sizeof withdraw / sizeof withdraw[0]; i++)
		if (strstr(t, withdraw[i]))
			return "WITHDRAW";
	return NULL;
}

/* Finds the exchange in the list: there is no single-exchange read. One 7-day
 * window from the day it was requested (the sheet's requested_at), else the
 * five 7-day windows before now; orderId narrows each to a handful of rows.
 * Returns OB_OK with *root and *ex set (*ex NULL when not found). */
static int read_exchange(struct coupang *cp, struct http_client *c, const struct record *rec, const char *id,
			 cJSON **root, const cJSON **ex, struct ob_err *err)
{
	*root = NULL;
	*ex = NULL;
	const char *order = record_get(rec, F_ORDER_NO);
	if (!str_is_digits(order))
		return ob_errf(err, OB_EROWS, "order_no '%s' is not a Coupang orderId", order);
	char path[256], query[512], d0[24], d1[24], token[256] = "";
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/exchangeRequests", cp->vendor_id);
	ob_time req_at;
	bool known = kst_parse(record_get(rec, F_REQUESTED_AT), &req_at) == 0;
	ob_time start = known ? kst_day_start(req_at) : kst_day_start(kst_now()) - 6 * (ob_time)OB_DAY;
	for (int w = 0; w < (known ? 1 : 5); w++, start -= 7 * (ob_time)OB_DAY) {
		kst_strftime(d0, sizeof d0, "%Y-%m-%dT%H:%M:%S", start);
		kst_strftime(d1, sizeof d1, "%Y-%m-%dT%H:%M:%S", start + 7 * (ob_time)OB_DAY - 1);
		token[0] = '\0';
		for (int page = 0; page < 1000; page++) {
			int n = snprintf(query, sizeof query, "createdAtFrom=%s&createdAtTo=%s&orderId=%s", d0, d1, order);
			struct buf tq = BUF_INIT;
			if (*token && (buf_puts(&tq, "&nextToken=") < 0 || buf_put_urlenc(&tq, token) < 0)) {
				buf_free(&tq);
				return ob_err_nomem(err);
			}
			if (tq.len)
				snprintf(query + n, sizeof query - (size_t)n, "%s", buf_cstr(&tq));
			buf_free(&tq);
			cJSON *r = NULL;
			int rc = coupang_call(cp, c, "GET", path, query, NULL, true, &r, NULL, NULL, err);
			if (rc != OB_OK)
				return rc;
			const cJSON *x;
			cJSON_ArrayForEach(x, json_get(r, "data"))
			{
				char xid[64];
				json_id(x, "exchangeId", xid, sizeof xid);
				if (strcmp(xid, id) == 0) {
					*root = r;
					*ex = x;
					return OB_OK;
				}
			}
			const char *next = json_str(r, "nextToken");
			bool more = next && *next && strcmp(next, token) != 0;
			if (more)
				str_copy(token, sizeof token, next);
			cJSON_Delete(r);
			if (!more)
				break;
		}
	}
	return OB_OK;
}

/* PUT receiveConfirmation or rejection of an exchange; *result_fail set when
 * Coupang answered FAIL inside HTTP 200 (msg says why). */
static int exchange_step(struct coupang *cp, struct http_client *c, const char *id, const char *reject_code,
			 bool *unknown, bool *result_fail, char *msg, size_t mn, struct ob_err *err)
{
	*result_fail = false;
	cJSON *body = cJSON_CreateObject();
	if (!body || !json_add_id(body, "exchangeId", id) || !cJSON_AddStringToObject(body, "vendorId", cp->vendor_id) ||
	    (reject_code && !cJSON_AddStringToObject(body, "exchangeRejectCode", reject_code))) {
		cJSON_Delete(body);
		return ob_err_nomem(err);
	}
	char path[256];
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/exchangeRequests/%s/%s", cp->vendor_id, id,
		 reject_code ? "rejection" : "receiveConfirmation");
	cJSON *resp = NULL;
	int rc = coupang_call(cp, c, "PUT", path, NULL, body, false, &resp, NULL, unknown, err);
	cJSON_Delete(body);
	const cJSON *data = json_get(resp, "data");
	const char *code = json_str(data, "resultCode"), *m = json_str(data, "resultMessage");
	if (rc == OB_OK && code && !str_eq(code, "SUCCESS")) {
		*result_fail = true;
		snprintf(msg, mn, "%s (%s)", m ? m : "Coupang refused", code);
	}
	cJSON_Delete(resp);
	return rc;
}

/* POST exchangeRequests/{id}/invoices: a JSON array, ids as strings as in the
 * documented example, goodsDeliveryCode (not deliveryCompanyCode). */
static int exchange_invoice(struct coupang *cp, struct http_client *c, const char *id, const char *box,
			    const char *code, const char *invoice, bool *unknown, bool *result_fail, char *msg, size_t mn,
			    struct ob_err *err)
{
	*result_fail = false;
	cJSON *body = cJSON_CreateArray(), *dto = cJSON_CreateObject();
	if (!body || !dto || !cJSON_AddItemToArray(body, dto)) {
		cJSON_Delete(body);
		cJSON_Delete(dto);
		return ob_err_nomem(err);
	}
	if (!cJSON_AddStringToObject(dto, "exchangeId", id) || !cJSON_AddStringToObject(dto, "vendorId", cp->vendor_id) ||
	    !cJSON_AddStringToObject(dto, "shipmentBoxId", box) || !cJSON_AddStringToObject(dto, "goodsDeliveryCode", code) ||
	    !cJSON_AddStringToObject(dto, "invoiceNumber", invoice)) {
		cJSON_Delete(body);
		return ob_err_nomem(err);
	}
	char path[256];
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/exchangeRequests/%s/invoices", cp->vendor_id, id);
	cJSON *resp = NULL;
	int rc = coupang_call(cp, c, "POST", path, NULL, body, false, &resp, NULL, unknown, err);
	cJSON_Delete(body);
	const cJSON *data = json_get(resp, "data");
	const char *rcode = json_str(data, "resultCode"), *m = json_str(data, "resultMessage");
	if (rc == OB_OK && rcode && !str_eq(rcode, "SUCCESS")) {
		*result_fail = true;
		snprintf(msg, mn, "%s (%s)", m ? m : "Coupang refused the invoice", rcode);
	}
	cJSON_Delete(resp);
	return rc;
}

/* After a write: OK, FAILED (refused or transport) with the words given. */
static int after_write(struct action_batch *b, const char *id, int rc, bool unknown, bool result_fail,
		       const char *fail_msg, const struct ob_err *e, const char *what_failed, const char *ok_msg)
{
	char msg[512];
	if (rc == OB_EIO)
		return rc;
	if (rc != OB_OK) {
		snprintf(msg, sizeof msg, "%s: %.400s", what_failed, e->msg);
		claim_result(b, id, RES_FAILED, NULL, unknown, msg);
	} else if (result_fail) {
		snprintf(msg, sizeof msg, "%s: %s", what_failed, fail_msg);
		claim_result(b, id, RES_FAILED, "FAIL", false, msg);
	} else {
		claim_result(b, id, RES_OK, "SUCCESS", false, ok_msg);
	}
	return OB_OK;
}

int coupang_perform_exchange(struct coupang *cp, struct http_client *c, struct action_batch *b, const char *id,
			     struct ob_err *err)
{
	char msg[512], fmsg[300] = "";
	if (!str_is_digits(id)) {
		snprintf(msg, sizeof msg, "claim_id '%s' is not a Coupang exchangeId", id);
		claim_result(b, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	const struct action_item *first = first_item(b, id);
	const struct record *rec = first->rec;
	/* What the row asks for is checked before anything is read. */
	const char *reject = NULL, *pcode = NULL;
	char pinv[64] = "";
	if (b->action == ACT_REJECT && !(reject = coupang_exchange_reject_code(record_get(rec, F_SELLER_REASON)))) {
		snprintf(msg, sizeof msg,
			 "not rejected: Coupang takes two reasons only; write 품절 / 재고없음 (SOLDOUT) or 고객 철회 "
			 "(WITHDRAW) in seller_reason (it says '%.200s')",
			 record_get(rec, F_SELLER_REASON));
		claim_result(b, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	if (b->action == ACT_PICKUP && !pickup_of(rec, &pcode, pinv, sizeof pinv, msg, sizeof msg)) {
		claim_result(b, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	if (b->action != ACT_APPROVE && b->action != ACT_REJECT && b->action != ACT_RESHIP && b->action != ACT_PICKUP) {
		snprintf(msg, sizeof msg, "Coupang has no %s call for exchanges", action_word(b->action));
		claim_result(b, id, RES_UNSUPPORTED, NULL, false, msg);
		return OB_OK;
	}
	cJSON *root = NULL;
	const cJSON *ex = NULL;
	struct ob_err e = OB_ERR_INIT;
	int rc = read_exchange(cp, c, rec, id, &root, &ex, &e);
	if (rc == OB_EIO) {
		*err = e;
		return rc;
	}
	if (rc != OB_OK || !ex) {
		if (rc != OB_OK)
			snprintf(msg, sizeof msg, "could not read the exchange: %.400s", e.msg);
		else
			snprintf(msg, sizeof msg, "Coupang does not list exchange %s of order %s around %s: export again", id,
				 record_get(rec, F_ORDER_NO),
				 record_has(rec, F_REQUESTED_AT) ? record_get(rec, F_REQUESTED_AT) : "the last 5 weeks");
		claim_result(b, id, RES_FAILED, NULL, false, msg);
		cJSON_Delete(root);
		return OB_OK;
	}
	const char *xs = json_str(ex, "exchangeStatus"), *cs = json_str(ex, "collectStatus");
	if (!xs)
		xs = "";
	if (!cs)
		cs = "";
	bool open = str_eq(xs, "RECEIPT") || str_eq(xs, "PROGRESS");
	bool unknown = false, result_fail = false;
	const char *closed = str_eq(xs, "REJECT") ? "the exchange was rejected (교환불가)" :
			     str_eq(xs, "CANCEL") ? "the buyer withdrew the exchange (교환철회)" :
			     str_eq(xs, "SUCCESS") ? "the exchange is complete (교환완료)" :
						     NULL;
	switch (b->action) {
	case ACT_APPROVE:
		if (str_eq(xs, "PROGRESS") || str_eq(xs, "SUCCESS")) {
			snprintf(msg, sizeof msg, "already received (exchangeStatus %s)", xs);
			claim_result(b, id, RES_SKIPPED, NULL, false, msg);
		} else if (!str_eq(xs, "RECEIPT")) {
			snprintf(msg, sizeof msg, "not received: %s", closed ? closed : xs);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else {
			rc = exchange_step(cp, c, id, NULL, &unknown, &result_fail, fmsg, sizeof fmsg, &e);
			rc = after_write(b, id, rc, unknown, result_fail, fmsg, &e, "not received",
					 "exchange received (입고확인): re-ship it (RESHIP) once the pickup is complete");
		}
		break;
	case ACT_REJECT:
		if (str_eq(xs, "REJECT")) {
			claim_result(b, id, RES_SKIPPED, NULL, false, "already rejected (교환불가)");
		} else if (!open) {
			snprintf(msg, sizeof msg, "not rejected: %s", closed ? closed : xs);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else {
			snprintf(msg, sizeof msg, "exchange rejected (교환불가, %s)", reject);
			rc = exchange_step(cp, c, id, reject, &unknown, &result_fail, fmsg, sizeof fmsg, &e);
			rc = after_write(b, id, rc, unknown, result_fail, fmsg, &e, "not rejected", msg);
		}
		break;
	case ACT_RESHIP: {
		char box[64], cur_code[32], cur_inv[64];
		coupang_exchange_redelivery(ex, box, sizeof box, cur_code, sizeof cur_code, cur_inv, sizeof cur_inv);
		const char *want = record_get(rec, F_INVOICE_NO);
		if (*cur_inv && str_eq(cur_inv, want)) {
			snprintf(msg, sizeof msg, "already re-shipped with invoice %s (box %s)", cur_inv, box);
			claim_result(b, id, RES_SKIPPED, NULL, false, msg);
		} else if (*cur_inv) {
			snprintf(msg, sizeof msg,
				 "not re-shipped: box %s already went out with %s %s; change the invoice in WING", box,
				 cur_code, cur_inv);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else if (!str_eq(xs, "PROGRESS")) {
			snprintf(msg, sizeof msg, "not re-shipped: %s",
				 str_eq(xs, "RECEIPT") ? "receive the returned goods first (APPROVE)" : closed ? closed : xs);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else if (!str_eq(cs, "CompleteCollect")) {
			snprintf(msg, sizeof msg,
				 "not re-shipped: the pickup is not complete (collectStatus %s); Coupang takes the "
				 "re-delivery invoice only after CompleteCollect",
				 cs);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else if (!str_is_digits(box)) {
			claim_result(b, id, RES_FAILED, NULL, false,
				     "not re-shipped: Coupang shows no new shipmentBoxId for the re-delivery yet");
		} else {
			snprintf(msg, sizeof msg, "re-shipped with invoice %s (new box %s)", want, box);
			rc = exchange_invoice(cp, c, id, box, first->courier_code ? first->courier_code : "", want, &unknown,
					      &result_fail, fmsg, sizeof fmsg, &e);
			rc = after_write(b, id, rc, unknown, result_fail, fmsg, &e, "not re-shipped", msg);
		}
		break;
	}
	case ACT_PICKUP: {
		char cur_code[32], cur_inv[64];
		pickup_now(ex, cur_code, sizeof cur_code, cur_inv, sizeof cur_inv);
		if (str_eq(cur_inv, pinv)) {
			snprintf(msg, sizeof msg, "pickup invoice %s %s already registered", cur_code, cur_inv);
			claim_result(b, id, RES_SKIPPED, NULL, false, msg);
		} else if (!open || !str_eq(cs, "BeforeDirection")) {
			snprintf(msg, sizeof msg,
				 "Coupang takes a pickup invoice only before the pickup is ordered (collectStatus "
				 "BeforeDirection); this exchange is %s / %s",
				 xs, cs);
			claim_result(b, id, RES_FAILED, NULL, false, msg);
		} else {
			rc = send_pickup(cp, c, b, id, "EXCHANGE", pcode, pinv, cur_inv, &e);
		}
		break;
	}
	default: break;
	}
	cJSON_Delete(root);
	if (rc == OB_EIO) {
		*err = e;
		return rc;
	}
	return OB_OK;
}
