/* `orderbridge couriers`: the courier table with each market's code. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "market/couriers.h"
#include "market/market.h"
#include "util/err.h"

int cmd_couriers(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = {
		{ "market", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	int c;
	while ((c = cmd_getopt("couriers", argc, argv, "m:", longopts)) != -1) {
		if (c == 'm')
			only = optarg;
		else
			return OB_EUSAGE;
	}
	if (optind < argc)
		return cmd_usage_error("couriers", "unexpected argument '%s'", argv[optind]);
	const struct market_ops *m = NULL;
	if (only && !(m = market_find(only)))
		return cmd_usage_error("couriers", "unknown market '%s'", only);
	size_t n, nm;
	const struct courier *t = courier_table(&n);
	const struct market_ops *const *all = market_all(&nm);
	printf("%-12s %-16s", "id", "name");
	for (size_t j = 0; j < nm; j++)
		if (!m || all[j] == m)
			printf(" %-11s", all[j]->name);
	printf(" invoice\n");
	for (size_t i = 0; i < n; i++) {
		if (m && !courier_code(&t[i], m->name))
			continue;
		printf("%-12s %s", t[i].id, t[i].name_ko);
		/* pad by display width: Hangul is 3 bytes, 2 columns */
		int w = 0;
		for (const unsigned char *p = (const unsigned char *)t[i].name_ko; *p; p++)
			if ((*p & 0xC0) != 0x80)
				w += *p >= 0x80 ? 2 : 1;
		printf("%*s", w < 17 ? 17 - w : 1, "");
		for (size_t j = 0; j < nm; j++) {
			if (m && all[j] != m)
				continue;
			const char *code = courier_code(&t[i], all[j]->name);
			printf("%-12s", code ? code : "-");
		}
		if (t[i].lengths[0]) {
			for (int k = 0; k < 6 && t[i].lengths[k]; k++)
				printf("%s%u", k ? "/" : "", t[i].lengths[k]);
			printf(" digits");
		} else {
			printf("%u-%u %s", t[i].min_len ? t[i].min_len : (t[i].alnum ? 4 : 8),
			       t[i].max_len ? t[i].max_len : 22, t[i].alnum ? "chars" : "digits");
		}
		putchar('\n');
		if (t[i].aliases[0]) {
			printf("%-12s   also:", "");
			for (int k = 0; k < 8 && t[i].aliases[k]; k++)
				printf("%s %s", k ? "," : "", t[i].aliases[k]);
			putchar('\n');
		}
	}
	(void)g;
	return OB_OK;
}
