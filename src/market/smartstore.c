/* Naver SmartStore adapter over the Commerce API (../shared/api/smartstore.md
 * Part B): OAuth2 token with the bcrypt signature (cached per account, renewed
 * before expiry and once on 401 GW.AUTHN), the change feed
 * last-changed-statuses walked in ≤ 24 h windows, and details through
 * product-orders/query. The mapping is in smartstore_map.c, the actions in
 * smartstore_act.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "market/smartstore_int.h"
#include "market/smartstore_sign.h"
#include "market/replay.h"
#include "util/config.h"
#include "util/json.h"
#include "util/log.h"
#include "util/str.h"
#include "util/strset.h"

#define REQ(f) (1ull << (f))
#define ORD (1u << SHEET_ORDERS)
#define CLM (1u << SHEET_CLAIMS)

static const struct config_key smartstore_keys[] = {
	{ "client_id", true, false, "애플리케이션 ID from 커머스API센터" },
	{ "client_secret", true, true, "애플리케이션 시크릿 from 커머스API센터 (starts with $2a$)" },
	{ NULL, false, false, NULL },
};

/* The feed gives every product order that changed in a window, whatever its
 * state, so one query feeds both sheets. It accepts at most 24 h per call
 * (longer: 104139) and cannot look into the future. */
static const struct market_query smartstore_queries[] = {
	/* A window is up to 7 days of 24 h feed calls: the details of the whole
	 * window go out in full chunks of 300 ids, so a partial chunk is paid
	 * once a week instead of once a day (export benchmark). */
	{ "last-changed-statuses", ORD | CLM, 0, 7 * OB_DAY, 1, 0, true },
};

static const struct action_spec smartstore_actions[] = {
	{ ACT_ACK, SHEET_ORDERS, true, NULL, UNIT_LINE, SS_ACT_MAX, 0, false, CT_NONE },
	{ ACT_SHIP, SHEET_ORDERS, true, NULL, UNIT_LINE, SS_ACT_MAX, REQ(F_COURIER) | REQ(F_INVOICE_NO), false, CT_NONE },
	/* One product order per call; a batch shares one re-read. */
	{ ACT_DELAY, SHEET_ORDERS, true, NULL, UNIT_LINE, SS_ACT_MAX, REQ(F_DELAY_UNTIL) | REQ(F_REASON), true, CT_NONE },
	{ ACT_CANCEL, SHEET_ORDERS, true, NULL, UNIT_LINE, SS_ACT_MAX, REQ(F_REASON), true, CT_NONE },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, 0, true, CT_NONE },
	{ ACT_REJECT, SHEET_CLAIMS, false,
	  "SmartStore has no API call to reject a cancel request: APPROVE it, or answer it in 스마트스토어센터 "
	  "(판매관리 > 취소 관리)",
	  UNIT_CLAIM, 0, REQ(F_COURIER) | REQ(F_INVOICE_NO), false, CT_NONE },
	/* Returns (B13) and exchanges (B14): one product order per call. REJECT
	 * and HOLD send the seller's own words (rejectReturnReason,
	 * holdbackReturnDetailReason, ...), so seller_reason is required. */
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, 0, true, CT_RETURN },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, REQ(F_SELLER_REASON), true, CT_RETURN },
	{ ACT_HOLD, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, REQ(F_SELLER_REASON), true, CT_RETURN },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, 0, true, CT_EXCHANGE },
	{ ACT_RESHIP, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, REQ(F_COURIER) | REQ(F_INVOICE_NO), true,
	  CT_EXCHANGE },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, REQ(F_SELLER_REASON), true, CT_EXCHANGE },
	{ ACT_HOLD, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, SS_ACT_MAX, REQ(F_SELLER_REASON), true, CT_EXCHANGE },
	{ ACT_HOLD, SHEET_CLAIMS, false,
	  "SmartStore has no hold (보류) for a cancel request: APPROVE it, or answer it in 스마트스토어센터 "
	  "(판매관리 > 취소 관리)",
	  UNIT_CLAIM, 0, 0, false, CT_NONE },
	{ ACT_RESHIP, SHEET_CLAIMS, false, "RESHIP (교환 재배송) is for exchanges: a cancel or a return has no new item",
	  UNIT_CLAIM, 0, 0, false, CT_NONE },
	/* B5 has no pickup call for a buyer's claim: Naver books the collection
	 * itself when the buyer asks (자동수거), or the buyer sends it. */
	{ ACT_PICKUP, SHEET_CLAIMS, false,
	  "SmartStore's API has no call to book or change a pickup (회수): Naver books it when the buyer asks for the "
	  "return or exchange, and its courier and invoice show in pickup_courier / pickup_invoice_no; to change it, "
	  "use 스마트스토어센터 (판매관리 > 반품 관리 / 교환 관리)",
	  UNIT_CLAIM, 0, 0, false, CT_NONE },
	{ ACT_NONE, 0, false, NULL, 0, 0, 0, false, CT_NONE },
};

void smartstore_time_text(ob_time t, int ms, char *out, size_t n)
{
	char base[32];
	kst_strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", t);
	snprintf(out, n, "%s.%03d+09:00", base, ms < 0 ? 0 : ms % 1000);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Naver's trace id (body or GNCP-GW-Trace-ID header) for support requests. */
static void trace_of(const struct http_response *r, const cJSON *root, char *out, size_t n)
{
	const char *t = json_str(root, "traceId");
	if (t && *t) {
		str_copy(out, n, t);
		return;
	}
	if (http_response_header(r, "GNCP-GW-Trace-ID", out, n) < 0)
		out[0] = '\0';
}

static void wipe_response(struct http_response *r)
{
	if (r->body.data)
		explicit_bzero(r->body.data, r->body.cap);
}

/* POST /v1/oauth2/token. Caller holds token_mu. */
static int fetch_token(struct smartstore *ss, struct http_client *c, struct ob_err *err)
{
	char sign[SMARTSTORE_SIGN_LEN];
	int64_t ts = now_ms();
	int rc = smartstore_sign(ss->client_id, ss->client_secret, ts, sign, err);
	if (rc != OB_OK)
		return ob_err_prefix(err, "%s", ss->base.who);
	struct buf body = BUF_INIT, url = BUF_INIT;
	struct http_response resp;
	http_response_init(&resp);
	cJSON *root = NULL;
	if (buf_puts(&body, "client_id=") < 0 || buf_put_urlenc(&body, ss->client_id) < 0 ||
	    buf_printf(&body, "&timestamp=%" PRId64 "&grant_type=client_credentials&client_secret_sign=", ts) < 0 ||
	    buf_put_urlenc(&body, sign) < 0 || buf_puts(&body, "&type=SELF") < 0 ||
	    market_url(&ss->base, &url, "/v1/oauth2/token") < 0) {
		rc = ob_err_nomem(err);
		goto out;
	}
	static const char *const headers[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json",
		NULL,
	};
	struct http_request req = {
		.method = "POST",
		.url = url.data,
		.headers = headers,
		.body = body.data,
		.body_len = body.len,
		/* Asking for a token twice is harmless: Naver hands out the same one. */
		.idempotent = true,
		.limit = &ss->base.limit,
		.who = ss->base.who,
		.timeout_ms = ss->timeout_ms,
	};
	rc = http_send(c, &req, &resp, err);
	if (rc != OB_OK)
		goto out;
	struct ob_err perr = OB_ERR_INIT;
	root = json_parse(resp.body.data ? resp.body.data : "", resp.body.len, &perr);
	char trace[128];
	trace_of(&resp, root, trace, sizeof trace);
	if (resp.status == 200) {
		const char *tok = json_str(root, "access_token");
		int64_t expires = 0;
		if (!tok || !*tok || json_i64(root, "expires_in", &expires) < 0 || expires <= 0) {
			rc = ob_errf(err, OB_ENET, "%s: the token answer has no access_token/expires_in (trace %s)",
				     ss->base.who, trace);
			goto out;
		}
		if (strlen(tok) >= sizeof ss->token) {
			rc = ob_errf(err, OB_ENET, "%s: the access token is longer than %zu bytes", ss->base.who,
				     sizeof ss->token - 1);
			goto out;
		}
		str_copy(ss->token, sizeof ss->token, tok);
		/* Naver hands out the same token while 30 min or more are left
		 * (B2), so renewing earlier gains nothing; short lifetimes (the
		 * sandbox's --token-ttl) renew at half time instead. */
		int64_t margin = expires >= 3600 ? 1800 : expires / 2;
		ss->token_renew_at = kst_now() + expires - margin;
		ss->token_gen++;
		goto out;
	}
	const char *code = json_str(root, "code"), *msg = json_str(root, "message");
	char what[400];
	snprintf(what, sizeof what, "HTTP %ld%s%s: %s%s%s", resp.status, code ? " " : "", code ? code : "",
		 msg ? msg : "(no message)", *trace ? ", trace " : "", trace);
	if (str_eq(code, "GW.IP_NOT_ALLOWED"))
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: Naver refused this machine's IP address (%s); register it for the application in "
			     "커머스API센터",
			     ss->base.who, what);
	else if (resp.status >= 400 && resp.status < 500)
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: Naver refused the token request (%s); check client_id and client_secret in the "
			     "config and that this machine's clock is right (the signed timestamp is valid for 5 "
			     "minutes)",
			     ss->base.who, what);
	else
		rc = ob_errf(err, OB_ENET, "%s: the token request failed (%s)", ss->base.who, what);
out:
	cJSON_Delete(root);
	explicit_bzero(sign, sizeof sign);
	if (body.data)
		explicit_bzero(body.data, body.cap);
	wipe_response(&resp);
	http_response_free(&resp);
	buf_free(&body);
	buf_free(&url);
	return rc;
}

int smartstore_token(struct smartstore *ss, struct http_client *c, bool force, struct ob_err *err)
{
	pthread_mutex_lock(&ss->token_mu);
	int rc = OB_OK;
	if (force || !ss->token[0] || kst_now() >= ss->token_renew_at)
		rc = fetch_token(ss, c, err);
	pthread_mutex_unlock(&ss->token_mu);
	return rc;
}

/* The current token as a header line, and its generation. */
static int bearer(struct smartstore *ss, struct http_client *c, char *out, size_t n, unsigned long *gen,
		  struct ob_err *err)
{
	pthread_mutex_lock(&ss->token_mu);
	int rc = OB_OK;
	if (!ss->token[0] || kst_now() >= ss->token_renew_at)
		rc = fetch_token(ss, c, err);
	if (rc == OB_OK) {
		snprintf(out, n, "Authorization: Bearer %s", ss->token);
		*gen = ss->token_gen;
	}
	pthread_mutex_unlock(&ss->token_mu);
	return rc;
}

/* Drops the token that was refused, unless another thread already replaced it. */
static void drop_token(struct smartstore *ss, unsigned long gen)
{
	pthread_mutex_lock(&ss->token_mu);
	if (ss->token_gen == gen) {
		explicit_bzero(ss->token, sizeof ss->token);
		ss->token_renew_at = 0;
	}
	pthread_mutex_unlock(&ss->token_mu);
}

int smartstore_call(struct smartstore *ss, struct http_client *c, const char *method, const char *path,
		    const char *query, const cJSON *body, bool idempotent, cJSON **root_out, char code_out[64],
		    bool *outcome_unknown, struct ob_err *err)
{
	struct buf url = BUF_INIT;
	char *body_text = NULL;
	char auth[sizeof ss->token + 32];
	struct http_response resp;
	http_response_init(&resp);
	cJSON *root = NULL;
	if (root_out)
		*root_out = NULL;
	if (code_out)
		code_out[0] = '\0';
	if (outcome_unknown)
		*outcome_unknown = false;
	int rc = OB_OK;
	if (market_url(&ss->base, &url, path) < 0 ||
	    (query && *query && (buf_putc(&url, '?') < 0 || buf_puts(&url, query) < 0)) ||
	    (body && !(body_text = json_print(body)))) {
		rc = ob_err_nomem(err);
		goto out;
	}
	for (int attempt = 0;; attempt++) {
		unsigned long gen = 0;
		rc = bearer(ss, c, auth, sizeof auth, &gen, err);
		if (rc != OB_OK)
			goto out;
		const char *headers[] = {
			auth,
			"Accept: application/json",
			body_text ? "Content-Type: application/json" : NULL,
			NULL,
		};
		struct http_request req = {
			.method = method,
			.url = url.data,
			.headers = headers,
			.body = body_text,
			.body_len = body_text ? strlen(body_text) : 0,
			.idempotent = idempotent,
			.limit = &ss->base.limit,
			.who = ss->base.who,
			.timeout_ms = ss->timeout_ms,
		};
		http_response_free(&resp);
		http_response_init(&resp);
		rc = http_send(c, &req, &resp, err);
		explicit_bzero(auth, sizeof auth);
		if (outcome_unknown)
			*outcome_unknown = resp.outcome_unknown;
		if (rc != OB_OK)
			goto out;
		/* An expired token (B2): the gateway refused before anything
		 * happened, so even a write may go again, once. */
		if (resp.status == 401 && attempt == 0) {
			ob_info("%s: the access token was refused (HTTP 401); getting a new one", ss->base.who);
			drop_token(ss, gen);
			continue;
		}
		break;
	}
	struct ob_err perr = OB_ERR_INIT;
	root = json_parse(resp.body.data ? resp.body.data : "", resp.body.len, &perr);
	if (resp.status == 200) {
		if (!root) {
			rc = ob_errf(err, OB_ENET, "%s: %s %s: %s", ss->base.who, method, path, perr.msg);
			goto out;
		}
		if (root_out) {
			*root_out = root;
			root = NULL;
		}
		goto out;
	}
	char trace[128];
	trace_of(&resp, root, trace, sizeof trace);
	const char *code = json_str(root, "code");
	char codebuf[64] = "";
	if (!code) {
		json_id(root, "code", codebuf, sizeof codebuf);
		code = codebuf;
	}
	const char *msg = json_str(root, "message");
	char what[600];
	snprintf(what, sizeof what, "HTTP %ld%s%s: %s%s%s", resp.status, *code ? " " : "", code,
		 msg && *msg ? msg : resp.body.len ? "(no message)" : "(empty answer)", *trace ? "; trace " : "",
		 trace);
	/* invalidInputs (optional, B3) name the field that was wrong. */
	const cJSON *inv;
	cJSON_ArrayForEach(inv, json_get(root, "invalidInputs"))
	{
		const char *nm = json_str(inv, "name"), *im = json_str(inv, "message");
		size_t l = strlen(what);
		snprintf(what + l, sizeof what - l, "; %s: %s", nm ? nm : "?", im ? im : "?");
	}
	if (code_out)
		str_copy(code_out, 64, code);
	if (str_eq(code, "GW.IP_NOT_ALLOWED"))
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: Naver refused this machine's IP address (%s); register it for the application in "
			     "커머스API센터",
			     ss->base.who, what);
	else if (resp.status == 401 || resp.status == 403)
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: Naver refused the call %s %s even with a new token (%s); check that the "
			     "application in 커머스API센터 has the order API group (주문) and belongs to this store",
			     ss->base.who, method, path, what);
	else if (resp.status == 404 && str_starts(code, "GW."))
		rc = ob_errf(err, OB_EUSAGE, "%s: %s %s is not open to this application (%s); add the API group in "
			     "커머스API센터", ss->base.who, method, path, what);
	else if (resp.status >= 400 && resp.status < 500)
		rc = ob_errf(err, OB_EROWS, "%s: %s", ss->base.who, what);
	else
		rc = ob_errf(err, OB_ENET, "%s: %s %s: %s", ss->base.who, method, path, what);
out:
	cJSON_Delete(root);
	wipe_response(&resp);
	http_response_free(&resp);
	free(body_text);
	buf_free(&url);
	return rc;
}

int smartstore_query(struct smartstore *ss, struct http_client *c, const char *const *ids, size_t n,
		     cJSON **root, struct ob_err *err)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *arr = body ? cJSON_AddArrayToObject(body, "productOrderIds") : NULL;
	if (!arr || !cJSON_AddTrueToObject(body, "quantityClaimCompatibility")) {
		cJSON_Delete(body);
		return ob_err_nomem(err);
	}
	for (size_t i = 0; i < n; i++) {
		/* Naver's ids are strings of 16 digits: never numbers. */
		cJSON *s = cJSON_CreateString(ids[i]);
		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			cJSON_Delete(body);
			return ob_err_nomem(err);
		}
	}
	int rc = smartstore_call(ss, c, "POST", SS_ORDERS "/query", NULL, body, true, root, NULL, NULL, err);
	cJSON_Delete(body);
	if (rc == OB_EROWS)
		err->code = rc = OB_ENET;
	return rc;
}

const cJSON *smartstore_find_detail(const cJSON *root, const char *id)
{
	const cJSON *el;
	cJSON_ArrayForEach(el, json_get(root, "data"))
	{
		char got[64];
		json_id(json_get(el, "productOrder"), "productOrderId", got, sizeof got);
		if (strcmp(got, id) == 0)
			return el;
	}
	return NULL;
}

static int smartstore_open(const struct account *acct, struct http_pool *pool, struct market **out,
			   struct ob_err *err)
{
	(void)pool;
	struct smartstore *ss = calloc(1, sizeof *ss);
	if (!ss)
		return ob_err_nomem(err);
	market_base_init(&ss->base, acct->ops, acct);
	ss->client_id = account_get(acct, "client_id");
	ss->client_secret = account_get(acct, "client_secret");
	ss->timeout_ms = acct->timeout_ms;
	pthread_mutex_init(&ss->token_mu, NULL);
	if (!ss->client_secret || strncmp(ss->client_secret, "$2", 2) != 0) {
		int rc = ob_errf(err, OB_EUSAGE,
				 "%s: client_secret is not a bcrypt salt (the application secret in 커머스API센터 "
				 "starts with $2a$); copy it again into [%s] of the config",
				 ss->base.who, ss->base.who);
		pthread_mutex_destroy(&ss->token_mu);
		market_base_destroy(&ss->base);
		free(ss);
		return rc;
	}
	*out = (struct market *)ss;
	return OB_OK;
}

static void smartstore_close(struct market *m)
{
	struct smartstore *ss = (struct smartstore *)m;
	explicit_bzero(ss->token, sizeof ss->token);
	pthread_mutex_destroy(&ss->token_mu);
	market_base_destroy(&ss->base);
	free(ss);
}

/* Ids of one window in feed order, without repeats. */
struct id_list {
	char **ids;
	size_t n, cap;
	struct strset seen;
};

static int id_list_add(struct id_list *l, const char *id)
{
	int added = strset_add(&l->seen, id);
	if (added <= 0)
		return added;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 512;
		char **p = realloc(l->ids, cap * sizeof *p);
		if (!p)
			return -1;
		l->ids = p;
		l->cap = cap;
	}
	if (!(l->ids[l->n] = ob_strdup(id)))
		return -1;
	l->n++;
	return 1;
}

static void id_list_free(struct id_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->ids[i]);
	free(l->ids);
	strset_free(&l->seen);
}

/* Pages through the feed of [from, to): lastChangedFrom/To are inclusive, so
 * the window ends one millisecond before `to` and the next window starts
 * there. Items with the same time are told apart by moreSequence (B6). */
static int feed_ids(struct smartstore *ss, struct http_client *c, ob_time from, ob_time to, struct id_list *ids,
		    long *changes, struct ob_err *err)
{
	char t0[48], t1[48], more_from[64], more_seq[64] = "";
	smartstore_time_text(from, 0, t0, sizeof t0);
	smartstore_time_text(to - 1, 999, t1, sizeof t1);
	str_copy(more_from, sizeof more_from, t0);
	struct buf q = BUF_INIT;
	int rc = OB_OK;
	for (int page = 0;; page++) {
		if (page >= 100000) {
			rc = ob_errf(err, OB_ENET, "%s: the change feed did not end after %d pages", ss->base.who, page);
			break;
		}
		buf_reset(&q);
		if (buf_puts(&q, "lastChangedFrom=") < 0 || buf_put_urlenc(&q, more_from) < 0 ||
		    buf_puts(&q, "&lastChangedTo=") < 0 || buf_put_urlenc(&q, t1) < 0 ||
		    (*more_seq && (buf_puts(&q, "&moreSequence=") < 0 || buf_put_urlenc(&q, more_seq) < 0)) ||
		    buf_printf(&q, "&limitCount=%d", SS_QUERY_MAX) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		cJSON *root = NULL;
		rc = smartstore_call(ss, c, "GET", SS_ORDERS "/last-changed-statuses", q.data, NULL, true, &root, NULL,
				     NULL, err);
		if (rc != OB_OK) {
			if (rc == OB_EROWS)
				err->code = rc = OB_ENET;
			break;
		}
		const cJSON *data = json_get(root, "data");
		const cJSON *it;
		cJSON_ArrayForEach(it, json_get(data, "lastChangeStatuses"))
		{
			char id[64];
			if (json_id(it, "productOrderId", id, sizeof id) < 0) {
				rc = ob_errf(err, OB_ENET, "%s: a changed-status item without productOrderId", ss->base.who);
				break;
			}
			(*changes)++;
			if (id_list_add(ids, id) < 0) {
				rc = ob_err_nomem(err);
				break;
			}
		}
		const cJSON *more = json_get(data, "more");
		const char *mf = json_str(more, "moreFrom");
		char ms[64] = "";
		const char *mss = json_str(more, "moreSequence");
		if (mss)
			str_copy(ms, sizeof ms, mss);
		else
			json_id(more, "moreSequence", ms, sizeof ms);
		bool go_on = rc == OB_OK && mf && *mf;
		if (go_on && strcmp(mf, more_from) == 0 && strcmp(ms, more_seq) == 0) {
			rc = ob_errf(err, OB_ENET, "%s: the change feed returned the same page position twice (%s, %s)",
				     ss->base.who, mf, ms);
			go_on = false;
		}
		if (go_on && (strlen(mf) >= sizeof more_from || strlen(ms) >= sizeof more_seq)) {
			rc = ob_errf(err, OB_ENET, "%s: the change feed's paging position is too long", ss->base.who);
			go_on = false;
		}
		if (go_on) {
			str_copy(more_from, sizeof more_from, mf);
			str_copy(more_seq, sizeof more_seq, ms);
		}
		cJSON_Delete(root);
		if (!go_on)
			break;
	}
	buf_free(&q);
	return rc;
}

static int smartstore_fetch_window(struct market *m, struct http_client *c, const struct market_query *q,
				   ob_time from, ob_time to, struct record_sink *sink, struct ob_err *err)
{
	struct smartstore *ss = (struct smartstore *)m;
	if (strcmp(q->name, "last-changed-statuses") != 0)
		return ob_errf(err, OB_EIO, "smartstore: unknown query %s", q->name);
	struct id_list ids = { NULL, 0, 0, STRSET_INIT };
	long changes = 0;
	int rc = OB_OK;
	/* The feed takes at most 24 h per call. */
	for (ob_time a = from; rc == OB_OK && a < to; a += OB_DAY)
		rc = feed_ids(ss, c, a, to - a > OB_DAY ? a + OB_DAY : to, &ids, &changes, err);
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	for (size_t off = 0; rc == OB_OK && off < ids.n; off += SS_QUERY_MAX) {
		size_t n = ids.n - off < SS_QUERY_MAX ? ids.n - off : SS_QUERY_MAX;
		cJSON *root = NULL;
		rc = smartstore_query(ss, c, (const char *const *)ids.ids + off, n, &root, err);
		if (rc != OB_OK)
			break;
		size_t got = 0;
		const cJSON *el;
		cJSON_ArrayForEach(el, json_get(root, "data"))
		{
			rc = smartstore_map_detail(ss, el, sink, &scratch, err);
			if (rc != OB_OK)
				break;
			got++;
		}
		if (rc == OB_OK && got < n)
			ob_warn("%s: Naver gave details of %zu of %zu changed product orders; the rest may have been "
				"deleted", ss->base.who, got, n);
		cJSON_Delete(root);
	}
	ob_debug("%s: feed %ld changes, %zu product orders", ss->base.who, changes, ids.n);
	record_free(&scratch);
	id_list_free(&ids);
	return rc;
}

/* A recorded answer of product-orders/query (the details export maps). */
static int replay_one(const void *m, const cJSON *el, struct record_sink *sink, struct record *scratch,
		      struct ob_err *err)
{
	return smartstore_map_detail(m, el, sink, scratch, err);
}

static int smartstore_replay(const struct account *acct, const char *name, const char *body, size_t len,
			  struct record_sink *sink, struct ob_err *err)
{
	(void)name;
	struct smartstore ss;
	memset(&ss, 0, sizeof ss);
	market_base_init(&ss.base, acct->ops, acct);
	int rc = replay_json_data(body, len, "Naver's product-orders/query", replay_one, &ss, sink, err);
	market_base_destroy(&ss.base);
	return rc;
}

static int smartstore_check(struct market *m, struct http_client *c, struct ob_err *err)
{
	return smartstore_token((struct smartstore *)m, c, true, err);
}

const struct market_ops smartstore_ops = {
	.name = "smartstore",
	.label_ko = "스마트스토어",
	.default_base_url = "https://api.commerce.naver.com/external",
	.config_keys = smartstore_keys,
	/* No numbers are published (B4); the gateway's GNCP-GW-RateLimit-*
	 * headers set the real rate after the first answer. */
	.default_rate = 5.0,
	.open = smartstore_open,
	.close = smartstore_close,
	.queries = smartstore_queries,
	.nqueries = sizeof smartstore_queries / sizeof smartstore_queries[0],
	.fetch_window = smartstore_fetch_window,
	.actions = smartstore_actions,
	.perform = smartstore_perform,
	.history = NULL,
	.check = smartstore_check,
	.replay = smartstore_replay,
};
