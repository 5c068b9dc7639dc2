/*
 * fundreport.c - drawing the fund report: one full audit whose posting
 * sink folds the period's movements, the opening and closing positions,
 * each donor's and each grant's figures and the expenditure reports'
 * counts; then the master data (donor names, kinds, anonymity; grant
 * countries) read from the state, and the groups built from those.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"
#include "fundreport_internal.h"

/* A donor as the period's postings show it. */
struct rdonor {
	char id[TFL_ENTRY_ID_MAX + 1];
	tfl_fund_donor rec; /* its record, read after the audit */
	int64_t pledged, received, refunded, written_down, contributions;
};

/* A grant: what its entry said, and the period's movements. */
struct rgrant {
	char id[TFL_ENTRY_ID_MAX + 1];
	char cycle[TFL_ENTRY_ID_MAX + 1];
	char purposes[TFL_ENTRY_VALUE_MAX + 1];
	char country[3];
	int active;	 /* it moved in the period */
	int64_t reports; /* expenditure reports in it, net of reversals */
	int64_t awarded, disbursed, spent;
};

struct build {
	tfl_fundreport *r;
	int64_t from, to; /* -1: the defaults */
	int64_t first;	  /* the earliest value date seen */
	struct rdonor *donors;
	size_t ndonors, capdonors;
	struct rgrant *grants;
	size_t ngrants, capgrants;
	int64_t reports;
};

const char *const tfl__fr_kinds[6] = { "government", "intergovernmental",
	"private", "foundation", "individual", "other" };

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

static struct rdonor *
donor_of(struct build *b, const char *id)
{
	struct rdonor *d;
	size_t i;

	for (i = 0; i < b->ndonors; i++)
		if (strcmp(b->donors[i].id, id) == 0)
			return &b->donors[i];
	if ((d = grow(b->donors, &b->capdonors, b->ndonors,
	    sizeof(*d))) == NULL)
		return NULL;
	b->donors = d;
	d = &b->donors[b->ndonors++];
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	return d;
}

static struct rgrant *
grant_of(struct build *b, const char *id)
{
	struct rgrant *g;
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

/* A posting's move of the fund's position (tfl__vd_fund_posting). */
static void
move(tfl_fundreport_position *p, const struct tfl__vd_fund *f)
{
	p->cash += f->cash;
	p->receivable += f->receivable;
	p->advances += f->advances;
	p->committed += f->committed;
}

/* Its income and expenditure, by the type of the entry that caused it. */
static void
flow(tfl_fundreport_flows *x, const struct tfl__vd_fund *f)
{
	x->contributions += f->contributions;
	x->write_downs += f->write_downs;
	x->donor_refunds += f->donor_refunds;
	x->interest += f->interest;
	x->fx += f->fx;
	x->grant_expenditure += f->grant_expenditure;
	x->psc += f->psc;
}

/*
 * A posting's effect on its donor: by account (naming the donor in its
 * tail), or cash by the entry.
 */
static int
donor_posting(struct build *b, const tfl_entry *e, int type,
    const struct tfl__placed *x)
{
	const char *field = tfl_entry_get(e, "donor"), *id = NULL;
	enum tfl__acct acct = x->acct;
	int64_t amount = x->q->amount;
	struct rdonor *d;

	if (acct == TFL__ACCT_CONTRIBUTIONS || acct == TFL__ACCT_RECEIVABLE)
		id = x->tail;
	if (id == NULL && (acct != TFL__ACCT_CASH || field == NULL ||
	    (type != TFL_ENTRY_RECEIPT && type != TFL_ENTRY_DONOR_REFUND)))
		return 0;
	if ((d = donor_of(b, id != NULL ? id : field)) == NULL)
		return TFL_ENOMEM;
	if (acct == TFL__ACCT_CONTRIBUTIONS)
		d->contributions -= amount;
	else if (id != NULL && type == TFL_ENTRY_PLEDGE)
		d->pledged += amount;
	else if (id != NULL && type == TFL_ENTRY_PLEDGE_WRITEDOWN)
		d->written_down -= amount;
	else if (id == NULL && type == TFL_ENTRY_RECEIPT)
		d->received += amount;
	else if (id == NULL)
		d->refunded -= amount;
	return 0;
}

/* A posting to one of a grant's accounts (its tail: the grant). */
static int
grant_posting(struct build *b, int type, const struct tfl__placed *x)
{
	enum tfl__acct acct = x->acct;
	int64_t amount = x->q->amount;
	struct rgrant *g;

	if (x->tail == NULL || (acct != TFL__ACCT_COMMITMENTS &&
	    acct != TFL__ACCT_ADVANCES && acct != TFL__ACCT_GRANTS))
		return 0;
	if ((g = grant_of(b, x->tail)) == NULL)
		return TFL_ENOMEM;
	g->active = 1;
	if (acct == TFL__ACCT_COMMITMENTS && (type == TFL_ENTRY_GRANT ||
	    type == TFL_ENTRY_DEOBLIGATION))
		g->awarded += amount;
	else if (acct == TFL__ACCT_ADVANCES && (type == TFL_ENTRY_DISBURSEMENT ||
	    type == TFL_ENTRY_GRANTEE_REFUND))
		g->disbursed += amount;
	else if (acct == TFL__ACCT_GRANTS)
		g->spent += amount;
	return 0;
}

/*
 * An expenditure report's counts, added, or taken away when the entry
 * is undone (a reversal hands over the report with negated postings).
 */
static int
counts(struct build *b, const tfl_entry *e, const tfl_posting *p, size_t n)
{
	static const char *const form_field[TFL_FUNDREPORT_FORMS] = {
		"sexual", "labour", "other-form" };
	tfl_fundreport_results *r = &b->r->results;
	struct rgrant *g;
	int64_t sign = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (tfl__account_class(p[i].account, NULL) == TFL__ACCT_GRANTS)
			sign = p[i].amount < 0 ? -1 : 1;
	if (sign == 0)
		return 0;
	if ((g = grant_of(b, tfl_entry_get(e, "grant"))) == NULL)
		return TFL_ENOMEM;
	g->reports += sign;
	b->reports += sign;
	for (i = 0; i < TFL_FUNDREPORT_SEXES; i++)
		r->people[i] += sign * tfl__report_count(e,
		    tfl__stmt_people[i]);
	for (i = 0; i < TFL_FUNDREPORT_FORMS; i++)
		r->forms[i] += sign * tfl__report_count(e, form_field[i]);
	tfl__report_services(r->services, tfl_entry_get(e, "services"), sign);
	return 0;
}

/* What a grant's entry says: it takes effect once, when approved. */
static int
grant_meta(struct build *b, const tfl_entry *e)
{
	const char *v;
	struct rgrant *g;

	if ((g = grant_of(b, tfl_entry_get(e, "id"))) == NULL)
		return TFL_ENOMEM;
	if ((v = tfl_entry_get(e, "cycle")) != NULL)
		snprintf(g->cycle, sizeof(g->cycle), "%s", v);
	if ((v = tfl_entry_get(e, "purposes")) != NULL)
		snprintf(g->purposes, sizeof(g->purposes), "%s", v);
	return 0;
}

static int
sink(void *ctx, const tfl_entry *e, uint64_t by_seq, int64_t date,
    const tfl_posting *p, size_t n, tfl_err *err)
{
	struct build *b = ctx;
	tfl_fundreport *r = b->r;
	struct tfl__vd_fund f;
	struct tfl__placed x;
	int type = tfl_entry_type(e), in, rc = 0;
	size_t i;

	(void)by_seq;
	if (type == TFL_ENTRY_GRANT && grant_meta(b, e) != 0)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if (b->to >= 0 && date > b->to)
		return 0;
	if (date < b->first)
		b->first = date;
	in = b->from < 0 || date >= b->from;
	for (i = 0; i < n && rc == 0; i++) {
		tfl__place(&x, &p[i]);
		tfl__vd_fund_posting(&f, type, &x);
		move(&r->closing, &f);
		if (!in) {
			move(&r->opening, &f);
			continue;
		}
		flow(&r->flows, &f);
		if ((rc = donor_posting(b, e, type, &x)) == 0)
			rc = grant_posting(b, type, &x);
	}
	if (rc == 0 && in && type == TFL_ENTRY_EXPENDITURE)
		rc = counts(b, e, p, n);
	return rc != 0 ? tfl_err_set(err, rc, "out of memory") : 0;
}

/* The master data, as the state holds it now. */
static int
read_state(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct build *b = ctx;
	tfl_fund_grant g;
	tfl_fund_policy pol;
	tfl_fund_info info;
	size_t i;
	int rc;

	if ((rc = tfl_fund_info_get(&info, state, err)) != 0 ||
	    (rc = tfl_fund_policy_get(&pol, state, err)) != 0)
		return rc;
	snprintf(b->r->fund, sizeof(b->r->fund), "%s", info.fund);
	snprintf(b->r->origin, sizeof(b->r->origin), "%s", info.origin);
	b->r->currency = info.currency;
	tfl_rate_format(b->r->psc_rate, sizeof(b->r->psc_rate), &pol.psc_rate);
	if (b->to < 0)
		b->r->to = info.last_time / 86400;
	for (i = 0; i < b->ndonors; i++)
		if ((rc = tfl_fund_donor_get(&b->donors[i].rec, state,
		    b->donors[i].id, err)) != 0)
			return rc;
	for (i = 0; i < b->ngrants; i++) {
		if ((rc = tfl_fund_grant_get(&g, state, b->grants[i].id,
		    err)) != 0)
			return rc;
		memcpy(b->grants[i].country, g.country, sizeof(g.country));
	}
	return 0;
}

static void
add_figures(tfl_fundreport_donor *to, const struct rdonor *d)
{
	to->donors++;
	to->pledged += d->pledged;
	to->received += d->received;
	to->refunded += d->refunded;
	to->written_down += d->written_down;
	to->contributions += d->contributions;
}

static int
by_contributions(const void *a, const void *b)
{
	const tfl_fundreport_donor *x = a, *y = b;

	if (x->contributions != y->contributions)
		return x->contributions > y->contributions ? -1 : 1;
	if (x->received != y->received)
		return x->received > y->received ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* One row per named donor, one for every anonymous donor together. */
static int
donors(struct build *b)
{
	tfl_fundreport *r = b->r;
	tfl_fundreport_donor *row, anon;
	const struct rdonor *d;
	size_t i;

	memset(&anon, 0, sizeof(anon));
	anon.anonymous = 1;
	snprintf(anon.name, sizeof(anon.name), "%s",
	    TFL_FUNDREPORT_ANONYMOUS);
	if ((r->donors = calloc(b->ndonors + 1, sizeof(*r->donors))) == NULL)
		return TFL_ENOMEM;
	for (i = 0; i < b->ndonors; i++) {
		d = &b->donors[i];
		if (d->rec.anonymous) {
			add_figures(&anon, d);
			continue;
		}
		row = &r->donors[r->ndonors++];
		memcpy(row->id, d->id, sizeof(row->id));
		memcpy(row->name, d->rec.name, sizeof(row->name));
		memcpy(row->kind, d->rec.kind, sizeof(row->kind));
		memcpy(row->country, d->rec.country, sizeof(row->country));
		add_figures(row, d);
	}
	if (anon.donors > 0)
		r->donors[r->ndonors++] = anon;
	qsort(r->donors, r->ndonors, sizeof(*r->donors), by_contributions);
	return 0;
}

/* The place of kind in FORMAT.md's order; 6 for a kind it does not know. */
static size_t
kind_rank(const char *kind)
{
	size_t m;

	for (m = 0; m < 6 && strcmp(kind, tfl__fr_kinds[m]) != 0; m++)
		;
	return m;
}

static void
kind_add(tfl_fundreport *r, const struct rdonor *d)
{
	tfl_fundreport_kind *k;

	for (k = r->kinds; k < r->kinds + r->nkinds &&
	    strcmp(k->kind, d->rec.kind) != 0; k++)
		;
	if (k == r->kinds + r->nkinds) {
		snprintf(k->kind, sizeof(k->kind), "%s", d->rec.kind);
		r->nkinds++;
	}
	k->donors++;
	k->contributions += d->contributions;
	k->received += d->received - d->refunded;
}

/* Per kind of donor, in FORMAT.md's order, anonymous donors included. */
static int
kinds(struct build *b)
{
	tfl_fundreport *r = b->r;
	size_t i, rank;

	if ((r->kinds = calloc(b->ndonors + 1, sizeof(*r->kinds))) == NULL)
		return TFL_ENOMEM;
	for (rank = 0; rank <= 6; rank++)
		for (i = 0; i < b->ndonors; i++)
			if (kind_rank(b->donors[i].rec.kind) == rank)
				kind_add(r, &b->donors[i]);
	return 0;
}

/* The group key in groups[0..*n) (cap n + 1 at least), added if new. */
static tfl_fundreport_group *
group_of(tfl_fundreport_group *groups, size_t *n, const char *key)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(groups[i].key, key) == 0)
			return &groups[i];
	memset(&groups[*n], 0, sizeof(groups[0]));
	snprintf(groups[*n].key, sizeof(groups[0].key), "%s", key);
	return &groups[(*n)++];
}

static void
group_add(tfl_fundreport_group *g, int64_t awarded, int64_t disbursed,
    int64_t spent)
{
	g->grants++;
	g->awarded += awarded;
	g->disbursed += disbursed;
	g->spent += spent;
}

/*
 * Grant g's purposes, each with an equal share of its amounts (largest
 * remainder, so that they add up to the grant's).
 */
static int
purposes(tfl_fundreport *r, const struct rgrant *g, tfl_err *err)
{
	int64_t w[TFL_FUNDREPORT_SERVICES], a[TFL_FUNDREPORT_SERVICES];
	int64_t d[TFL_FUNDREPORT_SERVICES], s[TFL_FUNDREPORT_SERVICES];
	size_t k, n = 0, at[TFL_FUNDREPORT_SERVICES], len;
	const char *p;
	int rc;

	for (k = 0; k < TFL_FUNDREPORT_SERVICES; k++) {
		len = strlen(tfl__stmt_services[k]);
		for (p = g->purposes; (p = strstr(p, tfl__stmt_services[k])) !=
		    NULL; p += len)
			if ((p == g->purposes || p[-1] == ',') &&
			    (p[len] == '\0' || p[len] == ',')) {
				w[n] = 1;
				at[n++] = k;
				break;
			}
	}
	if (n == 0) {
		group_add(group_of(r->purposes, &r->npurposes, ""),
		    g->awarded, g->disbursed, g->spent);
		return 0;
	}
	if ((rc = tfl_money_split(a, g->awarded, w, n, err)) != 0 ||
	    (rc = tfl_money_split(d, g->disbursed, w, n, err)) != 0 ||
	    (rc = tfl_money_split(s, g->spent, w, n, err)) != 0)
		return rc;
	for (k = 0; k < n; k++)
		group_add(group_of(r->purposes, &r->npurposes,
		    tfl__stmt_services[at[k]]), a[k], d[k], s[k]);
	return 0;
}

static int
by_awarded(const void *a, const void *b)
{
	const tfl_fundreport_group *x = a, *y = b;

	if (x->awarded != y->awarded)
		return x->awarded > y->awarded ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* By name, "" (none given) last. */
static int
by_key(const void *a, const void *b)
{
	const tfl_fundreport_group *x = a, *y = b;

	if ((x->key[0] == '\0') != (y->key[0] == '\0'))
		return x->key[0] == '\0' ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* FORMAT.md's order of purposes, "" last. */
static size_t
purpose_rank(const char *key)
{
	size_t k;

	for (k = 0; k < TFL_FUNDREPORT_SERVICES &&
	    strcmp(key, tfl__stmt_services[k]) != 0; k++)
		;
	return k;
}

static int
by_purpose(const void *a, const void *b)
{
	size_t x = purpose_rank(((const tfl_fundreport_group *)a)->key);
	size_t y = purpose_rank(((const tfl_fundreport_group *)b)->key);

	return x < y ? -1 : x > y;
}

static int
groups(struct build *b, tfl_err *err)
{
	tfl_fundreport *r = b->r;
	const struct rgrant *g;
	size_t i;
	int rc;

	r->countries = calloc(b->ngrants + 1, sizeof(*r->countries));
	r->cycles = calloc(b->ngrants + 1, sizeof(*r->cycles));
	r->purposes = calloc(TFL_FUNDREPORT_SERVICES + 1,
	    sizeof(*r->purposes));
	if (r->countries == NULL || r->cycles == NULL || r->purposes == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; i < b->ngrants; i++) {
		g = &b->grants[i];
		r->results.grants += g->reports > 0;
		if (!g->active)
			continue;
		group_add(&r->grants, g->awarded, g->disbursed, g->spent);
		group_add(group_of(r->countries, &r->ncountries, g->country),
		    g->awarded, g->disbursed, g->spent);
		group_add(group_of(r->cycles, &r->ncycles, g->cycle),
		    g->awarded, g->disbursed, g->spent);
		if ((rc = purposes(r, g, err)) != 0)
			return rc;
	}
	qsort(r->countries, r->ncountries, sizeof(*r->countries), by_awarded);
	qsort(r->cycles, r->ncycles, sizeof(*r->cycles), by_key);
	qsort(r->purposes, r->npurposes, sizeof(*r->purposes), by_purpose);
	r->results.reports = b->reports > 0 ? (size_t)b->reports : 0;
	return 0;
}

/* The audit and the fold: everything but the master data. */
static int
replay(struct build *b, tfl_ledger *l, tfl_err *err)
{
	tfl_posting_sink snk = { sink, b };
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report vr;
	int rc;

	o.sink = &snk;
	if ((rc = tfl_ledger_verify(&vr, l, &o, err)) != 0)
		return rc;
	b->r->size = vr.size;
	memcpy(b->r->root, vr.root, sizeof(b->r->root));
	return 0;
}

int
tfl_fundreport_build(tfl_fundreport **out, tfl_ledger *l,
    const tfl_fundreport_opts *opts, tfl_err *err)
{
	struct build b;
	int rc;

	*out = NULL;
	memset(&b, 0, sizeof(b));
	b.from = opts != NULL ? opts->from : -1;
	b.to = opts != NULL ? opts->to : -1;
	b.first = INT64_MAX;
	if (b.from >= 0 && b.to >= 0 && b.from > b.to)
		return tfl_err_set(err, TFL_EINVAL, "period: it ends before "
		    "it begins");
	if ((b.r = calloc(1, sizeof(*b.r))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	b.r->to = b.to;
	if ((rc = replay(&b, l, err)) != 0 ||
	    (rc = tfl_ledger_read(l, read_state, &b, err)) != 0)
		goto out;
	b.r->from = b.from >= 0 ? b.from : b.first <= b.r->to ? b.first :
	    b.r->to;
	if (b.r->from > b.r->to) {
		rc = tfl_err_set(err, TFL_EINVAL, "period: it ends before "
		    "it begins");
		goto out;
	}
	if (donors(&b) != 0 || kinds(&b) != 0) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = groups(&b, err)) != 0)
		goto out;
	*out = b.r;
	b.r = NULL;
out:
	tfl_fundreport_free(b.r);
	free(b.donors);
	free(b.grants);
	return rc;
}

void
tfl_fundreport_free(tfl_fundreport *r)
{
	if (r == NULL)
		return;
	free(r->donors);
	free(r->kinds);
	free(r->countries);
	free(r->purposes);
	free(r->cycles);
	free(r);
}
