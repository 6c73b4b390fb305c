/* The courier table: names sellers type, per-market codes, invoice shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "market/couriers.h"

static void test_find(void **state)
{
	(void)state;
	const struct courier *cj = courier_find("CJ대한통운");
	assert_non_null(cj);
	assert_ptr_equal(courier_find("대한통운"), cj);
	assert_ptr_equal(courier_find("cjgls"), cj);
	assert_ptr_equal(courier_find("CJ 대한통운"), cj);
	assert_ptr_equal(courier_find("00034"), cj);
	assert_string_equal(courier_code(cj, "coupang"), "CJGLS");
	assert_string_equal(courier_code(cj, "11st"), "00034");
	/* 롯데 is HYUNDAI at Coupang, 로젠 is KGB: there is no LOTTE/LOGEN code. */
	assert_string_equal(courier_code(courier_find("롯데택배"), "coupang"), "HYUNDAI");
	assert_string_equal(courier_code(courier_find("로젠"), "coupang"), "KGB");
	assert_string_equal(courier_code(courier_find("우체국"), "11st"), "00007");
	assert_null(courier_find("없는택배"));
	assert_null(courier_code(courier_find("CU편의점택배"), "coupang"));
	assert_ptr_equal(courier_by_code("coupang", "HYUNDAI"), courier_find("롯데"));
}

static void test_invoice_shapes(void **state)
{
	(void)state;
	char why[256];
	const struct courier *cj = courier_find("CJ");
	assert_true(courier_invoice_ok(cj, "340010913442", why, sizeof why));
	assert_true(courier_invoice_ok(cj, "3400109134", why, sizeof why));
	assert_false(courier_invoice_ok(cj, "34001091344", why, sizeof why));
	assert_non_null(strstr(why, "10 or 12"));
	assert_false(courier_invoice_ok(cj, "34001O913442", why, sizeof why));
	const struct courier *epost = courier_find("우체국택배");
	assert_true(courier_invoice_ok(epost, "6012345678901", why, sizeof why));
	assert_false(courier_invoice_ok(epost, "601234567890", why, sizeof why));
	const struct courier *kd = courier_find("경동택배");
	assert_true(courier_invoice_ok(kd, "20180731040123", why, sizeof why));
	assert_false(courier_invoice_ok(kd, "1234567", why, sizeof why));
	char inv[] = "3400-1091-3442 ";
	courier_normalize_invoice(inv);
	assert_string_equal(inv, "340010913442");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_invoice_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
