/* See json_alloc.h. A block's size class is read back with
 * malloc_usable_size, so any malloc block can enter the cache and every
 * cached block can leave it through free(). */
#include "util/json_alloc.h"

#include <cjson/cJSON.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
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

/* The arena: chunks of ARENA_CHUNK bytes, kept for the next scope up to
 * ARENA_KEEP of them; a block above ARENA_BLOCK_MAX bytes gets a chunk of its
 * own, given back at the scope's end. */
#define ARENA_CHUNK (256u * 1024)
#define ARENA_KEEP 32u
#define ARENA_BLOCK_MAX 2048u
#define ARENA_ALIGN 16u

struct arena_chunk {
	struct arena_chunk *next;
	char *end;
	_Alignas(16) char data[];
};

struct thread_cache {
	struct free_block *head[CLASSES];
	unsigned count[CLASSES];
	unsigned total;
	int registered; /* the key holds it: freed when the thread ends */
	int arena_depth;              /* inside json_arena_begin .. end */
	struct arena_chunk *chunks;   /* every chunk; the ones before cur are full */
	struct arena_chunk *cur;
	char *bump;                   /* next free byte of cur */
	struct arena_chunk *big;      /* blocks above ARENA_BLOCK_MAX, one chunk each */
	unsigned long fallbacks;      /* blocks malloc served inside the scope */
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
	while (c->chunks) {
		struct arena_chunk *k = c->chunks;
		c->chunks = k->next;
		free(k);
	}
	while (c->big) {
		struct arena_chunk *k = c->big;
		c->big = k->next;
		free(k);
	}
	c->cur = NULL;
	c->bump = NULL;
	c->total = 0;
	c->registered = 0;
}

static int ensure_registered(void)
{
	if (!tc.registered) {
		if (pthread_setspecific(cache_key, &tc) != 0)
			return -1;
		tc.registered = 1;
	}
	return 0;
}

/* n bytes from the arena, or NULL (then malloc serves). */
static void *arena_alloc(size_t n)
{
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	while (!tc.cur || (size_t)(tc.cur->end - tc.bump) < n) {
		struct arena_chunk *next = tc.cur ? tc.cur->next : tc.chunks;
		if (!next) {
			if (ensure_registered() != 0)
				return NULL;
			next = malloc(sizeof *next + ARENA_CHUNK);
			if (!next)
				return NULL;
			next->end = next->data + ARENA_CHUNK;
			next->next = NULL;
			if (tc.cur)
				tc.cur->next = next;
			else
				tc.chunks = next;
		}
		tc.cur = next;
		tc.bump = next->data;
	}
	void *p = tc.bump;
	tc.bump += n;
	return p;
}

/* A block above ARENA_BLOCK_MAX in a chunk of its own, or NULL. */
static void *arena_big(size_t n)
{
	if (ensure_registered() != 0 || n > SIZE_MAX - sizeof(struct arena_chunk))
		return NULL;
	struct arena_chunk *k = malloc(sizeof *k + n);
	if (!k)
		return NULL;
	k->end = k->data + n;
	k->next = tc.big;
	tc.big = k;
	return k->data;
}

static int in_arena(const void *p)
{
	for (const struct arena_chunk *k = tc.chunks; k; k = k->next)
		if ((const char *)p >= k->data && (const char *)p < k->end)
			return 1;
	for (const struct arena_chunk *k = tc.big; k; k = k->next)
		if ((const char *)p >= k->data && (const char *)p < k->end)
			return 1;
	return 0;
}

void json_arena_drop(cJSON *root)
{
	/* Inside a scope whose every block is the arena's, json_arena_end
	 * takes the tree back: walking it to free nothing would be waste. */
	if (tc.arena_depth && tc.fallbacks == 0)
		return;
	cJSON_Delete(root);
}

void json_arena_begin(void)
{
	if (tc.arena_depth++ == 0) {
		tc.cur = NULL;
		tc.bump = NULL;
		tc.fallbacks = 0;
	}
}

void json_arena_end(void)
{
	if (tc.arena_depth == 0 || --tc.arena_depth > 0)
		return;
	/* Keep ARENA_KEEP chunks for the next scope; a rare huge answer's
	 * extra chunks go back. */
	struct arena_chunk *k = tc.chunks;
	for (unsigned i = 1; k && i < ARENA_KEEP; i++)
		k = k->next;
	if (k) {
		struct arena_chunk *rest = k->next;
		k->next = NULL;
		while (rest) {
			struct arena_chunk *x = rest;
			rest = rest->next;
			free(x);
		}
	}
	while (tc.big) {
		struct arena_chunk *x = tc.big;
		tc.big = x->next;
		free(x);
	}
	tc.cur = NULL;
	tc.bump = NULL;
}

static void *cached_malloc(size_t n)
{
	if (tc.arena_depth) {
		void *p = n <= ARENA_BLOCK_MAX ? arena_alloc(n) : arena_big(n);
		if (p)
			return p;
		tc.fallbacks++;
	}
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
	/* Arena blocks are freed only inside their scope (json_alloc.h), so
	 * outside one no free pays for the chunk look-up. */
	if (tc.arena_depth && in_arena(p))
		return; /* taken back whole at json_arena_end */
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
	if (ensure_registered() != 0) {
		free(p);
		return;
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
