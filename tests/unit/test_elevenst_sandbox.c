/* The 11st sandbox's contract without a socket: the key (-1 inside HTTP 200),
 * window formats and lengths (-3103, -3105, -28008), the silent 3,000-row cap,
 * the 100-ordNo limit (-28003), path parameter order, the state machine of
 * acknowledgement and shipping (-3206, -3308, -3306, -3307) and reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/elevenst_int.h"
#include "sandbox/elevenst.h"
#include "sandbox/elevenst_state.h"

static ob_time today;

static long call(void *st, const char *method, const char *path, const char *key, struct est_reply *r)
{
	struct sandbox_header h = { (char *)"openapikey", (char *)key };
	struct sandbox_request req = { method, path, "", &h, key ? 1 : 0, "", 0, today + 12 * 3600,
				       today + 12 * 3600, 1, 0, 0, 0 };
	struct sandbox_response resp = { 0, BUF_INIT, NULL, "", 0, -1, BUF_INIT };
	assert_int_equal(sandbox_elevenst_ops.handle(st, &req, &resp), 0);
	long status = resp.status;
	est_reply_clear(r);
	if (status == 200) {
		struct ob_err err = OB_ERR_INIT;
		/* The prolog and namespace exactly as the real answers. */
		assert_true(strncmp(resp.body.data, "<?xml version=\"1.0\" encoding=\"", 30) == 0);
		assert_int_equal(est_parse(resp.body.data, resp.body.len, r, &err), OB_OK);
	}
	buf_free(&resp.body);
	return status;
}

static void *make(int orders)
{
	struct sandbox_gen_opts g = { 3, orders, 10, today, 0 };
	void *st = NULL;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sandbox_elevenst_ops.create(&g, &st, &err), OB_OK);
	return st;
}

static void minute(ob_time t, char *out)
{
	est_minute_text(t, out);
}

static void test_key_and_windows(void **state)
{
	(void)state;
	kst_parse_date("2026-03-10", &today);
	void *st = make(50);
	struct est_reply r;
	est_reply_init(&r);
	char a[16], b[16], path[128];
	minute(today - 6 * OB_DAY, a);
	minute(today + OB_DAY - 60, b);
	snprintf(path, sizeof path, "/rest/ordservices/complete/%s/%s", a, b);
	assert_int_equal(call(st, "GET", path, "wrong", &r), 200);
	assert_int_equal(r.code, -1);
	assert_string_equal(r.text, "OpenAPI Key 에 해당하는 유저가 없습니다.");
	assert_int_equal(call(st, "GET", path, NULL, &r), 200);
	assert_int_equal(r.code, -1);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_false(r.has_code && r.code != 0);
	/* Exactly 7 days (end minute inclusive) is fine; a minute more is not. */
	minute(today - 7 * OB_DAY + OB_DAY, a);
	snprintf(path, sizeof path, "/rest/ordservices/complete/%s/%s", a, b);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_false(r.has_code && r.code != 0);
	minute(today - 6 * OB_DAY - 60, a);
	snprintf(path, sizeof path, "/rest/ordservices/complete/%s/%s", a, b);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -3105);
	snprintf(path, sizeof path, "/rest/ordservices/complete/2026-03-01/%s", b);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -3103);
	minute(today - 31 * OB_DAY, a);
	snprintf(path, sizeof path, "/rest/claimservice/cancelorders/%s/%s", a, b);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -28008);
	/* Unknown paths and the missing /rest prefix are the gateway's 404. */
	assert_int_equal(call(st, "GET", "/ordservices/complete/1/2", SANDBOX_ELEVENST_KEY, &r), 404);
	assert_int_equal(call(st, "GET", "/rest/ordservices/nothing/1/2", SANDBOX_ELEVENST_KEY, &r), 404);
	assert_int_equal(call(st, "POST", "/rest/ordservices/reqpackaging/1/1/N/null/1", SANDBOX_ELEVENST_KEY, &r),
			 405);
	est_reply_free(&r);
	sandbox_elevenst_ops.free(st);
}

static void test_row_cap_and_ids(void **state)
{
	(void)state;
	kst_parse_date("2026-03-10", &today);
	void *st = make(0);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sandbox_elevenst_ops.burst(st, today - OB_DAY, 3500, &err), OB_OK);
	struct est_reply r;
	est_reply_init(&r);
	char a[16], b[16], path[4096];
	minute(today - OB_DAY, a);
	minute(today - 60, b);
	snprintf(path, sizeof path, "/rest/ordservices/complete/%s/%s", a, b);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	/* No paging: 3,000 rows, oldest first, the rest silently left out. */
	assert_int_equal(r.nrows, 3000);
	assert_false(r.has_code);
	assert_string_equal(est_get(&r, 0, "ordStlEndDt") + 11, "00:00:00");
	assert_int_equal(strlen(est_get(&r, 0, "ordNo")), 17);
	assert_string_equal(est_get(&r, 0, "dlvMthdCd"), ""); /* literal null */
	/* The second half of the day has the rest. */
	minute(today - OB_DAY / 2, a);
	snprintf(path, sizeof path, "/rest/ordservices/complete/%s/%s", a, b);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.nrows, 1750);

	/* orderlistall: 100 ordNos at most. */
	struct st_state *s = st;
	size_t off = (size_t)snprintf(path, sizeof path, "/rest/claimservice/orderlistall/");
	for (int i = 0; i < 101; i++)
		off += (size_t)snprintf(path + off, sizeof path - off, "%s%s", i ? "," : "", s->lines[i].ord_no);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -28003);
	*strrchr(path, ',') = '\0';
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.nrows, 100);
	assert_string_equal(est_get(&r, 0, "ordPrdStat"), "202");
	est_reply_free(&r);
	sandbox_elevenst_ops.free(st);
}

static void test_ack_and_ship(void **state)
{
	(void)state;
	kst_parse_date("2026-03-10", &today);
	void *st = make(0);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sandbox_elevenst_ops.burst(st, today, 2, &err), OB_OK);
	struct st_state *s = st;
	struct est_reply r;
	est_reply_init(&r);
	char path[256], dlv[24];
	snprintf(dlv, sizeof dlv, "%" PRIu64, s->lines[0].dlv_no);
	/* Parameter order: ordNo/ordPrdSeq/addPrdYn/addPrdNo/dlvNo. */
	snprintf(path, sizeof path, "/rest/ordservices/reqpackaging/%s/1/N/null/%s", s->lines[0].ord_no, dlv);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_string_equal(r.root, "ResultOrder");
	assert_int_equal(r.code, 0);
	assert_string_equal(s->lines[0].stat, "301");
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -3206);
	/* Wrong add-on keys are refused. */
	snprintf(path, sizeof path, "/rest/ordservices/reqpackaging/%s/1/Y/0/%" PRIu64, s->lines[1].ord_no,
		 s->lines[1].dlv_no);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -1);
	/* reqdelivery/sendDt/dlvMthdCd/dlvEtprsCd/invcNo/dlvNo. */
	snprintf(path, sizeof path, "/rest/ordservices/reqdelivery/202603101200/01/00999/123456789012/%s", dlv);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -3307);
	snprintf(path, sizeof path, "/rest/ordservices/reqdelivery/202603101200/01/00034/12345/%s", dlv);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -3306);
	snprintf(path, sizeof path, "/rest/ordservices/reqdelivery/202603101200/01/00034/123456789012/%s", dlv);
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, 0);
	assert_string_equal(s->lines[0].stat, "401");
	assert_string_equal(s->lines[0].invoice, "123456789012");
	assert_int_equal(call(st, "GET", path, SANDBOX_ELEVENST_KEY, &r), 200);
	assert_int_equal(r.code, -3308);
	/* Reset puts the data set back. */
	assert_int_equal(sandbox_elevenst_ops.reset(st, &err), OB_OK);
	assert_string_equal(s->lines[0].stat, "202");
	assert_int_equal(s->n, 2);
	est_reply_free(&r);
	sandbox_elevenst_ops.free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_and_windows),
		cmocka_unit_test(test_row_cap_and_ids),
		cmocka_unit_test(test_ack_and_ship),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
