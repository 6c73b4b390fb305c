/* Where a plan keeps what its items need (see plan_int.h): the items' strings
 * back to back in one buffer, the few distinct words (market, account,
 * status) once each, messages in a pool whose strings never move (threads of
 * plan_apply add to it while others read theirs), and the records of the rows
 * for the market calls, read again only when the plan is applied and kept in
 * memory or, past SPILL_MEM_MAX, in a temporary file. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "market/couriers.h"
#include "plan/plan_int.h"
#include "util/str.h"
#include "util/tempfile.h"

/* ---- strings of items ---- */

static const char *skip_strings(const char *s, int k)
{
	while (k-- > 0)
		s += strlen(s) + 1;
	return s;
}

const char *plan_item_str(const struct plan *p, const struct plan_item *it, enum item_str k)
{
	if (it->strs == SIZE_MAX || !p->strs.data)
		return "";
	return skip_strings(p->strs.data + it->strs, (int)k);
}

int plan_keep_strs(struct plan *p, struct plan_item *it, const char *const v[IS__COUNT])
{
	size_t len[IS__COUNT], total = 0;
	for (int k = 0; k < IS__COUNT; k++)
		total += (len[k] = strlen(v[k])) + 1;
	if (buf_reserve(&p->strs, total) < 0)
		return -1;
	it->strs = p->strs.len;
	char *d = p->strs.data + p->strs.len;
	for (int k = 0; k < IS__COUNT; k++) {
		memcpy(d, v[k], len[k] + 1);
		d += len[k] + 1;
	}
	p->strs.len += total;
	return 0;
}

/* ---- words: distinct tuples, each kept once ---- */

struct plan_words {
	struct buf text;   /* the tuples, NUL after each word */
	size_t *off;       /* where tuple i starts */
	size_t n, cap;
	uint32_t *slots;   /* open addressing: tuple index + 1, 0 = free */
	size_t nslots;
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static int words_grow(struct plan_words *w)
{
	size_t nslots = w->nslots ? w->nslots * 2 : 64;
	uint32_t *slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < w->n; i++) {
		const char *t = w->text.data + w->off[i];
		size_t len = (i + 1 < w->n ? w->off[i + 1] : w->text.len) - w->off[i];
		size_t h = (size_t)fnv1a(t, len) & (nslots - 1);
		while (slots[h])
			h = (h + 1) & (nslots - 1);
		slots[h] = (uint32_t)i + 1;
	}
	free(w->slots);
	w->slots = slots;
	w->nslots = nslots;
	return 0;
}

int plan_keep_words(struct plan *p, struct plan_item *it, const char *const v[IW__COUNT])
{
	size_t len[IW__COUNT], n = 0;
	for (int k = 0; k < IW__COUNT; k++)
		n += (len[k] = strlen(v[k])) + 1;
	char tmp[512], *heap = NULL;
	char *t = tmp;
	if (n > sizeof tmp && !(t = heap = malloc(n)))
		return -1;
	for (size_t k = 0, at = 0; k < IW__COUNT; at += len[k++] + 1)
		memcpy(t + at, v[k], len[k] + 1);
	if (!p->words && !(p->words = calloc(1, sizeof *p->words))) {
		free(heap);
		return -1;
	}
	struct plan_words *w = p->words;
	if ((w->n + 1) * 2 > w->nslots && words_grow(w) < 0) {
		free(heap);
		return -1;
	}
	size_t h = (size_t)fnv1a(t, n) & (w->nslots - 1);
	for (; w->slots[h]; h = (h + 1) & (w->nslots - 1)) {
		size_t i = w->slots[h] - 1;
		size_t tl = (i + 1 < w->n ? w->off[i + 1] : w->text.len) - w->off[i];
		if (tl == n && memcmp(w->text.data + w->off[i], t, n) == 0) {
			it->ident = (uint32_t)i;
			free(heap);
			return 0;
		}
	}
	int rc = -1;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		size_t *off = realloc(w->off, cap * sizeof *off);
		if (!off)
			goto out;
		w->off = off;
		w->cap = cap;
	}
	if (w->n >= UINT32_MAX || buf_append(&w->text, t, n) < 0)
		goto out;
	w->off[w->n] = w->text.len - n;
	w->slots[h] = (uint32_t)w->n + 1;
	it->ident = (uint32_t)w->n++;
	rc = 0;
out:
	free(heap);
	return rc;
}

const char *plan_item_word(const struct plan *p, const struct plan_item *it, enum item_word k)
{
	if (!p->words || it->ident >= p->words->n)
		return "";
	return skip_strings(p->words->text.data + p->words->off[it->ident], (int)k);
}

/* ---- messages ---- */

struct pool_block {
	struct pool_block *next;
	size_t used, cap;
	char data[];
};

struct plan_pool {
	pthread_mutex_t mu;
	struct pool_block *head;
};

#define POOL_BLOCK (64u * 1024)

static int pool_ready(struct plan *p)
{
	if (p->msgs)
		return 0;
	p->msgs = calloc(1, sizeof *p->msgs);
	if (!p->msgs)
		return -1;
	pthread_mutex_init(&p->msgs->mu, NULL);
	return 0;
}

/* Copies "msg\0code\0" into the pool; NULL when memory ran out. Call with
 * the pool's lock held. */
static const char *pool_put(struct plan_pool *pool, const char *msg, size_t mlen, const char *code, size_t clen)
{
	size_t need = mlen + clen + 2;
	struct pool_block *b = pool->head;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > POOL_BLOCK ? need : POOL_BLOCK;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = pool->head;
		pool->head = b;
	}
	char *d = b->data + b->used;
	memcpy(d, msg, mlen);
	d[mlen] = '\0';
	memcpy(d + mlen + 1, code, clen);
	d[mlen + 1 + clen] = '\0';
	b->used += need;
	return d;
}

void plan_set_message(struct plan *p, struct plan_item *it, const char *code, const char *fmt, ...)
{
	/* 512 bytes: what the messages were (and action_item's still are). */
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t mlen = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
	/* As str_copy into the market code's 64 bytes. */
	char c[64];
	str_copy(c, sizeof c, code ? code : "");
	if (pool_ready(p) < 0) {
		p->oom = true;
		it->message = NULL;
		return;
	}
	pthread_mutex_lock(&p->msgs->mu);
	it->message = pool_put(p->msgs, msg, mlen, c, strlen(c));
	if (!it->message)
		p->oom = true;
	pthread_mutex_unlock(&p->msgs->mu);
}

const char *plan_item_message(const struct plan_item *it)
{
	return it->message ? it->message : "";
}

const char *plan_item_market_code(const struct plan_item *it)
{
	return it->message ? it->message + strlen(it->message) + 1 : "";
}

/* ---- records ---- */

struct plan_spill {
	struct buf mem;     /* records while they fit in SPILL_MEM_MAX */
	int fd;             /* then a temporary file (unlinked), else -1 */
	uint64_t fsize;     /* bytes in the file, and in out */
	struct buf out;     /* written to fd in pieces */
	uint64_t *off;      /* per item: where its record is; SPILL_NONE = not kept */
	size_t noff;
	bool loaded;
};

#define SPILL_MEM_MAX (16u << 20)
#define SPILL_NONE UINT64_MAX
#define SPILL_IN_FILE (1ull << 63)

static int spill_ready(struct plan *p, struct ob_err *err)
{
	if (!p->recs) {
		p->recs = calloc(1, sizeof *p->recs);
		if (!p->recs)
			return ob_err_nomem(err);
		p->recs->fd = -1;
	}
	struct plan_spill *sp = p->recs;
	if (sp->noff < p->n) {
		uint64_t *off = realloc(sp->off, p->n * sizeof *off);
		if (!off)
			return ob_err_nomem(err);
		for (size_t i = sp->noff; i < p->n; i++)
			off[i] = SPILL_NONE;
		sp->off = off;
		sp->noff = p->n;
	}
	return OB_OK;
}

static int flush_out(struct plan_spill *sp, struct ob_err *err)
{
	size_t done = 0;
	while (done < sp->out.len) {
		ssize_t w = write(sp->fd, sp->out.data + done, sp->out.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return ob_errf(err, OB_EIO, "cannot write a temporary file: %s", strerror(errno));
		done += (size_t)w;
	}
	buf_reset(&sp->out);
	return OB_OK;
}

static int open_spill_file(struct plan_spill *sp, struct ob_err *err)
{
	sp->fd = temp_fd(err);
	return sp->fd < 0 ? err->code : OB_OK;
}

static void put_u32(char *d, uint32_t v)
{
	memcpy(d, &v, 4);
}

static uint32_t get_u32(const char *s)
{
	uint32_t v;
	memcpy(&v, s, 4);
	return v;
}

/* A record as [u32 length of the rest][u8 sheet] then, per field that has a
 * value, [u8 field][u32 length][bytes]. */
int plan_keep_record(struct plan *p, size_t i, const struct record *r, struct ob_err *err)
{
	int rc = spill_ready(p, err);
	if (rc != OB_OK)
		return rc;
	struct plan_spill *sp = p->recs;
	size_t size = 1;
	for (int f = 0; f < F__COUNT; f++)
		if (record_has(r, (enum field_id)f))
			size += 5 + strlen(record_get(r, (enum field_id)f));
	if (size > UINT32_MAX - 4)
		return ob_errf(err, OB_EINVALID, "a row is too long");
	bool to_file = sp->fd >= 0 || sp->mem.len + size + 4 > SPILL_MEM_MAX;
	if (to_file && sp->fd < 0 && (rc = open_spill_file(sp, err)) != OB_OK)
		return rc;
	struct buf *b = to_file ? &sp->out : &sp->mem;
	if (buf_reserve(b, size + 4) < 0)
		return ob_err_nomem(err);
	uint64_t at = to_file ? SPILL_IN_FILE | sp->fsize : b->len;
	char *d = b->data + b->len;
	put_u32(d, (uint32_t)size);
	d[4] = (char)r->sheet;
	d += 5;
	for (int f = 0; f < F__COUNT; f++) {
		if (!record_has(r, (enum field_id)f))
			continue;
		const char *v = record_get(r, (enum field_id)f);
		size_t n = strlen(v);
		d[0] = (char)f;
		put_u32(d + 1, (uint32_t)n);
		memcpy(d + 5, v, n);
		d += 5 + n;
	}
	b->len += size + 4;
	if (to_file) {
		sp->fsize += size + 4;
		if (sp->out.len >= (1u << 20) && (rc = flush_out(sp, err)) != OB_OK)
			return rc;
	}
	sp->off[i] = at;
	return OB_OK;
}

static int decode_record(const char *s, size_t size, struct record *out)
{
	if (size < 1)
		return -1;
	record_init(out, (enum sheet_kind)(unsigned char)s[0]);
	for (size_t k = 1; k < size;) {
		if (size - k < 5)
			return -1;
		int f = (unsigned char)s[k];
		uint32_t n = get_u32(s + k + 1);
		if (f >= F__COUNT || n > size - k - 5 || record_setn(out, (enum field_id)f, s + k + 5, n) < 0)
			return -1;
		k += 5 + n;
	}
	return 0;
}

int plan_get_record(const struct plan *p, size_t i, struct record *out, struct ob_err *err)
{
	record_init(out, SHEET_ORDERS);
	const struct plan_spill *sp = p->recs;
	if (!sp || i >= sp->noff || sp->off[i] == SPILL_NONE)
		return ob_errf(err, OB_EINVALID, "internal error: no record for row %zu", i < p->n ? p->items[i].row_no : 0);
	uint64_t at = sp->off[i];
	if (!(at & SPILL_IN_FILE)) {
		const char *s = sp->mem.data + at;
		if (decode_record(s + 4, get_u32(s), out) < 0) {
			record_free(out);
			return ob_err_nomem(err);
		}
		return OB_OK;
	}
	at &= ~SPILL_IN_FILE;
	char head[4];
	if (pread(sp->fd, head, 4, (off_t)at) != 4)
		return ob_errf(err, OB_EIO, "cannot read a temporary file: %s", strerror(errno));
	uint32_t size = get_u32(head);
	char *s = malloc(size ? size : 1);
	if (!s)
		return ob_err_nomem(err);
	int rc = OB_OK;
	if (pread(sp->fd, s, size, (off_t)at + 4) != (ssize_t)size)
		rc = ob_errf(err, OB_EIO, "cannot read a temporary file: %s", strerror(errno));
	else if (decode_record(s, size, out) < 0)
		rc = ob_err_nomem(err);
	free(s);
	if (rc != OB_OK)
		record_free(out);
	return rc;
}

/* The rows of one sheet input, read again: each item's record, checked
 * against the key it had when planned. */
static int load_input(struct plan *p, size_t input, struct ob_err *err)
{
	const struct plan_input *in = &p->inputs[input];
	size_t k = 0;
	while (k < p->n && p->items[k].input != input)
		k++;
	if (k == p->n)
		return OB_OK;
	struct sheet_reader *r;
	int rc = plan_open_sheet(in->path, in->sheet[0] ? in->sheet : NULL, &r, err);
	if (rc != OB_OK)
		return rc;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx) {
		sheet_reader_close(r);
		return ob_err_nomem(err);
	}
	struct sheet_row row;
	sheet_row_init(&row);
	int nr = 0;
	while (k < p->n && (nr = sheet_reader_next(r, &row, err)) == 1) {
		struct plan_item *it = &p->items[k];
		if (row.row_no != it->row_no)
			continue;
		if (it->invoice_checked && plan_normalize_invoice(&row.rec) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		unsigned char md[32];
		if (plan_key_digest(ctx, it->acct, (enum action)it->action, it->courier_code, &row.rec, md) < 0) {
			rc = ob_err_nomem(err);
			break;
		}
		if (memcmp(md, it->key, sizeof it->key) != 0)
			break;
		if ((rc = plan_keep_record(p, k, &row.rec, err)) != OB_OK)
			break;
		for (k++; k < p->n && p->items[k].input != input; k++)
			;
	}
	if (rc == OB_OK && nr < 0)
		rc = err->code ? err->code : OB_EIO;
	if (rc == OB_OK && k < p->n)
		rc = ob_errf(err, OB_EINVALID, "%s changed since it was read (row %zu); nothing was sent: run the "
			     "import again", in->name, p->items[k].row_no);
	EVP_MD_CTX_free(ctx);
	sheet_row_free(&row);
	sheet_reader_close(r);
	return rc;
}

int plan_load_records(struct plan *p, struct ob_err *err)
{
	if (pool_ready(p) < 0)
		return ob_err_nomem(err);
	int rc = spill_ready(p, err);
	if (rc != OB_OK || p->recs->loaded)
		return rc;
	for (size_t i = 0; i < p->ninputs && rc == OB_OK; i++)
		if (!p->inputs[i].tpl)
			rc = load_input(p, i, err);
	if (rc == OB_OK && p->recs->fd >= 0)
		rc = flush_out(p->recs, err);
	if (rc == OB_OK)
		p->recs->loaded = true;
	return rc;
}

int plan_item_record(struct plan *p, size_t i, struct record *out, struct ob_err *err)
{
	int rc = plan_load_records(p, err);
	if (rc != OB_OK) {
		record_init(out, SHEET_ORDERS);
		return rc;
	}
	return plan_get_record(p, i, out, err);
}

void plan_mem_free(struct plan *p)
{
	buf_free(&p->strs);
	if (p->words) {
		buf_free(&p->words->text);
		free(p->words->off);
		free(p->words->slots);
		free(p->words);
		p->words = NULL;
	}
	if (p->msgs) {
		for (struct pool_block *b = p->msgs->head, *next; b; b = next) {
			next = b->next;
			free(b);
		}
		pthread_mutex_destroy(&p->msgs->mu);
		free(p->msgs);
		p->msgs = NULL;
	}
	if (p->recs) {
		if (p->recs->fd >= 0)
			close(p->recs->fd);
		buf_free(&p->recs->mem);
		buf_free(&p->recs->out);
		free(p->recs->off);
		free(p->recs);
		p->recs = NULL;
	}
}
