/* The sheet reader over hostile files (tests/data/sheets): CP949 without BOM,
 * title rows above the header, columns reordered or unknown, Korean headers,
 * every Excel-mangled identifier with its own message, repaired zip codes and
 * phones, bad numbers/times/actions, truncated, empty and duplicate-header
 * files, and the choice of back end by file name. */
#include "sheet_test_util.h"

#include "model/words.h"
#include "sheet/sheet_read.h"

static struct sheet_reader *open_ok(const char *path, const struct sheet_read_opts *o)
{
	struct sheet_reader *r = NULL;
	struct ob_err err = OB_ERR_INIT;
	int rc = sheet_reader_open(path, o, &r, &err);
	if (rc)
		fail_msg("open %s: %s", path, err.msg);
	return r;
}

static int open_err(const char *path, struct ob_err *err)
{
	struct sheet_reader *r = NULL;
	int rc = sheet_reader_open(path, NULL, &r, err);
	assert_null(r);
	return rc;
}

static void next_ok(struct sheet_reader *r, struct sheet_row *row)
{
	struct ob_err err = OB_ERR_INIT;
	int rc = sheet_reader_next(r, row, &err);
	if (rc != 1)
		fail_msg("next: %d %s", rc, err.msg);
}

static void assert_end(struct sheet_reader *r, struct sheet_row *row)
{
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sheet_reader_next(r, row, &err), 0);
}

static void assert_no_issues(const struct sheet_row *row)
{
	if (row->nissues)
		fail_msg("row %zu: unexpected issue: %s", row->row_no, row->issues[0].msg);
}

/* The issue of a row for a field, or fail. */
static const struct sheet_issue *issue_for(const struct sheet_row *row, enum field_id f)
{
	for (size_t i = 0; i < row->nissues; i++)
		if (row->issues[i].field == (int)f)
			return &row->issues[i];
	fail_msg("row %zu: no issue for %s", row->row_no, field_key(f));
	return NULL;
}

static void test_cp949_korean_headers(void **state)
{
	(void)state;
	struct sheet_reader *r = open_ok(tu_data("cp949_korean.csv"), NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	assert_int_equal(sheet_reader_kind(r), SHEET_ORDERS);
	assert_int_equal(sheet_reader_header_row(r), 1);
	assert_string_equal(sheet_reader_name(r), "cp949_korean.csv");
	assert_int_equal(sheet_reader_ncols(r), 13);
	assert_string_equal(sheet_reader_header(r, 1), "주문번호");
	assert_int_equal(sheet_reader_col_field(r, 0), F_ACTION);
	assert_int_equal(sheet_reader_col_field(r, 5), F_QTY); /* 수량: an alias */

	next_ok(r, &row);
	assert_no_issues(&row);
	assert_int_equal(row.row_no, 2);
	assert_false(row.blank);
	assert_int_equal(row.rec.sheet, SHEET_ORDERS);
	assert_string_equal(record_get(&row.rec, F_ACTION), "ACK"); /* 발주확인 */
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "2000006593044");
	assert_string_equal(record_get(&row.rec, F_LINE_NO), "642538971006401429");
	assert_string_equal(record_get(&row.rec, F_PRODUCT_NAME), "똠방각하 티셔츠 (L)");
	assert_string_equal(record_get(&row.rec, F_QTY), "2");
	assert_string_equal(record_get(&row.rec, F_RECEIVER_NAME), "김철수");
	assert_string_equal(record_get(&row.rec, F_ZIP), "06103");
	assert_string_equal(record_get(&row.rec, F_DELIVERY_NOTE), "문 앞에 놓아 주세요, 감사합니다");
	assert_string_equal(row.cells[10], "문 앞에 놓아 주세요, 감사합니다");

	next_ok(r, &row);
	assert_no_issues(&row);
	assert_string_equal(record_get(&row.rec, F_ACTION), "SHIP"); /* 발송 */
	assert_string_equal(record_get(&row.rec, F_COURIER), "CJ대한통운");
	assert_string_equal(record_get(&row.rec, F_INVOICE_NO), "612345678901");
	assert_string_equal(record_get(&row.rec, F_ZIP), "01000");
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

static void test_title_rows_above_header(void **state)
{
	(void)state;
	struct sheet_reader *r = open_ok(tu_data("title_rows.csv"), NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	assert_int_equal(sheet_reader_header_row(r), 4);
	char ***titles;
	size_t *ncells;
	assert_int_equal(sheet_reader_title_rows(r, &titles, &ncells), 3);
	assert_int_equal(ncells[0], 4);
	assert_string_equal(titles[0][0], "2024-03-05 주문 목록");
	assert_string_equal(titles[1][0], "판매자: 테스트상점");
	assert_int_equal(ncells[2], 0); /* the blank line */

	next_ok(r, &row);
	assert_int_equal(row.row_no, 5);
	assert_string_equal(record_get(&row.rec, F_ACTION), "ACK");
	assert_string_equal(record_get(&row.rec, F_LINE_NO), "1001-1");
	next_ok(r, &row);
	assert_int_equal(row.row_no, 6);
	assert_true(row.blank);
	assert_int_equal(row.nissues, 0);
	assert_false(record_has(&row.rec, F_ORDER_NO));
	next_ok(r, &row);
	assert_int_equal(row.row_no, 7);
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "1002");
	assert_string_equal(record_get(&row.rec, F_QTY), "2");
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

static void test_reordered_and_unknown_columns(void **state)
{
	(void)state;
	struct sheet_reader *r = open_ok(tu_data("reordered_extra.csv"), NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	assert_int_equal(sheet_reader_ncols(r), 7);
	assert_int_equal(sheet_reader_col_field(r, 0), -1);
	assert_int_equal(sheet_reader_col_field(r, 1), F_QTY);
	assert_int_equal(sheet_reader_col_field(r, 2), F_LINE_NO);
	assert_int_equal(sheet_reader_col_field(r, 3), -1);
	assert_int_equal(sheet_reader_col_field(r, 4), F_ORDER_NO);
	assert_int_equal(sheet_reader_col_field(r, 5), -1);
	assert_int_equal(sheet_reader_col_field(r, 6), F_ACTION);
	assert_int_equal(sheet_reader_col_field(r, 99), -1);
	assert_string_equal(sheet_reader_header(r, 5), "내 메모");

	next_ok(r, &row);
	assert_no_issues(&row);
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "O-1");
	assert_string_equal(record_get(&row.rec, F_LINE_NO), "L-1");
	assert_string_equal(record_get(&row.rec, F_QTY), "3");
	assert_string_equal(record_get(&row.rec, F_ACTION), "SHIP");
	/* Unknown columns are kept as read (a raw formula stays what it was, so
	 * that writing it back guards it). */
	assert_int_equal(row.ncells, 7);
	assert_string_equal(row.cells[0], "keep me");
	assert_string_equal(row.cells[3], "x");
	assert_string_equal(row.cells[5], "=SUM(A1)");

	next_ok(r, &row);
	assert_string_equal(row.cells[0], " spaced ");  /* spaces kept */
	assert_string_equal(row.cells[5], "=guarded");  /* guard taken off */
	assert_string_equal(record_get(&row.rec, F_ACTION), "");

	next_ok(r, &row);
	assert_int_equal(row.ncells, 9); /* cells beyond the header are kept too */
	assert_string_equal(row.cells[8], "the header");
	assert_string_equal(record_get(&row.rec, F_ACTION), "ACK");
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

static void test_excel_mangled_ids(void **state)
{
	(void)state;
	struct sheet_reader *r = open_ok(tu_data("mangled_ids.csv"), NULL);
	struct sheet_row row;
	const struct sheet_issue *is;
	sheet_row_init(&row);

	next_ok(r, &row); /* 6.42539E+17 */
	assert_int_equal(row.nissues, 1);
	is = issue_for(&row, F_LINE_NO);
	assert_true(is->fatal);
	assert_int_equal(is->col, 2);
	assert_contains(is->msg, "mangled_ids.csv row 2, column line_no: ");
	assert_contains(is->msg, "scientific notation");
	assert_contains(is->msg, "Data > From Text");
	assert_contains(is->msg, "-o file.xlsx");
	assert_false(record_has(&row.rec, F_LINE_NO));
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "2000006593044");

	next_ok(r, &row); /* 6.43e+17 */
	is = issue_for(&row, F_LINE_NO);
	assert_true(is->fatal);
	assert_contains(is->msg, "row 3, column line_no");
	assert_contains(is->msg, "scientific notation");

	next_ok(r, &row); /* 1,234,567 */
	is = issue_for(&row, F_ORDER_NO);
	assert_true(is->fatal);
	assert_contains(is->msg, "row 4, column order_no");
	assert_contains(is->msg, "thousands separators");

	next_ok(r, &row); /* 2000006593044.0 */
	is = issue_for(&row, F_ORDER_NO);
	assert_true(is->fatal);
	assert_contains(is->msg, "trailing .0");

	next_ok(r, &row); /* 4-digit zip, phone without its 0: repaired, warnings */
	assert_int_equal(row.nissues, 2);
	is = issue_for(&row, F_ZIP);
	assert_false(is->fatal);
	assert_contains(is->msg, "row 6, column zip: zip code 6103 had lost its leading zero");
	assert_string_equal(record_get(&row.rec, F_ZIP), "06103");
	is = issue_for(&row, F_RECEIVER_PHONE);
	assert_false(is->fatal);
	assert_string_equal(record_get(&row.rec, F_RECEIVER_PHONE), "01012345678");

	next_ok(r, &row); /* the ="..." forms are fine */
	assert_no_issues(&row);
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "2000006593044");
	assert_string_equal(record_get(&row.rec, F_LINE_NO), "642538971006401429");
	assert_string_equal(record_get(&row.rec, F_ZIP), "01000");
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

static void test_cell_values(void **state)
{
	(void)state;
	struct sheet_reader *r = open_ok(tu_data("bad_values.csv"), NULL);
	struct sheet_row row;
	const struct sheet_issue *is;
	sheet_row_init(&row);

	next_ok(r, &row);
	assert_no_issues(&row);
	assert_string_equal(record_get(&row.rec, F_UNIT_PRICE), "12000");
	assert_string_equal(record_get(&row.rec, F_PAID_AT), "2024-03-05 14:03:00");
	assert_string_equal(record_get(&row.rec, F_DELAY_UNTIL), "2024-03-07");

	next_ok(r, &row);
	assert_int_equal(row.nissues, 5);
	for (size_t i = 0; i < row.nissues; i++)
		assert_true(row.issues[i].fatal);
	is = issue_for(&row, F_ACTION);
	assert_contains(is->msg, "bad_values.csv row 3, column action: unknown action \"FLY\"");
	assert_contains(is->msg, "ACK (발주확인)");
	assert_contains(is->msg, "CANCEL (판매취소)");
	if (strstr(is->msg, "APPROVE"))
		fail_msg("claims actions offered on the orders sheet: %s", is->msg);
	assert_contains(issue_for(&row, F_QTY)->msg, "\"two\" is not a whole number");
	assert_contains(issue_for(&row, F_UNIT_PRICE)->msg, "\"12.5\" is not a whole number");
	assert_contains(issue_for(&row, F_PAID_AT)->msg, "YYYY-MM-DD HH:MM:SS");
	assert_contains(issue_for(&row, F_DELAY_UNTIL)->msg, "\"next week\" is not a date");

	next_ok(r, &row); /* Excel's own renderings are understood */
	assert_no_issues(&row);
	assert_string_equal(record_get(&row.rec, F_ACTION), "SHIP");
	assert_string_equal(record_get(&row.rec, F_QTY), "7");
	assert_string_equal(record_get(&row.rec, F_UNIT_PRICE), "-500");
	assert_string_equal(record_get(&row.rec, F_PAID_AT), "2024-03-05 09:05:00");
	assert_string_equal(record_get(&row.rec, F_DELAY_UNTIL), "2024-03-08");

	next_ok(r, &row);
	assert_true(row.blank);
	next_ok(r, &row);
	assert_true(row.blank); /* spaces only */
	assert_int_equal(row.nissues, 0);

	next_ok(r, &row);
	assert_int_equal(row.row_no, 7);
	assert_string_equal(record_get(&row.rec, F_ACTION), "ACK"); /* any case */
	assert_int_equal(row.nissues, 4);
	assert_true(issue_for(&row, F_QTY)->fatal);        /* "1,2" is no grouping */
	assert_true(issue_for(&row, F_UNIT_PRICE)->fatal); /* 1000원 */
	assert_true(issue_for(&row, F_PAID_AT)->fatal);    /* February 30th */
	assert_true(issue_for(&row, F_DELAY_UNTIL)->fatal);
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

static void test_claims_detected(void **state)
{
	(void)state;
	struct sheet_reader *r = open_ok(tu_data("claims_korean.csv"), NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	assert_int_equal(sheet_reader_kind(r), SHEET_CLAIMS);
	assert_int_equal(sheet_reader_col_field(r, 7), F_CLAIM_QTY); /* 취소수량 on claims */
	next_ok(r, &row);
	assert_no_issues(&row);
	assert_int_equal(row.rec.sheet, SHEET_CLAIMS);
	assert_string_equal(record_get(&row.rec, F_ACTION), "APPROVE");
	assert_string_equal(record_get(&row.rec, F_CLAIM_ID), "C-1");
	assert_string_equal(record_get(&row.rec, F_CLAIM_QTY), "1");
	assert_string_equal(record_get(&row.rec, F_QTY), "3");
	assert_string_equal(record_get(&row.rec, F_REASON), "단순변심");
	next_ok(r, &row);
	assert_string_equal(record_get(&row.rec, F_ACTION), "REJECT"); /* 이미출고 */
	/* UTC in the sheet becomes KST. */
	assert_string_equal(record_get(&row.rec, F_REQUESTED_AT), "2024-03-05 14:03:00");
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);

	/* The caller may insist: read as orders, 취소수량 is cancel_qty there. */
	struct sheet_read_opts o = { ENC_AUTO, SHEET_ORDERS, NULL };
	r = open_ok(tu_data("claims_korean.csv"), &o);
	assert_int_equal(sheet_reader_kind(r), SHEET_ORDERS);
	assert_int_equal(sheet_reader_col_field(r, 7), F_CANCEL_QTY);
	assert_int_equal(sheet_reader_col_field(r, 2), -1);
	sheet_reader_close(r);
}

/* A row buffer reused across sheets of different kinds stays consistent. */
static void test_row_reuse_across_kinds(void **state)
{
	(void)state;
	struct sheet_row row;
	sheet_row_init(&row);
	struct sheet_reader *a = open_ok(tu_data("claims_korean.csv"), NULL);
	struct sheet_reader *b = open_ok(tu_data("title_rows.csv"), NULL);
	next_ok(a, &row);
	assert_int_equal(row.rec.sheet, SHEET_CLAIMS);
	next_ok(b, &row);
	assert_int_equal(row.rec.sheet, SHEET_ORDERS);
	assert_false(record_has(&row.rec, F_CLAIM_ID));
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "1001");
	sheet_reader_close(a);
	sheet_reader_close(b);
	sheet_row_free(&row);
}

static void test_broken_sheets(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;

	assert_int_equal(open_err(tu_data("empty.csv"), &err), OB_EINVALID);
	assert_contains(err.msg, "file is empty");

	assert_int_equal(open_err(tu_data("dup_headers.csv"), &err), OB_EINVALID);
	assert_contains(err.msg, "dup_headers.csv row 1: columns B (\"order_no\") and D (\"주문번호\")");
	assert_contains(err.msg, "both mean order_no");

	assert_int_equal(open_err(tu_data("no_header.csv"), &err), OB_EINVALID);
	assert_contains(err.msg, "no header row found in the first 10 rows");
	assert_contains(err.msg, "action, order_no");
	assert_contains(err.msg, "작업, 주문번호");

	assert_int_equal(open_err(tu_data("one_column.csv"), &err), OB_EINVALID);
	assert_contains(err.msg, "no header row found");
	assert_contains(err.msg, "only one known column, \"order_no\"");

	/* Truncated: rows before the cut come, then the error names file and row. */
	struct sheet_reader *r = open_ok(tu_data("truncated.csv"), NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	next_ok(r, &row);
	assert_string_equal(record_get(&row.rec, F_DELIVERY_NOTE), "fine");
	assert_int_equal(sheet_reader_next(r, &row, &err), -OB_EINVALID);
	assert_contains(err.msg, "truncated.csv row 3");
	assert_contains(err.msg, "quote");
	sheet_row_free(&row);
	sheet_reader_close(r);

	/* A file cut inside the header search still reports the cut. */
	const char *path = tu_path("cut_early.csv");
	tu_write_str(path, "title\r\n\"never closed\r\n");
	assert_int_equal(open_err(path, &err), OB_EINVALID);
	assert_contains(err.msg, "row 2");
	unlink(path);
}

static void test_back_end_by_name(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(open_err("orders.xls", &err), OB_EUSAGE);
	assert_contains(err.msg, "old .xls format: open it in Excel and save as .xlsx or CSV");
	assert_int_equal(open_err("orders.XLSX", &err), OB_EUSAGE);
	assert_contains(err.msg, "cannot open orders.XLSX"); /* the XLSX reader: test_xlsx.c */

	/* .txt (Excel's tab-delimited text) and unknown names go to the CSV reader. */
	const char *path = tu_path("excel-export.txt");
	tu_write_str(path, "작업\t주문번호\t수량\r\n발송\t1001\t2\r\n");
	struct sheet_reader *r = open_ok(path, NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	next_ok(r, &row);
	assert_string_equal(record_get(&row.rec, F_ACTION), "SHIP");
	assert_string_equal(record_get(&row.rec, F_QTY), "2");
	sheet_row_free(&row);
	sheet_reader_close(r);
	unlink(path);

	/* A workbook saved under a .csv name is recognized. */
	path = tu_path("really.csv");
	tu_write(path, "PK\x03\x04....", 8);
	assert_int_equal(open_err(path, &err), OB_EUSAGE);
	assert_contains(err.msg, "XLSX workbook");
	unlink(path);
}

/* The header may be on row 10 but not on row 11. */
static void test_header_search_limit(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	const char *path = tu_path("deep.csv");
	struct buf b = BUF_INIT;
	for (int i = 0; i < 9; i++)
		buf_printf(&b, "title %d\r\n", i);
	buf_puts(&b, "action,order_no\r\nACK,1\r\n");
	tu_write(path, b.data, b.len);
	struct sheet_reader *r = open_ok(path, NULL);
	assert_int_equal(sheet_reader_header_row(r), 10);
	struct sheet_row row;
	sheet_row_init(&row);
	next_ok(r, &row);
	assert_int_equal(row.row_no, 11);
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);

	buf_reset(&b);
	for (int i = 0; i < 10; i++)
		buf_printf(&b, "title %d\r\n", i);
	buf_puts(&b, "action,order_no\r\nACK,1\r\n");
	tu_write(path, b.data, b.len);
	buf_free(&b);
	assert_int_equal(open_err(path, &err), OB_EINVALID);
	assert_contains(err.msg, "no header row found in the first 10 rows");
	unlink(path);
}

/* Data rows read during the header search come out in order, then the rest. */
static void test_rows_after_header_within_search(void **state)
{
	(void)state;
	const char *path = tu_path("short.csv");
	struct buf b = BUF_INIT;
	buf_puts(&b, "order_no,action,buyer_name\r\n");
	for (int i = 1; i <= 25; i++)
		buf_printf(&b, "%d,ACK,'=name %d\r\n", i, i);
	tu_write(path, b.data, b.len);
	buf_free(&b);
	struct sheet_reader *r = open_ok(path, NULL);
	struct sheet_row row;
	sheet_row_init(&row);
	for (int i = 1; i <= 25; i++) {
		char want[32];
		next_ok(r, &row);
		assert_int_equal(row.row_no, (size_t)i + 1);
		snprintf(want, sizeof want, "%d", i);
		assert_string_equal(record_get(&row.rec, F_ORDER_NO), want);
		snprintf(want, sizeof want, "=name %d", i);
		assert_string_equal(record_get(&row.rec, F_BUYER_NAME), want);
		assert_string_equal(row.cells[2], want);
	}
	assert_end(r, &row);
	sheet_row_free(&row);
	sheet_reader_close(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp949_korean_headers),
		cmocka_unit_test(test_title_rows_above_header),
		cmocka_unit_test(test_reordered_and_unknown_columns),
		cmocka_unit_test(test_excel_mangled_ids),
		cmocka_unit_test(test_cell_values),
		cmocka_unit_test(test_claims_detected),
		cmocka_unit_test(test_row_reuse_across_kinds),
		cmocka_unit_test(test_broken_sheets),
		cmocka_unit_test(test_back_end_by_name),
		cmocka_unit_test(test_header_search_limit),
		cmocka_unit_test(test_rows_after_header_within_search),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_remove_dir();
	return rc;
}
