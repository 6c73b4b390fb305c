/* The export driver's reorder buffer: windows finish out of order on several
 * workers, yet records reach the sink in window order, once each; capped
 * windows are split until no window hits the cap; an account that fails
 * contributes nothing while the others still do. A fake market stands in for
 * the network (its fetch_window sleeps a little to shuffle completion). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "market/fetch.h"
#include "util/config.h"

#define DAY0 1767193200 /* 2026-01-01 00:00 KST */
#define NROWS_CAPPED 57

struct fake {
	struct market_base base;
	int fail_window;        /* index of the day window that fails, -1 = none */
};

static int fake_fetch(struct market *m, struct http_client *c, const struct market_query *q, ob_time from,
		      ob_time to, struct record_sink *sink, struct ob_err *err)
{
	(void)c;
	struct fake *f = (struct fake *)m;
	struct record r;
	record_init(&r, SHEET_ORDERS);
	int rc = OB_OK;
	if (strcmp(q->name, "days") == 0) {
		int w = (int)((from - DAY0) / OB_DAY);
		/* Later windows finish sooner: the reverse of the output order. */
		usleep((unsigned)((20 - w % 20) * 700));
		if (w == f->fail_window) {
			record_free(&r);
			return ob_errf(err, OB_ENET, "window %d failed", w);
		}
		for (int k = 0; k < 3 && rc == OB_OK; k++) {
			record_clear(&r);
			r.sheet = SHEET_ORDERS;
			record_setf(&r, F_ORDER_NO, "%03d-%d", w, k);
			record_set(&r, F_LINE_NO, "1");
			record_set(&r, F_STATUS, "PAID");
			rc = sink->put(sink, &r, err);
		}
		/* Every window repeats the first line of window 0 (a line seen in
		 * two windows): it must come out once. */
		record_clear(&r);
		r.sheet = SHEET_ORDERS;
		record_set(&r, F_ORDER_NO, "000-0");
		record_set(&r, F_LINE_NO, "1");
		record_set(&r, F_STATUS, "PAID");
		if (rc == OB_OK)
			rc = sink->put(sink, &r, err);
	} else {
		/* NROWS_CAPPED rows one hour apart from DAY0; at most 10 per answer. */
		int n = 0;
		for (int i = 0; i < NROWS_CAPPED && rc == OB_OK; i++) {
			ob_time t = DAY0 + (ob_time)i * 3600;
			if (t < from || t >= to)
				continue;
			if (++n > 10) {
				rc = OB_TRUNCATED;
				break;
			}
			char when[KST_TEXT_LEN];
			kst_format(t, when);
			record_clear(&r);
			r.sheet = SHEET_ORDERS;
			record_setf(&r, F_ORDER_NO, "cap-%03d", i);
			record_set(&r, F_LINE_NO, "1");
			record_set(&r, F_STATUS, "PAID");
			record_set(&r, F_PAID_AT, when);
			rc = sink->put(sink, &r, err);
		}
	}
	record_free(&r);
	return rc;
}

static const struct market_query fake_queries[] = {
	{ "days", 1u << SHEET_ORDERS, 0, OB_DAY, OB_DAY, 0, false },
	{ "capped", 1u << SHEET_ORDERS, 0, 7 * OB_DAY, 60, 10, false },
};

static const struct market_ops fake_ops = {
	.name = "fake",
	.queries = fake_queries,
	.nqueries = 2,
	.fetch_window = fake_fetch,
};

struct list_sink {
	struct record_sink base;
	char got[256][16];
	int n;
};

static int list_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	(void)err;
	struct list_sink *ls = (struct list_sink *)s;
	assert_true(ls->n < 256);
	snprintf(ls->got[ls->n++], 16, "%s", record_get(r, F_ORDER_NO));
	return OB_OK;
}

static void setup_account(struct account *a, const char *id, int jobs)
{
	memset(a, 0, sizeof *a);
	a->ops = &fake_ops;
	snprintf(a->id, sizeof a->id, "%s", id);
	a->jobs = jobs;
	a->rate = 0;
}

static void run(int jobs, int fail_second, struct list_sink *sink, struct fetch_result res[2], int *rc)
{
	struct account acct[2];
	setup_account(&acct[0], "fake.a", jobs);
	setup_account(&acct[1], "fake.b", jobs);
	struct fake f[2];
	memset(f, 0, sizeof f);
	for (int i = 0; i < 2; i++) {
		market_base_init(&f[i].base, &fake_ops, &acct[i]);
		f[i].fail_window = i == 1 && fail_second ? 7 : -1;
	}
	struct market *ms[2] = { (struct market *)&f[0], (struct market *)&f[1] };
	struct http_pool_opts po = { 0 };
	struct http_pool *pool = NULL;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(http_pool_new(&po, &pool, &err), OB_OK);
	struct fetch_opts o = { 0 };
	o.sheets = 1u << SHEET_ORDERS;
	o.from = DAY0;
	o.to = DAY0 + 20 * OB_DAY;
	memset(sink, 0, sizeof *sink);
	sink->base.put = list_put;
	*rc = fetch_run(ms, 2, pool, &o, &sink->base, res, &err);
	http_pool_free(pool);
	for (int i = 0; i < 2; i++)
		market_base_destroy(&f[i].base);
}

/* The rows of one account as the sink must see them. */
static void check_account(const struct list_sink *s, int from, const struct fetch_result *res)
{
	int k = from;
	for (int w = 0; w < 20; w++)
		for (int j = 0; j < 3; j++) {
			char want[16];
			snprintf(want, sizeof want, "%03d-%d", w, j);
			assert_string_equal(s->got[k], want);
			k++;
		}
	for (int i = 0; i < NROWS_CAPPED; i++) {
		char want[16];
		snprintf(want, sizeof want, "cap-%03d", i);
		assert_string_equal(s->got[k], want);
		k++;
	}
	assert_int_equal(res->rows[SHEET_ORDERS], 60 + NROWS_CAPPED);
	assert_int_equal(res->duplicates, 20); /* the repeat in each of the 20 windows */
	assert_true(res->bisections >= 5); /* 57 rows, at most 10 per answer */
}

static void test_in_order_once(void **state)
{
	(void)state;
	int jobs[] = { 1, 3, 8 };
	for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
		struct list_sink s;
		struct fetch_result res[2];
		int rc;
		run(jobs[i], 0, &s, res, &rc);
		assert_int_equal(rc, OB_OK);
		assert_int_equal(s.n, 2 * (60 + NROWS_CAPPED));
		check_account(&s, 0, &res[0]);
		check_account(&s, 60 + NROWS_CAPPED, &res[1]);
	}
}

static void test_failed_account_gives_nothing(void **state)
{
	(void)state;
	struct list_sink s;
	struct fetch_result res[2];
	int rc;
	run(4, 1, &s, res, &rc);
	assert_int_equal(rc, OB_ENET);
	assert_int_equal(res[0].status, OB_OK);
	assert_int_equal(res[1].status, OB_ENET);
	assert_non_null(strstr(res[1].error, "window 7 failed"));
	assert_int_equal(s.n, 60 + NROWS_CAPPED);
	check_account(&s, 0, &res[0]);
}

static void test_split_point(void **state)
{
	(void)state;
	/* Rows crowded into the last day of a week: the cut lands among them. */
	ob_time times[100];
	for (int i = 0; i < 100; i++)
		times[i] = DAY0 + 6 * OB_DAY + i * 300;
	ob_time cut = fetch_split_point(DAY0, DAY0 + 7 * OB_DAY, 60, times, 100);
	assert_true(cut > DAY0 + 6 * OB_DAY && cut < DAY0 + 7 * OB_DAY);
	assert_int_equal(cut % 60, 0);
	/* Too few rows to say anything: the aligned midpoint. */
	assert_int_equal(fetch_split_point(DAY0, DAY0 + 2 * OB_DAY, OB_DAY, times, 3), DAY0 + OB_DAY);
	/* A median on the window's first minute still cuts inside it. */
	for (int i = 0; i < 100; i++)
		times[i] = DAY0;
	cut = fetch_split_point(DAY0, DAY0 + OB_DAY, 60, times, 100);
	assert_true(cut > DAY0 && cut < DAY0 + OB_DAY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_once),
		cmocka_unit_test(test_failed_account_gives_nothing),
		cmocka_unit_test(test_split_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
