/*
 * check_pdf.c - the PDF layer the reports draw with (ledger/src/pdf.h,
 * internal): pages break where they must, and nothing is drawn outside
 * the margins, measured with the layer's own record of its ink.  The
 * CLI tests (tests/cli/test_report.sh) check whole reports with poppler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ledger/src/pdf.h"
#include "testutil.h"

#define EPS 0.01

static FILE *f;
static char *buf;
static size_t len;
static tfl__pdf *p;

static void
setup(void)
{
	tfl_err err = TFL_ERR_INIT;

	buf = NULL;
	len = 0;
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(tfl__pdf_new(&p, f, "A test", "the footer", &err) == 0,
	    "%s", err.msg);
}

static void
teardown(void)
{
	tfl__pdf_free(p);
	if (f != NULL)
		fclose(f);
	free(buf);
}

/* Finish the document: it must succeed and be a whole PDF. */
static void
finish(void)
{
	tfl_err err = TFL_ERR_INIT;

	ck_assert_msg(tfl__pdf_finish(p, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(fflush(f), 0);
	ck_assert_uint_gt(len, 100);
	ck_assert_int_eq(memcmp(buf, "%PDF-", 5), 0);
	ck_assert_ptr_nonnull(strstr(buf + len - 8, "%%EOF"));
}

/* Every string drawn so far lies within the margins of an A4 page. */
static void
within_margins(const tfl__pdf_stats *st)
{
	ck_assert_uint_gt(st->strings, 0);
	ck_assert_msg(st->left >= TFL__PDF_MARGIN - EPS, "left %f", st->left);
	ck_assert_msg(st->right <= TFL__PDF_WIDTH - TFL__PDF_MARGIN + EPS,
	    "right %f", st->right);
	ck_assert_msg(st->top >= TFL__PDF_MARGIN - EPS, "top %f", st->top);
	ck_assert_msg(st->bottom <= TFL__PDF_HEIGHT - TFL__PDF_MARGIN + EPS,
	    "bottom %f", st->bottom);
}

/* A word of n letters (static, n < 1000). */
static const char *
long_word(size_t n)
{
	static char w[1000];
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = (char)('a' + i % 26);
	w[n] = '\0';
	return w;
}

START_TEST(test_a_long_table_breaks_across_pages_within_the_margins)
{
	static const char *const heads[] = { "Grant", "NGO", "Award",
		"Disbursed", "Spent" };
	const int align[] = { TFL__PDF_LEFT, TFL__PDF_LEFT, TFL__PDF_RIGHT,
		TFL__PDF_RIGHT, TFL__PDF_RIGHT };
	char id[32], amount[32];
	const char *row[5];
	tfl__pdf_stats st;
	int i;

	tfl__pdf_text(p, TFL__PDF_TITLE, "A long table");
	tfl__pdf_table_begin(p, 5, heads, align);
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof(id), "G-2026-%03d", i);
		snprintf(amount, sizeof(amount), "%d,%03d.00", i, i);
		row[0] = id;
		row[1] = i % 7 == 0 ? "An NGO with a rather long name that "
		    "must wrap within its column of the table" : "Safe Haven";
		row[2] = row[3] = row[4] = amount;
		tfl__pdf_table_row(p, row, i == 299);
	}
	tfl__pdf_table_end(p);
	tfl__pdf_get_stats(&st, p);
	/* 300 rows of at least 17 points cannot fit on fewer pages */
	ck_assert_int_ge(st.pages, 300 * 17 / 742 + 1);
	ck_assert_int_le(st.pages, 15);
	within_margins(&st);
	ck_assert_uint_eq(st.shrunk, 0);
	finish();
}
END_TEST

START_TEST(test_a_word_longer_than_the_page_is_broken_not_clipped)
{
	tfl__pdf_stats st;
	const char *w = long_word(400);
	const char *row[2] = { w, "1.00" };
	const int align[] = { TFL__PDF_LEFT, TFL__PDF_RIGHT };

	/* the layer's own measure says it cannot fit on one line */
	ck_assert(tfl__pdf_measure(p, TFL__PDF_BODY, w) >
	    TFL__PDF_WIDTH - 2 * TFL__PDF_MARGIN);
	tfl__pdf_text(p, TFL__PDF_BODY, w);
	tfl__pdf_text(p, TFL__PDF_HEADING, w);
	tfl__pdf_table_begin(p, 2, NULL, align);
	tfl__pdf_table_row(p, row, 0);
	tfl__pdf_table_end(p);
	tfl__pdf_get_stats(&st, p);
	within_margins(&st);
	/* broken into lines, never shrunk */
	ck_assert_uint_gt(st.strings, 6);
	ck_assert_uint_eq(st.shrunk, 0);
	finish();
}
END_TEST

START_TEST(test_a_label_too_long_for_a_chart_is_shrunk_to_fit)
{
	tfl__pdf_item it[3] = {
		{ long_word(120), 300, "300.00" },
		{ "short", -50, "-50.00" },
		{ "zero", 0, "0.00" },
	};
	tfl__pdf_stats st;

	tfl__pdf_bars(p, "A chart", it, 3);
	tfl__pdf_stack(p, "A stacked bar", it, 3);
	tfl__pdf_get_stats(&st, p);
	within_margins(&st);
	ck_assert_uint_gt(st.shrunk, 0);
	ck_assert_int_eq(st.pages, 1);
	finish();
}
END_TEST

START_TEST(test_many_wide_columns_shrink_the_type_to_fit)
{
	const char *heads[12], *row[12];
	int align[12], i;
	tfl__pdf_stats st;

	for (i = 0; i < 12; i++) {
		heads[i] = "Disbursed to date";
		row[i] = "1,234,567,890.12";
		align[i] = TFL__PDF_RIGHT;
	}
	align[0] = TFL__PDF_LEFT;
	tfl__pdf_table_begin(p, 12, heads, align);
	for (i = 0; i < 3; i++)
		tfl__pdf_table_row(p, row, 0);
	tfl__pdf_table_end(p);
	tfl__pdf_get_stats(&st, p);
	within_margins(&st);
	finish();
}
END_TEST

START_TEST(test_bad_utf8_and_control_characters_still_make_a_pdf)
{
	tfl__pdf_stats st;

	tfl__pdf_text(p, TFL__PDF_BODY, "caf\xc3\xa9 \xff\xfe broken \xe2\x82"
	    " and\ta tab \xe2\x80\x94 dash");
	tfl__pdf_get_stats(&st, p);
	within_margins(&st);
	finish();
}
END_TEST

START_TEST(test_a_failed_write_is_an_io_error)
{
	tfl_err err = TFL_ERR_INIT;
	tfl__pdf *q = NULL;
	FILE *full = fopen("/dev/full", "w");

	if (full == NULL)
		return; /* not Linux: nothing to test with */
	setvbuf(full, NULL, _IONBF, 0);
	ck_assert_int_eq(tfl__pdf_new(&q, full, "full", NULL, &err), 0);
	tfl__pdf_text(q, TFL__PDF_BODY, "this goes nowhere");
	ck_assert_int_eq(tfl__pdf_finish(q, &err), TFL_EIO);
	ck_assert_ptr_nonnull(strstr(err.msg, "write failed"));
	tfl__pdf_free(q);
	fclose(full);
}
END_TEST

static Suite *
pdf_suite(void)
{
	Suite *s = suite_create("pdf");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	    test_a_long_table_breaks_across_pages_within_the_margins);
	tcase_add_test(tc,
	    test_a_word_longer_than_the_page_is_broken_not_clipped);
	tcase_add_test(tc, test_a_label_too_long_for_a_chart_is_shrunk_to_fit);
	tcase_add_test(tc, test_many_wide_columns_shrink_the_type_to_fit);
	tcase_add_test(tc,
	    test_bad_utf8_and_control_characters_still_make_a_pdf);
	tcase_add_test(tc, test_a_failed_write_is_an_io_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(pdf_suite()) != 0;
}
