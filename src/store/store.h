/* The local store (SQLite): every order and claim line seen, with a history of
 * what changed; the action journal that makes `import --apply` exactly-once and
 * resumable; and the sync cursors of incremental exports. It never holds
 * secrets. Default file: $XDG_DATA_HOME/orderbridge/store.db (0600, WAL,
 * synchronous=FULL so a journal row is on disk before its call is sent). */
#ifndef OB_STORE_STORE_H
#define OB_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/record.h"
#include "util/err.h"
#include "util/kst.h"

struct store;

int store_default_path(char *out, size_t n, struct ob_err *err);
/* path NULL = the default. Creates the file (and its directory, 0700). */
int store_open(const char *path, struct store **out, struct ob_err *err);
void store_close(struct store *s);
const char *store_file(const struct store *s);

/* Transactions group many writes (an export's upserts) into one commit. */
int store_begin(struct store *s, struct ob_err *err);
int store_commit(struct store *s, struct ob_err *err);
void store_rollback(struct store *s);

/* ---- lines and their history ---- */

/* Bits of what changed in store_observe. */
#define SC_NEW 0x01u
#define SC_STATUS 0x02u
#define SC_QTY 0x04u
#define SC_ADDRESS 0x08u
#define SC_INVOICE 0x10u

/* Upserts a line as seen now from `source` ("export", "import", ...). When the
 * line was known, prev (if not NULL) gets the previous values and *changes the
 * SC_ bits; one history event is written per changed field. */
int store_observe(struct store *s, const struct record *r, const char *source, ob_time at, struct record *prev,
		  unsigned *changes, struct ob_err *err);
/* Looks a line up by its identity (market, account, sheet, order_no, line_no,
 * claim_id, claim_type taken from key). Returns 1 found (out filled), 0 not. */
int store_line_get(struct store *s, const struct record *key, struct record *out, struct ob_err *err);
/* 1 when the store knows any line of that market, account and sheet (as
 * store_line_get would look them up), 0 when none: a caller with many lines
 * to look up skips the accounts the store has never seen. */
int store_has_lines(struct store *s, const char *market, const char *account, int sheet, struct ob_err *err);
/* Remembers that a line was written to a sheet (for `export --new`). */
int store_mark_exported(struct store *s, const struct record *r, ob_time at, struct ob_err *err);
/* 1 when the line was exported before. */
int store_was_exported(struct store *s, const struct record *r, struct ob_err *err);
/* The type under which the same claim line (market, account, order, line,
 * claim id) was last seen, when it was seen under a type other than r's:
 * 1 and the type in out, 0 when not, <0 on a store error. */
int store_claim_type_seen(struct store *s, const struct record *r, char *out, size_t n, struct ob_err *err);

struct store_event {
	ob_time at;
	const char *source;   /* export, import, market */
	const char *market, *account, *sheet, *order_no, *line_no, *claim_id;
	const char *field;    /* status, claim_status, qty, address, invoice, action, ... */
	const char *old_value, *new_value;
};
typedef int (*store_event_fn)(void *ctx, const struct store_event *ev);
/* Every event of the lines whose order_no or line_no is id, oldest first. */
int store_events(struct store *s, const char *id, store_event_fn fn, void *ctx, struct ob_err *err);
/* Every line (orders and claims) whose order_no or line_no is id. */
int store_lines(struct store *s, const char *id, int (*fn)(void *ctx, const struct record *r), void *ctx,
		struct ob_err *err);
int store_add_event(struct store *s, const struct record *r, const char *source, ob_time at, const char *field,
		    const char *old_value, const char *new_value, struct ob_err *err);

/* ---- the action journal ---- */

enum journal_state { JS_NONE = 0, JS_PLANNED, JS_SENT, JS_OK, JS_FAILED, JS_UNKNOWN };
const char *journal_state_word(enum journal_state s);

struct journal_entry {
	enum journal_state state;
	char result[16];      /* OK, FAILED, SKIPPED, UNSUPPORTED */
	char message[512];
	char market_code[64];
	ob_time updated_at;
	int attempts;
};

/* key: the idempotency key (market, account, line, action, payload hash). */
int store_journal_get(struct store *s, const char *key, struct journal_entry *out, struct ob_err *err);
/* About how many entries the journal has (its largest rowid; cheap): 0 only
 * when it has none. */
int64_t store_journal_size_hint(struct store *s);
/* Calls fn with every journal key in key order (bytewise), or with those in
 * [from, to) when from is not NULL; stops at fn's first nonzero return, which
 * it returns. For many look-ups at once: one pass instead of one query each. */
int store_journal_keys(struct store *s, const char *from, const char *to,
		       int (*fn)(void *ctx, const char *key, size_t len), void *ctx, struct ob_err *err);
/* Writes (or moves) the entry of key; rec identifies the line for `history`. */
int store_journal_set(struct store *s, const char *key, const struct record *rec, const char *action,
		      enum journal_state state, const char *result, const char *message, const char *market_code,
		      struct ob_err *err);

/* ---- sync cursors ---- */

int store_cursor_get(struct store *s, const char *account_id, const char *query, ob_time *until, char *extra,
		     size_t extra_n, struct ob_err *err);
int store_cursor_set(struct store *s, const char *account_id, const char *query, ob_time until, const char *extra,
		     struct ob_err *err);

/* Deletes personal data (names, phones, addresses, notes) of lines last seen
 * before `before`; returns the number of lines purged in *n. */
int store_purge_personal(struct store *s, ob_time before, long *n, struct ob_err *err);
int store_vacuum(struct store *s, struct ob_err *err);

#endif
