/* The marketplace sandbox: one libmicrohttpd daemon per market on its own
 * loopback port, serving a deterministic data set through the market's real
 * wire contract, with latency, rate limits and faults injected by the core.
 * A market is one struct sandbox_market_ops (one file each) plus one line in
 * the table in server.c. Test endpoints and the state JSON: README.md here. */
#ifndef OB_SANDBOX_SANDBOX_H
#define OB_SANDBOX_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/kst.h"

#define SANDBOX_MAX_MARKETS 8
#define SANDBOX_MAX_FAULTS 8
#define SANDBOX_MAX_HEADERS 64
/* Uploads beyond this are answered 413; no market takes bodies near it. */
#define SANDBOX_BODY_MAX (4u << 20)

enum sandbox_fault_kind {
	SANDBOX_FAULT_NONE = 0,
	SANDBOX_FAULT_STATUS,  /* answer this HTTP status with a JSON body */
	SANDBOX_FAULT_RESET,   /* close the connection without an answer */
	SANDBOX_FAULT_TIMEOUT, /* hold the request for fault_delay_ms */
};

struct sandbox_fault {
	enum sandbox_fault_kind kind;
	int status;   /* SANDBOX_FAULT_STATUS only */
	uint32_t ppm; /* probability in parts per million */
};

struct sandbox_dataset {
	const char *market; /* "coupang" */
	const char *path;
};

/* Extra paid orders on one KST day of one market (--burst MARKET:YYYY-MM-DD:N):
 * how a day beyond a list's row cap (11st: 3,000) gets into the data set. */
#define SANDBOX_MAX_BURSTS 8
struct sandbox_burst {
	char market[16];
	ob_time day;        /* 00:00 KST */
	int orders;
};

struct sandbox_opts {
	uint64_t seed;
	int orders;         /* per market */
	int days;
	ob_time today;      /* 00:00 KST of the last day of the data set */
	long latency_ms;
	long fault_delay_ms;
	double rate;        /* requests per second per market; <= 0 = unlimited */
	struct sandbox_fault faults[SANDBOX_MAX_FAULTS];
	size_t nfaults;
	struct sandbox_dataset datasets[SANDBOX_MAX_MARKETS];
	size_t ndatasets;
	struct sandbox_burst bursts[SANDBOX_MAX_BURSTS];
	size_t nbursts;
	long token_ttl;     /* seconds an OAuth token lives (SmartStore); default 10800 */
	/* --market-rate M=N: one market's rate instead of `rate` (benchmarks give
	 * each market the limit its contract states). */
	struct {
		char market[16];
		double rate;
	} market_rates[SANDBOX_MAX_MARKETS];
	size_t nmarket_rates;
};

/* Defaults of the command: seed 1, 300 orders, 30 days, today = today in KST,
 * no latency, fault delay 15000 ms, rate 10, token lifetime 10800 s. */
void sandbox_opts_default(struct sandbox_opts *o);
/* Parses "500:5%,429:5%,reset:1%,timeout:0.5%" into o->faults. Percentages sum
 * to at most 100. */
int sandbox_parse_faults(const char *spec, struct sandbox_opts *o, struct ob_err *err);
/* Parses "11st:2026-03-02:7000" (repeatable) into o->bursts (burst.c). */
int sandbox_parse_burst(const char *spec, struct sandbox_opts *o, struct ob_err *err);

/* What a market's generator gets (a subset of the options). */
struct sandbox_gen_opts {
	uint64_t seed;
	int orders;
	int days;
	ob_time today;
	long token_ttl;
};

struct sandbox_header {
	char *name;
	char *value;
};

/* One request as received. path and query are the raw bytes of the request
 * target (nothing percent-decoded), because signatures cover them as sent. */
struct sandbox_request {
	const char *method;
	const char *path;  /* "/v2/providers/..." */
	const char *query; /* after '?', "" when none */
	const struct sandbox_header *headers;
	size_t nheaders;
	const char *body;  /* NUL-terminated; "" when none */
	size_t body_len;
	ob_time now;       /* business clock: --today's date, the real time of day, + clock offset */
	ob_time auth_now;  /* real clock + clock offset: what signatures are checked against */
	uint64_t seq;      /* 1-based number of this request on its market */
	/* The gateway's token bucket after this request (for rate headers such
	 * as Naver's GNCP-GW-RateLimit-*): rate <= 0 means unlimited. */
	double rate;
	double burst;
	double tokens_left;
};

struct sandbox_response {
	int status;
	struct buf body;
	const char *content_type; /* static string */
	char endpoint[80];        /* "GET v5 ordersheets": the request log groups by it */
	int items;                /* batch size of the request (ids in the body), 0 for reads */
	int rows;                 /* rows a list answer carried, -1 when not a list */
	struct buf headers;       /* extra response headers, "Name: value\n" lines */
};

/* A market of the sandbox. Ownership: the state is the market's; the core
 * calls every function except describe with the market's lock held, so the
 * functions need no locking of their own. */
struct sandbox_market_ops {
	const char *name;  /* "coupang": /_sandbox/coupang/..., the config section prefix */
	int port_offset;   /* --port N serves this market on N + port_offset */
	/* A data set generated from the options. */
	int (*create)(const struct sandbox_gen_opts *o, void **state, struct ob_err *err);
	/* A fixed data set from a file (--dataset NAME=FILE). */
	int (*load)(const char *path, const struct sandbox_gen_opts *o, void **state,
		    struct ob_err *err);
	/* Endpoint name and batch size of a request, without the state (called
	 * without the lock, also for requests that a fault stops). */
	void (*describe)(const struct sandbox_request *req, char *endpoint, size_t n, int *items);
	/* Answers one request of the market's API. Returns 0, or -1 when memory ran
	 * out (the core answers 500). */
	int (*handle)(void *state, const struct sandbox_request *req, struct sandbox_response *resp);
	/* Answers POST/GET /_sandbox/<name>/<action> (state setters for tests). */
	int (*handle_test)(void *state, const char *action, const struct sandbox_request *req,
			   struct sandbox_response *resp);
	/* Adds the market's part of GET /_sandbox/state to root. */
	int (*state_json)(void *state, cJSON *root);
	/* Puts the data set back as it was at start. */
	int (*reset)(void *state, struct ob_err *err);
	/* Optional: adds orders paid on one KST day (--burst); NULL when the
	 * market has no bursts. */
	int (*burst)(void *state, ob_time day, int orders, struct ob_err *err);
	/* Appends the client's INI section(s) for this market. */
	int (*config_section)(void *state, const char *base_url, struct buf *out);
	void (*free)(void *state);
	/* Optional: the answer when the gateway's rate limit refuses a request
	 * (the market's own 429 body and headers); without it a plain 429. */
	int (*rate_limited)(void *state, const struct sandbox_request *req, struct sandbox_response *resp);
};

/* The compiled-in markets (server.c). */
const struct sandbox_market_ops *const *sandbox_markets(size_t *n);
const struct sandbox_market_ops *sandbox_market_find(const char *name);

struct sandbox;

/* Builds every market's data set and starts one daemon per market on
 * 127.0.0.1 (base_port 0: free ports; else base_port + port_offset). */
int sandbox_start(const struct sandbox_opts *o, int base_port, struct sandbox **out,
		  struct ob_err *err);
size_t sandbox_count(const struct sandbox *sb);
const char *sandbox_name(const struct sandbox *sb, size_t i);
int sandbox_port(const struct sandbox *sb, size_t i);
/* Writes the client configuration (mode 0600, temp file + rename). */
int sandbox_write_config(struct sandbox *sb, const char *path, struct ob_err *err);
/* Wakes held requests, stops the daemons, frees everything. */
void sandbox_stop(struct sandbox *sb);

/* --- helpers for market files (wire.c) --- */

/* Finds name in a raw query string and percent-decodes its value ('+' becomes
 * a space, as in forms) into out. Returns 1 when found, 0 when absent, -1 when
 * the value does not fit or is badly encoded. */
int sandbox_query_get(const char *query, const char *name, char *out, size_t n);
/* Header value (name case-insensitive), or NULL. */
const char *sandbox_header(const struct sandbox_request *req, const char *name);
/* Prints root (consumed) as the response body with a JSON content type.
 * Returns -1 when memory ran out. */
int sandbox_respond_json(struct sandbox_response *resp, int status, cJSON *root);
/* Parses JSON without losing integers: literals of more than 15 digits
 * outside strings are quoted before cJSON (which stores doubles) sees them.
 * NULL when text is not JSON or memory ran out. */
cJSON *sandbox_json_parse(const char *text, size_t len);
/* Reads an unsigned id from a number, a raw number or a string of digits.
 * Refuses numbers that a double cannot hold exactly. */
int sandbox_json_u64(const cJSON *v, uint64_t *out);
/* A raw JSON number of exactly these digits (never through a double). */
cJSON *sandbox_json_u64_raw(uint64_t v);
cJSON *sandbox_json_i64_raw(int64_t v);
/* Formats t as "YYYY-MM-DDTHH:MM:SS" KST; with usec >= 0 adds
 * ".uuuuuu+09:00", with usec == -2 adds "+09:00" only. */
void sandbox_time_text(ob_time t, int usec, char *out, size_t n);

#endif
