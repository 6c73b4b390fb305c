/* Coupang JSON -> unified records, on the example payloads printed in
 * coupang.md (§3 ordersheet, §7 return request), the claim-status matrix of
 * the lifecycle notes (receiptStatus x releaseStopStatus x completeConfirmType),
 * returns after delivery (fee payer, pickup invoice), exchanges (§11.4 fields,
 * the ids of the §11.7 example) and the exchange rejection codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "market/coupang_int.h"
#include "model/record_list.h"
#include "util/config.h"
#include "util/json.h"

static const char *doc_ordersheet =
	"{\"shipmentBoxId\":642538971006401429,\"orderId\":22000009546234,"
	"\"orderedAt\":\"2025-01-15T14:17:13.973885-08:00\",\"orderer\":{\"name\":\"신*희\",\"email\":\"\","
	"\"safeNumber\":\" +1(555)444-1234\",\"ordererNumber\":null},"
	"\"paidAt\":\"2025-01-15T14:17:13.973885-08:00\",\"status\":\"FINAL_DELIVERY\","
	"\"shippingPrice\":{\"currencyCode\":\"KRW\",\"units\":5000,\"nanos\":0},\"remotePrice\":null,\"remoteArea\":false,"
	"\"parcelPrintMessage\":\"문 앞\",\"splitShipping\":false,\"ableSplitShipping\":false,"
	"\"receiver\":{\"name\":\"신*희\",\"safeNumber\":\" +1(555)444-1234\",\"receiverNumber\":null,"
	"\"addr1\":\"경기 오산시 가수동 **아파트\",\"addr2\":\"109동 *호\",\"postCode\":\"447-700\"},"
	"\"orderItems\":[{\"vendorItemId\":3242596358,\"vendorItemName\":\"…, 07 DARK GREY, 160호\",\"shippingCount\":1,"
	"\"salesPrice\":{\"currencyCode\":\"KRW\",\"units\":19000,\"nanos\":0},\"orderPrice\":{\"currencyCode\":\"KRW\","
	"\"units\":19000,\"nanos\":0},\"discountPrice\":{\"currencyCode\":\"KRW\",\"units\":3000,\"nanos\":0},"
	"\"externalVendorSkuCode\":\"170816368810\",\"sellerProductId\":80240831,\"cancelCount\":0,"
	"\"holdCountForCancel\":0,\"estimatedShippingDate\":\"2017-10-16\",\"plannedShippingDate\":\"\","
	"\"invoiceNumberUploadDate\":\"\",\"deliveryChargeTypeName\":\"유료\",\"canceled\":false}],"
	"\"deliveryCompanyName\":\"CJ 대한통운\",\"invoiceNumber\":\"340010913442\","
	"\"inTrasitDateTime\":\"2025-01-15T14:17:13.973885-08:00\",\"deliveredDate\":\"2025-01-15T14:17:13.973885-08:00\","
	"\"refer\":\"안드로이드앱\",\"shipmentType\":\"THIRD_PARTY\",\"isCod\":false,"
	"\"extraProperties\":{\"sameDayShipping\":\"false\",\"cutOffTimeHour\":\"0\"}}";

static const char *doc_return =
	"{\"receiptId\":50229613,\"orderId\":28000008707838,\"paymentId\":28000009486604,"
	"\"receiptType\":\"RETURN\",\"receiptStatus\":\"RETURNS_UNCHECKED\",\"createdAt\":\"2017-09-02T22:52:42\","
	"\"modifiedAt\":\"2017-09-02T22:52:42\",\"requesterName\":\"구*숙\",\"requesterPhoneNumber\":\"0503-****-3560\","
	"\"requesterRealPhoneNumber\":null,\"cancelReasonCategory1\":\"고객변심\",\"cancelReasonCategory2\":\"단순변심(사유없음)\","
	"\"cancelReason\":\"\",\"cancelCountSum\":1,\"returnDeliveryId\":20234047,\"returnDeliveryType\":\"연동택배\","
	"\"releaseStopStatus\":\"처리(이미출고)\",\"enclosePrice\":0,\"faultByType\":\"VENDOR\",\"preRefund\":false,"
	"\"completeConfirmDate\":\"\",\"completeConfirmType\":\"UNDEFINED\","
	"\"returnItems\":[{\"vendorItemId\":3187044096,\"vendorItemName\":\"…, (19)Black, S\",\"purchaseCount\":1,"
	"\"cancelCount\":1,\"shipmentBoxId\":434119941,\"sellerProductId\":57623797,\"sellerProductName\":\"…\"}],"
	"\"returnDeliveryDtos\":[{\"deliveryCompanyCode\":\"CJGLS\",\"deliveryInvoiceNo\":\"\"}]}";

struct list_sink {
	struct record_sink base;
	struct record_list l;
};

static int list_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	(void)err;
	return record_list_push(&((struct list_sink *)s)->l, r) == 0 ? OB_OK : OB_EIO;
}

static struct account acct;
static struct coupang cp;

static int setup(void **state)
{
	(void)state;
	memset(&acct, 0, sizeof acct);
	strcpy(acct.name, "main");
	strcpy(acct.id, "coupang.main");
	memset(&cp, 0, sizeof cp);
	cp.base.acct = &acct;
	strcpy(cp.base.who, "coupang.main");
	return 0;
}

static void test_doc_ordersheet(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(doc_ordersheet, strlen(doc_ordersheet), &err);
	assert_non_null(j);
	struct list_sink s = { { list_put }, RECORD_LIST_INIT };
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	assert_int_equal(coupang_map_ordersheet(&cp, j, &s.base, &scratch, &err), OB_OK);
	assert_int_equal(s.l.n, 1);
	const struct record *r = &s.l.items[0];
	assert_int_equal(r->sheet, SHEET_ORDERS);
	assert_string_equal(record_get(r, F_MARKET), "coupang");
	assert_string_equal(record_get(r, F_ACCOUNT), "main");
	assert_string_equal(record_get(r, F_ORDER_NO), "22000009546234");
	assert_string_equal(record_get(r, F_BUNDLE_NO), "642538971006401429"); /* 18 digits intact */
	assert_string_equal(record_get(r, F_LINE_NO), "3242596358");
	assert_string_equal(record_get(r, F_STATUS), "DELIVERED");
	assert_string_equal(record_get(r, F_MARKET_STATUS), "FINAL_DELIVERY");
	/* 14:17:13.97 at -08:00 is 07:17:13 the next day in KST. */
	assert_string_equal(record_get(r, F_ORDERED_AT), "2025-01-16 07:17:13");
	assert_string_equal(record_get(r, F_PRODUCT_ID), "80240831");
	assert_string_equal(record_get(r, F_SELLER_SKU), "170816368810");
	assert_string_equal(record_get(r, F_QTY), "1");
	assert_string_equal(record_get(r, F_CANCEL_QTY), "0");
	assert_string_equal(record_get(r, F_SHIP_QTY), "1");
	assert_string_equal(record_get(r, F_UNIT_PRICE), "19000");
	assert_string_equal(record_get(r, F_DISCOUNT), "3000");
	assert_string_equal(record_get(r, F_SHIPPING_FEE), "5000");
	assert_string_equal(record_get(r, F_PAID_AMOUNT), "21000");
	assert_string_equal(record_get(r, F_RECEIVER_PHONE), "+1(555)444-1234");
	assert_string_equal(record_get(r, F_ZIP), "447-700");
	assert_string_equal(record_get(r, F_DELIVERY_NOTE), "문 앞");
	assert_string_equal(record_get(r, F_COURIER), "CJ대한통운");
	assert_string_equal(record_get(r, F_INVOICE_NO), "340010913442");
	record_list_clear(&s.l);
	record_free(&scratch);
	cJSON_Delete(j);
}

static void test_doc_return(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(doc_return, strlen(doc_return), &err);
	assert_non_null(j);
	struct list_sink s = { { list_put }, RECORD_LIST_INIT };
	struct record scratch;
	record_init(&scratch, SHEET_CLAIMS);
	assert_int_equal(coupang_map_return_request(&cp, j, &s.base, &scratch, &err), OB_OK);
	assert_int_equal(s.l.n, 1);
	const struct record *r = &s.l.items[0];
	assert_int_equal(r->sheet, SHEET_CLAIMS);
	assert_string_equal(record_get(r, F_CLAIM_ID), "50229613");
	assert_string_equal(record_get(r, F_CLAIM_TYPE), "RETURN"); /* RETURNS_UNCHECKED is a return */
	assert_string_equal(record_get(r, F_ORDER_NO), "28000008707838");
	assert_string_equal(record_get(r, F_LINE_NO), "3187044096");
	assert_string_equal(record_get(r, F_BUNDLE_NO), "434119941");
	assert_string_equal(record_get(r, F_QTY), "1");
	assert_string_equal(record_get(r, F_CLAIM_QTY), "1");
	assert_string_equal(record_get(r, F_REMAINING_QTY), "0");
	assert_string_equal(record_get(r, F_REQUESTED_AT), "2017-09-02 22:52:42");
	assert_string_equal(record_get(r, F_REASON), "고객변심 / 단순변심(사유없음)");
	assert_string_equal(record_get(r, F_INVOICE_NO), ""); /* empty deliveryInvoiceNo ignored */
	record_list_clear(&s.l);
	record_free(&scratch);
	cJSON_Delete(j);
}

static void status_of(const char *rtype, const char *rstatus, const char *stop, const char *confirm,
		      enum claim_type *t, enum claim_status *s, enum confirmed_by *by)
{
	char text[512];
	snprintf(text, sizeof text,
		 "{\"receiptType\":\"%s\",\"receiptStatus\":\"%s\",\"releaseStopStatus\":\"%s\",\"completeConfirmType\":\"%s\"}",
		 rtype, rstatus, stop, confirm);
	cJSON *j = cJSON_Parse(text);
	coupang_claim_status(j, t, s, by);
	cJSON_Delete(j);
}

static void test_claim_matrix(void **state)
{
	(void)state;
	static const struct {
		const char *rstatus, *stop, *confirm;
		enum claim_type t;
		enum claim_status s;
		enum confirmed_by by;
	} cases[] = {
		{ "RELEASE_STOP_UNCHECKED", "미처리", "UNDEFINED", CT_CANCEL, CS_REQUESTED, CB_NONE },
		{ "RELEASE_STOP_UNCHECKED", "미처리", "VENDOR_CONFIRM", CT_CANCEL, CS_REQUESTED, CB_NONE },
		{ "RELEASE_STOP_UNCHECKED", "미처리", "CS_CONFIRM", CT_CANCEL, CS_APPROVED, CB_MARKET },
		{ "RELEASE_STOP_UNCHECKED", "처리(출고중지)", "UNDEFINED", CT_CANCEL, CS_APPROVED, CB_NONE },
		{ "RELEASE_STOP_UNCHECKED", "처리(출고중지)", "VENDOR_CONFIRM", CT_CANCEL, CS_APPROVED, CB_SELLER },
		{ "RELEASE_STOP_UNCHECKED", "처리(출고중지)", "CS_CONFIRM", CT_CANCEL, CS_APPROVED, CB_MARKET },
		{ "RELEASE_STOP_UNCHECKED", "처리(이미출고)", "UNDEFINED", CT_CANCEL, CS_REJECTED, CB_NONE },
		{ "RELEASE_STOP_UNCHECKED", "처리(이미출고)", "VENDOR_CONFIRM", CT_CANCEL, CS_REJECTED, CB_SELLER },
		{ "RELEASE_STOP_UNCHECKED", "처리(이미출고)", "CS_CONFIRM", CT_CANCEL, CS_REJECTED, CB_MARKET },
		{ "RELEASE_STOP_UNCHECKED", "자동처리(이미출고)", "UNDEFINED", CT_CANCEL, CS_REJECTED, CB_MARKET },
		/* The same list (status=RU) also files stop requests under 반품접수: undecided
		 * or stopped ones are still cancel requests (§8.1), answered "already
		 * shipped" they have become returns. */
		{ "RETURNS_UNCHECKED", "미처리", "UNDEFINED", CT_CANCEL, CS_REQUESTED, CB_NONE },
		{ "RETURNS_UNCHECKED", "미처리", "CS_CONFIRM", CT_CANCEL, CS_APPROVED, CB_MARKET },
		{ "RETURNS_UNCHECKED", "처리(출고중지)", "CS_CONFIRM", CT_CANCEL, CS_APPROVED, CB_MARKET },
		{ "RETURNS_UNCHECKED", "처리(이미출고)", "VENDOR_CONFIRM", CT_RETURN, CS_REQUESTED, CB_SELLER },
		{ "RETURNS_UNCHECKED", "비대상", "UNDEFINED", CT_RETURN, CS_REQUESTED, CB_NONE },
		{ "RETURNS_COMPLETED", "비대상", "VENDOR_CONFIRM", CT_RETURN, CS_DONE, CB_SELLER },
		{ "RETURNS_COMPLETED", "비대상", "CS_CONFIRM", CT_RETURN, CS_DONE, CB_MARKET },
		/* 입고완료 waits for the seller's approval: still REQUESTED. */
		{ "VENDOR_WAREHOUSE_CONFIRM", "비대상", "UNDEFINED", CT_RETURN, CS_REQUESTED, CB_NONE },
		/* 쿠팡확인요청: Coupang decides. */
		{ "REQUEST_COUPANG_CHECK", "비대상", "UNDEFINED", CT_RETURN, CS_HELD, CB_NONE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum claim_type t;
		enum claim_status s;
		enum confirmed_by by;
		status_of("RETURN", cases[i].rstatus, cases[i].stop, cases[i].confirm, &t, &s, &by);
		if (t != cases[i].t || s != cases[i].s || by != cases[i].by)
			fail_msg("case %zu (%s/%s/%s): got %s/%s/%s", i, cases[i].rstatus, cases[i].stop, cases[i].confirm,
				 claim_type_word(t), claim_status_word(s), confirmed_by_word(by));
	}
	enum claim_type t;
	enum claim_status s;
	enum confirmed_by by;
	status_of("CANCEL", "RETURNS_COMPLETED", "비대상", "VENDOR_CONFIRM", &t, &s, &by);
	assert_int_equal(t, CT_CANCEL);
	assert_int_equal(s, CS_DONE);
	assert_int_equal(by, CB_NONE);
}

static void test_return_after_delivery(void **state)
{
	(void)state;
	static const char *text =
		"{\"receiptId\":363585,\"orderId\":28000008707838,\"receiptType\":\"RETURN\","
		"\"receiptStatus\":\"VENDOR_WAREHOUSE_CONFIRM\",\"createdAt\":\"2017-09-02T22:52:42\","
		"\"cancelReasonCategory1\":\"상품불량\",\"cancelReasonCategory2\":\"파손\",\"cancelReason\":\"\","
		"\"cancelCountSum\":2,\"releaseStopStatus\":\"비대상\",\"faultByType\":\"GENERAL\","
		"\"completeConfirmType\":\"UNDEFINED\",\"completeConfirmDate\":\"\",\"returnShippingCharge\":-3000,"
		"\"returnItems\":[{\"vendorItemId\":3187044096,\"vendorItemName\":\"A\",\"purchaseCount\":3,"
		"\"cancelCount\":2,\"shipmentBoxId\":642538971006401429,\"sellerProductName\":\"P\"}],"
		"\"returnDeliveryDtos\":[{\"deliveryCompanyCode\":\"CJGLS\",\"deliveryInvoiceNo\":\"\"},"
		"{\"deliveryCompanyCode\":\"HANJIN\",\"deliveryInvoiceNo\":\"412345678901\"}]}";
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(text, strlen(text), &err);
	assert_non_null(j);
	struct list_sink s = { { list_put }, RECORD_LIST_INIT };
	struct record scratch;
	record_init(&scratch, SHEET_CLAIMS);
	assert_int_equal(coupang_map_return_request(&cp, j, &s.base, &scratch, &err), OB_OK);
	assert_int_equal(s.l.n, 1);
	const struct record *r = &s.l.items[0];
	assert_string_equal(record_get(r, F_CLAIM_TYPE), "RETURN");
	assert_string_equal(record_get(r, F_CLAIM_STATUS), "REQUESTED");
	assert_string_equal(record_get(r, F_BUNDLE_NO), "642538971006401429");
	assert_string_equal(record_get(r, F_QTY), "3");
	assert_string_equal(record_get(r, F_CLAIM_QTY), "2");
	assert_string_equal(record_get(r, F_REMAINING_QTY), "1");
	/* GENERAL: the negative charge is taken off the buyer's refund. */
	assert_string_equal(record_get(r, F_RETURN_FEE_PAYER), "BUYER");
	assert_string_equal(record_get(r, F_EXTRA_FEE), "3000");
	/* On a return the delivery DTOs are the pickup, not a shipping invoice. */
	assert_string_equal(record_get(r, F_PICKUP_COURIER), "한진택배");
	assert_string_equal(record_get(r, F_PICKUP_INVOICE_NO), "412345678901");
	assert_string_equal(record_get(r, F_INVOICE_NO), "");
	record_list_clear(&s.l);
	record_free(&scratch);
	cJSON_Delete(j);

	/* The payer: faultByType first, then the sign of the charge. */
	static const struct {
		const char *json, *want;
	} payers[] = {
		{ "{\"faultByType\":\"CUSTOMER\",\"returnShippingCharge\":5000}", "BUYER" },
		{ "{\"faultByType\":\"VENDOR\",\"returnShippingCharge\":-5000}", "SELLER" },
		{ "{\"faultByType\":\"COUPANG\"}", "MARKET" },
		{ "{\"faultByType\":\"WMS\"}", "MARKET" },
		{ "{\"faultByType\":\"GENERAL\",\"returnShippingCharge\":2500}", "SELLER" },
		{ "{\"faultByType\":\"GENERAL\",\"returnShippingCharge\":0}", "" },
		{ "{\"returnShippingCharge\":null}", "" },
		{ "{\"returnShippingCharge\":\"-2500\"}", "BUYER" },
	};
	for (size_t i = 0; i < sizeof payers / sizeof payers[0]; i++) {
		cJSON *p = cJSON_Parse(payers[i].json);
		assert_non_null(p);
		const char *got = coupang_return_fee_payer(json_str(p, "faultByType"), p);
		if (strcmp(got, payers[i].want) != 0)
			fail_msg("%s: %s, want %s", payers[i].json, got, payers[i].want);
		cJSON_Delete(p);
	}
}

/* An exchange with the §11.4 fields; ids of the §11.7 example (the new box
 * 197277127), an 18-digit original box. */
static const char *doc_exchange =
	"{\"exchangeId\":100000170,\"orderId\":28000008707838,\"vendorId\":\"A00010028\","
	"\"orderDeliveryStatusCode\":\"FINAL_DELIVERY\",\"exchangeStatus\":\"PROGRESS\",\"referType\":\"WEB_MOBILE\","
	"\"faultType\":\"VENDOR\",\"exchangeAmount\":0,\"reasonCode\":\"DAMAGED\",\"reasonCodeText\":\"상품 파손\","
	"\"reasonEtcDetail\":\"모서리 깨짐\",\"cancelReason\":\"\",\"createdByType\":\"CUSTOMER\","
	"\"createdAt\":\"2018-03-05T10:11:12\",\"modifiedByType\":\"VENDOR\",\"modifiedAt\":\"2018-03-06T09:00:00\","
	"\"exchangeItemDtoV1s\":[{\"exchangeItemId\":1001,\"orderItemId\":3187044096,\"orderItemUnitPrice\":19000,"
	"\"orderItemName\":\"가디건, Black, S\",\"targetItemId\":3187044097,\"targetItemUnitPrice\":19000,"
	"\"targetItemName\":\"가디건, Black, M\",\"quantity\":1,\"originalShipmentBoxId\":642538971006401429}],"
	"\"exchangeAddressDtoV1\":{\"returnCustomerName\":\"구*숙\",\"returnAddressZipCode\":\"06236\","
	"\"returnAddress\":\"서울 강남구\",\"returnAddressDetail\":\"1층\",\"returnPhone\":\"0503-1111-2222\","
	"\"returnMobile\":\"0503-1111-2222\",\"deliveryCustomerName\":\"구*숙\",\"deliveryAddressZipCode\":\"01000\","
	"\"deliveryAddress\":\"서울 강북구 삼양로\",\"deliveryAddressDetail\":\"2층\",\"deliveryPhone\":\"0503-3333-4444\","
	"\"deliveryMobile\":\"\"},"
	"\"deliveryInvoiceGroupDtos\":[{\"shipmentBoxId\":197277127,\"orderId\":28000008707838,"
	"\"shippingDeliveryType\":\"NORMAL\",\"deliveryInvoiceDtos\":[]}],"
	"\"deliveryStatus\":\"BeforeDirection\",\"collectStatus\":\"CompleteCollect\","
	"\"collectCompleteDate\":\"2018-03-06T09:00:00\",\"collectInformationsDto\":{},"
	"\"returnDeliveryDtos\":[{\"deliveryCompanyCode\":\"HANJIN\",\"deliveryInvoiceNo\":\"412345678901\"}],"
	"\"successable\":true,\"rejectable\":true,\"deliveryInvoiceModifiable\":true}";

static void test_exchange(void **state)
{
	(void)state;
	struct ob_err err = OB_ERR_INIT;
	cJSON *j = json_parse(doc_exchange, strlen(doc_exchange), &err);
	assert_non_null(j);
	struct list_sink s = { { list_put }, RECORD_LIST_INIT };
	struct record scratch;
	record_init(&scratch, SHEET_CLAIMS);
	assert_int_equal(coupang_map_exchange(&cp, j, &s.base, &scratch, &err), OB_OK);
	assert_int_equal(s.l.n, 1);
	const struct record *r = &s.l.items[0];
	assert_string_equal(record_get(r, F_CLAIM_ID), "100000170");
	assert_string_equal(record_get(r, F_CLAIM_TYPE), "EXCHANGE");
	assert_string_equal(record_get(r, F_CLAIM_STATUS), "APPROVED");
	assert_string_equal(record_get(r, F_MARKET_STATUS), "PROGRESS/CompleteCollect/BeforeDirection");
	assert_string_equal(record_get(r, F_CONFIRMED_BY), "seller");
	assert_string_equal(record_get(r, F_ORDER_NO), "28000008707838");
	assert_string_equal(record_get(r, F_LINE_NO), "3187044096");
	assert_string_equal(record_get(r, F_BUNDLE_NO), "642538971006401429");
	assert_string_equal(record_get(r, F_PRODUCT_NAME), "가디건, Black, S");
	assert_string_equal(record_get(r, F_OPTION_NAME), "가디건, Black, M");
	assert_string_equal(record_get(r, F_QTY), "");
	assert_string_equal(record_get(r, F_CLAIM_QTY), "1");
	assert_string_equal(record_get(r, F_REQUESTED_AT), "2018-03-05 10:11:12");
	assert_string_equal(record_get(r, F_REASON), "상품 파손 / 모서리 깨짐");
	assert_string_equal(record_get(r, F_RETURN_FEE_PAYER), "SELLER");
	assert_string_equal(record_get(r, F_PICKUP_COURIER), "한진택배");
	assert_string_equal(record_get(r, F_PICKUP_INVOICE_NO), "412345678901");
	assert_string_equal(record_get(r, F_INVOICE_NO), "");
	assert_string_equal(record_get(r, F_REDELIVERY_NAME), "구*숙");
	assert_string_equal(record_get(r, F_REDELIVERY_PHONE), "0503-3333-4444"); /* mobile empty: the phone */
	assert_string_equal(record_get(r, F_REDELIVERY_ZIP), "01000");
	assert_string_equal(record_get(r, F_REDELIVERY_ADDRESS), "서울 강북구 삼양로 2층");
	char box[64], code[32], inv[64];
	coupang_exchange_redelivery(j, box, sizeof box, code, sizeof code, inv, sizeof inv);
	assert_string_equal(box, "197277127");
	assert_string_equal(inv, "");
	record_list_clear(&s.l);
	record_free(&scratch);
	cJSON_Delete(j);

	/* Re-shipped: the invoice of the new box is the row's courier and invoice. */
	static const char *shipped = "{\"exchangeStatus\":\"SUCCESS\",\"deliveryInvoiceGroupDtos\":[{\"shipmentBoxId\":"
				     "710392642812012859,\"deliveryInvoiceDtos\":[{\"invoiceNumber\":\"655544443333\","
				     "\"deliverCode\":\"CJGLS\"}]}]}";
	j = json_parse(shipped, strlen(shipped), &err);
	assert_non_null(j);
	coupang_exchange_redelivery(j, box, sizeof box, code, sizeof code, inv, sizeof inv);
	assert_string_equal(box, "710392642812012859");
	assert_string_equal(code, "CJGLS");
	assert_string_equal(inv, "655544443333");
	cJSON_Delete(j);

	static const struct {
		const char *status;
		enum claim_status want;
	} st[] = {
		{ "RECEIPT", CS_REQUESTED }, { "PROGRESS", CS_APPROVED }, { "SUCCESS", CS_DONE },
		{ "REJECT", CS_REJECTED },   { "CANCEL", CS_WITHDRAWN },  { "ELSE", CS_NONE },
	};
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
		char t[160];
		snprintf(t, sizeof t, "{\"exchangeStatus\":\"%s\",\"modifiedByType\":\"CUSTOMER\"}", st[i].status);
		cJSON *x = cJSON_Parse(t);
		enum claim_status cs;
		enum confirmed_by by;
		coupang_exchange_status(x, &cs, &by);
		assert_int_equal(cs, st[i].want);
		assert_int_equal(by, CB_NONE);
		cJSON_Delete(x);
	}
}

static void test_reject_codes(void **state)
{
	(void)state;
	assert_string_equal(coupang_exchange_reject_code("품절"), "SOLDOUT");
	assert_string_equal(coupang_exchange_reject_code("재고 없어 취소"), "SOLDOUT");
	assert_string_equal(coupang_exchange_reject_code("Out of Stock"), "SOLDOUT");
	assert_string_equal(coupang_exchange_reject_code("SOLDOUT"), "SOLDOUT");
	assert_string_equal(coupang_exchange_reject_code("고객 철회"), "WITHDRAW");
	assert_string_equal(coupang_exchange_reject_code("buyer withdrew"), "WITHDRAW");
	assert_string_equal(coupang_exchange_reject_code("구매자가 교환 취소"), "WITHDRAW");
	assert_null(coupang_exchange_reject_code("사이즈가 맞음"));
	assert_null(coupang_exchange_reject_code(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_ordersheet),
		cmocka_unit_test(test_doc_return),
		cmocka_unit_test(test_claim_matrix),
		cmocka_unit_test(test_return_after_delivery),
		cmocka_unit_test(test_exchange),
		cmocka_unit_test(test_reject_codes),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
