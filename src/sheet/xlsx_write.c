/* XLSX writer (see xlsx.h): one libxlsxwriter workbook in constant-memory mode
 * (each row goes to a temporary file as soon as the next one starts), shared
 * by one table_writer per worksheet, written to a 0600 temporary file next to
 * the target and renamed into place (outfile.h). */
#include "sheet/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "sheet/outfile.h"
#include "util/buf.h"
#include "util/str.h"

/* Column widths are measured over the first rows only: enough to size the
 * columns, and the memory stays one number per column. */
#define WIDTH_SAMPLE_ROWS 1000
#define WIDTH_MAX 60

struct xlsx_sheet {
	struct table_writer base; /* first: the table_writer pointer is ours */
	struct xlsx_book *book;
	struct xlsx_sheet *next;
	lxw_worksheet *ws;
	bool open;                /* close() not called yet */
	size_t rows;              /* rows written */
	size_t header_row;
	char **names;             /* header cells, to name columns in messages */
	size_t nnames;
	enum field_kind *kinds;   /* of the first data row that had kinds */
	size_t nkinds;
	unsigned *width;          /* display width per column, over the sampled rows */
	size_t ncols;             /* widest row */
	char name[LXW_SHEETNAME_MAX * 4 + 1];
};

struct xlsx_book {
	lxw_workbook *wb;         /* NULL once written (workbook_close frees it) */
	lxw_format *f_text, *f_header, *f_money, *f_int;
	struct xlsx_sheet *sheets, *last;
	int refs;                 /* the creator (until release) and every open writer */
	bool failed;              /* a write failed: the file must not be committed */
	bool finished;            /* written and synced */
	bool committed;           /* renamed into place */
	bool force;
	char path[4096];
	char tmp[4200];
	char tmpdir[4096];        /* libxlsxwriter's row files: next to the output, not /tmp */
	struct buf esc;           /* scratch for one escaped cell */
};

static void column_name(const struct xlsx_sheet *s, size_t col, char *out, size_t n)
{
	char letters[16];
	table_col_letters(col, letters, sizeof letters);
	if (col < s->nnames && *s->names[col])
		snprintf(out, n, "%s (%.64s)", letters, s->names[col]);
	else
		snprintf(out, n, "%s", letters);
}

/* An integer that a number cell holds exactly and gives back as the same text:
 * no sign but '-', no leading zeros, at most 15 digits (Excel's precision). */
static bool canonical_int(const char *s, double *out)
{
	const char *d = *s == '-' ? s + 1 : s;
	size_t n = strspn(d, "0123456789");
	if (n == 0 || n > 15 || d[n] != '\0' || (d[0] == '0' && n > 1) || (d != s && d[0] == '0'))
		return false;
	int64_t v;
	if (str_to_i64(s, &v) < 0)
		return false;
	*out = (double)v;
	return true;
}

static bool is_hex4(const char *p)
{
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

/* The text as it must go to libxlsxwriter so that a reader gets it back exactly.
 * libxlsxwriter escapes control characters (CR included) as _xHHHH_, the
 * OOXML escape, but not text that already looks like one, so "_x0041_" would
 * read back as "A": its underscore is escaped as _x005F_, as Excel does.
 * U+FFFE and U+FFFF are not allowed in XML at all and get the escape too. */
static int escape_text(const char *v, struct buf *out)
{
	buf_reset(out);
	for (const char *p = v; *p; p++) {
		if (p[0] == '_' && p[1] == 'x' && is_hex4(p + 2) && p[6] == '_') {
			if (buf_puts(out, "_x005F_") < 0)
				return -1;
			continue;
		}
		if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBF &&
		    ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF)) {
			if (buf_puts(out, (unsigned char)p[2] == 0xBE ? "_xFFFE_" : "_xFFFF_") < 0)
				return -1;
			p += 2;
			continue;
		}
		if (buf_putc(out, *p) < 0)
			return -1;
	}
	return buf_puts(out, "");
}

/* Columns wide enough for the characters: Hangul, CJK and emoji take two. */
static unsigned display_width(const char *s)
{
	unsigned w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && w < WIDTH_MAX; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE1 ? 2 : 1; /* lead bytes of U+1000 and above */
	}
	return w;
}

static unsigned kind_min_width(enum field_kind k)
{
	switch (k) {
	case FK_ID:
		return 20; /* 18-digit ids */
	case FK_PHONE:
		return 15;
	case FK_ZIP:
		return 8;
	case FK_MONEY:
		return 12;
	case FK_INT:
		return 8;
	case FK_TIME:
		return 20;
	case FK_DATE:
		return 12;
	default:
		return 10;
	}
}

static int lxw_fail(struct xlsx_sheet *s, size_t row, size_t col, lxw_error e, struct ob_err *err)
{
	char cname[96];
	column_name(s, col, cname, sizeof cname);
	s->book->failed = true;
	if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return ob_errf(err, OB_EIO,
			       "%s: sheet %s has more rows than Excel allows (%d); export a shorter "
			       "period, or as CSV",
			       s->book->path, s->name, LXW_ROW_MAX);
	return ob_errf(err, OB_EIO, "%s: sheet %s row %zu, column %s: %s", s->book->path, s->name,
		       row + 1, cname, lxw_strerror(e));
}

static int remember_names(struct xlsx_sheet *s, const char *const *cells, size_t n)
{
	s->names = calloc(n ? n : 1, sizeof *s->names);
	if (!s->names)
		return -1;
	for (size_t i = 0; i < n; i++) {
		s->names[i] = ob_strdup(cells[i] ? cells[i] : "");
		if (!s->names[i])
			return -1;
		s->nnames = i + 1;
	}
	return 0;
}

/* Grows the per-column width array to n columns. */
static int grow_cols(struct xlsx_sheet *s, size_t n)
{
	if (n <= s->ncols)
		return 0;
	unsigned *w = realloc(s->width, n * sizeof *w);
	if (!w)
		return -1;
	memset(w + s->ncols, 0, (n - s->ncols) * sizeof *w);
	s->width = w;
	s->ncols = n;
	return 0;
}

static int w_row(struct table_writer *tw, const char *const *cells, const enum field_kind *kinds,
		 size_t n, struct ob_err *err)
{
	struct xlsx_sheet *s = (struct xlsx_sheet *)tw;
	struct xlsx_book *b = s->book;
	size_t r = s->rows;
	char cname[96];
	if (b->failed)
		return ob_errf(err, OB_EIO, "%s: an earlier write failed", b->path);
	if (b->finished)
		return ob_errf(err, OB_EIO, "internal error: %s: row after the workbook was written",
			       b->path);
	if (r >= LXW_ROW_MAX)
		return lxw_fail(s, r, 0, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, err);
	if (n > LXW_COL_MAX) {
		b->failed = true;
		return ob_errf(err, OB_EIO, "%s: sheet %s row %zu has %zu cells; Excel allows %d",
			       b->path, s->name, r + 1, n, LXW_COL_MAX);
	}
	if (grow_cols(s, n) < 0)
		return ob_err_nomem(err);
	bool header = r == s->header_row, data = r > s->header_row;
	for (size_t i = 0; i < n; i++) {
		const char *v = cells[i] ? cells[i] : "";
		if (!*v)
			continue; /* no cell: the column's text format covers it */
		enum field_kind kind = kinds ? kinds[i] : FK_TEXT;
		lxw_error e;
		double num;
		if (data && (kind == FK_INT || kind == FK_MONEY) && canonical_int(v, &num)) {
			e = worksheet_write_number(s->ws, (lxw_row_t)r, (lxw_col_t)i, num,
						   kind == FK_MONEY ? b->f_money : b->f_int);
		} else {
			if (!str_valid_utf8(v, strlen(v))) {
				column_name(s, i, cname, sizeof cname);
				b->failed = true;
				return ob_errf(err, OB_EIO,
					       "%s: sheet %s row %zu, column %s: the value is not UTF-8 "
					       "text",
					       b->path, s->name, r + 1, cname);
			}
			if (escape_text(v, &b->esc) < 0)
				return ob_err_nomem(err);
			e = worksheet_write_string(s->ws, (lxw_row_t)r, (lxw_col_t)i,
						   buf_cstr(&b->esc), header ? b->f_header : b->f_text);
		}
		if (e != LXW_NO_ERROR)
			return lxw_fail(s, r, i, e, err);
		if (r >= s->header_row && r <= s->header_row + WIDTH_SAMPLE_ROWS) { /* not titles */
			unsigned w = display_width(v) + (kind == FK_MONEY ? 2 : 0);
			if (w > s->width[i])
				s->width[i] = w;
		}
	}
	if (header && remember_names(s, cells, n) < 0)
		return ob_err_nomem(err);
	if (data && kinds && !s->kinds) {
		s->kinds = malloc((n ? n : 1) * sizeof *s->kinds);
		if (!s->kinds)
			return ob_err_nomem(err);
		memcpy(s->kinds, kinds, n * sizeof *kinds);
		s->nkinds = n;
	}
	s->rows++;
	return 0;
}

/* Widths, column formats and the autofilter: set last, when the data is known.
 * Every cell was written with its own format, so a column format set now only
 * applies to the cells a seller fills in later. */
static int sheet_layout(struct xlsx_sheet *s, struct ob_err *err)
{
	struct xlsx_book *b = s->book;
	for (size_t c = 0; c < s->ncols; c++) {
		enum field_kind k = c < s->nkinds ? s->kinds[c] : FK_TEXT;
		unsigned w = s->width[c] + 2, min = kind_min_width(k);
		if (w < min)
			w = min;
		if (w > WIDTH_MAX)
			w = WIDTH_MAX;
		lxw_format *f = k == FK_MONEY ? b->f_money : k == FK_INT ? b->f_int : b->f_text;
		lxw_error e = worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w, f);
		if (e != LXW_NO_ERROR)
			return lxw_fail(s, 0, c, e, err);
	}
	if (s->nnames && s->rows > s->header_row) {
		lxw_error e = worksheet_autofilter(s->ws, (lxw_row_t)s->header_row, 0,
						   (lxw_row_t)(s->rows - 1), (lxw_col_t)(s->nnames - 1));
		if (e != LXW_NO_ERROR)
			return lxw_fail(s, s->header_row, 0, e, err);
	}
	return 0;
}

static int book_finish(struct xlsx_book *b, struct ob_err *err)
{
	if (b->failed)
		return ob_errf(err, OB_EIO, "%s: an earlier write failed", b->path);
	if (b->finished)
		return 0;
	for (struct xlsx_sheet *s = b->sheets; s; s = s->next) {
		int rc = sheet_layout(s, err);
		if (rc)
			return rc;
	}
	lxw_error e = workbook_close(b->wb);
	b->wb = NULL;
	if (e != LXW_NO_ERROR) {
		b->failed = true;
		return ob_errf(err, OB_EIO, "cannot write %s: %s", b->path, lxw_strerror(e));
	}
	/* The data must be on disk before the rename makes the file visible. */
	int fd = open(b->tmp, O_RDONLY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : fsync(fd);
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		b->failed = true;
		return ob_errf(err, OB_EIO, "cannot write %s: %s", b->path, strerror(saved));
	}
	b->finished = true;
	return 0;
}

static void book_free(struct xlsx_book *b)
{
	if (b->wb)
		lxw_workbook_free(b->wb);
	if (!b->committed && b->tmp[0])
		unlink(b->tmp);
	struct xlsx_sheet *s = b->sheets;
	while (s) {
		struct xlsx_sheet *next = s->next;
		for (size_t i = 0; i < s->nnames; i++)
			free(s->names[i]);
		free(s->names);
		free(s->kinds);
		free(s->width);
		free(s);
		s = next;
	}
	buf_free(&b->esc);
	free(b);
}

static void book_unref(struct xlsx_book *b)
{
	if (--b->refs == 0)
		book_free(b);
}

static int w_finish(struct table_writer *tw, struct ob_err *err)
{
	return book_finish(((struct xlsx_sheet *)tw)->book, err);
}

/* The first close with commit writes and renames the workbook for all its
 * sheets; later ones find it done. Without commit a writer only lets go: the
 * book is thrown away when the last one does and nobody committed. */
static int w_close(struct table_writer *tw, bool commit, struct ob_err *err)
{
	struct xlsx_sheet *s = (struct xlsx_sheet *)tw;
	struct xlsx_book *b = s->book;
	int rc = 0;
	if (!s->open)
		return 0;
	s->open = false;
	if (commit && !b->committed) {
		rc = book_finish(b, err);
		if (!rc)
			rc = outfile_commit(b->tmp, b->path, b->force, err);
		if (rc)
			b->failed = true;
		else
			b->committed = true;
	} else if (commit && b->failed) {
		rc = ob_errf(err, OB_EIO, "%s: an earlier write failed", b->path);
	}
	book_unref(b);
	return rc;
}

int xlsx_book_new(const char *path, bool force, struct xlsx_book **out, struct ob_err *err)
{
	*out = NULL;
	struct xlsx_book *b = calloc(1, sizeof *b);
	if (!b)
		return ob_err_nomem(err);
	b->refs = 1;
	b->force = force;
	if (str_copy(b->path, sizeof b->path, path) >= sizeof b->path) {
		free(b);
		return ob_errf(err, OB_EUSAGE, "%.200s...: file name too long", path);
	}
	int rc = outfile_check(path, force, err);
	int fd = -1;
	if (!rc)
		rc = outfile_create_temp(path, b->tmp, sizeof b->tmp, &fd, err);
	if (rc) {
		b->tmp[0] = '\0';
		book_free(b);
		return rc;
	}
	/* libxlsxwriter writes the file by name: it truncates our 0600 file, whose
	 * mode stays; the descriptor is not needed. */
	close(fd);
	const char *slash = strrchr(path, '/');
	if (!slash)
		str_copy(b->tmpdir, sizeof b->tmpdir, ".");
	else if (slash == path)
		str_copy(b->tmpdir, sizeof b->tmpdir, "/");
	else
		snprintf(b->tmpdir, sizeof b->tmpdir, "%.*s", (int)(slash - path), path);
	lxw_workbook_options lo = { .constant_memory = LXW_TRUE, .tmpdir = b->tmpdir,
				    .use_zip64 = LXW_FALSE };
	b->wb = workbook_new_opt(b->tmp, &lo);
	if (b->wb) {
		b->f_text = workbook_add_format(b->wb);
		b->f_header = workbook_add_format(b->wb);
		b->f_money = workbook_add_format(b->wb);
		b->f_int = workbook_add_format(b->wb);
	}
	if (!b->wb || !b->f_text || !b->f_header || !b->f_money || !b->f_int) {
		book_free(b);
		return ob_err_nomem(err);
	}
	format_set_num_format(b->f_text, "@");
	format_set_num_format(b->f_header, "@");
	format_set_bold(b->f_header);
	format_set_num_format(b->f_money, "#,##0");
	format_set_num_format(b->f_int, "0");
	*out = b;
	return 0;
}

int xlsx_book_add_sheet(struct xlsx_book *b, const char *name, const struct xlsx_sheet_opts *o,
			struct table_writer **out, struct ob_err *err)
{
	*out = NULL;
	/* Sheets come first, rows after: the layout of every sheet is set when
	 * the book is written, and callers open all their sheets up front. */
	for (struct xlsx_sheet *t = b->sheets; t; t = t->next)
		if (t->rows)
			return ob_errf(err, OB_EIO, "internal error: %s: sheet added after rows",
				       b->path);
	if (!b->wb)
		return ob_errf(err, OB_EIO, "internal error: %s: sheet added after the end", b->path);
	struct xlsx_sheet *s = calloc(1, sizeof *s);
	if (!s)
		return ob_err_nomem(err);
	s->base.row = w_row;
	s->base.close = w_close;
	s->base.finish = w_finish;
	s->book = b;
	s->header_row = o ? o->header_row : 0;
	str_copy(s->name, sizeof s->name, name);
	lxw_error e = workbook_validate_sheet_name(b->wb, name);
	if (e == LXW_NO_ERROR) {
		s->ws = workbook_add_worksheet(b->wb, name);
		if (!s->ws)
			e = LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	if (e != LXW_NO_ERROR) {
		free(s);
		return ob_errf(err, OB_EIO, "%s: cannot add sheet \"%s\": %s", b->path, name,
			       lxw_strerror(e));
	}
	if (s->header_row + 1 < LXW_ROW_MAX)
		worksheet_freeze_panes(s->ws, (lxw_row_t)(s->header_row + 1), 0);
	/* No green "number stored as text" triangles on the ids: their menu's
	 * "Convert to Number" is how an 18-digit id loses its last digits. */
	e = worksheet_ignore_errors(s->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
	if (e != LXW_NO_ERROR) {
		free(s);
		return ob_errf(err, OB_EIO, "%s: sheet \"%s\": %s", b->path, name, lxw_strerror(e));
	}
	if (b->last)
		b->last->next = s;
	else
		b->sheets = s;
	b->last = s;
	s->open = true;
	b->refs++;
	*out = &s->base;
	return 0;
}

void xlsx_book_release(struct xlsx_book *b)
{
	if (b)
		book_unref(b);
}

int xlsx_writer_new_file(const char *path, bool force, const char *sheet,
			 const struct xlsx_sheet_opts *o, struct table_writer **out,
			 struct ob_err *err)
{
	struct xlsx_book *b;
	*out = NULL;
	int rc = xlsx_book_new(path, force, &b, err);
	if (rc)
		return rc;
	rc = xlsx_book_add_sheet(b, sheet, o, out, err);
	xlsx_book_release(b);
	return rc;
}
