/* The spool form of a record (see record_io.h): the sheet byte, then each
 * non-empty field as (field id byte, 32-bit length, bytes), then 0xFF. Empty
 * fields take no space, so a typical order line is about its text size. */
#include "model/record_io.h"

#include <stdint.h>
#include <string.h>

_Static_assert(F__COUNT < 255, "field ids fit in one byte below the end mark");

#define END_MARK 0xFF

int record_write(FILE *f, const struct record *r)
{
	if (putc((int)r->sheet, f) == EOF)
		return -1;
	for (int i = 0; i < F__COUNT; i++) {
		if (!r->off[i])
			continue;
		const char *v = record_get(r, (enum field_id)i);
		uint32_t n = (uint32_t)strlen(v);
		if (putc(i, f) == EOF || fwrite(&n, sizeof n, 1, f) != 1 || fwrite(v, 1, n, f) != n)
			return -1;
	}
	return putc(END_MARK, f) == EOF ? -1 : 0;
}

int record_read(FILE *f, struct record *r, struct buf *scratch)
{
	int c = getc(f);
	if (c == EOF)
		return ferror(f) ? -1 : 0;
	record_clear(r);
	r->sheet = (enum sheet_kind)c;
	for (;;) {
		int id = getc(f);
		if (id == END_MARK)
			return 1;
		uint32_t n;
		if (id == EOF || id >= F__COUNT || fread(&n, sizeof n, 1, f) != 1)
			return -1;
		buf_reset(scratch);
		if (buf_reserve(scratch, (size_t)n + 1) < 0 || fread(scratch->data, 1, n, f) != n)
			return -1;
		if (record_setn(r, (enum field_id)id, scratch->data, n) < 0)
			return -1;
	}
}

struct packed_head {
	uint32_t sheet;
	uint32_t arena_len;
	uint32_t off[F__COUNT];
};

int record_pack(struct buf *out, const struct record *r)
{
	struct packed_head h;
	h.sheet = (uint32_t)r->sheet;
	h.arena_len = (uint32_t)r->arena.len;
	memcpy(h.off, r->off, sizeof h.off);
	if (buf_reserve(out, sizeof h + r->arena.len) < 0)
		return -1;
	return buf_append(out, &h, sizeof h) < 0 || buf_append(out, r->arena.data, r->arena.len) < 0 ? -1 : 0;
}

int record_unpack(const char **p, const char *end, struct record *r)
{
	struct packed_head h;
	if ((size_t)(end - *p) < sizeof h)
		return -1;
	memcpy(&h, *p, sizeof h);
	if ((size_t)(end - *p) - sizeof h < h.arena_len)
		return -1;
	for (int i = 0; i < F__COUNT; i++)
		if (h.off[i] && h.off[i] >= h.arena_len)
			return -1;
	record_clear(r);
	if (h.arena_len && buf_append(&r->arena, *p + sizeof h, h.arena_len) < 0)
		return -1;
	r->sheet = (enum sheet_kind)h.sheet;
	memcpy(r->off, h.off, sizeof r->off);
	*p += sizeof h + h.arena_len;
	return 0;
}
