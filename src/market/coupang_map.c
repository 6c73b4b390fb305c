/* Coupang JSON -> unified records: v5 ordersheets (one order line per
 * orderItem), v6 returnRequests (one claim line per returnItem), with the
 * claim filters of the lifecycle notes deciding the unified claim status, and
 * v4 exchangeRequests (one claim line per exchangeItemDtoV1s entry). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "market/coupang_int.h"
#include "market/couriers.h"
#include "model/words.h"
#include "util/config.h"
#include "util/json.h"
#include "util/kst.h"
#include "util/str.h"

const char *coupang_order_status(const char *s)
{
	static const struct {
		const char *coupang;
		enum order_status unified;
	} map[] = {
		{ "ACCEPT", OS_PAID },           { "INSTRUCT", OS_PREPARING },
		{ "DEPARTURE", OS_SHIPPING },    { "DELIVERING", OS_SHIPPING },
		{ "NONE_TRACKING", OS_SHIPPING }, { "FINAL_DELIVERY", OS_DELIVERED },
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].coupang, s) == 0)
			return order_status_word(map[i].unified);
	return "";
}

static int set_str(struct record *r, enum field_id f, const cJSON *obj, const char *key)
{
	const char *v = json_str(obj, key);
	if (!v)
		return record_set(r, f, NULL);
	/* Coupang pads some values (" +1(555)444-1234"); cells should not start with spaces. */
	while (*v == ' ')
		v++;
	return record_set(r, f, v);
}

static int set_id(struct record *r, enum field_id f, const cJSON *obj, const char *key)
{
	char id[64];
	json_id(obj, key, id, sizeof id);
	return record_set(r, f, id);
}

static int set_time(struct record *r, enum field_id f, const cJSON *obj, const char *key)
{
	char out[KST_TEXT_LEN];
	const char *v = json_str(obj, key);
	if (!v || kst_normalize(v, out) < 0)
		return record_set(r, f, NULL);
	return record_set(r, f, out);
}

static int64_t money(const cJSON *obj, const char *key)
{
	int64_t v;
	return json_money(obj, key, &v) == 0 ? v : 0;
}

static int64_t count(const cJSON *obj, const char *key)
{
	int64_t v;
	return json_i64(obj, key, &v) == 0 ? v : 0;
}

static void courier_display(const char *coupang_name_or_code, char *out, size_t n)
{
	const struct courier *c = courier_find(coupang_name_or_code);
	str_copy(out, n, c ? c->name_ko : coupang_name_or_code ? coupang_name_or_code : "");
}

int coupang_map_ordersheet(const struct coupang *cp, const cJSON *sheet, struct record_sink *sink,
			   struct record *r, struct ob_err *err)
{
	const cJSON *items = json_get(sheet, "orderItems");
	if (!cJSON_IsArray(items))
		return ob_errf(err, OB_ENET, "%s: an ordersheet without orderItems", cp->base.who);
	const char *status = json_str(sheet, "status");
	const cJSON *orderer = json_get(sheet, "orderer");
	const cJSON *receiver = json_get(sheet, "receiver");
	int64_t box_fee = money(sheet, "shippingPrice") + money(sheet, "remotePrice");
	char courier[64];
	courier_display(json_str(sheet, "deliveryCompanyName"), courier, sizeof courier);
	int first = 1;
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
	{
		record_clear(r);
		r->sheet = SHEET_ORDERS;
		int rc = 0;
		rc |= record_set(r, F_MARKET, "coupang");
		rc |= record_set(r, F_ACCOUNT, cp->base.acct->name);
		rc |= set_id(r, F_ORDER_NO, sheet, "orderId");
		rc |= set_id(r, F_LINE_NO, it, "vendorItemId");
		rc |= set_id(r, F_BUNDLE_NO, sheet, "shipmentBoxId");
		int64_t qty = count(it, "shippingCount");
		int64_t cancelled = count(it, "cancelCount") + count(it, "holdCountForCancel");
		const char *unified = coupang_order_status(status);
		if (qty > 0 && cancelled >= qty)
			unified = order_status_word(OS_CANCELLED);
		rc |= record_set(r, F_STATUS, unified);
		rc |= record_set(r, F_MARKET_STATUS, status);
		rc |= set_time(r, F_ORDERED_AT, sheet, "orderedAt");
		rc |= set_time(r, F_PAID_AT, sheet, "paidAt");
		rc |= set_id(r, F_PRODUCT_ID, it, "sellerProductId");
		rc |= set_id(r, F_OPTION_ID, it, "vendorItemId");
		rc |= set_str(r, F_SELLER_SKU, it, "externalVendorSkuCode");
		const char *pname = json_str(it, "sellerProductName");
		const char *oname = json_str(it, "sellerProductItemName");
		rc |= set_str(r, F_PRODUCT_NAME, it, pname && *pname ? "sellerProductName" : "vendorItemName");
		rc |= set_str(r, F_OPTION_NAME, it, oname && *oname ? "sellerProductItemName" : "vendorItemName");
		rc |= record_set_i64(r, F_QTY, qty);
		rc |= record_set_i64(r, F_CANCEL_QTY, cancelled);
		rc |= record_set_i64(r, F_SHIP_QTY, qty > cancelled ? qty - cancelled : 0);
		int64_t order_price = money(it, "orderPrice");
		int64_t discount = money(it, "discountPrice");
		rc |= record_set_i64(r, F_UNIT_PRICE, money(it, "salesPrice"));
		rc |= record_set_i64(r, F_DISCOUNT, discount);
		/* The box's shipping fee goes on its first line only, so sums stay right. */
		int64_t fee = first ? box_fee : 0;
		rc |= record_set_i64(r, F_SHIPPING_FEE, fee);
		rc |= record_set_i64(r, F_PAID_AMOUNT, order_price - discount + fee);
		rc |= set_str(r, F_BUYER_NAME, orderer, "name");
		rc |= set_str(r, F_BUYER_PHONE, orderer, "safeNumber");
		rc |= set_str(r, F_RECEIVER_NAME, receiver, "name");
		rc |= set_str(r, F_RECEIVER_PHONE, receiver, "safeNumber");
		rc |= set_str(r, F_ZIP, receiver, "postCode");
		rc |= set_str(r, F_ADDRESS1, receiver, "addr1");
		rc |= set_str(r, F_ADDRESS2, receiver, "addr2");
		rc |= set_str(r, F_DELIVERY_NOTE, sheet, "parcelPrintMessage");
		const char *inv = json_str(sheet, "invoiceNumber");
		if (inv && *inv) {
			rc |= record_set(r, F_COURIER, courier);
			rc |= record_set(r, F_INVOICE_NO, inv);
			rc |= set_time(r, F_SHIPPED_AT, sheet, "inTrasitDateTime");
		}
		if (rc)
			return ob_err_nomem(err);
		rc = sink->put(sink, r, err);
		if (rc != OB_OK)
			return rc;
		first = 0;
	}
	return OB_OK;
}

void coupang_claim_status(const cJSON *rr, enum claim_type *type, enum claim_status *status,
			  enum confirmed_by *by)
{
	const char *rtype = json_str(rr, "receiptType");
	const char *rstatus = json_str(rr, "receiptStatus");
	const char *stop = json_str(rr, "releaseStopStatus");
	const char *confirm = json_str(rr, "completeConfirmType");
	*by = CB_NONE;
	if (str_eq(confirm, "VENDOR_CONFIRM"))
		*by = CB_SELLER;
	else if (str_eq(confirm, "CS_CONFIRM") || str_eq(confirm, "CS_LOSS_CONFIRM"))
		*by = CB_MARKET;

	/* Cancelled while still ACCEPT (cancelType=CANCEL): refunded at once, nothing
	 * for the seller to decide. */
	if (str_eq(rtype, "CANCEL")) {
		*type = CT_CANCEL;
		*status = CS_DONE;
		*by = CB_NONE;
		return;
	}
	/* A stop-shipment request (출고중지요청) is the cancel request after ack.
	 * Coupang also files undecided or stopped ones under 반품접수
	 * (RETURNS_UNCHECKED; coupang.md §8.1 lets stoppedShipment answer both);
	 * once answered "already shipped" (이미출고) they have become returns, and
	 * everything else in the list is a return (반품) too. */
	bool stop_request = str_eq(rstatus, "RELEASE_STOP_UNCHECKED") ||
			    (str_eq(rstatus, "RETURNS_UNCHECKED") && (str_eq(stop, "미처리") || str_eq(stop, "처리(출고중지)")));
	if (!stop_request) {
		/* 입고완료 (VENDOR_WAREHOUSE_CONFIRM) is only the first half of the
		 * seller's approval: the refund waits for the approval call, so the
		 * return is still the seller's to decide (REQUESTED; market_status
		 * shows the receipt). 쿠팡확인요청 waits for Coupang: HELD. */
		*type = CT_RETURN;
		if (str_eq(rstatus, "RETURNS_COMPLETED"))
			*status = CS_DONE;
		else if (str_eq(rstatus, "REQUEST_COUPANG_CHECK"))
			*status = CS_HELD;
		else
			*status = CS_REQUESTED;
		return;
	}
	*type = CT_CANCEL;
	if (str_eq(stop, "처리(출고중지)")) {
		*status = CS_APPROVED;
	} else if (str_eq(stop, "처리(이미출고)")) {
		*status = CS_REJECTED;
	} else if (str_eq(stop, "자동처리(이미출고)")) {
		*status = CS_REJECTED;
		*by = CB_MARKET;
	} else if (str_eq(stop, "비대상")) {
		*status = CS_DONE;
	} else if (*by == CB_MARKET) {
		/* 미처리 but Coupang CS approved it on the seller's behalf (직권). */
		*status = CS_APPROVED;
	} else {
		*status = CS_REQUESTED;
		*by = CB_NONE;
	}
}

const char *coupang_return_fee_payer(const char *fault, const cJSON *obj)
{
	/* faultByType is a documented set: it decides when it can. */
	if (str_eq(fault, "CUSTOMER"))
		return "BUYER";
	if (str_eq(fault, "VENDOR"))
		return "SELLER";
	if (str_eq(fault, "COUPANG") || str_eq(fault, "WMS"))
		return "MARKET";
	/* GENERAL or none: the sign of returnShippingCharge (UNCONFIRMED,
	 * coupang.md §14.8). A negative amount is read as taken off the buyer's
	 * refund (the documented example's -3000), a positive one as charged to
	 * the seller (the third-party reading); 0 or none says nothing. */
	int64_t v;
	if (json_money(obj, "returnShippingCharge", &v) < 0 || v == 0)
		return "";
	return v < 0 ? "BUYER" : "SELLER";
}

/* The first registered pickup invoice of returnDeliveryDtos. */
static void first_delivery(const cJSON *dtos, const char *code_key, const char *inv_key, char *courier, size_t cn,
			   char *invoice, size_t in)
{
	const cJSON *d;
	courier[0] = invoice[0] = '\0';
	cJSON_ArrayForEach(d, dtos)
	{
		const char *inv = json_str(d, inv_key);
		if (inv && *inv && strcmp(inv, "null") != 0) {
			courier_display(json_str(d, code_key), courier, cn);
			str_copy(invoice, in, inv);
			return;
		}
	}
}

int coupang_map_return_request(const struct coupang *cp, const cJSON *rr, struct record_sink *sink,
			       struct record *r, struct ob_err *err)
{
	enum claim_type type;
	enum claim_status status;
	enum confirmed_by by;
	coupang_claim_status(rr, &type, &status, &by);
	const cJSON *items = json_get(rr, "returnItems");
	if (!cJSON_IsArray(items))
		return ob_errf(err, OB_ENET, "%s: a return request without returnItems", cp->base.who);
	/* returnDeliveryDtos: on a cancel request answered 이미출고 the invoice the
	 * goods left with; on a return the pickup (회수) invoice. */
	char courier[64], invoice[64];
	first_delivery(json_get(rr, "returnDeliveryDtos"), "deliveryCompanyCode", "deliveryInvoiceNo", courier,
		       sizeof courier, invoice, sizeof invoice);
	const char *payer = type == CT_RETURN ?
				    coupang_return_fee_payer(json_str(rr, "faultByType"), rr) :
				    "";
	int64_t charge = 0;
	if (type != CT_RETURN || json_money(rr, "returnShippingCharge", &charge) < 0)
		charge = 0;
	char reason[512];
	const char *c1 = json_str(rr, "cancelReasonCategory1"), *c2 = json_str(rr, "cancelReasonCategory2");
	const char *c3 = json_str(rr, "cancelReason");
	snprintf(reason, sizeof reason, "%s%s%s%s%s", c1 ? c1 : "", c2 && *c2 ? " / " : "", c2 ? c2 : "",
		 c3 && *c3 ? " / " : "", c3 ? c3 : "");
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
	{
		record_clear(r);
		r->sheet = SHEET_CLAIMS;
		int rc = 0;
		char ms[160];
		const char *rel = json_str(it, "releaseStatus");
		snprintf(ms, sizeof ms, "%s/%s/%s%s%s", json_str(rr, "receiptStatus") ? json_str(rr, "receiptStatus") : "",
			 json_str(rr, "releaseStopStatus") ? json_str(rr, "releaseStopStatus") : "",
			 json_str(rr, "completeConfirmType") ? json_str(rr, "completeConfirmType") : "",
			 rel ? "/" : "", rel ? rel : "");
		rc |= record_set(r, F_MARKET, "coupang");
		rc |= record_set(r, F_ACCOUNT, cp->base.acct->name);
		rc |= set_id(r, F_CLAIM_ID, rr, "receiptId");
		rc |= record_set(r, F_CLAIM_TYPE, claim_type_word(type));
		rc |= record_set(r, F_CLAIM_STATUS, claim_status_word(status));
		rc |= record_set(r, F_MARKET_STATUS, ms);
		rc |= set_id(r, F_ORDER_NO, rr, "orderId");
		rc |= set_id(r, F_LINE_NO, it, "vendorItemId");
		rc |= set_id(r, F_BUNDLE_NO, it, "shipmentBoxId");
		rc |= set_str(r, F_PRODUCT_NAME, it, "sellerProductName");
		rc |= set_str(r, F_OPTION_NAME, it, "vendorItemName");
		int64_t qty = count(it, "purchaseCount"), cq = count(it, "cancelCount");
		rc |= record_set_i64(r, F_QTY, qty);
		rc |= record_set_i64(r, F_CLAIM_QTY, cq);
		rc |= record_set_i64(r, F_REMAINING_QTY, qty > cq ? qty - cq : 0);
		rc |= set_time(r, F_REQUESTED_AT, rr, "createdAt");
		rc |= record_set(r, F_REASON, reason);
		rc |= record_set(r, F_CONFIRMED_BY, confirmed_by_word(by));
		rc |= record_set(r, F_RETURN_FEE_PAYER, payer);
		/* The return fee the buyer owes, as 11st fills it: a negative charge
		 * (taken off the refund) on a return the buyer pays for. */
		if (charge < 0 && str_eq(payer, "BUYER"))
			rc |= record_set_i64(r, F_EXTRA_FEE, -charge);
		if (*invoice) {
			rc |= record_set(r, type == CT_RETURN ? F_PICKUP_COURIER : F_COURIER, courier);
			rc |= record_set(r, type == CT_RETURN ? F_PICKUP_INVOICE_NO : F_INVOICE_NO, invoice);
		}
		if (rc)
			return ob_err_nomem(err);
		rc = sink->put(sink, r, err);
		if (rc != OB_OK)
			return rc;
	}
	return OB_OK;
}

void coupang_exchange_status(const cJSON *ex, enum claim_status *status, enum confirmed_by *by)
{
	static const struct {
		const char *coupang;
		enum claim_status unified;
	} map[] = {
		{ "RECEIPT", CS_REQUESTED }, { "PROGRESS", CS_APPROVED }, { "SUCCESS", CS_DONE },
		{ "REJECT", CS_REJECTED },   { "CANCEL", CS_WITHDRAWN },
	};
	const char *s = json_str(ex, "exchangeStatus");
	*status = CS_NONE;
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].coupang, s) == 0)
			*status = map[i].unified;
	/* Who decided: the last modifier, once someone has decided. */
	const char *m = json_str(ex, "modifiedByType");
	*by = CB_NONE;
	if (*status == CS_APPROVED || *status == CS_DONE || *status == CS_REJECTED) {
		if (str_eq(m, "VENDOR"))
			*by = CB_SELLER;
		else if (str_eq(m, "CS_CENTER") || str_eq(m, "COUPANG") || str_eq(m, "CS"))
			*by = CB_MARKET;
	}
}

/* The new box of the re-delivery and its first invoice, when one is there. */
void coupang_exchange_redelivery(const cJSON *ex, char *box, size_t bn, char *courier_code, size_t cn, char *invoice,
				 size_t in)
{
	box[0] = courier_code[0] = invoice[0] = '\0';
	const cJSON *g;
	cJSON_ArrayForEach(g, json_get(ex, "deliveryInvoiceGroupDtos"))
	{
		if (!*box)
			json_id(g, "shipmentBoxId", box, bn);
		const cJSON *d;
		cJSON_ArrayForEach(d, json_get(g, "deliveryInvoiceDtos"))
		{
			const char *inv = json_str(d, "invoiceNumber"), *code = json_str(d, "deliverCode");
			if (inv && *inv && !*invoice) {
				json_id(g, "shipmentBoxId", box, bn);
				str_copy(invoice, in, inv);
				str_copy(courier_code, cn, code ? code : "");
			}
		}
	}
}

int coupang_map_exchange(const struct coupang *cp, const cJSON *ex, struct record_sink *sink, struct record *r,
			 struct ob_err *err)
{
	enum claim_status status;
	enum confirmed_by by;
	coupang_exchange_status(ex, &status, &by);
	const cJSON *items = json_get(ex, "exchangeItemDtoV1s");
	if (!cJSON_IsArray(items))
		return ob_errf(err, OB_ENET, "%s: an exchange without exchangeItemDtoV1s", cp->base.who);
	const char *xs = json_str(ex, "exchangeStatus"), *cs = json_str(ex, "collectStatus");
	const char *ds = json_str(ex, "deliveryStatus");
	char ms[160], reason[512], pickup_c[64], pickup_i[64], box[64], code[32], invoice[64], courier[64];
	/* collectStatus tells whether RESHIP may go (CompleteCollect). */
	snprintf(ms, sizeof ms, "%s/%s/%s", xs ? xs : "", cs ? cs : "", ds ? ds : "");
	const char *rt = json_str(ex, "reasonCodeText"), *rd = json_str(ex, "reasonEtcDetail");
	const char *cr = json_str(ex, "cancelReason");
	snprintf(reason, sizeof reason, "%s%s%s%s%s", rt ? rt : "", rd && *rd ? " / " : "", rd ? rd : "",
		 cr && *cr ? " / " : "", cr ? cr : "");
	first_delivery(json_get(ex, "returnDeliveryDtos"), "deliveryCompanyCode", "deliveryInvoiceNo", pickup_c,
		       sizeof pickup_c, pickup_i, sizeof pickup_i);
	coupang_exchange_redelivery(ex, box, sizeof box, code, sizeof code, invoice, sizeof invoice);
	courier_display(code, courier, sizeof courier);
	const cJSON *addr = json_get(ex, "exchangeAddressDtoV1");
	const char *a1 = json_str(addr, "deliveryAddress"), *a2 = json_str(addr, "deliveryAddressDetail");
	const char *phone = json_str(addr, "deliveryMobile");
	if (!phone || !*phone)
		phone = json_str(addr, "deliveryPhone");
	char address[512];
	snprintf(address, sizeof address, "%s%s%s", a1 ? a1 : "", a2 && *a2 ? " " : "", a2 ? a2 : "");
	const char *payer = coupang_return_fee_payer(json_str(ex, "faultType"), NULL);
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
	{
		record_clear(r);
		r->sheet = SHEET_CLAIMS;
		int rc = 0;
		rc |= record_set(r, F_MARKET, "coupang");
		rc |= record_set(r, F_ACCOUNT, cp->base.acct->name);
		rc |= set_id(r, F_CLAIM_ID, ex, "exchangeId");
		rc |= record_set(r, F_CLAIM_TYPE, claim_type_word(CT_EXCHANGE));
		rc |= record_set(r, F_CLAIM_STATUS, claim_status_word(status));
		rc |= record_set(r, F_MARKET_STATUS, ms);
		rc |= set_id(r, F_ORDER_NO, ex, "orderId");
		/* orderItemId is the vendorItemId, the line of the order sheet. */
		rc |= set_id(r, F_LINE_NO, it, "orderItemId");
		rc |= set_id(r, F_BUNDLE_NO, it, "originalShipmentBoxId");
		rc |= set_str(r, F_PRODUCT_NAME, it, "orderItemName");
		/* The option column says what goes out in exchange. */
		rc |= set_str(r, F_OPTION_NAME, it, "targetItemName");
		int64_t q;
		if (json_i64(it, "quantity", &q) == 0)
			rc |= record_set_i64(r, F_CLAIM_QTY, q);
		rc |= set_time(r, F_REQUESTED_AT, ex, "createdAt");
		rc |= record_set(r, F_REASON, reason);
		rc |= record_set(r, F_CONFIRMED_BY, confirmed_by_word(by));
		rc |= record_set(r, F_RETURN_FEE_PAYER, payer);
		if (*invoice) {
			rc |= record_set(r, F_COURIER, courier);
			rc |= record_set(r, F_INVOICE_NO, invoice);
		}
		if (*pickup_i) {
			rc |= record_set(r, F_PICKUP_COURIER, pickup_c);
			rc |= record_set(r, F_PICKUP_INVOICE_NO, pickup_i);
		}
		rc |= set_str(r, F_REDELIVERY_NAME, addr, "deliveryCustomerName");
		rc |= record_set(r, F_REDELIVERY_PHONE, phone);
		rc |= set_str(r, F_REDELIVERY_ZIP, addr, "deliveryAddressZipCode");
		rc |= record_set(r, F_REDELIVERY_ADDRESS, address);
		if (rc)
			return ob_err_nomem(err);
		rc = sink->put(sink, r, err);
		if (rc != OB_OK)
			return rc;
	}
	return OB_OK;
}
