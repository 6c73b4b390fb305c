/* Proof that reading streams: a ~50 MB sheet generated at run time in $TMPDIR
 * is read row by row through sheet_read, and the peak resident memory grows by
 * less than the file's size (48 MB); a CP949 sheet does the same through the
 * piecewise conversion, with a tighter bound. Nothing large is committed. */
#include "sheet_test_util.h"

#include <iconv.h>
#include <sys/resource.h>

#include "sheet/sheet_read.h"

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer keeps freed memory in quarantine (256 MB by default), so the
 * reader's per-row allocations would look like growth; without quarantine (only
 * for this program: redzones still catch overflows) the measure is the reader's. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=0";
}
#endif

static long peak_rss_kib(void)
{
	struct rusage ru;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss; /* KiB on Linux */
}

/* One data row; every 50th has a quoted note with a comma and line breaks. */
static int format_row(char *out, size_t n, size_t i)
{
	const char *note = i % 50 == 0 ? "\"문 앞에 두세요,\r\n부재시 경비실\"" : "빠른 배송 부탁드립니다";
	return snprintf(out, n,
			"%s,%zu,6425389710%08zu,coupang,서울특별시 강남구 테헤란로 %zu길 %zu,"
			"상품명 %zu 똠방각하 티셔츠 (L),%zu,12000,김철수%zu,010-1234-%04zu,%05zu,%s,"
			"2024-03-05 14:%02zu:00,CJ대한통운,6123%08zu\r\n",
			i % 3 == 0 ? "발송" : "", (size_t)2000006593044 + i, i, i % 97, i % 13, i,
			i % 9 + 1, i, i % 10000, (i * 7) % 100000, note, i % 60, i);
}

static const char header[] =
	"작업,주문번호,상품주문번호,마켓,주소,상품명,주문수량,판매가,수령인,수령인연락처,우편번호,"
	"배송메모,주문일시,택배사,송장번호\r\n";

/* Writes text to f, converted to CP949 by glibc's iconv when cd is given (not
 * through our encoding module, which is under test). */
static void put(FILE *f, iconv_t cd, const char *text)
{
	size_t n = strlen(text);
	if (cd == (iconv_t)-1) {
		assert_int_equal(fwrite(text, 1, n, f), n);
		return;
	}
	char out[1024], *ip = (char *)text, *op = out;
	size_t left = n, room = sizeof out;
	assert_int_not_equal(iconv(cd, &ip, &left, &op, &room), (size_t)-1);
	assert_int_equal(fwrite(out, 1, (size_t)(op - out), f), (size_t)(op - out));
}

/* Writes at least min_bytes of rows; returns the number of data rows. */
static size_t generate(const char *path, size_t min_bytes, bool bom, bool cp949)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	iconv_t cd = cp949 ? iconv_open("CP949", "UTF-8") : (iconv_t)-1;
	if (cp949)
		assert_true(cd != (iconv_t)-1);
	if (bom)
		fputs("\xEF\xBB\xBF", f);
	put(f, cd, header);
	size_t rows = 0;
	char line[512];
	while ((size_t)ftell(f) < min_bytes) {
		int len = format_row(line, sizeof line, rows);
		assert_true(len > 0 && (size_t)len < sizeof line);
		put(f, cd, line);
		rows++;
	}
	if (cp949)
		iconv_close(cd);
	assert_int_equal(fclose(f), 0);
	return rows;
}

static void read_and_check(const char *path, size_t rows, long max_growth_kib)
{
	long before = peak_rss_kib();
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	struct sheet_row row;
	assert_int_equal(sheet_reader_open(path, NULL, &r, &err), 0);
	sheet_row_init(&row);
	size_t n = 0, ships = 0, fatal = 0;
	int rc;
	while ((rc = sheet_reader_next(r, &row, &err)) == 1) {
		/* Physical rows: the header is row 1, multi-line notes are one row. */
		assert_int_equal(row.row_no, n + 2);
		fatal += row.nissues;
		ships += strcmp(record_get(&row.rec, F_ACTION), "SHIP") == 0;
		if (n % 4099 == 0) {
			char want[64];
			snprintf(want, sizeof want, "6425389710%08zu", n);
			assert_string_equal(record_get(&row.rec, F_LINE_NO), want);
			snprintf(want, sizeof want, "%05zu", (n * 7) % 100000);
			assert_string_equal(record_get(&row.rec, F_ZIP), want);
			if (n % 50 == 0)
				assert_string_equal(record_get(&row.rec, F_DELIVERY_NOTE),
						    "문 앞에 두세요,\r\n부재시 경비실");
		}
		n++;
	}
	if (rc)
		fail_msg("%s", err.msg);
	assert_int_equal(n, rows);
	assert_int_equal(ships, (rows + 2) / 3);
	assert_int_equal(fatal, 0);
	sheet_row_free(&row);
	sheet_reader_close(r);
	long growth = peak_rss_kib() - before;
	print_message("read %zu rows; peak RSS grew by %ld KiB (limit %ld KiB)\n", n, growth,
		      max_growth_kib);
	assert_true(growth < max_growth_kib);
}

/* First, since the peak only rises: CP949 without BOM, converted piecewise. */
static void test_stream_cp949_12mb(void **state)
{
	(void)state;
	const char *path = tu_path("big-cp949.csv");
	size_t rows = generate(path, 12u * 1024 * 1024, false, true);
	read_and_check(path, rows, 8 * 1024);
	unlink(path);
}

static void test_stream_50mb(void **state)
{
	(void)state;
	const char *path = tu_path("big.csv");
	size_t rows = generate(path, 50u * 1024 * 1024, true, false);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size >= 50 * 1024 * 1024);
	read_and_check(path, rows, 48 * 1024);
	unlink(path);
}

/* Last, as a control: the meter does see a reader that holds the whole file
 * (here, a 50 MB copy in memory), so the bound above means something. */
static void test_rss_meter_sees_whole_file(void **state)
{
	(void)state;
	long before = peak_rss_kib();
	/* Memory freed by the tests before (the CSV reader's blocks and its
	 * thread) leaves the resident size below the peak: hold that much more,
	 * so that the peak must grow by the 50 MB a whole-file reader would add. */
	long resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	assert_non_null(f);
	long pages_total = 0, pages_resident = 0;
	assert_int_equal(fscanf(f, "%ld %ld", &pages_total, &pages_resident), 2);
	fclose(f);
	resident = pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
	long gap = before > resident ? before - resident : 0;
	size_t n = 50u * 1024 * 1024 + (size_t)gap * 1024;
	volatile char *p = malloc(n);
	assert_non_null((void *)p);
	for (size_t i = 0; i < n; i += 4096)
		p[i] = (char)i;
	long growth = peak_rss_kib() - before;
	free((void *)p);
	print_message("holding 50 MB (+%ld KiB below the old peak): peak RSS grew by %ld KiB\n", gap, growth);
	assert_true(growth >= 48 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_cp949_12mb),
		cmocka_unit_test(test_stream_50mb),
		cmocka_unit_test(test_rss_meter_sees_whole_file),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_remove_dir();
	return rc;
}
