/* The Coupang sandbox's returns and exchanges without a socket: the handler
 * called with signed requests on a generated data set. Return state machine
 * (receiveConfirmation only from 반품접수, approval only from 입고완료 with
 * cancelCount = cancelCountSum), pickup invoices (state and courier checks),
 * exchange list limits (7 days, statuses, paging), exchange receive
 * confirmation, rejection codes, and invoices (array body, goodsDeliveryCode,
 * the new box only, after CompleteCollect). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox/coupang.h"
#include "sandbox/coupang_state.h"
#include "util/json.h"
#include "util/str.h"

#define API "/v2/providers/openapi/apis/api"
#define V "A00012345"

static ob_time now_at;

struct answer {
	int status;
	char *raw;
	cJSON *json;
};

static void answer_free(struct answer *a)
{
	free(a->raw);
	cJSON_Delete(a->json);
	memset(a, 0, sizeof *a);
}

static struct answer call(void *st, const char *method, const char *path, const char *query, const char *body)
{
	char date[20], msg[2048], sig[65], hv[300];
	kst_strftime(date, sizeof date, "%y%m%dT%H%M%SZ", now_at - KST_OFFSET);
	snprintf(msg, sizeof msg, "%s%s%s%s", date, method, path, query);
	assert_int_equal(sandbox_coupang_signature(SANDBOX_COUPANG_SECRET_KEY, msg, strlen(msg), sig), 0);
	snprintf(hv, sizeof hv, "CEA algorithm=HmacSHA256, access-key=%s, signed-date=%s, signature=%s",
		 SANDBOX_COUPANG_ACCESS_KEY, date, sig);
	struct sandbox_header h = { "authorization", hv };
	struct sandbox_request req;
	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = path;
	req.query = query;
	req.headers = &h;
	req.nheaders = 1;
	req.body = body ? body : "";
	req.body_len = strlen(req.body);
	req.now = now_at;
	req.auth_now = now_at;
	struct sandbox_response resp = { .body = BUF_INIT, .rows = -1, .headers = BUF_INIT };
	assert_int_equal(sandbox_coupang_ops.handle(st, &req, &resp), 0);
	struct answer a = { resp.status, buf_detach(&resp.body), NULL };
	assert_non_null(a.raw);
	struct ob_err err = OB_ERR_INIT;
	a.json = json_parse(a.raw, strlen(a.raw), &err);
	assert_non_null(a.json);
	buf_free(&resp.body);
	buf_free(&resp.headers);
	return a;
}

static struct cpx_state *make_state(void)
{
	struct sandbox_gen_opts o = { .seed = 1, .orders = 300, .days = 30 };
	assert_int_equal(kst_parse_date("2026-11-20", &o.today), 0);
	now_at = o.today + 10 * 3600;
	void *st = NULL;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sandbox_coupang_ops.create(&o, &st, &err), 0);
	return st;
}

static const char *str_of(const cJSON *o, const char *path)
{
	const cJSON *v = json_path(o, path);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void expect(void *st, const char *method, const char *path, const char *body, int status, const char *key,
		   const char *contains)
{
	struct answer a = call(st, method, path, "", body);
	if (a.status != status || (key && !strstr(str_of(a.json, key), contains)))
		fail_msg("%s %s %s: %d %s", method, path, body, a.status, a.raw);
	answer_free(&a);
}

/* A generated return after delivery in receiptStatus rs, without a pickup. */
static struct cpx_receipt *find_return(struct cpx_state *st, const char *rs)
{
	for (size_t i = 0; i < st->nreceipts; i++) {
		struct cpx_receipt *r = &st->receipts[i];
		if (!r->cancel && !r->withdrawn && str_eq(cpx_str(r->doc, "releaseStopStatus"), "비대상") &&
		    str_eq(cpx_str(r->doc, "receiptStatus"), rs))
			return r;
	}
	return NULL;
}

static void test_return_machine(void **s)
{
	(void)s;
	struct cpx_state *st = make_state();
	struct cpx_receipt *r = find_return(st, "RETURNS_UNCHECKED");
	assert_non_null(r);
	uint64_t id = r->id;
	int sum = cpx_item_int(r->doc, "cancelCountSum");
	char recv[256], appr[256], body[256], bad_count[256];
	snprintf(recv, sizeof recv, API "/v4/vendors/" V "/returnRequests/%" PRIu64 "/receiveConfirmation", id);
	snprintf(appr, sizeof appr, API "/v4/vendors/" V "/returnRequests/%" PRIu64 "/approval", id);
	snprintf(body, sizeof body, "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 ",\"cancelCount\":%d}", id, sum);
	snprintf(bad_count, sizeof bad_count, "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 ",\"cancelCount\":%d}",
		 id, sum + 1);
	/* Approval before the goods are in: refused. */
	expect(st, "PUT", appr, body, 400, "message", "VENDOR_WAREHOUSE_CONFIRM");
	/* Body must name the path's receipt. */
	expect(st, "PUT", recv, "{\"vendorId\":\"" V "\",\"receiptId\":1}", 400, "message", "path");
	expect(st, "PUT", recv, body, 200, "code", "200");
	assert_string_equal(cpx_str(cpx_receipt_find(st, id)->doc, "receiptStatus"), "VENDOR_WAREHOUSE_CONFIRM");
	/* Only once: now it is 입고완료. */
	expect(st, "PUT", recv, body, 400, "message", "RETURNS_UNCHECKED");
	expect(st, "PUT", appr, bad_count, 400, "message", "cancelCount가 일치하지 않습니다");
	expect(st, "PUT", appr, "{\"vendorId\":\"" V "\",\"receiptId\":1,\"cancelCount\":1}", 400, "message", "path");
	expect(st, "PUT", appr, body, 200, "code", "200");
	r = cpx_receipt_find(st, id);
	assert_string_equal(cpx_str(r->doc, "receiptStatus"), "RETURNS_COMPLETED");
	assert_string_equal(cpx_str(r->doc, "completeConfirmType"), "VENDOR_CONFIRM");
	expect(st, "PUT", appr, body, 400, "message", "VENDOR_WAREHOUSE_CONFIRM");
	/* Listed under CC now, no longer under UC. */
	assert_true(cpx_receipt_in_status(r, "CC") && !cpx_receipt_in_status(r, "UC"));
	/* A stop-shipment request is not a return to receive. */
	for (size_t i = 0; i < st->nreceipts; i++) {
		struct cpx_receipt *x = &st->receipts[i];
		if (!cpx_receipt_undecided(x) || !str_eq(cpx_str(x->doc, "receiptStatus"), "RETURNS_UNCHECKED"))
			continue;
		snprintf(recv, sizeof recv, API "/v4/vendors/" V "/returnRequests/%" PRIu64 "/receiveConfirmation", x->id);
		snprintf(body, sizeof body, "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 "}", x->id);
		expect(st, "PUT", recv, body, 400, "message", "출고중지");
		break;
	}
	sandbox_coupang_ops.free(st);
}

static void test_pickup(void **s)
{
	(void)s;
	struct cpx_state *st = make_state();
	const char *path = API "/v4/vendors/" V "/return-exchange-invoices/manual";
	struct cpx_receipt *r = find_return(st, "RETURNS_UNCHECKED");
	struct cpx_receipt *done = find_return(st, "RETURNS_COMPLETED");
	assert_non_null(r);
	assert_non_null(done);
	uint64_t id = r->id;
	char body[512];
	snprintf(body, sizeof body, "{\"returnExchangeDeliveryType\":\"RETURN\",\"receiptId\":%" PRIu64
		 ",\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"123\"}", id);
	expect(st, "POST", path, body, 400, "message", "");
	snprintf(body, sizeof body, "{\"returnExchangeDeliveryType\":\"BOTH\",\"receiptId\":%" PRIu64
		 ",\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"512345678901\"}", id);
	expect(st, "POST", path, body, 400, "message", "RETURN or EXCHANGE");
	snprintf(body, sizeof body, "{\"returnExchangeDeliveryType\":\"RETURN\",\"receiptId\":%" PRIu64
		 ",\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"512345678901\"}", done->id);
	expect(st, "POST", path, body, 400, "message", "RETURNS_UNCHECKED");
	snprintf(body, sizeof body, "{\"returnExchangeDeliveryType\":\"RETURN\",\"receiptId\":%" PRIu64
		 ",\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"512345678901\",\"regNumber\":\"1234568\"}", id);
	expect(st, "POST", path, body, 200, "data.returnExchangeDeliveryType", "RETURN");
	cJSON *p = cpx_pickups_json(cpx_receipt_find(st, id)->doc);
	assert_int_equal(cJSON_GetArraySize(p), 1);
	assert_string_equal(str_of(cJSON_GetArrayItem(p, 0), "invoiceNumber"), "512345678901");
	cJSON_Delete(p);
	sandbox_coupang_ops.free(st);
}

static struct cpx_exchange *find_exchange(struct cpx_state *st, const char *xs, const char *cs)
{
	for (size_t i = 0; i < st->nexs; i++)
		if (str_eq(cpx_str(st->exs[i].doc, "exchangeStatus"), xs) &&
		    str_eq(cpx_str(st->exs[i].doc, "collectStatus"), cs))
			return &st->exs[i];
	return NULL;
}

/* Ids in the state are raw JSON numbers. */
static void raw_id(const cJSON *obj, const char *key, char *out, size_t n)
{
	uint64_t v = 0;
	assert_int_equal(sandbox_json_u64(json_get(obj, key), &v), 0);
	snprintf(out, n, "%" PRIu64, v);
}

static void new_box_of(const struct cpx_exchange *x, char *out, size_t n)
{
	raw_id(cJSON_GetArrayItem(json_get(x->doc, "deliveryInvoiceGroupDtos"), 0), "shipmentBoxId", out, n);
}

static void test_exchange_list(void **s)
{
	(void)s;
	struct cpx_state *st = make_state();
	const char *path = API "/v4/vendors/" V "/exchangeRequests";
	assert_true(st->nexs >= 8);
	struct answer a = call(st, "GET", path, "createdAtFrom=2026-11-01T00:00:00&createdAtTo=2026-11-08T00:00:01", NULL);
	assert_int_equal(a.status, 400); /* a second over 7 days */
	answer_free(&a);
	a = call(st, "GET", path, "createdAtFrom=2026-11-01&createdAtTo=2026-11-07", NULL);
	assert_int_equal(a.status, 400); /* seconds are required */
	answer_free(&a);
	a = call(st, "GET", path, "createdAtFrom=2026-11-14T00:00:00&createdAtTo=2026-11-20T23:59:59&status=DONE", NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	/* Every exchange exactly once over 7-day windows, in pages of 2, and the
	 * status filter agrees. */
	size_t seen = 0, receipts = 0;
	for (ob_time from = now_at - 35 * (ob_time)OB_DAY; from < now_at + OB_DAY; from += 7 * (ob_time)OB_DAY) {
		for (int filtered = 0; filtered < 2; filtered++) {
			char f[24], t[24], q[512], tok[64] = "";
			kst_strftime(f, sizeof f, "%Y-%m-%dT%H:%M:%S", from);
			kst_strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", from + 7 * (ob_time)OB_DAY - 1);
			do {
				snprintf(q, sizeof q, "createdAtFrom=%s&createdAtTo=%s&maxPerPage=2%s%s%s", f, t,
					 filtered ? "&status=RECEIPT" : "", *tok ? "&nextToken=" : "", tok);
				a = call(st, "GET", path, q, NULL);
				assert_int_equal(a.status, 200);
				const cJSON *e;
				cJSON_ArrayForEach(e, json_get(a.json, "data"))
				{
					if (filtered) {
						assert_string_equal(str_of(e, "exchangeStatus"), "RECEIPT");
						receipts++;
					} else {
						seen++;
					}
				}
				assert_true(cJSON_GetArraySize(json_get(a.json, "data")) <= 2);
				str_copy(tok, sizeof tok, str_of(a.json, "nextToken"));
				answer_free(&a);
			} while (*tok);
		}
	}
	assert_int_equal(seen, st->nexs);
	size_t want = 0;
	for (size_t i = 0; i < st->nexs; i++)
		want += str_eq(cpx_str(st->exs[i].doc, "exchangeStatus"), "RECEIPT");
	assert_int_equal(receipts, want);
	sandbox_coupang_ops.free(st);
}

static void test_exchange_machine(void **s)
{
	(void)s;
	struct cpx_state *st = make_state();
	struct cpx_exchange *x = find_exchange(st, "RECEIPT", "BeforeDirection");
	assert_non_null(x);
	uint64_t id = x->id;
	char recv[256], rej[256], inv[256], body[512], box[32], orig[32];
	snprintf(recv, sizeof recv, API "/v4/vendors/" V "/exchangeRequests/%" PRIu64 "/receiveConfirmation", id);
	snprintf(rej, sizeof rej, API "/v4/vendors/" V "/exchangeRequests/%" PRIu64 "/rejection", id);
	snprintf(inv, sizeof inv, API "/v4/vendors/" V "/exchangeRequests/%" PRIu64 "/invoices", id);
	new_box_of(x, box, sizeof box);
	raw_id(cJSON_GetArrayItem(json_get(x->doc, "exchangeItemDtoV1s"), 0), "originalShipmentBoxId", orig, sizeof orig);
	/* Invoices before the goods are back: FAIL inside 200. */
	snprintf(body, sizeof body, "[{\"exchangeId\":\"%" PRIu64 "\",\"vendorId\":\"" V "\",\"shipmentBoxId\":\"%s\","
		 "\"goodsDeliveryCode\":\"CJGLS\",\"invoiceNumber\":\"123456789012\"}]", id, box);
	expect(st, "POST", inv, body, 200, "data.resultCode", "FAIL");
	snprintf(body, sizeof body, "{\"exchangeId\":%" PRIu64 ",\"vendorId\":\"" V "\"}", id);
	expect(st, "PUT", recv, body, 200, "message", "SUCCESS");
	x = cpx_exchange_find(st, id);
	assert_string_equal(cpx_str(x->doc, "exchangeStatus"), "PROGRESS");
	assert_string_equal(cpx_str(x->doc, "collectStatus"), "CompleteCollect");
	expect(st, "PUT", recv, body, 400, "message", "RECEIPT");
	/* Invoice bodies: an array, goodsDeliveryCode, the new box. */
	snprintf(body, sizeof body, "{\"exchangeId\":\"%" PRIu64 "\",\"vendorId\":\"" V "\",\"shipmentBoxId\":\"%s\","
		 "\"goodsDeliveryCode\":\"CJGLS\",\"invoiceNumber\":\"123456789012\"}", id, box);
	expect(st, "POST", inv, body, 400, "message", "array");
	snprintf(body, sizeof body, "[{\"exchangeId\":\"%" PRIu64 "\",\"vendorId\":\"" V "\",\"shipmentBoxId\":\"%s\","
		 "\"deliveryCompanyCode\":\"CJGLS\",\"invoiceNumber\":\"123456789012\"}]", id, box);
	expect(st, "POST", inv, body, 400, "message", "goodsDeliveryCode");
	snprintf(body, sizeof body, "[{\"exchangeId\":\"%" PRIu64 "\",\"vendorId\":\"" V "\",\"shipmentBoxId\":\"%s\","
		 "\"goodsDeliveryCode\":\"CJGLS\",\"invoiceNumber\":\"123456789012\"}]", id, orig);
	expect(st, "POST", inv, body, 400, "message", "original box");
	snprintf(body, sizeof body, "[{\"exchangeId\":\"%" PRIu64 "\",\"vendorId\":\"" V "\",\"shipmentBoxId\":\"%s\","
		 "\"goodsDeliveryCode\":\"CJGLS\",\"invoiceNumber\":\"12\"}]", id, box);
	expect(st, "POST", inv, body, 200, "data.resultCode", "FAIL");
	snprintf(body, sizeof body, "[{\"exchangeId\":\"%" PRIu64 "\",\"vendorId\":\"" V "\",\"shipmentBoxId\":\"%s\","
		 "\"goodsDeliveryCode\":\"CJGLS\",\"invoiceNumber\":\"123456789012\"}]", id, box);
	expect(st, "POST", inv, body, 200, "data.resultCode", "SUCCESS");
	x = cpx_exchange_find(st, id);
	assert_string_equal(cpx_str(x->doc, "exchangeStatus"), "SUCCESS");
	const cJSON *d = cJSON_GetArrayItem(
		json_get(cJSON_GetArrayItem(json_get(x->doc, "deliveryInvoiceGroupDtos"), 0), "deliveryInvoiceDtos"), 0);
	assert_string_equal(str_of(d, "invoiceNumber"), "123456789012");
	assert_string_equal(str_of(d, "deliverCode"), "CJGLS");
	expect(st, "POST", inv, body, 200, "data.resultCode", "FAIL"); /* once */
	/* Rejection: a valid code, an open exchange. */
	snprintf(body, sizeof body, "{\"exchangeId\":%" PRIu64 ",\"vendorId\":\"" V "\",\"exchangeRejectCode\":\"SOLDOUT\"}",
		 id);
	expect(st, "PUT", rej, body, 200, "data.resultCode", "FAIL");
	struct cpx_exchange *y = find_exchange(st, "RECEIPT", "BeforeDirection");
	assert_non_null(y);
	uint64_t yid = y->id;
	snprintf(rej, sizeof rej, API "/v4/vendors/" V "/exchangeRequests/%" PRIu64 "/rejection", yid);
	snprintf(body, sizeof body, "{\"exchangeId\":%" PRIu64 ",\"vendorId\":\"" V "\",\"exchangeRejectCode\":\"NOPE\"}",
		 yid);
	expect(st, "PUT", rej, body, 400, "message", "SOLDOUT or WITHDRAW");
	snprintf(body, sizeof body, "{\"exchangeId\":%" PRIu64 ",\"vendorId\":\"" V "\",\"exchangeRejectCode\":\"WITHDRAW\"}",
		 yid);
	expect(st, "PUT", rej, body, 200, "data.resultCode", "SUCCESS");
	y = cpx_exchange_find(st, yid);
	assert_string_equal(cpx_str(y->doc, "exchangeStatus"), "REJECT");
	assert_string_equal(y->reject_code, "WITHDRAW");
	/* Exchange pickup: only before the pickup is ordered. */
	const char *pk = API "/v4/vendors/" V "/return-exchange-invoices/manual";
	struct cpx_exchange *z = find_exchange(st, "RECEIPT", "BeforeDirection");
	assert_non_null(z);
	snprintf(body, sizeof body, "{\"returnExchangeDeliveryType\":\"EXCHANGE\",\"receiptId\":%" PRIu64
		 ",\"deliveryCompanyCode\":\"HANJIN\",\"invoiceNumber\":\"412345678901\"}", z->id);
	expect(st, "POST", pk, body, 200, "data.returnExchangeDeliveryType", "EXCHANGE");
	assert_string_equal(cpx_str(cpx_exchange_find(st, z->id)->doc, "collectStatus"), "CompleteDirection");
	expect(st, "POST", pk, body, 400, "message", "BeforeDirection");
	sandbox_coupang_ops.free(st);
}

/* fail-next: a 500 before the change, or after it. */
static void test_fail_next(void **s)
{
	(void)s;
	struct cpx_state *st = make_state();
	struct cpx_receipt *r = find_return(st, "RETURNS_UNCHECKED");
	assert_non_null(r);
	uint64_t id = r->id;
	char recv[256], body[256];
	snprintf(recv, sizeof recv, API "/v4/vendors/" V "/returnRequests/%" PRIu64 "/receiveConfirmation", id);
	snprintf(body, sizeof body, "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 "}", id);
	str_copy(st->fail_next, sizeof st->fail_next, "PUT v4 returnRequests/{receiptId}/receiveConfirmation");
	st->fail_after = false;
	expect(st, "PUT", recv, body, 500, NULL, NULL);
	assert_string_equal(cpx_str(cpx_receipt_find(st, id)->doc, "receiptStatus"), "RETURNS_UNCHECKED");
	str_copy(st->fail_next, sizeof st->fail_next, "PUT v4 returnRequests/{receiptId}/receiveConfirmation");
	st->fail_after = true;
	expect(st, "PUT", recv, body, 500, NULL, NULL);
	assert_string_equal(cpx_str(cpx_receipt_find(st, id)->doc, "receiptStatus"), "VENDOR_WAREHOUSE_CONFIRM");
	assert_string_equal(st->fail_next, "");
	sandbox_coupang_ops.free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_return_machine), cmocka_unit_test(test_pickup),
		cmocka_unit_test(test_exchange_list),  cmocka_unit_test(test_exchange_machine),
		cmocka_unit_test(test_fail_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
