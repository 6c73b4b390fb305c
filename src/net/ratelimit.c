/* Token-bucket rate limiter (see ratelimit.h). All state changes happen under
 * the mutex; the sleeping happens outside it, so a pause or a new rate set by
 * one thread is seen by the others on their next look. */
#include "net/ratelimit.h"

#include <errno.h>
#include <math.h>
#include <time.h>

double ob_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ob_sleep(double seconds)
{
	if (!(seconds > 0))
		return;
	struct timespec ts;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double real_now(void *ctx)
{
	(void)ctx;
	return ob_monotonic();
}

static void real_sleep(void *ctx, double seconds)
{
	(void)ctx;
	ob_sleep(seconds);
}

void ratelimit_init(struct ratelimit *rl, double rate, double burst)
{
	pthread_mutex_init(&rl->mu, NULL);
	rl->now = real_now;
	rl->sleep = real_sleep;
	rl->clock_ctx = NULL;
	rl->rate = rate > 0 && isfinite(rate) ? rate : 0;
	rl->burst = burst >= 1 && isfinite(burst) ? burst : 1;
	rl->tokens = rl->burst;
	rl->last = rl->now(rl->clock_ctx);
	rl->paused_until = 0;
}

void ratelimit_set_clock(struct ratelimit *rl, ratelimit_now_fn now, ratelimit_sleep_fn sleep,
			 void *ctx)
{
	pthread_mutex_lock(&rl->mu);
	rl->now = now ? now : real_now;
	rl->sleep = sleep ? sleep : real_sleep;
	rl->clock_ctx = ctx;
	rl->last = rl->now(rl->clock_ctx);
	rl->paused_until = 0;
	pthread_mutex_unlock(&rl->mu);
}

void ratelimit_destroy(struct ratelimit *rl)
{
	pthread_mutex_destroy(&rl->mu);
}

/* Adds the tokens earned since rl->last. Called with the mutex held. */
static void refill(struct ratelimit *rl, double now)
{
	if (now > rl->last && rl->rate > 0) {
		rl->tokens += (now - rl->last) * rl->rate;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
	}
	if (now > rl->last)
		rl->last = now;
}

void ratelimit_acquire(struct ratelimit *rl)
{
	for (;;) {
		pthread_mutex_lock(&rl->mu);
		double now = rl->now(rl->clock_ctx);
		double wait;
		if (rl->paused_until > now) {
			wait = rl->paused_until - now;
		} else if (rl->rate <= 0) {
			pthread_mutex_unlock(&rl->mu);
			return;
		} else {
			refill(rl, now);
			/* The tolerance keeps rounding from costing an extra
			 * sleep of a few nanoseconds after an exact wait. */
			if (rl->tokens >= 1 - 1e-9) {
				rl->tokens -= 1;
				pthread_mutex_unlock(&rl->mu);
				return;
			}
			wait = (1 - rl->tokens) / rl->rate;
		}
		ratelimit_sleep_fn sleep = rl->sleep;
		void *ctx = rl->clock_ctx;
		pthread_mutex_unlock(&rl->mu);
		sleep(ctx, wait);
	}
}

void ratelimit_pause(struct ratelimit *rl, double seconds)
{
	if (!(seconds > 0) || !isfinite(seconds))
		return;
	pthread_mutex_lock(&rl->mu);
	double until = rl->now(rl->clock_ctx) + seconds;
	if (until > rl->paused_until)
		rl->paused_until = until;
	/* The bucket starts empty when the pause ends: without moving `last`
	 * the pause itself would earn a full burst, and every thread would fire
	 * at once right after the market asked us to slow down. */
	rl->tokens = 0;
	if (rl->paused_until > rl->last)
		rl->last = rl->paused_until;
	pthread_mutex_unlock(&rl->mu);
}

void ratelimit_set_rate(struct ratelimit *rl, double rate, double burst)
{
	if (!isfinite(rate) || !isfinite(burst))
		return;
	pthread_mutex_lock(&rl->mu);
	/* Tokens earned so far were earned at the old rate. */
	refill(rl, rl->now(rl->clock_ctx));
	rl->rate = rate > 0 ? rate : 0;
	rl->burst = burst >= 1 ? burst : 1;
	if (rl->tokens > rl->burst)
		rl->tokens = rl->burst;
	pthread_mutex_unlock(&rl->mu);
}
