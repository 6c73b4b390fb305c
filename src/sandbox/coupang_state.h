/* The Coupang sandbox's in-memory state, shared by coupang.c (the wire
 * contract) and coupang_data.c (data set generation, loading, the state JSON
 * and the test setters). Every box, return request and withdrawal is kept as
 * the JSON object the API serves (long ids as raw numbers), and state changes
 * edit those objects in place: what a later read shows is exactly what the
 * last write left, and a loaded data set is served field for field. */
#ifndef OB_SANDBOX_COUPANG_STATE_H
#define OB_SANDBOX_COUPANG_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sandbox/sandbox.h"
#include "util/err.h"
#include "util/kst.h"

struct cpx_hist {
	char status[16];
	ob_time at;
	int usec;
};

struct cpx_box {
	cJSON *doc;          /* v5 ordersheet object */
	uint64_t id, order_id;
	ob_time ordered;     /* orderedAt: what createdAtFrom/To select on */
	cJSON *pending;      /* receiver the buyer changed to, applied at ack; or NULL */
	struct cpx_hist *hist; /* oldest first; served newest first */
	size_t nhist, caphist;
	int *returned;       /* per item: units completed returns took back */
};

struct cpx_receipt {
	cJSON *doc;          /* v6 returnRequests object */
	uint64_t id, order_id;
	ob_time created;
	bool cancel;         /* receiptType CANCEL: cancelled while ACCEPT */
	bool withdrawn;      /* the buyer withdrew it: gone from returnRequests */
};

/* An exchange (교환) of v4 exchangeRequests. */
struct cpx_exchange {
	cJSON *doc;          /* exchangeRequests object */
	uint64_t id, order_id;
	ob_time created;
	char reject_code[16]; /* exchangeRejectCode of a rejection made through the API */
};

struct cpx_withdrawal {
	cJSON *doc;          /* returnWithdrawRequests row */
	uint64_t cancel_id;
	ob_time created;
};

struct cpx_state {
	cJSON *dataset;      /* as loaded, for reset; NULL when generated */
	bool generated;      /* reset generates the data set again from gen */
	struct sandbox_gen_opts gen;
	struct cpx_box *boxes;          /* sorted by (ordered, id) */
	size_t nboxes;
	struct cpx_box **by_id;         /* the same boxes sorted by id, for lookups */
	struct cpx_receipt *receipts;   /* sorted by (created, id); new ones appended */
	size_t nreceipts, capreceipts;
	struct cpx_withdrawal *wds;
	size_t nwds, capwds;
	struct cpx_exchange *exs;       /* sorted by (created, id) */
	size_t nexs, capexs;
	uint64_t next_receipt_id;
	uint64_t seed;
	/* Test setter fail-next: the next call of this endpoint answers 500,
	 * before (or, with fail_after, after) its change is applied. */
	char fail_next[96];
	bool fail_after;
	uint64_t writes;     /* mixes into responseKey */
};

/* coupang_data.c */

/* The generated data set in the --dataset file format:
 * {"ordersheets":[..], "returnRequests":[..], "withdrawals":[..], "exchangeRequests":[..]}. */
cJSON *cpx_generate(const struct sandbox_gen_opts *o);
/* Builds the state from a data set (consumed); gen is what generated it, or
 * NULL for a loaded one. */
int cpx_state_build(cJSON *dataset, const struct sandbox_gen_opts *gen, uint64_t seed, struct cpx_state **out,
		    struct ob_err *err);
void cpx_state_free(struct cpx_state *st);
int cpx_state_reset(struct cpx_state *st, struct ob_err *err);
int cpx_state_json(struct cpx_state *st, cJSON *root);
int cpx_handle_test(struct cpx_state *st, const char *action, const struct sandbox_request *req,
		    struct sandbox_response *resp);

/* coupang_claims.c: returns and exchanges beyond the stop-shipment requests. */

/* Adds the generated returns (every receiptStatus of a return, several
 * faultByTypes, pickup invoices) and exchanges (every exchangeStatus) to a
 * generated data set, on delivered boxes without claims, from their own PRNG
 * (so the boxes and requests generated before stay as they were). -1: no memory. */
int cpx_gen_claims(cJSON *dataset, const struct sandbox_gen_opts *o);
/* Builds st->exs from the data set's "exchangeRequests" (may be NULL). */
int cpx_exchanges_build(struct cpx_state *st, const cJSON *arr, struct ob_err *err);
void cpx_exchanges_free(struct cpx_state *st);
struct cpx_exchange *cpx_exchange_find(struct cpx_state *st, uint64_t id);
/* Adds "exchanges" to the coupang object of GET /_sandbox/state. */
int cpx_exchanges_json(struct cpx_state *st, cJSON *c);
/* The pickup invoices of a return or exchange document (returnDeliveryDtos
 * entries with an invoice), as [{"deliveryCompanyCode","invoiceNumber"}]. */
cJSON *cpx_pickups_json(const cJSON *doc);
/* Sets returnDeliveryDtos to the one pickup invoice given. */
int cpx_set_pickup(cJSON *doc, const char *code, const char *invoice);
/* Test setters of returns and exchanges; *handled false when action is not one. */
int cpx_claims_test(struct cpx_state *st, const char *action, const struct sandbox_request *req,
		    struct sandbox_response *resp, bool *handled);
/* exchangeStatus change with the flags that follow it (successable, rejectable). */
int cpx_exchange_set_status(struct cpx_exchange *x, const char *status, ob_time now);

/* Lookups and the rules both files apply. */
struct cpx_box *cpx_box_find(struct cpx_state *st, uint64_t id);
struct cpx_receipt *cpx_receipt_find(struct cpx_state *st, uint64_t id);
/* Recounts the units completed returns took back (after such a change). */
int cpx_count_returns(struct cpx_state *st);
/* Every item cancelled or returned: single reads answer 400, lists skip it. */
bool cpx_box_gone(const struct cpx_state *st, const struct cpx_box *b);
/* A request on the box the seller still has to answer (stop shipment). */
bool cpx_box_open_stop(const struct cpx_state *st, const struct cpx_box *b);
/* A refund in progress (holdCountForCancel) or an open stop request. */
bool cpx_box_open_cancel(const struct cpx_state *st, const struct cpx_box *b);
/* Undecided: releaseStopStatus 미처리, not confirmed by Coupang CS. */
bool cpx_receipt_undecided(const struct cpx_receipt *r);
/* A stop-shipment request: listed under status=RU. */
bool cpx_receipt_is_stop(const struct cpx_receipt *r);
/* Listed under status=st ("RU", "UC", "CC", "PR"). */
bool cpx_receipt_in_status(const struct cpx_receipt *r, const char *st);
int cpx_hist_add(struct cpx_box *b, const char *status, ob_time at, int usec);
int cpx_set_str(cJSON *obj, const char *key, const char *v);
int cpx_set_num(cJSON *obj, const char *key, double v);
int cpx_set_raw_u64(cJSON *obj, const char *key, uint64_t v);
int cpx_item_int(const cJSON *obj, const char *key);
const char *cpx_str(const cJSON *obj, const char *key);
/* Adds a receipt (doc consumed); returns it or NULL when memory ran out. */
struct cpx_receipt *cpx_receipt_add(struct cpx_state *st, cJSON *doc);
/* A stop-shipment request on the box for count units (spread over its items
 * in order); doc of the new receipt, or NULL when memory ran out. */
struct cpx_receipt *cpx_stop_request(struct cpx_state *st, struct cpx_box *b, int count,
				     const char *release_stop, const char *confirm, ob_time now);
/* Applies the stop-shipment request's counts to the box's cancelCount. */
void cpx_apply_cancel(struct cpx_state *st, const struct cpx_receipt *r);
const char *cpx_status_desc(const char *status);

/* JSON building that tolerates running out of memory: each call does nothing
 * once *ok is false, and sets it false when an allocation fails, so a builder
 * checks once at the end. cpx_jadd takes item (NULL counts as a failure). */
void cpx_js(cJSON *o, const char *k, const char *v, bool *ok); /* v NULL: null */
void cpx_jn(cJSON *o, const char *k, double v, bool *ok);
void cpx_jb(cJSON *o, const char *k, bool v, bool *ok);
void cpx_jraw(cJSON *o, const char *k, uint64_t v, bool *ok);
void cpx_jadd(cJSON *o, const char *k, cJSON *item, bool *ok);
void cpx_jpush(cJSON *arr, cJSON *item, bool *ok);
/* A test setter's answer in Coupang's shape: {"code": status, "message": msg};
 * -1 when memory runs out. */
int cpx_respond(struct sandbox_response *resp, int status, const char *msg);
/* The stop-shipment / cancel request document for a box (v6 shape). counts[i]
 * is the quantity of the box's i-th item (0 = not in the request). */
cJSON *cpx_receipt_doc(const cJSON *box, uint64_t receipt_id, const int *counts, const char *type,
		       const char *status, const char *release_stop, const char *confirm, ob_time created);
/* Adds the receipt's per-item counts to the items' cancelCount in box. */
void cpx_apply_cancel_doc(cJSON *box, const cJSON *receipt);

#endif
