/* `orderbridge export`: orders and claims of the configured accounts, for a KST
 * date range, into the unified sheets. Wires config -> markets -> fetch driver
 * -> sheet writer; the work is in market/fetch.c and sheet/book.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "market/fetch.h"
#include "model/words.h"
#include "sheet/book.h"
#include "util/config.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"

struct book_sink {
	struct record_sink base;
	struct book *book;
};

static int book_sink_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	return book_put(((struct book_sink *)s)->book, r, err);
}

struct status_parse {
	unsigned orders, claims;
	const char *bad;
};

static int add_status(void *ctx, const char *word)
{
	struct status_parse *sp = ctx;
	if (strcasecmp(word, "all") == 0) {
		sp->orders = sp->claims = ~0u;
		return 0;
	}
	int s = order_status_parse(word);
	if (s > 0) {
		sp->orders |= 1u << s;
		return 0;
	}
	s = claim_status_parse(word);
	if (s > 0) {
		sp->claims |= 1u << s;
		return 0;
	}
	sp->bad = word;
	return 1;
}

int cmd_export(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ "excel-text-ids", no_argument, NULL, 'x' },
		{ "force", no_argument, NULL, 'f' },
		{ "from", required_argument, NULL, 'F' },
		{ "market", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "status", required_argument, NULL, 's' },
		{ "template", required_argument, NULL, 't' },
		{ "to", required_argument, NULL, 'T' },
		{ "what", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from_s = NULL, *to_s = NULL, *markets_s = NULL, *out_path = NULL, *what = "all";
	const char *status_s = NULL, *tpl_name = NULL, *enc_s = NULL;
	struct book_opts bo = { 0 };
	int c;
	while ((c = cmd_getopt("export", argc, argv, "fo:", longopts)) != -1) {
		switch (c) {
		case 'e': enc_s = optarg; break;
		case 'x': bo.excel_text_ids = true; break;
		case 'f': bo.force = true; break;
		case 'F': from_s = optarg; break;
		case 'm': markets_s = optarg; break;
		case 'o': out_path = optarg; break;
		case 's': status_s = optarg; break;
		case 't': tpl_name = optarg; break;
		case 'T': to_s = optarg; break;
		case 'w': what = optarg; break;
		default: return OB_EUSAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("export", "unexpected argument '%s'", argv[optind]);

	if (strcmp(what, "orders") == 0)
		bo.sheets = 1u << SHEET_ORDERS;
	else if (strcmp(what, "claims") == 0)
		bo.sheets = 1u << SHEET_CLAIMS;
	else if (strcmp(what, "all") == 0)
		bo.sheets = 1u << SHEET_ORDERS | 1u << SHEET_CLAIMS;
	else
		return cmd_usage_error("export", "--what takes orders, claims or all, not '%s'", what);
	if (enc_s) {
		int e = encoding_parse(enc_s);
		if (e <= 0)
			return cmd_usage_error("export", "unknown --encoding '%s' (use utf8-bom, utf8 or cp949)", enc_s);
		bo.encoding = (enum text_encoding)e;
	}
	if (tpl_name)
		return cmd_usage_error("export", "--template: templates are not built yet");

	struct fetch_opts fo = { 0 };
	fo.sheets = bo.sheets;
	/* Default: the lines a seller acts on this morning. */
	fo.order_statuses = 1u << OS_PAID | 1u << OS_PREPARING;
	if (status_s) {
		struct status_parse sp = { 0, 0, NULL };
		if (str_split(status_s, ',', add_status, &sp) != 0)
			return cmd_usage_error("export", "unknown status '%s' in --status (order statuses: PAID "
					       "PREPARING SHIPPING DELIVERED CONFIRMED CANCELLED RETURNED EXCHANGED; "
					       "claim statuses: REQUESTED APPROVED REJECTED WITHDRAWN DONE HELD; or all)",
					       sp.bad);
		fo.order_statuses = sp.orders == ~0u ? 0 : sp.orders;
		fo.claim_statuses = sp.claims == ~0u ? 0 : sp.claims;
	}

	ob_time now = kst_now(), from, to;
	struct ob_err err = OB_ERR_INIT;
	if (cmd_parse_range(from_s, to_s, now, &from, &to, &err) != OB_OK) {
		fprintf(stderr, "orderbridge export: %s\n", err.msg);
		return err.code;
	}

	struct config cfg;
	if (config_load(g->config_path, &cfg, &err) != OB_OK) {
		fprintf(stderr, "orderbridge export: %s\n", err.msg);
		return err.code;
	}
	int rc = OB_OK;
	struct cmd_markets ms = { 0 };
	struct book *book = NULL;
	char default_out[64];
	if (!out_path) {
		kst_strftime(default_out, sizeof default_out, "orderbridge-%Y%m%d-%H%M%S.csv", now);
		out_path = default_out;
	}
	rc = book_open(out_path, &bo, &book, &err);
	if (rc != OB_OK)
		goto fail;
	rc = cmd_open_markets(&cfg, g, markets_s, &ms, &err);
	if (rc != OB_OK)
		goto fail;

	fo.from = from;
	fo.to = to;
	fo.progress = g->verbosity >= 0 && isatty(2);
	struct fetch_result *res = calloc(ms.n, sizeof *res);
	if (!res) {
		rc = ob_err_nomem(&err);
		goto fail;
	}
	struct book_sink sink = { { book_sink_put }, book };
	rc = fetch_run(ms.markets, ms.n, ms.pool, &fo, &sink.base, res, &err);
	int fetched_any = 0;
	for (size_t i = 0; i < ms.n; i++) {
		const char *who = market_base(ms.markets[i])->who;
		if (res[i].status == OB_OK) {
			fetched_any = 1;
			if (g->verbosity >= 0)
				fprintf(stderr, "%s: %ld order lines, %ld claim lines\n", who, res[i].rows[SHEET_ORDERS],
					res[i].rows[SHEET_CLAIMS]);
		} else {
			fprintf(stderr, "orderbridge export: %s\n", res[i].error);
		}
	}
	free(res);
	if (rc != OB_OK && !fetched_any)
		goto fail;
	int fetch_rc = rc;
	rc = book_commit(book, &err);
	book = NULL;
	if (rc != OB_OK)
		goto fail;
	if (g->verbosity >= 0 && strcmp(out_path, "-") != 0)
		fprintf(stderr, "wrote %s\n", out_path);
	rc = fetch_rc;
	if (rc != OB_OK)
		fprintf(stderr, "orderbridge export: the sheet lacks the accounts above that failed\n");
	cmd_close_markets(&ms);
	config_free(&cfg);
	return rc;
fail:
	if (book)
		book_abort(book);
	cmd_close_markets(&ms);
	config_free(&cfg);
	fprintf(stderr, "orderbridge export: %s\n", err.msg);
	return rc ? rc : OB_EIO;
}
