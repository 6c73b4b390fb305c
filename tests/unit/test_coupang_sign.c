/* Coupang CEA signature: the three worked examples of coupang.md §1 byte for
 * byte, signed-date in UTC whatever TZ says (ctest runs us in Los Angeles),
 * and path/query taken from the URL exactly as sent. The keys are the sample
 * keys of Coupang's official Python example; no test message prints them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "market/coupang_sign.h"

#define ACCESS "0a3a0f34-7852-4ad8-9368-766290b8b1ab"
#define SECRET "7ffcdf980d908fe7ca3d642868e22f99f0306bf5"
/* 2025-08-01 01:02:03 UTC = signed-date 250801T010203Z. */
#define SIGNED_AT ((ob_time)1754010123)
#define HEAD "CEA algorithm=HmacSHA256, access-key=" ACCESS ", signed-date=250801T010203Z, signature="

struct example {
	const char *method, *path, *query, *signature;
};

static const struct example examples[] = {
	{ "GET", "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests",
	  "createdAtFrom=2018-08-08&createdAtTo=2018-08-08&status=UC",
	  "57b4f2807eab20120b1114e78a35cf3e95b4b21d7fe833ba2e6ee7edaa0ea18a" },
	{ "GET", "/v2/providers/openapi/apis/api/v5/vendors/A00012345/ordersheets",
	  "createdAtFrom=2025-07-15%2B09:00&createdAtTo=2025-07-25%2B09:00&maxPerPage=50&status=INSTRUCT",
	  "ca5752a675d03afd871fb798605b7c5d04fe40efd4ac74ee1d8e8d2905d21fac" },
	{ "PUT", "/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets/acknowledgement", "",
	  "d5da819b2bf4c05801275e1d882dcdfaba6233537c19fe40f42daa19e0910bbc" },
};

static void test_worked_examples(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
		const struct example *ex = &examples[i];
		struct buf out = BUF_INIT;
		struct ob_err err = OB_ERR_INIT;
		assert_int_equal(coupang_sign(ex->method, ex->path, ex->query, ACCESS, SECRET, SIGNED_AT,
					      &out, &err),
				 OB_OK);
		struct buf want = BUF_INIT;
		buf_printf(&want, "%s%s", HEAD, ex->signature);
		assert_string_equal(buf_cstr(&out), buf_cstr(&want));
		buf_free(&want);
		buf_free(&out);
	}
}

/* NULL query is the same as "": the PUT example signs date+method+path. */
static void test_null_query(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(coupang_sign("PUT", examples[2].path, NULL, ACCESS, SECRET, SIGNED_AT, &out, &err),
			 OB_OK);
	assert_string_equal(buf_cstr(&out), HEAD "d5da819b2bf4c05801275e1d882dcdfaba6233537c19fe40f42daa19e0910bbc");
	buf_free(&out);
}

/* The sign callback for net/http: URL in, "Authorization: ...\n" out, with
 * the query signed exactly as it stands in the URL (%2B stays %2B). */
static void test_sign_header_from_url(void **state)
{
	(void)state;
	struct coupang_creds cr = { ACCESS, SECRET, SIGNED_AT };
	struct buf auth = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	const char *url = "https://api-gateway.coupang.com/v2/providers/openapi/apis/api/v5/vendors/"
			  "A00012345/ordersheets?createdAtFrom=2025-07-15%2B09:00&createdAtTo=2025-07-25"
			  "%2B09:00&maxPerPage=50&status=INSTRUCT";
	assert_int_equal(coupang_sign_header(&cr, "GET", url, &auth, &err), OB_OK);
	assert_string_equal(buf_cstr(&auth), "Authorization: " HEAD
			    "ca5752a675d03afd871fb798605b7c5d04fe40efd4ac74ee1d8e8d2905d21fac\n");
	buf_free(&auth);

	/* Same through a sandbox base URL with a port. */
	const char *local = "http://127.0.0.1:8080/v2/providers/openapi/apis/api/v4/vendors/A00012345/"
			    "returnRequests?createdAtFrom=2018-08-08&createdAtTo=2018-08-08&status=UC";
	assert_int_equal(coupang_sign_header(&cr, "GET", local, &auth, &err), OB_OK);
	assert_string_equal(buf_cstr(&auth), "Authorization: " HEAD
			    "57b4f2807eab20120b1114e78a35cf3e95b4b21d7fe833ba2e6ee7edaa0ea18a\n");
	buf_free(&auth);
}

static void test_split_url(void **state)
{
	(void)state;
	char path[128], query[128];
	assert_int_equal(coupang_split_url("https://h.example/v2/a/b?x=1%2B2&y=%20#frag", path,
					   sizeof path, query, sizeof query), 0);
	assert_string_equal(path, "/v2/a/b");
	assert_string_equal(query, "x=1%2B2&y=%20");

	assert_int_equal(coupang_split_url("https://h.example/v2/a", path, sizeof path, query, sizeof query), 0);
	assert_string_equal(path, "/v2/a");
	assert_string_equal(query, "");

	assert_int_equal(coupang_split_url("https://h.example", path, sizeof path, query, sizeof query), 0);
	assert_string_equal(path, "/");
	assert_int_equal(coupang_split_url("https://h.example:443?a=b", path, sizeof path, query, sizeof query), 0);
	assert_string_equal(path, "/");
	assert_string_equal(query, "a=b");
	/* An empty query after '?' is an empty query. */
	assert_int_equal(coupang_split_url("https://h/p?", path, sizeof path, query, sizeof query), 0);
	assert_string_equal(path, "/p");
	assert_string_equal(query, "");

	/* Not a full URL, bytes libcurl would re-encode, or no room: refused. */
	assert_int_equal(coupang_split_url("/v2/a?x=1", path, sizeof path, query, sizeof query), -1);
	assert_int_equal(coupang_split_url("https:///v2", path, sizeof path, query, sizeof query), -1);
	assert_int_equal(coupang_split_url("https://h/a b", path, sizeof path, query, sizeof query), -1);
	assert_int_equal(coupang_split_url("https://h/a?q=\xea\xb0\x80", path, sizeof path, query, sizeof query), -1);
	assert_int_equal(coupang_split_url("https://h/abcdef", path, 4, query, sizeof query), -1);
	assert_int_equal(coupang_split_url("https://h/a?abcdef", path, sizeof path, query, 4), -1);
	assert_int_equal(coupang_split_url(NULL, path, sizeof path, query, sizeof query), -1);
}

static void test_missing_keys(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(coupang_sign("GET", "/p", "", ACCESS, "", SIGNED_AT, &out, &err), OB_EUSAGE);
	assert_non_null(strstr(err.msg, "secret_key"));
	assert_int_equal(coupang_sign("GET", "/p", "", NULL, SECRET, SIGNED_AT, &out, &err), OB_EUSAGE);
	assert_null(strstr(err.msg, SECRET));
	assert_int_equal(out.len, 0);

	struct coupang_creds cr = { ACCESS, SECRET, SIGNED_AT };
	assert_int_equal(coupang_sign_header(&cr, "GET", "not a url", &out, &err), OB_EIO);
	assert_null(strstr(err.msg, "not a url"));
	buf_free(&out);
}

/* signed-date is yyMMdd: years wrap at 100 and keep two digits. */
static void test_date_format(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	/* 2009-01-02 03:04:05 UTC. */
	assert_int_equal(coupang_sign("GET", "/p", "", ACCESS, SECRET, 1230865445, &out, &err), OB_OK);
	assert_non_null(strstr(buf_cstr(&out), "signed-date=090102T030405Z, "));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_examples),
		cmocka_unit_test(test_null_query),
		cmocka_unit_test(test_sign_header_from_url),
		cmocka_unit_test(test_split_url),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_date_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
