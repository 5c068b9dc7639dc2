/*
 * unmap.c - tfl__unmap_around (internal.h).  Apart because it is not
 * POSIX: madvise's MADV_DONTNEED (posix_madvise's POSIX_MADV_DONTNEED is
 * only a hint, which glibc ignores) and /proc/self/maps, which says where
 * the mapping around a pointer begins and ends (LMDB does not: its
 * me_mapaddr is set only for MDB_FIXEDMAP).  Elsewhere it does nothing.
 */
#define _DEFAULT_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "internal.h"

void
tfl__unmap_around(const void *p)
{
#ifdef MADV_DONTNEED
	uintptr_t at = (uintptr_t)p;
	unsigned long long start, end;
	char line[512], perms[8];
	FILE *f;

	if (p == NULL || (f = fopen("/proc/self/maps", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* the kernel's own text; a line that does not scan is skipped */
		/* NOLINTNEXTLINE(cert-err34-c) */
		if (sscanf(line, "%llx-%llx %7s", &start, &end, perms) != 3 ||
		    at < start || at >= end)
			continue;
		/*
		 * Only a shared mapping ('s'): for a file's, the pages stay
		 * in the page cache; a private one would lose its data.
		 */
		if (perms[3] == 's')
			(void)madvise((void *)(uintptr_t)start,
			    (size_t)(end - start), MADV_DONTNEED);
		break;
	}
	fclose(f);
#else
	(void)p;
#endif
}
