/* Small string helpers (see str.h). */
#include "util/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *ob_strdup(const char *s)
{
	return ob_strndup(s, strlen(s));
}

char *ob_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool str_eq_ci(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcasecmp(a, b) == 0;
}

bool str_empty(const char *s)
{
	return !s || !*s;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t str_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return len;
}

char *str_trim(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	size_t i = 0;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

bool str_is_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int str_to_i64(const char *s, int64_t *out)
{
	if (!s || !*s)
		return -1;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!str_is_digits(p))
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

size_t str_from_i64(int64_t v, char out[STR_I64_MAX])
{
	char tmp[STR_I64_MAX];
	size_t i = sizeof tmp;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		tmp[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		tmp[--i] = '-';
	size_t n = sizeof tmp - i;
	memcpy(out, tmp + i, n);
	out[n] = '\0';
	return n;
}

int str_split(const char *s, char sep, int (*fn)(void *ctx, const char *part), void *ctx)
{
	const char *p = s;
	while (p && *p) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char part[256];
		if (n >= sizeof part)
			n = sizeof part - 1;
		memcpy(part, p, n);
		part[n] = '\0';
		str_trim(part);
		if (*part) {
			int rc = fn(ctx, part);
			if (rc)
				return rc;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

bool str_valid_utf8(const char *s, size_t n)
{
	/* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. */
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned char c = *p;
		if (c < 0x80) {
			/* ASCII runs, eight bytes at a time */
			uint64_t w;
			p++;
			while (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0))
				p += 8;
			continue;
		}
		size_t left = (size_t)(end - p);
		if (c >= 0xE0 && c <= 0xEF) { /* three bytes: Hangul and most of CJK */
			if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
				return false;
			p += 3;
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (left < 2 || (p[1] & 0xC0) != 0x80)
				return false;
			p += 2;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (p[3] & 0xC0) != 0x80 || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
				return false;
			p += 4;
		} else {
			return false; /* a continuation byte, C0/C1 (overlong) or F5..FF */
		}
	}
	return true;
}
