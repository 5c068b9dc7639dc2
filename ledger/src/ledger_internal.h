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
};

/* The chain head while appending. */
struct tfl__head {
	char origin[TFL_ORIGIN_MAX + 1];
	uint64_t size;		     /* next seq */
	uint8_t prev[TFL_HASH_SIZE]; /* leaf hash of seq size-1 */
	int64_t now;
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

/* The threads l is to use: its setting, else the online cores (1..256). */
unsigned tfl__ledger_threads(const tfl_ledger *l);

/* Point out at the state database of txn. */
void tfl__txn_kv(tfl_kv *out, tfl_txn *txn);

#endif
