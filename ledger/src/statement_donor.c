/*
 * statement_donor.c - a donor's contributions, computed from its entries
 * alone, in the order they took effect (a reversal when its approval
 * comes), with the cumulative clearing of pledges of docs/FUND.md: so
 * every receipt's and write-down's share of the receivable, and every
 * figure as of a date, is the books' to the cent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statement_internal.h"

/* clang-format off */
enum { K_PLEDGED, K_RECEIVED, K_REFUNDED, K_WRITTEN, K_FX };
enum { L_PLEDGE, L_RECEIPT, L_REFUND, L_WRITEDOWN, L_NTYPES };
/* clang-format on */

/* What a line needs besides what the statement shows. */
struct lst {
	int live;	 /* in effect now (in seq order) */
	int64_t cleared; /* pledge: original units cleared; receipt: refunded */
	int64_t settled; /* pledge: receivable cleared (base) */
	int64_t opening; /* pledge: receivable before the period */
	size_t link;	 /* the pledge or receipt a line names */
};

/* A reversal waiting for its approval. */
struct rev {
	struct tfl__stmt_entry *x;
	int ltype;
	size_t line;
	int approved;
};

struct dctx {
	tfl_statement *s;
	struct lst *st[L_NTYPES];
	size_t n[L_NTYPES];
	struct rev *revs;
	size_t nrevs;
	int overflow;
	tfl_err *err;
};

static int fail(tfl_err *err, const struct tfl__stmt_entry *x,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A verification failure at x's seq. */
static int
fail(tfl_err *err, const struct tfl__stmt_entry *x, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tfl_err_set(err, TFL_EVERIFY, "seq %llu: %s",
	    (unsigned long long)x->seq, what);
}

static void
add(struct dctx *c, int64_t *field, int64_t d)
{
	if (__builtin_add_overflow(*field, d, field))
		c->overflow = 1;
}

static void
tot_add(struct dctx *c, tfl_statement_totals *t, int kind, int64_t v)
{
	int64_t *f[] = { &t->pledged, &t->received, &t->refunded,
		&t->written_down, &t->fx };

	add(c, f[kind], v);
}

/* The period's movements in currency code, kept sorted by code. */
static tfl_statement_currency *
currency_of(struct dctx *c, const char *code)
{
	tfl_statement *s = c->s;
	size_t i;

	for (i = 0; i < s->ncurrencies; i++) {
		if (strcmp(s->currencies[i].currency, code) == 0)
			return &s->currencies[i];
		if (strcmp(s->currencies[i].currency, code) > 0)
			break;
	}
	memmove(&s->currencies[i + 1], &s->currencies[i],
	    (s->ncurrencies - i) * sizeof(s->currencies[0]));
	s->ncurrencies++;
	memset(&s->currencies[i], 0, sizeof(s->currencies[0]));
	memcpy(s->currencies[i].currency, code, 4);
	return &s->currencies[i];
}

/* A movement of kind dated date: base units, and amount in code. */
static void
move(struct dctx *c, int kind, int64_t date, int64_t base, const char *code,
    int64_t amount)
{
	tfl_statement *s = c->s;
	tfl_statement_currency *cur;

	if (date > s->to)
		return;
	tot_add(c, &s->to_date, kind, base);
	if (date < s->from)
		return;
	tot_add(c, &s->period, kind, base);
	cur = currency_of(c, code);
	tot_add(c, &cur->amount, kind, amount);
	tot_add(c, &cur->base, kind, base);
}

/* A change of pledge i's receivable dated date. */
static void
receivable(struct dctx *c, size_t i, int64_t date, int64_t d)
{
	tfl_statement *s = c->s;

	if (date > s->to)
		return;
	add(c, &s->pledges[i].receivable, d);
	add(c, &s->receivable_closing, d);
	if (date < s->from) {
		add(c, &c->st[L_PLEDGE][i].opening, d);
		add(c, &s->receivable_opening, d);
	}
}

/* Money into or out of a pool, dated date. */
static void
pool(struct dctx *c, const char *earmark, int64_t date, int64_t received,
    int64_t refunded)
{
	tfl_statement *s = c->s;
	size_t i;

	if (date > s->to)
		return;
	for (i = 0; i < s->npools; i++)
		if (strcmp(s->pools[i].earmark, earmark) == 0)
			break;
	if (i == s->npools) {
		memset(&s->pools[i], 0, sizeof(s->pools[i]));
		snprintf(s->pools[i].earmark, sizeof(s->pools[i].earmark),
		    "%s", earmark);
		s->npools++;
	}
	add(c, &s->pools[i].received, received);
	add(c, &s->pools[i].refunded, refunded);
}

/*
 * Clear amount (original units, signed) of pledge i; *share is the
 * receivable it clears, computed on the cumulative amount cleared, and
 * given back when undoing.
 */
static int
clear(struct dctx *c, int64_t *share, size_t i, int64_t amount,
    const struct tfl__stmt_entry *x)
{
	struct lst *p = &c->st[L_PLEDGE][i];
	const tfl_statement_pledge *pl = &c->s->pledges[i];
	int64_t after = p->cleared + amount;

	if (after > pl->amount || after < 0)
		return fail(c->err, x, "more than pledge \"%s\" has "
		    "outstanding", pl->ref);
	if (amount > 0 && tfl_money_muldiv(share, pl->base, after, pl->amount,
	    NULL) != 0)
		return fail(c->err, x, "amount overflow");
	if (amount > 0)
		*share -= p->settled;
	p->cleared = after;
	p->settled += amount > 0 ? *share : -*share;
	return 0;
}

int
tfl__statement_amount(int64_t *out, const char *text, const char *code,
    tfl_err *err)
{
	const tfl_currency *cur;
	char buf[48];

	if (text == NULL || code == NULL ||
	    tfl_currency_find(&cur, code, err) != 0 ||
	    tfl_money_parse(out, text, cur, TFL_MONEY_POSITIVE, err) != 0)
		return TFL_EINVAL;
	tfl_money_format(buf, sizeof(buf), *out, cur);
	if (strcmp(buf, text) != 0)
		return tfl_err_set(err, TFL_EINVAL, "amount \"%s\": not "
		    "canonical for %s", text, code);
	return 0;
}

/* currency, amount, rate and base-amount of x, checked against the rate. */
static int
read_money(struct dctx *c, const struct tfl__stmt_entry *x, char *code,
    char *rate, int64_t *amount, int64_t *base)
{
	const char *cur = tfl_entry_get(x->e, "currency");
	const char *r = tfl_entry_get(x->e, "rate");
	const tfl_currency *cc;
	tfl_rate q;
	int64_t want;

	if (tfl__statement_amount(amount, tfl_entry_get(x->e, "amount"), cur,
	    c->err) != 0 ||
	    tfl__statement_amount(base, tfl_entry_get(x->e, "base-amount"),
	    c->s->currency.code, c->err) != 0)
		return fail(c->err, x, "bad amount: %s", c->err->msg);
	snprintf(code, 4, "%s", cur);
	snprintf(rate, TFL_STATEMENT_RATE_MAX, "%s", r != NULL ? r : "");
	want = *amount;
	if ((strcmp(cur, c->s->currency.code) == 0) != (r == NULL))
		return fail(c->err, x, "a rate must be given for a currency "
		    "other than the base, and only then");
	if (r != NULL && (tfl_currency_find(&cc, cur, NULL) != 0 ||
	    tfl_rate_parse(&q, r, NULL) != 0 ||
	    tfl_money_convert(&want, *amount, cc, &q, &c->s->currency,
	    NULL) != 0))
		return fail(c->err, x, "rate \"%s\" is not usable", r);
	if (want != *base)
		return fail(c->err, x, "base-amount %s is not the amount at "
		    "the rate", tfl_entry_get(x->e, "base-amount"));
	return 0;
}

static int64_t
date_of(const struct tfl__stmt_entry *x)
{
	int64_t d;

	if (tfl_date_parse(&d, tfl_entry_get(x->e, "date"), NULL) != 0)
		return 0;
	return d;
}

/* The line of type t in effect whose ref (or field f) is ref. */
static int
find_live(const struct dctx *c, int t, const char *ref, size_t *out)
{
	const tfl_statement *s = c->s;
	const char *r;
	size_t i;

	for (i = 0; i < c->n[t]; i++) {
		if (!c->st[t][i].live)
			continue;
		r = t == L_PLEDGE ? s->pledges[i].ref : t == L_RECEIPT ?
		    s->receipts[i].ref : s->refunds[i].ref;
		if (strcmp(r, ref) == 0) {
			*out = i;
			return 1;
		}
	}
	return 0;
}

static int
own(struct dctx *c, const struct tfl__stmt_entry *x)
{
	const char *d = tfl_entry_get(x->e, "donor");

	if (d == NULL || strcmp(d, c->s->donor) != 0)
		return fail(c->err, x, "an entry of donor \"%s\", not of "
		    "\"%s\"", d != NULL ? d : "", c->s->donor);
	return 0;
}

static void
pledge_effect(struct dctx *c, size_t i, int sign, int64_t date)
{
	tfl_statement_pledge *p = &c->s->pledges[i];

	move(c, K_PLEDGED, date, sign * p->base, p->currency,
	    sign * p->amount);
	receivable(c, i, date, sign * p->base);
}

static int
on_pledge(struct dctx *c, const struct tfl__stmt_entry *x)
{
	size_t i = c->n[L_PLEDGE], j;
	tfl_statement_pledge *p = &c->s->pledges[i];
	const char *v;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = own(c, x)) != 0 ||
	    (rc = read_money(c, x, p->currency, p->rate, &p->amount,
	    &p->base)) != 0)
		return rc;
	if (find_live(c, L_PLEDGE, tfl_entry_get(x->e, "ref"), &j))
		return fail(c->err, x, "pledge \"%s\" is recorded twice",
		    tfl_entry_get(x->e, "ref"));
	p->seq = x->seq;
	p->date = date_of(x);
	p->due = -1;
	if ((v = tfl_entry_get(x->e, "due")) != NULL)
		tfl_date_parse(&p->due, v, NULL);
	snprintf(p->ref, sizeof(p->ref), "%s", tfl_entry_get(x->e, "ref"));
	v = tfl_entry_get(x->e, "earmark");
	snprintf(p->earmark, sizeof(p->earmark), "%s", v != NULL ? v : "");
	c->st[L_PLEDGE][i].live = 1;
	c->n[L_PLEDGE]++;
	pledge_effect(c, i, 1, p->date);
	return 0;
}

/* A write-down's effect with sign, dated date (share given when undoing). */
static int
writedown_effect(struct dctx *c, size_t i, int sign, int64_t date,
    const struct tfl__stmt_entry *x)
{
	tfl_statement_writedown *w = &c->s->writedowns[i];
	size_t pi = c->st[L_WRITEDOWN][i].link;
	int64_t share = w->base;
	int rc;

	if ((rc = clear(c, &share, pi, sign * w->amount, x)) != 0)
		return rc;
	w->base = share;
	move(c, K_WRITTEN, date, sign * share, w->currency, sign * w->amount);
	receivable(c, pi, date, -sign * share);
	if (date <= c->s->to)
		add(c, &c->s->pledges[pi].written_down, sign * w->amount);
	return 0;
}

static int
on_writedown(struct dctx *c, const struct tfl__stmt_entry *x)
{
	size_t i = c->n[L_WRITEDOWN], pi;
	tfl_statement_writedown *w = &c->s->writedowns[i];
	const char *ref = tfl_entry_get(x->e, "pledge");
	int rc;

	memset(w, 0, sizeof(*w));
	if (!find_live(c, L_PLEDGE, ref, &pi))
		return fail(c->err, x, "writes down pledge \"%s\", which is "
		    "not one of donor \"%s\"'s in the statement", ref,
		    c->s->donor);
	memcpy(w->currency, c->s->pledges[pi].currency, 4);
	if (tfl__statement_amount(&w->amount, tfl_entry_get(x->e, "amount"),
	    w->currency, c->err) != 0)
		return fail(c->err, x, "bad amount: %s", c->err->msg);
	w->seq = x->seq;
	w->date = date_of(x);
	snprintf(w->pledge, sizeof(w->pledge), "%s", ref);
	snprintf(w->reason, sizeof(w->reason), "%s",
	    tfl_entry_get(x->e, "reason"));
	c->st[L_WRITEDOWN][i].link = pi;
	c->st[L_WRITEDOWN][i].live = 1;
	c->n[L_WRITEDOWN]++;
	if ((rc = writedown_effect(c, i, 1, w->date, x)) != 0)
		return rc;
	return 0;
}

static int
receipt_effect(struct dctx *c, size_t i, int sign, int64_t date,
    const struct tfl__stmt_entry *x)
{
	tfl_statement_receipt *r = &c->s->receipts[i];
	size_t pi = c->st[L_RECEIPT][i].link;
	int64_t share = r->cleared;
	int rc;

	move(c, K_RECEIVED, date, sign * r->base, r->currency,
	    sign * r->amount);
	pool(c, r->earmark, date, sign * r->base, 0);
	if (r->pledge[0] == '\0')
		return 0;
	if ((rc = clear(c, &share, pi, sign * r->amount, x)) != 0)
		return rc;
	r->cleared = share;
	receivable(c, pi, date, -sign * share);
	move(c, K_FX, date, sign * (r->base - share), r->currency, 0);
	if (date <= c->s->to)
		add(c, &c->s->pledges[pi].received, sign * r->amount);
	return 0;
}

/* The pledge a receipt names: the donor's, in its currency; its pool. */
static int
receipt_pledge(struct dctx *c, const struct tfl__stmt_entry *x, size_t i)
{
	tfl_statement_receipt *r = &c->s->receipts[i];
	const char *ref = tfl_entry_get(x->e, "pledge");
	const char *mark = tfl_entry_get(x->e, "earmark");
	size_t pi;

	snprintf(r->earmark, sizeof(r->earmark), "%s", mark ? mark : "");
	if (ref == NULL)
		return 0;
	if (!find_live(c, L_PLEDGE, ref, &pi))
		return fail(c->err, x, "names pledge \"%s\", which is not one "
		    "of donor \"%s\"'s in the statement", ref, c->s->donor);
	if (strcmp(c->s->pledges[pi].currency, r->currency) != 0 ||
	    (mark != NULL && strcmp(mark, c->s->pledges[pi].earmark) != 0))
		return fail(c->err, x, "does not match pledge \"%s\"", ref);
	snprintf(r->pledge, sizeof(r->pledge), "%s", ref);
	snprintf(r->earmark, sizeof(r->earmark), "%s",
	    c->s->pledges[pi].earmark);
	c->st[L_RECEIPT][i].link = pi;
	return 0;
}

static int
on_receipt(struct dctx *c, const struct tfl__stmt_entry *x)
{
	size_t i = c->n[L_RECEIPT], j;
	tfl_statement_receipt *r = &c->s->receipts[i];
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = own(c, x)) != 0 ||
	    (rc = read_money(c, x, r->currency, r->rate, &r->amount,
	    &r->base)) != 0 ||
	    (rc = receipt_pledge(c, x, i)) != 0)
		return rc;
	if (find_live(c, L_RECEIPT, tfl_entry_get(x->e, "ref"), &j))
		return fail(c->err, x, "receipt \"%s\" is recorded twice",
		    tfl_entry_get(x->e, "ref"));
	r->seq = x->seq;
	r->date = date_of(x);
	snprintf(r->ref, sizeof(r->ref), "%s", tfl_entry_get(x->e, "ref"));
	c->st[L_RECEIPT][i].live = 1;
	c->n[L_RECEIPT]++;
	return receipt_effect(c, i, 1, r->date, x);
}

static int
refund_effect(struct dctx *c, size_t i, int sign, int64_t date,
    const struct tfl__stmt_entry *x)
{
	tfl_statement_refund *f = &c->s->refunds[i];
	size_t ri = c->st[L_REFUND][i].link;
	tfl_statement_receipt *r = &c->s->receipts[ri];
	struct lst *rs = &c->st[L_RECEIPT][ri];

	rs->cleared += sign * f->amount;
	if (rs->cleared > r->amount)
		return fail(c->err, x, "refunds more than receipt \"%s\" "
		    "left", r->ref);
	move(c, K_REFUNDED, date, sign * f->base, f->currency,
	    sign * f->amount);
	pool(c, r->earmark, date, 0, sign * f->base);
	if (date <= c->s->to)
		add(c, &r->refunded, sign * f->amount);
	return 0;
}

static int
on_refund(struct dctx *c, const struct tfl__stmt_entry *x)
{
	size_t i = c->n[L_REFUND], ri, j;
	tfl_statement_refund *f = &c->s->refunds[i];
	const char *ref = tfl_entry_get(x->e, "receipt");
	const char *why = tfl_entry_get(x->e, "reason");
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = own(c, x)) != 0 ||
	    (rc = read_money(c, x, f->currency, f->rate, &f->amount,
	    &f->base)) != 0)
		return rc;
	if (!find_live(c, L_RECEIPT, ref, &ri) ||
	    strcmp(c->s->receipts[ri].currency, f->currency) != 0)
		return fail(c->err, x, "refunds receipt \"%s\", which is not "
		    "one of donor \"%s\"'s in the statement", ref, c->s->donor);
	if (find_live(c, L_REFUND, tfl_entry_get(x->e, "ref"), &j))
		return fail(c->err, x, "refund \"%s\" is recorded twice",
		    tfl_entry_get(x->e, "ref"));
	f->seq = x->seq;
	f->date = date_of(x);
	snprintf(f->ref, sizeof(f->ref), "%s", tfl_entry_get(x->e, "ref"));
	snprintf(f->receipt, sizeof(f->receipt), "%s", ref);
	snprintf(f->reason, sizeof(f->reason), "%s", why ? why : "");
	c->st[L_REFUND][i].link = ri;
	c->st[L_REFUND][i].live = 1;
	c->n[L_REFUND]++;
	return refund_effect(c, i, 1, f->date, x);
}

/* The seq of line i of type t. */
static uint64_t
seq_of(const tfl_statement *s, int t, size_t i)
{
	switch (t) {
	case L_PLEDGE:
		return s->pledges[i].seq;
	case L_RECEIPT:
		return s->receipts[i].seq;
	case L_REFUND:
		return s->refunds[i].seq;
	default:
		return s->writedowns[i].seq;
	}
}

/* The line whose entry is seq: its type and index. */
static int
line_of(const struct dctx *c, uint64_t seq, int *t, size_t *i)
{
	int k;

	for (k = 0; k < L_NTYPES; k++)
		for (*i = 0; *i < c->n[k]; (*i)++)
			if (seq_of(c->s, k, *i) == seq) {
				*t = k;
				return 1;
			}
	return 0;
}

static int
on_reversal(struct dctx *c, struct tfl__stmt_entry *x)
{
	const char *v = tfl_entry_get(x->e, "reverses");
	uint64_t target;
	struct rev *r = &c->revs[c->nrevs];

	if (tfl__parse_u64(&target, v, strlen(v)) != 0 ||
	    !line_of(c, target, &r->ltype, &r->line))
		return fail(c->err, x, "reverses seq %s, which is not a "
		    "money entry of donor \"%s\" in the statement", v,
		    c->s->donor);
	r->x = x;
	r->approved = 0;
	c->nrevs++;
	return 0;
}

/* Where line (t, i) records its reversal. */
static tfl_statement_reversal *
reversal_of(tfl_statement *s, int t, size_t i)
{
	switch (t) {
	case L_PLEDGE:
		return &s->pledges[i].reversal;
	case L_RECEIPT:
		return &s->receipts[i].reversal;
	case L_REFUND:
		return &s->refunds[i].reversal;
	default:
		return &s->writedowns[i].reversal;
	}
}

/* Undo the line r reverses, as of the reversal's date; record it. */
static int
undo(struct dctx *c, const struct rev *r, const struct tfl__stmt_entry *a)
{
	int64_t date = date_of(r->x);
	struct lst *st = &c->st[r->ltype][r->line];
	tfl_statement_reversal *rv;
	int rc = 0;

	/* A pledge with receipts, a receipt with refunds: not reversible. */
	if (!st->live || ((r->ltype == L_PLEDGE || r->ltype == L_RECEIPT) &&
	    st->cleared != 0))
		return fail(c->err, a, "brings into effect the reversal of "
		    "an entry not in effect or with later entries on it");
	st->live = 0;
	if (r->ltype == L_PLEDGE)
		pledge_effect(c, r->line, -1, date);
	else if (r->ltype == L_RECEIPT)
		rc = receipt_effect(c, r->line, -1, date, a);
	else if (r->ltype == L_REFUND)
		rc = refund_effect(c, r->line, -1, date, a);
	else
		rc = writedown_effect(c, r->line, -1, date, a);
	if (rc != 0 || date > c->s->to)
		return rc;
	rv = reversal_of(c->s, r->ltype, r->line);
	rv->seq = r->x->seq;
	rv->approved_by = a->seq;
	rv->date = date;
	return 0;
}

static int
on_approval(struct dctx *c, struct tfl__stmt_entry *x)
{
	const char *v = tfl_entry_get(x->e, "approves");
	uint64_t target;
	size_t i;
	int rc;

	if (tfl__parse_u64(&target, v, strlen(v)) != 0)
		target = UINT64_MAX;
	for (i = 0; i < c->nrevs && c->revs[i].x->seq != target; i++)
		;
	if (i == c->nrevs || c->revs[i].approved)
		return fail(c->err, x, "approves seq %s, which is not a "
		    "reversal awaiting approval in the statement", v);
	if (strcmp(x->signer, c->revs[i].x->signer) == 0)
		return fail(c->err, x, "approved by \"%s\", the key that "
		    "signed the reversal", x->signer);
	if ((rc = undo(c, &c->revs[i], x)) != 0)
		return rc;
	c->revs[i].approved = 1;
	c->revs[i].x->used = 1;
	return 0;
}

static int
on_donor(struct dctx *c, const struct tfl__stmt_entry *x)
{
	tfl_statement *s = c->s;
	const char *id = tfl_entry_get(x->e, "id");
	const char *cc = tfl_entry_get(x->e, "country");

	if (strcmp(id, s->donor) != 0)
		return fail(c->err, x, "the record of donor \"%s\", not of "
		    "\"%s\"", id, s->donor);
	s->anonymous = strcmp(tfl_entry_get(x->e, "anonymous"), "yes") == 0;
	snprintf(s->donor_name, sizeof(s->donor_name), "%s", s->anonymous ?
	    TFL_STATEMENT_ANONYMOUS : tfl_entry_get(x->e, "name"));
	snprintf(s->donor_kind, sizeof(s->donor_kind), "%s", s->anonymous ?
	    "" : tfl_entry_get(x->e, "kind"));
	snprintf(s->donor_country, sizeof(s->donor_country), "%s",
	    s->anonymous || cc == NULL ? "" : cc);
	return 0;
}

static int
on_entry(struct dctx *c, struct tfl__stmt_entry *x)
{
	int t = tfl_entry_type(x->e);

	/* A reversal counts once approved; keys are the caller's. */
	if (t != TFL_ENTRY_REVERSAL && t != TFL_ENTRY_GENESIS &&
	    t != TFL_ENTRY_KEY_ENROLL && t != TFL_ENTRY_KEY_REVOKE)
		x->used = 1;
	switch (t) {
	case TFL_ENTRY_GENESIS:
	case TFL_ENTRY_KEY_ENROLL:
	case TFL_ENTRY_KEY_REVOKE:
		return 0;
	case TFL_ENTRY_DONOR:
		return on_donor(c, x);
	case TFL_ENTRY_PLEDGE:
		return on_pledge(c, x);
	case TFL_ENTRY_PLEDGE_WRITEDOWN:
		return on_writedown(c, x);
	case TFL_ENTRY_RECEIPT:
		return on_receipt(c, x);
	case TFL_ENTRY_DONOR_REFUND:
		return on_refund(c, x);
	case TFL_ENTRY_REVERSAL:
		return on_reversal(c, x);
	case TFL_ENTRY_APPROVAL:
		return on_approval(c, x);
	default:
		return fail(c->err, x, "a %s entry has no place in a donor "
		    "statement", tfl_entry_type_name(t));
	}
}

/* Arrays sized by the number of entries of each type. */
static int
alloc(struct dctx *c, struct tfl__stmt_entry *entries, size_t n)
{
	tfl_statement *s = c->s;
	size_t k[L_NTYPES] = { 1, 1, 1, 1 }, i, t, nrev = 1;

	for (i = 0; i < n; i++) {
		t = (size_t)tfl_entry_type(entries[i].e);
		k[L_PLEDGE] += t == TFL_ENTRY_PLEDGE;
		k[L_RECEIPT] += t == TFL_ENTRY_RECEIPT;
		k[L_REFUND] += t == TFL_ENTRY_DONOR_REFUND;
		k[L_WRITEDOWN] += t == TFL_ENTRY_PLEDGE_WRITEDOWN;
		nrev += t == TFL_ENTRY_REVERSAL;
	}
	s->pledges = calloc(k[L_PLEDGE], sizeof(*s->pledges));
	s->receipts = calloc(k[L_RECEIPT], sizeof(*s->receipts));
	s->refunds = calloc(k[L_REFUND], sizeof(*s->refunds));
	s->writedowns = calloc(k[L_WRITEDOWN], sizeof(*s->writedowns));
	s->currencies = calloc(n + 1, sizeof(*s->currencies));
	s->pools = calloc(n + 1, sizeof(*s->pools));
	c->revs = calloc(nrev, sizeof(*c->revs));
	for (t = 0; t < L_NTYPES; t++)
		c->st[t] = calloc(k[t], sizeof(struct lst));
	for (t = 0; t < L_NTYPES; t++)
		if (c->st[t] == NULL)
			return TFL_ENOMEM;
	if (s->pledges == NULL || s->receipts == NULL || s->refunds == NULL ||
	    s->writedowns == NULL || s->currencies == NULL ||
	    s->pools == NULL || c->revs == NULL)
		return TFL_ENOMEM;
	return 0;
}

/* Does the period show a line dated date with reversal r? */
static int
shown(const tfl_statement *s, int64_t date,
    const tfl_statement_reversal *r)
{
	return date <= s->to && (date >= s->from ||
	    (r->seq != 0 && r->date >= s->from));
}

/* Keep the lines the period shows (pledges also while receivable). */
static void
keep_shown(struct dctx *c)
{
	tfl_statement *s = c->s;
	size_t i, k;

	for (i = k = 0; i < s->npledges; i++)
		if (shown(s, s->pledges[i].date, &s->pledges[i].reversal) ||
		    (s->pledges[i].date < s->from &&
		    c->st[L_PLEDGE][i].opening != 0))
			s->pledges[k++] = s->pledges[i];
	s->npledges = k;
	for (i = k = 0; i < s->nreceipts; i++)
		if (shown(s, s->receipts[i].date, &s->receipts[i].reversal))
			s->receipts[k++] = s->receipts[i];
	s->nreceipts = k;
	for (i = k = 0; i < s->nrefunds; i++)
		if (shown(s, s->refunds[i].date, &s->refunds[i].reversal))
			s->refunds[k++] = s->refunds[i];
	s->nrefunds = k;
	for (i = k = 0; i < s->nwritedowns; i++)
		if (shown(s, s->writedowns[i].date,
		    &s->writedowns[i].reversal))
			s->writedowns[k++] = s->writedowns[i];
	s->nwritedowns = k;
}

/* No reversal left waiting; a donor record; no overflow. */
static int
finish(struct dctx *c, int have_donor)
{
	size_t i;

	for (i = 0; i < c->nrevs; i++)
		if (!c->revs[i].approved)
			return fail(c->err, c->revs[i].x, "a reversal the "
			    "statement does not show approved");
	if (!have_donor)
		return tfl_err_set(c->err, TFL_EVERIFY, "no donor record of "
		    "\"%s\" among the entries", c->s->donor);
	if (c->overflow)
		return tfl_err_set(c->err, TFL_EVERIFY, "donor \"%s\": amount "
		    "overflow", c->s->donor);
	return 0;
}

int
tfl__statement_donor(tfl_statement *s, struct tfl__stmt_entry *entries,
    size_t n, tfl_err *err)
{
	struct dctx c;
	size_t i, t;
	int rc, have_donor = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.err = err;
	if (alloc(&c, entries, n) != 0) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		have_donor |= tfl_entry_type(entries[i].e) == TFL_ENTRY_DONOR;
		if ((rc = on_entry(&c, &entries[i])) != 0)
			goto out;
	}
	s->npledges = c.n[L_PLEDGE];
	s->nreceipts = c.n[L_RECEIPT];
	s->nrefunds = c.n[L_REFUND];
	s->nwritedowns = c.n[L_WRITEDOWN];
	if ((rc = finish(&c, have_donor)) != 0)
		goto out;
	keep_shown(&c);
out:
	for (t = 0; t < L_NTYPES; t++)
		free(c.st[t]);
	free(c.revs);
	return rc;
}

void
tfl__statement_donor_release(tfl_statement *s)
{
	free(s->pledges);
	free(s->receipts);
	free(s->refunds);
	free(s->writedowns);
	free(s->currencies);
	free(s->pools);
	s->pledges = NULL;
	s->receipts = NULL;
	s->refunds = NULL;
	s->writedowns = NULL;
	s->currencies = NULL;
	s->pools = NULL;
	s->npledges = s->nreceipts = s->nrefunds = s->nwritedowns = 0;
	s->ncurrencies = s->npools = 0;
}
