/* 11st rows -> unified records: order lines of the order lists (complete,
 * packaging, shipping, dlvcompleted, orderlistalladdr), claim lines of the
 * cancel lists (cancelorders, canceledorders, withdrawcanceledorders) and of the
 * return and exchange lists (returnorders, returnedorders, retractretorders,
 * exchangeorders, exchangedorders, retractexcorders). Every id stays text:
 * ordNo has 17 digits, dlvNo and prdStckNo exceed 32 bits. */
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

bool est_money(const char *s, int64_t *out)
{
	/* "6,000" -> 6000. A value too long for the buffer is refused rather than
	 * cut, which would read as a smaller amount. */
	char tmp[32];
	size_t k = 0;
	for (; *s; s++) {
		if (*s == ',')
			continue;
		if (k + 1 >= sizeof tmp)
			return false;
		tmp[k++] = *s;
	}
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
	/* The order lists carry no ordCnQty; their ordAmt is "unit price x qty
	 * (order - cancel - return) + option amount" (11st.md §2) while ordQty
	 * stays as ordered, so a partial cancel shows in the amount. Used only
	 * when it divides exactly, so a price rule we do not know cannot invent
	 * a cancel. */
	int64_t amt = 0, price = 0, opt = 0;
	if (!*cq && has_qty && est_money(V(&v, "ordAmt"), &amt) && est_money(V(&v, "selPrc"), &price) && price > 0) {
		if (!est_money(V(&v, "ordOptWonStl"), &opt))
			opt = 0;
		int64_t net = amt - opt;
		if (net >= 0 && net % price == 0 && net / price <= qty)
			cancelled = qty - net / price;
	}
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
	if (est_money(V(&v, "selPrc"), &m))
		rc |= record_set_i64(out, F_UNIT_PRICE, m);
	/* discount = seller discount + 11st discount, so that qty x unit price
	 * (+ option amount) + shipping - discount = paid_amount, the buyer's
	 * payment (the doc example: 19000 - 2280 - 410 = 16310). The 11st-funded
	 * part is not the seller's cost; settlement (stlPlnAmt) is not in the sheet. */
	int64_t d1 = 0, d2 = 0;
	bool h1 = est_money(V(&v, "sellerDscPrc"), &d1), h2 = est_money(V(&v, "tmallDscPrc"), &d2);
	if (h1 || h2)
		rc |= record_set_i64(out, F_DISCOUNT, d1 + d2);
	/* dlvCst as 11st gives it on the row. */
	if (est_money(V(&v, "dlvCst"), &m))
		rc |= record_set_i64(out, F_SHIPPING_FEE, m);
	if (est_money(V(&v, "ordPayAmt"), &m))
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

/* --- returns and exchanges (§10) --- */

static const struct est_retex_list retex_lists[] = {
	{ "returnorders", CT_RETURN, EST_RX_OPEN },
	{ "returnedorders", CT_RETURN, EST_RX_DONE },
	{ "retractretorders", CT_RETURN, EST_RX_WITHDRAWN },
	{ "exchangeorders", CT_EXCHANGE, EST_RX_OPEN },
	{ "exchangedorders", CT_EXCHANGE, EST_RX_DONE },
	{ "retractexcorders", CT_EXCHANGE, EST_RX_WITHDRAWN },
};

const struct est_retex_list *elevenst_retex_list(const char *name)
{
	for (size_t i = 0; name && i < sizeof retex_lists / sizeof retex_lists[0]; i++)
		if (strcmp(retex_lists[i].name, name) == 0)
			return &retex_lists[i];
	return NULL;
}

const struct est_retex_list *elevenst_retex_lists(enum claim_type type, enum est_retex_kind kind)
{
	for (size_t i = 0; i < sizeof retex_lists / sizeof retex_lists[0]; i++)
		if (retex_lists[i].type == type && retex_lists[i].kind == kind)
			return &retex_lists[i];
	return NULL;
}

enum claim_status elevenst_retex_status(const char *clm_stat, enum est_retex_kind kind)
{
	/* The completed and withdrawn lists say what happened whatever clmStat
	 * the row carries (221 교환발송완료 is on exchangedorders once done). */
	if (kind == EST_RX_DONE)
		return CS_DONE;
	if (kind == EST_RX_WITHDRAWN)
		return CS_WITHDRAWN;
	static const struct {
		const char *code;
		enum claim_status cs;
	} map[] = {
		/* 재결제대기중: the buyer owes the return fee; nothing for the
		 * seller yet, but the claim is open. */
		{ "103", CS_REQUESTED },
		{ "104", CS_HELD },      /* 반품보류 */
		{ "105", CS_REQUESTED }, /* 반품신청 */
		{ "106", CS_DONE },      /* 반품완료 */
		{ "107", CS_REJECTED },  /* 반품거부 */
		{ "108", CS_WITHDRAWN }, /* 반품철회 */
		{ "109", CS_HELD },      /* 반품완료보류: held, auto-complete stopped */
		{ "201", CS_REQUESTED }, /* 교환신청 */
		{ "212", CS_APPROVED },  /* 교환승인 */
		{ "214", CS_HELD },      /* 교환보류 (SellerOffice only) */
		{ "221", CS_APPROVED },  /* 교환발송완료: re-shipped, not yet completed */
		{ "232", CS_REJECTED },  /* 교환거부 */
		{ "233", CS_WITHDRAWN }, /* 교환철회 */
		{ "301", CS_APPROVED },  /* 재배송접수 */
		{ "302", CS_DONE },      /* 재배송완료 */
	};
	for (size_t i = 0; clm_stat && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].code, clm_stat) == 0)
			return map[i].cs;
	return CS_NONE;
}

/* clmReqRsn (returns and exchanges, [D-1643]) with whose fault it is: 'B'
 * buyer, 'S' seller, 0 not said. */
static const struct {
	const char *code;
	char fault;
	const char *text;
} retex_reasons[] = {
	{ "101", 'B', "상품에 이상 없으나 구매 의사 없어짐" },
	{ "105", 'S', "상품이 상품상세 정보와 틀림" },
	{ "108", 'S', "다른 상품이 잘못 배송됨" },
	{ "110", 'B', "사이즈, 색상 등을 잘못 선택함" },
	{ "111", 'S', "배송된 상품의 파손/하자/포장 불량" },
	{ "112", 'S', "상품이 도착하고 있지 않음" },
	{ "113", 'B', "기타(구매자 책임사유)" },
	{ "114", 'B', "구매자 귀책으로 교환을 반품으로 전환" },
	{ "115", 'S', "판매자 귀책으로 교환을 반품으로 전환" },
	{ "116", 'S', "기타(판매자 책임사유)" },
	{ "117", 'S', "전세계배송 국내통관 거부" },
	{ "118", 'S', "전세계배송 30kg 초과" },
	{ "119", 'B', "전세계배송(추가 해외배송비 미결제)" },
	{ "121", 'B', "구매하고 싶지않거나 색상/사이즈 잘못 선택" },
	{ "122", 'S', "배송된 상품 파손/하자/불량" },
	{ "123", 'S', "배송지연, 상품 품질 문제 등" },
	{ "125", 0, "상품 구성 중 일부가 배송되지 않음" },
	{ "126", 0, "품절 안내를 받음" },
	{ "198", 'S', "수취확인후 직권취소(판매자 책임)" },
	{ "199", 'B', "수취확인후 직권취소(구매자 책임)" },
	{ "206", 'B', "사이즈 또는 색상 등을 잘못 선택함" },
	{ "207", 'S', "배송된 상품의 파손/하자/포장 불량" },
	{ "208", 'S', "다른 상품이 잘못 배송됨" },
	{ "209", 'S', "품절 등의 사유로 판매자 협의 후 교환" },
	{ "210", 'S', "상품이 상품상세 정보와 틀림" },
	{ "211", 'B', "기타(구매자 책임사유)" },
	{ "212", 'B', "구매자 귀책으로 반품을 교환으로 전환" },
	{ "213", 'S', "판매자 귀책으로 반품을 교환으로 전환" },
	{ "214", 'S', "기타(판매자 책임사유)" },
};

const char *elevenst_retex_reason(const char *code)
{
	for (size_t i = 0; code && i < sizeof retex_reasons / sizeof retex_reasons[0]; i++)
		if (strcmp(retex_reasons[i].code, code) == 0)
			return retex_reasons[i].text;
	return "";
}

const char *elevenst_fee_payer(const char *respn_clf, const char *cst_mthd, const char *rsn)
{
	/* Most direct first: the completed list's dlvCstRespnClf says who paid;
	 * a payment method (card, points, in the box, transfer, deducted from the
	 * refund) means the buyer pays; then the reason's fault; clmDlvCstMthd
	 * null is documented as "the reason is the seller's". */
	if (str_eq(respn_clf, "01"))
		return "BUYER";
	if (str_eq(respn_clf, "02"))
		return "SELLER";
	if (cst_mthd && *cst_mthd)
		return "BUYER";
	for (size_t i = 0; rsn && i < sizeof retex_reasons / sizeof retex_reasons[0]; i++)
		if (strcmp(retex_reasons[i].code, rsn) == 0 && retex_reasons[i].fault)
			return retex_reasons[i].fault == 'B' ? "BUYER" : "SELLER";
	return rsn && *rsn ? "SELLER" : "";
}

int elevenst_map_retex(const struct elevenst *st, const struct est_reply *r, size_t i, const struct est_reply *r2,
		       size_t i2, const struct est_retex_list *li, struct record *out)
{
	/* Claim values from the claim row only (the detail row's quantities are
	 * the line's); the detail row adds product name, order quantity and dlvNo. */
	struct view v = { r, r2, i, i2 };
	record_clear(out);
	out->sheet = SHEET_CLAIMS;
	int rc = 0;
	const char *stat = est_get(r, i, "clmStat");
	enum claim_status cs = elevenst_retex_status(stat, li->kind);
	/* A rejection, a hold or an approval is the seller's (11st has no CS
	 * decision on these lists); completion may be 11st's auto-complete. */
	enum confirmed_by by = cs == CS_REJECTED || cs == CS_HELD || cs == CS_APPROVED ? CB_SELLER : CB_NONE;
	rc |= record_set(out, F_MARKET, "11st");
	rc |= record_set(out, F_ACCOUNT, st->base.acct->name);
	rc |= record_set(out, F_CLAIM_ID, est_get(r, i, "clmReqSeq"));
	rc |= record_set(out, F_CLAIM_TYPE, claim_type_word(li->type));
	rc |= record_set(out, F_CLAIM_STATUS, claim_status_word(cs));
	rc |= record_set(out, F_MARKET_STATUS, stat);
	rc |= record_set(out, F_ORDER_NO, est_get(r, i, "ordNo"));
	rc |= record_set(out, F_LINE_NO, est_get(r, i, "ordPrdSeq"));
	rc |= record_set(out, F_BUNDLE_NO, r2 ? est_get(r2, i2, "dlvNo") : "");
	rc |= record_set(out, F_PRODUCT_NAME, r2 ? est_get(r2, i2, "prdNm") : "");
	const char *opt = est_get(r, i, "optName");
	rc |= record_set(out, F_OPTION_NAME, *opt ? opt : V(&v, "slctPrdOptNm"));
	int64_t qty = -1, cq = -1;
	bool has_qty = r2 && str_to_i64(est_get(r2, i2, "ordQty"), &qty) == 0;
	bool has_cq = str_to_i64(est_get(r, i, "clmReqQty"), &cq) == 0;
	if (has_qty)
		rc |= record_set_i64(out, F_QTY, qty);
	if (has_cq)
		rc |= record_set_i64(out, F_CLAIM_QTY, cq);
	if (has_qty && has_cq)
		rc |= record_set_i64(out, F_REMAINING_QTY, qty > cq ? qty - cq : 0);
	rc |= set_time(out, F_REQUESTED_AT, est_get(r, i, "reqDt"));
	const char *code = est_get(r, i, "clmReqRsn"), *text = est_get(r, i, "clmReqCont");
	const char *label = elevenst_retex_reason(code);
	if (!*label)
		label = code; /* an undocumented code still says something */
	rc |= record_setf(out, F_REASON, "%s%s%s", label, *label && *text ? " / " : "", text);
	rc |= record_set(out, F_CONFIRMED_BY, confirmed_by_word(by));
	rc |= record_set(out, F_RETURN_FEE_PAYER, elevenst_fee_payer(est_get(r, i, "dlvCstRespnClf"),
								     est_get(r, i, "clmDlvCstMthd"), code));
	const char *pinv = est_get(r, i, "twPrdInvcNo");
	if (*pinv) {
		rc |= record_set(out, F_PICKUP_COURIER, elevenst_courier_name(est_get(r, i, "dlvEtprsCd")));
		rc |= record_set(out, F_PICKUP_INVOICE_NO, pinv);
	}
	/* The return fee the buyer owes (clmLstDlvCst), only when it is the
	 * buyer's: a seller-fault row may still carry the amount 11st would charge. */
	int64_t fee;
	if (est_money(est_get(r, i, "clmLstDlvCst"), &fee) && fee > 0 &&
	    str_eq(record_get(out, F_RETURN_FEE_PAYER), "BUYER"))
		rc |= record_set_i64(out, F_EXTRA_FEE, fee);
	if (li->type == CT_EXCHANGE) {
		rc |= record_set(out, F_REDELIVERY_NAME, est_get(r, i, "exchNm"));
		rc |= set_phone(out, F_REDELIVERY_PHONE, est_get(r, i, "exchPrtblTel"), est_get(r, i, "exchTlphnNo"));
		rc |= record_set(out, F_REDELIVERY_ZIP, est_get(r, i, "exchMailNo"));
		const char *a1 = est_get(r, i, "exchBaseAddr"), *a2 = est_get(r, i, "exchDtlsAddr");
		rc |= record_setf(out, F_REDELIVERY_ADDRESS, "%s%s%s", a1, *a1 && *a2 ? " " : "", a2);
	}
	return rc ? OB_EIO : OB_OK;
}
