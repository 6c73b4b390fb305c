/* A unified record: one order line or one claim line, every value as text.
 *
 * Ownership rule (stated once): a record owns every string in it. record_set
 * copies its argument; record_get returns a pointer into the record that stays
 * valid until the next record_set/record_clear/record_free on that record.
 * Identifiers are always text (18-digit ids never pass through a number), money
 * is integer KRW text, times are KST "YYYY-MM-DD HH:MM:SS".
 *
 * Values live in one arena per record, so reusing a record for the next row
 * allocates nothing once the arena is large enough. */
#ifndef OB_MODEL_RECORD_H
#define OB_MODEL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "model/field.h"
#include "util/buf.h"

struct record {
	enum sheet_kind sheet;
	uint32_t off[F__COUNT]; /* 0 = empty; else offset into arena */
	struct buf arena;
};

void record_init(struct record *r, enum sheet_kind sheet);
/* Empties every field; keeps the arena's memory. */
void record_clear(struct record *r);
void record_free(struct record *r);
/* Returns "" for an empty field, never NULL. */
const char *record_get(const struct record *r, enum field_id f);
bool record_has(const struct record *r, enum field_id f);
/* Sets a field to a copy of v (NULL or "" empties it). v may point into r. */
int record_set(struct record *r, enum field_id f, const char *v);
int record_setn(struct record *r, enum field_id f, const char *v, size_t n);
int record_setf(struct record *r, enum field_id f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int record_set_i64(struct record *r, enum field_id f, int64_t v);
/* Integer value of a field; returns -1 if empty or not an integer. */
int record_get_i64(const struct record *r, enum field_id f, int64_t *out);
/* Deep copy (dst is initialised by this call). */
int record_copy(struct record *dst, const struct record *src);

#endif
