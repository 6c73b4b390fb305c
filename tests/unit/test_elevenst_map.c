/* 11st answers -> unified records: the real 2026 `complete` capture of
 * 11st.md §2 (EUC-KR bytes in tests/data/11st/) against its golden fields,
 * literal null and empty elements, result codes (0 = empty list, -1000
 * maintenance), encodings and hostile XML, window and path building. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/elevenst_int.h"
#include "market/fetch.h"
#include "model/record_list.h"
#include "util/config.h"
#include "util/str.h"

static struct account acct;
static struct elevenst st;

static int setup(void **state)
{
	(void)state;
	memset(&acct, 0, sizeof acct);
	strcpy(acct.name, "main");
	strcpy(acct.id, "11st.main");
	memset(&st, 0, sizeof st);
	st.base.acct = &acct;
	strcpy(st.base.who, "11st.main");
	return 0;
}

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	const char *dir = getenv("OB_TEST_DATA");
	snprintf(path, sizeof path, "%s/11st/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char data[65536];
	*len = fread(data, 1, sizeof data - 1, f);
	data[*len] = '\0';
	fclose(f);
	char *copy = malloc(*len + 1);
	assert_non_null(copy);
	memcpy(copy, data, *len + 1);
	return copy;
}

static void parse_file(const char *name, struct est_reply *r)
{
	size_t len;
	char *body = slurp(name, &len);
	struct ob_err err = OB_ERR_INIT;
	est_reply_init(r);
	assert_int_equal(est_parse(body, len, r, &err), OB_OK);
	free(body);
}

static void test_doc_complete_golden(void **state)
{
	(void)state;
	struct est_reply r;
	parse_file("complete_example.xml", &r);
	assert_string_equal(r.root, "orders");
	assert_false(r.has_code);
	assert_int_equal(r.nrows, 1);
	struct record rec;
	record_init(&rec, SHEET_ORDERS);
	assert_int_equal(elevenst_map_order(&st, &r, 0, NULL, 0, "202", &rec), OB_OK);

	/* Every field of the golden file, and no other. */
	size_t len;
	char *golden = slurp("complete_example.expected", &len);
	bool expected[F__COUNT] = { false };
	for (char *line = strtok(golden, "\n"); line; line = strtok(NULL, "\n")) {
		char *eq = strchr(line, '=');
		assert_non_null(eq);
		*eq = '\0';
		int f = -1;
		for (int k = 0; k < F__COUNT; k++)
			if (strcmp(field_key((enum field_id)k), line) == 0)
				f = k;
		if (f < 0)
			fail_msg("unknown field %s in the golden file", line);
		expected[f] = true;
		if (strcmp(record_get(&rec, (enum field_id)f), eq + 1) != 0)
			fail_msg("%s: got '%s', expected '%s'", line, record_get(&rec, (enum field_id)f), eq + 1);
	}
	for (int k = 0; k < F__COUNT; k++)
		if (!expected[k] && record_has(&rec, (enum field_id)k))
			fail_msg("%s is set ('%s') but not in the golden file", field_key((enum field_id)k),
				 record_get(&rec, (enum field_id)k));
	free(golden);
	record_free(&rec);
	est_reply_free(&r);
}

static void test_null_and_empty(void **state)
{
	(void)state;
	struct est_reply r;
	parse_file("complete_example.xml", &r);
	/* <dlvMthdCd>null</dlvMthdCd>, <plcodrCnfDt>null</plcodrCnfDt>, <invcNo></invcNo>, <custGrdNm/>. */
	assert_string_equal(est_get(&r, 0, "dlvMthdCd"), "");
	assert_string_equal(est_get(&r, 0, "plcodrCnfDt"), "");
	assert_string_equal(est_get(&r, 0, "invcNo"), "");
	assert_string_equal(est_get(&r, 0, "custGrdNm"), "");
	assert_string_equal(est_get(&r, 0, "ordMailNo"), "");
	assert_string_equal(est_get(&r, 0, "noSuchField"), "");
	/* Text that merely contains "null" stays. */
	const char *x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ns2:orders xmlns:ns2=\"u\"><ns2:order>"
			"<prdNm>nullable 우산</prdNm><ordDlvReqCont> null </ordDlvReqCont></ns2:order></ns2:orders>";
	struct est_reply r2;
	est_reply_init(&r2);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(est_parse(x, strlen(x), &r2, &err), OB_OK);
	assert_string_equal(est_get(&r2, 0, "prdNm"), "nullable 우산");
	assert_string_equal(est_get(&r2, 0, "ordDlvReqCont"), "");
	est_reply_free(&r2);
	est_reply_free(&r);
}

static void test_empty_list_and_maintenance(void **state)
{
	(void)state;
	struct est_reply r;
	struct ob_err err = OB_ERR_INIT;
	parse_file("empty_result.xml", &r);
	assert_true(r.has_code);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.nrows, 0);
	assert_string_equal(r.text, "조회된 결과가 없습니다.");
	assert_int_equal(est_list_ok(&st, "complete", &r, &err), OB_OK);
	est_reply_free(&r);

	parse_file("maintenance.xml", &r);
	assert_int_equal(r.code, -1000);
	assert_int_equal(est_list_ok(&st, "complete", &r, &err), OB_ENET);
	assert_non_null(strstr(err.msg, "11st is in maintenance (Friday early morning); try later"));
	assert_non_null(strstr(err.msg, "11st.main"));
	est_reply_free(&r);

	/* -1: the key (or the IP) is refused; a usage error naming the account. */
	const char *bad = "<?xml version=\"1.0\" encoding=\"euc-kr\"?><ns2:orders xmlns:ns2=\"u\"><ns2:result_code>-1"
			  "</ns2:result_code><ns2:result_text>key</ns2:result_text></ns2:orders>";
	est_reply_init(&r);
	assert_int_equal(est_parse(bad, strlen(bad), &r, &err), OB_OK);
	assert_int_equal(est_list_ok(&st, "complete", &r, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "api_key"));
	est_reply_free(&r);

	/* Any other negative code is an error with 11st's code. */
	const char *win = "<?xml version=\"1.0\"?><ns2:orders xmlns:ns2=\"u\"><ns2:result_code>-3105</ns2:result_code>"
			  "</ns2:orders>";
	est_reply_init(&r);
	assert_int_equal(est_parse(win, strlen(win), &r, &err), OB_OK);
	assert_int_equal(est_list_ok(&st, "complete", &r, &err), OB_ENET);
	assert_non_null(strstr(err.msg, "-3105"));
	est_reply_free(&r);
}

static void test_result_order(void **state)
{
	(void)state;
	struct est_reply r;
	parse_file("reqpackaging_ok.xml", &r);
	assert_string_equal(r.root, "ResultOrder");
	assert_true(r.has_code);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.text, "전체 1건이 정상적으로 발주처리가 되었습니다.");
	est_reply_free(&r);
}

static void test_cancel_claim(void **state)
{
	(void)state;
	struct est_reply r;
	parse_file("cancelorders_example.xml", &r);
	struct record rec;
	record_init(&rec, SHEET_CLAIMS);
	/* A detail row supplies the order quantity and product name. */
	const char *det = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ns2:orders xmlns:ns2=\"u\"><ns2:order>"
			  "<ordNo>201001108318120</ordNo><ordPrdSeq>1</ordPrdSeq><ordQty>3</ordQty><ordCnQty>0</ordCnQty>"
			  "<prdNm>여성 원피스</prdNm><dlvNo>40860365</dlvNo></ns2:order></ns2:orders>";
	struct est_reply d;
	est_reply_init(&d);
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(est_parse(det, strlen(det), &d, &err), OB_OK);
	assert_int_equal(elevenst_map_claim(&st, &r, 0, &d, 0, &rec), OB_OK);
	assert_string_equal(record_get(&rec, F_CLAIM_ID), "8192583");
	assert_string_equal(record_get(&rec, F_CLAIM_TYPE), "CANCEL");
	assert_string_equal(record_get(&rec, F_CLAIM_STATUS), "REQUESTED");
	assert_string_equal(record_get(&rec, F_MARKET_STATUS), "01");
	assert_string_equal(record_get(&rec, F_ORDER_NO), "201001108318120");
	assert_string_equal(record_get(&rec, F_LINE_NO), "1");
	assert_string_equal(record_get(&rec, F_BUNDLE_NO), "40860365");
	assert_string_equal(record_get(&rec, F_PRODUCT_NAME), "여성 원피스");
	assert_string_equal(record_get(&rec, F_OPTION_NAME), "사이즈/색상:사이즈 - S(66)/색상 - 아이보리 [0000346774]-1개");
	assert_string_equal(record_get(&rec, F_QTY), "3");
	assert_string_equal(record_get(&rec, F_CLAIM_QTY), "1"); /* the claim's, not the line's ordCnQty */
	assert_string_equal(record_get(&rec, F_REMAINING_QTY), "2");
	assert_string_equal(record_get(&rec, F_REQUESTED_AT), "2010-01-19 13:50:05");
	assert_string_equal(record_get(&rec, F_REASON), "색상/사이즈/주문정보 변경 / 사이즈를 잘못 골랐어요");
	assert_string_equal(record_get(&rec, F_CONFIRMED_BY), "");
	est_reply_free(&d);
	est_reply_free(&r);
	record_free(&rec);
}

static void test_statuses_and_codes(void **state)
{
	(void)state;
	assert_string_equal(elevenst_order_status("202"), "PAID");
	assert_string_equal(elevenst_order_status("301"), "PREPARING");
	assert_string_equal(elevenst_order_status("701"), "PREPARING");
	assert_string_equal(elevenst_order_status("401"), "SHIPPING");
	assert_string_equal(elevenst_order_status("501"), "DELIVERED");
	assert_string_equal(elevenst_order_status("901"), "CONFIRMED");
	assert_string_equal(elevenst_order_status("A01"), "RETURNED");
	assert_string_equal(elevenst_order_status("B01"), "CANCELLED");
	assert_string_equal(elevenst_order_status("C01"), "CANCELLED");
	assert_string_equal(elevenst_order_status("601"), "");
	assert_string_equal(elevenst_cancel_reason("08", "01"), "품절/재고없음");
	assert_string_equal(elevenst_cancel_reason("08", "02"), "상품 품절(전체옵션)");
	assert_string_equal(elevenst_delay_code("03 주문 제작 중"), "03");
	assert_string_equal(elevenst_delay_code("재고가 부족하여 입고 후 발송합니다"), "01");
	assert_string_equal(elevenst_delay_code("주문 폭주로 작업이 밀렸습니다"), "02");
	assert_string_equal(elevenst_delay_code("택배사 사정으로 늦어집니다"), "05");
	assert_string_equal(elevenst_cancel_code("옵션 품절"), "09");
	assert_string_equal(elevenst_cancel_code("품절입니다"), "08");
	assert_string_equal(elevenst_cancel_code("10"), "10");
	assert_string_equal(elevenst_cancel_code("고객변심으로 취소"), "10");
	assert_string_equal(elevenst_cancel_code("그냥"), "99");
	assert_string_equal(elevenst_courier_name("00034"), "CJ대한통운");
	assert_string_equal(elevenst_courier_name("00999"), "00999");
}

static void test_encodings(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	/* "똠" (U+B620) is CP949 only (0x8C 0x63), not in EUC-KR: declared
	 * euc-kr, it must still decode (CP949 is the superset 11st really sends). */
	const char cp949[] = "<?xml version=\"1.0\" encoding=\"euc-kr\"?><a>\x8c\x63\xb0\xa1</a>";
	assert_int_equal(est_to_utf8(cp949, sizeof cp949 - 1, &out, &err), OB_OK);
	assert_string_equal(out.data, "<a>똠가</a>");
	/* No declaration: CP949 is assumed. */
	const char bare[] = "<a>\xb0\xa1</a>";
	assert_int_equal(est_to_utf8(bare, sizeof bare - 1, &out, &err), OB_OK);
	assert_string_equal(out.data, "<a>가</a>");
	/* No declaration but valid UTF-8: read as UTF-8. */
	assert_int_equal(est_to_utf8("<a>가</a>", strlen("<a>가</a>"), &out, &err), OB_OK);
	assert_string_equal(out.data, "<a>가</a>");
	/* Declared UTF-8. */
	const char *u = "<?xml version='1.0' encoding='UTF-8'?><a>가</a>";
	assert_int_equal(est_to_utf8(u, strlen(u), &out, &err), OB_OK);
	assert_string_equal(out.data, "<a>가</a>");
	/* Broken EUC-KR is an error, not garbage. */
	const char broken[] = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?><a>\xb0</a>";
	assert_int_equal(est_to_utf8(broken, sizeof broken - 1, &out, &err), OB_ENET);
	buf_free(&out);

	/* Character references (how characters outside EUC-KR travel) decode. */
	struct est_reply r;
	est_reply_init(&r);
	const char *ref = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><orders><order><ordDlvReqCont>문 앞 &#128512; "
			  "&amp; &lt;경비실&gt;</ordDlvReqCont></order></orders>";
	assert_int_equal(est_parse(ref, strlen(ref), &r, &err), OB_OK);
	assert_string_equal(est_get(&r, 0, "ordDlvReqCont"), "문 앞 😀 & <경비실>");
	est_reply_free(&r);

	/* A DTD (entity expansion, external entities) is refused outright. */
	const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
			   "\"&lol;&lol;&lol;&lol;\">]><orders><order><prdNm>&lol2;</prdNm></order></orders>";
	est_reply_init(&r);
	assert_int_equal(est_parse(bomb, strlen(bomb), &r, &err), OB_ENET);
	assert_non_null(strstr(err.msg, "DTD"));
	est_reply_free(&r);
	const char *ext = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
			  "<orders><order><prdNm>&e;</prdNm></order></orders>";
	est_reply_init(&r);
	assert_int_equal(est_parse(ext, strlen(ext), &r, &err), OB_ENET);
	est_reply_free(&r);
	/* Not XML at all (an HTML error page). */
	est_reply_init(&r);
	assert_int_equal(est_parse("<html><body>502", 15, &r, &err), OB_ENET);
	est_reply_free(&r);
}

static void test_windows_and_bisection(void **state)
{
	(void)state;
	/* complete: 7 days, minutes. 2026-03-01..2026-03-15 inclusive. */
	const struct market_query q = { "complete", 2, 0, 7 * OB_DAY, 60, EST_ROW_CAP, false };
	ob_time from, to, s[16], e[16];
	assert_int_equal(kst_parse_date("2026-03-01", &from), 0);
	assert_int_equal(kst_parse_date("2026-03-16", &to), 0);
	int n = fetch_split_windows(&q, from, to, to + OB_DAY, s, e, 16);
	assert_int_equal(n, 3);
	char a[16], b[16];
	est_minute_text(s[0], a);
	est_minute_text(e[0] - 60, b);
	assert_string_equal(a, "202603010000");
	assert_string_equal(b, "202603072359"); /* end minute inclusive: 7 days less a minute (-3105 needs 8) */
	for (int i = 0; i + 1 < n; i++) {
		/* The next window starts one minute after this one's (inclusive) end minute. */
		char end[16], next[16], plus[16];
		est_minute_text(e[i] - 60, end);
		est_minute_text(s[i + 1], next);
		est_minute_text(e[i], plus);
		assert_string_equal(next, plus);
		assert_string_not_equal(end, next);
	}
	/* A bisected window [s, m) + [m, e) with m on a minute: the left half
	 * ends at m-1min, the right starts at m: no minute twice, none missing. */
	ob_time ws = s[0], we = s[0] + 3 * 3600 + 7 * 60; /* 3h07m: odd number of minutes */
	ob_time mid = ws + (we - ws) / 2;
	mid -= ((mid + KST_OFFSET) % 60 + 60) % 60;
	char l_end[16], r_start[16];
	est_minute_text(mid - 60, l_end);
	est_minute_text(mid, r_start);
	assert_string_equal(l_end, "202603010132");
	assert_string_equal(r_start, "202603010133");
	/* A one-minute window sends the same minute twice: from == to-60s. */
	est_minute_text(ws, a);
	est_minute_text(ws + 60 - 60, b);
	assert_string_equal(a, b);
}

static void test_paths(void **state)
{
	(void)state;
	struct buf p = BUF_INIT;
	char why[256];
	assert_int_equal(buf_puts(&p, "/claimservice/reqrejectorder"), 0);
	assert_int_equal(est_path_id(&p, "20260225044348982", why, sizeof why), 0);
	assert_int_equal(est_path_id(&p, "1", why, sizeof why), 0);
	assert_int_equal(est_path_id(&p, "08", why, sizeof why), 0);
	assert_int_equal(est_path_text(&p, "한글 사유 100%", why, sizeof why), 0);
	assert_string_equal(p.data, "/claimservice/reqrejectorder/20260225044348982/1/08/"
				    "%ED%95%9C%EA%B8%80%20%EC%82%AC%EC%9C%A0%20100%25");
	size_t before = p.len;
	assert_int_equal(est_path_text(&p, "색상/사이즈 품절", why, sizeof why), -1);
	assert_non_null(strstr(why, "'/'"));
	assert_int_equal(p.len, before);
	assert_int_equal(est_path_text(&p, "", why, sizeof why), -1);
	assert_int_equal(est_path_text(&p, "..", why, sizeof why), -1);
	assert_int_equal(est_path_id(&p, "12/34", why, sizeof why), -1);
	assert_int_equal(est_path_id(&p, "1 2", why, sizeof why), -1);
	assert_int_equal(est_path_id(&p, "", why, sizeof why), -1);
	assert_int_equal(est_path_id(&p, "null", why, sizeof why), 0);
	assert_int_equal(est_path_id(&p, "1,2", why, sizeof why), 0);
	buf_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_doc_complete_golden, setup),
		cmocka_unit_test_setup(test_null_and_empty, setup),
		cmocka_unit_test_setup(test_empty_list_and_maintenance, setup),
		cmocka_unit_test_setup(test_result_order, setup),
		cmocka_unit_test_setup(test_cancel_claim, setup),
		cmocka_unit_test(test_statuses_and_codes),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_windows_and_bisection),
		cmocka_unit_test(test_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
