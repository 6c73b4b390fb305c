/* Coupang actions: acknowledge (≤ 50 boxes a call, then re-read each box for
 * the address), invoices (upload from INSTRUCT, update once shipped, ACK first
 * when still ACCEPT, never onto a box with an open stop-shipment request),
 * seller cancel (per box), approve / reject a cancel request (per receipt).
 * Every action re-reads the market state first, so running it again after a
 * crash or a lost answer never applies it twice. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market/adapter.h"
#include "market/coupang_int.h"
#include "market/couriers.h"
#include "util/json.h"
#include "util/kst.h"
#include "util/log.h"
#include "util/str.h"

#define item_result action_result

static void fail_all(struct action_batch *b, const struct ob_err *e, bool unknown)
{
	for (size_t i = 0; i < b->n; i++) {
		if (b->items[i].result != RES_NONE)
			continue;
		item_result(&b->items[i], RES_FAILED, NULL, "%s", e->msg);
		b->items[i].outcome_unknown = unknown;
	}
}

/* Distinct values of column f among the batch items still undecided. */
static size_t distinct(struct action_batch *b, enum field_id f, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (b->items[i].result != RES_NONE)
			continue;
		const char *v = record_get(b->items[i].rec, f);
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(out[k], v) == 0)
				break;
		if (k == n && n < max)
			out[n++] = v;
	}
	return n;
}

/* GET v5 ordersheets/{box}: the box as Coupang has it now. Returns OB_OK with
 * *root set, OB_EROWS when Coupang refuses (e.g. cancelled/returned: msg says). */
static int read_box(struct coupang *cp, struct http_client *c, const char *box, cJSON **root, struct ob_err *err)
{
	char path[256];
	if (!str_is_digits(box))
		return ob_errf(err, OB_EROWS, "bundle_no '%s' is not a Coupang shipmentBoxId", box);
	snprintf(path, sizeof path, COUPANG_API "/v5/vendors/%s/ordersheets/%s", cp->vendor_id, box);
	return coupang_call(cp, c, "GET", path, NULL, NULL, true, root, NULL, NULL, err);
}

static const cJSON *box_data(const cJSON *root)
{
	const cJSON *d = json_get(root, "data");
	return cJSON_IsArray(d) ? cJSON_GetArrayItem(d, 0) : d;
}

static bool shipped_status(const char *s)
{
	return str_eq(s, "DEPARTURE") || str_eq(s, "DELIVERING") || str_eq(s, "FINAL_DELIVERY") ||
	       str_eq(s, "NONE_TRACKING");
}

/* Sends PUT acknowledgement for boxes; fills ok[i] per box. Returns OB_OK when
 * an answer came (per-box results inside), else the transport error. */
static int send_ack(struct coupang *cp, struct http_client *c, const char **boxes, size_t n, bool *ok,
		    char (*codes)[64], char (*msgs)[256], bool *unknown, struct ob_err *err)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *ids = body ? cJSON_AddArrayToObject(body, "shipmentBoxIds") : NULL;
	if (!body || !ids || !cJSON_AddStringToObject(body, "vendorId", cp->vendor_id)) {
		cJSON_Delete(body);
		return ob_err_nomem(err);
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *id = json_create_id(boxes[i]);
		if (!id || !cJSON_AddItemToArray(ids, id)) {
			cJSON_Delete(body);
			return ob_err_nomem(err);
		}
		ok[i] = false;
		str_copy(codes[i], 64, "");
		str_copy(msgs[i], 256, "no per-box answer from Coupang");
	}
	char path[256];
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/ordersheets/acknowledgement", cp->vendor_id);
	cJSON *root = NULL;
	int rc = coupang_call(cp, c, "PUT", path, NULL, body, false, &root, NULL, unknown, err);
	cJSON_Delete(body);
	if (rc != OB_OK) {
		if (rc == OB_EROWS) { /* the whole call refused: same reason for every box */
			for (size_t i = 0; i < n; i++)
				str_copy(msgs[i], 256, err->msg);
			return OB_OK;
		}
		return rc;
	}
	const cJSON *r;
	cJSON_ArrayForEach(r, json_get(json_get(root, "data"), "responseList"))
	{
		char box[64];
		json_id(r, "shipmentBoxId", box, sizeof box);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(boxes[i], box) != 0)
				continue;
			ok[i] = json_bool(r, "succeed", false);
			const char *code = json_str(r, "resultCode"), *m = json_str(r, "resultMessage");
			str_copy(codes[i], 64, code ? code : "");
			str_copy(msgs[i], 256, m ? m : "");
		}
	}
	cJSON_Delete(root);
	return OB_OK;
}

/* The receiver of a Coupang ordersheet. */
static struct market_address receiver_of(const cJSON *recv)
{
	struct market_address a = { json_str(recv, "name"), json_str(recv, "safeNumber"), json_str(recv, "postCode"),
				    json_str(recv, "addr1"), json_str(recv, "addr2") };
	return a;
}

/* After ACK: re-read each box, report address changes. */
static void after_ack(struct coupang *cp, struct http_client *c, struct action_batch *b, const char *box)
{
	cJSON *root = NULL;
	struct ob_err e = OB_ERR_INIT;
	if (read_box(cp, c, box, &root, &e) != OB_OK) {
		FOR_ITEMS_WITH(b, F_BUNDLE_NO, box, it)
		{
			if (it->result == RES_OK)
				snprintf(it->message, sizeof it->message,
					 "acknowledged; could not re-read the address (%.300s): check it in WING before "
					 "shipping",
					 e.msg);
		}
		return;
	}
	const cJSON *recv = json_get(box_data(root), "receiver");
	char addr[400];
	struct market_address now = receiver_of(recv);
	address_text(&now, addr, sizeof addr);
	FOR_ITEMS_WITH(b, F_BUNDLE_NO, box, it)
	{
		if (it->result != RES_OK && it->result != RES_SKIPPED)
			continue;
		if (address_differs(it->rec, &now)) {
			it->address_changed = true;
			snprintf(it->message, sizeof it->message,
				 "%s; the buyer changed the address since the export, ship to: %s",
				 it->result == RES_OK ? "acknowledged" : "already acknowledged", addr);
		}
	}
	cJSON_Delete(root);
}

/* Boxes sent before without a known outcome: read them first, so a box
 * already acknowledged is never sent again. */
static void ack_recheck(struct coupang *cp, struct http_client *c, struct action_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct action_item *first = &b->items[i];
		if (!first->prior || first->result != RES_NONE)
			continue;
		const char *box = record_get(first->rec, F_BUNDLE_NO);
		cJSON *root = NULL;
		struct ob_err e = OB_ERR_INIT;
		if (read_box(cp, c, box, &root, &e) != OB_OK) {
			cJSON_Delete(root);
			continue; /* the ack call below answers for it */
		}
		const char *st = json_str(box_data(root), "status");
		if (st && (str_eq(st, "INSTRUCT") || shipped_status(st))) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, box, it)
			item_result(it, RES_SKIPPED, NULL, "already acknowledged (status %s)", st);
			cJSON_Delete(root);
			after_ack(cp, c, b, box);
			continue;
		}
		cJSON_Delete(root);
	}
}

static int perform_ack(struct coupang *cp, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	ack_recheck(cp, c, b);
	const char *boxes[64];
	size_t n = distinct(b, F_BUNDLE_NO, boxes, 64);
	if (n == 0)
		return OB_OK;
	bool ok[64], unknown = false;
	char codes[64][64], msgs[64][256];
	int rc = send_ack(cp, c, boxes, n, ok, codes, msgs, &unknown, err);
	if (rc != OB_OK) {
		fail_all(b, err, unknown);
		return OB_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (ok[i]) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_OK, codes[i], "acknowledged (상품준비중)");
			after_ack(cp, c, b, boxes[i]);
			continue;
		}
		/* Failed: already acknowledged is not a failure of ours. */
		cJSON *root = NULL;
		struct ob_err e = OB_ERR_INIT;
		const char *st = NULL;
		if (read_box(cp, c, boxes[i], &root, &e) == OB_OK)
			st = json_str(box_data(root), "status");
		FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
		{
			if (st && (str_eq(st, "INSTRUCT") || shipped_status(st)))
				item_result(it, RES_SKIPPED, codes[i], "already acknowledged (status %s)", st);
			else
				item_result(it, RES_FAILED, codes[i], "%s", msgs[i]);
		}
		if (st && str_eq(st, "INSTRUCT"))
			after_ack(cp, c, b, boxes[i]);
		cJSON_Delete(root);
	}
	return OB_OK;
}

/* Open stop-shipment requests on a box: the receipt ids (comma list) in out.
 * Returns OB_OK (out empty when none) or the error of the lookup. */
static int open_stop_requests(struct coupang *cp, struct http_client *c, const char *order_id, const char *box,
			      ob_time ordered, char *out, size_t n, struct ob_err *err)
{
	char path[256], query[256], d0[16], d1[16];
	/* Requests come after the order: the 31 days from its order date (the
	 * list's longest window), whatever this machine's clock says. */
	kst_strftime(d0, sizeof d0, "%Y-%m-%d", ordered);
	kst_strftime(d1, sizeof d1, "%Y-%m-%d", ordered + 30 * (ob_time)OB_DAY);
	snprintf(path, sizeof path, COUPANG_API "/v6/vendors/%s/returnRequests", cp->vendor_id);
	snprintf(query, sizeof query, "cancelType=RETURN&createdAtFrom=%s&createdAtTo=%s&orderId=%s&status=RU", d0, d1,
		 order_id);
	out[0] = '\0';
	cJSON *root = NULL;
	int rc = coupang_call(cp, c, "GET", path, query, NULL, true, &root, NULL, NULL, err);
	if (rc != OB_OK)
		return rc;
	const cJSON *rr;
	cJSON_ArrayForEach(rr, json_get(root, "data"))
	{
		enum claim_type t;
		enum claim_status s;
		enum confirmed_by by;
		coupang_claim_status(rr, &t, &s, &by);
		if (t != CT_CANCEL || s != CS_REQUESTED)
			continue;
		const cJSON *ri;
		cJSON_ArrayForEach(ri, json_get(rr, "returnItems"))
		{
			char rb[64];
			json_id(ri, "shipmentBoxId", rb, sizeof rb);
			/* Items already released (Y) are past stopping; N (or no value) is open. */
			const char *rel = json_str(ri, "releaseStatus");
			if (strcmp(rb, box) != 0 || (rel && *rel && strcmp(rel, "N") != 0))
				continue;
			char id[64];
			json_id(rr, "receiptId", id, sizeof id);
			size_t l = strlen(out);
			snprintf(out + l, n - l, "%s%s", l ? "," : "", id);
			break;
		}
	}
	cJSON_Delete(root);
	return OB_OK;
}

struct ship_box {
	const char *box;
	cJSON *root;     /* the box as read */
	int mode;        /* 0 upload, 1 update */
};

static int add_invoice_dtos(cJSON *list, const struct coupang *cp, const struct ship_box *sb, const char *code,
			    const char *invoice)
{
	const cJSON *sheet = box_data(sb->root);
	char order_id[64];
	json_id(sheet, "orderId", order_id, sizeof order_id);
	const cJSON *it;
	(void)cp;
	cJSON_ArrayForEach(it, json_get(sheet, "orderItems"))
	{
		char vid[64];
		json_id(it, "vendorItemId", vid, sizeof vid);
		cJSON *dto = cJSON_CreateObject();
		if (!dto || !cJSON_AddItemToArray(list, dto))
			return -1;
		if (!json_add_id(dto, "shipmentBoxId", sb->box) || !json_add_id(dto, "orderId", order_id) ||
		    !json_add_id(dto, "vendorItemId", vid) || !cJSON_AddStringToObject(dto, "deliveryCompanyCode", code) ||
		    !cJSON_AddStringToObject(dto, "invoiceNumber", invoice) ||
		    !cJSON_AddBoolToObject(dto, "splitShipping", 0) || !cJSON_AddBoolToObject(dto, "preSplitShipped", 0) ||
		    !cJSON_AddStringToObject(dto, "estimatedShippingDate", ""))
			return -1;
	}
	return 0;
}

static void send_invoices(struct coupang *cp, struct http_client *c, struct action_batch *b, struct ship_box *sbs,
			  size_t n, int mode)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *list = body ? cJSON_AddArrayToObject(body, "orderSheetInvoiceApplyDtos") : NULL;
	size_t count = 0;
	struct ob_err e = OB_ERR_INIT;
	if (!body || !list || !cJSON_AddStringToObject(body, "vendorId", cp->vendor_id))
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		if (sbs[i].mode != mode || !sbs[i].root)
			continue;
		const struct action_item *first = NULL;
		FOR_ITEMS_WITH(b, F_BUNDLE_NO, sbs[i].box, it)
		{
			if (it->result == RES_NONE && !first)
				first = it;
		}
		if (!first)
			continue;
		if (add_invoice_dtos(list, cp, &sbs[i], first->courier_code, record_get(first->rec, F_INVOICE_NO)) < 0)
			goto nomem;
		count++;
	}
	if (!count) {
		cJSON_Delete(body);
		return;
	}
	char path[256];
	snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/orders/%s", cp->vendor_id,
		 mode ? "updateInvoices" : "invoices");
	cJSON *root = NULL;
	bool unknown = false;
	int rc = coupang_call(cp, c, "POST", path, NULL, body, false, &root, NULL, &unknown, &e);
	cJSON_Delete(body);
	for (size_t i = 0; i < n; i++) {
		if (sbs[i].mode != mode || !sbs[i].root)
			continue;
		bool found = false, ok = false;
		char code[64] = "", msg[256] = "no per-box answer from Coupang";
		const cJSON *r;
		const cJSON *list_out = rc == OB_OK ? json_get(json_get(root, "data"), "responseList") : NULL;
		cJSON_ArrayForEach(r, list_out)
		{
			char box[64];
			json_id(r, "shipmentBoxId", box, sizeof box);
			if (strcmp(box, sbs[i].box) != 0)
				continue;
			found = true;
			ok = json_bool(r, "succeed", false);
			const char *cd = json_str(r, "resultCode"), *m = json_str(r, "resultMessage");
			str_copy(code, sizeof code, cd ? cd : "");
			str_copy(msg, sizeof msg, m ? m : "");
			if (json_bool(r, "retryRequired", false) && !ok)
				strncat(msg, " (Coupang says it may be retried)", sizeof msg - strlen(msg) - 1);
		}
		FOR_ITEMS_WITH(b, F_BUNDLE_NO, sbs[i].box, it)
		{
			if (it->result != RES_NONE)
				continue;
			if (rc != OB_OK) {
				item_result(it, RES_FAILED, NULL, "%s", e.msg);
				it->outcome_unknown = unknown;
			} else if (ok) {
				item_result(it, RES_OK, code, mode ? "invoice changed to %s" : "shipped with invoice %s",
					    record_get(it->rec, F_INVOICE_NO));
			} else {
				item_result(it, RES_FAILED, code, "%s%s", found ? "" : "", msg);
			}
		}
	}
	cJSON_Delete(root);
	return;
nomem:
	cJSON_Delete(body);
	ob_err_nomem(&e);
	fail_all(b, &e, false);
}

static int perform_ship(struct coupang *cp, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	const char *boxes[64];
	size_t n = distinct(b, F_BUNDLE_NO, boxes, 64);
	struct ship_box sbs[64];
	memset(sbs, 0, sizeof sbs);
	const char *to_ack[64];
	size_t nack = 0;
	(void)err;
	for (size_t i = 0; i < n; i++) {
		sbs[i].box = boxes[i];
		struct ob_err e = OB_ERR_INIT;
		int rc = read_box(cp, c, boxes[i], &sbs[i].root, &e);
		if (rc != OB_OK) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL, "not shipped: %s", e.msg);
			continue;
		}
		const cJSON *sheet = box_data(sbs[i].root);
		const char *st = json_str(sheet, "status");
		const char *cur_inv = json_str(sheet, "invoiceNumber");
		/* The invoice the sheet asks for (the first row of the box carries it). */
		const struct action_item *first = NULL;
		FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
		{
			if (!first)
				first = it;
		}
		const char *want = record_get(first->rec, F_INVOICE_NO);
		if (shipped_status(st)) {
			if (str_eq(cur_inv, want)) {
				FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
				item_result(it, RES_SKIPPED, NULL, "already shipped with invoice %s (status %s)", want, st);
				continue;
			}
			sbs[i].mode = 1; /* shipped with another invoice: the update call */
			continue;
		}
		if (!str_eq(st, "ACCEPT") && !str_eq(st, "INSTRUCT")) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL, "not shipped: the box is %s at Coupang", st ? st : "in an unknown state");
			continue;
		}
		/* Whole box cancelled? */
		int64_t left = 0;
		const cJSON *oi;
		cJSON_ArrayForEach(oi, json_get(sheet, "orderItems"))
		{
			int64_t q = 0, cc = 0, hc = 0;
			json_i64(oi, "shippingCount", &q);
			json_i64(oi, "cancelCount", &cc);
			json_i64(oi, "holdCountForCancel", &hc);
			left += q - cc - hc;
		}
		if (left <= 0) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL, "not shipped: every item of the box is cancelled");
			continue;
		}
		/* Shipping onto an open stop-shipment request costs the round-trip postage. */
		char order_id[64], open[256];
		json_id(sheet, "orderId", order_id, sizeof order_id);
		ob_time ordered = kst_now() - 30 * (ob_time)OB_DAY;
		const char *oa = json_str(sheet, "orderedAt");
		if (oa)
			kst_parse(oa, &ordered);
		if (open_stop_requests(cp, c, order_id, boxes[i], ordered, open, sizeof open, &e) != OB_OK) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL, "not shipped: could not check for cancel requests (%s)", e.msg);
			continue;
		}
		if (*open) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, "OPEN_CANCEL_REQUEST",
				    "not shipped: the buyer asked to cancel (request %s); APPROVE or REJECT it in the "
				    "claims sheet first",
				    open);
			continue;
		}
		if (str_eq(st, "ACCEPT") && nack < 64)
			to_ack[nack++] = boxes[i];
	}
	if (nack) {
		/* SHIP needs INSTRUCT: acknowledge first (the plan shows this step). */
		bool ok[64], unknown = false;
		char codes[64][64], msgs[64][256];
		struct ob_err e = OB_ERR_INIT;
		if (send_ack(cp, c, to_ack, nack, ok, codes, msgs, &unknown, &e) != OB_OK) {
			for (size_t k = 0; k < nack; k++) {
				FOR_ITEMS_WITH(b, F_BUNDLE_NO, to_ack[k], it)
				{
					item_result(it, RES_FAILED, NULL, "not shipped: acknowledging first failed: %s", e.msg);
					it->outcome_unknown = unknown;
				}
			}
		} else {
			for (size_t k = 0; k < nack; k++) {
				if (ok[k])
					continue;
				FOR_ITEMS_WITH(b, F_BUNDLE_NO, to_ack[k], it)
				item_result(it, RES_FAILED, codes[k], "not shipped: acknowledging first failed: %s", msgs[k]);
			}
		}
	}
	send_invoices(cp, c, b, sbs, n, 0);
	send_invoices(cp, c, b, sbs, n, 1);
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(sbs[i].root);
	return OB_OK;
}

static int perform_cancel(struct coupang *cp, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	(void)err;
	const char *boxes[8];
	size_t n = distinct(b, F_BUNDLE_NO, boxes, 8);
	for (size_t i = 0; i < n; i++) {
		cJSON *root = NULL;
		struct ob_err e = OB_ERR_INIT;
		if (!cp->wing_user || !*cp->wing_user) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL,
				    "Coupang needs the WING login id to cancel: add wing_user = ... to [%s] in the config",
				    cp->base.who);
			continue;
		}
		if (read_box(cp, c, boxes[i], &root, &e) != OB_OK) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL, "not cancelled: %s", e.msg);
			continue;
		}
		const cJSON *sheet = box_data(root);
		const char *st = json_str(sheet, "status");
		if (!str_eq(st, "ACCEPT") && !str_eq(st, "INSTRUCT")) {
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			item_result(it, RES_FAILED, NULL, "not cancelled: the box is already %s; ask the buyer to return it",
				    st ? st : "gone");
			cJSON_Delete(root);
			continue;
		}
		char order_id[64];
		json_id(sheet, "orderId", order_id, sizeof order_id);
		cJSON *body = cJSON_CreateObject();
		cJSON *vids = body ? cJSON_AddArrayToObject(body, "vendorItemIds") : NULL;
		cJSON *counts = body ? cJSON_AddArrayToObject(body, "receiptCounts") : NULL;
		int nitems = 0, bad = !body || !vids || !counts || !json_add_id(body, "orderId", order_id);
		FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
		{
			const char *line = record_get(it->rec, F_LINE_NO);
			const cJSON *oi;
			int64_t left = -1;
			cJSON_ArrayForEach(oi, json_get(sheet, "orderItems"))
			{
				char vid[64];
				json_id(oi, "vendorItemId", vid, sizeof vid);
				if (strcmp(vid, line) != 0)
					continue;
				int64_t q = 0, cc = 0, hc = 0;
				json_i64(oi, "shippingCount", &q);
				json_i64(oi, "cancelCount", &cc);
				json_i64(oi, "holdCountForCancel", &hc);
				left = q - cc - hc;
			}
			if (left < 0) {
				item_result(it, RES_FAILED, NULL, "not cancelled: item %s is not in box %s at Coupang", line,
					    boxes[i]);
			} else if (left == 0) {
				item_result(it, RES_SKIPPED, NULL, "already cancelled");
			} else {
				cJSON *id = json_create_id(line);
				bad |= !id || !cJSON_AddItemToArray(vids, id) ||
				       !cJSON_AddItemToArray(counts, cJSON_CreateNumber((double)left));
				nitems++;
			}
		}
		bad |= !cJSON_AddStringToObject(body, "bigCancelCode", "CANERR") ||
		       !cJSON_AddStringToObject(body, "middleCancelCode", "CCTTER") ||
		       !cJSON_AddStringToObject(body, "userId", cp->wing_user) ||
		       !cJSON_AddStringToObject(body, "vendorId", cp->vendor_id);
		if (bad) {
			cJSON_Delete(body);
			cJSON_Delete(root);
			return ob_err_nomem(err);
		}
		if (nitems) {
			char path[256];
			snprintf(path, sizeof path, COUPANG_API "/v5/vendors/%s/orders/%s/cancel", cp->vendor_id, order_id);
			cJSON *resp = NULL;
			bool unknown = false;
			int rc = coupang_call(cp, c, "POST", path, NULL, body, false, &resp, NULL, &unknown, &e);
			const char *code = rc == OB_OK ? json_str(resp, "code") : NULL;
			const char *msg = rc == OB_OK ? json_str(resp, "message") : e.msg;
			const cJSON *failed = json_get(json_get(resp, "data"), "failedVendorItemIds");
			FOR_ITEMS_WITH(b, F_BUNDLE_NO, boxes[i], it)
			{
				if (it->result != RES_NONE)
					continue;
				bool item_failed = false;
				const cJSON *f;
				cJSON_ArrayForEach(f, failed)
				{
					char v[64];
					json_value_id(f, v, sizeof v);
					item_failed |= strcmp(v, record_get(it->rec, F_LINE_NO)) == 0;
				}
				if (rc != OB_OK) {
					item_result(it, RES_FAILED, NULL, "%s", e.msg);
					it->outcome_unknown = unknown;
				} else if (str_eq(code, "FAIL") || item_failed) {
					item_result(it, RES_FAILED, code, "%s", msg ? msg : "Coupang refused the cancel");
				} else {
					item_result(it, RES_OK, code, "cancelled (판매취소)");
				}
			}
			cJSON_Delete(resp);
		}
		cJSON_Delete(body);
		cJSON_Delete(root);
	}
	return OB_OK;
}

/* A cancel request: approve (stoppedShipment) or reject as already shipped
 * (completedShipment). */
static int perform_cancel_claim(struct coupang *cp, struct http_client *c, struct action_batch *b, const char **ids,
				size_t n, struct ob_err *err)
{
	bool approve = b->action == ACT_APPROVE;
	for (size_t i = 0; i < n; i++) {
		char path[256];
		struct ob_err e = OB_ERR_INIT;
		if (!str_is_digits(ids[i])) {
			FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
			item_result(it, RES_FAILED, NULL, "claim_id '%s' is not a Coupang receiptId", ids[i]);
			continue;
		}
		snprintf(path, sizeof path, COUPANG_API "/v6/vendors/%s/returnRequests/%s", cp->vendor_id, ids[i]);
		cJSON *root = NULL;
		int rc = coupang_call(cp, c, "GET", path, NULL, NULL, true, &root, NULL, NULL, &e);
		const cJSON *d = json_get(root, "data");
		const cJSON *rr = cJSON_IsArray(d) ? cJSON_GetArrayItem(d, 0) : d;
		if (rc != OB_OK || !rr) {
			FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
			item_result(it, RES_FAILED, NULL, "%s", rc != OB_OK ? e.msg :
				    "Coupang no longer has this request (the buyer may have withdrawn it)");
			cJSON_Delete(root);
			continue;
		}
		enum claim_type t;
		enum claim_status s;
		enum confirmed_by by;
		coupang_claim_status(rr, &t, &s, &by);
		const char *already = NULL;
		enum result res = RES_FAILED;
		if (t != CT_CANCEL) {
			already = "at Coupang this is a return now, not a cancel request: export again and decide the return";
		} else if (s == CS_APPROVED) {
			already = by == CB_MARKET ? "already approved by Coupang CS" : "already approved (출고중지)";
			res = approve ? RES_SKIPPED : RES_FAILED;
		} else if (s == CS_REJECTED) {
			already = "already answered as shipped (이미출고)";
			res = approve ? RES_FAILED : RES_SKIPPED;
		} else if (s != CS_REQUESTED) {
			already = "the request is closed";
		}
		if (already) {
			FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
			item_result(it, res, NULL, "%s", already);
			cJSON_Delete(root);
			continue;
		}
		int64_t sum = 0;
		json_i64(rr, "cancelCountSum", &sum);
		cJSON *body = cJSON_CreateObject();
		int bad = !body || !cJSON_AddStringToObject(body, "vendorId", cp->vendor_id) ||
			  !json_add_id(body, "receiptId", ids[i]);
		const struct action_item *first = b->items;
		FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
		{
			first = it;
			break;
		}
		if (approve)
			bad |= !cJSON_AddNumberToObject(body, "cancelCount", (double)sum);
		else
			bad |= !cJSON_AddStringToObject(body, "deliveryCompanyCode", first->courier_code) ||
			       !cJSON_AddStringToObject(body, "invoiceNumber", record_get(first->rec, F_INVOICE_NO));
		if (bad) {
			cJSON_Delete(body);
			cJSON_Delete(root);
			return ob_err_nomem(err);
		}
		snprintf(path, sizeof path, COUPANG_API "/v4/vendors/%s/returnRequests/%s/%s", cp->vendor_id, ids[i],
			 approve ? "stoppedShipment" : "completedShipment");
		cJSON *resp = NULL;
		bool unknown = false;
		rc = coupang_call(cp, c, "PUT", path, NULL, body, false, &resp, NULL, &unknown, &e);
		cJSON_Delete(body);
		const cJSON *data = json_get(resp, "data");
		const char *code = json_str(data, "resultCode");
		const char *msg = json_str(data, "resultMessage");
		FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
		{
			if (rc != OB_OK) {
				item_result(it, RES_FAILED, NULL, "%s", e.msg);
				it->outcome_unknown = unknown;
			} else if (code && !str_eq(code, "SUCCESS")) {
				item_result(it, RES_FAILED, code, "%s", msg ? msg : "Coupang refused");
			} else {
				item_result(it, RES_OK, code ? code : "SUCCESS", "%s",
					    approve ? "cancel approved (출고중지완료)" : "answered as already shipped (이미출고)");
			}
		}
		cJSON_Delete(resp);
		cJSON_Delete(root);
	}
	return OB_OK;
}

/* Claims: one claim at a time, by the claim type of its rows (the spec the
 * plan chose); the handlers re-read the claim and refuse when Coupang now
 * sees another type. */
static int perform_claims(struct coupang *cp, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	const char *ids[8];
	size_t n = distinct(b, F_CLAIM_ID, ids, 8);
	for (size_t i = 0; i < n; i++) {
		const struct action_item *first = NULL;
		FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
		{
			if (!first)
				first = it;
		}
		int t = claim_type_parse(record_get(first->rec, F_CLAIM_TYPE));
		int rc;
		if (t == CT_RETURN)
			rc = coupang_perform_return(cp, c, b, ids[i], err);
		else if (t == CT_EXCHANGE)
			rc = coupang_perform_exchange(cp, c, b, ids[i], err);
		else if (b->action == ACT_APPROVE || b->action == ACT_REJECT)
			rc = perform_cancel_claim(cp, c, b, &ids[i], 1, err);
		else {
			FOR_ITEMS_WITH(b, F_CLAIM_ID, ids[i], it)
			item_result(it, RES_UNSUPPORTED, NULL, "Coupang has no %s call for a cancel request",
				    action_word(b->action));
			rc = OB_OK;
		}
		if (rc != OB_OK)
			return rc;
	}
	return OB_OK;
}

int coupang_perform(struct market *m, struct http_client *c, struct action_batch *b, struct ob_err *err)
{
	struct coupang *cp = (struct coupang *)m;
	switch (b->action) {
	case ACT_ACK: return perform_ack(cp, c, b, err);
	case ACT_SHIP: return perform_ship(cp, c, b, err);
	case ACT_CANCEL: return perform_cancel(cp, c, b, err);
	case ACT_APPROVE:
	case ACT_REJECT:
	case ACT_HOLD:
	case ACT_RESHIP:
	case ACT_PICKUP: return perform_claims(cp, c, b, err);
	default:
		for (size_t i = 0; i < b->n; i++)
			item_result(&b->items[i], RES_UNSUPPORTED, NULL, "Coupang has no %s call", action_word(b->action));
		return OB_OK;
	}
}
