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

/* The run: the device, its model, the mappings of it. */
struct fuzz {
	int fd;
	struct model m;
	struct map maps[MAX_MAPS];
	int nmaps;
	unsigned char *buf;	/* MAX_IO bytes */
	long errors;		/* calls refused, as the model said */
	long long pos;		/* drawn for each operation */
	long len;
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

static void op_pwrite(struct __test_metadata *_metadata, struct fuzz *s)
{
	long want, got;

	fill_random(s->buf, s->len);
	want = expect_write(&s->m, s->pos, s->len);
	got = result(pwrite(s->fd, s->buf, s->len, s->pos));
	ASSERT_EQ(want, got)
		TH_LOG("op %d: pwrite(%ld at %lld)", op_nr, s->len, s->pos);
	if (want > 0)
		memcpy(s->m.data + s->pos, s->buf, want);
	s->errors += want < 0;
}

static void op_pread(struct __test_metadata *_metadata, struct fuzz *s)
{
	long want, got;

	want = expect_read(&s->m, s->pos, s->len);
	got = result(pread(s->fd, s->buf, s->len, s->pos));
	ASSERT_EQ(want, got)
		TH_LOG("op %d: pread(%ld at %lld)", op_nr, s->len, s->pos);
	if (want > 0) {
		ASSERT_EQ(0, memcmp(s->buf, s->m.data + s->pos, want))
			TH_LOG("op %d: pread(%ld at %lld) differs", op_nr,
			       s->len, s->pos);
	}
	s->errors += want < 0;
}

/* write or read through the file position */
static void op_rw(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct model *m = &s->m;
	long want, got;

	if (pick(2)) {
		fill_random(s->buf, s->len);
		want = expect_write(m, m->pos, s->len);
		got = result(write(s->fd, s->buf, s->len));
		ASSERT_EQ(want, got)
			TH_LOG("op %d: write(%ld at %lld)", op_nr, s->len,
			       m->pos);
		if (want > 0)
			memcpy(m->data + m->pos, s->buf, want);
	} else {
		want = expect_read(m, m->pos, s->len);
		got = result(read(s->fd, s->buf, s->len));
		ASSERT_EQ(want, got)
			TH_LOG("op %d: read(%ld at %lld)", op_nr, s->len,
			       m->pos);
		if (want > 0) {
			ASSERT_EQ(0, memcmp(s->buf, m->data + m->pos, want))
				TH_LOG("op %d: read differs", op_nr);
		}
	}
	s->errors += want < 0;
	if (want > 0)
		m->pos += want;
}

/* lseek, hostile offsets included */
static void op_lseek(struct __test_metadata *_metadata, struct fuzz *s)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	struct model *m = &s->m;
	int whence = whences[pick(3)];
	long long off = pick(4) ? pick(2 * m->size) - (long long)m->size :
			(long long)next();
	long long base = whence == SEEK_SET ? 0 :
			 whence == SEEK_CUR ? m->pos : (long long)m->size;
	long long to, got;

	got = lseek(s->fd, off, whence);
	if (__builtin_add_overflow(base, off, &to) || to < 0) {
		ASSERT_EQ(-1, got);
		ASSERT_EQ(EINVAL, errno);
		s->errors++;
	} else {
		ASSERT_EQ(to, got) TH_LOG("op %d: lseek", op_nr);
		m->pos = to;
	}
}

/* resize: refused while mapped, or to a bad size */
static void op_resize(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct model *m = &s->m;
	unsigned long long to;
	size_t rounded;
	long got;

	if (pick(4))
		return;	/* a copy of the whole buffer: not too often */
	to = pick(8) ? 1 + pick(m->max_size) :
	     pick(2) ? 0 : VMALLOC_DEMO_MAX_SIZE + 1 + pick(1000);
	rounded = (to + page_size - 1) / page_size * page_size;
	got = result(resize(s->fd, to));
	if (!to || to > VMALLOC_DEMO_MAX_SIZE) {
		ASSERT_EQ(-EINVAL, got);
		s->errors++;
	} else if (s->nmaps) {
		ASSERT_EQ(-EBUSY, got);
		s->errors++;
	} else {
		ASSERT_EQ(0, got) TH_LOG("op %d: resize to %llu", op_nr, to);
		if (rounded < m->size)
			memset(m->data + rounded, 0, m->size - rounded);
		m->size = rounded;
	}
}

/* mmap, good and bad ranges */
static void op_mmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	long pages = s->m.size / page_size;
	long pgoff, n;
	bool fits;
	unsigned char *addr;

	if (s->nmaps == MAX_MAPS)
		return;
	pgoff = pick(pages + 2);
	n = 1 + pick(pick(8) ? MAX_MAP_PAGES : pages + 1);
	fits = pgoff < pages && n <= pages - pgoff;
	addr = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    s->fd, pgoff * page_size);
	if (!fits) {
		ASSERT_EQ(MAP_FAILED, addr);
		ASSERT_EQ(EINVAL, errno);
		s->errors++;
		return;
	}
	ASSERT_NE(MAP_FAILED, addr) TH_LOG("op %d: %s", op_nr, strerror(errno));
	s->maps[s->nmaps++] = (struct map){ addr, pgoff, n };
}

static void op_munmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	if (s->nmaps)
		FUZZ_MUNMAP(s->maps, s->nmaps, pick(s->nmaps));
}

/* load or store through a mapping */
static void op_access(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct map *mp;
	long off;
	long long dpos;

	if (!s->nmaps)
		return;
	mp = &s->maps[pick(s->nmaps)];
	off = pick(mp->pages * page_size);
	dpos = mp->pgoff * page_size + off;
	if (pick(2)) {
		ASSERT_EQ(s->m.data[dpos], mp->addr[off])
			TH_LOG("op %d: load at %lld", op_nr, dpos);
	} else {
		mp->addr[off] = s->m.data[dpos] = next();
	}
}

/* INFO agrees with the model */
static void op_info(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct vmalloc_demo_info info;

	ASSERT_EQ(0, ioctl(s->fd, VMALLOC_DEMO_IOCINFO, &info));
	ASSERT_EQ(s->m.size, info.size);
	ASSERT_EQ(s->m.size / page_size, info.pages);
	ASSERT_EQ(s->nmaps, info.mappings);
}

/* any other command of the magic */
static void op_bad_ioctl(struct __test_metadata *_metadata, struct fuzz *s)
{
	unsigned int cmd = _IOC(pick(4), VMALLOC_DEMO_IOC_MAGIC, pick(256),
				pick(64));

	if (cmd == VMALLOC_DEMO_IOCINFO || cmd == VMALLOC_DEMO_IOCRESIZE ||
	    cmd == VMALLOC_DEMO_IOCEXPORT)
		return;
	ASSERT_EQ(-1, ioctl(s->fd, cmd, s->buf));
	ASSERT_EQ(ENOTTY, errno);
	s->errors++;
}

/* A position and a length for every operation, whether it uses them or not. */
static void draw(struct fuzz *s)
{
	s->pos = pick_pos(&s->m);
	s->len = pick(4) ? pick(MAX_IO) : pick(16);
}

static const struct fuzz_op ops[] = {
	{ "pwrites",		op_pwrite },
	{ "preads",		op_pread },
	{ "file-position I/O",	op_rw },
	{ "seeks",		op_lseek },
	{ "resize tries",	op_resize },
	{ "mmaps",		op_mmap },
	{ "munmaps",		op_munmap },
	{ "map accesses",	op_access },
	{ "infos",		op_info },
	{ "bad ioctls",		op_bad_ioctl },
};

TEST(fuzz)
{
	long long param = module_param("vmalloc_demo", "size");
	struct fuzz s = { .buf = malloc(MAX_IO) };
	unsigned char *all;
	size_t loaded;

	seed = seed_from_env("VMALLOC_DEMO_FUZZ_SEED");
	rng = seed | 1;
	TH_LOG("seed %llu (repeat with VMALLOC_DEMO_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_LT(0, param) TH_LOG("is vmalloc_demo loaded?");
	loaded = (param + page_size - 1) / page_size * page_size;
	/*
	 * The fuzzer works on a buffer of at most FUZZ_SIZE, resized between
	 * one byte and that: whole-buffer copies and mappings stay cheap.
	 */
	s.m.max_size = FUZZ_SIZE;
	s.m.data = calloc(1, s.m.max_size + MAX_IO);
	ASSERT_NE(NULL, s.m.data);
	ASSERT_NE(NULL, s.buf);

	s.fd = open(DEV, O_RDWR);
	ASSERT_LE(0, s.fd);
	/* Start from a known buffer: half the largest size, zeros. */
	s.m.size = FUZZ_SIZE / 2;
	ASSERT_EQ(0, resize(s.fd, s.m.size));
	ASSERT_EQ(s.m.size, pwrite(s.fd, s.m.data, s.m.size, 0));

	fuzz_run(_metadata, &s, ops, ARRAY_SIZE(ops), MAX_OPS, MAX_SECONDS,
		 draw, NULL);
	TH_LOG("%ld refused as the model said", s.errors);

	/* The whole buffer at the end, then clean up. */
	all = malloc(s.m.size + 1);
	ASSERT_NE(NULL, all);
	ASSERT_EQ(s.m.size, pread(s.fd, all, s.m.size + 1, 0));
	ASSERT_EQ(0, memcmp(all, s.m.data, s.m.size));
	free(all);
	while (s.nmaps--)
		munmap(s.maps[s.nmaps].addr, s.maps[s.nmaps].pages * page_size);
	ASSERT_EQ(0, resize(s.fd, loaded));
	close(s.fd);
	free(s.m.data);
	free(s.buf);
}

TEST_HARNESS_MAIN
