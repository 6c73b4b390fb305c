/* The command table (sorted by name) and shared option helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/err.h"

static const struct ob_command commands[] = {
	{ "couriers", cmd_couriers, "list couriers and each market's code for them",
	  "usage: orderbridge couriers [--market M]\n"
	  "\n"
	  "Lists the couriers orderbridge knows, the names it accepts in the courier column,\n"
	  "each market's code and the invoice number lengths it checks.\n" },
	{ "markets", cmd_markets, "list the markets and what each can do",
	  "usage: orderbridge markets\n"
	  "\n"
	  "Lists the compiled-in markets and, per action, whether the market supports it\n"
	  "(and what to do instead where it does not).\n" },
};

const struct ob_command *ob_commands(size_t *n)
{
	*n = sizeof commands / sizeof commands[0];
	return commands;
}

const struct ob_command *ob_command_find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "orderbridge %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'orderbridge help %s')\n", cmd);
	va_end(ap);
	return OB_EUSAGE;
}

int cmd_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	opterr = 0;
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?') {
		const char *bad = argv[optind - 1];
		if (optopt && strchr(shortopts, optopt))
			cmd_usage_error(cmd, "option '-%c' needs a value", optopt);
		else if (bad && bad[0] == '-' && bad[1] == '-' && strchr(bad, '=') == NULL &&
			 longopts)
			cmd_usage_error(cmd, "unknown option '%s' or it needs a value", bad);
		else if (optopt)
			cmd_usage_error(cmd, "unknown option '-%c'", optopt);
		else
			cmd_usage_error(cmd, "unknown option '%s'", bad ? bad : "?");
		return '?';
	}
	if (c == ':') {
		cmd_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		return '?';
	}
	return c;
}
