/* CSV reader (see csv.h): streams a file through libcsv in 64 KiB pieces, so
 * memory depends on the longest row, never on the file. The encoding is decided
 * at the first non-ASCII bytes (BOM, UTF-8, else CP949); CP949 is converted to
 * UTF-8 piece by piece with characters cut at a piece boundary carried over. */
#include "sheet/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

#define READ_CHUNK (64 * 1024)
/* Excel's limits are 32,767 characters a cell and 16,384 columns; far longer
 * means a quote that never closes, or not a sheet at all. */
#define CELL_MAX (16u * 1024 * 1024)
#define ROW_CELLS_MAX 16384
#define ROW_BYTES_MAX (64u * 1024 * 1024)
#define PARSER_OPTS CSV_REPALL_NL

enum read_mode {
	MODE_UNDECIDED, /* only ASCII so far: the same bytes in every encoding */
	MODE_UTF8,
	MODE_CP949,
};

struct csv_reader {
	struct table_reader base; /* first: the table_reader pointer is ours */
	FILE *fp;
	struct csv_parser parser;
	enum read_mode mode;
	struct encoding_conv *conv;

	/* raw[0..rawlen) are file bytes not yet dropped; the first `consumed` of
	 * them are already turned into text. file_off is the offset of raw[0]. */
	char raw[READ_CHUNK];
	size_t rawlen, consumed;
	unsigned long long file_off;
	bool raw_eof;

	/* Text for the parser: raw itself (UTF-8, ASCII) or dec (from CP949). */
	struct buf dec;
	const char *text;
	size_t tlen, tpos;
	bool fini_done;
	int pending_rc; /* a conversion error, reported once the text before it is parsed */
	struct ob_err pending;

	/* The row being assembled. */
	struct buf cells;   /* NUL-terminated cells back to back */
	size_t *offs;       /* start of each cell in cells */
	char **ptrs;        /* handed out in table_row */
	size_t ncells, cap;
	bool row_ready;
	int prev_term;      /* row end seen last, to count CR LF as one */
	size_t row_no;      /* rows completed */

	int cb_rc;          /* a problem found inside a libcsv callback */
	size_t cb_col;
	char cb_msg[256];
	bool failed;
};

static int no_spaces(unsigned char c)
{
	/* libcsv trims spaces around unquoted cells by default; sellers' text keeps them. */
	(void)c;
	return 0;
}

/* libcsv grows its cell buffer through this; refusing beyond CELL_MAX bounds the
 * memory a runaway quoted cell can take. */
static void *capped_realloc(void *p, size_t n)
{
	if (n > CELL_MAX + READ_CHUNK)
		return NULL;
	return realloc(p, n);
}

static void cb_fail(struct csv_reader *r, int rc, size_t col, const char *msg)
{
	if (r->cb_rc)
		return;
	r->cb_rc = rc;
	r->cb_col = col;
	str_copy(r->cb_msg, sizeof r->cb_msg, msg);
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	const char *p = s ? s : "";
	size_t col = r->ncells;
	const char *problem = NULL;
	int code = OB_EINVALID;
	if (r->cb_rc)
		return;
	r->prev_term = 0;
	if (col >= ROW_CELLS_MAX)
		problem = "the row has more than 16384 cells";
	else if (len && memchr(p, '\0', len))
		problem = "the cell contains a NUL byte, so this is not a CSV text file (a binary or "
			  "UTF-16 file?); save it from Excel as \"CSV UTF-8\"";
	else if (r->mode != MODE_CP949 && !str_valid_utf8(p, len))
		problem = "the cell is not UTF-8 text although the file began as UTF-8 (mixed "
			  "encodings?); save it from Excel as \"CSV UTF-8\"";
	else if (r->cells.len + len + 1 > ROW_BYTES_MAX)
		problem = "the row is longer than 64 MiB";
	if (!problem && col == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		size_t *offs = realloc(r->offs, cap * sizeof *offs);
		if (offs)
			r->offs = offs;
		char **ptrs = offs ? realloc(r->ptrs, cap * sizeof *ptrs) : NULL;
		if (ptrs) {
			r->ptrs = ptrs;
			r->cap = cap;
		} else {
			problem = "out of memory";
			code = OB_EIO;
		}
	}
	if (!problem) {
		r->offs[col] = r->cells.len;
		if (buf_append(&r->cells, p, len) == 0 && buf_putc(&r->cells, '\0') == 0) {
			r->ncells++;
			return;
		}
		problem = "out of memory";
		code = OB_EIO;
	}
	cb_fail(r, code, col, problem);
}

static void on_row(int c, void *data)
{
	struct csv_reader *r = data;
	/* With CSV_REPALL_NL libcsv reports every line end, so the LF of CR LF
	 * arrives as an empty row of its own; a lone CR or LF is a blank row that
	 * Excel numbers too. */
	if (c == '\n' && r->prev_term == '\r') {
		r->prev_term = 0;
		return;
	}
	r->prev_term = c;
	r->row_no++;
	r->row_ready = true;
}

static bool is_ascii(const char *p, size_t n, size_t *first_high)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80) {
			*first_high = i;
			return false;
		}
	*first_high = n;
	return true;
}

/* Turns raw bytes into parser text, deciding the encoding when needed. */
static int decode(struct csv_reader *r, struct ob_err *err)
{
	const char *in = r->raw;
	size_t n = r->rawlen;
	r->tpos = 0;
	if (r->mode == MODE_UNDECIDED) {
		size_t k;
		if (is_ascii(in, n, &k) || (!r->raw_eof && n - k < 4)) {
			/* Still ASCII, or the first non-ASCII character may be cut by
			 * the piece boundary: pass the ASCII on and decide later. */
			r->text = in;
			r->tlen = r->consumed = k;
			return 0;
		}
		enum text_encoding e = encoding_detect(in, n);
		if (r->raw_eof && e == ENC_UTF8 && !str_valid_utf8(in, n))
			e = ENC_CP949; /* the cut-off allowance is for pieces, not the file's end */
		if (e == ENC_CP949) {
			int rc = encoding_conv_open(ENC_CP949, ENC_UTF8, &r->conv, err);
			if (rc)
				return rc;
			r->mode = MODE_CP949;
		} else {
			r->mode = MODE_UTF8;
		}
	}
	if (r->mode == MODE_UTF8) {
		r->text = in;
		r->tlen = r->consumed = n;
		return 0;
	}
	size_t used;
	buf_reset(&r->dec);
	int rc = encoding_conv_run(r->conv, in, n, r->raw_eof, &used, &r->dec, &r->pending);
	r->text = buf_cstr(&r->dec);
	r->tlen = r->dec.len;
	r->consumed = used;
	if (rc) {
		r->pending_rc = rc;
		r->consumed = n; /* read no further */
		r->raw_eof = true;
		char what[sizeof r->pending.msg];
		str_copy(what, sizeof what, r->pending.msg);
		ob_errf(&r->pending, rc, "%s at byte offset %llu", what, r->file_off + used);
	}
	return 0;
}

static int read_more(struct csv_reader *r, struct ob_err *err)
{
	if (r->consumed) {
		memmove(r->raw, r->raw + r->consumed, r->rawlen - r->consumed);
		r->rawlen -= r->consumed;
		r->file_off += r->consumed;
		r->consumed = 0;
	}
	if (!r->raw_eof) {
		size_t room = sizeof r->raw - r->rawlen;
		size_t got = fread(r->raw + r->rawlen, 1, room, r->fp);
		r->rawlen += got;
		if (got < room) {
			if (ferror(r->fp))
				return ob_errf(err, OB_EIO, "cannot read %s: %s", r->base.path,
					       strerror(errno));
			r->raw_eof = true;
		}
	}
	return 0;
}

/* Index just past the next CR or LF from i, or n. The parser is fed up to each
 * possible row end, so that at most one row completes per call and its cells
 * stay put until the caller asks for the next one. */
static size_t slice_end(const char *t, size_t i, size_t n)
{
	for (; i < n; i++)
		if (t[i] == '\n' || t[i] == '\r')
			return i + 1;
	return n;
}

static int fail(struct csv_reader *r, struct ob_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct csv_reader *r, struct ob_err *err, int code, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->failed = true;
	return ob_errf(err, code, "%s", msg);
}

static int parser_error(struct csv_reader *r, struct ob_err *err)
{
	size_t row = r->row_no + 1;
	if (csv_error(&r->parser) == CSV_ENOMEM && csv_get_buffer_size(&r->parser) >= CELL_MAX)
		return fail(r, err, OB_EINVALID,
			    "%s row %zu: a cell is longer than 16 MiB; most likely a quote (\") "
			    "opened in this row never closes",
			    r->base.path, row);
	return fail(r, err, OB_EIO, "%s row %zu: %s", r->base.path, row,
		    csv_strerror(csv_error(&r->parser)));
}

static int r_next(struct table_reader *tr, struct table_row *row, struct ob_err *err)
{
	struct csv_reader *r = (struct csv_reader *)tr;
	if (r->failed)
		return -ob_errf(err, OB_EIO, "%s: reading already failed", r->base.path);
	buf_reset(&r->cells);
	r->ncells = 0;
	r->row_ready = false;
	while (!r->row_ready) {
		if (r->cb_rc)
			break;
		if (r->tpos < r->tlen) {
			size_t end = slice_end(r->text, r->tpos, r->tlen);
			size_t len = end - r->tpos;
			size_t got = csv_parse(&r->parser, r->text + r->tpos, len, on_field, on_row, r);
			r->tpos = end;
			if (got != len)
				return -parser_error(r, err);
			continue;
		}
		if (r->pending_rc)
			return -fail(r, err, r->pending_rc,
				    "%s row %zu: %s; the file is neither UTF-8 nor CP949 text: save it "
				    "from Excel as \"CSV UTF-8\"",
				    r->base.path, r->row_no + 1, r->pending.msg);
		if (r->fini_done)
			return 0;
		if (r->raw_eof && r->consumed == r->rawlen) {
			/* Strict only for the end: an unterminated quote means a cut file. */
			csv_set_opts(&r->parser, PARSER_OPTS | CSV_STRICT | CSV_STRICT_FINI);
			if (csv_fini(&r->parser, on_field, on_row, r) != 0)
				return -fail(r, err, OB_EINVALID,
					    "%s row %zu: the file ends inside a quoted cell (a \" opened "
					    "in this row never closes); the file was cut short or has an "
					    "unbalanced quote: export or save it again",
					    r->base.path, r->row_no + 1);
			r->fini_done = true;
			continue;
		}
		int rc = read_more(r, err);
		if (!rc)
			rc = decode(r, err);
		if (rc) {
			r->failed = true;
			return -rc;
		}
	}
	if (r->cb_rc) {
		char col[16];
		table_col_letters(r->cb_col, col, sizeof col);
		return -fail(r, err, r->cb_rc, "%s row %zu, column %s: %s", r->base.path,
			    r->row_no + (r->row_ready ? 0 : 1), col, r->cb_msg);
	}
	for (size_t i = 0; i < r->ncells; i++)
		r->ptrs[i] = r->cells.data + r->offs[i];
	row->cells = r->ptrs;
	row->n = r->ncells;
	row->row_no = r->row_no;
	return 1;
}

static void r_close(struct table_reader *tr)
{
	struct csv_reader *r = (struct csv_reader *)tr;
	if (!r)
		return;
	if (r->fp)
		fclose(r->fp);
	csv_free(&r->parser);
	encoding_conv_close(r->conv);
	buf_free(&r->dec);
	buf_free(&r->cells);
	free(r->offs);
	free(r->ptrs);
	free(r);
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Files that are not CSV text at all get a message saying what they are. */
static int check_magic(const struct csv_reader *r, enum text_encoding enc, struct ob_err *err)
{
	const unsigned char *b = (const unsigned char *)r->raw;
	size_t n = r->rawlen;
	const char *path = r->base.path;
	if (n == 0)
		return ob_errf(err, OB_EINVALID, "%s: the file is empty", path);
	if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
		return ob_errf(err, OB_EUSAGE,
			       "%s is an XLSX workbook (a zip file), not CSV; give it a .xlsx name "
			       "or save it from Excel as CSV",
			       path);
	if (n >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0)
		return ob_errf(err, OB_EUSAGE,
			       "%s is an old .xls workbook: open it in Excel and save as .xlsx or CSV",
			       path);
	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
		return ob_errf(err, OB_EUSAGE,
			       "%s is UTF-16 text (Excel's \"Unicode Text\"); save it from Excel as "
			       "\"CSV UTF-8\" instead",
			       path);
	if (enc == ENC_CP949 && n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
		return ob_errf(err, OB_EUSAGE,
			       "%s starts with a UTF-8 byte-order mark, but CP949 was asked for; "
			       "leave the encoding to detection",
			       path);
	return 0;
}

/* Excel's "Text (Tab delimited)" .txt files use tabs; count to tell. */
static unsigned char sniff_delimiter(const struct csv_reader *r, const char *path)
{
	if (ends_with_ci(path, ".tsv"))
		return '\t';
	if (!ends_with_ci(path, ".txt"))
		return ',';
	size_t tabs = 0, commas = 0;
	for (size_t i = 0; i < r->rawlen; i++) {
		tabs += r->raw[i] == '\t';
		commas += r->raw[i] == ',';
	}
	return tabs > commas ? '\t' : ',';
}

int csv_reader_open(const char *path, enum text_encoding enc, struct table_reader **out,
		    struct ob_err *err)
{
	*out = NULL;
	if (enc != ENC_AUTO && enc != ENC_UTF8_BOM && enc != ENC_UTF8 && enc != ENC_CP949)
		return ob_errf(err, OB_EUSAGE, "unknown CSV encoding %d", (int)enc);
	struct csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return ob_err_nomem(err);
	r->base.next = r_next;
	r->base.close = r_close;
	str_copy(r->base.path, sizeof r->base.path, path);
	int rc = 0;
	if (csv_init(&r->parser, PARSER_OPTS) != 0) {
		free(r);
		return ob_err_nomem(err);
	}
	csv_set_space_func(&r->parser, no_spaces);
	csv_set_realloc_func(&r->parser, capped_realloc);
	csv_set_blk_size(&r->parser, 4096);
	r->fp = fopen(path, "rb");
	if (!r->fp) {
		int e = errno;
		rc = ob_errf(err, e == ENOENT || e == EACCES || e == EISDIR ? OB_EUSAGE : OB_EIO,
			     "cannot open %s: %s", path, strerror(e));
		goto fail;
	}
	rc = read_more(r, err);
	if (!rc)
		rc = check_magic(r, enc, err);
	if (rc)
		goto fail;
	bool bom = r->rawlen >= 3 && memcmp(r->raw, "\xEF\xBB\xBF", 3) == 0;
	if (bom) {
		r->consumed = 3;
		rc = read_more(r, err);
		if (!rc && r->rawlen == 0)
			rc = ob_errf(err, OB_EINVALID, "%s: the file is empty", path);
		if (rc)
			goto fail;
	}
	csv_set_delim(&r->parser, sniff_delimiter(r, path));
	if (enc == ENC_CP949) {
		rc = encoding_conv_open(ENC_CP949, ENC_UTF8, &r->conv, err);
		if (rc)
			goto fail;
		r->mode = MODE_CP949;
	} else if (enc == ENC_UTF8 || enc == ENC_UTF8_BOM || bom) {
		r->mode = MODE_UTF8;
	} else {
		r->mode = MODE_UNDECIDED;
	}
	rc = decode(r, err);
	if (rc)
		goto fail;
	*out = &r->base;
	return 0;
fail:
	r_close(&r->base);
	return rc;
}
