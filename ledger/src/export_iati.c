/*
 * export_iati.c - the fund as one IATI 2.03 activity: the audited
 * transactions of export.c mapped to IATI transaction types, donors and
 * NGOs named from the state, in the schema's element order.
 * docs/IATI.md gives the reasons for each code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "fund_internal.h"

#define REPORTER "United Nations Office on Drugs and Crime"
#define ANONYMOUS "Anonymous donor"

/* clang-format off */
#define ORG_MULTILATERAL	40	/* the reporting org, and IGOs */
#define ORG_NGO			22	/* National NGO: every grantee */
#define SECTOR			"15180"	/* ending violence against women
					   and girls (DAC 5-digit) */
#define REGION_UNSPECIFIED	"998"	/* developing countries,
					   unspecified (DAC region) */
/* clang-format on */

enum side { FROM_DONOR = 1, TO_NGO, TO_REPORTER };

/* How the postings of an entry type become an IATI transaction. */
struct map {
	int code;	     /* TransactionType; 0: not exported */
	const char *account; /* the value is what is posted under it */
	enum side side;
	const char *what;    /* for the description */
	const char *aid;     /* AidType (vocabulary 1, OECD DAC) */
};

/* clang-format off */
static const struct map maps[TFL_ENTRY_NTYPES] = {
	[TFL_ENTRY_PLEDGE]		= { 11, "assets:receivable",
	    FROM_DONOR, "pledge", "B032" },
	[TFL_ENTRY_PLEDGE_WRITEDOWN]	= { 11, "assets:receivable",
	    FROM_DONOR, "write-down of a pledge", "B032" },
	[TFL_ENTRY_RECEIPT]		= { 1, "assets:cash",
	    FROM_DONOR, "receipt", "B032" },
	[TFL_ENTRY_DONOR_REFUND]	= { 1, "assets:cash",
	    FROM_DONOR, "refund to the donor", "B032" },
	[TFL_ENTRY_GRANT]		= { 2, "memo:commitments",
	    TO_NGO, "award of grant", "C01" },
	[TFL_ENTRY_DEOBLIGATION]	= { 2, "memo:commitments",
	    TO_NGO, "deobligation of grant", "C01" },
	[TFL_ENTRY_DISBURSEMENT]	= { 3, "assets:advances",
	    TO_NGO, "tranche of grant", "C01" },
	[TFL_ENTRY_GRANTEE_REFUND]	= { 3, "assets:advances",
	    TO_NGO, "refund by the NGO of grant", "C01" },
	[TFL_ENTRY_EXPENDITURE]		= { 4, "expenses:grants",
	    TO_NGO, "spending reported on grant", "C01" },
	[TFL_ENTRY_PSC]			= { 4, "expenses:psc",
	    TO_REPORTER, "programme support cost", "G01" },
};

/* OrganisationType by donor kind; individuals have no code of their own */
static const struct { const char *kind; int type; } donor_types[] = {
	{ "government", 10 }, { "intergovernmental", ORG_MULTILATERAL },
	{ "foundation", 60 }, { "private", 70 }, { "individual", 90 },
	{ "other", 90 },
};
/* clang-format on */

/* A donor, or a grant and its NGO, as the file names them. */
struct org {
	char id[TFL_ENTRY_ID_MAX + 1]; /* the donor's or the grant's */
	enum side side;
	char name[TFL_ENTRY_TEXT_MAX + 1];
	int type;	 /* OrganisationType, 0: not written */
	char country[3]; /* a grant's */
};

/* One IATI transaction. */
struct itx {
	const struct tfl__txn *t;
	const struct map *m;
	int64_t value;
	size_t org; /* in orgs; unused for the reporting org */
};

struct iati {
	const struct tfl__book *b;
	const struct tfl__iati_opts *o;
	struct itx *tx;
	size_t ntx;
	struct org *orgs;
	size_t norgs, caporgs;
	int64_t now;   /* the export's time */
	int64_t start; /* the activity's actual start, days */
};

/* Is c allowed in an identifier (tfl_export_write_ext)? */
static int
id_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("/&|?<>\"'", c) == NULL;
}

static int
check_id(char *dst, const char *what, const char *id, tfl_err *err)
{
	size_t i, n = strlen(id);

	if (n == 0 || n > TFL_EXPORT_IATI_ID_MAX)
		return tfl_err_set(err, TFL_EINVAL, "%s \"%.*s\": must be 1 "
		    "to %d characters", what, 40, id, TFL_EXPORT_IATI_ID_MAX);
	for (i = 0; i < n; i++)
		if (!id_char((unsigned char)id[i]))
			return tfl_err_set(err, TFL_EINVAL, "%s \"%s\": no "
			    "spaces, controls or / & | ? < > \" ' allowed",
			    what, id);
	memcpy(dst, id, n + 1);
	return 0;
}

int
tfl__export_iati_opts(struct tfl__iati_opts *out,
    const tfl_export_opts *opts, tfl_err *err)
{
	tfl_export_opts d = TFL_EXPORT_OPTS_INIT;
	char act[TFL_EXPORT_IATI_ID_MAX + 32];
	int rc;

	if (opts == NULL)
		opts = &d;
	memset(out, 0, sizeof(*out));
	out->now = opts->now;
	if ((rc = check_id(out->org, "iati org", opts->iati_org != NULL ?
	    opts->iati_org : TFL_EXPORT_IATI_ORG, err)) != 0)
		return rc;
	snprintf(act, sizeof(act), "%s%s", out->org,
	    TFL_EXPORT_IATI_ACTIVITY_SUFFIX);
	if ((rc = check_id(out->activity, "iati activity",
	    opts->iati_activity != NULL ? opts->iati_activity : act,
	    err)) != 0)
		return rc;
	/* the Standard's rule 1.1.3 */
	if (strcmp(out->org, out->activity) == 0)
		return tfl_err_set(err, TFL_EINVAL, "iati activity \"%s\": "
		    "must differ from the organisation identifier",
		    out->activity);
	return 0;
}

/* The IATI transactions of x->b, with their values; orgs unresolved. */
static int
build(struct iati *x, tfl_err *err)
{
	const struct tfl__book *b = x->b;
	const struct tfl__txn *t;
	struct itx *it;
	size_t i, j;

	if ((x->tx = calloc(b->ntxn + 1, sizeof(*x->tx))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; i < b->ntxn; i++) {
		t = &b->txn[i];
		if (t->etype < 0 || t->etype >= TFL_ENTRY_NTYPES ||
		    maps[t->etype].code == 0)
			continue;
		it = &x->tx[x->ntx++];
		it->t = t;
		it->m = &maps[t->etype];
		for (j = 0; j < t->n; j++)
			if (tfl__account_under(b->post[t->first + j].account,
			    it->m->account))
				it->value += b->post[t->first + j].amount;
	}
	return 0;
}

static int
donor_type(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(donor_types) / sizeof(donor_types[0]); i++)
		if (strcmp(kind, donor_types[i].kind) == 0)
			return donor_types[i].type;
	return 90;
}

/* An anonymous donor is never named, nor typed (its kind narrows it). */
static int
fill_donor(struct org *g, tfl_kv *state, tfl_err *err)
{
	tfl_fund_donor d;
	int rc;

	if ((rc = tfl_fund_donor_get(&d, state, g->id, err)) != 0)
		return rc;
	snprintf(g->name, sizeof(g->name), "%s", d.anonymous ? ANONYMOUS :
	    d.name);
	g->type = d.anonymous ? 0 : donor_type(d.kind);
	return 0;
}

static int
fill_grant(struct org *g, tfl_kv *state, tfl_err *err)
{
	struct tfl__grantee ge;
	tfl_fund_grant gr;
	char key[TFL_ENTRY_ID_MAX + 16];
	int rc;

	if ((rc = tfl_fund_grant_get(&gr, state, g->id, err)) != 0)
		return rc;
	snprintf(key, sizeof(key), "grantee/%s", gr.grantee);
	if ((rc = tfl__kv_get_fixed(state, key, &ge, sizeof(ge), err)) != 0)
		return rc;
	snprintf(g->name, sizeof(g->name), "%s", ge.name);
	memcpy(g->country, gr.country, sizeof(g->country));
	g->type = ORG_NGO;
	return 0;
}

/* The org of it, found or added and looked up in state. */
static int
find_org(struct iati *x, struct itx *it, tfl_kv *state, tfl_err *err)
{
	struct org *g;
	size_t i;

	for (i = 0; i < x->norgs; i++)
		if (x->orgs[i].side == it->m->side &&
		    strcmp(x->orgs[i].id, it->t->party) == 0) {
			it->org = i;
			return 0;
		}
	g = tfl__export_grow(x->orgs, &x->caporgs, x->norgs + 1, sizeof(*g));
	if (g == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	x->orgs = g;
	g = &x->orgs[x->norgs];
	memset(g, 0, sizeof(*g));
	memcpy(g->id, it->t->party, sizeof(g->id));
	g->side = it->m->side;
	it->org = x->norgs++;
	return g->side == FROM_DONOR ? fill_donor(g, state, err) :
	    fill_grant(g, state, err);
}

/* tfl_ledger_read's callback: resolve every transaction's org. */
static int
resolve(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct iati *x = ctx;
	size_t i;
	int rc;

	for (i = 0; i < x->ntx; i++)
		if (x->tx[i].m->side != TO_REPORTER &&
		    (rc = find_org(x, &x->tx[i], state, err)) != 0)
			return tfl_err_prefix(err, "seq %llu",
			    (unsigned long long)x->tx[i].t->seq);
	return 0;
}

/*
 * The activity starts when the ledger's records do: its genesis or the
 * earliest value date.  IATI forbids dates after today (rules 11.1.4,
 * 11.2.1, 11.2.2): a clock behind the ledger's is refused, not hidden.
 */
static int
dates(struct iati *x, tfl_ledger *l, tfl_err *err)
{
	int64_t today = x->now / 86400, day;
	char d[16], t[16];
	tfl_entry *g = NULL;
	size_t i;
	int rc;

	if ((rc = tfl__export_load(&g, l, 0, err)) != 0)
		return rc;
	x->start = tfl_entry_time(g) / 86400;
	tfl_entry_free(g);
	tfl_date_format(t, today);
	for (i = 0; i < x->ntx; i++) {
		day = x->tx[i].t->date;
		if (day < x->start)
			x->start = day;
		if (day <= today)
			continue;
		tfl_date_format(d, day);
		return tfl_err_set(err, TFL_ERULE, "seq %llu: date %s is after "
		    "today (%s); IATI allows no future dates",
		    (unsigned long long)x->tx[i].t->seq, d, t);
	}
	if (x->start > today) {
		tfl_date_format(d, x->start);
		return tfl_err_set(err, TFL_ERULE, "genesis: dated %s, after "
		    "today (%s); IATI allows no future dates", d, t);
	}
	return 0;
}

/*
 * Text for XML content and attribute values.  Entries hold valid UTF-8
 * without controls; U+FFFE and U+FFFF are not XML characters: U+FFFD.
 */
static void
esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == '&')
			fputs("&amp;", f);
		else if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '"')
			fputs("&quot;", f);
		else if (*p == '\'')
			fputs("&apos;", f);
		else if (p[0] == 0xef && p[1] == 0xbf &&
		    (p[2] == 0xbe || p[2] == 0xbf)) {
			fputs("\xef\xbf\xbd", f);
			p += 2;
		} else
			fputc(*p, f);
	}
}

static void
narrative(FILE *f, const char *indent, const char *text)
{
	fprintf(f, "%s<narrative>", indent);
	esc(f, text);
	fputs("</narrative>\n", f);
}

/* <el ref type role><narrative>name</narrative></el>; 0 and NULL omit. */
static void
org_el(FILE *f, const char *indent, const char *el, const char *ref,
    int type, int role, const char *name)
{
	char deeper[16];

	fprintf(f, "%s<%s", indent, el);
	if (ref != NULL) {
		fputs(" ref=\"", f);
		esc(f, ref);
		fputc('"', f);
	}
	if (type != 0)
		fprintf(f, " type=\"%d\"", type);
	if (role != 0)
		fprintf(f, " role=\"%d\"", role);
	fputs(">\n", f);
	snprintf(deeper, sizeof(deeper), "%s ", indent);
	narrative(f, deeper, name);
	fprintf(f, "%s</%s>\n", indent, el);
}

/* An element with one narrative: title, description. */
static void
text_el(FILE *f, const char *el, const char *attrs, const char *text)
{
	fprintf(f, "  <%s%s>\n", el, attrs);
	narrative(f, "   ", text);
	fprintf(f, "  </%s>\n", el);
}

static void
head(FILE *f, const struct iati *x)
{
	const struct tfl__book *b = x->b;
	char now[32], last[32], root[2 * TFL_HASH_SIZE + 1], text[1024];

	tfl_time_format(now, x->now);
	tfl_time_format(last, b->info.last_time < x->now ?
	    b->info.last_time : x->now);
	tfl__hex_encode(root, b->report.root, TFL_HASH_SIZE);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<iati-activities version=\"2.03\" generated-datetime=\"%s\">\n"
	    " <iati-activity last-updated-datetime=\"%s\" xml:lang=\"en\" "
	    "default-currency=\"%s\" hierarchy=\"1\">\n"
	    "  <iati-identifier>", now, last, b->info.currency.code);
	esc(f, x->o->activity);
	fputs("</iati-identifier>\n", f);
	org_el(f, "  ", "reporting-org", x->o->org, ORG_MULTILATERAL, 0,
	    REPORTER);
	text_el(f, "title", "", b->info.fund);
	text_el(f, "description", " type=\"1\"", "Grants to "
	    "non-governmental organisations that give direct assistance to "
	    "victims of trafficking in persons, especially women and "
	    "children: shelter, medical care, psycho-social support, legal "
	    "aid, material aid, education and vocational training, family "
	    "reunification, repatriation and reintegration.");
	snprintf(text, sizeof(text), "Exported by tfledger from the ledger "
	    "%s after a full audit of its %llu entries (Merkle root %s). "
	    "Values are in %s, the ledger's base currency; money in another "
	    "currency is converted at the UN operational rate of exchange of "
	    "its date, and the transaction's description gives the original "
	    "amount. Negative values are refunds, write-downs, "
	    "deobligations and reversals. Interest earned is not reported.",
	    b->info.origin, (unsigned long long)b->report.size, root,
	    b->info.currency.code);
	text_el(f, "description", " type=\"4\"", text);
}

/* Was an org like orgs[i] (side, name, type) listed before it? */
static int
listed(const struct iati *x, size_t i)
{
	const struct org *g = &x->orgs[i];
	size_t j;

	for (j = 0; j < i; j++)
		if (x->orgs[j].side == g->side && x->orgs[j].type == g->type &&
		    strcmp(x->orgs[j].name, g->name) == 0)
			return 1;
	return 0;
}

/* Accountable: the reporting org; funding: donors; implementing: NGOs. */
static void
participants(FILE *f, const struct iati *x)
{
	size_t i;
	int side;

	org_el(f, "  ", "participating-org", x->o->org, ORG_MULTILATERAL, 2,
	    REPORTER);
	for (side = FROM_DONOR; side <= TO_NGO; side++)
		for (i = 0; i < x->norgs; i++)
			if ((int)x->orgs[i].side == side && !listed(x, i))
				org_el(f, "  ", "participating-org", NULL,
				    x->orgs[i].type, side == FROM_DONOR ? 1 : 4,
				    x->orgs[i].name);
}

struct country {
	char code[3];
	int64_t committed;
};

static int
by_code(const void *a, const void *b)
{
	return strcmp(((const struct country *)a)->code,
	    ((const struct country *)b)->code);
}

/* The countries of the net commitments (type 2), sorted; none <= 0. */
static int
countries(struct country **out, size_t *n, const struct iati *x,
    tfl_err *err)
{
	struct country *c;
	const char *cc;
	size_t i, j, k = 0;

	*n = 0;
	if ((c = calloc(x->norgs + 1, sizeof(*c))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; i < x->ntx; i++) {
		if (x->tx[i].m->code != 2)
			continue;
		cc = x->orgs[x->tx[i].org].country;
		for (j = 0; j < k && strcmp(c[j].code, cc) != 0; j++)
			;
		if (j == k)
			memcpy(c[k++].code, cc, sizeof(c->code));
		c[j].committed += x->tx[i].value;
	}
	qsort(c, k, sizeof(*c), by_code);
	for (i = j = 0; i < k; i++)
		if (c[i].committed > 0)
			c[j++] = c[i];
	*out = c;
	*n = j;
	return 0;
}

/*
 * Where the money goes, at activity level, since incoming money has no
 * country (rule 3.6.2 then forbids it on transactions): each country's
 * share of the net commitments, in hundredths of a percent by the
 * largest remainder, so that they sum to 100 (rule 3.1.2).  With no
 * commitment yet: developing countries, unspecified.
 */
static int
geography(FILE *f, const struct iati *x, tfl_err *err)
{
	struct country *c = NULL;
	int64_t *bp = NULL, *w = NULL;
	size_t i, n;
	int rc;

	if ((rc = countries(&c, &n, x, err)) != 0)
		return rc;
	if (n == 0) {
		fputs("  <recipient-region code=\"" REGION_UNSPECIFIED "\" "
		    "vocabulary=\"1\" percentage=\"100\"/>\n", f);
		goto out;
	}
	bp = calloc(n, sizeof(*bp));
	w = calloc(n, sizeof(*w));
	if (bp == NULL || w == NULL) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		w[i] = c[i].committed;
	if ((rc = tfl_money_split(bp, 10000, w, n, err)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		fprintf(f, "  <recipient-country code=\"%s\" percentage="
		    "\"%lld.%02lld\"/>\n", c[i].code, (long long)(bp[i] / 100),
		    (long long)(bp[i] % 100));
out:
	free(c);
	free(bp);
	free(w);
	return rc;
}

/* "receipt, seq 12: 50000.00 EUR at 0.93 EUR per USD" and the like. */
static void
describe(char *buf, size_t size, const struct itx *it)
{
	const struct tfl__txn *t = it->t;
	char rev[80] = "", by[48] = "";

	if (t->reverses != 0)
		snprintf(rev, sizeof(rev), "reversal (seq %llu, approved at "
		    "seq %llu) of: ", (unsigned long long)t->seq,
		    (unsigned long long)t->by_seq);
	else if (t->by_seq != t->seq)
		snprintf(by, sizeof(by), ", approved at seq %llu",
		    (unsigned long long)t->by_seq);
	snprintf(buf, size, "%s%s%s%s, seq %llu%s%s%s", rev, it->m->what,
	    it->m->side == TO_NGO ? " " : "", it->m->side == TO_NGO ?
	    t->party : "", (unsigned long long)(t->reverses != 0 ?
	    t->reverses : t->seq), by, t->money[0] != '\0' ? ": " : "",
	    t->money);
}

static void
transaction(FILE *f, const struct iati *x, const struct itx *it)
{
	const struct tfl__book *b = x->b;
	const struct org *g = it->m->side == TO_REPORTER ? NULL :
	    &x->orgs[it->org];
	char date[16], value[32], text[512];

	tfl_date_format(date, it->t->date);
	tfl_money_format(value, sizeof(value), it->value, &b->info.currency);
	describe(text, sizeof(text), it);
	fprintf(f, "  <transaction ref=\"seq-%llu\">\n"
	    "   <transaction-type code=\"%d\"/>\n"
	    "   <transaction-date iso-date=\"%s\"/>\n"
	    "   <value currency=\"%s\" value-date=\"%s\">%s</value>\n"
	    "   <description>\n", (unsigned long long)it->t->seq,
	    it->m->code, date, b->info.currency.code, date, value);
	narrative(f, "    ", text);
	fputs("   </description>\n", f);
	if (it->m->side == FROM_DONOR)
		org_el(f, "   ", "provider-org", NULL, g->type, 0, g->name);
	else
		org_el(f, "   ", "provider-org", x->o->org, ORG_MULTILATERAL,
		    0, REPORTER);
	if (it->m->side == TO_NGO)
		org_el(f, "   ", "receiver-org", NULL, g->type, 0, g->name);
	else
		org_el(f, "   ", "receiver-org", x->o->org, ORG_MULTILATERAL,
		    0, REPORTER);
	fprintf(f, "   <flow-type code=\"10\"/>\n"
	    "   <finance-type code=\"110\"/>\n"
	    "   <aid-type code=\"%s\" vocabulary=\"1\"/>\n"
	    "  </transaction>\n", it->m->aid);
}

static int
write_file(FILE *f, const struct iati *x, tfl_err *err)
{
	char start[16];
	size_t i;
	int rc;

	head(f, x);
	participants(f, x);
	tfl_date_format(start, x->start);
	fprintf(f, "  <activity-status code=\"2\"/>\n"
	    "  <activity-date type=\"2\" iso-date=\"%s\"/>\n", start);
	if ((rc = geography(f, x, err)) != 0)
		return rc;
	fputs("  <sector vocabulary=\"1\" code=\"" SECTOR "\" "
	    "percentage=\"100\"/>\n", f);
	for (i = 0; i < x->ntx; i++)
		transaction(f, x, &x->tx[i]);
	fputs(" </iati-activity>\n</iati-activities>\n", f);
	return 0;
}

int
tfl__export_iati(FILE *f, const struct tfl__book *b, tfl_ledger *l,
    const struct tfl__iati_opts *o, tfl_err *err)
{
	struct iati x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.b = b;
	x.o = o;
	x.now = o->now != 0 ? o->now : b->info.last_time;
	if ((rc = build(&x, err)) != 0 ||
	    (rc = tfl_ledger_read(l, resolve, &x, err)) != 0 ||
	    (rc = dates(&x, l, err)) != 0)
		goto out;
	rc = write_file(f, &x, err);
out:
	free(x.tx);
	free(x.orgs);
	return rc;
}
