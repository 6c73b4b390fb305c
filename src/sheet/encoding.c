/* Sheet text encodings (see encoding.h): names, a guess from the first bytes of
 * a file, and CP949 <-> UTF-8 conversion through glibc's iconv. Windows Excel in
 * Korea saves CSV as CP949, so that is the fallback when the bytes are not UTF-8. */
#include "sheet/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

static const struct {
	const char *name;
	enum text_encoding enc;
} names[] = {
	{ "auto", ENC_AUTO },        { "utf8-bom", ENC_UTF8_BOM }, { "utf-8-bom", ENC_UTF8_BOM },
	{ "utf8bom", ENC_UTF8_BOM }, { "utf8", ENC_UTF8 },         { "utf-8", ENC_UTF8 },
	{ "cp949", ENC_CP949 },      { "ms949", ENC_CP949 },       { "uhc", ENC_CP949 },
	{ "euc-kr", ENC_CP949 },     { "euckr", ENC_CP949 },
};

int encoding_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (str_eq_ci(name, names[i].name))
			return (int)names[i].enc;
	return -1;
}

const char *encoding_name(enum text_encoding e)
{
	switch (e) {
	case ENC_UTF8_BOM: return "utf8-bom";
	case ENC_UTF8: return "utf8";
	case ENC_CP949: return "cp949";
	default: return "auto";
	}
}

/* Length of head without a UTF-8 sequence that the end of the sniffed bytes
 * cut in two: such a tail is missing bytes, not proof of another encoding. */
static size_t utf8_whole_prefix(const unsigned char *p, size_t n)
{
	size_t i = n, cont = 0;
	while (i > 0 && cont < 3 && (p[i - 1] & 0xC0) == 0x80) {
		i--;
		cont++;
	}
	if (i == 0)
		return n;
	unsigned char lead = p[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (need > 1 && need > cont + 1)
		return i - 1;
	return n;
}

enum text_encoding encoding_detect(const char *head, size_t n)
{
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		return ENC_UTF8_BOM;
	size_t whole = utf8_whole_prefix((const unsigned char *)head, n);
	return str_valid_utf8(head, whole) ? ENC_UTF8 : ENC_CP949;
}

struct encoding_conv {
	iconv_t cd;
	enum text_encoding from;
};

static const char *iconv_name(enum text_encoding e)
{
	/* glibc's CP949 is the full Unified Hangul Code (all 11,172 syllables);
	 * its EUC-KR lacks 8,822 of them (e.g. 똠), so we always say CP949. */
	return e == ENC_CP949 ? "CP949" : "UTF-8";
}

int encoding_conv_open(enum text_encoding from, enum text_encoding to, struct encoding_conv **out,
		       struct ob_err *err)
{
	*out = NULL;
	if (from == ENC_UTF8_BOM)
		from = ENC_UTF8;
	if (to == ENC_UTF8_BOM)
		to = ENC_UTF8;
	if ((from != ENC_CP949 && from != ENC_UTF8) || (to != ENC_CP949 && to != ENC_UTF8) || from == to)
		return ob_errf(err, OB_EIO, "internal error: no conversion from %s to %s",
			       encoding_name(from), encoding_name(to));
	struct encoding_conv *c = calloc(1, sizeof *c);
	if (!c)
		return ob_err_nomem(err);
	c->cd = iconv_open(iconv_name(to), iconv_name(from));
	if (c->cd == (iconv_t)-1) {
		int e = errno;
		free(c);
		return ob_errf(err, OB_EIO, "cannot convert %s to %s: iconv: %s", iconv_name(from),
			       iconv_name(to), strerror(e));
	}
	c->from = from;
	*out = c;
	return 0;
}

/* Describes the character at p (UTF-8 input) for a message: U+XXXX and, when
 * printable, the character itself. */
static void describe_utf8_char(const unsigned char *p, size_t left, char *out, size_t n)
{
	size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
	if (len > left || !str_valid_utf8((const char *)p, len)) {
		snprintf(out, n, "byte 0x%02X (not valid UTF-8)", p[0]);
		return;
	}
	uint32_t cp = len == 1 ? p[0] : len == 2 ? p[0] & 0x1Fu : len == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
	for (size_t i = 1; i < len; i++)
		cp = (cp << 6) | (p[i] & 0x3Fu);
	snprintf(out, n, "character \"%.*s\" (U+%04X)", (int)len, (const char *)p, (unsigned)cp);
}

int encoding_conv_run(struct encoding_conv *c, const char *in, size_t n, bool final, size_t *used,
		      struct buf *out, struct ob_err *err)
{
	char *ip = (char *)in; /* iconv's prototype is not const-correct */
	size_t left = n;
	int rc = 0;
	*used = 0;
	while (left) {
		/* CP949 -> UTF-8 grows at most 3:2, UTF-8 -> CP949 shrinks. */
		if (buf_reserve(out, left + left / 2 + 8) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		char *op = out->data + out->len;
		size_t room = out->cap - out->len - 1;
		size_t r = iconv(c->cd, &ip, &left, &op, &room);
		int e = errno;
		out->len = (size_t)(op - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		if (e == EINVAL && !final)
			break; /* a character continues in the next piece */
		const unsigned char *bad = (const unsigned char *)ip;
		if (e == EINVAL) {
			rc = ob_errf(err, OB_EINVALID, "the text ends inside a character (byte 0x%02X)",
				     bad[0]);
		} else if (c->from == ENC_CP949) {
			if (left >= 2)
				rc = ob_errf(err, OB_EINVALID, "bytes 0x%02X 0x%02X are not CP949 text",
					     bad[0], bad[1]);
			else
				rc = ob_errf(err, OB_EINVALID, "byte 0x%02X is not CP949 text", bad[0]);
		} else {
			char what[64];
			describe_utf8_char(bad, left, what, sizeof what);
			rc = ob_errf(err, OB_EINVALID, "the %s has no CP949 form", what);
		}
		break;
	}
	*used = (size_t)(ip - in);
	return rc;
}

void encoding_conv_close(struct encoding_conv *c)
{
	if (!c)
		return;
	iconv_close(c->cd);
	free(c);
}

static int convert_all(enum text_encoding from, enum text_encoding to, const char *in, size_t n,
		       struct buf *out, struct ob_err *err)
{
	struct encoding_conv *c;
	int rc = encoding_conv_open(from, to, &c, err);
	if (rc)
		return rc;
	size_t used;
	size_t keep = out->len;
	rc = encoding_conv_run(c, in, n, true, &used, out, err);
	encoding_conv_close(c);
	if (rc == OB_EINVALID && err) {
		char what[sizeof err->msg];
		str_copy(what, sizeof what, err->msg);
		ob_errf(err, rc, "%s (byte offset %zu)", what, used);
	}
	if (rc) {
		out->len = keep; /* leave out as it was */
		if (out->data)
			out->data[keep] = '\0';
	}
	return rc;
}

int encoding_cp949_to_utf8(const char *in, size_t n, struct buf *out, struct ob_err *err)
{
	return convert_all(ENC_CP949, ENC_UTF8, in, n, out, err);
}

int encoding_utf8_to_cp949(const char *in, size_t n, struct buf *out, struct ob_err *err)
{
	return convert_all(ENC_UTF8, ENC_CP949, in, n, out, err);
}
