/*
 * money.c - amounts in integer minor units, ISO 4217 lookup, exchange
 * rates, conversion, percentages and splits (tfledger/money.h).
 *
 * Amounts stay within [-INT64_MAX, INT64_MAX]: parsing and every checked
 * operation refuse INT64_MIN, so negating an amount can never overflow.
 * Products go through 128-bit integers and are rounded once, half to even.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tfledger/money.h"
#include "internal.h"

__extension__ typedef __int128 i128;

#define MINOR_MAX 4	/* the largest minor unit in ISO 4217 */
#define SHOWN_MAX 48	/* a user's text as quoted in a message */

/* 10^0 .. 10^18; conversion needs up to 10^(MINOR_MAX + 12). */
static const int64_t tens[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000,
	10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000
};

/* Result of the syntax scan shared by amounts and rates. */
enum scan_rc {
	SCAN_OK,
	SCAN_EMPTY,
	SCAN_PLUS,
	SCAN_NODIGITS,
	SCAN_POINT,
	SCAN_CHAR
};

/*
 * A scanned decimal: [-]digits[.digits].  mag holds the digits with the
 * point and any trailing zeros of the fraction removed ("1.250" is 125,
 * nfrac 3, tz 1), so that a rate is normalised for free.
 */
struct dec {
	int64_t mag;
	size_t nfrac;	/* digits after the point, trailing zeros included */
	size_t tz;	/* trailing zeros of the fraction */
	int neg;	/* a leading '-' */
	int over;	/* mag does not fit in int64 */
	char bad;	/* the unexpected character, for SCAN_CHAR */
};

/* A copy of text fit for a one-line message: short, printable. */
static const char *
shown(char out[SHOWN_MAX], const char *text)
{
	size_t i;

	for (i = 0; i < SHOWN_MAX - 4 && text[i] != '\0'; i++)
		out[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
	if (text[i] != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

static int bad(tfl_err *err, const char *field, const char *text,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Fill err with `field "text": why` and return TFL_EINVAL. */
static int
bad(tfl_err *err, const char *field, const char *text, const char *fmt, ...)
{
	char s[SHOWN_MAX], why[TFL_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return tfl_err_set(err, TFL_EINVAL, "%s \"%s\": %s", field,
	    shown(s, text), why);
}

static void
push(struct dec *d, int digit)
{
	if (d->mag > (INT64_MAX - digit) / 10)
		d->over = 1;
	else
		d->mag = d->mag * 10 + digit;
}

/* The fraction's digits; zeros are held back until a non-zero follows. */
static const char *
fraction(struct dec *d, const char *p)
{
	size_t zeros = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		d->nfrac++;
		if (*p == '0') {
			zeros++;
			continue;
		}
		for (; zeros > 0; zeros--)
			push(d, 0);
		push(d, *p - '0');
	}
	d->tz = zeros;
	return p;
}

/* Check the syntax of text, filling d; range and decimals are the caller's. */
static enum scan_rc
scan(struct dec *d, const char *p)
{
	size_t nint = 0;

	memset(d, 0, sizeof(*d));
	if (*p == '\0')
		return SCAN_EMPTY;
	if (*p == '+')
		return SCAN_PLUS;
	if (*p == '-') {
		d->neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, nint++)
		push(d, *p - '0');
	if (*p == '.') {
		p = fraction(d, p + 1);
		if (d->nfrac == 0 && *p == '\0')
			return nint > 0 ? SCAN_POINT : SCAN_NODIGITS;
	}
	if (*p != '\0') {
		d->bad = *p;
		return SCAN_CHAR;
	}
	return nint > 0 ? SCAN_OK : SCAN_NODIGITS;
}

static int
char_err(tfl_err *err, const char *field, const char *text, char c)
{
	if (c == ',')
		return bad(err, field, text,
		    "',' is not allowed (no grouping; '.' is the point)");
	if (c == 'e' || c == 'E')
		return bad(err, field, text, "exponents are not allowed");
	if (c == ' ' || c == '\t' || c == '\n')
		return bad(err, field, text, "white space is not allowed");
	if (c > 0x20 && c < 0x7f)
		return bad(err, field, text, "unexpected '%c'", c);
	return bad(err, field, text, "unexpected byte 0x%02x",
	    (unsigned)(unsigned char)c);
}

static int
syntax_err(tfl_err *err, const char *field, const char *text,
    enum scan_rc rc, const struct dec *d)
{
	switch (rc) {
	case SCAN_EMPTY:
		return bad(err, field, text, "empty");
	case SCAN_PLUS:
		return bad(err, field, text, "a leading '+' is not allowed");
	case SCAN_NODIGITS:
		return bad(err, field, text, "%s", strchr(text, '.') != NULL ?
		    "a digit is required before the point" : "no digits");
	case SCAN_POINT:
		return bad(err, field, text, "no digits after the point");
	default:
		return char_err(err, field, text, d->bad);
	}
}

/* Round num / den half to even; den > 0.  C division truncates. */
static i128
div_half_even(i128 num, i128 den)
{
	i128 q = num / den, r = num % den, twice;

	twice = (r < 0 ? -r : r) * 2;
	if (twice > den || (twice == den && q % 2 != 0))
		q += r < 0 ? -1 : 1;
	return q;
}

static int
in_range(i128 v)
{
	return v >= -INT64_MAX && v <= INT64_MAX;
}

static void
check_currency(const tfl_currency *cur)
{
	assert(cur != NULL);
	assert(cur->minor >= 0 && cur->minor <= MINOR_MAX);
	(void)cur;
}

int
tfl_currency_find(const tfl_currency **out, const char *code, tfl_err *err)
{
	const tfl_currency *c;

	assert(out != NULL && code != NULL);
	c = tfl__iso4217_find(code);
	if (c == NULL)
		return bad(err, "currency", code, "not an ISO 4217 currency");
	if (c->minor < 0)
		return bad(err, "currency", code, "has no minor unit");
	*out = c;
	return 0;
}

int
tfl_money_parse(int64_t *out, const char *text, const tfl_currency *cur,
    unsigned flags, tfl_err *err)
{
	char max[32];
	struct dec d;
	enum scan_rc rc;
	int64_t v;
	int e;

	assert(out != NULL && text != NULL);
	check_currency(cur);
	rc = scan(&d, text);
	if (rc != SCAN_OK)
		return syntax_err(err, "amount", text, rc, &d);
	if (d.neg && !(flags & TFL_MONEY_SIGNED))
		return bad(err, "amount", text,
		    "negative amounts are not allowed");
	if (d.nfrac > (size_t)cur->minor && cur->minor == 0)
		return bad(err, "amount", text, "%s has no decimal places",
		    cur->code);
	if (d.nfrac > (size_t)cur->minor)
		return bad(err, "amount", text, "%s has %d decimal places",
		    cur->code, cur->minor);
	e = cur->minor - (int)(d.nfrac - d.tz);
	if (d.over || d.mag > INT64_MAX / tens[e]) {
		tfl_money_format(max, sizeof(max), INT64_MAX, cur);
		return bad(err, "amount", text, "out of range (%s %s at most)",
		    max, cur->code);
	}
	v = d.mag * tens[e];
	if ((flags & TFL_MONEY_POSITIVE) && (v == 0 || d.neg))
		return bad(err, "amount", text, "must be greater than zero");
	*out = d.neg ? -v : v;
	return 0;
}

/* Canonical or grouped text of minor units, built backwards in tmp. */
static int
format(char *buf, size_t size, int64_t minor, const tfl_currency *cur,
    int group)
{
	char tmp[48], *p = tmp + sizeof(tmp);
	uint64_t mag;
	size_t len;
	int i;

	assert(buf != NULL || size == 0);
	check_currency(cur);
	mag = minor < 0 ? (uint64_t)-(minor + 1) + 1 : (uint64_t)minor;
	*--p = '\0';
	for (i = 0; i < cur->minor; i++, mag /= 10)
		*--p = (char)('0' + mag % 10);
	if (cur->minor > 0)
		*--p = '.';
	for (i = 0; i == 0 || mag > 0; i++, mag /= 10) {
		if (group && i > 0 && i % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + mag % 10);
	}
	if (minor < 0)
		*--p = '-';
	len = (size_t)(tmp + sizeof(tmp) - 1 - p);
	if (len >= size) {
		if (size > 0)
			buf[0] = '\0';
		return -1;
	}
	memcpy(buf, p, len + 1);
	return (int)len;
}

int
tfl_money_format(char *buf, size_t size, int64_t minor,
    const tfl_currency *cur)
{
	return format(buf, size, minor, cur, 0);
}

int
tfl_money_format_grouped(char *buf, size_t size, int64_t minor,
    const tfl_currency *cur)
{
	return format(buf, size, minor, cur, 1);
}

int
tfl_rate_parse(tfl_rate *out, const char *text, tfl_err *err)
{
	struct dec d;
	enum scan_rc rc;

	assert(out != NULL && text != NULL);
	rc = scan(&d, text);
	if (rc != SCAN_OK)
		return syntax_err(err, "rate", text, rc, &d);
	if (d.nfrac > TFL_RATE_MAX_SCALE)
		return bad(err, "rate", text, "at most %d decimal places",
		    TFL_RATE_MAX_SCALE);
	if (d.over)
		return bad(err, "rate", text, "out of range");
	if (d.neg || d.mag == 0)
		return bad(err, "rate", text, "must be greater than zero");
	out->value = d.mag;
	out->scale = (int)(d.nfrac - d.tz);
	return 0;
}

static int
rate_ok(const tfl_rate *rate)
{
	return rate->value > 0 && rate->scale >= 0 &&
	    rate->scale <= TFL_RATE_MAX_SCALE;
}

int
tfl_rate_format(char *buf, size_t size, const tfl_rate *rate)
{
	char tmp[48], *p = tmp + sizeof(tmp);
	uint64_t v;
	size_t len;
	int scale, i;

	assert(buf != NULL || size == 0);
	assert(rate != NULL && rate_ok(rate));
	v = (uint64_t)rate->value;
	for (scale = rate->scale; scale > 0 && v % 10 == 0; scale--)
		v /= 10;
	*--p = '\0';
	for (i = 0; i < scale; i++, v /= 10)
		*--p = (char)('0' + v % 10);
	if (scale > 0)
		*--p = '.';
	for (i = 0; i == 0 || v > 0; i++, v /= 10)
		*--p = (char)('0' + v % 10);
	len = (size_t)(tmp + sizeof(tmp) - 1 - p);
	if (len >= size) {
		if (size > 0)
			buf[0] = '\0';
		return -1;
	}
	memcpy(buf, p, len + 1);
	return (int)len;
}

static int
rate_err(tfl_err *err, const char *field, const tfl_rate *rate)
{
	return tfl_err_set(err, TFL_EINVAL,
	    "%s {%" PRId64 ", %d}: not a rate > 0 with at most %d decimals",
	    field, rate->value, rate->scale, TFL_RATE_MAX_SCALE);
}

int
tfl_money_convert(int64_t *out, int64_t amount, const tfl_currency *cur,
    const tfl_rate *rate, const tfl_currency *base, tfl_err *err)
{
	char a[32], r[48];
	i128 q;

	assert(out != NULL && rate != NULL);
	check_currency(cur);
	check_currency(base);
	if (!rate_ok(rate))
		return rate_err(err, "rate", rate);
	q = div_half_even((i128)amount * tens[base->minor + rate->scale],
	    (i128)rate->value * tens[cur->minor]);
	if (!in_range(q)) {
		tfl_money_format(a, sizeof(a), amount, cur);
		tfl_rate_format(r, sizeof(r), rate);
		return tfl_err_set(err, TFL_EINVAL,
		    "converting %s %s at %s: %s amount out of range", a,
		    cur->code, r, base->code);
	}
	*out = (int64_t)q;
	return 0;
}

int
tfl_money_percent(int64_t *out, int64_t amount, const tfl_rate *pct,
    tfl_err *err)
{
	char r[48];
	i128 q;

	assert(out != NULL && pct != NULL);
	if (!rate_ok(pct))
		return rate_err(err, "percent", pct);
	q = div_half_even((i128)amount * pct->value,
	    (i128)100 * tens[pct->scale]);
	if (!in_range(q)) {
		tfl_rate_format(r, sizeof(r), pct);
		return tfl_err_set(err, TFL_EINVAL,
		    "%s%% of %" PRId64 " minor units: amount out of range", r,
		    amount);
	}
	*out = (int64_t)q;
	return 0;
}

int
tfl_money_add(int64_t *out, int64_t a, int64_t b, tfl_err *err)
{
	i128 r = (i128)a + b;

	assert(out != NULL);
	if (!in_range(r))
		return tfl_err_set(err, TFL_EINVAL,
		    "amount overflow: %" PRId64 " + %" PRId64, a, b);
	*out = (int64_t)r;
	return 0;
}

int
tfl_money_sub(int64_t *out, int64_t a, int64_t b, tfl_err *err)
{
	i128 r = (i128)a - b;

	assert(out != NULL);
	if (!in_range(r))
		return tfl_err_set(err, TFL_EINVAL,
		    "amount overflow: %" PRId64 " - %" PRId64, a, b);
	*out = (int64_t)r;
	return 0;
}

/* Check the weights and return their sum in *sum. */
static int
split_weights(int64_t *sum, const int64_t *weights, size_t n, tfl_err *err)
{
	i128 s = 0;
	size_t i;

	if (n == 0)
		return tfl_err_set(err, TFL_EINVAL, "split: no parts");
	for (i = 0; i < n; i++) {
		if (weights[i] < 0)
			return tfl_err_set(err, TFL_EINVAL,
			    "weight %zu: %" PRId64 " is negative", i,
			    weights[i]);
		s += weights[i];
		if (s > INT64_MAX)
			return tfl_err_set(err, TFL_EINVAL,
			    "weights: sum beyond %" PRId64, INT64_MAX);
	}
	if (s == 0)
		return tfl_err_set(err, TFL_EINVAL, "weights: all zero");
	*sum = (int64_t)s;
	return 0;
}

/* The number of parts whose remainder mag * w mod sum is at least t. */
static size_t
count_ge(const int64_t *w, size_t n, int64_t mag, int64_t sum, int64_t t)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if ((i128)mag * w[i] % sum >= t)
			c++;
	return c;
}

/*
 * The k-th largest remainder, by bisection over its value, so that the
 * split needs no memory of its own: O(64 n).  k >= 1, and more than k
 * remainders are non-zero (they sum to k * sum, each below sum).
 */
static int64_t
kth_remainder(const int64_t *w, size_t n, int64_t mag, int64_t sum, size_t k)
{
	int64_t lo = 1, hi = sum - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2 + 1;
		if (count_ge(w, n, mag, sum, mid) >= k)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Give one unit each to the k largest remainders, lower index first. */
static void
bump(int64_t *parts, const int64_t *w, size_t n, int64_t mag, int64_t sum,
    size_t k)
{
	int64_t th, rem;
	size_t i, ties;

	th = kth_remainder(w, n, mag, sum, k);
	ties = k - count_ge(w, n, mag, sum, th + 1);
	for (i = 0; i < n; i++) {
		rem = (int64_t)((i128)mag * w[i] % sum);
		if (rem > th) {
			parts[i]++;
		} else if (rem == th && ties > 0) {
			parts[i]++;
			ties--;
		}
	}
}

int
tfl_money_split(int64_t *parts, int64_t total, const int64_t *weights,
    size_t n, tfl_err *err)
{
	int64_t sum = 0, mag, left;
	size_t i;
	int rc;

	assert(parts != NULL && weights != NULL);
	rc = split_weights(&sum, weights, n, err);
	if (rc != 0)
		return rc;
	if (total == INT64_MIN)
		return tfl_err_set(err, TFL_EINVAL,
		    "total %" PRId64 ": out of range", total);
	/* Split the magnitude, so a refund mirrors the original split. */
	mag = total < 0 ? -total : total;
	left = mag;
	for (i = 0; i < n; i++) {
		parts[i] = (int64_t)((i128)mag * weights[i] / sum);
		left -= parts[i];
	}
	if (left > 0)
		bump(parts, weights, n, mag, sum, (size_t)left);
	for (i = 0; total < 0 && i < n; i++)
		parts[i] = -parts[i];
	return 0;
}

int
tfl_money_muldiv(int64_t *out, int64_t x, int64_t num, int64_t den,
    tfl_err *err)
{
	i128 q;

	assert(den > 0);
	q = div_half_even((i128)x * num, den);
	if (!in_range(q))
		return tfl_err_set(err, TFL_EINVAL, "amount overflow");
	*out = (int64_t)q;
	return 0;
}

int64_t
tfl_money_div_half_even(int64_t num, int64_t den)
{
	assert(den > 0);
	return (int64_t)div_half_even(num, den);
}
