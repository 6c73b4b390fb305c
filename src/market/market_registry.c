/* The compiled-in markets. Adding a market: one line here. */
#include "market/market.h"

#include <stdio.h>
#include <string.h>

#include "util/config.h"

extern const struct market_ops coupang_ops;
extern const struct market_ops elevenst_ops;
extern const struct market_ops smartstore_ops;

static const struct market_ops *const markets[] = {
	&coupang_ops,
	&elevenst_ops,
	&smartstore_ops,
};

const struct market_ops *market_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof markets / sizeof markets[0]; i++)
		if (strcmp(markets[i]->name, name) == 0)
			return markets[i];
	/* Accepted spellings sellers use. */
	if (!strcmp(name, "elevenst") || !strcmp(name, "11번가"))
		return market_find("11st");
	if (!strcmp(name, "naver") || !strcmp(name, "스마트스토어"))
		return market_find("smartstore");
	if (!strcmp(name, "쿠팡"))
		return market_find("coupang");
	return NULL;
}

const struct market_ops *const *market_all(size_t *n)
{
	*n = sizeof markets / sizeof markets[0];
	return markets;
}

const struct market_ops *market_of_account(const char *id, const char **name)
{
	const char *dot = strchr(id, '.');
	size_t mlen = dot ? (size_t)(dot - id) : strlen(id);
	char market[32];
	*name = dot ? dot + 1 : NULL;
	if (mlen >= sizeof market)
		return NULL;
	memcpy(market, id, mlen);
	market[mlen] = '\0';
	return market_find(market);
}

void market_names(char *out, size_t n, const char *before, const char *after)
{
	size_t len = 0;
	if (n)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof markets / sizeof markets[0] && len < n; i++) {
		int w = snprintf(out + len, n - len, "%s%s%s%s", i ? ", " : "", before, markets[i]->name, after);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

const struct action_spec *market_action_spec(const struct market_ops *ops, enum action a,
					     enum sheet_kind sheet, enum claim_type claim)
{
	const struct action_spec *any = NULL;
	if (!ops)
		return NULL;
	for (const struct action_spec *s = ops->actions; s && s->action != ACT_NONE; s++) {
		if (s->action != a || s->sheet != sheet)
			continue;
		if (s->claim == claim && claim != CT_NONE)
			return s;
		if (s->claim == CT_NONE && !any)
			any = s;
	}
	return any;
}

void market_base_init(struct market_base *b, const struct market_ops *ops, const struct account *acct)
{
	b->ops = ops;
	b->acct = acct;
	/* A burst of one request: markets count requests per second strictly. */
	ratelimit_init(&b->limit, acct->rate, 1);
	snprintf(b->who, sizeof b->who, "%s", acct->id);
}

void market_base_destroy(struct market_base *b)
{
	ratelimit_destroy(&b->limit);
}

int market_open(const struct account *acct, struct http_pool *pool, struct market **out,
		struct ob_err *err)
{
	*out = NULL;
	return acct->ops->open(acct, pool, out, err);
}

void market_close(struct market *m)
{
	if (m)
		market_base(m)->ops->close(m);
}

int market_url(const struct market_base *b, struct buf *out, const char *path)
{
	buf_reset(out);
	if (buf_puts(out, b->acct->base_url) < 0 || buf_puts(out, path) < 0)
		return -1;
	return 0;
}
