/* Korean Standard Time. Korea has no daylight saving time: KST is UTC+9 all
 * year, so every conversion here uses a fixed offset and never TZ or the
 * machine's zone. Times are int64 Unix seconds (ob_time). */
#ifndef OB_UTIL_KST_H
#define OB_UTIL_KST_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t ob_time;

#define KST_OFFSET (9 * 3600)
#define OB_DAY 86400

/* "YYYY-MM-DD HH:MM:SS" plus NUL. */
#define KST_TEXT_LEN 20

ob_time kst_now(void);
/* Parses a KST calendar day "YYYY-MM-DD"; *out is 00:00:00 KST of that day. */
int kst_parse_date(const char *s, ob_time *out);
/* Parses the time formats the markets send:
 *   "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS" (KST implied),
 *   either with ".fraction" and/or an offset "+09:00", "-08:00", "Z",
 *   "YYYY-MM-DD" (00:00 KST), "YYYYMMDDhhmm", "YYYYMMDD".
 * Returns 0, or -1 when s is not such a time. */
int kst_parse(const char *s, ob_time *out);
/* Writes t as KST text "YYYY-MM-DD HH:MM:SS" into out (KST_TEXT_LEN bytes). */
void kst_format(ob_time t, char *out);
/* strftime-style formatting of t in KST (%Y %m %d %H %M %S and literals). */
size_t kst_strftime(char *out, size_t n, const char *fmt, ob_time t);
/* 00:00:00 KST of the day containing t. */
ob_time kst_day_start(ob_time t);
/* Normalizes any accepted time text to KST "YYYY-MM-DD HH:MM:SS"; returns -1
 * (and leaves out empty) when s is empty or not a time. */
int kst_normalize(const char *s, char *out);

#endif
