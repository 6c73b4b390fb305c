/* Fuzzes the lossless JSON layer and the Coupang mapping of ordersheets and
 * return requests on arbitrary bytes (a market answer is untrusted input).
 * The same bytes also go through the adapter's replay (export --from-dump),
 * whose parse runs in a cJSON arena scope. */
#include <stdint.h>
#include <string.h>

#include "market/coupang_int.h"
#include "util/config.h"
#include "util/json.h"
#include "util/json_alloc.h"

extern const struct market_ops coupang_ops;

static int drop(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	(void)s;
	(void)r;
	(void)err;
	return OB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct account acct = { .name = "main", .id = "coupang.main" };
	struct coupang cp;
	memset(&cp, 0, sizeof cp);
	cp.base.acct = &acct;
	static int hooks;
	if (!hooks)
		hooks = json_alloc_init() == 0 ? 1 : -1;
	struct ob_err err = OB_ERR_INIT;
	struct record_sink sink = { drop };
	coupang_ops.replay(&acct, "00001.json", (const char *)data, size, &sink, &err);
	cJSON *j = json_parse((const char *)data, size, &err);
	if (!j)
		return 0;
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	const cJSON *rows = json_get(j, "data");
	const cJSON *list = cJSON_IsArray(rows) ? rows : j;
	const cJSON *row;
	cJSON_ArrayForEach(row, list)
	{
		coupang_map_ordersheet(&cp, row, &sink, &scratch, &err);
		coupang_map_return_request(&cp, row, &sink, &scratch, &err);
	}
	coupang_map_ordersheet(&cp, j, &sink, &scratch, &err);
	coupang_map_return_request(&cp, j, &sink, &scratch, &err);
	char id[64];
	json_id(j, "shipmentBoxId", id, sizeof id);
	record_free(&scratch);
	cJSON_Delete(j);
	return 0;
}
