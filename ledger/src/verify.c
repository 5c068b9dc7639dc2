/*
 * verify.c - the audit: the append pipeline read backwards, by the same
 * code (entry decoding, note verification, tfl_fund_apply) on a state
 * rebuilt from nothing.
 *
 * An incremental audit (opts->since) is the same walk: it proves first
 * that the stored tree extends the trusted checkpoint.  When that
 * checkpoint carries the digest of the fund state (its tfledger-state
 * line) and the store still holds the snapshot of that state, the
 * snapshot, checked against the digest, is the replay's starting state
 * and the walk starts at the checkpoint's size: the entries it covers
 * are not read at all.  Otherwise the walk replays them from seq 0,
 * skipping only their Ed25519 checks, whose bytes the recomputed root
 * at its size pins to the ones audited before.  A full audit compares
 * every stored snapshot with its own replay at the snapshot's size, and
 * the checkpoints of that size with the snapshot's digest.
 *
 * Scale: the walk (walk.c) parses entries and checks their signatures
 * on all the ledger's threads while this thread takes them in seq order
 * (keys, links, rules, tree); the replayed state lives in scratch.c,
 * whose memory is bounded, and the map's pages are dropped as the walk
 * goes, so an audit's resident memory does not grow with the ledger.
 * With threads to spare, each snapshot is compared with the replay on a
 * thread of its own while the walk goes on (struct job), the last one
 * beside the compare of the stored state.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"
#include "proof_internal.h"
#include "tfledger/checkpoint.h"
#include "walk.h"

#define SCRATCH_MEM ((size_t)4 << 20) /* replayed state kept in memory */
#define SCRATCH_DIR "/tmp"

/* clang-format off */
enum cp_from {
	CP_STORED,	/* stored in the ledger */
	CP_AUDITOR,	/* brought by the auditor (--checkpoint) */
	CP_TRUSTED	/* trusted by the auditor (--since) */
};
/* clang-format on */

/* A checkpoint to compare with the recomputed tree. */
struct cp {
	tfl_note note;
	tfl_checkpoint body;
	enum cp_from from;
	int kept; /* stored, of a size whose snapshot the ledger keeps */
};

struct vctx;

/*
 * A compare of stored records (the state, or a snapshot) with the
 * replay's, on the walk's thread or a job's.
 */
struct cmp {
	struct vctx *v;
	tfl_txn *txn;		    /* the stored records' */
	tfl__scratch_reader *rd;    /* the replay's; NULL: v->mem */
	struct tfl__digest *digest; /* a snapshot's, digested */
	uint64_t size;		    /* the snapshot's */
	uint64_t matched;	    /* records found equal to the replay's */
	unsigned reads;		    /* for trimming the maps */
};

/*
 * A snapshot compared on a thread of its own while the walk goes on, so
 * that the cores keep verifying signatures (a full audit on two threads
 * or more): the replay's records as spilled at the snapshot's size, the
 * store's through a second read transaction of the same commit.  One at
 * a time.  The walk waits for it before the replay spills again, before
 * the next, and before it reports anything; its failure is reported as
 * the walk would have, at the entry that reached its size, ahead of any
 * later one.
 */
struct job {
	pthread_t tid;
	int running;	  /* started, not waited for */
	atomic_int over;  /* its compare has ended */
	struct cmp c;
	size_t first, last; /* cps[first..last): the checkpoints of its size */
	size_t replayed;    /* records in the replay */
	uint64_t sigs;	    /* v->sigs when it started */
	int rc;		    /* its status, kept once it failed */
	tfl_err err;
};

struct vctx {
	tfl_ledger *l;
	tfl_txn *txn;
	tfl_txn *txn2;	/* the same commit, for jobs (NULL: none) */
	struct job job;
	int state_done; /* the stored state compared while a job ran: */
	int state_rc;
	tfl_err state_err;
	tfl__scratch *mem; /* the replayed state */
	tfl_kv kv;	/* the replay's state: mem_kv, or an overlay */
	tfl_kv mem_kv;	/* v->mem's */
	tfl_merkle_stream stream;
	uint8_t prev[TFL_HASH_SIZE];
	uint64_t total;
	struct cp *cps; /* sorted by size */
	size_t ncps, nextcp;
	const tfl_verify_opts *opts;
	uint64_t cur;	/* seq being checked */
	int in_entry;	/* a failure now is an entry's */
	tfl_checkpoint trusted; /* opts->since, parsed (size 0: none) */
	uint64_t since;	/* entries below it: signatures covered by it */
	uint64_t from;	/* the first seq walked (the trusted size, or 0) */
	tfl_verifier *seeds; /* keys of the snapshot started from */
	size_t nseeds;
	struct tfl__digest *digest; /* of the snapshot started from */
	uint64_t snaprecs; /* the records of the snapshot started from */
	uint64_t snapshots; /* snapshots compared with the replay */
	uint64_t newkeys; /* from > 0: keys the replay added to the snapshot */
	unsigned reads;	/* records read, for trimming the maps */
	uint64_t sigs;	/* entry signatures checked */
	tfl_checks *checks; /* the report's */
};

/* How a message names checkpoint c ("the auditor's checkpoint"). */
static const char *
cp_label(const struct cp *c)
{
	static const char *const label[] = { "stored", "the auditor's",
		"the trusted" };

	return label[c->from];
}

/* How a message names c when stored and auditor's share the words. */
static const char *
cp_name(const struct cp *c)
{
	return c->from == CP_TRUSTED ? "the trusted checkpoint" : "checkpoint";
}

/* Record a verification failure at seq; every audit failure goes here. */
static int
fail(tfl_err *err, uint64_t seq, const char *what)
{
	return tfl_err_set(err, TFL_EVERIFY, "seq %llu: %s",
	    (unsigned long long)seq, what);
}

/* Turn err into a verification failure at seq, keeping its message. */
static int
reframe(tfl_err *err, uint64_t seq, const char *what)
{
	err->code = TFL_EVERIFY;
	return tfl_err_prefix(err, "seq %llu: %s", (unsigned long long)seq,
	    what);
}

/*
 * Every 512 records read (counted in *reads): drop the pages of txn's
 * map and of the replay's file, read through rd, or else mem (as in
 * tfl__walk).
 */
static void
trim_now_and_then(unsigned *reads, tfl_txn *txn, tfl__scratch *mem,
    tfl__scratch_reader *rd)
{
	if (++*reads % 512 != 0)
		return;
	tfl_store_trim(txn);
	if (rd != NULL)
		tfl__scratch_reader_trim(rd);
	else
		tfl__scratch_trim(mem);
}

/* e is a genesis entry whose admin key (in *admin) the auditor trusts. */
static int
genesis_trusted(const tfl_entry *e, const tfl_verify_opts *o,
    tfl_verifier *admin, tfl_err *err)
{
	const char *vk;
	size_t i;

	if (tfl_entry_type(e) != TFL_ENTRY_GENESIS)
		return fail(err, 0, "the first entry is not a genesis entry");
	vk = tfl_entry_get(e, "admin-key");
	if (tfl_verifier_parse(admin, vk, strlen(vk), err) != 0)
		return fail(err, 0, "genesis admin key is malformed");
	for (i = 0; i < o->ntrust; i++)
		if (o->trust[i].hash == admin->hash &&
		    memcmp(o->trust[i].pub, admin->pub, sizeof(admin->pub)) == 0)
			break;
	if (o->ntrust > 0 && i == o->ntrust)
		return fail(err, 0, "genesis admin key is not a trusted key");
	return 0;
}

/* Verify the genesis entry's signature by its own admin key (pinned?). */
static int
genesis_signer(const char **signer, const struct tfl__walked *w,
    struct vctx *v, tfl_verifier *admin, tfl_err *err)
{
	const tfl_note *note = &w->note;
	int rc;

	if ((rc = genesis_trusted(w->e, v->opts, admin, err)) != 0)
		return rc;
	*signer = admin->name;
	if (v->since > 0)
		return 0; /* covered by the trusted checkpoint */
	v->sigs++;
	if (tfl__note_verify_known(NULL, note, admin, 1, w->v,
	    TFL__WALK_VERDICTS, err) != 0)
		return tfl_err_prefix(err, "seq 0");
	return 0;
}

/*
 * Find the enrolled key among note's signature lines and check its
 * signature.  Lines by names the ledger never enrolled are ignored.
 * Below v->since the first line by an enrolled key (name and key hash)
 * is taken unchecked: the full audit that the trusted checkpoint stands
 * for found that one valid, or failed.  Checks the walk made ahead with
 * the same keys are taken as made.
 */
static int
entry_signer(const char **signer, const struct tfl__walked *w,
    struct vctx *v, uint64_t seq, tfl_fund_key keys[TFL_NOTE_MAX_SIGS],
    tfl_err *err)
{
	const tfl_note *note = &w->note;
	tfl_verifier vk[TFL_NOTE_MAX_SIGS];
	unsigned char ok[TFL_NOTE_MAX_SIGS];
	size_t i, n = 0;
	int rc;

	for (i = 0; i < note->nsigs; i++) {
		rc = tfl_fund_key_get(&keys[n], &v->kv, note->sigs[i].name,
		    err);
		if (rc == TFL_ENOTFOUND)
			continue;
		if (rc != 0)
			return rc;
		if (seq < v->since &&
		    note->sigs[i].hash == keys[n].verifier.hash) {
			*signer = keys[n].verifier.name;
			return 0;
		}
		vk[n] = keys[n].verifier;
		n++;
	}
	if (n == 0)
		return fail(err, seq, "not signed by any enrolled key");
	v->sigs++;
	if ((rc = tfl__note_verify_known(ok, note, vk, n, w->v,
	    TFL__WALK_VERDICTS, err)) != 0)
		return rc == TFL_EVERIFY ? tfl_err_prefix(err, "seq %llu",
		    (unsigned long long)seq) : rc;
	for (i = 0; i < n && !ok[i]; i++)
		;
	*signer = keys[i].verifier.name;
	return 0;
}

/*
 * A record of the stored state or of a snapshot (left) against the
 * replay's state: what the replay wrote, where it wrote the key, else
 * the record of the snapshot the walk started from (right; NULL in a
 * full audit).  With c->digest, left is a snapshot's, and digested.
 */
static int
compare_overlay(void *ctx, const char *key, const void *left,
    size_t left_len, const void *right, size_t right_len, tfl_err *err)
{
	struct cmp *c = ctx;
	const void *mine;
	size_t mylen;
	int rc;

	trim_now_and_then(&c->reads, c->txn, c->v->mem, c->rd);
	if (c->rd != NULL)
		rc = tfl__scratch_reader_next(&mine, &mylen, c->rd, key, err);
	else
		rc = tfl__scratch_peek_next(&mine, &mylen, c->v->mem, key,
		    err);
	if (rc == TFL_ENOTFOUND) {
		rc = 0;
		mine = right;
		mylen = right_len;
	}
	if (rc != 0)
		return rc;
	if (left == NULL && mine == NULL)
		return 0;
	if (left == NULL || mine == NULL || mylen != left_len ||
	    memcmp(mine, left, mylen) != 0) {
		if (c->digest == NULL)
			return tfl_err_set(err, TFL_EVERIFY, "stored state "
			    "\"%.80s\" does not match the replayed entries", key);
		return tfl_err_set(err, TFL_EVERIFY, "the snapshot of the fund "
		    "state at size %llu: record \"%.80s\" does not match the "
		    "replayed entries", (unsigned long long)c->size, key);
	}
	c->matched++;
	return c->digest == NULL ? 0 : tfl__digest_add(c->digest, key, left,
	    left_len, err);
}

/* compare_overlay for a walk of one set of records (a full audit's). */
static int
compare_record(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	return compare_overlay(ctx, key, val != NULL ? val : "", len, NULL, 0,
	    err);
}

/* The number of records in the replay's state, in *out. */
static int
replayed_count(size_t *out, struct vctx *v, tfl_err *err)
{
	if (v->from == 0)
		return tfl__scratch_count(out, v->mem, err);
	*out = (size_t)(v->snaprecs + v->newkeys);
	return 0;
}

/* A snapshot_foreach that only asks whether there is one (TFL_EEXIST). */
static int
stop_at_once(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	(void)ctx;
	(void)key;
	(void)val;
	(void)len;
	(void)err;
	return TFL_EEXIST;
}

/*
 * The end of c's compare of a snapshot, digested in d: as many records
 * as the replay's, and the checkpoints cps[first..last) of its size that
 * carry a state digest carry its digest.
 */
static int
snapshot_end(struct cmp *c, struct tfl__digest *d, size_t first,
    size_t last, size_t replayed, tfl_err *err)
{
	const struct cp *cps = c->v->cps;
	uint8_t digest[TFL_HASH_SIZE];
	size_t i;
	int rc;

	if ((rc = tfl__digest_end(digest, d, err)) != 0)
		return rc;
	if (replayed != c->matched)
		return tfl_err_set(err, TFL_EVERIFY, "the snapshot of the fund "
		    "state at size %llu has %llu records, the replayed entries "
		    "give %zu", (unsigned long long)c->size,
		    (unsigned long long)c->matched, replayed);
	for (i = first; i < last; i++)
		if (cps[i].body.has_state &&
		    memcmp(cps[i].body.state, digest, sizeof(digest)) != 0)
			return tfl_err_set(err, TFL_EVERIFY, "%s checkpoint of "
			    "size %llu: its state digest is not that of the "
			    "entries' fund state", cp_label(&cps[i]),
			    (unsigned long long)c->size);
	return 0;
}

/* The stored snapshot of size c->size against the replay, as c says. */
static int
snapshot_compare(struct cmp *c, size_t first, size_t last, size_t replayed,
    tfl_err *err)
{
	struct tfl__digest d;
	int rc;

	if ((rc = tfl__digest_begin(&d, err)) != 0)
		return rc;
	c->digest = &d;
	c->matched = 0;
	if (c->v->from == 0)
		rc = tfl_store_snapshot_foreach(c->txn, c->size, compare_record,
		    c, err);
	else
		rc = tfl_store_pair_walk(c->txn, c->size, c->v->from,
		    compare_overlay, c, err);
	c->digest = NULL;
	if (rc != 0) {
		tfl__digest_free(&d);
		return rc;
	}
	return snapshot_end(c, &d, first, last, replayed, err);
}

static void *
job_run(void *arg)
{
	struct job *j = arg;

	j->rc = snapshot_compare(&j->c, j->first, j->last, j->replayed,
	    &j->err);
	atomic_store(&j->over, 1);
	return NULL;
}

/* Wait for the job, if one runs, and free its reader; j->rc stays. */
static void
job_wait(void *ctx)
{
	struct job *j = ctx;

	if (!j->running)
		return;
	pthread_join(j->tid, NULL);
	tfl__scratch_reader_free(j->c.rd);
	j->c.rd = NULL;
	j->running = 0;
	if (j->rc == 0)
		j->c.v->snapshots++;
}

/* The job's failure, waited for, as the walk would have reported it. */
static int
job_status(struct vctx *v, tfl_err *err)
{
	struct job *j = &v->job;

	job_wait(j);
	if (j->rc == 0)
		return 0;
	*err = j->err;
	v->cur = j->c.size - 1;
	v->in_entry = 1;
	v->sigs = j->sigs; /* the report's, as if the walk stopped there */
	return j->rc;
}

/* Whether the job has ended (it may have failed): cheap, for each entry. */
static int
job_over(struct vctx *v)
{
	return v->job.running ? atomic_load(&v->job.over) : v->job.rc != 0;
}

/*
 * Compare the snapshot at this size on a thread: 0, or -1 when it must
 * be compared here (one thread, an incremental audit's overlay, or no
 * thread, reader or second transaction to be had).
 */
static int
job_start(struct vctx *v, size_t first, size_t last, size_t replayed)
{
	struct job *j = &v->job;
	tfl_err ignored = TFL_ERR_INIT;

	if (v->txn2 == NULL || v->from > 0 ||
	    tfl__scratch_reader_new(&j->c.rd, v->mem, &ignored) != 0)
		return -1;
	j->c.v = v;
	j->c.txn = v->txn2;
	j->c.digest = NULL;
	j->c.size = v->stream.size;
	j->c.matched = 0;
	j->c.reads = 0;
	j->first = first;
	j->last = last;
	j->replayed = replayed;
	j->sigs = v->sigs;
	j->rc = 0;
	atomic_store(&j->over, 0);
	if (pthread_create(&j->tid, NULL, job_run, j) != 0) {
		tfl__scratch_reader_free(j->c.rd);
		j->c.rd = NULL;
		return -1;
	}
	j->running = 1;
	return 0;
}

/*
 * The stored snapshot of the state at this size, if any, must be the
 * replayed state, and the checkpoints cps[first..last) of this size that
 * carry a state digest must carry its digest.
 */
static int
check_snapshot(struct vctx *v, size_t first, size_t last, tfl_err *err)
{
	struct cmp c = { NULL, NULL, NULL, NULL, 0, 0, 0 };
	size_t replayed, i;
	int rc;

	if (v->stream.size == v->from && v->from > 0) {
		/* The snapshot the walk started from: its digest is known. */
		for (i = first; i < last; i++)
			if (v->cps[i].body.has_state &&
			    memcmp(v->cps[i].body.state, v->trusted.state,
			    sizeof(v->trusted.state)) != 0)
				return tfl_err_set(err, TFL_EVERIFY, "%s "
				    "checkpoint of size %llu: its state digest "
				    "is not the trusted checkpoint's",
				    cp_label(&v->cps[i]),
				    (unsigned long long)v->from);
		return 0;
	}
	rc = tfl_store_snapshot_foreach(v->txn, v->stream.size, stop_at_once,
	    v, err);
	if (rc == TFL_ENOTFOUND) {
		/* Only those of older checkpoints are ever dropped. */
		for (i = first; i < last; i++)
			if (v->cps[i].kept)
				return tfl_err_set(err, TFL_EVERIFY, "the "
				    "snapshot of the fund state at size %llu "
				    "is missing (the ledger keeps those of its "
				    "%d newest checkpoints)",
				    (unsigned long long)v->stream.size,
				    TFL__SNAPSHOTS_KEPT);
		return 0;
	}
	if (rc != TFL_EEXIST)
		return rc;
	/*
	 * The job before, if any, ends first: its reader holds the file.
	 * Counted then: the count spills the replay to its file (peek).
	 */
	if ((rc = job_status(v, err)) != 0 ||
	    (rc = replayed_count(&replayed, v, err)) != 0)
		return rc;
	if (job_start(v, first, last, replayed) == 0)
		return 0;
	c.v = v;
	c.txn = v->txn;
	c.size = v->stream.size;
	if ((rc = snapshot_compare(&c, first, last, replayed, err)) == 0)
		v->snapshots++;
	return rc;
}

/* Compare the recomputed tree with every checkpoint of the current size. */
static int
check_checkpoints(struct vctx *v, tfl_err *err)
{
	uint8_t root[TFL_HASH_SIZE];
	size_t first = v->nextcp;
	struct cp *c;

	while (v->nextcp < v->ncps &&
	    v->cps[v->nextcp].body.size == v->stream.size) {
		c = &v->cps[v->nextcp++];
		tfl_merkle_stream_root(root, &v->stream);
		if (memcmp(root, c->body.root, sizeof(root)) != 0)
			return tfl_err_set(err, TFL_EVERIFY, "%s checkpoint of "
			    "size %llu: root does not match the entries "
			    "(rewritten history or a fork)", cp_label(c),
			    (unsigned long long)c->body.size);
	}
	if (v->nextcp > first)
		return check_snapshot(v, first, v->nextcp, err);
	return 0;
}

/* Push a leaf; its completed subtrees must match the stored tree. */
static int
check_tree(struct vctx *v, uint64_t seq, const uint8_t leaf[TFL_HASH_SIZE],
    tfl_err *err)
{
	tfl_merkle_node nodes[65];
	uint8_t stored[TFL_HASH_SIZE];
	size_t i, n;
	int rc;

	n = tfl_merkle_stream_push(&v->stream, leaf, nodes);
	for (i = 0; i < n; i++) {
		rc = tfl_store_node_get(v->txn, nodes[i].level, nodes[i].index,
		    stored, err);
		if (rc != 0 && rc != TFL_ENOTFOUND)
			return rc;
		if (rc == TFL_ENOTFOUND ||
		    memcmp(stored, nodes[i].hash, sizeof(stored)) != 0)
			return fail(err, seq, "stored tree node does not match "
			    "the entries");
	}
	return check_checkpoints(v, err);
}

/* Everything about one entry except the tree. */
static int
check_entry(struct vctx *v, uint64_t seq, const struct tfl__walked *w,
    tfl_err *err)
{
	const tfl_entry *e = w->e;
	tfl_fund_key keys[TFL_NOTE_MAX_SIGS];
	tfl_verifier admin;
	const char *signer = NULL;
	int rc;

	if (tfl_entry_seq(e) != seq)
		return fail(err, seq, "entry is stored under the wrong seq "
		    "(entries moved or swapped)");
	if (tfl_entry_note_one_signature(&w->note, NULL) != 0)
		return fail(err, seq, "an entry has exactly one signature line");
	if (memcmp(tfl_entry_prev(e), v->prev, TFL_HASH_SIZE) != 0)
		return fail(err, seq, "prev hash does not match the previous "
		    "entry");
	if (seq == 0)
		rc = genesis_signer(&signer, w, v, &admin, err);
	else
		rc = entry_signer(&signer, w, v, seq, keys, err);
	if (rc != 0)
		return rc;
	rc = tfl_fund_apply(&v->kv, e, signer, v->opts->sink, err);
	if (rc == TFL_ERULE || rc == TFL_EINVAL)
		return reframe(err, seq, "breaks a rule");
	return rc;
}

/* One entry, in seq order, as the walk prepared it (walk.h). */
static int
check_walked(struct vctx *v, const struct tfl__walked *w, tfl_err *err)
{
	uint64_t seq = w->seq;
	int rc = 0;

	v->cur = v->stream.size;
	v->in_entry = 1;
	if (seq != v->stream.size)
		return fail(err, v->stream.size, "missing from the ledger");
	if (w->state != TFL__WALK_OK)
		*err = w->err;
	if (w->state == TFL__WALK_BAD_NOTE)
		return reframe(err, seq, "malformed signed note");
	if (w->state == TFL__WALK_BAD_ENTRY)
		rc = reframe(err, seq, "malformed entry");
	if (rc == 0)
		rc = check_entry(v, seq, w, err);
	if (rc == 0)
		rc = check_tree(v, seq, w->leaf, err);
	memcpy(v->prev, w->chain, sizeof(v->prev));
	if (rc == 0 && v->opts->progress != NULL)
		v->opts->progress(v->opts->progress_ctx, seq + 1, v->total);
	if (rc == 0)
		v->in_entry = 0;
	return rc;
}

/*
 * check_walked, unless the job failed: then the walk stops there.  (A
 * failure of the walk's while the job runs is weighed against the job's
 * by check_entries, which waits for it.)
 */
static int
verify_one(void *ctx, const struct tfl__walked *w, tfl_err *err)
{
	struct vctx *v = ctx;
	int rc;

	if (job_over(v) && (rc = job_status(v, err)) != 0)
		return rc;
	return check_walked(v, w, err);
}

/* Parse a checkpoint note into c (signature checked later). */
static int
load_cp(struct cp *c, const char *data, size_t len, enum cp_from from,
    tfl_err *err)
{
	memset(c, 0, sizeof(*c));
	c->from = from;
	if (tfl_note_parse(&c->note, data, len, err) != 0)
		return TFL_EINVAL;
	if (tfl_checkpoint_parse(&c->body, c->note.text, c->note.textlen,
	    err) != 0) {
		tfl_note_release(&c->note);
		return TFL_EINVAL;
	}
	return 0;
}

static int
collect_cp(void *ctx, uint64_t size, const void *data, size_t len,
    tfl_err *err)
{
	struct vctx *v = ctx;
	struct cp *grown;

	grown = realloc(v->cps, (v->ncps + 1) * sizeof(*grown));
	if (grown == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	v->cps = grown;
	if (load_cp(&v->cps[v->ncps], data, len, CP_STORED, err) != 0) {
		err->code = TFL_EVERIFY;
		return tfl_err_prefix(err, "stored checkpoint of size %llu",
		    (unsigned long long)size);
	}
	v->ncps++;
	if (v->cps[v->ncps - 1].body.size != size)
		return tfl_err_set(err, TFL_EVERIFY, "stored checkpoint of "
		    "size %llu: its text says size %llu",
		    (unsigned long long)size,
		    (unsigned long long)v->cps[v->ncps - 1].body.size);
	return 0;
}

static int
cmp_cp(const void *a, const void *b)
{
	const struct cp *x = a, *y = b;

	return (x->body.size > y->body.size) - (x->body.size < y->body.size);
}

/* Add a checkpoint the auditor gave; malformed is TFL_EINVAL. */
static int
add_given(struct vctx *v, const char *data, size_t len, enum cp_from from,
    tfl_err *err)
{
	struct cp *grown, *c;
	int rc;

	grown = realloc(v->cps, (v->ncps + 1) * sizeof(*grown));
	if (grown == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	v->cps = grown;
	c = &v->cps[v->ncps];
	if ((rc = load_cp(c, data, len, from, err)) != 0) {
		tfl_err_prefix(err, "%s checkpoint", cp_label(c));
		return rc;
	}
	v->ncps++;
	if (from == CP_TRUSTED && c->body.size == 0)
		return tfl_err_set(err, TFL_EINVAL, "the trusted checkpoint "
		    "has size 0: it trusts nothing");
	if (from == CP_TRUSTED)
		v->trusted = c->body;
	return 0;
}

/*
 * Mark the stored checkpoints with a state digest whose sizes are the
 * TFL__SNAPSHOTS_KEPT largest among them: their snapshots must be there.
 */
static void
mark_kept(struct vctx *v)
{
	uint64_t last = UINT64_MAX;
	size_t i = v->ncps, sizes = 0;

	while (i-- > 0) {
		if (v->cps[i].from != CP_STORED || !v->cps[i].body.has_state)
			continue;
		if (v->cps[i].body.size != last) {
			if (sizes == TFL__SNAPSHOTS_KEPT)
				break;
			sizes++;
			last = v->cps[i].body.size;
		}
		v->cps[i].kept = 1;
	}
}

/* Gather stored checkpoints and the auditor's, sorted by size. */
static int
gather_checkpoints(struct vctx *v, tfl_err *err)
{
	const tfl_verify_opts *o = v->opts;
	int rc;

	if ((rc = tfl_store_checkpoint_foreach(v->txn, collect_cp, v,
	    err)) != 0 ||
	    (o->checkpoint != NULL && (rc = add_given(v, o->checkpoint,
	    o->checkpoint_len, CP_AUDITOR, err)) != 0) ||
	    (o->since != NULL && (rc = add_given(v, o->since, o->since_len,
	    CP_TRUSTED, err)) != 0))
		return rc;
	if (v->ncps > 1)
		qsort(v->cps, v->ncps, sizeof(*v->cps), cmp_cp);
	mark_kept(v);
	return 0;
}

/* Every checkpoint: signed by the log key, of this ledger, not beyond it. */
static int
finish_checkpoints(struct vctx *v, const tfl_fund_info *info, tfl_err *err)
{
	uint64_t revoked;
	struct cp *c;
	size_t i;
	int rc;

	if ((rc = tfl__log_key_revoked(&revoked, &v->kv, info, err)) != 0)
		return rc;
	for (i = 0; i < v->ncps; i++) {
		c = &v->cps[i];
		if (c->body.size > revoked)
			return tfl_err_set(err, TFL_EVERIFY, "%s of size %llu: "
			    "signed by the log key after its revocation at "
			    "seq %llu", cp_name(c),
			    (unsigned long long)c->body.size,
			    (unsigned long long)revoked);
		if (c->body.size > v->stream.size)
			return tfl_err_set(err, TFL_EVERIFY, "%s checkpoint of "
			    "size %llu: the ledger has only %llu entries "
			    "(truncated or rolled back)", cp_label(c),
			    (unsigned long long)c->body.size,
			    (unsigned long long)v->stream.size);
		if (strcmp(c->body.origin, info->origin) != 0)
			return tfl_err_set(err, TFL_EVERIFY, "%s of size %llu: "
			    "origin \"%.64s\" is not this ledger's", cp_name(c),
			    (unsigned long long)c->body.size, c->body.origin);
		if (tfl_note_verify(NULL, &c->note, &info->log_key, 1,
		    err) != 0) {
			err->code = TFL_EVERIFY;
			return tfl_err_prefix(err, "%s of size %llu",
			    cp_name(c), (unsigned long long)c->body.size);
		}
	}
	return 0;
}

/* The stored state must equal the state replayed from the entries. */
static int
compare_state(struct vctx *v, tfl_err *err)
{
	struct cmp c = { NULL, NULL, NULL, NULL, 0, 0, 0 };
	size_t replayed;
	int rc;

	/* Counted first: the count spills the replay to its file (peek). */
	if ((rc = replayed_count(&replayed, v, err)) != 0)
		return rc;
	/* Each stored record matches one of the replay's keys ... */
	c.v = v;
	c.txn = v->txn;
	if (v->from > 0)
		rc = tfl_store_pair_walk(v->txn, TFL_STORE_STATE, v->from,
		    compare_overlay, &c, err);
	else
		rc = tfl_store_state_foreach(v->txn, compare_record, &c, err);
	if (rc != 0)
		return rc;
	/* ... and there are as many of them. */
	if (c.matched != replayed)
		return tfl_err_set(err, TFL_EVERIFY, "stored state has %llu "
		    "records, the replayed entries give %zu",
		    (unsigned long long)c.matched, replayed);
	return 0;
}

/* compare_state, or its status if it ran while the last job did. */
static int
check_state(struct vctx *v, tfl_err *err)
{
	if (!v->state_done)
		return compare_state(v, err);
	if (v->state_rc != 0)
		*err = v->state_err;
	return v->state_rc;
}

/* The size the store recorded at its last append must be what we read. */
static int
check_size(struct vctx *v, tfl_err *err)
{
	char *meta = NULL, want[24];
	size_t len;
	int rc, same;

	if ((rc = tfl_store_meta_get(&meta, &len, v->txn, "size", err)) != 0)
		return rc == TFL_ENOTFOUND ? tfl_err_set(err, TFL_EVERIFY,
		    "the store records no size") : rc;
	snprintf(want, sizeof(want), "%llu",
	    (unsigned long long)v->stream.size);
	same = strlen(want) == len && memcmp(meta, want, len) == 0;
	free(meta);
	if (!same)
		return tfl_err_set(err, TFL_EVERIFY, "the store records a size "
		    "other than the %s entries it holds", want);
	return 0;
}

/* --since: the stored tree extends the trusted checkpoint. */
static int
check_since(struct vctx *v, tfl_err *err)
{
	size_t len;
	int rc;

	rc = tfl__proof_extends(&len, v->txn, v->total, &v->trusted,
	    "the trusted checkpoint", err);
	if (rc == 0)
		v->since = v->trusted.size;
	return tfl__check(v->checks, "consistency", rc, err, "the stored "
	    "tree of size %" PRIu64 " extends the trusted checkpoint of size %"
	    PRIu64 " (%zu hashes)", v->total, v->trusted.size, len);
}

/*
 * A record of the snapshot started from: digested, counted, and its keys
 * given to the walk.  The replay reads the snapshot where it needs it
 * (overlay_get), so it is not copied.
 */
static int
digest_snapshot(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct vctx *v = ctx;
	tfl_verifier *grown;
	tfl_fund_key k;
	int rc;

	trim_now_and_then(&v->reads, v->txn, v->mem, NULL);
	if ((rc = tfl__digest_add(v->digest, key, val, len, err)) != 0)
		return rc;
	v->snaprecs++;
	if (strncmp(key, "key/", 4) != 0 || len != sizeof(k))
		return 0;
	memcpy(&k, val, sizeof(k)); /* the walk checks signatures with it */
	k.verifier.name[sizeof(k.verifier.name) - 1] = '\0';
	grown = realloc(v->seeds, (v->nseeds + 1) * sizeof(*grown));
	if (grown == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	v->seeds = grown;
	v->seeds[v->nseeds++] = k.verifier;
	return 0;
}

/*
 * A record of the snapshot the replay started from.  Each read maps
 * pages of its own: 64 KiB around each page of its B-tree path that is
 * not mapped yet (the kernel's fault-around), so the maps are trimmed
 * as these reads go too.
 */
static int
snapshot_get(struct vctx *v, const char *key, void **val, size_t *len,
    tfl_err *err)
{
	trim_now_and_then(&v->reads, v->txn, v->mem, NULL);
	return tfl_store_snapshot_get(val, len, v->txn, v->from, key, err);
}

/* The replay's state from the snapshot on: what it wrote, else the snapshot. */
static int
overlay_get(void *ctx, const char *key, void **val, size_t *len,
    tfl_err *err)
{
	struct vctx *v = ctx;
	int rc;

	rc = v->mem_kv.get(v->mem_kv.ctx, key, val, len, err);
	if (rc != TFL_ENOTFOUND)
		return rc;
	return snapshot_get(v, key, val, len, err);
}

static int
overlay_put(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct vctx *v = ctx;
	const void *mine;
	void *old = NULL;
	size_t n;
	int rc;

	/* Count the keys the snapshot lacks, for check_state. */
	rc = tfl__scratch_peek(&mine, &n, v->mem, key, err);
	if (rc == TFL_ENOTFOUND) {
		rc = snapshot_get(v, key, &old, &n, err);
		if (rc == TFL_ENOTFOUND) {
			v->newkeys++;
			rc = 0;
		}
	}
	free(old);
	if (rc != 0)
		return rc;
	return v->mem_kv.put(v->mem_kv.ctx, key, val, len, err);
}

/*
 * The stored note of entry seq (in *data, malloc'd) and its leaf hash,
 * proved to be in the trusted checkpoint's tree.
 */
static int
pinned_entry(char **data, size_t *len, uint8_t leaf[TFL_HASH_SIZE],
    struct vctx *v, uint64_t seq, tfl_err *err)
{
	uint8_t proof[64][TFL_HASH_SIZE];
	size_t plen;
	int rc;

	if ((rc = tfl_store_entry_get(data, len, v->txn, seq, err)) != 0)
		return rc == TFL_ENOTFOUND ? fail(err, seq, "missing from the "
		    "ledger") : rc;
	tfl_merkle_leaf_hash(leaf, *data, *len);
	rc = tfl_merkle_inclusion(proof, &plen, seq, v->trusted.size,
	    tfl_store_node_get, v->txn, err);
	if (rc == 0)
		rc = tfl_merkle_verify_inclusion(seq, v->trusted.size, leaf,
		    (const uint8_t(*)[TFL_HASH_SIZE])proof, plen,
		    v->trusted.root, err);
	if (rc != 0) {
		free(*data);
		*data = NULL;
		if (rc == TFL_EVERIFY || rc == TFL_ENOTFOUND || rc == TFL_EINVAL)
			return fail(err, seq, "not the entry the trusted "
			    "checkpoint covers");
	}
	return rc;
}

/*
 * The replay's reader of earlier entries (an approval's target, a
 * reversal's): from the snapshot on, an entry below it was not walked,
 * so it is read with its inclusion proof in the trusted checkpoint.
 */
static int
pinned_or_walked(void *ctx, uint64_t seq, char **note, size_t *len,
    tfl_err *err)
{
	struct vctx *v = ctx;
	uint8_t leaf[TFL_HASH_SIZE];

	if (seq >= v->from)
		return tfl__txn_entry(v->txn, seq, note, len, err);
	return pinned_entry(note, len, leaf, v, seq, err);
}

/* The chain hash of entry seq, read with its proof, as v->prev. */
static int
pinned_chain(struct vctx *v, uint64_t seq, tfl_err *err)
{
	uint8_t leaf[TFL_HASH_SIZE];
	tfl_note note;
	char *data = NULL;
	size_t len;
	int rc;

	if ((rc = pinned_entry(&data, &len, leaf, v, seq, err)) != 0)
		return rc;
	if ((rc = tfl_note_parse(&note, data, len, err)) == 0) {
		rc = tfl_entry_note_chain_hash(v->prev, &note, err);
		tfl_note_release(&note);
	}
	free(data);
	return rc == TFL_EINVAL ? reframe(err, seq, "malformed signed note") :
	    rc;
}

/* --trust with a walk that starts past the genesis entry: check it. */
static int
check_genesis_pin(struct vctx *v, tfl_err *err)
{
	uint8_t leaf[TFL_HASH_SIZE];
	tfl_verifier admin;
	tfl_entry *e = NULL;
	tfl_note note;
	char *data = NULL;
	size_t len;
	int rc;

	if (v->opts->ntrust == 0)
		return 0;
	if ((rc = pinned_entry(&data, &len, leaf, v, 0, err)) != 0)
		return rc;
	if ((rc = tfl_note_parse(&note, data, len, err)) == 0) {
		if ((rc = tfl_entry_decode(&e, note.text, note.textlen,
		    err)) == 0)
			rc = genesis_trusted(e, v->opts, &admin, err);
		else
			rc = reframe(err, 0, "malformed entry");
		tfl_entry_free(e);
		tfl_note_release(&note);
	} else {
		rc = reframe(err, 0, "malformed signed note");
	}
	free(data);
	return rc;
}

/*
 * --since with a trusted checkpoint that carries a state digest: load
 * the stored snapshot of its size as the replay's state, check it, and
 * set the walk to start there (v->from).  No snapshot stored: 0 with
 * v->from 0, a replay from seq 0.
 */
static int
start_at_snapshot(struct vctx *v, tfl_err *err)
{
	struct tfl__digest d;
	uint8_t digest[TFL_HASH_SIZE], root[TFL_HASH_SIZE];
	uint64_t n = v->trusted.size;
	unsigned l;
	int rc;

	if (!v->trusted.has_state)
		return 0;
	if ((rc = tfl__digest_begin(&d, err)) != 0)
		return rc;
	v->digest = &d;
	v->snaprecs = 0;
	rc = tfl_store_snapshot_foreach(v->txn, n, digest_snapshot, v, err);
	v->digest = NULL;
	if (rc != 0) {
		tfl__digest_free(&d);
		return rc == TFL_ENOTFOUND ? 0 : rc;
	}
	if ((rc = tfl__digest_end(digest, &d, err)) != 0)
		return rc;
	if (memcmp(digest, v->trusted.state, sizeof(digest)) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "the stored snapshot of "
		    "the fund state at size %llu does not match the trusted "
		    "checkpoint's state digest", (unsigned long long)n);
	/* The stored tree's frontier at n must give the trusted root. */
	for (l = 0; l < 64; l++) {
		if ((n >> l & 1) == 0)
			continue;
		rc = tfl_store_node_get(v->txn, l, (n >> l) - 1,
		    v->stream.stack[l], err);
		if (rc == TFL_ENOTFOUND)
			return fail(err, n - 1, "stored tree node missing");
		if (rc != 0)
			return rc;
	}
	v->stream.size = n;
	tfl_merkle_stream_root(root, &v->stream);
	if (memcmp(root, v->trusted.root, sizeof(root)) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "the stored tree of size "
		    "%llu does not give the trusted checkpoint's root",
		    (unsigned long long)n);
	if ((rc = pinned_chain(v, n - 1, err)) != 0 ||
	    (rc = check_genesis_pin(v, err)) != 0)
		return rc;
	v->from = n;
	v->kv.get = overlay_get;
	v->kv.get_fixed = NULL;
	v->kv.put = overlay_put;
	v->kv.ctx = v;
	v->kv.entry = pinned_or_walked;
	v->kv.entry_ctx = v;
	return 0;
}

/*
 * Checkpoints below the size the walk starts at: the stored tree must
 * extend each (the walk does not pass their sizes).
 */
static int
check_older_checkpoints(struct vctx *v, tfl_err *err)
{
	struct cp *c;
	size_t len;
	int rc;

	while (v->nextcp < v->ncps && v->cps[v->nextcp].body.size < v->from) {
		c = &v->cps[v->nextcp++];
		rc = tfl__proof_extends(&len, v->txn, v->total, &c->body,
		    cp_label(c), err);
		if (rc != 0)
			return rc;
	}
	return check_checkpoints(v, err);
}

/* Walk the entries; the check says what was and was not re-checked. */
static int
check_entries(struct vctx *v, tfl_err *err)
{
	struct tfl__walk_start at = { 0, 0, NULL, 0 };
	uint64_t n;
	int rc, jrc;

	at.since = v->since;
	if (v->since > 0 && (rc = start_at_snapshot(v, err)) != 0)
		return tfl__check(v->checks, "entries", rc, err, "%s", "");
	if (v->from > 0 && (rc = check_older_checkpoints(v, err)) != 0)
		return tfl__check(v->checks, "checkpoints", rc, err, "%s", "");
	at.from = v->from;
	at.keys = v->seeds;
	at.nkeys = v->nseeds;
	rc = tfl__walk(v->txn, tfl__ledger_threads(v->l), &at, verify_one, v,
	    err);
	if (rc == 0 && v->job.running) {
		/* The stored state, compared while the last job runs. */
		v->state_rc = compare_state(v, &v->state_err);
		v->state_done = 1;
	}
	if ((jrc = job_status(v, err)) != 0)
		rc = jrc;
	if (rc == 0 && v->stream.size == 0)
		rc = tfl_err_set(err, TFL_EVERIFY, "the ledger is empty");
	n = v->stream.size;
	if (v->since == 0)
		return tfl__check(v->checks, "entries", rc, err, "%" PRIu64
		    " entries: encoding, %" PRIu64 " signatures, links, fund "
		    "rules, tree", n, v->sigs);
	if (v->from > 0)
		return tfl__check(v->checks, "entries", rc, err, "%" PRIu64
		    " entries: %" PRIu64 " covered by the trusted checkpoint, "
		    "not read (the replay starts from the stored snapshot of "
		    "the fund state, which matches its state digest), %" PRIu64
		    " checked in full (%" PRIu64 " signatures)", n, v->from,
		    n - v->from, v->sigs);
	return tfl__check(v->checks, "entries", rc, err, "%" PRIu64 " entries:"
	    " %" PRIu64 " covered by the trusted checkpoint replayed without "
	    "their signatures, %" PRIu64 " checked in full (%" PRIu64
	    " signatures)", n, v->since, n - v->since, v->sigs);
}

/* v->txn2, of v->txn's commit, for jobs; none if it cannot be had. */
static void
second_txn(struct vctx *v)
{
	tfl_err ignored = TFL_ERR_INIT;

	if (tfl_store_begin(&v->txn2, v->l->store, 0, &ignored) != 0)
		v->txn2 = NULL;
	else if (!tfl_store_same_view(v->txn, v->txn2)) {
		tfl_store_abort(v->txn2); /* a commit came between */
		v->txn2 = NULL;
	}
}

static int
run(struct vctx *v, tfl_verify_report *out, tfl_err *err)
{
	tfl_fund_info info;
	int rc;

	if ((rc = tfl_store_size(&v->total, v->txn, err)) != 0)
		return rc;
	if ((rc = gather_checkpoints(v, err)) != 0 ||
	    (rc = check_checkpoints(v, err)) != 0)
		return tfl__check(v->checks, "checkpoints", rc, err, "%s", "");
	if ((v->trusted.size > 0 && (rc = check_since(v, err)) != 0) ||
	    (rc = check_entries(v, err)) != 0)
		return rc;
	if ((rc = tfl_fund_info_get(&info, &v->kv, err)) == 0)
		rc = finish_checkpoints(v, &info, err);
	if (tfl__check(v->checks, "checkpoints", rc, err, "%zu checkpoints: "
	    "signed by the log key, each the root of the entries at its size",
	    v->ncps) != 0)
		return rc;
	rc = check_size(v, err);
	if (tfl__check(v->checks, "size", rc, err, "the store records the %"
	    PRIu64 " entries it holds", v->stream.size) != 0)
		return rc;
	rc = check_state(v, err);
	if (tfl__check(v->checks, "state", rc, err, "the stored fund state "
	    "is the state the entries replay to; %" PRIu64 " stored "
	    "snapshots of it equal the replay at their sizes", v->snapshots) != 0)
		return rc;
	out->size = v->stream.size;
	out->checkpoints = v->ncps;
	tfl_merkle_stream_root(out->root, &v->stream);
	return 0;
}

int
tfl_ledger_verify(tfl_verify_report *out, tfl_ledger *l,
    const tfl_verify_opts *opts, tfl_err *err)
{
	static const tfl_verify_opts none = TFL_VERIFY_OPTS_INIT;
	struct vctx v;
	size_t i;
	int rc;

	memset(&v, 0, sizeof(v));
	memset(out, 0, sizeof(*out));
	out->bad_seq = UINT64_MAX;
	v.l = l;
	v.opts = opts != NULL ? opts : &none;
	v.checks = &out->checks;
	tfl_merkle_stream_init(&v.stream);
	if (tfl__scratch_new(&v.mem, l->tmpdir != NULL ? l->tmpdir :
	    SCRATCH_DIR, l->scratch_mem > 0 ? l->scratch_mem :
	    SCRATCH_MEM) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	tfl__scratch_kv(&v.mem_kv, v.mem);
	tfl__scratch_on_spill(v.mem, job_wait, &v.job);
	v.kv = v.mem_kv;
	rc = tfl_store_begin(&v.txn, l->store, 0, err);
	if (rc == 0 && tfl__ledger_threads(l) > 1)
		second_txn(&v);
	v.kv.entry = tfl__txn_entry;
	v.kv.entry_ctx = v.txn;
	if (rc == 0)
		rc = run(&v, out, err);
	if (rc == TFL_EVERIFY && v.in_entry)
		out->bad_seq = v.cur;
	out->since = v.since;
	out->from = v.from;
	out->snapshots = v.snapshots;
	out->signatures = v.sigs;
	job_wait(&v.job);
	tfl_store_abort(v.txn2);
	tfl_store_abort(v.txn);
	for (i = 0; i < v.ncps; i++)
		tfl_note_release(&v.cps[i].note);
	free(v.cps);
	free(v.seeds);
	tfl__scratch_free(v.mem);
	return rc;
}
