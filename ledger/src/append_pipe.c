/*
 * append_pipe.c - an append whose signatures are made on threads of
 * their own (ledger.c uses it for commands of many entries when it may
 * use two threads or more).
 *
 * Entry n's text names the chain hash of entry n-1 (prev): a hash of
 * n-1's text and of the name and key hash of its signer, not of its
 * signature (FORMAT.md section 6).  So the caller's thread runs the rules
 * (tfl_fund_apply), encodes each text with its real prev and chains the
 * next one to it, in order, while signer threads, one per thread the
 * ledger may use, sign the texts in any order.  The caller's thread
 * stores each note, in seq order, once it is signed.  The bytes stored,
 * the errors and their order are those of ledger.c's entry-by-entry
 * loop: the first entry to fail, at its first failing step, is the one
 * reported.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"

/*
 * One draft's way through the pipe.  Its text is encoded on the caller's
 * thread with room for the signature line, signed in place, and freed on
 * that thread once stored: a buffer freed by a thread other than the one
 * that allocated it costs both threads a lock of malloc's arena.
 */
struct job {
	char *text; /* encoded, by the rules' side; the note once signed */
	size_t textlen;
	uint8_t chain[TFL_HASH_SIZE]; /* its chain hash, the next prev */
	char *note;		      /* text, signed, until stored */
	size_t len;
	uint8_t leaf[TFL_HASH_SIZE];
	int done;     /* signed, or failed: rc */
	int rc;
	tfl_err *err; /* why it failed (NULL: out of memory) */
};

struct pipe {
	const tfl_key *key;
	struct job *jobs;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t work; /* pushed grew, or stop */
	pthread_cond_t done; /* signed_ grew */
	size_t pushed;	     /* drafts the rules passed, for the signers */
	size_t next;	     /* the next draft a signer takes */
	size_t signed_;	     /* drafts 0..signed_-1 are all done */
	size_t want;	     /* the caller waits for signed_ >= want */
	unsigned idle;	     /* signers waiting for work */
	int stop;
};

/* The caller waits for this many more signatures at once, not one. */
#define WAKE_BATCH 64

/* Sign job j's text; the status is the job's. */
static void
sign_one(const tfl_key *key, struct job *j)
{
	tfl_err err = TFL_ERR_INIT;

	j->rc = tfl__note_sign_into(j->text, &j->len, j->textlen, &key, 1,
	    &err);
	if (j->rc == 0) {
		tfl_merkle_leaf_hash(j->leaf, j->text, j->len);
		j->note = j->text;
		j->text = NULL;
	} else {
		j->err = malloc(sizeof(err));
		if (j->err != NULL)
			*j->err = err;
	}
}

static void *
signer(void *arg)
{
	struct pipe *p = arg;
	size_t k, was;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next >= p->pushed && !p->stop) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->mu);
			p->idle--;
		}
		/* Stopped: what is left is not wanted (a failure). */
		if (p->next >= p->pushed || p->stop)
			break;
		k = p->next++;
		pthread_mutex_unlock(&p->mu);
		sign_one(p->key, &p->jobs[k]);
		pthread_mutex_lock(&p->mu);
		p->jobs[k].done = 1;
		was = p->signed_;
		while (p->signed_ < p->n && p->jobs[p->signed_].done)
			p->signed_++;
		if (was < p->want && p->signed_ >= p->want)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Hand drafts below n to the signers. */
static void
push(struct pipe *p, size_t n)
{
	pthread_mutex_lock(&p->mu);
	p->pushed = n;
	if (p->idle > 0)
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/*
 * Draft i's header (prev: the chain hash of the job before), encoding,
 * rules and chain hash, on this thread.
 */
static int
check_one(const struct tfl__head *head, tfl_kv *kv, const tfl_verifier *v,
    tfl_draft *d, struct job *j, size_t i, const uint8_t *prev,
    tfl_err *err)
{
	int rc;

	if ((rc = tfl_entry_set_header(d->e, head->origin, head->size + i,
	    head->now, prev, err)) != 0 ||
	    (rc = tfl__entry_encode_room(&j->text, &j->textlen, d->e,
	    tfl__note_room(1), err)) != 0 ||
	    (rc = tfl_fund_apply(kv, d->e, v->name, NULL, err)) != 0)
		return rc;
	tfl_entry_chain_hash(j->chain, j->text, j->textlen, v->name, v->hash);
	return 0;
}

/* The caller's side of the pipe. */
struct side {
	struct pipe *p;
	tfl_ledger *l;
	tfl_txn *txn;
	tfl_draft *d;
	struct tfl__head first; /* origin, first seq, time, first prev */
	struct tfl__head *head; /* advanced as notes are stored */
	size_t done;		/* drafts stored */
	size_t at;		/* the draft that failed */
	tfl_kv kv;		/* the state, reading entries through side */
	const tfl_kv *inner;
	int rc;			/* a failure while the rules ran */
	tfl_err err;
};

/*
 * Store the notes of drafts below upto, waiting for the signers to sign
 * them, in order, advancing head.  Returns 0, the first signing status
 * (err its message, s->at its draft) or the first storing status.
 */
static int
store_upto(struct side *s, size_t upto, tfl_err *err)
{
	struct pipe *p = s->p;
	struct job *j;
	size_t avail;
	int rc;

	while (s->done < upto) {
		pthread_mutex_lock(&p->mu);
		if (p->signed_ <= s->done) {
			p->want = s->done + WAKE_BATCH < upto ?
			    s->done + WAKE_BATCH : upto;
			while (p->signed_ < p->want)
				pthread_cond_wait(&p->done, &p->mu);
			p->want = 0;
		}
		avail = p->signed_;
		pthread_mutex_unlock(&p->mu);
		for (; s->done < avail && s->done < upto; s->done++) {
			j = &p->jobs[s->done];
			s->at = s->done;
			if (j->rc != 0 && j->err == NULL)
				return tfl_err_set(err, j->rc, "signing: out "
				    "of memory");
			if (j->rc != 0) {
				*err = *j->err;
				return j->rc;
			}
			if ((rc = tfl_store_entry_append(s->txn, s->head->size,
			    j->note, j->len, j->leaf, err)) != 0)
				return rc;
			free(j->note);
			j->note = NULL;
			memcpy(s->head->prev, j->chain, sizeof(s->head->prev));
			s->head->size++;
			/* Done with: freed here rather than all at the end. */
			tfl_entry_free(s->d[s->done].e);
			s->d[s->done].e = NULL;
			if (s->l->progress != NULL)
				s->l->progress(s->l->progress_ctx, s->done + 1,
				    p->n);
		}
	}
	return 0;
}

/* How many drafts are signed now. */
static size_t
signed_now(struct pipe *p)
{
	size_t n;

	pthread_mutex_lock(&p->mu);
	n = p->signed_;
	pthread_mutex_unlock(&p->mu);
	return n;
}

/*
 * The rules may read an earlier entry of the same command (an approval
 * of one appended just before): store up to it first, as one by one.
 */
static int
side_entry(void *ctx, uint64_t seq, char **note, size_t *len, tfl_err *err)
{
	struct side *s = ctx;
	uint64_t first = s->first.size;

	if (seq >= s->head->size && seq >= first &&
	    seq - first < s->p->pushed &&
	    (s->rc = store_upto(s, (size_t)(seq - first) + 1, &s->err)) != 0)
		return tfl_err_set(err, s->rc, "%s", s->err.msg);
	return s->inner->entry(s->inner->entry_ctx, seq, note, len, err);
}

static int
run(struct side *s, tfl_err *err)
{
	struct pipe *p = s->p;
	tfl_err mine = TFL_ERR_INIT;
	tfl_verifier v;
	size_t i;
	int rc = 0, rc2;

	tfl_verifier_of_key(&v, p->key);
	for (i = 0; i < p->n; i++) {
		if ((rc = check_one(&s->first, &s->kv, &v, &s->d[i],
		    &p->jobs[i], i, i == 0 ? s->first.prev :
		    p->jobs[i - 1].chain, &mine)) != 0)
			break;
		push(p, i + 1);
		/* Store what is signed, without waiting for the rest. */
		if ((rc = store_upto(s, signed_now(p), err)) != 0)
			return rc;
	}
	if (s->rc != 0) { /* storing for the rules failed: an earlier draft */
		*err = s->err;
		return s->rc;
	}
	/* Draft i failed its rules: first those before it, as one by one. */
	rc2 = store_upto(s, i, err);
	if (rc2 != 0 || rc == 0)
		return rc2;
	s->at = i;
	*err = mine;
	return rc;
}

/* Stop the signers and wait for them. */
static void
stop(struct pipe *p, pthread_t *tids, unsigned n)
{
	unsigned t;

	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (t = 0; t < n; t++)
		pthread_join(tids[t], NULL);
}

int
tfl__append_pipelined(tfl_ledger *l, tfl_txn *txn, tfl_kv *kv,
    struct tfl__head *head, const tfl_key *key, tfl_draft *d, size_t n,
    tfl_err *err)
{
	unsigned nt = tfl__ledger_threads(l), started = 0;
	pthread_t *tids;
	struct pipe p;
	struct side s;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	p.key = key;
	p.n = n;
	memset(&s, 0, sizeof(s));
	s.p = &p;
	s.l = l;
	s.txn = txn;
	s.d = d;
	s.first = *head;
	s.head = head;
	s.inner = kv;
	s.kv = *kv;
	s.kv.entry = side_entry;
	s.kv.entry_ctx = &s;
	p.jobs = calloc(n, sizeof(*p.jobs));
	tids = calloc(nt, sizeof(*tids));
	if (p.jobs == NULL || tids == NULL) {
		free(p.jobs);
		free(tids);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	for (; started < nt; started++)
		if (pthread_create(&tids[started], NULL, signer, &p) != 0)
			break;
	if (started == 0) {
		rc = TFL__NO_THREAD;
		goto out;
	}
	rc = run(&s, err);
	stop(&p, tids, started);
	if (rc != 0 && rc != TFL_EFULL && rc != TFL_EIO && rc != TFL_ENOMEM)
		tfl_err_prefix(err, "%s", d[s.at].label[0] != '\0' ?
		    d[s.at].label :
		    tfl_entry_type_name(tfl_entry_type(d[s.at].e)));
out:
	for (i = 0; i < n; i++) {
		free(p.jobs[i].text);
		free(p.jobs[i].note);
		free(p.jobs[i].err);
	}
	free(p.jobs);
	free(tids);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	return rc;
}
