/* HTTP core on libcurl (see http.h): one reused easy handle per thread, a
 * share object for DNS and TLS sessions, retries with full-jitter backoff that
 * never repeat a write the market may have carried out, and -v request lines
 * with secrets masked. */
#include "net/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "net/redact.h"
#include "util/log.h"
#include "util/str.h"
#include "version.h"

/* A market answer beyond this is a bug or an attack, not an order list. */
#define HTTP_BODY_MAX ((size_t)256 << 20)
#define HTTP_HEADERS_MAX ((size_t)256 << 10)
/* Retry-After beyond this is a block, not a hiccup: report it instead of
 * hanging the run. */
#define HTTP_RETRY_AFTER_MAX 600
#define HTTP_RATE_HEADER "GNCP-GW-RateLimit-Replenish-Rate"
#define HTTP_BURST_HEADER "GNCP-GW-RateLimit-Burst-Capacity"

struct http_pool {
	CURLSH *share;
	pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];
	struct http_pool_opts opts;
	pthread_mutex_t mu; /* guards rng and stats */
	uint64_t rng;
	struct http_stats stats;
};

struct http_client {
	struct http_pool *pool;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	struct http_response *resp; /* where the callbacks of the running attempt write */
	bool too_big;
	bool nomem;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

/* curl_global_init is not thread-safe; pools may be made from any thread. */
static void curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *ud)
{
	(void)h;
	(void)access;
	struct http_pool *p = ud;
	if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
		pthread_mutex_lock(&p->share_mu[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
	(void)h;
	struct http_pool *p = ud;
	if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
		pthread_mutex_unlock(&p->share_mu[data]);
}

/* splitmix64: small, good enough for jitter, and seedable for tests. */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double pool_random(struct http_pool *p)
{
	pthread_mutex_lock(&p->mu);
	uint64_t r = splitmix64(&p->rng);
	pthread_mutex_unlock(&p->mu);
	return (double)(r >> 11) * 0x1.0p-53;
}

enum stat_kind { ST_REQUEST, ST_RETRY, ST_429, ST_5XX, ST_NET };

static void stat_add(struct http_pool *p, enum stat_kind k)
{
	pthread_mutex_lock(&p->mu);
	switch (k) {
	case ST_REQUEST: p->stats.requests++; break;
	case ST_RETRY: p->stats.retries++; break;
	case ST_429: p->stats.status_429++; break;
	case ST_5XX: p->stats.status_5xx++; break;
	case ST_NET: p->stats.net_errors++; break;
	}
	pthread_mutex_unlock(&p->mu);
}

int http_pool_new(const struct http_pool_opts *opts, struct http_pool **out, struct ob_err *err)
{
	*out = NULL;
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK)
		return ob_errf(err, OB_EIO, "cannot initialise libcurl: %s",
			       curl_easy_strerror(curl_init_rc));
	struct http_pool *p = calloc(1, sizeof *p);
	if (!p)
		return ob_err_nomem(err);
	if (opts)
		p->opts = *opts;
	if (p->opts.connect_timeout_ms <= 0)
		p->opts.connect_timeout_ms = 10000;
	if (p->opts.timeout_ms <= 0)
		p->opts.timeout_ms = 120000;
	if (p->opts.max_attempts <= 0)
		p->opts.max_attempts = 6;
	if (p->opts.backoff_base_ms <= 0)
		p->opts.backoff_base_ms = 250;
	if (p->opts.backoff_max_ms <= 0)
		p->opts.backoff_max_ms = 8000;
	if (p->opts.backoff_max_ms < p->opts.backoff_base_ms)
		p->opts.backoff_max_ms = p->opts.backoff_base_ms;
	p->rng = p->opts.seed ? p->opts.seed
			      : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)p;

	pthread_mutex_init(&p->mu, NULL);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&p->share_mu[i], NULL);
	p->share = curl_share_init();
	if (!p->share) {
		http_pool_free(p);
		return ob_errf(err, OB_EIO, "cannot initialise libcurl: no share handle");
	}
	CURLSHcode sc = curl_share_setopt(p->share, CURLSHOPT_LOCKFUNC, share_lock);
	if (!sc)
		sc = curl_share_setopt(p->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	if (!sc)
		sc = curl_share_setopt(p->share, CURLSHOPT_USERDATA, p);
	/* Only DNS and TLS sessions are shared. libcurl does not support one
	 * connection cache used by concurrent threads (CURLSHOPT_SHARE(3):
	 * CURL_LOCK_DATA_CONNECT); each client keeps its own live connections
	 * instead, and curl_easy_reset leaves them open between requests. */
	if (!sc)
		sc = curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	if (!sc)
		sc = curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	if (sc) {
		http_pool_free(p);
		return ob_errf(err, OB_EIO, "cannot initialise libcurl: %s", curl_share_strerror(sc));
	}
	*out = p;
	return OB_OK;
}

void http_pool_free(struct http_pool *p)
{
	if (!p)
		return;
	/* A client still attached would call the lock callbacks on freed
	 * memory later; leaking the pool is the lesser evil for that bug. */
	if (p->share && curl_share_cleanup(p->share) != CURLSHE_OK) {
		ob_error("internal error: HTTP pool freed while a client still uses it");
		return;
	}
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&p->share_mu[i]);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void http_pool_stats(struct http_pool *p, struct http_stats *out)
{
	pthread_mutex_lock(&p->mu);
	*out = p->stats;
	pthread_mutex_unlock(&p->mu);
}

int http_client_new(struct http_pool *p, struct http_client **out, struct ob_err *err)
{
	*out = NULL;
	struct http_client *c = calloc(1, sizeof *c);
	if (!c)
		return ob_err_nomem(err);
	c->pool = p;
	c->easy = curl_easy_init();
	if (!c->easy) {
		free(c);
		return ob_errf(err, OB_EIO, "cannot initialise libcurl: no easy handle");
	}
	*out = c;
	return OB_OK;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->easy);
	free(c);
}

void http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof *r);
}

void http_response_free(struct http_response *r)
{
	if (!r)
		return;
	buf_free(&r->body);
	buf_free(&r->headers);
}

int http_response_header(const struct http_response *r, const char *name, char *out, size_t n)
{
	if (out && n)
		out[0] = '\0';
	if (!r || !name || !out || !n)
		return -1;
	size_t nl = strlen(name);
	const char *p = buf_cstr(&r->headers);
	while (*p) {
		size_t len = strcspn(p, "\r\n");
		if (len > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1, *e = p + len;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			size_t vl = (size_t)(e - v);
			if (vl >= n)
				vl = n - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 0;
		}
		p += len;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	return -1;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct http_client *c = ud;
	size_t n = size * nmemb;
	if (n > HTTP_BODY_MAX - c->resp->body.len) {
		c->too_big = true;
		return 0;
	}
	if (buf_append(&c->resp->body, ptr, n) < 0) {
		c->nomem = true;
		return 0;
	}
	return n;
}

static size_t on_header(char *ptr, size_t size, size_t nitems, void *ud)
{
	struct http_client *c = ud;
	size_t n = size * nitems;
	/* A status line opens a new header block (after a 100 Continue or a
	 * proxy's CONNECT answer); only the last block belongs to the response. */
	if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0)
		buf_reset(&c->resp->headers);
	if (n > HTTP_HEADERS_MAX - c->resp->headers.len) {
		c->too_big = true;
		return 0;
	}
	if (buf_append(&c->resp->headers, ptr, n) < 0) {
		c->nomem = true;
		return 0;
	}
	return n;
}

/* Methods go into a request line; anything but upper-case letters could
 * smuggle bytes into it. */
static bool valid_method(const char *m)
{
	if (str_empty(m) || strlen(m) > 16)
		return false;
	for (; *m; m++)
		if (*m < 'A' || *m > 'Z')
			return false;
	return true;
}

static bool method_has_body(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* Turns the caller's headers and the "Name: value\n" lines of the sign
 * callback into a curl list. auth is modified in place (lines cut). */
static int build_headers(const struct http_request *req, struct buf *auth, struct curl_slist **out,
			 struct ob_err *err)
{
	struct curl_slist *list = NULL, *next;
	*out = NULL;
	for (const char *const *h = req->headers; h && *h; h++) {
		if (!(next = curl_slist_append(list, *h)))
			goto nomem;
		list = next;
	}
	/* Expect: 100-continue costs a round trip and some gateways mishandle it. */
	if (method_has_body(req->method)) {
		if (!(next = curl_slist_append(list, "Expect:")))
			goto nomem;
		list = next;
	}
	char *p = auth->data, *end = auth->data + auth->len;
	while (p && p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		*e = '\0';
		if (e > p && e[-1] == '\r')
			e[-1] = '\0';
		if (*p) {
			/* The line itself is never shown: it holds the credential. */
			if (!strchr(p, ':') || p[0] == ':') {
				curl_slist_free_all(list);
				return ob_errf(err, OB_EIO,
					       "%s: the request signer produced a header line without a name",
					       req->who ? req->who : "http");
			}
			if (!(next = curl_slist_append(list, p)))
				goto nomem;
			list = next;
		}
		p = e + 1;
	}
	*out = list;
	return OB_OK;
nomem:
	curl_slist_free_all(list);
	return ob_err_nomem(err);
}

#define SET(opt, val)                                                                         \
	do {                                                                                  \
		if (sc == CURLE_OK)                                                           \
			sc = curl_easy_setopt(e, opt, val);                                   \
	} while (0)

static CURLcode setup_easy(struct http_client *c, const struct http_request *req,
			   struct curl_slist *headers, long timeout_ms)
{
	CURL *e = c->easy;
	CURLcode sc = CURLE_OK;
	/* reset drops every option but keeps live connections and caches. */
	curl_easy_reset(e);
	c->errbuf[0] = '\0';
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_SHARE, c->pool->share);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, c->pool->opts.connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, timeout_ms);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_TCP_KEEPIDLE, 30L);
	SET(CURLOPT_TCP_KEEPINTVL, 15L);
	SET(CURLOPT_ACCEPT_ENCODING, "gzip");
	/* A redirect is an answer to report, never to follow: Coupang sends
	 * 302 when it has blocked the caller. */
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	/* Verification is on for every host and cannot be switched off. */
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	/* Signatures cover the path as written; libcurl must not squash
	 * "/./" or "/../" in it. */
	SET(CURLOPT_PATH_AS_IS, 1L);
	/* libcurl silently sends a request again when a reused keep-alive
	 * connection turns out dead before any answer. For a write that would be
	 * a second bulk call whose first may have been applied (seen with the
	 * sandbox's reset faults): writes always get a connection of their own. */
	SET(CURLOPT_FRESH_CONNECT, req->idempotent ? 0L : 1L);
	SET(CURLOPT_FORBID_REUSE, req->idempotent ? 0L : 1L);
	SET(CURLOPT_USERAGENT, "orderbridge/" OB_VERSION);
	SET(CURLOPT_ERRORBUFFER, c->errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, c);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, c);
	SET(CURLOPT_HTTPHEADER, headers);
	if (strcmp(req->method, "GET") == 0) {
		SET(CURLOPT_HTTPGET, 1L);
	} else if (strcmp(req->method, "HEAD") == 0) {
		SET(CURLOPT_NOBODY, 1L);
	} else {
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
		SET(CURLOPT_POSTFIELDS, req->body ? req->body : "");
		if (strcmp(req->method, "POST") != 0)
			SET(CURLOPT_CUSTOMREQUEST, req->method);
	}
	return sc;
}

#undef SET

enum verdict { V_DONE, V_RETRY, V_FAIL };

struct attempt {
	enum verdict v;
	bool unknown;   /* a write may have been carried out */
	bool throttled; /* 429: slow every thread down */
	char cause[CURL_ERROR_SIZE + 512];
};

/* Decides what one attempt's result means (see http.h for the rules). */
static void classify(struct http_client *c, const struct http_request *req, CURLcode cc,
		     long status, struct attempt *a)
{
	bool read = req->idempotent;
	a->unknown = false;
	a->throttled = false;
	a->cause[0] = '\0';
	if (cc == CURLE_OK) {
		if (status == 429) {
			/* The market refused before acting, so even a write may go again. */
			a->v = V_RETRY;
			a->throttled = true;
			snprintf(a->cause, sizeof a->cause, "HTTP 429 Too Many Requests");
		} else if (status >= 500) {
			a->v = read ? V_RETRY : V_FAIL;
			a->unknown = !read;
			snprintf(a->cause, sizeof a->cause, "HTTP %ld", status);
		} else if (status >= 300 && status < 400) {
			char *loc = NULL;
			struct buf shown = BUF_INIT;
			if (curl_easy_getinfo(c->easy, CURLINFO_REDIRECT_URL, &loc) != CURLE_OK)
				loc = NULL;
			if (loc)
				redact_url(loc, &shown);
			a->v = V_FAIL;
			a->unknown = !read;
			snprintf(a->cause, sizeof a->cause,
				 "HTTP %ld redirect%s%s, not followed (a market redirects when it "
				 "has blocked the caller: Coupang answers 302 to an IP or vendor id "
				 "blocked after too many calls or errors; wait and check the API key "
				 "and allowed IPs)",
				 status, shown.len ? " to " : "", buf_cstr(&shown));
			buf_free(&shown);
		} else {
			a->v = V_DONE;
		}
		return;
	}

	const char *text = c->errbuf[0] ? c->errbuf : curl_easy_strerror(cc);
	if (c->too_big)
		text = "the response is larger than this tool accepts (256 MiB body, 256 KiB headers)";
	else if (c->nomem)
		text = "out of memory while receiving the response";
	snprintf(a->cause, sizeof a->cause, "%s", text);
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		/* Nothing reached the market: safe to repeat, even a write. */
		a->v = V_RETRY;
		break;
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		/* The request may have arrived and been acted on. */
		a->v = read ? V_RETRY : V_FAIL;
		a->unknown = !read;
		break;
	case CURLE_SSL_CONNECT_ERROR:
		/* The handshake failed: retry a read; a write was never sent. */
		a->v = read ? V_RETRY : V_FAIL;
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_FAILED_INIT:
		/* Failed before anything was sent. */
		a->v = V_FAIL;
		break;
	default:
		a->v = V_FAIL;
		a->unknown = !read;
		break;
	}
}

/* Seconds the server asked us to wait (Retry-After: seconds or HTTP date),
 * or -1 when it did not say. */
static long retry_after(const struct http_response *r)
{
	char v[128];
	if (http_response_header(r, "Retry-After", v, sizeof v) < 0 || !*v)
		return -1;
	if (str_is_digits(v)) {
		if (strlen(v) > 9)
			return HTTP_RETRY_AFTER_MAX + 1;
		return strtol(v, NULL, 10);
	}
	time_t when = curl_getdate(v, NULL);
	if (when < 0)
		return -1;
	time_t now = time(NULL);
	return when > now ? (long)(when - now) : 0;
}

/* Full jitter: uniform in [0, min(max, base * 2^(retry-1))]. A 429 waits at
 * least the base: an immediate retry only burns the market's quota. */
static long backoff_ms(struct http_pool *p, int retry, bool throttled)
{
	double ceiling = (double)p->opts.backoff_base_ms * ldexp(1.0, retry - 1 < 30 ? retry - 1 : 30);
	if (ceiling > (double)p->opts.backoff_max_ms)
		ceiling = (double)p->opts.backoff_max_ms;
	double d = pool_random(p) * ceiling;
	if (throttled && d < (double)p->opts.backoff_base_ms)
		d = (double)p->opts.backoff_base_ms;
	return (long)d;
}

/* Follows a rate the market advertises (Naver: GNCP-GW-RateLimit-*). */
static void follow_rate_headers(const struct http_request *req, const struct http_response *r)
{
	char v[64];
	if (!req->limit || http_response_header(r, HTTP_RATE_HEADER, v, sizeof v) < 0)
		return;
	char *end;
	double rate = strtod(v, &end);
	if (end == v || !(rate > 0) || !isfinite(rate))
		return;
	double burst = rate;
	if (http_response_header(r, HTTP_BURST_HEADER, v, sizeof v) == 0) {
		double b = strtod(v, &end);
		if (end != v && b >= 1 && isfinite(b))
			burst = b;
	}
	ratelimit_set_rate(req->limit, rate, burst);
}

static void wipe(struct buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	b->len = 0;
}

int http_send(struct http_client *c, const struct http_request *req, struct http_response *resp,
	      struct ob_err *err)
{
	if (!c || !req || !resp || !req->url || !valid_method(req->method))
		return ob_errf(err, OB_EIO, "internal error: http_send called with a bad request");
	struct http_pool *p = c->pool;
	const char *who = req->who ? req->who : "http";
	int max_attempts = req->max_attempts > 0 ? req->max_attempts : p->opts.max_attempts;
	long timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : p->opts.timeout_ms;
	struct buf shown = BUF_INIT, auth = BUF_INIT;
	struct attempt a;
	int rc = OB_OK;

	resp->status = 0;
	resp->attempts = 0;
	resp->outcome_unknown = false;
	resp->content_type[0] = '\0';
	buf_reset(&resp->body);
	buf_reset(&resp->headers);
	if (redact_url(req->url, &shown) < 0)
		return ob_err_nomem(err);

	for (int attempt = 1;; attempt++) {
		if (req->limit)
			ratelimit_acquire(req->limit);
		resp->attempts = attempt;
		resp->status = 0;
		resp->content_type[0] = '\0';
		buf_reset(&resp->body);
		buf_reset(&resp->headers);
		c->resp = resp;
		c->too_big = c->nomem = false;

		/* A fresh signature per attempt: Coupang rejects stale signed-dates. */
		wipe(&auth);
		if (req->sign) {
			rc = req->sign(req->sign_ctx, req->method, req->url, &auth, err);
			if (rc) {
				ob_err_prefix(err, "%s: signing %s %s", who, req->method, buf_cstr(&shown));
				break;
			}
		}
		struct curl_slist *headers = NULL;
		rc = build_headers(req, &auth, &headers, err);
		wipe(&auth); /* libcurl holds its own copy now */
		if (rc)
			break;
		CURLcode cc = setup_easy(c, req, headers, timeout_ms);
		if (cc != CURLE_OK) {
			curl_slist_free_all(headers);
			rc = ob_errf(err, OB_EIO, "%s: cannot set up the request: %s", who,
				     curl_easy_strerror(cc));
			break;
		}
		double t0 = ob_monotonic();
		cc = curl_easy_perform(c->easy);
		long ms = (long)((ob_monotonic() - t0) * 1000);
		/* Drop our header list from the handle before freeing it. */
		curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
		curl_slist_free_all(headers);
		stat_add(p, ST_REQUEST);

		long status = 0;
		if (cc == CURLE_OK) {
			curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
			char *ct = NULL;
			if (curl_easy_getinfo(c->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
				str_copy(resp->content_type, sizeof resp->content_type, ct);
		}
		resp->status = status;
		classify(c, req, cc, status, &a);
		if (cc == CURLE_OK) {
			if (status == 429)
				stat_add(p, ST_429);
			else if (status >= 500)
				stat_add(p, ST_5XX);
			follow_rate_headers(req, resp);
		} else {
			stat_add(p, ST_NET);
		}

		long wait_s = a.v == V_RETRY ? retry_after(resp) : -1;
		if (a.v == V_RETRY && wait_s > HTTP_RETRY_AFTER_MAX) {
			a.v = V_FAIL;
			size_t used = strlen(a.cause);
			snprintf(a.cause + used, sizeof a.cause - used,
				 "; the market asks to wait %ld s before the next call, try again later",
				 wait_s);
		}
		if (a.v == V_RETRY && attempt >= max_attempts)
			a.v = V_FAIL;
		long delay_ms = 0;
		if (a.v == V_RETRY)
			delay_ms = wait_s >= 0 ? wait_s * 1000 : backoff_ms(p, attempt, a.throttled);

		/* -v: exactly one line per attempt. */
		char result[32];
		if (cc == CURLE_OK)
			snprintf(result, sizeof result, "%ld", status);
		char retry[64] = "";
		if (a.v == V_RETRY)
			snprintf(retry, sizeof retry, ", retry %d of %d in %.2f s", attempt + 1,
				 max_attempts, (double)delay_ms / 1000.0);
		ob_info("%s %s %s -> %s (%ld ms)%s", who, req->method, buf_cstr(&shown),
			cc == CURLE_OK ? result : a.cause, ms, retry);
		if (cc == CURLE_OK)
			ob_debug("%s: %zu body bytes, %zu header bytes, content-type %s", who,
				 resp->body.len, resp->headers.len,
				 resp->content_type[0] ? resp->content_type : "none");

		if (a.v == V_DONE) {
			rc = OB_OK;
			break;
		}
		if (a.v == V_FAIL) {
			resp->outcome_unknown = a.unknown;
			rc = ob_errf(err, OB_ENET, "%s: %s %s failed after %d attempt%s: %s%s", who,
				     req->method, buf_cstr(&shown), attempt, attempt == 1 ? "" : "s",
				     a.cause,
				     a.unknown ? "; the market may or may not have carried it out, "
						 "so check its current state before sending it again"
					       : "");
			break;
		}
		stat_add(p, ST_RETRY);
		if (a.throttled && req->limit)
			/* Every thread of this account waits, not just this one;
			 * ratelimit_acquire at the top of the loop does the waiting. */
			ratelimit_pause(req->limit, (double)delay_ms / 1000.0);
		else
			ob_sleep((double)delay_ms / 1000.0);
	}
	c->resp = NULL;
	buf_free(&auth);
	buf_free(&shown);
	return rc;
}

static bool host_is_loopback(const char *h)
{
	size_t n = strlen(h);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		char a6[64];
		size_t len = n - 2;
		if (len >= sizeof a6)
			return false;
		memcpy(a6, h + 1, len);
		a6[len] = '\0';
		a6[strcspn(a6, "%")] = '\0'; /* zone id */
		struct in6_addr in6;
		if (inet_pton(AF_INET6, a6, &in6) != 1)
			return false;
		if (IN6_IS_ADDR_LOOPBACK(&in6))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&in6) && in6.s6_addr[12] == 127;
	}
	if (strcasecmp(h, "localhost") == 0 || strcasecmp(h, "localhost.") == 0)
		return true;
	struct in_addr in4;
	/* inet_aton takes the same shorthand forms ("127.1") as the resolver. */
	if (inet_aton(h, &in4))
		return (ntohl(in4.s_addr) >> 24) == 127;
	return false;
}

bool http_url_is_loopback(const char *url)
{
	if (!url)
		return false;
	CURLU *u = curl_url();
	if (!u)
		return false;
	char *host = NULL;
	bool lo = false;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host)
		lo = host_is_loopback(host);
	curl_free(host);
	curl_url_cleanup(u);
	return lo;
}
