/*
 * export_internal.h - shared by the export files: the books gathered
 * from a full audit (export.c) and the IATI writer (export_iati.c).
 */
#ifndef TFLEDGER_EXPORT_INTERNAL_H
#define TFLEDGER_EXPORT_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "internal.h"
#include "tfledger/export.h"

#define TFL__DESC_MAX 200

/* One entry that took effect, with its postings. */
struct tfl__txn {
	int64_t date;		/* value date, days */
	uint64_t seq, by_seq;
	uint64_t reverses;	/* the entry a reversal undoes, 0 for none */
	int type;		/* the entry's type (reversal for one) */
	int etype;		/* the type whose postings these are: for a
				   reversal, the undone entry's */
	size_t first, n;	/* book.post[first..first+n) */
	size_t order;		/* arrival: keeps the sort total */
	char desc[TFL__DESC_MAX];
	/* the donor, or the grant, the money went from or to ("" none) */
	char party[TFL_ENTRY_ID_MAX + 1];
	/* "100000.00 EUR at 0.926 EUR per USD": money not in the base
	   currency as the entry gives it, "" for none */
	char money[128];
};

struct tfl__book {
	tfl_fund_info info;
	tfl_verify_report report;
	struct tfl__txn *txn;
	size_t ntxn, captxn;
	tfl_posting *post;
	size_t npost, cappost;
};

/*
 * arr grown to hold need elements of size bytes (capacity in *cap), or
 * NULL with arr intact.
 */
void *tfl__export_grow(void *arr, size_t *cap, size_t need, size_t size);

/* The entry at seq of l, decoded (caller frees).  0 or a status. */
int tfl__export_load(tfl_entry **out, tfl_ledger *l, uint64_t seq,
    tfl_err *err);

/* The IATI export's options, checked and with the defaults filled in. */
struct tfl__iati_opts {
	char org[TFL_EXPORT_IATI_ID_MAX + 1];
	char activity[TFL_EXPORT_IATI_ID_MAX + 1];
	int64_t now; /* 0: the time of the last entry */
};

/*
 * Check opts (NULL for the defaults) into out.  Returns 0 or TFL_EINVAL
 * naming the identifier (see tfl_export_write_ext).
 */
int tfl__export_iati_opts(struct tfl__iati_opts *out,
    const tfl_export_opts *opts, tfl_err *err);

/*
 * Write b as an IATI activity file to f.  Reads donor and NGO names from
 * l's state, which the audit that filled b found equal to its replay.
 * Returns 0, TFL_ERULE (a future date), TFL_ENOMEM or TFL_EIO.
 */
int tfl__export_iati(FILE *f, const struct tfl__book *b, tfl_ledger *l,
    const struct tfl__iati_opts *o, tfl_err *err);

#endif
