/* The output of `export`: records to sheets.
 *   -o NAME.csv  -> NAME.orders.csv and NAME.claims.csv
 *   -o NAME.xlsx -> one workbook with sheets "orders" and "claims"
 *   -o -         -> the orders sheet as CSV on standard output
 * Files are written to temporaries (mode 0600: they hold personal data) and
 * renamed into place by book_commit, so a failed export leaves nothing half
 * written; an existing file is never replaced unless force is set. */
#ifndef OB_SHEET_BOOK_H
#define OB_SHEET_BOOK_H

#include <stdbool.h>

#include "model/record.h"
#include "sheet/encoding.h"
#include "util/err.h"

/* sheet/template.h (NULL = the unified sheets, English keys). A template
 * gives the columns, headers and values, and the CSV encoding unless
 * encoding is set; a one-sheet template writes -o NAME.csv as NAME.csv. */
struct template_def;

struct book_opts {
	unsigned sheets;             /* 1u << SHEET_ORDERS | 1u << SHEET_CLAIMS */
	enum text_encoding encoding; /* CSV only; ENC_AUTO = UTF-8 with BOM */
	bool excel_text_ids;         /* CSV only; see csv.h */
	bool force;                  /* replace existing files */
	const struct template_def *tpl;
};

struct book;

int book_open(const char *path, const struct book_opts *o, struct book **out, struct ob_err *err);
/* Writes r to the sheet of its kind (ignored when that sheet was not asked for). */
int book_put(struct book *b, const struct record *r, struct ob_err *err);
/* Writes the rows a template holds back (bundle rows are grouped when all
 * lines are in); book_commit does it too. Call it before book_rows. */
int book_flush(struct book *b, struct ob_err *err);
int book_commit(struct book *b, struct ob_err *err); /* frees b */
void book_abort(struct book *b);                     /* frees b */
/* Final path of a sheet ("" when not written); valid until commit/abort. */
const char *book_path(const struct book *b, enum sheet_kind s);
long book_rows(const struct book *b, enum sheet_kind s);

#endif
