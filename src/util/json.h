/* Lossless JSON on top of cJSON. cJSON stores every number as a double, which
 * silently changes integers beyond 2^53 (Coupang shipmentBoxId has 18 digits,
 * responseKey is a negative 64-bit number). json_parse quotes every integer
 * literal of more than 15 digits outside strings before cJSON sees it, so such
 * ids arrive as strings; json_id reads an id as text whether it came as a
 * string or a number; json_add_id puts long ids into request bodies as raw
 * number text (cJSON_CreateRaw). */
#ifndef OB_UTIL_JSON_H
#define OB_UTIL_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Appends text to out with long integer literals quoted (exposed for tests). */
int json_quote_big_ints(const char *text, size_t len, struct buf *out);
/* Parses text losslessly; returns NULL and fills err when it is not JSON. The
 * caller frees the result with cJSON_Delete. */
cJSON *json_parse(const char *text, size_t len, struct ob_err *err);

/* Member lookups; obj may be NULL (then they return "missing"). */
const cJSON *json_get(const cJSON *obj, const char *key);
/* Path lookup "a.b.c" through objects. */
const cJSON *json_path(const cJSON *obj, const char *path);
/* String value, or NULL when missing, null or not a string. */
const char *json_str(const cJSON *obj, const char *key);
/* Id as text from a string or an integral number; returns -1 (and out = "")
 * when missing, null, "", not integral (or beyond 15 digits as a number,
 * which json_parse never leaves), or longer than n - 1: never cut. */
int json_id(const cJSON *obj, const char *key, char *out, size_t n);
/* Same for an array element or a bare value. */
int json_value_id(const cJSON *v, char *out, size_t n);
/* Integer from an integral number or a decimal string; -1 otherwise. */
int json_i64(const cJSON *obj, const char *key, int64_t *out);
/* Money: a plain number (v4, KRW; a fraction is cut), a decimal string, or a
 * Money object {currencyCode, units, nanos} (v5; units may be a string, and
 * is 0 when left out as protobuf JSON does); units is returned (KRW has no
 * minor unit). null, missing or anything else -> -1. */
int json_money(const cJSON *obj, const char *key, int64_t *out);
/* Boolean (true/false, or "true"/"false" strings); def when missing. */
bool json_bool(const cJSON *obj, const char *key, bool def);

/* Adds an integer id given as text without passing through a double. The text
 * must be a JSON integer: an optional '-' and digits without leading zeros
 * (such an id has to go as a string); returns NULL otherwise. */
cJSON *json_add_id(cJSON *obj, const char *key, const char *digits);
cJSON *json_create_id(const char *digits);
/* Compact text of item (caller frees with free()). */
char *json_print(const cJSON *item);

#endif
