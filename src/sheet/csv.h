/* CSV back end (libcsv): RFC 4180 quoting, CRLF line ends (what Excel writes),
 * UTF-8 with BOM by default or CP949; the reader streams (memory does not grow
 * with the file), detects BOM / UTF-8 / CP949 by itself, and accepts LF or CRLF. */
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
/* Writes to a temporary file next to path (mode 0600); close(commit=true)
 * renames it to path. Refuses an existing path unless force. */
int csv_writer_new_file(const char *path, bool force, const struct csv_write_opts *o,
			struct table_writer **out, struct ob_err *err);

/* Opens a CSV file for reading (encoding ENC_AUTO = detect). */
int csv_reader_open(const char *path, enum text_encoding enc, struct table_reader **out,
		    struct ob_err *err);

#endif
