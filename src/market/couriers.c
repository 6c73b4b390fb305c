/* The courier table (see couriers.h). Codes: Coupang coupang.md §6.4, 11st
 * 11st.md §4 (5-digit strings), SmartStore smartstore.md B10. */
#include "market/couriers.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CP(c) { "coupang", c }
#define ST(c) { "11st", c }
#define SS(c) { "smartstore", c }

static const struct courier couriers[] = {
	{ "CJ", "CJ대한통운", { "대한통운", "CJ", "씨제이", "CJ택배", "CJ 대한통운", "씨제이대한통운" },
	  { CP("CJGLS"), ST("00034"), SS("CJGLS") }, { 10, 12 }, 0, 0, false },
	{ "LOTTE", "롯데택배", { "롯데", "현대택배", "롯데(현대)택배", "롯데글로벌로지스" },
	  { CP("HYUNDAI"), ST("00012"), SS("HYUNDAI") }, { 10, 12, 13 }, 0, 0, false },
	{ "HANJIN", "한진택배", { "한진" }, { CP("HANJIN"), ST("00011"), SS("HANJIN") }, { 10, 12 }, 0, 0, false },
	{ "LOGEN", "로젠택배", { "로젠" }, { CP("KGB"), ST("00002"), SS("KGB") }, { 10, 11 }, 0, 0, false },
	{ "EPOST", "우체국택배", { "우체국", "우체국소포", "우체국택배/등기" },
	  { CP("EPOST"), ST("00007"), SS("EPOST") }, { 13 }, 0, 0, false },
	/* 11st has one code for parcel and registered post (00007 우체국택배/등기). */
	{ "REGISTPOST", "우편등기", { "등기", "등기우편" }, { CP("REGISTPOST"), ST("00007"), SS("REGISTPOST") },
	  { 13 }, 0, 0, false },
	{ "KDEXP", "경동택배", { "경동" }, { CP("KDEXP"), ST("00026"), SS("KDEXP") }, { 0 }, 8, 16, false },
	{ "DAESIN", "대신택배", { "대신" }, { CP("DAESIN"), ST("00021"), SS("DAESIN") }, { 13 }, 0, 0, false },
	{ "ILYANG", "일양로지스", { "일양택배", "일양" }, { CP("ILYANG"), ST("00022"), SS("ILYANG") },
	  { 0 }, 8, 16, false },
	{ "CHUNIL", "천일택배", { "천일특송", "천일" }, { CP("CHUNIL"), ST("00027"), SS("CHUNIL") }, { 11 }, 0, 0, false },
	{ "HDEXP", "합동택배", { "합동" }, { CP("HDEXP"), ST("00035"), SS("HDEXP") }, { 0 }, 8, 16, false },
	{ "KUNYOUNG", "건영택배", { "건영" }, { CP("KUNYOUNG"), ST("00037"), SS("KUNYOUNG") }, { 0 }, 0, 0, false },
	{ "CVS", "GS편의점택배", { "CVS택배", "CVSnet편의점택배", "GSPostbox택배", "GS25편의점택배" },
	  { CP("CVS"), ST("00060"), SS("CVSNET") }, { 10, 12 }, 0, 0, false },
	{ "CU", "CU편의점택배", { "CU", "CU택배" }, { ST("00061"), SS("CUPARCEL") }, { 0 }, 0, 0, false },
	/* 우리택배 (formerly 호남택배): 11st 00062, SmartStore HONAM. */
	{ "WOORI", "우리택배", { "우리", "호남택배", "HONAM" }, { ST("00062"), SS("HONAM") }, { 0 }, 0, 0, false },
	{ "NHLOGIS", "농협택배", { "농협" }, { CP("NHLOGIS"), ST("00067") }, { 0 }, 0, 0, false },
	{ "DIRECT", "업체직송", { "직접배송", "직송" }, { CP("DIRECT") }, { 0 }, 0, 0, true },
	{ "DHL", "DHL", { 0 }, { CP("DHL"), ST("00039"), SS("DHL") }, { 10, 13, 20 }, 0, 0, true },
	{ "UPS", "UPS", { 0 }, { CP("UPS"), ST("00053"), SS("UPS") }, { 9, 18 }, 0, 0, true },
	{ "FEDEX", "FedEx", { "페덱스" }, { CP("FEDEX"), ST("00047"), SS("FEDEX") }, { 0 }, 0, 0, true },
	{ "EMS", "우체국 EMS", { "EMS" }, { CP("EMS"), ST("00058"), SS("EMS") }, { 0 }, 0, 0, true },
	/* Codes SmartStore has and the other markets' tables do not (smartstore.md B10). */
	{ "GENERALPOST", "일반우편", { "우편" }, { SS("GENERALPOST") }, { 0 }, 0, 0, false },
	{ "SLX", "SLX택배", { "SLX" }, { SS("SLX") }, { 0 }, 0, 0, false },
	{ "KOREXG", "CJ대한통운(국제택배)", { "CJ국제택배", "대한통운국제택배" }, { SS("KOREXG") }, { 0 }, 0, 0, true },
	{ "USPS", "USPS", { 0 }, { SS("USPS") }, { 0 }, 0, 0, true },
	{ "TNT", "TNT", { 0 }, { SS("TNT") }, { 0 }, 0, 0, true },
	{ "ETC", "기타택배", { "기타" }, { ST("00099"), SS("CH1") }, { 0 }, 0, 0, true },
};

#undef CP
#undef ST
#undef SS

/* Compares ignoring ASCII case and spaces. */
static int loose_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (!*a || !*b)
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

const struct courier *courier_table(size_t *n)
{
	*n = sizeof couriers / sizeof couriers[0];
	return couriers;
}

const struct courier *courier_find(const char *text)
{
	if (!text || !*text)
		return NULL;
	for (size_t i = 0; i < sizeof couriers / sizeof couriers[0]; i++) {
		const struct courier *c = &couriers[i];
		if (loose_eq(text, c->id) || loose_eq(text, c->name_ko))
			return c;
		for (int j = 0; j < 8 && c->aliases[j]; j++)
			if (loose_eq(text, c->aliases[j]))
				return c;
		for (int j = 0; j < 4 && c->codes[j].market; j++)
			if (loose_eq(text, c->codes[j].code))
				return c;
	}
	return NULL;
}

const char *courier_code(const struct courier *c, const char *market)
{
	for (int j = 0; j < 4 && c->codes[j].market; j++)
		if (strcmp(c->codes[j].market, market) == 0)
			return c->codes[j].code;
	return NULL;
}

const struct courier *courier_by_code(const char *market, const char *code)
{
	for (size_t i = 0; i < sizeof couriers / sizeof couriers[0]; i++) {
		const char *k = courier_code(&couriers[i], market);
		if (k && strcasecmp(k, code) == 0)
			return &couriers[i];
	}
	return NULL;
}

void courier_normalize_invoice(char *invoice)
{
	char *w = invoice;
	for (char *r = invoice; *r; r++)
		if (*r != '-' && *r != ' ')
			*w++ = *r;
	*w = '\0';
}

bool courier_invoice_ok(const struct courier *c, const char *invoice, char *why, size_t n)
{
	size_t len = strlen(invoice);
	for (const char *p = invoice; *p; p++) {
		if (isdigit((unsigned char)*p))
			continue;
		if (c->alnum && isalnum((unsigned char)*p))
			continue;
		snprintf(why, n, "invoice number '%s' for %s may only contain %s", invoice, c->name_ko,
			 c->alnum ? "letters and digits" : "digits");
		return false;
	}
	if (!c->lengths[0]) {
		size_t lo = c->min_len ? c->min_len : (c->alnum ? 4u : 8u);
		size_t hi = c->max_len ? c->max_len : 22u;
		if (len < lo || len > hi) {
			snprintf(why, n, "invoice number '%s' for %s has %zu characters; expected %zu to %zu",
				 invoice, c->name_ko, len, lo, hi);
			return false;
		}
		return true;
	}
	char expect[64] = "";
	for (int i = 0; i < 6 && c->lengths[i]; i++) {
		if (len == c->lengths[i])
			return true;
		size_t el = strlen(expect);
		snprintf(expect + el, sizeof expect - el, "%s%u", i ? " or " : "", c->lengths[i]);
	}
	snprintf(why, n, "invoice number '%s' for %s has %zu digits; %s numbers have %s digits", invoice,
		 c->name_ko, len, c->name_ko, expect);
	return false;
}
