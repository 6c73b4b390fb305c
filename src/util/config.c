/* The configuration file (see config.h): inih parses, we validate against the
 * keys each market adapter declares and keep line numbers for error messages. */
#include "util/config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "market/market.h"
#include "util/str.h"

struct parse_state {
	struct config *cfg;
	struct ob_err *err;
	FILE *fp;
	int line;           /* line the reader returned last */
	int failed;
};

static char *count_lines(char *str, int num, void *stream)
{
	struct parse_state *ps = stream;
	char *r = fgets(str, num, ps->fp);
	if (r)
		ps->line++;
	return r;
}

static struct account *find_or_add(struct parse_state *ps, const char *section)
{
	struct config *cfg = ps->cfg;
	for (size_t i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].id, section) == 0)
			return &cfg->accounts[i];
	const char *name;
	const struct market_ops *ops = market_of_account(section, &name);
	if (!ops || !name || !*name) {
		char names[128];
		market_names(names, sizeof names, "[", ".main]");
		ob_errf(ps->err, OB_EUSAGE,
			"%s line %d: unknown section [%s]; sections are one per market account, e.g. %s",
			ps->cfg->path, ps->line, section, names);
		return NULL;
	}
	if (strlen(name) >= sizeof cfg->accounts[0].name) {
		ob_errf(ps->err, OB_EUSAGE, "%s line %d: account name in [%s] is too long", cfg->path, ps->line,
			section);
		return NULL;
	}
	struct account *grown = realloc(cfg->accounts, (cfg->naccounts + 1) * sizeof *grown);
	if (!grown) {
		ob_err_nomem(ps->err);
		return NULL;
	}
	cfg->accounts = grown;
	struct account *a = &cfg->accounts[cfg->naccounts++];
	memset(a, 0, sizeof *a);
	a->ops = ops;
	str_copy(a->name, sizeof a->name, name);
	snprintf(a->id, sizeof a->id, "%s.%s", ops->name, a->name);
	a->line = ps->line;
	a->rate = ops->default_rate;
	a->jobs = 4;
	return a;
}

static const struct config_key *market_key(const struct market_ops *ops, const char *name)
{
	for (const struct config_key *k = ops->config_keys; k && k->key; k++)
		if (strcmp(k->key, name) == 0)
			return k;
	return NULL;
}

static int parse_number(struct parse_state *ps, const char *key, const char *value, double lo, double hi,
			double *out)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || v < lo || v > hi) {
		ob_errf(ps->err, OB_EUSAGE, "%s line %d: %s = '%s' is not a number between %g and %g",
			ps->cfg->path, ps->line, key, value, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *ps = user;
	if (ps->failed)
		return 0;
	struct account *a = find_or_add(ps, section);
	if (!a)
		goto fail;
	double num;
	if (strcmp(name, "base_url") == 0) {
		if (!str_starts(value, "https://") && !str_starts(value, "http://")) {
			ob_errf(ps->err, OB_EUSAGE, "%s line %d: base_url must start with https:// (or http:// for a local sandbox)",
				ps->cfg->path, ps->line);
			goto fail;
		}
		if (str_copy(a->base_url, sizeof a->base_url, value) >= sizeof a->base_url) {
			ob_errf(ps->err, OB_EUSAGE, "%s line %d: base_url is too long", ps->cfg->path, ps->line);
			goto fail;
		}
		size_t l = strlen(a->base_url);
		while (l && a->base_url[l - 1] == '/')
			a->base_url[--l] = '\0';
		return 1;
	}
	if (strcmp(name, "rate") == 0) {
		if (parse_number(ps, name, value, 0.01, 1000, &num) < 0)
			goto fail;
		a->rate = num;
		return 1;
	}
	if (strcmp(name, "jobs") == 0) {
		if (parse_number(ps, name, value, 1, 64, &num) < 0)
			goto fail;
		a->jobs = (int)num;
		return 1;
	}
	if (strcmp(name, "timeout") == 0) {
		if (parse_number(ps, name, value, 0.1, 3600, &num) < 0)
			goto fail;
		a->timeout_ms = (long)(num * 1000);
		return 1;
	}
	const struct config_key *k = market_key(a->ops, name);
	if (!k) {
		char known[256] = "base_url, rate, jobs, timeout";
		for (const struct config_key *kk = a->ops->config_keys; kk && kk->key; kk++) {
			size_t l = strlen(known);
			snprintf(known + l, sizeof known - l, ", %s", kk->key);
		}
		ob_errf(ps->err, OB_EUSAGE, "%s line %d: unknown key '%s' in [%s]; %s accounts take: %s",
			ps->cfg->path, ps->line, name, section, a->ops->name, known);
		goto fail;
	}
	if (a->nvalues >= CONFIG_MAX_KEYS) {
		ob_errf(ps->err, OB_EUSAGE, "%s line %d: too many keys in [%s]", ps->cfg->path, ps->line, section);
		goto fail;
	}
	for (size_t i = 0; i < a->nvalues; i++) {
		if (strcmp(a->values[i].key, name) == 0) {
			ob_errf(ps->err, OB_EUSAGE, "%s line %d: '%s' is set twice in [%s] (first on line %d)",
				ps->cfg->path, ps->line, name, section, a->values[i].line);
			goto fail;
		}
	}
	struct config_value *v = &a->values[a->nvalues];
	str_copy(v->key, sizeof v->key, name);
	v->value = ob_strdup(value);
	if (!v->value) {
		ob_err_nomem(ps->err);
		goto fail;
	}
	v->secret = k->secret;
	v->line = ps->line;
	a->nvalues++;
	return 1;
fail:
	ps->failed = 1;
	return 0;
}

int config_default_path(char *out, size_t n, struct ob_err *err)
{
	const char *env = getenv("ORDERBRIDGE_CONFIG");
	if (env && *env) {
		str_copy(out, n, env);
		return OB_OK;
	}
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg) {
		snprintf(out, n, "%s/orderbridge/config.ini", xdg);
		return OB_OK;
	}
	const char *home = getenv("HOME");
	if (!home || !*home)
		return ob_errf(err, OB_EUSAGE, "no configuration file: set --config FILE, ORDERBRIDGE_CONFIG or HOME");
	snprintf(out, n, "%s/.config/orderbridge/config.ini", home);
	return OB_OK;
}

int config_load(const char *path, struct config *cfg, struct ob_err *err)
{
	memset(cfg, 0, sizeof *cfg);
	if (path)
		str_copy(cfg->path, sizeof cfg->path, path);
	else if (config_default_path(cfg->path, sizeof cfg->path, err) != OB_OK)
		return err->code;

	FILE *fp = fopen(cfg->path, "r");
	if (!fp) {
		if (errno == ENOENT)
			return ob_errf(err, OB_EUSAGE,
				       "no configuration file at %s; create one (see 'man orderbridge.conf') or run "
				       "'orderbridge sandbox --write-config %s' to try the built-in sandbox",
				       cfg->path, cfg->path);
		return ob_errf(err, OB_EUSAGE, "cannot read %s: %s", cfg->path, strerror(errno));
	}
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 077)) {
		fclose(fp);
		return ob_errf(err, OB_EUSAGE,
			       "%s can be read by other users (mode %03o) and holds API secrets; run: chmod 600 %s",
			       cfg->path, (unsigned)(st.st_mode & 0777), cfg->path);
	}
	struct parse_state ps = { cfg, err, fp, 0, 0 };
	int rc = ini_parse_stream(count_lines, &ps, on_value, &ps);
	fclose(fp);
	if (ps.failed) {
		config_free(cfg);
		return err->code ? err->code : OB_EUSAGE;
	}
	if (rc != 0) {
		config_free(cfg);
		if (rc > 0)
			return ob_errf(err, OB_EUSAGE, "%s line %d: not an INI line (expected [market.account] or key = value)",
				       cfg->path, rc);
		return ob_errf(err, OB_EUSAGE, "cannot parse %s", cfg->path);
	}
	for (size_t i = 0; i < cfg->naccounts; i++) {
		struct account *a = &cfg->accounts[i];
		for (const struct config_key *k = a->ops->config_keys; k && k->key; k++) {
			if (k->required && str_empty(account_get(a, k->key))) {
				ob_errf(err, OB_EUSAGE, "%s: [%s] (line %d) needs '%s' (%s)", cfg->path, a->id, a->line,
					k->key, k->help);
				config_free(cfg);
				return OB_EUSAGE;
			}
		}
		if (!a->base_url[0])
			str_copy(a->base_url, sizeof a->base_url, a->ops->default_base_url);
	}
	if (cfg->naccounts == 0) {
		ob_errf(err, OB_EUSAGE, "%s has no market accounts; add a section such as [coupang.main]", cfg->path);
		config_free(cfg);
		return OB_EUSAGE;
	}
	return OB_OK;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->naccounts; i++) {
		for (size_t j = 0; j < cfg->accounts[i].nvalues; j++) {
			char *v = cfg->accounts[i].values[j].value;
			if (v && cfg->accounts[i].values[j].secret)
				memset(v, 0, strlen(v)); /* don't leave secrets in freed memory */
			free(v);
		}
	}
	free(cfg->accounts);
	cfg->accounts = NULL;
	cfg->naccounts = 0;
}

const char *account_get(const struct account *a, const char *key)
{
	for (size_t i = 0; i < a->nvalues; i++)
		if (strcmp(a->values[i].key, key) == 0)
			return a->values[i].value;
	return NULL;
}

const struct account *config_find(const struct config *cfg, const char *market, const char *name)
{
	for (size_t i = 0; i < cfg->naccounts; i++) {
		const struct account *a = &cfg->accounts[i];
		if (market && strcmp(a->ops->name, market) != 0)
			continue;
		if (name && strcmp(a->name, name) != 0 && strcmp(a->id, name) != 0)
			continue;
		return a;
	}
	return NULL;
}

void config_mask(const char *secret, char *out, size_t n)
{
	size_t len = secret ? strlen(secret) : 0;
	if (len == 0)
		snprintf(out, n, "(empty)");
	else
		snprintf(out, n, "****(%zu chars)", len); /* not even a prefix of a secret */
}
