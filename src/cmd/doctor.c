/* `orderbridge doctor`: is this machine ready? The config (permissions, keys,
 * secrets shown masked), each account's market answering an authenticated
 * call, and the store. Exit code: 0 all fine, 2 config, 4 a market failed. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "store/store.h"
#include "util/log.h"
#include "version.h"

int cmd_doctor(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = {
		{ "offline", no_argument, NULL, 'o' },
		{ "store", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	bool offline = false;
	const char *store_path = NULL;
	int c;
	while ((c = cmd_getopt("doctor", argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'o': offline = true; break;
		case 's': store_path = optarg; break;
		default: return OB_EUSAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("doctor", "unexpected argument '%s'", argv[optind]);
	printf("orderbridge %s\n", OB_VERSION);
	struct ob_err err = OB_ERR_INIT;
	struct config cfg;
	if (config_load(g->config_path, &cfg, &err) != OB_OK) {
		printf("config: PROBLEM: %s\n", err.msg);
		return err.code;
	}
	printf("config: %s (mode 0600, %zu account%s)\n", cfg.path, cfg.naccounts, cfg.naccounts == 1 ? "" : "s");
	int rc = OB_OK;
	struct http_pool *pool = NULL;
	struct http_client *client = NULL;
	struct http_pool_opts po = { 0 };
	if (!offline && (http_pool_new(&po, &pool, &err) != OB_OK || http_client_new(pool, &client, &err) != OB_OK)) {
		printf("network: PROBLEM: %s\n", err.msg);
		rc = OB_ENET;
	}
	for (size_t i = 0; i < cfg.naccounts; i++) {
		const struct account *a = &cfg.accounts[i];
		if (g->account && strcmp(g->account, a->name) != 0 && strcmp(g->account, a->id) != 0)
			continue;
		printf("[%s] %s\n", a->id, a->base_url);
		for (size_t k = 0; k < a->nvalues; k++) {
			char shown[64];
			if (a->values[k].secret)
				config_mask(a->values[k].value, shown, sizeof shown);
			printf("  %-13s %s\n", a->values[k].key, a->values[k].secret ? shown : a->values[k].value);
		}
		printf("  %-13s %.2f requests/s, %d in flight\n", "rate", a->rate, a->jobs);
		if (offline || !client)
			continue;
		if (!a->ops->open || !a->ops->check) {
			printf("  check         this build cannot talk to %s yet\n", a->ops->name);
			continue;
		}
		struct market *m = NULL;
		ob_err_clear(&err);
		int crc = market_open(a, pool, &m, &err);
		if (crc == OB_OK)
			crc = a->ops->check(m, client, &err);
		market_close(m);
		if (crc == OB_OK) {
			printf("  check         OK (an authenticated call answered)\n");
		} else {
			printf("  check         PROBLEM: %s\n", err.msg);
			if (rc == OB_OK || crc == OB_EUSAGE)
				rc = crc;
		}
	}
	http_client_free(client);
	if (pool)
		http_pool_free(pool);
	struct store *s = NULL;
	if (store_open(store_path, &s, &err) == OB_OK) {
		printf("store: %s\n", store_file(s));
		store_close(s);
	} else {
		printf("store: PROBLEM: %s\n", err.msg);
		if (rc == OB_OK)
			rc = err.code;
	}
	config_free(&cfg);
	return rc;
}
