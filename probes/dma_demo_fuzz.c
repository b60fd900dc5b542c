// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo fuzzer: a seeded, reproducible random sequence of reads and
 * writes (positioned or not, at any offset, of any length, into good and
 * NULL buffers), seeks with any whence and offset, strategy switches,
 * transfers with random fields, mmaps with random lengths, offsets and
 * flags, munmaps, loads and stores through the mappings, and random
 * ioctl numbers, on two files.  Everything is checked against a model
 * kept in user space: the device's bytes, the host buffer's bytes, each
 * file's position and strategy; every return value and errno is the one
 * the model predicts.  Bounded in time (a DMA takes about 100 ms under
 * QEMU) and operations; DMA_DEMO_FUZZ_SEED=N repeats a run.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"
#include "fuzz.h"
#include "uapi/dma_demo.h"

#define DEV		"/dev/dma_demo0"
#define HOST		DMA_DEMO_DEV_SIZE	/* bytes of the host buffer */
#define FILES		2
#define MAX_MAPS	4
#define MAX_OPS		200000
#define SECONDS		2.0

struct model {
	unsigned char dev[DMA_DEMO_DEV_SIZE];
	unsigned char host[HOST];
	off_t size;
	off_t pos[FILES];
	__u32 strategy[FILES];
	unsigned char *maps[MAX_MAPS];
	int nmaps;
};

/* The run: the device's two files and the model of it. */
struct fuzz {
	struct model *m;
	int fds[FILES];
	int f;			/* the file of this operation */
	unsigned char *area;	/* 3 pages: the reads' and writes' buffers */
};

/* Every failure names the seed and the operation that went wrong. */
#define WHERE(fmt, ...) TH_LOG("seed %llu, op %d: " fmt " (repeat with DMA_DEMO_FUZZ_SEED=%llu)", \
			       seed, op_nr, ##__VA_ARGS__, seed)

/* An offset: mostly in or near the file, now and then anything at all. */
static long long pick_pos(off_t size)
{
	switch (pick(8)) {
	case 0:
		return (long long)next();		/* huge or negative */
	case 1:
		return size - 3 + pick(7);		/* around the end */
	default:
		return pick(size);
	}
}

static size_t pick_len(off_t size)
{
	switch (pick(8)) {
	case 0:
		return 0;
	case 1:
		return size + pick(3 * page_size);	/* more than there is */
	default:
		return 1 + pick(size / 2);
	}
}

/* What read(2) or write(2) of len at pos must return (-errno on failure). */
static long long expect_rw(const struct model *m, long long pos, size_t len,
			   int is_write, int null_buf)
{
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	/* The VFS refuses pos + len past LLONG_MAX. */
	if ((unsigned long long)pos + len > (unsigned long long)LLONG_MAX)
		return -EINVAL;
	if (pos >= m->size)
		return is_write ? -ENOSPC : 0;
	if (null_buf)
		return -EFAULT;
	return (long long)len < m->size - pos ? (long long)len : m->size - pos;
}

static void do_rw(struct __test_metadata *_metadata, struct fuzz *s,
		  int positioned, int is_write)
{
	struct model *m = s->m;
	int f = s->f, fd = s->fds[f];
	long long pos = positioned ? pick_pos(m->size) : m->pos[f];
	size_t len = pick_len(m->size);
	int null_buf = pick(16) == 0;
	/* Anywhere in the first page: direct transfers cross into the next. */
	unsigned char *buf = null_buf ? NULL : s->area + pick(page_size);
	long long want;
	ssize_t ret;

	if (len > 2 * (size_t)page_size)
		len = 2 * page_size;	/* what the buffer holds: still past the end */
	want = expect_rw(m, pos, len, is_write, null_buf);
	if (is_write && buf)
		fill_random(buf, len);
	if (positioned)
		ret = is_write ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);
	else
		ret = is_write ? write(fd, buf, len) : read(fd, buf, len);
	ASSERT_EQ(want, ret < 0 ? -errno : ret)
		WHERE("%s %zu at %lld, buffer %p, strategy %u", is_write ? "write" : "read",
		      len, pos, buf, m->strategy[f]);
	if (ret <= 0)
		return;
	if (is_write)
		memcpy(m->dev + pos, buf, ret);
	else
		ASSERT_EQ(0, memcmp(buf, m->dev + pos, ret))
			WHERE("read %zd at %lld: not the model's bytes", ret, pos);
	if (!positioned)
		m->pos[f] += ret;
}

static void op_pwrite(struct __test_metadata *_metadata, struct fuzz *s)
{
	do_rw(_metadata, s, 1, 1);
}

static void op_pread(struct __test_metadata *_metadata, struct fuzz *s)
{
	do_rw(_metadata, s, 1, 0);
}

static void op_write(struct __test_metadata *_metadata, struct fuzz *s)
{
	do_rw(_metadata, s, 0, 1);
}

static void op_read(struct __test_metadata *_metadata, struct fuzz *s)
{
	do_rw(_metadata, s, 0, 0);
}

static void op_lseek(struct __test_metadata *_metadata, struct fuzz *s)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, 17 };
	struct model *m = s->m;
	int f = s->f, fd = s->fds[f];
	int whence = whences[pick(5)];
	long long off = pick(4) ? pick(2 * m->size) - m->size : (long long)next();
	long long base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos[f] : m->size;
	long long got = lseek(fd, off, whence), want;

	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		want = -EINVAL;
	else if (__builtin_add_overflow(base, off, &want) || want < 0 || want > m->size)
		want = -EINVAL;
	ASSERT_EQ(want, got < 0 ? -errno : got)
		WHERE("lseek %lld whence %d from %lld", off, whence, (long long)m->pos[f]);
	if (got >= 0)
		m->pos[f] = got;
}

static void op_strategy(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct model *m = s->m;
	int f = s->f, fd = s->fds[f];
	__u32 set = pick(5), got = 99;
	int ret = ioctl(fd, DMA_DEMO_IOC_SET_STRATEGY, &set);

	if (set < DMA_DEMO_NR_STRATEGIES) {
		ASSERT_EQ(0, ret) WHERE("set strategy %u: %s", set, strerror(errno));
		m->strategy[f] = set;
	} else {
		ASSERT_EQ(-EINVAL, ret < 0 ? -errno : ret) WHERE("set strategy %u", set);
	}
	ASSERT_EQ(0, ioctl(fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	ASSERT_EQ(m->strategy[f], got) WHERE("get strategy");
}

/* A field: mostly sensible, sometimes at an edge, sometimes anything. */
static __u64 pick_field(__u64 limit)
{
	switch (pick(6)) {
	case 0:
		return next();
	case 1:
		return limit - 2 + pick(5);
	default:
		return pick(limit);
	}
}

static void op_xfer(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct model *m = s->m;
	struct dma_demo_xfer x = {
		.dir = pick(8) ? pick(2) : pick(4),
		.flags = pick(16) ? 0 : 1u << pick(32),
		.len = pick(4) ? 1 + pick(m->size / 4) : pick_field(m->size),
	};
	int valid, ret, i;

	x.dev_offset = pick_field(m->size - (x.len < (__u64)m->size ? x.len : 0));
	x.buf_offset = pick_field(HOST - (x.len < HOST ? x.len : 0));
	valid = x.dir <= DMA_DEMO_FROM_DEVICE && !x.flags && x.len &&
		x.len <= (__u64)m->size && x.dev_offset <= m->size - x.len &&
		x.buf_offset <= HOST - x.len;
	ret = ioctl(s->fds[s->f], DMA_DEMO_IOC_XFER, &x);
	ASSERT_EQ(valid ? 0 : -EINVAL, ret < 0 ? -errno : ret)
		WHERE("xfer dir %u flags %#x dev %llu buf %llu len %llu", x.dir, x.flags,
		      (unsigned long long)x.dev_offset, (unsigned long long)x.buf_offset,
		      (unsigned long long)x.len);
	if (!valid)
		return;
	if (x.dir == DMA_DEMO_TO_DEVICE)
		memcpy(m->dev + x.dev_offset, m->host + x.buf_offset, x.len);
	else
		memcpy(m->host + x.buf_offset, m->dev + x.dev_offset, x.len);
	/* Every mapping sees the host buffer as the model has it. */
	for (i = 0; i < m->nmaps; i++) {
		ASSERT_EQ(0, memcmp(m->maps[i], m->host, HOST))
			WHERE("mapping %d differs from the model after a transfer", i);
	}
}

static void op_mmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	static const int flags[] = { MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE };
	size_t len = pick(4) ? (size_t)page_size : (size_t)pick(3 * page_size);
	off_t off = pick(4) ? 0 : pick(3) * page_size + (pick(2) ? 0 : 1);
	int flag = flags[pick(3)], prot = pick(4) ? PROT_READ | PROT_WRITE : PROT_READ;
	unsigned char *p = mmap(NULL, len, prot, flag, s->fds[s->f], off);
	struct model *m = s->m;
	long long want = 0;

	if (!len || off % page_size)
		want = -EINVAL;				/* mm */
	else if (flag == MAP_PRIVATE || len > (size_t)page_size || off)
		want = -EINVAL;				/* the driver */
	ASSERT_EQ(want, p == MAP_FAILED ? -errno : 0)
		WHERE("mmap %zu at %lld, flags %#x", len, (long long)off, flag);
	if (p == MAP_FAILED)
		return;
	ASSERT_EQ(0, memcmp(p, m->host, HOST)) WHERE("a new mapping differs from the model");
	if (m->nmaps == MAX_MAPS || prot == PROT_READ) {
		munmap(p, len);
		return;
	}
	m->maps[m->nmaps++] = p;
}

static void op_munmap(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct model *m = s->m;
	int i;

	if (!m->nmaps)
		return;
	i = pick(m->nmaps);
	munmap(m->maps[i], page_size);
	m->maps[i] = m->maps[--m->nmaps];
}

static void op_access(struct __test_metadata *_metadata, struct fuzz *s)
{
	struct model *m = s->m;
	unsigned char *p;
	long off, len, i;

	if (!m->nmaps)
		return;
	p = m->maps[pick(m->nmaps)];
	off = pick(HOST);
	len = 1 + pick(64);
	if (off + len > HOST)
		len = HOST - off;
	if (pick(2)) {
		ASSERT_EQ(0, memcmp(p + off, m->host + off, len))
			WHERE("load of %ld at %ld through a mapping", len, off);
		return;
	}
	for (i = 0; i < len; i++)
		p[off + i] = m->host[off + i] = next();
}

static void op_ioctl(struct __test_metadata *_metadata, struct fuzz *s)
{
	static unsigned char arg[256];
	unsigned int cmd = _IOC(pick(4), DMA_DEMO_IOC_MAGIC, pick(256), pick(2) ? pick(64) : next());

	/* The known commands have their own cases; the rest are ENOTTY. */
	if (cmd == DMA_DEMO_IOC_SET_STRATEGY || cmd == DMA_DEMO_IOC_GET_STRATEGY ||
	    cmd == DMA_DEMO_IOC_XFER || cmd == DMA_DEMO_IOC_ALLOC_DMABUF ||
	    cmd == DMA_DEMO_IOC_DMABUF_XFER)
		return;
	ASSERT_EQ(-ENOTTY, ioctl(s->fds[s->f], cmd, arg) < 0 ? -errno : 0)
		WHERE("ioctl %#x", cmd);
}

/* A file for every operation, whether it uses one or not. */
static void draw(struct fuzz *s)
{
	s->f = pick(FILES);
}

/* Whatever the operation, its file's position is the model's. */
static void check_pos(struct __test_metadata *_metadata, struct fuzz *s)
{
	ASSERT_EQ(s->m->pos[s->f], lseek(s->fds[s->f], 0, SEEK_CUR))
		WHERE("file %d position", s->f);
}

/*
 * Operations that move data take a DMA each, about 100 ms: the others,
 * which take microseconds, are listed five times, to be picked five
 * times as often.
 */
#define CHEAP_OPS							\
	{ "lseek", op_lseek }, { "strategy", op_strategy },		\
	{ "mmap", op_mmap }, { "munmap", op_munmap },			\
	{ "map access", op_access }, { "ioctl", op_ioctl }

static const struct fuzz_op ops[] = {
	{ "pwrite", op_pwrite }, { "pread", op_pread },
	{ "write", op_write }, { "read", op_read }, { "xfer", op_xfer },
	CHEAP_OPS, CHEAP_OPS, CHEAP_OPS, CHEAP_OPS, CHEAP_OPS,
};

TEST(fuzz)
{
	unsigned char *check = malloc(DMA_DEMO_DEV_SIZE);
	struct model *m = calloc(1, sizeof(*m));
	struct fuzz s = {
		.m = m,
		.area = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	};
	int f, i;

	DMA_DEMO_REQUIRE(DEV);
	seed = seed_from_env("DMA_DEMO_FUZZ_SEED");
	rng = seed | 1;
	TH_LOG("seed %llu (repeat with DMA_DEMO_FUZZ_SEED=%llu)", seed, seed);
	ASSERT_NE(MAP_FAILED, s.area);
	ASSERT_NE(NULL, m);
	ASSERT_NE(NULL, check);

	for (f = 0; f < FILES; f++) {
		s.fds[f] = open(DEV, O_RDWR);
		ASSERT_LE(0, s.fds[f]);
	}
	/* The model's starting point: random bytes in device and host buffer. */
	m->size = lseek(s.fds[0], 0, SEEK_END);
	ASSERT_EQ(0, lseek(s.fds[0], 0, SEEK_SET));
	for (i = 0; i < DMA_DEMO_DEV_SIZE; i++) {
		m->dev[i] = next();
		m->host[i] = next();
	}
	ASSERT_EQ(m->size, pwrite(s.fds[0], m->dev, m->size, 0));
	m->maps[0] = mmap(NULL, HOST, PROT_READ | PROT_WRITE, MAP_SHARED,
			  s.fds[0], 0);
	ASSERT_NE(MAP_FAILED, m->maps[0]);
	memcpy(m->maps[0], m->host, HOST);
	m->nmaps = 1;

	fuzz_run(_metadata, &s, ops, ARRAY_SIZE(ops), MAX_OPS, SECONDS,
		 draw, check_pos);

	/* The whole device and host buffer, as the model has them. */
	ASSERT_EQ(m->size, pread(s.fds[0], check, m->size, 0));
	ASSERT_EQ(0, memcmp(check, m->dev, m->size)) WHERE("the device at the end");
	while (m->nmaps) {
		ASSERT_EQ(0, memcmp(m->maps[m->nmaps - 1], m->host, HOST))
			WHERE("the host buffer at the end");
		munmap(m->maps[--m->nmaps], page_size);
	}
	for (f = 0; f < FILES; f++)
		close(s.fds[f]);
	munmap(s.area, 3 * page_size);
	free(check);
	free(m);
}

TEST_HARNESS_MAIN
