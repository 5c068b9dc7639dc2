/*
 * fund_control.c - policy, dual control (pending entries, approvals,
 * reversals) and period closing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"

int
tfl_fund_policy_get(tfl_fund_policy *out, tfl_kv *state, tfl_err *err)
{
	tfl_fund_info info;
	int rc, i;

	rc = tfl__kv_get_fixed(state, "policy", out, sizeof(*out), err);
	if (rc != TFL_ENOTFOUND)
		return rc;
	if ((rc = tfl_fund_info_get(&info, state, err)) != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->approval_threshold = TFL_FUND_DEFAULT_THRESHOLD_UNITS;
	for (i = 0; i < info.currency.minor; i++)
		out->approval_threshold *= 10;
	out->psc_rate.value = TFL_FUND_DEFAULT_PSC_PERCENT;
	return 0;
}

struct policy_ctx {
	const tfl_fund_policy *old;
	tfl_kv *kv;
	tfl_err *err;
};

/* Every pool's PSC must be charged before the rate changes. */
static int
psc_settled(void *ctx, const tfl_fund_pool *p)
{
	struct policy_ctx *c = ctx;
	tfl_err *err = c->err;
	int64_t due;

	if (tfl_money_percent(&due, p->expenditure - p->psc_seg_start,
	    &c->old->psc_rate, err) != 0)
		return TFL_EINVAL;
	if (due != p->psc_seg_charged)
		return tfl_err_set(err, TFL_ERULE, "psc-rate: charge the PSC "
		    "due%s%s first (tfledger psc)", *p->earmark ?
		    " in earmark " : "", p->earmark);
	return 0;
}

/* A new rate starts a new cumulative segment in every pool. */
static int
psc_restart(void *ctx, const tfl_fund_pool *p)
{
	struct policy_ctx *c = ctx;
	tfl_fund_pool q = *p;

	q.psc_seg_start = q.expenditure;
	q.psc_seg_charged = 0;
	return tfl__pool_put(c->kv, &q, c->err);
}

static int
policy_apply(struct tfl__apply *a, tfl_err *err)
{
	tfl_fund_policy old, pol;
	struct policy_ctx ctx = { &old, a->kv, err };
	int rc;

	memset(&pol, 0, sizeof(pol));
	if ((rc = tfl_fund_policy_get(&old, a->kv, err)) != 0 ||
	    (rc = tfl__base_amount(&pol.approval_threshold, a,
	    "approval-threshold", err)) != 0 ||
	    (rc = tfl_rate_parse(&pol.psc_rate, tfl_entry_get(a->e,
	    "psc-rate"), err)) != 0)
		return rc;
	if (pol.psc_rate.value > 100 * tfl__pow10(pol.psc_rate.scale))
		return tfl_err_set(err, TFL_EINVAL, "psc-rate \"%s\": more than "
		    "100 percent", tfl_entry_get(a->e, "psc-rate"));
	pol.seq = tfl_entry_seq(a->e);
	if (old.psc_rate.value != pol.psc_rate.value ||
	    old.psc_rate.scale != pol.psc_rate.scale) {
		if ((rc = tfl_fund_pool_foreach(a->kv, psc_settled, &ctx,
		    err)) != 0 ||
		    (rc = tfl_fund_pool_foreach(a->kv, psc_restart, &ctx,
		    err)) != 0)
			return rc;
	}
	return tfl__kv_put(a->kv, "policy", &pol, sizeof(pol), err);
}

static int
period_apply(struct tfl__apply *a, tfl_err *err)
{
	return tfl__kv_put(a->kv, "period", &a->date, sizeof(a->date), err);
}

/* The pending list: seqs awaiting approval, oldest first. */
static int
pending_edit(tfl_kv *kv, uint64_t seq, int add, tfl_err *err)
{
	uint64_t *list = NULL, *grown;
	size_t len = 0, n, i;
	int rc;

	rc = kv->get(kv->ctx, "pending", (void **)&list, &len, err);
	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	n = rc == 0 ? len / sizeof(*list) : 0;
	if (add) {
		grown = realloc(list, (n + 1) * sizeof(*list));
		if (grown == NULL) {
			free(list);
			return tfl_err_set(err, TFL_ENOMEM, "out of memory");
		}
		list = grown;
		list[n++] = seq;
	} else {
		for (i = 0; i < n && list[i] != seq; i++)
			;
		if (i < n)
			memmove(&list[i], &list[i + 1],
			    (--n - i) * sizeof(*list));
	}
	rc = kv->put(kv->ctx, "pending", list != NULL ? (void *)list : "",
	    n * sizeof(*list), err);
	free(list);
	return rc;
}

int
tfl_fund_pending_foreach(tfl_kv *state, int (*fn)(void *ctx, uint64_t seq),
    void *ctx, tfl_err *err)
{
	uint64_t *list = NULL;
	size_t len, i;
	int rc;

	rc = state->get(state->ctx, "pending", (void **)&list, &len, err);
	if (rc == TFL_ENOTFOUND)
		return 0;
	for (i = 0; rc == 0 && i < len / sizeof(*list); i++)
		rc = fn(ctx, list[i]);
	free(list);
	return rc;
}

int
tfl__load_entry(tfl_entry **out, char *signer, size_t size, tfl_kv *kv,
    uint64_t seq, tfl_err *err)
{
	char *note = NULL;
	size_t len;
	tfl_note n;
	int rc;

	if ((rc = kv->entry(kv->entry_ctx, seq, &note, &len, err)) != 0)
		return rc == TFL_ENOTFOUND ? tfl_err_set(err, TFL_ERULE,
		    "seq %llu: no such entry", (unsigned long long)seq) : rc;
	rc = tfl_note_parse(&n, note, len, err);
	free(note);
	if (rc != 0)
		return rc;
	rc = tfl_entry_decode(out, n.text, n.textlen, err);
	if (rc == 0 && signer != NULL)
		snprintf(signer, size, "%s", n.nsigs > 0 ? n.sigs[0].name : "");
	tfl_note_release(&n);
	return rc;
}

int64_t
tfl__value_date(const tfl_entry *e)
{
	const char *d = tfl_entry_get(e, "date");
	int64_t days;

	if (d != NULL && tfl_date_parse(&days, d, NULL) == 0)
		return days;
	return tfl_entry_time(e) / 86400;
}

/* Hand the queued postings to the sink and the value-day sums. */
static int
flush(struct tfl__apply *a, const tfl_entry *e, tfl_err *err)
{
	int64_t sum = 0;
	size_t i;
	int rc;

	for (i = 0; i < a->npost; i++)
		sum += a->post[i].amount;
	if (sum != 0)
		return tfl_err_set(err, TFL_EIO, "seq %llu: postings do not "
		    "balance (internal error)",
		    (unsigned long long)tfl_entry_seq(e));
	if (a->npost == 0)
		return 0;
	if (a->sink != NULL && (rc = a->sink->fn(a->sink->ctx, e, a->by_seq,
	    a->date, a->post, a->npost, err)) != 0)
		return rc;
	return tfl__days_post(a, e, err);
}

int
tfl__fund_effect(struct tfl__apply *a, const tfl_entry *e, tfl_err *err)
{
	struct tfl__apply b = *a;
	int rc;

	b.e = e;
	b.npost = 0;
	switch (tfl_entry_type(e)) {
	case TFL_ENTRY_DONOR:
	case TFL_ENTRY_GRANTEE:
	case TFL_ENTRY_PLEDGE:
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
	case TFL_ENTRY_RECEIPT:
	case TFL_ENTRY_INTEREST:
	case TFL_ENTRY_DONOR_REFUND:
		rc = tfl__fund_income_apply(&b, err);
		break;
	case TFL_ENTRY_GRANT:
	case TFL_ENTRY_DISBURSEMENT:
	case TFL_ENTRY_EXPENDITURE:
	case TFL_ENTRY_GRANTEE_REFUND:
	case TFL_ENTRY_DEOBLIGATION:
	case TFL_ENTRY_PSC:
		rc = tfl__fund_grants_apply(&b, err);
		break;
	default:
		rc = tfl__fund_control_apply(&b, err);
		break;
	}
	if (rc == 0 && !b.dry)
		rc = flush(&b, e, err);
	return rc;
}

int
tfl__fund_needs_approval(struct tfl__apply *a, const tfl_entry *e,
    tfl_err *err)
{
	tfl_fund_policy pol;
	int64_t amount;
	int rc;

	switch (tfl_entry_type(e)) {
	case TFL_ENTRY_GRANT:
	case TFL_ENTRY_REVERSAL:
		return 1;
	case TFL_ENTRY_DISBURSEMENT:
		if ((rc = tfl_fund_policy_get(&pol, a->kv, err)) != 0 ||
		    (rc = tfl__base_amount(&amount, a, "amount", err)) != 0)
			return rc;
		return amount > pol.approval_threshold;
	default:
		return 0;
	}
}

/* Types a reversal may cancel: money that moved, never master data. */
static int
reversible(int type)
{
	switch (type) {
	case TFL_ENTRY_PLEDGE:
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
	case TFL_ENTRY_RECEIPT:
	case TFL_ENTRY_INTEREST:
	case TFL_ENTRY_DONOR_REFUND:
	case TFL_ENTRY_DISBURSEMENT:
	case TFL_ENTRY_EXPENDITURE:
	case TFL_ENTRY_GRANTEE_REFUND:
	case TFL_ENTRY_DEOBLIGATION:
		return 1;
	default:
		return 0;
	}
}

/* The entry a reversal names, which must be in effect: undo it (dry?). */
static int
undo_target(struct tfl__apply *a, uint64_t target, tfl_err *err)
{
	struct tfl__status st;
	struct tfl__apply b = *a;
	tfl_entry *t = NULL;
	int rc;

	if (target >= tfl_entry_seq(a->e))
		return tfl_err_set(err, TFL_ERULE, "reverses %llu: not an "
		    "earlier entry", (unsigned long long)target);
	if ((rc = tfl__load_entry(&t, NULL, 0, a->kv, target, err)) != 0)
		return rc;
	rc = tfl__status_get(&st, a->kv, target, err);
	if (rc == TFL_ENOTFOUND)
		memset(&st, 0, sizeof(st));
	else if (rc != 0)
		goto out;
	if (!reversible(tfl_entry_type(t))) {
		rc = tfl_err_set(err, TFL_ERULE, "reverses %llu: a %s entry "
		    "cannot be reversed", (unsigned long long)target,
		    tfl_entry_type_name(tfl_entry_type(t)));
	} else if (st.flags & (ST_REVERSED | ST_PENDING)) {
		rc = tfl_err_set(err, TFL_ERULE, "reverses %llu: %s",
		    (unsigned long long)target, st.flags & ST_REVERSED ?
		    "already reversed" : "not in effect (awaits approval)");
	} else {
		b.sign = -1;
		rc = tfl__fund_effect(&b, t, err);
		st.type = tfl_entry_type(t);
		st.flags |= ST_REVERSED;
		st.by = a->by_seq;
		if (rc == 0 && !a->dry)
			rc = tfl__status_put(a->kv, target, &st, err);
	}
out:
	tfl_entry_free(t);
	return rc;
}

static int
reversal_effect(struct tfl__apply *a, tfl_err *err)
{
	uint64_t target;
	const char *v = tfl_entry_get(a->e, "reverses");

	tfl__parse_u64(&target, v, strlen(v));
	return undo_target(a, target, err);
}

/* The last closed date, or -1 when no period was closed. */
static int
closed_through(int64_t *out, tfl_kv *kv, tfl_err *err)
{
	int rc = tfl__kv_get_fixed(kv, "period", out, sizeof(*out), err);

	if (rc == TFL_ENOTFOUND) {
		*out = -1;
		return 0;
	}
	return rc;
}

int
tfl__fund_check_date(tfl_kv *kv, int64_t date, const char *what,
    tfl_err *err)
{
	char buf[16];
	int64_t closed;
	int rc;

	if ((rc = closed_through(&closed, kv, err)) != 0)
		return rc;
	if (date > closed)
		return 0;
	tfl_date_format(buf, closed);
	return tfl_err_set(err, TFL_ERULE, "%s: the period through %s is "
	    "closed", what, buf);
}

/*
 * 1 when the key named name is approver's key (by public key, so that no
 * second name for one key slips through), 0 when not, or a status.
 */
static int
same_key(tfl_kv *kv, const char *name, const tfl_fund_key *approver,
    tfl_err *err)
{
	tfl_fund_key k;
	int rc;

	if (strcmp(name, approver->verifier.name) == 0)
		return 1;
	rc = tfl_fund_key_get(&k, kv, name, err);
	if (rc == TFL_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	return memcmp(k.verifier.pub, approver->verifier.pub,
	    sizeof(k.verifier.pub)) == 0;
}

static int
approval_apply(struct tfl__apply *a, tfl_err *err)
{
	const char *v = tfl_entry_get(a->e, "approves");
	char signer[TFL_KEY_NAME_MAX + 1], what[64];
	struct tfl__status st;
	struct tfl__apply b = *a;
	tfl_entry *t = NULL;
	uint64_t target;
	int rc;

	tfl__parse_u64(&target, v, strlen(v));
	rc = tfl__status_get(&st, a->kv, target, err);
	if (rc == TFL_ENOTFOUND || (rc == 0 && !(st.flags & ST_PENDING)))
		return tfl_err_set(err, TFL_ERULE, "approves %llu: no entry "
		    "awaits approval there", (unsigned long long)target);
	if (rc != 0 || (rc = tfl__load_entry(&t, signer, sizeof(signer), a->kv,
	    target, err)) != 0)
		return rc;
	snprintf(what, sizeof(what), "approves %llu",
	    (unsigned long long)target);
	if ((rc = same_key(a->kv, signer, a->signer, err)) > 0)
		rc = tfl_err_set(err, TFL_ERULE, "approves %llu: the key that "
		    "signed an entry cannot approve it",
		    (unsigned long long)target);
	else if (rc == 0)
		rc = tfl__fund_check_date(a->kv, tfl__value_date(t), what, err);
	if (rc == 0) {
		b.date = tfl__value_date(t);
		rc = tfl__fund_effect(&b, t, err);
	}
	tfl_entry_free(t);
	if (rc != 0 || a->dry)
		return rc;
	st.flags = (st.flags & ~ST_PENDING) | ST_APPROVED;
	st.by = a->by_seq;
	if ((rc = tfl__status_put(a->kv, target, &st, err)) != 0)
		return rc;
	return pending_edit(a->kv, target, 0, err);
}

int
tfl__fund_control_apply(struct tfl__apply *a, tfl_err *err)
{
	switch (tfl_entry_type(a->e)) {
	case TFL_ENTRY_POLICY:
		return a->dry ? 0 : policy_apply(a, err);
	case TFL_ENTRY_APPROVAL:
		return approval_apply(a, err);
	case TFL_ENTRY_REVERSAL:
		return reversal_effect(a, err);
	case TFL_ENTRY_PERIOD_CLOSE:
		return a->dry ? 0 : period_apply(a, err);
	case TFL_ENTRY_KEY_ENROLL:
	case TFL_ENTRY_KEY_REVOKE:
		return tfl__fund_keys_apply(a, err);
	default:
		return tfl_err_set(err, TFL_ERULE, "%s: not a control entry",
		    tfl_entry_type_name(tfl_entry_type(a->e)));
	}
}

int
tfl__fund_record_pending(struct tfl__apply *a, tfl_err *err)
{
	struct tfl__status st;
	struct tfl__apply b = *a;
	int rc;

	b.dry = 1;
	if ((rc = tfl__fund_effect(&b, a->e, err)) != 0 ||
	    (tfl_entry_type(a->e) == TFL_ENTRY_GRANT &&
	    (rc = tfl__grant_reserve(a, err)) != 0))
		return rc;
	memset(&st, 0, sizeof(st));
	st.type = tfl_entry_type(a->e);
	st.flags = ST_PENDING;
	snprintf(st.signer, sizeof(st.signer), "%s", a->signer->verifier.name);
	if ((rc = tfl__status_put(a->kv, tfl_entry_seq(a->e), &st, err)) != 0)
		return rc;
	return pending_edit(a->kv, tfl_entry_seq(a->e), 1, err);
}
