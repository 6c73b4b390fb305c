/* The export driver (see fetch.h).
 *
 * Per account, the windows to fetch form one list in output order. Workers
 * take the earliest waiting window within a lookahead of the list's head; a
 * window's records go to its own temp file as they arrive, so a worker holds
 * no rows in memory. A window that comes back OB_TRUNCATED is replaced in the
 * list by its two halves (its rows are thrown away). The calling thread is the
 * reorder buffer's consumer: whenever the head window is done it filters,
 * drops duplicates and appends its records to the account's spool, then frees
 * the window; once every window of an account is in its spool and the
 * accounts before it are out, the spool is replayed into the sink, while later
 * accounts are still being fetched. Memory is bounded by the lookahead and the
 * duplicate set (16 bytes per line), not by the range; an account that fails
 * never reaches the sink because only a complete spool is replayed. */
#include "market/fetch.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/record_io.h"
#include "util/config.h"
#include "util/fpset.h"
#include "util/log.h"
#include "util/tempfile.h"

enum task_state { T_WAIT, T_RUN, T_DONE };

struct task {
	const struct market_query *q;
	ob_time from, to;
	enum task_state state;
	FILE *spill;             /* T_DONE: the window's records */
	struct task *next;       /* output order */
};

struct run;

struct account_run {
	struct market *m;
	struct task *head, *tail; /* windows not yet in the spool, in output order */
	int running;
	int failed;
	bool spooled;            /* every window is in the spool */
	bool replayed;
	FILE *spool;
	struct fpset seen;
	struct fetch_result *res;
	pthread_t *threads;
	int nthreads;
	int lookahead;
	struct run *run;
};

struct run {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct fetch_opts *o;
	struct http_pool *pool;
	long done_windows, total_windows;
	bool abort;              /* the sink failed: stop every account */
};

int fetch_split_windows(const struct market_query *q, ob_time from, ob_time to, ob_time now,
			ob_time *starts, ob_time *ends, int max)
{
	ob_time align = q->align > 0 ? q->align : 1;
	ob_time span = q->max_window - q->max_window % align;
	if (span <= 0)
		span = align;
	if (q->until_now && to > now)
		to = now;
	/* Align the start down and the end up (KST days for day-based queries). */
	ob_time a = from - ((from + KST_OFFSET) % align + align) % align;
	int n = 0;
	while (a < to) {
		ob_time b = a + span;
		if (b > to) {
			ob_time rem = ((to + KST_OFFSET) % align + align) % align;
			b = rem ? to - rem + align : to;
			if (q->until_now && b > now)
				b = now;
		}
		if (n >= max)
			return -1;
		starts[n] = a;
		ends[n] = b;
		n++;
		a = b;
	}
	return n;
}

/* The split point of a window that hit the row cap. Halving in time wastes a
 * request per level when the rows crowd into one day (a month-end burst); the
 * rows the capped answer did give show where they are, so the window is cut
 * at their median time when that is inside it. The answer may be any 3,000
 * of the window's rows: a poor cut costs one more split, never a row, as
 * each half is checked against the cap again. */
static int cmp_time(const void *a, const void *b)
{
	ob_time x = *(const ob_time *)a, y = *(const ob_time *)b;
	return x < y ? -1 : x > y;
}

ob_time fetch_split_point(ob_time from, ob_time to, ob_time align, ob_time *times, size_t n)
{
	if (align <= 0)
		align = 1;
	ob_time mid = from + (to - from) / 2;
	if (n >= 16) {
		qsort(times, n, sizeof *times, cmp_time);
		ob_time med = times[n / 2];
		ob_time cut = med - ((med + KST_OFFSET) % align + align) % align;
		if (cut <= from)
			cut = med - ((med + KST_OFFSET) % align + align) % align + align;
		if (cut > from && cut < to)
			return cut;
	}
	mid -= ((mid + KST_OFFSET) % align + align) % align;
	return mid;
}

struct spill_sink {
	struct record_sink base;
	FILE *f;
	/* Row times inside the window, for fetch_split_point (capped queries). */
	ob_time from, to;
	ob_time *times;
	size_t ntimes, cap;
	bool want_times;
};

static void note_time(struct spill_sink *s, const struct record *r)
{
	static const enum field_id candidates[] = { F_PAID_AT, F_ORDERED_AT, F_REQUESTED_AT };
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		ob_time t;
		if (!record_has(r, candidates[i]) || kst_parse(record_get(r, candidates[i]), &t) < 0)
			continue;
		if (t < s->from || t >= s->to)
			continue;
		if (s->ntimes == s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 1024;
			ob_time *p = realloc(s->times, nc * sizeof *p);
			if (!p)
				return; /* only the cut gets worse */
			s->times = p;
			s->cap = nc;
		}
		s->times[s->ntimes++] = t;
		return;
	}
}

static int spill_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	struct spill_sink *ss = (struct spill_sink *)s;
	if (record_write(ss->f, r) < 0)
		return ob_errf(err, OB_EIO, "cannot write a temporary file: %s", strerror(errno));
	if (ss->want_times)
		note_time(ss, r);
	return OB_OK;
}

static struct task *task_new(const struct market_query *q, ob_time from, ob_time to)
{
	struct task *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->q = q;
	t->from = from;
	t->to = to;
	return t;
}

/* Caller holds run->mu. */
static void fail_account(struct account_run *ar, const struct ob_err *e)
{
	if (!ar->failed) {
		ar->failed = 1;
		ar->res->status = e->code ? e->code : OB_EIO;
		snprintf(ar->res->error, sizeof ar->res->error, "%s", e->msg);
	}
}

/* The earliest waiting window within the lookahead, or NULL. Caller holds
 * run->mu. *any_waiting tells whether some window still waits at all. */
static struct task *next_task(struct account_run *ar, bool *any_waiting)
{
	int pos = 0;
	*any_waiting = false;
	for (struct task *t = ar->head; t; t = t->next, pos++) {
		if (t->state != T_WAIT)
			continue;
		*any_waiting = true;
		return pos < ar->lookahead ? t : NULL;
	}
	return NULL;
}

/* Runs one window into t->spill; returns fetch_window's code. */
static int run_task(struct account_run *ar, struct http_client *client, struct task *t, struct spill_sink *sink,
		    struct ob_err *err)
{
	struct market_base *mb = market_base(ar->m);
	sink->f = temp_stream(err);
	if (!sink->f)
		return err->code;
	sink->from = t->from;
	sink->to = t->to;
	sink->ntimes = 0;
	sink->want_times = t->q->row_cap > 0;
	int rc = mb->ops->fetch_window(ar->m, client, t->q, t->from, t->to, &sink->base, err);
	if (rc == OB_OK && fflush(sink->f) != 0)
		rc = ob_errf(err, OB_EIO, "cannot write a temporary file: %s", strerror(errno));
	return rc;
}

static void *worker(void *arg)
{
	struct account_run *ar = arg;
	struct run *run = ar->run;
	struct market_base *mb = market_base(ar->m);
	struct http_client *client = NULL;
	struct ob_err err = OB_ERR_INIT;
	struct spill_sink sink = { { spill_put }, NULL, 0, 0, NULL, 0, 0, false };
	int crc = http_client_new(run->pool, &client, &err);
	pthread_mutex_lock(&run->mu);
	if (crc != OB_OK)
		fail_account(ar, &err);
	for (;;) {
		bool waiting = false;
		struct task *t = NULL;
		while (!ar->failed && !run->abort && !(t = next_task(ar, &waiting)) && (waiting || ar->running > 0))
			pthread_cond_wait(&run->cv, &run->mu);
		if (!t || ar->failed || run->abort)
			break;
		t->state = T_RUN;
		ar->running++;
		pthread_mutex_unlock(&run->mu);

		ob_err_clear(&err);
		int rc = run_task(ar, client, t, &sink, &err);

		pthread_mutex_lock(&run->mu);
		ar->running--;
		run->done_windows++;
		ar->res->windows++;
		if (rc == OB_OK) {
			t->spill = sink.f;
			t->state = T_DONE;
		} else {
			if (sink.f)
				fclose(sink.f);
			if (rc == OB_TRUNCATED) {
				ob_time cut = fetch_split_point(t->from, t->to, t->q->align, sink.times, sink.ntimes);
				struct task *half = cut > t->from && cut < t->to ? task_new(t->q, cut, t->to) : NULL;
				if (!half) {
					char a[KST_TEXT_LEN], b[KST_TEXT_LEN];
					kst_format(t->from, a);
					kst_format(t->to, b);
					if (cut > t->from && cut < t->to)
						ob_err_nomem(&err);
					else
						ob_errf(&err, OB_ENET,
							"%s %s: the window %s to %s returned %d rows, the most the market "
							"gives, and cannot be split further; some rows may be missing",
							mb->who, t->q->name, a, b, t->q->row_cap);
					fail_account(ar, &err);
				} else {
					/* The window becomes its first part, the second follows it. */
					t->to = cut;
					t->state = T_WAIT;
					half->next = t->next;
					t->next = half;
					if (ar->tail == t)
						ar->tail = half;
					ar->res->bisections++;
					run->total_windows++;
					ob_info("%s %s: window hit the %d-row cap; splitting it in two", mb->who,
						t->q->name, t->q->row_cap);
				}
			} else {
				fail_account(ar, &err);
			}
		}
		sink.f = NULL;
		pthread_cond_broadcast(&run->cv);
	}
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	free(sink.times);
	http_client_free(client);
	return NULL;
}

bool fetch_query_wanted(const struct market_query *q, const struct fetch_opts *o)
{
	if (!(q->sheets & o->sheets))
		return false;
	/* A query of order statuses nobody asked for is skipped, unless it also
	 * feeds the claims sheet. */
	if (q->order_statuses && o->order_statuses && !(q->order_statuses & o->order_statuses) &&
	    !(q->sheets & o->sheets & (1u << SHEET_CLAIMS)))
		return false;
	return true;
}

static unsigned status_bit_of(const struct record *r)
{
	if (r->sheet == SHEET_CLAIMS) {
		int s = claim_status_parse(record_get(r, F_CLAIM_STATUS));
		return s > 0 ? 1u << s : 0;
	}
	int s = order_status_parse(record_get(r, F_STATUS));
	return s > 0 ? 1u << s : 0;
}

bool fetch_record_wanted(const struct fetch_opts *o, const struct record *r)
{
	if (r->sheet >= 3 || !(o->sheets & (1u << r->sheet)))
		return false;
	unsigned want = r->sheet == SHEET_CLAIMS ? o->claim_statuses : o->order_statuses;
	return !want || (want & status_bit_of(r));
}

/* Scratch of the consumer (the calling thread). */
struct consumer {
	struct record rec;
	struct buf key, scratch;
};

/* Appends a finished window's wanted, first-seen records to the account's
 * spool. Runs without the lock: the window is off the list. */
static int spool_task(struct account_run *ar, struct task *t, const struct fetch_opts *o, struct consumer *c,
		      struct ob_err *err)
{
	if (fseek(t->spill, 0, SEEK_SET) != 0)
		return ob_errf(err, OB_EIO, "cannot read a temporary file: %s", strerror(errno));
	int got;
	while ((got = record_read(t->spill, &c->rec, &c->scratch)) == 1) {
		const struct record *r = &c->rec;
		if (!fetch_record_wanted(o, r))
			continue;
		buf_reset(&c->key);
		/* A line is its order, line, bundle and claim: the same option may sit
		 * in two boxes of one order. */
		if (buf_printf(&c->key, "%d|%s|%s|%s|%s|%s", r->sheet, record_get(r, F_ORDER_NO),
			       record_get(r, F_LINE_NO), record_get(r, F_BUNDLE_NO), record_get(r, F_CLAIM_ID),
			       record_get(r, F_CLAIM_TYPE)) < 0)
			return ob_err_nomem(err);
		int added = fpset_add(&ar->seen, fp_of(c->key.data, c->key.len));
		if (added < 0)
			return ob_err_nomem(err);
		if (!added) {
			ar->res->duplicates++;
			continue;
		}
		if (!ar->spool && !(ar->spool = temp_stream(err)))
			return err->code;
		if (record_write(ar->spool, r) < 0)
			return ob_errf(err, OB_EIO, "cannot write a temporary file: %s", strerror(errno));
		ar->res->rows[r->sheet]++;
	}
	if (got < 0)
		return ob_errf(err, OB_EIO, "cannot read back a temporary file (damaged or out of memory)");
	return OB_OK;
}

/* Hands a complete account's spool to the sink. */
static int replay(struct account_run *ar, struct record_sink *out, struct consumer *c, struct ob_err *err)
{
	if (!ar->spool)
		return OB_OK;
	if (fflush(ar->spool) != 0 || fseek(ar->spool, 0, SEEK_SET) != 0)
		return ob_errf(err, OB_EIO, "cannot read a temporary file: %s", strerror(errno));
	int got;
	while ((got = record_read(ar->spool, &c->rec, &c->scratch)) == 1) {
		int rc = out->put(out, &c->rec, err);
		if (rc != OB_OK)
			return rc;
	}
	if (got < 0)
		return ob_errf(err, OB_EIO, "cannot read back a temporary file (damaged or out of memory)");
	return OB_OK;
}

static void progress(struct run *run, int final)
{
	if (!run->o->progress)
		return;
	fprintf(stderr, "\rfetching: %ld/%ld windows%s", run->done_windows, run->total_windows,
		final ? "\n" : "");
	fflush(stderr);
}

static void free_tasks(struct account_run *ar)
{
	for (struct task *t = ar->head; t;) {
		struct task *nx = t->next;
		if (t->spill)
			fclose(t->spill);
		free(t);
		t = nx;
	}
	ar->head = ar->tail = NULL;
}

/* Lays out an account's windows (caller holds run->mu). */
static int plan_account(struct account_run *ar, const struct fetch_opts *o, ob_time now, struct ob_err *err)
{
	struct market_base *mb = market_base(ar->m);
	const struct market_ops *ops = mb->ops;
	for (size_t qi = 0; qi < ops->nqueries; qi++) {
		const struct market_query *q = &ops->queries[qi];
		if (!fetch_query_wanted(q, o))
			continue;
		ob_time from = o->start_for ? o->start_for(o->start_ctx, mb->acct->id, q, o->from) : o->from;
		ob_time starts[512], ends[512];
		int nw = fetch_split_windows(q, from, o->to, now, starts, ends, 512);
		if (nw < 0)
			return ob_errf(err, OB_EUSAGE, "the date range is too long for %s (%s); use a shorter --from/--to",
				       mb->who, q->name);
		for (int w = 0; w < nw; w++) {
			struct task *t = task_new(q, starts[w], ends[w]);
			if (!t)
				return ob_err_nomem(err);
			if (ar->tail)
				ar->tail->next = t;
			else
				ar->head = t;
			ar->tail = t;
			ar->run->total_windows++;
		}
	}
	return OB_OK;
}

int fetch_run(struct market **markets, size_t n, struct http_pool *pool, const struct fetch_opts *o,
	      struct record_sink *out, struct fetch_result *results, struct ob_err *err)
{
	struct run run;
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	run.pool = pool;
	run.o = o;
	run.done_windows = run.total_windows = 0;
	run.abort = false;
	struct account_run *ars = calloc(n ? n : 1, sizeof *ars);
	if (!ars)
		return ob_err_nomem(err);
	struct consumer c = { .key = BUF_INIT, .scratch = BUF_INIT };
	record_init(&c.rec, SHEET_ORDERS);
	ob_time now = kst_now();
	int rc = OB_OK;

	pthread_mutex_lock(&run.mu);
	for (size_t i = 0; i < n && rc == OB_OK; i++) {
		struct account_run *ar = &ars[i];
		memset(&results[i], 0, sizeof results[i]);
		ar->m = markets[i];
		ar->res = &results[i];
		ar->run = &run;
		ar->seen = (struct fpset)FPSET_INIT;
		rc = plan_account(ar, o, now, err);
	}
	if (rc != OB_OK) {
		pthread_mutex_unlock(&run.mu);
		goto out;
	}
	/* Start the workers. */
	for (size_t i = 0; i < n; i++) {
		struct account_run *ar = &ars[i];
		const struct account *acct = market_base(ar->m)->acct;
		int jobs = acct->jobs > 0 ? acct->jobs : 1;
		int ntasks = 0;
		for (struct task *t = ar->head; t && ntasks < jobs; t = t->next)
			ntasks++;
		/* Capped windows split into more: one worker at least. */
		if (jobs > ntasks)
			jobs = ntasks > 0 ? ntasks : 1;
		/* Windows done ahead of the head wait in temp files (one descriptor
		 * each): enough to keep every worker busy behind a slow window, few
		 * enough that a dozen accounts stay far below 1024 descriptors. */
		ar->lookahead = 8 * jobs < 16 ? 16 : 8 * jobs > 64 ? 64 : 8 * jobs;
		if (!ar->head)
			continue;
		ar->threads = calloc((size_t)jobs, sizeof *ar->threads);
		if (!ar->threads) {
			struct ob_err e;
			ob_err_nomem(&e);
			fail_account(ar, &e);
			continue;
		}
		for (int j = 0; j < jobs; j++) {
			if (pthread_create(&ar->threads[j], NULL, worker, ar) != 0) {
				struct ob_err e;
				ob_errf(&e, OB_EIO, "cannot start a thread");
				fail_account(ar, &e);
				break;
			}
			ar->nthreads++;
		}
	}
	/* The consumer: spool finished head windows, replay complete accounts in
	 * order, until every account is out or failed. */
	size_t next = 0;
	while (next < n && !run.abort) {
		bool did = false;
		progress(&run, 0);
		for (size_t i = next; i < n; i++) {
			struct account_run *ar = &ars[i];
			while (!ar->failed && !run.abort && ar->head && ar->head->state == T_DONE) {
				struct task *t = ar->head;
				ar->head = t->next;
				if (!ar->head)
					ar->tail = NULL;
				/* The lookahead moved on: workers may start more. */
				pthread_cond_broadcast(&run.cv);
				pthread_mutex_unlock(&run.mu);
				struct ob_err e = OB_ERR_INIT;
				int src = spool_task(ar, t, o, &c, &e);
				fclose(t->spill);
				free(t);
				pthread_mutex_lock(&run.mu);
				if (src != OB_OK)
					fail_account(ar, &e);
				did = true;
			}
			if (!ar->failed && !ar->head)
				ar->spooled = true;
		}
		while (next < n && !run.abort) {
			struct account_run *ar = &ars[next];
			if (ar->failed) {
				next++;
				continue;
			}
			if (!ar->spooled)
				break;
			pthread_mutex_unlock(&run.mu);
			int rrc = replay(ar, out, &c, err);
			pthread_mutex_lock(&run.mu);
			if (rrc != OB_OK) {
				rc = rrc;
				run.abort = true;
				pthread_cond_broadcast(&run.cv);
			}
			if (ar->spool) {
				fclose(ar->spool);
				ar->spool = NULL;
			}
			fpset_free(&ar->seen);
			ar->replayed = true;
			next++;
			did = true;
		}
		if (!did && next < n && !run.abort)
			pthread_cond_wait(&run.cv, &run.mu);
	}
	progress(&run, 1);
	pthread_mutex_unlock(&run.mu);
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < ars[i].nthreads; j++)
			pthread_join(ars[i].threads[j], NULL);
	if (rc == OB_OK)
		for (size_t i = 0; i < n; i++)
			if (ars[i].failed) {
				rc = ob_errf(err, ars[i].res->status, "%s", ars[i].res->error);
				break;
			}
out:
	for (size_t i = 0; i < n; i++) {
		struct account_run *ar = &ars[i];
		free_tasks(ar);
		if (ar->spool)
			fclose(ar->spool);
		fpset_free(&ar->seen);
		free(ar->threads);
	}
	free(ars);
	record_free(&c.rec);
	buf_free(&c.key);
	buf_free(&c.scratch);
	pthread_cond_destroy(&run.cv);
	pthread_mutex_destroy(&run.mu);
	return rc;
}
