/*
 * statement.c - drawing a donor statement from a ledger.
 *
 * 1. A checkpoint fixes what is drawn: entries below its size; the
 *    latest stored one, after a full audit of the ledger, or the one a
 *    passing audit already covered (opts->audited).  2. The fund state
 *    at that size is its snapshot: the donor's entries are the ones its
 *    index names (dx/, fund_days.c), read with the keys that signed
 *    them; the period's figures are the sums kept by value date
 *    (statement_books.c).  3. The contributions section is computed from
 *    the donor's entries alone (statement_donor.c) and must agree with
 *    the donor's sums; then the use of the money, the fund's figures, and
 *    the notes and inclusion proofs of the entries carried.  So a
 *    statement reads O(k) entries and O(log n) tree nodes for a donor
 *    with k entries, plus the sums of the days up to the period's end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"
#include "ledger_internal.h"
#include "statement_internal.h"
#include "tfledger/checkpoint.h"
#include "tfledger/store.h"

struct scan {
	tfl_statement *s;
	tfl_txn *txn;
	tfl_kv kv; /* the fund state at s->size: its snapshot */
	struct tfl__stmt_entry *sel; /* kept and candidate entries, by seq */
	char *keep;
	size_t nsel, capsel;
	char (*refs)[TFL_ENTRY_ID_MAX + 1]; /* the donor's live pledges */
	size_t nrefs, caprefs;
	struct tfl__grant_meta *grants;
	size_t ngrants, capgrants;
	tfl_fund_info info;
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

/*
 * The size (> 0) and root of checkpoint note[0..len), named what; code
 * (TFL_EINVAL for a file given, TFL_EVERIFY for the ledger's) if it is
 * malformed.
 */
static int
checkpoint_of(uint64_t *size, uint8_t root[TFL_HASH_SIZE], const char *note,
    size_t len, const char *what, int code, tfl_err *err)
{
	tfl_checkpoint cp;
	tfl_note n;
	int rc;

	if (tfl_note_parse(&n, note, len, err) != 0) {
		err->code = code;
		return tfl_err_prefix(err, "%s", what);
	}
	rc = tfl_checkpoint_parse(&cp, n.text, n.textlen, err);
	tfl_note_release(&n);
	if (rc != 0 || cp.size == 0)
		return tfl_err_set(err, code, "%s is malformed", what);
	*size = cp.size;
	memcpy(root, cp.root, TFL_HASH_SIZE);
	return 0;
}

/* The latest stored checkpoint, or the audited one (opts->audited). */
static int
load_checkpoint(tfl_statement *s, tfl_ledger *l, const tfl_statement_opts *o,
    tfl_err *err)
{
	int rc;

	if (o->audited != NULL) {
		if ((s->checkpoint = malloc(o->audited_len + 1)) == NULL)
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		memcpy(s->checkpoint, o->audited, o->audited_len);
		s->checkpoint[o->audited_len] = '\0';
		s->checkpoint_len = o->audited_len;
		return checkpoint_of(&s->size, s->root, s->checkpoint,
		    s->checkpoint_len, "the audited checkpoint", TFL_EINVAL,
		    err);
	}
	rc = tfl_ledger_checkpoint_latest(&s->checkpoint, &s->checkpoint_len,
	    l, err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "no checkpoint has been published: "
		    "run `tfledger checkpoint` first, then draw the statement");
	if (rc != 0)
		return rc;
	return checkpoint_of(&s->size, s->root, s->checkpoint,
	    s->checkpoint_len, "the latest checkpoint", TFL_EVERIFY, err);
}

/*
 * The audited checkpoint must be this ledger's checkpoint of its size
 * (check_stored), signed by the log key (check_signed): then the audit
 * that covered it covered these entries and the snapshot at its size.
 */
static int
check_stored(const tfl_statement *s, const struct scan *sc, tfl_err *err)
{
	uint8_t root[TFL_HASH_SIZE];
	uint64_t size;
	char *stored = NULL;
	size_t len;
	int rc;

	rc = tfl_store_checkpoint_get(&stored, &len, NULL, sc->txn, s->size,
	    err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, TFL_EVERIFY, "the audited checkpoint "
		    "of size %llu is not one this ledger stores",
		    (unsigned long long)s->size);
	if (rc == 0)
		rc = checkpoint_of(&size, root, stored, len,
		    "the stored checkpoint", TFL_EVERIFY, err);
	free(stored);
	if (rc != 0)
		return rc;
	if (memcmp(root, s->root, sizeof(root)) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "the audited checkpoint "
		    "of size %llu has another root than the one this ledger "
		    "stores: this is not the ledger that was audited",
		    (unsigned long long)s->size);
	return 0;
}

static int
check_signed(const tfl_statement *s, const struct scan *sc, tfl_err *err)
{
	tfl_note n;
	int rc;

	if (tfl_note_parse(&n, s->checkpoint, s->checkpoint_len, err) != 0)
		return TFL_EVERIFY;
	rc = tfl_note_verify(NULL, &n, &sc->info.log_key, 1, err);
	tfl_note_release(&n);
	if (rc == 0)
		return 0;
	err->code = TFL_EVERIFY;
	return tfl_err_prefix(err, "the audited checkpoint");
}

/* The period: the options, else the first value date to the last day. */
static int
period(tfl_statement *s, const struct scan *sc, const tfl_statement_opts *o,
    tfl_err *err)
{
	s->from = o->from >= 0 ? o->from : sc->info.first_date;
	s->to = o->to >= 0 ? o->to : sc->info.last_time / 86400;
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

/*
 * Entry seq, read for the statement (and its signer's name): one that is
 * missing or does not parse is damage to the ledger, TFL_EVERIFY.
 */
static int
read_entry(tfl_entry **out, char *signer, size_t size, struct scan *sc,
    uint64_t seq, tfl_err *err)
{
	int rc = tfl__load_entry(out, signer, size, &sc->kv, seq, err);

	if (rc == 0 || rc == TFL_ENOMEM || rc == TFL_EIO)
		return rc;
	err->code = TFL_EVERIFY;
	return tfl_err_prefix(err, "seq %llu", (unsigned long long)seq);
}

/* The snapshot at s->size as a state: its records, the stored entries. */
static int
snap_get(void *ctx, const char *key, void **val, size_t *len, tfl_err *err)
{
	struct scan *sc = ctx;

	return tfl_store_snapshot_get(val, len, sc->txn, sc->s->size, key,
	    err);
}

static int
snap_put(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	(void)ctx;
	(void)val;
	(void)len;
	return tfl_err_set(err, TFL_EIO, "state record \"%s\": a statement "
	    "only reads (internal error)", key);
}

/* Sort one of the donor's entries: keep it, as a candidate, or not. */
static int
scan_entry(struct scan *sc, tfl_entry *e, const char *signer, int *kept)
{
	int rc, k;

	if (tfl_entry_type(e) == TFL_ENTRY_APPROVAL)
		return approval(sc, e, signer, kept);
	if ((k = donors(sc, e)) == 0)
		return 0;
	if (tfl_entry_type(e) == TFL_ENTRY_PLEDGE &&
	    (rc = ref_add(sc, tfl_entry_get(e, "ref"))) != 0)
		return rc;
	if ((rc = sel_add(sc, e, signer, k == 1)) == 0)
		*kept = 1;
	return rc;
}

/* One record dx/DONOR:SEQ of the donor's index: its entry, in seq order. */
static int
index_one(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct scan *sc = ctx;
	char signer[TFL_KEY_NAME_MAX + 1];
	size_t n = strlen(key);
	uint8_t be[8];
	tfl_entry *e = NULL;
	uint64_t seq = 0;
	int rc, kept = 0;

	(void)val;
	(void)len;
	if (n != strlen(sc->s->donor) + 4 + 16 ||
	    tfl__hex_decode(be, 8, key + n - 16, 16) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "state record \"%s\": "
		    "malformed", key);
	seq = tfl__get_be64(be);
	if (seq >= sc->s->size)
		return tfl_err_set(err, TFL_EVERIFY, "state record \"%s\": "
		    "beyond the snapshot's size %llu", key,
		    (unsigned long long)sc->s->size);
	if ((rc = read_entry(&e, signer, sizeof(signer), sc, seq, err)) != 0)
		return rc;
	rc = scan_entry(sc, e, signer, &kept);
	if (rc == TFL_ENOMEM)
		rc = tfl_err_set(err, rc, "out of memory");
	if (!kept)
		tfl_entry_free(e);
	return rc;
}

/* The PSC rate in force: the latest policy entry's, else the default. */
static int
psc_rate(struct scan *sc, tfl_err *err)
{
	tfl_fund_policy pol;
	tfl_entry *e = NULL;
	int rc;

	snprintf(sc->s->psc_rate, sizeof(sc->s->psc_rate), "%d",
	    TFL_FUND_DEFAULT_PSC_PERCENT);
	if ((rc = tfl_fund_policy_get(&pol, &sc->kv, err)) != 0 ||
	    pol.seq == 0)
		return rc;
	if ((rc = read_entry(&e, NULL, 0, sc, pol.seq, err)) != 0)
		return rc;
	snprintf(sc->s->psc_rate, sizeof(sc->s->psc_rate), "%s",
	    tfl_entry_get(e, "psc-rate"));
	tfl_entry_free(e);
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

/* Grant g's details: its record, its entry's cycle, its grantee's name. */
static int
grant_meta(struct scan *sc, const char *g, tfl_err *err)
{
	struct tfl__grant_meta *m;
	struct tfl__grantee ge;
	tfl_fund_grant rec;
	tfl_entry *e = NULL;
	char key[TFL_ENTRY_ID_MAX + 16];
	const char *v;
	int rc;

	if ((rc = tfl_fund_grant_get(&rec, &sc->kv, g, err)) != 0 ||
	    (rc = read_entry(&e, NULL, 0, sc, rec.seq, err)) != 0)
		return rc;
	if ((m = meta_add(&sc->grants, &sc->ngrants, &sc->capgrants)) == NULL) {
		tfl_entry_free(e);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	memcpy(m->id, rec.id, sizeof(m->id));
	memcpy(m->grantee, rec.grantee, sizeof(m->grantee));
	memcpy(m->country, rec.country, sizeof(m->country));
	m->start = rec.start;
	m->end = rec.end;
	v = tfl_entry_get(e, "cycle");
	snprintf(m->cycle, sizeof(m->cycle), "%s", v != NULL ? v : "");
	tfl_entry_free(e);
	tfl__cat(key, sizeof(key), "grantee/", rec.grantee, (char *)NULL);
	rc = tfl__kv_get_fixed(&sc->kv, key, &ge, sizeof(ge), err);
	if (rc == 0)
		memcpy(m->grantee_name, ge.name, sizeof(m->grantee_name));
	return rc == TFL_ENOTFOUND ? 0 : rc;
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

struct carry {
	char (*names)[TFL_KEY_NAME_MAX + 1];
	size_t nnames, capnames;
	uint64_t *seqs;
	size_t nseqs, capseqs;
};

/* Carry entry seq and (signer != NULL) its signer's key entries. */
static int
carry(struct carry *c, uint64_t seq, const char *signer)
{
	void *p;

	if ((p = grow(c->seqs, &c->capseqs, c->nseqs,
	    sizeof(*c->seqs))) == NULL)
		return TFL_ENOMEM;
	c->seqs = p;
	c->seqs[c->nseqs++] = seq;
	if (signer == NULL || has_name(c->names, c->nnames, signer))
		return 0;
	if ((p = grow(c->names, &c->capnames, c->nnames,
	    sizeof(*c->names))) == NULL)
		return TFL_ENOMEM;
	c->names = p;
	snprintf(c->names[c->nnames++], sizeof(c->names[0]), "%s", signer);
	return 0;
}

/* The entry that enrolled or revoked a key, and who signed it. */
static int
key_entry(struct carry *c, struct scan *sc, uint64_t seq, tfl_err *err)
{
	char signer[TFL_KEY_NAME_MAX + 1];
	tfl_entry *e = NULL;
	int rc;

	if ((rc = read_entry(&e, signer, sizeof(signer), sc, seq, err)) != 0)
		return rc;
	tfl_entry_free(e);
	return carry(c, seq, signer) != 0 ? tfl_err_set(err, TFL_ENOMEM,
	    "out of memory") : 0;
}

/*
 * The seqs to carry: genesis, the donor's entries, and the key entries
 * of their signers, of those keys' signers, and so on.  *out (malloc'd)
 * gets them, unsorted.
 */
static int
carried(uint64_t **out, size_t *n, struct scan *sc, tfl_err *err)
{
	struct carry c;
	tfl_fund_key k;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	if (carry(&c, 0, NULL) != 0)
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; rc == 0 && i < sc->nsel; i++)
		if (carry(&c, sc->sel[i].seq, sc->sel[i].signer) != 0)
			rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
	/* c.names grows as the loop runs: signers of signers' entries. */
	for (i = 0; rc == 0 && i < c.nnames; i++) {
		if ((rc = tfl_fund_key_get(&k, &sc->kv, c.names[i],
		    err)) != 0) {
			if (rc == TFL_ENOTFOUND)
				err->code = rc = TFL_EVERIFY;
			rc = tfl_err_prefix(err, "the signer of a carried "
			    "entry");
			break;
		}
		if (k.enrolled_seq > 0)
			rc = key_entry(&c, sc, k.enrolled_seq, err);
		if (rc == 0 && k.revoked)
			rc = key_entry(&c, sc, k.revoked_seq, err);
	}
	free(c.names);
	if (rc != 0) {
		free(c.seqs);
		return rc;
	}
	*out = c.seqs;
	*n = c.nseqs;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The tree nodes read for the proofs, kept: the proofs of a statement's
 * entries share their upper levels and the right edge of the tree.
 */
#define MEMO_SLOTS 4096

struct memo {
	tfl_txn *txn;
	size_t n;
	struct {
		uint64_t index;
		unsigned level; /* level + 1: 0 is an empty slot */
		uint8_t hash[TFL_HASH_SIZE];
	} slot[MEMO_SLOTS];
};

static int
memo_node(void *ctx, unsigned level, uint64_t index,
    uint8_t out[TFL_HASH_SIZE], tfl_err *err)
{
	struct memo *m = ctx;
	size_t i = (size_t)((index * 0x9e3779b97f4a7c15ULL) >> 52 ^ level) %
	    MEMO_SLOTS;
	int rc;

	while (m->slot[i].level != 0 && (m->slot[i].level != level + 1 ||
	    m->slot[i].index != index))
		i = (i + 1) % MEMO_SLOTS;
	if (m->slot[i].level != 0) {
		memcpy(out, m->slot[i].hash, TFL_HASH_SIZE);
		return 0;
	}
	if ((rc = tfl_store_node_get(m->txn, level, index, out, err)) != 0 ||
	    m->n >= MEMO_SLOTS / 2) /* full enough: read, do not keep */
		return rc;
	m->slot[i].level = level + 1;
	m->slot[i].index = index;
	memcpy(m->slot[i].hash, out, TFL_HASH_SIZE);
	m->n++;
	return 0;
}

/* The note and the inclusion proof of entry seq. */
static int
proof(tfl_statement_entry *out, const struct scan *sc, struct memo *m,
    uint64_t seq, tfl_err *err)
{
	uint8_t path[TFL_MERKLE_MAX_PROOF][TFL_HASH_SIZE], leaf[TFL_HASH_SIZE];
	int rc;

	out->seq = seq;
	if ((rc = tfl_store_entry_get(&out->note, &out->len, sc->txn, seq,
	    err)) != 0 ||
	    (rc = tfl_merkle_inclusion(path, &out->nproof, seq, sc->s->size,
	    memo_node, m, err)) != 0) {
		if (rc == TFL_ENOTFOUND) /* an entry or a tree node */
			err->code = TFL_EVERIFY;
		return tfl_err_prefix(err, "seq %llu", (unsigned long long)seq);
	}
	/* As the donor will check it: the entry is the one the root holds. */
	tfl_merkle_leaf_hash(leaf, out->note, out->len);
	if (tfl_merkle_verify_inclusion(seq, sc->s->size, leaf,
	    (const uint8_t (*)[TFL_HASH_SIZE])path, out->nproof, sc->s->root,
	    err) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "seq %llu: not the entry "
		    "the checkpoint of size %llu covers", (unsigned long long)seq,
		    (unsigned long long)sc->s->size);
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
	struct memo *m = NULL;
	uint64_t *seqs = NULL;
	size_t i, n = 0;
	int rc;

	if ((rc = carried(&seqs, &n, sc, err)) != 0)
		return rc;
	qsort(seqs, n, sizeof(*seqs), cmp_u64);
	s->entries = calloc(n, sizeof(*s->entries));
	if (s->entries == NULL || (m = calloc(1, sizeof(*m))) == NULL)
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
	else
		m->txn = sc->txn;
	for (i = 0; rc == 0 && i < n; i++) {
		if (i > 0 && seqs[i] == seqs[i - 1])
			continue;
		rc = proof(&s->entries[s->nentries++], sc, m, seqs[i], err);
	}
	free(m);
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
}

/* The fund, from the snapshot at s->size. */
static int
fund_info(struct scan *sc, tfl_err *err)
{
	tfl_statement *s = sc->s;
	int rc;

	rc = tfl_fund_info_get(&sc->info, &sc->kv, err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, TFL_EVERIFY, "no snapshot of the fund "
		    "state at size %llu, the checkpoint's (the ledger keeps "
		    "those of its four newest checkpoints)",
		    (unsigned long long)s->size);
	if (rc != 0)
		return rc;
	snprintf(s->fund, sizeof(s->fund), "%s", sc->info.fund);
	snprintf(s->origin, sizeof(s->origin), "%s", sc->info.origin);
	s->currency = sc->info.currency;
	return psc_rate(sc, err);
}

/* The donor's entries, as its index names them. */
static int
donor_entries(struct scan *sc, tfl_err *err)
{
	tfl_statement *s = sc->s;
	char prefix[TFL_ENTRY_ID_MAX + 8];
	int rc;

	tfl__cat(prefix, sizeof(prefix), "dx/", s->donor, ":", (char *)NULL);
	if ((rc = tfl_store_snapshot_range(sc->txn, s->size, prefix,
	    index_one, sc, err)) != 0)
		return rc;
	drop_candidates(sc);
	if (sc->nsel == 0)
		return tfl_err_set(err, TFL_ENOTFOUND, "donor \"%s\": not in "
		    "the ledger up to its checkpoint of size %llu", s->donor,
		    (unsigned long long)s->size);
	return 0;
}

/* Compute the contributions, check them, fill the rest, the proofs. */
static int
draw(tfl_statement *s, struct scan *sc, tfl_err *err)
{
	struct tfl__books *books = NULL;
	size_t i;
	int rc;

	if ((rc = tfl__books_read(&books, sc->txn, &sc->kv, s, err)) != 0)
		return rc;
	for (i = 0; rc == 0 && i < tfl__books_ngrants(books); i++)
		rc = grant_meta(sc, tfl__books_grant(books, i), err);
	if (rc == 0 &&
	    (rc = tfl__statement_donor(s, sc->sel, sc->nsel, err)) == 0 &&
	    (rc = tfl__books_check_donor(books, s, err)) == 0 &&
	    (rc = tfl__books_fill(s, books, sc->grants, sc->ngrants,
	    err)) == 0)
		rc = proofs(sc, err);
	tfl__books_free(books);
	return rc;
}

/* The full audit a statement runs unless it relies on one made. */
static int
audit(tfl_ledger *l, tfl_err *err)
{
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report r;

	return tfl_ledger_verify(&r, l, &o, err);
}

int
tfl_statement_build(tfl_statement **out, tfl_ledger *l,
    const tfl_statement_opts *opts, tfl_err *err)
{
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
	sc.kv.get = snap_get;
	sc.kv.put = snap_put;
	sc.kv.ctx = &sc;
	sc.kv.entry = tfl__txn_entry;
	if ((rc = load_checkpoint(s, l, opts, err)) != 0 ||
	    (opts->audited == NULL && (rc = audit(l, err)) != 0) ||
	    (rc = tfl_store_begin(&sc.txn, l->store, 0, err)) != 0)
		goto out;
	sc.kv.entry_ctx = sc.txn;
	if ((rc = tfl_store_size(&s->ledger_size, sc.txn, err)) != 0 ||
	    (opts->audited != NULL && (rc = check_stored(s, &sc,
	    err)) != 0) ||
	    (rc = fund_info(&sc, err)) != 0 ||
	    (opts->audited != NULL && (rc = check_signed(s, &sc,
	    err)) != 0) ||
	    (rc = donor_entries(&sc, err)) != 0 ||
	    (rc = period(s, &sc, opts, err)) != 0 ||
	    (rc = draw(s, &sc, err)) != 0)
		goto out;
	tfl__statement_number(s);
	*out = s;
	s = NULL;
out:
	scan_release(&sc);
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
