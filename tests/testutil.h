/*
 * testutil.h - helpers shared by the Check suites.
 */
#ifndef TFLEDGER_TESTUTIL_H
#define TFLEDGER_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <jansson.h>

/* Path of a file under the shared vectors, e.g. "merkle/derived/x.json". */
const char *tu_vector_path(const char *rel);

/* Load a JSON file (aborts the test on failure).  Caller json_decref()s. */
json_t *tu_json_load(const char *path);

/* Read a whole file into a malloc'd NUL-terminated buffer; aborts on failure. */
char *tu_read_file(const char *path, size_t *len);

/* Make a fresh temporary directory; returns a malloc'd path. */
char *tu_tmpdir(void);

/* Remove a directory tree made by tu_tmpdir; NULL is a no-op. */
void tu_rmtree(const char *path);

/* Decode lowercase hex of len bytes into out; aborts the test on failure. */
void tu_unhex(uint8_t *out, size_t len, const char *hex);

/* Decode standard base64 into out (capacity cap); returns the length. */
size_t tu_unb64(uint8_t *out, size_t cap, const char *b64);

/* Run a suite, print Check's summary, return the number of failures. */
int tu_run(Suite *s);

#endif
