/* Coupang HMAC "CEA" signing (see coupang_sign.h). The signature covers the
 * query byte for byte, so callers build the URL once and sign that very text;
 * coupang_split_url takes path and query back out of it unchanged. */
#include "market/coupang_sign.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/str.h"

int coupang_sign(const char *method, const char *path, const char *query, const char *access_key,
		 const char *secret_key, ob_time now, struct buf *authorization_value,
		 struct ob_err *err)
{
	if (str_empty(access_key) || str_empty(secret_key))
		return ob_errf(err, OB_EUSAGE,
			       "coupang: access_key and secret_key must be set in the config file");
	if (str_empty(method) || str_empty(path))
		return ob_errf(err, OB_EIO, "coupang: cannot sign a request without method and path");
	if (!query)
		query = "";

	/* signed-date is UTC, whatever TZ says: gmtime_r, never localtime. */
	time_t t = (time_t)now;
	struct tm tm;
	char date[COUPANG_SIGNED_DATE_LEN];
	if (!gmtime_r(&t, &tm) || tm.tm_year < 0 || tm.tm_year > 8099 ||
	    snprintf(date, sizeof date, "%02d%02d%02dT%02d%02d%02dZ", (tm.tm_year + 1900) % 100,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec) != COUPANG_SIGNED_DATE_LEN - 1)
		return ob_errf(err, OB_EIO, "coupang: cannot format the signing time");

	struct buf msg = BUF_INIT;
	if (buf_puts(&msg, date) < 0 || buf_puts(&msg, method) < 0 || buf_puts(&msg, path) < 0 ||
	    buf_puts(&msg, query) < 0) {
		buf_free(&msg);
		return ob_err_nomem(err);
	}
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	const unsigned char *ok = HMAC(EVP_sha256(), secret_key, (int)strlen(secret_key),
				       (const unsigned char *)msg.data, msg.len, mac, &mac_len);
	buf_free(&msg);
	if (!ok)
		return ob_errf(err, OB_EIO, "coupang: HMAC-SHA256 failed (OpenSSL)");

	static const char hex[] = "0123456789abcdef";
	char sig[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned int i = 0; i < mac_len; i++) {
		sig[2 * i] = hex[mac[i] >> 4];
		sig[2 * i + 1] = hex[mac[i] & 15];
	}
	sig[2 * mac_len] = '\0';
	if (buf_printf(authorization_value,
		       "CEA algorithm=HmacSHA256, access-key=%s, signed-date=%s, signature=%s",
		       access_key, date, sig) < 0)
		return ob_err_nomem(err);
	return OB_OK;
}

/* libcurl sends these bytes differently from how they stand in the URL (it
 * encodes spaces, drops fragments), so a URL holding them cannot be signed. */
static int sendable(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}

static int put_part(char *dst, size_t n, const char *src, size_t len)
{
	if (!dst || len >= n || !sendable(src, len))
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int coupang_split_url(const char *url, char *path, size_t path_n, char *query, size_t query_n)
{
	if (path && path_n)
		path[0] = '\0';
	if (query && query_n)
		query[0] = '\0';
	if (!url)
		return -1;
	const char *host = strstr(url, "://");
	if (!host || host == url || host[3] == '\0')
		return -1;
	host += 3;
	const char *p = host + strcspn(host, "/?#");
	if (p == host)
		return -1;
	size_t plen = strcspn(p, "?#");
	if (plen == 0) {
		if (put_part(path, path_n, "/", 1) < 0)
			return -1;
	} else if (put_part(path, path_n, p, plen) < 0) {
		return -1;
	}
	p += plen;
	if (*p != '?')
		return 0;
	p++;
	return put_part(query, query_n, p, strcspn(p, "#"));
}

int coupang_sign_header(void *ctx, const char *method, const char *url, struct buf *auth,
			struct ob_err *err)
{
	const struct coupang_creds *cr = ctx;
	char path[2048], query[8192];
	if (!cr)
		return ob_errf(err, OB_EIO, "coupang: no credentials for signing");
	if (coupang_split_url(url, path, sizeof path, query, sizeof query) < 0)
		return ob_errf(err, OB_EIO,
			       "coupang: cannot sign the request URL (too long, or it holds spaces "
			       "or non-ASCII bytes that must be percent-encoded first)");
	ob_time now = cr->now_fixed ? cr->now_fixed : (ob_time)time(NULL);
	if (buf_puts(auth, "Authorization: ") < 0)
		return ob_err_nomem(err);
	int rc = coupang_sign(method, path, query, cr->access_key, cr->secret_key, now, auth, err);
	if (rc)
		return rc;
	if (buf_putc(auth, '\n') < 0)
		return ob_err_nomem(err);
	return OB_OK;
}
