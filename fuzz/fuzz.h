/*
 * fuzz.h - what every fuzz target checks of a refusal: the library's
 * message is one non-empty line a terminal may show, whatever the input.
 */
#ifndef TFLEDGER_FUZZ_H
#define TFLEDGER_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfledger/err.h"

/*
 * Abort unless err holds code rc and a message of one line without
 * control characters: messages go to stderr and quote hostile input.
 */
static inline void
fuzz_check_err(const tfl_err *err, int rc)
{
	size_t i, n = strnlen(err->msg, sizeof(err->msg));
	int ok = rc < 0 && err->code == rc && n > 0 && n < sizeof(err->msg);

	for (i = 0; ok && i < n; i++)
		if ((unsigned char)err->msg[i] < 0x20 || err->msg[i] == 0x7f)
			ok = 0;
	if (!ok) {
		fprintf(stderr, "fuzz: bad refusal: rc %d, code %d, message "
		    "\"", rc, err->code);
		for (i = 0; i < n; i++)
			fprintf(stderr, (unsigned char)err->msg[i] < 0x20 ||
			    err->msg[i] == 0x7f ? "\\x%02x" : "%c",
			    (unsigned char)err->msg[i]);
		fprintf(stderr, "\"\n");
		abort();
	}
}

/* A NUL-terminated copy of data[0..size) (caller frees), or abort. */
static inline char *
fuzz_strndup(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#endif
