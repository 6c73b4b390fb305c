/* Courier result files in an import (see plan.h): the "bulk invoice upload
 * after pickup" step without copy and paste. Each row of the courier's file
 * carries our line key (put there by a booking template); the key finds the
 * line in the sheets given on the command line or in the store (export
 * records every line), and the line with the rest of its bundle gets SHIP with
 * the row's invoice. Nothing is guessed: a key of ours that finds no line, or
 * finds a line whose receiver differs, is a row error. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/words.h"
#include "plan/plan.h"
#include "sheet/sheet_read.h"
#include "sheet/template.h"
#include "sheet/template_read.h"
#include "util/str.h"

int plan_index_sheet(struct plan *p, const char *path, struct ob_err *err)
{
	struct sheet_read_opts o = { 0 };
	struct sheet_reader *r;
	int rc = sheet_reader_open(path, &o, &r, err);
	if (rc != OB_OK)
		return rc;
	if (sheet_reader_kind(r) != SHEET_ORDERS) {
		sheet_reader_close(r);
		return OB_OK; /* a claims sheet holds no lines to ship */
	}
	struct sheet_row row;
	sheet_row_init(&row);
	int n;
	while ((n = sheet_reader_next(r, &row, err)) == 1) {
		if (row.blank || !record_has(&row.rec, F_ORDER_NO) || !record_has(&row.rec, F_LINE_NO))
			continue;
		if (record_list_push(&p->sheet_lines, &row.rec) < 0) {
			n = -ob_err_nomem(err);
			break;
		}
	}
	sheet_row_free(&row);
	sheet_reader_close(r);
	return n < 0 ? (err->code ? err->code : OB_EIO) : OB_OK;
}

/* ---- finding lines ---- */

struct lookup {
	const struct tpl_key *k;   /* by key, or */
	const struct record *mate; /* the lines of this one's bundle */
	struct record_list found;
};

static bool is_open_line(const struct record *r)
{
	int64_t q, c;
	/* A line cancelled whole has nothing to ship. */
	return !(record_get_i64(r, F_QTY, &q) == 0 && q > 0 && record_get_i64(r, F_CANCEL_QTY, &c) == 0 && c >= q);
}

static bool matches(const struct lookup *l, const struct record *r)
{
	if (r->sheet != SHEET_ORDERS)
		return false;
	if (l->k)
		return str_eq(record_get(r, F_MARKET), l->k->market) && str_eq(record_get(r, F_ORDER_NO), l->k->order_no) &&
		       str_eq(record_get(r, F_LINE_NO), l->k->line_no);
	const struct record *m = l->mate;
	return record_has(m, F_BUNDLE_NO) && str_eq(record_get(r, F_MARKET), record_get(m, F_MARKET)) &&
	       str_eq(record_get(r, F_ACCOUNT), record_get(m, F_ACCOUNT)) &&
	       str_eq(record_get(r, F_BUNDLE_NO), record_get(m, F_BUNDLE_NO)) && is_open_line(r);
}

static bool already(const struct record_list *l, const struct record *r)
{
	for (size_t i = 0; i < l->n; i++)
		if (str_eq(record_get(&l->items[i], F_MARKET), record_get(r, F_MARKET)) &&
		    str_eq(record_get(&l->items[i], F_ACCOUNT), record_get(r, F_ACCOUNT)) &&
		    str_eq(record_get(&l->items[i], F_ORDER_NO), record_get(r, F_ORDER_NO)) &&
		    str_eq(record_get(&l->items[i], F_LINE_NO), record_get(r, F_LINE_NO)))
			return true;
	return false;
}

static int collect(void *ctx, const struct record *r)
{
	struct lookup *l = ctx;
	if (!matches(l, r) || already(&l->found, r))
		return 0;
	return record_list_push(&l->found, r) < 0 ? -1 : 0;
}

/* Sheets first (the seller named them), then the store. */
static int find(struct plan *p, struct store *s, struct lookup *l, struct ob_err *err)
{
	for (size_t i = 0; i < p->sheet_lines.n; i++)
		if (collect(l, &p->sheet_lines.items[i]) < 0)
			return ob_err_nomem(err);
	if (!s)
		return OB_OK;
	/* The store finds lines by order or line number. */
	const char *id = l->k ? l->k->line_no : record_get(l->mate, F_ORDER_NO);
	int rc = store_lines(s, id, collect, l, err);
	if (rc < 0)
		return ob_err_nomem(err);
	return rc;
}

/* ---- the receiver check ---- */

static size_t u8len(const unsigned char *s)
{
	return *s < 0x80 ? 1 : *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
}

/* Same name, spaces and ASCII case aside; '*' on either side stands for any
 * one character (markets and couriers mask names: 홍*동). */
static bool same_name(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '\t')
			a++;
		while (*b == ' ' || *b == '\t')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		size_t la = u8len((const unsigned char *)a), lb = u8len((const unsigned char *)b);
		bool ok = *a == '*' || *b == '*' ||
			  (la == lb && (la == 1 ? tolower((unsigned char)*a) == tolower((unsigned char)*b)
						: memcmp(a, b, la) == 0));
		if (!ok)
			return false;
		a += strnlen(a, la);
		b += strnlen(b, lb);
	}
}

/* ---- reading the file ---- */

static int plan_row(struct plan *p, size_t idx, const struct tpl_row *row, const struct template_def *t,
		    struct store *s, struct ob_err *err)
{
	const char *file = p->inputs[idx].name;
	char msg[1600];
	struct tpl_key k;
	template_key_parse(row->key, &k);
	struct lookup l = { &k, NULL, RECORD_LIST_INIT };
	int rc = find(p, s, &l, err);
	if (rc != OB_OK) {
		record_list_clear(&l.found);
		return rc;
	}
	struct record bad;
	record_init(&bad, SHEET_ORDERS);
	record_set(&bad, F_ACTION, "SHIP");
	record_set(&bad, F_MARKET, k.market);
	record_set(&bad, F_ORDER_NO, k.order_no);
	record_set(&bad, F_LINE_NO, k.line_no);
	record_set(&bad, F_INVOICE_NO, row->invoice);
	const char *error = NULL;
	if (l.found.n == 0) {
		snprintf(msg, sizeof msg, "%.300s row %zu, column %s: line key %s matches no order line in the store (%.300s) or "
			 "in the sheets given; nothing is guessed: give the orders sheet the booking was made from on the "
			 "same command line, or register this invoice by hand", file, row->row_no, row->key_col, row->key,
			 s ? store_file(s) : "not open");
		error = msg;
	} else if (l.found.n > 1) {
		snprintf(msg, sizeof msg, "%.300s row %zu, column %s: line key %s matches lines of several accounts (%s and "
			 "%s); register this invoice in the orders sheet of the right account", file, row->row_no,
			 row->key_col, row->key, record_get(&l.found.items[0], F_ACCOUNT),
			 record_get(&l.found.items[1], F_ACCOUNT));
		error = msg;
	} else if (row->invoice_problem[0]) {
		snprintf(msg, sizeof msg, "%.300s row %zu, column %s: %s", file, row->row_no, row->invoice_col,
			 row->invoice_problem);
		error = msg;
	} else if (!row->invoice[0]) {
		snprintf(msg, sizeof msg, "%.300s row %zu: line key %s has no invoice number (the courier has not assigned "
			 "one yet?); nothing to ship", file, row->row_no, row->key);
		error = msg;
	} else if (row->receiver[0] && record_has(&l.found.items[0], F_RECEIVER_NAME) &&
		   !same_name(row->receiver, record_get(&l.found.items[0], F_RECEIVER_NAME))) {
		/* An error, not a warning: a wrong join would send a buyer someone
		 * else's tracking number, and a changed receiver means the label
		 * printed from the booking may be wrong too. */
		snprintf(msg, sizeof msg, "%.300s row %zu, column %s: the courier has receiver '%s' but line %s is for '%s'; "
			 "check the parcel's label, then correct the name in this file or ship the line from the orders "
			 "sheet", file, row->row_no, row->receiver_col, row->receiver, row->key,
			 record_get(&l.found.items[0], F_RECEIVER_NAME));
		error = msg;
	}
	if (error) {
		if (l.found.n == 1) {
			record_free(&bad);
			if (record_copy(&bad, &l.found.items[0]) < 0 || record_set(&bad, F_ACTION, "SHIP") < 0 ||
			    record_set(&bad, F_INVOICE_NO, row->invoice) < 0) {
				record_free(&bad);
				record_list_clear(&l.found);
				return ob_err_nomem(err);
			}
		}
		rc = plan_add_row(p, idx, row->row_no, &bad, error, err);
		record_free(&bad);
		record_list_clear(&l.found);
		return rc;
	}
	record_free(&bad);
	/* The whole bundle goes in one parcel: every open line of it ships. */
	struct lookup mates = { NULL, &l.found.items[0], RECORD_LIST_INIT };
	if (record_has(&l.found.items[0], F_BUNDLE_NO))
		rc = find(p, s, &mates, err);
	if (rc == OB_OK && !already(&mates.found, &l.found.items[0]) && record_list_push(&mates.found, &l.found.items[0]) < 0)
		rc = ob_err_nomem(err);
	const char *courier = row->courier[0] ? row->courier : t->courier;
	for (size_t i = 0; i < mates.found.n && rc == OB_OK; i++) {
		struct record *r = &mates.found.items[i];
		if (record_set(r, F_ACTION, action_word(ACT_SHIP)) < 0 || record_set(r, F_COURIER, courier) < 0 ||
		    record_set(r, F_INVOICE_NO, row->invoice) < 0 || record_set(r, F_RESULT, NULL) < 0 ||
		    record_set(r, F_MESSAGE, NULL) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		rc = plan_add_row(p, idx, row->row_no, r, NULL, err);
	}
	record_list_clear(&mates.found);
	record_list_clear(&l.found);
	return rc;
}

int plan_read_courier(struct plan *p, const char *path, const struct template_def *t, struct store *s,
		      struct ob_err *err)
{
	struct tpl_reader *r;
	int rc = template_reader_open(path, t, &r, err);
	if (rc != OB_OK)
		return rc;
	size_t idx;
	if ((rc = plan_add_input(p, path, t, &idx, err)) != OB_OK) {
		template_reader_close(r);
		return rc;
	}
	struct tpl_row row;
	int n;
	while ((n = template_reader_next(r, &row, err)) == 1) {
		if (row.blank)
			continue;
		p->inputs[idx].rows++;
		if (!row.key_ours) {
			if (row.key[0] || row.invoice[0])
				buf_printf(&p->notes, "%s row %zu: %s%s%s is not an orderbridge line key; the row is left "
					   "alone (booked elsewhere?)\n", p->inputs[idx].name, row.row_no,
					   row.key[0] ? "'" : "no line key", row.key, row.key[0] ? "'" : "");
			continue;
		}
		if ((rc = plan_row(p, idx, &row, t, s, err)) != OB_OK)
			break;
	}
	template_reader_close(r);
	if (rc == OB_OK && n < 0)
		rc = -n;
	return rc;
}

/* ---- the result file ---- */

struct result_ctx {
	const struct plan *p;
	size_t input;
	char msg[700];
};

/* A row's result: the worst of its lines' (FAILED before UNSUPPORTED before
 * OK before SKIPPED), with that line's message. */
static void row_result(void *ctx, size_t row_no, const char **result, const char **message)
{
	struct result_ctx *rc = ctx;
	static const int rank[RES__COUNT] = { [RES_FAILED] = 4, [RES_UNSUPPORTED] = 3, [RES_OK] = 2, [RES_SKIPPED] = 1 };
	const struct plan_item *worst = NULL;
	size_t n = 0;
	for (size_t i = 0; i < rc->p->n; i++) {
		const struct plan_item *it = &rc->p->items[i];
		if (it->input != rc->input || it->row_no != row_no)
			continue;
		n++;
		if (!worst || rank[it->result] > rank[worst->result])
			worst = it;
	}
	if (!worst) {
		*message = "left alone: no orderbridge line key";
		return;
	}
	*result = result_word(worst->result);
	if (n > 1)
		snprintf(rc->msg, sizeof rc->msg, "%zu lines of the bundle: %s", n, plan_item_message(worst));
	else
		str_copy(rc->msg, sizeof rc->msg, plan_item_message(worst));
	*message = rc->msg;
}

int plan_courier_write_result(const struct plan *p, size_t i, const char *out_path, bool force, struct ob_err *err)
{
	struct result_ctx ctx = { p, i, "" };
	return template_write_result(p->inputs[i].path, p->inputs[i].tpl, out_path, force, row_result, &ctx, err);
}
