/* SmartStore detail JSON -> unified records, on a product-orders/query answer
 * built from the shapes of smartstore.md B6/B7 (tests/data/smartstore/), the
 * status table (PAYED stays PAYED after 발주확인), the cancel-claim statuses
 * (CANCEL_REJECT is the buyer's 철회) and the reason words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/couriers.h"
#include "market/smartstore_int.h"
#include "model/record_list.h"
#include "util/config.h"
#include "util/json.h"

struct list_sink {
	struct record_sink base;
	struct record_list l;
};

static int list_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	(void)err;
	return record_list_push(&((struct list_sink *)s)->l, r) == 0 ? OB_OK : OB_EIO;
}

static struct account acct;
static struct smartstore ss;
static cJSON *fixture;

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("OB_TEST_DATA");
	char path[4096];
	snprintf(path, sizeof path, "%s/smartstore/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	if (text)
		text[n] = '\0';
	*len = (size_t)n;
	return text;
}

static int setup(void **state)
{
	(void)state;
	memset(&acct, 0, sizeof acct);
	strcpy(acct.name, "main");
	strcpy(acct.id, "smartstore.main");
	memset(&ss, 0, sizeof ss);
	ss.base.acct = &acct;
	strcpy(ss.base.who, "smartstore.main");
	size_t len = 0;
	char *text = slurp("query_response.json", &len);
	if (!text)
		return -1;
	struct ob_err err = OB_ERR_INIT;
	fixture = json_parse(text, len, &err);
	free(text);
	return fixture ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cJSON_Delete(fixture);
	return 0;
}

static void map_all(struct list_sink *s)
{
	s->base.put = list_put;
	s->l = (struct record_list)RECORD_LIST_INIT;
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	struct ob_err err = OB_ERR_INIT;
	const cJSON *el;
	cJSON_ArrayForEach(el, json_get(fixture, "data"))
	assert_int_equal(smartstore_map_detail(&ss, el, &s->base, &scratch, &err), OB_OK);
	record_free(&scratch);
}

static const struct record *find(const struct list_sink *s, enum sheet_kind sheet, const char *line)
{
	for (size_t i = 0; i < s->l.n; i++)
		if (s->l.items[i].sheet == sheet && strcmp(record_get(&s->l.items[i], F_LINE_NO), line) == 0)
			return &s->l.items[i];
	return NULL;
}

#define F(r, f) record_get((r), (f))

static void test_rows_per_product_order(void **state)
{
	(void)state;
	struct list_sink s;
	map_all(&s);
	size_t orders = 0, claims = 0;
	for (size_t i = 0; i < s.l.n; i++)
		if (s.l.items[i].sheet == SHEET_ORDERS)
			orders++;
		else
			claims++;
	/* Four product orders; three carry a cancel claim. */
	assert_int_equal(orders, 4);
	assert_int_equal(claims, 3);
	record_list_clear(&s.l);
}

static void test_partial_cancel_request(void **state)
{
	(void)state;
	struct list_sink s;
	map_all(&s);
	const struct record *o = find(&s, SHEET_ORDERS, "2022051122441251");
	assert_non_null(o);
	assert_string_equal(F(o, F_MARKET), "smartstore");
	assert_string_equal(F(o, F_ACCOUNT), "main");
	assert_string_equal(F(o, F_ORDER_NO), "2022051120592121");
	assert_string_equal(F(o, F_BUNDLE_NO), "2022051130000001");
	/* PAYED + placeOrderStatus OK: confirmed, waiting to ship. */
	assert_string_equal(F(o, F_STATUS), "PREPARING");
	assert_string_equal(F(o, F_MARKET_STATUS), "PAYED/OK/CANCEL_REQUEST");
	assert_string_equal(F(o, F_ORDERED_AT), "2022-05-11 20:59:21");
	assert_string_equal(F(o, F_PAID_AT), "2022-05-11 21:05:26");
	assert_string_equal(F(o, F_PRODUCT_ID), "5012345678");
	assert_string_equal(F(o, F_OPTION_ID), "30012345");
	assert_string_equal(F(o, F_SELLER_SKU), "POT-3KG-XL");
	assert_string_equal(F(o, F_PRODUCT_NAME), "국내산 햇 감자 3kg");
	assert_string_equal(F(o, F_OPTION_NAME), "크기: 왕특");
	assert_string_equal(F(o, F_QTY), "3");
	/* Only requested: nothing cancelled yet. */
	assert_string_equal(F(o, F_CANCEL_QTY), "0");
	assert_string_equal(F(o, F_SHIP_QTY), "3");
	assert_string_equal(F(o, F_UNIT_PRICE), "17000");
	assert_string_equal(F(o, F_DISCOUNT), "1500");
	assert_string_equal(F(o, F_SHIPPING_FEE), "3000");
	assert_string_equal(F(o, F_PAID_AMOUNT), "52500");
	assert_string_equal(F(o, F_BUYER_NAME), "김민준");
	assert_string_equal(F(o, F_BUYER_PHONE), "010-1234-5678");
	assert_string_equal(F(o, F_RECEIVER_NAME), "이서연");
	assert_string_equal(F(o, F_RECEIVER_PHONE), "010-9876-5432");
	assert_string_equal(F(o, F_ZIP), "06236");
	assert_string_equal(F(o, F_ADDRESS1), "서울특별시 강남구 테헤란로 152");
	assert_string_equal(F(o, F_ADDRESS2), "101동 1203호");
	assert_string_equal(F(o, F_DELIVERY_NOTE), "부재 시 경비실에 맡겨 주세요");
	assert_string_equal(F(o, F_CLAIM_ID), "2022051200001111");
	assert_string_equal(F(o, F_INVOICE_NO), "");

	const struct record *c = find(&s, SHEET_CLAIMS, "2022051122441251");
	assert_non_null(c);
	assert_string_equal(F(c, F_CLAIM_ID), "2022051200001111");
	assert_string_equal(F(c, F_CLAIM_TYPE), "CANCEL");
	assert_string_equal(F(c, F_CLAIM_STATUS), "REQUESTED");
	assert_string_equal(F(c, F_MARKET_STATUS), "CANCEL_REQUEST");
	assert_string_equal(F(c, F_ORDER_NO), "2022051120592121");
	assert_string_equal(F(c, F_QTY), "3");
	assert_string_equal(F(c, F_CLAIM_QTY), "1");
	assert_string_equal(F(c, F_REMAINING_QTY), "2");
	assert_string_equal(F(c, F_REQUESTED_AT), "2022-05-12 09:15:00");
	assert_string_equal(F(c, F_REASON), "INTENT_CHANGED / 하나만 필요해요");
	assert_string_equal(F(c, F_CONFIRMED_BY), "");
	record_list_clear(&s.l);
}

static void test_delivering(void **state)
{
	(void)state;
	struct list_sink s;
	map_all(&s);
	const struct record *o = find(&s, SHEET_ORDERS, "2022051122442301");
	assert_non_null(o);
	assert_string_equal(F(o, F_STATUS), "SHIPPING");
	assert_string_equal(F(o, F_MARKET_STATUS), "DELIVERING");
	assert_string_equal(F(o, F_COURIER), "CJ대한통운");
	assert_string_equal(F(o, F_INVOICE_NO), "123456789012");
	assert_string_equal(F(o, F_SHIPPED_AT), "2022-05-11 16:00:00");
	assert_string_equal(F(o, F_SELLER_SKU), "CHG-01");
	assert_string_equal(F(o, F_ZIP), "01000");
	assert_string_equal(F(o, F_CLAIM_ID), "");
	assert_null(find(&s, SHEET_CLAIMS, "2022051122442301"));
	record_list_clear(&s.l);
}

static void test_cancelled_before_confirmation(void **state)
{
	(void)state;
	struct list_sink s;
	map_all(&s);
	const struct record *o = find(&s, SHEET_ORDERS, "2022051122443341");
	assert_string_equal(F(o, F_STATUS), "CANCELLED");
	assert_string_equal(F(o, F_QTY), "2");
	assert_string_equal(F(o, F_CANCEL_QTY), "2");
	assert_string_equal(F(o, F_SHIP_QTY), "0");
	/* The fee was discounted away. */
	assert_string_equal(F(o, F_SHIPPING_FEE), "0");
	assert_string_equal(F(o, F_PAID_AMOUNT), "24000");
	const struct record *c = find(&s, SHEET_CLAIMS, "2022051122443341");
	/* Cancelled before 발주확인: nothing for the seller to decide. */
	assert_string_equal(F(c, F_CLAIM_STATUS), "DONE");
	assert_string_equal(F(c, F_CONFIRMED_BY), "");
	assert_string_equal(F(c, F_CLAIM_QTY), "2");
	record_list_clear(&s.l);
}

static void test_withdrawn(void **state)
{
	(void)state;
	struct list_sink s;
	map_all(&s);
	const struct record *c = find(&s, SHEET_CLAIMS, "2022051122444451");
	assert_non_null(c);
	/* CANCEL_REJECT is the buyer's 철회, not a seller rejection. */
	assert_string_equal(F(c, F_CLAIM_STATUS), "WITHDRAWN");
	assert_string_equal(F(c, F_MARKET_STATUS), "CANCEL_REJECT");
	const struct record *o = find(&s, SHEET_ORDERS, "2022051122444451");
	assert_string_equal(F(o, F_STATUS), "PREPARING");
	assert_string_equal(F(o, F_CANCEL_QTY), "0");
	record_list_clear(&s.l);
}

static void test_status_table(void **state)
{
	(void)state;
	static const struct {
		const char *pos, *place;
		enum order_status want;
	} rows[] = {
		{ "PAYED", "NOT_YET", OS_PAID },
		{ "PAYED", NULL, OS_PAID },
		{ "PAYED", "CANCEL", OS_PAID }, /* 발주 확인 해제 */
		{ "PAYED", "OK", OS_PREPARING },
		{ "DELIVERING", "OK", OS_SHIPPING },
		{ "DELIVERED", "OK", OS_DELIVERED },
		{ "PURCHASE_DECIDED", "OK", OS_CONFIRMED },
		{ "CANCELED", "NOT_YET", OS_CANCELLED },
		{ "CANCELED_BY_NOPAYMENT", NULL, OS_CANCELLED },
		{ "RETURNED", "OK", OS_RETURNED },
		{ "EXCHANGED", "OK", OS_EXCHANGED },
		{ "PAYMENT_WAITING", NULL, OS_NONE },
		{ "SOMETHING_NEW", NULL, OS_NONE },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(smartstore_order_status(rows[i].pos, rows[i].place), rows[i].want);
}

static enum claim_status cancel_status(const char *place, const char *claim_type, const char *claim_status,
				       enum confirmed_by *by)
{
	char text[512];
	snprintf(text, sizeof text,
		 "{\"productOrder\":{\"productOrderId\":\"2022051122441251\",\"placeOrderStatus\":\"%s\","
		 "\"claimType\":\"%s\",\"claimStatus\":\"%s\"},\"cancel\":{\"claimStatus\":\"%s\"}}",
		 place, claim_type, claim_status, claim_status);
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(text, strlen(text), &err);
	enum claim_status cs = smartstore_cancel_status(j, by);
	cJSON_Delete(j);
	return cs;
}

static void test_cancel_status_table(void **state)
{
	(void)state;
	enum confirmed_by by;
	assert_int_equal(cancel_status("OK", "CANCEL", "CANCEL_REQUEST", &by), CS_REQUESTED);
	assert_int_equal(by, CB_NONE);
	assert_int_equal(cancel_status("OK", "CANCEL", "CANCEL_REJECT", &by), CS_WITHDRAWN);
	assert_int_equal(cancel_status("NOT_YET", "CANCEL", "CANCEL_DONE", &by), CS_DONE);
	assert_int_equal(by, CB_NONE);
	assert_int_equal(cancel_status("NOT_YET", "CANCEL", "CANCELING", &by), CS_DONE);
	assert_int_equal(cancel_status("OK", "CANCEL", "CANCEL_DONE", &by), CS_APPROVED);
	assert_int_equal(by, CB_SELLER);
	assert_int_equal(cancel_status("OK", "CANCEL", "CANCELING", &by), CS_APPROVED);
	assert_int_equal(cancel_status("OK", "ADMIN_CANCEL", "ADMIN_CANCEL_DONE", &by), CS_DONE);
	assert_int_equal(by, CB_MARKET);
	/* A return is not a cancel (returns come later). */
	const char *ret = "{\"productOrder\":{\"productOrderId\":\"1\",\"claimType\":\"RETURN\","
			  "\"claimStatus\":\"RETURN_REQUEST\"}}";
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(ret, strlen(ret), &err);
	assert_int_equal(smartstore_cancel_status(j, &by), CS_NONE);
	cJSON_Delete(j);
}

static void test_partial_cancel_done_qty(void **state)
{
	(void)state;
	const char *t = "{\"productOrder\":{\"productOrderId\":\"1\",\"productOrderStatus\":\"PAYED\","
			"\"placeOrderStatus\":\"OK\",\"claimType\":\"CANCEL\",\"claimStatus\":\"CANCEL_DONE\","
			"\"quantity\":3,\"initialQuantity\":3,\"remainQuantity\":2},"
			"\"cancel\":{\"claimStatus\":\"CANCEL_DONE\",\"requestQuantity\":1}}";
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(t, strlen(t), &err);
	assert_int_equal(smartstore_cancelled_qty(j), 1);
	cJSON_Delete(j);
}

static void test_reasons(void **state)
{
	(void)state;
	assert_string_equal(smartstore_delay_reason("상품 준비중입니다"), "PRODUCT_PREPARE");
	assert_string_equal(smartstore_delay_reason("고객 요청으로 늦게 발송"), "CUSTOMER_REQUEST");
	assert_string_equal(smartstore_delay_reason("주문제작 상품"), "CUSTOM_BUILD");
	assert_string_equal(smartstore_delay_reason("예약 발송"), "RESERVED_DISPATCH");
	assert_string_equal(smartstore_delay_reason("oversea_delivery"), "OVERSEA_DELIVERY");
	assert_string_equal(smartstore_delay_reason("택배사 사정"), "ETC");
	assert_string_equal(smartstore_cancel_reason("품절"), "SOLD_OUT");
	assert_string_equal(smartstore_cancel_reason("배송 지연으로 취소"), "DELAYED_DELIVERY");
	assert_string_equal(smartstore_cancel_reason("상품 정보 오류"), "INCORRECT_INFO");
	assert_string_equal(smartstore_cancel_reason("기타 사정"), "SOLD_OUT");
	assert_string_equal(smartstore_cancel_reason("WRONG_ORDER"), "WRONG_ORDER");
}

static void test_time_text(void **state)
{
	(void)state;
	char t[48];
	/* 2022-04-05 12:17:35 KST = 03:17:35 UTC, whatever TZ says. */
	smartstore_time_text((ob_time)1649128655, 0, t, sizeof t);
	assert_string_equal(t, "2022-04-05T12:17:35.000+09:00");
	smartstore_time_text((ob_time)1649128655, 999, t, sizeof t);
	assert_string_equal(t, "2022-04-05T12:17:35.999+09:00");
}

static void test_courier_codes(void **state)
{
	(void)state;
	/* Every common code of smartstore.md B10 has a courier, and back. */
	static const char *const b10[] = {
		"CJGLS", "HYUNDAI", "HANJIN", "KGB",    "EPOST",   "REGISTPOST", "GENERALPOST", "KDEXP", "DAESIN",
		"ILYANG", "CHUNIL", "HDEXP",  "CVSNET", "CUPARCEL", "HONAM",     "KUNYOUNG",    "SLX",   "KOREXG",
		"EMS",   "DHL",     "FEDEX",  "UPS",    "USPS",    "TNT",        "CH1",
	};
	for (size_t i = 0; i < sizeof b10 / sizeof b10[0]; i++) {
		const struct courier *c = courier_by_code("smartstore", b10[i]);
		assert_non_null(c);
		assert_string_equal(courier_code(c, "smartstore"), b10[i]);
	}
	assert_string_equal(courier_code(courier_find("롯데택배"), "smartstore"), "HYUNDAI");
	assert_string_equal(courier_code(courier_find("로젠택배"), "smartstore"), "KGB");
	assert_string_equal(courier_code(courier_find("CJ대한통운"), "smartstore"), "CJGLS");
	assert_string_equal(courier_code(courier_find("GS편의점택배"), "smartstore"), "CVSNET");
	assert_string_equal(courier_code(courier_find("기타택배"), "smartstore"), "CH1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_per_product_order),
		cmocka_unit_test(test_partial_cancel_request),
		cmocka_unit_test(test_delivering),
		cmocka_unit_test(test_cancelled_before_confirmation),
		cmocka_unit_test(test_withdrawn),
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_cancel_status_table),
		cmocka_unit_test(test_partial_cancel_done_qty),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_time_text),
		cmocka_unit_test(test_courier_codes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
