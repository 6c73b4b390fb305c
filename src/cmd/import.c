/* `orderbridge import`: edited sheets -> validated plan -> (with --apply) the
 * markets' bulk calls -> result files. The work is in src/plan/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "plan/plan.h"
#include "sheet/template.h"
#include "sheet/template_read.h"
#include "store/store.h"
#include "util/config.h"
#include "util/err.h"
#include "util/log.h"

static void report_path(void *ctx, const char *path)
{
	(void)ctx;
	printf("results: %s\n", path);
}

/* With a courier-result template, each file is a courier's result file when
 * its header has the template's columns, else a unified sheet: read for its
 * own actions and kept for the courier rows to find their lines in. */
static int read_with_courier_template(struct plan *p, char **files, int n, const struct template_def *tpl,
				      struct store *store, struct ob_err *err)
{
	bool *courier = calloc((size_t)n, sizeof *courier);
	if (!courier)
		return ob_err_nomem(err);
	int rc = OB_OK, ncourier = 0;
	struct ob_err probe_err = OB_ERR_INIT;
	for (int i = 0; i < n && rc == OB_OK; i++) {
		struct tpl_reader *r = NULL;
		struct ob_err e = OB_ERR_INIT;
		int prc = template_reader_open(files[i], tpl, &r, &e);
		template_reader_close(r);
		if (prc == OB_OK)
			courier[i] = true, ncourier++;
		else if (prc == OB_EINVALID)
			probe_err = e;
		else
			rc = ob_errf(err, e.code, "%s", e.msg);
	}
	for (int i = 0; i < n && rc == OB_OK; i++)
		if (!courier[i] && (rc = plan_read(p, files[i], err)) == OB_OK)
			rc = plan_index_sheet(p, files[i], err);
	for (int i = 0; i < n && rc == OB_OK; i++)
		if (courier[i])
			rc = plan_read_courier(p, files[i], tpl, store, err);
	if (rc == OB_OK && !ncourier)
		rc = ob_errf(err, OB_EINVALID, "%s; is it the courier's result file for template %s?", probe_err.msg,
			     tpl->name);
	free(courier);
	return rc;
}

int cmd_import(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = {
		{ "apply", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "skip-invalid", no_argument, NULL, 'k' },
		{ "store", required_argument, NULL, 's' },
		{ "template", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	bool apply = false, force = false, skip_invalid = false;
	const char *out_path = NULL, *store_path = NULL, *tpl_name = NULL;
	int c;
	while ((c = cmd_getopt("import", argc, argv, "fo:", longopts)) != -1) {
		switch (c) {
		case 'a': apply = true; break;
		case 'f': force = true; break;
		case 'o': out_path = optarg; break;
		case 'k': skip_invalid = true; break;
		case 's': store_path = optarg; break;
		case 't': tpl_name = optarg; break;
		default: return OB_EUSAGE;
		}
	}
	int nsheets = argc - optind;
	if (nsheets < 1)
		return cmd_usage_error("import", "name the sheet(s) to import");
	if (out_path && nsheets > 1)
		return cmd_usage_error("import", "-o names one result file; with several sheet files each gets "
				       "NAME.result.csv (or .xlsx)");

	struct ob_err err = OB_ERR_INIT;
	struct config cfg;
	if (config_load(g->config_path, &cfg, &err) != OB_OK) {
		fprintf(stderr, "orderbridge import: %s\n", err.msg);
		return err.code;
	}
	struct plan p;
	plan_init(&p, &cfg);
	struct store *store = NULL;
	struct http_pool *pool = NULL;
	struct template_def *tpl = NULL;
	int rc = OB_OK;
	if (tpl_name && (rc = template_load(tpl_name, &tpl, &err)) != OB_OK)
		goto fail;
	rc = store_open(store_path, &store, &err);
	if (rc != OB_OK)
		goto fail;
	if (tpl && tpl->kind == TPL_COURIER_RESULT)
		rc = read_with_courier_template(&p, argv + optind, argc - optind, tpl, store, &err);
	else if (tpl && !template_is_unified(tpl, err.msg, sizeof err.msg))
		rc = err.code = OB_EUSAGE;
	for (int i = optind; rc == OB_OK && (!tpl || tpl->kind != TPL_COURIER_RESULT) && i < argc; i++)
		rc = plan_read(&p, argv[i], &err);
	if (rc != OB_OK)
		goto fail;
	/* One transaction for the two lookups of every row: outside one, SQLite
	 * takes and drops its read lock (file locks, WAL index) per statement,
	 * which was a fifth of a dry run of a million rows. */
	if ((rc = store_begin(store, &err)) != OB_OK)
		goto fail;
	if ((rc = plan_check_journal(&p, store, &err)) != OB_OK || (rc = plan_check_store(&p, store, &err)) != OB_OK) {
		store_rollback(store);
		goto fail;
	}
	if ((rc = store_commit(store, &err)) != OB_OK || (rc = plan_build(&p, &err)) != OB_OK)
		goto fail;
	if (g->verbosity >= 0)
		plan_print(&p, stdout, !apply || g->verbosity > 0);
	if (!apply) {
		if (g->verbosity >= 0)
			printf("dry run: nothing was sent; run again with --apply to send\n");
		rc = p.invalid ? OB_EINVALID : OB_OK;
		goto done;
	}
	if (p.invalid && !skip_invalid) {
		fprintf(stderr, "orderbridge import: %zu row%s invalid; nothing was sent. Fix %s (see above) or add "
			"--skip-invalid to send the valid rows only\n", p.invalid, p.invalid == 1 ? " is" : "s are",
			p.invalid == 1 ? "it" : "them");
		rc = OB_EINVALID;
		goto done;
	}
	struct http_pool_opts po = { 0 };
	rc = http_pool_new(&po, &pool, &err);
	if (rc != OB_OK)
		goto fail;
	int apply_rc = plan_apply(&p, store, pool, &err);
	if (apply_rc != OB_OK)
		fprintf(stderr, "orderbridge import: %s\n", err.msg);
	/* Result files, also after a market failure: they say what happened. */
	struct ob_err werr = OB_ERR_INIT;
	if (plan_write_results(&p, out_path, force, g->verbosity >= 0 ? report_path : NULL, NULL, &werr) != OB_OK) {
		fprintf(stderr, "orderbridge import: %s\n", werr.msg);
		if (apply_rc == OB_OK)
			apply_rc = werr.code;
	}
	size_t counts[RES__COUNT];
	plan_counts(&p, counts);
	if (g->verbosity >= 0)
		printf("OK %zu, FAILED %zu, SKIPPED %zu, UNSUPPORTED %zu\n", counts[RES_OK], counts[RES_FAILED],
		       counts[RES_SKIPPED], counts[RES_UNSUPPORTED]);
	rc = apply_rc != OB_OK ? apply_rc : counts[RES_FAILED] ? OB_EROWS : OB_OK;
	goto done;
fail:
	fprintf(stderr, "orderbridge import: %s\n", err.msg);
done:
	if (pool)
		http_pool_free(pool);
	store_close(store);
	plan_free(&p);
	template_free(tpl);
	config_free(&cfg);
	return rc;
}
