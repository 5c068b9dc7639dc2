/*
 * export.c - the books as an hledger journal, CSV or JSON: a full audit
 * whose posting sink collects transactions, sorted, then written out.
 * The IATI form of the same transactions is in export_iati.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"

#define DESC_MAX TFL__DESC_MAX
#define MAX_CURRENCIES 256 /* ISO 4217 has fewer */


/* clang-format off */
/* The identifiers that describe an entry, after its type name. */
static const char *const described[TFL_ENTRY_NTYPES][2] = {
	[TFL_ENTRY_PLEDGE]		= { "donor", "ref" },
	[TFL_ENTRY_PLEDGE_WRITEDOWN]	= { "pledge", NULL },
	[TFL_ENTRY_RECEIPT]		= { "donor", "ref" },
	[TFL_ENTRY_INTEREST]		= { "ref", NULL },
	[TFL_ENTRY_DONOR_REFUND]	= { "donor", "ref" },
	[TFL_ENTRY_GRANT]		= { "id", "grantee" },
	[TFL_ENTRY_DISBURSEMENT]	= { "grant", "ref" },
	[TFL_ENTRY_EXPENDITURE]		= { "grant", "ref" },
	[TFL_ENTRY_GRANTEE_REFUND]	= { "grant", "ref" },
	[TFL_ENTRY_DEOBLIGATION]	= { "grant", NULL },
	[TFL_ENTRY_PSC]			= { "earmark", NULL },
};

static const char *const format_names[] = { "hledger", "csv", "json",
	"iati" };
/* clang-format on */

int
tfl_export_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

void *
tfl__export_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap > 0 ? *cap : 64;
	void *p;

	if (need <= *cap)
		return arr;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / size || (p = realloc(arr, n * size)) == NULL)
		return NULL;
	*cap = n;
	return p;
}

/* "receipt DEU BNK-88121": the type and the entry's identifiers. */
static void
describe(char *buf, size_t size, const tfl_entry *e)
{
	int type = tfl_entry_type(e), n;
	const char *v;
	size_t i, len;

	n = snprintf(buf, size, "%s", tfl_entry_type_name(type));
	len = n > 0 ? (size_t)n : 0;
	for (i = 0; i < 2 && described[type][i] != NULL; i++) {
		v = tfl_entry_get(e, described[type][i]);
		if (v == NULL || len >= size)
			continue;
		n = snprintf(buf + len, size - len, " %s", v);
		len += n > 0 ? (size_t)n : 0;
	}
}

/*
 * The donor or grant of e into t->party, and its foreign money: what the
 * IATI form names.  A write-down names its pledge, not the donor, whose
 * id is the last segment of the receivable posted to.
 */
static void
party(struct tfl__txn *t, const tfl_entry *e, const tfl_posting *p,
    size_t n, const tfl_currency *base)
{
	static const char *const fields[] = { "donor", "grant", "id" };
	const char *v = NULL, *cur, *amount, *pre = "assets:receivable:";
	size_t i;

	for (i = 0; v == NULL && i < 3; i++)
		v = tfl_entry_get(e, fields[i]);
	for (i = 0; v == NULL && i < n; i++)
		if (t->etype == TFL_ENTRY_PLEDGE_WRITEDOWN &&
		    strncmp(p[i].account, pre, strlen(pre)) == 0)
			v = p[i].account + strlen(pre);
	snprintf(t->party, sizeof(t->party), "%s", v != NULL ? v : "");
	/* a psc entry's rate is a percentage: only money has a currency */
	v = tfl_entry_get(e, "rate");
	cur = tfl_entry_get(e, "currency");
	amount = tfl_entry_get(e, "amount");
	if (v != NULL && cur != NULL && amount != NULL &&
	    snprintf(t->money, sizeof(t->money), "%s %s at %s %s per %s",
	    amount, cur, v, cur, base->code) >= (int)sizeof(t->money))
		t->money[0] = '\0';
}

/* The posting sink: one transaction per entry taking effect. */
static int
collect(void *ctx, const tfl_entry *e, uint64_t by_seq, int64_t date,
    const tfl_posting *p, size_t n, tfl_err *err)
{
	struct tfl__book *b = ctx;
	struct tfl__txn *t;
	tfl_posting *q;

	t = tfl__export_grow(b->txn, &b->captxn, b->ntxn + 1, sizeof(*t));
	if (t == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	b->txn = t;
	q = tfl__export_grow(b->post, &b->cappost, b->npost + n, sizeof(*q));
	if (q == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	b->post = q;
	t = &b->txn[b->ntxn];
	memset(t, 0, sizeof(*t));
	t->date = date;
	t->seq = tfl_entry_seq(e);
	t->by_seq = by_seq;
	t->type = t->etype = tfl_entry_type(e);
	t->first = b->npost;
	t->n = n;
	t->order = b->ntxn++;
	describe(t->desc, sizeof(t->desc), e);
	party(t, e, p, n, &b->info.currency);
	memcpy(&b->post[b->npost], p, n * sizeof(*p));
	b->npost += n;
	return 0;
}

int
tfl__export_load(tfl_entry **out, tfl_ledger *l, uint64_t seq, tfl_err *err)
{
	char *buf = NULL;
	size_t len;
	tfl_note n;
	int rc;

	*out = NULL;
	if ((rc = tfl_ledger_entry(&buf, &len, l, seq, err)) != 0)
		return rc;
	if ((rc = tfl_note_parse(&n, buf, len, err)) == 0) {
		rc = tfl_entry_decode(out, n.text, n.textlen, err);
		tfl_note_release(&n);
	}
	free(buf);
	return rc;
}

/* The seq named by field of e (an approval's or a reversal's). */
static int
seq_field(uint64_t *out, const tfl_entry *e, int type, const char *field,
    tfl_err *err)
{
	const char *v = tfl_entry_get(e, field);

	if (tfl_entry_type(e) != type || v == NULL ||
	    tfl__parse_u64(out, v, strlen(v)) != 0)
		return tfl_err_set(err, TFL_EIO, "seq %llu: not the %s the "
		    "postings came from (internal error)",
		    (unsigned long long)tfl_entry_seq(e),
		    tfl_entry_type_name(type));
	return 0;
}

/*
 * The sink hands a reversal over as the entry it undoes, brought into
 * effect by the approval of the reversal.  Name the reversal instead, so
 * that each transaction has the seq of the entry that caused it.
 */
static int
name_reversal(struct tfl__txn *t, tfl_ledger *l, tfl_err *err)
{
	tfl_entry *a = NULL, *r = NULL;
	uint64_t target, undone;
	char was[DESC_MAX];
	int rc;

	if ((rc = tfl__export_load(&a, l, t->by_seq, err)) != 0 ||
	    (rc = seq_field(&target, a, TFL_ENTRY_APPROVAL, "approves",
	    err)) != 0 || target == t->seq)
		goto out;
	if ((rc = tfl__export_load(&r, l, target, err)) != 0 ||
	    (rc = seq_field(&undone, r, TFL_ENTRY_REVERSAL, "reverses",
	    err)) != 0)
		goto out;
	if (undone != t->seq) {
		rc = tfl_err_set(err, TFL_EIO, "seq %llu: reverses %llu, not "
		    "%llu (internal error)", (unsigned long long)target,
		    (unsigned long long)undone, (unsigned long long)t->seq);
		goto out;
	}
	memcpy(was, t->desc, sizeof(was));
	snprintf(t->desc, sizeof(t->desc), "reversal of %llu %.150s",
	    (unsigned long long)undone, was);
	t->reverses = undone;
	t->seq = target;
	t->type = TFL_ENTRY_REVERSAL;
out:
	tfl_entry_free(a);
	tfl_entry_free(r);
	return rc;
}

static int
by_date(const void *x, const void *y)
{
	const struct tfl__txn *a = x, *b = y;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Replay l into b, name the reversals and sort. */
static int
gather(struct tfl__book *b, tfl_ledger *l, tfl_err *err)
{
	tfl_posting_sink sink = { collect, NULL };
	tfl_verify_opts o = TFL_VERIFY_OPTS_INIT;
	size_t i;
	int rc;

	sink.ctx = b;
	o.sink = &sink;
	if ((rc = tfl_ledger_info(&b->info, l, err)) != 0 ||
	    (rc = tfl_ledger_verify(&b->report, l, &o, err)) != 0)
		return rc;
	for (i = 0; i < b->ntxn; i++)
		if (b->txn[i].by_seq != b->txn[i].seq &&
		    (rc = name_reversal(&b->txn[i], l, err)) != 0)
			return rc;
	if (b->ntxn > 0)
		qsort(b->txn, b->ntxn, sizeof(*b->txn), by_date);
	return 0;
}

/* The currency of a posting's original amount. */
static int
orig_currency(const tfl_currency **out, const tfl_posting *p, tfl_err *err)
{
	if (tfl_currency_find(out, p->currency, err) != 0)
		return tfl_err_prefix(err, "posting to %s", p->account);
	return 0;
}

/* The hledger type of an account; memo accounts have none. */
static const char *
account_type(const char *account)
{
	/* clang-format off */
	static const char *const types[][2] = {
		{ "assets", "A" }, { "liabilities", "L" }, { "equity", "E" },
		{ "income", "R" }, { "expenses", "X" },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (tfl__account_under(account, types[i][0]))
			return types[i][1];
	return NULL;
}

static int
by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct accounts posted to, sorted (caller frees *out). */
static int
accounts(const char ***out, size_t *n, const struct tfl__book *b, tfl_err *err)
{
	const char **a;
	size_t i, k = 0;

	*n = 0;
	if ((a = calloc(b->npost + 1, sizeof(*a))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	for (i = 0; i < b->npost; i++)
		a[i] = b->post[i].account;
	qsort(a, b->npost, sizeof(*a), by_name);
	for (i = 0; i < b->npost; i++)
		if (k == 0 || strcmp(a[k - 1], a[i]) != 0)
			a[k++] = a[i];
	*out = a;
	*n = k;
	return 0;
}

/* The distinct foreign currencies of the postings, sorted by code. */
static int
currencies(const tfl_currency **out, size_t *n, const struct tfl__book *b,
    tfl_err *err)
{
	const tfl_currency *c;
	size_t i, j;
	int rc;

	*n = 0;
	for (i = 0; i < b->npost; i++) {
		if (b->post[i].currency[0] == '\0')
			continue;
		if ((rc = orig_currency(&c, &b->post[i], err)) != 0)
			return rc;
		for (j = *n; j > 0 && strcmp(out[j - 1]->code, c->code) > 0;
		    j--)
			;
		if ((j > 0 && out[j - 1] == c) || *n == MAX_CURRENCIES)
			continue;
		/* out is an array of pointers: sizeof(*out) is right */
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
		memmove(&out[j + 1], &out[j], (*n - j) * sizeof(*out));
		out[j] = c;
		(*n)++;
	}
	return 0;
}

/* A commodity directive; zero-decimal ones bare (see export.h). */
static void
commodity(FILE *f, const tfl_currency *c)
{
	char buf[32];

	fprintf(f, "commodity %s\n", c->code);
	if (c->minor > 0) {
		tfl_money_format(buf, sizeof(buf), 1000 * tfl__pow10(c->minor),
		    c);
		fprintf(f, "  format %s %s\n", buf, c->code);
	}
	fputc('\n', f);
}

/* Which metadata keys the transactions use, as tag directives. */
static void
tags(FILE *f, const struct tfl__book *b)
{
	int approved = 0, reversal = 0, earmark = 0;
	size_t i;

	for (i = 0; i < b->ntxn; i++) {
		approved |= b->txn[i].by_seq != b->txn[i].seq;
		reversal |= b->txn[i].reverses != 0;
	}
	for (i = 0; i < b->npost; i++)
		earmark |= b->post[i].earmark[0] != '\0';
	if (b->ntxn > 0)
		fputs("tag seq\n", f);
	if (approved)
		fputs("tag approved-by\n", f);
	if (reversal)
		fputs("tag reverses\n", f);
	if (earmark)
		fputs("tag earmark\n", f);
	if (b->ntxn > 0)
		fputc('\n', f);
}


/* The directives: commodities, accounts with their types, tags. */
static int
hledger_head(FILE *f, const struct tfl__book *b, tfl_err *err)
{
	const tfl_currency *cur[MAX_CURRENCIES];
	const char **acct = NULL, *type;
	char root[2 * TFL_HASH_SIZE + 1];
	size_t i, ncur, nacct;
	int rc;

	if ((rc = currencies(cur, &ncur, b, err)) != 0 ||
	    (rc = accounts(&acct, &nacct, b, err)) != 0)
		return rc;
	tfl__hex_encode(root, b->report.root, TFL_HASH_SIZE);
	fprintf(f, "; %s\n; exported by tfledger from %s: %llu entries, "
	    "root %s\n\n", b->info.fund, b->info.origin,
	    (unsigned long long)b->report.size, root);
	commodity(f, &b->info.currency);
	for (i = 0; i < ncur; i++)
		commodity(f, cur[i]);
	for (i = 0; i < nacct; i++) {
		fprintf(f, "account %s\n", acct[i]);
		if ((type = account_type(acct[i])) != NULL)
			fprintf(f, "  ; type: %s\n", type);
	}
	if (nacct > 0)
		fputc('\n', f);
	tags(f, b);
	free(acct);
	return 0;
}

/* src into dst (size bytes) without the characters of drop. */
static void
strip(char *dst, size_t size, const char *src, const char *drop)
{
	size_t n = 0;

	for (; *src != '\0' && n + 1 < size; src++)
		if (strchr(drop, *src) == NULL)
			dst[n++] = *src;
	dst[n] = '\0';
}

/* An account, two spaces or more, the amount; foreign money at cost. */
static int
hledger_posting(FILE *f, const struct tfl__book *b, const tfl_posting *p,
    tfl_err *err)
{
	const tfl_currency *base = &b->info.currency, *c;
	char amt[32], cost[32];
	int rc;

	tfl_money_format(amt, sizeof(amt), p->amount, base);
	if (p->currency[0] == '\0') {
		fprintf(f, "    %-40s  %14s %s\n", p->account, amt, base->code);
	} else {
		if ((rc = orig_currency(&c, p, err)) != 0)
			return rc;
		/* the sign goes on the quantity; @@ takes the total as is */
		tfl_money_format(cost, sizeof(cost), p->amount < 0 ?
		    -p->amount : p->amount, base);
		tfl_money_format(amt, sizeof(amt), p->orig, c);
		fprintf(f, "    %-40s  %14s %s @@ %s %s\n", p->account, amt,
		    c->code, cost, base->code);
	}
	if (p->earmark[0] != '\0')
		fprintf(f, "        ; earmark: %s\n", p->earmark);
	return 0;
}

static int
hledger_txn(FILE *f, const struct tfl__book *b, const struct tfl__txn *t,
    tfl_err *err)
{
	char date[16], desc[DESC_MAX];
	size_t i;
	int rc;

	tfl_date_format(date, t->date);
	strip(desc, sizeof(desc), t->desc, ";|");
	fprintf(f, "%s * %s\n    ; seq: %llu\n", date, desc,
	    (unsigned long long)t->seq);
	if (t->by_seq != t->seq)
		fprintf(f, "    ; approved-by: %llu\n",
		    (unsigned long long)t->by_seq);
	if (t->reverses != 0)
		fprintf(f, "    ; reverses: %llu\n",
		    (unsigned long long)t->reverses);
	for (i = 0; i < t->n; i++)
		if ((rc = hledger_posting(f, b, &b->post[t->first + i],
		    err)) != 0)
			return rc;
	fputc('\n', f);
	return 0;
}

static int
write_hledger(FILE *f, const struct tfl__book *b, tfl_err *err)
{
	size_t i;
	int rc;

	if ((rc = hledger_head(f, b, err)) != 0)
		return rc;
	for (i = 0; i < b->ntxn; i++)
		if ((rc = hledger_txn(f, b, &b->txn[i], err)) != 0)
			return rc;
	return 0;
}

/* One CSV field, quoted when it holds a comma, quote, CR or LF. */
static void
csv_cell(FILE *f, const char *s, int end)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputc(end, f);
}

/* clang-format off */
static const char *const csv_header[] = {
	"date", "seq", "by_seq", "type", "account", "amount", "currency",
	"orig_amount", "orig_currency", "earmark", "reverses", "description",
};
/* clang-format on */

#define CSV_COLUMNS (sizeof(csv_header) / sizeof(csv_header[0]))

static void
csv_row(FILE *f, const char *const *cells)
{
	size_t i;

	for (i = 0; i < CSV_COLUMNS; i++)
		csv_cell(f, cells[i], i + 1 < CSV_COLUMNS ? ',' : '\n');
}

static int
csv_posting(FILE *f, const struct tfl__book *b, const struct tfl__txn *t,
    const tfl_posting *p, tfl_err *err)
{
	char date[16], seq[24], by[24], rev[24] = "", amt[32], orig[32] = "";
	const char *cells[CSV_COLUMNS];
	const tfl_currency *c;
	int rc;

	tfl_date_format(date, t->date);
	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)t->seq);
	snprintf(by, sizeof(by), "%llu", (unsigned long long)t->by_seq);
	if (t->reverses != 0)
		snprintf(rev, sizeof(rev), "%llu",
		    (unsigned long long)t->reverses);
	tfl_money_format(amt, sizeof(amt), p->amount, &b->info.currency);
	if (p->currency[0] != '\0') {
		if ((rc = orig_currency(&c, p, err)) != 0)
			return rc;
		tfl_money_format(orig, sizeof(orig), p->orig, c);
	}
	cells[0] = date;
	cells[1] = seq;
	cells[2] = by;
	cells[3] = tfl_entry_type_name(t->type);
	cells[4] = p->account;
	cells[5] = amt;
	cells[6] = b->info.currency.code;
	cells[7] = orig;
	cells[8] = p->currency;
	cells[9] = p->earmark;
	cells[10] = rev;
	cells[11] = t->desc;
	csv_row(f, cells);
	return 0;
}

static int
write_csv(FILE *f, const struct tfl__book *b, tfl_err *err)
{
	const struct tfl__txn *t;
	size_t i, j;
	int rc;

	csv_row(f, csv_header);
	for (i = 0; i < b->ntxn; i++) {
		t = &b->txn[i];
		for (j = 0; j < t->n; j++)
			if ((rc = csv_posting(f, b, t, &b->post[t->first + j],
			    err)) != 0)
				return rc;
	}
	return 0;
}

/* A JSON string: entries hold UTF-8 text, so only escapes are needed. */
static void
json_str(FILE *f, const char *s)
{
	unsigned char ch;

	fputc('"', f);
	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static int
json_posting(FILE *f, const struct tfl__book *b, const tfl_posting *p, int last,
    tfl_err *err)
{
	const tfl_currency *c;
	char amt[32];
	int rc;

	tfl_money_format(amt, sizeof(amt), p->amount, &b->info.currency);
	fputs("    {\"account\": ", f);
	json_str(f, p->account);
	fprintf(f, ", \"amount\": \"%s\", \"currency\": \"%s\", "
	    "\"earmark\": ", amt, b->info.currency.code);
	json_str(f, p->earmark);
	if (p->currency[0] != '\0') {
		if ((rc = orig_currency(&c, p, err)) != 0)
			return rc;
		tfl_money_format(amt, sizeof(amt), p->orig, c);
		fprintf(f, ", \"orig_amount\": \"%s\", \"orig_currency\": "
		    "\"%s\"", amt, c->code);
	}
	fprintf(f, "}%s\n", last ? "" : ",");
	return 0;
}

static int
json_txn(FILE *f, const struct tfl__book *b, const struct tfl__txn *t, int last,
    tfl_err *err)
{
	char date[16];
	size_t i;
	int rc;

	tfl_date_format(date, t->date);
	fprintf(f, "  {\"date\": \"%s\", \"seq\": %llu, \"by_seq\": %llu, "
	    "\"type\": \"%s\",\n   \"description\": ", date,
	    (unsigned long long)t->seq, (unsigned long long)t->by_seq,
	    tfl_entry_type_name(t->type));
	json_str(f, t->desc);
	if (t->reverses != 0)
		fprintf(f, ", \"reverses\": %llu",
		    (unsigned long long)t->reverses);
	fputs(",\n   \"postings\": [\n", f);
	for (i = 0; i < t->n; i++)
		if ((rc = json_posting(f, b, &b->post[t->first + i],
		    i + 1 == t->n, err)) != 0)
			return rc;
	fprintf(f, "  ]}%s\n", last ? "" : ",");
	return 0;
}

static int
write_json(FILE *f, const struct tfl__book *b, tfl_err *err)
{
	size_t i;
	int rc;

	fputs("[\n", f);
	for (i = 0; i < b->ntxn; i++)
		if ((rc = json_txn(f, b, &b->txn[i], i + 1 == b->ntxn,
		    err)) != 0)
			return rc;
	fputs("]\n", f);
	return 0;
}

static void
book_free(struct tfl__book *b)
{
	if (b == NULL)
		return;
	free(b->txn);
	free(b->post);
	free(b);
}

int
tfl_export_write(FILE *out, tfl_ledger *l, int format, tfl_err *err)
{
	return tfl_export_write_ext(out, l, format, NULL, err);
}

int
tfl_export_write_ext(FILE *out, tfl_ledger *l, int format,
    const tfl_export_opts *opts, tfl_err *err)
{
	static int (*const writers[])(FILE *, const struct tfl__book *,
	    tfl_err *) = { write_hledger, write_csv, write_json };
	struct tfl__iati_opts iati;
	struct tfl__book *b = NULL;
	int rc;

	if (format < 0 || format > TFL_EXPORT_IATI)
		return tfl_err_set(err, TFL_EINVAL, "export format %d: not "
		    "hledger, csv, json or iati", format);
	if (format == TFL_EXPORT_IATI &&
	    (rc = tfl__export_iati_opts(&iati, opts, err)) != 0)
		return rc;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	if ((rc = gather(b, l, err)) != 0)
		goto out;
	errno = 0;
	if (format == TFL_EXPORT_IATI)
		rc = tfl__export_iati(out, b, l, &iati, err);
	else
		rc = writers[format](out, b, err);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = tfl_err_set(err, TFL_EIO, "export: write failed%s%s",
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
out:
	book_free(b);
	return rc;
}
