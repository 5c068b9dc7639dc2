/*
 * pdf.h - a small PDF layer over cairo for the reports' PDF renderers
 * (statement_pdf.c, fundreport_pdf.c): A4 portrait pages, a title,
 * headings, wrapped text, aligned tables that break across pages with
 * their heading repeated, horizontal bar charts and a stacked bar.
 *
 * The document is a flow: each call puts its block under the previous
 * one and starts a new page when the block does not fit.  Everything
 * drawn stays within the margins: text is measured (cairo_text_extents)
 * and wrapped at spaces, a word too long for its line is broken between
 * characters, and a string that must stay on one line (a chart label, a
 * figure) is shrunk until it fits.  The layer keeps the box of all the
 * ink it drew, so a test can check that with tfl__pdf_stats.
 *
 * Drawing calls return nothing: the first failure (memory, cairo, a
 * write to the stream) sticks, and tfl__pdf_finish returns it.  Text
 * must be UTF-8; invalid bytes are drawn as '?'.  Not installed; cairo
 * stays behind the opaque handle.
 */
#ifndef TFLEDGER_PDF_H
#define TFLEDGER_PDF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfledger/err.h"

/* clang-format off */
#define TFL__PDF_WIDTH	595.276	/* A4 in points */
#define TFL__PDF_HEIGHT	841.890
#define TFL__PDF_MARGIN	50.0	/* on every side */

#define TFL__PDF_TITLE	0	/* text styles */
#define TFL__PDF_HEADING 1
#define TFL__PDF_BODY	2
#define TFL__PDF_SMALL	3	/* notes, in grey */
#define TFL__PDF_BOLD	4	/* body text in bold */

#define TFL__PDF_LEFT	0	/* table column alignment */
#define TFL__PDF_RIGHT	1
/* clang-format on */

typedef struct tfl__pdf tfl__pdf;

/* One bar of a chart: value in any unit, text the value as shown. */
typedef struct tfl__pdf_item {
	const char *label;
	int64_t value;
	const char *text;
} tfl__pdf_item;

/* What a document holds so far: its pages and the box of its ink. */
typedef struct tfl__pdf_stats {
	int pages;
	double left, right, top, bottom; /* points, from the top left */
	size_t strings;			 /* strings drawn */
	size_t shrunk;			 /* of them, shrunk to fit */
} tfl__pdf_stats;

/*
 * A new document writing to f, which the caller opened and closes
 * (cairo writes as pages are done; f may hold part of a document after
 * a failure).  title goes into its metadata; footer (NULL: title) is
 * printed at the foot of every page with the page number.  Returns 0 or
 * TFL_ENOMEM (cairo could not make the surface).
 */
int tfl__pdf_new(tfl__pdf **out, FILE *f, const char *title,
    const char *footer, tfl_err *err);

/*
 * End the last page and write the document out.  Returns 0, or the
 * first failure: TFL_ENOMEM, or TFL_EIO (cairo failed or a write to f
 * did).  p is still to be freed.
 */
int tfl__pdf_finish(tfl__pdf *p, tfl_err *err);

/* Free p (unfinished: its pages are dropped).  NULL is a no-op. */
void tfl__pdf_free(tfl__pdf *p);

/* A paragraph of text in style (TFL__PDF_*), wrapped to the page. */
void tfl__pdf_text(tfl__pdf *p, int style, const char *text);

/* printf into a paragraph (at most 2 KiB of it). */
void tfl__pdf_textf(tfl__pdf *p, int style, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Vertical space of pt points (none at the top of a page). */
void tfl__pdf_space(tfl__pdf *p, double pt);

/* Start a new page unless the current one is still empty. */
void tfl__pdf_page(tfl__pdf *p);

/*
 * A table of ncols columns: heads[] (NULL: no heading row) and align[]
 * (TFL__PDF_LEFT or _RIGHT), copied.  Rows follow; tfl__pdf_table_end
 * lays them out and draws them: columns as wide as their widest cell
 * when that fits, else the left-aligned (text) columns wrap and, if the
 * figures alone are too wide, the type shrinks.  A table breaks between
 * rows, repeating its heading row on the next page.
 */
void tfl__pdf_table_begin(tfl__pdf *p, size_t ncols,
    const char *const *heads, const int *align);

/* A row of the table begun: ncols cells (NULL: ""), copied; bold: a total. */
void tfl__pdf_table_row(tfl__pdf *p, const char *const *cells, int bold);

/* Draw the table begun and forget it. */
void tfl__pdf_table_end(tfl__pdf *p);

/*
 * A horizontal bar chart under caption: one row per item, its label on
 * the left, a bar from zero (negative values to the left of it), the
 * value's text on the right.  Rows break across pages.
 */
void tfl__pdf_bars(tfl__pdf *p, const char *caption,
    const tfl__pdf_item *items, size_t n);

/*
 * One bar split into the items' shares (values below zero count as
 * zero), with a legend: label, text and percentage of each.  Nothing is
 * drawn but the caption and "nothing to show" when the total is zero.
 */
void tfl__pdf_stack(tfl__pdf *p, const char *caption,
    const tfl__pdf_item *items, size_t n);

/* The width in points of text set in style on one line. */
double tfl__pdf_measure(tfl__pdf *p, int style, const char *text);

/* What p holds so far (see tfl__pdf_stats). */
void tfl__pdf_get_stats(tfl__pdf_stats *out, const tfl__pdf *p);

#endif
