/*
 * walk.h - the audit's walk over the entries (walk.c): each entry is
 * prepared (leaf hash, note parsed, entry decoded, Ed25519 signatures
 * checked) on any of the walk's threads, then handed to the caller's
 * function on the caller's thread, in seq order.  What the caller does
 * in order (links, keys, fund rules, tree) is the audit itself; the
 * preparation only saves it work, so results never depend on the
 * number of threads.
 */
#ifndef TFLEDGER_WALK_H
#define TFLEDGER_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "tfledger/entry.h"
#include "tfledger/merkle.h"
#include "tfledger/note.h"
#include "tfledger/store.h"

#define TFL__WALK_VERDICTS 4 /* signature lines checked ahead, per note */

/* clang-format off */
#define TFL__WALK_OK		0	/* parsed and decoded */
#define TFL__WALK_BAD_NOTE	1	/* the note does not parse: err */
#define TFL__WALK_BAD_ENTRY	2	/* the entry does not decode: err */
/* clang-format on */

/* One entry, prepared. */
struct tfl__walked {
	uint64_t seq;		     /* its key in the entries database */
	char *data;		     /* a copy of the stored note */
	size_t len, cap;
	uint8_t leaf[TFL_HASH_SIZE]; /* its leaf hash */
	uint8_t chain[TFL_HASH_SIZE]; /* its chain hash, when it has one
					 signature line; else zeros */
	int state;		     /* TFL__WALK_* */
	tfl_err err;		     /* why, when state is not OK */
	tfl_note note;		     /* parsed, unless BAD_NOTE */
	tfl_entry *e;		     /* decoded, when OK */
	/*
	 * The checks of its first signature lines by the keys the walk
	 * has seen enrolled (genesis and key-enroll entries), whoever
	 * enrolled them: the caller decides which key counts and uses a
	 * verdict only when it was made with that key (see
	 * tfl__note_verify_known).  None for seqs below since.
	 */
	struct tfl__verdict v[TFL__WALK_VERDICTS];
};

/* Called in seq order on the caller's thread; non-zero stops the walk. */
typedef int (*tfl__walk_fn)(void *ctx, const struct tfl__walked *w,
    tfl_err *err);

/* Where a walk starts, and what it knows there. */
struct tfl__walk_start {
	uint64_t from;		   /* the first seq walked */
	uint64_t since;		   /* no signatures checked below it */
	const tfl_verifier *keys; /* enrolled before from (none: NULL) */
	size_t nkeys;
};

/*
 * Walk the entries of txn (a read transaction) from seq at->from with
 * threads threads, the caller's included (1: all on the caller's
 * thread), not checking signatures of seqs below at->since, with the
 * keys at->keys known from the start.  Every 4096 entries the map's
 * pages are dropped (tfl_store_trim).  Returns 0, fn's first non-zero
 * return (with err as fn set it), TFL_ENOMEM, or the store's status for
 * a failed read (only when fn accepted every entry before it).
 */
int tfl__walk(tfl_txn *txn, unsigned threads,
    const struct tfl__walk_start *at, tfl__walk_fn fn, void *ctx,
    tfl_err *err);

#endif
