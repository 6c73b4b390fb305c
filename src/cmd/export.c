/* `orderbridge export`: orders and claims of the configured accounts, for a KST
 * date range, into the unified sheets. Wires config -> markets -> fetch driver
 * -> sheet writer; the work is in market/fetch.c and sheet/book.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "market/fetch.h"
#include "market/replay.h"
#include "model/words.h"
#include "sheet/book.h"
#include "sheet/template.h"
#include "store/store.h"
#include "util/config.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"

struct book_sink {
	struct record_sink base;
	struct book *book;
	struct store *store;
	struct record row, prev;
	ob_time now;
	long address_changes;
	long unchanged;          /* lines left out: exported before and unchanged */
	bool in_tx;
	int filter;              /* 0 all lines, 1 new or changed, 2 new only */
};

/* Every record goes through the store (history, change detection) and then
 * into the sheet; a line whose address differs from what an earlier export
 * wrote is flagged so labels printed from the old sheet can be caught. */
static int book_sink_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	struct book_sink *bs = (struct book_sink *)s;
	if (!bs->store)
		return book_put(bs->book, r, err);
	unsigned changes = 0;
	int rc;
	/* One transaction for all rows, opened only once fetching is over (the
	 * driver emits after the network work), so the store is not held locked
	 * while markets answer. */
	if (!bs->in_tx) {
		if ((rc = store_begin(bs->store, err)) != OB_OK)
			return rc;
		bs->in_tx = true;
	}
	/* A withdrawal may not say what was withdrawn (Coupang's list names the
	 * request, not whether it was a cancel or a return): the type the store
	 * saw the same request under is the one to show. */
	if (r->sheet == SHEET_CLAIMS && claim_status_parse(record_get(r, F_CLAIM_STATUS)) == CS_WITHDRAWN) {
		char seen[32];
		int k = store_claim_type_seen(bs->store, r, seen, sizeof seen, err);
		if (k < 0)
			return err->code;
		if (k > 0) {
			record_free(&bs->row);
			if (record_copy(&bs->row, r) < 0 || record_set(&bs->row, F_CLAIM_TYPE, seen) < 0)
				return ob_err_nomem(err);
			r = &bs->row;
		}
	}
	rc = store_observe(bs->store, r, "export", bs->now, &bs->prev, &changes, err);
	if (rc != OB_OK)
		return rc;
	if (bs->filter && !(changes & SC_NEW)) {
		int before = store_was_exported(bs->store, r, err);
		if (before < 0)
			return err->code;
		if (before && (bs->filter == 2 || changes == 0)) {
			bs->unchanged++;
			return OB_OK;
		}
	}
	const struct record *out = r;
	if (r->sheet == SHEET_ORDERS && (changes & SC_ADDRESS)) {
		record_free(&bs->row);
		if (record_copy(&bs->row, r) < 0)
			return ob_err_nomem(err);
		record_set(&bs->row, F_ADDRESS_CHANGED, "Y");
		record_setf(&bs->row, F_MESSAGE, "address changed since the last export; it was: %s %s %s %s %s",
			    record_get(&bs->prev, F_RECEIVER_NAME), record_get(&bs->prev, F_RECEIVER_PHONE),
			    record_get(&bs->prev, F_ZIP), record_get(&bs->prev, F_ADDRESS1),
			    record_get(&bs->prev, F_ADDRESS2));
		out = &bs->row;
		bs->address_changes++;
	}
	rc = book_put(bs->book, out, err);
	if (rc == OB_OK)
		rc = store_mark_exported(bs->store, r, bs->now, err);
	return rc;
}

struct status_parse {
	unsigned orders, claims;
	char bad[64]; /* a copy: str_split's part lives only during the call */
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
	str_copy(sp->bad, sizeof sp->bad, word);
	return 1;
}

/* Incremental export: a query resumes where the last successful export of it
 * ended, minus an overlap (late arrivals: Coupang lists lag by up to ~10
 * minutes); lines seen twice are dropped through the store. */
#define RESUME_OVERLAP (30 * 60)

struct resume {
	struct store *store;
	int used;
};

static ob_time resume_from(void *ctx, const char *account_id, const struct market_query *q, ob_time dflt)
{
	struct resume *rs = ctx;
	ob_time until;
	struct ob_err err = OB_ERR_INIT;
	if (store_cursor_get(rs->store, account_id, q->name, &until, NULL, 0, &err) != 1)
		return dflt;
	ob_time from = until - RESUME_OVERLAP;
	/* Never further back than 31 days: a forgotten cursor is not a full history. */
	if (from < dflt - 31 * (ob_time)OB_DAY)
		from = dflt - 31 * (ob_time)OB_DAY;
	rs->used = 1;
	return from;
}

static int save_cursors(struct store *s, struct cmd_markets *ms, const struct fetch_result *res,
			const struct fetch_opts *fo, ob_time end, struct ob_err *err)
{
	for (size_t i = 0; i < ms->n; i++) {
		if (res[i].status != OB_OK)
			continue; /* a failed account resumes from where it was */
		const struct market_base *mb = market_base(ms->markets[i]);
		for (size_t q = 0; q < mb->ops->nqueries; q++) {
			if (!fetch_query_wanted(&mb->ops->queries[q], fo))
				continue;
			int rc = store_cursor_set(s, mb->acct->id, mb->ops->queries[q].name, end, "", err);
			if (rc != OB_OK)
				return rc;
		}
	}
	return OB_OK;
}

/* "PATH (N rows)" of each sheet the book writes ("" for one it does not),
 * read before the commit frees the book. */
struct written {
	char sheet[2][4200];
};

static void note_written(const struct book *book, struct written *w)
{
	for (int k = 0; k < 2; k++) {
		enum sheet_kind sk = k ? SHEET_CLAIMS : SHEET_ORDERS;
		w->sheet[k][0] = '\0';
		if (*book_path(book, sk))
			snprintf(w->sheet[k], sizeof w->sheet[k], "%s (%ld rows)", book_path(book, sk),
				 book_rows(book, sk));
	}
}

static void print_written(const struct ob_globals *g, const char *out_path, const struct written *w)
{
	if (g->verbosity < 0 || strcmp(out_path, "-") == 0)
		return;
	for (int k = 0; k < 2; k++)
		if (w->sheet[k][0])
			fprintf(stderr, "wrote %s\n", w->sheet[k]);
}

static int export_with(const struct ob_globals *g, const struct template_def *tpl,
		       const char *what, const char *status_s, const char *from_s, const char *to_s,
		       const char *markets_s, const char *out_path, const char *enc_s, const char *store_path,
		       const struct book_opts *bo_in, bool all, bool only_new, int jobs, const char *dump_dir);

static bool pick_takes(const void *ctx, const struct account *a)
{
	return cmd_pick_takes(ctx, a);
}

/* `export --from-dump DIR`: recorded answers to the sheet (market/replay.h);
 * no config, no network, no store. The accounts are those --market and
 * --account take, as for a fetch. */
static int export_dump(const struct ob_globals *g, const char *dir, const char *markets_s, const char *out_path,
		       const struct book_opts *bo, const struct fetch_opts *want, int jobs, ob_time now)
{
	struct ob_err err = OB_ERR_INIT;
	struct cmd_pick pick;
	int rc = cmd_pick_parse(markets_s, g, &pick, &err);
	if (rc != OB_OK) {
		fprintf(stderr, "orderbridge export: %s\n", err.msg);
		return rc;
	}
	char what[320];
	snprintf(what, sizeof what, "%s%s%s%s%s", markets_s ? "--market " : "", markets_s ? markets_s : "",
		 markets_s && g->account ? " " : "", g->account ? "--account " : "", g->account ? g->account : "");
	struct replay_pick rp = { pick_takes, &pick, what };
	struct book *book = NULL;
	struct replay_result res = { 0 };
	rc = book_open(out_path, bo, &book, &err);
	struct book_sink sink = { { book_sink_put }, book, NULL, { 0 }, { 0 }, now, 0, 0, false, 0 };
	if (rc == OB_OK)
		rc = replay_run(dir, markets_s || g->account ? &rp : NULL, want, jobs, &sink.base, &res, &err);
	if (rc == OB_OK)
		rc = book_flush(book, &err);
	struct written written;
	if (rc == OB_OK) {
		note_written(book, &written);
		rc = book_commit(book, &err);
		book = NULL;
	}
	if (book)
		book_abort(book);
	if (rc != OB_OK) {
		replay_result_free(&res);
		fprintf(stderr, "orderbridge export: %s\n", err.msg);
		return rc;
	}
	for (size_t i = 0; g->verbosity >= 0 && i < res.n; i++)
		fprintf(stderr, "%s: %ld recorded answers, %ld order lines, %ld claim lines\n", res.accounts[i].id,
			res.accounts[i].files, res.accounts[i].rows[SHEET_ORDERS], res.accounts[i].rows[SHEET_CLAIMS]);
	print_written(g, out_path, &written);
	replay_result_free(&res);
	return OB_OK;
}


int cmd_export(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'A' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "excel-text-ids", no_argument, NULL, 'x' },
		{ "force", no_argument, NULL, 'f' },
		{ "from", required_argument, NULL, 'F' },
		{ "from-dump", required_argument, NULL, 'D' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "market", required_argument, NULL, 'm' },
		{ "new", no_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "status", required_argument, NULL, 's' },
		{ "store", required_argument, NULL, 'S' },
		{ "template", required_argument, NULL, 't' },
		{ "to", required_argument, NULL, 'T' },
		{ "what", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from_s = NULL, *to_s = NULL, *markets_s = NULL, *out_path = NULL, *what = NULL;
	const char *status_s = NULL, *tpl_name = NULL, *enc_s = NULL, *store_path = NULL;
	const char *dump_dir = NULL;
	struct book_opts bo = { 0 };
	bool all = false, only_new = false;
	int c;
	long jobs = 0;
	while ((c = cmd_getopt("export", argc, argv, "fo:", longopts)) != -1) {
		switch (c) {
		case 'A': all = true; break;
		case 'N': only_new = true; break;
		case 'e': enc_s = optarg; break;
		case 'x': bo.excel_text_ids = true; break;
		case 'f': bo.force = true; break;
		case 'F': from_s = optarg; break;
		case 'D': dump_dir = optarg; break;
		case 'j': {
			char *end;
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (end == optarg || *end || errno || jobs < 1 || jobs > 64)
				return cmd_usage_error("export", "--jobs needs a number of requests in flight from 1 to 64, "
						       "not '%s'", optarg);
			break;
		}
		case 'm': markets_s = optarg; break;
		case 'o': out_path = optarg; break;
		case 's': status_s = optarg; break;
		case 'S': store_path = optarg; break;
		case 't': tpl_name = optarg; break;
		case 'T': to_s = optarg; break;
		case 'w': what = optarg; break;
		default: return OB_EUSAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("export", "unexpected argument '%s'", argv[optind]);
	if (dump_dir) {
		/* Recorded answers are what a market said then: they neither
		 * update the store nor take a date range. */
		const char *clash = from_s ? "--from" : to_s ? "--to" : store_path ? "--store" : all ? "--all"
				  : only_new ? "--new" : NULL;
		if (clash)
			return cmd_usage_error("export", "--from-dump converts the recorded answers as they are; %s does "
					       "not go with it", clash);
	}
	struct template_def *tpl = NULL;
	if (tpl_name) {
		struct ob_err terr = OB_ERR_INIT;
		if (template_load(tpl_name, &tpl, &terr) != OB_OK) {
			fprintf(stderr, "orderbridge export: %s\n", terr.msg);
			return terr.code;
		}
		int rc = export_with(g, tpl, what, status_s, from_s, to_s, markets_s, out_path, enc_s,
				     store_path, &bo, all, only_new, (int)jobs, dump_dir);
		template_free(tpl);
		return rc;
	}
	return export_with(g, NULL, what, status_s, from_s, to_s, markets_s, out_path, enc_s, store_path,
			   &bo, all, only_new, (int)jobs, dump_dir);
}

/* The export itself, once the options are read (tpl may be NULL). */
static int export_with(const struct ob_globals *g, const struct template_def *tpl,
		       const char *what, const char *status_s, const char *from_s, const char *to_s,
		       const char *markets_s, const char *out_path, const char *enc_s, const char *store_path,
		       const struct book_opts *bo_in, bool all, bool only_new, int jobs, const char *dump_dir)
{
	struct book_opts bo = *bo_in;
	bo.tpl = tpl;
	if (tpl && !what)
		/* The template decides which sheets there are. */
		what = template_has_sheet(tpl, SHEET_ORDERS) ? (template_has_sheet(tpl, SHEET_CLAIMS) ? "all" : "orders")
							     : "claims";
	if (!what)
		what = "all";
	if (tpl && !status_s && tpl->status[0])
		status_s = tpl->status;
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
	if (all && only_new)
		return cmd_usage_error("export", "--all and --new exclude each other");

	struct fetch_opts fo = { 0 };
	fo.sheets = bo.sheets;
	/* Default: the lines a seller acts on this morning. */
	fo.order_statuses = 1u << OS_PAID | 1u << OS_PREPARING;
	if (status_s) {
		struct status_parse sp = { 0, 0, "" };
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
	char default_out[64];
	if (!out_path) {
		kst_strftime(default_out, sizeof default_out, "orderbridge-%Y%m%d-%H%M%S.csv", now);
		out_path = default_out;
	}
	if (dump_dir) {
		/* Every line the answers hold, unless --status (or the template)
		 * names statuses. */
		if (!status_s)
			fo.order_statuses = fo.claim_statuses = 0;
		return export_dump(g, dump_dir, markets_s, out_path, &bo, &fo, jobs, now);
	}
	if (cmd_parse_range(from_s, to_s, now, &from, &to, &err) != OB_OK) {
		fprintf(stderr, "orderbridge export: %s\n", err.msg);
		return err.code;
	}

	struct config cfg;
	if (config_load(g->config_path, &cfg, &err) != OB_OK) {
		fprintf(stderr, "orderbridge export: %s\n", err.msg);
		return err.code;
	}
	/* --jobs overrides every account's `jobs` (requests in flight). */
	for (size_t i = 0; jobs > 0 && i < cfg.naccounts; i++)
		cfg.accounts[i].jobs = jobs;
	int rc = OB_OK;
	struct cmd_markets ms = { 0 };
	struct book *book = NULL;
	struct store *store = NULL;
	struct fetch_result *res = NULL;
	rc = book_open(out_path, &bo, &book, &err);
	if (rc != OB_OK)
		goto fail;
	rc = cmd_open_markets(&cfg, g, markets_s, &ms, &err);
	if (rc != OB_OK)
		goto fail;
	rc = store_open(store_path, &store, &err);
	if (rc != OB_OK)
		goto fail;

	fo.from = from;
	fo.to = to;
	/* Without --from, resume each query where the last export ended. */
	struct resume rs = { store, 0 };
	if (!from_s && !all) {
		fo.start_for = resume_from;
		fo.start_ctx = &rs;
	}
	fo.progress = g->verbosity >= 0 && isatty(2);
	res = calloc(ms.n, sizeof *res);
	if (!res) {
		rc = ob_err_nomem(&err);
		goto fail;
	}
	struct book_sink sink = { { book_sink_put }, book, store, { 0 }, { 0 }, now, 0, 0, false,
				  only_new ? 2 : (!from_s && !all) ? 1 : 0 };
	record_init(&sink.row, SHEET_ORDERS);
	record_init(&sink.prev, SHEET_ORDERS);
	rc = fetch_run(ms.markets, ms.n, ms.pool, &fo, &sink.base, res, &err);
	record_free(&sink.row);
	record_free(&sink.prev);
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
	if (rc != OB_OK && !fetched_any) {
		store_rollback(store);
		goto fail;
	}
	int fetch_rc = rc;
	if ((rc = book_flush(book, &err)) != OB_OK) {
		store_rollback(store);
		goto fail;
	}
	struct written written;
	note_written(book, &written);
	rc = book_commit(book, &err);
	book = NULL;
	if (rc != OB_OK) {
		store_rollback(store);
		goto fail;
	}
	if (!sink.in_tx) {
		if ((rc = store_begin(store, &err)) != OB_OK)
			goto fail;
		sink.in_tx = true;
	}
	rc = save_cursors(store, &ms, res, &fo, to < now ? to : now, &err);
	if (rc != OB_OK) {
		store_rollback(store);
		goto fail;
	}
	if ((rc = store_commit(store, &err)) != OB_OK)
		goto fail;
	if (sink.unchanged && g->verbosity >= 0)
		fprintf(stderr, "%ld lines left out: exported before and unchanged (--all shows every line)\n",
			sink.unchanged);
	if (sink.address_changes && g->verbosity >= 0)
		fprintf(stderr, "%ld lines have a new address since the last export (address_changed = Y)\n",
			sink.address_changes);
	print_written(g, out_path, &written);
	rc = fetch_rc;
	if (rc != OB_OK)
		fprintf(stderr, "orderbridge export: the sheet lacks the accounts above that failed\n");
	free(res);
	cmd_close_markets(&ms);
	store_close(store);
	config_free(&cfg);
	return rc;
fail:
	free(res);
	if (book)
		book_abort(book);
	store_close(store);
	cmd_close_markets(&ms);
	config_free(&cfg);
	fprintf(stderr, "orderbridge export: %s\n", err.msg);
	return rc ? rc : OB_EIO;
}
