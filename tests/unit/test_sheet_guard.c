/* Excel guards: the formula guard is a bijection (every text reads back as it
 * was, and nothing written starts with a formula character), and identifiers
 * Excel damaged are refused with a message that says what Excel did and how to
 * avoid it, while lost leading zeros are repaired with a warning. */
#include "sheet_test_util.h"

#include "sheet/guard.h"

static const char *const tricky[] = {
	"", "'", "''", "'''", "=", "+", "-", "@", "\t", "\r", "=HYPERLINK(\"x\")", "+82 10",
	"-3", "@SUM(A1)", "'=already", "''=two", "'''=three", "\tleading tab", "\rcr",
	"'\tquoted tab", "'-", "'a", "''a", "a'=", "plain", "한글 =수식", "=한글", " =space first",
	"\n=newline first", "'", "😀", "'😀", "=😀", "0", "-0", "'-0",
};

static bool is_trigger(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static void check_roundtrip(const char *s)
{
	struct buf b = BUF_INIT;
	assert_int_equal(guard_encode(s, &b), 0);
	const char *enc = buf_cstr(&b);
	if (is_trigger(enc[0]))
		fail_msg("encoded \"%s\" starts with a formula character", enc);
	char *copy = strdup(enc);
	assert_non_null(copy);
	guard_decode(copy);
	if (strcmp(copy, s) != 0)
		fail_msg("\"%s\" -> \"%s\" -> \"%s\"", s, enc, copy);
	assert_string_equal(guard_decoded(enc), s);
	free(copy);
	buf_free(&b);
}

static void test_guard_bijection_tricky(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++)
		check_roundtrip(tricky[i]);
}

/* Every string up to 5 characters over an alphabet of the characters that
 * matter: exhaustive, so no combination of apostrophes and triggers escapes. */
static void test_guard_bijection_exhaustive(void **state)
{
	(void)state;
	static const char alphabet[] = "'=+-@\t\rx ";
	size_t k = strlen(alphabet);
	char s[8];
	size_t total = 0;
	for (size_t len = 0; len <= 5; len++) {
		size_t combos = 1;
		for (size_t i = 0; i < len; i++)
			combos *= k;
		for (size_t c = 0; c < combos; c++) {
			size_t v = c;
			for (size_t i = 0; i < len; i++) {
				s[i] = alphabet[v % k];
				v /= k;
			}
			s[len] = '\0';
			check_roundtrip(s);
			total++;
		}
	}
	assert_true(total > 60000);
}

/* Decoding text that was never encoded changes only texts of the form '+T..
 * which the encoder produces; anything else is left alone. */
static void test_guard_decode_leaves_other_text(void **state)
{
	(void)state;
	const char *same[] = { "'", "'abc", "''abc", "abc'", "=raw formula", "-5", "" };
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		assert_string_equal(guard_decoded(same[i]), same[i]);
	assert_true(guard_needed("=1"));
	assert_true(guard_needed("''+1"));
	assert_false(guard_needed("'a=1"));
	assert_false(guard_needed("1-2"));
}

struct id_case {
	enum field_kind kind;
	const char *cell;
	enum id_verdict verdict;
	const char *fixed;  /* expected kept value (verdict != ID_MANGLED) */
	const char *say[3]; /* substrings of the message */
};

static const struct id_case id_cases[] = {
	{ FK_ID, "642538971006401429", ID_OK, "642538971006401429", { 0 } },
	{ FK_ID, "  2000006593044 ", ID_OK, "2000006593044", { 0 } },
	{ FK_ID, "=\"642538971006401429\"", ID_OK, "642538971006401429", { 0 } },
	{ FK_ID, "=\"a\"\"b\"", ID_OK, "a\"b", { 0 } },
	{ FK_ID, "", ID_OK, "", { 0 } },
	{ FK_ID, "   ", ID_OK, "", { 0 } },
	{ FK_ID, "SKU-12E45", ID_OK, "SKU-12E45", { 0 } },
	{ FK_ID, "12E45", ID_OK, "12E45", { 0 } }, /* no exponent sign: a seller code */
	{ FK_ID, "6.42539E+17", ID_MANGLED, NULL,
	  { "scientific notation", "6.42539E+17", "Data > From Text" } },
	{ FK_ID, "6.43E+17", ID_MANGLED, NULL, { "scientific notation", "-o file.xlsx", 0 } },
	{ FK_ID, "6.43e+17", ID_MANGLED, NULL, { "scientific notation", "Text", 0 } },
	{ FK_ID, "2.02204E+15", ID_MANGLED, NULL, { "scientific notation", 0 } },
	{ FK_ID, "1E+15", ID_MANGLED, NULL, { "scientific notation", 0 } },
	{ FK_ID, "1,234,567", ID_MANGLED, NULL,
	  { "thousands separators", "1,234,567", "Data > From Text" } },
	{ FK_ID, "642,538,971,006,401,000", ID_MANGLED, NULL, { "thousands separators", 0 } },
	{ FK_ID, "2000006593044.0", ID_MANGLED, NULL, { "trailing .0", "-o file.xlsx", 0 } },
	{ FK_ID, "123.45", ID_MANGLED, NULL, { "decimal point", "Data > From Text", 0 } },
	{ FK_ID, "=\"6.42539E+17\"", ID_MANGLED, NULL, { "scientific notation", 0 } },
	{ FK_ZIP, "06103", ID_OK, "06103", { 0 } },
	{ FK_ZIP, "01000", ID_OK, "01000", { 0 } },
	{ FK_ZIP, "=\"01000\"", ID_OK, "01000", { 0 } },
	{ FK_ZIP, "6103", ID_FIXED, "06103",
	  { "leading zero", "06103", "-o file.xlsx" } },
	{ FK_ZIP, "1000", ID_FIXED, "01000", { "leading zero", 0 } },
	{ FK_ZIP, "135-080", ID_OK, "135-080", { 0 } }, /* old six-digit code, as text */
	{ FK_PHONE, "010-1234-5678", ID_OK, "010-1234-5678", { 0 } },
	{ FK_PHONE, "01012345678", ID_OK, "01012345678", { 0 } },
	{ FK_PHONE, "1012345678", ID_FIXED, "01012345678", { "leading zero", "01012345678", 0 } },
	{ FK_PHONE, "212345678", ID_FIXED, "0212345678", { "leading zero", 0 } },
	{ FK_PHONE, "5041234567", ID_FIXED, "05041234567", { "leading zero", 0 } },
	{ FK_PHONE, "15881234", ID_OK, "15881234", { 0 } }, /* company number, no 0 */
	{ FK_PHONE, "+82 10-1234-5678", ID_OK, "+82 10-1234-5678", { 0 } },
	{ FK_PHONE, "1.01235E+10", ID_MANGLED, NULL, { "scientific notation", 0 } },
};

static void test_check_id_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof id_cases / sizeof id_cases[0]; i++) {
		const struct id_case *c = &id_cases[i];
		char fixed[256], msg[512];
		enum id_verdict v = guard_check_id(c->kind, c->cell, fixed, sizeof fixed, msg, sizeof msg);
		if (v != c->verdict)
			fail_msg("\"%s\": verdict %d, expected %d (%s)", c->cell, v, c->verdict, msg);
		if (c->fixed)
			assert_string_equal(fixed, c->fixed);
		if (v == ID_OK)
			assert_string_equal(msg, "");
		for (size_t k = 0; k < 3 && c->say[k]; k++)
			assert_contains(msg, c->say[k]);
		if (v != ID_OK) {
			/* Every problem says that Excel did it and what to do instead. */
			assert_contains(msg, "Excel");
			assert_contains(msg, "XLSX");
		}
	}
}

/* The four Excel manglings each have their own message. */
static void test_check_id_messages_differ(void **state)
{
	(void)state;
	const char *cells[] = { "6.42539E+17", "1,234,567", "2000006593044.0", "123.45" };
	char msgs[4][512], fixed[64];
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(guard_check_id(FK_ID, cells[i], fixed, sizeof fixed, msgs[i], sizeof msgs[i]),
				 ID_MANGLED);
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			assert_string_not_equal(msgs[i], msgs[j]);
}

static void test_check_id_bounds(void **state)
{
	(void)state;
	char fixed[8], msg[64];
	/* Too long for the caller's buffer: refused, never overflowed. */
	assert_int_equal(guard_check_id(FK_ID, "123456789012", fixed, sizeof fixed, msg, sizeof msg),
			 ID_MANGLED);
	assert_string_equal(fixed, "");
	assert_true(strlen(msg) < sizeof msg);
	assert_int_equal(guard_check_id(FK_ID, "=\"123456789012\"", fixed, sizeof fixed, msg, sizeof msg),
			 ID_MANGLED);
	/* A tiny message buffer still gets a terminated (cut) message. */
	char tiny[10];
	char big[64];
	assert_int_equal(guard_check_id(FK_ZIP, "6103", big, sizeof big, tiny, sizeof tiny), ID_FIXED);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
	assert_string_equal(big, "06103");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard_bijection_tricky),
		cmocka_unit_test(test_guard_bijection_exhaustive),
		cmocka_unit_test(test_guard_decode_leaves_other_text),
		cmocka_unit_test(test_check_id_cases),
		cmocka_unit_test(test_check_id_messages_differ),
		cmocka_unit_test(test_check_id_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
