/*
 * statement_books.c - the statement's figures that need the whole
 * ledger, read from the sums kept by value date (fund_days.c) in the
 * snapshot of the fund state at the statement's checkpoint: the fund's
 * income, expenditure and position, its pools and grants as of the
 * period end, and the donor's own postings (to cross-check the
 * contributions section, computed from its entries alone); then the use
 * of the donor's money (section 3), the fund (4) and the results (5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"
#include "statement_internal.h"
#include "tfledger/store.h"

/* A grant as its postings show it to the period end. */
struct ggrant {
	char id[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1];
	uint64_t order; /* the seq that approved it (0: not read yet) */
	int approved;
	int64_t award, deobligated, disbursed, refunded, spent;
	int64_t people[4], forms[3], services[9];
};

/* A pool to the period end. */
struct gpool {
	char earmark[TFL_ENTRY_ID_MAX + 1];
	int64_t cash, committed, psc;
};

struct tfl__books {
	const tfl_statement *s;
	tfl_statement_fund fund;
	struct gpool *pools;
	size_t npools, cappools;
	struct ggrant *grants;
	size_t ngrants, capgrants;
	tfl_statement_totals dperiod, dto; /* the donor's, from postings */
	int64_t dopen, dclose;
};

/* arr grown to hold one more element of size bytes, or NULL. */
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

static struct gpool *
pool_of(struct tfl__books *b, const char *earmark)
{
	struct gpool *p;
	size_t i;

	for (i = 0; i < b->npools; i++)
		if (strcmp(b->pools[i].earmark, earmark) == 0)
			return &b->pools[i];
	if ((p = grow(b->pools, &b->cappools, b->npools,
	    sizeof(*p))) == NULL)
		return NULL;
	b->pools = p;
	p = &b->pools[b->npools++];
	memset(p, 0, sizeof(*p));
	snprintf(p->earmark, sizeof(p->earmark), "%s", earmark);
	return p;
}

static struct ggrant *
grant_of(struct tfl__books *b, const char *id)
{
	struct ggrant *g;
	size_t i;

	for (i = 0; i < b->ngrants; i++)
		if (strcmp(b->grants[i].id, id) == 0)
			return &b->grants[i];
	if ((g = grow(b->grants, &b->capgrants, b->ngrants,
	    sizeof(*g))) == NULL)
		return NULL;
	b->grants = g;
	g = &b->grants[b->ngrants++];
	memset(g, 0, sizeof(*g));
	snprintf(g->id, sizeof(g->id), "%s", id);
	return g;
}

/*
 * *to += v, checked: the stored sums of many days may not overflow
 * silently.  Sums that do are not the sums of any fund: damage.
 */
static int
add(int64_t *to, int64_t v, tfl_err *err)
{
	if (tfl_money_add(to, *to, v, err) == 0)
		return 0;
	err->code = TFL_EVERIFY;
	return tfl_err_prefix(err, "the sums by value date");
}

static int
add_position(tfl_statement_position *p, const struct tfl__vd_fund *f,
    tfl_err *err)
{
	if (add(&p->cash, f->cash, err) != 0 ||
	    add(&p->receivable, f->receivable, err) != 0 ||
	    add(&p->advances, f->advances, err) != 0 ||
	    add(&p->committed, f->committed, err) != 0)
		return TFL_EVERIFY;
	return 0;
}

/* A vd/ record read: its books, the statement, and the snapshot. */
struct reading {
	struct tfl__books *b;
	tfl_kv *state;
	int64_t date;		/* the record's value date */
	char id[TFL_ENTRY_ID_MAX + 1]; /* its pool, grant or donor */
};

/* Split "vd/X/[ID:]DATE" into r->id and r->date; 0 or TFL_EVERIFY. */
static int
record_key(struct reading *r, const char *key, size_t vlen, size_t want,
    tfl_err *err)
{
	const char *id = key + 5, *colon = strrchr(id, ':');
	const char *date = colon != NULL ? colon + 1 : id;
	size_t n = colon != NULL ? (size_t)(colon - id) : 0;

	if (vlen != want || n > TFL_ENTRY_ID_MAX ||
	    tfl_date_parse(&r->date, date, NULL) != 0)
		return tfl_err_set(err, TFL_EVERIFY, "state record \"%s\": "
		    "malformed", key);
	memcpy(r->id, id, n);
	r->id[n] = '\0';
	return 0;
}

#define LATER 1 /* a record dated after the period: not an error */

/* Record key (size bytes) into out, its date and id into r; or LATER. */
static int
day_record(struct reading *r, const char *key, const void *val, size_t len,
    void *out, size_t size, tfl_err *err)
{
	int rc;

	if ((rc = record_key(r, key, len, size, err)) != 0)
		return rc;
	memcpy(out, val, size);
	return r->date > r->b->s->to ? LATER : 0;
}

static int
fund_day(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct reading *r = ctx;
	const tfl_statement *s = r->b->s;
	tfl_statement_fund *f = &r->b->fund;
	struct tfl__vd_fund d;
	int rc;

	if ((rc = day_record(r, key, val, len, &d, sizeof(d), err)) != 0)
		return rc == LATER ? 0 : rc;
	if (add_position(&f->closing, &d, err) != 0 ||
	    (r->date < s->from && add_position(&f->opening, &d, err) != 0))
		return TFL_EVERIFY;
	if (r->date < s->from)
		return 0;
	if (add(&f->contributions, d.contributions, err) != 0 ||
	    add(&f->write_downs, d.write_downs, err) != 0 ||
	    add(&f->donor_refunds, d.donor_refunds, err) != 0 ||
	    add(&f->interest, d.interest, err) != 0 ||
	    add(&f->fx, d.fx, err) != 0 ||
	    add(&f->grant_expenditure, d.grant_expenditure, err) != 0 ||
	    add(&f->psc, d.psc, err) != 0)
		return TFL_EVERIFY;
	return 0;
}

static int
pool_day(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct reading *r = ctx;
	struct tfl__vd_pool d;
	struct gpool *p;
	int rc;

	if ((rc = day_record(r, key, val, len, &d, sizeof(d), err)) != 0)
		return rc == LATER ? 0 : rc;
	if ((p = pool_of(r->b, r->id)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if (add(&p->cash, d.cash, err) != 0 ||
	    add(&p->committed, d.committed, err) != 0 ||
	    add(&p->psc, d.psc, err) != 0)
		return TFL_EVERIFY;
	return 0;
}

static int
add_all(int64_t *to, const int64_t *v, size_t n, tfl_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (add(&to[i], v[i], err) != 0)
			return TFL_EVERIFY;
	return 0;
}

static int
grant_day(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct reading *r = ctx;
	struct tfl__vd_grant d;
	struct ggrant *g;
	tfl_fund_grant rec;
	int rc;

	if ((rc = day_record(r, key, val, len, &d, sizeof(d), err)) != 0)
		return rc == LATER ? 0 : rc;
	if ((g = grant_of(r->b, r->id)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if (g->order == 0) {
		if ((rc = tfl_fund_grant_get(&rec, r->state, r->id,
		    err)) != 0)
			return rc;
		snprintf(g->earmark, sizeof(g->earmark), "%s", rec.earmark);
		g->order = rec.approved_seq > 0 ? rec.approved_seq : rec.seq;
	}
	g->approved |= d.awards > 0;
	if (add(&g->award, d.award, err) != 0 ||
	    add(&g->deobligated, d.deobligated, err) != 0 ||
	    add(&g->disbursed, d.disbursed, err) != 0 ||
	    add(&g->refunded, d.refunded, err) != 0 ||
	    add(&g->spent, d.spent, err) != 0 ||
	    add_all(g->people, d.people, 4, err) != 0 ||
	    add_all(g->forms, d.forms, 3, err) != 0 ||
	    add_all(g->services, d.services, 9, err) != 0)
		return TFL_EVERIFY;
	return 0;
}

static int
add_totals(tfl_statement_totals *t, const struct tfl__vd_donor *d,
    tfl_err *err)
{
	if (add(&t->pledged, d->pledged, err) != 0 ||
	    add(&t->received, d->received, err) != 0 ||
	    add(&t->refunded, d->refunded, err) != 0 ||
	    add(&t->written_down, d->written_down, err) != 0 ||
	    add(&t->fx, d->fx, err) != 0)
		return TFL_EVERIFY;
	return 0;
}

/* The donor's own postings, as tfl_report_donor folds them. */
static int
donor_day(void *ctx, const char *key, const void *val, size_t len,
    tfl_err *err)
{
	struct reading *r = ctx;
	struct tfl__books *b = r->b;
	struct tfl__vd_donor d;
	int rc;

	if ((rc = day_record(r, key, val, len, &d, sizeof(d), err)) != 0)
		return rc == LATER ? 0 : rc;
	if (add(&b->dclose, d.receivable, err) != 0 ||
	    add_totals(&b->dto, &d, err) != 0)
		return TFL_EVERIFY;
	if (r->date < b->s->from)
		return add(&b->dopen, d.receivable, err) != 0 ? TFL_EVERIFY : 0;
	return add_totals(&b->dperiod, &d, err);
}

static int
by_order(const void *x, const void *y)
{
	const struct ggrant *a = x, *b = y;

	return (a->order > b->order) - (a->order < b->order);
}

int
tfl__books_read(struct tfl__books **out, tfl_txn *txn, tfl_kv *state,
    const tfl_statement *s, tfl_err *err)
{
	struct tfl__books *b = calloc(1, sizeof(*b));
	struct reading r;
	char prefix[TFL__VD_KEY_MAX];
	int rc;

	if (b == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	b->s = s;
	memset(&r, 0, sizeof(r));
	r.b = b;
	r.state = state;
	tfl__cat(prefix, sizeof(prefix), "vd/d/", s->donor, ":", (char *)NULL);
	if ((rc = tfl_store_snapshot_range(txn, s->size, "vd/f/", fund_day,
	    &r, err)) != 0 ||
	    (rc = tfl_store_snapshot_range(txn, s->size, "vd/p/", pool_day,
	    &r, err)) != 0 ||
	    (rc = tfl_store_snapshot_range(txn, s->size, "vd/g/", grant_day,
	    &r, err)) != 0 ||
	    (rc = tfl_store_snapshot_range(txn, s->size, prefix, donor_day,
	    &r, err)) != 0) {
		tfl__books_free(b);
		return rc;
	}
	/* Grants in the order they were approved, as the ledger has them. */
	if (b->ngrants > 1)
		qsort(b->grants, b->ngrants, sizeof(*b->grants), by_order);
	*out = b;
	return 0;
}

size_t
tfl__books_ngrants(const struct tfl__books *b)
{
	return b->ngrants;
}

const char *
tfl__books_grant(const struct tfl__books *b, size_t i)
{
	return b->grants[i].id;
}

void
tfl__books_free(struct tfl__books *b)
{
	if (b == NULL)
		return;
	free(b->pools);
	free(b->grants);
	free(b);
}

static int
differ(tfl_err *err, const tfl_statement *s, const char *what,
    int64_t entries, int64_t books)
{
	char a[48], c[48];

	tfl__statement_money(a, entries, NULL, s);
	tfl__statement_money(c, books, NULL, s);
	return tfl_err_set(err, TFL_EVERIFY, "donor \"%s\": %s is %s from "
	    "its entries but %s in the books", s->donor, what, a, c);
}

static int
same_totals(tfl_err *err, const tfl_statement *s, const char *when,
    const tfl_statement_totals *x, const tfl_statement_totals *y)
{
	const int64_t a[] = { x->pledged, x->received, x->refunded,
		x->written_down, x->fx };
	const int64_t b[] = { y->pledged, y->received, y->refunded,
		y->written_down, y->fx };
	static const char *const name[] = { "pledged", "received",
		"refunded", "written down", "exchange differences" };
	char what[64];
	size_t i;

	for (i = 0; i < 5; i++)
		if (a[i] != b[i]) {
			snprintf(what, sizeof(what), "%s %s", name[i], when);
			return differ(err, s, what, a[i], b[i]);
		}
	return 0;
}

int
tfl__books_check_donor(const struct tfl__books *b, const tfl_statement *s,
    tfl_err *err)
{
	int rc;

	if ((rc = same_totals(err, s, "in the period", &s->period,
	    &b->dperiod)) != 0 ||
	    (rc = same_totals(err, s, "to date", &s->to_date, &b->dto)) != 0)
		return rc;
	if (s->receivable_opening != b->dopen)
		return differ(err, s, "the opening receivable",
		    s->receivable_opening, b->dopen);
	if (s->receivable_closing != b->dclose)
		return differ(err, s, "the closing receivable",
		    s->receivable_closing, b->dclose);
	return 0;
}

static const struct tfl__grant_meta *
meta_of(const struct tfl__grant_meta *meta, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(meta[i].id, id) == 0)
			return &meta[i];
	return NULL;
}

/* The statement's view of grant g. */
static void
grant_line(tfl_statement_grant *out, const struct ggrant *g,
    const struct tfl__grant_meta *m)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%s", g->id);
	snprintf(out->earmark, sizeof(out->earmark), "%s", g->earmark);
	if (m != NULL) {
		memcpy(out->grantee, m->grantee, sizeof(out->grantee));
		memcpy(out->grantee_name, m->grantee_name,
		    sizeof(out->grantee_name));
		memcpy(out->country, m->country, sizeof(out->country));
		memcpy(out->cycle, m->cycle, sizeof(out->cycle));
		out->start = m->start;
		out->end = m->end;
	}
	out->award = g->award;
	out->deobligated = g->deobligated;
	out->disbursed = g->disbursed;
	out->spent = g->spent;
	out->refunded = g->refunded;
	out->status = g->award - g->deobligated - g->disbursed == 0 &&
	    g->disbursed - g->spent - g->refunded == 0 ?
	    TFL_GRANT_STATUS_CLOSED : TFL_GRANT_STATUS_ACTIVE;
	memcpy(out->people, g->people, sizeof(out->people));
	memcpy(out->forms, g->forms, sizeof(out->forms));
	memcpy(out->services, g->services, sizeof(out->services));
}

/*
 * Split the donor's net contribution to pool u over its grants' net
 * disbursements, PSC, commitments and available cash (weights never
 * negative: a value date before the money arrived can make cash look
 * short), largest remainder.
 */
static int
split(tfl_statement *s, tfl_statement_use *u, const struct tfl__books *b,
    const struct tfl__grant_meta *meta, size_t nmeta, tfl_err *err)
{
	struct gpool none, *p = &none;
	int64_t *w = NULL, *part = NULL, cash, held;
	size_t i, k = 0, n = b->ngrants + 3;
	int rc = 0;

	memset(&none, 0, sizeof(none));
	for (i = 0; i < b->npools; i++)
		if (strcmp(b->pools[i].earmark, u->earmark) == 0)
			p = &b->pools[i];
	w = calloc(n, sizeof(*w));
	part = calloc(n, sizeof(*part));
	if (w == NULL || part == NULL) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	u->first_grant = s->ngrants;
	for (i = 0; i < b->ngrants; i++) {
		if (!b->grants[i].approved ||
		    strcmp(b->grants[i].earmark, u->earmark) != 0 ||
		    b->grants[i].disbursed - b->grants[i].refunded <= 0)
			continue;
		w[k++] = b->grants[i].disbursed - b->grants[i].refunded;
		grant_line(&s->grants[s->ngrants++], &b->grants[i],
		    meta_of(meta, nmeta, b->grants[i].id));
	}
	u->ngrants = k;
	cash = p->cash > 0 ? p->cash : 0;
	held = p->committed < 0 ? 0 : p->committed > cash ? cash :
	    p->committed;
	w[k] = p->psc > 0 ? p->psc : 0;
	w[k + 1] = held;
	w[k + 2] = cash - held;
	for (i = 0; i < k + 3 && w[i] == 0; i++)
		;
	if (i == k + 3)
		w[k + 2] = 1;
	if ((rc = tfl_money_split(part, u->contributed, w, k + 3, err)) != 0)
		goto out;
	for (i = 0; i < k; i++) {
		s->grants[u->first_grant + i].attributed = part[i];
		u->grants += part[i];
	}
	u->psc = part[k];
	u->committed = part[k + 1];
	u->available = part[k + 2];
out:
	free(w);
	free(part);
	return rc;
}

static void
results(tfl_statement *s)
{
	tfl_statement_results *r = &s->results;
	size_t i, k;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < s->ngrants; i++) {
		for (k = 0; k < 4; k++)
			r->people[k] += s->grants[i].people[k];
		for (k = 0; k < 3; k++)
			r->forms[k] += s->grants[i].forms[k];
		for (k = 0; k < 9; k++)
			r->services[k] += s->grants[i].services[k];
	}
	r->grants = s->ngrants;
}

int
tfl__books_fill(tfl_statement *s, const struct tfl__books *b,
    const struct tfl__grant_meta *meta, size_t n, tfl_err *err)
{
	tfl_statement_use *u;
	size_t i;
	int rc;

	s->fund_figures = b->fund;
	s->uses = calloc(s->npools + 1, sizeof(*s->uses));
	s->grants = calloc(b->ngrants + 1, sizeof(*s->grants));
	if (s->uses == NULL || s->grants == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; i < s->npools; i++) {
		if (s->pools[i].received - s->pools[i].refunded <= 0)
			continue;
		u = &s->uses[s->nuses++];
		memcpy(u->earmark, s->pools[i].earmark, sizeof(u->earmark));
		u->contributed = s->pools[i].received - s->pools[i].refunded;
		if ((rc = split(s, u, b, meta, n, err)) != 0)
			return rc;
	}
	results(s);
	return 0;
}
