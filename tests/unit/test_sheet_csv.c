/* The CSV back end on its own: the writer's exact bytes (BOM, CRLF, quoting,
 * formula guard, ="..." identifiers, CP949 and its refusal of emoji), the
 * reader's handling of line ends, quotes, blank rows, encodings and chunk
 * boundaries, broken files, and the file rules (0600, no overwrite without
 * force, nothing left behind when aborted). */
#include "sheet_test_util.h"

#include <errno.h>
#include <sys/stat.h>

#include "sheet/csv.h"
#include "sheet/guard.h"

static int teardown(void **state)
{
	(void)state;
	tu_clean();
	return 0;
}

/* Writes rows (NULL-terminated list of rows of n cells) with the given kinds. */
static char *write_rows(const struct csv_write_opts *o, const char *const *cells, size_t ncols,
			size_t nrows, const enum field_kind *kinds, size_t *len)
{
	const char *path = tu_path("w.csv");
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	unlink(path);
	assert_int_equal(csv_writer_new_file(path, false, o, &w, &err), 0);
	for (size_t r = 0; r < nrows; r++)
		assert_int_equal(w->row(w, cells + r * ncols, kinds, ncols, &err), 0);
	assert_int_equal(w->close(w, true, &err), 0);
	return tu_read(path, len);
}

static void test_write_bom_crlf_quoting(void **state)
{
	(void)state;
	const char *cells[] = {
		"name", "memo", "qty",
		"김철수", "a,b", "1",
		"say \"hi\"", "line1\r\nline2", "",
		" lead", "trail ", "x",
	};
	enum field_kind kinds[] = { FK_TEXT, FK_TEXT, FK_INT };
	size_t len;
	char *got = write_rows(NULL, cells, 3, 4, kinds, &len);
	const char *want = "\xEF\xBB\xBF"
			   "name,memo,qty\r\n"
			   "김철수,\"a,b\",1\r\n"
			   "\"say \"\"hi\"\"\",\"line1\r\nline2\",\r\n"
			   "\" lead\",\"trail \",x\r\n";
	assert_int_equal(len, strlen(want));
	assert_string_equal(got, want);
	free(got);
}

static void test_write_formula_guard_by_kind(void **state)
{
	(void)state;
	const char *cells[] = { "=1+1", "-3", "-3", "=1", "@x", "+82 10", "\tx", "-12.5", "'=a" };
	enum field_kind kinds[] = { FK_TEXT, FK_MONEY, FK_TEXT, FK_INT, FK_ENUM,
				    FK_PHONE, FK_ID, FK_INT, FK_TEXT };
	struct csv_write_opts o = { ENC_UTF8, false };
	size_t len;
	char *got = write_rows(&o, cells, 9, 1, kinds, &len);
	/* Numbers stay numbers; all other text that could be a formula is guarded. */
	assert_string_equal(got, "'=1+1,-3,'-3,'=1,'@x,'+82 10,'\tx,-12.5,''=a\r\n");
	free(got);
}

static void test_write_excel_text_ids(void **state)
{
	(void)state;
	const char *cells[] = { "642538971006401429", "01000", "010-1234-5678", "01000", "", "12000",
				"-1", "a\"b" };
	enum field_kind kinds[] = { FK_ID, FK_ZIP, FK_PHONE, FK_TEXT, FK_ID, FK_MONEY, FK_ID, FK_ID };
	struct csv_write_opts o = { ENC_UTF8, true };
	size_t len;
	char *got = write_rows(&o, cells, 8, 1, kinds, &len);
	assert_string_equal(got, "\"=\"\"642538971006401429\"\"\",\"=\"\"01000\"\"\","
				 "\"=\"\"010-1234-5678\"\"\",01000,,12000,\"=\"\"'-1\"\"\","
				 "\"=\"\"a\"\"\"\"b\"\"\"\r\n");
	free(got);
}

static void test_write_cp949(void **state)
{
	(void)state;
	const char *cells[] = { "상품명", "memo", "똠방각하", "a,\"b\"" };
	size_t len;
	struct csv_write_opts o = { ENC_CP949, false };
	char *got = write_rows(&o, cells, 2, 2, NULL, &len);
	/* No BOM; CP949 bytes; quoting unchanged. */
	const char *want = "\xBB\xF3\xC7\xB0\xB8\xED,memo\r\n\x8C\x63\xB9\xE6\xB0\xA2\xC7\xCF,\"a,\"\"b\"\"\"\r\n";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
}

static void test_write_cp949_refuses_emoji(void **state)
{
	(void)state;
	const char *path = tu_path("emoji.csv");
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	struct csv_write_opts o = { ENC_CP949, false };
	const char *header[] = { "order_no", "delivery_note" };
	const char *row[] = { "1001", "부재시 연락 주세요 😀" };
	assert_int_equal(csv_writer_new_file(path, false, &o, &w, &err), 0);
	assert_int_equal(w->row(w, header, NULL, 2, &err), 0);
	assert_int_equal(w->row(w, row, NULL, 2, &err), OB_EINVALID);
	assert_contains(err.msg, path);
	assert_contains(err.msg, "row 2");
	assert_contains(err.msg, "column B (delivery_note)");
	assert_contains(err.msg, "U+1F600");
	assert_contains(err.msg, "UTF-8");
	assert_int_equal(w->close(w, false, &err), 0);
	assert_false(tu_exists(path));
	assert_int_equal(tu_count_files(), 0);
}

static void test_write_refuses_invalid_utf8(void **state)
{
	(void)state;
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	const char *row[] = { "ok", "\xC7\xD1" };
	assert_int_equal(csv_writer_new_file(tu_path("bad.csv"), false, NULL, &w, &err), 0);
	assert_int_not_equal(w->row(w, row, NULL, 2, &err), 0);
	assert_contains(err.msg, "not UTF-8");
	w->close(w, false, &err);
}

static void test_file_mode_overwrite_force_abort(void **state)
{
	(void)state;
	const char *path = tu_path("out.csv");
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	const char *row[] = { "a" };

	/* Aborting leaves nothing, not even the temporary. */
	assert_int_equal(csv_writer_new_file(path, false, NULL, &w, &err), 0);
	assert_int_equal(tu_count_files(), 1); /* the hidden temporary */
	assert_false(tu_exists(path));          /* not visible before commit */
	assert_int_equal(w->row(w, row, NULL, 1, &err), 0);
	assert_int_equal(w->close(w, false, &err), 0);
	assert_int_equal(tu_count_files(), 0);

	/* Commit: the file appears with mode 0600 (it holds personal data). */
	assert_int_equal(csv_writer_new_file(path, false, NULL, &w, &err), 0);
	assert_int_equal(w->row(w, row, NULL, 1, &err), 0);
	assert_int_equal(w->close(w, true, &err), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(tu_count_files(), 1);

	/* An existing file is refused at open, with the way out in the message. */
	assert_int_equal(csv_writer_new_file(path, false, NULL, &w, &err), OB_EUSAGE);
	assert_null(w);
	assert_contains(err.msg, "already exists");
	assert_contains(err.msg, "--force");
	assert_int_equal(tu_count_files(), 1);

	/* With force it is replaced, and the mode is 0600 even if it was not. */
	assert_int_equal(chmod(path, 0644), 0);
	const char *row2[] = { "replaced" };
	assert_int_equal(csv_writer_new_file(path, true, NULL, &w, &err), 0);
	assert_int_equal(w->row(w, row2, NULL, 1, &err), 0);
	assert_int_equal(w->close(w, true, &err), 0);
	char *got = tu_read(path, NULL);
	assert_string_equal(got, "\xEF\xBB\xBFreplaced\r\n");
	free(got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* A file that appears between open and commit is not overwritten. */
	const char *late = tu_path("late.csv");
	assert_int_equal(csv_writer_new_file(late, false, NULL, &w, &err), 0);
	tu_write_str(late, "someone else's");
	assert_int_equal(w->row(w, row, NULL, 1, &err), 0);
	assert_int_equal(w->close(w, true, &err), OB_EUSAGE);
	assert_contains(err.msg, "already exists");
	got = tu_read(late, NULL);
	assert_string_equal(got, "someone else's");
	free(got);
	assert_int_equal(tu_count_files(), 2); /* out.csv, late.csv: no temporaries */

	/* A directory is no file name; a missing directory is a clear error. */
	assert_int_equal(csv_writer_new_file(tu_tmpdir(), true, NULL, &w, &err), OB_EUSAGE);
	assert_contains(err.msg, "is a directory");
	assert_int_not_equal(csv_writer_new_file(tu_path("nodir/x.csv"), false, NULL, &w, &err), 0);
	assert_contains(err.msg, "nodir");
}

static void test_write_fp(void **state)
{
	(void)state;
	const char *path = tu_path("fp.csv");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	struct csv_write_opts o = { ENC_UTF8, false };
	const char *row[] = { "x", "=y" };
	assert_int_equal(csv_writer_new_fp(f, &o, &w, &err), 0);
	assert_int_equal(w->row(w, row, NULL, 2, &err), 0);
	assert_int_equal(w->close(w, true, &err), 0);
	assert_int_equal(fclose(f), 0); /* still ours to close */
	char *got = tu_read(path, NULL);
	assert_string_equal(got, "x,'=y\r\n");
	free(got);
}

/* Reads every row of a file: "cell|cell\n" per row, with "#n " row numbers. */
/* Writes b to path (and frees it), opens the file and reads its header row,
 * whose first cell must be `first` (NULL: any). */
static struct table_reader *write_and_open(const char *path, struct buf *b, struct table_row *row,
					   const char *first)
{
	tu_write(path, b->data, b->len);
	buf_free(b);
	struct table_reader *r;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(csv_reader_open(path, ENC_AUTO, &r, &err), 0);
	assert_int_equal(r->next(r, row, &err), 1);
	if (first)
		assert_string_equal(row->cells[0], first);
	return r;
}

static char *read_all(const char *path, enum text_encoding enc, int *rc_out, struct ob_err *err)
{
	struct table_reader *r;
	struct buf b = BUF_INIT;
	int rc = csv_reader_open(path, enc, &r, err);
	if (rc) {
		*rc_out = rc;
		return NULL;
	}
	struct table_row row;
	while ((rc = r->next(r, &row, err)) == 1) {
		buf_printf(&b, "#%zu ", row.row_no);
		for (size_t i = 0; i < row.n; i++)
			buf_printf(&b, "%s%s", i ? "|" : "", row.cells[i]);
		buf_putc(&b, '\n');
	}
	r->close(r);
	*rc_out = rc;
	return buf_detach(&b);
}

static void test_read_line_ends_quotes_blank_rows(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	int rc;
	const char *path = tu_path("r.csv");
	/* CRLF, a blank row, a quoted cell with CRLF inside, spaces kept, an
	 * empty last cell, a lone LF row end, and no newline at the end. */
	tu_write_str(path, "a,b\r\n\r\n\"x\r\ny\", sp ,\r\n\"q\"\"q\",=\"01\"\nlast,row");
	char *got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "#1 a|b\n#2 \n#3 x\r\ny| sp |\n#4 q\"q|=\"01\"\n#5 last|row\n");
	free(got);

	/* Old Mac CR-only line ends. */
	tu_write_str(path, "a\rb\r\rc");
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "#1 a\n#2 b\n#3 \n#4 c\n");
	free(got);
}

static void test_read_committed_lf_file(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	int rc;
	char *got = read_all(tu_data("lf_only.csv"), ENC_AUTO, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "#1 action|order_no|delivery_note\n"
				 "#2 ACK|1001|line one\nline two\n"
				 "#3 \n"
				 "#4 SHIP|1002|say \"hi\", please\n");
	free(got);
}

static void test_read_bom_and_encodings(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	int rc;
	const char *path = tu_path("e.csv");
	tu_write_str(path, "\xEF\xBB\xBFname\r\n한글\r\n");
	char *got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "#1 name\n#2 한글\n");
	free(got);
	/* The same without BOM, told UTF-8, still strips a BOM if present. */
	got = read_all(path, ENC_UTF8, &rc, &err);
	assert_string_equal(got, "#1 name\n#2 한글\n");
	free(got);

	tu_write(path, "name\r\n\xC7\xD1\xB1\xDB\r\n", 10);
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "#1 name\n#2 한글\n");
	free(got);
	got = read_all(path, ENC_CP949, &rc, &err);
	assert_string_equal(got, "#1 name\n#2 한글\n");
	free(got);

	/* A BOM contradicts a CP949 request. */
	tu_write_str(path, "\xEF\xBB\xBFname\r\n");
	assert_null(read_all(path, ENC_CP949, &rc, &err));
	assert_int_equal(rc, OB_EUSAGE);
	assert_contains(err.msg, "byte-order mark");
}

/* Files whose first 64 KiB are ASCII: the encoding is decided later, at the
 * first non-ASCII byte, which may straddle the read boundary. */
static void test_read_late_non_ascii_across_chunks(void **state)
{
	(void)state;
	const char *path = tu_path("late.csv");
	for (int variant = 0; variant < 2; variant++) {
		for (size_t shift = 0; shift < 4; shift++) {
			struct buf b = BUF_INIT;
			/* One long first cell ends just before, on, or after 65536. */
			size_t filler = 65536 - 1 - shift;
			buf_puts(&b, "h\r\n"); /* 3 bytes */
			for (size_t i = 3; i < filler; i++)
				buf_putc(&b, 'x');
			buf_putc(&b, ',');
			if (variant == 0)
				buf_puts(&b, "\xC7\xD1\xB1\xDB"); /* CP949 한글 */
			else
				buf_puts(&b, "한글");
			buf_puts(&b, "\r\nend,\xEB\x81\x9D\r\n");
			if (variant == 0) {
				/* the last row in CP949 too: 끝 = B3 A1 */
				b.len -= 5;
				buf_puts(&b, "\xB3\xA1\r\n");
			}
			struct ob_err err = OB_ERR_INIT;
			struct table_row row;
			struct table_reader *r = write_and_open(path, &b, &row, NULL);
			assert_int_equal(r->next(r, &row, &err), 1);
			assert_int_equal(row.n, 2);
			assert_int_equal(strlen(row.cells[0]), filler - 3);
			assert_string_equal(row.cells[1], "한글");
			assert_int_equal(r->next(r, &row, &err), 1);
			assert_string_equal(row.cells[1], "끝");
			assert_int_equal(row.row_no, 3);
			assert_int_equal(r->next(r, &row, &err), 0);
			r->close(r);
		}
	}
}

/* CP949 characters cut by every read boundary position come out whole. */
static void test_read_cp949_chunk_boundaries(void **state)
{
	(void)state;
	const char *path = tu_path("cp.csv");
	struct buf b = BUF_INIT;
	size_t rows = 0;
	buf_puts(&b, "\xC7\xD1,n\r\n"); /* 한,n */
	rows++;
	/* Odd row lengths so that 2-byte characters land on every offset. */
	while (b.len < 300 * 1024) {
		buf_printf(&b, "%zu\xB0\xA1\xB3\xAA", rows); /* n가나 */
		for (size_t i = 0; i < rows % 7; i++)
			buf_puts(&b, "\xB4\xD9"); /* 다 */
		buf_printf(&b, ",%zu\r\n", rows);
		rows++;
	}
	struct ob_err err = OB_ERR_INIT;
	struct table_row row;
	struct table_reader *r = write_and_open(path, &b, &row, "한");
	size_t n = 1;
	int rc;
	while ((rc = r->next(r, &row, &err)) == 1) {
		char want[128];
		int len = snprintf(want, sizeof want, "%zu가나", n);
		for (size_t i = 0; i < n % 7; i++)
			len += snprintf(want + len, sizeof want - (size_t)len, "다");
		assert_string_equal(row.cells[0], want);
		assert_int_equal(strtoul(row.cells[1], NULL, 10), n);
		assert_int_equal(row.row_no, n + 1);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, rows);
	r->close(r);
}

static void test_read_broken_files(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	struct table_reader *r;
	struct table_row row;
	int rc;

	/* Truncated: the quote opened in row 3 never closes. */
	char *got = read_all(tu_data("truncated.csv"), ENC_AUTO, &rc, &err);
	assert_int_equal(rc, -OB_EINVALID);
	assert_contains(err.msg, "truncated.csv row 3");
	assert_contains(err.msg, "quote");
	assert_string_equal(got, "#1 action|order_no|delivery_note\n#2 ACK|1001|fine\n");
	free(got);

	assert_int_equal(csv_reader_open(tu_data("empty.csv"), ENC_AUTO, &r, &err), OB_EINVALID);
	assert_contains(err.msg, "empty.csv: the file is empty");
	assert_int_equal(csv_reader_open(tu_data("bom_only.csv"), ENC_AUTO, &r, &err), OB_EINVALID);
	assert_contains(err.msg, "file is empty");
	assert_int_equal(csv_reader_open(tu_path("missing.csv"), ENC_AUTO, &r, &err), OB_EUSAGE);
	assert_contains(err.msg, "missing.csv");

	const char *path = tu_path("b.csv");
	tu_write(path, "PK\x03\x04zipzip", 10);
	assert_int_equal(csv_reader_open(path, ENC_AUTO, &r, &err), OB_EUSAGE);
	assert_contains(err.msg, "XLSX");
	tu_write(path, "\xD0\xCF\x11\xE0\xA1\xB1", 6);
	assert_int_equal(csv_reader_open(path, ENC_AUTO, &r, &err), OB_EUSAGE);
	assert_contains(err.msg, ".xls");
	tu_write(path, "\xFF\xFE" "a\0,\0", 6);
	assert_int_equal(csv_reader_open(path, ENC_AUTO, &r, &err), OB_EUSAGE);
	assert_contains(err.msg, "UTF-16");

	/* UTF-8 for the first 64 KiB, then a CP949 cell: an error naming row and column. */
	struct buf b = BUF_INIT;
	buf_puts(&b, "a,b\r\n");
	for (int i = 0; i < 8000; i++) /* 72 KB */
		buf_puts(&b, "한,글\r\n");
	buf_puts(&b, "x,\xC7\xD1\r\n");
	tu_write(path, b.data, b.len);
	buf_free(&b);
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, -OB_EINVALID);
	assert_contains(err.msg, "row 8002, column B");
	assert_contains(err.msg, "not UTF-8");
	free(got);
	/* Both encodings within the first piece: neither reading works. */
	tu_write_str(path, "a,b\r\n한,글\r\nx,\xC7\xD1\r\n");
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, -OB_EINVALID);
	assert_contains(err.msg, "row 2");
	assert_contains(err.msg, "neither UTF-8 nor CP949");
	free(got);

	/* Neither UTF-8 nor CP949. */
	tu_write(path, "a,b\r\nx,\xFF\xFF\r\n", 11);
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, -OB_EINVALID);
	assert_contains(err.msg, "row 2");
	assert_contains(err.msg, "neither UTF-8 nor CP949");
	assert_contains(err.msg, "offset 7");
	free(got);

	/* A NUL byte inside a cell. */
	tu_write(path, "a,b\r\nx,y\0z\r\n", 12);
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, -OB_EINVALID);
	assert_contains(err.msg, "NUL");
	free(got);

	/* After an error the reader keeps saying so. */
	tu_write_str(path, "a\r\n\"open");
	assert_int_equal(csv_reader_open(path, ENC_AUTO, &r, &err), 0);
	assert_int_equal(r->next(r, &row, &err), 1);
	assert_true(r->next(r, &row, &err) < 0);
	assert_true(r->next(r, &row, &err) < 0);
	r->close(r);
}

/* A quote that never closes in a big file must not take memory without bound. */
static void test_read_runaway_quote_is_bounded(void **state)
{
	(void)state;
	const char *path = tu_path("runaway.csv");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("a,b\r\n1,\"", f);
	char line[1024];
	memset(line, 'x', sizeof line - 2);
	line[sizeof line - 2] = '\n';
	line[sizeof line - 1] = '\0';
	for (int i = 0; i < 17 * 1024; i++) /* 17 MiB */
		fputs(line, f);
	fclose(f);
	struct ob_err err = OB_ERR_INIT;
	int rc;
	char *got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, -OB_EINVALID);
	assert_contains(err.msg, "row 2");
	assert_contains(err.msg, "16 MiB");
	free(got);
	unlink(path);
}

/* Rows of a file of many blocks (the parsing thread hands them over in
 * pieces of about 256 KiB, at most four alive) come in order and whole: a
 * row cut by a block's end, quoted cells with line breaks, blank rows. */
static void test_read_many_blocks_in_order(void **state)
{
	(void)state;
	const char *path = tu_path("blocks.csv");
	struct buf b = BUF_INIT;
	size_t rows = 0, line = 1;
	buf_puts(&b, "\xEF\xBB\xBF" "n,text,more\r\n");
	while (b.len < 2 * 1024 * 1024) {
		rows++;
		line++;
		if (rows % 37 == 0)
			buf_printf(&b, "%zu,\"note %zu, \"\"quoted\"\"\r\nsecond line\",한글 %zu\r\n", rows, rows, rows);
		else
			buf_printf(&b, "%zu,plain %zu,%0*zu\r\n", rows, rows, (int)(rows % 300), (size_t)0);
		if (rows % 1000 == 0) {
			buf_puts(&b, "\r\n"); /* a blank row: numbered, no cells */
			line++;
		}
	}
	struct ob_err err = OB_ERR_INIT;
	struct table_row row;
	struct table_reader *r = write_and_open(path, &b, &row, "n");
	size_t n = 0, want_line = 1;
	int rc;
	while ((rc = r->next(r, &row, &err)) == 1) {
		want_line++;
		if (row.n == 0) {
			assert_int_equal(n % 1000, 0);
			assert_int_equal(row.row_no, want_line);
			continue;
		}
		n++;
		assert_int_equal(row.n, 3);
		assert_int_equal(row.row_no, want_line);
		assert_int_equal(strtoul(row.cells[0], NULL, 10), n);
		char want[128];
		if (n % 37 == 0) {
			snprintf(want, sizeof want, "note %zu, \"quoted\"\r\nsecond line", n);
			assert_string_equal(row.cells[1], want);
			snprintf(want, sizeof want, "한글 %zu", n);
			assert_string_equal(row.cells[2], want);
		} else {
			snprintf(want, sizeof want, "plain %zu", n);
			assert_string_equal(row.cells[1], want);
			assert_int_equal(strlen(row.cells[2]), n % 300 ? n % 300 : 1);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, rows);
	assert_int_equal(want_line, line);
	assert_int_equal(r->next(r, &row, &err), 0); /* the end stays the end */
	r->close(r);
}

/* A file closed after a few rows: the parsing thread stops (ASan would see
 * what it leaves), whether it is waiting for the caller or parsing. */
static void test_read_close_early(void **state)
{
	(void)state;
	const char *path = tu_path("early.csv");
	struct buf b = BUF_INIT;
	buf_puts(&b, "a,b\r\n");
	while (b.len < 2 * 1024 * 1024)
		buf_puts(&b, "1234567890,abcdefghij\r\n");
	tu_write(path, b.data, b.len);
	buf_free(&b);
	for (int k = 0; k < 10; k++) {
		struct table_reader *r;
		struct ob_err err = OB_ERR_INIT;
		struct table_row row;
		assert_int_equal(csv_reader_open(path, ENC_AUTO, &r, &err), 0);
		for (int i = 0; i < k * 2000; i++)
			if (r->next(r, &row, &err) != 1)
				fail_msg("row %d: %s", i + 2, err.msg);
		r->close(r);
	}
}

/* Text is checked a piece of 64 KiB at a time and a cell only when its piece
 * is not clean: a character cut by a piece's end, and bad bytes just before,
 * on or after it, are each judged right, naming the row and column. */
static void test_read_utf8_checked_across_pieces(void **state)
{
	(void)state;
	const char *path = tu_path("pieces.csv");
	/* what sits at the boundary: a good character, a lead byte followed by
	 * ASCII, a lone continuation byte, a NUL */
	static const char *const at[] = { "한", "\xED" "x", "\x95", "x\0y" };
	static const size_t atlen[] = { 3, 2, 1, 3 };
	for (size_t v = 0; v < 4; v++) {
		for (size_t shift = 0; shift < 5; shift++) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "\xEF\xBB\xBF" "a,b\r\n"); /* UTF-8 from the start */
			size_t rows = 1;
			/* rows of 10 bytes up to near the first piece's end (64 KiB after
			 * the BOM, which the first piece loses) */
			while (b.len + 10 < 65536 + 3 - 40) {
				buf_puts(&b, "x,한글xx\r\n");
				rows++;
			}
			/* a last row whose second cell holds the test bytes at 65536 + 3 - 2 + shift */
			buf_puts(&b, "y,");
			while (b.len < 65536 + 3 - 2 + shift)
				buf_putc(&b, 'z');
			buf_append(&b, at[v], atlen[v]);
			buf_puts(&b, "zz\r\nlast,row\r\n");
			rows++;
			tu_write(path, b.data, b.len);
			buf_free(&b);
			int rc;
			struct ob_err err = OB_ERR_INIT;
			char *got = read_all(path, ENC_AUTO, &rc, &err);
			if (v == 0) {
				assert_int_equal(rc, 0);
				assert_non_null(strstr(got, "한zz\n"));
				assert_non_null(strstr(got, "last|row"));
			} else {
				char want[64];
				snprintf(want, sizeof want, "row %zu, column B", rows);
				assert_int_equal(rc, -OB_EINVALID);
				assert_contains(err.msg, want);
				assert_contains(err.msg, v == 3 ? "NUL" : "not UTF-8");
			}
			free(got);
		}
	}
}

static void test_read_tab_delimited_txt(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	int rc;
	const char *path = tu_path("export.txt");
	tu_write_str(path, "action\torder_no\tmemo\r\nACK\t1\ta, b\r\n");
	char *got = read_all(path, ENC_AUTO, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "#1 action|order_no|memo\n#2 ACK|1|a, b\n");
	free(got);
	/* A comma-separated .txt stays comma-separated. */
	tu_write_str(path, "action,order_no\r\nACK,1\r\n");
	got = read_all(path, ENC_AUTO, &rc, &err);
	assert_string_equal(got, "#1 action|order_no\n#2 ACK|1\n");
	free(got);
}

/* What the writer writes, the reader reads back cell for cell. */
static void test_writer_reader_roundtrip(void **state)
{
	(void)state;
	const char *cells[] = {
		"=HYPERLINK(\"x\")", "+82 10", "-3", "@SUM", "'=already", "''=two", "\tleading tab",
		"a,b", "q\"q", "l1\r\nl2\nl3\rl4", " both ", "", "한글 😀", "642538971006401429",
	};
	size_t n = sizeof cells / sizeof cells[0];
	enum field_kind kinds[sizeof cells / sizeof cells[0]];
	for (size_t i = 0; i < n; i++)
		kinds[i] = FK_TEXT;
	for (int enc = ENC_UTF8_BOM; enc <= ENC_UTF8; enc++) {
		struct csv_write_opts o = { (enum text_encoding)enc, false };
		size_t len;
		free(write_rows(&o, cells, n, 1, kinds, &len));
		struct table_reader *r;
		struct ob_err err = OB_ERR_INIT;
		struct table_row row;
		assert_int_equal(csv_reader_open(tu_path("w.csv"), ENC_AUTO, &r, &err), 0);
		assert_int_equal(r->next(r, &row, &err), 1);
		assert_int_equal(row.n, n);
		for (size_t i = 0; i < n; i++) {
			/* The table layer gives the stored text; sheet_read takes the guard off. */
			char *c = strdup(row.cells[i]);
			assert_non_null(c);
			guard_decode(c);
			assert_string_equal(c, cells[i]);
			free(c);
		}
		assert_int_equal(r->next(r, &row, &err), 0);
		r->close(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_write_bom_crlf_quoting, teardown),
		cmocka_unit_test_teardown(test_write_formula_guard_by_kind, teardown),
		cmocka_unit_test_teardown(test_write_excel_text_ids, teardown),
		cmocka_unit_test_teardown(test_write_cp949, teardown),
		cmocka_unit_test_teardown(test_write_cp949_refuses_emoji, teardown),
		cmocka_unit_test_teardown(test_write_refuses_invalid_utf8, teardown),
		cmocka_unit_test_teardown(test_file_mode_overwrite_force_abort, teardown),
		cmocka_unit_test_teardown(test_write_fp, teardown),
		cmocka_unit_test_teardown(test_read_line_ends_quotes_blank_rows, teardown),
		cmocka_unit_test_teardown(test_read_committed_lf_file, teardown),
		cmocka_unit_test_teardown(test_read_bom_and_encodings, teardown),
		cmocka_unit_test_teardown(test_read_late_non_ascii_across_chunks, teardown),
		cmocka_unit_test_teardown(test_read_cp949_chunk_boundaries, teardown),
		cmocka_unit_test_teardown(test_read_broken_files, teardown),
		cmocka_unit_test_teardown(test_read_runaway_quote_is_bounded, teardown),
		cmocka_unit_test_teardown(test_read_many_blocks_in_order, teardown),
		cmocka_unit_test_teardown(test_read_close_early, teardown),
		cmocka_unit_test_teardown(test_read_utf8_checked_across_pieces, teardown),
		cmocka_unit_test_teardown(test_read_tab_delimited_txt, teardown),
		cmocka_unit_test_teardown(test_writer_reader_roundtrip, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_remove_dir();
	return rc;
}
