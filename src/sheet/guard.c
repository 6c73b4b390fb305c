/* Excel guards (see guard.h): the apostrophe formula guard on text cells, and
 * the check that refuses identifiers Excel has already damaged (scientific
 * notation, thousands separators, ".0") or repairs lost leading zeros. */
#include "sheet/guard.h"

#include <stdio.h>
#include <string.h>

#include "util/str.h"

/* Characters that make Excel, LibreOffice or Google Sheets evaluate a cell. */
static bool is_trigger(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Guarded are texts of the form '* T... (any apostrophes, then a trigger).
 * Encoding adds one apostrophe to exactly these, decoding removes one from
 * '+ T..., so every text maps to a distinct output and back. */
bool guard_needed(const char *s)
{
	while (*s == '\'')
		s++;
	return is_trigger(*s);
}

int guard_encode(const char *s, struct buf *out)
{
	if (guard_needed(s) && buf_putc(out, '\'') < 0)
		return -1;
	return buf_puts(out, s);
}

const char *guard_decoded(const char *s)
{
	if (s[0] == '\'' && guard_needed(s + 1))
		return s + 1;
	return s;
}

void guard_decode(char *s)
{
	if (guard_decoded(s) != s)
		memmove(s, s + 1, strlen(s));
}

/* A tiny cursor for the number shapes Excel produces. */
static size_t skip_digits(const char *s, size_t i, size_t *count)
{
	size_t start = i;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	*count = i - start;
	return i;
}

/* 6.42539E+17, 6.43e+17, 1E+15, -1.2E-05: Excel's General format for numbers it
 * cannot show in 11 characters. The exponent sign is always there, which keeps
 * seller codes such as "12E45" out of it. */
static bool is_scientific(const char *s)
{
	size_t i = 0, n;
	if (s[i] == '+' || s[i] == '-')
		i++;
	i = skip_digits(s, i, &n);
	if (!n)
		return false;
	if (s[i] == '.')
		i = skip_digits(s, i + 1, &n);
	if (s[i] != 'E' && s[i] != 'e')
		return false;
	i++;
	if (s[i] != '+' && s[i] != '-')
		return false;
	i = skip_digits(s, i + 1, &n);
	return n && s[i] == '\0';
}

/* 1,234,567 (optionally with decimals): Excel's "#,##0" number format. */
static bool has_thousands_separators(const char *s)
{
	size_t i = 0, n, groups = 0;
	if (s[i] == '-')
		i++;
	i = skip_digits(s, i, &n);
	if (n < 1 || n > 3)
		return false;
	while (s[i] == ',') {
		i = skip_digits(s, i + 1, &n);
		if (n != 3)
			return false;
		groups++;
	}
	if (s[i] == '.')
		i = skip_digits(s, i + 1, &n);
	return groups && s[i] == '\0';
}

/* 123.0 / 123.45: digits with a decimal point. *zeros says whether all
 * decimals are 0 (Excel's ".0" after a round trip through a number). */
static bool is_decimal(const char *s, bool *zeros)
{
	size_t i, n, m;
	i = skip_digits(s, 0, &n);
	if (!n || s[i] != '.')
		return false;
	size_t frac = i + 1;
	i = skip_digits(s, frac, &m);
	if (!m || s[i] != '\0')
		return false;
	*zeros = strspn(s + frac, "0") == m;
	return true;
}

/* A digits-only phone number that lost its leading 0 in Excel: Korean numbers
 * start with 0 except the 8-digit 15xx/16xx/18xx company numbers. */
static bool phone_lost_zero(const char *t)
{
	size_t n = strlen(t);
	if (!str_is_digits(t) || t[0] == '0')
		return false;
	if (t[0] == '1' && t[1] == '0')
		return n == 10; /* 010-XXXX-XXXX */
	if (t[0] == '1' && t[1] && strchr("16789", t[1]))
		return n == 9 || n == 10; /* 011, 016-019 */
	if (t[0] == '2')
		return n == 8 || n == 9; /* 02 Seoul */
	if (t[0] >= '3' && t[0] <= '6' && t[1] >= '1' && t[1] <= '5')
		return n == 9 || n == 10; /* 031-064 */
	if (t[0] == '5' && t[1] == '0')
		return n == 10 || n == 11; /* 050x safe numbers (안심번호) */
	if (t[0] == '7' && t[1] == '0')
		return n == 10; /* 070 internet phones */
	return false;
}

#define AVOID                                                                                    \
	"export again and open the CSV with Excel's Data > From Text/CSV, setting this column to " \
	"Text, or export as XLSX (-o file.xlsx)"
#define KEEP_ZERO                                                                              \
	"to keep it, open the CSV with Excel's Data > From Text/CSV, setting this column to Text, " \
	"or export as XLSX (-o file.xlsx)"

enum id_verdict guard_check_id(enum field_kind kind, const char *cell, char *fixed, size_t fixed_n,
			       char *msg, size_t msg_n)
{
	if (msg_n)
		msg[0] = '\0';
	if (fixed_n)
		fixed[0] = '\0';
	if (fixed_n < 2) {
		snprintf(msg, msg_n, "internal error: no room for the identifier");
		return ID_MANGLED;
	}
	/* Identifiers never have meaningful surrounding spaces. */
	const char *b = cell, *e = cell + strlen(cell);
	while (b < e && *b == ' ')
		b++;
	while (e > b && e[-1] == ' ')
		e--;
	size_t len = (size_t)(e - b), o = 0;
	bool too_long = false;
	if (len >= 3 && b[0] == '=' && b[1] == '"' && e[-1] == '"') {
		/* ="123": Excel-safe CSV form; "" inside stands for one quote. */
		for (const char *p = b + 2; p < e - 1; p++) {
			if (o + 1 >= fixed_n) {
				too_long = true;
				break;
			}
			fixed[o++] = *p;
			if (p[0] == '"' && p + 1 < e - 1 && p[1] == '"')
				p++;
		}
	} else if (len < fixed_n) {
		memcpy(fixed, b, len);
		o = len;
	} else {
		too_long = true;
	}
	fixed[too_long ? 0 : o] = '\0';
	if (too_long) {
		snprintf(msg, msg_n,
			 "the cell holds %zu characters, too long for an identifier; check that this "
			 "column has the right header",
			 len);
		return ID_MANGLED;
	}

	bool zeros;
	if (is_scientific(fixed)) {
		snprintf(msg, msg_n,
			 "Excel changed the number into scientific notation (%.40s) and lost its last "
			 "digits, which cannot be recovered; " AVOID,
			 fixed);
		return ID_MANGLED;
	}
	if (has_thousands_separators(fixed)) {
		snprintf(msg, msg_n,
			 "Excel formatted the number with thousands separators (%.40s) and may have "
			 "rounded it; " AVOID,
			 fixed);
		return ID_MANGLED;
	}
	if (is_decimal(fixed, &zeros)) {
		if (zeros)
			snprintf(msg, msg_n,
				 "Excel turned the identifier into a decimal number (%.40s, with a "
				 "trailing .0) and may have rounded it; " AVOID,
				 fixed);
		else
			snprintf(msg, msg_n,
				 "%.40s has a decimal point, which no identifier has: Excel changed it "
				 "into a number; " AVOID,
				 fixed);
		return ID_MANGLED;
	}
	if (kind == FK_ZIP && strlen(fixed) == 4 && str_is_digits(fixed)) {
		char was[8];
		str_copy(was, sizeof was, fixed);
		if (fixed_n < 6) {
			snprintf(msg, msg_n, "internal error: no room for the zip code");
			return ID_MANGLED;
		}
		snprintf(fixed, fixed_n, "0%s", was);
		snprintf(msg, msg_n,
			 "zip code %s had lost its leading zero (Excel drops it) and was read as %s; "
			 KEEP_ZERO,
			 was, fixed);
		return ID_FIXED;
	}
	if (kind == FK_PHONE && phone_lost_zero(fixed)) {
		char was[16];
		str_copy(was, sizeof was, fixed);
		if (strlen(fixed) + 2 > fixed_n) {
			snprintf(msg, msg_n, "internal error: no room for the phone number");
			return ID_MANGLED;
		}
		snprintf(fixed, fixed_n, "0%s", was);
		snprintf(msg, msg_n,
			 "phone number %s had lost its leading zero (Excel drops it) and was read as "
			 "%s; " KEEP_ZERO,
			 was, fixed);
		return ID_FIXED;
	}
	return ID_OK;
}
