/* XLSX back end (minizip + libxml2 reader, libxlsxwriter writer). The reader
 * lives in xlsx_read.c, which is not written yet: sheet_reader_open refuses
 * .xlsx files until it exists. */
#ifndef OB_SHEET_XLSX_H
#define OB_SHEET_XLSX_H

#include "sheet/table.h"
#include "util/err.h"

/* Opens the worksheet sheet_name of an XLSX workbook as a table reader. */
int xlsx_reader_open(const char *path, const char *sheet_name, struct table_reader **out,
		     struct ob_err *err);

#endif
