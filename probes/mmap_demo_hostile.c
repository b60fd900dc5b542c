// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo hostile input, on each of the three nodes: ioctls (the driver
 * has none: ENOTTY), lseek's edges and every bad mmap request; and, where
 * the kernel has fault injection, every allocation and user copy of open,
 * read, write, mmap and a fault on a mapping failed in turn.  (Bad user
 * buffers and offsets: buffer_hostile.c, shared with vmalloc_demo.)  Each
 * case states the errno it expects; the fixture checks that the buffer
 * holds what it held, and that no mapping is left counted.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "fail_nth.h"
#include "mmap_ranges.h"
#include "probe.h"
#include "mmap_demo_stats.h"

#define SEED	7

FIXTURE(hostile) {
	int fd;
	size_t size;
	long vmas;
	char *want, *got;
	char *spot;	/* where fault-injected mmaps go: see fi_map_spot() */
};

FIXTURE_VARIANT(hostile) {
	const char *path;
	const char *name;
	bool private_cow;	/* MAP_PRIVATE with PROT_WRITE allowed */
	bool remaps;		/* mmap() calls remap_pfn_range() */
};

FIXTURE_VARIANT_ADD(hostile, remap) {
	.path = "/dev/mmap_demo_remap",
	.name = "remap",
	.remaps = true,
};

FIXTURE_VARIANT_ADD(hostile, fault) {
	.path = "/dev/mmap_demo_fault",
	.name = "fault",
	.private_cow = true,
};

FIXTURE_VARIANT_ADD(hostile, insert) {
	.path = "/dev/mmap_demo_insert",
	.name = "insert",
};

FIXTURE_SETUP(hostile)
{
	long npages = module_param("mmap_demo", "npages");

	ASSERT_LT(0, npages) TH_LOG("is mmap_demo loaded?");
	self->size = npages * page_size;
	self->fd = open(variant->path, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->want = malloc(self->size);
	self->got = malloc(self->size + 1);
	ASSERT_NE(NULL, self->want);
	ASSERT_NE(NULL, self->got);
	pattern_fill(self->want, self->size, 0, SEED);
	ASSERT_EQ(self->size, pwrite(self->fd, self->want, self->size, 0));
	self->vmas = live_vmas(variant->name);
	ASSERT_LE(0, self->vmas) TH_LOG("debugfs %s", MMAP_DEMO_STATS);
}

FIXTURE_TEARDOWN(hostile)
{
	fi_log_stopped(_metadata);
	/* Whatever the case did, the buffer is as the setup left it. */
	EXPECT_TRUE(contents_intact(self->fd, self->size, self->want, self->got));
	EXPECT_EQ(self->vmas, live_vmas(variant->name));
	free(self->want);
	free(self->got);
	close(self->fd);
}

/*
 * No node has an ioctl: every command the VFS does not answer itself is
 * ENOTTY.  Magics the VFS uses for files ('f', 'T', 0, 'X', 0x94) stay out.
 * mmap_demo owns no magic, so two stand for all: every number, direction
 * and a few sizes of each (a syscall costs a millisecond on a debug
 * kernel under emulation, and each of the three nodes runs the sweep).
 */
TEST_F(hostile, every_ioctl_is_enotty)
{
	static const unsigned int magics[] = { 'm', 0xFF };
	static const unsigned int sizes[] = { 0, 8, 4096 };
	unsigned long long arg[8] = { 0 };
	unsigned int m, nr, dir, s, tried = 0;

	for (m = 0; m < ARRAY_SIZE(magics); m++)
		for (nr = 0; nr < 256; nr++)
			for (dir = 0; dir < 4; dir++)
				for (s = 0; s < ARRAY_SIZE(sizes); s++) {
					unsigned int cmd = _IOC(dir, magics[m], nr, sizes[s]);

					errno = 0;
					EXPECT_EQ(-1, ioctl(self->fd, cmd, arg))
						TH_LOG("cmd %#x", cmd);
					EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmd);
					tried++;
				}
	/* FIONREAD is for regular files, pipes and sockets. */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, FIONREAD, arg));
	TH_LOG("%u commands: ENOTTY", tried);
}

/* lseek on a fixed-size file: positions 0 to the size, nothing past. */
TEST_F(hostile, lseek_edges)
{
	off_t size = self->size;

	EXPECT_EQ(size, lseek(self->fd, size, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, size + 1, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 1, SEEK_CUR));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 1, SEEK_END));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, LLONG_MAX, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, LLONG_MAX, SEEK_END));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, LLONG_MIN, SEEK_CUR));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, -size - 1, SEEK_END));
	EXPECT_EQ(size, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, lseek(self->fd, -size, SEEK_END));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, -1, SEEK_CUR));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 0, 5));
	/* fixed_size_llseek() knows no SEEK_DATA or SEEK_HOLE. */
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 5, SEEK_DATA));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 5, SEEK_HOLE));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(hostile, bad_mmap_requests)
{
	expect_bad_mmap_ranges(_metadata, self->fd, self->size);
	expect_mmap_requests(_metadata, variant->path, 0,
			     variant->private_cow ? 0 : EINVAL);
	/* The teardown checks that no refused mapping is still counted. */
}

/*
 * Fault injection (fi_run(), fail_nth.h): each call made with its 1st,
 * 2nd, ... fault-injectable step failed until it runs with none failed.
 * `step` runs with fail-nth armed; `check` sees its result, checks the
 * buffer and the node's count of mappings, and restores what the call
 * changed.
 */
struct fi_case {
	const char *name;
	long (*step)(FIXTURE_DATA(hostile) *self, const void *variant, void *ctx);
	void (*check)(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		      const void *variant, void *ctx, long ret, int err);
	void *ctx;
};

/* One case's own arguments, for fi_run(). */
struct fi_args {
	FIXTURE_DATA(hostile) *self;
	const void *variant;
	const struct fi_case *c;
};

static long fi_step(struct __test_metadata *_metadata, void *arg)
{
	struct fi_args *a = arg;

	return a->c->step(a->self, a->variant, a->c->ctx);
}

static void fi_check(struct __test_metadata *_metadata, void *arg, long ret,
		     int err)
{
	struct fi_args *a = arg;

	a->c->check(_metadata, a->self, a->variant, a->c->ctx, ret, err);
}

static int run_fi(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		  const void *variant, const struct fi_case *c)
{
	struct fi_args a = { self, variant, c };

	return fi_run(_metadata, c->name, fi_step, fi_check, &a);
}

#define VARIANT(v)	((const FIXTURE_VARIANT(hostile) *)(v))

/* The buffer is intact and the node has the mappings it had. */
static void expect_intact(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, const void *variant)
{
	EXPECT_TRUE(contents_intact(self->fd, self->size, self->want, self->got));
	EXPECT_EQ(self->vmas, live_vmas(VARIANT(variant)->name));
}

static long fi_open(FIXTURE_DATA(hostile) *self, const void *variant, void *ctx)
{
	return open(VARIANT(variant)->path, O_RDWR);
}

static void fi_open_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, const void *variant,
			  void *ctx, long ret, int err)
{
	if (ret >= 0) {
		close(ret);
	} else {
		/* The path name's copy counts as a step too: EFAULT. */
		EXPECT_TRUE(err == ENOMEM || err == EFAULT) TH_LOG("%s", strerror(err));
	}
	expect_intact(_metadata, self, variant);
}

/* Writes and reads of up to 8 pages at an odd offset, by file position. */
#define FI_AT	100
static size_t fi_len(const FIXTURE_DATA(hostile) *self)
{
	size_t len = 8 * page_size;

	return len < self->size - FI_AT ? len : self->size - FI_AT;
}

static long fi_write(FIXTURE_DATA(hostile) *self, const void *variant, void *ctx)
{
	if (lseek(self->fd, FI_AT, SEEK_SET) != FI_AT)
		return -2;
	return write(self->fd, ctx, fi_len(self));
}

/* @len bytes of @data at FI_AT, the pattern elsewhere; then undo them. */
static void expect_written(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, const void *variant,
			   const char *data, long len)
{
	EXPECT_EQ(FI_AT + len, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(self->size, pread(self->fd, self->got, self->size, 0));
	EXPECT_EQ(0, memcmp(self->got, self->want, FI_AT));
	EXPECT_EQ(0, memcmp(self->got + FI_AT, data, len));
	EXPECT_EQ(0, memcmp(self->got + FI_AT + len, self->want + FI_AT + len,
			    self->size - FI_AT - len));
	ASSERT_EQ(len, pwrite(self->fd, self->want + FI_AT, len, FI_AT));
	expect_intact(_metadata, self, variant);
}

static void expect_io_result(struct __test_metadata *_metadata,
			     FIXTURE_DATA(hostile) *self, long ret, int err)
{
	if (ret < 0) {
		EXPECT_TRUE(err == EFAULT || err == ENOMEM) TH_LOG("%s", strerror(err));
	} else if (err == FI_NOT_INJECTED) {
		EXPECT_EQ(fi_len(self), ret);
	}
}

static void fi_write_check(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, const void *variant,
			   void *ctx, long ret, int err)
{
	expect_io_result(_metadata, self, ret, err);
	expect_written(_metadata, self, variant, ctx, ret > 0 ? ret : 0);
}

static long fi_read(FIXTURE_DATA(hostile) *self, const void *variant, void *ctx)
{
	if (lseek(self->fd, FI_AT, SEEK_SET) != FI_AT)
		return -2;
	memset(ctx, 0, fi_len(self));
	return read(self->fd, ctx, fi_len(self));
}

static void fi_read_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, const void *variant,
			  void *ctx, long ret, int err)
{
	long done = ret > 0 ? ret : 0;

	expect_io_result(_metadata, self, ret, err);
	EXPECT_EQ(FI_AT + done, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, memcmp(ctx, self->want + FI_AT, done));
	expect_intact(_metadata, self, variant);
}

/* mmap(2) at self->spot if the node needs one, anywhere otherwise. */
static void *fi_map(FIXTURE_DATA(hostile) *self, size_t len, int prot, off_t off)
{
	return mmap(self->spot, len, prot, MAP_SHARED | (self->spot ? MAP_FIXED : 0),
		    self->fd, off);
}

/* The whole buffer mapped shared and writable. */
static long fi_mmap(FIXTURE_DATA(hostile) *self, const void *variant, void *ctx)
{
	void *map = fi_map(self, self->size, PROT_READ | PROT_WRITE, 0);

	*(void **)ctx = map;
	return map == MAP_FAILED ? -1 : 0;
}

static void fi_mmap_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, const void *variant,
			  void *ctx, long ret, int err)
{
	char *map = *(char **)ctx;

	if (ret) {
		EXPECT_EQ(ENOMEM, err);
	} else {
		EXPECT_EQ(self->vmas + 1, live_vmas(VARIANT(variant)->name));
		EXPECT_EQ(0, memcmp(map, self->want, self->size));
		munmap(map, self->size);
	}
	expect_intact(_metadata, self, variant);
}

/*
 * A fault on a mapping inside the kernel: write(2) from a fresh mapping
 * of the buffer's tail, so that the user copy faults its pages in, with
 * each step of those faults (page tables, the fault handler) failed.
 */
struct fi_fault {
	char *map;
	size_t len;
	off_t off;
};

static long fi_fault(FIXTURE_DATA(hostile) *self, const void *variant, void *ctx)
{
	struct fi_fault *f = ctx;

	f->map = fi_map(self, f->len, PROT_READ, f->off);
	if (f->map == MAP_FAILED)
		return -2;
	/* A 32-bit lseek (_llseek) copies its result out: it can fail too. */
	if (lseek(self->fd, 0, SEEK_SET))
		return -3;
	return write(self->fd, f->map, f->len);
}

static void fi_fault_check(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, const void *variant,
			   void *ctx, long ret, int err)
{
	struct fi_fault *f = ctx;
	long done = ret > 0 ? ret : 0;

	if (ret == -2) {
		/* The mmap itself had the failure: see fi_mmap. */
		EXPECT_EQ(MAP_FAILED, f->map);
		expect_intact(_metadata, self, variant);
		return;
	}
	if (ret == -3) {
		/* The lseek had it: nothing was written, the mapping is whole. */
		EXPECT_EQ(EFAULT, err);
		EXPECT_EQ(0, memcmp(f->map, self->want + f->off, f->len));
		munmap(f->map, f->len);
		expect_intact(_metadata, self, variant);
		return;
	}
	if (ret < 0) {
		EXPECT_TRUE(err == EFAULT || err == ENOMEM) TH_LOG("%s", strerror(err));
	} else if (err == FI_NOT_INJECTED) {
		EXPECT_EQ(f->len, ret);
	}
	EXPECT_EQ(done, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(done, pread(self->fd, self->got, done, 0));
	EXPECT_EQ(0, memcmp(self->got, self->want + f->off, done));
	ASSERT_EQ(done, pwrite(self->fd, self->want, done, 0));
	/* The mapping shows the (unchanged) tail, faulted or not. */
	EXPECT_EQ(0, memcmp(f->map, self->want + f->off, f->len));
	munmap(f->map, f->len);
	expect_intact(_metadata, self, variant);
}

/* Dozens of calls, each followed by a read of the whole buffer: more time. */
TEST_F_TIMEOUT(hostile, fault_injection_every_step, 300)
{
	size_t len = 8 * page_size;
	char *data = malloc(len), *buf = malloc(len);
	void *mapped = NULL;
	struct fi_fault fault = { 0 };
	const struct fi_case cases[] = {
		{ "open", fi_open, fi_open_check, NULL },
		{ "write", fi_write, fi_write_check, data },
		{ "read", fi_read, fi_read_check, buf },
		{ "mmap", fi_mmap, fi_mmap_check, &mapped },
		{ "write from a fresh mapping", fi_fault, fi_fault_check, &fault },
	};
	int total = 0, n;
	unsigned int i;

	FAIL_NTH_REQUIRE();
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, buf);
	memset(data, 'f', len);
	/* The source of the faulting write: the last pages, or the only one. */
	fault.len = self->size > 2 * len ? len : page_size;
	fault.off = self->size - fault.len;
	if (variant->remaps) {
		self->spot = fi_map_spot(self->size);
		ASSERT_NE(NULL, self->spot);
	}

	/*
	 * Each call has steps to fail: open and mmap allocate, read and write
	 * copy (fail_usercopy), a fault allocates page tables.  None failed
	 * means fault injection did not reach the driver's paths.
	 */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = run_fi(_metadata, self, variant, &cases[i]);
		ASSERT_LE(0, n);
		EXPECT_LT(0, n)
			TH_LOG("%s: no failure injected (%s): fail_page_alloc and failslab need ignore-gfp-wait=N",
			       cases[i].name, fi_layout());
		total += n;
	}
	TH_LOG("%s: all paths: %d failures injected", variant->name, total);
	free(data);
	free(buf);
}

TEST_HARNESS_MAIN
