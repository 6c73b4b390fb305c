/* Temporary files (util/tempfile.h) go to $TMPDIR, are 0600 and already
 * unlinked; an unusable TMPDIR is an error naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/tempfile.h"

static void where(int fd, char *out, size_t n)
{
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t k = readlink(link, out, n - 1);
	assert_true(k > 0);
	out[k] = '\0';
}

static void test_in_tmpdir_private_unlinked(void **state)
{
	(void)state;
	char dir[] = "/tmp/ob-tempfile-XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	struct ob_err err = OB_ERR_INIT;
	FILE *f = temp_stream(&err);
	assert_non_null(f);
	char path[4200];
	where(fileno(f), path, sizeof path);
	assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
	assert_non_null(strstr(path, "(deleted)"));
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(fputs("서울시 주소", f) >= 0, 1);
	rewind(f);
	char back[64] = "";
	assert_non_null(fgets(back, sizeof back, f));
	assert_string_equal(back, "서울시 주소");
	fclose(f);
	int fd = temp_fd(&err);
	assert_true(fd >= 0);
	where(fd, path, sizeof path);
	assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
	close(fd);
	assert_int_equal(rmdir(dir), 0); /* nothing left in it */

	setenv("TMPDIR", "/nonexistent/ob-no-such-dir", 1);
	assert_null(temp_stream(&err));
	assert_non_null(strstr(err.msg, "/nonexistent/ob-no-such-dir"));
	assert_non_null(strstr(err.msg, "TMPDIR"));
	unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_tmpdir_private_unlinked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
