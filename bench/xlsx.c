/* XLSX benchmark: writes N order lines as the export does (book, one
 * workbook with the orders sheet), or reads a workbook back through the
 * sheet reader the import uses.
 *
 *   bench_xlsx write OUT.xlsx|OUT.csv N [edited]
 *   bench_xlsx read IN.xlsx
 *
 * "edited" fills the action column as a seller would before an import: every
 * fourth line ACK, every fourth SHIP with courier and invoice (the import
 * benchmark's sheet).
 *
 * Prints "rows seconds" on stdout. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sheet/book.h"
#include "sheet/sheet_read.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A plausible order line; ids vary per row. */
static int fill(struct record *r, long i, bool edited)
{
	int s = 0;
	record_clear(r);
	r->sheet = SHEET_ORDERS;
	s |= record_set(r, F_MARKET, i % 3 == 0 ? "coupang" : i % 3 == 1 ? "11st" : "smartstore");
	s |= record_set(r, F_ACCOUNT, "sandbox");
	if (edited && i % 4 == 0)
		s |= record_set(r, F_ACTION, "ACK");
	if (edited && i % 4 == 1) {
		s |= record_set(r, F_ACTION, "SHIP");
		s |= record_set(r, F_COURIER, "CJ대한통운");
		s |= record_setf(r, F_INVOICE_NO, "5%011ld", i);
	}
	s |= record_setf(r, F_ORDER_NO, "%ld", 22000009000000L + i);
	s |= record_setf(r, F_LINE_NO, "%ld", 3242590000L + i);
	s |= record_setf(r, F_BUNDLE_NO, "6425389710%08ld", i);
	s |= record_set(r, F_STATUS, "PAID");
	s |= record_set(r, F_MARKET_STATUS, "ACCEPT");
	s |= record_set(r, F_ORDERED_AT, "2026-03-01 10:11:12");
	s |= record_set(r, F_PAID_AT, "2026-03-01 10:11:13");
	s |= record_setf(r, F_PRODUCT_ID, "%ld", 80240831L + i % 1000);
	s |= record_set(r, F_PRODUCT_NAME, "유기농 현미 10kg 햅쌀 산지직송");
	s |= record_set(r, F_OPTION_NAME, "10kg / 1포");
	s |= record_setf(r, F_QTY, "%ld", 1 + i % 3);
	s |= record_set(r, F_CANCEL_QTY, "0");
	s |= record_set(r, F_UNIT_PRICE, "19000");
	s |= record_set(r, F_PAID_AMOUNT, "16000");
	s |= record_set(r, F_BUYER_NAME, "홍길동");
	s |= record_set(r, F_BUYER_PHONE, "050-1234-5678");
	s |= record_set(r, F_RECEIVER_NAME, "홍길동");
	s |= record_set(r, F_RECEIVER_PHONE, "050-1234-5678");
	s |= record_set(r, F_ZIP, "06236");
	s |= record_set(r, F_ADDRESS1, "서울특별시 강남구 테헤란로 123");
	s |= record_set(r, F_ADDRESS2, "4층 401호");
	s |= record_set(r, F_DELIVERY_NOTE, "문 앞에 놓아주세요");
	return s;
}

int main(int argc, char **argv)
{
	struct ob_err err = OB_ERR_INIT;
	double t0 = now_s();
	long n = 0;
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "write") == 0) {
		bool edited = argc == 5 && strcmp(argv[4], "edited") == 0;
		long want = atol(argv[3]);
		struct book_opts bo = { 0 };
		bo.sheets = 1u << SHEET_ORDERS;
		bo.force = true;
		struct book *b;
		if (book_open(argv[2], &bo, &b, &err) != OB_OK)
			goto fail;
		struct record r;
		record_init(&r, SHEET_ORDERS);
		for (; n < want; n++)
			if (fill(&r, n, edited) != 0 || book_put(b, &r, &err) != OB_OK) {
				record_free(&r);
				book_abort(b);
				goto fail;
			}
		record_free(&r);
		if (book_commit(b, &err) != OB_OK)
			goto fail;
	} else if (argc == 3 && strcmp(argv[1], "read") == 0) {
		struct sheet_read_opts o = { 0 };
		o.kind = SHEET_ORDERS;
		struct sheet_reader *rd;
		if (sheet_reader_open(argv[2], &o, &rd, &err) != OB_OK)
			goto fail;
		struct sheet_row row;
		sheet_row_init(&row);
		int got;
		while ((got = sheet_reader_next(rd, &row, &err)) == 1)
			n++;
		sheet_row_free(&row);
		sheet_reader_close(rd);
		if (got < 0)
			goto fail;
	} else {
		fprintf(stderr, "usage: bench_xlsx write OUT.xlsx N | read IN.xlsx\n");
		return 2;
	}
	printf("%ld %.3f\n", n, now_s() - t0);
	return 0;
fail:
	fprintf(stderr, "bench_xlsx: %s\n", err.msg);
	return 1;
}
