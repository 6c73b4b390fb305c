/* Records in spool files: a compact binary form for temp files that the same
 * process writes and reads back (the export driver's reorder buffer and
 * per-account spools). Not a storage or exchange format: no versioning, host
 * byte order. */
#ifndef OB_MODEL_RECORD_IO_H
#define OB_MODEL_RECORD_IO_H

#include <stdio.h>

#include "model/record.h"
#include "util/buf.h"

/* Appends r to f. Returns 0, or -1 when the write failed (errno set). */
int record_write(FILE *f, const struct record *r);
/* Reads the next record into r (initialised by the caller, cleared here);
 * scratch is the caller's reusable buffer. Returns 1, 0 at the end of the
 * file, -1 on a read error, a damaged file or no memory. */
int record_read(FILE *f, struct record *r, struct buf *scratch);

/* The same for records handed between threads of the process in memory:
 * record_pack appends r to out as it lies in memory (its offsets and arena,
 * two copies; no per-field work); record_unpack reads the record at *p
 * (bounded by end) into r and moves *p past it. Returns 0, or -1 (no memory;
 * unpack: a damaged buffer). */
int record_pack(struct buf *out, const struct record *r);
int record_unpack(const char **p, const char *end, struct record *r);

#endif
