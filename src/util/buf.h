/* Growable byte buffers. A struct buf owns its memory; buf_free releases it.
 * Every append keeps data NUL-terminated, so buf_cstr() is always a C string.
 * Functions return 0 on success and -1 when memory runs out (the buffer is then
 * left as it was). */
#ifndef OB_UTIL_BUF_H
#define OB_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Percent-encodes s (RFC 3986 unreserved characters stay as they are). */
int buf_put_urlenc(struct buf *b, const char *s);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the memory to the caller (who frees it); the buffer becomes empty. */
char *buf_detach(struct buf *b);
const char *buf_cstr(const struct buf *b);

#endif
