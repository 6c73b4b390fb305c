/* Reading a courier's result file through a courier-result template: CP949
 * CSV with title rows above the header, headers in another order and with
 * other spacing, key alternatives (the first cell holding our key counts),
 * Excel-damaged invoices flagged, ="..." unwrapped, an XLSX file; a file
 * without the template's header refused; the result file written with the
 * courier's columns plus result and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sheet/csv.h"
#include "sheet/encoding.h"
#include "sheet/template_read.h"
#include "sheet/xlsx.h"

static char dir[256];

static const char *tpl_text = "[template]\nkind = courier-result\ncourier = 한진택배\n[columns]\n"
			      "운송장번호 = {invoice_no} | digits\n메모3 = {line_key}\n메모4 = {line_key}\n"
			      "받으시는 분 = {receiver_name}\n";

static struct template_def *tpl(void)
{
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	if (template_parse_text(tpl_text, "h.ini", "h", &t, NULL, &err) != OB_OK)
		fail_msg("%s", err.msg);
	return t;
}

static const char *write_file(const char *name, const char *utf8, bool cp949)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (cp949) {
		struct buf b = BUF_INIT;
		struct ob_err err = OB_ERR_INIT;
		assert_int_equal(encoding_utf8_to_cp949(utf8, strlen(utf8), &b, &err), OB_OK);
		fwrite(b.data, 1, b.len, f);
		buf_free(&b);
	} else {
		fputs(utf8, f);
	}
	fclose(f);
	return path;
}

static void test_csv(void **state)
{
	(void)state;
	struct template_def *t = tpl();
	const char *p = write_file("hanjin.csv",
				   "한진택배 송장 결과,,,,\r\n"
				   "2025-01-16,,,,\r\n"
				   "도서,운송장 번호,받으시는분,메모3,메모4\r\n"
				   "coupang,5123-4567-8901,홍길동,SHOP-9,C22000009546234-3242596358\r\n"
				   "coupang,512345678902,김*수,\"=\"\"C22000009546234-3242596359\"\"\",\r\n"
				   "coupang,5.12346E+11,이영희,C1-2,\r\n"
				   ",,,,\r\n"
				   "etc,512345678903,박,OTHER-1,\r\n",
				   true);
	struct tpl_reader *r;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(template_reader_open(p, t, &r, &err), OB_OK);
	assert_int_equal(template_reader_header_row(r), 3);
	struct tpl_row row;
	assert_int_equal(template_reader_next(r, &row, &err), 1);
	assert_int_equal(row.row_no, 4);
	assert_true(row.key_ours); /* 메모3 holds someone else's id; 메모4 ours */
	assert_string_equal(row.key, "C22000009546234-3242596358");
	assert_string_equal(row.key_col, "메모4");
	assert_string_equal(row.invoice, "512345678901"); /* digits */
	assert_string_equal(row.receiver, "홍길동");
	assert_string_equal(row.receiver_col, "받으시는분");
	assert_int_equal(template_reader_next(r, &row, &err), 1);
	assert_true(row.key_ours);
	assert_string_equal(row.key, "C22000009546234-3242596359"); /* ="..." unwrapped */
	assert_int_equal(template_reader_next(r, &row, &err), 1);
	assert_true(row.key_ours);
	assert_true(row.invoice_problem[0]); /* Excel turned it into a number */
	assert_int_equal(template_reader_next(r, &row, &err), 1);
	assert_true(row.blank);
	assert_int_equal(template_reader_next(r, &row, &err), 1);
	assert_false(row.key_ours);
	assert_string_equal(row.key, "OTHER-1");
	assert_int_equal(template_reader_next(r, &row, &err), 0);
	template_reader_close(r);
	template_free(t);
}

static void row_result(void *ctx, size_t row_no, const char **result, const char **message)
{
	(void)ctx;
	*result = row_no == 4 ? "OK" : "FAILED";
	*message = row_no == 4 ? "shipped" : "no";
}

static void test_xlsx_and_result(void **state)
{
	(void)state;
	struct template_def *t = tpl();
	char path[512], out[512];
	snprintf(path, sizeof path, "%s/h.xlsx", dir);
	snprintf(out, sizeof out, "%s/h.result.csv", dir);
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(xlsx_writer_new_file(path, true, "Sheet1", NULL, &w, &err), OB_OK);
	const char *h[] = { "메모4", "받으시는 분", "운송장번호" };
	const char *d[] = { "N2022040521691281-2022040521691282", "홍길동", "512345678901" };
	enum field_kind k[] = { FK_TEXT, FK_TEXT, FK_ID };
	assert_int_equal(w->row(w, h, NULL, 3, &err), OB_OK);
	assert_int_equal(w->row(w, d, k, 3, &err), OB_OK);
	assert_int_equal(w->close(w, true, &err), OB_OK);
	struct tpl_reader *r;
	assert_int_equal(template_reader_open(path, t, &r, &err), OB_OK);
	struct tpl_row row;
	assert_int_equal(template_reader_next(r, &row, &err), 1);
	assert_true(row.key_ours);
	assert_string_equal(row.invoice, "512345678901");
	template_reader_close(r);

	/* The result: the courier's own columns, then result and message. */
	assert_int_equal(template_write_result(path, t, out, true, row_result, NULL, &err), OB_OK);
	FILE *f = fopen(out, "r");
	assert_non_null(f);
	char text[1024] = "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "메모4,받으시는 분,운송장번호,처리결과,메시지\r\n"));
	assert_non_null(strstr(text, "N2022040521691281-2022040521691282,홍길동,512345678901,FAILED,no\r\n"));
	template_free(t);
}

static void test_not_a_result_file(void **state)
{
	(void)state;
	struct template_def *t = tpl();
	const char *p = write_file("orders.csv", "order_no,line_no,invoice_no\r\n1,2,3\r\n", false);
	struct tpl_reader *r;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(template_reader_open(p, t, &r, &err), OB_EINVALID);
	assert_non_null(strstr(err.msg, "운송장번호, 메모3, 메모4"));
	assert_null(r);
	template_free(t);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/obtrdXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_xlsx_and_result),
		cmocka_unit_test(test_not_a_result_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
