/* Result files of an import: the input sheet again, row for row and column for
 * column, with result and message filled (columns added when the sheet had
 * none). Written to a new file; the user's sheet is never touched. An XLSX
 * input gives a new workbook (one sheet, named as the input's) unless the
 * result is asked for under a CSV name. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/plan.h"
#include "sheet/csv.h"
#include "sheet/sheet_read.h"
#include "sheet/xlsx.h"
#include "util/str.h"

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool is_workbook(const char *path)
{
	return ends_with_ci(path, ".xlsx") || ends_with_ci(path, ".xlsm");
}

void plan_result_path(const char *input, char *out, size_t n)
{
	const char *dot = strrchr(input, '.');
	const char *slash = strrchr(input, '/');
	if (!dot || (slash && dot < slash))
		snprintf(out, n, "%s.result.csv", input);
	else if (ends_with_ci(input, ".xlsm"))
		/* We write no macros, and Excel refuses an .xlsm without them. */
		snprintf(out, n, "%.*s.result.xlsx", (int)(dot - input), input);
	else
		snprintf(out, n, "%.*s.result%s", (int)(dot - input), input, dot);
}

/* The same sheet plan_read read: an XLSX input through the reader's default
 * choice (plan_read names no sheet), whose name *sheet gets. */
static int open_input(const struct plan_input *in, struct sheet_reader **r, char *sheet,
		      size_t sheet_n, struct ob_err *err)
{
	struct sheet_read_opts o = { 0 };
	o.kind = in->kind;
	sheet[0] = '\0';
	if (!is_workbook(in->path))
		return sheet_reader_open(in->path, &o, r, err);
	struct table_reader *t;
	int rc = xlsx_reader_open(in->path, NULL, &t, err);
	if (rc != OB_OK)
		return rc;
	str_copy(sheet, sheet_n, xlsx_reader_sheet(t));
	const char *slash = strrchr(in->path, '/');
	char name[256];
	snprintf(name, sizeof name, "%.150s (sheet %.90s)", slash ? slash + 1 : in->path, sheet);
	return sheet_reader_open_table(t, name, &o, r, err);
}

/* Empty rows up to (not including) physical row row_no, so that the result's
 * rows are where the input's were: an XLSX input skips rows it does not have. */
static int pad_rows(struct table_writer *w, size_t *written, size_t row_no, struct ob_err *err)
{
	while (*written + 1 < row_no) {
		int rc = w->row(w, NULL, NULL, 0, err);
		if (rc != OB_OK)
			return rc;
		(*written)++;
	}
	return OB_OK;
}

int plan_write_result(const struct plan *p, size_t i, const char *out_path, bool force, struct ob_err *err)
{
	const struct plan_input *in = &p->inputs[i];
	struct sheet_reader *r = NULL;
	char sheet[256];
	int rc = open_input(in, &r, sheet, sizeof sheet, err);
	if (rc != OB_OK)
		return rc;
	char ***titles;
	size_t *tn;
	size_t nt = sheet_reader_title_rows(r, &titles, &tn);
	size_t header_row = sheet_reader_header_row(r); /* 1-based */
	struct table_writer *w = NULL;
	if (ends_with_ci(out_path, ".xlsx")) {
		struct xlsx_sheet_opts xo = { header_row > nt ? header_row - 1 : nt };
		rc = xlsx_writer_new_file(out_path, force, sheet[0] ? sheet : sheet_name(in->kind),
					  &xo, &w, err);
	} else {
		struct csv_write_opts wo = { 0 };
		rc = csv_writer_new_file(out_path, force, &wo, &w, err);
	}
	if (rc != OB_OK) {
		sheet_reader_close(r);
		return rc;
	}
	size_t ncols = sheet_reader_ncols(r);
	int col_result = -1, col_message = -1, col_addr = -1, korean = 0;
	for (size_t c = 0; c < ncols; c++) {
		int f = sheet_reader_col_field(r, c);
		if (f == F_RESULT)
			col_result = (int)c;
		else if (f == F_MESSAGE)
			col_message = (int)c;
		else if (f == F_ADDRESS_CHANGED)
			col_addr = (int)c;
		else if (f == F_ACTION)
			korean = strcmp(sheet_reader_header(r, c), field_header_ko(F_ACTION)) == 0;
	}
	size_t width = ncols + (col_result < 0) + (col_message < 0);
	const char **cells = calloc(width ? width : 1, sizeof *cells);
	enum field_kind *kinds = calloc(width ? width : 1, sizeof *kinds);
	char **owned = calloc(width ? width : 1, sizeof *owned);
	if (!cells || !kinds || !owned) {
		rc = ob_err_nomem(err);
		goto out;
	}
	size_t extra = ncols;
	if (col_result < 0)
		col_result = (int)extra++;
	if (col_message < 0)
		col_message = (int)extra++;
	for (size_t c = 0; c < width; c++) {
		int f = c < ncols ? sheet_reader_col_field(r, c) : -1;
		kinds[c] = f >= 0 ? field_def((enum field_id)f)->kind : FK_TEXT;
	}
	/* Title rows above the header, then the header. */
	size_t written = 0;
	for (size_t t = 0; t < nt && rc == OB_OK; t++, written++)
		rc = w->row(w, (const char *const *)titles[t], NULL, tn[t], err);
	if (rc == OB_OK)
		rc = pad_rows(w, &written, header_row, err);
	for (size_t c = 0; c < width; c++)
		cells[c] = c < ncols ? sheet_reader_header(r, c) :
			   (int)c == col_result ? (korean ? field_header_ko(F_RESULT) : "result") :
						  (korean ? field_header_ko(F_MESSAGE) : "message");
	if (rc == OB_OK)
		rc = w->row(w, cells, NULL, width, err);
	written++;
	/* Items of this input are in row order (plan_read appends as it reads). */
	size_t k = 0;
	while (k < p->n && p->items[k].input != i)
		k++;
	struct sheet_row row;
	sheet_row_init(&row);
	int nr;
	while (rc == OB_OK && (nr = sheet_reader_next(r, &row, err)) == 1) {
		for (size_t c = 0; c < width; c++) {
			free(owned[c]);
			owned[c] = NULL;
			int f = c < ncols ? sheet_reader_col_field(r, c) : -1;
			const char *raw = c < row.ncells ? row.cells[c] : "";
			if (f >= 0 && f != F_ACTION) {
				/* Known column: the value as read (guards undone, ids unwrapped);
				 * the writer guards it again. */
				cells[c] = record_get(&row.rec, (enum field_id)f);
				if (!*cells[c] && *raw && field_def((enum field_id)f)->kind != FK_ID)
					cells[c] = raw;
			} else {
				/* Cells come with the formula guard already removed; the
				 * writer puts it back. */
				cells[c] = raw;
			}
		}
		if (rc != OB_OK)
			break;
		while (k < p->n && p->items[k].input == i && p->items[k].row_no < row.row_no)
			k++;
		if (k < p->n && p->items[k].input == i && p->items[k].row_no == row.row_no) {
			const struct plan_item *it = &p->items[k];
			cells[col_result] = result_word(it->result);
			cells[col_message] = it->message;
			if (it->address_changed && col_addr >= 0)
				cells[col_addr] = "Y";
		}
		rc = pad_rows(w, &written, row.row_no, err);
		if (rc == OB_OK)
			rc = w->row(w, cells, kinds, width, err);
		written++;
	}
	sheet_row_free(&row);
	if (rc == OB_OK && nr < 0)
		rc = err->code ? err->code : OB_EIO;
out:
	if (w) {
		int crc = w->close(w, rc == OB_OK, err);
		if (rc == OB_OK)
			rc = crc;
	}
	for (size_t c = 0; owned && c < width; c++)
		free(owned[c]);
	free(owned);
	free(cells);
	free(kinds);
	sheet_reader_close(r);
	return rc;
}
