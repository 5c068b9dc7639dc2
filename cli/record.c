/*
 * record.c - the one way every fund command turns options into an entry:
 * a table maps options to fields; amounts are written in their
 * currency's canonical form, base amounts are converted at the rate, and
 * the date defaults to today (UTC).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"

#define MAX_OPTS 24

/* Canonical text of an amount in currency code. */
static int
canon_amount(struct cli *c, char *buf, size_t size, const char *v,
    const char *code, const char *opt, int64_t *minor)
{
	const tfl_currency *cur;

	if (tfl_currency_find(&cur, code, &c->err) != 0)
		return TFL_EINVAL;
	if (tfl_money_parse(minor, v, cur, TFL_MONEY_POSITIVE, &c->err) != 0)
		return tfl_err_prefix(&c->err, "--%s", opt);
	tfl_money_format(buf, size, *minor, cur);
	return 0;
}

struct pledge_q {
	const char *ref;
	const tfl_currency *cur;
};

static int
read_pledge(void *ctx, tfl_kv *state, tfl_err *err)
{
	struct pledge_q *q = ctx;

	return tfl_fund_pledge_currency(&q->cur, state, q->ref, err);
}

/*
 * Set one option's field, normalising amounts: in the base currency, or
 * in the currency of the pledge given (pledge is its reference).
 */
static int
set_field(struct cli *c, tfl_entry *e, const struct record_opt *o,
    const char *v, const tfl_fund_info *info, const char *pledge)
{
	struct pledge_q q = { pledge, &info->currency };
	char buf[48];
	int64_t minor;
	int rc;

	if (o->flags & REC_FLAG)
		return tfl_entry_set(e, o->field, "yes", &c->err);
	if ((o->flags & REC_PLEDGE) && pledge != NULL &&
	    (rc = tfl_ledger_read(c->ledger, read_pledge, &q, &c->err)) != 0)
		return rc == TFL_ENOTFOUND ? TFL_ERULE : rc;
	if (o->flags & (REC_BASE | REC_PLEDGE)) {
		if (canon_amount(c, buf, sizeof(buf), v, q.cur->code, o->opt,
		    &minor) != 0)
			return TFL_EINVAL;
		v = buf;
	}
	return tfl_entry_set(e, o->field, v, &c->err);
}

static void
today(char *buf)
{
	tfl_date_format(buf, (int64_t)time(NULL) / 86400);
}

/* Build the entry from the parsed values (vals[i] for opts[i]). */
static int
build(struct cli *c, tfl_entry *e, const struct record_opt *opts,
    const char **vals, const tfl_fund_info *info)
{
	const char *currency = NULL, *rate = NULL, *amount_text = NULL;
	const char *pledge = NULL;
	char date[16];
	size_t i;
	int rc;

	for (i = 0; opts[i].opt != NULL; i++) {
		if (vals[i] == NULL)
			vals[i] = opts[i].def;
		if (vals[i] == NULL && (opts[i].flags & REC_REQUIRED))
			return cli_usage(c, "missing required option --%s",
			    opts[i].opt);
		if (strcmp(opts[i].field, "currency") == 0)
			currency = vals[i];
		if (strcmp(opts[i].field, "rate") == 0)
			rate = vals[i];
		if (strcmp(opts[i].field, "pledge") == 0)
			pledge = vals[i];
	}
	for (i = 0; opts[i].opt != NULL; i++) {
		if (vals[i] == NULL || strcmp(opts[i].field, "rate") == 0 ||
		    strcmp(opts[i].field, "currency") == 0)
			continue;
		/* With a currency, amount and base-amount are set together. */
		if (currency != NULL && strcmp(opts[i].field, "amount") == 0) {
			amount_text = vals[i];
			continue;
		}
		if ((rc = set_field(c, e, &opts[i], vals[i], info,
		    pledge)) != 0)
			return rc;
	}
	if (tfl_entry_field(tfl_entry_type(e), 0, NULL) != NULL &&
	    strcmp(tfl_entry_field(tfl_entry_type(e), 0, NULL), "date") == 0 &&
	    tfl_entry_get(e, "date") == NULL) {
		today(date);
		if (tfl_entry_set(e, "date", date, &c->err) != 0)
			return TFL_EINVAL;
	}
	if (currency == NULL)
		return 0;
	return tfl_fund_set_money(e, &info->currency, amount_text, currency,
	    rate, &c->err);
}

int
cli_record(struct cli *c, int argc, char **argv, int type,
    const struct record_opt *opts, const char *positional)
{
	struct option lopts[MAX_OPTS + 2];
	const char *vals[MAX_OPTS] = { NULL }, *keypath = NULL;
	tfl_fund_info info;
	tfl_entry *e = NULL;
	size_t i, n;
	int ch, rc;

	for (n = 0; n < MAX_OPTS && opts[n].opt != NULL; n++) {
		lopts[n].name = opts[n].opt;
		lopts[n].has_arg = (opts[n].flags & REC_FLAG) ? no_argument :
		    required_argument;
		lopts[n].flag = NULL;
		lopts[n].val = 256 + (int)n;
	}
	lopts[n] = (struct option){ "key", required_argument, NULL, 'k' };
	lopts[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	while ((ch = getopt_long(argc, argv, "k:", lopts, NULL)) != -1) {
		if (ch == 'k')
			keypath = optarg;
		else if (ch >= 256 && ch < 256 + (int)n)
			vals[ch - 256] = optarg != NULL ? optarg : "yes";
		else
			return cli_bad_option(c, argv[0], argv);
	}
	if (positional != NULL && optind + 1 != argc)
		return cli_usage(c, "%s: expected one SEQ, the entry it %s",
		    argv[0], positional);
	if (positional == NULL && optind != argc)
		return cli_usage(c, "%s: unexpected argument \"%.40s\"",
		    argv[0], argv[optind]);
	if ((rc = tfl_ledger_info(&info, c->ledger, &c->err)) != 0 ||
	    (rc = tfl_entry_new(&e, type, &c->err)) != 0)
		return rc;
	if (positional != NULL && (rc = tfl_entry_set(e, positional,
	    argv[optind], &c->err)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((opts[i].flags & REC_FLAG) && vals[i] == NULL &&
		    (rc = tfl_entry_set(e, opts[i].field, "no", &c->err)) != 0)
			goto out;
	if ((rc = build(c, e, opts, vals, &info)) == 0)
		rc = cli_append(c, keypath, &e, 1);
out:
	tfl_entry_free(e);
	return rc;
}
