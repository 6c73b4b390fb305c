/* SmartStore returns and exchanges: detail JSON (tests/data/smartstore/
 * returns_query.json, shapes of smartstore.md B7) -> claims rows (status with
 * the hold, request quantity beside the line's, fee payer, pickup and
 * re-delivery columns, the object under currentClaim, a withdrawn cancel
 * beside a later return), the claimStatus table, the holdbackClassType
 * picker and the action specs per claim type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/smartstore_int.h"
#include "model/record_list.h"
#include "util/config.h"
#include "util/json.h"

extern const struct market_ops smartstore_ops;

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
static struct smartstore ss;
static cJSON *fixture;
static struct list_sink rows;

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("OB_TEST_DATA");
	char path[4096];
	snprintf(path, sizeof path, "%s/smartstore/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	if (text)
		text[n] = '\0';
	*len = (size_t)n;
	return text;
}

static int setup(void **state)
{
	(void)state;
	memset(&acct, 0, sizeof acct);
	strcpy(acct.name, "main");
	strcpy(acct.id, "smartstore.main");
	memset(&ss, 0, sizeof ss);
	ss.base.acct = &acct;
	strcpy(ss.base.who, "smartstore.main");
	size_t len = 0;
	char *text = slurp("returns_query.json", &len);
	if (!text)
		return -1;
	struct ob_err err = OB_ERR_INIT;
	fixture = json_parse(text, len, &err);
	free(text);
	if (!fixture)
		return -1;
	rows.base.put = list_put;
	rows.l = (struct record_list)RECORD_LIST_INIT;
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	const cJSON *el;
	int rc = OB_OK;
	cJSON_ArrayForEach(el, json_get(fixture, "data"))
	if (rc == OB_OK)
		rc = smartstore_map_detail(&ss, el, &rows.base, &scratch, &err);
	record_free(&scratch);
	return rc == OB_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	record_list_clear(&rows.l);
	cJSON_Delete(fixture);
	return 0;
}

static const struct record *find(enum sheet_kind sheet, const char *line, const char *type)
{
	for (size_t i = 0; i < rows.l.n; i++) {
		const struct record *r = &rows.l.items[i];
		if (r->sheet == sheet && strcmp(record_get(r, F_LINE_NO), line) == 0 &&
		    (!type || strcmp(record_get(r, F_CLAIM_TYPE), type) == 0))
			return r;
	}
	return NULL;
}

#define F(r, f) record_get((r), (f))

static void test_row_counts(void **state)
{
	(void)state;
	size_t orders = 0, claims = 0;
	for (size_t i = 0; i < rows.l.n; i++)
		rows.l.items[i].sheet == SHEET_ORDERS ? orders++ : claims++;
	/* Five product orders, five returns/exchanges and one withdrawn cancel. */
	assert_int_equal(orders, 5);
	assert_int_equal(claims, 6);
}

static void test_partial_return_request(void **state)
{
	(void)state;
	const struct record *c = find(SHEET_CLAIMS, "2022051540000001", "RETURN");
	assert_non_null(c);
	assert_string_equal(F(c, F_CLAIM_ID), "2022051810000001");
	assert_string_equal(F(c, F_CLAIM_STATUS), "REQUESTED");
	assert_string_equal(F(c, F_MARKET_STATUS), "RETURN_REQUEST");
	assert_string_equal(F(c, F_QTY), "3");
	assert_string_equal(F(c, F_CLAIM_QTY), "1");
	assert_string_equal(F(c, F_REMAINING_QTY), "2");
	assert_string_equal(F(c, F_REQUESTED_AT), "2022-05-18 11:00:00");
	assert_string_equal(F(c, F_REASON), "INTENT_CHANGED / 하나만 필요해요");
	/* "3000" as a string still counts: the buyer pays the trip. */
	assert_string_equal(F(c, F_RETURN_FEE_PAYER), "BUYER");
	assert_string_equal(F(c, F_PICKUP_COURIER), "CJ대한통운");
	assert_string_equal(F(c, F_PICKUP_INVOICE_NO), "640000000111");
	/* A return's courier/invoice columns stay free (RESHIP is for exchanges). */
	assert_string_equal(F(c, F_INVOICE_NO), "");
	assert_string_equal(F(c, F_CONFIRMED_BY), "");
	const struct record *o = find(SHEET_ORDERS, "2022051540000001", NULL);
	assert_non_null(o);
	assert_string_equal(F(o, F_STATUS), "DELIVERED");
	assert_string_equal(F(o, F_MARKET_STATUS), "DELIVERED/RETURN_REQUEST");
	assert_string_equal(F(o, F_CANCEL_QTY), "0");
	assert_string_equal(F(o, F_CLAIM_ID), "2022051810000001");
}

static void test_held_return(void **state)
{
	(void)state;
	const struct record *c = find(SHEET_CLAIMS, "2022051540000002", "RETURN");
	assert_non_null(c);
	/* The hold wins over COLLECT_DONE; its class, words and amount go to the
	 * reason, not to the seller's input columns. */
	assert_string_equal(F(c, F_CLAIM_STATUS), "HELD");
	assert_string_equal(F(c, F_MARKET_STATUS), "COLLECT_DONE/HOLDBACK");
	assert_string_equal(F(c, F_REASON), "COLOR_AND_SIZE [보류 EXTRAFEEE: 포장 훼손, 5000원]");
	assert_string_equal(F(c, F_SELLER_REASON), "");
	assert_string_equal(F(c, F_EXTRA_FEE), "");
	/* 6,000 demanded and 6,000 discounted: nothing for the buyer. */
	assert_string_equal(F(c, F_RETURN_FEE_PAYER), "SELLER");
	assert_string_equal(F(c, F_PICKUP_INVOICE_NO), "");
}

static void test_done_under_current_claim(void **state)
{
	(void)state;
	const struct record *c = find(SHEET_CLAIMS, "2022051540000003", "RETURN");
	assert_non_null(c);
	assert_string_equal(F(c, F_CLAIM_ID), "2022051810000003");
	assert_string_equal(F(c, F_CLAIM_STATUS), "DONE");
	assert_string_equal(F(c, F_MARKET_STATUS), "RETURN_DONE/RELEASED");
	assert_string_equal(F(c, F_CLAIM_QTY), "2");
	assert_string_equal(F(c, F_REMAINING_QTY), "0");
	/* No fee in the detail: BROKEN is the seller's fault. */
	assert_string_equal(F(c, F_RETURN_FEE_PAYER), "SELLER");
	/* The earlier cancel the buyer withdrew is still its own row. */
	const struct record *k = find(SHEET_CLAIMS, "2022051540000003", "CANCEL");
	assert_non_null(k);
	assert_string_equal(F(k, F_CLAIM_STATUS), "WITHDRAWN");
	assert_string_equal(F(k, F_CLAIM_ID), "2022051610000003");
	const struct record *o = find(SHEET_ORDERS, "2022051540000003", NULL);
	assert_non_null(o);
	assert_string_equal(F(o, F_STATUS), "RETURNED");
	assert_string_equal(F(o, F_MARKET_STATUS), "RETURNED/RETURN_DONE");
	assert_string_equal(F(o, F_CANCEL_QTY), "0");
}

static void test_exchange_redelivering(void **state)
{
	(void)state;
	const struct record *c = find(SHEET_CLAIMS, "2022051540000004", "EXCHANGE");
	assert_non_null(c);
	assert_string_equal(F(c, F_CLAIM_STATUS), "APPROVED");
	assert_string_equal(F(c, F_CONFIRMED_BY), "seller");
	assert_string_equal(F(c, F_MARKET_STATUS), "EXCHANGE_REDELIVERING");
	assert_string_equal(F(c, F_REASON), "WRONG_OPTION / L을 주문했어요");
	assert_string_equal(F(c, F_RETURN_FEE_PAYER), "SELLER");
	assert_string_equal(F(c, F_PICKUP_COURIER), "한진택배");
	assert_string_equal(F(c, F_PICKUP_INVOICE_NO), "512345678111");
	assert_string_equal(F(c, F_COURIER), "한진택배");
	assert_string_equal(F(c, F_INVOICE_NO), "512345678222");
	assert_string_equal(F(c, F_SHIPPED_AT), "2022-05-19 15:00:00");
	assert_string_equal(F(c, F_REDELIVERY_NAME), "이서연");
	assert_string_equal(F(c, F_REDELIVERY_PHONE), "010-2222-3333");
	assert_string_equal(F(c, F_REDELIVERY_ZIP), "04524");
	assert_string_equal(F(c, F_REDELIVERY_ADDRESS), "서울특별시 중구 세종대로 110 101호");
}

static void test_exchange_withdrawn_unknown_reason(void **state)
{
	(void)state;
	const struct record *c = find(SHEET_CLAIMS, "2022051540000005", "EXCHANGE");
	assert_non_null(c);
	assert_string_equal(F(c, F_CLAIM_STATUS), "WITHDRAWN");
	/* No fee and a reason B13 does not list: nobody is named. */
	assert_string_equal(F(c, F_RETURN_FEE_PAYER), "");
	assert_string_equal(F(c, F_REDELIVERY_ADDRESS), "");
}

static enum claim_status status_of(const char *st, const char *hold, bool ex, enum confirmed_by *by)
{
	cJSON *o = cJSON_CreateObject();
	assert_non_null(o);
	if (st)
		cJSON_AddStringToObject(o, "claimStatus", st);
	if (hold)
		cJSON_AddStringToObject(o, "holdbackStatus", hold);
	enum claim_status cs = smartstore_retex_status(o, ex, by);
	cJSON_Delete(o);
	return cs;
}

static void test_status_table(void **state)
{
	(void)state;
	static const struct {
		const char *st, *hold;
		bool ex;
		enum claim_status want;
		enum confirmed_by by;
	} t[] = {
		{ "RETURN_REQUEST", "NOT_YET", false, CS_REQUESTED, CB_NONE },
		{ "COLLECTING", NULL, false, CS_REQUESTED, CB_NONE },
		/* The courier's collection: still the seller's to approve. */
		{ "COLLECT_DONE", "RELEASED", false, CS_REQUESTED, CB_NONE },
		{ "COLLECT_DONE", "HOLDBACK", false, CS_HELD, CB_NONE },
		{ "RETURN_REQUEST", "HOLDBACK", false, CS_HELD, CB_NONE },
		{ "RETURN_DONE", NULL, false, CS_DONE, CB_NONE },
		{ "RETURN_DONE", "HOLDBACK", false, CS_DONE, CB_NONE },
		{ "RETURN_REJECT", NULL, false, CS_WITHDRAWN, CB_NONE },
		{ "EXCHANGE_REJECT", NULL, false, CS_NONE, CB_NONE },
		{ "CANCEL_REQUEST", NULL, false, CS_NONE, CB_NONE },
		{ NULL, NULL, false, CS_NONE, CB_NONE },
		{ "EXCHANGE_REQUEST", NULL, true, CS_REQUESTED, CB_NONE },
		{ "COLLECTING", "HOLDBACK", true, CS_HELD, CB_NONE },
		/* The seller's 수거 완료: taken on, the new item is next. */
		{ "COLLECT_DONE", NULL, true, CS_APPROVED, CB_SELLER },
		{ "EXCHANGE_REDELIVERING", NULL, true, CS_APPROVED, CB_SELLER },
		{ "EXCHANGE_DONE", NULL, true, CS_DONE, CB_SELLER },
		{ "EXCHANGE_REJECT", NULL, true, CS_WITHDRAWN, CB_NONE },
		{ "RETURN_REQUEST", NULL, true, CS_NONE, CB_NONE },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum confirmed_by by = CB__COUNT;
		enum claim_status cs = status_of(t[i].st, t[i].hold, t[i].ex, &by);
		if (cs != t[i].want || by != t[i].by)
			fail_msg("%s/%s (%s): %d by %d, want %d by %d", t[i].st ? t[i].st : "-", t[i].hold ? t[i].hold : "-",
				 t[i].ex ? "exchange" : "return", cs, by, t[i].want, t[i].by);
	}
}

static void test_holdback_class(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool ex;
		const char *want;
	} t[] = {
		{ "반품 배송비 미입금", false, "RETURN_DELIVERYFEE" },
		{ "왕복 택배비 안 보내심", false, "RETURN_DELIVERYFEE" },
		{ "배송비 미입금, 추가 비용 청구", false, "RETURN_DELIVERYFEE_AND_EXTRAFEEE" },
		{ "포장 훼손: 추가 비용 청구", false, "EXTRAFEEE" },
		{ "상품 미입고", false, "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "아직 회수 안 됨", false, "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "확인 중", false, "ETC" },
		{ "", false, "ETC" },
		/* The enum as typed, any case, EXTRAFEE with two E's too. */
		{ "extrafee", false, "EXTRAFEEE" },
		{ "EXTRAFEEE", false, "EXTRAFEEE" },
		{ "return_deliveryfee_and_extrafee", false, "RETURN_DELIVERYFEE_AND_EXTRAFEEE" },
		{ "RETURN_PRODUCT_NOT_DELIVERED", false, "RETURN_PRODUCT_NOT_DELIVERED" },
		{ "교환 배송비 미입금", true, "EXCHANGE_DELIVERYFEE" },
		{ "추가금 발생", true, "EXCHANGE_EXTRAFEE" },
		{ "교환 상품 미입고", true, "EXCHANGE_PRODUCT_NOT_DELIVERED" },
		{ "교환할 사이즈 재입고 대기", true, "EXCHANGE_PRODUCT_READY" },
		{ "재고 준비 중", true, "EXCHANGE_PRODUCT_READY" },
		{ "exchange_product_ready", true, "EXCHANGE_PRODUCT_READY" },
		{ "EXTRAFEEE", true, "EXCHANGE_EXTRAFEE" },
		{ "그냥", true, "ETC" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *got = smartstore_holdback_class(t[i].text, t[i].ex);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("'%s' (%s): %s, want %s", t[i].text, t[i].ex ? "exchange" : "return", got, t[i].want);
	}
	assert_string_equal(smartstore_holdback_class(NULL, false), "ETC");
}

static void test_specs(void **state)
{
	(void)state;
	const struct market_ops *o = &smartstore_ops;
	static const enum claim_type types[] = { CT_RETURN, CT_EXCHANGE };
	for (size_t k = 0; k < 2; k++) {
		const struct action_spec *s = market_action_spec(o, ACT_APPROVE, SHEET_CLAIMS, types[k]);
		assert_non_null(s);
		assert_true(s->supported && s->claim == types[k] && s->call_per_unit && s->unit == UNIT_CLAIM);
		assert_int_equal(s->required, 0);
		s = market_action_spec(o, ACT_REJECT, SHEET_CLAIMS, types[k]);
		assert_true(s && s->supported && s->claim == types[k]);
		assert_int_equal(s->required, 1ull << F_SELLER_REASON);
		s = market_action_spec(o, ACT_HOLD, SHEET_CLAIMS, types[k]);
		assert_true(s && s->supported && s->claim == types[k]);
		assert_int_equal(s->required, 1ull << F_SELLER_REASON);
		s = market_action_spec(o, ACT_PICKUP, SHEET_CLAIMS, types[k]);
		assert_true(s && !s->supported && strstr(s->unsupported_why, "pickup"));
	}
	const struct action_spec *s = market_action_spec(o, ACT_RESHIP, SHEET_CLAIMS, CT_EXCHANGE);
	assert_true(s && s->supported && s->claim == CT_EXCHANGE);
	assert_int_equal(s->required, (1ull << F_COURIER) | (1ull << F_INVOICE_NO));
	s = market_action_spec(o, ACT_RESHIP, SHEET_CLAIMS, CT_RETURN);
	assert_true(s && !s->supported && strstr(s->unsupported_why, "exchanges"));
	/* Cancels keep their own specs. */
	s = market_action_spec(o, ACT_REJECT, SHEET_CLAIMS, CT_CANCEL);
	assert_true(s && !s->supported && s->claim == CT_NONE);
	s = market_action_spec(o, ACT_HOLD, SHEET_CLAIMS, CT_CANCEL);
	assert_true(s && !s->supported);
	s = market_action_spec(o, ACT_APPROVE, SHEET_CLAIMS, CT_CANCEL);
	assert_true(s && s->supported && s->claim == CT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_counts),
		cmocka_unit_test(test_partial_return_request),
		cmocka_unit_test(test_held_return),
		cmocka_unit_test(test_done_under_current_claim),
		cmocka_unit_test(test_exchange_redelivering),
		cmocka_unit_test(test_exchange_withdrawn_unknown_reason),
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_holdback_class),
		cmocka_unit_test(test_specs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
