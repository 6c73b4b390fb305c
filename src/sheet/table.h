/* Cell-level sheet I/O shared by the CSV and XLSX back ends.
 *
 * A table_writer writes one sheet row by row; each cell carries the field kind
 * of its column (identifiers become text cells in XLSX, money numbers) or
 * FK_TEXT for columns we do not know. The writer applies the formula guard
 * (guard.h) to every cell that is not a plain number in an FK_INT/FK_MONEY
 * column, so callers pass the values as the user should see them. The first
 * row written is the header; writers use it to name columns in messages.
 * A table_reader yields rows of UTF-8 cells (exactly as stored: guards and
 * ="..." wrappers are still there) from one sheet of a file. */
#ifndef OB_SHEET_TABLE_H
#define OB_SHEET_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/field.h"
#include "util/err.h"

struct table_writer {
	int (*row)(struct table_writer *w, const char *const *cells, const enum field_kind *kinds,
		   size_t n, struct ob_err *err);
	/* Finishes the sheet. commit=false throws the output away. Frees w. */
	int (*close)(struct table_writer *w, bool commit, struct ob_err *err);
	/* Optional (NULL when close does everything): writes out and syncs all
	 * that is buffered, so that a following close(commit=true) can only fail
	 * in the final rename. Lets a book commit several files all or nothing. */
	int (*finish)(struct table_writer *w, struct ob_err *err);
};

struct table_row {
	char **cells;   /* UTF-8, owned by the reader until the next call */
	size_t n;
	size_t row_no;  /* 1-based physical row in the file */
};

struct table_reader {
	/* 1 = a row, 0 = end, <0 = error: minus the ob_status (err filled,
	 * naming file and row). */
	int (*next)(struct table_reader *r, struct table_row *row, struct ob_err *err);
	void (*close)(struct table_reader *r);
	char path[4096];
};

/* Spreadsheet column name of a 0-based column index ("A", "Z", "AA", ...), for
 * messages that a seller looks up in Excel. */
void table_col_letters(size_t col, char *out, size_t n);

#endif
