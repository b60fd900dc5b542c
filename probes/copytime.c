// SPDX-License-Identifier: GPL-2.0
/*
 * copytime: how long an O_DIRECT pwrite() of SIZE bytes of a driver's
 * buffer to BLOCKDEV takes, zero-copy (straight from the buffer's mapping:
 * the block layer pins the mapped pages) and copying (the bytes first
 * copied into an ordinary user buffer), each SOURCE in turn within every
 * one of LOOPS loops.  A tool for `make bench`, not a test; docs/bench.md
 * ("The timing tools") has its sources and the line it prints.
 *   Usage: copytime BLOCKDEV SIZE LOOPS SOURCE...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#include "uapi/dma_demo.h"
#include "uapi/vmalloc_demo.h"

#define MAX_SOURCES	4

struct source {
	const char *name;
	int node;		/* the device node */
	int buf;		/* what is mapped: the node or a dma-buf */
	int dmabuf;
	unsigned char *map;
	long long *zero, *copy;	/* ns, one per loop */
	ssize_t zero_moved;	/* the fewest bytes one loop wrote */
	ssize_t copy_moved;
};

static int short_transfers;

static int die(const char *what)
{
	perror(what);
	return -1;
}

/* A dma-buf's CPU access is bracketed by DMA_BUF_IOCTL_SYNC. */
static int sync_buf(const struct source *s, __u64 when)
{
	struct dma_buf_sync sync = { .flags = when | DMA_BUF_SYNC_READ };

	return s->dmabuf ? ioctl(s->buf, DMA_BUF_IOCTL_SYNC, &sync) : 0;
}

/* Open, export or allocate, and map @size bytes of source @s. */
static int open_source(struct source *s, size_t size)
{
	const char *node = strncmp(s->name, "dma_demo", 8) ? "/dev/vmalloc_demo" :
							     "/dev/dma_demo0";

	s->node = open(node, O_RDWR);
	if (s->node < 0)
		return die(node);
	s->buf = s->node;
	s->dmabuf = !!strstr(s->name, "-dmabuf");
	if (s->dmabuf && !strcmp(node, "/dev/dma_demo0")) {
		struct dma_demo_alloc a = { .size = size, .flags = O_RDWR | O_CLOEXEC };

		if (ioctl(s->node, DMA_DEMO_IOC_ALLOC_DMABUF, &a))
			return die("DMA_DEMO_IOC_ALLOC_DMABUF");
		s->buf = a.fd;
	} else if (s->dmabuf) {
		struct vmalloc_demo_export e = { .flags = O_RDWR | O_CLOEXEC };

		if (ioctl(s->node, VMALLOC_DEMO_IOCEXPORT, &e))
			return die("VMALLOC_DEMO_IOCEXPORT");
		s->buf = e.fd;
	} else if (strcmp(s->name, "vmalloc_demo")) {
		fprintf(stderr, "unknown source %s\n", s->name);
		return -1;
	}
	s->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, s->buf, 0);
	if (s->map == MAP_FAILED)
		return die(s->name);
	memset(s->map, 0x5a, size);	/* every page present, and not zero */
	return 0;
}

/* @s's @way wrote @done of @size bytes: the fewer, the fewer it counts. */
static void moved(const struct source *s, const char *way, ssize_t done,
		  size_t size, ssize_t *fewest)
{
	if (done < (ssize_t)size) {
		fprintf(stderr, "copytime: %s: %s moved %zd of %zu bytes\n",
			s->name, way, done, size);
		short_transfers++;
	}
	if (done < *fewest)
		*fewest = done;
}

/* Loop @l of source @s: one zero-copy write and one copying write. */
static int cycle(struct source *s, size_t l, size_t size, int blk, void *bounce)
{
	ssize_t done, got = size;
	long long t0 = now_ns();

	if (sync_buf(s, DMA_BUF_SYNC_START))
		return die("DMA_BUF_IOCTL_SYNC");
	done = pwrite(blk, s->map, size, 0);
	if (done < 0 || sync_buf(s, DMA_BUF_SYNC_END))
		return die("zero-copy write");
	s->zero[l] = now_ns() - t0;
	moved(s, "zero-copy", done, size, &s->zero_moved);

	t0 = now_ns();
	if (s->dmabuf) {	/* no read(): a copy out of its mapping */
		if (sync_buf(s, DMA_BUF_SYNC_START))
			return die("DMA_BUF_IOCTL_SYNC");
		memcpy(bounce, s->map, size);
		if (sync_buf(s, DMA_BUF_SYNC_END))
			return die("DMA_BUF_IOCTL_SYNC");
	} else {
		got = pread(s->node, bounce, size, 0);
		if (got < 0)
			return die("read");
	}
	done = pwrite(blk, bounce, got, 0);
	if (done < 0)
		return die("copying write");
	s->copy[l] = now_ns() - t0;
	moved(s, "copy", done, size, &s->copy_moved);
	return 0;
}

int main(int argc, char **argv)
{
	struct source src[MAX_SOURCES] = { 0 };
	size_t size, loops, l;
	int n = argc - 4, k, blk;
	void *bounce;

	if (argc < 5 || n > MAX_SOURCES) {
		fprintf(stderr, "usage: %s BLOCKDEV SIZE LOOPS SOURCE... (at most %d)\n",
			argv[0], MAX_SOURCES);
		return 2;
	}
	size = strtoul(argv[2], NULL, 0);
	loops = strtoul(argv[3], NULL, 0);
	if (!size || !loops || size % sysconf(_SC_PAGESIZE)) {
		fprintf(stderr, "%s: SIZE must be whole pages, LOOPS positive\n", argv[0]);
		return 2;
	}
	blk = open(argv[1], O_RDWR | O_DIRECT);
	if (blk < 0)
		return die(argv[1]) ? 1 : 1;
	bounce = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (bounce == MAP_FAILED)
		return die("mmap") ? 1 : 1;
	for (k = 0; k < n; k++) {
		src[k].name = argv[k + 4];
		src[k].zero = calloc(loops, sizeof(long long));
		src[k].copy = calloc(loops, sizeof(long long));
		src[k].zero_moved = src[k].copy_moved = SSIZE_MAX;
		if (!src[k].zero || !src[k].copy || open_source(&src[k], size))
			return 1;
	}

	/* Each loop starts with the next source: none always comes first. */
	for (l = 0; l < loops; l++)
		for (k = 0; k < n; k++)
			if (cycle(&src[(l + k) % n], l, size, blk, bounce))
				return 1;

	for (k = 0; k < n; k++) {
		printf("src=%s way=zero-copy bytes=%zu ns=%lld moved=%zd\n", src[k].name,
		       size, median_ll(src[k].zero, loops), src[k].zero_moved);
		printf("src=%s way=copy bytes=%zu ns=%lld moved=%zd\n", src[k].name,
		       size, median_ll(src[k].copy, loops), src[k].copy_moved);
	}
	return short_transfers ? 3 : 0;	/* 3: a write was short */
}
