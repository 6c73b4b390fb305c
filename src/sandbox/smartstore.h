/* The SmartStore (Naver Commerce API) part of the sandbox: the fixed sandbox
 * credentials. The client id and secret have the shapes of the examples in
 * smartstore.md B2 (the secret is a bcrypt salt, cost 4 to keep tests fast). */
#ifndef OB_SANDBOX_SMARTSTORE_H
#define OB_SANDBOX_SMARTSTORE_H

#include "sandbox/sandbox.h"

#define SANDBOX_SMARTSTORE_CLIENT_ID "7dMvteboKNHwyRremLXXXX"
#define SANDBOX_SMARTSTORE_CLIENT_SECRET "$2a$04$XRkBhFNBXdNClAqPoDs.Iu"
/* The signed timestamp is valid for 5 minutes (B2). */
#define SANDBOX_SMARTSTORE_SKEW_MS 300000

extern const struct sandbox_market_ops sandbox_smartstore_ops;

#endif
