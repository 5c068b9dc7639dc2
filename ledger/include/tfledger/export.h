/*
 * tfledger/export.h - the books for accounting tools: an hledger 1.25 /
 * ledger 3.3 journal, CSV or JSON.
 *
 * An export is a full audit (tfl_ledger_verify) whose posting sink
 * collects one transaction per entry that took effect, sorted by value
 * date, then seq.  A transaction's seq is the entry that caused it: the
 * entry itself, or for a reversal the reversal entry (with `reverses`
 * naming the entry undone); by_seq is the entry that brought it into
 * effect (an approval for awards, large tranches and reversals; else
 * seq).  Entries without postings (keys, master data, pending entries,
 * approvals themselves) give none.  Amounts are decimal text in exactly
 * their currency's decimals, never floating point.
 *
 * hledger journal (checked with `hledger check -s ordereddates` and
 * `ledger --pedantic`):
 *	commodity USD			the base currency, then every
 *	  format 1000.00 USD		foreign one seen; zero-decimal
 *	commodity JPY			ones bare (the tools disagree on
 *					"format 1000 JPY")
 *	account assets:cash		every account posted to, with its
 *	  ; type: A			type on its own line: A assets,
 *					L liabilities, E equity, R income,
 *					X expenses; memo:* accounts are
 *					off-balance and get no type, so the
 *					balance sheet and income statement
 *					leave them out
 *	tag seq				every metadata key used: seq,
 *					approved-by, reverses, earmark
 *	2026-03-02 * receipt DEU BNK-88121
 *	    ; seq: 12
 *	    assets:cash   100000.00 EUR @@ 107991.36 USD
 *	        ; earmark: SHELTER
 *	    assets:receivable:DEU   -107991.36 USD
 *	        ; earmark: SHELTER
 * approved-by is written when by_seq differs from seq, reverses for a
 * reversal, earmark on each posting of an earmarked pool.  A posting of
 * foreign money gives its original amount (signed) at the absolute total
 * cost in the base currency.  Descriptions are built from the entry's
 * type and identifiers, without ';' or '|'.
 *
 * CSV (RFC 4180, quoted where needed, LF line ends), one row per posting:
 *	date,seq,by_seq,type,account,amount,currency,orig_amount,
 *	orig_currency,earmark,reverses,description
 * amount is in the base currency (currency); orig_* and reverses are
 * empty when they do not apply.  Each seq's amounts sum to zero.
 *
 * JSON: an array of {"date", "seq", "by_seq", "type", "description",
 * "reverses" (reversals only), "postings": [{"account", "amount",
 * "currency", "earmark", "orig_amount", "orig_currency" (the last two
 * for foreign money only)}]}, amounts as decimal strings.
 */
#ifndef TFLEDGER_EXPORT_H
#define TFLEDGER_EXPORT_H

#include <stdio.h>

#include "tfledger/err.h"
#include "tfledger/ledger.h"

/* clang-format off */
#define TFL_EXPORT_HLEDGER	0	/* hledger 1.25 / ledger 3.3 journal */
#define TFL_EXPORT_CSV		1	/* one row per posting */
#define TFL_EXPORT_JSON		2	/* an array of transactions */
/* clang-format on */

/* The format named name ("hledger", "csv", "json"), or -1. */
int tfl_export_format_find(const char *name);

/*
 * Verify the whole ledger l and write its books in format to out, a
 * stream the caller opened and closes (the library writes nowhere
 * else).  Nothing is written unless the ledger verifies.  Returns 0;
 * TFL_EVERIFY (err names the first failing seq, as tfl_ledger_verify);
 * TFL_EINVAL (an unknown format); TFL_ENOMEM; TFL_EIO (storage, or a
 * write to out failed: out may then hold part of the export).
 */
int tfl_export_write(FILE *out, tfl_ledger *l, int format, tfl_err *err);

#endif
