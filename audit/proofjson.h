/*
 * proofjson.h - what prove, consistency, verify-proof and verify share:
 * hashes as lowercase hex, proofs and check lists as JSON.
 */
#ifndef TFLEDGER_AUDIT_PROOFJSON_H
#define TFLEDGER_AUDIT_PROOFJSON_H

#include "../cli/common.h"

#define HEX_SIZE (2 * TFL_HASH_SIZE + 1)

/* Lowercase hex of hash h into out. */
void pj_hex(char out[HEX_SIZE], const uint8_t h[TFL_HASH_SIZE]);

/* Decode 64 lowercase hex digits into out; 0 or TFL_EINVAL. */
int pj_unhex(uint8_t out[TFL_HASH_SIZE], const char *s);

/* The hash as a JSON string; a JSON array of path[0..len). */
json_t *pj_hash(const uint8_t h[TFL_HASH_SIZE]);
json_t *pj_path(const uint8_t path[][TFL_HASH_SIZE], size_t len);

/* Print "name: HEX" for a hash, then "proof: HEX" for each path hash. */
int pj_print_hash(const char *name, const uint8_t h[TFL_HASH_SIZE]);
int pj_print_path(const uint8_t path[][TFL_HASH_SIZE], size_t len);

/*
 * The machine-readable result: {"ok": rc == 0, "checks": [{"name",
 * "ok", "detail"}...]} and, on failure, "error" with c's message.
 * The caller adds its own fields and prints it.
 */
json_t *pj_result(const struct cli *c, int rc, const tfl_checks *cs);

/*
 * Print j (see cli_print_json) and return rc, or TFL_EIO when the
 * write fails.
 */
int pj_print(json_t *j, int rc);

#endif
