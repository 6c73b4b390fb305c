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
	{ "doctor", cmd_doctor, "check the config, each market account and the store",
	  "usage: orderbridge doctor [--offline] [--store PATH]\n"
	  "\n"
	  "Checks that the config file is private (mode 0600) and complete, shows every\n"
	  "account with its secrets masked, makes one authenticated call per account\n"
	  "(unless --offline) and opens the local store.\n" },
	{ "export", cmd_export, "pull orders and claims into the unified sheets",
	  "usage: orderbridge export [--market LIST] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	  "                          [--what orders|claims|all] [--status LIST] [--template NAME]\n"
	  "                          [-o OUT] [--force] [--encoding utf8-bom|utf8|cp949]\n"
	  "                          [--excel-text-ids] [--store PATH] [--jobs N] [--all | --new]\n"
	  "       orderbridge export --from-dump DIR [--market LIST] [--what orders|claims|all]\n"
	  "                          [--status LIST] [--template NAME] [-o OUT] [--force]\n"
	  "                          [--encoding ...] [--jobs N]\n"
	  "\n"
	  "Fetches the orders and claims of every configured account (or those of --market\n"
	  "and --account) for the KST days --from to --to (both included; --to defaults to\n"
	  "today) and writes them as sheets.\n"
	  "Without --from the export is incremental: each list resumes where the last\n"
	  "export of it ended (30 minutes of overlap; today on the first run) and lines\n"
	  "already exported and unchanged are left out. --all fetches from today (or\n"
	  "--from) and writes every line; --new writes only lines never exported before.\n"
	  "Output:\n"
	  "  -o NAME.csv    NAME.orders.csv and NAME.claims.csv (UTF-8 with BOM for Excel)\n"
	  "  -o -           the orders sheet as CSV on standard output\n"
	  "  -o NAME.xlsx   one workbook with the sheets orders and claims\n"
	  "--template NAME writes the sheets a template describes instead: ko (Korean\n"
	  "headers), cj-booking, hanjin-booking, epost-booking (courier uploads, one row\n"
	  "per box, CP949 CSV or XLSX), accounting (one row per line, VAT, no personal\n"
	  "data); 'orderbridge template list' shows them all. A template may set the\n"
	  "default --status and the CSV encoding; a one-sheet template writes -o NAME.csv\n"
	  "as it is named.\n"
	  "Default OUT: orderbridge-YYYYMMDD-HHMMSS.csv in the current directory. Existing\n"
	  "files are never replaced unless --force.\n"
	  "\n"
	  "--status takes unified statuses, comma separated: PAID PREPARING SHIPPING\n"
	  "DELIVERED CONFIRMED CANCELLED RETURNED EXCHANGED for orders (default PAID,PREPARING),\n"
	  "REQUESTED APPROVED REJECTED WITHDRAWN DONE HELD for claims (default all), or 'all'.\n"
	  "--excel-text-ids writes ids as =\"...\" so Excel keeps every digit.\n"
	  "Every line is recorded in the local store (--store PATH; default\n"
	  "$XDG_DATA_HOME/orderbridge/store.db); a line whose address differs from an\n"
	  "earlier export gets address_changed = Y and the old address in message.\n"
	  "--jobs N sets how many requests each account keeps in flight (default: the\n"
	  "account's `jobs`, 4); every account stays within its `rate` whatever N is, and\n"
	  "the accounts are fetched side by side. --jobs 1 sends one call at a time.\n"
	  "\n"
	  "--from-dump DIR converts recorded answers of the markets' order lists instead\n"
	  "of fetching: no config, no network, no store. DIR holds a folder per account,\n"
	  "named MARKET.ACCOUNT (coupang.main; a bare market name is its account main),\n"
	  "with one answer per file as the market sent it: Coupang ordersheets pages and\n"
	  "SmartStore product-orders/query answers (JSON), 11st ordservices list answers\n"
	  "(EUC-KR XML; a file named packaging-*.xml is from that list, else complete).\n"
	  "--market and --account pick the account folders as they pick accounts.\n"
	  "Every line of the answers comes out (only those of --status, or of the\n"
	  "template's statuses, when given), in folder, file and row order; --jobs N\n"
	  "converts on N threads (default: one per processor).\n" },
	{ "history", cmd_history, "what happened to an order, line or claim",
	  "usage: orderbridge history [--format text|json] [--local] [--store PATH] ORDER_NO|LINE_NO|CLAIM_ID\n"
	  "\n"
	  "Prints one timeline from every source: what exports saw (status, quantity,\n"
	  "address and invoice changes), what imports did (action, result, message),\n"
	  "and the market's own history where it has one (Coupang; not with --local).\n" },
	{ "import", cmd_import, "validate an edited sheet and (with --apply) send its actions",
	  "usage: orderbridge import SHEET... [--apply] [--skip-invalid] [-o RESULT] [--force] [--store PATH]\n"
	  "                          [--template NAME]\n"
	  "\n"
	  "Reads edited sheets (the action column: ACK 발주확인, SHIP 발송, DELAY 발송지연,\n"
	  "CANCEL 판매취소 on orders; APPROVE 승인, REJECT 거부, HOLD 보류, RESHIP 재발송,\n"
	  "PICKUP 회수 on claims — cancels, returns and exchanges), validates every row and\n"
	  "prints the plan: the calls per market and action, and every row error.\n"
	  "Nothing is sent without --apply. With --apply an invalid sheet is refused\n"
	  "(exit 3) unless --skip-invalid; the calls are made within each market's batch\n"
	  "limits, every call is journaled in the store so a second run never repeats what\n"
	  "succeeded, and SHEET.result.csv gets every row with result and message.\n"
	  "\n"
	  "--template cj-result (hanjin-result, epost-result, or your own courier-result\n"
	  "template) reads a courier's result file: each row's line key (put there by\n"
	  "export --template cj-booking) finds the order line in the orders sheets given\n"
	  "on the same command line or in the store, and the line's bundle gets SHIP with\n"
	  "the row's invoice. Unknown keys and receivers that differ are row errors.\n"
	  "Exit: 0 done, 1 some rows failed, 3 invalid sheet, 4 a market unreachable.\n" },
	{ "markets", cmd_markets, "list the markets and what each can do",
	  "usage: orderbridge markets\n"
	  "\n"
	  "Lists the compiled-in markets and, per action, whether the market supports it\n"
	  "(and what to do instead where it does not).\n" },
	{ "sandbox", cmd_sandbox, "run simulated marketplace APIs on this machine for trying and testing",
	  "usage: orderbridge sandbox [--port N] [--seed N] [--orders N] [--days N] [--today YYYY-MM-DD]\n"
	  "                           [--latency MS] [--fault SPEC] [--fault-delay MS] [--rate N]\n"
	  "                           [--market-rate MARKET=N]\n"
	  "                           [--write-config FILE] [--dataset MARKET=FILE]\n"
	  "                           [--burst MARKET:YYYY-MM-DD:N] [--token-ttl S]\n"
	  "\n"
	  "Serves each market's API on 127.0.0.1 (Coupang on port N, 11st on N+1, SmartStore on\n"
	  "N+2; default 8780; 0 picks free ports) with a deterministic data set, enforcing the\n"
	  "markets' documented contracts.\n"
	  "Prints \"MARKET listening on URL\" per market and runs until SIGINT or SIGTERM.\n"
	  "\n"
	  "  --seed N            data set and fault sequence seed (default 1)\n"
	  "  --orders N          shipment boxes per market (default 300, at most 100000;\n"
	  "                      about 35 MB of memory per 1000)\n"
	  "  --days N            days the orders span, ending --today (default 30)\n"
	  "  --today DATE        the business date (default: today in KST)\n"
	  "  --latency MS        delay every API answer\n"
	  "  --fault SPEC        inject faults, e.g. 500:5%,429:5%,reset:1%,timeout:0.5%\n"
	  "  --fault-delay MS    how long a timeout fault holds the request (default 15000)\n"
	  "  --rate N            requests per second per market before 429 (default 10, 0 = off)\n"
	  "  --market-rate M=N   the rate of market M alone (repeatable; e.g. 11st=5)\n"
	  "  --write-config FILE write a client configuration for the sandbox (mode 0600)\n"
	  "                      once every market listens\n"
	  "  --dataset M=FILE    serve exactly the data in FILE for market M instead of\n"
	  "                      generated data (Coupang only; format: src/sandbox/README.md)\n"
	  "  --burst M:DATE:N    add N paid orders on one day for market M (11st only: a sale\n"
	  "                      day beyond its 3000-row list cap); repeatable\n"
	  "  --token-ttl S       seconds an OAuth access token lives (SmartStore; default 10800)\n"
	  "\n"
	  "Test endpoints (state, setters, clock): GET /_sandbox/state and others, see\n"
	  "src/sandbox/README.md.\n" },
	{ "store", cmd_store, "the local store: path, vacuum, purge old personal data",
	  "usage: orderbridge store path|vacuum [--store PATH]\n"
	  "       orderbridge store purge --older-than AGE [--store PATH]\n"
	  "       orderbridge store export ID [-o OUT] [--force] [--store PATH]\n"
	  "\n"
	  "The store ($XDG_DATA_HOME/orderbridge/store.db, mode 0600) keeps every order and\n"
	  "claim line seen with its history, the action journal and export cursors; never\n"
	  "secrets.\n"
	  "  path     print where it is\n"
	  "  vacuum   compact it\n"
	  "  purge    remove buyers' names, phones, addresses and notes of lines last seen\n"
	  "           more than AGE ago (90d, 12w, 6m); statuses and history stay\n"
	  "  export   the stored lines of an order, line or claim number as sheets\n"
	  "           (-o NAME.csv or NAME.xlsx; default: the orders sheet on standard output)\n" },
	{ "template", cmd_template, "list, show and check sheet templates",
	  "usage: orderbridge template list | show NAME | check FILE\n"
	  "\n"
	  "Templates (INI files) shape the sheets of 'export --template NAME' (columns,\n"
	  "headers, values, encoding) and say how to read a courier's result file for\n"
	  "'import FILE --template NAME'. Your own go in\n"
	  "$XDG_CONFIG_HOME/orderbridge/templates/NAME.ini and override shipped ones.\n"
	  "  list        every template found, where, and what it overrides\n"
	  "  show NAME   its options and columns\n"
	  "  check FILE  validates a template file and names every bad line (exit 2)\n"
	  "The format: templates/README.md.\n" },
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
