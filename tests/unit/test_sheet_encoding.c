/* Sheet encodings: names, detection from the first bytes (a UTF-8 character cut
 * by the end of the sniffed bytes must not count against UTF-8), and CP949 <->
 * UTF-8 conversion, whole and streamed in pieces that cut characters. */
#include "sheet_test_util.h"

#include "sheet/encoding.h"
#include "util/str.h"

/* "똠방각하 한글 ABC": 똠 is outside EUC-KR's 2,350 syllables, inside CP949. */
static const char utf8_text[] = "\xEB\x98\xA0\xEB\xB0\xA9\xEA\xB0\x81\xED\x95\x98 "
				"\xED\x95\x9C\xEA\xB8\x80 ABC";
static const char cp949_text[] = "\x8C\x63\xB9\xE6\xB0\xA2\xC7\xCF \xC7\xD1\xB1\xDB ABC";

static void test_parse_and_name(void **state)
{
	(void)state;
	assert_int_equal(encoding_parse("utf8"), ENC_UTF8);
	assert_int_equal(encoding_parse("UTF-8"), ENC_UTF8);
	assert_int_equal(encoding_parse("utf8-bom"), ENC_UTF8_BOM);
	assert_int_equal(encoding_parse("Utf-8-Bom"), ENC_UTF8_BOM);
	assert_int_equal(encoding_parse("cp949"), ENC_CP949);
	assert_int_equal(encoding_parse("EUC-KR"), ENC_CP949);
	assert_int_equal(encoding_parse("euckr"), ENC_CP949);
	assert_int_equal(encoding_parse("auto"), ENC_AUTO);
	assert_int_equal(encoding_parse("latin1"), -1);
	assert_int_equal(encoding_parse(""), -1);
	assert_int_equal(encoding_parse(NULL), -1);
	assert_string_equal(encoding_name(ENC_UTF8_BOM), "utf8-bom");
	assert_string_equal(encoding_name(ENC_UTF8), "utf8");
	assert_string_equal(encoding_name(ENC_CP949), "cp949");
	for (int e = ENC_UTF8_BOM; e <= ENC_CP949; e++)
		assert_int_equal(encoding_parse(encoding_name((enum text_encoding)e)), e);
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(encoding_detect("\xEF\xBB\xBF" "a,b", 6), ENC_UTF8_BOM);
	assert_int_equal(encoding_detect("order_no,qty\r\n", 14), ENC_UTF8);
	assert_int_equal(encoding_detect("", 0), ENC_UTF8);
	assert_int_equal(encoding_detect(utf8_text, strlen(utf8_text)), ENC_UTF8);
	assert_int_equal(encoding_detect(cp949_text, strlen(cp949_text)), ENC_CP949);
	/* 가 = EA B0 80, cut after 1 and after 2 bytes at the end of the head. */
	assert_int_equal(encoding_detect("abc\xEA", 4), ENC_UTF8);
	assert_int_equal(encoding_detect("abc\xEA\xB0", 5), ENC_UTF8);
	/* A 4-byte emoji cut after 3 bytes. */
	assert_int_equal(encoding_detect("x\xF0\x9F\x98", 4), ENC_UTF8);
	/* The same bytes followed by more text are broken UTF-8, not a cut. */
	assert_int_equal(encoding_detect("abc\xEA\xB0z", 6), ENC_CP949);
	/* CP949 한 (C7 D1): C7 looks like a UTF-8 lead byte, D1 is no continuation. */
	assert_int_equal(encoding_detect("\xC7\xD1", 2), ENC_CP949);
	/* A stray continuation byte. */
	assert_int_equal(encoding_detect("a\x80", 2), ENC_CP949);
}

static void test_convert_whole(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(encoding_cp949_to_utf8(cp949_text, strlen(cp949_text), &out, &err), 0);
	assert_string_equal(buf_cstr(&out), utf8_text);
	buf_reset(&out);
	assert_int_equal(encoding_utf8_to_cp949(utf8_text, strlen(utf8_text), &out, &err), 0);
	assert_int_equal(out.len, strlen(cp949_text));
	assert_memory_equal(out.data, cp949_text, out.len);
	buf_free(&out);
}

static void test_convert_errors_name_offset(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	/* An emoji has no CP949 form: the message names it and where it is. */
	const char *emoji = "ab\xED\x95\x9C\xF0\x9F\x98\x80";
	assert_int_equal(encoding_utf8_to_cp949(emoji, strlen(emoji), &out, &err), OB_EINVALID);
	assert_contains(err.msg, "U+1F600");
	assert_contains(err.msg, "no CP949 form");
	assert_contains(err.msg, "byte offset 5");
	assert_int_equal(out.len, 0); /* out is left as it was */

	assert_int_equal(encoding_cp949_to_utf8("ok\xFF\xFF", 4, &out, &err), OB_EINVALID);
	assert_contains(err.msg, "0xFF");
	assert_contains(err.msg, "byte offset 2");
	/* Input that ends in the middle of a character. */
	assert_int_equal(encoding_cp949_to_utf8("ok\xC7", 3, &out, &err), OB_EINVALID);
	assert_contains(err.msg, "ends inside a character");
	assert_contains(err.msg, "byte offset 2");
	buf_free(&out);
}

/* Pieces of every size cut characters anywhere; carrying the rest must give
 * the same text as converting at once. */
static void test_convert_streamed(void **state)
{
	(void)state;
	size_t n = strlen(cp949_text);
	for (size_t piece = 1; piece <= 4; piece++) {
		struct encoding_conv *c;
		struct ob_err err = OB_ERR_INIT;
		struct buf out = BUF_INIT;
		char pending[16];
		size_t npending = 0;
		assert_int_equal(encoding_conv_open(ENC_CP949, ENC_UTF8, &c, &err), 0);
		for (size_t at = 0; at < n; at += piece) {
			size_t take = at + piece > n ? n - at : piece;
			memcpy(pending + npending, cp949_text + at, take);
			npending += take;
			size_t used;
			bool final = at + take == n;
			assert_int_equal(encoding_conv_run(c, pending, npending, final, &used, &out, &err), 0);
			memmove(pending, pending + used, npending - used);
			npending -= used;
			assert_true(npending < 2);
		}
		assert_int_equal(npending, 0);
		assert_string_equal(buf_cstr(&out), utf8_text);
		encoding_conv_close(c);
		buf_free(&out);
	}
}

static void test_conv_open_refuses_nonsense(void **state)
{
	(void)state;
	struct encoding_conv *c;
	struct ob_err err = OB_ERR_INIT;
	assert_int_not_equal(encoding_conv_open(ENC_UTF8, ENC_UTF8_BOM, &c, &err), 0);
	assert_null(c);
	assert_int_equal(encoding_conv_open(ENC_UTF8_BOM, ENC_CP949, &c, &err), 0);
	encoding_conv_close(c);
}

/* str_valid_utf8 (RFC 3629), which the CSV reader trusts for whole pieces. */
static void test_valid_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
		bool ok;
	} cases[] = {
		{ "", 0, true },
		{ "plain ASCII that runs on for more than eight bytes", 51, true },
		{ "\xC2\x80\xDF\xBF", 4, true },             /* U+0080, U+07FF */
		{ "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80", 9, true }, /* U+0800, U+D7FF, U+E000 */
		{ "\xEA\xB0\x80\xED\x9E\xA3", 6, true },     /* 가 힣 */
		{ "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 8, true }, /* U+10000, U+10FFFF */
		{ "a\0b", 3, true },                         /* NUL is UTF-8 (the reader refuses it apart) */
		{ "\xC0\x80", 2, false },                    /* overlong NUL */
		{ "\xC1\xBF", 2, false },
		{ "\xE0\x9F\xBF", 3, false },                /* overlong three bytes */
		{ "\xED\xA0\x80", 3, false },                /* a surrogate */
		{ "\xF0\x8F\xBF\xBF", 4, false },            /* overlong four bytes */
		{ "\xF4\x90\x80\x80", 4, false },            /* above U+10FFFF */
		{ "\xF5\x80\x80\x80", 4, false },
		{ "\x80", 1, false },                        /* a lone continuation */
		{ "\xEA\xB0", 2, false },                    /* cut */
		{ "\xEA" "a\x80", 3, false },
		{ "12345678\xFF", 9, false },                /* after an ASCII run */
		{ "1234567890123456\xEA\xB0", 18, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (str_valid_utf8(cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("case %zu", i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_name),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_convert_whole),
		cmocka_unit_test(test_convert_errors_name_offset),
		cmocka_unit_test(test_convert_streamed),
		cmocka_unit_test(test_conv_open_refuses_nonsense),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
