/* The export driver (see fetch.h). Work is a tree of window tasks per account:
 * a task that comes back OB_TRUNCATED gets two children (its halves) and its own
 * rows are dropped; the emitter walks each account's tree in order once every
 * task of the account is done. */
#include "market/fetch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/record_list.h"
#include "util/config.h"
#include "util/log.h"
#include "util/strset.h"

struct task {
	const struct market_query *q;
	ob_time from, to;
	struct record_list rows;
	struct task *child[2];
	struct task *next_free; /* all tasks of an account, for freeing */
	struct task *queue_next;
};

struct account_run {
	struct market *m;
	struct task *roots;     /* array */
	size_t nroots;
	struct task *all;       /* every task ever made */
	struct task *queue;     /* tasks waiting for a worker */
	int pending;            /* queued or running */
	int failed;
	struct fetch_result *res;
	pthread_t *threads;
	int nthreads;
	struct run *run;
};

struct run {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct http_pool *pool;
	const struct fetch_opts *o;
	long done_windows, total_windows;
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

struct collect_sink {
	struct record_sink base;
	struct record_list *rows;
};

static int collect_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	struct collect_sink *c = (struct collect_sink *)s;
	if (record_list_push(c->rows, r) < 0)
		return ob_err_nomem(err);
	return OB_OK;
}

static struct task *task_new(struct account_run *ar, const struct market_query *q, ob_time from, ob_time to)
{
	struct task *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->q = q;
	t->from = from;
	t->to = to;
	t->next_free = ar->all;
	ar->all = t;
	return t;
}

/* Caller holds run->mu. */
static void enqueue(struct account_run *ar, struct task *t)
{
	t->queue_next = ar->queue;
	ar->queue = t;
	ar->pending++;
	ar->run->total_windows++;
}

static void fail_account(struct account_run *ar, const struct ob_err *e)
{
	if (!ar->failed) {
		ar->failed = 1;
		ar->res->status = e->code ? e->code : OB_EIO;
		snprintf(ar->res->error, sizeof ar->res->error, "%s", e->msg);
	}
}

static void *worker(void *arg)
{
	struct account_run *ar = arg;
	struct run *run = ar->run;
	struct market_base *mb = market_base(ar->m);
	struct http_client *client = NULL;
	struct ob_err err = OB_ERR_INIT;
	if (http_client_new(run->pool, &client, &err) != OB_OK) {
		pthread_mutex_lock(&run->mu);
		fail_account(ar, &err);
		pthread_mutex_unlock(&run->mu);
	}
	pthread_mutex_lock(&run->mu);
	for (;;) {
		while (!ar->queue && ar->pending > 0 && !ar->failed)
			pthread_cond_wait(&run->cv, &run->mu);
		if (ar->failed || !ar->queue || !client) {
			/* Drain: nothing more to do for this account. */
			if (ar->failed) {
				while (ar->queue) {
					ar->queue = ar->queue->queue_next;
					ar->pending--;
				}
			}
			if (!ar->queue)
				break;
		}
		struct task *t = ar->queue;
		ar->queue = t->queue_next;
		pthread_mutex_unlock(&run->mu);

		struct collect_sink sink = { { collect_put }, &t->rows };
		ob_err_clear(&err);
		int rc = mb->ops->fetch_window(ar->m, client, t->q, t->from, t->to, &sink.base, &err);

		pthread_mutex_lock(&run->mu);
		if (rc == OB_TRUNCATED) {
			record_list_clear(&t->rows);
			ob_time align = t->q->align > 0 ? t->q->align : 1;
			ob_time mid = t->from + (t->to - t->from) / 2;
			mid -= ((mid + KST_OFFSET) % align + align) % align;
			if (mid <= t->from || mid >= t->to) {
				char a[KST_TEXT_LEN], b[KST_TEXT_LEN];
				kst_format(t->from, a);
				kst_format(t->to, b);
				ob_errf(&err, OB_ENET,
					"%s %s: the window %s to %s returned %d rows, the most the market gives, and "
					"cannot be split further; some rows may be missing",
					mb->who, t->q->name, a, b, t->q->row_cap);
				fail_account(ar, &err);
			} else {
				t->child[0] = task_new(ar, t->q, t->from, mid);
				t->child[1] = task_new(ar, t->q, mid, t->to);
				if (!t->child[0] || !t->child[1]) {
					ob_err_nomem(&err);
					fail_account(ar, &err);
				} else {
					ar->res->bisections++;
					ob_info("%s %s: window hit the %d-row cap; splitting it in two", mb->who,
						t->q->name, t->q->row_cap);
					enqueue(ar, t->child[1]);
					enqueue(ar, t->child[0]);
				}
			}
		} else if (rc != OB_OK) {
			fail_account(ar, &err);
		}
		ar->pending--;
		run->done_windows++;
		ar->res->windows++;
		pthread_cond_broadcast(&run->cv);
	}
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
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

static int emit_task(struct account_run *ar, struct task *t, const struct fetch_opts *o, struct strset *seen,
		     struct record_sink *out, struct buf *key, struct ob_err *err)
{
	if (t->child[0]) {
		int rc = emit_task(ar, t->child[0], o, seen, out, key, err);
		return rc ? rc : emit_task(ar, t->child[1], o, seen, out, key, err);
	}
	for (size_t i = 0; i < t->rows.n; i++) {
		const struct record *r = &t->rows.items[i];
		if (!(o->sheets & (1u << r->sheet)))
			continue;
		unsigned want = r->sheet == SHEET_CLAIMS ? o->claim_statuses : o->order_statuses;
		if (want && !(want & status_bit_of(r)))
			continue;
		buf_reset(key);
		/* A line is its order, line, bundle and claim: the same option may sit
		 * in two boxes of one order. */
		if (buf_printf(key, "%d|%s|%s|%s|%s|%s", r->sheet, record_get(r, F_ORDER_NO),
			       record_get(r, F_LINE_NO), record_get(r, F_BUNDLE_NO), record_get(r, F_CLAIM_ID),
			       record_get(r, F_CLAIM_TYPE)) < 0)
			return ob_err_nomem(err);
		int added = strset_add(seen, key->data);
		if (added < 0)
			return ob_err_nomem(err);
		if (!added) {
			ar->res->duplicates++;
			continue;
		}
		int rc = out->put(out, r, err);
		if (rc != OB_OK)
			return rc;
		ar->res->rows[r->sheet]++;
	}
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

int fetch_run(struct market **markets, size_t n, struct http_pool *pool, const struct fetch_opts *o,
	      struct record_sink *out, struct fetch_result *results, struct ob_err *err)
{
	struct run run;
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	run.pool = pool;
	run.o = o;
	run.done_windows = run.total_windows = 0;
	struct account_run *ars = calloc(n ? n : 1, sizeof *ars);
	if (!ars)
		return ob_err_nomem(err);
	ob_time now = kst_now();
	int rc = OB_OK;

	/* Plan every account's windows. */
	pthread_mutex_lock(&run.mu);
	for (size_t i = 0; i < n; i++) {
		struct account_run *ar = &ars[i];
		struct market_base *mb = market_base(markets[i]);
		memset(&results[i], 0, sizeof results[i]);
		ar->m = markets[i];
		ar->res = &results[i];
		ar->run = &run;
		const struct market_ops *ops = mb->ops;
		for (size_t qi = 0; qi < ops->nqueries && !ar->failed; qi++) {
			const struct market_query *q = &ops->queries[qi];
			if (!fetch_query_wanted(q, o))
				continue;
			ob_time from = o->start_for ? o->start_for(o->start_ctx, mb->acct->id, q, o->from) : o->from;
			ob_time starts[512], ends[512];
			int nw = fetch_split_windows(q, from, o->to, now, starts, ends, 512);
			if (nw < 0) {
				pthread_mutex_unlock(&run.mu);
				rc = ob_errf(err, OB_EUSAGE, "the date range is too long for %s (%s); use a shorter --from/--to",
					     mb->who, q->name);
				goto out;
			}
			struct task *grown = realloc(ar->roots, (ar->nroots + (size_t)nw + 1) * sizeof *grown);
			if (!grown) {
				pthread_mutex_unlock(&run.mu);
				rc = ob_err_nomem(err);
				goto out;
			}
			ar->roots = grown;
			for (int w = 0; w < nw; w++) {
				struct task *t = &ar->roots[ar->nroots++];
				memset(t, 0, sizeof *t);
				t->q = q;
				t->from = starts[w];
				t->to = ends[w];
			}
		}
		/* Queue in reverse so workers start with the earliest windows. */
		for (size_t k = ar->nroots; k-- > 0;)
			enqueue(ar, &ar->roots[k]);
	}
	/* Start the workers. */
	for (size_t i = 0; i < n; i++) {
		struct account_run *ar = &ars[i];
		const struct account *acct = market_base(ar->m)->acct;
		int jobs = acct->jobs > 0 ? acct->jobs : 1;
		if (jobs > ar->pending)
			jobs = ar->pending > 0 ? ar->pending : 0;
		ar->threads = calloc((size_t)(jobs ? jobs : 1), sizeof *ar->threads);
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
		if (ar->nthreads == 0) {
			/* No worker will drain the queue. */
			ar->queue = NULL;
			ar->pending = 0;
		}
	}
	/* Wait for everything, updating progress. */
	for (;;) {
		int busy = 0;
		for (size_t i = 0; i < n; i++)
			busy += ars[i].pending > 0;
		if (!busy)
			break;
		progress(&run, 0);
		pthread_cond_wait(&run.cv, &run.mu);
	}
	progress(&run, 1);
	pthread_mutex_unlock(&run.mu);
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < ars[i].nthreads; j++)
			pthread_join(ars[i].threads[j], NULL);

	/* Emit in order. */
	struct buf key = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct account_run *ar = &ars[i];
		if (ar->failed) {
			if (rc == OB_OK)
				rc = ob_errf(err, ar->res->status, "%s", ar->res->error);
			continue;
		}
		struct strset seen = STRSET_INIT;
		for (size_t k = 0; k < ar->nroots && rc == OB_OK; k++) {
			int e = emit_task(ar, &ar->roots[k], o, &seen, out, &key, err);
			if (e != OB_OK)
				rc = e;
		}
		strset_free(&seen);
	}
	buf_free(&key);
out:
	for (size_t i = 0; i < n; i++) {
		struct account_run *ar = &ars[i];
		for (size_t k = 0; k < ar->nroots; k++)
			record_list_clear(&ar->roots[k].rows);
		free(ar->roots);
		for (struct task *t = ar->all; t;) {
			struct task *nx = t->next_free;
			record_list_clear(&t->rows);
			free(t);
			t = nx;
		}
		free(ar->threads);
	}
	free(ars);
	pthread_cond_destroy(&run.cv);
	pthread_mutex_destroy(&run.mu);
	return rc;
}
