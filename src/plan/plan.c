/* Reading, validating, grouping and printing an import plan (see plan.h).
 * Execution is in plan_apply.c, result files in plan_result.c. */
#include "plan/plan.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "market/couriers.h"
#include "sheet/sheet_read.h"
#include "sheet/xlsx.h"
#include "util/str.h"

void plan_init(struct plan *p, const struct config *cfg)
{
	memset(p, 0, sizeof *p);
	p->cfg = cfg;
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		record_free(&p->items[i].rec);
	free(p->items);
	for (size_t i = 0; i < p->nbatches; i++)
		free(p->batches[i].items);
	free(p->batches);
	free(p->accounts);
	free(p->inputs);
	buf_free(&p->errors);
	buf_free(&p->notes);
	record_list_clear(&p->sheet_lines);
	memset(p, 0, sizeof *p);
}

/* Records a row error: one line in p->errors, the first one on the item. */
static void row_error(struct plan *p, struct plan_item *it, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void row_error(struct plan *p, struct plan_item *it, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!it->invalid) {
		it->invalid = true;
		p->invalid++;
		it->result = RES_FAILED;
		snprintf(it->message, sizeof it->message, "invalid: %.500s", msg);
	}
	buf_printf(&p->errors, "%s\n", msg);
}

static const char *col_name(enum field_id f)
{
	static char tmp[8][96];
	static int k;
	char *t = tmp[k++ & 7];
	snprintf(t, 96, "%s (%s)", field_key(f), field_header_ko(f));
	return t;
}

#define WHERE(p, it, f) (p)->inputs[(it)->input].name, (it)->row_no, col_name(f)

static void validate_courier(struct plan *p, struct plan_item *it)
{
	const char *name = record_get(&it->rec, F_COURIER);
	const struct courier *c = courier_find(name);
	if (!c) {
		row_error(p, it, "%s row %zu, column %s: unknown courier '%s'; use a name such as CJ대한통운, 롯데택배, "
			  "한진택배, 우체국택배 or 로젠택배 ('orderbridge couriers' lists them all)",
			  WHERE(p, it, F_COURIER), name);
		return;
	}
	const char *market = it->acct->ops->name;
	it->courier_code = courier_code(c, market);
	if (!it->courier_code) {
		row_error(p, it, "%s row %zu, column %s: %s has no code at %s; choose another courier",
			  WHERE(p, it, F_COURIER), c->name_ko, market);
		return;
	}
	char inv[128], why[256];
	str_copy(inv, sizeof inv, record_get(&it->rec, F_INVOICE_NO));
	courier_normalize_invoice(inv);
	if (!courier_invoice_ok(c, inv, why, sizeof why)) {
		row_error(p, it, "%s row %zu, column %s: %s; check the number on the label", WHERE(p, it, F_INVOICE_NO),
			  why);
		return;
	}
	record_set(&it->rec, F_INVOICE_NO, inv);
}

static void validate(struct plan *p, struct plan_item *it, enum sheet_kind kind)
{
	enum action a = it->action;
	const char *file = p->inputs[it->input].name;
	if (action_on_orders(a) != (kind == SHEET_ORDERS)) {
		row_error(p, it, "%s row %zu, column %s: %s is an action for the %s sheet; on the %s sheet use %s", file,
			  it->row_no, col_name(F_ACTION), action_word(a), kind == SHEET_ORDERS ? "claims" : "orders",
			  sheet_name(kind), kind == SHEET_ORDERS ? "ACK, SHIP, DELAY or CANCEL" :
			  "APPROVE, REJECT, HOLD, RESHIP or PICKUP");
		return;
	}
	const char *mname = record_get(&it->rec, F_MARKET);
	const struct market_ops *ops = market_find(mname);
	if (!ops) {
		row_error(p, it, "%s row %zu, column %s: unknown market '%s'; expected coupang, 11st or smartstore",
			  file, it->row_no, col_name(F_MARKET), mname);
		return;
	}
	const char *aname = record_get(&it->rec, F_ACCOUNT);
	it->acct = config_find(p->cfg, ops->name, *aname ? aname : NULL);
	if (!it->acct) {
		row_error(p, it, "%s row %zu, column %s: no [%s.%s] account in %s", file, it->row_no, col_name(F_ACCOUNT),
			  ops->name, *aname ? aname : "…", p->cfg->path);
		return;
	}
	if (!*aname) {
		/* Blank account: fine when the market has one account only. */
		size_t count = 0;
		for (size_t i = 0; i < p->cfg->naccounts; i++)
			count += p->cfg->accounts[i].ops == ops;
		if (count > 1) {
			row_error(p, it, "%s row %zu, column %s: %zu %s accounts are configured; say which one", file,
				  it->row_no, col_name(F_ACCOUNT), count, ops->name);
			return;
		}
	}
	int ct = kind == SHEET_CLAIMS ? claim_type_parse(record_get(&it->rec, F_CLAIM_TYPE)) : CT_NONE;
	it->spec = market_action_spec(ops, a, kind, ct > 0 ? (enum claim_type)ct : CT_NONE);
	if (kind == SHEET_ORDERS) {
		if (!record_has(&it->rec, F_ORDER_NO) || !record_has(&it->rec, F_LINE_NO)) {
			row_error(p, it, "%s row %zu: the row has no %s or %s; only rows exported by orderbridge can be "
				  "imported", file, it->row_no, col_name(F_ORDER_NO), col_name(F_LINE_NO));
			return;
		}
	} else if (!record_has(&it->rec, F_CLAIM_ID)) {
		row_error(p, it, "%s row %zu, column %s: a claim action needs the claim number", file, it->row_no,
			  col_name(F_CLAIM_ID));
		return;
	}
	if (!it->spec || !it->spec->supported) {
		it->result = RES_UNSUPPORTED;
		snprintf(it->message, sizeof it->message, "%s", it->spec && it->spec->unsupported_why ?
			 it->spec->unsupported_why : "this market has no such call");
		return;
	}
	if (it->spec->unit == UNIT_BUNDLE && !record_has(&it->rec, F_BUNDLE_NO)) {
		row_error(p, it, "%s row %zu, column %s: %s at %s works per bundle and the row has no bundle number",
			  file, it->row_no, col_name(F_BUNDLE_NO), action_word(a), ops->name);
		return;
	}
	for (int f = 0; f < F__COUNT; f++) {
		if (!(it->spec->required & (1ull << f)) || record_has(&it->rec, (enum field_id)f))
			continue;
		row_error(p, it, "%s row %zu, column %s: %s needs a value here", file, it->row_no,
			  col_name((enum field_id)f), action_word(a));
		return;
	}
	if (it->spec->required & (1ull << F_COURIER))
		validate_courier(p, it);
	char why[400];
	if (!it->invalid && ops->check_row && !ops->check_row(a, kind, &it->rec, why, sizeof why))
		row_error(p, it, "%s row %zu: %s", file, it->row_no, why);
	if (!it->invalid && (it->spec->required & (1ull << F_DELAY_UNTIL))) {
		ob_time d;
		if (kst_parse(record_get(&it->rec, F_DELAY_UNTIL), &d) < 0)
			row_error(p, it, "%s row %zu, column %s: '%s' is not a date (YYYY-MM-DD)", file, it->row_no,
				  col_name(F_DELAY_UNTIL), record_get(&it->rec, F_DELAY_UNTIL));
		else if (d < kst_day_start(kst_now()))
			row_error(p, it, "%s row %zu, column %s: %s is in the past; give the new shipping date", file,
				  it->row_no, col_name(F_DELAY_UNTIL), record_get(&it->rec, F_DELAY_UNTIL));
	}
}

int plan_item_key(const struct plan_item *it, char out[72])
{
	struct buf b = BUF_INIT;
	const struct record *r = &it->rec;
	int rc = buf_printf(&b, "%s|%s|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s", it->acct ? it->acct->ops->name : "",
			    it->acct ? it->acct->name : "", r->sheet, record_get(r, F_ORDER_NO), record_get(r, F_LINE_NO),
			    record_get(r, F_BUNDLE_NO), record_get(r, F_CLAIM_ID), action_word(it->action), it->courier_code ? it->courier_code : "",
			    record_get(r, F_INVOICE_NO), record_get(r, F_DELAY_UNTIL), record_get(r, F_REASON));
	/* Fields of the return/exchange actions go in only when set, so keys of
	 * rows without them stay what they were. */
	static const enum field_id more[] = { F_PICKUP_COURIER, F_PICKUP_INVOICE_NO, F_SELLER_REASON, F_EXTRA_FEE };
	for (size_t k = 0; rc == 0 && k < sizeof more / sizeof more[0]; k++)
		if (record_has(r, more[k]))
			rc = buf_printf(&b, "|%s=%s", field_key(more[k]), record_get(r, more[k]));
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (rc == 0 && EVP_Digest(b.data, b.len, md, &mdlen, EVP_sha256(), NULL) != 1)
		rc = -1;
	buf_free(&b);
	if (rc < 0)
		return -1;
	static const char hex[] = "0123456789abcdef";
	unsigned i;
	for (i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * i] = '\0';
	return 0;
}

static void unit_key(struct plan_item *it)
{
	const struct record *r = &it->rec;
	const char *acct = it->acct->id;
	switch (it->spec ? it->spec->unit : UNIT_LINE) {
	case UNIT_BUNDLE:
		snprintf(it->unit, sizeof it->unit, "%s|%d|B|%s", acct, r->sheet, record_get(r, F_BUNDLE_NO));
		break;
	case UNIT_CLAIM:
		snprintf(it->unit, sizeof it->unit, "%s|%d|C|%s", acct, r->sheet, record_get(r, F_CLAIM_ID));
		break;
	case UNIT_ORDER:
		snprintf(it->unit, sizeof it->unit, "%s|%d|O|%s", acct, r->sheet, record_get(r, F_ORDER_NO));
		break;
	default:
		snprintf(it->unit, sizeof it->unit, "%s|%d|L|%s|%s|%s|%s", acct, r->sheet, record_get(r, F_ORDER_NO),
			 record_get(r, F_LINE_NO), record_get(r, F_BUNDLE_NO), record_get(r, F_CLAIM_ID));
		break;
	}
}

static int read_sheet(struct plan *p, const char *path, const char *sheet, struct ob_err *err);

/* Appends an item for a row (a copy of rec); NULL when memory ran out. */
static struct plan_item *new_item(struct plan *p, size_t input, size_t row_no, const struct record *rec,
				  struct ob_err *err)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct plan_item *items = realloc(p->items, cap * sizeof *items);
		if (!items) {
			ob_err_nomem(err);
			return NULL;
		}
		p->items = items;
		p->cap = cap;
	}
	struct plan_item *it = &p->items[p->n];
	memset(it, 0, sizeof *it);
	if (record_copy(&it->rec, rec) < 0) {
		ob_err_nomem(err);
		return NULL;
	}
	p->n++;
	it->input = input;
	it->row_no = row_no;
	return it;
}

int plan_add_input(struct plan *p, const char *path, const struct template_def *tpl, size_t *idx,
		   struct ob_err *err)
{
	struct plan_input *grown = realloc(p->inputs, (p->ninputs + 1) * sizeof *grown);
	if (!grown)
		return ob_err_nomem(err);
	p->inputs = grown;
	*idx = p->ninputs++;
	struct plan_input *in = &p->inputs[*idx];
	memset(in, 0, sizeof *in);
	str_copy(in->path, sizeof in->path, path);
	str_copy(in->name, sizeof in->name, path);
	in->kind = SHEET_ORDERS;
	in->tpl = tpl;
	return OB_OK;
}

int plan_add_row(struct plan *p, size_t input, size_t row_no, const struct record *rec, const char *error,
		 struct ob_err *err)
{
	struct plan_item *it = new_item(p, input, row_no, rec, err);
	if (!it)
		return err->code;
	p->inputs[input].acted++;
	int a = action_parse(record_get(rec, F_ACTION));
	it->action = a > 0 ? (enum action)a : ACT_NONE;
	if (error)
		row_error(p, it, "%s", error);
	else if (a <= 0)
		row_error(p, it, "%s row %zu: no action", p->inputs[input].name, row_no);
	else
		validate(p, it, rec->sheet);
	if (it->acct)
		unit_key(it);
	if (plan_item_key(it, it->key) < 0)
		return ob_err_nomem(err);
	return OB_OK;
}

static bool is_workbook(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xlsm") == 0);
}

int plan_read(struct plan *p, const char *path, struct ob_err *err)
{
	if (!is_workbook(path))
		return read_sheet(p, path, NULL, err);
	/* An exported workbook holds both sheets; read each one it has. */
	int found = 0;
	for (int k = SHEET_ORDERS; k <= SHEET_CLAIMS; k++) {
		struct table_reader *t = NULL;
		struct ob_err probe = OB_ERR_INIT;
		if (xlsx_reader_open(path, sheet_name((enum sheet_kind)k), &t, &probe) != OB_OK)
			continue;
		/* A one-sheet workbook opens under any name: make sure it is this one. */
		bool named = strcmp(xlsx_reader_sheet(t), sheet_name((enum sheet_kind)k)) == 0;
		t->close(t);
		if (!named)
			continue;
		int rc = read_sheet(p, path, sheet_name((enum sheet_kind)k), err);
		if (rc != OB_OK)
			return rc;
		found++;
	}
	return found ? OB_OK : read_sheet(p, path, NULL, err);
}

static int read_sheet(struct plan *p, const char *path, const char *sheet, struct ob_err *err)
{
	struct sheet_read_opts o = { 0 };
	o.xlsx_sheet = sheet;
	if (sheet)
		o.kind = strcmp(sheet, sheet_name(SHEET_CLAIMS)) == 0 ? SHEET_CLAIMS : SHEET_ORDERS;
	struct sheet_reader *r = NULL;
	int rc = sheet_reader_open(path, &o, &r, err);
	if (rc != OB_OK)
		return rc;
	struct plan_input *grown = realloc(p->inputs, (p->ninputs + 1) * sizeof *grown);
	if (!grown) {
		sheet_reader_close(r);
		return ob_err_nomem(err);
	}
	p->inputs = grown;
	size_t idx = p->ninputs++;
	struct plan_input *in = &p->inputs[idx];
	memset(in, 0, sizeof *in);
	str_copy(in->path, sizeof in->path, path);
	str_copy(in->sheet, sizeof in->sheet, sheet ? sheet : "");
	if (sheet)
		snprintf(in->name, sizeof in->name, "%s (sheet %s)", path, sheet);
	else
		str_copy(in->name, sizeof in->name, path);
	in->kind = sheet_reader_kind(r);
	/* Rows without an action are only counted (and their damaged cells). */
	sheet_reader_records_for_actions(r);
	struct sheet_row row;
	sheet_row_init(&row);
	while ((rc = sheet_reader_next(r, &row, err)) == 1) {
		if (row.blank)
			continue;
		in = &p->inputs[idx];
		in->rows++;
		const char *acell = record_get(&row.rec, F_ACTION);
		int a = action_parse(acell);
		size_t fatal = 0;
		bool bad_action = false;
		for (size_t k = 0; k < row.nissues; k++) {
			fatal += row.issues[k].fatal;
			bad_action |= row.issues[k].fatal && row.issues[k].field == F_ACTION;
		}
		if (a == ACT_NONE && !bad_action) {
			in->warnings += fatal;
			continue;
		}
		in->acted++;
		struct plan_item *it = new_item(p, idx, row.row_no, &row.rec, err);
		if (!it) {
			rc = err->code;
			break;
		}
		it->action = a > 0 ? (enum action)a : ACT_NONE;
		for (size_t k = 0; k < row.nissues; k++)
			if (row.issues[k].fatal)
				row_error(p, it, "%s", row.issues[k].msg);
		if ((a < 0 || bad_action) && !it->invalid)
			row_error(p, it, "%s row %zu, column %s: unknown action '%s'; use ACK, SHIP, DELAY, CANCEL (orders) "
				  "or APPROVE, REJECT, HOLD, RESHIP, PICKUP (claims), or the Korean words 발주확인, 발송, "
				  "발송지연, 판매취소, 승인, 거부, 보류, 재발송, 회수",
				  p->inputs[idx].name, row.row_no, col_name(F_ACTION), acell);
		if (!it->invalid)
			validate(p, it, in->kind);
		if (it->acct)
			unit_key(it);
		if (plan_item_key(it, it->key) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
	}
	sheet_row_free(&row);
	sheet_reader_close(r);
	return rc < 0 ? (err->code ? err->code : OB_EIO) : rc == 0 ? OB_OK : rc;
}

int plan_check_journal(struct plan *p, struct store *s, struct ob_err *err)
{
	for (size_t i = 0; i < p->n; i++) {
		struct plan_item *it = &p->items[i];
		if (it->invalid || it->result != RES_NONE)
			continue;
		struct journal_entry je;
		int found = store_journal_get(s, it->key, &je, err);
		if (found < 0)
			return err->code;
		if (!found)
			continue;
		if (je.state == JS_OK) {
			char when[KST_TEXT_LEN];
			kst_format(je.updated_at, when);
			it->result = RES_SKIPPED;
			snprintf(it->message, sizeof it->message, "already done at %s: %.400s", when, je.message);
			str_copy(it->market_code, sizeof it->market_code, je.market_code);
		} else if (je.state == JS_SENT || je.state == JS_UNKNOWN) {
			it->prior = true;
		}
	}
	return OB_OK;
}

int plan_check_store(struct plan *p, struct store *s, struct ob_err *err)
{
	struct record known;
	record_init(&known, SHEET_ORDERS);
	int rc = OB_OK;
	for (size_t i = 0; i < p->n; i++) {
		struct plan_item *it = &p->items[i];
		if (it->invalid || it->result != RES_NONE)
			continue;
		int found = store_line_get(s, &it->rec, &known, err);
		if (found < 0) {
			rc = err->code;
			break;
		}
		enum field_id f = it->rec.sheet == SHEET_CLAIMS ? F_CLAIM_STATUS : F_STATUS;
		if (found && record_has(&it->rec, f) && record_has(&known, f) &&
		    !str_eq(record_get(&it->rec, f), record_get(&known, f)))
			buf_printf(&p->notes, "%s row %zu: the sheet says %s but a later export saw %s; the market's "
				   "current state decides\n", p->inputs[it->input].name, it->row_no, record_get(&it->rec, f),
				   record_get(&known, f));
	}
	record_free(&known);
	return rc;
}

/* Sorting items by account, sheet, action, unit, then input order. */
static struct plan *sort_plan;

static int cmp_items(const void *a, const void *b)
{
	const struct plan_item *x = &sort_plan->items[*(const size_t *)a];
	const struct plan_item *y = &sort_plan->items[*(const size_t *)b];
	int c = strcmp(x->unit, y->unit);
	if (c)
		return c;
	if (x->action != y->action)
		return (int)x->action - (int)y->action;
	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	return x->row_no < y->row_no ? -1 : x->row_no > y->row_no;
}

/* Batching order: account and sheet (the unit key starts with them), action,
 * then unit, so a batch collects every unit of one action. */
static int cmp_batch(const void *a, const void *b)
{
	const struct plan_item *x = &sort_plan->items[*(const size_t *)a];
	const struct plan_item *y = &sort_plan->items[*(const size_t *)b];
	int c = strcmp(x->acct->id, y->acct->id);
	if (c)
		return c;
	if (x->rec.sheet != y->rec.sheet)
		return (int)x->rec.sheet - (int)y->rec.sheet;
	if (x->action != y->action)
		return (int)x->action - (int)y->action;
	return cmp_items(a, b);
}

static bool same_payload(const struct plan_item *a, const struct plan_item *b)
{
	return a->action == b->action && str_eq(record_get(&a->rec, F_INVOICE_NO), record_get(&b->rec, F_INVOICE_NO)) &&
	       str_eq(a->courier_code, b->courier_code) &&
	       str_eq(record_get(&a->rec, F_DELAY_UNTIL), record_get(&b->rec, F_DELAY_UNTIL));
}

static bool same_line(const struct plan_item *a, const struct plan_item *b)
{
	return a->acct == b->acct && a->rec.sheet == b->rec.sheet &&
	       str_eq(record_get(&a->rec, F_ORDER_NO), record_get(&b->rec, F_ORDER_NO)) &&
	       str_eq(record_get(&a->rec, F_LINE_NO), record_get(&b->rec, F_LINE_NO)) &&
	       str_eq(record_get(&a->rec, F_BUNDLE_NO), record_get(&b->rec, F_BUNDLE_NO)) &&
	       str_eq(record_get(&a->rec, F_CLAIM_ID), record_get(&b->rec, F_CLAIM_ID));
}

/* Conflicts within one unit: different actions, or (SHIP) different invoices,
 * and the same line twice. */
static void check_unit(struct plan *p, size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct plan_item *a = &p->items[idx[i]];
		for (size_t j = i + 1; j < n; j++) {
			struct plan_item *b = &p->items[idx[j]];
			if (a->invalid && b->invalid)
				continue;
			if (same_line(a, b) && same_payload(a, b)) {
				if (!b->invalid && b->result == RES_NONE) {
					b->result = RES_SKIPPED;
					snprintf(b->message, sizeof b->message, "same action as %.400s row %zu",
						 p->inputs[a->input].name, a->row_no);
				}
				continue;
			}
			if (!same_payload(a, b)) {
				const char *what = a->spec && a->spec->unit == UNIT_CLAIM ? "claim" : "bundle";
				char desc_a[160], desc_b[160];
				snprintf(desc_a, sizeof desc_a, "%s%s%s", action_word(a->action),
					 record_has(&a->rec, F_INVOICE_NO) ? " " : "", record_get(&a->rec, F_INVOICE_NO));
				snprintf(desc_b, sizeof desc_b, "%s%s%s", action_word(b->action),
					 record_has(&b->rec, F_INVOICE_NO) ? " " : "", record_get(&b->rec, F_INVOICE_NO));
				if (same_line(a, b))
					row_error(p, b, "%s row %zu, column %s: this line also has %s on %s row %zu, here %s; a "
						  "line takes one action per import (SHIP acknowledges first where the market "
						  "needs it)",
						  p->inputs[b->input].name, b->row_no, col_name(F_ACTION), desc_a,
						  p->inputs[a->input].name, a->row_no, desc_b);
				else
					row_error(p, b, "%s row %zu, column %s: the same %s is also on %s row %zu with %s, "
						  "here %s; the market acts on the whole %s at once, so give every row the "
						  "same action",
						  p->inputs[b->input].name, b->row_no, col_name(F_ACTION), what,
						  p->inputs[a->input].name, a->row_no, desc_a, desc_b, what);
				if (!a->invalid)
					row_error(p, a, "%s row %zu, column %s: conflicts with %s row %zu (see there)",
						  p->inputs[a->input].name, a->row_no, col_name(F_ACTION),
						  p->inputs[b->input].name, b->row_no);
			}
		}
	}
}

static int add_batch(struct plan *p, size_t account, const struct plan_item *first, struct ob_err *err)
{
	struct plan_batch *grown = realloc(p->batches, (p->nbatches + 1) * sizeof *grown);
	if (!grown)
		return ob_err_nomem(err);
	p->batches = grown;
	struct plan_batch *b = &p->batches[p->nbatches++];
	memset(b, 0, sizeof *b);
	b->account = account;
	b->action = first->action;
	b->sheet = first->rec.sheet;
	return OB_OK;
}

static size_t account_index(struct plan *p, const struct account *a, struct ob_err *err, int *fail)
{
	for (size_t i = 0; i < p->naccounts; i++)
		if (p->accounts[i] == a)
			return i;
	const struct account **grown = realloc(p->accounts, (p->naccounts + 1) * sizeof *grown);
	if (!grown) {
		*fail = ob_err_nomem(err);
		return 0;
	}
	p->accounts = grown;
	p->accounts[p->naccounts] = a;
	return p->naccounts++;
}

int plan_build(struct plan *p, struct ob_err *err)
{
	size_t *idx = malloc((p->n ? p->n : 1) * sizeof *idx);
	if (!idx)
		return ob_err_nomem(err);
	size_t m = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].acct && p->items[i].spec && p->items[i].spec->supported &&
		    p->items[i].result != RES_UNSUPPORTED)
			idx[m++] = i;
	sort_plan = p;
	qsort(idx, m, sizeof *idx, cmp_items);
	/* Conflicts are judged per unit; the same line twice lands in one unit. */
	for (size_t s = 0; s < m;) {
		size_t e = s + 1;
		while (e < m && strcmp(p->items[idx[e]].unit, p->items[idx[s]].unit) == 0)
			e++;
		check_unit(p, idx + s, e - s);
		s = e;
	}
	qsort(idx, m, sizeof *idx, cmp_batch);
	/* Batches: consecutive units of one account, sheet and action. */
	int rc = OB_OK;
	struct plan_batch *cur = NULL;
	const char *last_unit = NULL;
	for (size_t k = 0; k < m && rc == OB_OK; k++) {
		struct plan_item *it = &p->items[idx[k]];
		if (it->invalid || it->result != RES_NONE)
			continue;
		size_t acc = account_index(p, it->acct, err, &rc);
		if (rc != OB_OK)
			break;
		int new_unit = !last_unit || strcmp(last_unit, it->unit) != 0;
		int max = it->spec->batch_max > 0 ? it->spec->batch_max : 1;
		if (!cur || cur->account != acc || cur->action != it->action || cur->sheet != it->rec.sheet ||
		    (new_unit && cur->units >= (size_t)max)) {
			rc = add_batch(p, acc, it, err);
			if (rc != OB_OK)
				break;
			cur = &p->batches[p->nbatches - 1];
			new_unit = 1;
		}
		size_t *items = realloc(cur->items, (cur->n + 1) * sizeof *items);
		if (!items) {
			rc = ob_err_nomem(err);
			break;
		}
		cur->items = items;
		cur->items[cur->n++] = idx[k];
		if (new_unit)
			cur->units++;
		last_unit = it->unit;
	}
	free(idx);
	return rc;
}

void plan_counts(const struct plan *p, size_t counts[RES__COUNT])
{
	memset(counts, 0, RES__COUNT * sizeof counts[0]);
	for (size_t i = 0; i < p->n; i++)
		counts[p->items[i].result]++;
}

void plan_print(const struct plan *p, FILE *out, bool calls)
{
	for (size_t i = 0; i < p->ninputs; i++) {
		const struct plan_input *in = &p->inputs[i];
		if (in->tpl) {
			size_t lines = 0, bad = 0;
			for (size_t k = 0; k < p->n; k++)
				if (p->items[k].input == i)
					p->items[k].invalid ? bad++ : lines++;
			fprintf(out, "%s: courier result file, %zu rows: %zu order lines to ship, %zu rows in error\n",
				in->name, in->rows, lines, bad);
		} else {
			fprintf(out, "%s: %s sheet, %zu rows, %zu with an action\n", in->name, sheet_name(in->kind),
				in->rows, in->acted);
		}
		if (in->warnings)
			fprintf(out, "  note: %zu cells in rows without an action look damaged (ignored, nothing is sent "
				"for those rows)\n", in->warnings);
	}
	/* Per account and action: rows and calls. */
	fprintf(out, "plan:\n");
	int any = 0;
	for (size_t a = 0; a < p->naccounts; a++) {
		for (int act = 1; act < ACT__COUNT; act++) {
			for (int sheet = SHEET_ORDERS; sheet <= SHEET_CLAIMS; sheet++) {
				size_t rows = 0, ncalls = 0, prior = 0, units = 0;
				const struct action_spec *spec = NULL;
				for (size_t b = 0; b < p->nbatches; b++) {
					const struct plan_batch *pb = &p->batches[b];
					if (pb->account != a || pb->action != (enum action)act || pb->sheet != (enum sheet_kind)sheet)
						continue;
					ncalls++;
					rows += pb->n;
					units += pb->units;
					for (size_t k = 0; k < pb->n; k++) {
						prior += p->items[pb->items[k]].prior;
						spec = p->items[pb->items[k]].spec;
					}
				}
				if (!ncalls)
					continue;
				any = 1;
				const char *unit_word = spec && spec->unit == UNIT_BUNDLE ? "bundle" :
							spec && spec->unit == UNIT_CLAIM ? "claim" : "line";
				if (spec && spec->call_per_unit)
					ncalls = units;
				fprintf(out, "  %-18s %-7s %6zu rows in %zu call%s", p->accounts[a]->id, action_word((enum action)act),
					rows, ncalls, ncalls == 1 ? "" : "s");
				if (spec && spec->call_per_unit)
					fprintf(out, " (one per %s)", unit_word);
				else if (spec && spec->batch_max > 1)
					fprintf(out, " (up to %d %s a call)", spec->batch_max,
						spec->unit == UNIT_BUNDLE ? "bundles" : spec->unit == UNIT_CLAIM ? "claims" : "lines");
				if (prior)
					fprintf(out, "; %zu sent before without an answer: re-checked at the market first", prior);
				fputc('\n', out);
				if (act == ACT_SHIP && sheet == SHEET_ORDERS) {
					size_t paid = 0;
					for (size_t b = 0; b < p->nbatches; b++)
						for (size_t k = 0; k < p->batches[b].n; k++) {
							const struct plan_item *it = &p->items[p->batches[b].items[k]];
							if (p->batches[b].account == a && it->action == ACT_SHIP &&
							    order_status_parse(record_get(&it->rec, F_STATUS)) == OS_PAID)
								paid++;
						}
					if (paid)
						fprintf(out, "  %-18s %-7s %6zu of those rows are still PAID: acknowledged first "
							"where the market needs it\n", "", "(ACK)", paid);
				}
			}
		}
	}
	size_t counts[RES__COUNT];
	plan_counts(p, counts);
	if (counts[RES_SKIPPED])
		fprintf(out, "  %zu rows already done (SKIPPED, nothing sent)\n", counts[RES_SKIPPED]), any = 1;
	if (counts[RES_UNSUPPORTED]) {
		any = 1;
		fprintf(out, "  %zu rows UNSUPPORTED by their market:\n", counts[RES_UNSUPPORTED]);
		for (size_t i = 0; i < p->n; i++)
			if (p->items[i].result == RES_UNSUPPORTED && !p->items[i].invalid)
				fprintf(out, "    %s row %zu: %s: %s\n", p->inputs[p->items[i].input].name, p->items[i].row_no,
					action_word(p->items[i].action), p->items[i].message);
	}
	if (!any)
		fprintf(out, "  nothing to send\n");
	if (calls && p->nbatches) {
		fprintf(out, "calls:\n");
		for (size_t b = 0; b < p->nbatches; b++) {
			const struct plan_batch *pb = &p->batches[b];
			fprintf(out, "  %s %s #%zu: %zu row%s:", p->accounts[pb->account]->id, action_word(pb->action), b + 1,
				pb->n, pb->n == 1 ? "" : "s");
			const char *last = NULL;
			size_t shown = 0;
			for (size_t k = 0; k < pb->n && shown < 8; k++) {
				const struct plan_item *it = &p->items[pb->items[k]];
				if (last && strcmp(last, it->unit) == 0)
					continue;
				/* The unit's own number: bundle, claim, order, or line. */
				enum action_unit u = it->spec ? it->spec->unit : UNIT_LINE;
				enum field_id f = u == UNIT_BUNDLE ? F_BUNDLE_NO : u == UNIT_CLAIM ? F_CLAIM_ID :
						  u == UNIT_ORDER ? F_ORDER_NO : F_LINE_NO;
				fprintf(out, " %s", record_get(&it->rec, f));
				last = it->unit;
				shown++;
			}
			if (pb->units > shown)
				fprintf(out, " … (%zu units)", pb->units);
			fputc('\n', out);
		}
	}
	if (p->notes.len) {
		fprintf(out, "notes:\n");
		fputs(buf_cstr(&p->notes), out);
	}
	if (p->invalid) {
		fprintf(out, "errors (%zu rows):\n", p->invalid);
		fputs(buf_cstr(&p->errors), out);
	}
}
