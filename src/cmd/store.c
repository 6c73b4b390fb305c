/* `orderbridge store path|vacuum|purge|export`: housekeeping of the local
 * store (src/store/). The store never holds secrets; purge removes buyers'
 * personal data of old lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "sheet/book.h"
#include "store/store.h"
#include "util/str.h"

/* "90d", "12w", "6m" (30-day months) or a plain number of days. */
static int parse_age(const char *s, ob_time *out)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end == s || n < 0 || n > 36500)
		return -1;
	long mult = 1;
	if (*end == 'd' || *end == '\0')
		mult = 1;
	else if (*end == 'w')
		mult = 7;
	else if (*end == 'm')
		mult = 30;
	else
		return -1;
	if (*end && end[1])
		return -1;
	*out = (ob_time)n * mult * OB_DAY;
	return 0;
}

struct export_ctx {
	struct book *book;
	long rows;
	struct ob_err *err;
};

static int export_line(void *ctx, const struct record *r)
{
	struct export_ctx *x = ctx;
	int rc = book_put(x->book, r, x->err);
	x->rows += rc == OB_OK;
	return rc;
}

int cmd_store(int argc, char **argv, const struct ob_globals *g)
{
	(void)g;
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "older-than", required_argument, NULL, 'O' },
		{ "output", required_argument, NULL, 'o' },
		{ "store", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *store_path = NULL, *older = NULL, *out = NULL;
	bool force = false;
	int c;
	while ((c = cmd_getopt("store", argc, argv, "fo:", longopts)) != -1) {
		switch (c) {
		case 'f': force = true; break;
		case 'O': older = optarg; break;
		case 'o': out = optarg; break;
		case 's': store_path = optarg; break;
		default: return OB_EUSAGE;
		}
	}
	if (argc - optind < 1)
		return cmd_usage_error("store", "name what to do: path, vacuum, purge or export");
	const char *what = argv[optind];
	if (argc - optind > (strcmp(what, "export") == 0 ? 2 : 1))
		return cmd_usage_error("store", "unexpected argument '%s'", argv[optind + 1]);
	struct ob_err err = OB_ERR_INIT;
	if (strcmp(what, "path") == 0) {
		char path[4096];
		if (store_path)
			str_copy(path, sizeof path, store_path);
		else if (store_default_path(path, sizeof path, &err) != OB_OK)
			goto fail;
		puts(path);
		return OB_OK;
	}
	if (strcmp(what, "vacuum") != 0 && strcmp(what, "purge") != 0 && strcmp(what, "export") != 0)
		return cmd_usage_error("store", "unknown '%s': use path, vacuum, purge or export", what);
	ob_time age = 0;
	if (strcmp(what, "purge") == 0 && (!older || parse_age(older, &age) < 0))
		return cmd_usage_error("store", "purge needs --older-than AGE, e.g. 90d, 12w or 6m");
	struct store *s = NULL;
	if (store_open(store_path, &s, &err) != OB_OK)
		goto fail;
	int rc = OB_OK;
	if (strcmp(what, "vacuum") == 0) {
		rc = store_vacuum(s, &err);
	} else if (strcmp(what, "purge") == 0) {
		long n = 0;
		rc = store_purge_personal(s, kst_now() - age, &n, &err);
		if (rc == OB_OK && (rc = store_vacuum(s, &err)) == OB_OK)
			printf("removed personal data of %ld lines last seen more than %s ago\n", n, older);
	} else {
		/* Every known line of an order, line or claim id, as a sheet. */
		const char *id = argc - optind == 2 ? argv[optind + 1] : NULL;
		if (!id) {
			store_close(s);
			return cmd_usage_error("store", "export needs an order, line or claim number");
		}
		struct book_opts bo = { 0 };
		bo.sheets = 1u << SHEET_ORDERS | 1u << SHEET_CLAIMS;
		bo.force = force;
		struct book *book = NULL;
		rc = book_open(out ? out : "-", &bo, &book, &err);
		struct export_ctx x = { book, 0, &err };
		if (rc == OB_OK)
			rc = store_lines(s, id, export_line, &x, &err);
		if (rc == OB_OK)
			rc = book_commit(book, &err);
		else if (book)
			book_abort(book);
	}
	store_close(s);
	if (rc != OB_OK)
		goto fail;
	return OB_OK;
fail:
	fprintf(stderr, "orderbridge store: %s\n", err.msg);
	return err.code ? err.code : OB_EIO;
}
