/* Internals shared by the SmartStore adapter's files: smartstore.c (token,
 * calls, the change feed), smartstore_map.c (detail JSON -> unified records),
 * smartstore_act.c (actions). API: ../shared/api/smartstore.md Part B. */
#ifndef OB_MARKET_SMARTSTORE_INT_H
#define OB_MARKET_SMARTSTORE_INT_H

#include <pthread.h>

#include <cjson/cJSON.h>

#include "market/market.h"
#include "util/buf.h"

#define SS_ORDERS "/v1/pay-order/seller/product-orders"
/* Ids per detail query (B7) and per confirm / dispatch call (B9, B10). */
#define SS_QUERY_MAX 300
#define SS_ACT_MAX 30

struct smartstore {
	struct market_base base;
	const char *client_id;
	const char *client_secret;
	long timeout_ms;
	/* The token is shared by every thread of the account. */
	pthread_mutex_t token_mu;
	char token[1024];
	ob_time token_renew_at;   /* get a new one from this time on */
	unsigned long token_gen;  /* bumped per token obtained */
};

/* One call with the bearer token. path starts with "/v1/..."; query is the
 * exact query string (no '?') or NULL; body may be NULL (a POST then sends
 * "{}"). A 401 GW.AUTHN gets a new token and the call once more. On 200
 * *root (when not NULL) is the parsed answer (caller frees). Other statuses:
 * 400 -> OB_EROWS with Naver's code in code (when code is not NULL) and its
 * message in err; 401/403/404 -> OB_EUSAGE saying what to fix in
 * 커머스API센터; unreachable, 429 or 5xx after retries -> OB_ENET. */
int smartstore_call(struct smartstore *ss, struct http_client *c, const char *method, const char *path,
		    const char *query, const cJSON *body, bool idempotent, cJSON **root, char code[64],
		    bool *outcome_unknown, struct ob_err *err);

/* Makes sure a token is cached (for `doctor`, and before the first call). */
int smartstore_token(struct smartstore *ss, struct http_client *c, bool force, struct ob_err *err);

/* POST .../query for up to SS_QUERY_MAX ids; *root is the answer (data[]). */
int smartstore_query(struct smartstore *ss, struct http_client *c, const char *const *ids, size_t n,
		     cJSON **root, struct ob_err *err);
/* The element of a query answer for one productOrderId, or NULL. */
const cJSON *smartstore_find_detail(const cJSON *root, const char *product_order_id);

/* "yyyy-MM-dd'T'HH:mm:ss.SSS+09:00" of t plus ms milliseconds (B1). */
void smartstore_time_text(ob_time t, int ms, char *out, size_t n);

/* Mapping (smartstore_map.c). */
/* One orders row per product order, and one claims row when it carries a
 * cancel claim. */
int smartstore_map_detail(const struct smartstore *ss, const cJSON *info, struct record_sink *sink,
			  struct record *scratch, struct ob_err *err);
/* Unified order status of productOrderStatus + placeOrderStatus; OS_NONE for
 * states the sheets have no word for (PAYMENT_WAITING). */
enum order_status smartstore_order_status(const char *product_order_status, const char *place_order_status);
/* Unified status of the cancel claim of a detail element; CS_NONE when it has
 * none. */
enum claim_status smartstore_cancel_status(const cJSON *info, enum confirmed_by *by);
/* The detail's return (exchange false) or exchange object, top level or
 * under currentClaim; NULL when it has none. */
const cJSON *smartstore_retex_of(const cJSON *info, bool exchange);
/* Unified status of a return/exchange object: *_REQUEST, COLLECTING and a
 * return's COLLECT_DONE -> REQUESTED; an exchange's COLLECT_DONE (the
 * seller's 수거 완료) and EXCHANGE_REDELIVERING -> APPROVED; holdbackStatus
 * HOLDBACK -> HELD; *_DONE -> DONE; *_REJECT -> WITHDRAWN. */
enum claim_status smartstore_retex_status(const cJSON *claim, bool exchange, enum confirmed_by *by);
/* The claim is held (holdbackStatus HOLDBACK). */
bool smartstore_held(const cJSON *claim);
/* Who pays the trip: "BUYER" when Naver demands a claim delivery fee (net
 * of its discount), "SELLER" when it demands none, else by the reason's
 * fault; "" when nothing tells. */
const char *smartstore_fee_payer(const cJSON *claim, bool exchange);
/* Cancelled quantity of a product order (initialQuantity - remainQuantity for
 * cancels). */
int64_t smartstore_cancelled_qty(const cJSON *info);

/* Actions (smartstore_act.c). */
int smartstore_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err);
/* Reason enums from the seller's free text (exposed for tests). */
const char *smartstore_delay_reason(const char *text);
const char *smartstore_cancel_reason(const char *text);
/* holdbackClassType of HOLD from the seller's seller_reason (B13): the enum
 * as typed, else words (배송비/입금 -> *_DELIVERYFEE, 추가/비용/훼손 ->
 * EXTRAFEEE / EXCHANGE_EXTRAFEE, 미입고/미회수/도착 -> *_PRODUCT_NOT_DELIVERED,
 * exchanges 재고/준비/품절 -> EXCHANGE_PRODUCT_READY), else ETC. */
const char *smartstore_holdback_class(const char *text, bool exchange);

#endif
