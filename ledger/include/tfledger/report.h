/*
 * tfledger/report.h - the fund's figures as data: balances now or as of
 * a date, for the fund, each earmark, a donor or a grant.
 */
#ifndef TFLEDGER_REPORT_H
#define TFLEDGER_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/fund.h"
#include "tfledger/ledger.h"

#define TFL_REPORT_MAX_POOLS 256

/* The fund's position: the sum of all pools, then each pool. */
typedef struct tfl_balance {
	tfl_fund_info info;
	tfl_fund_pool total;
	tfl_fund_pool pools[TFL_REPORT_MAX_POOLS];
	size_t npools;
	int64_t as_of; /* days since 1970-01-01, or -1 for now */
} tfl_balance;

/*
 * The fund's balance now (from the state, O(pools)) when as_of < 0, or
 * as of the end of day as_of (replaying the postings of every entry
 * dated on or before it).  Returns 0 or a status.
 */
int tfl_report_balance(tfl_balance *out, tfl_ledger *l, int64_t as_of,
    tfl_err *err);

/*
 * One donor's or one grant's figures, now or as of a date, as in
 * tfl_fund_donor / tfl_fund_grant (for a date, the money figures only).
 * Returns 0, TFL_ENOTFOUND naming the id, or a status.
 */
int tfl_report_donor(tfl_fund_donor *out, tfl_ledger *l, const char *id,
    int64_t as_of, tfl_err *err);
int tfl_report_grant(tfl_fund_grant *out, tfl_ledger *l, const char *id,
    int64_t as_of, tfl_err *err);

#endif
