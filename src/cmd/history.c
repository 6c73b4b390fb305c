/* `orderbridge history ORDER_NO|LINE_NO|CLAIM_ID`: what happened to a line,
 * from every source in one timeline: our observations (exports), our actions
 * (imports), and the market's own history where it has one (Coupang). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "store/store.h"
#include "util/str.h"

struct hist_event {
	ob_time at;
	char source[16], who[96], line[160], field[32], old_value[400], new_value[700];
};

struct hist {
	struct hist_event *ev;
	size_t n, cap;
	struct record *lines;
	size_t nlines;
};

static struct hist_event *hist_add(struct hist *h)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 32;
		struct hist_event *p = realloc(h->ev, cap * sizeof *p);
		if (!p)
			return NULL;
		h->ev = p;
		h->cap = cap;
	}
	memset(&h->ev[h->n], 0, sizeof h->ev[0]);
	return &h->ev[h->n++];
}

static int on_event(void *ctx, const struct store_event *e)
{
	struct hist_event *he = hist_add(ctx);
	if (!he)
		return OB_EIO;
	he->at = e->at;
	str_copy(he->source, sizeof he->source, e->source);
	snprintf(he->who, sizeof he->who, "%s.%s", e->market, e->account);
	snprintf(he->line, sizeof he->line, "%s %s%s%s%s", e->order_no, e->line_no, *e->claim_id ? " claim " : "",
		 e->claim_id, strcmp(e->sheet, "claims") == 0 ? "" : "");
	str_copy(he->field, sizeof he->field, e->field);
	str_copy(he->old_value, sizeof he->old_value, e->old_value);
	str_copy(he->new_value, sizeof he->new_value, e->new_value);
	return 0;
}

static int on_line(void *ctx, const struct record *r)
{
	struct hist *h = ctx;
	struct record *p = realloc(h->lines, (h->nlines + 1) * sizeof *p);
	if (!p)
		return OB_EIO;
	h->lines = p;
	return record_copy(&h->lines[h->nlines++], r) == 0 ? 0 : OB_EIO;
}

static int cmp_event(const void *a, const void *b)
{
	const struct hist_event *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Adds the market's own history (where the adapter has one) for every line. */
static void market_history(struct hist *h, const struct ob_globals *g, int *warned)
{
	struct config cfg;
	struct ob_err err = OB_ERR_INIT;
	if (config_load(g->config_path, &cfg, &err) != OB_OK)
		return;
	struct http_pool *pool = NULL;
	struct http_client *client = NULL;
	struct http_pool_opts po = { 0 };
	if (http_pool_new(&po, &pool, &err) != OB_OK || http_client_new(pool, &client, &err) != OB_OK)
		goto out;
	char done_bundles[16][64];
	int ndone = 0;
	for (size_t i = 0; i < h->nlines; i++) {
		const struct record *r = &h->lines[i];
		const struct account *a = config_find(&cfg, record_get(r, F_MARKET), record_get(r, F_ACCOUNT));
		if (!a || !a->ops->history || !a->ops->open || !record_has(r, F_BUNDLE_NO))
			continue;
		int seen = 0;
		for (int k = 0; k < ndone; k++)
			seen |= strcmp(done_bundles[k], record_get(r, F_BUNDLE_NO)) == 0;
		if (seen || ndone >= 16)
			continue;
		str_copy(done_bundles[ndone++], 64, record_get(r, F_BUNDLE_NO));
		struct market *m = NULL;
		struct buf out = BUF_INIT;
		if (market_open(a, pool, &m, &err) == OB_OK && a->ops->history(m, client, r, &out, &err) == OB_OK) {
			for (char *line = out.data; line && *line;) {
				char *nl = strchr(line, '\n');
				if (nl)
					*nl = '\0';
				char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
				struct hist_event *he = t2 ? hist_add(h) : NULL;
				if (he) {
					*t1 = *t2 = '\0';
					kst_parse(line, &he->at);
					str_copy(he->source, sizeof he->source, "market");
					str_copy(he->who, sizeof he->who, a->id);
					snprintf(he->line, sizeof he->line, "bundle %s", record_get(r, F_BUNDLE_NO));
					str_copy(he->field, sizeof he->field, "status");
					snprintf(he->new_value, sizeof he->new_value, "%s %s", t1 + 1, t2 + 1);
				}
				line = nl ? nl + 1 : NULL;
			}
		} else if (!*warned) {
			fprintf(stderr, "orderbridge history: the market's own history is missing: %s\n", err.msg);
			*warned = 1;
		}
		buf_free(&out);
		market_close(m);
	}
out:
	http_client_free(client);
	if (pool)
		http_pool_free(pool);
	config_free(&cfg);
}

int cmd_history(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "local", no_argument, NULL, 'l' },
		{ "store", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *store_path = NULL;
	bool local = false;
	int c;
	while ((c = cmd_getopt("history", argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'F': format = optarg; break;
		case 'l': local = true; break;
		case 's': store_path = optarg; break;
		default: return OB_EUSAGE;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return cmd_usage_error("history", "--format takes text or json");
	if (argc - optind != 1)
		return cmd_usage_error("history", "name one order number, line number or claim number");
	const char *id = argv[optind];
	struct ob_err err = OB_ERR_INIT;
	struct store *s = NULL;
	struct hist h = { 0 };
	int rc = store_open(store_path, &s, &err);
	if (rc == OB_OK)
		rc = store_lines(s, id, on_line, &h, &err);
	if (rc == OB_OK)
		rc = store_events(s, id, on_event, &h, &err);
	store_close(s);
	if (rc != OB_OK) {
		fprintf(stderr, "orderbridge history: %s\n", err.msg);
		goto out;
	}
	if (h.nlines == 0 && h.n == 0) {
		fprintf(stderr, "orderbridge history: %s is not in the store; export the orders first\n", id);
		rc = OB_EUSAGE;
		goto out;
	}
	int warned = 0;
	if (!local)
		market_history(&h, g, &warned);
	qsort(h.ev, h.n, sizeof h.ev[0], cmp_event);
	if (strcmp(format, "json") == 0) {
		cJSON *root = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(root, "lines");
		cJSON *events = cJSON_AddArrayToObject(root, "events");
		for (size_t i = 0; i < h.nlines; i++) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddItemToArray(lines, o);
			cJSON_AddStringToObject(o, "sheet", sheet_name(h.lines[i].sheet));
			for (int f = 0; f < F__COUNT; f++)
				if (record_has(&h.lines[i], (enum field_id)f) && !(field_def((enum field_id)f)->flags & FF_INTERNAL))
					cJSON_AddStringToObject(o, field_key((enum field_id)f), record_get(&h.lines[i], (enum field_id)f));
		}
		for (size_t i = 0; i < h.n; i++) {
			cJSON *o = cJSON_CreateObject();
			char when[KST_TEXT_LEN];
			kst_format(h.ev[i].at, when);
			cJSON_AddItemToArray(events, o);
			cJSON_AddStringToObject(o, "at", when);
			cJSON_AddStringToObject(o, "source", h.ev[i].source);
			cJSON_AddStringToObject(o, "account", h.ev[i].who);
			cJSON_AddStringToObject(o, "line", h.ev[i].line);
			cJSON_AddStringToObject(o, "what", h.ev[i].field);
			cJSON_AddStringToObject(o, "old", h.ev[i].old_value);
			cJSON_AddStringToObject(o, "new", h.ev[i].new_value);
		}
		char *text = cJSON_Print(root);
		if (text)
			puts(text);
		free(text);
		cJSON_Delete(root);
	} else {
		for (size_t i = 0; i < h.nlines; i++) {
			const struct record *r = &h.lines[i];
			if (r->sheet == SHEET_ORDERS)
				printf("%s.%s order %s line %s bundle %s: %s (%s), %s x%s, last seen %s\n", record_get(r, F_MARKET),
				       record_get(r, F_ACCOUNT), record_get(r, F_ORDER_NO), record_get(r, F_LINE_NO),
				       record_get(r, F_BUNDLE_NO), record_get(r, F_PRODUCT_NAME), record_get(r, F_OPTION_NAME),
				       record_get(r, F_RECEIVER_NAME), record_get(r, F_QTY), record_get(r, F_STATUS));
			else
				printf("%s.%s claim %s (%s) on order %s line %s: %s of %s, last seen %s\n", record_get(r, F_MARKET),
				       record_get(r, F_ACCOUNT), record_get(r, F_CLAIM_ID), record_get(r, F_CLAIM_TYPE),
				       record_get(r, F_ORDER_NO), record_get(r, F_LINE_NO), record_get(r, F_CLAIM_QTY),
				       record_get(r, F_QTY), record_get(r, F_CLAIM_STATUS));
		}
		for (size_t i = 0; i < h.n; i++) {
			char when[KST_TEXT_LEN];
			kst_format(h.ev[i].at, when);
			printf("  %s  %-6s %-12s %-28s", when, h.ev[i].source, h.ev[i].field, h.ev[i].line);
			if (*h.ev[i].old_value)
				printf(" %s ->", h.ev[i].old_value);
			printf(" %s\n", h.ev[i].new_value);
		}
	}
	rc = OB_OK;
out:
	for (size_t i = 0; i < h.nlines; i++)
		record_free(&h.lines[i]);
	free(h.lines);
	free(h.ev);
	return rc;
}
