/* The input of `import`: one sheet of a file (CSV or XLSX) to records.
 * The header row is found by matching column keys or Korean headers in the
 * first 10 rows (title rows above it are allowed); columns may come in any order;
 * unknown columns are kept (the raw cells travel with each row so the result
 * file can write them back untouched). Which sheet it is (orders or claims) is
 * read from the headers unless the caller says.
 *
 * Cell problems never stop the reader: each row carries its issues (file, row,
 * column, what happened, what to do), so a bad sheet is reported whole. */
#ifndef OB_SHEET_SHEET_READ_H
#define OB_SHEET_SHEET_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "model/record.h"
#include "sheet/encoding.h"
#include "sheet/table.h"
#include "util/err.h"

struct sheet_issue {
	size_t col;      /* 0-based column index */
	int field;       /* enum field_id, or -1 */
	bool fatal;      /* an error (the row cannot be acted on) or only a warning */
	char msg[512];   /* "orders.csv row 7, column order_no: ..." */
};

struct sheet_row {
	size_t row_no;           /* 1-based physical row in the file */
	/* Known columns: identifiers checked (guard_check_id), text guard-decoded,
	 * numbers as plain integers ("12,000" -> "12000"), times as KST
	 * "YYYY-MM-DD HH:MM:SS", dates "YYYY-MM-DD", action as its English word.
	 * A cell with a fatal issue leaves its field empty. */
	struct record rec;
	/* The row's cells as read (UTF-8), owned by the row (one allocation; free
	 * with sheet_row_free), with the CSV formula guard taken off (XLSX cells
	 * carry none), so that writing them back through a table_writer (the CSV
	 * one guards again) restores them.
	 * They carry the unknown columns back into result files; for known
	 * columns use rec, which holds the checked value (an identifier cell here
	 * may still be the ="..." form, or a zip code that lost its zero). */
	char **cells;
	size_t ncells;
	struct sheet_issue *issues;
	size_t nissues;
	bool blank;              /* every cell empty */
	/* A row without an action read after sheet_reader_records_for_actions:
	 * rec is empty (issues are complete). */
	bool no_record;
	bool cells_borrowed;     /* private: cells belong to the table reader */
};

struct sheet_read_opts {
	enum text_encoding encoding; /* CSV: ENC_AUTO = detect */
	int kind;                    /* 0 = detect from headers, or SHEET_ORDERS / SHEET_CLAIMS */
	const char *xlsx_sheet;      /* XLSX: worksheet name (NULL = by kind: "orders"/"claims") */
};

struct sheet_reader;

int sheet_reader_open(const char *path, const struct sheet_read_opts *o, struct sheet_reader **out,
		      struct ob_err *err);
/* Same, over an already opened table reader (taken over by the sheet reader,
 * also when this fails). display_name names the file in messages (NULL = the
 * table reader's path). */
int sheet_reader_open_table(struct table_reader *t, const char *display_name,
			    const struct sheet_read_opts *o, struct sheet_reader **out,
			    struct ob_err *err);
enum sheet_kind sheet_reader_kind(const struct sheet_reader *r);
size_t sheet_reader_ncols(const struct sheet_reader *r);
const char *sheet_reader_header(const struct sheet_reader *r, size_t col);
int sheet_reader_col_field(const struct sheet_reader *r, size_t col); /* field or -1 */
size_t sheet_reader_header_row(const struct sheet_reader *r);         /* 1-based */
/* The rows above the header row (title rows), to write back into result files;
 * returns their count. Cells are guard-decoded like sheet_row.cells; the
 * arrays stay valid until sheet_reader_close. */
size_t sheet_reader_title_rows(const struct sheet_reader *r, char ****rows, size_t **ncells);
const char *sheet_reader_name(const struct sheet_reader *r);
/* 1 = a row (row is reset and filled), 0 = end, <0 = the file itself is broken
 * (minus the ob_status; err says where and why). Cell problems are not errors:
 * they are in row->issues. */
int sheet_reader_next(struct sheet_reader *r, struct sheet_row *row, struct ob_err *err);
/* From now on, fill rec only for rows with something in the action cell (a
 * word, or anything that is not blank): the others get every check (issues
 * as always) but an empty record, and no_record set. For readers that act
 * on rows with actions only: building the records of the others is waste. */
void sheet_reader_records_for_actions(struct sheet_reader *r);
void sheet_reader_close(struct sheet_reader *r);

void sheet_row_init(struct sheet_row *row);
void sheet_row_free(struct sheet_row *row);

#endif
