/* CSV reader (see csv.h): streams a file through libcsv in 64 KiB pieces, so
 * memory depends on the longest row, never on the file. The encoding is decided
 * at the first non-ASCII bytes (BOM, UTF-8, else CP949); CP949 is converted to
 * UTF-8 piece by piece with characters cut at a piece boundary carried over.
 *
 * Parsing runs in a thread of its own (it is half the time of an import; the
 * caller's checks are the other half). libcsv's callbacks put the cells of
 * whole pieces straight into a block (no copy per row); a block of about
 * BLOCK_BYTES goes to the caller, the row it ends in half moves on to the next
 * one, and at most BLOCKS blocks are alive, so memory stays bounded. The caller
 * gets the rows, then the end or the first error, in file order: exactly what
 * it got when each row was parsed on demand. Without a thread (one could not
 * be started) the caller fills the blocks itself. */
#include "sheet/csv.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
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
#define BLOCK_BYTES (256u * 1024)
#define BLOCKS 4

struct block_row {
	size_t cell0, n, row_no; /* cells offs[cell0 .. cell0+n) */
};

/* Rows for the caller: the cells back to back, each ending in NUL. */
struct row_block {
	struct buf text;
	size_t *offs;             /* start of each cell in text */
	size_t noffs, offcap;
	struct block_row *rows;
	size_t nrows, rowcap;
	size_t next;              /* the caller's next row */
	bool last;                /* no block follows: rc says why */
	int rc;                   /* then 0 = the end of the file, <0 = an error (err) */
	struct ob_err err;
	struct row_block *link;
};

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
	/* The piece being parsed has no NUL and is valid UTF-8 (a character cut
	 * at its end allowed): its cells need no check of their own. dirty: the
	 * first cell it finishes began in an earlier piece that was not so, or
	 * that ended in a cut character. */
	bool piece_clean, dirty;

	/* The block being filled (the parsing side's): rows done, then the
	 * cells of the row being assembled, from row_cell0 and row_byte0. */
	struct row_block *fill;
	size_t row_cell0, row_byte0;
	int prev_term;      /* row end seen last, to count CR LF as one */
	size_t row_no;      /* rows completed */

	int cb_rc;          /* a problem found inside a libcsv callback */
	size_t cb_col, cb_row;
	char cb_msg[256];

	/* Blocks: full ones wait in [full_head..full_tail] for the caller,
	 * empty ones in spare; cur is the one the caller reads. */
	bool threaded, stop, sync_init;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct row_block blocks[BLOCKS];
	struct row_block *full_head, *full_tail, *spare, *cur;
	char **out_ptrs;    /* handed out in table_row */
	size_t out_cap;
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
	r->cb_row = r->row_no + 1;
	str_copy(r->cb_msg, sizeof r->cb_msg, msg);
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	struct row_block *b = r->fill;
	const char *p = s ? s : "";
	size_t col = b->noffs - r->row_cell0;
	const char *problem = NULL;
	int code = OB_EINVALID;
	if (r->cb_rc)
		return;
	r->prev_term = 0;
	bool check = r->dirty || !r->piece_clean;
	if (r->piece_clean)
		r->dirty = false;
	if (col >= ROW_CELLS_MAX)
		problem = "the row has more than 16384 cells";
	else if (check && len && memchr(p, '\0', len))
		problem = "the cell contains a NUL byte, so this is not a CSV text file (a binary or "
			  "UTF-16 file?); save it from Excel as \"CSV UTF-8\"";
	else if (check && r->mode != MODE_CP949 && !str_valid_utf8(p, len))
		problem = "the cell is not UTF-8 text although the file began as UTF-8 (mixed "
			  "encodings?); save it from Excel as \"CSV UTF-8\"";
	else if (b->text.len - r->row_byte0 + len + 1 > ROW_BYTES_MAX)
		problem = "the row is longer than 64 MiB";
	if (!problem && b->noffs == b->offcap) {
		size_t cap = b->offcap ? b->offcap * 2 : 4096;
		size_t *offs = realloc(b->offs, cap * sizeof *offs);
		if (offs) {
			b->offs = offs;
			b->offcap = cap;
		} else {
			problem = "out of memory";
			code = OB_EIO;
		}
	}
	if (!problem) {
		if (b->text.cap - b->text.len >= len + 2 || buf_reserve(&b->text, len + 1) == 0) {
			/* the cell and its NUL (buf_reserve left room for one more) */
			b->offs[b->noffs++] = b->text.len;
			memcpy(b->text.data + b->text.len, p, len);
			b->text.len += len;
			b->text.data[b->text.len++] = '\0';
			b->text.data[b->text.len] = '\0';
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
	struct row_block *b = r->fill;
	/* With CSV_REPALL_NL libcsv reports every line end, so the LF of CR LF
	 * arrives as an empty row of its own; a lone CR or LF is a blank row that
	 * Excel numbers too. */
	if (c == '\n' && r->prev_term == '\r') {
		r->prev_term = 0;
		return;
	}
	r->prev_term = c;
	if (r->cb_rc)
		return;
	if (b->nrows == b->rowcap) {
		size_t cap = b->rowcap ? b->rowcap * 2 : 1024;
		struct block_row *rows = realloc(b->rows, cap * sizeof *rows);
		if (!rows) {
			cb_fail(r, OB_EIO, b->noffs - r->row_cell0, "out of memory");
			return;
		}
		b->rows = rows;
		b->rowcap = cap;
	}
	r->row_no++;
	b->rows[b->nrows++] = (struct block_row){ r->row_cell0, b->noffs - r->row_cell0, r->row_no };
	r->row_cell0 = b->noffs;
	r->row_byte0 = b->text.len;
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

static int fail(struct csv_reader *r, struct ob_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct csv_reader *r, struct ob_err *err, int code, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
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

/* The next row, parsed here (the reading thread, or the caller without one). */
/* Whether a piece of parser text needs no check per cell: no NUL, and valid
 * UTF-8 up to a character its end may cut (the next piece then starts with
 * its remaining bytes, which fail this check). Returns whether the cell
 * libcsv still holds after the piece, finished by a later piece, must be
 * checked: the piece was not clean, or it ends in a cut character. */
static bool judge_piece(struct csv_reader *r, const char *t, size_t n)
{
	bool clean = !memchr(t, '\0', n);
	size_t whole = n;
	if (clean && r->mode != MODE_CP949) {
		/* back off over an unfinished character at the end */
		size_t k = 0;
		while (k < 3 && k < n && ((unsigned char)t[n - 1 - k] & 0xC0) == 0x80)
			k++;
		if (k < n && ((unsigned char)t[n - 1 - k] & 0xC0) == 0xC0) {
			unsigned char lead = (unsigned char)t[n - 1 - k];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (k + 1 < need)
				whole = n - 1 - k;
		}
		clean = str_valid_utf8(t, whole);
	}
	r->piece_clean = clean;
	return !clean || whole != n;
}

/* One step of parsing: 0 = go on, 1 = the end of the file, <0 = an error
 * (err filled, naming the row). */
static int parse_step(struct csv_reader *r, struct ob_err *err)
{
	if (r->cb_rc) {
		char col[16];
		table_col_letters(r->cb_col, col, sizeof col);
		return -fail(r, err, r->cb_rc, "%s row %zu, column %s: %s", r->base.path, r->cb_row, col,
			    r->cb_msg);
	}
	if (r->tpos < r->tlen) {
		const char *t = r->text + r->tpos;
		size_t len = r->tlen - r->tpos;
		bool carry = judge_piece(r, t, len);
		size_t got = csv_parse(&r->parser, t, len, on_field, on_row, r);
		if (carry)
			r->dirty = true;
		r->tpos = r->tlen;
		if (got != len && !r->cb_rc)
			return -parser_error(r, err);
		return 0;
	}
	if (r->pending_rc)
		return -fail(r, err, r->pending_rc,
			    "%s row %zu: %s; the file is neither UTF-8 nor CP949 text: save it "
			    "from Excel as \"CSV UTF-8\"",
			    r->base.path, r->row_no + 1, r->pending.msg);
	if (r->fini_done)
		return 1;
	if (r->raw_eof && r->consumed == r->rawlen) {
		/* Strict only for the end: an unterminated quote means a cut file. */
		csv_set_opts(&r->parser, PARSER_OPTS | CSV_STRICT | CSV_STRICT_FINI);
		r->piece_clean = true; /* what libcsv still holds was judged with its piece */
		if (csv_fini(&r->parser, on_field, on_row, r) != 0)
			return -fail(r, err, OB_EINVALID,
				    "%s row %zu: the file ends inside a quoted cell (a \" opened "
				    "in this row never closes); the file was cut short or has an "
				    "unbalanced quote: export or save it again",
				    r->base.path, r->row_no + 1);
		r->fini_done = true;
		return 0;
	}
	int rc = read_more(r, err);
	if (!rc)
		rc = decode(r, err);
	return rc ? -rc : 0;
}

/* ---- blocks between the parsing thread and the caller ---- */

static void block_reset(struct row_block *b)
{
	buf_reset(&b->text);
	b->noffs = b->nrows = b->next = 0;
	b->last = false;
	b->rc = 0;
	b->link = NULL;
}

static void block_free(struct row_block *b)
{
	buf_free(&b->text);
	free(b->offs);
	free(b->rows);
}

/* An empty block for the parsing side; NULL once the reader is closing. */
static struct row_block *take_spare(struct csv_reader *r)
{
	pthread_mutex_lock(&r->mu);
	while (!r->spare && !r->stop && r->threaded)
		pthread_cond_wait(&r->cv, &r->mu);
	struct row_block *b = r->stop ? NULL : r->spare;
	if (b)
		r->spare = b->link;
	pthread_mutex_unlock(&r->mu);
	if (b)
		block_reset(b);
	return b;
}

/* Moves the row being assembled from r->fill to nb, which becomes r->fill. */
static int move_partial_row(struct csv_reader *r, struct row_block *nb)
{
	struct row_block *b = r->fill;
	size_t ncells = b->noffs - r->row_cell0, nbytes = b->text.len - r->row_byte0;
	if (ncells > nb->offcap) {
		size_t *o = realloc(nb->offs, ncells * sizeof *o);
		if (!o)
			return -1;
		nb->offs = o;
		nb->offcap = ncells;
	}
	if (buf_append(&nb->text, b->text.data + r->row_byte0, nbytes) < 0)
		return -1;
	for (size_t i = 0; i < ncells; i++)
		nb->offs[i] = b->offs[r->row_cell0 + i] - r->row_byte0;
	nb->noffs = ncells;
	b->noffs = r->row_cell0;
	b->text.len = r->row_byte0;
	r->row_cell0 = r->row_byte0 = 0;
	r->fill = nb;
	return 0;
}

/* Parses into r->fill until it is full, the file ends or reading fails, and
 * hands it to the caller. 0 = more to come, 1 = that was the last block,
 * -1 = the reader is closing. */
static int produce(struct csv_reader *r)
{
	struct row_block *b = r->fill;
	int rc = 0;
	while (rc == 0 && b->text.len < BLOCK_BYTES)
		rc = parse_step(r, &b->err);
	if (rc == 0) {
		struct row_block *nb = take_spare(r);
		if (!nb)
			return -1;
		if (move_partial_row(r, nb) < 0) {
			rc = -ob_errf(&b->err, OB_EIO, "%s row %zu: out of memory", r->base.path,
				      r->row_no + 1);
			pthread_mutex_lock(&r->mu);
			nb->link = r->spare;
			r->spare = nb;
			pthread_mutex_unlock(&r->mu);
		}
	}
	if (rc != 0) {
		b->last = true;
		b->rc = rc < 0 ? rc : 0;
	}
	pthread_mutex_lock(&r->mu);
	if (r->full_tail)
		r->full_tail->link = b;
	else
		r->full_head = b;
	r->full_tail = b;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return b->last ? 1 : 0;
}

static void *parsing_thread(void *arg)
{
	struct csv_reader *r = arg;
	while (produce(r) == 0)
		;
	return NULL;
}

static int r_next(struct table_reader *tr, struct table_row *row, struct ob_err *err)
{
	struct csv_reader *r = (struct csv_reader *)tr;
	struct row_block *b = r->cur;
	if (b && b->next == b->nrows && !b->last) {
		/* Read: back to the parsing side. */
		pthread_mutex_lock(&r->mu);
		b->link = r->spare;
		r->spare = b;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		b = r->cur = NULL;
	}
	if (!b) {
		pthread_mutex_lock(&r->mu);
		if (!r->threaded && !r->full_head) {
			pthread_mutex_unlock(&r->mu);
			produce(r); /* without a thread: parse here */
			pthread_mutex_lock(&r->mu);
		}
		while (!r->full_head)
			pthread_cond_wait(&r->cv, &r->mu);
		b = r->full_head;
		r->full_head = b->link;
		if (!r->full_head)
			r->full_tail = NULL;
		pthread_mutex_unlock(&r->mu);
		r->cur = b;
	}
	if (b->next == b->nrows) {
		if (b->rc < 0)
			*err = b->err;
		return b->rc;
	}
	const struct block_row *br = &b->rows[b->next++];
	if (br->n > r->out_cap) {
		size_t cap = br->n > 64 ? br->n : 64;
		char **p = realloc(r->out_ptrs, cap * sizeof *p);
		if (!p)
			return -ob_errf(err, OB_EIO, "%s row %zu: out of memory", r->base.path, br->row_no);
		r->out_ptrs = p;
		r->out_cap = cap;
	}
	for (size_t i = 0; i < br->n; i++)
		r->out_ptrs[i] = b->text.data + b->offs[br->cell0 + i];
	row->cells = r->out_ptrs;
	row->n = br->n;
	row->row_no = br->row_no;
	return 1;
}

/* Sets up the blocks and starts the parsing thread (without one, the caller
 * parses: slower, the same rows). */
static int start_parsing(struct csv_reader *r, struct ob_err *err)
{
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		return ob_err_nomem(err);
	if (pthread_cond_init(&r->cv, NULL) != 0) {
		pthread_mutex_destroy(&r->mu);
		return ob_err_nomem(err);
	}
	r->sync_init = true;
	for (size_t i = 0; i < BLOCKS; i++) {
		r->blocks[i].link = r->spare;
		r->spare = &r->blocks[i];
	}
	r->fill = take_spare(r);
	/* set before the thread starts: it reads threaded */
	r->threaded = true;
	if (pthread_create(&r->thread, NULL, parsing_thread, r) != 0)
		r->threaded = false;
	return 0;
}

static void stop_parsing(struct csv_reader *r)
{
	if (r->threaded) {
		pthread_mutex_lock(&r->mu);
		r->stop = true;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL);
		r->threaded = false;
	}
	if (r->sync_init) {
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		r->sync_init = false;
	}
	for (size_t i = 0; i < BLOCKS; i++)
		block_free(&r->blocks[i]);
	free(r->out_ptrs);
	r->out_ptrs = NULL;
}

static void r_close(struct table_reader *tr)
{
	struct csv_reader *r = (struct csv_reader *)tr;
	if (!r)
		return;
	stop_parsing(r);
	if (r->fp)
		fclose(r->fp);
	csv_free(&r->parser);
	encoding_conv_close(r->conv);
	buf_free(&r->dec);
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
	rc = start_parsing(r, err);
	if (rc)
		goto fail;
	*out = &r->base;
	return 0;
fail:
	r_close(&r->base);
	return rc;
}
