/* Fuzzes the template parser (INI through inih, columns, joins, transforms). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sheet/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct template_def *t = NULL;
	struct buf all = BUF_INIT;
	struct ob_err err = OB_ERR_INIT;
	if (template_parse_text(text, "fuzz.ini", "fuzz", &t, &all, &err) == OB_OK)
		template_free(t);
	buf_free(&all);
	free(text);
	return 0;
}
