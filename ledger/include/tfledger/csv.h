/*
 * tfledger/csv.h - a strict RFC 4180 reader for bank and donor files.
 *
 * tfl_csv_open parses a whole buffer up front into an immutable table:
 * the first record is the header, every later record is a data row with
 * exactly as many fields.  Anything doubtful is refused with a message
 * naming the line, rather than guessed at, since a fund officer will fix
 * the file and import it again.
 *
 * The rules:
 * - A UTF-8 byte order mark (EF BB BF) at the very start is skipped;
 *   anywhere else it is text.
 * - A record ends in LF or CRLF, both accepted, also mixed in one file.
 *   The last record may end without one.  A CR not followed by LF outside
 *   quotes is refused.
 * - A field is either plain, holding no '"', CR or LF, or quoted with
 *   '"', holding anything, including commas, CR, LF and '""' for one
 *   '"'.  After the closing quote comes ',', the end of the record or
 *   the end of the input, nothing else.  Cells keep their bytes as they
 *   are: no trimming of spaces, and CRLF inside a quoted cell stays CRLF.
 * - Empty lines are allowed only at the very end.  A record holding one
 *   empty field is therefore written `""`, never as an empty line.
 * - Header names are non-empty and unique (compared byte for byte, so
 *   "Amount" and "amount " are different names).
 * - Every cell is valid UTF-8 without NUL or any other control character
 *   (U+0000..U+001F, U+007F, U+0080..U+009F) except TAB, CR and LF.  So
 *   no cell holds a NUL and each is a complete C string.
 * - At most TFL_CSV_MAX_ROWS data rows, TFL_CSV_MAX_COLUMNS columns and
 *   TFL_CSV_MAX_CELL bytes in a cell (counted after unquoting).
 *
 * Errors are TFL_EINVAL with one of these messages, where line is the
 * 1-based physical line (counting every LF, also inside quoted cells) and
 * column the 1-based field number:
 *   line L: no header record                   (empty input)
 *   line L: empty line                         (not at the end)
 *   line L: more than 64 columns               (the header)
 *   line L: more than 1000000 data rows
 *   line L: N fields, the header has M         (L: where the record starts)
 *   line L, column C: empty header name
 *   line L, column C: header "x" repeats column D
 *   line L, column C: unterminated quoted field (L: the opening quote)
 *   line L, column C: quote in unquoted field
 *   line L, column C: text after closing quote ('x')
 *   line L, column C: carriage return without line feed
 *   line L, column C: cell of N bytes, the limit is 4096 (L: cell start)
 *   line L, column C: nul byte
 *   line L, column C: control character U+XXXX
 *   line L, column C: invalid utf-8
 * Allocation failure is TFL_ENOMEM, "out of memory".
 */
#ifndef TFLEDGER_CSV_H
#define TFLEDGER_CSV_H

#include <stddef.h>

#include "tfledger/err.h"

/* clang-format off */
#define TFL_CSV_MAX_ROWS	1000000	/* data records, header aside */
#define TFL_CSV_MAX_COLUMNS	64
#define TFL_CSV_MAX_CELL	4096	/* bytes of one cell, unquoted */
/* clang-format on */

/* A parsed CSV file: header, cells and line numbers.  Opaque. */
typedef struct tfl_csv tfl_csv;

/*
 * Parse data[0..len) (need not be NUL-terminated; data may be NULL when
 * len is 0) into *out, which the caller frees with tfl_csv_free.  The
 * table copies what it needs: data may be freed once this returns.
 * Returns 0; TFL_EINVAL with err naming the line (see above); or
 * TFL_ENOMEM.  On failure *out is NULL.
 */
int tfl_csv_open(tfl_csv **out, const char *data, size_t len, tfl_err *err);

/* Number of columns of the header, at least 1. */
size_t tfl_csv_columns(const tfl_csv *c);

/*
 * Name of header column col (0-based), a non-empty string owned by c and
 * valid until tfl_csv_free.  NULL when col >= tfl_csv_columns(c).
 */
const char *tfl_csv_header(const tfl_csv *c, size_t col);

/*
 * The 0-based index of the header column named exactly name, or -1 when
 * there is none.
 */
int tfl_csv_column(const tfl_csv *c, const char *name);

/* Number of data records, the header aside; 0 for a header-only file. */
size_t tfl_csv_rows(const tfl_csv *c);

/*
 * Cell (row, col) of the data, both 0-based: a string owned by c and
 * valid until tfl_csv_free, "" for an empty cell.  NULL when row >=
 * tfl_csv_rows(c) or col >= tfl_csv_columns(c).
 */
const char *tfl_csv_cell(const tfl_csv *c, size_t row, size_t col);

/*
 * The 1-based physical line where data record row (0-based) starts, for
 * the importer's own messages.  0 when row >= tfl_csv_rows(c).
 */
size_t tfl_csv_line(const tfl_csv *c, size_t row);

/* Free c and every string it handed out.  NULL is a no-op. */
void tfl_csv_free(tfl_csv *c);

#endif
