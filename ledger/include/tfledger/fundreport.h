/*
 * tfledger/fundreport.h - the fund report: what came in, where it went
 * and whom it reached over a period, the comparable data GA resolution
 * 67/190 asks of the fund; as data, rendered as text, CSV, JSON or PDF.
 *
 * A report is one full audit (tfl_ledger_verify) whose posting sink
 * folds every posting that took effect, by its value date: dated before
 * the period it counts in the opening position, within it in the
 * movements, after it not at all.  The people assisted come from the
 * counts of the expenditure reports (the sink is handed the entry that
 * takes effect, so their fields are read there; a reversed report takes
 * its counts away again).  Donor names, kinds and anonymity and grant
 * countries are then read from the fund state: master data, as it is
 * now.  So a report of a ledger that does not verify is never drawn.
 *
 * Sections, in the order renderers show them:
 *	header		fund, ledger origin, size and root, period, currency
 *	contributions	by donor (every anonymous donor together, as
 *			"anonymous donor", never by name or id) and by
 *			kind of donor
 *	grants		by country, by purpose and by cycle
 *	expenditure	grant expenditure, programme support cost (PSC)
 *	fund balance	opening, movements, closing; committed, available
 *	results		people assisted: by sex, age group, form of
 *			exploitation; services given
 *
 * Dates are days since 1970-01-01; amounts are int64 minor units of the
 * base currency; counts are plain integers.
 */
#ifndef TFLEDGER_FUNDREPORT_H
#define TFLEDGER_FUNDREPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfledger/checkpoint.h"
#include "tfledger/entry.h"
#include "tfledger/err.h"
#include "tfledger/ledger.h"
#include "tfledger/merkle.h"
#include "tfledger/money.h"

#define TFL_FUNDREPORT_VERSION "tfledger fund report v1"
#define TFL_FUNDREPORT_ANONYMOUS "anonymous donor"

/* clang-format off */
#define TFL_FUNDREPORT_TEXT	0	/* a report for people, 76 columns */
#define TFL_FUNDREPORT_CSV	1	/* one row per figure */
#define TFL_FUNDREPORT_JSON	2	/* one object */
#define TFL_FUNDREPORT_PDF	3	/* A4 pages with charts */

#define TFL_FUNDREPORT_SEXES	4	/* women, girls, men, boys */
#define TFL_FUNDREPORT_FORMS	3	/* sexual, labour, other */
#define TFL_FUNDREPORT_SERVICES	9	/* FORMAT.md's purposes, in order */
/* clang-format on */

/* The period.  from and to are days, or -1 for the defaults. */
typedef struct tfl_fundreport_opts {
	int64_t from; /* default: the earliest value date in the ledger */
	int64_t to;   /* default: the day of the last entry */
} tfl_fundreport_opts;

#define TFL_FUNDREPORT_OPTS_INIT { -1, -1 }

/*
 * One donor's contributions in the period, or (anonymous) every
 * anonymous donor's together: id, kind and country are then "", name
 * TFL_FUNDREPORT_ANONYMOUS and donors their number.
 */
typedef struct tfl_fundreport_donor {
	char id[TFL_ENTRY_ID_MAX + 1];
	char name[TFL_ENTRY_TEXT_MAX + 1];
	char kind[24];
	char country[3];
	int anonymous;
	size_t donors;
	int64_t pledged;       /* pledges recognised (net of reversals) */
	int64_t received;      /* cash received */
	int64_t refunded;      /* cash refunded to the donor */
	int64_t written_down;  /* pledges written down */
	int64_t contributions; /* revenue: pledges and unpledged receipts
				  less write-downs and refunds */
} tfl_fundreport_donor;

/*
 * The donors of one kind ("government", ...): their contributions and
 * the cash they gave less what was refunded to them.
 */
typedef struct tfl_fundreport_kind {
	char kind[24];
	size_t donors;
	int64_t contributions, received;
} tfl_fundreport_kind;

/*
 * Grants of one country, purpose or cycle (key; "" when the grants name
 * none).  grants counts those with any movement in the period; awarded
 * is approved awards less deobligations, disbursed is tranches less
 * refunds from the NGO, spent the expenditure reported.  A grant with
 * several purposes counts under each, its amounts split equally between
 * them (largest remainder), so the purposes add up to the total.
 */
typedef struct tfl_fundreport_group {
	char key[TFL_ENTRY_ID_MAX + 1];
	size_t grants;
	int64_t awarded, disbursed, spent;
} tfl_fundreport_group;

/* The fund's position at one moment. */
typedef struct tfl_fundreport_position {
	int64_t cash, receivable, advances, committed;
} tfl_fundreport_position;

/*
 * The movements of the period: income (contributions recognised less
 * write-downs and refunds to donors, interest, exchange differences)
 * and expenditure (grants, PSC).  Opening net assets (cash +
 * receivable + advances) + income - expenditure = closing net assets.
 */
typedef struct tfl_fundreport_flows {
	int64_t contributions, write_downs, donor_refunds;
	int64_t interest, fx;
	int64_t grant_expenditure, psc;
} tfl_fundreport_flows;

/*
 * People assisted, from the expenditure reports dated in the period:
 * counts only, never anything that identifies a person.  forms may add
 * up to fewer than the people (a form not recorded).
 */
typedef struct tfl_fundreport_results {
	int64_t people[TFL_FUNDREPORT_SEXES];
	int64_t forms[TFL_FUNDREPORT_FORMS];
	int64_t services[TFL_FUNDREPORT_SERVICES];
	size_t reports; /* expenditure reports, net of reversals */
	size_t grants;	/* grants that reported */
} tfl_fundreport_results;

/*
 * A fund report.  Built by tfl_fundreport_build, owned by the library
 * (tfl_fundreport_free); renderers only read it.  Donors are sorted by
 * contributions, largest first (the anonymous donors' row among them);
 * kinds in FORMAT.md's order; countries by amount awarded, largest
 * first; purposes in FORMAT.md's order, then ""; cycles by name.
 */
typedef struct tfl_fundreport {
	char fund[TFL_ENTRY_TEXT_MAX + 1];
	char origin[TFL_ORIGIN_MAX + 1];
	tfl_currency currency;
	int64_t from, to;
	uint64_t size;		     /* entries audited */
	uint8_t root[TFL_HASH_SIZE]; /* their Merkle root */
	char psc_rate[48];	     /* percent, the policy's now */
	tfl_fundreport_donor *donors;
	size_t ndonors;
	tfl_fundreport_kind *kinds;
	size_t nkinds;
	tfl_fundreport_group *countries, *purposes, *cycles;
	size_t ncountries, npurposes, ncycles;
	tfl_fundreport_group grants; /* all grants: the groups' total */
	tfl_fundreport_flows flows;
	tfl_fundreport_position opening, closing; /* before from; at to */
	tfl_fundreport_results results;
} tfl_fundreport;

/* The format named name ("text", "csv", "json", "pdf"), or -1. */
int tfl_fundreport_format_find(const char *name);

/*
 * Audit l and draw its fund report for the period opts (NULL: the
 * defaults) into *out (free it with tfl_fundreport_free).  Returns 0;
 * TFL_EINVAL (the period ends before it begins); TFL_EVERIFY (the
 * ledger does not verify: err as tfl_ledger_verify); TFL_ENOMEM;
 * TFL_EIO.
 */
int tfl_fundreport_build(tfl_fundreport **out, tfl_ledger *l,
    const tfl_fundreport_opts *opts, tfl_err *err);

/* Free r and everything it holds.  NULL is a no-op. */
void tfl_fundreport_free(tfl_fundreport *r);

/*
 * Write r in format to out, a stream the caller opened and closes.
 * Returns 0, TFL_EINVAL (unknown format), TFL_ENOMEM, or TFL_EIO (a
 * write failed: out may hold part of it).
 */
int tfl_fundreport_write(FILE *out, const tfl_fundreport *r, int format,
    tfl_err *err);

#endif
