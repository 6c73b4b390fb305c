/* Helpers shared by the market adapters' actions (see adapter.h). */
#include "market/adapter.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/str.h"

void action_result(struct action_item *it, enum result res, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof it->message, fmt, ap);
	va_end(ap);
	it->result = res;
	str_copy(it->market_code, sizeof it->market_code, code ? code : "");
}

static const char *part(const char *s)
{
	if (!s)
		return "";
	while (*s == ' ')
		s++;
	return s;
}

bool address_differs(const struct record *rec, const struct market_address *now)
{
	const struct {
		enum field_id f;
		const char *v;
	} pairs[] = {
		{ F_RECEIVER_NAME, now->name }, { F_RECEIVER_PHONE, now->phone }, { F_ZIP, now->zip },
		{ F_ADDRESS1, now->addr1 },     { F_ADDRESS2, now->addr2 },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (!record_has(rec, pairs[i].f))
			continue; /* the sheet did not carry it: nothing to compare */
		if (!str_eq(record_get(rec, pairs[i].f), part(pairs[i].v)))
			return true;
	}
	return false;
}

void address_text(const struct market_address *a, char *out, size_t n)
{
	snprintf(out, n, "%s %s (%s) %s %s", part(a->name), part(a->phone), part(a->zip), part(a->addr1),
		 part(a->addr2));
}
