/* Masking of secrets and personal data before anything reaches a log line or
 * an error message. A parameter is sensitive when its name contains one of
 * key, secret, token, sign, password, auth, cookie, phone, tel, name, addr,
 * email (ASCII case-insensitive); its value becomes "***", the name stays so
 * the line still says what was sent. Functions append to out and return 0, or
 * -1 when memory runs out. */
#ifndef OB_NET_REDACT_H
#define OB_NET_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define REDACT_MASK "***"

/* True when a parameter or field called name (n bytes) must not be shown. */
bool redact_name_is_sensitive(const char *name, size_t n);

/* Appends url with the values of sensitive query parameters masked, any
 * user:password@ part masked, and the fragment dropped. The rest (scheme,
 * host, path, other parameters) stays byte for byte. */
int redact_url(const char *url, struct buf *out);

/* Appends free text (an error body, a header dump) with the values of
 * sensitive "name=value", "name: value" and JSON "name": value pairs
 * masked. Header-style "Name: value" (name not quoted) masks to the end of
 * the line, so "Authorization: Bearer x" loses the whole credential. */
int redact_text(const char *text, size_t len, struct buf *out);

#endif
