/* Fuzzes the SmartStore detail mapping on arbitrary JSON (the answer of
 * product-orders/query is untrusted input). The same bytes also go through
 * the adapter's replay (export --from-dump), whose parse runs in a cJSON
 * arena scope. */
#include <stdint.h>
#include <string.h>

#include "market/smartstore_int.h"
#include "util/config.h"
#include "util/json.h"
#include "util/json_alloc.h"

extern const struct market_ops smartstore_ops;

static int drop(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	(void)s;
	(void)r;
	(void)err;
	return OB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct account acct = { .name = "main", .id = "smartstore.main" };
	struct smartstore ss;
	memset(&ss, 0, sizeof ss);
	ss.base.acct = &acct;
	static int hooks;
	if (!hooks)
		hooks = json_alloc_init() == 0 ? 1 : -1;
	struct ob_err err = OB_ERR_INIT;
	struct record_sink sink = { drop };
	smartstore_ops.replay(&acct, "00001.json", (const char *)data, size, &sink, &err);
	cJSON *j = json_parse((const char *)data, size, &err);
	if (!j)
		return 0;
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	const cJSON *list = json_get(j, "data");
	if (!cJSON_IsArray(list))
		list = j;
	const cJSON *info;
	cJSON_ArrayForEach(info, list)
		smartstore_map_detail(&ss, info, &sink, &scratch, &err);
	smartstore_map_detail(&ss, j, &sink, &scratch, &err);
	record_free(&scratch);
	cJSON_Delete(j);
	return 0;
}
