/*
 * fuzz_note.c - tfl_note_parse on arbitrary bytes, then tfl_note_verify
 * of what parsed against fixed public keys: the Ed25519 keys that signed
 * the shared signed-note vectors and a witness cosignature (type 0x04)
 * key, so that the seeds reach both the good and the bad signature paths.
 * The same bytes are also tried as a verifier key string, which must
 * format back to itself when it parses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tfledger/note.h"

/* clang-format off */
static const char *const vkeys[] = {
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	"EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
	("sigsum.org/v1/tree/e796172b92befd62d9dc67e41c2f5bc9d3100a3023b20b1"
	    "ca40288dd1c679e69+809da1a3+AWbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+"
	    "w3/bxCSn"),
	("example.org/witness+cacf2e50+BGbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+"
	    "w3/bxCSn"),
};
/* clang-format on */

#define NKEYS (sizeof(vkeys) / sizeof(vkeys[0]))

static tfl_verifier keys[NKEYS];

static void
load_keys(void)
{
	static int loaded;
	tfl_err err = TFL_ERR_INIT;
	size_t i;

	if (loaded)
		return;
	for (i = 0; i < NKEYS; i++)
		if (tfl_verifier_parse(&keys[i], vkeys[i], strlen(vkeys[i]),
		    &err) != 0)
			abort();
	loaded = 1;
}

static void
check_note(const tfl_note *note, size_t size)
{
	unsigned char verified[NKEYS];
	tfl_err err = TFL_ERR_INIT;
	size_t i, k;
	int rc;

	if (note->nsigs == 0 || note->nsigs > TFL_NOTE_MAX_SIGS ||
	    note->textlen == 0 || note->textlen >= size ||
	    note->text[note->textlen - 1] != '\n' ||
	    strlen(note->text) != note->textlen)
		abort();
	for (i = 0; i < note->nsigs; i++)
		if (!tfl_note_name_valid(note->sigs[i].name,
		    strlen(note->sigs[i].name)) ||
		    note->sigs[i].bloblen > sizeof(note->sigs[i].blob))
			abort();
	rc = tfl_note_verify(verified, note, keys, NKEYS, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return;
	}
	for (k = 0; k < NKEYS && !verified[k]; k++)
		;
	if (k == NKEYS)
		abort();
}

static void
check_vkey(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	char buf[TFL_KEY_NAME_MAX + 64];
	tfl_verifier v;
	int rc;

	rc = tfl_verifier_parse(&v, (const char *)data, size, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
		return;
	}
	if (tfl_verifier_format(buf, sizeof(buf), &v) != 0 ||
	    strlen(buf) != size || memcmp(buf, data, size) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	tfl_err err = TFL_ERR_INIT;
	tfl_note note;
	int rc;

	load_keys();
	rc = tfl_note_parse(&note, (const char *)data, size, &err);
	if (rc != 0) {
		fuzz_check_err(&err, rc);
	} else {
		check_note(&note, size);
		tfl_note_release(&note);
	}
	if (size < 512)
		check_vkey(data, size);
	return 0;
}
