/*
 * pdf.c - the PDF layer (pdf.h): a flow of blocks on A4 pages, drawn
 * with cairo's toy text API in DejaVu Sans (found through fontconfig;
 * another sans font when it is missing).
 *
 * Every string goes through put(), which measures it and shrinks it to
 * its box when it must stay on one line, and records the ink it drew;
 * wrapped text is cut into lines by line_len() first.  Chart geometry
 * uses doubles: they place ink on a page and never feed a figure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "internal.h"
#include "pdf.h"
#include "tfledger/money.h"

#define FONT "DejaVu Sans"
#define LEFT TFL__PDF_MARGIN
#define RIGHT (TFL__PDF_WIDTH - TFL__PDF_MARGIN)
#define WIDTH (RIGHT - LEFT)
#define TOP TFL__PDF_MARGIN
#define FOOT (TFL__PDF_HEIGHT - TFL__PDF_MARGIN - 10.0) /* footer's top */
#define BOTTOM (FOOT - 8.0)				/* the flow's end */
#define MIN_SIZE 5.0	/* type is never shrunk below this */
#define TABLE_SIZE 8.5	/* table and chart type */
#define PAD 3.0		/* inside a table cell */
#define MIN_COL 40.0	/* a wrapping column is at least this wide */
#define FIG_COL 72.0	/* a column of figures, when there is room */
#define ROW_H 14.0	/* a bar of a chart */

/* clang-format off */
static const struct style {
	double size;
	int bold;
	double grey;		/* 0 black */
	double before, after;	/* space around a paragraph */
} styles[] = {
	{ 17.0, 1, 0.0,  0.0, 6.0 },	/* TFL__PDF_TITLE */
	{ 12.5, 1, 0.0, 10.0, 4.0 },	/* TFL__PDF_HEADING */
	{  9.5, 0, 0.0,  0.0, 3.0 },	/* TFL__PDF_BODY */
	{  8.0, 0, 0.35, 0.0, 2.0 },	/* TFL__PDF_SMALL */
	{  9.5, 1, 0.0,  2.0, 3.0 },	/* TFL__PDF_BOLD */
};

static const double palette[][3] = {
	{ 0.000, 0.620, 0.859 },	/* UN blue */
	{ 0.957, 0.506, 0.125 },
	{ 0.302, 0.686, 0.290 },
	{ 0.851, 0.216, 0.325 },
	{ 0.553, 0.400, 0.749 },
	{ 0.600, 0.451, 0.298 },
	{ 0.902, 0.600, 0.749 },
	{ 0.502, 0.502, 0.502 },
	{ 0.737, 0.741, 0.133 },
	{ 0.090, 0.745, 0.812 },
};
/* clang-format on */

#define NCOLOURS (sizeof(palette) / sizeof(palette[0]))

/* The table being filled, between table_begin and table_end. */
struct table {
	size_t ncols, nrows, caprows;
	char **heads; /* NULL: no heading row */
	int *align;
	char **cells; /* nrows * ncols */
	int *bold;
};

struct tfl__pdf {
	FILE *f;
	cairo_surface_t *surface;
	cairo_t *cr;
	int rc;		 /* the first failure */
	int io;		 /* a write to f failed */
	int used;	 /* something is on the current page */
	double y;	 /* where the next block starts */
	char *footer;
	char *tmp;	 /* a NUL-terminated, cleaned copy of a string */
	size_t tmpcap;
	struct table t;
	int in_table;
	tfl__pdf_stats st;
};

static cairo_status_t
write_fn(void *closure, const unsigned char *data, unsigned int len)
{
	tfl__pdf *p = closure;

	if (fwrite(data, 1, len, p->f) != len) {
		p->io = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void
fail(tfl__pdf *p, int rc)
{
	if (p->rc == 0)
		p->rc = rc;
}

static char *
dup(tfl__pdf *p, const char *s)
{
	char *d = tfl__strndup(s != NULL ? s : "", s != NULL ? strlen(s) : 0);

	if (d == NULL)
		fail(p, TFL_ENOMEM);
	return d;
}

/* Bytes in the UTF-8 sequence led by c, 0 for a byte that leads none. */
static size_t
seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * s[0..len) in p->tmp, NUL-terminated, for cairo: invalid UTF-8 as '?'
 * and control characters as spaces (the toy API would fail or draw
 * boxes).
 */
static const char *
clean(tfl__pdf *p, const char *s, size_t len)
{
	size_t i = 0, o = 0, n;
	char *t;

	if (len + 1 > p->tmpcap) {
		if ((t = realloc(p->tmp, len + 1)) == NULL) {
			fail(p, TFL_ENOMEM);
			return "";
		}
		p->tmp = t;
		p->tmpcap = len + 1;
	}
	while (i < len) {
		n = seqlen((unsigned char)s[i]);
		if (n == 1) {
			p->tmp[o++] = (unsigned char)s[i] < 0x20 ||
			    s[i] == 0x7f ? ' ' : s[i];
			i++;
		} else if (n > 1 && i + n <= len &&
		    tfl__utf8_valid(s + i, n)) {
			memcpy(p->tmp + o, s + i, n);
			o += n;
			i += n;
		} else {
			p->tmp[o++] = '?';
			i++;
		}
	}
	p->tmp[o] = '\0';
	return p->tmp;
}

static void
font(tfl__pdf *p, double size, int bold)
{
	cairo_select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
}

/*
 * The width of the ink and advance of s[0..len) in the current font,
 * and in *shift how far right of the pen the ink may start (a glyph
 * reaching left of it).
 */
static double
extent(tfl__pdf *p, const char *s, size_t len, double *shift)
{
	cairo_text_extents_t x;
	double w;

	cairo_text_extents(p->cr, clean(p, s, len), &x);
	w = x.x_advance > x.x_bearing + x.width ? x.x_advance :
	    x.x_bearing + x.width;
	*shift = x.x_bearing < 0 ? -x.x_bearing : 0;
	return w + *shift;
}

static double
width(tfl__pdf *p, const char *s, size_t len, double size, int bold)
{
	double shift;

	font(p, size, bold);
	return extent(p, s, len, &shift);
}

/* Largest char boundary k <= len with s[0..k) no wider than w (>= 1). */
static size_t
fit_chars(tfl__pdf *p, const char *s, size_t len, double w)
{
	double shift;
	size_t k = len, best = 0;

	for (k = 1; k <= len; k++) {
		if (k < len && ((unsigned char)s[k] & 0xc0) == 0x80)
			continue;
		if (extent(p, s, k, &shift) > w)
			break;
		best = k;
	}
	if (best > 0)
		return best;
	for (k = 1; k < len && ((unsigned char)s[k] & 0xc0) == 0x80; k++)
		;
	return k;
}

/*
 * Draw s[0..len) on one line in the box x..x+w whose top is top, left
 * or right aligned, shrunk (down to MIN_SIZE, then cut with an
 * ellipsis) when it is too wide.  The font is set by the caller.
 */
static void
put(tfl__pdf *p, double x, double top, double w, const char *s, size_t len,
    double size, int bold, int align)
{
	cairo_font_extents_t fe;
	cairo_text_extents_t te;
	double tw, shift, base, ell;
	const char *t;
	char *cut = NULL;

	font(p, size, bold);
	cairo_font_extents(p->cr, &fe);
	base = top + fe.ascent;
	if ((tw = extent(p, s, len, &shift)) > w) {
		p->st.shrunk++;
		font(p, size * w / tw * 0.99 < MIN_SIZE ? MIN_SIZE :
		    size * w / tw * 0.99, bold);
		if ((tw = extent(p, s, len, &shift)) > w &&
		    (cut = malloc(len + 4)) != NULL) {
			/* width() leaves the font at MIN_SIZE for fit_chars */
			ell = width(p, "\xe2\x80\xa6", 3, MIN_SIZE, bold);
			len = fit_chars(p, s, len, w - ell);
			memcpy(cut, s, len);
			memcpy(cut + len, "\xe2\x80\xa6", 3);
			s = cut;
			len += 3;
			font(p, MIN_SIZE, bold);
			tw = extent(p, s, len, &shift);
		}
	}
	if (align == TFL__PDF_RIGHT)
		x += w - tw;
	t = clean(p, s, len);
	cairo_text_extents(p->cr, t, &te);
	cairo_move_to(p->cr, x + shift, base);
	cairo_show_text(p->cr, t);
	free(cut);
	if (p->st.strings++ == 0 || x < p->st.left)
		p->st.left = x;
	if (p->st.strings == 1 || x + tw > p->st.right)
		p->st.right = x + tw;
	if (p->st.strings == 1 || base + te.y_bearing < p->st.top)
		p->st.top = base + te.y_bearing;
	if (p->st.strings == 1 || base + te.y_bearing + te.height >
	    p->st.bottom)
		p->st.bottom = base + te.y_bearing + te.height;
	p->used = 1;
}

static void
grey(tfl__pdf *p, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
}

static void
footer(tfl__pdf *p)
{
	const struct style *s = &styles[TFL__PDF_SMALL];
	char page[32];

	snprintf(page, sizeof(page), "page %d", p->st.pages);
	grey(p, s->grey);
	put(p, LEFT, FOOT, WIDTH * 0.8, p->footer, strlen(p->footer),
	    s->size, 0, TFL__PDF_LEFT);
	put(p, LEFT + WIDTH * 0.8, FOOT, WIDTH * 0.2, page, strlen(page),
	    s->size, 0, TFL__PDF_RIGHT);
	grey(p, 0);
}

static void
new_page(tfl__pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->st.pages++;
	p->used = 0;
	p->y = TOP;
}

/* Room for h more points on this page, else a new page. */
static int
need(tfl__pdf *p, double h)
{
	if (p->y + h <= BOTTOM || !p->used)
		return 0;
	new_page(p);
	return 1;
}

void
tfl__pdf_page(tfl__pdf *p)
{
	if (p->used)
		new_page(p);
}

int
tfl__pdf_new(tfl__pdf **out, FILE *f, const char *title,
    const char *footer_text, tfl_err *err)
{
	tfl__pdf *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL)
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	p->f = f;
	p->footer = dup(p, footer_text != NULL ? footer_text : title);
	p->surface = cairo_pdf_surface_create_for_stream(write_fn, p,
	    TFL__PDF_WIDTH, TFL__PDF_HEIGHT);
	if (cairo_surface_status(p->surface) == CAIRO_STATUS_SUCCESS)
		p->cr = cairo_create(p->surface);
	if (p->footer == NULL || p->cr == NULL ||
	    cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
		tfl__pdf_free(p);
		return tfl_err_set(err, TFL_ENOMEM, "pdf: cannot make a "
		    "document");
	}
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE,
	    clean(p, title, strlen(title)));
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
	    "tfledger");
	p->st.pages = 1;
	p->y = TOP;
	*out = p;
	return 0;
}

static void
table_forget(struct table *t)
{
	size_t i;

	for (i = 0; t->heads != NULL && i < t->ncols; i++)
		free(t->heads[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->heads);
	free(t->align);
	free(t->cells);
	free(t->bold);
	memset(t, 0, sizeof(*t));
}

int
tfl__pdf_finish(tfl__pdf *p, tfl_err *err)
{
	cairo_status_t st;

	if (p->cr != NULL) {
		footer(p);
		st = cairo_status(p->cr);
		cairo_destroy(p->cr);
		p->cr = NULL;
		cairo_surface_finish(p->surface);
		if (st == CAIRO_STATUS_SUCCESS)
			st = cairo_surface_status(p->surface);
		if (st == CAIRO_STATUS_NO_MEMORY)
			fail(p, TFL_ENOMEM);
		else if (st != CAIRO_STATUS_SUCCESS || p->io)
			fail(p, TFL_EIO);
	}
	if (p->rc == TFL_ENOMEM)
		return tfl_err_set(err, p->rc, "out of memory");
	if (p->rc != 0)
		return tfl_err_set(err, p->rc, "pdf: %s", p->io ? "write "
		    "failed" : "cairo failed");
	return 0;
}

void
tfl__pdf_free(tfl__pdf *p)
{
	if (p == NULL)
		return;
	if (p->cr != NULL)
		cairo_destroy(p->cr);
	if (p->surface != NULL)
		cairo_surface_destroy(p->surface);
	table_forget(&p->t);
	free(p->footer);
	free(p->tmp);
	free(p);
}

/*
 * The length of the next line of s[0..len) that fits in w: whole words
 * while they fit, else as many characters of the first word as fit (at
 * least one).  *next is where the line after it starts.
 */
static size_t
line_len(tfl__pdf *p, const char *s, size_t len, double w, size_t *next)
{
	double shift;
	size_t end = 0, cand = 0;

	while (cand < len) {
		while (cand < len && s[cand] == ' ')
			cand++;
		while (cand < len && s[cand] != ' ')
			cand++;
		if (extent(p, s, cand, &shift) > w)
			break;
		end = cand;
	}
	if (end == 0)
		end = fit_chars(p, s, len, w);
	for (*next = end; *next < len && s[*next] == ' '; (*next)++)
		;
	return end;
}

/* Lines s takes in width w (drawing them at x from p->y when draw). */
static int
lines(tfl__pdf *p, const char *s, double x, double top, double w,
    double size, int bold, int align, int draw)
{
	size_t len = strlen(s), n, next;
	int count = 0;

	while (len > 0 && *s == ' ') {
		s++;
		len--;
	}
	while (len > 0) {
		font(p, size, bold);
		n = line_len(p, s, len, w, &next);
		if (draw)
			put(p, x, top + count * size * 1.3, w, s, n, size,
			    bold, align);
		count++;
		s += next;
		len -= next;
	}
	return count;
}

void
tfl__pdf_text(tfl__pdf *p, int style, const char *text)
{
	const struct style *s = &styles[style];
	double lh = s->size * 1.3;
	size_t len, n, next;

	if (p->cr == NULL)
		return;
	if (p->used)
		p->y += s->before;
	/* a heading keeps with it room for a short table (table_end) */
	if (style == TFL__PDF_HEADING)
		need(p, lh + (BOTTOM - TOP) / 3);
	grey(p, s->grey);
	for (len = strlen(text); len > 0 && *text == ' '; len--)
		text++;
	while (len > 0) {
		font(p, s->size, s->bold);
		n = line_len(p, text, len, WIDTH, &next);
		need(p, lh);
		put(p, LEFT, p->y, WIDTH, text, n, s->size, s->bold,
		    TFL__PDF_LEFT);
		p->y += lh;
		text += next;
		len -= next;
	}
	p->y += s->after;
	grey(p, 0);
}

void
tfl__pdf_textf(tfl__pdf *p, int style, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tfl__pdf_text(p, style, buf);
}

void
tfl__pdf_space(tfl__pdf *p, double pt)
{
	if (p->used)
		p->y += pt;
}

double
tfl__pdf_measure(tfl__pdf *p, int style, const char *text)
{
	return width(p, text, strlen(text), styles[style].size,
	    styles[style].bold);
}

void
tfl__pdf_get_stats(tfl__pdf_stats *out, const tfl__pdf *p)
{
	*out = p->st;
}

void
tfl__pdf_table_begin(tfl__pdf *p, size_t ncols, const char *const *heads,
    const int *align)
{
	struct table *t = &p->t;
	size_t i;

	table_forget(t);
	p->in_table = 1;
	t->ncols = ncols;
	t->align = calloc(ncols, sizeof(*t->align));
	if (heads != NULL)
		t->heads = calloc(ncols, sizeof(*t->heads));
	if (t->align == NULL || (heads != NULL && t->heads == NULL)) {
		fail(p, TFL_ENOMEM);
		p->in_table = 0;
		return;
	}
	for (i = 0; i < ncols; i++) {
		t->align[i] = align != NULL ? align[i] : TFL__PDF_LEFT;
		if (heads != NULL)
			t->heads[i] = dup(p, heads[i]);
	}
}

void
tfl__pdf_table_row(tfl__pdf *p, const char *const *cells, int bold)
{
	struct table *t = &p->t;
	size_t i, want;
	void *c, *b;

	if (!p->in_table)
		return;
	if (t->nrows == t->caprows) {
		want = t->caprows > 0 ? t->caprows * 2 : 16;
		c = realloc(t->cells, want * t->ncols * sizeof(*t->cells));
		if (c != NULL)
			t->cells = c;
		b = realloc(t->bold, want * sizeof(*t->bold));
		if (b != NULL)
			t->bold = b;
		if (c == NULL || b == NULL) {
			fail(p, TFL_ENOMEM);
			return;
		}
		t->caprows = want;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = dup(p, cells[i]);
	t->bold[t->nrows++] = bold;
}

/* A cell's text, never NULL. */
static const char *
cell(const struct table *t, size_t row, size_t col)
{
	const char *s = row == (size_t)-1 ? t->heads[col] :
	    t->cells[row * t->ncols + col];

	return s != NULL ? s : "";
}

/* The widest line each column would need at size, unwrapped. */
static void
natural(tfl__pdf *p, const struct table *t, double size, double *nat)
{
	size_t r, c;
	double w;

	for (c = 0; c < t->ncols; c++) {
		nat[c] = t->heads != NULL ? width(p, cell(t, (size_t)-1, c),
		    strlen(cell(t, (size_t)-1, c)), size, 1) : 0;
		for (r = 0; r < t->nrows; r++) {
			w = width(p, cell(t, r, c), strlen(cell(t, r, c)),
			    size, t->bold[r]);
			if (w > nat[c])
				nat[c] = w;
		}
		nat[c] += 2 * PAD;
	}
}

/*
 * Give the left-aligned columns avail points: each its natural width
 * when it is below a fair share of what is left, the rest shared.
 */
static void
share(const struct table *t, const double *nat, double *w, double avail)
{
	size_t c, open = 0;
	int changed = 1;
	double fair;

	for (c = 0; c < t->ncols; c++)
		if (t->align[c] == TFL__PDF_LEFT) {
			w[c] = -1;
			open++;
		}
	while (changed && open > 0) {
		changed = 0;
		fair = avail / (double)open;
		for (c = 0; c < t->ncols; c++)
			if (w[c] < 0 && nat[c] <= fair) {
				w[c] = nat[c];
				avail -= nat[c];
				open--;
				changed = 1;
			}
	}
	for (c = 0; c < t->ncols; c++)
		if (w[c] < 0)
			w[c] = avail / (double)open;
}

/*
 * Room to spare: columns of figures widen to FIG_COL while it lasts,
 * then the text columns share the rest (or all columns, if none).
 */
static void
spread(const struct table *t, double *w, double sum)
{
	size_t c, ntext = 0;

	for (c = 0; c < t->ncols; c++) {
		if (t->align[c] == TFL__PDF_LEFT)
			ntext++;
		else if (w[c] < FIG_COL && sum + FIG_COL - w[c] <= WIDTH) {
			sum += FIG_COL - w[c];
			w[c] = FIG_COL;
		}
	}
	for (c = 0; c < t->ncols; c++)
		if (ntext == 0 || t->align[c] == TFL__PDF_LEFT)
			w[c] += (WIDTH - sum) / (double)(ntext > 0 ? ntext :
			    t->ncols);
}

/* Column widths adding up to WIDTH; returns the type size to use. */
static double
layout(tfl__pdf *p, const struct table *t, double *nat, double *w)
{
	double size = TABLE_SIZE, fixed, sum;
	size_t c, nflex;

	for (;;) {
		natural(p, t, size, nat);
		fixed = sum = 0;
		nflex = 0;
		for (c = 0; c < t->ncols; c++) {
			w[c] = nat[c];
			sum += nat[c];
			if (t->align[c] == TFL__PDF_RIGHT)
				fixed += nat[c];
			else
				nflex++;
		}
		if (sum <= WIDTH) {
			spread(t, w, sum);
			return size;
		}
		if (nflex > 0 && fixed + (double)nflex * MIN_COL <= WIDTH) {
			share(t, nat, w, WIDTH - fixed);
			return size;
		}
		if (size <= MIN_SIZE)
			break;
		size *= WIDTH / (fixed + (double)nflex * MIN_COL);
		if (size < MIN_SIZE)
			size = MIN_SIZE;
	}
	for (c = 0; c < t->ncols; c++)
		w[c] = nat[c] * WIDTH / sum; /* figures will shrink */
	return size;
}

/* A line across the page at y. */
static void
rule(tfl__pdf *p, double y, double g, double width)
{
	grey(p, g);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, LEFT, y);
	cairo_line_to(p->cr, RIGHT, y);
	cairo_stroke(p->cr);
	grey(p, 0);
}

/* Height of a row (row -1: the heading), drawing it when draw. */
static double
row(tfl__pdf *p, const struct table *t, size_t r, const double *w,
    double size, int draw)
{
	int bold = r == (size_t)-1 ? 1 : t->bold[r], n, most = 1;
	double x = LEFT, h;
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		/* figures stay on one line; text and headings wrap */
		if (r != (size_t)-1 && t->align[c] == TFL__PDF_RIGHT) {
			if (draw)
				put(p, x + PAD, p->y + PAD, w[c] - 2 * PAD,
				    cell(t, r, c), strlen(cell(t, r, c)),
				    size, bold, TFL__PDF_RIGHT);
			n = 1;
		} else {
			n = lines(p, cell(t, r, c), x + PAD, p->y + PAD,
			    w[c] - 2 * PAD, size, bold, t->align[c], draw);
		}
		most = n > most ? n : most;
		x += w[c];
	}
	h = most * size * 1.3 + 2 * PAD;
	if (draw) {
		/* rules: around the heading, above a total, between rows */
		if (r == (size_t)-1)
			rule(p, p->y, 0.3, 0.8);
		rule(p, p->y + (bold && r != (size_t)-1 ? 0 : h),
		    r == (size_t)-1 || bold ? 0.5 : 0.88, 0.5);
	}
	return h;
}

void
tfl__pdf_table_end(tfl__pdf *p)
{
	struct table *t = &p->t;
	double *nat = NULL, *w = NULL, size, h, hh = 0;
	size_t r;
	int head;

	if (!p->in_table || p->cr == NULL)
		goto out;
	nat = calloc(t->ncols + 1, sizeof(*nat));
	w = calloc(t->ncols + 1, sizeof(*w));
	if (nat == NULL || w == NULL) {
		fail(p, TFL_ENOMEM);
		goto out;
	}
	size = layout(p, t, nat, w);
	if (t->heads != NULL)
		hh = row(p, t, (size_t)-1, w, size, 0);
	/* a short table is kept on one page */
	for (r = 0, h = hh; r < t->nrows && h <= (BOTTOM - TOP) / 3; r++)
		h += row(p, t, r, w, size, 0);
	if (h <= (BOTTOM - TOP) / 3)
		need(p, h);
	for (r = 0; r < t->nrows; r++) {
		h = row(p, t, r, w, size, 0);
		/* the heading goes with the first row and on each new page */
		if (r == 0) {
			need(p, hh + h);
			head = 1;
		} else {
			head = need(p, h);
		}
		if (head && t->heads != NULL)
			p->y += row(p, t, (size_t)-1, w, size, 1);
		p->y += row(p, t, r, w, size, 1);
	}
	if (t->nrows == 0 && t->heads != NULL) {
		need(p, hh);
		p->y += row(p, t, (size_t)-1, w, size, 1);
	}
	p->y += 6;
out:
	free(nat);
	free(w);
	table_forget(t);
	p->in_table = 0;
}

static void
colour(tfl__pdf *p, size_t i)
{
	i %= NCOLOURS;
	cairo_set_source_rgb(p->cr, palette[i][0], palette[i][1],
	    palette[i][2]);
}

/* The widest of the items' labels (text 0) or values (1), plus 8. */
static double
widest(tfl__pdf *p, const tfl__pdf_item *items, size_t n, int text)
{
	const char *s;
	double w, most = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		s = text ? items[i].text : items[i].label;
		w = width(p, s != NULL ? s : "", s != NULL ? strlen(s) : 0,
		    TABLE_SIZE, 0);
		most = w > most ? w : most;
	}
	return most + 8;
}

void
tfl__pdf_bars(tfl__pdf *p, const char *caption, const tfl__pdf_item *items,
    size_t n)
{
	double labw, valw, x0, bw, lo = 0, hi = 0, zero, a, b;
	const char *s;
	size_t i;

	if (p->cr == NULL)
		return;
	if (p->used)
		p->y += 4;
	need(p, 16 + ROW_H * (n <= 12 ? (double)n : 4)); /* short: together */
	tfl__pdf_text(p, TFL__PDF_BOLD, caption);
	labw = widest(p, items, n, 0);
	labw = labw < WIDTH * 0.36 ? labw : WIDTH * 0.36;
	valw = widest(p, items, n, 1);
	valw = valw < WIDTH * 0.3 ? valw : WIDTH * 0.3;
	x0 = LEFT + labw;
	bw = WIDTH - labw - valw;
	for (i = 0; i < n; i++) {
		lo = (double)items[i].value < lo ? (double)items[i].value : lo;
		hi = (double)items[i].value > hi ? (double)items[i].value : hi;
	}
	if (hi <= lo)
		hi = lo + 1;
	zero = x0 + bw * -lo / (hi - lo);
	for (i = 0; i < n; i++) {
		need(p, ROW_H);
		s = items[i].label != NULL ? items[i].label : "";
		put(p, LEFT, p->y + 2.5, labw - 6, s, strlen(s), TABLE_SIZE, 0,
		    TFL__PDF_LEFT);
		a = zero;
		b = x0 + bw * ((double)items[i].value - lo) / (hi - lo);
		colour(p, items[i].value < 0 ? 3 : 0);
		cairo_rectangle(p->cr, a < b ? a : b, p->y + 2.5,
		    a < b ? b - a : a - b, ROW_H - 5);
		cairo_fill(p->cr);
		grey(p, 0.3);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, zero, p->y);
		cairo_line_to(p->cr, zero, p->y + ROW_H);
		cairo_stroke(p->cr);
		grey(p, 0);
		s = items[i].text != NULL ? items[i].text : "";
		put(p, RIGHT - valw + 4, p->y + 2.5, valw - 4, s, strlen(s),
		    TABLE_SIZE, 0, TFL__PDF_RIGHT);
		p->y += ROW_H;
	}
	p->y += 8;
}

/* v's share of total (> 0) in tenths of a percent, rounded half even. */
static int64_t
permille(int64_t v, int64_t total)
{
	if (v <= 0)
		return 0;
	if (v > INT64_MAX / 1000)
		return (int64_t)((double)v * 1000.0 / (double)total + 0.5);
	return tfl_money_div_half_even(v * 1000, total);
}

/* A stacked bar's legend: a swatch, label, text and share per item. */
static void
legend(tfl__pdf *p, const tfl__pdf_item *items, size_t n, int64_t total)
{
	double lh = TABLE_SIZE * 1.3;
	char line[600];
	int64_t pm;
	size_t i;

	for (i = 0; i < n; i++) {
		pm = permille(items[i].value, total);
		snprintf(line, sizeof(line), "%s: %s (%lld.%lld%%)",
		    items[i].label != NULL ? items[i].label : "",
		    items[i].text != NULL ? items[i].text : "",
		    (long long)pm / 10, (long long)pm % 10);
		need(p, lh * lines(p, line, LEFT + 14, p->y, WIDTH - 14,
		    TABLE_SIZE, 0, TFL__PDF_LEFT, 0));
		colour(p, i);
		cairo_rectangle(p->cr, LEFT, p->y + 2, 8, 8);
		cairo_fill(p->cr);
		grey(p, 0);
		p->y += lh * lines(p, line, LEFT + 14, p->y, WIDTH - 14,
		    TABLE_SIZE, 0, TFL__PDF_LEFT, 1);
	}
}

void
tfl__pdf_stack(tfl__pdf *p, const char *caption, const tfl__pdf_item *items,
    size_t n)
{
	double x = LEFT, w, tw, lh = TABLE_SIZE * 1.3;
	int64_t total = 0, pm;
	char pct[32];
	size_t i;

	if (p->cr == NULL)
		return;
	for (i = 0; i < n; i++)
		if (items[i].value > 0 && total <= INT64_MAX - items[i].value)
			total += items[i].value;
	if (p->used)
		p->y += 4;
	need(p, 16 + 24 + lh * (double)(n < 6 ? n : 6));
	tfl__pdf_text(p, TFL__PDF_BOLD, caption);
	if (total == 0) {
		tfl__pdf_text(p, TFL__PDF_SMALL, "nothing to show");
		return;
	}
	for (i = 0; i < n; i++) {
		if (items[i].value <= 0)
			continue;
		w = WIDTH * (double)items[i].value / (double)total;
		colour(p, i);
		cairo_rectangle(p->cr, x, p->y, w, 18);
		cairo_fill(p->cr);
		pm = permille(items[i].value, total);
		snprintf(pct, sizeof(pct), "%lld.%lld%%", (long long)pm / 10,
		    (long long)pm % 10);
		tw = width(p, pct, strlen(pct), TABLE_SIZE, 1);
		if (tw + 4 < w) {
			cairo_set_source_rgb(p->cr, 1, 1, 1);
			put(p, x + (w - tw) / 2, p->y + 4, tw + 1, pct,
			    strlen(pct), TABLE_SIZE, 1, TFL__PDF_LEFT);
		}
		x += w;
	}
	grey(p, 0);
	p->y += 24;
	legend(p, items, n, total);
	p->y += 8;
}
