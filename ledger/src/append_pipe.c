/*
 * append_pipe.c - an append whose signing runs on a thread of its own
 * (ledger.c uses it for commands of many entries when it may use two
 * threads or more).
 *
 * Entry n's text names the leaf hash of entry n-1's signed note (prev),
 * and that hash covers n-1's signature: the entries of a command can
 * only be signed one after another, so one thread signs.  What runs
 * beside it, on the caller's thread, is everything else: the rules
 * (tfl_fund_apply reads no prev, so it checks each entry with a zero
 * prev that the signer then replaces), the encoding, and storing each
 * note once signed.  The bytes stored, the errors and their order are
 * those of ledger.c's entry-by-entry loop: the first entry to fail, at
 * its first failing step, is the one reported.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"

/* One draft's way through the pipe. */
struct job {
	char *text;    /* encoded with a zero prev, by the rules' side */
	size_t textlen;
	size_t prevat; /* where its prev's hex digits are, or SIZE_MAX */
	char *note;    /* signed, until stored */
	size_t len;
	uint8_t leaf[TFL_HASH_SIZE];
	int rc; /* the signing status */
	tfl_err err;
};

struct pipe {
	const struct tfl__head *head; /* origin, first seq, time */
	const tfl_key *key;
	tfl_draft *d;
	struct job *jobs;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t pushed;	/* drafts the rules passed, for the signer */
	size_t signed_; /* drafts signed (or failed: the last one) */
	int stop;
};

/*
 * Draft k's text with the real prev, and its signature.  The rules' side
 * encoded it with a zero prev: the prev line's digits are replaced in
 * place, which makes the bytes tfl_entry_encode makes with that prev (the
 * header's prev line is the only place prev appears, FORMAT.md).
 */
static int
sign_one(struct pipe *p, size_t k, uint8_t prev[TFL_HASH_SIZE])
{
	char hex[2 * TFL_HASH_SIZE + 1];
	struct job *j = &p->jobs[k];
	int rc = 0;

	if (j->prevat != SIZE_MAX) {
		tfl__hex_encode(hex, prev, TFL_HASH_SIZE);
		memcpy(j->text + j->prevat, hex, 2 * TFL_HASH_SIZE);
	} else {
		free(j->text);
		j->text = NULL;
		if ((rc = tfl_entry_set_header(p->d[k].e, p->head->origin,
		    p->head->size + k, p->head->now, prev, &j->err)) == 0)
			rc = tfl_entry_encode(&j->text, &j->textlen, p->d[k].e,
			    &j->err);
	}
	if (rc == 0 && (rc = tfl_note_sign(&j->note, &j->len, j->text,
	    j->textlen, &p->key, 1, &j->err)) == 0) {
		tfl_merkle_leaf_hash(j->leaf, j->note, j->len);
		memcpy(prev, j->leaf, TFL_HASH_SIZE);
	}
	free(j->text);
	j->text = NULL;
	return rc;
}

/* Where the zero prev's digits are in text, or SIZE_MAX. */
static size_t
prev_at(const char *text)
{
	static const char line[] = "\nprev: ";
	const char *p = strstr(text, line);
	size_t i;

	if (p == NULL)
		return SIZE_MAX;
	p += sizeof(line) - 1;
	for (i = 0; i < 2 * TFL_HASH_SIZE; i++)
		if (p[i] != '0')
			return SIZE_MAX;
	return p[i] == '\n' ? (size_t)(p - text) : SIZE_MAX;
}

static void *
signer(void *arg)
{
	struct pipe *p = arg;
	uint8_t prev[TFL_HASH_SIZE];
	size_t k;
	int rc = 0;

	memcpy(prev, p->head->prev, sizeof(prev));
	for (k = 0; k < p->n && rc == 0; k++) {
		pthread_mutex_lock(&p->mu);
		while (p->pushed <= k && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->pushed <= k) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		pthread_mutex_unlock(&p->mu);
		rc = p->jobs[k].rc = sign_one(p, k, prev);
		pthread_mutex_lock(&p->mu);
		p->signed_ = k + 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* Draft i's header (zero prev), encoding and rules, on this thread. */
static int
check_one(const struct tfl__head *head, tfl_kv *kv, const tfl_key *key,
    tfl_draft *d, struct job *j, size_t i, tfl_err *err)
{
	static const uint8_t zero[TFL_HASH_SIZE];
	int rc;

	if ((rc = tfl_entry_set_header(d->e, head->origin, head->size + i,
	    head->now, zero, err)) != 0 ||
	    (rc = tfl_entry_encode(&j->text, &j->textlen, d->e, err)) != 0)
		return rc;
	j->prevat = prev_at(j->text);
	return tfl_fund_apply(kv, d->e, tfl_key_name(key), NULL, err);
}

/* The caller's side of the pipe. */
struct side {
	struct pipe *p;
	tfl_ledger *l;
	tfl_txn *txn;
	struct tfl__head *head; /* advanced as notes are stored */
	size_t done;		/* drafts stored */
	size_t at;		/* the draft that failed */
	tfl_kv kv;		/* the state, reading entries through side */
	const tfl_kv *inner;
	int rc;			/* a failure while the rules ran */
	tfl_err err;
};

/*
 * Store the notes of drafts below upto, waiting for the signer to sign
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
		while (p->signed_ <= s->done)
			pthread_cond_wait(&p->cv, &p->mu);
		avail = p->signed_;
		pthread_mutex_unlock(&p->mu);
		for (; s->done < avail && s->done < upto; s->done++) {
			j = &p->jobs[s->done];
			s->at = s->done;
			if (j->rc != 0) {
				*err = j->err;
				return j->rc;
			}
			rc = tfl_store_entry_append(s->txn, s->head->size,
			    j->note, j->len, j->leaf, err);
			free(j->note);
			j->note = NULL;
			if (rc != 0)
				return rc;
			memcpy(s->head->prev, j->leaf, sizeof(s->head->prev));
			s->head->size++;
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
	uint64_t first = s->p->head->size;

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
	size_t i;
	int rc = 0, rc2;

	for (i = 0; i < p->n; i++) {
		if ((rc = check_one(p->head, &s->kv, p->key, &p->d[i],
		    &p->jobs[i], i, &mine)) != 0)
			break;
		pthread_mutex_lock(&p->mu);
		p->pushed = i + 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
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

int
tfl__append_pipelined(tfl_ledger *l, tfl_txn *txn, tfl_kv *kv,
    struct tfl__head *head, const tfl_key *key, tfl_draft *d, size_t n,
    tfl_err *err)
{
	struct tfl__head first = *head;
	struct pipe p;
	struct side s;
	pthread_t tid;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	p.head = &first; /* the signer's: head advances as notes are stored */
	p.key = key;
	p.d = d;
	p.n = n;
	memset(&s, 0, sizeof(s));
	s.p = &p;
	s.l = l;
	s.txn = txn;
	s.head = head;
	s.inner = kv;
	s.kv = *kv;
	s.kv.entry = side_entry;
	s.kv.entry_ctx = &s;
	if ((p.jobs = calloc(n, sizeof(*p.jobs))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if (pthread_create(&tid, NULL, signer, &p) != 0) {
		rc = tfl_err_set(err, TFL_ENOMEM, "cannot start a thread");
		goto out;
	}
	rc = run(&s, err);
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	pthread_join(tid, NULL);
	if (rc != 0 && rc != TFL_EFULL && rc != TFL_EIO && rc != TFL_ENOMEM)
		tfl_err_prefix(err, "%s", d[s.at].label[0] != '\0' ?
		    d[s.at].label :
		    tfl_entry_type_name(tfl_entry_type(d[s.at].e)));
out:
	for (i = 0; i < n; i++) {
		free(p.jobs[i].text);
		free(p.jobs[i].note);
	}
	free(p.jobs);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return rc;
}
