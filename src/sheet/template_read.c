/* Reading someone else's file through an input template (template.h): a
 * courier's result file, CSV (any encoding the CSV reader detects) or XLSX
 * (its first worksheet). The header row is found among the first rows by the
 * template's headers (spaces ignored); each data row gives the line key, the
 * invoice number and the receiver as the template maps them. Writing the
 * result file again, with result and message added, is here too. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sheet/csv.h"
#include "sheet/guard.h"
#include "sheet/template_read.h"
#include "sheet/xlsx.h"
#include "util/str.h"

#define SCAN_ROWS 10

struct held {
	size_t row_no;
	char **cells;
	size_t n;
};

struct tpl_reader {
	struct table_reader *t;
	const struct template_def *tpl;
	struct held header;
	int *col_tcol;               /* per file column: template column, or -1 */
	struct held rows[SCAN_ROWS]; /* title rows, then data rows read during the scan */
	size_t ntitle, nheld;
	struct held cur;             /* the row handed out last */
};

static void held_free(struct held *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->cells[i]);
	free(h->cells);
	memset(h, 0, sizeof *h);
}

/* Copies a row, the CSV formula guard taken off (XLSX cells are exact). */
static int held_copy(struct held *h, const struct table_row *tr, bool exact)
{
	memset(h, 0, sizeof *h);
	h->row_no = tr->row_no;
	h->cells = calloc(tr->n ? tr->n : 1, sizeof *h->cells);
	if (!h->cells)
		return -1;
	h->n = tr->n;
	for (size_t i = 0; i < tr->n; i++) {
		if (!(h->cells[i] = ob_strdup(exact ? tr->cells[i] : guard_decoded(tr->cells[i])))) {
			held_free(h);
			return -1;
		}
	}
	return 0;
}

/* Headers compare without spaces: "받으시는 분" and "받으시는분" are one header. */
static bool same_header(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
			a++;
		while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++, b++;
	}
}

static int tcol_of(const struct template_def *t, const char *header)
{
	const struct tpl_sheet *sh = &t->sheets[SHEET_ORDERS];
	for (size_t c = 0; c < sh->n; c++)
		if (same_header(sh->cols[c].header, header))
			return (int)c;
	return -1;
}

/* A header row has a line key column and an invoice column. */
static bool is_header(const struct template_def *t, const struct held *h)
{
	bool key = false, inv = false;
	for (size_t i = 0; i < h->n; i++) {
		int c = tcol_of(t, h->cells[i]);
		int f = c >= 0 ? template_input_field(t, (size_t)c) : -1;
		key |= f == TF_LINE_KEY;
		inv |= f == F_INVOICE_NO;
	}
	return key && inv;
}

static int open_table(const char *path, struct table_reader **t, struct ob_err *err)
{
	size_t n = strlen(path);
	if ((n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0) || (n > 5 && strcasecmp(path + n - 5, ".xlsm") == 0))
		return xlsx_reader_open(path, NULL, t, err);
	if (n > 4 && strcasecmp(path + n - 4, ".xls") == 0)
		return ob_errf(err, OB_EUSAGE, "%s: the old .xls format cannot be read; open it in Excel and save it as "
			       ".xlsx (Excel Workbook) or .csv", path);
	return csv_reader_open(path, ENC_AUTO, t, err);
}

void template_reader_close(struct tpl_reader *r)
{
	if (!r)
		return;
	if (r->t)
		r->t->close(r->t);
	held_free(&r->header);
	for (size_t i = 0; i < r->nheld; i++)
		held_free(&r->rows[i]);
	held_free(&r->cur);
	free(r->col_tcol);
	free(r);
}

int template_reader_open(const char *path, const struct template_def *t, struct tpl_reader **out,
			 struct ob_err *err)
{
	*out = NULL;
	if (t->kind != TPL_COURIER_RESULT)
		return ob_errf(err, OB_EUSAGE, "template %s is an %s template; reading a file needs a courier-result one",
			       t->name, template_kind_word(t->kind));
	struct tpl_reader *r = calloc(1, sizeof *r);
	if (!r)
		return ob_err_nomem(err);
	r->tpl = t;
	int rc = open_table(path, &r->t, err);
	if (rc != OB_OK) {
		free(r);
		return rc;
	}
	bool found = false;
	while (!found && r->nheld < SCAN_ROWS) {
		struct table_row tr;
		memset(&tr, 0, sizeof tr);
		int n = r->t->next(r->t, &tr, err);
		if (n < 0) {
			template_reader_close(r);
			return err->code ? err->code : OB_EIO;
		}
		if (n == 0)
			break;
		struct held h;
		if (held_copy(&h, &tr, r->t->exact) < 0) {
			template_reader_close(r);
			return ob_err_nomem(err);
		}
		if (is_header(t, &h)) {
			r->header = h;
			found = true;
		} else {
			r->rows[r->nheld++] = h;
		}
	}
	if (!found) {
		/* Name the columns the template looks for. */
		char want[512] = "";
		const struct tpl_sheet *sh = &t->sheets[SHEET_ORDERS];
		for (size_t c = 0; c < sh->n; c++) {
			int f = template_input_field(t, c);
			if (f == TF_LINE_KEY || f == F_INVOICE_NO)
				snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", want[0] ? ", " : "",
					 sh->cols[c].header);
		}
		template_reader_close(r);
		return ob_errf(err, OB_EINVALID, "%s: no header row with the columns of template %s (%s) in the first "
			       "%d rows", path, t->name, want, SCAN_ROWS);
	}
	r->ntitle = r->nheld; /* everything held so far is above the header */
	r->col_tcol = malloc((r->header.n ? r->header.n : 1) * sizeof *r->col_tcol);
	if (!r->col_tcol) {
		template_reader_close(r);
		return ob_err_nomem(err);
	}
	for (size_t i = 0; i < r->header.n; i++)
		r->col_tcol[i] = tcol_of(t, r->header.cells[i]);
	*out = r;
	return OB_OK;
}

size_t template_reader_header_row(const struct tpl_reader *r)
{
	return r->header.row_no;
}

/* An identifier cell: ="..." unwrapped, Excel's damage refused (problem). */
static void id_cell(const char *cell, char *out, size_t n, char *problem, size_t pn)
{
	char fixed[256], msg[300];
	problem[0] = '\0';
	enum id_verdict v = guard_check_id(FK_ID, cell, fixed, sizeof fixed, msg, sizeof msg);
	if (v == ID_MANGLED) {
		str_copy(problem, pn, msg);
		str_copy(out, n, cell);
		return;
	}
	str_copy(out, n, fixed);
	str_trim(out);
}

int template_reader_next(struct tpl_reader *r, struct tpl_row *row, struct ob_err *err)
{
	memset(row, 0, sizeof *row);
	held_free(&r->cur);
	struct table_row tr;
	memset(&tr, 0, sizeof tr);
	int n = r->t->next(r->t, &tr, err);
	if (n < 0)
		return -(err->code ? err->code : OB_EIO);
	if (n == 0)
		return 0;
	if (held_copy(&r->cur, &tr, r->t->exact) < 0)
		return -ob_err_nomem(err);
	row->row_no = r->cur.row_no;
	row->cells = (const char *const *)r->cur.cells;
	row->n = r->cur.n;
	row->blank = true;
	char first_key[sizeof row->key] = "";
	const char *first_key_col = "";
	const struct tpl_sheet *sh = &r->tpl->sheets[SHEET_ORDERS];
	/* Line key alternatives in template order: the first that is ours counts. */
	for (size_t tc = 0; tc < sh->n && !row->key_ours; tc++) {
		if (template_input_field(r->tpl, tc) != TF_LINE_KEY)
			continue;
		for (size_t i = 0; i < r->cur.n && i < r->header.n && !row->key_ours; i++) {
			if (r->col_tcol[i] != (int)tc || !*r->cur.cells[i])
				continue;
			char v[sizeof row->key], problem[300];
			id_cell(r->cur.cells[i], v, sizeof v, problem, sizeof problem);
			struct tpl_key k;
			if (!problem[0] && template_key_parse(v, &k) == 1) {
				str_copy(row->key, sizeof row->key, v);
				str_copy(row->key_col, sizeof row->key_col, r->header.cells[i]);
				row->key_ours = true;
			} else if (!first_key[0]) {
				str_copy(first_key, sizeof first_key, v);
				first_key_col = r->header.cells[i];
			}
		}
	}
	if (!row->key_ours) {
		str_copy(row->key, sizeof row->key, first_key);
		str_copy(row->key_col, sizeof row->key_col, first_key_col);
	}
	for (size_t i = 0; i < r->cur.n; i++) {
		if (*r->cur.cells[i])
			row->blank = false;
		if (i >= r->header.n || r->col_tcol[i] < 0 || !*r->cur.cells[i])
			continue;
		int f = template_input_field(r->tpl, (size_t)r->col_tcol[i]);
		char v[256];
		struct buf tb = BUF_INIT;
		if (f == F_INVOICE_NO && !row->invoice[0]) {
			id_cell(r->cur.cells[i], v, sizeof v, row->invoice_problem, sizeof row->invoice_problem);
			str_copy(row->invoice, sizeof row->invoice, v);
			str_copy(row->invoice_col, sizeof row->invoice_col, r->header.cells[i]);
		} else if (f == F_RECEIVER_NAME && !row->receiver[0]) {
			str_copy(row->receiver, sizeof row->receiver, r->cur.cells[i]);
			str_trim(row->receiver);
			str_copy(row->receiver_col, sizeof row->receiver_col, r->header.cells[i]);
		} else if (f == F_RECEIVER_PHONE && !row->receiver_phone[0]) {
			str_copy(row->receiver_phone, sizeof row->receiver_phone, r->cur.cells[i]);
		} else if (f == F_COURIER && !row->courier[0]) {
			str_copy(row->courier, sizeof row->courier, r->cur.cells[i]);
			str_trim(row->courier);
		}
		/* Transforms of the column (e.g. digits on an invoice with dashes). */
		const struct tpl_column *c = &sh->cols[r->col_tcol[i]];
		char *target = f == F_INVOICE_NO ? row->invoice : f == F_RECEIVER_PHONE ? row->receiver_phone : NULL;
		if (c->ntx && target && *target) {
			if (buf_puts(&tb, target) < 0 || template_apply_tx(c, &tb, err) != OB_OK) {
				buf_free(&tb);
				return -(err->code ? err->code : OB_EIO);
			}
			str_copy(target, f == F_INVOICE_NO ? sizeof row->invoice : sizeof row->receiver_phone, buf_cstr(&tb));
		}
		buf_free(&tb);
	}
	return 1;
}

/* ---- the result file ---- */

static int write_row(struct table_writer *w, const char *const *cells, size_t n, const char *a, const char *b,
		     size_t width, const char **scratch, struct ob_err *err)
{
	for (size_t i = 0; i < width; i++)
		scratch[i] = i < n ? cells[i] : "";
	if (a) {
		scratch[width] = a;
		scratch[width + 1] = b;
	}
	return w->row(w, scratch, NULL, a ? width + 2 : (n < width ? n : width), err);
}

int template_write_result(const char *in_path, const struct template_def *t, const char *out_path, bool force,
			  void (*fn)(void *ctx, size_t row_no, const char **result, const char **message), void *ctx,
			  struct ob_err *err)
{
	struct tpl_reader *r;
	int rc = template_reader_open(in_path, t, &r, err);
	if (rc != OB_OK)
		return rc;
	size_t n = strlen(out_path);
	struct table_writer *w = NULL;
	if (n > 5 && strcasecmp(out_path + n - 5, ".xlsx") == 0) {
		struct xlsx_sheet_opts xo = { r->ntitle };
		rc = xlsx_writer_new_file(out_path, force, "result", &xo, &w, err);
	} else {
		struct csv_write_opts wo = { 0 };
		rc = csv_writer_new_file(out_path, force, &wo, &w, err);
	}
	if (rc != OB_OK) {
		template_reader_close(r);
		return rc;
	}
	size_t width = r->header.n;
	for (size_t i = 0; i < r->ntitle; i++)
		if (r->rows[i].n > width)
			width = r->rows[i].n;
	const char **scratch = calloc(width + 2, sizeof *scratch);
	if (!scratch)
		rc = ob_err_nomem(err);
	for (size_t i = 0; rc == OB_OK && i < r->ntitle; i++)
		rc = write_row(w, (const char *const *)r->rows[i].cells, r->rows[i].n, NULL, NULL, width, scratch, err);
	if (rc == OB_OK)
		rc = write_row(w, (const char *const *)r->header.cells, r->header.n, "처리결과", "메시지", width, scratch,
			       err);
	struct tpl_row row;
	int got = 0;
	while (rc == OB_OK && (got = template_reader_next(r, &row, err)) == 1) {
		const char *res = "", *msg = "";
		if (!row.blank)
			fn(ctx, row.row_no, &res, &msg);
		rc = write_row(w, row.cells, row.n, res, msg, width, scratch, err);
	}
	if (rc == OB_OK && got < 0)
		rc = -got;
	free(scratch);
	int crc = w->close(w, rc == OB_OK, err);
	template_reader_close(r);
	return rc == OB_OK ? crc : rc;
}
