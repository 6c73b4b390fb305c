/* cJSON through the per-thread block cache (util/json_alloc.h): trees parse
 * and delete the same as with malloc, blocks are reused and bounded, memory
 * crosses between cJSON and malloc/free both ways, and threads that end give
 * their cached blocks back (ASan's leak check runs over this program). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/json.h"
#include "util/json_alloc.h"

static const char doc[] =
	"{\"data\":[{\"shipmentBoxId\":642538971006401429,\"orderId\":2000006593044,"
	"\"orderer\":{\"name\":\"홍길동\",\"email\":\"a@b.c\"},\"status\":\"ACCEPT\","
	"\"orderItems\":[{\"vendorItemName\":\"a long product name that is longer than a hundred and "
	"twenty bytes so that it goes to malloc itself and not to the cache of small blocks\","
	"\"shippingCount\":2,\"orderPrice\":12000}]}],\"nextToken\":\"\"}";

static void check_tree(const cJSON *root)
{
	const cJSON *d = cJSON_GetArrayItem(json_get(root, "data"), 0);
	char id[32];
	assert_int_equal(json_id(d, "shipmentBoxId", id, sizeof id), 0);
	assert_string_equal(id, "642538971006401429");
	assert_string_equal(json_str(json_get(d, "orderer"), "name"), "홍길동");
	int64_t price;
	assert_int_equal(json_i64(cJSON_GetArrayItem(json_get(d, "orderItems"), 0), "orderPrice", &price), 0);
	assert_int_equal(price, 12000);
}

static void test_reuse_is_bounded(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	size_t after_first = 0;
	for (int i = 0; i < 2000; i++) {
		cJSON *root = json_parse(doc, strlen(doc), &err);
		assert_non_null(root);
		check_tree(root);
		cJSON_Delete(root);
		if (i == 0)
			after_first = json_alloc_cached();
		/* the same tree again takes its blocks from the cache */
		assert_true(json_alloc_cached() <= after_first);
	}
	assert_true(after_first > 10);
	/* A tree far bigger than the cache: what does not fit goes back to malloc. */
	char *big = malloc(4 * 1024 * 1024);
	assert_non_null(big);
	size_t n = 0;
	n += (size_t)sprintf(big + n, "[");
	for (int i = 0; i < 100000; i++)
		n += (size_t)sprintf(big + n, "%s{\"k\":\"v%d\"}", i ? "," : "", i);
	n += (size_t)sprintf(big + n, "]");
	cJSON *root = json_parse(big, n, &err);
	assert_non_null(root);
	assert_int_equal(cJSON_GetArraySize(root), 100000);
	cJSON_Delete(root);
	assert_true(json_alloc_cached() <= 32768);
	free(big);
}

/* Blocks are plain malloc blocks both ways. */
static void test_mixes_with_malloc(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	cJSON *root = json_parse(doc, strlen(doc), &err);
	assert_non_null(root);
	char *text = cJSON_PrintUnformatted(root);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"642538971006401429\""));
	free(text); /* printed by cJSON, freed by free() */
	cJSON *status = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(json_get(root, "data"), 0), "status");
	cJSON_free(status->valuestring);
	status->valuestring = strdup("INSTRUCT"); /* malloc'ed, deleted by cJSON */
	assert_non_null(status->valuestring);
	cJSON_Delete(root);
	void *p = cJSON_malloc(40);
	assert_non_null(p);
	free(p);
	p = malloc(33);
	assert_non_null(p);
	cJSON_free(p);
	cJSON_free(NULL);
}

/* Parses 300 times, in an arena scope each when arg is not NULL. */
static void *worker(void *arg)
{
	struct ob_err err = OB_ERR_INIT;
	for (int i = 0; i < 300; i++) {
		if (arg)
			json_arena_begin();
		cJSON *root = json_parse(doc, strlen(doc), &err);
		if (!root)
			return (void *)1;
		cJSON_Delete(root);
		if (arg)
			json_arena_end();
	}
	/* without the arena, the thread's cache holds the blocks */
	return arg || json_alloc_cached() > 0 ? NULL : (void *)2;
}

static void run_threads(void *arg)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, arg), 0);
	for (int i = 0; i < 4; i++) {
		void *rc;
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

/* Threads parse side by side; each keeps its own blocks and frees them at
 * its end (a leak would fail this program under ASan). */
static void test_threads(void **state)
{
	(void)state;
	run_threads(NULL);
}

/* The arena scope: trees parse and delete as before, their blocks never
 * enter the block cache, memory is reused from one scope to the next, scopes
 * nest, blocks from before the scope may still be freed inside it, and a
 * tree dropped whole (long strings in blocks of their own included) is given
 * back at the scope's end. */
static void test_arena(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	cJSON *outside = json_parse(doc, strlen(doc), &err); /* malloc/cache blocks */
	assert_non_null(outside);
	size_t cached = json_alloc_cached();
	const void *first_node = NULL;
	for (int i = 0; i < 200; i++) {
		json_arena_begin();
		cJSON *root = json_parse(doc, strlen(doc), &err);
		assert_non_null(root);
		check_tree(root);
		if (i == 0)
			first_node = root;
		else
			assert_ptr_equal(root, first_node); /* the same arena memory again */
		json_arena_begin(); /* nested: still the same scope */
		cJSON *inner = json_parse(doc, strlen(doc), &err);
		assert_non_null(inner);
		check_tree(inner);
		cJSON_Delete(inner);
		json_arena_end();
		if (i == 0)
			cJSON_Delete(outside); /* made before the scope, freed inside it */
		cJSON_Delete(root);
		json_arena_end();
		if (i == 0)
			cached = json_alloc_cached();
		assert_int_equal(json_alloc_cached(), cached); /* arena blocks stay out of the cache */
	}
	/* A tree bigger than many chunks, with strings above the arena's block
	 * size (those go to malloc and back). */
	char *big = malloc(8 * 1024 * 1024);
	assert_non_null(big);
	size_t n = 0;
	n += (size_t)sprintf(big + n, "[");
	for (int i = 0; i < 60000; i++) {
		n += (size_t)sprintf(big + n, "%s{\"k\":\"v%d\",\"long\":\"", i ? "," : "", i);
		size_t len = i % 1000 == 0 ? 5000 : 20;
		memset(big + n, 'x', len);
		n += len;
		n += (size_t)sprintf(big + n, "\"}");
	}
	n += (size_t)sprintf(big + n, "]");
	json_arena_begin();
	cJSON *root = json_parse(big, n, &err);
	assert_non_null(root);
	assert_int_equal(cJSON_GetArraySize(root), 60000);
	assert_int_equal(strlen(json_str(cJSON_GetArrayItem(root, 1000), "long")), 5000);
	json_arena_drop(root); /* nothing walked: the end takes it all back (ASan: no leak) */
	json_arena_end();
	/* the same tree again, deleted the long way inside the scope */
	json_arena_begin();
	root = json_parse(big, n, &err);
	assert_non_null(root);
	cJSON_Delete(root);
	json_arena_end();
	/* outside a scope json_arena_drop deletes (ASan: no leak) */
	root = json_parse(big, n, &err);
	assert_non_null(root);
	json_arena_drop(root);
	json_arena_end(); /* one end too many does nothing */
	/* outside a scope the cache works as before */
	cJSON *after = json_parse(doc, strlen(doc), &err);
	assert_non_null(after);
	cJSON_Delete(after);
	free(big);
}

/* Each thread has its own arena, given back when the thread ends (a leak
 * would fail this program under ASan). */
static void test_arena_threads(void **state)
{
	(void)state;
	run_threads((void *)1);
}

int main(void)
{
	if (json_alloc_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse_is_bounded),
		cmocka_unit_test(test_mixes_with_malloc),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_arena_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
