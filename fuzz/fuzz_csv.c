/*
 * fuzz_csv.c - tfl_csv_open on arbitrary bytes, then every accessor on
 * what opened: each cell a C string within the limits, header names
 * found by name, line numbers rising, out-of-range lookups NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tfledger/csv.h"

static void
check_table(const tfl_csv *c)
{
	size_t ncols = tfl_csv_columns(c), nrows = tfl_csv_rows(c);
	size_t r, col, last = 1;
	const char *s;

	if (ncols == 0 || ncols > TFL_CSV_MAX_COLUMNS ||
	    nrows > TFL_CSV_MAX_ROWS)
		abort();
	for (col = 0; col < ncols; col++) {
		s = tfl_csv_header(c, col);
		if (s == NULL || s[0] == '\0' ||
		    tfl_csv_column(c, s) != (int)col)
			abort();
	}
	if (tfl_csv_header(c, ncols) != NULL ||
	    tfl_csv_cell(c, nrows, 0) != NULL ||
	    tfl_csv_line(c, nrows) != 0)
		abort();
	for (r = 0; r < nrows; r++) {
		if (tfl_csv_line(c, r) <= last)
			abort();
		last = tfl_csv_line(c, r);
		for (col = 0; col < ncols; col++) {
			s = tfl_csv_cell(c, r, col);
			if (s == NULL || strlen(s) > TFL_CSV_MAX_CELL)
				abort();
		}
		if (tfl_csv_cell(c, r, ncols) != NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_csv *c = NULL;
	int rc;

	rc = tfl_csv_open(&c, (const char *)data, size, &err);
	if (rc != 0) {
		if (c != NULL)
			abort();
		fuzz_check_err(&err, rc);
		return 0;
	}
	check_table(c);
	tfl_csv_free(c);
	return 0;
}
