/*
 * check_format.c - docs/FORMAT.md's table of entry types agrees with the
 * code, so the normative document cannot drift from what is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfledger/entry.h"
#include "tfledger/fund.h"

/* The table row the code implies for type, as FORMAT.md writes it. */
static void
expected_row(char *buf, size_t size, int type)
{
	const char *name;
	size_t i, n;
	int opt;

	n = (size_t)snprintf(buf, size, "| %s | %s | ",
	    tfl_entry_type_name(type), tfl_role_name(tfl_fund_type_role(type)));
	for (i = 0; (name = tfl_entry_field(type, i, &opt)) != NULL; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s%s: %s",
		    i > 0 ? ", " : "", name, opt ? "?" : "",
		    tfl_entry_field_kind(type, i));
	snprintf(buf + n, size - n, " |");
}

START_TEST(test_format_md_lists_every_type_with_its_fields_and_role)
{
	char *doc = tu_read_file("docs/FORMAT.md", NULL);
	char *begin = strstr(doc, "<!-- schema:begin -->");
	char *end = strstr(doc, "<!-- schema:end -->");
	char row[2048];
	int type, rows = 0;
	char *p;

	ck_assert_ptr_nonnull(begin);
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	for (type = 0; type < TFL_ENTRY_NTYPES; type++) {
		expected_row(row, sizeof(row), type);
		p = strstr(begin, row);
		ck_assert_msg(p != NULL, "FORMAT.md lacks the row: %s", row);
		ck_assert(p[strlen(row)] == '\n');
	}
	for (p = begin; (p = strstr(p, "\n| ")) != NULL; p++)
		rows++;
	/* header, separator, one row a type */
	ck_assert_int_eq(rows, TFL_ENTRY_NTYPES + 2);
	free(doc);
}
END_TEST

static Suite *
format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, test_format_md_lists_every_type_with_its_fields_and_role);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(format_suite()) != 0;
}
