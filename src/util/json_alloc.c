/* See json_alloc.h. A block's size class is read back with
 * malloc_usable_size, so any malloc block can enter the cache and every
 * cached block can leave it through free(). */
#include "util/json_alloc.h"

#include <cjson/cJSON.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>

/* Classes of usable size 24, 40, ..., 120 bytes: glibc's chunk sizes 32..128. */
#define CLASS_MIN 24u
#define CLASS_STEP 16u
#define CLASSES 7
/* Per thread, all classes: a page of Coupang's (50 boxes) fits; a page far
 * bigger (SmartStore's 300 product orders) mostly bypasses the cache, which
 * then costs nothing (see cached_free). */
#define CACHE_MAX 32768u

struct free_block {
	struct free_block *next;
};

struct thread_cache {
	struct free_block *head[CLASSES];
	unsigned count[CLASSES];
	unsigned total;
	int registered; /* the key holds it: freed when the thread ends */
};

static _Thread_local struct thread_cache tc;
static pthread_key_t cache_key;

static void drop_cache(void *arg)
{
	struct thread_cache *c = arg;
	for (int i = 0; i < CLASSES; i++) {
		while (c->head[i]) {
			struct free_block *b = c->head[i];
			c->head[i] = b->next;
			free(b);
		}
		c->count[i] = 0;
	}
	c->total = 0;
	c->registered = 0;
}

static void *cached_malloc(size_t n)
{
	if (n > CLASS_MIN + CLASS_STEP * (CLASSES - 1))
		return malloc(n);
	unsigned i = n <= CLASS_MIN ? 0 : (unsigned)((n - CLASS_MIN + CLASS_STEP - 1) / CLASS_STEP);
	struct free_block *b = tc.head[i];
	if (b) {
		tc.head[i] = b->next;
		tc.count[i]--;
		tc.total--;
		return b;
	}
	return malloc(CLASS_MIN + CLASS_STEP * i);
}

static void cached_free(void *p)
{
	if (!p)
		return;
	if (tc.total >= CACHE_MAX) {
		/* full: straight back to malloc, without even reading the size
		 * (for a big tree, that read was a cache miss per block) */
		free(p);
		return;
	}
	size_t u = malloc_usable_size(p);
	if (u < CLASS_MIN || u > CLASS_MIN + CLASS_STEP * (CLASSES - 1) + CLASS_STEP - 1) {
		free(p);
		return;
	}
	unsigned i = (unsigned)((u - CLASS_MIN) / CLASS_STEP); /* usable >= the class's size */
	if (i >= CLASSES) {
		free(p);
		return;
	}
	if (!tc.registered) {
		if (pthread_setspecific(cache_key, &tc) != 0) {
			free(p);
			return;
		}
		tc.registered = 1;
	}
	struct free_block *b = p;
	b->next = tc.head[i];
	tc.head[i] = b;
	tc.count[i]++;
	tc.total++;
}

int json_alloc_init(void)
{
	if (pthread_key_create(&cache_key, drop_cache) != 0)
		return -1;
	cJSON_Hooks hooks = { cached_malloc, cached_free };
	cJSON_InitHooks(&hooks);
	return 0;
}

size_t json_alloc_cached(void)
{
	size_t n = 0;
	for (int i = 0; i < CLASSES; i++)
		n += tc.count[i];
	return n;
}
