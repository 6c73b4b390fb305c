/* SmartStore actions (smartstore.md B9-B14): 발주확인 confirm (≤ 30 a call,
 * then the address read again), 발송 dispatch (≤ 30), 발송지연 delay, 판매취소
 * cancel request, 취소승인 cancel approve, and on returns approve / reject /
 * holdback, on exchanges collect approve / re-dispatch / reject / holdback
 * (one product order a call; a held claim is released first when APPROVE or
 * RESHIP moves it on). Every action reads the product orders' current state
 * with product-orders/query first, so a second run after a crash or a lost
 * answer skips what is done. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/couriers.h"
#include "market/adapter.h"
#include "market/smartstore_int.h"
#include "util/json.h"
#include "util/kst.h"
#include "util/log.h"
#include "util/str.h"

#define item_result action_result

static const char *line_of(const struct action_item *it)
{
	return record_get(it->rec, F_LINE_NO);
}

/* Marks every undecided item failed with e's message. */
static void fail_open(struct action_batch *b, const char *prefix, const struct ob_err *e, const char *code,
		      bool unknown)
{
	for (size_t i = 0; i < b->n; i++) {
		if (b->items[i].result != RES_NONE)
			continue;
		item_result(&b->items[i], RES_FAILED, code, "%s%.480s", prefix, e->msg);
		b->items[i].outcome_unknown = unknown;
	}
}

/* Reads the current detail of every undecided item (a batch is ≤ 30 lines,
 * within one query's 300). On failure nothing was sent: the items fail with
 * "not sent" and the error is returned (a read that failed through all its
 * retries means Naver is out of reach: the plan stops sending to it). */
static int read_current(struct smartstore *ss, struct http_client *c, struct action_batch *b, cJSON **root,
			struct ob_err *err)
{
	const char *ids[SS_QUERY_MAX];
	size_t n = 0;
	*root = NULL;
	for (size_t i = 0; i < b->n && n < SS_QUERY_MAX; i++) {
		if (b->items[i].result != RES_NONE)
			continue;
		const char *id = line_of(&b->items[i]);
		if (!str_is_digits(id)) {
			item_result(&b->items[i], RES_FAILED, NULL,
				    "line_no '%s' is not a SmartStore productOrderId (16 digits); export again", id);
			continue;
		}
		ids[n++] = id;
	}
	if (!n)
		return OB_OK;
	int rc = smartstore_query(ss, c, ids, n, root, err);
	if (rc != OB_OK)
		fail_open(b, "not sent: could not read the current state at Naver: ", err, NULL, false);
	return rc;
}

/* The current detail of an item, or NULL after failing it. */
static const cJSON *detail_or_fail(const cJSON *root, struct action_item *it)
{
	const cJSON *d = smartstore_find_detail(root, line_of(it));
	if (!d)
		item_result(it, RES_FAILED, "100001",
			    "Naver has no product order %s for this store; check the account and line_no", line_of(it));
	return d;
}

static const char *status_of(const cJSON *d)
{
	const char *s = json_str(json_get(d, "productOrder"), "productOrderStatus");
	return s ? s : "";
}

static const char *place_of(const cJSON *d)
{
	const char *s = json_str(json_get(d, "productOrder"), "placeOrderStatus");
	return s ? s : "";
}

static bool fully_cancelled(const cJSON *d)
{
	const cJSON *po = json_get(d, "productOrder");
	int64_t qty;
	if (json_i64(po, "initialQuantity", &qty) < 0 && json_i64(po, "quantity", &qty) < 0)
		return false;
	return qty > 0 && smartstore_cancelled_qty(d) >= qty;
}

static bool shipped(const char *st)
{
	return str_eq(st, "DELIVERING") || str_eq(st, "DELIVERED") || str_eq(st, "PURCHASE_DECIDED");
}

/* The open cancel request of a line: its claim id into out, or false. */
static bool open_cancel(const cJSON *d, char *out, size_t n, int64_t *qty)
{
	enum confirmed_by by;
	if (smartstore_cancel_status(d, &by) != CS_REQUESTED)
		return false;
	const cJSON *cancel = json_get(d, "cancel");
	if (!cancel)
		cancel = json_get(json_get(d, "currentClaim"), "cancel");
	if (json_id(cancel, "claimId", out, n) < 0)
		json_id(json_get(d, "productOrder"), "claimId", out, n);
	if (json_i64(cancel, "requestQuantity", qty) < 0)
		*qty = 0;
	return true;
}

/* Finds id in the standard envelope (B3): 1 = success, 0 = failed (code and
 * message filled), -1 = not mentioned. */
static int envelope_result(const cJSON *root, const char *id, char code[64], char *msg, size_t n)
{
	const cJSON *data = json_get(root, "data");
	const cJSON *v;
	char got[64];
	cJSON_ArrayForEach(v, json_get(data, "successProductOrderIds"))
	{
		json_value_id(v, got, sizeof got);
		if (strcmp(got, id) == 0)
			return 1;
	}
	cJSON_ArrayForEach(v, json_get(data, "successProductOrderInfos"))
	{
		json_id(v, "productOrderId", got, sizeof got);
		if (strcmp(got, id) == 0)
			return 1;
	}
	cJSON_ArrayForEach(v, json_get(data, "failProductOrderInfos"))
	{
		json_id(v, "productOrderId", got, sizeof got);
		if (strcmp(got, id) != 0)
			continue;
		code[0] = '\0';
		const char *cs = json_str(v, "code");
		if (cs)
			str_copy(code, 64, cs);
		else
			json_id(v, "code", code, 64);
		const char *m = json_str(v, "message");
		snprintf(msg, n, "%s", m && *m ? m : "Naver refused it");
		return 0;
	}
	return -1;
}

/* 105306: "the requested state equals the current one" (B3). */
static bool already_code(const char *code)
{
	return str_eq(code, "105306");
}

/* Applies a call's answer to the items it carried (sent[i] marks them). */
static void apply_envelope(struct action_batch *b, const bool *sent, int rc, const cJSON *root, const char *code,
			   const struct ob_err *e, bool unknown, const char *ok_msg, bool with_invoice)
{
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (!sent[i])
			continue;
		if (rc != OB_OK) {
			item_result(it, RES_FAILED, code, "%.500s", e->msg);
			it->outcome_unknown = unknown;
			continue;
		}
		char fcode[64], msg[400];
		int r = envelope_result(root, line_of(it), fcode, msg, sizeof msg);
		if (r == 1)
			item_result(it, RES_OK, NULL, "%s%s%s", ok_msg, with_invoice ? " " : "",
				    with_invoice ? record_get(it->rec, F_INVOICE_NO) : "");
		else if (r == 0 && already_code(fcode))
			item_result(it, RES_SKIPPED, fcode, "already done (Naver %s: %s)", fcode, msg);
		else if (r == 0)
			item_result(it, RES_FAILED, fcode, "Naver %s: %s", fcode, msg);
		else {
			/* A 200 that does not name the line: we cannot tell. */
			item_result(it, RES_FAILED, NULL, "Naver's answer does not mention this line");
			it->outcome_unknown = true;
		}
	}
}

/* --- ACK --- */

/* The receiver of a SmartStore product order (shippingAddress). */
static struct market_address receiver_of(const cJSON *addr)
{
	struct market_address a = { json_str(addr, "name"), json_str(addr, "tel1"), json_str(addr, "zipCode"),
				    json_str(addr, "baseAddress"), json_str(addr, "detailedAddress") };
	return a;
}

/* After 발주확인 the address is final: read it again and flag lines whose
 * buyer changed it (Naver's flag, or a difference from the sheet). */
static void after_ack(struct smartstore *ss, struct http_client *c, struct action_batch *b, const bool *flagged)
{
	const char *ids[SS_ACT_MAX];
	size_t n = 0;
	for (size_t i = 0; i < b->n && n < SS_ACT_MAX; i++)
		if (b->items[i].result == RES_OK || b->items[i].result == RES_SKIPPED)
			ids[n++] = line_of(&b->items[i]);
	if (!n)
		return;
	cJSON *root = NULL;
	struct ob_err e = OB_ERR_INIT;
	if (smartstore_query(ss, c, ids, n, &root, &e) != OB_OK) {
		for (size_t i = 0; i < b->n; i++) {
			struct action_item *it = &b->items[i];
			if (it->result != RES_OK)
				continue;
			snprintf(it->message, sizeof it->message,
				 "confirmed; could not read the address again (%.300s): check it in 스마트스토어센터 before "
				 "shipping",
				 e.msg);
			it->address_changed = flagged[i];
		}
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_OK && it->result != RES_SKIPPED)
			continue;
		const cJSON *d = smartstore_find_detail(root, line_of(it));
		struct market_address now = receiver_of(json_get(json_get(d, "productOrder"), "shippingAddress"));
		if (!d || !(flagged[i] || address_differs(it->rec, &now)))
			continue;
		char text[400];
		address_text(&now, text, sizeof text);
		it->address_changed = true;
		snprintf(it->message, sizeof it->message, "%s; the buyer changed the address, ship to: %s",
			 it->result == RES_OK ? "confirmed (발주확인)" : "already confirmed", text);
	}
	cJSON_Delete(root);
}

static int perform_ack(struct smartstore *ss, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	cJSON *cur = NULL;
	int rc = read_current(ss, c, b, &cur, err);
	if (rc != OB_OK)
		return rc;
	bool *sent = calloc(b->n ? b->n : 1, sizeof *sent);
	bool *flagged = calloc(b->n ? b->n : 1, sizeof *flagged);
	cJSON *body = cJSON_CreateObject();
	cJSON *ids = body ? cJSON_AddArrayToObject(body, "productOrderIds") : NULL;
	if (!sent || !flagged || !ids) {
		rc = ob_err_nomem(err);
		goto out;
	}
	size_t nsend = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE)
			continue;
		const cJSON *d = detail_or_fail(cur, it);
		if (!d)
			continue;
		const char *st = status_of(d);
		if (str_eq(st, "PAYED") && str_eq(place_of(d), "OK")) {
			item_result(it, RES_SKIPPED, NULL, "already confirmed (발주확인)");
		} else if (shipped(st)) {
			item_result(it, RES_SKIPPED, NULL, "already shipped (%s)", st);
		} else if (!str_eq(st, "PAYED")) {
			item_result(it, RES_FAILED, NULL, "not confirmed: the line is %s at Naver", *st ? st : "gone");
		} else {
			cJSON *s = cJSON_CreateString(line_of(it));
			if (!s || !cJSON_AddItemToArray(ids, s)) {
				cJSON_Delete(s);
				rc = ob_err_nomem(err);
				goto out;
			}
			sent[i] = true;
			nsend++;
		}
	}
	if (nsend) {
		cJSON *root = NULL;
		char code[64];
		bool unknown = false;
		struct ob_err e = OB_ERR_INIT;
		int crc = smartstore_call(ss, c, "POST", SS_ORDERS "/confirm", NULL, body, false, &root, code, &unknown,
					  &e);
		apply_envelope(b, sent, crc, root, code, &e, unknown, "confirmed (발주확인)", false);
		const cJSON *info;
		cJSON_ArrayForEach(info, json_get(json_get(root, "data"), "successProductOrderInfos"))
		{
			char id[64];
			json_id(info, "productOrderId", id, sizeof id);
			for (size_t i = 0; i < b->n; i++)
				if (sent[i] && strcmp(line_of(&b->items[i]), id) == 0)
					flagged[i] = json_bool(info, "isReceiverAddressChanged", false);
		}
		cJSON_Delete(root);
		/* No answer: the lines are marked unknown (the next run re-reads
		 * them); the address is not read again for nothing. Later batches
		 * still go, as one lost answer is not an unreachable market. */
		if (crc == OB_ENET)
			goto out;
	}
	after_ack(ss, c, b, flagged);
out:
	cJSON_Delete(body);
	cJSON_Delete(cur);
	free(sent);
	free(flagged);
	return rc;
}

/* --- SHIP --- */

static int perform_ship(struct smartstore *ss, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	cJSON *cur = NULL;
	int rc = read_current(ss, c, b, &cur, err);
	if (rc != OB_OK)
		return rc;
	bool *sent = calloc(b->n ? b->n : 1, sizeof *sent);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = body ? cJSON_AddArrayToObject(body, "dispatchProductOrders") : NULL;
	if (!sent || !list) {
		rc = ob_err_nomem(err);
		goto out;
	}
	char when[48];
	smartstore_time_text(kst_now(), 0, when, sizeof when);
	size_t nsend = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE)
			continue;
		const cJSON *d = detail_or_fail(cur, it);
		if (!d)
			continue;
		const char *st = status_of(d);
		const char *want = record_get(it->rec, F_INVOICE_NO);
		char claim[64] = "";
		int64_t cq = 0;
		if (shipped(st)) {
			const cJSON *dl = json_get(d, "delivery");
			const char *have = json_str(dl, "trackingNumber");
			const char *courier = json_str(dl, "deliveryCompany");
			if (str_eq(have, want) && (!courier || !it->courier_code || str_eq(courier, it->courier_code)))
				item_result(it, RES_SKIPPED, NULL, "already shipped with invoice %s (%s)", want, st);
			else
				item_result(it, RES_UNSUPPORTED, NULL,
					    "already shipped with invoice %s %s; SmartStore has no API call to change a "
					    "tracking number: change it in 스마트스토어센터 (판매관리 > 배송현황 관리)",
					    courier ? courier : "", have ? have : "");
			continue;
		}
		if (open_cancel(d, claim, sizeof claim, &cq)) {
			/* Shipping onto a cancel request costs the round-trip postage. */
			item_result(it, RES_FAILED, "OPEN_CANCEL_REQUEST",
				    "not shipped: the buyer asked to cancel %lld (claim %s); APPROVE it in the claims "
				    "sheet first, or ship it from 스마트스토어센터 if you refuse the cancel — SmartStore "
				    "has no API call to reject it",
				    (long long)cq, claim);
			continue;
		}
		if (!str_eq(st, "PAYED") || fully_cancelled(d)) {
			item_result(it, RES_FAILED, NULL, "not shipped: the line is %s at Naver",
				    *st ? st : "in an unknown state");
			continue;
		}
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(list, o) ||
		    !cJSON_AddStringToObject(o, "productOrderId", line_of(it)) ||
		    !cJSON_AddStringToObject(o, "deliveryMethod", "DELIVERY") ||
		    !cJSON_AddStringToObject(o, "deliveryCompanyCode", it->courier_code ? it->courier_code : "") ||
		    !cJSON_AddStringToObject(o, "trackingNumber", want) ||
		    !cJSON_AddStringToObject(o, "dispatchDate", when)) {
			rc = ob_err_nomem(err);
			goto out;
		}
		sent[i] = true;
		nsend++;
	}
	if (nsend) {
		cJSON *root = NULL;
		char code[64];
		bool unknown = false;
		struct ob_err e = OB_ERR_INIT;
		int crc = smartstore_call(ss, c, "POST", SS_ORDERS "/dispatch", NULL, body, false, &root, code,
					  &unknown, &e);
		apply_envelope(b, sent, crc, root, code, &e, unknown, "shipped (발송처리) with invoice", true);
		cJSON_Delete(root);
	}
out:
	cJSON_Delete(body);
	cJSON_Delete(cur);
	free(sent);
	return rc;
}

/* --- single-line calls: DELAY, CANCEL, APPROVE --- */

/* Sends one call for one item and applies the standard envelope; without an
 * answer the item is marked unknown (the next run re-reads it). */
static int send_one(struct smartstore *ss, struct http_client *c, struct action_batch *b, size_t i,
		    const char *path, const cJSON *body, const char *ok_msg, struct ob_err *err)
{
	bool *sent = calloc(b->n, sizeof *sent);
	if (!sent)
		return ob_err_nomem(err);
	sent[i] = true;
	cJSON *root = NULL;
	char code[64];
	bool unknown = false;
	struct ob_err e = OB_ERR_INIT;
	int crc = smartstore_call(ss, c, "POST", path, NULL, body, false, &root, code, &unknown, &e);
	apply_envelope(b, sent, crc, root, code, &e, unknown, ok_msg, false);
	cJSON_Delete(root);
	free(sent);
	(void)err;
	return OB_OK;
}

/* Copies at most max_chars UTF-8 characters of text into out (n bytes),
 * never cutting a character. */
static void cut_chars(const char *text, char *out, size_t n, size_t max_chars)
{
	size_t chars = 0, k = 0;
	for (; text[k] && k + 1 < n; k++) {
		if (((unsigned char)text[k] & 0xC0) != 0x80 && ++chars > max_chars)
			break;
		out[k] = text[k];
	}
	while (k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80)
		k--;
	out[k] = '\0';
}

struct reason_word {
	const char *needle; /* in the seller's text (Korean or the enum itself) */
	const char *code;
};

static const char *reason_lookup(const char *text, const struct reason_word *words, size_t n, const char *def)
{
	if (!text)
		return def;
	/* The enum itself, typed as is. */
	for (size_t i = 0; i < n; i++)
		if (str_eq_ci(text, words[i].code))
			return words[i].code;
	for (size_t i = 0; i < n; i++)
		if (strstr(text, words[i].needle))
			return words[i].code;
	return def;
}

const char *smartstore_delay_reason(const char *text)
{
	static const struct reason_word words[] = {
		{ "주문제작", "CUSTOM_BUILD" },     { "제작", "CUSTOM_BUILD" },
		{ "예약", "RESERVED_DISPATCH" },    { "해외", "OVERSEA_DELIVERY" },
		{ "고객", "CUSTOMER_REQUEST" },     { "구매자", "CUSTOMER_REQUEST" },
		{ "요청", "CUSTOMER_REQUEST" },     { "준비", "PRODUCT_PREPARE" },
		{ "재고", "PRODUCT_PREPARE" },      { "입고", "PRODUCT_PREPARE" },
		{ "ETC", "ETC" },
	};
	/* Anything else is ETC, with the seller's text as the detailed reason. */
	return reason_lookup(text, words, sizeof words / sizeof words[0], "ETC");
}

const char *smartstore_cancel_reason(const char *text)
{
	static const struct reason_word words[] = {
		{ "품절", "SOLD_OUT" },          { "재고", "SOLD_OUT" },
		{ "지연", "DELAYED_DELIVERY" },  { "배송", "DELAYED_DELIVERY" },
		{ "정보", "INCORRECT_INFO" },    { "오류", "INCORRECT_INFO" },
		{ "변심", "INTENT_CHANGED" },    { "색상", "COLOR_AND_SIZE" },
		{ "사이즈", "COLOR_AND_SIZE" },  { "잘못 주문", "WRONG_ORDER" },
		{ "불만", "PRODUCT_UNSATISFIED" },
	};
	/* A seller cancels (판매취소) almost always because the item ran out. */
	return reason_lookup(text, words, sizeof words / sizeof words[0], "SOLD_OUT");
}

static int perform_delay(struct smartstore *ss, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	cJSON *cur = NULL;
	int rc = read_current(ss, c, b, &cur, err);
	for (size_t i = 0; rc == OB_OK && i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE)
			continue;
		const cJSON *d = detail_or_fail(cur, it);
		if (!d)
			continue;
		const cJSON *po = json_get(d, "productOrder");
		const char *st = status_of(d);
		ob_time due;
		if (kst_parse(record_get(it->rec, F_DELAY_UNTIL), &due) < 0) {
			item_result(it, RES_FAILED, NULL, "delay_until '%s' is not a date", record_get(it->rec, F_DELAY_UNTIL));
			continue;
		}
		due = kst_day_start(due);
		char cur_due[KST_TEXT_LEN] = "", want_due[KST_TEXT_LEN];
		const char *sd = json_str(po, "shippingDueDate");
		if (sd)
			kst_normalize(sd, cur_due);
		kst_format(due, want_due);
		const char *delayed = json_str(po, "delayedDispatchReason");
		if (delayed && *delayed && strncmp(cur_due, want_due, 10) == 0) {
			item_result(it, RES_SKIPPED, NULL, "already delayed to %.10s", want_due);
			continue;
		}
		if (shipped(st) || !str_eq(st, "PAYED")) {
			item_result(it, RES_FAILED, NULL, "not delayed: the line is %s at Naver", *st ? st : "gone");
			continue;
		}
		char when[48], path[160];
		smartstore_time_text(due, 0, when, sizeof when);
		const char *text = record_get(it->rec, F_REASON);
		cJSON *body = cJSON_CreateObject();
		if (!body || !cJSON_AddStringToObject(body, "dispatchDueDate", when) ||
		    !cJSON_AddStringToObject(body, "delayedDispatchReason", smartstore_delay_reason(text)) ||
		    !cJSON_AddStringToObject(body, "dispatchDelayedDetailedReason", text)) {
			cJSON_Delete(body);
			rc = ob_err_nomem(err);
			break;
		}
		snprintf(path, sizeof path, SS_ORDERS "/%s/delay", line_of(it));
		char ok[96];
		snprintf(ok, sizeof ok, "shipping delayed to %.10s (발송지연)", want_due);
		rc = send_one(ss, c, b, i, path, body, ok, err);
		cJSON_Delete(body);
	}
	cJSON_Delete(cur);
	return rc;
}

static int perform_cancel(struct smartstore *ss, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	cJSON *cur = NULL;
	int rc = read_current(ss, c, b, &cur, err);
	for (size_t i = 0; rc == OB_OK && i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE)
			continue;
		const cJSON *d = detail_or_fail(cur, it);
		if (!d)
			continue;
		const char *st = status_of(d);
		char claim[64] = "";
		int64_t cq = 0;
		if (str_eq(st, "CANCELED") || fully_cancelled(d)) {
			item_result(it, RES_SKIPPED, NULL, "already cancelled");
			continue;
		}
		if (open_cancel(d, claim, sizeof claim, &cq)) {
			item_result(it, RES_FAILED, "OPEN_CANCEL_REQUEST",
				    "not cancelled: the buyer already asked to cancel (claim %s); APPROVE it in the "
				    "claims sheet instead",
				    claim);
			continue;
		}
		if (shipped(st)) {
			item_result(it, RES_FAILED, NULL,
				    "not cancelled: already shipped (%s); the buyer has to ask for a return", st);
			continue;
		}
		if (!str_eq(st, "PAYED")) {
			item_result(it, RES_FAILED, NULL, "not cancelled: the line is %s at Naver", *st ? st : "gone");
			continue;
		}
		const char *text = record_get(it->rec, F_REASON);
		char detail[1600];
		/* cancelDetailedReason takes at most 500 characters. */
		cut_chars(text, detail, sizeof detail, 500);
		char path[160];
		cJSON *body = cJSON_CreateObject();
		if (!body || !cJSON_AddStringToObject(body, "cancelReason", smartstore_cancel_reason(text)) ||
		    !cJSON_AddStringToObject(body, "cancelDetailedReason", detail)) {
			cJSON_Delete(body);
			rc = ob_err_nomem(err);
			break;
		}
		snprintf(path, sizeof path, SS_ORDERS "/%s/claim/cancel/request", line_of(it));
		rc = send_one(ss, c, b, i, path, body, "cancelled (판매취소)", err);
		cJSON_Delete(body);
	}
	cJSON_Delete(cur);
	return rc;
}

/* --- claims: cancel approve, returns and exchanges --- */

static int approve_cancel_one(struct smartstore *ss, struct http_client *c, struct action_batch *b, size_t i,
			      const cJSON *d, struct ob_err *err)
{
	struct action_item *it = &b->items[i];
	enum confirmed_by by;
	enum claim_status cs = smartstore_cancel_status(d, &by);
	if (cs == CS_APPROVED || cs == CS_DONE) {
		item_result(it, RES_SKIPPED, NULL, "the cancel is already done");
		return OB_OK;
	}
	if (cs == CS_WITHDRAWN) {
		item_result(it, RES_FAILED, NULL, "the buyer withdrew the cancel request (철회); ship the order");
		return OB_OK;
	}
	if (cs != CS_REQUESTED) {
		item_result(it, RES_FAILED, NULL, "Naver has no open cancel request on this line");
		return OB_OK;
	}
	char path[160];
	snprintf(path, sizeof path, SS_ORDERS "/%s/claim/cancel/approve", line_of(it));
	/* The documented call has no body (B5). */
	return send_one(ss, c, b, i, path, NULL, "cancel approved (취소승인)", err);
}

const char *smartstore_holdback_class(const char *text, bool exchange)
{
	/* ASCII needles match the enum as typed (any case, EXTRAFEE with two
	 * E's too); the Korean ones the words sellers write. First match wins. */
	static const struct reason_word ret[] = {
		{ "DELIVERYFEE_AND", "RETURN_DELIVERYFEE_AND_EXTRAFEEE" },
		{ "EXTRAFEE", "EXTRAFEEE" },
		{ "NOT_DELIVERED", "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "DELIVERYFEE", "RETURN_DELIVERYFEE" },
		{ "ETC", "ETC" },
		{ "배송비", "RETURN_DELIVERYFEE" },      { "택배비", "RETURN_DELIVERYFEE" },
		{ "입금", "RETURN_DELIVERYFEE" },        { "추가", "EXTRAFEEE" },
		{ "비용", "EXTRAFEEE" },                 { "훼손", "EXTRAFEEE" },
		{ "파손", "EXTRAFEEE" },                 { "미입고", "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "미도착", "RETURN_PRODUCT_NOT_DELIVERED" }, { "미회수", "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "도착", "RETURN_PRODUCT_NOT_DELIVERED" }, { "회수", "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "입고", "RETURN_PRODUCT_NOT_DELIVERED" },
	};
	static const struct reason_word exch[] = {
		{ "EXTRAFEE", "EXCHANGE_EXTRAFEE" },
		{ "NOT_DELIVERED", "EXCHANGE_PRODUCT_NOT_DELIVERED" },
		{ "READY", "EXCHANGE_PRODUCT_READY" },
		{ "DELIVERYFEE", "EXCHANGE_DELIVERYFEE" },
		{ "ETC", "ETC" },
		{ "배송비", "EXCHANGE_DELIVERYFEE" },    { "택배비", "EXCHANGE_DELIVERYFEE" },
		{ "입금", "EXCHANGE_DELIVERYFEE" },      { "추가", "EXCHANGE_EXTRAFEE" },
		{ "비용", "EXCHANGE_EXTRAFEE" },         { "훼손", "EXCHANGE_EXTRAFEE" },
		{ "파손", "EXCHANGE_EXTRAFEE" },         { "미입고", "EXCHANGE_PRODUCT_NOT_DELIVERED" },
		{ "미도착", "EXCHANGE_PRODUCT_NOT_DELIVERED" }, { "미회수", "EXCHANGE_PRODUCT_NOT_DELIVERED" },
		{ "도착", "EXCHANGE_PRODUCT_NOT_DELIVERED" }, { "회수", "EXCHANGE_PRODUCT_NOT_DELIVERED" },
		{ "재입고", "EXCHANGE_PRODUCT_READY" },  { "준비", "EXCHANGE_PRODUCT_READY" },
		{ "재고", "EXCHANGE_PRODUCT_READY" },    { "품절", "EXCHANGE_PRODUCT_READY" },
	};
	if (!text)
		return "ETC";
	char up[512];
	size_t k = 0;
	for (; text[k] && k + 1 < sizeof up; k++)
		up[k] = text[k] >= 'a' && text[k] <= 'z' ? (char)(text[k] - 'a' + 'A') : text[k];
	up[k] = '\0';
	/* Both a delivery fee and an extra cost: the combined class (returns). */
	if (!exchange && strstr(up, "배송비") &&
	    (strstr(up, "추가비용") || strstr(up, "추가 비용") || strstr(up, "추가금")))
		return "RETURN_DELIVERYFEE_AND_EXTRAFEEE";
	return exchange ? reason_lookup(up, exch, sizeof exch / sizeof exch[0], "ETC")
			: reason_lookup(up, ret, sizeof ret / sizeof ret[0], "ETC");
}

/* Prepends "prefix; " to an item's message. */
static void prefix_message(struct action_item *it, const char *prefix)
{
	char old[sizeof it->message];
	str_copy(old, sizeof old, it->message);
	snprintf(it->message, sizeof it->message, "%.80s; %.420s", prefix, old);
}

/* A held claim is released first (holdback/release) when the seller's action
 * moves it on: the seller decided, and Naver takes no approval, collect
 * approval or re-delivery while it is held. True when the claim is no
 * longer held (the item is free for the next call); else the item failed. */
static bool release_first(struct smartstore *ss, struct http_client *c, struct action_batch *b, size_t i, bool ex,
			  struct ob_err *err)
{
	struct action_item *it = &b->items[i];
	char path[200];
	snprintf(path, sizeof path, SS_ORDERS "/%s/claim/%s/holdback/release", line_of(it), ex ? "exchange" : "return");
	send_one(ss, c, b, i, path, NULL, "hold released (보류 해제)", err);
	if (it->result == RES_OK || it->result == RES_SKIPPED) {
		it->result = RES_NONE;
		it->market_code[0] = '\0';
		return true;
	}
	prefix_message(it, "not done: releasing the hold (보류 해제) first failed");
	return false;
}

/* Sends the call of an action on a return/exchange, releasing a hold first
 * when asked, and says so in the message. */
static int retex_send(struct smartstore *ss, struct http_client *c, struct action_batch *b, size_t i, bool ex,
		      bool release, const char *tail, const cJSON *body, const char *ok_msg, struct ob_err *err)
{
	struct action_item *it = &b->items[i];
	if (release && !release_first(ss, c, b, i, ex, err))
		return OB_OK;
	char path[200];
	snprintf(path, sizeof path, SS_ORDERS "/%s/claim/%s/%s", line_of(it), ex ? "exchange" : "return", tail);
	int rc = send_one(ss, c, b, i, path, body, ok_msg, err);
	if (release)
		prefix_message(it, it->result == RES_OK ? "hold released (보류 해제)"
							: "hold released (보류 해제), then not done");
	return rc;
}

static int retex_one(struct smartstore *ss, struct http_client *c, struct action_batch *b, size_t i,
		     const cJSON *d, bool ex, struct ob_err *err)
{
	struct action_item *it = &b->items[i];
	const char *what = ex ? "exchange" : "return";
	const cJSON *claim = smartstore_retex_of(d, ex);
	const cJSON *po = json_get(d, "productOrder");
	if (!claim) {
		const char *t = json_str(po, "claimType"), *s = json_str(po, "claimStatus");
		item_result(it, RES_FAILED, NULL, "Naver has no %s on this line now (%s %s); export again", what,
			    t ? t : "no claim", s ? s : "");
		return OB_OK;
	}
	char have[64] = "";
	json_id(claim, "claimId", have, sizeof have);
	const char *want = record_get(it->rec, F_CLAIM_ID);
	const char *st = json_str(claim, "claimStatus");
	if (!st)
		st = "";
	if (*have && strcmp(have, want) != 0) {
		/* The buyer withdrew and asked again: a new claim to decide on. */
		item_result(it, RES_FAILED, NULL, "the line's %s is now claim %s (%s), not %s; export again", what, have,
			    st, want);
		return OB_OK;
	}
	enum confirmed_by by;
	enum claim_status cs = smartstore_retex_status(claim, ex, &by);
	bool held = smartstore_held(claim);
	bool collected = ex && (str_eq(st, "COLLECT_DONE") || str_eq(st, "EXCHANGE_REDELIVERING") ||
				str_eq(st, "EXCHANGE_DONE"));
	bool reshipped = ex && (str_eq(st, "EXCHANGE_REDELIVERING") || str_eq(st, "EXCHANGE_DONE"));
	if (cs == CS_WITHDRAWN && b->action != ACT_REJECT) {
		item_result(it, RES_FAILED, NULL, "not done: the %s was withdrawn or refused (%s)", what, st);
		return OB_OK;
	}
	if (cs == CS_NONE) {
		item_result(it, RES_FAILED, NULL, "not done: the %s is %s at Naver", what, *st ? st : "in no known state");
		return OB_OK;
	}
	switch (b->action) {
	case ACT_APPROVE:
		if (!ex && cs == CS_DONE) {
			item_result(it, RES_SKIPPED, NULL, "already approved (%s)", st);
			return OB_OK;
		}
		if (collected) {
			item_result(it, RES_SKIPPED, NULL, "already collected (수거 완료, %s)", st);
			return OB_OK;
		}
		return ex ? retex_send(ss, c, b, i, true, held, "collect/approve", NULL, "exchange collected (교환 수거 완료)",
				       err)
			  : retex_send(ss, c, b, i, false, held, "approve", NULL, "return approved (반품 승인)", err);
	case ACT_REJECT: {
		if (cs == CS_WITHDRAWN) {
			item_result(it, RES_SKIPPED, NULL, "already refused or withdrawn (%s)", st);
			return OB_OK;
		}
		if (cs == CS_DONE || reshipped) {
			item_result(it, RES_FAILED, NULL, "not refused: the %s is already %s", what, st);
			return OB_OK;
		}
		char reason[1600];
		cut_chars(record_get(it->rec, F_SELLER_REASON), reason, sizeof reason, 500);
		cJSON *body = cJSON_CreateObject();
		if (!body || !cJSON_AddStringToObject(body, ex ? "rejectExchangeReason" : "rejectReturnReason", reason)) {
			cJSON_Delete(body);
			return ob_err_nomem(err);
		}
		int rc = retex_send(ss, c, b, i, ex, false, "reject", body,
				    ex ? "exchange refused (교환 거부)" : "return refused (반품 거부)", err);
		cJSON_Delete(body);
		return rc;
	}
	case ACT_HOLD: {
		if (held) {
			const char *hc = json_str(claim, "holdbackReason"), *hd = json_str(claim, "holdbackDetailedReason");
			item_result(it, RES_SKIPPED, NULL, "already held (%s: %s)", hc ? hc : "", hd ? hd : "");
			return OB_OK;
		}
		if (cs == CS_DONE || reshipped) {
			item_result(it, RES_FAILED, NULL, "not held: the %s is already %s", what, st);
			return OB_OK;
		}
		int64_t extra = 0;
		if (record_has(it->rec, F_EXTRA_FEE) && (record_get_i64(it->rec, F_EXTRA_FEE, &extra) < 0 || extra < 0)) {
			item_result(it, RES_FAILED, NULL, "extra_fee '%s' is not an amount of won (0 or more)",
				    record_get(it->rec, F_EXTRA_FEE));
			return OB_OK;
		}
		const char *text = record_get(it->rec, F_SELLER_REASON);
		const char *cls = smartstore_holdback_class(text, ex);
		char detail[1600];
		cut_chars(text, detail, sizeof detail, 500);
		cJSON *body = cJSON_CreateObject();
		if (!body || !cJSON_AddStringToObject(body, "holdbackClassType", cls) ||
		    !cJSON_AddStringToObject(body, ex ? "holdbackExchangeDetailReason" : "holdbackReturnDetailReason",
					     detail) ||
		    (record_has(it->rec, F_EXTRA_FEE) &&
		     !cJSON_AddNumberToObject(body, ex ? "extraExchangeFeeAmount" : "extraReturnFeeAmount", (double)extra))) {
			cJSON_Delete(body);
			return ob_err_nomem(err);
		}
		char ok[160];
		snprintf(ok, sizeof ok, "%s held (%s 보류, %s)", ex ? "exchange" : "return", ex ? "교환" : "반품", cls);
		int rc = retex_send(ss, c, b, i, ex, false, "holdback", body, ok, err);
		cJSON_Delete(body);
		return rc;
	}
	case ACT_RESHIP: {
		if (!ex) {
			item_result(it, RES_UNSUPPORTED, NULL, "RESHIP (교환 재배송) is for exchanges; a return has no new item");
			return OB_OK;
		}
		const char *inv = record_get(it->rec, F_INVOICE_NO);
		if (reshipped) {
			const char *have_inv = json_str(claim, "reDeliveryTrackingNumber");
			const char *have_co = json_str(claim, "reDeliveryCompany");
			if (str_eq(have_inv, inv) && (!have_co || !it->courier_code || str_eq(have_co, it->courier_code)))
				item_result(it, RES_SKIPPED, NULL, "already re-shipped with invoice %s (%s)", inv, st);
			else
				item_result(it, RES_UNSUPPORTED, NULL,
					    "already re-shipped with invoice %s %s (%s); SmartStore has no API call to change "
					    "it: change it in 스마트스토어센터 (판매관리 > 교환관리)",
					    have_co ? have_co : "", have_inv ? have_inv : "", st);
			return OB_OK;
		}
		if (!collected) {
			/* Naver re-delivers only after 수거 완료; the sheet says so
			 * before sending a call it would refuse. */
			item_result(it, RES_FAILED, "104417",
				    "not re-shipped: the exchange is %s, not collected yet; APPROVE it first (교환 수거 "
				    "완료) — Naver refuses re-delivery before that (104417)",
				    st);
			return OB_OK;
		}
		cJSON *body = cJSON_CreateObject();
		if (!body || !cJSON_AddStringToObject(body, "reDeliveryMethod", "DELIVERY") ||
		    !cJSON_AddStringToObject(body, "reDeliveryCompany", it->courier_code ? it->courier_code : "") ||
		    !cJSON_AddStringToObject(body, "reDeliveryTrackingNumber", inv)) {
			cJSON_Delete(body);
			return ob_err_nomem(err);
		}
		int rc = retex_send(ss, c, b, i, true, held, "dispatch", body, "re-shipped (교환 재배송) with invoice", err);
		if (it->result == RES_OK)
			snprintf(it->message + strlen(it->message), sizeof it->message - strlen(it->message), " %s", inv);
		cJSON_Delete(body);
		return rc;
	}
	default:
		item_result(it, RES_UNSUPPORTED, NULL, "SmartStore has no such call for a %s", what);
		return OB_OK;
	}
}

/* APPROVE, REJECT, HOLD and RESHIP on the claims sheet: one re-read for the
 * batch, then each row by its claim type (a batch may mix them). */
static int perform_claims(struct smartstore *ss, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	cJSON *cur = NULL;
	int rc = read_current(ss, c, b, &cur, err);
	for (size_t i = 0; rc == OB_OK && i < b->n; i++) {
		struct action_item *it = &b->items[i];
		if (it->result != RES_NONE)
			continue;
		const cJSON *d = detail_or_fail(cur, it);
		if (!d)
			continue;
		int ct = claim_type_parse(record_get(it->rec, F_CLAIM_TYPE));
		if (ct == CT_RETURN || ct == CT_EXCHANGE) {
			rc = retex_one(ss, c, b, i, d, ct == CT_EXCHANGE, err);
		} else if (b->action == ACT_APPROVE) {
			rc = approve_cancel_one(ss, c, b, i, d, err);
		} else {
			const struct action_spec *spec = market_action_spec(ss->base.ops, b->action, b->sheet, CT_NONE);
			item_result(it, RES_UNSUPPORTED, NULL, "%s",
				    spec && spec->unsupported_why ? spec->unsupported_why : "SmartStore has no such call");
		}
	}
	cJSON_Delete(cur);
	return rc;
}

int smartstore_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	struct smartstore *ss = (struct smartstore *)m;
	switch (b->action) {
	case ACT_ACK: return perform_ack(ss, c, b, err);
	case ACT_SHIP: return perform_ship(ss, c, b, err);
	case ACT_DELAY: return perform_delay(ss, c, b, err);
	case ACT_CANCEL: return perform_cancel(ss, c, b, err);
	case ACT_APPROVE:
	case ACT_REJECT:
	case ACT_HOLD:
	case ACT_RESHIP:
		if (b->sheet == SHEET_CLAIMS)
			return perform_claims(ss, c, b, err);
		break;
	default: break;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct action_spec *spec = market_action_spec(ss->base.ops, b->action, b->sheet, CT_NONE);
		item_result(&b->items[i], RES_UNSUPPORTED, NULL, "%s",
			    spec && spec->unsupported_why ? spec->unsupported_why : "SmartStore has no such call");
	}
	return OB_OK;
}
