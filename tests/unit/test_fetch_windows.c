/* Window splitting of the export driver: KST-aligned, no gap, no overlap,
 * never longer than the market allows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "market/fetch.h"

static ob_time day(const char *s)
{
	ob_time t;
	assert_int_equal(kst_parse_date(s, &t), 0);
	return t;
}

static void test_day_windows(void **state)
{
	(void)state;
	struct market_query q = { "q", 1, 0, 31 * OB_DAY, OB_DAY, 0, false };
	ob_time s[64], e[64];
	/* 2026-01-01..2026-03-31 inclusive = 90 days -> 31 + 31 + 28 */
	int n = fetch_split_windows(&q, day("2026-01-01"), day("2026-04-01"), day("2027-01-01"), s, e, 64);
	assert_int_equal(n, 3);
	assert_int_equal(s[0], day("2026-01-01"));
	assert_int_equal(e[0], day("2026-02-01"));
	assert_int_equal(s[1], e[0]);
	assert_int_equal(e[2], day("2026-04-01"));
	for (int i = 0; i < n; i++)
		assert_true(e[i] - s[i] <= 31 * OB_DAY);
}

static void test_minute_windows_and_until_now(void **state)
{
	(void)state;
	struct market_query q = { "q", 1, 0, 7 * OB_DAY, 60, 3000, false };
	ob_time s[64], e[64];
	int n = fetch_split_windows(&q, day("2026-01-01"), day("2026-01-16"), day("2027-01-01"), s, e, 64);
	assert_int_equal(n, 3); /* 7 + 7 + 1 */
	struct market_query feed = { "feed", 1, 0, OB_DAY, 1, 0, true };
	ob_time now = day("2026-01-03") + 3600 + 17;
	n = fetch_split_windows(&feed, day("2026-01-01"), day("2026-01-05"), now, s, e, 64);
	assert_int_equal(n, 3);
	assert_int_equal(e[2], now);
	/* Too many windows for the buffer. */
	assert_int_equal(fetch_split_windows(&feed, day("2026-01-01"), day("2026-03-01"), day("2027-01-01"), s, e, 10), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_windows),
		cmocka_unit_test(test_minute_windows_and_until_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
