/* KST time: fixed +09:00 whatever TZ says (ctest runs us with
 * TZ=America/Los_Angeles, which has DST). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/kst.h"

static void test_parse_formats(void **state)
{
	(void)state;
	ob_time t;
	char out[KST_TEXT_LEN];
	/* 2025-01-15 00:00 KST = 2025-01-14 15:00 UTC = 1736866800 */
	assert_int_equal(kst_parse_date("2025-01-15", &t), 0);
	assert_int_equal(t, 1736866800);
	assert_int_equal(kst_parse("2025-01-15 00:00:00", &t), 0);
	assert_int_equal(t, 1736866800);
	assert_int_equal(kst_parse("2025-01-15T00:00:00", &t), 0);
	assert_int_equal(t, 1736866800);
	assert_int_equal(kst_parse("2025-01-14T15:00:00Z", &t), 0);
	assert_int_equal(t, 1736866800);
	assert_int_equal(kst_parse("2025-01-14T15:00:00.123456+00:00", &t), 0);
	assert_int_equal(t, 1736866800);
	/* The Coupang doc example: -08:00 offset with microseconds. */
	assert_int_equal(kst_parse("2025-01-15T14:17:13.973885-08:00", &t), 0);
	kst_format(t, out);
	assert_string_equal(out, "2025-01-16 07:17:13");
	assert_int_equal(kst_parse("2022-01-01T01:01:01.001+09:00", &t), 0);
	kst_format(t, out);
	assert_string_equal(out, "2022-01-01 01:01:01");
	assert_int_equal(kst_parse("202602251146", &t), 0);
	kst_format(t, out);
	assert_string_equal(out, "2026-02-25 11:46:00");
	assert_int_equal(kst_parse("20260225", &t), 0);
	kst_format(t, out);
	assert_string_equal(out, "2026-02-25 00:00:00");
	assert_int_equal(kst_parse("1999-12-31 23:59:59", &t), 0);
	kst_format(t, out);
	assert_string_equal(out, "1999-12-31 23:59:59");
	assert_int_equal(strlen(out), KST_TEXT_LEN - 1);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	ob_time t;
	assert_int_equal(kst_parse("", &t), -1);
	assert_int_equal(kst_parse("null", &t), -1);
	assert_int_equal(kst_parse("2025-02-30", &t), -1);
	assert_int_equal(kst_parse("2025-13-01", &t), -1);
	assert_int_equal(kst_parse("2025-01-15 25:00:00", &t), -1);
	assert_int_equal(kst_parse("2025-01-15X", &t), -1);
	assert_int_equal(kst_parse_date("2025-1-5", &t), -1);
	assert_int_equal(kst_parse_date("2024-02-29", &t), 0);
	assert_int_equal(kst_parse_date("2023-02-29", &t), -1);
}

static void test_day_start_and_strftime(void **state)
{
	(void)state;
	ob_time t;
	char out[64];
	/* 23:30 KST belongs to the same KST day, although it is 14:30 UTC. */
	assert_int_equal(kst_parse("2026-03-08 23:30:00", &t), 0);
	ob_time d = kst_day_start(t);
	kst_format(d, out);
	assert_string_equal(out, "2026-03-08 00:00:00");
	/* 00:30 KST is the previous day in UTC and in Los Angeles. */
	assert_int_equal(kst_parse("2026-03-09 00:30:00", &t), 0);
	kst_strftime(out, sizeof out, "%Y-%m-%d+09:00|%Y%m%d%H%M", t);
	assert_string_equal(out, "2026-03-09+09:00|202603090030");
	/* Round trip over a year, hour by hour, including the US DST switch. */
	ob_time start;
	assert_int_equal(kst_parse_date("2026-01-01", &start), 0);
	for (ob_time x = start; x < start + 366 * 86400; x += 3600) {
		char txt[KST_TEXT_LEN];
		ob_time back;
		kst_format(x, txt);
		assert_int_equal(kst_parse(txt, &back), 0);
		assert_int_equal(back, x);
	}
}

static void test_normalize(void **state)
{
	(void)state;
	char out[KST_TEXT_LEN];
	assert_int_equal(kst_normalize("2017-09-02T22:52:42", out), 0);
	assert_string_equal(out, "2017-09-02 22:52:42");
	assert_int_equal(kst_normalize("", out), -1);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_formats),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_day_start_and_strftime),
		cmocka_unit_test(test_normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
