/* KST time (see kst.h): fixed +09:00 offset, civil-date arithmetic of our own
 * so that neither TZ nor the machine's zone can change a result. */
#include "util/kst.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t yy = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int days_in_month(int y, unsigned m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

ob_time kst_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (ob_time)ts.tv_sec;
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int make_time(int y, int mo, int d, int h, int mi, int s, int offset, ob_time *out)
{
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return -1;
	int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	*out = days * OB_DAY + h * 3600 + mi * 60 + s - offset;
	return 0;
}

int kst_parse_date(const char *s, ob_time *out)
{
	int y, mo, d;
	const char *p = s;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) || *p)
		return -1;
	return make_time(y, mo, d, 0, 0, 0, KST_OFFSET, out);
}

int kst_parse(const char *s, ob_time *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, offset = KST_OFFSET;
	const char *p = s;
	while (*p == ' ')
		p++;
	size_t n = strlen(p);
	while (n && p[n - 1] == ' ')
		n--;
	/* Compact forms: YYYYMMDDhhmm, YYYYMMDD, YYYYMMDDhhmmss. */
	if (n == 8 || n == 12 || n == 14) {
		size_t i;
		for (i = 0; i < n && isdigit((unsigned char)p[i]); i++)
			;
		if (i == n) {
			if (digits(&p, 4, &y) || digits(&p, 2, &mo) || digits(&p, 2, &d))
				return -1;
			if (n >= 12 && (digits(&p, 2, &h) || digits(&p, 2, &mi)))
				return -1;
			if (n == 14 && digits(&p, 2, &sec))
				return -1;
			return make_time(y, mo, d, h, mi, sec, KST_OFFSET, out);
		}
	}
	const char *end = p + n;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (p < end && (*p == 'T' || *p == ' ')) {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (p < end && *p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (p < end && *p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (p < end && isdigit((unsigned char)*p))
					p++;
			}
		}
		if (p < end && (*p == 'Z' || *p == 'z')) {
			offset = 0;
			p++;
		} else if (p < end && (*p == '+' || *p == '-')) {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if (digits(&p, 2, &oh))
				return -1;
			if (p < end && *p == ':')
				p++;
			if (p < end && digits(&p, 2, &om))
				return -1;
			if (oh > 14 || om > 59)
				return -1;
			offset = sign * (oh * 3600 + om * 60);
		}
	}
	if (p != end)
		return -1;
	return make_time(y, mo, d, h, mi, sec, offset, out);
}

static void kst_fields(ob_time t, int *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s)
{
	int64_t local = t + KST_OFFSET;
	int64_t days = local / OB_DAY;
	int64_t rem = local % OB_DAY;
	if (rem < 0) {
		rem += OB_DAY;
		days--;
	}
	civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem % 3600 / 60);
	*s = (int)(rem % 60);
}

void kst_format(ob_time t, char *out)
{
	int y, h, mi, s;
	unsigned mo, d;
	kst_fields(t, &y, &mo, &d, &h, &mi, &s);
	/* "YYYY-MM-DD HH:MM:SS" digit by digit (an export formats several
	 * times a line; snprintf was most of it) */
	unsigned v[6] = { (unsigned)(y < 0 ? 0 : y % 10000), mo % 100, d % 100, (unsigned)(h % 100),
			  (unsigned)(mi % 100), (unsigned)(s % 100) };
	out[0] = (char)('0' + v[0] / 1000);
	out[1] = (char)('0' + v[0] / 100 % 10);
	out[2] = (char)('0' + v[0] / 10 % 10);
	out[3] = (char)('0' + v[0] % 10);
	static const char sep[5] = { '-', '-', ' ', ':', ':' };
	for (int i = 1; i < 6; i++) {
		char *o = out + 4 + (i - 1) * 3;
		o[0] = sep[i - 1];
		o[1] = (char)('0' + v[i] / 10);
		o[2] = (char)('0' + v[i] % 10);
	}
	out[KST_TEXT_LEN - 1] = '\0';
}

size_t kst_strftime(char *out, size_t n, const char *fmt, ob_time t)
{
	int y, h, mi, s;
	unsigned mo, d;
	kst_fields(t, &y, &mo, &d, &h, &mi, &s);
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	int64_t days = days_from_civil(y, mo, d);
	tm.tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return strftime(out, n, fmt, &tm);
#pragma GCC diagnostic pop
}

ob_time kst_day_start(ob_time t)
{
	int64_t local = t + KST_OFFSET;
	int64_t rem = local % OB_DAY;
	if (rem < 0)
		rem += OB_DAY;
	return t - rem;
}

int kst_normalize(const char *s, char *out)
{
	ob_time t;
	out[0] = '\0';
	if (!s || !*s || kst_parse(s, &t) < 0)
		return -1;
	kst_format(t, out);
	return 0;
}
