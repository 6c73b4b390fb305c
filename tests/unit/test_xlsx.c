/* XLSX writer and reader: full round trips of tricky records through book and
 * sheet_read (Hangul, emoji, 16-18 digit ids, leading-zero zip codes,
 * formula-like text, negative money, empty cells, CR/LF, OOXML escapes); the
 * cell types written; workbooks made by hand as Excel makes them (shared and
 * rich strings, phonetic runs, formulas, number cells in id columns, date
 * numbers, gaps, title rows, extra columns); hostile and wrong files (zip
 * bombs, oversized parts, XXE, billion laughs, .xls, not a zip); the result
 * workbook of an import.
 *
 * Run with "--write FILE" or "--dump FILE [SHEET]" it is the helper of
 * tests/integration/xlsx_libreoffice.sh instead (see main). */
#include "sheet_test_util.h"

#include <minizip/zip.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include "model/words.h"
#include "plan/plan.h"
#include "sheet/book.h"
#include "sheet/sheet_read.h"
#include "sheet/xlsx.h"
#include "util/buf.h"
#include "util/str.h"

static int teardown(void **state)
{
	(void)state;
	tu_clean();
	return 0;
}

/* ---- records ------------------------------------------------------------ */

static const char *const texts[] = {
	"=HYPERLINK(\"http://x\")", "+82 10", "-3", "@SUM(A1)", "'=already quoted", "''=two",
	"\tleading tab", "쉼표, \"따옴표\" 그리고\r\n줄바꿈", "only LF\nnewline", "\r=cr first",
	"똠방각하 한글", " spaced ", "", "plain", "배송 전 연락 😀", "🎁 선물 포장", "=😀",
	"_x0041_ stays", "_x005F_ too", "ctl\x01\x1f chars", "nonchar \xef\xbf\xbe here",
	"<tag> & \"amp\" ]]>",
};

#define NTEXTS (sizeof texts / sizeof texts[0])

static void fill_order(struct record *r, int i)
{
	record_init(r, SHEET_ORDERS);
	size_t n;
	const enum field_id *cols = sheet_columns(SHEET_ORDERS, &n);
	for (size_t c = 0; c < n; c++)
		if (field_def(cols[c])->kind == FK_TEXT)
			record_set(r, cols[c], texts[(c + (size_t)i) % NTEXTS]);
	record_set(r, F_ACTION, i % 2 ? "SHIP" : "");
	record_set(r, F_MARKET, "smartstore");
	record_set(r, F_STATUS, "PAID");
	record_setf(r, F_ORDER_NO, "%lld", 2000006593044LL + i);
	record_setf(r, F_LINE_NO, "6425389710064014%02d", 29 + i);    /* 18 digits */
	record_setf(r, F_BUNDLE_NO, "20220405216912%02d", 81 + i);     /* 16 digits */
	record_set(r, F_PRODUCT_ID, "00012345678901234");              /* leading zeros */
	record_set(r, F_OPTION_ID, i % 3 ? "-42" : "0x1F");            /* ids that look like numbers */
	record_set(r, F_SELLER_SKU, i % 2 ? "=SKU-1" : "12E45");
	record_set(r, F_ORDERED_AT, "2024-03-05 00:00:00");
	record_set(r, F_PAID_AT, "2024-12-31 23:59:59");
	record_set(r, F_DELAY_UNTIL, i % 2 ? "2024-03-09" : "");
	record_set_i64(r, F_QTY, 3);
	record_set_i64(r, F_CANCEL_QTY, 0);
	record_set_i64(r, F_UNIT_PRICE, 12000);
	record_set_i64(r, F_DISCOUNT, -1500 - i); /* negative money */
	record_set_i64(r, F_PAID_AMOUNT, 999999999999999LL); /* 15 digits: still a number */
	if (i % 4 == 3)
		record_set(r, F_SHIPPING_FEE, ""); /* empty money cell */
	else
		record_set(r, F_SHIPPING_FEE, "1234567890123456"); /* 16 digits: written as text */
	record_set(r, F_BUYER_PHONE, "010-1234-5678");
	record_set(r, F_RECEIVER_PHONE, i % 2 ? "01012345678" : "050412345678");
	record_set(r, F_ZIP, i % 2 ? "01000" : "06103");
	record_set(r, F_COURIER, "CJ대한통운");
	record_set(r, F_INVOICE_NO, i % 2 ? "612345678901" : "");
}

static void fill_claim(struct record *r, int i)
{
	record_init(r, SHEET_CLAIMS);
	record_set(r, F_ACTION, i % 2 ? "APPROVE" : "");
	record_set(r, F_MARKET, "coupang");
	record_setf(r, F_CLAIM_ID, "%d", 900000000 + i);
	record_set(r, F_CLAIM_TYPE, "RETURN");
	record_set(r, F_CLAIM_STATUS, "REQUESTED");
	record_set(r, F_MARKET_STATUS, texts[(size_t)i % NTEXTS]);
	record_setf(r, F_ORDER_NO, "%lld", 202403050001LL + i);
	record_set(r, F_LINE_NO, "642538971006401429");
	record_set(r, F_PRODUCT_NAME, "티셔츠 (L) 😀");
	record_set_i64(r, F_QTY, 5);
	record_set_i64(r, F_CLAIM_QTY, 2);
	record_set(r, F_REQUESTED_AT, "2024-03-05 14:03:00");
	record_set(r, F_REASON, "-단순변심\r\n두 줄");
	record_set(r, F_INVOICE_NO, "0012345");
}

static void assert_same_record(const struct record *a, const struct record *b, size_t row_no)
{
	size_t n;
	const enum field_id *cols = sheet_columns(a->sheet, &n);
	assert_int_equal(a->sheet, b->sheet);
	for (size_t c = 0; c < n; c++)
		if (strcmp(record_get(a, cols[c]), record_get(b, cols[c])) != 0)
			fail_msg("row %zu, %s: wrote \"%s\", read \"%s\"", row_no, field_key(cols[c]),
				 record_get(a, cols[c]), record_get(b, cols[c]));
}

static void read_back(const char *path, const char *sheet, const struct record *want,
		      size_t nwant, enum sheet_kind kind)
{
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	struct sheet_read_opts o = { ENC_AUTO, 0, sheet };
	if (sheet_reader_open(path, &o, &r, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sheet_reader_kind(r), kind);
	assert_int_equal(sheet_reader_header_row(r), 1);
	assert_contains(sheet_reader_name(r), sheet);
	struct sheet_row row;
	sheet_row_init(&row);
	size_t i = 0;
	int rc;
	while ((rc = sheet_reader_next(r, &row, &err)) == 1) {
		assert_true(i < nwant);
		if (row.nissues)
			fail_msg("%s", row.issues[0].msg);
		assert_int_equal(row.row_no, i + 2);
		assert_same_record(&want[i], &row.rec, row.row_no);
		/* The raw cells are the same text too (no guard on XLSX). */
		for (size_t c = 0; c < row.ncells; c++) {
			int f = sheet_reader_col_field(r, c);
			if (f >= 0 && field_def((enum field_id)f)->kind == FK_TEXT)
				assert_string_equal(row.cells[c], record_get(&want[i], (enum field_id)f));
		}
		i++;
	}
	if (rc)
		fail_msg("%s", err.msg);
	assert_int_equal(i, nwant);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

#define NREC 24

static void write_book(const char *path, struct record *orders, struct record *claims, int n,
		       bool force)
{
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 0, ENC_AUTO, false, force, NULL };
	if (book_open(path, &o, &b, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(book_path(b, SHEET_ORDERS), path);
	assert_string_equal(book_path(b, SHEET_CLAIMS), path);
	for (int i = 0; i < n; i++) {
		if (book_put(b, &orders[i], &err) || book_put(b, &claims[i], &err))
			fail_msg("%s", err.msg);
	}
	if (book_commit(b, &err))
		fail_msg("%s", err.msg);
}

/* The contents of one part of a zip archive (NUL-terminated; caller frees). */
static char *zip_part(const char *path, const char *name)
{
	char cmd[2600];
	snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", path, name);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(buf_puts(&b, ""), 0);
	return buf_detach(&b);
}

static void test_round_trip_book(void **state)
{
	(void)state;
	struct record orders[NREC], claims[NREC];
	for (int i = 0; i < NREC; i++) {
		fill_order(&orders[i], i);
		fill_claim(&claims[i], i);
	}
	const char *path = tu_path("day.xlsx");
	char keep[1200];
	str_copy(keep, sizeof keep, path);
	write_book(keep, orders, claims, NREC, false);
	assert_int_equal(tu_count_files(), 1); /* no temporaries left */
	struct stat st;
	assert_int_equal(stat(keep, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	read_back(keep, "orders", orders, NREC, SHEET_ORDERS);
	read_back(keep, "claims", claims, NREC, SHEET_CLAIMS);

	/* What Excel will see: ids are text cells with the "@" format, money a
	 * number with #,##0, a frozen, bold, filtered header, widths set. */
	char *sheet = zip_part(keep, "xl/worksheets/sheet1.xml");
	char *styles = zip_part(keep, "xl/styles.xml");
	assert_contains(sheet, "<t>642538971006401429</t>");
	assert_contains(sheet, "<t>00012345678901234</t>");
	assert_contains(sheet, "<v>-1500</v>");
	assert_contains(sheet, "<v>999999999999999</v>");
	assert_contains(sheet, "<t>1234567890123456</t>");
	assert_null(strstr(sheet, "<f>"));
	assert_contains(sheet, "state=\"frozen\"");
	assert_contains(sheet, "<autoFilter ref=\"A1:");
	assert_contains(sheet, "customWidth=\"1\"");
	assert_contains(sheet, "<ignoredError sqref=\"A1:XFD1048576\" numberStoredAsText=\"1\"/>");
	assert_contains(styles, "formatCode=\"@\"");
	assert_contains(styles, "formatCode=\"#,##0\"");
	assert_contains(styles, "<b/>");
	free(sheet);
	free(styles);

	/* Cell types, as the table reader sees them. */
	struct table_reader *t;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(xlsx_reader_open(keep, "orders", &t, &err), 0);
	assert_true(t->exact);
	assert_string_equal(xlsx_reader_sheet(t), "orders");
	struct table_row tr = { 0 };
	assert_int_equal(t->next(t, &tr, &err), 1); /* header */
	size_t ncols;
	const enum field_id *cols = sheet_columns(SHEET_ORDERS, &ncols);
	assert_int_equal(tr.n, ncols);
	assert_int_equal(t->next(t, &tr, &err), 1);
	assert_int_equal(tr.row_no, 2);
	for (size_t c = 0; c < tr.n; c++) {
		enum field_kind k = field_def(cols[c])->kind;
		bool number = (tr.flags[c] & TABLE_CELL_NUMBER) != 0;
		if (!*tr.cells[c] || cols[c] == F_SHIPPING_FEE)
			assert_false(number);
		else if (k == FK_MONEY || k == FK_INT)
			assert_true(number);
		else
			assert_false(number);
	}
	t->close(t);

	/* No overwrite without force; with force the file is replaced. */
	struct book *b;
	struct book_opts o = { 0, ENC_AUTO, false, false, NULL };
	assert_int_equal(book_open(keep, &o, &b, &err), OB_EUSAGE);
	write_book(keep, claims, orders, 0, true);
	assert_int_equal(tu_count_files(), 1);
	for (int i = 0; i < NREC; i++) {
		record_free(&orders[i]);
		record_free(&claims[i]);
	}
}

static void test_only_claims_and_abort(void **state)
{
	(void)state;
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 1u << SHEET_CLAIMS, ENC_AUTO, false, false, NULL };
	struct record c;
	fill_claim(&c, 1);
	const char *path = tu_path("claims-only.xlsx");
	char keep[1200];
	str_copy(keep, sizeof keep, path);
	assert_int_equal(book_open(keep, &o, &b, &err), 0);
	assert_int_equal(book_put(b, &c, &err), 0);
	book_abort(b);
	assert_int_equal(tu_count_files(), 0);
	assert_int_equal(book_open(keep, &o, &b, &err), 0);
	assert_int_equal(book_put(b, &c, &err), 0);
	assert_int_equal(book_commit(b, &err), 0);
	/* One sheet, named claims; the default finds it. */
	read_back(keep, "claims", &c, 1, SHEET_CLAIMS);
	struct table_reader *t;
	assert_int_equal(xlsx_reader_open(keep, NULL, &t, &err), 0);
	assert_string_equal(xlsx_reader_sheet(t), "claims");
	t->close(t);
	record_free(&c);
}

static void test_writer_errors(void **state)
{
	(void)state;
	struct table_writer *w;
	struct ob_err err = OB_ERR_INIT;
	const char *path = tu_path("bad.xlsx");
	char keep[1200];
	str_copy(keep, sizeof keep, path);
	assert_int_equal(xlsx_writer_new_file(keep, false, "orders", NULL, &w, &err), 0);
	const char *hdr[] = { "order_no", "buyer_name" };
	const char *bad[] = { "1", "\xff\xfe broken" };
	assert_int_equal(w->row(w, hdr, NULL, 2, &err), 0);
	assert_int_equal(w->row(w, bad, NULL, 2, &err), OB_EIO);
	assert_contains(err.msg, "row 2, column B (buyer_name): the value is not UTF-8");
	assert_int_equal(w->close(w, true, &err), OB_EIO);
	assert_int_equal(tu_count_files(), 0);
	/* An invalid sheet name: libxlsxwriter's reason. */
	assert_int_equal(xlsx_writer_new_file(keep, false, "a/b", NULL, &w, &err), OB_EIO);
	assert_contains(err.msg, "cannot add sheet");
	assert_int_equal(tu_count_files(), 0);
}

/* ---- workbooks made by hand --------------------------------------------- */

struct part {
	const char *name;
	const char *data; /* NUL-terminated */
};

static void zip_add(zipFile z, const char *name, const void *data, size_t n, int level)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof zi);
	assert_int_equal(zipOpenNewFileInZip64(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
					       level, 1),
			 ZIP_OK);
	if (n)
		assert_int_equal(zipWriteInFileInZip(z, data, (unsigned)n), ZIP_OK);
	assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
}

static const char ct_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

/* A workbook with the given sheets (sheet i at xl/worksheets/sheet<i+1>.xml)
 * and shared strings (NULL = none); extra parts after. */
static void make_book(const char *path, const char *const *names, const char *const *sheets,
		      size_t n, const char *strings, const struct part *extra, size_t nextra)
{
	struct buf wb = { 0 }, rels = { 0 };
	buf_puts(&wb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		      "relationships\"><workbookPr/><sheets>");
	buf_puts(&rels, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
			"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
	for (size_t i = 0; i < n; i++) {
		buf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", names[i],
			   i + 1, i + 10);
		/* Absolute and relative targets both occur in the wild. */
		buf_printf(&rels,
			   "<Relationship Id=\"rId%zu\" Type=\"http://schemas.openxmlformats.org/"
			   "officeDocument/2006/relationships/worksheet\" Target=\"%sworksheets/"
			   "sheet%zu.xml\"/>",
			   i + 10, i % 2 ? "/xl/" : "./", i + 1);
	}
	buf_puts(&wb, "</sheets></workbook>");
	buf_puts(&rels, "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
			"officeDocument/2006/relationships/sharedStrings\" "
			"Target=\"sharedStrings.xml\"/></Relationships>");
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(z);
	zip_add(z, "[Content_Types].xml", ct_xml, strlen(ct_xml), 6);
	zip_add(z, "xl/workbook.xml", wb.data, wb.len, 6);
	zip_add(z, "xl/_rels/workbook.xml.rels", rels.data, rels.len, 6);
	for (size_t i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", i + 1);
		zip_add(z, name, sheets[i], strlen(sheets[i]), 6);
	}
	if (strings)
		zip_add(z, "xl/sharedStrings.xml", strings, strlen(strings), 6);
	for (size_t i = 0; i < nextra; i++)
		zip_add(z, extra[i].name, extra[i].data, strlen(extra[i].data), 6);
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	buf_free(&wb);
	buf_free(&rels);
}

#define WS_OPEN                                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                     \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension " \
	"ref=\"A1:L6\"/><sheetData>"
#define WS_CLOSE                                                                               \
	"</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:D1\"/></mergeCells></worksheet>"

/* As Excel saves a sheet a seller edited: title row, a missing row, a header
 * with a gap and an unknown column, shared and rich strings, formulas, number
 * cells in id columns, a date number, an error value, a boolean. */
static const char excel_strings[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"9\" "
	"uniqueCount=\"9\">"
	"<si><t>주문 목록 (2024-03-10)</t></si>"                                   /* 0 */
	"<si><t>작업</t></si>"                                                        /* 1 */
	"<si><t>주문번호</t></si>"                                                    /* 2 */
	"<si><r><rPr><b/></rPr><t>굵게</t></r><r><t xml:space=\"preserve\"> 보통 </t></r>"
	"<rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>"                           /* 3 */
	"<si><t>발송</t></si>"                                                        /* 4 */
	"<si><t>line 1_x000D_\nline 2 _x005F_x0041_ &amp; &lt;</t></si>"             /* 5 */
	"<si/>"                                                                       /* 6 */
	"<si><t>메모(내부)</t></si>"                                                  /* 7 */
	"<si><t>상품주문번호</t></si>"                                                /* 8 */
	"</sst>";

static const char excel_sheet[] =
	WS_OPEN
	"<row r=\"1\" spans=\"1:12\"><c r=\"A1\" s=\"3\" t=\"s\"><v>0</v></c></row>"
	"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c>"
	"<c r=\"C3\" t=\"s\"><v>8</v></c><c r=\"D3\" t=\"inlineStr\"><is><t>우편번호</t></is></c>"
	"<c r=\"E3\" t=\"inlineStr\"><is><t>receiver_phone</t></is></c>"
	"<c r=\"F3\" t=\"inlineStr\"><is><t>qty</t></is></c>"
	"<c r=\"G3\" t=\"inlineStr\"><is><t>paid_amount</t></is></c>"
	"<c r=\"H3\" t=\"inlineStr\"><is><t>ordered_at</t></is></c>"
	"<c r=\"I3\" t=\"s\"><v>7</v></c>"
	"<c r=\"K3\" t=\"inlineStr\"><is><t>product_name</t></is></c>"
	"<c r=\"L3\" t=\"inlineStr\"><is><t>invoice_no</t></is></c></row>"
	"<row r=\"4\"><c r=\"A4\" t=\"s\"><v>4</v></c><c r=\"B4\" s=\"1\"><v>6.42538971006401E+17</v></c>"
	"<c r=\"C4\"><v>1234567890</v></c><c r=\"D4\"><v>6103</v></c><c r=\"E4\"><v>1012345678</v></c>"
	"<c r=\"F4\"><f>1+1</f><v>2</v></c><c r=\"G4\"><v>12000</v></c><c r=\"H4\"><v>45361.5</v></c>"
	"<c r=\"I4\" t=\"s\"><v>3</v></c><c r=\"J4\" s=\"2\"/>"
	"<c r=\"K4\" t=\"s\"><v>5</v></c>"
	"<c r=\"L4\" t=\"str\"><f>TEXT(612345678901,\"0\")</f><v>612345678901</v></c></row>"
	"<row r=\"5\" ht=\"20\" customHeight=\"1\"/>"
	"<row r=\"6\"><c r=\"B6\" t=\"e\"><v>#N/A</v></c><c r=\"C6\" t=\"inlineStr\"><is><t>"
	"2000006593044</t></is></c><c r=\"D6\" t=\"s\"><v>6</v></c><c r=\"I6\" t=\"b\"><v>1</v></c>"
	"<c><v>1.5</v></c><c r=\"L6\"><v>1234567890123456</v></c></row>"
	WS_CLOSE;

static const struct sheet_issue *issue_at(const struct sheet_row *row, enum field_id f)
{
	for (size_t i = 0; i < row->nissues; i++)
		if (row->issues[i].field == (int)f)
			return &row->issues[i];
	return NULL;
}

static void test_excel_made_sheet(void **state)
{
	(void)state;
	const char *names[] = { "Sheet1" };
	const char *sheets[] = { excel_sheet };
	const char *path = tu_path("excel.xlsx");
	char keep[1200];
	str_copy(keep, sizeof keep, path);
	make_book(keep, names, sheets, 1, excel_strings, NULL, 0);
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	if (sheet_reader_open(keep, NULL, &r, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sheet_reader_kind(r), SHEET_ORDERS);
	assert_int_equal(sheet_reader_header_row(r), 3);
	assert_string_equal(sheet_reader_name(r), "excel.xlsx (sheet Sheet1)");
	char ***titles;
	size_t *tn;
	assert_int_equal(sheet_reader_title_rows(r, &titles, &tn), 1);
	assert_string_equal(titles[0][0], "주문 목록 (2024-03-10)");
	assert_int_equal(sheet_reader_ncols(r), 12);
	assert_string_equal(sheet_reader_header(r, 9), ""); /* J: the gap */
	assert_int_equal(sheet_reader_col_field(r, 8), -1); /* I: unknown, kept */

	struct sheet_row row;
	sheet_row_init(&row);
	assert_int_equal(sheet_reader_next(r, &row, &err), 1);
	assert_int_equal(row.row_no, 4);
	const struct sheet_issue *is;
	/* The mangled 18-digit id: refused, saying why. */
	assert_non_null(is = issue_at(&row, F_ORDER_NO));
	assert_true(is->fatal);
	assert_contains(is->msg, "excel.xlsx (sheet Sheet1) row 4, column order_no");
	assert_contains(is->msg, "as a number (6.42538971006401E+17) and keeps only 15 digits");
	assert_string_equal(record_get(&row.rec, F_ORDER_NO), "");
	/* An integer number of <= 15 digits is the id. */
	assert_null(issue_at(&row, F_LINE_NO));
	assert_string_equal(record_get(&row.rec, F_LINE_NO), "1234567890");
	/* Lost leading zeros: repaired with a warning, as in CSV. */
	assert_non_null(is = issue_at(&row, F_ZIP));
	assert_false(is->fatal);
	assert_string_equal(record_get(&row.rec, F_ZIP), "06103");
	assert_non_null(is = issue_at(&row, F_RECEIVER_PHONE));
	assert_false(is->fatal);
	assert_string_equal(record_get(&row.rec, F_RECEIVER_PHONE), "01012345678");
	/* Formula: the cached value, and a warning. */
	assert_non_null(is = issue_at(&row, F_QTY));
	assert_false(is->fatal);
	assert_contains(is->msg, "formula");
	assert_string_equal(record_get(&row.rec, F_QTY), "2");
	assert_non_null(is = issue_at(&row, F_INVOICE_NO));
	assert_false(is->fatal);
	assert_string_equal(record_get(&row.rec, F_INVOICE_NO), "612345678901");
	assert_string_equal(record_get(&row.rec, F_PAID_AMOUNT), "12000");
	/* A date typed in Excel is a day number. */
	assert_null(issue_at(&row, F_ORDERED_AT));
	assert_string_equal(record_get(&row.rec, F_ORDERED_AT), "2024-03-10 12:00:00");
	/* Rich text runs joined, phonetic guide left out; escapes decoded. */
	assert_string_equal(row.cells[8], "굵게 보통 ");
	assert_string_equal(row.cells[9], "");
	assert_string_equal(record_get(&row.rec, F_PRODUCT_NAME), "line 1\r\nline 2 _x0041_ & <");
	assert_string_equal(record_get(&row.rec, F_ACTION), "SHIP");
	assert_int_equal(row.nissues, 5);

	assert_int_equal(sheet_reader_next(r, &row, &err), 1);
	assert_int_equal(row.row_no, 6); /* the empty <row r="5"/> is no row */
	assert_non_null(is = issue_at(&row, F_ORDER_NO));
	assert_true(is->fatal);
	assert_contains(is->msg, "#N/A");
	assert_string_equal(record_get(&row.rec, F_LINE_NO), "2000006593044");
	assert_string_equal(row.cells[8], "TRUE");
	assert_string_equal(row.cells[9], "1.5"); /* a cell without r follows the last one */
	assert_non_null(is = issue_at(&row, F_INVOICE_NO));
	assert_true(is->fatal);
	assert_contains(is->msg, "keeps only 15 digits");
	assert_int_equal(sheet_reader_next(r, &row, &err), 0);
	sheet_row_free(&row);
	sheet_reader_close(r);
}

static void test_number_cells_in_id_columns(void **state)
{
	(void)state;
	static const struct {
		const char *v;
		const char *want; /* NULL = refused */
		const char *msg;
	} cases[] = {
		{ "1234567890", "1234567890", NULL },
		{ "999999999999999", "999999999999999", NULL },
		{ "1.23456789E+9", "1234567890", NULL },
		{ "1E+3", "1000", NULL },
		{ "0", "0", NULL },
		{ "1000000000000000", NULL, "keeps only 15 digits" },
		{ "2022040521691281", NULL, "keeps only 15 digits" },
		{ "6.42538971006401E+17", NULL, "keeps only 15 digits" },
		{ "123.5", NULL, "decimal point" },
		{ "1.5E-3", NULL, "decimal point" },
		{ "-42", NULL, "minus sign" },
	};
	struct buf xml = { 0 };
	buf_puts(&xml, WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>order_no</t></is></c>"
			       "<c r=\"B1\" t=\"inlineStr\"><is><t>line_no</t></is></c></row>");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		buf_printf(&xml, "<row r=\"%zu\"><c r=\"A%zu\"><v>%s</v></c></row>", i + 2, i + 2,
			   cases[i].v);
	buf_puts(&xml, WS_CLOSE);
	const char *names[] = { "orders" };
	const char *sheets[] = { xml.data };
	const char *path = tu_path("ids.xlsx");
	char keep[1200];
	str_copy(keep, sizeof keep, path);
	make_book(keep, names, sheets, 1, NULL, NULL, 0);
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	if (sheet_reader_open(keep, NULL, &r, &err))
		fail_msg("%s", err.msg);
	struct sheet_row row;
	sheet_row_init(&row);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(sheet_reader_next(r, &row, &err), 1);
		const struct sheet_issue *is = issue_at(&row, F_ORDER_NO);
		if (cases[i].want) {
			if (is)
				fail_msg("%s: %s", cases[i].v, is->msg);
			assert_string_equal(record_get(&row.rec, F_ORDER_NO), cases[i].want);
		} else {
			if (!is)
				fail_msg("%s was accepted as %s", cases[i].v,
					 record_get(&row.rec, F_ORDER_NO));
			assert_true(is->fatal);
			assert_contains(is->msg, cases[i].msg);
		}
	}
	assert_int_equal(sheet_reader_next(r, &row, &err), 0);
	sheet_row_free(&row);
	sheet_reader_close(r);
	buf_free(&xml);
}

static void test_sheet_choice(void **state)
{
	(void)state;
#define ONE_CELL(text)                                                                         \
	WS_OPEN "<row r=\"1\"><c t=\"inlineStr\"><is><t>" text "</t></is></c></row>" WS_CLOSE
	const char *a = ONE_CELL("first"), *b = ONE_CELL("second"), *c = ONE_CELL("third");
	const char *names[] = { "요약", "Claims", "orders" };
	const char *sheets[] = { a, b, c };
	const char *path = tu_path("three.xlsx");
	char keep[1200];
	str_copy(keep, sizeof keep, path);
	make_book(keep, names, sheets, 3, NULL, NULL, 0);
	struct table_reader *t;
	struct table_row tr = { 0 };
	struct ob_err err = OB_ERR_INIT;
	static const struct {
		const char *name, *prefer, *sheet, *cell;
	} picks[] = {
		{ NULL, NULL, "orders", "third" },       { NULL, "claims", "Claims", "second" },
		{ "요약", NULL, "요약", "first" },       { "CLAIMS", NULL, "Claims", "second" },
		{ NULL, "nothing", "orders", "third" },
	};
	for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
		int rc = picks[i].name ? xlsx_reader_open(keep, picks[i].name, &t, &err)
				       : xlsx_reader_open_prefer(keep, picks[i].prefer, &t, &err);
		if (rc)
			fail_msg("%s", err.msg);
		assert_string_equal(xlsx_reader_sheet(t), picks[i].sheet);
		assert_int_equal(t->next(t, &tr, &err), 1);
		assert_string_equal(tr.cells[0], picks[i].cell);
		assert_int_equal(t->next(t, &tr, &err), 0);
		t->close(t);
	}
	assert_int_equal(xlsx_reader_open(keep, "returns", &t, &err), OB_EUSAGE);
	assert_contains(err.msg, "has no sheet named \"returns\"; its sheets are \"요약\", "
				 "\"Claims\", \"orders\"");
}

static void expect_open_error(const char *path, int code, const char *msg)
{
	struct table_reader *t = NULL;
	struct ob_err err = OB_ERR_INIT;
	int rc = xlsx_reader_open(path, NULL, &t, &err);
	if (rc == 0) {
		/* Some damage only shows while streaming the sheet. */
		struct table_row tr = { 0 };
		while ((rc = t->next(t, &tr, &err)) == 1)
			;
		t->close(t);
		rc = -rc;
	}
	if (rc != code)
		fail_msg("%s: expected status %d, got %d (%s)", path, code, rc, err.msg);
	assert_contains(err.msg, msg);
}

static void test_not_xlsx(void **state)
{
	(void)state;
	char xls[1200], txt[1200], empty[1200], ods[1200], cut[1200];
	str_copy(xls, sizeof xls, tu_path("old.xlsx"));
	str_copy(txt, sizeof txt, tu_path("text.xlsx"));
	str_copy(empty, sizeof empty, tu_path("empty.xlsx"));
	str_copy(ods, sizeof ods, tu_path("other.xlsx"));
	str_copy(cut, sizeof cut, tu_path("cut.xlsx"));
	tu_write(xls, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file", 28);
	tu_write_str(txt, "order_no,line_no\r\n1,2\r\n");
	tu_write_str(empty, "");
	expect_open_error(xls, OB_EUSAGE,
			  "this is an old .xls workbook (or a password-protected one); open it in "
			  "Excel and save as .xlsx (or CSV)");
	expect_open_error(txt, OB_EUSAGE, "not an XLSX file");
	expect_open_error(empty, OB_EINVALID, "the file is empty");
	/* A zip without a workbook (say, an .ods or a .docx). */
	zipFile z = zipOpen64(ods, APPEND_STATUS_CREATE);
	assert_non_null(z);
	zip_add(z, "mimetype", "application/x", 13, 0);
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	expect_open_error(ods, OB_EUSAGE, "not an XLSX workbook");
	/* A workbook cut short. */
	const char *names[] = { "orders" };
	const char *sheets[] = { excel_sheet };
	make_book(cut, names, sheets, 1, excel_strings, NULL, 0);
	size_t n;
	char *whole = tu_read(cut, &n);
	tu_write(cut, whole, n / 2);
	free(whole);
	expect_open_error(cut, OB_EINVALID, "not an XLSX file (a damaged or incomplete zip archive)");
	/* Through sheet_read: the .xls name and the XLSX check. */
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(sheet_reader_open(xls, NULL, &r, &err), OB_EUSAGE);
	assert_contains(err.msg, "old .xls workbook");
}

static void test_broken_parts(void **state)
{
	(void)state;
	char path[1200];
	str_copy(path, sizeof path, tu_path("broken.xlsx"));
	const char *names[] = { "orders" };
	/* A shared string index past the table. */
	const char *bad_index[] = {
		WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>" WS_CLOSE
	};
	make_book(path, names, bad_index, 1, NULL, NULL, 0);
	expect_open_error(path, OB_EINVALID, "row 1, column A: refers to shared string \"7\"");
	unlink(path);
	/* Rows going back. */
	const char *back[] = { WS_OPEN "<row r=\"3\"><c r=\"A3\"><v>1</v></c></row>"
				       "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>" WS_CLOSE };
	make_book(path, names, back, 1, NULL, NULL, 0);
	expect_open_error(path, OB_EINVALID, "row 2 comes after row 3");
	unlink(path);
	/* Not XML at all. */
	const char *junk[] = { "<worksheet><sheetData><row><c><v>1</v></row>" };
	make_book(path, names, junk, 1, NULL, NULL, 0);
	expect_open_error(path, OB_EINVALID, "is not valid XML");
	unlink(path);
	/* A column past XFD. */
	const char *wide[] = { WS_OPEN "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" WS_CLOSE };
	make_book(path, names, wide, 1, NULL, NULL, 0);
	expect_open_error(path, OB_EINVALID, "is not a cell reference");
}

/* ---- hostile XML and zip bombs ------------------------------------------ */

static void test_xxe_and_billion_laughs(void **state)
{
	(void)state;
	char path[1200], secret[1200];
	str_copy(path, sizeof path, tu_path("xxe.xlsx"));
	str_copy(secret, sizeof secret, tu_path("secret.txt"));
	tu_write_str(secret, "TOP-SECRET-CONTENT");
	const char *names[] = { "orders" };
	const char *sheet[] = { WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
					"<c r=\"B1\" t=\"s\"><v>1</v></c></row>" WS_CLOSE };
	char xxe[2048];
	snprintf(xxe, sizeof xxe,
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
		 "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		 "<si><t>order_no &xxe;</t></si><si><t>line_no</t></si></sst>",
		 secret);
	make_book(path, names, sheet, 1, xxe, NULL, 0);
	expect_open_error(path, OB_EINVALID, "declares a DTD or entities");
	unlink(path);

	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE sst [\n<!ENTITY lol \"lol\">\n"
		"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<si><t>&lol9;</t></si><si><t>line_no</t></si></sst>";
	make_book(path, names, sheet, 1, laughs, NULL, 0);
	long before = 0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	before = ru.ru_maxrss;
	/* libxml2 may see the whole small part before the reader shows us the
	 * DTD; then its own amplification check stops it first. */
	expect_open_error(path, OB_EINVALID, "xl/sharedStrings.xml");
	getrusage(RUSAGE_SELF, &ru);
	assert_true(ru.ru_maxrss - before < 64 * 1024); /* KiB: nothing was expanded */
	unlink(path);

	/* The same in the worksheet itself, and in workbook.xml. */
	char ws_xxe[2048];
	snprintf(ws_xxe, sizeof ws_xxe,
		 "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file://%s\">]>"
		 "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t>"
		 "</is></c></row></sheetData></worksheet>",
		 secret);
	const char *sheet2[] = { ws_xxe };
	make_book(path, names, sheet2, 1, NULL, NULL, 0);
	expect_open_error(path, OB_EINVALID, "declares a DTD or entities");
	unlink(path);
}

/* A part of n bytes of "<x/>" (valid XML that compresses about 1000:1),
 * written in pieces so that the test itself stays small. */
static void zip_add_bomb(zipFile z, const char *name, const char *head, size_t n,
			 const char *tail)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof zi);
	assert_int_equal(zipOpenNewFileInZip64(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
					       Z_BEST_SPEED, 1),
			 ZIP_OK);
	static char chunk[1 << 20];
	for (size_t i = 0; i + 4 <= sizeof chunk; i += 4)
		memcpy(chunk + i, "<x/>", 4);
	assert_int_equal(zipWriteInFileInZip(z, head, (unsigned)strlen(head)), ZIP_OK);
	for (size_t done = 0; done < n; done += sizeof chunk)
		assert_int_equal(zipWriteInFileInZip(z, chunk, sizeof chunk), ZIP_OK);
	assert_int_equal(zipWriteInFileInZip(z, tail, (unsigned)strlen(tail)), ZIP_OK);
	assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
}

static void write_bomb_book(const char *path, bool in_strings, size_t n)
{
	static const char wb[] =
		"<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships\"><sheets><sheet name=\"orders\" sheetId=\"1\" r:id=\"rId1\"/>"
		"</sheets></workbook>";
	static const char rels[] =
		"<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"</Relationships>";
	static const char small[] = "<worksheet><sheetData/></worksheet>";
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(z);
	zip_add(z, "xl/workbook.xml", wb, strlen(wb), 6);
	zip_add(z, "xl/_rels/workbook.xml.rels", rels, strlen(rels), 6);
	if (in_strings) {
		zip_add(z, "xl/worksheets/sheet1.xml", small, strlen(small), 6);
		zip_add_bomb(z, "xl/sharedStrings.xml", "<sst>", n, "</sst>");
	} else {
		zip_add_bomb(z, "xl/worksheets/sheet1.xml", "<worksheet><sheetData>", n,
			     "</sheetData></worksheet>");
	}
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

static void test_zip_bombs(void **state)
{
	(void)state;
	char path[1200];
	str_copy(path, sizeof path, tu_path("bomb.xlsx"));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long before = ru.ru_maxrss;
	/* 400 MiB in a worksheet: under the size limit of a streamed sheet, but
	 * a ratio no sheet has; refused while inflating, after a few MiB. */
	write_bomb_book(path, false, (size_t)400 << 20);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < (2 << 20));
	expect_open_error(path, OB_EINVALID, "expands more than 200 times its compressed size");
	assert_contains(path, "bomb");
	unlink(path);
	/* 260 MiB of shared strings: more than a part held in memory may be. */
	write_bomb_book(path, true, (size_t)260 << 20);
	expect_open_error(path, OB_EINVALID, "MiB uncompressed, more than the 256 MiB allowed");
	unlink(path);
	getrusage(RUSAGE_SELF, &ru);
	assert_true(ru.ru_maxrss - before < 64 * 1024); /* KiB */
}

/* ---- import result workbooks -------------------------------------------- */

static void test_result_workbook(void **state)
{
	(void)state;
	const char *names[] = { "내 주문" };
	const char *sheets[] = { excel_sheet };
	char in[1200], out[1200];
	str_copy(in, sizeof in, tu_path("edited.xlsx"));
	make_book(in, names, sheets, 1, excel_strings, NULL, 0);
	plan_result_path(in, out, sizeof out);
	assert_string_equal(out + strlen(out) - strlen("edited.result.xlsx"), "edited.result.xlsx");

	struct plan p;
	plan_init(&p, NULL);
	p.inputs = calloc(1, sizeof *p.inputs);
	assert_non_null(p.inputs);
	p.ninputs = 1;
	str_copy(p.inputs[0].path, sizeof p.inputs[0].path, in);
	p.inputs[0].kind = SHEET_ORDERS;
	p.items = calloc(1, sizeof *p.items);
	assert_non_null(p.items);
	p.n = p.cap = 1;
	p.items[0].input = 0;
	p.items[0].row_no = 4;
	p.items[0].result = RES_FAILED;
	p.items[0].message = "=order_no is not valid\0"; /* message, then the market code */

	struct ob_err err = OB_ERR_INIT;
	size_t before;
	char *orig = tu_read(in, &before);
	if (plan_write_results(&p, out, false, NULL, NULL, &err))
		fail_msg("%s", err.msg);
	/* The user's workbook is untouched; the result is a new one. */
	size_t after;
	char *again = tu_read(in, &after);
	assert_int_equal(before, after);
	assert_memory_equal(orig, again, before);
	free(orig);
	free(again);
	assert_int_equal(plan_write_results(&p, out, false, NULL, NULL, &err), OB_EUSAGE);

	struct table_reader *t;
	assert_int_equal(xlsx_reader_open(out, NULL, &t, &err), 0);
	assert_string_equal(xlsx_reader_sheet(t), "내 주문");
	struct table_row tr = { 0 };
	assert_int_equal(t->next(t, &tr, &err), 1);
	assert_int_equal(tr.row_no, 1);
	assert_string_equal(tr.cells[0], "주문 목록 (2024-03-10)");
	assert_int_equal(t->next(t, &tr, &err), 1);
	assert_int_equal(tr.row_no, 3); /* where the header was */
	assert_int_equal(tr.n, 14);
	assert_string_equal(tr.cells[12], "처리결과"); /* Korean headers, Korean names */
	assert_string_equal(tr.cells[13], "메시지");
	assert_int_equal(t->next(t, &tr, &err), 1);
	assert_int_equal(tr.row_no, 4);
	assert_string_equal(tr.cells[0], "발송"); /* the action as the seller wrote it */
	assert_string_equal(tr.cells[2], "1234567890");
	assert_false(tr.flags[2] & TABLE_CELL_NUMBER); /* ids are text now */
	assert_string_equal(tr.cells[3], "06103");
	assert_string_equal(tr.cells[6], "12000");
	assert_true(tr.flags[6] & TABLE_CELL_NUMBER);
	assert_string_equal(tr.cells[8], "굵게 보통 ");
	assert_string_equal(tr.cells[10], "line 1\r\nline 2 _x0041_ & <");
	assert_string_equal(tr.cells[12], "FAILED");
	assert_string_equal(tr.cells[13], "=order_no is not valid");
	assert_int_equal(t->next(t, &tr, &err), 1);
	assert_int_equal(tr.row_no, 6);
	assert_string_equal(tr.cells[8], "TRUE");
	/* No result; the refused id goes back as the seller had it. */
	assert_int_equal(tr.n, 12);
	assert_string_equal(tr.cells[11], "1234567890123456");
	assert_int_equal(t->next(t, &tr, &err), 0);
	t->close(t);
	char *ws = zip_part(out, "xl/worksheets/sheet1.xml");
	assert_contains(ws, "<pane ySplit=\"3\""); /* frozen below the header */
	assert_contains(ws, "<autoFilter ref=\"A3:N6\"/>");
	free(ws);
	free(p.items);
	free(p.inputs);
	p.items = NULL;
	p.inputs = NULL;
	p.n = p.ninputs = 0;
	plan_free(&p);
}

/* ---- helper modes for tests/integration/xlsx_libreoffice.sh ------------- */

/* Writes NREC orders and claims to path. */
static int helper_write(const char *path)
{
	struct record orders[NREC], claims[NREC];
	struct book *b;
	struct ob_err err = OB_ERR_INIT;
	struct book_opts o = { 0, ENC_AUTO, false, false, NULL };
	for (int i = 0; i < NREC; i++) {
		fill_order(&orders[i], i);
		fill_claim(&claims[i], i);
	}
	int rc = book_open(path, &o, &b, &err);
	for (int i = 0; !rc && i < NREC; i++)
		rc = book_put(b, &orders[i], &err) || book_put(b, &claims[i], &err);
	if (!rc)
		rc = book_commit(b, &err);
	else
		book_abort(b);
	for (int i = 0; i < NREC; i++) {
		record_free(&orders[i]);
		record_free(&claims[i]);
	}
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	return rc ? 1 : 0;
}

static void put_escaped(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s == '\r')
			fputs("\\r", stdout);
		else if (*s == '\t')
			fputs("\\t", stdout);
		else
			putchar(*s);
	}
}

/* Prints a sheet as sheet_read sees it, tab-separated: a line of column keys
 * (then "issues"), and a line per row: each known field (\\, \\t, \\r, \\n
 * escaped), then every issue. Two workbooks that print the same hold the same
 * data for orderbridge. */
static int helper_dump(const char *path, const char *sheet)
{
	struct sheet_reader *r;
	struct ob_err err = OB_ERR_INIT;
	struct sheet_read_opts o = { ENC_AUTO, 0, sheet };
	if (sheet_reader_open(path, &o, &r, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct sheet_row row;
	sheet_row_init(&row);
	int rc;
	size_t n;
	const enum field_id *cols = sheet_columns(sheet_reader_kind(r), &n);
	for (size_t c = 0; c < n; c++)
		printf("%s\t", field_key(cols[c]));
	printf("issues\n");
	while ((rc = sheet_reader_next(r, &row, &err)) == 1) {
		for (size_t c = 0; c < n; c++) {
			put_escaped(record_get(&row.rec, cols[c]));
			putchar('\t');
		}
		for (size_t i = 0; i < row.nissues; i++) {
			printf("%s", i ? " | " : "");
			put_escaped(row.issues[i].msg);
		}
		putchar('\n');
	}
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	sheet_row_free(&row);
	sheet_reader_close(r);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return helper_write(argv[2]);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "--dump") == 0)
		return helper_dump(argv[2], argc == 4 ? argv[3] : NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_round_trip_book, teardown),
		cmocka_unit_test_teardown(test_only_claims_and_abort, teardown),
		cmocka_unit_test_teardown(test_writer_errors, teardown),
		cmocka_unit_test_teardown(test_excel_made_sheet, teardown),
		cmocka_unit_test_teardown(test_number_cells_in_id_columns, teardown),
		cmocka_unit_test_teardown(test_sheet_choice, teardown),
		cmocka_unit_test_teardown(test_not_xlsx, teardown),
		cmocka_unit_test_teardown(test_broken_parts, teardown),
		cmocka_unit_test_teardown(test_xxe_and_billion_laughs, teardown),
		cmocka_unit_test_teardown(test_zip_bombs, teardown),
		cmocka_unit_test_teardown(test_result_workbook, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_remove_dir();
	return rc;
}
