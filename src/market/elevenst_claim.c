/* 11st returns (반품) and exchanges (교환), ../shared/api/11st.md §10: one
 * claim at a time, re-read before any call so that a second run never acts
 * twice (the claim already in the action's target state is SKIPPED, one in a
 * closed state FAILED without a call).
 *
 *   RETURN   APPROVE  returnreqconf/{clmReqSeq}/{ordNo}/{ordPrdSeq}   (completes it: 반품완료)
 *            REJECT   returnreqreject/{ordNo}/{ordPrdSeq}/{clmReqSeq}/{101-104}/{text}
 *            HOLD     returnclaimdefer/... or returncompletedefer/... {101-105}/{text}
 *            PICKUP   claimservice/returninvc/{sendDt}/{dlvNo}/{courier}/{invoice}/01/{clmReqSeq}
 *   EXCHANGE APPROVE = RESHIP  exchangereqconf/{clmReqSeq}/{ordNo}/{ordPrdSeq}/{courier}/{invoice}
 *            REJECT   exchangereqreject/{ordNo}/{ordPrdSeq}/{clmReqSeq}/{201-204}/{text}
 *
 * The re-read: the request list (returnorders / exchangeorders) around the
 * sheet's requested_at, which lists every claim requested then with its
 * current clmStat; when the claim is not there, the completed and withdrawn
 * lists from the request until now. The return invoice path is documented with
 * a doubled "claimservice/claimservice/" (UNCONFIRMED); it is sent as
 * documented, and when 11st answers 404 (no such path, so nothing applied) the
 * single-segment path is tried once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/couriers.h"
#include "market/elevenst_int.h"
#include "util/kst.h"
#include "util/str.h"

/* Windows of a completed/withdrawn-list search: 30 days each, 90 at most
 * (a claim answered later than that is long closed and no longer actionable). */
#define RX_SEARCH_WINDOWS 3

struct rx_state {
	bool found;
	enum est_retex_kind kind; /* the list it was found on */
	char stat[8];             /* clmStat */
	char ord_no[32], seq[16];
	char pickup_courier[16];  /* dlvEtprsCd */
	char pickup_invoice[48];  /* twPrdInvcNo */
};

static const char *ORD(const struct action_item *it)
{
	return record_get(it->rec, F_ORDER_NO);
}

static const char *SEQ(const struct action_item *it)
{
	return record_get(it->rec, F_LINE_NO);
}

/* Every undecided item of the claim gets the result (a claim may span rows). */
static void rx_result(struct act *a, const char *id, enum result res, const char *code, bool unknown,
		      const char *msg)
{
	for (size_t i = 0; i < a->b->n; i++) {
		struct action_item *it = &a->b->items[i];
		if (it->result != RES_NONE || strcmp(record_get(it->rec, F_CLAIM_ID), id) != 0)
			continue;
		est_item_result(it, res, code, "%s", msg);
		it->outcome_unknown = unknown;
	}
}

/* Looks for claim id on one list over [from, to); fills st when found. */
static int rx_scan(struct act *a, const struct est_retex_list *li, const char *id, ob_time from, ob_time to,
		   struct rx_state *st, struct ob_err *err)
{
	struct est_reply r;
	est_reply_init(&r);
	int rc = est_list(a->st, a->c, "claimservice", li->name, from, to, &r, err);
	for (size_t i = 0; rc == OB_OK && i < r.nrows; i++) {
		if (!str_eq(est_get(&r, i, "clmReqSeq"), id))
			continue;
		st->found = true;
		st->kind = li->kind;
		str_copy(st->stat, sizeof st->stat, est_get(&r, i, "clmStat"));
		str_copy(st->ord_no, sizeof st->ord_no, est_get(&r, i, "ordNo"));
		str_copy(st->seq, sizeof st->seq, est_get(&r, i, "ordPrdSeq"));
		str_copy(st->pickup_courier, sizeof st->pickup_courier, est_get(&r, i, "dlvEtprsCd"));
		str_copy(st->pickup_invoice, sizeof st->pickup_invoice, est_get(&r, i, "twPrdInvcNo"));
		break;
	}
	est_reply_free(&r);
	return rc;
}

static int rx_find(struct act *a, const struct action_item *it, enum claim_type type, const char *id,
		   struct rx_state *st, struct ob_err *err)
{
	memset(st, 0, sizeof *st);
	ob_time now = kst_now(), at, from, to;
	now = now - now % 60 + 60; /* windows are whole minutes; this one holds now */
	bool has_at = kst_parse(record_get(it->rec, F_REQUESTED_AT), &at) == 0;
	if (has_at) {
		from = at - at % 60 - 60;
		to = at - at % 60 + 120;
	} else {
		to = now;
		from = to - 30 * (ob_time)OB_DAY;
	}
	int rc = rx_scan(a, elevenst_retex_lists(type, EST_RX_OPEN), id, from, to, st, err);
	if (rc != OB_OK || st->found)
		return rc;
	/* Not on the request list (as 11st may drop closed claims from it): the
	 * completed and withdrawn lists, filed by when that happened. */
	static const enum est_retex_kind later[] = { EST_RX_DONE, EST_RX_WITHDRAWN };
	for (size_t k = 0; k < 2 && rc == OB_OK && !st->found; k++) {
		ob_time w0 = has_at ? at - at % 60 - 60 : now - 30 * (ob_time)OB_DAY;
		if (now - w0 > RX_SEARCH_WINDOWS * 30 * (ob_time)OB_DAY)
			w0 = now - RX_SEARCH_WINDOWS * 30 * (ob_time)OB_DAY;
		while (w0 < now && rc == OB_OK && !st->found) {
			ob_time w1 = w0 + 30 * (ob_time)OB_DAY;
			if (w1 > now)
				w1 = now;
			rc = rx_scan(a, elevenst_retex_lists(type, later[k]), id, w0, w1, st, err);
			w0 = w1;
		}
	}
	return rc;
}

/* --- reason codes --- */

struct rx_code {
	const char *code, *label;
};

static const struct rx_code return_reject_codes[] = {
	{ "101", "반품 상품 미입고" }, { "102", "고객 반품신청 철회 대행" }, { "103", "반품 불가 상품" }, { "104", "기타" },
	{ NULL, NULL },
};
static const struct rx_code exchange_reject_codes[] = {
	{ "201", "교환 상품 미입고" }, { "202", "고객 교환신청 철회 대행" }, { "203", "교환 불가 상품" }, { "204", "기타" },
	{ NULL, NULL },
};
static const struct rx_code hold_codes[] = {
	{ "101", "반품 상품 미입고" }, { "102", "반품 배송비 미동봉" }, { "103", "반품 상품 훼손" },
	{ "104", "구매자 연락 두절" },  { "105", "기타" },               { NULL, NULL },
};

static const char *const words_missing[] = { "미입고", "미도착", "안 왔", "안왔", "도착하지", "받지 못", "회수되지",
					     "입고되지", NULL };
static const char *const words_withdraw[] = { "철회", NULL };
static const char *const words_refuse[] = { "불가", "훼손", "사용", "개봉", "착용", "세탁", NULL };
static const char *const words_fee[] = { "배송비", "택배비", "동봉", NULL };
static const char *const words_damage[] = { "훼손", "파손", "손상", "오염", "사용", NULL };
static const char *const words_contact[] = { "연락", NULL };

static bool has_any(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (strstr(text, *words))
			return true;
	return false;
}

/* A leading code of the table ("103", "103 ...", "103: ...") or NULL; *rest
 * gets the text after it. */
static const struct rx_code *leading_code(const char *text, const struct rx_code *tab, const char **rest)
{
	while (*text == ' ')
		text++;
	if (strlen(text) < 3)
		return NULL;
	for (const struct rx_code *c = tab; c->code; c++) {
		if (strncmp(text, c->code, 3) != 0 || (text[3] >= '0' && text[3] <= '9'))
			continue;
		const char *p = text + 3;
		while (*p == ' ' || *p == ':' || *p == '-' || *p == '.' || *p == ')')
			p++;
		*rest = p;
		return c;
	}
	return NULL;
}

/* The code for a text: a leading code wins, then the words, else the table's
 * last code (기타). */
static const struct rx_code *pick_code(const char *text, const struct rx_code *tab, const char **rest)
{
	const struct rx_code *c = leading_code(text, tab, rest);
	if (c)
		return c;
	*rest = text;
	size_t n = 0;
	while (tab[n].code)
		n++;
	if (tab == hold_codes) {
		if (has_any(text, words_missing))
			return &tab[0];
		if (has_any(text, words_fee))
			return &tab[1];
		if (has_any(text, words_damage))
			return &tab[2];
		if (has_any(text, words_contact))
			return &tab[3];
		return &tab[n - 1];
	}
	if (has_any(text, words_missing))
		return &tab[0];
	if (has_any(text, words_withdraw))
		return &tab[1];
	if (has_any(text, words_refuse))
		return &tab[2];
	return &tab[n - 1];
}

const char *elevenst_return_reject_code(const char *text)
{
	const char *rest;
	return pick_code(text ? text : "", return_reject_codes, &rest)->code;
}

const char *elevenst_exchange_reject_code(const char *text)
{
	const char *rest;
	return pick_code(text ? text : "", exchange_reject_codes, &rest)->code;
}

const char *elevenst_hold_code(const char *text)
{
	const char *rest;
	return pick_code(text ? text : "", hold_codes, &rest)->code;
}

/* --- one claim --- */

static bool in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (str_eq(s, *set))
			return true;
	return false;
}

/* What the re-read says before any call: RES_NONE = send it. */
static enum result judge(enum action act, enum claim_type type, const struct rx_state *st, const char *pickup_code,
			 const char *pickup_inv, char *msg, size_t n)
{
	const char *s = st->stat;
	if (type == CT_RETURN) {
		static const char *const open[] = { "105", "104", "109", "103", NULL };
		bool done = st->kind == EST_RX_DONE || str_eq(s, "106");
		bool gone = st->kind == EST_RX_WITHDRAWN || str_eq(s, "108");
		bool rejected = str_eq(s, "107");
		if (act == ACT_PICKUP && *pickup_inv && str_eq(st->pickup_invoice, pickup_inv) &&
		    str_eq(st->pickup_courier, pickup_code)) {
			snprintf(msg, n, "pickup invoice %s is already registered", pickup_inv);
			return RES_SKIPPED;
		}
		if (act == ACT_APPROVE && done) {
			snprintf(msg, n, "already completed (반품완료, 11st status %s)", *s ? s : "106");
			return RES_SKIPPED;
		}
		if (act == ACT_REJECT && rejected) {
			snprintf(msg, n, "already rejected (반품거부, 11st status 107)");
			return RES_SKIPPED;
		}
		if (act == ACT_HOLD && (str_eq(s, "104") || str_eq(s, "109")) && !done && !gone) {
			snprintf(msg, n, "already on hold (%s, 11st status %s)", str_eq(s, "104") ? "반품보류" : "반품완료보류", s);
			return RES_SKIPPED;
		}
		if (done)
			snprintf(msg, n, "the return is already completed (반품완료, 11st status %s): the refund went out",
				 *s ? s : "106");
		else if (gone)
			snprintf(msg, n, "the buyer withdrew the return (반품철회, 11st status %s); nothing to do",
				 *s ? s : "108");
		else if (rejected)
			snprintf(msg, n, "the return was rejected (반품거부, 11st status 107)");
		else if (!in(s, open))
			snprintf(msg, n, "11st status %s of the return is not one 11st documents", s);
		else
			return RES_NONE;
		return RES_FAILED;
	}
	static const char *const shipped[] = { "221", "301", "302", NULL };
	bool done = st->kind == EST_RX_DONE || in(s, shipped);
	bool gone = st->kind == EST_RX_WITHDRAWN || str_eq(s, "233");
	bool rejected = str_eq(s, "232");
	if ((act == ACT_APPROVE || act == ACT_RESHIP) && done) {
		snprintf(msg, n, "already approved and re-shipped (11st status %s)", *s ? s : "221");
		return RES_SKIPPED;
	}
	if (act == ACT_REJECT && rejected) {
		snprintf(msg, n, "already rejected (교환거부, 11st status 232)");
		return RES_SKIPPED;
	}
	if (done)
		snprintf(msg, n, "the exchange is already re-shipped (11st status %s)", *s ? s : "221");
	else if (gone)
		snprintf(msg, n, "the buyer withdrew the exchange (교환철회, 11st status %s); nothing to do", *s ? s : "233");
	else if (rejected)
		snprintf(msg, n, "the exchange was rejected (교환거부, 11st status 232)");
	else
		return RES_NONE;
	return RES_FAILED;
}

/* seller_reason -> code and the text to send (the code's label when the
 * text is only a code). */
static const struct rx_code *reason_for(const struct action_item *it, const struct rx_code *tab, const char **text)
{
	const char *rest;
	const struct rx_code *c = pick_code(record_get(it->rec, F_SELLER_REASON), tab, &rest);
	*text = *rest ? rest : c->label;
	return c;
}

/* The order's dlvNo for the return invoice: the sheet's bundle_no, else 11st's. */
static int dlv_no_of(struct act *a, const struct action_item *it, char *out, size_t n, struct ob_err *err)
{
	const char *b = record_get(it->rec, F_BUNDLE_NO);
	if (str_is_digits(b)) {
		str_copy(out, n, b);
		return OB_OK;
	}
	const char *ids[1] = { ORD(it) };
	struct est_reply r;
	est_reply_init(&r);
	int rc = est_read_orders(a->st, a->c, ids, 1, &r, err);
	long i = rc == OB_OK ? est_find_line(&r, ORD(it), SEQ(it)) : -1;
	str_copy(out, n, i >= 0 ? est_get(&r, (size_t)i, "dlvNo") : "");
	est_reply_free(&r);
	return rc;
}

/* The return-invoice call: the documented doubled path, then (404 only) the
 * single one. */
static int call_returninvc(struct act *a, const char *tail, long *code, char *text, size_t n, bool *unknown,
			   struct ob_err *err)
{
	static const char *const prefixes[] = { "/claimservice/claimservice/returninvc", "/claimservice/returninvc" };
	int rc = OB_OK;
	for (size_t k = 0; k < 2; k++) {
		struct buf path = BUF_INIT;
		if (buf_puts(&path, prefixes[k]) < 0 || buf_puts(&path, tail) < 0) {
			buf_free(&path);
			return ob_err_nomem(err);
		}
		struct est_reply r;
		est_reply_init(&r);
		*unknown = false;
		rc = est_call(a->st, a->c, "GET", path.data, NULL, false, &r, unknown, err);
		bool missing = rc != OB_OK && r.http_status == 404;
		if (rc == OB_OK && r.has_code && r.code == -1000)
			rc = est_account_error(a->st, path.data, &r, err);
		if (rc == OB_OK && !r.has_code) {
			rc = ob_errf(err, OB_ENET, "%s: 11st's answer to %s had no result_code", a->st->base.who, path.data);
			*unknown = true;
		}
		if (rc == OB_OK) {
			*code = r.code;
			str_copy(text, n, r.text);
		}
		est_reply_free(&r);
		buf_free(&path);
		if (!missing)
			break;
	}
	return rc;
}

int elevenst_retex_one(struct act *a, struct action_item *it, enum claim_type type, struct ob_err *err)
{
	enum action act = a->b->action;
	const char *id = record_get(it->rec, F_CLAIM_ID);
	const char *what = type == CT_RETURN ? "return" : "exchange";
	char msg[512], why[256];
	if (!str_is_digits(id) || !str_is_digits(ORD(it)) || !str_is_digits(SEQ(it))) {
		snprintf(msg, sizeof msg, "claim_id '%.30s', order_no and line_no must be 11st numbers", id);
		rx_result(a, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	/* Checks that need no call come first: nothing is read for a row that
	 * cannot be sent anyway. */
	const char *pickup_code = "";
	char pickup_inv[64] = "";
	if (act == ACT_PICKUP) {
		const struct courier *cr = courier_find(record_get(it->rec, F_PICKUP_COURIER));
		pickup_code = cr ? courier_code(cr, "11st") : NULL;
		str_copy(pickup_inv, sizeof pickup_inv, record_get(it->rec, F_PICKUP_INVOICE_NO));
		courier_normalize_invoice(pickup_inv);
		if (!cr || !pickup_code) {
			snprintf(msg, sizeof msg, "pickup_courier '%.60s' is not a courier 11st knows; use a name such as "
				 "CJ대한통운, 롯데택배, 한진택배, 우체국택배 or 로젠택배", record_get(it->rec, F_PICKUP_COURIER));
			rx_result(a, id, RES_FAILED, NULL, false, msg);
			return OB_OK;
		}
		bool too_long = strlen(pickup_inv) > EST_INVOICE_MAX;
		if (too_long || !courier_invoice_ok(cr, pickup_inv, why, sizeof why)) {
			if (too_long)
				snprintf(why, sizeof why, "11st takes invoice numbers of at most %d characters",
					 EST_INVOICE_MAX);
			snprintf(msg, sizeof msg, "pickup_invoice_no: %s", why);
			rx_result(a, id, RES_FAILED, NULL, false, msg);
			return OB_OK;
		}
	}
	if ((act == ACT_APPROVE || act == ACT_RESHIP) && type == CT_EXCHANGE && !it->courier_code) {
		rx_result(a, id, RES_FAILED, NULL, false, "the re-shipment's courier has no 11st code");
		return OB_OK;
	}

	struct rx_state st;
	int rc = rx_find(a, it, type, id, &st, err);
	if (rc != OB_OK) {
		snprintf(msg, sizeof msg, "nothing sent: could not read the %s at 11st first (%.400s)", what, err->msg);
		rx_result(a, id, RES_FAILED, NULL, false, msg);
		est_fail_rest(a, "not sent: ", err->msg);
		return OB_ENET;
	}
	if (!st.found) {
		char at[KST_TEXT_LEN] = "";
		str_copy(at, sizeof at, record_get(it->rec, F_REQUESTED_AT));
		snprintf(msg, sizeof msg, "11st lists no %s claim %s%s%s", what, id, *at ? " requested at " : " in the last 30 "
			 "days", *at ? at : "");
		rx_result(a, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	if (!str_eq(st.ord_no, ORD(it)) || !str_eq(st.seq, SEQ(it))) {
		snprintf(msg, sizeof msg, "11st has %s claim %s on order %s line %s, not on the row's order %s line %s", what,
			 id, st.ord_no, st.seq, ORD(it), SEQ(it));
		rx_result(a, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	enum result pre = judge(act, type, &st, pickup_code, pickup_inv, msg, sizeof msg);
	if (pre != RES_NONE) {
		rx_result(a, id, pre, NULL, false, msg);
		return OB_OK;
	}

	/* The call. */
	struct buf path = BUF_INIT;
	const struct rx_code *rc_code = NULL;
	const char *text = NULL;
	bool completedefer = false, bad = false, nomem = false;
	char ok[320] = "";
	why[0] = '\0';
	if (type == CT_RETURN && act == ACT_APPROVE) {
		/* The claim number comes first here (as in cancelreqconf). */
		bad = buf_puts(&path, "/claimservice/returnreqconf") < 0 || est_path_id(&path, id, why, sizeof why) < 0 ||
		      est_path_id(&path, ORD(it), why, sizeof why) < 0 || est_path_id(&path, SEQ(it), why, sizeof why) < 0;
		snprintf(ok, sizeof ok, "return completed (반품완료); 11st refunds the buyer");
	} else if (act == ACT_REJECT || act == ACT_HOLD) {
		const struct rx_code *tab = act == ACT_HOLD ? hold_codes :
					    type == CT_RETURN ? return_reject_codes : exchange_reject_codes;
		rc_code = reason_for(it, tab, &text);
		/* A plain hold still auto-completes 10 days after the return arrives;
		 * once a pickup invoice is known that clock may be running, so the
		 * hold that stops it is used. */
		completedefer = act == ACT_HOLD && *st.pickup_invoice;
		const char *ep = act == ACT_HOLD ? (completedefer ? "/claimservice/returncompletedefer" :
						    "/claimservice/returnclaimdefer") :
				 type == CT_RETURN ? "/claimservice/returnreqreject" : "/claimservice/exchangereqreject";
		bad = buf_puts(&path, ep) < 0 || est_path_id(&path, ORD(it), why, sizeof why) < 0 ||
		      est_path_id(&path, SEQ(it), why, sizeof why) < 0 || est_path_id(&path, id, why, sizeof why) < 0 ||
		      est_path_id(&path, rc_code->code, why, sizeof why) < 0 ||
		      est_path_text(&path, text, why, sizeof why) < 0;
		if (act == ACT_HOLD)
			snprintf(ok, sizeof ok, "%s, reason %s %s)%s", completedefer ? "return completion on hold (반품완료보류" :
				 "return on hold (반품보류", rc_code->code, rc_code->label, completedefer ?
				 "; 11st will not auto-complete it, but may refund by force if it stays open too long" :
				 "; 11st still auto-completes it 10 days after the return arrives");
		else
			snprintf(ok, sizeof ok, "%s rejected (%s, reason %s %s); 11st texts and emails the reason to the buyer",
				 what, type == CT_RETURN ? "반품거부" : "교환거부", rc_code->code, rc_code->label);
	} else if (type == CT_RETURN && act == ACT_PICKUP) {
		char dlv[32], now[16];
		int drc = dlv_no_of(a, it, dlv, sizeof dlv, err);
		if (drc != OB_OK) {
			buf_free(&path);
			snprintf(msg, sizeof msg, "nothing sent: could not read the order's dlvNo at 11st (%.400s)", err->msg);
			rx_result(a, id, RES_FAILED, NULL, false, msg);
			est_fail_rest(a, "not sent: ", err->msg);
			return OB_ENET;
		}
		est_minute_text(kst_now(), now);
		/* dlvMthdCd 01 택배: a pickup invoice is a courier's. */
		bad = est_path_id(&path, now, why, sizeof why) < 0 || est_path_id(&path, dlv, why, sizeof why) < 0 ||
		      est_path_id(&path, pickup_code, why, sizeof why) < 0 ||
		      est_path_id(&path, pickup_inv, why, sizeof why) < 0 || est_path_id(&path, "01", why, sizeof why) < 0 ||
		      est_path_id(&path, id, why, sizeof why) < 0;
		snprintf(ok, sizeof ok, "pickup invoice registered: %s %s", elevenst_courier_name(pickup_code), pickup_inv);
	} else if (type == CT_EXCHANGE && (act == ACT_APPROVE || act == ACT_RESHIP)) {
		const char *inv = record_get(it->rec, F_INVOICE_NO);
		bad = buf_puts(&path, "/claimservice/exchangereqconf") < 0 || est_path_id(&path, id, why, sizeof why) < 0 ||
		      est_path_id(&path, ORD(it), why, sizeof why) < 0 || est_path_id(&path, SEQ(it), why, sizeof why) < 0 ||
		      est_path_id(&path, it->courier_code, why, sizeof why) < 0 ||
		      est_path_id(&path, inv, why, sizeof why) < 0;
		snprintf(ok, sizeof ok, "exchange approved and re-shipped with %s %s (교환완료)",
			 elevenst_courier_name(it->courier_code), inv);
	} else {
		buf_free(&path);
		snprintf(msg, sizeof msg, "11st has no %s call for a %s", action_word(act), what);
		rx_result(a, id, RES_UNSUPPORTED, NULL, false, msg);
		return OB_OK;
	}
	/* The path helpers say "out of memory" in why; a failed buf_puts says nothing. */
	nomem = bad && (!*why || strcmp(why, "out of memory") == 0);
	if (nomem) {
		buf_free(&path);
		return ob_err_nomem(err);
	}
	if (bad) {
		buf_free(&path);
		snprintf(msg, sizeof msg, "not sent: %s", why);
		rx_result(a, id, RES_FAILED, NULL, false, msg);
		return OB_OK;
	}
	long c = 0;
	char ctext[256] = "", cs[32];
	bool unknown = false;
	rc = type == CT_RETURN && act == ACT_PICKUP ?
		     call_returninvc(a, path.data, &c, ctext, sizeof ctext, &unknown, err) :
		     est_act_call(a, path.data, NULL, &c, ctext, sizeof ctext, &unknown, err);
	buf_free(&path);
	if (rc != OB_OK) {
		rx_result(a, id, RES_FAILED, NULL, unknown, err->msg);
		if (unknown)
			return OB_OK; /* answer lost: the others go on (see call_failed in elevenst_act.c) */
		est_fail_rest(a, "not sent: ", err->msg);
		return OB_ENET;
	}
	snprintf(cs, sizeof cs, "%ld", c);
	if (c == 0) {
		rx_result(a, id, RES_OK, cs, false, ok);
	} else {
		snprintf(msg, sizeof msg, "11st refused: %s (%ld)%s", *ctext ? ctext : "no reason given", c,
			 c == -3306 || c == -3307 || c == -27006 ? "; check the courier and invoice number" : "");
		rx_result(a, id, RES_FAILED, cs, false, msg);
	}
	return OB_OK;
}
