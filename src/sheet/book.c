/* The output of `export` (see book.h): picks the files from -o, writes each
 * record to the sheet of its kind through a table_writer, and commits all the
 * sheets or none. The back end (CSV or XLSX) only supplies the writers. */
#include "sheet/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sheet/csv.h"
#include "sheet/outfile.h"
#include "sheet/table.h"
#include "sheet/xlsx.h"
#include "util/str.h"

#define BOOK_SHEETS ((1u << SHEET_ORDERS) | (1u << SHEET_CLAIMS))

struct book_sheet {
	bool on;
	struct table_writer *w;
	char path[4096];
	long rows;
	const enum field_id *cols;
	size_t ncols;
	enum field_kind *kinds;
};

struct book {
	struct book_sheet s[SHEET_CLAIMS + 1]; /* indexed by enum sheet_kind */
	bool force;
	const char **cells;                    /* scratch row, as long as the widest sheet */
};

static const enum sheet_kind kinds_in_order[] = { SHEET_ORDERS, SHEET_CLAIMS };

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static void book_free(struct book *b)
{
	for (size_t i = 0; i < 2; i++)
		free(b->s[kinds_in_order[i]].kinds);
	free(b->cells);
	free(b);
}

/* NAME.csv -> NAME.orders.csv / NAME.claims.csv (the extension keeps its case). */
static int csv_sheet_paths(struct book *b, const char *path, struct ob_err *err)
{
	size_t stem = strlen(path) - 4;
	for (size_t i = 0; i < 2; i++) {
		struct book_sheet *s = &b->s[kinds_in_order[i]];
		if (!s->on)
			continue;
		int n = snprintf(s->path, sizeof s->path, "%.*s.%s%s", (int)stem, path,
				 sheet_name(kinds_in_order[i]), path + stem);
		if (n < 0 || (size_t)n >= sizeof s->path)
			return ob_errf(err, OB_EUSAGE, "%.200s...: file name too long", path);
	}
	return 0;
}

static int open_csv(struct book *b, const char *path, const struct book_opts *o, struct ob_err *err)
{
	struct csv_write_opts co = { o->encoding, o->excel_text_ids };
	int rc = csv_sheet_paths(b, path, err);
	/* Every name is checked before any file is made: an export fails here,
	 * before any market is called, not after minutes of downloading. */
	for (size_t i = 0; !rc && i < 2; i++)
		if (b->s[kinds_in_order[i]].on)
			rc = outfile_check(b->s[kinds_in_order[i]].path, o->force, err);
	for (size_t i = 0; !rc && i < 2; i++) {
		struct book_sheet *s = &b->s[kinds_in_order[i]];
		if (s->on)
			rc = csv_writer_new_file(s->path, o->force, &co, &s->w, err);
	}
	return rc;
}

static int open_stdout(struct book *b, const struct book_opts *o, struct ob_err *err)
{
	struct csv_write_opts co = { o->encoding, o->excel_text_ids };
	/* One stream holds one sheet: orders, unless only claims were asked for. */
	if (b->s[SHEET_ORDERS].on)
		b->s[SHEET_CLAIMS].on = false;
	enum sheet_kind k = b->s[SHEET_ORDERS].on ? SHEET_ORDERS : SHEET_CLAIMS;
	str_copy(b->s[k].path, sizeof b->s[k].path, "-");
	return csv_writer_new_fp(stdout, &co, &b->s[k].w, err);
}

/* One workbook, one worksheet per sheet kind; every writer shares the book,
 * which is written at the first finish and renamed at the first commit, so
 * book_commit stays all or nothing. */
static int open_xlsx(struct book *b, const char *path, const struct book_opts *o,
		     struct ob_err *err)
{
	struct xlsx_book *x;
	int rc = xlsx_book_new(path, o->force, &x, err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < 2; i++) {
		enum sheet_kind k = kinds_in_order[i];
		struct book_sheet *s = &b->s[k];
		if (!s->on)
			continue;
		str_copy(s->path, sizeof s->path, path);
		rc = xlsx_book_add_sheet(x, sheet_name(k), NULL, &s->w, err);
	}
	/* The writers hold the book now; on failure close_all lets it go. */
	xlsx_book_release(x);
	return rc;
}

static int write_headers(struct book *b, struct ob_err *err)
{
	for (size_t i = 0; i < 2; i++) {
		struct book_sheet *s = &b->s[kinds_in_order[i]];
		if (!s->on)
			continue;
		enum field_kind text[64];
		if (s->ncols > sizeof text / sizeof text[0])
			return ob_errf(err, OB_EIO, "internal error: too many columns");
		for (size_t c = 0; c < s->ncols; c++) {
			b->cells[c] = field_key(s->cols[c]);
			text[c] = FK_TEXT;
		}
		int rc = s->w->row(s->w, b->cells, text, s->ncols, err);
		if (rc)
			return rc;
	}
	return 0;
}

static void close_all(struct book *b)
{
	for (size_t i = 0; i < 2; i++) {
		struct book_sheet *s = &b->s[kinds_in_order[i]];
		if (s->w)
			s->w->close(s->w, false, NULL);
		s->w = NULL;
	}
}

int book_open(const char *path, const struct book_opts *o, struct book **out, struct ob_err *err)
{
	*out = NULL;
	unsigned sheets = o->sheets ? o->sheets : BOOK_SHEETS; /* 0 = both */
	if (sheets & ~BOOK_SHEETS)
		return ob_errf(err, OB_EUSAGE, "internal error: unknown sheets 0x%x", sheets);
	if (o->tpl)
		return ob_errf(err, OB_EUSAGE,
			       "templates are not built yet; export without --template");
	struct book *b = calloc(1, sizeof *b);
	if (!b)
		return ob_err_nomem(err);
	b->force = o->force;
	size_t widest = 0;
	for (size_t i = 0; i < 2; i++) {
		enum sheet_kind k = kinds_in_order[i];
		struct book_sheet *s = &b->s[k];
		s->on = (sheets & (1u << k)) != 0;
		s->cols = sheet_columns(k, &s->ncols);
		s->kinds = malloc(s->ncols * sizeof *s->kinds);
		if (!s->kinds) {
			book_free(b);
			return ob_err_nomem(err);
		}
		for (size_t c = 0; c < s->ncols; c++)
			s->kinds[c] = field_def(s->cols[c])->kind;
		if (s->ncols > widest)
			widest = s->ncols;
	}
	b->cells = calloc(widest, sizeof *b->cells);
	if (!b->cells) {
		book_free(b);
		return ob_err_nomem(err);
	}
	int rc;
	if (str_eq(path, "-"))
		rc = open_stdout(b, o, err);
	else if (ends_with_ci(path, ".csv") && strlen(path) > 4 && path[strlen(path) - 5] != '/')
		rc = open_csv(b, path, o, err);
	else if (ends_with_ci(path, ".xlsx"))
		rc = open_xlsx(b, path, o, err);
	else if (ends_with_ci(path, ".xls"))
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: the old .xls format cannot be written; use NAME.xlsx or NAME.csv",
			     path);
	else
		rc = ob_errf(err, OB_EUSAGE,
			     "%s: cannot tell the format from the name; use -o NAME.csv, -o NAME.xlsx "
			     "or -o - (standard output)",
			     path);
	if (!rc)
		rc = write_headers(b, err);
	if (rc) {
		close_all(b);
		book_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

int book_put(struct book *b, const struct record *r, struct ob_err *err)
{
	if (r->sheet != SHEET_ORDERS && r->sheet != SHEET_CLAIMS)
		return ob_errf(err, OB_EIO, "internal error: record of unknown sheet %d", (int)r->sheet);
	struct book_sheet *s = &b->s[r->sheet];
	if (!s->on)
		return 0;
	for (size_t c = 0; c < s->ncols; c++)
		b->cells[c] = record_get(r, s->cols[c]);
	int rc = s->w->row(s->w, b->cells, s->kinds, s->ncols, err);
	if (rc)
		return rc;
	s->rows++;
	return 0;
}

int book_commit(struct book *b, struct ob_err *err)
{
	int rc = 0;
	/* Phase 1: everything written and synced; any failure keeps every old file. */
	for (size_t i = 0; !rc && i < 2; i++) {
		struct book_sheet *s = &b->s[kinds_in_order[i]];
		if (s->w && s->w->finish)
			rc = s->w->finish(s->w, err);
	}
	if (rc) {
		close_all(b);
		book_free(b);
		return rc;
	}
	/* Phase 2: the renames. One can still fail (a file appeared meanwhile); then
	 * the sheets already in place are taken back, unless they replaced a file. */
	size_t done = 0;
	enum sheet_kind committed[2];
	for (size_t i = 0; i < 2; i++) {
		struct book_sheet *s = &b->s[kinds_in_order[i]];
		if (!s->w)
			continue;
		struct table_writer *w = s->w;
		s->w = NULL;
		if (rc) {
			w->close(w, false, NULL);
			continue;
		}
		rc = w->close(w, true, err);
		if (!rc)
			committed[done++] = kinds_in_order[i];
	}
	if (rc && !b->force)
		for (size_t i = 0; i < done; i++)
			if (!str_eq(b->s[committed[i]].path, "-"))
				unlink(b->s[committed[i]].path);
	book_free(b);
	return rc;
}

void book_abort(struct book *b)
{
	if (!b)
		return;
	close_all(b);
	book_free(b);
}

const char *book_path(const struct book *b, enum sheet_kind s)
{
	if (s != SHEET_ORDERS && s != SHEET_CLAIMS)
		return "";
	return b->s[s].on ? b->s[s].path : "";
}

long book_rows(const struct book *b, enum sheet_kind s)
{
	if (s != SHEET_ORDERS && s != SHEET_CLAIMS)
		return 0;
	return b->s[s].on ? b->s[s].rows : 0;
}
