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

#include <cjson/cJSON.h>

/* Installs the hooks (cJSON_InitHooks). Call once, before any thread uses
 * cJSON; without it cJSON uses malloc and free directly. Returns 0, or -1
 * when the thread cache could not be set up (cJSON then keeps malloc). */
int json_alloc_init(void);

/* Between json_arena_begin and json_arena_end the calling thread's small
 * cJSON blocks come from an arena of its own (a pointer bump) and freeing
 * them costs nothing; json_arena_end takes the arena back whole, for the next
 * scope. For a scope that parses an answer, maps it and deletes the tree:
 * every cJSON value made inside must be deleted inside (cJSON_Delete), and
 * nothing cJSON allocates inside may be kept or given to free() (no
 * cJSON_Print there). Scopes nest; a thread without one is unaffected. */
void json_arena_begin(void);
void json_arena_end(void);
/* cJSON_Delete(root), which inside a scope costs nothing when every block
 * since the scope began came from the arena (its end takes them back). */
void json_arena_drop(cJSON *root);

/* Blocks the calling thread keeps for reuse (for tests). */
size_t json_alloc_cached(void);

#endif
