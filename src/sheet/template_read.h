/* Reading a file through a courier-result template (template.h): a courier's
 * result file, CSV or XLSX, one row at a time, with the line key, invoice
 * number, receiver and courier taken from the columns the template names; and
 * writing that file again with result and message columns added. */
#ifndef OB_SHEET_TEMPLATE_READ_H
#define OB_SHEET_TEMPLATE_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "sheet/template.h"
#include "util/err.h"

struct tpl_reader;

struct tpl_row {
	size_t row_no;             /* 1-based physical row */
	const char *const *cells;  /* the row as read (CSV guard taken off), valid until the next call */
	size_t n;
	bool blank;
	/* The first line key column holding one of our keys; else the first
	 * non-empty one (key_ours false; key "" when all are empty). */
	char key[TPL_KEY_MAX + 16];
	bool key_ours;
	char key_col[128];         /* its header */
	char invoice[64];
	char invoice_col[128];
	char invoice_problem[300]; /* Excel damaged it (e.g. 3.4E+11): what happened, what to do */
	char receiver[128];
	char receiver_col[128];
	char receiver_phone[64];
	char courier[64];
};

/* Opens path (CSV, or an XLSX workbook's first worksheet) and finds the header
 * row (one with a line key and an invoice column of the template) in the
 * first 10 rows. OB_EINVALID when there is none (err says what was looked for). */
int template_reader_open(const char *path, const struct template_def *t, struct tpl_reader **out,
			 struct ob_err *err);
size_t template_reader_header_row(const struct tpl_reader *r); /* 1-based */
/* 1 = a row, 0 = end, <0 = minus the ob_status of a broken file (err says). */
int template_reader_next(struct tpl_reader *r, struct tpl_row *row, struct ob_err *err);
void template_reader_close(struct tpl_reader *r);

/* Writes in_path again to out_path (CSV, or XLSX by the name): the rows above
 * the header, the header and every row, each with 처리결과 and 메시지 from fn
 * (called for non-blank rows). Never touches in_path. */
int template_write_result(const char *in_path, const struct template_def *t, const char *out_path, bool force,
			  void (*fn)(void *ctx, size_t row_no, const char **result, const char **message), void *ctx,
			  struct ob_err *err);

#endif
