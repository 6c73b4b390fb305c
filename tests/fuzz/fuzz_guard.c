/* Fuzzes the Excel guards: the formula guard must be a bijection and id
 * checks must stay within their buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sheet/guard.h"
#include "util/kst.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct buf b = BUF_INIT;
	if (guard_encode(s, &b) == 0) {
		char *d = strdup(buf_cstr(&b));
		if (d) {
			guard_decode(d);
			if (strcmp(d, s) != 0)
				abort(); /* the guard lost or changed text */
			free(d);
		}
	}
	buf_free(&b);
	char fixed[64], msg[512];
	guard_check_id(FK_ID, s, fixed, sizeof fixed, msg, sizeof msg);
	guard_check_id(FK_ZIP, s, fixed, sizeof fixed, msg, sizeof msg);
	guard_check_id(FK_PHONE, s, fixed, sizeof fixed, msg, sizeof msg);
	ob_time t;
	char out[KST_TEXT_LEN];
	if (kst_parse(s, &t) == 0)
		kst_format(t, out);
	free(s);
	return 0;
}
