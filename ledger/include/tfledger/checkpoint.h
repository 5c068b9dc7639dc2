/*
 * tfledger/checkpoint.h - C2SP tlog-checkpoint bodies.
 *
 * A checkpoint's text is: the origin line, the tree size in decimal
 * without leading zeros, the standard base64 of the 32-byte root hash,
 * then optional extension lines, each line ending in '\n'.  It is signed
 * as a signed note (note.h) by the log key.  The parser is strict: empty
 * lines, an empty origin, non-canonical sizes or base64, a root that is not
 * 32 bytes, and a missing final newline are errors.
 *
 * One extension line is tfledger's: "tfledger-state " and the SHA-256, in
 * lowercase hex, of the fund state after the checkpoint's entries (see
 * docs/FORMAT.md, "Fund state digest").  An incremental audit from the
 * checkpoint starts from that state instead of replaying the entries.
 */
#ifndef TFLEDGER_CHECKPOINT_H
#define TFLEDGER_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "tfledger/err.h"
#include "tfledger/merkle.h"

#define TFL_ORIGIN_MAX 255

#define TFL_CHECKPOINT_STATE "tfledger-state " /* the line's prefix */

typedef struct tfl_checkpoint {
	char origin[TFL_ORIGIN_MAX + 1];
	uint64_t size;
	uint8_t root[TFL_HASH_SIZE];
	int has_state;		      /* a tfledger-state line */
	uint8_t state[TFL_HASH_SIZE]; /* its digest, when has_state */
} tfl_checkpoint;

/*
 * Parse checkpoint text (the note's text, not its signatures) into out.
 * A tfledger-state line is read into out->state (at most one; a
 * malformed one is an error); other extension lines are accepted and
 * ignored.  Returns 0 or TFL_EINVAL.
 */
int tfl_checkpoint_parse(tfl_checkpoint *out, const char *text, size_t len,
    tfl_err *err);

/*
 * Format c as checkpoint text (with its tfledger-state line when
 * c->has_state, no other extension line) into *out (malloc'd,
 * NUL-terminated, length in *outlen; caller frees).  Returns 0,
 * TFL_EINVAL (bad origin) or TFL_ENOMEM.
 */
int tfl_checkpoint_format(char **out, size_t *outlen, const tfl_checkpoint *c,
    tfl_err *err);

#endif
