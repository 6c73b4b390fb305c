/* cJSON's allocations through a per-thread cache of small blocks. cJSON makes
 * a node (64 bytes) and mostly a key and a value string per JSON value, and
 * frees them one by one when a page's tree is deleted: tens of thousands per
 * page, which glibc's own per-thread cache (7 blocks a size) mostly passes on
 * to its slower paths. Blocks stay ordinary malloc blocks, so memory cJSON
 * hands out may still be freed with free(), and memory from malloc may be
 * given to cJSON_Delete. */
#ifndef OB_UTIL_JSON_ALLOC_H
#define OB_UTIL_JSON_ALLOC_H

#include <stddef.h>

/* Installs the hooks (cJSON_InitHooks). Call once, before any thread uses
 * cJSON; without it cJSON uses malloc and free directly. Returns 0, or -1
 * when the thread cache could not be set up (cJSON then keeps malloc). */
int json_alloc_init(void);

/* Blocks the calling thread keeps for reuse (for tests). */
size_t json_alloc_cached(void);

#endif
