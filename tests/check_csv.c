/*
 * check_csv.c - the strict RFC 4180 reader (tfledger/csv.h): what it
 * accepts, what it keeps, and the exact message of every refusal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfledger/csv.h"
#include "testutil.h"

/* A string literal and its length, embedded NULs included. */
#define LIT(s) (s), (sizeof(s) - 1)

/* The expected cells of a row or header, as a NULL-terminated list. */
#define CELLS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A growable text for the large files. */
struct text {
	char *p;
	size_t len, cap;
};

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->p == NULL) {
		t->cap = 256;
		t->p = malloc(t->cap);
		ck_assert_ptr_nonnull(t->p);
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 1;
		t->p = realloc(t->p, t->cap);
		ck_assert_ptr_nonnull(t->p);
	}
	t->len += (size_t)n;
}

static tfl_csv *
opens(const char *data, size_t len)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_csv *c = NULL;

	ck_assert_msg(tfl_csv_open(&c, data, len, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* data is refused with TFL_EINVAL and exactly the message want. */
static void
refused(const char *data, size_t len, const char *want)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_csv *c = (tfl_csv *)&err; /* must be set to NULL */

	ck_assert_int_eq(tfl_csv_open(&c, data, len, &err), TFL_EINVAL);
	ck_assert_int_eq(err.code, TFL_EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(err.msg, want);
}

static void
header_is(const tfl_csv *c, const char *const *want)
{
	const char *got;
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		got = tfl_csv_header(c, i);
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, want[i]);
	}
	ck_assert_uint_eq(tfl_csv_columns(c), i);
}

/* Data row row holds exactly want and starts on line. */
static void
row_is(const tfl_csv *c, size_t row, size_t line, const char *const *want)
{
	const char *got;
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		got = tfl_csv_cell(c, row, i);
		ck_assert_msg(got != NULL, "row %zu col %zu missing", row, i);
		ck_assert_str_eq(got, want[i]);
	}
	ck_assert_uint_eq(tfl_csv_columns(c), i);
	ck_assert_uint_eq(tfl_csv_line(c, row), line);
}

START_TEST(test_plain_file_gives_header_cells_and_lines)
{
	tfl_csv *c = opens(LIT("date,amount,donor\n"
				"2024-01-05,100.00,ECHO\n"
				"2024-01-06,25.50,SIDA\n"));

	header_is(c, CELLS("date", "amount", "donor"));
	ck_assert_uint_eq(tfl_csv_rows(c), 2);
	row_is(c, 0, 2, CELLS("2024-01-05", "100.00", "ECHO"));
	row_is(c, 1, 3, CELLS("2024-01-06", "25.50", "SIDA"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_crlf_endings_are_accepted_and_not_kept)
{
	tfl_csv *c = opens(LIT("a,b\r\n1,2\r\n3,4\r\n"));

	header_is(c, CELLS("a", "b"));
	ck_assert_uint_eq(tfl_csv_rows(c), 2);
	row_is(c, 0, 2, CELLS("1", "2"));
	row_is(c, 1, 3, CELLS("3", "4"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_mixed_endings_are_accepted)
{
	tfl_csv *c = opens(LIT("a,b\n1,2\r\n3,4\n5,6\r\n"));

	header_is(c, CELLS("a", "b"));
	ck_assert_uint_eq(tfl_csv_rows(c), 3);
	row_is(c, 0, 2, CELLS("1", "2"));
	row_is(c, 1, 3, CELLS("3", "4"));
	row_is(c, 2, 4, CELLS("5", "6"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_bom_at_start_is_skipped)
{
	tfl_csv *c = opens(LIT("\xef\xbb\xbf"
			       "date,amount\n2024-01-05,1\n"));

	header_is(c, CELLS("date", "amount"));
	ck_assert_int_eq(tfl_csv_column(c, "date"), 0);
	row_is(c, 0, 2, CELLS("2024-01-05", "1"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_bom_elsewhere_is_kept_as_text)
{
	tfl_csv *c = opens(LIT("\xef\xbb\xbf\xef\xbb\xbf"
			       "a\n\xef\xbb\xbf"
			       "x\n"));

	header_is(c, CELLS("\xef\xbb\xbf"
			   "a"));
	row_is(c, 0, 2, CELLS("\xef\xbb\xbf"
			      "x"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_quoted_commas_are_kept)
{
	tfl_csv *c = opens(LIT("name,amount\n"
			       "\"Doe, Jane\",10\n"
			       "\",\",\"1,5\"\n"));

	row_is(c, 0, 2, CELLS("Doe, Jane", "10"));
	row_is(c, 1, 3, CELLS(",", "1,5"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_quoted_newlines_are_kept_and_counted)
{
	tfl_csv *c = opens(LIT("memo,amount\n"
			       "\"line one\nline two\",5\n"
			       "\"crlf\r\ninside\",6\n"
			       "\"lone\rcr\",7\n"
			       "last,8\n"));

	ck_assert_uint_eq(tfl_csv_rows(c), 4);
	row_is(c, 0, 2, CELLS("line one\nline two", "5"));
	row_is(c, 1, 4, CELLS("crlf\r\ninside", "6"));
	row_is(c, 2, 6, CELLS("lone\rcr", "7"));
	row_is(c, 3, 7, CELLS("last", "8"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_doubled_quotes_become_one)
{
	tfl_csv *c = opens(LIT("a,b,c\n"
			       "\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\n"));

	row_is(c, 0, 2, CELLS("say \"hi\"", "\"", "\"\""));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_empty_cells_are_empty_strings)
{
	tfl_csv *c = opens(LIT("a,b,c\n,,\n\"\",x,\"\"\ny,,"));

	ck_assert_uint_eq(tfl_csv_rows(c), 3);
	row_is(c, 0, 2, CELLS("", "", ""));
	row_is(c, 1, 3, CELLS("", "x", ""));
	row_is(c, 2, 4, CELLS("y", "", ""));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_final_line_without_newline_is_read)
{
	tfl_csv *c = opens(LIT("a,b\n1,2\n3,4"));

	ck_assert_uint_eq(tfl_csv_rows(c), 2);
	row_is(c, 1, 3, CELLS("3", "4"));
	tfl_csv_free(c);
	c = opens(LIT("a,b\n1,\"two\nlines\""));
	row_is(c, 0, 2, CELLS("1", "two\nlines"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_trailing_blank_lines_are_ignored)
{
	tfl_csv *c = opens(LIT("a,b\n1,2\n\n\r\n\n"));

	ck_assert_uint_eq(tfl_csv_rows(c), 1);
	row_is(c, 0, 2, CELLS("1", "2"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_header_only_file_has_no_rows)
{
	tfl_csv *c = opens(LIT("a,b\n"));

	header_is(c, CELLS("a", "b"));
	ck_assert_uint_eq(tfl_csv_rows(c), 0);
	ck_assert_ptr_null(tfl_csv_cell(c, 0, 0));
	ck_assert_uint_eq(tfl_csv_line(c, 0), 0);
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_spaces_and_tabs_are_kept_as_is)
{
	tfl_csv *c = opens(LIT("a, b \n 1 ,\t2\t\n"));

	header_is(c, CELLS("a", " b "));
	ck_assert_int_eq(tfl_csv_column(c, "b"), -1);
	ck_assert_int_eq(tfl_csv_column(c, " b "), 1);
	row_is(c, 0, 2, CELLS(" 1 ", "\t2\t"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_utf8_text_is_kept)
{
	tfl_csv *c = opens(LIT("donateur,montant re\xc3\xa7u\n"
			       "\xe6\x97\xa5\xe6\x9c\xac,"
			       "\xe2\x82\xac 5 \xf0\x9f\x92\xb6\n"));

	ck_assert_int_eq(tfl_csv_column(c, "montant re\xc3\xa7u"), 1);
	row_is(c, 0, 2,
	    CELLS("\xe6\x97\xa5\xe6\x9c\xac",
		"\xe2\x82\xac 5 \xf0\x9f\x92\xb6"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_column_lookup_by_name)
{
	tfl_csv *c = opens(LIT("date,Amount,amount\n"));

	ck_assert_int_eq(tfl_csv_column(c, "date"), 0);
	ck_assert_int_eq(tfl_csv_column(c, "Amount"), 1);
	ck_assert_int_eq(tfl_csv_column(c, "amount"), 2);
	ck_assert_int_eq(tfl_csv_column(c, "donor"), -1);
	ck_assert_int_eq(tfl_csv_column(c, ""), -1);
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_out_of_range_lookups_return_null_or_zero)
{
	tfl_csv *c = opens(LIT("a,b\n1,2\n"));

	ck_assert_ptr_nonnull(tfl_csv_cell(c, 0, 1));
	ck_assert_ptr_null(tfl_csv_cell(c, 0, 2));
	ck_assert_ptr_null(tfl_csv_cell(c, 1, 0));
	ck_assert_ptr_null(tfl_csv_header(c, 2));
	ck_assert_uint_eq(tfl_csv_line(c, 1), 0);
	tfl_csv_free(c);
	tfl_csv_free(NULL);
}
END_TEST

START_TEST(test_only_len_bytes_are_read_and_cells_outlive_the_input)
{
	const char src[] = "a,b\n1,\"x\"\"y\"";
	size_t len = sizeof(src) - 1;
	char *buf = malloc(len); /* no NUL: ASan sees any read past len */
	tfl_csv *c;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, src, len);
	c = opens(buf, len);
	memset(buf, 'z', len);
	free(buf);
	row_is(c, 0, 2, CELLS("1", "x\"y"));
	tfl_csv_free(c);
	c = opens("a,b\n1,2junk", 7);
	row_is(c, 0, 2, CELLS("1", "2"));
	tfl_csv_free(c);
}
END_TEST

START_TEST(test_single_column_empty_value_is_written_quoted)
{
	tfl_csv *c = opens(LIT("name\nx\n\"\"\ny\n"));

	ck_assert_uint_eq(tfl_csv_rows(c), 3);
	row_is(c, 1, 3, CELLS(""));
	tfl_csv_free(c);
	refused(LIT("name\nx\n\ny\n"), "line 3: empty line");
}
END_TEST

START_TEST(test_empty_input_is_refused)
{
	refused(NULL, 0, "line 1: no header record");
	refused(LIT(""), "line 1: no header record");
	refused(LIT("\xef\xbb\xbf"), "line 1: no header record");
	refused(LIT("\n\r\n"), "line 1: no header record");
}
END_TEST

START_TEST(test_empty_line_before_the_end_is_refused)
{
	refused(LIT("a,b\n1,2\n\n3,4\n"), "line 3: empty line");
	refused(LIT("a,b\n\r\n3,4"), "line 2: empty line");
	refused(LIT("\na,b\n"), "line 1: empty line");
	refused(LIT("a,b\n1,2\n\n\n "), "line 3: empty line");
}
END_TEST

START_TEST(test_quote_inside_unquoted_field_is_refused)
{
	refused(LIT("a,b\n1,2\nx,y\"z\n"),
	    "line 3, column 2: quote in unquoted field");
	refused(LIT("a,b\n \"x\",2\n"),
	    "line 2, column 1: quote in unquoted field");
	refused(LIT("a\"\n"), "line 1, column 1: quote in unquoted field");
}
END_TEST

START_TEST(test_text_after_closing_quote_is_refused)
{
	refused(LIT("a,b\n\"x\"y,2\n"),
	    "line 2, column 1: text after closing quote ('y')");
	refused(LIT("a,b\n\"x\" ,2\n"),
	    "line 2, column 1: text after closing quote (' ')");
	refused(LIT("a,b\n1,\"x\ny\"\xc3\xa9\n"),
	    "line 3, column 2: text after closing quote (byte 0xc3)");
}
END_TEST

START_TEST(test_unterminated_quote_names_its_opening_line)
{
	refused(LIT("a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,\"open\n12,13\n"),
	    "line 7, column 2: unterminated quoted field");
	refused(LIT("\"a"), "line 1, column 1: unterminated quoted field");
	refused(LIT("a,b\n1,\"x\"\"\n"),
	    "line 2, column 2: unterminated quoted field");
}
END_TEST

START_TEST(test_unterminated_quote_wins_over_the_cell_limit)
{
	struct text t = { 0 };
	size_t i;

	add(&t, "a\n\"");
	for (i = 0; i < 1000; i++)
		add(&t, "0123456789\n");
	refused(t.p, t.len, "line 2, column 1: unterminated quoted field");
	free(t.p);
}
END_TEST

START_TEST(test_carriage_return_without_line_feed_is_refused)
{
	refused(LIT("a,b\n1,2\r3,4\n"),
	    "line 2, column 2: carriage return without line feed");
	refused(LIT("a\n\"x\"\r"),
	    "line 2, column 1: carriage return without line feed");
	refused(LIT("a,b\r"),
	    "line 1, column 2: carriage return without line feed");
}
END_TEST

START_TEST(test_too_few_fields_are_refused)
{
	refused(LIT("a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5\n"),
	    "line 3: 5 fields, the header has 6");
	refused(LIT("a,b\n1\n"), "line 2: 1 field, the header has 2");
}
END_TEST

START_TEST(test_too_many_fields_are_refused)
{
	refused(LIT("a,b\n1,2\n1,2,3\n"), "line 3: 3 fields, the header has 2");
	refused(LIT("a,b\n1,2,\n"), "line 2: 3 fields, the header has 2");
	refused(LIT("a\n1,2,3,4,5,6,7,8,9,10\n"),
	    "line 2: 10 fields, the header has 1");
}
END_TEST

START_TEST(test_field_count_error_names_the_record_start)
{
	refused(LIT("a,b\n\"1\n2\n3\",x\n4,5,6\n"),
	    "line 5: 3 fields, the header has 2");
	refused(LIT("a,b\n\"1\n2\",x,y\n"),
	    "line 2: 3 fields, the header has 2");
}
END_TEST

START_TEST(test_duplicate_header_is_refused)
{
	refused(LIT("date,amount,donor,amount\n1,2,3,4\n"),
	    "line 1, column 4: header \"amount\" repeats column 2");
	refused(LIT("x,\"x\"\n"),
	    "line 1, column 2: header \"x\" repeats column 1");
}
END_TEST

START_TEST(test_empty_header_name_is_refused)
{
	refused(LIT("a,,c\n"), "line 1, column 2: empty header name");
	refused(LIT("a,\"\"\n"), "line 1, column 2: empty header name");
	refused(LIT(",a\n"), "line 1, column 1: empty header name");
}
END_TEST

START_TEST(test_header_names_in_messages_are_one_short_line)
{
	char want[128];

	refused(LIT("\"x\ny\",\"x\ny\"\n"),
	    "line 1, column 2: header \"x?y\" repeats column 1");
	snprintf(want, sizeof(want),
	    "line 1, column 2: header \"%.44s...\" repeats column 1",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	refused(LIT("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"),
	    want);
	/* A cut never splits a character: 43 'a' then a 2-byte 'é'. */
	snprintf(want, sizeof(want),
	    "line 1, column 2: header \"%.43s...\" repeats column 1",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	refused(LIT("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaa\xc3\xa9xyz,"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaa\xc3\xa9xyz\n"),
	    want);
}
END_TEST

START_TEST(test_invalid_utf8_is_refused)
{
	refused(LIT("a,b\n1,\xff\n"), "line 2, column 2: invalid utf-8");
	refused(LIT("a,b\n1,\xc0\xaf\n"), "line 2, column 2: invalid utf-8");
	refused(LIT("a,b\n\xed\xa0\x80,1\n"),
	    "line 2, column 1: invalid utf-8");
	refused(LIT("a,b\n1,\xe2\x82"), "line 2, column 2: invalid utf-8");
	refused(LIT("\xff\n"), "line 1, column 1: invalid utf-8");
}
END_TEST

START_TEST(test_invalid_utf8_in_a_quoted_cell_names_its_own_line)
{
	refused(LIT("a,b\n1,\"ok\nstill ok\nbad \xff\"\n"),
	    "line 4, column 2: invalid utf-8");
}
END_TEST

START_TEST(test_nul_byte_is_refused)
{
	refused(LIT("a,b\n1,x\0y\n"), "line 2, column 2: nul byte");
	refused(LIT("a\0,b\n"), "line 1, column 1: nul byte");
	refused(LIT("a,b\n1,\"x\n\0\"\n"), "line 3, column 2: nul byte");
	refused(LIT("a,b\n1,2\n\0"), "line 3, column 1: nul byte");
}
END_TEST

START_TEST(test_control_characters_other_than_tab_cr_lf_are_refused)
{
	refused(LIT("a,b\n1,\x01\n"),
	    "line 2, column 2: control character U+0001");
	refused(LIT("a,b\n\"\x1b[0m\",1\n"),
	    "line 2, column 1: control character U+001B");
	refused(LIT("a,b\n1,\x7f\n"),
	    "line 2, column 2: control character U+007F");
	refused(LIT("a,b\n1,x\xc2\x85y\n"),
	    "line 2, column 2: control character U+0085");
	refused(LIT("a\fb\n"), "line 1, column 1: control character U+000C");
}
END_TEST

START_TEST(test_sixty_four_columns_are_the_limit)
{
	struct text t = { 0 };
	tfl_csv *c;
	int i;

	for (i = 0; i < TFL_CSV_MAX_COLUMNS; i++)
		add(&t, "%sc%d", i > 0 ? "," : "", i);
	add(&t, "\n");
	c = opens(t.p, t.len);
	ck_assert_uint_eq(tfl_csv_columns(c), 64);
	ck_assert_int_eq(tfl_csv_column(c, "c63"), 63);
	tfl_csv_free(c);
	t.len--;
	add(&t, ",c64\n");
	refused(t.p, t.len, "line 1: more than 64 columns");
	free(t.p);
}
END_TEST

START_TEST(test_cells_of_4096_bytes_are_the_limit)
{
	struct text t = { 0 };
	tfl_csv *c;
	size_t i;

	add(&t, "a,b\n\"");
	for (i = 0; i < 4094; i++)
		add(&t, "%c", i % 100 == 99 ? '\n' : 'x');
	add(&t, "\"\"\",1\n"); /* and '""' is the 4095th byte */
	for (i = 0; i < 4096; i++)
		add(&t, "y");
	add(&t, ",2\n");
	c = opens(t.p, t.len);
	ck_assert_uint_eq(strlen(tfl_csv_cell(c, 0, 0)), 4095);
	ck_assert_uint_eq(strlen(tfl_csv_cell(c, 1, 0)), 4096);
	tfl_csv_free(c);
	t.len -= 3;
	add(&t, "y,2\n");
	refused(t.p, t.len,
	    "line 43, column 1: cell of 4097 bytes, the limit is 4096");
	free(t.p);
}
END_TEST

START_TEST(test_a_million_rows_are_the_limit)
{
	struct text t = { 0 };
	char last[2] = { 0 };
	tfl_csv *c;
	size_t i;

	t.cap = 2 * (TFL_CSV_MAX_ROWS + 2) + 16;
	t.p = malloc(t.cap);
	ck_assert_ptr_nonnull(t.p);
	add(&t, "n\n");
	for (i = 0; i <= TFL_CSV_MAX_ROWS; i++) {
		t.p[t.len++] = (char)('a' + i % 26);
		t.p[t.len++] = '\n';
	}
	c = opens(t.p, t.len - 2);
	ck_assert_uint_eq(tfl_csv_rows(c), TFL_CSV_MAX_ROWS);
	last[0] = (char)('a' + (TFL_CSV_MAX_ROWS - 1) % 26);
	ck_assert_str_eq(tfl_csv_cell(c, TFL_CSV_MAX_ROWS - 1, 0), last);
	ck_assert_uint_eq(tfl_csv_line(c, TFL_CSV_MAX_ROWS - 1),
	    TFL_CSV_MAX_ROWS + 1);
	tfl_csv_free(c);
	refused(t.p, t.len, "line 1000002: more than 1000000 data rows");
	free(t.p);
}
END_TEST

/*
 * 10,000 rows, every seventh with a quoted two-line memo holding doubled
 * quotes, every third ending in CRLF, the last without a newline.
 */
START_TEST(test_ten_thousand_rows_parse_with_cells_and_lines)
{
	enum { N = 10000 };
	static size_t lines[N];
	struct text t = { 0 };
	size_t i, line = 2;
	char want[64];
	tfl_csv *c;

	add(&t, "id,memo,amount\r\n");
	for (i = 0; i < N; i++) {
		lines[i] = line;
		if (i % 7 == 0) {
			add(&t, "r%zu,\"note %zu\nsays \"\"hi\"\"\",%zu", i, i,
			    i * 3);
			line++;
		} else {
			add(&t, "r%zu,note %zu,%zu", i, i, i * 3);
		}
		if (i + 1 < N)
			add(&t, i % 3 == 0 ? "\r\n" : "\n");
		line++;
	}
	c = opens(t.p, t.len);
	ck_assert_uint_eq(tfl_csv_rows(c), N);
	for (i = 0; i < N; i++) {
		ck_assert_uint_eq(tfl_csv_line(c, i), lines[i]);
		snprintf(want, sizeof(want), "r%zu", i);
		ck_assert_str_eq(tfl_csv_cell(c, i, 0), want);
		if (i % 7 == 0)
			snprintf(want, sizeof(want),
			    "note %zu\nsays \"hi\"", i);
		else
			snprintf(want, sizeof(want), "note %zu", i);
		ck_assert_str_eq(tfl_csv_cell(c, i, 1), want);
		snprintf(want, sizeof(want), "%zu", i * 3);
		ck_assert_str_eq(tfl_csv_cell(c, i, 2), want);
	}
	ck_assert_uint_eq(tfl_csv_line(c, N - 1), 11430);
	tfl_csv_free(c);
	free(t.p);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("read");
	TCase *big = tcase_create("limits");

	tcase_add_test(tc, test_plain_file_gives_header_cells_and_lines);
	tcase_add_test(tc, test_crlf_endings_are_accepted_and_not_kept);
	tcase_add_test(tc, test_mixed_endings_are_accepted);
	tcase_add_test(tc, test_bom_at_start_is_skipped);
	tcase_add_test(tc, test_bom_elsewhere_is_kept_as_text);
	tcase_add_test(tc, test_quoted_commas_are_kept);
	tcase_add_test(tc, test_quoted_newlines_are_kept_and_counted);
	tcase_add_test(tc, test_doubled_quotes_become_one);
	tcase_add_test(tc, test_empty_cells_are_empty_strings);
	tcase_add_test(tc, test_final_line_without_newline_is_read);
	tcase_add_test(tc, test_trailing_blank_lines_are_ignored);
	tcase_add_test(tc, test_header_only_file_has_no_rows);
	tcase_add_test(tc, test_spaces_and_tabs_are_kept_as_is);
	tcase_add_test(tc, test_utf8_text_is_kept);
	tcase_add_test(tc, test_column_lookup_by_name);
	tcase_add_test(tc, test_out_of_range_lookups_return_null_or_zero);
	tcase_add_test(tc,
	    test_only_len_bytes_are_read_and_cells_outlive_the_input);
	tcase_add_test(tc, test_single_column_empty_value_is_written_quoted);
	tcase_add_test(tc, test_empty_input_is_refused);
	tcase_add_test(tc, test_empty_line_before_the_end_is_refused);
	tcase_add_test(tc, test_quote_inside_unquoted_field_is_refused);
	tcase_add_test(tc, test_text_after_closing_quote_is_refused);
	tcase_add_test(tc, test_unterminated_quote_names_its_opening_line);
	tcase_add_test(tc, test_unterminated_quote_wins_over_the_cell_limit);
	tcase_add_test(tc, test_carriage_return_without_line_feed_is_refused);
	tcase_add_test(tc, test_too_few_fields_are_refused);
	tcase_add_test(tc, test_too_many_fields_are_refused);
	tcase_add_test(tc, test_field_count_error_names_the_record_start);
	tcase_add_test(tc, test_duplicate_header_is_refused);
	tcase_add_test(tc, test_empty_header_name_is_refused);
	tcase_add_test(tc, test_header_names_in_messages_are_one_short_line);
	tcase_add_test(tc, test_invalid_utf8_is_refused);
	tcase_add_test(tc,
	    test_invalid_utf8_in_a_quoted_cell_names_its_own_line);
	tcase_add_test(tc, test_nul_byte_is_refused);
	tcase_add_test(tc,
	    test_control_characters_other_than_tab_cr_lf_are_refused);
	suite_add_tcase(s, tc);
	tcase_set_timeout(big, 60);
	tcase_add_test(big, test_sixty_four_columns_are_the_limit);
	tcase_add_test(big, test_cells_of_4096_bytes_are_the_limit);
	tcase_add_test(big, test_a_million_rows_are_the_limit);
	tcase_add_test(big, test_ten_thousand_rows_parse_with_cells_and_lines);
	suite_add_tcase(s, big);
	return s;
}

int
main(void)
{
	return tu_run(csv_suite()) != 0;
}
