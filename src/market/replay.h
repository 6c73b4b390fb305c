/* `export --from-dump DIR`: recorded answers of the markets' order lists
 * converted to records without the network, as an export converts the
 * answers it fetches (the same parsers and mappings, market_ops.replay).
 *
 * DIR holds a folder per account, named by its id as in the config file
 * ("coupang.main", "11st.shop2"; a bare market name is its account "main"),
 * and in it one answer per file (the body as the market sent it: JSON for
 * Coupang and SmartStore, EUC-KR XML for 11st). Files are converted on `jobs`
 * threads, a few files ahead of the writer; the sink gets the records from
 * the calling thread in a stable order: accounts in folder-name order (markets
 * in the registry's order), files in name order, rows in file order. Memory
 * holds the records of at most a few files per thread. */
#ifndef OB_MARKET_REPLAY_H
#define OB_MARKET_REPLAY_H

#include <cjson/cJSON.h>

#include "market/fetch.h"
#include "market/market.h"

struct replay_account {
	char id[96];             /* "coupang.main" */
	long files;
	long rows[3];            /* by sheet kind */
};

struct replay_result {
	struct replay_account *accounts; /* in output order; the caller frees */
	size_t n;
};

/* Which accounts to take (the caller's selection, such as --market and
 * --account). */
struct replay_pick {
	bool (*takes)(const void *ctx, const struct account *a);
	const void *ctx;
	const char *what;        /* names the selection in messages */
};

/* Converts dir. pick: NULL = every account folder. want: the sheets and statuses of the
 * records to hand on (its range and hooks are not used). jobs: threads (<= 0:
 * one per processor). A line in two answers comes out twice: the answers are
 * converted as they are (an export drops such duplicates; keeping a
 * fingerprint per line here would make memory grow with the lines). An error
 * (a folder that is no account, a file that is not such an answer) names the
 * file; the sink then got only the records before it. */
int replay_run(const char *dir, const struct replay_pick *pick, const struct fetch_opts *want, int jobs,
	       struct record_sink *sink, struct replay_result *res, struct ob_err *err);

void replay_result_free(struct replay_result *res);

/* For adapters whose answers are JSON with the rows in a "data" list: parses
 * body and calls map for every element of "data" (what names the list in the
 * error when there is none). */
int replay_json_data(const char *body, size_t len, const char *what,
		     int (*map)(const void *m, const cJSON *el, struct record_sink *sink, struct record *scratch,
				struct ob_err *err),
		     const void *m, struct record_sink *sink, struct ob_err *err);

#endif
