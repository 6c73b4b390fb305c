/* Lossless JSON: long ids must come out of a response exactly as the market
 * sent them (DESIGN.md "Known traps": cJSON reads every number as a double),
 * and go into request bodies as the same digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/json.h"

static cJSON *parse(const char *text)
{
	struct ob_err err = OB_ERR_INIT;
	cJSON *root = json_parse(text, strlen(text), &err);
	if (!root)
		fail_msg("parse failed: %s", err.msg);
	return root;
}

static void assert_id(const cJSON *obj, const char *key, const char *want)
{
	char id[64];
	assert_int_equal(json_id(obj, key, id, sizeof id), 0);
	assert_string_equal(id, want);
}

static void assert_quoted(const char *in, const char *want)
{
	struct buf out = BUF_INIT;
	assert_int_equal(json_quote_big_ints(in, strlen(in), &out), 0);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
}

/* 16, 18 and 19 digits and a negative 64-bit number all go past 2^53. */
static void test_long_ids_survive(void **state)
{
	(void)state;
	cJSON *root = parse("{\"a\":1234567890123457,\"shipmentBoxId\":642538971006401429,"
			    "\"c\":9223372036854775807,\"responseKey\":-7326489997410939972,"
			    "\"min\":-9223372036854775808}");
	assert_id(root, "a", "1234567890123457");
	assert_id(root, "shipmentBoxId", "642538971006401429");
	assert_id(root, "c", "9223372036854775807");
	assert_id(root, "responseKey", "-7326489997410939972");
	assert_id(root, "min", "-9223372036854775808");
	int64_t v;
	assert_int_equal(json_i64(root, "responseKey", &v), 0);
	assert_true(v == INT64_C(-7326489997410939972));
	assert_int_equal(json_i64(root, "c", &v), 0);
	assert_true(v == INT64_MAX);
	cJSON_Delete(root);
}

static void test_fifteen_digits_stay_numbers(void **state)
{
	(void)state;
	cJSON *root = parse("{\"a\":999999999999999,\"b\":-123456789012345,\"z\":0,\"s\":7}");
	assert_true(cJSON_IsNumber(json_get(root, "a")));
	assert_true(cJSON_IsNumber(json_get(root, "b")));
	assert_id(root, "a", "999999999999999");
	assert_id(root, "b", "-123456789012345");
	assert_id(root, "z", "0");
	int64_t v;
	assert_int_equal(json_i64(root, "s", &v), 0);
	assert_int_equal(v, 7);
	cJSON_Delete(root);
	assert_quoted("[999999999999999,1000000000000000]", "[999999999999999,\"1000000000000000\"]");
}

static void test_strings_untouched(void **state)
{
	(void)state;
	/* Digits inside strings, escaped quotes and backslashes before them,
	 * and \u escapes must not be mistaken for numbers. */
	const char *in = "{\"m\":\"id 12345678901234567890 here\",\"q\":\"say \\\"1234567890123456789\\\"\","
			 "\"bs\":\"\\\\\",\"after\":12345678901234567,\"u\":\"\\u0031234567890123456789\"}";
	const char *want = "{\"m\":\"id 12345678901234567890 here\",\"q\":\"say \\\"1234567890123456789\\\"\","
			   "\"bs\":\"\\\\\",\"after\":\"12345678901234567\",\"u\":\"\\u0031234567890123456789\"}";
	assert_quoted(in, want);
	/* an empty string, an escaped backslash then an escaped quote, a string
	 * left open at the end */
	assert_quoted("[\"\",12345678901234567,\"x\\\\\\\"y\",12345678901234567]",
		      "[\"\",\"12345678901234567\",\"x\\\\\\\"y\",\"12345678901234567\"]");
	assert_quoted("[12345678901234567,\"open \\\" 12345678901234567", "[\"12345678901234567\",\"open \\\" 12345678901234567");
	cJSON *root = parse(in);
	assert_string_equal(json_str(root, "m"), "id 12345678901234567890 here");
	assert_string_equal(json_str(root, "q"), "say \"1234567890123456789\"");
	assert_string_equal(json_str(root, "bs"), "\\");
	assert_id(root, "after", "12345678901234567");
	assert_string_equal(json_str(root, "u"), "1234567890123456789");
	cJSON_Delete(root);
}

static void test_floats_untouched(void **state)
{
	(void)state;
	const char *in = "[1.5,12345678901234567.25,-0.5,1e300,12345678901234567890e2,"
			 "1234567890123456789E-3,3.0e+20,2E5]";
	assert_quoted(in, in);
	cJSON *root = parse(in);
	assert_true(cJSON_IsNumber(cJSON_GetArrayItem(root, 1)));
	assert_true(cJSON_IsNumber(cJSON_GetArrayItem(root, 4)));
	/* Not integral, or too big to be exact: not an id. */
	char id[64];
	assert_int_equal(json_value_id(cJSON_GetArrayItem(root, 0), id, sizeof id), -1);
	assert_string_equal(id, "");
	assert_int_equal(json_value_id(cJSON_GetArrayItem(root, 3), id, sizeof id), -1);
	/* 2E5 is integral and exact. */
	assert_int_equal(json_value_id(cJSON_GetArrayItem(root, 7), id, sizeof id), 0);
	assert_string_equal(id, "200000");
	cJSON_Delete(root);
}

static void test_nested(void **state)
{
	(void)state;
	cJSON *root = parse("{\"code\":200,\"data\":[{\"shipmentBoxId\":642538971006401429,"
			    "\"orderItems\":[{\"vendorItemId\":3145181064,\"ids\":[11111111111111111,"
			    "-22222222222222222]}]}],\"nextToken\":\"1234567890123456789\","
			    "\"deep\":{\"a\":{\"b\":{\"c\":98765432109876543}}}}");
	const cJSON *data = json_get(root, "data");
	assert_true(cJSON_IsArray(data));
	const cJSON *box = cJSON_GetArrayItem(data, 0);
	assert_id(box, "shipmentBoxId", "642538971006401429");
	const cJSON *item = cJSON_GetArrayItem(json_get(box, "orderItems"), 0);
	assert_id(item, "vendorItemId", "3145181064");
	char id[64];
	const cJSON *ids = json_get(item, "ids");
	assert_int_equal(json_value_id(cJSON_GetArrayItem(ids, 0), id, sizeof id), 0);
	assert_string_equal(id, "11111111111111111");
	assert_int_equal(json_value_id(cJSON_GetArrayItem(ids, 1), id, sizeof id), 0);
	assert_string_equal(id, "-22222222222222222");
	assert_id(root, "nextToken", "1234567890123456789");
	assert_int_equal(json_value_id(json_path(root, "deep.a.b.c"), id, sizeof id), 0);
	assert_string_equal(id, "98765432109876543");
	assert_null(json_path(root, "deep.a.x.c"));
	assert_null(json_path(root, "code.a"));
	assert_null(json_path(NULL, "a"));
	cJSON_Delete(root);
}

static void test_missing_and_bad_ids(void **state)
{
	(void)state;
	cJSON *root = parse("{\"n\":null,\"e\":\"\",\"t\":true,\"o\":{},\"s\":\"A00012345\"}");
	char id[8];
	assert_int_equal(json_id(root, "n", id, sizeof id), -1);
	assert_int_equal(json_id(root, "e", id, sizeof id), -1);
	assert_int_equal(json_id(root, "t", id, sizeof id), -1);
	assert_int_equal(json_id(root, "o", id, sizeof id), -1);
	assert_int_equal(json_id(root, "missing", id, sizeof id), -1);
	assert_int_equal(json_id(NULL, "s", id, sizeof id), -1);
	/* Too long for the buffer: refused, never cut. */
	assert_int_equal(json_id(root, "s", id, sizeof id), -1);
	assert_string_equal(id, "");
	char big[16];
	assert_int_equal(json_id(root, "s", big, sizeof big), 0);
	assert_string_equal(big, "A00012345");
	cJSON_Delete(root);
}

static void test_add_id_round_trip(void **state)
{
	(void)state;
	cJSON *body = cJSON_CreateObject();
	assert_non_null(json_add_id(body, "shipmentBoxId", "642538971006401429"));
	assert_non_null(json_add_id(body, "responseKey", "-7326489997410939972"));
	assert_non_null(json_add_id(body, "zero", "0"));
	cJSON *arr = cJSON_AddArrayToObject(body, "vendorItemIds");
	cJSON_AddItemToArray(arr, json_create_id("9223372036854775807"));
	/* Not a JSON integer: refused rather than sent as something else. */
	assert_null(json_add_id(body, "bad", "12a"));
	assert_null(json_add_id(body, "bad", ""));
	assert_null(json_add_id(body, "bad", "-"));
	assert_null(json_add_id(body, "bad", "007"));
	assert_null(json_add_id(body, "bad", "1e5"));
	assert_null(json_add_id(body, "bad", NULL));
	assert_null(json_create_id("1 2"));
	char *text = json_print(body);
	assert_string_equal(text, "{\"shipmentBoxId\":642538971006401429,"
				  "\"responseKey\":-7326489997410939972,\"zero\":0,"
				  "\"vendorItemIds\":[9223372036854775807]}");
	/* And back through the parser: the same digits. */
	cJSON *again = parse(text);
	assert_id(again, "shipmentBoxId", "642538971006401429");
	assert_id(again, "responseKey", "-7326489997410939972");
	cJSON_Delete(again);
	free(text);
	cJSON_Delete(body);
}

static void test_money(void **state)
{
	(void)state;
	cJSON *root = parse("{\"v4\":15000,\"v5\":{\"currencyCode\":\"KRW\",\"units\":23000,\"nanos\":0},"
			    "\"big\":{\"currencyCode\":\"KRW\",\"units\":12345678901234567,\"nanos\":0},"
			    "\"str\":{\"currencyCode\":\"KRW\",\"units\":\"4500\"},\"zero\":{\"currencyCode\":\"KRW\"},"
			    "\"neg\":{\"currencyCode\":\"KRW\",\"units\":-2500,\"nanos\":-500000000},"
			    "\"n\":null,\"nu\":{\"units\":null},\"junk\":{\"x\":1},\"txt\":\"abc\"}");
	int64_t v = 0;
	assert_int_equal(json_money(root, "v4", &v), 0);
	assert_int_equal(v, 15000);
	assert_int_equal(json_money(root, "v5", &v), 0);
	assert_int_equal(v, 23000);
	assert_int_equal(json_money(root, "big", &v), 0);
	assert_true(v == INT64_C(12345678901234567));
	assert_int_equal(json_money(root, "str", &v), 0);
	assert_int_equal(v, 4500);
	assert_int_equal(json_money(root, "zero", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(json_money(root, "neg", &v), 0);
	assert_int_equal(v, -2500);
	assert_int_equal(json_money(root, "n", &v), -1);
	assert_int_equal(json_money(root, "nu", &v), -1);
	assert_int_equal(json_money(root, "junk", &v), -1);
	assert_int_equal(json_money(root, "txt", &v), -1);
	assert_int_equal(json_money(root, "missing", &v), -1);
	cJSON_Delete(root);
}

static void test_bool_and_str(void **state)
{
	(void)state;
	cJSON *root = parse("{\"t\":true,\"f\":false,\"st\":\"TRUE\",\"sf\":\"false\",\"x\":\"Y\",\"n\":1}");
	assert_true(json_bool(root, "t", false));
	assert_false(json_bool(root, "f", true));
	assert_true(json_bool(root, "st", false));
	assert_false(json_bool(root, "sf", true));
	assert_true(json_bool(root, "x", true));
	assert_false(json_bool(root, "missing", false));
	assert_null(json_str(root, "n"));
	assert_null(json_str(root, "missing"));
	cJSON_Delete(root);
}

static void test_malformed(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	const char *html = "<html><head><title>Access Denied</title></head><body>You don't have "
			   "permission to access this resource on this server.</body></html>";
	assert_null(json_parse(html, strlen(html), &err));
	assert_int_equal(err.code, OB_ENET);
	assert_string_equal(err.msg, "response is not JSON (first bytes: <html><head><title>Access "
				     "Denied</title></head><body>You don)");
	/* Control bytes and non-ASCII are shown as dots; at most 60 bytes. */
	ob_err_clear(&err);
	const char bin[] = "\x01\x02\n{oops \xea\xb0\x80";
	assert_null(json_parse(bin, sizeof bin - 1, &err));
	assert_string_equal(err.msg, "response is not JSON (first bytes: .. {oops ...)");

	ob_err_clear(&err);
	assert_null(json_parse("", 0, &err));
	assert_string_equal(err.msg, "response is not JSON (empty body)");

	/* A valid value followed by more text is not one JSON document. */
	ob_err_clear(&err);
	assert_null(json_parse("{\"a\":1} trailing", 16, &err));
	assert_int_equal(err.code, OB_ENET);

	ob_err_clear(&err);
	assert_null(json_parse("{\"a\":12345678901234567", 22, &err));
	assert_int_equal(err.code, OB_ENET);

	/* Unterminated string: the scanner stops at the end, cJSON refuses. */
	ob_err_clear(&err);
	assert_null(json_parse("[\"abc\\", 6, &err));
	assert_int_equal(err.code, OB_ENET);

	/* Trailing blanks are fine; the length bounds the text. */
	cJSON *root = json_parse("{\"a\":1}\r\n  garbage", 10, &err);
	assert_non_null(root);
	cJSON_Delete(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_ids_survive),
		cmocka_unit_test(test_fifteen_digits_stay_numbers),
		cmocka_unit_test(test_strings_untouched),
		cmocka_unit_test(test_floats_untouched),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_missing_and_bad_ids),
		cmocka_unit_test(test_add_id_round_trip),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_bool_and_str),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
