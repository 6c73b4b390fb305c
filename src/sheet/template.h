/* Sheet templates (templates/NAME.ini, parsed with inih): which columns a sheet
 * has, in which order, under which headers, and where each value comes from.
 *
 * Output templates shape what `export --template NAME` writes (the unified
 * sheets with Korean headers, a courier's booking upload, the accounting
 * sheet); input templates say which column of someone else's file holds what
 * (a courier's result file, read by `import FILE --template NAME`).
 *
 * The format (templates/README.md has the long version):
 *
 *   ; comment
 *   [template]
 *   description    = CJ대한통운 CNPlus 일괄등록
 *   kind           = output          ; output | courier-result
 *   rows           = bundle          ; output: line (default) | bundle (one row per box)
 *   encoding       = cp949           ; CSV output: utf8-bom (default) | utf8 | cp949
 *   status         = PAID,PREPARING  ; output: default for export --status
 *   personal       = no              ; no: refuse columns with personal data
 *   skip_cancelled = yes             ; output: leave out lines whose whole qty is cancelled
 *   courier        = CJ대한통운       ; courier-result: who sent the file
 *
 *   [orders]                         ; output: the orders sheet, one line a column,
 *   받는분성명   = {receiver_name} | max_bytes=30     ; in file order
 *   받는분주소   = {address1} {address2} | oneline
 *   박스수량     = 1
 *   운송장번호   =
 *   [claims]                         ; output: the claims sheet (optional)
 *   ...
 *   [columns]                        ; courier-result: header = {field}
 *   운송장번호   = {invoice_no}
 *   고객주문번호 = {line_key}
 *
 * A column line is HEADER = VALUE [| TRANSFORM]...  VALUE is fixed text with
 * {field} placeholders ({{ and }} for literal braces); a field is a unified
 * column key (model/field.h) or a computed field (enum tpl_computed). In a
 * bundle row a number field is the sum over the bundle's lines, any other
 * field the first line's value. TRANSFORMs, applied in the order written:
 * digits, phone, oneline, cp949 (drop characters CP949 has no form for, such
 * as emoji a buyer typed), max_len=N (characters), max_bytes=N (CP949 bytes:
 * Hangul counts 2, as Korean courier systems count).
 * An input column's VALUE is one {field}; several columns may name the same
 * field (alternatives: the first non-empty cell counts), and columns the
 * template does not name are ignored. Headers are matched exactly (spaces at
 * the ends ignored), the header row is found in the first 10 rows.
 * inih rules apply: a line is at most 199 bytes, " ;" starts a comment, a
 * header cannot hold '=' or ':', and lines must not be indented (an indented
 * line would continue the one above; it is refused).
 *
 * Lookup of NAME: $XDG_CONFIG_HOME/orderbridge/templates/NAME.ini (the user's
 * own, which override shipped ones), then the source tree's templates/ (an
 * uninstalled build), then the installed ${datadir}/orderbridge/templates. A
 * NAME with a '/' or ending in .ini is a file path. */
#ifndef OB_SHEET_TEMPLATE_H
#define OB_SHEET_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/field.h"
#include "model/record.h"
#include "sheet/encoding.h"
#include "util/buf.h"
#include "util/err.h"

enum tpl_kind {
	TPL_OUTPUT = 1,
	TPL_COURIER_RESULT,
};

enum tpl_rows {
	TPL_ROWS_LINE = 0,
	TPL_ROWS_BUNDLE, /* one row per (market, account, bundle_no): a courier's box */
};

/* Computed fields, numbered after the registry's. */
enum tpl_computed {
	TF_LINE_KEY = 100, /* our line key (see template_line_key) */
	TF_NET_QTY,        /* qty - cancel_qty */
	TF_NET_AMOUNT,     /* paid_amount for the quantity not cancelled (template_net_amount) */
	TF_VAT,            /* 부가세 in net_amount (template_vat) */
	TF_SUPPLY,         /* 공급가액: net_amount - vat */
	TF_DATE,           /* paid_at's day (ordered_at when unpaid), YYYY-MM-DD */
	TF_ITEMS,          /* "상품명 옵션 x2" per line, " / " between lines */
	TF_LINES,          /* number of lines in the row */
	TF__END
};

/* Transforms. */
#define TX_DIGITS 0x1u
#define TX_PHONE 0x2u
#define TX_ONELINE 0x4u
#define TX_CP949 0x8u /* drop characters CP949 cannot write (emoji) */

struct tpl_part {
	int field;  /* enum field_id, enum tpl_computed, or -1: text */
	char *text; /* fixed text when field < 0 */
};

struct tpl_tx {
	unsigned op;   /* TX_* or 0 for a limit */
	size_t max_len, max_bytes;
};

struct tpl_column {
	char *header;
	struct tpl_part *parts;
	size_t nparts;
	struct tpl_tx *tx;
	size_t ntx;
	enum field_kind kind; /* of the cell: the field's kind for a lone field, else text */
	int line;             /* in the template file */
};

struct tpl_sheet {
	struct tpl_column *cols;
	size_t n;
};

struct template_def {
	char name[64];
	char path[4096];
	char description[256];
	enum tpl_kind kind;
	enum tpl_rows rows;
	enum text_encoding encoding; /* ENC_AUTO = the CSV default (UTF-8 with BOM) */
	char status[128];            /* default --status ("" = export's default) */
	bool personal;               /* personal data allowed (default yes) */
	bool skip_cancelled;
	char courier[64];            /* courier-result: the courier's name */
	/* Indexed by enum sheet_kind; courier-result templates use [SHEET_ORDERS]
	 * for their [columns]. */
	struct tpl_sheet sheets[SHEET_CLAIMS + 1];
};

/* Parses a template file. name NULL = the file's base name without .ini. On
 * failure err names the file and line of the first problem; *all (if not
 * NULL) gets every problem, one line each. */
int template_parse_file(const char *path, const char *name, struct template_def **out, struct buf *all,
			struct ob_err *err);
/* Parses INI text (tests; path names it in messages). */
int template_parse_text(const char *text, const char *path, const char *name, struct template_def **out,
			struct buf *all, struct ob_err *err);
/* Finds NAME (see the lookup above) and parses it. */
int template_load(const char *name, struct template_def **out, struct ob_err *err);
void template_free(struct template_def *t);

/* The template directories, in lookup order (user's first); fills up to max
 * entries of out (each PATH_MAX long) and returns the count. */
size_t template_dirs(char (*out)[4096], size_t max);
/* Calls fn for each NAME.ini found, first in lookup order per name, sorted by
 * name; shadowed is the path of a shipped template a user's one overrides. */
int template_each(int (*fn)(void *ctx, const char *name, const char *path, const char *shadowed), void *ctx,
		  struct ob_err *err);

bool template_has_sheet(const struct template_def *t, enum sheet_kind s);
const char *template_kind_word(enum tpl_kind k);
/* Name of a field or computed field ("receiver_name", "line_key"), or NULL. */
const char *template_field_name(int field);
int template_field_parse(const char *name); /* -1 when unknown */
/* True when the sheets of an output template read back as unified sheets
 * (every column one field, under a header the sheet reader knows: ko);
 * else why says which column does not. */
bool template_is_unified(const struct template_def *t, char *why, size_t n);
/* The field behind an input template's columns ([columns]), or -1. */
int template_input_field(const struct template_def *t, size_t col);

/* ---- rendering (template_map.c) ---- */

/* Appends column col of sheet s for the lines (1 for a line row, the lines of a
 * bundle for a bundle row) to out, transforms applied. */
int template_render(const struct template_def *t, enum sheet_kind s, size_t col, const struct record *const *lines,
		    size_t nlines, struct buf *out, struct ob_err *err);
/* The value of one field (registry or computed) over lines, no transforms. */
int template_field_value(int field, const struct record *const *lines, size_t nlines, struct buf *out,
			 struct ob_err *err);
/* Applies the transforms of a column to a value in place (exposed for tests). */
int template_apply_tx(const struct tpl_column *c, struct buf *v, struct ob_err *err);
/* Formats a phone number with dashes (02-123-4567, 010-1234-5678,
 * 0505-123-4567, 1588-1234); text that is not a Korean number stays as it is. */
void template_phone_dashes(const char *in, char *out, size_t n);

/* The line key carried through a courier's booking and result files:
 *   <market letter><order_no>-<line_no>   e.g. C22000009546234-3242596358
 * C = coupang, E = 11st, N = smartstore. A letter first, so Excel never reads
 * it as a number; at most TPL_KEY_MAX characters; order_no and line_no may
 * hold letters, digits and '_' only. Returns 0, or -1 when the line has no
 * market/order/line or they hold other characters (why says which). */
#define TPL_KEY_MAX 48
int template_line_key(const struct record *r, char *out, size_t n, char *why, size_t why_n);
struct tpl_key {
	const char *market; /* market_ops name */
	char order_no[TPL_KEY_MAX];
	char line_no[TPL_KEY_MAX];
};
/* Parses a key (spaces at the ends ignored, market letter in either case).
 * 1 = our key, 0 = not ours (blank, or another shape). */
int template_key_parse(const char *s, struct tpl_key *k);

/* VAT in a VAT-inclusive amount (공급대가), in won: amount/11 with the part
 * below one won dropped (원 미만 절사, toward zero, so a refund reverses the same
 * tax); 공급가액 = amount - VAT, so the two always add up. */
int64_t template_vat(int64_t amount);
/* paid_amount for the quantity not cancelled: all of it when nothing is
 * cancelled, 0 when everything is, else the goods part (paid - shipping fee)
 * times net/qty, rounded down, plus the shipping fee. */
int64_t template_net_amount(int64_t paid, int64_t shipping_fee, int64_t qty, int64_t cancel_qty);

#endif
