/*
 * statement_internal.h - shared by the statement files: the builder
 * (statement.c), the donor's figures (statement_donor.c), the JSON form
 * (statement_json.c), the renderers (statement_render.c) and the check
 * without a ledger (statement_verify.c).
 *
 * The contributions section is computed by one function,
 * tfl__statement_donor, from the donor's decoded entries: the builder
 * calls it on the entries it selected from the ledger, the verifier on
 * the entries a statement carries, and the JSON of both results must be
 * equal.  So the two cannot drift.
 */
#ifndef TFLEDGER_STATEMENT_INTERNAL_H
#define TFLEDGER_STATEMENT_INTERNAL_H

#include <jansson.h>

#include "internal.h"
#include "tfledger/statement.h"
#include "tfledger/store.h"

/* A decoded entry of a statement, with the name of its signer. */
struct tfl__stmt_entry {
	uint64_t seq;
	tfl_entry *e;
	char signer[TFL_KEY_NAME_MAX + 1];
	int used; /* set by tfl__statement_donor when it relied on it */
};

/*
 * Fill s's donor identity (from its donor records) and contributions
 * section from entries[0..n), in ascending seq order.  s->donor, from,
 * to and currency must be set; the arrays of section 2 must be empty.
 * Entries of types other than the donor's (donor, pledge, write-down,
 * receipt, refund, reversal, approval) are skipped for the caller.
 * Returns 0, TFL_EVERIFY naming the seq of an entry that does not fit
 * (another donor's, a link to an entry not given, a reversal never
 * approved, an approval by the reversal's own signer), or TFL_ENOMEM.
 */
int tfl__statement_donor(tfl_statement *s, struct tfl__stmt_entry *entries,
    size_t n, tfl_err *err);

/* Free what tfl__statement_donor allocated in s.  s stays valid. */
void tfl__statement_donor_release(tfl_statement *s);

/* Set s->number from its donor, period end and size. */
void tfl__statement_number(tfl_statement *s);

/*
 * The JSON of the parts a verifier recomputes: "version", "number",
 * "fund", "donor", "period", "ledger" and "contributions", as members
 * of obj.  Returns 0 or TFL_ENOMEM.
 */
int tfl__statement_checked_json(json_t *obj, const tfl_statement *s,
    tfl_err *err);

/*
 * The canonical bytes of obj (a statement) without its "signature":
 * keys sorted, no white space (RFC 8785 for the values a statement may
 * hold), in *out (malloc'd; caller frees).  Returns 0, TFL_EINVAL (not
 * an object, or a real or an integer beyond 2^53) or TFL_ENOMEM.
 */
int tfl__statement_canonical_of(char **out, size_t *outlen, json_t *obj,
    tfl_err *err);

/*
 * Parse text as an amount of currency code, canonical for it.  Returns
 * 0 or TFL_EINVAL.
 */
int tfl__statement_amount(int64_t *out, const char *text, const char *code,
    tfl_err *err);

/* Format an amount of currency code (base if code is NULL) into buf[48]. */
void tfl__statement_money(char buf[48], int64_t v, const char *code,
    const tfl_statement *s);

/* What the ledger's grant entries say of a grant, for section 3. */
struct tfl__grant_meta {
	char id[TFL_ENTRY_ID_MAX + 1];
	char grantee[TFL_ENTRY_ID_MAX + 1];
	char grantee_name[TFL_ENTRY_TEXT_MAX + 1];
	char country[3];
	char cycle[TFL_ENTRY_ID_MAX + 1];
	int64_t start, end;
};

/* The sums by value date a statement needs, folded for it. */
struct tfl__books;

/*
 * Read the sums kept by value date (fund_days.c) from the snapshot of
 * the fund state at s->size, in txn, up to s->to: the fund's figures,
 * its pools and grants (their records read through state, that
 * snapshot), and the donor's own postings (for tfl__books_check_donor).
 * s->donor, from, to and size must be set.  Returns 0, TFL_ENOTFOUND
 * (no such snapshot), TFL_EIO (a malformed record) or TFL_ENOMEM.
 */
struct tfl_kv;
int tfl__books_read(struct tfl__books **out, tfl_txn *txn,
    struct tfl_kv *state, const tfl_statement *s, tfl_err *err);

/* The grants b holds, by index (their details are the caller's). */
size_t tfl__books_ngrants(const struct tfl__books *b);
const char *tfl__books_grant(const struct tfl__books *b, size_t i);

/* Free b.  NULL is a no-op. */
void tfl__books_free(struct tfl__books *b);

/*
 * The contributions section, computed from the donor's entries, must
 * equal its postings in the books: else TFL_EVERIFY naming the figure.
 */
int tfl__books_check_donor(const struct tfl__books *b, const tfl_statement *s,
    tfl_err *err);

/*
 * Fill sections 3 to 5 of s (uses, grants, fund figures, results) from
 * b, the donor's pools (s->pools) and the grants' details meta[0..n).
 * Returns 0, TFL_ENOMEM or TFL_EINVAL (a split that cannot be made).
 */
int tfl__books_fill(tfl_statement *s, const struct tfl__books *b,
    const struct tfl__grant_meta *meta, size_t n, tfl_err *err);

/* Write s to out as PDF (statement_pdf.c): 0 or as tfl__pdf_finish. */
int tfl__statement_pdf(FILE *out, const tfl_statement *s, tfl_err *err);

#endif
