/* See tempfile.h. */
#include "util/tempfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *temp_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

int temp_fd(struct ob_err *err)
{
	const char *dir = temp_dir();
	char path[4200];
	if ((size_t)snprintf(path, sizeof path, "%s/orderbridge-XXXXXX", dir) >= sizeof path) {
		ob_errf(err, OB_EIO, "cannot create a temporary file: TMPDIR is too long");
		return -1;
	}
	int fd = mkstemp(path); /* 0600 */
	if (fd < 0) {
		ob_errf(err, OB_EIO, "cannot create a temporary file in %s: %s (set TMPDIR to a writable folder)",
			dir, strerror(errno));
		return -1;
	}
	unlink(path); /* gone with the process, whatever happens */
	return fd;
}

FILE *temp_stream(struct ob_err *err)
{
	int fd = temp_fd(err);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w+b");
	if (!f) {
		ob_errf(err, OB_EIO, "cannot open a temporary file: %s", strerror(errno));
		close(fd);
	}
	return f;
}
