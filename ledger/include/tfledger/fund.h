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

/*
 * Key-value access to the state.  get returns TFL_ENOTFOUND when absent
 * and a malloc'd copy otherwise.  entry returns the signed note of an
 * earlier entry (malloc'd; for approvals and reversals), from entry_ctx.
 * get_fixed, when not NULL, reads a record of a known size without the
 * copy: into out when its length, *len, is size (nothing copied when
 * not).  A kv made from another with get replaced must replace get_fixed
 * too, or set it to NULL; one filled in field by field must set it (or
 * start from a zeroed struct).
 */
typedef struct tfl_kv {
	int (*get)(void *ctx, const char *key, void **val, size_t *len,
	    tfl_err *err);
	int (*put)(void *ctx, const char *key, const void *val, size_t len,
	    tfl_err *err);
	void *ctx;
	int (*entry)(void *ctx, uint64_t seq, char **note, size_t *len,
	    tfl_err *err);
	void *entry_ctx;
	int (*get_fixed)(void *ctx, const char *key, void *out, size_t size,
	    size_t *len, tfl_err *err);
} tfl_kv;

/*
 * One posting of the double-entry books, in the base currency.  amount is
 * a debit when positive, a credit when negative; the postings of one
 * entry sum to zero.  A posting of money in another currency also gives
 * its original amount (orig, in minor units of currency).
 */
typedef struct tfl_posting {
	char account[160];
	char earmark[TFL_ENTRY_ID_MAX + 1]; /* the pool, "" unearmarked */
	int64_t amount;
	char currency[4]; /* "" when the posting is in the base currency */
	int64_t orig;
} tfl_posting;

/*
 * Receives the postings an entry causes.  e is the entry that takes
 * effect (for an approval, the entry it approves; for a reversal, the
 * entry it undoes, with negated postings), by_seq the entry that made it
 * take effect, date the value date (days since 1970-01-01).
 */
typedef struct tfl_posting_sink {
	int (*fn)(void *ctx, const tfl_entry *e, uint64_t by_seq, int64_t date,
	    const tfl_posting *p, size_t n, tfl_err *err);
	void *ctx;
} tfl_posting_sink;

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
	uint64_t size;	    /* entries applied so far */
	int64_t last_time;  /* time of the last entry applied */
	int64_t first_date; /* the earliest value date (days) applied */
} tfl_fund_info;

/*
 * A pool of money: the unearmarked pool ("" earmark) or one earmark.
 * Every figure is in minor units of the base currency.
 */
typedef struct tfl_fund_pool {
	char earmark[TFL_ENTRY_ID_MAX + 1];
	int64_t cash;		/* assets:cash */
	int64_t receivable;	/* pledges not yet received or written down */
	int64_t committed;	/* approved awards less deobligations and
				   disbursements */
	int64_t advances;	/* disbursed, not yet reported or refunded */
	int64_t expenditure;	/* reported by grantees, net of reversals */
	int64_t psc;		/* programme support cost charged */
	int64_t contributions;	/* revenue recognised, less refunds and
				   write-downs */
	int64_t interest;
	int64_t fx;		/* exchange gains less losses on pledges */
	int64_t psc_seg_start;	/* expenditure when the PSC rate last changed */
	int64_t psc_seg_charged; /* PSC charged since then */
	int64_t spent_through;	/* value date (days) of the latest
				   expenditure, -1 before any */
} tfl_fund_pool;

/* The fund's policy: the approval threshold and the PSC rate. */
typedef struct tfl_fund_policy {
	int64_t approval_threshold; /* disbursements above it need approval */
	tfl_rate psc_rate;	    /* percent of expenditure */
	uint64_t seq;		    /* the policy entry, 0 for the defaults */
} tfl_fund_policy;

/* The default policy: USD 10,000.00 (in base units) and 13 %. */
#define TFL_FUND_DEFAULT_THRESHOLD_UNITS 10000
#define TFL_FUND_DEFAULT_PSC_PERCENT 13

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
    const tfl_posting_sink *sink, tfl_err *err);

/* clang-format off */
#define TFL_GRANT_PENDING	0	/* awaiting approval */
#define TFL_GRANT_ACTIVE	1	/* approved */
/* clang-format on */

/* A donor and what it gave, in base units. */
typedef struct tfl_fund_donor {
	char id[TFL_ENTRY_ID_MAX + 1];
	char name[TFL_ENTRY_TEXT_MAX + 1];
	char kind[24];
	char country[3];
	int anonymous;
	uint64_t seq;
	int64_t pledged, received, receivable, refunded, written_down;
} tfl_fund_donor;

/* A grant award and its money, in base units. */
typedef struct tfl_fund_grant {
	char id[TFL_ENTRY_ID_MAX + 1];
	char grantee[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1];
	char country[3];
	int status;
	int64_t start, end; /* days since 1970-01-01 */
	int64_t amount, deobligated, disbursed, spent, refunded;
	uint64_t seq, approved_seq;
	uint64_t people[4]; /* women, girls, men, boys */
	uint64_t forms[3];  /* sexual, labour, other */
} tfl_fund_grant;

/*
 * Fill an entry's money fields from what an officer typed: "amount" in
 * canonical form for currency, "currency", "rate" (canonical; required
 * unless currency is base, refused if it is) and "base-amount" = amount /
 * rate rounded half to even.  Returns 0 or TFL_EINVAL naming the field
 * and the value.
 */
int tfl_fund_set_money(tfl_entry *e, const tfl_currency *base,
    const char *amount, const char *currency, const char *rate, tfl_err *err);

/* The current policy (the defaults before any policy entry). */
int tfl_fund_policy_get(tfl_fund_policy *out, tfl_kv *state, tfl_err *err);

/*
 * The pool of earmark ("" or NULL for unearmarked money), zeros when it
 * has seen nothing.  Returns 0 or the kv's status.
 */
int tfl_fund_pool_get(tfl_fund_pool *out, tfl_kv *state, const char *earmark,
    tfl_err *err);

/*
 * Call fn for every pool that has seen money, unearmarked first, then
 * earmarks in the order they first appeared.
 */
int tfl_fund_pool_foreach(tfl_kv *state,
    int (*fn)(void *ctx, const tfl_fund_pool *pool), void *ctx, tfl_err *err);

/* The sum of every pool (earmark ""). */
int tfl_fund_totals(tfl_fund_pool *out, tfl_kv *state, tfl_err *err);

/* A donor or a grant by id: 0, TFL_ENOTFOUND naming it, or a status. */
int tfl_fund_donor_get(tfl_fund_donor *out, tfl_kv *state, const char *id,
    tfl_err *err);
int tfl_fund_grant_get(tfl_fund_grant *out, tfl_kv *state, const char *id,
    tfl_err *err);

/*
 * The currency of the pledge with reference ref: 0, TFL_ENOTFOUND naming
 * it (also for a reversed pledge), or a status.
 */
int tfl_fund_pledge_currency(const tfl_currency **out, tfl_kv *state,
    const char *ref, tfl_err *err);

/* Call fn with the seq of each entry awaiting approval, oldest first. */
int tfl_fund_pending_foreach(tfl_kv *state,
    int (*fn)(void *ctx, uint64_t seq), void *ctx, tfl_err *err);

/*
 * Make the psc entries due now, one per pool whose PSC differs from the
 * policy rate times its expenditure, dated date (YYYY-MM-DD): a malloc'd
 * array in *out (the caller frees it and its entries; NULL when none is
 * due), their number in *n.  Returns 0 or a status.
 */
int tfl_fund_psc_due(tfl_draft **out, size_t *n, tfl_kv *state,
    const char *date, tfl_err *err);

#endif
