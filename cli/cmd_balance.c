/*
 * cmd_balance.c - tfledger balance [--donor ID|--grant GID]
 * [--as-of DATE] [--json]: the fund's position.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

/* A figure as JSON (a canonical decimal string) or a human column. */
static void
put(json_t *o, const char *name, int64_t v, const tfl_currency *cur)
{
	char buf[48];

	tfl_money_format(buf, sizeof(buf), v, cur);
	json_object_set_new(o, name, json_string(buf));
}

static json_t *
pool_json(const tfl_fund_pool *p, const tfl_currency *cur)
{
	json_t *o = json_object();

	put(o, "cash", p->cash, cur);
	put(o, "receivable", p->receivable, cur);
	put(o, "committed", p->committed, cur);
	put(o, "advances", p->advances, cur);
	put(o, "expenditure", p->expenditure, cur);
	put(o, "psc", p->psc, cur);
	put(o, "available", p->cash - p->committed, cur);
	put(o, "contributions", p->contributions, cur);
	put(o, "interest", p->interest, cur);
	put(o, "exchange_differences", p->fx, cur);
	return o;
}

static json_t *
balance_json(const tfl_balance *b)
{
	const tfl_currency *cur = &b->info.currency;
	json_t *o = pool_json(&b->total, cur), *marks = json_object();
	char date[16];
	size_t i;

	json_object_set_new(o, "currency", json_string(cur->code));
	if (b->as_of >= 0)
		tfl_date_format(date, b->as_of);
	json_object_set_new(o, "as_of", b->as_of >= 0 ? json_string(date) :
	    json_null());
	for (i = 0; i < b->npools; i++)
		json_object_set_new(marks, *b->pools[i].earmark ?
		    b->pools[i].earmark : "(unearmarked)",
		    pool_json(&b->pools[i], cur));
	json_object_set_new(o, "earmarks", marks);
	return o;
}

static json_t *
donor_json(const tfl_fund_donor *d, const tfl_currency *cur)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "id", d->id, "name",
	    d->name, "kind", d->kind, "anonymous", d->anonymous);

	put(o, "pledged", d->pledged, cur);
	put(o, "received", d->received, cur);
	put(o, "receivable", d->receivable, cur);
	put(o, "refunded", d->refunded, cur);
	put(o, "written_down", d->written_down, cur);
	return o;
}

static json_t *
grant_json(const tfl_fund_grant *g, const tfl_currency *cur)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", g->id, "grantee",
	    g->grantee, "earmark", g->earmark, "status",
	    g->status == TFL_GRANT_ACTIVE ? "active" : "pending approval");

	put(o, "award", g->amount, cur);
	put(o, "deobligated", g->deobligated, cur);
	put(o, "disbursed", g->disbursed, cur);
	put(o, "spent", g->spent, cur);
	put(o, "refunded", g->refunded, cur);
	put(o, "committed", g->status == TFL_GRANT_ACTIVE ?
	    g->amount - g->deobligated - g->disbursed : 0, cur);
	put(o, "advances", g->disbursed - g->spent - g->refunded, cur);
	return o;
}

/* Aligned "name  1,234.56 USD" lines from a flat JSON object. */
static int
print_human(json_t *o, const char *title, const tfl_currency *cur)
{
	const char *k;
	json_t *v;
	char buf[64];
	int64_t minor;
	int rc = cli_printf("%s\n", title);

	json_object_foreach(o, k, v) {
		if (rc != 0 || !json_is_string(v))
			continue;
		if (tfl_money_parse(&minor, json_string_value(v), cur,
		    TFL_MONEY_SIGNED, NULL) == 0) {
			tfl_money_format_grouped(buf, sizeof(buf), minor, cur);
			rc = cli_printf("  %-22s %20s %s\n", k, buf, cur->code);
		} else {
			rc = cli_printf("  %-22s %s\n", k, json_string_value(v));
		}
	}
	return rc;
}

static int
print_balance(const tfl_balance *b, int json)
{
	const tfl_currency *cur = &b->info.currency;
	json_t *o = balance_json(b), *marks;
	const char *k;
	json_t *v;
	char title[128], date[16];
	int rc;

	if (json)
		return cli_print_json(o);
	marks = json_incref(json_object_get(o, "earmarks"));
	json_object_del(o, "earmarks");
	json_object_del(o, "currency");
	json_object_del(o, "as_of");
	if (b->as_of >= 0) {
		tfl_date_format(date, b->as_of);
		snprintf(title, sizeof(title), "fund, as of %s", date);
	} else {
		snprintf(title, sizeof(title), "fund");
	}
	rc = print_human(o, title, cur);
	json_object_foreach(marks, k, v) {
		snprintf(title, sizeof(title), "earmark %s", k);
		if (rc == 0)
			rc = print_human(v, title, cur);
	}
	json_decref(marks);
	json_decref(o);
	return rc;
}

int
cmd_balance(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "donor", required_argument, NULL, 'd' },
		{ "grant", required_argument, NULL, 'g' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *donor = NULL, *grant = NULL;
	tfl_balance *b = NULL;
	tfl_fund_donor d;
	tfl_fund_grant g;
	int64_t as_of = -1;
	int ch, rc = 0, json = 0;
	json_t *o;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			donor = optarg;
		else if (ch == 'g')
			grant = optarg;
		else if (ch == 'a')
			rc = tfl_date_parse(&as_of, optarg, &c->err) == 0 ? 0 :
			    tfl_err_prefix(&c->err, "--as-of");
		else if (ch == 'j')
			json = 1;
		else
			rc = cli_bad_option(c, "balance", argv);
	}
	if (rc == 0 && donor != NULL && grant != NULL)
		rc = cli_usage(c, "balance: --donor and --grant exclude each "
		    "other");
	if (rc != 0)
		return rc;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return tfl_err_set(&c->err, TFL_ENOMEM, "out of memory");
	if ((rc = tfl_ledger_info(&b->info, c->ledger, &c->err)) != 0)
		goto out;
	if (donor != NULL || grant != NULL) {
		rc = donor != NULL ?
		    tfl_report_donor(&d, c->ledger, donor, as_of, &c->err) :
		    tfl_report_grant(&g, c->ledger, grant, as_of, &c->err);
		if (rc != 0)
			goto out;
		o = donor != NULL ? donor_json(&d, &b->info.currency) :
		    grant_json(&g, &b->info.currency);
		rc = json ? cli_print_json(o) : print_human(o, donor != NULL ?
		    "donor" : "grant", &b->info.currency);
		if (!json)
			json_decref(o);
	} else if ((rc = tfl_report_balance(b, c->ledger, as_of,
	    &c->err)) == 0) {
		rc = print_balance(b, json);
	}
out:
	free(b);
	/* An unknown id is bad input; the message (set above) stays. */
	if (rc == TFL_ENOTFOUND)
		rc = c->err.code = TFL_EINVAL;
	return rc;
}
