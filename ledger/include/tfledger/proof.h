/*
 * tfledger/proof.h - proofs that others check without the ledger.
 *
 * An inclusion proof shows that one entry's signed note is leaf SEQ of
 * the tree a signed checkpoint commits to; a consistency proof, that the
 * tree of an older checkpoint is a prefix of a newer one's (RFC 9162
 * 2.1.3 and 2.1.4).  Both are read from the stored tree (O(log n) nodes)
 * and checked before they are returned, by the same functions an outside
 * verifier calls with nothing but the log key.  docs/AUDIT.md says what
 * each proof establishes and what it trusts.
 *
 * The checks of the _entry, _checkpoints and _verify_ calls go to a
 * caller-owned tfl_checks (ledger.h) when it is not NULL, in the order
 * they ran, the failing one last.
 */
#ifndef TFLEDGER_PROOF_H
#define TFLEDGER_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/ledger.h"
#include "tfledger/merkle.h"
#include "tfledger/note.h"

/*
 * An entry's inclusion proof with what is needed to check it.  Filled by
 * tfl_proof_entry, whose notes are malloc'd (tfl_inclusion_release frees
 * them), or by a caller that read a proof file, who owns what the
 * pointers point to and does not call _release.
 */
typedef struct tfl_inclusion {
	uint64_t seq;		     /* the leaf index: the entry's seq */
	uint64_t size;		     /* the tree size: the checkpoint's */
	uint8_t leaf[TFL_HASH_SIZE]; /* the leaf hash of note */
	uint8_t root[TFL_HASH_SIZE]; /* the checkpoint's root */
	uint8_t path[TFL_MERKLE_MAX_PROOF][TFL_HASH_SIZE];
	size_t len;		     /* hashes in path */
	char *note;		     /* the entry's signed note */
	size_t note_len;
	char *checkpoint;	     /* the checkpoint's signed note */
	size_t checkpoint_len;
} tfl_inclusion;

/* A consistency proof between two checkpoints, owned as tfl_inclusion. */
typedef struct tfl_consistency {
	uint64_t old_size, new_size;
	uint8_t old_root[TFL_HASH_SIZE], new_root[TFL_HASH_SIZE];
	uint8_t path[TFL_MERKLE_MAX_PROOF][TFL_HASH_SIZE];
	size_t len;
	char *old_cp; /* the older checkpoint's signed note */
	size_t old_cp_len;
	char *new_cp; /* the newer checkpoint's signed note */
	size_t new_cp_len;
} tfl_consistency;

/*
 * The inclusion proof of leaf seq in the stored tree of size (*out_len
 * hashes into out, capacity TFL_MERKLE_MAX_PROOF).  Returns 0, TFL_EINVAL
 * (seq >= size), TFL_ENOTFOUND (size beyond the ledger), TFL_EIO.
 */
int tfl_proof_inclusion(uint8_t out[][TFL_HASH_SIZE], size_t *out_len,
    tfl_ledger *l, uint64_t seq, uint64_t size, tfl_err *err);

/*
 * The consistency proof from size1 to size2 in the stored tree.  Returns
 * 0, TFL_EINVAL (size1 == 0 or size1 > size2), TFL_ENOTFOUND (size2
 * beyond the ledger), TFL_EIO.
 */
int tfl_proof_consistency(uint8_t out[][TFL_HASH_SIZE], size_t *out_len,
    tfl_ledger *l, uint64_t size1, uint64_t size2, tfl_err *err);

/*
 * The proof that entry seq is in the tree of checkpoint[0..len) (NULL:
 * the latest stored checkpoint), with the entry's and the checkpoint's
 * notes, checked with tfl_proof_verify_inclusion and the ledger's log key
 * before it is returned.  First checks ("checkpoint of this ledger") that
 * the checkpoint has the ledger's origin, does not exceed its size, was
 * not signed after a revocation of the log key, and that its root is the
 * stored tree's root at its size.  On success release *out with
 * tfl_inclusion_release.  Returns 0, TFL_EINVAL (a malformed checkpoint,
 * seq not below its size), TFL_ENOTFOUND (no checkpoint stored),
 * TFL_EVERIFY (the checkpoint is not this ledger's, or a check failed),
 * TFL_EIO, TFL_ENOMEM.
 */
int tfl_proof_entry(tfl_inclusion *out, tfl_checks *checks, tfl_ledger *l,
    uint64_t seq, const char *checkpoint, size_t len, tfl_err *err);

/* Free the notes of a proof made by tfl_proof_entry.  NULL is a no-op. */
void tfl_inclusion_release(tfl_inclusion *p);

/*
 * Check an inclusion proof with nothing but the log key: "checkpoint"
 * (the note parses as a checkpoint signed by log_key, of p->size and
 * p->root), "entry" (p->note parses as an entry of the checkpoint's
 * origin whose seq is p->seq and whose leaf hash is p->leaf), then
 * "inclusion" (the path leads from that leaf to the signed root).  The
 * leaf and the root are recomputed from the notes, never taken on trust.
 * The entry's own signature is not checked: that needs the key enrolled
 * at that seq, which the full audit knows.  Returns 0, TFL_EVERIFY naming
 * the first failing check, TFL_ECRYPTO or TFL_ENOMEM.
 */
int tfl_proof_verify_inclusion(tfl_checks *checks, const tfl_inclusion *p,
    const tfl_verifier *log_key, tfl_err *err);

/*
 * The proof that the tree of checkpoint old extends to the tree of
 * checkpoint new (NULL: the latest stored), checked before it is
 * returned.  First ("ledger"): both checkpoints have the ledger's origin;
 * the old one is no larger than the new one and than the ledger; the new
 * one is the ledger's (its root is the stored tree's root at its size).
 * Then tfl_proof_verify_consistency with the ledger's log key.  On
 * success release *out with tfl_consistency_release.  Returns 0,
 * TFL_EINVAL (a malformed checkpoint), TFL_ENOTFOUND (no checkpoint
 * stored), TFL_EVERIFY (the ledger does not extend the old checkpoint: a
 * rewritten, forked, truncated or rolled-back ledger; or a bad
 * signature), TFL_EIO, TFL_ENOMEM.
 */
int tfl_proof_checkpoints(tfl_consistency *out, tfl_checks *checks,
    tfl_ledger *l, const char *old, size_t old_len, const char *new_cp,
    size_t new_len, tfl_err *err);

/* Free the notes of a proof made by tfl_proof_checkpoints.  NULL: no-op. */
void tfl_consistency_release(tfl_consistency *p);

/*
 * Check a consistency proof with nothing but the log key: "old
 * checkpoint" and "new checkpoint" (each parses, is signed by log_key,
 * and has the sizes and roots p claims; the same origin), then
 * "consistency" (the path proves the old tree a prefix of the new).
 * Returns 0, TFL_EVERIFY naming the first failing check, TFL_ECRYPTO or
 * TFL_ENOMEM.
 */
int tfl_proof_verify_consistency(tfl_checks *checks, const tfl_consistency *p,
    const tfl_verifier *log_key, tfl_err *err);

#endif
