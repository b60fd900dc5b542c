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

#include "kselftest_harness.h"
#include "probe.h"
#include "fuzz.h"
#include "uapi/scullp.h"
#include "scullp_params.h"

#define DEV		"/dev/scullp3"
#define SPAN		(2 << 20)	/* where the fuzzer writes */
#define MAX_IO		20000
/* The bytes a write can reach: the room the model has. */
#define TOTAL		((size_t)SPAN + MAX_IO)
#define MAX_MAPS	4
#define MAX_OPS		100000
#define MAX_SECONDS	5

struct map {
	unsigned char *addr;
	long pgoff, pages;
};

/* The run: the device, the model of it, the mappings of it. */
struct fuzz {
	int fd;
	unsigned char *data;	/* the model: TOTAL bytes */
	long long size;
	unsigned char *present;	/* per quantum: allocated by a write */
	int order, next_order;	/* now, and at the next trim */
	int next_qset;		/* the global qset */
	struct map maps[MAX_MAPS];
	int nmaps;
	unsigned char *buf;	/* MAX_IO bytes */
	long long pos;		/* drawn for each operation */
	long len;
};

static long quantum_of(const struct fuzz *s, long long pos)
{
	return pos / (page_size << s->order);
}

/* Can the fault handler serve device page pg?  (Else: SIGBUS.) */
static int page_mapped_ok(const struct fuzz *s, long pg)
{
	long long pos = (long long)pg * page_size;

	return pos < s->size && s->present[quantum_of(s, pos)];
}

static void op_pwrite(struct __test_metadata *_metadata, struct fuzz *s)
{
	long i;

	fill_random(s->buf, s->len);
	ASSERT_EQ(s->len, pwrite(s->fd, s->buf, s->len, s->pos))
		TH_LOG("op %d", op_nr);
	memcpy(s->data + s->pos, s->buf, s->len);
	for (i = 0; i < s->len; i++)
		s->present[quantum_of(s, s->pos + i)] = 1;
	if (s->len && s->pos + s->len > s->size)
		s->size = s->pos + s->len;
}

/* pread: the model's bytes, short at the end */
static void op_pread(struct __test_metadata *_metadata, struct fuzz *s)
{
	long long pos = s->pos;
	long len = s->len, expect;

	if (pick(4) == 0)
		pos = s->size - pick(100);	/* near the end */
	if (pos < 0)
		pos = 0;
	expect = pos >= s->size ? 0 :
		 (long)(s->size - pos < len ? s->size - pos : len);
	ASSERT_EQ(expect, pread(s->fd, s->buf, len, pos))
		TH_LOG("op %d", op_nr);
	ASSERT_EQ(0, memcmp(s->buf, s->data + pos, expect))
		TH_LOG("op %d: pread(%ld at %lld) differs", op_nr, len, pos);
}

/* trim (an open with O_TRUNC): refused while mapped */
static void op_trim(struct __test_metadata *_metadata, struct fuzz *s)
{
	int t;

	if (pick(8))
		return;	/* rarely: it empties the model */
	t = open(DEV, O_RDWR | O_TRUNC);
	if (s->nmaps) {
		ASSERT_EQ(-1, t);
		ASSERT_EQ(EBUSY, errno);
		return;
	}
	ASSERT_LE(0, t);
	close(t);
	memset(s->data, 0, TOTAL);
	memset(s->present, 0, TOTAL / page_size + 1);
	s->size = 0;
	s->order = s->next_order;
}

static void op_mmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct map *mp;

	if (s->nmaps == MAX_MAPS)
		return;
	mp = &s->maps[s->nmaps];
	mp->pgoff = pick(SPAN / page_size);
	mp->pages = 1 + pick(16);
	mp->addr = mmap(NULL, mp->pages * page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, s->fd, mp->pgoff * page_size);
	ASSERT_NE(MAP_FAILED, mp->addr) TH_LOG("op %d", op_nr);
	s->nmaps++;
}

static void op_munmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	if (s->nmaps)
		FUZZ_MUNMAP(s->maps, s->nmaps, pick(s->nmaps));
}

/* load or store through a mapping, where a page is served */
static void op_access(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct map *mp;
	long pg, off;
	long long dpos;

	if (!s->nmaps)
		return;
	mp = &s->maps[pick(s->nmaps)];
	pg = pick(mp->pages);
	off = pick(page_size);
	dpos = (mp->pgoff + pg) * page_size + off;
	if (!page_mapped_ok(s, mp->pgoff + pg) || dpos >= (long long)TOTAL)
		return;
	if (pick(2)) {
		ASSERT_EQ(s->data[dpos], mp->addr[pg * page_size + off])
			TH_LOG("op %d: load at %lld", op_nr, dpos);
	} else {
		mp->addr[pg * page_size + off] = s->data[dpos] = next();
	}
}

/* lseek, hostile offsets included */
static void op_lseek(struct __test_metadata *_metadata, struct fuzz *s)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	int whence = whences[pick(3)];
	long long off = pick(4) ? pick(SPAN) - SPAN / 2 : (long long)next();
	long long cur = lseek(s->fd, 0, SEEK_CUR);
	long long base = whence == SEEK_SET ? 0 :
			 whence == SEEK_CUR ? cur : s->size;
	long long got = lseek(s->fd, off, whence);
	long long want_pos;

	if (__builtin_add_overflow(base, off, &want_pos) || want_pos < 0) {
		ASSERT_EQ(-1, got);
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(cur, lseek(s->fd, 0, SEEK_CUR));
	} else {
		ASSERT_EQ(want_pos, got);
	}
}

/* ioctls: queries, order changes, nonsense */
static void op_ioctl(struct __test_metadata *_metadata, struct fuzz *s)
{
	int val = pick(7) - 1, nr = pick(16);
	long ret;

	if (nr == 2) {	/* tell the order */
		ret = ioctl(s->fd, SCULLP_IOCTORDER, val);
		if (val < 0) {
			ASSERT_EQ(-1, ret);
			ASSERT_EQ(EINVAL, errno);
		} else {
			ASSERT_EQ(0, ret);
			s->next_order = val;
		}
	} else if (nr == 4) {
		ASSERT_EQ(s->next_order, ioctl(s->fd, SCULLP_IOCQORDER));
	} else if (nr == 0) {
		ASSERT_EQ(0, ioctl(s->fd, SCULLP_IOCRESET));
		s->next_order = SCULLP_ORDER;
		s->next_qset = SCULLP_QSET;
	} else if (nr >= 13) {
		ASSERT_EQ(-1, ioctl(s->fd, _IO(SCULLP_IOC_MAGIC, nr), &val));
		ASSERT_EQ(ENOTTY, errno);
	} else {
		ASSERT_EQ(s->next_qset, ioctl(s->fd, SCULLP_IOCQQSET));
	}
}

/* A position and a length for every operation, whether it uses them or not. */
static void draw(struct fuzz *s)
{
	s->pos = pick(SPAN);
	s->len = pick(MAX_IO);
}

/* Whatever the operation, the device's size is the model's. */
static void check_size(struct __test_metadata *_metadata, struct fuzz *s)
{
	ASSERT_EQ(s->size, lseek(s->fd, 0, SEEK_END)) TH_LOG("op %d", op_nr);
}

static const struct fuzz_op ops[] = {
	{ "writes",		op_pwrite },
	{ "reads",		op_pread },
	{ "trim attempts",	op_trim },
	{ "mmaps",		op_mmap },
	{ "munmaps",		op_munmap },
	{ "map accesses",	op_access },
	{ "seeks",		op_lseek },
	{ "ioctls",		op_ioctl },
};

TEST(fuzz)
{
	long long max = module_param("scullp", "scullp_max_size");
	struct fuzz s = {
		.order = scullp_load.order,
		.next_order = scullp_load.order,
		.next_qset = scullp_load.qset,
		.buf = malloc(MAX_IO),
	};
	unsigned char *all;

	seed = seed_from_env("SCULLP_FUZZ_SEED");
	rng = seed | 1;
	TH_LOG("seed %llu (repeat with SCULLP_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_LT(TOTAL, max);
	s.data = calloc(1, TOTAL);
	s.present = calloc(1, TOTAL / page_size + 1);
	ASSERT_NE(NULL, s.data);
	ASSERT_NE(NULL, s.buf);

	s.fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, s.fd);

	fuzz_run(_metadata, &s, ops, ARRAY_SIZE(ops), MAX_OPS, MAX_SECONDS,
		 draw, check_size);

	/* Whole-device check at the end, then clean up. */
	all = malloc(TOTAL);
	ASSERT_EQ(s.size, pread(s.fd, all, TOTAL, 0));
	ASSERT_EQ(0, memcmp(all, s.data, s.size));
	free(all);
	while (s.nmaps--)
		munmap(s.maps[s.nmaps].addr, s.maps[s.nmaps].pages * page_size);
	close(s.fd);
	/* Back to the recorded values; give the memory back at them. */
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, scullp_retrim(DEV)) TH_LOG("%s", strerror(errno));
	free(s.data);
	free(s.present);
	free(s.buf);
}

SCULLP_HARNESS_MAIN
