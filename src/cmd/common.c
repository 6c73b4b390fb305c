/* Helpers several commands share (see common.h). */
#include "cmd/common.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

int cmd_parse_range(const char *from_s, const char *to_s, ob_time now, ob_time *from, ob_time *to,
		    struct ob_err *err)
{
	ob_time today = kst_day_start(now);
	ob_time f = today, t;
	if (from_s && kst_parse_date(from_s, &f) < 0)
		return ob_errf(err, OB_EUSAGE, "--from '%s' is not a date (YYYY-MM-DD, KST)", from_s);
	if (to_s) {
		if (kst_parse_date(to_s, &t) < 0)
			return ob_errf(err, OB_EUSAGE, "--to '%s' is not a date (YYYY-MM-DD, KST)", to_s);
	} else {
		t = f > today ? f : today;
	}
	if (t < f)
		return ob_errf(err, OB_EUSAGE, "--to %s is before --from %s", to_s, from_s ? from_s : "(today)");
	if (t - f > 400 * (ob_time)OB_DAY)
		return ob_errf(err, OB_EUSAGE, "the range %s to %s is longer than 400 days; split it", from_s, to_s);
	*from = f;
	*to = t + OB_DAY;
	return OB_OK;
}

struct market_pick {
	struct cmd_pick *p;
	char bad[64]; /* a copy: str_split's part lives only during the call */
};

static int add_market(void *ctx, const char *name)
{
	struct market_pick *mp = ctx;
	const struct market_ops *ops = market_find(name);
	if (!ops) {
		str_copy(mp->bad, sizeof mp->bad, name);
		return 1;
	}
	if (mp->p->n < 8)
		mp->p->markets[mp->p->n++] = ops->name;
	return 0;
}

int cmd_pick_parse(const char *markets, const struct ob_globals *g, struct cmd_pick *out, struct ob_err *err)
{
	memset(out, 0, sizeof *out);
	out->account = g->account;
	struct market_pick mp = { out, "" };
	if (markets && str_split(markets, ',', add_market, &mp) != 0)
		return ob_errf(err, OB_EUSAGE, "unknown market '%s' in --market (use coupang, 11st, smartstore)", mp.bad);
	return OB_OK;
}

bool cmd_pick_takes(const struct cmd_pick *p, const struct account *a)
{
	if (p->n) {
		int want = 0;
		for (int k = 0; k < p->n; k++)
			want |= strcmp(p->markets[k], a->ops->name) == 0;
		if (!want)
			return false;
	}
	return !p->account || strcmp(p->account, a->name) == 0 || strcmp(p->account, a->id) == 0;
}

int cmd_open_markets(const struct config *cfg, const struct ob_globals *g, const char *markets,
		     struct cmd_markets *out, struct ob_err *err)
{
	memset(out, 0, sizeof *out);
	struct cmd_pick pick;
	int rc = cmd_pick_parse(markets, g, &pick, err);
	if (rc != OB_OK)
		return rc;
	struct http_pool_opts po = { 0 };
	rc = http_pool_new(&po, &out->pool, err);
	if (rc != OB_OK)
		return rc;
	out->markets = calloc(cfg->naccounts ? cfg->naccounts : 1, sizeof *out->markets);
	if (!out->markets)
		return ob_err_nomem(err);
	for (size_t i = 0; i < cfg->naccounts; i++) {
		const struct account *a = &cfg->accounts[i];
		if (!cmd_pick_takes(&pick, a))
			continue;
		if (!a->ops->open)
			return ob_errf(err, OB_EUSAGE, "%s: this build cannot talk to %s yet", a->id, a->ops->name);
		rc = market_open(a, out->pool, &out->markets[out->n], err);
		if (rc != OB_OK)
			return rc;
		out->n++;
	}
	if (out->n == 0)
		return ob_errf(err, OB_EUSAGE, "no configured account matches%s%s%s%s in %s", markets ? " --market " : "",
			       markets ? markets : "", g->account ? " --account " : "", g->account ? g->account : "",
			       cfg->path);
	return OB_OK;
}

void cmd_close_markets(struct cmd_markets *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		market_close(ms->markets[i]);
	free(ms->markets);
	if (ms->pool)
		http_pool_free(ms->pool);
	memset(ms, 0, sizeof *ms);
}
