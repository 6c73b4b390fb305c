/* The sandbox core: one libmicrohttpd daemon per market (a thread per
 * connection, so a held or slow request never blocks the others), the request
 * log, the generic /_sandbox/ endpoints, and the gateway behaviour every
 * market shares: latency, the token-bucket rate limit and seeded faults. */
#include "sandbox/sandbox.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "net/ratelimit.h"
#include "sandbox/gen.h"
#include "util/str.h"

extern const struct sandbox_market_ops sandbox_coupang_ops;
extern const struct sandbox_market_ops sandbox_elevenst_ops;
extern const struct sandbox_market_ops sandbox_smartstore_ops;

/* The markets. Adding one: its file under src/sandbox/ and one line here. */
static const struct sandbox_market_ops *const market_table[] = {
	&sandbox_coupang_ops,
	&sandbox_elevenst_ops,
	&sandbox_smartstore_ops,
};

#define LOG_MAX 200000

const struct sandbox_market_ops *const *sandbox_markets(size_t *n)
{
	*n = sizeof market_table / sizeof market_table[0];
	return market_table;
}

const struct sandbox_market_ops *sandbox_market_find(const char *name)
{
	for (size_t i = 0; i < sizeof market_table / sizeof market_table[0]; i++)
		if (strcmp(market_table[i]->name, name) == 0)
			return market_table[i];
	return NULL;
}

struct log_entry {
	uint64_t seq;
	ob_time t;
	char method[8];
	char *path;
	char *query;
	char endpoint[80];
	int status;        /* 0: the connection was closed without an answer */
	int items;
	int rows;
	enum sandbox_fault_kind fault;
	int fault_status;
	bool fault_after;  /* the fault came after the change was applied */
	long ms;
};

struct market {
	struct sandbox *sb;
	const struct sandbox_market_ops *ops;
	void *state;
	pthread_mutex_t mu; /* state, log, fault PRNG, bucket, seq */
	struct MHD_Daemon *daemon;
	int port;
	struct sandbox_rng fault_rng;
	uint64_t seq;
	double tokens;
	double refilled;
	struct log_entry *log;
	size_t nlog, caplog;
	uint64_t dropped;
};

struct sandbox {
	struct sandbox_opts opts;
	struct market m[SANDBOX_MAX_MARKETS];
	size_t n;
	pthread_mutex_t mu; /* clock and stopping */
	pthread_cond_t cv;  /* wakes held requests at stop */
	bool stopping;
	int64_t clock_offset;
	int64_t day_shift;
};

/* One HTTP request on a connection, from the URI callback to completion. */
struct conn_req {
	struct market *m;
	char *uri;
	bool started;
	bool too_big;
	struct buf body;
	double t0;
};

void sandbox_opts_default(struct sandbox_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->orders = 300;
	o->days = 30;
	o->today = kst_day_start(kst_now());
	o->fault_delay_ms = 15000;
	o->rate = 10;
	o->token_ttl = 10800;
}

struct fault_parse {
	struct sandbox_opts *o;
	struct ob_err *err;
	uint64_t total;
};

static int parse_one_fault(void *ctx, const char *part)
{
	struct fault_parse *fp = ctx;
	const char *colon = strchr(part, ':');
	if (!colon)
		return ob_errf(fp->err, OB_EUSAGE, "fault '%s' needs KIND:PERCENT%%, e.g. 500:5%%", part);
	if (fp->o->nfaults >= SANDBOX_MAX_FAULTS)
		return ob_errf(fp->err, OB_EUSAGE, "at most %d faults", SANDBOX_MAX_FAULTS);
	struct sandbox_fault f = { 0 };
	size_t kl = (size_t)(colon - part);
	if (kl == 5 && strncmp(part, "reset", 5) == 0) {
		f.kind = SANDBOX_FAULT_RESET;
	} else if (kl == 7 && strncmp(part, "timeout", 7) == 0) {
		f.kind = SANDBOX_FAULT_TIMEOUT;
	} else if (kl == 3 && part[0] >= '4' && part[0] <= '5' && part[1] >= '0' && part[1] <= '9' &&
		   part[2] >= '0' && part[2] <= '9') {
		f.kind = SANDBOX_FAULT_STATUS;
		f.status = (part[0] - '0') * 100 + (part[1] - '0') * 10 + (part[2] - '0');
	} else {
		return ob_errf(fp->err, OB_EUSAGE,
			       "unknown fault kind '%.*s' (use an HTTP status 400-599, reset or timeout)",
			       (int)kl, part);
	}
	const char *pct = colon + 1;
	char *end;
	errno = 0;
	double p = strtod(pct, &end);
	if (end == pct || errno || (*end && strcmp(end, "%") != 0) || p < 0 || p > 100)
		return ob_errf(fp->err, OB_EUSAGE, "fault '%s': '%s' is not a percentage 0-100%%", part, pct);
	f.ppm = (uint32_t)(p * 10000 + 0.5);
	fp->total += f.ppm;
	if (fp->total > 1000000)
		return ob_errf(fp->err, OB_EUSAGE, "fault percentages add up to more than 100%%");
	fp->o->faults[fp->o->nfaults++] = f;
	return 0;
}

int sandbox_parse_faults(const char *spec, struct sandbox_opts *o, struct ob_err *err)
{
	struct fault_parse fp = { o, err, 0 };
	o->nfaults = 0;
	for (size_t i = 0; i < o->nfaults; i++)
		fp.total += o->faults[i].ppm;
	return str_split(spec, ',', parse_one_fault, &fp);
}

/* --- clocks and holding --- */

static void clocks(struct sandbox *sb, ob_time *biz, ob_time *auth)
{
	ob_time real = kst_now();
	pthread_mutex_lock(&sb->mu);
	int64_t off = sb->clock_offset;
	pthread_mutex_unlock(&sb->mu);
	if (auth)
		*auth = real + off;
	if (biz)
		*biz = real + sb->day_shift + off;
}

/* Sleeps ms, or less when the sandbox stops. */
static void hold(struct sandbox *sb, long ms)
{
	if (ms <= 0)
		return;
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sb->mu);
	while (!sb->stopping)
		if (pthread_cond_timedwait(&sb->cv, &sb->mu, &dl) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&sb->mu);
}

/* --- responses --- */

static int respond_simple(struct sandbox_response *resp, int status, const char *message)
{
	cJSON *root = cJSON_CreateObject();
	if (!root || !cJSON_AddNumberToObject(root, "code", status) ||
	    !cJSON_AddStringToObject(root, "message", message)) {
		cJSON_Delete(root);
		return -1;
	}
	return sandbox_respond_json(resp, status, root);
}

/* --- request log --- */

static void log_free_entries(struct market *m)
{
	for (size_t i = 0; i < m->nlog; i++) {
		free(m->log[i].path);
		free(m->log[i].query);
	}
	m->nlog = 0;
	m->dropped = 0;
}

static void log_add(struct market *m, const struct log_entry *e)
{
	if (m->nlog >= LOG_MAX) {
		m->dropped++;
		return;
	}
	if (m->nlog == m->caplog) {
		size_t cap = m->caplog ? m->caplog * 2 : 256;
		struct log_entry *p = realloc(m->log, cap * sizeof *p);
		if (!p) {
			m->dropped++;
			return;
		}
		m->log = p;
		m->caplog = cap;
	}
	struct log_entry *d = &m->log[m->nlog];
	*d = *e;
	d->path = ob_strdup(e->path ? e->path : "");
	d->query = ob_strdup(e->query ? e->query : "");
	if (!d->path || !d->query) {
		free(d->path);
		free(d->query);
		m->dropped++;
		return;
	}
	m->nlog++;
}

static const char *fault_name(const struct log_entry *e, char *tmp, size_t n)
{
	switch (e->fault) {
	case SANDBOX_FAULT_STATUS:
		snprintf(tmp, n, "%d", e->fault_status);
		return tmp;
	case SANDBOX_FAULT_RESET:
		return "reset";
	case SANDBOX_FAULT_TIMEOUT:
		return "timeout";
	default:
		return "";
	}
}

static cJSON *log_entry_json(const struct log_entry *e)
{
	cJSON *o = cJSON_CreateObject();
	char t[48], fn[16];
	sandbox_time_text(e->t, -2, t, sizeof t);
	if (!o || !cJSON_AddNumberToObject(o, "seq", (double)e->seq) || !cJSON_AddStringToObject(o, "time", t) ||
	    !cJSON_AddStringToObject(o, "method", e->method) || !cJSON_AddStringToObject(o, "path", e->path) ||
	    !cJSON_AddStringToObject(o, "query", e->query) ||
	    !cJSON_AddStringToObject(o, "endpoint", e->endpoint) ||
	    !cJSON_AddNumberToObject(o, "status", e->status) || !cJSON_AddNumberToObject(o, "items", e->items) ||
	    !cJSON_AddNumberToObject(o, "rows", e->rows) ||
	    !cJSON_AddStringToObject(o, "fault", fault_name(e, fn, sizeof fn)) ||
	    !cJSON_AddStringToObject(o, "faultPhase", e->fault == SANDBOX_FAULT_NONE ? "" :
				     e->fault_after ? "after" : "before") ||
	    !cJSON_AddNumberToObject(o, "ms", (double)e->ms)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *log_requests_json(const struct market *m)
{
	cJSON *a = cJSON_CreateArray();
	if (!a)
		return NULL;
	for (size_t i = 0; i < m->nlog; i++) {
		cJSON *e = log_entry_json(&m->log[i]);
		if (!e) {
			cJSON_Delete(a);
			return NULL;
		}
		cJSON_AddItemToArray(a, e);
	}
	return a;
}

/* {"total":N,"dropped":0,"endpoints":{"GET v5 ordersheets":{"count":..,
 *  "statuses":{"200":..},"batchSizes":[..],"maxBatch":..}}} */
static cJSON *log_summary_json(const struct market *m)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *eps = cJSON_CreateObject();
	if (!s || !eps || !cJSON_AddNumberToObject(s, "total", (double)m->nlog) ||
	    !cJSON_AddNumberToObject(s, "dropped", (double)m->dropped)) {
		cJSON_Delete(s);
		cJSON_Delete(eps);
		return NULL;
	}
	cJSON_AddItemToObject(s, "endpoints", eps);
	for (size_t i = 0; i < m->nlog; i++) {
		const struct log_entry *e = &m->log[i];
		cJSON *ep = cJSON_GetObjectItemCaseSensitive(eps, e->endpoint);
		if (!ep) {
			ep = cJSON_AddObjectToObject(eps, e->endpoint);
			if (!ep || !cJSON_AddNumberToObject(ep, "count", 0) ||
			    !cJSON_AddObjectToObject(ep, "statuses") || !cJSON_AddArrayToObject(ep, "batchSizes") ||
			    !cJSON_AddNumberToObject(ep, "maxBatch", 0))
				goto oom;
		}
		cJSON *cnt = cJSON_GetObjectItemCaseSensitive(ep, "count");
		cJSON_SetNumberValue(cnt, cnt->valuedouble + 1);
		char code[8];
		snprintf(code, sizeof code, "%d", e->status);
		cJSON *st = cJSON_GetObjectItemCaseSensitive(ep, "statuses");
		cJSON *sc = cJSON_GetObjectItemCaseSensitive(st, code);
		if (!sc) {
			if (!cJSON_AddNumberToObject(st, code, 1))
				goto oom;
		} else {
			cJSON_SetNumberValue(sc, sc->valuedouble + 1);
		}
		if (e->items > 0) {
			cJSON *bs = cJSON_GetObjectItemCaseSensitive(ep, "batchSizes");
			cJSON *num = cJSON_CreateNumber(e->items);
			if (!num)
				goto oom;
			cJSON_AddItemToArray(bs, num);
			cJSON *mx = cJSON_GetObjectItemCaseSensitive(ep, "maxBatch");
			if (e->items > mx->valuedouble)
				cJSON_SetNumberValue(mx, e->items);
		}
	}
	return s;
oom:
	cJSON_Delete(s);
	return NULL;
}

/* --- faults and the rate limit --- */

struct fault_pick {
	enum sandbox_fault_kind kind;
	int status;
	bool after;
};

static struct fault_pick pick_fault(const struct sandbox_opts *o, uint64_t draw, bool write)
{
	struct fault_pick p = { SANDBOX_FAULT_NONE, 0, false };
	uint32_t x = (uint32_t)((draw >> 16) % 1000000u);
	uint32_t acc = 0;
	for (size_t i = 0; i < o->nfaults; i++) {
		acc += o->faults[i].ppm;
		if (x < acc) {
			p.kind = o->faults[i].kind;
			p.status = o->faults[i].status;
			/* Half of the write faults strike after the change is applied:
			 * the client must not assume a failed write did nothing. A 429
			 * is the gateway refusing, so it always comes before. */
			bool may_after = write && !(p.kind == SANDBOX_FAULT_STATUS && p.status == 429);
			p.after = may_after && (draw & 1);
			return p;
		}
	}
	return p;
}

static bool take_token(struct market *m, double rate)
{
	if (rate <= 0)
		return true;
	double burst = rate < 1 ? 1 : rate;
	double now = ob_monotonic();
	m->tokens += (now - m->refilled) * rate;
	if (m->tokens > burst)
		m->tokens = burst;
	m->refilled = now;
	if (m->tokens >= 1) {
		m->tokens -= 1;
		return true;
	}
	return false;
}

/* The gateway's rate for one market: its --market-rate, else --rate. */
static double rate_of(const struct market *m)
{
	const struct sandbox_opts *o = &m->sb->opts;
	for (size_t i = 0; i < o->nmarket_rates; i++)
		if (strcmp(o->market_rates[i].market, m->ops->name) == 0)
			return o->market_rates[i].rate;
	return o->rate;
}

static void market_reset_gateway(struct market *m)
{
	sandbox_rng_seed(&m->fault_rng, sandbox_rng_derive(m->sb->opts.seed, m->ops->name));
	m->seq = 0;
	m->tokens = rate_of(m) < 1 ? 1 : rate_of(m);
	m->refilled = ob_monotonic();
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* --- the test endpoints under /_sandbox/ --- */

static int admin_state(struct market *m, const struct sandbox_request *req, struct sandbox_response *resp)
{
	cJSON *root = cJSON_CreateObject();
	char now[48];
	sandbox_time_text(req->now, -2, now, sizeof now);
	pthread_mutex_lock(&m->sb->mu);
	double off = (double)m->sb->clock_offset;
	pthread_mutex_unlock(&m->sb->mu);
	if (!root || !cJSON_AddStringToObject(root, "market", m->ops->name) ||
	    !cJSON_AddNumberToObject(root, "port", m->port) || !cJSON_AddStringToObject(root, "now", now) ||
	    !cJSON_AddNumberToObject(root, "clockOffset", off))
		goto oom;
	pthread_mutex_lock(&m->mu);
	int rc = m->ops->state_json(m->state, root);
	cJSON *sum = rc == 0 ? log_summary_json(m) : NULL;
	cJSON *reqs = sum ? log_requests_json(m) : NULL;
	pthread_mutex_unlock(&m->mu);
	if (!reqs) {
		cJSON_Delete(sum);
		goto oom;
	}
	cJSON_AddItemToObject(root, "log", sum);
	cJSON_AddItemToObject(root, "requests", reqs);
	return sandbox_respond_json(resp, 200, root);
oom:
	cJSON_Delete(root);
	return -1;
}

static int admin_requests(struct market *m, struct sandbox_response *resp)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return -1;
	pthread_mutex_lock(&m->mu);
	cJSON *reqs = log_requests_json(m);
	double total = (double)m->nlog, dropped = (double)m->dropped;
	pthread_mutex_unlock(&m->mu);
	if (!reqs || !cJSON_AddNumberToObject(root, "total", total) ||
	    !cJSON_AddNumberToObject(root, "dropped", dropped)) {
		cJSON_Delete(reqs);
		cJSON_Delete(root);
		return -1;
	}
	cJSON_AddItemToObject(root, "requests", reqs);
	return sandbox_respond_json(resp, 200, root);
}

static int admin_clock(struct market *m, const struct sandbox_request *req, struct sandbox_response *resp)
{
	char v[32];
	int found = sandbox_query_get(req->query, "offset", v, sizeof v);
	if (strcmp(req->method, "POST") == 0) {
		int64_t off;
		if (found != 1 || str_to_i64(v, &off) < 0)
			return respond_simple(resp, 400, "offset=SECONDS (an integer, may be negative) is required");
		pthread_mutex_lock(&m->sb->mu);
		m->sb->clock_offset = off;
		pthread_mutex_unlock(&m->sb->mu);
	}
	ob_time biz, auth;
	clocks(m->sb, &biz, &auth);
	char now[48];
	sandbox_time_text(biz, -2, now, sizeof now);
	cJSON *root = cJSON_CreateObject();
	pthread_mutex_lock(&m->sb->mu);
	double off = (double)m->sb->clock_offset;
	pthread_mutex_unlock(&m->sb->mu);
	if (!root || !cJSON_AddNumberToObject(root, "clockOffset", off) ||
	    !cJSON_AddStringToObject(root, "now", now) ||
	    !cJSON_AddNumberToObject(root, "authNow", (double)auth)) {
		cJSON_Delete(root);
		return -1;
	}
	return sandbox_respond_json(resp, 200, root);
}

static int admin(struct market *m, const struct sandbox_request *req, struct sandbox_response *resp)
{
	const char *what = req->path + strlen("/_sandbox/");
	bool get = strcmp(req->method, "GET") == 0, post = strcmp(req->method, "POST") == 0;
	snprintf(resp->endpoint, sizeof resp->endpoint, "%s /_sandbox/%s", req->method, what);
	if (strcmp(what, "state") == 0 && get)
		return admin_state(m, req, resp);
	if (strcmp(what, "requests") == 0 && get)
		return admin_requests(m, resp);
	if (strcmp(what, "reset-log") == 0 && post) {
		pthread_mutex_lock(&m->mu);
		log_free_entries(m);
		pthread_mutex_unlock(&m->mu);
		return respond_simple(resp, 200, "request log cleared");
	}
	if (strcmp(what, "reset") == 0 && post) {
		struct ob_err err = OB_ERR_INIT;
		pthread_mutex_lock(&m->mu);
		int rc = m->ops->reset(m->state, &err);
		log_free_entries(m);
		market_reset_gateway(m);
		pthread_mutex_unlock(&m->mu);
		if (rc)
			return respond_simple(resp, 500, err.msg);
		return respond_simple(resp, 200, "data set, request log and fault sequence reset");
	}
	if (strcmp(what, "clock") == 0 && (get || post))
		return admin_clock(m, req, resp);
	size_t nl = strlen(m->ops->name);
	if (strncmp(what, m->ops->name, nl) == 0 && what[nl] == '/' && m->ops->handle_test) {
		pthread_mutex_lock(&m->mu);
		int rc = m->ops->handle_test(m->state, what + nl + 1, req, resp);
		pthread_mutex_unlock(&m->mu);
		return rc;
	}
	return respond_simple(resp, 404, "unknown sandbox endpoint (see src/sandbox/README.md)");
}

/* --- MHD callbacks --- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_req *cr = calloc(1, sizeof *cr);
	if (!cr)
		return NULL;
	cr->m = cls;
	cr->uri = ob_strdup(uri ? uri : "/");
	if (!cr->uri) {
		free(cr);
		return NULL;
	}
	cr->t0 = ob_monotonic();
	return cr;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_req *cr = *con_cls;
	if (!cr)
		return;
	free(cr->uri);
	buf_free(&cr->body);
	free(cr);
	*con_cls = NULL;
}

struct header_ctx {
	struct sandbox_header *h;
	size_t n;
	bool oom;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct header_ctx *hc = cls;
	if (hc->n >= SANDBOX_MAX_HEADERS)
		return MHD_NO;
	char *k = ob_strdup(key ? key : ""), *v = ob_strdup(value ? value : "");
	if (!k || !v) {
		free(k);
		free(v);
		hc->oom = true;
		return MHD_NO;
	}
	hc->h[hc->n].name = k;
	hc->h[hc->n].value = v;
	hc->n++;
	return MHD_YES;
}

static enum MHD_Result answer(struct MHD_Connection *c, struct sandbox_response *resp)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(resp->body.len, (void *)buf_cstr(&resp->body),
								 MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (resp->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	/* The market's own headers, "Name: value" per line. */
	const char *p = buf_cstr(&resp->headers);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (colon) {
			char name[128], value[512];
			size_t nl_len = (size_t)(colon - p), vl = len - nl_len - 1;
			const char *v = colon + 1;
			while (vl && *v == ' ') {
				v++;
				vl--;
			}
			if (nl_len < sizeof name && vl < sizeof value) {
				memcpy(name, p, nl_len);
				name[nl_len] = '\0';
				memcpy(value, v, vl);
				value[vl] = '\0';
				MHD_add_response_header(r, name, value);
			}
		}
		p += len + (nl != NULL);
	}
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return rc;
}

static int fault_response(struct sandbox_response *resp, int status)
{
	char msg[96];
	snprintf(msg, sizeof msg, "sandbox fault: injected HTTP %d", status);
	return respond_simple(resp, status, msg);
}

static enum MHD_Result serve(struct market *m, struct MHD_Connection *c, struct conn_req *cr,
			     const char *method)
{
	struct sandbox *sb = m->sb;
	struct sandbox_header headers[SANDBOX_MAX_HEADERS];
	struct header_ctx hc = { headers, 0, false };
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &hc);
	const char *q = strchr(cr->uri, '?');
	char *path = q ? ob_strndup(cr->uri, (size_t)(q - cr->uri)) : ob_strdup(cr->uri);
	struct sandbox_response resp = { 0, BUF_INIT, NULL, "", 0, -1, BUF_INIT };
	struct log_entry le;
	memset(&le, 0, sizeof le);
	enum MHD_Result ret = MHD_NO;
	if (!path || hc.oom)
		goto out;

	struct sandbox_request req = {
		.method = method,
		.path = path,
		.query = q ? q + 1 : "",
		.headers = headers,
		.nheaders = hc.n,
		.body = buf_cstr(&cr->body),
		.body_len = cr->body.len,
	};
	clocks(sb, &req.now, &req.auth_now);

	if (str_starts(path, "/_sandbox/")) {
		/* Test endpoints: never faulted, limited, delayed or logged. */
		if (admin(m, &req, &resp) < 0)
			respond_simple(&resp, 500, "sandbox: out of memory");
		ret = resp.status ? answer(c, &resp) : MHD_NO;
		goto out;
	}

	int items = 0;
	m->ops->describe(&req, resp.endpoint, sizeof resp.endpoint, &items);
	bool write = is_write(method);
	pthread_mutex_lock(&m->mu);
	req.seq = ++m->seq;
	struct fault_pick f = pick_fault(&sb->opts, sandbox_rng_next(&m->fault_rng), write);
	double rate = rate_of(m);
	bool limited = !take_token(m, rate);
	req.rate = rate;
	req.burst = rate < 1 ? 1 : rate;
	req.tokens_left = m->tokens;
	pthread_mutex_unlock(&m->mu);

	le.seq = req.seq;
	le.t = req.now;
	str_copy(le.method, sizeof le.method, method);
	le.path = path;
	le.query = (char *)req.query;
	le.items = items;
	le.rows = -1;

	hold(sb, sb->opts.latency_ms);
	if (cr->too_big) {
		respond_simple(&resp, 413, "request body too large");
	} else if (limited) {
		int lrc = 0;
		if (m->ops->rate_limited) {
			pthread_mutex_lock(&m->mu);
			lrc = m->ops->rate_limited(m->state, &req, &resp);
			pthread_mutex_unlock(&m->mu);
		}
		if (!m->ops->rate_limited || lrc < 0)
			respond_simple(&resp, 429, "Too Many Requests");
	} else if (f.kind != SANDBOX_FAULT_NONE && !f.after) {
		le.fault = f.kind;
		le.fault_status = f.status;
		if (f.kind == SANDBOX_FAULT_STATUS) {
			fault_response(&resp, f.status);
		} else if (f.kind == SANDBOX_FAULT_TIMEOUT) {
			/* Held, then the gateway gives up as Coupang's does. */
			hold(sb, sb->opts.fault_delay_ms);
			fault_response(&resp, 504);
		}
	} else {
		pthread_mutex_lock(&m->mu);
		int rc = m->ops->handle(m->state, &req, &resp);
		pthread_mutex_unlock(&m->mu);
		if (rc < 0)
			respond_simple(&resp, 500, "sandbox: out of memory");
		le.rows = resp.rows;
		le.items = resp.items > items ? resp.items : items;
		if (f.kind != SANDBOX_FAULT_NONE) {
			le.fault = f.kind;
			le.fault_status = f.status;
			le.fault_after = true;
			if (f.kind == SANDBOX_FAULT_STATUS) {
				fault_response(&resp, f.status);
			} else if (f.kind == SANDBOX_FAULT_TIMEOUT) {
				hold(sb, sb->opts.fault_delay_ms);
			} else {
				resp.status = 0;
			}
		}
	}
	if (f.kind == SANDBOX_FAULT_RESET && le.fault == SANDBOX_FAULT_RESET)
		resp.status = 0;
	le.status = resp.status;
	str_copy(le.endpoint, sizeof le.endpoint, resp.endpoint[0] ? resp.endpoint : "unknown");
	le.ms = (long)((ob_monotonic() - cr->t0) * 1000);
	pthread_mutex_lock(&m->mu);
	log_add(m, &le);
	pthread_mutex_unlock(&m->mu);
	/* MHD_NO closes the connection without an answer: the "reset" fault. */
	ret = resp.status ? answer(c, &resp) : MHD_NO;
out:
	for (size_t i = 0; i < hc.n; i++) {
		free(headers[i].name);
		free(headers[i].value);
	}
	free(path);
	buf_free(&resp.body);
	buf_free(&resp.headers);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct conn_req *cr = *con_cls;
	if (!cr)
		return MHD_NO;
	if (!cr->started) {
		cr->started = true;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cr->too_big) {
			if (cr->body.len + *upload_data_size > SANDBOX_BODY_MAX) {
				cr->too_big = true;
				buf_free(&cr->body);
			} else if (buf_append(&cr->body, upload_data, *upload_data_size) < 0) {
				return MHD_NO;
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return serve(cr->m, c, cr, method);
}

/* --- lifecycle --- */

static const char *dataset_for(const struct sandbox_opts *o, const char *name)
{
	for (size_t i = 0; i < o->ndatasets; i++)
		if (strcmp(o->datasets[i].market, name) == 0)
			return o->datasets[i].path;
	return NULL;
}

int sandbox_start(const struct sandbox_opts *o, int base_port, struct sandbox **out, struct ob_err *err)
{
	*out = NULL;
	for (size_t i = 0; i < o->ndatasets; i++)
		if (!sandbox_market_find(o->datasets[i].market))
			return ob_errf(err, OB_EUSAGE, "--dataset: unknown market '%s'", o->datasets[i].market);
	struct sandbox *sb = calloc(1, sizeof *sb);
	if (!sb)
		return ob_err_nomem(err);
	sb->opts = *o;
	pthread_mutex_init(&sb->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sb->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* The business clock shows --today with the real time of day. */
	sb->day_shift = o->today - kst_day_start(kst_now());

	struct sandbox_gen_opts g = { o->seed, o->orders, o->days, o->today, o->token_ttl };
	size_t n;
	const struct sandbox_market_ops *const *ops = sandbox_markets(&n);
	for (size_t i = 0; i < n && i < SANDBOX_MAX_MARKETS; i++) {
		struct market *m = &sb->m[i];
		m->sb = sb;
		m->ops = ops[i];
		pthread_mutex_init(&m->mu, NULL);
		sb->n = i + 1;
		const char *ds = dataset_for(o, ops[i]->name);
		int rc = ds ? ops[i]->load(ds, &g, &m->state, err) : ops[i]->create(&g, &m->state, err);
		for (size_t b = 0; rc == OB_OK && b < o->nbursts; b++) {
			if (strcmp(o->bursts[b].market, ops[i]->name) != 0)
				continue;
			rc = ops[i]->burst ? ops[i]->burst(m->state, o->bursts[b].day, o->bursts[b].orders, err) :
					     ob_errf(err, OB_EUSAGE, "--burst: the %s sandbox has no bursts", ops[i]->name);
		}
		if (rc) {
			ob_err_prefix(err, "sandbox %s", ops[i]->name);
			sandbox_stop(sb);
			return rc;
		}
		market_reset_gateway(m);
	}
	for (size_t i = 0; i < sb->n; i++) {
		struct market *m = &sb->m[i];
		int port = base_port ? base_port + m->ops->port_offset : 0;
		if (port > 65535) {
			sandbox_stop(sb);
			return ob_errf(err, OB_EUSAGE, "port %d for %s is beyond 65535", port, m->ops->name);
		}
		struct sockaddr_in sa;
		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		m->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION,
					     (uint16_t)port, NULL, NULL, on_request, m,
					     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
					     MHD_OPTION_URI_LOG_CALLBACK, on_uri, m,
					     MHD_OPTION_NOTIFY_COMPLETED, on_completed, m,
					     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
					     MHD_OPTION_END);
		if (!m->daemon) {
			int e = errno;
			sandbox_stop(sb);
			return ob_errf(err, OB_EIO, "sandbox %s: could not listen on 127.0.0.1:%d (%s)",
				       sb->m[i].ops ? ops[i]->name : "?", port, strerror(e));
		}
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
		m->port = di ? di->port : port;
	}
	*out = sb;
	return OB_OK;
}

size_t sandbox_count(const struct sandbox *sb)
{
	return sb->n;
}

const char *sandbox_name(const struct sandbox *sb, size_t i)
{
	return sb->m[i].ops->name;
}

int sandbox_port(const struct sandbox *sb, size_t i)
{
	return sb->m[i].port;
}

int sandbox_write_config(struct sandbox *sb, const char *path, struct ob_err *err)
{
	struct buf text = BUF_INIT;
	int rc = OB_OK;
	if (buf_puts(&text, "; orderbridge sandbox: credentials of the simulated markets (not real keys)\n") < 0)
		rc = ob_err_nomem(err);
	for (size_t i = 0; i < sb->n && rc == OB_OK; i++) {
		struct market *m = &sb->m[i];
		char base[64];
		snprintf(base, sizeof base, "http://127.0.0.1:%d", m->port);
		pthread_mutex_lock(&m->mu);
		int r = m->ops->config_section(m->state, base, &text);
		pthread_mutex_unlock(&m->mu);
		if (r < 0)
			rc = ob_err_nomem(err);
	}
	char *tmp = NULL;
	if (rc == OB_OK) {
		size_t tl = strlen(path) + 16;
		tmp = malloc(tl);
		if (!tmp)
			rc = ob_err_nomem(err);
		else
			snprintf(tmp, tl, "%s.tmpXXXXXX", path);
	}
	if (rc == OB_OK) {
		/* mkstemp creates the file 0600, so the secret is never readable by others. */
		int fd = mkstemp(tmp);
		if (fd < 0) {
			rc = ob_errf(err, OB_EIO, "cannot create %s: %s", tmp, strerror(errno));
		} else {
			size_t off = 0;
			while (off < text.len) {
				ssize_t w = write(fd, text.data + off, text.len - off);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					break;
				off += (size_t)w;
			}
			bool ok = off == text.len && fchmod(fd, 0600) == 0 && fsync(fd) == 0;
			int e = errno;
			if (close(fd) != 0 && ok) {
				ok = false;
				e = errno;
			}
			if (!ok) {
				unlink(tmp);
				rc = ob_errf(err, OB_EIO, "cannot write %s: %s", tmp, strerror(e));
			} else if (rename(tmp, path) != 0) {
				e = errno;
				unlink(tmp);
				rc = ob_errf(err, OB_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(e));
			}
		}
	}
	free(tmp);
	buf_free(&text);
	return rc;
}

void sandbox_stop(struct sandbox *sb)
{
	if (!sb)
		return;
	pthread_mutex_lock(&sb->mu);
	sb->stopping = true;
	pthread_cond_broadcast(&sb->cv);
	pthread_mutex_unlock(&sb->mu);
	for (size_t i = 0; i < sb->n; i++)
		if (sb->m[i].daemon)
			MHD_stop_daemon(sb->m[i].daemon);
	for (size_t i = 0; i < sb->n; i++) {
		struct market *m = &sb->m[i];
		if (m->state)
			m->ops->free(m->state);
		log_free_entries(m);
		free(m->log);
		pthread_mutex_destroy(&m->mu);
	}
	pthread_cond_destroy(&sb->cv);
	pthread_mutex_destroy(&sb->mu);
	free(sb);
}
