/* Coupang Wing Open API adapter (../shared/api/coupang.md): signed calls,
 * listing (v5 ordersheets, v6 returnRequests, withdrawals, v4 exchanges), history. The JSON
 * mapping is in coupang_map.c, the actions in coupang_act.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/coupang_int.h"
#include "market/coupang_sign.h"
#include "market/replay.h"
#include "util/config.h"
#include "util/json.h"
#include "util/log.h"
#include "util/str.h"

#define REQ(f) (1ull << (f))

static const struct config_key coupang_keys[] = {
	{ "vendor_id", true, false, "업체코드 from WING, e.g. A00012345" },
	{ "access_key", true, true, "Open API access key from WING" },
	{ "secret_key", true, true, "Open API secret key from WING" },
	{ "wing_user", false, false, "WING login id, needed to cancel orders (sent as userId)" },
	{ NULL, false, false, NULL },
};

#define DAYS(n) ((ob_time)(n) * OB_DAY)
#define ORD (1u << SHEET_ORDERS)
#define CLM (1u << SHEET_CLAIMS)

/* Day-paging mode: windows of whole KST days, at most 31 days
 * ("endTime-startTime range should less than31"). */
static const struct market_query coupang_queries[] = {
	{ "ordersheets:ACCEPT", ORD, 1u << OS_PAID, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:INSTRUCT", ORD, 1u << OS_PREPARING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:DEPARTURE", ORD, 1u << OS_SHIPPING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:DELIVERING", ORD, 1u << OS_SHIPPING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:NONE_TRACKING", ORD, 1u << OS_SHIPPING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:FINAL_DELIVERY", ORD, 1u << OS_DELIVERED, DAYS(31), OB_DAY, 0, false },
	{ "returnRequests:CANCEL", CLM, 0, DAYS(31), OB_DAY, 0, false },
	{ "returnRequests:RU", CLM, 0, DAYS(31), OB_DAY, 0, false },
	/* Returns: 반품접수 and 입고완료 (UC, which repeats the stop requests of RU:
	 * the same receipt maps to the same rows, and the export keeps one),
	 * 반품완료 (CC), 쿠팡확인요청 (PR). */
	{ "returnRequests:UC", CLM, 0, DAYS(31), OB_DAY, 0, false },
	{ "returnRequests:CC", CLM, 0, DAYS(31), OB_DAY, 0, false },
	{ "returnRequests:PR", CLM, 0, DAYS(31), OB_DAY, 0, false },
	/* Exchanges: at most 7 days a query (coupang.md §11.4). */
	{ "exchangeRequests", CLM, 0, DAYS(7), OB_DAY, 0, false },
	{ "returnWithdrawRequests", CLM, 0, DAYS(7), OB_DAY, 0, false },
};

static const struct action_spec coupang_actions[] = {
	{ ACT_ACK, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 50, 0, false, CT_NONE },
	{ ACT_SHIP, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 50, REQ(F_COURIER) | REQ(F_INVOICE_NO), false, CT_NONE },
	{ ACT_DELAY, SHEET_ORDERS, false,
	  "Coupang has no delay call; change the estimated shipping date in WING", UNIT_LINE, 0,
	  REQ(F_DELAY_UNTIL) | REQ(F_REASON), false, CT_NONE },
	{ ACT_CANCEL, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 1, REQ(F_REASON), false, CT_NONE },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, 0, false, CT_NONE },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, REQ(F_COURIER) | REQ(F_INVOICE_NO), false, CT_NONE },
	/* Returns: APPROVE = receiveConfirmation (while 반품접수) then approval. */
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, 0, true, CT_RETURN },
	{ ACT_REJECT, SHEET_CLAIMS, false,
	  "Coupang has no call to reject a return: if the goods came back used, damaged or not at all, ask Coupang "
	  "to check it (쿠팡확인요청) in WING > 반품관리 or call Coupang seller CS",
	  UNIT_CLAIM, 0, 0, false, CT_RETURN },
	{ ACT_HOLD, SHEET_CLAIMS, false,
	  "Coupang has no hold (보류) call for returns, and approves returns left undecided by itself after a "
	  "while: to stop that, ask Coupang to check it (쿠팡확인요청) in WING > 반품관리",
	  UNIT_CLAIM, 0, 0, false, CT_RETURN },
	{ ACT_PICKUP, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, REQ(F_PICKUP_COURIER) | REQ(F_PICKUP_INVOICE_NO), true,
	  CT_RETURN },
	/* Exchanges: found again through the list by order (no single read). */
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, REQ(F_ORDER_NO), true, CT_EXCHANGE },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, REQ(F_ORDER_NO) | REQ(F_SELLER_REASON), true,
	  CT_EXCHANGE },
	{ ACT_RESHIP, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, REQ(F_ORDER_NO) | REQ(F_COURIER) | REQ(F_INVOICE_NO),
	  true, CT_EXCHANGE },
	{ ACT_PICKUP, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1,
	  REQ(F_ORDER_NO) | REQ(F_PICKUP_COURIER) | REQ(F_PICKUP_INVOICE_NO), true, CT_EXCHANGE },
	{ ACT_HOLD, SHEET_CLAIMS, false,
	  "Coupang has no hold (보류) call for exchanges: leave the action blank until you decide, or REJECT it "
	  "(seller_reason 품절 or 고객 철회)",
	  UNIT_CLAIM, 0, 0, false, CT_EXCHANGE },
	{ ACT_NONE, 0, false, NULL, 0, 0, 0, false, CT_NONE },
};

static int coupang_sign_cb(void *ctx, const char *method, const char *url, struct buf *auth,
			   struct ob_err *err)
{
	struct coupang *cp = ctx;
	/* What follows base_url is exactly what the real API receives and signs. */
	const char *rest = strlen(url) >= cp->base_len ? url + cp->base_len : url;
	const char *q = strchr(rest, '?');
	char path[1024];
	size_t plen = q ? (size_t)(q - rest) : strlen(rest);
	if (plen >= sizeof path)
		return ob_errf(err, OB_EIO, "request path too long");
	memcpy(path, rest, plen);
	path[plen] = '\0';
	struct buf val = BUF_INIT;
	int rc = coupang_sign(method, path, q ? q + 1 : "", cp->access_key, cp->secret_key, kst_now(), &val, err);
	if (rc == OB_OK && (buf_puts(auth, "Authorization: ") < 0 || buf_append(auth, val.data, val.len) < 0 ||
			    buf_putc(auth, '\n') < 0))
		rc = ob_err_nomem(err);
	buf_free(&val);
	return rc;
}

static void message_of(const cJSON *root, char *out, size_t n)
{
	const char *m = json_str(root, "message");
	if (!m)
		m = json_str(json_get(root, "data"), "message");
	str_copy(out, n, m ? m : "");
}

int coupang_call(struct coupang *cp, struct http_client *c, const char *method, const char *path,
		 const char *query, const cJSON *body, bool idempotent, cJSON **data_out,
		 long *resp_status, bool *outcome_unknown, struct ob_err *err)
{
	struct buf url = BUF_INIT;
	char *body_text = NULL;
	struct http_response resp;
	http_response_init(&resp);
	if (data_out)
		*data_out = NULL;
	if (resp_status)
		*resp_status = 0;
	if (outcome_unknown)
		*outcome_unknown = false;
	int rc = OB_OK;
	if (market_url(&cp->base, &url, path) < 0 || (query && *query && (buf_putc(&url, '?') < 0 ||
									  buf_puts(&url, query) < 0))) {
		rc = ob_err_nomem(err);
		goto out;
	}
	if (body && !(body_text = json_print(body))) {
		rc = ob_err_nomem(err);
		goto out;
	}
	char requested_by[96];
	snprintf(requested_by, sizeof requested_by, "X-Requested-By: %s", cp->vendor_id);
	const char *headers[] = {
		"Content-Type: application/json;charset=UTF-8",
		"Accept: application/json",
		requested_by,
		/* Big list calls take longer than the gateway's 3 s default (504). */
		"X-EXTENDED-TIMEOUT: 90000",
		NULL,
	};
	struct http_request req = {
		.method = method,
		.url = url.data,
		.headers = headers,
		.body = body_text,
		.body_len = body_text ? strlen(body_text) : 0,
		.idempotent = idempotent,
		.sign = coupang_sign_cb,
		.sign_ctx = cp,
		.limit = &cp->base.limit,
		.who = cp->base.who,
		.timeout_ms = cp->timeout_ms,
	};
	rc = http_send(c, &req, &resp, err);
	if (outcome_unknown)
		*outcome_unknown = resp.outcome_unknown;
	if (rc != OB_OK)
		goto out;
	if (resp_status)
		*resp_status = resp.status;
	struct ob_err perr = OB_ERR_INIT;
	cJSON *root = json_parse(resp.body.data ? resp.body.data : "", resp.body.len, &perr);
	if (resp.status == 200) {
		if (!root) {
			rc = ob_errf(err, OB_ENET, "%s: %s %s: %s", cp->base.who, method, path, perr.msg);
			goto out;
		}
		if (data_out)
			*data_out = root;
		else
			cJSON_Delete(root);
		goto out;
	}
	char msg[512];
	message_of(root, msg, sizeof msg);
	if (!*msg && resp.body.len)
		snprintf(msg, sizeof msg, "%.200s", resp.body.data);
	cJSON_Delete(root);
	switch (resp.status) {
	case 401:
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: Coupang refused the signature (HTTP 401: %s); check access_key and secret_key in "
			     "the config and that this machine's clock is right",
			     cp->base.who, msg);
		break;
	case 403:
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: Coupang refused this machine (HTTP 403: %s); register its IP address for the "
			     "Open API keys in WING, or wait if calls were blocked after many errors",
			     cp->base.who, msg);
		break;
	case 302:
		rc = ob_errf(err, OB_ENET, "%s: Coupang blocked this IP or vendor for too many calls (HTTP 302)",
			     cp->base.who);
		break;
	case 404:
		rc = ob_errf(err, OB_EUSAGE, "%s: HTTP 404 for %s: check vendor_id (%s) in the config (%s)",
			     cp->base.who, path, cp->vendor_id, msg);
		break;
	default:
		rc = ob_errf(err, resp.status >= 400 && resp.status < 500 ? OB_EROWS : OB_ENET,
			     "%s: HTTP %ld: %s", cp->base.who, resp.status, *msg ? msg : "(no message)");
		break;
	}
out:
	http_response_free(&resp);
	free(body_text);
	buf_free(&url);
	return rc;
}

static int coupang_open(const struct account *acct, struct http_pool *pool, struct market **out,
			struct ob_err *err)
{
	(void)pool;
	struct coupang *cp = calloc(1, sizeof *cp);
	if (!cp)
		return ob_err_nomem(err);
	market_base_init(&cp->base, acct->ops, acct);
	cp->vendor_id = account_get(acct, "vendor_id");
	cp->access_key = account_get(acct, "access_key");
	cp->secret_key = account_get(acct, "secret_key");
	cp->wing_user = account_get(acct, "wing_user");
	cp->base_len = strlen(acct->base_url);
	cp->timeout_ms = acct->timeout_ms;
	*out = (struct market *)cp;
	return OB_OK;
}

static void coupang_close(struct market *m)
{
	struct coupang *cp = (struct coupang *)m;
	market_base_destroy(&cp->base);
	free(cp);
}

static void day_text(ob_time t, char *out, size_t n)
{
	kst_strftime(out, n, "%Y-%m-%d", t);
}

/* Follows nextToken pages of a list; calls each_row for every data[] element. */
typedef int (*row_fn)(struct coupang *cp, struct http_client *c, const cJSON *row, struct record_sink *sink,
		      struct record *scratch, struct ob_err *err);

static int list_pages(struct coupang *cp, struct http_client *c, const char *path, const char *base_query,
		      row_fn each, struct record_sink *sink, struct ob_err *err)
{
	struct buf q = BUF_INIT;
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	char token[256] = "";
	int rc = OB_OK;
	for (int page = 0; page < 100000; page++) {
		buf_reset(&q);
		if (buf_puts(&q, base_query) < 0 || (*token && (buf_puts(&q, "&nextToken=") < 0 ||
								 buf_put_urlenc(&q, token) < 0))) {
			rc = ob_err_nomem(err);
			break;
		}
		cJSON *root = NULL;
		rc = coupang_call(cp, c, "GET", path, q.data, NULL, true, &root, NULL, NULL, err);
		if (rc != OB_OK) {
			if (rc == OB_EROWS)
				err->code = rc = OB_ENET;
			break;
		}
		const cJSON *data = json_get(root, "data");
		const cJSON *row;
		cJSON_ArrayForEach(row, data)
		{
			rc = each(cp, c, row, sink, &scratch, err);
			if (rc != OB_OK)
				break;
		}
		const char *next = json_str(root, "nextToken");
		char tok[256] = "";
		if (!next) {
			/* Some lists send the token as a number. */
			json_id(root, "nextToken", tok, sizeof tok);
			next = tok;
		}
		int more = rc == OB_OK && next && *next;
		if (more && strcmp(next, token) == 0) {
			rc = ob_errf(err, OB_ENET, "%s: %s returned the same nextToken twice", cp->base.who, path);
			more = 0;
		}
		if (more)
			str_copy(token, sizeof token, next);
		cJSON_Delete(root);
		if (!more)
			break;
	}
	record_free(&scratch);
	buf_free(&q);
	return rc;
}

static int each_ordersheet(struct coupang *cp, struct http_client *c, const cJSON *row, struct record_sink *sink,
			   struct record *scratch, struct ob_err *err)
{
	(void)c;
	return coupang_map_ordersheet(cp, row, sink, scratch, err);
}

static int each_return(struct coupang *cp, struct http_client *c, const cJSON *row, struct record_sink *sink,
		       struct record *scratch, struct ob_err *err)
{
	(void)c;
	return coupang_map_return_request(cp, row, sink, scratch, err);
}

static int each_exchange(struct coupang *cp, struct http_client *c, const cJSON *row, struct record_sink *sink,
			 struct record *scratch, struct ob_err *err)
{
	(void)c;
	return coupang_map_exchange(cp, row, sink, scratch, err);
}

/* Withdrawals name only the order and items; the order sheet gives the rest. */
static int each_withdrawal(struct coupang *cp, struct http_client *c, const cJSON *row, struct record_sink *sink,
			   struct record *r, struct ob_err *err)
{
	char order_id[64], cancel_id[64], path[256];
	json_id(row, "orderId", order_id, sizeof order_id);
	json_id(row, "cancelId", cancel_id, sizeof cancel_id);
	if (!str_is_digits(order_id))
		return ob_errf(err, OB_ENET, "%s: a withdrawal without a numeric orderId", cp->base.who);
	snprintf(path, sizeof path, COUPANG_API "/v5/vendors/%s/%s/ordersheets", cp->vendor_id, order_id);
	cJSON *root = NULL;
	struct ob_err e2 = OB_ERR_INIT;
	int orc = coupang_call(cp, c, "GET", path, NULL, NULL, true, &root, NULL, NULL, &e2);
	if (orc != OB_OK && orc != OB_EROWS) {
		*err = e2;
		return orc;
	}
	const cJSON *sheets = json_get(root, "data");
	const cJSON *item_ids = json_get(row, "vendorItemIds");
	const cJSON *vid;
	int rc = OB_OK;
	cJSON_ArrayForEach(vid, item_ids)
	{
		char line[64];
		json_value_id(vid, line, sizeof line);
		record_clear(r);
		r->sheet = SHEET_CLAIMS;
		int s = 0;
		s |= record_set(r, F_MARKET, "coupang");
		s |= record_set(r, F_ACCOUNT, cp->base.acct->name);
		s |= record_set(r, F_CLAIM_ID, cancel_id);
		s |= record_set(r, F_CLAIM_TYPE, claim_type_word(CT_CANCEL));
		s |= record_set(r, F_CLAIM_STATUS, claim_status_word(CS_WITHDRAWN));
		s |= record_set(r, F_MARKET_STATUS, "WITHDRAWN");
		s |= record_set(r, F_ORDER_NO, order_id);
		s |= record_set(r, F_LINE_NO, line);
		char when[KST_TEXT_LEN];
		const char *created = json_str(row, "createdAt");
		if (created && kst_normalize(created, when) == 0)
			s |= record_set(r, F_REQUESTED_AT, when);
		s |= record_set(r, F_REASON, "구매자 철회");
		/* v5 by-orderId answers with one sheet or an array of them. */
		const cJSON *sheet;
		const cJSON *one = cJSON_IsObject(sheets) ? sheets : NULL;
		for (int k = 0;; k++) {
			sheet = one ? (k == 0 ? one : NULL) : cJSON_GetArrayItem(sheets, k);
			if (!sheet)
				break;
			const cJSON *it;
			cJSON_ArrayForEach(it, json_get(sheet, "orderItems"))
			{
				char v[64];
				json_id(it, "vendorItemId", v, sizeof v);
				if (strcmp(v, line) != 0)
					continue;
				char box[64];
				json_id(sheet, "shipmentBoxId", box, sizeof box);
				s |= record_set(r, F_BUNDLE_NO, box);
				const char *pn = json_str(it, "sellerProductName");
				s |= record_set(r, F_PRODUCT_NAME, pn ? pn : json_str(it, "vendorItemName"));
				s |= record_set(r, F_OPTION_NAME, json_str(it, "vendorItemName"));
				int64_t q;
				if (json_i64(it, "shippingCount", &q) == 0) {
					s |= record_set_i64(r, F_QTY, q);
					s |= record_set_i64(r, F_REMAINING_QTY, q);
				}
			}
		}
		if (s) {
			rc = ob_err_nomem(err);
			break;
		}
		rc = sink->put(sink, r, err);
		if (rc != OB_OK)
			break;
	}
	cJSON_Delete(root);
	return rc;
}

static int coupang_fetch_window(struct market *m, struct http_client *c, const struct market_query *q,
				ob_time from, ob_time to, struct record_sink *sink, struct ob_err *err)
{
	struct coupang *cp = (struct coupang *)m;
	char d0[16], d1[16], path[256], query[512];
	day_text(from, d0, sizeof d0);
	day_text(to - 1, d1, sizeof d1); /* both ends inclusive */
	if (str_starts(q->name, "ordersheets:")) {
		snprintf(path, sizeof path, COUPANG_API "/v5/vendors/%s/ordersheets", cp->vendor_id);
		/* The query is signed exactly as sent: "+09:00" goes out as "%2B09:00". */
		snprintf(query, sizeof query, "createdAtFrom=%s%%2B09:00&createdAtTo=%s%%2B09:00&maxPerPage=50&status=%s",
			 d0, d1, q->name + strlen("ordersheets:"));
		return list_pages(cp, c, path, query, each_ordersheet, sink, err);
	}
	if (strcmp(q->name, "returnRequests:CANCEL") == 0) {
		/* Cancelled while ACCEPT: cancelType=CANCEL without status. */
		snprintf(path, sizeof path, COUPANG_API "/v6/vendors/%s/returnRequests", cp->vendor_id);
		snprintf(query, sizeof query, "cancelType=CANCEL&createdAtFrom=%s&createdAtTo=%s&maxPerPage=50", d0, d1);
		return list_pages(cp, c, path, query, each_return, sink, err);
	}
	if (str_starts(q->name, "returnRequests:")) {
		snprintf(path, sizeof path, COUPANG_API "/v6/vendors/%s/returnRequests", cp->vendor_id);
		snprintf(query, sizeof query, "cancelType=RETURN&createdAtFrom=%s&createdAtTo=%s&maxPerPage=50&status=%s",
			 d0, d1, q->name + strlen("returnRequests:"));
		return list_pages(cp, c, path, query, each_return, sink, err);
	}
	if (strcmp(q->name, "exchangeRequests") == 0) {
		/* Seconds, both ends inclusive; maxPerPage left at its default (10):
		 * the documented limit is not known. */
		snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/exchangeRequests", cp->vendor_id);
		snprintf(query, sizeof query, "createdAtFrom=%sT00:00:00&createdAtTo=%sT23:59:59", d0, d1);
		return list_pages(cp, c, path, query, each_exchange, sink, err);
	}
	if (strcmp(q->name, "returnWithdrawRequests") == 0) {
		snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/returnWithdrawRequests", cp->vendor_id);
		struct record scratch;
		record_init(&scratch, SHEET_CLAIMS);
		int rc = OB_OK;
		for (int page = 1; page < 100000; page++) {
			snprintf(query, sizeof query, "dateFrom=%s&dateTo=%s&pageIndex=%d&sizePerPage=100", d0, d1, page);
			cJSON *root = NULL;
			rc = coupang_call(cp, c, "GET", path, query, NULL, true, &root, NULL, NULL, err);
			if (rc != OB_OK) {
				if (rc == OB_EROWS)
					err->code = rc = OB_ENET;
				break;
			}
			const cJSON *row;
			cJSON_ArrayForEach(row, json_get(root, "data"))
			{
				rc = each_withdrawal(cp, c, row, sink, &scratch, err);
				if (rc != OB_OK)
					break;
			}
			char next[32] = "";
			const char *ns = json_str(root, "nextPageIndex");
			if (ns)
				str_copy(next, sizeof next, ns);
			else
				json_id(root, "nextPageIndex", next, sizeof next);
			cJSON_Delete(root);
			if (rc != OB_OK || !*next)
				break;
			int64_t np;
			if (str_to_i64(next, &np) < 0 || np <= page) {
				rc = ob_errf(err, OB_ENET, "%s: returnWithdrawRequests gave nextPageIndex '%s' after page %d",
					     cp->base.who, next, page);
				break;
			}
			page = (int)np - 1;
		}
		record_free(&scratch);
		return rc;
	}
	return ob_errf(err, OB_EIO, "coupang: unknown query %s", q->name);
}

static int coupang_history(struct market *m, struct http_client *c, const struct record *line, struct buf *out,
			   struct ob_err *err)
{
	struct coupang *cp = (struct coupang *)m;
	const char *box = record_get(line, F_BUNDLE_NO);
	if (!str_is_digits(box))
		return ob_errf(err, OB_EUSAGE, "%s: the line has no shipmentBoxId (bundle_no) to ask Coupang about",
			       cp->base.who);
	char path[256];
	snprintf(path, sizeof path, COUPANG_API "/v5/vendors/%s/ordersheets/%s/history", cp->vendor_id, box);
	cJSON *root = NULL;
	int rc = coupang_call(cp, c, "GET", path, NULL, NULL, true, &root, NULL, NULL, err);
	if (rc != OB_OK)
		return rc;
	const cJSON *d;
	cJSON_ArrayForEach(d, json_get(json_get(root, "data"), "details"))
	{
		char when[KST_TEXT_LEN] = "";
		const char *u = json_str(d, "updatedAt");
		if (u)
			kst_normalize(u, when);
		const char *st = json_str(d, "deliveryStatus"), *desc = json_str(d, "deliveryStatusDesc");
		if (buf_printf(out, "%s\t%s\t%s\n", when, st ? st : "", desc ? desc : "") < 0) {
			rc = ob_err_nomem(err);
			break;
		}
	}
	cJSON_Delete(root);
	return rc;
}

static int coupang_check(struct market *m, struct http_client *c, struct ob_err *err)
{
	struct coupang *cp = (struct coupang *)m;
	char path[256], query[256], d[16];
	day_text(kst_now(), d, sizeof d);
	snprintf(path, sizeof path, COUPANG_API "/v5/vendors/%s/ordersheets", cp->vendor_id);
	snprintf(query, sizeof query, "createdAtFrom=%s%%2B09:00&createdAtTo=%s%%2B09:00&maxPerPage=1&status=ACCEPT", d, d);
	int rc = coupang_call(cp, c, "GET", path, query, NULL, true, NULL, NULL, NULL, err);
	return rc == OB_EROWS ? (err->code = OB_ENET) : rc;
}

/* A recorded answer of the ordersheets list: its "data" mapped as a fetched
 * page's is. */
static int replay_one(const void *m, const cJSON *el, struct record_sink *sink, struct record *scratch,
		      struct ob_err *err)
{
	return coupang_map_ordersheet(m, el, sink, scratch, err);
}

static int coupang_replay(const struct account *acct, const char *name, const char *body, size_t len,
			  struct record_sink *sink, struct ob_err *err)
{
	(void)name;
	struct coupang cp;
	memset(&cp, 0, sizeof cp);
	market_base_init(&cp.base, acct->ops, acct);
	int rc = replay_json_data(body, len, "Coupang's ordersheets list", replay_one, &cp, sink, err);
	market_base_destroy(&cp.base);
	return rc;
}

const struct market_ops coupang_ops = {
	.name = "coupang",
	.label_ko = "쿠팡",
	.default_base_url = "https://api-gateway.coupang.com",
	.config_keys = coupang_keys,
	/* Coupang throttles vendors calling 10 or more requests a second. */
	.default_rate = 5.0,
	.open = coupang_open,
	.close = coupang_close,
	.queries = coupang_queries,
	.nqueries = sizeof coupang_queries / sizeof coupang_queries[0],
	.fetch_window = coupang_fetch_window,
	.actions = coupang_actions,
	.perform = coupang_perform,
	.history = coupang_history,
	.check = coupang_check,
	.replay = coupang_replay,
};
