/* The SmartStore sandbox's in-memory state, shared by smartstore.c (the wire
 * contract) and smartstore_data.c (data set generation, the detail and state
 * JSON, the test setters). Product orders are plain structs; every change a
 * buyer, the seller or the test setters make appends an event to the change
 * feed (sorted by time, then productOrderId) with the lastChangedType Naver
 * documents for it, and a snapshot of the states at that moment. */
#ifndef OB_SANDBOX_SMARTSTORE_STATE_H
#define OB_SANDBOX_SMARTSTORE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sandbox/sandbox.h"
#include "util/err.h"
#include "util/kst.h"

/* lastChangedType values the sandbox produces (B6). 발주확인, 발송지연, the
 * start of a pickup and a claim's holdback or release have none in the
 * documented list, so they change the detail only. */
enum ssx_change {
	SSX_PAYED,
	SSX_ADDRESS_CHANGED,
	SSX_DISPATCHED,
	SSX_CLAIM_REQUESTED,
	SSX_CLAIM_REJECTED,
	SSX_CLAIM_COMPLETED,
	SSX_PURCHASE_DECIDED,
	SSX_COLLECT_DONE,
	SSX_CLAIM_REDELIVERING,
	SSX_CHANGE__COUNT
};

const char *ssx_change_name(enum ssx_change c);
/* Every documented lastChangedType (the filter accepts these). */
bool ssx_change_type_known(const char *s);

struct ssx_po {
	uint64_t id, order_id, package;
	char status[24];          /* productOrderStatus */
	char place[12];           /* placeOrderStatus */
	ob_time ordered, paid, placed;
	int product, option;
	int64_t unit_price, option_price, qty, remain, discount, fee, fee_discount;
	char orderer[32], orderer_tel[20], orderer_id[24];
	char name[32], tel[20], zip[8], addr1[192], addr2[128];
	const char *memo;         /* static text or NULL */
	bool addr_changed;
	/* The cancel claim (claimType CANCEL), when claim_id != 0. */
	uint64_t claim_id;
	char claim_status[24];
	ob_time claim_at, approved_at, done_at;
	int64_t claim_qty;
	char cancel_reason[24], cancel_detail[1600], channel[16];
	/* Delivery. */
	char courier[16], tracking[32];
	ob_time sent, delivered, decided;
	/* 발송지연. */
	char delay_reason[24], delay_detail[1600];
	ob_time ship_due;
	/* The return or exchange claim (claimType RETURN / EXCHANGE), when
	 * rx_id != 0. It is the product order's current claim; a cancel
	 * claim above stays as history (a withdrawn one, say). */
	uint64_t rx_id;
	bool rx_exchange;
	char rx_status[24];       /* RETURN_REQUEST COLLECTING COLLECT_DONE RETURN_DONE RETURN_REJECT, EXCHANGE_* */
	ob_time rx_at, rx_collected, rx_done, rx_redelivered;
	int64_t rx_qty;
	char rx_reason[24], rx_detail[256], rx_channel[16];
	char collect_status[24], collect_courier[16], collect_tracking[32];
	int64_t rx_fee;           /* claimDeliveryFeeDemandAmount: what the buyer pays for the trip */
	char reject_reason[1600]; /* the seller's rejectReturnReason / rejectExchangeReason */
	/* 보류: holdbackStatus NOT_YET (empty), HOLDBACK, RELEASED. */
	char hold_status[12], hold_class[40], hold_detail[1600];
	int64_t hold_fee;         /* extra*FeeAmount -> etcFeeDemandAmount */
	ob_time hold_at, hold_released;
	/* 교환 재배송. */
	char re_courier[16], re_tracking[32];
};

struct ssx_event {
	ob_time t;
	int ms;
	uint32_t po;              /* index into pos */
	uint8_t change;           /* enum ssx_change */
	bool addr_changed;
	char status[24], claim_type[16], claim_status[24];
};

struct ssx_token {
	char value[48];
	ob_time expires;
};

struct ssx_state {
	struct sandbox_gen_opts opts;
	struct ssx_po *pos;
	size_t npos;
	struct ssx_event *evs;    /* sorted by (t, ms, productOrderId) */
	size_t nevs, capevs;
	struct ssx_token *toks;
	size_t ntoks, captoks;
	uint64_t next_claim, tokens_issued;
	long token_ttl;
	long expire_after;        /* API requests until every token expires; -1 = off */
};

/* smartstore_data.c */
int ssx_state_new(const struct sandbox_gen_opts *o, struct ssx_state **out, struct ob_err *err);
void ssx_state_free(struct ssx_state *st);
int ssx_state_reset(struct ssx_state *st, struct ob_err *err);
int ssx_state_json(struct ssx_state *st, cJSON *root);
int ssx_handle_test(struct ssx_state *st, const char *action, const struct sandbox_request *req,
		    struct sandbox_response *resp);

struct ssx_po *ssx_po_find(struct ssx_state *st, uint64_t id);
/* Appends a feed event for po at t (+ms) with the po's states now. */
int ssx_event_add(struct ssx_state *st, struct ssx_po *po, enum ssx_change c, ob_time t, int ms);
/* The product-orders/query element of po. */
cJSON *ssx_detail_json(const struct ssx_po *po);
/* "yyyy-MM-ddTHH:mm:ss.SSS+09:00". */
void ssx_time_text(ob_time t, int ms, char *out, size_t n);
/* Parses exactly that format; -1 otherwise. */
int ssx_time_parse(const char *s, ob_time *t, int *ms);
/* A new 16-digit claim id (yyyyMMdd of now and a sequence). */
uint64_t ssx_new_claim_id(struct ssx_state *st, ob_time now);
/* The claim type and status the feed and productOrder show now: the
 * return/exchange when there is one, else the cancel; "" when none. */
const char *ssx_claim_type(const struct ssx_po *po);
const char *ssx_claim_status(const struct ssx_po *po);
/* The return/exchange of po is open (requested, collecting or collected;
 * for an exchange also not yet re-shipped). */
bool ssx_retex_open(const struct ssx_po *po);
/* A buyer's return or exchange request (setter): qty of what remains. */
int ssx_buyer_retex(struct ssx_state *st, struct ssx_po *po, bool exchange, int64_t qty, const char *reason,
		    ob_time now);
/* A return is approved: RETURN_DONE, remain lowered (RETURNED at 0). */
void ssx_return_done(struct ssx_po *po, ob_time now);
/* A claim on po is open (CANCEL_REQUEST). */
bool ssx_cancel_open(const struct ssx_po *po);
/* Cancels qty of po now (approve or seller cancel): remain, status, claim. */
void ssx_cancel_apply(struct ssx_po *po, int64_t qty, ob_time now);
/* A buyer's cancel request (setter): before 발주확인 it goes through at once. */
int ssx_buyer_cancel(struct ssx_state *st, struct ssx_po *po, int64_t qty, const char *reason, ob_time now);

/* JSON building that tolerates running out of memory: each call does
 * nothing once *ok is false and sets it false when an allocation fails. */
void ssx_js(cJSON *o, const char *k, const char *v, bool *ok);
void ssx_jn(cJSON *o, const char *k, double v, bool *ok);
void ssx_jb(cJSON *o, const char *k, bool v, bool *ok);
void ssx_jid(cJSON *o, const char *k, uint64_t v, bool *ok); /* id as a string of digits */
void ssx_jtime(cJSON *o, const char *k, ob_time t, int ms, bool *ok); /* t == 0: left out */
void ssx_jadd(cJSON *o, const char *k, cJSON *item, bool *ok);
void ssx_jpush(cJSON *arr, cJSON *item, bool *ok);

#endif
