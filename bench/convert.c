/* Conversion benchmark: recorded API pages (bench/gen_dump.py) -> the unified
 * orders CSV, through the same JSON/XML parsers and market mappings an export
 * uses, without the network.
 *
 *   bench_convert DIR OUT.csv [coupang,11st,smartstore]
 *
 * Prints "lines seconds" on stdout. One page is in memory at a time; the
 * sheet writer streams. */
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "market/coupang_int.h"
#include "market/elevenst_int.h"
#include "market/smartstore_int.h"
#include "sheet/book.h"
#include "util/config.h"
#include "util/json.h"
#include "util/json_alloc.h"

struct book_sink {
	struct record_sink base;
	struct book *book;
	long lines;
};

static int book_sink_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	struct book_sink *bs = (struct book_sink *)s;
	if (r->sheet == SHEET_ORDERS)
		bs->lines++;
	return book_put(bs->book, r, err);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted file names of dir (caller frees). */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	*n = 0;
	if (!d)
		return NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				abort();
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof *v, cmp_name);
	return v;
}

static int slurp(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	buf_reset(b);
	char tmp[65536];
	size_t got;
	while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
		if (buf_append(b, tmp, got) < 0)
			break;
	fclose(f);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_convert DIR OUT.csv [coupang,11st,smartstore]\n");
		return 2;
	}
	const char *markets = argc > 3 ? argv[3] : "coupang,11st,smartstore";
	json_alloc_init(); /* as orderbridge's main does */
	mallopt(M_MXFAST, 0);
	struct account acct;
	memset(&acct, 0, sizeof acct);
	strcpy(acct.name, "main");
	strcpy(acct.id, "bench.main");
	struct coupang cp;
	struct elevenst st;
	struct smartstore ss;
	memset(&cp, 0, sizeof cp);
	memset(&st, 0, sizeof st);
	memset(&ss, 0, sizeof ss);
	cp.base.acct = st.base.acct = ss.base.acct = &acct;
	strcpy(cp.base.who, "coupang.main");
	strcpy(st.base.who, "11st.main");
	strcpy(ss.base.who, "smartstore.main");

	struct ob_err err = OB_ERR_INIT;
	struct book_opts bo = { 0 };
	bo.sheets = 1u << SHEET_ORDERS;
	bo.force = true;
	struct book_sink sink = { { book_sink_put }, NULL, 0 };
	if (book_open(argv[2], &bo, &sink.book, &err) != OB_OK) {
		fprintf(stderr, "bench_convert: %s\n", err.msg);
		return 1;
	}
	struct buf body = BUF_INIT, path = BUF_INIT;
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	struct est_reply r;
	est_reply_init(&r);
	double t0 = now_s();
	int rc = OB_OK;
	static const char *const names[] = { "coupang", "11st", "smartstore" };
	for (int m = 0; m < 3 && rc == OB_OK; m++) {
		if (!strstr(markets, names[m]))
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", argv[1], names[m]);
		size_t nf;
		char **files = list_dir(path.data, &nf);
		for (size_t i = 0; i < nf; i++) {
			buf_reset(&path);
			buf_printf(&path, "%s/%s/%s", argv[1], names[m], files[i]);
			if (rc == OB_OK && slurp(path.data, &body) < 0)
				rc = ob_errf(&err, OB_EIO, "cannot read %s", path.data);
			if (rc == OB_OK && m == 1) {
				est_reply_clear(&r);
				rc = est_parse(body.data, body.len, &r, &err);
				for (size_t k = 0; rc == OB_OK && k < r.nrows; k++) {
					rc = elevenst_map_order(&st, &r, k, NULL, 0, "202", &scratch);
					if (rc == OB_OK)
						rc = sink.base.put(&sink.base, &scratch, &err);
				}
			} else if (rc == OB_OK) {
				cJSON *root = json_parse(body.data, body.len, &err);
				if (!root)
					rc = err.code ? err.code : OB_EIO;
				const cJSON *row;
				cJSON_ArrayForEach(row, json_get(root, "data"))
				{
					if (rc != OB_OK)
						break;
					rc = m == 0 ? coupang_map_ordersheet(&cp, row, &sink.base, &scratch, &err)
						    : smartstore_map_detail(&ss, row, &sink.base, &scratch, &err);
				}
				cJSON_Delete(root);
			}
			free(files[i]);
		}
		free(files);
	}
	if (rc == OB_OK)
		rc = book_commit(sink.book, &err);
	else
		book_abort(sink.book);
	double t1 = now_s();
	est_reply_free(&r);
	record_free(&scratch);
	buf_free(&body);
	buf_free(&path);
	if (rc != OB_OK) {
		fprintf(stderr, "bench_convert: %s\n", err.msg);
		return 1;
	}
	printf("%ld %.3f\n", sink.lines, t1 - t0);
	return 0;
}
