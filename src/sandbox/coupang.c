/* The Coupang Wing Open API as the sandbox serves it (../shared/api/coupang.md):
 * the CEA HMAC check over the raw request, the vendor check, and every
 * endpoint the client calls, with the documented limits enforced (31-day and
 * 24-hour windows, 50 per page, 50 ids per batch, 7-day withdrawals) and the
 * documented answers (per-item results inside HTTP 200, 400 messages). The
 * data and the shared rules live in coupang_data.c. */
#include "sandbox/coupang.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "market/couriers.h"
#include "sandbox/coupang_state.h"
#include "util/json.h"
#include "util/str.h"

#define API_PREFIX "/v2/providers/openapi/apis/api/"
#define PAGE_MAX 50
#define BATCH_MAX 50
#define WITHDRAW_PAGE_MAX 100

static const char MSG_RANGE31[] = "endTime-startTime range should less than31.";
static const char MSG_GONE[] = "해당 주문이 취소 또는 반품되었습니다.";
static const char MSG_HOLD[] = "배송상태를 변경할 수 없습니다. 주문내역을 확인해주세요.";
static const char MSG_COUNT[] = "[INTERNAL_SERVER_ERROR] 취소반품접수수량과 cancelCount가 일치하지 않습니다.";

/* --- HMAC --- */

int sandbox_coupang_signature(const char *secret, const char *message, size_t len, char out[65])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mlen = 0;
	if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)message, len, mac, &mlen) ||
	    mlen != 32) {
		out[0] = '\0';
		return -1;
	}
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < mlen; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

/* Copies the value of "key=" from the comma-separated CEA header. */
static bool cea_field(const char *h, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t vl = l - kl - 1;
			while (vl && p[kl + 1 + vl - 1] == ' ')
				vl--;
			if (vl == 0 || vl >= n)
				return false;
			memcpy(out, p + kl + 1, vl);
			out[vl] = '\0';
			return true;
		}
		p += l;
	}
	return false;
}

/* "yyMMddTHHmmssZ" (UTC) as Unix seconds. */
static int parse_signed_date(const char *s, ob_time *out)
{
	if (strlen(s) != 14 || s[6] != 'T' || s[13] != 'Z')
		return -1;
	for (int i = 0; i < 13; i++)
		if (i != 6 && (s[i] < '0' || s[i] > '9'))
			return -1;
	char iso[32];
	snprintf(iso, sizeof iso, "20%.2s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 2, s + 4, s + 7, s + 9, s + 11);
	return kst_parse(iso, out);
}

const char *sandbox_coupang_check_auth(const struct sandbox_request *req)
{
	const char *h = sandbox_header(req, "Authorization");
	char alg[32], key[128], date[32], sig[80];
	if (!h || strncmp(h, "CEA ", 4) != 0 || !cea_field(h + 4, "algorithm", alg, sizeof alg) ||
	    !cea_field(h + 4, "access-key", key, sizeof key) || !cea_field(h + 4, "signed-date", date, sizeof date) ||
	    !cea_field(h + 4, "signature", sig, sizeof sig) || strcmp(alg, "HmacSHA256") != 0 || strlen(sig) != 64)
		return "HMAC format is invalid.";
	ob_time signed_at;
	if (parse_signed_date(date, &signed_at) < 0)
		return "HMAC format is invalid.";
	if (strcmp(key, SANDBOX_COUPANG_ACCESS_KEY) != 0)
		return "Invalid signature.";
	/* The message is the request exactly as received: nothing decoded. */
	struct buf msg = BUF_INIT;
	char want[65];
	int rc = buf_printf(&msg, "%s%s%s%s", date, req->method, req->path, req->query);
	if (rc == 0)
		rc = sandbox_coupang_signature(SANDBOX_COUPANG_SECRET_KEY, msg.data, msg.len, want);
	buf_free(&msg);
	if (rc < 0)
		return "Invalid signature.";
	/* Compared without an early exit, as a real verifier would. */
	unsigned diff = 0;
	for (int i = 0; i < 64; i++)
		diff |= (unsigned)(want[i] ^ sig[i]);
	if (diff)
		return "Invalid signature.";
	ob_time skew = signed_at - req->auth_now;
	if (skew > SANDBOX_COUPANG_SKEW || skew < -SANDBOX_COUPANG_SKEW)
		return "Specified signature is expired.";
	return NULL;
}

/* --- answers --- */

static int respond_msg(struct sandbox_response *resp, int status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	cpx_jn(o, "code", status, &ok);
	cpx_js(o, "message", msg, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, status, o);
}

static int bad(struct sandbox_response *resp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct sandbox_response *resp, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return respond_msg(resp, 400, msg);
}

/* {"code":200|"200","message":"OK","data":data[,"nextToken":..]}. v4 answers
 * carry the code as a string, as the documented v4 examples do. */
static int respond_data(struct sandbox_response *resp, bool v4, cJSON *data, const char *next_key,
			const char *next)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	if (v4)
		cpx_js(o, "code", "200", &ok);
	else
		cpx_jn(o, "code", 200, &ok);
	cpx_js(o, "message", "OK", &ok);
	cpx_jadd(o, "data", data, &ok);
	if (next_key)
		cpx_js(o, next_key, next, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, 200, o);
}

static cJSON *parse_body(const struct sandbox_request *req)
{
	cJSON *b = sandbox_json_parse(req->body, req->body_len);
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		return NULL;
	}
	return b;
}

/* The body's vendorId, when sent, must be the path's. */
static bool body_vendor_ok(const cJSON *body)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "vendorId");
	return !v || (cJSON_IsString(v) && strcmp(v->valuestring, SANDBOX_COUPANG_VENDOR) == 0);
}

static uint64_t u64v(const cJSON *v)
{
	uint64_t x = 0;
	return sandbox_json_u64(v, &x) < 0 ? 0 : x;
}

static uint64_t u64k(const cJSON *o, const char *k)
{
	return u64v(cJSON_GetObjectItemCaseSensitive(o, k));
}

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* Paging tokens: the position of the last row served plus a check bound to
 * the query, so a token only continues the query it came from. Positions stay
 * valid because rows are only ever appended. */
static void token_make(const char *key, size_t pos, char *out, size_t n)
{
	uint64_t chk = mix(fnv(key, 0xcbf29ce484222325ull) ^ pos) % 1000;
	snprintf(out, n, "%zu%03" PRIu64, pos + 1, chk);
}

static int token_read(const char *key, const char *tok, size_t *start)
{
	if (!*tok) {
		*start = 0;
		return 0;
	}
	if (!str_is_digits(tok) || strlen(tok) < 4 || strlen(tok) > 15)
		return -1;
	uint64_t v = strtoull(tok, NULL, 10);
	if (v / 1000 == 0)
		return -1;
	size_t pos = (size_t)(v / 1000 - 1);
	if (mix(fnv(key, 0xcbf29ce484222325ull) ^ pos) % 1000 != v % 1000)
		return -1;
	*start = pos + 1;
	return 0;
}

/* --- time parameters --- */

static bool digits_at(const char *s, size_t i, size_t n)
{
	for (size_t k = i; k < i + n; k++)
		if (s[k] < '0' || s[k] > '9')
			return false;
	return true;
}

/* "YYYY-MM-DD" or, with minutes, "YYYY-MM-DDTHH:mm" [":ss"]; then the suffix
 * "+09:00" when required (v5), allowed (v6 minute mode) or refused (v6 day). */
enum offset_rule { OFFSET_REQUIRED, OFFSET_OPTIONAL, OFFSET_NONE };

static int parse_when(const char *s, bool minutes, enum offset_rule rule, ob_time *out)
{
	size_t l = strlen(s);
	if (l < 10 || !digits_at(s, 0, 4) || s[4] != '-' || !digits_at(s, 5, 2) || s[7] != '-' || !digits_at(s, 8, 2))
		return -1;
	size_t i = 10;
	char iso[32];
	if (minutes) {
		if (l < 16 || s[10] != 'T' || !digits_at(s, 11, 2) || s[13] != ':' || !digits_at(s, 14, 2))
			return -1;
		i = 16;
		const char *sec = "00";
		if (l >= 19 && s[16] == ':' && digits_at(s, 17, 2)) {
			sec = s + 17;
			i = 19;
		}
		snprintf(iso, sizeof iso, "%.10sT%.2s:%.2s:%.2s", s, s + 11, s + 14, sec);
	} else {
		snprintf(iso, sizeof iso, "%.10s", s);
	}
	bool has_off = strcmp(s + i, "+09:00") == 0;
	if (s[i] && !has_off)
		return -1;
	if ((rule == OFFSET_REQUIRED && !has_off) || (rule == OFFSET_NONE && has_off))
		return -1;
	return kst_parse(iso, out);
}

struct window {
	ob_time from, to; /* [from, to) */
	bool minutes;
	char key[160];    /* the query's identity for paging tokens */
};

/* createdAtFrom/createdAtTo with searchType; 0, or -1 after answering 400. */
static int read_window(const struct sandbox_request *req, bool v5, int max_days, struct window *w,
		       struct sandbox_response *resp, int *rc)
{
	char from[48], to[48], st[32];
	int fs = sandbox_query_get(req->query, "searchType", st, sizeof st);
	w->minutes = fs == 1 && strcmp(st, "timeFrame") == 0;
	if (fs == -1 || (fs == 1 && !w->minutes)) {
		*rc = bad(resp, "searchType must be timeFrame or left out");
		return -1;
	}
	int f1 = sandbox_query_get(req->query, "createdAtFrom", from, sizeof from);
	int f2 = sandbox_query_get(req->query, "createdAtTo", to, sizeof to);
	if (f1 != 1 || f2 != 1) {
		*rc = bad(resp, "createdAtFrom and createdAtTo are required");
		return -1;
	}
	enum offset_rule rule = v5 ? OFFSET_REQUIRED : w->minutes ? OFFSET_OPTIONAL : OFFSET_NONE;
	const char *shape = v5 ? (w->minutes ? "yyyy-MM-ddTHH:mm+09:00 (sent as %2B09:00)" :
					       "yyyy-MM-dd+09:00 (sent as %2B09:00)") :
				 (w->minutes ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-dd");
	if (parse_when(from, w->minutes, rule, &w->from) < 0) {
		*rc = bad(resp, "createdAtFrom '%s' is not %s", from, shape);
		return -1;
	}
	if (parse_when(to, w->minutes, rule, &w->to) < 0) {
		*rc = bad(resp, "createdAtTo '%s' is not %s", to, shape);
		return -1;
	}
	if (w->to < w->from) {
		*rc = bad(resp, "createdAtTo is before createdAtFrom");
		return -1;
	}
	if (w->minutes) {
		/* Minute mode: the exact span, half open so consecutive windows do
		 * not count a row twice. */
		ob_time lim = v5 ? OB_DAY : (ob_time)max_days * OB_DAY;
		if (w->to - w->from > lim) {
			*rc = bad(resp, v5 ? "searchType=timeFrame: the window must not exceed 24 hours" : "%s",
				  MSG_RANGE31);
			return -1;
		}
	} else {
		/* Day mode: whole days, both ends inclusive. */
		if ((w->to - w->from) / OB_DAY >= max_days) {
			*rc = bad(resp, "%s", MSG_RANGE31);
			return -1;
		}
		w->to += OB_DAY;
	}
	snprintf(w->key, sizeof w->key, "%s|%s|%d", from, to, w->minutes);
	return 0;
}

static int read_page_size(const struct sandbox_request *req, int max, int def, int *out,
			  struct sandbox_response *resp, int *rc, const char *name)
{
	char v[24];
	int f = sandbox_query_get(req->query, name, v, sizeof v);
	int64_t n = def;
	if (f != 0 && (f < 0 || str_to_i64(v, &n) < 0 || n < 1 || n > max)) {
		*rc = bad(resp, "%s must be between 1 and %d", name, max);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* --- order sheets --- */

static const char *const STATUSES[] = { "ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY",
					"NONE_TRACKING" };

static bool known_status(const char *s)
{
	for (size_t i = 0; i < sizeof STATUSES / sizeof STATUSES[0]; i++)
		if (strcmp(s, STATUSES[i]) == 0)
			return true;
	return false;
}

static int h_ordersheets(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	struct window w;
	int rc = 0, per = PAGE_MAX;
	if (read_window(req, true, 31, &w, resp, &rc) < 0)
		return rc;
	char status[32], tok[40] = "";
	int fs = sandbox_query_get(req->query, "status", status, sizeof status);
	if (fs != 1 || !known_status(status))
		return bad(resp, "status is required: one of ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, "
				 "FINAL_DELIVERY, NONE_TRACKING");
	/* Minute mode answers the whole window at once (coupang.md §3). */
	if (!w.minutes && read_page_size(req, PAGE_MAX, PAGE_MAX, &per, resp, &rc, "maxPerPage") < 0)
		return rc;
	if (w.minutes)
		per = 1 << 30;
	char key[200];
	snprintf(key, sizeof key, "os|%s|%s", status, w.key);
	size_t start = 0;
	if (!w.minutes && (sandbox_query_get(req->query, "nextToken", tok, sizeof tok) < 0 ||
			   token_read(key, tok, &start) < 0))
		return bad(resp, "nextToken is invalid for this query");
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	int rows = 0;
	size_t last = 0;
	char next[32] = "";
	for (size_t i = start; ok && i < st->nboxes; i++) {
		const struct cpx_box *b = &st->boxes[i];
		if (b->ordered < w.from || b->ordered >= w.to || !str_eq(cpx_str(b->doc, "status"), status) ||
		    cpx_box_gone(st, b))
			continue;
		if (rows == per) {
			/* The token names the last row served, so rows that change
			 * status meanwhile shift nothing. */
			token_make(key, last, next, sizeof next);
			break;
		}
		last = i;
		cpx_jpush(data, cJSON_Duplicate(b->doc, 1), &ok);
		rows++;
	}
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->rows = rows;
	return respond_data(resp, false, data, "nextToken", next);
}

static struct cpx_box *box_of(struct cpx_state *st, uint64_t id)
{
	return id ? cpx_box_find(st, id) : NULL;
}

static int h_ordersheet(struct cpx_state *st, uint64_t id, struct sandbox_response *resp)
{
	struct cpx_box *b = box_of(st, id);
	if (!b)
		return bad(resp, "shipmentBoxId (%" PRIu64 ") is not found.", id);
	if (cpx_box_gone(st, b))
		return bad(resp, "%s", MSG_GONE);
	cJSON *d = cJSON_Duplicate(b->doc, 1);
	return d ? respond_data(resp, false, d, NULL, NULL) : -1;
}

static int h_by_order(struct cpx_state *st, uint64_t order_id, struct sandbox_response *resp)
{
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	int n = 0;
	for (size_t i = 0; ok && i < st->nboxes; i++)
		if (st->boxes[i].order_id == order_id) {
			cpx_jpush(data, cJSON_Duplicate(st->boxes[i].doc, 1), &ok);
			n++;
		}
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	if (n == 0) {
		cJSON_Delete(data);
		return bad(resp, "orderId (%" PRIu64 ") is not found.", order_id);
	}
	resp->rows = n;
	return respond_data(resp, false, data, NULL, NULL);
}

static int h_history(struct cpx_state *st, uint64_t id, struct sandbox_response *resp)
{
	struct cpx_box *b = box_of(st, id);
	if (!b)
		return bad(resp, "shipmentBoxId (%" PRIu64 ") is not found.", id);
	cJSON *d = cJSON_CreateObject(), *details = cJSON_CreateArray();
	bool ok = d != NULL;
	cpx_jraw(d, "shipmentBoxId", b->id, &ok);
	cpx_jadd(d, "details", details, &ok);
	for (size_t i = b->nhist; ok && i-- > 0;) {
		cJSON *e = cJSON_CreateObject();
		char t[48];
		sandbox_time_text(b->hist[i].at, b->hist[i].usec, t, sizeof t);
		cpx_js(e, "deliveryStatus", b->hist[i].status, &ok);
		cpx_js(e, "deliveryStatusDesc", cpx_status_desc(b->hist[i].status), &ok);
		cpx_js(e, "updatedAt", t, &ok);
		cpx_jpush(details, e, &ok);
	}
	if (!ok) {
		cJSON_Delete(d);
		return -1;
	}
	return respond_data(resp, false, d, NULL, NULL);
}

/* --- per-item results (acknowledgement, invoices) --- */

struct result_list {
	cJSON *list;
	int ok, failed;
	bool mem;
};

static bool retry_for(const char *code, bool ack)
{
	static const char *const retry[] = { "PERMISSION_DENIED", "DUPLICATE_INVOICE_NUMBER", "INVALID_INVOICE_NUMBER",
					     "ORDER_DELIVERY_PARTIAL_STOP_REQUESTED",
					     "ORDER_DELIVERY_CANCELED_HOLDING_FOR_CANCEL", "UNDEFINED_ERROR_OCCUR" };
	/* The acknowledgement example marks a missing box retryable; the
	 * invoice table does not. */
	if (ack && strcmp(code, "NOT_FOUND_SHIPMENT_BOX") == 0)
		return true;
	for (size_t i = 0; i < sizeof retry / sizeof retry[0]; i++)
		if (strcmp(code, retry[i]) == 0)
			return true;
	return false;
}

static void result_add(struct result_list *rl, uint64_t box, const char *code, const char *msg, bool ack)
{
	cJSON *r = cJSON_CreateObject();
	bool ok = !rl->mem && r != NULL;
	bool succeed = strcmp(code, "OK") == 0;
	cpx_jraw(r, "shipmentBoxId", box, &ok);
	cpx_jb(r, "succeed", succeed, &ok);
	cpx_js(r, "resultCode", code, &ok);
	cpx_jb(r, "retryRequired", !succeed && retry_for(code, ack), &ok);
	cpx_js(r, "resultMessage", msg, &ok);
	cpx_jpush(rl->list, ok ? r : (cJSON_Delete(r), NULL), &ok);
	if (!ok)
		rl->mem = true;
	if (succeed)
		rl->ok++;
	else
		rl->failed++;
}

static int respond_results(struct cpx_state *st, struct sandbox_response *resp, struct result_list *rl, bool ack)
{
	cJSON *d = cJSON_CreateObject();
	bool ok = d != NULL && !rl->mem;
	int code = rl->failed == 0 ? 0 : rl->ok == 0 ? 99 : 1;
	if (ack) {
		/* A signed 64-bit key, negative like the documented one. */
		st->writes++;
		int64_t key = -(int64_t)(mix(st->seed ^ (st->writes * 0x2545F4914F6CDD1Dull)) >> 1) - 1;
		cpx_jadd(d, "responseKey", sandbox_json_i64_raw(key), &ok);
	}
	cpx_jn(d, "responseCode", code, &ok);
	cpx_js(d, "responseMessage",
	       code == 0 ? "SUCCESS" :
	       code == 1 ? "apply instructStatus result - Partial errors." : "apply instructStatus result - All errors.",
	       &ok);
	cpx_jadd(d, "responseList", rl->list, &ok);
	rl->list = NULL;
	if (!ok) {
		cJSON_Delete(d);
		return -1;
	}
	return respond_data(resp, true, d, NULL, NULL);
}

static int set_v5_now(cJSON *obj, const char *key, ob_time now)
{
	char t[48];
	sandbox_time_text(now, 0, t, sizeof t);
	return cpx_set_str(obj, key, t);
}

static int h_ack(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object {\"vendorId\":..,\"shipmentBoxIds\":[..]}");
	if (!body_vendor_ok(body)) {
		cJSON_Delete(body);
		return bad(resp, "Invalid vendor ID");
	}
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "shipmentBoxIds");
	int n = cJSON_GetArraySize(ids);
	if (!cJSON_IsArray(ids) || n < 1 || n > BATCH_MAX) {
		cJSON_Delete(body);
		return bad(resp, "shipmentBoxIds: 1 to %d ids per request (got %d)", BATCH_MAX, n);
	}
	struct result_list rl = { cJSON_CreateArray(), 0, 0, false };
	rl.mem = rl.list == NULL;
	const cJSON *v;
	cJSON_ArrayForEach(v, ids)
	{
		uint64_t id = u64v(v);
		struct cpx_box *b = box_of(st, id);
		char msg[96];
		if (!b) {
			snprintf(msg, sizeof msg, "shipmentBoxId (%" PRIu64 ") is not found.", id);
			result_add(&rl, id, "NOT_FOUND_SHIPMENT_BOX", msg, true);
		} else if (cpx_box_gone(st, b)) {
			result_add(&rl, id, "ORDER_DELIVERY_CANCELED", MSG_GONE, true);
		} else if (!str_eq(cpx_str(b->doc, "status"), "ACCEPT")) {
			result_add(&rl, id, "INVALID_STATUS", "배송진행상태가 유효하지 않습니다.", true);
		} else if (cpx_box_open_cancel(st, b)) {
			result_add(&rl, id, "ORDER_DELIVERY_CANCELED_HOLDING_FOR_CANCEL", MSG_HOLD, true);
		} else {
			/* The buyer's address change takes effect now (coupang.md §3:
			 * re-read after acknowledging). */
			if (b->pending) {
				if (!cJSON_ReplaceItemInObjectCaseSensitive(b->doc, "receiver", b->pending))
					rl.mem = true;
				else
					b->pending = NULL;
			}
			if (cpx_set_str(b->doc, "status", "INSTRUCT") < 0 || cpx_hist_add(b, "INSTRUCT", req->now, 0) < 0)
				rl.mem = true;
			result_add(&rl, id, "OK", "request succeeded.", true);
		}
	}
	cJSON_Delete(body);
	resp->items = n;
	int rc = respond_results(st, resp, &rl, true);
	cJSON_Delete(rl.list);
	return rc;
}

/* --- invoices --- */

struct dto {
	uint64_t box, order, vid;
	const char *code, *invoice;
	bool split;
};

static bool truthy(const cJSON *v)
{
	return cJSON_IsTrue(v) || (cJSON_IsString(v) && str_eq_ci(v->valuestring, "true"));
}

static bool shipped_status(const char *s)
{
	return str_eq(s, "DEPARTURE") || str_eq(s, "DELIVERING") || str_eq(s, "FINAL_DELIVERY") ||
	       str_eq(s, "NONE_TRACKING");
}

static bool same_receiver(const cJSON *a, const cJSON *b)
{
	return str_eq(cpx_str(a, "name"), cpx_str(b, "name")) && str_eq(cpx_str(a, "addr1"), cpx_str(b, "addr1")) &&
	       str_eq(cpx_str(a, "addr2"), cpx_str(b, "addr2"));
}

/* Marks the box shipped with this invoice. */
static int ship(struct cpx_box *b, const struct courier *c, const char *code, const char *invoice, ob_time now)
{
	bool changed = !str_eq(cpx_str(b->doc, "status"), "DEPARTURE");
	const char *name = str_eq(code, "DIRECT") ? "업체직송" : c->name_ko;
	if (cpx_set_str(b->doc, "status", "DEPARTURE") < 0 || cpx_set_str(b->doc, "deliveryCompanyName", name) < 0 ||
	    cpx_set_str(b->doc, "invoiceNumber", invoice) < 0 || set_v5_now(b->doc, "inTrasitDateTime", now) < 0)
		return -1;
	cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
		if (set_v5_now(it, "invoiceNumberUploadDate", now) < 0)
			return -1;
	return changed ? cpx_hist_add(b, "DEPARTURE", now, 0) : 0;
}

/* The result code for one box's DTOs, or "OK" after applying them. */
static const char *invoice_box(struct cpx_state *st, const struct dto *d, int nd, bool update, ob_time now,
			       char *msg, size_t mn, bool *mem)
{
	struct cpx_box *b = box_of(st, d[0].box);
	if (!b || b->order_id != d[0].order) {
		snprintf(msg, mn, "shipmentBoxId (%" PRIu64 ") of orderId (%" PRIu64 ") is not found.", d[0].box,
			 d[0].order);
		return "NOT_FOUND_SHIPMENT_BOX";
	}
	const char *status = cpx_str(b->doc, "status");
	if (cpx_box_gone(st, b)) {
		snprintf(msg, mn, "%s", MSG_GONE);
		return "ORDER_DELIVERY_CANCELED";
	}
	if (update ? !shipped_status(status) : !str_eq(status, "INSTRUCT")) {
		snprintf(msg, mn, "배송진행상태가 유효하지 않습니다. (%s)", status ? status : "");
		return "INVALID_STATUS";
	}
	if (cpx_box_open_stop(st, b)) {
		snprintf(msg, mn, "출고중지 요청된 주문입니다. 출고중지 처리 후 진행해주세요.");
		return "ORDER_DELIVERY_PARTIAL_STOP_REQUESTED";
	}
	for (int i = 0; i < nd; i++) {
		if (d[i].split) {
			snprintf(msg, mn, "the sandbox does not simulate split shipping (splitShipping=true)");
			return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems")) == 1 ?
				       "NOT_ALLOW_SEPARATE_WHEN_ONE_VENDOR_ITEM" : "UNDEFINED_ERROR_OCCUR";
		}
		if (!str_eq(d[i].code, d[0].code) || !str_eq(d[i].invoice, d[0].invoice)) {
			snprintf(msg, mn, "items of one box got different invoices without splitShipping");
			return "IS_SEPARATE_MUST_BE_TRUE_WHEN_SEPARATE_DELIVERY";
		}
		bool found = false;
		const cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
			found |= u64k(it, "vendorItemId") == d[i].vid;
		if (!found) {
			snprintf(msg, mn, "vendorItemId (%" PRIu64 ") is not in shipmentBoxId (%" PRIu64 ").", d[i].vid,
				 b->id);
			return "NOT_FOUND_VENDOR_ITEM";
		}
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
	{
		int left = cpx_item_int(it, "shippingCount") - cpx_item_int(it, "cancelCount") -
			   cpx_item_int(it, "holdCountForCancel");
		bool sent = false;
		for (int i = 0; i < nd; i++)
			sent |= d[i].vid == u64k(it, "vendorItemId");
		if (left > 0 && !sent) {
			snprintf(msg, mn, "vendorItemId (%" PRIu64 ") of the box is missing: one DTO per item is required.",
				 u64k(it, "vendorItemId"));
			return "NOT_FOUND_VENDOR_ITEM";
		}
	}
	const struct courier *c = courier_by_code("coupang", d[0].code ? d[0].code : "");
	char why[160] = "";
	if (!c || !d[0].invoice || !courier_invoice_ok(c, d[0].invoice, why, sizeof why)) {
		snprintf(msg, mn, "%s", !c ? "unknown deliveryCompanyCode" : !d[0].invoice ? "invoiceNumber is missing" : why);
		return "INVALID_INVOICE_NUMBER";
	}
	for (size_t i = 0; i < st->nboxes; i++) {
		const struct cpx_box *o = &st->boxes[i];
		if (o->order_id != b->order_id && str_eq(cpx_str(o->doc, "invoiceNumber"), d[0].invoice) &&
		    !same_receiver(cJSON_GetObjectItemCaseSensitive(o->doc, "receiver"),
				   cJSON_GetObjectItemCaseSensitive(b->doc, "receiver"))) {
			snprintf(msg, mn, "invoiceNumber %s is already used on orderId %" PRIu64 ".", d[0].invoice,
				 o->order_id);
			return "DUPLICATE_INVOICE_NUMBER";
		}
	}
	if (ship(b, c, d[0].code, d[0].invoice, now) < 0)
		*mem = true;
	msg[0] = '\0';
	return "OK";
}

static int h_invoices(struct cpx_state *st, const struct sandbox_request *req, bool update,
		      struct sandbox_response *resp)
{
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object {\"vendorId\":..,\"orderSheetInvoiceApplyDtos\":[..]}");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "orderSheetInvoiceApplyDtos");
	int n = cJSON_GetArraySize(list);
	if (!body_vendor_ok(body)) {
		cJSON_Delete(body);
		return bad(resp, "Invalid vendor ID");
	}
	if (!cJSON_IsArray(list) || n < 1) {
		cJSON_Delete(body);
		return bad(resp, "orderSheetInvoiceApplyDtos: at least one DTO is required");
	}
	struct dto *d = calloc((size_t)n, sizeof *d);
	bool *done = calloc((size_t)n, sizeof *done);
	if (!d || !done) {
		free(d);
		free(done);
		cJSON_Delete(body);
		return -1;
	}
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
	{
		d[i] = (struct dto){ u64k(e, "shipmentBoxId"), u64k(e, "orderId"), u64k(e, "vendorItemId"),
				     cpx_str(e, "deliveryCompanyCode"), cpx_str(e, "invoiceNumber"),
				     truthy(cJSON_GetObjectItemCaseSensitive(e, "splitShipping")) };
		if (!d[i].box || !d[i].order || !d[i].vid) {
			free(d);
			free(done);
			cJSON_Delete(body);
			return bad(resp, "orderSheetInvoiceApplyDtos[%d]: shipmentBoxId, orderId and vendorItemId are "
					 "required numbers", i);
		}
		i++;
	}
	struct result_list rl = { cJSON_CreateArray(), 0, 0, false };
	rl.mem = rl.list == NULL;
	struct dto *grp = calloc((size_t)n, sizeof *grp);
	if (!grp)
		rl.mem = true;
	int boxes = 0;
	for (int k = 0; k < n && grp; k++) {
		if (done[k])
			continue;
		/* One box at a time: its DTOs, in the order sent. */
		int ng = 0;
		for (int j = k; j < n; j++)
			if (!done[j] && d[j].box == d[k].box) {
				grp[ng++] = d[j];
				done[j] = true;
			}
		char msg[256];
		const char *code = invoice_box(st, grp, ng, update, req->now, msg, sizeof msg, &rl.mem);
		result_add(&rl, d[k].box, code, *msg ? msg : NULL, false);
		boxes++;
	}
	free(grp);
	free(d);
	free(done);
	cJSON_Delete(body);
	resp->items = boxes;
	int rc = respond_results(st, resp, &rl, false);
	cJSON_Delete(rl.list);
	return rc;
}

/* --- return requests --- */

static const cJSON *rr_json(const struct cpx_receipt *r)
{
	return r->doc;
}

static int h_returns(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	struct window w;
	int rc = 0, per = PAGE_MAX;
	if (read_window(req, false, 31, &w, resp, &rc) < 0)
		return rc;
	char ct[16] = "RETURN", status[16] = "", oid[32] = "", tok[40] = "";
	int fc = sandbox_query_get(req->query, "cancelType", ct, sizeof ct);
	int fs = sandbox_query_get(req->query, "status", status, sizeof status);
	int fo = sandbox_query_get(req->query, "orderId", oid, sizeof oid);
	if (fc < 0 || (fc == 1 && !str_eq(ct, "RETURN") && !str_eq(ct, "CANCEL")))
		return bad(resp, "cancelType must be RETURN or CANCEL");
	if (fc == 0)
		str_copy(ct, sizeof ct, "RETURN");
	bool cancel = str_eq(ct, "CANCEL");
	if (fs < 0 || (fs == 1 && !str_eq(status, "RU") && !str_eq(status, "UC") && !str_eq(status, "CC") &&
		       !str_eq(status, "PR")))
		return bad(resp, "status must be one of RU, UC, CC, PR");
	if (cancel && fs == 1)
		return bad(resp, "cancelType=CANCEL lists cancellations before acknowledgement: leave status out");
	if (!cancel && fs != 1 && fo != 1)
		return bad(resp, "status is required unless orderId is given");
	uint64_t order = 0;
	if (fo != 0) {
		if (fo < 0 || !str_is_digits(oid) || strlen(oid) > 19)
			return bad(resp, "orderId must be a number");
		order = strtoull(oid, NULL, 10);
	}
	if (read_page_size(req, PAGE_MAX, PAGE_MAX, &per, resp, &rc, "maxPerPage") < 0)
		return rc;
	char key[240];
	snprintf(key, sizeof key, "rr|%s|%s|%s|%s", ct, status, oid, w.key);
	size_t start = 0;
	if (sandbox_query_get(req->query, "nextToken", tok, sizeof tok) < 0 || token_read(key, tok, &start) < 0)
		return bad(resp, "nextToken is invalid for this query");
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	int rows = 0;
	size_t last = 0;
	char next[32] = "";
	for (size_t i = start; ok && i < st->nreceipts; i++) {
		const struct cpx_receipt *r = &st->receipts[i];
		if (r->withdrawn || r->cancel != cancel || r->created < w.from || r->created >= w.to ||
		    (order && r->order_id != order) || (fs == 1 && !cpx_receipt_in_status(r, status)))
			continue;
		if (rows == per) {
			token_make(key, last, next, sizeof next);
			break;
		}
		cpx_jpush(data, cJSON_Duplicate(rr_json(r), 1), &ok);
		rows++;
		last = i;
	}
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->rows = rows;
	return respond_data(resp, false, data, "nextToken", next);
}

static int h_return(struct cpx_state *st, uint64_t id, struct sandbox_response *resp)
{
	struct cpx_receipt *r = cpx_receipt_find(st, id);
	if (!r)
		return bad(resp, "receiptId (%" PRIu64 ") is not found.", id);
	if (r->cancel)
		return bad(resp, "receiptId (%" PRIu64 ") is a cancellation: cancel ids are not supported here.", id);
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	/* A withdrawn request is gone: an empty list, as the list shows it. */
	if (!r->withdrawn)
		cpx_jpush(data, cJSON_Duplicate(r->doc, 1), &ok);
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->rows = r->withdrawn ? 0 : 1;
	return respond_data(resp, false, data, NULL, NULL);
}

static int respond_result(struct sandbox_response *resp, bool ok_result, const char *msg, bool nested)
{
	cJSON *d = cJSON_CreateObject();
	bool ok = d != NULL;
	if (nested) {
		/* completedShipment's documented answer nests code/message in data. */
		cpx_js(d, "code", "200", &ok);
		cpx_js(d, "message", "OK", &ok);
	}
	cpx_js(d, "resultCode", ok_result ? "SUCCESS" : "FAIL", &ok);
	cpx_js(d, "resultMessage", msg, &ok);
	if (!ok) {
		cJSON_Delete(d);
		return -1;
	}
	return respond_data(resp, true, d, NULL, NULL);
}

static int mark_decided(struct cpx_receipt *r, const char *stop, const char *release, ob_time now)
{
	char t[40];
	sandbox_time_text(now, -1, t, sizeof t);
	if (cpx_set_str(r->doc, "releaseStopStatus", stop) < 0 ||
	    cpx_set_str(r->doc, "completeConfirmType", "VENDOR_CONFIRM") < 0 ||
	    cpx_set_str(r->doc, "completeConfirmDate", t) < 0 || cpx_set_str(r->doc, "modifiedAt", t) < 0)
		return -1;
	cJSON *ri;
	cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
		if (cpx_set_str(ri, "releaseStatus", release) < 0)
			return -1;
	return 0;
}

static int h_stop_or_shipped(struct cpx_state *st, const struct sandbox_request *req, uint64_t id, bool stop,
			     struct sandbox_response *resp)
{
	struct cpx_receipt *r = cpx_receipt_find(st, id);
	if (!r || r->withdrawn || r->cancel)
		return bad(resp, "receiptId (%" PRIu64 ") is not found.", id);
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object");
	int rc;
	const cJSON *rid = cJSON_GetObjectItemCaseSensitive(body, "receiptId");
	const cJSON *cc = cJSON_GetObjectItemCaseSensitive(body, "cancelCount");
	const char *code = cpx_str(body, "deliveryCompanyCode"), *inv = cpx_str(body, "invoiceNumber");
	if (!body_vendor_ok(body)) {
		rc = bad(resp, "Invalid vendor ID");
	} else if (!rid || u64v(rid) != id) {
		rc = bad(resp, "receiptId in the body must be the path's (%" PRIu64 ")", id);
	} else if (stop && !cJSON_IsNumber(cc)) {
		rc = bad(resp, "cancelCount is required");
	} else if (stop && cc->valueint != cpx_item_int(r->doc, "cancelCountSum")) {
		rc = bad(resp, "%s", MSG_COUNT);
	} else if (!stop && (!code || !*code || !inv || !*inv)) {
		rc = bad(resp, "deliveryCompanyCode and invoiceNumber are required");
	} else if (!cpx_receipt_undecided(r)) {
		char m[256];
		snprintf(m, sizeof m, "이미 처리된 요청입니다. (releaseStopStatus=%s, completeConfirmType=%s)",
			 cpx_str(r->doc, "releaseStopStatus") ? cpx_str(r->doc, "releaseStopStatus") : "",
			 cpx_str(r->doc, "completeConfirmType") ? cpx_str(r->doc, "completeConfirmType") : "");
		rc = respond_result(resp, false, m, !stop);
	} else if (stop) {
		/* Stopping needs every box of the request still in the warehouse. */
		bool shipped = false;
		for (size_t i = 0; i < st->nboxes; i++)
			if (st->boxes[i].order_id == r->order_id &&
			    shipped_status(cpx_str(st->boxes[i].doc, "status"))) {
				const cJSON *ri;
				cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
					shipped |= u64k(ri, "shipmentBoxId") == st->boxes[i].id;
			}
		if (shipped) {
			rc = respond_result(resp, false, "이미 출고된 주문입니다. 이미출고 처리해주세요.", false);
		} else if (mark_decided(r, "처리(출고중지)", "S", req->now) < 0) {
			rc = -1;
		} else {
			cpx_apply_cancel(st, r);
			rc = respond_result(resp, true, "출고중지완료요청이 성공하였습니다", false);
		}
	} else {
		const struct courier *c = courier_by_code("coupang", code);
		char why[160] = "unknown deliveryCompanyCode";
		if (!c || !courier_invoice_ok(c, inv, why, sizeof why)) {
			rc = respond_result(resp, false, why, true);
		} else if (mark_decided(r, "처리(이미출고)", "Y", req->now) < 0) {
			rc = -1;
		} else {
			cJSON *dtos = cJSON_CreateArray(), *dd = cJSON_CreateObject();
			bool ok = dtos && dd;
			cpx_js(dd, "deliveryCompanyCode", code, &ok);
			cpx_js(dd, "deliveryInvoiceNo", inv, &ok);
			cpx_jpush(dtos, ok ? dd : (cJSON_Delete(dd), NULL), &ok);
			if (ok && !cJSON_ReplaceItemInObjectCaseSensitive(r->doc, "returnDeliveryDtos", dtos))
				ok = false, dtos = NULL;
			if (!ok)
				cJSON_Delete(dtos);
			/* The goods left: the box shows the invoice given. */
			for (size_t i = 0; ok && i < st->nboxes; i++) {
				struct cpx_box *b = &st->boxes[i];
				bool in = false;
				const cJSON *ri;
				cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
					in |= u64k(ri, "shipmentBoxId") == b->id;
				const char *s = cpx_str(b->doc, "status");
				if (in && (str_eq(s, "INSTRUCT") || str_eq(s, "ACCEPT")) && ship(b, c, code, inv, req->now) < 0)
					ok = false;
			}
			rc = ok ? respond_result(resp, true, "이미출고 상태변경이 성공하였습니다.", true) : -1;
		}
	}
	cJSON_Delete(body);
	return rc;
}

/* --- returns after delivery: receive confirmation, approval, pickup invoices --- */

/* A return the seller processes (not a stop-shipment request, which
 * stoppedShipment / completedShipment answer): the client's reading too. */
static bool is_return(const struct cpx_receipt *r)
{
	const char *rs = cpx_str(r->doc, "receiptStatus"), *stop = cpx_str(r->doc, "releaseStopStatus");
	return !r->cancel && !str_eq(rs, "RELEASE_STOP_UNCHECKED") &&
	       !(str_eq(rs, "RETURNS_UNCHECKED") && (str_eq(stop, "미처리") || str_eq(stop, "처리(출고중지)")));
}

/* {"code":"200","message":msg}: the documented answer of the v4 return and
 * exchange writes. */
static int respond_v4_ok(struct sandbox_response *resp, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	cpx_js(o, "code", "200", &ok);
	cpx_js(o, "message", msg, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, 200, o);
}

/* PUT receiveConfirmation (입고확인) and approval (반품승인) of a return. */
static int h_return_step(struct cpx_state *st, const struct sandbox_request *req, uint64_t id, bool approve,
			 struct sandbox_response *resp)
{
	struct cpx_receipt *r = cpx_receipt_find(st, id);
	if (!r || r->withdrawn || r->cancel)
		return bad(resp, "receiptId (%" PRIu64 ") is not found.", id);
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object");
	const cJSON *rid = cJSON_GetObjectItemCaseSensitive(body, "receiptId");
	const cJSON *cc = cJSON_GetObjectItemCaseSensitive(body, "cancelCount");
	const char *rs = cpx_str(r->doc, "receiptStatus");
	char t[40];
	sandbox_time_text(req->now, -1, t, sizeof t);
	int rc;
	if (!body_vendor_ok(body)) {
		rc = bad(resp, "Invalid vendor ID");
	} else if (!rid || u64v(rid) != id) {
		rc = bad(resp, "receiptId in the body must be the path's (%" PRIu64 ")", id);
	} else if (!is_return(r)) {
		rc = bad(resp, "출고중지요청 건입니다. 출고중지완료 또는 이미출고로 처리해주세요. (receiptId %" PRIu64 ")", id);
	} else if (!approve && !str_eq(rs, "RETURNS_UNCHECKED")) {
		rc = bad(resp, "반품접수(RETURNS_UNCHECKED) 상태에서만 입고확인할 수 있습니다. (receiptStatus=%s)", rs ? rs : "");
	} else if (approve && !cJSON_IsNumber(cc)) {
		rc = bad(resp, "cancelCount is required");
	} else if (approve && !str_eq(rs, "VENDOR_WAREHOUSE_CONFIRM")) {
		rc = bad(resp, "입고완료(VENDOR_WAREHOUSE_CONFIRM) 상태에서만 반품승인할 수 있습니다. (receiptStatus=%s)",
			 rs ? rs : "");
	} else if (approve && cc->valueint != cpx_item_int(r->doc, "cancelCountSum")) {
		rc = bad(resp, "%s", MSG_COUNT);
	} else if (!approve) {
		rc = cpx_set_str(r->doc, "receiptStatus", "VENDOR_WAREHOUSE_CONFIRM") < 0 ||
				     cpx_set_str(r->doc, "modifiedAt", t) < 0 ?
			     -1 :
			     respond_v4_ok(resp, "OK");
	} else {
		rc = cpx_set_str(r->doc, "receiptStatus", "RETURNS_COMPLETED") < 0 ||
				     cpx_set_str(r->doc, "completeConfirmType", "VENDOR_CONFIRM") < 0 ||
				     cpx_set_str(r->doc, "completeConfirmDate", t) < 0 ||
				     cpx_set_str(r->doc, "modifiedAt", t) < 0 || cpx_count_returns(st) < 0 ?
			     -1 :
			     respond_v4_ok(resp, "OK");
	}
	cJSON_Delete(body);
	return rc;
}

/* POST return-exchange-invoices/manual (회수 송장 등록). */
static int h_pickup(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object");
	const char *type = cpx_str(body, "returnExchangeDeliveryType");
	const char *code = cpx_str(body, "deliveryCompanyCode"), *inv = cpx_str(body, "invoiceNumber");
	const char *reg = cpx_str(body, "regNumber");
	uint64_t id = u64k(body, "receiptId");
	const struct courier *c = code ? courier_by_code("coupang", code) : NULL;
	char why[160] = "unknown deliveryCompanyCode";
	struct cpx_receipt *r = NULL;
	struct cpx_exchange *x = NULL;
	int rc = 0;
	bool done = true;
	if (!body_vendor_ok(body))
		rc = bad(resp, "Invalid vendor ID");
	else if (!str_eq(type, "RETURN") && !str_eq(type, "EXCHANGE"))
		rc = bad(resp, "returnExchangeDeliveryType must be RETURN or EXCHANGE");
	else if (!id)
		rc = bad(resp, "receiptId is required");
	else if (!code || !*code || !inv || !*inv)
		rc = bad(resp, "deliveryCompanyCode and invoiceNumber are required");
	else if (!c || !courier_invoice_ok(c, inv, why, sizeof why))
		rc = bad(resp, "%s", why);
	else
		done = false;
	if (!done && str_eq(type, "RETURN")) {
		r = cpx_receipt_find(st, id);
		const char *rs = r ? cpx_str(r->doc, "receiptStatus") : NULL;
		if (!r || r->withdrawn || !is_return(r))
			rc = bad(resp, "receiptId (%" PRIu64 ") is not a return.", id), done = true;
		else if (!str_eq(rs, "RETURNS_UNCHECKED"))
			rc = bad(resp, "회수송장은 반품접수(RETURNS_UNCHECKED) 상태에서만 등록할 수 있습니다. (receiptStatus=%s)",
				 rs ? rs : ""),
			done = true;
	} else if (!done) {
		x = cpx_exchange_find(st, id);
		const char *cs = x ? cpx_str(x->doc, "collectStatus") : NULL;
		const char *xs = x ? cpx_str(x->doc, "exchangeStatus") : NULL;
		if (!x)
			rc = bad(resp, "exchangeId (%" PRIu64 ") is not found.", id), done = true;
		else if (!str_eq(cs, "BeforeDirection") || !(str_eq(xs, "RECEIPT") || str_eq(xs, "PROGRESS")))
			rc = bad(resp, "회수송장은 회수지시 전(collectStatus BeforeDirection) 교환에만 등록할 수 있습니다. "
				 "(exchangeStatus=%s, collectStatus=%s)", xs ? xs : "", cs ? cs : ""),
			done = true;
	}
	if (!done) {
		cJSON *doc = r ? r->doc : x->doc;
		if (cpx_set_pickup(doc, code, inv) < 0 || (x && cpx_set_str(x->doc, "collectStatus", "CompleteDirection") < 0)) {
			rc = -1;
		} else {
			cJSON *d = cJSON_CreateObject();
			bool ok = d != NULL;
			cpx_js(d, "deliveryCompanyCode", code, &ok);
			cpx_js(d, "invoiceNumber", inv, &ok);
			cpx_jraw(d, "invoiceNumberId", mix(id ^ ++st->writes) % 100000000ull + 1, &ok);
			cpx_jraw(d, "receiptId", id, &ok);
			cpx_js(d, "regNumber", reg ? reg : "", &ok);
			cpx_jraw(d, "returnDeliveryId", r ? u64k(r->doc, "returnDeliveryId") : id + 7000000, &ok);
			cpx_js(d, "returnExchangeDeliveryType", type, &ok);
			if (!ok)
				cJSON_Delete(d);
			rc = ok ? respond_data(resp, true, d, NULL, NULL) : -1;
		}
	}
	cJSON_Delete(body);
	return rc;
}

/* --- exchanges --- */

static const char *const EX_STATUSES[] = { "RECEIPT", "PROGRESS", "SUCCESS", "REJECT", "CANCEL" };

/* createdAtFrom/To "yyyy-MM-ddTHH:mm:ss", both ends inclusive, at most 7 days. */
static int h_exchanges(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	char from[48], to[48], status[16] = "", oid[32] = "", tok[40] = "";
	ob_time f, t;
	int rc = 0, per = 10;
	if (sandbox_query_get(req->query, "createdAtFrom", from, sizeof from) != 1 ||
	    sandbox_query_get(req->query, "createdAtTo", to, sizeof to) != 1)
		return bad(resp, "createdAtFrom and createdAtTo are required");
	if (strlen(from) != 19 || parse_when(from, true, OFFSET_NONE, &f) < 0)
		return bad(resp, "createdAtFrom '%s' is not yyyy-MM-ddTHH:mm:ss", from);
	if (strlen(to) != 19 || parse_when(to, true, OFFSET_NONE, &t) < 0)
		return bad(resp, "createdAtTo '%s' is not yyyy-MM-ddTHH:mm:ss", to);
	if (t < f)
		return bad(resp, "createdAtTo is before createdAtFrom");
	if (t - f > 7 * (ob_time)OB_DAY)
		return bad(resp, "조회 기간은 최대 7일입니다. (createdAtFrom ~ createdAtTo)");
	int fs = sandbox_query_get(req->query, "status", status, sizeof status);
	bool known = false;
	for (size_t i = 0; fs == 1 && i < sizeof EX_STATUSES / sizeof EX_STATUSES[0]; i++)
		known |= str_eq(status, EX_STATUSES[i]);
	if (fs < 0 || (fs == 1 && !known))
		return bad(resp, "status must be one of RECEIPT, PROGRESS, SUCCESS, REJECT, CANCEL");
	int fo = sandbox_query_get(req->query, "orderId", oid, sizeof oid);
	uint64_t order = 0;
	if (fo != 0) {
		if (fo < 0 || !str_is_digits(oid) || strlen(oid) > 19)
			return bad(resp, "orderId must be a number");
		order = strtoull(oid, NULL, 10);
	}
	if (read_page_size(req, PAGE_MAX, 10, &per, resp, &rc, "maxPerPage") < 0)
		return rc;
	char key[240];
	snprintf(key, sizeof key, "ex|%s|%s|%s|%s", from, to, status, oid);
	size_t start = 0;
	if (sandbox_query_get(req->query, "nextToken", tok, sizeof tok) < 0 || token_read(key, tok, &start) < 0)
		return bad(resp, "nextToken is invalid for this query");
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	int rows = 0;
	size_t last = 0;
	char next[32] = "";
	for (size_t i = start; ok && i < st->nexs; i++) {
		const struct cpx_exchange *x = &st->exs[i];
		if (x->created < f || x->created > t || (order && x->order_id != order) ||
		    (fs == 1 && !str_eq(cpx_str(x->doc, "exchangeStatus"), status)))
			continue;
		if (rows == per) {
			token_make(key, last, next, sizeof next);
			break;
		}
		cpx_jpush(data, cJSON_Duplicate(x->doc, 1), &ok);
		rows++;
		last = i;
	}
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->rows = rows;
	return respond_data(resp, true, data, "nextToken", next);
}

static struct cpx_exchange *exchange_of(struct cpx_state *st, uint64_t id)
{
	return cpx_exchange_find(st, id);
}

/* PUT receiveConfirmation (RECEIPT -> PROGRESS) and rejection (교환불가). */
static int h_exchange_step(struct cpx_state *st, const struct sandbox_request *req, uint64_t id, bool reject,
			   struct sandbox_response *resp)
{
	struct cpx_exchange *x = exchange_of(st, id);
	if (!x)
		return bad(resp, "exchangeId (%" PRIu64 ") is not found.", id);
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object");
	const cJSON *xid = cJSON_GetObjectItemCaseSensitive(body, "exchangeId");
	const char *code = cpx_str(body, "exchangeRejectCode");
	const char *xs = cpx_str(x->doc, "exchangeStatus");
	int rc;
	if (!body_vendor_ok(body)) {
		rc = bad(resp, "Invalid vendor ID");
	} else if (!xid || u64v(xid) != id) {
		rc = bad(resp, "exchangeId in the body must be the path's (%" PRIu64 ")", id);
	} else if (reject && !str_eq(code, "SOLDOUT") && !str_eq(code, "WITHDRAW")) {
		rc = bad(resp, "exchangeRejectCode must be SOLDOUT or WITHDRAW");
	} else if (reject) {
		if (!str_eq(xs, "RECEIPT") && !str_eq(xs, "PROGRESS")) {
			char m[160];
			snprintf(m, sizeof m, "교환불가 처리할 수 없는 상태입니다. (exchangeStatus=%s)", xs ? xs : "");
			rc = respond_result(resp, false, m, false);
		} else if (cpx_exchange_set_status(x, "REJECT", req->now) < 0) {
			rc = -1;
		} else {
			str_copy(x->reject_code, sizeof x->reject_code, code);
			rc = respond_result(resp, true, "교환불가 처리되었습니다.", false);
		}
	} else if (!str_eq(xs, "RECEIPT")) {
		rc = bad(resp, "교환접수(RECEIPT) 상태에서만 입고확인할 수 있습니다. (exchangeStatus=%s)", xs ? xs : "");
	} else {
		/* PROGRESS means the seller has the goods back: the pickup is complete. */
		char t[40];
		sandbox_time_text(req->now, -1, t, sizeof t);
		rc = cpx_exchange_set_status(x, "PROGRESS", req->now) < 0 ||
				     cpx_set_str(x->doc, "collectStatus", "CompleteCollect") < 0 ||
				     cpx_set_str(x->doc, "collectCompleteDate", t) < 0 ?
			     -1 :
			     respond_v4_ok(resp, "SUCCESS");
	}
	cJSON_Delete(body);
	return rc;
}

static cJSON *group_of(const struct cpx_exchange *x, uint64_t box)
{
	cJSON *g;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(x->doc, "deliveryInvoiceGroupDtos"))
		if (u64k(g, "shipmentBoxId") == box)
			return g;
	return NULL;
}

/* POST exchangeRequests/{id}/invoices: a JSON array of DTOs with goodsDeliveryCode,
 * on the new shipmentBoxId, once the pickup is complete. */
static int h_exchange_invoices(struct cpx_state *st, const struct sandbox_request *req, uint64_t id,
			       struct sandbox_response *resp)
{
	struct cpx_exchange *x = exchange_of(st, id);
	if (!x)
		return bad(resp, "exchangeId (%" PRIu64 ") is not found.", id);
	cJSON *body = sandbox_json_parse(req->body, req->body_len);
	int rc = 0, n = cJSON_GetArraySize(body);
	bool done = true;
	const cJSON *d;
	if (!cJSON_IsArray(body) || n < 1 || n > BATCH_MAX) {
		rc = bad(resp, "the body must be a JSON array of 1 to %d invoice DTOs", BATCH_MAX);
	} else {
		done = false;
		cJSON_ArrayForEach(d, body)
		{
			uint64_t box = u64k(d, "shipmentBoxId");
			const char *code = cpx_str(d, "goodsDeliveryCode"), *inv = cpx_str(d, "invoiceNumber");
			bool original = false;
			const cJSON *it;
			cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(x->doc, "exchangeItemDtoV1s"))
				original |= box && u64k(it, "originalShipmentBoxId") == box;
			if (!cJSON_IsObject(d) || !body_vendor_ok(d))
				rc = bad(resp, "Invalid vendor ID");
			else if (u64k(d, "exchangeId") != id)
				rc = bad(resp, "exchangeId in the body must be the path's (%" PRIu64 ")", id);
			else if (!code || !*code)
				rc = bad(resp, "goodsDeliveryCode is required%s",
					 cpx_str(d, "deliveryCompanyCode") ? " (this call does not take deliveryCompanyCode)" : "");
			else if (!inv || !*inv)
				rc = bad(resp, "invoiceNumber is required");
			else if (original)
				rc = bad(resp, "shipmentBoxId %" PRIu64 " is the original box; use the new shipmentBoxId of "
					 "deliveryInvoiceGroupDtos", box);
			else if (!group_of(x, box))
				rc = bad(resp, "shipmentBoxId %" PRIu64 " is not a box of this exchange", box);
			else
				continue;
			done = true;
			break;
		}
	}
	const char *xs = cpx_str(x->doc, "exchangeStatus"), *cs = cpx_str(x->doc, "collectStatus");
	char m[200] = "";
	if (!done && (!str_eq(xs, "PROGRESS") || !str_eq(cs, "CompleteCollect")))
		snprintf(m, sizeof m, "회수완료(CompleteCollect) 후 진행(PROGRESS) 상태에서만 송장을 등록할 수 있습니다. "
			 "(exchangeStatus=%s, collectStatus=%s)", xs ? xs : "", cs ? cs : "");
	cJSON *todo = done || *m ? NULL : body; /* the macro needs a plain name */
	cJSON_ArrayForEach(d, todo)
	{
		const struct courier *c = courier_by_code("coupang", cpx_str(d, "goodsDeliveryCode"));
		char why[160] = "unknown goodsDeliveryCode";
		const cJSON *g = group_of(x, u64k(d, "shipmentBoxId"));
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(g, "deliveryInvoiceDtos")) > 0)
			snprintf(m, sizeof m, "이미 송장이 등록된 배송입니다. (shipmentBoxId %" PRIu64 ")", u64k(d, "shipmentBoxId"));
		else if (!c || !courier_invoice_ok(c, cpx_str(d, "invoiceNumber"), why, sizeof why))
			str_copy(m, sizeof m, why);
		if (*m)
			break;
	}
	if (!done && *m) {
		rc = respond_result(resp, false, m, false);
		done = true;
	}
	todo = done ? NULL : body;
	cJSON_ArrayForEach(d, todo)
	{
		cJSON *g = group_of(x, u64k(d, "shipmentBoxId"));
		cJSON *invs = cJSON_GetObjectItemCaseSensitive(g, "deliveryInvoiceDtos");
		cJSON *inv = cJSON_CreateObject(), *vis = cJSON_CreateArray();
		bool ok = inv && vis;
		cpx_js(inv, "invoiceNumber", cpx_str(d, "invoiceNumber"), &ok);
		cpx_js(inv, "deliverCode", cpx_str(d, "goodsDeliveryCode"), &ok);
		cpx_js(inv, "statusCode", "DELIVERING", &ok);
		const cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(x->doc, "exchangeItemDtoV1s"))
		{
			cJSON *vi = cJSON_CreateObject();
			cpx_jraw(vi, "vendorItemId", u64k(it, "targetItemId"), &ok);
			cpx_jpush(vis, vi, &ok);
		}
		cpx_jadd(inv, "invoiceVendorItemDtos", vis, &ok);
		vis = NULL;
		if (!invs && ok) {
			invs = cJSON_AddArrayToObject(g, "deliveryInvoiceDtos");
			ok = invs != NULL;
		}
		cpx_jpush(invs, inv, &ok);
		inv = NULL;
		if (!ok) {
			cJSON_Delete(vis);
			rc = -1;
			done = true;
			break;
		}
	}
	if (!done) {
		if (cpx_exchange_set_status(x, "SUCCESS", req->now) < 0 ||
		    cpx_set_str(x->doc, "deliveryStatus", "Delivering") < 0) {
			rc = -1;
		} else {
			cJSON *o = cJSON_CreateObject(), *dd = cJSON_CreateObject();
			bool ok = o && dd;
			cpx_js(dd, "resultCode", "SUCCESS", &ok);
			cpx_js(dd, "resultMessage", "Invoice number save successfully", &ok);
			cpx_js(o, "code", "200", &ok);
			cpx_js(o, "message", "SUCCESS", &ok);
			cpx_jadd(o, "data", ok ? dd : NULL, &ok);
			if (!ok) {
				cJSON_Delete(o);
				rc = -1;
			} else {
				rc = sandbox_respond_json(resp, 200, o);
			}
		}
	}
	cJSON_Delete(body);
	return rc;
}

/* --- withdrawals --- */

static int h_withdrawals(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	char from[32], to[32], pi[24];
	ob_time t0, t1;
	int f1 = sandbox_query_get(req->query, "dateFrom", from, sizeof from);
	int f2 = sandbox_query_get(req->query, "dateTo", to, sizeof to);
	if (f1 != 1 || f2 != 1 || strlen(from) != 10 || strlen(to) != 10 || kst_parse_date(from, &t0) < 0 ||
	    kst_parse_date(to, &t1) < 0)
		return bad(resp, "dateFrom and dateTo (yyyy-MM-dd) are required");
	if (t1 < t0)
		return bad(resp, "dateTo is before dateFrom");
	if ((t1 - t0) / OB_DAY >= 7)
		return bad(resp, "dateFrom-dateTo range must be 7 days or less");
	int64_t page = 1;
	int fp = sandbox_query_get(req->query, "pageIndex", pi, sizeof pi);
	if (fp != 0 && (fp < 0 || str_to_i64(pi, &page) < 0 || page < 1))
		return bad(resp, "pageIndex must be a positive number");
	int per = 10, rc = 0;
	if (read_page_size(req, WITHDRAW_PAGE_MAX, 10, &per, resp, &rc, "sizePerPage") < 0)
		return rc;
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	int64_t seen = 0, skip = (page - 1) * per;
	int rows = 0;
	bool more = false;
	for (size_t i = 0; ok && i < st->nwds; i++) {
		const struct cpx_withdrawal *w = &st->wds[i];
		if (w->created < t0 || w->created >= t1 + OB_DAY)
			continue;
		if (seen++ < skip)
			continue;
		if (rows == per) {
			more = true;
			break;
		}
		cpx_jpush(data, cJSON_Duplicate(w->doc, 1), &ok);
		rows++;
	}
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	char next[24] = "";
	if (more)
		snprintf(next, sizeof next, "%" PRId64, page + 1);
	resp->rows = rows;
	return respond_data(resp, false, data, "nextPageIndex", next);
}

static int h_withdraw_list(struct cpx_state *st, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *body = parse_body(req);
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "cancelIds");
	int n = cJSON_GetArraySize(ids);
	if (!body || !cJSON_IsArray(ids) || n < 1 || n > BATCH_MAX) {
		cJSON_Delete(body);
		return bad(resp, "cancelIds: 1 to %d ids per request", BATCH_MAX);
	}
	cJSON *data = cJSON_CreateArray();
	bool ok = data != NULL;
	const cJSON *v;
	int rows = 0;
	cJSON_ArrayForEach(v, ids)
	{
		uint64_t id = u64v(v);
		for (size_t i = 0; ok && i < st->nwds; i++)
			if (st->wds[i].cancel_id == id) {
				cpx_jpush(data, cJSON_Duplicate(st->wds[i].doc, 1), &ok);
				rows++;
			}
	}
	cJSON_Delete(body);
	if (!ok) {
		cJSON_Delete(data);
		return -1;
	}
	resp->items = n;
	resp->rows = rows;
	return respond_data(resp, false, data, NULL, NULL);
}

/* --- seller cancel --- */

static int h_cancel(struct cpx_state *st, const struct sandbox_request *req, uint64_t order_id,
		    struct sandbox_response *resp)
{
	cJSON *body = parse_body(req);
	if (!body)
		return bad(resp, "the body must be a JSON object");
	const cJSON *vids = cJSON_GetObjectItemCaseSensitive(body, "vendorItemIds");
	const cJSON *cnts = cJSON_GetObjectItemCaseSensitive(body, "receiptCounts");
	const char *mid = cpx_str(body, "middleCancelCode"), *user = cpx_str(body, "userId");
	int n = cJSON_GetArraySize(vids), rc;
	bool known = false;
	for (size_t i = 0; i < st->nboxes; i++)
		known |= st->boxes[i].order_id == order_id;
	if (!body_vendor_ok(body)) {
		rc = bad(resp, "Invalid vendor ID");
	} else if (u64k(body, "orderId") != order_id) {
		rc = bad(resp, "orderId is required in the body and must be the path's (%" PRIu64 ")", order_id);
	} else if (!cJSON_IsArray(vids) || !cJSON_IsArray(cnts) || n < 1 || n != cJSON_GetArraySize(cnts)) {
		rc = bad(resp, "vendorItemIds and receiptCounts must be arrays of the same, non-zero length");
	} else if (!str_eq(cpx_str(body, "bigCancelCode"), "CANERR") ||
		   !(str_eq(mid, "CCTTER") || str_eq(mid, "CCPNER") || str_eq(mid, "CCPRER"))) {
		rc = bad(resp, "bigCancelCode must be CANERR and middleCancelCode CCTTER, CCPNER or CCPRER");
	} else if (!user || !*user) {
		rc = bad(resp, "userId (the WING login id) is required");
	} else if (!known) {
		rc = bad(resp, "orderId (%" PRIu64 ") is not found.", order_id);
	} else {
		rc = 1;
	}
	if (rc != 1) {
		cJSON_Delete(body);
		return rc;
	}
	cJSON *failed = cJSON_CreateArray(), *okids = cJSON_CreateArray();
	bool ok = failed && okids;
	char why[256] = "";
	int total = 0, nfail = 0;
	uint64_t first_receipt = 0;
	const char *first_type = NULL;
	for (int i = 0; ok && i < n; i++) {
		uint64_t vid = u64v(cJSON_GetArrayItem(vids, i));
		const cJSON *cv = cJSON_GetArrayItem(cnts, i);
		int want = cJSON_IsNumber(cv) ? cv->valueint : 0;
		struct cpx_box *box = NULL;
		int idx = -1, left = 0;
		for (size_t k = 0; k < st->nboxes && !box; k++) {
			struct cpx_box *b = &st->boxes[k];
			if (b->order_id != order_id)
				continue;
			int j = 0;
			const cJSON *it;
			cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
			{
				if (u64k(it, "vendorItemId") == vid) {
					int l = cpx_item_int(it, "shippingCount") - cpx_item_int(it, "cancelCount") -
						cpx_item_int(it, "holdCountForCancel");
					if (!box || l > 0) {
						box = b, idx = j, left = l;
						if (l > 0)
							break;
					}
				}
				j++;
			}
		}
		const char *s = box ? cpx_str(box->doc, "status") : NULL;
		const char *reason = !box ? "주문에 없는 옵션입니다." :
				     !str_eq(s, "ACCEPT") && !str_eq(s, "INSTRUCT") ? "취소할 수 없는 배송상태입니다." :
				     want < 1 || want > left ? "취소 가능한 개수보다 요청한 개수가 더 많습니다." : NULL;
		if (reason) {
			nfail++;
			cpx_jpush(failed, sandbox_json_u64_raw(vid), &ok);
			if (!*why)
				snprintf(why, sizeof why, "[%" PRIu64 "]<= %s", vid, reason);
			continue;
		}
		int items = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(box->doc, "orderItems"));
		int *counts = calloc((size_t)items, sizeof *counts);
		if (!counts) {
			ok = false;
			break;
		}
		counts[idx] = want;
		bool accept = str_eq(s, "ACCEPT");
		/* ACCEPT: refunded at once (listed with cancelType=CANCEL); INSTRUCT:
		 * a stop shipment the seller already approved. */
		cJSON *doc = cpx_receipt_doc(box->doc, st->next_receipt_id, counts, accept ? "CANCEL" : "RETURN",
					     accept ? "RETURNS_COMPLETED" : "RELEASE_STOP_UNCHECKED",
					     accept ? "비대상" : "처리(출고중지)", accept ? "UNDEFINED" : "VENDOR_CONFIRM",
					     req->now);
		free(counts);
		struct cpx_receipt *r = doc ? cpx_receipt_add(st, doc) : NULL;
		if (!r) {
			ok = false;
			break;
		}
		cpx_apply_cancel(st, r);
		if (!first_receipt) {
			first_receipt = r->id;
			first_type = accept ? "CANCEL" : "STOP_SHIPMENT";
		}
		total += want;
		cpx_jpush(okids, sandbox_json_u64_raw(vid), &ok);
	}
	cJSON_Delete(body);
	cJSON *o = cJSON_CreateObject(), *d = cJSON_CreateObject();
	ok = ok && o && d;
	const char *code = nfail == 0 ? "SUCCESS" : nfail == n ? "FAIL" : "PARTIAL";
	char msg[400];
	st->writes++;
	snprintf(msg, sizeof msg, "[요청번호] sandbox-%016" PRIx64 " %s", mix(st->seed ^ st->writes),
		 nfail ? why : "OK");
	cpx_js(o, "code", code, &ok);
	cpx_js(o, "message", msg, &ok);
	if (first_receipt) {
		cJSON *rm = cJSON_CreateObject();
		cpx_jraw(rm, "receiptId", first_receipt, &ok);
		cpx_js(rm, "receiptType", first_type, &ok);
		cpx_jadd(rm, "vendorItemIds", okids, &ok);
		okids = NULL;
		cpx_jn(rm, "totalCount", total, &ok);
		cpx_jadd(d, "receiptMap", rm, &ok);
	} else {
		cpx_js(d, "receiptMap", NULL, &ok);
	}
	cpx_jraw(d, "orderId", order_id, &ok);
	cpx_jadd(d, "failedVendorItemIds", failed, &ok);
	failed = NULL;
	cpx_jadd(o, "data", d, &ok);
	d = NULL;
	cJSON_Delete(okids);
	cJSON_Delete(failed);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	resp->items = n;
	return sandbox_respond_json(resp, 200, o);
}

/* --- routing --- */

enum ep {
	EP_LIST, EP_BOX, EP_BY_ORDER, EP_HISTORY, EP_ACK, EP_INVOICES, EP_UPDATE_INVOICES, EP_RETURNS, EP_RETURN,
	EP_STOP, EP_SHIPPED, EP_WITHDRAWALS, EP_WITHDRAW_LIST, EP_CANCEL, EP_RET_RECEIVE, EP_RET_APPROVE, EP_PICKUP,
	EP_EXCHANGES, EP_EX_RECEIVE, EP_EX_REJECT, EP_EX_INVOICES,
};

struct route {
	const char *method, *version, *pattern; /* '#' = a numeric segment */
	enum ep ep;
	const char *name;
};

static const struct route routes[] = {
	{ "GET", "v5", "ordersheets", EP_LIST, "GET v5 ordersheets" },
	{ "GET", "v5", "ordersheets/#", EP_BOX, "GET v5 ordersheets/{shipmentBoxId}" },
	{ "GET", "v5", "#/ordersheets", EP_BY_ORDER, "GET v5 {orderId}/ordersheets" },
	{ "GET", "v5", "ordersheets/#/history", EP_HISTORY, "GET v5 ordersheets/{shipmentBoxId}/history" },
	{ "PUT", "v4", "ordersheets/acknowledgement", EP_ACK, "PUT v4 ordersheets/acknowledgement" },
	{ "POST", "v4", "orders/invoices", EP_INVOICES, "POST v4 orders/invoices" },
	{ "POST", "v4", "orders/updateInvoices", EP_UPDATE_INVOICES, "POST v4 orders/updateInvoices" },
	{ "GET", "v6", "returnRequests", EP_RETURNS, "GET v6 returnRequests" },
	{ "GET", "v6", "returnRequests/#", EP_RETURN, "GET v6 returnRequests/{receiptId}" },
	{ "PUT", "v4", "returnRequests/#/stoppedShipment", EP_STOP, "PUT v4 returnRequests/{receiptId}/stoppedShipment" },
	{ "PUT", "v4", "returnRequests/#/completedShipment", EP_SHIPPED,
	  "PUT v4 returnRequests/{receiptId}/completedShipment" },
	{ "GET", "v4", "returnWithdrawRequests", EP_WITHDRAWALS, "GET v4 returnWithdrawRequests" },
	{ "POST", "v4", "returnWithdrawList", EP_WITHDRAW_LIST, "POST v4 returnWithdrawList" },
	{ "POST", "v5", "orders/#/cancel", EP_CANCEL, "POST v5 orders/{orderId}/cancel" },
	{ "PUT", "v4", "returnRequests/#/receiveConfirmation", EP_RET_RECEIVE,
	  "PUT v4 returnRequests/{receiptId}/receiveConfirmation" },
	{ "PUT", "v4", "returnRequests/#/approval", EP_RET_APPROVE, "PUT v4 returnRequests/{receiptId}/approval" },
	{ "POST", "v4", "return-exchange-invoices/manual", EP_PICKUP, "POST v4 return-exchange-invoices/manual" },
	{ "GET", "v4", "exchangeRequests", EP_EXCHANGES, "GET v4 exchangeRequests" },
	{ "PUT", "v4", "exchangeRequests/#/receiveConfirmation", EP_EX_RECEIVE,
	  "PUT v4 exchangeRequests/{exchangeId}/receiveConfirmation" },
	{ "PUT", "v4", "exchangeRequests/#/rejection", EP_EX_REJECT, "PUT v4 exchangeRequests/{exchangeId}/rejection" },
	{ "POST", "v4", "exchangeRequests/#/invoices", EP_EX_INVOICES, "POST v4 exchangeRequests/{exchangeId}/invoices" },
};

struct match {
	const struct route *route; /* NULL: no path matched */
	bool method_ok;
	char vendor[64];
	uint64_t id;
};

/* Matches rest ("ordersheets/123/history") against a pattern. */
static bool pattern_match(const char *pattern, const char *rest, uint64_t *id)
{
	const char *p = pattern, *r = rest;
	while (*p) {
		if (*p == '#') {
			const char *s = r;
			uint64_t v = 0;
			while (*r >= '0' && *r <= '9') {
				if (v > (UINT64_MAX - 9) / 10)
					return false;
				v = v * 10 + (uint64_t)(*r - '0');
				r++;
			}
			if (r == s)
				return false;
			*id = v;
			p++;
			continue;
		}
		if (*p != *r)
			return false;
		p++, r++;
	}
	return *r == '\0';
}

static void route_find(const struct sandbox_request *req, struct match *m)
{
	memset(m, 0, sizeof *m);
	if (!str_starts(req->path, API_PREFIX))
		return;
	const char *v = req->path + strlen(API_PREFIX);
	if (strncmp(v + 2, "/vendors/", 9) != 0)
		return;
	const char *vend = v + 11;
	const char *slash = strchr(vend, '/');
	if (!slash || slash == vend || (size_t)(slash - vend) >= sizeof m->vendor)
		return;
	memcpy(m->vendor, vend, (size_t)(slash - vend));
	m->vendor[slash - vend] = '\0';
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		uint64_t id = 0;
		if (strncmp(v, routes[i].version, 2) != 0 || !pattern_match(routes[i].pattern, slash + 1, &id))
			continue;
		bool mok = strcmp(req->method, routes[i].method) == 0;
		if (!m->route || mok) {
			m->route = &routes[i];
			m->method_ok = mok;
			m->id = id;
		}
		if (mok)
			return;
	}
}

static void coupang_describe(const struct sandbox_request *req, char *endpoint, size_t n, int *items)
{
	struct match m;
	route_find(req, &m);
	*items = 0;
	if (!m.route || !m.method_ok) {
		snprintf(endpoint, n, "%s other", req->method);
		return;
	}
	snprintf(endpoint, n, "%s", m.route->name);
	if (m.route->ep == EP_EX_INVOICES) {
		/* The one body that is an array: its DTOs are the batch. */
		cJSON *a = sandbox_json_parse(req->body, req->body_len);
		*items = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
		cJSON_Delete(a);
		return;
	}
	const char *key = m.route->ep == EP_ACK ? "shipmentBoxIds" :
			  m.route->ep == EP_CANCEL ? "vendorItemIds" :
			  m.route->ep == EP_WITHDRAW_LIST ? "cancelIds" :
			  m.route->ep == EP_INVOICES || m.route->ep == EP_UPDATE_INVOICES ? "orderSheetInvoiceApplyDtos" :
											    NULL;
	if (!key)
		return;
	cJSON *body = parse_body(req);
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, key);
	if (m.route->ep == EP_INVOICES || m.route->ep == EP_UPDATE_INVOICES) {
		/* A batch of invoices counts boxes, the unit the client batches by. */
		int boxes = 0, i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, a)
		{
			uint64_t id = u64k(e, "shipmentBoxId");
			bool seen = false;
			for (int j = 0; j < i && !seen; j++)
				seen = u64k(cJSON_GetArrayItem(a, j), "shipmentBoxId") == id;
			boxes += !seen;
			i++;
		}
		*items = boxes;
	} else {
		*items = cJSON_GetArraySize(a);
	}
	cJSON_Delete(body);
}

static int respond_auth(struct sandbox_response *resp, const char *msg, uint64_t seq)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	char tid[40];
	snprintf(tid, sizeof tid, "sandbox-%016" PRIx64, mix(seq ^ 0xC0FFEEull));
	cpx_js(o, "code", "ERROR", &ok);
	cpx_js(o, "message", msg, &ok);
	cpx_js(o, "transactionId", tid, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, 401, o);
}

static int dispatch(struct cpx_state *st, const struct sandbox_request *req, const struct match *m,
		    struct sandbox_response *resp);

static int coupang_handle(void *state, const struct sandbox_request *req, struct sandbox_response *resp)
{
	struct cpx_state *st = state;
	struct match m;
	/* The gateway authenticates before anything else is looked at. */
	const char *auth = sandbox_coupang_check_auth(req);
	if (auth)
		return respond_auth(resp, auth, req->seq);
	route_find(req, &m);
	if (!m.route)
		return respond_msg(resp, 404, "Not Found");
	if (!m.method_ok)
		return respond_msg(resp, 405, "Method Not Allowed");
	if (strcmp(m.vendor, SANDBOX_COUPANG_VENDOR) != 0)
		return bad(resp, "Invalid vendor ID");
	/* Test setter fail-next: a 500 before the call changes anything, or after. */
	bool fail = st->fail_next[0] && strcmp(st->fail_next, m.route->name) == 0;
	if (fail) {
		st->fail_next[0] = '\0';
		if (!st->fail_after)
			return respond_msg(resp, 500, "sandbox fail-next: failed before the change");
	}
	int rc = dispatch(st, req, &m, resp);
	if (fail && rc == 0)
		return respond_msg(resp, 500, "sandbox fail-next: failed after the change was applied");
	return rc;
}

static int dispatch(struct cpx_state *st, const struct sandbox_request *req, const struct match *mp,
		    struct sandbox_response *resp)
{
	struct match m = *mp;
	switch (m.route->ep) {
	case EP_LIST: return h_ordersheets(st, req, resp);
	case EP_BOX: return h_ordersheet(st, m.id, resp);
	case EP_BY_ORDER: return h_by_order(st, m.id, resp);
	case EP_HISTORY: return h_history(st, m.id, resp);
	case EP_ACK: return h_ack(st, req, resp);
	case EP_INVOICES: return h_invoices(st, req, false, resp);
	case EP_UPDATE_INVOICES: return h_invoices(st, req, true, resp);
	case EP_RETURNS: return h_returns(st, req, resp);
	case EP_RETURN: return h_return(st, m.id, resp);
	case EP_STOP: return h_stop_or_shipped(st, req, m.id, true, resp);
	case EP_SHIPPED: return h_stop_or_shipped(st, req, m.id, false, resp);
	case EP_WITHDRAWALS: return h_withdrawals(st, req, resp);
	case EP_WITHDRAW_LIST: return h_withdraw_list(st, req, resp);
	case EP_CANCEL: return h_cancel(st, req, m.id, resp);
	case EP_RET_RECEIVE: return h_return_step(st, req, m.id, false, resp);
	case EP_RET_APPROVE: return h_return_step(st, req, m.id, true, resp);
	case EP_PICKUP: return h_pickup(st, req, resp);
	case EP_EXCHANGES: return h_exchanges(st, req, resp);
	case EP_EX_RECEIVE: return h_exchange_step(st, req, m.id, false, resp);
	case EP_EX_REJECT: return h_exchange_step(st, req, m.id, true, resp);
	case EP_EX_INVOICES: return h_exchange_invoices(st, req, m.id, resp);
	}
	return respond_msg(resp, 404, "Not Found");
}

/* --- the market --- */

static int coupang_create(const struct sandbox_gen_opts *o, void **state, struct ob_err *err)
{
	cJSON *ds = cpx_generate(o);
	if (!ds)
		return ob_err_nomem(err);
	return cpx_state_build(ds, o, o->seed, (struct cpx_state **)state, err);
}

static int coupang_load(const char *path, const struct sandbox_gen_opts *o, void **state, struct ob_err *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return ob_errf(err, OB_EUSAGE, "--dataset %s: %s", path, strerror(errno));
	struct buf text = BUF_INIT;
	char chunk[65536];
	size_t got;
	int rc = OB_OK;
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (text.len + got > (64u << 20)) {
			rc = ob_errf(err, OB_EUSAGE, "--dataset %s: larger than 64 MiB", path);
			break;
		}
		if (buf_append(&text, chunk, got) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
	}
	if (rc == OB_OK && ferror(fp))
		rc = ob_errf(err, OB_EIO, "--dataset %s: read error", path);
	fclose(fp);
	cJSON *ds = NULL;
	if (rc == OB_OK) {
		ds = json_parse(buf_cstr(&text), text.len, err);
		if (!ds) {
			ob_err_prefix(err, "--dataset %s", path);
			rc = err->code ? err->code : OB_EUSAGE;
		}
	}
	buf_free(&text);
	if (rc != OB_OK)
		return rc;
	rc = cpx_state_build(ds, NULL, o->seed, (struct cpx_state **)state, err);
	if (rc != OB_OK)
		ob_err_prefix(err, "--dataset %s", path);
	return rc;
}

static int coupang_test(void *state, const char *action, const struct sandbox_request *req,
			struct sandbox_response *resp)
{
	return cpx_handle_test(state, action, req, resp);
}

static int coupang_state_json(void *state, cJSON *root)
{
	return cpx_state_json(state, root);
}

static int coupang_reset(void *state, struct ob_err *err)
{
	return cpx_state_reset(state, err);
}

static int coupang_config(void *state, const char *base_url, struct buf *out)
{
	(void)state;
	return buf_printf(out,
			  "\n[coupang.sandbox]\n"
			  "base_url = %s\n"
			  "vendor_id = %s\n"
			  "access_key = %s\n"
			  "secret_key = %s\n"
			  "wing_user = sandbox-wing\n",
			  base_url, SANDBOX_COUPANG_VENDOR, SANDBOX_COUPANG_ACCESS_KEY, SANDBOX_COUPANG_SECRET_KEY);
}

static void coupang_free(void *state)
{
	cpx_state_free(state);
}

const struct sandbox_market_ops sandbox_coupang_ops = {
	.name = "coupang",
	.port_offset = 0,
	.create = coupang_create,
	.load = coupang_load,
	.describe = coupang_describe,
	.handle = coupang_handle,
	.handle_test = coupang_test,
	.state_json = coupang_state_json,
	.reset = coupang_reset,
	.config_section = coupang_config,
	.free = coupang_free,
};
