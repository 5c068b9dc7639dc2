/*
 * fuzz_amount.c - amounts, rates, dates and times from arbitrary text.
 *
 * The first byte picks the currency and the parse flags; the rest is the
 * text, cut at the first '|' into an amount and a rate when it has one.
 * Every parsed value must format to a string that parses to the same
 * value and that the entry module takes as canonical; conversions and
 * percentages of parsed values must not overflow silently.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tfledger/entry.h"
#include "tfledger/money.h"

static const char *const codes[] = { "USD", "JPY", "KWD", "CLF", "EUR",
	"CHF", "BHD", "ISK" };

/* The entry module must take text as a value of field in a type. */
static void
entry_takes(int type, const char *field, const char *text)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;

	if (tfl_entry_new(&e, type, &err) != 0 ||
	    tfl_entry_set(e, field, text, &err) != 0)
		abort();
	tfl_entry_free(e);
}

static int
amount(int64_t *out, const char *text, const tfl_currency *cur,
    unsigned flags)
{
	tfl_err err = TFL_ERR_INIT;
	char buf[32], grouped[40];
	int64_t again;
	int rc;

	rc = tfl_money_parse(out, text, cur, flags, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return rc;
	}
	if (*out == INT64_MIN || ((flags & TFL_MONEY_POSITIVE) && *out <= 0) ||
	    (!(flags & TFL_MONEY_SIGNED) && *out < 0))
		abort();
	if (tfl_money_format(buf, sizeof(buf), *out, cur) <= 0 ||
	    tfl_money_format_grouped(grouped, sizeof(grouped), *out, cur) <= 0)
		abort();
	if (tfl_money_parse(&again, buf, cur, TFL_MONEY_SIGNED, &err) != 0 ||
	    again != *out)
		abort();
	if (*out > 0)
		entry_takes(TFL_ENTRY_INTEREST, "amount", buf);
	entry_takes(TFL_ENTRY_PSC, "basis", buf);
	return 0;
}

static int
rate(tfl_rate *out, const char *text)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate again;
	char buf[48];
	int rc;

	rc = tfl_rate_parse(out, text, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return rc;
	}
	if (tfl_rate_format(buf, sizeof(buf), out) <= 0)
		abort();
	if (tfl_rate_parse(&again, buf, &err) != 0 ||
	    again.value != out->value || again.scale != out->scale)
		abort();
	entry_takes(TFL_ENTRY_PSC, "rate", buf);
	return 0;
}

/* Dates, times and currency codes: whatever parses formats back. */
static void
others(const char *text)
{
	const tfl_currency *cur = NULL;
	tfl_err err = TFL_ERR_INIT;
	char buf[32];
	int64_t v;
	int rc;

	rc = tfl_currency_find(&cur, text, &err);
	if (rc != 0)
		fuzz_check_err(&err, rc);
	else if (strcmp(cur->code, text) != 0 || cur->minor < 0 ||
	    cur->minor > 4)
		abort();

	rc = tfl_date_parse(&v, text, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
	} else {
		tfl_date_format(buf, v);
		if (strcmp(buf, text) != 0)
			abort();
	}
	rc = tfl_time_parse(&v, text, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
	} else {
		tfl_time_format(buf, v);
		if (strcmp(buf, text) != 0)
			abort();
	}
}

/* Conversion and percentage of a parsed amount at a parsed rate. */
static void
convert(int64_t a, const tfl_currency *cur, const tfl_rate *r)
{
	const tfl_currency *usd = NULL;
	tfl_err err = TFL_ERR_INIT;
	int64_t out, parts[3], w[3] = { 1, 2, 3 };
	int rc;

	if (tfl_currency_find(&usd, "USD", &err) != 0)
		abort();
	rc = tfl_money_convert(&out, a, cur, r, usd, &err);
	if (rc != 0)
		fuzz_check_err(&err, rc);
	rc = tfl_money_percent(&out, a, r, &err);
	if (rc != 0)
		fuzz_check_err(&err, rc);
	w[1] = r->value;
	rc = tfl_money_split(parts, a, w, 3, &err);
	if (rc != 0)
		fuzz_check_err(&err, rc);
	else if (parts[0] + parts[1] + parts[2] != a)
		abort();	/* same sign as a, so no overflow */
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const unsigned flagset[] = { 0, TFL_MONEY_POSITIVE,
		TFL_MONEY_SIGNED, TFL_MONEY_POSITIVE | TFL_MONEY_SIGNED };
	const tfl_currency *cur = NULL;
	tfl_err err = TFL_ERR_INIT;
	char *text, *bar;
	unsigned flags;
	int64_t a = 0;
	tfl_rate r;
	int ra, rr;

	if (size == 0)
		return 0;
	if (tfl_currency_find(&cur, codes[data[0] % 8], &err) != 0)
		abort();
	flags = flagset[(data[0] >> 3) % 4];
	text = fuzz_strndup(data + 1, size - 1);
	others(text);
	bar = strchr(text, '|');
	if (bar == NULL) {
		amount(&a, text, cur, flags);
		rate(&r, text);
	} else {
		*bar = '\0';
		ra = amount(&a, text, cur, flags);
		rr = rate(&r, bar + 1);
		if (ra == 0 && rr == 0)
			convert(a, cur, &r);
	}
	free(text);
	return 0;
}
