/*
 * fundreport_pdf.c - the fund report as A4 pages (pdf.h): the sections
 * of the text form as tables, each with a chart: contributions by
 * donor and by kind, awards by country and by purpose, expenditure,
 * and the people assisted by sex, age group, form of exploitation and
 * service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fundreport_internal.h"
#include "pdf.h"

#define TOP_DONORS 12 /* a chart shows these, then "all others" */

static const int L = TFL__PDF_LEFT, R = TFL__PDF_RIGHT;

/* Up to 16 cells of a row, money formatted in them. */
struct cells {
	char buf[16][TFL_ENTRY_TEXT_MAX + 64];
	const char *v[16];
};

static const char *
money(struct cells *c, int i, int64_t v, const tfl_fundreport *r)
{
	tfl__fr_money(c->buf[i], v, r, 1);
	c->v[i] = c->buf[i];
	return c->v[i];
}

static const char *
num(struct cells *c, int i, int64_t v)
{
	snprintf(c->buf[i], sizeof(c->buf[i]), "%lld", (long long)v);
	c->v[i] = c->buf[i];
	return c->v[i];
}

static const char *
text(struct cells *c, int i, const char *s)
{
	snprintf(c->buf[i], sizeof(c->buf[i]), "%s", s);
	c->v[i] = c->buf[i];
	return c->v[i];
}

static void
header(tfl__pdf *p, const tfl_fundreport *r)
{
	char f[16], t[16], root[2 * TFL_HASH_SIZE + 1];
	int64_t people = r->results.people[0] + r->results.people[1] +
	    r->results.people[2] + r->results.people[3];
	static const char *const heads[] = { "At a glance", "" };
	const int align[] = { L, R };
	struct cells c;

	tfl_date_format(f, r->from);
	tfl_date_format(t, r->to);
	tfl__hex_encode(root, r->root, TFL_HASH_SIZE);
	tfl__pdf_text(p, TFL__PDF_TITLE, r->fund);
	tfl__pdf_textf(p, TFL__PDF_BOLD, "Fund report, %s to %s", f, t);
	tfl__pdf_textf(p, TFL__PDF_SMALL, "Amounts in %s on the accrual "
	    "basis (IPSAS), by value date. Drawn from a full audit of the "
	    "%llu entries of ledger %s, whose Merkle root is %s.",
	    r->currency.code, (unsigned long long)r->size, r->origin, root);
	tfl__pdf_space(p, 6);
	tfl__pdf_table_begin(p, 2, heads, align);
	tfl__pdf_table_row(p, (const char *const[]){ "contributions "
	    "recognised", money(&c, 0, r->flows.contributions -
	    r->flows.write_downs - r->flows.donor_refunds, r) }, 0);
	tfl__pdf_table_row(p, (const char *const[]){ "grants awarded "
	    "(net of deobligations)", money(&c, 0, r->grants.awarded, r) },
	    0);
	tfl__pdf_table_row(p, (const char *const[]){ "grant expenditure and "
	    "PSC", money(&c, 0, r->flows.grant_expenditure + r->flows.psc,
	    r) }, 0);
	tfl__pdf_table_row(p, (const char *const[]){ "available for new "
	    "awards at the end", money(&c, 0, r->closing.cash -
	    r->closing.committed, r) }, 0);
	tfl__pdf_table_row(p, (const char *const[]){ "people assisted",
	    num(&c, 0, people) }, 0);
	tfl__pdf_table_end(p);
}

static void
donor_table(tfl__pdf *p, const tfl_fundreport *r)
{
	static const char *const heads[] = { "Donor", "Kind", "Recognised",
		"Received" };
	const int align[] = { L, L, R, R };
	const tfl_fundreport_donor *d;
	int64_t sum = 0, rec = 0;
	struct cells c;
	size_t i;

	tfl__pdf_table_begin(p, 4, heads, align);
	for (i = 0; i < r->ndonors; i++) {
		d = &r->donors[i];
		text(&c, 0, d->name);
		if (d->anonymous && d->donors > 1)
			snprintf(c.buf[0], sizeof(c.buf[0]), "%s (%zu donors)",
			    d->name, d->donors);
		text(&c, 1, d->anonymous ? "" : d->kind);
		money(&c, 2, d->contributions, r);
		money(&c, 3, d->received - d->refunded, r);
		tfl__pdf_table_row(p, c.v, 0);
		sum += d->contributions;
		rec += d->received - d->refunded;
	}
	text(&c, 0, "total");
	text(&c, 1, "");
	money(&c, 2, sum, r);
	money(&c, 3, rec, r);
	tfl__pdf_table_row(p, c.v, 1);
	tfl__pdf_table_end(p);
}

/* The chart of the largest donors, the rest in one bar. */
static void
donor_chart(tfl__pdf *p, const tfl_fundreport *r)
{
	tfl__pdf_item it[TOP_DONORS + 1];
	char vals[TOP_DONORS + 1][48], cap[96];
	int64_t rest = 0;
	size_t i, n = 0;

	for (i = 0; i < r->ndonors; i++) {
		if (n == TOP_DONORS) {
			rest += r->donors[i].contributions;
			continue;
		}
		tfl__fr_money(vals[n], r->donors[i].contributions, r, 1);
		it[n].label = r->donors[i].name;
		it[n].value = r->donors[i].contributions;
		it[n].text = vals[n];
		n++;
	}
	if (i > TOP_DONORS) {
		tfl__fr_money(vals[n], rest, r, 1);
		it[n].label = "all other donors";
		it[n].value = rest;
		it[n].text = vals[n];
		n++;
	}
	snprintf(cap, sizeof(cap), "Contributions recognised by donor (%s)",
	    r->currency.code);
	if (n > 0)
		tfl__pdf_bars(p, cap, it, n);
}

static void
kinds(tfl__pdf *p, const tfl_fundreport *r)
{
	static const char *const heads[] = { "Kind of donor", "Donors",
		"Recognised", "Received" };
	const int align[] = { L, R, R, R };
	tfl__pdf_item it[16];
	char vals[16][48];
	struct cells c;
	size_t i;

	tfl__pdf_table_begin(p, 4, heads, align);
	for (i = 0; i < r->nkinds; i++) {
		text(&c, 0, r->kinds[i].kind);
		num(&c, 1, (int64_t)r->kinds[i].donors);
		money(&c, 2, r->kinds[i].contributions, r);
		money(&c, 3, r->kinds[i].received, r);
		tfl__pdf_table_row(p, c.v, 0);
	}
	tfl__pdf_table_end(p);
	for (i = 0; i < r->nkinds && i < 16; i++) {
		tfl__fr_money(vals[i], r->kinds[i].contributions, r, 1);
		it[i].label = r->kinds[i].kind;
		it[i].value = r->kinds[i].contributions;
		it[i].text = vals[i];
	}
	if (r->nkinds > 0)
		tfl__pdf_stack(p, "Share of contributions by kind of donor", it,
		    i);
}

static void
contributions(tfl__pdf *p, const tfl_fundreport *r)
{
	tfl__pdf_textf(p, TFL__PDF_HEADING, "1. Contributions (%s)",
	    r->currency.code);
	if (r->ndonors == 0) {
		tfl__pdf_text(p, TFL__PDF_BODY, "No contributions in the "
		    "period.");
		return;
	}
	donor_table(p, r);
	donor_chart(p, r);
	kinds(p, r);
	tfl__pdf_text(p, TFL__PDF_SMALL, "Recognised: revenue on the accrual "
	    "basis (a pledge when its agreement is signed, a receipt "
	    "without a pledge when it arrives) less write-downs and "
	    "refunds. Received: cash less refunds to the donor. Anonymous "
	    "donors are shown together as \"" TFL_FUNDREPORT_ANONYMOUS "\", "
	    "never by name.");
}

/* A table of groups, and a chart of their awards by what (or none). */
static void
groups(tfl__pdf *p, const tfl_fundreport *r, const char *title,
    const tfl_fundreport_group *g, size_t n, const char *none,
    const char *what)
{
	const char *heads[] = { title, "Grants", "Awarded", "Disbursed",
		"Spent" };
	static const char *const empty[] = { "none in the period", "", "", "",
		"" };
	const int align[] = { L, R, R, R, R };
	tfl__pdf_item *it = NULL;
	char (*vals)[48] = NULL, cap[128];
	struct cells c;
	size_t i;

	tfl__pdf_table_begin(p, 5, heads, align);
	for (i = 0; i < n; i++) {
		text(&c, 0, g[i].key[0] != '\0' ? g[i].key : none);
		num(&c, 1, (int64_t)g[i].grants);
		money(&c, 2, g[i].awarded, r);
		money(&c, 3, g[i].disbursed, r);
		money(&c, 4, g[i].spent, r);
		tfl__pdf_table_row(p, c.v, 0);
	}
	if (n == 0)
		tfl__pdf_table_row(p, empty, 0);
	tfl__pdf_table_end(p);
	if (what == NULL || n == 0 ||
	    (it = calloc(n, sizeof(*it))) == NULL ||
	    (vals = calloc(n, sizeof(*vals))) == NULL)
		goto out; /* no chart: a PDF without it is still right */
	for (i = 0; i < n; i++) {
		tfl__fr_money(vals[i], g[i].awarded, r, 1);
		it[i].label = g[i].key[0] != '\0' ? g[i].key : none;
		it[i].value = g[i].awarded;
		it[i].text = vals[i];
	}
	snprintf(cap, sizeof(cap), "Awarded by %s (%s)", what,
	    r->currency.code);
	tfl__pdf_bars(p, cap, it, n);
out:
	free(it);
	free(vals);
}

static void
grants(tfl__pdf *p, const tfl_fundreport *r)
{
	static const char *const heads[] = { "All grants", "Grants",
		"Awarded", "Disbursed", "Spent" };
	const int align[] = { L, R, R, R, R };
	struct cells c;

	tfl__pdf_textf(p, TFL__PDF_HEADING, "2. Grants (%s)",
	    r->currency.code);
	groups(p, r, "By country", r->countries, r->ncountries,
	    "(not given)", "country");
	groups(p, r, "By purpose", r->purposes, r->npurposes, "(not given)",
	    "purpose");
	groups(p, r, "By cycle", r->cycles, r->ncycles, "(no cycle)", NULL);
	tfl__pdf_table_begin(p, 5, heads, align);
	text(&c, 0, "total");
	num(&c, 1, (int64_t)r->grants.grants);
	money(&c, 2, r->grants.awarded, r);
	money(&c, 3, r->grants.disbursed, r);
	money(&c, 4, r->grants.spent, r);
	tfl__pdf_table_row(p, c.v, 1);
	tfl__pdf_table_end(p);
	tfl__pdf_text(p, TFL__PDF_SMALL, "Grants that moved in the period. "
	    "Awarded: approved awards less deobligations; disbursed: "
	    "tranches paid less refunds from the NGO; spent: expenditure "
	    "the NGO reported. A grant with several purposes counts under "
	    "each, its amounts split equally between them.");
}

static void
row1(tfl__pdf *p, const char *name, int64_t v, const tfl_fundreport *r,
    int bold)
{
	struct cells c;

	text(&c, 0, name);
	money(&c, 1, v, r);
	tfl__pdf_table_row(p, c.v, bold);
}

static void
expenditure(tfl__pdf *p, const tfl_fundreport *r)
{
	const tfl_fundreport_flows *f = &r->flows;
	const char *heads[] = { "Expenditure", r->currency.code };
	const int align[] = { L, R };
	tfl__pdf_item it[2];
	char line[96], a[48], b[48];

	tfl__pdf_text(p, TFL__PDF_HEADING, "3. Expenditure");
	tfl__pdf_table_begin(p, 2, heads, align);
	row1(p, "grant expenditure reported by NGOs", f->grant_expenditure, r,
	    0);
	snprintf(line, sizeof(line), "programme support cost (PSC, %s%%)",
	    r->psc_rate);
	row1(p, line, f->psc, r, 0);
	row1(p, "total expenditure", f->grant_expenditure + f->psc, r, 1);
	tfl__pdf_table_end(p);
	tfl__fr_money(a, f->grant_expenditure, r, 1);
	tfl__fr_money(b, f->psc, r, 1);
	it[0] = (tfl__pdf_item){ "grants", f->grant_expenditure, a };
	it[1] = (tfl__pdf_item){ "programme support cost", f->psc, b };
	tfl__pdf_stack(p, "Expenditure by nature", it, 2);
}

static int64_t
net(const tfl_fundreport_position *p)
{
	return p->cash + p->receivable + p->advances;
}

static void
row2(tfl__pdf *p, const char *name, int64_t a, int64_t b,
    const tfl_fundreport *r, int bold)
{
	struct cells c;

	text(&c, 0, name);
	money(&c, 1, a, r);
	money(&c, 2, b, r);
	tfl__pdf_table_row(p, c.v, bold);
}

static void
balance(tfl__pdf *p, const tfl_fundreport *r)
{
	const tfl_fundreport_flows *f = &r->flows;
	const tfl_fundreport_position *a = &r->opening, *b = &r->closing;
	const char *h1[] = { "Movements", r->currency.code };
	const char *h2[] = { "Position", "Opening", "Closing" };
	const int align[] = { L, R, R };
	char from[16], to[16], line[64];

	tfl_date_format(from, r->from);
	tfl_date_format(to, r->to);
	tfl__pdf_text(p, TFL__PDF_HEADING, "4. Fund balance");
	tfl__pdf_table_begin(p, 2, h1, align);
	snprintf(line, sizeof(line), "opening net assets (before %s)", from);
	row1(p, line, net(a), r, 1);
	row1(p, "contributions recognised", f->contributions, r, 0);
	row1(p, "less write-downs of pledges", -f->write_downs, r, 0);
	row1(p, "less refunds to donors", -f->donor_refunds, r, 0);
	row1(p, "interest", f->interest, r, 0);
	row1(p, "exchange differences", f->fx, r, 0);
	row1(p, "less grant expenditure", -f->grant_expenditure, r, 0);
	row1(p, "less programme support cost", -f->psc, r, 0);
	snprintf(line, sizeof(line), "closing net assets (at %s)", to);
	row1(p, line, net(b), r, 1);
	tfl__pdf_table_end(p);
	tfl__pdf_table_begin(p, 3, h2, align);
	row2(p, "cash", a->cash, b->cash, r, 0);
	row2(p, "receivables (pledges due)", a->receivable, b->receivable, r,
	    0);
	row2(p, "advances to NGOs", a->advances, b->advances, r, 0);
	row2(p, "net assets", net(a), net(b), r, 1);
	row2(p, "committed to awards, not yet paid", a->committed,
	    b->committed, r, 0);
	row2(p, "available for new awards", a->cash - a->committed,
	    b->cash - b->committed, r, 1);
	tfl__pdf_table_end(p);
}

/* Items of counts: labels[i] and v[i], their texts in vals. */
static void
count_items(tfl__pdf_item *it, char (*vals)[24], const char *const *labels,
    const int64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(vals[i], sizeof(vals[i]), "%lld", (long long)v[i]);
		it[i] = (tfl__pdf_item){ labels[i], v[i], vals[i] };
	}
}

static void
people_table(tfl__pdf *p, const tfl_fundreport_results *s, int64_t total)
{
	static const char *const heads[] = { "People assisted", "Number" };
	static const char *const sex[] = { "women", "girls", "men", "boys" };
	const int align[] = { L, R };
	struct cells c;
	size_t k;

	tfl__pdf_table_begin(p, 2, heads, align);
	for (k = 0; k < 4; k++) {
		text(&c, 0, sex[k]);
		num(&c, 1, s->people[k]);
		tfl__pdf_table_row(p, c.v, 0);
	}
	text(&c, 0, "total");
	num(&c, 1, total);
	tfl__pdf_table_row(p, c.v, 1);
	text(&c, 0, "adults (women and men)");
	num(&c, 1, s->people[0] + s->people[2]);
	tfl__pdf_table_row(p, c.v, 0);
	text(&c, 0, "children (girls and boys)");
	num(&c, 1, s->people[1] + s->people[3]);
	tfl__pdf_table_row(p, c.v, 0);
	tfl__pdf_table_end(p);
}

static void
results(tfl__pdf *p, const tfl_fundreport *r)
{
	static const char *const sex[] = { "women", "girls", "men", "boys" };
	static const char *const age[] = { "adults", "children" };
	static const char *const form[] = { "sexual exploitation",
		"forced labour", "other forms", "not recorded" };
	const tfl_fundreport_results *s = &r->results;
	int64_t total = s->people[0] + s->people[1] + s->people[2] +
	    s->people[3];
	int64_t ages[2] = { s->people[0] + s->people[2],
		s->people[1] + s->people[3] };
	int64_t forms[4] = { s->forms[0], s->forms[1], s->forms[2],
		total - s->forms[0] - s->forms[1] - s->forms[2] };
	tfl__pdf_item it[TFL_FUNDREPORT_SERVICES];
	char vals[TFL_FUNDREPORT_SERVICES][24];

	tfl__pdf_text(p, TFL__PDF_HEADING, "5. People assisted");
	tfl__pdf_textf(p, TFL__PDF_BODY, "%zu expenditure reports from %zu "
	    "grants in the period.", s->reports, s->grants);
	people_table(p, s, total);
	count_items(it, vals, sex, s->people, 4);
	tfl__pdf_stack(p, "By sex", it, 4);
	count_items(it, vals, age, ages, 2);
	tfl__pdf_stack(p, "By age group", it, 2);
	count_items(it, vals, form, forms, 4);
	tfl__pdf_bars(p, "By form of exploitation", it, 4);
	count_items(it, vals, tfl__stmt_services, s->services,
	    TFL_FUNDREPORT_SERVICES);
	tfl__pdf_bars(p, "Services given", it, TFL_FUNDREPORT_SERVICES);
	tfl__pdf_text(p, TFL__PDF_SMALL, "Counts the NGOs reported with their "
	    "expenditure in the period (the categories of GA resolution "
	    "67/190's call for comparable data); nothing identifies a "
	    "person, and a person assisted in two reports counts twice.");
}

static void
notes(tfl__pdf *p, const tfl_fundreport *r)
{
	tfl__pdf_text(p, TFL__PDF_HEADING, "6. Notes");
	tfl__pdf_textf(p, TFL__PDF_SMALL, "Programme support cost: %s%% of "
	    "expenditure (the policy's rate now), charged on cumulative "
	    "expenditure, so rounding never drifts.", r->psc_rate);
	tfl__pdf_text(p, TFL__PDF_SMALL, "Amounts in other currencies were "
	    "converted once, at the rate recorded with each entry, half to "
	    "even. Every figure is a sum of the ledger's signed entries: "
	    "`tfaudit verify` and `tfaudit export` on a copy of the ledger "
	    "show them one by one.");
}

int
tfl__fundreport_pdf(FILE *out, const tfl_fundreport *r, tfl_err *err)
{
	char title[TFL_ENTRY_TEXT_MAX + 64], f[16], t[16];
	tfl__pdf *p = NULL;
	int rc;

	tfl_date_format(f, r->from);
	tfl_date_format(t, r->to);
	snprintf(title, sizeof(title), "%s: fund report %s to %s", r->fund,
	    f, t);
	if ((rc = tfl__pdf_new(&p, out, title, NULL, err)) != 0)
		return rc;
	header(p, r);
	contributions(p, r);
	grants(p, r);
	expenditure(p, r);
	balance(p, r);
	results(p, r);
	notes(p, r);
	rc = tfl__pdf_finish(p, err);
	tfl__pdf_free(p);
	return rc;
}
