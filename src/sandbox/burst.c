/* --burst MARKET:YYYY-MM-DD:N: extra paid orders on one day of one market's
 * data set, to make a day larger than a list's row cap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"
#include "util/str.h"

int sandbox_parse_burst(const char *spec, struct sandbox_opts *o, struct ob_err *err)
{
	char buf[64], *market, *day, *count;
	if (!spec || strlen(spec) >= sizeof buf)
		return ob_errf(err, OB_EUSAGE, "--burst: expected MARKET:YYYY-MM-DD:N, e.g. 11st:2026-03-02:7000");
	strcpy(buf, spec);
	market = buf;
	day = strchr(market, ':');
	count = day ? strchr(day + 1, ':') : NULL;
	if (!day || !count)
		return ob_errf(err, OB_EUSAGE, "--burst '%s': expected MARKET:YYYY-MM-DD:N, e.g. 11st:2026-03-02:7000", spec);
	*day++ = '\0';
	*count++ = '\0';
	int64_t n;
	ob_time t;
	if (!sandbox_market_find(market))
		return ob_errf(err, OB_EUSAGE, "--burst '%s': unknown market '%s'", spec, market);
	if (kst_parse_date(day, &t) < 0)
		return ob_errf(err, OB_EUSAGE, "--burst '%s': '%s' is not a date (YYYY-MM-DD)", spec, day);
	if (str_to_i64(count, &n) < 0 || n < 1 || n > 1000000)
		return ob_errf(err, OB_EUSAGE, "--burst '%s': the order count must be 1 to 1000000", spec);
	if (o->nbursts >= SANDBOX_MAX_BURSTS)
		return ob_errf(err, OB_EUSAGE, "--burst: at most %d bursts", SANDBOX_MAX_BURSTS);
	struct sandbox_burst *b = &o->bursts[o->nbursts++];
	str_copy(b->market, sizeof b->market, market);
	b->day = t;
	b->orders = (int)n;
	return OB_OK;
}
