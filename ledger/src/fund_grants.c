/*
 * fund_grants.c - grants: awards, tranches, spending reports, refunds
 * from grantees, deobligations and the programme support cost.
 *
 * As in fund_income.c: compute, check, then (unless a->dry) write and
 * post; a->sign -1 undoes an entry for a reversal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"

static const char *const people[] = { "women", "girls", "men", "boys" };
static const char *const forms[] = { "sexual", "labour", "other-form" };

static int
put_grant(struct tfl__apply *a, const tfl_fund_grant *g, tfl_err *err)
{
	char key[80];

	snprintf(key, sizeof(key), "grant/%s", g->id);
	return tfl__kv_put(a->kv, key, g, sizeof(*g), err);
}

/*
 * Commitments are not expenses: they go to memo accounts, so that the
 * books show them (and a balance as of a date can count them) without
 * touching assets.
 */
static void
commit_memo(struct tfl__apply *a, const char *grant, int64_t amount)
{
	char ac[160];

	snprintf(ac, sizeof(ac), "memo:commitments:%s", grant);
	tfl__post(a, ac, amount, NULL, 0);
	tfl__post(a, "memo:uncommitted", -amount, NULL, 0);
}

/* The PSC the policy rate charges on amount. */
static int
psc_on(int64_t *out, tfl_kv *kv, int64_t amount, tfl_err *err)
{
	tfl_fund_policy pol;
	int rc;

	if ((rc = tfl_fund_policy_get(&pol, kv, err)) != 0)
		return rc;
	return tfl_money_percent(out, amount, &pol.psc_rate, err);
}

/*
 * Award: fully funded from its pool: the pool's free cash (after what
 * earlier commitments and their PSC will cost) covers the award and the
 * PSC it will cost.
 */
static int
award_funded(struct tfl__apply *a, tfl_fund_pool *pool, int64_t amount,
    tfl_err *err)
{
	int64_t psc, free_cash;
	char buf[48];
	int rc;

	if ((rc = psc_on(&psc, a->kv, amount, err)) != 0 ||
	    (rc = tfl__pool_free(&free_cash, a->kv, pool, err)) != 0)
		return rc;
	if (free_cash - amount - psc >= 0)
		return 0;
	tfl_money_format(buf, sizeof(buf), free_cash, &a->info->currency);
	return tfl_err_set(err, TFL_ERULE, "grant \"%s\": not fully funded: "
	    "%s %s available%s%s, award and PSC need more (after earlier "
	    "commitments and their PSC)", tfl_entry_get(a->e, "id"), buf,
	    a->info->currency.code, *pool->earmark ? " in earmark " : "",
	    pool->earmark);
}

static int
new_grant(tfl_fund_grant *g, struct tfl__apply *a, int64_t amount,
    tfl_err *err)
{
	const char *earmark = tfl_entry_get(a->e, "earmark");
	struct tfl__grantee ge;
	char key[80];
	int64_t start, end;
	int rc;

	snprintf(key, sizeof(key), "grantee/%s",
	    tfl_entry_get(a->e, "grantee"));
	rc = tfl__kv_get_fixed(a->kv, key, &ge, sizeof(ge), err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, TFL_ERULE, "grantee \"%s\": unknown "
		    "(record it with grantee add first)",
		    tfl_entry_get(a->e, "grantee"));
	if (rc != 0)
		return rc;
	tfl_date_parse(&start, tfl_entry_get(a->e, "start"), NULL);
	tfl_date_parse(&end, tfl_entry_get(a->e, "end"), NULL);
	if (end < start)
		return tfl_err_set(err, TFL_ERULE, "end \"%s\": before start "
		    "\"%s\"", tfl_entry_get(a->e, "end"),
		    tfl_entry_get(a->e, "start"));
	memset(g, 0, sizeof(*g));
	snprintf(g->id, sizeof(g->id), "%s", tfl_entry_get(a->e, "id"));
	snprintf(g->grantee, sizeof(g->grantee), "%s",
	    tfl_entry_get(a->e, "grantee"));
	snprintf(g->earmark, sizeof(g->earmark), "%s", earmark ? earmark : "");
	snprintf(g->country, sizeof(g->country), "%s",
	    tfl_entry_get(a->e, "country") ? tfl_entry_get(a->e, "country") :
	    ge.country);
	g->start = start;
	g->end = end;
	g->amount = amount;
	g->seq = tfl_entry_seq(a->e);
	return 0;
}

/*
 * The award is recorded pending (reserving its id) and takes effect
 * when approved: then it commits money of its pool.
 */
static int
grant_apply(struct tfl__apply *a, tfl_err *err)
{
	tfl_fund_grant g, old;
	tfl_fund_pool pool;
	int64_t amount;
	int rc;

	if (a->sign < 0)
		return tfl_err_set(err, TFL_ERULE, "a grant award cannot be "
		    "reversed: deobligate what is unused");
	if ((rc = tfl__base_amount(&amount, a, "amount", err)) != 0 ||
	    (rc = new_grant(&g, a, amount, err)) != 0)
		return rc;
	rc = tfl_fund_grant_get(&old, a->kv, g.id, err);
	if (rc == 0 && old.seq != g.seq)
		return tfl_err_set(err, TFL_ERULE, "grant \"%s\": id already "
		    "used at seq %llu", g.id, (unsigned long long)old.seq);
	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	if ((rc = tfl__pool_get(&pool, a->kv, g.earmark, err)) != 0 ||
	    (rc = award_funded(a, &pool, amount, err)) != 0)
		return rc;
	if (a->dry)
		return 0;
	g.status = TFL_GRANT_ACTIVE;
	g.approved_seq = a->by_seq;
	pool.committed += amount;
	a->pool = pool.earmark;
	commit_memo(a, g.id, amount);
	if ((rc = tfl__pool_put(a->kv, &pool, err)) != 0)
		return rc;
	return put_grant(a, &g, err);
}

int
tfl__grant_reserve(struct tfl__apply *a, tfl_err *err)
{
	tfl_fund_grant g;
	int64_t amount;
	int rc;

	if ((rc = tfl__base_amount(&amount, a, "amount", err)) != 0 ||
	    (rc = new_grant(&g, a, amount, err)) != 0)
		return rc;
	g.status = TFL_GRANT_PENDING;
	return put_grant(a, &g, err);
}

/* The grant of a->e, which must be approved. */
static int
active_grant(tfl_fund_grant *g, struct tfl__apply *a, tfl_err *err)
{
	const char *id = tfl_entry_get(a->e, "grant");
	int rc = tfl_fund_grant_get(g, a->kv, id, err);

	if (rc == TFL_ENOTFOUND || (rc == 0 && g->status != TFL_GRANT_ACTIVE))
		return tfl_err_set(err, TFL_ERULE, "grant \"%s\": %s", id,
		    rc == 0 ? "not approved" : "unknown");
	return rc;
}

/* Claim (or, reversing, release) the reference ref/KIND/GRANT/REF. */
static int
claim(struct tfl__apply *a, const char *kind, int64_t amount, tfl_err *err)
{
	const char *ref = tfl_entry_get(a->e, "ref");
	struct tfl__ref r;
	char key[200];
	int rc;

	if (ref == NULL)
		return 0;
	snprintf(key, sizeof(key), "ref/%s/%s:%s", kind,
	    tfl_entry_get(a->e, "grant"), ref);
	rc = tfl__ref_get(&r, a->kv, key, err);
	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	if (a->sign > 0 && rc == 0 && !r.reversed)
		return tfl_err_set(err, TFL_ERULE, "ref \"%s\": already "
		    "recorded for grant \"%s\" at seq %llu", ref,
		    tfl_entry_get(a->e, "grant"), (unsigned long long)r.seq);
	if (a->dry)
		return 0;
	memset(&r, 0, sizeof(r));
	r.amount = r.base = amount;
	r.seq = tfl_entry_seq(a->e);
	r.reversed = a->sign < 0;
	return tfl__ref_put(a->kv, key, &r, err);
}

/* Store the grant and its pool. */
static int
finish(struct tfl__apply *a, const tfl_fund_grant *g, tfl_fund_pool *pool,
    tfl_err *err)
{
	int rc;

	if ((rc = tfl__pool_put(a->kv, pool, err)) != 0)
		return rc;
	return put_grant(a, g, err);
}

static int
disbursement_apply(struct tfl__apply *a, tfl_err *err)
{
	tfl_fund_grant g;
	tfl_fund_pool pool;
	int64_t amount, s = a->sign;
	char ac[160];
	int rc;

	if ((rc = tfl__base_amount(&amount, a, "amount", err)) != 0 ||
	    (rc = active_grant(&g, a, err)) != 0)
		return rc;
	if (s > 0 && (a->date < g.start || a->date > g.end))
		return tfl_err_set(err, TFL_ERULE, "date \"%s\": grant \"%s\" "
		    "is not active then", tfl_entry_get(a->e, "date"), g.id);
	if ((rc = tfl__add(&g.disbursed, s * amount, err)) != 0)
		return rc;
	if (g.disbursed > g.amount - g.deobligated)
		return tfl_err_set(err, TFL_ERULE, "amount \"%s\": grant \"%s\" "
		    "has less than that left of its award",
		    tfl_entry_get(a->e, "amount"), g.id);
	if (g.disbursed - g.spent - g.refunded < 0)
		return tfl_err_set(err, TFL_ERULE, "grant \"%s\": the tranche "
		    "was already spent or refunded", g.id);
	if ((rc = tfl__pool_get(&pool, a->kv, g.earmark, err)) != 0 ||
	    (rc = tfl__add(&pool.cash, -s * amount, err)) != 0 ||
	    (rc = tfl__add(&pool.committed, -s * amount, err)) != 0 ||
	    (rc = tfl__add(&pool.advances, s * amount, err)) != 0 ||
	    (rc = tfl__nonneg(pool.cash, "cash", a->info, err)) != 0 ||
	    (rc = claim(a, "disb", amount, err)) != 0 || a->dry)
		return rc;
	snprintf(ac, sizeof(ac), "assets:advances:%s", g.id);
	a->pool = pool.earmark;
	tfl__post(a, ac, amount, NULL, 0);
	tfl__post(a, "assets:cash", -amount, NULL, 0);
	commit_memo(a, g.id, -amount);
	return finish(a, &g, &pool, err);
}

/* Add (or take away) the people assisted that a report counts. */
static int
count_people(tfl_fund_grant *g, struct tfl__apply *a, tfl_err *err)
{
	uint64_t n, sum_people = 0, sum_forms = 0;
	size_t i;

	for (i = 0; i < 4; i++) {
		tfl__parse_u64(&n, tfl_entry_get(a->e, people[i]),
		    strlen(tfl_entry_get(a->e, people[i])));
		sum_people += n;
		g->people[i] += a->sign > 0 ? n : -n;
	}
	for (i = 0; i < 3; i++) {
		tfl__parse_u64(&n, tfl_entry_get(a->e, forms[i]),
		    strlen(tfl_entry_get(a->e, forms[i])));
		sum_forms += n;
		g->forms[i] += a->sign > 0 ? n : -n;
	}
	if (sum_forms > sum_people)
		return tfl_err_set(err, TFL_ERULE, "forms of exploitation "
		    "count %llu people, more than the %llu assisted",
		    (unsigned long long)sum_forms,
		    (unsigned long long)sum_people);
	return 0;
}

/* Spending reported, or money refunded, out of a grant's advance. */
static int
advance_out(struct tfl__apply *a, const char *kind, tfl_err *err)
{
	int spend = strcmp(kind, "exp") == 0;
	tfl_fund_grant g;
	tfl_fund_pool pool;
	int64_t amount, s = a->sign;
	char ac[160];
	int rc;

	if ((rc = tfl__base_amount(&amount, a, "amount", err)) != 0 ||
	    (rc = active_grant(&g, a, err)) != 0 ||
	    (spend && (rc = count_people(&g, a, err)) != 0) ||
	    (rc = tfl__add(spend ? &g.spent : &g.refunded, s * amount,
	    err)) != 0)
		return rc;
	if (g.disbursed - g.spent - g.refunded < 0)
		return tfl_err_set(err, TFL_ERULE, "amount \"%s\": more than "
		    "grant \"%s\"'s advance outstanding",
		    tfl_entry_get(a->e, "amount"), g.id);
	if ((rc = tfl__pool_get(&pool, a->kv, g.earmark, err)) != 0)
		return rc;
	if (spend && a->date > pool.spent_through)
		pool.spent_through = a->date;
	if ((rc = tfl__add(&pool.advances, -s * amount, err)) != 0 ||
	    (rc = tfl__add(spend ? &pool.expenditure : &pool.cash,
	    s * amount, err)) != 0 ||
	    (rc = tfl__nonneg(pool.cash, "cash", a->info, err)) != 0 ||
	    (rc = claim(a, kind, amount, err)) != 0 || a->dry)
		return rc;
	snprintf(ac, sizeof(ac), "expenses:grants:%s", g.id);
	a->pool = pool.earmark;
	tfl__post(a, spend ? ac : "assets:cash", amount, NULL, 0);
	snprintf(ac, sizeof(ac), "assets:advances:%s", g.id);
	tfl__post(a, ac, -amount, NULL, 0);
	return finish(a, &g, &pool, err);
}

static int
deobligation_apply(struct tfl__apply *a, tfl_err *err)
{
	tfl_fund_grant g;
	tfl_fund_pool pool;
	int64_t amount, s = a->sign;
	int rc;

	if ((rc = tfl__base_amount(&amount, a, "amount", err)) != 0 ||
	    (rc = active_grant(&g, a, err)) != 0 ||
	    (rc = tfl__add(&g.deobligated, s * amount, err)) != 0)
		return rc;
	if (g.disbursed > g.amount - g.deobligated)
		return tfl_err_set(err, TFL_ERULE, "amount \"%s\": more than "
		    "grant \"%s\"'s undisbursed award",
		    tfl_entry_get(a->e, "amount"), g.id);
	if ((rc = tfl__pool_get(&pool, a->kv, g.earmark, err)) != 0 ||
	    (rc = tfl__add(&pool.committed, -s * amount, err)) != 0 ||
	    (s < 0 && (rc = tfl__check_free(a, &pool, err)) != 0) || a->dry)
		return rc;
	a->pool = pool.earmark;
	commit_memo(a, g.id, -amount);
	return finish(a, &g, &pool, err);
}

/* The PSC due on pool at the policy rate: cumulative, so never drifting. */
static int
psc_due(int64_t *due, int64_t *basis, const tfl_fund_pool *p,
    const tfl_fund_policy *pol, tfl_err *err)
{
	int rc;

	*basis = p->expenditure - p->psc_seg_start;
	if ((rc = tfl_money_percent(due, *basis, &pol->psc_rate, err)) != 0)
		return rc;
	*due -= p->psc_seg_charged;
	return 0;
}

static int
psc_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *earmark = tfl_entry_get(a->e, "earmark");
	tfl_fund_policy pol;
	tfl_fund_pool pool;
	int64_t due, basis, amount, rbasis;
	char rate[48];
	int rc;

	if (a->sign < 0)
		return tfl_err_set(err, TFL_ERULE, "a psc entry cannot be "
		    "reversed: it follows the expenditure");
	if ((rc = tfl_fund_policy_get(&pol, a->kv, err)) != 0 ||
	    (rc = tfl__pool_get(&pool, a->kv, earmark, err)) != 0 ||
	    (rc = psc_due(&due, &basis, &pool, &pol, err)) != 0)
		return rc;
	tfl_rate_format(rate, sizeof(rate), &pol.psc_rate);
	if (tfl__money_canon(&amount, tfl_entry_get(a->e, "amount"),
	    &a->info->currency, TFL_MONEY_SIGNED, "amount", err) != 0 ||
	    tfl__money_canon(&rbasis, tfl_entry_get(a->e, "basis"),
	    &a->info->currency, TFL_MONEY_SIGNED, "basis", err) != 0)
		return TFL_EINVAL;
	if (a->date < pool.spent_through)
		return tfl_err_set(err, TFL_ERULE, "date \"%s\": before the "
		    "expenditure it charges", tfl_entry_get(a->e, "date"));
	if (strcmp(rate, tfl_entry_get(a->e, "rate")) != 0 ||
	    rbasis != basis || amount != due)
		return tfl_err_set(err, TFL_ERULE, "psc: the policy rate %s%% "
		    "on expenditure makes %lld minor units due, not %s",
		    rate, (long long)due, tfl_entry_get(a->e, "amount"));
	if ((rc = tfl__add(&pool.cash, -amount, err)) != 0 ||
	    (rc = tfl__add(&pool.psc, amount, err)) != 0 ||
	    (rc = tfl__add(&pool.psc_seg_charged, amount, err)) != 0 ||
	    (rc = tfl__nonneg(pool.cash, "cash", a->info, err)) != 0 ||
	    a->dry)
		return rc;
	a->pool = pool.earmark;
	tfl__post(a, "expenses:psc", amount, NULL, 0);
	tfl__post(a, "assets:cash", -amount, NULL, 0);
	return tfl__pool_put(a->kv, &pool, err);
}

struct psc_ctx {
	tfl_draft *drafts;
	size_t n;
	const tfl_fund_policy *pol;
	const tfl_fund_info *info;
	const char *date;
	tfl_err *err;
};

/* One psc draft for a pool with PSC due. */
static int
psc_draft(void *ctx, const tfl_fund_pool *p)
{
	struct psc_ctx *c = ctx;
	tfl_entry *e = NULL;
	int64_t due, basis;
	char rate[48], b[48], d[48];
	int rc;

	tfl_draft *grown;

	if ((rc = psc_due(&due, &basis, p, c->pol, c->err)) != 0 || due == 0)
		return rc;
	grown = realloc(c->drafts, (c->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return tfl_err_set(c->err, TFL_ENOMEM, "out of memory");
	c->drafts = grown;
	tfl_rate_format(rate, sizeof(rate), &c->pol->psc_rate);
	tfl_money_format(b, sizeof(b), basis, &c->info->currency);
	tfl_money_format(d, sizeof(d), due, &c->info->currency);
	if ((rc = tfl_entry_new(&e, TFL_ENTRY_PSC, c->err)) != 0 ||
	    (rc = tfl_entry_set(e, "date", c->date, c->err)) != 0 ||
	    (*p->earmark && (rc = tfl_entry_set(e, "earmark", p->earmark,
	    c->err)) != 0) ||
	    (rc = tfl_entry_set(e, "rate", rate, c->err)) != 0 ||
	    (rc = tfl_entry_set(e, "basis", b, c->err)) != 0 ||
	    (rc = tfl_entry_set(e, "amount", d, c->err)) != 0) {
		tfl_entry_free(e);
		return rc;
	}
	memset(&c->drafts[c->n], 0, sizeof(c->drafts[0]));
	c->drafts[c->n++].e = e;
	return 0;
}

int
tfl_fund_psc_due(tfl_draft **out, size_t *n, tfl_kv *state,
    const char *date, tfl_err *err)
{
	tfl_fund_policy pol;
	tfl_fund_info info;
	struct psc_ctx c = { NULL, 0, &pol, &info, date, err };
	int rc;

	if ((rc = tfl_fund_info_get(&info, state, err)) != 0 ||
	    (rc = tfl_fund_policy_get(&pol, state, err)) != 0)
		return rc;
	rc = tfl_fund_pool_foreach(state, psc_draft, &c, err);
	*out = c.drafts;
	*n = c.n;
	return rc;
}

int
tfl__fund_grants_apply(struct tfl__apply *a, tfl_err *err)
{
	switch (tfl_entry_type(a->e)) {
	case TFL_ENTRY_GRANT:
		return grant_apply(a, err);
	case TFL_ENTRY_DISBURSEMENT:
		return disbursement_apply(a, err);
	case TFL_ENTRY_EXPENDITURE:
		return advance_out(a, "exp", err);
	case TFL_ENTRY_GRANTEE_REFUND:
		return advance_out(a, "grefund", err);
	case TFL_ENTRY_DEOBLIGATION:
		return deobligation_apply(a, err);
	case TFL_ENTRY_PSC:
		return psc_apply(a, err);
	default:
		return tfl_err_set(err, TFL_ERULE, "not a grant entry");
	}
}
