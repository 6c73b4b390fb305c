/* Coupang's HMAC "CEA" request signature (../shared/api/coupang.md §1): the
 * Authorization header value for one request, computed over signed-date +
 * METHOD + path + query, where path and query are exactly the bytes sent. */
#ifndef OB_MARKET_COUPANG_SIGN_H
#define OB_MARKET_COUPANG_SIGN_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/kst.h"

/* "yyMMddTHHmmssZ" plus NUL. */
#define COUPANG_SIGNED_DATE_LEN 15

/* Appends "CEA algorithm=HmacSHA256, access-key=..., signed-date=...,
 * signature=..." to authorization_value. now is the signing time (UTC is
 * derived from it; tests pass a fixed time). query is the raw query without
 * '?' ("" or NULL when there is none). Returns OB_OK, or OB_EUSAGE when a key
 * is missing and OB_EIO when out of memory; err never contains a key. */
int coupang_sign(const char *method, const char *path, const char *query, const char *access_key,
		 const char *secret_key, ob_time now, struct buf *authorization_value,
		 struct ob_err *err);

/* Splits a full URL into its path and its raw query (after '?', without it),
 * byte for byte, so the signature covers what libcurl sends. A URL without a
 * path gives "/". Returns 0, or -1 when url has no scheme://host or a part
 * does not fit. */
int coupang_split_url(const char *url, char *path, size_t path_n, char *query, size_t query_n);

/* Credentials for coupang_sign_header. now_fixed = 0 signs with the clock. */
struct coupang_creds {
	const char *access_key;
	const char *secret_key;
	ob_time now_fixed;
};

/* An http_sign_fn (net/http.h): ctx is a struct coupang_creds; appends the
 * line "Authorization: CEA ...\n" for this attempt to auth. */
int coupang_sign_header(void *ctx, const char *method, const char *url, struct buf *auth,
			struct ob_err *err);

#endif
