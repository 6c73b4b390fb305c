/* SmartStore detail JSON (product-orders/query, smartstore.md B7) -> unified
 * records: one orders row per product order, one claims row per cancel,
 * return and exchange claim it carries. */
#include <stdio.h>
#include <string.h>

#include "market/couriers.h"
#include "market/smartstore_int.h"
#include "model/words.h"
#include "util/config.h"
#include "util/json.h"
#include "util/kst.h"
#include "util/str.h"

enum order_status smartstore_order_status(const char *pos, const char *place)
{
	static const struct {
		const char *naver;
		enum order_status unified;
	} map[] = {
		/* PAYED stays PAYED after 발주확인 (the console's 발송대기 is not an
		 * API state, B15): placeOrderStatus tells the two apart below. */
		{ "PAYED", OS_PAID },
		{ "DELIVERING", OS_SHIPPING },
		{ "DELIVERED", OS_DELIVERED },
		{ "PURCHASE_DECIDED", OS_CONFIRMED },
		{ "EXCHANGED", OS_EXCHANGED },
		{ "CANCELED", OS_CANCELLED },
		{ "RETURNED", OS_RETURNED },
		/* Never paid: nothing to ship, nothing to refund. */
		{ "CANCELED_BY_NOPAYMENT", OS_CANCELLED },
	};
	for (size_t i = 0; pos && i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(map[i].naver, pos) != 0)
			continue;
		if (map[i].unified == OS_PAID && str_eq(place, "OK"))
			return OS_PREPARING;
		return map[i].unified;
	}
	/* PAYMENT_WAITING (무통장 not yet paid) has no unified word; the row
	 * still comes, with the raw state in market_status. */
	return OS_NONE;
}

static bool starts(const char *s, const char *prefix)
{
	return s && str_starts(s, prefix);
}

static bool is_cancel_claim(const char *claim_type)
{
	return str_eq(claim_type, "CANCEL") || str_eq(claim_type, "ADMIN_CANCEL");
}

/* The cancel object: top level, or under currentClaim (B7 lists both). */
static const cJSON *cancel_of(const cJSON *info)
{
	const cJSON *c = json_get(info, "cancel");
	if (cJSON_IsObject(c))
		return c;
	c = json_get(json_get(info, "currentClaim"), "cancel");
	return cJSON_IsObject(c) ? c : NULL;
}

enum claim_status smartstore_cancel_status(const cJSON *info, enum confirmed_by *by)
{
	const cJSON *po = json_get(info, "productOrder");
	const cJSON *cancel = cancel_of(info);
	const char *type = json_str(po, "claimType");
	*by = CB_NONE;
	if (!cancel && !is_cancel_claim(type))
		return CS_NONE;
	const char *st = json_str(cancel, "claimStatus");
	if (!st)
		st = json_str(po, "claimStatus");
	if (str_eq(st, "CANCEL_REQUEST"))
		return CS_REQUESTED;
	/* 철회: the buyer took the request back (B15). It is not a seller's
	 * rejection; SmartStore has no call for one. */
	if (str_eq(st, "CANCEL_REJECT") || str_eq(st, "ADMIN_CANCEL_REJECT"))
		return CS_WITHDRAWN;
	if (str_eq(type, "ADMIN_CANCEL") || starts(st, "ADMIN_CANCEL")) {
		/* 직권취소 by Naver: done without the seller. */
		*by = CB_MARKET;
		return CS_DONE;
	}
	if (str_eq(st, "CANCELING") || str_eq(st, "CANCEL_DONE")) {
		/* Before 발주확인 a buyer's cancel goes through at once (즉시취소:
		 * nothing for the seller to decide) -> DONE. Once the seller had
		 * confirmed the order (placeOrderStatus OK), Naver waits for the
		 * seller's approval, so a finished cancel there was approved ->
		 * APPROVED. CANCELING is the refund still running after either. */
		if (str_eq(json_str(po, "placeOrderStatus"), "OK")) {
			*by = CB_SELLER;
			return CS_APPROVED;
		}
		return CS_DONE;
	}
	return CS_NONE;
}

static int64_t count_of(const cJSON *obj, const char *key, int64_t def)
{
	int64_t v;
	return json_i64(obj, key, &v) == 0 ? v : def;
}

static int64_t initial_qty(const cJSON *po)
{
	/* With quantityClaimCompatibility both are the first quantity (B7). */
	return count_of(po, "initialQuantity", count_of(po, "quantity", 0));
}

int64_t smartstore_cancelled_qty(const cJSON *info)
{
	const cJSON *po = json_get(info, "productOrder");
	int64_t qty = initial_qty(po);
	const char *st = json_str(po, "productOrderStatus");
	const cJSON *cancel = cancel_of(info);
	const char *cst = json_str(cancel, "claimStatus");
	bool cancelled_whole = str_eq(st, "CANCELED") || str_eq(st, "CANCELED_BY_NOPAYMENT");
	int64_t remain;
	/* A partial cancel leaves the line in its state with less remaining;
	 * returns lower remainQuantity too, so only cancel claims count here. */
	if (json_i64(po, "remainQuantity", &remain) == 0 &&
	    (cancelled_whole || str_eq(cst, "CANCEL_DONE") || str_eq(cst, "CANCELING") ||
	     starts(cst, "ADMIN_CANCEL_DONE"))) {
		int64_t cq = qty - remain;
		if (cancelled_whole && cq <= 0)
			cq = qty;
		return cq < 0 ? 0 : cq > qty ? qty : cq;
	}
	return cancelled_whole ? qty : 0;
}

static int set_str(struct record *r, enum field_id f, const cJSON *obj, const char *key)
{
	return record_set(r, f, json_str(obj, key));
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

/* "PAYED/OK", "PAYED/OK/CANCEL_REQUEST", "DELIVERING": what Naver says, raw. */
static void market_status_text(const cJSON *po, const char *claim_status, char *out, size_t n)
{
	const char *st = json_str(po, "productOrderStatus");
	const char *place = json_str(po, "placeOrderStatus");
	snprintf(out, n, "%s%s%s%s%s", st ? st : "", str_eq(st, "PAYED") && place ? "/" : "",
		 str_eq(st, "PAYED") && place ? place : "", claim_status && *claim_status ? "/" : "",
		 claim_status ? claim_status : "");
}

static int set_courier(struct record *r, const cJSON *delivery)
{
	const char *code = json_str(delivery, "deliveryCompany");
	const char *inv = json_str(delivery, "trackingNumber");
	if (!inv || !*inv)
		return 0;
	const struct courier *c = code ? courier_by_code("smartstore", code) : NULL;
	int rc = record_set(r, F_COURIER, c ? c->name_ko : code);
	rc |= record_set(r, F_INVOICE_NO, inv);
	rc |= set_time(r, F_SHIPPED_AT, delivery, "sendDate");
	return rc;
}

static int order_row(const struct smartstore *ss, const cJSON *info, struct record *r)
{
	const cJSON *order = json_get(info, "order");
	const cJSON *po = json_get(info, "productOrder");
	const cJSON *addr = json_get(po, "shippingAddress");
	const cJSON *delivery = json_get(info, "delivery");
	const cJSON *cancel = cancel_of(info);
	record_clear(r);
	r->sheet = SHEET_ORDERS;
	int rc = 0;
	rc |= record_set(r, F_MARKET, "smartstore");
	rc |= record_set(r, F_ACCOUNT, ss->base.acct->name);
	rc |= set_id(r, F_ORDER_NO, order, "orderId");
	rc |= set_id(r, F_LINE_NO, po, "productOrderId");
	rc |= set_id(r, F_BUNDLE_NO, po, "packageNumber");
	enum order_status os = smartstore_order_status(json_str(po, "productOrderStatus"),
						       json_str(po, "placeOrderStatus"));
	int64_t qty = initial_qty(po);
	int64_t cancelled = smartstore_cancelled_qty(info);
	if (qty > 0 && cancelled >= qty)
		os = OS_CANCELLED;
	rc |= record_set(r, F_STATUS, order_status_word(os));
	/* The current claim: a return or exchange comes after any cancel. */
	const char *ctype = json_str(po, "claimType");
	const char *cst = str_eq(ctype, "RETURN") || str_eq(ctype, "EXCHANGE") ? json_str(po, "claimStatus") : NULL;
	if (!cst)
		cst = json_str(cancel, "claimStatus");
	if (!cst)
		cst = json_str(po, "claimStatus");
	char ms[128];
	market_status_text(po, cst, ms, sizeof ms);
	rc |= record_set(r, F_MARKET_STATUS, ms);
	rc |= set_time(r, F_ORDERED_AT, order, "orderDate");
	rc |= set_time(r, F_PAID_AT, order, "paymentDate");
	rc |= set_id(r, F_PRODUCT_ID, po, "productId");
	rc |= set_str(r, F_OPTION_ID, po, "optionCode");
	const char *sku = json_str(po, "optionManageCode");
	rc |= record_set(r, F_SELLER_SKU, sku && *sku ? sku : json_str(po, "sellerProductCode"));
	rc |= set_str(r, F_PRODUCT_NAME, po, "productName");
	rc |= set_str(r, F_OPTION_NAME, po, "productOption");
	rc |= record_set_i64(r, F_QTY, qty);
	rc |= record_set_i64(r, F_CANCEL_QTY, cancelled);
	rc |= record_set_i64(r, F_SHIP_QTY, qty > cancelled ? qty - cancelled : 0);
	/* unitPrice is the product's price; an option adds optionPrice per piece. */
	rc |= record_set_i64(r, F_UNIT_PRICE, money(po, "unitPrice") + money(po, "optionPrice"));
	rc |= record_set_i64(r, F_DISCOUNT, money(po, "productDiscountAmount"));
	/* Naver puts a package's delivery fee on one of its product orders, so
	 * per-line fees add up to the package's. */
	int64_t fee = money(po, "deliveryFeeAmount") - money(po, "deliveryDiscountAmount");
	if (fee < 0)
		fee = 0;
	rc |= record_set_i64(r, F_SHIPPING_FEE, fee);
	/* totalPaymentAmount is after discounts, without the delivery fee. */
	rc |= record_set_i64(r, F_PAID_AMOUNT, money(po, "totalPaymentAmount") + fee);
	rc |= set_str(r, F_BUYER_NAME, order, "ordererName");
	rc |= set_str(r, F_BUYER_PHONE, order, "ordererTel");
	rc |= set_str(r, F_RECEIVER_NAME, addr, "name");
	rc |= set_str(r, F_RECEIVER_PHONE, addr, "tel1");
	rc |= set_str(r, F_ZIP, addr, "zipCode");
	rc |= set_str(r, F_ADDRESS1, addr, "baseAddress");
	rc |= set_str(r, F_ADDRESS2, addr, "detailedAddress");
	rc |= set_str(r, F_DELIVERY_NOTE, po, "shippingMemo");
	rc |= set_courier(r, delivery);
	const char *delay = json_str(po, "delayedDispatchReason");
	if (delay && *delay) {
		char due[KST_TEXT_LEN];
		const char *d = json_str(po, "shippingDueDate");
		if (d && kst_normalize(d, due) == 0) {
			due[10] = '\0';
			rc |= record_set(r, F_DELAY_UNTIL, due);
		}
		const char *why = json_str(po, "delayedDispatchDetailedReason");
		rc |= record_set(r, F_REASON, why && *why ? why : delay);
	}
	char claim_id[64] = "";
	json_id(po, "claimId", claim_id, sizeof claim_id);
	if (!*claim_id)
		json_id(cancel, "claimId", claim_id, sizeof claim_id);
	rc |= record_set(r, F_CLAIM_ID, claim_id);
	return rc ? -1 : 0;
}

static int cancel_row(const struct smartstore *ss, const cJSON *info, enum claim_status cs, enum confirmed_by by,
		      struct record *r)
{
	const cJSON *order = json_get(info, "order");
	const cJSON *po = json_get(info, "productOrder");
	const cJSON *cancel = cancel_of(info);
	record_clear(r);
	r->sheet = SHEET_CLAIMS;
	int rc = 0;
	rc |= record_set(r, F_MARKET, "smartstore");
	rc |= record_set(r, F_ACCOUNT, ss->base.acct->name);
	char claim_id[64] = "";
	json_id(cancel, "claimId", claim_id, sizeof claim_id);
	if (!*claim_id)
		json_id(po, "claimId", claim_id, sizeof claim_id);
	rc |= record_set(r, F_CLAIM_ID, claim_id);
	rc |= record_set(r, F_CLAIM_TYPE, claim_type_word(CT_CANCEL));
	rc |= record_set(r, F_CLAIM_STATUS, claim_status_word(cs));
	const char *cst = json_str(cancel, "claimStatus");
	rc |= record_set(r, F_MARKET_STATUS, cst ? cst : json_str(po, "claimStatus"));
	rc |= set_id(r, F_ORDER_NO, order, "orderId");
	rc |= set_id(r, F_LINE_NO, po, "productOrderId");
	rc |= set_id(r, F_BUNDLE_NO, po, "packageNumber");
	rc |= set_str(r, F_PRODUCT_NAME, po, "productName");
	rc |= set_str(r, F_OPTION_NAME, po, "productOption");
	int64_t qty = initial_qty(po);
	/* requestQuantity is what the buyer asked to cancel: maybe less than
	 * the line (quantity 3, request 1). */
	int64_t cq = count_of(cancel, "requestQuantity", qty);
	rc |= record_set_i64(r, F_QTY, qty);
	rc |= record_set_i64(r, F_CLAIM_QTY, cq);
	rc |= record_set_i64(r, F_REMAINING_QTY, qty > cq ? qty - cq : 0);
	rc |= set_time(r, F_REQUESTED_AT, cancel, "claimRequestDate");
	const char *reason = json_str(cancel, "cancelReason"), *detail = json_str(cancel, "cancelDetailedReason");
	char why[600];
	snprintf(why, sizeof why, "%s%s%s", reason ? reason : "", reason && detail && *detail ? " / " : "",
		 detail ? detail : "");
	rc |= record_set(r, F_REASON, why);
	rc |= record_set(r, F_CONFIRMED_BY, confirmed_by_word(by));
	rc |= set_courier(r, json_get(info, "delivery"));
	return rc ? -1 : 0;
}

/* --- returns (반품) and exchanges (교환) --- */

const cJSON *smartstore_retex_of(const cJSON *info, bool exchange)
{
	const char *key = exchange ? "exchange" : "return";
	const cJSON *c = json_get(info, key);
	if (cJSON_IsObject(c))
		return c;
	c = json_get(json_get(info, "currentClaim"), key);
	return cJSON_IsObject(c) ? c : NULL;
}

bool smartstore_held(const cJSON *claim)
{
	return str_eq(json_str(claim, "holdbackStatus"), "HOLDBACK");
}

enum claim_status smartstore_retex_status(const cJSON *claim, bool exchange, enum confirmed_by *by)
{
	const char *st = json_str(claim, "claimStatus");
	*by = CB_NONE;
	if (!st)
		return CS_NONE;
	/* 철회 (B15): Naver uses it for the buyer's withdrawal and for the
	 * seller's refusal alike, so the sheet cannot tell them apart. */
	if (str_eq(st, exchange ? "EXCHANGE_REJECT" : "RETURN_REJECT"))
		return CS_WITHDRAWN;
	if (str_eq(st, exchange ? "EXCHANGE_DONE" : "RETURN_DONE")) {
		/* An exchange gets there only through the seller's collect
		 * approval and re-delivery; who completed a return the detail
		 * does not say. */
		if (exchange)
			*by = CB_SELLER;
		return CS_DONE;
	}
	bool open = str_eq(st, exchange ? "EXCHANGE_REQUEST" : "RETURN_REQUEST") || str_eq(st, "COLLECTING") ||
		    str_eq(st, "COLLECT_DONE") || (exchange && str_eq(st, "EXCHANGE_REDELIVERING"));
	if (!open)
		return CS_NONE;
	/* A hold waits for the buyer (fee, missing item): HELD whatever the step. */
	if (smartstore_held(claim))
		return CS_HELD;
	/* An exchange is collected (COLLECT_DONE) only by the seller's 수거 완료
	 * call: the seller took it on, the new item is next -> APPROVED. A
	 * return's COLLECT_DONE is the courier's: the item is back and waits
	 * for the seller's approval -> still REQUESTED. */
	if (exchange && (str_eq(st, "COLLECT_DONE") || str_eq(st, "EXCHANGE_REDELIVERING"))) {
		*by = CB_SELLER;
		return CS_APPROVED;
	}
	return CS_REQUESTED;
}

const char *smartstore_fee_payer(const cJSON *claim, bool exchange)
{
	static const char *const buyer[] = { "INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER", "PRODUCT_UNSATISFIED" };
	static const char *const seller[] = { "DELAYED_DELIVERY", "SOLD_OUT", "DROPPED_DELIVERY", "BROKEN",
					      "INCORRECT_INFO", "WRONG_DELIVERY", "WRONG_OPTION" };
	/* What Naver charges the buyer for the trip decides: some = the buyer
	 * pays (taken from the refund or paid apart), none = the trip goes on
	 * the seller's contract. Before Naver has worked it out, the reason's
	 * fault (B13's reasons) does. */
	int64_t fee, discount = 0;
	if (json_money(claim, "claimDeliveryFeeDemandAmount", &fee) == 0) {
		if (json_money(claim, "claimDeliveryFeeDiscountAmount", &discount) < 0)
			discount = 0;
		return fee - discount > 0 ? "BUYER" : "SELLER";
	}
	const char *reason = json_str(claim, exchange ? "exchangeReason" : "returnReason");
	for (size_t i = 0; reason && i < sizeof buyer / sizeof buyer[0]; i++)
		if (strcmp(reason, buyer[i]) == 0)
			return "BUYER";
	for (size_t i = 0; reason && i < sizeof seller / sizeof seller[0]; i++)
		if (strcmp(reason, seller[i]) == 0)
			return "SELLER";
	return "";
}

static int set_company(struct record *r, enum field_id f, const cJSON *obj, const char *key)
{
	const char *code = json_str(obj, key);
	const struct courier *c = code && *code ? courier_by_code("smartstore", code) : NULL;
	return record_set(r, f, c ? c->name_ko : code);
}

static int retex_row(const struct smartstore *ss, const cJSON *info, const cJSON *claim, bool ex, struct record *r)
{
	const cJSON *order = json_get(info, "order");
	const cJSON *po = json_get(info, "productOrder");
	enum confirmed_by by;
	enum claim_status cs = smartstore_retex_status(claim, ex, &by);
	record_clear(r);
	r->sheet = SHEET_CLAIMS;
	int rc = 0;
	rc |= record_set(r, F_MARKET, "smartstore");
	rc |= record_set(r, F_ACCOUNT, ss->base.acct->name);
	char claim_id[64] = "";
	json_id(claim, "claimId", claim_id, sizeof claim_id);
	if (!*claim_id && str_eq(json_str(po, "claimType"), ex ? "EXCHANGE" : "RETURN"))
		json_id(po, "claimId", claim_id, sizeof claim_id);
	rc |= record_set(r, F_CLAIM_ID, claim_id);
	rc |= record_set(r, F_CLAIM_TYPE, claim_type_word(ex ? CT_EXCHANGE : CT_RETURN));
	rc |= record_set(r, F_CLAIM_STATUS, claim_status_word(cs));
	/* Raw: claimStatus, and the hold when there is or was one
	 * ("COLLECT_DONE/HOLDBACK", "COLLECTING/RELEASED"). */
	const char *st = json_str(claim, "claimStatus"), *hold = json_str(claim, "holdbackStatus");
	char ms[96];
	bool show_hold = hold && *hold && !str_eq(hold, "NOT_YET");
	snprintf(ms, sizeof ms, "%s%s%s", st ? st : "", show_hold ? "/" : "", show_hold ? hold : "");
	rc |= record_set(r, F_MARKET_STATUS, ms);
	rc |= set_id(r, F_ORDER_NO, order, "orderId");
	rc |= set_id(r, F_LINE_NO, po, "productOrderId");
	rc |= set_id(r, F_BUNDLE_NO, po, "packageNumber");
	rc |= set_str(r, F_PRODUCT_NAME, po, "productName");
	rc |= set_str(r, F_OPTION_NAME, po, "productOption");
	int64_t qty = initial_qty(po);
	int64_t cq = count_of(claim, "requestQuantity", qty);
	rc |= record_set_i64(r, F_QTY, qty);
	rc |= record_set_i64(r, F_CLAIM_QTY, cq);
	rc |= record_set_i64(r, F_REMAINING_QTY, qty > cq ? qty - cq : 0);
	rc |= set_time(r, F_REQUESTED_AT, claim, "claimRequestDate");
	/* The buyer's reason, then the hold's (class, detail, extra fee): the
	 * sheet's seller_reason and extra_fee stay the seller's input. */
	const char *reason = json_str(claim, ex ? "exchangeReason" : "returnReason");
	const char *detail = json_str(claim, ex ? "exchangeDetailedReason" : "returnDetailedReason");
	char why[1200];
	int n = snprintf(why, sizeof why, "%s%s%s", reason ? reason : "", reason && detail && *detail ? " / " : "",
			 detail ? detail : "");
	if (str_eq(hold, "HOLDBACK") && n >= 0 && (size_t)n < sizeof why) {
		const char *hc = json_str(claim, "holdbackReason"), *hd = json_str(claim, "holdbackDetailedReason");
		int64_t extra = money(claim, "etcFeeDemandAmount");
		char fee[48] = "";
		if (extra > 0)
			snprintf(fee, sizeof fee, ", %lld원", (long long)extra);
		snprintf(why + n, sizeof why - (size_t)n, "%s[보류 %s%s%s%s]", n ? " " : "", hc ? hc : "",
			 hd && *hd ? ": " : "", hd ? hd : "", fee);
	}
	rc |= record_set(r, F_REASON, why);
	rc |= record_set(r, F_CONFIRMED_BY, confirmed_by_word(by));
	rc |= record_set(r, F_RETURN_FEE_PAYER, smartstore_fee_payer(claim, ex));
	if (json_str(claim, "collectTrackingNumber") && *json_str(claim, "collectTrackingNumber")) {
		rc |= set_company(r, F_PICKUP_COURIER, claim, "collectDeliveryCompany");
		rc |= set_str(r, F_PICKUP_INVOICE_NO, claim, "collectTrackingNumber");
	}
	if (ex) {
		/* The new item's box: courier and invoice_no are what RESHIP sent. */
		const char *inv = json_str(claim, "reDeliveryTrackingNumber");
		if (inv && *inv) {
			rc |= set_company(r, F_COURIER, claim, "reDeliveryCompany");
			rc |= record_set(r, F_INVOICE_NO, inv);
			rc |= set_time(r, F_SHIPPED_AT, claim, "reDeliveryOperationDate");
		}
		const cJSON *to = json_get(claim, "reDeliveryAddress");
		if (cJSON_IsObject(to)) {
			const char *a1 = json_str(to, "baseAddress"), *a2 = json_str(to, "detailedAddress");
			char addr[512];
			snprintf(addr, sizeof addr, "%s%s%s", a1 ? a1 : "", a1 && a2 && *a2 ? " " : "", a2 ? a2 : "");
			rc |= set_str(r, F_REDELIVERY_NAME, to, "name");
			rc |= set_str(r, F_REDELIVERY_PHONE, to, "tel1");
			rc |= set_str(r, F_REDELIVERY_ZIP, to, "zipCode");
			rc |= record_set(r, F_REDELIVERY_ADDRESS, addr);
		}
	}
	return rc ? -1 : 0;
}

/* Claim rows of one product order: its cancel, its return and its
 * exchange, each when there is one (a withdrawn cancel stays beside a later
 * return). */
static int claim_rows(const struct smartstore *ss, const cJSON *info, struct record_sink *sink, struct record *r,
		      struct ob_err *err)
{
	enum confirmed_by by;
	enum claim_status cs = smartstore_cancel_status(info, &by);
	if (cs != CS_NONE) {
		if (cancel_row(ss, info, cs, by, r) < 0)
			return ob_err_nomem(err);
		int rc = sink->put(sink, r, err);
		if (rc != OB_OK)
			return rc;
	}
	for (int ex = 0; ex <= 1; ex++) {
		const cJSON *claim = smartstore_retex_of(info, ex);
		if (!claim)
			continue;
		if (retex_row(ss, info, claim, ex, r) < 0)
			return ob_err_nomem(err);
		int rc = sink->put(sink, r, err);
		if (rc != OB_OK)
			return rc;
	}
	return OB_OK;
}

int smartstore_map_detail(const struct smartstore *ss, const cJSON *info, struct record_sink *sink,
			  struct record *r, struct ob_err *err)
{
	const cJSON *po = json_get(info, "productOrder");
	char id[64];
	if (!cJSON_IsObject(po) || json_id(po, "productOrderId", id, sizeof id) < 0)
		return ob_errf(err, OB_ENET, "%s: a product order detail without productOrder.productOrderId",
			       ss->base.who);
	if (order_row(ss, info, r) < 0)
		return ob_err_nomem(err);
	int rc = sink->put(sink, r, err);
	if (rc != OB_OK)
		return rc;
	return claim_rows(ss, info, sink, r, err);
}
