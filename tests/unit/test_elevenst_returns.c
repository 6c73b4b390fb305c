/* 11st returns and exchanges, mapping only: the clmStat table on each kind of
 * list, amounts with thousands commas, literal nulls, who pays the return
 * shipping, the seller-reason -> reason-code pickers, and the action specs per
 * claim type. The EUC-KR fixtures in tests/data/11st/ follow the field lists
 * of [D-1643] / [D-1651] (the doc's example values where it gives them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/elevenst_int.h"
#include "util/config.h"
#include "util/str.h"

extern const struct market_ops elevenst_ops;

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

static void parse_file(const char *name, struct est_reply *r)
{
	char path[1024];
	const char *dir = getenv("OB_TEST_DATA");
	snprintf(path, sizeof path, "%s/11st/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char data[65536];
	size_t len = fread(data, 1, sizeof data - 1, f);
	fclose(f);
	struct ob_err err = OB_ERR_INIT;
	est_reply_init(r);
	assert_int_equal(est_parse(data, len, r, &err), OB_OK);
}

static void test_status_table(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		enum claim_status cs;
	} open[] = {
		{ "103", CS_REQUESTED }, { "104", CS_HELD },      { "105", CS_REQUESTED }, { "106", CS_DONE },
		{ "107", CS_REJECTED },  { "108", CS_WITHDRAWN }, { "109", CS_HELD },      { "201", CS_REQUESTED },
		{ "212", CS_APPROVED },  { "214", CS_HELD },      { "221", CS_APPROVED },  { "232", CS_REJECTED },
		{ "233", CS_WITHDRAWN }, { "301", CS_APPROVED },  { "302", CS_DONE },
	};
	for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
		assert_int_equal(elevenst_retex_status(open[i].code, EST_RX_OPEN), open[i].cs);
		/* The completed and withdrawn lists decide whatever clmStat says. */
		assert_int_equal(elevenst_retex_status(open[i].code, EST_RX_DONE), CS_DONE);
		assert_int_equal(elevenst_retex_status(open[i].code, EST_RX_WITHDRAWN), CS_WITHDRAWN);
	}
	assert_int_equal(elevenst_retex_status("999", EST_RX_OPEN), CS_NONE);
	assert_int_equal(elevenst_retex_status("", EST_RX_OPEN), CS_NONE);
	assert_int_equal(elevenst_retex_status(NULL, EST_RX_OPEN), CS_NONE);

	const struct est_retex_list *l = elevenst_retex_list("retractexcorders");
	assert_non_null(l);
	assert_int_equal(l->type, CT_EXCHANGE);
	assert_int_equal(l->kind, EST_RX_WITHDRAWN);
	assert_null(elevenst_retex_list("cancelorders"));
	assert_string_equal(elevenst_retex_lists(CT_RETURN, EST_RX_DONE)->name, "returnedorders");
	assert_string_equal(elevenst_retex_lists(CT_EXCHANGE, EST_RX_OPEN)->name, "exchangeorders");
	assert_null(elevenst_retex_lists(CT_CANCEL, EST_RX_OPEN));
}

static void test_money(void **state)
{
	(void)state;
	int64_t v = -1;
	assert_true(est_money("6,000", &v));
	assert_int_equal(v, 6000);
	assert_true(est_money("12,000", &v));
	assert_int_equal(v, 12000);
	assert_true(est_money("1,234,567", &v));
	assert_int_equal(v, 1234567);
	assert_true(est_money("2500", &v));
	assert_int_equal(v, 2500);
	assert_true(est_money("0", &v));
	assert_int_equal(v, 0);
	assert_false(est_money("", &v));
	assert_false(est_money(",", &v));
	assert_false(est_money("null", &v));
	assert_false(est_money("6,000원", &v));
	/* Too long to hold: refused, not cut to a smaller amount. */
	assert_false(est_money("1,000,000,000,000,000,000,000,000,000,000", &v));
}

static void test_fee_payer(void **state)
{
	(void)state;
	/* The completed list's dlvCstRespnClf wins. */
	assert_string_equal(elevenst_fee_payer("02", "04", "101"), "SELLER");
	assert_string_equal(elevenst_fee_payer("01", "", "111"), "BUYER");
	/* A payment method means the buyer pays. */
	assert_string_equal(elevenst_fee_payer("", "09", "111"), "BUYER");
	/* No method (the literal null): the reason's fault, else the seller's. */
	assert_string_equal(elevenst_fee_payer("", "", "111"), "SELLER");
	assert_string_equal(elevenst_fee_payer("", "", "110"), "BUYER");
	assert_string_equal(elevenst_fee_payer("", "", "125"), "SELLER");
	assert_string_equal(elevenst_fee_payer("", "", "190"), "SELLER");
	assert_string_equal(elevenst_fee_payer("", "", ""), "");
	assert_string_equal(elevenst_retex_reason("112"), "상품이 도착하고 있지 않음");
	assert_string_equal(elevenst_retex_reason("190"), "");
}

static void test_return_rows(void **state)
{
	(void)state;
	struct est_reply r;
	parse_file("returnorders_example.xml", &r);
	assert_int_equal(r.nrows, 2);
	struct record rec;
	record_init(&rec, SHEET_CLAIMS);
	const struct est_retex_list *li = elevenst_retex_list("returnorders");

	assert_int_equal(elevenst_map_retex(&st, &r, 0, NULL, 0, li, &rec), OB_OK);
	assert_string_equal(record_get(&rec, F_CLAIM_ID), "2400330");
	assert_string_equal(record_get(&rec, F_CLAIM_TYPE), "RETURN");
	assert_string_equal(record_get(&rec, F_CLAIM_STATUS), "REQUESTED");
	assert_string_equal(record_get(&rec, F_MARKET_STATUS), "105");
	assert_string_equal(record_get(&rec, F_ORDER_NO), "201001068151292");
	assert_string_equal(record_get(&rec, F_LINE_NO), "1");
	assert_string_equal(record_get(&rec, F_OPTION_NAME), "1개");
	assert_string_equal(record_get(&rec, F_CLAIM_QTY), "1");
	assert_string_equal(record_get(&rec, F_REQUESTED_AT), "2010-01-06 15:16:37");
	assert_string_equal(record_get(&rec, F_REASON), "상품에 이상 없으나 구매 의사 없어짐 / 상세내역");
	assert_string_equal(record_get(&rec, F_RETURN_FEE_PAYER), "BUYER");
	assert_string_equal(record_get(&rec, F_EXTRA_FEE), "6000");
	assert_string_equal(record_get(&rec, F_PICKUP_COURIER), "CJ대한통운");
	assert_string_equal(record_get(&rec, F_PICKUP_INVOICE_NO), "608393450166");
	assert_string_equal(record_get(&rec, F_CONFIRMED_BY), "");
	assert_false(record_has(&rec, F_REDELIVERY_ADDRESS));

	/* Literal nulls: no method (seller at fault), no text, no pickup yet; the
	 * fee 11st shows is not the buyer's to pay. */
	assert_int_equal(elevenst_map_retex(&st, &r, 1, NULL, 0, li, &rec), OB_OK);
	assert_string_equal(record_get(&rec, F_CLAIM_ID), "2400343");
	assert_string_equal(record_get(&rec, F_CLAIM_STATUS), "HELD");
	assert_string_equal(record_get(&rec, F_CONFIRMED_BY), "seller");
	assert_string_equal(record_get(&rec, F_ORDER_NO), "20260225044348982");
	assert_string_equal(record_get(&rec, F_CLAIM_QTY), "2");
	assert_string_equal(record_get(&rec, F_REASON), "배송된 상품의 파손/하자/포장 불량");
	assert_string_equal(record_get(&rec, F_RETURN_FEE_PAYER), "SELLER");
	assert_false(record_has(&rec, F_EXTRA_FEE));
	assert_false(record_has(&rec, F_PICKUP_COURIER));
	assert_false(record_has(&rec, F_PICKUP_INVOICE_NO));
	assert_false(record_has(&rec, F_OPTION_NAME));

	/* The same rows on the completed list are DONE. */
	assert_int_equal(elevenst_map_retex(&st, &r, 1, NULL, 0, elevenst_retex_list("returnedorders"), &rec), OB_OK);
	assert_string_equal(record_get(&rec, F_CLAIM_STATUS), "DONE");
	assert_string_equal(record_get(&rec, F_MARKET_STATUS), "104");
	record_free(&rec);
	est_reply_free(&r);
}

static void test_exchange_rows(void **state)
{
	(void)state;
	struct est_reply r;
	parse_file("exchangedorders_example.xml", &r);
	assert_int_equal(r.nrows, 1);
	struct record rec;
	record_init(&rec, SHEET_CLAIMS);
	assert_int_equal(elevenst_map_retex(&st, &r, 0, NULL, 0, elevenst_retex_list("exchangedorders"), &rec), OB_OK);
	assert_string_equal(record_get(&rec, F_CLAIM_TYPE), "EXCHANGE");
	assert_string_equal(record_get(&rec, F_CLAIM_STATUS), "DONE");
	assert_string_equal(record_get(&rec, F_MARKET_STATUS), "221");
	assert_string_equal(record_get(&rec, F_REASON), "사이즈 또는 색상 등을 잘못 선택함 / 한 치수 큰 것으로 바꿔 주세요");
	assert_string_equal(record_get(&rec, F_RETURN_FEE_PAYER), "BUYER");
	assert_string_equal(record_get(&rec, F_EXTRA_FEE), "6000");
	assert_string_equal(record_get(&rec, F_REDELIVERY_NAME), "홍길동");
	assert_string_equal(record_get(&rec, F_REDELIVERY_PHONE), "010-5555-6666");
	assert_string_equal(record_get(&rec, F_REDELIVERY_ZIP), "03154");
	assert_string_equal(record_get(&rec, F_REDELIVERY_ADDRESS), "서울특별시 종로구 종로 1 교보빌딩 12층");
	/* On the request list the same clmStat 221 is re-shipped, not yet done. */
	assert_int_equal(elevenst_map_retex(&st, &r, 0, NULL, 0, elevenst_retex_list("exchangeorders"), &rec), OB_OK);
	assert_string_equal(record_get(&rec, F_CLAIM_STATUS), "APPROVED");
	record_free(&rec);
	est_reply_free(&r);
}

static void test_reason_codes(void **state)
{
	(void)state;
	/* A leading code wins, when it is one of the endpoint's. */
	assert_string_equal(elevenst_return_reject_code("103 포장 개봉"), "103");
	assert_string_equal(elevenst_return_reject_code("102"), "102");
	assert_string_equal(elevenst_return_reject_code("1030 개"), "104");
	assert_string_equal(elevenst_exchange_reject_code("203: 주문 제작"), "203");
	assert_string_equal(elevenst_exchange_reject_code("103 불가"), "203"); /* a return code is not one; the words decide */
	assert_string_equal(elevenst_hold_code("105"), "105");
	/* The words. */
	assert_string_equal(elevenst_return_reject_code("반품 상품이 아직 미입고 상태입니다"), "101");
	assert_string_equal(elevenst_return_reject_code("고객 요청으로 철회 대행합니다"), "102");
	assert_string_equal(elevenst_return_reject_code("포장을 개봉하여 반품이 불가합니다"), "103");
	assert_string_equal(elevenst_return_reject_code("확인 후 연락드리겠습니다"), "104");
	assert_string_equal(elevenst_exchange_reject_code("교환 상품을 받지 못했습니다"), "201");
	assert_string_equal(elevenst_exchange_reject_code("주문 제작 상품입니다"), "204");
	assert_string_equal(elevenst_hold_code("반품 배송비가 동봉되지 않았습니다"), "102");
	assert_string_equal(elevenst_hold_code("상품이 파손되어 돌아왔습니다"), "103");
	assert_string_equal(elevenst_hold_code("구매자와 연락이 되지 않습니다"), "104");
	assert_string_equal(elevenst_hold_code("아직 미도착"), "101");
	assert_string_equal(elevenst_hold_code("확인 중"), "105");
	assert_string_equal(elevenst_hold_code(""), "105");
}

static void test_specs(void **state)
{
	(void)state;
	const struct action_spec *s;
	s = market_action_spec(&elevenst_ops, ACT_APPROVE, SHEET_CLAIMS, CT_RETURN);
	assert_true(s && s->supported && s->claim == CT_RETURN && s->required == 0);
	s = market_action_spec(&elevenst_ops, ACT_REJECT, SHEET_CLAIMS, CT_RETURN);
	assert_true(s && s->supported && s->required == (1ull << F_SELLER_REASON));
	s = market_action_spec(&elevenst_ops, ACT_HOLD, SHEET_CLAIMS, CT_RETURN);
	assert_true(s && s->supported && s->required == (1ull << F_SELLER_REASON));
	s = market_action_spec(&elevenst_ops, ACT_PICKUP, SHEET_CLAIMS, CT_RETURN);
	assert_true(s && s->supported && s->required == ((1ull << F_PICKUP_COURIER) | (1ull << F_PICKUP_INVOICE_NO)));
	s = market_action_spec(&elevenst_ops, ACT_RESHIP, SHEET_CLAIMS, CT_RETURN);
	assert_true(s && !s->supported && s->unsupported_why);
	/* APPROVE and RESHIP of an exchange are the same call and need the same. */
	const struct action_spec *a = market_action_spec(&elevenst_ops, ACT_APPROVE, SHEET_CLAIMS, CT_EXCHANGE);
	const struct action_spec *r = market_action_spec(&elevenst_ops, ACT_RESHIP, SHEET_CLAIMS, CT_EXCHANGE);
	assert_true(a && r && a->supported && r->supported && a->required == r->required);
	assert_int_equal(a->required, (1ull << F_COURIER) | (1ull << F_INVOICE_NO));
	s = market_action_spec(&elevenst_ops, ACT_HOLD, SHEET_CLAIMS, CT_EXCHANGE);
	assert_true(s && !s->supported && strstr(s->unsupported_why, "SellerOffice"));
	s = market_action_spec(&elevenst_ops, ACT_PICKUP, SHEET_CLAIMS, CT_EXCHANGE);
	assert_true(s && !s->supported);
	/* Cancel requests keep their specs. */
	s = market_action_spec(&elevenst_ops, ACT_REJECT, SHEET_CLAIMS, CT_CANCEL);
	assert_true(s && s->supported && s->claim == CT_NONE && (s->required & (1ull << F_INVOICE_NO)));
	assert_null(market_action_spec(&elevenst_ops, ACT_PICKUP, SHEET_CLAIMS, CT_CANCEL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_fee_payer),
		cmocka_unit_test_setup(test_return_rows, setup),
		cmocka_unit_test_setup(test_exchange_rows, setup),
		cmocka_unit_test(test_reason_codes),
		cmocka_unit_test(test_specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
