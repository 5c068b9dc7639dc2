/*
 * tool_chaos.c - crashes, power cuts and signals for the reliability
 * tests (tests/cli/test_reliability.sh and tests/cli/long/).  Each mode
 * runs CMD as its child and ends with one report line on stdout,
 * starting "chaos:", after CMD's own output.
 *
 *	tool_chaos kill MIN MAX CMD...
 *		SIGKILL CMD after a random delay of MIN to MAX microseconds
 *		(unless it exited first): "chaos: killed after D us" or
 *		"chaos: exit N after D us, ran R us".  MIN == MAX replays
 *		a delay.
 *	tool_chaos snap N MIN MAX LEDGER OUT CMD...
 *		Run CMD in a process group of its own and, N times at
 *		random intervals of MIN to MAX microseconds while it runs,
 *		freeze the whole group (SIGSTOP, then wait until every
 *		member is stopped), copy LEDGER/data.mdb to OUT.K/ and
 *		LEDGER/data.mdb with LEDGER/lock.mdb to OUT.K-lock/, and let
 *		the group go on (SIGCONT).  A frozen file is what a power cut
 *		at that instant leaves of what reached the kernel.  For each,
 *		"chaos-snap: K file F meta M": F bytes copied, M reached by
 *		the newer meta page (F > M: frozen inside a commit, its pages
 *		written and its meta page not yet); at the end "chaos: K
 *		snapshots, exit N".
 *	tool_chaos abort CMD...
 *		Run CMD with the core-size limit raised to its hard limit,
 *		wait until CMD has lowered it to 0 itself (a tfledger about
 *		to read a passphrase), then SIGABRT it: "chaos: core dumped"
 *		or "chaos: no core".  Exit 3 if CMD never lowered it, 4 if
 *		the hard limit is 0 (nothing to prove).
 *	tool_chaos abort-control
 *		The same SIGABRT to a child that keeps dumping enabled: does
 *		this system write core dumps at all?
 *	tool_chaos meta LEDGER
 *		"map M used U": the map size and the bytes in use that the
 *		newer meta page of LEDGER/data.mdb records.
 *
 * The random delays come from /dev/urandom; each is reported, so that a
 * failure can be replayed.  Usage errors exit 2.  CHAOS_DEBUG=1 names
 * the members of a group that take long to stop.
 */
#define _DEFAULT_SOURCE /* dirent d_name, setpgid, nanosleep */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t frozen; /* a process group that die() must not leave stopped */

/* "tool_chaos: what: arg" (arg may be NULL), exit 2. */
static void
die(const char *what, const char *arg)
{
	if (frozen > 0) {
		kill(-frozen, SIGKILL);
		kill(-frozen, SIGCONT);
	}
	fprintf(stderr, "tool_chaos: %s%s%s\n", what, arg != NULL ? ": " : "",
	    arg != NULL ? arg : "");
	exit(2);
}

static unsigned long
num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0')
		die("bad number", s);
	return v;
}

/* A random value in [lo, hi]. */
static unsigned long
pick(unsigned long lo, unsigned long hi)
{
	uint32_t r = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		r = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	if (fd >= 0)
		close(fd);
	if (hi <= lo)
		return lo;
	return lo + (unsigned long)(r % (uint32_t)(hi - lo + 1));
}

static void
sleep_us(unsigned long us)
{
	struct timespec ts = { (time_t)(us / 1000000),
		(long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Fork and exec argv; in its own process group when group, with the core
 * size limit raised to its hard limit when core.  Returns once the child
 * has exec'd (or failed to): the read end of a close-on-exec pipe sees
 * end of file then.
 */
static pid_t
spawn(char **argv, int group, int core)
{
	struct rlimit rl;
	int fds[2];
	char c;
	pid_t pid;

	if (pipe(fds) != 0)
		die("pipe", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid > 0) {
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		close(fds[0]);
		return pid;
	}
	close(fds[0]);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	if (group)
		setpgid(0, 0);
	if (core && getrlimit(RLIMIT_CORE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_CORE, &rl);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "tool_chaos: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int
mode_kill(int argc, char **argv)
{
	struct timespec t0, t1;
	unsigned long d;
	pid_t pid;
	int status, i;

	if (argc < 3)
		die("usage: kill MIN MAX CMD...", NULL);
	d = pick(num(argv[0]), num(argv[1]));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = spawn(argv + 2, 0, 0);
	/* Poll, so that a command that ends early is not waited out. */
	for (i = 0; (unsigned long)i * 1000 < d; i++) {
		sleep_us(d - (unsigned long)i * 1000 < 1000 ?
		    d - (unsigned long)i * 1000 : 1000);
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto done;
	}
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid", strerror(errno));
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fflush(stdout);
	if (WIFSIGNALED(status))
		printf("chaos: killed after %lu us\n", d);
	else
		printf("chaos: exit %d after %lu us, ran %lld us\n",
		    WEXITSTATUS(status), d,
		    (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000);
	return 0;
}

/*
 * State letter, process group and whether it is a shell, from
 * /proc/PID/stat; 0 when gone.
 */
static char
proc_state(const char *pid, long *pgrp, int *shell)
{
	char path[64], buf[512], *p, *q;
	FILE *f;
	size_t n;
	char st;
	long ppid;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses. */
	if ((p = strrchr(buf, ')')) == NULL || (q = strchr(buf, '(')) == NULL ||
	    sscanf(p + 1, " %c %ld %ld", &st, &ppid, pgrp) != 3)
		return 0;
	*p = '\0';
	*shell = strcmp(q + 1, "sh") == 0 || strcmp(q + 1, "dash") == 0 ||
	    strcmp(q + 1, "bash") == 0;
	return st;
}

/*
 * 1 when every live member of process group pgid is stopped, shells
 * aside: a shell that vfork()ed a child we stopped before its exec sits
 * in an uninterruptible wait ("D") until the child goes on, and shells
 * never write the ledger.
 */
static int
all_stopped(pid_t pgid)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	long pgrp;
	char st;
	int ok = 1, shell = 0;

	if (d == NULL)
		die("/proc", strerror(errno));
	while (ok && (de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		st = proc_state(de->d_name, &pgrp, &shell);
		if (st != 0 && pgrp == (long)pgid && !shell && st != 'T' &&
		    st != 't' && st != 'Z' && st != 'X') {
			ok = 0;
			if (getenv("CHAOS_DEBUG") != NULL)
				fprintf(stderr, "pid %s state %c\n", de->d_name,
				    st);
		}
	}
	closedir(d);
	return ok;
}

/* Copy file from to to (a missing from is fine when optional). */
static void
copy_file(const char *from, const char *to, int optional)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	if ((in = open(from, O_RDONLY)) < 0) {
		if (optional && errno == ENOENT)
			return;
		die("open", from);
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		die("create", to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write", to);
	if (n < 0)
		die("read", from);
	close(in);
	close(out);
}

/*
 * How far the newer meta page of data.mdb at path reaches in bytes ((its
 * last page + 1) x page size), or 0 when the layout is not the expected
 * one: LMDB 0.9 on 64 bits puts a 16-byte page header, then MDB_meta
 * (magic, version, address, map size, two 48-byte MDB_db, the first of
 * whose md_pad holds the page size; then last_pg, txnid) on pages 0, 1.
 */
static uint64_t
meta_reach(const char *path, uint64_t *mapsize)
{
	unsigned char p[2][160];
	uint32_t magic, psize = 0;
	uint64_t last[2], txn[2], map[2];
	int fd, i, ok = 1;

	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	for (i = 0; i < 2 && ok; i++) {
		ok = pread(fd, p[i], sizeof(p[i]), (off_t)i * psize) ==
		    (ssize_t)sizeof(p[i]);
		memcpy(&magic, p[i] + 16, 4);
		if (i == 0)
			memcpy(&psize, p[i] + 40, 4);
		ok = ok && magic == 0xBEEFC0DEu && psize >= 512;
		memcpy(&map[i], p[i] + 32, 8);
		memcpy(&last[i], p[i] + 136, 8);
		memcpy(&txn[i], p[i] + 144, 8);
	}
	close(fd);
	if (!ok)
		return 0;
	i = txn[1] > txn[0];
	if (mapsize != NULL)
		*mapsize = map[i];
	return (last[i] + 1) * psize;
}

/* Snapshot k of ledger: data.mdb alone, and with lock.mdb. */
static void
snapshot(const char *ledger, const char *out, int k)
{
	char from[4096], to[4200], d1[4096], d2[4096];
	struct stat st;

	snprintf(d1, sizeof(d1), "%s.%d", out, k);
	snprintf(d2, sizeof(d2), "%s.%d-lock", out, k);
	if (mkdir(d1, 0700) != 0 || mkdir(d2, 0700) != 0)
		die("mkdir", d1);
	snprintf(from, sizeof(from), "%s/data.mdb", ledger);
	snprintf(to, sizeof(to), "%s/data.mdb", d1);
	copy_file(from, to, 0);
	if (stat(to, &st) == 0)
		printf("chaos-snap: %d file %lld meta %llu\n", k,
		    (long long)st.st_size,
		    (unsigned long long)meta_reach(to, NULL));
	snprintf(to, sizeof(to), "%s/data.mdb", d2);
	copy_file(from, to, 0);
	snprintf(from, sizeof(from), "%s/lock.mdb", ledger);
	snprintf(to, sizeof(to), "%s/lock.mdb", d2);
	copy_file(from, to, 1);
}

static int
mode_snap(int argc, char **argv)
{
	unsigned long n, lo, hi, waited;
	pid_t pid;
	int status = 0, k = 0, done = 0;

	if (argc < 6)
		die("usage: snap N MIN MAX LEDGER OUT CMD...", NULL);
	n = num(argv[0]);
	lo = num(argv[1]);
	hi = num(argv[2]);
	pid = spawn(argv + 5, 1, 0);
	setpgid(pid, pid); /* as the child does: no race on who is first */
	frozen = pid;
	while ((unsigned long)k < n && !done) {
		sleep_us(pick(lo, hi));
		if (waitpid(pid, &status, WNOHANG) == pid) {
			done = 1;
			break;
		}
		kill(-pid, SIGSTOP);
		for (waited = 0; !all_stopped(pid); waited++) {
			if (waited > 5000)
				die("the group did not stop in 5 s", NULL);
			sleep_us(1000);
		}
		snapshot(argv[3], argv[4], ++k);
		kill(-pid, SIGCONT);
	}
	if (!done && waitpid(pid, &status, 0) != pid)
		die("waitpid", strerror(errno));
	fflush(stdout);
	printf("chaos: %d snapshots, exit %d\n", k,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

/* The soft "Max core file size" of pid, or -1 (unlimited or gone). */
static long
core_limit(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long v = -1;

	snprintf(path, sizeof(path), "/proc/%ld/limits", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Max core file size", 18) == 0 &&
		    sscanf(line + 18, " %ld", &v) != 1)
			v = -1;
	fclose(f);
	return v;
}

static int
report_abort(pid_t pid)
{
	int status;

	kill(pid, SIGABRT);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid", strerror(errno));
	fflush(stdout);
	if (!WIFSIGNALED(status)) {
		printf("chaos: exit %d before the signal\n",
		    WEXITSTATUS(status));
		return 3;
	}
	printf("chaos: %s\n", WCOREDUMP(status) ? "core dumped" : "no core");
	return 0;
}

static int
mode_abort(int argc, char **argv)
{
	pid_t pid;
	int i, status;

	struct rlimit rl;

	if (argc < 1)
		die("usage: abort CMD...", NULL);
	if (getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_max == 0) {
		printf("chaos: the hard core limit is 0 already\n");
		return 4;
	}
	pid = spawn(argv, 0, 1);
	for (i = 0; core_limit(pid) != 0; i++) {
		if (i > 5000 || waitpid(pid, &status, WNOHANG) == pid) {
			if (i <= 5000)
				printf("chaos: exit before lowering the "
				    "core limit\n");
			else
				kill(pid, SIGKILL);
			return 3;
		}
		sleep_us(1000);
	}
	/* The dumpable flag is cleared right after the limit. */
	sleep_us(100000);
	return report_abort(pid);
}

static int
mode_abort_control(void)
{
	struct rlimit rl;
	pid_t pid = fork();

	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		if (getrlimit(RLIMIT_CORE, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_CORE, &rl);
		}
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		for (;;)
			pause();
	}
	sleep_us(100000);
	return report_abort(pid);
}

static int
mode_meta(int argc, char **argv)
{
	char path[4200];
	uint64_t used, map = 0;

	if (argc != 1)
		die("usage: meta LEDGER", NULL);
	snprintf(path, sizeof(path), "%s/data.mdb", argv[0]);
	if ((used = meta_reach(path, &map)) == 0)
		die("not an LMDB data file", path);
	printf("map %llu used %llu\n", (unsigned long long)map,
	    (unsigned long long)used);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: kill|snap|abort|abort-control|meta ...", NULL);
	if (strcmp(argv[1], "kill") == 0)
		return mode_kill(argc - 2, argv + 2);
	if (strcmp(argv[1], "snap") == 0)
		return mode_snap(argc - 2, argv + 2);
	if (strcmp(argv[1], "abort") == 0)
		return mode_abort(argc - 2, argv + 2);
	if (strcmp(argv[1], "abort-control") == 0)
		return mode_abort_control();
	if (strcmp(argv[1], "meta") == 0)
		return mode_meta(argc - 2, argv + 2);
	die("unknown mode", argv[1]);
	return 2;
}
