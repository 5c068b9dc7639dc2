/*
 * report.c - balances now (read from the state) or as of a date (the
 * fold of the postings dated on or before it, from a full replay).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"
#include "tfledger/report.h"

static int
add_pool(void *ctx, const tfl_fund_pool *p)
{
	tfl_balance *b = ctx;

	if (b->npools == TFL_REPORT_MAX_POOLS)
		return TFL_EINVAL;
	b->pools[b->npools++] = *p;
	return 0;
}

static int
read_now(void *ctx, tfl_kv *state, tfl_err *err)
{
	tfl_balance *b = ctx;
	int rc;

	if ((rc = tfl_fund_info_get(&b->info, state, err)) != 0 ||
	    (rc = tfl_fund_totals(&b->total, state, err)) != 0)
		return rc;
	rc = tfl_fund_pool_foreach(state, add_pool, b, err);
	return rc == TFL_EINVAL ? tfl_err_set(err, rc, "more than %d "
	    "earmarks", TFL_REPORT_MAX_POOLS) : rc;
}

/* Add one posting to the figures of a pool. */
static void
fold(tfl_fund_pool *p, const struct tfl__placed *x)
{
	const tfl_posting *q = x->q;

	switch (x->acct) {
	case TFL__ACCT_CASH:
		p->cash += q->amount;
		break;
	case TFL__ACCT_RECEIVABLE:
		p->receivable += q->amount;
		break;
	case TFL__ACCT_ADVANCES:
		p->advances += q->amount;
		break;
	case TFL__ACCT_GRANTS:
		p->expenditure += q->amount;
		break;
	case TFL__ACCT_PSC:
		p->psc += q->amount;
		break;
	case TFL__ACCT_COMMITMENTS:
		p->committed += q->amount;
		break;
	case TFL__ACCT_CONTRIBUTIONS:
		p->contributions -= q->amount;
		break;
	case TFL__ACCT_INTEREST:
		p->interest -= q->amount;
		break;
	case TFL__ACCT_FX:
		p->fx -= q->amount;
		break;
	case TFL__ACCT_OTHER:
		break;
	}
}

struct asof_ctx {
	tfl_balance *b;
	const char *donor, *grant; /* one donor's or grant's figures */
	tfl_fund_donor *d;
	tfl_fund_grant *g;
};

static tfl_fund_pool *
pool_of(tfl_balance *b, const char *earmark)
{
	size_t i;

	for (i = 0; i < b->npools; i++)
		if (strcmp(b->pools[i].earmark, earmark) == 0)
			return &b->pools[i];
	if (b->npools == TFL_REPORT_MAX_POOLS)
		return NULL;
	memset(&b->pools[b->npools], 0, sizeof(b->pools[0]));
	snprintf(b->pools[b->npools].earmark, sizeof(b->pools[0].earmark),
	    "%s", earmark);
	return &b->pools[b->npools++];
}

/* A posting for one donor, by the entry that caused it. */
static void
fold_donor(tfl_fund_donor *d, int type, const tfl_entry *e,
    const struct tfl__placed *x)
{
	const tfl_posting *q = x->q;

	if (x->acct == TFL__ACCT_RECEIVABLE && x->tail != NULL &&
	    strcmp(x->tail, d->id) == 0) {
		d->receivable += q->amount;
		if (type == TFL_ENTRY_PLEDGE)
			d->pledged += q->amount;
		if (type == TFL_ENTRY_PLEDGE_WRITEDOWN)
			d->written_down -= q->amount;
	}
	if (x->acct != TFL__ACCT_CASH || x->tail != NULL ||
	    tfl_entry_get(e, "donor") == NULL ||
	    strcmp(tfl_entry_get(e, "donor"), d->id) != 0)
		return;
	if (type == TFL_ENTRY_RECEIPT)
		d->received += q->amount;
	if (type == TFL_ENTRY_DONOR_REFUND)
		d->refunded -= q->amount;
}

/* A posting for one grant, by the entry that caused it. */
static void
fold_grant(tfl_fund_grant *g, int type, const struct tfl__placed *x)
{
	const tfl_posting *q = x->q;
	enum tfl__acct acct = x->acct;

	if (x->tail == NULL || strcmp(x->tail, g->id) != 0)
		return;
	if (acct == TFL__ACCT_COMMITMENTS) {
		if (type == TFL_ENTRY_GRANT)
			g->amount += q->amount;
		if (type == TFL_ENTRY_DEOBLIGATION)
			g->deobligated -= q->amount;
	} else if (acct == TFL__ACCT_ADVANCES) {
		if (type == TFL_ENTRY_DISBURSEMENT)
			g->disbursed += q->amount;
		if (type == TFL_ENTRY_GRANTEE_REFUND)
			g->refunded -= q->amount;
	} else if (acct == TFL__ACCT_GRANTS) {
		g->spent += q->amount;
	}
}

static int
asof_sink(void *ctx, const tfl_entry *e, uint64_t by_seq, int64_t date,
    const tfl_posting *p, size_t n, tfl_err *err)
{
	struct asof_ctx *c = ctx;
	tfl_fund_pool *pool;
	struct tfl__placed x;
	size_t i;

	(void)by_seq;
	if (date > c->b->as_of)
		return 0;
	for (i = 0; i < n; i++) {
		if ((pool = pool_of(c->b, p[i].earmark)) == NULL)
			return tfl_err_set(err, TFL_EINVAL, "more than %d "
			    "earmarks", TFL_REPORT_MAX_POOLS);
		tfl__place(&x, &p[i]);
		fold(pool, &x);
		fold(&c->b->total, &x);
		if (c->d != NULL)
			fold_donor(c->d, tfl_entry_type(e), e, &x);
		if (c->g != NULL)
			fold_grant(c->g, tfl_entry_type(e), &x);
	}
	return 0;
}

/* Replay the whole ledger, folding postings dated on or before as_of. */
static int
replay(struct asof_ctx *c, tfl_ledger *l, tfl_err *err)
{
	tfl_posting_sink sink = { asof_sink, c };
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	tfl_verify_report r;

	o.sink = &sink;
	return tfl_ledger_verify(&r, l, &o, err);
}

int
tfl_report_balance(tfl_balance *out, tfl_ledger *l, int64_t as_of,
    tfl_err *err)
{
	struct asof_ctx c = { out, NULL, NULL, NULL, NULL };
	int rc;

	memset(out, 0, sizeof(*out));
	out->as_of = as_of;
	if (as_of < 0)
		return tfl_ledger_read(l, read_now, out, err);
	if ((rc = tfl_ledger_info(&out->info, l, err)) != 0)
		return rc;
	return replay(&c, l, err);
}

struct one_ctx {
	const char *id;
	tfl_fund_donor *d;
	tfl_fund_grant *g;
};

static int
read_one(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct one_ctx *o = ctx;

	if (o->d != NULL)
		return tfl_fund_donor_get(o->d, state, o->id, err);
	return tfl_fund_grant_get(o->g, state, o->id, err);
}

/* Now: the record.  As of a date: its identity, money from postings. */
static int
one(tfl_ledger *l, struct one_ctx *o, int64_t as_of, tfl_err *err)
{
	struct asof_ctx c = { NULL, NULL, NULL, NULL, NULL };
	int rc;

	if ((rc = tfl_ledger_read(l, read_one, o, err)) != 0 || as_of < 0)
		return rc;
	/* The pools are folded too, then dropped: too big for the stack. */
	if ((c.b = calloc(1, sizeof(*c.b))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	c.b->as_of = as_of;
	if (o->d != NULL) {
		o->d->pledged = o->d->received = o->d->receivable = 0;
		o->d->refunded = o->d->written_down = 0;
		c.d = o->d;
	} else {
		o->g->amount = o->g->deobligated = o->g->disbursed = 0;
		o->g->spent = o->g->refunded = 0;
		c.g = o->g;
	}
	rc = replay(&c, l, err);
	free(c.b);
	return rc;
}

int
tfl_report_donor(tfl_fund_donor *out, tfl_ledger *l, const char *id,
    int64_t as_of, tfl_err *err)
{
	struct one_ctx o = { id, out, NULL };

	return one(l, &o, as_of, err);
}

int
tfl_report_grant(tfl_fund_grant *out, tfl_ledger *l, const char *id,
    int64_t as_of, tfl_err *err)
{
	struct one_ctx o = { id, NULL, out };

	return one(l, &o, as_of, err);
}
