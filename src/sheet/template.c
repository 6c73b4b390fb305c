/* Sheet templates (see template.h): parsing and checking a template file, and
 * finding templates by name. Rendering values is in template_map.c, reading a
 * courier's result file in template_read.c. */
#include "sheet/template.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "market/couriers.h"
#include "model/words.h"
#include "util/str.h"

#ifndef OB_TEMPLATE_DIR
#define OB_TEMPLATE_DIR "/usr/local/share/orderbridge/templates"
#endif

/* ---- fields ---- */

static const char *const computed_names[] = {
	[TF_LINE_KEY - 100] = "line_key",   [TF_NET_QTY - 100] = "net_qty", [TF_NET_AMOUNT - 100] = "net_amount",
	[TF_VAT - 100] = "vat",             [TF_SUPPLY - 100] = "supply",   [TF_DATE - 100] = "date",
	[TF_ITEMS - 100] = "items",         [TF_LINES - 100] = "lines",
};

const char *template_field_name(int field)
{
	if (field >= 0 && field < F__COUNT)
		return field_key((enum field_id)field);
	if (field >= 100 && field < TF__END)
		return computed_names[field - 100];
	return NULL;
}

int template_field_parse(const char *name)
{
	for (int f = 0; f < F__COUNT; f++)
		if (!(field_def((enum field_id)f)->flags & FF_INTERNAL) && str_eq(field_key((enum field_id)f), name))
			return f;
	for (int f = 100; f < TF__END; f++)
		if (str_eq(computed_names[f - 100], name))
			return f;
	return -1;
}

static enum field_kind computed_kind(int f)
{
	switch (f) {
	case TF_LINE_KEY: return FK_ID;
	case TF_NET_QTY:
	case TF_LINES: return FK_INT;
	case TF_NET_AMOUNT:
	case TF_VAT:
	case TF_SUPPLY: return FK_MONEY;
	case TF_DATE: return FK_DATE;
	default: return FK_TEXT;
	}
}

static bool field_on_sheet(int f, enum sheet_kind s)
{
	if (f >= 100)
		/* The quantity and money fields exist on order lines only. */
		return f == TF_LINE_KEY || f == TF_LINES || s == SHEET_ORDERS;
	size_t n;
	const enum field_id *cols = sheet_columns(s, &n);
	for (size_t i = 0; i < n; i++)
		if ((int)cols[i] == f)
			return true;
	return false;
}

const char *template_kind_word(enum tpl_kind k)
{
	return k == TPL_COURIER_RESULT ? "courier-result" : "output";
}

bool template_has_sheet(const struct template_def *t, enum sheet_kind s)
{
	return t->kind == TPL_OUTPUT && (s == SHEET_ORDERS || s == SHEET_CLAIMS) && t->sheets[s].n > 0;
}

bool template_is_unified(const struct template_def *t, char *why, size_t n)
{
	if (t->kind != TPL_OUTPUT || t->rows != TPL_ROWS_LINE) {
		snprintf(why, n, "template %s is not one row per line", t->name);
		return false;
	}
	for (int s = SHEET_ORDERS; s <= SHEET_CLAIMS; s++)
		for (size_t i = 0; i < t->sheets[s].n; i++) {
			const struct tpl_column *c = &t->sheets[s].cols[i];
			int f = c->nparts == 1 ? c->parts[0].field : -1;
			if (f < 0 || f >= F__COUNT || c->ntx || field_by_header((enum sheet_kind)s, c->header) != f) {
				snprintf(why, n, "%s line %d: column '%s' is not a unified column under its key or Korean header",
					 t->path, c->line, c->header);
				return false;
			}
		}
	return true;
}

int template_input_field(const struct template_def *t, size_t col)
{
	const struct tpl_sheet *sh = &t->sheets[SHEET_ORDERS];
	if (t->kind != TPL_COURIER_RESULT || col >= sh->n || sh->cols[col].nparts != 1)
		return -1;
	return sh->cols[col].parts[0].field;
}

void template_free(struct template_def *t)
{
	if (!t)
		return;
	for (int s = 0; s <= SHEET_CLAIMS; s++) {
		for (size_t c = 0; c < t->sheets[s].n; c++) {
			struct tpl_column *col = &t->sheets[s].cols[c];
			free(col->header);
			for (size_t p = 0; p < col->nparts; p++)
				free(col->parts[p].text);
			free(col->parts);
			free(col->tx);
		}
		free(t->sheets[s].cols);
	}
	free(t);
}

/* ---- parsing ---- */

enum section { SEC_NONE, SEC_TEMPLATE, SEC_ORDERS, SEC_CLAIMS, SEC_COLUMNS, SEC_BAD };

struct parse_state {
	struct template_def *t;
	const char *path;
	struct ob_err *err;
	struct buf *all;
	int nerr;
	bool nomem;
	/* The reader: a file or a string. */
	FILE *fp;
	const char *text;
	int line;           /* the line the reader returned last */
	bool line_bad;      /* the precheck refused it: inih's reading of it is ignored */
	enum section sec;   /* the section of that line */
	int sec_line[SEC_BAD + 1];
	unsigned seen;      /* [template] keys given (bit per key) */
	int key_line[16];
};

static void add_err(struct parse_state *ps, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add_err(struct parse_state *ps, int line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ps->nerr++ == 0) {
		if (line > 0)
			ob_errf(ps->err, OB_EUSAGE, "%s line %d: %s", ps->path, line, msg);
		else
			ob_errf(ps->err, OB_EUSAGE, "%s: %s", ps->path, msg);
	}
	int rc = 0;
	if (ps->all && line > 0)
		rc = buf_printf(ps->all, "%s line %d: %s\n", ps->path, line, msg);
	else if (ps->all)
		rc = buf_printf(ps->all, "%s: %s\n", ps->path, msg);
	if (rc < 0)
		ps->nomem = true;
}

static enum section section_of(const char *name)
{
	if (str_eq(name, "template"))
		return SEC_TEMPLATE;
	if (str_eq(name, "orders"))
		return SEC_ORDERS;
	if (str_eq(name, "claims"))
		return SEC_CLAIMS;
	if (str_eq(name, "columns"))
		return SEC_COLUMNS;
	return SEC_BAD;
}

/* Checks one raw line before inih sees it, so that every bad line is named
 * (inih reports only its first) and the traps of the INI dialect are caught:
 * an indented line (inih would glue it to the line above), a line longer than
 * inih's buffer (it would split it in two), a header with ':' (inih would
 * split there instead of at '='). */
static void precheck(struct parse_state *ps, const char *raw, int num)
{
	size_t len = strlen(raw);
	bool complete = len > 0 && raw[len - 1] == '\n';
	if (!complete && (int)len == num - 1) {
		add_err(ps, ps->line, "the line is longer than %d bytes; shorten it (a long value can often lose "
			"spaces or use a shorter header)", num - 2);
		return;
	}
	char line[256];
	str_copy(line, sizeof line, raw);
	if (ps->line == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
	    (unsigned char)line[2] == 0xBF)
		memmove(line, line + 3, strlen(line + 3) + 1);
	bool indented = line[0] == ' ' || line[0] == '\t';
	char *s = str_trim(line);
	if (!*s || *s == ';' || *s == '#')
		return;
	if (indented) {
		add_err(ps, ps->line, "the line is indented; start it at the first column (an indented line would "
			"continue the line above)");
		return;
	}
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (!end) {
			add_err(ps, ps->line, "a section header needs its ']'");
			return;
		}
		*end = '\0';
		char *name = str_trim(s + 1);
		ps->sec = section_of(name);
		if (ps->sec == SEC_BAD)
			add_err(ps, ps->line, "unknown section [%s]; use [template], [orders], [claims] or [columns]", name);
		else if (ps->sec_line[ps->sec])
			add_err(ps, ps->line, "section [%s] again (first at line %d); put all its lines under one header",
				name, ps->sec_line[ps->sec]);
		else
			ps->sec_line[ps->sec] = ps->line;
		return;
	}
	char *eq = strchr(s, '='), *colon = strchr(s, ':');
	if (!eq && !colon) {
		add_err(ps, ps->line, "not a template line; expected [section] or HEADER = VALUE");
		return;
	}
	if (colon && (!eq || colon < eq))
		add_err(ps, ps->line, "'%.*s' holds ':'; a header or key cannot (INI splits there)", (int)(colon - s), s);
	else if (eq == s)
		add_err(ps, ps->line, "the line has no header before '='");
	else if (ps->sec == SEC_NONE)
		add_err(ps, ps->line, "a line before any section; start the file with [template] or [orders]");
}

static char *next_line(char *str, int num, void *stream)
{
	struct parse_state *ps = stream;
	char *r;
	if (ps->fp) {
		r = fgets(str, num, ps->fp);
	} else {
		if (!*ps->text)
			return NULL;
		size_t n = strcspn(ps->text, "\n");
		if (ps->text[n] == '\n')
			n++;
		if (n > (size_t)num - 1)
			n = (size_t)num - 1;
		memcpy(str, ps->text, n);
		str[n] = '\0';
		ps->text += n;
		r = str;
	}
	if (r) {
		int before = ps->nerr;
		ps->line++;
		precheck(ps, r, num);
		ps->line_bad = ps->nerr != before;
		size_t len = strlen(r);
		if ((len == 0 || r[len - 1] != '\n') && (int)len == num - 1) {
			/* Too long (reported): skip the rest, which is no line of its own. */
			if (ps->fp) {
				int ch;
				while ((ch = fgetc(ps->fp)) != EOF && ch != '\n')
					;
			} else {
				ps->text += strcspn(ps->text, "\n");
				if (*ps->text)
					ps->text++;
			}
		}
	}
	return r;
}

static bool yes_no(const char *v, bool *out)
{
	if (str_eq_ci(v, "yes") || str_eq_ci(v, "true") || str_eq(v, "1")) {
		*out = true;
		return true;
	}
	if (str_eq_ci(v, "no") || str_eq_ci(v, "false") || str_eq(v, "0")) {
		*out = false;
		return true;
	}
	return false;
}

static const char *const template_keys[] = { "name",  "description", "kind",    "rows",   "encoding",
					     "status", "personal",   "skip_cancelled", "courier" };

static int status_ok(void *ctx, const char *w)
{
	(void)ctx;
	return str_eq_ci(w, "all") || order_status_parse(w) > 0 || claim_status_parse(w) > 0 ? 0 : 1;
}

static void on_template_key(struct parse_state *ps, const char *name, const char *value)
{
	struct template_def *t = ps->t;
	size_t k = 0, nk = sizeof template_keys / sizeof template_keys[0];
	while (k < nk && !str_eq(template_keys[k], name))
		k++;
	if (k == nk) {
		add_err(ps, ps->line, "unknown key '%s' in [template]; known: name, description, kind, rows, encoding, "
			"status, personal, skip_cancelled, courier", name);
		return;
	}
	if (ps->seen & (1u << k)) {
		add_err(ps, ps->line, "'%s' is given twice (first at line %d)", name, ps->key_line[k]);
		return;
	}
	ps->seen |= 1u << k;
	ps->key_line[k] = ps->line;
	bool ok = true;
	if (str_eq(name, "name")) {
		for (const char *c = value; *c; c++)
			ok &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
		if (!ok || !*value || strlen(value) >= sizeof t->name) {
			add_err(ps, ps->line, "name '%s': use lower-case letters, digits, '-' and '_' (at most %zu)", value,
				sizeof t->name - 1);
			return;
		}
		str_copy(t->name, sizeof t->name, value);
	} else if (str_eq(name, "description")) {
		str_copy(t->description, sizeof t->description, value);
	} else if (str_eq(name, "kind")) {
		if (str_eq(value, "output"))
			t->kind = TPL_OUTPUT;
		else if (str_eq(value, "courier-result"))
			t->kind = TPL_COURIER_RESULT;
		else
			add_err(ps, ps->line, "kind '%s': use output or courier-result", value);
	} else if (str_eq(name, "rows")) {
		if (str_eq(value, "line"))
			t->rows = TPL_ROWS_LINE;
		else if (str_eq(value, "bundle"))
			t->rows = TPL_ROWS_BUNDLE;
		else
			add_err(ps, ps->line, "rows '%s': use line (one row per order line) or bundle (one per box)", value);
	} else if (str_eq(name, "encoding")) {
		int e = encoding_parse(value);
		if (e < 0 || e == ENC_AUTO)
			add_err(ps, ps->line, "encoding '%s': use utf8-bom, utf8 or cp949", value);
		else
			t->encoding = (enum text_encoding)e;
	} else if (str_eq(name, "status")) {
		if (strlen(value) >= sizeof t->status || str_split(value, ',', status_ok, NULL) != 0)
			add_err(ps, ps->line, "status '%s': give unified statuses separated by commas (PAID, PREPARING, "
				"SHIPPING, DELIVERED, CONFIRMED, CANCELLED, RETURNED, EXCHANGED, claim statuses, or all)",
				value);
		else
			str_copy(t->status, sizeof t->status, value);
	} else if (str_eq(name, "personal") || str_eq(name, "skip_cancelled")) {
		if (!yes_no(value, str_eq(name, "personal") ? &t->personal : &t->skip_cancelled))
			add_err(ps, ps->line, "%s '%s': use yes or no", name, value);
	} else if (str_eq(name, "courier")) {
		const struct courier *c = courier_find(value);
		if (!c)
			add_err(ps, ps->line, "unknown courier '%s' ('orderbridge couriers' lists them)", value);
		else
			str_copy(t->courier, sizeof t->courier, c->name_ko);
	}
}

static int add_part(struct tpl_column *c, int field, const char *text, size_t n)
{
	struct tpl_part *grown = realloc(c->parts, (c->nparts + 1) * sizeof *grown);
	if (!grown)
		return -1;
	c->parts = grown;
	struct tpl_part *p = &c->parts[c->nparts];
	p->field = field;
	p->text = NULL;
	if (field < 0 && !(p->text = ob_strndup(text, n)))
		return -1;
	c->nparts++;
	return 0;
}

/* VALUE: fixed text with {field} placeholders. Returns 0, -1 (no memory) or 1
 * (an error was added). */
static int parse_value(struct parse_state *ps, struct tpl_column *c, const char *v, size_t n)
{
	struct buf text = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((v[i] == '{' || v[i] == '}') && i + 1 < n && v[i + 1] == v[i]) {
			rc = buf_putc(&text, v[i++]);
			continue;
		}
		if (v[i] == '}') {
			add_err(ps, ps->line, "a '}' without its '{'; write }} for a literal brace");
			rc = 1;
			break;
		}
		if (v[i] != '{') {
			rc = buf_putc(&text, v[i]);
			continue;
		}
		const char *end = memchr(v + i, '}', n - i);
		if (!end) {
			add_err(ps, ps->line, "'{' without its '}'; write {{ for a literal brace");
			rc = 1;
			break;
		}
		char name[64];
		size_t len = (size_t)(end - (v + i + 1));
		snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), v + i + 1);
		str_trim(name);
		int f = template_field_parse(name);
		if (f < 0) {
			add_err(ps, ps->line, "unknown field {%s}; use a column key of the unified sheets (e.g. "
				"{receiver_name}) or line_key, net_qty, net_amount, vat, supply, date, items, lines",
				name);
			rc = 1;
			break;
		}
		if (text.len && add_part(c, -1, text.data, text.len) < 0)
			rc = -1;
		buf_reset(&text);
		if (rc == 0 && add_part(c, f, NULL, 0) < 0)
			rc = -1;
		i = (size_t)(end - v);
	}
	if (rc == 0 && text.len && add_part(c, -1, text.data, text.len) < 0)
		rc = -1;
	buf_free(&text);
	return rc;
}

static int parse_tx(struct parse_state *ps, struct tpl_column *c, char *word)
{
	str_trim(word);
	struct tpl_tx tx = { 0, 0, 0 };
	char *eq = strchr(word, '=');
	if (eq) {
		*eq = '\0';
		str_trim(word);
		int64_t v;
		char *num = str_trim(eq + 1);
		if (!str_eq(word, "max_len") && !str_eq(word, "max_bytes")) {
			add_err(ps, ps->line, "unknown transform '%s'; use digits, phone, oneline, cp949, max_len=N or max_bytes=N",
				word);
			return 1;
		}
		if (str_to_i64(num, &v) != 0 || v < 1 || v > 100000) {
			add_err(ps, ps->line, "%s needs a number from 1 to 100000, not '%s'", word, num);
			return 1;
		}
		if (str_eq(word, "max_len"))
			tx.max_len = (size_t)v;
		else
			tx.max_bytes = (size_t)v;
	} else if (str_eq(word, "digits")) {
		tx.op = TX_DIGITS;
	} else if (str_eq(word, "phone")) {
		tx.op = TX_PHONE;
	} else if (str_eq(word, "oneline")) {
		tx.op = TX_ONELINE;
	} else if (str_eq(word, "cp949")) {
		tx.op = TX_CP949;
	} else {
		add_err(ps, ps->line, "unknown transform '%s'; use digits, phone, oneline, cp949, max_len=N or max_bytes=N",
			word);
		return 1;
	}
	struct tpl_tx *grown = realloc(c->tx, (c->ntx + 1) * sizeof *grown);
	if (!grown)
		return -1;
	c->tx = grown;
	c->tx[c->ntx++] = tx;
	return 0;
}

static void on_column(struct parse_state *ps, enum sheet_kind s, const char *header, const char *value)
{
	struct tpl_sheet *sh = &ps->t->sheets[s];
	struct tpl_column *grown = realloc(sh->cols, (sh->n + 1) * sizeof *grown);
	if (!grown) {
		ps->nomem = true;
		return;
	}
	sh->cols = grown;
	struct tpl_column *c = &sh->cols[sh->n++];
	memset(c, 0, sizeof *c);
	c->line = ps->line;
	c->kind = FK_TEXT;
	if (!(c->header = ob_strdup(header))) {
		ps->nomem = true;
		return;
	}
	/* The value ends at the first '|' outside braces; transforms follow. */
	size_t vlen = 0;
	int depth = 0;
	while (value[vlen] && !(value[vlen] == '|' && depth == 0)) {
		depth += value[vlen] == '{' ? 1 : value[vlen] == '}' ? (depth > 0 ? -1 : 0) : 0;
		vlen++;
	}
	size_t shown = vlen;
	while (shown > 0 && (value[shown - 1] == ' ' || value[shown - 1] == '\t'))
		shown--;
	int rc = parse_value(ps, c, value, shown);
	const char *rest = value[vlen] == '|' ? value + vlen + 1 : NULL;
	while (rc == 0 && rest) {
		const char *bar = strchr(rest, '|');
		size_t wl = bar ? (size_t)(bar - rest) : strlen(rest);
		char word[64];
		snprintf(word, sizeof word, "%.*s", (int)(wl < sizeof word ? wl : sizeof word - 1), rest);
		rc = parse_tx(ps, c, word);
		rest = bar ? bar + 1 : NULL;
	}
	if (rc < 0)
		ps->nomem = true;
	if (c->nparts == 1 && c->parts[0].field >= 0) {
		int f = c->parts[0].field;
		c->kind = f >= 100 ? computed_kind(f) : field_def((enum field_id)f)->kind;
		/* A value cut short or reformatted is text, not the number it was. */
		if (c->ntx && (c->kind == FK_INT || c->kind == FK_MONEY))
			c->kind = FK_TEXT;
	}
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *ps = user;
	(void)section; /* the precheck knows the section of the line, by its own reading */
	if (ps->nomem)
		return 0;
	if (ps->line_bad)
		return 1;
	switch (ps->sec) {
	case SEC_TEMPLATE: on_template_key(ps, name, value); break;
	case SEC_ORDERS: on_column(ps, SHEET_ORDERS, name, value); break;
	case SEC_CLAIMS: on_column(ps, SHEET_CLAIMS, name, value); break;
	case SEC_COLUMNS: on_column(ps, SHEET_ORDERS, name, value); break;
	default: break; /* the precheck reported it */
	}
	return 1;
}

/* Checks that need the whole file: what the kind allows, fields per sheet,
 * personal data, the columns a result file must have. */
static void check_template(struct parse_state *ps)
{
	struct template_def *t = ps->t;
	bool result = t->kind == TPL_COURIER_RESULT;
	if (result && (ps->sec_line[SEC_ORDERS] || ps->sec_line[SEC_CLAIMS]))
		add_err(ps, ps->sec_line[SEC_ORDERS] ? ps->sec_line[SEC_ORDERS] : ps->sec_line[SEC_CLAIMS],
			"a courier-result template lists the columns it reads under [columns], not [orders]/[claims]");
	if (!result && ps->sec_line[SEC_COLUMNS])
		add_err(ps, ps->sec_line[SEC_COLUMNS], "[columns] is for kind = courier-result; an output template "
			"lists its columns under [orders] and/or [claims]");
	if (result && !ps->sec_line[SEC_COLUMNS])
		add_err(ps, 0, "a courier-result template needs a [columns] section");
	if (!result && !t->sheets[SHEET_ORDERS].n && !t->sheets[SHEET_CLAIMS].n)
		add_err(ps, 0, "no columns; list them under [orders] and/or [claims] as HEADER = {field}");
	if (t->rows == TPL_ROWS_BUNDLE && (result || t->sheets[SHEET_CLAIMS].n))
		add_err(ps, ps->key_line[3], "rows = bundle works for output templates of the orders sheet only");
	if (!result && t->courier[0])
		add_err(ps, ps->key_line[8], "courier is for courier-result templates");
	if (result && (t->encoding != ENC_AUTO || t->status[0] || t->skip_cancelled))
		add_err(ps, 0, "encoding, status and skip_cancelled are for output templates (a result file's "
			"encoding is detected)");
	bool has_key = false, has_invoice = false, has_courier = false;
	for (int s = SHEET_ORDERS; s <= SHEET_CLAIMS; s++) {
		const struct tpl_sheet *sh = &t->sheets[s];
		for (size_t i = 0; i < sh->n; i++) {
			const struct tpl_column *c = &sh->cols[i];
			if (result) {
				if (c->nparts != 1 || c->parts[0].field < 0) {
					add_err(ps, c->line, "a result column holds one field, e.g. %s = {invoice_no}", c->header);
					continue;
				}
				int f = c->parts[0].field;
				has_key |= f == TF_LINE_KEY;
				has_invoice |= f == F_INVOICE_NO;
				has_courier |= f == F_COURIER;
				if (f != TF_LINE_KEY && f != F_INVOICE_NO && f != F_COURIER && f != F_RECEIVER_NAME &&
				    f != F_RECEIVER_PHONE)
					add_err(ps, c->line, "{%s}: a result file is read for line_key, invoice_no, courier, "
						"receiver_name and receiver_phone only", template_field_name(f));
				continue;
			}
			for (size_t p = 0; p < c->nparts; p++) {
				int f = c->parts[p].field;
				if (f < 0)
					continue;
				if (!field_on_sheet(f, (enum sheet_kind)s))
					add_err(ps, c->line, "{%s} is not on the %s sheet", template_field_name(f),
						sheet_name((enum sheet_kind)s));
				else if (!t->personal && f < 100 && (field_def((enum field_id)f)->flags & FF_PERSONAL))
					add_err(ps, c->line, "{%s} is personal data and this template says personal = no",
						template_field_name(f));
			}
		}
	}
	if (result && !has_key)
		add_err(ps, ps->sec_line[SEC_COLUMNS], "no column holds {line_key}: the result could not be joined "
			"back to the order lines");
	if (result && !has_invoice)
		add_err(ps, ps->sec_line[SEC_COLUMNS], "no column holds {invoice_no}");
	if (result && !has_courier && !t->courier[0])
		add_err(ps, ps->key_line[8] ? ps->key_line[8] : ps->sec_line[SEC_TEMPLATE],
			"say which courier sent the file: courier = NAME in [template], or a column = {courier}");
}

static int parse(struct parse_state *ps, const char *name, struct template_def **out)
{
	*out = NULL;
	ps->t = calloc(1, sizeof *ps->t);
	if (!ps->t)
		return ob_err_nomem(ps->err);
	ps->t->kind = TPL_OUTPUT;
	ps->t->personal = true;
	str_copy(ps->t->path, sizeof ps->t->path, ps->path);
	int rc = ini_parse_stream(next_line, ps, on_value, ps);
	if (rc > 0 && ps->nerr == 0)
		add_err(ps, rc, "not a template line; expected [section] or HEADER = VALUE");
	else if (rc < 0 && ps->nerr == 0)
		ob_errf(ps->err, OB_EIO, "%s: cannot read the template", ps->path), ps->nerr++;
	if (!ps->nomem && ps->nerr == 0)
		check_template(ps);
	if (ps->nomem) {
		template_free(ps->t);
		return ob_err_nomem(ps->err);
	}
	if (ps->nerr) {
		template_free(ps->t);
		return ps->err->code ? ps->err->code : OB_EUSAGE;
	}
	if (!ps->t->name[0]) {
		const char *base = strrchr(ps->path, '/');
		base = base ? base + 1 : ps->path;
		size_t n = strlen(base);
		if (n > 4 && str_eq(base + n - 4, ".ini"))
			n -= 4;
		snprintf(ps->t->name, sizeof ps->t->name, "%.*s", (int)(n < 63 ? n : 63), base);
	}
	if (name)
		str_copy(ps->t->name, sizeof ps->t->name, name);
	*out = ps->t;
	return OB_OK;
}

int template_parse_text(const char *text, const char *path, const char *name, struct template_def **out,
			struct buf *all, struct ob_err *err)
{
	struct parse_state ps;
	memset(&ps, 0, sizeof ps);
	ps.path = path;
	ps.err = err;
	ps.all = all;
	ps.text = text;
	return parse(&ps, name, out);
}

int template_parse_file(const char *path, const char *name, struct template_def **out, struct buf *all,
			struct ob_err *err)
{
	*out = NULL;
	FILE *fp = fopen(path, "r");
	if (!fp)
		return ob_errf(err, OB_EUSAGE, "cannot read template %s: %s", path, strerror(errno));
	struct parse_state ps;
	memset(&ps, 0, sizeof ps);
	ps.path = path;
	ps.err = err;
	ps.all = all;
	ps.fp = fp;
	int rc = parse(&ps, name, out);
	fclose(fp);
	return rc;
}

/* ---- finding templates ---- */

size_t template_dirs(char (*out)[4096], size_t max)
{
	size_t n = 0;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (n < max && xdg && *xdg)
		snprintf(out[n++], 4096, "%s/orderbridge/templates", xdg);
	else if (n < max && home && *home)
		snprintf(out[n++], 4096, "%s/.config/orderbridge/templates", home);
#ifdef OB_SOURCE_DIR
	/* An uninstalled build runs from its source tree; a packaged one has none. */
	struct stat st;
	if (n < max && stat(OB_SOURCE_DIR "/templates", &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(out[n++], 4096, "%s", OB_SOURCE_DIR "/templates");
#endif
	if (n < max && (n == 0 || !str_eq(out[n - 1], OB_TEMPLATE_DIR)))
		snprintf(out[n++], 4096, "%s", OB_TEMPLATE_DIR);
	return n;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int template_load(const char *name, struct template_def **out, struct ob_err *err)
{
	*out = NULL;
	size_t len = strlen(name);
	if (strchr(name, '/') || (len > 4 && str_eq(name + len - 4, ".ini")))
		return template_parse_file(name, NULL, out, NULL, err);
	if (!*name || len > 60 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != len)
		return ob_errf(err, OB_EUSAGE, "'%s' is not a template name ('orderbridge template list' shows them)",
			       name);
	char dirs[4][4096];
	size_t nd = template_dirs(dirs, 4);
	for (size_t i = 0; i < nd; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s.ini", dirs[i], name);
		if (is_file(path))
			return template_parse_file(path, name, out, NULL, err);
	}
	return ob_errf(err, OB_EUSAGE, "no template '%s' (looked in %s%s%s%s%s); 'orderbridge template list' shows "
		       "the templates there", name, dirs[0], nd > 1 ? ", " : "", nd > 1 ? dirs[1] : "", nd > 2 ? ", " : "",
		       nd > 2 ? dirs[2] : "");
}

struct found {
	char name[64];
	char path[4200];
	char shadowed[4200];
};

static int cmp_found(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->name, ((const struct found *)b)->name);
}

int template_each(int (*fn)(void *ctx, const char *name, const char *path, const char *shadowed), void *ctx,
		  struct ob_err *err)
{
	char dirs[4][4096];
	size_t nd = template_dirs(dirs, 4);
	struct found *f = NULL;
	size_t n = 0;
	int rc = OB_OK;
	for (size_t d = 0; d < nd && rc == OB_OK; d++) {
		DIR *dir = opendir(dirs[d]);
		if (!dir)
			continue;
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			size_t len = strlen(e->d_name);
			if (len <= 4 || len > 63 || !str_eq(e->d_name + len - 4, ".ini") || e->d_name[0] == '.')
				continue;
			char name[64];
			snprintf(name, sizeof name, "%.*s", (int)(len - 4), e->d_name);
			size_t k = 0;
			while (k < n && !str_eq(f[k].name, name))
				k++;
			if (k < n) {
				if (!f[k].shadowed[0])
					snprintf(f[k].shadowed, sizeof f[k].shadowed, "%.4000s/%.63s", dirs[d], e->d_name);
				continue;
			}
			struct found *grown = realloc(f, (n + 1) * sizeof *grown);
			if (!grown) {
				rc = ob_err_nomem(err);
				break;
			}
			f = grown;
			memset(&f[n], 0, sizeof f[n]);
			str_copy(f[n].name, sizeof f[n].name, name);
			snprintf(f[n].path, sizeof f[n].path, "%.4000s/%.63s", dirs[d], e->d_name);
			n++;
		}
		closedir(dir);
	}
	if (n)
		qsort(f, n, sizeof *f, cmp_found);
	for (size_t i = 0; i < n && rc == OB_OK; i++)
		rc = fn(ctx, f[i].name, f[i].path, f[i].shadowed[0] ? f[i].shadowed : NULL);
	free(f);
	return rc;
}
