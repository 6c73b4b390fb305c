/* The 11st part of the sandbox: the fixed sandbox key and the market ops.
 * The state machine and wire format are in elevenst.c, the data set in
 * elevenst_data.c; elevenst_state.h is what the two share. */
#ifndef OB_SANDBOX_ELEVENST_H
#define OB_SANDBOX_ELEVENST_H

#include "sandbox/sandbox.h"

/* 32 hex digits, the shape of a real OpenAPI key (not a real one). */
#define SANDBOX_ELEVENST_KEY "5a1d0b8e7c3f4e2a9b6d1c0e8f7a2b3c"

extern const struct sandbox_market_ops sandbox_elevenst_ops;

#endif
