/* Temporary files for data on its way (an export's windows and spool, an
 * import's spilled plan): in $TMPDIR (else /tmp), mode 0600, and unlinked at
 * once, so they hold sellers' personal data only while the process runs and
 * on the volume the seller chose for it. */
#ifndef OB_UTIL_TEMPFILE_H
#define OB_UTIL_TEMPFILE_H

#include <stdio.h>

#include "util/err.h"

/* A file descriptor open for reading and writing, or -1 with err filled
 * (naming the directory). */
int temp_fd(struct ob_err *err);

/* The same as a stream ("w+b"), or NULL with err filled. */
FILE *temp_stream(struct ob_err *err);

#endif
