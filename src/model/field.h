/* The field registry: every column of the two unified sheets (DESIGN.md), with
 * its key, Korean header, kind and the sheets it appears on, in sheet order.
 * Readers, writers, templates and the store all go through this table; no other
 * file lists the columns. */
#ifndef OB_MODEL_FIELD_H
#define OB_MODEL_FIELD_H

#include <stdbool.h>
#include <stddef.h>

enum sheet_kind {
	SHEET_ORDERS = 1,
	SHEET_CLAIMS = 2,
};

enum field_kind {
	FK_ID,    /* identifier: text of digits (maybe letters/dashes); must stay text in Excel */
	FK_PHONE, /* phone number: text, leading zero kept */
	FK_ZIP,   /* 5-digit zip code: text, leading zero kept */
	FK_TEXT,  /* free text (from the market, a buyer, or the seller) */
	FK_INT,   /* integer count */
	FK_MONEY, /* integer KRW */
	FK_TIME,  /* KST "YYYY-MM-DD HH:MM:SS" */
	FK_DATE,  /* KST "YYYY-MM-DD" */
	FK_ENUM,  /* one of a fixed set of words */
};

/* Field flags. */
#define FF_PERSONAL 0x04u /* personal data (never in the accounting sheet or logs) */
#define FF_INPUT 0x08u    /* the seller fills it in before import */
#define FF_INTERNAL 0x10u /* kept in records and the store, never in a sheet */

enum field_id {
	F_ACTION,
	F_RESULT,
	F_MESSAGE,
	F_MARKET,
	F_ACCOUNT,
	F_CLAIM_TYPE,
	F_CLAIM_STATUS,
	F_ORDER_NO,
	F_LINE_NO,
	F_BUNDLE_NO,
	F_STATUS,
	F_MARKET_STATUS,
	F_ORDERED_AT,
	F_PAID_AT,
	F_PRODUCT_ID,
	F_OPTION_ID,
	F_SELLER_SKU,
	F_PRODUCT_NAME,
	F_OPTION_NAME,
	F_QTY,
	F_CANCEL_QTY,
	F_SHIP_QTY,
	F_CLAIM_QTY,
	F_REMAINING_QTY,
	F_UNIT_PRICE,
	F_DISCOUNT,
	F_SHIPPING_FEE,
	F_PAID_AMOUNT,
	F_BUYER_NAME,
	F_BUYER_PHONE,
	F_RECEIVER_NAME,
	F_RECEIVER_PHONE,
	F_ZIP,
	F_ADDRESS1,
	F_ADDRESS2,
	F_DELIVERY_NOTE,
	F_ADDRESS_CHANGED,
	F_REQUESTED_AT,
	F_COURIER,
	F_INVOICE_NO,
	F_SHIPPED_AT,
	F_DELAY_UNTIL,
	F_REASON,
	F_CONFIRMED_BY,
	F_CLAIM_ID,
	/* Returns and exchanges (claims sheet). */
	F_RETURN_FEE_PAYER,
	F_PICKUP_COURIER,
	F_PICKUP_INVOICE_NO,
	F_REDELIVERY_NAME,
	F_REDELIVERY_PHONE,
	F_REDELIVERY_ZIP,
	F_REDELIVERY_ADDRESS,
	F_SELLER_REASON,
	F_EXTRA_FEE,
	F_REF,      /* internal: market-private keys the adapter needs to act on the line */
	F__COUNT
};

struct field_def {
	const char *key;   /* column key, e.g. "order_no" */
	const char *ko;    /* Korean header, e.g. "주문번호" */
	enum field_kind kind;
	unsigned flags;
};

const struct field_def *field_def(enum field_id id);
const char *field_key(enum field_id id);
const char *field_header_ko(enum field_id id);

/* The columns of a sheet in order; *n gets the count. */
const enum field_id *sheet_columns(enum sheet_kind sheet, size_t *n);
const char *sheet_name(enum sheet_kind sheet); /* "orders" / "claims" */

/* Looks up a header cell (English key or Korean header, case-insensitive for
 * the key, ignoring surrounding spaces) for the given sheet. Returns the field
 * or -1. */
int field_by_header(enum sheet_kind sheet, const char *header);

/* True for kinds whose values Excel mangles when they look numeric. */
bool field_kind_is_identifier(enum field_kind kind);

#endif
