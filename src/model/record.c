/* Unified records (see record.h). */
#include "model/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/str.h"

void record_init(struct record *r, enum sheet_kind sheet)
{
	memset(r, 0, sizeof *r);
	r->sheet = sheet;
}

void record_clear(struct record *r)
{
	memset(r->off, 0, sizeof r->off);
	buf_reset(&r->arena);
}

void record_free(struct record *r)
{
	buf_free(&r->arena);
	memset(r->off, 0, sizeof r->off);
}

const char *record_get(const struct record *r, enum field_id f)
{
	if (!r->off[f])
		return "";
	return r->arena.data + r->off[f];
}

bool record_has(const struct record *r, enum field_id f)
{
	return r->off[f] != 0 && r->arena.data[r->off[f]] != '\0';
}

int record_setn(struct record *r, enum field_id f, const char *v, size_t n)
{
	if (!v || n == 0) {
		r->off[f] = 0;
		return 0;
	}
	/* v may point into our own arena, which the append may move. */
	size_t src_off = 0;
	int inside = r->arena.data && v >= r->arena.data && v < r->arena.data + r->arena.len;
	if (inside)
		src_off = (size_t)(v - r->arena.data);
	if (r->arena.len == 0 && buf_putc(&r->arena, '\0') < 0) /* offset 0 means empty */
		return -1;
	if (r->arena.len + n + 1 > UINT32_MAX || buf_reserve(&r->arena, n + 1) < 0)
		return -1;
	if (inside)
		v = r->arena.data + src_off;
	uint32_t at = (uint32_t)r->arena.len;
	memmove(r->arena.data + at, v, n);
	r->arena.data[at + n] = '\0';
	r->arena.len += n + 1;
	r->arena.data[r->arena.len] = '\0';
	r->off[f] = at;
	return 0;
}

int record_set(struct record *r, enum field_id f, const char *v)
{
	return record_setn(r, f, v, v ? strlen(v) : 0);
}

int record_setf(struct record *r, enum field_id f, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof tmp)
		return record_setn(r, f, tmp, (size_t)n);
	struct buf b = BUF_INIT;
	va_start(ap, fmt);
	int rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = record_setn(r, f, b.data, b.len);
	buf_free(&b);
	return rc;
}

int record_set_i64(struct record *r, enum field_id f, int64_t v)
{
	char tmp[STR_I64_MAX];
	size_t n = str_from_i64(v, tmp);
	return record_setn(r, f, tmp, n);
}

int record_get_i64(const struct record *r, enum field_id f, int64_t *out)
{
	return str_to_i64(record_get(r, f), out);
}

int record_copy(struct record *dst, const struct record *src)
{
	record_init(dst, src->sheet);
	if (src->arena.len && buf_append(&dst->arena, src->arena.data, src->arena.len) < 0)
		return -1;
	memcpy(dst->off, src->off, sizeof dst->off);
	return 0;
}
