/* Lossless JSON on top of cJSON (see json.h): long integer literals are quoted
 * before cJSON turns them into doubles, ids are read back as text, and request
 * bodies carry long ids as raw number text. */
#include "util/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

/* A double holds every integer of up to 15 decimal digits exactly; longer
 * literals may not survive, so they are turned into strings. */
#define JSON_EXACT_DIGITS 15
/* The largest integer that is still exact when it did arrive as a number. */
#define JSON_EXACT_MAX 999999999999999.0
/* How much of a body that is not JSON the error message shows. */
#define JSON_SNIPPET_MAX 60

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int json_quote_big_ints(const char *text, size_t len, struct buf *out)
{
	size_t i = 0, run = 0; /* bytes [run, i) are still to be copied verbatim */

	while (i < len) {
		char c = text[i];
		if (c == '"') {
			/* Skip the whole string: to the next quote not escaped, i.e.
			 * after an even run of backslashes (\" \\ and the 'u' of \uXXXX
			 * never end a string). */
			size_t from = ++i;
			for (;;) {
				const char *q = memchr(text + i, '"', len - i);
				if (!q) {
					i = len;
					break;
				}
				size_t j = (size_t)(q - text), bs = 0;
				while (j - bs > from && text[j - 1 - bs] == '\\')
					bs++;
				i = j + 1;
				if (bs % 2 == 0)
					break;
			}
			continue;
		}
		if (c != '-' && !is_digit(c)) {
			i++;
			continue;
		}
		size_t start = i, p = i;
		if (text[p] == '-')
			p++;
		size_t digits_at = p;
		while (p < len && is_digit(text[p]))
			p++;
		size_t ndigits = p - digits_at;
		if (p < len && (text[p] == '.' || text[p] == 'e' || text[p] == 'E')) {
			/* A float stays as it is, exponent digits included. */
			while (p < len && (is_digit(text[p]) || text[p] == '.' || text[p] == 'e' ||
					   text[p] == 'E' || text[p] == '+' || text[p] == '-'))
				p++;
			i = p;
			continue;
		}
		if (ndigits <= JSON_EXACT_DIGITS) {
			i = p > start ? p : start + 1;
			continue;
		}
		if (buf_append(out, text + run, start - run) < 0 || buf_putc(out, '"') < 0 ||
		    buf_append(out, text + start, p - start) < 0 || buf_putc(out, '"') < 0)
			return -1;
		i = run = p;
	}
	if (buf_append(out, text + run, len - run) < 0)
		return -1;
	return 0;
}

/* The first bytes of a body for an error message, control and non-ASCII
 * bytes shown as '.', so a binary or HTML answer cannot garble the terminal. */
static void json_snippet(const char *text, size_t len, char *out, size_t n)
{
	size_t i = 0, o = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	for (; i < len && o < JSON_SNIPPET_MAX && o + 1 < n; i++) {
		unsigned char c = (unsigned char)text[i];
		out[o++] = c == '\n' || c == '\r' || c == '\t' ? ' ' : c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	out[o] = '\0';
}

cJSON *json_parse(const char *text, size_t len, struct ob_err *err)
{
	if (!text || len == 0) {
		ob_errf(err, OB_ENET, "response is not JSON (empty body)");
		return NULL;
	}
	struct buf q = BUF_INIT;
	if (json_quote_big_ints(text, len, &q) < 0) {
		buf_free(&q);
		ob_err_nomem(err);
		return NULL;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(q.data, q.len, &end, 0);
	if (root) {
		/* cJSON stops after the first value; anything but blanks after it
		 * means the body is not one JSON document. */
		const char *stop = q.data + q.len;
		while (end && end < stop && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
			end++;
		if (end != stop) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	buf_free(&q);
	if (!root) {
		char snip[JSON_SNIPPET_MAX + 1];
		json_snippet(text, len, snip, sizeof snip);
		ob_errf(err, OB_ENET, "response is not JSON (first bytes: %s)", snip);
	}
	return root;
}

const cJSON *json_get(const cJSON *obj, const char *key)
{
	if (!obj || !key || !cJSON_IsObject(obj))
		return NULL;
	/* cJSON_GetObjectItemCaseSensitive's walk, with the first byte compared
	 * before strcmp is called: the mappings look up some forty keys in
	 * objects of as many members, and most members differ at once. */
	for (const cJSON *c = obj->child; c; c = c->next)
		if (c->string && c->string[0] == key[0] && strcmp(c->string, key) == 0)
			return c;
	return NULL;
}

const cJSON *json_path(const cJSON *obj, const char *path)
{
	if (!path)
		return NULL;
	const char *p = path;
	while (obj) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (!cJSON_IsObject(obj))
			return NULL;
		const cJSON *found = NULL;
		for (const cJSON *ch = obj->child; ch; ch = ch->next) {
			if (ch->string && strlen(ch->string) == n && memcmp(ch->string, p, n) == 0) {
				found = ch;
				break;
			}
		}
		obj = found;
		if (!dot)
			return obj;
		p = dot + 1;
	}
	return NULL;
}

const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = json_get(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* True when d is an integer that a double represents exactly as it came. */
static int exact_integral(double d)
{
	return isfinite(d) && d == floor(d) && fabs(d) <= JSON_EXACT_MAX;
}

int json_value_id(const cJSON *v, char *out, size_t n)
{
	if (!out || n == 0)
		return -1;
	out[0] = '\0';
	if (cJSON_IsString(v)) {
		size_t len = strlen(v->valuestring);
		/* An empty id is no id; a truncated id would name another order. */
		if (len == 0 || len >= n)
			return -1;
		memcpy(out, v->valuestring, len + 1);
		return 0;
	}
	if (cJSON_IsNumber(v) && exact_integral(v->valuedouble)) {
		/* An exact integer (|d| <= 2^53) converts to int64 without loss
		 * (snprintf("%.0f") was the cost of every id of a page). -0
		 * prints as 0. */
		char tmp[STR_I64_MAX];
		size_t len = str_from_i64((int64_t)v->valuedouble, tmp);
		if (len >= n)
			return -1;
		memcpy(out, tmp, len + 1);
		return 0;
	}
	return -1;
}

int json_id(const cJSON *obj, const char *key, char *out, size_t n)
{
	return json_value_id(json_get(obj, key), out, n);
}

/* Integer from a number (exact integral only) or a decimal string (long ids
 * and int64 values arrive as strings after json_quote_big_ints). */
static int value_i64(const cJSON *v, int64_t *out)
{
	if (cJSON_IsNumber(v)) {
		if (!exact_integral(v->valuedouble))
			return -1;
		*out = (int64_t)v->valuedouble;
		return 0;
	}
	if (cJSON_IsString(v))
		return str_to_i64(v->valuestring, out);
	return -1;
}

int json_i64(const cJSON *obj, const char *key, int64_t *out)
{
	int64_t v;
	if (value_i64(json_get(obj, key), &v) < 0)
		return -1;
	*out = v;
	return 0;
}

int json_money(const cJSON *obj, const char *key, int64_t *out)
{
	const cJSON *v = json_get(obj, key);
	int64_t units = 0;
	if (cJSON_IsNumber(v)) {
		/* Won have no minor unit; a fraction is cut like Money.units cuts it. */
		double d = trunc(v->valuedouble);
		if (!isfinite(d) || fabs(d) > JSON_EXACT_MAX)
			return -1;
		*out = (int64_t)d;
		return 0;
	}
	if (cJSON_IsString(v)) {
		if (str_to_i64(v->valuestring, &units) < 0)
			return -1;
		*out = units;
		return 0;
	}
	if (cJSON_IsObject(v)) {
		const cJSON *u = json_get(v, "units");
		if (u && !cJSON_IsNull(u)) {
			if (value_i64(u, &units) < 0)
				return -1;
		} else if (!json_get(v, "currencyCode") && !json_get(v, "nanos")) {
			return -1;
		}
		/* Protobuf JSON leaves out zero fields: {currencyCode} alone is 0. */
		*out = units;
		return 0;
	}
	return -1;
}

bool json_bool(const cJSON *obj, const char *key, bool def)
{
	const cJSON *v = json_get(obj, key);
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsString(v)) {
		if (str_eq_ci(v->valuestring, "true"))
			return true;
		if (str_eq_ci(v->valuestring, "false"))
			return false;
	}
	return def;
}

/* A JSON integer literal: '-'? then '0' or a digit 1-9 followed by digits.
 * Leading zeros are not JSON, so such an id has to go as a string. */
static bool valid_int_literal(const char *s)
{
	if (!s)
		return false;
	if (*s == '-')
		s++;
	if (!is_digit(*s))
		return false;
	if (*s == '0')
		return s[1] == '\0';
	return str_is_digits(s);
}

cJSON *json_create_id(const char *digits)
{
	if (!valid_int_literal(digits))
		return NULL;
	return cJSON_CreateRaw(digits);
}

cJSON *json_add_id(cJSON *obj, const char *key, const char *digits)
{
	if (!obj || !key || !cJSON_IsObject(obj))
		return NULL;
	cJSON *item = json_create_id(digits);
	if (!item)
		return NULL;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

char *json_print(const cJSON *item)
{
	if (!item)
		return NULL;
	return cJSON_PrintUnformatted(item);
}
