/* Excel guards, both directions (DESIGN.md "Excel guards").
 *
 * Formula guard: a text cell that starts with = + - @ tab or CR is evaluated as
 * a formula by spreadsheets. On writing, such text (and text that already starts
 * with apostrophes followed by one of those characters) gets one leading
 * apostrophe; on reading, one apostrophe in front of that pattern is removed.
 * The mapping is a bijection, so buyer text reads back exactly as it was.
 *
 * Identifier check: Excel turns long digit strings into 6.42539E+17, adds
 * thousands separators, or ".0", and drops leading zeros of zip codes. Such a
 * cell is refused with a message saying what Excel did and how to avoid it; a
 * 4-digit zip code is repaired (leading zero) with a warning. */
#ifndef OB_SHEET_GUARD_H
#define OB_SHEET_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "model/field.h"
#include "util/buf.h"

bool guard_needed(const char *s);
/* Appends s, guarded when needed, to out. */
int guard_encode(const char *s, struct buf *out);
/* Removes the guard apostrophe in place, when present. */
void guard_decode(char *s);
/* The same without copying: s itself, or s + 1 when s carries a guard. */
const char *guard_decoded(const char *s);

enum id_verdict {
	ID_OK = 0,
	ID_FIXED,   /* repaired (e.g. zip code leading zero); fixed holds the value, msg a warning */
	ID_MANGLED, /* refused; msg says what Excel did and what to do */
};

/* Checks an identifier-kind cell (FK_ID, FK_PHONE, FK_ZIP). Also unwraps the
 * ="123" form that Excel-safe CSVs use. Writes the value to keep into fixed. */
enum id_verdict guard_check_id(enum field_kind kind, const char *cell, char *fixed, size_t fixed_n,
			       char *msg, size_t msg_n);

#endif
