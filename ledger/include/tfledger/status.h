/*
 * tfledger/status.h - what an officer checks first: the ledger's size,
 * its latest checkpoint, what waits for approval, the fund's money and
 * the pledges past due; and the ids of donors, grantees, grants and
 * pledges (for scripts and shell completion).
 *
 * These are queries, not an audit: they read the state the ledger keeps
 * and the entries as stored, without checking signatures (tfaudit verify
 * does that).  Lists come from one pass over the stored entries, reading
 * only the entries of the type asked for in full.
 */
#ifndef TFLEDGER_STATUS_H
#define TFLEDGER_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/fund.h"
#include "tfledger/ledger.h"

/* A checkpoint is due when entries have waited for one this long. */
#define TFL_STATUS_CHECKPOINT_DAYS 7

/* The summary.  Times are seconds since 1970, dates days; -1 for none. */
typedef struct tfl_status {
	tfl_fund_info info;	 /* origin, fund, base currency, size, and
				    the time of the last entry */
	tfl_fund_pool total;	 /* every pool summed, base minor units */
	uint64_t checkpoint_size; /* entries the latest checkpoint covers,
				     0 when none was published */
	int64_t checkpoint_time; /* time of the last entry it covers */
	uint64_t unsealed;	 /* entries after it (all, when none) */
	int64_t unsealed_since;	 /* time of the first of them */
	uint64_t pending;	 /* entries awaiting approval */
	uint64_t pending_seq;	 /* the oldest of them */
	int64_t pending_since;	 /* its time */
	int64_t period_closed;	 /* last closed date */
	uint64_t past_due;	 /* pledges past due with money outstanding */
	int64_t past_due_base;	 /* what they still owe, base minor units */
} tfl_status;

/*
 * Fill out for ledger l at time now (seconds since 1970; a pledge is past
 * due from the day after its due date).  Returns 0, TFL_ENOTFOUND (no
 * genesis), TFL_EIO or TFL_ENOMEM.
 */
int tfl_status_get(tfl_status *out, tfl_ledger *l, int64_t now,
    tfl_err *err);

/* A pledge in effect with money outstanding. */
typedef struct tfl_status_pledge {
	char ref[TFL_ENTRY_ID_MAX + 1];
	char donor[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1]; /* "" unearmarked */
	char currency[4];
	int64_t amount;	     /* as pledged, minor units of currency */
	int64_t outstanding; /* not yet received or written down, same */
	int64_t outstanding_base; /* receivable left, base minor units */
	int64_t date;	     /* the pledge's value date */
	int64_t due;	     /* its due date, -1 when it has none */
	uint64_t seq;	     /* the pledge entry */
} tfl_status_pledge;

/*
 * Call fn for every pledge in effect (not reversed) with money
 * outstanding, in seq order.  Stops at the first non-zero return of fn
 * and returns it; else 0 or a storage status.
 */
int tfl_status_pledge_foreach(tfl_ledger *l,
    int (*fn)(void *ctx, const tfl_status_pledge *p), void *ctx,
    tfl_err *err);

/*
 * Call fn once for every id recorded by entries of type: TFL_ENTRY_DONOR,
 * TFL_ENTRY_GRANTEE, TFL_ENTRY_GRANT (grant ids, pending ones included)
 * or TFL_ENTRY_PLEDGE (pledge references in effect), in the order they
 * were first recorded.  Stops at the first non-zero return of fn and
 * returns it; else 0, TFL_EINVAL (another type) or a storage status.
 */
int tfl_status_id_foreach(tfl_ledger *l, int type,
    int (*fn)(void *ctx, const char *id), void *ctx, tfl_err *err);

#endif
