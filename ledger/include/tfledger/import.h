/*
 * tfledger/import.h - importing receipts, pledges or donors from a CSV
 * file, as one command: all rows or none.
 *
 * The header row names the columns (any order):
 *	receipt	date, donor, amount, currency, reference; optional rate
 *		(required when currency is not the base), pledge, earmark
 *	pledge	date, donor, amount, currency, reference; optional rate,
 *		earmark, due
 *	donor	id, name, kind; optional country, anonymous (yes/no)
 * An optional column may be left empty in a row.  A row already in the
 * ledger with the same figures is skipped, so importing a file again
 * appends nothing; a row whose reference is recorded with other figures
 * is an error.  (A donor row with other details corrects the donor.)
 */
#ifndef TFLEDGER_IMPORT_H
#define TFLEDGER_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"

/*
 * Import data[0..len) as entries of type (TFL_ENTRY_RECEIPT,
 * TFL_ENTRY_PLEDGE or TFL_ENTRY_DONOR), signed by signer at time now, in
 * one transaction.  *out_added and *out_skipped count the rows.  Any bad
 * row is TFL_EINVAL (malformed) or TFL_ERULE (refused) naming its line
 * and column, and nothing is appended.  Returns 0 or a status.
 */
int tfl_import_csv(size_t *out_added, size_t *out_skipped, tfl_ledger *l,
    const tfl_key *signer, int type, const char *data, size_t len,
    int64_t now, tfl_err *err);

#endif
