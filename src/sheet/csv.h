/* CSV back end (libcsv): RFC 4180 quoting, CRLF line ends (what Excel writes),
 * UTF-8 with BOM by default or CP949; the reader streams (memory does not grow
 * with the file), detects BOM / UTF-8 / CP949 by itself, and accepts LF or CRLF.
 * Row numbers are Excel's: one per record (a quoted cell with line breaks stays
 * one row) and blank lines count. A .tsv file, or a .txt file with more tabs
 * than commas (Excel's "Text (Tab delimited)"), is read with tabs. */
#ifndef OB_SHEET_CSV_H
#define OB_SHEET_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "sheet/encoding.h"
#include "sheet/table.h"

struct csv_write_opts {
	enum text_encoding encoding; /* ENC_AUTO = UTF-8 with BOM */
	bool excel_text_ids;         /* write identifier cells as ="..." so Excel keeps them text */
};

/* Writes to fp (not closed by close(); used for standard output). */
int csv_writer_new_fp(FILE *fp, const struct csv_write_opts *o, struct table_writer **out,
		      struct ob_err *err);
/* Writes to a temporary file next to path (mode 0600); finish() syncs it and
 * close(commit=true) renames it to path. Refuses an existing path unless force,
 * at open and again (atomically) at the rename. Messages name the file, the
 * row and the column (named by the first row written, the header). */
int csv_writer_new_file(const char *path, bool force, const struct csv_write_opts *o,
			struct table_writer **out, struct ob_err *err);

/* Opens a CSV file for reading (encoding ENC_AUTO = detect). An empty file, a
 * workbook or UTF-16 text under a CSV name is refused here with a message
 * saying what it is; a file cut inside a quoted cell fails at its last row. */
int csv_reader_open(const char *path, enum text_encoding enc, struct table_reader **out,
		    struct ob_err *err);

#endif
