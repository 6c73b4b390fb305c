/* Redaction: what -v prints of a URL or a response must not carry keys,
 * tokens, signatures or a buyer's name, phone, address or email, and must
 * keep everything else exactly (the line is for debugging). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "net/redact.h"

static void assert_url(const char *in, const char *want)
{
	struct buf out = BUF_INIT;
	assert_int_equal(redact_url(in, &out), 0);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
}

static void assert_text(const char *in, const char *want)
{
	struct buf out = BUF_INIT;
	assert_int_equal(redact_text(in, strlen(in), &out), 0);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
}

static void test_names(void **state)
{
	(void)state;
	const char *yes[] = { "client_secret_sign", "access_token", "API_KEY", "openapikey",
			      "signature", "password", "receiverPhone", "tel", "buyerName",
			      "address1", "EMAIL", "Authorization", "Cookie", "nextToken" };
	const char *no[] = { "status", "createdAtFrom", "maxPerPage", "vendorId", "ordNo",
			     "searchType", "timestamp", "" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_true(redact_name_is_sensitive(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_false(redact_name_is_sensitive(no[i], strlen(no[i])));
}

static void test_url(void **state)
{
	(void)state;
	assert_url("https://api.commerce.naver.com/external/v1/oauth2/token?client_id=abc"
		   "&timestamp=1700000000000&client_secret_sign=JDJhJDA0JHh4eA%3D%3D&grant_type=client_credentials",
		   "https://api.commerce.naver.com/external/v1/oauth2/token?client_id=abc"
		   "&timestamp=1700000000000&client_secret_sign=***&grant_type=client_credentials");
	/* Everything that is not sensitive stays byte for byte (%2B too). */
	const char *plain = "https://api-gateway.coupang.com/v2/providers/openapi/apis/api/v5/vendors/"
			    "A00012345/ordersheets?createdAtFrom=2025-07-15%2B09:00&status=ACCEPT";
	assert_url(plain, plain);
	assert_url("http://127.0.0.1:8080/x?A=1&Receiver_Name=%ED%99%8D&addr=Seoul&tel=010&z=",
		   "http://127.0.0.1:8080/x?A=1&Receiver_Name=***&addr=***&tel=***&z=");
	/* Bare names, empty parts and empty values keep their shape. */
	assert_url("https://h/p?token&&key=&a=b", "https://h/p?token&&key=***&a=b");
	/* user:password@ goes, and so does a fragment (never sent anyway). */
	assert_url("https://user:pw@h.example:8443/p?x=1#access_token=abc", "https://***@h.example:8443/p?x=1");
	assert_url("https://h.example/p#frag", "https://h.example/p");
	assert_url("https://h.example", "https://h.example");
	/* An '@' in the path is not user info. */
	assert_url("https://h.example/a@b?x=1", "https://h.example/a@b?x=1");
	assert_url("", "");
}

static void test_text(void **state)
{
	(void)state;
	/* JSON: string, number, nested object values of sensitive keys. */
	assert_text("{\"orderId\":123,\"receiverName\":\"홍길동\",\"shipmentBoxId\":\"0503\","
		    "\"receiverPhone\":\"010-1234-5678\",\"receiverAddr\":{\"a\":\"Seoul\",\"b\":[1,\"}\"]},"
		    "\"count\":2,\"tel\": 1012345678, \"note\":\"ok\"}",
		    "{\"orderId\":123,\"receiverName\":\"***\",\"shipmentBoxId\":\"0503\","
		    "\"receiverPhone\":\"***\",\"receiverAddr\":***,"
		    "\"count\":2,\"tel\": ***, \"note\":\"ok\"}");
	/* Escaped quotes inside a string value do not end it early. */
	assert_text("{\"name\":\"a\\\"b\",\"x\":1}", "{\"name\":\"***\",\"x\":1}");
	/* JSON carried inside a JSON string. */
	assert_text("{\"message\":\"{\\\"access_token\\\":\\\"abc\\\",\\\"n\\\":1}\"}",
		    "{\"message\":\"{\\\"access_token\\\":\\\"***\\\",\\\"n\\\":1}\"}");
	/* Header lines: everything after the colon, to the end of the line. */
	assert_text("Content-Type: application/json\r\nAuthorization: Bearer abc.def ghi\r\nX-A: 1\r\n",
		    "Content-Type: application/json\r\nAuthorization: ***\r\nX-A: 1\r\n");
	/* Form and query text. */
	assert_text("grant_type=x&client_secret_sign=abc%3D&type=SELF error at token=xyz, retry",
		    "grant_type=x&client_secret_sign=***&type=SELF error at token=***, retry");
	/* Not sensitive, or no value: untouched. */
	assert_text("status: 500 key", "status: 500 key");
	assert_text("token=", "token=");
	assert_text("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
