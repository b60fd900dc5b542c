// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo stress: processes, each with two threads, use the one buffer
 * through all three nodes at once for a bounded time: writes, reads and
 * seeks through any node, mmaps of any node (shared, or private
 * read-only), stores through them, madvise(MADV_DONTNEED), munmaps.  Each
 * worker owns a byte range of the buffer (regions may share a page, and
 * so a mapping) and checks every byte of it, by read(2) and through each
 * mapping.  At the end no node may count a mapping, and every region
 * holds its worker's last block.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "workers.h"
#include "mmap_demo_stats.h"

#define PROCS		3
#define THREADS		2
#define WORKERS		(PROCS * THREADS)
#define SECONDS		2
#define MIN_OPS		60	/* per worker */

static const char *const nodes[] = { "remap", "fault", "insert" };

struct result {
	long ops, bad, maps, dontneed;
	unsigned int gen;
};

static size_t size, region;
static unsigned char *final;	/* each worker's last block, shared */

static void bad(struct result *res, const char *what, int id)
{
	if (!res->bad++)
		fprintf(stderr, "# worker %d: %s (%s)\n", id, what, strerror(errno));
}

/* Map the pages under my region from node @n; check, store, check. */
static void map_and_check(const int *fds, int n, int id, off_t base,
			  unsigned char *blk, unsigned char *got,
			  unsigned int *seed, struct result *res)
{
	off_t first = base / page_size * page_size;
	size_t len = (base + region - first + page_size - 1) / page_size * page_size;
	bool private = rand_r(seed) % 4 == 0;
	unsigned char *map, *mine;

	map = mmap(NULL, len, private ? PROT_READ : PROT_READ | PROT_WRITE,
		   private ? MAP_PRIVATE : MAP_SHARED, fds[n], first);
	if (map == MAP_FAILED) {
		bad(res, "mmap", id);
		return;
	}
	res->maps++;
	mine = map + (base - first);
	if (memcmp(mine, blk, region))
		bad(res, "mapping shows another block", id);
	/* A write through any node is seen through the mapping. */
	pattern_fill(blk, region, base, ++res->gen);
	if (pwrite(fds[rand_r(seed) % 3], blk, region, base) != (ssize_t)region ||
	    memcmp(mine, blk, region))
		bad(res, "write not seen through the mapping", id);
	if (n && rand_r(seed) % 2) {	/* zapped pages come back the same */
		if (madvise(map, len, MADV_DONTNEED))
			bad(res, "madvise", id);
		res->dontneed++;
		if (memcmp(mine, blk, region))
			bad(res, "mapping differs after MADV_DONTNEED", id);
	}
	if (!private) {
		pattern_fill(blk, region, base, ++res->gen);
		memcpy(mine, blk, region);
		if (pread(fds[rand_r(seed) % 3], got, region, base) != (ssize_t)region ||
		    memcmp(got, blk, region))
			bad(res, "store through the mapping not seen by read", id);
	}
	munmap(map, len);
}

/* Worker @id of the shared results array @all. */
static void worker(int id, void *all)
{
	struct result *res = (struct result *)all + id;
	int fds[3], i;
	off_t base = (off_t)id * region;
	unsigned int seed = id * 7919 + 3;
	unsigned char *blk = malloc(region), *got = malloc(region);
	time_t end = time(NULL) + SECONDS;

	for (i = 0; i < 3; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/mmap_demo_%s", nodes[i]);
		fds[i] = open(path, O_RDWR);
		if (fds[i] < 0)
			bad(res, path, id);
	}
	if (res->bad || !blk || !got)
		return;
	res->gen = id * 1000000 + 1;
	pattern_fill(blk, region, base, res->gen);
	if (pwrite(fds[0], blk, region, base) != (ssize_t)region)
		bad(res, "first write", id);
	/* A few dozen operations at least, however slow the host: every kind runs. */
	while (res->ops < MIN_OPS || time(NULL) < end) {
		int n = rand_r(&seed) % 3;
		off_t off;

		res->ops++;
		switch (rand_r(&seed) % 5) {
		case 0:
			pattern_fill(blk, region, base, ++res->gen);
			if (pwrite(fds[n], blk, region, base) != (ssize_t)region)
				bad(res, "write", id);
			break;
		case 1:
			off = rand_r(&seed) % region;
			if (pread(fds[n], got, region - off, base + off) != (ssize_t)(region - off) ||
			    memcmp(got, blk + off, region - off))
				bad(res, "read", id);
			break;
		case 2:
			map_and_check(fds, n, id, base, blk, got, &seed, res);
			break;
		case 3:	/* write one byte through the file position */
			off = rand_r(&seed) % region;
			blk[off] ^= 0x5a;
			if (lseek(fds[n], base + off, SEEK_SET) != base + off ||
			    write(fds[n], blk + off, 1) != 1 ||
			    lseek(fds[n], 0, SEEK_CUR) != base + off + 1)
				bad(res, "lseek and write", id);
			break;
		case 4:
			if (lseek(fds[n], 0, SEEK_END) != (off_t)size)
				bad(res, "SEEK_END", id);
			break;
		}
	}
	for (i = 0; i < 3; i++)
		close(fds[i]);
	/* For the parent's check of the whole buffer. */
	memcpy(final + (size_t)id * region, blk, region);
	free(blk);
	free(got);
}

TEST(processes_and_threads)
{
	struct result *all = shared_memory(sizeof(*all) * WORKERS);
	struct result sum = { 0 };
	unsigned char *got;
	long vmas[3];
	int t, fd;

	size = module_param("mmap_demo", "npages") * page_size;
	ASSERT_LT(0, (long)size) TH_LOG("is mmap_demo loaded?");
	region = size / WORKERS / 64 * 64;
	if (region > (size_t)(8 * page_size))
		region = 8 * page_size;
	ASSERT_LT(0, region);
	ASSERT_NE(MAP_FAILED, all);
	final = mmap(NULL, WORKERS * region, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, final);
	memset(all, 0, sizeof(*all) * WORKERS);
	for (t = 0; t < 3; t++) {
		vmas[t] = live_vmas(nodes[t]);
		ASSERT_LE(0, vmas[t]) TH_LOG("debugfs %s", MMAP_DEMO_STATS);
	}

	EXPECT_EQ(0, run_workers(PROCS, THREADS, worker, all));
	for (t = 0; t < 3; t++) {
		EXPECT_EQ(vmas[t], live_vmas(nodes[t])) TH_LOG("node %d", t);
	}
	for (t = 0; t < WORKERS; t++) {
		EXPECT_EQ(0, all[t].bad) TH_LOG("worker %d", t);
		sum.ops += all[t].ops;
		sum.bad += all[t].bad;
		sum.maps += all[t].maps;
		sum.dontneed += all[t].dontneed;
	}
	/* Every region holds its worker's last block. */
	fd = open("/dev/mmap_demo_fault", O_RDONLY);
	ASSERT_LE(0, fd);
	got = malloc(WORKERS * region);
	ASSERT_NE(NULL, got);
	ASSERT_EQ(WORKERS * region, pread(fd, got, WORKERS * region, 0));
	for (t = 0; t < WORKERS; t++) {
		EXPECT_EQ(0, memcmp(got + t * region, final + t * region, region))
			TH_LOG("worker %d's region", t);
	}
	free(got);
	close(fd);
	TH_LOG("%d workers, %d s, %zu bytes each: %ld operations, %ld mmaps, "
	       "%ld MADV_DONTNEED, %ld bad", WORKERS, SECONDS, region, sum.ops, sum.maps,
	       sum.dontneed, sum.bad);
	EXPECT_LT(0, sum.maps);
}

TEST_HARNESS_MAIN
