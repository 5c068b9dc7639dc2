/*
 * fund_income.c - master data and income: donors, grantees, pledges,
 * write-downs, receipts, interest and refunds to donors.
 *
 * Each handler reads what it needs, computes the new records, checks the
 * rules, and only then (unless a->dry) writes and posts.  With a->sign
 * -1 it undoes the entry for a reversal, with the same checks.
 */
#include <stdio.h>
#include <string.h>

#include "fund_internal.h"

/* Amount and base amount of a->e in its currency, checked against rate. */
struct money {
	const tfl_currency *cur;
	int64_t amount, base;
};

static int
read_money(struct money *m, struct tfl__apply *a, tfl_err *err)
{
	const char *rate = tfl_entry_get(a->e, "rate");
	const char *code = tfl_entry_get(a->e, "currency");
	int64_t want;
	tfl_rate r;
	char buf[48];

	if (tfl_currency_find(&m->cur, code, err) != 0)
		return TFL_EINVAL;
	if (tfl__money_canon(&m->amount, tfl_entry_get(a->e, "amount"), m->cur,
	    TFL_MONEY_POSITIVE, "amount", err) != 0)
		return TFL_EINVAL;
	if (tfl__base_amount(&m->base, a, "base-amount", err) != 0)
		return TFL_EINVAL;
	if (strcmp(code, a->info->currency.code) == 0) {
		if (rate != NULL)
			return tfl_err_set(err, TFL_EINVAL, "rate \"%s\": no "
			    "rate for the base currency %s", rate, code);
		want = m->amount;
	} else {
		if (rate == NULL)
			return tfl_err_set(err, TFL_EINVAL, "rate: required for "
			    "%s (units per one %s)", code,
			    a->info->currency.code);
		if (tfl_rate_parse(&r, rate, err) != 0 ||
		    tfl_money_convert(&want, m->amount, m->cur, &r,
		    &a->info->currency, err) != 0)
			return TFL_EINVAL;
	}
	if (want != m->base) {
		tfl_money_format(buf, sizeof(buf), want, &a->info->currency);
		return tfl_err_set(err, TFL_ERULE, "base-amount \"%s\": amount "
		    "at the rate is %s", tfl_entry_get(a->e, "base-amount"),
		    buf);
	}
	return 0;
}

static int
donor_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *id = tfl_entry_get(a->e, "id");
	const char *country = tfl_entry_get(a->e, "country");
	tfl_fund_donor d;
	char key[80];
	int rc;

	rc = tfl_fund_donor_get(&d, a->kv, id, err);
	if (rc == TFL_ENOTFOUND) {
		memset(&d, 0, sizeof(d));
		snprintf(d.id, sizeof(d.id), "%s", id);
		d.seq = tfl_entry_seq(a->e);
	} else if (rc != 0) {
		return rc;
	}
	/* A later donor entry with the same id corrects its details. */
	memset(d.name, 0, sizeof(d.name));
	memset(d.kind, 0, sizeof(d.kind));
	memset(d.country, 0, sizeof(d.country));
	snprintf(d.name, sizeof(d.name), "%s", tfl_entry_get(a->e, "name"));
	snprintf(d.kind, sizeof(d.kind), "%s", tfl_entry_get(a->e, "kind"));
	snprintf(d.country, sizeof(d.country), "%s", country ? country : "");
	d.anonymous = strcmp(tfl_entry_get(a->e, "anonymous"), "yes") == 0;
	snprintf(key, sizeof(key), "donor/%s", id);
	return a->dry ? 0 : tfl__kv_put(a->kv, key, &d, sizeof(d), err);
}

static int
grantee_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *id = tfl_entry_get(a->e, "id");
	const char *ref = tfl_entry_get(a->e, "partner-ref");
	struct tfl__grantee g;
	char key[80];
	int rc;

	snprintf(key, sizeof(key), "grantee/%s", id);
	rc = tfl__kv_get_fixed(a->kv, key, &g, sizeof(g), err);
	if (rc == TFL_ENOTFOUND) {
		memset(&g, 0, sizeof(g));
		snprintf(g.id, sizeof(g.id), "%s", id);
		g.seq = tfl_entry_seq(a->e);
	} else if (rc != 0) {
		return rc;
	}
	memset(g.name, 0, sizeof(g.name));
	memset(g.partner_ref, 0, sizeof(g.partner_ref));
	snprintf(g.name, sizeof(g.name), "%s", tfl_entry_get(a->e, "name"));
	snprintf(g.country, sizeof(g.country), "%s",
	    tfl_entry_get(a->e, "country"));
	snprintf(g.partner_ref, sizeof(g.partner_ref), "%s", ref ? ref : "");
	return a->dry ? 0 : tfl__kv_put(a->kv, key, &g, sizeof(g), err);
}

/* The donor named by field, which must exist. */
static int
need_donor(tfl_fund_donor *d, struct tfl__apply *a, tfl_err *err)
{
	int rc = tfl_fund_donor_get(d, a->kv, tfl_entry_get(a->e, "donor"),
	    err);

	return rc == TFL_ENOTFOUND ? tfl_err_set(err, TFL_ERULE, "donor "
	    "\"%s\": unknown (record it with donor add first)",
	    tfl_entry_get(a->e, "donor")) : rc;
}

static int
put_donor(struct tfl__apply *a, const tfl_fund_donor *d, tfl_err *err)
{
	char key[80];

	tfl__cat(key, sizeof(key), "donor/", d->id, (char *)NULL);
	return tfl__kv_put(a->kv, key, d, sizeof(*d), err);
}

/* Account names for one donor or grant. */
static const char *
acct(char *buf, size_t size, const char *base, const char *id)
{
	return tfl__cat(buf, size, base, ":", id, (char *)NULL);
}

static int
pledge_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *ref = tfl_entry_get(a->e, "ref");
	const char *earmark = tfl_entry_get(a->e, "earmark");
	struct tfl__pledge p;
	tfl_fund_donor d;
	tfl_fund_pool pool;
	struct money m;
	char key[80], ac[160];
	int rc, s = a->sign;

	if ((rc = read_money(&m, a, err)) != 0 ||
	    (rc = need_donor(&d, a, err)) != 0)
		return rc;
	snprintf(key, sizeof(key), "pledge/%s", ref);
	rc = tfl__kv_get_fixed(a->kv, key, &p, sizeof(p), err);
	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	if (s > 0 && rc == 0 && !p.reversed)
		return tfl_err_set(err, TFL_ERULE, "pledge \"%s\": reference "
		    "already recorded at seq %llu", ref,
		    (unsigned long long)p.seq);
	if (s < 0 && (rc != 0 || p.reversed))
		return tfl_err_set(err, TFL_ERULE, "pledge \"%s\": not in "
		    "effect", ref);
	if (s < 0 && p.cleared != 0)
		return tfl_err_set(err, TFL_ERULE, "pledge \"%s\": has "
		    "receipts or write-downs; reverse those first", ref);
	if (s > 0) {
		memset(&p, 0, sizeof(p));
		snprintf(p.donor, sizeof(p.donor), "%s", d.id);
		snprintf(p.earmark, sizeof(p.earmark), "%s",
		    earmark ? earmark : "");
		memcpy(p.currency, m.cur->code, 4);
		p.amount = m.amount;
		p.base = m.base;
		p.seq = tfl_entry_seq(a->e);
	}
	p.reversed = s < 0;
	if ((rc = tfl__pool_get(&pool, a->kv, p.earmark, err)) != 0 ||
	    (rc = tfl__add(&pool.receivable, s * m.base, err)) != 0 ||
	    (rc = tfl__add(&pool.contributions, s * m.base, err)) != 0 ||
	    (rc = tfl__add(&d.pledged, s * m.base, err)) != 0 ||
	    (rc = tfl__add(&d.receivable, s * m.base, err)) != 0)
		return rc;
	if (a->dry)
		return 0;
	a->pool = pool.earmark;
	tfl__post(a, acct(ac, sizeof(ac), "assets:receivable", d.id), m.base,
	    NULL, 0);
	tfl__post(a, acct(ac, sizeof(ac), "income:contributions", d.id),
	    -m.base, NULL, 0);
	if ((rc = tfl__kv_put(a->kv, key, &p, sizeof(p), err)) != 0 ||
	    (rc = tfl__pool_put(a->kv, &pool, err)) != 0)
		return rc;
	return put_donor(a, &d, err);
}

static int
get_pledge(struct tfl__pledge *p, struct tfl__apply *a, const char *ref,
    tfl_err *err)
{
	char key[80];
	int rc;

	snprintf(key, sizeof(key), "pledge/%s", ref);
	rc = tfl__kv_get_fixed(a->kv, key, p, sizeof(*p), err);
	if (rc == TFL_ENOTFOUND || (rc == 0 && p->reversed))
		return tfl_err_set(err, TFL_ERULE, "pledge \"%s\": unknown",
		    ref);
	return rc;
}

int
tfl_fund_pledge_currency(const tfl_currency **out, tfl_kv *state,
    const char *ref, tfl_err *err)
{
	struct tfl__pledge p;
	char key[80];
	int rc;

	snprintf(key, sizeof(key), "pledge/%s", ref);
	rc = tfl__kv_get_fixed(state, key, &p, sizeof(p), err);
	if (rc == TFL_ENOTFOUND || (rc == 0 && p.reversed))
		return tfl_err_set(err, TFL_ENOTFOUND, "pledge \"%s\": unknown",
		    ref);
	return rc != 0 ? rc : tfl_currency_find(out, p.currency, err);
}

static int
put_pledge(struct tfl__apply *a, const char *ref, const struct tfl__pledge *p,
    tfl_err *err)
{
	char key[80];

	snprintf(key, sizeof(key), "pledge/%s", ref);
	return tfl__kv_put(a->kv, key, p, sizeof(*p), err);
}

/*
 * Clear amount (original units, signed) of pledge p; *share is the
 * receivable (base) it clears.  Computed on the cumulative cleared amount
 * so that a fully cleared pledge clears exactly its base amount; undone
 * with the share recorded when it was done.
 */
static int
clear_pledge(int64_t *share, struct tfl__pledge *p, int64_t amount,
    const char *ref, tfl_err *err)
{
	int64_t after = p->cleared + amount;
	int rc;

	if (after > p->amount)
		return tfl_err_set(err, TFL_ERULE, "pledge \"%s\": only %lld "
		    "minor units of %s outstanding", ref,
		    (long long)(p->amount - p->cleared), p->currency);
	if (amount > 0 && (rc = tfl_money_muldiv(share, p->base, after,
	    p->amount, err)) != 0)
		return rc;
	if (amount > 0)
		*share -= p->settled;
	p->cleared = after;
	p->settled += amount > 0 ? *share : -*share;
	return 0;
}

/* A new reference must be unused; one being reversed must exist. */
static int
ref_claim(struct tfl__ref *r, struct tfl__apply *a, const char *key,
    const char *what, tfl_err *err)
{
	int rc = tfl__ref_get(r, a->kv, key, err);

	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	if (a->sign > 0 && rc == 0 && !r->reversed)
		return tfl_err_set(err, TFL_ERULE, "%s \"%s\": already "
		    "recorded at seq %llu", what, tfl_entry_get(a->e, "ref"),
		    (unsigned long long)r->seq);
	if (a->sign < 0 && (rc != 0 || r->reversed))
		return tfl_err_set(err, TFL_ERULE, "%s \"%s\": not in effect",
		    what, tfl_entry_get(a->e, "ref"));
	return 0;
}

static int
writedown_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *ref = tfl_entry_get(a->e, "pledge");
	const tfl_currency *cur;
	struct tfl__pledge p;
	struct tfl__ref w;
	tfl_fund_donor d;
	tfl_fund_pool pool;
	int64_t amount, share = 0;
	char key[80], ac[160];
	int rc;

	if ((rc = get_pledge(&p, a, ref, err)) != 0 ||
	    (rc = tfl_currency_find(&cur, p.currency, err)) != 0)
		return rc;
	if (tfl__money_canon(&amount, tfl_entry_get(a->e, "amount"), cur,
	    TFL_MONEY_POSITIVE, "amount", err) != 0)
		return TFL_EINVAL;
	snprintf(key, sizeof(key), "ref/wd/%llu",
	    (unsigned long long)tfl_entry_seq(a->e));
	if (a->sign < 0 && (rc = tfl__ref_get(&w, a->kv, key, err)) != 0)
		return rc;
	if (a->sign < 0)
		share = w.share;
	if ((rc = clear_pledge(&share, &p, a->sign * amount, ref, err)) != 0 ||
	    (rc = tfl_fund_donor_get(&d, a->kv, p.donor, err)) != 0 ||
	    (rc = tfl__pool_get(&pool, a->kv, p.earmark, err)) != 0 ||
	    (rc = tfl__add(&pool.receivable, -a->sign * share, err)) != 0 ||
	    (rc = tfl__add(&pool.contributions, -a->sign * share, err)) != 0 ||
	    (rc = tfl__add(&d.receivable, -a->sign * share, err)) != 0 ||
	    (rc = tfl__add(&d.written_down, a->sign * share, err)) != 0)
		return rc;
	if (a->dry)
		return 0;
	memset(&w, 0, sizeof(w));
	w.share = share;
	w.seq = tfl_entry_seq(a->e);
	w.reversed = a->sign < 0;
	a->pool = pool.earmark;
	tfl__post(a, acct(ac, sizeof(ac), "income:contributions", d.id),
	    share, NULL, 0);
	tfl__post(a, acct(ac, sizeof(ac), "assets:receivable", d.id), -share,
	    NULL, 0);
	if ((rc = tfl__ref_put(a->kv, key, &w, err)) != 0 ||
	    (rc = put_pledge(a, ref, &p, err)) != 0 ||
	    (rc = tfl__pool_put(a->kv, &pool, err)) != 0)
		return rc;
	return put_donor(a, &d, err);
}

/* The pool a receipt goes to: its pledge's earmark, or its own. */
static int
receipt_pool(char *earmark, size_t size, struct tfl__apply *a,
    const struct tfl__pledge *p, tfl_err *err)
{
	const char *own = tfl_entry_get(a->e, "earmark");

	if (p != NULL && own != NULL && strcmp(own, p->earmark) != 0)
		return tfl_err_set(err, TFL_ERULE, "earmark \"%s\": the pledge "
		    "is earmarked \"%s\"", own, p->earmark);
	own = p != NULL ? p->earmark : own != NULL ? own : "";
	if (strlen(own) >= size)
		return tfl_err_set(err, TFL_EINVAL, "earmark too long");
	memcpy(earmark, own, strlen(own) + 1);
	return 0;
}

/* A receipt against its pledge: the pledge's currency and outstanding. */
static int
receipt_pledge(int64_t *share, struct tfl__pledge *p, struct tfl__apply *a,
    const struct money *m, const struct tfl__ref *r, tfl_err *err)
{
	const char *ref = tfl_entry_get(a->e, "pledge");
	int rc;

	if ((rc = get_pledge(p, a, ref, err)) != 0)
		return rc;
	if (strcmp(p->donor, tfl_entry_get(a->e, "donor")) != 0)
		return tfl_err_set(err, TFL_ERULE, "pledge \"%s\": is donor "
		    "\"%s\"'s", ref, p->donor);
	if (strcmp(p->currency, m->cur->code) != 0)
		return tfl_err_set(err, TFL_ERULE, "currency \"%s\": pledge "
		    "\"%s\" is in %s", m->cur->code, ref, p->currency);
	*share = a->sign < 0 ? r->share : 0;
	return clear_pledge(share, p, a->sign * m->amount, ref, err);
}

static int
receipt_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *pref = tfl_entry_get(a->e, "pledge");
	struct tfl__pledge p;
	struct tfl__ref r;
	tfl_fund_donor d;
	tfl_fund_pool pool;
	struct money m;
	int64_t share = 0, s = a->sign;
	char key[200], ac[160], earmark[TFL_ENTRY_ID_MAX + 1];
	int rc;

	tfl__receipt_key(key, sizeof(key), tfl_entry_get(a->e, "donor"),
	    tfl_entry_get(a->e, "ref"));
	if ((rc = read_money(&m, a, err)) != 0 ||
	    (rc = need_donor(&d, a, err)) != 0 ||
	    (rc = ref_claim(&r, a, key, "receipt", err)) != 0 ||
	    (pref != NULL && (rc = receipt_pledge(&share, &p, a, &m, &r,
	    err)) != 0) ||
	    (rc = receipt_pool(earmark, sizeof(earmark), a,
	    pref != NULL ? &p : NULL, err)) != 0)
		return rc;
	if (s < 0 && r.refunded != 0)
		return tfl_err_set(err, TFL_ERULE, "receipt \"%s\": has "
		    "refunds; reverse those first", tfl_entry_get(a->e, "ref"));
	if ((rc = tfl__pool_get(&pool, a->kv, earmark, err)) != 0 ||
	    (rc = tfl__add(&pool.cash, s * m.base, err)) != 0 ||
	    (rc = tfl__add(&pool.receivable, -s * share, err)) != 0 ||
	    (rc = tfl__add(pref ? &pool.fx : &pool.contributions,
	    s * (m.base - share), err)) != 0 ||
	    (rc = tfl__add(&d.received, s * m.base, err)) != 0 ||
	    (rc = tfl__add(&d.receivable, -s * share, err)) != 0 ||
	    (rc = tfl__nonneg(pool.cash, "cash", a->info, err)) != 0 ||
	    (s < 0 && (rc = tfl__check_free(a, &pool, err)) != 0))
		return rc;
	if (a->dry)
		return 0;
	memset(&r, 0, sizeof(r));
	tfl__cat(r.scope, sizeof(r.scope), pref ? pref : "", (char *)NULL);
	tfl__cat(r.earmark, sizeof(r.earmark), earmark, (char *)NULL);
	memcpy(r.currency, m.cur->code, 4);
	r.amount = m.amount;
	r.base = m.base;
	r.share = share;
	r.seq = tfl_entry_seq(a->e);
	r.reversed = s < 0;
	a->pool = pool.earmark;
	tfl__post(a, "assets:cash", m.base, m.cur->code, m.amount);
	if (pref != NULL) {
		tfl__post(a, acct(ac, sizeof(ac), "assets:receivable", d.id),
		    -share, NULL, 0);
		tfl__post(a, "income:exchange-differences", share - m.base,
		    NULL, 0);
	} else {
		tfl__post(a, acct(ac, sizeof(ac), "income:contributions", d.id),
		    -m.base, NULL, 0);
	}
	if ((rc = tfl__ref_put(a->kv, key, &r, err)) != 0 ||
	    (pref != NULL && (rc = put_pledge(a, pref, &p, err)) != 0) ||
	    (rc = tfl__pool_put(a->kv, &pool, err)) != 0)
		return rc;
	return put_donor(a, &d, err);
}

static int
interest_apply(struct tfl__apply *a, tfl_err *err)
{
	struct tfl__ref r;
	tfl_fund_pool pool;
	int64_t amount;
	char key[120];
	int rc;

	snprintf(key, sizeof(key), "ref/interest/%s",
	    tfl_entry_get(a->e, "ref"));
	if ((rc = tfl__base_amount(&amount, a, "amount", err)) != 0 ||
	    (rc = ref_claim(&r, a, key, "interest", err)) != 0 ||
	    (rc = tfl__pool_get(&pool, a->kv, "", err)) != 0 ||
	    (rc = tfl__add(&pool.cash, a->sign * amount, err)) != 0 ||
	    (rc = tfl__add(&pool.interest, a->sign * amount, err)) != 0 ||
	    (a->sign < 0 && (rc = tfl__check_free(a, &pool, err)) != 0))
		return rc;
	if (a->dry)
		return 0;
	memset(&r, 0, sizeof(r));
	r.amount = r.base = amount;
	r.seq = tfl_entry_seq(a->e);
	r.reversed = a->sign < 0;
	a->pool = pool.earmark;
	tfl__post(a, "assets:cash", amount, NULL, 0);
	tfl__post(a, "income:interest", -amount, NULL, 0);
	if ((rc = tfl__ref_put(a->kv, key, &r, err)) != 0)
		return rc;
	return tfl__pool_put(a->kv, &pool, err);
}

/* The receipt a refund returns, in the refund's currency. */
static int
refunded_receipt(struct tfl__ref *rc_out, char *key, size_t size,
    struct tfl__apply *a, const struct money *m, tfl_err *err)
{
	const char *ref = tfl_entry_get(a->e, "receipt");
	int rc;

	tfl__receipt_key(key, size, tfl_entry_get(a->e, "donor"), ref);
	rc = tfl__ref_get(rc_out, a->kv, key, err);
	if (rc == TFL_ENOTFOUND || (rc == 0 && rc_out->reversed))
		return tfl_err_set(err, TFL_ERULE, "receipt \"%s\": unknown "
		    "for donor \"%s\"", ref, tfl_entry_get(a->e, "donor"));
	if (rc != 0)
		return rc;
	if (strcmp(rc_out->currency, m->cur->code) != 0)
		return tfl_err_set(err, TFL_ERULE, "currency \"%s\": receipt "
		    "\"%s\" was in %s", m->cur->code, ref, rc_out->currency);
	rc_out->refunded += a->sign * m->amount;
	if (rc_out->refunded > rc_out->amount)
		return tfl_err_set(err, TFL_ERULE, "amount \"%s\": more than "
		    "receipt \"%s\" left to refund",
		    tfl_entry_get(a->e, "amount"), ref);
	return 0;
}

static int
donor_refund_apply(struct tfl__apply *a, tfl_err *err)
{
	struct tfl__ref r, paid;
	tfl_fund_donor d;
	tfl_fund_pool pool;
	struct money m;
	int64_t s = a->sign;
	char key[200], pkey[200], ac[160];
	int rc;

	snprintf(key, sizeof(key), "ref/drefund/%s:%s",
	    tfl_entry_get(a->e, "donor"), tfl_entry_get(a->e, "ref"));
	if ((rc = read_money(&m, a, err)) != 0 ||
	    (rc = need_donor(&d, a, err)) != 0 ||
	    (rc = ref_claim(&r, a, key, "refund", err)) != 0 ||
	    (rc = refunded_receipt(&paid, pkey, sizeof(pkey), a, &m,
	    err)) != 0 ||
	    (rc = tfl__pool_get(&pool, a->kv, paid.earmark, err)) != 0 ||
	    (rc = tfl__add(&pool.cash, -s * m.base, err)) != 0 ||
	    (rc = tfl__add(&pool.contributions, -s * m.base, err)) != 0 ||
	    (rc = tfl__add(&d.refunded, s * m.base, err)) != 0 ||
	    (rc = tfl__nonneg(pool.cash, "cash", a->info, err)) != 0 ||
	    (s > 0 && (rc = tfl__check_free(a, &pool, err)) != 0))
		return rc;
	if (a->dry)
		return 0;
	memset(&r, 0, sizeof(r));
	memcpy(r.currency, m.cur->code, 4);
	r.amount = m.amount;
	r.base = m.base;
	r.seq = tfl_entry_seq(a->e);
	r.reversed = s < 0;
	a->pool = pool.earmark;
	tfl__post(a, acct(ac, sizeof(ac), "income:contributions", d.id),
	    m.base, NULL, 0);
	tfl__post(a, "assets:cash", -m.base, m.cur->code, -m.amount);
	if ((rc = tfl__ref_put(a->kv, key, &r, err)) != 0 ||
	    (rc = tfl__ref_put(a->kv, pkey, &paid, err)) != 0 ||
	    (rc = tfl__pool_put(a->kv, &pool, err)) != 0)
		return rc;
	return put_donor(a, &d, err);
}

int
tfl__fund_income_apply(struct tfl__apply *a, tfl_err *err)
{
	switch (tfl_entry_type(a->e)) {
	case TFL_ENTRY_DONOR:
		return donor_apply(a, err);
	case TFL_ENTRY_GRANTEE:
		return grantee_apply(a, err);
	case TFL_ENTRY_PLEDGE:
		return pledge_apply(a, err);
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
		return writedown_apply(a, err);
	case TFL_ENTRY_RECEIPT:
		return receipt_apply(a, err);
	case TFL_ENTRY_INTEREST:
		return interest_apply(a, err);
	case TFL_ENTRY_DONOR_REFUND:
		return donor_refund_apply(a, err);
	default:
		return tfl_err_set(err, TFL_ERULE, "not an income entry");
	}
}
