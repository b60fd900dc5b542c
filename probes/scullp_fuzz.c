// SPDX-License-Identifier: GPL-2.0
/*
 * scullp fuzzer: a seeded, reproducible random sequence of writes, reads,
 * seeks, trims, ioctls, mmaps, munmaps and stores and loads through the
 * mappings, checked against a model of the device kept in user space:
 * every byte read must be the byte the model says.  Bounded in operations
 * and time; the seed is printed, and SCULLP_FUZZ_SEED=N repeats a run.
 * The model starts at the recorded order and qset (scullp_params.h); the
 * run puts them back at its end.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "fuzz.h"
#include "uapi/scullp.h"
#include "scullp_params.h"

#define DEV		"/dev/scullp3"
#define SPAN		(2 << 20)	/* where the fuzzer writes */
#define MAX_IO		20000
#define MAX_MAPS	4
#define MAX_OPS		100000
#define MAX_SECONDS	5

struct model {
	unsigned char *data;	/* SPAN + MAX_IO bytes */
	long long size;
	unsigned char *present;	/* per quantum: allocated by a write */
	int order, next_order;	/* now, and at the next trim */
	int next_qset;		/* the global qset */
};

struct map {
	unsigned char *addr;
	long pgoff, pages;
};

static long quantum_of(const struct model *m, long long pos)
{
	return pos / (page_size << m->order);
}

/* Can the fault handler serve device page pg?  (Else: SIGBUS.) */
static int page_mapped_ok(const struct model *m, long pg)
{
	long long pos = (long long)pg * page_size;

	return pos < m->size && m->present[quantum_of(m, pos)];
}

TEST(fuzz)
{
	long long max = module_param("scullp", "scullp_max_size");
	size_t total = SPAN + MAX_IO;
	struct model m = {
		.order = scullp_load.order,
		.next_order = scullp_load.order,
		.next_qset = scullp_load.qset,
	};
	struct map maps[MAX_MAPS] = { 0 };
	unsigned char *buf = malloc(MAX_IO), *want = malloc(MAX_IO);
	unsigned long long seed = seed_from_env("SCULLP_FUZZ_SEED");
	int fd, nmaps = 0, ops;
	time_t end = time(NULL) + MAX_SECONDS;
	long counts[8] = { 0 };

	rng = seed | 1;
	TH_LOG("seed %llu (repeat with SCULLP_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_LT(total, max);
	m.data = calloc(1, total);
	m.present = calloc(1, total / page_size + 1);
	ASSERT_NE(NULL, m.data);
	ASSERT_NE(NULL, buf);

	fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, fd);

	for (ops = 0; ops < MAX_OPS && time(NULL) < end; ops++) {
		int op = pick(8);
		long long pos = pick(SPAN);
		long len = pick(MAX_IO);
		long i;

		counts[op]++;
		switch (op) {
		case 0:	/* pwrite */
			for (i = 0; i < len; i++)
				buf[i] = next();
			ASSERT_EQ(len, pwrite(fd, buf, len, pos)) TH_LOG("op %d", ops);
			memcpy(m.data + pos, buf, len);
			for (i = 0; i < len; i++)
				m.present[quantum_of(&m, pos + i)] = 1;
			if (len && pos + len > m.size)
				m.size = pos + len;
			break;
		case 1:	/* pread: the model's bytes, short at the end */
			if (pick(4) == 0)
				pos = m.size - pick(100);	/* near the end */
			if (pos < 0)
				pos = 0;
			{
				long expect = pos >= m.size ? 0 :
					      (long)(m.size - pos < len ? m.size - pos : len);

				ASSERT_EQ(expect, pread(fd, buf, len, pos)) TH_LOG("op %d", ops);
				ASSERT_EQ(0, memcmp(buf, m.data + pos, expect))
					TH_LOG("op %d: pread(%ld at %lld) differs", ops, len, pos);
			}
			break;
		case 2:	/* trim: refused while mapped */
			if (pick(8))
				break;	/* rarely: it empties the model */
			{
				int t = open(DEV, O_RDWR | O_TRUNC);

				if (nmaps) {
					ASSERT_EQ(-1, t);
					ASSERT_EQ(EBUSY, errno);
				} else {
					ASSERT_LE(0, t);
					close(t);
					memset(m.data, 0, total);
					memset(m.present, 0, total / page_size + 1);
					m.size = 0;
					m.order = m.next_order;
				}
			}
			break;
		case 3:	/* mmap */
			if (nmaps == MAX_MAPS)
				break;
			maps[nmaps].pgoff = pick(SPAN / page_size);
			maps[nmaps].pages = 1 + pick(16);
			maps[nmaps].addr = mmap(NULL, maps[nmaps].pages * page_size,
						PROT_READ | PROT_WRITE, MAP_SHARED, fd,
						maps[nmaps].pgoff * page_size);
			ASSERT_NE(MAP_FAILED, maps[nmaps].addr) TH_LOG("op %d", ops);
			nmaps++;
			break;
		case 4:	/* munmap */
			if (nmaps)
				FUZZ_MUNMAP(maps, nmaps, pick(nmaps));
			break;
		case 5:	/* load or store through a mapping, where a page is served */
			if (!nmaps)
				break;
			{
				struct map *mp = &maps[pick(nmaps)];
				long pg = pick(mp->pages), off = pick(page_size);
				long long dpos = (mp->pgoff + pg) * page_size + off;

				if (!page_mapped_ok(&m, mp->pgoff + pg) || dpos >= (long long)total)
					break;
				if (pick(2)) {
					ASSERT_EQ(m.data[dpos], mp->addr[pg * page_size + off])
						TH_LOG("op %d: load at %lld", ops, dpos);
				} else {
					mp->addr[pg * page_size + off] = m.data[dpos] = next();
				}
			}
			break;
		case 6:	/* lseek, hostile offsets included */
			{
				static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END };
				int whence = whences[pick(3)];
				long long off = pick(4) ? pick(SPAN) - SPAN / 2 :
						(long long)next();
				long long cur = lseek(fd, 0, SEEK_CUR);
				long long base = whence == SEEK_SET ? 0 :
						 whence == SEEK_CUR ? cur : m.size;
				long long got = lseek(fd, off, whence);
				long long want_pos;

				if (__builtin_add_overflow(base, off, &want_pos) || want_pos < 0) {
					ASSERT_EQ(-1, got);
					ASSERT_EQ(EINVAL, errno);
					ASSERT_EQ(cur, lseek(fd, 0, SEEK_CUR));
				} else {
					ASSERT_EQ(want_pos, got);
				}
			}
			break;
		case 7:	/* ioctls: queries, order changes, nonsense */
			{
				int val = pick(7) - 1, nr = pick(16);
				long ret;

				if (nr == 2) {	/* tell the order */
					ret = ioctl(fd, SCULLP_IOCTORDER, val);
					if (val < 0) {
						ASSERT_EQ(-1, ret);
						ASSERT_EQ(EINVAL, errno);
					} else {
						ASSERT_EQ(0, ret);
						m.next_order = val;
					}
				} else if (nr == 4) {
					ASSERT_EQ(m.next_order, ioctl(fd, SCULLP_IOCQORDER));
				} else if (nr == 0) {
					ASSERT_EQ(0, ioctl(fd, SCULLP_IOCRESET));
					m.next_order = SCULLP_ORDER;
					m.next_qset = SCULLP_QSET;
				} else if (nr >= 13) {
					ASSERT_EQ(-1, ioctl(fd, _IO(SCULLP_IOC_MAGIC, nr), &val));
					ASSERT_EQ(ENOTTY, errno);
				} else {
					ASSERT_EQ(m.next_qset, ioctl(fd, SCULLP_IOCQQSET));
				}
			}
			break;
		}
		ASSERT_EQ(m.size, lseek(fd, 0, SEEK_END)) TH_LOG("op %d", ops);
	}

	/* Whole-device check at the end, then clean up. */
	{
		unsigned char *all = malloc(total);

		ASSERT_EQ(m.size, pread(fd, all, total, 0));
		ASSERT_EQ(0, memcmp(all, m.data, m.size));
		free(all);
	}
	while (nmaps--)
		munmap(maps[nmaps].addr, maps[nmaps].pages * page_size);
	TH_LOG("%d operations in %d s: %ld writes, %ld reads, %ld trim attempts, %ld mmaps, "
	       "%ld munmaps, %ld map accesses, %ld seeks, %ld ioctls", ops,
	       (int)(MAX_SECONDS - (end - time(NULL))), counts[0], counts[1],
	       counts[2], counts[3], counts[4], counts[5], counts[6], counts[7]);
	close(fd);
	/* Back to the recorded values; give the memory back at them. */
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, scullp_retrim(DEV)) TH_LOG("%s", strerror(errno));
	free(m.data);
	free(m.present);
	free(buf);
	free(want);
}

SCULLP_HARNESS_MAIN
