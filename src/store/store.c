/* The local store on SQLite (see store.h). Lines are kept as a JSON object of
 * their fields (the registry's keys), so a new column needs no migration; the
 * identity columns and the events/journal/cursor tables are plain SQL. Every
 * statement is prepared once per store. */
#include "store/store.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/str.h"

enum stmt_id {
	ST_LINE_GET,
	ST_LINE_PUT,
	ST_LINE_EXPORTED,
	ST_LINE_WAS_EXPORTED,
	ST_EVENT_ADD,
	ST_EVENTS,
	ST_LINES_BY_ID,
	ST_JOURNAL_GET,
	ST_JOURNAL_PUT,
	ST_CURSOR_GET,
	ST_CURSOR_PUT,
	ST_LINES_ANY,
	ST_JOURNAL_KEYS,
	ST_JOURNAL_KEYS_FROM,
	ST_JOURNAL_SIZE,
	ST_CLAIM_TYPE_SEEN,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_LINE_GET] = "SELECT data FROM lines WHERE market=?1 AND account=?2 AND sheet=?3 AND order_no=?4 "
			"AND line_no=?5 AND claim_id=?6 AND claim_type=?7 AND bundle_no=?10",
	[ST_LINE_PUT] = "INSERT INTO lines(market,account,sheet,order_no,line_no,claim_id,claim_type,data,first_seen,"
			"last_seen,bundle_no) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?9,?10) ON CONFLICT DO UPDATE SET data=?8, "
			"last_seen=?9",
	[ST_LINE_EXPORTED] = "UPDATE lines SET exported_at=?8 WHERE market=?1 AND account=?2 AND sheet=?3 AND "
			     "order_no=?4 AND line_no=?5 AND claim_id=?6 AND claim_type=?7 AND bundle_no=?10",
	[ST_LINE_WAS_EXPORTED] = "SELECT exported_at IS NOT NULL FROM lines WHERE market=?1 AND account=?2 AND sheet=?3 "
				 "AND order_no=?4 AND line_no=?5 AND claim_id=?6 AND claim_type=?7 AND bundle_no=?10",
	[ST_EVENT_ADD] = "INSERT INTO events(at,source,market,account,sheet,order_no,line_no,claim_id,field,old_value,"
			 "new_value) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	[ST_EVENTS] = "SELECT at,source,market,account,sheet,order_no,line_no,claim_id,field,old_value,new_value "
		      "FROM events WHERE order_no=?1 OR line_no=?1 OR claim_id=?1 ORDER BY at, id",
	[ST_LINES_BY_ID] = "SELECT sheet, data FROM lines WHERE order_no=?1 OR line_no=?1 OR claim_id=?1 "
			   "ORDER BY sheet, market, order_no, line_no, claim_id",
	[ST_JOURNAL_GET] = "SELECT state,result,message,market_code,updated_at,attempts FROM journal WHERE key=?1",
	[ST_JOURNAL_PUT] = "INSERT INTO journal(key,market,account,sheet,order_no,line_no,claim_id,action,state,result,"
			   "message,market_code,created_at,updated_at,attempts) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
			   "?12,?13,?13,CASE WHEN ?9=2 THEN 1 ELSE 0 END) ON CONFLICT(key) DO UPDATE SET state=?9, "
			   "result=?10, message=?11, market_code=?12, updated_at=?13, "
			   "attempts=attempts+(CASE WHEN ?9=2 THEN 1 ELSE 0 END)",
	[ST_CURSOR_GET] = "SELECT until, extra FROM cursors WHERE account=?1 AND query=?2",
	[ST_CURSOR_PUT] = "INSERT INTO cursors(account,query,until,extra) VALUES(?1,?2,?3,?4) "
			  "ON CONFLICT DO UPDATE SET until=?3, extra=?4",
	/* A prefix of the primary key: one probe of its b-tree. */
	[ST_LINES_ANY] = "SELECT 1 FROM lines WHERE market=?1 AND account=?2 AND sheet=?3 LIMIT 1",
	/* The key's own index, so in key order and without the rows. */
	[ST_JOURNAL_KEYS] = "SELECT key FROM journal ORDER BY key",
	[ST_JOURNAL_KEYS_FROM] = "SELECT key FROM journal WHERE key >= ?1 AND key < ?2 ORDER BY key",
	[ST_CLAIM_TYPE_SEEN] = "SELECT claim_type FROM lines WHERE market=?1 AND account=?2 AND sheet=?3 AND "
			       "order_no=?4 AND line_no=?5 AND claim_id=?6 AND claim_type<>?7 AND claim_type<>'' "
			       "ORDER BY last_seen DESC LIMIT 1",
	[ST_JOURNAL_SIZE] = "SELECT CASE WHEN max(rowid) > 0 THEN max(rowid) WHEN EXISTS(SELECT 1 FROM journal) "
			    "THEN 1 ELSE 0 END FROM journal",
};

#define SCHEMA_VERSION 2

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO meta VALUES('schema','2');"
	"CREATE TABLE IF NOT EXISTS lines(market TEXT NOT NULL, account TEXT NOT NULL, sheet INTEGER NOT NULL,"
	" order_no TEXT NOT NULL, line_no TEXT NOT NULL, bundle_no TEXT NOT NULL, claim_id TEXT NOT NULL,"
	" claim_type TEXT NOT NULL, data TEXT NOT NULL, first_seen INTEGER, last_seen INTEGER, exported_at INTEGER,"
	" PRIMARY KEY(market, account, sheet, order_no, line_no, bundle_no, claim_id, claim_type)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS lines_order ON lines(order_no);"
	"CREATE INDEX IF NOT EXISTS lines_line ON lines(line_no);"
	"CREATE INDEX IF NOT EXISTS lines_claim ON lines(claim_id);"
	"CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, at INTEGER, source TEXT, market TEXT,"
	" account TEXT, sheet INTEGER, order_no TEXT, line_no TEXT, claim_id TEXT, field TEXT, old_value TEXT,"
	" new_value TEXT);"
	"CREATE INDEX IF NOT EXISTS events_order ON events(order_no);"
	"CREATE INDEX IF NOT EXISTS events_line ON events(line_no);"
	"CREATE INDEX IF NOT EXISTS events_claim ON events(claim_id);"
	"CREATE TABLE IF NOT EXISTS journal(key TEXT PRIMARY KEY, market TEXT, account TEXT, sheet INTEGER,"
	" order_no TEXT, line_no TEXT, claim_id TEXT, action TEXT, state INTEGER, result TEXT, message TEXT,"
	" market_code TEXT, created_at INTEGER, updated_at INTEGER, attempts INTEGER);"
	"CREATE INDEX IF NOT EXISTS journal_order ON journal(order_no);"
	"CREATE TABLE IF NOT EXISTS cursors(account TEXT, query TEXT, until INTEGER, extra TEXT,"
	" PRIMARY KEY(account, query));";

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST__COUNT];
	char path[4096];
	int in_tx;
};

static int db_err(struct store *s, struct ob_err *err, const char *what)
{
	return ob_errf(err, OB_EIO, "store %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int mkdir_p(const char *dir)
{
	char tmp[4096];
	str_copy(tmp, sizeof tmp, dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int store_default_path(char *out, size_t n, struct ob_err *err)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg) {
		snprintf(out, n, "%s/orderbridge/store.db", xdg);
		return OB_OK;
	}
	const char *home = getenv("HOME");
	if (!home || !*home)
		return ob_errf(err, OB_EUSAGE, "no place for the store: set --store PATH, XDG_DATA_HOME or HOME");
	snprintf(out, n, "%s/.local/share/orderbridge/store.db", home);
	return OB_OK;
}

static int schema_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='schema'", -1, &st, NULL) != SQLITE_OK)
		return 0; /* no meta table: a new store */
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Brings an older store up to SCHEMA_VERSION in one transaction. */
static int migrate(struct store *s, struct ob_err *err)
{
	int v = schema_version(s);
	if (v == 0 || v == SCHEMA_VERSION)
		return OB_OK;
	if (v > SCHEMA_VERSION)
		return ob_errf(err, OB_EUSAGE, "the store %s was written by a newer orderbridge (schema %d); update "
			       "orderbridge or use another --store", s->path, v);
	/* 1 -> 2: a line's identity gained its bundle (the same option may sit in
	 * two boxes of one Coupang order). */
	static const char v1_to_v2[] =
		"BEGIN IMMEDIATE;"
		"ALTER TABLE lines RENAME TO lines_v1;"
		"CREATE TABLE lines(market TEXT NOT NULL, account TEXT NOT NULL, sheet INTEGER NOT NULL,"
		" order_no TEXT NOT NULL, line_no TEXT NOT NULL, bundle_no TEXT NOT NULL, claim_id TEXT NOT NULL,"
		" claim_type TEXT NOT NULL, data TEXT NOT NULL, first_seen INTEGER, last_seen INTEGER, exported_at INTEGER,"
		" PRIMARY KEY(market, account, sheet, order_no, line_no, bundle_no, claim_id, claim_type)) WITHOUT ROWID;"
		"INSERT OR IGNORE INTO lines SELECT market, account, sheet, order_no, line_no,"
		" COALESCE(json_extract(data, '$.bundle_no'), ''), claim_id, claim_type, data, first_seen, last_seen,"
		" exported_at FROM lines_v1;"
		"DROP TABLE lines_v1;"
		"UPDATE meta SET value='2' WHERE key='schema';"
		"COMMIT;";
	if (v == 1 && sqlite3_exec(s->db, v1_to_v2, NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_err(s, err, "upgrade from schema 1");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return OB_OK;
}

int store_open(const char *path, struct store **out, struct ob_err *err)
{
	*out = NULL;
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		return ob_err_nomem(err);
	if (path)
		str_copy(s->path, sizeof s->path, path);
	else if (store_default_path(s->path, sizeof s->path, err) != OB_OK) {
		free(s);
		return err->code;
	}
	char dir[4096];
	str_copy(dir, sizeof dir, s->path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir) < 0) {
			int e = errno;
			free(s);
			return ob_errf(err, OB_EIO, "cannot create %s for the store: %s", dir, strerror(e));
		}
	}
	/* Create the file 0600 ourselves: it holds buyers' addresses. */
	int fd = open(s->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		free(s);
		return ob_errf(err, OB_EIO, "cannot open the store %s: %s", path ? path : "", strerror(e));
	}
	close(fd);
	if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		int rc = db_err(s, err, "open");
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL,
			 NULL, NULL) != SQLITE_OK) {
		int rc = db_err(s, err, "set up");
		store_close(s);
		return rc;
	}
	int rc = migrate(s, err);
	if (rc != OB_OK) {
		store_close(s);
		return rc;
	}
	if (sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_err(s, err, "set up");
		store_close(s);
		return rc;
	}
	for (int i = 0; i < ST__COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			rc = db_err(s, err, "prepare");
			store_close(s);
			return rc;
		}
	}
	*out = s;
	return OB_OK;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s);
}

const char *store_file(const struct store *s)
{
	return s->path;
}

int store_begin(struct store *s, struct ob_err *err)
{
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_err(s, err, "begin");
	s->in_tx = 1;
	return OB_OK;
}

int store_commit(struct store *s, struct ob_err *err)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_err(s, err, "commit");
	s->in_tx = 0;
	return OB_OK;
}

void store_rollback(struct store *s)
{
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

static sqlite3_stmt *stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->st[id];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static void bind_identity(sqlite3_stmt *st, const struct record *r)
{
	bind_text(st, 1, record_get(r, F_MARKET));
	bind_text(st, 2, record_get(r, F_ACCOUNT));
	sqlite3_bind_int(st, 3, r->sheet);
	bind_text(st, 4, record_get(r, F_ORDER_NO));
	bind_text(st, 5, record_get(r, F_LINE_NO));
	bind_text(st, 6, r->sheet == SHEET_CLAIMS ? record_get(r, F_CLAIM_ID) : "");
	bind_text(st, 7, r->sheet == SHEET_CLAIMS ? record_get(r, F_CLAIM_TYPE) : "");
	bind_text(st, 10, record_get(r, F_BUNDLE_NO));
}

static char *record_to_json(const struct record *r)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	for (int f = 0; f < F__COUNT; f++) {
		if (!record_has(r, (enum field_id)f))
			continue;
		if (!cJSON_AddStringToObject(o, field_key((enum field_id)f), record_get(r, (enum field_id)f))) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static int record_from_json(struct record *r, enum sheet_kind sheet, const char *text)
{
	record_clear(r);
	r->sheet = sheet;
	cJSON *o = cJSON_Parse(text);
	if (!o)
		return -1;
	const cJSON *v;
	cJSON_ArrayForEach(v, o)
	{
		if (!cJSON_IsString(v))
			continue;
		for (int f = 0; f < F__COUNT; f++) {
			if (strcmp(field_key((enum field_id)f), v->string) == 0) {
				if (record_set(r, (enum field_id)f, v->valuestring) < 0) {
					cJSON_Delete(o);
					return -1;
				}
				break;
			}
		}
	}
	cJSON_Delete(o);
	return 0;
}

int store_line_get(struct store *s, const struct record *key, struct record *out, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_LINE_GET);
	bind_identity(st, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -db_err(s, err, "read a line");
	if (record_from_json(out, key->sheet, (const char *)sqlite3_column_text(st, 0)) < 0) {
		ob_errf(err, OB_EIO, "store %s: a line's data is damaged", s->path);
		return -OB_EIO;
	}
	return 1;
}

int store_add_event(struct store *s, const struct record *r, const char *source, ob_time at, const char *field,
		    const char *old_value, const char *new_value, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_EVENT_ADD);
	sqlite3_bind_int64(st, 1, at);
	bind_text(st, 2, source);
	bind_text(st, 3, record_get(r, F_MARKET));
	bind_text(st, 4, record_get(r, F_ACCOUNT));
	sqlite3_bind_int(st, 5, r->sheet);
	bind_text(st, 6, record_get(r, F_ORDER_NO));
	bind_text(st, 7, record_get(r, F_LINE_NO));
	bind_text(st, 8, record_get(r, F_CLAIM_ID));
	bind_text(st, 9, field);
	bind_text(st, 10, old_value);
	bind_text(st, 11, new_value);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_err(s, err, "write an event");
	return OB_OK;
}

/* The tracked groups of fields, with the event name and change bit. */
static const struct {
	const char *event;
	unsigned bit;
	enum field_id fields[6];
} tracked[] = {
	{ "status", SC_STATUS, { F_STATUS, F__COUNT } },
	{ "claim_status", SC_STATUS, { F_CLAIM_STATUS, F__COUNT } },
	{ "market_status", SC_STATUS, { F_MARKET_STATUS, F__COUNT } },
	{ "qty", SC_QTY, { F_QTY, F_CANCEL_QTY, F_CLAIM_QTY, F__COUNT } },
	{ "address", SC_ADDRESS, { F_RECEIVER_NAME, F_RECEIVER_PHONE, F_ZIP, F_ADDRESS1, F_ADDRESS2, F__COUNT } },
	{ "invoice", SC_INVOICE, { F_COURIER, F_INVOICE_NO, F__COUNT } },
};

static void group_text(const struct record *r, const enum field_id *fs, struct buf *out)
{
	buf_reset(out);
	for (int i = 0; fs[i] != F__COUNT; i++) {
		if (i)
			buf_puts(out, fs[0] == F_QTY ? "/" : " ");
		buf_puts(out, record_get(r, fs[i]));
	}
}

int store_observe(struct store *s, const struct record *r, const char *source, ob_time at, struct record *prev,
		  unsigned *changes, struct ob_err *err)
{
	struct record old;
	record_init(&old, r->sheet);
	unsigned ch = 0;
	int found = store_line_get(s, r, &old, err);
	if (found < 0) {
		record_free(&old);
		return -found;
	}
	int rc = OB_OK;
	struct buf a = BUF_INIT, b = BUF_INIT;
	if (!found) {
		ch |= SC_NEW;
		rc = store_add_event(s, r, source, at, "seen", "", r->sheet == SHEET_CLAIMS ?
				     record_get(r, F_CLAIM_STATUS) : record_get(r, F_STATUS), err);
	} else {
		for (size_t g = 0; g < sizeof tracked / sizeof tracked[0] && rc == OB_OK; g++) {
			int differs = 0, known = 0;
			for (int i = 0; tracked[g].fields[i] != F__COUNT; i++) {
				enum field_id f = tracked[g].fields[i];
				known |= record_has(r, f);
				if (record_has(r, f) && !str_eq(record_get(r, f), record_get(&old, f)))
					differs = 1;
			}
			if (!known || !differs)
				continue;
			ch |= tracked[g].bit;
			group_text(&old, tracked[g].fields, &a);
			group_text(r, tracked[g].fields, &b);
			rc = store_add_event(s, r, source, at, tracked[g].event, a.data, b.data, err);
		}
	}
	buf_free(&a);
	buf_free(&b);
	if (rc == OB_OK) {
		/* Keep what we knew when the new observation lacks a field. */
		struct record merged;
		if (record_copy(&merged, found ? &old : r) < 0) {
			record_free(&old);
			return ob_err_nomem(err);
		}
		if (found)
			for (int f = 0; f < F__COUNT; f++)
				if (record_has(r, (enum field_id)f) &&
				    record_set(&merged, (enum field_id)f, record_get(r, (enum field_id)f)) < 0)
					rc = ob_err_nomem(err);
		char *json = rc == OB_OK ? record_to_json(&merged) : NULL;
		if (rc == OB_OK && !json)
			rc = ob_err_nomem(err);
		if (rc == OB_OK) {
			sqlite3_stmt *st = stmt(s, ST_LINE_PUT);
			bind_identity(st, r);
			sqlite3_bind_text(st, 8, json, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 9, at);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_err(s, err, "write a line");
		}
		free(json);
		record_free(&merged);
	}
	if (rc == OB_OK && prev && found) {
		record_free(prev);
		*prev = old;
	} else {
		record_free(&old);
	}
	if (changes)
		*changes = ch;
	return rc;
}

int store_mark_exported(struct store *s, const struct record *r, ob_time at, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_LINE_EXPORTED);
	bind_identity(st, r);
	sqlite3_bind_int64(st, 8, at);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_err(s, err, "mark a line exported");
	return OB_OK;
}

int store_was_exported(struct store *s, const struct record *r, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_LINE_WAS_EXPORTED);
	bind_identity(st, r);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -db_err(s, err, "read a line");
	return sqlite3_column_int(st, 0) ? 1 : 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

int store_claim_type_seen(struct store *s, const struct record *r, char *out, size_t n, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_CLAIM_TYPE_SEEN);
	bind_identity(st, r);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -db_err(s, err, "read a claim");
	str_copy(out, n, col(st, 0));
	return 1;
}

int store_events(struct store *s, const char *id, store_event_fn fn, void *ctx, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_EVENTS);
	bind_text(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_event ev = {
			.at = sqlite3_column_int64(st, 0),
			.source = col(st, 1),
			.market = col(st, 2),
			.account = col(st, 3),
			.sheet = sqlite3_column_int(st, 4) == SHEET_CLAIMS ? "claims" : "orders",
			.order_no = col(st, 5),
			.line_no = col(st, 6),
			.claim_id = col(st, 7),
			.field = col(st, 8),
			.old_value = col(st, 9),
			.new_value = col(st, 10),
		};
		int r = fn(ctx, &ev);
		if (r)
			return r;
	}
	if (rc != SQLITE_DONE)
		return db_err(s, err, "read events");
	return OB_OK;
}

int store_lines(struct store *s, const char *id, int (*fn)(void *ctx, const struct record *r), void *ctx,
		struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_LINES_BY_ID);
	bind_text(st, 1, id);
	struct record r;
	record_init(&r, SHEET_ORDERS);
	int rc, ret = OB_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sheet = sqlite3_column_int(st, 0) == SHEET_CLAIMS ? SHEET_CLAIMS : SHEET_ORDERS;
		if (record_from_json(&r, (enum sheet_kind)sheet, col(st, 1)) < 0) {
			ret = ob_errf(err, OB_EIO, "store %s: a line's data is damaged", s->path);
			break;
		}
		ret = fn(ctx, &r);
		if (ret)
			break;
	}
	record_free(&r);
	if (ret == OB_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_err(s, err, "read lines");
	return ret;
}

int store_has_lines(struct store *s, const char *market, const char *account, int sheet, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_LINES_ANY);
	bind_text(st, 1, market);
	bind_text(st, 2, account);
	sqlite3_bind_int(st, 3, sheet);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return -db_err(s, err, "read lines");
}

const char *journal_state_word(enum journal_state st)
{
	static const char *const w[] = { "", "planned", "sent", "ok", "failed", "unknown" };
	return (unsigned)st < sizeof w / sizeof w[0] ? w[st] : "";
}

int store_journal_get(struct store *s, const char *key, struct journal_entry *out, struct ob_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = stmt(s, ST_JOURNAL_GET);
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -db_err(s, err, "read the journal");
	out->state = (enum journal_state)sqlite3_column_int(st, 0);
	str_copy(out->result, sizeof out->result, col(st, 1));
	str_copy(out->message, sizeof out->message, col(st, 2));
	str_copy(out->market_code, sizeof out->market_code, col(st, 3));
	out->updated_at = sqlite3_column_int64(st, 4);
	out->attempts = sqlite3_column_int(st, 5);
	return 1;
}

int64_t store_journal_size_hint(struct store *s)
{
	sqlite3_stmt *st = stmt(s, ST_JOURNAL_SIZE);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return n;
}

int store_journal_keys(struct store *s, const char *from, const char *to,
		       int (*fn)(void *ctx, const char *key, size_t len), void *ctx, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, from ? ST_JOURNAL_KEYS_FROM : ST_JOURNAL_KEYS);
	if (from) {
		bind_text(st, 1, from);
		bind_text(st, 2, to);
	}
	int rc, ret = OB_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = col(st, 0);
		ret = fn(ctx, k, (size_t)sqlite3_column_bytes(st, 0));
		if (ret)
			break;
	}
	/* Reset now: a statement left running would hold the read lock. */
	sqlite3_reset(st);
	if (ret == OB_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_err(s, err, "read the journal");
	return ret;
}

int store_journal_set(struct store *s, const char *key, const struct record *rec, const char *action,
		      enum journal_state state, const char *result, const char *message, const char *market_code,
		      struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_JOURNAL_PUT);
	bind_text(st, 1, key);
	bind_text(st, 2, record_get(rec, F_MARKET));
	bind_text(st, 3, record_get(rec, F_ACCOUNT));
	sqlite3_bind_int(st, 4, rec->sheet);
	bind_text(st, 5, record_get(rec, F_ORDER_NO));
	bind_text(st, 6, record_get(rec, F_LINE_NO));
	bind_text(st, 7, record_get(rec, F_CLAIM_ID));
	bind_text(st, 8, action);
	sqlite3_bind_int(st, 9, (int)state);
	bind_text(st, 10, result);
	bind_text(st, 11, message);
	bind_text(st, 12, market_code);
	sqlite3_bind_int64(st, 13, kst_now());
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_err(s, err, "write the journal");
	return OB_OK;
}

int store_cursor_get(struct store *s, const char *account_id, const char *query, ob_time *until, char *extra,
		     size_t extra_n, struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_CURSOR_GET);
	bind_text(st, 1, account_id);
	bind_text(st, 2, query);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -db_err(s, err, "read a cursor");
	*until = sqlite3_column_int64(st, 0);
	if (extra)
		str_copy(extra, extra_n, col(st, 1));
	return 1;
}

int store_cursor_set(struct store *s, const char *account_id, const char *query, ob_time until, const char *extra,
		     struct ob_err *err)
{
	sqlite3_stmt *st = stmt(s, ST_CURSOR_PUT);
	bind_text(st, 1, account_id);
	bind_text(st, 2, query);
	sqlite3_bind_int64(st, 3, until);
	bind_text(st, 4, extra);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_err(s, err, "write a cursor");
	return OB_OK;
}

int store_purge_personal(struct store *s, ob_time before, long *n, struct ob_err *err)
{
	sqlite3_stmt *st;
	const char *sql = "UPDATE lines SET data = json_remove(data, '$.buyer_name', '$.buyer_phone', "
			  "'$.receiver_name', '$.receiver_phone', '$.zip', '$.address1', '$.address2', "
			  "'$.delivery_note') WHERE last_seen < ?1";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_err(s, err, "purge");
	sqlite3_bind_int64(st, 1, before);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_err(s, err, "purge");
	*n = (long)sqlite3_changes(s->db);
	/* Address events carry personal data too. */
	sqlite3_stmt *ev;
	if (sqlite3_prepare_v2(s->db, "UPDATE events SET old_value='(purged)', new_value='(purged)' WHERE field='address' "
			       "AND at < ?1", -1, &ev, NULL) != SQLITE_OK)
		return db_err(s, err, "purge");
	sqlite3_bind_int64(ev, 1, before);
	rc = sqlite3_step(ev);
	sqlite3_finalize(ev);
	if (rc != SQLITE_DONE)
		return db_err(s, err, "purge");
	return OB_OK;
}

int store_vacuum(struct store *s, struct ob_err *err)
{
	if (sqlite3_exec(s->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
		return db_err(s, err, "vacuum");
	return OB_OK;
}
