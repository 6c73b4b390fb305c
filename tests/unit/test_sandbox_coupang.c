/* The Coupang sandbox without a socket: the CEA check against the documented
 * worked signatures, and the handler called directly with signed requests on
 * a generated data set (paging, acknowledgement with an address change,
 * invoices and their per-item failures, stop-shipment answers, withdrawals,
 * seller cancel) and on the documented examples loaded with --dataset. */
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

/* --- auth --- */

struct example {
	const char *method, *path, *query, *signature;
};

static const struct example examples[] = {
	{ "GET", API "/v4/vendors/A00012345/returnRequests", "createdAtFrom=2018-08-08&createdAtTo=2018-08-08&status=UC",
	  "57b4f2807eab20120b1114e78a35cf3e95b4b21d7fe833ba2e6ee7edaa0ea18a" },
	{ "GET", API "/v5/vendors/A00012345/ordersheets",
	  "createdAtFrom=2025-07-15%2B09:00&createdAtTo=2025-07-25%2B09:00&maxPerPage=50&status=INSTRUCT",
	  "ca5752a675d03afd871fb798605b7c5d04fe40efd4ac74ee1d8e8d2905d21fac" },
	{ "PUT", API "/v4/vendors/A00012345/ordersheets/acknowledgement", "",
	  "d5da819b2bf4c05801275e1d882dcdfaba6233537c19fe40f42daa19e0910bbc" },
};

/* 250801T010203Z */
#define DOC_SIGNED_AT ((ob_time)1754010123)

static void request_with(struct sandbox_request *req, struct sandbox_header *h, char *hv, size_t hn,
			 const char *method, const char *path, const char *query, const char *date, const char *sig)
{
	snprintf(hv, hn, "CEA algorithm=HmacSHA256, access-key=%s, signed-date=%s, signature=%s",
		 SANDBOX_COUPANG_ACCESS_KEY, date, sig);
	h->name = "authorization"; /* header names are case-insensitive */
	h->value = hv;
	memset(req, 0, sizeof *req);
	req->method = method;
	req->path = path;
	req->query = query;
	req->headers = h;
	req->nheaders = 1;
	req->body = "";
}

static void test_documented_signatures(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		const struct example *e = &examples[i];
		char msg[512], out[65], hv[300];
		snprintf(msg, sizeof msg, "250801T010203Z%s%s%s", e->method, e->path, e->query);
		assert_int_equal(sandbox_coupang_signature(SANDBOX_COUPANG_SECRET_KEY, msg, strlen(msg), out), 0);
		assert_string_equal(out, e->signature);
		struct sandbox_request req;
		struct sandbox_header h;
		request_with(&req, &h, hv, sizeof hv, e->method, e->path, e->query, "250801T010203Z", e->signature);
		req.auth_now = DOC_SIGNED_AT + 299;
		assert_null(sandbox_coupang_check_auth(&req));
		req.auth_now = DOC_SIGNED_AT - 301;
		assert_string_equal(sandbox_coupang_check_auth(&req), "Specified signature is expired.");
	}
}

static void test_auth_failures(void **s)
{
	(void)s;
	const struct example *e = &examples[1];
	struct sandbox_request req;
	struct sandbox_header h;
	char hv[300];
	request_with(&req, &h, hv, sizeof hv, e->method, e->path, e->query, "250801T010203Z", e->signature);
	req.auth_now = DOC_SIGNED_AT;
	/* '+' instead of %2B: the signature covers the bytes sent. */
	req.query = "createdAtFrom=2025-07-15+09:00&createdAtTo=2025-07-25%2B09:00&maxPerPage=50&status=INSTRUCT";
	assert_string_equal(sandbox_coupang_check_auth(&req), "Invalid signature.");
	req.query = e->query;
	req.method = "POST";
	assert_string_equal(sandbox_coupang_check_auth(&req), "Invalid signature.");
	req.method = "GET";
	h.value = "CEA algorithm=HmacSHA256, access-key=x";
	assert_string_equal(sandbox_coupang_check_auth(&req), "HMAC format is invalid.");
	h.value = "Bearer abc";
	assert_string_equal(sandbox_coupang_check_auth(&req), "HMAC format is invalid.");
	req.nheaders = 0;
	assert_string_equal(sandbox_coupang_check_auth(&req), "HMAC format is invalid.");
	request_with(&req, &h, hv, sizeof hv, e->method, e->path, e->query, "2508011T010203Z", e->signature);
	assert_string_equal(sandbox_coupang_check_auth(&req), "HMAC format is invalid.");
}

/* --- the handler on a data set --- */

static ob_time now_at; /* the sandbox clock of the calls */

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
	struct sandbox_request req;
	struct sandbox_header h;
	request_with(&req, &h, hv, sizeof hv, method, path, query, date, sig);
	req.body = body ? body : "";
	req.body_len = strlen(req.body);
	req.now = now_at;
	req.auth_now = now_at;
	struct sandbox_response resp = { 0, BUF_INIT, NULL, "", 0, -1, BUF_INIT };
	assert_int_equal(sandbox_coupang_ops.handle(st, &req, &resp), 0);
	struct answer a = { resp.status, buf_detach(&resp.body), NULL };
	assert_non_null(a.raw);
	struct ob_err err = OB_ERR_INIT;
	a.json = json_parse(a.raw, strlen(a.raw), &err);
	assert_non_null(a.json);
	buf_free(&resp.body);
	return a;
}

static void *make_state(int orders)
{
	struct sandbox_gen_opts o = { 1, orders, 30, 0, 0 };
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

static int count_status(struct cpx_state *st, const char *status)
{
	int n = 0;
	for (size_t i = 0; i < st->nboxes; i++)
		n += str_eq(cpx_str(st->boxes[i].doc, "status"), status) && !cpx_box_gone(st, &st->boxes[i]);
	return n;
}

static void test_paging_and_limits(void **s)
{
	(void)s;
	struct cpx_state *st = make_state(300);
	const char *p = API "/v5/vendors/" V "/ordersheets";
	int want = count_status(st, "INSTRUCT"), got = 0, pages = 0;
	char q[512], tok[64] = "";
	do {
		snprintf(q, sizeof q,
			 "createdAtFrom=2026-10-21%%2B09:00&createdAtTo=2026-11-20%%2B09:00&maxPerPage=10&status=INSTRUCT%s%s",
			 *tok ? "&nextToken=" : "", tok);
		struct answer a = call(st, "GET", p, q, NULL);
		assert_int_equal(a.status, 200);
		got += cJSON_GetArraySize(json_get(a.json, "data"));
		str_copy(tok, sizeof tok, str_of(a.json, "nextToken"));
		answer_free(&a);
		pages++;
	} while (*tok && pages < 100);
	assert_int_equal(got, want);
	assert_true(pages > 1);

	struct answer a = call(st, "GET", p, "createdAtFrom=2026-10-21%2B09:00&createdAtTo=2026-11-20%2B09:00&maxPerPage=10&"
					     "status=INSTRUCT&nextToken=12345", NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	a = call(st, "GET", p, "createdAtFrom=2026-10-20%2B09:00&createdAtTo=2026-11-20%2B09:00&status=ACCEPT", NULL);
	assert_int_equal(a.status, 400);
	assert_string_equal(str_of(a.json, "message"), "endTime-startTime range should less than31.");
	answer_free(&a);
	a = call(st, "GET", p, "createdAtFrom=2026-11-20%2B09:00&createdAtTo=2026-11-20%2B09:00", NULL);
	assert_int_equal(a.status, 400); /* status is required */
	answer_free(&a);
	/* Minute mode: at most 24 hours, whole window at once. */
	a = call(st, "GET", p,
		 "searchType=timeFrame&createdAtFrom=2026-11-19T00:00%2B09:00&createdAtTo=2026-11-20T00:01%2B09:00&"
		 "status=ACCEPT", NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	a = call(st, "GET", p,
		 "searchType=timeFrame&createdAtFrom=2026-11-19T00:00%2B09:00&createdAtTo=2026-11-20T00:00%2B09:00&"
		 "status=ACCEPT", NULL);
	assert_int_equal(a.status, 200);
	assert_string_equal(str_of(a.json, "nextToken"), "");
	answer_free(&a);
	a = call(st, "GET", API "/v5/vendors/A00000001/ordersheets", "", NULL);
	assert_int_equal(a.status, 400);
	assert_string_equal(str_of(a.json, "message"), "Invalid vendor ID");
	answer_free(&a);
	a = call(st, "PATCH", API "/v4/vendors/" V "/ordersheets/acknowledgement", "", "{}");
	assert_int_equal(a.status, 405);
	answer_free(&a);
	sandbox_coupang_ops.free(st);
}

static struct cpx_box *find_box(struct cpx_state *st, bool (*pred)(struct cpx_state *, struct cpx_box *))
{
	for (size_t i = 0; i < st->nboxes; i++)
		if (pred(st, &st->boxes[i]))
			return &st->boxes[i];
	return NULL;
}

static bool accept_with_pending(struct cpx_state *st, struct cpx_box *b)
{
	return b->pending && str_eq(cpx_str(b->doc, "status"), "ACCEPT") && !cpx_box_open_cancel(st, b);
}

static bool accept_with_hold(struct cpx_state *st, struct cpx_box *b)
{
	return str_eq(cpx_str(b->doc, "status"), "ACCEPT") && !cpx_box_gone(st, b) &&
	       cpx_item_int(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"), 0),
			    "holdCountForCancel") > 0;
}

static bool instruct_free(struct cpx_state *st, struct cpx_box *b)
{
	return str_eq(cpx_str(b->doc, "status"), "INSTRUCT") && !cpx_box_gone(st, b) && !cpx_box_open_stop(st, b) &&
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems")) >= 2;
}

static bool instruct_open_stop(struct cpx_state *st, struct cpx_box *b)
{
	return str_eq(cpx_str(b->doc, "status"), "INSTRUCT") && cpx_box_open_stop(st, b);
}

static void test_ack(void **s)
{
	(void)s;
	struct cpx_state *st = make_state(300);
	struct cpx_box *pend = find_box(st, accept_with_pending), *hold = find_box(st, accept_with_hold);
	struct cpx_box *done = find_box(st, instruct_free);
	assert_non_null(pend);
	assert_non_null(hold);
	assert_non_null(done);
	char addr[256], body[512], path[256];
	str_copy(addr, sizeof addr, cpx_str(pend->pending, "addr1"));
	snprintf(body, sizeof body, "{\"vendorId\":\"" V "\",\"shipmentBoxIds\":[%" PRIu64 ",%" PRIu64 ",%" PRIu64
				    ",999]}", pend->id, hold->id, done->id);
	struct answer a = call(st, "PUT", API "/v4/vendors/" V "/ordersheets/acknowledgement", "", body);
	assert_int_equal(a.status, 200);
	const cJSON *d = json_get(a.json, "data");
	int64_t code;
	assert_int_equal(json_i64(d, "responseCode", &code), 0);
	assert_int_equal(code, 1);
	/* responseKey: a negative 64-bit number, raw. */
	assert_non_null(strstr(a.raw, "\"responseKey\":-"));
	const cJSON *l = json_get(d, "responseList");
	assert_string_equal(str_of(cJSON_GetArrayItem(l, 0), "resultCode"), "OK");
	assert_string_equal(str_of(cJSON_GetArrayItem(l, 1), "resultMessage"),
			    "배송상태를 변경할 수 없습니다. 주문내역을 확인해주세요.");
	assert_string_equal(str_of(cJSON_GetArrayItem(l, 2), "resultCode"), "INVALID_STATUS");
	assert_string_equal(str_of(cJSON_GetArrayItem(l, 3), "resultCode"), "NOT_FOUND_SHIPMENT_BOX");
	answer_free(&a);
	snprintf(path, sizeof path, API "/v5/vendors/" V "/ordersheets/%" PRIu64, pend->id);
	a = call(st, "GET", path, "", NULL);
	assert_string_equal(str_of(a.json, "data.status"), "INSTRUCT");
	assert_string_equal(str_of(a.json, "data.receiver.addr1"), addr);
	answer_free(&a);
	strcat(path, "/history");
	a = call(st, "GET", path, "", NULL);
	assert_string_equal(str_of(cJSON_GetArrayItem(json_path(a.json, "data.details"), 0), "deliveryStatus"),
			    "INSTRUCT");
	answer_free(&a);
	/* 51 ids: refused as a whole. */
	struct buf big = BUF_INIT;
	assert_int_equal(buf_puts(&big, "{\"shipmentBoxIds\":[1"), 0);
	for (int i = 0; i < 50; i++)
		assert_int_equal(buf_puts(&big, ",1"), 0);
	assert_int_equal(buf_puts(&big, "]}"), 0);
	a = call(st, "PUT", API "/v4/vendors/" V "/ordersheets/acknowledgement", "", big.data);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	buf_free(&big);
	sandbox_coupang_ops.free(st);
}

/* The state keeps ids as raw numbers, which json_id (for parsed answers) does
 * not read. */
static void vid_of(const cJSON *item, char *out, size_t n)
{
	uint64_t v = 0;
	assert_int_equal(sandbox_json_u64(json_get(item, "vendorItemId"), &v), 0);
	snprintf(out, n, "%" PRIu64, v);
}

/* One DTO per item of the box, or skip_last fewer. */
static void invoice_body(const struct cpx_box *b, const char *code, const char *inv, int skip_last, char *out, size_t n)
{
	size_t l = (size_t)snprintf(out, n, "{\"vendorId\":\"" V "\",\"orderSheetInvoiceApplyDtos\":[");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems");
	int k = cJSON_GetArraySize(items) - skip_last;
	for (int i = 0; i < k; i++) {
		char vid[32];
		vid_of(cJSON_GetArrayItem(items, i), vid, sizeof vid);
		l += (size_t)snprintf(out + l, n - l,
				      "%s{\"shipmentBoxId\":%" PRIu64 ",\"orderId\":%" PRIu64 ",\"vendorItemId\":%s,"
				      "\"deliveryCompanyCode\":\"%s\",\"invoiceNumber\":\"%s\",\"splitShipping\":false,"
				      "\"preSplitShipped\":false,\"estimatedShippingDate\":\"\"}",
				      i ? "," : "", b->id, b->order_id, vid, code, inv);
	}
	snprintf(out + l, n - l, "]}");
}

static const char *invoice_result(void *st, const struct cpx_box *b, const char *code, const char *inv, int skip,
				  bool update, char *out, size_t n)
{
	char body[4096];
	invoice_body(b, code, inv, skip, body, sizeof body);
	struct answer a = call(st, "POST", update ? API "/v4/vendors/" V "/orders/updateInvoices" :
						    API "/v4/vendors/" V "/orders/invoices", "", body);
	assert_int_equal(a.status, 200);
	str_copy(out, n, str_of(cJSON_GetArrayItem(json_path(a.json, "data.responseList"), 0), "resultCode"));
	answer_free(&a);
	return out;
}

static void test_invoices(void **s)
{
	(void)s;
	struct cpx_state *st = make_state(300);
	struct cpx_box *b = find_box(st, instruct_free), *stop = find_box(st, instruct_open_stop);
	assert_non_null(b);
	assert_non_null(stop);
	char r[64];
	assert_string_equal(invoice_result(st, b, "CJGLS", "123456789012", 1, false, r, sizeof r), "NOT_FOUND_VENDOR_ITEM");
	assert_string_equal(invoice_result(st, b, "CJGLS", "12345", 0, false, r, sizeof r), "INVALID_INVOICE_NUMBER");
	assert_string_equal(invoice_result(st, b, "LOTTE", "123456789012", 0, false, r, sizeof r),
			    "INVALID_INVOICE_NUMBER");
	assert_string_equal(invoice_result(st, b, "CJGLS", "123456789012", 0, true, r, sizeof r), "INVALID_STATUS");
	assert_string_equal(invoice_result(st, stop, "CJGLS", "223456789012", 0, false, r, sizeof r),
			    "ORDER_DELIVERY_PARTIAL_STOP_REQUESTED");
	/* An invoice already on another order (with another receiver). */
	const char *used = NULL;
	for (size_t i = 0; i < st->nboxes && !used; i++) {
		const char *inv = cpx_str(st->boxes[i].doc, "invoiceNumber");
		if (st->boxes[i].order_id != b->order_id && inv && strlen(inv) == 12)
			used = inv;
	}
	assert_non_null(used);
	char dup[32];
	str_copy(dup, sizeof dup, used);
	assert_string_equal(invoice_result(st, b, "CJGLS", dup, 0, false, r, sizeof r), "DUPLICATE_INVOICE_NUMBER");
	assert_string_equal(invoice_result(st, b, "CJGLS", "987654321098", 0, false, r, sizeof r), "OK");
	assert_string_equal(cpx_str(b->doc, "status"), "DEPARTURE");
	assert_string_equal(cpx_str(b->doc, "invoiceNumber"), "987654321098");
	assert_string_equal(b->hist[b->nhist - 1].status, "DEPARTURE");
	/* Upload twice: no longer INSTRUCT; update works from DEPARTURE. */
	assert_string_equal(invoice_result(st, b, "CJGLS", "987654321098", 0, false, r, sizeof r), "INVALID_STATUS");
	assert_string_equal(invoice_result(st, b, "HYUNDAI", "1234567890123", 0, true, r, sizeof r), "OK");
	assert_string_equal(cpx_str(b->doc, "invoiceNumber"), "1234567890123");
	sandbox_coupang_ops.free(st);
}

static struct cpx_receipt *open_receipt(struct cpx_state *st, bool on_instruct)
{
	for (size_t i = 0; i < st->nreceipts; i++) {
		struct cpx_receipt *r = &st->receipts[i];
		if (!cpx_receipt_undecided(r))
			continue;
		uint64_t box = 0;
		sandbox_json_u64(json_get(cJSON_GetArrayItem(json_get(r->doc, "returnItems"), 0), "shipmentBoxId"), &box);
		struct cpx_box *b = cpx_box_find(st, box);
		if (b && str_eq(cpx_str(b->doc, "status"), "INSTRUCT") == on_instruct)
			return r;
	}
	return NULL;
}

static void test_stop_shipment(void **s)
{
	(void)s;
	struct cpx_state *st = make_state(300);
	struct cpx_receipt *r = open_receipt(st, true);
	assert_non_null(r);
	uint64_t rid = r->id;
	int sum = cpx_item_int(r->doc, "cancelCountSum");
	char path[256], body[256];
	snprintf(path, sizeof path, API "/v4/vendors/" V "/returnRequests/%" PRIu64 "/stoppedShipment", rid);
	snprintf(body, sizeof body, "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 ",\"cancelCount\":%d}", rid,
		 sum + 1);
	struct answer a = call(st, "PUT", path, "", body);
	assert_int_equal(a.status, 400);
	assert_string_equal(str_of(a.json, "message"),
			    "[INTERNAL_SERVER_ERROR] 취소반품접수수량과 cancelCount가 일치하지 않습니다.");
	answer_free(&a);
	snprintf(body, sizeof body, "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 ",\"cancelCount\":%d}", rid, sum);
	a = call(st, "PUT", path, "", body);
	assert_int_equal(a.status, 200);
	assert_string_equal(str_of(a.json, "data.resultCode"), "SUCCESS");
	answer_free(&a);
	r = cpx_receipt_find(st, rid);
	assert_string_equal(cpx_str(r->doc, "releaseStopStatus"), "처리(출고중지)");
	assert_string_equal(cpx_str(r->doc, "completeConfirmType"), "VENDOR_CONFIRM");
	/* Decided: a second answer fails, and the request is still listed under RU. */
	a = call(st, "PUT", path, "", body);
	assert_string_equal(str_of(a.json, "data.resultCode"), "FAIL");
	answer_free(&a);
	bool listed = false;
	char tok[64] = "", q[512];
	do {
		snprintf(q, sizeof q, "cancelType=RETURN&createdAtFrom=2026-10-21&createdAtTo=2026-11-20&maxPerPage=50"
				      "&status=RU%s%s", *tok ? "&nextToken=" : "", tok);
		a = call(st, "GET", API "/v6/vendors/" V "/returnRequests", q, NULL);
		assert_int_equal(a.status, 200);
		const cJSON *e;
		cJSON_ArrayForEach(e, json_get(a.json, "data"))
		{
			char id[32];
			json_id(e, "receiptId", id, sizeof id);
			listed |= strtoull(id, NULL, 10) == rid;
		}
		str_copy(tok, sizeof tok, str_of(a.json, "nextToken"));
		answer_free(&a);
	} while (*tok);
	assert_true(listed);

	/* completedShipment on another open request: box DEPARTURE with that invoice. */
	struct cpx_receipt *r2 = open_receipt(st, true);
	assert_non_null(r2);
	uint64_t rid2 = r2->id, box = 0;
	sandbox_json_u64(json_get(cJSON_GetArrayItem(json_get(r2->doc, "returnItems"), 0), "shipmentBoxId"), &box);
	snprintf(path, sizeof path, API "/v4/vendors/" V "/returnRequests/%" PRIu64 "/completedShipment", rid2);
	snprintf(body, sizeof body,
		 "{\"vendorId\":\"" V "\",\"receiptId\":%" PRIu64 ",\"deliveryCompanyCode\":\"KDEXP\","
		 "\"invoiceNumber\":\"70432743577\"}", rid2);
	a = call(st, "PUT", path, "", body);
	assert_int_equal(a.status, 200);
	assert_string_equal(str_of(a.json, "data.resultCode"), "SUCCESS");
	answer_free(&a);
	struct cpx_box *b = cpx_box_find(st, box);
	assert_string_equal(cpx_str(b->doc, "status"), "DEPARTURE");
	assert_string_equal(cpx_str(b->doc, "invoiceNumber"), "70432743577");
	assert_string_equal(cpx_str(cpx_receipt_find(st, rid2)->doc, "releaseStopStatus"), "처리(이미출고)");
	sandbox_coupang_ops.free(st);
}

static void test_withdrawals_and_cancel(void **s)
{
	(void)s;
	struct cpx_state *st = make_state(300);
	assert_true(st->nwds > 0);
	/* Withdrawn requests are gone from returnRequests. */
	for (size_t i = 0; i < st->nwds; i++) {
		struct cpx_receipt *r = cpx_receipt_find(st, st->wds[i].cancel_id);
		assert_non_null(r);
		assert_true(r->withdrawn);
		char path[160];
		snprintf(path, sizeof path, API "/v6/vendors/" V "/returnRequests/%" PRIu64, r->id);
		struct answer a = call(st, "GET", path, "", NULL);
		assert_int_equal(a.status, 200);
		assert_int_equal(cJSON_GetArraySize(json_get(a.json, "data")), 0);
		answer_free(&a);
	}
	int total = 0;
	for (int page = 1; page < 50; page++) {
		char q[160];
		snprintf(q, sizeof q, "dateFrom=%s&dateTo=%s&pageIndex=%d&sizePerPage=1", "2026-11-14", "2026-11-20", page);
		struct answer a = call(st, "GET", API "/v4/vendors/" V "/returnWithdrawRequests", q, NULL);
		assert_int_equal(a.status, 200);
		total += cJSON_GetArraySize(json_get(a.json, "data"));
		bool more = *str_of(a.json, "nextPageIndex") != '\0';
		answer_free(&a);
		if (!more)
			break;
	}
	int want = 0;
	ob_time t0, t1;
	kst_parse_date("2026-11-14", &t0);
	kst_parse_date("2026-11-21", &t1);
	for (size_t i = 0; i < st->nwds; i++)
		want += st->wds[i].created >= t0 && st->wds[i].created < t1;
	assert_int_equal(total, want);
	struct answer a = call(st, "GET", API "/v4/vendors/" V "/returnWithdrawRequests",
			       "dateFrom=2026-11-01&dateTo=2026-11-20&sizePerPage=101", NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);

	/* Seller cancel: one good item, one unknown -> PARTIAL. */
	struct cpx_box *b = find_box(st, instruct_free);
	assert_non_null(b);
	char vid[32], path[160], body[512];
	int before = cpx_item_int(cJSON_GetArrayItem(json_get(b->doc, "orderItems"), 0), "cancelCount");
	vid_of(cJSON_GetArrayItem(json_get(b->doc, "orderItems"), 0), vid, sizeof vid);
	snprintf(path, sizeof path, API "/v5/vendors/" V "/orders/%" PRIu64 "/cancel", b->order_id);
	snprintf(body, sizeof body,
		 "{\"orderId\":%" PRIu64 ",\"vendorItemIds\":[%s,1],\"receiptCounts\":[1,1],\"bigCancelCode\":\"CANERR\","
		 "\"middleCancelCode\":\"CCTTER\",\"userId\":\"wing\",\"vendorId\":\"" V "\"}", b->order_id, vid);
	a = call(st, "POST", path, "", body);
	assert_int_equal(a.status, 200);
	assert_string_equal(str_of(a.json, "code"), "PARTIAL");
	assert_string_equal(str_of(a.json, "data.receiptMap.receiptType"), "STOP_SHIPMENT");
	assert_int_equal(cJSON_GetArraySize(json_path(a.json, "data.failedVendorItemIds")), 1);
	answer_free(&a);
	assert_int_equal(cpx_item_int(cJSON_GetArrayItem(json_get(b->doc, "orderItems"), 0), "cancelCount"), before + 1);
	sandbox_coupang_ops.free(st);
}

static void test_doc_examples(void **s)
{
	(void)s;
	const char *dir = getenv("OB_TEST_DATA");
	char file[1024];
	snprintf(file, sizeof file, "%s/coupang/doc_examples.json", dir ? dir : OB_SOURCE_DIR "/tests/data");
	struct sandbox_gen_opts o = { 1, 0, 30, 0, 0 };
	void *st = NULL;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sandbox_coupang_ops.load(file, &o, &st, &err), 0);
	struct answer a = call(st, "GET", API "/v5/vendors/" V "/ordersheets/642538971006401429", "", NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.raw, "\"shipmentBoxId\":642538971006401429,\"orderId\":22000009546234,"));
	assert_string_equal(str_of(a.json, "data.orderedAt"), "2025-01-15T14:17:13.973885-08:00");
	answer_free(&a);
	/* The documented return is listed by its own day (v4 style time) under RU. */
	a = call(st, "GET", API "/v6/vendors/" V "/returnRequests",
		 "cancelType=RETURN&createdAtFrom=2017-09-02&createdAtTo=2017-09-02&status=RU", NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.raw, "\"receiptId\":50229613,"));
	answer_free(&a);
	a = call(st, "POST", API "/v4/vendors/" V "/returnWithdrawList", "", "{\"cancelIds\":[116607450]}");
	assert_int_equal(cJSON_GetArraySize(json_get(a.json, "data")), 1);
	answer_free(&a);
	sandbox_coupang_ops.free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_signatures),
		cmocka_unit_test(test_auth_failures),
		cmocka_unit_test(test_paging_and_limits),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_invoices),
		cmocka_unit_test(test_stop_shipment),
		cmocka_unit_test(test_withdrawals_and_cancel),
		cmocka_unit_test(test_doc_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
