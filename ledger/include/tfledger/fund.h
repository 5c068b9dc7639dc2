/*
 * tfledger/fund.h - the fund state and the rules every entry must pass.
 *
 * The state is a set of small records under string keys, reached through
 * a tfl_kv: in a write transaction it is the ledger's `state` database,
 * in an audit an in-memory map rebuilt from the entries.  tfl_fund_apply
 * is the one function over (state, entry) that both refuses bad writes
 * and detects bad entries on replay, so the two cannot drift.
 */
#ifndef TFLEDGER_FUND_H
#define TFLEDGER_FUND_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/checkpoint.h"
#include "tfledger/entry.h"
#include "tfledger/err.h"
#include "tfledger/money.h"
#include "tfledger/note.h"

/* Key-value access to the state.  get returns TFL_ENOTFOUND when absent. */
typedef struct tfl_kv {
	int (*get)(void *ctx, const char *key, void **val, size_t *len,
	    tfl_err *err);
	int (*put)(void *ctx, const char *key, const void *val, size_t len,
	    tfl_err *err);
	void *ctx;
} tfl_kv;

/* clang-format off */
typedef enum tfl_role {
	TFL_ROLE_ADMIN,		/* keys and policy */
	TFL_ROLE_APPROVER,	/* approvals */
	TFL_ROLE_RECORDER	/* master data, income, grants, refunds */
} tfl_role;
/* clang-format on */

/* The role named name ("admin", ...), or -1. */
int tfl_role_find(const char *name);

/* The name of role r. */
const char *tfl_role_name(int r);

/* The role whose keys may sign entries of type, or -1 for no type. */
int tfl_fund_type_role(int type);

/* An enrolled key as the state knows it. */
typedef struct tfl_fund_key {
	tfl_verifier verifier;
	int role;
	uint64_t enrolled_seq;
	int revoked;
	uint64_t revoked_seq;
} tfl_fund_key;

/* What genesis fixed: the ledger's identity. */
typedef struct tfl_fund_info {
	char origin[TFL_ORIGIN_MAX + 1];
	char fund[TFL_ENTRY_TEXT_MAX + 1];
	tfl_currency currency;
	tfl_verifier admin_key;
	tfl_verifier log_key;
	uint64_t size;	   /* entries applied so far */
	int64_t last_time; /* time of the last entry applied */
} tfl_fund_info;

/*
 * Read the ledger's identity.  Returns 0, TFL_ENOTFOUND (no genesis yet)
 * or the kv's status.
 */
int tfl_fund_info_get(tfl_fund_info *out, tfl_kv *state, tfl_err *err);

/*
 * Look up the key named name.  Returns 0, TFL_ENOTFOUND or the kv's
 * status.
 */
int tfl_fund_key_get(tfl_fund_key *out, tfl_kv *state, const char *name,
    tfl_err *err);

/*
 * Call fn for every key ever enrolled, in enrolment order.  Stops at the
 * first non-zero return of fn and returns it.
 */
int tfl_fund_key_foreach(tfl_kv *state,
    int (*fn)(void *ctx, const tfl_fund_key *key), void *ctx, tfl_err *err);

/*
 * Check entry e, signed by the key named signer, against the state and
 * apply it.  The header (seq, time, origin) must continue the state:
 * seq is the next one, time is not before the last entry's, origin is
 * the ledger's.  Returns 0, TFL_ERULE naming the rule and the value,
 * TFL_EINVAL for values the entry syntax allows but the fund does not
 * (e.g. too many decimals for the currency), or the kv's status.  On
 * failure the state may be partly written: the caller discards it
 * (aborts the transaction).
 */
int tfl_fund_apply(tfl_kv *state, const tfl_entry *e, const char *signer,
    tfl_err *err);

#endif
