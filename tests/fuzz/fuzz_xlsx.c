/* Fuzzes the XLSX reader (minizip + streaming libxml2; zip-bomb and DTD
 * limits) through the sheet reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sheet/sheet_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/obfuzz-xlsx-XXXXXX.xlsx";
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	struct sheet_read_opts o = { 0 };
	struct sheet_reader *r = NULL;
	struct ob_err err = OB_ERR_INIT;
	if (sheet_reader_open(path, &o, &r, &err) == OB_OK) {
		struct sheet_row row;
		sheet_row_init(&row);
		int n = 0;
		while (sheet_reader_next(r, &row, &err) == 1 && n++ < 100000)
			;
		sheet_row_free(&row);
		sheet_reader_close(r);
	}
	unlink(path);
	return 0;
}
