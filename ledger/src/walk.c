/*
 * walk.c - the audit's walk (walk.h): read ahead, prepare on threads,
 * consume in order.
 *
 * The caller's thread reads the entries (an LMDB transaction belongs to
 * one thread) into batches of a ring and consumes the oldest batch in
 * order.  Worker threads, and the caller's thread while it would wait,
 * prepare batches that are ready.  Ed25519 verification, most of an
 * audit's work, needs the key each signature line names: workers learn
 * keys from the genesis and key-enroll entries they decode, into a
 * directory that only grows.  A line whose key is not known yet (its
 * enrolment is still being prepared elsewhere) is left to the caller,
 * which decides which key counts and checks it then: only speed
 * depends on the timing, never a result.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

#define BATCH 64	/* entries per batch */
#define KEYS_MAX 1024	/* keys the directory learns; later ones: not */
#define TRIM_EVERY 4096 /* entries between tfl_store_trim calls */

/* clang-format off */
enum {
	B_FREE,		/* empty, or being filled by the reader */
	B_READY,	/* filled: to prepare */
	B_CLAIMED,	/* being prepared */
	B_DONE		/* prepared: to consume */
};
/* clang-format on */

struct batch {
	struct tfl__walked w[BATCH];
	size_t n;
	int state;
};

/* Keys seen enrolled; readers take no lock (n only grows). */
struct keydir {
	pthread_mutex_t lock;
	atomic_size_t n;
	tfl_verifier k[KEYS_MAX];
};

struct walk {
	tfl_txn *txn;
	struct batch *ring;
	size_t nring;
	uint64_t head, tail; /* the batch to consume next; to fill */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int stop;
	struct keydir dir;
	uint64_t from, since;
	tfl__walk_fn fn;
	void *ctx;
	int fn_rc; /* fn's first non-zero status */
	uint64_t consumed;
	tfl_err *err;
};

static const tfl_verifier *
key_find(struct keydir *d, const char *name, uint32_t hash)
{
	size_t i = atomic_load_explicit(&d->n, memory_order_acquire);

	while (i-- > 0)
		if (d->k[i].hash == hash && strcmp(d->k[i].name, name) == 0)
			return &d->k[i];
	return NULL;
}

/* Learn the verifier key string vk (NULL or malformed: nothing). */
static void
key_learn(struct keydir *d, const char *vk)
{
	tfl_verifier v;
	const tfl_verifier *have;
	size_t n;

	if (vk == NULL || tfl_verifier_parse(&v, vk, strlen(vk), NULL) != 0 ||
	    v.type != TFL_NOTE_KEY_ED25519)
		return;
	pthread_mutex_lock(&d->lock);
	have = key_find(d, v.name, v.hash);
	n = atomic_load_explicit(&d->n, memory_order_relaxed);
	if ((have == NULL || memcmp(have->pub, v.pub, sizeof(v.pub)) != 0) &&
	    n < KEYS_MAX) {
		d->k[n] = v;
		atomic_store_explicit(&d->n, n + 1, memory_order_release);
	}
	pthread_mutex_unlock(&d->lock);
}

/* Learn verifier v, known before the walk's first entry. */
static void
key_seed(struct keydir *d, const tfl_verifier *v)
{
	size_t n = atomic_load_explicit(&d->n, memory_order_relaxed);

	if (v->type == TFL_NOTE_KEY_ED25519 && n < KEYS_MAX) {
		d->k[n] = *v;
		atomic_store_explicit(&d->n, n + 1, memory_order_release);
	}
}

/* Check w's first signature lines with the keys known so far. */
static void
check_sigs(struct keydir *d, struct tfl__walked *w)
{
	const tfl_note_sig *sig;
	const tfl_verifier *k;
	size_t i;
	int rc;

	for (i = 0; i < w->note.nsigs && i < TFL__WALK_VERDICTS; i++) {
		sig = &w->note.sigs[i];
		if (sig->bloblen != TFL_ED25519_SIG_SIZE ||
		    (k = key_find(d, sig->name, sig->hash)) == NULL)
			continue;
		rc = tfl_ed25519_verify(k->pub, w->note.text, w->note.textlen,
		    sig->blob, NULL);
		if (rc != 0 && rc != TFL_EVERIFY)
			continue; /* OpenSSL failed: the caller will say so */
		memcpy(w->v[i].pub, k->pub, sizeof(w->v[i].pub));
		w->v[i].ok = rc == 0;
	}
}

static void
prepare(struct walk *wk, struct tfl__walked *w)
{
	int type;
	size_t i;

	for (i = 0; i < TFL__WALK_VERDICTS; i++)
		w->v[i].ok = -1;
	tfl_merkle_leaf_hash(w->leaf, w->data, w->len);
	w->e = NULL;
	memset(w->chain, 0, sizeof(w->chain));
	if (tfl_note_parse(&w->note, w->data, w->len, &w->err) != 0) {
		w->state = TFL__WALK_BAD_NOTE;
		return;
	}
	/* Left zero for a note that is no entry: the audit says why. */
	(void)tfl_entry_note_chain_hash(w->chain, &w->note, NULL);
	if (tfl_entry_decode(&w->e, w->note.text, w->note.textlen,
	    &w->err) != 0) {
		w->e = NULL;
		w->state = TFL__WALK_BAD_ENTRY;
		return;
	}
	w->state = TFL__WALK_OK;
	type = tfl_entry_type(w->e);
	if (type == TFL_ENTRY_GENESIS)
		key_learn(&wk->dir, tfl_entry_get(w->e, "admin-key"));
	else if (type == TFL_ENTRY_KEY_ENROLL)
		key_learn(&wk->dir, tfl_entry_get(w->e, "key"));
	if (w->seq >= wk->since)
		check_sigs(&wk->dir, w);
}

/* Free what preparing w made; its data buffer stays for reuse. */
static void
release(struct tfl__walked *w)
{
	tfl_note_release(&w->note);
	tfl_entry_free(w->e);
	w->e = NULL;
}

/* The oldest batch ready to prepare, or NULL; with mu held. */
static struct batch *
ready(struct walk *wk)
{
	uint64_t i;

	for (i = wk->head; i < wk->tail; i++)
		if (wk->ring[i % wk->nring].state == B_READY)
			return &wk->ring[i % wk->nring];
	return NULL;
}

/* Prepare batch b, claimed by the caller; with mu held, as on return. */
static void
prepare_batch(struct walk *wk, struct batch *b)
{
	size_t i;

	b->state = B_CLAIMED;
	pthread_mutex_unlock(&wk->mu);
	for (i = 0; i < b->n; i++)
		prepare(wk, &b->w[i]);
	pthread_mutex_lock(&wk->mu);
	b->state = B_DONE;
	pthread_cond_broadcast(&wk->done);
}

static void *
worker(void *arg)
{
	struct walk *wk = arg;
	struct batch *b;

	pthread_mutex_lock(&wk->mu);
	while (!wk->stop) {
		if ((b = ready(wk)) != NULL)
			prepare_batch(wk, b);
		else
			pthread_cond_wait(&wk->work, &wk->mu);
	}
	pthread_mutex_unlock(&wk->mu);
	return NULL;
}

/* Hand the batch being filled to the preparers. */
static void
publish(struct walk *wk)
{
	pthread_mutex_lock(&wk->mu);
	wk->ring[wk->tail % wk->nring].state = B_READY;
	wk->tail++;
	pthread_cond_signal(&wk->work);
	pthread_mutex_unlock(&wk->mu);
}

/* Consume the oldest batch, helping to prepare while it is not done. */
static int
consume(struct walk *wk)
{
	struct batch *b = &wk->ring[wk->head % wk->nring], *r;
	size_t i;

	pthread_mutex_lock(&wk->mu);
	while (b->state != B_DONE) {
		if ((r = ready(wk)) != NULL)
			prepare_batch(wk, r);
		else
			pthread_cond_wait(&wk->done, &wk->mu);
	}
	pthread_mutex_unlock(&wk->mu);
	for (i = 0; i < b->n; i++) {
		if (wk->fn_rc == 0)
			wk->fn_rc = wk->fn(wk->ctx, &b->w[i], wk->err);
		release(&b->w[i]);
	}
	if (wk->consumed / TRIM_EVERY != (wk->consumed + b->n) / TRIM_EVERY)
		tfl_store_trim(wk->txn);
	wk->consumed += b->n;
	pthread_mutex_lock(&wk->mu);
	b->n = 0;
	b->state = B_FREE;
	wk->head++;
	pthread_mutex_unlock(&wk->mu);
	return wk->fn_rc;
}

/* tfl_store_entry_foreach's callback: copy the entry into the ring. */
static int
on_entry(void *ctx, uint64_t seq, const void *data, size_t len,
    tfl_err *err)
{
	struct walk *wk = ctx;
	struct tfl__walked *w;
	struct batch *b;
	char *grown;
	int rc;

	if (wk->tail - wk->head == wk->nring && (rc = consume(wk)) != 0)
		return rc;
	b = &wk->ring[wk->tail % wk->nring];
	w = &b->w[b->n];
	if (w->cap < len + 1) {
		if ((grown = realloc(w->data, len + 1)) == NULL)
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		w->data = grown;
		w->cap = len + 1;
	}
	memcpy(w->data, data, len);
	w->data[len] = '\0';
	w->len = len;
	w->seq = seq;
	if (++b->n == BATCH)
		publish(wk);
	return 0;
}

/* Read and consume every entry; the walk's status. */
static int
run(struct walk *wk, tfl_txn *txn, tfl_err *err)
{
	tfl_err read_err = TFL_ERR_INIT;
	int rc;

	rc = tfl_store_entry_foreach(txn, wk->from, on_entry, wk, &read_err);
	if (wk->fn_rc != 0)
		return wk->fn_rc; /* err is fn's */
	/*
	 * A partly filled batch, if any.  With the ring full there is none:
	 * the slot at tail is then the head batch, and publishing it again
	 * left consume() waiting for a batch nobody would prepare (an audit
	 * of 64 x k >= 64 x nring entries hung).
	 */
	if (wk->tail - wk->head < wk->nring &&
	    wk->ring[wk->tail % wk->nring].n > 0)
		publish(wk);
	while (wk->head < wk->tail && wk->fn_rc == 0)
		consume(wk);
	if (wk->fn_rc != 0)
		return wk->fn_rc;
	if (rc != 0)
		*err = read_err; /* a failed read after the last good entry */
	return rc;
}

static void
walk_free(struct walk *wk)
{
	size_t i, j;

	for (i = 0; wk->ring != NULL && i < wk->nring; i++)
		for (j = 0; j < BATCH; j++) {
			release(&wk->ring[i].w[j]);
			free(wk->ring[i].w[j].data);
		}
	free(wk->ring);
	pthread_mutex_destroy(&wk->dir.lock);
	pthread_mutex_destroy(&wk->mu);
	pthread_cond_destroy(&wk->work);
	pthread_cond_destroy(&wk->done);
}

int
tfl__walk(tfl_txn *txn, unsigned threads, const struct tfl__walk_start *at,
    tfl__walk_fn fn, void *ctx, tfl_err *err)
{
	struct walk wk;
	pthread_t tid[256];
	unsigned i, started = 0;
	int rc;

	memset(&wk, 0, sizeof(wk));
	wk.txn = txn;
	wk.from = at->from;
	wk.since = at->since;
	wk.fn = fn;
	wk.ctx = ctx;
	wk.err = err;
	threads = threads < 1 ? 1 : threads > 256 ? 256 : threads;
	wk.nring = 4 * (size_t)threads;
	atomic_init(&wk.dir.n, 0);
	pthread_mutex_init(&wk.dir.lock, NULL);
	for (i = 0; i < at->nkeys; i++)
		key_seed(&wk.dir, &at->keys[i]);
	pthread_mutex_init(&wk.mu, NULL);
	pthread_cond_init(&wk.work, NULL);
	pthread_cond_init(&wk.done, NULL);
	if ((wk.ring = calloc(wk.nring, sizeof(*wk.ring))) == NULL) {
		walk_free(&wk);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	/* Fewer workers than asked, if the system has no more: still right. */
	for (i = 1; i < threads; i++)
		if (pthread_create(&tid[started], NULL, worker, &wk) == 0)
			started++;
	rc = run(&wk, txn, err);
	pthread_mutex_lock(&wk.mu);
	wk.stop = 1;
	pthread_cond_broadcast(&wk.work);
	pthread_mutex_unlock(&wk.mu);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	walk_free(&wk);
	return rc;
}
