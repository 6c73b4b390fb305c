/* Logging to stderr (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int log_level = OB_LOG_WARN;

void ob_log_set_level(int level)
{
	atomic_store(&log_level, level);
}

int ob_log_level(void)
{
	return atomic_load(&log_level);
}

void ob_log(int level, const char *fmt, ...)
{
	if (level > atomic_load(&log_level))
		return;
	static const char *const prefix[] = { "error: ", "warning: ", "", "" };
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	flockfile(stderr);
	fprintf(stderr, "%s%s\n", prefix[level < 0 ? 0 : level > 3 ? 3 : level], line);
	funlockfile(stderr);
}
