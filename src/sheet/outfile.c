/* Temporary-then-rename output files (see outfile.h). */
#include "sheet/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/str.h"

int outfile_check(const char *path, bool force, struct ob_err *err)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return ob_errf(err, OB_EIO, "%s: %s", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return ob_errf(err, OB_EUSAGE, "%s is a directory; give a file name with -o", path);
	if (!force)
		return ob_errf(err, OB_EUSAGE,
			       "%s already exists; use --force to replace it, or choose another name "
			       "with -o",
			       path);
	return 0;
}

/* Splits path into its directory ("." when none) and base name. */
static int split_path(const char *path, char *dir, size_t dir_n, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*base = path;
		return str_copy(dir, dir_n, ".") < dir_n ? 0 : -1;
	}
	*base = slash + 1;
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= dir_n)
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return 0;
}

int outfile_create_temp(const char *path, char *tmp, size_t tmp_n, int *fd, struct ob_err *err)
{
	char dir[4096];
	const char *base;
	*fd = -1;
	if (split_path(path, dir, sizeof dir, &base) < 0 || !*base)
		return ob_errf(err, OB_EUSAGE, "%s: not a usable file name", path);
	/* Hidden and next to the target, so the rename stays on one file system. */
	int n = snprintf(tmp, tmp_n, "%s/.%s.tmp-XXXXXX", dir, base);
	if (n < 0 || (size_t)n >= tmp_n)
		return ob_errf(err, OB_EUSAGE, "%s: file name too long", path);
	int f = mkstemp(tmp);
	if (f < 0) {
		int e = errno;
		tmp[0] = '\0';
		return ob_errf(err, OB_EIO, "cannot create a file in %s: %s", dir, strerror(e));
	}
	/* mkstemp already uses 0600; say it explicitly, since the mode is the point. */
	if (fchmod(f, S_IRUSR | S_IWUSR) < 0) {
		ob_errf(err, OB_EIO, "cannot set the mode of %s: %s", tmp, strerror(errno));
		close(f);
		unlink(tmp);
		tmp[0] = '\0';
		return OB_EIO;
	}
	*fd = f;
	return 0;
}

static void sync_dir_of(const char *path)
{
	char dir[4096];
	const char *base;
	if (split_path(path, dir, sizeof dir, &base) < 0)
		return;
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	if (d < 0)
		return;
	(void)fsync(d); /* best effort: the data itself is already synced */
	close(d);
}

int outfile_commit(const char *tmp, const char *path, bool force, struct ob_err *err)
{
	if (!force) {
		/* RENAME_NOREPLACE closes the gap between the check at open and now. */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) {
			sync_dir_of(path);
			return 0;
		}
		if (errno == EEXIST)
			return outfile_check(path, false, err);
		if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
			return ob_errf(err, OB_EIO, "cannot write %s: %s", path, strerror(errno));
		/* The file system cannot do it (e.g. some network ones): check, then rename. */
		int rc = outfile_check(path, false, err);
		if (rc)
			return rc;
	}
	if (rename(tmp, path) < 0)
		return ob_errf(err, OB_EIO, "cannot write %s: %s", path, strerror(errno));
	sync_dir_of(path);
	return 0;
}
