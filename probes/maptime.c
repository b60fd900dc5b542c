// SPDX-License-Identifier: GPL-2.0
/*
 * maptime: how long it takes to mmap() PAGES pages, store a byte to each
 * and munmap() them, and the minor faults that took, LOOPS times, for each
 * SOURCE in turn within every loop: a device node, "anon" or "anon-thp".
 * SOURCE@FILE=VALUE writes VALUE to FILE (a module parameter, say the
 * fault window) before each of that source's loops.  A tool for `make
 * bench`, not a test; docs/bench.md ("The timing tools") has the line it
 * prints.
 *   Usage: maptime PAGES LOOPS SOURCE[@FILE=VALUE]...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define MAX_SOURCES	12

struct source {
	char *name;		/* the node, or "anon" */
	char *file, *value;	/* written before each loop, if set */
	int fd;			/* -1: anonymous memory */
	bool thp;		/* anonymous, with transparent huge pages */
	long long *map_touch;	/* ns, one per loop */
	long long *unmap;
	long long *faults;	/* minor faults of the map and touch */
};

static long long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Write the source's parameter, if it has one. */
static int set_param(const struct source *s)
{
	FILE *f;
	int ok;

	if (!s->file)
		return 0;
	f = fopen(s->file, "w");
	if (!f) {
		perror(s->file);
		return -1;
	}
	ok = fputs(s->value, f) >= 0;
	ok = !fclose(f) && ok;
	if (!ok)
		fprintf(stderr, "%s: cannot write %s\n", s->file, s->value);
	return ok ? 0 : -1;
}

/*
 * Loop @l: one mmap + touch + munmap of @len bytes of @s.  The madvise() is
 * timed too: a node asks for huge mappings, as a program that wants them
 * does; "anon" refuses them, a fault per page as LDD3's nopage took.
 */
static int cycle(struct source *s, size_t l, size_t len, size_t page)
{
	int flags = s->fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED;
	volatile char *map;
	long long t0, t1, f0;
	size_t i;

	if (set_param(s))
		return -1;
	f0 = minor_faults();
	t0 = now_ns();
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, s->fd, 0);
	if (map == MAP_FAILED) {
		perror(s->name);
		return -1;
	}
	if (madvise((void *)map, len, s->fd < 0 && !s->thp ? MADV_NOHUGEPAGE : MADV_HUGEPAGE)) {
		fprintf(stderr, "%s: madvise: %s\n", s->name, strerror(errno));
		return -1;
	}
	for (i = 0; i < len; i += page)
		map[i] = (char)l;
	t1 = now_ns();
	s->map_touch[l] = t1 - t0;
	s->faults[l] = minor_faults() - f0;
	if (munmap((void *)map, len)) {
		perror("munmap");
		return -1;
	}
	s->unmap[l] = now_ns() - t1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t page = sysconf(_SC_PAGESIZE), pages, loops, l;
	struct source src[MAX_SOURCES] = { 0 };
	int n = argc - 3, k;

	if (argc < 4 || n > MAX_SOURCES) {
		fprintf(stderr, "usage: %s PAGES LOOPS DEVICE[@FILE=VALUE]|anon... (at most %d)\n",
			argv[0], MAX_SOURCES);
		return 2;
	}
	pages = strtoul(argv[1], NULL, 0);
	loops = strtoul(argv[2], NULL, 0);
	if (!pages || !loops) {
		fprintf(stderr, "%s: PAGES and LOOPS must be positive\n", argv[0]);
		return 2;
	}
	for (k = 0; k < n; k++) {
		src[k].name = argv[k + 3];
		src[k].file = strchr(src[k].name, '@');
		if (src[k].file) {
			*src[k].file++ = '\0';
			src[k].value = strchr(src[k].file, '=');
			if (!src[k].value) {
				fprintf(stderr, "%s: no =VALUE after @%s\n", argv[0], src[k].file);
				return 2;
			}
			*src[k].value++ = '\0';
		}
		src[k].fd = -1;
		src[k].map_touch = calloc(loops, sizeof(long long));
		src[k].unmap = calloc(loops, sizeof(long long));
		src[k].faults = calloc(loops, sizeof(long long));
		if (!src[k].map_touch || !src[k].unmap || !src[k].faults)
			return 1;
		src[k].thp = !strcmp(src[k].name, "anon-thp");
		if (strcmp(src[k].name, "anon") && !src[k].thp) {
			src[k].fd = open(src[k].name, O_RDWR);
			if (src[k].fd < 0) {
				perror(src[k].name);
				return 1;
			}
		}
	}

	/* Each loop starts with the next source: none always comes first. */
	for (l = 0; l < loops; l++)
		for (k = 0; k < n; k++)
			if (cycle(&src[(l + k) % n], l, pages * page, page))
				return 1;

	for (k = 0; k < n; k++)
		printf("src=%s%s%s page=%zu map_touch=%lld unmap=%lld faults=%lld\n",
		       src[k].name, src[k].file ? "@" : "",
		       src[k].file ? src[k].value : "", page,
		       median_ll(src[k].map_touch, loops), median_ll(src[k].unmap, loops),
		       median_ll(src[k].faults, loops));
	return 0;
}
