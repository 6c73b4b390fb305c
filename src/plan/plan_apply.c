/* Executing a plan: one thread per market account, batches of an account in
 * order, the journal written around every market call (see plan.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_int.h"
#include "util/log.h"
#include "util/str.h"

struct apply_ctx {
	struct plan *p;
	struct store *s;
	struct http_pool *pool;
	pthread_mutex_t *store_mu;
	size_t account;
	int status;
	char error[1024];
};

static enum journal_state final_state(const struct plan_item *it)
{
	if (it->result == RES_OK || it->result == RES_SKIPPED)
		return JS_OK;
	if (it->outcome_unknown)
		return JS_UNKNOWN;
	return JS_FAILED;
}

/* recs: the batch's records, keys: their idempotency keys. */
static int journal_batch(struct apply_ctx *ax, const struct plan_batch *b, struct record *recs, char (*keys)[72],
			 bool before, struct ob_err *err)
{
	pthread_mutex_lock(ax->store_mu);
	int rc = store_begin(ax->s, err);
	for (size_t k = 0; k < b->n && rc == OB_OK; k++) {
		const struct plan_item *it = &ax->p->items[b->items[k]];
		const char *act = action_word((enum action)it->action);
		const char *msg = plan_item_message(it);
		if (before)
			rc = store_journal_set(ax->s, keys[k], &recs[k], act, JS_SENT, "", "", "", err);
		else
			rc = store_journal_set(ax->s, keys[k], &recs[k], act, final_state(it),
					       result_word((enum result)it->result), msg, plan_item_market_code(it), err);
		if (rc == OB_OK && !before) {
			char what[640];
			snprintf(what, sizeof what, "%s %s: %.600s", act, result_word((enum result)it->result), msg);
			rc = store_add_event(ax->s, &recs[k], "import", kst_now(), "action", "", what, err);
		}
	}
	if (rc == OB_OK)
		rc = store_commit(ax->s, err);
	else
		store_rollback(ax->s);
	pthread_mutex_unlock(ax->store_mu);
	return rc;
}

static void *apply_account(void *arg)
{
	struct apply_ctx *ax = arg;
	struct plan *p = ax->p;
	const struct account *acct = p->accounts[ax->account];
	struct ob_err err = OB_ERR_INIT;
	struct market *m = NULL;
	struct http_client *client = NULL;
	struct action_item *items = NULL;
	struct record *recs = NULL;
	char (*keys)[72] = NULL;
	size_t nrecs = 0;
	int rc = market_open(acct, ax->pool, &m, &err);
	if (rc == OB_OK)
		rc = http_client_new(ax->pool, &client, &err);
	size_t done = 0, total = 0;
	for (size_t b = 0; b < p->nbatches; b++)
		total += p->batches[b].account == ax->account;
	for (size_t b = 0; b < p->nbatches && rc == OB_OK; b++) {
		struct plan_batch *pb = &p->batches[b];
		if (pb->account != ax->account)
			continue;
		free(items);
		free(keys);
		for (size_t k = 0; k < nrecs; k++)
			record_free(&recs[k]);
		free(recs);
		nrecs = 0;
		items = calloc(pb->n, sizeof *items);
		recs = calloc(pb->n, sizeof *recs);
		keys = calloc(pb->n, sizeof *keys);
		if (!items || !recs || !keys) {
			rc = ob_err_nomem(&err);
			break;
		}
		/* The rows themselves: the plan keeps them aside (plan_load_records). */
		for (size_t k = 0; k < pb->n && rc == OB_OK; k++) {
			struct plan_item *it = &p->items[pb->items[k]];
			rc = plan_get_record(p, pb->items[k], &recs[k], &err);
			nrecs = k + 1;
			if (rc == OB_OK && plan_key(it->acct, (enum action)it->action, it->courier_code, &recs[k], keys[k]) < 0)
				rc = ob_err_nomem(&err);
			items[k].rec = &recs[k];
			items[k].courier_code = it->courier_code;
			items[k].prior = it->prior;
		}
		if (rc != OB_OK)
			break;
		struct action_batch ab = { pb->action, pb->sheet, items, pb->n };
		/* On disk before the call: a crash after sending leaves "sent". */
		rc = journal_batch(ax, pb, recs, keys, true, &err);
		if (rc != OB_OK)
			break;
		ob_info("%s %s: call %zu of %zu (%zu rows)", acct->id, action_word(pb->action), ++done, total, pb->n);
		int prc = market_base(m)->ops->perform(m, client, &ab, &err);
		for (size_t k = 0; k < pb->n; k++) {
			struct plan_item *it = &p->items[pb->items[k]];
			if (items[k].result == RES_NONE) {
				/* The adapter gave no answer for it: we cannot know. */
				items[k].result = RES_FAILED;
				items[k].outcome_unknown = true;
				str_copy(items[k].message, sizeof items[k].message,
					 prc != OB_OK ? err.msg : "no answer for this row");
			}
			it->result = (uint8_t)items[k].result;
			it->address_changed = items[k].address_changed;
			it->outcome_unknown = items[k].outcome_unknown;
			plan_set_message(p, it, items[k].market_code, "%s%s", items[k].message, it->outcome_unknown ?
					 " (the market may or may not have done it: run the same import again to check and finish)" :
					 "");
		}
		int jrc = journal_batch(ax, pb, recs, keys, false, &err);
		if (jrc != OB_OK) {
			rc = jrc;
			break;
		}
		if (prc == OB_ENET) {
			/* The market is unreachable: stop sending to it; what was not sent
			 * stays unsent and is tried again next time. */
			rc = prc;
			break;
		}
	}
	if (rc != OB_OK) {
		ax->status = rc;
		snprintf(ax->error, sizeof ax->error, "%s", err.msg);
		for (size_t b = 0; b < p->nbatches; b++) {
			if (p->batches[b].account != ax->account)
				continue;
			for (size_t k = 0; k < p->batches[b].n; k++) {
				struct plan_item *it = &p->items[p->batches[b].items[k]];
				if (it->result == RES_NONE) {
					it->result = RES_FAILED;
					plan_set_message(p, it, NULL, "not sent: %.480s", err.msg);
				}
			}
		}
	}
	free(items);
	free(keys);
	for (size_t k = 0; k < nrecs; k++)
		record_free(&recs[k]);
	free(recs);
	http_client_free(client);
	market_close(m);
	return NULL;
}

int plan_apply(struct plan *p, struct store *s, struct http_pool *pool, struct ob_err *err)
{
	if (!p->naccounts)
		return OB_OK;
	/* Every record in place before the threads read them. */
	int lrc = plan_load_records(p, err);
	if (lrc != OB_OK)
		return lrc;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct apply_ctx *ctx = calloc(p->naccounts, sizeof *ctx);
	pthread_t *th = calloc(p->naccounts, sizeof *th);
	bool *started = calloc(p->naccounts, sizeof *started);
	if (!ctx || !th || !started) {
		free(ctx);
		free(th);
		free(started);
		return ob_err_nomem(err);
	}
	for (size_t a = 0; a < p->naccounts; a++) {
		ctx[a] = (struct apply_ctx){ p, s, pool, &mu, a, OB_OK, "" };
		started[a] = pthread_create(&th[a], NULL, apply_account, &ctx[a]) == 0;
		if (!started[a])
			apply_account(&ctx[a]); /* no thread: run it here */
	}
	int rc = OB_OK;
	for (size_t a = 0; a < p->naccounts; a++) {
		if (started[a])
			pthread_join(th[a], NULL);
		if (ctx[a].status != OB_OK && rc == OB_OK)
			rc = ob_errf(err, ctx[a].status, "%s", ctx[a].error);
	}
	free(ctx);
	free(th);
	free(started);
	if (rc == OB_OK && p->oom)
		rc = ob_err_nomem(err);
	return rc;
}
