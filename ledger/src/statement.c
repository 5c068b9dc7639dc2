/*
 * statement.c - drawing a donor statement from a ledger.
 *
 * 1. The latest stored checkpoint fixes what is drawn: entries below its
 *    size.  2. One read transaction scans those entries: it keeps the
 *    donor's (records, pledges, write-downs of its pledges, receipts,
 *    refunds, and reversals of them once approved, with the approvals),
 *    notes what the grant, policy and key entries say, and the period's
 *    default bounds.  3. A full audit folds the postings
 *    (statement_books.c).  4. The contributions section is computed from
 *    the donor's entries alone (statement_donor.c) and must agree with
 *    the books; then the use of the money, the fund's figures, and the
 *    notes and inclusion proofs of the entries carried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"
#include "statement_internal.h"
#include "tfledger/checkpoint.h"
#include "tfledger/store.h"

#define STOP 1 /* a scan callback's "enough", not an error */

/* A key-enroll or key-revoke entry: which key, signed by whom. */
struct keyev {
	uint64_t seq;
	char name[TFL_KEY_NAME_MAX + 1];
	char signer[TFL_KEY_NAME_MAX + 1];
};

struct scan {
	tfl_statement *s;
	tfl_txn *txn;
	struct tfl__stmt_entry *sel; /* kept and candidate entries, by seq */
	char *keep;
	size_t nsel, capsel;
	char (*refs)[TFL_ENTRY_ID_MAX + 1]; /* the donor's live pledges */
	size_t nrefs, caprefs;
	struct tfl__grant_meta *grants, *grantees; /* grantees: id, name */
	size_t ngrants, capgrants, ngrantees, capgrantees;
	struct keyev *keys;
	size_t nkeys, capkeys;
	char admin[TFL_KEY_NAME_MAX + 1]; /* the genesis admin key */
	int64_t first, last; /* earliest value date, day of the last time */
};

static void *
grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap > 0 ? *cap * 2 : 16;
	void *p;

	if (n < *cap)
		return arr;
	if ((p = realloc(arr, want * size)) == NULL)
		return NULL;
	*cap = want;
	return p;
}

int
tfl_statement_format_find(const char *name)
{
	static const char *const names[] = { "text", "csv", "json", "pdf" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* The latest checkpoint: its note, size and root. */
static int
load_checkpoint(tfl_statement *s, tfl_ledger *l, tfl_err *err)
{
	tfl_checkpoint cp;
	tfl_note n;
	int rc;

	rc = tfl_ledger_checkpoint_latest(&s->checkpoint, &s->checkpoint_len,
	    l, err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "no checkpoint has been published: "
		    "run `tfledger checkpoint` first, then draw the statement");
	if (rc != 0)
		return rc;
	if (tfl_note_parse(&n, s->checkpoint, s->checkpoint_len, err) != 0)
		return TFL_EVERIFY;
	rc = tfl_checkpoint_parse(&cp, n.text, n.textlen, err);
	tfl_note_release(&n);
	if (rc != 0 || cp.size == 0)
		return tfl_err_set(err, TFL_EVERIFY, "the latest checkpoint "
		    "is malformed");
	s->size = cp.size;
	memcpy(s->root, cp.root, sizeof(s->root));
	return 0;
}

/* The period: the options, else the first value date to the last day. */
static int
period(tfl_statement *s, const struct scan *sc, const tfl_statement_opts *o,
    tfl_err *err)
{
	s->from = o->from >= 0 ? o->from : sc->first;
	s->to = o->to >= 0 ? o->to : sc->last;
	if (s->from > s->to)
		return tfl_err_set(err, TFL_EINVAL, "period: it ends before "
		    "it begins");
	return 0;
}

/* Index of the selected entry seq, or nsel. */
static size_t
sel_find(const struct scan *sc, uint64_t seq)
{
	size_t lo = 0, hi = sc->nsel, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sc->sel[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->nsel && sc->sel[lo].seq == seq ? lo : sc->nsel;
}

/* Keep e (owned from now on) as selected or as a candidate. */
static int
sel_add(struct scan *sc, tfl_entry *e, const char *signer, int keep)
{
	struct tfl__stmt_entry *p;
	char *k;

	if ((p = grow(sc->sel, &sc->capsel, sc->nsel, sizeof(*p))) == NULL)
		return TFL_ENOMEM;
	sc->sel = p;
	if ((k = realloc(sc->keep, sc->capsel)) == NULL)
		return TFL_ENOMEM;
	sc->keep = k;
	p = &sc->sel[sc->nsel];
	memset(p, 0, sizeof(*p));
	p->seq = tfl_entry_seq(e);
	p->e = e;
	snprintf(p->signer, sizeof(p->signer), "%s", signer);
	sc->keep[sc->nsel++] = (char)keep;
	return 0;
}

static size_t
ref_find(const struct scan *sc, const char *ref)
{
	size_t i;

	for (i = 0; i < sc->nrefs && strcmp(sc->refs[i], ref) != 0; i++)
		;
	return i;
}

static int
ref_add(struct scan *sc, const char *ref)
{
	void *p;

	if ((p = grow(sc->refs, &sc->caprefs, sc->nrefs,
	    sizeof(sc->refs[0]))) == NULL)
		return TFL_ENOMEM;
	sc->refs = p;
	snprintf(sc->refs[sc->nrefs++], sizeof(sc->refs[0]), "%s", ref);
	return 0;
}

/* An approval of a candidate reversal keeps both; a pledge undone. */
static int
approval(struct scan *sc, tfl_entry *e, const char *signer, int *kept)
{
	const char *v = tfl_entry_get(e, "approves");
	uint64_t seq, target;
	size_t i, t, r;
	int rc;

	if (tfl__parse_u64(&seq, v, strlen(v)) != 0 ||
	    (i = sel_find(sc, seq)) == sc->nsel || sc->keep[i])
		return 0;
	sc->keep[i] = 1;
	v = tfl_entry_get(sc->sel[i].e, "reverses");
	tfl__parse_u64(&target, v, strlen(v));
	t = sel_find(sc, target);
	if (t < sc->nsel &&
	    tfl_entry_type(sc->sel[t].e) == TFL_ENTRY_PLEDGE &&
	    (r = ref_find(sc, tfl_entry_get(sc->sel[t].e, "ref"))) <
	    sc->nrefs)
		memmove(sc->refs[r], sc->refs[--sc->nrefs],
		    sizeof(sc->refs[0]));
	if ((rc = sel_add(sc, e, signer, 1)) == 0)
		*kept = 1;
	return rc;
}

/* Is e one of the donor's?  1: keep it, 2: a candidate, 0: no. */
static int
donors(struct scan *sc, const tfl_entry *e)
{
	const char *d = sc->s->donor, *v;
	uint64_t seq;
	size_t i;

	switch (tfl_entry_type(e)) {
	case TFL_ENTRY_DONOR:
		return strcmp(tfl_entry_get(e, "id"), d) == 0;
	case TFL_ENTRY_PLEDGE:
	case TFL_ENTRY_RECEIPT:
	case TFL_ENTRY_DONOR_REFUND:
		return strcmp(tfl_entry_get(e, "donor"), d) == 0;
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
		return ref_find(sc, tfl_entry_get(e, "pledge")) < sc->nrefs;
	case TFL_ENTRY_REVERSAL:
		v = tfl_entry_get(e, "reverses");
		if (tfl__parse_u64(&seq, v, strlen(v)) != 0)
			return 0;
		i = sel_find(sc, seq);
		return i < sc->nsel && sc->keep[i] ? 2 : 0;
	default:
		return 0;
	}
}

/* What the key, policy and grant entries say, for later. */
static int
note_meta(struct scan *sc, const tfl_entry *e, const char *signer)
{
	int t = tfl_entry_type(e);
	tfl_verifier v;
	const char *k;
	struct keyev *ev;

	if (t == TFL_ENTRY_POLICY)
		snprintf(sc->s->psc_rate, sizeof(sc->s->psc_rate), "%s",
		    tfl_entry_get(e, "psc-rate"));
	if (t != TFL_ENTRY_KEY_ENROLL && t != TFL_ENTRY_KEY_REVOKE)
		return 0;
	if ((ev = grow(sc->keys, &sc->capkeys, sc->nkeys,
	    sizeof(*ev))) == NULL)
		return TFL_ENOMEM;
	sc->keys = ev;
	ev = &sc->keys[sc->nkeys++];
	memset(ev, 0, sizeof(*ev));
	ev->seq = tfl_entry_seq(e);
	snprintf(ev->signer, sizeof(ev->signer), "%s", signer);
	k = t == TFL_ENTRY_KEY_REVOKE ? tfl_entry_get(e, "name") : NULL;
	if (k == NULL && tfl_verifier_parse(&v, tfl_entry_get(e, "key"),
	    strlen(tfl_entry_get(e, "key")), NULL) == 0)
		k = v.name;
	snprintf(ev->name, sizeof(ev->name), "%s", k != NULL ? k : "");
	return 0;
}

static struct tfl__grant_meta *
meta_add(struct tfl__grant_meta **arr, size_t *n, size_t *cap)
{
	struct tfl__grant_meta *p;

	if ((p = grow(*arr, cap, *n, sizeof(*p))) == NULL)
		return NULL;
	*arr = p;
	memset(&p[*n], 0, sizeof(*p));
	return &p[(*n)++];
}

static struct tfl__grant_meta *
grantee_of(struct scan *sc, const char *id)
{
	size_t i;

	for (i = 0; i < sc->ngrantees; i++)
		if (strcmp(sc->grantees[i].id, id) == 0)
			return &sc->grantees[i];
	return NULL;
}

/* Grantee records (latest name) and grant awards. */
static int
note_grants(struct scan *sc, const tfl_entry *e)
{
	struct tfl__grant_meta *m, *ge;
	const char *v;

	if (tfl_entry_type(e) == TFL_ENTRY_GRANTEE) {
		v = tfl_entry_get(e, "id");
		if ((m = grantee_of(sc, v)) == NULL && (m = meta_add(
		    &sc->grantees, &sc->ngrantees, &sc->capgrantees)) == NULL)
			return TFL_ENOMEM;
		snprintf(m->id, sizeof(m->id), "%s", v);
		snprintf(m->grantee_name, sizeof(m->grantee_name), "%s",
		    tfl_entry_get(e, "name"));
		snprintf(m->country, sizeof(m->country), "%s",
		    tfl_entry_get(e, "country"));
		return 0;
	}
	if (tfl_entry_type(e) != TFL_ENTRY_GRANT)
		return 0;
	if ((m = meta_add(&sc->grants, &sc->ngrants, &sc->capgrants)) == NULL)
		return TFL_ENOMEM;
	snprintf(m->id, sizeof(m->id), "%s", tfl_entry_get(e, "id"));
	snprintf(m->grantee, sizeof(m->grantee), "%s",
	    tfl_entry_get(e, "grantee"));
	ge = grantee_of(sc, m->grantee);
	v = tfl_entry_get(e, "country");
	snprintf(m->country, sizeof(m->country), "%s", v != NULL ? v :
	    ge != NULL ? ge->country : "");
	v = tfl_entry_get(e, "cycle");
	snprintf(m->cycle, sizeof(m->cycle), "%s", v != NULL ? v : "");
	tfl_date_parse(&m->start, tfl_entry_get(e, "start"), NULL);
	tfl_date_parse(&m->end, tfl_entry_get(e, "end"), NULL);
	return 0;
}

static int
genesis(struct scan *sc, const tfl_entry *e, tfl_err *err)
{
	tfl_statement *s = sc->s;
	const tfl_currency *cur;
	tfl_verifier v;
	const char *ak = tfl_entry_get(e, "admin-key");

	snprintf(s->fund, sizeof(s->fund), "%s", tfl_entry_get(e, "fund"));
	snprintf(s->origin, sizeof(s->origin), "%s", tfl_entry_origin(e));
	if (tfl_currency_find(&cur, tfl_entry_get(e, "currency"), err) != 0 ||
	    tfl_verifier_parse(&v, ak, strlen(ak), err) != 0)
		return TFL_EVERIFY;
	s->currency = *cur;
	snprintf(sc->admin, sizeof(sc->admin), "%s", v.name);
	return 0;
}

/* Sort one entry: the donor's, metadata, or nothing to keep. */
static int
scan_entry(struct scan *sc, tfl_entry *e, const char *signer, int *kept,
    tfl_err *err)
{
	int rc, k;

	if (tfl_entry_type(e) == TFL_ENTRY_GENESIS)
		return genesis(sc, e, err);
	if (tfl_entry_type(e) == TFL_ENTRY_APPROVAL)
		return approval(sc, e, signer, kept);
	if ((rc = note_meta(sc, e, signer)) != 0 ||
	    (rc = note_grants(sc, e)) != 0 || (k = donors(sc, e)) == 0)
		return rc;
	if (tfl_entry_type(e) == TFL_ENTRY_PLEDGE &&
	    (rc = ref_add(sc, tfl_entry_get(e, "ref"))) != 0)
		return rc;
	if ((rc = sel_add(sc, e, signer, k == 1)) == 0)
		*kept = 1;
	return rc;
}

/* The earliest value date and the day of the latest time. */
static void
value_days(struct scan *sc, const tfl_entry *e)
{
	const char *d = tfl_entry_get(e, "date");
	int64_t day = tfl_entry_time(e) / 86400;

	sc->last = day;
	if (d != NULL)
		tfl_date_parse(&day, d, NULL);
	if (tfl_entry_seq(e) == 0 || day < sc->first)
		sc->first = day;
}

static int
scan_one(void *ctx, uint64_t seq, const void *data, size_t len,
    tfl_err *err)
{
	struct scan *sc = ctx;
	tfl_entry *e = NULL;
	tfl_note n;
	int rc, kept = 0;

	if (seq >= sc->s->size)
		return STOP;
	if (tfl_note_parse(&n, data, len, err) != 0)
		return tfl_err_prefix(err, "seq %llu", (unsigned long long)seq);
	rc = tfl_entry_decode(&e, n.text, n.textlen, err);
	if (rc == 0) {
		value_days(sc, e);
		rc = scan_entry(sc, e, n.nsigs > 0 ? n.sigs[0].name : "",
		    &kept, err);
	}
	if (rc == TFL_ENOMEM)
		rc = tfl_err_set(err, rc, "out of memory");
	if (!kept)
		tfl_entry_free(e);
	tfl_note_release(&n);
	return rc;
}

/* Drop the candidate reversals no approval kept. */
static void
drop_candidates(struct scan *sc)
{
	size_t i, k = 0;

	for (i = 0; i < sc->nsel; i++) {
		if (sc->keep[i])
			sc->sel[k++] = sc->sel[i];
		else
			tfl_entry_free(sc->sel[i].e);
	}
	sc->nsel = k;
}

/* Is name among names[0..n)? */
static int
has_name(char (*names)[TFL_KEY_NAME_MAX + 1], size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/*
 * The seqs to carry: genesis, the donor's entries, and the key entries
 * of their signers, of those keys' signers, and so on.  *out (malloc'd)
 * gets them in ascending order.
 */
static int
carried(uint64_t **out, size_t *n, const struct scan *sc)
{
	char (*names)[TFL_KEY_NAME_MAX + 1];
	uint64_t *seqs;
	size_t i, k, nn = 0, ns = 0, cap = sc->nsel + sc->nkeys + 1;
	int rc = 0;

	names = calloc(cap + 1, sizeof(*names));
	seqs = calloc(cap, sizeof(*seqs));
	if (names == NULL || seqs == NULL) {
		free(names);
		free(seqs);
		return TFL_ENOMEM;
	}
	seqs[ns++] = 0;
	for (i = 0; i < sc->nsel; i++) {
		seqs[ns++] = sc->sel[i].seq;
		if (!has_name(names, nn, sc->sel[i].signer))
			memcpy(names[nn++], sc->sel[i].signer,
			    sizeof(names[0]));
	}
	/* names grows as the loop runs: signers of signers' entries. */
	for (i = 0; i < nn; i++)
		for (k = 0; k < sc->nkeys; k++) {
			if (strcmp(sc->keys[k].name, names[i]) != 0)
				continue;
			seqs[ns++] = sc->keys[k].seq;
			if (!has_name(names, nn, sc->keys[k].signer))
				memcpy(names[nn++], sc->keys[k].signer,
				    sizeof(names[0]));
		}
	free(names);
	*out = seqs;
	*n = ns;
	return rc;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The note and the inclusion proof of entry seq. */
static int
proof(tfl_statement_entry *out, const struct scan *sc, uint64_t seq,
    tfl_err *err)
{
	uint8_t path[TFL_MERKLE_MAX_PROOF][TFL_HASH_SIZE];
	int rc;

	out->seq = seq;
	if ((rc = tfl_store_entry_get(&out->note, &out->len, sc->txn, seq,
	    err)) != 0 ||
	    (rc = tfl_merkle_inclusion(path, &out->nproof, seq, sc->s->size,
	    tfl_store_node_get, sc->txn, err)) != 0)
		return rc;
	out->proof = malloc((out->nproof + 1) * TFL_HASH_SIZE);
	if (out->proof == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	memcpy(out->proof, path, out->nproof * TFL_HASH_SIZE);
	return 0;
}

static int
proofs(struct scan *sc, tfl_err *err)
{
	tfl_statement *s = sc->s;
	uint64_t *seqs = NULL;
	size_t i, n = 0;
	int rc;

	if ((rc = carried(&seqs, &n, sc)) != 0)
		return tfl_err_set(err, rc, "out of memory");
	qsort(seqs, n, sizeof(*seqs), cmp_u64);
	s->entries = calloc(n, sizeof(*s->entries));
	if (s->entries == NULL)
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; rc == 0 && i < n; i++) {
		if (i > 0 && seqs[i] == seqs[i - 1])
			continue;
		rc = proof(&s->entries[s->nentries++], sc, seqs[i], err);
	}
	free(seqs);
	return rc;
}

static void
scan_release(struct scan *sc)
{
	size_t i;

	tfl_store_abort(sc->txn);
	for (i = 0; i < sc->nsel; i++)
		tfl_entry_free(sc->sel[i].e);
	free(sc->sel);
	free(sc->keep);
	free(sc->refs);
	free(sc->grants);
	free(sc->grantees);
	free(sc->keys);
}

/* Grant details: the grantee's latest name. */
static void
grantee_names(struct scan *sc)
{
	struct tfl__grant_meta *ge;
	size_t i;

	for (i = 0; i < sc->ngrants; i++)
		if ((ge = grantee_of(sc, sc->grants[i].grantee)) != NULL)
			memcpy(sc->grants[i].grantee_name, ge->grantee_name,
			    sizeof(ge->grantee_name));
}

/* Scan the entries below the checkpoint's size. */
static int
scan(struct scan *sc, tfl_ledger *l, tfl_err *err)
{
	tfl_statement *s = sc->s;
	int rc;

	snprintf(s->psc_rate, sizeof(s->psc_rate), "%d",
	    TFL_FUND_DEFAULT_PSC_PERCENT);
	if ((rc = tfl_store_begin(&sc->txn, l->store, 0, err)) != 0)
		return rc;
	rc = tfl_store_entry_foreach(sc->txn, 0, scan_one, sc, err);
	if (rc != 0 && rc != STOP)
		return rc;
	drop_candidates(sc);
	if (sc->nsel == 0)
		return tfl_err_set(err, TFL_ENOTFOUND, "donor \"%s\": not in "
		    "the ledger up to its checkpoint of size %llu", s->donor,
		    (unsigned long long)s->size);
	grantee_names(sc);
	return 0;
}

/* Compute the contributions, check them, fill the rest, the proofs. */
static int
draw(tfl_statement *s, struct scan *sc, const struct tfl__books *books,
    tfl_err *err)
{
	int rc;

	if ((rc = tfl__statement_donor(s, sc->sel, sc->nsel, err)) != 0 ||
	    (rc = tfl__books_check_donor(books, s, err)) != 0 ||
	    (rc = tfl__books_fill(s, books, sc->grants, sc->ngrants,
	    err)) != 0)
		return rc;
	return proofs(sc, err);
}

int
tfl_statement_build(tfl_statement **out, tfl_ledger *l,
    const tfl_statement_opts *opts, tfl_err *err)
{
	struct tfl__books *books = NULL;
	tfl_statement *s;
	struct scan sc;
	int rc;

	if (opts->donor == NULL || !tfl_id_valid(opts->donor))
		return tfl_err_set(err, TFL_EINVAL, "donor \"%.64s\": not a "
		    "valid id", opts->donor != NULL ? opts->donor : "");
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	snprintf(s->donor, sizeof(s->donor), "%s", opts->donor);
	memset(&sc, 0, sizeof(sc));
	sc.s = s;
	/* The scan's read transaction stays open through the audit. */
	if ((rc = load_checkpoint(s, l, err)) != 0 ||
	    (rc = scan(&sc, l, err)) != 0 ||
	    (rc = period(s, &sc, opts, err)) != 0 ||
	    (rc = tfl__books_collect(&books, &s->ledger_size, l, s,
	    err)) != 0 ||
	    (rc = draw(s, &sc, books, err)) != 0)
		goto out;
	tfl__statement_number(s);
	*out = s;
	s = NULL;
out:
	scan_release(&sc);
	tfl__books_free(books);
	tfl_statement_free(s);
	return rc;
}

void
tfl_statement_free(tfl_statement *s)
{
	size_t i;

	if (s == NULL)
		return;
	tfl__statement_donor_release(s);
	for (i = 0; i < s->nentries; i++) {
		free(s->entries[i].note);
		free(s->entries[i].proof);
	}
	free(s->entries);
	free(s->uses);
	free(s->grants);
	free(s->checkpoint);
	free(s);
}
