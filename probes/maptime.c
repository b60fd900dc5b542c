// SPDX-License-Identifier: GPL-2.0
/*
 * maptime: how long it takes to mmap() PAGES pages and touch each one (a
 * one-byte store per page), and then to munmap() them, LOOPS times, for
 * each SOURCE in turn within every loop, so that a change of load on the
 * machine touches every source alike.  A SOURCE is a device node (a
 * MAP_SHARED mapping at offset 0) or "anon": MAP_PRIVATE | MAP_ANONYMOUS
 * without transparent huge pages (mmap_demo's buffer is 4 KiB pages, so
 * the baseline takes one 4 KiB page fault per page too).  Prints one line
 * per source, the median over the loops of each time, in nanoseconds of
 * CLOCK_MONOTONIC (a median, because a busy host stalls the guest now and
 * then): "src=SOURCE map_touch=NS unmap=NS".  A tool for `make bench`,
 * not a test.
 *   Usage: maptime PAGES LOOPS SOURCE...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOURCES	8

struct source {
	const char *name;
	int fd;			/* -1: anonymous memory */
	long long *map_touch;	/* ns, one per loop */
	long long *unmap;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(long long *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Loop @l: one mmap + touch + munmap of @len bytes of @s. */
static int cycle(struct source *s, size_t l, size_t len, size_t page)
{
	int flags = s->fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED;
	volatile char *map;
	long long t0, t1;
	size_t i;

	t0 = now_ns();
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, s->fd, 0);
	if (map == MAP_FAILED) {
		perror(s->name);
		return -1;
	}
	if (s->fd < 0 && madvise((void *)map, len, MADV_NOHUGEPAGE)) {
		perror("madvise");
		return -1;
	}
	for (i = 0; i < len; i += page)
		map[i] = (char)l;
	t1 = now_ns();
	s->map_touch[l] = t1 - t0;
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
		fprintf(stderr, "usage: %s PAGES LOOPS DEVICE|anon... (at most %d)\n",
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
		src[k].fd = -1;
		src[k].map_touch = calloc(loops, sizeof(long long));
		src[k].unmap = calloc(loops, sizeof(long long));
		if (!src[k].map_touch || !src[k].unmap)
			return 1;
		if (strcmp(src[k].name, "anon")) {
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
		printf("src=%s map_touch=%lld unmap=%lld\n", src[k].name,
		       median(src[k].map_touch, loops),
		       median(src[k].unmap, loops));
	return 0;
}
