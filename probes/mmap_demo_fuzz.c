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

/*
 * The run: the three nodes' files, the model of the buffer they share,
 * and the mappings of them.
 */
struct fuzz {
	int fds[3];
	long npages;
	long long size;		/* npages pages */
	unsigned char *data;	/* the model: size bytes, MAX_IO spare */
	long long fpos[3];	/* each file's position */
	struct map maps[MAX_MAPS];
	int nmaps;
	long vmas0[3];		/* each node's live mappings at the start */
	long nvmas[3];		/* the model's mappings of each node */
	unsigned char *buf;	/* MAX_IO bytes */
	long errors;		/* calls refused, as the model said */
	long merged;		/* node checks that saw merged VMAs */
	long long pos;		/* drawn for each operation */
	long len;
	int n;			/* and the node it is on */
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

/* pwrite or pread */
static void op_prw(struct __test_metadata *_metadata, struct fuzz *s)
{
	int fd = s->fds[s->n];
	long want, got;

	if (pick(2)) {
		fill_random(s->buf, s->len);
		want = expect_io(s->size, s->pos, s->len, true);
		got = result(pwrite(fd, s->buf, s->len, s->pos));
		ASSERT_EQ(want, got)
			TH_LOG("op %d: pwrite(%ld at %lld) on %s", op_nr,
			       s->len, s->pos, nodes[s->n]);
		if (want > 0)
			memcpy(s->data + s->pos, s->buf, want);
	} else {
		want = expect_io(s->size, s->pos, s->len, false);
		got = result(pread(fd, s->buf, s->len, s->pos));
		ASSERT_EQ(want, got)
			TH_LOG("op %d: pread(%ld at %lld) on %s", op_nr,
			       s->len, s->pos, nodes[s->n]);
		if (want > 0) {
			ASSERT_EQ(0, memcmp(s->buf, s->data + s->pos, want))
				TH_LOG("op %d: pread differs", op_nr);
		}
	}
	s->errors += want < 0;
}

/* write or read through the file position */
static void op_rw(struct __test_metadata *_metadata, struct fuzz *s)
{
	int fd = s->fds[s->n];
	long long *fpos = &s->fpos[s->n];
	long want, got;

	if (pick(2)) {
		fill_random(s->buf, s->len);
		want = expect_io(s->size, *fpos, s->len, true);
		got = result(write(fd, s->buf, s->len));
		ASSERT_EQ(want, got) TH_LOG("op %d: write", op_nr);
		if (want > 0)
			memcpy(s->data + *fpos, s->buf, want);
	} else {
		want = expect_io(s->size, *fpos, s->len, false);
		got = result(read(fd, s->buf, s->len));
		ASSERT_EQ(want, got) TH_LOG("op %d: read", op_nr);
		if (want > 0) {
			ASSERT_EQ(0, memcmp(s->buf, s->data + *fpos, want))
				TH_LOG("op %d: read differs", op_nr);
		}
	}
	if (want > 0)
		*fpos += want;
	s->errors += want < 0;
}

/* lseek: a fixed-size file, 0 to size */
static void op_lseek(struct __test_metadata *_metadata, struct fuzz *s)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	long long *fpos = &s->fpos[s->n];
	int whence = whences[pick(3)];
	long long off = pick(4) ? pick(2 * s->size + 2) - s->size - 1 :
			(long long)next();
	long long base = whence == SEEK_SET ? 0 :
			 whence == SEEK_CUR ? *fpos : s->size;
	long long to, got;

	got = lseek(s->fds[s->n], off, whence);
	if (whence == SEEK_CUR && !off) {
		ASSERT_EQ(*fpos, got);
	} else if (__builtin_add_overflow(base, off, &to) ||
		   to < 0 || to > s->size) {
		ASSERT_EQ(-1, got)
			TH_LOG("op %d: lseek(%lld, %d)", op_nr, off, whence);
		ASSERT_EQ(EINVAL, errno);
		s->errors++;
	} else {
		ASSERT_EQ(to, got) TH_LOG("op %d: lseek", op_nr);
		*fpos = to;
	}
}

/* mmap: good and bad ranges, shared or private */
static void op_mmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	long pgoff, pages;
	bool fits, refused;
	int kind, prot;
	unsigned char *addr;

	if (s->nmaps == MAX_MAPS)
		return;
	pgoff = pick(s->npages + 2);
	pages = 1 + pick(pick(8) ? MAX_MAP_PAGES : s->npages + 1);
	fits = pgoff < s->npages && pages <= s->npages - pgoff;
	kind = pick(4);		/* 0: private, 1: private writable */
	prot = kind == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
	refused = !fits || (kind == 1 && s->n != FAULT);
	addr = mmap(NULL, pages * page_size, prot,
		    kind <= 1 ? MAP_PRIVATE : MAP_SHARED, s->fds[s->n],
		    pgoff * page_size);
	if (refused) {
		ASSERT_EQ(MAP_FAILED, addr) TH_LOG("op %d", op_nr);
		ASSERT_EQ(EINVAL, errno);
		s->errors++;
		return;
	}
	ASSERT_NE(MAP_FAILED, addr) TH_LOG("op %d: %s", op_nr, strerror(errno));
	s->maps[s->nmaps++] = (struct map){ addr, pgoff, pages, s->n,
					    kind >= 2 };
	s->nvmas[s->n]++;
}

static void op_munmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	long i;

	if (!s->nmaps)
		return;
	i = pick(s->nmaps);
	s->nvmas[s->maps[i].node]--;
	FUZZ_MUNMAP(s->maps, s->nmaps, i);
}

/* load through any mapping, or store through a shared one */
static void access_map(struct __test_metadata *_metadata, struct fuzz *s,
		       bool store)
{
	struct map *mp;
	long off;
	long long dpos;

	if (!s->nmaps)
		return;
	mp = &s->maps[pick(s->nmaps)];
	off = pick(mp->pages * page_size);
	dpos = mp->pgoff * page_size + off;
	if (!store || !mp->shared) {
		ASSERT_EQ(s->data[dpos], mp->addr[off])
			TH_LOG("op %d: load at %lld via %s", op_nr, dpos,
			       nodes[mp->node]);
	} else {
		mp->addr[off] = s->data[dpos] = next();
	}
}

static void op_load(struct __test_metadata *_metadata, struct fuzz *s)
{
	access_map(_metadata, s, false);
}

/* A private mapping is loaded from instead. */
static void op_store(struct __test_metadata *_metadata, struct fuzz *s)
{
	access_map(_metadata, s, true);
}

/* MADV_DONTNEED: refused on VM_PFNMAP, else harmless */
static void op_dontneed(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct map *mp;
	long got;

	if (!s->nmaps)
		return;
	mp = &s->maps[pick(s->nmaps)];
	got = result(madvise(mp->addr, mp->pages * page_size, MADV_DONTNEED));
	if (mp->node == REMAP) {
		ASSERT_EQ(-EINVAL, got);
		s->errors++;
	} else {
		ASSERT_EQ(0, got);
	}
}

/* mremap: shrink in place */
static void op_mremap(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct map *mp;
	long pages;
	void *addr;

	if (!s->nmaps)
		return;
	mp = &s->maps[pick(s->nmaps)];
	pages = 1 + pick(mp->pages);
	addr = mremap(mp->addr, mp->pages * page_size, pages * page_size, 0);
	ASSERT_EQ(mp->addr, addr) TH_LOG("op %d: %s", op_nr, strerror(errno));
	mp->pages = pages;
}

/* no node has an ioctl; the live counts are the kernel's */
static void op_ioctl(struct __test_metadata *_metadata, struct fuzz *s)
{
	unsigned int cmd = _IOC(pick(4), pick(2) ? 'K' : 0xA6, pick(256),
				pick(64));
	int i;

	ASSERT_EQ(-1, ioctl(s->fds[s->n], cmd, s->buf));
	ASSERT_EQ(ENOTTY, errno);
	s->errors++;
	for (i = 0; i < 3; i++) {
		long kernel = own_vmas(nodes[i]);

		ASSERT_EQ(s->vmas0[i] + kernel, live_vmas(nodes[i]))
			TH_LOG("op %d: mappings of node %s", op_nr, nodes[i]);
		/* Each VMA holds one or more of the model's maps. */
		ASSERT_GE(s->nvmas[i], kernel)
			TH_LOG("op %d: mappings of node %s", op_nr, nodes[i]);
		ASSERT_EQ(!!s->nvmas[i], !!kernel)
			TH_LOG("op %d: mappings of node %s", op_nr, nodes[i]);
		s->merged += kernel < s->nvmas[i];
	}
}

/*
 * A position, a length and a node for every operation, whether it uses
 * them or not.
 */
static void draw(struct fuzz *s)
{
	s->pos = pick(8) ? pick(s->size + page_size) :
		 pick(2) ? s->size - pick(100) : (long long)next();
	s->len = pick(4) ? pick(MAX_IO) : pick(16);
	s->n = pick(3);
}

static const struct fuzz_op ops[] = {
	{ "pread/pwrite",	op_prw },
	{ "read/write",		op_rw },
	{ "seeks",		op_lseek },
	{ "mmaps",		op_mmap },
	{ "munmaps",		op_munmap },
	{ "loads",		op_load },
	{ "stores",		op_store },
	{ "MADV_DONTNEED",	op_dontneed },
	{ "mremap shrinks",	op_mremap },
	{ "ioctls",		op_ioctl },
};

TEST(fuzz)
{
	struct fuzz s = {
		.npages = module_param("mmap_demo", "npages"),
		.buf = malloc(MAX_IO),
	};
	unsigned char *all;
	int n, m;

	seed = seed_from_env("MMAP_DEMO_FUZZ_SEED");
	rng = seed | 1;
	TH_LOG("seed %llu (repeat with MMAP_DEMO_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_LT(0, s.npages) TH_LOG("is mmap_demo loaded?");
	s.size = s.npages * page_size;
	s.data = calloc(1, s.size + MAX_IO);
	ASSERT_NE(NULL, s.data);
	ASSERT_NE(NULL, s.buf);
	for (n = 0; n < 3; n++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/mmap_demo_%s", nodes[n]);
		s.fds[n] = open(path, O_RDWR);
		ASSERT_LE(0, s.fds[n]) TH_LOG("%s", path);
		s.vmas0[n] = live_vmas(nodes[n]);
		ASSERT_LE(0, s.vmas0[n]) TH_LOG("debugfs %s", MMAP_DEMO_STATS);
	}
	/* Start from a known buffer: zeros. */
	ASSERT_EQ(s.size, pwrite(s.fds[0], s.data, s.size, 0));

	fuzz_run(_metadata, &s, ops, ARRAY_SIZE(ops), MAX_OPS, MAX_SECONDS,
		 draw, NULL);
	TH_LOG("%ld refused as the model said, merged VMAs seen %ld times",
	       s.errors, s.merged);

	/* The whole buffer, and each mapping, at the end. */
	all = malloc(s.size + 1);
	ASSERT_NE(NULL, all);
	ASSERT_EQ(s.size, pread(s.fds[FAULT], all, s.size + 1, 0));
	ASSERT_EQ(0, memcmp(all, s.data, s.size));
	for (m = 0; m < s.nmaps; m++) {
		ASSERT_EQ(0, memcmp(s.maps[m].addr,
				    s.data + s.maps[m].pgoff * page_size,
				    s.maps[m].pages * page_size))
			TH_LOG("map %d", m);
	}
	free(all);
	while (s.nmaps--)
		munmap(s.maps[s.nmaps].addr, s.maps[s.nmaps].pages * page_size);
	for (n = 0; n < 3; n++) {
		EXPECT_EQ(s.vmas0[n], live_vmas(nodes[n]))
			TH_LOG("%s", nodes[n]);
		close(s.fds[n]);
	}
	free(s.data);
	free(s.buf);
}

TEST_HARNESS_MAIN
