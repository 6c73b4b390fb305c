/* Template files: a good template parsed into columns, parts and transforms;
 * each kind of bad line refused with its line number and message (and all of
 * them reported together); the shipped templates valid, ko equal to the field
 * registry; lookup with a user's template overriding a shipped one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sheet/template.h"

static const char *good =
	"; a courier booking\n"
	"[template]\n"
	"description = test booking ; a comment\n"
	"rows = bundle\n"
	"encoding = cp949\n"
	"status = PAID,PREPARING\n"
	"skip_cancelled = yes\n"
	"\n"
	"[orders]\n"
	"받는분성명 = {receiver_name} | oneline | max_bytes=30\n"
	"받는분주소 = {address1} {address2}\n"
	"받는분전화번호 = {receiver_phone} | phone\n"
	"고객주문번호 = {line_key}\n"
	"박스수량 = 1\n"
	"운송장번호 =\n"
	"메모 = {{ref}} {order_no}-x\n"
	"수량 = {net_qty}\n"
	"금액 = {paid_amount} | max_len=3\n";

static void test_good(void **state)
{
	(void)state;
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(template_parse_text(good, "t/cj.ini", NULL, &t, NULL, &err), OB_OK);
	assert_string_equal(t->name, "cj");
	assert_string_equal(t->description, "test booking");
	assert_int_equal(t->kind, TPL_OUTPUT);
	assert_int_equal(t->rows, TPL_ROWS_BUNDLE);
	assert_int_equal(t->encoding, ENC_CP949);
	assert_string_equal(t->status, "PAID,PREPARING");
	assert_true(t->skip_cancelled && t->personal);
	assert_true(template_has_sheet(t, SHEET_ORDERS));
	assert_false(template_has_sheet(t, SHEET_CLAIMS));
	const struct tpl_sheet *s = &t->sheets[SHEET_ORDERS];
	assert_int_equal(s->n, 9);
	/* file order kept */
	assert_string_equal(s->cols[0].header, "받는분성명");
	assert_int_equal(s->cols[0].line, 10);
	assert_int_equal(s->cols[0].ntx, 2);
	assert_int_equal(s->cols[0].tx[0].op, TX_ONELINE);
	assert_int_equal(s->cols[0].tx[1].max_bytes, 30);
	/* a join: field, text, field */
	assert_int_equal(s->cols[1].nparts, 3);
	assert_int_equal(s->cols[1].parts[0].field, F_ADDRESS1);
	assert_string_equal(s->cols[1].parts[1].text, " ");
	assert_int_equal(s->cols[1].parts[2].field, F_ADDRESS2);
	assert_int_equal(s->cols[1].kind, FK_TEXT);
	assert_int_equal(s->cols[2].kind, FK_PHONE);
	assert_int_equal(s->cols[3].parts[0].field, TF_LINE_KEY);
	assert_int_equal(s->cols[3].kind, FK_ID);
	assert_string_equal(s->cols[4].parts[0].text, "1");
	assert_int_equal(s->cols[5].nparts, 0); /* blank column */
	assert_string_equal(s->cols[6].parts[0].text, "{ref} ");
	assert_int_equal(s->cols[6].parts[1].field, F_ORDER_NO);
	assert_string_equal(s->cols[6].parts[2].text, "-x");
	assert_int_equal(s->cols[7].kind, FK_INT);
	assert_int_equal(s->cols[8].kind, FK_TEXT); /* a number cut short is text */
	template_free(t);
}

static void test_result_template(void **state)
{
	(void)state;
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	const char *txt = "[template]\nkind = courier-result\ncourier = 대한통운\n[columns]\n운송장번호 = {invoice_no} | digits\n"
			  "고객주문번호 = {line_key}\n메모 = {line_key}\n받는분 = {receiver_name}\n";
	assert_int_equal(template_parse_text(txt, "r.ini", "r", &t, NULL, &err), OB_OK);
	assert_int_equal(t->kind, TPL_COURIER_RESULT);
	assert_string_equal(t->courier, "CJ대한통운"); /* the alias resolved */
	assert_int_equal(template_input_field(t, 0), F_INVOICE_NO);
	assert_int_equal(template_input_field(t, 2), TF_LINE_KEY);
	assert_false(template_has_sheet(t, SHEET_ORDERS)); /* nothing to export */
	template_free(t);
}

struct bad {
	const char *text;
	int line;
	const char *msg;
};

#define ORD "[orders]\n"

static const struct bad bads[] = {
	{ "[template]\n[colums]\na = 1\n", 2, "unknown section [colums]" },
	{ ORD "a = 1\n  b = 2\n", 3, "indented" },
	{ ORD "메모:1 = {line_key}\n", 2, "holds ':'" },
	{ ORD "just words\n", 2, "not a template line" },
	{ "a = 1\n" ORD "b = 2\n", 1, "before any section" },
	{ ORD "= 1\n", 2, "no header" },
	{ "[template]\nkinds = output\n" ORD "a = 1\n", 2, "unknown key 'kinds'" },
	{ "[template]\nrows = bundle\nrows = line\n" ORD "a = 1\n", 3, "given twice (first at line 2)" },
	{ "[template]\nkind = input\n" ORD "a = 1\n", 2, "kind 'input'" },
	{ "[template]\nrows = box\n" ORD "a = 1\n", 2, "rows 'box'" },
	{ "[template]\nencoding = latin1\n" ORD "a = 1\n", 2, "encoding 'latin1'" },
	{ "[template]\nstatus = PAID,SOLD\n" ORD "a = 1\n", 2, "status 'PAID,SOLD'" },
	{ "[template]\npersonal = maybe\n" ORD "a = 1\n", 2, "personal 'maybe'" },
	{ "[template]\nname = Big Name\n" ORD "a = 1\n", 2, "name 'Big Name'" },
	{ "[template]\nkind = courier-result\ncourier = 무명택배\n[columns]\n송장 = {invoice_no}\n키 = {line_key}\n", 3,
	  "unknown courier" },
	{ ORD "a = {receivr_name}\n", 2, "unknown field {receivr_name}" },
	{ ORD "a = x {order_no\n", 2, "'{' without its '}'" },
	{ ORD "a = x } y\n", 2, "'}' without its '{'" },
	{ ORD "a = {zip} | upper\n", 2, "unknown transform 'upper'" },
	{ ORD "a = {zip} | max_len=0\n", 2, "max_len needs a number" },
	{ ORD "a = {zip} | max_bytes=x\n", 2, "max_bytes needs a number" },
	{ "[claims]\na = {zip}\n", 2, "{zip} is not on the claims sheet" },
	{ "[claims]\na = {vat}\n", 2, "{vat} is not on the claims sheet" },
	{ "[template]\npersonal = no\n" ORD "a = {order_no}\nb = {address1} {address2}\n", 5, "personal data" },
	{ "[template]\n" ORD "a = 1\n[columns]\nb = {invoice_no}\n", 4, "[columns] is for kind = courier-result" },
	{ "[template]\nkind = courier-result\ncourier = CJ\n" ORD "a = {invoice_no}\n", 4, "lists the columns it reads" },
	{ "[template]\nkind = courier-result\ncourier = CJ\n[columns]\n송장 = {invoice_no}\n", 4, "no column holds {line_key}" },
	{ "[template]\nkind = courier-result\ncourier = CJ\n[columns]\n키 = {line_key}\n", 4, "no column holds {invoice_no}" },
	{ "[template]\nkind = courier-result\n[columns]\n송장 = {invoice_no}\n키 = {line_key}\n", 1, "say which courier" },
	{ "[template]\nkind = courier-result\ncourier = CJ\n[columns]\n송장 = {invoice_no}\n키 = {line_key} {order_no}\n", 6,
	  "holds one field" },
	{ "[template]\nkind = courier-result\ncourier = CJ\n[columns]\n송장 = {invoice_no}\n키 = {line_key}\n주소 = {address1}\n",
	  7, "line_key, invoice_no, courier, receiver_name and receiver_phone only" },
	{ "[template]\nrows = bundle\n" ORD "a = 1\n[claims]\nb = {claim_id}\n", 2, "rows = bundle" },
	{ "[template]\ncourier = CJ\n" ORD "a = 1\n", 2, "courier is for courier-result" },
	{ ORD "a = 1\n" ORD "b = 2\n", 3, "section [orders] again (first at line 1)" },
	{ "[template]\nkind = output\n", 0, "no columns" },
};

static void test_bad_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		struct template_def *t = (struct template_def *)1;
		struct ob_err err = OB_ERR_INIT;
		int rc = template_parse_text(bads[i].text, "bad.ini", NULL, &t, NULL, &err);
		if (rc != OB_EUSAGE || !strstr(err.msg, bads[i].msg))
			fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err.msg, bads[i].msg);
		assert_null(t);
		char where[64];
		if (bads[i].line)
			snprintf(where, sizeof where, "bad.ini line %d: ", bads[i].line);
		else
			snprintf(where, sizeof where, "bad.ini: ");
		if (strncmp(err.msg, where, strlen(where)) != 0)
			fail_msg("case %zu: '%s' does not start with '%s'", i, err.msg, where);
	}
}

static void test_too_long_and_all(void **state)
{
	(void)state;
	char text[600];
	char pad[300];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	snprintf(text, sizeof text, "[orders]\na = 1\nb = %s\nc = {nope}\nd:e = 1\n", pad);
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	struct buf all = BUF_INIT;
	assert_int_equal(template_parse_text(text, "long.ini", NULL, &t, &all, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "long.ini line 3: the line is longer than"));
	/* Every bad line is reported, each once; the cut-off rest of line 3 is
	 * not taken for a line of its own. */
	const char *a = buf_cstr(&all);
	assert_non_null(strstr(a, "long.ini line 4: unknown field {nope}"));
	assert_non_null(strstr(a, "long.ini line 5: 'd' holds ':'"));
	assert_null(strstr(a, "line 6"));
	buf_free(&all);
}

/* ---- shipped templates ---- */

static void test_shipped_all_valid(void **state)
{
	(void)state;
	DIR *d = opendir(OB_SOURCE_DIR "/templates");
	assert_non_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0)
			continue;
		char path[4200];
		snprintf(path, sizeof path, "%s/templates/%s", OB_SOURCE_DIR, e->d_name);
		struct template_def *t;
		struct ob_err err = OB_ERR_INIT;
		struct buf all = BUF_INIT;
		if (template_parse_file(path, NULL, &t, &all, &err) != OB_OK)
			fail_msg("%s", buf_cstr(&all));
		buf_free(&all);
		if (t->kind == TPL_COURIER_RESULT)
			assert_true(t->courier[0]);
		if (strstr(e->d_name, "-booking"))
			assert_int_equal(t->rows, TPL_ROWS_BUNDLE);
		if (strcmp(e->d_name, "accounting.ini") == 0)
			assert_false(t->personal);
		template_free(t);
		n++;
	}
	closedir(d);
	assert_true(n >= 8);
}

static void test_ko_is_the_registry(void **state)
{
	(void)state;
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/nonexistent", 1);
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(template_load("ko", &t, &err), OB_OK);
	for (int s = SHEET_ORDERS; s <= SHEET_CLAIMS; s++) {
		size_t n;
		const enum field_id *cols = sheet_columns((enum sheet_kind)s, &n);
		assert_int_equal(t->sheets[s].n, n);
		for (size_t i = 0; i < n; i++) {
			assert_string_equal(t->sheets[s].cols[i].header, field_header_ko(cols[i]));
			assert_int_equal(t->sheets[s].cols[i].parts[0].field, cols[i]);
		}
	}
	char why[256];
	assert_true(template_is_unified(t, why, sizeof why));
	template_free(t);
	assert_int_equal(template_load("cj-booking", &t, &err), OB_OK);
	assert_false(template_is_unified(t, why, sizeof why));
	template_free(t);
	assert_int_equal(template_load("nope", &t, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "no template 'nope'"));
	assert_int_equal(template_load("../etc", &t, &err), OB_EUSAGE);
}

static char udir[256];

static int count_each(void *ctx, const char *name, const char *path, const char *shadowed)
{
	int *seen = ctx;
	if (strcmp(name, "ko") == 0) {
		assert_non_null(strstr(path, udir));
		assert_non_null(shadowed);
		assert_non_null(strstr(shadowed, "templates/ko.ini"));
		seen[0]++;
	}
	if (strcmp(name, "mine") == 0) {
		assert_null(shadowed);
		seen[1]++;
	}
	if (strcmp(name, "cj-booking") == 0)
		seen[2]++;
	return 0;
}

static void test_user_overrides(void **state)
{
	(void)state;
	snprintf(udir, sizeof udir, "%s/obtplXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(udir));
	char p[512];
	snprintf(p, sizeof p, "%s/orderbridge", udir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/orderbridge/templates", udir);
	mkdir(p, 0700);
	const char *names[] = { "ko", "mine" };
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof p, "%s/orderbridge/templates/%s.ini", udir, names[i]);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fputs("[template]\ndescription = mine\n[orders]\n주문 = {order_no}\n", f);
		fclose(f);
	}
	setenv("XDG_CONFIG_HOME", udir, 1);
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(template_load("ko", &t, &err), OB_OK);
	assert_string_equal(t->description, "mine");
	assert_int_equal(t->sheets[SHEET_ORDERS].n, 1);
	template_free(t);
	int seen[3] = { 0, 0, 0 };
	assert_int_equal(template_each(count_each, seen, &err), OB_OK);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[2], 1);
	unsetenv("XDG_CONFIG_HOME");
	snprintf(p, sizeof p, "rm -rf '%s'", udir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_result_template),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_too_long_and_all),
		cmocka_unit_test(test_shipped_all_valid),
		cmocka_unit_test(test_ko_is_the_registry),
		cmocka_unit_test(test_user_overrides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
