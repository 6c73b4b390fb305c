/* The 11st sandbox's returns (반품) and exchanges (교환), ../shared/api/11st.md
 * §10: the six lists (EUC-KR XML, 30-day windows with -29xxx errors, the
 * silent 3,000-row cap, fees written with a thousands comma, literal nulls),
 * the seller's calls with their documented error codes, deterministic claims
 * in every state, test setters and the state JSON.
 *
 * State machine (clmStat):
 *   return    105 --returnreqconf--> 106       105|104|109 --returnreqreject--> 107
 *             105 --returnclaimdefer--> 104    105|104 --returncompletedefer--> 109
 *             104|109 --returnreqconf--> 106   105|104|103 --buyer withdraws--> 108
 *             105|104|109|103: returninvc sets the pickup courier and invoice
 *   exchange  201|212|214 --exchangereqconf--> 221 (re-shipped: 교환완료)
 *             201|214 --exchangereqreject--> 232   201|214 --buyer withdraws--> 233
 *
 * Decisions where the docs are silent (UNCONFIRMED there): returnorders and
 * exchangeorders list every claim requested in the window (filed by reqDt)
 * with its current clmStat; returnedorders / exchangedorders file by the
 * completion time (trtEndDt), retractretorders / retractexcorders by the
 * withdrawal time; a completed exchange shows clmStat 221; a line's ordPrdStat
 * stays as it was while a claim is open and turns A01 when a return of all its
 * quantity completes; the return invoice is served under the documented
 * doubled path claimservice/claimservice/returninvc (or, after
 * returninvc-path?doubled=0, only under claimservice/returninvc) and answers
 * with the reqdelivery codes (-3301, -3306, -3307, -3320) it documents. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/elevenst.h"
#include "sandbox/elevenst_state.h"
#include "util/str.h"

#define ROW_CAP 3000
#define NS "http://skt.tmall.business.openapi.spring.service.client.domain/"
#define DAY ((ob_time)OB_DAY)

struct st_rclaim *st_add_rclaim(struct st_state *s)
{
	if (s->nr == s->capr) {
		size_t cap = s->capr ? s->capr * 2 : 128;
		struct st_rclaim *p = realloc(s->rclaims, cap * sizeof *p);
		if (!p)
			return NULL;
		s->rclaims = p;
		s->capr = cap;
	}
	struct st_rclaim *c = &s->rclaims[s->nr++];
	memset(c, 0, sizeof *c);
	if (!s->next_rseq)
		s->next_rseq = 2400330; /* the doc's example claim number first */
	c->seq = s->next_rseq;
	s->next_rseq += 13;
	return c;
}

static struct st_rclaim *find_rclaim(struct st_state *s, const char *id)
{
	for (size_t k = 0; k < s->nr; k++) {
		char t[24];
		snprintf(t, sizeof t, "%" PRIu64, s->rclaims[k].seq);
		if (strcmp(t, id) == 0)
			return &s->rclaims[k];
	}
	return NULL;
}

static bool stat_in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static const char *const return_open[] = { "103", "104", "105", "109", NULL };
static const char *const exchange_open[] = { "201", "212", "214", NULL };

static bool rclaim_open(const struct st_rclaim *c)
{
	return stat_in(c->stat, c->exchange ? exchange_open : return_open);
}

/* 6000 -> "6,000" (11st writes the claim fees this way). */
static void won(int64_t v, char out[32])
{
	char digits[24];
	snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
	size_t n = strlen(digits), w = 0;
	if (v < 0)
		out[w++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[w++] = ',';
		out[w++] = digits[i];
	}
	out[w] = '\0';
}

/* --- generation --- */

static const struct {
	const char *code, *text;
	bool seller;
} return_reasons[] = {
	{ "101", "마음이 바뀌었어요", false },
	{ "110", "사이즈를 잘못 골랐어요", false },
	{ "111", "받아보니 포장이 찢어져 있고 제품에 흠집이 있습니다", true },
	{ "116", "설명과 색상이 많이 다릅니다", true },
	{ "121", "null", false },
}, exchange_reasons[] = {
	{ "206", "한 치수 큰 것으로 바꿔 주세요", false },
	{ "207", "불량품이 왔어요. 같은 상품으로 교환 원합니다", true },
	{ "208", "다른 색상이 왔습니다", true },
	{ "211", "옵션을 잘못 선택했어요", false },
};

static void set_fee(struct st_rclaim *c, bool seller, struct sandbox_rng *rng)
{
	static const char *const ret_mthd[] = { "01", "03", "04", "09" };
	if (seller) {
		/* The seller pays: no method (the literal null), no fee to collect. */
		c->fee_mthd[0] = '\0';
		c->fee = 0;
		return;
	}
	size_t k = (size_t)sandbox_rng_below(rng, c->exchange ? 3 : 4);
	str_copy(c->fee_mthd, sizeof c->fee_mthd, ret_mthd[k]);
	/* Both ways for an exchange, and two boxes for several items: amounts of
	 * 4 and 5 digits, all with the comma. */
	c->fee = (c->exchange ? 6000 : 3000) * (c->qty > 1 ? 2 : 1) + (c->exchange ? 0 : 3000);
}

static void gen_pickup(struct st_state *s, struct st_rclaim *c)
{
	str_copy(c->tw_mthd, sizeof c->tw_mthd, "06"); /* 11번가 지정반품택배 */
	c->appmt_fee = 2500;
	str_copy(c->pickup_courier, sizeof c->pickup_courier, "00034");
	str_copy(c->pickup_mthd, sizeof c->pickup_mthd, "01");
	snprintf(c->pickup_invoice, sizeof c->pickup_invoice, "7%011" PRIu64, c->seq * 7 % 100000000000u);
	(void)s;
}

static void exch_address(struct st_rclaim *c, const struct st_line *l, bool moved)
{
	c->exch = l->rcvr;
	if (moved) {
		str_copy(c->exch.zip, sizeof c->exch.zip, "03154");
		str_copy(c->exch.addr1, sizeof c->exch.addr1, "서울특별시 종로구 종로 1");
		str_copy(c->exch.addr2, sizeof c->exch.addr2, "교보빌딩 12층");
	}
}

int st_retex_generate(struct st_state *s)
{
	struct sandbox_rng rng;
	sandbox_rng_seed(&rng, sandbox_rng_derive(s->g.seed, "11st:retex"));
	ob_time limit = s->g.today - 60;
	size_t n = s->n;
	for (size_t i = 0; i < n; i++) {
		struct st_line *l = &s->lines[i];
		if ((strcmp(l->stat, "501") != 0 && strcmp(l->stat, "901") != 0) || !l->dlv_end_dt ||
		    l->dlv_end_dt + 3600 > limit)
			continue;
		unsigned roll = (unsigned)sandbox_rng_below(&rng, 100);
		if (roll >= 16)
			continue;
		struct st_rclaim *c = st_add_rclaim(s);
		if (!c)
			return -1;
		l = &s->lines[i];
		c->line = i;
		c->exchange = roll >= 10;
		c->qty = l->qty > 1 && sandbox_rng_percent(&rng, 40) ? l->qty - 1 : l->qty;
		size_t nreasons = c->exchange ? sizeof exchange_reasons / sizeof exchange_reasons[0] :
						sizeof return_reasons / sizeof return_reasons[0];
		size_t k = (size_t)sandbox_rng_below(&rng, nreasons);
		bool seller = c->exchange ? exchange_reasons[k].seller : return_reasons[k].seller;
		str_copy(c->rsn, sizeof c->rsn, c->exchange ? exchange_reasons[k].code : return_reasons[k].code);
		str_copy(c->text, sizeof c->text, c->exchange ? exchange_reasons[k].text : return_reasons[k].text);
		set_fee(c, seller, &rng);
		str_copy(c->tw_mthd, sizeof c->tw_mthd, "02"); /* the buyer sends it */
		c->pickup = l->rcvr;
		if (c->exchange)
			exch_address(c, l, sandbox_rng_percent(&rng, 20));
		c->req_dt = l->dlv_end_dt + 3600 + (ob_time)sandbox_rng_below(&rng, 2 * DAY);
		if (c->req_dt > limit)
			c->req_dt = limit - (ob_time)sandbox_rng_below(&rng, 3600);
		ob_time end = c->req_dt + DAY + (ob_time)sandbox_rng_below(&rng, 2 * DAY);
		if (end > limit)
			end = limit;
		unsigned r2 = (unsigned)sandbox_rng_below(&rng, 100);
		if (!c->exchange) {
			const char *stat = r2 < 30 ? "105" : r2 < 40 ? "104" : r2 < 65 ? "106" : r2 < 75 ? "107" :
					   r2 < 88 ? "108" : r2 < 92 ? "109" : "103";
			str_copy(c->stat, sizeof c->stat, stat);
			/* Half the open ones, and every one past the pickup, have an invoice. */
			if ((strcmp(stat, "105") == 0 && sandbox_rng_percent(&rng, 50)) || strcmp(stat, "106") == 0 ||
			    strcmp(stat, "109") == 0)
				gen_pickup(s, c);
			if (strcmp(stat, "104") == 0 || strcmp(stat, "109") == 0) {
				str_copy(c->seller_code, sizeof c->seller_code, strcmp(stat, "104") == 0 ? "102" : "103");
				str_copy(c->seller_text, sizeof c->seller_text, strcmp(stat, "104") == 0 ?
					 "반품 배송비가 동봉되지 않았습니다" : "회수된 상품에 사용 흔적이 있습니다");
				c->hold_dt = end;
			} else if (strcmp(stat, "107") == 0) {
				str_copy(c->seller_code, sizeof c->seller_code, "103");
				str_copy(c->seller_text, sizeof c->seller_text, "포장을 개봉한 상품은 반품이 불가합니다");
				c->end_dt = end;
			} else if (strcmp(stat, "106") == 0 || strcmp(stat, "108") == 0) {
				c->end_dt = end;
			}
			if (strcmp(stat, "106") == 0 && c->qty >= l->qty - l->cn_qty)
				str_copy(l->stat, sizeof l->stat, "A01");
		} else {
			const char *stat = r2 < 40 ? "201" : r2 < 50 ? "214" : r2 < 75 ? "221" : r2 < 85 ? "232" : "233";
			str_copy(c->stat, sizeof c->stat, stat);
			if (strcmp(stat, "221") == 0) {
				str_copy(c->resend_courier, sizeof c->resend_courier, "00012");
				snprintf(c->resend_invoice, sizeof c->resend_invoice, "8%011" PRIu64,
					 c->seq * 11 % 100000000000u);
			}
			if (strcmp(stat, "232") == 0) {
				str_copy(c->seller_code, sizeof c->seller_code, "203");
				str_copy(c->seller_text, sizeof c->seller_text, "주문 제작 상품은 교환이 불가합니다");
			}
			if (strcmp(stat, "201") != 0 && strcmp(stat, "214") != 0)
				c->end_dt = end;
		}
	}
	return 0;
}

/* --- rows --- */

enum rlist { RL_OPEN, RL_DONE, RL_WITHDRAWN };

static const struct {
	const char *name;
	bool exchange;
	enum rlist kind;
} rlists[] = {
	{ "returnorders", false, RL_OPEN },    { "returnedorders", false, RL_DONE },
	{ "retractretorders", false, RL_WITHDRAWN }, { "exchangeorders", true, RL_OPEN },
	{ "exchangedorders", true, RL_DONE },  { "retractexcorders", true, RL_WITHDRAWN },
};

bool st_retex_is_list(const char *name)
{
	for (size_t i = 0; i < sizeof rlists / sizeof rlists[0]; i++)
		if (strcmp(rlists[i].name, name) == 0)
			return true;
	return false;
}

static int put_addr(struct buf *b, const char *p, const struct st_addr *a, const char *tel_name,
		    const char *mobile_name)
{
	char n[32];
	int rc = 0;
	snprintf(n, sizeof n, "%sBaseAddr", p);
	rc |= st_leaf(b, n, a->addr1);
	snprintf(n, sizeof n, "%sDtlsAddr", p);
	rc |= st_leaf(b, n, a->addr2);
	snprintf(n, sizeof n, "%sMailNo", p);
	rc |= st_leaf(b, n, a->zip);
	snprintf(n, sizeof n, "%sMailNoSeq", p);
	rc |= st_leaf(b, n, "001");
	rc |= st_leaf(b, tel_name, "");
	rc |= st_leaf(b, mobile_name, a->phone);
	snprintf(n, sizeof n, "%sTypeAdd", p);
	rc |= st_leaf(b, n, "02");
	snprintf(n, sizeof n, "%sTypeBilNo", p);
	rc |= st_leaf(b, n, "1114010300100010000000001");
	return rc;
}

static int put_rclaim(struct buf *b, const struct st_state *s, const struct st_rclaim *c, enum rlist kind)
{
	const struct st_line *l = &s->lines[c->line];
	char seq[12], fee[32], appmt[32];
	snprintf(seq, sizeof seq, "%d", l->seq);
	won(c->fee, fee);
	won(c->appmt_fee, appmt);
	int rc = buf_puts(b, "  <ns2:order>");
	rc |= st_leaf(b, "affliateBndlDlvSeq", "0") | st_leaf(b, "appmtDlvCst", appmt);
	rc |= st_leaf(b, "clmDlvCstMthd", *c->fee_mthd ? c->fee_mthd : NULL) | st_leaf(b, "clmLstDlvCst", fee);
	rc |= st_leaf(b, "clmReqCont", c->text) | buf_printf(b, "<clmReqQty>%d</clmReqQty>", c->qty);
	rc |= st_leaf(b, "clmReqRsn", c->rsn) | st_leaf_u64(b, "clmReqSeq", c->seq) | st_leaf(b, "clmStat", c->stat);
	if (kind == RL_DONE && !c->exchange) {
		rc |= st_leaf_i64(b, "addDlvCst", 0) | st_leaf(b, "dlvCstRespnClf", *c->fee_mthd ? "01" : "02");
		rc |= st_leaf(b, "stlDlvCst", fee);
	}
	rc |= st_leaf(b, "dlvEtprsCd", *c->pickup_courier ? c->pickup_courier : NULL);
	if (c->exchange) {
		rc |= st_leaf(b, "exchNm", c->exch.name);
		rc |= put_addr(b, "exch", &c->exch, "exchTlphnNo", "exchPrtblTel");
	} else {
		rc |= st_leaf(b, "kglUseYn", "N");
	}
	rc |= st_leaf(b, "optName", l->opt_nm) | st_leaf(b, "ordNm", c->pickup.name) | st_leaf(b, "ordNo", l->ord_no);
	rc |= st_leaf(b, "ordPrdSeq", seq) | st_leaf_u64(b, "prdNo", l->prd_no);
	rc |= put_addr(b, "rcvr", &c->pickup, "ordTlphnNo", "ordPrtblTel");
	rc |= st_leaf_time(b, "reqDt", c->req_dt);
	if (kind == RL_DONE)
		rc |= st_leaf_time(b, "trtEndDt", c->end_dt);
	rc |= st_leaf(b, "twMthd", c->tw_mthd) | st_leaf(b, "twPrdInvcNo", *c->pickup_invoice ? c->pickup_invoice : NULL);
	return rc | buf_puts(b, "</ns2:order>\n");
}

struct rhit {
	ob_time t;
	size_t i;
};

static int rhit_cmp(const void *a, const void *b)
{
	const struct rhit *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int handle_rlist(struct st_state *s, size_t li, char *const *seg, int nseg, struct sandbox_response *resp)
{
	ob_time t0, t1;
	if (nseg != 4)
		return st_list_code(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	if (!st_minute_time(seg[2], &t0))
		return st_list_code(resp, -29007, "start_dt의 조회 기간의 포멧('YYYYMMDDHH24')이 올바르지 않습니다.");
	if (!st_minute_time(seg[3], &t1) || t1 < t0)
		return st_list_code(resp, -29006, "end_dt의 조회 기간의 포멧('YYYYMMDDHH24')이 올바르지 않습니다.");
	ob_time end = t1 + 60; /* the end minute is inclusive */
	if (end - t0 > 30 * DAY)
		return st_list_code(resp, -29008, "조회기간은 최대 30(한달)일 단위로 가능합니다.");
	struct rhit *hits = malloc((s->nr ? s->nr : 1) * sizeof *hits);
	if (!hits)
		return -1;
	size_t nh = 0;
	for (size_t i = 0; i < s->nr; i++) {
		const struct st_rclaim *c = &s->rclaims[i];
		if (c->exchange != rlists[li].exchange)
			continue;
		ob_time t = 0;
		if (rlists[li].kind == RL_OPEN)
			t = c->req_dt;
		else if (rlists[li].kind == RL_DONE && strcmp(c->stat, c->exchange ? "221" : "106") == 0)
			t = c->end_dt;
		else if (rlists[li].kind == RL_WITHDRAWN && strcmp(c->stat, c->exchange ? "233" : "108") == 0)
			t = c->end_dt;
		if (t && t >= t0 && t < end) {
			hits[nh].t = t;
			hits[nh].i = i;
			nh++;
		}
	}
	if (!nh) {
		free(hits);
		return st_list_code(resp, 0, "해당 건이 없습니다.");
	}
	qsort(hits, nh, sizeof *hits, rhit_cmp);
	/* No paging: beyond 3,000 rows the rest is silently left out. */
	if (nh > ROW_CAP)
		nh = ROW_CAP;
	struct buf x = BUF_INIT;
	int rc = buf_printf(&x, "<ns2:orders xmlns:ns2=\"%s\">\n", NS) < 0 ? -1 : 0;
	for (size_t k = 0; k < nh && rc == 0; k++)
		rc = put_rclaim(&x, s, &s->rclaims[hits[k].i], rlists[li].kind) ? -1 : 0;
	if (rc == 0)
		rc = buf_puts(&x, "</ns2:orders>\n");
	if (rc == 0)
		rc = st_send_xml(resp, "EUC-KR", &x);
	resp->rows = (int)nh;
	buf_free(&x);
	free(hits);
	return rc < 0 ? -1 : 0;
}

/* --- the seller's calls --- */

/* The claim named by id, checked against ordNo and ordPrdSeq; NULL with the
 * answer sent (code_* are the endpoint's codes for each mismatch). */
static struct st_rclaim *claim_for(struct st_state *s, const char *id, const char *ord, const char *seq,
				   long code_claim, long code_ord, long code_seq, struct sandbox_response *resp, int *rc)
{
	struct st_rclaim *c = find_rclaim(s, id);
	if (!c) {
		*rc = st_result_order(resp, code_claim, "클레임 번호를 알 수 없습니다.");
		return NULL;
	}
	const struct st_line *l = &s->lines[c->line];
	char sq[12];
	snprintf(sq, sizeof sq, "%d", l->seq);
	if (strcmp(l->ord_no, ord) != 0) {
		*rc = st_result_order(resp, code_ord, "주문번호를 알 수 없습니다.");
		return NULL;
	}
	if (strcmp(sq, seq) != 0) {
		*rc = st_result_order(resp, code_seq, "주문상세번호를 알 수 없습니다.");
		return NULL;
	}
	return c;
}

static bool code_between(const char *code, int lo, int hi)
{
	int64_t v;
	return strlen(code) == 3 && str_is_digits(code) && str_to_i64(code, &v) == 0 && v >= lo && v <= hi;
}

static int returnreqconf(struct st_state *s, char *const *p, int np, const struct sandbox_request *req,
			 struct sandbox_response *resp)
{
	int rc = 0;
	if (np != 3)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	/* The claim number comes first. */
	struct st_rclaim *c = claim_for(s, p[0], p[1], p[2], -24004, -24002, -24003, resp, &rc);
	if (!c)
		return rc;
	if (c->exchange)
		return st_result_order(resp, -24005, "반품 정보를 찾을수 없습니다.");
	static const char *const ok[] = { "105", "104", "109", NULL };
	if (!stat_in(c->stat, ok))
		return st_result_order(resp, -24006, "반품 신청또는 접수 상태가 아니어서 반품을 완료 할 수 없습니다.");
	str_copy(c->stat, sizeof c->stat, "106");
	c->end_dt = req->now;
	struct st_line *l = &s->lines[c->line];
	if (c->qty >= l->qty - l->cn_qty)
		str_copy(l->stat, sizeof l->stat, "A01");
	resp->items = 1;
	return st_result_order(resp, 0, "전체 1건이 정상적으로 반품완료 처리되었습니다.");
}

/* returnreqreject, exchangereqreject, returnclaimdefer, returncompletedefer:
 * {ordNo}/{ordPrdSeq}/{clmReqSeq}/{code}/{text}. */
enum decide { D_RETURN_REJECT, D_EXCHANGE_REJECT, D_HOLD, D_COMPLETE_HOLD };

static int decide(struct st_state *s, enum decide d, char *const *p, int np, const struct sandbox_request *req,
		  struct sandbox_response *resp)
{
	/* Each endpoint's own code family (§10, §12). */
	static const struct {
		long claim, ord, seq, kind, code, text, state;
		int lo, hi;
		const char *kind_text, *state_text, *to, *ok;
		bool exchange;
	} e[] = {
		[D_RETURN_REJECT] = { -25004, -25002, -25003, -25005, -1, -1, -1, 101, 104, "반품 정보를 찾을수 없습니다.",
				      "반품 신청상태가 아니어서 반품거부를 할 수 없습니다.", "107",
				      "전체 1건이 정상적으로 반품거부 처리되었습니다.", false },
		[D_EXCHANGE_REJECT] = { -26004, -26002, -26003, -26005, -1, -1, -26006, 201, 204,
					"교환 정보를 찾을수 없습니다.",
					"교환신청 상태가 아니어서 교환접수거부를 할 수 없습니다.", "232",
					"전체 1건이 정상적으로 교환거부 처리되었습니다.", true },
		[D_HOLD] = { -21004, -21002, -21003, -21007, -21005, -21006, -21007, 101, 105,
			     "반품보류 신청할수 있는 목록이 없습니다.", "반품보류 신청할수 있는 목록이 없습니다.", "104",
			     "전체 1건이 정상적으로 반품보류 처리되었습니다.", false },
		[D_COMPLETE_HOLD] = { -21004, -21002, -21003, -21007, -21005, -21006, -21007, 101, 105,
				      "반품보류 신청할수 있는 목록이 없습니다.", "반품보류 신청할수 있는 목록이 없습니다.",
				      "109", "전체 1건이 정상적으로 반품완료보류 처리되었습니다.", false },
	};
	static const char *const from_reject[] = { "105", "104", "109", NULL };
	static const char *const from_xreject[] = { "201", "214", NULL };
	static const char *const from_hold[] = { "105", NULL };
	static const char *const from_chold[] = { "105", "104", NULL };
	const char *const *from = d == D_RETURN_REJECT ? from_reject : d == D_EXCHANGE_REJECT ? from_xreject :
				  d == D_HOLD ? from_hold : from_chold;
	int rc = 0;
	if (np != 5)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	struct st_rclaim *c = claim_for(s, p[2], p[0], p[1], e[d].claim, e[d].ord, e[d].seq, resp, &rc);
	if (!c)
		return rc;
	if (c->exchange != e[d].exchange)
		return st_result_order(resp, e[d].kind, e[d].kind_text);
	if (!code_between(p[3], e[d].lo, e[d].hi))
		return st_result_order(resp, e[d].code, d >= D_HOLD ? "보류사유 코드를 알 수 없습니다." :
				       "거부사유 코드가 올바르지 않습니다.");
	char text[600];
	if (!st_seg_decode(p[4], text, sizeof text))
		return st_result_order(resp, e[d].text, d >= D_HOLD ? "보류 상세 사유를 알 수 없습니다." :
				       "거부사유가 올바르지 않습니다.");
	if (!stat_in(c->stat, from))
		return st_result_order(resp, e[d].state, e[d].state_text);
	str_copy(c->stat, sizeof c->stat, e[d].to);
	str_copy(c->seller_code, sizeof c->seller_code, p[3]);
	str_copy(c->seller_text, sizeof c->seller_text, text);
	if (d >= D_HOLD)
		c->hold_dt = req->now;
	else
		c->end_dt = req->now;
	resp->items = 1;
	return st_result_order(resp, 0, e[d].ok);
}

/* {sendDt}/{dlvNo}/{dlvEtprsCd}/{invcNo}/{dlvMthdCd}/{clmReqSeq} */
static int returninvc(struct st_state *s, char *const *p, int np, struct sandbox_response *resp)
{
	if (np != 6)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	ob_time t;
	if (!st_minute_time(p[0], &t))
		return st_result_order(resp, -3301, "보낸일자가 유효하지 않습니다. 날짜포맷 : 년(4) 월(2) 일(2) 시(2) 분(2) 입니다.");
	const char *m = p[4];
	if (strlen(m) != 2 || m[0] != '0' || m[1] < '1' || m[1] > '5')
		return st_result_order(resp, -1, "배송방식 코드가 올바르지 않습니다.");
	bool none = strcmp(m, "05") == 0;
	long why = 0;
	if (none) {
		if (strcmp(p[2], "null") != 0 || strcmp(p[3], "null") != 0)
			return st_result_order(resp, -1, "배송없음은 택배사와 송장번호를 null로 보내야 합니다.");
	} else if (!st_courier_ok(p[2], p[3], &why)) {
		return why == 1 ? st_result_order(resp, -3307, "택배사 코드가 유효하지 않습니다.") :
				  st_result_order(resp, -3306, "송장번호가 유효하지 않습니다. 다시한번 확인해주세요.");
	}
	struct st_rclaim *c = find_rclaim(s, p[5]);
	if (!c)
		return st_result_order(resp, -1, "클레임번호를 알 수 없습니다.");
	if (c->exchange)
		return st_result_order(resp, -1, "반품 클레임이 아닙니다.");
	char dlv[24];
	snprintf(dlv, sizeof dlv, "%" PRIu64, s->lines[c->line].dlv_no);
	if (strcmp(dlv, p[1]) != 0)
		return st_result_order(resp, -1, "배송번호가 올바르지 않습니다.");
	if (!rclaim_open(c))
		return st_result_order(resp, -3313, "해당 배송번호의 주문상태가 이미 변경 되었습니다. (반품완료, 반품철회, 반품거부)");
	for (size_t k = 0; !none && k < s->nr; k++) {
		const struct st_rclaim *o = &s->rclaims[k];
		if (o != c && strcmp(o->pickup_invoice, p[3]) == 0 && strcmp(o->pickup_courier, p[2]) == 0)
			return st_result_order(resp, -3320, "이미 사용된 송장번호 입니다. 송장번호를 확인해주세요.");
	}
	str_copy(c->pickup_courier, sizeof c->pickup_courier, none ? "" : p[2]);
	str_copy(c->pickup_invoice, sizeof c->pickup_invoice, none ? "" : p[3]);
	str_copy(c->pickup_mthd, sizeof c->pickup_mthd, m);
	resp->items = 1;
	return st_result_order(resp, 0, "전체 1건이 정상적으로 반품송장 입력 처리되었습니다.");
}

/* {clmReqSeq}/{ordNo}/{ordPrdSeq}/{dlvEtprsCd}/{invcNo} */
static int exchangereqconf(struct st_state *s, char *const *p, int np, const struct sandbox_request *req,
			   struct sandbox_response *resp)
{
	int rc = 0;
	if (np != 5)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	struct st_rclaim *c = claim_for(s, p[0], p[1], p[2], -27004, -27002, -27003, resp, &rc);
	if (!c)
		return rc;
	if (!c->exchange)
		return st_result_order(resp, -27007, "교환 정보를 찾을수 없습니다.");
	long why = 0;
	if (!st_courier_ok(p[3], p[4], &why))
		return why == 1 ? st_result_order(resp, -27006, "택배업체를 알 수 없습니다.") :
				  st_result_order(resp, -1, "송장번호가 유효하지 않습니다.");
	if (!stat_in(c->stat, exchange_open))
		return st_result_order(resp, -27008, "교환신청 상태가 아니어서 교환완료를 할 수 없습니다.");
	str_copy(c->stat, sizeof c->stat, "221");
	str_copy(c->resend_courier, sizeof c->resend_courier, p[3]);
	str_copy(c->resend_invoice, sizeof c->resend_invoice, p[4]);
	c->end_dt = req->now;
	resp->items = 1;
	return st_result_order(resp, 0, "전체 1건이 정상적으로 교환완료 처리되었습니다.");
}

int st_retex_handle(struct st_state *s, char *const *seg, int nseg, const struct sandbox_request *req,
		    struct sandbox_response *resp, bool *handled)
{
	*handled = false;
	if (nseg < 2 || strcmp(seg[0], "claimservice") != 0)
		return 0;
	const char *name = seg[1];
	*handled = true;
	for (size_t i = 0; i < sizeof rlists / sizeof rlists[0]; i++)
		if (strcmp(rlists[i].name, name) == 0)
			return handle_rlist(s, i, seg, nseg, resp);
	char *const *p = seg + 2;
	int np = nseg - 2;
	if (strcmp(name, "returnreqconf") == 0)
		return returnreqconf(s, p, np, req, resp);
	if (strcmp(name, "returnreqreject") == 0)
		return decide(s, D_RETURN_REJECT, p, np, req, resp);
	if (strcmp(name, "exchangereqreject") == 0)
		return decide(s, D_EXCHANGE_REJECT, p, np, req, resp);
	if (strcmp(name, "returnclaimdefer") == 0)
		return decide(s, D_HOLD, p, np, req, resp);
	if (strcmp(name, "returncompletedefer") == 0)
		return decide(s, D_COMPLETE_HOLD, p, np, req, resp);
	if (strcmp(name, "exchangereqconf") == 0)
		return exchangereqconf(s, p, np, req, resp);
	/* The return invoice: one of the two paths, never both. */
	if (!s->returninvc_single && strcmp(name, "claimservice") == 0 && nseg >= 3 && strcmp(seg[2], "returninvc") == 0)
		return returninvc(s, seg + 3, nseg - 3, resp);
	if (s->returninvc_single && strcmp(name, "returninvc") == 0)
		return returninvc(s, p, np, resp);
	*handled = false;
	return 0;
}

/* --- test endpoints --- */

static struct st_rclaim *open_on_line(struct st_state *s, size_t line)
{
	for (size_t k = 0; k < s->nr; k++)
		if (s->rclaims[k].line == line && rclaim_open(&s->rclaims[k]))
			return &s->rclaims[k];
	return NULL;
}

static int new_request(struct st_state *s, bool exchange, const struct sandbox_request *req,
		       struct sandbox_response *resp)
{
	char a[64] = "", b[32] = "", q[16] = "", rsn[8] = "", pk[8] = "";
	sandbox_query_get(req->query, "ordNo", a, sizeof a);
	sandbox_query_get(req->query, "ordPrdSeq", b, sizeof b);
	long i = st_find_line(s, a, b);
	if (i < 0 || (strcmp(s->lines[i].stat, "501") != 0 && strcmp(s->lines[i].stat, "901") != 0))
		return st_json_answer(resp, 409, "message", "no such line in status 501 or 901", -1);
	if (open_on_line(s, (size_t)i))
		return st_json_answer(resp, 409, "message", "the line already has an open return or exchange", -1);
	struct st_line *l = &s->lines[i];
	int64_t qty = l->qty - l->cn_qty;
	if (sandbox_query_get(req->query, "qty", q, sizeof q) == 1 &&
	    (str_to_i64(q, &qty) < 0 || qty < 1 || qty > l->qty - l->cn_qty))
		return st_json_answer(resp, 400, "message", "qty out of range", -1);
	if (sandbox_query_get(req->query, "rsn", rsn, sizeof rsn) != 1)
		str_copy(rsn, sizeof rsn, exchange ? "206" : "101");
	bool seller = false, known = false;
	const char *text = "";
	size_t nr = exchange ? sizeof exchange_reasons / sizeof exchange_reasons[0] :
			       sizeof return_reasons / sizeof return_reasons[0];
	for (size_t k = 0; k < nr; k++) {
		const char *code = exchange ? exchange_reasons[k].code : return_reasons[k].code;
		if (strcmp(code, rsn) == 0) {
			known = true;
			seller = exchange ? exchange_reasons[k].seller : return_reasons[k].seller;
			text = exchange ? exchange_reasons[k].text : return_reasons[k].text;
		}
	}
	if (!known)
		return st_json_answer(resp, 400, "message", exchange ? "rsn: one of 206 207 208 211" :
				      "rsn: one of 101 110 111 116 121", -1);
	struct st_rclaim *c = st_add_rclaim(s);
	if (!c)
		return -1;
	l = &s->lines[i];
	c->line = (size_t)i;
	c->exchange = exchange;
	c->qty = (int)qty;
	str_copy(c->stat, sizeof c->stat, exchange ? "201" : "105");
	str_copy(c->rsn, sizeof c->rsn, rsn);
	str_copy(c->text, sizeof c->text, text);
	str_copy(c->tw_mthd, sizeof c->tw_mthd, "02");
	c->pickup = l->rcvr;
	if (exchange)
		exch_address(c, l, true);
	struct sandbox_rng rng;
	sandbox_rng_seed(&rng, c->seq);
	set_fee(c, seller, &rng);
	if (sandbox_query_get(req->query, "pickup", pk, sizeof pk) == 1 && strcmp(pk, "1") == 0)
		gen_pickup(s, c);
	c->req_dt = req->now;
	char id[24];
	snprintf(id, sizeof id, "%" PRIu64, c->seq);
	return st_json_answer(resp, 200, "clmReqSeq", id, -1);
}

int st_retex_test(struct st_state *s, const char *action, const struct sandbox_request *req,
		  struct sandbox_response *resp, bool *handled)
{
	char a[64] = "";
	*handled = true;
	if (strcmp(action, "return-request") == 0)
		/* return-request?ordNo=&ordPrdSeq=[&qty=][&rsn=][&pickup=1] */
		return new_request(s, false, req, resp);
	if (strcmp(action, "exchange-request") == 0)
		/* exchange-request?ordNo=&ordPrdSeq=[&qty=][&rsn=] */
		return new_request(s, true, req, resp);
	if (strcmp(action, "claim-withdraw") == 0) {
		/* claim-withdraw?clmReqSeq=: the buyer takes the return/exchange back. */
		sandbox_query_get(req->query, "clmReqSeq", a, sizeof a);
		struct st_rclaim *c = find_rclaim(s, a);
		static const char *const ret_from[] = { "103", "104", "105", NULL };
		static const char *const exc_from[] = { "201", "214", NULL };
		if (!c || !stat_in(c->stat, c->exchange ? exc_from : ret_from))
			return st_json_answer(resp, 409, "message", "no withdrawable claim with that clmReqSeq", -1);
		str_copy(c->stat, sizeof c->stat, c->exchange ? "233" : "108");
		c->end_dt = req->now;
		return st_json_answer(resp, 200, "message", "withdrawn", -1);
	}
	if (strcmp(action, "return-complete") == 0) {
		/* return-complete?clmReqSeq=: 11st's auto-complete (not after 109). */
		sandbox_query_get(req->query, "clmReqSeq", a, sizeof a);
		struct st_rclaim *c = find_rclaim(s, a);
		if (!c || c->exchange || (strcmp(c->stat, "105") != 0 && strcmp(c->stat, "104") != 0))
			return st_json_answer(resp, 409, "message", "no return in 105 or 104 with that clmReqSeq", -1);
		str_copy(c->stat, sizeof c->stat, "106");
		c->end_dt = req->now;
		struct st_line *l = &s->lines[c->line];
		if (c->qty >= l->qty - l->cn_qty)
			str_copy(l->stat, sizeof l->stat, "A01");
		return st_json_answer(resp, 200, "message", "completed", -1);
	}
	if (strcmp(action, "return-burst") == 0) {
		/* return-burst?day=YYYY-MM-DD&count=N: N more return requests (105)
		 * spread over that KST day, on the delivered lines in turn (beyond
		 * the 3,000-row cap of returnorders). */
		char d[16] = "", n[16] = "";
		ob_time day;
		int64_t count;
		if (sandbox_query_get(req->query, "day", d, sizeof d) != 1 || kst_parse_date(d, &day) < 0 ||
		    sandbox_query_get(req->query, "count", n, sizeof n) != 1 || str_to_i64(n, &count) < 0 || count < 1 ||
		    count > 100000)
			return st_json_answer(resp, 400, "message", "return-burst?day=YYYY-MM-DD&count=N (1-100000)", -1);
		size_t nl = 0;
		for (size_t k = 0; k < s->n; k++)
			nl += strcmp(s->lines[k].stat, "501") == 0 || strcmp(s->lines[k].stat, "901") == 0;
		if (!nl)
			return st_json_answer(resp, 409, "message", "no delivered lines", -1);
		size_t k = 0;
		for (int64_t i = 0; i < count; i++) {
			while (strcmp(s->lines[k].stat, "501") != 0 && strcmp(s->lines[k].stat, "901") != 0)
				k = (k + 1) % s->n;
			struct st_rclaim *c = st_add_rclaim(s);
			if (!c)
				return -1;
			c->line = k;
			c->qty = 1;
			str_copy(c->stat, sizeof c->stat, "105");
			str_copy(c->rsn, sizeof c->rsn, "101");
			str_copy(c->text, sizeof c->text, return_reasons[0].text);
			str_copy(c->tw_mthd, sizeof c->tw_mthd, "02");
			str_copy(c->fee_mthd, sizeof c->fee_mthd, "09");
			c->fee = 6000;
			c->pickup = s->lines[k].rcvr;
			c->req_dt = day + (ob_time)(i * DAY / count);
			k = (k + 1) % s->n;
		}
		return st_json_answer(resp, 200, "message", "return requests added", (int)count);
	}
	if (strcmp(action, "returninvc-path") == 0) {
		/* returninvc-path?doubled=1|0: which return-invoice path is served. */
		sandbox_query_get(req->query, "doubled", a, sizeof a);
		s->returninvc_single = strcmp(a, "0") == 0;
		return st_json_answer(resp, 200, "message", s->returninvc_single ? "claimservice/returninvc" :
				      "claimservice/claimservice/returninvc", -1);
	}
	*handled = false;
	return 0;
}

/* --- state JSON --- */

static bool add_str(cJSON *o, const char *k, const char *v)
{
	return cJSON_AddStringToObject(o, k, v) != NULL;
}

static bool add_time(cJSON *o, const char *k, ob_time t)
{
	char v[24];
	st_time(t, v);
	return add_str(o, k, v);
}

/* "retex": [{clmReqSeq, type RETURN|EXCHANGE, ordNo, ordPrdSeq, status (clmStat),
 * qty, reasonCode, reason, feeMethod, fee, twMthd, pickupCourier,
 * pickupInvoice, pickupMethod, resendCourier, resendInvoice, sellerCode,
 * sellerReason, requestedAt, doneAt, heldAt, exchAddress}], "returninvcPath". */
int st_retex_json(struct st_state *s, cJSON *root)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "retex");
	if (!arr || !add_str(root, "returninvcPath", s->returninvc_single ? "claimservice/returninvc" :
			     "claimservice/claimservice/returninvc"))
		return -1;
	for (size_t i = 0; i < s->nr; i++) {
		const struct st_rclaim *c = &s->rclaims[i];
		const struct st_line *l = &s->lines[c->line];
		cJSON *o = cJSON_CreateObject();
		char id[24], seq[12];
		snprintf(id, sizeof id, "%" PRIu64, c->seq);
		snprintf(seq, sizeof seq, "%d", l->seq);
		if (!o || !cJSON_AddItemToArray(arr, o))
			return -1;
		if (!add_str(o, "clmReqSeq", id) || !add_str(o, "type", c->exchange ? "EXCHANGE" : "RETURN") ||
		    !add_str(o, "ordNo", l->ord_no) || !add_str(o, "ordPrdSeq", seq) || !add_str(o, "status", c->stat) ||
		    !cJSON_AddNumberToObject(o, "qty", c->qty) || !add_str(o, "reasonCode", c->rsn) ||
		    !add_str(o, "reason", c->text) || !add_str(o, "feeMethod", c->fee_mthd) ||
		    !cJSON_AddNumberToObject(o, "fee", (double)c->fee) || !add_str(o, "twMthd", c->tw_mthd) ||
		    !add_str(o, "pickupCourier", c->pickup_courier) || !add_str(o, "pickupInvoice", c->pickup_invoice) ||
		    !add_str(o, "pickupMethod", c->pickup_mthd) || !add_str(o, "resendCourier", c->resend_courier) ||
		    !add_str(o, "resendInvoice", c->resend_invoice) || !add_str(o, "sellerCode", c->seller_code) ||
		    !add_str(o, "sellerReason", c->seller_text) || !add_time(o, "requestedAt", c->req_dt) ||
		    !add_time(o, "doneAt", c->end_dt) || !add_time(o, "heldAt", c->hold_dt))
			return -1;
		if (c->exchange) {
			cJSON *ea = cJSON_AddObjectToObject(o, "exchAddress");
			if (!ea || !add_str(ea, "name", c->exch.name) || !add_str(ea, "phone", c->exch.phone) ||
			    !add_str(ea, "zip", c->exch.zip) || !add_str(ea, "addr1", c->exch.addr1) ||
			    !add_str(ea, "addr2", c->exch.addr2))
				return -1;
		}
	}
	return 0;
}
