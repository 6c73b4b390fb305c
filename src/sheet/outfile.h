/* Output files that appear whole or not at all: written to a temporary file
 * (mode 0600, they hold buyers' personal data) in the target's directory, then
 * renamed into place. An existing file is never replaced unless force. Shared by
 * the CSV and XLSX writers. */
#ifndef OB_SHEET_OUTFILE_H
#define OB_SHEET_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* OB_EUSAGE when path exists (and !force) or is a directory. */
int outfile_check(const char *path, bool force, struct ob_err *err);
/* Creates an empty temporary file next to path; its name goes to tmp, its open
 * descriptor to *fd. */
int outfile_create_temp(const char *path, char *tmp, size_t tmp_n, int *fd, struct ob_err *err);
/* Renames tmp to path (refusing, atomically where the file system can, an
 * existing path unless force) and syncs the directory. On failure tmp stays; the
 * caller removes it. */
int outfile_commit(const char *tmp, const char *path, bool force, struct ob_err *err);

#endif
