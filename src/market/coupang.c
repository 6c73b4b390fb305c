/* Coupang Wing Open API adapter (../shared/api/coupang.md): HMAC "CEA" signing,
 * v5 ordersheets, v6 returnRequests, withdrawals, and the bulk actions. */
#include "market/market.h"

#include "model/field.h"

#define REQ(f) (1ull << (f))

static const struct config_key coupang_keys[] = {
	{ "vendor_id", true, false, "업체코드 from WING, e.g. A00012345" },
	{ "access_key", true, true, "Open API access key from WING" },
	{ "secret_key", true, true, "Open API secret key from WING" },
	{ "wing_user", false, false, "WING login id (sent as userId when cancelling orders)" },
	{ NULL, false, false, NULL },
};

#define DAYS(n) ((ob_time)(n) * OB_DAY)
#define ORD (1u << SHEET_ORDERS)
#define CLM (1u << SHEET_CLAIMS)

static const struct market_query coupang_queries[] = {
	{ "ordersheets:ACCEPT", ORD, 1u << OS_PAID, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:INSTRUCT", ORD, 1u << OS_PREPARING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:DEPARTURE", ORD, 1u << OS_SHIPPING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:DELIVERING", ORD, 1u << OS_SHIPPING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:NONE_TRACKING", ORD, 1u << OS_SHIPPING, DAYS(31), OB_DAY, 0, false },
	{ "ordersheets:FINAL_DELIVERY", ORD, 1u << OS_DELIVERED, DAYS(31), OB_DAY, 0, false },
	{ "returnRequests:CANCEL", CLM, 0, DAYS(31), OB_DAY, 0, false },
	{ "returnRequests:RU", CLM, 0, DAYS(31), OB_DAY, 0, false },
	{ "returnWithdrawRequests", CLM, 0, DAYS(7), OB_DAY, 0, false },
};

static const struct action_spec coupang_actions[] = {
	{ ACT_ACK, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 50, 0 },
	{ ACT_SHIP, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 50, REQ(F_COURIER) | REQ(F_INVOICE_NO) },
	{ ACT_DELAY, SHEET_ORDERS, false,
	  "Coupang has no delay call; change the estimated shipping date in WING", UNIT_LINE, 0,
	  REQ(F_DELAY_UNTIL) | REQ(F_REASON) },
	{ ACT_CANCEL, SHEET_ORDERS, true, NULL, UNIT_BUNDLE, 1, REQ(F_REASON) },
	{ ACT_APPROVE, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, 0 },
	{ ACT_REJECT, SHEET_CLAIMS, true, NULL, UNIT_CLAIM, 1, REQ(F_COURIER) | REQ(F_INVOICE_NO) },
	{ ACT_NONE, 0, false, NULL, 0, 0, 0 },
};

const struct market_ops coupang_ops = {
	.name = "coupang",
	.label_ko = "쿠팡",
	.default_base_url = "https://api-gateway.coupang.com",
	.config_keys = coupang_keys,
	.default_rate = 5.0,
	.queries = coupang_queries,
	.nqueries = sizeof coupang_queries / sizeof coupang_queries[0],
	.actions = coupang_actions,
};
