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

/* The same sheet plan_read read (a workbook's by its name), whose name
 * *sheet gets. */
static int open_input(const struct plan_input *in, struct sheet_reader **r, char *sheet,
		      size_t sheet_n, struct ob_err *err)
{
	struct sheet_read_opts o = { 0 };
	o.kind = in->kind;
	sheet[0] = '\0';
	if (!is_workbook(in->path))
		return sheet_reader_open(in->path, &o, r, err);
	struct table_reader *t;
	int rc = xlsx_reader_open(in->path, in->sheet[0] ? in->sheet : NULL, &t, err);
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

/* Writes the rows of input i, read by r, into w (which it does not close). */
static int write_rows(const struct plan *p, size_t i, struct sheet_reader *r, struct table_writer *w,
		      struct ob_err *err)
{
	int rc = OB_OK;
	char ***titles;
	size_t *tn;
	size_t nt = sheet_reader_title_rows(r, &titles, &tn);
	size_t header_row = sheet_reader_header_row(r); /* 1-based */
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
	if (!cells || !kinds) {
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
	int nr = 0;
	while (rc == OB_OK && (nr = sheet_reader_next(r, &row, err)) == 1) {
		for (size_t c = 0; c < width; c++) {
			int f = c < ncols ? sheet_reader_col_field(r, c) : -1;
			const char *raw = c < row.ncells ? row.cells[c] : "";
			/* A known column: the value as read (guards undone, ids
			 * unwrapped; the writer guards again); what the reader refused
			 * (an id Excel mangled) goes back as the seller had it. Other
			 * columns: the cell as read. */
			cells[c] = raw;
			if (f >= 0 && f != F_ACTION && record_has(&row.rec, (enum field_id)f))
				cells[c] = record_get(&row.rec, (enum field_id)f);
		}
		while (k < p->n && p->items[k].input == i && p->items[k].row_no < row.row_no)
			k++;
		if (k < p->n && p->items[k].input == i && p->items[k].row_no == row.row_no) {
			const struct plan_item *it = &p->items[k];
			cells[col_result] = result_word((enum result)it->result);
			cells[col_message] = plan_item_message(it);
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
	free(cells);
	free(kinds);
	return rc;
}

struct result_part {
	size_t input;
	struct sheet_reader *r;
	struct table_writer *w;
	char sheet[256];
};

/* One result file: the inputs in parts (several only for a workbook). */
static int write_file(const struct plan *p, struct result_part *parts, size_t n, const char *out_path, bool force,
		      struct ob_err *err)
{
	int rc = OB_OK;
	for (size_t k = 0; k < n && rc == OB_OK; k++)
		rc = open_input(&p->inputs[parts[k].input], &parts[k].r, parts[k].sheet, sizeof parts[k].sheet, err);
	if (rc == OB_OK && ends_with_ci(out_path, ".xlsx")) {
		struct xlsx_book *book = NULL;
		rc = xlsx_book_new(out_path, force, &book, err);
		for (size_t k = 0; k < n && rc == OB_OK; k++) {
			char ***titles;
			size_t *tn;
			size_t nt = sheet_reader_title_rows(parts[k].r, &titles, &tn);
			size_t header_row = sheet_reader_header_row(parts[k].r);
			struct xlsx_sheet_opts xo = { header_row > nt ? header_row - 1 : nt };
			const char *name = parts[k].sheet[0] ? parts[k].sheet : sheet_name(p->inputs[parts[k].input].kind);
			rc = xlsx_book_add_sheet(book, name, &xo, &parts[k].w, err);
		}
		if (book)
			xlsx_book_release(book);
	} else if (rc == OB_OK) {
		struct csv_write_opts wo = { 0 };
		rc = csv_writer_new_file(out_path, force, &wo, &parts[0].w, err);
	}
	for (size_t k = 0; k < n && rc == OB_OK; k++)
		rc = write_rows(p, parts[k].input, parts[k].r, parts[k].w, err);
	for (size_t k = 0; k < n; k++) {
		if (parts[k].w) {
			int crc = parts[k].w->close(parts[k].w, rc == OB_OK, err);
			if (rc == OB_OK)
				rc = crc;
		}
		sheet_reader_close(parts[k].r);
	}
	return rc;
}

int plan_write_results(const struct plan *p, const char *out_path, bool force,
		       void (*report)(void *ctx, const char *path), void *ctx, struct ob_err *err)
{
	struct result_part *parts = calloc(p->ninputs ? p->ninputs : 1, sizeof *parts);
	bool *done = calloc(p->ninputs ? p->ninputs : 1, sizeof *done);
	int rc = OB_OK;
	if (!parts || !done)
		rc = ob_err_nomem(err);
	for (size_t i = 0; i < p->ninputs && rc == OB_OK; i++) {
		if (done[i])
			continue;
		if (p->inputs[i].tpl) {
			/* A courier's result file: its own columns, read through its template. */
			char path[4200];
			if (out_path)
				str_copy(path, sizeof path, out_path);
			else
				plan_result_path(p->inputs[i].path, path, sizeof path);
			done[i] = true;
			rc = plan_courier_write_result(p, i, path, force, err);
			if (rc == OB_OK && report)
				report(ctx, path);
			continue;
		}
		size_t n = 0;
		/* A workbook's sheets share one result workbook. */
		for (size_t j = i; j < p->ninputs; j++) {
			if (done[j] || strcmp(p->inputs[j].path, p->inputs[i].path) != 0)
				continue;
			if (j != i && !is_workbook(p->inputs[i].path))
				continue;
			memset(&parts[n], 0, sizeof parts[n]);
			parts[n++].input = j;
			done[j] = true;
		}
		char path[4200];
		if (out_path)
			str_copy(path, sizeof path, out_path);
		else
			plan_result_path(p->inputs[i].path, path, sizeof path);
		rc = write_file(p, parts, n, path, force, err);
		if (rc == OB_OK && report)
			report(ctx, path);
	}
	free(parts);
	free(done);
	return rc;
}
