/* XLSX reader (see xlsx.h): minizip inflates one part at a time, counting
 * every byte against the part's limits, and libxml2's xmlTextReader streams it
 * (no tree of the sheet is ever built). xl/workbook.xml names the sheets,
 * xl/_rels/workbook.xml.rels says where each one is; the shared strings are
 * held in memory (cells refer to them by index), the sheet is read row by row. */
#include "sheet/xlsx.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <minizip/unzip.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/str.h"

#define ROW_TEXT_MAX ((size_t)64 << 20) /* all cells of one row */
#define SHEETS_MAX 1024
#define NAME_MAX_LEN 512                /* part names and sheet names */

/* No option that loads or substitutes anything: no NOENT (entity expansion),
 * no DTDLOAD/DTDATTR/DTDVALID (external DTDs), no HUGE (libxml2's own size
 * limits stay). Any DTD is refused outright as well (see xml_next). */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* One zip entry being inflated for libxml2, with the limits checked on the
 * bytes actually produced (headers can lie): the size, and the ratio of the
 * bytes produced to the compressed bytes read so far, so that a bomb stops
 * after a few MiB rather than at the end of a long entry. */
struct zpart {
	unzFile uf;
	bool open;
	unsigned long long limit, total, start;
	enum { ZP_OK, ZP_TOO_BIG, ZP_RATIO, ZP_ZIP } fail;
	int zip_rc;
	char name[NAME_MAX_LEN];
};

struct xml_in {
	xmlTextReaderPtr xr;
	struct zpart part;
	char xml_msg[256]; /* libxml2's first error */
};

struct sheet_ref {
	char *name;
	char *rid;
};

struct xlsx_reader {
	struct table_reader base; /* first: the table_reader pointer is ours */
	unzFile uf;
	struct xml_in in;         /* the worksheet */
	char sheet[NAME_MAX_LEN];
	char where[4096 + NAME_MAX_LEN + 16]; /* "path (sheet NAME)" for messages */
	/* shared strings: decoded, NUL-terminated, back to back */
	struct buf pool;
	size_t *soff;
	size_t nstr, capstr;
	/* the current row */
	struct buf text;          /* its cells' text, back to back */
	size_t *off;              /* per column: offset in text, or SIZE_MAX (empty) */
	unsigned char *flags;
	char **cells;
	size_t ncells, capcells;
	size_t last_row;
	struct buf val;           /* the cell being read */
	struct buf dec;           /* scratch for _xHHHH_ decoding */
	bool date1904;            /* workbookPr date1904: old Mac Excel's date numbers */
	bool done;
	int failed;               /* ob_status of a broken file, repeated on later calls */
	struct ob_err fail_err;
	char empty[1];
};

/* ---- zip parts ---------------------------------------------------------- */

static int zp_read(void *ctx, char *buf, int len)
{
	struct zpart *p = ctx;
	int n = unzReadCurrentFile(p->uf, buf, (unsigned)len);
	if (n < 0) {
		p->fail = ZP_ZIP;
		p->zip_rc = n;
		return -1;
	}
	p->total += (unsigned long long)n;
	if (p->total > p->limit) {
		p->fail = ZP_TOO_BIG;
		return -1;
	}
	/* minizip reads the compressed data ahead in blocks, so this errs on
	 * the side of the file. */
	unsigned long long used = unzGetCurrentFileZStreamPos64(p->uf) - p->start;
	if (p->total > XLSX_RATIO_GRACE && p->total / XLSX_RATIO_MAX > used) {
		p->fail = ZP_RATIO;
		return -1;
	}
	return n;
}

static int zp_close(void *ctx)
{
	struct zpart *p = ctx;
	if (p->open) {
		p->open = false;
		int rc = unzCloseCurrentFile(p->uf); /* checks the CRC when all was read */
		if (rc != UNZ_OK && p->fail == ZP_OK) {
			p->fail = ZP_ZIP;
			p->zip_rc = rc;
		}
	}
	return 0;
}

static void xml_on_error(void *ctx, xmlErrorPtr e)
{
	struct xml_in *in = ctx;
	if (in->xml_msg[0] || !e || !e->message)
		return;
	snprintf(in->xml_msg, sizeof in->xml_msg, "line %d: %s", e->line, e->message);
	size_t n = strlen(in->xml_msg);
	while (n && (in->xml_msg[n - 1] == '\n' || in->xml_msg[n - 1] == ' '))
		in->xml_msg[--n] = '\0';
}

/* Opens part name of the archive for streaming; 1 when it does not exist. */
static int xml_open(struct xml_in *in, unzFile uf, const char *path, const char *name,
		    unsigned long long limit, struct ob_err *err)
{
	memset(in, 0, sizeof *in);
	in->part.uf = uf;
	in->part.limit = limit;
	str_copy(in->part.name, sizeof in->part.name, name);
	if (unzLocateFile(uf, name, 2 /* case-insensitive, as OOXML part names */) != UNZ_OK)
		return 1;
	unz_file_info64 info;
	if (unzGetCurrentFileInfo64(uf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return ob_errf(err, OB_EINVALID, "%s: the zip entry %s is damaged", path, name);
	if (info.flag & 1)
		return ob_errf(err, OB_EUSAGE,
			       "%s is encrypted (password-protected); open it in Excel, remove the "
			       "password and save it again",
			       path);
	if (info.compression_method != 0 && info.compression_method != Z_DEFLATED)
		return ob_errf(err, OB_EINVALID,
			       "%s: %s is compressed with a method Excel does not use (%lu); save the "
			       "workbook again from Excel",
			       path, name, (unsigned long)info.compression_method);
	if (info.uncompressed_size > limit)
		return ob_errf(err, OB_EINVALID,
			       "%s: %s would be %llu MiB uncompressed, more than the %llu MiB allowed; "
			       "refusing it (a damaged file or a zip bomb)",
			       path, name, (unsigned long long)(info.uncompressed_size >> 20),
			       limit >> 20);
	if (unzOpenCurrentFile(uf) != UNZ_OK)
		return ob_errf(err, OB_EINVALID, "%s: cannot open %s inside the zip archive", path,
			       name);
	in->part.start = unzGetCurrentFileZStreamPos64(uf);
	in->part.open = true;
	in->xr = xmlReaderForIO(zp_read, zp_close, &in->part, NULL, NULL, XML_OPTIONS);
	if (!in->xr)
		return ob_err_nomem(err);
	xmlTextReaderSetStructuredErrorHandler(in->xr, xml_on_error, in);
	return 0;
}

static void xml_close(struct xml_in *in)
{
	if (in->xr)
		xmlFreeTextReader(in->xr); /* closes the part through zp_close */
	in->xr = NULL;
	zp_close(&in->part);
}

/* The reason a part could not be read, best first: our limits, the zip, XML. */
static int xml_fail(struct xml_in *in, const char *path, struct ob_err *err)
{
	struct zpart *p = &in->part;
	switch (p->fail) {
	case ZP_TOO_BIG:
		return ob_errf(err, OB_EINVALID,
			       "%s: %s is larger than the %llu MiB allowed uncompressed; refusing it "
			       "(a damaged file or a zip bomb)",
			       path, p->name, p->limit >> 20);
	case ZP_RATIO:
		return ob_errf(err, OB_EINVALID,
			       "%s: %s expands more than %llu times its compressed size, which no "
			       "real sheet does; refusing it (a zip bomb?)",
			       path, p->name, XLSX_RATIO_MAX);
	case ZP_ZIP:
		return ob_errf(err, OB_EINVALID,
			       "%s: %s inside the zip archive is damaged (zip error %d); save the "
			       "workbook again from Excel",
			       path, p->name, p->zip_rc);
	default:
		break;
	}
	return ob_errf(err, OB_EINVALID, "%s: %s is not valid XML (%s); save the workbook again "
				      "from Excel",
		       path, p->name, in->xml_msg[0] ? in->xml_msg : "malformed");
}

/* 1 = a node, 0 = the end, or minus an ob_status (err filled). */
static int xml_next(struct xml_in *in, const char *path, struct ob_err *err)
{
	int rc = xmlTextReaderRead(in->xr);
	if (rc < 0 || in->part.fail != ZP_OK)
		return -xml_fail(in, path, err);
	if (rc == 0)
		return 0;
	int t = xmlTextReaderNodeType(in->xr);
	if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE ||
	    t == XML_READER_TYPE_ENTITY)
		return -ob_errf(err, OB_EINVALID,
				"%s: %s declares a DTD or entities (<!DOCTYPE ...>), which no "
				"workbook has; refusing it",
				path, in->part.name);
	return 1;
}

static bool is_elem(struct xml_in *in, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(in->xr);
	return n && strcmp((const char *)n, local) == 0;
}

static int node_type(struct xml_in *in)
{
	return xmlTextReaderNodeType(in->xr);
}

/* An attribute by local name, whatever its prefix (Strict OOXML uses other
 * namespaces than Transitional); NULL when absent. Valid until the next read. */
static const char *attr(struct xml_in *in, const char *local)
{
	const char *v = NULL;
	if (xmlTextReaderMoveToFirstAttribute(in->xr) != 1)
		return NULL;
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(in->xr);
		const xmlChar *pre = xmlTextReaderConstPrefix(in->xr);
		if (n && strcmp((const char *)n, local) == 0 &&
		    !(pre && strcmp((const char *)pre, "xmlns") == 0)) {
			v = (const char *)xmlTextReaderConstValue(in->xr);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(in->xr) == 1);
	xmlTextReaderMoveToElement(in->xr);
	return v;
}

static bool is_text_node(int t)
{
	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* ---- OOXML strings ------------------------------------------------------ */

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static int put_utf8(struct buf *out, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(out, u, n);
}

/* Excel writes characters XML cannot carry (CR, other controls) as _xHHHH_,
 * and a literal "_xHHHH_" with its underscore as _x005F_. Decodes s into out;
 * what is not a valid escape (NUL, a lone surrogate) stays as written. */
static int decode_escapes(const char *s, size_t n, struct buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		int cp;
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_' &&
		    (cp = hex4(s + i + 2)) > 0) {
			unsigned u = (unsigned)cp;
			size_t used = 7;
			if (u >= 0xD800 && u <= 0xDBFF) {
				int lo;
				if (i + 14 <= n && s[i + 7] == '_' && s[i + 8] == 'x' &&
				    s[i + 13] == '_' && (lo = hex4(s + i + 9)) >= 0xDC00 && lo <= 0xDFFF) {
					u = 0x10000 + ((u - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
					used = 14;
				} else {
					u = 0;
				}
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				u = 0;
			}
			if (u) {
				if (put_utf8(out, u) < 0)
					return -1;
				i += used - 1;
				continue;
			}
		}
		if (buf_putc(out, s[i]) < 0)
			return -1;
	}
	return buf_puts(out, "");
}

/* ---- workbook.xml, relationships, shared strings ------------------------ */

static void refs_free(struct sheet_ref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(refs[i].name);
		free(refs[i].rid);
	}
	free(refs);
}

static int read_workbook(struct xlsx_reader *r, struct sheet_ref **out, size_t *nout,
			 struct ob_err *err)
{
	const char *path = r->base.path;
	struct xml_in in;
	struct sheet_ref *refs = NULL;
	size_t n = 0;
	*out = NULL;
	*nout = 0;
	int rc = xml_open(&in, r->uf, path, "xl/workbook.xml", XLSX_PART_MAX, err);
	if (rc == 1)
		return ob_errf(err, OB_EUSAGE,
			       "%s is a zip archive but not an XLSX workbook (it has no "
			       "xl/workbook.xml); save it from Excel as .xlsx",
			       path);
	while (!rc && (rc = xml_next(&in, path, err)) == 1) {
		rc = 0;
		if (node_type(&in) != XML_READER_TYPE_ELEMENT)
			continue;
		if (is_elem(&in, "workbookPr")) {
			const char *d = attr(&in, "date1904");
			r->date1904 = d && (strcmp(d, "1") == 0 || strcasecmp(d, "true") == 0);
			continue;
		}
		if (!is_elem(&in, "sheet"))
			continue;
		if (n == SHEETS_MAX) {
			rc = ob_errf(err, OB_EINVALID, "%s has more than %d sheets", path, SHEETS_MAX);
			break;
		}
		struct sheet_ref *grown = realloc(refs, (n + 1) * sizeof *refs);
		if (!grown) {
			rc = ob_err_nomem(err);
			break;
		}
		refs = grown;
		/* Each value is copied before the next attr(): libxml2 may hand
		 * out a buffer that the next call reuses. */
		const char *v = attr(&in, "name");
		bool missing = !v;
		refs[n].name = ob_strdup(v ? v : "");
		v = attr(&in, "id");
		missing = missing || !v;
		refs[n].rid = ob_strdup(v ? v : "");
		n++;
		if (!refs[n - 1].name || !refs[n - 1].rid)
			rc = ob_err_nomem(err);
		else if (missing)
			rc = ob_errf(err, OB_EINVALID,
				     "%s: xl/workbook.xml lists a sheet without a name or id", path);
	}
	xml_close(&in);
	if (rc < 0)
		rc = -rc;
	if (!rc && n == 0)
		rc = ob_errf(err, OB_EINVALID, "%s has no worksheets", path);
	if (rc) {
		refs_free(refs, n);
		return rc;
	}
	*out = refs;
	*nout = n;
	return 0;
}

/* A relationship target is relative to xl/ (where workbook.xml is) or absolute
 * from the archive root; resolves "." and ".." segments. */
static int resolve_target(const char *target, char *out, size_t n)
{
	char joined[NAME_MAX_LEN * 2];
	if (target[0] == '/')
		snprintf(joined, sizeof joined, "%s", target + 1);
	else
		snprintf(joined, sizeof joined, "xl/%s", target);
	size_t len = 0;
	out[0] = '\0';
	for (char *seg = joined, *next; seg; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		if (!*seg || strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *slash = strrchr(out, '/');
			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
			continue;
		}
		int w = snprintf(out + len, n - len, "%s%s", len ? "/" : "", seg);
		if (w < 0 || (size_t)w >= n - len)
			return -1;
		len += (size_t)w;
	}
	return len ? 0 : -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Finds the part of relationship rid and the shared strings part. */
static int read_rels(struct xlsx_reader *r, const char *rid, char *sheet_part, size_t sn,
		     char *strings_part, size_t stn, struct ob_err *err)
{
	const char *path = r->base.path;
	struct xml_in in;
	sheet_part[0] = '\0';
	str_copy(strings_part, stn, "xl/sharedStrings.xml");
	int rc = xml_open(&in, r->uf, path, "xl/_rels/workbook.xml.rels",
			  XLSX_PART_MAX, err);
	if (rc == 1)
		return ob_errf(err, OB_EINVALID,
			       "%s: xl/_rels/workbook.xml.rels is missing; save the workbook again "
			       "from Excel",
			       path);
	while (!rc && (rc = xml_next(&in, path, err)) == 1) {
		rc = 0;
		if (node_type(&in) != XML_READER_TYPE_ELEMENT || !is_elem(&in, "Relationship"))
			continue;
		const char *mode = attr(&in, "TargetMode");
		if (mode && strcasecmp(mode, "External") == 0)
			continue;
		char id[NAME_MAX_LEN], type[NAME_MAX_LEN], target[NAME_MAX_LEN];
		const char *v;
		str_copy(id, sizeof id, (v = attr(&in, "Id")) ? v : "");
		str_copy(type, sizeof type, (v = attr(&in, "Type")) ? v : "");
		str_copy(target, sizeof target, (v = attr(&in, "Target")) ? v : "");
		if (strcmp(id, rid) == 0) {
			if (!ends_with(type, "/worksheet")) {
				rc = ob_errf(err, OB_EUSAGE,
					     "%s: sheet %s is not a worksheet (a chart or dialog sheet); "
					     "choose a sheet with the rows",
					     path, r->sheet);
				break;
			}
			if (resolve_target(target, sheet_part, sn) < 0) {
				rc = ob_errf(err, OB_EINVALID, "%s: sheet %s has a bad location", path,
					     r->sheet);
				break;
			}
		} else if (ends_with(type, "/sharedStrings")) {
			if (resolve_target(target, strings_part, stn) < 0)
				str_copy(strings_part, stn, "xl/sharedStrings.xml");
		}
	}
	xml_close(&in);
	if (rc < 0)
		rc = -rc;
	if (!rc && !sheet_part[0])
		rc = ob_errf(err, OB_EINVALID,
			     "%s: sheet %s has no part in xl/_rels/workbook.xml.rels; save the "
			     "workbook again from Excel",
			     path, r->sheet);
	return rc;
}

static int add_string(struct xlsx_reader *r, const struct buf *raw, struct ob_err *err)
{
	if (raw->len > XLSX_CELL_MAX)
		return ob_errf(err, OB_EINVALID,
			       "%s: shared string %zu is longer than a cell can be (%zu bytes)",
			       r->base.path, r->nstr, raw->len);
	if (decode_escapes(raw->data ? raw->data : "", raw->len, &r->dec) < 0)
		return ob_err_nomem(err);
	if (r->nstr == r->capstr) {
		size_t cap = r->capstr ? r->capstr * 2 : 1024;
		size_t *grown = realloc(r->soff, cap * sizeof *grown);
		if (!grown)
			return ob_err_nomem(err);
		r->soff = grown;
		r->capstr = cap;
	}
	r->soff[r->nstr++] = r->pool.len;
	if (buf_append(&r->pool, r->dec.data, r->dec.len + 1) < 0)
		return ob_err_nomem(err);
	return 0;
}

/* <si> holds <t> or rich-text runs <r><t>; phonetic guides <rPh><t> are not
 * part of the text. */
static int read_shared_strings(struct xlsx_reader *r, const char *part, struct ob_err *err)
{
	const char *path = r->base.path;
	struct xml_in in;
	struct buf raw = { 0 };
	int rc = xml_open(&in, r->uf, path, part, XLSX_PART_MAX, err);
	if (rc == 1)
		return 0; /* no strings; a t="s" cell will say it is out of range */
	bool in_si = false, in_t = false;
	int rph = 0;
	while (!rc && (rc = xml_next(&in, path, err)) == 1) {
		rc = 0;
		int t = node_type(&in);
		if (t == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(in.xr) == 1;
			if (is_elem(&in, "si")) {
				buf_reset(&raw);
				in_si = !empty;
				if (empty)
					rc = add_string(r, &raw, err);
			} else if (is_elem(&in, "rPh") && !empty) {
				rph++;
			} else if (is_elem(&in, "t") && in_si && !rph) {
				in_t = !empty;
			}
		} else if (t == XML_READER_TYPE_END_ELEMENT) {
			if (is_elem(&in, "si") && in_si) {
				in_si = false;
				rc = add_string(r, &raw, err);
			} else if (is_elem(&in, "rPh") && rph) {
				rph--;
			} else if (is_elem(&in, "t")) {
				in_t = false;
			}
		} else if (in_t && is_text_node(t)) {
			const char *v = (const char *)xmlTextReaderConstValue(in.xr);
			if (v && raw.len <= XLSX_CELL_MAX && buf_puts(&raw, v) < 0)
				rc = ob_err_nomem(err);
		}
	}
	xml_close(&in);
	buf_free(&raw);
	return rc < 0 ? -rc : rc;
}

/* ---- the worksheet ------------------------------------------------------ */

/* "C7" -> column 2 (0-based); -1 when it is not a cell reference. */
static long col_of_ref(const char *ref)
{
	long col = 0;
	size_t i = 0;
	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		col = col * 26 + (ref[i] - 'A' + 1);
		if (col > XLSX_COLS_MAX)
			return -1;
	}
	if (i == 0 || ref[i] < '1' || ref[i] > '9')
		return -1;
	return col - 1;
}

static int row_fail(struct xlsx_reader *r, int code, struct ob_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Remembers a broken file: later calls report the same error. */
static int row_fail(struct xlsx_reader *r, int code, struct ob_err *err, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ob_errf(&r->fail_err, code, "%s", msg);
	r->failed = code;
	if (err)
		*err = r->fail_err;
	return -code;
}

static int grow_cells(struct xlsx_reader *r, size_t n)
{
	if (n <= r->capcells)
		return 0;
	size_t cap = r->capcells ? r->capcells : 64;
	while (cap < n)
		cap *= 2;
	size_t *off = realloc(r->off, cap * sizeof *off);
	if (off)
		r->off = off;
	unsigned char *flags = realloc(r->flags, cap);
	if (flags)
		r->flags = flags;
	char **cells = realloc(r->cells, cap * sizeof *cells);
	if (cells)
		r->cells = cells;
	if (!off || !flags || !cells)
		return -1;
	r->capcells = cap;
	return 0;
}

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE };

static enum cell_type cell_type_of(const char *t)
{
	if (!t || strcmp(t, "n") == 0)
		return CT_NUMBER;
	if (strcmp(t, "s") == 0)
		return CT_SHARED;
	if (strcmp(t, "inlineStr") == 0)
		return CT_INLINE;
	if (strcmp(t, "str") == 0)
		return CT_STR;
	if (strcmp(t, "b") == 0)
		return CT_BOOL;
	if (strcmp(t, "e") == 0)
		return CT_ERROR;
	return CT_DATE; /* "d": an ISO 8601 text */
}

struct cell_state {
	long col;
	enum cell_type type;
	bool formula;
	bool in_v, in_is, in_t;
	int rph;
};

/* Stores the cell just read at its column (gaps before it stay empty). */
static int finish_cell(struct xlsx_reader *r, const struct cell_state *c, size_t row_no,
		       struct ob_err *err)
{
	char letters[16];
	const char *v = r->val.data ? r->val.data : "";
	const char *text = v;
	unsigned char flags = c->formula ? TABLE_CELL_FORMULA : 0;
	table_col_letters((size_t)c->col, letters, sizeof letters);
	switch (c->type) {
	case CT_SHARED: {
		char *end;
		unsigned long long i = strtoull(v, &end, 10);
		if (!*v || *end || i >= r->nstr)
			return row_fail(r, OB_EINVALID, err,
					"%s row %zu, column %s: refers to shared string \"%.20s\", which "
					"does not exist; save the workbook again from Excel",
					r->where, row_no, letters, v);
		text = r->pool.data + r->soff[i];
		break;
	}
	case CT_INLINE:
	case CT_STR:
		if (decode_escapes(v, r->val.len, &r->dec) < 0)
			return -ob_err_nomem(err);
		text = r->dec.data;
		break;
	case CT_BOOL:
		text = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;
		break;
	case CT_ERROR:
		flags |= TABLE_CELL_ERROR;
		break;
	case CT_NUMBER:
		if (*v)
			flags |= TABLE_CELL_NUMBER | (r->date1904 ? TABLE_CELL_DATE1904 : 0);
		break;
	case CT_DATE:
		break;
	}
	size_t col = (size_t)c->col;
	if (grow_cells(r, col + 1) < 0)
		return -ob_err_nomem(err);
	for (size_t i = r->ncells; i <= col; i++) {
		r->off[i] = SIZE_MAX;
		r->flags[i] = 0;
	}
	r->ncells = col + 1;
	r->flags[col] = flags;
	if (*text) {
		size_t len = strlen(text);
		if (r->text.len + len > ROW_TEXT_MAX)
			return row_fail(r, OB_EINVALID, err,
					"%s row %zu: the row holds more than %zu MiB of text", r->where,
					row_no, ROW_TEXT_MAX >> 20);
		r->off[col] = r->text.len;
		if (buf_append(&r->text, text, len + 1) < 0)
			return -ob_err_nomem(err);
	}
	return 0;
}

static int r_next(struct table_reader *tr, struct table_row *row, struct ob_err *err)
{
	struct xlsx_reader *r = (struct xlsx_reader *)tr;
	if (r->failed) {
		if (err)
			*err = r->fail_err;
		return -r->failed;
	}
	if (r->done)
		return 0;
	struct xml_in *in = &r->in;
	bool in_row = false;
	size_t row_no = 0;
	struct cell_state c = { -1, CT_NUMBER, false, false, false, false, 0 };
	bool in_cell = false;
	long next_col = 0;
	int rc;
	while ((rc = xml_next(in, r->base.path, err)) == 1) {
		int t = node_type(in);
		if (t == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(in->xr) == 1;
			if (!in_row && is_elem(in, "row")) {
				const char *rs = attr(in, "r");
				char *end = NULL;
				unsigned long long n = rs ? strtoull(rs, &end, 10) : r->last_row + 1;
				if ((rs && (!*rs || *end)) || n < 1 || n > 1048576)
					return row_fail(r, OB_EINVALID, err,
							"%s: row number \"%.20s\" after row %zu is not valid",
							r->where, rs ? rs : "", r->last_row);
				if (n <= r->last_row)
					return row_fail(r, OB_EINVALID, err,
							"%s: row %llu comes after row %zu; save the workbook "
							"again from Excel",
							r->where, n, r->last_row);
				r->last_row = row_no = (size_t)n;
				if (empty)
					continue; /* a row of formatting only */
				in_row = true;
				r->ncells = 0;
				buf_reset(&r->text);
				next_col = 0;
			} else if (in_row && !in_cell && is_elem(in, "c")) {
				const char *ref = attr(in, "r");
				long col = ref ? col_of_ref(ref) : next_col;
				if (col < 0)
					return row_fail(r, OB_EINVALID, err,
							"%s row %zu: \"%.20s\" is not a cell reference",
							r->where, row_no, ref ? ref : "");
				if (col < next_col)
					return row_fail(r, OB_EINVALID, err,
							"%s row %zu: cell %.20s is out of order; save the "
							"workbook again from Excel",
							r->where, row_no, ref ? ref : "");
				if (col >= XLSX_COLS_MAX)
					return row_fail(r, OB_EINVALID, err,
							"%s row %zu: more than %d columns", r->where, row_no,
							XLSX_COLS_MAX);
				memset(&c, 0, sizeof c);
				c.col = col;
				c.type = cell_type_of(attr(in, "t"));
				next_col = col + 1;
				buf_reset(&r->val);
				if (empty) {
					rc = finish_cell(r, &c, row_no, err);
					if (rc)
						return rc;
				} else {
					in_cell = true;
				}
			} else if (in_cell && !empty) {
				if (is_elem(in, "v"))
					c.in_v = true;
				else if (is_elem(in, "f"))
					c.formula = true;
				else if (is_elem(in, "is"))
					c.in_is = true;
				else if (is_elem(in, "rPh"))
					c.rph++;
				else if (is_elem(in, "t") && c.in_is && !c.rph)
					c.in_t = true;
			} else if (in_cell && is_elem(in, "f")) {
				c.formula = true; /* <f t="shared" si="0"/>: a shared formula */
			}
		} else if (t == XML_READER_TYPE_END_ELEMENT) {
			if (in_cell && is_elem(in, "c")) {
				in_cell = false;
				rc = finish_cell(r, &c, row_no, err);
				if (rc)
					return rc;
			} else if (in_cell) {
				if (is_elem(in, "v"))
					c.in_v = false;
				else if (is_elem(in, "is"))
					c.in_is = false;
				else if (is_elem(in, "rPh") && c.rph)
					c.rph--;
				else if (is_elem(in, "t"))
					c.in_t = false;
			} else if (in_row && is_elem(in, "row")) {
				in_row = false;
				if (!r->ncells)
					continue;
				for (size_t i = 0; i < r->ncells; i++)
					r->cells[i] = r->off[i] == SIZE_MAX ? r->empty
									    : r->text.data + r->off[i];
				row->cells = r->cells;
				row->n = r->ncells;
				row->row_no = row_no;
				row->flags = r->flags;
				return 1;
			} else if (is_elem(in, "sheetData")) {
				r->done = true;
				return 0;
			}
		} else if (in_cell && is_text_node(t) &&
			   (c.in_v || (c.in_is && c.in_t && !c.rph))) {
			const char *v = (const char *)xmlTextReaderConstValue(in->xr);
			if (v && buf_puts(&r->val, v) < 0)
				return -ob_err_nomem(err);
			if (r->val.len > XLSX_CELL_MAX) {
				char letters[16];
				table_col_letters((size_t)c.col, letters, sizeof letters);
				return row_fail(r, OB_EINVALID, err,
						"%s row %zu, column %s: the cell holds more than %zu KiB, "
						"more than Excel allows",
						r->where, row_no, letters, XLSX_CELL_MAX >> 10);
			}
		}
	}
	if (rc < 0) {
		r->failed = -rc;
		if (err)
			r->fail_err = *err;
		return rc;
	}
	r->done = true;
	return 0;
}

static void r_close(struct table_reader *tr)
{
	struct xlsx_reader *r = (struct xlsx_reader *)tr;
	if (!r)
		return;
	xml_close(&r->in);
	if (r->uf)
		unzClose(r->uf);
	buf_free(&r->pool);
	free(r->soff);
	buf_free(&r->text);
	free(r->off);
	free(r->flags);
	free(r->cells);
	buf_free(&r->val);
	buf_free(&r->dec);
	free(r);
}

/* What the file is, by its first bytes, before the zip library sees it. */
static int check_magic(const char *path, struct ob_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ob_errf(err, OB_EUSAGE, "cannot open %s: %s", path, strerror(errno));
	unsigned char b[8];
	size_t n = fread(b, 1, sizeof b, f);
	struct stat st;
	int rc = fstat(fileno(f), &st);
	fclose(f);
	if (rc < 0 || !S_ISREG(st.st_mode))
		return ob_errf(err, OB_EUSAGE, "%s is not a regular file", path);
	if (n == 0)
		return ob_errf(err, OB_EINVALID, "%s: the file is empty", path);
	if (n >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0)
		/* Excel also stores password-protected .xlsx files in this format. */
		return ob_errf(err, OB_EUSAGE,
			       "%s: this is an old .xls workbook (or a password-protected one); open "
			       "it in Excel and save as .xlsx (or CSV), without a password",
			       path);
	if (n < 4 || memcmp(b, "PK\x03\x04", 4) != 0)
		return ob_errf(err, OB_EUSAGE,
			       "%s: not an XLSX file (it is not a zip archive); if it is CSV text, "
			       "give it a .csv name",
			       path);
	return 0;
}

/* name, else the sheet meant by default (prefer, orders, claims, the first);
 * a workbook with one worksheet is read whatever its name. -1 when there is no
 * such sheet. */
static long pick_sheet(const struct sheet_ref *refs, size_t n, const char *name,
		       const char *prefer)
{
	const char *const defaults[] = { prefer ? prefer : "orders", "orders", "claims" };
	if (name) {
		for (size_t i = 0; i < n; i++)
			if (strcasecmp(refs[i].name, name) == 0)
				return (long)i;
		return n == 1 ? 0 : -1;
	}
	for (size_t d = 0; d < 3; d++)
		for (size_t i = 0; i < n; i++)
			if (strcasecmp(refs[i].name, defaults[d]) == 0)
				return (long)i;
	return 0;
}

static int no_sheet_error(const char *path, const char *name, const struct sheet_ref *refs,
			  size_t n, struct ob_err *err)
{
	char list[600];
	size_t len = 0;
	list[0] = '\0';
	for (size_t i = 0; i < n && len < sizeof list - 1; i++) {
		int w = snprintf(list + len, sizeof list - len, "%s\"%s\"", i ? ", " : "",
				 refs[i].name);
		if (w < 0)
			break;
		len += (size_t)w < sizeof list - len ? (size_t)w : sizeof list - len - 1;
	}
	return ob_errf(err, OB_EUSAGE, "%s has no sheet named \"%s\"; its sheets are %s", path, name,
		       list);
}

static int reader_open(const char *path, const char *sheet_name, const char *prefer,
		       struct table_reader **out, struct ob_err *err)
{
	*out = NULL;
	struct xlsx_reader *r = calloc(1, sizeof *r);
	if (!r)
		return ob_err_nomem(err);
	r->base.next = r_next;
	r->base.close = r_close;
	r->base.exact = true;
	if (str_copy(r->base.path, sizeof r->base.path, path) >= sizeof r->base.path) {
		free(r);
		return ob_errf(err, OB_EUSAGE, "%.200s...: file name too long", path);
	}
	struct sheet_ref *refs = NULL;
	size_t nrefs = 0;
	char sheet_part[NAME_MAX_LEN], strings_part[NAME_MAX_LEN];
	int rc = check_magic(path, err);
	if (!rc) {
		r->uf = unzOpen64(path);
		if (!r->uf)
			rc = ob_errf(err, OB_EINVALID,
				     "%s: not an XLSX file (a damaged or incomplete zip archive)", path);
	}
	if (!rc)
		rc = read_workbook(r, &refs, &nrefs, err);
	if (!rc) {
		long i = pick_sheet(refs, nrefs, sheet_name, prefer);
		if (i < 0)
			rc = no_sheet_error(path, sheet_name, refs, nrefs, err);
		else
			str_copy(r->sheet, sizeof r->sheet, refs[i].name);
		if (!rc)
			rc = read_rels(r, refs[i].rid, sheet_part, sizeof sheet_part, strings_part,
				       sizeof strings_part, err);
	}
	refs_free(refs, nrefs);
	snprintf(r->where, sizeof r->where, "%s (sheet %s)", path, r->sheet);
	if (!rc)
		rc = read_shared_strings(r, strings_part, err);
	if (!rc) {
		rc = xml_open(&r->in, r->uf, path, sheet_part, XLSX_SHEET_MAX, err);
		if (rc == 1)
			rc = ob_errf(err, OB_EINVALID,
				     "%s: the part of sheet %s (%s) is missing; save the workbook "
				     "again from Excel",
				     path, r->sheet, sheet_part);
	}
	if (rc) {
		r_close(&r->base);
		return rc;
	}
	*out = &r->base;
	return 0;
}

int xlsx_reader_open(const char *path, const char *sheet_name, struct table_reader **out,
		     struct ob_err *err)
{
	return reader_open(path, sheet_name, NULL, out, err);
}

int xlsx_reader_open_prefer(const char *path, const char *prefer, struct table_reader **out,
			    struct ob_err *err)
{
	return reader_open(path, NULL, prefer, out, err);
}

const char *xlsx_reader_sheet(const struct table_reader *r)
{
	return ((const struct xlsx_reader *)r)->sheet;
}
