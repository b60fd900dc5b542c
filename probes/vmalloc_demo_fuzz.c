// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo fuzzer: a seeded, reproducible random sequence of writes
 * and reads (positioned and through the file position, in bounds or not),
 * seeks with hostile offsets, resizes to good and bad sizes, info and
 * unknown ioctls, mmaps of good and bad ranges, munmaps, and loads and
 * stores through the mappings, checked against a model of the buffer kept
 * in user space: every byte read and every errno must be what the model
 * says.  Bounded in operations and time; the seed is printed, and
 * VMALLOC_DEMO_FUZZ_SEED=N repeats a run.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "fuzz.h"
#include "vmalloc_demo_ioctl.h"

#define DEV		"/dev/vmalloc_demo"
#define MAX_IO		20000
#define MAX_MAPS	4
#define MAX_OPS		100000
#define MAX_SECONDS	2
#define FUZZ_SIZE	(256 << 10)	/* largest buffer the fuzzer asks for */
#define MAX_MAP_PAGES	16

struct model {
	unsigned char *data;	/* max_size bytes; past size: zeros */
	size_t size, max_size;
	long long pos;		/* the file position of fd */
};

struct map {
	unsigned char *addr;
	long pgoff, pages;
};

/* A position: mostly inside or near the buffer, sometimes anything. */
static long long pick_pos(const struct model *m)
{
	switch (pick(8)) {
	case 0:
		return m->size - pick(100);
	case 1:
		return (long long)next();	/* negative half the time */
	default:
		return pick(m->size + page_size);
	}
}

/* What a read of @len at @pos returns: bytes, or -errno. */
static long expect_read(const struct model *m, long long pos, long len)
{
	if (pos < 0)
		return -EINVAL;
	if (len && pos > LLONG_MAX - len)
		return -EINVAL;	/* the VFS: pos + len overflows */
	if (pos >= (long long)m->size || !len)
		return 0;
	return m->size - pos < (unsigned long long)len ? m->size - pos : len;
}

static long expect_write(const struct model *m, long long pos, long len)
{
	if (pos < 0 || (len && pos > LLONG_MAX - len))
		return -EINVAL;
	if (!len)
		return 0;
	if (pos >= (long long)m->size)
		return -ENOSPC;
	return m->size - pos < (unsigned long long)len ? m->size - pos : len;
}

/* A syscall result as the model writes it: bytes, or -errno. */
static long result(long ret)
{
	return ret < 0 ? -errno : ret;
}

TEST(fuzz)
{
	long long param = module_param("vmalloc_demo", "size");
	unsigned long long seed = seed_from_env("VMALLOC_DEMO_FUZZ_SEED");
	struct model m = { 0 };
	struct map maps[MAX_MAPS] = { 0 };
	unsigned char *buf = malloc(MAX_IO);
	struct vmalloc_demo_info info;
	double start = now_seconds();
	long counts[10] = { 0 }, errors = 0;
	int fd, nmaps = 0, ops;
	size_t loaded;

	rng = seed | 1;
	TH_LOG("seed %llu (repeat with VMALLOC_DEMO_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_LT(0, param) TH_LOG("is vmalloc_demo loaded?");
	loaded = (param + page_size - 1) / page_size * page_size;
	/*
	 * The fuzzer works on a buffer of at most FUZZ_SIZE, resized between
	 * one byte and that: whole-buffer copies and mappings stay cheap.
	 */
	m.max_size = FUZZ_SIZE;
	m.data = calloc(1, m.max_size + MAX_IO);
	ASSERT_NE(NULL, m.data);
	ASSERT_NE(NULL, buf);

	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd);
	/* Start from a known buffer: half the largest size, zeros. */
	m.size = FUZZ_SIZE / 2;
	ASSERT_EQ(0, resize(fd, m.size));
	ASSERT_EQ(m.size, pwrite(fd, m.data, m.size, 0));

	for (ops = 0; ops < MAX_OPS && now_seconds() - start < MAX_SECONDS; ops++) {
		int op = pick(10);
		long long pos = pick_pos(&m);
		long len = pick(4) ? pick(MAX_IO) : pick(16);
		long want, got, i;

		counts[op]++;
		switch (op) {
		case 0:	/* pwrite */
			for (i = 0; i < len; i++)
				buf[i] = next();
			want = expect_write(&m, pos, len);
			got = result(pwrite(fd, buf, len, pos));
			ASSERT_EQ(want, got) TH_LOG("op %d: pwrite(%ld at %lld)", ops, len, pos);
			if (want > 0)
				memcpy(m.data + pos, buf, want);
			errors += want < 0;
			break;
		case 1:	/* pread */
			want = expect_read(&m, pos, len);
			got = result(pread(fd, buf, len, pos));
			ASSERT_EQ(want, got) TH_LOG("op %d: pread(%ld at %lld)", ops, len, pos);
			if (want > 0) {
				ASSERT_EQ(0, memcmp(buf, m.data + pos, want))
					TH_LOG("op %d: pread(%ld at %lld) differs", ops, len, pos);
			}
			errors += want < 0;
			break;
		case 2:	/* write and read through the file position */
			if (pick(2)) {
				for (i = 0; i < len; i++)
					buf[i] = next();
				want = expect_write(&m, m.pos, len);
				got = result(write(fd, buf, len));
				ASSERT_EQ(want, got) TH_LOG("op %d: write(%ld at %lld)",
							    ops, len, m.pos);
				if (want > 0)
					memcpy(m.data + m.pos, buf, want);
			} else {
				want = expect_read(&m, m.pos, len);
				got = result(read(fd, buf, len));
				ASSERT_EQ(want, got) TH_LOG("op %d: read(%ld at %lld)",
							    ops, len, m.pos);
				if (want > 0) {
					ASSERT_EQ(0, memcmp(buf, m.data + m.pos, want))
						TH_LOG("op %d: read differs", ops);
				}
			}
			errors += want < 0;
			if (want > 0)
				m.pos += want;
			break;
		case 3:	/* lseek, hostile offsets included */
			{
				static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END };
				int whence = whences[pick(3)];
				long long off = pick(4) ? pick(2 * m.size) - (long long)m.size :
						(long long)next();
				long long base = whence == SEEK_SET ? 0 :
						 whence == SEEK_CUR ? m.pos : (long long)m.size;
				long long to;

				got = lseek(fd, off, whence);
				if (__builtin_add_overflow(base, off, &to) || to < 0) {
					ASSERT_EQ(-1, got);
					ASSERT_EQ(EINVAL, errno);
					errors++;
				} else {
					ASSERT_EQ(to, got) TH_LOG("op %d: lseek", ops);
					m.pos = to;
				}
			}
			break;
		case 4:	/* resize: refused while mapped, or to a bad size */
			if (pick(4))
				break;	/* a copy of the whole buffer: not too often */
			{
				unsigned long long to = pick(8) ? 1 + pick(m.max_size) :
					pick(2) ? 0 : VMALLOC_DEMO_MAX_SIZE + 1 + pick(1000);
				size_t rounded = (to + page_size - 1) / page_size * page_size;

				got = result(resize(fd, to));
				if (!to || to > VMALLOC_DEMO_MAX_SIZE) {
					ASSERT_EQ(-EINVAL, got);
					errors++;
				} else if (nmaps) {
					ASSERT_EQ(-EBUSY, got);
					errors++;
				} else {
					ASSERT_EQ(0, got) TH_LOG("op %d: resize to %llu", ops, to);
					if (rounded < m.size)
						memset(m.data + rounded, 0, m.size - rounded);
					m.size = rounded;
				}
			}
			break;
		case 5:	/* mmap, good and bad ranges */
			if (nmaps == MAX_MAPS)
				break;
			{
				long pages = m.size / page_size;
				long pgoff = pick(pages + 2), n = 1 + pick(pick(8) ? MAX_MAP_PAGES : pages + 1);
				bool fits = pgoff < pages && n <= pages - pgoff;
				unsigned char *addr;

				addr = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE,
					    MAP_SHARED, fd, pgoff * page_size);
				if (!fits) {
					ASSERT_EQ(MAP_FAILED, addr);
					ASSERT_EQ(EINVAL, errno);
					errors++;
					break;
				}
				ASSERT_NE(MAP_FAILED, addr) TH_LOG("op %d: %s", ops,
								    strerror(errno));
				maps[nmaps++] = (struct map){ addr, pgoff, n };
			}
			break;
		case 6:	/* munmap */
			if (nmaps)
				FUZZ_MUNMAP(maps, nmaps, pick(nmaps));
			break;
		case 7:	/* load or store through a mapping */
			if (!nmaps)
				break;
			{
				struct map *mp = &maps[pick(nmaps)];
				long off = pick(mp->pages * page_size);
				long long dpos = mp->pgoff * page_size + off;

				if (pick(2)) {
					ASSERT_EQ(m.data[dpos], mp->addr[off])
						TH_LOG("op %d: load at %lld", ops, dpos);
				} else {
					mp->addr[off] = m.data[dpos] = next();
				}
			}
			break;
		case 8:	/* INFO agrees with the model */
			ASSERT_EQ(0, ioctl(fd, VMALLOC_DEMO_IOCINFO, &info));
			ASSERT_EQ(m.size, info.size);
			ASSERT_EQ(m.size / page_size, info.pages);
			ASSERT_EQ(nmaps, info.mappings);
			break;
		case 9:	/* any other command of the magic */
			{
				unsigned int cmd = _IOC(pick(4), VMALLOC_DEMO_IOC_MAGIC,
							pick(256), pick(64));

				if (cmd == VMALLOC_DEMO_IOCINFO || cmd == VMALLOC_DEMO_IOCRESIZE ||
				    cmd == VMALLOC_DEMO_IOCEXPORT)
					break;
				ASSERT_EQ(-1, ioctl(fd, cmd, buf));
				ASSERT_EQ(ENOTTY, errno);
				errors++;
			}
			break;
		}
	}

	/* The whole buffer at the end, then clean up. */
	{
		unsigned char *all = malloc(m.size + 1);

		ASSERT_NE(NULL, all);
		ASSERT_EQ(m.size, pread(fd, all, m.size + 1, 0));
		ASSERT_EQ(0, memcmp(all, m.data, m.size));
		free(all);
	}
	while (nmaps--)
		munmap(maps[nmaps].addr, maps[nmaps].pages * page_size);
	TH_LOG("%d operations in %.1f s (%ld refused as the model said): %ld pwrites, "
	       "%ld preads, %ld file-position I/O, %ld seeks, %ld resize tries, %ld mmaps, "
	       "%ld munmaps, %ld map accesses, %ld infos, %ld bad ioctls", ops,
	       now_seconds() - start, errors, counts[0], counts[1], counts[2],
	       counts[3], counts[4], counts[5], counts[6], counts[7], counts[8], counts[9]);
	ASSERT_EQ(0, resize(fd, loaded));
	close(fd);
	free(m.data);
	free(buf);
}

TEST_HARNESS_MAIN
