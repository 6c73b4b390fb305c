/* orderbridge: global options, then one command from the table in
 * cmd/commands.c (like git.c). */
#include <getopt.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "cmd/cmd.h"
#include "util/err.h"
#include "util/json_alloc.h"
#include "util/log.h"
#include "version.h"

static void print_help(FILE *out)
{
	size_t n;
	const struct ob_command *cmds = ob_commands(&n);
	fprintf(out,
		"orderbridge %s - one order sheet for Coupang, 11st and SmartStore\n"
		"\n"
		"usage: orderbridge [--config FILE] [--account NAME] [-q|-v] COMMAND [ARGS]\n"
		"\n"
		"commands:\n",
		OB_VERSION);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(out,
		"  %-10s %s\n"
		"\n"
		"global options:\n"
		"  --config FILE    configuration file (default $ORDERBRIDGE_CONFIG or\n"
		"                   $XDG_CONFIG_HOME/orderbridge/config.ini)\n"
		"  --account NAME   only this account (e.g. main, or coupang.main)\n"
		"  -q, --quiet      errors only\n"
		"  -v, --verbose    log every market request (secrets and personal data masked);\n"
		"                   twice for debug output\n"
		"  -h, --help       this help;  --version  the version\n"
		"\n"
		"exit codes: 0 done, 1 some rows failed, 2 usage or configuration error,\n"
		"3 the sheet is invalid and nothing was sent, 4 a market could not be reached,\n"
		"5 local error (disk, memory)\n"
		"\n"
		"'orderbridge help COMMAND' shows the options of a command.\n",
		"help", "show help for a command");
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stdout);
		return OB_OK;
	}
	const struct ob_command *c = ob_command_find(argv[1]);
	if (!c) {
		fprintf(stderr, "orderbridge help: unknown command '%s' (see 'orderbridge --help')\n", argv[1]);
		return OB_EUSAGE;
	}
	fputs(c->usage, stdout);
	return OB_OK;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "C.UTF-8");
	json_alloc_init(); /* before any thread; on failure cJSON keeps malloc */
	/* libxml2 (11st answers, XLSX) is parsed on worker threads: set up once before. */
	xmlInitParser();
	/* No fastbins: freeing an 11st answer's XML tree filled them, and the next
	 * large allocation consolidated them all, a fifth of the 11st conversion
	 * (bench/RESULTS.md, "What changed"). */
	mallopt(M_MXFAST, 0);
	struct ob_globals g = { 0 };
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	/* Global options stop at the first non-option (the command). */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+hqv", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': g.account = optarg; break;
		case 'c': g.config_path = optarg; break;
		case 'h': print_help(stdout); return OB_OK;
		case 'q': g.verbosity = -1; break;
		case 'v': g.verbosity++; break;
		case 'V': printf("orderbridge %s\n", OB_VERSION); return OB_OK;
		default:
			if (optopt && optopt != '?')
				fprintf(stderr, "orderbridge: unknown option '-%c' (see 'orderbridge --help')\n", optopt);
			else
				fprintf(stderr, "orderbridge: unknown option or missing value '%s' (see 'orderbridge --help')\n",
					argv[optind - 1]);
			return OB_EUSAGE;
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return OB_EUSAGE;
	}
	ob_log_set_level(g.verbosity < 0 ? OB_LOG_ERROR : g.verbosity == 0 ? OB_LOG_WARN :
			 g.verbosity == 1 ? OB_LOG_INFO : OB_LOG_DEBUG);

	const char *name = argv[optind];
	int cargc = argc - optind;
	char **cargv = argv + optind;
	if (strcmp(name, "help") == 0)
		return cmd_help(cargc, cargv);
	const struct ob_command *cmd = ob_command_find(name);
	if (!cmd) {
		fprintf(stderr, "orderbridge: unknown command '%s' (see 'orderbridge --help')\n", name);
		return OB_EUSAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "orderbridge: could not initialise libcurl\n");
		return OB_EIO;
	}
	/* 0, not 1: glibc re-initialises getopt (the global scan stopped at the
	 * command; options may follow the command's arguments). */
	optind = 0;
	int rc = cmd->fn(cargc, cargv, &g);
	curl_global_cleanup();
	return rc;
}
