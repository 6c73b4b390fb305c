/* The 11st part of the sandbox (../shared/api/11st.md): every order and claim
 * endpoint the adapter uses, under /rest/, with the openapikey header, path
 * parameters in the documented order, EUC-KR (really CP949) XML with the ns2
 * wrappers, literal nulls, business errors inside HTTP 200, the 7/30-day
 * windows and the silent 3,000-row cap (oldest first, the rest dropped).
 *
 * Decisions where the docs are silent (UNCONFIRMED there): a list window
 * covers [start, end + 1 minute); complete/packaging filter on ordStlEndDt,
 * shipping on sndEndDt, dlvcompleted on dlvEndDt, cancelorders on createDt,
 * canceledorders and withdrawcanceledorders on the completion time; the
 * packaging list also shows 701 lines (acknowledged, cancel requested);
 * orderlistall(addr) answer the complete-list shape plus ordCnQty and
 * ordPrdStatNm; deliveryDelayGuide takes delaySendDt as YYYYMMDD and counts the
 * reason's bytes in CP949; a rejected cancel request leaves every list.
 * Returns and exchanges are in elevenst_ret.c. */
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "market/couriers.h"
#include "sandbox/elevenst.h"
#include "sandbox/elevenst_state.h"
#include "util/str.h"

#define ROW_CAP 3000
#define MAX_SEGS 12
#define NS "http://skt.tmall.business.openapi.spring.service.client.domain/"

/* --- XML out --- */

/* Appends text XML-escaped; control characters XML 1.0 cannot carry are dropped. */
int st_put_esc(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int rc;
		switch (*p) {
		case '&': rc = buf_puts(b, "&amp;"); break;
		case '<': rc = buf_puts(b, "&lt;"); break;
		case '>': rc = buf_puts(b, "&gt;"); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				continue;
			rc = buf_putc(b, (char)*p);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* <name>v</name>; NULL is the literal "null" 11st writes for missing values. */
int st_leaf(struct buf *b, const char *name, const char *v)
{
	if (buf_printf(b, "<%s>", name) < 0 || st_put_esc(b, v ? v : "null") < 0 || buf_printf(b, "</%s>", name) < 0)
		return -1;
	return 0;
}

int st_leaf_u64(struct buf *b, const char *name, uint64_t v)
{
	return buf_printf(b, "<%s>%" PRIu64 "</%s>", name, v, name);
}

int st_leaf_i64(struct buf *b, const char *name, int64_t v)
{
	return buf_printf(b, "<%s>%" PRId64 "</%s>", name, v, name);
}

int st_leaf_time(struct buf *b, const char *name, ob_time t)
{
	char s[24];
	st_time(t, s);
	return st_leaf(b, name, t ? s : NULL);
}

/* UTF-8 -> CP949 (what 11st sends under its euc-kr declaration); characters
 * CP949 lacks (emoji) travel as character references. */
static int to_cp949(const char *in, size_t len, struct buf *out)
{
	iconv_t cd = iconv_open("CP949", "UTF-8");
	if (cd == (iconv_t)-1)
		return -1;
	char *ip = (char *)in;
	size_t left = len;
	int rc = 0;
	while (left > 0) {
		if (buf_reserve(out, left * 2 + 32) < 0) {
			rc = -1;
			break;
		}
		char *op = out->data + out->len;
		size_t room = out->cap - out->len - 1, before = room;
		size_t r = iconv(cd, &ip, &left, &op, &room);
		out->len += before - room;
		out->data[out->len] = '\0';
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno != EILSEQ) {
			rc = -1;
			break;
		}
		/* One UTF-8 character CP949 has no code for. */
		const unsigned char *u = (const unsigned char *)ip;
		uint32_t cp;
		size_t k;
		if (u[0] >= 0xF0 && left >= 4)
			cp = (uint32_t)(u[0] & 7) << 18 | (uint32_t)(u[1] & 63) << 12 | (uint32_t)(u[2] & 63) << 6 | (u[3] & 63), k = 4;
		else if (u[0] >= 0xE0 && left >= 3)
			cp = (uint32_t)(u[0] & 15) << 12 | (uint32_t)(u[1] & 63) << 6 | (u[2] & 63), k = 3;
		else if (u[0] >= 0xC0 && left >= 2)
			cp = (uint32_t)(u[0] & 31) << 6 | (u[1] & 63), k = 2;
		else
			cp = '?', k = 1;
		if (buf_printf(out, "&#%" PRIu32 ";", cp) < 0) {
			rc = -1;
			break;
		}
		ip += k;
		left -= k;
	}
	iconv_close(cd);
	return rc;
}

/* Sends the UTF-8 document xml (without a declaration) as 11st does. */
int st_send_xml(struct sandbox_response *resp, const char *decl_enc, const struct buf *xml)
{
	buf_reset(&resp->body);
	if (buf_printf(&resp->body, "<?xml version=\"1.0\" encoding=\"%s\" standalone=\"yes\"?>\n", decl_enc) < 0 ||
	    to_cp949(xml->data ? xml->data : "", xml->len, &resp->body) < 0)
		return -1;
	resp->status = 200;
	resp->content_type = "text/xml;charset=EUC-KR";
	return 0;
}

/* A list answer without rows: result_code 0 (nothing found) or an error. */
int st_list_code(struct sandbox_response *resp, long code, const char *text)
{
	struct buf x = BUF_INIT;
	int rc = buf_printf(&x, "<ns2:orders xmlns:ns2=\"%s\">\n  <ns2:result_code>%ld</ns2:result_code>\n"
			    "  <ns2:result_text>", NS, code) < 0 || st_put_esc(&x, text) < 0 ||
		 buf_puts(&x, "</ns2:result_text>\n</ns2:orders>\n") < 0 ? -1 : st_send_xml(resp, "euc-kr", &x);
	buf_free(&x);
	resp->rows = 0;
	return rc;
}

int st_result_order(struct sandbox_response *resp, long code, const char *text)
{
	struct buf x = BUF_INIT;
	int rc = buf_printf(&x, "<ResultOrder>\n  <openMallID>11ST</openMallID><open_11st_mall/>"
			    "<open_done_payment_interface/>\n  <result_code>%ld</result_code>\n  <result_text>", code) < 0 ||
		 st_put_esc(&x, text) < 0 || buf_puts(&x, "</result_text>\n</ResultOrder>\n") < 0 ? -1 :
		 st_send_xml(resp, "euc-kr", &x);
	buf_free(&x);
	return rc;
}

/* --- line rows --- */

enum shape {
	SHAPE_LIST,      /* complete, packaging */
	SHAPE_DELIVERED, /* dlvcompleted: + dlvEndDt, dlvMthd */
	SHAPE_SHIPPING,  /* shipping: the five documented fields only */
	SHAPE_DETAIL,    /* orderlistalladdr: + ordCnQty, ordPrdStatNm, sellerID */
	SHAPE_STATUS,    /* orderlistall: the detail without the address */
};

static const char *stat_name(const char *s)
{
	static const char *const names[][2] = {
		{ "202", "결제완료" }, { "301", "배송준비중" }, { "401", "배송중" }, { "501", "배송완료" },
		{ "701", "취소처리중" }, { "901", "구매확정" }, { "B01", "주문취소" }, { "C01", "수취확인후주문취소" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], s) == 0)
			return names[i][1];
	return "";
}

static int put_line(struct buf *b, const struct st_line *l, enum shape shape)
{
	char seq[12], amt[24];
	snprintf(seq, sizeof seq, "%d", l->seq);
	int rc = buf_puts(b, "  <ns2:order>");
	if (shape == SHAPE_SHIPPING) {
		rc |= st_leaf(b, "dlvEtprsCd", l->courier) | st_leaf(b, "invcNo", l->invoice) | st_leaf(b, "ordNo", l->ord_no) |
		      st_leaf(b, "ordPrdSeq", seq) | st_leaf_time(b, "sndEndDt", l->snd_dt);
		return rc | buf_puts(b, "</ns2:order>\n");
	}
	bool addr = shape != SHAPE_STATUS;
	/* ordAmt is "unit price x qty (order - cancel - return)" (11st.md §2):
	 * a partial cancel lowers it while ordQty stays as ordered. */
	int64_t ord_amt = l->sel_prc * (l->qty - l->cn_qty);
	int64_t pay = ord_amt + l->dlv_cst - l->seller_dsc - l->tmall_dsc;
	snprintf(amt, sizeof amt, "%" PRId64, ord_amt);
	rc |= st_leaf_u64(b, "addPrdNo", l->add_prd ? l->add_prd_no : 0) | st_leaf(b, "addPrdYn", l->add_prd ? "Y" : "N");
	rc |= st_leaf_i64(b, "bmDlvCst", 0) | st_leaf(b, "bmDlvCstType", NULL) | st_leaf(b, "bndlDlvSeq", "0") |
	      st_leaf(b, "bndlDlvYN", "N") | st_leaf(b, "clmReqRsnNm", "") | buf_puts(b, "<custGrdNm/>");
	rc |= st_leaf_time(b, "delaySendDt", l->delay_dt);
	rc |= st_leaf_i64(b, "dlvCst", l->dlv_cst) | st_leaf(b, "dlvCstType", l->dlv_cst ? "01" : "03");
	if (shape == SHAPE_DELIVERED)
		rc |= st_leaf_time(b, "dlvEndDt", l->dlv_end_dt);
	rc |= st_leaf(b, "dlvEtprsCd", l->courier);
	if (shape == SHAPE_DELIVERED)
		rc |= st_leaf(b, "dlvMthd", "택배");
	/* Response code set: 01 택배 once shipped; null before (as in the capture). */
	rc |= st_leaf(b, "dlvMthdCd", *l->courier ? "01" : NULL) | st_leaf_u64(b, "dlvNo", l->dlv_no);
	rc |= st_leaf_time(b, "dlvSndDue", l->due) | st_leaf(b, "gblDlvYn", "N") | st_leaf(b, "invcNo", l->invoice);
	rc |= st_leaf_i64(b, "lstDlvCst", l->dlv_cst) | st_leaf_i64(b, "lstSellerDscPrc", 0) | st_leaf_i64(b, "lstTmallDscPrc", 0);
	rc |= st_leaf(b, "memID", l->mem_id) | st_leaf(b, "ordAmt", amt);
	if (shape == SHAPE_DETAIL || shape == SHAPE_STATUS)
		rc |= buf_printf(b, "<ordCnQty>%d</ordCnQty>", l->cn_qty);
	if (addr)
		rc |= st_leaf(b, "ordBaseAddr", l->rcvr.addr1) | st_leaf(b, "ordDtlsAddr", l->rcvr.addr2);
	rc |= st_leaf(b, "ordDlvReqCont", *l->memo ? l->memo : NULL) | st_leaf_time(b, "ordDt", l->ord_dt);
	rc |= st_leaf(b, "ordMailNo", NULL) | st_leaf(b, "ordNm", l->ord_nm) | st_leaf(b, "ordNo", l->ord_no);
	rc |= st_leaf_i64(b, "ordOptWonStl", 0) | st_leaf_i64(b, "ordPayAmt", pay) | st_leaf(b, "ordPrdSeq", seq);
	rc |= st_leaf(b, "ordPrdStat", l->stat);
	if (shape == SHAPE_DETAIL || shape == SHAPE_STATUS)
		rc |= st_leaf(b, "ordPrdStatNm", stat_name(l->stat));
	rc |= st_leaf(b, "ordPrtblTel", l->ord_tel) | st_leaf_i64(b, "ordQty", l->qty) | st_leaf_time(b, "ordStlEndDt", l->stl_dt);
	/* Real data has a phone of dashes only on some rows. */
	rc |= st_leaf(b, "ordTlphnNo", l->seq % 7 == 3 ? "02--" : "");
	rc |= st_leaf_time(b, "plcodrCnfDt", l->ack_dt) | st_leaf(b, "prdNm", l->prd_nm) | st_leaf_u64(b, "prdNo", l->prd_no);
	rc |= st_leaf_u64(b, "prdStckNo", l->stck_no);
	if (addr)
		rc |= st_leaf(b, "rcvrBaseAddr", l->rcvr.addr1) | st_leaf(b, "rcvrDtlsAddr", l->rcvr.addr2) |
		      st_leaf(b, "rcvrMailNo", l->rcvr.zip) | st_leaf(b, "rcvrMailNoSeq", "") | st_leaf(b, "rcvrNm", l->rcvr.name) |
		      st_leaf(b, "rcvrPrtblNo", l->rcvr.phone) | st_leaf(b, "rcvrTlphn", "");
	rc |= st_leaf_i64(b, "selPrc", l->sel_prc) | st_leaf_i64(b, "sellerDscPrc", l->seller_dsc);
	if (shape == SHAPE_DETAIL || shape == SHAPE_STATUS)
		rc |= st_leaf(b, "sellerID", "sandbox11st");
	rc |= st_leaf(b, "sellerPrdCd", l->seller_prd_cd) | st_leaf(b, "sellerStockCd", l->seller_stock_cd);
	rc |= st_leaf(b, "sendClfCd", "N") | st_leaf(b, "slctPrdOptNm", l->opt_nm) | st_leaf_time(b, "sndEndDt", l->snd_dt);
	rc |= st_leaf_i64(b, "stlPlnAmt", pay - pay / 10) | st_leaf_i64(b, "tmallDscPrc", l->tmall_dsc);
	rc |= st_leaf_i64(b, "totSelFee", pay / 10) | st_leaf(b, "typeAdd", "02") | st_leaf(b, "visitDlvYn", "N");
	return rc | buf_puts(b, "</ns2:order>\n");
}

static int put_claim(struct buf *b, const struct st_state *s, const struct st_claim *c, bool done_fields)
{
	const struct st_line *l = &s->lines[c->line];
	char seq[12];
	snprintf(seq, sizeof seq, "%d", l->seq);
	int rc = buf_puts(b, "  <ns2:order>");
	if (done_fields)
		rc |= st_leaf_i64(b, "addDlvCst", 0) | st_leaf_time(b, "cnTrtEndDt", c->done_dt);
	rc |= st_leaf_time(b, "createDt", c->create_dt);
	if (done_fields)
		rc |= st_leaf(b, "dlvCstRespnClf", strcmp(c->by, "02") == 0 ? "02" : "01");
	rc |= st_leaf_u64(b, "dlvNo", l->dlv_no) | st_leaf(b, "ordCnDtlsRsn", c->text) | st_leaf(b, "ordCnMnbdCd", c->by);
	rc |= buf_printf(b, "<ordCnQty>%d</ordCnQty>", c->qty) | st_leaf(b, "ordCnRsnCd", c->rsn);
	rc |= st_leaf(b, "ordCnStatCd", strcmp(c->stat, "03") == 0 ? "01" : c->stat);
	if (done_fields)
		rc |= st_leaf(b, "ordCnTypCd", c->typ);
	rc |= st_leaf(b, "ordNo", l->ord_no) | st_leaf_u64(b, "ordPrdCnSeq", c->cn_seq) | st_leaf(b, "ordPrdSeq", seq);
	rc |= st_leaf_u64(b, "prdNo", l->prd_no) | st_leaf(b, "referSeq", NULL) | st_leaf(b, "slctPrdOptNm", l->opt_nm);
	return rc | buf_puts(b, "</ns2:order>\n");
}

/* --- requests --- */

struct route {
	char buf[8192]; /* 100 17-digit ordNos are 1,800 bytes; more must reach -28003 */
	char *seg[MAX_SEGS]; /* after /rest/: service, name, params... (raw, not decoded) */
	int n;
};

static bool split(const char *path, struct route *r)
{
	r->n = 0;
	if (!str_starts(path, "/rest/") || strlen(path) >= sizeof r->buf)
		return false;
	str_copy(r->buf, sizeof r->buf, path + strlen("/rest/"));
	char *p = r->buf;
	while (p && r->n < MAX_SEGS) {
		r->seg[r->n++] = p;
		p = strchr(p, '/');
		if (p)
			*p++ = '\0';
	}
	return p == NULL && r->n >= 2;
}

static const char *param(const struct route *r, int i)
{
	return i + 2 < r->n ? r->seg[i + 2] : "";
}

static int nparams(const struct route *r)
{
	return r->n - 2;
}

static bool is(const struct route *r, const char *service, const char *name)
{
	return r->n >= 2 && strcmp(r->seg[0], service) == 0 && strcmp(r->seg[1], name) == 0;
}

static bool is_list_endpoint(const struct route *r)
{
	static const char *const lists[] = { "complete", "packaging", "shipping", "dlvcompleted", "cancelorders",
					     "canceledorders", "withdrawcanceledorders", "orderlistall",
					     "orderlistalladdr" };
	for (size_t i = 0; r->n >= 2 && i < sizeof lists / sizeof lists[0]; i++)
		if (strcmp(r->seg[1], lists[i]) == 0)
			return true;
	return r->n >= 2 && st_retex_is_list(r->seg[1]);
}

/* YYYYMMDDhhmm -> time. */
bool st_minute_time(const char *s, ob_time *t)
{
	return strlen(s) == 12 && str_is_digits(s) && kst_parse(s, t) == 0;
}

long st_find_line(const struct st_state *s, const char *ord_no, const char *seq)
{
	int64_t q;
	if (str_to_i64(seq, &q) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		if (s->lines[i].seq == q && strcmp(s->lines[i].ord_no, ord_no) == 0)
			return (long)i;
	return -1;
}

static bool order_exists(const struct st_state *s, const char *ord_no)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->lines[i].ord_no, ord_no) == 0)
			return true;
	return false;
}

struct hit {
	ob_time t;
	size_t i;
};

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The list endpoints: window checks, filter, oldest first, 3,000 at most. */
static int handle_list(struct st_state *s, const struct route *r, const struct sandbox_request *req,
		       struct sandbox_response *resp)
{
	const char *name = r->seg[1];
	bool claims = strcmp(r->seg[0], "claimservice") == 0;
	/* Error codes per list family (§2, §7, §11). */
	long e_start = -3103, e_end = -3104, e_span = -3105;
	if (strcmp(name, "packaging") == 0)
		e_start = -3303, e_end = -3304, e_span = -3305;
	else if (strcmp(name, "shipping") == 0 || strcmp(name, "dlvcompleted") == 0)
		e_start = -3902, e_end = -3903, e_span = -3904;
	else if (claims)
		e_start = -28007, e_end = -28006, e_span = -28008;
	ob_time t0, t1;
	if (nparams(r) != 2)
		return st_list_code(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	if (!st_minute_time(param(r, 0), &t0))
		return st_list_code(resp, e_start, "검색 시작일 형식이 올바르지 않습니다. (YYYYMMDDhhmm)");
	if (!st_minute_time(param(r, 1), &t1) || t1 < t0)
		return st_list_code(resp, e_end, "검색 종료일 형식이 올바르지 않습니다. (YYYYMMDDhhmm)");
	ob_time end = t1 + 60; /* the end minute is inclusive */
	if (end - t0 > (claims ? 30 : 7) * (ob_time)OB_DAY)
		return st_list_code(resp, e_span, claims ? "최대 조회기간은 30일 입니다." : "최대 조회기간은 일주일 입니다.");
	size_t cap = claims ? s->nc : s->n;
	struct hit *hits = malloc((cap ? cap : 1) * sizeof *hits);
	if (!hits)
		return -1;
	size_t nh = 0;
	for (size_t i = 0; i < cap; i++) {
		ob_time t = 0;
		if (!claims) {
			const struct st_line *l = &s->lines[i];
			if (strcmp(name, "complete") == 0 && strcmp(l->stat, "202") == 0)
				t = l->stl_dt;
			else if (strcmp(name, "packaging") == 0 && (strcmp(l->stat, "301") == 0 || strcmp(l->stat, "701") == 0))
				t = l->stl_dt;
			else if (strcmp(name, "shipping") == 0 && strcmp(l->stat, "401") == 0)
				t = l->snd_dt;
			else if (strcmp(name, "dlvcompleted") == 0 && strcmp(l->stat, "501") == 0)
				t = l->dlv_end_dt;
		} else {
			const struct st_claim *c = &s->claims[i];
			if (strcmp(name, "cancelorders") == 0 && (strcmp(c->stat, "01") == 0 || strcmp(c->stat, "02") == 0))
				t = c->create_dt;
			else if (strcmp(name, "canceledorders") == 0 && strcmp(c->stat, "02") == 0)
				t = c->done_dt;
			else if (strcmp(name, "withdrawcanceledorders") == 0 && strcmp(c->stat, "05") == 0)
				t = c->done_dt;
		}
		if (t && t >= t0 && t < end) {
			hits[nh].t = t;
			hits[nh].i = i;
			nh++;
		}
	}
	(void)req;
	if (!nh) {
		free(hits);
		return st_list_code(resp, 0, claims ? "해당 건이 없습니다." : "조회된 결과가 없습니다.");
	}
	qsort(hits, nh, sizeof *hits, hit_cmp);
	/* No paging: beyond 3,000 rows the rest is silently left out. */
	if (nh > ROW_CAP)
		nh = ROW_CAP;
	struct buf x = BUF_INIT;
	int rc = buf_printf(&x, "<ns2:orders xmlns:ns2=\"%s\">\n", NS) < 0 ? -1 : 0;
	enum shape shape = strcmp(name, "shipping") == 0 ? SHAPE_SHIPPING :
			   strcmp(name, "dlvcompleted") == 0 ? SHAPE_DELIVERED : SHAPE_LIST;
	for (size_t k = 0; k < nh && rc == 0; k++)
		rc = claims ? put_claim(&x, s, &s->claims[hits[k].i], strcmp(name, "cancelorders") != 0) :
			      put_line(&x, &s->lines[hits[k].i], shape);
	if (rc == 0)
		rc = buf_puts(&x, "</ns2:orders>\n");
	if (rc == 0)
		rc = st_send_xml(resp, "EUC-KR", &x);
	resp->rows = (int)nh;
	buf_free(&x);
	free(hits);
	return rc < 0 ? -1 : 0;
}

/* complete/{ordNo}, orderlistall/{ids}, orderlistalladdr/{ids}. */
static int handle_orders(struct st_state *s, const struct route *r, enum shape shape, bool paid_only,
			 struct sandbox_response *resp)
{
	char ids[8192];
	str_copy(ids, sizeof ids, param(r, 0));
	char *idv[101];
	int n = 0;
	for (char *p = ids; p && *p;) {
		if (n == 101)
			return st_list_code(resp, -28003, "주문번호는 최대 100개까지 조회 가능합니다.");
		idv[n++] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	if (n > 100)
		return st_list_code(resp, -28003, "주문번호는 최대 100개까지 조회 가능합니다.");
	for (int i = 0; i < n; i++)
		if (!str_is_digits(idv[i]))
			return st_list_code(resp, -28002, "주문번호 형식이 올바르지 않습니다.");
	if (n == 0)
		return st_list_code(resp, -28002, "주문번호가 없습니다.");
	resp->items = n;
	struct buf x = BUF_INIT;
	int rc = buf_printf(&x, "<ns2:orders xmlns:ns2=\"%s\">\n", NS) < 0 ? -1 : 0;
	int rows = 0;
	for (int i = 0; i < n && rc == 0; i++)
		for (size_t k = 0; k < s->n && rc == 0; k++) {
			const struct st_line *l = &s->lines[k];
			if (strcmp(l->ord_no, idv[i]) != 0 || (paid_only && strcmp(l->stat, "202") != 0))
				continue;
			rc = put_line(&x, l, shape);
			rows++;
		}
	if (rc == 0 && rows == 0) {
		buf_free(&x);
		return st_list_code(resp, 0, "조회된 결과가 없습니다.");
	}
	if (rc == 0)
		rc = buf_puts(&x, "</ns2:orders>\n");
	if (rc == 0)
		rc = st_send_xml(resp, "EUC-KR", &x);
	resp->rows = rows;
	buf_free(&x);
	return rc < 0 ? -1 : 0;
}

static void apply_address(struct st_line *l)
{
	if (l->pending) {
		l->rcvr = l->next;
		l->pending = false;
	}
}

static int reqpackaging(struct st_state *s, const struct route *r, const struct sandbox_request *req,
			struct sandbox_response *resp)
{
	if (nparams(r) != 5)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	long i = st_find_line(s, param(r, 0), param(r, 1));
	char dlv[24];
	if (i >= 0)
		snprintf(dlv, sizeof dlv, "%" PRIu64, s->lines[i].dlv_no);
	if (i < 0 || strcmp(dlv, param(r, 4)) != 0)
		return st_result_order(resp, -3206, "발주확인 할 주문이 없습니다.");
	struct st_line *l = &s->lines[i];
	char want_no[24];
	snprintf(want_no, sizeof want_no, "%" PRIu64, l->add_prd_no);
	if (strcmp(param(r, 2), l->add_prd ? "Y" : "N") != 0 || strcmp(param(r, 3), l->add_prd ? want_no : "null") != 0)
		return st_result_order(resp, -1, "추가구성상품 정보(addPrdYn/addPrdNo)가 주문과 다릅니다.");
	if (strcmp(l->stat, "B01") == 0 || strcmp(l->stat, "C01") == 0)
		return st_result_order(resp, -3211, "이미 취소된 주문입니다.");
	if (strcmp(l->stat, "701") == 0)
		return st_result_order(resp, -3214, "취소 처리중인 주문입니다.");
	if (strcmp(l->stat, "202") != 0)
		return st_result_order(resp, -3206, "이미 발주확인된 주문입니다.");
	/* Every paid line of the bundle with the same product (and its add-ons). */
	uint64_t prd = l->prd_no, bundle = l->dlv_no;
	int n = 0;
	for (size_t k = 0; k < s->n; k++) {
		struct st_line *o = &s->lines[k];
		if (o->dlv_no != bundle || strcmp(o->stat, "202") != 0)
			continue;
		if (o->prd_no != prd && !(o->add_prd && o->add_prd_no == prd && !l->add_prd))
			continue;
		str_copy(o->stat, sizeof o->stat, "301");
		o->ack_dt = req->now;
		apply_address(o);
		n++;
	}
	resp->items = n;
	char text[96];
	snprintf(text, sizeof text, "전체 %d건이 정상적으로 발주처리가 되었습니다.", n);
	return st_result_order(resp, 0, text);
}

bool st_courier_ok(const char *code, const char *invoice, long *why)
{
	const struct courier *c = courier_by_code("11st", code);
	char tmp[128];
	if (!c) {
		*why = 1;
		return false;
	}
	if (strlen(invoice) > 15 || !courier_invoice_ok(c, invoice, tmp, sizeof tmp)) {
		*why = 2;
		return false;
	}
	return true;
}

static int reqdelivery(struct st_state *s, const struct route *r, const struct sandbox_request *req,
		       struct sandbox_response *resp)
{
	if (nparams(r) != 5)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다. (부분발송은 샌드박스에서 지원하지 않습니다)");
	ob_time t;
	const char *mthd = param(r, 1), *code = param(r, 2), *inv = param(r, 3);
	if (!st_minute_time(param(r, 0), &t))
		return st_result_order(resp, -3301, "발송일자 형식이 올바르지 않습니다.");
	bool none = strcmp(mthd, "05") == 0;
	if (strcmp(mthd, "01") != 0 && strcmp(mthd, "03") != 0 && strcmp(mthd, "04") != 0 && !none)
		return st_result_order(resp, -1, "배송방법 코드가 올바르지 않습니다.");
	long why = 0;
	if (none) {
		if (strcmp(code, "null") != 0 || strcmp(inv, "null") != 0)
			return st_result_order(resp, -1, "배송없음은 택배사와 송장번호를 null로 보내야 합니다.");
	} else if (!st_courier_ok(code, inv, &why)) {
		return why == 1 ? st_result_order(resp, -3307, "택배사 코드가 올바르지 않습니다.") :
				  st_result_order(resp, -3306, "송장번호가 유효하지 않습니다.");
	}
	uint64_t dlv;
	if (!str_is_digits(param(r, 4)) || sscanf(param(r, 4), "%" SCNu64, &dlv) != 1)
		return st_result_order(resp, -1, "배송번호가 올바르지 않습니다.");
	int live = 0, ready = 0;
	for (size_t k = 0; k < s->n; k++) {
		struct st_line *o = &s->lines[k];
		if (o->dlv_no != dlv || strcmp(o->stat, "B01") == 0 || strcmp(o->stat, "C01") == 0)
			continue;
		live++;
		if (strcmp(o->stat, "701") == 0)
			return st_result_order(resp, -3310, "주문상태를 확인해 주세요. (취소요청 건)");
		if (strcmp(o->stat, "401") == 0 || strcmp(o->stat, "501") == 0 || strcmp(o->stat, "901") == 0)
			return st_result_order(resp, -3308, "이미 발송처리된 배송번호입니다.");
		if (strcmp(o->stat, "202") == 0)
			return st_result_order(resp, -3313, "발주확인 후 발송처리할 수 있습니다.");
		ready += strcmp(o->stat, "301") == 0;
	}
	if (!live || !ready)
		return st_result_order(resp, -1, "발송처리할 주문이 없습니다.");
	if (!none)
		for (size_t k = 0; k < s->n; k++)
			if (s->lines[k].dlv_no != dlv && strcmp(s->lines[k].invoice, inv) == 0 &&
			    strcmp(s->lines[k].courier, code) == 0)
				return st_result_order(resp, -3320, "이미 사용된 송장번호입니다.");
	for (size_t k = 0; k < s->n; k++) {
		struct st_line *o = &s->lines[k];
		if (o->dlv_no != dlv || strcmp(o->stat, "301") != 0)
			continue;
		str_copy(o->stat, sizeof o->stat, "401");
		o->snd_dt = req->now;
		str_copy(o->courier, sizeof o->courier, none ? "" : code);
		str_copy(o->invoice, sizeof o->invoice, none ? "" : inv);
	}
	resp->items = ready;
	char text[96];
	snprintf(text, sizeof text, "전체 %d건이 정상적으로 발송처리가 되었습니다.", ready);
	return st_result_order(resp, 0, text);
}

/* Percent-decodes a path segment (UTF-8, as the docs' examples). */
bool st_seg_decode(const char *s, char *out, size_t n)
{
	size_t w = 0;
	for (; *s; s++) {
		unsigned c = (unsigned char)*s;
		if (c == '%') {
			unsigned v;
			if (!s[1] || !s[2] || sscanf(s + 1, "%2x", &v) != 1)
				return false;
			c = v;
			s += 2;
		}
		if (w + 1 >= n)
			return false;
		out[w++] = (char)c;
	}
	out[w] = '\0';
	return w > 0 && str_valid_utf8(out, w);
}

size_t st_cp949_len(const char *utf8)
{
	struct buf b = BUF_INIT;
	size_t n = to_cp949(utf8, strlen(utf8), &b) == 0 ? b.len : strlen(utf8);
	buf_free(&b);
	return n;
}

static int reqrejectorder(struct st_state *s, const struct route *r, const struct sandbox_request *req,
			  struct sandbox_response *resp)
{
	if (nparams(r) != 4)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	if (!order_exists(s, param(r, 0)))
		return st_result_order(resp, -21002, "주문번호가 올바르지 않습니다.");
	long i = st_find_line(s, param(r, 0), param(r, 1));
	if (i < 0)
		return st_result_order(resp, -21003, "주문순번이 올바르지 않습니다.");
	static const char *const codes[] = { "06", "07", "08", "09", "10", "99" };
	bool code_ok = false;
	for (size_t k = 0; k < 6; k++)
		code_ok |= strcmp(codes[k], param(r, 2)) == 0;
	char text[600];
	if (!code_ok)
		return st_result_order(resp, -1, "취소사유 코드가 올바르지 않습니다.");
	if (!st_seg_decode(param(r, 3), text, sizeof text))
		return st_result_order(resp, -1, "취소사유가 올바르지 않습니다.");
	struct st_line *l = &s->lines[i];
	if (strcmp(l->stat, "B01") == 0 || strcmp(l->stat, "C01") == 0)
		return st_result_order(resp, -21004, "이미 취소된 주문입니다.");
	if (strcmp(l->stat, "202") != 0 && strcmp(l->stat, "301") != 0)
		return st_result_order(resp, -21005, "판매불가 처리할 수 없는 주문상태입니다.");
	struct st_claim *c = st_add_claim(s);
	if (!c)
		return -1;
	l = &s->lines[i];
	c->line = (size_t)i;
	c->qty = l->qty - l->cn_qty;
	str_copy(c->stat, sizeof c->stat, "02");
	str_copy(c->by, sizeof c->by, "02");
	str_copy(c->rsn, sizeof c->rsn, param(r, 2));
	str_copy(c->text, sizeof c->text, text);
	c->create_dt = c->done_dt = req->now;
	l->cn_qty = l->qty;
	str_copy(l->stat, sizeof l->stat, "B01");
	resp->items = 1;
	return st_result_order(resp, 0, "전체 1건이 정상적으로 판매불가 처리되었습니다.");
}

static struct st_claim *find_claim(struct st_state *s, const char *id)
{
	for (size_t k = 0; k < s->nc; k++) {
		char t[24];
		snprintf(t, sizeof t, "%" PRIu64, s->claims[k].cn_seq);
		if (strcmp(t, id) == 0)
			return &s->claims[k];
	}
	return NULL;
}

static const char *closed_text(const struct st_claim *c)
{
	return strcmp(c->stat, "02") == 0 ? "이미 취소 완료된 신청건 입니다." :
	       strcmp(c->stat, "05") == 0 ? "구매자가 철회한 신청건 입니다." : "이미 발송처리된 신청건 입니다.";
}

static int cancelreqconf(struct st_state *s, const struct route *r, const struct sandbox_request *req,
			 struct sandbox_response *resp)
{
	if (nparams(r) != 3)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	/* The claim number comes first. */
	struct st_claim *c = find_claim(s, param(r, 0));
	if (!c)
		return st_result_order(resp, -22004, "클레임번호가 올바르지 않습니다.");
	struct st_line *l = &s->lines[c->line];
	char seq[12];
	snprintf(seq, sizeof seq, "%d", l->seq);
	if (strcmp(l->ord_no, param(r, 1)) != 0)
		return st_result_order(resp, -22002, "주문번호가 올바르지 않습니다.");
	if (strcmp(seq, param(r, 2)) != 0)
		return st_result_order(resp, -22003, "주문순번이 올바르지 않습니다.");
	if (strcmp(c->stat, "01") != 0)
		return st_result_order(resp, -1, closed_text(c));
	str_copy(c->stat, sizeof c->stat, "02");
	c->done_dt = req->now;
	l->cn_qty += c->qty;
	str_copy(l->stat, sizeof l->stat, l->cn_qty >= l->qty ? "B01" : "301");
	resp->items = 1;
	return st_result_order(resp, 0, "전체 1건이 정상적으로 취소처리가 되었습니다.");
}

static int cancelreqreject(struct st_state *s, const struct route *r, const struct sandbox_request *req,
			   struct sandbox_response *resp)
{
	if (nparams(r) != 7)
		return st_result_order(resp, -1, "요청 파라미터가 올바르지 않습니다.");
	/* The order number comes first; sendDt is YYYYMMDD. */
	struct st_claim *c = find_claim(s, param(r, 2));
	if (!c)
		return st_result_order(resp, -23002, "클레임 정보가 없습니다.");
	struct st_line *l = &s->lines[c->line];
	char seq[12];
	snprintf(seq, sizeof seq, "%d", l->seq);
	if (strcmp(l->ord_no, param(r, 0)) != 0 || strcmp(seq, param(r, 1)) != 0)
		return st_result_order(resp, -23007, "취소 정보를 찾을 수 없습니다.");
	if (strcmp(c->stat, "01") != 0)
		return st_result_order(resp, -23007, closed_text(c));
	ob_time d;
	if (strlen(param(r, 4)) != 8 || !str_is_digits(param(r, 4)) || kst_parse(param(r, 4), &d) < 0)
		return st_result_order(resp, -23003, "발송일자가 올바르지 않습니다. (YYYYMMDD)");
	const char *m = param(r, 3);
	if (strlen(m) != 2 || m[0] != '0' || m[1] < '1' || m[1] > '5')
		return st_result_order(resp, -23004, "배송방법이 올바르지 않습니다.");
	long why = 0;
	if (strcmp(m, "05") != 0 && !st_courier_ok(param(r, 5), param(r, 6), &why))
		return why == 1 ? st_result_order(resp, -23006, "택배사 코드가 올바르지 않습니다.") :
				  st_result_order(resp, -23005, "송장번호가 올바르지 않습니다.");
	str_copy(c->stat, sizeof c->stat, "03");
	c->done_dt = req->now;
	str_copy(l->stat, sizeof l->stat, "401");
	l->snd_dt = req->now;
	str_copy(l->courier, sizeof l->courier, param(r, 5));
	str_copy(l->invoice, sizeof l->invoice, param(r, 6));
	resp->items = 1;
	return st_result_order(resp, 0, "전체 1건이 정상적으로 취소거부 처리되었습니다.");
}

static const char *child_text(xmlNode *root, const char *name, char *out, size_t n)
{
	out[0] = '\0';
	for (xmlNode *k = root ? root->children : NULL; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE || strcmp((const char *)k->name, name) != 0)
			continue;
		size_t w = 0;
		for (xmlNode *t = k->children; t; t = t->next) {
			if ((t->type != XML_TEXT_NODE && t->type != XML_CDATA_SECTION_NODE) || !t->content)
				continue;
			size_t l = strlen((const char *)t->content);
			if (w + l + 1 > n)
				l = n - w - 1;
			memcpy(out + w, t->content, l);
			w += l;
		}
		out[w] = '\0';
		break;
	}
	return out;
}

static int delivery_delay(struct st_state *s, const struct sandbox_request *req, struct sandbox_response *resp)
{
	xmlDoc *doc = xmlReadMemory(req->body, (int)req->body_len, "delay.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || strcmp((const char *)root->name, "DeliveryDelayGuideRequest") != 0 || doc->intSubset) {
		xmlFreeDoc(doc);
		return st_result_order(resp, -1, "요청 XML이 올바르지 않습니다. (DeliveryDelayGuideRequest)");
	}
	char ord[40], dlv[40], dt[40], code[16], rsn[1200];
	child_text(root, "ordNo", ord, sizeof ord);
	child_text(root, "dlvNo", dlv, sizeof dlv);
	child_text(root, "delaySendDt", dt, sizeof dt);
	child_text(root, "delaySendRsnCd", code, sizeof code);
	child_text(root, "delaySendRsn", rsn, sizeof rsn);
	xmlFreeDoc(doc);
	str_trim(ord);
	str_trim(dlv);
	str_trim(dt);
	str_trim(code);
	if (!order_exists(s, ord))
		return st_result_order(resp, -28301, "주문번호가 올바르지 않습니다.");
	uint64_t dn = 0;
	bool found = false;
	if (str_is_digits(dlv) && sscanf(dlv, "%" SCNu64, &dn) == 1)
		for (size_t k = 0; k < s->n; k++)
			found |= strcmp(s->lines[k].ord_no, ord) == 0 && s->lines[k].dlv_no == dn;
	if (!found)
		return st_result_order(resp, -28302, "배송번호가 올바르지 않습니다.");
	ob_time d;
	if (strlen(dt) != 8 || !str_is_digits(dt) || kst_parse(dt, &d) < 0)
		return st_result_order(resp, -28303, "발송예정일 형식이 올바르지 않습니다. (YYYYMMDD)");
	ob_time today = kst_day_start(req->now);
	if (d < today || d > today + 30 * (ob_time)OB_DAY)
		return st_result_order(resp, -28306, "발송예정일은 오늘부터 30일 이내로 입력해 주세요.");
	if (strlen(code) != 2 || code[0] != '0' || code[1] < '1' || code[1] > '5')
		return st_result_order(resp, -28304, "발송지연 사유코드가 올바르지 않습니다.");
	if (!*rsn)
		return st_result_order(resp, -28305, "발송지연 사유가 없습니다.");
	size_t bytes = st_cp949_len(rsn);
	if (bytes < 20 || bytes > 300)
		return st_result_order(resp, -28307, "발송지연 사유는 20~300 byte로 입력해 주세요.");
	int n = 0;
	for (size_t k = 0; k < s->n; k++) {
		struct st_line *l = &s->lines[k];
		if (strcmp(l->ord_no, ord) != 0 || l->dlv_no != dn)
			continue;
		if (strcmp(l->stat, "202") != 0 && strcmp(l->stat, "301") != 0)
			continue;
		l->delay_dt = d;
		str_copy(l->delay_rsn, sizeof l->delay_rsn, code);
		n++;
	}
	if (!n)
		return st_result_order(resp, -28311, "발송지연 안내 조건에 맞지 않습니다. (결제완료/배송준비중만 가능)");
	resp->items = n;
	char text[96];
	snprintf(text, sizeof text, "전체 %d 건이 발송지연 처리 되었습니다.", n);
	return st_result_order(resp, 0, text);
}

static int not_found(struct sandbox_response *resp)
{
	buf_reset(&resp->body);
	if (buf_puts(&resp->body, "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>") < 0)
		return -1;
	resp->status = 404;
	resp->content_type = "text/html";
	return 0;
}

static int st_handle(void *state, const struct sandbox_request *req, struct sandbox_response *resp)
{
	struct st_state *s = state;
	struct route r;
	if (!split(req->path, &r))
		return not_found(resp);
	bool list = is_list_endpoint(&r);
	bool post = strcmp(req->method, "POST") == 0;
	bool delay = is(&r, "ordservices", "deliveryDelayGuide");
	if ((delay && !post) || (!delay && strcmp(req->method, "GET") != 0)) {
		buf_reset(&resp->body);
		resp->status = 405;
		resp->content_type = "text/html";
		return buf_puts(&resp->body, "<html><body>405 Method Not Allowed</body></html>") < 0 ? -1 : 0;
	}
	/* The key: a business error -1 inside HTTP 200, as for a wrong key. */
	const char *key = sandbox_header(req, "openapikey");
	if (!key || strcmp(key, SANDBOX_ELEVENST_KEY) != 0) {
		const char *t = "OpenAPI Key 에 해당하는 유저가 없습니다.";
		return list ? st_list_code(resp, -1, t) : st_result_order(resp, -1, t);
	}
	if (s->maintenance) {
		const char *t = "서버 점검중입니다. 매주 금요일 새벽은 정기점검일입니다.";
		return list ? st_list_code(resp, -1000, t) : st_result_order(resp, -1000, t);
	}
	if (is(&r, "ordservices", "complete") && nparams(&r) == 1)
		return handle_orders(s, &r, SHAPE_LIST, true, resp);
	if (is(&r, "claimservice", "orderlistalladdr") && nparams(&r) == 1)
		return handle_orders(s, &r, SHAPE_DETAIL, false, resp);
	if (is(&r, "claimservice", "orderlistall") && nparams(&r) == 1)
		return handle_orders(s, &r, SHAPE_STATUS, false, resp);
	if ((strcmp(r.seg[0], "ordservices") == 0 &&
	     (is(&r, "ordservices", "complete") || is(&r, "ordservices", "packaging") ||
	      is(&r, "ordservices", "shipping") || is(&r, "ordservices", "dlvcompleted"))) ||
	    is(&r, "claimservice", "cancelorders") || is(&r, "claimservice", "canceledorders") ||
	    is(&r, "claimservice", "withdrawcanceledorders"))
		return handle_list(s, &r, req, resp);
	if (is(&r, "ordservices", "reqpackaging"))
		return reqpackaging(s, &r, req, resp);
	if (is(&r, "ordservices", "reqdelivery"))
		return reqdelivery(s, &r, req, resp);
	if (delay)
		return delivery_delay(s, req, resp);
	if (is(&r, "claimservice", "reqrejectorder"))
		return reqrejectorder(s, &r, req, resp);
	if (is(&r, "claimservice", "cancelreqconf"))
		return cancelreqconf(s, &r, req, resp);
	if (is(&r, "claimservice", "cancelreqreject"))
		return cancelreqreject(s, &r, req, resp);
	bool handled;
	int rc = st_retex_handle(s, r.seg, r.n, req, resp, &handled);
	return handled ? rc : not_found(resp);
}

static void st_describe(const struct sandbox_request *req, char *endpoint, size_t n, int *items)
{
	struct route r;
	*items = 0;
	if (!split(req->path, &r)) {
		snprintf(endpoint, n, "%s unknown", req->method);
		return;
	}
	snprintf(endpoint, n, "%s %s/%s", req->method, r.seg[0], r.seg[1]);
	if (r.n >= 3 && is(&r, "claimservice", "claimservice")) /* the doubled return-invoice path */
		snprintf(endpoint, n, "%s claimservice/claimservice/%s", req->method, r.seg[2]);
	if ((is(&r, "claimservice", "orderlistalladdr") || is(&r, "claimservice", "orderlistall")) && nparams(&r) == 1) {
		int k = 1;
		for (const char *p = param(&r, 0); *p; p++)
			k += *p == ',';
		*items = k;
	} else if (is(&r, "ordservices", "complete") && nparams(&r) == 1) {
		/* One order's detail, not the window list. */
		snprintf(endpoint, n, "%s ordservices/complete/{ordNo}", req->method);
	} else if (!is_list_endpoint(&r)) {
		*items = 1;
	}
}

/* --- test endpoints (/_sandbox/11st/...) --- */

int st_json_answer(struct sandbox_response *resp, int status, const char *k, const char *v, int count)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, k, v) || (count >= 0 && !cJSON_AddNumberToObject(o, "count", count))) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, status, o);
}

static int st_test(void *state, const char *action, const struct sandbox_request *req, struct sandbox_response *resp)
{
	struct st_state *s = state;
	char a[64] = "", b[64] = "", c[32] = "";
	if (strcmp(action, "burst") == 0) {
		/* burst?day=YYYY-MM-DD&count=N: N more paid orders on that day. */
		ob_time day;
		int64_t n;
		if (sandbox_query_get(req->query, "day", a, sizeof a) != 1 || kst_parse_date(a, &day) < 0 ||
		    sandbox_query_get(req->query, "count", b, sizeof b) != 1 || str_to_i64(b, &n) < 0 || n < 1 ||
		    n > 200000)
			return st_json_answer(resp, 400, "message", "burst?day=YYYY-MM-DD&count=N (1-200000)", -1);
		if (st_burst(s, day, (int)n) < 0)
			return -1;
		return st_json_answer(resp, 200, "message", "paid orders added", (int)n);
	}
	if (strcmp(action, "maintenance") == 0) {
		sandbox_query_get(req->query, "on", a, sizeof a);
		s->maintenance = strcmp(a, "0") != 0;
		return st_json_answer(resp, 200, "message", s->maintenance ? "maintenance on (-1000)" : "maintenance off", -1);
	}
	if (strcmp(action, "cancel-request") == 0) {
		/* cancel-request?ordNo=..&ordPrdSeq=..[&qty=N]: the buyer asks to cancel an acknowledged line. */
		sandbox_query_get(req->query, "ordNo", a, sizeof a);
		sandbox_query_get(req->query, "ordPrdSeq", b, sizeof b);
		long i = st_find_line(s, a, b);
		if (i < 0 || strcmp(s->lines[i].stat, "301") != 0)
			return st_json_answer(resp, 409, "message", "no such line in status 301", -1);
		int64_t q = s->lines[i].qty - s->lines[i].cn_qty;
		if (sandbox_query_get(req->query, "qty", c, sizeof c) == 1 && (str_to_i64(c, &q) < 0 || q < 1 ||
									     q > s->lines[i].qty - s->lines[i].cn_qty))
			return st_json_answer(resp, 400, "message", "qty out of range", -1);
		struct st_claim *cl = st_add_claim(s);
		if (!cl)
			return -1;
		cl->line = (size_t)i;
		cl->qty = (int)q;
		str_copy(cl->stat, sizeof cl->stat, "01");
		str_copy(cl->by, sizeof cl->by, "01");
		str_copy(cl->rsn, sizeof cl->rsn, "11");
		str_copy(cl->text, sizeof cl->text, "단순 변심입니다");
		cl->create_dt = req->now;
		str_copy(s->lines[i].stat, sizeof s->lines[i].stat, "701");
		char id[24];
		snprintf(id, sizeof id, "%" PRIu64, cl->cn_seq);
		return st_json_answer(resp, 200, "ordPrdCnSeq", id, -1);
	}
	if (strcmp(action, "withdraw") == 0) {
		/* withdraw?ordPrdCnSeq=..: the buyer takes the request back. */
		sandbox_query_get(req->query, "ordPrdCnSeq", a, sizeof a);
		struct st_claim *cl = find_claim(s, a);
		if (!cl || strcmp(cl->stat, "01") != 0)
			return st_json_answer(resp, 409, "message", "no open request with that ordPrdCnSeq", -1);
		str_copy(cl->stat, sizeof cl->stat, "05");
		cl->done_dt = req->now;
		str_copy(s->lines[cl->line].stat, sizeof s->lines[cl->line].stat, "301");
		return st_json_answer(resp, 200, "message", "withdrawn", -1);
	}
	if (strcmp(action, "address-change") == 0) {
		/* address-change?ordNo=..: the buyer changes the address of a paid order;
		 * 11st shows it from the acknowledgement on. */
		sandbox_query_get(req->query, "ordNo", a, sizeof a);
		int n = 0;
		for (size_t k = 0; k < s->n; k++) {
			struct st_line *l = &s->lines[k];
			if (strcmp(l->ord_no, a) != 0 || strcmp(l->stat, "202") != 0)
				continue;
			l->pending = true;
			str_copy(l->next.name, sizeof l->next.name, l->rcvr.name);
			str_copy(l->next.phone, sizeof l->next.phone, l->rcvr.phone);
			str_copy(l->next.zip, sizeof l->next.zip, "04524");
			str_copy(l->next.addr1, sizeof l->next.addr1, "서울특별시 중구 세종대로 110");
			str_copy(l->next.addr2, sizeof l->next.addr2, "서울시청 본관 3층");
			n++;
		}
		if (!n)
			return st_json_answer(resp, 409, "message", "no paid (202) line in that order", -1);
		return st_json_answer(resp, 200, "message", "address changed; shown from acknowledgement", n);
	}
	bool handled;
	int rc = st_retex_test(s, action, req, resp, &handled);
	if (handled)
		return rc;
	return st_json_answer(resp, 404, "message",
			      "11st test endpoints: burst, maintenance, cancel-request, withdraw, address-change, "
			      "return-request, exchange-request, claim-withdraw, return-complete, return-burst, "
			      "returninvc-path", -1);
}

/* --- lifecycle --- */

static int st_create_ops(const struct sandbox_gen_opts *o, void **state, struct ob_err *err)
{
	xmlInitParser();
	struct st_state *s = NULL;
	int rc = st_create(o, &s, err);
	*state = s;
	return rc;
}

static int st_load(const char *path, const struct sandbox_gen_opts *o, void **state, struct ob_err *err)
{
	(void)o;
	(void)state;
	return ob_errf(err, OB_EUSAGE, "the 11st sandbox has no --dataset files (%s); use --seed/--orders/--burst",
		       path);
}

static int st_json(void *state, cJSON *root)
{
	return st_state_json(state, root);
}

static int st_reset_ops(void *state, struct ob_err *err)
{
	return st_reset(state, err);
}

/* --burst at start: part of the data set, so reset keeps it. */
static int st_burst_ops(void *state, ob_time day, int orders, struct ob_err *err)
{
	if (st_burst(state, day, orders) < 0 || st_snapshot(state) < 0)
		return ob_err_nomem(err);
	return OB_OK;
}

static int st_config(void *state, const char *base_url, struct buf *out)
{
	(void)state;
	/* base_url replaces the documented base, which ends in /rest. */
	return buf_printf(out, "\n[11st.sandbox]\napi_key = %s\nbase_url = %s/rest\nrate = 8\n", SANDBOX_ELEVENST_KEY,
			  base_url);
}

static void st_free_ops(void *state)
{
	st_free(state);
}

const struct sandbox_market_ops sandbox_elevenst_ops = {
	.name = "11st",
	.port_offset = 1,
	.create = st_create_ops,
	.load = st_load,
	.describe = st_describe,
	.handle = st_handle,
	.handle_test = st_test,
	.state_json = st_json,
	.reset = st_reset_ops,
	.burst = st_burst_ops,
	.config_section = st_config,
	.free = st_free_ops,
};
