/* The market adapter interface. One file per market fills one struct
 * market_ops (like libcurl's protocol handlers); nothing outside src/market/
 * asks which market it is talking to. Adding a market = one file + one line in
 * market_registry.c.
 *
 * Export: the core (market/fetch.c) asks the adapter for its queries, splits the
 * requested KST range into windows each query accepts, runs the windows
 * concurrently within the account's rate limit, and calls fetch_window for each.
 * A query with a row cap and no paging returns OB_TRUNCATED when a window hit
 * the cap; the core then throws that window's rows away and fetches both halves.
 *
 * Import: the plan (src/plan/) validates rows against the action specs below,
 * groups rows into units (line, bundle or claim) and batches of at most
 * batch_max units, and calls perform once per batch. perform re-reads the
 * current state of every item at the market first and:
 *   - marks items already in the action's target state RES_SKIPPED ("already done");
 *   - refuses items whose state forbids the action (RES_FAILED with the reason;
 *     e.g. SHIP on a line with an open cancel or stop-shipment request);
 *   - performs the prerequisite steps the market needs (Coupang: SHIP on a
 *     line still in ACCEPT acknowledges it first);
 *   - sends the rest in market calls and fills each item's result, message and
 *     market code (partial failures inside an HTTP 200 included).
 * Because perform re-reads first, running it again on the same batch after a
 * crash or timeout never applies an action twice. */
#ifndef OB_MARKET_MARKET_H
#define OB_MARKET_MARKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/record.h"
#include "model/words.h"
#include "net/http.h"
#include "util/err.h"
#include "util/kst.h"

/* Returned by fetch_window when the window hit a row cap (rows may be missing). */
#define OB_TRUNCATED 100

struct market;       /* one adapter instance = one configured account */
struct account;      /* util/config.h */
struct record_sink;

/* Receives fetched records. put copies what it needs; the record stays the
 * caller's. Safe to call from the thread running fetch_window only. */
struct record_sink {
	int (*put)(struct record_sink *s, const struct record *r, struct ob_err *err);
};

/* One list query of a market (e.g. Coupang ordersheets status=ACCEPT). */
struct market_query {
	const char *name;       /* stable id, e.g. "ordersheets:ACCEPT"; sync cursors use it */
	unsigned sheets;        /* 1u << SHEET_ORDERS and/or 1u << SHEET_CLAIMS */
	unsigned order_statuses;/* bit (1u << OS_x) of the order statuses it yields; 0 = n/a */
	ob_time max_window;     /* longest window the market accepts, seconds */
	ob_time align;          /* windows start and end on multiples of this (KST); 86400 = days, 60 = minutes */
	int row_cap;            /* >0: rows per window beyond which the market silently drops rows */
	/* The query needs every window to end no later than now (e.g. feeds). */
	bool until_now;
};

enum action_unit {
	UNIT_LINE,   /* one row = one unit */
	UNIT_BUNDLE, /* all rows with the same bundle_no act together */
	UNIT_CLAIM,  /* all rows with the same claim_id act together */
	UNIT_ORDER,  /* all rows with the same order_no act together */
};

/* What a market does for one action on one sheet. */
struct action_spec {
	enum action action;
	enum sheet_kind sheet;
	bool supported;
	const char *unsupported_why; /* when !supported: what to do instead */
	enum action_unit unit;
	int batch_max;               /* units per perform call */
	uint64_t required;           /* bit (1ull << F_x) of fields the row must fill */
	/* The market takes one unit per HTTP call; batch_max then only groups the
	 * units whose state perform re-reads together (for the plan's wording). */
	bool call_per_unit;
	/* Claims sheet: the claim type this spec is for (CT_NONE = any type). */
	enum claim_type claim;
};

struct action_item {
	struct record *rec;          /* the sheet row (keys, courier, invoice, reason, ...) */
	const char *courier_code;    /* the market's code for the row's courier, when any */
	/* The journal says this action was sent before without a known outcome
	 * (a crash or a lost answer): re-read the state before sending it again,
	 * even where the normal path sends first and reads after. */
	bool prior;
	/* Filled by perform: */
	enum result result;
	char message[512];
	char market_code[64];        /* the market's own result code, when it gave one */
	bool address_changed;        /* ACK: the receiver address differs from the sheet */
	bool outcome_unknown;        /* the call may or may not have reached the market */
};

struct action_batch {
	enum action action;
	enum sheet_kind sheet;
	struct action_item *items;
	size_t n;
};

/* A field a market account takes in the config file. */
struct config_key {
	const char *key;
	bool required;
	bool secret;
	const char *help;
};

struct market_ops {
	const char *name;        /* "coupang", "11st", "smartstore" (config section prefix too) */
	const char *label_ko;    /* "쿠팡" */
	const char *default_base_url;
	const struct config_key *config_keys; /* terminated by {NULL} */
	double default_rate;     /* requests per second per account */

	int (*open)(const struct account *acct, struct http_pool *pool, struct market **out,
		    struct ob_err *err);
	void (*close)(struct market *m);

	/* Queries that together give every record of the requested sheets. */
	const struct market_query *queries;
	size_t nqueries;
	int (*fetch_window)(struct market *m, struct http_client *c, const struct market_query *q,
			    ob_time from, ob_time to, struct record_sink *sink, struct ob_err *err);

	/* Action specs, terminated by an entry with action ACT_NONE. */
	const struct action_spec *actions;
	int (*perform)(struct market *m, struct http_client *c, struct action_batch *b,
		       struct ob_err *err);

	/* Optional: the market's own history of a line (Coupang ordersheets history).
	 * Appends "time<TAB>status<TAB>description\n" lines to out. */
	int (*history)(struct market *m, struct http_client *c, const struct record *line,
		       struct buf *out, struct ob_err *err);
	/* Optional: a cheap authenticated call for `doctor`. */
	int (*check)(struct market *m, struct http_client *c, struct ob_err *err);
	/* Optional: market rules a row must meet that need no call (lengths,
	 * characters, date ranges), checked in the dry run. false = a row error
	 * with why (what is wrong and what to do). */
	bool (*check_row)(enum action a, enum sheet_kind sheet, const struct record *rec, char *why, size_t n);
	/* Optional: one recorded answer of the market's order list, the body
	 * exactly as the market sent it (`export --from-dump`, market/replay.h),
	 * mapped to records of acct as fetch_window maps a fetched one. name is
	 * the answer's file name (11st: which list it came from). No network. */
	int (*replay)(const struct account *acct, const char *name, const char *body, size_t len,
		      struct record_sink *sink, struct ob_err *err);
};

/* Registry of compiled-in markets (market_registry.c). */
const struct market_ops *market_find(const char *name);
const struct market_ops *const *market_all(size_t *n);
/* The market of an account id "MARKET.NAME" (a section of the config file),
 * NULL when MARKET is no known market; *name points after the dot, NULL
 * when there is none. */
const struct market_ops *market_of_account(const char *id, const char **name);
/* Every market's name, each between before and after, comma separated
 * ("coupang, 11st, smartstore"), for messages; cut to fit n. */
void market_names(char *out, size_t n, const char *before, const char *after);

/* Looks up the spec of an action on a sheet (and, on the claims sheet, for a
 * claim type: a spec for that type first, else one for any type); NULL when the
 * market does not list it. */
const struct action_spec *market_action_spec(const struct market_ops *ops, enum action a,
					     enum sheet_kind sheet, enum claim_type claim);

/* Common accessors of an open market (every adapter's struct market starts
 * with struct market_base). */
struct market_base {
	const struct market_ops *ops;
	const struct account *acct;
	struct ratelimit limit;
	char who[96];            /* "coupang.main" */
};

static inline struct market_base *market_base(struct market *m)
{
	return (struct market_base *)(void *)m;
}

/* Opens the adapter of an account: ops->open, which fills the market_base
 * (rate limit from the account's `rate`). */
int market_open(const struct account *acct, struct http_pool *pool, struct market **out,
		struct ob_err *err);
void market_close(struct market *m);
/* Helper for adapters: fills the common part. */
void market_base_init(struct market_base *b, const struct market_ops *ops, const struct account *acct);
void market_base_destroy(struct market_base *b);
/* "<base_url><path>" into out. */
int market_url(const struct market_base *b, struct buf *out, const char *path);

#endif
