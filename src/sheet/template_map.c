/* Sheet templates (see template.h): the values of a template's columns for one
 * order line or one bundle of lines: fields, joins, computed fields,
 * transforms; the line key; VAT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet/template.h"
#include "util/str.h"

/* ---- money ---- */

int64_t template_vat(int64_t amount)
{
	/* amount * 10/110 = amount/11; C division truncates toward zero. */
	return amount / 11;
}

int64_t template_net_amount(int64_t paid, int64_t shipping_fee, int64_t qty, int64_t cancel_qty)
{
	if (qty <= 0 || cancel_qty <= 0)
		return paid;
	if (cancel_qty >= qty)
		return 0;
	return (paid - shipping_fee) * (qty - cancel_qty) / qty + shipping_fee;
}

/* ---- the line key ---- */

static const struct {
	char letter;
	const char *market;
} key_markets[] = { { 'C', "coupang" }, { 'E', "11st" }, { 'N', "smartstore" } };

static bool key_chars(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

int template_line_key(const struct record *r, char *out, size_t n, char *why, size_t why_n)
{
	const char *market = record_get(r, F_MARKET), *order = record_get(r, F_ORDER_NO);
	const char *line = record_get(r, F_LINE_NO);
	char letter = 0;
	for (size_t i = 0; i < sizeof key_markets / sizeof key_markets[0]; i++)
		if (str_eq(key_markets[i].market, market))
			letter = key_markets[i].letter;
	out[0] = '\0';
	if (!letter) {
		snprintf(why, why_n, "no line key for market '%s'", market);
		return -1;
	}
	if (!key_chars(order) || !key_chars(line)) {
		snprintf(why, why_n, "no line key: order '%s' / line '%s' must be letters, digits and '_'", order, line);
		return -1;
	}
	int len = snprintf(out, n, "%c%s-%s", letter, order, line);
	if (len < 0 || (size_t)len >= n || len > TPL_KEY_MAX) {
		out[0] = '\0';
		snprintf(why, why_n, "no line key: order '%s' / line '%s' are too long for %d characters", order, line,
			 TPL_KEY_MAX);
		return -1;
	}
	return 0;
}

int template_key_parse(const char *s, struct tpl_key *k)
{
	memset(k, 0, sizeof *k);
	char buf[TPL_KEY_MAX + 8];
	if (strlen(s) >= sizeof buf)
		return 0;
	str_copy(buf, sizeof buf, s);
	char *t = str_trim(buf);
	if (strlen(t) > TPL_KEY_MAX)
		return 0;
	char up = (char)(t[0] >= 'a' && t[0] <= 'z' ? t[0] - 'a' + 'A' : t[0]);
	for (size_t i = 0; i < sizeof key_markets / sizeof key_markets[0]; i++)
		if (key_markets[i].letter == up)
			k->market = key_markets[i].market;
	if (!k->market)
		return 0;
	char *dash = strchr(t + 1, '-');
	if (!dash || strchr(dash + 1, '-'))
		return 0;
	*dash = '\0';
	if (!key_chars(t + 1) || !key_chars(dash + 1))
		return 0;
	str_copy(k->order_no, sizeof k->order_no, t + 1);
	str_copy(k->line_no, sizeof k->line_no, dash + 1);
	return 1;
}

/* ---- field values ---- */

static int64_t get_i64(const struct record *r, enum field_id f, bool *have)
{
	int64_t v = 0;
	if (record_get_i64(r, f, &v) == 0)
		*have = true;
	else
		v = 0;
	return v;
}

static int64_t line_net_amount(const struct record *r, bool *have)
{
	bool h = false, dummy = false;
	int64_t paid = get_i64(r, F_PAID_AMOUNT, &h);
	if (!h)
		return 0;
	*have = true;
	return template_net_amount(paid, get_i64(r, F_SHIPPING_FEE, &dummy), get_i64(r, F_QTY, &dummy),
				   get_i64(r, F_CANCEL_QTY, &dummy));
}

int template_field_value(int field, const struct record *const *lines, size_t n, struct buf *out,
			 struct ob_err *err)
{
	if (n == 0)
		return OB_OK;
	const struct record *first = lines[0];
	int rc = 0;
	bool have = false;
	int64_t sum = 0;
	if (field >= 0 && field < F__COUNT) {
		enum field_kind kind = field_def((enum field_id)field)->kind;
		if (n == 1 || (kind != FK_INT && kind != FK_MONEY)) {
			rc = buf_puts(out, record_get(first, (enum field_id)field));
		} else {
			for (size_t i = 0; i < n; i++)
				sum += get_i64(lines[i], (enum field_id)field, &have);
			if (have)
				rc = buf_printf(out, "%lld", (long long)sum);
		}
		return rc < 0 ? ob_err_nomem(err) : OB_OK;
	}
	switch (field) {
	case TF_LINE_KEY: {
		char key[TPL_KEY_MAX + 1], why[256];
		if (template_line_key(first, key, sizeof key, why, sizeof why) < 0)
			return ob_errf(err, OB_EIO, "order %s line %s: %s", record_get(first, F_ORDER_NO),
				       record_get(first, F_LINE_NO), why);
		rc = buf_puts(out, key);
		break;
	}
	case TF_NET_QTY:
		for (size_t i = 0; i < n; i++) {
			bool h = false, dummy = false;
			int64_t q = get_i64(lines[i], F_QTY, &h);
			if (h)
				sum += q - get_i64(lines[i], F_CANCEL_QTY, &dummy), have = true;
		}
		if (have)
			rc = buf_printf(out, "%lld", (long long)sum);
		break;
	case TF_NET_AMOUNT:
	case TF_VAT:
	case TF_SUPPLY:
		for (size_t i = 0; i < n; i++)
			sum += line_net_amount(lines[i], &have);
		if (!have)
			break;
		if (field == TF_VAT)
			sum = template_vat(sum);
		else if (field == TF_SUPPLY)
			sum -= template_vat(sum);
		rc = buf_printf(out, "%lld", (long long)sum);
		break;
	case TF_DATE: {
		const char *t = record_get(first, F_PAID_AT);
		if (!*t)
			t = record_get(first, F_ORDERED_AT);
		rc = buf_append(out, t, strlen(t) < 10 ? strlen(t) : 10);
		break;
	}
	case TF_ITEMS:
		for (size_t i = 0; i < n && rc == 0; i++) {
			const char *p = record_get(lines[i], F_PRODUCT_NAME), *o = record_get(lines[i], F_OPTION_NAME);
			if (i)
				rc |= buf_puts(out, " / ");
			rc |= buf_puts(out, p);
			/* Markets often repeat the product name as the option name. */
			if (*o && !str_eq(o, p))
				rc |= buf_printf(out, "%s%s", *p ? " " : "", o);
			bool h = false, dummy = false;
			int64_t q = get_i64(lines[i], F_QTY, &h) - get_i64(lines[i], F_CANCEL_QTY, &dummy);
			if (h)
				rc |= buf_printf(out, " x%lld", (long long)q);
		}
		break;
	case TF_LINES: rc = buf_printf(out, "%zu", n); break;
	default: return ob_errf(err, OB_EIO, "internal error: unknown template field %d", field);
	}
	return rc < 0 ? ob_err_nomem(err) : OB_OK;
}

/* ---- transforms ---- */

void template_phone_dashes(const char *in, char *out, size_t n)
{
	char d[24];
	size_t nd = 0;
	for (const char *s = in; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (nd + 1 >= sizeof d)
				goto keep;
			d[nd++] = *s;
		} else if (*s != '-' && *s != ' ' && *s != '.' && *s != '(' && *s != ')') {
			goto keep; /* +82, letters, an extension: not ours to reformat */
		}
	}
	d[nd] = '\0';
	int a, b; /* lengths of the first two groups; the last is 4 */
	if (nd == 8 && d[0] == '1' && (d[1] == '5' || d[1] == '6' || d[1] == '8'))
		a = 4, b = 0; /* 1588-1234 */
	else if (nd >= 9 && nd <= 10 && d[0] == '0' && d[1] == '2')
		a = 2, b = (int)nd - 6;
	else if ((nd == 11 || nd == 12) && str_starts(d, "050"))
		a = 4, b = (int)nd - 8; /* safe numbers 0505-123-4567, 0502-1234-5678 */
	else if ((nd == 10 || nd == 11) && d[0] == '0')
		a = 3, b = (int)nd - 7;
	else
		goto keep;
	if (b)
		snprintf(out, n, "%.*s-%.*s-%s", a, d, b, d + a, d + a + b);
	else
		snprintf(out, n, "%.*s-%s", a, d, d + a);
	return;
keep:
	str_copy(out, n, in);
}

/* Bytes of the UTF-8 sequence starting at s (1 for a stray byte). */
static size_t u8len(const unsigned char *s)
{
	if (*s < 0x80)
		return 1;
	size_t n = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

static void cut(struct buf *v, size_t max_len, size_t max_bytes)
{
	size_t chars = 0, width = 0, i = 0;
	while (i < v->len) {
		size_t l = u8len((const unsigned char *)v->data + i);
		size_t w = l == 1 ? 1 : 2; /* CP949: Hangul and Hanja take two bytes */
		if ((max_len && chars + 1 > max_len) || (max_bytes && width + w > max_bytes))
			break;
		chars++;
		width += w;
		i += l;
	}
	v->len = i;
	if (v->data)
		v->data[i] = '\0';
}

/* Keeps the characters CP949 can write. */
static int keep_cp949(struct buf *v, struct ob_err *err)
{
	struct encoding_conv *conv;
	int rc = encoding_conv_open(ENC_UTF8, ENC_CP949, &conv, err);
	if (rc != OB_OK)
		return rc;
	struct buf scratch = BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < v->len;) {
		size_t l = u8len((const unsigned char *)v->data + i), used = 0;
		struct ob_err e = OB_ERR_INIT;
		bool ok = l == 1 ? (unsigned char)v->data[i] < 0x80 :
				   encoding_conv_run(conv, v->data + i, l, true, &used, &scratch, &e) == OB_OK;
		buf_reset(&scratch);
		if (ok) {
			memmove(v->data + k, v->data + i, l);
			k += l;
		}
		i += l;
	}
	v->len = k;
	v->data[k] = '\0';
	buf_free(&scratch);
	encoding_conv_close(conv);
	return OB_OK;
}

int template_apply_tx(const struct tpl_column *c, struct buf *v, struct ob_err *err)
{
	for (size_t t = 0; t < c->ntx; t++) {
		const struct tpl_tx *tx = &c->tx[t];
		if (!v->len)
			break;
		if (tx->op == TX_DIGITS) {
			size_t k = 0;
			for (size_t i = 0; i < v->len; i++)
				if (v->data[i] >= '0' && v->data[i] <= '9')
					v->data[k++] = v->data[i];
			v->len = k;
			v->data[k] = '\0';
		} else if (tx->op == TX_PHONE) {
			char out[64];
			if (v->len < 40) {
				template_phone_dashes(v->data, out, sizeof out);
				buf_reset(v);
				if (buf_puts(v, out) < 0)
					return ob_err_nomem(err);
			}
		} else if (tx->op == TX_ONELINE) {
			/* Courier systems take one line per cell: breaks and tabs become
			 * one space each run. */
			size_t k = 0;
			bool space = true; /* drops leading blanks */
			for (size_t i = 0; i < v->len; i++) {
				char ch = v->data[i];
				bool blank = ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
				if (blank && space)
					continue;
				v->data[k++] = blank ? ' ' : ch;
				space = blank;
			}
			while (k > 0 && v->data[k - 1] == ' ')
				k--;
			v->len = k;
			v->data[k] = '\0';
		} else if (tx->op == TX_CP949) {
			int rc = keep_cp949(v, err);
			if (rc != OB_OK)
				return rc;
		} else {
			cut(v, tx->max_len, tx->max_bytes);
		}
	}
	return OB_OK;
}

int template_render(const struct template_def *t, enum sheet_kind s, size_t col, const struct record *const *lines,
		    size_t nlines, struct buf *out, struct ob_err *err)
{
	const struct tpl_column *c = &t->sheets[s].cols[col];
	struct buf v = BUF_INIT;
	int rc = OB_OK;
	bool fields = false, filled = false;
	for (size_t p = 0; p < c->nparts && rc == OB_OK; p++) {
		if (c->parts[p].field < 0) {
			rc = buf_puts(&v, c->parts[p].text) < 0 ? ob_err_nomem(err) : OB_OK;
			continue;
		}
		size_t before = v.len;
		fields = true;
		rc = template_field_value(c->parts[p].field, lines, nlines, &v, err);
		filled |= v.len > before;
	}
	if (rc == OB_OK && c->nparts > 1) {
		/* A join of fields that are all empty ("{address1} {address2}" of a
		 * line without an address) is empty, not a lone separator; a join
		 * with one empty field loses the separator at its end. */
		if (fields && !filled)
			buf_reset(&v);
		size_t b = 0, e = v.len;
		while (b < e && v.data[b] == ' ')
			b++;
		while (e > b && v.data[e - 1] == ' ')
			e--;
		if (v.len && (b || e < v.len)) {
			memmove(v.data, v.data + b, e - b);
			v.len = e - b;
			v.data[v.len] = '\0';
		}
	}
	if (rc == OB_OK)
		rc = template_apply_tx(c, &v, err);
	if (rc == OB_OK && v.len && buf_append(out, v.data, v.len) < 0)
		rc = ob_err_nomem(err);
	buf_free(&v);
	return rc;
}
