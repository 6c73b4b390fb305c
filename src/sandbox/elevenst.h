/* The 11st part of the sandbox: the fixed sandbox key and the market ops.
 * The state machine and wire format are in elevenst.c, the data set in
 * elevenst_data.c; elevenst_state.h is what the two share.
 *
 * Served under BASE/rest/ (the config's base_url ends in /rest, as the real
 * one). Test endpoints (any method), under /_sandbox/11st/:
 *   burst?day=YYYY-MM-DD&count=N          N more paid orders on that day
 *   cancel-request?ordNo=&ordPrdSeq=[&qty=] the buyer asks to cancel a 301 line
 *   withdraw?ordPrdCnSeq=                 the buyer takes the request back
 *   address-change?ordNo=                 new address, shown from acknowledgement
 *   maintenance?on=1|0                    every call answers -1000
 *   return-request?ordNo=&ordPrdSeq=[&qty=][&rsn=101|110|111|116|121][&pickup=1]
 *                                         the buyer asks to return a 501/901 line
 *                                         (105); pickup=1 adds an 11st pickup invoice
 *   exchange-request?ordNo=&ordPrdSeq=[&qty=][&rsn=206|207|208|211]
 *                                         the buyer asks to exchange it (201)
 *   claim-withdraw?clmReqSeq=             the buyer takes a return/exchange back
 *   return-complete?clmReqSeq=            11st's auto-complete of a 105/104 return
 *   return-burst?day=YYYY-MM-DD&count=N   N more return requests on that day
 *   returninvc-path?doubled=1|0           serve the return invoice under the
 *                                         documented doubled path (default) or
 *                                         claimservice/returninvc only
 * Its part of GET /_sandbox/state: "lines" (ordNo, ordPrdSeq, dlvNo, prdNo,
 * prdStckNo as strings, status = ordPrdStat, qty, cancelQty, receiver,
 * pendingAddress, paidAt, shippedAt, courier, invoice, delayUntil, ...),
 * "claims" (ordPrdCnSeq, ordNo, ordPrdSeq, status 01/02/05 or 03 = rejected,
 * by, qty, createdAt, doneAt), "counts" per status, "maintenance", "retex"
 * (returns and exchanges: clmReqSeq, type RETURN/EXCHANGE, ordNo, ordPrdSeq,
 * status = clmStat, qty, reasonCode, reason, feeMethod, fee, twMthd,
 * pickupCourier, pickupInvoice, pickupMethod, resendCourier, resendInvoice,
 * sellerCode, sellerReason, requestedAt, doneAt, heldAt, exchAddress) and
 * "returninvcPath". */
#ifndef OB_SANDBOX_ELEVENST_H
#define OB_SANDBOX_ELEVENST_H

#include "sandbox/sandbox.h"

/* 32 hex digits, the shape of a real OpenAPI key (not a real one). */
#define SANDBOX_ELEVENST_KEY "5a1d0b8e7c3f4e2a9b6d1c0e8f7a2b3c"

extern const struct sandbox_market_ops sandbox_elevenst_ops;

#endif
