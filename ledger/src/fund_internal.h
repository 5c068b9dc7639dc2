/*
 * fund_internal.h - shared by the fund rule files (fund*.c).
 *
 * State records (keys of the kv, values fixed-layout structs, zeroed
 * before they are filled so that stored and replayed bytes compare):
 *	info			tfl_fund_info
 *	keys, key/NAME		enrolment order, tfl_fund_key
 *	policy			tfl_fund_policy
 *	period			int64_t: last closed date (days), absent: none
 *	pools, pool/EARMARK	pool order, tfl_fund_pool ("-" unearmarked)
 *	donor/ID		tfl_fund_donor
 *	grantee/ID		struct tfl__grantee
 *	pledge/REF		struct tfl__pledge
 *	receipt/DONOR:REF	struct tfl__ref (donor's bank reference)
 *	grant/ID		tfl_fund_grant
 *	ref/TYPE/SCOPE:REF	struct tfl__ref (other references)
 *	st/SEQ			struct tfl__status (pending, reversed)
 *	pending			uint64_t seqs awaiting approval
 *	vd/f/DATE		struct tfl__vd_fund: sums by value date
 *	vd/p/EARMARK:DATE	struct tfl__vd_pool ("" unearmarked)
 *	vd/g/GRANT:DATE		struct tfl__vd_grant
 *	vd/d/DONOR:DATE		struct tfl__vd_donor
 *	dx/DONOR:SEQ		"": the donor's entries (SEQ 16 hex digits)
 *	dw/SEQ			the donor of a pledge write-down
 *
 * DATE is YYYY-MM-DD, so that a donor's or a scope's records are read
 * in order with one range (fund_days.c); ':' is in no id, so the range
 * "dx/DONOR:" holds that donor's records and no other's.
 */
#ifndef TFLEDGER_FUND_INTERNAL_H
#define TFLEDGER_FUND_INTERNAL_H

#include "internal.h"
#include "tfledger/fund.h"

/*
 * Read the record key into out, which must be exactly size bytes.
 * Returns 0, TFL_ENOTFOUND (err set by the kv), TFL_EIO on a size
 * mismatch, or the kv's status.
 */
int tfl__kv_get_fixed(tfl_kv *kv, const char *key, void *out, size_t size,
    tfl_err *err);

/* Write size bytes of rec under key. */
int tfl__kv_put(tfl_kv *kv, const char *key, const void *rec, size_t size,
    tfl_err *err);

/* Append name (plus '\n') to the list record key unless present. */
int tfl__kv_list_add(tfl_kv *kv, const char *key, const char *name,
    tfl_err *err);

struct tfl__grantee {
	char id[TFL_ENTRY_ID_MAX + 1];
	char name[TFL_ENTRY_TEXT_MAX + 1];
	char country[3];
	char partner_ref[TFL_ENTRY_ID_MAX + 1];
	uint64_t seq;
};

struct tfl__pledge {
	char donor[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1];
	char currency[4];
	int64_t amount, base;	/* as pledged */
	int64_t cleared;	/* received or written down, original units */
	int64_t settled;	/* base units of receivable cleared */
	uint64_t seq;
	int reversed;
};

/* A recorded reference (a bank reference, a tranche, a report). */
struct tfl__ref {
	char scope[TFL_ENTRY_ID_MAX + 1]; /* donor, grant or pledge */
	char earmark[TFL_ENTRY_ID_MAX + 1];
	char currency[4];
	int64_t amount, base;
	int64_t share;	  /* receivable cleared by a receipt */
	int64_t refunded; /* original units refunded */
	uint64_t seq;
	int reversed;
};

/* clang-format off */
#define ST_PENDING	1	/* awaits approval */
#define ST_APPROVED	2	/* approved: in effect */
#define ST_REVERSED	4	/* cancelled by an approved reversal */
/* clang-format on */

struct tfl__status {
	int type;
	int flags;
	char signer[TFL_KEY_NAME_MAX + 1];
	uint64_t by; /* approving or reversing entry */
};

/* What an entry's rules need besides the entry. */
struct tfl__apply {
	tfl_kv *kv;
	const tfl_entry *e;	/* the entry taking effect */
	tfl_fund_info *info;
	const tfl_fund_key *signer;
	const tfl_posting_sink *sink;
	uint64_t by_seq;	/* the entry that makes it take effect */
	int sign;		/* +1, or -1 when a reversal undoes it */
	int dry;		/* check only: write nothing */
	int64_t date;		/* value date, days */
	const char *pool;	/* the earmark postings go to ("" none) */
	tfl_posting post[8];
	size_t npost;
};

/* Sums of one value date (base units) of the fund's postings. */
struct tfl__vd_fund {
	int64_t cash, receivable, advances, committed; /* position moves */
	int64_t contributions, write_downs, donor_refunds, interest, fx;
	int64_t grant_expenditure, psc;
};

/* ... of a pool's postings. */
struct tfl__vd_pool {
	int64_t cash, committed, psc;
};

/* ... of a grant's postings and of its expenditure reports' counts. */
struct tfl__vd_grant {
	int64_t awards; /* award postings: the grant was approved */
	int64_t award, deobligated, disbursed, refunded, spent;
	int64_t people[4], forms[3], services[9];
};

/* ... of a donor's postings, signed as given (+) or taken (-). */
struct tfl__vd_donor {
	int64_t receivable, pledged, received, refunded, written_down, fx;
};

#define TFL__VD_KEY_MAX (TFL_ENTRY_ID_MAX + 24)
#define TFL__VD_FIELDS_MAX (sizeof(struct tfl__vd_grant) / sizeof(int64_t))

/* to[i] += v[i] for i < n (sums of records, unchecked). */
void tfl__vd_add(int64_t *to, const int64_t *v, size_t n);

/*
 * A posting placed in the fund's chart (tfl__account_class) once, for
 * every figure it adds to: the value-date sums and both reports.
 */
struct tfl__placed {
	const tfl_posting *q;
	enum tfl__acct acct;
	const char *tail; /* the donor or grant its account names, or NULL */
};

/* Place q in x. */
void tfl__place(struct tfl__placed *x, const tfl_posting *q);

/*
 * *f: what posting x, by an entry of type, adds to the fund's figures
 * (the fund report's too).
 */
void tfl__vd_fund_posting(struct tfl__vd_fund *f, int type,
    const struct tfl__placed *x);

/* Add the postings queued in a (taking effect through e) to vd/ records. */
int tfl__days_post(struct tfl__apply *a, const tfl_entry *e, tfl_err *err);

/*
 * Name entry e, just applied, in its donor's index (dx/): a donor record,
 * pledge, write-down, receipt or refund of the donor, a reversal of one
 * of those, an approval of such a reversal.  Other entries: nothing.
 */
int tfl__donor_index(tfl_kv *kv, const tfl_entry *e, tfl_err *err);

/* The entry at seq, decoded, and (signer != NULL) its signer's name. */
int tfl__load_entry(tfl_entry **out, char *signer, size_t size, tfl_kv *kv,
    uint64_t seq, tfl_err *err);

/* The rules of the governance types (fund.c). */
int tfl__fund_keys_apply(struct tfl__apply *a, tfl_err *err);

/* Income: donor, grantee, pledge, writedown, receipt, interest, refund. */
int tfl__fund_income_apply(struct tfl__apply *a, tfl_err *err);

/* Grants: award, disbursement, expenditure, refund, deobligation, psc. */
int tfl__fund_grants_apply(struct tfl__apply *a, tfl_err *err);

/* Record a grant award pending approval, reserving its id. */
int tfl__grant_reserve(struct tfl__apply *a, tfl_err *err);

/* Control: policy, approval, reversal, period close (fund_control.c). */
int tfl__fund_control_apply(struct tfl__apply *a, tfl_err *err);

/*
 * Apply the effect of e (recorded earlier or now) with a->sign; the
 * dispatch shared by direct entries, approvals and reversals.
 */
int tfl__fund_effect(struct tfl__apply *a, const tfl_entry *e, tfl_err *err);

/* The value date of e (days): its date field, else its time's date. */
int64_t tfl__value_date(const tfl_entry *e);

/* Refuse a value date in a closed period; what names it. */
int tfl__fund_check_date(tfl_kv *kv, int64_t date, const char *what,
    tfl_err *err);

/* Check an entry that needs approval and record it as pending. */
int tfl__fund_record_pending(struct tfl__apply *a, tfl_err *err);

/*
 * Whether e waits for approval (1) or takes effect now (0); a negative
 * status on error.
 */
int tfl__fund_needs_approval(struct tfl__apply *a, const tfl_entry *e,
    tfl_err *err);

/*
 * Parse text as an amount of cur that must be written canonically
 * (exactly cur's decimals), so every amount has one encoding.
 */
int tfl__money_canon(int64_t *out, const char *text, const tfl_currency *cur,
    unsigned flags, const char *field, tfl_err *err);

/* Parse field of a->e as an amount in the base currency (> 0). */
int tfl__base_amount(int64_t *out, struct tfl__apply *a, const char *field,
    tfl_err *err);

/* Queue a posting of amount (base) to account; flushed by the caller. */
void tfl__post(struct tfl__apply *a, const char *account, int64_t amount,
    const char *currency, int64_t orig);

/*
 * A reference's record at key, or TFL_ENOTFOUND (r zeroed).  Kept
 * packed: amount, base, share, refunded and seq, 8 bytes big-endian
 * each, reversed in one byte, the currency's 3 letters (3 NULs: none),
 * then the scope, a NUL and the earmark; 45 bytes and the two ids
 * rather than the struct's 184 (a bank reference is the one record
 * every receipt adds).
 */
int tfl__ref_get(struct tfl__ref *r, tfl_kv *kv, const char *key,
    tfl_err *err);
int tfl__ref_put(tfl_kv *kv, const char *key, const struct tfl__ref *r,
    tfl_err *err);

/* Into key (size bytes): the record of donor's bank reference ref. */
char *tfl__receipt_key(char *key, size_t size, const char *donor,
    const char *ref);

/* Read and write pools ("" earmark is the unearmarked pool). */
int tfl__pool_get(tfl_fund_pool *out, tfl_kv *kv, const char *earmark,
    tfl_err *err);
int tfl__pool_put(tfl_kv *kv, const tfl_fund_pool *p, tfl_err *err);

/* Checked p->field += d; EINVAL on overflow. */
int tfl__add(int64_t *field, int64_t d, tfl_err *err);

/*
 * What pool p can still spend: cash less commitments, less the PSC its
 * commitments and advances will cost, less PSC due not yet charged.
 */
int tfl__pool_free(int64_t *out, tfl_kv *kv, const tfl_fund_pool *p,
    tfl_err *err);

/* Refuse (TFL_ERULE) a pool whose free cash (above) would be negative. */
int tfl__check_free(struct tfl__apply *a, const tfl_fund_pool *p,
    tfl_err *err);

/* Refuse with TFL_ERULE when v < 0: "what would be negative (v)". */
int tfl__nonneg(int64_t v, const char *what, const tfl_fund_info *info,
    tfl_err *err);

/* Entry status records. */
int tfl__status_get(struct tfl__status *out, tfl_kv *kv, uint64_t seq,
    tfl_err *err);
int tfl__status_put(tfl_kv *kv, uint64_t seq, const struct tfl__status *st,
    tfl_err *err);

#endif
