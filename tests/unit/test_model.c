/* The field registry, records and unified words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/field.h"
#include "model/record.h"
#include "model/record_io.h"
#include "model/words.h"

static void test_columns_match_design(void **state)
{
	(void)state;
	/* DESIGN.md's orders and claims column keys, in order. */
	static const char *orders =
		"action result message market account order_no line_no bundle_no status market_status "
		"ordered_at paid_at product_id option_id seller_sku product_name option_name qty cancel_qty "
		"ship_qty unit_price discount shipping_fee paid_amount buyer_name buyer_phone receiver_name "
		"receiver_phone zip address1 address2 delivery_note address_changed courier invoice_no "
		"shipped_at delay_until reason claim_id";
	static const char *claims =
		"action result message market account claim_id claim_type claim_status market_status "
		"order_no line_no bundle_no product_name option_name qty claim_qty remaining_qty "
		"requested_at reason confirmed_by courier invoice_no shipped_at return_fee_payer "
		"pickup_courier pickup_invoice_no redelivery_name redelivery_phone redelivery_zip "
		"redelivery_address seller_reason extra_fee";
	const char *want[2] = { orders, claims };
	enum sheet_kind kinds[2] = { SHEET_ORDERS, SHEET_CLAIMS };
	for (int k = 0; k < 2; k++) {
		size_t n;
		const enum field_id *cols = sheet_columns(kinds[k], &n);
		char got[2048] = "";
		for (size_t i = 0; i < n; i++) {
			if (i)
				strcat(got, " ");
			strcat(got, field_key(cols[i]));
		}
		assert_string_equal(got, want[k]);
	}
}

static void test_headers(void **state)
{
	(void)state;
	assert_int_equal(field_by_header(SHEET_ORDERS, "주문번호"), F_ORDER_NO);
	assert_int_equal(field_by_header(SHEET_ORDERS, " ORDER_NO "), F_ORDER_NO);
	assert_int_equal(field_by_header(SHEET_ORDERS, "송장번호"), F_INVOICE_NO);
	assert_int_equal(field_by_header(SHEET_CLAIMS, "취소수량"), F_CLAIM_QTY);
	assert_int_equal(field_by_header(SHEET_ORDERS, "취소수량"), F_CANCEL_QTY);
	assert_int_equal(field_by_header(SHEET_ORDERS, "claim_type"), -1);
	assert_int_equal(field_by_header(SHEET_ORDERS, "ref"), -1); /* internal */
	assert_int_equal(field_by_header(SHEET_ORDERS, "nonsense"), -1);
}

static void test_record_arena(void **state)
{
	(void)state;
	struct record r;
	record_init(&r, SHEET_ORDERS);
	assert_string_equal(record_get(&r, F_ORDER_NO), "");
	assert_false(record_has(&r, F_ORDER_NO));
	assert_int_equal(record_set(&r, F_BUNDLE_NO, "642538971006401429"), 0);
	/* Set from a pointer into the record itself while the arena grows. */
	for (int i = 0; i < 200; i++)
		assert_int_equal(record_set(&r, F_LINE_NO, record_get(&r, F_BUNDLE_NO)), 0);
	assert_string_equal(record_get(&r, F_LINE_NO), "642538971006401429");
	assert_int_equal(record_set_i64(&r, F_QTY, -3), 0);
	int64_t v;
	assert_int_equal(record_get_i64(&r, F_QTY, &v), 0);
	assert_int_equal(v, -3);
	/* formatted by hand: the ends of the range and zero */
	assert_int_equal(record_set_i64(&r, F_QTY, INT64_MIN), 0);
	assert_string_equal(record_get(&r, F_QTY), "-9223372036854775808");
	assert_int_equal(record_set_i64(&r, F_QTY, INT64_MAX), 0);
	assert_string_equal(record_get(&r, F_QTY), "9223372036854775807");
	assert_int_equal(record_set_i64(&r, F_QTY, 0), 0);
	assert_string_equal(record_get(&r, F_QTY), "0");
	assert_int_equal(record_set_i64(&r, F_QTY, 120000), 0);
	assert_string_equal(record_get(&r, F_QTY), "120000");
	struct record c;
	assert_int_equal(record_copy(&c, &r), 0);
	record_clear(&r);
	assert_string_equal(record_get(&r, F_LINE_NO), "");
	assert_string_equal(record_get(&c, F_BUNDLE_NO), "642538971006401429");
	assert_int_equal(record_set(&c, F_BUNDLE_NO, ""), 0);
	assert_false(record_has(&c, F_BUNDLE_NO));
	record_free(&r);
	record_free(&c);
}

/* record_pack/record_unpack: records cross between threads as they lie in
 * memory; every field comes back, a reused record takes the next one whole,
 * and a cut or damaged buffer is refused instead of read past its end. */
static void test_record_pack(void **state)
{
	(void)state;
	struct record a, b, out;
	record_init(&a, SHEET_ORDERS);
	record_init(&b, SHEET_CLAIMS);
	record_init(&out, SHEET_ORDERS);
	assert_int_equal(record_set(&a, F_ORDER_NO, "22000009546234"), 0);
	assert_int_equal(record_set(&a, F_BUNDLE_NO, "642538971006401429"), 0);
	assert_int_equal(record_set(&a, F_RECEIVER_NAME, "김영희"), 0);
	assert_int_equal(record_set(&a, F_RECEIVER_NAME, "홍길동"), 0); /* set twice: the arena holds both */
	assert_int_equal(record_set(&b, F_CLAIM_ID, "C1"), 0);
	struct buf pk = BUF_INIT;
	assert_int_equal(record_pack(&pk, &a), 0);
	assert_int_equal(record_pack(&pk, &b), 0);
	struct record empty;
	record_init(&empty, SHEET_ORDERS);
	assert_int_equal(record_pack(&pk, &empty), 0);
	const char *p = pk.data, *end = pk.data + pk.len;
	assert_int_equal(record_unpack(&p, end, &out), 0);
	assert_int_equal(out.sheet, SHEET_ORDERS);
	assert_string_equal(record_get(&out, F_BUNDLE_NO), "642538971006401429");
	assert_string_equal(record_get(&out, F_RECEIVER_NAME), "홍길동");
	assert_string_equal(record_get(&out, F_ORDER_NO), "22000009546234");
	assert_false(record_has(&out, F_CLAIM_ID));
	assert_int_equal(record_unpack(&p, end, &out), 0);
	assert_int_equal(out.sheet, SHEET_CLAIMS);
	assert_string_equal(record_get(&out, F_CLAIM_ID), "C1");
	assert_false(record_has(&out, F_ORDER_NO)); /* nothing left of the first */
	assert_int_equal(record_unpack(&p, end, &out), 0);
	assert_false(record_has(&out, F_CLAIM_ID));
	assert_true(p == end);
	/* cut short: the head, or the arena */
	p = pk.data;
	assert_int_equal(record_unpack(&p, pk.data + 10, &out), -1);
	assert_true(p == pk.data);
	assert_int_equal(record_unpack(&p, pk.data + pk.len / 3 - 1, &out), -1);
	/* an offset beyond the arena */
	uint32_t bad = 0xFFFFFFF0u;
	memcpy(pk.data + 2 * sizeof(uint32_t), &bad, sizeof bad);
	assert_int_equal(record_unpack(&p, end, &out), -1);
	buf_free(&pk);
	record_free(&a);
	record_free(&b);
	record_free(&out);
	record_free(&empty);
}

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(action_parse("ack"), ACT_ACK);
	assert_int_equal(action_parse(" 발주확인 "), ACT_ACK);
	assert_int_equal(action_parse("송장등록"), ACT_SHIP);
	assert_int_equal(action_parse("이미출고"), ACT_REJECT);
	assert_int_equal(action_parse(""), ACT_NONE);
	assert_int_equal(action_parse("SHIPP"), -1);
	assert_string_equal(action_word(ACT_APPROVE), "APPROVE");
	assert_int_equal(order_status_parse("배송준비중"), OS_PREPARING);
	assert_int_equal(claim_status_parse("WITHDRAWN"), CS_WITHDRAWN);
	assert_string_equal(claim_status_ko(CS_WITHDRAWN), "철회");
	assert_int_equal(result_parse("unsupported"), RES_UNSUPPORTED);
	assert_true(action_on_orders(ACT_SHIP));
	assert_false(action_on_orders(ACT_APPROVE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_match_design),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_record_arena),
		cmocka_unit_test(test_record_pack),
		cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
