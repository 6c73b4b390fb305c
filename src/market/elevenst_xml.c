/* 11st answers are XML in EUC-KR (really CP949) with HTTP 200 even for errors.
 * This file turns the bytes into UTF-8, parses them with libxml2 (no network,
 * no DTD, no entity substitution) and flattens the answer into name/value rows
 * matched by local name, since only the wrappers carry the ns2: prefix. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

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

static const char *local_name(const xmlNode *n)
{
	return n && n->name ? (const char *)n->name : "";
}

/* Text of an element: its text and CDATA children only. Entity references
 * are never expanded (that is how entity bombs work). */
static int element_text(const xmlNode *n, struct buf *out)
{
	for (const xmlNode *k = n->children; k; k = k->next) {
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
			if (buf_puts(out, (const char *)k->content) < 0)
				return -1;
	}
	return 0;
}

static bool has_element_child(const xmlNode *n)
{
	for (const xmlNode *k = n->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return true;
	return false;
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

int est_parse(const char *body, size_t len, struct est_reply *r, struct ob_err *err)
{
	struct buf text = BUF_INIT, val = BUF_INIT;
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
	xmlDoc *doc = xmlReadMemory(text.data ? text.data : "", (int)text.len, "11st.xml", "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	buf_free(&text);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		char m[200] = "";
		if (e && e->message) {
			str_copy(m, sizeof m, e->message);
			str_trim(m);
		}
		return ob_errf(err, OB_ENET, "the answer is not XML (%s)", *m ? m : "empty");
	}
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return ob_errf(err, OB_ENET, "the answer carries a DTD, which 11st never sends; refused");
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	/* Root-level values are per answer; rows accumulate. */
	r->has_code = false;
	r->code = 0;
	r->text[0] = '\0';
	str_copy(r->root, sizeof r->root, local_name(root));
	rc = OB_OK;
	for (xmlNode *n = root ? root->children : NULL; n && rc == OB_OK; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = local_name(n);
		if (!has_element_child(n)) {
			/* A leaf of the root: result_code / result_text (list or ResultOrder). */
			buf_reset(&val);
			if (element_text(n, &val) < 0) {
				rc = ob_err_nomem(err);
				break;
			}
			char *v = val.data ? val.data : (char *)"";
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
			continue;
		}
		if (strcmp(name, "order") != 0)
			continue;
		if (add_row(r) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		for (xmlNode *f = n->children; f; f = f->next) {
			if (f->type != XML_ELEMENT_NODE)
				continue;
			buf_reset(&val);
			if (element_text(f, &val) < 0 ||
			    add_pair(r, local_name(f), val.data ? val.data : "", val.len) < 0) {
				rc = ob_err_nomem(err);
				break;
			}
		}
	}
	if (r->rows)
		r->rows[r->nrows] = r->npairs;
	buf_free(&val);
	xmlFreeDoc(doc);
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
