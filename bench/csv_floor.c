/* The floor of CSV reading: libcsv alone over a file, with callbacks that
 * only count, as orderbridge's reader sets it up (every line end reported),
 * with or without the space test that keeps sellers' spaces. What the import
 * benchmark's reading can never go below on one thread.
 *
 *   bench_csv_floor FILE [keep-spaces]
 *
 * Prints "fields rows seconds" on stdout. */
#include <csv.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static long fields, rows;

static void on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
	fields++;
}

static void on_row(int c, void *data)
{
	(void)c;
	(void)data;
	rows++;
}

static int no_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_csv_floor FILE [keep-spaces]\n");
		return 2;
	}
	FILE *fp = fopen(argv[1], "rb");
	if (!fp) {
		perror(argv[1]);
		return 1;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_REPALL_NL) != 0)
		return 1;
	if (argc > 2 && strcmp(argv[2], "keep-spaces") == 0)
		csv_set_space_func(&p, no_spaces);
	static char buf[64 * 1024];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n)
			break;
	csv_fini(&p, on_field, on_row, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	csv_free(&p);
	fclose(fp);
	printf("%ld %ld %.3f\n", fields, rows, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
