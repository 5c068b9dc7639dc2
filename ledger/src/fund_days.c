/*
 * fund_days.c - the sums kept by value date, and the donors' index.
 *
 * Each entry's postings also add to sums kept per value date (state
 * records vd/..., fund_internal.h), and each entry of a donor is named
 * in its index (dx/DONOR/SEQ).  A statement reads a period's figures and
 * a donor's entries from them at a checkpoint's snapshot, without
 * folding every entry of the ledger (statement.c, statement_books.c).
 * They are state like any other record: the audit replays them, compares
 * them with the stored ones and digests them into checkpoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"

/* The records one entry's postings touch, summed before they are added. */
#define MAX_TOUCHED 8

struct touched {
	char scope;		       /* f, p, g or d */
	const char *id;		       /* its pool, grant or donor */
	int64_t v[TFL__VD_FIELDS_MAX];
	size_t n;		       /* fields of the record */
};

struct days {
	struct touched t[MAX_TOUCHED];
	size_t n;
	int overflow;
};

/* The sums of record vd/SCOPE[/ID]/DATE (n fields), zero until added to. */
static int64_t *
sums(struct days *d, char scope, const char *id, size_t n)
{
	struct touched *t;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->t[i].scope == scope && (id == NULL ||
		    strcmp(d->t[i].id, id) == 0))
			return d->t[i].v;
	if (d->n == MAX_TOUCHED) {
		d->overflow = 1;
		return NULL;
	}
	t = &d->t[d->n++];
	memset(t, 0, sizeof(*t));
	t->scope = scope;
	t->id = id;
	t->n = n;
	return t->v;
}

#define FIELDS(type) (sizeof(type) / sizeof(int64_t))

void
tfl__place(struct tfl__placed *x, const tfl_posting *q)
{
	x->q = q;
	x->acct = tfl__account_class(q->account, &x->tail);
}

void
tfl__vd_fund_posting(struct tfl__vd_fund *f, int type,
    const struct tfl__placed *x)
{
	int64_t amount = x->q->amount;

	memset(f, 0, sizeof(*f));
	switch (x->acct) {
	case TFL__ACCT_CASH:
		f->cash = amount;
		break;
	case TFL__ACCT_RECEIVABLE:
		f->receivable = amount;
		break;
	case TFL__ACCT_ADVANCES:
		f->advances = amount;
		break;
	case TFL__ACCT_COMMITMENTS:
		f->committed = amount;
		break;
	case TFL__ACCT_CONTRIBUTIONS:
		if (type == TFL_ENTRY_PLEDGE_WRITEDOWN)
			f->write_downs = amount;
		else if (type == TFL_ENTRY_DONOR_REFUND)
			f->donor_refunds = amount;
		else
			f->contributions = -amount;
		break;
	case TFL__ACCT_INTEREST:
		f->interest = -amount;
		break;
	case TFL__ACCT_FX:
		f->fx = -amount;
		break;
	case TFL__ACCT_GRANTS:
		f->grant_expenditure = amount;
		break;
	case TFL__ACCT_PSC:
		f->psc = amount;
		break;
	case TFL__ACCT_OTHER:
		break;
	}
}

static void
fund_posting(struct days *d, int type, const struct tfl__placed *p)
{
	int64_t *v = sums(d, 'f', NULL, FIELDS(struct tfl__vd_fund));
	struct tfl__vd_fund f;

	if (v == NULL)
		return;
	tfl__vd_fund_posting(&f, type, p);
	tfl__vd_add(v, (const int64_t *)&f, FIELDS(f));
}

static void
pool_posting(struct days *d, const struct tfl__placed *p)
{
	int64_t *v = sums(d, 'p', p->q->earmark, FIELDS(struct tfl__vd_pool));
	struct tfl__vd_pool *pool = (struct tfl__vd_pool *)v;

	if (pool == NULL)
		return;
	if (p->acct == TFL__ACCT_CASH)
		pool->cash += p->q->amount;
	else if (p->acct == TFL__ACCT_COMMITMENTS)
		pool->committed += p->q->amount;
	else if (p->acct == TFL__ACCT_PSC)
		pool->psc += p->q->amount;
}

/* A posting to an account of a grant (memo, advances, expenses). */
static void
grant_posting(struct days *d, int type, const struct tfl__placed *p)
{
	struct tfl__vd_grant *g;
	int64_t amount = p->q->amount;

	if (p->tail == NULL || (p->acct != TFL__ACCT_COMMITMENTS &&
	    p->acct != TFL__ACCT_ADVANCES && p->acct != TFL__ACCT_GRANTS) ||
	    (g = (struct tfl__vd_grant *)sums(d, 'g', p->tail,
	    FIELDS(struct tfl__vd_grant))) == NULL)
		return;
	if (p->acct == TFL__ACCT_COMMITMENTS && type == TFL_ENTRY_GRANT) {
		g->award += amount;
		g->awards++;
	} else if (p->acct == TFL__ACCT_COMMITMENTS &&
	    type == TFL_ENTRY_DEOBLIGATION) {
		g->deobligated -= amount;
	} else if (p->acct == TFL__ACCT_ADVANCES &&
	    type == TFL_ENTRY_DISBURSEMENT) {
		g->disbursed += amount;
	} else if (p->acct == TFL__ACCT_ADVANCES &&
	    type == TFL_ENTRY_GRANTEE_REFUND) {
		g->refunded -= amount;
	} else if (p->acct == TFL__ACCT_GRANTS) {
		g->spent += amount;
	}
}

/* The donor's postings: its receivable, and its entries' cash and FX. */
static void
donor_posting(struct days *d, const tfl_entry *e, int type,
    const struct tfl__placed *p)
{
	const char *donor = tfl_entry_get(e, "donor");
	struct tfl__vd_donor *x;
	int64_t amount = p->q->amount;

	if (p->acct == TFL__ACCT_RECEIVABLE && p->tail != NULL) {
		x = (struct tfl__vd_donor *)sums(d, 'd', p->tail,
		    FIELDS(struct tfl__vd_donor));
		if (x == NULL)
			return;
		x->receivable += amount;
		if (type == TFL_ENTRY_PLEDGE)
			x->pledged += amount;
		else if (type == TFL_ENTRY_PLEDGE_WRITEDOWN)
			x->written_down -= amount;
		return;
	}
	if (donor == NULL || (p->acct != TFL__ACCT_CASH &&
	    p->acct != TFL__ACCT_FX))
		return;
	x = (struct tfl__vd_donor *)sums(d, 'd', donor,
	    FIELDS(struct tfl__vd_donor));
	if (x == NULL)
		return;
	if (p->acct == TFL__ACCT_FX)
		x->fx -= amount;
	else if (type == TFL_ENTRY_RECEIPT)
		x->received += amount;
	else
		x->refunded -= amount;
}

int64_t
tfl__report_count(const tfl_entry *e, const char *field)
{
	const char *v = tfl_entry_get(e, field);
	uint64_t n;

	if (v == NULL || tfl__parse_u64(&n, v, strlen(v)) != 0 ||
	    n > INT64_MAX)
		return 0;
	return (int64_t)n;
}

void
tfl__report_services(int64_t out[9], const char *list, int64_t sign)
{
	const char *p = list, *colon;
	uint64_t v;
	size_t k, len, n;

	while (p != NULL && *p != '\0' && (colon = strchr(p, ':')) != NULL) {
		n = (size_t)(colon - p);
		len = strcspn(colon + 1, ",");
		for (k = 0; k < 9; k++)
			if (strlen(tfl__stmt_services[k]) == n &&
			    strncmp(p, tfl__stmt_services[k], n) == 0 &&
			    tfl__parse_u64(&v, colon + 1, len) == 0 &&
			    v <= INT64_MAX)
				out[k] += sign * (int64_t)v;
		p = colon[1 + len] == ',' ? colon + 2 + len : NULL;
	}
}

/* An expenditure report's counts, added or (reversed) taken away. */
static void
counts(struct days *d, const tfl_entry *e, const tfl_posting *p, size_t n)
{
	struct tfl__vd_grant *g;
	int64_t sign = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (tfl__account_class(p[i].account, NULL) == TFL__ACCT_GRANTS)
			sign = p[i].amount > 0 ? 1 : -1;
	if (sign == 0 || (g = (struct tfl__vd_grant *)sums(d, 'g',
	    tfl_entry_get(e, "grant"), FIELDS(struct tfl__vd_grant))) == NULL)
		return;
	for (i = 0; i < 4; i++)
		g->people[i] += sign * tfl__report_count(e, tfl__stmt_people[i]);
	for (i = 0; i < 3; i++)
		g->forms[i] += sign * tfl__report_count(e, i == 2 ?
		    "other-form" : tfl__stmt_forms[i]);
	tfl__report_services(g->services, tfl_entry_get(e, "services"), sign);
}

void
tfl__vd_add(int64_t *to, const int64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		to[i] += v[i];
}

/* Add t's sums (of value date date) to its stored record. */
static int
store(tfl_kv *kv, const struct touched *t, const char *date, tfl_err *err)
{
	char key[TFL__VD_KEY_MAX], scope[] = { 'v', 'd', '/', t->scope, '/',
		'\0' };
	int64_t v[TFL__VD_FIELDS_MAX];
	size_t i;
	int rc;

	tfl__cat(key, sizeof(key), scope, t->id == NULL ? "" : t->id,
	    t->id == NULL ? "" : ":", date, (char *)NULL);
	rc = tfl__kv_get_fixed(kv, key, v, t->n * sizeof(int64_t), err);
	if (rc == TFL_ENOTFOUND)
		memset(v, 0, sizeof(v));
	else if (rc != 0)
		return rc;
	for (i = 0; i < t->n; i++)
		if (tfl__add(&v[i], t->v[i], err) != 0)
			return tfl_err_prefix(err, "%s", key);
	return tfl__kv_put(kv, key, v, t->n * sizeof(int64_t), err);
}

int
tfl__days_post(struct tfl__apply *a, const tfl_entry *e, tfl_err *err)
{
	struct days d;
	struct tfl__placed p;
	char date[11];
	int type = tfl_entry_type(e);
	size_t i;
	int rc;

	d.n = 0;
	d.overflow = 0;
	for (i = 0; i < a->npost; i++) {
		tfl__place(&p, &a->post[i]);
		fund_posting(&d, type, &p);
		pool_posting(&d, &p);
		grant_posting(&d, type, &p);
		donor_posting(&d, e, type, &p);
	}
	if (type == TFL_ENTRY_EXPENDITURE)
		counts(&d, e, a->post, a->npost);
	if (d.overflow)
		return tfl_err_set(err, TFL_EIO, "seq %llu: postings touch "
		    "too many value-day records (internal error)",
		    (unsigned long long)tfl_entry_seq(e));
	tfl_date_format(date, a->date);
	for (i = 0; i < d.n; i++)
		if ((rc = store(a->kv, &d.t[i], date, err)) != 0)
			return rc;
	return 0;
}

/* The donor entry e belongs to, in out ("" none); depth bounds links. */
static int
donor_of(char out[TFL_ENTRY_ID_MAX + 1], tfl_kv *kv, const tfl_entry *e,
    int depth, tfl_err *err)
{
	const char *v = NULL, *link = NULL;
	char key[32], *rec = NULL;
	tfl_entry *t = NULL;
	uint64_t seq;
	size_t len;
	int rc = 0;

	out[0] = '\0';
	switch (tfl_entry_type(e)) {
	case TFL_ENTRY_DONOR:
		v = tfl_entry_get(e, "id");
		break;
	case TFL_ENTRY_PLEDGE:
	case TFL_ENTRY_RECEIPT:
	case TFL_ENTRY_DONOR_REFUND:
		v = tfl_entry_get(e, "donor");
		break;
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
		/* Its pledge's ref may be another's later: ask dw/SEQ. */
		tfl__cat(key, sizeof(key), "dw/", (char *)NULL);
		tfl__hex16(key + 3, tfl_entry_seq(e));
		rc = kv->get(kv->ctx, key, (void **)&rec, &len, err);
		if (rc == 0 && len <= TFL_ENTRY_ID_MAX) {
			memcpy(out, rec, len);
			out[len] = '\0';
		}
		free(rec);
		return rc == TFL_ENOTFOUND ? 0 : rc;
	case TFL_ENTRY_REVERSAL:
		link = tfl_entry_get(e, "reverses");
		break;
	case TFL_ENTRY_APPROVAL:
		link = tfl_entry_get(e, "approves");
		break;
	default:
		return 0;
	}
	if (v != NULL) {
		tfl__cat(out, TFL_ENTRY_ID_MAX + 1, v, (char *)NULL);
		return 0;
	}
	if (link == NULL || depth > 2 ||
	    tfl__parse_u64(&seq, link, strlen(link)) != 0)
		return 0;
	if ((rc = tfl__load_entry(&t, NULL, 0, kv, seq, err)) != 0)
		return rc;
	/* An approval counts only when it is of a reversal. */
	if (tfl_entry_type(e) == TFL_ENTRY_REVERSAL ||
	    tfl_entry_type(t) == TFL_ENTRY_REVERSAL)
		rc = donor_of(out, kv, t, depth + 1, err);
	tfl_entry_free(t);
	return rc;
}

int
tfl__donor_index(tfl_kv *kv, const tfl_entry *e, tfl_err *err)
{
	char donor[TFL_ENTRY_ID_MAX + 1], key[TFL__VD_KEY_MAX];
	struct tfl__pledge p;
	int rc;

	if (tfl_entry_type(e) == TFL_ENTRY_PLEDGE_WRITEDOWN) {
		if ((rc = tfl__kv_get_fixed(kv, tfl__cat(key, sizeof(key),
		    "pledge/", tfl_entry_get(e, "pledge"), (char *)NULL), &p,
		    sizeof(p), err)) != 0)
			return rc;
		tfl__cat(key, sizeof(key), "dw/", (char *)NULL);
		tfl__hex16(key + 3, tfl_entry_seq(e));
		if ((rc = tfl__kv_put(kv, key, p.donor, strlen(p.donor),
		    err)) != 0)
			return rc;
	}
	if ((rc = donor_of(donor, kv, e, 0, err)) != 0 || donor[0] == '\0')
		return rc;
	tfl__cat(key, sizeof(key), "dx/", donor, ":", (char *)NULL);
	tfl__hex16(key + strlen(key), tfl_entry_seq(e));
	return tfl__kv_put(kv, key, "", 0, err);
}
