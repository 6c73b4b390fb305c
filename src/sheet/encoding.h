/* Text encodings of sheets: UTF-8 with BOM (default for writing; Excel needs
 * the BOM to read UTF-8), plain UTF-8, and CP949 (EUC-KR superset; what Windows
 * Excel saves). Conversion through iconv. */
#ifndef OB_SHEET_ENCODING_H
#define OB_SHEET_ENCODING_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

enum text_encoding { ENC_AUTO = 0, ENC_UTF8_BOM, ENC_UTF8, ENC_CP949 };

/* "utf8", "utf-8", "utf8-bom", "cp949", "euc-kr", "euckr" (case-insensitive); -1 if unknown. */
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

#endif
