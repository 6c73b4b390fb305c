/* Wire helpers the sandbox markets share: raw query parameters, headers, JSON
 * answers, and JSON parsing that keeps 18-digit ids exact. Parsing goes through
 * the project's lossless layer (util/json.h): one implementation of the
 * long-integer quoting to get right, tested on its own in unit/json. */
#include "sandbox/sandbox.h"

#include "util/json.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..len) into out (size n). */
static int query_decode(const char *s, size_t len, char *out, size_t n)
{
	size_t w = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (w + 1 >= n)
			return -1;
		out[w++] = c;
	}
	out[w] = '\0';
	return 0;
}

int sandbox_query_get(const char *query, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = query ? query : "";
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen;
		char key[128];
		if (klen < sizeof key && query_decode(p, klen, key, sizeof key) == 0 &&
		    strlen(key) == nl && memcmp(key, name, nl) == 0) {
			if (!eq) {
				if (n)
					out[0] = '\0';
				return 1;
			}
			return query_decode(eq + 1, plen - klen - 1, out, n) < 0 ? -1 : 1;
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	return 0;
}

const char *sandbox_header(const struct sandbox_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

int sandbox_respond_json(struct sandbox_response *resp, int status, cJSON *root)
{
	if (!root)
		return -1;
	char *text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!text)
		return -1;
	buf_reset(&resp->body);
	int rc = buf_puts(&resp->body, text);
	free(text);
	if (rc < 0)
		return -1;
	resp->status = status;
	resp->content_type = "application/json;charset=UTF-8";
	return 0;
}

cJSON *sandbox_json_parse(const char *text, size_t len)
{
	struct ob_err err = OB_ERR_INIT;
	return json_parse(text, len, &err);
}

static int digits_u64(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -1;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int sandbox_json_u64(const cJSON *v, uint64_t *out)
{
	if (!v)
		return -1;
	if (cJSON_IsRaw(v) || cJSON_IsString(v))
		return digits_u64(v->valuestring, out);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		/* Beyond 2^53 the double may already be a different id. */
		if (d < 0 || d > 9007199254740992.0 || floor(d) != d)
			return -1;
		*out = (uint64_t)d;
		return 0;
	}
	return -1;
}

cJSON *sandbox_json_u64_raw(uint64_t v)
{
	char t[24];
	snprintf(t, sizeof t, "%" PRIu64, v);
	return cJSON_CreateRaw(t);
}

cJSON *sandbox_json_i64_raw(int64_t v)
{
	char t[24];
	snprintf(t, sizeof t, "%" PRId64, v);
	return cJSON_CreateRaw(t);
}

void sandbox_time_text(ob_time t, int usec, char *out, size_t n)
{
	char base[32];
	kst_strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", t);
	if (usec >= 0)
		snprintf(out, n, "%s.%06d+09:00", base, usec % 1000000);
	else if (usec == -2)
		snprintf(out, n, "%s+09:00", base);
	else
		snprintf(out, n, "%s", base);
}
