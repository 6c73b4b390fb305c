/* Helpers shared by the table back ends (see table.h). */
#include "sheet/table.h"

void table_col_letters(size_t col, char *out, size_t n)
{
	char tmp[16];
	size_t len = 0;
	/* Bijective base 26: A..Z, AA..ZZ, AAA... */
	col++;
	while (col && len < sizeof tmp) {
		col--;
		tmp[len++] = (char)('A' + col % 26);
		col /= 26;
	}
	size_t i = 0;
	for (; i < len && i + 1 < n; i++)
		out[i] = tmp[len - 1 - i];
	if (n)
		out[i] = '\0';
}
