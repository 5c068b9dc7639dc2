/*
 * statement_pdf.c - a donor statement as A4 pages (pdf.h), from the
 * same tfl_statement as the text form, section by section: the header,
 * the donor's pledges, receipts, refunds and write-downs, how its money
 * was used (with a chart per pool), the fund's figures and the results
 * (with charts), and the notes.  The proof stays in the JSON form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"
#include "statement_internal.h"

static const int L = TFL__PDF_LEFT, R = TFL__PDF_RIGHT;

/* The cells of a row, or a chart's texts: up to 9. */
struct cells {
	char buf[9][TFL_ENTRY_TEXT_MAX + TFL_ENTRY_ID_MAX + 64];
	const char *v[9];
};

/* Grouped money of code (NULL: base) into buf[48]. */
static const char *
gm(char buf[48], int64_t v, const char *code, const tfl_statement *s)
{
	const tfl_currency *cur = &s->currency;

	if (code != NULL && strcmp(code, s->currency.code) != 0 &&
	    tfl_currency_find(&cur, code, NULL) != 0)
		return "?";
	tfl_money_format_grouped(buf, 48, v, cur);
	return buf;
}

/* Grouped money of code (NULL: base) in cell i. */
static void
money(struct cells *c, int i, int64_t v, const char *code,
    const tfl_statement *s)
{
	char a[48];

	snprintf(c->buf[i], sizeof(c->buf[i]), "%s", gm(a, v, code, s));
	c->v[i] = c->buf[i];
}

/* "EUR 100,000.00" in cell i. */
static void
coded(struct cells *c, int i, int64_t v, const char *code,
    const tfl_statement *s)
{
	char a[48];

	snprintf(c->buf[i], sizeof(c->buf[i]), "%s %s", code,
	    gm(a, v, code, s));
	c->v[i] = c->buf[i];
}

static void
text(struct cells *c, int i, const char *v)
{
	snprintf(c->buf[i], sizeof(c->buf[i]), "%s", v);
	c->v[i] = c->buf[i];
}

static void
date(struct cells *c, int i, int64_t days)
{
	tfl_date_format(c->buf[i], days);
	c->v[i] = c->buf[i];
}

/* A reference, marked when an approved reversal undid its line. */
static void
ref(struct cells *c, int i, const char *v, const tfl_statement_reversal *r)
{
	char d[16];

	if (r->seq == 0) {
		text(c, i, v);
		return;
	}
	tfl_date_format(d, r->date);
	snprintf(c->buf[i], sizeof(c->buf[i]), "%s (reversed by seq %llu on "
	    "%s)", v, (unsigned long long)r->seq, d);
	c->v[i] = c->buf[i];
}

static void
header(tfl__pdf *p, const tfl_statement *s)
{
	const int align[] = { L, L };
	char root[2 * TFL_HASH_SIZE + 1], f[16], t[16];
	struct cells c;

	tfl__hex_encode(root, s->root, TFL_HASH_SIZE);
	tfl_date_format(f, s->from);
	tfl_date_format(t, s->to);
	tfl__pdf_text(p, TFL__PDF_TITLE, s->fund);
	tfl__pdf_textf(p, TFL__PDF_BOLD, "Donor statement %s", s->number);
	tfl__pdf_table_begin(p, 2, NULL, align);
	tfl__pdf_table_row(p, (const char *const[]){ "Fund", s->fund }, 0);
	tfl__pdf_table_row(p, (const char *const[]){ "Ledger", s->origin },
	    0);
	snprintf(c.buf[0], sizeof(c.buf[0]), "%s (%s)%s%s%s%s",
	    s->donor_name, s->donor, s->donor_kind[0] ? ", " : "",
	    s->donor_kind, s->donor_country[0] ? ", " : "",
	    s->donor_country);
	tfl__pdf_table_row(p, (const char *const[]){ "Donor", c.buf[0] }, 0);
	snprintf(c.buf[1], sizeof(c.buf[1]), "%s to %s", f, t);
	tfl__pdf_table_row(p, (const char *const[]){ "Period", c.buf[1] }, 0);
	snprintf(c.buf[2], sizeof(c.buf[2]), "%s, accrual basis (IPSAS)",
	    s->currency.code);
	tfl__pdf_table_row(p, (const char *const[]){ "Currency", c.buf[2] },
	    0);
	tfl__pdf_table_row(p, (const char *const[]){ "Statement no.",
	    s->number }, 0);
	snprintf(c.buf[3], sizeof(c.buf[3]), "the ledger's first %llu "
	    "entries, whose root is %s", (unsigned long long)s->size, root);
	tfl__pdf_table_row(p, (const char *const[]){ "Drawn from", c.buf[3] },
	    0);
	tfl__pdf_table_end(p);
}

static void
pledges(tfl__pdf *p, const tfl_statement *s)
{
	static const char *const heads[] = { "Date", "Pledge", "Amount",
		"Rate", "Base", "Outstanding", "Receivable" };
	const int align[] = { L, L, R, R, R, R, R };
	const tfl_statement_pledge *x;
	struct cells c;
	size_t i;

	tfl__pdf_text(p, TFL__PDF_BOLD, "Pledges (signed agreements)");
	if (s->npledges == 0) {
		tfl__pdf_text(p, TFL__PDF_SMALL, "none");
		return;
	}
	tfl__pdf_table_begin(p, 7, heads, align);
	for (i = 0; i < s->npledges; i++) {
		x = &s->pledges[i];
		date(&c, 0, x->date);
		ref(&c, 1, x->ref, &x->reversal);
		coded(&c, 2, x->amount, x->currency, s);
		text(&c, 3, x->rate);
		money(&c, 4, x->base, NULL, s);
		coded(&c, 5, x->reversal.seq ? 0 : x->amount - x->received -
		    x->written_down, x->currency, s);
		money(&c, 6, x->receivable, NULL, s);
		tfl__pdf_table_row(p, c.v, 0);
	}
	tfl__pdf_table_end(p);
}

static void
receipts(tfl__pdf *p, const tfl_statement *s)
{
	static const char *const heads[] = { "Date", "Receipt", "Amount",
		"Rate", "Base", "Pledge", "Cleared", "Exch. diff." };
	const int align[] = { L, L, R, R, R, L, R, R };
	const tfl_statement_receipt *x;
	struct cells c;
	size_t i;

	tfl__pdf_text(p, TFL__PDF_BOLD, "Receipts");
	if (s->nreceipts == 0) {
		tfl__pdf_text(p, TFL__PDF_SMALL, "none");
		return;
	}
	tfl__pdf_table_begin(p, 8, heads, align);
	for (i = 0; i < s->nreceipts; i++) {
		x = &s->receipts[i];
		date(&c, 0, x->date);
		ref(&c, 1, x->ref, &x->reversal);
		coded(&c, 2, x->amount, x->currency, s);
		text(&c, 3, x->rate);
		money(&c, 4, x->base, NULL, s);
		text(&c, 5, x->pledge);
		text(&c, 6, "");
		text(&c, 7, "");
		if (x->pledge[0] != '\0') {
			money(&c, 6, x->cleared, NULL, s);
			money(&c, 7, x->base - x->cleared, NULL, s);
		}
		tfl__pdf_table_row(p, c.v, 0);
	}
	tfl__pdf_table_end(p);
}

static void
refunds(tfl__pdf *p, const tfl_statement *s)
{
	static const char *const h1[] = { "Date", "Refund", "Receipt",
		"Amount", "Rate", "Base" };
	static const char *const h2[] = { "Date", "Pledge", "Amount",
		"Cleared", "Reason" };
	const int a1[] = { L, L, L, R, R, R }, a2[] = { L, L, R, R, L };
	struct cells c;
	size_t i;

	tfl__pdf_text(p, TFL__PDF_BOLD, "Refunds to the donor");
	if (s->nrefunds == 0)
		tfl__pdf_text(p, TFL__PDF_SMALL, "none");
	else
		tfl__pdf_table_begin(p, 6, h1, a1);
	for (i = 0; i < s->nrefunds; i++) {
		date(&c, 0, s->refunds[i].date);
		ref(&c, 1, s->refunds[i].ref, &s->refunds[i].reversal);
		text(&c, 2, s->refunds[i].receipt);
		coded(&c, 3, s->refunds[i].amount, s->refunds[i].currency, s);
		text(&c, 4, s->refunds[i].rate);
		money(&c, 5, s->refunds[i].base, NULL, s);
		tfl__pdf_table_row(p, c.v, 0);
	}
	tfl__pdf_table_end(p);
	tfl__pdf_text(p, TFL__PDF_BOLD, "Write-downs of pledges");
	if (s->nwritedowns == 0)
		tfl__pdf_text(p, TFL__PDF_SMALL, "none");
	else
		tfl__pdf_table_begin(p, 5, h2, a2);
	for (i = 0; i < s->nwritedowns; i++) {
		date(&c, 0, s->writedowns[i].date);
		ref(&c, 1, s->writedowns[i].pledge,
		    &s->writedowns[i].reversal);
		coded(&c, 2, s->writedowns[i].amount,
		    s->writedowns[i].currency, s);
		money(&c, 3, s->writedowns[i].base, NULL, s);
		text(&c, 4, s->writedowns[i].reason);
		tfl__pdf_table_row(p, c.v, 0);
	}
	tfl__pdf_table_end(p);
}

static void
totals(tfl__pdf *p, const tfl_statement *s)
{
	static const char *const name[] = { "pledged", "received",
		"refunded", "written down", "exchange differences" };
	const char *heads[] = { "Totals", "Period", "To date" };
	const int align[] = { L, R, R };
	const tfl_statement_totals *a = &s->period, *b = &s->to_date;
	const int64_t x[] = { a->pledged, a->received, a->refunded,
		a->written_down, a->fx };
	const int64_t y[] = { b->pledged, b->received, b->refunded,
		b->written_down, b->fx };
	char cap[64];
	tfl__pdf_item it[4];
	struct cells c;
	size_t i;

	snprintf(cap, sizeof(cap), "Totals (%s)", s->currency.code);
	heads[0] = cap;
	tfl__pdf_space(p, 8);
	tfl__pdf_table_begin(p, 3, heads, align);
	for (i = 0; i < 5; i++) {
		text(&c, 0, name[i]);
		money(&c, 1, x[i], NULL, s);
		money(&c, 2, y[i], NULL, s);
		tfl__pdf_table_row(p, c.v, 0);
	}
	text(&c, 0, "receivable, opening and closing");
	money(&c, 1, s->receivable_opening, NULL, s);
	money(&c, 2, s->receivable_closing, NULL, s);
	tfl__pdf_table_row(p, c.v, 1);
	tfl__pdf_table_end(p);
	for (i = 0; i < 4; i++) {
		money(&c, (int)i, y[i], NULL, s);
		it[i] = (tfl__pdf_item){ name[i], y[i], c.buf[i] };
	}
	snprintf(cap, sizeof(cap), "Your contributions to date (%s)",
	    s->currency.code);
	tfl__pdf_bars(p, cap, it, 4);
}

static void
use_grants(tfl__pdf *p, const tfl_statement *s, const tfl_statement_use *u)
{
	static const char *const heads[] = { "Grant", "NGO", "Award",
		"Disbursed", "Spent", "Attributed to you" };
	const int align[] = { L, L, R, R, R, R };
	const tfl_statement_grant *g;
	struct cells c;
	size_t k;

	if (u->ngrants == 0)
		return;
	tfl__pdf_table_begin(p, 6, heads, align);
	for (k = 0; k < u->ngrants; k++) {
		g = &s->grants[u->first_grant + k];
		snprintf(c.buf[0], sizeof(c.buf[0]), "%s%s%s", g->id,
		    g->cycle[0] ? ", cycle " : "", g->cycle);
		c.v[0] = c.buf[0];
		snprintf(c.buf[1], sizeof(c.buf[1]), "%s (%s)",
		    g->grantee_name, g->country);
		c.v[1] = c.buf[1];
		money(&c, 2, g->award - g->deobligated, NULL, s);
		money(&c, 3, g->disbursed, NULL, s);
		money(&c, 4, g->spent, NULL, s);
		money(&c, 5, g->attributed, NULL, s);
		tfl__pdf_table_row(p, c.v, 0);
	}
	tfl__pdf_table_end(p);
}

static void
use(tfl__pdf *p, const tfl_statement *s)
{
	const tfl_statement_use *u;
	tfl__pdf_item it[4];
	char cap[TFL_ENTRY_ID_MAX + 128], d[16];
	struct cells c;
	size_t i;

	tfl_date_format(d, s->to);
	tfl__pdf_textf(p, TFL__PDF_HEADING, "3. How the money was used (to "
	    "%s)", d);
	tfl__pdf_text(p, TFL__PDF_SMALL, "Per pool, your net receipts are "
	    "split pro rata over the pool's net disbursements to grants, the "
	    "PSC, commitments not yet paid and money available, by the "
	    "largest remainder, so that the parts add up to the cent; "
	    "earmarked money goes only to grants that drew on its earmark.");
	if (s->nuses == 0)
		tfl__pdf_text(p, TFL__PDF_BODY, "No money received from this "
		    "donor to the period end.");
	for (i = 0; i < s->nuses; i++) {
		u = &s->uses[i];
		money(&c, 0, u->contributed, NULL, s);
		tfl__pdf_textf(p, TFL__PDF_BOLD, "%s%s: your net contribution "
		    "%s %s", u->earmark[0] ? "Earmark " : "Unearmarked pool",
		    u->earmark, s->currency.code, c.buf[0]);
		use_grants(p, s, u);
		money(&c, 0, u->grants, NULL, s);
		money(&c, 1, u->psc, NULL, s);
		money(&c, 2, u->committed, NULL, s);
		money(&c, 3, u->available, NULL, s);
		it[0] = (tfl__pdf_item){ "grants", u->grants, c.buf[0] };
		it[1] = (tfl__pdf_item){ "programme support cost", u->psc,
			c.buf[1] };
		it[2] = (tfl__pdf_item){ "committed, not yet paid",
			u->committed, c.buf[2] };
		it[3] = (tfl__pdf_item){ "available for new awards",
			u->available, c.buf[3] };
		snprintf(cap, sizeof(cap), "Use of your contribution (%s)",
		    s->currency.code);
		tfl__pdf_stack(p, cap, it, 4);
	}
}

static void
row(tfl__pdf *p, const tfl_statement *s, const char *name, int64_t a,
    int bold)
{
	struct cells c;

	text(&c, 0, name);
	money(&c, 1, a, NULL, s);
	tfl__pdf_table_row(p, c.v, bold);
}

static void
row2(tfl__pdf *p, const tfl_statement *s, const char *name, int64_t a,
    int64_t b, int bold)
{
	struct cells c;

	text(&c, 0, name);
	money(&c, 1, a, NULL, s);
	money(&c, 2, b, NULL, s);
	tfl__pdf_table_row(p, c.v, bold);
}

static void
fund(tfl__pdf *p, const tfl_statement *s)
{
	const tfl_statement_fund *f = &s->fund_figures;
	const tfl_statement_position *a = &f->opening, *b = &f->closing;
	int64_t income = f->contributions - f->write_downs - f->donor_refunds +
	    f->interest + f->fx, spent = f->grant_expenditure + f->psc;
	const char *h1[] = { "Income and expenditure", s->currency.code };
	const char *h2[] = { "Position", "Opening", "Closing" };
	const int align[] = { L, R, R };

	tfl__pdf_text(p, TFL__PDF_HEADING, "4. The fund in the period (all "
	    "donors together)");
	tfl__pdf_table_begin(p, 2, h1, align);
	row(p, s, "contributions recognised", f->contributions, 0);
	row(p, s, "less write-downs", f->write_downs, 0);
	row(p, s, "less refunds to donors", f->donor_refunds, 0);
	row(p, s, "interest", f->interest, 0);
	row(p, s, "exchange differences", f->fx, 0);
	row(p, s, "total income", income, 1);
	row(p, s, "grant expenditure", f->grant_expenditure, 0);
	row(p, s, "programme support cost", f->psc, 0);
	row(p, s, "total expenditure", spent, 1);
	row(p, s, "surplus (deficit)", income - spent, 1);
	tfl__pdf_table_end(p);
	tfl__pdf_table_begin(p, 3, h2, align);
	row2(p, s, "cash", a->cash, b->cash, 0);
	row2(p, s, "receivables", a->receivable, b->receivable, 0);
	row2(p, s, "advances to NGOs", a->advances, b->advances, 0);
	row2(p, s, "net assets", a->cash + a->receivable + a->advances,
	    b->cash + b->receivable + b->advances, 1);
	row2(p, s, "open commitments", a->committed, b->committed, 0);
	row2(p, s, "available for awards", a->cash - a->committed,
	    b->cash - b->committed, 1);
	tfl__pdf_table_end(p);
}

/* Items of counts v[0..n) labelled labels[], texts in c. */
static void
counts(tfl__pdf_item *it, struct cells *c, const char *const *labels,
    const int64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(c->buf[i], sizeof(c->buf[i]), "%lld",
		    (long long)v[i]);
		it[i] = (tfl__pdf_item){ labels[i], v[i], c->buf[i] };
	}
}

static void
results(tfl__pdf *p, const tfl_statement *s)
{
	static const char *const form[] = { "sexual exploitation",
		"forced labour", "other forms" };
	const tfl_statement_results *r = &s->results;
	const int64_t *v = r->people;
	int64_t adults = v[0] + v[2], children = v[1] + v[3];
	tfl__pdf_item it[9];
	struct cells c;

	tfl__pdf_textf(p, TFL__PDF_HEADING, "5. Results of the grants in "
	    "section 3 (%zu grants)", r->grants);
	tfl__pdf_textf(p, TFL__PDF_BODY, "People assisted: %lld (women "
	    "%lld, girls %lld, men %lld, boys %lld); adults %lld, children "
	    "%lld.", (long long)adults + (long long)children, (long long)v[0],
	    (long long)v[1], (long long)v[2], (long long)v[3],
	    (long long)adults, (long long)children);
	counts(it, &c, tfl__stmt_people, r->people, 4);
	tfl__pdf_stack(p, "People assisted by sex", it, 4);
	counts(it, &c, form, r->forms, 3);
	tfl__pdf_bars(p, "By form of exploitation", it, 3);
	counts(it, &c, tfl__stmt_services, r->services, 9);
	tfl__pdf_bars(p, "Services given", it, 9);
}

/* The rate of a line in another currency (none in the base currency). */
static void
rate(tfl__pdf *p, const tfl_statement *s, const char *what, const char *ref,
    const char *code, const char *r, uint64_t seq, int64_t date)
{
	char d[16];

	if (r[0] == '\0')
		return;
	tfl_date_format(d, date);
	tfl__pdf_textf(p, TFL__PDF_SMALL, "Rate: %s %s per %s (%s %s, seq "
	    "%llu, %s)", code, r, s->currency.code, what, ref,
	    (unsigned long long)seq, d);
}

static void
notes(tfl__pdf *p, const tfl_statement *s)
{
	size_t i;

	tfl__pdf_text(p, TFL__PDF_HEADING, "6. Notes");
	for (i = 0; i < s->npledges; i++)
		rate(p, s, "pledge", s->pledges[i].ref, s->pledges[i].currency,
		    s->pledges[i].rate, s->pledges[i].seq, s->pledges[i].date);
	for (i = 0; i < s->nreceipts; i++)
		rate(p, s, "receipt", s->receipts[i].ref,
		    s->receipts[i].currency, s->receipts[i].rate,
		    s->receipts[i].seq, s->receipts[i].date);
	for (i = 0; i < s->nrefunds; i++)
		rate(p, s, "refund", s->refunds[i].ref, s->refunds[i].currency,
		    s->refunds[i].rate, s->refunds[i].seq, s->refunds[i].date);
	tfl__pdf_textf(p, TFL__PDF_SMALL, "Programme support cost: %s%% of "
	    "expenditure, charged on cumulative expenditure.", s->psc_rate);
	tfl__pdf_text(p, TFL__PDF_SMALL, "Rounding: amounts in other "
	    "currencies are converted once, at the rate recorded with each "
	    "entry (units per one unit of the base currency), half to even; "
	    "pledges are cleared on the cumulative amount received, so a "
	    "pledge paid in full clears exactly its base amount.");
	tfl__pdf_text(p, TFL__PDF_SMALL, "People assisted are counts reported "
	    "by the NGOs of the grants in section 3 (whole grants, not "
	    "shares); nothing identifies a person.");
	tfl__pdf_text(p, TFL__PDF_SMALL, "To verify: the JSON form of this "
	    "statement carries the signed checkpoint and every entry it "
	    "relies on with its inclusion proof. Run `tfaudit "
	    "verify-statement FILE --log-key VKEY` with the fund's published "
	    "log key (docs/STATEMENT.md).");
}

int
tfl__statement_pdf(FILE *out, const tfl_statement *s, tfl_err *err)
{
	char title[TFL_ENTRY_TEXT_MAX + 160];
	tfl__pdf *p = NULL;
	int rc;

	snprintf(title, sizeof(title), "%s: donor statement %s", s->fund,
	    s->number);
	if ((rc = tfl__pdf_new(&p, out, title, NULL, err)) != 0)
		return rc;
	header(p, s);
	tfl__pdf_text(p, TFL__PDF_HEADING, "2. Contributions");
	pledges(p, s);
	receipts(p, s);
	refunds(p, s);
	totals(p, s);
	use(p, s);
	fund(p, s);
	results(p, s);
	notes(p, s);
	rc = tfl__pdf_finish(p, err);
	tfl__pdf_free(p);
	return rc;
}
