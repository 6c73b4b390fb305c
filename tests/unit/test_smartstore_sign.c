/* SmartStore token signature: the official vector of smartstore.md B2 byte for
 * byte, and secrets that are not bcrypt salts refused without being quoted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "market/smartstore_sign.h"

static void test_official_vector(void **state)
{
	(void)state;
	char sign[SMARTSTORE_SIGN_LEN];
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(smartstore_sign("aaaabbbbcccc", "$2a$10$abcdefghijklmnopqrstuv", 1643961623299LL, sign, &err),
			 OB_OK);
	assert_string_equal(sign, "JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy");
	/* 60 bcrypt bytes -> 80 base64 characters, none of them + / = (safe in a form body). */
	assert_int_equal(strlen(sign), 80);
	assert_null(strpbrk(sign, "+/="));
}

static void test_other_timestamp_differs(void **state)
{
	(void)state;
	char a[SMARTSTORE_SIGN_LEN], b[SMARTSTORE_SIGN_LEN];
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(smartstore_sign("aaaabbbbcccc", "$2a$04$XRkBhFNBXdNClAqPoDs.Iu", 1643961623299LL, a, &err),
			 OB_OK);
	assert_int_equal(smartstore_sign("aaaabbbbcccc", "$2a$04$XRkBhFNBXdNClAqPoDs.Iu", 1643961623300LL, b, &err),
			 OB_OK);
	assert_string_not_equal(a, b);
}

static void test_bad_secret(void **state)
{
	(void)state;
	char sign[SMARTSTORE_SIGN_LEN];
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(smartstore_sign("id", "plainsecretvalue", 1, sign, &err), OB_EUSAGE);
	assert_null(strstr(err.msg, "plainsecretvalue"));
	assert_string_equal(sign, "");
	ob_err_clear(&err);
	/* Looks like bcrypt but is not a valid setting. */
	assert_int_equal(smartstore_sign("id", "$2a$99$notavalidsaltstring!!", 1, sign, &err), OB_EUSAGE);
	assert_null(strstr(err.msg, "notavalid"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_official_vector),
		cmocka_unit_test(test_other_timestamp_differs),
		cmocka_unit_test(test_bad_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
