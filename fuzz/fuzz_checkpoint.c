/*
 * fuzz_checkpoint.c - tfl_checkpoint_parse on arbitrary checkpoint text.
 * An accepted checkpoint must format to text that parses to the same
 * origin, size, root and state digest, and that is the input itself when
 * the input has no extension lines, or only its tfledger-state line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tfledger/checkpoint.h"

/* Number of '\n' in data[0..size). */
static size_t
lines(const unsigned char *data, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_checkpoint c, again;
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = tfl_checkpoint_parse(&c, (const char *)data, size, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return 0;
	}
	if (tfl_checkpoint_format(&text, &len, &c, &err) != 0)
		abort();
	if (tfl_checkpoint_parse(&again, text, len, &err) != 0)
		abort();
	if (strcmp(c.origin, again.origin) != 0 || c.size != again.size ||
	    memcmp(c.root, again.root, sizeof(c.root)) != 0 ||
	    c.has_state != again.has_state ||
	    memcmp(c.state, again.state, sizeof(c.state)) != 0)
		abort();
	if (lines(data, size) == 3 + (size_t)c.has_state &&
	    (len != size || memcmp(text, data, size) != 0))
		abort();
	free(text);
	return 0;
}
