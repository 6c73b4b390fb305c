/* The output of `export` (see book.h): picks the files from -o, writes each
 * record to the sheet of its kind through a table_writer, and commits all the
 * sheets or none. The back end (CSV or XLSX) only supplies the writers. */
#include "sheet/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "model/record_list.h"
#include "sheet/csv.h"
#include "sheet/outfile.h"
#include "sheet/table.h"
#include "sheet/template.h"
#include "sheet/xlsx.h"
#include "util/str.h"

#define BOOK_SHEETS ((1u << SHEET_ORDERS) | (1u << SHEET_CLAIMS))

struct book_sheet {
	bool on;
	struct table_writer *w;
	char path[4096];
	long rows;
	const enum field_id *cols;   /* without a template */
	size_t ncols;
	enum field_kind *kinds;
	struct record_list pending;  /* bundle rows of a template: grouped at commit */
};

struct book {
	struct book_sheet s[SHEET_CLAIMS + 1]; /* indexed by enum sheet_kind */
	bool force;
	const char **cells;                    /* scratch row, as long as the widest sheet */
	const struct template_def *tpl;        /* NULL: the unified sheets, English keys */
	struct buf *vals;                      /* a template's rendered cells, as many as cells */
	size_t nvals;
};

static const enum sheet_kind kinds_in_order[] = { SHEET_ORDERS, SHEET_CLAIMS };

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static void book_free(struct book *b)
{
	for (size_t i = 0; i < 2; i++) {
		free(b->s[kinds_in_order[i]].kinds);
		record_list_clear(&b->s[kinds_in_order[i]].pending);
	}
	for (size_t i = 0; i < b->nvals; i++)
		buf_free(&b->vals[i]);
	free(b->vals);
	free(b->cells);
	free(b);
}

/* NAME.csv -> NAME.orders.csv / NAME.claims.csv (the extension keeps its case). */
static int csv_sheet_paths(struct book *b, const char *path, struct ob_err *err)
{
	size_t stem = strlen(path) - 4;
	if (b->tpl && !(template_has_sheet(b->tpl, SHEET_ORDERS) && template_has_sheet(b->tpl, SHEET_CLAIMS))) {
		/* A one-sheet template (a courier upload) is one file, named as asked. */
		for (size_t i = 0; i < 2; i++)
			if (b->s[kinds_in_order[i]].on)
				str_copy(b->s[kinds_in_order[i]].path, sizeof b->s[kinds_in_order[i]].path, path);
		return 0;
	}
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
			b->cells[c] = b->tpl ? b->tpl->sheets[kinds_in_order[i]].cols[c].header : field_key(s->cols[c]);
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
	const struct template_def *tpl = o->tpl;
	struct book_opts eff = *o;
	if (tpl) {
		if (tpl->kind != TPL_OUTPUT)
			return ob_errf(err, OB_EUSAGE, "template %s (%s) reads a %s file; export needs an output template",
				       tpl->name, tpl->path, template_kind_word(tpl->kind));
		unsigned has = 0;
		for (size_t i = 0; i < 2; i++)
			if (template_has_sheet(tpl, kinds_in_order[i]))
				has |= 1u << kinds_in_order[i];
		if (!(sheets & has))
			return ob_errf(err, OB_EUSAGE, "template %s has no %s sheet; ask for %s", tpl->name,
				       sheets & (1u << SHEET_ORDERS) ? "orders" : "claims",
				       has & (1u << SHEET_ORDERS) ? "--what orders" : "--what claims");
		sheets &= has;
		if (eff.encoding == ENC_AUTO)
			eff.encoding = tpl->encoding;
	}
	o = &eff;
	struct book *b = calloc(1, sizeof *b);
	if (!b)
		return ob_err_nomem(err);
	b->force = o->force;
	b->tpl = tpl;
	size_t widest = 0;
	for (size_t i = 0; i < 2; i++) {
		enum sheet_kind k = kinds_in_order[i];
		struct book_sheet *s = &b->s[k];
		s->on = (sheets & (1u << k)) != 0;
		s->cols = sheet_columns(k, &s->ncols);
		if (tpl)
			s->ncols = tpl->sheets[k].n;
		s->kinds = malloc((s->ncols ? s->ncols : 1) * sizeof *s->kinds);
		if (!s->kinds) {
			book_free(b);
			return ob_err_nomem(err);
		}
		for (size_t c = 0; c < s->ncols; c++)
			s->kinds[c] = tpl ? tpl->sheets[k].cols[c].kind : field_def(s->cols[c])->kind;
		if (s->ncols > widest)
			widest = s->ncols;
	}
	b->cells = calloc(widest ? widest : 1, sizeof *b->cells);
	b->vals = tpl ? calloc(widest ? widest : 1, sizeof *b->vals) : NULL;
	b->nvals = b->vals ? widest : 0;
	if (!b->cells || (tpl && !b->vals)) {
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

/* One row of a template sheet from lines (one, or a bundle's). */
static int put_template_row(struct book *b, enum sheet_kind k, const struct record *const *lines, size_t n,
			    struct ob_err *err)
{
	struct book_sheet *s = &b->s[k];
	for (size_t c = 0; c < s->ncols; c++) {
		buf_reset(&b->vals[c]);
		int rc = template_render(b->tpl, k, c, lines, n, &b->vals[c], err);
		if (rc != OB_OK)
			return ob_err_prefix(err, "template %s, column %s", b->tpl->name,
					     b->tpl->sheets[k].cols[c].header);
		b->cells[c] = buf_cstr(&b->vals[c]);
	}
	int rc = s->w->row(s->w, b->cells, s->kinds, s->ncols, err);
	if (rc == OB_OK)
		s->rows++;
	return rc;
}

static bool all_cancelled(const struct record *r)
{
	int64_t q, c;
	return r->sheet == SHEET_ORDERS && record_get_i64(r, F_QTY, &q) == 0 && q > 0 &&
	       record_get_i64(r, F_CANCEL_QTY, &c) == 0 && c >= q;
}

/* Bundle rows: the lines of each (market, account, bundle_no) together, in
 * the order the first line of each bundle arrived; a line without a bundle
 * number is a bundle of its own. */
static const struct record_list *group_list;

static int cmp_bundle(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	const struct record *a = &group_list->items[i], *c = &group_list->items[j];
	static const enum field_id keys[] = { F_MARKET, F_ACCOUNT, F_BUNDLE_NO };
	bool sa = !record_has(a, F_BUNDLE_NO), sc = !record_has(c, F_BUNDLE_NO);
	if (!sa && !sc)
		for (size_t k = 0; k < 3; k++) {
			int d = strcmp(record_get(a, keys[k]), record_get(c, keys[k]));
			if (d)
				return d;
		}
	else if (sa != sc)
		return sa ? 1 : -1;
	return i < j ? -1 : i > j;
}

static int cmp_first(const void *x, const void *y)
{
	const size_t *a = x, *c = y;
	return a[0] < c[0] ? -1 : a[0] > c[0];
}

static int flush_bundles(struct book *b, enum sheet_kind k, struct ob_err *err)
{
	struct record_list *l = &b->s[k].pending;
	if (!l->n)
		return OB_OK;
	size_t *idx = malloc(l->n * sizeof *idx);
	size_t (*groups)[2] = malloc(l->n * sizeof *groups); /* first index, start in idx */
	const struct record **lines = malloc(l->n * sizeof *lines);
	int rc = OB_OK;
	if (!idx || !groups || !lines) {
		rc = ob_err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < l->n; i++)
		idx[i] = i;
	group_list = l;
	qsort(idx, l->n, sizeof *idx, cmp_bundle);
	size_t ng = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct record *r = &l->items[idx[i]];
		const struct record *prev = i ? &l->items[idx[i - 1]] : NULL;
		bool same = prev && record_has(r, F_BUNDLE_NO) && record_has(prev, F_BUNDLE_NO) &&
			    str_eq(record_get(r, F_MARKET), record_get(prev, F_MARKET)) &&
			    str_eq(record_get(r, F_ACCOUNT), record_get(prev, F_ACCOUNT)) &&
			    str_eq(record_get(r, F_BUNDLE_NO), record_get(prev, F_BUNDLE_NO));
		if (!same) {
			groups[ng][0] = idx[i];
			groups[ng][1] = i;
			ng++;
		}
	}
	qsort(groups, ng, sizeof *groups, cmp_first);
	for (size_t g = 0; g < ng && rc == OB_OK; g++) {
		size_t n = 0;
		for (size_t i = groups[g][1]; i < l->n; i++) {
			if (n && !(record_has(&l->items[idx[i]], F_BUNDLE_NO) &&
				   str_eq(record_get(&l->items[idx[i]], F_BUNDLE_NO), record_get(lines[0], F_BUNDLE_NO)) &&
				   str_eq(record_get(&l->items[idx[i]], F_MARKET), record_get(lines[0], F_MARKET)) &&
				   str_eq(record_get(&l->items[idx[i]], F_ACCOUNT), record_get(lines[0], F_ACCOUNT))))
				break;
			lines[n++] = &l->items[idx[i]];
		}
		rc = put_template_row(b, k, lines, n, err);
	}
out:
	free(idx);
	free(groups);
	free(lines);
	record_list_clear(l);
	return rc;
}

int book_put(struct book *b, const struct record *r, struct ob_err *err)
{
	if (r->sheet != SHEET_ORDERS && r->sheet != SHEET_CLAIMS)
		return ob_errf(err, OB_EIO, "internal error: record of unknown sheet %d", (int)r->sheet);
	struct book_sheet *s = &b->s[r->sheet];
	if (!s->on)
		return 0;
	if (b->tpl) {
		if (b->tpl->skip_cancelled && all_cancelled(r))
			return 0; /* nothing left to send: no parcel */
		if (b->tpl->rows == TPL_ROWS_BUNDLE)
			return record_list_push(&s->pending, r) < 0 ? ob_err_nomem(err) : OB_OK;
		return put_template_row(b, r->sheet, &r, 1, err);
	}
	for (size_t c = 0; c < s->ncols; c++)
		b->cells[c] = record_get(r, s->cols[c]);
	int rc = s->w->row(s->w, b->cells, s->kinds, s->ncols, err);
	if (rc)
		return rc;
	s->rows++;
	return 0;
}

int book_flush(struct book *b, struct ob_err *err)
{
	int rc = OB_OK;
	for (size_t i = 0; rc == OB_OK && i < 2; i++)
		if (b->s[kinds_in_order[i]].w && b->tpl)
			rc = flush_bundles(b, kinds_in_order[i], err);
	return rc;
}

int book_commit(struct book *b, struct ob_err *err)
{
	int rc = book_flush(b, err);
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
