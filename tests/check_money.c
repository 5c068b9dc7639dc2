/*
 * check_money.c - amounts, currencies, rates, conversion, rounding and
 * splits (tfledger/money.h).  Known answers from shared/DOMAIN.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfledger/money.h"
#include "testutil.h"

#define SENTINEL INT64_C(-777)

static const tfl_currency *
cur(const char *code)
{
	const tfl_currency *c = NULL;
	tfl_err err = TFL_ERR_INIT;

	ck_assert_msg(tfl_currency_find(&c, code, &err) == 0, "%s: %s", code,
	    err.msg);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void
parses(const char *text, const char *code, unsigned flags, int64_t want)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v = SENTINEL;

	ck_assert_msg(tfl_money_parse(&v, text, cur(code), flags, &err) == 0,
	    "\"%s\" %s: %s", text, code, err.msg);
	ck_assert_int_eq(v, want);
}

/*
 * text is refused with TFL_EINVAL, *out is left alone, and the message
 * is `amount "text": ...` containing why.
 */
static void
refused(const char *text, const char *code, unsigned flags, const char *why)
{
	tfl_err err = TFL_ERR_INIT;
	char prefix[128];
	int64_t v = SENTINEL;

	ck_assert_int_eq(tfl_money_parse(&v, text, cur(code), flags, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(err.code, TFL_EINVAL);
	ck_assert_int_eq(v, SENTINEL);
	snprintf(prefix, sizeof(prefix), "amount \"%s\": ", text);
	ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0,
	    "message \"%s\" does not start with %s", err.msg, prefix);
	ck_assert_msg(strstr(err.msg, why) != NULL,
	    "message \"%s\" lacks \"%s\"", err.msg, why);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}

static void
rate_refused(const char *text, const char *why)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate r = { -1, -1 };
	char prefix[128];

	ck_assert_int_eq(tfl_rate_parse(&r, text, &err), TFL_EINVAL);
	ck_assert_int_eq(r.value, -1);
	snprintf(prefix, sizeof(prefix), "rate \"%s\": ", text);
	ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0,
	    "message \"%s\" does not start with %s", err.msg, prefix);
	ck_assert_msg(strstr(err.msg, why) != NULL,
	    "message \"%s\" lacks \"%s\"", err.msg, why);
}

static tfl_rate
rate(const char *text)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate r = { 0, 0 };

	ck_assert_msg(tfl_rate_parse(&r, text, &err) == 0, "%s: %s", text,
	    err.msg);
	return r;
}

static int64_t
convert(int64_t amount, const char *from, const char *rtext, const char *to)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate r = rate(rtext);
	int64_t v = SENTINEL;

	ck_assert_msg(tfl_money_convert(&v, amount, cur(from), &r, cur(to),
	    &err) == 0, "%s", err.msg);
	return v;
}

static int64_t
percent(int64_t amount, const char *pct)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate r = rate(pct);
	int64_t v = SENTINEL;

	ck_assert_msg(tfl_money_percent(&v, amount, &r, &err) == 0, "%s",
	    err.msg);
	return v;
}

static void
formats(int64_t minor, const char *code, const char *want, int grouped)
{
	char buf[40];
	int n;

	memset(buf, 'x', sizeof(buf));
	if (grouped)
		n = tfl_money_format_grouped(buf, sizeof(buf), minor,
		    cur(code));
	else
		n = tfl_money_format(buf, sizeof(buf), minor, cur(code));
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(test_minor_units_follow_iso4217)
{
	ck_assert_int_eq(cur("JPY")->minor, 0);
	ck_assert_int_eq(cur("KRW")->minor, 0);
	ck_assert_int_eq(cur("KWD")->minor, 3);
	ck_assert_int_eq(cur("BHD")->minor, 3);
	ck_assert_int_eq(cur("CLF")->minor, 4);
	ck_assert_int_eq(cur("UYW")->minor, 4);
	ck_assert_int_eq(cur("USD")->minor, 2);
	ck_assert_int_eq(cur("EUR")->minor, 2);
	ck_assert_str_eq(cur("EUR")->code, "EUR");
}
END_TEST

START_TEST(test_currencies_without_minor_unit_are_refused)
{
	static const char *codes[] = { "XAU", "XDR", "XXX", "XAG", "XTS" };
	const tfl_currency *c = NULL;
	tfl_err err = TFL_ERR_INIT;
	char want[64];
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_int_eq(tfl_currency_find(&c, codes[i], &err),
		    TFL_EINVAL);
		snprintf(want, sizeof(want),
		    "currency \"%s\": has no minor unit", codes[i]);
		ck_assert_str_eq(err.msg, want);
		ck_assert_ptr_null(c);
	}
}
END_TEST

START_TEST(test_unknown_currency_codes_are_refused)
{
	static const char *codes[] = { "usd", "", "US", "USDX", "AAA", "ZZZ",
		"HRK", "U D" };
	const tfl_currency *c = NULL;
	tfl_err err = TFL_ERR_INIT;
	char want[64];
	size_t i;

	ck_assert_int_eq(tfl_currency_find(&c, "XYZ", &err), TFL_EINVAL);
	ck_assert_str_eq(err.msg,
	    "currency \"XYZ\": not an ISO 4217 currency");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_int_eq(tfl_currency_find(&c, codes[i], &err),
		    TFL_EINVAL);
		snprintf(want, sizeof(want),
		    "currency \"%s\": not an ISO 4217 currency", codes[i]);
		ck_assert_str_eq(err.msg, want);
	}
	ck_assert_ptr_null(c);
}
END_TEST

/* Check one CSV row (code, minor units or N.A.) against the library. */
static void
check_row(const char *code, const char *minor)
{
	const tfl_currency *c = NULL;
	tfl_err err = TFL_ERR_INIT;
	int rc = tfl_currency_find(&c, code, &err);

	if (strcmp(minor, "N.A.") == 0) {
		ck_assert_int_eq(rc, TFL_EINVAL);
		ck_assert_ptr_nonnull(strstr(err.msg, "has no minor unit"));
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", code, err.msg);
	ck_assert_str_eq(c->code, code);
	ck_assert_int_eq(c->minor, atoi(minor));
	ck_assert_msg(strlen(minor) == 1 && minor[0] >= '0' &&
	    minor[0] <= '4', "%s: odd minor unit %s", code, minor);
}

/*
 * Every row of data/iso4217.csv is in the C table with the same minor
 * units, and no three-letter code outside the CSV is known.
 */
START_TEST(test_c_table_matches_every_csv_row)
{
	static char known[26 * 26 * 26];
	char *csv = tu_read_file("data/iso4217.csv", NULL), *line, *next;
	char code[4] = { 0 }, *f3, *f4;
	const tfl_currency *c;
	tfl_err err = TFL_ERR_INIT;
	int rows = 0, i, rc;

	line = strchr(csv, '\n') + 1;	/* skip the header */
	for (; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		ck_assert_ptr_nonnull(next);
		*next++ = '\0';
		f3 = strchr(strchr(line, ',') + 1, ',') + 1;
		f4 = strchr(f3, ',');
		ck_assert_ptr_nonnull(f4);
		*f4 = '\0';
		ck_assert_msg(line[3] == ',', "bad row %s", line);
		line[3] = '\0';
		check_row(line, f3);
		known[(line[0] - 'A') * 676 + (line[1] - 'A') * 26 +
		    (line[2] - 'A')] = 1;
		rows++;
	}
	ck_assert_int_eq(rows, 179);
	for (i = 0; i < 26 * 26 * 26; i++) {
		code[0] = (char)('A' + i / 676);
		code[1] = (char)('A' + i / 26 % 26);
		code[2] = (char)('A' + i % 26);
		rc = tfl_currency_find(&c, code, &err);
		ck_assert_msg(known[i] || (rc == TFL_EINVAL && strstr(err.msg,
		    "not an ISO 4217") != NULL), "%s is not in the CSV", code);
	}
	free(csv);
}
END_TEST

START_TEST(test_amounts_parse_into_minor_units)
{
	parses("12.34", "USD", 0, 1234);
	parses("12", "USD", 0, 1200);
	parses("12.5", "USD", 0, 1250);
	parses("0.05", "USD", 0, 5);
	parses("0", "USD", 0, 0);
	parses("007.50", "USD", 0, 750);
	parses("1.50", "USD", 0, 150);
	parses("100000.00", "EUR", TFL_MONEY_POSITIVE, 10000000);
	parses("1000", "JPY", 0, 1000);
	parses("1000.000", "KWD", 0, 1000000);
	parses("1.5", "KWD", 0, 1500);
	parses("1.2345", "CLF", 0, 12345);
	parses("-12.34", "USD", TFL_MONEY_SIGNED, -1234);
	parses("-0.00", "USD", TFL_MONEY_SIGNED, 0);
	parses("12.34", "USD", TFL_MONEY_SIGNED | TFL_MONEY_POSITIVE, 1234);
}
END_TEST

START_TEST(test_int64_extremes_parse)
{
	parses("92233720368547758.07", "USD", 0, INT64_MAX);
	parses("-92233720368547758.07", "USD", TFL_MONEY_SIGNED, -INT64_MAX);
	parses("9223372036854775807", "JPY", 0, INT64_MAX);
	parses("922337203685477.5807", "CLF", 0, INT64_MAX);
	parses("0000000000000000000000000001", "JPY", 0, 1);
}
END_TEST

START_TEST(test_negative_amount_is_refused_unless_signed)
{
	refused("-12.34", "USD", 0, "negative amounts are not allowed");
	refused("-1", "JPY", TFL_MONEY_POSITIVE,
	    "negative amounts are not allowed");
	refused("-0.00", "USD", 0, "negative amounts are not allowed");
}
END_TEST

START_TEST(test_zero_is_refused_when_positive_is_required)
{
	unsigned both = TFL_MONEY_POSITIVE | TFL_MONEY_SIGNED;

	refused("0", "USD", TFL_MONEY_POSITIVE, "must be greater than zero");
	refused("0.00", "USD", TFL_MONEY_POSITIVE,
	    "must be greater than zero");
	refused("000", "JPY", TFL_MONEY_POSITIVE, "must be greater than zero");
	refused("-0", "USD", both, "must be greater than zero");
	refused("-1.00", "USD", both, "must be greater than zero");
}
END_TEST

START_TEST(test_too_many_decimals_are_refused)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v;

	ck_assert_int_eq(tfl_money_parse(&v, "12.345", cur("USD"), 0, &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg,
	    "amount \"12.345\": USD has 2 decimal places");
	refused("12.340", "USD", 0, "USD has 2 decimal places");
	refused("5.0", "JPY", 0, "JPY has no decimal places");
	refused("1.0000", "KWD", 0, "KWD has 3 decimal places");
	refused("1.23456", "CLF", 0, "CLF has 4 decimal places");
	refused("-0.001", "USD", TFL_MONEY_SIGNED, "USD has 2 decimal places");
}
END_TEST

START_TEST(test_amount_beyond_int64_is_refused)
{
	refused("92233720368547758.08", "USD", 0, "out of range");
	refused("92233720368547758.08", "USD", 0, "92233720368547758.07 USD");
	refused("9223372036854775808", "JPY", 0, "out of range");
	refused("99999999999999999999999999", "JPY", 0, "out of range");
	refused("922337203685477.5808", "CLF", 0, "out of range");
	refused("100000000000000000", "USD", 0, "out of range");
}
END_TEST

/* INT64_MIN is kept out so that negating an amount cannot overflow. */
START_TEST(test_int64_min_is_refused_as_an_amount)
{
	refused("-92233720368547758.08", "USD", TFL_MONEY_SIGNED,
	    "out of range");
	refused("-9223372036854775808", "JPY", TFL_MONEY_SIGNED,
	    "out of range");
}
END_TEST

START_TEST(test_exponents_are_refused)
{
	refused("1e5", "USD", 0, "exponents are not allowed");
	refused("1E5", "JPY", 0, "exponents are not allowed");
	refused("1.5e2", "USD", 0, "exponents are not allowed");
	refused("1e-2", "USD", TFL_MONEY_SIGNED, "exponents are not allowed");
}
END_TEST

START_TEST(test_spaces_are_refused)
{
	refused(" 1.00", "USD", 0, "white space is not allowed");
	refused("1.00 ", "USD", 0, "white space is not allowed");
	refused("1 000.00", "USD", 0, "white space is not allowed");
	refused("- 1.00", "USD", TFL_MONEY_SIGNED,
	    "white space is not allowed");
}
END_TEST

START_TEST(test_plus_sign_is_refused)
{
	refused("+1.00", "USD", 0, "a leading '+' is not allowed");
	refused("+1.00", "USD", TFL_MONEY_SIGNED,
	    "a leading '+' is not allowed");
	refused("-+1", "USD", TFL_MONEY_SIGNED, "unexpected '+'");
}
END_TEST

START_TEST(test_grouping_commas_are_refused)
{
	refused("1,000.00", "USD", 0, "',' is not allowed");
	refused("1,000", "JPY", 0, "',' is not allowed");
}
END_TEST

START_TEST(test_locale_decimal_comma_is_refused)
{
	refused("12,50", "EUR", 0, "',' is not allowed");
	refused("0,5", "EUR", 0, "'.' is the point");
}
END_TEST

START_TEST(test_empty_and_lone_points_are_refused)
{
	refused("", "USD", 0, "empty");
	refused(".", "USD", 0, "a digit is required before the point");
	refused(".5", "USD", 0, "a digit is required before the point");
	refused("5.", "USD", 0, "no digits after the point");
	refused("5.", "JPY", 0, "no digits after the point");
	refused("-", "USD", TFL_MONEY_SIGNED, "no digits");
	refused("-.5", "USD", TFL_MONEY_SIGNED, "a digit is required");
}
END_TEST

START_TEST(test_other_stray_characters_are_refused)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v = SENTINEL;

	refused("1.2.3", "USD", 0, "unexpected '.'");
	refused("--1", "USD", TFL_MONEY_SIGNED, "unexpected '-'");
	refused("12a", "USD", 0, "unexpected 'a'");
	refused("0x10", "USD", 0, "unexpected 'x'");
	refused("1_000", "USD", 0, "unexpected '_'");
	refused("5.x", "USD", 0, "unexpected 'x'");
	/* A control byte is shown as '?' and named in hex. */
	ck_assert_int_eq(tfl_money_parse(&v, "1\x01", cur("USD"), 0, &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg, "amount \"1?\": unexpected byte 0x01");
	ck_assert_int_eq(v, SENTINEL);
}
END_TEST

START_TEST(test_long_input_is_shortened_in_the_message)
{
	char text[200];
	tfl_err err = TFL_ERR_INIT;
	int64_t v;

	memset(text, '1', sizeof(text) - 2);
	text[sizeof(text) - 2] = 'x';
	text[sizeof(text) - 1] = '\0';
	ck_assert_int_eq(tfl_money_parse(&v, text, cur("USD"), 0, &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "...\": unexpected 'x'"));
	ck_assert_uint_lt(strlen(err.msg), 100);
}
END_TEST

START_TEST(test_format_is_canonical)
{
	formats(-123450, "USD", "-1234.50", 0);
	formats(5, "USD", "0.05", 0);
	formats(-5, "USD", "-0.05", 0);
	formats(0, "USD", "0.00", 0);
	formats(1000, "JPY", "1000", 0);
	formats(0, "JPY", "0", 0);
	formats(-7, "JPY", "-7", 0);
	formats(1000000, "KWD", "1000.000", 0);
	formats(1, "CLF", "0.0001", 0);
	formats(INT64_MAX, "USD", "92233720368547758.07", 0);
	formats(-INT64_MAX, "USD", "-92233720368547758.07", 0);
	formats(INT64_MIN, "USD", "-92233720368547758.08", 0);
	formats(INT64_MIN, "JPY", "-9223372036854775808", 0);
}
END_TEST

START_TEST(test_format_and_parse_round_trip)
{
	static const char *codes[] = { "USD", "JPY", "KWD", "CLF" };
	static const int64_t vals[] = { 0, 1, -1, 9, 10, 99, 100, 101, -101,
		123456789, -987654321, 1000000000000, INT64_MAX, -INT64_MAX,
		INT64_MAX - 1, -INT64_MAX + 1 };
	tfl_err err = TFL_ERR_INIT;
	char buf[32];
	int64_t v;
	size_t i, j;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		for (j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			ck_assert_int_gt(tfl_money_format(buf, sizeof(buf),
			    vals[j], cur(codes[i])), 0);
			v = SENTINEL;
			ck_assert_msg(tfl_money_parse(&v, buf, cur(codes[i]),
			    TFL_MONEY_SIGNED, &err) == 0, "%s", err.msg);
			ck_assert_int_eq(v, vals[j]);
		}
	}
}
END_TEST

START_TEST(test_format_reports_a_small_buffer)
{
	char buf[9];

	ck_assert_int_eq(tfl_money_format(buf, 8, -123450, cur("USD")), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(tfl_money_format(buf, 9, -123450, cur("USD")), 8);
	ck_assert_str_eq(buf, "-1234.50");
	ck_assert_int_eq(tfl_money_format(NULL, 0, 1, cur("USD")), -1);
	ck_assert_int_eq(tfl_money_format_grouped(buf, 9, 123456750,
	    cur("USD")), -1);
}
END_TEST

START_TEST(test_grouped_format_separates_thousands)
{
	formats(123456750, "USD", "1,234,567.50", 1);
	formats(100000, "USD", "1,000.00", 1);
	formats(99999, "USD", "999.99", 1);
	formats(123, "USD", "1.23", 1);
	formats(0, "USD", "0.00", 1);
	formats(-100000000, "JPY", "-100,000,000", 1);
	formats(-10000000, "JPY", "-10,000,000", 1);
	formats(1234567, "KWD", "1,234.567", 1);
	formats(INT64_MAX, "JPY", "9,223,372,036,854,775,807", 1);
	formats(INT64_MIN, "USD", "-92,233,720,368,547,758.08", 1);
}
END_TEST

START_TEST(test_rates_parse_exactly)
{
	tfl_rate r;

	r = rate("0.926");
	ck_assert_int_eq(r.value, 926);
	ck_assert_int_eq(r.scale, 3);
	r = rate("156.250");
	ck_assert_int_eq(r.value, 15625);
	ck_assert_int_eq(r.scale, 2);
	r = rate("100");
	ck_assert_int_eq(r.value, 100);
	ck_assert_int_eq(r.scale, 0);
	r = rate("0.000000000001");
	ck_assert_int_eq(r.value, 1);
	ck_assert_int_eq(r.scale, 12);
	r = rate("9223372036854775807");
	ck_assert_int_eq(r.value, INT64_MAX);
	r = rate("922337203685477580.70");
	ck_assert_int_eq(r.value, INT64_MAX);
	ck_assert_int_eq(r.scale, 1);
}
END_TEST

static void
rate_formats(const char *text, const char *want)
{
	tfl_rate r = rate(text);
	char buf[48];

	ck_assert_int_eq(tfl_rate_format(buf, sizeof(buf), &r),
	    (int)strlen(want));
	ck_assert_str_eq(buf, want);
}

START_TEST(test_rate_format_is_canonical)
{
	static const struct {
		tfl_rate r;
		const char *want;
	} hand[] = { { { 156250, 3 }, "156.25" }, { { 1300, 2 }, "13" },
		{ { 926, 3 }, "0.926" }, { { 5, 0 }, "5" },
		{ { 1, 12 }, "0.000000000001" }, { { 10, 1 }, "1" },
		{ { INT64_MAX, 12 }, "9223372.036854775807" } };
	char buf[48];
	size_t i;

	rate_formats("0.926", "0.926");
	rate_formats("156.250", "156.25");
	rate_formats("13", "13");
	rate_formats("13.00", "13");
	rate_formats("007.50", "7.5");
	rate_formats("0.10", "0.1");
	rate_formats("100", "100");
	for (i = 0; i < sizeof(hand) / sizeof(hand[0]); i++) {
		ck_assert_int_eq(tfl_rate_format(buf, sizeof(buf), &hand[i].r),
		    (int)strlen(hand[i].want));
		ck_assert_str_eq(buf, hand[i].want);
	}
	ck_assert_int_eq(tfl_rate_format(buf, 5, &hand[0].r), -1);
	ck_assert_int_eq(tfl_rate_format(buf, 7, &hand[0].r), 6);
}
END_TEST

START_TEST(test_bad_rates_are_refused)
{
	rate_refused("0", "must be greater than zero");
	rate_refused("0.000", "must be greater than zero");
	rate_refused("-1", "must be greater than zero");
	rate_refused("1.0000000000001", "at most 12 decimal places");
	rate_refused("99999999999999999999", "out of range");
	rate_refused("", "empty");
	rate_refused(".", "a digit is required");
	rate_refused("1.", "no digits after the point");
	rate_refused("1e3", "exponents are not allowed");
	rate_refused("0,926", "',' is not allowed");
	rate_refused(" 1", "white space is not allowed");
	rate_refused("+1", "a leading '+' is not allowed");
}
END_TEST

START_TEST(test_known_conversions_to_usd)
{
	/* shared/DOMAIN.md, Money in C */
	ck_assert_int_eq(convert(10000000, "EUR", "0.926", "USD"), 10799136);
	ck_assert_int_eq(convert(1000000, "JPY", "156.250", "USD"), 640000);
	ck_assert_int_eq(convert(1000000, "KWD", "0.307", "USD"), 325733);
	ck_assert_int_eq(convert(-10000000, "EUR", "0.926", "USD"),
	    -10799136);
	ck_assert_int_eq(convert(640000, "USD", "0.0064", "JPY"), 1000000);
	ck_assert_int_eq(convert(12345, "USD", "1", "USD"), 12345);
}
END_TEST

START_TEST(test_conversion_rounds_once_half_to_even)
{
	/* 0.05 USD at 2 per USD is 2.5 cents. */
	ck_assert_int_eq(convert(5, "USD", "2", "USD"), 2);
	ck_assert_int_eq(convert(7, "USD", "2", "USD"), 4);
	ck_assert_int_eq(convert(-5, "USD", "2", "USD"), -2);
	ck_assert_int_eq(convert(-7, "USD", "2", "USD"), -4);
	/* Rounded once: 2.51 cents is 3, not 2.5 cents and then 2. */
	ck_assert_int_eq(convert(251, "USD", "100", "USD"), 3);
	ck_assert_int_eq(convert(1, "JPY", "0.4", "USD"), 250);
	/* 1 KWD mill at 2 per USD is 0.05 cents, which rounds to 0. */
	ck_assert_int_eq(convert(1, "KWD", "2", "USD"), 0);
}
END_TEST

START_TEST(test_conversion_overflow_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate tiny = { 1, 12 }, zero = { 0, 0 }, deep = { 1, 13 };
	int64_t v = SENTINEL;

	ck_assert_int_eq(tfl_money_convert(&v, INT64_MAX, cur("USD"), &tiny,
	    cur("USD"), &err), TFL_EINVAL);
	ck_assert_str_eq(err.msg, "converting 92233720368547758.07 USD at "
	    "0.000000000001: USD amount out of range");
	ck_assert_int_eq(tfl_money_convert(&v, INT64_MIN, cur("JPY"), &tiny,
	    cur("CLF"), &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_money_convert(&v, 100, cur("USD"), &zero,
	    cur("USD"), &err), TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "rate {0, 0}"));
	ck_assert_int_eq(tfl_money_convert(&v, 100, cur("USD"), &deep,
	    cur("USD"), &err), TFL_EINVAL);
	ck_assert_int_eq(v, SENTINEL);
}
END_TEST

START_TEST(test_division_rounds_half_to_even)
{
	ck_assert_int_eq(tfl_money_div_half_even(5, 2), 2);
	ck_assert_int_eq(tfl_money_div_half_even(7, 2), 4);
	ck_assert_int_eq(tfl_money_div_half_even(-5, 2), -2);
	ck_assert_int_eq(tfl_money_div_half_even(-7, 2), -4);
	ck_assert_int_eq(tfl_money_div_half_even(25, 10), 2);
	ck_assert_int_eq(tfl_money_div_half_even(35, 10), 4);
	ck_assert_int_eq(tfl_money_div_half_even(-25, 10), -2);
	ck_assert_int_eq(tfl_money_div_half_even(1, 3), 0);
	ck_assert_int_eq(tfl_money_div_half_even(2, 3), 1);
	ck_assert_int_eq(tfl_money_div_half_even(-2, 3), -1);
	ck_assert_int_eq(tfl_money_div_half_even(26, 10), 3);
	ck_assert_int_eq(tfl_money_div_half_even(-26, 10), -3);
	ck_assert_int_eq(tfl_money_div_half_even(INT64_MAX, 1), INT64_MAX);
	ck_assert_int_eq(tfl_money_div_half_even(INT64_MIN, 1), INT64_MIN);
	ck_assert_int_eq(tfl_money_div_half_even(INT64_MAX, INT64_MAX), 1);
	ck_assert_int_eq(tfl_money_div_half_even(INT64_MAX, 2),
	    INT64_MAX / 2 + 1);
}
END_TEST

START_TEST(test_percent_of_whole_amounts)
{
	ck_assert_int_eq(percent(10000, "13"), 1300);
	ck_assert_int_eq(percent(10000000, "7"), 700000);
	ck_assert_int_eq(percent(10000, "7.5"), 750);
	ck_assert_int_eq(percent(10000, "100"), 10000);
	ck_assert_int_eq(percent(-10000, "13"), -1300);
}
END_TEST

START_TEST(test_percent_of_odd_cents_rounds_half_to_even)
{
	ck_assert_int_eq(percent(50, "13"), 6);		/* 6.5 */
	ck_assert_int_eq(percent(150, "13"), 20);	/* 19.5 */
	ck_assert_int_eq(percent(101, "13"), 13);	/* 13.13 */
	ck_assert_int_eq(percent(77, "13"), 10);	/* 10.01 */
	ck_assert_int_eq(percent(-50, "13"), -6);	/* -6.5 */
	ck_assert_int_eq(percent(10, "7.5"), 1);	/* 0.75 */
	ck_assert_int_eq(percent(1, "50"), 0);		/* 0.5 */
	ck_assert_int_eq(percent(3, "50"), 2);		/* 1.5 */
}
END_TEST

START_TEST(test_percent_overflow_is_refused)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_rate r = rate("200"), zero = { 0, 0 };
	int64_t v = SENTINEL;

	ck_assert_int_eq(tfl_money_percent(&v, INT64_MAX, &r, &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg,
	    "200% of 9223372036854775807 minor units: amount out of range");
	ck_assert_int_eq(tfl_money_percent(&v, 1, &zero, &err), TFL_EINVAL);
	ck_assert_int_eq(v, SENTINEL);
	ck_assert_int_eq(percent(INT64_MAX, "100"), INT64_MAX);
}
END_TEST

START_TEST(test_add_and_sub_of_ordinary_amounts)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v = SENTINEL;

	ck_assert_int_eq(tfl_money_add(&v, 150, -275, &err), 0);
	ck_assert_int_eq(v, -125);
	ck_assert_int_eq(tfl_money_sub(&v, 150, -275, &err), 0);
	ck_assert_int_eq(v, 425);
	ck_assert_int_eq(tfl_money_add(&v, INT64_MAX - 1, 1, &err), 0);
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert_int_eq(tfl_money_sub(&v, -INT64_MAX + 1, 1, &err), 0);
	ck_assert_int_eq(v, -INT64_MAX);
	ck_assert_int_eq(tfl_money_sub(&v, INT64_MAX, INT64_MAX, &err), 0);
	ck_assert_int_eq(v, 0);
}
END_TEST

START_TEST(test_add_and_sub_refuse_overflow)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v = SENTINEL;

	ck_assert_int_eq(tfl_money_add(&v, INT64_MAX, 1, &err), TFL_EINVAL);
	ck_assert_str_eq(err.msg, "amount overflow: 9223372036854775807 + 1");
	ck_assert_int_eq(tfl_money_add(&v, -INT64_MAX, -1, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_money_add(&v, INT64_MIN, INT64_MIN, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_money_sub(&v, -INT64_MAX, 1, &err), TFL_EINVAL);
	ck_assert_str_eq(err.msg,
	    "amount overflow: -9223372036854775807 - 1");
	ck_assert_int_eq(tfl_money_sub(&v, 0, INT64_MIN, &err), TFL_EINVAL);
	ck_assert_int_eq(tfl_money_sub(&v, INT64_MAX, -1, &err), TFL_EINVAL);
	ck_assert_int_eq(v, SENTINEL);
}
END_TEST

static void
splits(int64_t total, const int64_t *w, size_t n, const int64_t *want)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t parts[16];
	size_t i;

	ck_assert_msg(tfl_money_split(parts, total, w, n, &err) == 0, "%s",
	    err.msg);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(parts[i], want[i]);
}

START_TEST(test_muldiv_rounds_half_to_even_and_checks_range)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t v = 0;

	/* 107991.36 * 60000 / 100000 = 64794.816 -> 64794.82 */
	ck_assert_int_eq(tfl_money_muldiv(&v, 10799136, 6000000, 10000000,
	    &err), 0);
	ck_assert_int_eq(v, 6479482);
	ck_assert_int_eq(tfl_money_muldiv(&v, 5, 1, 2, &err), 0);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(tfl_money_muldiv(&v, 7, 1, 2, &err), 0);
	ck_assert_int_eq(v, 4);
	ck_assert_int_eq(tfl_money_muldiv(&v, -5, 1, 2, &err), 0);
	ck_assert_int_eq(v, -2);
	ck_assert_int_eq(tfl_money_muldiv(&v, INT64_MAX, INT64_MAX, 1, &err),
	    TFL_EINVAL);
	ck_assert_int_eq(tfl_money_muldiv(&v, INT64_MAX, 3, 3, &err), 0);
	ck_assert_int_eq(v, INT64_MAX);
}
END_TEST

START_TEST(test_split_gives_units_to_largest_remainders)
{
	static const int64_t w3[] = { 1, 1, 1 }, w124[] = { 1, 2, 4 };
	static const int64_t w50[] = { 50, 30, 20 }, w0[] = { 0, 5, 0 };
	static const int64_t a[] = { 3334, 3333, 3333 }, b[] = { 1, 3, 6 };
	static const int64_t c[] = { 50, 30, 20 }, d[] = { 0, 7, 0 };

	splits(10000, w3, 3, a);
	splits(10, w124, 3, b);
	splits(100, w50, 3, c);
	splits(7, w0, 3, d);
}
END_TEST

START_TEST(test_split_ties_go_to_lower_index)
{
	static const int64_t w3[] = { 1, 1, 1 }, w2[] = { 1, 1 };
	static const int64_t w011[] = { 0, 1, 1 }, w4[] = { 1, 2, 1, 2 };
	static const int64_t a[] = { 1, 1, 0 }, b[] = { 1, 0 };
	static const int64_t c[] = { 0, 1, 0 }, d[] = { 1, 1, 0, 1 };

	splits(2, w3, 3, a);
	splits(1, w2, 2, b);
	splits(1, w011, 3, c);
	/* 3 * {1,2,1,2}/6 = {.5,1,.5,1}: one left over, to index 0. */
	splits(3, w4, 4, d);
}
END_TEST

START_TEST(test_split_of_a_refund_mirrors_the_original)
{
	static const int64_t w3[] = { 1, 1, 1 }, w2[] = { 1, 1 };
	static const int64_t a[] = { -3334, -3333, -3333 }, b[] = { -1, 0 };

	splits(-10000, w3, 3, a);
	splits(-1, w2, 2, b);
}
END_TEST

/* A slow, obvious largest-remainder split to check against. */
static void
naive_split(int64_t *parts, int64_t total, const int64_t *w, size_t n)
{
	int64_t sum = 0, left, mag = total < 0 ? -total : total;
	int64_t rem[16], best;
	size_t i, pick;

	for (i = 0; i < n; i++)
		sum += w[i];
	left = mag;
	for (i = 0; i < n; i++) {
		parts[i] = mag * w[i] / sum;
		rem[i] = mag * w[i] % sum;
		left -= parts[i];
	}
	for (; left > 0; left--) {
		best = -1;
		pick = 0;
		for (i = 0; i < n; i++)
			if (rem[i] > best) {
				best = rem[i];
				pick = i;
			}
		parts[pick]++;
		rem[pick] = -1;
	}
	for (i = 0; total < 0 && i < n; i++)
		parts[i] = -parts[i];
}

START_TEST(test_split_sums_exactly_to_the_total)
{
	tfl_err err = TFL_ERR_INIT;
	int64_t w[16], parts[16], want[16], total, got;
	size_t n, i, k;

	srand(4217);
	for (k = 0; k < 20000; k++) {
		n = 1 + (size_t)rand() % 16;
		for (i = 0; i < n; i++)
			w[i] = rand() % 7;
		w[rand() % (int)n] = 1 + rand() % 7;
		total = rand() % 200001 - 100000;
		ck_assert_int_eq(tfl_money_split(parts, total, w, n, &err), 0);
		naive_split(want, total, w, n);
		got = 0;
		for (i = 0; i < n; i++) {
			ck_assert_int_eq(parts[i], want[i]);
			got += parts[i];
		}
		ck_assert_int_eq(got, total);
	}
}
END_TEST

START_TEST(test_split_of_extreme_totals)
{
	static const int64_t w3[] = { 1, 1, 1 }, big[] = { INT64_MAX / 2,
		INT64_MAX / 2, 1 };
	tfl_err err = TFL_ERR_INIT;
	int64_t parts[3];

	ck_assert_int_eq(tfl_money_split(parts, INT64_MAX, w3, 3, &err), 0);
	ck_assert_int_eq(parts[0], INT64_MAX / 3 + 1);
	ck_assert_int_eq(parts[1], INT64_MAX / 3);
	ck_assert_int_eq(parts[0] + parts[1] + parts[2], INT64_MAX);
	ck_assert_int_eq(tfl_money_split(parts, -INT64_MAX, big, 3, &err), 0);
	ck_assert_int_eq(parts[0] + parts[1] + parts[2], -INT64_MAX);
	ck_assert_int_eq(parts[2], -1);
	ck_assert_int_eq(tfl_money_split(parts, INT64_MIN, w3, 3, &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "out of range"));
}
END_TEST

START_TEST(test_split_refuses_bad_weights)
{
	static const int64_t neg[] = { 1, -5, 1 }, zero[] = { 0, 0 };
	static const int64_t huge[] = { INT64_MAX, 1 };
	tfl_err err = TFL_ERR_INIT;
	int64_t parts[3] = { SENTINEL, SENTINEL, SENTINEL };

	ck_assert_int_eq(tfl_money_split(parts, 100, neg, 3, &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg, "weight 1: -5 is negative");
	ck_assert_int_eq(tfl_money_split(parts, 100, zero, 2, &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg, "weights: all zero");
	ck_assert_int_eq(tfl_money_split(parts, 100, huge, 2, &err),
	    TFL_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "weights: sum"));
	ck_assert_int_eq(tfl_money_split(parts, 100, zero, 0, &err),
	    TFL_EINVAL);
	ck_assert_str_eq(err.msg, "split: no parts");
	ck_assert_int_eq(parts[0], SENTINEL);
	ck_assert_int_eq(parts[1], SENTINEL);
}
END_TEST

static Suite *
money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("money");

	tcase_add_test(tc, test_minor_units_follow_iso4217);
	tcase_add_test(tc, test_currencies_without_minor_unit_are_refused);
	tcase_add_test(tc, test_unknown_currency_codes_are_refused);
	tcase_add_test(tc, test_c_table_matches_every_csv_row);
	tcase_add_test(tc, test_amounts_parse_into_minor_units);
	tcase_add_test(tc, test_int64_extremes_parse);
	tcase_add_test(tc, test_negative_amount_is_refused_unless_signed);
	tcase_add_test(tc, test_zero_is_refused_when_positive_is_required);
	tcase_add_test(tc, test_too_many_decimals_are_refused);
	tcase_add_test(tc, test_amount_beyond_int64_is_refused);
	tcase_add_test(tc, test_int64_min_is_refused_as_an_amount);
	tcase_add_test(tc, test_exponents_are_refused);
	tcase_add_test(tc, test_spaces_are_refused);
	tcase_add_test(tc, test_plus_sign_is_refused);
	tcase_add_test(tc, test_grouping_commas_are_refused);
	tcase_add_test(tc, test_locale_decimal_comma_is_refused);
	tcase_add_test(tc, test_empty_and_lone_points_are_refused);
	tcase_add_test(tc, test_other_stray_characters_are_refused);
	tcase_add_test(tc, test_long_input_is_shortened_in_the_message);
	tcase_add_test(tc, test_format_is_canonical);
	tcase_add_test(tc, test_format_and_parse_round_trip);
	tcase_add_test(tc, test_format_reports_a_small_buffer);
	tcase_add_test(tc, test_grouped_format_separates_thousands);
	tcase_add_test(tc, test_rates_parse_exactly);
	tcase_add_test(tc, test_rate_format_is_canonical);
	tcase_add_test(tc, test_bad_rates_are_refused);
	tcase_add_test(tc, test_known_conversions_to_usd);
	tcase_add_test(tc, test_conversion_rounds_once_half_to_even);
	tcase_add_test(tc, test_conversion_overflow_is_refused);
	tcase_add_test(tc, test_division_rounds_half_to_even);
	tcase_add_test(tc, test_percent_of_whole_amounts);
	tcase_add_test(tc, test_percent_of_odd_cents_rounds_half_to_even);
	tcase_add_test(tc, test_percent_overflow_is_refused);
	tcase_add_test(tc, test_add_and_sub_of_ordinary_amounts);
	tcase_add_test(tc, test_add_and_sub_refuse_overflow);
	tcase_add_test(tc, test_split_gives_units_to_largest_remainders);
	tcase_add_test(tc, test_split_ties_go_to_lower_index);
	tcase_add_test(tc, test_split_of_a_refund_mirrors_the_original);
	tcase_add_test(tc, test_split_sums_exactly_to_the_total);
	tcase_add_test(tc, test_muldiv_rounds_half_to_even_and_checks_range);
	tcase_add_test(tc, test_split_of_extreme_totals);
	tcase_add_test(tc, test_split_refuses_bad_weights);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(money_suite()) != 0;
}
