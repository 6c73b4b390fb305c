/* The configuration file: missing file, permissions, unknown keys and
 * sections (with line numbers), missing credentials, secrets never in messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "market/market.h"
#include "util/config.h"

static char dir[256];

static const char *write_cfg(const char *name, const char *text, mode_t mode)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/obcfgXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static const char *good =
	"; sandbox\n"
	"[coupang.main]\n"
	"vendor_id  = A00012345\n"
	"access_key = 0a3a0f34-7852-4ad8-9368-766290b8b1ab\n"
	"secret_key = 7ffcdf980d908fe7ca3d642868e22f99f0306bf5\n"
	"base_url   = http://127.0.0.1:1234/\n"
	"rate = 2.5\n"
	"jobs = 3\n"
	"timeout = 1.5\n";

static void test_good(void **state)
{
	(void)state;
	struct config cfg;
	struct ob_err err = OB_ERR_INIT;
	const char *p = write_cfg("good.ini", good, 0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_OK);
	assert_int_equal(cfg.naccounts, 1);
	const struct account *a = config_find(&cfg, "coupang", "main");
	assert_non_null(a);
	assert_string_equal(a->id, "coupang.main");
	assert_string_equal(a->base_url, "http://127.0.0.1:1234");
	assert_string_equal(account_get(a, "vendor_id"), "A00012345");
	assert_true(a->rate > 2.4 && a->rate < 2.6);
	assert_int_equal(a->jobs, 3);
	assert_int_equal(a->timeout_ms, 1500);
	config_free(&cfg);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct config cfg;
	struct ob_err err = OB_ERR_INIT;
	char p[512];
	snprintf(p, sizeof p, "%s/none.ini", dir);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "no configuration file"));
	assert_non_null(strstr(err.msg, "--write-config"));
}

static void test_permissions(void **state)
{
	(void)state;
	struct config cfg;
	struct ob_err err = OB_ERR_INIT;
	const char *p = write_cfg("open.ini", good, 0644);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "chmod 600"));
	/* The message never carries the secret. */
	assert_null(strstr(err.msg, "7ffcdf98"));
}

static void test_unknown_key_and_section(void **state)
{
	(void)state;
	struct config cfg;
	struct ob_err err = OB_ERR_INIT;
	const char *p = write_cfg("badkey.ini",
				  "[coupang.main]\nvendor_id = A1\naccess_key = x\nsecret_key = verysecretvalue\nvendorid = A2\n",
				  0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "line 5"));
	assert_non_null(strstr(err.msg, "unknown key 'vendorid'"));
	assert_null(strstr(err.msg, "verysecretvalue"));
	p = write_cfg("badsec.ini", "[gmarket.main]\nkey = 1\n", 0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "line 2"));
	assert_non_null(strstr(err.msg, "[gmarket.main]"));
	p = write_cfg("twice.ini", "[coupang.main]\nvendor_id = A1\nvendor_id = A2\n", 0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "set twice"));
	p = write_cfg("num.ini", "[coupang.main]\nrate = fast\n", 0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "rate = 'fast'"));
}

static void test_missing_credential(void **state)
{
	(void)state;
	struct config cfg;
	struct ob_err err = OB_ERR_INIT;
	const char *p = write_cfg("nokey.ini", "[coupang.main]\nvendor_id = A00012345\naccess_key = abc\n", 0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "[coupang.main]"));
	assert_non_null(strstr(err.msg, "secret_key"));
	p = write_cfg("empty.ini", "; nothing\n", 0600);
	assert_int_equal(config_load(p, &cfg, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "no market accounts"));
}

static void test_env_and_mask(void **state)
{
	(void)state;
	char out[512];
	struct ob_err err = OB_ERR_INIT;
	setenv("ORDERBRIDGE_CONFIG", "/x/y.ini", 1);
	assert_int_equal(config_default_path(out, sizeof out, &err), OB_OK);
	assert_string_equal(out, "/x/y.ini");
	unsetenv("ORDERBRIDGE_CONFIG");
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	assert_int_equal(config_default_path(out, sizeof out, &err), OB_OK);
	assert_string_equal(out, "/cfg/orderbridge/config.ini");
	config_mask("7ffcdf980d908fe7ca3d642868e22f99f0306bf5", out, sizeof out);
	assert_null(strstr(out, "7ffc"));
	assert_non_null(strstr(out, "40"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_unknown_key_and_section),
		cmocka_unit_test(test_missing_credential),
		cmocka_unit_test(test_env_and_mask),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
