/* HTTP core on libcurl. A struct http_pool is shared by all threads (DNS and
 * TLS session cache, counters, settings, jitter); each thread that talks to a
 * market uses its own struct http_client (one curl easy handle, reused across
 * requests so its connections are kept alive). Connections themselves are not
 * shared between threads: libcurl does not support a connection cache used by
 * concurrent threads (CURLSHOPT_SHARE(3), CURL_LOCK_DATA_CONNECT). Free every
 * client before its pool.
 *
 * Retries: a request marked idempotent is retried with exponential backoff and
 * full jitter on 429, 5xx, connection failures, resets and timeouts. A write
 * (idempotent=false) is retried only when the server cannot have acted on it:
 * 429 and failure to resolve or connect. Any other failure of a write after it
 * may have been sent returns OB_ENET with outcome_unknown set, so the caller
 * re-reads the state at the market before deciding. A Retry-After header sets
 * the delay (beyond 600 s the request fails at once); a 429 pauses req->limit
 * so every thread of the account backs off. Redirects are never followed: a
 * 3xx is OB_ENET (Coupang answers 302 to a blocked caller).
 *
 * Secrets: the sign callback adds authentication headers for each attempt; those
 * headers are never logged. -v logs "who METHOD url -> status (ms)" per attempt
 * with the query values of personal or secret parameters masked (net/redact.h);
 * error messages carry the same masked URL. TLS verification is always on, for
 * every host; only http and https URLs are accepted. */
#ifndef OB_NET_HTTP_H
#define OB_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "net/ratelimit.h"
#include "util/buf.h"
#include "util/err.h"

struct http_pool;
struct http_client;

struct http_pool_opts {
	long connect_timeout_ms; /* default 10000 */
	long timeout_ms;         /* default 120000 per attempt */
	int max_attempts;        /* default 6 for reads */
	long backoff_base_ms;    /* default 250 */
	long backoff_max_ms;     /* default 8000 */
	unsigned seed;           /* jitter seed (tests); 0 = from time */
};

/* Called before every attempt: append the authentication headers for this
 * attempt ("Name: value\n" lines) to auth. Never log them. */
typedef int (*http_sign_fn)(void *ctx, const char *method, const char *url, struct buf *auth,
			    struct ob_err *err);

struct http_request {
	const char *method;          /* "GET", "POST", "PUT" */
	const char *url;             /* full URL; the query is sent byte for byte */
	const char *const *headers;  /* NULL-terminated "Name: value" strings, or NULL */
	const char *body;            /* may be NULL */
	size_t body_len;
	bool idempotent;             /* reads: true */
	http_sign_fn sign;           /* may be NULL */
	void *sign_ctx;
	struct ratelimit *limit;     /* may be NULL */
	const char *who;             /* "coupang.main" in log lines and errors */
	long timeout_ms;             /* 0 = pool default */
	int max_attempts;            /* 0 = pool default */
};

struct http_response {
	long status;
	struct buf body;
	struct buf headers;          /* raw response header lines of the final attempt */
	char content_type[128];
	int attempts;
	bool outcome_unknown;        /* a write may or may not have reached the market */
};

int http_pool_new(const struct http_pool_opts *opts, struct http_pool **out, struct ob_err *err);
void http_pool_free(struct http_pool *p);
/* Counters since the pool was made (for -v summaries and benchmarks). */
struct http_stats {
	long requests;   /* attempts sent */
	long retries;
	long status_429;
	long status_5xx;
	long net_errors;
};
void http_pool_stats(struct http_pool *p, struct http_stats *out);

int http_client_new(struct http_pool *p, struct http_client **out, struct ob_err *err);
void http_client_free(struct http_client *c);

void http_response_init(struct http_response *r);
void http_response_free(struct http_response *r);
/* Value of a response header (case-insensitive name, first occurrence, blanks
 * trimmed) copied into out, cut to fit; -1 if absent. */
int http_response_header(const struct http_response *r, const char *name, char *out, size_t n);

/* Sends req and waits for the final response (after retries). Returns OB_OK
 * when a response arrived whose status is 2xx or 4xx other than 429 (the
 * adapter decides what a 400 means), OB_ENET when the market could not be
 * reached, kept failing (5xx, 429), or redirected; resp->status then holds the
 * last status (0 when none arrived). The sign callback's error is returned as
 * it is. */
int http_send(struct http_client *c, const struct http_request *req, struct http_response *resp,
	      struct ob_err *err);

/* True when the URL's host is a loopback address (127.0.0.0/8, ::1, localhost). */
bool http_url_is_loopback(const char *url);

#endif
