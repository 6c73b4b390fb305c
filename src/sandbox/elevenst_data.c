/* The 11st sandbox's data set: deterministic orders over --days ending at
 * --today in every state the lists show (paid, acknowledged, shipped,
 * delivered, confirmed), open / withdrawn / completed cancel claims, returns
 * and exchanges (generated in elevenst_ret.c), pending
 * address changes, bursts of paid orders on one day (beyond the 3,000-row
 * cap), reset to the data set as created, and the state JSON for tests. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/elevenst_state.h"
#include "util/str.h"

#define DAY ((ob_time)OB_DAY)

void st_time(ob_time t, char out[24])
{
	if (!t) {
		out[0] = '\0';
		return;
	}
	kst_format(t, out);
}

struct st_line *st_add_line(struct st_state *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct st_line *p = realloc(s->lines, cap * sizeof *p);
		if (!p)
			return NULL;
		s->lines = p;
		s->cap = cap;
	}
	struct st_line *l = &s->lines[s->n++];
	memset(l, 0, sizeof *l);
	return l;
}

struct st_claim *st_add_claim(struct st_state *s)
{
	if (s->nc == s->capc) {
		size_t cap = s->capc ? s->capc * 2 : 128;
		struct st_claim *p = realloc(s->claims, cap * sizeof *p);
		if (!p)
			return NULL;
		s->claims = p;
		s->capc = cap;
	}
	struct st_claim *c = &s->claims[s->nc++];
	memset(c, 0, sizeof *c);
	c->cn_seq = 8192583 + s->nc * 17; /* the doc's example claim number first */
	str_copy(c->typ, sizeof c->typ, "01");
	return c;
}

/* Couriers the generated shipments use, with an invoice length each accepts. */
static const struct {
	const char *code;
	int len;
} ship_couriers[] = {
	{ "00034", 12 }, { "00012", 12 }, { "00011", 12 }, { "00007", 13 }, { "00002", 11 },
};

static void gen_invoice(struct st_state *s, const char *courier, int len, char *out, size_t n)
{
	/* Unique per shipment: a leading 6 and a running number. */
	uint64_t k = s->next_seq * 7 + 1000;
	snprintf(out, n, "6%0*" PRIu64, len - 1, k);
	(void)courier;
}

static void new_ord_no(struct st_state *s, ob_time when, char *out, size_t n)
{
	char day[9];
	kst_strftime(day, sizeof day, "%Y%m%d", when);
	s->next_seq += 1 + sandbox_rng_below(&s->rng, 97);
	snprintf(out, n, "%s%09" PRIu64, day, s->next_seq % 1000000000u);
}

static void gen_addr(struct st_state *s, size_t i, struct st_addr *a)
{
	struct sandbox_address ad;
	if (i < sandbox_gen_fixed_addresses())
		sandbox_gen_fixed_address(i, &ad);
	else
		sandbox_gen_address(&s->rng, &ad);
	sandbox_gen_name(&s->rng, a->name, sizeof a->name);
	sandbox_gen_mobile(&s->rng, a->phone, sizeof a->phone);
	str_copy(a->zip, sizeof a->zip, ad.zip);
	str_copy(a->addr1, sizeof a->addr1, ad.addr1);
	str_copy(a->addr2, sizeof a->addr2, ad.addr2);
}

/* One order of nlines lines paid at stl, all in status stat. Returns the
 * index of its first line, or -1 when memory ran out. */
static long gen_order(struct st_state *s, size_t order_i, ob_time stl, int nlines, const char *stat)
{
	size_t np;
	const struct sandbox_product *prods = sandbox_gen_products(&np);
	char ord_no[24], buyer[32], tel[20], memid[40];
	new_ord_no(s, stl - 40, ord_no, sizeof ord_no);
	sandbox_gen_name(&s->rng, buyer, sizeof buyer);
	sandbox_gen_mobile(&s->rng, tel, sizeof tel);
	snprintf(memid, sizeof memid, "S|%08" PRIu64 "|%c%c%c***", 19834600 + s->next_seq % 1000000,
		 'A' + (int)sandbox_rng_below(&s->rng, 26), 'a' + (int)sandbox_rng_below(&s->rng, 26),
		 'a' + (int)sandbox_rng_below(&s->rng, 26));
	struct st_addr rcvr;
	gen_addr(s, order_i, &rcvr);
	/* Most buyers ship to themselves. */
	if (sandbox_rng_percent(&s->rng, 70)) {
		str_copy(rcvr.name, sizeof rcvr.name, buyer);
		str_copy(rcvr.phone, sizeof rcvr.phone, tel);
	}
	const char *memo = sandbox_gen_memo(&s->rng);
	uint64_t dlv_no = 2678260704u + s->next_seq * 3; /* next_seq only grows: unique */
	size_t p0 = (size_t)sandbox_rng_below(&s->rng, np);
	long first = (long)s->n;
	for (int k = 0; k < nlines; k++) {
		struct st_line *l = st_add_line(s);
		if (!l)
			return -1;
		/* The second line is often another option of the same product (one
		 * acknowledgement covers both), sometimes an add-on of the first. */
		size_t p = p0;
		bool addon = false;
		if (k > 0) {
			uint64_t roll = sandbox_rng_below(&s->rng, 100);
			if (roll < 10)
				addon = true;
			else if (roll >= 50)
				p = (size_t)sandbox_rng_below(&s->rng, np);
		}
		size_t nopt = 0;
		while (nopt < 4 && prods[p].options[nopt])
			nopt++;
		size_t opt = (size_t)sandbox_rng_below(&s->rng, nopt ? nopt : 1);
		str_copy(l->ord_no, sizeof l->ord_no, ord_no);
		l->seq = k + 1;
		l->dlv_no = dlv_no;
		l->qty = sandbox_rng_percent(&s->rng, 80) ? 1 : (int)sandbox_rng_range(&s->rng, 2, 4);
		if (addon) {
			l->add_prd = true;
			l->add_prd_no = s->lines[first].prd_no;
			l->prd_no = 9105050000u;
			l->stck_no = 44699800000u;
			str_copy(l->prd_nm, sizeof l->prd_nm, "추가구성: 전용 파우치");
			str_copy(l->opt_nm, sizeof l->opt_nm, "추가구성:전용 파우치-1개");
			l->sel_prc = 3000;
			str_copy(l->seller_prd_cd, sizeof l->seller_prd_cd, "ADD-POUCH");
		} else {
			l->prd_no = 9105055173u + p * 7919;
			l->stck_no = 44699820216u + p * 10 + opt;
			str_copy(l->prd_nm, sizeof l->prd_nm, prods[p].name);
			snprintf(l->opt_nm, sizeof l->opt_nm, "옵션:%s-%d개", nopt ? prods[p].options[opt] : "단일상품",
				 l->qty);
			l->sel_prc = prods[p].price;
			snprintf(l->seller_prd_cd, sizeof l->seller_prd_cd, "ST-%03zu", p);
			snprintf(l->seller_stock_cd, sizeof l->seller_stock_cd, "ST-%03zu-%zu", p, opt);
		}
		if (sandbox_rng_percent(&s->rng, 30))
			l->seller_dsc = l->sel_prc * l->qty / 10 / 10 * 10; /* 10 %, whole tens of won */
		if (sandbox_rng_percent(&s->rng, 20))
			l->tmall_dsc = 500;
		l->dlv_cst = k == 0 && l->sel_prc < 30000 ? 3000 : 0;
		str_copy(l->ord_nm, sizeof l->ord_nm, buyer);
		str_copy(l->ord_tel, sizeof l->ord_tel, tel);
		str_copy(l->mem_id, sizeof l->mem_id, memid);
		l->rcvr = rcvr;
		str_copy(l->memo, sizeof l->memo, memo ? memo : "");
		l->stl_dt = stl;
		l->ord_dt = stl - 40;
		l->due = kst_day_start(stl) + 3 * DAY;
		str_copy(l->stat, sizeof l->stat, stat);
	}
	return first;
}

/* Moves order lines [first, first+n) along the flow up to stat. */
static void advance(struct st_state *s, size_t first, size_t n, const char *stat)
{
	ob_time ack = s->lines[first].stl_dt + 600 + (ob_time)sandbox_rng_below(&s->rng, 20 * 3600);
	ob_time snd = ack + 3600 + (ob_time)sandbox_rng_below(&s->rng, 20 * 3600);
	ob_time end = snd + DAY + (ob_time)sandbox_rng_below(&s->rng, DAY);
	size_t ci = (size_t)sandbox_rng_below(&s->rng, sizeof ship_couriers / sizeof ship_couriers[0]);
	char inv[24];
	gen_invoice(s, ship_couriers[ci].code, ship_couriers[ci].len, inv, sizeof inv);
	for (size_t k = first; k < first + n; k++) {
		struct st_line *l = &s->lines[k];
		str_copy(l->stat, sizeof l->stat, stat);
		if (strcmp(stat, "202") == 0)
			continue;
		l->ack_dt = ack;
		if (strcmp(stat, "301") == 0)
			continue;
		l->snd_dt = snd;
		str_copy(l->courier, sizeof l->courier, ship_couriers[ci].code);
		str_copy(l->invoice, sizeof l->invoice, inv);
		if (strcmp(stat, "401") != 0)
			l->dlv_end_dt = end;
	}
}

static const char *pick_stat(struct st_state *s, ob_time stl)
{
	long age = (long)((s->g.today - kst_day_start(stl)) / DAY);
	unsigned roll = (unsigned)sandbox_rng_below(&s->rng, 100);
	if (age <= 0)
		return roll < 75 ? "202" : "301";
	if (age == 1)
		return roll < 40 ? "202" : "301";
	if (age <= 3)
		return roll < 40 ? "301" : "401";
	if (age <= 7)
		return roll < 40 ? "401" : "501";
	return roll < 40 ? "501" : "901";
}

int st_burst(struct st_state *s, ob_time day, int n)
{
	for (int k = 0; k < n; k++) {
		/* Spread evenly over the day, in time order. */
		ob_time stl = day + (ob_time)((int64_t)k * DAY / n);
		if (gen_order(s, s->n, stl, 1, "202") < 0)
			return -1;
	}
	return 0;
}

static int claims_for(struct st_state *s, size_t first, size_t n)
{
	struct st_line *l = &s->lines[first];
	unsigned roll = (unsigned)sandbox_rng_below(&s->rng, 100);
	if (strcmp(l->stat, "301") == 0 && roll < 15) {
		/* An open cancel request on one line: 취소처리중 (701). */
		size_t k = first + (size_t)sandbox_rng_below(&s->rng, n);
		struct st_line *t = &s->lines[k];
		struct st_claim *c = st_add_claim(s);
		if (!c)
			return -1;
		c->line = k;
		c->qty = t->qty > 1 && sandbox_rng_percent(&s->rng, 50) ? t->qty - 1 : t->qty;
		str_copy(c->stat, sizeof c->stat, "01");
		str_copy(c->by, sizeof c->by, "01");
		str_copy(c->rsn, sizeof c->rsn, sandbox_rng_percent(&s->rng, 50) ? "11" : "15");
		str_copy(c->text, sizeof c->text, strcmp(c->rsn, "11") == 0 ? "단순 변심입니다" :
			 "사이즈를 잘못 선택했어요, 다시 주문할게요");
		c->create_dt = t->ack_dt + 600 + (ob_time)sandbox_rng_below(&s->rng, 4 * 3600);
		str_copy(t->stat, sizeof t->stat, "701");
	} else if (strcmp(l->stat, "301") == 0 && roll < 20) {
		/* Asked, then taken back: the line is 301 again. */
		struct st_claim *c = st_add_claim(s);
		if (!c)
			return -1;
		c->line = first;
		c->qty = l->qty;
		str_copy(c->stat, sizeof c->stat, "05");
		str_copy(c->by, sizeof c->by, "01");
		str_copy(c->rsn, sizeof c->rsn, "14");
		str_copy(c->text, sizeof c->text, "다시 생각해보니 필요해요");
		c->create_dt = l->ack_dt + 1800;
		c->done_dt = c->create_dt + 7200;
	} else if ((strcmp(l->stat, "202") == 0 && roll < 6) || (strcmp(l->stat, "301") == 0 && roll < 23)) {
		/* Cancelled: by the buyer before acknowledgement, or by the seller. */
		bool seller = strcmp(l->stat, "301") == 0;
		for (size_t k = first; k < first + n; k++) {
			struct st_line *t = &s->lines[k];
			struct st_claim *c = st_add_claim(s);
			if (!c)
				return -1;
			c->line = k;
			c->qty = t->qty;
			str_copy(c->stat, sizeof c->stat, "02");
			str_copy(c->by, sizeof c->by, seller ? "02" : "01");
			str_copy(c->rsn, sizeof c->rsn, seller ? "08" : "11");
			str_copy(c->text, sizeof c->text, seller ? "재고 소진으로 발송이 어렵습니다" : "null");
			c->create_dt = (seller ? t->ack_dt : t->stl_dt) + 300 + (ob_time)sandbox_rng_below(&s->rng, 3600);
			c->done_dt = c->create_dt + (seller ? 0 : 60);
			t->cn_qty = t->qty;
			str_copy(t->stat, sizeof t->stat, "B01");
		}
	}
	return 0;
}

int st_snapshot(struct st_state *s)
{
	struct st_line *l = malloc((s->n ? s->n : 1) * sizeof *l);
	struct st_claim *c = malloc((s->nc ? s->nc : 1) * sizeof *c);
	struct st_rclaim *rc = malloc((s->nr ? s->nr : 1) * sizeof *rc);
	if (!l || !c || !rc) {
		free(l);
		free(c);
		free(rc);
		return -1;
	}
	if (s->nr)
		memcpy(rc, s->rclaims, s->nr * sizeof *rc);
	free(s->init_rclaims);
	s->init_rclaims = rc;
	s->init_nr = s->nr;
	s->next_rseq_init = s->next_rseq;
	if (s->n)
		memcpy(l, s->lines, s->n * sizeof *l);
	if (s->nc)
		memcpy(c, s->claims, s->nc * sizeof *c);
	free(s->init_lines);
	free(s->init_claims);
	s->init_lines = l;
	s->init_claims = c;
	s->init_n = s->n;
	s->init_nc = s->nc;
	s->next_seq_init = s->next_seq;
	return 0;
}

int st_create(const struct sandbox_gen_opts *o, struct st_state **out, struct ob_err *err)
{
	struct st_state *s = calloc(1, sizeof *s);
	if (!s)
		return ob_err_nomem(err);
	s->g = *o;
	sandbox_rng_seed(&s->rng, sandbox_rng_derive(o->seed, "11st"));
	s->next_seq = 44348000 + sandbox_rng_below(&s->rng, 900);
	int days = o->days > 0 ? o->days : 1;
	for (int i = 0; i < o->orders; i++) {
		ob_time day = o->today - (ob_time)sandbox_rng_below(&s->rng, (uint64_t)days) * DAY;
		ob_time stl = day + 6 * 3600 + (ob_time)sandbox_rng_below(&s->rng, 17 * 3600);
		int nlines = sandbox_rng_percent(&s->rng, 80) ? 1 : sandbox_rng_percent(&s->rng, 75) ? 2 : 3;
		const char *stat = pick_stat(s, stl);
		long first = gen_order(s, (size_t)i, stl, nlines, "202");
		if (first < 0)
			goto oom;
		advance(s, (size_t)first, (size_t)nlines, stat);
		if (claims_for(s, (size_t)first, (size_t)nlines) < 0)
			goto oom;
		/* The buyer changed the address after the seller's export. */
		if (strcmp(s->lines[first].stat, "202") == 0 && sandbox_rng_percent(&s->rng, 10)) {
			struct st_addr next;
			gen_addr(s, sandbox_gen_fixed_addresses(), &next);
			for (long k = first; k < first + nlines; k++) {
				s->lines[k].pending = true;
				s->lines[k].next = next;
			}
		}
	}
	/* After the orders, from a stream of its own: the orders stay as they were. */
	if (st_retex_generate(s) < 0 || st_snapshot(s) < 0)
		goto oom;
	*out = s;
	return OB_OK;
oom:
	st_free(s);
	return ob_err_nomem(err);
}

void st_free(struct st_state *s)
{
	if (!s)
		return;
	free(s->lines);
	free(s->claims);
	free(s->init_lines);
	free(s->init_claims);
	free(s->rclaims);
	free(s->init_rclaims);
	free(s);
}

int st_reset(struct st_state *s, struct ob_err *err)
{
	if (s->cap < s->init_n || s->capc < s->init_nc) {
		struct st_line *l = realloc(s->lines, (s->init_n ? s->init_n : 1) * sizeof *l);
		if (!l)
			return ob_err_nomem(err);
		s->lines = l;
		s->cap = s->init_n ? s->init_n : 1;
		struct st_claim *c = realloc(s->claims, (s->init_nc ? s->init_nc : 1) * sizeof *c);
		if (!c)
			return ob_err_nomem(err);
		s->claims = c;
		s->capc = s->init_nc ? s->init_nc : 1;
	}
	if (s->capr < s->init_nr) {
		struct st_rclaim *r = realloc(s->rclaims, s->init_nr * sizeof *r);
		if (!r)
			return ob_err_nomem(err);
		s->rclaims = r;
		s->capr = s->init_nr;
	}
	if (s->init_nr)
		memcpy(s->rclaims, s->init_rclaims, s->init_nr * sizeof *s->rclaims);
	s->nr = s->init_nr;
	s->next_rseq = s->next_rseq_init;
	s->returninvc_single = false;
	if (s->init_n)
		memcpy(s->lines, s->init_lines, s->init_n * sizeof *s->lines);
	if (s->init_nc)
		memcpy(s->claims, s->init_claims, s->init_nc * sizeof *s->claims);
	s->n = s->init_n;
	s->nc = s->init_nc;
	s->next_seq = s->next_seq_init;
	s->maintenance = false;
	sandbox_rng_seed(&s->rng, sandbox_rng_derive(s->g.seed, "11st:after"));
	return OB_OK;
}

static cJSON *addr_json(const struct st_addr *a)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "name", a->name) || !cJSON_AddStringToObject(o, "phone", a->phone) ||
	    !cJSON_AddStringToObject(o, "zip", a->zip) || !cJSON_AddStringToObject(o, "addr1", a->addr1) ||
	    !cJSON_AddStringToObject(o, "addr2", a->addr2)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static bool add_u64(cJSON *o, const char *k, uint64_t v)
{
	char t[24];
	snprintf(t, sizeof t, "%" PRIu64, v);
	return cJSON_AddStringToObject(o, k, t) != NULL;
}

static bool add_time(cJSON *o, const char *k, ob_time t)
{
	char s[24];
	st_time(t, s);
	return cJSON_AddStringToObject(o, k, s) != NULL;
}

/* {"lines":[...], "claims":[...], "counts":{"202":n,...}}; every id a string. */
int st_state_json(struct st_state *s, cJSON *root)
{
	cJSON *lines = cJSON_AddArrayToObject(root, "lines");
	cJSON *claims = cJSON_AddArrayToObject(root, "claims");
	cJSON *counts = cJSON_AddObjectToObject(root, "counts");
	if (!lines || !claims || !counts || !cJSON_AddBoolToObject(root, "maintenance", s->maintenance))
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		const struct st_line *l = &s->lines[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(lines, o))
			return -1;
		char seq[12];
		snprintf(seq, sizeof seq, "%d", l->seq);
		cJSON *a = addr_json(&l->rcvr);
		if (!a || !cJSON_AddItemToObject(o, "receiver", a))
			return -1;
		if (l->pending) {
			cJSON *nx = addr_json(&l->next);
			if (!nx || !cJSON_AddItemToObject(o, "pendingAddress", nx))
				return -1;
		}
		if (!cJSON_AddStringToObject(o, "ordNo", l->ord_no) || !cJSON_AddStringToObject(o, "ordPrdSeq", seq) ||
		    !add_u64(o, "dlvNo", l->dlv_no) || !add_u64(o, "prdNo", l->prd_no) ||
		    !add_u64(o, "prdStckNo", l->stck_no) || !cJSON_AddStringToObject(o, "status", l->stat) ||
		    !cJSON_AddNumberToObject(o, "qty", l->qty) || !cJSON_AddNumberToObject(o, "cancelQty", l->cn_qty) ||
		    !cJSON_AddStringToObject(o, "addPrdYn", l->add_prd ? "Y" : "N") ||
		    !cJSON_AddStringToObject(o, "prdNm", l->prd_nm) || !cJSON_AddStringToObject(o, "optNm", l->opt_nm) ||
		    !cJSON_AddStringToObject(o, "ordNm", l->ord_nm) || !cJSON_AddStringToObject(o, "memo", l->memo) ||
		    !add_time(o, "paidAt", l->stl_dt) || !add_time(o, "acknowledgedAt", l->ack_dt) ||
		    !add_time(o, "shippedAt", l->snd_dt) || !add_time(o, "deliveredAt", l->dlv_end_dt) ||
		    !add_time(o, "delayUntil", l->delay_dt) || !cJSON_AddStringToObject(o, "delayReason", l->delay_rsn) ||
		    !cJSON_AddStringToObject(o, "courier", l->courier) || !cJSON_AddStringToObject(o, "invoice", l->invoice))
			return -1;
		cJSON *cnt = cJSON_GetObjectItemCaseSensitive(counts, l->stat);
		if (cnt)
			cJSON_SetNumberValue(cnt, cnt->valuedouble + 1);
		else if (!cJSON_AddNumberToObject(counts, l->stat, 1))
			return -1;
	}
	for (size_t i = 0; i < s->nc; i++) {
		const struct st_claim *c = &s->claims[i];
		const struct st_line *l = &s->lines[c->line];
		cJSON *o = cJSON_CreateObject();
		char seq[12];
		snprintf(seq, sizeof seq, "%d", l->seq);
		if (!o || !cJSON_AddItemToArray(claims, o) || !add_u64(o, "ordPrdCnSeq", c->cn_seq) ||
		    !cJSON_AddStringToObject(o, "ordNo", l->ord_no) || !cJSON_AddStringToObject(o, "ordPrdSeq", seq) ||
		    !cJSON_AddStringToObject(o, "status", c->stat) || !cJSON_AddStringToObject(o, "by", c->by) ||
		    !cJSON_AddStringToObject(o, "reasonCode", c->rsn) || !cJSON_AddStringToObject(o, "reason", c->text) ||
		    !cJSON_AddNumberToObject(o, "qty", c->qty) || !add_time(o, "createdAt", c->create_dt) ||
		    !add_time(o, "doneAt", c->done_dt))
			return -1;
	}
	return st_retex_json(s, root);
}
