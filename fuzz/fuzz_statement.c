/*
 * fuzz_statement.c - tfl_statement_canonical and tfl_statement_verify on
 * arbitrary bytes, as a donor's check of a JSON statement would see them.
 *
 * The log key is taken from the input itself (the genesis entry's
 * "log-key: " line, as JSON escapes it), so that statements drawn from
 * any ledger (the seeds come from `make demo`) reach the checks behind
 * the checkpoint's signature; a fixed key stands in when there is none.
 * Canonical bytes must be canonical: canonicalising them again changes
 * nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tfledger/statement.h"

#define FIXED_KEY \
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

/* The first "log-key: VKEY" of data, up to a backslash or quote. */
static void
log_key(tfl_verifier *v, const unsigned char *data, size_t size)
{
	static const char tag[] = "log-key: ";
	const size_t tlen = sizeof(tag) - 1;
	tfl_err err = TFL_ERR_INIT;
	const unsigned char *p;
	size_t i, n;

	for (i = 0; i + tlen <= size; i++) {
		if (memcmp(data + i, tag, tlen) != 0)
			continue;
		p = data + i + tlen;
		for (n = 0; i + tlen + n < size && p[n] != '\\' &&
		    p[n] != '"'; n++)
			;
		if (tfl_verifier_parse(v, (const char *)p, n, &err) == 0)
			return;
		break;
	}
	if (tfl_verifier_parse(v, FIXED_KEY, strlen(FIXED_KEY), &err) != 0)
		abort();
}

static void
canonical(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	char *once = NULL, *twice = NULL;
	size_t n1 = 0, n2 = 0;
	int rc;

	rc = tfl_statement_canonical(&once, &n1, (const char *)data, size,
	    &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return;
	}
	if (strlen(once) != n1 ||
	    tfl_statement_canonical(&twice, &n2, once, n1, &err) != 0 ||
	    n1 != n2 || memcmp(once, twice, n1) != 0)
		abort();
	free(once);
	free(twice);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_statement_check r;
	tfl_verifier key;
	int rc;

	canonical(data, size);
	log_key(&key, data, size);
	rc = tfl_statement_verify(&r, (const char *)data, size, &key, NULL,
	    &err);
	if (rc != 0)
		fuzz_check_err(&err, rc);
	else if (r.nentries == 0 || r.has_signature < 0)
		abort();
	return 0;
}
