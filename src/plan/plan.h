/* Import planning and execution: sheet rows -> validated actions -> units and
 * batches within each market's limits -> journaled market calls -> per-row
 * results.
 *
 * Exactly once: every item has an idempotency key (market, account, line,
 * action, payload hash). Before a batch is sent its items are journaled as
 * "sent" (synchronously); afterwards each gets ok / failed / unknown. A later
 * run skips keys already ok, and hands sent/unknown ones back to the adapter,
 * which re-reads the state at the market before acting (market.h). */
#ifndef OB_PLAN_PLAN_H
#define OB_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "market/market.h"
#include "model/record.h"
#include "model/record_list.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/config.h"

/* One row with an action. Kept small (a plan of a million rows holds half a
 * million of them): what planning and the result files need, nothing of the
 * row itself. The record a market call gets is read again from the sheet
 * (plan_item_record) when the plan is applied. */
struct plan_item {
	size_t row_no;              /* physical row in that sheet */
	const struct account *acct;
	const struct action_spec *spec;
	const char *courier_code;
	/* The result's message and then the market's result code, NUL after
	 * each (NULL = neither); in the plan's message pool (plan_item_message). */
	const char *message;
	size_t strs;                /* the unit and the fields planning compares (plan.c) */
	unsigned char key[16];      /* the idempotency key's first 128 bits (plan_key) */
	uint32_t input;             /* index of the input sheet */
	uint32_t ident;             /* market, account, status, claim type as written (plan.c) */
	uint8_t action;             /* enum action */
	uint8_t result;             /* enum result */
	uint8_t sheet;              /* enum sheet_kind */
	bool invalid : 1;           /* a row error (message says which) */
	bool prior : 1;             /* the journal has it as sent or unknown */
	bool address_changed : 1;
	bool outcome_unknown : 1;
	bool paid : 1;              /* the sheet's status is PAID */
	bool invoice_checked : 1;   /* the invoice number was normalized (validate_courier) */
};

struct plan_batch {
	size_t account;             /* index into plan.accounts */
	enum action action;
	enum sheet_kind sheet;
	size_t *items;              /* indexes into plan.items */
	size_t n;
	size_t units;
};

struct template_def;

struct plan_input {
	char path[4096];
	/* A courier's result file read through this template (plan_read_courier);
	 * NULL for a unified sheet. */
	const struct template_def *tpl;
	char sheet[64];             /* XLSX: the worksheet read ("" = CSV) */
	char name[4200];            /* for messages: the path, with " (sheet S)" for a workbook */
	enum sheet_kind kind;
	size_t rows;                /* data rows */
	size_t acted;               /* rows with an action */
	size_t warnings;            /* damaged cells in rows without an action */
};

struct plan_pool;
struct plan_spill;
struct plan_words;

struct plan {
	const struct config *cfg;
	struct plan_input *inputs;
	size_t ninputs;
	struct plan_item *items;
	size_t n, cap;
	struct plan_batch *batches;
	size_t nbatches;
	const struct account **accounts; /* accounts with batches */
	size_t naccounts;
	size_t invalid;             /* rows with errors */
	struct buf errors;          /* one line per row error, in input order */
	struct buf notes;           /* warnings that do not stop the import */
	struct record_list sheet_lines; /* order lines of the sheets given, to join courier results on */
	struct buf strs;            /* plan_item.strs */
	struct plan_words *words;   /* plan_item.ident */
	struct plan_pool *msgs;     /* plan_item.message */
	struct plan_spill *recs;    /* the items' records, once plan_item_record needs them */
	size_t *batch_idx;          /* every batch's items, one array */
	bool oom;                   /* a message could not be kept (memory ran out) */
};

void plan_init(struct plan *p, const struct config *cfg);
void plan_free(struct plan *p);

/* Reads a sheet file and validates every row with an action: a CSV file is one
 * sheet; a workbook gives its "orders" and "claims" worksheets (both, when it
 * has both, as `export -o x.xlsx` writes them), else its one sheet. File-level
 * problems (unreadable, no header) return an error; row problems become
 * invalid items. */
int plan_read(struct plan *p, const char *path, struct ob_err *err);
/* ---- courier result files (plan_courier.c) ---- */

/* Keeps the order lines of a unified sheet file (every row, with an action or
 * not) for plan_read_courier to find lines in. */
int plan_index_sheet(struct plan *p, const char *path, struct ob_err *err);
/* Reads a courier's result file through a courier-result template: each row's
 * line key (template_line_key) is looked up in the sheets indexed and in the
 * store; the line and the other lines of its bundle get SHIP with the row's
 * courier and invoice. A key of ours that matches no line, a receiver name
 * that differs from the line's, a missing or damaged invoice are row errors
 * (the file, row and key named); rows without a key of ours are left alone
 * with a note. OB_EINVALID when the file has no header the template knows. */
int plan_read_courier(struct plan *p, const char *path, const struct template_def *t, struct store *s,
		      struct ob_err *err);
/* The result file of courier input i (plan_write_results calls it). */
int plan_courier_write_result(const struct plan *p, size_t i, const char *out_path, bool force, struct ob_err *err);

/* The hook for inputs that are not unified sheets: an input, and rows given as
 * records (action and all). A row with error set is a row error with that
 * message; else it is validated as a sheet row with that action. */
int plan_add_input(struct plan *p, const char *path, const struct template_def *tpl, size_t *idx,
		   struct ob_err *err);
int plan_add_row(struct plan *p, size_t input, size_t row_no, const struct record *rec, const char *error,
		 struct ob_err *err);

/* Groups valid items into units and batches (call after every plan_read). */
int plan_build(struct plan *p, struct ob_err *err);
/* Looks every item up in the journal: already ok -> RES_SKIPPED without a call;
 * sent/unknown -> prior (re-checked at the market). */
int plan_check_journal(struct plan *p, struct store *s, struct ob_err *err);
/* Flags rows whose line the store has seen in another state since the sheet
 * was written (e.g. cancelled since the export): a note in the plan; the
 * adapter re-reads the market before acting anyway. */
int plan_check_store(struct plan *p, struct store *s, struct ob_err *err);
/* Prints the plan: counts per market and action, each call, each row error. */
void plan_print(const struct plan *p, FILE *out, bool calls);

/* Sends every batch (accounts in parallel, batches of one account in order),
 * journaling around each call. Returns OB_OK when every batch got answers
 * (rows may still have failed), OB_ENET when a market could not be reached. */
int plan_apply(struct plan *p, struct store *s, struct http_pool *pool, struct ob_err *err);

/* Writes the result files: for each input file, every row untouched with
 * result and message (and address_changed) filled, into out_path (one input
 * file only) or plan_result_path(); a workbook's sheets go into one result
 * workbook. report (may be NULL) gets each path written. */
int plan_write_results(const struct plan *p, const char *out_path, bool force,
		       void (*report)(void *ctx, const char *path), void *ctx, struct ob_err *err);
/* Default result path: "x.orders.csv" -> "x.orders.result.csv". */
void plan_result_path(const char *input, char *out, size_t n);

/* Counts of results over all items. */
void plan_counts(const struct plan *p, size_t counts[RES__COUNT]);

/* The message of item i ("" when none) and the market's result code. */
const char *plan_item_message(const struct plan_item *it);
const char *plan_item_market_code(const struct plan_item *it);

/* The record of item i as a market call gets it: the row as read and checked
 * (an invoice number normalized). Rows of sheets are read again, all at once
 * the first time (a sheet that changed since plan_read is an error); out is
 * initialised by the call. */
int plan_item_record(struct plan *p, size_t i, struct record *out, struct ob_err *err);

/* The idempotency key (hex) of an action on a row (exposed for tests). */
int plan_key(const struct account *acct, enum action a, const char *courier_code, const struct record *r,
	     char out[72]);

#endif
