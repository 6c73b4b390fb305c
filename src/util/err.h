/* Error reporting: functions return an ob_status and fill a struct ob_err whose
 * message says what failed, where, and what to do. Messages travel up to main,
 * which prints them and turns the status into the exit code. Never put a secret
 * into a message. */
#ifndef OB_UTIL_ERR_H
#define OB_UTIL_ERR_H

/* The values are the process exit codes of DESIGN.md (0-4), plus 5 for local
 * failures that are neither the user's input nor a market (disk, memory). */
enum ob_status {
	OB_OK = 0,
	OB_EROWS = 1,    /* some rows failed; see the result file */
	OB_EUSAGE = 2,   /* usage or configuration error */
	OB_EINVALID = 3, /* the sheet is invalid and nothing was sent */
	OB_ENET = 4,     /* a market could not be reached */
	OB_EIO = 5,      /* local I/O, out of memory, internal error */
};

struct ob_err {
	int code;
	char msg[1024];
};

#define OB_ERR_INIT { 0, { 0 } }

/* Sets code and message; returns code so callers can `return ob_errf(...)`. */
int ob_errf(struct ob_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Puts "context: " in front of the current message. Returns e->code. */
int ob_err_prefix(struct ob_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shorthand for the allocation-failure message. */
int ob_err_nomem(struct ob_err *e);
void ob_err_clear(struct ob_err *e);
const char *ob_status_name(int code);

#endif
