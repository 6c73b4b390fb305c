/* Cell-level sheet I/O shared by the CSV and XLSX back ends.
 *
 * A table_writer writes one sheet row by row; each cell carries the field kind
 * of its column (identifiers become text cells in XLSX, money numbers) or
 * FK_TEXT for columns we do not know. Callers pass the values as the user
 * should see them: the CSV writer applies the formula guard (guard.h) to every
 * cell that is not a plain number in an FK_INT/FK_MONEY column; the XLSX
 * writer needs none (its string cells are never evaluated) and writes the
 * text exactly. The first row written is the header (XLSX: unless told
 * otherwise); writers use it to name columns in messages.
 * A table_reader yields rows of UTF-8 cells (exactly as stored: CSV guards and
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

/* Per-cell flags (struct table_row.flags). A CSV cell has none: it is text. */
enum {
	TABLE_CELL_NUMBER = 1u << 0,  /* a number cell (XLSX): the text is its stored value */
	TABLE_CELL_FORMULA = 1u << 1, /* a formula: the text is its last calculated value */
	TABLE_CELL_ERROR = 1u << 2,   /* an error value such as #N/A */
	TABLE_CELL_DATE1904 = 1u << 3, /* a number cell of a workbook whose dates count from 1904 */
};

struct table_row {
	char **cells;   /* UTF-8, owned by the reader until the next call */
	size_t n;
	size_t row_no;  /* 1-based physical row in the file */
	/* n TABLE_CELL_* bit sets, owned like cells; NULL = plain text cells.
	 * Callers zero the row before next() so that readers without flags
	 * leave it NULL. */
	const unsigned char *flags;
};

struct table_reader {
	/* 1 = a row, 0 = end, <0 = error: minus the ob_status (err filled,
	 * naming file and row). */
	int (*next)(struct table_reader *r, struct table_row *row, struct ob_err *err);
	void (*close)(struct table_reader *r);
	char path[4096];
	/* Cells are stored exactly, without the CSV formula guard (XLSX): the
	 * sheet reader must not take an apostrophe off. false for CSV. */
	bool exact;
};

/* Spreadsheet column name of a 0-based column index ("A", "Z", "AA", ...), for
 * messages that a seller looks up in Excel. */
void table_col_letters(size_t col, char *out, size_t n);

#endif
