/* Text encodings of sheets: UTF-8 with BOM (default for writing; Excel needs
 * the BOM to read UTF-8), plain UTF-8, and CP949 (EUC-KR superset; what Windows
 * Excel saves). Conversion through iconv. */
#ifndef OB_SHEET_ENCODING_H
#define OB_SHEET_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

enum text_encoding { ENC_AUTO = 0, ENC_UTF8_BOM, ENC_UTF8, ENC_CP949 };

/* "utf8", "utf-8", "utf8-bom", "utf-8-bom", "cp949", "ms949", "uhc", "euc-kr", "euckr",
 * "auto" (case-insensitive); -1 if unknown. EUC-KR is a subset of CP949, so both
 * names mean ENC_CP949. */
int encoding_parse(const char *name);
const char *encoding_name(enum text_encoding e);
/* Guesses the encoding of a file from its first bytes: BOM -> UTF8_BOM, valid
 * UTF-8 -> UTF8, else CP949. A multibyte sequence cut at the end of head is not
 * held against UTF-8. */
enum text_encoding encoding_detect(const char *head, size_t n);
/* Appends text converted from CP949 to UTF-8 (or the reverse) to out. Bytes that
 * cannot be converted are an error naming the byte offset. */
int encoding_cp949_to_utf8(const char *in, size_t n, struct buf *out, struct ob_err *err);
int encoding_utf8_to_cp949(const char *in, size_t n, struct buf *out, struct ob_err *err);

/* A converter for streams, where text arrives in pieces that may cut a
 * character in two. from/to are ENC_CP949 and ENC_UTF8 (ENC_UTF8_BOM counts as
 * ENC_UTF8; the BOM itself is the caller's business). */
struct encoding_conv;

int encoding_conv_open(enum text_encoding from, enum text_encoding to, struct encoding_conv **out,
		       struct ob_err *err);
/* Converts in[0..n) and appends the result to out. *used gets the number of
 * bytes consumed: fewer than n when !final and the input ends inside a
 * character (pass the rest again in front of the next piece). A sequence that
 * cannot be converted returns OB_EINVALID with *used at its first byte and err
 * naming the bytes or character; the caller adds where (offset, row, column). */
int encoding_conv_run(struct encoding_conv *c, const char *in, size_t n, bool final, size_t *used,
		      struct buf *out, struct ob_err *err);
void encoding_conv_close(struct encoding_conv *c);

#endif
