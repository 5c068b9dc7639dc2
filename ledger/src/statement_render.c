/*
 * statement_render.c - a statement for people (text) and spreadsheets
 * (CSV: one row per figure), from the data alone; the PDF renderer
 * (statement_pdf.c) reads the same tfl_statement.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statement_internal.h"

#define WIDTH 76 /* text lines are wrapped to this */

/* A stream and whether a write to it failed. */
struct out {
	FILE *f;
	int bad;
	const tfl_statement *s;
};

static void pr(struct out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
pr(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(o->f, fmt, ap) < 0)
		o->bad = 1;
	va_end(ap);
}

/* indent spaces; returns indent. */
static int
pr_indent(struct out *o, int indent)
{
	pr(o, "%*s", indent, "");
	return indent;
}

/* Grouped money "1,234.50" of code (NULL: base) into buf[48]. */
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

static const char *
dt(char buf[16], int64_t days)
{
	tfl_date_format(buf, days);
	return buf;
}

/* text wrapped to WIDTH, every line after indent spaces. */
static void
wrap(struct out *o, int indent, const char *text)
{
	int col = 0;
	size_t n;

	while (*text != '\0') {
		while (*text == ' ')
			text++;
		n = strcspn(text, " ");
		if (n == 0)
			break;
		if (col > 0 && col + 1 + (int)n > WIDTH) {
			pr(o, "\n");
			col = 0;
		}
		if (col == 0) {
			col = pr_indent(o, indent);
		} else {
			pr(o, " ");
			col++;
		}
		pr(o, "%.*s", (int)n, text);
		col += (int)n;
		text += n;
	}
	pr(o, "\n");
}

/* A detail of a line, wrapped under it. */
static void detail(struct out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
detail(struct out *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wrap(o, 16, buf);
}

static void
reversed(struct out *o, const tfl_statement_reversal *r)
{
	char d[16];

	if (r->seq != 0)
		detail(o, "REVERSED by seq %llu on %s (approved at seq %llu)",
		    (unsigned long long)r->seq, dt(d, r->date),
		    (unsigned long long)r->approved_by);
}

/* The first line of an item, then "EUR 100,000.00 at 0.926 = USD ...". */
static void
item(struct out *o, int64_t date, const char *ref, uint64_t seq,
    const char *code, int64_t amount, const char *rate, int64_t base)
{
	const tfl_statement *s = o->s;
	char d[16], a[48], b[48];

	pr(o, "    %s  %s  (seq %llu)\n", dt(d, date), ref,
	    (unsigned long long)seq);
	if (rate[0] != '\0')
		detail(o, "%s %s at %s = %s %s", code, gm(a, amount, code, s),
		    rate, s->currency.code, gm(b, base, NULL, s));
	else
		detail(o, "%s %s", code, gm(a, amount, code, s));
}

static void
text_header(struct out *o)
{
	const tfl_statement *s = o->s;
	char f[16], t[16], root[2 * TFL_HASH_SIZE + 1];

	tfl__hex_encode(root, s->root, TFL_HASH_SIZE);
	pr(o, "%s\nDONOR STATEMENT %s\n\n1. Header\n", s->fund, s->number);
	pr(o, "  Fund            %s\n", s->fund);
	pr(o, "  Ledger          %s\n", s->origin);
	pr(o, "  Donor           %s (%s)", s->donor_name, s->donor);
	if (s->donor_kind[0] != '\0')
		pr(o, ", %s", s->donor_kind);
	if (s->donor_country[0] != '\0')
		pr(o, ", %s", s->donor_country);
	pr(o, "\n  Period          %s to %s\n", dt(f, s->from), dt(t, s->to));
	pr(o, "  Currency        %s, accrual basis (IPSAS)\n",
	    s->currency.code);
	pr(o, "  Statement no.   %s\n", s->number);
	pr(o, "  Drawn from      the ledger's first %llu entries, whose root "
	    "is\n    %s\n", (unsigned long long)s->size, root);
}

static void
text_pledges(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_pledge *p;
	char d[16], a[48], b[48], c[48], e[48];
	size_t i;

	pr(o, "\n  Pledges (signed agreements)%s\n",
	    s->npledges == 0 ? ": none" : "");
	for (i = 0; i < s->npledges; i++) {
		p = &s->pledges[i];
		item(o, p->date, p->ref, p->seq, p->currency, p->amount,
		    p->rate, p->base);
		detail(o, "%s%s%s%s", p->earmark[0] ? "earmark " : "",
		    p->earmark[0] ? p->earmark : "unearmarked",
		    p->due >= 0 ? ", due " : "", p->due >= 0 ?
		    dt(d, p->due) : "");
		detail(o, "received %s %s, written down %s %s, outstanding "
		    "%s %s; receivable %s %s", p->currency,
		    gm(a, p->received, p->currency, s), p->currency,
		    gm(b, p->written_down, p->currency, s), p->currency,
		    gm(c, p->reversal.seq ? 0 : p->amount - p->received -
		    p->written_down, p->currency, s), s->currency.code,
		    gm(e, p->receivable, NULL, s));
		reversed(o, &p->reversal);
	}
}

static void
text_receipts(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_receipt *r;
	char a[48], b[48];
	size_t i;

	pr(o, "\n  Receipts%s\n", s->nreceipts == 0 ? ": none" : "");
	for (i = 0; i < s->nreceipts; i++) {
		r = &s->receipts[i];
		item(o, r->date, r->ref, r->seq, r->currency, r->amount,
		    r->rate, r->base);
		if (r->pledge[0] != '\0')
			detail(o, "against pledge %s: receivable cleared %s, "
			    "exchange difference %s", r->pledge,
			    gm(a, r->cleared, NULL, s),
			    gm(b, r->base - r->cleared, NULL, s));
		detail(o, "%s%s, refunded %s %s", r->earmark[0] ?
		    "earmark " : "", r->earmark[0] ? r->earmark :
		    "unearmarked", r->currency,
		    gm(a, r->refunded, r->currency, s));
		reversed(o, &r->reversal);
	}
}

static void
text_refunds(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_refund *f;
	const tfl_statement_writedown *w;
	char a[48];
	size_t i;

	pr(o, "\n  Refunds to the donor%s\n", s->nrefunds == 0 ? ": none" :
	    "");
	for (i = 0; i < s->nrefunds; i++) {
		f = &s->refunds[i];
		item(o, f->date, f->ref, f->seq, f->currency, f->amount,
		    f->rate, f->base);
		detail(o, "out of receipt %s%s%s", f->receipt,
		    f->reason[0] ? ": " : "", f->reason);
		reversed(o, &f->reversal);
	}
	pr(o, "\n  Write-downs of pledges%s\n", s->nwritedowns == 0 ?
	    ": none" : "");
	for (i = 0; i < s->nwritedowns; i++) {
		w = &s->writedowns[i];
		item(o, w->date, w->pledge, w->seq, w->currency, w->amount, "",
		    0);
		detail(o, "receivable cleared %s %s: %s", s->currency.code,
		    gm(a, w->base, NULL, s), w->reason);
		reversed(o, &w->reversal);
	}
}

static void
text_totals(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_totals *p = &s->period, *t = &s->to_date;
	const int64_t a[] = { p->pledged, p->received, p->refunded,
		p->written_down, p->fx };
	const int64_t b[] = { t->pledged, t->received, t->refunded,
		t->written_down, t->fx };
	static const char *const name[] = { "pledged", "received",
		"refunded", "written down", "exchange differences" };
	const tfl_statement_currency *c;
	char x[48], y[48], z[48], w[48];
	size_t i;

	pr(o, "\n  Totals (%s)%25s%20s\n", s->currency.code, "period",
	    "to date");
	for (i = 0; i < 5; i++)
		pr(o, "    %-24s%20s%20s\n", name[i], gm(x, a[i], NULL, s),
		    gm(y, b[i], NULL, s));
	pr(o, "    %-24s%20s%20s\n", "receivable, opening", "",
	    gm(x, s->receivable_opening, NULL, s));
	pr(o, "    %-24s%20s%20s\n", "receivable, closing", "",
	    gm(x, s->receivable_closing, NULL, s));
	for (i = 0; i < s->ncurrencies; i++) {
		c = &s->currencies[i];
		pr(o, "    in %s in the period:\n", c->currency);
		detail(o, "pledged %s, received %s, refunded %s, written "
		    "down %s", gm(x, c->amount.pledged, c->currency, s),
		    gm(y, c->amount.received, c->currency, s),
		    gm(z, c->amount.refunded, c->currency, s),
		    gm(w, c->amount.written_down, c->currency, s));
	}
}

static void
text_grant(struct out *o, const tfl_statement_grant *g)
{
	static const char *const status[] = { "pending approval", "active",
		"closed" };
	const tfl_statement *s = o->s;
	char a[48], b[48], c[48], d[48], x[48], e[16], f[16];

	pr(o, "    %s  %s (%s)\n", g->id, g->grantee_name, g->country);
	detail(o, "%s%s%s%s, %s to %s: award %s, disbursed %s, spent %s, "
	    "refunded %s; attributed to you %s %s", g->cycle[0] ? "cycle " :
	    "", g->cycle, g->cycle[0] ? ", " : "", status[g->status],
	    dt(e, g->start),
	    dt(f, g->end), gm(a, g->award - g->deobligated, NULL, s),
	    gm(b, g->disbursed, NULL, s), gm(c, g->spent, NULL, s),
	    gm(d, g->refunded, NULL, s), s->currency.code,
	    gm(x, g->attributed, NULL, s));
}

static void
text_use(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_use *u;
	char a[48];
	size_t i, k;

	char d[16];

	pr(o, "\n3. How the money was used (to %s)\n", dt(d, s->to));
	wrap(o, 2, "Method: per pool, your net receipts are split pro "
	    "rata over the pool's net disbursements to grants, the PSC, "
	    "commitments not yet paid and money available, by the largest "
	    "remainder, so that the parts add up to the cent; earmarked "
	    "money goes only to grants that drew on its earmark.");
	if (s->nuses == 0)
		pr(o, "  No money received from this donor to the period "
		    "end.\n");
	for (i = 0; i < s->nuses; i++) {
		u = &s->uses[i];
		pr(o, "\n  %s%s: your net contribution %s %s\n",
		    u->earmark[0] ? "Earmark " : "Unearmarked pool",
		    u->earmark, s->currency.code,
		    gm(a, u->contributed, NULL, s));
		for (k = 0; k < u->ngrants; k++)
			text_grant(o, &s->grants[u->first_grant + k]);
		pr(o, "    %-38s%20s\n", "grants (net disbursements)",
		    gm(a, u->grants, NULL, s));
		pr(o, "    %-38s%20s\n", "programme support cost",
		    gm(a, u->psc, NULL, s));
		pr(o, "    %-38s%20s\n", "committed to awards, not yet paid",
		    gm(a, u->committed, NULL, s));
		pr(o, "    %-38s%20s\n", "available for new awards",
		    gm(a, u->available, NULL, s));
	}
}

static void
row(struct out *o, const char *name, int64_t a, int64_t b, int two)
{
	char x[48], y[48];

	if (two)
		pr(o, "    %-28s%20s%20s\n", name, gm(x, a, NULL, o->s),
		    gm(y, b, NULL, o->s));
	else
		pr(o, "    %-28s%20s\n", name, gm(x, a, NULL, o->s));
}

static void
text_fund(struct out *o)
{
	const tfl_statement_fund *f = &o->s->fund_figures;
	const tfl_statement_position *a = &f->opening, *b = &f->closing;
	int64_t income = f->contributions - f->write_downs - f->donor_refunds +
	    f->interest + f->fx, spent = f->grant_expenditure + f->psc;

	pr(o, "\n4. The fund in the period (%s, all donors together)\n",
	    o->s->currency.code);
	row(o, "contributions recognised", f->contributions, 0, 0);
	row(o, "less write-downs", f->write_downs, 0, 0);
	row(o, "less refunds to donors", f->donor_refunds, 0, 0);
	row(o, "interest", f->interest, 0, 0);
	row(o, "exchange differences", f->fx, 0, 0);
	row(o, "total income", income, 0, 0);
	row(o, "grant expenditure", f->grant_expenditure, 0, 0);
	row(o, "programme support cost", f->psc, 0, 0);
	row(o, "total expenditure", spent, 0, 0);
	row(o, "surplus (deficit)", income - spent, 0, 0);
	pr(o, "    %-28s%20s%20s\n", "position", "opening", "closing");
	row(o, "cash", a->cash, b->cash, 1);
	row(o, "receivables", a->receivable, b->receivable, 1);
	row(o, "advances to NGOs", a->advances, b->advances, 1);
	row(o, "net assets", a->cash + a->receivable + a->advances,
	    b->cash + b->receivable + b->advances, 1);
	row(o, "open commitments", a->committed, b->committed, 1);
	row(o, "available for awards", a->cash - a->committed,
	    b->cash - b->committed, 1);
}

static void
text_results(struct out *o)
{
	const tfl_statement_results *r = &o->s->results;
	int64_t adults = r->people[0] + r->people[2];
	int64_t children = r->people[1] + r->people[3];
	size_t k;
	int any = 0;

	pr(o, "\n5. Results of the grants in section 3 (%zu grants)\n",
	    r->grants);
	pr(o, "  People assisted  %lld: women %lld, girls %lld, men %lld, "
	    "boys %lld\n", (long long)adults + (long long)children,
	    (long long)r->people[0], (long long)r->people[1],
	    (long long)r->people[2], (long long)r->people[3]);
	pr(o, "  Age groups       adults %lld, children %lld\n",
	    (long long)adults, (long long)children);
	pr(o, "  Exploitation     sexual %lld, labour %lld, other %lld\n",
	    (long long)r->forms[0], (long long)r->forms[1],
	    (long long)r->forms[2]);
	pr(o, "  Services        ");
	for (k = 0; k < 9; k++)
		if (r->services[k] != 0)
			pr(o, "%s %s %lld", any++ ? "," : "",
			    tfl__stmt_services[k], (long long)r->services[k]);
	pr(o, "%s\n", any ? "" : " none reported");
}

static void
rate_note(struct out *o, const char *code, const char *rate, uint64_t seq,
    int64_t date)
{
	char d[16];

	if (rate[0] != '\0')
		pr(o, "  Rate: %s %s per %s (seq %llu, %s)\n", code, rate,
		    o->s->currency.code, (unsigned long long)seq, dt(d, date));
}

static void
text_notes(struct out *o)
{
	const tfl_statement *s = o->s;
	char line[512];
	size_t i;

	pr(o, "\n6. Notes\n");
	for (i = 0; i < s->npledges; i++)
		rate_note(o, s->pledges[i].currency, s->pledges[i].rate,
		    s->pledges[i].seq, s->pledges[i].date);
	for (i = 0; i < s->nreceipts; i++)
		rate_note(o, s->receipts[i].currency, s->receipts[i].rate,
		    s->receipts[i].seq, s->receipts[i].date);
	for (i = 0; i < s->nrefunds; i++)
		rate_note(o, s->refunds[i].currency, s->refunds[i].rate,
		    s->refunds[i].seq, s->refunds[i].date);
	snprintf(line, sizeof(line), "Programme support cost: %s%% of "
	    "expenditure, charged on cumulative expenditure.", s->psc_rate);
	wrap(o, 2, line);
	wrap(o, 2, "Rounding: amounts in other currencies are converted "
	    "once, at the rate recorded with each entry (units per one unit "
	    "of the base currency), half to even; pledges are cleared on the "
	    "cumulative amount received, so a pledge paid in full clears "
	    "exactly its base amount.");
	wrap(o, 2, "People assisted are counts reported by the NGOs of "
	    "the grants in section 3 (whole grants, not shares); nothing "
	    "identifies a person.");
	wrap(o, 2, "To verify: the JSON form of this statement carries "
	    "the signed checkpoint and every entry it relies on with its "
	    "inclusion proof. Run `tfaudit verify-statement FILE --log-key "
	    "VKEY` with the fund's published log key (docs/STATEMENT.md).");
}

static int
write_text(struct out *o)
{
	text_header(o);
	pr(o, "\n2. Contributions\n");
	text_pledges(o);
	text_receipts(o);
	text_refunds(o);
	text_totals(o);
	text_use(o);
	text_fund(o);
	text_results(o);
	text_notes(o);
	return o->bad;
}

/* One CSV field, quoted when it must be (RFC 4180). */
static void
field(struct out *o, const char *v, int last)
{
	const char *p;

	if (strpbrk(v, ",\"\n\r") == NULL) {
		pr(o, "%s%s", v, last ? "\n" : ",");
		return;
	}
	pr(o, "\"");
	for (p = v; *p != '\0'; p++) {
		if (*p == '"')
			pr(o, "\"\"");
		else
			pr(o, "%c", *p);
	}
	pr(o, "\"%s", last ? "\n" : ",");
}

/* A row: section,item,seq,date,reference,currency,amount,detail. */
static void
csv(struct out *o, const char *section, const char *item, uint64_t seq,
    int64_t date, const char *ref, const char *code, const char *amount,
    const char *detail)
{
	char sq[24] = "", d[16] = "";

	if (seq != UINT64_MAX)
		snprintf(sq, sizeof(sq), "%llu", (unsigned long long)seq);
	if (date >= 0)
		tfl_date_format(d, date);
	field(o, section, 0);
	field(o, item, 0);
	field(o, sq, 0);
	field(o, d, 0);
	field(o, ref, 0);
	field(o, code, 0);
	field(o, amount, 0);
	field(o, detail, 1);
}

#define NOSEQ UINT64_MAX

/* A money figure of code (NULL: base). */
static void
csv_money(struct out *o, const char *section, const char *item,
    uint64_t seq, const char *ref, const char *code, int64_t v)
{
	char buf[48];

	tfl__statement_money(buf, v, code, o->s);
	csv(o, section, item, seq, -1, ref, code != NULL ? code :
	    o->s->currency.code, buf, "");
}

static void
csv_text(struct out *o, const char *section, const char *item,
    uint64_t seq, const char *ref, const char *detail)
{
	if (detail[0] != '\0')
		csv(o, section, item, seq, -1, ref, "", "", detail);
}

static void
csv_reversal(struct out *o, const char *section, uint64_t seq,
    const char *ref, const tfl_statement_reversal *r)
{
	char d[64];

	if (r->seq == 0)
		return;
	snprintf(d, sizeof(d), "seq %llu, approved at seq %llu",
	    (unsigned long long)r->seq, (unsigned long long)r->approved_by);
	csv(o, section, "reversed", seq, r->date, ref, "", "", d);
}

static void
csv_header(struct out *o)
{
	const tfl_statement *s = o->s;
	char root[2 * TFL_HASH_SIZE + 1], size[24];

	tfl__hex_encode(root, s->root, TFL_HASH_SIZE);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)s->size);
	pr(o, "section,item,seq,date,reference,currency,amount,detail\n");
	csv_text(o, "header", "fund", NOSEQ, "", s->fund);
	csv_text(o, "header", "origin", NOSEQ, "", s->origin);
	csv_text(o, "header", "donor", NOSEQ, s->donor, s->donor_name);
	csv_text(o, "header", "kind", NOSEQ, s->donor, s->donor_kind);
	csv_text(o, "header", "country", NOSEQ, s->donor, s->donor_country);
	csv(o, "header", "period_from", NOSEQ, s->from, "", "", "", "");
	csv(o, "header", "period_to", NOSEQ, s->to, "", "", "", "");
	csv(o, "header", "currency", NOSEQ, -1, "", s->currency.code, "",
	    "accrual basis");
	csv_text(o, "header", "number", NOSEQ, "", s->number);
	csv_text(o, "header", "ledger_size", NOSEQ, "", size);
	csv_text(o, "header", "ledger_root", NOSEQ, "", root);
}

static void
csv_lines(struct out *o)
{
	const tfl_statement *s = o->s;
	size_t i;

	for (i = 0; i < s->npledges; i++) {
		const tfl_statement_pledge *p = &s->pledges[i];

		csv(o, "pledge", "date", p->seq, p->date, p->ref, "", "", "");
		csv_money(o, "pledge", "amount", p->seq, p->ref, p->currency,
		    p->amount);
		csv_text(o, "pledge", "rate", p->seq, p->ref, p->rate);
		csv_money(o, "pledge", "base_amount", p->seq, p->ref, NULL,
		    p->base);
		csv_text(o, "pledge", "earmark", p->seq, p->ref, p->earmark);
		if (p->due >= 0)
			csv(o, "pledge", "due", p->seq, p->due, p->ref, "", "",
			    "");
		csv_money(o, "pledge", "received", p->seq, p->ref, p->currency,
		    p->received);
		csv_money(o, "pledge", "written_down", p->seq, p->ref,
		    p->currency, p->written_down);
		csv_money(o, "pledge", "outstanding", p->seq, p->ref,
		    p->currency, p->reversal.seq ? 0 : p->amount -
		    p->received - p->written_down);
		csv_money(o, "pledge", "receivable", p->seq, p->ref, NULL,
		    p->receivable);
		csv_reversal(o, "pledge", p->seq, p->ref, &p->reversal);
	}
	for (i = 0; i < s->nreceipts; i++) {
		const tfl_statement_receipt *r = &s->receipts[i];

		csv(o, "receipt", "date", r->seq, r->date, r->ref, "", "", "");
		csv_money(o, "receipt", "amount", r->seq, r->ref, r->currency,
		    r->amount);
		csv_text(o, "receipt", "rate", r->seq, r->ref, r->rate);
		csv_money(o, "receipt", "base_amount", r->seq, r->ref, NULL,
		    r->base);
		csv_text(o, "receipt", "pledge", r->seq, r->ref, r->pledge);
		csv_text(o, "receipt", "earmark", r->seq, r->ref, r->earmark);
		if (r->pledge[0] != '\0') {
			csv_money(o, "receipt", "receivable_cleared", r->seq,
			    r->ref, NULL, r->cleared);
			csv_money(o, "receipt", "exchange_difference", r->seq,
			    r->ref, NULL, r->base - r->cleared);
		}
		csv_money(o, "receipt", "refunded", r->seq, r->ref,
		    r->currency, r->refunded);
		csv_reversal(o, "receipt", r->seq, r->ref, &r->reversal);
	}
}

static void
csv_refunds(struct out *o)
{
	const tfl_statement *s = o->s;
	size_t i;

	for (i = 0; i < s->nrefunds; i++) {
		const tfl_statement_refund *f = &s->refunds[i];

		csv(o, "refund", "date", f->seq, f->date, f->ref, "", "", "");
		csv_money(o, "refund", "amount", f->seq, f->ref, f->currency,
		    f->amount);
		csv_text(o, "refund", "rate", f->seq, f->ref, f->rate);
		csv_money(o, "refund", "base_amount", f->seq, f->ref, NULL,
		    f->base);
		csv_text(o, "refund", "receipt", f->seq, f->ref, f->receipt);
		csv_text(o, "refund", "reason", f->seq, f->ref, f->reason);
		csv_reversal(o, "refund", f->seq, f->ref, &f->reversal);
	}
	for (i = 0; i < s->nwritedowns; i++) {
		const tfl_statement_writedown *w = &s->writedowns[i];

		csv(o, "write_down", "date", w->seq, w->date, w->pledge, "",
		    "", "");
		csv_money(o, "write_down", "amount", w->seq, w->pledge,
		    w->currency, w->amount);
		csv_money(o, "write_down", "receivable_cleared", w->seq,
		    w->pledge, NULL, w->base);
		csv_text(o, "write_down", "reason", w->seq, w->pledge,
		    w->reason);
		csv_reversal(o, "write_down", w->seq, w->pledge, &w->reversal);
	}
}

static void
csv_totals(struct out *o, const char *section, const char *ref,
    const tfl_statement_totals *t, const char *code, int fx)
{
	csv_money(o, section, "pledged", NOSEQ, ref, code, t->pledged);
	csv_money(o, section, "received", NOSEQ, ref, code, t->received);
	csv_money(o, section, "refunded", NOSEQ, ref, code, t->refunded);
	csv_money(o, section, "written_down", NOSEQ, ref, code,
	    t->written_down);
	if (fx)
		csv_money(o, section, "exchange_differences", NOSEQ, ref,
		    code, t->fx);
}

static void
csv_contributions(struct out *o)
{
	const tfl_statement *s = o->s;
	size_t i;

	csv_totals(o, "period", "", &s->period, NULL, 1);
	csv_totals(o, "to_date", "", &s->to_date, NULL, 1);
	csv_money(o, "receivable", "opening", NOSEQ, "", NULL,
	    s->receivable_opening);
	csv_money(o, "receivable", "closing", NOSEQ, "", NULL,
	    s->receivable_closing);
	for (i = 0; i < s->ncurrencies; i++) {
		csv_totals(o, "by_currency", s->currencies[i].currency,
		    &s->currencies[i].amount, s->currencies[i].currency, 0);
		csv_totals(o, "by_currency", s->currencies[i].currency,
		    &s->currencies[i].base, NULL, 1);
	}
}

static void
csv_use(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_grant *g;
	const tfl_statement_use *u;
	const char *pool;
	size_t i, k;

	for (i = 0; i < s->nuses; i++) {
		u = &s->uses[i];
		pool = u->earmark[0] ? u->earmark : "unearmarked";
		csv_money(o, "use", "contributed", NOSEQ, pool, NULL,
		    u->contributed);
		csv_money(o, "use", "grants", NOSEQ, pool, NULL, u->grants);
		csv_money(o, "use", "psc", NOSEQ, pool, NULL, u->psc);
		csv_money(o, "use", "committed", NOSEQ, pool, NULL,
		    u->committed);
		csv_money(o, "use", "available", NOSEQ, pool, NULL,
		    u->available);
		for (k = 0; k < u->ngrants; k++) {
			g = &s->grants[u->first_grant + k];
			csv_text(o, "grant", "ngo", NOSEQ, g->id,
			    g->grantee_name);
			csv_text(o, "grant", "country", NOSEQ, g->id,
			    g->country);
			csv_text(o, "grant", "cycle", NOSEQ, g->id, g->cycle);
			csv_text(o, "grant", "pool", NOSEQ, g->id, pool);
			csv_text(o, "grant", "status", NOSEQ, g->id,
			    g->status == TFL_GRANT_STATUS_CLOSED ? "closed" :
			    "active");
			csv_money(o, "grant", "award", NOSEQ, g->id, NULL,
			    g->award - g->deobligated);
			csv_money(o, "grant", "disbursed", NOSEQ, g->id, NULL,
			    g->disbursed);
			csv_money(o, "grant", "spent", NOSEQ, g->id, NULL,
			    g->spent);
			csv_money(o, "grant", "refunded", NOSEQ, g->id, NULL,
			    g->refunded);
			csv_money(o, "grant", "attributed", NOSEQ, g->id, NULL,
			    g->attributed);
		}
	}
}

static void
csv_fund(struct out *o)
{
	const tfl_statement_fund *f = &o->s->fund_figures;
	const tfl_statement_position *p[2] = { &f->opening, &f->closing };
	static const char *const when[2] = { "opening", "closing" };
	char item[48];
	size_t i;

	csv_money(o, "fund", "contributions", NOSEQ, "", NULL,
	    f->contributions);
	csv_money(o, "fund", "write_downs", NOSEQ, "", NULL, f->write_downs);
	csv_money(o, "fund", "refunds_to_donors", NOSEQ, "", NULL,
	    f->donor_refunds);
	csv_money(o, "fund", "interest", NOSEQ, "", NULL, f->interest);
	csv_money(o, "fund", "exchange_differences", NOSEQ, "", NULL, f->fx);
	csv_money(o, "fund", "grant_expenditure", NOSEQ, "", NULL,
	    f->grant_expenditure);
	csv_money(o, "fund", "psc", NOSEQ, "", NULL, f->psc);
	for (i = 0; i < 2; i++) {
		snprintf(item, sizeof(item), "%s_cash", when[i]);
		csv_money(o, "fund", item, NOSEQ, "", NULL, p[i]->cash);
		snprintf(item, sizeof(item), "%s_receivable", when[i]);
		csv_money(o, "fund", item, NOSEQ, "", NULL, p[i]->receivable);
		snprintf(item, sizeof(item), "%s_advances", when[i]);
		csv_money(o, "fund", item, NOSEQ, "", NULL, p[i]->advances);
		snprintf(item, sizeof(item), "%s_committed", when[i]);
		csv_money(o, "fund", item, NOSEQ, "", NULL, p[i]->committed);
	}
}

static void
csv_results(struct out *o)
{
	const tfl_statement *s = o->s;
	const tfl_statement_results *r = &s->results;
	char n[24];
	size_t k;

	for (k = 0; k < 4; k++) {
		snprintf(n, sizeof(n), "%lld", (long long)r->people[k]);
		csv(o, "results", tfl__stmt_people[k], NOSEQ, -1, "", "", n,
		    "people assisted");
	}
	for (k = 0; k < 3; k++) {
		snprintf(n, sizeof(n), "%lld", (long long)r->forms[k]);
		csv(o, "results", tfl__stmt_forms[k], NOSEQ, -1, "", "", n,
		    "form of exploitation");
	}
	for (k = 0; k < 9; k++) {
		snprintf(n, sizeof(n), "%lld", (long long)r->services[k]);
		csv(o, "results", tfl__stmt_services[k], NOSEQ, -1, "", "", n,
		    "service");
	}
	csv_text(o, "note", "psc_rate", NOSEQ, "", s->psc_rate);
	csv_text(o, "note", "rounding", NOSEQ, "", "half to even, once per "
	    "conversion; pledges cleared on the cumulative amount");
	csv_text(o, "note", "attribution", NOSEQ, "", "pro rata per pool "
	    "over net disbursements, PSC, commitments and available cash; "
	    "largest remainder");
	csv_text(o, "note", "verification", NOSEQ, "", "tfaudit "
	    "verify-statement on the JSON form with the fund's log key");
}

static int
write_csv(struct out *o)
{
	csv_header(o);
	csv_lines(o);
	csv_refunds(o);
	csv_contributions(o);
	csv_use(o);
	csv_fund(o);
	csv_results(o);
	return o->bad;
}

int
tfl_statement_write(FILE *out, const tfl_statement *s, int format,
    const tfl_key *signer, tfl_err *err)
{
	struct out o = { out, 0, s };
	char *json = NULL;
	size_t len;
	int rc;

	if (format < TFL_STATEMENT_TEXT || format > TFL_STATEMENT_PDF)
		return tfl_err_set(err, TFL_EINVAL, "statement: unknown "
		    "format %d", format);
	if (signer != NULL && format != TFL_STATEMENT_JSON)
		return tfl_err_set(err, TFL_EINVAL, "statement: only the JSON "
		    "form is signed");
	if (format == TFL_STATEMENT_PDF) {
		if ((rc = tfl__statement_pdf(out, s, err)) != 0)
			return rc;
	} else if (format == TFL_STATEMENT_JSON) {
		if ((rc = tfl_statement_json(&json, &len, s, signer,
		    err)) != 0)
			return rc;
		o.bad = fwrite(json, 1, len, out) != len;
		free(json);
	} else if (format == TFL_STATEMENT_TEXT) {
		write_text(&o);
	} else {
		write_csv(&o);
	}
	if (o.bad || fflush(out) != 0 || ferror(out))
		return tfl_err_set(err, TFL_EIO, "statement: write failed");
	return 0;
}
