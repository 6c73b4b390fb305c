/* 11st (11번가) seller OpenAPI adapter (../shared/api/11st.md): calls with the
 * openapikey header, path building, the list queries with their windows and
 * the 3,000-row cap, and the doctor check. XML decoding is in elevenst_xml.c,
 * the mapping in elevenst_map.c, the actions in elevenst_act.c.
 *
 * Where the docs leave it open (UNCONFIRMED there), this adapter assumes:
 * the end minute of a list window is inclusive; every list may be capped at
 * 3,000 rows; orderlistalladdr answers the complete-list shape per line (when
 * addPrdYn is missing, complete/{ordNo} is asked); deliveryDelayGuide takes a
 * UTF-8 body and delaySendDt as YYYYMMDD; invoices longer than 15 characters
 * are refused (real clients cut them there); an open cancel request shows as
 * ordPrdStat 701 (601 for other claims), and reqdelivery's -3310 backs that up.
 * Returns and exchanges (elevenst_claim.c): returnorders / exchangeorders list
 * every claim requested in the window with its current clmStat, so the
 * completed / withdrawn lists come first and a claim's re-read looks there
 * only when the request list no longer has it; the return invoice goes to the
 * documented doubled path claimservice/claimservice/returninvc, then to
 * claimservice/returninvc when 11st answers 404; its sendDt is YYYYMMDDhhmm
 * and dlvNo the order's (the doc page says both, the table in 11st.md not). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "market/elevenst_int.h"
#include "util/config.h"
#include "util/log.h"
#include "util/str.h"

#define REQ(f) (1ull << (f))
#define DAYS(n) ((ob_time)(n) * OB_DAY)
#define ORD (1u << SHEET_ORDERS)
#define CLM (1u << SHEET_CLAIMS)

static const struct config_key elevenst_keys[] = {
	{ "api_key", true, true, "OpenAPI key from the 11st OpenAPI center (issued for this server's IP address)" },
	{ NULL, false, false, NULL },
};

/* Windows are whole minutes (YYYYMMDDhhmm). Order lists take at most 7 days,
 * claim lists 30. Every list is treated as capped at 3,000 rows: the docs state
 * the cap for complete, packaging and withdrawcanceledorders and say nothing
 * for the others, and splitting a window that happens to hold exactly 3,000
 * rows costs two calls, while trusting a silent cap loses orders.
 * canceledorders comes before cancelorders: the same claim can be in both, the
 * export keeps the first, and canceledorders says more (ordCnTypCd). */
static const struct market_query elevenst_queries[] = {
	{ "complete", ORD, 1u << OS_PAID, DAYS(7), 60, EST_ROW_CAP, false },
	{ "packaging", ORD, 1u << OS_PREPARING, DAYS(7), 60, EST_ROW_CAP, false },
	{ "shipping", ORD, 1u << OS_SHIPPING, DAYS(7), 60, EST_ROW_CAP, false },
	{ "dlvcompleted", ORD, 1u << OS_DELIVERED, DAYS(7), 60, EST_ROW_CAP, false },
	{ "canceledorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "cancelorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "withdrawcanceledorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	/* Returns and exchanges: the completed and withdrawn lists before the
	 * request lists, which list every claim requested in the window with its
	 * current clmStat, for the same reason. */
	{ "returnedorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "retractretorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "returnorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "exchangedorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "retractexcorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
	{ "exchangeorders", CLM, 0, DAYS(30), 60, EST_ROW_CAP, false },
};

/* ACK is one call per line (11st acknowledges the line's dlvNo + prdNo group);
 * SHIP one call per dlvNo; the re-reads take 100 ordNos a call, hence the
 * batch sizes. Claim actions are one call per claim; the CT_NONE entries are
 * the cancel requests' (rows without a claim type included).
 *
 * Returns (elevenst_claim.c): APPROVE = returnreqconf, which completes the
 * return (반품완료, the refund goes out); REJECT = returnreqreject and HOLD =
 * returnclaimdefer (returncompletedefer once a pickup invoice is known, since a
 * plain hold still auto-completes after delivery), both with a reason code
 * picked from seller_reason and the text itself; PICKUP = the return invoice
 * (returninvc). Exchanges: APPROVE and RESHIP are the same call,
 * exchangereqconf, which approves the exchange and registers the re-shipment's
 * courier and invoice at once (11st has no approval without the re-shipment),
 * so both need courier and invoice_no; REJECT = exchangereqreject. */
static const struct action_spec elevenst_actions[] = {
	{ ACT_ACK, SHEET_ORDERS, true, NULL, UNIT_LINE, EST_IDS_PER_CALL, 0, true, CT_NONE },
	{ ACT_SHIP, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 20, REQ(F_COURIER) | REQ(F_INVOICE_NO), true, CT_NONE },
	{ ACT_DELAY, SHEET_ORDERS, true, NULL, UNIT_LINE, EST_IDS_PER_CALL, REQ(F_DELAY_UNTIL) | REQ(F_REASON), true, CT_NONE },
	{ ACT_CANCEL, SHEET_ORDERS, true, NULL, UNIT_LINE, EST_IDS_PER_CALL, REQ(F_REASON), true, CT_NONE },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, 0, true, CT_NONE },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_COURIER) | REQ(F_INVOICE_NO), true, CT_NONE },
	{ ACT_HOLD, SHEET_CLAIMS, false, "11st has no hold for cancel requests; APPROVE or REJECT it", UNIT_CLAIM, 0, 0, false, CT_NONE },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, 0, true, CT_RETURN },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_SELLER_REASON), true, CT_RETURN },
	{ ACT_HOLD, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_SELLER_REASON), true, CT_RETURN },
	{ ACT_PICKUP, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_PICKUP_COURIER) | REQ(F_PICKUP_INVOICE_NO), true,
	  CT_RETURN },
	{ ACT_RESHIP, SHEET_CLAIMS, false, "a return is not re-shipped; APPROVE completes it (the refund goes out)",
	  UNIT_CLAIM, 0, 0, false, CT_RETURN },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_COURIER) | REQ(F_INVOICE_NO), true, CT_EXCHANGE },
	{ ACT_RESHIP, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_COURIER) | REQ(F_INVOICE_NO), true, CT_EXCHANGE },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 20, REQ(F_SELLER_REASON), true, CT_EXCHANGE },
	{ ACT_HOLD, SHEET_CLAIMS, false, "11st has no call to hold an exchange (교환보류 is SellerOffice only); hold it "
	  "there, or REJECT it with a reason", UNIT_CLAIM, 0, 0, false, CT_EXCHANGE },
	{ ACT_PICKUP, SHEET_CLAIMS, false, "11st takes a pickup invoice for returns only; the exchange's pickup is "
	  "registered in SellerOffice", UNIT_CLAIM, 0, 0, false, CT_EXCHANGE },
	{ ACT_NONE, 0, false, NULL, 0, 0, 0, false, CT_NONE },
};

void est_minute_text(ob_time t, char out[16])
{
	kst_strftime(out, 16, "%Y%m%d%H%M", t);
}

int est_path_id(struct buf *path, const char *seg, char *why, size_t n)
{
	if (!seg || !*seg) {
		snprintf(why, n, "a value for the request path is empty");
		return -1;
	}
	for (const char *p = seg; *p; p++) {
		char c = *p;
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
		      c == ',')) {
			snprintf(why, n, "'%.60s' is not an 11st number or code", seg);
			return -1;
		}
	}
	if (buf_putc(path, '/') < 0 || buf_puts(path, seg) < 0) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	return 0;
}

int est_path_text(struct buf *path, const char *text, char *why, size_t n)
{
	if (!text || !*text) {
		snprintf(why, n, "the reason is empty");
		return -1;
	}
	if (strchr(text, '/') || strchr(text, '\\')) {
		snprintf(why, n, "11st takes the reason inside the URL path, where '/' cannot be sent; write it without "
			 "'/' (e.g. 'A 또는 B')");
		return -1;
	}
	if (!str_valid_utf8(text, strlen(text))) {
		snprintf(why, n, "the reason is not valid text");
		return -1;
	}
	if (strspn(text, ".") == strlen(text)) {
		snprintf(why, n, "the reason '%s' is not a reason", text);
		return -1;
	}
	if (buf_putc(path, '/') < 0 || buf_put_urlenc(path, text) < 0) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	return 0;
}

static int est_sign(void *ctx, const char *method, const char *url, struct buf *auth, struct ob_err *err)
{
	struct elevenst *st = ctx;
	(void)method;
	(void)url;
	/* Added per attempt by the HTTP layer, which never logs these headers. */
	if (buf_puts(auth, "openapikey: ") < 0 || buf_puts(auth, st->api_key) < 0 || buf_putc(auth, '\n') < 0)
		return ob_err_nomem(err);
	return OB_OK;
}

int est_call(struct elevenst *st, struct http_client *c, const char *method, const char *path, const char *body,
	     bool idempotent, struct est_reply *r, bool *outcome_unknown, struct ob_err *err)
{
	struct buf url = BUF_INIT;
	struct http_response resp;
	http_response_init(&resp);
	if (outcome_unknown)
		*outcome_unknown = false;
	int rc = OB_OK;
	if (market_url(&st->base, &url, path) < 0) {
		rc = ob_err_nomem(err);
		goto out;
	}
	/* Real clients send the EUC-KR content type on every call; a POST body is
	 * UTF-8 and says so in its own declaration and header. */
	const char *headers[] = {
		body ? "Content-Type: text/xml; charset=UTF-8" : "Content-Type: text/xml; charset=euc-kr",
		"Accept: application/xml",
		NULL,
	};
	struct http_request req = {
		.method = method,
		.url = url.data,
		.headers = headers,
		.body = body,
		.body_len = body ? strlen(body) : 0,
		.idempotent = idempotent,
		.sign = est_sign,
		.sign_ctx = st,
		.limit = &st->base.limit,
		.who = st->base.who,
		.timeout_ms = st->timeout_ms,
	};
	rc = http_send(c, &req, &resp, err);
	if (outcome_unknown)
		*outcome_unknown = resp.outcome_unknown;
	if (rc != OB_OK)
		goto out;
	if (resp.status != 200) {
		/* 11st answers business errors with 200; anything else is the gateway
		 * (wrong IP, unknown path, overload). */
		r->http_status = resp.status;
		char snippet[160] = "";
		if (resp.body.len) {
			struct ob_err e2 = OB_ERR_INIT;
			struct est_reply tmp;
			est_reply_init(&tmp);
			if (est_parse(resp.body.data, resp.body.len, &tmp, &e2) == OB_OK && *tmp.text)
				str_copy(snippet, sizeof snippet, tmp.text);
			est_reply_free(&tmp);
		}
		const char *what = resp.status == 401 || resp.status == 403 ?
			"; check api_key and that this machine's IP address is registered in the 11st OpenAPI center "
			"(Seller API 정보 수정)" : "";
		rc = ob_errf(err, *what ? OB_EUSAGE : OB_ENET, "%s: %s %s: HTTP %ld%s%s%s", st->base.who, method, path,
			     resp.status, *snippet ? ": " : "", snippet, what);
		if (outcome_unknown && !idempotent && resp.status >= 500)
			*outcome_unknown = true;
		goto out;
	}
	rc = est_parse(resp.body.data, resp.body.len, r, err);
	if (rc != OB_OK) {
		ob_err_prefix(err, "%s: %s %s", st->base.who, method, path);
		if (outcome_unknown && !idempotent)
			*outcome_unknown = true;
	}
out:
	http_response_free(&resp);
	buf_free(&url);
	return rc;
}

int est_account_error(const struct elevenst *st, const char *what, const struct est_reply *r, struct ob_err *err)
{
	if (!r->has_code)
		return OB_OK;
	if (r->code == -1000)
		return ob_errf(err, OB_ENET, "%s: 11st is in maintenance (Friday early morning); try later (%s: %s)",
			       st->base.who, what, *r->text ? r->text : "-1000");
	if (r->code == -1)
		return ob_errf(err, OB_EUSAGE,
			       "%s: 11st refused the call (%s: -1 %s); check api_key in [%s] and that this machine's IP "
			       "address is registered for the key in the 11st OpenAPI center",
			       st->base.who, what, r->text, st->base.who);
	return OB_OK;
}

int est_list_ok(const struct elevenst *st, const char *what, const struct est_reply *r, struct ob_err *err)
{
	int rc = est_account_error(st, what, r, err);
	if (rc != OB_OK)
		return rc;
	if (!r->has_code || r->code == 0)
		return OB_OK;
	if (r->code > 0)
		return OB_OK;
	return ob_errf(err, OB_ENET, "%s: %s: 11st answered %ld (%s)", st->base.who, what, r->code,
		       *r->text ? r->text : "no text");
}

int est_read_orders(struct elevenst *st, struct http_client *c, const char *const *ord_nos, size_t n,
		    struct est_reply *r, struct ob_err *err)
{
	struct buf path = BUF_INIT;
	int rc = OB_OK;
	for (size_t i = 0; i < n && rc == OB_OK; i += EST_IDS_PER_CALL) {
		buf_reset(&path);
		if (buf_puts(&path, "/claimservice/orderlistalladdr/") < 0)
			rc = ob_err_nomem(err);
		for (size_t k = i; rc == OB_OK && k < n && k < i + EST_IDS_PER_CALL; k++) {
			if (!str_is_digits(ord_nos[k]))
				rc = ob_errf(err, OB_EROWS, "'%.40s' is not an 11st order number", ord_nos[k]);
			else if ((k > i && buf_putc(&path, ',') < 0) || buf_puts(&path, ord_nos[k]) < 0)
				rc = ob_err_nomem(err);
		}
		/* Each answer's rows are appended to r. */
		if (rc == OB_OK)
			rc = est_call(st, c, "GET", path.data, NULL, true, r, NULL, err);
		if (rc == OB_OK)
			rc = est_list_ok(st, "orderlistalladdr", r, err);
	}
	buf_free(&path);
	return rc;
}

static int elevenst_open(const struct account *acct, struct http_pool *pool, struct market **out,
			 struct ob_err *err)
{
	(void)pool;
	/* libxml2 must be initialised once before threads use it. */
	xmlInitParser();
	struct elevenst *st = calloc(1, sizeof *st);
	if (!st)
		return ob_err_nomem(err);
	market_base_init(&st->base, acct->ops, acct);
	st->api_key = account_get(acct, "api_key");
	st->timeout_ms = acct->timeout_ms;
	if (!st->api_key || !*st->api_key) {
		market_base_destroy(&st->base);
		free(st);
		return ob_errf(err, OB_EUSAGE, "%s: api_key is missing; add api_key = ... to [%s] in the config", acct->id,
			       acct->id);
	}
	*out = (struct market *)st;
	return OB_OK;
}

static void elevenst_close(struct market *m)
{
	struct elevenst *st = (struct elevenst *)m;
	market_base_destroy(&st->base);
	free(st);
}

/* The status of the rows of an order list that does not say it per row. */
static const char *list_status(const char *list)
{
	if (strcmp(list, "complete") == 0)
		return "202";
	if (strcmp(list, "packaging") == 0)
		return "301";
	if (strcmp(list, "shipping") == 0)
		return "401";
	return "501";
}

/* Maps the rows of a list whose rows lack most of the line: the shipping
 * list names only the order, line, courier, invoice and send time; the cancel,
 * return and exchange lists have no product name, order quantity or dlvNo.
 * Each run of up to 100 ordNos is read again with orderlistalladdr for the
 * rest; retex, when not NULL, is the return or exchange list the rows are of. */
static int map_with_details(struct elevenst *st, struct http_client *c, const struct est_reply *r, bool claims,
			    const struct est_retex_list *retex, struct record_sink *sink, struct record *rec,
			    struct ob_err *err)
{
	const char *ids[EST_IDS_PER_CALL];
	struct est_reply det;
	est_reply_init(&det);
	int rc = OB_OK;
	size_t i = 0;
	while (i < r->nrows && rc == OB_OK) {
		size_t nids = 0, j = i;
		for (; j < r->nrows; j++) {
			const char *o = est_get(r, j, "ordNo");
			size_t k;
			for (k = 0; k < nids; k++)
				if (strcmp(ids[k], o) == 0)
					break;
			if (k == nids) {
				if (nids == EST_IDS_PER_CALL)
					break;
				ids[nids++] = o;
			}
		}
		est_reply_clear(&det);
		rc = est_read_orders(st, c, ids, nids, &det, err);
		if (rc == OB_EROWS)
			err->code = rc = OB_ENET; /* 11st listed an ordNo that is not a number */
		for (size_t k = i; k < j && rc == OB_OK; k++) {
			long d = est_find_line(&det, est_get(r, k, "ordNo"), est_get(r, k, "ordPrdSeq"));
			const struct est_reply *dr = d >= 0 ? &det : NULL;
			size_t di = d >= 0 ? (size_t)d : 0;
			int mrc = retex ? elevenst_map_retex(st, r, k, dr, di, retex, rec) :
				  claims ? elevenst_map_claim(st, r, k, dr, di, rec) :
				  elevenst_map_order(st, r, k, dr, di, list_status("shipping"), rec);
			rc = mrc != OB_OK ? ob_err_nomem(err) : sink->put(sink, rec, err);
		}
		i = j;
	}
	est_reply_free(&det);
	return rc;
}

int est_list(struct elevenst *st, struct http_client *c, const char *service, const char *name, ob_time from,
	     ob_time to, struct est_reply *r, struct ob_err *err)
{
	char t0[16], t1[16], path[160];
	/* 11st's end minute is inclusive (endTime 12:59 covers 12:59:59), so the
	 * window [from, to) is sent as from .. to-60s: adjacent windows then
	 * neither overlap nor leave a minute out. Windows are whole minutes
	 * (align = 60), so to-60s is the last minute inside the window. */
	est_minute_text(from, t0);
	est_minute_text(to - 60, t1);
	snprintf(path, sizeof path, "/%s/%s/%s/%s", service, name, t0, t1);
	int rc = est_call(st, c, "GET", path, NULL, true, r, NULL, err);
	if (rc == OB_OK)
		rc = est_list_ok(st, name, r, err);
	return rc;
}

static int elevenst_fetch_window(struct market *m, struct http_client *c, const struct market_query *q,
				 ob_time from, ob_time to, struct record_sink *sink, struct ob_err *err)
{
	struct elevenst *st = (struct elevenst *)m;
	bool claims = q->sheets & CLM;
	struct est_reply r;
	est_reply_init(&r);
	int rc = est_list(st, c, claims ? "claimservice" : "ordservices", q->name, from, to, &r, err);
	if (rc == OB_OK && r.nrows >= (size_t)EST_ROW_CAP) {
		char a[KST_TEXT_LEN], b[KST_TEXT_LEN];
		kst_format(from, a);
		kst_format(to, b);
		ob_info("%s %s %s to %s: %zu rows, the most 11st returns; splitting the window", st->base.who, q->name,
			a, b, r.nrows);
		est_reply_free(&r);
		return OB_TRUNCATED;
	}
	struct record rec;
	record_init(&rec, claims ? SHEET_CLAIMS : SHEET_ORDERS);
	if (rc == OB_OK && (claims || strcmp(q->name, "shipping") == 0)) {
		rc = map_with_details(st, c, &r, claims, elevenst_retex_list(q->name), sink, &rec, err);
	} else {
		const char *def = list_status(q->name);
		for (size_t i = 0; rc == OB_OK && i < r.nrows; i++) {
			int mrc = elevenst_map_order(st, &r, i, NULL, 0, def, &rec);
			rc = mrc != OB_OK ? ob_err_nomem(err) : sink->put(sink, &rec, err);
		}
	}
	record_free(&rec);
	est_reply_free(&r);
	return rc;
}

static int elevenst_check(struct market *m, struct http_client *c, struct ob_err *err)
{
	struct elevenst *st = (struct elevenst *)m;
	/* The last minute of paid orders: authenticated, small, harmless. */
	char t[16], path[96];
	est_minute_text(kst_now() - 60, t);
	snprintf(path, sizeof path, "/ordservices/complete/%s/%s", t, t);
	struct est_reply r;
	est_reply_init(&r);
	int rc = est_call(st, c, "GET", path, NULL, true, &r, NULL, err);
	if (rc == OB_OK)
		rc = est_list_ok(st, "complete", &r, err);
	est_reply_free(&r);
	return rc;
}

/* A recorded answer of an order list (ordservices/complete, packaging, ...,
 * EUC-KR XML as 11st sends it). The file name says which list when it starts
 * with the list's name ("packaging-0001.xml"); else it is the paid orders
 * (complete). A row's own ordPrdStat wins either way. */
static int elevenst_replay(const struct account *acct, const char *name, const char *body, size_t len,
			   struct record_sink *sink, struct ob_err *err)
{
	static const char *const lists[] = { "complete", "packaging", "shipping", "dlvcompleted" };
	const char *list = "complete";
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		size_t n = strlen(lists[i]);
		if (strncmp(name, lists[i], n) == 0 && (name[n] == '-' || name[n] == '_' || name[n] == '.'))
			list = lists[i];
	}
	struct elevenst st;
	memset(&st, 0, sizeof st);
	market_base_init(&st.base, acct->ops, acct);
	struct est_reply r;
	est_reply_init(&r);
	int rc = est_parse(body, len, &r, err);
	if (rc == OB_OK)
		rc = est_list_ok(&st, list, &r, err);
	struct record rec;
	record_init(&rec, SHEET_ORDERS);
	const char *def = list_status(list);
	for (size_t i = 0; rc == OB_OK && i < r.nrows; i++) {
		int mrc = elevenst_map_order(&st, &r, i, NULL, 0, def, &rec);
		rc = mrc != OB_OK ? ob_err_nomem(err) : sink->put(sink, &rec, err);
	}
	record_free(&rec);
	est_reply_free(&r);
	market_base_destroy(&st.base);
	return rc;
}

const struct market_ops elevenst_ops = {
	.name = "11st",
	.label_ko = "11번가",
	.default_base_url = "https://api.11st.co.kr/rest",
	.config_keys = elevenst_keys,
	/* 11st publishes no limit; stay gentle. */
	.default_rate = 2.0,
	.open = elevenst_open,
	.close = elevenst_close,
	.queries = elevenst_queries,
	.nqueries = sizeof elevenst_queries / sizeof elevenst_queries[0],
	.fetch_window = elevenst_fetch_window,
	.actions = elevenst_actions,
	.perform = elevenst_perform,
	.history = NULL,
	.check = elevenst_check,
	.check_row = elevenst_check_row,
	.replay = elevenst_replay,
};
