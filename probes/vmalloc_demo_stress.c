// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo stress: processes, each with two threads, use one buffer at
 * once for a bounded time: writes, reads, seeks, both ioctls, mmaps and
 * munmaps, and resizes.  Resizes only move the buffer's end between the
 * loaded size and a few pages more, so every worker's region (inside the
 * loaded size) survives them: a read of it must give exactly the worker's
 * last block, through read(2) and through a mapping.  A resize while any
 * mapping lives must fail with EBUSY; so must an mmap during a resize.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "workers.h"
#include "vmalloc_demo_ioctl.h"

#define DEV		"/dev/vmalloc_demo"
#define PROCS		3
#define THREADS		2
#define WORKERS		(PROCS * THREADS)
#define SECONDS		2
#define MIN_OPS		60	/* per worker */
#define EXTRA_PAGES	4	/* how far past the loaded size resizes go */
#define MAX_REGION	(32 << 10)	/* bytes per worker, or one page */

struct result {
	long ops, bad, resizes, busy, maps;
	unsigned int gen;	/* seed of the worker's last block */
};

static size_t size, region;	/* loaded size; bytes per worker */

static void bad(struct result *res, const char *what, int id)
{
	if (!res->bad++)
		fprintf(stderr, "# worker %d: %s (%s)\n", id, what, strerror(errno));
}

/* Map my region, write a new block, see it there; store, see it by read. */
static void map_and_check(int fd, int id, off_t base, unsigned char *blk,
			  unsigned char *got, struct result *res)
{
	unsigned char *map = mmap(NULL, region, PROT_READ | PROT_WRITE,
				  MAP_SHARED, fd, base);

	if (map == MAP_FAILED) {
		if (errno == EBUSY)	/* a resize is replacing the buffer */
			res->busy++;
		else
			bad(res, "mmap", id);
		return;
	}
	res->maps++;
	if (memcmp(map, blk, region))
		bad(res, "mapping shows another block", id);
	pattern_fill(blk, region, base, ++res->gen);
	if (pwrite(fd, blk, region, base) != (ssize_t)region || memcmp(map, blk, region))
		bad(res, "write not seen through the mapping", id);
	pattern_fill(blk, region, base, ++res->gen);
	memcpy(map, blk, region);
	if (pread(fd, got, region, base) != (ssize_t)region || memcmp(got, blk, region))
		bad(res, "store through the mapping not seen by read", id);
	munmap(map, region);
}

/* Worker @id of the shared results array @all. */
static void worker(int id, void *all)
{
	struct result *res = (struct result *)all + id;
	int fd = open(DEV, O_RDWR);
	off_t base = (off_t)id * region;
	unsigned int seed = id * 7919 + 1;
	unsigned char *blk = malloc(region), *got = malloc(region);
	struct vmalloc_demo_info info;
	time_t end = time(NULL) + SECONDS;

	if (fd < 0 || !blk || !got) {
		bad(res, "setup", id);
		return;
	}
	/* First my block, so that every later read can be checked. */
	res->gen = id * 1000000 + 1;
	pattern_fill(blk, region, base, res->gen);
	if (pwrite(fd, blk, region, base) != (ssize_t)region)
		bad(res, "first write", id);
	/* A few dozen operations at least, however slow the host: every kind runs. */
	while (res->ops < MIN_OPS || time(NULL) < end) {
		off_t off;

		res->ops++;
		switch (rand_r(&seed) % 7) {
		case 0:	/* write my block */
			pattern_fill(blk, region, base, ++res->gen);
			if (pwrite(fd, blk, region, base) != (ssize_t)region)
				bad(res, "write", id);
			break;
		case 1:	/* read it back, in full or from an odd place */
			off = rand_r(&seed) % region;
			if (pread(fd, got, region - off, base + off) != (ssize_t)(region - off) ||
			    memcmp(got, blk + off, region - off))
				bad(res, "read", id);
			break;
		case 2:
			map_and_check(fd, id, base, blk, got, res);
			break;
		case 3:	/* resize: the end moves, my region stays */
			if (!resize(fd, size + (rand_r(&seed) % (EXTRA_PAGES + 1)) * page_size))
				res->resizes++;
			else if (errno == EBUSY)
				res->busy++;
			else
				bad(res, "resize", id);
			break;
		case 4:	/* seek by the file position, then read through it */
			off = rand_r(&seed) % region;
			if (lseek(fd, base + off, SEEK_SET) != base + off ||
			    read(fd, got, 1) != 1 || got[0] != blk[off])
				bad(res, "lseek and read", id);
			break;
		case 5:	/* the end is somewhere a resize may put it */
			off = lseek(fd, 0, SEEK_END);
			if (off < (off_t)size || off > (off_t)(size + EXTRA_PAGES * page_size) ||
			    off % page_size)
				bad(res, "SEEK_END", id);
			break;
		case 6:
			if (ioctl(fd, VMALLOC_DEMO_IOCINFO, &info) ||
			    info.size < size || info.size > size + EXTRA_PAGES * page_size ||
			    info.pages * page_size != info.size ||
			    info.runs < 1 || info.runs > info.pages ||
			    info.mappings > WORKERS)
				bad(res, "ioctl(INFO)", id);
			break;
		}
	}
	close(fd);
	free(blk);
	free(got);
}

TEST(processes_and_threads)
{
	struct result *all = shared_memory(sizeof(*all) * WORKERS);
	struct result sum = { 0 };
	struct vmalloc_demo_info info;
	unsigned char *got;
	int t, fd;

	size = param_size();
	ASSERT_LT(0, size) TH_LOG("is vmalloc_demo loaded?");
	/*
	 * Page-aligned regions, so that each worker can map its own: at most
	 * MAX_REGION in whole pages, or one page where pages are larger.
	 */
	region = size / WORKERS / page_size * page_size;
	if (region > MAX_REGION)
		region = MAX_REGION < page_size ? page_size :
						  MAX_REGION / page_size * page_size;
	if (!region)
		SKIP(return, "buffer under %d pages", WORKERS);
	ASSERT_NE(MAP_FAILED, all);
	memset(all, 0, sizeof(*all) * WORKERS);
	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, resize(fd, size));

	EXPECT_EQ(0, run_workers(PROCS, THREADS, worker, all));

	/* Afterwards: no mapping left, and every region holds its last block. */
	ASSERT_EQ(0, ioctl(fd, VMALLOC_DEMO_IOCINFO, &info));
	EXPECT_EQ(0, info.mappings);
	ASSERT_EQ(0, resize(fd, size));
	got = malloc(region);
	ASSERT_NE(NULL, got);
	for (t = 0; t < WORKERS; t++) {
		off_t base = (off_t)t * region;

		ASSERT_EQ(region, pread(fd, got, region, base));
		EXPECT_EQ(-1, pattern_check(got, region, base, all[t].gen))
			TH_LOG("worker %d's region", t);
		EXPECT_EQ(0, all[t].bad) TH_LOG("worker %d", t);
		sum.ops += all[t].ops;
		sum.bad += all[t].bad;
		sum.resizes += all[t].resizes;
		sum.busy += all[t].busy;
		sum.maps += all[t].maps;
	}
	TH_LOG("%d workers, %d s, %zu bytes each: %ld operations, %ld mmaps, %ld resizes, "
	       "%ld EBUSY (resize vs mmap), %ld bad", WORKERS, SECONDS, region, sum.ops,
	       sum.maps, sum.resizes, sum.busy, sum.bad);
	/*
	 * Resizes were tried (each one done or refused for a mapping: how
	 * many of each depends on the timing), and the workers mapped.
	 */
	EXPECT_LT(0, sum.resizes + sum.busy);
	EXPECT_LT(0, sum.maps + sum.busy);
	free(got);
	close(fd);
}

TEST_HARNESS_MAIN
