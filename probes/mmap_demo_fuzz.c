// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo fuzzer: a seeded, reproducible random sequence of calls on the
 * three nodes: writes and reads (positioned and through each file's
 * position, in bounds or not), seeks with hostile offsets, mmaps of good
 * and bad ranges (shared, private, private writable), munmaps, mremap
 * shrinks, madvise(MADV_DONTNEED), loads and stores through the mappings
 * and ioctls, checked against a model of the buffer and of each node's
 * mappings kept in user space: every byte and every errno must be what the
 * model says, and each node's count of live mappings the kernel's count of
 * its VMAs (fewer than the model's mappings where the kernel merged two).
 * Bounded in operations and time; the seed is printed, and
 * MMAP_DEMO_FUZZ_SEED=N repeats a run.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "fuzz.h"
#include "mmap_demo_stats.h"

#define MAX_IO		20000
#define MAX_MAPS	6
#define MAX_OPS		100000
#define MAX_SECONDS	2
#define MAX_MAP_PAGES	16

static const char *const nodes[] = { "remap", "fault", "insert" };
#define REMAP	0
#define FAULT	1

struct map {
	unsigned char *addr;
	long pgoff, pages;
	int node;
	bool shared;
};

/* What a read (@write false) or write of @len at @pos returns, or -errno. */
static long expect_io(long long size, long long pos, long len, bool write)
{
	if (pos < 0 || (len && pos > LLONG_MAX - len))
		return -EINVAL;
	if (!len)
		return 0;
	if (pos >= size)
		return write ? -ENOSPC : 0;
	return size - pos < len ? size - pos : len;
}

TEST(fuzz)
{
	long npages = module_param("mmap_demo", "npages");
	unsigned long long seed = seed_from_env("MMAP_DEMO_FUZZ_SEED");
	long long size = npages * page_size, fpos[3] = { 0 };
	unsigned char *data, *buf = malloc(MAX_IO);
	struct map maps[MAX_MAPS] = { 0 };
	long vmas0[3], nvmas[3] = { 0 }, counts[10] = { 0 }, errors = 0;
	long merged = 0;
	double start = now_seconds();
	int fds[3], n, nmaps = 0, ops;

	rng = seed | 1;
	TH_LOG("seed %llu (repeat with MMAP_DEMO_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_LT(0, npages) TH_LOG("is mmap_demo loaded?");
	data = calloc(1, size + MAX_IO);
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, buf);
	for (n = 0; n < 3; n++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/mmap_demo_%s", nodes[n]);
		fds[n] = open(path, O_RDWR);
		ASSERT_LE(0, fds[n]) TH_LOG("%s", path);
		vmas0[n] = live_vmas(nodes[n]);
		ASSERT_LE(0, vmas0[n]) TH_LOG("debugfs %s", MMAP_DEMO_STATS);
	}
	/* Start from a known buffer: zeros. */
	ASSERT_EQ(size, pwrite(fds[0], data, size, 0));

	for (ops = 0; ops < MAX_OPS && now_seconds() - start < MAX_SECONDS; ops++) {
		int op = pick(10);
		long long pos = pick(8) ? pick(size + page_size) :
				pick(2) ? size - pick(100) : (long long)next();
		long len = pick(4) ? pick(MAX_IO) : pick(16);
		long want, got, i;

		n = pick(3);
		counts[op]++;
		switch (op) {
		case 0:	/* pwrite or pread */
			if (pick(2)) {
				for (i = 0; i < len; i++)
					buf[i] = next();
				want = expect_io(size, pos, len, true);
				got = result(pwrite(fds[n], buf, len, pos));
				ASSERT_EQ(want, got) TH_LOG("op %d: pwrite(%ld at %lld) on %s",
							    ops, len, pos, nodes[n]);
				if (want > 0)
					memcpy(data + pos, buf, want);
			} else {
				want = expect_io(size, pos, len, false);
				got = result(pread(fds[n], buf, len, pos));
				ASSERT_EQ(want, got) TH_LOG("op %d: pread(%ld at %lld) on %s",
							    ops, len, pos, nodes[n]);
				if (want > 0) {
					ASSERT_EQ(0, memcmp(buf, data + pos, want))
						TH_LOG("op %d: pread differs", ops);
				}
			}
			errors += want < 0;
			break;
		case 1:	/* write or read through the file position */
			if (pick(2)) {
				for (i = 0; i < len; i++)
					buf[i] = next();
				want = expect_io(size, fpos[n], len, true);
				got = result(write(fds[n], buf, len));
				ASSERT_EQ(want, got) TH_LOG("op %d: write", ops);
				if (want > 0)
					memcpy(data + fpos[n], buf, want);
			} else {
				want = expect_io(size, fpos[n], len, false);
				got = result(read(fds[n], buf, len));
				ASSERT_EQ(want, got) TH_LOG("op %d: read", ops);
				if (want > 0) {
					ASSERT_EQ(0, memcmp(buf, data + fpos[n], want))
						TH_LOG("op %d: read differs", ops);
				}
			}
			if (want > 0)
				fpos[n] += want;
			errors += want < 0;
			break;
		case 2:	/* lseek: a fixed-size file, 0 to size */
			{
				static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END };
				int whence = whences[pick(3)];
				long long off = pick(4) ? pick(2 * size + 2) - size - 1 :
						(long long)next();
				long long base = whence == SEEK_SET ? 0 :
						 whence == SEEK_CUR ? fpos[n] : size;
				long long to;

				got = lseek(fds[n], off, whence);
				if (whence == SEEK_CUR && !off) {
					ASSERT_EQ(fpos[n], got);
				} else if (__builtin_add_overflow(base, off, &to) ||
					   to < 0 || to > size) {
					ASSERT_EQ(-1, got) TH_LOG("op %d: lseek(%lld, %d)",
								  ops, off, whence);
					ASSERT_EQ(EINVAL, errno);
					errors++;
				} else {
					ASSERT_EQ(to, got) TH_LOG("op %d: lseek", ops);
					fpos[n] = to;
				}
			}
			break;
		case 3:	/* mmap: good and bad ranges, shared or private */
			if (nmaps == MAX_MAPS)
				break;
			{
				long pgoff = pick(npages + 2), pages = 1 + pick(pick(8) ? MAX_MAP_PAGES : npages + 1);
				bool fits = pgoff < npages && pages <= npages - pgoff;
				int kind = pick(4);	/* 0: private, 1: private writable */
				int prot = kind == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
				bool refused = !fits || (kind == 1 && n != FAULT);
				unsigned char *addr;

				addr = mmap(NULL, pages * page_size, prot,
					    kind <= 1 ? MAP_PRIVATE : MAP_SHARED, fds[n],
					    pgoff * page_size);
				if (refused) {
					ASSERT_EQ(MAP_FAILED, addr) TH_LOG("op %d", ops);
					ASSERT_EQ(EINVAL, errno);
					errors++;
					break;
				}
				ASSERT_NE(MAP_FAILED, addr) TH_LOG("op %d: %s", ops,
								    strerror(errno));
				maps[nmaps++] = (struct map){ addr, pgoff, pages, n, kind >= 2 };
				nvmas[n]++;
			}
			break;
		case 4:	/* munmap */
			if (!nmaps)
				break;
			i = pick(nmaps);
			nvmas[maps[i].node]--;
			FUZZ_MUNMAP(maps, nmaps, i);
			break;
		case 5:
		case 6:	/* load through any mapping, store through a shared one */
			if (!nmaps)
				break;
			{
				struct map *mp = &maps[pick(nmaps)];
				long off = pick(mp->pages * page_size);
				long long dpos = mp->pgoff * page_size + off;

				if (op == 5 || !mp->shared) {
					ASSERT_EQ(data[dpos], mp->addr[off])
						TH_LOG("op %d: load at %lld via %s", ops, dpos,
						       nodes[mp->node]);
				} else {
					mp->addr[off] = data[dpos] = next();
				}
			}
			break;
		case 7:	/* MADV_DONTNEED: refused on VM_PFNMAP, else harmless */
			if (!nmaps)
				break;
			{
				struct map *mp = &maps[pick(nmaps)];

				got = result(madvise(mp->addr, mp->pages * page_size,
						     MADV_DONTNEED));
				if (mp->node == REMAP) {
					ASSERT_EQ(-EINVAL, got);
					errors++;
				} else {
					ASSERT_EQ(0, got);
				}
			}
			break;
		case 8:	/* mremap: shrink in place */
			if (!nmaps)
				break;
			{
				struct map *mp = &maps[pick(nmaps)];
				long pages = 1 + pick(mp->pages);
				void *addr = mremap(mp->addr, mp->pages * page_size,
						    pages * page_size, 0);

				ASSERT_EQ(mp->addr, addr) TH_LOG("op %d: %s", ops,
								 strerror(errno));
				mp->pages = pages;
			}
			break;
		case 9:	/* no node has an ioctl; the live counts are the kernel's */
			{
				unsigned int cmd = _IOC(pick(4), pick(2) ? 'K' : 0xA6,
							pick(256), pick(64));

				ASSERT_EQ(-1, ioctl(fds[n], cmd, buf));
				ASSERT_EQ(ENOTTY, errno);
				errors++;
				for (i = 0; i < 3; i++) {
					long kernel = own_vmas(nodes[i]);

					ASSERT_EQ(vmas0[i] + kernel, live_vmas(nodes[i]))
						TH_LOG("op %d: mappings of node %s", ops, nodes[i]);
					/* Each VMA holds one or more of the model's maps. */
					ASSERT_GE(nvmas[i], kernel)
						TH_LOG("op %d: mappings of node %s", ops, nodes[i]);
					ASSERT_EQ(!!nvmas[i], !!kernel)
						TH_LOG("op %d: mappings of node %s", ops, nodes[i]);
					merged += kernel < nvmas[i];
				}
			}
			break;
		}
	}

	/* The whole buffer, and each mapping, at the end. */
	{
		unsigned char *all = malloc(size + 1);
		int m;

		ASSERT_NE(NULL, all);
		ASSERT_EQ(size, pread(fds[FAULT], all, size + 1, 0));
		ASSERT_EQ(0, memcmp(all, data, size));
		for (m = 0; m < nmaps; m++) {
			ASSERT_EQ(0, memcmp(maps[m].addr, data + maps[m].pgoff * page_size,
					    maps[m].pages * page_size)) TH_LOG("map %d", m);
		}
		free(all);
	}
	while (nmaps--)
		munmap(maps[nmaps].addr, maps[nmaps].pages * page_size);
	for (n = 0; n < 3; n++) {
		EXPECT_EQ(vmas0[n], live_vmas(nodes[n])) TH_LOG("%s", nodes[n]);
		close(fds[n]);
	}
	TH_LOG("%d operations in %.1f s (%ld refused as the model said): %ld pread/pwrite, "
	       "%ld read/write, %ld seeks, %ld mmaps, %ld munmaps, %ld loads, %ld stores, "
	       "%ld MADV_DONTNEED, %ld mremap shrinks, %ld ioctls (%ld saw merged VMAs)", ops,
	       now_seconds() - start, errors, counts[0], counts[1], counts[2],
	       counts[3], counts[4], counts[5], counts[6], counts[7], counts[8], counts[9], merged);
	free(data);
	free(buf);
}

TEST_HARNESS_MAIN
