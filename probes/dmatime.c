// SPDX-License-Identifier: GPL-2.0
/*
 * dmatime: how long /dev/dma_demo0 takes to move BYTES bytes to the device
 * and back (a pwrite() then a pread() at offset 0, the data checked),
 * LOOPS times, for each buffer STRATEGY (one open file each) in turn
 * within every loop.  A tool for `make bench`, which `make check` runs as
 * a test as well; docs/bench.md ("The timing tools") has the line it
 * prints.
 *   Usage: dmatime BYTES LOOPS coherent|streaming|direct...
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"
#include "uapi/dma_demo.h"

static const char *const names[DMA_DEMO_NR_STRATEGIES] = {
	[DMA_DEMO_COHERENT] = "coherent",
	[DMA_DEMO_STREAMING] = "streaming",
	[DMA_DEMO_DIRECT] = "direct",
};

struct strategy {
	__u32 id;
	int fd;
	long long *write;	/* ns, one per loop */
	long long *read;
	ssize_t write_bytes;	/* the fewest one loop moved */
	ssize_t read_bytes;
};

static int short_transfers;

static int open_strategy(struct strategy *s, const char *name, size_t loops)
{
	s->write = calloc(loops, sizeof(long long));
	s->read = calloc(loops, sizeof(long long));
	if (!s->write || !s->read)
		return -1;
	s->write_bytes = s->read_bytes = SSIZE_MAX;
	for (s->id = 0; s->id < DMA_DEMO_NR_STRATEGIES; s->id++)
		if (!strcmp(name, names[s->id]))
			break;
	if (s->id == DMA_DEMO_NR_STRATEGIES) {
		fprintf(stderr, "dmatime: no strategy %s\n", name);
		return -1;
	}
	s->fd = open("/dev/dma_demo0", O_RDWR);
	if (s->fd < 0 || ioctl(s->fd, DMA_DEMO_IOC_SET_STRATEGY, &s->id)) {
		perror("/dev/dma_demo0");
		return -1;
	}
	return 0;
}

/* @what of @s moved @done of @bytes: the fewer it moved, the fewer it counts. */
static void moved(const struct strategy *s, const char *what, ssize_t done,
		  size_t bytes, ssize_t *fewest)
{
	if (done < (ssize_t)bytes) {
		fprintf(stderr, "dmatime: %s: %s moved %zd of %zu bytes\n",
			names[s->id], what, done, bytes);
		short_transfers++;
	}
	if (done < *fewest)
		*fewest = done;
}

/*
 * Loop @l: write @bytes of @out to the device, read them into @in, compare
 * what came back.
 */
static int round_trip(struct strategy *s, size_t l, unsigned char *out,
		      unsigned char *in, size_t bytes)
{
	ssize_t wrote, got;
	long long t0, t1;

	t0 = now_ns();
	wrote = pwrite(s->fd, out, bytes, 0);
	if (wrote < 0) {
		perror("pwrite");
		return -1;
	}
	t1 = now_ns();
	got = pread(s->fd, in, bytes, 0);
	if (got < 0) {
		perror("pread");
		return -1;
	}
	s->read[l] = now_ns() - t1;
	s->write[l] = t1 - t0;
	moved(s, "pwrite", wrote, bytes, &s->write_bytes);
	moved(s, "pread", got, bytes, &s->read_bytes);
	if (memcmp(in, out, got < wrote ? got : wrote)) {
		fprintf(stderr, "dmatime: %s: the data read back differs\n",
			names[s->id]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct strategy st[DMA_DEMO_NR_STRATEGIES] = { 0 };
	int n = argc - 3, k;
	unsigned char *out, *in;
	size_t bytes, loops, l;

	if (argc < 4 || n > DMA_DEMO_NR_STRATEGIES) {
		fprintf(stderr, "usage: %s BYTES LOOPS coherent|streaming|direct...\n",
			argv[0]);
		return 2;
	}
	bytes = strtoul(argv[1], NULL, 0);
	loops = strtoul(argv[2], NULL, 0);
	if (!bytes || bytes > DMA_DEMO_DEV_SIZE || !loops) {
		fprintf(stderr, "%s: BYTES must be 1 to %d, LOOPS positive\n",
			argv[0], DMA_DEMO_DEV_SIZE);
		return 2;
	}
	for (k = 0; k < n; k++)
		if (open_strategy(&st[k], argv[k + 3], loops))
			return 1;
	/* Page-aligned, so that the direct strategy moves one segment. */
	if (posix_memalign((void **)&out, DMA_DEMO_DEV_SIZE, DMA_DEMO_DEV_SIZE) ||
	    posix_memalign((void **)&in, DMA_DEMO_DEV_SIZE, DMA_DEMO_DEV_SIZE))
		return 1;

	/* Each loop starts with the next strategy: none always comes first. */
	for (l = 0; l < loops; l++) {
		pattern_fill(out, bytes, 0, l + 1);
		for (k = 0; k < n; k++)
			if (round_trip(&st[(l + k) % n], l, out, in, bytes))
				return 1;
	}

	for (k = 0; k < n; k++)
		printf("strategy=%s write=%lld read=%lld write_bytes=%zd read_bytes=%zd\n",
		       names[st[k].id], median_ll(st[k].write, loops),
		       median_ll(st[k].read, loops), st[k].write_bytes, st[k].read_bytes);
	return short_transfers ? 3 : 0;	/* 3: a transfer was short */
}
