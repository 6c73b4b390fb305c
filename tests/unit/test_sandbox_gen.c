/* The sandbox data generator: the PRNG and data set are the same for a seed
 * (and differ across seeds), the Coupang data set holds every scenario the
 * client must survive (each status, partial cancels, cancels before ack, all
 * 18 stop-request combinations, multi-item receipts, withdrawals, address
 * changes, 18-digit ids, hostile memos), and fault specs parse strictly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox/coupang_state.h"
#include "sandbox/gen.h"
#include "sandbox/sandbox.h"
#include "util/json.h"
#include "util/str.h"

static void test_rng(void **s)
{
	(void)s;
	struct sandbox_rng a, b;
	sandbox_rng_seed(&a, 42);
	sandbox_rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(sandbox_rng_next(&a), sandbox_rng_next(&b));
		uint64_t x = sandbox_rng_below(&a, 7);
		assert_int_equal(x, sandbox_rng_below(&b, 7));
		assert_true(x < 7);
		int64_t r = sandbox_rng_range(&a, -3, 3);
		assert_true(r >= -3 && r <= 3);
		sandbox_rng_range(&b, -3, 3);
	}
	assert_int_not_equal(sandbox_rng_derive(1, "coupang"), sandbox_rng_derive(1, "11st"));
	assert_int_not_equal(sandbox_rng_derive(1, "coupang"), sandbox_rng_derive(2, "coupang"));
}

static char *generate(uint64_t seed, int orders)
{
	struct sandbox_gen_opts o = { seed, orders, 30, 0, 0 };
	assert_int_equal(kst_parse_date("2026-11-20", &o.today), 0);
	cJSON *ds = cpx_generate(&o);
	assert_non_null(ds);
	char *text = cJSON_PrintUnformatted(ds);
	assert_non_null(text);
	cJSON_Delete(ds);
	return text;
}

static void test_deterministic(void **s)
{
	(void)s;
	char *a = generate(7, 200), *b = generate(7, 200), *c = generate(8, 200);
	assert_string_equal(a, b);
	assert_true(strcmp(a, c) != 0);
	free(a);
	free(b);
	free(c);
}

static struct cpx_state *state_for(int orders, int days)
{
	struct sandbox_gen_opts o = { 1, orders, days, 0, 0 };
	assert_int_equal(kst_parse_date("2026-11-20", &o.today), 0);
	struct cpx_state *st = NULL;
	struct ob_err err = OB_ERR_INIT;
	cJSON *ds = cpx_generate(&o);
	assert_non_null(ds);
	assert_int_equal(cpx_state_build(ds, &o, 1, &st, &err), 0);
	return st;
}

static void test_coverage(void **s)
{
	(void)s;
	struct cpx_state *st = state_for(300, 30);
	assert_int_equal(st->nboxes, 300);
	static const char *const statuses[] = { "ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY",
						"NONE_TRACKING" };
	int per_status[6] = { 0 }, long_ids = 0, multi = 0, partial = 0, pending = 0, hold = 0, multi_order = 0;
	ob_time first, last;
	kst_parse_date("2026-10-22", &first);
	kst_parse_date("2026-11-21", &last);
	for (size_t i = 0; i < st->nboxes; i++) {
		struct cpx_box *b = &st->boxes[i];
		for (int k = 0; k < 6; k++)
			per_status[k] += str_eq(cpx_str(b->doc, "status"), statuses[k]);
		long_ids += b->id > 9007199254740992ull;
		assert_true(b->ordered >= first && b->ordered < last);
		const cJSON *items = json_get(b->doc, "orderItems");
		multi += cJSON_GetArraySize(items) > 1;
		const cJSON *it;
		cJSON_ArrayForEach(it, items)
		{
			int ship = cpx_item_int(it, "shippingCount"), cc = cpx_item_int(it, "cancelCount");
			partial += cc > 0 && cc < ship;
			hold += cpx_item_int(it, "holdCountForCancel") > 0;
		}
		pending += b->pending != NULL;
		multi_order += i > 0 && st->boxes[i - 1].order_id == b->order_id;
		for (size_t j = 0; j < st->nboxes && !multi_order; j++)
			multi_order += j != i && st->boxes[j].order_id == b->order_id;
	}
	for (int k = 0; k < 6; k++)
		assert_true(per_status[k] > 0);
	assert_true(long_ids > 200);
	assert_true(multi > 0 && partial > 0 && pending > 0 && hold > 0 && multi_order > 0);

	/* Every receiptStatus x releaseStopStatus x completeConfirmType of stop requests. */
	static const char *const rs[] = { "RELEASE_STOP_UNCHECKED", "RETURNS_UNCHECKED" };
	static const char *const stop[] = { "미처리", "처리(이미출고)", "처리(출고중지)" };
	static const char *const conf[] = { "UNDEFINED", "VENDOR_CONFIRM", "CS_CONFIRM" };
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 3; b++)
			for (int c = 0; c < 3; c++) {
				bool found = false;
				for (size_t i = 0; i < st->nreceipts && !found; i++) {
					const cJSON *d = st->receipts[i].doc;
					found = !st->receipts[i].withdrawn && cpx_receipt_in_status(&st->receipts[i], "RU") &&
						str_eq(cpx_str(d, "receiptStatus"), rs[a]) &&
						str_eq(cpx_str(d, "releaseStopStatus"), stop[b]) &&
						str_eq(cpx_str(d, "completeConfirmType"), conf[c]);
				}
				assert_true(found);
			}
	int cancels_full = 0, cancels_part = 0, multi_item_receipts = 0, withdrawn = 0, uc = 0, cc = 0, pr = 0;
	for (size_t i = 0; i < st->nreceipts; i++) {
		const struct cpx_receipt *r = &st->receipts[i];
		int n = cJSON_GetArraySize(json_get(r->doc, "returnItems"));
		multi_item_receipts += n > 1;
		withdrawn += r->withdrawn;
		if (r->cancel) {
			uint64_t box = 0;
			sandbox_json_u64(json_get(cJSON_GetArrayItem(json_get(r->doc, "returnItems"), 0), "shipmentBoxId"),
					 &box);
			struct cpx_box *b = cpx_box_find(st, box);
			assert_non_null(b);
			assert_string_equal(cpx_str(b->doc, "status"), "ACCEPT");
			if (cpx_box_gone(st, b))
				cancels_full++;
			else
				cancels_part++;
		}
		uc += !r->cancel && str_eq(cpx_str(r->doc, "releaseStopStatus"), "비대상") && cpx_receipt_in_status(r, "UC");
		cc += cpx_receipt_in_status(r, "CC") && !r->cancel;
		pr += cpx_receipt_in_status(r, "PR");
	}
	assert_true(cancels_full > 0 && cancels_part > 0 && multi_item_receipts > 0 && withdrawn > 0);
	assert_true(uc > 0 && cc > 0 && pr > 0);
	assert_int_equal((int)st->nwds, withdrawn);

	/* Every hostile memo of the table is in some box. */
	for (size_t m = 0; m < sandbox_gen_memo_count(); m++) {
		const char *memo = sandbox_gen_memo_at(m);
		bool found = false;
		for (size_t i = 0; i < st->nboxes && !found; i++) {
			const char *p = cpx_str(st->boxes[i].doc, "parcelPrintMessage");
			found = p && strcmp(p, memo) == 0;
		}
		assert_true(found);
	}
	cpx_state_free(st);
}

static void test_small_and_reset(void **s)
{
	(void)s;
	/* Fewer boxes than scenarios: still valid, the stop combos first. */
	struct cpx_state *st = state_for(5, 1);
	assert_int_equal(st->nboxes, 5);
	assert_true(st->nreceipts >= 5);
	cpx_state_free(st);
	st = state_for(0, 30);
	assert_int_equal(st->nboxes, 0);
	cpx_state_free(st);

	st = state_for(100, 30);
	char *before = NULL;
	cJSON *root = cJSON_CreateObject();
	assert_int_equal(cpx_state_json(st, root), 0);
	before = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	/* A change, then reset: the state is as generated again. */
	assert_int_equal(cpx_set_str(st->boxes[0].doc, "status", "DELIVERING"), 0);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(cpx_state_reset(st, &err), 0);
	root = cJSON_CreateObject();
	assert_int_equal(cpx_state_json(st, root), 0);
	char *after = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	assert_string_equal(before, after);
	/* Ids in the state JSON are strings: exact for any reader. */
	assert_non_null(strstr(after, "\"shipmentBoxId\":\"6425"));
	free(before);
	free(after);
	cpx_state_free(st);
}

static void test_faults(void **s)
{
	(void)s;
	struct sandbox_opts o;
	struct ob_err err = OB_ERR_INIT;
	sandbox_opts_default(&o);
	assert_int_equal(sandbox_parse_faults("500:5%,429:5%,reset:1%,timeout:0.5%", &o, &err), 0);
	assert_int_equal(o.nfaults, 4);
	assert_int_equal(o.faults[0].kind, SANDBOX_FAULT_STATUS);
	assert_int_equal(o.faults[0].status, 500);
	assert_int_equal(o.faults[0].ppm, 50000);
	assert_int_equal(o.faults[2].kind, SANDBOX_FAULT_RESET);
	assert_int_equal(o.faults[3].kind, SANDBOX_FAULT_TIMEOUT);
	assert_int_equal(o.faults[3].ppm, 5000);
	assert_int_not_equal(sandbox_parse_faults("500:60%,503:50%", &o, &err), 0);
	assert_int_not_equal(sandbox_parse_faults("600:1%", &o, &err), 0);
	assert_int_not_equal(sandbox_parse_faults("500", &o, &err), 0);
	assert_int_not_equal(sandbox_parse_faults("500:x%", &o, &err), 0);
	assert_int_not_equal(sandbox_parse_faults("boom:1%", &o, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_small_and_reset),
		cmocka_unit_test(test_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
