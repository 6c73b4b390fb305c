/* Proof that XLSX writing and reading stream: 200,000 orders go through book
 * into a workbook in $TMPDIR and back through sheet_read, and the peak
 * resident memory grows by far less than the data (bound: 100 MB, a fraction
 * of the sheet's XML). Nothing large is committed. */
#include "sheet_test_util.h"

#include <sys/resource.h>

#include "sheet/book.h"
#include "sheet/sheet_read.h"
#include "util/str.h"

#if defined(__SANITIZE_ADDRESS__)
/* See test_sheet_big.c: without quarantine the measure is the code's. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=0";
}
#endif

#define ROWS 200000
#define GROWTH_MAX_KIB (100 * 1024)

static long peak_rss_kib(void)
{
	struct rusage ru;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss; /* KiB on Linux */
}

static void fill(struct record *r, size_t i)
{
	record_clear(r);
	record_set(r, F_MARKET, "coupang");
	record_set(r, F_STATUS, "PAID");
	record_setf(r, F_ORDER_NO, "%zu", (size_t)2000006593044 + i);
	record_setf(r, F_LINE_NO, "6425389710%08zu", i);
	record_setf(r, F_BUNDLE_NO, "2022040521%06zu", i);
	record_setf(r, F_ORDERED_AT, "2024-03-05 14:%02zu:00", i % 60);
	record_setf(r, F_PRODUCT_NAME, "상품명 %zu 똠방각하 티셔츠 (L) 😀", i);
	record_set(r, F_OPTION_NAME, "색상: 검정 / 사이즈: L");
	record_setf(r, F_QTY, "%zu", i % 9 + 1);
	record_set(r, F_UNIT_PRICE, "12000");
	record_setf(r, F_PAID_AMOUNT, "%zu", 12000 * (i % 9 + 1));
	record_setf(r, F_RECEIVER_NAME, "김철수%zu", i);
	record_setf(r, F_RECEIVER_PHONE, "010-1234-%04zu", i % 10000);
	record_setf(r, F_ZIP, "%05zu", (i * 7) % 100000);
	record_setf(r, F_ADDRESS1, "서울특별시 강남구 테헤란로 %zu길 %zu", i % 97, i % 13);
	record_set(r, F_DELIVERY_NOTE, i % 50 ? "문 앞에 두세요" : "=부재시\r\n경비실");
	record_set(r, F_COURIER, "CJ대한통운");
	record_setf(r, F_INVOICE_NO, "6123%08zu", i);
}

static void test_200k_rows(void **state)
{
	(void)state;
	char path[1200];
	str_copy(path, sizeof path, tu_path("big.xlsx"));
	struct record r, want;
	record_init(&r, SHEET_ORDERS);
	record_init(&want, SHEET_ORDERS);
	struct ob_err err = OB_ERR_INIT;
	long base = peak_rss_kib();

	struct book *b;
	struct book_opts o = { 0, ENC_AUTO, false, false, NULL };
	if (book_open(path, &o, &b, &err))
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < ROWS; i++) {
		fill(&r, i);
		if (book_put(b, &r, &err))
			fail_msg("%s", err.msg);
	}
	if (book_commit(b, &err))
		fail_msg("%s", err.msg);
	long after_write = peak_rss_kib();
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	print_message("wrote %d rows: %lld MB on disk, peak RSS +%ld KiB\n", ROWS,
		      (long long)st.st_size >> 20, after_write - base);
	assert_true(after_write - base < GROWTH_MAX_KIB);

	struct sheet_reader *sr;
	struct sheet_read_opts ro = { ENC_AUTO, 0, "orders" };
	if (sheet_reader_open(path, &ro, &sr, &err))
		fail_msg("%s", err.msg);
	struct sheet_row row;
	sheet_row_init(&row);
	size_t n = 0;
	int rc;
	size_t ncols;
	const enum field_id *cols = sheet_columns(SHEET_ORDERS, &ncols);
	while ((rc = sheet_reader_next(sr, &row, &err)) == 1) {
		if (row.nissues)
			fail_msg("%s", row.issues[0].msg);
		assert_int_equal(row.row_no, n + 2);
		if (n % 997 == 0 || n == ROWS - 1) {
			fill(&want, n);
			for (size_t c = 0; c < ncols; c++)
				if (strcmp(record_get(&want, cols[c]), record_get(&row.rec, cols[c])))
					fail_msg("row %zu, %s: wrote \"%s\", read \"%s\"", row.row_no,
						 field_key(cols[c]), record_get(&want, cols[c]),
						 record_get(&row.rec, cols[c]));
		}
		n++;
	}
	if (rc)
		fail_msg("%s", err.msg);
	assert_int_equal(n, ROWS);
	sheet_row_free(&row);
	sheet_reader_close(sr);
	long after_read = peak_rss_kib();
	print_message("read them back: peak RSS +%ld KiB\n", after_read - base);
	assert_true(after_read - base < GROWTH_MAX_KIB);
	record_free(&r);
	record_free(&want);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_200k_rows),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_remove_dir();
	return rc;
}
