/* Reading one sheet into records (see sheet_read.h): find the header row among
 * the first rows, map columns to fields, and check every cell (identifiers Excel
 * damaged, numbers, times, actions), collecting problems per row so that a bad
 * sheet is reported whole instead of stopping at its first error. */
#include "sheet/sheet_read.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/words.h"
#include "sheet/csv.h"
#include "sheet/guard.h"
#include "sheet/xlsx.h"
#include "util/kst.h"
#include "util/str.h"

#define HEADER_SCAN_ROWS 10
#define ID_MAX 256
#define NUMBER_CELL_AVOID                                                                      \
	"do not use Excel's \"Convert to Number\" on identifier cells, and format the column as " \
	"Text before typing or pasting them; export again (-o file.xlsx) to get the value back"

/* A row kept during header detection: cells in one allocation, as read, with
 * the table reader's cell flags at its end (NULL when it had none). */
struct held_row {
	size_t row_no;
	char **cells;
	size_t n;
	unsigned char *flags;
};

struct sheet_reader {
	struct table_reader *t;
	char name[256];
	enum sheet_kind kind;
	struct held_row header;
	int *col_field;
	size_t header_row;
	struct held_row title[HEADER_SCAN_ROWS];
	char **title_cells[HEADER_SCAN_ROWS];
	size_t title_n[HEADER_SCAN_ROWS];
	size_t ntitle;
	struct held_row pending[HEADER_SCAN_ROWS]; /* data rows read while looking for the header */
	size_t npending, next_pending;
	int deferred_rc; /* the file broke during the header search, after the header */
	struct ob_err deferred;
	bool records_for_actions;
	int action_col;  /* the column of the action, or -1 */
	/* Per column: a known column whose cells can have no problem unless the
	 * table reader flags them (text, words, the action): a row without an
	 * action skips them. */
	bool *col_plain;
	enum field_kind *col_kind;
};

/* Copies a row into one block: the pointer array, the strings, then the cell
 * flags when the reader gave any (*flags_out points at them, else NULL). */
static char **copy_cells(const struct table_row *tr, unsigned char **flags_out)
{
	size_t n = tr->n;
	size_t bytes = n * sizeof(char *) + (tr->flags ? n : 0);
	for (size_t i = 0; i < n; i++)
		bytes += strlen(tr->cells[i]) + 1;
	char **out = malloc(bytes ? bytes : 1);
	*flags_out = NULL;
	if (!out)
		return NULL;
	char *p = (char *)(out + n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(tr->cells[i]);
		memcpy(p, tr->cells[i], len + 1);
		out[i] = p;
		p += len + 1;
	}
	if (tr->flags) {
		memcpy(p, tr->flags, n);
		*flags_out = (unsigned char *)p;
	}
	return out;
}

/* Takes the CSV formula guard off; XLSX cells are stored exactly. */
static void decode_cells(const struct sheet_reader *r, char **cells, size_t n)
{
	if (r->t->exact)
		return;
	for (size_t i = 0; i < n; i++)
		if (cells[i][0] == '\'') /* every guard starts so */
			guard_decode(cells[i]);
}

static bool blank_cell(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static size_t count_known(char *const *cells, size_t n, enum sheet_kind kind)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += field_by_header(kind, guard_decoded(cells[i])) >= 0;
	return k;
}

/* Claims when the header names a claim type or status, or any column that only
 * the claims sheet has; orders otherwise. */
static enum sheet_kind detect_kind(char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *h = guard_decoded(cells[i]);
		int c = field_by_header(SHEET_CLAIMS, h);
		if (c == F_CLAIM_TYPE || c == F_CLAIM_STATUS ||
		    (c >= 0 && field_by_header(SHEET_ORDERS, h) < 0))
			return SHEET_CLAIMS;
	}
	return SHEET_ORDERS;
}

/* A value shortened for a message, cut on a UTF-8 character boundary. */
static void shorten(const char *s, char *out, size_t n)
{
	size_t len = strlen(s);
	if (len < n) {
		memcpy(out, s, len + 1);
		return;
	}
	size_t cut = n > 4 ? n - 4 : 0;
	while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	memcpy(out, s, cut);
	memcpy(out + cut, "...", 4);
}

static void held_free(struct held_row *h)
{
	free(h->cells);
	h->cells = NULL;
	h->n = 0;
}

static int map_header(struct sheet_reader *r, struct ob_err *err)
{
	size_t n = r->header.n;
	r->col_field = malloc((n ? n : 1) * sizeof *r->col_field);
	r->col_plain = calloc(n ? n : 1, sizeof *r->col_plain);
	r->col_kind = calloc(n ? n : 1, sizeof *r->col_kind);
	if (!r->col_field || !r->col_plain || !r->col_kind)
		return ob_err_nomem(err);
	r->action_col = -1;
	for (size_t i = 0; i < n; i++) {
		int f = field_by_header(r->kind, r->header.cells[i]);
		r->col_field[i] = f;
		if (f == F_ACTION && r->action_col < 0)
			r->action_col = (int)i;
		if (f >= 0) {
			enum field_kind k = field_def((enum field_id)f)->kind;
			r->col_kind[i] = k;
			r->col_plain[i] = f == F_ACTION || !(field_kind_is_identifier(k) || k == FK_INT ||
							    k == FK_MONEY || k == FK_TIME || k == FK_DATE);
		}
		for (size_t j = 0; f >= 0 && j < i; j++) {
			if (r->col_field[j] != f)
				continue;
			char a[16], b[16], ha[64], hb[64];
			table_col_letters(j, a, sizeof a);
			table_col_letters(i, b, sizeof b);
			shorten(r->header.cells[j], ha, sizeof ha);
			shorten(r->header.cells[i], hb, sizeof hb);
			return ob_errf(err, OB_EINVALID,
				       "%s row %zu: columns %s (\"%s\") and %s (\"%s\") both mean %s; "
				       "delete or rename one of them",
				       r->name, r->header_row, a, ha, b, hb, field_key((enum field_id)f));
		}
	}
	return 0;
}

static int no_header_error(const struct sheet_reader *r, const struct held_row *best,
			   size_t best_score, struct ob_err *err)
{
	char hint[200] = "";
	if (best && best_score == 1) {
		for (size_t i = 0; i < best->n; i++) {
			const char *h = guard_decoded(best->cells[i]);
			if (field_by_header(SHEET_ORDERS, h) >= 0 || field_by_header(SHEET_CLAIMS, h) >= 0) {
				char v[64];
				shorten(h, v, sizeof v);
				snprintf(hint, sizeof hint,
					 " (row %zu has only one known column, \"%s\"; a header needs at "
					 "least two)",
					 best->row_no, v);
				break;
			}
		}
	}
	return ob_errf(err, OB_EINVALID,
		       "%s: no header row found in the first %d rows%s; expected columns such as "
		       "%s, %s, %s, %s, %s or Korean headers %s, %s, %s, %s, %s",
		       r->name, HEADER_SCAN_ROWS, hint, field_key(F_ACTION), field_key(F_ORDER_NO),
		       field_key(F_LINE_NO), field_key(F_COURIER), field_key(F_INVOICE_NO),
		       field_header_ko(F_ACTION), field_header_ko(F_ORDER_NO),
		       field_header_ko(F_LINE_NO), field_header_ko(F_COURIER),
		       field_header_ko(F_INVOICE_NO));
}

/* Reads the first rows and picks the one with the most known column names. */
static int find_header(struct sheet_reader *r, const struct sheet_read_opts *o, struct ob_err *err)
{
	struct held_row held[HEADER_SCAN_ROWS];
	size_t nheld = 0, best = 0, best_score = 0;
	int rc = 0;
	while (nheld < HEADER_SCAN_ROWS) {
		struct table_row tr = { 0 };
		rc = r->t->next(r->t, &tr, &r->deferred);
		if (rc < 0) {
			/* Rows before the break still count: if the header is among
			 * them, the error comes after them, as in a long file. */
			r->deferred_rc = rc;
			break;
		}
		if (rc == 0)
			break;
		held[nheld].row_no = tr.row_no;
		held[nheld].n = tr.n;
		held[nheld].cells = copy_cells(&tr, &held[nheld].flags);
		if (!held[nheld].cells) {
			rc = ob_err_nomem(err);
			goto out;
		}
		nheld++;
	}
	for (size_t i = 0; i < nheld; i++) {
		size_t score;
		if (o->kind == SHEET_ORDERS || o->kind == SHEET_CLAIMS) {
			score = count_known(held[i].cells, held[i].n, (enum sheet_kind)o->kind);
		} else {
			size_t so = count_known(held[i].cells, held[i].n, SHEET_ORDERS);
			size_t sc = count_known(held[i].cells, held[i].n, SHEET_CLAIMS);
			score = so > sc ? so : sc;
		}
		if (score > best_score) {
			best_score = score;
			best = i;
		}
	}
	if (best_score < 2) {
		if (r->deferred_rc) {
			if (err)
				*err = r->deferred;
			rc = r->deferred_rc;
		} else {
			rc = no_header_error(r, nheld ? &held[best] : NULL, best_score, err);
		}
		goto out;
	}
	r->kind = o->kind == SHEET_ORDERS || o->kind == SHEET_CLAIMS
			  ? (enum sheet_kind)o->kind
			  : detect_kind(held[best].cells, held[best].n);
	for (size_t i = 0; i < best; i++) {
		decode_cells(r, held[i].cells, held[i].n);
		r->title[i] = held[i];
		r->title_cells[i] = held[i].cells;
		r->title_n[i] = held[i].n;
		held[i].cells = NULL;
	}
	r->ntitle = best;
	decode_cells(r, held[best].cells, held[best].n);
	r->header = held[best];
	r->header_row = held[best].row_no;
	held[best].cells = NULL;
	for (size_t i = best + 1; i < nheld; i++) {
		r->pending[r->npending++] = held[i];
		held[i].cells = NULL;
	}
	rc = map_header(r, err);
out:
	for (size_t i = 0; i < nheld; i++)
		held_free(&held[i]);
	return rc < 0 ? -rc : rc;
}

int sheet_reader_open_table(struct table_reader *t, const char *display_name,
			    const struct sheet_read_opts *o, struct sheet_reader **out,
			    struct ob_err *err)
{
	static const struct sheet_read_opts defaults = { ENC_AUTO, 0, NULL };
	*out = NULL;
	struct sheet_reader *r = calloc(1, sizeof *r);
	if (!r) {
		t->close(t);
		return ob_err_nomem(err);
	}
	r->t = t;
	str_copy(r->name, sizeof r->name, display_name ? display_name : t->path);
	int rc = find_header(r, o ? o : &defaults, err);
	if (rc) {
		sheet_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int sheet_reader_open(const char *path, const struct sheet_read_opts *o, struct sheet_reader **out,
		      struct ob_err *err)
{
	*out = NULL;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (ends_with_ci(path, ".xls"))
		return ob_errf(err, OB_EUSAGE,
			       "%s: old .xls format: open it in Excel and save as .xlsx or CSV", path);
	if (ends_with_ci(path, ".xlsx") || ends_with_ci(path, ".xlsm")) {
		/* No sheet named: the one of the kind asked for when there is one,
		 * else the reader's default (orders, claims, the first one). */
		const char *prefer = o && o->kind == SHEET_ORDERS ? sheet_name(SHEET_ORDERS) :
				     o && o->kind == SHEET_CLAIMS ? sheet_name(SHEET_CLAIMS) : NULL;
		struct table_reader *t;
		int rc = o && o->xlsx_sheet ? xlsx_reader_open(path, o->xlsx_sheet, &t, err)
					    : xlsx_reader_open_prefer(path, prefer, &t, err);
		if (rc)
			return rc;
		char name[sizeof ((struct sheet_reader *)0)->name];
		snprintf(name, sizeof name, "%.150s (sheet %.90s)", base, xlsx_reader_sheet(t));
		return sheet_reader_open_table(t, name, o, out, err);
	}
	/* .csv, .txt, .tsv, and anything else: CSV, whose reader recognizes and
	 * names workbooks and other binary files that carry the wrong name. */
	struct table_reader *t;
	int rc = csv_reader_open(path, o ? o->encoding : ENC_AUTO, &t, err);
	if (rc)
		return rc;
	return sheet_reader_open_table(t, base, o, out, err);
}

enum sheet_kind sheet_reader_kind(const struct sheet_reader *r)
{
	return r->kind;
}

size_t sheet_reader_ncols(const struct sheet_reader *r)
{
	return r->header.n;
}

const char *sheet_reader_header(const struct sheet_reader *r, size_t col)
{
	return col < r->header.n ? r->header.cells[col] : "";
}

int sheet_reader_col_field(const struct sheet_reader *r, size_t col)
{
	return col < r->header.n ? r->col_field[col] : -1;
}

size_t sheet_reader_header_row(const struct sheet_reader *r)
{
	return r->header_row;
}

size_t sheet_reader_title_rows(const struct sheet_reader *r, char ****rows, size_t **ncells)
{
	*rows = (char ***)r->title_cells;
	*ncells = (size_t *)r->title_n;
	return r->ntitle;
}

const char *sheet_reader_name(const struct sheet_reader *r)
{
	return r->name;
}

static int add_issue(const struct sheet_reader *r, struct sheet_row *row, size_t col, int field,
		     bool fatal, const char *problem)
{
	struct sheet_issue *is = realloc(row->issues, (row->nissues + 1) * sizeof *is);
	if (!is)
		return -1;
	row->issues = is;
	is += row->nissues++;
	is->col = col;
	is->field = field;
	is->fatal = fatal;
	/* Formatted in a growing buffer, then cut to the issue's size on purpose
	 * (a message longer than that is still the same message). */
	struct buf m = BUF_INIT;
	int rc = buf_printf(&m, "%s row %zu, column %s: %s", r->name, row->row_no,
			    field >= 0 ? field_key((enum field_id)field) : sheet_reader_header(r, col), problem);
	str_copy(is->msg, sizeof is->msg, buf_cstr(&m));
	buf_free(&m);
	return rc;
}

/* Whole numbers: optional sign, digits, optionally in thousands groups
 * ("12,000", as Excel's number format shows money). */
static int parse_whole(const char *s, int64_t *out)
{
	char digits[32];
	size_t n = 0;
	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+')
		digits[n++] = *s++;
	size_t first = strspn(s, "0123456789");
	if (!first)
		return -1;
	bool grouped = s[first] == ',';
	if (grouped && first > 3)
		return -1;
	for (;;) {
		size_t run = strspn(s, "0123456789");
		if (n + run >= sizeof digits)
			return -1;
		memcpy(digits + n, s, run);
		n += run;
		s += run;
		if (*s != ',')
			break;
		s++;
		if (strspn(s, "0123456789") != 3)
			return -1;
	}
	while (*s == ' ')
		s++;
	if (*s)
		return -1;
	digits[n] = '\0';
	return str_to_i64(digits, out);
}

/* Excel shows dates its own way when it re-saves a CSV: 2024/3/5 9:05 or
 * 2024.03.05. Rewrites those to 2024-03-05 09:05 for kst_parse. */
static void excel_date_to_iso(const char *s, char *out, size_t n)
{
	int y, m, d, used = 0;
	char sep1, sep2;
	if (sscanf(s, "%4d%c%2d%c%2d%n", &y, &sep1, &m, &sep2, &d, &used) == 5 && used >= 8 &&
	    sep1 == sep2 && (sep1 == '-' || sep1 == '/' || sep1 == '.') && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[used - 1]) && m > 0 && d > 0) {
		const char *rest = s + used;
		if (*rest == '.' && sep1 == '.')
			rest++; /* "2024.03.05." */
		if ((rest[0] == ' ' || rest[0] == 'T') && isdigit((unsigned char)rest[1]) && rest[2] == ':')
			snprintf(out, n, "%04d-%02d-%02d%c0%s", y, m, d, rest[0], rest + 1);
		else
			snprintf(out, n, "%04d-%02d-%02d%s", y, m, d, rest);
		return;
	}
	str_copy(out, n, s);
}

/* True when s is already "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD" for a date)
 * with fields in range: what the export writes, so most cells of a sheet
 * being imported. kst_parse + kst_format would give it back unchanged. */
static bool already_normal(const char *s, bool date_only)
{
	static const char pat[] = "dddd-dd-dd dd:dd:dd";
	size_t n = date_only ? 10 : sizeof pat - 1;
	for (size_t i = 0; i < n; i++)
		if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
			return false;
	if (s[n] != '\0')
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1971 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return false;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	if (date_only)
		return true;
	int h = (s[11] - '0') * 10 + (s[12] - '0'), mi = (s[14] - '0') * 10 + (s[15] - '0');
	int se = (s[17] - '0') * 10 + (s[18] - '0');
	return h < 24 && mi < 60 && se < 60;
}

static int normalize_time(const char *s, bool date_only, char *out)
{
	if (already_normal(s, date_only)) {
		memcpy(out, s, date_only ? 11 : 20);
		return 0;
	}
	char trimmed[64], iso[80];
	if (strlen(s) >= sizeof trimmed)
		return -1;
	str_copy(trimmed, sizeof trimmed, s);
	str_trim(trimmed);
	excel_date_to_iso(trimmed, iso, sizeof iso);
	ob_time t;
	if (kst_parse(iso, &t) < 0)
		return -1;
	kst_format(t, out);
	if (date_only)
		out[10] = '\0';
	return 0;
}

static void action_words(enum sheet_kind kind, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		if ((kind == SHEET_ORDERS) != (action_on_orders((enum action)a) != 0))
			continue;
		int w = snprintf(out + len, n - len, "%s%s (%s)", len ? ", " : "",
				 action_word((enum action)a), action_ko((enum action)a));
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

/* An identifier in a number cell (XLSX): Excel keeps 15 significant digits,
 * so only a whole number of at most 15 digits is certainly the identifier;
 * then out gets its digits. Else -1 and msg says what happened. */
static int number_cell_digits(const char *s, char *out, size_t n, char *msg, size_t msg_n)
{
	char digits[32];
	size_t nd = 0, total = 0; /* significant digits kept / seen */
	long point = 0;           /* significant digits before the decimal point */
	const char *p = s;
	bool neg = *p == '-', seen_point = false, any = false;
	if (*p == '-' || *p == '+')
		p++;
	for (;; p++) {
		if (*p == '.' && !seen_point) {
			seen_point = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		any = true;
		if (!total && *p == '0') {
			point -= seen_point; /* 0.00123: leading zeros after the point */
			continue;
		}
		if (nd < sizeof digits - 1)
			digits[nd++] = *p;
		total++;
		point += !seen_point;
	}
	long exp10 = 0;
	if (any && (*p == 'E' || *p == 'e')) {
		char *end;
		exp10 = strtol(p + 1, &end, 10);
		if (end == p + 1 || exp10 > 400 || exp10 < -400)
			any = false;
		p = end;
	}
	if (!any || *p) {
		snprintf(msg, msg_n, "the number cell \"%.40s\" cannot be read", s);
		return -1;
	}
	while (total && nd == total && digits[nd - 1] == '0') {
		nd--; /* 12000 is 12 followed by zeros: only the place of the point matters */
		total--;
	}
	long where = point + exp10; /* digits of the whole part */
	if (!total) {
		str_copy(out, n, "0");
		return 0;
	}
	if (where > 15) {
		snprintf(msg, msg_n,
			 "Excel stored this identifier as a number (%.40s) and keeps only 15 digits, "
			 "so its last digits are lost and cannot be recovered; " NUMBER_CELL_AVOID,
			 s);
		return -1;
	}
	if (neg || (long)total > where) {
		snprintf(msg, msg_n,
			 "%.40s is a number with a %s, which no identifier has: the cell was changed "
			 "into a number; " NUMBER_CELL_AVOID,
			 s, neg ? "minus sign" : "decimal point");
		return -1;
	}
	if ((size_t)where + 1 > n) {
		snprintf(msg, msg_n, "internal error: no room for the identifier");
		return -1;
	}
	memcpy(out, digits, nd);
	memset(out + nd, '0', (size_t)where - nd);
	out[where] = '\0';
	return 0;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	/* Howard Hinnant's days -> civil date, z = days since 1970-01-01. */
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A date typed into an XLSX cell is a day number (1 = 1900-01-01, or
 * 1904-01-02 in old Mac workbooks) with the time as a fraction. Parsed by
 * hand: strtod would depend on the locale. */
static int serial_to_text(const char *s, bool date1904, char *out, size_t n)
{
	long long days = 0;
	double frac = 0, scale = 0.1;
	const char *p = s;
	if (!(*p >= '0' && *p <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		days = days * 10 + (*p - '0');
		if (days > 2958465) /* 9999-12-31 */
			return -1;
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	if (*p || days < 1)
		return -1;
	long long secs = (long long)(frac * 86400 + 0.5);
	if (secs >= 86400) {
		secs -= 86400;
		days++;
	}
	/* 1900 system: serial 25569 is 1970-01-01 (Excel's fictitious 1900-02-29
	 * shifts the days before March 1900, which no order has). */
	days += date1904 ? 1462 : 0;
	int y, m, d;
	civil_from_days(days - 25569, &y, &m, &d);
	int sod = (int)secs;
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, sod / 3600, sod / 60 % 60,
		 sod % 60);
	return 0;
}

/* Puts one known cell into the record, or an issue into the row. Returns -1
 * only when memory runs out. */
/* An identifier cell that guard_check_id would keep exactly as it is: no
 * surrounding spaces, no ="..." or guard, none of the characters of Excel's
 * number shapes (E , .), not a zip code or phone number that may have lost a
 * leading zero. Most identifier cells; the check is a few compares. */
static bool id_as_is(enum field_kind kind, const char *s)
{
	if (s[0] == ' ' || s[0] == '=' || s[0] == '\'')
		return false;
	bool digits = true;
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (c >= '0' && c <= '9')
			continue;
		digits = false;
		if (c == ' ' || c == 'E' || c == 'e' || c == ',' || c == '.')
			return false;
	}
	if (n >= ID_MAX)
		return false;
	return !(digits && ((kind == FK_ZIP && n == 4) || kind == FK_PHONE));
}

/* A whole number in the form record_set_i64 writes: 0, or an optional minus
 * and up to 18 digits without a leading zero. */
static bool whole_as_is(const char *s)
{
	if (s[0] == '0')
		return s[1] == '\0';
	if (s[0] == '-')
		s++;
	if (!(s[0] >= '1' && s[0] <= '9'))
		return false;
	size_t n = 1;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return s[n] == '\0' && n <= 18;
}

/* Puts one known cell into the record (when keep), or an issue into the row. */
static int set_field(struct sheet_row *row, enum field_id f, const char *v, bool keep)
{
	return keep ? record_set(&row->rec, f, v) : 0;
}

static int map_cell(const struct sheet_reader *r, struct sheet_row *row, size_t col,
		    enum field_id f, const char *raw, unsigned char flags, bool keep)
{
	const struct field_def *d = field_def(f);
	char problem[448], shown[64];
	const char *v = r->t->exact ? raw : guard_decoded(raw);
	char digits[ID_MAX], serial[64];
	if (flags & TABLE_CELL_ERROR) {
		shorten(v, shown, sizeof shown);
		snprintf(problem, sizeof problem,
			 "the cell shows the error %s (a formula that failed); correct or clear it",
			 shown);
		return add_issue(r, row, col, (int)f, true, problem);
	}
	if (flags & TABLE_CELL_FORMULA) {
		shorten(v, shown, sizeof shown);
		snprintf(problem, sizeof problem,
			 "the cell is a formula; its value when the file was last saved, \"%s\", was "
			 "used (formulas are not recalculated); to be sure, paste it as a value",
			 shown);
		if (add_issue(r, row, col, (int)f, false, problem) < 0)
			return -1;
	}
	if ((flags & TABLE_CELL_NUMBER) && field_kind_is_identifier(d->kind)) {
		if (number_cell_digits(v, digits, sizeof digits, problem, sizeof problem) < 0)
			return add_issue(r, row, col, (int)f, true, problem);
		raw = v = digits;
	}
	if ((flags & TABLE_CELL_NUMBER) && (d->kind == FK_TIME || d->kind == FK_DATE) &&
	    serial_to_text(v, (flags & TABLE_CELL_DATE1904) != 0, serial, sizeof serial) == 0)
		v = serial;
	switch (d->kind) {
	case FK_ID:
	case FK_PHONE:
	case FK_ZIP: {
		if (id_as_is(d->kind, raw))
			return set_field(row, f, raw, keep);
		char fixed[ID_MAX];
		/* The check sees the stored form (maybe ="..."); the guard comes
		 * off after, exactly once. */
		enum id_verdict vd = guard_check_id(d->kind, raw, fixed, sizeof fixed, problem,
						    sizeof problem);
		if (vd == ID_MANGLED)
			return add_issue(r, row, col, (int)f, true, problem);
		if (vd == ID_FIXED && add_issue(r, row, col, (int)f, false, problem) < 0)
			return -1;
		if (!r->t->exact)
			guard_decode(fixed);
		return set_field(row, f, fixed, keep);
	}
	case FK_INT:
	case FK_MONEY: {
		int64_t n;
		if (whole_as_is(v))
			return set_field(row, f, v, keep);
		if (blank_cell(v))
			return 0;
		if (parse_whole(v, &n) == 0)
			return keep ? record_set_i64(&row->rec, f, n) : 0;
		shorten(v, shown, sizeof shown);
		snprintf(problem, sizeof problem,
			 "\"%s\" is not a whole number; write digits only, such as 12000", shown);
		return add_issue(r, row, col, (int)f, true, problem);
	}
	case FK_TIME:
	case FK_DATE: {
		char t[KST_TEXT_LEN];
		if (blank_cell(v))
			return 0;
		if (normalize_time(v, d->kind == FK_DATE, t) == 0)
			return set_field(row, f, t, keep);
		shorten(v, shown, sizeof shown);
		snprintf(problem, sizeof problem, "\"%s\" is not a %s; write it as %s", shown,
			 d->kind == FK_DATE ? "date" : "date and time",
			 d->kind == FK_DATE ? "YYYY-MM-DD" : "YYYY-MM-DD HH:MM:SS");
		return add_issue(r, row, col, (int)f, true, problem);
	}
	default:
		break;
	}
	if (f == F_ACTION) {
		int a = action_parse(v);
		if (a >= 0)
			return set_field(row, f, action_word((enum action)a), keep);
		char words[256];
		action_words(r->kind, words, sizeof words);
		shorten(v, shown, sizeof shown);
		snprintf(problem, sizeof problem,
			 "unknown action \"%s\"; on the %s sheet use %s, or leave it blank", shown,
			 sheet_name(r->kind), words);
		return add_issue(r, row, col, (int)f, true, problem);
	}
	return set_field(row, f, v, keep);
}

static void row_reset(struct sheet_row *row, enum sheet_kind kind)
{
	if (!row->cells_borrowed)
		free(row->cells);
	row->cells = NULL;
	row->cells_borrowed = false;
	row->no_record = false;
	row->ncells = 0;
	free(row->issues);
	row->issues = NULL;
	row->nissues = 0;
	row->blank = false;
	row->row_no = 0;
	if (row->rec.sheet != kind) {
		record_free(&row->rec);
		record_init(&row->rec, kind);
	} else {
		record_clear(&row->rec);
	}
}

static int fill_row(struct sheet_reader *r, struct sheet_row *row, char **cells,
		    const unsigned char *flags, size_t n, size_t row_no, struct ob_err *err)
{
	row->cells = cells;
	row->ncells = n;
	row->row_no = row_no;
	row->blank = true;
	for (size_t i = 0; i < n && row->blank; i++)
		row->blank = blank_cell(cells[i]);
	if (!row->blank) {
		bool keep = true;
		if (r->records_for_actions) {
			/* Without an action the row is only checked. A cell with
			 * flags (an error value, a formula) takes the long way. */
			int ac = r->action_col;
			if (ac < 0 || (size_t)ac >= n)
				keep = false;
			else if (!(flags && flags[ac]))
				keep = action_parse(r->t->exact ? cells[ac] : guard_decoded(cells[ac])) != ACT_NONE;
			row->no_record = !keep;
		}
		for (size_t i = 0; i < n && i < r->header.n; i++) {
			int f = r->col_field[i];
			if (f < 0)
				continue;
			unsigned char fl = flags ? flags[i] : 0;
			const char *c = cells[i];
			int rc;
			/* The common cells without map_cell's detours: text (taken as
			 * it is, less a guard), identifiers already in their form. */
			if (fl)
				rc = map_cell(r, row, i, (enum field_id)f, c, fl, keep);
			else if (r->col_plain[i] && f != F_ACTION)
				rc = keep ? record_set(&row->rec, (enum field_id)f,
						       c[0] == '\'' && !r->t->exact ? guard_decoded(c) : c) : 0;
			else if (!keep && r->col_plain[i])
				rc = 0;
			else if (field_kind_is_identifier(r->col_kind[i]) && id_as_is(r->col_kind[i], c))
				rc = keep ? record_set(&row->rec, (enum field_id)f, c) : 0;
			else
				rc = map_cell(r, row, i, (enum field_id)f, c, fl, keep);
			if (rc < 0)
				return -ob_err_nomem(err);
		}
	}
	decode_cells(r, cells, n);
	return 1;
}

int sheet_reader_next(struct sheet_reader *r, struct sheet_row *row, struct ob_err *err)
{
	row_reset(row, r->kind);
	if (r->next_pending < r->npending) {
		struct held_row *h = &r->pending[r->next_pending++];
		char **cells = h->cells;
		h->cells = NULL;
		return fill_row(r, row, cells, h->flags, h->n, h->row_no, err);
	}
	if (r->deferred_rc) {
		if (err)
			*err = r->deferred;
		return r->deferred_rc;
	}
	struct table_row tr = { 0 };
	int rc = r->t->next(r->t, &tr, err);
	if (rc <= 0)
		return rc;
	/* The reader's cells stay valid (and ours to change) until its next
	 * row, which is also when this row ends: no copy. */
	row->cells_borrowed = true;
	return fill_row(r, row, tr.cells, tr.flags, tr.n, tr.row_no, err);
}

void sheet_reader_records_for_actions(struct sheet_reader *r)
{
	r->records_for_actions = true;
}

void sheet_reader_close(struct sheet_reader *r)
{
	if (!r)
		return;
	if (r->t)
		r->t->close(r->t);
	held_free(&r->header);
	for (size_t i = 0; i < r->ntitle; i++)
		held_free(&r->title[i]);
	for (size_t i = 0; i < r->npending; i++)
		held_free(&r->pending[i]);
	free(r->col_field);
	free(r->col_plain);
	free(r->col_kind);
	free(r);
}

void sheet_row_init(struct sheet_row *row)
{
	memset(row, 0, sizeof *row);
	record_init(&row->rec, SHEET_ORDERS);
}

void sheet_row_free(struct sheet_row *row)
{
	if (!row->cells_borrowed)
		free(row->cells);
	free(row->issues);
	record_free(&row->rec);
	memset(row, 0, sizeof *row);
}
