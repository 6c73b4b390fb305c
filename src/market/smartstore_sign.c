/* Naver Commerce API token signature (see smartstore_sign.h). libxcrypt does
 * the bcrypt; its work area (struct crypt_data, 32 KB) is allocated per call
 * instead of living on a worker thread's stack. */
#include "market/smartstore_sign.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crypt.h>
#include <openssl/evp.h>


int smartstore_sign(const char *client_id, const char *client_secret, int64_t timestamp_ms,
		    char out[SMARTSTORE_SIGN_LEN], struct ob_err *err)
{
	out[0] = '\0';
	if (!client_secret || strncmp(client_secret, "$2", 2) != 0)
		return ob_errf(err, OB_EUSAGE,
			       "client_secret is not a bcrypt salt (it starts with $2a$ in 커머스API센터); copy the "
			       "application secret again");
	char password[256];
	int n = snprintf(password, sizeof password, "%s_%" PRId64, client_id ? client_id : "", timestamp_ms);
	if (n < 0 || (size_t)n >= sizeof password)
		return ob_errf(err, OB_EUSAGE, "client_id is too long (%zu characters)", strlen(client_id));
	/* Zeroed, as crypt(3) asks before the first use of a work area; on the
	 * heap, because it is 32 KB and workers run on small thread stacks. */
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return ob_err_nomem(err);
	const char *hashed = crypt_r(password, client_secret, cd);
	int rc = OB_OK;
	/* libxcrypt fails with NULL or a "*0"/"*1" failure token, never a hash. */
	if (!hashed || hashed[0] != '$') {
		rc = ob_errf(err, OB_EUSAGE,
			     "client_secret is not a valid bcrypt salt (bcrypt refused it); copy the application "
			     "secret from 커머스API센터 again");
	} else {
		size_t len = strlen(hashed);
		/* 4 output bytes per 3 input bytes, plus NUL. */
		if ((len + 2) / 3 * 4 + 1 > SMARTSTORE_SIGN_LEN)
			rc = ob_errf(err, OB_EIO, "bcrypt output is %zu bytes, longer than expected", len);
		else
			EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)hashed, (int)len);
	}
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	explicit_bzero(password, sizeof password);
	return rc;
}
