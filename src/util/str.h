/* Small string helpers. Allocating functions return NULL when memory runs out. */
#ifndef OB_UTIL_STR_H
#define OB_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

char *ob_strdup(const char *s);
char *ob_strndup(const char *s, size_t n);
bool str_eq(const char *a, const char *b);          /* NULL-safe */
bool str_eq_ci(const char *a, const char *b);       /* ASCII case-insensitive */
bool str_empty(const char *s);                      /* NULL or "" */
bool str_starts(const char *s, const char *prefix);
/* Copies src into dst of size n, always NUL-terminated; returns strlen(src). */
size_t str_copy(char *dst, size_t n, const char *src);
/* Trims ASCII whitespace at both ends, in place; returns s. */
char *str_trim(char *s);
/* True when s is 1+ ASCII digits and nothing else. */
bool str_is_digits(const char *s);
/* Parses a decimal integer (optional sign, no other characters). */
int str_to_i64(const char *s, int64_t *out);
/* Writes v in decimal ("%lld" without printf, which was the cost of every id
 * and number of a page) into out, NUL-terminated; returns its length. */
#define STR_I64_MAX 21 /* "-9223372036854775808" and its NUL */
size_t str_from_i64(int64_t v, char out[STR_I64_MAX]);
/* Splits "a,b,c" on sep; calls fn for each trimmed non-empty part; stops at the
 * first non-zero return and returns it. part is a copy that lives only during
 * the call (at most 255 bytes): fn copies what it keeps. */
int str_split(const char *s, char sep, int (*fn)(void *ctx, const char *part), void *ctx);
/* True when s is valid UTF-8. */
bool str_valid_utf8(const char *s, size_t n);

#endif
