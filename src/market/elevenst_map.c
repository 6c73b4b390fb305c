/* 11st rows -> unified records: order lines of the order lists (complete,
 * packaging, shipping, dlvcompleted, orderlistalladdr) and claim lines of the
 * cancel lists (cancelorders, canceledorders, withdrawcanceledorders). Every id
 * stays text: ordNo has 17 digits, dlvNo and prdStckNo exceed 32 bits. */
#include <stdio.h>
#include <string.h>

#include "market/couriers.h"
#include "market/elevenst_int.h"
#include "util/config.h"
#include "util/kst.h"
#include "util/str.h"

const char *elevenst_order_status(const char *s)
{
	static const struct {
		const char *code;
		enum order_status unified;
	} map[] = {
		{ "202", OS_PAID },      { "301", OS_PREPARING }, { "401", OS_SHIPPING },
		{ "501", OS_DELIVERED }, { "901", OS_CONFIRMED }, { "A01", OS_RETURNED },
		{ "B01", OS_CANCELLED }, { "C01", OS_CANCELLED },
		/* 취소처리중: acknowledged and waiting for the seller's answer to a
		 * cancel request; not shipped, so it still belongs with PREPARING
		 * (market_status says 701, and SHIP refuses it). */
		{ "701", OS_PREPARING },
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].code, s) == 0)
			return order_status_word(map[i].unified);
	/* 601 (claim in progress), 801 (awaiting re-approval) and the unpaid
	 * codes have no unified word; market_status keeps them. */
	return "";
}

const char *elevenst_courier_name(const char *code)
{
	const struct courier *c = code && *code ? courier_by_code("11st", code) : NULL;
	return c ? c->name_ko : code ? code : "";
}

/* Reason codes of the cancel lists (§7); 06-10 read differently when the
 * seller registered the cancel. */
const char *elevenst_cancel_reason(const char *code, const char *who)
{
	static const struct {
		const char *code, *buyer, *seller;
	} map[] = {
		{ "00", "무통장 미입금 취소", NULL },
		{ "01", "구매의사 취소", NULL },
		{ "04", "판매자의 배송 처리가 늦음", NULL },
		{ "06", "상품 정보가 잘못됨", "배송 지연 예상" },
		{ "07", "동일 상품 재주문", "상품/가격 정보 잘못 입력" },
		{ "08", "품절/재고없음", "상품 품절(전체옵션)" },
		{ "09", "11번가 내 다른 상품으로 재주문", "옵션 품절(해당옵션)" },
		{ "10", "타사이트 상품 주문", "고객변심" },
		{ "11", "구매 의사 없어짐", NULL },
		{ "12", "기타(구매자 책임사유)", NULL },
		{ "13", "기타(판매자 책임사유)", NULL },
		{ "14", "구매의사 없어짐", NULL },
		{ "15", "색상/사이즈/주문정보 변경", NULL },
		{ "16", "다른 상품 잘못 주문", NULL },
		{ "17", "배송지연으로 취소", NULL },
		{ "18", "상품품절, 재고없음", NULL },
		{ "99", "기타", NULL },
	};
	bool seller = str_eq(who, "02");
	for (size_t i = 0; code && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].code, code) == 0)
			return seller && map[i].seller ? map[i].seller : map[i].buyer;
	return "";
}

/* Two sources for one line: the list row, then the detail row when the list
 * row lacks a value. */
struct view {
	const struct est_reply *r, *r2;
	size_t i, i2;
};

static const char *V(const struct view *v, const char *name)
{
	const char *s = est_get(v->r, v->i, name);
	if (!*s && v->r2)
		s = est_get(v->r2, v->i2, name);
	return s;
}

/* KRW amount; 11st writes some with a thousands comma ("6,000"). */
static bool money(const char *s, int64_t *out)
{
	char tmp[32];
	size_t k = 0;
	for (; *s && k + 1 < sizeof tmp; s++)
		if (*s != ',')
			tmp[k++] = *s;
	tmp[k] = '\0';
	return k > 0 && str_to_i64(tmp, out) == 0;
}

static int set_time(struct record *r, enum field_id f, const char *v)
{
	char out[KST_TEXT_LEN];
	if (!*v || kst_normalize(v, out) < 0)
		return record_set(r, f, NULL);
	return record_set(r, f, out);
}

/* A phone 11st filled with dashes only ("02--") is no phone. */
static int set_phone(struct record *r, enum field_id f, const char *a, const char *b)
{
	const char *pick[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		int digits = 0;
		for (const char *p = pick[k]; *p; p++)
			digits += *p >= '0' && *p <= '9';
		if (digits >= 7)
			return record_set(r, f, pick[k]);
	}
	return record_set(r, f, NULL);
}

int elevenst_map_order(const struct elevenst *st, const struct est_reply *r, size_t i, const struct est_reply *r2,
		       size_t i2, const char *default_stat, struct record *out)
{
	struct view v = { r, r2, i, i2 };
	record_clear(out);
	out->sheet = SHEET_ORDERS;
	int rc = 0;
	rc |= record_set(out, F_MARKET, "11st");
	rc |= record_set(out, F_ACCOUNT, st->base.acct->name);
	rc |= record_set(out, F_ORDER_NO, V(&v, "ordNo"));
	rc |= record_set(out, F_LINE_NO, V(&v, "ordPrdSeq"));
	rc |= record_set(out, F_BUNDLE_NO, V(&v, "dlvNo"));
	const char *stat = V(&v, "ordPrdStat");
	if (!*stat)
		stat = default_stat ? default_stat : "";
	int64_t qty = -1, cancelled = 0;
	bool has_qty = str_to_i64(V(&v, "ordQty"), &qty) == 0;
	const char *cq = V(&v, "ordCnQty");
	if (*cq && str_to_i64(cq, &cancelled) < 0)
		cancelled = 0;
	const char *unified = elevenst_order_status(stat);
	if (has_qty && qty > 0 && cancelled >= qty)
		unified = order_status_word(OS_CANCELLED);
	rc |= record_set(out, F_STATUS, unified);
	rc |= record_set(out, F_MARKET_STATUS, stat);
	rc |= set_time(out, F_ORDERED_AT, V(&v, "ordDt"));
	rc |= set_time(out, F_PAID_AT, V(&v, "ordStlEndDt"));
	rc |= record_set(out, F_PRODUCT_ID, V(&v, "prdNo"));
	rc |= record_set(out, F_OPTION_ID, V(&v, "prdStckNo"));
	const char *sku = V(&v, "sellerPrdCd");
	rc |= record_set(out, F_SELLER_SKU, *sku ? sku : V(&v, "sellerStockCd"));
	rc |= record_set(out, F_PRODUCT_NAME, V(&v, "prdNm"));
	rc |= record_set(out, F_OPTION_NAME, V(&v, "slctPrdOptNm"));
	if (has_qty) {
		rc |= record_set_i64(out, F_QTY, qty);
		rc |= record_set_i64(out, F_CANCEL_QTY, cancelled);
		rc |= record_set_i64(out, F_SHIP_QTY, qty > cancelled ? qty - cancelled : 0);
	}
	int64_t m;
	if (money(V(&v, "selPrc"), &m))
		rc |= record_set_i64(out, F_UNIT_PRICE, m);
	/* discount = seller discount + 11st discount, so that qty x unit price
	 * (+ option amount) + shipping - discount = paid_amount, the buyer's
	 * payment (the doc example: 19000 - 2280 - 410 = 16310). The 11st-funded
	 * part is not the seller's cost; settlement (stlPlnAmt) is not in the sheet. */
	int64_t d1 = 0, d2 = 0;
	bool h1 = money(V(&v, "sellerDscPrc"), &d1), h2 = money(V(&v, "tmallDscPrc"), &d2);
	if (h1 || h2)
		rc |= record_set_i64(out, F_DISCOUNT, d1 + d2);
	/* dlvCst as 11st gives it on the row. */
	if (money(V(&v, "dlvCst"), &m))
		rc |= record_set_i64(out, F_SHIPPING_FEE, m);
	if (money(V(&v, "ordPayAmt"), &m))
		rc |= record_set_i64(out, F_PAID_AMOUNT, m);
	rc |= record_set(out, F_BUYER_NAME, V(&v, "ordNm"));
	rc |= set_phone(out, F_BUYER_PHONE, V(&v, "ordPrtblTel"), V(&v, "ordTlphnNo"));
	rc |= record_set(out, F_RECEIVER_NAME, V(&v, "rcvrNm"));
	rc |= set_phone(out, F_RECEIVER_PHONE, V(&v, "rcvrPrtblNo"), V(&v, "rcvrTlphn"));
	rc |= record_set(out, F_ZIP, V(&v, "rcvrMailNo"));
	rc |= record_set(out, F_ADDRESS1, V(&v, "rcvrBaseAddr"));
	rc |= record_set(out, F_ADDRESS2, V(&v, "rcvrDtlsAddr"));
	rc |= record_set(out, F_DELIVERY_NOTE, V(&v, "ordDlvReqCont"));
	const char *inv = V(&v, "invcNo");
	if (*inv) {
		rc |= record_set(out, F_COURIER, elevenst_courier_name(V(&v, "dlvEtprsCd")));
		rc |= record_set(out, F_INVOICE_NO, inv);
		rc |= set_time(out, F_SHIPPED_AT, V(&v, "sndEndDt"));
	}
	char day[KST_TEXT_LEN];
	if (kst_normalize(V(&v, "delaySendDt"), day) == 0) {
		day[10] = '\0';
		rc |= record_set(out, F_DELAY_UNTIL, day);
	}
	/* What reqpackaging needs besides the sheet's keys; actions re-read it
	 * anyway, so a sheet without it still works. */
	const char *add_yn = V(&v, "addPrdYn"), *add_no = V(&v, "addPrdNo"), *prd = V(&v, "prdNo");
	rc |= record_setf(out, F_REF, "addPrdYn=%s;addPrdNo=%s;prdNo=%s", *add_yn ? add_yn : "N",
			  *add_no ? add_no : "0", prd);
	return rc ? OB_EIO : OB_OK;
}

int elevenst_map_claim(const struct elevenst *st, const struct est_reply *r, size_t i, const struct est_reply *r2,
		       size_t i2, struct record *out)
{
	/* Claim values come from the claim row only: the detail row's ordCnQty
	 * is the line's cancelled total, not this claim's. */
	struct view v = { r, r2, i, i2 };
	record_clear(out);
	out->sheet = SHEET_CLAIMS;
	int rc = 0;
	const char *stat = est_get(r, i, "ordCnStatCd");
	enum claim_status cs = str_eq(stat, "01") ? CS_REQUESTED : str_eq(stat, "02") ? CS_DONE :
			       str_eq(stat, "05") ? CS_WITHDRAWN : CS_NONE;
	const char *who = est_get(r, i, "ordCnMnbdCd");
	enum confirmed_by by = CB_NONE;
	if (str_eq(est_get(r, i, "ordCnTypCd"), "02"))
		by = CB_MARKET; /* 발송지연직권취소: 11st cancelled it for late shipping */
	else if (str_eq(who, "02"))
		by = CB_SELLER;
	rc |= record_set(out, F_MARKET, "11st");
	rc |= record_set(out, F_ACCOUNT, st->base.acct->name);
	rc |= record_set(out, F_CLAIM_ID, est_get(r, i, "ordPrdCnSeq"));
	rc |= record_set(out, F_CLAIM_TYPE, claim_type_word(CT_CANCEL));
	rc |= record_set(out, F_CLAIM_STATUS, claim_status_word(cs));
	rc |= record_set(out, F_MARKET_STATUS, stat);
	rc |= record_set(out, F_ORDER_NO, est_get(r, i, "ordNo"));
	rc |= record_set(out, F_LINE_NO, est_get(r, i, "ordPrdSeq"));
	rc |= record_set(out, F_BUNDLE_NO, V(&v, "dlvNo"));
	rc |= record_set(out, F_PRODUCT_NAME, V(&v, "prdNm"));
	rc |= record_set(out, F_OPTION_NAME, V(&v, "slctPrdOptNm"));
	int64_t qty = -1, cq = -1;
	bool has_qty = str_to_i64(V(&v, "ordQty"), &qty) == 0;
	bool has_cq = str_to_i64(est_get(r, i, "ordCnQty"), &cq) == 0;
	if (has_qty)
		rc |= record_set_i64(out, F_QTY, qty);
	if (has_cq)
		rc |= record_set_i64(out, F_CLAIM_QTY, cq);
	if (has_qty && has_cq)
		rc |= record_set_i64(out, F_REMAINING_QTY, qty > cq ? qty - cq : 0);
	rc |= set_time(out, F_REQUESTED_AT, est_get(r, i, "createDt"));
	const char *code = est_get(r, i, "ordCnRsnCd"), *text = est_get(r, i, "ordCnDtlsRsn");
	const char *label = elevenst_cancel_reason(code, who);
	rc |= record_setf(out, F_REASON, "%s%s%s", label, *label && *text ? " / " : "", text);
	rc |= record_set(out, F_CONFIRMED_BY, confirmed_by_word(by));
	return rc ? OB_EIO : OB_OK;
}
