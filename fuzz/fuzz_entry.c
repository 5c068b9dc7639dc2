/*
 * fuzz_entry.c - tfl_entry_decode on arbitrary entry text.  An accepted
 * text must encode back to exactly its own bytes (one encoding), and
 * every getter must work on what was decoded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tfledger/entry.h"

static void
check_decoded(const tfl_entry *e, const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	const char *name;
	char *again = NULL;
	size_t len = 0, i;
	int type = tfl_entry_type(e);

	if (tfl_entry_type_name(type) == NULL)
		abort();
	if (tfl_entry_encode(&again, &len, e, &err) != 0)
		abort();
	if (len != size || memcmp(again, data, size) != 0)
		abort();
	free(again);
	for (i = 0; (name = tfl_entry_field(type, i, NULL)) != NULL; i++) {
		const char *v = tfl_entry_get(e, name);

		if (v != NULL && (v[0] == '\0' ||
		    strlen(v) > TFL_ENTRY_VALUE_MAX))
			abort();
		if (tfl_entry_field_kind(type, i) == NULL)
			abort();
	}
	if (tfl_entry_origin(e)[0] == '\0' || tfl_entry_time(e) < 0 ||
	    tfl_entry_prev(e) == NULL)
		abort();
	(void)tfl_entry_seq(e);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_entry *e = NULL;
	int rc;

	rc = tfl_entry_decode(&e, (const char *)data, size, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return 0;
	}
	check_decoded(e, data, size);
	tfl_entry_free(e);
	return 0;
}
