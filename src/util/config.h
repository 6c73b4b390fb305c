/* The configuration file (INI, inih): one section per market account,
 * "[coupang.main]", "[11st.main]", "[smartstore.main]", with the keys the
 * market's adapter declares (market_ops.config_keys) plus the keys every
 * account takes: base_url, rate (requests per second), jobs (requests in flight).
 *
 * Found at --config FILE, else $ORDERBRIDGE_CONFIG, else
 * $XDG_CONFIG_HOME/orderbridge/config.ini (~/.config/...). Refused when group or
 * others can read it. Unknown sections and keys are errors with the line number.
 * Secret values are never printed: config_mask shows only their length. */
#ifndef OB_UTIL_CONFIG_H
#define OB_UTIL_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define CONFIG_MAX_KEYS 16

struct config_value {
	char key[32];
	char *value;
	bool secret;
	int line;
};

struct account {
	const struct market_ops *ops; /* the market this account belongs to */
	char name[64];                /* "main" */
	char id[96];                  /* "coupang.main" */
	char base_url[512];           /* the market's default when not set */
	double rate;                  /* requests/s; the market's default when not set */
	int jobs;                     /* requests in flight; default 4 */
	long timeout_ms;              /* per request attempt; 0 = the HTTP default */
	int line;                     /* line of the section header */
	struct config_value values[CONFIG_MAX_KEYS];
	size_t nvalues;
};

struct config {
	char path[PATH_MAX];
	struct account *accounts;
	size_t naccounts;
};

/* Where the config is looked for when --config is not given (into out). */
int config_default_path(char *out, size_t n, struct ob_err *err);
/* Loads and validates the file (path NULL = the default). Errors are
 * OB_EUSAGE with the file, line and fix. */
int config_load(const char *path, struct config *cfg, struct ob_err *err);
void config_free(struct config *cfg);
/* Value of key in the account, or NULL. */
const char *account_get(const struct account *a, const char *key);
/* Accounts of one market, or the one named "market.name" / "name". */
const struct account *config_find(const struct config *cfg, const char *market, const char *name);
/* Writes a masked rendering of a secret ("****(36 chars)") into out. */
void config_mask(const char *secret, char *out, size_t n);

#endif
