/*
 * proof_internal.h - shared by proof.c and verify.c.
 */
#ifndef TFLEDGER_PROOF_INTERNAL_H
#define TFLEDGER_PROOF_INTERNAL_H

#include "tfledger/checkpoint.h"
#include "tfledger/ledger.h"
#include "tfledger/store.h"

/*
 * Append a check named name to cs (NULL: nothing): failed with err's
 * message when rc != 0, else passed with the printf-style detail.
 * Returns rc, so that a step can end with `return tfl__check(...)`.
 */
int tfl__check(tfl_checks *cs, const char *name, int rc, const tfl_err *err,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/*
 * Prove with the stored tree of txn that its first size leaves extend
 * the tree of old (RFC 9162 consistency, verified against old's root);
 * the proof's length goes to *out_len.  what names old in messages ("the
 * trusted checkpoint").  Returns 0, TFL_EVERIFY (size < old's size, a
 * stored node missing, or the proof does not verify: rewritten history
 * or a fork), TFL_EIO.
 */
int tfl__proof_extends(size_t *out_len, tfl_txn *txn, uint64_t size,
    const tfl_checkpoint *old, const char *what, tfl_err *err);

#endif
