/* Fuzzes the 11st answer parser (EUC-KR/UTF-8 XML, DTDs refused, no entity
 * expansion) and the mapping of its rows to records. */
#include <stdint.h>
#include <string.h>

#include "market/elevenst_int.h"
#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct account acct = { .name = "main", .id = "11st.main" };
	struct elevenst st;
	memset(&st, 0, sizeof st);
	st.base.acct = &acct;
	struct est_reply r;
	est_reply_init(&r);
	struct ob_err err = OB_ERR_INIT;
	if (est_parse((const char *)data, size, &r, &err) == OB_OK) {
		struct record rec;
		record_init(&rec, SHEET_ORDERS);
		for (size_t i = 0; i < r.nrows && i < 1000; i++) {
			/* With itself as the second source too: exercises the fallbacks. */
			elevenst_map_order(&st, &r, i, &r, r.nrows - 1 - i, "202", &rec);
			elevenst_map_claim(&st, &r, i, &r, i, &rec);
		}
		record_free(&rec);
	}
	est_reply_free(&r);
	return 0;
}
