/*
 * tfledger/export.h - the books for accounting tools: an hledger 1.25 /
 * ledger 3.3 journal, CSV or JSON; and the fund's aid flows as an IATI
 * 2.03 activity file for the public.
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
 *
 * IATI (docs/IATI.md gives the whole mapping): one iati-activity for the
 * fund, valid against the IATI 2.03 activity schema, with the codes of
 * the IATI codelists, and following the Standard ruleset where the
 * schema cannot (no future dates, country and sector at activity level
 * with percentages summing to 100).  One transaction per entry that took
 * effect, valued in the base currency:
 *	pledge 11, its write-down -11		provider: the donor
 *	receipt 1, refund to a donor -1		provider: the donor
 *	grant award 2, deobligation -2		receiver: the NGO
 *	disbursement 3, refund by the NGO -3	receiver: the NGO
 *	expenditure 4				receiver: the NGO
 *	psc 4					receiver: the reporting org
 * A reversal is the negation of what it undoes, under the same type.
 * Interest is not an aid flow and is left out.  An anonymous donor is
 * "Anonymous donor", without a type; no donor id or bank reference is
 * written.
 */
#ifndef TFLEDGER_EXPORT_H
#define TFLEDGER_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "tfledger/err.h"
#include "tfledger/ledger.h"

/* clang-format off */
#define TFL_EXPORT_HLEDGER	0	/* hledger 1.25 / ledger 3.3 journal */
#define TFL_EXPORT_CSV		1	/* one row per posting */
#define TFL_EXPORT_JSON		2	/* an array of transactions */
#define TFL_EXPORT_IATI		3	/* an IATI 2.03 activity file */

/*
 * UNODC's IATI organisation identifier: its DAC channel code 41128 under
 * the XM-DAC agency.  Unconfirmed, hence an option (the config file's
 * iati_org).  The activity identifier defaults to it plus this suffix.
 */
#define TFL_EXPORT_IATI_ORG		"XM-DAC-41128"
#define TFL_EXPORT_IATI_ACTIVITY_SUFFIX	"-UNVTF"
#define TFL_EXPORT_IATI_ID_MAX		128
/* clang-format on */

/* What an export may be given besides the ledger. */
typedef struct tfl_export_opts {
	const char *iati_org;	   /* reporting org; NULL: the default */
	const char *iati_activity; /* NULL: iati_org + the suffix */
	int64_t now; /* the time of the export (seconds since the epoch),
			0: the time of the last entry */
} tfl_export_opts;

#define TFL_EXPORT_OPTS_INIT { NULL, NULL, 0 }

/* The format named name ("hledger", "csv", "json", "iati"), or -1. */
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

/*
 * As tfl_export_write, with opts (NULL: TFL_EXPORT_OPTS_INIT), which only
 * the IATI format reads.  Also returns TFL_EINVAL for an IATI identifier
 * that is empty, longer than TFL_EXPORT_IATI_ID_MAX, or holds a space, a
 * control character or one of / & | ? < > " ' (the Standard forbids the
 * first four), or an activity identifier equal to the organisation's;
 * TFL_ERULE when a date to be written is after the day of opts->now
 * (IATI refuses future dates: the clock is wrong, or an entry's).
 */
int tfl_export_write_ext(FILE *out, tfl_ledger *l, int format,
    const tfl_export_opts *opts, tfl_err *err);

#endif
