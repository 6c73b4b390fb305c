/* Token bucket on a fake clock: the time a run of requests needs is checked
 * exactly, without waiting for it and without timing assertions on a real
 * clock. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/ratelimit.h"

struct fake_clock {
	pthread_mutex_t mu;
	double t;
	int sleeps;
};

static double fake_now(void *ctx)
{
	struct fake_clock *fc = ctx;
	pthread_mutex_lock(&fc->mu);
	double t = fc->t;
	pthread_mutex_unlock(&fc->mu);
	return t;
}

static void fake_sleep(void *ctx, double s)
{
	struct fake_clock *fc = ctx;
	pthread_mutex_lock(&fc->mu);
	fc->t += s;
	fc->sleeps++;
	pthread_mutex_unlock(&fc->mu);
}

static void fake_init(struct fake_clock *fc, struct ratelimit *rl, double rate, double burst)
{
	pthread_mutex_init(&fc->mu, NULL);
	fc->t = 1000.0;
	fc->sleeps = 0;
	ratelimit_init(rl, rate, burst);
	ratelimit_set_clock(rl, fake_now, fake_sleep, fc);
}

static void fake_done(struct fake_clock *fc, struct ratelimit *rl)
{
	ratelimit_destroy(rl);
	pthread_mutex_destroy(&fc->mu);
}

#define EPS 1e-9

/* 20 requests at 10/s with a bucket of 1: the first goes at once, each
 * further one waits 0.1 s, so the run takes 1.9 s. */
static void test_twenty_at_ten_per_second(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 10, 1);
	for (int i = 0; i < 20; i++)
		ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1001.9) < EPS);
	assert_int_equal(fc.sleeps, 19);
	fake_done(&fc, &rl);
}

/* A bucket of 5 lets 5 go at once; the other 15 need 1.5 s. */
static void test_burst(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 10, 5);
	for (int i = 0; i < 5; i++)
		ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1000.0) < EPS);
	assert_int_equal(fc.sleeps, 0);
	for (int i = 0; i < 15; i++)
		ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1001.5) < EPS);
	fake_done(&fc, &rl);
}

/* Idle time refills the bucket, never beyond its size. */
static void test_refill_capped(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 10, 3);
	for (int i = 0; i < 3; i++)
		ratelimit_acquire(&rl);
	fc.t += 60; /* a minute idle earns 3 tokens, not 600 */
	for (int i = 0; i < 3; i++)
		ratelimit_acquire(&rl);
	assert_int_equal(fc.sleeps, 0);
	ratelimit_acquire(&rl);
	assert_int_equal(fc.sleeps, 1);
	assert_true(fabs(fc.t - 1060.1) < EPS);
	fake_done(&fc, &rl);
}

/* After a 429 pause the bucket starts empty: the pause earns no burst, so
 * the threads do not all fire the moment it ends. */
static void test_pause_no_burst_after(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 10, 10);
	ratelimit_pause(&rl, 2.0);
	ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1002.1) < EPS);
	for (int i = 0; i < 9; i++)
		ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1003.0) < EPS);
	/* A shorter pause does not cut a longer one short; 0 or NaN is ignored. */
	ratelimit_pause(&rl, 5.0);
	ratelimit_pause(&rl, 1.0);
	ratelimit_pause(&rl, 0);
	ratelimit_pause(&rl, NAN);
	ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1008.1) < EPS);
	fake_done(&fc, &rl);
}

/* A pause holds even an unlimited limiter (a 429 still means wait). */
static void test_pause_unlimited(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 0, 1);
	for (int i = 0; i < 100; i++)
		ratelimit_acquire(&rl);
	assert_int_equal(fc.sleeps, 0);
	ratelimit_pause(&rl, 1.5);
	ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1001.5) < EPS);
	fake_done(&fc, &rl);
}

/* A rate the market advertises takes over from the next request on. */
static void test_set_rate(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 0, 1);
	ratelimit_set_rate(&rl, 2, 1);
	for (int i = 0; i < 3; i++)
		ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1001.0) < EPS);
	ratelimit_set_rate(&rl, 4, 8);
	fc.t += 10;
	for (int i = 0; i < 8; i++)
		ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1011.0) < EPS);
	ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1011.25) < EPS);
	/* Nonsense is ignored. */
	ratelimit_set_rate(&rl, NAN, 1);
	assert_true(fabs(rl.rate - 4) < EPS);
	fake_done(&fc, &rl);
}

/* A bucket smaller than one token would never let a request through. */
static void test_fractional_burst(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 1, 0.5);
	ratelimit_acquire(&rl);
	ratelimit_acquire(&rl);
	assert_true(fabs(fc.t - 1001.0) < EPS);
	fake_done(&fc, &rl);
}

struct worker {
	struct ratelimit *rl;
	int n;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < w->n; i++)
		ratelimit_acquire(w->rl);
	return NULL;
}

/* Four threads share one limiter: 100 requests at 100/s with a bucket of 1
 * need at least 0.99 s of (fake) time, however the threads interleave. */
static void test_threads_share(void **state)
{
	(void)state;
	struct fake_clock fc;
	struct ratelimit rl;
	fake_init(&fc, &rl, 100, 1);
	pthread_t th[4];
	struct worker w = { &rl, 25 };
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_true(fc.t - 1000.0 >= 0.99 - EPS);
	fake_done(&fc, &rl);
}

/* The real clock: a limiter without a fake clock works and returns. */
static void test_real_clock(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 1000, 5);
	double t0 = ob_monotonic();
	for (int i = 0; i < 10; i++)
		ratelimit_acquire(&rl);
	assert_true(ob_monotonic() >= t0);
	ratelimit_destroy(&rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twenty_at_ten_per_second),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_refill_capped),
		cmocka_unit_test(test_pause_no_burst_after),
		cmocka_unit_test(test_pause_unlimited),
		cmocka_unit_test(test_set_rate),
		cmocka_unit_test(test_fractional_burst),
		cmocka_unit_test(test_threads_share),
		cmocka_unit_test(test_real_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
