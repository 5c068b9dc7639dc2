/*
 * tfledger/money.h - amounts in integer minor units, ISO 4217 currencies,
 * exchange rates, rounding and splits.
 *
 * Money is int64 minor units, never floating point; every operation checks
 * for overflow.  The currency table is ISO 4217 with its minor units
 * (shipped with the library).  Rates are exact decimals, quoted as units
 * of the foreign currency per one unit of the base currency (the UN
 * operational rate of exchange).  Rounding is half to even, done once.
 */
#ifndef TFLEDGER_MONEY_H
#define TFLEDGER_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"

#define TFL_RATE_MAX_SCALE 12

typedef struct tfl_currency {
	char code[4];	/* ISO 4217 alphabetic code, NUL-terminated */
	int minor;	/* minor units: 0, 2, 3 or 4 */
} tfl_currency;

/* An exact positive decimal: value / 10^scale, e.g. 0.926 = {926, 3}. */
typedef struct tfl_rate {
	int64_t value;
	int scale;
} tfl_rate;

/* clang-format off */
#define TFL_MONEY_POSITIVE	0x1	/* must be > 0 */
#define TFL_MONEY_SIGNED	0x2	/* a leading '-' is allowed */
/* clang-format on */

/*
 * Find the currency with alphabetic code (3 upper-case letters).
 * Currencies without minor units (XAU, XDR, XXX, ...) are not money
 * for this ledger.  Returns 0 with *out pointing into a static table,
 * or TFL_EINVAL: `currency "XYZ": not an ISO 4217 currency` or
 * `currency "XAU": has no minor unit`.
 */
int tfl_currency_find(const tfl_currency **out, const char *code,
    tfl_err *err);

/*
 * Parse a decimal amount in currency cur into minor units.  Accepted:
 * an optional '-' (only with TFL_MONEY_SIGNED), digits, optionally a
 * point followed by 1 to cur->minor digits.  No '+', spaces, grouping,
 * exponents or locale separators; at most cur->minor decimals.  With
 * TFL_MONEY_POSITIVE zero and negatives are refused.  Leading zeros are
 * accepted on input ("007.50").  Returns 0 or TFL_EINVAL, e.g.
 * `amount "12.345": USD has 2 decimal places`.
 */
int tfl_money_parse(int64_t *out, const char *text, const tfl_currency *cur,
    unsigned flags, tfl_err *err);

/*
 * Canonical text of minor units in cur: "-1234.50", "0.05", "1000" for
 * JPY; exactly cur->minor decimals, no grouping.  Returns the length
 * written (buf NUL-terminated), or -1 when size is too small.  32 bytes
 * always suffice.
 */
int tfl_money_format(char *buf, size_t size, int64_t minor,
    const tfl_currency *cur);

/*
 * Human text with thousands separators: "1,234,567.50".  As
 * tfl_money_format; 40 bytes always suffice.
 */
int tfl_money_format_grouped(char *buf, size_t size, int64_t minor,
    const tfl_currency *cur);

/*
 * Parse an exchange rate or a percentage: digits, optional point and up
 * to TFL_RATE_MAX_SCALE decimals, > 0.  Returns 0 or TFL_EINVAL naming
 * the text.
 */
int tfl_rate_parse(tfl_rate *out, const char *text, tfl_err *err);

/*
 * Canonical text of a rate: no leading zeros but one before the point,
 * no trailing zeros after it, no bare point ("0.926", "156.25", "13").
 * Returns the length written or -1 when size is too small (48 suffice).
 */
int tfl_rate_format(char *buf, size_t size, const tfl_rate *rate);

/*
 * Convert amount (minor units of cur) to minor units of base at rate
 * (units of cur per one base): amount * 10^(base->minor + scale) /
 * (value * 10^cur->minor), in 128-bit arithmetic, rounded half to even.
 * Returns 0 or TFL_EINVAL on overflow of the int64 result.
 */
int tfl_money_convert(int64_t *out, int64_t amount, const tfl_currency *cur,
    const tfl_rate *rate, const tfl_currency *base, tfl_err *err);

/*
 * amount * pct / 100 rounded half to even (pct a percentage as a rate,
 * e.g. 13 or 7.5).  Returns 0 or TFL_EINVAL on overflow.
 */
int tfl_money_percent(int64_t *out, int64_t amount, const tfl_rate *pct,
    tfl_err *err);

/*
 * Checked a + b and a - b.  Return 0, or TFL_EINVAL ("amount overflow")
 * leaving *out unchanged.
 */
int tfl_money_add(int64_t *out, int64_t a, int64_t b, tfl_err *err);
int tfl_money_sub(int64_t *out, int64_t a, int64_t b, tfl_err *err);

/*
 * Split total into n parts proportional to weights[0..n) (each >= 0,
 * not all 0) by the largest-remainder method, so that the parts sum to
 * total exactly; ties go to the lower index.  Returns 0 or TFL_EINVAL.
 */
int tfl_money_split(int64_t *parts, int64_t total, const int64_t *weights,
    size_t n, tfl_err *err);

/*
 * round(x * num / den) half to even (den > 0) in 128-bit arithmetic: the
 * cumulative pro-rata share.  Returns 0 or TFL_EINVAL when the result
 * does not fit.
 */
int tfl_money_muldiv(int64_t *out, int64_t x, int64_t num, int64_t den,
    tfl_err *err);

/*
 * Round num/den half to even (den > 0).  Exposed for tests and reports.
 */
int64_t tfl_money_div_half_even(int64_t num, int64_t den);

#endif
