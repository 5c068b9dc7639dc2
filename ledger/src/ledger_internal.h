/*
 * ledger_internal.h - shared by ledger.c and verify.c.
 */
#ifndef TFLEDGER_LEDGER_INTERNAL_H
#define TFLEDGER_LEDGER_INTERNAL_H

#include "internal.h"
#include "tfledger/ledger.h"
#include "tfledger/store.h"

struct tfl_ledger {
	tfl_store *store;
	unsigned flags;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	int64_t (*clock)(void *ctx); /* tfl_ledger_set_clock */
	void *clock_ctx;
	unsigned threads;	     /* tfl_ledger_set_threads; 0: cores */
	const char *tmpdir;	     /* tfl_ledger_set_scratch */
	size_t scratch_mem;
};

/*
 * A write-back cache of the state one command reads and writes
 * (kvcache.c): front reads and writes through it to inner, which it
 * writes to every few thousand new records; flush writes the rest.
 */
typedef struct tfl__kvcache tfl__kvcache;
int tfl__kvcache_new(tfl__kvcache **out, tfl_kv *front, const tfl_kv *inner);
int tfl__kvcache_flush(tfl__kvcache *c, tfl_err *err);
void tfl__kvcache_free(tfl__kvcache *c);

/* The chain head while appending. */
struct tfl__head {
	char origin[TFL_ORIGIN_MAX + 1];
	uint64_t size;		     /* next seq */
	uint8_t prev[TFL_HASH_SIZE]; /* chain hash of seq size-1 */
	int64_t now;
	uint64_t need;		     /* bytes to grow the map for, first */
	int reserved;		     /* the map was grown for this command */
};

/* The stored note of entry seq in the tfl_txn ctx (tfl_kv's entry). */
int tfl__txn_entry(void *ctx, uint64_t seq, char **note, size_t *len,
    tfl_err *err);

/*
 * When the log key is also an enrolled key that was revoked, the seq of
 * its revocation in *out, else UINT64_MAX: it signs no checkpoint that
 * covers its revocation.
 */
int tfl__log_key_revoked(uint64_t *out, tfl_kv *kv, const tfl_fund_info *info,
    tfl_err *err);

/*
 * tfl_ledger_append_built for a command that makes about expect entries
 * (import: one per row), so that the map is grown before it builds.
 */
int tfl__ledger_append_expecting(tfl_ledger *l, const tfl_key *signer,
    tfl_ledger_build_fn build, void *ctx, int64_t now, size_t expect,
    tfl_err *err);

/* The threads l is to use: its setting, else the online cores (1..256). */
unsigned tfl__ledger_threads(const tfl_ledger *l);

/*
 * Append drafts d[0..n) in txn as ledger.c's loop does, entry by entry,
 * with the same result, but with the signatures made on a thread of
 * their own while the rules check the next entries (append_pipe.c).
 * Advances head as entries are stored.  Returns 0 or the status of the
 * first entry to fail, err naming it; or TFL__NO_THREAD, having done
 * nothing, when no thread would start (the caller then appends alone).
 */
#define TFL__NO_THREAD 1
int tfl__append_pipelined(tfl_ledger *l, tfl_txn *txn, tfl_kv *kv,
    struct tfl__head *head, const tfl_key *key, tfl_draft *d, size_t n,
    tfl_err *err);

/* Point out at the state database of txn. */
void tfl__txn_kv(tfl_kv *out, tfl_txn *txn);

/*
 * The fund state digest (snapshot.c, docs/FORMAT.md): SHA-256 over a tag
 * and each state record in key order, key and value each behind its
 * big-endian 32-bit length.  _begin, then _add per record, then _end
 * (which frees; _free alone on a failure in between).  TFL_ECRYPTO when
 * OpenSSL fails.
 */
struct tfl__digest {
	struct evp_md_ctx_st *md;
	uint64_t records;
};

int tfl__digest_begin(struct tfl__digest *d, tfl_err *err);
int tfl__digest_add(struct tfl__digest *d, const char *key, const void *val,
    size_t len, tfl_err *err);
int tfl__digest_end(uint8_t out[TFL_HASH_SIZE], struct tfl__digest *d,
    tfl_err *err);
void tfl__digest_free(struct tfl__digest *d);

/* Snapshots kept: those of the latest checkpoints' sizes. */
#define TFL__SNAPSHOTS_KEPT 4

/*
 * Store the current state of txn (a write transaction at tree size
 * size) as the snapshot of size, keep only the TFL__SNAPSHOTS_KEPT
 * newest, and put its digest in digest.  Returns 0 or the store's error.
 */
int tfl__snapshot_make(uint8_t digest[TFL_HASH_SIZE], tfl_txn *txn,
    uint64_t size, tfl_err *err);

#endif
