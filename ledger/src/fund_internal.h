/*
 * fund_internal.h - shared by the fund rule files (fund*.c).
 */
#ifndef TFLEDGER_FUND_INTERNAL_H
#define TFLEDGER_FUND_INTERNAL_H

#include "internal.h"
#include "tfledger/fund.h"

/*
 * Read the record key into out, which must be exactly size bytes.
 * Returns 0, TFL_ENOTFOUND (err set by the kv), TFL_EIO on a size
 * mismatch, or the kv's status.
 */
int tfl__kv_get_fixed(tfl_kv *kv, const char *key, void *out, size_t size,
    tfl_err *err);

/* What an entry's rules need besides the entry: the state and signer. */
struct tfl__apply {
	tfl_kv *kv;
	const tfl_entry *e;
	tfl_fund_info *info;
	const tfl_fund_key *signer;
};

/* The rules of the governance types (fund.c). */
int tfl__fund_keys_apply(struct tfl__apply *a, tfl_err *err);

#endif
