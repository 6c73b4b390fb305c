/* Unified words (see words.h): one table per enum, English then Korean. */
#include "model/words.h"

#include <string.h>
#include <strings.h>

#include "util/str.h"

struct word {
	const char *en;
	const char *ko;
	const char *ko_alt[4]; /* other Korean words accepted on input */
};

static const struct word order_statuses[OS__COUNT] = {
	[OS_NONE] = { "", "", { 0 } },
	[OS_PAID] = { "PAID", "결제완료", { 0 } },
	[OS_PREPARING] = { "PREPARING", "상품준비중", { "배송준비중", "발주확인" } },
	[OS_SHIPPING] = { "SHIPPING", "배송중", { "발송완료", "배송지시" } },
	[OS_DELIVERED] = { "DELIVERED", "배송완료", { 0 } },
	[OS_CONFIRMED] = { "CONFIRMED", "구매확정", { 0 } },
	[OS_CANCELLED] = { "CANCELLED", "취소완료", { "취소" } },
	[OS_RETURNED] = { "RETURNED", "반품완료", { 0 } },
	[OS_EXCHANGED] = { "EXCHANGED", "교환완료", { 0 } },
};

static const struct word claim_statuses[CS__COUNT] = {
	[CS_NONE] = { "", "", { 0 } },
	[CS_REQUESTED] = { "REQUESTED", "요청", { "취소요청", "반품요청", "교환요청" } },
	[CS_APPROVED] = { "APPROVED", "승인", { "출고중지", "취소승인" } },
	[CS_REJECTED] = { "REJECTED", "거부", { "이미출고" } },
	[CS_WITHDRAWN] = { "WITHDRAWN", "철회", { 0 } },
	[CS_DONE] = { "DONE", "완료", { 0 } },
	[CS_HELD] = { "HELD", "보류", { 0 } },
};

static const struct word claim_types[CT__COUNT] = {
	[CT_NONE] = { "", "", { 0 } },
	[CT_CANCEL] = { "CANCEL", "취소", { 0 } },
	[CT_RETURN] = { "RETURN", "반품", { 0 } },
	[CT_EXCHANGE] = { "EXCHANGE", "교환", { 0 } },
};

static const struct word actions[ACT__COUNT] = {
	[ACT_NONE] = { "", "", { 0 } },
	[ACT_ACK] = { "ACK", "발주확인", { "발주", "주문확인" } },
	[ACT_SHIP] = { "SHIP", "발송", { "송장등록", "발송처리", "출고" } },
	[ACT_DELAY] = { "DELAY", "발송지연", { "지연" } },
	[ACT_CANCEL] = { "CANCEL", "판매취소", { "주문취소", "품절취소" } },
	[ACT_APPROVE] = { "APPROVE", "승인", { "취소승인", "반품승인", "교환승인" } },
	[ACT_REJECT] = { "REJECT", "거부", { "취소거부", "반품거부", "교환거부", "이미출고" } },
	[ACT_HOLD] = { "HOLD", "보류", { "반품보류", "교환보류" } },
	[ACT_RESHIP] = { "RESHIP", "재발송", { "교환발송", "재배송" } },
	[ACT_PICKUP] = { "PICKUP", "회수", { "회수송장" } },
};

static const struct word results[RES__COUNT] = {
	[RES_NONE] = { "", "", { 0 } },
	[RES_OK] = { "OK", "성공", { 0 } },
	[RES_FAILED] = { "FAILED", "실패", { 0 } },
	[RES_SKIPPED] = { "SKIPPED", "건너뜀", { 0 } },
	[RES_UNSUPPORTED] = { "UNSUPPORTED", "미지원", { 0 } },
};

static const struct word confirmers[CB__COUNT] = {
	[CB_NONE] = { "", "", { 0 } },
	[CB_SELLER] = { "seller", "판매자", { 0 } },
	[CB_MARKET] = { "market", "마켓", { 0 } },
};

static int word_parse(const struct word *w, int n, const char *s)
{
	char tmp[64];
	if (!s)
		return -1;
	str_copy(tmp, sizeof tmp, s);
	str_trim(tmp);
	if (!*tmp)
		return 0;
	for (int i = 1; i < n; i++) {
		if (strcasecmp(tmp, w[i].en) == 0 || strcmp(tmp, w[i].ko) == 0)
			return i;
		for (int j = 0; j < 4 && w[i].ko_alt[j]; j++)
			if (strcmp(tmp, w[i].ko_alt[j]) == 0)
				return i;
	}
	return -1;
}

#define WORD_FUNCS(prefix, type, table, count)                                     \
	const char *prefix##_word(type v)                                          \
	{                                                                          \
		return (int)v >= 0 && (int)v < (count) ? table[v].en : "";         \
	}                                                                          \
	int prefix##_parse(const char *s)                                          \
	{                                                                          \
		return word_parse(table, (count), s);                              \
	}

WORD_FUNCS(order_status, enum order_status, order_statuses, OS__COUNT)
WORD_FUNCS(claim_status, enum claim_status, claim_statuses, CS__COUNT)
WORD_FUNCS(claim_type, enum claim_type, claim_types, CT__COUNT)
WORD_FUNCS(action, enum action, actions, ACT__COUNT)
WORD_FUNCS(result, enum result, results, RES__COUNT)
WORD_FUNCS(confirmed_by, enum confirmed_by, confirmers, CB__COUNT)

const char *order_status_ko(enum order_status s)
{
	return (int)s >= 0 && s < OS__COUNT ? order_statuses[s].ko : "";
}

const char *claim_status_ko(enum claim_status s)
{
	return (int)s >= 0 && s < CS__COUNT ? claim_statuses[s].ko : "";
}

const char *claim_type_ko(enum claim_type t)
{
	return (int)t >= 0 && t < CT__COUNT ? claim_types[t].ko : "";
}

const char *action_ko(enum action a)
{
	return (int)a >= 0 && a < ACT__COUNT ? actions[a].ko : "";
}

const char *result_ko(enum result r)
{
	return (int)r >= 0 && r < RES__COUNT ? results[r].ko : "";
}

int action_on_orders(enum action a)
{
	return a == ACT_ACK || a == ACT_SHIP || a == ACT_DELAY || a == ACT_CANCEL;
}
