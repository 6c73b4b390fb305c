/* `orderbridge markets`: the compiled-in markets and what each can do. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "market/market.h"
#include "model/words.h"
#include "util/err.h"

int cmd_markets(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	if (cmd_getopt("markets", argc, argv, "", longopts) == '?')
		return OB_EUSAGE;
	if (optind < argc)
		return cmd_usage_error("markets", "unexpected argument '%s'", argv[optind]);
	size_t n;
	const struct market_ops *const *all = market_all(&n);
	for (size_t i = 0; i < n; i++) {
		const struct market_ops *m = all[i];
		printf("%s (%s)  %s\n", m->name, m->label_ko, m->default_base_url);
		for (const struct action_spec *s = m->actions; s && s->action != ACT_NONE; s++) {
			char where[32];
			snprintf(where, sizeof where, "%s%s%s", sheet_name(s->sheet), s->claim ? " " : "",
				 s->claim ? claim_type_word(s->claim) : "");
			printf("  %-7s %-15s %s", action_word(s->action), where, s->supported ? "yes" : "UNSUPPORTED");
			const char *unit = s->unit == UNIT_BUNDLE ? "bundle" : s->unit == UNIT_CLAIM ? "claim" :
					   s->unit == UNIT_ORDER ? "order" : "line";
			if (s->supported && s->call_per_unit)
				printf(" (one call per %s)", unit);
			else if (s->supported && s->batch_max > 1)
				printf(" (up to %d %ss per call)", s->batch_max, unit);
			if (!s->supported && s->unsupported_why)
				printf(": %s", s->unsupported_why);
			putchar('\n');
		}
	}
	(void)g;
	return OB_OK;
}
