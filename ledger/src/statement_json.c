/*
 * statement_json.c - the JSON statement (docs/STATEMENT.md): its
 * members, its canonical bytes and the signature over them.
 *
 * Amounts are decimal strings in exactly their currency's decimals,
 * never JSON numbers; seqs, sizes and counts are integers.  Building
 * goes through put(), which notes any allocation failure, so that one
 * check at the end covers them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statement_internal.h"

/* Largest integer a JSON number holds exactly (IEEE double), RFC 8785. */
#define JSON_INT_MAX ((json_int_t)9007199254740991LL)

const char *const tfl__stmt_people[4] = { "women", "girls", "men", "boys" };
const char *const tfl__stmt_forms[3] = { "sexual", "labour", "other" };
const char *const tfl__stmt_services[9] = { "shelter", "medical",
	"psychosocial", "legal", "material", "education", "reunification",
	"repatriation", "reintegration" };

/* Build state: the first failure sticks. */
struct jb {
	int bad;
};

static void
put(struct jb *b, json_t *o, const char *key, json_t *v)
{
	if (v == NULL || o == NULL || json_object_set_new(o, key, v) != 0)
		b->bad = 1;
}

static void
push(struct jb *b, json_t *a, json_t *v)
{
	if (v == NULL || a == NULL || json_array_append_new(a, v) != 0)
		b->bad = 1;
}

void
tfl__statement_money(char buf[48], int64_t v, const char *code,
    const tfl_statement *s)
{
	const tfl_currency *cur = &s->currency;

	if (code != NULL && strcmp(code, s->currency.code) != 0 &&
	    tfl_currency_find(&cur, code, NULL) != 0) {
		snprintf(buf, 48, "?");
		return;
	}
	tfl_money_format(buf, 48, v, cur);
}

static void
put_money(struct jb *b, json_t *o, const char *key, int64_t v,
    const char *code, const tfl_statement *s)
{
	char buf[48];

	tfl__statement_money(buf, v, code, s);
	put(b, o, key, json_string(buf));
}

static void
put_date(struct jb *b, json_t *o, const char *key, int64_t days)
{
	char buf[16];

	tfl_date_format(buf, days);
	put(b, o, key, json_string(buf));
}

static void
put_int(struct jb *b, json_t *o, const char *key, int64_t v)
{
	put(b, o, key, json_integer((json_int_t)v));
}

/* An optional string member: left out when empty. */
static void
put_opt(struct jb *b, json_t *o, const char *key, const char *v)
{
	if (v[0] != '\0')
		put(b, o, key, json_string(v));
}

static void
put_reversal(struct jb *b, json_t *o, const tfl_statement_reversal *r)
{
	json_t *v;

	if (r->seq == 0)
		return;
	v = json_object();
	put_int(b, v, "seq", (int64_t)r->seq);
	put_int(b, v, "approved_by", (int64_t)r->approved_by);
	put_date(b, v, "date", r->date);
	put(b, o, "reversed", v);
}

/* seq, date, currency, amount, rate and base-amount of a line. */
static json_t *
line(struct jb *b, const tfl_statement *s, uint64_t seq, int64_t date,
    const char *code, int64_t amount, const char *rate, int64_t base)
{
	json_t *o = json_object();

	put_int(b, o, "seq", (int64_t)seq);
	put_date(b, o, "date", date);
	put(b, o, "currency", json_string(code));
	put_money(b, o, "amount", amount, code, s);
	if (rate != NULL)
		put_opt(b, o, "rate", rate);
	if (base >= 0)
		put_money(b, o, "base_amount", base, NULL, s);
	return o;
}

static json_t *
pledge_json(struct jb *b, const tfl_statement *s,
    const tfl_statement_pledge *p)
{
	json_t *o = line(b, s, p->seq, p->date, p->currency, p->amount,
	    p->rate, p->base);

	put(b, o, "ref", json_string(p->ref));
	put_opt(b, o, "earmark", p->earmark);
	if (p->due >= 0)
		put_date(b, o, "due", p->due);
	put_money(b, o, "received", p->received, p->currency, s);
	put_money(b, o, "written_down", p->written_down, p->currency, s);
	put_money(b, o, "outstanding", p->reversal.seq != 0 ? 0 :
	    p->amount - p->received - p->written_down, p->currency, s);
	put_money(b, o, "receivable", p->receivable, NULL, s);
	put_reversal(b, o, &p->reversal);
	return o;
}

static json_t *
receipt_json(struct jb *b, const tfl_statement *s,
    const tfl_statement_receipt *r)
{
	json_t *o = line(b, s, r->seq, r->date, r->currency, r->amount,
	    r->rate, r->base);

	put(b, o, "ref", json_string(r->ref));
	put_opt(b, o, "pledge", r->pledge);
	put_opt(b, o, "earmark", r->earmark);
	if (r->pledge[0] != '\0') {
		put_money(b, o, "receivable_cleared", r->cleared, NULL, s);
		put_money(b, o, "exchange_difference", r->base - r->cleared,
		    NULL, s);
	}
	put_money(b, o, "refunded", r->refunded, r->currency, s);
	put_reversal(b, o, &r->reversal);
	return o;
}

static json_t *
refund_json(struct jb *b, const tfl_statement *s,
    const tfl_statement_refund *f)
{
	json_t *o = line(b, s, f->seq, f->date, f->currency, f->amount,
	    f->rate, f->base);

	put(b, o, "ref", json_string(f->ref));
	put(b, o, "receipt", json_string(f->receipt));
	put_opt(b, o, "reason", f->reason);
	put_reversal(b, o, &f->reversal);
	return o;
}

static json_t *
writedown_json(struct jb *b, const tfl_statement *s,
    const tfl_statement_writedown *w)
{
	json_t *o = line(b, s, w->seq, w->date, w->currency, w->amount, NULL,
	    -1);

	put(b, o, "pledge", json_string(w->pledge));
	put_money(b, o, "receivable_cleared", w->base, NULL, s);
	put(b, o, "reason", json_string(w->reason));
	put_reversal(b, o, &w->reversal);
	return o;
}

/* Totals in code (NULL: base); fx only in the base currency. */
static json_t *
totals_json(struct jb *b, const tfl_statement *s,
    const tfl_statement_totals *t, const char *code)
{
	json_t *o = json_object();

	put_money(b, o, "pledged", t->pledged, code, s);
	put_money(b, o, "received", t->received, code, s);
	put_money(b, o, "refunded", t->refunded, code, s);
	put_money(b, o, "written_down", t->written_down, code, s);
	if (code == NULL)
		put_money(b, o, "exchange_differences", t->fx, NULL, s);
	return o;
}

static json_t *
by_currency_json(struct jb *b, const tfl_statement *s)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < s->ncurrencies; i++) {
		o = totals_json(b, s, &s->currencies[i].amount,
		    s->currencies[i].currency);
		put(b, o, "currency", json_string(s->currencies[i].currency));
		put(b, o, "base", totals_json(b, s, &s->currencies[i].base,
		    NULL));
		push(b, a, o);
	}
	return a;
}

static json_t *
by_earmark_json(struct jb *b, const tfl_statement *s)
{
	const tfl_statement_pool *p;
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < s->npools; i++) {
		p = &s->pools[i];
		o = json_object();
		put(b, o, "earmark", p->earmark[0] ? json_string(p->earmark) :
		    json_null());
		put_money(b, o, "received", p->received, NULL, s);
		put_money(b, o, "refunded", p->refunded, NULL, s);
		put_money(b, o, "net", p->received - p->refunded, NULL, s);
		push(b, a, o);
	}
	return a;
}

static json_t *
contributions_json(struct jb *b, const tfl_statement *s)
{
	json_t *o = json_object(), *a, *r;
	size_t i;

	put(b, o, "pledges", a = json_array());
	for (i = 0; i < s->npledges; i++)
		push(b, a, pledge_json(b, s, &s->pledges[i]));
	put(b, o, "receipts", a = json_array());
	for (i = 0; i < s->nreceipts; i++)
		push(b, a, receipt_json(b, s, &s->receipts[i]));
	put(b, o, "refunds", a = json_array());
	for (i = 0; i < s->nrefunds; i++)
		push(b, a, refund_json(b, s, &s->refunds[i]));
	put(b, o, "write_downs", a = json_array());
	for (i = 0; i < s->nwritedowns; i++)
		push(b, a, writedown_json(b, s, &s->writedowns[i]));
	put(b, o, "period", totals_json(b, s, &s->period, NULL));
	put(b, o, "to_date", totals_json(b, s, &s->to_date, NULL));
	r = json_object();
	put_money(b, r, "opening", s->receivable_opening, NULL, s);
	put_money(b, r, "closing", s->receivable_closing, NULL, s);
	put(b, o, "receivable", r);
	put(b, o, "by_currency", by_currency_json(b, s));
	put(b, o, "by_earmark", by_earmark_json(b, s));
	return o;
}

static json_t *
donor_json(struct jb *b, const tfl_statement *s)
{
	json_t *o = json_object();

	put(b, o, "id", json_string(s->donor));
	put(b, o, "name", json_string(s->donor_name));
	put(b, o, "anonymous", json_boolean(s->anonymous));
	put_opt(b, o, "kind", s->donor_kind);
	put_opt(b, o, "country", s->donor_country);
	return o;
}

void
tfl__statement_number(tfl_statement *s)
{
	char d[16];

	tfl_date_format(d, s->to);
	snprintf(s->number, sizeof(s->number), "%s-%.4s%.2s%.2s-%llu",
	    s->donor, d, d + 5, d + 8, (unsigned long long)s->size);
}

int
tfl__statement_checked_json(json_t *obj, const tfl_statement *s,
    tfl_err *err)
{
	struct jb b = { 0 };
	char root[2 * TFL_HASH_SIZE + 1];
	json_t *o;

	tfl__hex_encode(root, s->root, TFL_HASH_SIZE);
	put(&b, obj, "version", json_string(TFL_STATEMENT_VERSION));
	put(&b, obj, "number", json_string(s->number));
	o = json_object();
	put(&b, o, "name", json_string(s->fund));
	put(&b, o, "origin", json_string(s->origin));
	put(&b, o, "currency", json_string(s->currency.code));
	put(&b, o, "basis", json_string("accrual"));
	put(&b, obj, "fund", o);
	put(&b, obj, "donor", donor_json(&b, s));
	o = json_object();
	put_date(&b, o, "from", s->from);
	put_date(&b, o, "to", s->to);
	put(&b, obj, "period", o);
	o = json_object();
	put_int(&b, o, "size", (int64_t)s->size);
	put(&b, o, "root", json_string(root));
	put(&b, obj, "ledger", o);
	put(&b, obj, "contributions", contributions_json(&b, s));
	return b.bad ? tfl_err_set(err, TFL_ENOMEM, "out of memory") : 0;
}

static json_t *
grant_json(struct jb *b, const tfl_statement *s, const tfl_statement_grant *g)
{
	static const char *const status[] = { "pending approval", "active",
		"closed" };
	json_t *o = json_object();

	put(b, o, "id", json_string(g->id));
	put(b, o, "grantee", json_string(g->grantee));
	put(b, o, "ngo", json_string(g->grantee_name));
	put_opt(b, o, "country", g->country);
	put_opt(b, o, "cycle", g->cycle);
	put(b, o, "status", json_string(status[g->status]));
	put_date(b, o, "start", g->start);
	put_date(b, o, "end", g->end);
	put_money(b, o, "award", g->award, NULL, s);
	put_money(b, o, "deobligated", g->deobligated, NULL, s);
	put_money(b, o, "disbursed", g->disbursed, NULL, s);
	put_money(b, o, "spent", g->spent, NULL, s);
	put_money(b, o, "refunded", g->refunded, NULL, s);
	put_money(b, o, "attributed", g->attributed, NULL, s);
	return o;
}

static json_t *
use_json(struct jb *b, const tfl_statement *s)
{
	const tfl_statement_use *u;
	json_t *o = json_object(), *pools = json_array(), *p, *g;
	size_t i, k;

	for (i = 0; i < s->nuses; i++) {
		u = &s->uses[i];
		p = json_object();
		put(b, p, "earmark", u->earmark[0] ? json_string(u->earmark) :
		    json_null());
		put_money(b, p, "contributed", u->contributed, NULL, s);
		put_money(b, p, "grants", u->grants, NULL, s);
		put_money(b, p, "psc", u->psc, NULL, s);
		put_money(b, p, "committed", u->committed, NULL, s);
		put_money(b, p, "available", u->available, NULL, s);
		g = json_array();
		for (k = 0; k < u->ngrants; k++)
			push(b, g, grant_json(b, s,
			    &s->grants[u->first_grant + k]));
		put(b, p, "grants_funded", g);
		push(b, pools, p);
	}
	put(b, o, "pools", pools);
	return o;
}

static json_t *
position_json(struct jb *b, const tfl_statement *s,
    const tfl_statement_position *p)
{
	json_t *o = json_object();

	put_money(b, o, "cash", p->cash, NULL, s);
	put_money(b, o, "receivable", p->receivable, NULL, s);
	put_money(b, o, "advances", p->advances, NULL, s);
	put_money(b, o, "net_assets", p->cash + p->receivable + p->advances,
	    NULL, s);
	put_money(b, o, "committed", p->committed, NULL, s);
	put_money(b, o, "available", p->cash - p->committed, NULL, s);
	return o;
}

static json_t *
fund_json(struct jb *b, const tfl_statement *s)
{
	const tfl_statement_fund *f = &s->fund_figures;
	int64_t income = f->contributions - f->write_downs - f->donor_refunds +
	    f->interest + f->fx, spent = f->grant_expenditure + f->psc;
	json_t *o = json_object(), *i = json_object(), *e = json_object();

	put_money(b, i, "contributions", f->contributions, NULL, s);
	put_money(b, i, "write_downs", f->write_downs, NULL, s);
	put_money(b, i, "refunds_to_donors", f->donor_refunds, NULL, s);
	put_money(b, i, "interest", f->interest, NULL, s);
	put_money(b, i, "exchange_differences", f->fx, NULL, s);
	put_money(b, i, "total", income, NULL, s);
	put_money(b, e, "grants", f->grant_expenditure, NULL, s);
	put_money(b, e, "psc", f->psc, NULL, s);
	put_money(b, e, "total", spent, NULL, s);
	put(b, o, "income", i);
	put(b, o, "expenditure", e);
	put_money(b, o, "surplus", income - spent, NULL, s);
	put(b, o, "opening", position_json(b, s, &f->opening));
	put(b, o, "closing", position_json(b, s, &f->closing));
	return o;
}

static json_t *
results_json(struct jb *b, const tfl_statement *s)
{
	const tfl_statement_results *r = &s->results;
	json_t *o = json_object(), *p = json_object(), *a = json_object();
	json_t *f = json_object(), *v = json_object();
	size_t i;

	for (i = 0; i < 4; i++)
		put_int(b, p, tfl__stmt_people[i], r->people[i]);
	put_int(b, p, "total", r->people[0] + r->people[1] + r->people[2] +
	    r->people[3]);
	put_int(b, a, "adults", r->people[0] + r->people[2]);
	put_int(b, a, "children", r->people[1] + r->people[3]);
	for (i = 0; i < 3; i++)
		put_int(b, f, tfl__stmt_forms[i], r->forms[i]);
	for (i = 0; i < 9; i++)
		put_int(b, v, tfl__stmt_services[i], r->services[i]);
	put_int(b, o, "grants", (int64_t)r->grants);
	put(b, o, "people", p);
	put(b, o, "age_groups", a);
	put(b, o, "forms", f);
	put(b, o, "services", v);
	return o;
}

/* The rates of the lines shown, each (currency, rate, seq) once. */
static void
rates_json(struct jb *b, json_t *a, uint64_t seq, int64_t date,
    const char *code, const char *rate)
{
	json_t *o;

	if (rate[0] == '\0')
		return;
	o = json_object();
	put(b, o, "currency", json_string(code));
	put(b, o, "rate", json_string(rate));
	put_int(b, o, "seq", (int64_t)seq);
	put_date(b, o, "date", date);
	push(b, a, o);
}

/* clang-format off */
static const char method[] =
    "Per pool (the unearmarked pool and each earmark), the donor's net "
    "receipts to the period end are split pro rata over the pool's uses "
    "to that date: each grant's net disbursements (disbursed less refunded "
    "by the NGO), the PSC charged, money committed to awards not yet paid "
    "and money available. The split is by the largest-remainder method, so "
    "the parts add up to the cent. Earmarked money thus goes only to the "
    "grants that drew on its earmark.";
static const char rounding[] =
    "Amounts in other currencies are converted at the rate recorded with "
    "each entry (units of the currency per one unit of the base currency, "
    "the UN operational rate of exchange), rounded once, half to even, to "
    "the base currency's minor unit. A pledge's receivable is cleared on "
    "the cumulative amount received or written down, so a pledge paid in "
    "full clears exactly its base amount; the rest is an exchange "
    "difference.";
static const char results_note[] =
    "People assisted are the counts reported with the expenditure of the "
    "grants in section 3, whole grants, to the period end; women and men "
    "are adults, girls and boys children. Counts only: nothing identifies "
    "a person.";
static const char verification[] =
    "The JSON form of this statement is verifiable with nothing but the "
    "fund's published log key: `tfaudit verify-statement FILE --log-key "
    "VKEY` checks the checkpoint's signature, each entry's signature and "
    "its RFC 9162 inclusion proof against the checkpoint root, and "
    "recomputes every figure of the contributions section from the "
    "entries. Sections use, fund and results need the whole ledger: the "
    "statement's own signature (--signer) attests them. See "
    "docs/STATEMENT.md.";
/* clang-format on */

static json_t *
notes_json(struct jb *b, const tfl_statement *s)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;

	for (i = 0; i < s->npledges; i++)
		rates_json(b, a, s->pledges[i].seq, s->pledges[i].date,
		    s->pledges[i].currency, s->pledges[i].rate);
	for (i = 0; i < s->nreceipts; i++)
		rates_json(b, a, s->receipts[i].seq, s->receipts[i].date,
		    s->receipts[i].currency, s->receipts[i].rate);
	for (i = 0; i < s->nrefunds; i++)
		rates_json(b, a, s->refunds[i].seq, s->refunds[i].date,
		    s->refunds[i].currency, s->refunds[i].rate);
	put(b, o, "rates", a);
	put(b, o, "psc_rate", json_string(s->psc_rate));
	put(b, o, "rounding", json_string(rounding));
	put(b, o, "attribution", json_string(method));
	put(b, o, "results", json_string(results_note));
	put(b, o, "verification", json_string(verification));
	return o;
}

static json_t *
entries_json(struct jb *b, const tfl_statement *s)
{
	char hex[2 * TFL_HASH_SIZE + 1];
	json_t *a = json_array(), *o, *p;
	size_t i, k;

	for (i = 0; i < s->nentries; i++) {
		o = json_object();
		put_int(b, o, "seq", (int64_t)s->entries[i].seq);
		put(b, o, "note", json_stringn(s->entries[i].note,
		    s->entries[i].len));
		p = json_array();
		for (k = 0; k < s->entries[i].nproof; k++) {
			tfl__hex_encode(hex, s->entries[i].proof[k],
			    TFL_HASH_SIZE);
			push(b, p, json_string(hex));
		}
		put(b, o, "proof", p);
		push(b, a, o);
	}
	return a;
}

/* The whole document but its signature. */
static int
document(json_t **out, const tfl_statement *s, tfl_err *err)
{
	struct jb b = { 0 };
	json_t *o = json_object();
	int rc;

	if (o == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if ((rc = tfl__statement_checked_json(o, s, err)) != 0) {
		json_decref(o);
		return rc;
	}
	put(&b, o, "use", use_json(&b, s));
	put(&b, o, "fund_figures", fund_json(&b, s));
	put(&b, o, "results", results_json(&b, s));
	put(&b, o, "notes", notes_json(&b, s));
	put(&b, o, "checkpoint", json_stringn(s->checkpoint,
	    s->checkpoint_len));
	put(&b, o, "entries", entries_json(&b, s));
	if (b.bad) {
		json_decref(o);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	*out = o;
	return 0;
}

/* Only objects, arrays, strings, booleans, null and exact integers. */
static int
plain(const json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_real(j))
		return 0;
	if (json_is_integer(j))
		return json_integer_value(j) <= JSON_INT_MAX &&
		    json_integer_value(j) >= -JSON_INT_MAX;
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (!plain(v))
				return 0;
	}
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, v)
			if (!plain(v))
				return 0;
	}
	return 1;
}

int
tfl__statement_canonical_of(char **out, size_t *outlen, json_t *obj,
    tfl_err *err)
{
	json_t *copy;
	char *text;

	if (!json_is_object(obj) || !plain(obj))
		return tfl_err_set(err, TFL_EINVAL, "statement: not a JSON "
		    "object of strings, integers, booleans and null");
	if ((copy = json_copy(obj)) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	json_object_del(copy, "signature");
	text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	if (text == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	*out = text;
	*outlen = strlen(text);
	return 0;
}

int
tfl_statement_canonical(char **out, size_t *outlen, const char *json,
    size_t len, tfl_err *err)
{
	json_error_t jerr;
	json_t *j;
	int rc;

	j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		return tfl_err_set(err, TFL_EINVAL, "statement: line %d: %s",
		    jerr.line, jerr.text);
	rc = tfl__statement_canonical_of(out, outlen, j, err);
	json_decref(j);
	return rc;
}

/* Sign the canonical bytes of doc with key; put "signature" in doc. */
static int
sign(json_t *doc, const tfl_key *key, tfl_err *err)
{
	char *text = NULL, *note = NULL, *tmp;
	size_t len, notelen;
	int rc;

	if ((rc = tfl__statement_canonical_of(&text, &len, doc, err)) != 0)
		return rc;
	if ((tmp = realloc(text, len + 2)) == NULL) {
		free(text);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	text = tmp;
	memcpy(text + len, "\n", 2);
	rc = tfl_note_sign(&note, &notelen, text, len + 1, &key, 1, err);
	if (rc == 0 && json_object_set_new(doc, "signature",
	    json_string(note + len + 2)) != 0)
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
	free(text);
	free(note);
	return rc;
}

int
tfl_statement_json(char **out, size_t *outlen, const tfl_statement *s,
    const tfl_key *signer, tfl_err *err)
{
	json_t *doc = NULL;
	char *text, *tmp;
	size_t len;
	int rc;

	if ((rc = document(&doc, s, err)) != 0)
		return rc;
	if (signer != NULL && (rc = sign(doc, signer, err)) != 0)
		goto out;
	text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text == NULL || (tmp = realloc(text, (len = strlen(text)) +
	    2)) == NULL) {
		free(text);
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(tmp + len, "\n", 2);
	*out = tmp;
	*outlen = len + 1;
out:
	json_decref(doc);
	return rc;
}
