/*
 * statement_verify.c - checking a JSON statement with no ledger: only
 * the statement and the fund's log key.
 *
 * The checkpoint must be signed by the log key; every entry must be in
 * the checkpoint's tree (its inclusion proof leads to the root) and
 * signed by a key that the included genesis and key entries make known
 * at its seq, with the role its type needs; then the contributions
 * section is recomputed from the entries by the builder's own function
 * and must equal the statement's, member for member.  A file that is not
 * JSON, or JSON that is not a statement (no "version" naming this
 * format), is TFL_EINVAL: bad input, exit 2.  Anything wrong in a
 * statement is TFL_EVERIFY, so that the tool exits 1 naming it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statement_internal.h"
#include "tfledger/checkpoint.h"
#include "tfledger/fund.h"

/* A key as the included key entries make it known. */
struct vkey {
	tfl_verifier v;
	int role;
	uint64_t enrolled;
	uint64_t revoked; /* UINT64_MAX: never */
};

struct vs {
	json_t *doc;
	const tfl_verifier *log_key;
	tfl_checkpoint cp;
	struct tfl__stmt_entry *ents;
	tfl_note *notes;
	size_t n;
	struct vkey *keys;
	size_t nkeys;
	tfl_statement r; /* recomputed from the entries */
	tfl_err *err;
};

static int
bad(tfl_err *err, const char *what)
{
	return tfl_err_set(err, TFL_EVERIFY, "statement: %s", what);
}

/* err, already set, made a failure of the statement at what. */
static int
refail(tfl_err *err, const char *what)
{
	err->code = TFL_EVERIFY;
	return tfl_err_prefix(err, "%s", what);
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
check_checkpoint(struct vs *v)
{
	const json_t *j = json_object_get(v->doc, "checkpoint");
	tfl_note note;
	int rc;

	if (!json_is_string(j))
		return bad(v->err, "no \"checkpoint\" member");
	if (tfl_note_parse(&note, json_string_value(j), json_string_length(j),
	    v->err) != 0)
		return refail(v->err, "checkpoint");
	rc = tfl_note_verify(NULL, &note, v->log_key, 1, v->err);
	if (rc == 0 && (rc = tfl_checkpoint_parse(&v->cp, note.text,
	    note.textlen, v->err)) != 0)
		rc = TFL_EVERIFY;
	tfl_note_release(&note);
	if (rc == TFL_EVERIFY)
		return refail(v->err, "checkpoint: not signed by the log key "
		    "given, or malformed");
	return rc;
}

/* The proof hashes of element j, checked against the root. */
static int
check_proof(struct vs *v, const json_t *proof, uint64_t seq,
    const char *note, size_t len)
{
	uint8_t path[TFL_MERKLE_MAX_PROOF][TFL_HASH_SIZE], leaf[TFL_HASH_SIZE];
	const json_t *h;
	size_t i;

	if (!json_is_array(proof) || json_array_size(proof) >
	    TFL_MERKLE_MAX_PROOF)
		return tfl_err_set(v->err, TFL_EVERIFY, "seq %llu: no proof",
		    (unsigned long long)seq);
	json_array_foreach(proof, i, h)
		if (!json_is_string(h) || tfl__hex_decode(path[i],
		    TFL_HASH_SIZE, json_string_value(h),
		    json_string_length(h)) != 0)
			return tfl_err_set(v->err, TFL_EVERIFY, "seq %llu: "
			    "proof hash %zu is not 64 lowercase hex digits",
			    (unsigned long long)seq, i);
	tfl_merkle_leaf_hash(leaf, note, len);
	if (tfl_merkle_verify_inclusion(seq, v->cp.size, leaf,
	    (const uint8_t(*)[TFL_HASH_SIZE])path, json_array_size(proof),
	    v->cp.root, v->err) != 0)
		return tfl_err_prefix(v->err, "seq %llu: the entry is not in "
		    "the checkpoint's tree", (unsigned long long)seq);
	return 0;
}

/* One element of "entries": seq, note and proof. */
static int
load_entry(struct vs *v, size_t i, const json_t *el)
{
	const json_t *seqj = json_object_get(el, "seq");
	const json_t *notej = json_object_get(el, "note");
	struct tfl__stmt_entry *x = &v->ents[i];
	const char *note;
	size_t len;
	char what[48];

	if (!json_is_integer(seqj) || json_integer_value(seqj) < 0 ||
	    !json_is_string(notej))
		return tfl_err_set(v->err, TFL_EVERIFY, "statement: entry %zu "
		    "has no seq or note", i);
	x->seq = (uint64_t)json_integer_value(seqj);
	snprintf(what, sizeof(what), "seq %llu", (unsigned long long)x->seq);
	if (i > 0 && x->seq <= v->ents[i - 1].seq)
		return tfl_err_set(v->err, TFL_EVERIFY, "%s: entries are not "
		    "in ascending order of seq", what);
	if (x->seq >= v->cp.size)
		return tfl_err_set(v->err, TFL_EVERIFY, "%s: beyond the "
		    "checkpoint's size %llu", what,
		    (unsigned long long)v->cp.size);
	note = json_string_value(notej);
	len = json_string_length(notej);
	if (tfl_note_parse(&v->notes[i], note, len, v->err) != 0)
		return refail(v->err, what);
	if (tfl_entry_note_one_signature(&v->notes[i], v->err) != 0)
		return refail(v->err, what);
	if (tfl_entry_decode(&x->e, v->notes[i].text, v->notes[i].textlen,
	    v->err) != 0)
		return refail(v->err, what);
	if (tfl_entry_seq(x->e) != x->seq ||
	    strcmp(tfl_entry_origin(x->e), v->cp.origin) != 0)
		return tfl_err_set(v->err, TFL_EVERIFY, "%s: the note is "
		    "another entry, or of another ledger", what);
	return check_proof(v, json_object_get(el, "proof"), x->seq, note,
	    len);
}

static int
load_entries(struct vs *v)
{
	const json_t *a = json_object_get(v->doc, "entries"), *el;
	size_t i;
	int rc;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return bad(v->err, "no \"entries\"");
	v->n = json_array_size(a);
	v->ents = calloc(v->n, sizeof(*v->ents));
	v->notes = calloc(v->n, sizeof(*v->notes));
	v->keys = calloc(v->n + 1, sizeof(*v->keys));
	if (v->ents == NULL || v->notes == NULL || v->keys == NULL)
		return tfl_err_set(v->err, TFL_ENOMEM, "out of memory");
	json_array_foreach(a, i, el)
		if ((rc = load_entry(v, i, el)) != 0)
			return rc;
	return 0;
}

static int
same_key(const tfl_verifier *a, const tfl_verifier *b)
{
	return strcmp(a->name, b->name) == 0 && a->hash == b->hash &&
	    memcmp(a->pub, b->pub, sizeof(a->pub)) == 0;
}

/* Entry 0: genesis, naming the log key given, signed by its admin key. */
static int
check_genesis(struct vs *v)
{
	const tfl_entry *e = v->ents[0].e;
	const char *ak, *lk;
	tfl_verifier log;

	if (v->ents[0].seq != 0 || tfl_entry_type(e) != TFL_ENTRY_GENESIS)
		return bad(v->err, "the genesis entry (seq 0) is missing");
	ak = tfl_entry_get(e, "admin-key");
	lk = tfl_entry_get(e, "log-key");
	if (tfl_verifier_parse(&v->keys[0].v, ak, strlen(ak), v->err) != 0 ||
	    tfl_verifier_parse(&log, lk, strlen(lk), v->err) != 0)
		return refail(v->err, "seq 0");
	if (!same_key(&log, v->log_key))
		return tfl_err_set(v->err, TFL_EVERIFY, "seq 0: the ledger's "
		    "log key is \"%s\", not the key given", log.name);
	if (tfl_note_verify(NULL, &v->notes[0], &v->keys[0].v, 1,
	    v->err) != 0)
		return refail(v->err, "seq 0");
	v->keys[0].role = TFL_ROLE_ADMIN;
	v->keys[0].revoked = UINT64_MAX;
	v->nkeys = 1;
	snprintf(v->ents[0].signer, sizeof(v->ents[0].signer), "%s",
	    v->keys[0].v.name);
	return 0;
}

/* The key that signed entry i: known at its seq, with the right role. */
static int
check_signer(struct vs *v, size_t i)
{
	struct tfl__stmt_entry *x = &v->ents[i];
	tfl_verifier cand[TFL_NOTE_MAX_SIGS];
	unsigned char ok[TFL_NOTE_MAX_SIGS];
	size_t which[TFL_NOTE_MAX_SIGS], k, s, n = 0;
	int type = tfl_entry_type(x->e);
	const struct vkey *key;
	char what[48];

	snprintf(what, sizeof(what), "seq %llu", (unsigned long long)x->seq);
	for (s = 0; s < v->notes[i].nsigs; s++)
		for (k = 0; k < v->nkeys && n < TFL_NOTE_MAX_SIGS; k++)
			if (strcmp(v->keys[k].v.name,
			    v->notes[i].sigs[s].name) == 0 &&
			    v->keys[k].enrolled < x->seq &&
			    v->keys[k].revoked >= x->seq) {
				which[n] = k;
				cand[n++] = v->keys[k].v;
			}
	if (n == 0)
		return tfl_err_set(v->err, TFL_EVERIFY, "%s: signed by no key "
		    "the statement's key entries make known there", what);
	if (tfl_note_verify(ok, &v->notes[i], cand, n, v->err) != 0)
		return refail(v->err, what);
	for (k = 0; k < n && !ok[k]; k++)
		;
	if (k == n)
		return tfl_err_set(v->err, TFL_EVERIFY, "%s: not signed", what);
	key = &v->keys[which[k]];
	if (key->role != tfl_fund_type_role(type))
		return tfl_err_set(v->err, TFL_EVERIFY, "%s: key \"%s\" has "
		    "role %s; %s entries need role %s", what, key->v.name,
		    tfl_role_name(key->role), tfl_entry_type_name(type),
		    tfl_role_name(tfl_fund_type_role(type)));
	snprintf(x->signer, sizeof(x->signer), "%s", key->v.name);
	return 0;
}

/* A key-enroll or key-revoke entry changes the known keys. */
static int
apply_key(struct vs *v, const struct tfl__stmt_entry *x)
{
	const char *vk = tfl_entry_get(x->e, "key");
	struct vkey *k;
	size_t i;

	if (tfl_entry_type(x->e) == TFL_ENTRY_KEY_REVOKE) {
		for (i = 0; i < v->nkeys; i++)
			if (strcmp(v->keys[i].v.name,
			    tfl_entry_get(x->e, "name")) == 0 &&
			    v->keys[i].revoked == UINT64_MAX)
				v->keys[i].revoked = x->seq;
		return 0;
	}
	k = &v->keys[v->nkeys];
	if (tfl_verifier_parse(&k->v, vk, strlen(vk), v->err) != 0)
		return refail(v->err, "key-enroll");
	for (i = 0; i < v->nkeys; i++)
		if (strcmp(v->keys[i].v.name, k->v.name) == 0)
			return tfl_err_set(v->err, TFL_EVERIFY, "seq %llu: key "
			    "\"%s\" enrolled twice", (unsigned long long)x->seq,
			    k->v.name);
	k->role = tfl_role_find(tfl_entry_get(x->e, "role"));
	k->enrolled = x->seq;
	k->revoked = UINT64_MAX;
	v->nkeys++;
	return 0;
}

/* Every signature, in seq order, with the keys known at each seq. */
static int
check_signatures(struct vs *v)
{
	size_t i;
	int rc, t;

	if ((rc = check_genesis(v)) != 0)
		return rc;
	for (i = 1; i < v->n; i++) {
		if ((rc = check_signer(v, i)) != 0)
			return rc;
		t = tfl_entry_type(v->ents[i].e);
		if ((t == TFL_ENTRY_KEY_ENROLL || t == TFL_ENTRY_KEY_REVOKE) &&
		    (rc = apply_key(v, &v->ents[i])) != 0)
			return rc;
	}
	/* A revoked log key signs no checkpoint covering its revocation. */
	for (i = 0; i < v->nkeys; i++)
		if (same_key(&v->keys[i].v, v->log_key) &&
		    v->keys[i].revoked < v->cp.size)
			return tfl_err_set(v->err, TFL_EVERIFY, "checkpoint of "
			    "size %llu: the log key was revoked at seq %llu",
			    (unsigned long long)v->cp.size,
			    (unsigned long long)v->keys[i].revoked);
	return 0;
}

/* The statement as its entries make it: header and contributions. */
static int
recompute(struct vs *v)
{
	const json_t *donor = json_object_get(v->doc, "donor");
	const json_t *per = json_object_get(v->doc, "period");
	const tfl_entry *g = v->ents[0].e;
	const tfl_currency *cur;
	tfl_statement *r = &v->r;
	const char *id = str(donor, "id");
	size_t i;
	int rc, t;

	if (id == NULL || !tfl_id_valid(id) || str(per, "from") == NULL ||
	    str(per, "to") == NULL ||
	    tfl_date_parse(&r->from, str(per, "from"), NULL) != 0 ||
	    tfl_date_parse(&r->to, str(per, "to"), NULL) != 0 ||
	    tfl_currency_find(&cur, tfl_entry_get(g, "currency"), NULL) != 0)
		return bad(v->err, "no donor id or period");
	if (r->from > r->to)
		return bad(v->err, "the period ends before it begins");
	snprintf(r->donor, sizeof(r->donor), "%s", id);
	snprintf(r->fund, sizeof(r->fund), "%s", tfl_entry_get(g, "fund"));
	snprintf(r->origin, sizeof(r->origin), "%s", tfl_entry_origin(g));
	r->currency = *cur;
	r->size = v->cp.size;
	memcpy(r->root, v->cp.root, sizeof(r->root));
	tfl__statement_number(r);
	if ((rc = tfl__statement_donor(r, v->ents, v->n, v->err)) != 0)
		return rc;
	for (i = 1; i < v->n; i++) {
		t = tfl_entry_type(v->ents[i].e);
		if (!v->ents[i].used && t != TFL_ENTRY_KEY_ENROLL &&
		    t != TFL_ENTRY_KEY_REVOKE)
			return tfl_err_set(v->err, TFL_EVERIFY, "seq %llu: not "
			    "an entry this statement relies on",
			    (unsigned long long)v->ents[i].seq);
	}
	return 0;
}

/* A short text of a JSON value for a message. */
static void
show(char *buf, size_t size, const json_t *j)
{
	char *t;

	if (j == NULL) {
		snprintf(buf, size, "nothing");
		return;
	}
	t = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	snprintf(buf, size, "%.60s%s", t != NULL ? t : "?",
	    t != NULL && strlen(t) > 60 ? "..." : "");
	free(t);
}

/* The path to the first difference of got from want, into path. */
static void
where(char *path, size_t size, const json_t *want, const json_t *got,
    const json_t **w, const json_t **g)
{
	size_t len = strlen(path), i, n;
	const char *k;
	json_t *x;

	*w = want;
	*g = got;
	if (json_is_object(want) && json_is_object(got)) {
		json_object_foreach((json_t *)want, k, x)
			if (!json_equal(x, json_object_get(got, k))) {
				snprintf(path + len, size - len, ".%s", k);
				where(path, size, x, json_object_get(got, k),
				    w, g);
				return;
			}
		json_object_foreach((json_t *)got, k, x)
			if (json_object_get(want, k) == NULL) {
				snprintf(path + len, size - len, ".%s", k);
				*w = NULL;
				*g = x;
				return;
			}
	}
	if (json_is_array(want) && json_is_array(got)) {
		n = json_array_size(want) > json_array_size(got) ?
		    json_array_size(want) : json_array_size(got);
		for (i = 0; i < n; i++)
			if (!json_equal(json_array_get(want, i),
			    json_array_get(got, i))) {
				snprintf(path + len, size - len, "[%zu]", i);
				where(path, size, json_array_get(want, i),
				    json_array_get(got, i), w, g);
				return;
			}
	}
}

static int
compare(struct vs *v)
{
	json_t *want = json_object();
	const json_t *w, *g;
	char path[256], a[80], b[80];
	const char *k;
	json_t *x;
	int rc;

	if (want == NULL)
		return tfl_err_set(v->err, TFL_ENOMEM, "out of memory");
	if ((rc = tfl__statement_checked_json(want, &v->r, v->err)) != 0)
		goto out;
	json_object_foreach(want, k, x) {
		if (json_equal(x, json_object_get(v->doc, k)))
			continue;
		snprintf(path, sizeof(path), "%s", k);
		where(path, sizeof(path), x, json_object_get(v->doc, k), &w,
		    &g);
		show(a, sizeof(a), g);
		show(b, sizeof(b), w);
		rc = tfl_err_set(v->err, TFL_EVERIFY, "%s: the statement says "
		    "%s, its entries give %s", path, a, b);
		break;
	}
out:
	json_decref(want);
	return rc;
}

/* The statement's own signature over its canonical bytes. */
static int
check_signature(struct vs *v, const tfl_verifier *signer,
    tfl_statement_check *out)
{
	const json_t *sig = json_object_get(v->doc, "signature");
	char *text = NULL, *note = NULL;
	size_t len, slen;
	tfl_note n;
	int rc;

	out->has_signature = sig != NULL;
	if (signer == NULL)
		return 0;
	if (!json_is_string(sig))
		return bad(v->err, "not signed, so --signer cannot be checked");
	if ((rc = tfl__statement_canonical_of(&text, &len, v->doc,
	    v->err)) != 0)
		return rc == TFL_EINVAL ? refail(v->err, "signature") : rc;
	slen = json_string_length(sig);
	if ((note = malloc(len + 2 + slen + 1)) == NULL) {
		free(text);
		return tfl_err_set(v->err, TFL_ENOMEM, "out of memory");
	}
	memcpy(note, text, len);
	memcpy(note + len, "\n\n", 2);
	memcpy(note + len + 2, json_string_value(sig), slen + 1);
	free(text);
	rc = tfl_note_parse(&n, note, len + 2 + slen, v->err);
	if (rc == 0) {
		rc = tfl_note_verify(NULL, &n, signer, 1, v->err);
		tfl_note_release(&n);
	}
	free(note);
	if (rc != 0)
		return refail(v->err, "the statement's signature");
	out->signed_by_signer = 1;
	return 0;
}

static void
release(struct vs *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (v->ents != NULL)
			tfl_entry_free(v->ents[i].e);
		if (v->notes != NULL)
			tfl_note_release(&v->notes[i]);
	}
	free(v->ents);
	free(v->notes);
	free(v->keys);
	tfl__statement_donor_release(&v->r);
	json_decref(v->doc);
}

int
tfl_statement_verify(tfl_statement_check *out, const char *json,
    size_t len, const tfl_verifier *log_key, const tfl_verifier *signer,
    tfl_err *err)
{
	json_error_t jerr;
	struct vs v;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&v, 0, sizeof(v));
	v.log_key = log_key;
	v.err = err;
	v.doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v.doc == NULL)
		return tfl_err_set(err, TFL_EINVAL, "statement: not JSON: "
		    "line %d: %s", jerr.line, jerr.text);
	if (!json_is_object(v.doc) || str(v.doc, "version") == NULL ||
	    strcmp(str(v.doc, "version"), TFL_STATEMENT_VERSION) != 0)
		rc = tfl_err_set(err, TFL_EINVAL, "statement: not a \""
		    TFL_STATEMENT_VERSION "\" (member \"version\")");
	else if ((rc = check_checkpoint(&v)) == 0 &&
	    (rc = load_entries(&v)) == 0 &&
	    (rc = check_signatures(&v)) == 0 &&
	    (rc = recompute(&v)) == 0 && (rc = compare(&v)) == 0)
		rc = check_signature(&v, signer, out);
	if (rc == 0) {
		memcpy(out->number, v.r.number, sizeof(out->number));
		memcpy(out->donor, v.r.donor, sizeof(out->donor));
		out->size = v.cp.size;
		memcpy(out->root, v.cp.root, sizeof(out->root));
		out->nentries = v.n;
	}
	release(&v);
	return rc;
}
