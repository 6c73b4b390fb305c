/* Template values: fields, joins (an empty part leaves no stray separator),
 * fixed text, transforms (phone, digits, oneline, cp949, byte and character
 * limits on Hangul), bundle rows (sums, items, the first line's key), the
 * accounting fields, the line key round trip, and VAT rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sheet/template.h"

static struct template_def *parse(const char *text)
{
	struct template_def *t;
	struct ob_err err = OB_ERR_INIT;
	if (template_parse_text(text, "t.ini", "t", &t, NULL, &err) != OB_OK)
		fail_msg("%s", err.msg);
	return t;
}

static void line(struct record *r, const char *order, const char *ln, const char *bundle, const char *qty,
		 const char *cancel, const char *paid, const char *fee)
{
	record_init(r, SHEET_ORDERS);
	record_set(r, F_MARKET, "coupang");
	record_set(r, F_ACCOUNT, "main");
	record_set(r, F_ORDER_NO, order);
	record_set(r, F_LINE_NO, ln);
	record_set(r, F_BUNDLE_NO, bundle);
	record_set(r, F_QTY, qty);
	record_set(r, F_CANCEL_QTY, cancel);
	record_set(r, F_PAID_AMOUNT, paid);
	record_set(r, F_SHIPPING_FEE, fee);
	record_set(r, F_PRODUCT_NAME, "캠핑 의자");
	record_set(r, F_OPTION_NAME, "베이지");
	record_set(r, F_RECEIVER_NAME, "홍길동");
	record_set(r, F_PAID_AT, "2025-01-16 07:17:13");
}

/* Renders column col of t's orders sheet for lines into a static string. */
static const char *render(const struct template_def *t, size_t col, const struct record *const *lines, size_t n)
{
	static char out[1024];
	struct buf b = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	if (template_render(t, SHEET_ORDERS, col, lines, n, &b, &err) != OB_OK)
		fail_msg("%s", err.msg);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void test_joins_and_text(void **state)
{
	(void)state;
	struct template_def *t = parse("[orders]\n"
				       "a = {address1} {address2}\n"
				       "b = [{order_no}] {{x}}\n"
				       "c = 1\n"
				       "d =\n"
				       "e = {receiver_name}님 ({zip})\n");
	struct record r;
	line(&r, "1", "2", "", "1", "0", "100", "0");
	const struct record *l[] = { &r };
	assert_string_equal(render(t, 0, l, 1), ""); /* no address: no lone space */
	record_set(&r, F_ADDRESS1, "서울 중구 세종대로 110");
	assert_string_equal(render(t, 0, l, 1), "서울 중구 세종대로 110"); /* no trailing space */
	record_set(&r, F_ADDRESS2, "3층");
	assert_string_equal(render(t, 0, l, 1), "서울 중구 세종대로 110 3층");
	assert_string_equal(render(t, 1, l, 1), "[1] {x}");
	assert_string_equal(render(t, 2, l, 1), "1");
	assert_string_equal(render(t, 3, l, 1), "");
	assert_string_equal(render(t, 4, l, 1), "홍길동님 ()");
	record_free(&r);
	template_free(t);
}

static void test_transforms(void **state)
{
	(void)state;
	struct template_def *t = parse("[orders]\n"
				       "p = {receiver_phone} | phone\n"
				       "d = {receiver_phone} | digits\n"
				       "o = {delivery_note} | oneline\n"
				       "b = {delivery_note} | max_bytes=7\n"
				       "l = {delivery_note} | max_len=2\n"
				       "e = {delivery_note} | cp949 | oneline\n");
	struct record r;
	line(&r, "1", "2", "", "1", "0", "100", "0");
	const struct record *l[] = { &r };
	static const char *phones[][2] = {
		{ "01012345678", "010-1234-5678" }, { "010-1234-5678", "010-1234-5678" }, { "0212345678", "02-1234-5678" },
		{ "021234567", "02-123-4567" },     { "0311234567", "031-123-4567" },     { "050412345678", "0504-1234-5678" },
		{ "15881234", "1588-1234" },        { "+1(555)444-1234", "+1(555)444-1234" }, { "12345", "12345" },
		{ "(010) 1234 5678", "010-1234-5678" },
	};
	for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
		record_set(&r, F_RECEIVER_PHONE, phones[i][0]);
		assert_string_equal(render(t, 0, l, 1), phones[i][1]);
	}
	record_set(&r, F_RECEIVER_PHONE, "010-1234-5678");
	assert_string_equal(render(t, 1, l, 1), "01012345678");
	record_set(&r, F_DELIVERY_NOTE, "  문 앞에\r\n\t두세요  ");
	assert_string_equal(render(t, 2, l, 1), "문 앞에 두세요");
	/* CP949 bytes: Hangul 2, ASCII 1; never half a character. */
	record_set(&r, F_DELIVERY_NOTE, "ab문앞에");
	assert_string_equal(render(t, 3, l, 1), "ab문앞"); /* 2 + 2 + 2 = 6; 에 would make 8 */
	assert_string_equal(render(t, 4, l, 1), "ab");
	record_set(&r, F_DELIVERY_NOTE, "문앞에");
	assert_string_equal(render(t, 4, l, 1), "문앞");
	record_set(&r, F_DELIVERY_NOTE, "아이가 자요 😴 노크 ❤ 금지");
	assert_string_equal(render(t, 5, l, 1), "아이가 자요 노크 금지"); /* ❤ (U+2764) has no CP949 form either */
	record_free(&r);
	template_free(t);
}

static void test_bundle_rows(void **state)
{
	(void)state;
	struct template_def *t = parse("[template]\nrows = bundle\n[orders]\n"
				       "key = {line_key}\nqty = {qty}\nnet = {net_qty}\npaid = {paid_amount}\n"
				       "items = {items}\nlines = {lines}\nname = {receiver_name}\n");
	struct record a, b;
	line(&a, "22000009546234", "3242596358", "642538971006401429", "2", "0", "21000", "3000");
	line(&b, "22000009546234", "3242596359", "642538971006401429", "3", "1", "9000", "0");
	record_set(&b, F_OPTION_NAME, "캠핑 의자"); /* same as the product: not repeated */
	const struct record *l[] = { &a, &b };
	assert_string_equal(render(t, 0, l, 2), "C22000009546234-3242596358");
	assert_string_equal(render(t, 1, l, 2), "5");
	assert_string_equal(render(t, 2, l, 2), "4");
	assert_string_equal(render(t, 3, l, 2), "30000");
	assert_string_equal(render(t, 4, l, 2), "캠핑 의자 베이지 x2 / 캠핑 의자 x2");
	assert_string_equal(render(t, 5, l, 2), "2");
	assert_string_equal(render(t, 6, l, 2), "홍길동");
	assert_int_equal(t->sheets[SHEET_ORDERS].cols[0].kind, FK_ID);
	record_free(&a);
	record_free(&b);
	template_free(t);
}

static void test_accounting_fields(void **state)
{
	(void)state;
	struct template_def *t = parse("[template]\npersonal = no\n[orders]\n"
				       "date = {date}\nnet = {net_amount}\nsupply = {supply}\nvat = {vat}\n");
	struct record r;
	/* 2 of 3 cancelled: goods 30000 -> 10000, plus the fee 3000 */
	line(&r, "1", "2", "", "3", "2", "33000", "3000");
	const struct record *l[] = { &r };
	assert_string_equal(render(t, 0, l, 1), "2025-01-16");
	assert_string_equal(render(t, 1, l, 1), "13000");
	assert_string_equal(render(t, 2, l, 1), "11819");
	assert_string_equal(render(t, 3, l, 1), "1181");
	record_set(&r, F_CANCEL_QTY, "3");
	assert_string_equal(render(t, 1, l, 1), "0");
	assert_string_equal(render(t, 3, l, 1), "0");
	record_set(&r, F_PAID_AT, "");
	record_set(&r, F_ORDERED_AT, "2025-01-15 23:59:59");
	assert_string_equal(render(t, 0, l, 1), "2025-01-15");
	record_free(&r);
	template_free(t);
}

static void test_line_key(void **state)
{
	(void)state;
	static const struct {
		const char *market, *order, *line, *key;
	} ok[] = {
		{ "coupang", "22000009546234", "3242596358", "C22000009546234-3242596358" },
		{ "11st", "20250116000001", "1", "E20250116000001-1" },
		{ "smartstore", "2022040521691281", "2022040521691282", "N2022040521691281-2022040521691282" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct record r;
		record_init(&r, SHEET_ORDERS);
		record_set(&r, F_MARKET, ok[i].market);
		record_set(&r, F_ORDER_NO, ok[i].order);
		record_set(&r, F_LINE_NO, ok[i].line);
		char key[TPL_KEY_MAX + 1], why[200];
		assert_int_equal(template_line_key(&r, key, sizeof key, why, sizeof why), 0);
		assert_string_equal(key, ok[i].key);
		/* Excel-safe: a letter first, never a bare long number. */
		assert_true(key[0] >= 'A' && key[0] <= 'Z');
		struct tpl_key k;
		assert_int_equal(template_key_parse(key, &k), 1);
		assert_string_equal(k.market, ok[i].market);
		assert_string_equal(k.order_no, ok[i].order);
		assert_string_equal(k.line_no, ok[i].line);
		record_free(&r);
	}
	struct tpl_key k;
	/* Spaces around it and a lower-case letter (a courier's re-typing) are fine. */
	assert_int_equal(template_key_parse("  c22000009546234-3242596358 ", &k), 1);
	assert_string_equal(k.market, "coupang");
	static const char *not_ours[] = { "", "OTHERSHOP-1", "C123", "C1-2-3", "X1-2", "C-2", "C1-", "C1 -2",
					  "C1-2.0", "22000009546234-3242596358",
					  "C1234567890123456789012345-12345678901234567890123" };
	for (size_t i = 0; i < sizeof not_ours / sizeof not_ours[0]; i++)
		if (template_key_parse(not_ours[i], &k) != 0)
			fail_msg("'%s' taken for a key", not_ours[i]);
	struct record r;
	record_init(&r, SHEET_ORDERS);
	record_set(&r, F_MARKET, "coupang");
	record_set(&r, F_ORDER_NO, "12-34");
	record_set(&r, F_LINE_NO, "5");
	char key[TPL_KEY_MAX + 1], why[200];
	assert_int_equal(template_line_key(&r, key, sizeof key, why, sizeof why), -1);
	assert_non_null(strstr(why, "12-34"));
	record_set(&r, F_MARKET, "gmarket");
	assert_int_equal(template_line_key(&r, key, sizeof key, why, sizeof why), -1);
	record_free(&r);
}

static void test_vat(void **state)
{
	(void)state;
	static const int64_t cases[][2] = {
		{ 11000, 1000 }, { 10001, 909 }, { 10010, 910 }, { 21000, 1909 }, { 110, 10 }, { 109, 9 }, { 10, 0 },
		{ 1, 0 },        { 0, 0 },       { -11000, -1000 }, { -10001, -909 }, { 123456789, 11223344 },
		{ 9999999999, 909090909 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t vat = template_vat(cases[i][0]);
		if (vat != cases[i][1])
			fail_msg("vat(%lld) = %lld, expected %lld", (long long)cases[i][0], (long long)vat,
				 (long long)cases[i][1]);
		/* supply + VAT is the amount, and the VAT never exceeds 10% of supply */
		int64_t supply = cases[i][0] - vat;
		assert_true(vat * 10 <= (supply < 0 ? -supply : supply) || vat <= 0);
	}
	assert_int_equal(template_net_amount(21000, 3000, 1, 0), 21000);
	assert_int_equal(template_net_amount(21000, 3000, 1, 1), 0);
	assert_int_equal(template_net_amount(33000, 3000, 3, 1), 23000);
	assert_int_equal(template_net_amount(10000, 0, 3, 1), 6666); /* rounded down */
	assert_int_equal(template_net_amount(5000, 0, 0, 0), 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_joins_and_text),  cmocka_unit_test(test_transforms),
		cmocka_unit_test(test_bundle_rows),     cmocka_unit_test(test_accounting_fields),
		cmocka_unit_test(test_line_key),        cmocka_unit_test(test_vat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
