/* The Naver Commerce API as the sandbox serves it (../shared/api/smartstore.md
 * Part B): the OAuth2 token with its bcrypt signature check (5-minute
 * timestamp, type=SELF, tokens that expire), the gateway's 401 GW.AUTHN and
 * 429 GW.RATE_LIMIT answers with GNCP-GW-* headers, the change feed
 * (≤ 24 h, ≤ 300 a page, more.moreFrom/moreSequence over same-time ties),
 * product-orders/query (≤ 300 ids), confirm and dispatch (≤ 30 with per-id
 * failures inside HTTP 200), delay, seller cancel and cancel approval, and
 * the return (approve, reject, holdback, release) and exchange (collect
 * approve, re-dispatch, reject, holdback, release) calls. The data, the feed
 * and the setters live in smartstore_data.c. */
#include "sandbox/smartstore.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "market/smartstore_sign.h"
#include "sandbox/smartstore_state.h"
#include "util/json.h"
#include "util/str.h"


#define PREFIX "/external"
#define ORDERS PREFIX "/v1/pay-order/seller/product-orders"
#define FEED_MAX 300
#define QUERY_MAX 300
#define ACT_MAX 30

/* --- answers --- */

static void trace_id(const struct sandbox_request *req, char *out, size_t n)
{
	snprintf(out, n, "sandbox-%016" PRIx64, (uint64_t)(req->seq * UINT64_C(0x9E3779B97F4A7C15)));
}

/* GNCP-GW headers on every answer: the trace id and the bucket (B4). */
static int gw_headers(const struct sandbox_request *req, struct sandbox_response *resp)
{
	char t[48];
	trace_id(req, t, sizeof t);
	if (buf_printf(&resp->headers, "GNCP-GW-Trace-ID: %s\n", t) < 0)
		return -1;
	if (req->rate > 0) {
		/* Whole requests left; a part of a token is no request. */
		double left = req->tokens_left < 1 ? 0 : (double)(long)req->tokens_left;
		if (buf_printf(&resp->headers,
			       "GNCP-GW-RateLimit-Replenish-Rate: %.0f\nGNCP-GW-RateLimit-Burst-Capacity: %.0f\n"
			       "GNCP-GW-RateLimit-Remaining: %.0f\n",
			       req->rate, req->burst, left) < 0)
			return -1;
	}
	return 0;
}

/* {"code","message","timestamp","traceId"[,"invalidInputs"]} (B3). */
static int error_answer(const struct sandbox_request *req, struct sandbox_response *resp, int status,
			const char *code, const char *input, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int error_answer(const struct sandbox_request *req, struct sandbox_response *resp, int status,
			const char *code, const char *input, const char *fmt, ...)
{
	char msg[512], t[48];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	ssx_js(o, "code", code, &ok);
	ssx_js(o, "message", msg, &ok);
	ssx_jtime(o, "timestamp", req->now, 0, &ok);
	trace_id(req, t, sizeof t);
	ssx_js(o, "traceId", t, &ok);
	if (input) {
		cJSON *arr = cJSON_CreateArray(), *in = cJSON_CreateObject();
		ssx_jadd(o, "invalidInputs", arr, &ok);
		ssx_jpush(arr, in, &ok);
		ssx_js(in, "name", input, &ok);
		ssx_js(in, "type", "Invalid", &ok);
		ssx_js(in, "message", msg, &ok);
	}
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	if (gw_headers(req, resp) < 0) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, status, o);
}

static int bad_input(const struct sandbox_request *req, struct sandbox_response *resp, const char *input,
		     const char *msg)
{
	return error_answer(req, resp, 400, "4000", input, "%s", msg);
}

/* {"timestamp","traceId","data":data} */
static int data_answer(const struct sandbox_request *req, struct sandbox_response *resp, cJSON *data)
{
	char t[48];
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	ssx_jtime(o, "timestamp", req->now, 0, &ok);
	trace_id(req, t, sizeof t);
	ssx_js(o, "traceId", t, &ok);
	ssx_jadd(o, "data", data, &ok); /* consumes data, also on failure */
	if (!ok || gw_headers(req, resp) < 0) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, 200, o);
}

/* --- the processing envelope (B3) --- */

struct envelope {
	cJSON *data, *ok_ids, *fails;
	bool ok;
	bool infos; /* confirm: successProductOrderInfos instead of ids */
};

static void env_init(struct envelope *e, bool infos)
{
	e->ok = true;
	e->infos = infos;
	e->data = cJSON_CreateObject();
	e->ok_ids = cJSON_CreateArray();
	e->fails = cJSON_CreateArray();
	if (!e->data || !e->ok_ids || !e->fails) {
		cJSON_Delete(e->data);
		cJSON_Delete(e->ok_ids);
		cJSON_Delete(e->fails);
		e->data = e->ok_ids = e->fails = NULL;
		e->ok = false;
		return;
	}
	ssx_jadd(e->data, infos ? "successProductOrderInfos" : "successProductOrderIds", e->ok_ids, &e->ok);
	ssx_jadd(e->data, "failProductOrderInfos", e->fails, &e->ok);
}

static void env_success(struct envelope *e, const char *id, bool addr_changed)
{
	if (!e->infos) {
		ssx_jpush(e->ok_ids, e->ok ? cJSON_CreateString(id) : NULL, &e->ok);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	ssx_jpush(e->ok_ids, o, &e->ok);
	ssx_js(o, "productOrderId", id, &e->ok);
	ssx_jb(o, "isReceiverAddressChanged", addr_changed, &e->ok);
}

static void env_fail(struct envelope *e, const char *id, const char *code, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	ssx_jpush(e->fails, o, &e->ok);
	ssx_js(o, "productOrderId", id, &e->ok);
	ssx_js(o, "code", code, &e->ok);
	ssx_js(o, "message", msg, &e->ok);
}

static int env_answer(const struct sandbox_request *req, struct sandbox_response *resp, struct envelope *e)
{
	if (!e->ok) {
		cJSON_Delete(e->data);
		return -1;
	}
	return data_answer(req, resp, e->data);
}

/* --- auth --- */

static void drop_expired(struct ssx_state *st, ob_time now)
{
	size_t w = 0;
	for (size_t i = 0; i < st->ntoks; i++)
		if (st->toks[i].expires > now)
			st->toks[w++] = st->toks[i];
	st->ntoks = w;
}

static int h_token(struct ssx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	const char *ct = sandbox_header(req, "Content-Type");
	if (!ct || !str_starts(ct, "application/x-www-form-urlencoded"))
		return bad_input(req, resp, NULL, "Content-Type은 application/x-www-form-urlencoded 이어야 합니다.");
	char client_id[128], ts[32], grant[64], sign[256], type[32], account[64];
	/* The form body has the shape of a query string. */
	if (sandbox_query_get(req->body, "client_id", client_id, sizeof client_id) != 1 || !*client_id)
		return bad_input(req, resp, "client_id", "client_id는 필수입니다.");
	if (sandbox_query_get(req->body, "timestamp", ts, sizeof ts) != 1 || !str_is_digits(ts) || strlen(ts) > 15)
		return bad_input(req, resp, "timestamp", "timestamp는 밀리초 단위 Unix 시간이어야 합니다.");
	if (sandbox_query_get(req->body, "grant_type", grant, sizeof grant) != 1 ||
	    strcmp(grant, "client_credentials") != 0)
		return bad_input(req, resp, "grant_type", "grant_type은 client_credentials 이어야 합니다.");
	if (sandbox_query_get(req->body, "client_secret_sign", sign, sizeof sign) != 1 || !*sign)
		return bad_input(req, resp, "client_secret_sign", "client_secret_sign은 필수입니다.");
	if (sandbox_query_get(req->body, "type", type, sizeof type) != 1 ||
	    (strcmp(type, "SELF") != 0 && strcmp(type, "SELLER") != 0))
		return bad_input(req, resp, "type", "type은 SELF 또는 SELLER 이어야 합니다.");
	if (strcmp(type, "SELLER") == 0 &&
	    (sandbox_query_get(req->body, "account_id", account, sizeof account) != 1 || !*account))
		return bad_input(req, resp, "account_id", "type=SELLER 에는 account_id가 필요합니다.");
	if (strcmp(type, "SELF") != 0)
		return error_answer(req, resp, 403, "GW.AUTHZ", NULL, "이 애플리케이션은 다른 판매자의 리소스에 접근할 수 없습니다.");
	if (strcmp(client_id, SANDBOX_SMARTSTORE_CLIENT_ID) != 0)
		return error_answer(req, resp, 401, "GW.AUTHN", "client_id", "등록되지 않은 client_id 입니다.");
	int64_t t = strtoll(ts, NULL, 10);
	int64_t skew = t - (int64_t)req->auth_now * 1000;
	if (skew > SANDBOX_SMARTSTORE_SKEW_MS || skew < -SANDBOX_SMARTSTORE_SKEW_MS)
		return error_answer(req, resp, 400, "4000", "timestamp",
				    "timestamp가 유효하지 않습니다 (5분간 유효, 서버 시각과 %" PRId64 " ms 차이).", skew);
	/* The client's own signing function: its output is pinned by Naver's
	 * official test vector (tests/unit/test_smartstore_sign.c). */
	char want[SMARTSTORE_SIGN_LEN];
	struct ob_err serr = OB_ERR_INIT;
	if (smartstore_sign(client_id, SANDBOX_SMARTSTORE_CLIENT_SECRET, t, want, &serr) != OB_OK)
		return -1;
	/* Compared without an early exit, as a real verifier would. */
	size_t wl = strlen(want), sl = strlen(sign);
	unsigned diff = wl != sl;
	for (size_t i = 0; i < wl && i < sl; i++)
		diff |= (unsigned)(want[i] ^ sign[i]);
	if (diff)
		return error_answer(req, resp, 401, "GW.AUTHN", "client_secret_sign", "client_secret_sign이 올바르지 않습니다.");
	drop_expired(st, req->auth_now);
	/* One token per resource: the same token again while 30 min or more
	 * are left, else a new one (the old one stays valid, B2). */
	struct ssx_token *tok = NULL;
	for (size_t i = 0; i < st->ntoks; i++)
		if (st->toks[i].expires - req->auth_now >= 1800 && (!tok || st->toks[i].expires > tok->expires))
			tok = &st->toks[i];
	if (!tok) {
		if (st->ntoks == st->captoks) {
			size_t cap = st->captoks ? st->captoks * 2 : 8;
			struct ssx_token *p = realloc(st->toks, cap * sizeof *p);
			if (!p)
				return -1;
			st->toks = p;
			st->captoks = cap;
		}
		tok = &st->toks[st->ntoks++];
		st->tokens_issued++;
		snprintf(tok->value, sizeof tok->value, "sbx%" PRIx64 "x%016" PRIx64, st->tokens_issued,
			 (uint64_t)(req->seq * UINT64_C(0xD1B54A32D192ED03)) ^ st->opts.seed);
		tok->expires = req->auth_now + st->token_ttl;
	}
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	ssx_js(o, "access_token", tok->value, &ok);
	ssx_jn(o, "expires_in", (double)(tok->expires - req->auth_now), &ok);
	ssx_js(o, "token_type", "Bearer", &ok);
	if (!ok || gw_headers(req, resp) < 0) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, 200, o);
}

/* The bearer token is one the sandbox issued and it has not expired. */
static bool authorized(struct ssx_state *st, const struct sandbox_request *req)
{
	if (st->expire_after > 0 && --st->expire_after == 0) {
		st->ntoks = 0;
		st->expire_after = -1;
	}
	const char *h = sandbox_header(req, "Authorization");
	if (!h || strncmp(h, "Bearer ", 7) != 0)
		return false;
	drop_expired(st, req->auth_now);
	for (size_t i = 0; i < st->ntoks; i++)
		if (strcmp(st->toks[i].value, h + 7) == 0)
			return true;
	return false;
}

/* --- the change feed (B6) --- */

static int parse_ids_body(const struct sandbox_request *req, const char *key, cJSON **root, const cJSON **arr)
{
	*root = sandbox_json_parse(req->body, req->body_len);
	*arr = json_get(*root, key);
	return cJSON_IsArray(*arr) ? 0 : -1;
}

static int h_feed(struct ssx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	char from_s[64], to_s[64], seq_s[32], type[48], lim[16];
	ob_time from, to;
	int from_ms, to_ms;
	if (sandbox_query_get(req->query, "lastChangedFrom", from_s, sizeof from_s) != 1)
		return bad_input(req, resp, "lastChangedFrom", "lastChangedFrom은 필수입니다.");
	if (ssx_time_parse(from_s, &from, &from_ms) < 0)
		return bad_input(req, resp, "lastChangedFrom",
				 "날짜 형식이 올바르지 않습니다 (yyyy-MM-dd'T'HH:mm:ss.SSSXXX).");
	int f = sandbox_query_get(req->query, "lastChangedTo", to_s, sizeof to_s);
	if (f == 1) {
		if (ssx_time_parse(to_s, &to, &to_ms) < 0)
			return bad_input(req, resp, "lastChangedTo",
					 "날짜 형식이 올바르지 않습니다 (yyyy-MM-dd'T'HH:mm:ss.SSSXXX).");
	} else {
		to = from + OB_DAY;
		to_ms = from_ms;
	}
	int64_t a = (int64_t)from * 1000 + from_ms, b = (int64_t)to * 1000 + to_ms;
	if (b < a)
		return bad_input(req, resp, "lastChangedTo", "lastChangedTo가 lastChangedFrom보다 앞섭니다.");
	if (b - a > (int64_t)OB_DAY * 1000)
		return error_answer(req, resp, 400, "104139", "lastChangedTo", "조회 가능한 날짜 범위를 초과했습니다 (최대 24시간).");
	uint64_t seq = 0;
	f = sandbox_query_get(req->query, "moreSequence", seq_s, sizeof seq_s);
	if (f < 0 || (f == 1 && (!str_is_digits(seq_s) || strlen(seq_s) > 19)))
		return bad_input(req, resp, "moreSequence", "moreSequence는 이전 응답의 값을 그대로 보내야 합니다.");
	if (f == 1)
		seq = strtoull(seq_s, NULL, 10);
	bool filter = sandbox_query_get(req->query, "lastChangedType", type, sizeof type) == 1;
	if (filter && !ssx_change_type_known(type))
		return bad_input(req, resp, "lastChangedType", "lastChangedType 값이 올바르지 않습니다.");
	int limit = FEED_MAX;
	f = sandbox_query_get(req->query, "limitCount", lim, sizeof lim);
	if (f == 1) {
		int64_t l;
		if (str_to_i64(lim, &l) < 0 || l < 1)
			return bad_input(req, resp, "limitCount", "limitCount는 1 이상이어야 합니다.");
		/* More than 300 is served as 300 (B6). */
		limit = l > FEED_MAX ? FEED_MAX : (int)l;
	}
	cJSON *data = cJSON_CreateObject(), *list = cJSON_CreateArray();
	bool ok = data && list;
	if (!ok) {
		cJSON_Delete(data);
		cJSON_Delete(list);
		return -1;
	}
	ssx_jadd(data, "lastChangeStatuses", list, &ok);
	/* First event at or after (from, moreSequence); the feed is sorted. */
	size_t lo = 0, hi = st->nevs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ssx_event *e = &st->evs[mid];
		int64_t k = (int64_t)e->t * 1000 + e->ms;
		if (k < a || (k == a && st->pos[e->po].id < seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	int n = 0;
	const struct ssx_event *next = NULL;
	for (size_t i = lo; ok && i < st->nevs; i++) {
		const struct ssx_event *e = &st->evs[i];
		if ((int64_t)e->t * 1000 + e->ms > b)
			break;
		if (filter && strcmp(type, ssx_change_name((enum ssx_change)e->change)) != 0)
			continue;
		if (n == limit) {
			next = e;
			break;
		}
		const struct ssx_po *po = &st->pos[e->po];
		cJSON *o = cJSON_CreateObject();
		ssx_jpush(list, o, &ok);
		ssx_js(o, "productOrderStatus", e->status, &ok);
		if (e->claim_type[0]) {
			ssx_js(o, "claimType", e->claim_type, &ok);
			ssx_js(o, "claimStatus", e->claim_status, &ok);
		}
		ssx_jid(o, "productOrderId", po->id, &ok);
		ssx_jid(o, "orderId", po->order_id, &ok);
		ssx_jtime(o, "lastChangedDate", e->t, e->ms, &ok);
		ssx_jtime(o, "paymentDate", po->paid, 0, &ok);
		ssx_js(o, "lastChangedType", ssx_change_name((enum ssx_change)e->change), &ok);
		ssx_jb(o, "receiverAddressChanged", e->addr_changed, &ok);
		n++;
	}
	if (next) {
		/* Where the next page starts: the next item's time and id, so
		 * items sharing a timestamp are neither lost nor repeated. */
		cJSON *more = cJSON_CreateObject();
		ssx_jadd(data, "more", more, &ok);
		ssx_jtime(more, "moreFrom", next->t, next->ms, &ok);
		ssx_jid(more, "moreSequence", st->pos[next->po].id, &ok);
	}
	ssx_jn(data, "count", n, &ok);
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->rows = n;
	return data_answer(req, resp, data);
}

/* --- product-orders/query (B7) --- */

static int h_query(struct ssx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *root = NULL;
	const cJSON *ids = NULL;
	if (parse_ids_body(req, "productOrderIds", &root, &ids) < 0) {
		cJSON_Delete(root);
		return bad_input(req, resp, "productOrderIds", "productOrderIds는 필수입니다.");
	}
	int n = cJSON_GetArraySize(ids);
	if (n < 1 || n > QUERY_MAX) {
		cJSON_Delete(root);
		return bad_input(req, resp, "productOrderIds", "productOrderIds는 1개 이상 300개 이하로 요청해야 합니다.");
	}
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	const cJSON *v;
	int rows = 0;
	uint64_t *seen = calloc((size_t)n, sizeof *seen);
	if (!seen)
		ok = false;
	cJSON_ArrayForEach(v, ids)
	{
		if (!ok)
			break;
		uint64_t id;
		if (sandbox_json_u64(v, &id) < 0)
			continue;
		bool dup = false;
		for (int k = 0; k < rows; k++)
			dup |= seen[k] == id;
		struct ssx_po *po = dup ? NULL : ssx_po_find(st, id);
		if (!po)
			continue;
		seen[rows++] = id;
		ssx_jpush(data, ssx_detail_json(po), &ok);
	}
	free(seen);
	cJSON_Delete(root);
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->rows = rows;
	return data_answer(req, resp, data);
}

/* --- confirm (B9) --- */

static bool dup_in(const cJSON *arr, const cJSON *upto, uint64_t id, const char *member)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, arr)
	{
		if (v == upto)
			return false;
		uint64_t x;
		if (sandbox_json_u64(member ? json_get(v, member) : v, &x) == 0 && x == id)
			return true;
	}
	return false;
}

static int h_confirm(struct ssx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *root = NULL;
	const cJSON *ids = NULL;
	if (parse_ids_body(req, "productOrderIds", &root, &ids) < 0) {
		cJSON_Delete(root);
		return bad_input(req, resp, "productOrderIds", "productOrderIds는 필수입니다.");
	}
	int n = cJSON_GetArraySize(ids);
	if (n < 1 || n > ACT_MAX) {
		cJSON_Delete(root);
		return bad_input(req, resp, "productOrderIds", "발주확인은 한 번에 30개까지 요청할 수 있습니다.");
	}
	struct envelope e;
	env_init(&e, true);
	const cJSON *v;
	cJSON_ArrayForEach(v, ids)
	{
		char text[32] = "";
		uint64_t id = 0;
		if (sandbox_json_u64(v, &id) == 0)
			snprintf(text, sizeof text, "%" PRIu64, id);
		struct ssx_po *po = id ? ssx_po_find(st, id) : NULL;
		if (!po)
			env_fail(&e, text, "100001", "상품주문이 존재하지 않습니다.");
		else if (dup_in(ids, v, id, NULL))
			env_fail(&e, text, "104131", "중복된 상품주문번호입니다.");
		else if (!str_eq(po->status, "PAYED") || po->remain <= 0)
			env_fail(&e, text, "104133", "발주확인할 수 없는 상품주문 상태입니다.");
		else if (str_eq(po->place, "OK"))
			env_fail(&e, text, "105306", "이미 발주확인된 상품주문입니다.");
		else {
			str_copy(po->place, sizeof po->place, "OK");
			po->placed = req->now;
			env_success(&e, text, po->addr_changed);
		}
	}
	cJSON_Delete(root);
	return env_answer(req, resp, &e);
}

/* --- dispatch (B10) --- */

static bool courier_known(const char *code)
{
	/* The common codes of B10; the sandbox refuses others with 104119. */
	static const char *const codes[] = {
		"CJGLS", "HYUNDAI", "HANJIN", "KGB",    "EPOST",   "REGISTPOST", "GENERALPOST", "KDEXP", "DAESIN",
		"ILYANG", "CHUNIL", "HDEXP",  "CVSNET", "CUPARCEL", "HONAM",     "KUNYOUNG",    "SLX",   "KOREXG",
		"EMS",   "DHL",     "FEDEX",  "UPS",    "USPS",    "TNT",        "CH1",
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (str_eq(code, codes[i]))
			return true;
	return false;
}

/* Sandbox rule for 104122: 8-20 letters or digits, not one digit repeated. */
static bool tracking_valid(const char *t)
{
	size_t n = strlen(t);
	if (n < 8 || n > 20)
		return false;
	bool same = true;
	for (size_t i = 0; i < n; i++) {
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
			return false;
		same &= t[i] == t[0];
	}
	return !same;
}

static bool tracking_used(const struct ssx_state *st, const struct ssx_po *po, const char *courier,
			  const char *tracking)
{
	/* One number per package: product orders of one package share it. */
	for (size_t i = 0; i < st->npos; i++) {
		const struct ssx_po *o = &st->pos[i];
		if (o->package != po->package && str_eq(o->tracking, tracking) && str_eq(o->courier, courier))
			return true;
		/* An exchange's new box has a number of its own. */
		if (o != po && str_eq(o->re_tracking, tracking) && str_eq(o->re_courier, courier))
			return true;
	}
	return false;
}

static bool method_known(const char *m)
{
	static const char *const all[] = { "DELIVERY",        "GDFW_ISSUE_SVC",  "VISIT_RECEIPT",     "DIRECT_DELIVERY",
					   "QUICK_SVC",       "NOTHING",         "RETURN_DESIGNATED", "RETURN_DELIVERY",
					   "RETURN_INDIVIDUAL", "RETURN_MERCHANT", "UNKNOWN" };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (str_eq(m, all[i]))
			return true;
	return false;
}

static int h_dispatch(struct ssx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *root = NULL;
	const cJSON *list = NULL;
	if (parse_ids_body(req, "dispatchProductOrders", &root, &list) < 0) {
		cJSON_Delete(root);
		return bad_input(req, resp, "dispatchProductOrders", "dispatchProductOrders는 필수입니다.");
	}
	int n = cJSON_GetArraySize(list);
	if (n < 1 || n > ACT_MAX) {
		cJSON_Delete(root);
		return bad_input(req, resp, "dispatchProductOrders", "발송처리는 한 번에 30개까지 요청할 수 있습니다.");
	}
	struct envelope e;
	env_init(&e, false);
	const cJSON *d;
	cJSON_ArrayForEach(d, list)
	{
		char text[32] = "";
		uint64_t id = 0;
		if (sandbox_json_u64(json_get(d, "productOrderId"), &id) == 0)
			snprintf(text, sizeof text, "%" PRIu64, id);
		struct ssx_po *po = id ? ssx_po_find(st, id) : NULL;
		const char *method = json_str(d, "deliveryMethod"), *courier = json_str(d, "deliveryCompanyCode");
		const char *tracking = json_str(d, "trackingNumber"), *date = json_str(d, "dispatchDate");
		bool needs_courier = str_eq(method, "DELIVERY");
		ob_time when;
		int ms;
		if (!po)
			env_fail(&e, text, "100001", "상품주문이 존재하지 않습니다.");
		else if (dup_in(list, d, id, "productOrderId"))
			env_fail(&e, text, "104131", "중복된 상품주문번호입니다.");
		else if (!method || !method_known(method))
			env_fail(&e, text, "4000", "deliveryMethod 값이 올바르지 않습니다.");
		else if (needs_courier && (!courier || !*courier))
			env_fail(&e, text, "104118", "택배사를 입력해 주세요.");
		else if (needs_courier && !courier_known(courier))
			env_fail(&e, text, "104119", "택배사 코드를 확인해 주세요.");
		else if (needs_courier && (!tracking || !*tracking))
			env_fail(&e, text, "104120", "송장번호를 입력해 주세요.");
		else if (needs_courier && !tracking_valid(tracking))
			env_fail(&e, text, "104122", "유효하지 않은 송장번호입니다.");
		else if (!date || ssx_time_parse(date, &when, &ms) < 0)
			env_fail(&e, text, "4000", "dispatchDate 형식이 올바르지 않습니다 (yyyy-MM-dd'T'HH:mm:ss.SSSXXX).");
		else if (!str_eq(po->status, "PAYED"))
			env_fail(&e, text, str_eq(po->status, "DELIVERING") ? "105306" : "104133",
				 str_eq(po->status, "DELIVERING") ? "이미 발송처리된 상품주문입니다."
								  : "발송처리할 수 없는 상품주문 상태입니다.");
		else if (po->remain <= 0)
			env_fail(&e, text, "104133", "취소된 상품주문입니다.");
		else if (needs_courier && tracking_used(st, po, courier, tracking))
			env_fail(&e, text, "104121", "이미 사용된 송장번호입니다.");
		else {
			str_copy(po->status, sizeof po->status, "DELIVERING");
			if (!str_eq(po->place, "OK")) {
				str_copy(po->place, sizeof po->place, "OK");
				po->placed = req->now;
			}
			str_copy(po->courier, sizeof po->courier, courier ? courier : "");
			str_copy(po->tracking, sizeof po->tracking, tracking ? tracking : "");
			po->sent = when;
			/* Shipping answers an open cancel request: it is refused (UNCONFIRMED, B12). */
			if (ssx_cancel_open(po)) {
				str_copy(po->claim_status, sizeof po->claim_status, "CANCEL_REJECT");
				if (ssx_event_add(st, po, SSX_CLAIM_REJECTED, req->now, 0) < 0)
					e.ok = false;
			}
			if (ssx_event_add(st, po, SSX_DISPATCHED, req->now, 0) < 0)
				e.ok = false;
			env_success(&e, text, false);
		}
	}
	cJSON_Delete(root);
	return env_answer(req, resp, &e);
}

/* --- single product order calls --- */

static bool enum_in(const char *v, const char *const *all, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(v, all[i]))
			return true;
	return false;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int h_delay(struct ssx_state *st, const struct sandbox_request *req, struct ssx_po *po, const char *text,
		   struct sandbox_response *resp)
{
	static const char *const reasons[] = { "PRODUCT_PREPARE", "CUSTOMER_REQUEST", "CUSTOM_BUILD",
					       "RESERVED_DISPATCH", "OVERSEA_DELIVERY", "ETC" };
	cJSON *root = sandbox_json_parse(req->body, req->body_len);
	const char *due_s = json_str(root, "dispatchDueDate"), *reason = json_str(root, "delayedDispatchReason");
	const char *detail = json_str(root, "dispatchDelayedDetailedReason");
	ob_time due;
	int ms, rc;
	if (!due_s || ssx_time_parse(due_s, &due, &ms) < 0)
		rc = bad_input(req, resp, "dispatchDueDate", "dispatchDueDate 형식이 올바르지 않습니다.");
	else if (!reason || !enum_in(reason, reasons, sizeof reasons / sizeof reasons[0]))
		rc = bad_input(req, resp, "delayedDispatchReason", "delayedDispatchReason 값이 올바르지 않습니다.");
	else if (!detail || !*detail || utf8_chars(detail) > 300)
		rc = bad_input(req, resp, "dispatchDelayedDetailedReason",
			       "dispatchDelayedDetailedReason은 1자 이상 300자 이하로 입력해 주세요.");
	else {
		struct envelope e;
		env_init(&e, false);
		if (!po)
			env_fail(&e, text, "100001", "상품주문이 존재하지 않습니다.");
		else if (!str_eq(po->status, "PAYED") || po->remain <= 0)
			env_fail(&e, text, "104133", "발송지연 처리할 수 없는 상품주문 상태입니다.");
		/* Sandbox rule for 104105: after today, within 90 days. */
		else if (due < kst_day_start(req->now) + OB_DAY || due > req->now + 90 * (ob_time)OB_DAY)
			env_fail(&e, text, "104105", "발송기한이 허용 범위를 벗어났습니다.");
		else {
			str_copy(po->delay_reason, sizeof po->delay_reason, reason);
			str_copy(po->delay_detail, sizeof po->delay_detail, detail);
			po->ship_due = due;
			env_success(&e, text, false);
		}
		rc = env_answer(req, resp, &e);
	}
	cJSON_Delete(root);
	return rc;
}

static int h_cancel_request(struct ssx_state *st, const struct sandbox_request *req, struct ssx_po *po,
			    const char *text, struct sandbox_response *resp)
{
	static const char *const reasons[] = { "INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER", "PRODUCT_UNSATISFIED",
					       "DELAYED_DELIVERY", "SOLD_OUT", "INCORRECT_INFO" };
	cJSON *root = sandbox_json_parse(req->body, req->body_len);
	const char *reason = json_str(root, "cancelReason"), *detail = json_str(root, "cancelDetailedReason");
	const cJSON *qv = json_get(root, "cancelQuantity");
	int64_t qty = -1;
	int rc;
	if (!reason || !enum_in(reason, reasons, sizeof reasons / sizeof reasons[0]))
		rc = bad_input(req, resp, "cancelReason", "cancelReason 값이 올바르지 않습니다.");
	else if (detail && utf8_chars(detail) > 500)
		rc = bad_input(req, resp, "cancelDetailedReason", "cancelDetailedReason은 500자 이하로 입력해 주세요.");
	else if (qv && (json_i64(root, "cancelQuantity", &qty) < 0 || qty < 1))
		rc = bad_input(req, resp, "cancelQuantity", "cancelQuantity는 1 이상이어야 합니다.");
	else {
		struct envelope e;
		env_init(&e, false);
		if (!po)
			env_fail(&e, text, "100001", "상품주문이 존재하지 않습니다.");
		else if (str_eq(po->status, "CANCELED"))
			env_fail(&e, text, "105306", "이미 취소된 상품주문입니다.");
		else if (ssx_cancel_open(po))
			env_fail(&e, text, "104133", "구매자의 취소 요청이 진행 중입니다. 취소 승인으로 처리해 주세요.");
		else if (!str_eq(po->status, "PAYED") || po->remain <= 0)
			env_fail(&e, text, "104133", "판매취소할 수 없는 상품주문 상태입니다.");
		else if (qty > po->remain)
			env_fail(&e, text, "4000", "cancelQuantity가 잔여 수량보다 많습니다.");
		else {
			/* 판매취소 goes through at once (the seller is the one deciding). */
			po->claim_id = ssx_new_claim_id(st, req->now);
			po->claim_at = req->now;
			po->approved_at = 0;
			po->claim_qty = qty > 0 ? qty : po->remain;
			str_copy(po->channel, sizeof po->channel, "판매자");
			str_copy(po->cancel_reason, sizeof po->cancel_reason, reason);
			str_copy(po->cancel_detail, sizeof po->cancel_detail, detail ? detail : "");
			ssx_cancel_apply(po, po->claim_qty, req->now);
			if (ssx_event_add(st, po, SSX_CLAIM_COMPLETED, req->now, 0) < 0)
				e.ok = false;
			env_success(&e, text, false);
		}
		rc = env_answer(req, resp, &e);
	}
	cJSON_Delete(root);
	return rc;
}

static int h_cancel_approve(struct ssx_state *st, const struct sandbox_request *req, struct ssx_po *po,
			    const char *text, struct sandbox_response *resp)
{
	struct envelope e;
	env_init(&e, false);
	if (!po)
		env_fail(&e, text, "100001", "상품주문이 존재하지 않습니다.");
	else if (po->claim_id && (str_eq(po->claim_status, "CANCEL_DONE") || str_eq(po->claim_status, "CANCELING")))
		env_fail(&e, text, "105306", "이미 취소 완료된 상품주문입니다.");
	else if (!ssx_cancel_open(po))
		env_fail(&e, text, "104133", "취소 요청이 없는 상품주문입니다.");
	else {
		po->approved_at = req->now;
		ssx_cancel_apply(po, po->claim_qty, req->now);
		if (ssx_event_add(st, po, SSX_CLAIM_COMPLETED, req->now, 0) < 0)
			e.ok = false;
		env_success(&e, text, false);
	}
	return env_answer(req, resp, &e);
}

/* --- returns and exchanges (B13, B14) --- */

enum rx_op { RX_APPROVE, RX_REJECT, RX_HOLD, RX_RELEASE, RX_REDELIVER };

/* holdbackClassType per claim type: B13 lists one enum for both; the
 * sandbox takes a type's own classes and ETC (UNCONFIRMED). EXTRAFEEE is
 * Naver's spelling, and the exchange's EXCHANGE_EXTRAFEE has two E's. */
static const char *const return_classes[] = { "RETURN_DELIVERYFEE", "EXTRAFEEE", "RETURN_DELIVERYFEE_AND_EXTRAFEEE",
					      "RETURN_PRODUCT_NOT_DELIVERED", "ETC" };
static const char *const exchange_classes[] = { "EXCHANGE_DELIVERYFEE", "EXCHANGE_EXTRAFEE", "EXCHANGE_PRODUCT_READY",
						"EXCHANGE_PRODUCT_NOT_DELIVERED", "ETC" };

/* The body's problem as a 400 answer, or 0 when the body is fine. */
static int retex_body(const struct sandbox_request *req, struct sandbox_response *resp, enum rx_op op, bool ex,
		      const cJSON *root, bool *answered)
{
	*answered = true;
	if (op == RX_REJECT) {
		const char *key = ex ? "rejectExchangeReason" : "rejectReturnReason";
		const char *v = json_str(root, key);
		if (!v || !*v || utf8_chars(v) > 500) {
			char msg[96];
			snprintf(msg, sizeof msg, "%s은 1자 이상 500자 이하로 입력해 주세요.", key);
			return bad_input(req, resp, key, msg);
		}
	} else if (op == RX_HOLD) {
		const char *cls = json_str(root, "holdbackClassType");
		const char *dkey = ex ? "holdbackExchangeDetailReason" : "holdbackReturnDetailReason";
		const char *fkey = ex ? "extraExchangeFeeAmount" : "extraReturnFeeAmount";
		const char *detail = json_str(root, dkey);
		const cJSON *fee = json_get(root, fkey);
		int64_t amount;
		if (!cls || !(ex ? enum_in(cls, exchange_classes, sizeof exchange_classes / sizeof exchange_classes[0])
				 : enum_in(cls, return_classes, sizeof return_classes / sizeof return_classes[0])))
			return bad_input(req, resp, "holdbackClassType", "holdbackClassType 값이 올바르지 않습니다.");
		if (!detail || !*detail || utf8_chars(detail) > 500) {
			char msg[96];
			snprintf(msg, sizeof msg, "%s은 1자 이상 500자 이하로 입력해 주세요.", dkey);
			return bad_input(req, resp, dkey, msg);
		}
		if (fee && !cJSON_IsNull(fee) && (json_i64(root, fkey, &amount) < 0 || amount < 0 || amount > 10000000)) {
			char msg[96];
			snprintf(msg, sizeof msg, "%s는 0 이상의 금액이어야 합니다.", fkey);
			return bad_input(req, resp, fkey, msg);
		}
	} else if (op == RX_REDELIVER) {
		const char *m = json_str(root, "reDeliveryMethod");
		if (!m || !method_known(m))
			return bad_input(req, resp, "reDeliveryMethod", "reDeliveryMethod 값이 올바르지 않습니다.");
	}
	*answered = false;
	return 0;
}

static int h_retex(struct ssx_state *st, const struct sandbox_request *req, struct ssx_po *po, const char *text,
		   struct sandbox_response *resp, enum rx_op op, bool ex)
{
	cJSON *root = sandbox_json_parse(req->body, req->body_len);
	bool answered;
	int rc = retex_body(req, resp, op, ex, root, &answered);
	if (answered) {
		cJSON_Delete(root);
		return rc;
	}
	struct envelope e;
	env_init(&e, false);
	const char *what = ex ? "교환" : "반품";
	bool held = po && str_eq(po->hold_status, "HOLDBACK");
	char msg[160];
	const char *s = po ? po->rx_status : "";
	const char *reject_st = ex ? "EXCHANGE_REJECT" : "RETURN_REJECT";
	if (!po) {
		env_fail(&e, text, "100001", "상품주문이 존재하지 않습니다.");
	} else if (!po->rx_id || po->rx_exchange != ex) {
		snprintf(msg, sizeof msg, "%s 요청이 없는 상품주문입니다.", what);
		env_fail(&e, text, "104133", msg);
	} else if (op == RX_APPROVE && !ex) {
		if (str_eq(s, "RETURN_DONE"))
			env_fail(&e, text, "105306", "이미 반품 완료된 상품주문입니다.");
		else if (!ssx_retex_open(po))
			env_fail(&e, text, "104133", "철회된 반품입니다.");
		else if (held)
			env_fail(&e, text, "104133", "반품 보류 중입니다. 보류 해제 후 승인해 주세요.");
		else {
			ssx_return_done(po, req->now);
			if (ssx_event_add(st, po, SSX_CLAIM_COMPLETED, req->now, 0) < 0)
				e.ok = false;
			env_success(&e, text, false);
		}
	} else if (op == RX_APPROVE) {
		if (str_eq(s, "COLLECT_DONE") || str_eq(s, "EXCHANGE_REDELIVERING") || str_eq(s, "EXCHANGE_DONE"))
			env_fail(&e, text, "105306", "이미 수거 완료된 교환입니다.");
		else if (!ssx_retex_open(po))
			env_fail(&e, text, "104133", "철회된 교환입니다.");
		else if (held)
			env_fail(&e, text, "104133", "교환 보류 중입니다. 보류 해제 후 처리해 주세요.");
		else {
			str_copy(po->rx_status, sizeof po->rx_status, "COLLECT_DONE");
			str_copy(po->collect_status, sizeof po->collect_status, "COLLECT_DONE");
			po->rx_collected = req->now;
			if (ssx_event_add(st, po, SSX_COLLECT_DONE, req->now, 0) < 0)
				e.ok = false;
			env_success(&e, text, false);
		}
	} else if (op == RX_REJECT) {
		if (str_eq(s, reject_st)) {
			env_fail(&e, text, "105306", "이미 철회된 클레임입니다.");
		} else if (!ssx_retex_open(po)) {
			snprintf(msg, sizeof msg, "%s 거부(철회)할 수 없는 상태입니다 (%s).", what, s);
			env_fail(&e, text, "104133", msg);
		} else {
			str_copy(po->rx_status, sizeof po->rx_status, reject_st);
			str_copy(po->reject_reason, sizeof po->reject_reason,
				 json_str(root, ex ? "rejectExchangeReason" : "rejectReturnReason"));
			if (ssx_event_add(st, po, SSX_CLAIM_REJECTED, req->now, 0) < 0)
				e.ok = false;
			env_success(&e, text, false);
		}
	} else if (op == RX_HOLD) {
		if (held) {
			env_fail(&e, text, "105306", "이미 보류 중인 클레임입니다.");
		} else if (!ssx_retex_open(po)) {
			snprintf(msg, sizeof msg, "%s 보류할 수 없는 상태입니다 (%s).", what, s);
			env_fail(&e, text, "104133", msg);
		} else {
			int64_t amount = 0;
			if (json_i64(root, ex ? "extraExchangeFeeAmount" : "extraReturnFeeAmount", &amount) < 0)
				amount = 0;
			str_copy(po->hold_status, sizeof po->hold_status, "HOLDBACK");
			str_copy(po->hold_class, sizeof po->hold_class, json_str(root, "holdbackClassType"));
			str_copy(po->hold_detail, sizeof po->hold_detail,
				 json_str(root, ex ? "holdbackExchangeDetailReason" : "holdbackReturnDetailReason"));
			po->hold_fee = amount;
			po->hold_at = req->now;
			po->hold_released = 0;
			env_success(&e, text, false);
		}
	} else if (op == RX_RELEASE) {
		if (str_eq(po->hold_status, "RELEASED"))
			env_fail(&e, text, "105306", "이미 보류 해제된 클레임입니다.");
		else if (!held)
			env_fail(&e, text, "104133", "보류 중인 클레임이 아닙니다.");
		else {
			str_copy(po->hold_status, sizeof po->hold_status, "RELEASED");
			po->hold_released = req->now;
			env_success(&e, text, false);
		}
	} else {
		const char *m = json_str(root, "reDeliveryMethod"), *courier = json_str(root, "reDeliveryCompany");
		const char *tracking = json_str(root, "reDeliveryTrackingNumber");
		bool needs = str_eq(m, "DELIVERY");
		if (needs && (!courier || !*courier))
			env_fail(&e, text, "104118", "택배사를 입력해 주세요.");
		else if (needs && !courier_known(courier))
			env_fail(&e, text, "104119", "택배사 코드를 확인해 주세요.");
		else if (needs && (!tracking || !*tracking))
			env_fail(&e, text, "104120", "송장번호를 입력해 주세요.");
		else if (needs && !tracking_valid(tracking))
			env_fail(&e, text, "104122", "유효하지 않은 송장번호입니다.");
		else if (!str_eq(s, "COLLECT_DONE") || held)
			env_fail(&e, text, "104417", "교환 재배송 처리할 수 없는 상태입니다.");
		else if (needs && tracking_used(st, po, courier, tracking))
			env_fail(&e, text, "104121", "이미 사용된 송장번호입니다.");
		else {
			str_copy(po->rx_status, sizeof po->rx_status, "EXCHANGE_REDELIVERING");
			str_copy(po->re_courier, sizeof po->re_courier, courier ? courier : "");
			str_copy(po->re_tracking, sizeof po->re_tracking, tracking ? tracking : "");
			po->rx_redelivered = req->now;
			if (ssx_event_add(st, po, SSX_CLAIM_REDELIVERING, req->now, 0) < 0)
				e.ok = false;
			env_success(&e, text, false);
		}
	}
	cJSON_Delete(root);
	return env_answer(req, resp, &e);
}

/* --- routing --- */

enum ep {
	EP_NONE, EP_TOKEN, EP_FEED, EP_QUERY, EP_CONFIRM, EP_DISPATCH, EP_DELAY, EP_CANCEL_REQ, EP_CANCEL_OK,
	EP_RET_APPROVE, EP_RET_REJECT, EP_RET_HOLD, EP_RET_RELEASE,
	EP_EX_COLLECT, EP_EX_DISPATCH, EP_EX_REJECT, EP_EX_HOLD, EP_EX_RELEASE,
};

/* The per-product-order claim calls: path after {id}, endpoint. */
static const struct {
	const char *tail;
	enum ep ep;
} claim_paths[] = {
	{ "/claim/return/approve", EP_RET_APPROVE },
	{ "/claim/return/reject", EP_RET_REJECT },
	{ "/claim/return/holdback", EP_RET_HOLD },
	{ "/claim/return/holdback/release", EP_RET_RELEASE },
	{ "/claim/exchange/collect/approve", EP_EX_COLLECT },
	{ "/claim/exchange/dispatch", EP_EX_DISPATCH },
	{ "/claim/exchange/reject", EP_EX_REJECT },
	{ "/claim/exchange/holdback", EP_EX_HOLD },
	{ "/claim/exchange/holdback/release", EP_EX_RELEASE },
};

/* The endpoint of a path; *id (string) for the per-product-order paths. */
static enum ep route(const char *method, const char *path, char *id, size_t n, bool *method_ok)
{
	*method_ok = true;
	id[0] = '\0';
	if (strcmp(path, PREFIX "/v1/oauth2/token") == 0) {
		*method_ok = strcmp(method, "POST") == 0;
		return EP_TOKEN;
	}
	if (!str_starts(path, ORDERS "/"))
		return EP_NONE;
	const char *rest = path + strlen(ORDERS "/");
	static const struct {
		const char *name, *method;
		enum ep ep;
	} fixed[] = {
		{ "last-changed-statuses", "GET", EP_FEED },
		{ "query", "POST", EP_QUERY },
		{ "confirm", "POST", EP_CONFIRM },
		{ "dispatch", "POST", EP_DISPATCH },
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if (strcmp(rest, fixed[i].name) == 0) {
			*method_ok = strcmp(method, fixed[i].method) == 0;
			return fixed[i].ep;
		}
	}
	const char *slash = strchr(rest, '/');
	if (!slash || (size_t)(slash - rest) >= n)
		return EP_NONE;
	memcpy(id, rest, (size_t)(slash - rest));
	id[slash - rest] = '\0';
	*method_ok = strcmp(method, "POST") == 0;
	if (strcmp(slash, "/delay") == 0)
		return EP_DELAY;
	if (strcmp(slash, "/claim/cancel/request") == 0)
		return EP_CANCEL_REQ;
	if (strcmp(slash, "/claim/cancel/approve") == 0)
		return EP_CANCEL_OK;
	for (size_t i = 0; i < sizeof claim_paths / sizeof claim_paths[0]; i++)
		if (strcmp(slash, claim_paths[i].tail) == 0)
			return claim_paths[i].ep;
	return EP_NONE;
}

static int count_ids(const struct sandbox_request *req, const char *key)
{
	cJSON *root = sandbox_json_parse(req->body, req->body_len);
	int n = cJSON_GetArraySize(json_get(root, key));
	cJSON_Delete(root);
	return n;
}

static void smartstore_describe(const struct sandbox_request *req, char *endpoint, size_t n, int *items)
{
	char id[40];
	bool mok;
	static const char *const names[] = {
		[EP_NONE] = "unknown",
		[EP_TOKEN] = "POST oauth2/token",
		[EP_FEED] = "GET last-changed-statuses",
		[EP_QUERY] = "POST product-orders/query",
		[EP_CONFIRM] = "POST product-orders/confirm",
		[EP_DISPATCH] = "POST product-orders/dispatch",
		[EP_DELAY] = "POST product-orders/{id}/delay",
		[EP_CANCEL_REQ] = "POST product-orders/{id}/claim/cancel/request",
		[EP_CANCEL_OK] = "POST product-orders/{id}/claim/cancel/approve",
		[EP_RET_APPROVE] = "POST product-orders/{id}/claim/return/approve",
		[EP_RET_REJECT] = "POST product-orders/{id}/claim/return/reject",
		[EP_RET_HOLD] = "POST product-orders/{id}/claim/return/holdback",
		[EP_RET_RELEASE] = "POST product-orders/{id}/claim/return/holdback/release",
		[EP_EX_COLLECT] = "POST product-orders/{id}/claim/exchange/collect/approve",
		[EP_EX_DISPATCH] = "POST product-orders/{id}/claim/exchange/dispatch",
		[EP_EX_REJECT] = "POST product-orders/{id}/claim/exchange/reject",
		[EP_EX_HOLD] = "POST product-orders/{id}/claim/exchange/holdback",
		[EP_EX_RELEASE] = "POST product-orders/{id}/claim/exchange/holdback/release",
	};
	enum ep ep = route(req->method, req->path, id, sizeof id, &mok);
	snprintf(endpoint, n, "%s", names[ep]);
	*items = 0;
	if (ep == EP_QUERY || ep == EP_CONFIRM)
		*items = count_ids(req, "productOrderIds");
	else if (ep == EP_DISPATCH)
		*items = count_ids(req, "dispatchProductOrders");
	else if (ep >= EP_DELAY)
		*items = 1;
}

static int smartstore_handle(void *state, const struct sandbox_request *req, struct sandbox_response *resp)
{
	struct ssx_state *st = state;
	char id[40];
	bool method_ok;
	enum ep ep = route(req->method, req->path, id, sizeof id, &method_ok);
	if (ep == EP_NONE)
		return error_answer(req, resp, 404, "GW.NOT_FOUND", NULL, "API를 찾을 수 없습니다: %s %s", req->method,
				    req->path);
	if (!method_ok)
		return error_answer(req, resp, 405, "GW.METHOD_NOT_ALLOWED", NULL, "허용되지 않는 메서드입니다.");
	if (ep == EP_TOKEN)
		return h_token(st, req, resp);
	/* The gateway checks the token before anything else (B2). */
	if (!authorized(st, req))
		return error_answer(req, resp, 401, "GW.AUTHN", NULL, "요청을 보낼 권한이 없습니다.");
	switch (ep) {
	case EP_FEED: return h_feed(st, req, resp);
	case EP_QUERY: return h_query(st, req, resp);
	case EP_CONFIRM: return h_confirm(st, req, resp);
	case EP_DISPATCH: return h_dispatch(st, req, resp);
	default: break;
	}
	struct ssx_po *po = str_is_digits(id) && strlen(id) < 20 ? ssx_po_find(st, strtoull(id, NULL, 10)) : NULL;
	switch (ep) {
	case EP_DELAY: return h_delay(st, req, po, id, resp);
	case EP_CANCEL_REQ: return h_cancel_request(st, req, po, id, resp);
	case EP_CANCEL_OK: return h_cancel_approve(st, req, po, id, resp);
	case EP_RET_APPROVE: return h_retex(st, req, po, id, resp, RX_APPROVE, false);
	case EP_RET_REJECT: return h_retex(st, req, po, id, resp, RX_REJECT, false);
	case EP_RET_HOLD: return h_retex(st, req, po, id, resp, RX_HOLD, false);
	case EP_RET_RELEASE: return h_retex(st, req, po, id, resp, RX_RELEASE, false);
	case EP_EX_COLLECT: return h_retex(st, req, po, id, resp, RX_APPROVE, true);
	case EP_EX_DISPATCH: return h_retex(st, req, po, id, resp, RX_REDELIVER, true);
	case EP_EX_REJECT: return h_retex(st, req, po, id, resp, RX_REJECT, true);
	case EP_EX_HOLD: return h_retex(st, req, po, id, resp, RX_HOLD, true);
	case EP_EX_RELEASE: return h_retex(st, req, po, id, resp, RX_RELEASE, true);
	default: return error_answer(req, resp, 404, "GW.NOT_FOUND", NULL, "API를 찾을 수 없습니다.");
	}
}

static int smartstore_rate_limited(void *state, const struct sandbox_request *req, struct sandbox_response *resp)
{
	(void)state;
	return error_answer(req, resp, 429, "GW.RATE_LIMIT", NULL, "요청이 허용량을 초과했습니다. 잠시 후 다시 시도해 주세요.");
}

/* --- the market --- */

static int smartstore_create(const struct sandbox_gen_opts *o, void **state, struct ob_err *err)
{
	return ssx_state_new(o, (struct ssx_state **)state, err);
}

static int smartstore_load(const char *path, const struct sandbox_gen_opts *o, void **state, struct ob_err *err)
{
	(void)o;
	(void)state;
	return ob_errf(err, OB_EUSAGE,
		       "--dataset smartstore=%s: the SmartStore sandbox serves generated data only; use --seed, "
		       "--orders and --days",
		       path);
}

static int smartstore_test(void *state, const char *action, const struct sandbox_request *req,
			   struct sandbox_response *resp)
{
	return ssx_handle_test(state, action, req, resp);
}

static int smartstore_state_json(void *state, cJSON *root)
{
	return ssx_state_json(state, root);
}

static int smartstore_reset(void *state, struct ob_err *err)
{
	return ssx_state_reset(state, err);
}

static int smartstore_config(void *state, const char *base_url, struct buf *out)
{
	(void)state;
	/* base_url stands for https://api.commerce.naver.com/external. */
	return buf_printf(out,
			  "\n[smartstore.sandbox]\n"
			  "base_url = %s" PREFIX "\n"
			  "client_id = %s\n"
			  "client_secret = %s\n",
			  base_url, SANDBOX_SMARTSTORE_CLIENT_ID, SANDBOX_SMARTSTORE_CLIENT_SECRET);
}

static void smartstore_free(void *state)
{
	ssx_state_free(state);
}

const struct sandbox_market_ops sandbox_smartstore_ops = {
	.name = "smartstore",
	.port_offset = 2,
	.create = smartstore_create,
	.load = smartstore_load,
	.describe = smartstore_describe,
	.handle = smartstore_handle,
	.handle_test = smartstore_test,
	.state_json = smartstore_state_json,
	.reset = smartstore_reset,
	.config_section = smartstore_config,
	.free = smartstore_free,
	.rate_limited = smartstore_rate_limited,
};
