/* The Coupang sandbox's data: the seeded generator (which writes the same
 * {"ordersheets","returnRequests","withdrawals","exchangeRequests"} document --dataset loads, so
 * both take one path into the state), the state built from such a document,
 * the rules on it that every endpoint shares, GET /_sandbox/state and the test
 * setters under /_sandbox/coupang/. */
#include "sandbox/coupang_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/coupang.h"
#include "sandbox/gen.h"
#include "util/json.h"
#include "util/str.h"

#define DATASET_MAX (64u << 20)

static const char STOP_OPEN[] = "미처리";
static const char STOP_SHIPPED[] = "처리(이미출고)";
static const char STOP_STOPPED[] = "처리(출고중지)";
static const char STOP_NONE[] = "비대상";

/* --- JSON building --- */

void cpx_js(cJSON *o, const char *k, const char *v, bool *ok)
{
	if (*ok && !(v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)))
		*ok = false;
}

void cpx_jn(cJSON *o, const char *k, double v, bool *ok)
{
	if (*ok && !cJSON_AddNumberToObject(o, k, v))
		*ok = false;
}

void cpx_jb(cJSON *o, const char *k, bool v, bool *ok)
{
	if (*ok && !cJSON_AddBoolToObject(o, k, v))
		*ok = false;
}

void cpx_jraw(cJSON *o, const char *k, uint64_t v, bool *ok)
{
	cpx_jadd(o, k, *ok ? sandbox_json_u64_raw(v) : NULL, ok);
}

void cpx_jadd(cJSON *o, const char *k, cJSON *item, bool *ok)
{
	if (!*ok || !item || !o || !cJSON_AddItemToObject(o, k, item)) {
		cJSON_Delete(item);
		*ok = false;
	}
}

void cpx_jpush(cJSON *arr, cJSON *item, bool *ok)
{
	if (!*ok || !item || !arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		*ok = false;
	}
}

int cpx_set_str(cJSON *obj, const char *key, const char *v)
{
	cJSON *n = v ? cJSON_CreateString(v) : cJSON_CreateNull();
	if (!n)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, n) ? 0 : (cJSON_Delete(n), -1);
	return cJSON_AddItemToObject(obj, key, n) ? 0 : (cJSON_Delete(n), -1);
}

int cpx_set_num(cJSON *obj, const char *key, double v)
{
	cJSON *n = cJSON_CreateNumber(v);
	if (!n)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, n) ? 0 : (cJSON_Delete(n), -1);
	return cJSON_AddItemToObject(obj, key, n) ? 0 : (cJSON_Delete(n), -1);
}

int cpx_set_raw_u64(cJSON *obj, const char *key, uint64_t v)
{
	cJSON *n = sandbox_json_u64_raw(v);
	if (!n)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, n) ? 0 : (cJSON_Delete(n), -1);
	return cJSON_AddItemToObject(obj, key, n) ? 0 : (cJSON_Delete(n), -1);
}

int cpx_item_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valueint : 0;
}

const char *cpx_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static uint64_t u64_of(const cJSON *obj, const char *key)
{
	uint64_t v = 0;
	if (sandbox_json_u64(cJSON_GetObjectItemCaseSensitive(obj, key), &v) < 0)
		return 0;
	return v;
}

static cJSON *money(int64_t units)
{
	cJSON *m = cJSON_CreateObject();
	bool ok = m != NULL;
	cpx_js(m, "currencyCode", "KRW", &ok);
	cpx_jn(m, "units", (double)units, &ok);
	cpx_jn(m, "nanos", 0, &ok);
	if (!ok) {
		cJSON_Delete(m);
		return NULL;
	}
	return m;
}

static void v4_time(ob_time t, char *out, size_t n)
{
	sandbox_time_text(t, -1, out, n);
}

const char *cpx_status_desc(const char *status)
{
	static const char *const map[][2] = {
		{ "ACCEPT", "결제완료" },       { "INSTRUCT", "상품준비중" },
		{ "DEPARTURE", "배송지시" },    { "DELIVERING", "배송중" },
		{ "FINAL_DELIVERY", "배송완료" }, { "NONE_TRACKING", "업체 직접 배송(추적불가)" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_eq(status, map[i][0]))
			return map[i][1];
	return "";
}

/* --- receipts shared by the generator and the endpoints --- */

static const char *release_status_for(const char *release_stop, const char *confirm, const char *type)
{
	if (str_eq(type, "CANCEL"))
		return "N";
	if (str_eq(release_stop, STOP_STOPPED) || (str_eq(release_stop, STOP_OPEN) && str_eq(confirm, "CS_CONFIRM")))
		return "S";
	if (str_eq(release_stop, STOP_OPEN))
		return "N";
	return "Y";
}

cJSON *cpx_receipt_doc(const cJSON *box, uint64_t receipt_id, const int *counts, const char *type,
		       const char *status, const char *release_stop, const char *confirm, ob_time created)
{
	cJSON *r = cJSON_CreateObject();
	bool ok = r != NULL;
	uint64_t order_id = u64_of(box, "orderId");
	const cJSON *recv = cJSON_GetObjectItemCaseSensitive(box, "receiver");
	char t[40];
	v4_time(created, t, sizeof t);
	bool cancel = str_eq(type, "CANCEL");
	bool decided = !str_eq(release_stop, STOP_OPEN) || !str_eq(confirm, "UNDEFINED");
	cpx_jraw(r, "receiptId", receipt_id, &ok);
	cpx_jraw(r, "orderId", order_id, &ok);
	cpx_jraw(r, "paymentId", order_id + 778000, &ok);
	cpx_js(r, "receiptType", type, &ok);
	cpx_js(r, "receiptStatus", status, &ok);
	cpx_js(r, "createdAt", t, &ok);
	cpx_js(r, "modifiedAt", t, &ok);
	cpx_js(r, "requesterName", cpx_str(recv, "name"), &ok);
	cpx_js(r, "requesterPhoneNumber", cpx_str(recv, "safeNumber"), &ok);
	cpx_js(r, "requesterRealPhoneNumber", NULL, &ok);
	cpx_js(r, "requesterAddress", cpx_str(recv, "addr1"), &ok);
	cpx_js(r, "requesterAddressDetail", cpx_str(recv, "addr2"), &ok);
	cpx_js(r, "requesterZipCode", cpx_str(recv, "postCode"), &ok);
	cpx_js(r, "cancelReasonCategory1", cancel ? "고객변심" : "고객변심", &ok);
	cpx_js(r, "cancelReasonCategory2", cancel ? "주문실수" : "단순변심(사유없음)", &ok);
	cpx_js(r, "cancelReason", "", &ok);
	int sum = 0;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(box, "orderItems");
	int n = cJSON_GetArraySize(items);
	for (int i = 0; i < n; i++)
		sum += counts[i];
	cpx_jn(r, "cancelCountSum", sum, &ok);
	cpx_jraw(r, "returnDeliveryId", cancel ? 0 : receipt_id + 7000000, &ok);
	cpx_js(r, "returnDeliveryType", "연동택배", &ok);
	cpx_js(r, "releaseStopStatus", release_stop, &ok);
	cpx_jn(r, "enclosePrice", 0, &ok);
	cpx_js(r, "faultByType", "CUSTOMER", &ok);
	cpx_jb(r, "preRefund", false, &ok);
	cpx_js(r, "completeConfirmType", confirm, &ok);
	cpx_js(r, "completeConfirmDate", decided && !str_eq(confirm, "UNDEFINED") ? t : "", &ok);
	cpx_js(r, "reasonCode", "CHANGEMIND", &ok);
	cpx_js(r, "reasonCodeText", "필요 없어짐 (단순 변심)", &ok);
	cpx_jn(r, "returnShippingCharge", 0, &ok);
	cJSON *ris = cJSON_CreateArray();
	const char *rel = release_status_for(release_stop, confirm, type);
	for (int i = 0; ok && i < n; i++) {
		if (counts[i] <= 0)
			continue;
		const cJSON *it = cJSON_GetArrayItem(items, i);
		cJSON *ri = cJSON_CreateObject();
		cpx_jn(ri, "vendorItemPackageId", 0, &ok);
		cpx_js(ri, "vendorItemPackageName", "", &ok);
		cpx_jraw(ri, "vendorItemId", u64_of(it, "vendorItemId"), &ok);
		cpx_js(ri, "vendorItemName", cpx_str(it, "vendorItemName"), &ok);
		cpx_jn(ri, "purchaseCount", cpx_item_int(it, "shippingCount"), &ok);
		cpx_jn(ri, "cancelCount", counts[i], &ok);
		cpx_jraw(ri, "shipmentBoxId", u64_of(box, "shipmentBoxId"), &ok);
		cpx_jraw(ri, "sellerProductId", u64_of(it, "sellerProductId"), &ok);
		cpx_js(ri, "sellerProductName", cpx_str(it, "sellerProductName"), &ok);
		cpx_js(ri, "releaseStatus", rel, &ok);
		cpx_js(ri, "cancelCompleteUser", "", &ok);
		cpx_jpush(ris, ri, &ok);
	}
	cpx_jadd(r, "returnItems", ris, &ok);
	cpx_jadd(r, "returnDeliveryDtos", cJSON_CreateArray(), &ok);
	if (!ok) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

static cJSON *box_item_by_vid(cJSON *box, uint64_t vid)
{
	cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(box, "orderItems"))
		if (u64_of(it, "vendorItemId") == vid)
			return it;
	return NULL;
}

void cpx_apply_cancel_doc(cJSON *box, const cJSON *receipt)
{
	uint64_t id = u64_of(box, "shipmentBoxId");
	const cJSON *ri;
	cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(receipt, "returnItems"))
	{
		if (u64_of(ri, "shipmentBoxId") != id)
			continue;
		cJSON *it = box_item_by_vid(box, u64_of(ri, "vendorItemId"));
		if (!it)
			continue;
		int ship = cpx_item_int(it, "shippingCount"), hold = cpx_item_int(it, "holdCountForCancel");
		int cc = cpx_item_int(it, "cancelCount") + cpx_item_int(ri, "cancelCount");
		if (cc > ship - hold)
			cc = ship - hold;
		/* Numbers are replaced in place, so these cannot fail. */
		cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(it, "cancelCount"), cc);
		cJSON *cf = cJSON_GetObjectItemCaseSensitive(it, "canceled");
		if (cJSON_IsBool(cf) && cc >= ship)
			cf->type = (cf->type & ~0xff) | cJSON_True;
	}
}

/* --- the generator --- */

enum kind {
	K_PLAIN,
	K_RU,          /* stop-shipment request: combo 0..17 */
	K_RU_MULTI,    /* open stop request over two items */
	K_CANCEL_FULL, /* cancelled while ACCEPT */
	K_CANCEL_PART, /* one unit cancelled while ACCEPT */
	K_HOLD,        /* refund in progress: ack fails */
	K_ADDR,        /* address changed while ACCEPT */
	K_WITHDRAWN,   /* stop request the buyer withdrew */
	K_RET_UC,
	K_RET_CC,
	K_RET_PR,
};

struct plan {
	enum kind k;
	int combo;
};

static const char *const RS[2] = { "RELEASE_STOP_UNCHECKED", "RETURNS_UNCHECKED" };
static const char *const STOPS[3] = { STOP_OPEN, STOP_SHIPPED, STOP_STOPPED };
static const char *const CONFIRMS[3] = { "UNDEFINED", "VENDOR_CONFIRM", "CS_CONFIRM" };

struct shipper {
	const char *code;
	const char *display; /* deliveryCompanyName as Coupang shows it */
	int digits;
};

static const struct shipper shippers[] = {
	{ "CJGLS", "CJ 대한통운", 12 }, { "HYUNDAI", "롯데택배", 12 }, { "EPOST", "우체국택배", 13 },
	{ "HANJIN", "한진택배", 12 },   { "KGB", "로젠택배", 11 },
};

struct gen {
	struct sandbox_rng r;
	const struct sandbox_gen_opts *o;
	cJSON *sheets, *receipts, *wds;
	uint64_t next_receipt;
	uint64_t next_order;
	bool ok;
};

static void invoice_for(size_t box_index, int digits, char *out, size_t n)
{
	/* Unique per box: the index in the low digits, a fixed head. */
	char t[40];
	snprintf(t, sizeof t, "%.*s%09u", digits - 9, "3400109134", (unsigned)((box_index + 1) % 1000000000u));
	str_copy(out, n, t);
}

static ob_time pick_time(struct gen *g, int lo_days, int hi_days)
{
	int last = g->o->days > 0 ? g->o->days - 1 : 0;
	if (hi_days > last)
		hi_days = last;
	if (lo_days > hi_days)
		lo_days = hi_days;
	int64_t d = sandbox_rng_range(&g->r, lo_days, hi_days);
	/* Today's orders fall in the small hours so they precede "now" on most clocks. */
	int64_t secs = d == 0 ? sandbox_rng_range(&g->r, 0, 6 * 3600) : sandbox_rng_range(&g->r, 0, OB_DAY - 1);
	return g->o->today - d * OB_DAY + secs;
}

static cJSON *receiver_json(struct sandbox_rng *r, const char *name, size_t fixed_idx, bool use_fixed)
{
	struct sandbox_address a;
	if (use_fixed)
		sandbox_gen_fixed_address(fixed_idx, &a);
	else
		sandbox_gen_address(r, &a);
	char phone[32];
	sandbox_gen_safe_number(r, phone, sizeof phone);
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	cpx_js(o, "name", name, &ok);
	cpx_js(o, "safeNumber", phone, &ok);
	cpx_js(o, "receiverNumber", NULL, &ok);
	cpx_js(o, "addr1", a.addr1, &ok);
	cpx_js(o, "addr2", a.addr2, &ok);
	cpx_js(o, "postCode", a.zip, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *order_item(struct gen *g, ob_time ordered, int min_qty)
{
	size_t np;
	const struct sandbox_product *prods = sandbox_gen_products(&np);
	size_t p = (size_t)sandbox_rng_below(&g->r, np);
	size_t nopt = 0;
	while (nopt < 4 && prods[p].options[nopt])
		nopt++;
	size_t opt = (size_t)sandbox_rng_below(&g->r, nopt);
	int qty = (int)sandbox_rng_range(&g->r, min_qty, min_qty + 2);
	int64_t price = prods[p].price;
	int64_t instant = sandbox_rng_percent(&g->r, 30) ? 1000 * sandbox_rng_range(&g->r, 1, 3) : 0;
	int64_t download = sandbox_rng_percent(&g->r, 10) ? 500 : 0;
	char vname[256], sku[32], est[16];
	snprintf(vname, sizeof vname, "%s, %s", prods[p].name, prods[p].options[opt]);
	/* Leading zeros: a sheet that turns SKUs into numbers loses them. */
	snprintf(sku, sizeof sku, "00%02zu%02zu%03u", p, opt, (unsigned)(prods[p].price % 1000));
	kst_strftime(est, sizeof est, "%Y-%m-%d", ordered + 2 * OB_DAY);
	cJSON *it = cJSON_CreateObject();
	bool ok = it != NULL;
	cpx_jn(it, "vendorItemPackageId", 0, &ok);
	cpx_js(it, "vendorItemPackageName", "", &ok);
	cpx_jraw(it, "productId", 7100000000ull + p * 1000, &ok);
	cpx_jraw(it, "vendorItemId", 3242590000ull + p * 100 + opt, &ok);
	cpx_js(it, "vendorItemName", vname, &ok);
	cpx_jn(it, "shippingCount", qty, &ok);
	cpx_jadd(it, "salesPrice", money(price), &ok);
	cpx_jadd(it, "orderPrice", money(price * qty), &ok);
	cpx_jadd(it, "discountPrice", money(instant + download), &ok);
	cpx_jadd(it, "instantCouponDiscount", money(instant), &ok);
	cpx_jadd(it, "downloadableCouponDiscount", money(download), &ok);
	cpx_jadd(it, "coupangDiscount", money(0), &ok);
	cpx_js(it, "externalVendorSkuCode", sku, &ok);
	cpx_js(it, "etcInfoHeader", NULL, &ok);
	cpx_js(it, "etcInfoValue", NULL, &ok);
	cpx_jadd(it, "etcInfoValues", cJSON_CreateArray(), &ok);
	cpx_jraw(it, "sellerProductId", 80240000ull + p, &ok);
	cpx_js(it, "sellerProductName", prods[p].name, &ok);
	cpx_js(it, "sellerProductItemName", prods[p].options[opt], &ok);
	cpx_js(it, "firstSellerProductItemName", prods[p].options[opt], &ok);
	cpx_jn(it, "cancelCount", 0, &ok);
	cpx_jn(it, "holdCountForCancel", 0, &ok);
	cpx_js(it, "estimatedShippingDate", est, &ok);
	cpx_js(it, "plannedShippingDate", "", &ok);
	cpx_js(it, "invoiceNumberUploadDate", "", &ok);
	cpx_jadd(it, "extraProperties", cJSON_CreateObject(), &ok);
	cpx_jb(it, "pricingBadge", false, &ok);
	cpx_jb(it, "usedProduct", false, &ok);
	cpx_js(it, "confirmDate", "", &ok);
	cpx_js(it, "deliveryChargeTypeName", price >= 30000 ? "무료" : "유료", &ok);
	cpx_jb(it, "upBundleItem", false, &ok);
	cpx_js(it, "upBundleVendorItemId", NULL, &ok);
	cpx_js(it, "upBundleVendorItemName", NULL, &ok);
	cpx_js(it, "upBundleSize", NULL, &ok);
	cpx_jb(it, "canceled", false, &ok);
	if (!ok) {
		cJSON_Delete(it);
		return NULL;
	}
	return it;
}

static const char *status_for(struct gen *g)
{
	static const struct {
		const char *s;
		unsigned w;
	} w[] = {
		{ "ACCEPT", 20 }, { "INSTRUCT", 20 }, { "DEPARTURE", 12 }, { "DELIVERING", 12 },
		{ "FINAL_DELIVERY", 30 }, { "NONE_TRACKING", 6 },
	};
	uint64_t x = sandbox_rng_below(&g->r, 100);
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		if (x < w[i].w)
			return w[i].s;
		x -= w[i].w;
	}
	return "FINAL_DELIVERY";
}

static void age_for(const char *status, int *lo, int *hi)
{
	if (str_eq(status, "ACCEPT")) {
		*lo = 0, *hi = 2;
	} else if (str_eq(status, "INSTRUCT")) {
		*lo = 0, *hi = 4;
	} else if (str_eq(status, "DEPARTURE") || str_eq(status, "DELIVERING")) {
		*lo = 1, *hi = 8;
	} else {
		*lo = 2, *hi = 1 << 20;
	}
}

/* Sets the fields of a box that left the warehouse. */
static void ship_box(struct gen *g, cJSON *box, size_t idx, const char *status, ob_time ordered, bool *ok)
{
	const struct shipper *s = &shippers[sandbox_rng_below(&g->r, sizeof shippers / sizeof shippers[0])];
	char inv[32], t[48];
	bool direct = str_eq(status, "NONE_TRACKING");
	invoice_for(idx, direct ? 10 : s->digits, inv, sizeof inv);
	ob_time shipped = ordered + OB_DAY + sandbox_rng_range(&g->r, 0, 8 * 3600);
	if (*ok) {
		*ok = cpx_set_str(box, "deliveryCompanyName", direct ? "업체직송" : s->display) == 0 &&
		      cpx_set_str(box, "invoiceNumber", inv) == 0;
		sandbox_time_text(shipped, (int)sandbox_rng_below(&g->r, 1000000), t, sizeof t);
		*ok = *ok && cpx_set_str(box, "inTrasitDateTime", t) == 0;
		cJSON *it;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(box, "orderItems"))
			*ok = *ok && cpx_set_str(it, "invoiceNumberUploadDate", t) == 0;
	}
	if (*ok && str_eq(status, "FINAL_DELIVERY")) {
		sandbox_time_text(shipped + OB_DAY, (int)sandbox_rng_below(&g->r, 1000000), t, sizeof t);
		*ok = cpx_set_str(box, "deliveredDate", t) == 0;
	}
}

static cJSON *make_box(struct gen *g, size_t idx, const char *status, ob_time ordered, uint64_t order_id,
		       const cJSON *sibling, int nitems, int min_qty)
{
	cJSON *b = cJSON_CreateObject();
	bool ok = b != NULL;
	/* Most boxes carry 18-digit ids (beyond 2^53) as today's do; every tenth a
	 * short one as older orders have. */
	uint64_t box_id = idx % 10 == 9 ? 102390000ull + idx : 642538971006401429ull + (uint64_t)idx * 10007000021ull;
	char t[48];
	cpx_jraw(b, "shipmentBoxId", box_id, &ok);
	cpx_jraw(b, "orderId", order_id, &ok);
	sandbox_time_text(ordered, (int)sandbox_rng_below(&g->r, 1000000), t, sizeof t);
	cpx_js(b, "orderedAt", t, &ok);
	char name[64];
	sandbox_gen_name(&g->r, name, sizeof name);
	if (sibling) {
		cpx_jadd(b, "orderer", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(sibling, "orderer"), 1), &ok);
	} else {
		cJSON *orderer = cJSON_CreateObject();
		char phone[32];
		sandbox_gen_safe_number(&g->r, phone, sizeof phone);
		bool o2 = orderer != NULL;
		cpx_js(orderer, "name", name, &o2);
		cpx_js(orderer, "email", "", &o2);
		cpx_js(orderer, "safeNumber", phone, &o2);
		cpx_js(orderer, "ordererNumber", NULL, &o2);
		if (!o2) {
			cJSON_Delete(orderer);
			orderer = NULL;
		}
		cpx_jadd(b, "orderer", orderer, &ok);
	}
	sandbox_time_text(ordered + sandbox_rng_range(&g->r, 5, 120), (int)sandbox_rng_below(&g->r, 1000000), t,
			  sizeof t);
	cpx_js(b, "paidAt", t, &ok);
	cpx_js(b, "status", status, &ok);
	cJSON *recv;
	if (sibling) {
		recv = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(sibling, "receiver"), 1);
	} else {
		char rname[64];
		if (sandbox_rng_percent(&g->r, 80))
			str_copy(rname, sizeof rname, name);
		else
			sandbox_gen_name(&g->r, rname, sizeof rname);
		recv = receiver_json(&g->r, rname, idx, idx < sandbox_gen_fixed_addresses());
	}
	bool remote = recv && str_starts(cpx_str(recv, "addr1"), "제주");
	cpx_jadd(b, "shippingPrice", money(sandbox_rng_percent(&g->r, 60) ? 0 : 3000), &ok);
	cpx_jadd(b, "remotePrice", remote ? money(3000) : cJSON_CreateNull(), &ok);
	cpx_jb(b, "remoteArea", remote, &ok);
	/* Every memo of the table (the hostile ones included) in the first boxes. */
	const char *memo = idx < sandbox_gen_memo_count() ? sandbox_gen_memo_at(idx) : sandbox_gen_memo(&g->r);
	cpx_js(b, "parcelPrintMessage", memo, &ok);
	cpx_jb(b, "splitShipping", false, &ok);
	cpx_jb(b, "ableSplitShipping", nitems > 1, &ok);
	cpx_jadd(b, "receiver", recv, &ok);
	cJSON *items = cJSON_CreateArray();
	for (int i = 0; ok && i < nitems; i++) {
		/* One line per option in a box, as at Coupang: draw again on a repeat. */
		cJSON *it = NULL;
		for (int tries = 0; tries < 16; tries++) {
			cJSON_Delete(it);
			it = order_item(g, ordered, i == 0 ? min_qty : 1);
			if (!it)
				break;
			uint64_t vid = u64_of(it, "vendorItemId");
			bool repeat = false;
			const cJSON *prev;
			cJSON_ArrayForEach(prev, items)
				repeat |= u64_of(prev, "vendorItemId") == vid;
			if (!repeat)
				break;
		}
		cpx_jpush(items, it, &ok);
	}
	cpx_jadd(b, "orderItems", items, &ok);
	cJSON *ov = cJSON_CreateObject();
	bool o3 = ov != NULL;
	cpx_js(ov, "personalCustomsClearanceCode", NULL, &o3);
	cpx_js(ov, "ordererSsn", NULL, &o3);
	cpx_js(ov, "ordererPhoneNumber", NULL, &o3);
	cpx_jadd(b, "overseaShippingInfoDto", o3 ? ov : (cJSON_Delete(ov), NULL), &ok);
	cpx_js(b, "deliveryCompanyName", "", &ok);
	cpx_js(b, "invoiceNumber", "", &ok);
	cpx_js(b, "inTrasitDateTime", "", &ok);
	cpx_js(b, "deliveredDate", "", &ok);
	static const char *const refers[] = { "아이폰앱", "안드로이드앱", "PC웹", "모바일웹" };
	cpx_js(b, "refer", refers[sandbox_rng_below(&g->r, 4)], &ok);
	cpx_js(b, "shipmentType", "THIRD_PARTY", &ok);
	cpx_jb(b, "isCod", false, &ok);
	cJSON *ex = cJSON_CreateObject();
	bool o4 = ex != NULL;
	cpx_js(ex, "sameDayShipping", "false", &o4);
	cpx_js(ex, "cutOffTimeHour", "0", &o4);
	cpx_jadd(b, "extraProperties", o4 ? ex : (cJSON_Delete(ex), NULL), &ok);
	if (ok && !str_eq(status, "ACCEPT") && !str_eq(status, "INSTRUCT"))
		ship_box(g, b, idx, status, ordered, &ok);
	if (!ok) {
		cJSON_Delete(b);
		return NULL;
	}
	return b;
}

static void add_receipt(struct gen *g, cJSON *box, const int *counts, const char *type, const char *status,
			const char *stop, const char *confirm, ob_time created, bool apply)
{
	if (!g->ok)
		return;
	cJSON *r = cpx_receipt_doc(box, g->next_receipt++, counts, type, status, stop, confirm, created);
	if (!r) {
		g->ok = false;
		return;
	}
	if (apply)
		cpx_apply_cancel_doc(box, r);
	cpx_jpush(g->receipts, r, &g->ok);
}

/* One box per plan: the scenario decides the status, items and claims. */
static void gen_box(struct gen *g, size_t idx, struct plan pl, cJSON **prev)
{
	const char *status = "ACCEPT";
	int nitems = 1 + (sandbox_rng_percent(&g->r, 35) ? 1 + (int)sandbox_rng_below(&g->r, 2) : 0);
	int min_qty = 1;
	switch (pl.k) {
	case K_PLAIN: status = status_for(g); break;
	case K_RU: status = pl.combo / 3 % 3 == 1 ? "DEPARTURE" : "INSTRUCT", min_qty = 1 + pl.combo % 2; break;
	case K_RU_MULTI: status = "INSTRUCT", nitems = 2 + (int)sandbox_rng_below(&g->r, 2); break;
	case K_CANCEL_FULL: break;
	case K_CANCEL_PART: nitems = 2, min_qty = 2; break;
	case K_HOLD: min_qty = 2; break;
	case K_ADDR: break;
	case K_WITHDRAWN: {
		static const char *const s[] = { "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY" };
		status = s[sandbox_rng_below(&g->r, 4)];
		break;
	}
	case K_RET_UC:
	case K_RET_CC:
	case K_RET_PR: status = "FINAL_DELIVERY"; break;
	}
	int lo, hi;
	age_for(status, &lo, &hi);
	if (pl.k == K_WITHDRAWN)
		lo = 0, hi = 1 << 20;
	ob_time ordered = pick_time(g, lo, hi);
	const cJSON *sibling = NULL;
	uint64_t order_id;
	/* Some orders are split into two boxes (another warehouse or ship date). */
	if (pl.k == K_PLAIN && *prev && sandbox_rng_percent(&g->r, 8)) {
		sibling = *prev;
		order_id = u64_of(sibling, "orderId");
		kst_parse(cpx_str(sibling, "orderedAt"), &ordered);
	} else {
		order_id = g->next_order;
		g->next_order += 1 + sandbox_rng_below(&g->r, 40);
	}
	cJSON *box = make_box(g, idx, status, ordered, order_id, sibling, nitems, min_qty);
	if (!box) {
		g->ok = false;
		return;
	}
	cpx_jpush(g->sheets, box, &g->ok);
	if (!g->ok)
		return;
	*prev = box;
	cJSON *items = cJSON_GetObjectItemCaseSensitive(box, "orderItems");
	int n = cJSON_GetArraySize(items);
	int counts[8] = { 0 };
	ob_time created = ordered + sandbox_rng_range(&g->r, 600, 6 * 3600);
	switch (pl.k) {
	case K_RU: {
		const char *stop = STOPS[pl.combo / 3 % 3], *confirm = CONFIRMS[pl.combo % 3];
		/* Odd combos ask for one unit of two: a partial cancel. */
		counts[0] = pl.combo % 2 ? 1 : cpx_item_int(cJSON_GetArrayItem(items, 0), "shippingCount");
		/* Approved (by the seller or Coupang CS): the units are cancelled. */
		bool apply = str_eq(stop, STOP_STOPPED) || (str_eq(stop, STOP_OPEN) && str_eq(confirm, "CS_CONFIRM"));
		add_receipt(g, box, counts, "RETURN", RS[pl.combo / 9], stop, confirm, created, apply);
		break;
	}
	case K_RU_MULTI:
		counts[0] = counts[1] = 1;
		add_receipt(g, box, counts, "RETURN", RS[0], STOP_OPEN, "UNDEFINED", created, false);
		break;
	case K_CANCEL_FULL:
		for (int i = 0; i < n && i < 8; i++)
			counts[i] = cpx_item_int(cJSON_GetArrayItem(items, i), "shippingCount");
		add_receipt(g, box, counts, "CANCEL", "RETURNS_COMPLETED", STOP_NONE, "UNDEFINED", created, true);
		break;
	case K_CANCEL_PART:
		counts[0] = 1;
		add_receipt(g, box, counts, "CANCEL", "RETURNS_COMPLETED", STOP_NONE, "UNDEFINED", created, true);
		break;
	case K_HOLD:
		if (g->ok)
			cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, 0),
									      "holdCountForCancel"), 1);
		break;
	case K_ADDR: {
		char rname[64];
		str_copy(rname, sizeof rname, cpx_str(cJSON_GetObjectItemCaseSensitive(box, "receiver"), "name"));
		cpx_jadd(box, "_pendingReceiver", receiver_json(&g->r, rname, 0, false), &g->ok);
		break;
	}
	case K_WITHDRAWN: {
		counts[0] = 1;
		add_receipt(g, box, counts, "RETURN", RS[0], STOP_OPEN, "UNDEFINED", created, false);
		if (!g->ok)
			break;
		const cJSON *rr = cJSON_GetArrayItem(g->receipts, cJSON_GetArraySize(g->receipts) - 1);
		cJSON *w = cJSON_CreateObject();
		bool ok = w != NULL;
		char t[40];
		v4_time(created + sandbox_rng_range(&g->r, 600, 30 * 3600), t, sizeof t);
		cpx_jraw(w, "cancelId", u64_of(rr, "receiptId"), &ok);
		cpx_jraw(w, "orderId", order_id, &ok);
		cpx_js(w, "vendorId", SANDBOX_COUPANG_VENDOR, &ok);
		cpx_js(w, "refundDeliveryDuty", "CUS", &ok);
		cpx_js(w, "createdAt", t, &ok);
		cJSON *vids = cJSON_CreateArray();
		cpx_jpush(vids, sandbox_json_u64_raw(u64_of(cJSON_GetArrayItem(items, 0), "vendorItemId")), &ok);
		cpx_jadd(w, "vendorItemIds", vids, &ok);
		if (!ok)
			cJSON_Delete(w), w = NULL;
		cpx_jpush(g->wds, w, &g->ok);
		break;
	}
	case K_RET_UC:
	case K_RET_CC:
	case K_RET_PR: {
		counts[0] = 1;
		const char *rs = pl.k == K_RET_UC ? "RETURNS_UNCHECKED" :
				 pl.k == K_RET_CC ? "RETURNS_COMPLETED" : "REQUEST_COUPANG_CHECK";
		add_receipt(g, box, counts, "RETURN", rs, STOP_NONE, pl.k == K_RET_CC ? "VENDOR_CONFIRM" : "UNDEFINED",
			    created + 2 * OB_DAY, false);
		break;
	}
	case K_PLAIN: break;
	}
}

cJSON *cpx_generate(const struct sandbox_gen_opts *o)
{
	struct gen g;
	memset(&g, 0, sizeof g);
	sandbox_rng_seed(&g.r, sandbox_rng_derive(o->seed, "coupang"));
	g.o = o;
	g.ok = true;
	g.next_receipt = 50229613 + sandbox_rng_below(&g.r, 1000);
	g.next_order = 22000009546234ull + sandbox_rng_below(&g.r, 100000);
	cJSON *root = cJSON_CreateObject();
	g.sheets = cJSON_CreateArray();
	g.receipts = cJSON_CreateArray();
	g.wds = cJSON_CreateArray();
	cpx_jadd(root, "ordersheets", g.sheets, &g.ok);
	cpx_jadd(root, "returnRequests", g.receipts, &g.ok);
	cpx_jadd(root, "withdrawals", g.wds, &g.ok);
	if (!g.ok) {
		cJSON_Delete(root);
		return NULL;
	}
	/* The scenarios the client must handle, each at least once (in this order
	 * of priority when --orders is small), on random boxes. */
	struct plan must[64];
	size_t nm = 0;
	for (int c = 0; c < 18; c++)
		must[nm++] = (struct plan){ K_RU, c };
	static const struct {
		enum kind k;
		int n;
	} extra[] = {
		{ K_CANCEL_FULL, 2 }, { K_CANCEL_PART, 2 }, { K_RU_MULTI, 2 }, { K_HOLD, 2 }, { K_ADDR, 3 },
		{ K_WITHDRAWN, 4 },   { K_RET_UC, 1 },      { K_RET_CC, 1 },   { K_RET_PR, 1 },
	};
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		for (int j = 0; j < extra[i].n; j++)
			must[nm++] = (struct plan){ extra[i].k, 0 };
	size_t n = o->orders > 0 ? (size_t)o->orders : 0;
	struct plan *plans = calloc(n ? n : 1, sizeof *plans);
	size_t *perm = calloc(n ? n : 1, sizeof *perm);
	if (!plans || !perm) {
		free(plans);
		free(perm);
		cJSON_Delete(root);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)sandbox_rng_below(&g.r, i);
		size_t t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < n; i++) {
		if (i < nm) {
			plans[perm[i]] = must[i];
			continue;
		}
		/* The rest: mostly plain boxes, a sprinkle of every scenario. */
		uint64_t x = sandbox_rng_below(&g.r, 100);
		struct plan p = { K_PLAIN, 0 };
		if (x < 3)
			p = (struct plan){ K_CANCEL_FULL, 0 };
		else if (x < 5)
			p = (struct plan){ K_CANCEL_PART, 0 };
		else if (x < 9)
			p = (struct plan){ K_RU, (int)sandbox_rng_below(&g.r, 18) };
		else if (x < 11)
			p = (struct plan){ K_ADDR, 0 };
		else if (x < 13)
			p = (struct plan){ K_WITHDRAWN, 0 };
		else if (x < 15)
			p = (struct plan){ K_RET_UC + (int)sandbox_rng_below(&g.r, 3), 0 };
		plans[perm[i]] = p;
	}
	free(perm);
	cJSON *prev = NULL;
	for (size_t i = 0; i < n && g.ok; i++)
		gen_box(&g, i, plans[i], &prev);
	free(plans);
	if (g.ok && cpx_gen_claims(root, o) < 0)
		g.ok = false;
	if (!g.ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* --- the state --- */

/* Long ids go out as raw number text whatever the data set had (a string
 * from a hand-written file, a number json_parse quoted). */
static int normalize_id(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v) || cJSON_IsRaw(v))
		return 0;
	uint64_t id;
	if (sandbox_json_u64(v, &id) < 0)
		return 0;
	return cpx_set_raw_u64(obj, key, id);
}

static int normalize_ids(cJSON *obj, const char *const *keys)
{
	for (; *keys; keys++)
		if (normalize_id(obj, *keys) < 0)
			return -1;
	return 0;
}

static int hist_from_doc(struct cpx_box *b)
{
	static const char *const chain[] = { "ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY" };
	const char *status = cpx_str(b->doc, "status");
	ob_time paid = b->ordered, shipped = 0, delivered = 0;
	const char *p = cpx_str(b->doc, "paidAt");
	if (p && kst_parse(p, &paid) < 0)
		paid = b->ordered;
	const char *s = cpx_str(b->doc, "inTrasitDateTime");
	if (s && *s)
		kst_parse(s, &shipped);
	const char *d = cpx_str(b->doc, "deliveredDate");
	if (d && *d)
		kst_parse(d, &delivered);
	if (!shipped)
		shipped = paid + OB_DAY;
	if (!delivered)
		delivered = shipped + OB_DAY;
	if (str_eq(status, "NONE_TRACKING")) {
		return cpx_hist_add(b, "ACCEPT", paid, 0) || cpx_hist_add(b, "INSTRUCT", paid + 2 * 3600, 0) ||
		       cpx_hist_add(b, "NONE_TRACKING", shipped, 0) ? -1 : 0;
	}
	ob_time at[] = { paid, paid + 2 * 3600, shipped, shipped + 6 * 3600, delivered };
	for (size_t i = 0; i < sizeof chain / sizeof chain[0]; i++) {
		if (cpx_hist_add(b, chain[i], at[i], 0) < 0)
			return -1;
		if (str_eq(status, chain[i]))
			break;
	}
	return 0;
}

int cpx_hist_add(struct cpx_box *b, const char *status, ob_time at, int usec)
{
	if (b->nhist == b->caphist) {
		size_t cap = b->caphist ? b->caphist * 2 : 6;
		struct cpx_hist *h = realloc(b->hist, cap * sizeof *h);
		if (!h)
			return -1;
		b->hist = h;
		b->caphist = cap;
	}
	struct cpx_hist *h = &b->hist[b->nhist++];
	str_copy(h->status, sizeof h->status, status);
	h->at = at;
	h->usec = usec;
	return 0;
}

static int cmp_box(const void *a, const void *b)
{
	const struct cpx_box *x = a, *y = b;
	if (x->ordered != y->ordered)
		return x->ordered < y->ordered ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_receipt(const void *a, const void *b)
{
	const struct cpx_receipt *x = a, *y = b;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_box_id(const void *a, const void *b)
{
	const struct cpx_box *x = *(const struct cpx_box *const *)a, *y = *(const struct cpx_box *const *)b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void free_contents(struct cpx_state *st)
{
	for (size_t i = 0; i < st->nboxes; i++) {
		cJSON_Delete(st->boxes[i].doc);
		cJSON_Delete(st->boxes[i].pending);
		free(st->boxes[i].hist);
		free(st->boxes[i].returned);
	}
	free(st->by_id);
	st->by_id = NULL;
	for (size_t i = 0; i < st->nreceipts; i++)
		cJSON_Delete(st->receipts[i].doc);
	for (size_t i = 0; i < st->nwds; i++)
		cJSON_Delete(st->wds[i].doc);
	cpx_exchanges_free(st);
	free(st->boxes);
	free(st->receipts);
	free(st->wds);
	st->boxes = NULL;
	st->receipts = NULL;
	st->wds = NULL;
	st->nboxes = st->nreceipts = st->nwds = st->capreceipts = st->capwds = 0;
}

struct cpx_receipt *cpx_receipt_add(struct cpx_state *st, cJSON *doc)
{
	if (st->nreceipts == st->capreceipts) {
		size_t cap = st->capreceipts ? st->capreceipts * 2 : 64;
		struct cpx_receipt *p = realloc(st->receipts, cap * sizeof *p);
		if (!p) {
			cJSON_Delete(doc);
			return NULL;
		}
		st->receipts = p;
		st->capreceipts = cap;
	}
	struct cpx_receipt *r = &st->receipts[st->nreceipts++];
	memset(r, 0, sizeof *r);
	r->doc = doc;
	r->id = u64_of(doc, "receiptId");
	r->order_id = u64_of(doc, "orderId");
	const char *c = cpx_str(doc, "createdAt");
	if (!c || kst_parse(c, &r->created) < 0)
		r->created = 0;
	r->cancel = str_eq(cpx_str(doc, "receiptType"), "CANCEL");
	if (r->id >= st->next_receipt_id)
		st->next_receipt_id = r->id + 1;
	return r;
}

static int build_into(struct cpx_state *st, const cJSON *ds, struct ob_err *err)
{
	static const char *const box_ids[] = { "shipmentBoxId", "orderId", NULL };
	static const char *const item_ids[] = { "vendorItemId", "sellerProductId", "productId", NULL };
	static const char *const rr_ids[] = { "receiptId", "orderId", "paymentId", "returnDeliveryId", NULL };
	static const char *const ri_ids[] = { "vendorItemId", "shipmentBoxId", "sellerProductId", NULL };
	static const char *const wd_ids[] = { "cancelId", "orderId", NULL };
	const cJSON *sheets = cJSON_GetObjectItemCaseSensitive(ds, "ordersheets");
	const cJSON *rrs = cJSON_GetObjectItemCaseSensitive(ds, "returnRequests");
	const cJSON *wds = cJSON_GetObjectItemCaseSensitive(ds, "withdrawals");
	if (!cJSON_IsArray(sheets) || (rrs && !cJSON_IsArray(rrs)) || (wds && !cJSON_IsArray(wds)))
		return ob_errf(err, OB_EUSAGE,
			       "data set: expected {\"ordersheets\":[..], \"returnRequests\":[..], \"withdrawals\":[..], "
			       "\"exchangeRequests\":[..]}");
	size_t n = (size_t)cJSON_GetArraySize(sheets);
	st->boxes = calloc(n ? n : 1, sizeof *st->boxes);
	if (!st->boxes)
		return ob_err_nomem(err);
	const cJSON *s;
	cJSON_ArrayForEach(s, sheets)
	{
		struct cpx_box *b = &st->boxes[st->nboxes];
		b->doc = cJSON_Duplicate(s, 1);
		if (!b->doc)
			return ob_err_nomem(err);
		st->nboxes++;
		if (normalize_ids(b->doc, box_ids) < 0)
			return ob_err_nomem(err);
		b->id = u64_of(b->doc, "shipmentBoxId");
		b->order_id = u64_of(b->doc, "orderId");
		const char *oa = cpx_str(b->doc, "orderedAt");
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems");
		if (!b->id || !b->order_id || !oa || kst_parse(oa, &b->ordered) < 0 || !cJSON_IsArray(items) ||
		    !cpx_str(b->doc, "status"))
			return ob_errf(err, OB_EUSAGE,
				       "data set: ordersheet %zu needs shipmentBoxId, orderId, orderedAt, status and "
				       "orderItems", st->nboxes);
		cJSON *it;
		cJSON_ArrayForEach(it, items)
		{
			if (normalize_ids(it, item_ids) < 0)
				return ob_err_nomem(err);
			if (!u64_of(it, "vendorItemId"))
				return ob_errf(err, OB_EUSAGE, "data set: box %" PRIu64 " has an item without vendorItemId",
					       b->id);
			/* Counts the endpoints change must exist to be changed in place. */
			if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(it, "cancelCount")) &&
			    cpx_set_num(it, "cancelCount", 0) < 0)
				return ob_err_nomem(err);
			if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(it, "holdCountForCancel")) &&
			    cpx_set_num(it, "holdCountForCancel", 0) < 0)
				return ob_err_nomem(err);
		}
		b->pending = cJSON_DetachItemFromObjectCaseSensitive(b->doc, "_pendingReceiver");
		if (hist_from_doc(b) < 0)
			return ob_err_nomem(err);
	}
	qsort(st->boxes, st->nboxes, sizeof *st->boxes, cmp_box);
	st->by_id = calloc(st->nboxes ? st->nboxes : 1, sizeof *st->by_id);
	if (!st->by_id)
		return ob_err_nomem(err);
	for (size_t i = 0; i < st->nboxes; i++)
		st->by_id[i] = &st->boxes[i];
	qsort(st->by_id, st->nboxes, sizeof *st->by_id, cmp_box_id);
	for (size_t i = 1; i < st->nboxes; i++)
		if (st->by_id[i]->id == st->by_id[i - 1]->id)
			return ob_errf(err, OB_EUSAGE, "data set: shipmentBoxId %" PRIu64 " appears twice",
				       st->by_id[i]->id);
	const cJSON *w;
	cJSON_ArrayForEach(w, wds)
	{
		if (st->nwds == st->capwds) {
			size_t cap = st->capwds ? st->capwds * 2 : 16;
			struct cpx_withdrawal *p = realloc(st->wds, cap * sizeof *p);
			if (!p)
				return ob_err_nomem(err);
			st->wds = p;
			st->capwds = cap;
		}
		struct cpx_withdrawal *x = &st->wds[st->nwds];
		x->doc = cJSON_Duplicate(w, 1);
		if (!x->doc)
			return ob_err_nomem(err);
		st->nwds++;
		if (normalize_ids(x->doc, wd_ids) < 0)
			return ob_err_nomem(err);
		cJSON *vids = cJSON_GetObjectItemCaseSensitive(x->doc, "vendorItemIds");
		for (int i = 0; i < cJSON_GetArraySize(vids); i++) {
			uint64_t v;
			cJSON *e = cJSON_GetArrayItem(vids, i);
			if (!cJSON_IsRaw(e) && sandbox_json_u64(e, &v) == 0) {
				cJSON *raw = sandbox_json_u64_raw(v);
				if (!raw || !cJSON_ReplaceItemInArray(vids, i, raw)) {
					cJSON_Delete(raw);
					return ob_err_nomem(err);
				}
			}
		}
		x->cancel_id = u64_of(x->doc, "cancelId");
		const char *c = cpx_str(x->doc, "createdAt");
		if (!x->cancel_id || !c || kst_parse(c, &x->created) < 0)
			return ob_errf(err, OB_EUSAGE, "data set: withdrawal %zu needs cancelId and createdAt", st->nwds);
	}
	const cJSON *r;
	cJSON_ArrayForEach(r, rrs)
	{
		cJSON *doc = cJSON_Duplicate(r, 1);
		if (!doc || normalize_ids(doc, rr_ids) < 0) {
			cJSON_Delete(doc);
			return ob_err_nomem(err);
		}
		cJSON *ri;
		cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(doc, "returnItems"))
			if (normalize_ids(ri, ri_ids) < 0) {
				cJSON_Delete(doc);
				return ob_err_nomem(err);
			}
		struct cpx_receipt *x = cpx_receipt_add(st, doc);
		if (!x)
			return ob_err_nomem(err);
		if (!x->id || !x->created || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "returnItems")))
			return ob_errf(err, OB_EUSAGE,
				       "data set: returnRequest %zu needs receiptId, createdAt and returnItems",
				       st->nreceipts);
		for (size_t i = 0; i < st->nwds; i++)
			if (st->wds[i].cancel_id == x->id)
				x->withdrawn = true;
	}
	if (st->nreceipts > 1)
		qsort(st->receipts, st->nreceipts, sizeof *st->receipts, cmp_receipt);
	if (st->next_receipt_id < 50000000)
		st->next_receipt_id = 50000000;
	int rc = cpx_exchanges_build(st, cJSON_GetObjectItemCaseSensitive(ds, "exchangeRequests"), err);
	if (rc != OB_OK)
		return rc;
	return cpx_count_returns(st) < 0 ? ob_err_nomem(err) : OB_OK;
}

int cpx_state_build(cJSON *dataset, const struct sandbox_gen_opts *gen, uint64_t seed, struct cpx_state **out,
		    struct ob_err *err)
{
	*out = NULL;
	struct cpx_state *st = calloc(1, sizeof *st);
	if (!st) {
		cJSON_Delete(dataset);
		return ob_err_nomem(err);
	}
	st->dataset = dataset;
	st->seed = seed;
	int rc = build_into(st, dataset, err);
	if (rc != OB_OK) {
		cpx_state_free(st);
		return rc;
	}
	/* A generated data set is made again at reset rather than kept: the
	 * served copy is the big part of the memory already. */
	if (gen) {
		st->gen = *gen;
		st->generated = true;
		cJSON_Delete(st->dataset);
		st->dataset = NULL;
	}
	*out = st;
	return OB_OK;
}

int cpx_state_reset(struct cpx_state *st, struct ob_err *err)
{
	cJSON *ds = st->generated ? cpx_generate(&st->gen) : st->dataset;
	if (!ds)
		return ob_err_nomem(err);
	free_contents(st);
	st->next_receipt_id = 0;
	st->writes = 0;
	st->fail_next[0] = '\0';
	int rc = build_into(st, ds, err);
	if (rc != OB_OK)
		free_contents(st);
	if (st->generated)
		cJSON_Delete(ds);
	return rc;
}

void cpx_state_free(struct cpx_state *st)
{
	if (!st)
		return;
	free_contents(st);
	cJSON_Delete(st->dataset);
	free(st);
}

/* --- rules --- */

struct cpx_box *cpx_box_find(struct cpx_state *st, uint64_t id)
{
	size_t lo = 0, hi = st->nboxes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->by_id[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->nboxes && st->by_id[lo]->id == id ? st->by_id[lo] : NULL;
}

struct cpx_receipt *cpx_receipt_find(struct cpx_state *st, uint64_t id)
{
	for (size_t i = 0; i < st->nreceipts; i++)
		if (st->receipts[i].id == id)
			return &st->receipts[i];
	return NULL;
}

/* Completed returns never change through the API, so their units are counted
 * once per change instead of on every list row. */
int cpx_count_returns(struct cpx_state *st)
{
	for (size_t i = 0; i < st->nboxes; i++) {
		struct cpx_box *b = &st->boxes[i];
		int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"));
		if (!b->returned && !(b->returned = calloc(n ? (size_t)n : 1, sizeof *b->returned)))
			return -1;
		memset(b->returned, 0, (n ? (size_t)n : 1) * sizeof *b->returned);
	}
	for (size_t i = 0; i < st->nreceipts; i++) {
		const struct cpx_receipt *r = &st->receipts[i];
		if (r->cancel || r->withdrawn || !str_eq(cpx_str(r->doc, "receiptStatus"), "RETURNS_COMPLETED"))
			continue;
		const cJSON *ri;
		cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
		{
			struct cpx_box *b = cpx_box_find(st, u64_of(ri, "shipmentBoxId"));
			if (!b || b->order_id != r->order_id)
				continue;
			int k = 0;
			const cJSON *it;
			cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
			{
				if (u64_of(it, "vendorItemId") == u64_of(ri, "vendorItemId")) {
					b->returned[k] += cpx_item_int(ri, "cancelCount");
					break;
				}
				k++;
			}
		}
	}
	return 0;
}

bool cpx_box_gone(const struct cpx_state *st, const struct cpx_box *b)
{
	(void)st;
	int k = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
	{
		int left = cpx_item_int(it, "shippingCount") - cpx_item_int(it, "cancelCount") -
			   (b->returned ? b->returned[k] : 0);
		if (left > 0)
			return false;
		k++;
	}
	return true;
}

bool cpx_receipt_undecided(const struct cpx_receipt *r)
{
	const char *rs = cpx_str(r->doc, "receiptStatus");
	const char *cf = cpx_str(r->doc, "completeConfirmType");
	return !r->cancel && !r->withdrawn && str_eq(cpx_str(r->doc, "releaseStopStatus"), STOP_OPEN) &&
	       !str_eq(cf, "CS_CONFIRM") && !str_eq(cf, "CS_LOSS_CONFIRM") &&
	       (str_eq(rs, "RELEASE_STOP_UNCHECKED") || str_eq(rs, "RETURNS_UNCHECKED"));
}

bool cpx_receipt_is_stop(const struct cpx_receipt *r)
{
	const char *s = cpx_str(r->doc, "releaseStopStatus");
	return !r->cancel && (str_eq(cpx_str(r->doc, "receiptStatus"), "RELEASE_STOP_UNCHECKED") ||
			      str_eq(s, STOP_OPEN) || str_eq(s, STOP_SHIPPED) || str_eq(s, STOP_STOPPED) ||
			      str_eq(s, "자동처리(이미출고)"));
}

bool cpx_receipt_in_status(const struct cpx_receipt *r, const char *st)
{
	const char *rs = cpx_str(r->doc, "receiptStatus");
	if (str_eq(st, "RU"))
		return cpx_receipt_is_stop(r);
	/* A stop-shipment request shows under UC too (coupang.md §7); 입고완료
	 * is still an open return, so it is listed there as well. */
	if (str_eq(st, "UC"))
		return str_eq(rs, "RELEASE_STOP_UNCHECKED") || str_eq(rs, "RETURNS_UNCHECKED") ||
		       str_eq(rs, "VENDOR_WAREHOUSE_CONFIRM");
	if (str_eq(st, "CC"))
		return str_eq(rs, "RETURNS_COMPLETED");
	if (str_eq(st, "PR"))
		return str_eq(rs, "REQUEST_COUPANG_CHECK");
	return false;
}

static bool receipt_on_box(const struct cpx_receipt *r, const struct cpx_box *b)
{
	if (r->order_id != b->order_id)
		return false;
	const cJSON *ri;
	cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
		if (u64_of(ri, "shipmentBoxId") == b->id)
			return true;
	return false;
}

bool cpx_box_open_stop(const struct cpx_state *st, const struct cpx_box *b)
{
	for (size_t i = 0; i < st->nreceipts; i++)
		if (cpx_receipt_undecided(&st->receipts[i]) && receipt_on_box(&st->receipts[i], b))
			return true;
	return false;
}

bool cpx_box_open_cancel(const struct cpx_state *st, const struct cpx_box *b)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
		if (cpx_item_int(it, "holdCountForCancel") > 0)
			return true;
	return cpx_box_open_stop(st, b);
}

void cpx_apply_cancel(struct cpx_state *st, const struct cpx_receipt *r)
{
	for (size_t i = 0; i < st->nboxes; i++)
		if (receipt_on_box(r, &st->boxes[i]))
			cpx_apply_cancel_doc(st->boxes[i].doc, r->doc);
}

struct cpx_receipt *cpx_stop_request(struct cpx_state *st, struct cpx_box *b, int count,
				     const char *release_stop, const char *confirm, ob_time now)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems");
	int n = cJSON_GetArraySize(items);
	int *counts = calloc(n ? (size_t)n : 1, sizeof *counts);
	if (!counts)
		return NULL;
	for (int i = 0; i < n && count > 0; i++) {
		const cJSON *it = cJSON_GetArrayItem(items, i);
		int left = cpx_item_int(it, "shippingCount") - cpx_item_int(it, "cancelCount") -
			   cpx_item_int(it, "holdCountForCancel");
		counts[i] = left < count ? left : count;
		if (counts[i] < 0)
			counts[i] = 0;
		count -= counts[i];
	}
	cJSON *doc = cpx_receipt_doc(b->doc, st->next_receipt_id, counts, "RETURN", "RELEASE_STOP_UNCHECKED",
				     release_stop, confirm, now);
	free(counts);
	return doc ? cpx_receipt_add(st, doc) : NULL;
}

/* --- GET /_sandbox/state --- */

static cJSON *id_text(uint64_t v)
{
	char t[24];
	snprintf(t, sizeof t, "%" PRIu64, v);
	return cJSON_CreateString(t);
}

static cJSON *receiver_summary(const cJSON *r)
{
	if (!r)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	static const char *const keys[] = { "name", "safeNumber", "addr1", "addr2", "postCode" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cpx_js(o, keys[i], cpx_str(r, keys[i]), &ok);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *box_state(const struct cpx_state *st, const struct cpx_box *b, bool open_stop)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	cpx_jadd(o, "shipmentBoxId", id_text(b->id), &ok);
	cpx_jadd(o, "orderId", id_text(b->order_id), &ok);
	cpx_js(o, "status", cpx_str(b->doc, "status"), &ok);
	cpx_js(o, "orderedAt", cpx_str(b->doc, "orderedAt"), &ok);
	cpx_jb(o, "gone", cpx_box_gone(st, b), &ok);
	cpx_jb(o, "openStopRequest", open_stop, &ok);
	cpx_jadd(o, "receiver", receiver_summary(cJSON_GetObjectItemCaseSensitive(b->doc, "receiver")), &ok);
	cpx_jadd(o, "pendingReceiver", receiver_summary(b->pending), &ok);
	cpx_js(o, "deliveryCompanyName", cpx_str(b->doc, "deliveryCompanyName"), &ok);
	cpx_js(o, "invoiceNumber", cpx_str(b->doc, "invoiceNumber"), &ok);
	cJSON *items = cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(b->doc, "orderItems"))
	{
		cJSON *x = cJSON_CreateObject();
		int ship = cpx_item_int(it, "shippingCount"), cc = cpx_item_int(it, "cancelCount"),
		    hc = cpx_item_int(it, "holdCountForCancel");
		cpx_jadd(x, "vendorItemId", id_text(u64_of(it, "vendorItemId")), &ok);
		cpx_jn(x, "shippingCount", ship, &ok);
		cpx_jn(x, "cancelCount", cc, &ok);
		cpx_jn(x, "holdCountForCancel", hc, &ok);
		cpx_jn(x, "toShip", ship - cc - hc > 0 ? ship - cc - hc : 0, &ok);
		cpx_jpush(items, x, &ok);
	}
	cpx_jadd(o, "items", items, &ok);
	cJSON *hist = cJSON_CreateArray();
	for (size_t i = 0; ok && i < b->nhist; i++) {
		cJSON *h = cJSON_CreateObject();
		char t[48];
		sandbox_time_text(b->hist[i].at, b->hist[i].usec, t, sizeof t);
		cpx_js(h, "status", b->hist[i].status, &ok);
		cpx_js(h, "at", t, &ok);
		cpx_jpush(hist, h, &ok);
	}
	cpx_jadd(o, "history", hist, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *claim_state(const struct cpx_receipt *r)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	cpx_jadd(o, "receiptId", id_text(r->id), &ok);
	cpx_jadd(o, "orderId", id_text(r->order_id), &ok);
	cpx_js(o, "receiptType", cpx_str(r->doc, "receiptType"), &ok);
	cpx_js(o, "receiptStatus", cpx_str(r->doc, "receiptStatus"), &ok);
	cpx_js(o, "releaseStopStatus", cpx_str(r->doc, "releaseStopStatus"), &ok);
	cpx_js(o, "completeConfirmType", cpx_str(r->doc, "completeConfirmType"), &ok);
	cpx_js(o, "createdAt", cpx_str(r->doc, "createdAt"), &ok);
	cpx_jn(o, "cancelCountSum", cpx_item_int(r->doc, "cancelCountSum"), &ok);
	cpx_jb(o, "withdrawn", r->withdrawn, &ok);
	cpx_jb(o, "undecided", cpx_receipt_undecided(r), &ok);
	cJSON *lists = cJSON_CreateArray();
	static const char *const sts[] = { "RU", "UC", "CC", "PR" };
	if (r->cancel) {
		cpx_jpush(lists, cJSON_CreateString("CANCEL"), &ok);
	} else {
		for (size_t i = 0; i < 4; i++)
			if (cpx_receipt_in_status(r, sts[i]))
				cpx_jpush(lists, cJSON_CreateString(sts[i]), &ok);
	}
	cpx_jadd(o, "listedUnder", lists, &ok);
	cpx_js(o, "faultByType", cpx_str(r->doc, "faultByType"), &ok);
	cpx_jn(o, "returnShippingCharge", cpx_item_int(r->doc, "returnShippingCharge"), &ok);
	cpx_jadd(o, "pickups", cpx_pickups_json(r->doc), &ok);
	cJSON *items = cJSON_CreateArray();
	const cJSON *ri;
	cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
	{
		cJSON *x = cJSON_CreateObject();
		cpx_jadd(x, "vendorItemId", id_text(u64_of(ri, "vendorItemId")), &ok);
		cpx_jadd(x, "shipmentBoxId", id_text(u64_of(ri, "shipmentBoxId")), &ok);
		cpx_jn(x, "purchaseCount", cpx_item_int(ri, "purchaseCount"), &ok);
		cpx_jn(x, "cancelCount", cpx_item_int(ri, "cancelCount"), &ok);
		cpx_js(x, "releaseStatus", cpx_str(ri, "releaseStatus"), &ok);
		cpx_jpush(items, x, &ok);
	}
	cpx_jadd(o, "items", items, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int cpx_state_json(struct cpx_state *st, cJSON *root)
{
	cJSON *c = cJSON_CreateObject();
	bool ok = c != NULL;
	cpx_js(c, "vendorId", SANDBOX_COUPANG_VENDOR, &ok);
	cJSON *boxes = cJSON_CreateArray(), *claims = cJSON_CreateArray(), *wds = cJSON_CreateArray();
	cJSON *by = cJSON_CreateObject();
	cpx_jadd(c, "boxes", boxes, &ok);
	cpx_jadd(c, "claims", claims, &ok);
	cpx_jadd(c, "withdrawals", wds, &ok);
	cpx_jadd(c, "boxesByStatus", by, &ok);
	/* Open requests marked in one pass: asking per box is boxes x receipts. */
	bool *open = calloc(st->nboxes ? st->nboxes : 1, sizeof *open);
	ok = ok && open;
	for (size_t i = 0; ok && i < st->nreceipts; i++) {
		if (!cpx_receipt_undecided(&st->receipts[i]))
			continue;
		const cJSON *ri;
		cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(st->receipts[i].doc, "returnItems"))
		{
			struct cpx_box *b = cpx_box_find(st, u64_of(ri, "shipmentBoxId"));
			if (b && b->order_id == st->receipts[i].order_id)
				open[b - st->boxes] = true;
		}
	}
	for (size_t i = 0; ok && i < st->nboxes; i++) {
		const struct cpx_box *b = &st->boxes[i];
		cpx_jpush(boxes, box_state(st, b, open[i]), &ok);
		const char *s = cpx_str(b->doc, "status");
		cJSON *cnt = cJSON_GetObjectItemCaseSensitive(by, s ? s : "?");
		if (cnt)
			cJSON_SetNumberValue(cnt, cnt->valuedouble + 1);
		else
			cpx_jn(by, s ? s : "?", 1, &ok);
	}
	free(open);
	if (ok && cpx_exchanges_json(st, c) < 0)
		ok = false;
	for (size_t i = 0; ok && i < st->nreceipts; i++)
		cpx_jpush(claims, claim_state(&st->receipts[i]), &ok);
	for (size_t i = 0; ok && i < st->nwds; i++) {
		const struct cpx_withdrawal *w = &st->wds[i];
		cJSON *x = cJSON_CreateObject();
		cpx_jadd(x, "cancelId", id_text(w->cancel_id), &ok);
		cpx_jadd(x, "orderId", id_text(u64_of(w->doc, "orderId")), &ok);
		cpx_js(x, "createdAt", cpx_str(w->doc, "createdAt"), &ok);
		cpx_jpush(wds, x, &ok);
	}
	cpx_jadd(root, "coupang", c, &ok);
	return ok ? 0 : -1;
}

/* --- test setters --- */

/* A test setter's answer in Coupang's shape: {"code": status, "message": msg}. */
int cpx_respond(struct sandbox_response *resp, int status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	cpx_jn(o, "code", status, &ok);
	cpx_js(o, "message", msg, &ok);
	if (!ok) {
		cJSON_Delete(o);
		return -1;
	}
	return sandbox_respond_json(resp, status, o);
}

static int query_u64(const struct sandbox_request *req, const char *name, uint64_t *out)
{
	char v[32];
	if (sandbox_query_get(req->query, name, v, sizeof v) != 1 || !str_is_digits(v))
		return -1;
	errno = 0;
	char *end;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || *end)
		return -1;
	*out = x;
	return 0;
}

static int test_address(struct cpx_state *st, struct cpx_box *b, const struct sandbox_request *req,
			struct sandbox_response *resp)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(b->doc, "receiver");
	cJSON *nr = cJSON_Duplicate(cur, 1);
	if (!nr)
		return -1;
	/* Defaults: a new address picked from the box id, so reruns agree. */
	struct sandbox_rng r;
	sandbox_rng_seed(&r, sandbox_rng_derive(st->seed ^ b->id, "address"));
	struct sandbox_address a;
	sandbox_gen_address(&r, &a);
	static const char *const keys[] = { "name", "safeNumber", "addr1", "addr2", "postCode" };
	const char *defs[] = { NULL, NULL, a.addr1, a.addr2, a.zip };
	for (size_t i = 0; i < 5; i++) {
		char v[256];
		int f = sandbox_query_get(req->query, keys[i], v, sizeof v);
		if (f < 0) {
			cJSON_Delete(nr);
			return cpx_respond(resp, 400, "a value is too long or badly encoded");
		}
		const char *val = f == 1 ? v : defs[i];
		if (val && cpx_set_str(nr, keys[i], val) < 0) {
			cJSON_Delete(nr);
			return -1;
		}
	}
	bool pending = str_eq(cpx_str(b->doc, "status"), "ACCEPT");
	if (pending) {
		cJSON_Delete(b->pending);
		b->pending = nr;
	} else if (!cJSON_ReplaceItemInObjectCaseSensitive(b->doc, "receiver", nr)) {
		cJSON_Delete(nr);
		return -1;
	}
	return cpx_respond(resp, 200, pending ? "address change pending: applied at acknowledgement" :
				   "address changed (the box was past ACCEPT)");
}

int cpx_handle_test(struct cpx_state *st, const char *action, const struct sandbox_request *req,
		    struct sandbox_response *resp)
{
	bool post = str_eq(req->method, "POST");
	uint64_t id = 0;
	if (!post)
		return cpx_respond(resp, 405, "test setters take POST");
	if (str_eq(action, "address") || str_eq(action, "cancel-request") || str_eq(action, "status")) {
		if (query_u64(req, "shipmentBoxId", &id) < 0)
			return cpx_respond(resp, 400, "shipmentBoxId=N is required");
		struct cpx_box *b = cpx_box_find(st, id);
		if (!b)
			return cpx_respond(resp, 404, "no such shipmentBoxId");
		if (str_eq(action, "address"))
			return test_address(st, b, req, resp);
		if (str_eq(action, "status")) {
			char s[32];
			if (sandbox_query_get(req->query, "status", s, sizeof s) != 1 || !*cpx_status_desc(s))
				return cpx_respond(resp, 400, "status=ACCEPT|INSTRUCT|DEPARTURE|DELIVERING|FINAL_DELIVERY|"
							 "NONE_TRACKING is required");
			if (cpx_set_str(b->doc, "status", s) < 0 || cpx_hist_add(b, s, req->now, 0) < 0)
				return -1;
			return cpx_respond(resp, 200, "status set");
		}
		uint64_t count = 1;
		char cv[24];
		if (sandbox_query_get(req->query, "count", cv, sizeof cv) != 0 &&
		    (query_u64(req, "count", &count) < 0 || count < 1 || count > 1000))
			return cpx_respond(resp, 400, "count must be a positive number");
		struct cpx_receipt *r = cpx_stop_request(st, b, (int)count, STOP_OPEN, "UNDEFINED", req->now);
		if (!r)
			return -1;
		cJSON *o = cJSON_CreateObject();
		bool ok = o != NULL;
		cpx_jn(o, "code", 200, &ok);
		cpx_js(o, "message", "stop-shipment request created", &ok);
		cpx_jadd(o, "receiptId", id_text(r->id), &ok);
		cpx_jn(o, "cancelCountSum", cpx_item_int(r->doc, "cancelCountSum"), &ok);
		if (!ok) {
			cJSON_Delete(o);
			return -1;
		}
		return sandbox_respond_json(resp, 200, o);
	}
	if (str_eq(action, "withdraw") || str_eq(action, "cs-confirm")) {
		if (query_u64(req, "receiptId", &id) < 0)
			return cpx_respond(resp, 400, "receiptId=N is required");
		struct cpx_receipt *r = cpx_receipt_find(st, id);
		if (!r || r->withdrawn)
			return cpx_respond(resp, 404, "no such receiptId (or withdrawn)");
		char t[40];
		v4_time(req->now, t, sizeof t);
		if (str_eq(action, "cs-confirm")) {
			/* Coupang CS approves on the seller's behalf (직권): still 미처리. */
			if (!cpx_receipt_undecided(r))
				return cpx_respond(resp, 409, "the request is already decided");
			if (cpx_set_str(r->doc, "completeConfirmType", "CS_CONFIRM") < 0 ||
			    cpx_set_str(r->doc, "completeConfirmDate", t) < 0 || cpx_set_str(r->doc, "modifiedAt", t) < 0)
				return -1;
			cpx_apply_cancel(st, r);
			return cpx_respond(resp, 200, "approved by Coupang CS");
		}
		if (st->nwds == st->capwds) {
			size_t cap = st->capwds ? st->capwds * 2 : 16;
			struct cpx_withdrawal *p = realloc(st->wds, cap * sizeof *p);
			if (!p)
				return -1;
			st->wds = p;
			st->capwds = cap;
		}
		cJSON *w = cJSON_CreateObject();
		bool ok = w != NULL;
		cpx_jraw(w, "cancelId", r->id, &ok);
		cpx_jraw(w, "orderId", r->order_id, &ok);
		cpx_js(w, "vendorId", SANDBOX_COUPANG_VENDOR, &ok);
		cpx_js(w, "refundDeliveryDuty", "CUS", &ok);
		cpx_js(w, "createdAt", t, &ok);
		cJSON *vids = cJSON_CreateArray();
		const cJSON *ri;
		cJSON_ArrayForEach(ri, cJSON_GetObjectItemCaseSensitive(r->doc, "returnItems"))
			cpx_jpush(vids, sandbox_json_u64_raw(u64_of(ri, "vendorItemId")), &ok);
		cpx_jadd(w, "vendorItemIds", vids, &ok);
		if (!ok) {
			cJSON_Delete(w);
			return -1;
		}
		st->wds[st->nwds++] = (struct cpx_withdrawal){ w, r->id, req->now };
		r->withdrawn = true;
		if (cpx_count_returns(st) < 0)
			return -1;
		return cpx_respond(resp, 200, "withdrawn by the buyer");
	}
	bool handled;
	int rc = cpx_claims_test(st, action, req, resp, &handled);
	if (handled)
		return rc;
	return cpx_respond(resp, 404, "unknown coupang test endpoint (see src/sandbox/README.md)");
}
