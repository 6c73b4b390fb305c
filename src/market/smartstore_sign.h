/* Naver Commerce API token signature (smartstore.md B2):
 * client_secret_sign = base64(bcrypt(client_id + "_" + timestamp_ms,
 * salt = client_secret)). The client secret is itself a bcrypt setting string
 * ("$2a$04$..."), so it goes to crypt_r as the setting unchanged. */
#ifndef OB_MARKET_SMARTSTORE_SIGN_H
#define OB_MARKET_SMARTSTORE_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* base64 of a 60-byte bcrypt string is 80 characters. */
#define SMARTSTORE_SIGN_LEN 128

/* Writes the sign for client_id and timestamp_ms (Unix milliseconds) into out
 * (SMARTSTORE_SIGN_LEN bytes). The error never quotes the secret. */
int smartstore_sign(const char *client_id, const char *client_secret, int64_t timestamp_ms,
		    char out[SMARTSTORE_SIGN_LEN], struct ob_err *err);

#endif
