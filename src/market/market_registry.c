/* The compiled-in markets. Adding a market: one line here. */
#include "market/market.h"

#include <string.h>

extern const struct market_ops coupang_ops;

static const struct market_ops *const markets[] = {
	&coupang_ops,
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

const struct action_spec *market_action_spec(const struct market_ops *ops, enum action a,
					     enum sheet_kind sheet)
{
	for (const struct action_spec *s = ops->actions; s && s->action != ACT_NONE; s++)
		if (s->action == a && s->sheet == sheet)
			return s;
	return NULL;
}
