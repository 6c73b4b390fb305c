/* CSV writer (see csv.h): one sheet row per call. Quoting is libcsv's
 * csv_write; lines end in CRLF as Excel's own; the formula guard covers every
 * cell that is not a plain number; identifiers optionally become ="..." so Excel
 * keeps them as text; output is UTF-8 with BOM, plain UTF-8 or CP949. */
#include "sheet/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sheet/guard.h"
#include "sheet/outfile.h"
#include "util/str.h"

struct csv_writer {
	struct table_writer base; /* first: the table_writer pointer is ours */
	FILE *fp;
	bool own;    /* a file of ours (temporary until commit), not the caller's fp */
	bool force;
	bool failed; /* a write failed: the output is incomplete and must not be committed */
	bool excel_ids;
	struct encoding_conv *conv; /* UTF-8 -> CP949, or NULL */
	struct buf line, cell, conv_out;
	size_t rows;                /* rows written so far (the header is row 1) */
	char **names;               /* header cells, to name columns in messages */
	size_t nnames;
	char path[4096];
	char tmp[4200];
	char where[4096];           /* the file name or "standard output", for messages */
};

/* -12, 12000, 3.5: Excel reads these as numbers, not formulas, so a minus sign
 * is no threat and the guard would only turn a number into text. */
static bool is_plain_number(const char *s)
{
	if (*s == '-')
		s++;
	size_t n = strspn(s, "0123456789");
	if (!n)
		return false;
	s += n;
	if (*s == '.') {
		n = strspn(s + 1, "0123456789");
		if (!n)
			return false;
		s += 1 + n;
	}
	return *s == '\0';
}

/* The cell as it goes into the file, before quoting and conversion. */
static int cell_text(struct csv_writer *w, const char *v, enum field_kind kind, struct buf *out)
{
	if ((kind == FK_INT || kind == FK_MONEY) && is_plain_number(v))
		return buf_puts(out, v);
	if (w->excel_ids && field_kind_is_identifier(kind) && *v) {
		/* ="..." is a formula whose result is the text; inside its string a
		 * quote is doubled. The guard still goes in, so readers have one rule. */
		if (buf_puts(out, "=\"") < 0 || (guard_needed(v) && buf_putc(out, '\'') < 0))
			return -1;
		for (const char *p = v; *p; p++)
			if ((*p == '"' && buf_putc(out, '"') < 0) || buf_putc(out, *p) < 0)
				return -1;
		return buf_putc(out, '"');
	}
	return guard_encode(v, out);
}

static bool needs_quotes(const char *s, size_t n)
{
	if (!n)
		return false;
	/* Spaces at the ends are kept by Excel, but other readers trim unquoted ones. */
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

static void column_name(const struct csv_writer *w, size_t col, char *out, size_t n)
{
	char letters[16];
	table_col_letters(col, letters, sizeof letters);
	if (col < w->nnames && *w->names[col])
		snprintf(out, n, "%s (%.64s)", letters, w->names[col]);
	else
		snprintf(out, n, "%s", letters);
}

static int remember_names(struct csv_writer *w, const char *const *cells, size_t n)
{
	w->names = calloc(n ? n : 1, sizeof *w->names);
	if (!w->names)
		return -1;
	for (size_t i = 0; i < n; i++) {
		w->names[i] = ob_strdup(cells[i] ? cells[i] : "");
		if (!w->names[i])
			return -1;
		w->nnames = i + 1;
	}
	return 0;
}

static int w_row(struct table_writer *tw, const char *const *cells, const enum field_kind *kinds,
		 size_t n, struct ob_err *err)
{
	struct csv_writer *w = (struct csv_writer *)tw;
	size_t row_no = w->rows + 1;
	char col[96];
	if (w->failed)
		return ob_errf(err, OB_EIO, "%s: an earlier write failed", w->where);
	buf_reset(&w->line);
	for (size_t i = 0; i < n; i++) {
		const char *v = cells[i] ? cells[i] : "";
		enum field_kind kind = kinds ? kinds[i] : FK_TEXT;
		size_t vlen = strlen(v);
		if (!str_valid_utf8(v, vlen)) {
			column_name(w, i, col, sizeof col);
			return ob_errf(err, OB_EIO, "%s row %zu, column %s: the value is not UTF-8 text",
				       w->where, row_no, col);
		}
		/* Most cells go as they are: UTF-8 out, no guard, no ="..." and no
		 * quotes needed (what cell_text and the quoting below would give). */
		if (!w->conv && !(w->excel_ids && field_kind_is_identifier(kind)) && !guard_needed(v) &&
		    !needs_quotes(v, vlen)) {
			if ((i && buf_putc(&w->line, ',') < 0) || buf_append(&w->line, v, vlen) < 0)
				return ob_err_nomem(err);
			continue;
		}
		buf_reset(&w->cell);
		if (cell_text(w, v, kind, &w->cell) < 0)
			return ob_err_nomem(err);
		const char *bytes = buf_cstr(&w->cell);
		size_t len = w->cell.len;
		if (w->conv) {
			size_t used;
			buf_reset(&w->conv_out);
			int rc = encoding_conv_run(w->conv, bytes, len, true, &used, &w->conv_out, err);
			if (rc) {
				char what[sizeof err->msg];
				str_copy(what, sizeof what, err ? err->msg : "");
				column_name(w, i, col, sizeof col);
				return ob_errf(err, rc,
					       "%s row %zu, column %s: %s; export in UTF-8 (the default, "
					       "without --encoding cp949) or remove the character",
					       w->where, row_no, col, what);
			}
			bytes = buf_cstr(&w->conv_out);
			len = w->conv_out.len;
		}
		if (i && buf_putc(&w->line, ',') < 0)
			return ob_err_nomem(err);
		if (needs_quotes(bytes, len)) {
			/* csv_write encloses in quotes and doubles the quotes inside;
			 * CP949 trail bytes never equal '"', so this is safe there too. */
			if (len > (SIZE_MAX - 3) / 2 || buf_reserve(&w->line, 2 * len + 2) < 0)
				return ob_err_nomem(err);
			size_t room = w->line.cap - w->line.len;
			w->line.len += csv_write(w->line.data + w->line.len, room, bytes, len);
			w->line.data[w->line.len] = '\0';
		} else if (buf_append(&w->line, bytes, len) < 0) {
			return ob_err_nomem(err);
		}
	}
	if (buf_append(&w->line, "\r\n", 2) < 0)
		return ob_err_nomem(err);
	if (fwrite(w->line.data, 1, w->line.len, w->fp) != w->line.len) {
		w->failed = true;
		return ob_errf(err, OB_EIO, "cannot write %s: %s", w->where, strerror(errno));
	}
	if (w->rows == 0 && remember_names(w, cells, n) < 0)
		return ob_err_nomem(err);
	w->rows++;
	return 0;
}

static int w_finish(struct table_writer *tw, struct ob_err *err)
{
	struct csv_writer *w = (struct csv_writer *)tw;
	if (w->failed)
		return ob_errf(err, OB_EIO, "%s: an earlier write failed", w->where);
	if (!w->fp)
		return 0; /* already finished */
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		w->failed = true;
		return ob_errf(err, OB_EIO, "cannot write %s: %s", w->where, strerror(errno));
	}
	if (!w->own)
		return 0;
	/* The data must be on disk before the rename makes the file visible. */
	int rc = fsync(fileno(w->fp));
	int e = errno;
	if (fclose(w->fp) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	w->fp = NULL;
	if (rc < 0) {
		w->failed = true;
		return ob_errf(err, OB_EIO, "cannot write %s: %s", w->where, strerror(e));
	}
	return 0;
}

static void w_free(struct csv_writer *w)
{
	encoding_conv_close(w->conv);
	buf_free(&w->line);
	buf_free(&w->cell);
	buf_free(&w->conv_out);
	for (size_t i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
	free(w);
}

static int w_close(struct table_writer *tw, bool commit, struct ob_err *err)
{
	struct csv_writer *w = (struct csv_writer *)tw;
	int rc = 0;
	if (commit) {
		rc = w_finish(tw, err);
		if (!rc && w->own)
			rc = outfile_commit(w->tmp, w->path, w->force, err);
	}
	if (w->own) {
		if (w->fp)
			fclose(w->fp);
		if (!commit || rc)
			unlink(w->tmp);
	}
	w_free(w);
	return rc;
}

static int w_new(const struct csv_write_opts *o, const char *where, struct csv_writer **out,
		 struct ob_err *err)
{
	enum text_encoding enc = o ? o->encoding : ENC_AUTO;
	*out = NULL;
	if (enc != ENC_AUTO && enc != ENC_UTF8_BOM && enc != ENC_UTF8 && enc != ENC_CP949)
		return ob_errf(err, OB_EUSAGE, "unknown CSV encoding %d", (int)enc);
	struct csv_writer *w = calloc(1, sizeof *w);
	if (!w)
		return ob_err_nomem(err);
	w->base.row = w_row;
	w->base.finish = w_finish;
	w->base.close = w_close;
	w->excel_ids = o && o->excel_text_ids;
	str_copy(w->where, sizeof w->where, where);
	if (enc == ENC_CP949) {
		int rc = encoding_conv_open(ENC_UTF8, ENC_CP949, &w->conv, err);
		if (rc) {
			free(w);
			return rc;
		}
	}
	*out = w;
	return 0;
}

/* Excel takes a file as UTF-8 only when it starts with the byte-order mark. */
static int w_start(struct csv_writer *w, enum text_encoding enc, struct ob_err *err)
{
	if ((enc == ENC_AUTO || enc == ENC_UTF8_BOM) && fwrite("\xEF\xBB\xBF", 1, 3, w->fp) != 3) {
		w->failed = true;
		return ob_errf(err, OB_EIO, "cannot write %s: %s", w->where, strerror(errno));
	}
	return 0;
}

int csv_writer_new_fp(FILE *fp, const struct csv_write_opts *o, struct table_writer **out,
		      struct ob_err *err)
{
	struct csv_writer *w;
	*out = NULL;
	int rc = w_new(o, fp == stdout ? "standard output" : "output", &w, err);
	if (rc)
		return rc;
	w->fp = fp;
	rc = w_start(w, o ? o->encoding : ENC_AUTO, err);
	if (rc) {
		w_free(w);
		return rc;
	}
	*out = &w->base;
	return 0;
}

int csv_writer_new_file(const char *path, bool force, const struct csv_write_opts *o,
			struct table_writer **out, struct ob_err *err)
{
	struct csv_writer *w;
	*out = NULL;
	if (strlen(path) >= sizeof w->path)
		return ob_errf(err, OB_EUSAGE, "%.200s...: file name too long", path);
	int rc = outfile_check(path, force, err);
	if (rc)
		return rc;
	rc = w_new(o, path, &w, err);
	if (rc)
		return rc;
	str_copy(w->path, sizeof w->path, path);
	w->force = force;
	w->own = true;
	int fd;
	rc = outfile_create_temp(path, w->tmp, sizeof w->tmp, &fd, err);
	if (rc) {
		w_free(w);
		return rc;
	}
	w->fp = fdopen(fd, "wb");
	if (!w->fp) {
		rc = ob_errf(err, OB_EIO, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(w->tmp);
		w_free(w);
		return rc;
	}
	rc = w_start(w, o ? o->encoding : ENC_AUTO, err);
	if (rc) {
		w_close(&w->base, false, NULL);
		return rc;
	}
	*out = &w->base;
	return 0;
}
