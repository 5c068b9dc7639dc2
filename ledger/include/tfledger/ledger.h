/*
 * tfledger/ledger.h - the append and verify pipelines.
 *
 * Appending: in one write transaction, for each draft entry: fill its
 * header (origin, next seq, time, the previous entry's chain hash),
 * encode it, check it against the fund state and the signer's role
 * (tfl_fund_apply), sign it as a signed note (long commands on all the
 * threads tfl_ledger_set_threads allows), append it with its tree nodes;
 * then commit.  A command's entries are all appended or none.
 *
 * Verifying: read every entry in order, parse it strictly, check its
 * signature by a key enrolled at that seq, its seq, prev and time, replay
 * the fund rules on a state rebuilt from nothing, recompute the Merkle
 * tree and compare it with the stored tree nodes, every stored checkpoint
 * and any checkpoint the auditor brings.  Signatures are checked on all
 * the threads tfl_ledger_set_threads allows while one thread replays in
 * order; the replayed state beyond a few MiB goes to a scratch file
 * (tfl_ledger_set_scratch), so memory stays bounded whatever the size.
 */
#ifndef TFLEDGER_LEDGER_H
#define TFLEDGER_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/entry.h"
#include "tfledger/err.h"
#include "tfledger/fund.h"
#include "tfledger/keys.h"
#include "tfledger/merkle.h"
#include "tfledger/note.h"

typedef struct tfl_ledger tfl_ledger;

/* clang-format off */
#define TFL_LEDGER_RDONLY	0x1	/* read-only: for audits and queries */
/* clang-format on */

/* The identity of a new ledger, written as its genesis entry. */
typedef struct tfl_genesis {
	const char *origin;	     /* e.g. "unodc.org/unvtf/ledger" */
	const char *fund;	     /* the fund's name */
	const char *currency;	     /* the base currency, e.g. "USD" */
	const tfl_verifier *log_key; /* NULL: the admin key signs checkpoints */
} tfl_genesis;

/*
 * Create a ledger in dir (created if missing) and append its genesis
 * entry, signed by admin, at time now.  Returns 0, TFL_EEXIST (dir holds
 * a ledger already), TFL_EINVAL (bad origin, fund name, currency), or
 * TFL_EIO.
 */
int tfl_ledger_create(tfl_ledger **out, const char *dir,
    const tfl_genesis *g, const tfl_key *admin, int64_t now, tfl_err *err);

/*
 * Open the ledger in dir.  Returns 0, TFL_ENOTFOUND (no ledger there) or
 * TFL_EIO.
 */
int tfl_ledger_open(tfl_ledger **out, const char *dir, unsigned flags,
    tfl_err *err);

/* Close l.  NULL is a no-op. */
void tfl_ledger_close(tfl_ledger *l);

/*
 * Have appends to l call fn(ctx, done, total) after each entry is checked,
 * signed and stored, total being the command's entries (for a progress
 * bar during a long import).  A retry after the map grows counts again
 * from 1.  fn NULL turns it off.
 */
void tfl_ledger_set_progress(tfl_ledger *l,
    void (*fn)(void *ctx, uint64_t done, uint64_t total), void *ctx);

/* The ledger's identity and size.  0, TFL_ENOTFOUND, TFL_EIO. */
int tfl_ledger_info(tfl_fund_info *out, tfl_ledger *l, tfl_err *err);

/*
 * Builds a command's drafts inside the write transaction, from the
 * current state (so that figures such as the PSC due are computed from
 * exactly the state they will be applied to).  It returns a malloc'd
 * array of *n drafts in *out, which the ledger frees (entries included).
 * Returns 0 or a status.
 */
typedef int (*tfl_ledger_build_fn)(void *ctx, tfl_kv *state, tfl_draft **out,
    size_t *n, tfl_err *err);

/*
 * Have appends to l take their time from fn(ctx), called once the writer
 * lock is held, instead of their now argument.  A process that read its
 * clock before waiting for the lock could otherwise find an entry timed
 * after its own committed meanwhile, and be refused as if its clock went
 * back.  fn NULL goes back to now.
 */
void tfl_ledger_set_clock(tfl_ledger *l, int64_t (*fn)(void *ctx),
    void *ctx);

/*
 * Have l use n threads (0, the default: one per online core) for the
 * work that can run in parallel: the signature checks of an audit, and
 * the signing of an append's entries while the rules check the next
 * ones.  Results never depend on n: the entries, the audit's report and
 * its messages are the same byte for byte with 1 thread or many.
 */
void tfl_ledger_set_threads(tfl_ledger *l, unsigned n);

/*
 * An audit of l rebuilds the fund state from the entries.  It keeps that
 * state in memory up to mem bytes of records (0, the default: 4 MiB),
 * then in a scratch file made in tmpdir (NULL, the default: "/tmp") and
 * unlinked at once, so that its memory does not grow with the ledger and
 * nothing is left behind, even by a killed process.  Where no scratch
 * file can be made the state stays in memory.  tmpdir is not copied: it
 * must stay valid while l is open.
 */
void tfl_ledger_set_scratch(tfl_ledger *l, const char *tmpdir, size_t mem);

/*
 * Append drafts[0..n) (type and fields set; headers are filled here),
 * signed by signer, at time now (or the clock's, tfl_ledger_set_clock).
 * On success *out_seq (if not NULL) is the seq of the last entry
 * appended.  Returns 0, TFL_ERULE (a rule refused an entry: nothing is
 * written, also an entry timed before the last one), TFL_EINVAL,
 * TFL_ENOTFOUND (no ledger), TFL_EIO.
 */
int tfl_ledger_append(uint64_t *out_seq, tfl_ledger *l, const tfl_key *signer,
    tfl_entry *const *drafts, size_t n, int64_t now, tfl_err *err);

/* As tfl_ledger_append, with drafts made by build inside the transaction. */
int tfl_ledger_append_built(uint64_t *out_seq, tfl_ledger *l,
    const tfl_key *signer, tfl_ledger_build_fn build, void *ctx,
    int64_t now, tfl_err *err);

/*
 * Copy the signed note of entry seq into *out (malloc'd, NUL-terminated;
 * caller frees).  Returns 0, TFL_ENOTFOUND (seq beyond the end), TFL_EIO.
 */
int tfl_ledger_entry(char **out, size_t *out_len, tfl_ledger *l,
    uint64_t seq, tfl_err *err);

/*
 * Sign a checkpoint of the current tree with log_key (the ledger's log
 * key), store it and return its signed note in *out (caller frees).
 * Returns 0, TFL_ERULE (not the log key), TFL_EIO.
 */
int tfl_ledger_checkpoint(char **out, size_t *out_len, tfl_ledger *l,
    const tfl_key *log_key, tfl_err *err);

/*
 * The latest stored checkpoint's note (caller frees).  Returns 0,
 * TFL_ENOTFOUND (none yet), TFL_EIO.
 */
int tfl_ledger_checkpoint_latest(char **out, size_t *out_len, tfl_ledger *l,
    tfl_err *err);

/*
 * Write a hot backup of l into dir: a consistent, compacted copy of what
 * was committed when it began, safe while other processes append (it
 * blocks no writer).  dir must not exist (it is made, mode 0700) or be an
 * empty directory; the copy's data.mdb is mode 0600 and synced to disk.
 * Nothing is left in dir on failure.  The copy is a ledger that tfaudit
 * verifies and that can be put in place of a lost one.  Returns 0,
 * TFL_EEXIST (dir is not an empty directory), TFL_ENOTFOUND (dir's
 * parent directory does not exist), TFL_EIO.
 */
int tfl_ledger_backup(tfl_ledger *l, const char *dir, tfl_err *err);

/*
 * Call fn for every key ever enrolled, in enrolment order.  Returns 0,
 * fn's first non-zero return, or a status.
 */
int tfl_ledger_keys(tfl_ledger *l,
    int (*fn)(void *ctx, const tfl_fund_key *key), void *ctx, tfl_err *err);

/*
 * Run fn with the current fund state in a read transaction (for the
 * tfl_fund_* queries).  Returns fn's status or a storage status.
 */
int tfl_ledger_read(tfl_ledger *l,
    int (*fn)(void *ctx, tfl_kv *state, tfl_err *err), void *ctx,
    tfl_err *err);

/*
 * What an audit is given.  since, when not NULL, is a checkpoint note the
 * auditor already trusts (size m > 0, signed by the log key): the audit
 * is then incremental.  It first proves that the stored tree extends the
 * trusted one (an RFC 9162 consistency proof).  When the trusted
 * checkpoint carries a fund state digest and the store still holds the
 * snapshot of that state, the snapshot (checked against the digest) is
 * the starting state, and only the entries from m on are read and
 * checked as a full audit checks them.  Otherwise every entry is
 * replayed, and only the Ed25519 signatures of entries below m are not
 * checked: the recomputed root at size m must equal the trusted root, so
 * those are the bytes that were audited before.  docs/AUDIT.md gives the
 * trust model.
 */
typedef struct tfl_verify_opts {
	const char *checkpoint;	 /* a checkpoint note the auditor holds */
	size_t checkpoint_len;
	const tfl_verifier *trust; /* pinned genesis admin keys */
	size_t ntrust;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	const tfl_posting_sink *sink; /* receives every posting replayed */
	const char *since;	      /* a trusted checkpoint note, or NULL */
	size_t since_len;
} tfl_verify_opts;

#define TFL_VERIFY_OPTS_INIT { NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0 }

/* One check of an audit or a proof, for a machine-readable result. */
typedef struct tfl_check {
	const char *name;	      /* static: "entries", "state", ... */
	int ok;			      /* 1 when it holds */
	char detail[TFL_ERR_MSG_MAX]; /* what it established, or why not */
} tfl_check;

#define TFL_CHECKS_MAX 8

/* The checks a call ran, in order; it stops after the first failure. */
typedef struct tfl_checks {
	tfl_check c[TFL_CHECKS_MAX];
	size_t n;
} tfl_checks;

/* What an audit found. */
typedef struct tfl_verify_report {
	uint64_t size;		     /* entries verified */
	uint8_t root[TFL_HASH_SIZE]; /* the root of those entries */
	uint64_t checkpoints;	     /* checkpoints checked */
	uint64_t bad_seq;	     /* first failing seq, or UINT64_MAX */
	uint64_t since;		     /* the trusted size m, 0 for none */
	uint64_t from;		     /* m when the walk started from the
				      * snapshot at m, else 0 */
	uint64_t snapshots;	     /* state snapshots compared */
	uint64_t signatures;	     /* entry signatures checked */
	tfl_checks checks;	     /* each step and its outcome */
} tfl_verify_report;

/*
 * Audit the whole ledger (incrementally with opts->since).  Returns 0
 * when everything holds; TFL_EVERIFY with err naming the first failing
 * seq (or checkpoint) and what is wrong; TFL_EINVAL for a malformed
 * auditor's or trusted checkpoint (or a trusted one of size 0); TFL_EIO.
 * out->checks lists the steps run, the failing one last.
 */
int tfl_ledger_verify(tfl_verify_report *out, tfl_ledger *l,
    const tfl_verify_opts *opts, tfl_err *err);

#endif
