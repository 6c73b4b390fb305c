/* Masking of secrets and personal data in URLs and free text (see redact.h).
 * Over-masking is harmless in a log line; a leaked key or phone number is not,
 * so every rule here errs on the side of masking. */
#include "net/redact.h"

#include <string.h>
#include <strings.h>

static const char *const sensitive_words[] = {
	"key", "secret", "token", "sign", "password", "auth", "cookie",
	"phone", "tel", "name", "addr", "email",
};

bool redact_name_is_sensitive(const char *name, size_t n)
{
	for (size_t w = 0; w < sizeof sensitive_words / sizeof *sensitive_words; w++) {
		size_t wl = strlen(sensitive_words[w]);
		for (size_t i = 0; i + wl <= n; i++)
			if (strncasecmp(name + i, sensitive_words[w], wl) == 0)
				return true;
	}
	return false;
}

/* Appends one query parameter "name=value" (or a bare name), masked if needed. */
static int put_param(struct buf *out, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	if (!eq || !redact_name_is_sensitive(p, (size_t)(eq - p)))
		return buf_append(out, p, n);
	if (buf_append(out, p, (size_t)(eq - p) + 1) < 0)
		return -1;
	return buf_puts(out, REDACT_MASK);
}

int redact_url(const char *url, struct buf *out)
{
	if (!url)
		return 0;
	const char *p = url;
	const char *scheme_end = strstr(p, "://");
	const char *first_delim = p + strcspn(p, "/?#");
	if (scheme_end && scheme_end < first_delim) {
		const char *auth = scheme_end + 3;
		size_t alen = strcspn(auth, "/?#");
		const char *at = NULL;
		for (const char *q = auth; q < auth + alen; q++)
			if (*q == '@')
				at = q;
		if (buf_append(out, p, (size_t)(auth - p)) < 0)
			return -1;
		if (at) {
			/* user:password@host: neither part belongs in a log. */
			if (buf_puts(out, REDACT_MASK "@") < 0)
				return -1;
			if (buf_append(out, at + 1, (size_t)(auth + alen - at - 1)) < 0)
				return -1;
		} else if (buf_append(out, auth, alen) < 0) {
			return -1;
		}
		p = auth + alen;
	}
	size_t plen = strcspn(p, "?#");
	if (buf_append(out, p, plen) < 0)
		return -1;
	p += plen;
	if (*p != '?')
		return 0; /* no query; a fragment is never sent, so it is dropped */
	if (buf_putc(out, '?') < 0)
		return -1;
	p++;
	while (*p && *p != '#') {
		size_t n = strcspn(p, "&#");
		if (put_param(out, p, n) < 0)
			return -1;
		p += n;
		if (*p == '&') {
			if (buf_putc(out, '&') < 0)
				return -1;
			p++;
		}
	}
	return 0;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* Length of a quote at p: 1 for '"', 2 for an escaped '\"' (JSON inside a
 * JSON string), 0 otherwise. */
static size_t quote_len(const char *p, const char *end)
{
	if (p < end && *p == '"')
		return 1;
	if (end - p >= 2 && p[0] == '\\' && p[1] == '"')
		return 2;
	return 0;
}

/* End of the value that starts at v (after "name=" or "name:"). */
static const char *value_end(const char *v, const char *end, bool json, bool header)
{
	size_t ql = quote_len(v, end);
	if (ql == 1) {
		const char *p = v + 1;
		while (p < end && *p != '"')
			p += *p == '\\' ? 2 : 1;
		return p < end ? p + 1 : end;
	}
	if (ql == 2) {
		const char *p = v + 2;
		while (p < end && quote_len(p, end) != 2)
			p++;
		return p < end ? p + 2 : end;
	}
	if (header) {
		while (v < end && *v != '\n' && *v != '\r')
			v++;
		return v;
	}
	if (json && (*v == '{' || *v == '[')) {
		/* A nested object or array (an address block): skip it whole. */
		int depth = 0;
		const char *p = v;
		while (p < end) {
			if (*p == '"') {
				p++;
				while (p < end && *p != '"')
					p += *p == '\\' ? 2 : 1;
				if (p < end)
					p++;
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return end;
	}
	while (v < end && !strchr("&,;\"'<>()[]{} \t\r\n", *v))
		v++;
	return v;
}

int redact_text(const char *text, size_t len, struct buf *out)
{
	if (!text)
		return 0;
	const char *p = text, *end = text + len;
	const char *run = p; /* [run, p) is copied as it is */
	while (p < end) {
		if (!is_name_char(*p)) {
			p++;
			continue;
		}
		const char *name = p;
		bool quoted = name > text && (name[-1] == '"');
		while (p < end && is_name_char(*p))
			p++;
		size_t nlen = (size_t)(p - name);
		if (!redact_name_is_sensitive(name, nlen))
			continue;
		const char *s = p + quote_len(p, end);
		quoted = quoted && s > p;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end || (*s != '=' && *s != ':'))
			continue;
		bool header = *s == ':' && !quoted;
		bool json = *s == ':' && quoted;
		s++;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		const char *v_end = value_end(s, end, json, header);
		if (v_end == s) {
			p = s;
			continue; /* empty value: nothing to hide */
		}
		if (buf_append(out, run, (size_t)(s - run)) < 0)
			return -1;
		size_t ql = quote_len(s, end);
		if (ql) {
			if (buf_append(out, s, ql) < 0 || buf_puts(out, REDACT_MASK) < 0 ||
			    buf_append(out, s, ql) < 0)
				return -1;
		} else if (buf_puts(out, REDACT_MASK) < 0) {
			return -1;
		}
		p = run = v_end;
	}
	return buf_append(out, run, (size_t)(end - run));
}
