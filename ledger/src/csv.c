/*
 * csv.c - a strict RFC 4180 reader (tfledger/csv.h).
 *
 * One pass over the buffer.  Cells are copied, unquoted, into one text
 * arena, each followed by a NUL; the table keeps their offsets, header
 * cells first, then ncols per row.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfledger/csv.h"
#include "internal.h"

#define SHOWN_MAX 48 /* a header name as quoted in a message */

struct tfl_csv {
	char *text; /* every cell, NUL-terminated, in file order */
	size_t textlen, textcap;
	size_t *cell; /* offset in text of each kept cell */
	size_t ncell, cellcap;
	size_t *line; /* physical line where each record starts */
	size_t nrec, linecap;
	size_t ncols; /* 0 while the header is being read */
};

struct parser {
	tfl_csv *c;
	const char *s;
	size_t len, pos;
	size_t line;   /* physical line at pos, 1-based */
	size_t nfield; /* fields of the current record so far */
	tfl_err *err;
};

static int bad(struct parser *ps, size_t line, size_t col, const char *fmt,
    ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Fill err with `line L, column C: why` (no column when col is 0). */
static int
bad(struct parser *ps, size_t line, size_t col, const char *fmt, ...)
{
	char why[TFL_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (col == 0)
		return tfl_err_set(ps->err, TFL_EINVAL, "line %zu: %s", line,
		    why);
	return tfl_err_set(ps->err, TFL_EINVAL, "line %zu, column %zu: %s",
	    line, col, why);
}

/*
 * A header name fit for a one-line message: short, controls as '?', cut
 * on a UTF-8 character boundary.  The name is already valid UTF-8.
 */
static const char *
shown(char out[SHOWN_MAX], const char *text)
{
	size_t n = strlen(text), i;

	if (n > SHOWN_MAX - 4) {
		n = SHOWN_MAX - 4;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		out[i] = ((unsigned char)text[i] < 0x20) ? '?' : text[i];
	if (text[n] != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* Append val to the array *v of *n elements.  0 or TFL_ENOMEM. */
static int
push_size(struct parser *ps, size_t **v, size_t *n, size_t *cap,
    size_t val)
{
	size_t ncap = *cap != 0 ? *cap * 2 : 64;
	size_t *p = NULL;

	if (*n == *cap) {
		if (*cap <= SIZE_MAX / 2 / sizeof(**v))
			p = realloc(*v, ncap * sizeof(**v));
		if (p == NULL)
			return tfl_err_set(ps->err, TFL_ENOMEM,
			    "out of memory");
		*v = p;
		*cap = ncap;
	}
	(*v)[(*n)++] = val;
	return 0;
}

/* Append s[0..n) to the text arena.  0 or TFL_ENOMEM. */
static int
push_text(struct parser *ps, const char *s, size_t n)
{
	tfl_csv *c = ps->c;

	/* Not reached: tfl_csv_open allocates all the cells can need. */
	if (n > c->textcap - c->textlen)
		return tfl_err_set(ps->err, TFL_ENOMEM, "out of memory");
	memcpy(c->text + c->textlen, s, n);
	c->textlen += n;
	return 0;
}

/*
 * Keep the offset of the cell at text offset off.  Fields beyond the
 * header's count are not kept: their record is refused once counted.
 */
static int
keep_cell(struct parser *ps, size_t off)
{
	tfl_csv *c = ps->c;

	if (c->ncols != 0 && ps->nfield >= c->ncols)
		return 0;
	return push_size(ps, &c->cell, &c->ncell, &c->cellcap, off);
}

/* Controls and UTF-8 of s[0..n), one physical line of a cell. */
static int
check_segment(struct parser *ps, const char *s, size_t n, size_t col)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (u[i] == 0)
			return bad(ps, ps->line, col, "nul byte");
		if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\r') ||
		    u[i] == 0x7f)
			return bad(ps, ps->line, col,
			    "control character U+%04X", u[i]);
		/* C1 controls are U+0080..U+009F, encoded C2 80..C2 9F. */
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f)
			return bad(ps, ps->line, col,
			    "control character U+%04X", u[i + 1]);
	}
	if (!tfl__utf8_valid(s, n))
		return bad(ps, ps->line, col, "invalid utf-8");
	return 0;
}

/*
 * Judge the finished cell text[off..textlen), line by line so that an
 * error names its own line.  Moves ps->line past the LFs of the cell,
 * which only a quoted cell has.
 */
static int
check_cell(struct parser *ps, size_t off, size_t col)
{
	const char *s = ps->c->text + off, *nl;
	size_t n = ps->c->textlen - off, k;
	int rc;

	if (n > TFL_CSV_MAX_CELL)
		return bad(ps, ps->line, col,
		    "cell of %zu bytes, the limit is %d", n, TFL_CSV_MAX_CELL);
	for (;;) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) : n;
		rc = check_segment(ps, s, k, col);
		if (rc != 0 || nl == NULL)
			return rc;
		ps->line++;
		s += k + 1;
		n -= k + 1;
	}
}

/* Length of the line ending at pos: 1 for LF, 2 for CRLF, else 0. */
static size_t
newline_at(const struct parser *ps, size_t pos)
{
	if (pos < ps->len && ps->s[pos] == '\n')
		return 1;
	if (pos + 1 < ps->len && ps->s[pos] == '\r' && ps->s[pos + 1] == '\n')
		return 2;
	return 0;
}

static int
plain_field(struct parser *ps)
{
	size_t start = ps->pos;
	char ch;

	for (; ps->pos < ps->len; ps->pos++) {
		ch = ps->s[ps->pos];
		if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n')
			break;
	}
	return push_text(ps, ps->s + start, ps->pos - start);
}

/*
 * A quoted field from its opening quote to past its closing one.  The
 * closing quote is found before anything else is judged, so that a
 * missing one is reported as such and not as whatever follows it.
 */
static int
quoted_field(struct parser *ps, size_t col)
{
	size_t start = ++ps->pos;
	const char *q;
	int rc;

	for (;;) {
		q = memchr(ps->s + ps->pos, '"', ps->len - ps->pos);
		if (q == NULL)
			return bad(ps, ps->line, col,
			    "unterminated quoted field");
		ps->pos = (size_t)(q - ps->s) + 1;
		if (ps->pos >= ps->len || ps->s[ps->pos] != '"')
			return push_text(ps, ps->s + start,
			    ps->pos - 1 - start);
		/* '""': keep the span with its first quote, skip the second. */
		rc = push_text(ps, ps->s + start, ps->pos - start);
		if (rc != 0)
			return rc;
		start = ++ps->pos;
	}
}

/* What follows a field: ',' (*more = 1), the end of the record or input. */
static int
end_field(struct parser *ps, int quoted, size_t col, int *more)
{
	size_t nl = newline_at(ps, ps->pos);
	unsigned char ch;

	*more = 0;
	if (ps->pos == ps->len)
		return 0;
	if (nl != 0) {
		ps->pos += nl;
		ps->line++;
		return 0;
	}
	ch = (unsigned char)ps->s[ps->pos];
	if (ch == ',') {
		ps->pos++;
		*more = 1;
		return 0;
	}
	if (ch == '\r')
		return bad(ps, ps->line, col,
		    "carriage return without line feed");
	if (!quoted)
		return bad(ps, ps->line, col, "quote in unquoted field");
	if (ch >= 0x20 && ch < 0x7f)
		return bad(ps, ps->line, col,
		    "text after closing quote ('%c')", ch);
	return bad(ps, ps->line, col, "text after closing quote (byte 0x%02x)",
	    ch);
}

static int
field(struct parser *ps, int *more)
{
	size_t off = ps->c->textlen, col = ps->nfield + 1;
	int quoted, rc;

	if (ps->c->ncols == 0 && ps->nfield == TFL_CSV_MAX_COLUMNS)
		return bad(ps, ps->line, 0, "more than %d columns",
		    TFL_CSV_MAX_COLUMNS);
	quoted = ps->pos < ps->len && ps->s[ps->pos] == '"';
	rc = quoted ? quoted_field(ps, col) : plain_field(ps);
	if (rc != 0)
		return rc;
	rc = check_cell(ps, off, col);
	if (rc != 0)
		return rc;
	rc = push_text(ps, "", 1);
	if (rc != 0)
		return rc;
	rc = keep_cell(ps, off);
	if (rc != 0)
		return rc;
	rc = end_field(ps, quoted, col, more);
	ps->nfield++;
	return rc;
}

/* The header just read: names non-empty and unique. */
static int
check_header(struct parser *ps, size_t line)
{
	const tfl_csv *c = ps->c;
	char s[SHOWN_MAX];
	const char *name;
	size_t i, j;

	for (i = 0; i < ps->nfield; i++) {
		name = c->text + c->cell[i];
		if (*name == '\0')
			return bad(ps, line, i + 1, "empty header name");
		for (j = 0; j < i; j++) {
			if (strcmp(name, c->text + c->cell[j]) == 0)
				return bad(ps, line, i + 1,
				    "header \"%s\" repeats column %zu",
				    shown(s, name), j + 1);
		}
	}
	return 0;
}

static int
record(struct parser *ps)
{
	tfl_csv *c = ps->c;
	size_t line = ps->line;
	int more = 1, rc;

	if (c->nrec > TFL_CSV_MAX_ROWS)
		return bad(ps, line, 0, "more than %d data rows",
		    TFL_CSV_MAX_ROWS);
	ps->nfield = 0;
	while (more) {
		rc = field(ps, &more);
		if (rc != 0)
			return rc;
	}
	if (c->ncols == 0) {
		rc = check_header(ps, line);
		if (rc != 0)
			return rc;
		c->ncols = ps->nfield;
	} else if (ps->nfield != c->ncols) {
		return bad(ps, line, 0, "%zu field%s, the header has %zu",
		    ps->nfield, ps->nfield == 1 ? "" : "s", c->ncols);
	}
	return push_size(ps, &c->line, &c->nrec, &c->linecap, line);
}

/* An empty line at pos: fine when only empty lines follow it. */
static int
blank_tail(struct parser *ps)
{
	size_t pos = ps->pos, nl;

	for (;;) {
		nl = newline_at(ps, pos);
		if (nl == 0)
			break;
		pos += nl;
	}
	if (pos != ps->len)
		return bad(ps, ps->line, 0, "empty line");
	ps->pos = pos;
	return 0;
}

static int
parse(struct parser *ps)
{
	int rc;

	if (ps->len >= 3 && memcmp(ps->s, "\xef\xbb\xbf", 3) == 0)
		ps->pos = 3;
	while (ps->pos < ps->len) {
		if (newline_at(ps, ps->pos) != 0)
			return blank_tail(ps);
		rc = record(ps);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
tfl_csv_open(tfl_csv **out, const char *data, size_t len, tfl_err *err)
{
	struct parser ps = { 0 };
	tfl_csv *c = NULL;
	int rc;

	assert(out != NULL);
	assert(data != NULL || len == 0);
	*out = NULL;
	/*
	 * Cells with their NULs never outgrow the input plus one byte: each
	 * NUL stands for a separator or the end, unquoting only shrinks.
	 * So the arena is allocated once, and is never NULL.
	 */
	c = calloc(1, sizeof(*c));
	if (c != NULL && len < SIZE_MAX / 2) {
		c->textcap = len + 1;
		c->text = malloc(c->textcap);
	}
	if (c == NULL || c->text == NULL) {
		rc = tfl_err_set(err, TFL_ENOMEM, "out of memory");
		goto out;
	}
	ps.c = c;
	ps.s = data;
	ps.len = len;
	ps.line = 1;
	ps.err = err;
	rc = parse(&ps);
	if (rc != 0)
		goto out;
	if (c->nrec == 0) {
		rc = bad(&ps, 1, 0, "no header record");
		goto out;
	}
	*out = c;
	c = NULL;
out:
	tfl_csv_free(c);
	return rc;
}

size_t
tfl_csv_columns(const tfl_csv *c)
{
	assert(c != NULL);
	return c->ncols;
}

const char *
tfl_csv_header(const tfl_csv *c, size_t col)
{
	assert(c != NULL);
	if (col >= c->ncols)
		return NULL;
	return c->text + c->cell[col];
}

int
tfl_csv_column(const tfl_csv *c, const char *name)
{
	size_t i;

	assert(c != NULL && name != NULL);
	for (i = 0; i < c->ncols; i++) {
		if (strcmp(c->text + c->cell[i], name) == 0)
			return (int)i;
	}
	return -1;
}

size_t
tfl_csv_rows(const tfl_csv *c)
{
	assert(c != NULL);
	return c->nrec - 1;
}

const char *
tfl_csv_cell(const tfl_csv *c, size_t row, size_t col)
{
	assert(c != NULL);
	if (row >= c->nrec - 1 || col >= c->ncols)
		return NULL;
	return c->text + c->cell[(row + 1) * c->ncols + col];
}

size_t
tfl_csv_line(const tfl_csv *c, size_t row)
{
	assert(c != NULL);
	if (row >= c->nrec - 1)
		return 0;
	return c->line[row + 1];
}

void
tfl_csv_free(tfl_csv *c)
{
	if (c == NULL)
		return;
	free(c->text);
	free(c->cell);
	free(c->line);
	free(c);
}
