/* The SmartStore sandbox's data: a deterministic data set from the seed (paid
 * orders before and after 발주확인, bulk dispatches and purchase decisions that
 * put hundreds of feed events on one timestamp, cancel requests for part of a
 * line, withdrawn requests, cancels before confirmation, address changes),
 * the change feed, the product-orders/query JSON, the state JSON and the test
 * setters. Every generated time lies in the --days whole days before --today,
 * so the data set does not depend on the time of day the sandbox starts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/gen.h"
#include "sandbox/smartstore.h"
#include "sandbox/smartstore_state.h"
#include "util/str.h"

/* --- JSON helpers --- */

void ssx_jadd(cJSON *o, const char *k, cJSON *item, bool *ok)
{
	if (*ok && o && item && cJSON_AddItemToObject(o, k, item))
		return;
	cJSON_Delete(item);
	*ok = false;
}

void ssx_jpush(cJSON *arr, cJSON *item, bool *ok)
{
	if (*ok && arr && item && cJSON_AddItemToArray(arr, item))
		return;
	cJSON_Delete(item);
	*ok = false;
}

void ssx_js(cJSON *o, const char *k, const char *v, bool *ok)
{
	ssx_jadd(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull(), ok);
}

void ssx_jn(cJSON *o, const char *k, double v, bool *ok)
{
	ssx_jadd(o, k, cJSON_CreateNumber(v), ok);
}

void ssx_jb(cJSON *o, const char *k, bool v, bool *ok)
{
	ssx_jadd(o, k, cJSON_CreateBool(v), ok);
}

void ssx_jid(cJSON *o, const char *k, uint64_t v, bool *ok)
{
	/* Naver sends its 16-digit ids as strings. */
	char t[24];
	snprintf(t, sizeof t, "%" PRIu64, v);
	ssx_js(o, k, t, ok);
}

void ssx_jtime(cJSON *o, const char *k, ob_time t, int ms, bool *ok)
{
	if (!t)
		return;
	char s[48];
	ssx_time_text(t, ms, s, sizeof s);
	ssx_js(o, k, s, ok);
}

void ssx_time_text(ob_time t, int ms, char *out, size_t n)
{
	char base[32];
	kst_strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", t);
	snprintf(out, n, "%s.%03d+09:00", base, ms < 0 ? 0 : ms % 1000);
}

int ssx_time_parse(const char *s, ob_time *t, int *ms)
{
	/* yyyy-MM-dd'T'HH:mm:ss.SSSXXX, exactly (the docs insist, B1). */
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddd";
	size_t n = strlen(s);
	if (n != 29 && n != 24)
		return -1;
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return -1;
	}
	const char *off = s + 23;
	if (!(strcmp(off, "Z") == 0 || ((off[0] == '+' || off[0] == '-') && strlen(off) == 6 && off[3] == ':')))
		return -1;
	char iso[40];
	snprintf(iso, sizeof iso, "%.19s%s", s, off);
	if (kst_parse(iso, t) < 0)
		return -1;
	*ms = (s[20] - '0') * 100 + (s[21] - '0') * 10 + (s[22] - '0');
	return 0;
}

/* --- changes --- */

static const char *const change_names[SSX_CHANGE__COUNT] = {
	"PAYED", "DELIVERY_ADDRESS_CHANGED", "DISPATCHED", "CLAIM_REQUESTED", "CLAIM_REJECTED", "CLAIM_COMPLETED",
	"PURCHASE_DECIDED", "COLLECT_DONE", "CLAIM_REDELIVERING",
};

const char *ssx_change_name(enum ssx_change c)
{
	return c < SSX_CHANGE__COUNT ? change_names[c] : "";
}

bool ssx_change_type_known(const char *s)
{
	static const char *const all[] = {
		"PAY_WAITING",     "PAYED",           "EXCHANGE_OPTION", "DELIVERY_ADDRESS_CHANGED", "GIFT_RECEIVED",
		"CLAIM_REJECTED",  "DISPATCHED",      "CLAIM_REQUESTED", "COLLECT_DONE",             "CLAIM_COMPLETED",
		"PURCHASE_DECIDED", "HOPE_DELIVERY_INFO_CHANGED",        "CLAIM_REDELIVERING",
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (str_eq(s, all[i]))
			return true;
	return false;
}

static uint64_t day_id(ob_time t, uint64_t seq)
{
	char d[16];
	kst_strftime(d, sizeof d, "%Y%m%d", t);
	return strtoull(d, NULL, 10) * 100000000ull + seq % 100000000ull;
}

uint64_t ssx_new_claim_id(struct ssx_state *st, ob_time now)
{
	return day_id(now, st->next_claim++);
}

struct ssx_po *ssx_po_find(struct ssx_state *st, uint64_t id)
{
	for (size_t i = 0; i < st->npos; i++)
		if (st->pos[i].id == id)
			return &st->pos[i];
	return NULL;
}

static int ev_cmp_key(const struct ssx_state *st, const struct ssx_event *a, const struct ssx_event *b)
{
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->ms != b->ms)
		return a->ms < b->ms ? -1 : 1;
	uint64_t ia = st->pos[a->po].id, ib = st->pos[b->po].id;
	return ia < ib ? -1 : ia > ib;
}

static const struct ssx_state *sort_state; /* qsort has no context argument */

static int ev_qsort_cmp(const void *a, const void *b)
{
	return ev_cmp_key(sort_state, a, b);
}

static int ev_push(struct ssx_state *st, const struct ssx_event *e)
{
	if (st->nevs == st->capevs) {
		size_t cap = st->capevs ? st->capevs * 2 : 1024;
		struct ssx_event *p = realloc(st->evs, cap * sizeof *p);
		if (!p)
			return -1;
		st->evs = p;
		st->capevs = cap;
	}
	st->evs[st->nevs++] = *e;
	return 0;
}

static void snapshot(struct ssx_event *e, const char *status, const char *claim_type, const char *claim_status,
		     bool addr)
{
	str_copy(e->status, sizeof e->status, status);
	str_copy(e->claim_type, sizeof e->claim_type, claim_status && *claim_status ? claim_type : "");
	str_copy(e->claim_status, sizeof e->claim_status, claim_status ? claim_status : "");
	e->addr_changed = addr;
}

int ssx_event_add(struct ssx_state *st, struct ssx_po *po, enum ssx_change c, ob_time t, int ms)
{
	struct ssx_event e;
	memset(&e, 0, sizeof e);
	e.t = t;
	e.ms = ms;
	e.po = (uint32_t)(po - st->pos);
	e.change = (uint8_t)c;
	snapshot(&e, po->status, ssx_claim_type(po), ssx_claim_status(po), po->addr_changed);
	if (ev_push(st, &e) < 0)
		return -1;
	/* Keep the feed sorted: the new event moves back past later ones. */
	size_t i = st->nevs - 1;
	while (i > 0 && ev_cmp_key(st, &st->evs[i - 1], &e) > 0) {
		st->evs[i] = st->evs[i - 1];
		i--;
	}
	st->evs[i] = e;
	return 0;
}

const char *ssx_claim_type(const struct ssx_po *po)
{
	return po->rx_id ? (po->rx_exchange ? "EXCHANGE" : "RETURN") : po->claim_id ? "CANCEL" : "";
}

const char *ssx_claim_status(const struct ssx_po *po)
{
	return po->rx_id ? po->rx_status : po->claim_id ? po->claim_status : "";
}

bool ssx_retex_open(const struct ssx_po *po)
{
	static const char *const open[] = { "RETURN_REQUEST", "EXCHANGE_REQUEST", "COLLECTING", "COLLECT_DONE" };
	for (size_t i = 0; po->rx_id && i < sizeof open / sizeof open[0]; i++)
		if (str_eq(po->rx_status, open[i]))
			return true;
	return false;
}

/* Reasons that are the buyer's doing: the buyer pays the trip (B13 list). */
static bool buyer_fault(const char *reason)
{
	return str_eq(reason, "INTENT_CHANGED") || str_eq(reason, "COLOR_AND_SIZE") || str_eq(reason, "WRONG_ORDER") ||
	       str_eq(reason, "PRODUCT_UNSATISFIED");
}

int ssx_buyer_retex(struct ssx_state *st, struct ssx_po *po, bool exchange, int64_t qty, const char *reason,
		    ob_time now)
{
	po->rx_id = ssx_new_claim_id(st, now);
	po->rx_exchange = exchange;
	str_copy(po->rx_status, sizeof po->rx_status, exchange ? "EXCHANGE_REQUEST" : "RETURN_REQUEST");
	po->rx_at = now;
	po->rx_collected = po->rx_done = po->rx_redelivered = 0;
	po->rx_qty = qty;
	str_copy(po->rx_reason, sizeof po->rx_reason, reason && *reason ? reason : "INTENT_CHANGED");
	str_copy(po->rx_detail, sizeof po->rx_detail, exchange ? "다른 사이즈로 바꿔 주세요" : "단순 변심");
	str_copy(po->rx_channel, sizeof po->rx_channel, "구매자");
	str_copy(po->collect_status, sizeof po->collect_status, "NOT_REQUESTED");
	po->collect_courier[0] = po->collect_tracking[0] = '\0';
	/* A one-way trip for a return, both ways for an exchange. */
	po->rx_fee = buyer_fault(po->rx_reason) ? (exchange ? 6000 : 3000) : 0;
	po->reject_reason[0] = po->hold_status[0] = po->hold_class[0] = po->hold_detail[0] = '\0';
	po->hold_fee = 0;
	po->hold_at = po->hold_released = 0;
	po->re_courier[0] = po->re_tracking[0] = '\0';
	return ssx_event_add(st, po, SSX_CLAIM_REQUESTED, now, 0);
}

void ssx_return_done(struct ssx_po *po, ob_time now)
{
	int64_t q = po->rx_qty > po->remain ? po->remain : po->rx_qty;
	po->remain -= q;
	str_copy(po->rx_status, sizeof po->rx_status, "RETURN_DONE");
	po->rx_done = now;
	if (po->remain <= 0)
		str_copy(po->status, sizeof po->status, "RETURNED");
}

bool ssx_cancel_open(const struct ssx_po *po)
{
	return po->claim_id && str_eq(po->claim_status, "CANCEL_REQUEST");
}

void ssx_cancel_apply(struct ssx_po *po, int64_t qty, ob_time now)
{
	if (qty > po->remain)
		qty = po->remain;
	po->remain -= qty;
	str_copy(po->claim_status, sizeof po->claim_status, "CANCEL_DONE");
	if (!po->approved_at)
		po->approved_at = now;
	po->done_at = now;
	if (po->remain <= 0)
		str_copy(po->status, sizeof po->status, "CANCELED");
}

int ssx_buyer_cancel(struct ssx_state *st, struct ssx_po *po, int64_t qty, const char *reason, ob_time now)
{
	po->claim_id = ssx_new_claim_id(st, now);
	po->claim_at = now;
	po->approved_at = po->done_at = 0;
	po->claim_qty = qty;
	str_copy(po->channel, sizeof po->channel, "구매자");
	str_copy(po->cancel_reason, sizeof po->cancel_reason, "INTENT_CHANGED");
	str_copy(po->cancel_detail, sizeof po->cancel_detail, reason ? reason : "");
	if (!str_eq(po->place, "OK")) {
		/* Before 발주확인 the buyer's cancel goes through at once. */
		ssx_cancel_apply(po, qty, now);
		return ssx_event_add(st, po, SSX_CLAIM_COMPLETED, now, 0);
	}
	str_copy(po->claim_status, sizeof po->claim_status, "CANCEL_REQUEST");
	return ssx_event_add(st, po, SSX_CLAIM_REQUESTED, now, 0);
}

/* --- generation --- */

enum fate {
	F_NOT_YET,
	F_OK,
	F_SHIPPING,
	F_DELIVERED,
	F_DECIDED,
	F_ADDR,
	F_PART_REQ,
	F_FULL_REQ,
	F_WITHDRAWN,
	F_DONE_BEFORE,
	F_APPROVED,
};

struct gen {
	struct sandbox_rng r;
	struct ssx_state *st;
	ob_time start, end;   /* [start, end): every generated time */
	uint64_t seq_order, seq_po, seq_pkg, seq_tracking;
	size_t cap, norders;
	bool ok;
};

/* The first bulk dispatch (16:00) at least two hours after t. */
static ob_time dispatch_slot(ob_time t)
{
	ob_time s = kst_day_start(t) + 16 * 3600;
	return s >= t + 2 * 3600 ? s : s + OB_DAY;
}

static ob_time rnd_between(struct gen *g, ob_time lo, ob_time hi)
{
	return hi <= lo ? lo : (ob_time)sandbox_rng_range(&g->r, lo, hi);
}

static struct ssx_po *po_new(struct gen *g)
{
	struct ssx_state *st = g->st;
	if (st->npos == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct ssx_po *p = realloc(st->pos, cap * sizeof *p);
		if (!p) {
			g->ok = false;
			return NULL;
		}
		st->pos = p;
		g->cap = cap;
	}
	struct ssx_po *po = &st->pos[st->npos++];
	memset(po, 0, sizeof *po);
	return po;
}

static void gen_event_t(struct gen *g, struct ssx_po *po, enum ssx_change c, ob_time t, int ms, const char *status,
			const char *claim_type, const char *claim_status)
{
	struct ssx_event e;
	memset(&e, 0, sizeof e);
	e.t = t;
	e.ms = ms;
	e.po = (uint32_t)(po - g->st->pos);
	e.change = (uint8_t)c;
	snapshot(&e, status, claim_type, claim_status, po->addr_changed);
	if (g->ok && ev_push(g->st, &e) < 0)
		g->ok = false;
}

static void gen_event(struct gen *g, struct ssx_po *po, enum ssx_change c, ob_time t, int ms, const char *status,
		      const char *claim_status)
{
	gen_event_t(g, po, c, t, ms, status, "CANCEL", claim_status);
}

static void tracking_for(struct gen *g, char *out, size_t n)
{
	/* CJ대한통운 style 12 digits, unique per package. */
	snprintf(out, n, "6%011" PRIu64, (uint64_t)(UINT64_C(40000000000) + g->seq_tracking++));
}

/* One order: 1-2 product orders in one package, all with the same fate; the
 * claim scenarios apply to its first product order. */
static void gen_order(struct gen *g, enum fate fate, bool early)
{
	struct sandbox_rng *r = &g->r;
	size_t nprod;
	const struct sandbox_product *prods = sandbox_gen_products(&nprod);
	/* Scenarios the tests look for are paid early, so their later steps fit. */
	ob_time hi = early ? g->start + (g->end - g->start) / 3 : g->end - 6 * 3600;
	ob_time paid = rnd_between(g, g->start, hi);
	int paid_ms = (int)sandbox_rng_below(r, 1000);
	if (!early && sandbox_rng_percent(r, 6)) {
		/* A promotion at 20:00 sharp: many payments on one timestamp. */
		ob_time p = kst_day_start(paid) + 20 * 3600;
		if (p >= g->start && p < g->end - 6 * 3600) {
			paid = p;
			paid_ms = 0;
		}
	}
	ob_time placed = paid + rnd_between(g, 600, 5 * 3600);
	ob_time sent = dispatch_slot(placed), delivered = sent + rnd_between(g, 18 * 3600, 40 * 3600);
	ob_time decided = kst_day_start(delivered) + 2 * OB_DAY;
	ob_time claim_at = placed + rnd_between(g, 600, 8 * 3600);
	ob_time claim_end = claim_at + rnd_between(g, 600, 4 * 3600);
	/* Steps that would fall on or after --today do not happen yet. */
	if ((fate == F_SHIPPING || fate == F_DELIVERED || fate == F_DECIDED) && sent >= g->end)
		fate = F_OK;
	if ((fate == F_DELIVERED || fate == F_DECIDED) && delivered >= g->end)
		fate = F_SHIPPING;
	if (fate == F_DECIDED && decided >= g->end)
		fate = F_DELIVERED;
	if ((fate == F_PART_REQ || fate == F_FULL_REQ) && claim_at >= g->end)
		fate = F_OK;
	if ((fate == F_WITHDRAWN || fate == F_APPROVED) && claim_end >= g->end)
		fate = F_OK;
	if (fate == F_DONE_BEFORE) {
		claim_at = paid + rnd_between(g, 300, 2 * 3600);
		if (claim_at >= g->end)
			fate = F_NOT_YET;
	}
	if (fate == F_ADDR && placed >= g->end)
		fate = F_NOT_YET;

	g->norders++;
	uint64_t order_id = day_id(paid, g->seq_order++);
	uint64_t package = day_id(paid, g->seq_pkg++);
	char orderer[32], otel[20];
	sandbox_gen_name(r, orderer, sizeof orderer);
	sandbox_gen_mobile(r, otel, sizeof otel);
	char rname[32], rtel[20];
	if (sandbox_rng_percent(r, 70)) {
		str_copy(rname, sizeof rname, orderer);
		str_copy(rtel, sizeof rtel, otel);
	} else {
		sandbox_gen_name(r, rname, sizeof rname);
		sandbox_gen_mobile(r, rtel, sizeof rtel);
	}
	struct sandbox_address addr;
	size_t nfixed = sandbox_gen_fixed_addresses();
	/* The first orders get the fixed addresses (zip codes with a leading zero). */
	if (g->norders < nfixed)
		sandbox_gen_fixed_address(g->norders, &addr);
	else
		sandbox_gen_address(r, &addr);
	const char *memo = sandbox_gen_memo(r);
	char tracking[32];
	tracking_for(g, tracking, sizeof tracking);
	size_t nlines = sandbox_rng_percent(r, 20) ? 2 : 1;
	int64_t sum = 0;
	for (size_t k = 0; k < nlines && g->ok; k++) {
		struct ssx_po *po = po_new(g);
		if (!po)
			return;
		po->id = day_id(paid, g->seq_po++);
		po->order_id = order_id;
		po->package = package;
		po->ordered = paid - (ob_time)sandbox_rng_below(r, 300);
		po->paid = paid;
		po->product = (int)sandbox_rng_below(r, nprod);
		const struct sandbox_product *pr = &prods[po->product];
		size_t nopt = 0;
		while (nopt < 4 && pr->options[nopt])
			nopt++;
		po->option = (int)sandbox_rng_below(r, nopt ? nopt : 1);
		po->unit_price = pr->price;
		po->option_price = po->option > 0 ? 1000 * po->option : 0;
		uint64_t q = sandbox_rng_below(r, 10);
		po->qty = q < 7 ? 1 : q < 9 ? 2 : 3;
		bool first = k == 0;
		if (first && (fate == F_PART_REQ))
			po->qty = 3;
		po->remain = po->qty;
		po->discount = sandbox_rng_percent(r, 15) ? 1000 * po->qty : 0;
		sum += (po->unit_price + po->option_price) * po->qty - po->discount;
		str_copy(po->orderer, sizeof po->orderer, orderer);
		str_copy(po->orderer_tel, sizeof po->orderer_tel, otel);
		snprintf(po->orderer_id, sizeof po->orderer_id, "buyer%06" PRIu64, order_id % 1000000);
		str_copy(po->name, sizeof po->name, rname);
		str_copy(po->tel, sizeof po->tel, rtel);
		str_copy(po->zip, sizeof po->zip, addr.zip);
		str_copy(po->addr1, sizeof po->addr1, addr.addr1);
		str_copy(po->addr2, sizeof po->addr2, addr.addr2);
		po->memo = memo;
		po->ship_due = kst_day_start(paid) + 3 * OB_DAY + OB_DAY - 1;
		str_copy(po->status, sizeof po->status, "PAYED");
		str_copy(po->place, sizeof po->place, "NOT_YET");
		gen_event(g, po, SSX_PAYED, paid, paid_ms, "PAYED", NULL);

		enum fate f = fate;
		/* Claims touch the first line; the others go on as confirmed. */
		if (!first && f >= F_PART_REQ)
			f = f == F_DONE_BEFORE ? F_NOT_YET : F_OK;
		if (f == F_NOT_YET)
			continue;
		if (f == F_ADDR) {
			/* The buyer moved the delivery before 발주확인. */
			struct sandbox_address na;
			sandbox_gen_address(r, &na);
			str_copy(po->zip, sizeof po->zip, na.zip);
			str_copy(po->addr1, sizeof po->addr1, na.addr1);
			str_copy(po->addr2, sizeof po->addr2, na.addr2);
			po->addr_changed = true;
			gen_event(g, po, SSX_ADDRESS_CHANGED, placed, 0, "PAYED", NULL);
			continue;
		}
		if (f == F_DONE_BEFORE) {
			po->claim_id = ssx_new_claim_id(g->st, claim_at);
			po->claim_at = claim_at;
			po->claim_qty = po->qty;
			str_copy(po->channel, sizeof po->channel, "구매자");
			str_copy(po->cancel_reason, sizeof po->cancel_reason, "INTENT_CHANGED");
			str_copy(po->cancel_detail, sizeof po->cancel_detail, "단순 변심");
			ssx_cancel_apply(po, po->qty, claim_at);
			gen_event(g, po, SSX_CLAIM_COMPLETED, claim_at, 0, "CANCELED", "CANCEL_DONE");
			continue;
		}
		str_copy(po->place, sizeof po->place, "OK");
		po->placed = placed;
		if (f == F_OK)
			continue;
		if (f == F_SHIPPING || f == F_DELIVERED || f == F_DECIDED) {
			str_copy(po->courier, sizeof po->courier, "CJGLS");
			str_copy(po->tracking, sizeof po->tracking, tracking);
			po->sent = sent;
			str_copy(po->status, sizeof po->status, "DELIVERING");
			gen_event(g, po, SSX_DISPATCHED, sent, 0, "DELIVERING", NULL);
			if (f == F_SHIPPING)
				continue;
			po->delivered = delivered;
			str_copy(po->status, sizeof po->status, "DELIVERED");
			if (f == F_DELIVERED)
				continue;
			/* Purchase decisions run as a nightly batch at midnight. */
			po->decided = decided;
			str_copy(po->status, sizeof po->status, "PURCHASE_DECIDED");
			gen_event(g, po, SSX_PURCHASE_DECIDED, decided, 0, "PURCHASE_DECIDED", NULL);
			continue;
		}
		/* The buyer asks to cancel after 발주확인. */
		po->claim_id = ssx_new_claim_id(g->st, claim_at);
		po->claim_at = claim_at;
		po->claim_qty = f == F_PART_REQ ? 1 : po->qty;
		str_copy(po->channel, sizeof po->channel, "구매자");
		str_copy(po->cancel_reason, sizeof po->cancel_reason, f == F_PART_REQ ? "INTENT_CHANGED" : "DELAYED_DELIVERY");
		str_copy(po->cancel_detail, sizeof po->cancel_detail, f == F_PART_REQ ? "하나만 필요해요" : "배송이 늦어요");
		str_copy(po->claim_status, sizeof po->claim_status, "CANCEL_REQUEST");
		gen_event(g, po, SSX_CLAIM_REQUESTED, claim_at, 0, "PAYED", "CANCEL_REQUEST");
		if (f == F_WITHDRAWN) {
			str_copy(po->claim_status, sizeof po->claim_status, "CANCEL_REJECT");
			gen_event(g, po, SSX_CLAIM_REJECTED, claim_end, 0, "PAYED", "CANCEL_REJECT");
		} else if (f == F_APPROVED) {
			ssx_cancel_apply(po, po->claim_qty, claim_end);
			gen_event(g, po, SSX_CLAIM_COMPLETED, claim_end, 0, po->status, "CANCEL_DONE");
		}
	}
	if (!g->ok)
		return;
	/* The package's delivery fee sits on its first line (free from 30,000). */
	struct ssx_po *first = &g->st->pos[g->st->npos - nlines];
	first->fee = sum >= 30000 ? 0 : 3000;
}

/* Returns and exchanges: extra orders after the --orders ones, from their
 * own random stream so the other orders stay as they were. */
enum rx_fate {
	RX_R_REQ,         /* RETURN_REQUEST, nothing collected yet */
	RX_R_PART,        /* RETURN_REQUEST of 1 of 3 */
	RX_R_COLLECTING,  /* the courier picks it up */
	RX_R_COLLECTED,   /* COLLECT_DONE, waiting for the seller */
	RX_R_HELD,        /* COLLECT_DONE, held for the return fee */
	RX_R_DONE,        /* RETURN_DONE */
	RX_R_WITHDRAWN,   /* RETURN_REJECT: the buyer took it back */
	RX_X_REQ,         /* EXCHANGE_REQUEST */
	RX_X_COLLECTING,
	RX_X_HELD,        /* COLLECTING, held for the exchange fee */
	RX_X_COLLECTED,   /* the seller confirmed the pickup (collect/approve) */
	RX_X_REDELIVERING,
	RX_X_DONE,        /* EXCHANGE_DONE */
	RX_X_WITHDRAWN,   /* EXCHANGE_REJECT */
	RX__COUNT
};

static void gen_retex(struct gen *g, enum rx_fate fate)
{
	static const char *const ret_reasons[] = { "INTENT_CHANGED", "COLOR_AND_SIZE", "BROKEN", "WRONG_DELIVERY",
						   "PRODUCT_UNSATISFIED", "WRONG_OPTION" };
	static const char *const ret_details[] = { "생각보다 커요", "사이즈가 안 맞아요", "포장이 찢어져 왔어요",
						   "다른 상품이 왔어요", "색이 사진과 달라요", "옵션이 다르게 왔어요" };
	struct sandbox_rng *r = &g->r;
	size_t nprod;
	const struct sandbox_product *prods = sandbox_gen_products(&nprod);
	bool ex = fate >= RX_X_REQ;
	/* A compact timeline, so that --days 3 holds every step: paid in the
	 * first quarter, shipped at the next 16:00, the claim within hours of
	 * the delivery. Steps on or after --today do not happen yet. */
	ob_time span = g->end - g->start;
	ob_time paid = rnd_between(g, g->start, g->start + (span / 4 < 12 * 3600 ? span / 4 : 12 * 3600));
	ob_time placed = paid + rnd_between(g, 600, 3600);
	ob_time sent = dispatch_slot(placed), delivered = sent + rnd_between(g, 12 * 3600, 20 * 3600);
	ob_time claim_at = delivered + rnd_between(g, 3600, 6 * 3600);
	ob_time collecting = claim_at + rnd_between(g, 3600, 4 * 3600);
	ob_time collected = collecting + rnd_between(g, 3 * 3600, 8 * 3600);
	ob_time after = collected + rnd_between(g, 3600, 4 * 3600);
	ob_time redelivered = collected + rnd_between(g, 3600, 3 * 3600);
	ob_time ex_done = redelivered + rnd_between(g, 8 * 3600, 16 * 3600);
	ob_time withdrawn = claim_at + rnd_between(g, 1800, 3 * 3600);
	if (sent >= g->end)
		return; /* --days too short for any of it */

	g->norders++;
	struct ssx_po *po = po_new(g);
	if (!po)
		return;
	po->id = day_id(paid, g->seq_po++);
	po->order_id = day_id(paid, g->seq_order++);
	po->package = day_id(paid, g->seq_pkg++);
	po->ordered = paid - (ob_time)sandbox_rng_below(r, 300);
	po->paid = paid;
	po->product = (int)sandbox_rng_below(r, nprod);
	const struct sandbox_product *pr = &prods[po->product];
	size_t nopt = 0;
	while (nopt < 4 && pr->options[nopt])
		nopt++;
	po->option = (int)sandbox_rng_below(r, nopt ? nopt : 1);
	po->unit_price = pr->price;
	po->option_price = po->option > 0 ? 1000 * po->option : 0;
	po->qty = fate == RX_R_PART ? 3 : sandbox_rng_percent(r, 30) ? 2 : 1;
	po->remain = po->qty;
	po->fee = (po->unit_price + po->option_price) * po->qty >= 30000 ? 0 : 3000;
	sandbox_gen_name(r, po->orderer, sizeof po->orderer);
	sandbox_gen_mobile(r, po->orderer_tel, sizeof po->orderer_tel);
	snprintf(po->orderer_id, sizeof po->orderer_id, "buyer%06" PRIu64, po->order_id % 1000000);
	str_copy(po->name, sizeof po->name, po->orderer);
	str_copy(po->tel, sizeof po->tel, po->orderer_tel);
	struct sandbox_address addr;
	sandbox_gen_address(r, &addr);
	str_copy(po->zip, sizeof po->zip, addr.zip);
	str_copy(po->addr1, sizeof po->addr1, addr.addr1);
	str_copy(po->addr2, sizeof po->addr2, addr.addr2);
	po->memo = sandbox_gen_memo(r);
	po->ship_due = kst_day_start(paid) + 3 * OB_DAY + OB_DAY - 1;
	str_copy(po->status, sizeof po->status, "PAYED");
	str_copy(po->place, sizeof po->place, "OK");
	po->placed = placed;
	gen_event_t(g, po, SSX_PAYED, paid, (int)sandbox_rng_below(r, 1000), "PAYED", "", NULL);
	str_copy(po->courier, sizeof po->courier, "CJGLS");
	tracking_for(g, po->tracking, sizeof po->tracking);
	po->sent = sent;
	str_copy(po->status, sizeof po->status, "DELIVERING");
	gen_event_t(g, po, SSX_DISPATCHED, sent, 0, "DELIVERING", "", NULL);
	if (delivered >= g->end)
		return;
	po->delivered = delivered;
	str_copy(po->status, sizeof po->status, "DELIVERED");
	if (claim_at >= g->end)
		return;

	const char *type = ex ? "EXCHANGE" : "RETURN";
	size_t k = (size_t)sandbox_rng_below(r, sizeof ret_reasons / sizeof ret_reasons[0]);
	po->rx_id = ssx_new_claim_id(g->st, claim_at);
	po->rx_exchange = ex;
	po->rx_at = claim_at;
	po->rx_qty = fate == RX_R_PART ? 1 : po->qty;
	str_copy(po->rx_reason, sizeof po->rx_reason, ret_reasons[k]);
	str_copy(po->rx_detail, sizeof po->rx_detail, ret_details[k]);
	str_copy(po->rx_channel, sizeof po->rx_channel, "구매자");
	po->rx_fee = buyer_fault(po->rx_reason) ? (ex ? 6000 : 3000) : 0;
	str_copy(po->collect_status, sizeof po->collect_status, "NOT_REQUESTED");
	str_copy(po->rx_status, sizeof po->rx_status, ex ? "EXCHANGE_REQUEST" : "RETURN_REQUEST");
	gen_event_t(g, po, SSX_CLAIM_REQUESTED, claim_at, 0, "DELIVERED", type, po->rx_status);
	if (fate == RX_R_REQ || fate == RX_R_PART || fate == RX_X_REQ)
		return;
	if (fate == RX_R_WITHDRAWN || fate == RX_X_WITHDRAWN) {
		if (withdrawn >= g->end)
			return;
		str_copy(po->rx_status, sizeof po->rx_status, ex ? "EXCHANGE_REJECT" : "RETURN_REJECT");
		gen_event_t(g, po, SSX_CLAIM_REJECTED, withdrawn, 0, "DELIVERED", type, po->rx_status);
		return;
	}
	if (collecting >= g->end)
		return;
	/* 자동수거: Naver books the pickup with the seller's contracted courier;
	 * starting it has no lastChangedType, so it changes the detail only. */
	str_copy(po->rx_status, sizeof po->rx_status, "COLLECTING");
	str_copy(po->collect_status, sizeof po->collect_status, "COLLECTING");
	str_copy(po->collect_courier, sizeof po->collect_courier, "CJGLS");
	tracking_for(g, po->collect_tracking, sizeof po->collect_tracking);
	if (fate == RX_R_COLLECTING || fate == RX_X_COLLECTING)
		return;
	if (fate == RX_X_HELD) {
		if (after >= g->end)
			return;
		str_copy(po->hold_status, sizeof po->hold_status, "HOLDBACK");
		str_copy(po->hold_class, sizeof po->hold_class, "EXCHANGE_DELIVERYFEE");
		str_copy(po->hold_detail, sizeof po->hold_detail, "교환 배송비 미입금");
		po->hold_at = after;
		return;
	}
	if (collected >= g->end)
		return;
	/* A return's pickup ends by itself; an exchange's only when the seller
	 * confirms it (collect/approve). */
	str_copy(po->rx_status, sizeof po->rx_status, "COLLECT_DONE");
	str_copy(po->collect_status, sizeof po->collect_status, "COLLECT_DONE");
	po->rx_collected = collected;
	gen_event_t(g, po, SSX_COLLECT_DONE, collected, 0, "DELIVERED", type, "COLLECT_DONE");
	if (fate == RX_R_COLLECTED || fate == RX_X_COLLECTED)
		return;
	if (fate == RX_R_HELD) {
		if (after >= g->end)
			return;
		str_copy(po->hold_status, sizeof po->hold_status, "HOLDBACK");
		str_copy(po->hold_class, sizeof po->hold_class, "RETURN_DELIVERYFEE");
		str_copy(po->hold_detail, sizeof po->hold_detail, "반품 배송비 미입금");
		po->hold_at = after;
		return;
	}
	if (fate == RX_R_DONE) {
		if (after >= g->end)
			return;
		ssx_return_done(po, after);
		gen_event_t(g, po, SSX_CLAIM_COMPLETED, after, 0, po->status, type, "RETURN_DONE");
		return;
	}
	if (redelivered >= g->end)
		return;
	str_copy(po->rx_status, sizeof po->rx_status, "EXCHANGE_REDELIVERING");
	str_copy(po->re_courier, sizeof po->re_courier, "CJGLS");
	tracking_for(g, po->re_tracking, sizeof po->re_tracking);
	po->rx_redelivered = redelivered;
	gen_event_t(g, po, SSX_CLAIM_REDELIVERING, redelivered, 0, "DELIVERED", type, "EXCHANGE_REDELIVERING");
	if (fate == RX_X_REDELIVERING || ex_done >= g->end)
		return;
	str_copy(po->rx_status, sizeof po->rx_status, "EXCHANGE_DONE");
	str_copy(po->status, sizeof po->status, "EXCHANGED");
	po->rx_done = ex_done;
	gen_event_t(g, po, SSX_CLAIM_COMPLETED, ex_done, 0, "EXCHANGED", type, "EXCHANGE_DONE");
}

static int generate(struct ssx_state *st, struct ob_err *err)
{
	struct gen g;
	memset(&g, 0, sizeof g);
	const struct sandbox_gen_opts *o = &st->opts;
	sandbox_rng_seed(&g.r, sandbox_rng_derive(o->seed, "smartstore"));
	g.st = st;
	g.ok = true;
	int days = o->days > 0 ? o->days : 1;
	g.end = o->today;
	g.start = o->today - (ob_time)days * OB_DAY;
	g.seq_order = 10000000 + sandbox_rng_below(&g.r, 1000000);
	g.seq_po = 40000000 + sandbox_rng_below(&g.r, 1000000);
	g.seq_pkg = 70000000 + sandbox_rng_below(&g.r, 1000000);
	st->next_claim = 20000000 + sandbox_rng_below(&g.r, 1000000);
	/* The cases the tests and the client must meet, each at least twice when
	 * --orders allows, placed at random among the orders. */
	static const enum fate must[] = {
		F_PART_REQ, F_PART_REQ, F_FULL_REQ, F_FULL_REQ, F_WITHDRAWN, F_WITHDRAWN, F_DONE_BEFORE,
		F_DONE_BEFORE, F_APPROVED, F_ADDR, F_ADDR, F_ADDR, F_NOT_YET, F_OK, F_SHIPPING, F_DECIDED,
	};
	size_t n = o->orders > 0 ? (size_t)o->orders : 0;
	size_t nm = sizeof must / sizeof must[0];
	size_t *slot = calloc(n ? n : 1, sizeof *slot);
	if (!slot)
		return ob_err_nomem(err);
	for (size_t i = 0; i < n; i++)
		slot[i] = SIZE_MAX;
	for (size_t k = 0; k < nm && k < n; k++) {
		size_t at;
		do
			at = (size_t)sandbox_rng_below(&g.r, n);
		while (slot[at] != SIZE_MAX);
		slot[at] = k;
	}
	for (size_t i = 0; i < n && g.ok; i++) {
		if (slot[i] != SIZE_MAX) {
			gen_order(&g, must[slot[i]], true);
			continue;
		}
		uint64_t x = sandbox_rng_below(&g.r, 100);
		enum fate f = x < 15   ? F_NOT_YET
			      : x < 30 ? F_OK
			      : x < 50 ? F_SHIPPING
			      : x < 62 ? F_DELIVERED
			      : x < 80 ? F_DECIDED
			      : x < 84 ? F_ADDR
			      : x < 88 ? F_PART_REQ
			      : x < 91 ? F_FULL_REQ
			      : x < 94 ? F_WITHDRAWN
			      : x < 97 ? F_DONE_BEFORE
				       : F_APPROVED;
		gen_order(&g, f, false);
	}
	free(slot);
	/* Returns and exchanges: every state twice, and one more per 25 orders
	 * in a random state, when --orders >= 16. */
	sandbox_rng_seed(&g.r, sandbox_rng_derive(o->seed, "smartstore-returns"));
	size_t nrx = n >= 16 ? 2 * RX__COUNT + n / 25 : 0;
	for (size_t i = 0; i < nrx && g.ok; i++)
		gen_retex(&g, i < 2 * RX__COUNT ? (enum rx_fate)(i % RX__COUNT)
						 : (enum rx_fate)sandbox_rng_below(&g.r, RX__COUNT));
	if (!g.ok)
		return ob_err_nomem(err);
	sort_state = st;
	qsort(st->evs, st->nevs, sizeof *st->evs, ev_qsort_cmp);
	sort_state = NULL;
	return OB_OK;
}

static void clear_data(struct ssx_state *st)
{
	free(st->pos);
	free(st->evs);
	free(st->toks);
	st->pos = NULL;
	st->evs = NULL;
	st->toks = NULL;
	st->npos = st->nevs = st->capevs = st->ntoks = st->captoks = 0;
	st->tokens_issued = 0;
	st->expire_after = -1;
	st->token_ttl = st->opts.token_ttl > 0 ? st->opts.token_ttl : 10800;
}

int ssx_state_new(const struct sandbox_gen_opts *o, struct ssx_state **out, struct ob_err *err)
{
	struct ssx_state *st = calloc(1, sizeof *st);
	if (!st)
		return ob_err_nomem(err);
	st->opts = *o;
	clear_data(st);
	int rc = generate(st, err);
	if (rc != OB_OK) {
		ssx_state_free(st);
		return rc;
	}
	*out = st;
	return OB_OK;
}

void ssx_state_free(struct ssx_state *st)
{
	if (!st)
		return;
	clear_data(st);
	free(st);
}

int ssx_state_reset(struct ssx_state *st, struct ob_err *err)
{
	clear_data(st);
	return generate(st, err);
}

/* --- JSON of a product order --- */

static cJSON *address_json(const char *name, const char *tel, const char *zip, const char *a1, const char *a2,
			   bool *ok)
{
	cJSON *a = cJSON_CreateObject();
	if (!a) {
		*ok = false;
		return NULL;
	}
	ssx_js(a, "addressType", "DOMESTIC", ok);
	ssx_js(a, "name", name, ok);
	ssx_js(a, "tel1", tel, ok);
	ssx_js(a, "tel2", "", ok);
	ssx_js(a, "zipCode", zip, ok);
	ssx_js(a, "baseAddress", a1, ok);
	ssx_js(a, "detailedAddress", a2, ok);
	ssx_jb(a, "isRoadNameAddress", true, ok);
	return a;
}

/* The detail's `return` or `exchange` object (B7). The buyer's address is
 * where the courier collects and, for an exchange, where the new item goes. */
static cJSON *retex_json(const struct ssx_po *po)
{
	bool ok = true;
	cJSON *c = cJSON_CreateObject();
	if (!c)
		return NULL;
	bool ex = po->rx_exchange;
	ssx_jid(c, "claimId", po->rx_id, &ok);
	ssx_js(c, "claimStatus", po->rx_status, &ok);
	ssx_jtime(c, "claimRequestDate", po->rx_at, 0, &ok);
	ssx_js(c, "requestChannel", po->rx_channel, &ok);
	ssx_jn(c, "requestQuantity", (double)po->rx_qty, &ok);
	ssx_js(c, ex ? "exchangeReason" : "returnReason", po->rx_reason, &ok);
	ssx_js(c, ex ? "exchangeDetailedReason" : "returnDetailedReason", po->rx_detail, &ok);
	ssx_jadd(c, "collectAddress", address_json(po->name, po->tel, po->zip, po->addr1, po->addr2, &ok), &ok);
	ssx_js(c, "collectStatus", po->collect_status, &ok);
	ssx_js(c, "collectDeliveryMethod", "RETURN_DESIGNATED", &ok);
	if (po->collect_tracking[0]) {
		ssx_js(c, "collectDeliveryCompany", po->collect_courier, &ok);
		ssx_js(c, "collectTrackingNumber", po->collect_tracking, &ok);
	}
	ssx_jtime(c, "collectCompletedDate", po->rx_collected, 0, &ok);
	cJSON *recv = address_json("샌드박스 물류센터", "02-1234-5678", "08390", "서울특별시 구로구 디지털로 300",
				   "반품 담당", &ok);
	ssx_jadd(c, "returnReceiveAddress", recv, &ok);
	if (!ex)
		ssx_jtime(c, "returnCompletedDate", po->rx_done, 0, &ok);
	ssx_js(c, "holdbackStatus", po->hold_status[0] ? po->hold_status : "NOT_YET", &ok);
	if (po->hold_status[0]) {
		ssx_js(c, "holdbackReason", po->hold_class, &ok);
		ssx_js(c, "holdbackDetailedReason", po->hold_detail, &ok);
		ssx_jtime(c, "holdbackConfigDate", po->hold_at, 0, &ok);
		ssx_js(c, "holdbackConfigurer", "SELLER", &ok);
		ssx_jtime(c, "holdbackReleaseDate", po->hold_released, 0, &ok);
		if (po->hold_released)
			ssx_js(c, "holdbackReleaser", "SELLER", &ok);
	}
	ssx_jn(c, "claimDeliveryFeeDemandAmount", (double)po->rx_fee, &ok);
	if (po->rx_fee > 0) {
		ssx_js(c, "claimDeliveryFeePayMeans", "환불금에서 차감", &ok);
		ssx_js(c, "claimDeliveryFeePayMethod", "DEDUCTION", &ok);
	}
	ssx_jn(c, "claimDeliveryFeeDiscountAmount", 0, &ok);
	ssx_jn(c, "etcFeeDemandAmount", (double)po->hold_fee, &ok);
	if (ex) {
		ssx_js(c, "reDeliveryMethod", "DELIVERY", &ok);
		ssx_js(c, "reDeliveryStatus", po->rx_done ? "DELIVERY_COMPLETION" : po->re_tracking[0] ? "DELIVERING" : "", &ok);
		if (po->re_tracking[0]) {
			ssx_js(c, "reDeliveryCompany", po->re_courier, &ok);
			ssx_js(c, "reDeliveryTrackingNumber", po->re_tracking, &ok);
		}
		ssx_jadd(c, "reDeliveryAddress", address_json(po->name, po->tel, po->zip, po->addr1, po->addr2, &ok), &ok);
		ssx_jtime(c, "reDeliveryOperationDate", po->rx_redelivered, 0, &ok);
	}
	if (!ok) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

cJSON *ssx_detail_json(const struct ssx_po *po)
{
	size_t nprod;
	const struct sandbox_product *prods = sandbox_gen_products(&nprod);
	const struct sandbox_product *pr = &prods[(size_t)po->product % nprod];
	bool ok = true;
	cJSON *el = cJSON_CreateObject(), *order = cJSON_CreateObject(), *p = cJSON_CreateObject();
	cJSON *addr = cJSON_CreateObject();
	if (!el || !order || !p || !addr) {
		cJSON_Delete(el);
		cJSON_Delete(order);
		cJSON_Delete(p);
		cJSON_Delete(addr);
		return NULL;
	}
	ssx_jadd(el, "order", order, &ok);
	ssx_jadd(el, "productOrder", p, &ok);
	ssx_jadd(p, "shippingAddress", addr, &ok);
	if (!ok) {
		cJSON_Delete(el);
		return NULL;
	}
	int64_t line = (po->unit_price + po->option_price) * po->qty;
	int64_t pay = line - po->discount;
	int64_t remain_pay = po->qty ? pay * po->remain / po->qty : 0;

	ssx_jid(order, "orderId", po->order_id, &ok);
	ssx_jtime(order, "orderDate", po->ordered, 0, &ok);
	ssx_js(order, "ordererId", po->orderer_id, &ok);
	ssx_js(order, "ordererName", po->orderer, &ok);
	ssx_js(order, "ordererTel", po->orderer_tel, &ok);
	ssx_jtime(order, "paymentDate", po->paid, 0, &ok);
	ssx_js(order, "paymentMeans", "신용카드", &ok);
	ssx_js(order, "payLocationType", "MOBILE", &ok);
	ssx_jb(order, "isMembershipSubscribed", false, &ok);
	ssx_jn(order, "generalPaymentAmount", (double)(pay + po->fee - po->fee_discount), &ok);
	ssx_jn(order, "naverMileagePaymentAmount", 0, &ok);
	ssx_jn(order, "orderDiscountAmount", 0, &ok);

	ssx_jid(p, "productOrderId", po->id, &ok);
	ssx_js(p, "productOrderStatus", po->status, &ok);
	ssx_js(p, "placeOrderStatus", po->place, &ok);
	ssx_jtime(p, "placeOrderDate", po->placed, 0, &ok);
	if (po->claim_id || po->rx_id) {
		/* The current claim: the return/exchange once there is one. */
		ssx_js(p, "claimType", ssx_claim_type(po), &ok);
		ssx_js(p, "claimStatus", ssx_claim_status(po), &ok);
		ssx_jid(p, "claimId", po->rx_id ? po->rx_id : po->claim_id, &ok);
	}
	char code[32];
	ssx_jid(p, "productId", 5000000000ull + (uint64_t)po->product, &ok);
	ssx_js(p, "productName", pr->name, &ok);
	ssx_js(p, "productOption", pr->options[po->option] ? pr->options[po->option] : "", &ok);
	snprintf(code, sizeof code, "%d", 30000000 + po->product * 10 + po->option);
	ssx_js(p, "optionCode", code, &ok);
	snprintf(code, sizeof code, "SKU-%03d-%d", po->product, po->option);
	ssx_js(p, "optionManageCode", code, &ok);
	ssx_jn(p, "optionPrice", (double)po->option_price, &ok);
	ssx_jn(p, "unitPrice", (double)po->unit_price, &ok);
	ssx_jn(p, "quantity", (double)po->qty, &ok);
	ssx_jn(p, "initialQuantity", (double)po->qty, &ok);
	ssx_jn(p, "remainQuantity", (double)po->remain, &ok);
	ssx_jn(p, "totalProductAmount", (double)line, &ok);
	ssx_jn(p, "initialProductAmount", (double)line, &ok);
	ssx_jn(p, "remainProductAmount", (double)(po->qty ? line * po->remain / po->qty : 0), &ok);
	ssx_jn(p, "totalPaymentAmount", (double)pay, &ok);
	ssx_jn(p, "initialPaymentAmount", (double)pay, &ok);
	ssx_jn(p, "remainPaymentAmount", (double)remain_pay, &ok);
	ssx_jn(p, "productDiscountAmount", (double)po->discount, &ok);
	ssx_jn(p, "deliveryFeeAmount", (double)po->fee, &ok);
	ssx_jn(p, "deliveryDiscountAmount", (double)po->fee_discount, &ok);
	ssx_jid(p, "packageNumber", po->package, &ok);
	ssx_js(p, "expectedDeliveryMethod", "DELIVERY", &ok);
	ssx_jtime(p, "shippingDueDate", po->ship_due, 0, &ok);
	if (po->memo)
		ssx_js(p, "shippingMemo", po->memo, &ok);
	if (po->delay_reason[0]) {
		ssx_js(p, "delayedDispatchReason", po->delay_reason, &ok);
		ssx_js(p, "delayedDispatchDetailedReason", po->delay_detail, &ok);
	}
	ssx_jtime(p, "decisionDate", po->decided, 0, &ok);
	snprintf(code, sizeof code, "SKU-%03d", po->product);
	ssx_js(p, "sellerProductCode", code, &ok);
	ssx_js(p, "mallId", "ncp_sandbox", &ok);
	ssx_js(addr, "addressType", "DOMESTIC", &ok);
	ssx_js(addr, "name", po->name, &ok);
	ssx_js(addr, "tel1", po->tel, &ok);
	ssx_js(addr, "tel2", "", &ok);
	ssx_js(addr, "zipCode", po->zip, &ok);
	ssx_js(addr, "baseAddress", po->addr1, &ok);
	ssx_js(addr, "detailedAddress", po->addr2, &ok);
	ssx_jb(addr, "isRoadNameAddress", true, &ok);

	if (po->claim_id) {
		cJSON *c = cJSON_CreateObject();
		ssx_jadd(el, "cancel", c, &ok);
		ssx_jid(c, "claimId", po->claim_id, &ok);
		ssx_js(c, "claimStatus", po->claim_status, &ok);
		ssx_jtime(c, "claimRequestDate", po->claim_at, 0, &ok);
		ssx_js(c, "requestChannel", po->channel, &ok);
		ssx_jn(c, "requestQuantity", (double)po->claim_qty, &ok);
		ssx_js(c, "cancelReason", po->cancel_reason, &ok);
		ssx_js(c, "cancelDetailedReason", po->cancel_detail, &ok);
		ssx_jtime(c, "cancelApprovalDate", po->approved_at, 0, &ok);
		ssx_jtime(c, "cancelCompletedDate", po->done_at, 0, &ok);
	}
	if (po->rx_id)
		ssx_jadd(el, po->rx_exchange ? "exchange" : "return", retex_json(po), &ok);
	if (po->tracking[0]) {
		cJSON *d = cJSON_CreateObject();
		ssx_jadd(el, "delivery", d, &ok);
		ssx_js(d, "deliveryMethod", "DELIVERY", &ok);
		ssx_js(d, "deliveryCompany", po->courier, &ok);
		ssx_js(d, "trackingNumber", po->tracking, &ok);
		ssx_js(d, "deliveryStatus", po->delivered ? "DELIVERY_COMPLETION" : "DELIVERING", &ok);
		ssx_jtime(d, "sendDate", po->sent, 0, &ok);
		ssx_jtime(d, "deliveredDate", po->delivered, 0, &ok);
		ssx_jb(d, "isWrongTrackingNumber", false, &ok);
	}
	if (!ok) {
		cJSON_Delete(el);
		return NULL;
	}
	return el;
}

/* --- GET /_sandbox/state --- */

int ssx_state_json(struct ssx_state *st, cJSON *root)
{
	bool ok = true;
	cJSON *s = cJSON_CreateObject(), *pos = cJSON_CreateArray(), *feed = cJSON_CreateArray();
	cJSON *stats = cJSON_CreateObject();
	ssx_jadd(root, "smartstore", s, &ok);
	ssx_jadd(s, "productOrders", pos, &ok);
	ssx_jadd(s, "feed", feed, &ok);
	ssx_jadd(s, "feedStats", stats, &ok);
	ssx_js(s, "clientId", SANDBOX_SMARTSTORE_CLIENT_ID, &ok);
	ssx_jn(s, "tokenTtl", (double)st->token_ttl, &ok);
	ssx_jn(s, "tokensIssued", (double)st->tokens_issued, &ok);
	ssx_jn(s, "tokensValid", (double)st->ntoks, &ok);
	for (size_t i = 0; ok && i < st->npos; i++) {
		const struct ssx_po *po = &st->pos[i];
		cJSON *o = cJSON_CreateObject();
		ssx_jpush(pos, o, &ok);
		ssx_jid(o, "productOrderId", po->id, &ok);
		ssx_jid(o, "orderId", po->order_id, &ok);
		ssx_jid(o, "packageNumber", po->package, &ok);
		ssx_js(o, "productOrderStatus", po->status, &ok);
		ssx_js(o, "placeOrderStatus", po->place, &ok);
		ssx_jn(o, "quantity", (double)po->qty, &ok);
		ssx_jn(o, "remainQuantity", (double)po->remain, &ok);
		ssx_jb(o, "receiverAddressChanged", po->addr_changed, &ok);
		if (po->claim_id && !po->rx_id) {
			ssx_js(o, "claimType", "CANCEL", &ok);
			ssx_js(o, "claimStatus", po->claim_status, &ok);
			ssx_jid(o, "claimId", po->claim_id, &ok);
			ssx_jn(o, "requestQuantity", (double)po->claim_qty, &ok);
		}
		if (po->rx_id) {
			ssx_js(o, "claimType", ssx_claim_type(po), &ok);
			ssx_js(o, "claimStatus", po->rx_status, &ok);
			ssx_jid(o, "claimId", po->rx_id, &ok);
			ssx_jn(o, "requestQuantity", (double)po->rx_qty, &ok);
			ssx_js(o, "claimReason", po->rx_reason, &ok);
			ssx_jn(o, "claimDeliveryFeeDemandAmount", (double)po->rx_fee, &ok);
			ssx_js(o, "holdbackStatus", po->hold_status[0] ? po->hold_status : "NOT_YET", &ok);
			if (po->hold_status[0]) {
				ssx_js(o, "holdbackReason", po->hold_class, &ok);
				ssx_js(o, "holdbackDetailedReason", po->hold_detail, &ok);
				ssx_jn(o, "etcFeeDemandAmount", (double)po->hold_fee, &ok);
			}
			if (po->collect_tracking[0]) {
				ssx_js(o, "collectDeliveryCompany", po->collect_courier, &ok);
				ssx_js(o, "collectTrackingNumber", po->collect_tracking, &ok);
			}
			if (po->re_tracking[0]) {
				ssx_js(o, "reDeliveryCompany", po->re_courier, &ok);
				ssx_js(o, "reDeliveryTrackingNumber", po->re_tracking, &ok);
			}
			if (po->reject_reason[0])
				ssx_js(o, "rejectReason", po->reject_reason, &ok);
			if (po->claim_id)
				ssx_js(o, "cancelClaimStatus", po->claim_status, &ok);
		}
		if (po->tracking[0]) {
			ssx_js(o, "deliveryCompany", po->courier, &ok);
			ssx_js(o, "trackingNumber", po->tracking, &ok);
		}
		if (po->delay_reason[0]) {
			ssx_js(o, "delayedDispatchReason", po->delay_reason, &ok);
			ssx_jtime(o, "shippingDueDate", po->ship_due, 0, &ok);
		}
		ssx_js(o, "receiverName", po->name, &ok);
		ssx_js(o, "zipCode", po->zip, &ok);
		ssx_js(o, "baseAddress", po->addr1, &ok);
		ssx_js(o, "detailedAddress", po->addr2, &ok);
	}
	size_t max_tie = 0, tie = 0;
	for (size_t i = 0; ok && i < st->nevs; i++) {
		const struct ssx_event *e = &st->evs[i];
		cJSON *o = cJSON_CreateObject();
		ssx_jpush(feed, o, &ok);
		ssx_jtime(o, "lastChangedDate", e->t, e->ms, &ok);
		ssx_jid(o, "productOrderId", st->pos[e->po].id, &ok);
		ssx_js(o, "lastChangedType", ssx_change_name((enum ssx_change)e->change), &ok);
		tie = i > 0 && st->evs[i - 1].t == e->t && st->evs[i - 1].ms == e->ms ? tie + 1 : 1;
		if (tie > max_tie)
			max_tie = tie;
	}
	ssx_jn(stats, "count", (double)st->nevs, &ok);
	ssx_jn(stats, "maxSameTime", (double)max_tie, &ok);
	return ok ? 0 : -1;
}

/* --- test setters: POST /_sandbox/smartstore/<action> --- */

static int simple(struct sandbox_response *resp, int status, const char *msg, const char *key, uint64_t id)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	ssx_jn(o, "code", status, &ok);
	ssx_js(o, "message", msg, &ok);
	if (key)
		ssx_jid(o, key, id, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, status, o);
}

static int query_i64(const struct sandbox_request *req, const char *name, int64_t *out)
{
	char v[32];
	int f = sandbox_query_get(req->query, name, v, sizeof v);
	if (f == 0)
		return 0;
	if (f < 0 || str_to_i64(v, out) < 0)
		return -1;
	return 1;
}

int ssx_handle_test(struct ssx_state *st, const char *action, const struct sandbox_request *req,
		    struct sandbox_response *resp)
{
	if (!str_eq(req->method, "POST"))
		return simple(resp, 405, "test setters take POST", NULL, 0);
	int64_t v = 0;
	if (str_eq(action, "expire-tokens")) {
		int f = query_i64(req, "after", &v);
		if (f < 0 || (f && v < 1))
			return simple(resp, 400, "after=N (N >= 1 API requests) or nothing", NULL, 0);
		if (f) {
			st->expire_after = (long)v;
			return simple(resp, 200, "every token expires at the Nth API request from now", NULL, 0);
		}
		st->ntoks = 0;
		st->expire_after = -1;
		return simple(resp, 200, "every token expired", NULL, 0);
	}
	if (str_eq(action, "token-ttl")) {
		if (query_i64(req, "seconds", &v) != 1 || v < 1 || v > 86400)
			return simple(resp, 400, "seconds=N (1-86400) is required", NULL, 0);
		st->token_ttl = (long)v;
		return simple(resp, 200, "new tokens live that long", NULL, 0);
	}
	char idt[32];
	uint64_t id = 0;
	if (sandbox_query_get(req->query, "productOrderId", idt, sizeof idt) != 1 || !str_is_digits(idt))
		return simple(resp, 400, "productOrderId=N is required", NULL, 0);
	id = strtoull(idt, NULL, 10);
	struct ssx_po *po = ssx_po_find(st, id);
	if (!po)
		return simple(resp, 404, "no such productOrderId", NULL, 0);
	if (str_eq(action, "cancel-request")) {
		/* The buyer asks to cancel quantity (default: what remains). */
		int f = query_i64(req, "quantity", &v);
		if (f < 0 || (f && (v < 1 || v > po->remain)))
			return simple(resp, 400, "quantity must be 1 to the remaining quantity", NULL, 0);
		if (!str_eq(po->status, "PAYED") || po->remain <= 0)
			return simple(resp, 409, "only a paid, not yet shipped product order can be cancelled", NULL, 0);
		if (ssx_cancel_open(po))
			return simple(resp, 409, "a cancel request is already open", NULL, 0);
		char reason[256] = "";
		sandbox_query_get(req->query, "reason", reason, sizeof reason);
		if (ssx_buyer_cancel(st, po, f ? v : po->remain, reason, req->now) < 0)
			return -1;
		return simple(resp, 200, ssx_cancel_open(po) ? "cancel requested" : "cancelled at once (before 발주확인)",
			      "claimId", po->claim_id);
	}
	if (str_eq(action, "withdraw-cancel")) {
		if (!ssx_cancel_open(po))
			return simple(resp, 409, "no open cancel request", NULL, 0);
		str_copy(po->claim_status, sizeof po->claim_status, "CANCEL_REJECT");
		if (ssx_event_add(st, po, SSX_CLAIM_REJECTED, req->now, 0) < 0)
			return -1;
		return simple(resp, 200, "the buyer withdrew the cancel request (철회)", "claimId", po->claim_id);
	}
	if (str_eq(action, "address")) {
		/* The buyer changes the delivery address. */
		if (!str_eq(po->status, "PAYED"))
			return simple(resp, 409, "the address can change only before shipping", NULL, 0);
		struct sandbox_rng r;
		sandbox_rng_seed(&r, sandbox_rng_derive(st->opts.seed ^ po->id, "smartstore-address"));
		struct sandbox_address a;
		sandbox_gen_address(&r, &a);
		/* Always a different one. */
		snprintf(po->addr2, sizeof po->addr2, "%.100s (변경)", a.addr2);
		str_copy(po->addr1, sizeof po->addr1, a.addr1);
		str_copy(po->zip, sizeof po->zip, a.zip);
		po->addr_changed = true;
		if (ssx_event_add(st, po, SSX_ADDRESS_CHANGED, req->now, 0) < 0)
			return -1;
		return simple(resp, 200, "address changed", NULL, 0);
	}
	if (str_eq(action, "deliver")) {
		if (!str_eq(po->status, "DELIVERING"))
			return simple(resp, 409, "only a DELIVERING product order can be delivered", NULL, 0);
		str_copy(po->status, sizeof po->status, "DELIVERED");
		po->delivered = req->now;
		return simple(resp, 200, "delivered", NULL, 0);
	}
	if (str_eq(action, "return-request") || str_eq(action, "exchange-request")) {
		/* The buyer asks to return or exchange quantity (default: what
		 * remains) of a shipped product order. */
		bool ex = action[0] == 'e';
		int f = query_i64(req, "quantity", &v);
		if (f < 0 || (f && (v < 1 || v > po->remain)))
			return simple(resp, 400, "quantity must be 1 to the remaining quantity", NULL, 0);
		if (!str_eq(po->status, "DELIVERING") && !str_eq(po->status, "DELIVERED"))
			return simple(resp, 409, "only a shipped (DELIVERING or DELIVERED) product order can be returned or "
				      "exchanged", NULL, 0);
		if (ssx_retex_open(po) || str_eq(po->rx_status, "EXCHANGE_REDELIVERING"))
			return simple(resp, 409, "a return or exchange is already open", NULL, 0);
		char reason[32] = "";
		sandbox_query_get(req->query, "reason", reason, sizeof reason);
		if (ssx_buyer_retex(st, po, ex, f ? v : po->remain, reason, req->now) < 0)
			return -1;
		return simple(resp, 200, ex ? "exchange requested" : "return requested", "claimId", po->rx_id);
	}
	if (str_eq(action, "collect")) {
		/* The courier picks the item up (자동수거): COLLECTING. */
		if (!str_eq(po->rx_status, "RETURN_REQUEST") && !str_eq(po->rx_status, "EXCHANGE_REQUEST"))
			return simple(resp, 409, "no return or exchange waiting for its pickup", NULL, 0);
		str_copy(po->rx_status, sizeof po->rx_status, "COLLECTING");
		str_copy(po->collect_status, sizeof po->collect_status, "COLLECTING");
		str_copy(po->collect_courier, sizeof po->collect_courier, "CJGLS");
		snprintf(po->collect_tracking, sizeof po->collect_tracking, "68%010" PRIu64, (uint64_t)(po->rx_id % UINT64_C(10000000000)));
		return simple(resp, 200, "pickup started (no feed event)", "claimId", po->rx_id);
	}
	if (str_eq(action, "collect-done")) {
		/* The returned item reached the seller. An exchange's pickup is
		 * confirmed by the seller's collect/approve instead. */
		if (!po->rx_id || po->rx_exchange ||
		    (!str_eq(po->rx_status, "RETURN_REQUEST") && !str_eq(po->rx_status, "COLLECTING")))
			return simple(resp, 409, "no return being collected (exchanges: POST claim/exchange/collect/approve)",
				      NULL, 0);
		str_copy(po->rx_status, sizeof po->rx_status, "COLLECT_DONE");
		str_copy(po->collect_status, sizeof po->collect_status, "COLLECT_DONE");
		po->rx_collected = req->now;
		if (ssx_event_add(st, po, SSX_COLLECT_DONE, req->now, 0) < 0)
			return -1;
		return simple(resp, 200, "collected", "claimId", po->rx_id);
	}
	if (str_eq(action, "withdraw-claim")) {
		/* The buyer takes the return or exchange back (철회). */
		if (!ssx_retex_open(po))
			return simple(resp, 409, "no open return or exchange", NULL, 0);
		str_copy(po->rx_status, sizeof po->rx_status, po->rx_exchange ? "EXCHANGE_REJECT" : "RETURN_REJECT");
		if (ssx_event_add(st, po, SSX_CLAIM_REJECTED, req->now, 0) < 0)
			return -1;
		return simple(resp, 200, "the buyer withdrew it (철회)", "claimId", po->rx_id);
	}
	if (str_eq(action, "exchange-delivered")) {
		if (!str_eq(po->rx_status, "EXCHANGE_REDELIVERING"))
			return simple(resp, 409, "no exchange being re-delivered", NULL, 0);
		str_copy(po->rx_status, sizeof po->rx_status, "EXCHANGE_DONE");
		str_copy(po->status, sizeof po->status, "EXCHANGED");
		po->rx_done = req->now;
		if (ssx_event_add(st, po, SSX_CLAIM_COMPLETED, req->now, 0) < 0)
			return -1;
		return simple(resp, 200, "the new item arrived: EXCHANGE_DONE", "claimId", po->rx_id);
	}
	return simple(resp, 404,
		      "unknown smartstore setter (cancel-request, withdraw-cancel, address, deliver, return-request, "
		      "exchange-request, collect, collect-done, withdraw-claim, exchange-delivered, expire-tokens, "
		      "token-ttl)",
		      NULL, 0);
}
