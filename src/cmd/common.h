/* Helpers several commands share: date ranges from --from/--to, and opening the
 * market accounts selected by --market and --account. */
#ifndef OB_CMD_COMMON_H
#define OB_CMD_COMMON_H

#include "cmd/cmd.h"
#include "market/market.h"
#include "util/config.h"
#include "util/err.h"
#include "util/kst.h"

struct cmd_markets {
	struct http_pool *pool;
	struct market **markets;
	size_t n;
};

/* KST calendar days, both ends inclusive -> [from, to). Missing --from = today,
 * missing --to = today (or --from when that is later). */
int cmd_parse_range(const char *from_s, const char *to_s, ob_time now, ob_time *from, ob_time *to,
		    struct ob_err *err);
/* The accounts a command takes: --market (a comma list of markets; none =
 * every market) and the global --account (an account name or id). */
struct cmd_pick {
	const char *markets[8]; /* the markets' own names */
	int n;
	const char *account;
};
/* Reads --market (markets may be NULL) and g->account; an unknown market is
 * a usage error. */
int cmd_pick_parse(const char *markets, const struct ob_globals *g, struct cmd_pick *out, struct ob_err *err);
bool cmd_pick_takes(const struct cmd_pick *p, const struct account *a);

/* Opens every configured account matching the comma list of markets (NULL =
 * all) and g->account. */
int cmd_open_markets(const struct config *cfg, const struct ob_globals *g, const char *markets,
		     struct cmd_markets *out, struct ob_err *err);
void cmd_close_markets(struct cmd_markets *ms);

#endif
