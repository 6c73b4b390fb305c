/* 11st answers are XML in EUC-KR (really CP949) with HTTP 200 even for errors.
 * This file turns the bytes into UTF-8, reads them with libxml2's streaming
 * reader (no network, no DTD, no entity substitution; no tree: an answer of
 * 3,000 rows made a DOM of some 20 MB per thread) and flattens the answer into
 * name/value rows matched by local name, since only the wrappers carry the
 * ns2: prefix. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "market/elevenst_int.h"
#include "util/str.h"

void est_reply_init(struct est_reply *r)
{
	memset(r, 0, sizeof *r);
}

void est_reply_clear(struct est_reply *r)
{
	r->root[0] = '\0';
	r->has_code = false;
	r->code = 0;
	r->text[0] = '\0';
	r->http_status = 0;
	buf_reset(&r->arena);
	r->npairs = 0;
	r->nrows = 0;
}

void est_reply_free(struct est_reply *r)
{
	buf_free(&r->arena);
	free(r->pairs);
	free(r->rows);
	est_reply_init(r);
}

/* The encoding named in an XML declaration, lower-cased into out ("" when
 * there is no declaration or it names none). *decl_end is where the content
 * after the declaration starts (0 when there is none). */
static void prolog_encoding(const char *s, size_t len, char *out, size_t n, size_t *decl_end)
{
	out[0] = '\0';
	*decl_end = 0;
	if (len < 5 || memcmp(s, "<?xml", 5) != 0)
		return;
	const char *end = NULL;
	for (size_t i = 5; i + 1 < len && i < 512; i++) {
		if (s[i] == '?' && s[i + 1] == '>') {
			end = s + i;
			break;
		}
	}
	if (!end)
		return;
	*decl_end = (size_t)(end - s) + 2;
	for (const char *p = s + 5; p + 8 < end; p++) {
		if (memcmp(p, "encoding", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == ' ' || *p == '=' || *p == '\t'))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return;
		char q = *p++;
		size_t k = 0;
		while (p < end && *p != q && k + 1 < n)
			out[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p), p++;
		out[k] = '\0';
		return;
	}
}

static bool is_korean_label(const char *enc)
{
	static const char *const names[] = { "euc-kr", "euckr", "cp949", "ms949", "x-windows-949", "windows-949",
					     "ks_c_5601-1987", "ksc5601", "uhc" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(enc, names[i]) == 0)
			return true;
	return false;
}

/* CP949 -> UTF-8 of s[0..len) appended to out. -1 on an invalid sequence. */
static int cp949_to_utf8(const char *s, size_t len, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", "CP949");
	if (cd == (iconv_t)-1)
		return -2;
	char *in = (char *)s;
	size_t left = len;
	int rc = 0;
	while (left > 0) {
		if (buf_reserve(out, left * 2 + 16) < 0) {
			rc = -2;
			break;
		}
		char *o = out->data + out->len;
		size_t room = out->cap - out->len - 1;
		size_t before = room;
		size_t r = iconv(cd, &in, &left, &o, &room);
		out->len += before - room;
		out->data[out->len] = '\0';
		if (r == (size_t)-1 && errno != E2BIG) {
			rc = -1;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

int est_to_utf8(const char *body, size_t len, struct buf *out, struct ob_err *err)
{
	buf_reset(out);
	/* A UTF-8 byte order mark says UTF-8 whatever the declaration claims. */
	bool bom = len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0;
	if (bom) {
		body += 3;
		len -= 3;
	}
	char enc[40];
	size_t start;
	prolog_encoding(body, len, enc, sizeof enc, &start);
	const char *rest = body + start;
	size_t rlen = len - start;
	if (bom || !strcmp(enc, "utf-8") || !strcmp(enc, "utf8") ||
	    (!*enc && str_valid_utf8(rest, rlen) && !memchr(rest, '\0', rlen))) {
		/* Undeclared but valid UTF-8: CP949 Hangul is almost never valid UTF-8,
		 * so reading it as UTF-8 is safe; the CP949 default covers the rest. */
		if (!str_valid_utf8(rest, rlen))
			return ob_errf(err, OB_ENET, "the answer says UTF-8 but is not valid UTF-8");
		if (buf_append(out, rest, rlen) < 0)
			return ob_err_nomem(err);
		return OB_OK;
	}
	if (*enc && !is_korean_label(enc) && strcmp(enc, "us-ascii") != 0)
		return ob_errf(err, OB_ENET, "the answer is in an encoding 11st does not use (%.32s)", enc);
	int rc = cp949_to_utf8(rest, rlen, out);
	if (rc == -2)
		return ob_err_nomem(err);
	if (rc < 0)
		return ob_errf(err, OB_ENET, "the answer is not valid %s text", *enc ? enc : "EUC-KR/CP949");
	return OB_OK;
}

/* Appends "s" trimmed, with the literal null read as empty, to the arena. */
static int arena_put(struct est_reply *r, const char *s, size_t len, uint32_t *off)
{
	while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (len == 4 && memcmp(s, "null", 4) == 0)
		len = 0;
	if (r->arena.len == 0 && buf_putc(&r->arena, '\0') < 0) /* offset 0 = "" */
		return -1;
	if (len == 0) {
		*off = 0;
		return 0;
	}
	if (r->arena.len + len + 1 > UINT32_MAX)
		return -1;
	*off = (uint32_t)r->arena.len;
	if (buf_append(&r->arena, s, len) < 0 || buf_putc(&r->arena, '\0') < 0)
		return -1;
	return 0;
}

static int add_pair(struct est_reply *r, const char *name, const char *value, size_t vlen)
{
	if (r->npairs == r->cappairs) {
		size_t cap = r->cappairs ? r->cappairs * 2 : 256;
		struct est_pair *p = realloc(r->pairs, cap * sizeof *p);
		if (!p)
			return -1;
		r->pairs = p;
		r->cappairs = cap;
	}
	struct est_pair *p = &r->pairs[r->npairs];
	if (arena_put(r, name, strlen(name), &p->name) < 0 || arena_put(r, value, vlen, &p->value) < 0)
		return -1;
	r->npairs++;
	return 0;
}

static int add_row(struct est_reply *r)
{
	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 64;
		size_t *p = realloc(r->rows, (cap + 1) * sizeof *p);
		if (!p)
			return -1;
		r->rows = p;
		r->caprows = cap;
	}
	r->rows[r->nrows++] = r->npairs;
	return 0;
}

/* The reader's state: depth 1 is a child of the root, depth 2 a field of an
 * <order>. An element's value is its own text and CDATA (not that of elements
 * inside it); entity references are never expanded (that is how entity bombs
 * work). */
struct walk {
	struct est_reply *r;
	struct buf val;
	char name[128];   /* the element whose text is being collected */
	int text_depth;   /* its depth, or -1 */
	bool in_order;    /* inside a depth-1 <order> */
	bool row_open;    /* that order has had a field: it is a row */
	bool skip;        /* a depth-1 element that is not <order>: a leaf or nothing */
	bool leaf;        /* that element has had no element child */
};

static const char *reader_local_name(xmlTextReaderPtr xr)
{
	const xmlChar *n = xmlTextReaderConstLocalName(xr);
	return n ? (const char *)n : "";
}

/* A depth-1 leaf's text: result_code / result_text (list or ResultOrder). */
static void root_leaf(struct est_reply *r, const char *name, const char *v)
{
	if (strcmp(name, "result_code") == 0) {
		char tmp[32];
		str_copy(tmp, sizeof tmp, v);
		str_trim(tmp);
		int64_t code;
		if (str_to_i64(tmp, &code) == 0) {
			r->has_code = true;
			r->code = (long)code;
		}
	} else if (strcmp(name, "result_text") == 0 || strcmp(name, "resultMessage") == 0) {
		str_copy(r->text, sizeof r->text, v);
		str_trim(r->text);
	}
}

/* An element ended at depth d: a field of an order becomes a pair, a leaf of
 * the root a code or text. -1 when memory runs out. */
static int end_element(struct walk *w, int d)
{
	if (w->text_depth != d)
		return 0;
	w->text_depth = -1;
	const char *v = w->val.data ? w->val.data : "";
	if (d == 2 && w->in_order)
		return add_pair(w->r, w->name, v, w->val.len);
	if (d == 1 && w->leaf)
		root_leaf(w->r, w->name, v);
	return 0;
}

static int start_element(struct walk *w, xmlTextReaderPtr xr, int d)
{
	const char *name = reader_local_name(xr);
	bool empty = xmlTextReaderIsEmptyElement(xr) == 1;
	if (d == 0) {
		str_copy(w->r->root, sizeof w->r->root, name);
		return 0;
	}
	if (d == 1) {
		w->in_order = strcmp(name, "order") == 0;
		w->row_open = false;
		if (!w->in_order) {
			w->leaf = true;
			w->text_depth = 1;
			str_copy(w->name, sizeof w->name, name);
			buf_reset(&w->val);
		}
		if (empty) { /* <x/> has no end element */
			if (!w->in_order && end_element(w, 1) < 0)
				return -1;
			w->in_order = false;
		}
		return 0;
	}
	if (d == 2 && !w->in_order)
		w->leaf = false; /* a wrapper, not a leaf: ignored */
	if (d == 2 && w->in_order) {
		/* an <order> is a row once it has an element (as the tree had it) */
		if (!w->row_open) {
			if (add_row(w->r) < 0)
				return -1;
			w->row_open = true;
		}
		w->text_depth = 2;
		str_copy(w->name, sizeof w->name, name);
		buf_reset(&w->val);
		if (empty)
			return end_element(w, 2);
	}
	return 0;
}

int est_parse(const char *body, size_t len, struct est_reply *r, struct ob_err *err)
{
	struct buf text = BUF_INIT;
	int rc = est_to_utf8(body ? body : "", body ? len : 0, &text, err);
	if (rc != OB_OK) {
		buf_free(&text);
		return rc;
	}
	if (text.len > INT32_MAX) {
		buf_free(&text);
		return ob_errf(err, OB_ENET, "the answer is too large");
	}
	/* The declaration is gone and the text is UTF-8, so tell libxml2 so.
	 * NONET: never fetch anything; no NOENT/DTDLOAD: entities stay
	 * references; NOCDATA folds CDATA into text. */
	xmlTextReaderPtr xr = xmlReaderForMemory(text.data ? text.data : "", (int)text.len, "11st.xml", "UTF-8",
						 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
							 XML_PARSE_NOCDATA);
	if (!xr) {
		buf_free(&text);
		return ob_err_nomem(err);
	}
	/* Root-level values are per answer; rows accumulate. */
	r->has_code = false;
	r->code = 0;
	r->text[0] = '\0';
	r->root[0] = '\0';
	struct walk w = { .r = r, .val = BUF_INIT, .text_depth = -1 };
	int got;
	bool elements = false;
	rc = OB_OK;
	while (rc == OB_OK && (got = xmlTextReaderRead(xr)) == 1) {
		int type = xmlTextReaderNodeType(xr), d = xmlTextReaderDepth(xr);
		switch (type) {
		case XML_READER_TYPE_DOCUMENT_TYPE:
			rc = ob_errf(err, OB_ENET, "the answer carries a DTD, which 11st never sends; refused");
			break;
		case XML_READER_TYPE_ELEMENT:
			elements = true;
			if (start_element(&w, xr, d) < 0)
				rc = ob_err_nomem(err);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (end_element(&w, d) < 0)
				rc = ob_err_nomem(err);
			if (d == 1)
				w.in_order = false;
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			/* the element's own text: one level below it */
			if (w.text_depth >= 0 && d == w.text_depth + 1) {
				const xmlChar *v = xmlTextReaderConstValue(xr);
				if (v && buf_puts(&w.val, (const char *)v) < 0)
					rc = ob_err_nomem(err);
			}
			break;
		default:
			break;
		}
	}
	if (rc == OB_OK && (got < 0 || !elements)) {
		const xmlError *e = xmlGetLastError();
		char m[200] = "";
		if (e && e->message) {
			str_copy(m, sizeof m, e->message);
			str_trim(m);
		}
		rc = ob_errf(err, OB_ENET, "the answer is not XML (%s)", *m ? m : "empty");
	}
	if (r->rows)
		r->rows[r->nrows] = r->npairs;
	xmlFreeTextReader(xr);
	buf_free(&w.val);
	buf_free(&text);
	return rc;
}

/* Where in its row a name was found last, per name (the mappings pass the
 * same literals for every row, and 11st writes the fields of every row in
 * the same order): most look-ups compare one name instead of scanning a row
 * of some sixty. Per thread; a wrong guess only costs the scan. */
#define HINTS 256
static _Thread_local struct {
	const char *name;
	uint32_t at;
} hints[HINTS];

const char *est_get(const struct est_reply *r, size_t row, const char *name)
{
	if (!r || row >= r->nrows)
		return "";
	size_t begin = r->rows[row];
	size_t end = row + 1 < r->nrows ? r->rows[row + 1] : r->npairs;
	size_t h = ((uintptr_t)name >> 3) % HINTS;
	if (hints[h].name == name) {
		size_t k = begin + hints[h].at;
		if (k < end && strcmp(r->arena.data + r->pairs[k].name, name) == 0)
			return r->arena.data + r->pairs[k].value;
	}
	for (size_t k = begin; k < end; k++)
		if (strcmp(r->arena.data + r->pairs[k].name, name) == 0) {
			hints[h].name = name;
			hints[h].at = (uint32_t)(k - begin);
			return r->arena.data + r->pairs[k].value;
		}
	return "";
}

long est_find_line(const struct est_reply *r, const char *ord_no, const char *seq)
{
	for (size_t i = 0; r && i < r->nrows; i++)
		if (strcmp(est_get(r, i, "ordNo"), ord_no) == 0 && strcmp(est_get(r, i, "ordPrdSeq"), seq) == 0)
			return (long)i;
	return -1;
}
