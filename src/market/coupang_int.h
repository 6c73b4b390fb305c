/* Internals shared by the Coupang adapter's files: coupang.c (requests,
 * fetching), coupang_map.c (JSON -> unified records), coupang_act.c (actions). */
#ifndef OB_MARKET_COUPANG_INT_H
#define OB_MARKET_COUPANG_INT_H

#include <cjson/cJSON.h>

#include "market/market.h"
#include "util/buf.h"

#define COUPANG_API "/v2/providers/openapi/apis/api"

struct coupang {
	struct market_base base;
	const char *vendor_id;
	const char *access_key;
	const char *secret_key;
	const char *wing_user;
	size_t base_len;      /* strlen(base_url): what follows is signed */
	long timeout_ms;
};

/* One signed call. path starts with "/v2/..."; query is the exact query string
 * (no '?'), or NULL; body may be NULL. On success *data_out (when not NULL) is
 * the parsed response (caller frees with cJSON_Delete). HTTP statuses other than
 * 200 become errors that name the account and carry Coupang's message:
 * 401/403/404 -> OB_EUSAGE (credentials, IP, vendor), others -> OB_ENET.
 * resp_status gets the HTTP status (0 when none arrived). */
int coupang_call(struct coupang *cp, struct http_client *c, const char *method, const char *path,
		 const char *query, const cJSON *body, bool idempotent, cJSON **data_out,
		 long *resp_status, bool *outcome_unknown, struct ob_err *err);

/* Mapping (coupang_map.c). Each returns OB_OK or an error naming the field. */
int coupang_map_ordersheet(const struct coupang *cp, const cJSON *sheet, struct record_sink *sink,
			   struct record *scratch, struct ob_err *err);
/* One claim row per returnItem of a v6 return request. */
int coupang_map_return_request(const struct coupang *cp, const cJSON *rr, struct record_sink *sink,
			       struct record *scratch, struct ob_err *err);
/* Unified claim status of a return request (exposed for tests). */
void coupang_claim_status(const cJSON *rr, enum claim_type *type, enum claim_status *status,
			  enum confirmed_by *by);
const char *coupang_order_status(const char *coupang_status);
/* "BUYER", "SELLER", "MARKET" (as 11st fills the column) or "" from faultByType (returns) / faultType
 * (exchanges), else from the sign of obj's returnShippingCharge (obj may be NULL). */
const char *coupang_return_fee_payer(const char *fault, const cJSON *obj);
/* One claim row per exchangeItemDtoV1s entry of a v4 exchange. */
int coupang_map_exchange(const struct coupang *cp, const cJSON *ex, struct record_sink *sink,
			 struct record *scratch, struct ob_err *err);
/* Unified status of an exchange (exposed for tests). */
void coupang_exchange_status(const cJSON *ex, enum claim_status *status, enum confirmed_by *by);
/* The re-delivery box (the new shipmentBoxId of deliveryInvoiceGroupDtos) and
 * its first invoice (courier code, number); "" when none. */
void coupang_exchange_redelivery(const cJSON *ex, char *box, size_t bn, char *courier_code, size_t cn,
				 char *invoice, size_t in);

/* Actions (coupang_act.c). */
int coupang_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err);

/* Every item of the batch whose column f equals key. */
#define FOR_ITEMS_WITH(b, f, key, it)                                                       \
	for (struct action_item *it = (b)->items; it < (b)->items + (b)->n; it++)           \
		if (strcmp(record_get(it->rec, (f)), (key)) == 0)

/* Returns and exchanges (coupang_claims.c): the rows of one claim of the batch.
 * Return OB_OK (results in the items) or an error that stops the batch. */
int coupang_perform_return(struct coupang *cp, struct http_client *c, struct action_batch *b, const char *id,
			   struct ob_err *err);
int coupang_perform_exchange(struct coupang *cp, struct http_client *c, struct action_batch *b, const char *id,
			     struct ob_err *err);
/* exchangeRejectCode for the seller's reason: "SOLDOUT", "WITHDRAW" or NULL. */
const char *coupang_exchange_reject_code(const char *seller_reason);

#endif
