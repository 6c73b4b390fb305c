/* Reading, validating, grouping and printing an import plan (see plan.h).
 * Execution is in plan_apply.c, result files in plan_result.c, what items
 * keep in plan_mem.c.
 *
 * A million-row sheet gives half a million items, so an item holds only what
 * planning needs (plan.h) and the work per row is kept to a few passes over
 * its cells: no copy of the row, the idempotency key hashed from text built
 * by hand, the journal and the store consulted in one pass where one query
 * per row would cost more, and the sorts done on keys held in the sort
 * entries themselves. */
#include "plan/plan.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "market/couriers.h"
#include "plan/plan_int.h"
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
	free(p->items);
	free(p->batches); /* their items are in batch_idx */
	free(p->batch_idx);
	free(p->accounts);
	free(p->inputs);
	buf_free(&p->errors);
	buf_free(&p->notes);
	record_list_clear(&p->sheet_lines);
	plan_mem_free(p);
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
		plan_set_message(p, it, NULL, "invalid: %.500s", msg);
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

int plan_normalize_invoice(struct record *r)
{
	char inv[128];
	str_copy(inv, sizeof inv, record_get(r, F_INVOICE_NO));
	courier_normalize_invoice(inv);
	return record_set(r, F_INVOICE_NO, inv);
}

/* Checks a courier column and its invoice column of a row: a courier the
 * table knows, with a code at the row's market (*code, when it has one), and
 * an invoice of its shape (normalized into inv). False after a row error
 * naming the column. */
static bool check_courier(struct plan *p, struct plan_item *it, const struct record *rec,
			  enum field_id courier_col, enum field_id invoice_col, const char **code, char inv[128])
{
	const char *name = record_get(rec, courier_col);
	const struct courier *c = courier_find(name);
	if (!c) {
		row_error(p, it, "%s row %zu, column %s: unknown courier '%s'; use a name such as CJ대한통운, 롯데택배, "
			  "한진택배, 우체국택배 or 로젠택배 ('orderbridge couriers' lists them all)",
			  WHERE(p, it, courier_col), name);
		return false;
	}
	const char *market = it->acct->ops->name;
	*code = courier_code(c, market);
	if (!*code) {
		row_error(p, it, "%s row %zu, column %s: %s has no code at %s; choose another courier",
			  WHERE(p, it, courier_col), c->name_ko, market);
		return false;
	}
	char why[256];
	str_copy(inv, 128, record_get(rec, invoice_col));
	courier_normalize_invoice(inv);
	if (!courier_invoice_ok(c, inv, why, sizeof why)) {
		row_error(p, it, "%s row %zu, column %s: %s; check the number on the label", WHERE(p, it, invoice_col),
			  why);
		return false;
	}
	return true;
}

static void validate_courier(struct plan *p, struct plan_item *it, struct record *rec)
{
	char inv[128];
	if (!check_courier(p, it, rec, F_COURIER, F_INVOICE_NO, &it->courier_code, inv))
		return;
	/* The same as plan_normalize_invoice, which gives the record again when
	 * the plan is applied. */
	if (record_set(rec, F_INVOICE_NO, inv) < 0)
		p->oom = true;
	it->invoice_checked = true;
}

/* The pickup courier and invoice of a return (PICKUP): the same checks as
 * the adapters make before they call, so that a dry run finds them. The
 * record keeps the invoice as written (it is part of the key). */
static void validate_pickup(struct plan *p, struct plan_item *it, const struct record *rec)
{
	char inv[128];
	const char *code = NULL;
	check_courier(p, it, rec, F_PICKUP_COURIER, F_PICKUP_INVOICE_NO, &code, inv);
}

/* The last market and account names looked up, and what they gave: rows of
 * a sheet come in runs of one account. */
struct lookups {
	char market[64], account[96];
	const struct market_ops *ops;
	const struct account *acct;
	bool valid;
};

static const struct account *find_account(const struct plan *p, struct lookups *lk, const char *mname,
					  const char *aname, const struct market_ops **ops)
{
	if (lk && lk->valid && strcmp(lk->market, mname) == 0 && strcmp(lk->account, aname) == 0) {
		*ops = lk->ops;
		return lk->acct;
	}
	*ops = market_find(mname);
	const struct account *acct = *ops ? config_find(p->cfg, (*ops)->name, *aname ? aname : NULL) : NULL;
	if (lk && strlen(mname) < sizeof lk->market && strlen(aname) < sizeof lk->account) {
		strcpy(lk->market, mname);
		strcpy(lk->account, aname);
		lk->ops = *ops;
		lk->acct = acct;
		lk->valid = true;
	}
	return acct;
}

static void validate(struct plan *p, struct plan_item *it, struct record *rec, enum sheet_kind kind,
		     struct lookups *lk)
{
	enum action a = (enum action)it->action;
	const char *file = p->inputs[it->input].name;
	if (action_on_orders(a) != (kind == SHEET_ORDERS)) {
		row_error(p, it, "%s row %zu, column %s: %s is an action for the %s sheet; on the %s sheet use %s", file,
			  it->row_no, col_name(F_ACTION), action_word(a), kind == SHEET_ORDERS ? "claims" : "orders",
			  sheet_name(kind), kind == SHEET_ORDERS ? "ACK, SHIP, DELAY or CANCEL" :
			  "APPROVE, REJECT, HOLD, RESHIP or PICKUP");
		return;
	}
	const char *mname = record_get(rec, F_MARKET);
	const char *aname = record_get(rec, F_ACCOUNT);
	const struct market_ops *ops;
	const struct account *acct = find_account(p, lk, mname, aname, &ops);
	if (!ops) {
		row_error(p, it, "%s row %zu, column %s: unknown market '%s'; expected coupang, 11st or smartstore",
			  file, it->row_no, col_name(F_MARKET), mname);
		return;
	}
	it->acct = acct;
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
	int ct = kind == SHEET_CLAIMS ? claim_type_parse(record_get(rec, F_CLAIM_TYPE)) : CT_NONE;
	it->spec = market_action_spec(ops, a, kind, ct > 0 ? (enum claim_type)ct : CT_NONE);
	if (kind == SHEET_ORDERS) {
		if (!record_has(rec, F_ORDER_NO) || !record_has(rec, F_LINE_NO)) {
			row_error(p, it, "%s row %zu: the row has no %s or %s; only rows exported by orderbridge can be "
				  "imported", file, it->row_no, col_name(F_ORDER_NO), col_name(F_LINE_NO));
			return;
		}
	} else if (!record_has(rec, F_CLAIM_ID)) {
		row_error(p, it, "%s row %zu, column %s: a claim action needs the claim number", file, it->row_no,
			  col_name(F_CLAIM_ID));
		return;
	}
	if (!it->spec || !it->spec->supported) {
		it->result = RES_UNSUPPORTED;
		plan_set_message(p, it, NULL, "%s", it->spec && it->spec->unsupported_why ?
				 it->spec->unsupported_why : "this market has no such call");
		return;
	}
	if (it->spec->unit == UNIT_BUNDLE && !record_has(rec, F_BUNDLE_NO)) {
		row_error(p, it, "%s row %zu, column %s: %s at %s works per bundle and the row has no bundle number",
			  file, it->row_no, col_name(F_BUNDLE_NO), action_word(a), ops->name);
		return;
	}
	for (int f = 0; f < F__COUNT; f++) {
		if (!(it->spec->required & (1ull << f)) || record_has(rec, (enum field_id)f))
			continue;
		row_error(p, it, "%s row %zu, column %s: %s needs a value here", file, it->row_no,
			  col_name((enum field_id)f), action_word(a));
		return;
	}
	if (it->spec->required & (1ull << F_COURIER))
		validate_courier(p, it, rec);
	if (!it->invalid && (it->spec->required & (1ull << F_PICKUP_COURIER)))
		validate_pickup(p, it, rec);
	char why[400];
	if (!it->invalid && ops->check_row && !ops->check_row(a, kind, rec, why, sizeof why))
		row_error(p, it, "%s row %zu: %s", file, it->row_no, why);
	if (!it->invalid && (it->spec->required & (1ull << F_DELAY_UNTIL))) {
		ob_time d;
		if (kst_parse(record_get(rec, F_DELAY_UNTIL), &d) < 0)
			row_error(p, it, "%s row %zu, column %s: '%s' is not a date (YYYY-MM-DD)", file, it->row_no,
				  col_name(F_DELAY_UNTIL), record_get(rec, F_DELAY_UNTIL));
		else if (d < kst_day_start(kst_now()))
			row_error(p, it, "%s row %zu, column %s: %s is in the past; give the new shipping date", file,
				  it->row_no, col_name(F_DELAY_UNTIL), record_get(rec, F_DELAY_UNTIL));
	}
}

/* ---- the idempotency key ---- */

/* Text built piece by piece: on the stack while it fits (always, for rows of
 * an export), else on the heap. */
struct keytext {
	char *d;
	size_t n, cap;
	bool failed;
	char stack[1024];
};

static void kt_grow(struct keytext *k, const char *s, size_t n)
{
	if (k->failed)
		return;
	{
		size_t cap = (k->n + n) * 2;
		char *d = k->d == k->stack ? malloc(cap) : realloc(k->d, cap);
		if (!d) {
			k->failed = true;
			return;
		}
		if (k->d == k->stack)
			memcpy(d, k->stack, k->n);
		k->d = d;
		k->cap = cap;
	}
	memcpy(k->d + k->n, s, n);
	k->n += n;
}

static inline void kt_put(struct keytext *k, const char *s, size_t n)
{
	if (k->cap - k->n >= n && !k->failed) {
		memcpy(k->d + k->n, s, n);
		k->n += n;
	} else {
		kt_grow(k, s, n);
	}
}

static void kt_str(struct keytext *k, const char *s)
{
	kt_put(k, s, strlen(s));
}

/* "|" then s */
static void kt_field(struct keytext *k, const char *s)
{
	kt_put(k, "|", 1);
	kt_str(k, s);
}

/* SHA-256 fetched once: the one-shot digest functions fetch it per call,
 * which was a third of their time over half a million keys. */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int plan_key_digest(EVP_MD_CTX *ctx, const struct account *acct, enum action a, const char *courier_code,
		    const struct record *r, unsigned char md[32])
{
	struct keytext k;
	k.d = k.stack;
	k.n = 0;
	k.cap = sizeof k.stack;
	k.failed = false;
	/* "%s|%s|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s", as it always was */
	char sheet[STR_I64_MAX];
	str_from_i64(r->sheet, sheet);
	kt_str(&k, acct ? acct->ops->name : "");
	kt_field(&k, acct ? acct->name : "");
	kt_field(&k, sheet);
	kt_field(&k, record_get(r, F_ORDER_NO));
	kt_field(&k, record_get(r, F_LINE_NO));
	kt_field(&k, record_get(r, F_BUNDLE_NO));
	kt_field(&k, record_get(r, F_CLAIM_ID));
	kt_field(&k, action_word(a));
	kt_field(&k, courier_code ? courier_code : "");
	kt_field(&k, record_get(r, F_INVOICE_NO));
	kt_field(&k, record_get(r, F_DELAY_UNTIL));
	kt_field(&k, record_get(r, F_REASON));
	/* Fields of the return/exchange actions go in only when set, so keys of
	 * rows without them stay what they were. */
	static const enum field_id more[] = { F_PICKUP_COURIER, F_PICKUP_INVOICE_NO, F_SELLER_REASON, F_EXTRA_FEE };
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
		if (!record_has(r, more[i]))
			continue;
		kt_field(&k, field_key(more[i]));
		kt_put(&k, "=", 1);
		kt_str(&k, record_get(r, more[i]));
	}
	bool ok = !k.failed;
	pthread_once(&sha256_once, fetch_sha256);
	EVP_MD_CTX *own = ctx ? NULL : EVP_MD_CTX_new();
	unsigned int len = 0;
	if (ok)
		ok = sha256 && (ctx || own) && EVP_DigestInit_ex(ctx ? ctx : own, sha256, NULL) == 1 &&
		     EVP_DigestUpdate(ctx ? ctx : own, k.d, k.n) == 1 &&
		     EVP_DigestFinal_ex(ctx ? ctx : own, md, &len) == 1 && len == 32;
	EVP_MD_CTX_free(own);
	if (k.d != k.stack)
		free(k.d);
	return ok ? 0 : -1;
}

static void hex(const unsigned char *md, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

int plan_key(const struct account *acct, enum action a, const char *courier_code, const struct record *r,
	     char out[72])
{
	unsigned char md[32];
	if (plan_key_digest(NULL, acct, a, courier_code, r, md) < 0)
		return -1;
	hex(md, sizeof md, out);
	return 0;
}

/* ---- items ---- */

/* Length of "account|sheet|", which starts every unit of the item. */
static size_t unit_prefix_len(const struct plan_item *it)
{
	char sheet[STR_I64_MAX];
	return strlen(it->acct->id) + 2 + str_from_i64(it->sheet, sheet);
}

/* Appends s to out[0..*n), never past room bytes. */
static void unit_put(char *out, size_t *n, size_t room, const char *s, size_t len)
{
	if (len > room - *n)
		len = room - *n;
	memcpy(out + *n, s, len);
	*n += len;
}

/* What an item keeps of its row once validated: its unit (rows with the same
 * unit act together), the fields that planning compares, the words the store
 * look-up needs, and the key. */
static int finish_item(struct plan *p, struct plan_item *it, const struct record *r, EVP_MD_CTX *ctx)
{
	unsigned char md[32];
	if (plan_key_digest(ctx, it->acct, (enum action)it->action, it->courier_code, r, md) < 0)
		return -1;
	memcpy(it->key, md, sizeof it->key);
	if (!it->acct)
		return 0;
	if (it->action == ACT_SHIP) {
		/* The status as the export writes it, else any spelling. */
		const char *st = record_get(r, F_STATUS);
		it->paid = strcmp(st, order_status_word(OS_PAID)) == 0 || order_status_parse(st) == OS_PAID;
	}
	/* The unit is "account|sheet|K|values" cut to 191 bytes; the items keep
	 * what follows "account|sheet|", which the account and sheet give. */
	char unit[192];
	size_t n = 0, pre = unit_prefix_len(it);
	size_t room = pre < sizeof unit - 1 ? sizeof unit - 1 - pre : 0;
	const char *v[4] = { NULL, NULL, NULL, NULL };
	char kind;
	switch (it->spec ? it->spec->unit : UNIT_LINE) {
	case UNIT_BUNDLE: kind = 'B'; v[0] = record_get(r, F_BUNDLE_NO); break;
	case UNIT_CLAIM: kind = 'C'; v[0] = record_get(r, F_CLAIM_ID); break;
	case UNIT_ORDER: kind = 'O'; v[0] = record_get(r, F_ORDER_NO); break;
	default:
		kind = 'L';
		v[0] = record_get(r, F_ORDER_NO);
		v[1] = record_get(r, F_LINE_NO);
		v[2] = record_get(r, F_BUNDLE_NO);
		v[3] = record_get(r, F_CLAIM_ID);
		break;
	}
	unit_put(unit, &n, room, &kind, 1);
	for (int k = 0; k < 4 && v[k]; k++) {
		unit_put(unit, &n, room, "|", 1);
		unit_put(unit, &n, room, v[k], strlen(v[k]));
	}
	unit[n] = '\0';
	const char *strs[IS__COUNT] = {
		[IS_UNIT] = unit,
		[IS_ORDER_NO] = record_get(r, F_ORDER_NO),
		[IS_LINE_NO] = record_get(r, F_LINE_NO),
		[IS_BUNDLE_NO] = record_get(r, F_BUNDLE_NO),
		[IS_CLAIM_ID] = record_get(r, F_CLAIM_ID),
		[IS_INVOICE_NO] = record_get(r, F_INVOICE_NO),
		[IS_DELAY_UNTIL] = record_get(r, F_DELAY_UNTIL),
	};
	bool claims = r->sheet == SHEET_CLAIMS;
	const char *words[IW__COUNT] = {
		[IW_MARKET] = record_get(r, F_MARKET),
		[IW_ACCOUNT] = record_get(r, F_ACCOUNT),
		[IW_STATUS] = record_get(r, claims ? F_CLAIM_STATUS : F_STATUS),
		[IW_CLAIM_TYPE] = claims ? record_get(r, F_CLAIM_TYPE) : "",
	};
	if (plan_keep_strs(p, it, strs) < 0 || plan_keep_words(p, it, words) < 0)
		return -1;
	return 0;
}

/* Appends an item for a row; NULL when memory ran out. */
static struct plan_item *new_item(struct plan *p, size_t input, size_t row_no, enum sheet_kind sheet,
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
	struct plan_item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	it->input = (uint32_t)input;
	it->row_no = row_no;
	it->sheet = (uint8_t)sheet;
	it->strs = SIZE_MAX;
	return it;
}

int plan_add_input(struct plan *p, const char *path, const struct template_def *tpl, size_t *idx,
		   struct ob_err *err)
{
	if (p->ninputs >= UINT32_MAX)
		return ob_errf(err, OB_EUSAGE, "too many input files");
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
	struct record r;
	if (record_copy(&r, rec) < 0)
		return ob_err_nomem(err);
	struct plan_item *it = new_item(p, input, row_no, rec->sheet, err);
	if (!it) {
		record_free(&r);
		return err->code;
	}
	p->inputs[input].acted++;
	int a = action_parse(record_get(&r, F_ACTION));
	it->action = a > 0 ? (uint8_t)a : ACT_NONE;
	if (error)
		row_error(p, it, "%s", error);
	else if (a <= 0)
		row_error(p, it, "%s row %zu: no action", p->inputs[input].name, row_no);
	else
		validate(p, it, &r, rec->sheet, NULL);
	int rc = OB_OK;
	if (finish_item(p, it, &r, NULL) < 0 || p->oom)
		rc = ob_err_nomem(err);
	/* Not a sheet's row, so not to be read again: kept as it is. */
	if (rc == OB_OK)
		rc = plan_keep_record(p, p->n - 1, &r, err);
	record_free(&r);
	return rc;
}

static bool is_workbook(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xlsm") == 0);
}

static int read_sheet(struct plan *p, const char *path, const char *sheet, struct ob_err *err);

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

int plan_open_sheet(const char *path, const char *sheet, struct sheet_reader **r, struct ob_err *err)
{
	struct sheet_read_opts o = { 0 };
	o.xlsx_sheet = sheet;
	if (sheet)
		o.kind = strcmp(sheet, sheet_name(SHEET_CLAIMS)) == 0 ? SHEET_CLAIMS : SHEET_ORDERS;
	int rc = sheet_reader_open(path, &o, r, err);
	/* Rows without an action are only counted (and their damaged cells). */
	if (rc == OB_OK)
		sheet_reader_records_for_actions(*r);
	return rc;
}

static int read_sheet(struct plan *p, const char *path, const char *sheet, struct ob_err *err)
{
	struct sheet_reader *r;
	int rc = plan_open_sheet(path, sheet, &r, err);
	if (rc != OB_OK)
		return rc;
	if (p->ninputs >= UINT32_MAX) {
		sheet_reader_close(r);
		return ob_errf(err, OB_EUSAGE, "too many input files");
	}
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
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx) {
		sheet_reader_close(r);
		return ob_err_nomem(err);
	}
	struct lookups lk = { .valid = false };
	struct sheet_row row;
	sheet_row_init(&row);
	while ((rc = sheet_reader_next(r, &row, err)) == 1) {
		if (row.blank)
			continue;
		in = &p->inputs[idx];
		in->rows++;
		const char *acell = record_get(&row.rec, F_ACTION);
		int a = row.no_record ? ACT_NONE : action_parse(acell);
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
		struct plan_item *it = new_item(p, idx, row.row_no, row.rec.sheet, err);
		if (!it) {
			rc = err->code;
			break;
		}
		it->action = a > 0 ? (uint8_t)a : ACT_NONE;
		for (size_t k = 0; k < row.nissues; k++)
			if (row.issues[k].fatal)
				row_error(p, it, "%s", row.issues[k].msg);
		if ((a < 0 || bad_action) && !it->invalid)
			row_error(p, it, "%s row %zu, column %s: unknown action '%s'; use ACK, SHIP, DELAY, CANCEL (orders) "
				  "or APPROVE, REJECT, HOLD, RESHIP, PICKUP (claims), or the Korean words 발주확인, 발송, "
				  "발송지연, 판매취소, 승인, 거부, 보류, 재발송, 회수",
				  p->inputs[idx].name, row.row_no, col_name(F_ACTION), acell);
		if (!it->invalid)
			validate(p, it, &row.rec, in->kind, &lk);
		if (finish_item(p, it, &row.rec, ctx) < 0 || p->oom) {
			rc = ob_err_nomem(err);
			break;
		}
	}
	EVP_MD_CTX_free(ctx);
	sheet_row_free(&row);
	sheet_reader_close(r);
	return rc < 0 ? (err->code ? err->code : OB_EIO) : rc == 0 ? OB_OK : rc;
}

/* ---- journal and store ---- */

static bool to_check(const struct plan_item *it)
{
	return !it->invalid && it->result == RES_NONE;
}

/* What the journal says about an item (found under key). */
static int journal_apply(struct plan *p, struct plan_item *it, struct store *s, const char *key, struct ob_err *err)
{
	struct journal_entry je;
	int found = store_journal_get(s, key, &je, err);
	if (found < 0)
		return err->code;
	if (!found)
		return OB_OK;
	if (je.state == JS_OK) {
		char when[KST_TEXT_LEN];
		kst_format(je.updated_at, when);
		it->result = RES_SKIPPED;
		plan_set_message(p, it, je.market_code, "already done at %s: %.400s", when, je.message);
	} else if (je.state == JS_SENT || je.state == JS_UNKNOWN) {
		it->prior = true;
	}
	return p->oom ? ob_err_nomem(err) : OB_OK;
}

/* A journal key of ours (64 lowercase hex digits) to its first 16 bytes. */
static bool key_prefix(const char *k, size_t len, unsigned char out[16])
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < 64; i++) {
		char c = k[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return false;
		if (i < 32)
			out[i / 2] = (unsigned char)(i % 2 ? out[i / 2] | v : v << 4);
	}
	return true;
}

/* A store_journal_keys callback's "found what it looked for". */
#define STOP (-1)

struct jentry {
	unsigned char key[16];
	uint32_t item;
};

static int cmp_jentry(const void *a, const void *b)
{
	const struct jentry *x = a, *y = b;
	int c = memcmp(x->key, y->key, sizeof x->key);
	return c ? c : (x->item > y->item) - (x->item < y->item);
}

struct jscan {
	struct plan *p;
	struct store *s;
	struct jentry *e;
	size_t n, at;
	struct ob_err *err;
};

/* One journal key against the items, both in key order. */
static int jscan_key(void *ctx, const char *key, size_t len)
{
	struct jscan *js = ctx;
	unsigned char k[16];
	if (!key_prefix(key, len, k))
		return 0;
	while (js->at < js->n && memcmp(js->e[js->at].key, k, sizeof k) < 0)
		js->at++;
	for (size_t i = js->at; i < js->n && memcmp(js->e[i].key, k, sizeof k) == 0; i++) {
		int rc = journal_apply(js->p, &js->p->items[js->e[i].item], js->s, key, js->err);
		if (rc != OB_OK)
			return rc;
	}
	return js->at < js->n ? 0 : STOP; /* every item passed */
}

/* The journal key of one item, looked up by its first 128 bits. */
struct jone {
	struct plan *p;
	struct plan_item *it;
	struct store *s;
	struct ob_err *err;
};

static int jone_key(void *ctx, const char *key, size_t len)
{
	struct jone *jo = ctx;
	unsigned char k[16];
	if (!key_prefix(key, len, k) || memcmp(k, jo->it->key, sizeof k) != 0)
		return 0;
	int rc = journal_apply(jo->p, jo->it, jo->s, key, jo->err);
	return rc != OB_OK ? rc : STOP;
}

int plan_check_journal(struct plan *p, struct store *s, struct ob_err *err)
{
	size_t m = 0;
	for (size_t i = 0; i < p->n; i++)
		m += to_check(&p->items[i]);
	int64_t size = m ? store_journal_size_hint(s) : 0;
	if (size <= 0)
		return OB_OK; /* nothing to find */
	if ((uint64_t)size / 8 > m) {
		/* A big journal and few rows: a look-up each, by key range. */
		for (size_t i = 0; i < p->n; i++) {
			struct plan_item *it = &p->items[i];
			if (!to_check(it))
				continue;
			char lo[40], hi[40];
			hex(it->key, sizeof it->key, lo);
			memcpy(hi, lo, 32);
			hi[32] = 'g'; /* after every hex digit */
			hi[33] = '\0';
			struct jone jo = { p, it, s, err };
			int rc = store_journal_keys(s, lo, hi, jone_key, &jo, err);
			if (rc != OB_OK && rc != STOP)
				return rc;
		}
		return OB_OK;
	}
	/* Else one pass over the journal's keys against the items sorted by key. */
	struct jentry *e = malloc(m * sizeof *e);
	if (!e)
		return ob_err_nomem(err);
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (!to_check(&p->items[i]))
			continue;
		memcpy(e[k].key, p->items[i].key, sizeof e[k].key);
		e[k++].item = (uint32_t)i;
	}
	qsort(e, m, sizeof *e, cmp_jentry);
	struct jscan js = { p, s, e, m, 0, err };
	int rc = store_journal_keys(s, NULL, NULL, jscan_key, &js, err);
	free(e);
	return rc == STOP ? OB_OK : rc;
}

int plan_check_store(struct plan *p, struct store *s, struct ob_err *err)
{
	/* Whether the store knows any line of an item's market, account and
	 * sheet, by the item's words: 0 unknown yet, 1 no, 2 yes. A store that
	 * never saw those accounts costs one probe each, not one per row. */
	size_t nwords = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].ident + 1 > nwords && p->items[i].strs != SIZE_MAX)
			nwords = p->items[i].ident + 1;
	unsigned char *known_acct = calloc(nwords ? nwords * 2 : 1, 1);
	if (!known_acct)
		return ob_err_nomem(err);
	struct record key, known;
	record_init(&key, SHEET_ORDERS);
	record_init(&known, SHEET_ORDERS);
	int rc = OB_OK;
	for (size_t i = 0; i < p->n && rc == OB_OK; i++) {
		struct plan_item *it = &p->items[i];
		if (!to_check(it))
			continue;
		const char *market = plan_item_word(p, it, IW_MARKET);
		const char *account = plan_item_word(p, it, IW_ACCOUNT);
		unsigned char *has = &known_acct[(size_t)it->ident * 2 + (it->sheet == SHEET_CLAIMS)];
		if (!*has) {
			int h = store_has_lines(s, market, account, it->sheet, err);
			if (h < 0) {
				rc = err->code;
				break;
			}
			*has = h ? 2 : 1;
		}
		if (*has == 1)
			continue;
		record_clear(&key);
		key.sheet = (enum sheet_kind)it->sheet;
		bool claims = it->sheet == SHEET_CLAIMS;
		if (record_set(&key, F_MARKET, market) < 0 || record_set(&key, F_ACCOUNT, account) < 0 ||
		    record_set(&key, F_ORDER_NO, plan_item_str(p, it, IS_ORDER_NO)) < 0 ||
		    record_set(&key, F_LINE_NO, plan_item_str(p, it, IS_LINE_NO)) < 0 ||
		    record_set(&key, F_BUNDLE_NO, plan_item_str(p, it, IS_BUNDLE_NO)) < 0 ||
		    record_set(&key, F_CLAIM_ID, plan_item_str(p, it, IS_CLAIM_ID)) < 0 ||
		    record_set(&key, F_CLAIM_TYPE, claims ? plan_item_word(p, it, IW_CLAIM_TYPE) : "") < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		int found = store_line_get(s, &key, &known, err);
		if (found < 0) {
			rc = err->code;
			break;
		}
		enum field_id f = claims ? F_CLAIM_STATUS : F_STATUS;
		const char *said = plan_item_word(p, it, IW_STATUS);
		if (found && *said && record_has(&known, f) && !str_eq(said, record_get(&known, f)))
			buf_printf(&p->notes, "%s row %zu: the sheet says %s but a later export saw %s; the market's "
				   "current state decides\n", p->inputs[it->input].name, it->row_no, said,
				   record_get(&known, f));
	}
	record_free(&key);
	record_free(&known);
	free(known_acct);
	return rc;
}

/* ---- units and batches ---- */

static void unit_prefix(const struct plan_item *it, char *out, size_t n)
{
	snprintf(out, n, "%s|%d|", it->acct->id, it->sheet);
}

/* strcmp of a1 a2 (one string) with b1 b2. */
static int cmp_joined(const char *a1, const char *a2, const char *b1, const char *b2)
{
	for (;;) {
		if (!*a1)
			a1 = a2, a2 = "";
		if (!*b1)
			b1 = b2, b2 = "";
		unsigned char x = (unsigned char)*a1, y = (unsigned char)*b1;
		if (x != y || !x)
			return (x > y) - (x < y);
		a1++;
		b1++;
	}
}

/* The distinct unit prefixes (account and sheet) of a build, in strcmp order. */
struct prefix {
	const struct account *acct;
	int sheet;
	char text[128];
	size_t lcp;            /* common length of the units (without prefix) under it */
};

struct build {
	struct plan *p;
	struct prefix *pre;
	size_t npre;
	bool joined;           /* a prefix begins another: compare whole units */
};

/* Sort entries: the prefix's rank and 16 bytes of the unit from where its
 * units start to differ, so that most comparisons touch nothing else. */
struct sent {
	uint64_t k1, k2;
	uint32_t rank;
	uint32_t item;
};

static struct build *sort_build;

static size_t prefix_of(const struct build *b, const struct plan_item *it)
{
	for (size_t i = 0; i < b->npre; i++)
		if (b->pre[i].acct == it->acct && b->pre[i].sheet == it->sheet)
			return i;
	return 0;
}

/* Units compared as the whole strings "account|sheet|K|..." they stand for. */
static int cmp_units(const struct build *b, uint32_t ra, const struct plan_item *x, uint32_t rb,
		     const struct plan_item *y)
{
	const char *ux = plan_item_str(b->p, x, IS_UNIT), *uy = plan_item_str(b->p, y, IS_UNIT);
	if (ra == rb)
		return strcmp(ux, uy);
	if (!b->joined)
		return ra < rb ? -1 : 1;
	return cmp_joined(b->pre[ra].text, ux, b->pre[rb].text, uy);
}

/* Sorting items by unit, then action, then input order (the item order). */
static int cmp_sent(const void *a, const void *b)
{
	const struct sent *x = a, *y = b;
	const struct build *bd = sort_build;
	if (!bd->joined && x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->rank == y->rank && (x->k1 != y->k1 || x->k2 != y->k2))
		return x->k1 < y->k1 || (x->k1 == y->k1 && x->k2 < y->k2) ? -1 : 1;
	const struct plan_item *ix = &bd->p->items[x->item], *iy = &bd->p->items[y->item];
	int c = cmp_units(bd, x->rank, ix, y->rank, iy);
	if (c)
		return c;
	if (ix->action != iy->action)
		return (int)ix->action - (int)iy->action;
	return (x->item > y->item) - (x->item < y->item);
}

/* The next 8 bytes of *s as a big-endian number (zeros past its end), so
 * that numbers compare as the bytes would. */
static uint64_t be64(const char **s, size_t *left)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		unsigned char c = 0;
		if (*left) {
			c = (unsigned char)*(*s)++;
			(*left)--;
		}
		v = v << 8 | c;
	}
	return v;
}

static bool same_payload(const struct plan *p, const struct plan_item *a, const struct plan_item *b)
{
	return a->action == b->action &&
	       str_eq(plan_item_str(p, a, IS_INVOICE_NO), plan_item_str(p, b, IS_INVOICE_NO)) &&
	       str_eq(a->courier_code, b->courier_code) &&
	       str_eq(plan_item_str(p, a, IS_DELAY_UNTIL), plan_item_str(p, b, IS_DELAY_UNTIL));
}

static bool same_line(const struct plan *p, const struct plan_item *a, const struct plan_item *b)
{
	return a->acct == b->acct && a->sheet == b->sheet &&
	       str_eq(plan_item_str(p, a, IS_ORDER_NO), plan_item_str(p, b, IS_ORDER_NO)) &&
	       str_eq(plan_item_str(p, a, IS_LINE_NO), plan_item_str(p, b, IS_LINE_NO)) &&
	       str_eq(plan_item_str(p, a, IS_BUNDLE_NO), plan_item_str(p, b, IS_BUNDLE_NO)) &&
	       str_eq(plan_item_str(p, a, IS_CLAIM_ID), plan_item_str(p, b, IS_CLAIM_ID));
}

/* Conflicts within one unit: different actions, or (SHIP) different invoices,
 * and the same line twice. */
static void check_unit(struct plan *p, const struct sent *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct plan_item *a = &p->items[e[i].item];
		for (size_t j = i + 1; j < n; j++) {
			struct plan_item *b = &p->items[e[j].item];
			if (a->invalid && b->invalid)
				continue;
			if (same_line(p, a, b) && same_payload(p, a, b)) {
				if (!b->invalid && b->result == RES_NONE) {
					b->result = RES_SKIPPED;
					plan_set_message(p, b, NULL, "same action as %.400s row %zu", p->inputs[a->input].name,
							 a->row_no);
				}
				continue;
			}
			if (!same_payload(p, a, b)) {
				const char *what = a->spec && a->spec->unit == UNIT_CLAIM ? "claim" : "bundle";
				const char *inv_a = plan_item_str(p, a, IS_INVOICE_NO), *inv_b = plan_item_str(p, b, IS_INVOICE_NO);
				char desc_a[160], desc_b[160];
				snprintf(desc_a, sizeof desc_a, "%s%s%s", action_word((enum action)a->action), *inv_a ? " " : "",
					 inv_a);
				snprintf(desc_b, sizeof desc_b, "%s%s%s", action_word((enum action)b->action), *inv_b ? " " : "",
					 inv_b);
				if (same_line(p, a, b))
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

static int cmp_prefix(const void *a, const void *b)
{
	return strcmp(((const struct prefix *)a)->text, ((const struct prefix *)b)->text);
}

/* Account order of the batches: by id. */
static int cmp_acct_id(const void *a, const void *b)
{
	return strcmp((*(const struct account *const *)a)->id, (*(const struct account *const *)b)->id);
}

/* The distinct prefixes of the items in e (rank filled in) and, per prefix,
 * how long a start all its units share. */
static int find_prefixes(struct build *b, struct sent *e, size_t m, struct ob_err *err)
{
	struct plan *p = b->p;
	size_t cap = 0;
	for (size_t i = 0; i < m; i++) {
		const struct plan_item *it = &p->items[e[i].item];
		size_t k = prefix_of(b, it);
		if (k < b->npre && b->pre[k].acct == it->acct && b->pre[k].sheet == it->sheet)
			continue;
		if (b->npre == cap) {
			cap = cap ? cap * 2 : 8;
			struct prefix *grown = realloc(b->pre, cap * sizeof *grown);
			if (!grown)
				return ob_err_nomem(err);
			b->pre = grown;
		}
		struct prefix *pr = &b->pre[b->npre++];
		pr->acct = it->acct;
		pr->sheet = it->sheet;
		pr->lcp = SIZE_MAX;
		unit_prefix(it, pr->text, sizeof pr->text);
	}
	if (b->npre)
		qsort(b->pre, b->npre, sizeof *b->pre, cmp_prefix);
	for (size_t i = 0; i < b->npre; i++)
		for (size_t j = 0; j < b->npre; j++)
			if (i != j && strncmp(b->pre[i].text, b->pre[j].text, strlen(b->pre[i].text)) == 0)
				b->joined = true;
	/* The first unit seen under each prefix, to measure the others against. */
	const char **first = calloc(b->npre ? b->npre : 1, sizeof *first);
	if (!first)
		return ob_err_nomem(err);
	for (size_t i = 0; i < m; i++) {
		const struct plan_item *it = &p->items[e[i].item];
		size_t r = prefix_of(b, it);
		e[i].rank = (uint32_t)r;
		const char *u = plan_item_str(p, it, IS_UNIT);
		struct prefix *pr = &b->pre[r];
		if (!first[r]) {
			first[r] = u;
			pr->lcp = strlen(u);
			continue;
		}
		size_t l = 0;
		while (l < pr->lcp && u[l] == first[r][l])
			l++;
		pr->lcp = l;
	}
	free(first);
	for (size_t i = 0; i < m; i++) {
		const char *u = plan_item_str(p, &p->items[e[i].item], IS_UNIT) + b->pre[e[i].rank].lcp;
		size_t left = strlen(u);
		e[i].k1 = be64(&u, &left);
		e[i].k2 = be64(&u, &left);
	}
	return OB_OK;
}

int plan_build(struct plan *p, struct ob_err *err)
{
	size_t m = 0;
	for (size_t i = 0; i < p->n; i++)
		m += p->items[i].acct && p->items[i].spec && p->items[i].spec->supported &&
		     p->items[i].result != RES_UNSUPPORTED;
	struct sent *e = malloc((m ? m : 1) * sizeof *e);
	size_t *order = malloc((m ? m : 1) * sizeof *order);
	struct build b = { p, NULL, 0, false };
	int rc = OB_OK;
	if (!e || !order) {
		rc = ob_err_nomem(err);
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].acct && p->items[i].spec && p->items[i].spec->supported &&
		    p->items[i].result != RES_UNSUPPORTED)
			e[k++].item = (uint32_t)i;
	if ((rc = find_prefixes(&b, e, m, err)) != OB_OK)
		goto out;
	sort_build = &b;
	qsort(e, m, sizeof *e, cmp_sent);
	/* Conflicts are judged per unit; the same line twice lands in one unit. */
	for (size_t s = 0; s < m;) {
		size_t t = s + 1;
		while (t < m && cmp_units(&b, e[t].rank, &p->items[e[t].item], e[s].rank, &p->items[e[s].item]) == 0)
			t++;
		check_unit(p, e + s, t - s);
		s = t;
	}
	if (p->oom) {
		rc = ob_err_nomem(err);
		goto out;
	}
	/* Batching order: account (by id), sheet and action, then the order
	 * above (unit, action, input order): a stable counting sort, so that a
	 * batch collects every unit of one action. */
	const struct account **accts = NULL;
	size_t nacct = 0;
	for (size_t i = 0; i < b.npre; i++) {
		size_t j = 0;
		while (j < nacct && accts[j] != b.pre[i].acct)
			j++;
		if (j < nacct)
			continue;
		const struct account **grown = realloc(accts, (nacct + 1) * sizeof *grown);
		if (!grown) {
			free(accts);
			rc = ob_err_nomem(err);
			goto out;
		}
		accts = grown;
		accts[nacct++] = b.pre[i].acct;
	}
	if (nacct)
		qsort(accts, nacct, sizeof *accts, cmp_acct_id);
	size_t ngroups = (nacct ? nacct : 1) * 3 * ACT__COUNT;
	size_t *count = calloc(ngroups + 1, sizeof *count);
	uint32_t *group = malloc((m ? m : 1) * sizeof *group);
	if (!count || !group) {
		free(accts);
		free(count);
		free(group);
		rc = ob_err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		const struct plan_item *it = &p->items[e[i].item];
		size_t a = 0;
		while (accts[a] != it->acct)
			a++;
		group[i] = (uint32_t)((a * 3 + it->sheet) * ACT__COUNT + it->action);
		count[group[i] + 1]++;
	}
	for (size_t g = 0; g < ngroups; g++)
		count[g + 1] += count[g];
	for (size_t i = 0; i < m; i++)
		order[count[group[i]]++] = e[i].item;
	free(accts);
	free(count);
	free(group);
	/* Batches: consecutive units of one account, sheet and action. */
	p->batch_idx = malloc((m ? m : 1) * sizeof *p->batch_idx);
	if (!p->batch_idx) {
		rc = ob_err_nomem(err);
		goto out;
	}
	size_t nidx = 0, bcap = 0;
	struct plan_batch *cur = NULL;
	const struct plan_item *last = NULL;
	uint32_t last_rank = 0;
	for (size_t i = 0; i < m && rc == OB_OK; i++) {
		const struct plan_item *it = &p->items[order[i]];
		uint32_t rank = (uint32_t)prefix_of(&b, it);
		if (it->invalid || it->result != RES_NONE)
			continue;
		size_t acc = account_index(p, it->acct, err, &rc);
		if (rc != OB_OK)
			break;
		int new_unit = !last || cmp_units(&b, last_rank, last, rank, it) != 0;
		int max = it->spec->batch_max > 0 ? it->spec->batch_max : 1;
		if (!cur || cur->account != acc || cur->action != it->action || cur->sheet != it->sheet ||
		    (new_unit && cur->units >= (size_t)max)) {
			if (p->nbatches == bcap) {
				bcap = bcap ? bcap * 2 : 64;
				struct plan_batch *grown = realloc(p->batches, bcap * sizeof *grown);
				if (!grown) {
					rc = ob_err_nomem(err);
					break;
				}
				p->batches = grown;
			}
			cur = &p->batches[p->nbatches++];
			memset(cur, 0, sizeof *cur);
			cur->account = acc;
			cur->action = (enum action)it->action;
			cur->sheet = (enum sheet_kind)it->sheet;
			cur->items = p->batch_idx + nidx;
			new_unit = 1;
		}
		p->batch_idx[nidx++] = order[i];
		cur->n++;
		if (new_unit)
			cur->units++;
		last = it;
		last_rank = rank;
	}
out:
	free(b.pre);
	free(e);
	free(order);
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
				size_t rows = 0, ncalls = 0, prior = 0, units = 0, paid = 0;
				const struct action_spec *spec = NULL;
				for (size_t b = 0; b < p->nbatches; b++) {
					const struct plan_batch *pb = &p->batches[b];
					if (pb->account != a || pb->action != (enum action)act || pb->sheet != (enum sheet_kind)sheet)
						continue;
					ncalls++;
					rows += pb->n;
					units += pb->units;
					for (size_t k = 0; k < pb->n; k++) {
						const struct plan_item *it = &p->items[pb->items[k]];
						prior += it->prior;
						paid += it->paid;
						spec = it->spec;
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
				/* SHIP rows still PAID (SHIP is an orders action: this sheet). */
				if (act == ACT_SHIP && sheet == SHEET_ORDERS && paid)
					fprintf(out, "  %-18s %-7s %6zu of those rows are still PAID: acknowledged first "
						"where the market needs it\n", "", "(ACK)", paid);
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
					action_word((enum action)p->items[i].action), plan_item_message(&p->items[i]));
	}
	if (!any)
		fprintf(out, "  nothing to send\n");
	if (calls && p->nbatches) {
		fprintf(out, "calls:\n");
		for (size_t b = 0; b < p->nbatches; b++) {
			const struct plan_batch *pb = &p->batches[b];
			/* A market without a bulk call takes a batch one call per unit. */
			const struct action_spec *sp = p->items[pb->items[0]].spec;
			fprintf(out, "  %s %s #%zu: %zu row%s", p->accounts[pb->account]->id, action_word(pb->action), b + 1,
				pb->n, pb->n == 1 ? "" : "s");
			if (sp && sp->call_per_unit)
				fprintf(out, ", one call each for %zu unit%s", pb->units, pb->units == 1 ? "" : "s");
			fputc(':', out);
			/* A batch is one account and sheet: its units differ after
			 * "account|sheet|", which the items do not keep. */
			const char *last = NULL;
			size_t shown = 0;
			for (size_t k = 0; k < pb->n && shown < 8; k++) {
				const struct plan_item *it = &p->items[pb->items[k]];
				const char *unit = plan_item_str(p, it, IS_UNIT);
				if (last && strcmp(last, unit) == 0)
					continue;
				/* The unit's own number: bundle, claim, order, or line. */
				enum action_unit u = it->spec ? it->spec->unit : UNIT_LINE;
				enum item_str f = u == UNIT_BUNDLE ? IS_BUNDLE_NO : u == UNIT_CLAIM ? IS_CLAIM_ID :
						  u == UNIT_ORDER ? IS_ORDER_NO : IS_LINE_NO;
				fprintf(out, " %s", plan_item_str(p, it, f));
				last = unit;
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
