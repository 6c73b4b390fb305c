/* The export book and full round trips: records with Hangul, emoji, commas,
 * quotes, CR/LF, 18-digit ids, leading-zero zip codes, 010 phones and
 * formula-like text go out through book (UTF-8 with BOM, with and without
 * ="..." ids) and through the CSV writer in CP949, and come back through
 * sheet_read equal field by field. Also the file rules of a book: names,
 * standard output, no overwrite at open, force, 0600, abort, all-or-nothing. */
#include "sheet_test_util.h"

#include <fcntl.h>

#include "model/words.h"
#include "sheet/book.h"
#include "sheet/csv.h"
#include "sheet/sheet_read.h"
#include "util/str.h"

static int teardown(void **state)
{
	(void)state;
	tu_clean();
	return 0;
}

/* Tricky values for text fields; every record takes a different rotation. */
static const char *const texts[] = {
	"=HYPERLINK(\"x\")", "+82 10", "-3", "@SUM", "'=already", "''=two", "\tleading tab",
	"쉼표, \"따옴표\" 그리고\r\n줄바꿈", "only LF\nnewline", "\r=cr first", "똠방각하 한글",
	" spaced ", "", "plain",
};
static const char *const emoji_texts[] = { "배송 전 연락 😀", "🎁 선물 포장", "=😀" };

#define NTEXTS (sizeof texts / sizeof texts[0])

static void fill_order(struct record *r, int i, bool emoji)
{
	record_init(r, SHEET_ORDERS);
	size_t n;
	const enum field_id *cols = sheet_columns(SHEET_ORDERS, &n);
	for (size_t c = 0; c < n; c++) {
		const struct field_def *d = field_def(cols[c]);
		if (d->kind == FK_TEXT)
			record_set(r, cols[c], texts[(c + (size_t)i) % NTEXTS]);
	}
	record_set(r, F_ACTION, i % 2 ? "SHIP" : "");
	record_set(r, F_RESULT, "OK");
	record_set(r, F_MARKET, "coupang");
	record_set(r, F_STATUS, "PAID");
	record_set(r, F_ADDRESS_CHANGED, "=Y");
	record_setf(r, F_ORDER_NO, "%lld", 2000006593044LL + i);
	record_setf(r, F_LINE_NO, "6425389710064014%02d", 29 + i);
	record_set(r, F_BUNDLE_NO, "000123"); /* leading zeros in an id */
	record_set(r, F_PRODUCT_ID, "2022040521691281");
	record_set(r, F_OPTION_ID, "-42"); /* id that looks like a negative number */
	record_set(r, F_SELLER_SKU, i % 2 ? "=SKU-1" : "12E45");
	record_set(r, F_ORDERED_AT, "2024-03-05 00:00:00");
	record_set(r, F_PAID_AT, "2024-12-31 23:59:59");
	record_set(r, F_SHIPPED_AT, "");
	record_set(r, F_DELAY_UNTIL, "2024-03-09");
	record_set_i64(r, F_QTY, 3);
	record_set_i64(r, F_CANCEL_QTY, 0);
	record_set_i64(r, F_UNIT_PRICE, 12000);
	record_set_i64(r, F_DISCOUNT, -3); /* negative money stays a number */
	record_set_i64(r, F_PAID_AMOUNT, 1234567890123LL);
	record_set(r, F_BUYER_PHONE, "010-1234-5678");
	record_set(r, F_RECEIVER_PHONE, i % 2 ? "01012345678" : "+82 10-9876-5432");
	record_set(r, F_ZIP, i % 2 ? "01000" : "06103");
	record_set(r, F_COURIER, "CJ대한통운");
	record_set(r, F_INVOICE_NO, "612345678901");
	record_set(r, F_CLAIM_ID, "");
	if (emoji)
		record_set(r, F_DELIVERY_NOTE, emoji_texts[(size_t)i % 3]);
}

static void fill_claim(struct record *r, int i)
{
	record_init(r, SHEET_CLAIMS);
	record_set(r, F_ACTION, i % 2 ? "APPROVE" : "REJECT");
	record_set(r, F_MARKET, "11st");
	record_setf(r, F_CLAIM_ID, "C-%d", i);
	record_set(r, F_CLAIM_TYPE, "CANCEL");
	record_set(r, F_CLAIM_STATUS, "REQUESTED");
	record_set(r, F_MARKET_STATUS, "취소요청, \"접수\"");
	record_setf(r, F_ORDER_NO, "%lld", 202403050001LL + i);
	record_set(r, F_LINE_NO, "642538971006401429");
	record_set(r, F_PRODUCT_NAME, texts[(size_t)i % NTEXTS]);
	record_set(r, F_OPTION_NAME, "@옵션");
	record_set_i64(r, F_QTY, 5);
	record_set_i64(r, F_CLAIM_QTY, 2);
	record_set_i64(r, F_REMAINING_QTY, 3);
	record_set(r, F_REQUESTED_AT, "2024-03-05 14:03:00");
	record_set(r, F_REASON, "-단순변심\r\n두 줄");
	record_set(r, F_CONFIRMED_BY, "seller");
	record_set(r, F_INVOICE_NO, "0012345");
}

/* Every sheet column of a and b is equal. */
static void assert_same_record(const struct record *a, const struct record *b, size_t row_no)
{
	size_t n;
	const enum field_id *cols = sheet_columns(a->sheet, &n);
	assert_int_equal(a->sheet, b->sheet);
	for (size_t c = 0; c < n; c++)
		if (strcmp(record_get(a, cols[c]), record_get(b, cols[c])) != 0)
			fail_msg("row %zu, %s: wrote \"%s\", read \"%s\"", row_no, field_key(cols[c]),
				 record_get(a, cols[c]), record_get(b, cols[c]));
}

/* Reads path and compares with the records written. */
static void read_back(const char *path, const struct record *want, size_t nwant, enum sheet_kind kind)
{
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	struct sheet_row row;
	if (sheet_reader_open(path, NULL, &r, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sheet_reader_kind(r), kind);
	assert_int_equal(sheet_reader_header_row(r), 1);
	sheet_row_init(&row);
	size_t i = 0;
	int rc;
	while ((rc = sheet_reader_next(r, &row, &err)) == 1) {
		assert_true(i < nwant);
		if (row.nissues)
			fail_msg("%s", row.issues[0].msg);
		assert_int_equal(row.row_no, i + 2);
		assert_same_record(&want[i], &row.rec, row.row_no);
		i++;
	}
	if (rc)
		fail_msg("%s", err.msg);
	assert_int_equal(i, nwant);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

#define NREC 14

static void roundtrip_book(bool excel_ids, enum text_encoding enc, bool emoji)
{
	struct record orders[NREC], claims[NREC];
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 0, enc, excel_ids, false, NULL };
	const char *out = tu_path("day.csv");
	for (int i = 0; i < NREC; i++) {
		fill_order(&orders[i], i, emoji);
		fill_claim(&claims[i], i);
	}
	assert_int_equal(book_open(out, &o, &b, &err), 0);
	char orders_path[1200], claims_path[1200];
	str_copy(orders_path, sizeof orders_path, book_path(b, SHEET_ORDERS));
	str_copy(claims_path, sizeof claims_path, book_path(b, SHEET_CLAIMS));
	assert_string_equal(orders_path, tu_path("day.orders.csv"));
	assert_string_equal(claims_path, tu_path("day.claims.csv"));
	for (int i = 0; i < NREC; i++) {
		assert_int_equal(book_put(b, &orders[i], &err), 0);
		if (i % 2)
			assert_int_equal(book_put(b, &claims[i / 2], &err), 0);
	}
	assert_int_equal(book_rows(b, SHEET_ORDERS), NREC);
	assert_int_equal(book_rows(b, SHEET_CLAIMS), NREC / 2);
	assert_int_equal(book_commit(b, &err), 0);

	char *bytes = tu_read(orders_path, NULL);
	if (enc != ENC_CP949 && enc != ENC_UTF8)
		assert_memory_equal(bytes, "\xEF\xBB\xBF" "action,result,message,", 25);
	/* No formula-like text reaches the file unguarded (a cell never starts
	 * with = + - @ unless it is a number or an ="..." id). */
	assert_null(strstr(bytes, ",=HYPERLINK"));
	assert_null(strstr(bytes, ",@SUM"));
	assert_null(strstr(bytes, ",+82"));
	if (excel_ids)
		assert_non_null(strstr(bytes, "\"=\"\"642538971006401429\"\"\""));
	else
		assert_non_null(strstr(bytes, ",642538971006401429,"));
	free(bytes);

	read_back(orders_path, orders, NREC, SHEET_ORDERS);
	read_back(claims_path, claims, NREC / 2, SHEET_CLAIMS);
	for (int i = 0; i < NREC; i++) {
		record_free(&orders[i]);
		record_free(&claims[i]);
	}
}

static void test_roundtrip_book_utf8_bom(void **state)
{
	(void)state;
	roundtrip_book(false, ENC_AUTO, true);
}

static void test_roundtrip_book_excel_text_ids(void **state)
{
	(void)state;
	roundtrip_book(true, ENC_UTF8_BOM, true);
}

static void test_roundtrip_book_cp949(void **state)
{
	(void)state;
	roundtrip_book(false, ENC_CP949, false);
}

/* The CSV writer used directly (as the import result file will), in CP949. */
static void test_roundtrip_csv_writer_cp949(void **state)
{
	(void)state;
	const char *path = tu_path("result.csv");
	struct csv_write_opts co = { ENC_CP949, false };
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	size_t n;
	const enum field_id *cols = sheet_columns(SHEET_ORDERS, &n);
	const char *cells[64];
	enum field_kind kinds[64];
	struct record recs[NREC];
	assert_int_equal(csv_writer_new_file(path, false, &co, &w, &err), 0);
	for (size_t c = 0; c < n; c++) {
		/* Korean headers this time. */
		cells[c] = field_header_ko(cols[c]);
		kinds[c] = FK_TEXT;
	}
	assert_int_equal(w->row(w, cells, kinds, n, &err), 0);
	for (size_t c = 0; c < n; c++)
		kinds[c] = field_def(cols[c])->kind;
	for (int i = 0; i < NREC; i++) {
		fill_order(&recs[i], i, false);
		for (size_t c = 0; c < n; c++)
			cells[c] = record_get(&recs[i], cols[c]);
		assert_int_equal(w->row(w, cells, kinds, n, &err), 0);
	}
	assert_int_equal(w->close(w, true, &err), 0);
	char *bytes = tu_read(path, NULL);
	assert_memory_equal(bytes, "\xC0\xDB\xBE\xF7,", 5); /* 작업, in CP949, no BOM */
	free(bytes);
	read_back(path, recs, NREC, SHEET_ORDERS);
	for (int i = 0; i < NREC; i++)
		record_free(&recs[i]);
}

static void test_cp949_emoji_error_names_row_and_column(void **state)
{
	(void)state;
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 1u << SHEET_ORDERS, ENC_CP949, false, false, NULL };
	struct record r;
	assert_int_equal(book_open(tu_path("e.csv"), &o, &b, &err), 0);
	fill_order(&r, 0, false);
	assert_int_equal(book_put(b, &r, &err), 0);
	record_free(&r);
	fill_order(&r, 1, true);
	assert_int_equal(book_put(b, &r, &err), OB_EINVALID);
	assert_contains(err.msg, "e.orders.csv row 3, column AF (delivery_note)");
	assert_contains(err.msg, "U+1F381");
	record_free(&r);
	book_abort(b);
	assert_int_equal(tu_count_files(), 0);
}

static void test_names_and_sheets(void **state)
{
	(void)state;
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct record ord, clm;
	fill_order(&ord, 0, false);
	fill_claim(&clm, 0);

	/* Only claims: one file; orders records are ignored. */
	struct book_opts o = { 1u << SHEET_CLAIMS, ENC_AUTO, false, false, NULL };
	assert_int_equal(book_open(tu_path("only.CSV"), &o, &b, &err), 0);
	assert_string_equal(book_path(b, SHEET_ORDERS), "");
	assert_string_equal(book_path(b, SHEET_CLAIMS), tu_path("only.claims.CSV"));
	assert_int_equal(book_put(b, &ord, &err), 0);
	assert_int_equal(book_put(b, &clm, &err), 0);
	assert_int_equal(book_rows(b, SHEET_ORDERS), 0);
	assert_int_equal(book_rows(b, SHEET_CLAIMS), 1);
	assert_int_equal(book_commit(b, &err), 0);
	assert_int_equal(tu_count_files(), 1);
	assert_true(tu_exists(tu_path("only.claims.CSV")));

	/* XLSX opens (test_xlsx.c tests it); an aborted one leaves no file. Then
	 * formats that are not written, and names without a format. */
	struct book_opts all = { 0, ENC_AUTO, false, false, NULL };
	assert_int_equal(book_open(tu_path("x.xlsx"), &all, &b, &err), 0);
	book_abort(b);
	assert_int_equal(tu_count_files(), 1);
	assert_int_equal(book_open(tu_path("x.xls"), &all, &b, &err), OB_EUSAGE);
	assert_contains(err.msg, ".xls");
	assert_int_equal(book_open(tu_path("x.ods"), &all, &b, &err), OB_EUSAGE);
	assert_contains(err.msg, "-o NAME.csv");
	assert_int_equal(book_open(tu_path("noext"), &all, &b, &err), OB_EUSAGE);
	int dummy;
	struct book_opts tpl = { 0, ENC_AUTO, false, false, (const struct template_def *)&dummy };
	assert_int_equal(book_open(tu_path("t.csv"), &tpl, &b, &err), OB_EUSAGE);
	assert_contains(err.msg, "template");
	assert_int_equal(tu_count_files(), 1);
	record_free(&ord);
	record_free(&clm);
}

/* Runs fn with standard output going to path. */
static void with_stdout_to(const char *path, void (*fn)(unsigned sheets), unsigned sheets)
{
	fflush(stdout);
	int saved = dup(1);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	assert_true(dup2(fd, 1) >= 0);
	close(fd);
	fn(sheets);
	fflush(stdout);
	assert_true(dup2(saved, 1) >= 0);
	close(saved);
}

static void export_to_stdout(unsigned sheets)
{
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { sheets, ENC_UTF8, false, false, NULL };
	struct record ord, clm;
	fill_order(&ord, 1, true);
	fill_claim(&clm, 1);
	assert_int_equal(book_open("-", &o, &b, &err), 0);
	assert_int_equal(book_put(b, &ord, &err), 0);
	assert_int_equal(book_put(b, &clm, &err), 0);
	assert_int_equal(book_commit(b, &err), 0);
	record_free(&ord);
	record_free(&clm);
}

static void test_stdout(void **state)
{
	(void)state;
	const char *path = tu_path("stdout.csv");
	with_stdout_to(path, export_to_stdout, 0);
	char *got = tu_read(path, NULL);
	/* Orders only, even though claims were asked for too. */
	assert_true(str_starts(got, "action,result,message,market,account,order_no,"));
	assert_null(strstr(got, "claim_type"));
	assert_non_null(strstr(got, "6425389710064014"));
	free(got);
	struct record want;
	fill_order(&want, 1, true);
	read_back(path, &want, 1, SHEET_ORDERS);
	record_free(&want);

	with_stdout_to(path, export_to_stdout, 1u << SHEET_CLAIMS);
	got = tu_read(path, NULL);
	assert_true(str_starts(got, "action,result,message,market,account,claim_id,claim_type,"));
	free(got);
}

static void test_overwrite_force_mode_abort(void **state)
{
	(void)state;
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 0, ENC_AUTO, false, false, NULL };
	struct record ord;
	fill_order(&ord, 0, true);

	/* Abort leaves nothing. */
	assert_int_equal(book_open(tu_path("a.csv"), &o, &b, &err), 0);
	assert_int_equal(book_put(b, &ord, &err), 0);
	book_abort(b);
	assert_int_equal(tu_count_files(), 0);

	/* An existing claims file stops the book at open, before anything else. */
	tu_write_str(tu_path("a.claims.csv"), "seller's edits");
	assert_int_equal(book_open(tu_path("a.csv"), &o, &b, &err), OB_EUSAGE);
	assert_contains(err.msg, "a.claims.csv already exists");
	assert_contains(err.msg, "--force");
	assert_int_equal(tu_count_files(), 1);

	/* Force replaces both; files are 0600. */
	tu_write_str(tu_path("a.orders.csv"), "old orders");
	chmod(tu_path("a.orders.csv"), 0644);
	o.force = true;
	assert_int_equal(book_open(tu_path("a.csv"), &o, &b, &err), 0);
	assert_int_equal(book_put(b, &ord, &err), 0);
	assert_int_equal(book_commit(b, &err), 0);
	assert_int_equal(tu_count_files(), 2);
	struct stat st;
	assert_int_equal(stat(tu_path("a.orders.csv"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(tu_path("a.claims.csv"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	read_back(tu_path("a.orders.csv"), &ord, 1, SHEET_ORDERS);
	record_free(&ord);
}

/* A file that appears between open and commit: nothing of the book stays. */
static void test_commit_all_or_nothing(void **state)
{
	(void)state;
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 0, ENC_AUTO, false, false, NULL };
	struct record ord, clm;
	fill_order(&ord, 0, true);
	fill_claim(&clm, 0);

	for (int which = 0; which < 2; which++) {
		const char *intruder = tu_path(which ? "c.claims.csv" : "c.orders.csv");
		char keep[1200];
		str_copy(keep, sizeof keep, intruder);
		assert_int_equal(book_open(tu_path("c.csv"), &o, &b, &err), 0);
		assert_int_equal(book_put(b, &ord, &err), 0);
		assert_int_equal(book_put(b, &clm, &err), 0);
		tu_write_str(keep, "appeared meanwhile");
		assert_int_equal(book_commit(b, &err), OB_EUSAGE);
		assert_contains(err.msg, "already exists");
		/* Only the intruder is there, untouched; the other sheet was taken
		 * back (or never renamed), and no temporary is left. */
		assert_int_equal(tu_count_files(), 1);
		char *got = tu_read(keep, NULL);
		assert_string_equal(got, "appeared meanwhile");
		free(got);
		tu_clean();
	}
	record_free(&ord);
	record_free(&clm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_roundtrip_book_utf8_bom, teardown),
		cmocka_unit_test_teardown(test_roundtrip_book_excel_text_ids, teardown),
		cmocka_unit_test_teardown(test_roundtrip_book_cp949, teardown),
		cmocka_unit_test_teardown(test_roundtrip_csv_writer_cp949, teardown),
		cmocka_unit_test_teardown(test_cp949_emoji_error_names_row_and_column, teardown),
		cmocka_unit_test_teardown(test_names_and_sheets, teardown),
		cmocka_unit_test_teardown(test_stdout, teardown),
		cmocka_unit_test_teardown(test_overwrite_force_mode_abort, teardown),
		cmocka_unit_test_teardown(test_commit_all_or_nothing, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_remove_dir();
	return rc;
}
