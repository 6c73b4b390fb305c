/* Helpers for the sheet unit tests: a private temporary directory per test
 * program, whole-file read/write, and the path of a committed test file. All
 * static inline so each test includes only what it uses without warnings. */
#ifndef OB_TEST_SHEET_TEST_UTIL_H
#define OB_TEST_SHEET_TEST_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char tu_dir[1024];

/* Creates $TMPDIR/ob-sheet-XXXXXX once per program. */
static inline const char *tu_tmpdir(void)
{
	if (!tu_dir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tu_dir, sizeof tu_dir, "%s/ob-sheet-XXXXXX", base && *base ? base : "/tmp");
		assert_non_null(mkdtemp(tu_dir));
	}
	return tu_dir;
}

/* A path in the temporary directory (static buffer: copy it to keep two). */
static inline const char *tu_path(const char *name)
{
	static char p[2][1200];
	static int which;
	which ^= 1;
	snprintf(p[which], sizeof p[which], "%s/%s", tu_tmpdir(), name);
	return p[which];
}

/* Removes every file of the temporary directory (it holds no subdirectories). */
static inline void tu_clean(void)
{
	if (!tu_dir[0])
		return;
	DIR *d = opendir(tu_dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[2400];
		snprintf(p, sizeof p, "%s/%s", tu_dir, e->d_name);
		unlink(p);
	}
	closedir(d);
}

static inline void tu_remove_dir(void)
{
	tu_clean();
	if (tu_dir[0])
		rmdir(tu_dir);
}

/* Number of entries (files, including hidden temporaries) in the directory. */
static inline int tu_count_files(void)
{
	int n = 0;
	DIR *d = opendir(tu_tmpdir());
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static inline void tu_write(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static inline void tu_write_str(const char *path, const char *s)
{
	tu_write(path, s, strlen(s));
}

/* Whole file, NUL-terminated; *n gets its length. Caller frees. */
static inline char *tu_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	char *p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	p[len] = '\0';
	fclose(f);
	if (n)
		*n = (size_t)len;
	return p;
}

static inline bool tu_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A committed file under tests/data/sheets. */
static inline const char *tu_data(const char *name)
{
	static char p[2][1200];
	static int which;
	const char *base = getenv("OB_TEST_DATA");
	which ^= 1;
	snprintf(p[which], sizeof p[which], "%s/sheets/%s", base ? base : "tests/data", name);
	return p[which];
}

#define assert_contains(hay, needle)                                                        \
	do {                                                                                \
		const char *h_ = (hay), *n_ = (needle);                                     \
		if (!strstr(h_, n_))                                                        \
			fail_msg("expected \"%s\" in: %s", n_, h_);                         \
	} while (0)

#endif
