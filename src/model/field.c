/* The field registry (see field.h): one row per field, and the column order of
 * each sheet. */
#include "model/field.h"

#include <string.h>
#include <strings.h>

#define P FF_PERSONAL
#define I FF_INPUT

static const struct field_def fields[F__COUNT] = {
	[F_ACTION] = { "action", "작업", FK_ENUM, I },
	[F_RESULT] = { "result", "처리결과", FK_ENUM, 0 },
	[F_MESSAGE] = { "message", "메시지", FK_TEXT, 0 },
	[F_MARKET] = { "market", "마켓", FK_ENUM, 0 },
	[F_ACCOUNT] = { "account", "계정", FK_TEXT, 0 },
	[F_CLAIM_TYPE] = { "claim_type", "클레임유형", FK_ENUM, 0 },
	[F_CLAIM_STATUS] = { "claim_status", "클레임상태", FK_ENUM, 0 },
	[F_ORDER_NO] = { "order_no", "주문번호", FK_ID, 0 },
	[F_LINE_NO] = { "line_no", "상품주문번호", FK_ID, 0 },
	[F_BUNDLE_NO] = { "bundle_no", "묶음배송번호", FK_ID, 0 },
	[F_STATUS] = { "status", "상태", FK_ENUM, 0 },
	[F_MARKET_STATUS] = { "market_status", "마켓상태", FK_TEXT, 0 },
	[F_ORDERED_AT] = { "ordered_at", "주문일시", FK_TIME, 0 },
	[F_PAID_AT] = { "paid_at", "결제일시", FK_TIME, 0 },
	[F_PRODUCT_ID] = { "product_id", "상품번호", FK_ID, 0 },
	[F_OPTION_ID] = { "option_id", "옵션번호", FK_ID, 0 },
	[F_SELLER_SKU] = { "seller_sku", "판매자상품코드", FK_ID, 0 },
	[F_PRODUCT_NAME] = { "product_name", "상품명", FK_TEXT, 0 },
	[F_OPTION_NAME] = { "option_name", "옵션명", FK_TEXT, 0 },
	[F_QTY] = { "qty", "주문수량", FK_INT, 0 },
	[F_CANCEL_QTY] = { "cancel_qty", "취소수량", FK_INT, 0 },
	[F_SHIP_QTY] = { "ship_qty", "발송수량", FK_INT, 0 },
	[F_CLAIM_QTY] = { "claim_qty", "취소수량/반품수량", FK_INT, 0 },
	[F_REMAINING_QTY] = { "remaining_qty", "잔여수량", FK_INT, 0 },
	[F_UNIT_PRICE] = { "unit_price", "판매가", FK_MONEY, 0 },
	[F_DISCOUNT] = { "discount", "할인액", FK_MONEY, 0 },
	[F_SHIPPING_FEE] = { "shipping_fee", "배송비", FK_MONEY, 0 },
	[F_PAID_AMOUNT] = { "paid_amount", "결제금액", FK_MONEY, 0 },
	[F_BUYER_NAME] = { "buyer_name", "구매자", FK_TEXT, P },
	[F_BUYER_PHONE] = { "buyer_phone", "구매자연락처", FK_PHONE, P },
	[F_RECEIVER_NAME] = { "receiver_name", "수령인", FK_TEXT, P },
	[F_RECEIVER_PHONE] = { "receiver_phone", "수령인연락처", FK_PHONE, P },
	[F_ZIP] = { "zip", "우편번호", FK_ZIP, P },
	[F_ADDRESS1] = { "address1", "주소", FK_TEXT, P },
	[F_ADDRESS2] = { "address2", "상세주소", FK_TEXT, P },
	[F_DELIVERY_NOTE] = { "delivery_note", "배송메모", FK_TEXT, P },
	[F_ADDRESS_CHANGED] = { "address_changed", "주소변경", FK_ENUM, 0 },
	[F_REQUESTED_AT] = { "requested_at", "요청일시", FK_TIME, 0 },
	[F_COURIER] = { "courier", "택배사", FK_TEXT, I },
	[F_INVOICE_NO] = { "invoice_no", "송장번호", FK_ID, I },
	[F_SHIPPED_AT] = { "shipped_at", "발송일시", FK_TIME, 0 },
	[F_DELAY_UNTIL] = { "delay_until", "발송예정일", FK_DATE, I },
	[F_REASON] = { "reason", "사유", FK_TEXT, I },
	[F_CONFIRMED_BY] = { "confirmed_by", "처리주체", FK_ENUM, 0 },
	[F_CLAIM_ID] = { "claim_id", "클레임번호", FK_ID, 0 },
	[F_RETURN_FEE_PAYER] = { "return_fee_payer", "반품배송비부담", FK_ENUM, 0 },
	[F_PICKUP_COURIER] = { "pickup_courier", "회수택배사", FK_TEXT, I },
	[F_PICKUP_INVOICE_NO] = { "pickup_invoice_no", "회수송장번호", FK_ID, I },
	[F_REDELIVERY_NAME] = { "redelivery_name", "교환수령인", FK_TEXT, P },
	[F_REDELIVERY_PHONE] = { "redelivery_phone", "교환수령인연락처", FK_PHONE, P },
	[F_REDELIVERY_ZIP] = { "redelivery_zip", "교환우편번호", FK_ZIP, P },
	[F_REDELIVERY_ADDRESS] = { "redelivery_address", "교환배송지", FK_TEXT, P },
	[F_SELLER_REASON] = { "seller_reason", "판매자사유", FK_TEXT, I },
	[F_EXTRA_FEE] = { "extra_fee", "추가비용", FK_MONEY, I },
	[F_REF] = { "ref", "마켓참조", FK_TEXT, FF_INTERNAL },
};

#undef P
#undef I

/* Column order of the two sheets, as DESIGN.md gives it. */
static const enum field_id orders_columns[] = {
	F_ACTION, F_RESULT, F_MESSAGE, F_MARKET, F_ACCOUNT, F_ORDER_NO, F_LINE_NO, F_BUNDLE_NO,
	F_STATUS, F_MARKET_STATUS, F_ORDERED_AT, F_PAID_AT, F_PRODUCT_ID, F_OPTION_ID,
	F_SELLER_SKU, F_PRODUCT_NAME, F_OPTION_NAME, F_QTY, F_CANCEL_QTY, F_SHIP_QTY,
	F_UNIT_PRICE, F_DISCOUNT, F_SHIPPING_FEE, F_PAID_AMOUNT, F_BUYER_NAME, F_BUYER_PHONE,
	F_RECEIVER_NAME, F_RECEIVER_PHONE, F_ZIP, F_ADDRESS1, F_ADDRESS2, F_DELIVERY_NOTE,
	F_ADDRESS_CHANGED, F_COURIER, F_INVOICE_NO, F_SHIPPED_AT, F_DELAY_UNTIL, F_REASON,
	F_CLAIM_ID,
};

static const enum field_id claims_columns[] = {
	F_ACTION, F_RESULT, F_MESSAGE, F_MARKET, F_ACCOUNT, F_CLAIM_ID, F_CLAIM_TYPE,
	F_CLAIM_STATUS, F_MARKET_STATUS, F_ORDER_NO, F_LINE_NO, F_BUNDLE_NO, F_PRODUCT_NAME,
	F_OPTION_NAME, F_QTY, F_CLAIM_QTY, F_REMAINING_QTY, F_REQUESTED_AT, F_REASON,
	F_CONFIRMED_BY, F_COURIER, F_INVOICE_NO, F_SHIPPED_AT,
	/* Returns and exchanges; appended so existing column positions hold. */
	F_RETURN_FEE_PAYER, F_PICKUP_COURIER, F_PICKUP_INVOICE_NO, F_REDELIVERY_NAME, F_REDELIVERY_PHONE,
	F_REDELIVERY_ZIP, F_REDELIVERY_ADDRESS, F_SELLER_REASON, F_EXTRA_FEE,
};

const struct field_def *field_def(enum field_id id)
{
	return &fields[id];
}

const char *field_key(enum field_id id)
{
	return fields[id].key;
}

const char *field_header_ko(enum field_id id)
{
	return fields[id].ko;
}

const enum field_id *sheet_columns(enum sheet_kind sheet, size_t *n)
{
	if (sheet == SHEET_CLAIMS) {
		*n = sizeof claims_columns / sizeof claims_columns[0];
		return claims_columns;
	}
	*n = sizeof orders_columns / sizeof orders_columns[0];
	return orders_columns;
}

const char *sheet_name(enum sheet_kind sheet)
{
	return sheet == SHEET_CLAIMS ? "claims" : "orders";
}

static int header_eq(const char *cell, const char *name, int ci)
{
	while (*cell == ' ' || *cell == '\t')
		cell++;
	size_t n = strlen(cell);
	while (n && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
		n--;
	if (strlen(name) != n)
		return 0;
	return ci ? strncasecmp(cell, name, n) == 0 : strncmp(cell, name, n) == 0;
}

/* Korean headers sellers type that differ from the registry's. */
static const struct {
	enum sheet_kind sheet;
	const char *header;
	enum field_id id;
} aliases[] = {
	{ SHEET_CLAIMS, "취소수량", F_CLAIM_QTY },
	{ SHEET_CLAIMS, "반품수량", F_CLAIM_QTY },
	{ SHEET_CLAIMS, "클레임수량", F_CLAIM_QTY },
	{ SHEET_ORDERS, "운송장번호", F_INVOICE_NO },
	{ SHEET_CLAIMS, "운송장번호", F_INVOICE_NO },
	{ SHEET_ORDERS, "수량", F_QTY },
	{ SHEET_ORDERS, "택배사코드", F_COURIER },
};

int field_by_header(enum sheet_kind sheet, const char *header)
{
	size_t n;
	const enum field_id *cols = sheet_columns(sheet, &n);
	for (size_t i = 0; i < n; i++) {
		enum field_id id = cols[i];
		if (header_eq(header, fields[id].key, 1) || header_eq(header, fields[id].ko, 0))
			return (int)id;
	}
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (aliases[i].sheet == sheet && header_eq(header, aliases[i].header, 0))
			return (int)aliases[i].id;
	return -1;
}

bool field_kind_is_identifier(enum field_kind kind)
{
	return kind == FK_ID || kind == FK_PHONE || kind == FK_ZIP;
}
