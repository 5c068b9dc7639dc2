/*
 * fund.c - the fund state: the ledger's identity, its keys and their
 * roles, and the dispatch of each entry type to its rules.
 *
 * Records are fixed-layout structs copied in and out of the kv; they live
 * in one ledger's state database on one machine (LMDB files are not
 * portable across architectures either), and an audit rebuilds them from
 * the entries, which are the only portable form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fund_internal.h"

static const char *const role_names[] = { "admin", "approver", "recorder" };

/* Which role may sign each entry type (-1: none may). */
static const int type_roles[TFL_ENTRY_NTYPES] = {
	[TFL_ENTRY_GENESIS] = TFL_ROLE_ADMIN,
	[TFL_ENTRY_KEY_ENROLL] = TFL_ROLE_ADMIN,
	[TFL_ENTRY_KEY_REVOKE] = TFL_ROLE_ADMIN,
	[TFL_ENTRY_POLICY] = TFL_ROLE_ADMIN,
	[TFL_ENTRY_DONOR] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_GRANTEE] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_PLEDGE] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_PLEDGE_WRITEDOWN] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_RECEIPT] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_INTEREST] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_DONOR_REFUND] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_GRANT] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_DISBURSEMENT] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_EXPENDITURE] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_GRANTEE_REFUND] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_DEOBLIGATION] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_PSC] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_APPROVAL] = TFL_ROLE_APPROVER,
	[TFL_ENTRY_REVERSAL] = TFL_ROLE_RECORDER,
	[TFL_ENTRY_PERIOD_CLOSE] = TFL_ROLE_ADMIN,
};

int
tfl_role_find(const char *name)
{
	int r;

	for (r = 0; r < 3; r++)
		if (strcmp(role_names[r], name) == 0)
			return r;
	return -1;
}

const char *
tfl_role_name(int r)
{
	return r >= 0 && r < 3 ? role_names[r] : "none";
}

int
tfl_fund_type_role(int type)
{
	if (type < 0 || type >= TFL_ENTRY_NTYPES)
		return -1;
	return type_roles[type];
}

int
tfl__kv_get_fixed(tfl_kv *kv, const char *key, void *out, size_t size,
    tfl_err *err)
{
	void *val = NULL;
	size_t len = 0;
	int rc;

	if (kv->get_fixed != NULL)
		rc = kv->get_fixed(kv->ctx, key, out, size, &len, err);
	else if ((rc = kv->get(kv->ctx, key, &val, &len, err)) == 0 &&
	    len == size)
		memcpy(out, val, size);
	free(val);
	if (rc != 0)
		return rc;
	if (len != size)
		return tfl_err_set(err, TFL_EIO,
		    "state record \"%s\" has %zu bytes, expected %zu", key,
		    len, size);
	return 0;
}

int
tfl_fund_info_get(tfl_fund_info *out, tfl_kv *state, tfl_err *err)
{
	int rc = tfl__kv_get_fixed(state, "info", out, sizeof(*out), err);

	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "ledger has no genesis entry");
	return rc;
}

int
tfl_fund_key_get(tfl_fund_key *out, tfl_kv *state, const char *name,
    tfl_err *err)
{
	char key[16 + TFL_KEY_NAME_MAX];
	int rc;

	tfl__cat(key, sizeof(key), "key/", name, (char *)NULL);
	rc = tfl__kv_get_fixed(state, key, out, sizeof(*out), err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, rc, "key \"%s\": not enrolled", name);
	return rc;
}

int
tfl_fund_key_foreach(tfl_kv *state,
    int (*fn)(void *ctx, const tfl_fund_key *key), void *ctx, tfl_err *err)
{
	tfl_fund_key key;
	char *list = NULL, *p, *nl;
	size_t len;
	int rc;

	rc = state->get(state->ctx, "keys", (void **)&list, &len, err);
	if (rc == TFL_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	/* "keys" is the names in enrolment order, each ending in '\n'. */
	for (p = list; p < list + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(list + len - p));
		if (nl == NULL)
			break;
		*nl = '\0';
		rc = tfl_fund_key_get(&key, state, p, err);
		if (rc == 0)
			rc = fn(ctx, &key);
		if (rc != 0)
			break;
	}
	free(list);
	return rc;
}

static int
put_key(tfl_kv *kv, const tfl_fund_key *k, tfl_err *err)
{
	char key[16 + TFL_KEY_NAME_MAX];

	snprintf(key, sizeof(key), "key/%s", k->verifier.name);
	return kv->put(kv->ctx, key, k, sizeof(*k), err);
}

/* Enrol a new key: its name must never have been used. */
static int
enroll(tfl_kv *kv, const tfl_verifier *v, int role, uint64_t seq,
    tfl_err *err)
{
	tfl_fund_key k;
	char *list = NULL, *grown, hex[2 * TFL_ED25519_PUB_SIZE + 1];
	char pubkey[16 + sizeof(hex)];
	size_t len = 0, n = strlen(v->name);
	int rc;

	rc = tfl_fund_key_get(&k, kv, v->name, err);
	if (rc == 0)
		return tfl_err_set(err, TFL_ERULE,
		    "key \"%s\": name already enrolled at seq %llu", v->name,
		    (unsigned long long)k.enrolled_seq);
	if (rc != TFL_ENOTFOUND)
		return rc;
	/* One key, one name: else it could approve its own entries. */
	tfl__hex_encode(hex, v->pub, sizeof(v->pub));
	snprintf(pubkey, sizeof(pubkey), "keypub/%s", hex);
	rc = kv->get(kv->ctx, pubkey, (void **)&list, &len, err);
	if (rc == 0) {
		rc = tfl_err_set(err, TFL_ERULE, "key \"%s\": the same public "
		    "key is already enrolled as \"%s\"", v->name, list);
		free(list);
		return rc;
	}
	if (rc != TFL_ENOTFOUND ||
	    (rc = kv->put(kv->ctx, pubkey, v->name, n, err)) != 0)
		return rc;
	list = NULL;
	memset(&k, 0, sizeof(k));
	k.verifier = *v;
	k.role = role;
	k.enrolled_seq = seq;
	if ((rc = put_key(kv, &k, err)) != 0)
		return rc;
	rc = kv->get(kv->ctx, "keys", (void **)&list, &len, err);
	if (rc != 0 && rc != TFL_ENOTFOUND)
		return rc;
	if (rc == TFL_ENOTFOUND)
		len = 0;
	grown = realloc(list, len + n + 1);
	if (grown == NULL) {
		free(list);
		return tfl_err_set(err, TFL_ENOMEM, "out of memory");
	}
	memcpy(grown + len, v->name, n);
	grown[len + n] = '\n';
	rc = kv->put(kv->ctx, "keys", grown, len + n + 1, err);
	free(grown);
	return rc;
}

static int
count_admin(void *ctx, const tfl_fund_key *k)
{
	if (k->role == TFL_ROLE_ADMIN && !k->revoked)
		(*(int *)ctx)++;
	return 0;
}

static int
apply_genesis(tfl_kv *kv, const tfl_entry *e, const char *signer,
    tfl_err *err)
{
	tfl_fund_info info;
	const tfl_currency *cur;
	const char *admin = tfl_entry_get(e, "admin-key");
	const char *logk = tfl_entry_get(e, "log-key");
	int rc;

	rc = tfl_fund_info_get(&info, kv, err);
	if (rc == 0 || tfl_entry_seq(e) != 0)
		return tfl_err_set(err, TFL_ERULE,
		    "genesis: only entry 0 may be a genesis entry");
	if (rc != TFL_ENOTFOUND)
		return rc;
	memset(&info, 0, sizeof(info));
	snprintf(info.origin, sizeof(info.origin), "%s", tfl_entry_origin(e));
	snprintf(info.fund, sizeof(info.fund), "%s", tfl_entry_get(e, "fund"));
	if ((rc = tfl_currency_find(&cur, tfl_entry_get(e, "currency"),
	    err)) != 0 ||
	    (rc = tfl_verifier_parse(&info.admin_key, admin, strlen(admin),
	    err)) != 0 ||
	    (rc = tfl_verifier_parse(&info.log_key, logk, strlen(logk),
	    err)) != 0)
		return rc;
	info.currency = *cur;
	if (strcmp(signer, info.admin_key.name) != 0)
		return tfl_err_set(err, TFL_ERULE,
		    "genesis: signed by \"%s\", not by its admin key \"%s\"",
		    signer, info.admin_key.name);
	info.size = 1;
	info.last_time = tfl_entry_time(e);
	info.first_date = tfl__value_date(e);
	if ((rc = enroll(kv, &info.admin_key, TFL_ROLE_ADMIN, 0, err)) != 0)
		return rc;
	return kv->put(kv->ctx, "info", &info, sizeof(info), err);
}

int
tfl__fund_keys_apply(struct tfl__apply *a, tfl_err *err)
{
	tfl_verifier v;
	tfl_fund_key k;
	const char *s;
	int rc, admins = 0;

	if (tfl_entry_type(a->e) == TFL_ENTRY_KEY_ENROLL) {
		s = tfl_entry_get(a->e, "key");
		if ((rc = tfl_verifier_parse(&v, s, strlen(s), err)) != 0)
			return rc;
		return enroll(a->kv, &v,
		    tfl_role_find(tfl_entry_get(a->e, "role")),
		    tfl_entry_seq(a->e), err);
	}
	s = tfl_entry_get(a->e, "name");
	if ((rc = tfl_fund_key_get(&k, a->kv, s, err)) != 0)
		return rc == TFL_ENOTFOUND ? tfl_err_set(err, TFL_ERULE,
		    "key \"%s\": not enrolled", s) : rc;
	if (k.revoked)
		return tfl_err_set(err, TFL_ERULE,
		    "key \"%s\": already revoked at seq %llu", s,
		    (unsigned long long)k.revoked_seq);
	if ((rc = tfl_fund_key_foreach(a->kv, count_admin, &admins, err)) != 0)
		return rc;
	if (k.role == TFL_ROLE_ADMIN && admins <= 1)
		return tfl_err_set(err, TFL_ERULE,
		    "key \"%s\": the last admin key cannot be revoked", s);
	k.revoked = 1;
	k.revoked_seq = tfl_entry_seq(a->e);
	return put_key(a->kv, &k, err);
}

/* The header must continue the chain the state has seen. */
static int
check_header(const tfl_fund_info *info, const tfl_entry *e, tfl_err *err)
{
	if (tfl_entry_seq(e) != info->size)
		return tfl_err_set(err, TFL_ERULE,
		    "seq %llu: expected seq %llu",
		    (unsigned long long)tfl_entry_seq(e),
		    (unsigned long long)info->size);
	if (strcmp(tfl_entry_origin(e), info->origin) != 0)
		return tfl_err_set(err, TFL_ERULE,
		    "origin \"%.64s\": this ledger is \"%s\"",
		    tfl_entry_origin(e), info->origin);
	if (tfl_entry_time(e) < info->last_time)
		return tfl_err_set(err, TFL_ERULE,
		    "time is before the previous entry's: the clock went back");
	return 0;
}

/* The signer must be enrolled, not revoked, and hold the type's role. */
static int
check_signer(const tfl_fund_key *k, int type, tfl_err *err)
{
	if (k->revoked)
		return tfl_err_set(err, TFL_ERULE,
		    "key \"%s\": revoked at seq %llu", k->verifier.name,
		    (unsigned long long)k->revoked_seq);
	if (k->role != type_roles[type])
		return tfl_err_set(err, TFL_ERULE,
		    "key \"%s\" has role %s; %s entries need role %s",
		    k->verifier.name, tfl_role_name(k->role),
		    tfl_entry_type_name(type), tfl_role_name(type_roles[type]));
	return 0;
}

/* A value date may not be in the future nor in a closed period. */
static int
check_value_date(struct tfl__apply *a, tfl_err *err)
{
	const char *d = tfl_entry_get(a->e, "date");

	if (d == NULL)
		return 0;
	if (a->date > tfl_entry_time(a->e) / 86400)
		return tfl_err_set(err, TFL_ERULE, "date \"%s\": in the future",
		    d);
	return tfl__fund_check_date(a->kv, a->date, "date", err);
}

int
tfl_fund_apply(tfl_kv *state, const tfl_entry *e, const char *signer,
    const tfl_posting_sink *sink, tfl_err *err)
{
	struct tfl__apply a;
	tfl_fund_info info;
	tfl_fund_key key;
	int rc, type = tfl_entry_type(e);

	if (type == TFL_ENTRY_GENESIS)
		return apply_genesis(state, e, signer, err);
	if ((rc = tfl_fund_info_get(&info, state, err)) != 0 ||
	    (rc = check_header(&info, e, err)) != 0)
		return rc;
	rc = tfl_fund_key_get(&key, state, signer, err);
	if (rc == TFL_ENOTFOUND)
		return tfl_err_set(err, TFL_ERULE, "key \"%s\": not enrolled",
		    signer);
	if (rc != 0 || (rc = check_signer(&key, type, err)) != 0)
		return rc;
	memset(&a, 0, sizeof(a));
	a.kv = state;
	a.e = e;
	a.info = &info;
	a.signer = &key;
	a.sink = sink;
	a.by_seq = tfl_entry_seq(e);
	a.sign = 1;
	a.date = tfl__value_date(e);
	if ((rc = check_value_date(&a, err)) != 0 ||
	    (rc = tfl__fund_needs_approval(&a, e, err)) < 0)
		return rc;
	rc = rc > 0 ? tfl__fund_record_pending(&a, err) :
	    tfl__fund_effect(&a, e, err);
	if (rc != 0 || (rc = tfl__donor_index(state, e, err)) != 0)
		return rc;
	if (a.date < info.first_date)
		info.first_date = a.date;
	info.size++;
	info.last_time = tfl_entry_time(e);
	return state->put(state->ctx, "info", &info, sizeof(info), err);
}
