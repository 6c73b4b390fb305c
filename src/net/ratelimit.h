/* Token-bucket rate limiter shared by the threads that call one market account.
 * ratelimit_acquire blocks until a request may be sent. When a market answers
 * 429, ratelimit_pause stops every thread for a while, and ratelimit_set_rate
 * follows what the market advertises (e.g. Naver's GNCP-GW-RateLimit headers). */
#ifndef OB_NET_RATELIMIT_H
#define OB_NET_RATELIMIT_H

#include <pthread.h>

struct ratelimit {
	pthread_mutex_t mu;
	double rate;       /* tokens per second; <= 0 means unlimited */
	double burst;      /* bucket size */
	double tokens;
	double last;       /* monotonic seconds of the last refill */
	double paused_until;
};

void ratelimit_init(struct ratelimit *rl, double rate, double burst);
void ratelimit_destroy(struct ratelimit *rl);
void ratelimit_acquire(struct ratelimit *rl);
void ratelimit_pause(struct ratelimit *rl, double seconds);
void ratelimit_set_rate(struct ratelimit *rl, double rate, double burst);
double ob_monotonic(void);
void ob_sleep(double seconds);

#endif
