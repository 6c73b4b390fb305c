/* Token-bucket rate limiter (see ratelimit.h). */
#include "net/ratelimit.h"

#include <errno.h>
#include <time.h>

double ob_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ob_sleep(double seconds)
{
	if (seconds <= 0)
		return;
	struct timespec ts;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void ratelimit_init(struct ratelimit *rl, double rate, double burst)
{
	pthread_mutex_init(&rl->mu, NULL);
	rl->rate = rate;
	rl->burst = burst > 0 ? burst : 1;
	rl->tokens = rl->burst;
	rl->last = ob_monotonic();
	rl->paused_until = 0;
}

void ratelimit_destroy(struct ratelimit *rl)
{
	pthread_mutex_destroy(&rl->mu);
}

void ratelimit_acquire(struct ratelimit *rl)
{
	for (;;) {
		pthread_mutex_lock(&rl->mu);
		double now = ob_monotonic();
		double wait = 0;
		if (rl->paused_until > now) {
			wait = rl->paused_until - now;
		} else if (rl->rate <= 0) {
			pthread_mutex_unlock(&rl->mu);
			return;
		} else {
			rl->tokens += (now - rl->last) * rl->rate;
			if (rl->tokens > rl->burst)
				rl->tokens = rl->burst;
			rl->last = now;
			if (rl->tokens >= 1) {
				rl->tokens -= 1;
				pthread_mutex_unlock(&rl->mu);
				return;
			}
			wait = (1 - rl->tokens) / rl->rate;
		}
		pthread_mutex_unlock(&rl->mu);
		ob_sleep(wait);
	}
}

void ratelimit_pause(struct ratelimit *rl, double seconds)
{
	pthread_mutex_lock(&rl->mu);
	double until = ob_monotonic() + seconds;
	if (until > rl->paused_until)
		rl->paused_until = until;
	rl->tokens = 0;
	pthread_mutex_unlock(&rl->mu);
}

void ratelimit_set_rate(struct ratelimit *rl, double rate, double burst)
{
	pthread_mutex_lock(&rl->mu);
	rl->rate = rate;
	rl->burst = burst > 0 ? burst : 1;
	if (rl->tokens > rl->burst)
		rl->tokens = rl->burst;
	pthread_mutex_unlock(&rl->mu);
}
