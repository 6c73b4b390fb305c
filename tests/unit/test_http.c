/* HTTP core against a scripted libmicrohttpd server on 127.0.0.1: which
 * failures are retried for reads and for writes, that a write the market may
 * have carried out is reported as such and never repeated, that signatures
 * are fresh per attempt and never logged, and that 429s, Retry-After and
 * advertised rates reach the shared rate limiter (on a fake clock, so no
 * test waits for real time or asserts on it). */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <microhttpd.h>

#include "net/http.h"
#include "util/log.h"

/* One scripted answer; requests beyond the script get 200 "{}". */
struct step {
	int status;
	int sleep_ms;
	const char *body;
	const char *h1_name, *h1_value;
	const char *h2_name, *h2_value;
};

#define MAX_HITS 32

struct server {
	struct MHD_Daemon *d;
	unsigned short port;
	pthread_mutex_t mu;
	const struct step *steps;
	int nsteps;
	int hits;
	char sign[MAX_HITS][96];   /* X-Test-Sign of each request */
	char method[MAX_HITS][16];
	char body[MAX_HITS][128];
	char requested_by[64];
};

struct req_state {
	int hit;
	size_t body_len;
};

static void copy_bounded(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	(void)url;
	(void)version;
	struct server *s = cls;
	struct req_state *rs = *con_cls;
	if (!rs) {
		rs = calloc(1, sizeof *rs);
		if (!rs)
			return MHD_NO;
		pthread_mutex_lock(&s->mu);
		rs->hit = s->hits++;
		if (rs->hit < MAX_HITS) {
			copy_bounded(s->sign[rs->hit], sizeof s->sign[0],
				     MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Test-Sign"));
			copy_bounded(s->method[rs->hit], sizeof s->method[0], method);
		}
		const char *rb = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Requested-By");
		if (rb)
			copy_bounded(s->requested_by, sizeof s->requested_by, rb);
		pthread_mutex_unlock(&s->mu);
		*con_cls = rs;
		return MHD_YES;
	}
	if (*upload_data_size) {
		pthread_mutex_lock(&s->mu);
		if (rs->hit < MAX_HITS) {
			char *b = s->body[rs->hit];
			size_t room = sizeof s->body[0] - 1 - rs->body_len;
			size_t n = *upload_data_size < room ? *upload_data_size : room;
			memcpy(b + rs->body_len, upload_data, n);
			rs->body_len += n;
			b[rs->body_len] = '\0';
		}
		pthread_mutex_unlock(&s->mu);
		*upload_data_size = 0;
		return MHD_YES;
	}
	static const struct step fallback = { 200, 0, "{}", NULL, NULL, NULL, NULL };
	const struct step *st = rs->hit < s->nsteps ? &s->steps[rs->hit] : &fallback;
	if (st->sleep_ms)
		usleep((useconds_t)st->sleep_ms * 1000);
	const char *body = st->body ? st->body : "{}";
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json;charset=UTF-8");
	if (st->h1_name)
		MHD_add_response_header(r, st->h1_name, st->h1_value);
	if (st->h2_name)
		MHD_add_response_header(r, st->h2_name, st->h2_value);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)st->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static void server_start(struct server *s, const struct step *steps, int nsteps)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	s->steps = steps;
	s->nsteps = nsteps;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	/* A thread per connection, so an answer that sleeps past the client's
	 * timeout does not hold up the retry. */
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
				NULL, NULL, handler, s, MHD_OPTION_SOCK_ADDR, &sa,
				MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
	assert_non_null(s->d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(info);
	s->port = info->port;
	assert_true(s->port != 0);
}

static int server_hits(struct server *s)
{
	pthread_mutex_lock(&s->mu);
	int n = s->hits;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static void server_stop(struct server *s)
{
	MHD_stop_daemon(s->d);
	pthread_mutex_destroy(&s->mu);
}

static void url_of(const struct server *s, const char *path, char *out, size_t n)
{
	snprintf(out, n, "http://127.0.0.1:%u%s", (unsigned)s->port, path);
}

/* A fresh pool and client per test; backoff in milliseconds keeps it fast. */
struct fixture {
	struct http_pool *pool;
	struct http_client *client;
	struct http_response resp;
	struct ob_err err;
};

static void fixture_open(struct fixture *f)
{
	struct http_pool_opts o = { 2000, 5000, 6, 1, 5, 42 };
	memset(f, 0, sizeof *f);
	assert_int_equal(http_pool_new(&o, &f->pool, &f->err), OB_OK);
	assert_int_equal(http_client_new(f->pool, &f->client, &f->err), OB_OK);
	http_response_init(&f->resp);
}

static void fixture_close(struct fixture *f)
{
	http_response_free(&f->resp);
	http_client_free(f->client);
	http_pool_free(f->pool);
}

static struct http_request get_req(const char *url)
{
	struct http_request r;
	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.url = url;
	r.idempotent = true;
	r.who = "coupang.test";
	return r;
}

static struct http_request post_req(const char *url, const char *body)
{
	struct http_request r = get_req(url);
	r.method = "POST";
	r.body = body;
	r.body_len = strlen(body);
	r.idempotent = false;
	return r;
}

/* Fake clock for the rate limiter (see test_ratelimit.c). */
struct fake_clock {
	pthread_mutex_t mu;
	double t;
};

static double fake_now(void *ctx)
{
	struct fake_clock *fc = ctx;
	pthread_mutex_lock(&fc->mu);
	double t = fc->t;
	pthread_mutex_unlock(&fc->mu);
	return t;
}

static void fake_sleep(void *ctx, double s)
{
	struct fake_clock *fc = ctx;
	pthread_mutex_lock(&fc->mu);
	fc->t += s;
	pthread_mutex_unlock(&fc->mu);
}

static void limiter_fake(struct ratelimit *rl, struct fake_clock *fc, double rate, double burst)
{
	pthread_mutex_init(&fc->mu, NULL);
	fc->t = 500.0;
	ratelimit_init(rl, rate, burst);
	ratelimit_set_clock(rl, fake_now, fake_sleep, fc);
}

/* Everything written to stderr between start and end (ob_log writes there). */
struct capture {
	int saved;
	FILE *f;
};

static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	assert_non_null(c->f);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->f), 2) >= 0);
}

static char *capture_end(struct capture *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	long n = ftell(c->f);
	assert_true(n >= 0);
	char *text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	rewind(c->f);
	size_t got = fread(text, 1, (size_t)n, c->f);
	text[got] = '\0';
	fclose(c->f);
	return text;
}

/* ---- reads ---- */

static void test_read_429_twice_then_ok(void **state)
{
	(void)state;
	static const struct step steps[] = { { 429, 0, NULL, 0, 0, 0, 0 },
					     { 429, 0, NULL, 0, 0, 0, 0 },
					     { 200, 0, "{\"ok\":true}", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 3);
	fixture_open(&f);
	url_of(&s, "/v2/ordersheets?status=ACCEPT", url, sizeof url);
	struct http_request r = get_req(url);
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.status, 200);
	assert_int_equal(f.resp.attempts, 3);
	assert_string_equal(buf_cstr(&f.resp.body), "{\"ok\":true}");
	assert_false(f.resp.outcome_unknown);
	assert_int_equal(server_hits(&s), 3);
	struct http_stats st;
	http_pool_stats(f.pool, &st);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.retries, 2);
	assert_int_equal(st.status_429, 2);
	assert_int_equal(st.status_5xx, 0);
	assert_int_equal(st.net_errors, 0);
	fixture_close(&f);
	server_stop(&s);
}

static void test_read_500_then_ok(void **state)
{
	(void)state;
	static const struct step steps[] = { { 500, 0, "oops", 0, 0, 0, 0 },
					     { 200, 0, "[1]", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 2);
	fixture_open(&f);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.status, 200);
	assert_int_equal(f.resp.attempts, 2);
	/* Body and headers are those of the final attempt only. */
	assert_string_equal(buf_cstr(&f.resp.body), "[1]");
	struct http_stats st;
	http_pool_stats(f.pool, &st);
	assert_int_equal(st.retries, 1);
	assert_int_equal(st.status_5xx, 1);
	fixture_close(&f);
	server_stop(&s);
}

static void test_read_gives_up(void **state)
{
	(void)state;
	static const struct step steps[] = { { 503, 0, NULL, 0, 0, 0, 0 },
					     { 503, 0, NULL, 0, 0, 0, 0 },
					     { 503, 0, NULL, 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128], want[256];
	server_start(&s, steps, 3);
	fixture_open(&f);
	url_of(&s, "/x?status=UC", url, sizeof url);
	struct http_request r = get_req(url);
	r.max_attempts = 3;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_int_equal(f.err.code, OB_ENET);
	snprintf(want, sizeof want, "coupang.test: GET %s failed after 3 attempts: HTTP 503", url);
	assert_string_equal(f.err.msg, want);
	assert_int_equal(f.resp.status, 503);
	assert_false(f.resp.outcome_unknown);
	assert_int_equal(server_hits(&s), 3);
	fixture_close(&f);
	server_stop(&s);
}

/* A 4xx is an answer: the adapter reads the market's message. */
static void test_client_error_is_an_answer(void **state)
{
	(void)state;
	static const struct step steps[] = { { 400, 0, "{\"code\":\"ERROR\",\"message\":\"Invalid vendor ID\"}",
					       0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 1);
	fixture_open(&f);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.status, 400);
	assert_int_equal(f.resp.attempts, 1);
	assert_non_null(strstr(buf_cstr(&f.resp.body), "Invalid vendor ID"));
	fixture_close(&f);
	server_stop(&s);
}

/* ---- writes ---- */

static void test_write_500_outcome_unknown(void **state)
{
	(void)state;
	static const struct step steps[] = { { 500, 0, NULL, 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 1);
	fixture_open(&f);
	url_of(&s, "/v2/orders/invoices", url, sizeof url);
	struct http_request r = post_req(url, "{\"shipmentBoxId\":642538971006401429}");
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_true(f.resp.outcome_unknown);
	assert_int_equal(f.resp.attempts, 1);
	assert_int_equal(server_hits(&s), 1);
	assert_string_equal(s.method[0], "POST");
	assert_string_equal(s.body[0], "{\"shipmentBoxId\":642538971006401429}");
	assert_non_null(strstr(f.err.msg, "coupang.test: POST"));
	assert_non_null(strstr(f.err.msg, "HTTP 500"));
	assert_non_null(strstr(f.err.msg, "may or may not"));
	fixture_close(&f);
	server_stop(&s);
}

static void test_write_429_then_ok(void **state)
{
	(void)state;
	static const struct step steps[] = { { 429, 0, NULL, 0, 0, 0, 0 },
					     { 200, 0, "{\"code\":200}", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 2);
	fixture_open(&f);
	url_of(&s, "/v2/orders/invoices", url, sizeof url);
	struct http_request r = post_req(url, "[1,2]");
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.status, 200);
	assert_int_equal(f.resp.attempts, 2);
	assert_false(f.resp.outcome_unknown);
	assert_int_equal(server_hits(&s), 2);
	assert_string_equal(s.body[0], "[1,2]");
	assert_string_equal(s.body[1], "[1,2]");
	fixture_close(&f);
	server_stop(&s);
}

/* PUT carries its body too, and the caller's own headers arrive. */
static void test_put_with_headers(void **state)
{
	(void)state;
	static const struct step steps[] = { { 200, 0, "{}", "X-Foo", "bar baz ", 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128], v[64];
	server_start(&s, steps, 1);
	fixture_open(&f);
	url_of(&s, "/v2/ordersheets/acknowledgement", url, sizeof url);
	const char *headers[] = { "Content-Type: application/json;charset=UTF-8",
				  "X-Requested-By: A00012345", NULL };
	struct http_request r = post_req(url, "{\"vendorId\":\"A00012345\"}");
	r.method = "PUT";
	r.headers = headers;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_string_equal(s.method[0], "PUT");
	assert_string_equal(s.body[0], "{\"vendorId\":\"A00012345\"}");
	assert_string_equal(s.requested_by, "A00012345");
	assert_string_equal(f.resp.content_type, "application/json;charset=UTF-8");
	assert_int_equal(http_response_header(&f.resp, "x-foo", v, sizeof v), 0);
	assert_string_equal(v, "bar baz");
	assert_int_equal(http_response_header(&f.resp, "X-Absent", v, sizeof v), -1);
	assert_non_null(strstr(buf_cstr(&f.resp.headers), "HTTP/1.1 200"));
	fixture_close(&f);
	server_stop(&s);
}

/* ---- network failures ---- */

static unsigned short closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	socklen_t len = sizeof sa;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd); /* nobody listens there now */
	return ntohs(sa.sin_port);
}

static void test_connection_refused(void **state)
{
	(void)state;
	struct fixture f;
	char url[128];
	fixture_open(&f);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/x?a=1", (unsigned)closed_port());
	struct http_request r = get_req(url);
	r.max_attempts = 2;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_int_equal(f.resp.attempts, 2);
	assert_int_equal(f.resp.status, 0);
	assert_non_null(strstr(f.err.msg, "coupang.test: GET "));
	assert_non_null(strstr(f.err.msg, url));
	assert_non_null(strstr(f.err.msg, "failed after 2 attempts: "));
	/* Nothing was sent, so a write is retried too and is not "unknown". */
	struct http_request w = post_req(url, "{}");
	w.max_attempts = 2;
	assert_int_equal(http_send(f.client, &w, &f.resp, &f.err), OB_ENET);
	assert_int_equal(f.resp.attempts, 2);
	assert_false(f.resp.outcome_unknown);
	struct http_stats st;
	http_pool_stats(f.pool, &st);
	assert_int_equal(st.net_errors, 4);
	assert_int_equal(st.retries, 2);
	fixture_close(&f);
}

static void test_timeout_read_retried(void **state)
{
	(void)state;
	static const struct step steps[] = { { 200, 700, "{\"late\":1}", 0, 0, 0, 0 },
					     { 200, 0, "{\"ok\":1}", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 2);
	fixture_open(&f);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	r.timeout_ms = 200;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.attempts, 2);
	assert_string_equal(buf_cstr(&f.resp.body), "{\"ok\":1}");
	assert_int_equal(server_hits(&s), 2);
	fixture_close(&f);
	server_stop(&s);
}

static void test_timeout_write_not_retried(void **state)
{
	(void)state;
	static const struct step steps[] = { { 200, 700, "{}", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 1);
	fixture_open(&f);
	url_of(&s, "/v2/orders/invoices", url, sizeof url);
	struct http_request r = post_req(url, "{\"invoiceNumber\":\"1234\"}");
	r.timeout_ms = 200;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_true(f.resp.outcome_unknown);
	assert_int_equal(f.resp.attempts, 1);
	assert_int_equal(server_hits(&s), 1);
	assert_non_null(strstr(f.err.msg, "may or may not"));
	fixture_close(&f);
	server_stop(&s);
}

/* Coupang answers 302 when it has blocked the caller: report, never follow. */
static void test_redirect_reported(void **state)
{
	(void)state;
	static const struct step steps[] = { { 302, 0, "", "Location",
					       "http://127.0.0.1:1/blocked?token=SECRET-LOCATION", 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 1);
	fixture_open(&f);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_int_equal(f.resp.status, 302);
	assert_int_equal(f.resp.attempts, 1);
	assert_int_equal(server_hits(&s), 1);
	assert_non_null(strstr(f.err.msg, "HTTP 302 redirect to http://127.0.0.1:1/blocked?token=***"));
	assert_non_null(strstr(f.err.msg, "blocked"));
	assert_null(strstr(f.err.msg, "SECRET"));
	fixture_close(&f);
	server_stop(&s);
}

/* ---- signing and logging ---- */

struct signer {
	int calls;
};

static int test_sign(void *ctx, const char *method, const char *url, struct buf *auth,
		     struct ob_err *err)
{
	(void)method;
	(void)url;
	(void)err;
	struct signer *sg = ctx;
	sg->calls++;
	buf_printf(auth, "X-Test-Sign: SECRET-SIG-%d\r\nAuthorization: Bearer SECRET-TOKEN\n", sg->calls);
	return OB_OK;
}

static void test_sign_per_attempt_never_logged(void **state)
{
	(void)state;
	static const struct step steps[] = { { 500, 0, NULL, 0, 0, 0, 0 },
					     { 429, 0, NULL, 0, 0, 0, 0 },
					     { 200, 0, "{}", 0, 0, 0, 0 },
					     { 500, 0, NULL, 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	struct signer sg = { 0 };
	char url[160];
	server_start(&s, steps, 4);
	fixture_open(&f);
	url_of(&s, "/v1/oauth2/token?client_id=abc&client_secret_sign=SECRET-QUERY&type=SELF", url,
	       sizeof url);
	struct http_request r = get_req(url);
	r.sign = test_sign;
	r.sign_ctx = &sg;
	struct http_request w = post_req(url, "{}");
	w.sign = test_sign;
	w.sign_ctx = &sg;

	int old_level = ob_log_level();
	ob_log_set_level(OB_LOG_DEBUG);
	struct capture cap;
	capture_start(&cap);
	int rc_read = http_send(f.client, &r, &f.resp, &f.err);
	int rc_write = http_send(f.client, &w, &f.resp, &f.err);
	char *log = capture_end(&cap);
	ob_log_set_level(old_level);

	assert_int_equal(rc_read, OB_OK);
	assert_int_equal(rc_write, OB_ENET);
	/* One fresh signature per attempt, and each one reached the server. */
	assert_int_equal(sg.calls, 4);
	assert_int_equal(server_hits(&s), 4);
	assert_string_equal(s.sign[0], "SECRET-SIG-1");
	assert_string_equal(s.sign[1], "SECRET-SIG-2");
	assert_string_equal(s.sign[2], "SECRET-SIG-3");
	assert_string_equal(s.sign[3], "SECRET-SIG-4");
	/* One line per attempt, the secret query value masked, no secret anywhere. */
	assert_non_null(strstr(log, "coupang.test GET http://127.0.0.1:"));
	assert_non_null(strstr(log, "client_secret_sign=***&type=SELF -> 500 ("));
	assert_non_null(strstr(log, "client_secret_sign=***&type=SELF -> 429 ("));
	assert_non_null(strstr(log, "client_secret_sign=***&type=SELF -> 200 ("));
	assert_non_null(strstr(log, "coupang.test POST "));
	assert_non_null(strstr(log, ", retry 2 of 6 in "));
	int lines = 0;
	for (const char *q = log; (q = strstr(q, " -> ")); q += 4)
		lines++;
	assert_int_equal(lines, 4);
	assert_null(strstr(log, "SECRET"));
	assert_null(strstr(f.err.msg, "SECRET"));
	assert_non_null(strstr(f.err.msg, "client_secret_sign=***"));
	free(log);
	fixture_close(&f);
	server_stop(&s);
}

static int failing_sign(void *ctx, const char *method, const char *url, struct buf *auth,
			struct ob_err *err)
{
	(void)ctx;
	(void)method;
	(void)url;
	(void)auth;
	return ob_errf(err, OB_EUSAGE, "no access key configured");
}

static int nameless_sign(void *ctx, const char *method, const char *url, struct buf *auth,
			 struct ob_err *err)
{
	(void)ctx;
	(void)method;
	(void)url;
	(void)err;
	buf_puts(auth, "SECRET-NO-NAME\n");
	return OB_OK;
}

/* A signer that fails stops the request before anything is sent. */
static void test_sign_failure(void **state)
{
	(void)state;
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, NULL, 0);
	fixture_open(&f);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	r.sign = failing_sign;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_EUSAGE);
	assert_non_null(strstr(f.err.msg, "coupang.test: signing GET"));
	assert_non_null(strstr(f.err.msg, "no access key configured"));
	r.sign = nameless_sign;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_EIO);
	assert_null(strstr(f.err.msg, "SECRET"));
	assert_int_equal(server_hits(&s), 0);
	fixture_close(&f);
	server_stop(&s);
}

/* ---- rate limiting ---- */

/* Retry-After on a 429 pauses the whole account's limiter for exactly that
 * long (fake clock: no real waiting). */
static void test_retry_after_pauses_limiter(void **state)
{
	(void)state;
	static const struct step steps[] = { { 429, 0, NULL, "Retry-After", "2", 0, 0 },
					     { 200, 0, "{}", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	struct ratelimit rl;
	struct fake_clock fc;
	char url[128];
	server_start(&s, steps, 2);
	fixture_open(&f);
	limiter_fake(&rl, &fc, 0, 1);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	r.limit = &rl;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.attempts, 2);
	assert_true(fabs(fc.t - 502.0) < 1e-9);
	fixture_close(&f);
	server_stop(&s);
	ratelimit_destroy(&rl);
}

/* Without Retry-After a 429 still pauses the limiter (at least the base). */
static void test_429_pauses_limiter(void **state)
{
	(void)state;
	static const struct step steps[] = { { 429, 0, NULL, 0, 0, 0, 0 },
					     { 200, 0, "{}", 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	struct ratelimit rl;
	struct fake_clock fc;
	char url[128];
	server_start(&s, steps, 2);
	fixture_open(&f);
	limiter_fake(&rl, &fc, 0, 1);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	r.limit = &rl;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	/* base 1 ms, first retry: jitter in [1, 1] ms. */
	assert_true(fc.t - 500.0 >= 0.001 - 1e-9);
	assert_true(fc.t - 500.0 <= 0.001 + 1e-9);
	fixture_close(&f);
	server_stop(&s);
	ratelimit_destroy(&rl);
}

/* A market that asks for a very long wait has blocked us: say so at once. */
static void test_retry_after_too_long(void **state)
{
	(void)state;
	static const struct step steps[] = { { 429, 0, NULL, "Retry-After", "3600", 0, 0 } };
	struct server s;
	struct fixture f;
	char url[128];
	server_start(&s, steps, 1);
	fixture_open(&f);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_int_equal(f.resp.attempts, 1);
	assert_non_null(strstr(f.err.msg, "wait 3600 s"));
	fixture_close(&f);
	server_stop(&s);
}

/* Every attempt takes a token, retries included: 20 attempts at 10/s
 * (bucket 1) need exactly 1.9 s of limiter time. */
static void test_limiter_per_attempt(void **state)
{
	(void)state;
	static const struct step steps[] = { { 500, 0, NULL, 0, 0, 0, 0 },
					     { 500, 0, NULL, 0, 0, 0, 0 } };
	struct server s;
	struct fixture f;
	struct ratelimit rl;
	struct fake_clock fc;
	char url[128];
	server_start(&s, steps, 2);
	fixture_open(&f);
	limiter_fake(&rl, &fc, 10, 1);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	r.limit = &rl;
	/* hits 0-1 are 500s: the first request takes 3 attempts. */
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_int_equal(f.resp.attempts, 3);
	assert_true(fabs(fc.t - 500.2) < 1e-9);
	for (int i = 0; i < 17; i++)
		assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	/* 20 attempts in all: 19 waits of 0.1 s after the first token. */
	assert_int_equal(server_hits(&s), 20);
	assert_true(fabs(fc.t - 501.9) < 1e-9);
	fixture_close(&f);
	server_stop(&s);
	ratelimit_destroy(&rl);
}

/* Naver advertises its rate in response headers; the limiter follows. */
static void test_rate_headers_followed(void **state)
{
	(void)state;
	static const struct step steps[] = { { 200, 0, "{}", "GNCP-GW-RateLimit-Replenish-Rate", "3",
					       "GNCP-GW-RateLimit-Burst-Capacity", "6" } };
	struct server s;
	struct fixture f;
	struct ratelimit rl;
	struct fake_clock fc;
	char url[128];
	server_start(&s, steps, 1);
	fixture_open(&f);
	limiter_fake(&rl, &fc, 1, 1);
	url_of(&s, "/x", url, sizeof url);
	struct http_request r = get_req(url);
	r.limit = &rl;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_OK);
	assert_true(fabs(rl.rate - 3) < 1e-9);
	assert_true(fabs(rl.burst - 6) < 1e-9);
	fixture_close(&f);
	server_stop(&s);
	ratelimit_destroy(&rl);
}

static void test_bad_request_refused(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	struct http_request r = get_req("http://127.0.0.1:1/x");
	r.method = "GET\r\nX-Evil: 1";
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_EIO);
	r.method = "GET";
	r.url = NULL;
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_EIO);
	/* Only http and https. */
	r.url = "file:///etc/passwd";
	assert_int_equal(http_send(f.client, &r, &f.resp, &f.err), OB_ENET);
	assert_int_equal(f.resp.attempts, 1);
	fixture_close(&f);
}

static void test_loopback(void **state)
{
	(void)state;
	assert_true(http_url_is_loopback("http://127.0.0.1:8080/x"));
	assert_true(http_url_is_loopback("http://127.3.2.1/x"));
	assert_true(http_url_is_loopback("http://localhost:1234"));
	assert_true(http_url_is_loopback("http://LOCALHOST/"));
	assert_true(http_url_is_loopback("http://[::1]:8080/x"));
	assert_false(http_url_is_loopback("https://api-gateway.coupang.com/v2"));
	assert_false(http_url_is_loopback("http://128.0.0.1/"));
	assert_false(http_url_is_loopback("http://localhost.evil.example/"));
	assert_false(http_url_is_loopback("http://127.0.0.1.evil.example/"));
	assert_false(http_url_is_loopback("http://[::2]/"));
	assert_false(http_url_is_loopback("not a url"));
	assert_false(http_url_is_loopback(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_429_twice_then_ok),
		cmocka_unit_test(test_read_500_then_ok),
		cmocka_unit_test(test_read_gives_up),
		cmocka_unit_test(test_client_error_is_an_answer),
		cmocka_unit_test(test_write_500_outcome_unknown),
		cmocka_unit_test(test_write_429_then_ok),
		cmocka_unit_test(test_put_with_headers),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_timeout_read_retried),
		cmocka_unit_test(test_timeout_write_not_retried),
		cmocka_unit_test(test_redirect_reported),
		cmocka_unit_test(test_sign_per_attempt_never_logged),
		cmocka_unit_test(test_sign_failure),
		cmocka_unit_test(test_retry_after_pauses_limiter),
		cmocka_unit_test(test_429_pauses_limiter),
		cmocka_unit_test(test_retry_after_too_long),
		cmocka_unit_test(test_limiter_per_attempt),
		cmocka_unit_test(test_rate_headers_followed),
		cmocka_unit_test(test_bad_request_refused),
		cmocka_unit_test(test_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
