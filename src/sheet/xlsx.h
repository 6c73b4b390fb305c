/* XLSX back end: a writer on libxlsxwriter (constant memory: rows stream to
 * disk) and a streaming reader on minizip + libxml2's xmlTextReader.
 *
 * Writing: identifiers, phones and zip codes are string cells with the text
 * format "@"; FK_INT/FK_MONEY cells that hold a plain integer are numbers
 * (money as #,##0); everything else is a string cell, written exactly: string
 * cells are never evaluated, so no formula guard is applied. Every column gets
 * the text format too, so that what a seller types later (an invoice number, a
 * date) stays text and an edited "=..." stays text. The header row is bold and
 * frozen, with an autofilter; column widths follow the kind and the data.
 *
 * Reading: values as stored (cached results of formulas, flagged), with
 * TABLE_CELL_* flags per cell; gaps become empty cells; merged cells and
 * styles are ignored. Zip bombs, oversized parts and XML with a DTD are
 * refused. */
#ifndef OB_SHEET_XLSX_H
#define OB_SHEET_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "sheet/table.h"
#include "util/err.h"

/* Limits of the reader. A worksheet is streamed, so its limit only stops a
 * disk-filling bomb; shared strings are held in memory, hence the lower one.
 * The ratio is checked while inflating, against the entry's compressed size. */
#define XLSX_SHEET_MAX ((unsigned long long)2 << 30)   /* 2 GiB */
#define XLSX_PART_MAX ((unsigned long long)256 << 20)  /* 256 MiB: every other part */
#define XLSX_RATIO_MAX 200ull                           /* uncompressed : compressed */
#define XLSX_RATIO_GRACE ((unsigned long long)1 << 20)  /* ratio checked past 1 MiB */
#define XLSX_CELL_MAX ((size_t)256 << 10)               /* bytes of one cell's text */
#define XLSX_COLS_MAX 16384                             /* Excel's last column, XFD */

/* A workbook being written: writers on its worksheets share it, and it is
 * written (at the first finish) and renamed into place (at the first
 * close(commit=true)) once for all of them; closing every writer without
 * commit throws it away. path must end in .xlsx; force replaces an existing
 * file (refused at open and again, atomically, at the rename). */
struct xlsx_book;

struct xlsx_sheet_opts {
	size_t header_row; /* 0-based row written as the header (title rows above it) */
};

int xlsx_book_new(const char *path, bool force, struct xlsx_book **out, struct ob_err *err);
/* Adds worksheet name (sheets appear in the order added; add them all before
 * writing rows). o may be NULL (header in the first row). */
int xlsx_book_add_sheet(struct xlsx_book *b, const char *name, const struct xlsx_sheet_opts *o,
			struct table_writer **out, struct ob_err *err);
/* Drops the creator's hold on b: from now on its writers own it (a book
 * released without any writer is thrown away). */
void xlsx_book_release(struct xlsx_book *b);

/* Shorthand: a new workbook at path with one worksheet. */
int xlsx_writer_new_file(const char *path, bool force, const char *sheet,
			 const struct xlsx_sheet_opts *o, struct table_writer **out,
			 struct ob_err *err);

/* Opens the worksheet sheet_name of an XLSX workbook as a table reader.
 * sheet_name NULL: "orders" when there is one, else "claims", else the first
 * worksheet. A workbook with a single worksheet is read whatever its name.
 * Cells are exact (table_reader.exact) and carry TABLE_CELL_* flags. */
int xlsx_reader_open(const char *path, const char *sheet_name, struct table_reader **out,
		     struct ob_err *err);
/* Like xlsx_reader_open(path, NULL, ...), but a sheet named prefer comes first. */
int xlsx_reader_open_prefer(const char *path, const char *prefer, struct table_reader **out,
			    struct ob_err *err);
/* The name of the worksheet a reader of xlsx_reader_open reads. */
const char *xlsx_reader_sheet(const struct table_reader *r);

#endif
