/* Token-bucket rate limiter shared by the threads that call one market account.
 * ratelimit_acquire blocks until a request may be sent. When a market answers
 * 429, ratelimit_pause stops every thread for a while, and ratelimit_set_rate
 * follows what the market advertises (e.g. Naver's GNCP-GW-RateLimit headers). */
#ifndef OB_NET_RATELIMIT_H
#define OB_NET_RATELIMIT_H

#include <pthread.h>

/* The clock a limiter reads and sleeps on: ob_monotonic/ob_sleep unless a
 * test installs a fake one with ratelimit_set_clock. */
typedef double (*ratelimit_now_fn)(void *ctx);
typedef void (*ratelimit_sleep_fn)(void *ctx, double seconds);

struct ratelimit {
	pthread_mutex_t mu;
	double rate;       /* tokens per second; <= 0 means unlimited */
	double burst;      /* bucket size */
	double tokens;
	double last;       /* clock seconds of the last refill */
	double paused_until;
	ratelimit_now_fn now;
	ratelimit_sleep_fn sleep;
	void *clock_ctx;
};

void ratelimit_init(struct ratelimit *rl, double rate, double burst);
/* Replaces the clock (tests: a fake clock whose sleep advances its time, so
 * token accounting is checked without waiting). Call right after init, before
 * any other thread uses rl; NULL functions restore the real clock. */
void ratelimit_set_clock(struct ratelimit *rl, ratelimit_now_fn now, ratelimit_sleep_fn sleep,
			 void *ctx);
void ratelimit_destroy(struct ratelimit *rl);
void ratelimit_acquire(struct ratelimit *rl);
void ratelimit_pause(struct ratelimit *rl, double seconds);
void ratelimit_set_rate(struct ratelimit *rl, double rate, double burst);
double ob_monotonic(void);
void ob_sleep(double seconds);

#endif
