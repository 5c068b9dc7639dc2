/*
 * fund_util.c - records, pools, postings and checks shared by the fund
 * rule files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"

int
tfl__kv_put(tfl_kv *kv, const char *key, const void *rec, size_t size,
    tfl_err *err)
{
	return kv->put(kv->ctx, key, rec, size, err);
}

int
tfl__kv_list_add(tfl_kv *kv, const char *key, const char *name,
    tfl_err *err)
{
	char *list = NULL, *grown, *p;
	size_t len = 0, n = strlen(name);
	int rc;

	rc = kv->get(kv->ctx, key, (void **)&list, &len, err);
	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	if (rc == TFL_ENOTFOUND)
		len = 0;
	/* Each name ends in '\n'; look for "\nNAME\n" or a leading "NAME\n". */
	for (p = list; p != NULL && p < list + len; p = strchr(p, '\n') + 1)
		if ((size_t)(list + len - p) > n && memcmp(p, name, n) == 0 &&
		    p[n] == '\n') {
			free(list);
			return 0;
		}
	grown = realloc(list, len + n + 1);
	if (grown == NULL) {
		free(list);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	memcpy(grown + len, name, n);
	grown[len + n] = '\n';
	rc = kv->put(kv->ctx, key, grown, len + n + 1, err);
	free(grown);
	return rc;
}

#define REF_FIXED 44 /* five 8-byte figures, reversed, the currency */

int
tfl__ref_put(tfl_kv *kv, const char *key, const struct tfl__ref *r,
    tfl_err *err)
{
	uint8_t buf[REF_FIXED + 2 * (TFL_ENTRY_ID_MAX + 1)];
	size_t ns = strlen(r->scope), ne = strlen(r->earmark);

	tfl__put_be64(buf, (uint64_t)r->amount);
	tfl__put_be64(buf + 8, (uint64_t)r->base);
	tfl__put_be64(buf + 16, (uint64_t)r->share);
	tfl__put_be64(buf + 24, (uint64_t)r->refunded);
	tfl__put_be64(buf + 32, r->seq);
	buf[40] = (uint8_t)(r->reversed != 0);
	memset(buf + 41, 0, 3);
	memcpy(buf + 41, r->currency, strnlen(r->currency, 3));
	memcpy(buf + REF_FIXED, r->scope, ns + 1);
	memcpy(buf + REF_FIXED + ns + 1, r->earmark, ne);
	return kv->put(kv->ctx, key, buf, REF_FIXED + ns + 1 + ne, err);
}

int
tfl__ref_get(struct tfl__ref *r, tfl_kv *kv, const char *key, tfl_err *err)
{
	const uint8_t *p;
	const char *s, *nul;
	void *val = NULL;
	size_t len = 0, ns, ne;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = kv->get(kv->ctx, key, &val, &len, err)) != 0)
		return rc;
	p = val;
	s = (const char *)p + REF_FIXED;
	nul = len > REF_FIXED ? memchr(s, '\0', len - REF_FIXED) : NULL;
	ns = nul != NULL ? (size_t)(nul - s) : 0;
	ne = nul != NULL ? len - REF_FIXED - ns - 1 : 0;
	if (nul == NULL || p[40] > 1 || ns > TFL_ENTRY_ID_MAX ||
	    ne > TFL_ENTRY_ID_MAX || memchr(nul + 1, '\0', ne) != NULL) {
		free(val);
		return tfl_err_set(err, TFL_EIO, "state record \"%s\": not a "
		    "reference's (%zu bytes)", key, len);
	}
	r->amount = (int64_t)tfl__get_be64(p);
	r->base = (int64_t)tfl__get_be64(p + 8);
	r->share = (int64_t)tfl__get_be64(p + 16);
	r->refunded = (int64_t)tfl__get_be64(p + 24);
	r->seq = tfl__get_be64(p + 32);
	r->reversed = p[40];
	memcpy(r->currency, p + 41, 3);
	memcpy(r->scope, s, ns);
	memcpy(r->earmark, nul + 1, ne);
	free(val);
	return 0;
}

char *
tfl__receipt_key(char *key, size_t size, const char *donor, const char *ref)
{
	return tfl__cat(key, size, "receipt/", donor, ":", ref, (char *)NULL);
}

int
tfl__add(int64_t *field, int64_t d, tfl_err *err)
{
	return tfl_money_add(field, *field, d, err);
}

int
tfl__pool_free(int64_t *out, tfl_kv *kv, const tfl_fund_pool *p,
    tfl_err *err)
{
	tfl_fund_policy pol;
	int64_t future, due, sum;
	int rc;

	if ((rc = tfl_fund_policy_get(&pol, kv, err)) != 0 ||
	    (rc = tfl_money_add(&sum, p->committed, p->advances, err)) != 0 ||
	    (rc = tfl_money_percent(&future, sum, &pol.psc_rate, err)) != 0 ||
	    (rc = tfl_money_percent(&due, p->expenditure - p->psc_seg_start,
	    &pol.psc_rate, err)) != 0)
		return rc;
	due -= p->psc_seg_charged;
	*out = p->cash - p->committed - future - (due > 0 ? due : 0);
	return 0;
}

int
tfl__check_free(struct tfl__apply *a, const tfl_fund_pool *p, tfl_err *err)
{
	int64_t free_cash;
	int rc;

	if ((rc = tfl__pool_free(&free_cash, a->kv, p, err)) != 0)
		return rc;
	return tfl__nonneg(free_cash, "cash less commitments and the PSC "
	    "they will cost", a->info, err);
}

int
tfl__nonneg(int64_t v, const char *what, const tfl_fund_info *info,
    tfl_err *err)
{
	char buf[48];

	if (v >= 0)
		return 0;
	tfl_money_format(buf, sizeof(buf), v, &info->currency);
	return tfl_err_set(err, TFL_ERULE, "%s would be %s %s", what, buf,
	    info->currency.code);
}

static void
pool_key(char *key, size_t size, const char *earmark)
{
	tfl__cat(key, size, "pool/", earmark != NULL && *earmark ? earmark :
	    "-", (char *)NULL);
}

int
tfl__pool_get(tfl_fund_pool *out, tfl_kv *kv, const char *earmark,
    tfl_err *err)
{
	char key[80];
	int rc;

	pool_key(key, sizeof(key), earmark);
	rc = tfl__kv_get_fixed(kv, key, out, sizeof(*out), err);
	if (rc == TFL_ENOTFOUND) {
		memset(out, 0, sizeof(*out));
		snprintf(out->earmark, sizeof(out->earmark), "%s",
		    earmark != NULL ? earmark : "");
		out->spent_through = -1;
		return 0;
	}
	return rc;
}

int
tfl__pool_put(tfl_kv *kv, const tfl_fund_pool *p, tfl_err *err)
{
	char key[80];
	int rc;

	pool_key(key, sizeof(key), p->earmark);
	if ((rc = tfl__kv_list_add(kv, "pools", key + 5, err)) != 0)
		return rc;
	return tfl__kv_put(kv, key, p, sizeof(*p), err);
}

int
tfl_fund_pool_get(tfl_fund_pool *out, tfl_kv *state, const char *earmark,
    tfl_err *err)
{
	return tfl__pool_get(out, state, earmark, err);
}

/* Visit the pools named in list; unearmarked ("-") ones or the others. */
static int
visit_pools(tfl_kv *state, char *list, size_t len, int unearmarked,
    int (*fn)(void *ctx, const tfl_fund_pool *pool), void *ctx, tfl_err *err)
{
	tfl_fund_pool p;
	char *s, *nl;
	int rc = 0, none;

	for (s = list; rc == 0 && s < list + len; s = nl + 1) {
		nl = strchr(s, '\n');
		*nl = '\0';
		none = strcmp(s, "-") == 0;
		if (none == unearmarked)
			rc = tfl__pool_get(&p, state, none ? "" : s, err);
		if (rc == 0 && none == unearmarked)
			rc = fn(ctx, &p);
		*nl = '\n';
	}
	return rc;
}

int
tfl_fund_pool_foreach(tfl_kv *state,
    int (*fn)(void *ctx, const tfl_fund_pool *pool), void *ctx, tfl_err *err)
{
	char *list = NULL;
	size_t len;
	int rc;

	rc = state->get(state->ctx, "pools", (void **)&list, &len, err);
	if (rc == TFL_ENOTFOUND)
		return 0;
	if (rc == 0)
		rc = visit_pools(state, list, len, 1, fn, ctx, err);
	if (rc == 0)
		rc = visit_pools(state, list, len, 0, fn, ctx, err);
	free(list);
	return rc;
}

static int
sum_pool(void *ctx, const tfl_fund_pool *p)
{
	tfl_fund_pool *t = ctx;

	/* Each pool's figures were overflow-checked; their sum is too. */
	t->cash += p->cash;
	t->receivable += p->receivable;
	t->committed += p->committed;
	t->advances += p->advances;
	t->expenditure += p->expenditure;
	t->psc += p->psc;
	t->contributions += p->contributions;
	t->interest += p->interest;
	t->fx += p->fx;
	t->psc_seg_start += p->psc_seg_start;
	t->psc_seg_charged += p->psc_seg_charged;
	if (p->spent_through > t->spent_through)
		t->spent_through = p->spent_through;
	return 0;
}

int
tfl_fund_totals(tfl_fund_pool *out, tfl_kv *state, tfl_err *err)
{
	memset(out, 0, sizeof(*out));
	out->spent_through = -1;
	return tfl_fund_pool_foreach(state, sum_pool, out, err);
}

void
tfl__post(struct tfl__apply *a, const char *account, int64_t amount,
    const char *currency, int64_t orig)
{
	tfl_posting *p;

	if (a->npost == sizeof(a->post) / sizeof(a->post[0]) || amount == 0)
		return;
	p = &a->post[a->npost++];
	memset(p, 0, sizeof(*p));
	tfl__cat(p->account, sizeof(p->account), account, (char *)NULL);
	tfl__cat(p->earmark, sizeof(p->earmark), a->pool != NULL ? a->pool :
	    "", (char *)NULL);
	p->amount = amount * a->sign;
	if (currency != NULL && strcmp(currency, a->info->currency.code) != 0) {
		memcpy(p->currency, currency, 4);
		p->orig = orig * a->sign;
	}
}

int
tfl__money_canon(int64_t *out, const char *text, const tfl_currency *cur,
    unsigned flags, const char *field, tfl_err *err)
{
	char buf[48];

	if (tfl_money_parse(out, text, cur, flags, err) != 0)
		return tfl_err_prefix(err, "%s", field);
	tfl_money_format(buf, sizeof(buf), *out, cur);
	if (strcmp(buf, text) != 0)
		return tfl_err_set(err, TFL_EINVAL, "%s \"%s\": write it as "
		    "\"%s\" (exactly %d decimals for %s)", field, text, buf,
		    cur->minor, cur->code);
	return 0;
}

int
tfl__base_amount(int64_t *out, struct tfl__apply *a, const char *field,
    tfl_err *err)
{
	return tfl__money_canon(out, tfl_entry_get(a->e, field),
	    &a->info->currency, TFL_MONEY_POSITIVE, field, err);
}

int
tfl__status_get(struct tfl__status *out, tfl_kv *kv, uint64_t seq,
    tfl_err *err)
{
	char key[32];

	snprintf(key, sizeof(key), "st/%llu", (unsigned long long)seq);
	return tfl__kv_get_fixed(kv, key, out, sizeof(*out), err);
}

int
tfl__status_put(tfl_kv *kv, uint64_t seq, const struct tfl__status *st,
    tfl_err *err)
{
	char key[32];

	snprintf(key, sizeof(key), "st/%llu", (unsigned long long)seq);
	return tfl__kv_put(kv, key, st, sizeof(*st), err);
}

int
tfl_fund_donor_get(tfl_fund_donor *out, tfl_kv *state, const char *id,
    tfl_err *err)
{
	char key[80];
	int rc;

	tfl__cat(key, sizeof(key), "donor/", id, (char *)NULL);
	rc = tfl__kv_get_fixed(state, key, out, sizeof(*out), err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "donor \"%s\": unknown", id);
	return rc;
}

int
tfl_fund_grant_get(tfl_fund_grant *out, tfl_kv *state, const char *id,
    tfl_err *err)
{
	char key[80];
	int rc;

	snprintf(key, sizeof(key), "grant/%s", id);
	rc = tfl__kv_get_fixed(state, key, out, sizeof(*out), err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "grant \"%s\": unknown", id);
	return rc;
}

int
tfl_fund_set_money(tfl_entry *e, const tfl_currency *base,
    const char *amount, const char *currency, const char *rate, tfl_err *err)
{
	const tfl_currency *cur;
	int64_t minor, converted;
	char buf[48];
	tfl_rate r;
	int rc;

	if (tfl_currency_find(&cur, currency, err) != 0)
		return TFL_EINVAL;
	/* The parsers' messages name the field: "amount \"1.005\": ...". */
	if ((rc = tfl_money_parse(&minor, amount, cur, TFL_MONEY_POSITIVE,
	    err)) != 0)
		return rc;
	converted = minor;
	if (strcmp(cur->code, base->code) == 0 && rate != NULL)
		return tfl_err_set(err, TFL_EINVAL, "rate \"%s\": not for the "
		    "base currency %s", rate, base->code);
	if (strcmp(cur->code, base->code) != 0 && rate == NULL)
		return tfl_err_set(err, TFL_EINVAL, "rate: required for %s "
		    "(units of %s per one %s)", cur->code, cur->code,
		    base->code);
	tfl_money_format(buf, sizeof(buf), minor, cur);
	if (tfl_entry_set(e, "amount", buf, err) != 0 ||
	    tfl_entry_set(e, "currency", cur->code, err) != 0)
		return TFL_EINVAL;
	if (rate != NULL) {
		if ((rc = tfl_rate_parse(&r, rate, err)) != 0 ||
		    (rc = tfl_money_convert(&converted, minor, cur, &r, base,
		    err)) != 0)
			return rc;
		tfl_rate_format(buf, sizeof(buf), &r);
		if (tfl_entry_set(e, "rate", buf, err) != 0)
			return TFL_EINVAL;
	}
	tfl_money_format(buf, sizeof(buf), converted, base);
	return tfl_entry_set(e, "base-amount", buf, err);
}
