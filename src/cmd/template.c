/* `orderbridge template list | show NAME | check FILE`: the sheet templates
 * there are, what one holds, and whether a template file is valid (every bad
 * line named). The work is in src/sheet/template.c. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "sheet/table.h"
#include "sheet/template.h"
#include "util/err.h"
#include "util/str.h"

static int list_one(void *ctx, const char *name, const char *path, const char *shadowed)
{
	(void)ctx;
	struct template_def *t = NULL;
	struct ob_err err = OB_ERR_INIT;
	if (template_parse_file(path, name, &t, NULL, &err) != OB_OK) {
		printf("%-16s %-15s INVALID: %s\n", name, "?", err.msg);
		return OB_OK;
	}
	printf("%-16s %-15s %s\n", name, template_kind_word(t->kind), t->description);
	if (shadowed)
		printf("%-16s %s (overrides %s)\n", "", path, shadowed);
	else
		printf("%-16s %s\n", "", path);
	template_free(t);
	return OB_OK;
}

static void print_column(const struct tpl_column *c, size_t i)
{
	char letters[8];
	table_col_letters(i, letters, sizeof letters);
	printf("  %-3s %s = ", letters, c->header);
	for (size_t p = 0; p < c->nparts; p++) {
		if (c->parts[p].field >= 0) {
			printf("{%s}", template_field_name(c->parts[p].field));
			continue;
		}
		for (const char *s = c->parts[p].text; *s; s++) {
			if (*s == '{' || *s == '}')
				putchar(*s);
			putchar(*s);
		}
	}
	for (size_t t = 0; t < c->ntx; t++) {
		const struct tpl_tx *x = &c->tx[t];
		if (x->op == TX_DIGITS)
			fputs(" | digits", stdout);
		else if (x->op == TX_PHONE)
			fputs(" | phone", stdout);
		else if (x->op == TX_ONELINE)
			fputs(" | oneline", stdout);
		else if (x->op == TX_CP949)
			fputs(" | cp949", stdout);
		else if (x->max_len)
			printf(" | max_len=%zu", x->max_len);
		else
			printf(" | max_bytes=%zu", x->max_bytes);
	}
	putchar('\n');
}

static void show(const struct template_def *t)
{
	printf("template %s (%s)\n", t->name, template_kind_word(t->kind));
	printf("file:     %s\n", t->path);
	if (t->description[0])
		printf("about:    %s\n", t->description);
	if (t->kind == TPL_OUTPUT) {
		printf("rows:     %s\n", t->rows == TPL_ROWS_BUNDLE ? "one per bundle (box)" : "one per line");
		printf("encoding: %s (CSV; XLSX cells are Unicode)\n",
		       t->encoding == ENC_AUTO ? encoding_name(ENC_UTF8_BOM) : encoding_name(t->encoding));
		if (t->status[0])
			printf("status:   %s (default for --status)\n", t->status);
		if (!t->personal)
			printf("personal: no (columns with personal data are refused)\n");
		if (t->skip_cancelled)
			printf("lines whose whole quantity is cancelled are left out\n");
		for (int s = SHEET_ORDERS; s <= SHEET_CLAIMS; s++) {
			if (!template_has_sheet(t, (enum sheet_kind)s))
				continue;
			printf("[%s] %zu columns\n", sheet_name((enum sheet_kind)s), t->sheets[s].n);
			for (size_t i = 0; i < t->sheets[s].n; i++)
				print_column(&t->sheets[s].cols[i], i);
		}
	} else {
		printf("courier:  %s\n", t->courier[0] ? t->courier : "(from the courier column)");
		printf("[columns] read by header (any order; columns not listed are ignored)\n");
		for (size_t i = 0; i < t->sheets[SHEET_ORDERS].n; i++)
			print_column(&t->sheets[SHEET_ORDERS].cols[i], i);
	}
}

int cmd_template(int argc, char **argv, const struct ob_globals *g)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	(void)g;
	int c;
	while ((c = cmd_getopt("template", argc, argv, "", longopts)) != -1)
		return OB_EUSAGE;
	if (optind >= argc)
		return cmd_usage_error("template", "say list, show NAME or check FILE");
	const char *sub = argv[optind];
	int nargs = argc - optind - 1;
	struct ob_err err = OB_ERR_INIT;
	if (str_eq(sub, "list")) {
		if (nargs)
			return cmd_usage_error("template", "list takes no arguments");
		if (template_each(list_one, NULL, &err) != OB_OK) {
			fprintf(stderr, "orderbridge template: %s\n", err.msg);
			return err.code;
		}
		return OB_OK;
	}
	if (str_eq(sub, "show") || str_eq(sub, "check")) {
		if (nargs != 1)
			return cmd_usage_error("template", "%s takes one %s", sub, str_eq(sub, "show") ? "NAME" : "FILE");
		const char *arg = argv[optind + 1];
		struct template_def *t = NULL;
		struct buf all = BUF_INIT;
		int rc = str_eq(sub, "show") ? template_load(arg, &t, &err)
					     : template_parse_file(arg, NULL, &t, &all, &err);
		if (rc != OB_OK) {
			if (all.len)
				fputs(buf_cstr(&all), stderr);
			else
				fprintf(stderr, "orderbridge template: %s\n", err.msg);
			buf_free(&all);
			return rc;
		}
		buf_free(&all);
		if (str_eq(sub, "show")) {
			show(t);
		} else {
			size_t n = t->sheets[SHEET_ORDERS].n + t->sheets[SHEET_CLAIMS].n;
			printf("%s: OK: %s template %s, %zu column%s\n", arg, template_kind_word(t->kind), t->name, n,
			       n == 1 ? "" : "s");
		}
		template_free(t);
		return OB_OK;
	}
	return cmd_usage_error("template", "unknown subcommand '%s'; use list, show NAME or check FILE", sub);
}
