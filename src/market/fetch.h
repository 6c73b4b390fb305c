/* The export driver: for every open market account, splits the requested KST
 * range into the windows each of the market's queries accepts, fetches the
 * windows concurrently (account.jobs threads per account, within the account's
 * rate limit; the accounts side by side), splits windows that hit a row cap,
 * drops duplicate lines, and hands the records to one sink in a stable order
 * (accounts in config order, queries in the market's order, windows in time
 * order) from the calling thread.
 *
 * It streams: a finished window's records wait in a temp file only until the
 * windows before it are done (a reorder buffer with a bounded lookahead), then
 * go to the account's spool; a complete account's spool goes to the sink while
 * later accounts are still fetched. Memory does not grow with the range (16
 * bytes per line for the duplicate check).
 *
 * An account whose fetch fails contributes no rows at all (never a partial
 * account); the others still do, and the failure is reported per account. */
#ifndef OB_MARKET_FETCH_H
#define OB_MARKET_FETCH_H

#include <stdbool.h>

#include "market/market.h"

struct fetch_opts {
	unsigned sheets;         /* 1u << SHEET_ORDERS | 1u << SHEET_CLAIMS */
	unsigned order_statuses; /* 1u << OS_x; 0 = every status */
	unsigned claim_statuses; /* 1u << CS_x; 0 = every status */
	ob_time from, to;        /* [from, to) */
	bool progress;           /* a progress line on stderr */
	/* Optional: where a query of an account starts (incremental exports
	 * resume from a cursor); returns dflt when it has nothing better. */
	ob_time (*start_for)(void *ctx, const char *account_id, const struct market_query *q, ob_time dflt);
	void *start_ctx;
};

struct fetch_result {
	int status;              /* OB_OK or the failure */
	char error[1024];
	long rows[3];            /* by sheet kind */
	long windows;
	long bisections;
	long duplicates;
};

/* Windows of q covering [from, to) (exposed for tests). Returns the count
 * written to out (at most max), or -1 when more are needed. */
int fetch_split_windows(const struct market_query *q, ob_time from, ob_time to, ob_time now,
			ob_time *starts, ob_time *ends, int max);

/* Where to cut a window [from, to) that hit the row cap: at the median of
 * the times of the rows it returned (times[0..n), reordered here), aligned
 * down to align and strictly inside the window; the aligned midpoint when
 * the rows say nothing usable (exposed for tests). */
ob_time fetch_split_point(ob_time from, ob_time to, ob_time align, ob_time *times, size_t n);

/* True when the export of o runs query q (sheets and statuses match). */
bool fetch_query_wanted(const struct market_query *q, const struct fetch_opts *o);

/* True when o asks for r: its sheet, and its status when o names statuses. */
bool fetch_record_wanted(const struct fetch_opts *o, const struct record *r);

/* Runs the export; results[i] belongs to markets[i]. Returns OB_OK when every
 * account succeeded, else the first failing account's status. */
int fetch_run(struct market **markets, size_t n, struct http_pool *pool, const struct fetch_opts *o,
	      struct record_sink *out, struct fetch_result *results, struct ob_err *err);

#endif
