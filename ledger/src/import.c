/*
 * import.c - CSV rows to entries, inside the append transaction so that
 * a row already recorded is recognised and skipped.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"
#include "ledger_internal.h"
#include "tfledger/csv.h"
#include "tfledger/import.h"

struct column {
	const char *name;  /* in the CSV header */
	const char *field; /* entry field; NULL: money, handled apart */
	int required;
};

/* clang-format off */
static const struct column receipt_cols[] = {
	{ "date", "date", 1 }, { "donor", "donor", 1 },
	{ "amount", NULL, 1 }, { "currency", NULL, 1 },
	{ "reference", "ref", 1 }, { "rate", NULL, 0 },
	{ "pledge", "pledge", 0 }, { "earmark", "earmark", 0 },
	{ NULL, NULL, 0 },
};
static const struct column pledge_cols[] = {
	{ "date", "date", 1 }, { "donor", "donor", 1 },
	{ "amount", NULL, 1 }, { "currency", NULL, 1 },
	{ "reference", "ref", 1 }, { "rate", NULL, 0 },
	{ "earmark", "earmark", 0 }, { "due", "due", 0 },
	{ NULL, NULL, 0 },
};
static const struct column donor_cols[] = {
	{ "id", "id", 1 }, { "name", "name", 1 }, { "kind", "kind", 1 },
	{ "country", "country", 0 }, { "anonymous", "anonymous", 0 },
	{ NULL, NULL, 0 },
};
/* clang-format on */

struct import {
	tfl_csv *csv;
	int type;
	const struct column *cols;
	int at[16]; /* CSV column of each of cols, or -1 */
	int amount, currency, rate, anonymous; /* their index in cols */
	unsigned threads; /* to convert rows on */
	size_t added, skipped;
};

/* clang-format off */
#define CONVERT_THREADS	16	/* at most, whatever the ledger's setting */
#define CONVERT_MIN	512	/* rows per thread, at least */
/* clang-format on */

/* The index of column name in cols, or -1. */
static int
col_index(const struct column *cols, const char *name)
{
	int i;

	for (i = 0; cols[i].name != NULL; i++)
		if (strcmp(cols[i].name, name) == 0)
			return i;
	return -1;
}

/* Map the header to cols: every required column present, none unknown. */
static int
map_columns(struct import *im, tfl_err *err)
{
	size_t i, j, n = tfl_csv_columns(im->csv);

	for (i = 0; im->cols[i].name != NULL; i++) {
		im->at[i] = tfl_csv_column(im->csv, im->cols[i].name);
		if (im->at[i] < 0 && im->cols[i].required)
			return tfl_err_set(err, TFL_EINVAL, "line 1: missing "
			    "column \"%s\"", im->cols[i].name);
	}
	for (j = 0; j < n; j++) {
		for (i = 0; im->cols[i].name != NULL; i++)
			if (strcmp(im->cols[i].name,
			    tfl_csv_header(im->csv, j)) == 0)
				break;
		if (im->cols[i].name == NULL)
			return tfl_err_set(err, TFL_EINVAL, "line 1: unknown "
			    "column \"%.40s\"", tfl_csv_header(im->csv, j));
	}
	im->amount = col_index(im->cols, "amount");
	im->currency = col_index(im->cols, "currency");
	im->rate = col_index(im->cols, "rate");
	im->anonymous = col_index(im->cols, "anonymous");
	return 0;
}

/* The cell of cols[i] in row, or NULL when absent or empty (i -1). */
static const char *
cell(const struct import *im, size_t row, int i)
{
	const char *v;

	if (i < 0 || im->at[i] < 0)
		return NULL;
	v = tfl_csv_cell(im->csv, row, (size_t)im->at[i]);
	return *v != '\0' ? v : NULL;
}

/* Build the entry of one row; errors name the line and the column. */
static int
row_entry(tfl_entry **out, const struct import *im, size_t row,
    const tfl_currency *base, tfl_err *err)
{
	const char *v, *anon;
	tfl_entry *e = NULL;
	size_t i;
	int rc;

	if ((rc = tfl_entry_new(&e, im->type, err)) != 0)
		return rc;
	for (i = 0; rc == 0 && im->cols[i].name != NULL; i++) {
		v = cell(im, row, (int)i);
		if (v == NULL && im->cols[i].required)
			rc = tfl_err_set(err, TFL_EINVAL, "empty");
		else if (v != NULL && im->cols[i].field != NULL)
			rc = tfl_entry_set(e, im->cols[i].field, v, err);
		if (rc != 0)
			tfl_err_prefix(err, "line %zu, column %s",
			    tfl_csv_line(im->csv, row), im->cols[i].name);
	}
	anon = cell(im, row, im->anonymous);
	if (rc == 0 && im->type == TFL_ENTRY_DONOR && anon == NULL)
		rc = tfl_entry_set(e, "anonymous", "no", err);
	if (rc == 0 && im->type != TFL_ENTRY_DONOR &&
	    (rc = tfl_fund_set_money(e, base, cell(im, row, im->amount),
	    cell(im, row, im->currency), cell(im, row, im->rate),
	    err)) != 0)
		tfl_err_prefix(err, "line %zu", tfl_csv_line(im->csv, row));
	if (rc != 0) {
		tfl_entry_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* Does the state hold this row already?  1 yes, 0 no, or a status. */
static int
recorded(tfl_kv *kv, const tfl_entry *e, int type, const char *base_code,
    tfl_err *err)
{
	struct tfl__pledge p;
	struct tfl__ref r;
	tfl_fund_donor d;
	const tfl_currency *cur, *base;
	const char *earmark = tfl_entry_get(e, "earmark");
	char key[200], amount[48], based[48];
	int rc, same;

	if (type == TFL_ENTRY_DONOR) {
		rc = tfl_fund_donor_get(&d, kv, tfl_entry_get(e, "id"), err);
		if (rc != 0)
			return rc == TFL_ENOTFOUND ? 0 : rc;
		return strcmp(d.name, tfl_entry_get(e, "name")) == 0 &&
		    strcmp(d.kind, tfl_entry_get(e, "kind")) == 0 &&
		    strcmp(d.country, tfl_entry_get(e, "country") ?
		    tfl_entry_get(e, "country") : "") == 0 &&
		    d.anonymous == (strcmp(tfl_entry_get(e, "anonymous"),
		    "yes") == 0);
	}
	if (type == TFL_ENTRY_RECEIPT) {
		tfl__receipt_key(key, sizeof(key), tfl_entry_get(e, "donor"),
		    tfl_entry_get(e, "ref"));
		rc = tfl__ref_get(&r, kv, key, err);
		if (rc != 0)
			return rc == TFL_ENOTFOUND ? 0 : rc;
		memcpy(p.currency, r.currency, sizeof(p.currency));
		p.amount = r.amount;
		p.base = r.base;
		p.reversed = r.reversed;
		memcpy(p.earmark, r.earmark, sizeof(p.earmark));
		/* A receipt against a pledge takes the pledge's earmark. */
		if (tfl_entry_get(e, "pledge") != NULL && earmark == NULL)
			earmark = r.earmark;
		snprintf(p.donor, sizeof(p.donor), "%s", tfl_entry_get(e,
		    "donor"));
	} else {
		snprintf(key, sizeof(key), "pledge/%s", tfl_entry_get(e, "ref"));
		rc = tfl__kv_get_fixed(kv, key, &p, sizeof(p), err);
	}
	if (rc != 0 || p.reversed)
		return rc == TFL_ENOTFOUND || rc == 0 ? 0 : rc;
	tfl_currency_find(&cur, p.currency, NULL);
	tfl_money_format(amount, sizeof(amount), p.amount, cur);
	tfl_currency_find(&base, base_code, NULL);
	tfl_money_format(based, sizeof(based), p.base, base);
	same = strcmp(p.currency, tfl_entry_get(e, "currency")) == 0 &&
	    strcmp(amount, tfl_entry_get(e, "amount")) == 0 &&
	    strcmp(based, tfl_entry_get(e, "base-amount")) == 0 &&
	    strcmp(p.earmark, earmark != NULL ? earmark : "") == 0 &&
	    strcmp(p.donor, tfl_entry_get(e, "donor")) == 0;
	if (!same)
		return tfl_err_set(err, TFL_ERULE, "reference \"%s\": already "
		    "recorded with other figures", tfl_entry_get(e, "ref"));
	return 1;
}

/* Rows [from, to) converted to entries on a thread of their own. */
struct convert {
	const struct import *im;
	const tfl_currency *base;
	tfl_entry **e; /* one per row */
	size_t from, to;
	size_t failed; /* the row that failed, or to */
	int rc;
	tfl_err err;
};

static void *
convert_rows(void *arg)
{
	struct convert *c = arg;
	size_t row;

	c->failed = c->to;
	for (row = c->from; row < c->to; row++)
		if ((c->rc = row_entry(&c->e[row], c->im, row, c->base,
		    &c->err)) != 0) {
			c->failed = row;
			break;
		}
	return NULL;
}

/*
 * Every row's entry, rows split among the ledger's threads (row_entry
 * reads only the CSV).  Returns 0, or the status of the first row that
 * failed, with its message, in *bad that row; later rows may be left
 * unconverted (NULL).
 */
static int
convert_all(tfl_entry **e, size_t rows, const struct import *im,
    const tfl_currency *base, size_t *bad, tfl_err *err)
{
	struct convert c[CONVERT_THREADS];
	pthread_t tid[CONVERT_THREADS];
	unsigned nt = im->threads, t, started;
	int rc = 0;

	if (nt > CONVERT_THREADS)
		nt = CONVERT_THREADS;
	if (rows < CONVERT_MIN * nt)
		nt = 1;
	for (t = 0; t < nt; t++) {
		c[t].im = im;
		c[t].base = base;
		c[t].e = e;
		c[t].from = rows * t / nt;
		c[t].to = rows * (t + 1) / nt;
		c[t].rc = 0;
		c[t].err = (tfl_err)TFL_ERR_INIT;
	}
	/* The last share runs here; a thread that does not start, too. */
	for (started = 0; started + 1 < nt; started++)
		if (pthread_create(&tid[started], NULL, convert_rows,
		    &c[started]) != 0)
			break;
	for (t = started; t < nt; t++)
		convert_rows(&c[t]);
	for (t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (t = 0; t < nt && rc == 0; t++)
		if ((rc = c[t].rc) != 0) {
			*bad = c[t].failed;
			*err = c[t].err;
		}
	return rc;
}

static int
build(void *ctx, tfl_kv *state, tfl_draft **out, size_t *n, tfl_err *err)
{
	struct import *im = ctx;
	tfl_fund_info info;
	tfl_draft *d;
	tfl_entry **e;
	size_t row, bad = SIZE_MAX, rows = tfl_csv_rows(im->csv);
	tfl_err why = TFL_ERR_INIT;
	char line[21];
	int rc, conv;

	im->added = im->skipped = 0;
	*n = 0;
	if ((rc = tfl_fund_info_get(&info, state, err)) != 0)
		return rc;
	if ((d = calloc(rows > 0 ? rows : 1, sizeof(*d))) == NULL ||
	    (e = calloc(rows > 0 ? rows : 1, sizeof(tfl_entry *))) == NULL) {
		free(d);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	*out = d;
	conv = convert_all(e, rows, im, &info.currency, &bad, &why);
	for (row = 0; row < rows; row++) {
		if (row == bad) {
			*err = why;
			rc = conv;
			break;
		}
		d[*n].e = e[row];
		e[row] = NULL;
		tfl__cat(d[*n].label, sizeof(d[*n].label), "line ",
		    tfl__u64_dec(line, tfl_csv_line(im->csv, row)),
		    (char *)NULL);
		rc = recorded(state, d[*n].e, im->type, info.currency.code,
		    err);
		if (rc < 0) {
			tfl_entry_free(d[*n].e);
			rc = tfl_err_prefix(err, "%s", d[*n].label);
			break;
		}
		if (rc == 1) {
			tfl_entry_free(d[*n].e);
			d[*n].e = NULL;
			im->skipped++;
			continue;
		}
		(*n)++;
	}
	for (; row < rows; row++)
		tfl_entry_free(e[row]);
	free(e);
	if (rc < 0)
		return rc;
	im->added = *n;
	return 0;
}

int
tfl_import_csv(size_t *out_added, size_t *out_skipped, tfl_ledger *l,
    const tfl_key *signer, int type, const char *data, size_t len,
    int64_t now, tfl_err *err)
{
	struct import im;
	int rc;

	memset(&im, 0, sizeof(im));
	im.type = type;
	im.threads = tfl__ledger_threads(l);
	*out_added = *out_skipped = 0;
	im.cols = type == TFL_ENTRY_RECEIPT ? receipt_cols :
	    type == TFL_ENTRY_PLEDGE ? pledge_cols :
	    type == TFL_ENTRY_DONOR ? donor_cols : NULL;
	if (im.cols == NULL)
		return tfl_err_set(err, TFL_EINVAL, "import: receipts, pledges "
		    "or donors only");
	if ((rc = tfl_csv_open(&im.csv, data, len, err)) != 0 ||
	    (rc = map_columns(&im, err)) != 0)
		goto out;
	rc = tfl__ledger_append_expecting(l, signer, build, &im, now,
	    tfl_csv_rows(im.csv), err);
	/* Nothing new is not a failure: the file was imported before. */
	if (rc == TFL_EINVAL && im.added == 0 && tfl_csv_rows(im.csv) ==
	    im.skipped) {
		tfl_err_clear(err);
		rc = 0;
	}
out:
	*out_added = rc == 0 ? im.added : 0;
	*out_skipped = im.skipped;
	tfl_csv_free(im.csv);
	return rc;
}
