/* Unified statuses, claim types, actions and results, with their English words
 * (what the sheets hold) and Korean words (accepted on input, shown in Korean
 * templates). */
#ifndef OB_MODEL_WORDS_H
#define OB_MODEL_WORDS_H

enum order_status {
	OS_NONE = 0,
	OS_PAID,
	OS_PREPARING,
	OS_SHIPPING,
	OS_DELIVERED,
	OS_CONFIRMED,
	OS_CANCELLED,
	OS_RETURNED,
	OS_EXCHANGED,
	OS__COUNT
};

enum claim_status {
	CS_NONE = 0,
	CS_REQUESTED,
	CS_APPROVED,
	CS_REJECTED,
	CS_WITHDRAWN,
	CS_DONE,
	CS_HELD,
	CS__COUNT
};

enum claim_type { CT_NONE = 0, CT_CANCEL, CT_RETURN, CT_EXCHANGE, CT__COUNT };

enum action {
	ACT_NONE = 0,
	ACT_ACK,
	ACT_SHIP,
	ACT_DELAY,
	ACT_CANCEL,
	ACT_APPROVE,
	ACT_REJECT,
	ACT_HOLD,
	ACT_RESHIP,
	ACT_PICKUP,
	ACT__COUNT
};

enum result { RES_NONE = 0, RES_OK, RES_FAILED, RES_SKIPPED, RES_UNSUPPORTED, RES__COUNT };

enum confirmed_by { CB_NONE = 0, CB_SELLER, CB_MARKET, CB__COUNT };

const char *order_status_word(enum order_status s); /* "PAID"; "" for OS_NONE */
const char *order_status_ko(enum order_status s);   /* "결제완료" */
/* Accepts the English word (any case) or the Korean word; -1 if unknown. */
int order_status_parse(const char *s);

const char *claim_status_word(enum claim_status s);
const char *claim_status_ko(enum claim_status s);
int claim_status_parse(const char *s);

const char *claim_type_word(enum claim_type t);
const char *claim_type_ko(enum claim_type t);
int claim_type_parse(const char *s);

const char *action_word(enum action a);
const char *action_ko(enum action a);
/* Blank -> ACT_NONE; English or Korean word -> the action; -1 if unknown. */
int action_parse(const char *s);
/* True when the action is one the orders sheet takes (ACK SHIP DELAY CANCEL);
 * claim actions are APPROVE REJECT HOLD RESHIP PICKUP. */
int action_on_orders(enum action a);

const char *result_word(enum result r);
const char *result_ko(enum result r);
int result_parse(const char *s);

const char *confirmed_by_word(enum confirmed_by c);
int confirmed_by_parse(const char *s);

#endif
