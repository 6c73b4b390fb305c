/* The local store: line upserts with change events, the journal's state moves,
 * cursors, purge of personal data, and the 0600 file mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "model/words.h"
#include "store/store.h"

static char dir[256];
static char path[512];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/obstoreXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/sub/dir/store.db", dir);
	return 0;
}

static void line(struct record *r, const char *status, const char *addr, const char *qty, const char *cancel)
{
	record_clear(r);
	r->sheet = SHEET_ORDERS;
	record_set(r, F_MARKET, "coupang");
	record_set(r, F_ACCOUNT, "main");
	record_set(r, F_ORDER_NO, "22000009546234");
	record_set(r, F_LINE_NO, "3242596358");
	record_set(r, F_BUNDLE_NO, "642538971006401429");
	record_set(r, F_STATUS, status);
	record_set(r, F_ADDRESS1, addr);
	record_set(r, F_QTY, qty);
	record_set(r, F_CANCEL_QTY, cancel);
	record_set(r, F_RECEIVER_NAME, "신*희");
}

struct ev_list {
	int n;
	char fields[16][32];
	char news[16][128];
};

static int collect(void *ctx, const struct store_event *ev)
{
	struct ev_list *l = ctx;
	if (l->n < 16) {
		snprintf(l->fields[l->n], 32, "%s", ev->field);
		snprintf(l->news[l->n], 128, "%s", ev->new_value);
		l->n++;
	}
	return 0;
}

static void test_observe_and_history(void **state)
{
	(void)state;
	struct store *s;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(store_open(path, &s, &err), OB_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct record r, prev;
	record_init(&r, SHEET_ORDERS);
	record_init(&prev, SHEET_ORDERS);
	unsigned ch;
	line(&r, "PAID", "서울 강남구 테헤란로 1", "3", "0");
	assert_int_equal(store_observe(s, &r, "export", 1000, &prev, &ch, &err), OB_OK);
	assert_int_equal(ch, SC_NEW);
	/* Same again: nothing changed, no event. */
	assert_int_equal(store_observe(s, &r, "export", 1001, &prev, &ch, &err), OB_OK);
	assert_int_equal(ch, 0);
	/* Status, a partial cancel and a new address. */
	line(&r, "PREPARING", "부산 해운대구 1", "3", "1");
	assert_int_equal(store_observe(s, &r, "export", 2000, &prev, &ch, &err), OB_OK);
	assert_int_equal(ch, SC_STATUS | SC_QTY | SC_ADDRESS);
	assert_string_equal(record_get(&prev, F_ADDRESS1), "서울 강남구 테헤란로 1");
	/* An observation without an address keeps the known one. */
	record_set(&r, F_ADDRESS1, NULL);
	assert_int_equal(store_observe(s, &r, "export", 2500, NULL, &ch, &err), OB_OK);
	assert_int_equal(ch, 0);
	struct record got;
	record_init(&got, SHEET_ORDERS);
	assert_int_equal(store_line_get(s, &r, &got, &err), 1);
	assert_string_equal(record_get(&got, F_ADDRESS1), "부산 해운대구 1");
	assert_string_equal(record_get(&got, F_BUNDLE_NO), "642538971006401429");
	struct ev_list l = { 0 };
	assert_int_equal(store_events(s, "22000009546234", collect, &l, &err), OB_OK);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.fields[0], "seen");
	assert_string_equal(l.fields[1], "status");
	assert_string_equal(l.news[1], "PREPARING");
	assert_string_equal(l.fields[2], "qty");
	assert_string_equal(l.news[2], "3/1/");
	assert_string_equal(l.fields[3], "address");
	/* By line number too. */
	struct ev_list l2 = { 0 };
	assert_int_equal(store_events(s, "3242596358", collect, &l2, &err), OB_OK);
	assert_int_equal(l2.n, 4);
	/* Exported flag. */
	assert_int_equal(store_was_exported(s, &r, &err), 0);
	assert_int_equal(store_mark_exported(s, &r, 3000, &err), OB_OK);
	assert_int_equal(store_was_exported(s, &r, &err), 1);
	/* Purge of personal data. */
	long n = 0;
	assert_int_equal(store_purge_personal(s, 999999, &n, &err), OB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_line_get(s, &r, &got, &err), 1);
	assert_string_equal(record_get(&got, F_ADDRESS1), "");
	assert_string_equal(record_get(&got, F_RECEIVER_NAME), "");
	assert_string_equal(record_get(&got, F_STATUS), "PREPARING");
	record_free(&r);
	record_free(&prev);
	record_free(&got);
	store_close(s);
}

static void test_journal_and_cursor(void **state)
{
	(void)state;
	struct store *s;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(store_open(path, &s, &err), OB_OK);
	struct record r;
	record_init(&r, SHEET_ORDERS);
	line(&r, "PAID", "a", "1", "0");
	struct journal_entry je;
	assert_int_equal(store_journal_get(s, "k1", &je, &err), 0);
	assert_int_equal(store_journal_set(s, "k1", &r, "ACK", JS_PLANNED, "", "", "", &err), OB_OK);
	assert_int_equal(store_journal_set(s, "k1", &r, "ACK", JS_SENT, "", "", "", &err), OB_OK);
	assert_int_equal(store_journal_set(s, "k1", &r, "ACK", JS_OK, "OK", "acknowledged", "OK", &err), OB_OK);
	assert_int_equal(store_journal_get(s, "k1", &je, &err), 1);
	assert_int_equal(je.state, JS_OK);
	assert_int_equal(je.attempts, 1);
	assert_string_equal(je.message, "acknowledged");
	ob_time until;
	char extra[64];
	assert_int_equal(store_cursor_get(s, "coupang.main", "ordersheets:ACCEPT", &until, extra, sizeof extra, &err), 0);
	assert_int_equal(store_cursor_set(s, "coupang.main", "ordersheets:ACCEPT", 12345, "x", &err), OB_OK);
	assert_int_equal(store_cursor_get(s, "coupang.main", "ordersheets:ACCEPT", &until, extra, sizeof extra, &err), 1);
	assert_int_equal(until, 12345);
	assert_string_equal(extra, "x");
	/* Transactions roll back. */
	assert_int_equal(store_begin(s, &err), OB_OK);
	assert_int_equal(store_journal_set(s, "k2", &r, "SHIP", JS_SENT, "", "", "", &err), OB_OK);
	store_rollback(s);
	assert_int_equal(store_journal_get(s, "k2", &je, &err), 0);
	record_free(&r);
	store_close(s);
}

/* A store written by schema 1 (lines keyed without the bundle) opens, is
 * upgraded in place, and keeps its lines. */
static void test_upgrade_from_v1(void **state)
{
	(void)state;
	char p1[600];
	snprintf(p1, sizeof p1, "%s/v1.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p1, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES('schema','1');"
		"CREATE TABLE lines(market TEXT NOT NULL, account TEXT NOT NULL, sheet INTEGER NOT NULL,"
		" order_no TEXT NOT NULL, line_no TEXT NOT NULL, claim_id TEXT NOT NULL, claim_type TEXT NOT NULL,"
		" data TEXT NOT NULL, first_seen INTEGER, last_seen INTEGER, exported_at INTEGER,"
		" PRIMARY KEY(market, account, sheet, order_no, line_no, claim_id, claim_type)) WITHOUT ROWID;"
		"INSERT INTO lines VALUES('coupang','main',1,'22000009546234','3242596358','','',"
		" '{\"market\":\"coupang\",\"account\":\"main\",\"order_no\":\"22000009546234\","
		"\"line_no\":\"3242596358\",\"bundle_no\":\"642538971006401429\",\"status\":\"PAID\"}',1,2,3);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct store *s;
	struct ob_err err = OB_ERR_INIT;
	assert_int_equal(store_open(p1, &s, &err), OB_OK);
	struct record r, got;
	record_init(&r, SHEET_ORDERS);
	record_init(&got, SHEET_ORDERS);
	line(&r, "PAID", "x", "1", "0");
	assert_int_equal(store_line_get(s, &r, &got, &err), 1);
	assert_string_equal(record_get(&got, F_STATUS), "PAID");
	assert_int_equal(store_was_exported(s, &r, &err), 1);
	store_close(s);
	/* Opening again is a no-op. */
	assert_int_equal(store_open(p1, &s, &err), OB_OK);
	assert_int_equal(store_line_get(s, &r, &got, &err), 1);
	store_close(s);
	record_free(&r);
	record_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_observe_and_history),
		cmocka_unit_test(test_journal_and_cursor),
		cmocka_unit_test(test_upgrade_from_v1),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
