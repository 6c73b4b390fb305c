/* Error reporting helpers (see err.h). */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ob_errf(struct ob_err *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

int ob_err_prefix(struct ob_err *e, const char *fmt, ...)
{
	if (!e)
		return OB_EIO;
	char head[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	char old[sizeof e->msg];
	memcpy(old, e->msg, sizeof old);
	size_t hl = strlen(head);
	if (hl > sizeof e->msg - 3)
		hl = sizeof e->msg - 3;
	memcpy(e->msg, head, hl);
	memcpy(e->msg + hl, ": ", 2);
	size_t room = sizeof e->msg - hl - 2;
	size_t ol = strnlen(old, sizeof old);
	if (ol >= room)
		ol = room - 1;
	memcpy(e->msg + hl + 2, old, ol);
	e->msg[hl + 2 + ol] = '\0';
	return e->code;
}

int ob_err_nomem(struct ob_err *e)
{
	return ob_errf(e, OB_EIO, "out of memory");
}

void ob_err_clear(struct ob_err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

const char *ob_status_name(int code)
{
	switch (code) {
	case OB_OK: return "ok";
	case OB_EROWS: return "some rows failed";
	case OB_EUSAGE: return "usage or configuration error";
	case OB_EINVALID: return "invalid sheet";
	case OB_ENET: return "market unreachable";
	case OB_EIO: return "local error";
	default: return "error";
	}
}
