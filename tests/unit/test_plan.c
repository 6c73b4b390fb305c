/* Import planning without a network: every bad sheet in tests/data/import
 * gives its own row error, a good sheet is grouped into batches within the
 * market's limits, and the journal turns done rows into SKIPPED. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plan/plan.h"

static char dir[256], cfg_path[512], store_path[512];
static struct config cfg;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/obplanXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cfg_path, sizeof cfg_path, "%s/config.ini", dir);
	snprintf(store_path, sizeof store_path, "%s/store.db", dir);
	FILE *f = fopen(cfg_path, "w");
	if (!f)
		return -1;
	fputs("[coupang.main]\nvendor_id = A00012345\naccess_key = ak\nsecret_key = sk\nbase_url = http://127.0.0.1:9\n"
	      "[11st.main]\napi_key = k\nbase_url = http://127.0.0.1:9/rest\n", f);
	fclose(f);
	chmod(cfg_path, 0600);
	struct ob_err err = OB_ERR_INIT;
	return config_load(cfg_path, &cfg, &err) == OB_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

static void data_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/import/%s", getenv("OB_TEST_DATA"), name);
}

/* Writes text as the sheet `name` in the test folder, reads and plans it
 * into p (the caller frees p). */
static void plan_text(struct plan *p, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	plan_init(p, &cfg);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(plan_read(p, path, &err), OB_OK);
	assert_int_equal(plan_build(p, &err), OB_OK);
}

/* Reads one bad sheet: exactly one invalid row whose message has `want`. */
static void expect_error(const char *file, const char *want)
{
	char path[1024];
	data_path(path, sizeof path, file);
	struct plan p;
	plan_init(&p, &cfg);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(plan_read(&p, path, &err), OB_OK);
	assert_int_equal(plan_build(&p, &err), OB_OK);
	if (p.invalid < 1 || !strstr(buf_cstr(&p.errors), want))
		fail_msg("%s: expected an error containing '%s', got %zu errors:\n%s", file, want, p.invalid,
			 buf_cstr(&p.errors));
	/* Errors name the file and the row. */
	assert_non_null(strstr(buf_cstr(&p.errors), file));
	assert_non_null(strstr(buf_cstr(&p.errors), "row 2"));
	assert_int_equal(p.nbatches, 0);
	plan_free(&p);
}

static void test_bad_sheets(void **state)
{
	(void)state;
	expect_error("unknown_action.csv", "unknown action \"SHIPP\"");
	expect_error("ship_without_invoice.csv", "invoice_no (송장번호): SHIP needs a value");
	expect_error("unknown_courier.csv", "unknown courier '번개택배'");
	expect_error("invoice_wrong_length.csv", "has 11 digits");
	expect_error("mangled_id.csv", "bundle_no");
	expect_error("conflicting_rows.csv", "a line takes one action per import");
	expect_error("wrong_market.csv", "unknown market 'gmarket'");
	expect_error("bundle_two_invoices.csv", "the same bundle is also on");
	expect_error("claim_action_on_order.csv", "APPROVE is an action for the claims sheet");
}

/* Market rules that need no call are errors in the dry run (11st: a delay
 * reason of 20 to 300 bytes, no '/' in reasons sent inside URL paths). */
static void test_market_row_rules(void **state)
{
	(void)state;
	char soon[16], text[1024];
	kst_strftime(soon, sizeof soon, "%Y-%m-%d", kst_now() + 3 * OB_DAY);
	snprintf(text, sizeof text,
		 "action,market,account,order_no,line_no,bundle_no,status,delay_until,reason\r\n"
		 "DELAY,11st,main,20260225044348982,1,2678260704,PAID,%s,재고 부족\r\n"
		 "CANCEL,11st,main,20260225044348982,2,2678260704,PAID,,품절/단종\r\n"
		 "DELAY,11st,main,20260225044348982,3,2678260704,PAID,%s,입고가 늦어져 다음 주 월요일에 보내드립니다\r\n",
		 soon, soon);
	struct plan p;
	plan_text(&p, "elevenst_row_rules.csv", text);
	if (p.invalid != 2)
		fail_msg("%zu errors:\n%s", p.invalid, buf_cstr(&p.errors));
	assert_non_null(strstr(buf_cstr(&p.errors), "row 2: 11st takes a delay reason of 20 to 300 bytes"));
	assert_non_null(strstr(buf_cstr(&p.errors), "row 3: 11st takes the reason inside the URL path"));
	plan_free(&p);
}

/* A return's pickup courier and invoice are checked in the dry run, as the
 * adapters check them before calling: an unknown courier, an invoice of the
 * wrong shape, 11st's 15-character limit, each naming its column. */
static void test_pickup_checked_in_dry_run(void **state)
{
	(void)state;
	struct plan p;
	plan_text(&p, "pickup.csv",
	      "action,market,account,order_no,line_no,claim_id,claim_type,status,pickup_courier,pickup_invoice_no\r\n"
	      "PICKUP,coupang,main,2000006593044,1,365937,RETURN,REQUESTED,CJ대한통운,1234-5678-9012\r\n"
	      "PICKUP,coupang,main,2000006593044,2,365938,RETURN,REQUESTED,번개택배,123456789012\r\n"
	      "PICKUP,coupang,main,2000006593044,3,365939,RETURN,REQUESTED,CJ대한통운,12AB\r\n"
	      "PICKUP,11st,main,20260225044348982,1,5001,RETURN,REQUESTED,경동택배,1234567890123456\r\n"
	      "PICKUP,11st,main,20260225044348982,2,5002,RETURN,REQUESTED,한진택배,500000000001\r\n"
	      "PICKUP,11st,main,20260225044348982,3,5003,RETURN,REQUESTED,일반우편,500000000001\r\n");
	const char *e = buf_cstr(&p.errors);
	if (p.invalid != 4)
		fail_msg("%zu errors:\n%s", p.invalid, e);
	assert_non_null(strstr(e, "row 3, column pickup_courier (회수택배사): unknown courier '번개택배'"));
	assert_non_null(strstr(e, "row 4, column pickup_invoice_no (회수송장번호): invoice number '12AB'"));
	assert_non_null(strstr(e, "row 5: column pickup_invoice_no: 11st takes invoice numbers of at most 15"));
	assert_non_null(strstr(e, "row 7, column pickup_courier (회수택배사): 일반우편 has no code at 11st"));
	plan_free(&p);

	/* The same limit on a shipping invoice, which --apply alone used to find. */
	plan_text(&p, "ship_long.csv",
		  "action,market,account,order_no,line_no,bundle_no,status,courier,invoice_no\r\n"
		  "SHIP,11st,main,20260225044348982,1,2678260704,PREPARING,경동택배,1234567890123456\r\n"
		  "SHIP,11st,main,20260225044348983,1,2678260705,PREPARING,경동택배,123456789012345\r\n");
	e = buf_cstr(&p.errors);
	if (p.invalid != 1)
		fail_msg("%zu errors:\n%s", p.invalid, e);
	assert_non_null(strstr(e, "row 2: column invoice_no: 11st takes invoice numbers of at most 15"));
	plan_free(&p);
}

static void test_unsupported_is_not_invalid(void **state)
{
	(void)state;
	char path[1024];
	data_path(path, sizeof path, "delay_unsupported.csv");
	struct plan p;
	plan_init(&p, &cfg);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(plan_read(&p, path, &err), OB_OK);
	assert_int_equal(plan_build(&p, &err), OB_OK);
	assert_int_equal(p.invalid, 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].result, RES_UNSUPPORTED);
	assert_non_null(strstr(p.items[0].message, "Coupang has no delay call"));
	assert_int_equal(p.nbatches, 0);
	plan_free(&p);
}

static void test_batches_and_journal(void **state)
{
	(void)state;
	char path[1024];
	data_path(path, sizeof path, "good.csv");
	struct plan p;
	plan_init(&p, &cfg);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(plan_read(&p, path, &err), OB_OK);
	assert_int_equal(plan_build(&p, &err), OB_OK);
	if (p.invalid)
		fail_msg("unexpected errors:\n%s", buf_cstr(&p.errors));
	assert_int_equal(p.inputs[0].rows, 122);
	assert_int_equal(p.inputs[0].acted, 121);
	/* 60 ACK boxes -> 50 + 10; 60 SHIP boxes (Korean 발송) -> 50 + 10; the repeated
	 * row is SKIPPED as a duplicate. */
	assert_int_equal(p.nbatches, 4);
	size_t ack = 0, ship = 0;
	for (size_t b = 0; b < p.nbatches; b++) {
		assert_true(p.batches[b].units <= 50);
		if (p.batches[b].action == ACT_ACK)
			ack += p.batches[b].n;
		else if (p.batches[b].action == ACT_SHIP)
			ship += p.batches[b].n;
	}
	assert_int_equal(ack, 60);
	assert_int_equal(ship, 60);
	size_t counts[RES__COUNT];
	plan_counts(&p, counts);
	assert_int_equal(counts[RES_SKIPPED], 1);

	/* Journal: mark one SHIP row ok; a new plan skips it without a call. */
	struct store *s;
	assert_int_equal(store_open(store_path, &s, &err), OB_OK);
	const struct plan_item *ship_item = NULL;
	size_t ship_i = 0;
	for (size_t i = 0; i < p.n && !ship_item; i++)
		if (p.items[i].action == ACT_SHIP)
			ship_item = &p.items[ship_i = i];
	assert_non_null(ship_item);
	/* Items keep no row: the plan reads it again when asked. */
	struct record ship_rec;
	char key[72];
	assert_int_equal(plan_item_record(&p, ship_i, &ship_rec, &err), OB_OK);
	assert_int_equal(plan_key(ship_item->acct, (enum action)ship_item->action, ship_item->courier_code, &ship_rec, key),
			 0);
	assert_int_equal(store_journal_set(s, key, &ship_rec, "SHIP", JS_OK, "OK", "shipped", "OK", &err), OB_OK);
	record_free(&ship_rec);
	size_t ship_row = ship_item->row_no;
	plan_free(&p);

	plan_init(&p, &cfg);
	assert_int_equal(plan_read(&p, path, &err), OB_OK);
	assert_int_equal(plan_check_journal(&p, s, &err), OB_OK);
	assert_int_equal(plan_build(&p, &err), OB_OK);
	ship = 0;
	for (size_t b = 0; b < p.nbatches; b++)
		if (p.batches[b].action == ACT_SHIP)
			ship += p.batches[b].n;
	assert_int_equal(ship, 59);
	int found = 0;
	for (size_t i = 0; i < p.n; i++)
		if (p.items[i].row_no == ship_row) {
			found = 1;
			assert_int_equal(p.items[i].result, RES_SKIPPED);
			assert_non_null(strstr(p.items[i].message, "already done"));
		}
	assert_true(found);
	store_close(s);
	plan_free(&p);
}

static void test_key_depends_on_payload(void **state)
{
	(void)state;
	struct record a, b;
	record_init(&a, SHEET_ORDERS);
	record_init(&b, SHEET_ORDERS);
	const struct account *acct = &cfg.accounts[0];
	record_set(&a, F_ORDER_NO, "1");
	record_set(&b, F_ORDER_NO, "1");
	record_set(&a, F_INVOICE_NO, "340010913442");
	record_set(&b, F_INVOICE_NO, "340010913442");
	char ka[72], kb[72];
	assert_int_equal(plan_key(acct, ACT_SHIP, NULL, &a, ka), 0);
	assert_int_equal(plan_key(acct, ACT_SHIP, NULL, &b, kb), 0);
	assert_string_equal(ka, kb);
	record_set(&b, F_INVOICE_NO, "340010913443");
	assert_int_equal(plan_key(acct, ACT_SHIP, NULL, &b, kb), 0);
	assert_string_not_equal(ka, kb);
	assert_int_equal(strlen(ka), 64);
	record_free(&a);
	record_free(&b);
}

static void test_result_path(void **state)
{
	(void)state;
	char out[256];
	plan_result_path("today.orders.csv", out, sizeof out);
	assert_string_equal(out, "today.orders.result.csv");
	plan_result_path("dir.x/sheet", out, sizeof out);
	assert_string_equal(out, "dir.x/sheet.result.csv");
	plan_result_path("a.xlsx", out, sizeof out);
	assert_string_equal(out, "a.result.xlsx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_sheets),
		cmocka_unit_test(test_unsupported_is_not_invalid),
		cmocka_unit_test(test_market_row_rules),
		cmocka_unit_test(test_pickup_checked_in_dry_run),
		cmocka_unit_test(test_batches_and_journal),
		cmocka_unit_test(test_key_depends_on_payload),
		cmocka_unit_test(test_result_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
