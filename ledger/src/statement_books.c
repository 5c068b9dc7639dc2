/*
 * statement_books.c - the statement's figures that need the whole
 * ledger: a full audit whose posting sink folds the fund's income,
 * expenditure and position, its pools and grants as of the period end,
 * and the donor's own postings (to cross-check the contributions
 * section, computed from its entries alone); then the use of the
 * donor's money (section 3), the fund (4) and the results (5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statement_internal.h"

/* A grant as its postings show it to the period end. */
struct ggrant {
	char id[TFL_ENTRY_ID_MAX + 1];
	char earmark[TFL_ENTRY_ID_MAX + 1];
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

/* Does account start with prefix as whole segments? */
static int
under(const char *account, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(account, prefix, n) == 0 &&
	    (account[n] == '\0' || account[n] == ':');
}

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

/* A posting's effect on a position. */
static void
position(tfl_statement_position *p, const tfl_posting *q)
{
	if (under(q->account, "assets:cash"))
		p->cash += q->amount;
	else if (under(q->account, "assets:receivable"))
		p->receivable += q->amount;
	else if (under(q->account, "assets:advances"))
		p->advances += q->amount;
	else if (under(q->account, "memo:commitments"))
		p->committed += q->amount;
}

/* Income and expenditure of the period, by the entry that caused it. */
static void
flows(tfl_statement_fund *f, int type, const tfl_posting *q)
{
	if (under(q->account, "income:contributions")) {
		if (type == TFL_ENTRY_PLEDGE_WRITEDOWN)
			f->write_downs += q->amount;
		else if (type == TFL_ENTRY_DONOR_REFUND)
			f->donor_refunds += q->amount;
		else
			f->contributions -= q->amount;
	} else if (under(q->account, "income:interest")) {
		f->interest -= q->amount;
	} else if (under(q->account, "income:exchange-differences")) {
		f->fx -= q->amount;
	} else if (under(q->account, "expenses:grants")) {
		f->grant_expenditure += q->amount;
	} else if (under(q->account, "expenses:psc")) {
		f->psc += q->amount;
	}
}

/* A posting to an account of grant g (memo, advances, expenses). */
static int
grant_posting(struct tfl__books *b, int type, const tfl_posting *q)
{
	static const char *const prefix[] = { "memo:commitments",
		"assets:advances", "expenses:grants" };
	struct ggrant *g;
	size_t i, n;

	for (i = 0; i < 3 && !under(q->account, prefix[i]); i++)
		;
	n = i < 3 ? strlen(prefix[i]) : 0;
	if (i == 3 || q->account[n] != ':')
		return 0;
	if ((g = grant_of(b, q->account + n + 1)) == NULL)
		return TFL_ENOMEM;
	snprintf(g->earmark, sizeof(g->earmark), "%s", q->earmark);
	if (i == 0 && type == TFL_ENTRY_GRANT) {
		g->award += q->amount;
		g->approved = 1;
	} else if (i == 0 && type == TFL_ENTRY_DEOBLIGATION) {
		g->deobligated -= q->amount;
	} else if (i == 1 && type == TFL_ENTRY_DISBURSEMENT) {
		g->disbursed += q->amount;
	} else if (i == 1 && type == TFL_ENTRY_GRANTEE_REFUND) {
		g->refunded -= q->amount;
	} else if (i == 2) {
		g->spent += q->amount;
	}
	return 0;
}

/* clang-format off */
enum { K_PLEDGED, K_RECEIVED, K_REFUNDED, K_WRITTEN, K_FX };
/* clang-format on */

static void
tot_add(tfl_statement_totals *t, int kind, int64_t v)
{
	if (kind == K_PLEDGED)
		t->pledged += v;
	else if (kind == K_RECEIVED)
		t->received += v;
	else if (kind == K_REFUNDED)
		t->refunded += v;
	else if (kind == K_WRITTEN)
		t->written_down += v;
	else
		t->fx += v;
}

/* The donor's own postings, as tfl_report_donor folds them. */
static void
donor_posting(struct tfl__books *b, const tfl_entry *e, int64_t date,
    const tfl_posting *q)
{
	const tfl_statement *s = b->s;
	const char *d = tfl_entry_get(e, "donor");
	int type = tfl_entry_type(e), in = date >= s->from, kind = -1;
	char ac[160];

	snprintf(ac, sizeof(ac), "assets:receivable:%s", s->donor);
	if (strcmp(q->account, ac) == 0) {
		b->dclose += q->amount;
		b->dopen += in ? 0 : q->amount;
		if (type == TFL_ENTRY_PLEDGE)
			kind = K_PLEDGED;
		else if (type == TFL_ENTRY_PLEDGE_WRITEDOWN)
			kind = K_WRITTEN;
	} else if (d != NULL && strcmp(d, s->donor) == 0) {
		if (under(q->account, "assets:cash"))
			kind = type == TFL_ENTRY_RECEIPT ? K_RECEIVED :
			    K_REFUNDED;
		else if (under(q->account, "income:exchange-differences"))
			kind = K_FX;
	}
	if (kind < 0)
		return;
	/* Debits to receivable and cash count as given; the rest as taken. */
	tot_add(&b->dto, kind, kind == K_PLEDGED || kind == K_RECEIVED ?
	    q->amount : -q->amount);
	if (in)
		tot_add(&b->dperiod, kind, kind == K_PLEDGED ||
		    kind == K_RECEIVED ? q->amount : -q->amount);
}

/* Add sign * each count of "shelter:12,legal:3" to services[]. */
static void
services(int64_t services[9], const char *list, int64_t sign)
{
	const char *p = list, *colon;
	uint64_t v;
	size_t k, len;

	while (p != NULL && *p != '\0') {
		colon = strchr(p, ':');
		if (colon == NULL)
			return;
		len = strcspn(colon + 1, ",");
		for (k = 0; k < 9; k++)
			if (strlen(tfl__stmt_services[k]) ==
			    (size_t)(colon - p) &&
			    strncmp(p, tfl__stmt_services[k],
			    (size_t)(colon - p)) == 0 &&
			    tfl__parse_u64(&v, colon + 1, len) == 0)
				services[k] += sign * (int64_t)v;
		p = colon[1 + len] == ',' ? colon + 2 + len : NULL;
	}
}

/* An expenditure report's counts, added or (reversed) taken away. */
static int
counts(struct tfl__books *b, const tfl_entry *e, const tfl_posting *p,
    size_t n)
{
	const char *at;
	struct ggrant *g;
	uint64_t v;
	int64_t sign = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (under(p[i].account, "expenses:grants"))
			sign = p[i].amount > 0 ? 1 : -1;
	if (sign == 0)
		return 0;
	if ((g = grant_of(b, tfl_entry_get(e, "grant"))) == NULL)
		return TFL_ENOMEM;
	for (i = 0; i < 4; i++)
		if ((at = tfl_entry_get(e, tfl__stmt_people[i])) != NULL &&
		    tfl__parse_u64(&v, at, strlen(at)) == 0)
			g->people[i] += sign * (int64_t)v;
	for (i = 0; i < 3; i++)
		if ((at = tfl_entry_get(e, i == 2 ? "other-form" :
		    tfl__stmt_forms[i])) != NULL &&
		    tfl__parse_u64(&v, at, strlen(at)) == 0)
			g->forms[i] += sign * (int64_t)v;
	services(g->services, tfl_entry_get(e, "services"), sign);
	return 0;
}

static int
sink(void *ctx, const tfl_entry *e, uint64_t by_seq, int64_t date,
    const tfl_posting *p, size_t n, tfl_err *err)
{
	struct tfl__books *b = ctx;
	const tfl_statement *s = b->s;
	int type = tfl_entry_type(e);
	struct gpool *pool;
	size_t i;

	if (by_seq >= s->size || date > s->to)
		return 0;
	for (i = 0; i < n; i++) {
		position(&b->fund.closing, &p[i]);
		if (date < s->from)
			position(&b->fund.opening, &p[i]);
		else
			flows(&b->fund, type, &p[i]);
		if ((pool = pool_of(b, p[i].earmark)) == NULL ||
		    grant_posting(b, type, &p[i]) != 0)
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		if (under(p[i].account, "assets:cash"))
			pool->cash += p[i].amount;
		else if (under(p[i].account, "memo:commitments"))
			pool->committed += p[i].amount;
		else if (under(p[i].account, "expenses:psc"))
			pool->psc += p[i].amount;
		donor_posting(b, e, date, &p[i]);
	}
	if (type == TFL_ENTRY_EXPENDITURE && counts(b, e, p, n) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	return 0;
}

int
tfl__books_collect(struct tfl__books **out, uint64_t *out_size,
    tfl_ledger *l, const tfl_statement *s, tfl_err *err)
{
	struct tfl__books *b = calloc(1, sizeof(*b));
	tfl_posting_sink snk = { sink, b };
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report r;
	int rc;

	if (b == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	b->s = s;
	o.sink = &snk;
	if ((rc = tfl_ledger_verify(&r, l, &o, err)) != 0) {
		tfl__books_free(b);
		return rc;
	}
	*out_size = r.size;
	*out = b;
	return 0;
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
