/* Coupang JSON -> unified records, on the example payloads printed in
 * coupang.md (§3 ordersheet, §7 return request), and the claim-status matrix of
 * the lifecycle notes (receiptStatus x releaseStopStatus x completeConfirmType). */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_ordersheet),
		cmocka_unit_test(test_doc_return),
		cmocka_unit_test(test_claim_matrix),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
