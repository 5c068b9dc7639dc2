/*
 * fundreport_render.c - the fund report for people (text), spreadsheets
 * (CSV: one row per figure) and machines (JSON), from the data alone;
 * tfl_fundreport_write hands PDF to fundreport_pdf.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fundreport_internal.h"

#define WIDTH 76 /* text lines are wrapped to this */

/* A stream and whether a write to it failed. */
struct out {
	FILE *f;
	int bad;
	const tfl_fundreport *r;
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

int
tfl_fundreport_format_find(const char *name)
{
	static const char *const names[] = { "text", "csv", "json", "pdf" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

void
tfl__fr_money(char buf[48], int64_t v, const tfl_fundreport *r, int grouped)
{
	if (grouped)
		tfl_money_format_grouped(buf, 48, v, &r->currency);
	else
		tfl_money_format(buf, 48, v, &r->currency);
}

/* Grouped money of the base currency, for text. */
static const char *
gm(char buf[48], int64_t v, const tfl_fundreport *r)
{
	tfl__fr_money(buf, v, r, 1);
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
		if ((n = strcspn(text, " ")) == 0)
			break;
		if (col > 0 && col + 1 + (int)n > WIDTH) {
			pr(o, "\n");
			col = 0;
		}
		if (col == 0) {
			pr(o, "%*s", indent, "");
			col = indent;
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

/*
 * "    label" then the figures at column 4 + w; a label longer than w - 1
 * gets a line of its own.
 */
static void
label(struct out *o, const char *text, int w)
{
	if ((int)strlen(text) < w)
		pr(o, "    %-*s", w, text);
	else
		pr(o, "    %s\n    %-*s", text, w, "");
}

static void
text_header(struct out *o)
{
	const tfl_fundreport *r = o->r;
	char f[16], t[16], root[2 * TFL_HASH_SIZE + 1];

	tfl__hex_encode(root, r->root, TFL_HASH_SIZE);
	pr(o, "%s\nFUND REPORT %s to %s\n\n", r->fund, dt(f, r->from),
	    dt(t, r->to));
	pr(o, "  Fund            %s\n", r->fund);
	pr(o, "  Ledger          %s\n", r->origin);
	pr(o, "  Period          %s to %s (value dates)\n", f, t);
	pr(o, "  Currency        %s, accrual basis (IPSAS)\n",
	    r->currency.code);
	pr(o, "  Drawn from      a full audit of the ledger's %llu entries, "
	    "whose root is\n    %s\n", (unsigned long long)r->size, root);
}

/* A donor's name as shown: "anonymous donor" for the anonymous row. */
static void
donor_label(char *buf, size_t size, const tfl_fundreport_donor *d)
{
	if (d->anonymous && d->donors > 1)
		snprintf(buf, size, "%s (%zu donors)", d->name, d->donors);
	else if (d->anonymous)
		snprintf(buf, size, "%s", d->name);
	else
		snprintf(buf, size, "%s (%s)", d->name, d->kind);
}

static void
text_contributions(struct out *o)
{
	const tfl_fundreport *r = o->r;
	const tfl_fundreport_donor *d;
	const tfl_fundreport_kind *k;
	char name[TFL_ENTRY_TEXT_MAX + 64], a[48], b[48];
	int64_t c = 0, rec = 0;
	size_t i;

	pr(o, "\n1. Contributions (%s)\n", r->currency.code);
	pr(o, "  %-42s%16s%16s\n", "By donor", "recognised", "received");
	if (r->ndonors == 0)
		pr(o, "    none in the period\n");
	for (i = 0; i < r->ndonors; i++) {
		d = &r->donors[i];
		donor_label(name, sizeof(name), d);
		label(o, name, 40);
		pr(o, "%16s%16s\n", gm(a, d->contributions, r),
		    gm(b, d->received - d->refunded, r));
		c += d->contributions;
		rec += d->received - d->refunded;
	}
	label(o, "total", 40);
	pr(o, "%16s%16s\n", gm(a, c, r), gm(b, rec, r));
	pr(o, "\n  %-26s%8s%20s%20s\n", "By kind of donor", "donors",
	    "recognised", "received");
	for (i = 0; i < r->nkinds; i++) {
		k = &r->kinds[i];
		label(o, k->kind, 24);
		pr(o, "%8zu%20s%20s\n", k->donors, gm(a, k->contributions, r),
		    gm(b, k->received, r));
	}
	wrap(o, 2, "Recognised: revenue on the accrual basis (a pledge when "
	    "its agreement is signed, a receipt without a pledge when it "
	    "arrives) less write-downs and refunds. Received: cash less "
	    "refunds to the donor. Anonymous donors are shown together as "
	    "\"" TFL_FUNDREPORT_ANONYMOUS "\", never by name.");
}

static void
text_groups(struct out *o, const char *title, const tfl_fundreport_group *g,
    size_t n, const char *none)
{
	const tfl_fundreport *r = o->r;
	char a[48], b[48], c[48];
	size_t i;

	pr(o, "\n  %-18s%8s%16s%16s%16s\n", title, "grants", "awarded",
	    "disbursed", "spent");
	if (n == 0)
		pr(o, "    none in the period\n");
	for (i = 0; i < n; i++) {
		label(o, g[i].key[0] != '\0' ? g[i].key : none, 16);
		pr(o, "%8zu%16s%16s%16s\n", g[i].grants,
		    gm(a, g[i].awarded, r), gm(b, g[i].disbursed, r),
		    gm(c, g[i].spent, r));
	}
}

static void
text_grants(struct out *o)
{
	const tfl_fundreport *r = o->r;
	const tfl_fundreport_group *t = &r->grants;
	char a[48], b[48], c[48];

	pr(o, "\n2. Grants (%s)\n", r->currency.code);
	text_groups(o, "By country", r->countries, r->ncountries,
	    "(not given)");
	text_groups(o, "By purpose", r->purposes, r->npurposes,
	    "(not given)");
	text_groups(o, "By cycle", r->cycles, r->ncycles, "(no cycle)");
	pr(o, "    %-16s%8zu%16s%16s%16s\n", "all grants", t->grants,
	    gm(a, t->awarded, r), gm(b, t->disbursed, r),
	    gm(c, t->spent, r));
	wrap(o, 2, "Grants that moved in the period. Awarded: approved "
	    "awards less deobligations; disbursed: tranches paid less "
	    "refunds from the NGO; spent: expenditure the NGO reported. A "
	    "grant with several purposes counts under each, its amounts "
	    "split equally between them.");
}

static void
row(struct out *o, const char *name, int64_t v)
{
	char a[48];

	pr(o, "    %-44s%20s\n", name, gm(a, v, o->r));
}

static void
row2(struct out *o, const char *name, int64_t a, int64_t b)
{
	char x[48], y[48];

	pr(o, "    %-36s%18s%18s\n", name, gm(x, a, o->r), gm(y, b, o->r));
}

static int64_t
net_assets(const tfl_fundreport_position *p)
{
	return p->cash + p->receivable + p->advances;
}

static void
text_balance(struct out *o)
{
	const tfl_fundreport *r = o->r;
	const tfl_fundreport_flows *f = &r->flows;
	const tfl_fundreport_position *a = &r->opening, *b = &r->closing;
	char line[96], d[16];

	pr(o, "\n3. Expenditure (%s)\n", r->currency.code);
	row(o, "grant expenditure reported by NGOs", f->grant_expenditure);
	snprintf(line, sizeof(line), "programme support cost (PSC, %s%%)",
	    r->psc_rate);
	row(o, line, f->psc);
	row(o, "total expenditure", f->grant_expenditure + f->psc);
	pr(o, "\n4. Fund balance (%s)\n", r->currency.code);
	snprintf(line, sizeof(line), "opening net assets (before %s)",
	    dt(d, r->from));
	row(o, line, net_assets(a));
	row(o, "contributions recognised", f->contributions);
	row(o, "less write-downs of pledges", -f->write_downs);
	row(o, "less refunds to donors", -f->donor_refunds);
	row(o, "interest", f->interest);
	row(o, "exchange differences", f->fx);
	row(o, "less grant expenditure", -f->grant_expenditure);
	row(o, "less programme support cost", -f->psc);
	snprintf(line, sizeof(line), "closing net assets (at %s)",
	    dt(d, r->to));
	row(o, line, net_assets(b));
	pr(o, "    %-36s%18s%18s\n", "", "opening", "closing");
	row2(o, "cash", a->cash, b->cash);
	row2(o, "receivables (pledges due)", a->receivable, b->receivable);
	row2(o, "advances to NGOs", a->advances, b->advances);
	row2(o, "net assets", net_assets(a), net_assets(b));
	row2(o, "committed to awards, not yet paid", a->committed,
	    b->committed);
	row2(o, "available for new awards", a->cash - a->committed,
	    b->cash - b->committed);
}

static void
count_row(struct out *o, const char *name, int64_t v)
{
	pr(o, "    %-30s%10lld\n", name, (long long)v);
}

static void
text_results(struct out *o)
{
	const tfl_fundreport_results *s = &o->r->results;
	static const char *const sex[] = { "women", "girls", "men", "boys" };
	int64_t total = s->people[0] + s->people[1] + s->people[2] +
	    s->people[3];
	size_t k;

	pr(o, "\n5. People assisted (%zu reports from %zu grants)\n",
	    s->reports, s->grants);
	pr(o, "  By sex\n");
	for (k = 0; k < TFL_FUNDREPORT_SEXES; k++)
		count_row(o, sex[k], s->people[k]);
	count_row(o, "total", total);
	pr(o, "  By age group\n");
	count_row(o, "adults (women and men)", s->people[0] + s->people[2]);
	count_row(o, "children (girls and boys)",
	    s->people[1] + s->people[3]);
	pr(o, "  By form of exploitation\n");
	count_row(o, "sexual exploitation", s->forms[0]);
	count_row(o, "forced labour", s->forms[1]);
	count_row(o, "other forms", s->forms[2]);
	count_row(o, "not recorded", total - s->forms[0] - s->forms[1] -
	    s->forms[2]);
	pr(o, "  Services given\n");
	for (k = 0; k < TFL_FUNDREPORT_SERVICES; k++)
		count_row(o, tfl__stmt_services[k], s->services[k]);
	wrap(o, 2, "Counts the NGOs reported with their expenditure in the "
	    "period (the categories of GA resolution 67/190's call for "
	    "comparable data); nothing identifies a person, and a person "
	    "assisted in two reports counts twice.");
}

static void
text_notes(struct out *o)
{
	char line[256];

	pr(o, "\n6. Notes\n");
	snprintf(line, sizeof(line), "Programme support cost: %s%% of "
	    "expenditure (the policy's rate now), charged on cumulative "
	    "expenditure, so rounding never drifts.", o->r->psc_rate);
	wrap(o, 2, line);
	wrap(o, 2, "Amounts in other currencies were converted once, at "
	    "the rate recorded with each entry, half to even. Every figure "
	    "is a sum of the ledger's signed entries: `tfaudit verify` and "
	    "`tfaudit export` on a copy of the ledger show them one by "
	    "one.");
}

static void
write_text(struct out *o)
{
	text_header(o);
	text_contributions(o);
	text_grants(o);
	text_balance(o);
	text_results(o);
	text_notes(o);
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

/* A row: section,key,item,currency,value. */
static void
csv(struct out *o, const char *section, const char *key, const char *item,
    const char *currency, const char *value)
{
	field(o, section, 0);
	field(o, key, 0);
	field(o, item, 0);
	field(o, currency, 0);
	field(o, value, 1);
}

static void
csv_money(struct out *o, const char *section, const char *key,
    const char *item, int64_t v)
{
	char buf[48];

	tfl__fr_money(buf, v, o->r, 0);
	csv(o, section, key, item, o->r->currency.code, buf);
}

static void
csv_count(struct out *o, const char *section, const char *key,
    const char *item, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	csv(o, section, key, item, "", buf);
}

static void
csv_header(struct out *o)
{
	const tfl_fundreport *r = o->r;
	char root[2 * TFL_HASH_SIZE + 1], d[16];

	tfl__hex_encode(root, r->root, TFL_HASH_SIZE);
	pr(o, "section,key,item,currency,value\n");
	csv(o, "header", "", "fund", "", r->fund);
	csv(o, "header", "", "origin", "", r->origin);
	csv(o, "header", "", "period_from", "", dt(d, r->from));
	csv(o, "header", "", "period_to", "", dt(d, r->to));
	csv(o, "header", "", "currency", "", r->currency.code);
	csv(o, "header", "", "basis", "", "accrual");
	csv_count(o, "header", "", "ledger_size", (int64_t)r->size);
	csv(o, "header", "", "ledger_root", "", root);
	csv(o, "header", "", "psc_rate", "", r->psc_rate);
}

static void
csv_contributions(struct out *o)
{
	const tfl_fundreport *r = o->r;
	const tfl_fundreport_donor *d;
	const char *key;
	size_t i;

	for (i = 0; i < r->ndonors; i++) {
		d = &r->donors[i];
		key = d->anonymous ? d->name : d->id;
		if (!d->anonymous) {
			csv(o, "donor", key, "name", "", d->name);
			csv(o, "donor", key, "kind", "", d->kind);
			csv(o, "donor", key, "country", "", d->country);
		}
		csv_count(o, "donor", key, "donors", (int64_t)d->donors);
		csv_money(o, "donor", key, "pledged", d->pledged);
		csv_money(o, "donor", key, "received", d->received);
		csv_money(o, "donor", key, "refunded", d->refunded);
		csv_money(o, "donor", key, "written_down", d->written_down);
		csv_money(o, "donor", key, "contributions", d->contributions);
	}
	for (i = 0; i < r->nkinds; i++) {
		key = r->kinds[i].kind;
		csv_count(o, "kind", key, "donors",
		    (int64_t)r->kinds[i].donors);
		csv_money(o, "kind", key, "contributions",
		    r->kinds[i].contributions);
		csv_money(o, "kind", key, "received", r->kinds[i].received);
	}
}

static void
csv_group(struct out *o, const char *section, const tfl_fundreport_group *g)
{
	csv_count(o, section, g->key, "grants", (int64_t)g->grants);
	csv_money(o, section, g->key, "awarded", g->awarded);
	csv_money(o, section, g->key, "disbursed", g->disbursed);
	csv_money(o, section, g->key, "spent", g->spent);
}

static void
csv_grants(struct out *o)
{
	const tfl_fundreport *r = o->r;
	size_t i;

	for (i = 0; i < r->ncountries; i++)
		csv_group(o, "country", &r->countries[i]);
	for (i = 0; i < r->npurposes; i++)
		csv_group(o, "purpose", &r->purposes[i]);
	for (i = 0; i < r->ncycles; i++)
		csv_group(o, "cycle", &r->cycles[i]);
	csv_group(o, "grants", &r->grants);
}

static void
csv_position(struct out *o, const char *when, const tfl_fundreport_position *p)
{
	csv_money(o, "balance", when, "cash", p->cash);
	csv_money(o, "balance", when, "receivable", p->receivable);
	csv_money(o, "balance", when, "advances", p->advances);
	csv_money(o, "balance", when, "net_assets", net_assets(p));
	csv_money(o, "balance", when, "committed", p->committed);
	csv_money(o, "balance", when, "available", p->cash - p->committed);
}

static void
csv_balance(struct out *o)
{
	const tfl_fundreport_flows *f = &o->r->flows;
	int64_t surplus = f->contributions - f->write_downs - f->donor_refunds +
	    f->interest + f->fx - f->grant_expenditure - f->psc;

	csv_money(o, "expenditure", "", "grants", f->grant_expenditure);
	csv_money(o, "expenditure", "", "psc", f->psc);
	csv_money(o, "expenditure", "", "total", f->grant_expenditure + f->psc);
	csv_position(o, "opening", &o->r->opening);
	csv_money(o, "balance", "movements", "contributions",
	    f->contributions);
	csv_money(o, "balance", "movements", "write_downs", f->write_downs);
	csv_money(o, "balance", "movements", "refunds_to_donors",
	    f->donor_refunds);
	csv_money(o, "balance", "movements", "interest", f->interest);
	csv_money(o, "balance", "movements", "exchange_differences", f->fx);
	csv_money(o, "balance", "movements", "grant_expenditure",
	    f->grant_expenditure);
	csv_money(o, "balance", "movements", "psc", f->psc);
	csv_money(o, "balance", "movements", "surplus", surplus);
	csv_position(o, "closing", &o->r->closing);
}

static void
csv_results(struct out *o)
{
	const tfl_fundreport_results *s = &o->r->results;
	int64_t total = s->people[0] + s->people[1] + s->people[2] +
	    s->people[3];
	size_t k;

	csv_count(o, "results", "", "reports", (int64_t)s->reports);
	csv_count(o, "results", "", "grants", (int64_t)s->grants);
	for (k = 0; k < TFL_FUNDREPORT_SEXES; k++)
		csv_count(o, "results", "sex", tfl__stmt_people[k],
		    s->people[k]);
	csv_count(o, "results", "sex", "total", total);
	csv_count(o, "results", "age_group", "adults",
	    s->people[0] + s->people[2]);
	csv_count(o, "results", "age_group", "children",
	    s->people[1] + s->people[3]);
	for (k = 0; k < TFL_FUNDREPORT_FORMS; k++)
		csv_count(o, "results", "form", tfl__stmt_forms[k],
		    s->forms[k]);
	csv_count(o, "results", "form", "not_recorded", total - s->forms[0] -
	    s->forms[1] - s->forms[2]);
	for (k = 0; k < TFL_FUNDREPORT_SERVICES; k++)
		csv_count(o, "results", "service", tfl__stmt_services[k],
		    s->services[k]);
}

static void
write_csv(struct out *o)
{
	csv_header(o);
	csv_contributions(o);
	csv_grants(o);
	csv_balance(o);
	csv_results(o);
}

/* JSON building: the first failure sticks (as statement_json.c). */
struct jb {
	int bad;
	const tfl_fundreport *r;
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

static void
put_money(struct jb *b, json_t *o, const char *key, int64_t v)
{
	char buf[48];

	tfl__fr_money(buf, v, b->r, 0);
	put(b, o, key, json_string(buf));
}

static void
put_int(struct jb *b, json_t *o, const char *key, int64_t v)
{
	put(b, o, key, json_integer((json_int_t)v));
}

static json_t *
json_header(struct jb *b, json_t *doc)
{
	const tfl_fundreport *r = b->r;
	char root[2 * TFL_HASH_SIZE + 1], d[16];
	json_t *o;

	tfl__hex_encode(root, r->root, TFL_HASH_SIZE);
	put(b, doc, "version", json_string(TFL_FUNDREPORT_VERSION));
	put(b, doc, "fund", o = json_object());
	put(b, o, "name", json_string(r->fund));
	put(b, o, "origin", json_string(r->origin));
	put(b, o, "currency", json_string(r->currency.code));
	put(b, o, "basis", json_string("accrual"));
	put(b, doc, "period", o = json_object());
	put(b, o, "from", json_string(dt(d, r->from)));
	put(b, o, "to", json_string(dt(d, r->to)));
	put(b, doc, "ledger", o = json_object());
	put_int(b, o, "size", (int64_t)r->size);
	put(b, o, "root", json_string(root));
	return doc;
}

static json_t *
json_donor(struct jb *b, const tfl_fundreport_donor *d)
{
	json_t *o = json_object();

	put(b, o, "name", json_string(d->name));
	put(b, o, "anonymous", json_boolean(d->anonymous));
	put_int(b, o, "donors", (int64_t)d->donors);
	if (!d->anonymous) {
		put(b, o, "id", json_string(d->id));
		put(b, o, "kind", json_string(d->kind));
		if (d->country[0] != '\0')
			put(b, o, "country", json_string(d->country));
	}
	put_money(b, o, "pledged", d->pledged);
	put_money(b, o, "received", d->received);
	put_money(b, o, "refunded", d->refunded);
	put_money(b, o, "written_down", d->written_down);
	put_money(b, o, "contributions", d->contributions);
	return o;
}

static json_t *
json_contributions(struct jb *b)
{
	const tfl_fundreport *r = b->r;
	json_t *o = json_object(), *a, *k;
	size_t i;

	put(b, o, "by_donor", a = json_array());
	for (i = 0; i < r->ndonors; i++)
		push(b, a, json_donor(b, &r->donors[i]));
	put(b, o, "by_kind", a = json_array());
	for (i = 0; i < r->nkinds; i++) {
		push(b, a, k = json_object());
		put(b, k, "kind", json_string(r->kinds[i].kind));
		put_int(b, k, "donors", (int64_t)r->kinds[i].donors);
		put_money(b, k, "contributions", r->kinds[i].contributions);
		put_money(b, k, "received", r->kinds[i].received);
	}
	return o;
}

/* A group; its key as name (null: none given). */
static json_t *
json_group(struct jb *b, const char *name, const tfl_fundreport_group *g)
{
	json_t *o = json_object();

	if (name != NULL)
		put(b, o, name, g->key[0] != '\0' ? json_string(g->key) :
		    json_null());
	put_int(b, o, "grants", (int64_t)g->grants);
	put_money(b, o, "awarded", g->awarded);
	put_money(b, o, "disbursed", g->disbursed);
	put_money(b, o, "spent", g->spent);
	return o;
}

static json_t *
json_grants(struct jb *b)
{
	const tfl_fundreport *r = b->r;
	json_t *o = json_object(), *a;
	size_t i;

	put(b, o, "by_country", a = json_array());
	for (i = 0; i < r->ncountries; i++)
		push(b, a, json_group(b, "country", &r->countries[i]));
	put(b, o, "by_purpose", a = json_array());
	for (i = 0; i < r->npurposes; i++)
		push(b, a, json_group(b, "purpose", &r->purposes[i]));
	put(b, o, "by_cycle", a = json_array());
	for (i = 0; i < r->ncycles; i++)
		push(b, a, json_group(b, "cycle", &r->cycles[i]));
	put(b, o, "total", json_group(b, NULL, &r->grants));
	return o;
}

static json_t *
json_position(struct jb *b, const tfl_fundreport_position *p)
{
	json_t *o = json_object();

	put_money(b, o, "cash", p->cash);
	put_money(b, o, "receivable", p->receivable);
	put_money(b, o, "advances", p->advances);
	put_money(b, o, "net_assets", net_assets(p));
	put_money(b, o, "committed", p->committed);
	put_money(b, o, "available", p->cash - p->committed);
	return o;
}

static void
json_money_figures(struct jb *b, json_t *doc)
{
	const tfl_fundreport_flows *f = &b->r->flows;
	json_t *o, *m;

	put(b, doc, "expenditure", o = json_object());
	put_money(b, o, "grants", f->grant_expenditure);
	put_money(b, o, "psc", f->psc);
	put_money(b, o, "total", f->grant_expenditure + f->psc);
	put(b, o, "psc_rate", json_string(b->r->psc_rate));
	put(b, doc, "fund_balance", o = json_object());
	put(b, o, "opening", json_position(b, &b->r->opening));
	put(b, o, "closing", json_position(b, &b->r->closing));
	put(b, o, "movements", m = json_object());
	put_money(b, m, "contributions", f->contributions);
	put_money(b, m, "write_downs", f->write_downs);
	put_money(b, m, "refunds_to_donors", f->donor_refunds);
	put_money(b, m, "interest", f->interest);
	put_money(b, m, "exchange_differences", f->fx);
	put_money(b, m, "grant_expenditure", f->grant_expenditure);
	put_money(b, m, "psc", f->psc);
	put_money(b, m, "surplus", f->contributions - f->write_downs -
	    f->donor_refunds + f->interest + f->fx - f->grant_expenditure -
	    f->psc);
}

static json_t *
json_results(struct jb *b)
{
	const tfl_fundreport_results *s = &b->r->results;
	int64_t total = s->people[0] + s->people[1] + s->people[2] +
	    s->people[3];
	json_t *o = json_object(), *x;
	size_t k;

	put_int(b, o, "reports", (int64_t)s->reports);
	put_int(b, o, "grants", (int64_t)s->grants);
	put(b, o, "people", x = json_object());
	for (k = 0; k < TFL_FUNDREPORT_SEXES; k++)
		put_int(b, x, tfl__stmt_people[k], s->people[k]);
	put_int(b, x, "total", total);
	put(b, o, "age_groups", x = json_object());
	put_int(b, x, "adults", s->people[0] + s->people[2]);
	put_int(b, x, "children", s->people[1] + s->people[3]);
	put(b, o, "forms", x = json_object());
	for (k = 0; k < TFL_FUNDREPORT_FORMS; k++)
		put_int(b, x, tfl__stmt_forms[k], s->forms[k]);
	put_int(b, x, "not_recorded", total - s->forms[0] - s->forms[1] -
	    s->forms[2]);
	put(b, o, "services", x = json_object());
	for (k = 0; k < TFL_FUNDREPORT_SERVICES; k++)
		put_int(b, x, tfl__stmt_services[k], s->services[k]);
	return o;
}

static int
write_json(struct out *o, tfl_err *err)
{
	struct jb b = { 0, o->r };
	json_t *doc = json_object();

	json_header(&b, doc);
	put(&b, doc, "contributions", json_contributions(&b));
	put(&b, doc, "grants", json_grants(&b));
	json_money_figures(&b, doc);
	put(&b, doc, "results", json_results(&b));
	if (b.bad) {
		json_decref(doc);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	if (json_dumpf(doc, o->f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		o->bad = 1;
	pr(o, "\n");
	json_decref(doc);
	return 0;
}

int
tfl_fundreport_write(FILE *out, const tfl_fundreport *r, int format,
    tfl_err *err)
{
	struct out o = { out, 0, r };
	int rc = 0;

	if (format == TFL_FUNDREPORT_PDF)
		rc = tfl__fundreport_pdf(out, r, err);
	else if (format == TFL_FUNDREPORT_JSON)
		rc = write_json(&o, err);
	else if (format == TFL_FUNDREPORT_CSV)
		write_csv(&o);
	else if (format == TFL_FUNDREPORT_TEXT)
		write_text(&o);
	else
		return tfl_err_set(err, TFL_EINVAL, "fund report: unknown "
		    "format %d", format);
	if (rc != 0)
		return rc;
	if (o.bad || fflush(out) != 0 || ferror(out))
		return tfl_err_set(err, TFL_EIO, "fund report: write failed");
	return 0;
}
