/* Recorded answers -> records (see replay.h). Workers take the files in
 * order, each converts one whole file into an in-memory spool (record_pack's
 * form) and marks its slot done; the calling thread
 * hands the spools to the sink strictly in file order. A worker does not run
 * more than AHEAD files past the one being handed on, so memory stays at a
 * few files' records per thread. */
#include "market/replay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/record_io.h"
#include "util/config.h"
#include "util/json.h"
#include "util/json_alloc.h"
#include "util/str.h"

#define ANSWER_MAX (64u * 1024 * 1024) /* far beyond any page a market sends */
#define AHEAD 4                        /* files per thread past the one handed on */
#define JOBS_MAX 64

struct task {
	size_t account;
	char *path, *name;
	/* Set by the worker (under the lock): */
	bool done;
	int rc;
	char *msg;               /* when rc != OB_OK (NULL: no memory for it) */
	struct buf spool;        /* records, record_pack's form */
	long rows[3];
};

/* An account and the folder its answers are in. */
struct dump_account {
	struct account a;
	char folder[256];
};

struct run {
	struct dump_account *accts;
	struct task *tasks;
	size_t ntasks;
	const struct fetch_opts *want;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;             /* the next file a worker takes */
	size_t handed;           /* files handed to the sink */
	size_t window;           /* next may run this far past handed */
	bool stop;
};

int replay_json_data(const char *body, size_t len, const char *what,
		     int (*map)(const void *m, const cJSON *el, struct record_sink *sink, struct record *scratch,
				struct ob_err *err),
		     const void *m, struct record_sink *sink, struct ob_err *err)
{
	json_arena_begin(); /* the tree lives and dies in this function */
	cJSON *root = json_parse(body, len, err);
	if (!root) {
		json_arena_end();
		return err->code ? err->code : OB_EINVALID;
	}
	const cJSON *data = json_get(root, "data");
	int rc = OB_OK;
	if (!cJSON_IsArray(data)) {
		char code[32] = "-";
		const char *msg = json_str(root, "message");
		json_id(root, "code", code, sizeof code);
		rc = ob_errf(err, OB_EINVALID, "not an answer of %s: it has no \"data\" list (code %s: %.200s)", what,
			     *code ? code : "-", msg ? msg : "-");
	}
	struct record scratch;
	record_init(&scratch, SHEET_ORDERS);
	const cJSON *el;
	cJSON_ArrayForEach(el, data)
	{
		if (rc != OB_OK)
			break;
		rc = map(m, el, sink, &scratch, err);
	}
	record_free(&scratch);
	json_arena_drop(root);
	json_arena_end();
	return rc;
}

/* --------------------------------------------------------- the folders -- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir (no dot files) of regular files (dirs false) or folders
 * (dirs true), sorted. */
static int list_names(const char *dir, bool dirs, char ***out, size_t *n, struct ob_err *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return ob_errf(err, errno == ENOENT ? OB_EUSAGE : OB_EIO, "cannot read the folder %s: %s", dir,
			       strerror(errno));
	char **v = NULL;
	size_t cap = 0;
	int rc = OB_OK;
	struct dirent *e;
	while (rc == OB_OK && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct stat st;
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
		    stat(path, &st) != 0)
			continue;
		if (dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				rc = ob_err_nomem(err);
				break;
			}
			v = nv;
		}
		if (!(v[*n] = strdup(e->d_name)))
			rc = ob_err_nomem(err);
		else
			(*n)++;
	}
	closedir(d);
	if (rc != OB_OK) {
		for (size_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(v, *n, sizeof *v, cmp_str);
	*out = v;
	return OB_OK;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The account a folder name stands for ("coupang.main", or "coupang" for
 * its account main). */
static int folder_account(const char *dir, const char *folder, struct account *a, struct ob_err *err)
{
	const char *name;
	const struct market_ops *ops = market_of_account(folder, &name);
	if (!name)
		name = "main";
	if (!ops || !ops->replay || !*name || strlen(name) >= sizeof a->name) {
		char known[128];
		market_names(known, sizeof known, "", "");
		return ob_errf(err, OB_EUSAGE,
			       "%s/%s: a recorded-answers folder is named after its account, MARKET.ACCOUNT as in the "
			       "config file (MARKET one of %s), such as coupang.main; rename or remove it",
			       dir, folder, known);
	}
	memset(a, 0, sizeof *a);
	a->ops = ops;
	str_copy(a->name, sizeof a->name, name);
	snprintf(a->id, sizeof a->id, "%s.%s", ops->name, name);
	return OB_OK;
}

/* Output order of two accounts: market (registry order), then name. */
static int market_rank(const struct market_ops *ops)
{
	size_t n;
	const struct market_ops *const *all = market_all(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i] == ops)
			return (int)i;
	return (int)n;
}

static int cmp_account(const void *a, const void *b)
{
	const struct account *x = &((const struct dump_account *)a)->a, *y = &((const struct dump_account *)b)->a;
	int d = market_rank(x->ops) - market_rank(y->ops);
	return d ? d : strcmp(x->name, y->name);
}

/* --------------------------------------------------------- the workers -- */

static int read_whole(const char *path, char **out, size_t *len, struct ob_err *err)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ob_errf(err, OB_EIO, "cannot open: %s", strerror(errno));
	struct stat st;
	int rc = OB_OK;
	if (fstat(fd, &st) != 0)
		rc = ob_errf(err, OB_EIO, "cannot read: %s", strerror(errno));
	else if ((unsigned long long)st.st_size > ANSWER_MAX)
		rc = ob_errf(err, OB_EINVALID, "%lld bytes: larger than any answer of a market list (at most %u MiB)",
			     (long long)st.st_size, ANSWER_MAX >> 20);
	char *b = NULL;
	size_t n = 0, cap = rc == OB_OK ? (size_t)st.st_size + 1 : 0;
	if (rc == OB_OK && !(b = malloc(cap)))
		rc = ob_err_nomem(err);
	while (rc == OB_OK) {
		/* Full: one more byte would mean the file grew while read. */
		char extra;
		bool full = n + 1 == cap;
		ssize_t got = full ? read(fd, &extra, 1) : read(fd, b + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			rc = ob_errf(err, OB_EIO, "cannot read: %s", strerror(errno));
		else if (got == 0)
			break;
		else if (full)
			rc = ob_errf(err, OB_EINVALID, "the file changed while it was read; read it again once "
				     "it is written");
		else
			n += (size_t)got;
	}
	close(fd);
	if (rc != OB_OK) {
		free(b);
		return rc;
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return OB_OK;
}

struct spool_sink {
	struct record_sink base;
	struct buf *spool;
	const struct fetch_opts *want;
	long *rows;
};

static int spool_put(struct record_sink *s, const struct record *r, struct ob_err *err)
{
	struct spool_sink *ss = (struct spool_sink *)s;
	if (!fetch_record_wanted(ss->want, r))
		return OB_OK;
	ss->rows[r->sheet]++;
	return record_pack(ss->spool, r) < 0 ? ob_err_nomem(err) : OB_OK;
}

/* One file into t's spool. Runs without the lock: t is this worker's. */
static void convert(struct run *run, struct task *t)
{
	char *body = NULL;
	size_t len = 0;
	struct ob_err err = OB_ERR_INIT;
	int rc = read_whole(t->path, &body, &len, &err);
	if (rc == OB_OK) {
		const struct account *a = &run->accts[t->account].a;
		struct spool_sink sink = { { spool_put }, &t->spool, run->want, t->rows };
		rc = a->ops->replay(a, t->name, body, len, &sink.base, &err);
	}
	free(body);
	if (rc != OB_OK) {
		buf_free(&t->spool);
		t->msg = strdup(err.msg); /* one per run: the first failure stops it */
	}
	t->rc = rc;
}

static void *worker(void *arg)
{
	struct run *run = arg;
	pthread_mutex_lock(&run->mu);
	for (;;) {
		while (!run->stop && run->next < run->ntasks && run->next >= run->handed + run->window)
			pthread_cond_wait(&run->cv, &run->mu);
		if (run->stop || run->next >= run->ntasks)
			break;
		struct task *t = &run->tasks[run->next++];
		pthread_mutex_unlock(&run->mu);
		convert(run, t);
		pthread_mutex_lock(&run->mu);
		t->done = true;
		pthread_cond_broadcast(&run->cv);
	}
	pthread_mutex_unlock(&run->mu);
	return NULL;
}

/* Hands t's spool to the sink. */
static int hand_on(struct task *t, struct record_sink *sink, struct record *r, struct ob_err *err)
{
	const char *p = t->spool.data, *end = p + t->spool.len;
	int rc = OB_OK;
	while (rc == OB_OK && p < end)
		rc = record_unpack(&p, end, r) < 0 ? ob_err_nomem(err) : sink->put(sink, r, err);
	return rc;
}

/* -------------------------------------------------------------- the run -- */

static int collect(const char *dir, const struct replay_pick *pick, struct run *run, struct replay_result *res,
		   struct ob_err *err)
{
	char **folders;
	size_t nf;
	int rc = list_names(dir, true, &folders, &nf, err);
	if (rc != OB_OK)
		return rc;
	run->accts = calloc(nf ? nf : 1, sizeof *run->accts);
	size_t na = 0;
	if (!run->accts)
		rc = ob_err_nomem(err);
	for (size_t i = 0; rc == OB_OK && i < nf; i++) {
		struct dump_account da;
		if (strlen(folders[i]) >= sizeof da.folder)
			rc = ob_errf(err, OB_EUSAGE, "%s/%.80s...: the folder name is too long", dir, folders[i]);
		else
			rc = folder_account(dir, folders[i], &da.a, err);
		if (rc != OB_OK)
			break;
		str_copy(da.folder, sizeof da.folder, folders[i]);
		for (size_t k = 0; k < na; k++)
			if (strcmp(run->accts[k].a.id, da.a.id) == 0)
				rc = ob_errf(err, OB_EUSAGE, "%s: the folders %s and %s are the same account %s; keep one",
					     dir, run->accts[k].folder, da.folder, da.a.id);
		if (rc == OB_OK && (!pick || pick->takes(pick->ctx, &da.a)))
			run->accts[na++] = da;
	}
	free_names(folders, nf);
	if (rc == OB_OK && !na)
		rc = pick ? ob_errf(err, OB_EUSAGE, "%s has no folder of an account that %s takes", dir, pick->what)
			     : ob_errf(err, OB_EUSAGE,
				       "%s has no folder of an account (MARKET.ACCOUNT, such as coupang.main)", dir);
	if (rc != OB_OK)
		return rc;
	/* na > 0 from here */
	qsort(run->accts, na, sizeof *run->accts, cmp_account);
	if (!(res->accounts = calloc(na, sizeof *res->accounts)))
		return ob_err_nomem(err);
	res->n = na;
	size_t cap = 0;
	for (size_t i = 0; rc == OB_OK && i < na; i++) {
		str_copy(res->accounts[i].id, sizeof res->accounts[i].id, run->accts[i].a.id);
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", dir, run->accts[i].folder);
		char **files;
		size_t nfiles;
		if ((rc = list_names(sub, false, &files, &nfiles, err)) != OB_OK)
			break;
		res->accounts[i].files = (long)nfiles;
		for (size_t k = 0; rc == OB_OK && k < nfiles; k++) {
			if (run->ntasks == cap) {
				cap = cap ? cap * 2 : 256;
				struct task *nt = realloc(run->tasks, cap * sizeof *nt);
				if (!nt) {
					rc = ob_err_nomem(err);
					break;
				}
				run->tasks = nt;
			}
			struct task *t = &run->tasks[run->ntasks];
			memset(t, 0, sizeof *t);
			t->account = i;
			size_t pl = strlen(sub) + 1 + strlen(files[k]) + 1;
			t->path = malloc(pl);
			t->name = strdup(files[k]);
			if (!t->path || !t->name) {
				free(t->path);
				free(t->name);
				rc = ob_err_nomem(err);
				break;
			}
			snprintf(t->path, pl, "%s/%s", sub, files[k]);
			run->ntasks++;
		}
		free_names(files, nfiles);
	}
	return rc;
}

int replay_run(const char *dir, const struct replay_pick *pick, const struct fetch_opts *want, int jobs,
	       struct record_sink *sink, struct replay_result *res, struct ob_err *err)
{
	struct run run;
	memset(&run, 0, sizeof run);
	memset(res, 0, sizeof *res);
	run.want = want;
	int rc = collect(dir, pick, &run, res, err);
	if (jobs <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (int)n : 1;
	}
	if (jobs > JOBS_MAX)
		jobs = JOBS_MAX;
	if ((size_t)jobs > run.ntasks)
		jobs = run.ntasks ? (int)run.ntasks : 1;
	run.window = (size_t)jobs * AHEAD;
	pthread_t th[JOBS_MAX];
	int started = 0;
	if (rc == OB_OK && run.ntasks) {
		pthread_mutex_init(&run.mu, NULL);
		pthread_cond_init(&run.cv, NULL);
		int e = 0;
		for (; started < jobs; started++)
			if ((e = pthread_create(&th[started], NULL, worker, &run)) != 0)
				break;
		if (!started)
			rc = ob_errf(err, OB_EIO, "cannot start a thread: %s", strerror(e));
	}
	struct record rec;
	record_init(&rec, SHEET_ORDERS);
	for (size_t i = 0; rc == OB_OK && i < run.ntasks; i++) {
		struct task *t = &run.tasks[i];
		pthread_mutex_lock(&run.mu);
		while (!t->done)
			pthread_cond_wait(&run.cv, &run.mu);
		pthread_mutex_unlock(&run.mu);
		if (t->rc != OB_OK) {
			rc = t->rc;
			ob_errf(err, rc, "%s: %s", t->path, t->msg ? t->msg : "out of memory");
		} else {
			rc = hand_on(t, sink, &rec, err);
			for (int k = 0; k < 3; k++)
				res->accounts[t->account].rows[k] += t->rows[k];
		}
		buf_free(&t->spool);
		pthread_mutex_lock(&run.mu);
		run.handed = i + 1;
		pthread_cond_broadcast(&run.cv);
		pthread_mutex_unlock(&run.mu);
	}
	record_free(&rec);
	if (started) {
		pthread_mutex_lock(&run.mu);
		run.stop = true;
		pthread_cond_broadcast(&run.cv);
		pthread_mutex_unlock(&run.mu);
		for (int k = 0; k < started; k++)
			pthread_join(th[k], NULL);
		pthread_cond_destroy(&run.cv);
		pthread_mutex_destroy(&run.mu);
	}
	for (size_t i = 0; i < run.ntasks; i++) {
		buf_free(&run.tasks[i].spool);
		free(run.tasks[i].msg);
		free(run.tasks[i].path);
		free(run.tasks[i].name);
	}
	free(run.tasks);
	free(run.accts);
	return rc;
}

void replay_result_free(struct replay_result *res)
{
	free(res->accounts);
	res->accounts = NULL;
	res->n = 0;
}
