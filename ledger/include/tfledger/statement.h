/*
 * tfledger/statement.h - donor statements: what one donor gave, how the
 * money was used and how to check it, as data; rendered as text, CSV or
 * JSON; and the check of a JSON statement without the ledger.
 *
 * A statement is drawn from the latest stored checkpoint: only entries
 * with seq < its size count, so every figure is backed by that signed
 * tree root.  (No checkpoint at all is TFL_ENOTFOUND: run `tfledger
 * checkpoint`.)  Building one runs a full audit first (tfl_ledger_verify
 * with a posting sink), so a ledger that does not verify yields none.
 *
 * Sections, in the order renderers show them:
 *	1 header	fund, donor ("anonymous donor" when anonymous),
 *			period, base currency, number, ledger size and root
 *	2 contributions	the donor's pledges, receipts, refunds and
 *			write-downs, recomputed from its entries alone
 *	3 use		per pool the donor gave to, its net receipts split
 *			over the pool's grants (net disbursements), PSC and
 *			money still held, pro rata, largest remainder
 *	4 fund		the fund's income, expenditure and position for the
 *			period (aggregates only: no other donor appears)
 *	5 results	people assisted by the grants of section 3
 *	6 notes		rates, PSC rate, rounding, method, how to verify
 * plus the proof: the signed checkpoint and, for every entry section 2
 * relies on (donor records, pledges, write-downs, receipts, refunds,
 * reversals of them with their approvals), the genesis entry and the
 * key-enroll and key-revoke entries of their signers, the signed note
 * and its RFC 9162 inclusion proof.
 *
 * Dates are days since 1970-01-01 (value dates); amounts are int64
 * minor units, of the base currency unless a field says otherwise.
 * docs/STATEMENT.md defines the JSON form, its canonical bytes and the
 * signature over them.
 */
#ifndef TFLEDGER_STATEMENT_H
#define TFLEDGER_STATEMENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfledger/entry.h"
#include "tfledger/err.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/merkle.h"
#include "tfledger/money.h"
#include "tfledger/note.h"

#define TFL_STATEMENT_VERSION "tfledger statement v1"
#define TFL_STATEMENT_ANONYMOUS "anonymous donor"
#define TFL_STATEMENT_RATE_MAX 48 /* a canonical rate and its NUL */

/* clang-format off */
#define TFL_STATEMENT_TEXT	0	/* a page for people */
#define TFL_STATEMENT_CSV	1	/* one row per figure */
#define TFL_STATEMENT_JSON	2	/* the verifiable statement */
#define TFL_STATEMENT_PDF	3	/* A4 pages with charts, for people */

#define TFL_GRANT_STATUS_PENDING 0	/* awaiting approval */
#define TFL_GRANT_STATUS_ACTIVE	 1	/* money committed or advanced */
#define TFL_GRANT_STATUS_CLOSED	 2	/* nothing committed, no advance */
/* clang-format on */

/*
 * What to draw.  from and to are days, or -1 for the defaults.  audited,
 * when not NULL, is a checkpoint note (audited_len bytes) that a passing
 * audit of this ledger covered: the statement is drawn at it and relies
 * on that audit instead of running one (docs/STATEMENT.md section 1).
 */
typedef struct tfl_statement_opts {
	const char *donor;   /* the donor's id */
	int64_t from;	     /* default: the earliest value date drawn */
	int64_t to;	     /* default: the day of the last entry drawn */
	const char *audited; /* default: audit, draw at the latest checkpoint */
	size_t audited_len;
} tfl_statement_opts;

#define TFL_STATEMENT_OPTS_INIT { NULL, -1, -1, NULL, 0 }

/* A reversal in effect at the period end (seq 0: none). */
typedef struct tfl_statement_reversal {
	uint64_t seq;	      /* the reversal entry */
	uint64_t approved_by; /* the approval that made it take effect */
	int64_t date;	      /* its value date */
} tfl_statement_reversal;

/*
 * A pledge (signed agreement).  received and written_down are in minor
 * units of currency, receivable in base units, all as of the period end.
 */
typedef struct tfl_statement_pledge {
	uint64_t seq;
	int64_t date;
	int64_t due; /* -1: none */
	char ref[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1]; /* "" unearmarked */
	char currency[4];
	char rate[TFL_STATEMENT_RATE_MAX]; /* "" in the base currency */
	int64_t amount;			   /* minor units of currency */
	int64_t base;			   /* its base-amount */
	int64_t received, written_down;
	int64_t receivable;
	tfl_statement_reversal reversal;
} tfl_statement_pledge;

/*
 * A receipt.  cleared is the receivable of its pledge it settled (base;
 * base - cleared is its exchange difference); refunded is in minor units
 * of currency, as of the period end.
 */
typedef struct tfl_statement_receipt {
	uint64_t seq;
	int64_t date;
	char ref[TFL_ENTRY_ID_MAX + 1];
	char pledge[TFL_ENTRY_ID_MAX + 1];  /* "" when not against one */
	char earmark[TFL_ENTRY_ID_MAX + 1]; /* its pool */
	char currency[4];
	char rate[TFL_STATEMENT_RATE_MAX];
	int64_t amount, base;
	int64_t cleared;
	int64_t refunded;
	tfl_statement_reversal reversal;
} tfl_statement_receipt;

/* A refund to the donor out of one of its receipts. */
typedef struct tfl_statement_refund {
	uint64_t seq;
	int64_t date;
	char ref[TFL_ENTRY_ID_MAX + 1];
	char receipt[TFL_ENTRY_ID_MAX + 1];
	char currency[4];
	char rate[TFL_STATEMENT_RATE_MAX];
	int64_t amount, base;
	char reason[TFL_ENTRY_TEXT_MAX + 1]; /* "" when none */
	tfl_statement_reversal reversal;
} tfl_statement_refund;

/* A write-down of a pledge: amount in its currency, base cleared. */
typedef struct tfl_statement_writedown {
	uint64_t seq;
	int64_t date;
	char pledge[TFL_ENTRY_ID_MAX + 1];
	char currency[4];
	int64_t amount, base;
	char reason[TFL_ENTRY_TEXT_MAX + 1];
	tfl_statement_reversal reversal;
} tfl_statement_writedown;

/* The donor's movements, in base units (net of reversals). */
typedef struct tfl_statement_totals {
	int64_t pledged, received, refunded, written_down;
	int64_t fx; /* exchange differences on receipts against pledges */
} tfl_statement_totals;

/* Movements of the period in one currency: amounts in it, and base. */
typedef struct tfl_statement_currency {
	char currency[4];
	tfl_statement_totals amount; /* minor units of currency; fx 0 */
	tfl_statement_totals base;
} tfl_statement_currency;

/* What the donor put into one pool, to the period end (base). */
typedef struct tfl_statement_pool {
	char earmark[TFL_ENTRY_ID_MAX + 1];
	int64_t received, refunded; /* net contribution: the difference */
} tfl_statement_pool;

/*
 * A grant of a pool the donor gave to, as of the period end.  attributed
 * is the donor's part of its net disbursements; people and forms count
 * the whole grant's reports (women, girls, men, boys; sexual, labour,
 * other), services too (in FORMAT.md's order of purposes).
 */
typedef struct tfl_statement_grant {
	char id[TFL_ENTRY_ID_MAX + 1];
	char grantee[TFL_ENTRY_ID_MAX + 1];
	char grantee_name[TFL_ENTRY_TEXT_MAX + 1];
	char country[3];
	char cycle[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1];
	int status; /* TFL_GRANT_STATUS_* */
	int64_t start, end;
	int64_t award, deobligated, disbursed, spent, refunded;
	int64_t attributed;
	int64_t people[4], forms[3], services[9];
} tfl_statement_grant;

/*
 * One pool's use of the donor's money: contributed (its net receipts in
 * the pool) = the sum of its grants' attributed parts + psc + committed
 * (held for awards not yet paid) + available (held, uncommitted).
 */
typedef struct tfl_statement_use {
	char earmark[TFL_ENTRY_ID_MAX + 1];
	int64_t contributed;
	int64_t grants, psc, committed, available;
	size_t first_grant, ngrants; /* its grants in tfl_statement.grants */
} tfl_statement_use;

/* The fund's position at one moment. */
typedef struct tfl_statement_position {
	int64_t cash, receivable, advances, committed;
} tfl_statement_position;

/* The whole fund over the period: aggregates only. */
typedef struct tfl_statement_fund {
	int64_t contributions;	/* recognised: pledges, unpledged receipts */
	int64_t write_downs;	/* of pledges */
	int64_t donor_refunds;	/* money returned to donors */
	int64_t interest, fx;
	int64_t grant_expenditure, psc;
	tfl_statement_position opening, closing; /* before from; at to */
} tfl_statement_fund;

/* People assisted by the grants of section 3, to the period end. */
typedef struct tfl_statement_results {
	int64_t people[4]; /* women, girls, men, boys */
	int64_t forms[3];  /* sexual, labour, other */
	int64_t services[9];
	size_t grants; /* grants counted */
} tfl_statement_results;

/* An entry the statement relies on, with its proof in the checkpoint. */
typedef struct tfl_statement_entry {
	uint64_t seq;
	char *note; /* the whole signed note, NUL-terminated */
	size_t len;
	uint8_t (*proof)[TFL_HASH_SIZE];
	size_t nproof;
} tfl_statement_entry;

/*
 * A donor statement.  Built by tfl_statement_build, owned by the library
 * (tfl_statement_free); renderers only read it.  An anonymous donor's
 * name is TFL_STATEMENT_ANONYMOUS here, its kind and country "".
 */
typedef struct tfl_statement {
	/* 1 header */
	char number[128]; /* DONOR-YYYYMMDD-SIZE: id, period end, size */
	char fund[TFL_ENTRY_TEXT_MAX + 1];
	char origin[TFL_ORIGIN_MAX + 1];
	tfl_currency currency; /* the base currency */
	char donor[TFL_ENTRY_ID_MAX + 1];
	char donor_name[TFL_ENTRY_TEXT_MAX + 1];
	char donor_kind[24];
	char donor_country[3];
	int anonymous;
	int64_t from, to;
	uint64_t size;		     /* the checkpoint's: entries drawn */
	uint8_t root[TFL_HASH_SIZE]; /* the checkpoint's root */
	uint64_t ledger_size;	     /* entries in the ledger when drawn */
	char *checkpoint;	     /* the signed checkpoint note */
	size_t checkpoint_len;
	/* 2 contributions */
	tfl_statement_pledge *pledges;
	size_t npledges;
	tfl_statement_receipt *receipts;
	size_t nreceipts;
	tfl_statement_refund *refunds;
	size_t nrefunds;
	tfl_statement_writedown *writedowns;
	size_t nwritedowns;
	tfl_statement_totals period, to_date;
	int64_t receivable_opening, receivable_closing;
	tfl_statement_currency *currencies; /* the period's, by code */
	size_t ncurrencies;
	tfl_statement_pool *pools; /* to the period end, as first seen */
	size_t npools;
	/* 3 use */
	tfl_statement_use *uses;
	size_t nuses;
	tfl_statement_grant *grants;
	size_t ngrants;
	/* 4 fund, 5 results, 6 notes */
	tfl_statement_fund fund_figures;
	tfl_statement_results results;
	char psc_rate[TFL_STATEMENT_RATE_MAX]; /* percent, at the size */
	/* the proof */
	tfl_statement_entry *entries; /* by seq */
	size_t nentries;
} tfl_statement;

/* The format named name ("text", "csv", "json", "pdf"), or -1. */
int tfl_statement_format_find(const char *name);

/*
 * Draw the statement of donor opts->donor from l into *out (free it with
 * tfl_statement_free).  Returns 0; TFL_ENOTFOUND (no checkpoint: run
 * `tfledger checkpoint`; or no such donor within it); TFL_EINVAL (a
 * bad period or donor id, a malformed opts->audited); TFL_EVERIFY (the
 * ledger does not verify: err as tfl_ledger_verify; opts->audited is not
 * this ledger's checkpoint, or its snapshot is no longer kept; an entry
 * read is damaged); TFL_ENOMEM; TFL_EIO.
 */
int tfl_statement_build(tfl_statement **out, tfl_ledger *l,
    const tfl_statement_opts *opts, tfl_err *err);

/* Free s and everything it holds.  NULL is a no-op. */
void tfl_statement_free(tfl_statement *s);

/*
 * Write s in format to out, a stream the caller opened and closes.  For
 * TFL_STATEMENT_JSON, a signer (else NULL) signs the statement: see
 * tfl_statement_json.  Returns 0, TFL_EINVAL (unknown format, or a
 * signer for another format than JSON), TFL_ECRYPTO, TFL_ENOMEM, or
 * TFL_EIO (a write failed: out may hold part of it).
 */
int tfl_statement_write(FILE *out, const tfl_statement *s, int format,
    const tfl_key *signer, tfl_err *err);

/*
 * The JSON statement in *out (malloc'd, NUL-terminated, ending in a
 * newline; caller frees).  With a signer, its member "signature" holds
 * the signature lines of the signed note whose text is the canonical
 * bytes of the rest of the document followed by "\n".  Returns 0,
 * TFL_ECRYPTO or TFL_ENOMEM.
 */
int tfl_statement_json(char **out, size_t *outlen, const tfl_statement *s,
    const tfl_key *signer, tfl_err *err);

/*
 * The canonical bytes of the JSON statement json[0..len): the document
 * without its "signature" member, keys sorted, no white space (as
 * docs/STATEMENT.md defines), in *out (malloc'd, NUL-terminated; caller
 * frees).  Returns 0, TFL_EINVAL (not a JSON object, duplicate keys, or
 * a number that is not an integer) or TFL_ENOMEM.
 */
int tfl_statement_canonical(char **out, size_t *outlen, const char *json,
    size_t len, tfl_err *err);

/* What a statement check found. */
typedef struct tfl_statement_check {
	char number[128];
	char donor[TFL_ENTRY_ID_MAX + 1];
	uint64_t size;		     /* of the checkpoint */
	uint8_t root[TFL_HASH_SIZE];
	size_t nentries;	     /* entries checked */
	int signed_by_signer;	     /* the statement's signature verified */
	int has_signature;	     /* it carries one */
} tfl_statement_check;

/*
 * Check the JSON statement json[0..len) with no ledger: the checkpoint
 * is signed by log_key, which the genesis entry names as the log key;
 * every entry is signed by a key its included genesis and key entries
 * make known at its seq, with the role its type needs, and its inclusion
 * proof leads to the checkpoint root; the header, the number and every
 * figure of the contributions section equal those recomputed from the
 * entries; and, when signer is not NULL, the statement's own signature
 * by signer.  Sections 3 to 5 need the whole ledger: the statement's
 * signature attests them.  Returns 0; TFL_EINVAL for a file that is not
 * a statement at all (not JSON: err names the line; or no "version" of
 * this format); TFL_EVERIFY with err naming what failed in a statement
 * (the seq, the member, the figure's path); TFL_ENOMEM; TFL_ECRYPTO.
 */
int tfl_statement_verify(tfl_statement_check *out, const char *json,
    size_t len, const tfl_verifier *log_key, const tfl_verifier *signer,
    tfl_err *err);

#endif
