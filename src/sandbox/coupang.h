/* The Coupang part of the sandbox (coupang.c): the fixed sandbox credentials
 * and the pieces unit tests call without a socket. The keys are the sample keys
 * of Coupang's official HMAC example (coupang.md §1), so the documented worked
 * signatures verify against the sandbox too. */
#ifndef OB_SANDBOX_COUPANG_H
#define OB_SANDBOX_COUPANG_H

#include <stddef.h>

#include "sandbox/sandbox.h"

#define SANDBOX_COUPANG_VENDOR "A00012345"
#define SANDBOX_COUPANG_ACCESS_KEY "0a3a0f34-7852-4ad8-9368-766290b8b1ab"
#define SANDBOX_COUPANG_SECRET_KEY "7ffcdf980d908fe7ca3d642868e22f99f0306bf5"
/* Signed-date tolerance around the server clock. */
#define SANDBOX_COUPANG_SKEW 300

extern const struct sandbox_market_ops sandbox_coupang_ops;

/* HMAC-SHA256(secret, message) as 64 lower-case hex digits plus NUL.
 * Returns -1 when OpenSSL fails. */
int sandbox_coupang_signature(const char *secret, const char *message, size_t len, char out[65]);

/* Checks the request's CEA Authorization header against the raw method, path
 * and query and the sandbox clock (req->auth_now). NULL when it verifies, else
 * the message of the 401 answer. */
const char *sandbox_coupang_check_auth(const struct sandbox_request *req);

#endif
