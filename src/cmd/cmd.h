/* Command entry points (one file per command under src/cmd/) and what main
 * hands them. A command parses its own options and wires modules together; the
 * logic lives in the modules. Commands return an exit code (util/err.h). */
#ifndef OB_CMD_CMD_H
#define OB_CMD_CMD_H

#include <getopt.h>
#include <stddef.h>

struct ob_globals {
	const char *config_path; /* --config, or NULL */
	const char *account;     /* --account NAME, or NULL (= every account) */
	int verbosity;           /* -1 quiet, 0 normal, 1 verbose, 2 debug */
};

struct ob_command {
	const char *name;
	int (*fn)(int argc, char **argv, const struct ob_globals *g);
	const char *summary;
	const char *usage; /* full help text of `orderbridge help NAME` */
};

int cmd_couriers(int argc, char **argv, const struct ob_globals *g);
int cmd_doctor(int argc, char **argv, const struct ob_globals *g);
int cmd_export(int argc, char **argv, const struct ob_globals *g);
int cmd_history(int argc, char **argv, const struct ob_globals *g);
int cmd_import(int argc, char **argv, const struct ob_globals *g);
int cmd_markets(int argc, char **argv, const struct ob_globals *g);
int cmd_sandbox(int argc, char **argv, const struct ob_globals *g);
int cmd_store(int argc, char **argv, const struct ob_globals *g);
int cmd_template(int argc, char **argv, const struct ob_globals *g);

const struct ob_command *ob_commands(size_t *n);
const struct ob_command *ob_command_find(const char *name);

/* Shared option handling: runs getopt_long with our error messages. Returns the
 * option character, -1 at the end, or '?' after printing
 * "orderbridge CMD: unknown option ..." (the caller returns OB_EUSAGE). */
int cmd_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);
/* Prints "orderbridge CMD: msg" and returns OB_EUSAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
