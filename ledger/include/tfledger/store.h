/*
 * tfledger/store.h - the LMDB environment of one ledger directory.
 *
 * Named databases: entries (seq -> signed note, appended only),
 * tree (level, index -> 32-byte complete-subtree hash), checkpoints
 * (size -> checkpoint note), meta (name -> value), state (key -> record,
 * the fund state kept by the ledger), snapshots (size and key -> record,
 * the state at a checkpoint), index (key -> seqs, sorted
 * duplicates).  Integer keys are uint64 big-endian.
 *
 * There is no call that changes or deletes an entry.  All reads copy out
 * of LMDB memory: nothing returned points into the map.  Writes happen in
 * one write transaction per command; LMDB's writer lock serializes
 * processes.  The map grows on demand: when a write finds the map full it
 * returns TFL_EFULL, the caller aborts, calls tfl_store_grow and retries.
 * Any call that allocates may also return TFL_ENOMEM.
 */
#ifndef TFLEDGER_STORE_H
#define TFLEDGER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/merkle.h"

typedef struct tfl_store tfl_store;
typedef struct tfl_txn tfl_txn;

/* clang-format off */
#define TFL_STORE_RDONLY	0x1	/* open read-only (MDB_RDONLY) */
#define TFL_STORE_CREATE	0x2	/* create the directory's files */
/* clang-format on */

/*
 * Open the ledger in directory dir.  Without TFL_STORE_CREATE a
 * directory with no ledger is TFL_ENOTFOUND.  Read-only opens work on a
 * read-only directory or a copy.  The reader slots of dead processes
 * (killed inside a read transaction) are freed.  A lock.mdb that is no
 * file, or not LMDB's while another process uses the ledger, is
 * TFL_EIO naming lock.mdb.  Returns 0, TFL_ENOTFOUND, TFL_EIO.
 */
int tfl_store_open(tfl_store **out, const char *dir, unsigned flags,
    tfl_err *err);

/* Close the environment.  No transaction may be open.  NULL is a no-op. */
void tfl_store_close(tfl_store *store);

/*
 * Double the map size (call with no transaction open in this process).
 * Returns 0, TFL_ENOMEM (no address space for the larger map) or
 * TFL_EIO.  After a failure the store stays usable at its old size; in
 * the unlikely case that even that cannot be mapped again, every later
 * call but tfl_store_close is TFL_EIO.
 */
int tfl_store_grow(tfl_store *store, tfl_err *err);

/*
 * Begin a transaction (write != 0 for a write transaction, which waits
 * for the writer lock, and first doubles the map if more than half of it
 * is used and this process has no other transaction open).  Returns 0,
 * TFL_ENOMEM (the map had to grow and could not) or TFL_EIO (also when
 * lock.mdb was removed or replaced since the open: the store must be
 * opened again).
 */
int tfl_store_begin(tfl_txn **out, tfl_store *store, int write, tfl_err *err);

/*
 * Whether read transactions a and b see the same commit (a writer may
 * have committed between their begins).  A read transaction may be
 * handed to another thread, used by one thread at a time.
 */
int tfl_store_same_view(const tfl_txn *a, const tfl_txn *b);

/*
 * Commit and free txn (it is freed even when the commit fails).
 * Returns 0, TFL_EFULL or TFL_EIO (a full file system says so).
 */
int tfl_store_commit(tfl_txn *txn, tfl_err *err);

/* Abort and free txn.  NULL is a no-op. */
void tfl_store_abort(tfl_txn *txn);

/* Number of entries: one more than the last seq, 0 for none. */
int tfl_store_size(uint64_t *out, tfl_txn *txn, tfl_err *err);

/*
 * Copy entry seq into *out (malloc'd, NUL-terminated, length in
 * *out_len; caller frees).  Returns 0, TFL_ENOTFOUND or TFL_EIO.
 */
int tfl_store_entry_get(char **out, size_t *out_len, tfl_txn *txn,
    uint64_t seq, tfl_err *err);

/*
 * Append entry seq (which must equal the current size) with its leaf
 * hash: writes the entry with MDB_APPEND and every complete-subtree node
 * it completes; meta "size" becomes seq + 1 in decimal (for the audit to
 * compare) when txn commits, written once for all its appends.  Returns
 * 0, TFL_EINVAL (seq is not the next one), TFL_EFULL or TFL_EIO.
 */
int tfl_store_entry_append(tfl_txn *txn, uint64_t seq, const void *note,
    size_t len, const uint8_t leaf[TFL_HASH_SIZE], tfl_err *err);

/*
 * Call fn for each stored entry with seq >= from, in key order, with the
 * stored key (so gaps and strays are visible to the caller).  data is
 * valid only during the call.  Stops at the first non-zero return of fn
 * and returns it; else 0 or TFL_EIO.
 */
typedef int (*tfl_store_entry_fn)(void *ctx, uint64_t seq, const void *data,
    size_t len, tfl_err *err);
int tfl_store_entry_foreach(tfl_txn *txn, uint64_t from, tfl_store_entry_fn fn,
    void *ctx, tfl_err *err);

/*
 * The stored hash of complete subtree (level, index).  Matches
 * tfl_merkle_node_fn with ctx = the tfl_txn.  Returns 0, TFL_ENOTFOUND
 * or TFL_EIO.
 */
int tfl_store_node_get(void *txn, unsigned level, uint64_t index,
    uint8_t out[TFL_HASH_SIZE], tfl_err *err);

/*
 * Store a signed checkpoint note for tree size.  A different note already
 * stored for that size is TFL_EEXIST; the same bytes again is 0.
 */
int tfl_store_checkpoint_put(tfl_txn *txn, uint64_t size, const char *note,
    size_t len, tfl_err *err);

/*
 * Copy the checkpoint of size (or with size == UINT64_MAX, the latest;
 * its size goes to *out_size if not NULL) into *out (malloc'd,
 * NUL-terminated).  Returns 0, TFL_ENOTFOUND or TFL_EIO.
 */
int tfl_store_checkpoint_get(char **out, size_t *out_len, uint64_t *out_size,
    tfl_txn *txn, uint64_t size, tfl_err *err);

/* Call fn for every stored checkpoint in size order (as entry_foreach). */
int tfl_store_checkpoint_foreach(tfl_txn *txn, tfl_store_entry_fn fn,
    void *ctx, tfl_err *err);

/*
 * meta and state records: small values under string keys.  _get copies
 * into *out (malloc'd, NUL-terminated beyond len; caller frees) and
 * returns TFL_ENOTFOUND when absent.  _put replaces.  _del of an absent
 * key is 0.  Keys (also of index) are 1 to 511 bytes, else TFL_EINVAL.
 */
int tfl_store_meta_get(char **out, size_t *out_len, tfl_txn *txn,
    const char *key, tfl_err *err);
int tfl_store_meta_put(tfl_txn *txn, const char *key, const void *val,
    size_t len, tfl_err *err);
int tfl_store_state_get(void **out, size_t *out_len, tfl_txn *txn,
    const char *key, tfl_err *err);
int tfl_store_state_put(tfl_txn *txn, const char *key, const void *val,
    size_t len, tfl_err *err);
int tfl_store_state_del(tfl_txn *txn, const char *key, tfl_err *err);

/*
 * Call fn for every state record in key order (key, value); stops on a
 * non-zero return.  For the audit to compare stored and replayed state.
 */
typedef int (*tfl_store_kv_fn)(void *ctx, const char *key, const void *val,
    size_t len, tfl_err *err);
int tfl_store_state_foreach(tfl_txn *txn, tfl_store_kv_fn fn, void *ctx,
    tfl_err *err);

/*
 * snapshots: copies of the state records as they were at a tree size,
 * made when a checkpoint is signed (docs/FORMAT.md).  _put copies the
 * current state as the snapshot of size (replacing one of that size),
 * calling fn for each record in key order.  _foreach calls fn for each
 * record of the
 * snapshot of size in key order, TFL_ENOTFOUND when there is none.
 * _prune keeps the snapshots of the keep largest sizes and deletes the
 * others (they are a cache for incremental audits, not entries).  A
 * stored key that is not text (empty, too long, holding a NUL) is
 * TFL_EIO, as in _state_foreach.
 */
int tfl_store_snapshot_put(tfl_txn *txn, uint64_t size, tfl_store_kv_fn fn,
    void *ctx, tfl_err *err);
int tfl_store_snapshot_foreach(tfl_txn *txn, uint64_t size,
    tfl_store_kv_fn fn, void *ctx, tfl_err *err);
int tfl_store_snapshot_prune(tfl_txn *txn, size_t keep, tfl_err *err);

/*
 * As _foreach, for the records of the snapshot of size whose keys begin
 * with prefix: a range read, for a statement drawn at a checkpoint.
 */
int tfl_store_snapshot_range(tfl_txn *txn, uint64_t size, const char *prefix,
    tfl_store_kv_fn fn, void *ctx, tfl_err *err);

/* One record of the snapshot of size, as _state_get.  TFL_ENOTFOUND. */
int tfl_store_snapshot_get(void **out, size_t *out_len, tfl_txn *txn,
    uint64_t size, const char *key, tfl_err *err);

/*
 * Walk two sets of state records together in key order, each the state
 * (TFL_STORE_STATE) or the snapshot of a size: fn gets each key of
 * either, with its value on the left (NULL when the left lacks the key)
 * and on the right (NULL when the right lacks it).  Stops on a non-zero
 * return.  For the incremental audit, to compare the stored state and
 * later snapshots with the snapshot it started from and what it replayed.
 */
#define TFL_STORE_STATE UINT64_MAX
typedef int (*tfl_store_pair_fn)(void *ctx, const char *key,
    const void *left, size_t left_len, const void *right, size_t right_len,
    tfl_err *err);
int tfl_store_pair_walk(tfl_txn *txn, uint64_t left, uint64_t right,
    tfl_store_pair_fn fn, void *ctx, tfl_err *err);

/*
 * index: key -> sorted set of seqs.  _add is idempotent.  _get copies the
 * seqs (ascending) into *out (malloc'd; NULL and 0 when none; caller
 * frees).
 */
int tfl_store_index_add(tfl_txn *txn, const char *key, uint64_t seq,
    tfl_err *err);
int tfl_store_index_get(uint64_t **out, size_t *out_n, tfl_txn *txn,
    const char *key, tfl_err *err);

/*
 * Write a consistent, compacted copy of the environment into the existing
 * directory dir (mdb_env_copyfd2 with MDB_CP_COMPACT), safe while writers
 * run: the copy holds what was committed when it began.  Its data.mdb is
 * made mode 0600 and synced to disk with its directory entry; on failure
 * it is removed.  Returns 0, TFL_EEXIST (dir holds a data.mdb already)
 * or TFL_EIO.
 */
int tfl_store_backup(tfl_store *store, const char *dir, tfl_err *err);

/*
 * Drop this process's mappings of the data file's pages.  They stay in
 * the page cache and fault back in when read again, so this is safe with
 * transactions open (txn is any of them); it keeps a scan of a large
 * ledger (the audit) from growing resident memory with the ledger.  A
 * no-op where the system cannot find the map (no /proc/self/maps).
 */
void tfl_store_trim(tfl_txn *txn);

/*
 * Bytes the map can still take: its size less the pages in use (free
 * pages inside it not counted).  A command about to write much grows
 * the map first rather than fail part way.  0 or TFL_EIO.
 */
int tfl_store_room(uint64_t *out, tfl_store *store, tfl_err *err);

/* Bytes used by the data file (for status and bench).  */
int tfl_store_disk_size(uint64_t *out, tfl_store *store, tfl_err *err);

#endif
