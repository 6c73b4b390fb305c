/* The Coupang sandbox's returns (반품) and exchanges (교환) data: the generated
 * returns in every receiptStatus and the exchanges in every exchangeStatus,
 * the exchange state built from a data set's "exchangeRequests", their part of
 * GET /_sandbox/state and their test setters. The endpoints that change them
 * are in coupang.c with the rest of the wire contract. */
#include "sandbox/coupang_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/coupang.h"
#include "sandbox/gen.h"
#include "util/str.h"

static uint64_t u64_of(const cJSON *obj, const char *key)
{
	uint64_t v = 0;
	return sandbox_json_u64(cJSON_GetObjectItemCaseSensitive(obj, key), &v) < 0 ? 0 : v;
}

static cJSON *id_text(uint64_t v)
{
	char t[24];
	snprintf(t, sizeof t, "%" PRIu64, v);
	return cJSON_CreateString(t);
}

static void v4_time(ob_time t, char *out, size_t n)
{
	sandbox_time_text(t, -1, out, n);
}

/* --- the generator --- */

/* A return as the seller meets it after delivery (not a stop request). */
struct ret_plan {
	const char *status;  /* receiptStatus */
	const char *confirm; /* completeConfirmType */
	const char *fault;   /* faultByType */
	int charge;          /* returnShippingCharge */
	bool all_units;      /* the whole item, else one unit */
	bool pickup;         /* a pickup invoice is registered already */
};

static const struct ret_plan ret_plans[] = {
	{ "RETURNS_UNCHECKED", "UNDEFINED", "CUSTOMER", -5000, false, false },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "VENDOR", 0, true, false },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "CUSTOMER", -2500, true, false },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "COUPANG", 0, false, false },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "CUSTOMER", -5000, false, false },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "GENERAL", 3000, true, false },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "CUSTOMER", -5000, false, true },
	{ "RETURNS_UNCHECKED", "UNDEFINED", "WMS", 0, false, false },
	{ "VENDOR_WAREHOUSE_CONFIRM", "UNDEFINED", "CUSTOMER", -5000, false, true },
	{ "VENDOR_WAREHOUSE_CONFIRM", "UNDEFINED", "VENDOR", 0, true, true },
	{ "RETURNS_COMPLETED", "VENDOR_CONFIRM", "CUSTOMER", -5000, false, true },
	{ "RETURNS_COMPLETED", "UNDEFINED", "VENDOR", 0, true, true },
	{ "RETURNS_COMPLETED", "CS_CONFIRM", "COUPANG", 0, false, false },
	{ "REQUEST_COUPANG_CHECK", "UNDEFINED", "CUSTOMER", -5000, false, true },
};

struct ex_plan {
	const char *status, *collect, *delivery;
	bool new_address; /* re-delivery to another address than the pickup */
};

static const struct ex_plan ex_plans[] = {
	{ "RECEIPT", "BeforeDirection", "BeforeDirection", false },
	{ "RECEIPT", "BeforeDirection", "BeforeDirection", true },
	{ "RECEIPT", "BeforeDirection", "BeforeDirection", false },
	{ "RECEIPT", "Delivering", "BeforeDirection", false },
	{ "PROGRESS", "CompleteCollect", "BeforeDirection", false },
	{ "PROGRESS", "CompleteCollect", "BeforeDirection", true },
	{ "PROGRESS", "Delivering", "BeforeDirection", false },
	{ "SUCCESS", "CompleteCollect", "Delivering", false },
	{ "REJECT", "BeforeDirection", "BeforeDirection", false },
	{ "CANCEL", "Withdraw", "Withdraw", false },
};

static const struct {
	const char *code, *text;
} ex_reasons[] = {
	{ "DIFFERENTOPT", "다른 옵션으로 교환" },
	{ "DAMAGED", "상품 파손" },
	{ "SIZE", "사이즈 교환" },
};

struct cgen {
	struct sandbox_rng r;
	const struct sandbox_gen_opts *o;
	bool ok;
};

static void dtos_set(cJSON *doc, const char *code, const char *invoice, bool *ok)
{
	cJSON *dtos = cJSON_CreateArray(), *d = cJSON_CreateObject();
	cpx_js(d, "deliveryCompanyCode", code, ok);
	cpx_js(d, "deliveryInvoiceNo", invoice, ok);
	cpx_jpush(dtos, d, ok);
	if (*ok && cJSON_GetObjectItemCaseSensitive(doc, "returnDeliveryDtos")) {
		if (!cJSON_ReplaceItemInObjectCaseSensitive(doc, "returnDeliveryDtos", dtos))
			*ok = false, cJSON_Delete(dtos);
	} else {
		cpx_jadd(doc, "returnDeliveryDtos", dtos, ok);
	}
}

int cpx_set_pickup(cJSON *doc, const char *code, const char *invoice)
{
	bool ok = true;
	dtos_set(doc, code, invoice, &ok);
	return ok ? 0 : -1;
}

static void gen_return(struct cgen *g, cJSON *box, const struct ret_plan *p, uint64_t id, ob_time created,
		       cJSON *out)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(box, "orderItems");
	int n = cJSON_GetArraySize(items);
	int counts[8] = { 0 };
	int q = cpx_item_int(cJSON_GetArrayItem(items, 0), "shippingCount");
	counts[0] = p->all_units ? q : 1;
	/* A return over two items when the box has them. */
	if (p->all_units && n > 1)
		counts[1] = cpx_item_int(cJSON_GetArrayItem(items, 1), "shippingCount");
	cJSON *r = cpx_receipt_doc(box, id, counts, "RETURN", p->status, "비대상", p->confirm, created);
	if (!r) {
		g->ok = false;
		return;
	}
	bool ok = true;
	char t[40];
	v4_time(created + OB_DAY, t, sizeof t);
	ok = cpx_set_str(r, "faultByType", p->fault) == 0 && cpx_set_num(r, "returnShippingCharge", p->charge) == 0;
	if (ok && !str_eq(p->confirm, "UNDEFINED"))
		ok = cpx_set_str(r, "completeConfirmDate", t) == 0;
	if (ok && (str_eq(p->fault, "VENDOR") || str_eq(p->fault, "COUPANG")))
		ok = cpx_set_str(r, "cancelReasonCategory1", "상품불량") == 0 &&
		     cpx_set_str(r, "cancelReasonCategory2", "상품이 파손되어 배송됨") == 0 &&
		     cpx_set_str(r, "reasonCode", "DAMAGED") == 0 && cpx_set_str(r, "reasonCodeText", "상품 파손") == 0;
	if (ok && p->pickup) {
		char inv[16];
		snprintf(inv, sizeof inv, "5%011" PRIu64, (uint64_t)(id % 100000000000ull));
		dtos_set(r, "CJGLS", inv, &ok);
	} else if (ok) {
		/* Not yet registered: Coupang shows the courier with an empty invoice. */
		dtos_set(r, "CJGLS", "", &ok);
	}
	if (!ok) {
		cJSON_Delete(r);
		g->ok = false;
		return;
	}
	cpx_jpush(out, r, &g->ok);
}

static cJSON *address_dto(struct cgen *g, const cJSON *recv, bool new_address, uint64_t id, bool *ok)
{
	cJSON *a = cJSON_CreateObject();
	struct sandbox_address na;
	sandbox_gen_address(&g->r, &na);
	char phone[32];
	sandbox_gen_safe_number(&g->r, phone, sizeof phone);
	const char *name = cpx_str(recv, "name"), *safe = cpx_str(recv, "safeNumber");
	cpx_jraw(a, "exchangeAddressId", id + 5000000, ok);
	cpx_js(a, "returnCustomerName", name, ok);
	cpx_js(a, "returnAddressZipCode", cpx_str(recv, "postCode"), ok);
	cpx_js(a, "returnAddress", cpx_str(recv, "addr1"), ok);
	cpx_js(a, "returnAddressDetail", cpx_str(recv, "addr2"), ok);
	cpx_js(a, "returnPhone", safe, ok);
	cpx_js(a, "returnMobile", safe, ok);
	cpx_js(a, "returnMemo", "", ok);
	cpx_js(a, "deliveryCustomerName", name, ok);
	cpx_js(a, "deliveryAddressZipCode", new_address ? na.zip : cpx_str(recv, "postCode"), ok);
	cpx_js(a, "deliveryAddress", new_address ? na.addr1 : cpx_str(recv, "addr1"), ok);
	cpx_js(a, "deliveryAddressDetail", new_address ? na.addr2 : cpx_str(recv, "addr2"), ok);
	cpx_js(a, "deliveryPhone", new_address ? phone : safe, ok);
	cpx_js(a, "deliveryMobile", new_address ? phone : safe, ok);
	cpx_js(a, "deliveryMemo", "", ok);
	if (!*ok) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

static void gen_exchange(struct cgen *g, cJSON *box, const struct ex_plan *p, uint64_t id, ob_time created,
			 cJSON *out)
{
	bool ok = true;
	cJSON *x = cJSON_CreateObject();
	const cJSON *it = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(box, "orderItems"), 0);
	const cJSON *price = cJSON_GetObjectItemCaseSensitive(it, "salesPrice");
	double unit = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(price, "units"));
	size_t ri = (size_t)sandbox_rng_below(&g->r, sizeof ex_reasons / sizeof ex_reasons[0]);
	bool vendor_fault = str_eq(ex_reasons[ri].code, "DAMAGED");
	uint64_t order_id = u64_of(box, "orderId"), vid = u64_of(it, "vendorItemId");
	/* The re-delivery goes out in a new box with an id of its own. */
	uint64_t new_box = 700000000000000000ull + sandbox_rng_below(&g->r, 100000000000000000ull);
	char t[40], m[40];
	v4_time(created, t, sizeof t);
	v4_time(str_eq(p->status, "RECEIPT") ? created : created + OB_DAY, m, sizeof m);
	cpx_jraw(x, "exchangeId", id, &ok);
	cpx_jraw(x, "orderId", order_id, &ok);
	cpx_js(x, "vendorId", SANDBOX_COUPANG_VENDOR, &ok);
	cpx_js(x, "orderDeliveryStatusCode", "FINAL_DELIVERY", &ok);
	cpx_js(x, "exchangeStatus", p->status, &ok);
	cpx_js(x, "referType", "WEB_MOBILE", &ok);
	cpx_js(x, "faultType", vendor_fault ? "VENDOR" : "CUSTOMER", &ok);
	cpx_jn(x, "exchangeAmount", vendor_fault ? 0 : 5000, &ok);
	cpx_js(x, "reasonCode", ex_reasons[ri].code, &ok);
	cpx_js(x, "reasonCodeText", ex_reasons[ri].text, &ok);
	cpx_js(x, "reasonEtcDetail", "", &ok);
	cpx_js(x, "cancelReason", str_eq(p->status, "CANCEL") ? "고객 철회" : "", &ok);
	cpx_js(x, "createdByType", "CUSTOMER", &ok);
	cpx_js(x, "createdAt", t, &ok);
	cpx_js(x, "modifiedByType", str_eq(p->status, "CANCEL") || str_eq(p->status, "RECEIPT") ? "CUSTOMER" : "VENDOR",
	       &ok);
	cpx_js(x, "modifiedAt", m, &ok);
	cJSON *items = cJSON_CreateArray(), *xi = cJSON_CreateObject();
	cpx_jraw(xi, "exchangeItemId", id * 10 + 1, &ok);
	cpx_jraw(xi, "orderItemId", vid, &ok);
	cpx_jn(xi, "orderItemUnitPrice", unit, &ok);
	cpx_js(xi, "orderItemName", cpx_str(it, "vendorItemName"), &ok);
	cpx_jn(xi, "orderPackageId", 0, &ok);
	cpx_jraw(xi, "targetItemId", vid, &ok);
	cpx_jn(xi, "targetItemUnitPrice", unit, &ok);
	cpx_js(xi, "targetItemName", cpx_str(it, "vendorItemName"), &ok);
	cpx_jn(xi, "targetPackageId", 0, &ok);
	cpx_jn(xi, "quantity", 1, &ok);
	cpx_jraw(xi, "originalShipmentBoxId", u64_of(box, "shipmentBoxId"), &ok);
	cpx_jpush(items, xi, &ok);
	cpx_jadd(x, "exchangeItemDtoV1s", items, &ok);
	cpx_jadd(x, "exchangeAddressDtoV1",
		 address_dto(g, cJSON_GetObjectItemCaseSensitive(box, "receiver"), p->new_address, id, &ok), &ok);
	cJSON *groups = cJSON_CreateArray(), *grp = cJSON_CreateObject(), *invs = cJSON_CreateArray();
	cpx_jraw(grp, "shipmentBoxId", new_box, &ok);
	cpx_jraw(grp, "orderId", order_id, &ok);
	cpx_js(grp, "shippingDeliveryType", "NORMAL", &ok);
	if (str_eq(p->status, "SUCCESS")) {
		cJSON *inv = cJSON_CreateObject(), *vis = cJSON_CreateArray(), *vi = cJSON_CreateObject();
		char num[16];
		snprintf(num, sizeof num, "6%011" PRIu64, (uint64_t)(id % 100000000000ull));
		cpx_js(inv, "invoiceNumber", num, &ok);
		cpx_js(inv, "deliverCode", "CJGLS", &ok);
		cpx_js(inv, "statusCode", "DELIVERING", &ok);
		cpx_jraw(vi, "vendorItemId", vid, &ok);
		cpx_jpush(vis, vi, &ok);
		cpx_jadd(inv, "invoiceVendorItemDtos", vis, &ok);
		cpx_jpush(invs, inv, &ok);
	}
	cpx_jadd(grp, "deliveryInvoiceDtos", invs, &ok);
	cpx_jpush(groups, grp, &ok);
	cpx_jadd(x, "deliveryInvoiceGroupDtos", groups, &ok);
	cpx_js(x, "deliveryStatus", p->delivery, &ok);
	cpx_js(x, "collectStatus", p->collect, &ok);
	cpx_js(x, "collectCompleteDate", str_eq(p->collect, "CompleteCollect") ? m : "", &ok);
	cJSON *ci = cJSON_CreateObject(), *dest = cJSON_CreateObject();
	cpx_js(dest, "safetyNumber", cpx_str(cJSON_GetObjectItemCaseSensitive(box, "receiver"), "safeNumber"), &ok);
	cpx_js(dest, "safetyNumberStatus", "ACTIVE", &ok);
	cpx_jadd(ci, "returndeliveryDestinationDto", dest, &ok);
	cpx_jadd(x, "collectInformationsDto", ci, &ok);
	if (str_eq(p->collect, "BeforeDirection") || str_eq(p->collect, "Withdraw")) {
		cpx_jadd(x, "returnDeliveryDtos", cJSON_CreateArray(), &ok);
	} else {
		char num[16];
		snprintf(num, sizeof num, "4%011" PRIu64, (uint64_t)(id % 100000000000ull));
		dtos_set(x, "HANJIN", num, &ok);
	}
	bool open = str_eq(p->status, "RECEIPT") || str_eq(p->status, "PROGRESS");
	cpx_jb(x, "successable", str_eq(p->status, "PROGRESS"), &ok);
	cpx_jb(x, "rejectable", open, &ok);
	cpx_jb(x, "deliveryInvoiceModifiable", str_eq(p->status, "PROGRESS"), &ok);
	if (!ok) {
		cJSON_Delete(x);
		g->ok = false;
		return;
	}
	cpx_jpush(out, x, &g->ok);
}

int cpx_gen_claims(cJSON *dataset, const struct sandbox_gen_opts *o)
{
	cJSON *sheets = cJSON_GetObjectItemCaseSensitive(dataset, "ordersheets");
	cJSON *rrs = cJSON_GetObjectItemCaseSensitive(dataset, "returnRequests");
	cJSON *exs = cJSON_CreateArray();
	if (!exs || !cJSON_AddItemToObject(dataset, "exchangeRequests", exs)) {
		cJSON_Delete(exs);
		return -1;
	}
	struct cgen g;
	memset(&g, 0, sizeof g);
	sandbox_rng_seed(&g.r, sandbox_rng_derive(o->seed, "coupang-returns"));
	g.o = o;
	g.ok = true;
	uint64_t next_receipt = 0, next_ex = 100000070 + sandbox_rng_below(&g.r, 1000);
	const cJSON *r;
	cJSON_ArrayForEach(r, rrs)
		if (u64_of(r, "receiptId") >= next_receipt)
			next_receipt = u64_of(r, "receiptId") + 1;
	size_t n = (size_t)cJSON_GetArraySize(sheets);
	size_t *perm = calloc(n ? n : 1, sizeof *perm);
	if (!perm)
		return -1;
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)sandbox_rng_below(&g.r, i);
		size_t t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	size_t nret = sizeof ret_plans / sizeof ret_plans[0], nex = sizeof ex_plans / sizeof ex_plans[0];
	size_t used = 0;
	for (size_t k = 0; k < n && g.ok && used < nret + nex; k++) {
		cJSON *box = cJSON_GetArrayItem(sheets, (int)perm[k]);
		ob_time ordered;
		const char *oa = cpx_str(box, "orderedAt");
		if (!str_eq(cpx_str(box, "status"), "FINAL_DELIVERY") || !oa || kst_parse(oa, &ordered) < 0 ||
		    ordered >= o->today - 3 * OB_DAY)
			continue;
		/* Boxes of orders without any request yet: one claim per order. */
		uint64_t oid = u64_of(box, "orderId");
		bool taken = false;
		cJSON_ArrayForEach(r, rrs)
			taken |= u64_of(r, "orderId") == oid;
		cJSON_ArrayForEach(r, exs)
			taken |= u64_of(r, "orderId") == oid;
		if (taken)
			continue;
		/* Before today's first hours, whatever --today's clock shows. */
		ob_time created = ordered + 2 * OB_DAY + sandbox_rng_range(&g.r, 0, 12 * 3600);
		if (used < nret)
			gen_return(&g, box, &ret_plans[used], next_receipt++, created, rrs);
		else
			gen_exchange(&g, box, &ex_plans[used - nret], next_ex++, created, exs);
		used++;
	}
	free(perm);
	return g.ok ? 0 : -1;
}

/* --- the state --- */

static int cmp_exchange(const void *a, const void *b)
{
	const struct cpx_exchange *x = a, *y = b;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Long ids go out as raw numbers whatever the data set had. */
static int raw_id(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	uint64_t id;
	if (!v || cJSON_IsNull(v) || cJSON_IsRaw(v) || sandbox_json_u64(v, &id) < 0)
		return 0;
	return cpx_set_raw_u64(obj, key, id);
}

int cpx_exchanges_build(struct cpx_state *st, const cJSON *arr, struct ob_err *err)
{
	if (arr && !cJSON_IsArray(arr))
		return ob_errf(err, OB_EUSAGE, "data set: exchangeRequests must be an array");
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (st->nexs == st->capexs) {
			size_t cap = st->capexs ? st->capexs * 2 : 16;
			struct cpx_exchange *p = realloc(st->exs, cap * sizeof *p);
			if (!p)
				return ob_err_nomem(err);
			st->exs = p;
			st->capexs = cap;
		}
		struct cpx_exchange *x = &st->exs[st->nexs];
		memset(x, 0, sizeof *x);
		x->doc = cJSON_Duplicate(e, 1);
		if (!x->doc)
			return ob_err_nomem(err);
		st->nexs++;
		int bad = raw_id(x->doc, "exchangeId") | raw_id(x->doc, "orderId");
		cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(x->doc, "exchangeItemDtoV1s"))
			bad |= raw_id(it, "exchangeItemId") | raw_id(it, "orderItemId") | raw_id(it, "targetItemId") |
			       raw_id(it, "originalShipmentBoxId");
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(x->doc, "deliveryInvoiceGroupDtos"))
			bad |= raw_id(it, "shipmentBoxId") | raw_id(it, "orderId");
		if (bad)
			return ob_err_nomem(err);
		x->id = u64_of(x->doc, "exchangeId");
		x->order_id = u64_of(x->doc, "orderId");
		const char *c = cpx_str(x->doc, "createdAt");
		if (!x->id || !c || kst_parse(c, &x->created) < 0 || !cpx_str(x->doc, "exchangeStatus") ||
		    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(x->doc, "exchangeItemDtoV1s")))
			return ob_errf(err, OB_EUSAGE,
				       "data set: exchangeRequest %zu needs exchangeId, createdAt, exchangeStatus and "
				       "exchangeItemDtoV1s", st->nexs);
	}
	if (st->nexs > 1)
		qsort(st->exs, st->nexs, sizeof *st->exs, cmp_exchange);
	return OB_OK;
}

void cpx_exchanges_free(struct cpx_state *st)
{
	for (size_t i = 0; i < st->nexs; i++)
		cJSON_Delete(st->exs[i].doc);
	free(st->exs);
	st->exs = NULL;
	st->nexs = st->capexs = 0;
}

struct cpx_exchange *cpx_exchange_find(struct cpx_state *st, uint64_t id)
{
	for (size_t i = 0; i < st->nexs; i++)
		if (st->exs[i].id == id)
			return &st->exs[i];
	return NULL;
}

static int set_bool(cJSON *obj, const char *key, bool v)
{
	cJSON *b = cJSON_CreateBool(v);
	if (!b)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, b) ? 0 : (cJSON_Delete(b), -1);
	return cJSON_AddItemToObject(obj, key, b) ? 0 : (cJSON_Delete(b), -1);
}

int cpx_exchange_set_status(struct cpx_exchange *x, const char *status, ob_time now)
{
	char t[40];
	v4_time(now, t, sizeof t);
	bool open = str_eq(status, "RECEIPT") || str_eq(status, "PROGRESS");
	return cpx_set_str(x->doc, "exchangeStatus", status) < 0 || cpx_set_str(x->doc, "modifiedAt", t) < 0 ||
			       cpx_set_str(x->doc, "modifiedByType", "VENDOR") < 0 ||
			       set_bool(x->doc, "successable", str_eq(status, "PROGRESS")) < 0 ||
			       set_bool(x->doc, "rejectable", open) < 0 ||
			       set_bool(x->doc, "deliveryInvoiceModifiable", str_eq(status, "PROGRESS")) < 0 ?
		       -1 :
		       0;
}

/* --- GET /_sandbox/state --- */

cJSON *cpx_pickups_json(const cJSON *doc)
{
	cJSON *a = cJSON_CreateArray();
	bool ok = a != NULL;
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "returnDeliveryDtos"))
	{
		const char *inv = cpx_str(d, "deliveryInvoiceNo");
		if (!inv || !*inv)
			continue;
		cJSON *o = cJSON_CreateObject();
		cpx_js(o, "deliveryCompanyCode", cpx_str(d, "deliveryCompanyCode"), &ok);
		cpx_js(o, "invoiceNumber", inv, &ok);
		cpx_jpush(a, o, &ok);
	}
	if (!ok) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

static cJSON *exchange_state(const struct cpx_exchange *x)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	const cJSON *d = x->doc;
	cpx_jadd(o, "exchangeId", id_text(x->id), &ok);
	cpx_jadd(o, "orderId", id_text(x->order_id), &ok);
	cpx_js(o, "exchangeStatus", cpx_str(d, "exchangeStatus"), &ok);
	cpx_js(o, "collectStatus", cpx_str(d, "collectStatus"), &ok);
	cpx_js(o, "deliveryStatus", cpx_str(d, "deliveryStatus"), &ok);
	cpx_js(o, "createdAt", cpx_str(d, "createdAt"), &ok);
	cpx_js(o, "rejectCode", x->reject_code, &ok);
	cpx_jadd(o, "pickups", cpx_pickups_json(d), &ok);
	cJSON *boxes = cJSON_CreateArray();
	const cJSON *g;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(d, "deliveryInvoiceGroupDtos"))
	{
		cJSON *b = cJSON_CreateObject(), *invs = cJSON_CreateArray();
		cpx_jadd(b, "shipmentBoxId", id_text(u64_of(g, "shipmentBoxId")), &ok);
		const cJSON *inv;
		cJSON_ArrayForEach(inv, cJSON_GetObjectItemCaseSensitive(g, "deliveryInvoiceDtos"))
		{
			cJSON *i = cJSON_CreateObject();
			cpx_js(i, "deliverCode", cpx_str(inv, "deliverCode"), &ok);
			cpx_js(i, "invoiceNumber", cpx_str(inv, "invoiceNumber"), &ok);
			cpx_jpush(invs, i, &ok);
		}
		cpx_jadd(b, "invoices", invs, &ok);
		cpx_jpush(boxes, b, &ok);
	}
	cpx_jadd(o, "newBoxes", boxes, &ok);
	cJSON *items = cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "exchangeItemDtoV1s"))
	{
		cJSON *i = cJSON_CreateObject();
		cpx_jadd(i, "orderItemId", id_text(u64_of(it, "orderItemId")), &ok);
		cpx_jadd(i, "targetItemId", id_text(u64_of(it, "targetItemId")), &ok);
		cpx_jadd(i, "originalShipmentBoxId", id_text(u64_of(it, "originalShipmentBoxId")), &ok);
		cpx_jn(i, "quantity", cpx_item_int(it, "quantity"), &ok);
		cpx_jpush(items, i, &ok);
	}
	cpx_jadd(o, "items", items, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int cpx_exchanges_json(struct cpx_state *st, cJSON *c)
{
	cJSON *a = cJSON_CreateArray();
	bool ok = a != NULL;
	for (size_t i = 0; ok && i < st->nexs; i++)
		cpx_jpush(a, exchange_state(&st->exs[i]), &ok);
	cpx_jadd(c, "exchanges", a, &ok);
	return ok ? 0 : -1;
}

/* --- test setters --- */

int cpx_claims_test(struct cpx_state *st, const char *action, const struct sandbox_request *req,
		    struct sandbox_response *resp, bool *handled)
{
	*handled = true;
	if (str_eq(action, "exchange-collect")) {
		char id[32], cs[32];
		static const char *const known[] = { "BeforeDirection", "CompleteDirection", "Delivering",
						     "CompleteCollect", "DirectionFail", "Fail", "Withdraw",
						     "NoCollect", "NoneData" };
		if (sandbox_query_get(req->query, "exchangeId", id, sizeof id) != 1 || !str_is_digits(id))
			return cpx_respond(resp, 400, "exchangeId=N is required");
		struct cpx_exchange *x = cpx_exchange_find(st, strtoull(id, NULL, 10));
		if (!x)
			return cpx_respond(resp, 404, "no such exchangeId");
		bool ok = sandbox_query_get(req->query, "collectStatus", cs, sizeof cs) == 1;
		size_t k;
		for (k = 0; ok && k < sizeof known / sizeof known[0]; k++)
			if (str_eq(cs, known[k]))
				break;
		if (!ok || k == sizeof known / sizeof known[0])
			return cpx_respond(resp, 400, "collectStatus=BeforeDirection|CompleteDirection|Delivering|"
						 "CompleteCollect|DirectionFail|Fail|Withdraw|NoCollect|NoneData is required");
		char t[40] = "";
		if (str_eq(cs, "CompleteCollect"))
			v4_time(req->now, t, sizeof t);
		if (cpx_set_str(x->doc, "collectStatus", cs) < 0 || cpx_set_str(x->doc, "collectCompleteDate", t) < 0)
			return -1;
		return cpx_respond(resp, 200, "collectStatus set");
	}
	if (str_eq(action, "fail-next")) {
		char ep[96], after[8] = "";
		if (sandbox_query_get(req->query, "endpoint", ep, sizeof ep) != 1 || !*ep)
			return cpx_respond(resp, 400, "endpoint=NAME (as in the request log) is required");
		int fa = sandbox_query_get(req->query, "after", after, sizeof after);
		str_copy(st->fail_next, sizeof st->fail_next, ep);
		st->fail_after = fa == 1 && str_eq(after, "1");
		return cpx_respond(resp, 200, st->fail_after ? "the next call fails after its change" :
							  "the next call fails before its change");
	}
	*handled = false;
	return 0;
}
