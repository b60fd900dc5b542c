// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo hostile input: every ioctl number of magic 0xA6 with every
 * direction and many sizes, ioctls with bad user pointers of every kind,
 * bad sizes, lseek's edges and every bad mmap request; and, where the
 * kernel has fault injection, every allocation and user copy of open,
 * read, write, both ioctls, mmap and a fault on a mapping failed in turn.
 * (Bad read and write buffers and offsets: buffer_hostile.c.)  Each case
 * states the errno it expects, and the fixture checks that the buffer lost
 * nothing: its size, its contents and its mapping count are what they were.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "fail_nth.h"
#include "memcg.h"
#include "mmap_ranges.h"
#include "probe.h"
#include "vmalloc_demo_ioctl.h"

#define DEV	"/dev/vmalloc_demo"
#define SEED	5

/* A buffer of the loaded size holding pattern SEED; `want` is a copy. */
FIXTURE(hostile) {
	int fd;
	size_t size;
	char *want, *got;
};

/* Give the device @size bytes of the pattern. */
static int reset_device(int fd, size_t size, const char *want)
{
	struct vmalloc_demo_info info;

	if (get_info(fd, &info) || (info.size != size && resize(fd, size)))
		return -1;
	return pwrite(fd, want, size, 0) == (ssize_t)size ? 0 : -1;
}

/* The same, and no mapping left counted. */
static int device_intact(int fd, size_t size, const char *want, char *got)
{
	struct vmalloc_demo_info info;

	if (get_info(fd, &info) || info.size != size || info.mappings)
		return 0;
	return contents_intact(fd, size, want, got);
}

FIXTURE_SETUP(hostile)
{
	self->size = param_size();
	ASSERT_LT(0, self->size) TH_LOG("is vmalloc_demo loaded?");
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->want = malloc(self->size);
	self->got = malloc(self->size + 1);
	ASSERT_NE(NULL, self->want);
	ASSERT_NE(NULL, self->got);
	pattern_fill(self->want, self->size, 0, SEED);
	ASSERT_EQ(0, reset_device(self->fd, self->size, self->want));
}

FIXTURE_TEARDOWN(hostile)
{
	fi_log_stopped(_metadata);
	/* Whatever the case did, the device is as the setup left it. */
	EXPECT_TRUE(device_intact(self->fd, self->size, self->want, self->got));
	free(self->want);
	free(self->got);
	close(self->fd);
}

static bool known_ioctl(unsigned int cmd)
{
	return cmd == VMALLOC_DEMO_IOCINFO || cmd == VMALLOC_DEMO_IOCRESIZE ||
	       cmd == VMALLOC_DEMO_IOCEXPORT;
}

/* Every number of magic 0xA6, every direction, many sizes: ENOTTY but three. */
TEST_F(hostile, every_ioctl_number_and_size)
{
	static const unsigned int sizes[] = {
		0, 1, 2, 4, 7, 8, 16, 24, 31, 32, 33, 64, 4096, 16383,
	};
	static const unsigned int magics[] = { 0xA5, 0xA7, 'K', 0xFF };
	unsigned long long arg[8] = { 0 };
	unsigned int nr, dir, s, m, tried = 0;

	for (nr = 0; nr < 256; nr++)
		for (dir = 0; dir < 4; dir++)
			for (s = 0; s < ARRAY_SIZE(sizes); s++) {
				unsigned int cmd = _IOC(dir, VMALLOC_DEMO_IOC_MAGIC,
							nr, sizes[s]);

				if (known_ioctl(cmd))
					continue;
				/* A valid size in arg: a wrongly accepted resize would act. */
				arg[0] = page_size;
				errno = 0;
				EXPECT_EQ(-1, ioctl(self->fd, cmd, arg)) TH_LOG("cmd %#x", cmd);
				EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmd);
				tried++;
			}
	/* The three right numbers and sizes under other magics. */
	for (m = 0; m < ARRAY_SIZE(magics); m++) {
		unsigned int cmds[] = {
			_IOR(magics[m], 0, struct vmalloc_demo_info),
			_IOW(magics[m], 1, __u64),
			_IOWR(magics[m], 2, struct vmalloc_demo_export),
		};

		for (s = 0; s < ARRAY_SIZE(cmds); s++) {
			errno = 0;
			EXPECT_EQ(-1, ioctl(self->fd, cmds[s], arg));
			EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmds[s]);
			tried++;
		}
	}
	TH_LOG("%u unknown ioctl commands: ENOTTY", tried);
}

/* Pointers that are not user memory, or not all of it, or read-only. */
TEST_F(hostile, ioctls_with_bad_pointers)
{
	char *none = mmap(NULL, page_size, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *rw = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	__u64 *ro = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *bad[] = { NULL, (void *)1, none, none + page_size - 4,
			(void *)-4096L, BEYOND_USER(1UL << 47) };
	struct vmalloc_demo_export exp = { .flags = O_RDWR, .fd = -1 };
	char unaligned[16];
	__u64 val = self->size;
	unsigned int i;
	int fd, next_fd;

	ASSERT_NE(MAP_FAILED, none);
	ASSERT_NE(MAP_FAILED, rw);
	ASSERT_NE(MAP_FAILED, ro);
	/* rw: one page of memory and nothing after it. */
	ASSERT_EQ(0, munmap(rw + page_size, page_size));
	*ro = self->size;
	memcpy(ro + 1, &exp, sizeof(exp));
	ASSERT_EQ(0, mprotect(ro, page_size, PROT_READ));

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, VMALLOC_DEMO_IOCINFO, bad[i]));
		EXPECT_EQ(EFAULT, errno) TH_LOG("INFO %p", bad[i]);
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, VMALLOC_DEMO_IOCRESIZE, bad[i]));
		EXPECT_EQ(EFAULT, errno) TH_LOG("RESIZE %p", bad[i]);
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, VMALLOC_DEMO_IOCEXPORT, bad[i]));
		EXPECT_EQ(EFAULT, errno) TH_LOG("EXPORT %p", bad[i]);
	}
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCEXPORT, rw + page_size - 4));
	/* An argument that starts in memory and ends past it. */
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCRESIZE, rw + page_size - 4));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCINFO, rw + page_size - 16));
	/* INFO writes its answer: read-only memory is EFAULT. */
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCINFO, ro));
	/*
	 * EXPORT writes the new descriptor back: to read-only memory that
	 * fails, and the descriptor it had reserved is not left behind (the
	 * next one open() gets is the same number), nor the dma-buf (the
	 * buffer can be resized).
	 */
	fd = dup(0);
	close(fd);
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCEXPORT, ro + 1));
	next_fd = dup(0);
	EXPECT_EQ(fd, next_fd);
	close(next_fd);
	EXPECT_EQ(0, resize(self->fd, self->size));
	/* RESIZE only reads: read-only and unaligned memory are fine. */
	EXPECT_EQ(0, ioctl(self->fd, VMALLOC_DEMO_IOCRESIZE, ro));
	memcpy(unaligned + 3, &val, sizeof(val));
	EXPECT_EQ(0, ioctl(self->fd, VMALLOC_DEMO_IOCRESIZE, unaligned + 3));
	munmap(none, page_size);
	munmap(rw, page_size);
	munmap(ro, page_size);
}

TEST_F(hostile, resize_to_bad_sizes)
{
	static const unsigned long long bad[] = {
		0, VMALLOC_DEMO_MAX_SIZE + 1, 1ULL << 63, ~0ULL,
	};
	unsigned long long ram = (unsigned long long)sysconf(_SC_PHYS_PAGES) * page_size;
	struct vmalloc_demo_info info;
	unsigned int i;

	ASSERT_EQ(0, get_info(self->fd, &info));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, resize(self->fd, bad[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("size %llu", bad[i]);
	}
	/* The largest valid size, more than this machine has: ENOMEM. */
	if (ram < VMALLOC_DEMO_MAX_SIZE) {
		EXPECT_ERRNO(ENOMEM, resize(self->fd, VMALLOC_DEMO_MAX_SIZE));
	}
}

/*
 * A resize rewrites the buffer, so it needs a descriptor open for
 * writing, as write() does: from a read-only one it is EBADF, whatever
 * the size, and the buffer keeps its size and its bytes.
 */
TEST_F(hostile, resize_from_a_read_only_descriptor)
{
	static const unsigned long long sizes[] = { 1, 4096, 1ULL << 20 };
	unsigned int i;
	int ro = open(DEV, O_RDONLY);

	ASSERT_LE(0, ro);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		errno = 0;
		EXPECT_EQ(-1, resize(ro, sizes[i]));
		EXPECT_EQ(EBADF, errno) TH_LOG("size %llu", sizes[i]);
	}
	EXPECT_EQ(1, device_intact(ro, self->size, self->want, self->got));
	close(ro);
}

/*
 * The buffer is charged to the memory cgroup of whoever sizes it: in a
 * cgroup of 64 MiB, growing it to 192 MiB is ENOMEM (not the OOM killer)
 * and leaves the buffer as it was; 32 MiB fits, and is charged there.
 */
TEST_F(hostile, memory_cgroup_limits_a_resize)
{
	const long long limit = 64 << 20;
	long long before;
	struct memcg cg;
	int ret;

	ret = memcg_enter(&cg, "vmalloc_demo_hostile", limit);
	if (ret == -ENOSYS)
		SKIP(return, "no memory cgroup controller in this kernel (CONFIG_MEMCG)");
	ASSERT_EQ(0, ret) TH_LOG("memory cgroup: %s", strerror(-ret));
	EXPECT_ERRNO(ENOMEM, resize(self->fd, 3 * limit));
	EXPECT_EQ(1, device_intact(self->fd, self->size, self->want, self->got));
	before = memcg_current(&cg);
	EXPECT_EQ(0, resize(self->fd, limit / 2));
	EXPECT_GE(memcg_current(&cg) - before, limit / 2);
	EXPECT_EQ(0, reset_device(self->fd, self->size, self->want));
	EXPECT_EQ(0, memcg_leave(&cg));
}

/* lseek: any position from 0 to LLONG_MAX; errors leave it where it was. */
TEST_F(hostile, lseek_edges)
{
	off_t size = self->size;

	EXPECT_EQ(LLONG_MAX, lseek(self->fd, LLONG_MAX, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 1, SEEK_CUR));
	EXPECT_EQ(LLONG_MAX, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, LLONG_MAX, SEEK_END));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, LLONG_MIN, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, -size - 1, SEEK_END));
	EXPECT_EQ(LLONG_MAX, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, lseek(self->fd, -size, SEEK_END));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, LLONG_MIN, SEEK_CUR));
	/* Unknown whence: EINVAL. */
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 0, 5));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 0, -1));
	/* SEEK_DATA/SEEK_HOLE: all data up to the end, ENXIO from there. */
	EXPECT_EQ(5, lseek(self->fd, 5, SEEK_DATA));
	EXPECT_EQ(size, lseek(self->fd, 5, SEEK_HOLE));
	EXPECT_ERRNO(ENXIO, lseek(self->fd, size, SEEK_DATA));
	EXPECT_ERRNO(ENXIO, lseek(self->fd, -1, SEEK_HOLE));
	EXPECT_EQ(size, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(hostile, bad_mmap_requests)
{
	struct vmalloc_demo_info info;

	expect_bad_mmap_ranges(_metadata, self->fd, self->size);
	expect_mmap_requests(_metadata, DEV, EINVAL, EINVAL);
	/* Nothing refused left a count: the buffer can still be resized. */
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(0, info.mappings);
	EXPECT_EQ(0, resize(self->fd, self->size));
}

/* rmmod while a mapping exists, even with the file closed, is refused. */
TEST_F(hostile, rmmod_refused_while_mapped)
{
	char *map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	int fd;

	ASSERT_NE(MAP_FAILED, map);
	close(self->fd);
	EXPECT_ERRNO(EWOULDBLOCK, syscall(SYS_delete_module, "vmalloc_demo", O_NONBLOCK));
	EXPECT_EQ(0, memcmp(map, self->want, page_size));
	munmap(map, page_size);
	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd);
	self->fd = fd;
}

/*
 * Fault injection (fi_run(), fail_nth.h).  Each call below is made with
 * its 1st, 2nd, ... fault-injectable step failed until it runs with none
 * failed; after every failure the device must be as it was, but for what
 * the call said it did.  `step` is called with fail-nth armed and returns
 * the call's result; `check` then sees the result and errno, and restores
 * the device.
 */
struct fi_case {
	const char *name;
	long (*step)(struct __test_metadata *_metadata,
		     FIXTURE_DATA(hostile) *self, void *ctx);
	void (*check)(struct __test_metadata *_metadata,
		      FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err);
	void *ctx;
};

/* One case's own arguments, for fi_run(). */
struct fi_args {
	FIXTURE_DATA(hostile) *self;
	const struct fi_case *c;
};

static long fi_step(struct __test_metadata *_metadata, void *arg)
{
	struct fi_args *a = arg;

	return a->c->step(_metadata, a->self, a->c->ctx);
}

static void fi_check(struct __test_metadata *_metadata, void *arg, long ret,
		     int err)
{
	struct fi_args *a = arg;

	a->c->check(_metadata, a->self, a->c->ctx, ret, err);
}

static int run_fi(struct __test_metadata *_metadata,
		  FIXTURE_DATA(hostile) *self, const struct fi_case *c)
{
	struct fi_args a = { self, c };

	return fi_run(_metadata, c->name, fi_step, fi_check, &a);
}

static long fi_open(struct __test_metadata *_metadata,
		    FIXTURE_DATA(hostile) *self, void *ctx)
{
	return open(DEV, O_RDWR);
}

static void fi_open_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	if (ret >= 0) {
		close(ret);
	} else {
		/* The path name's copy counts as a step too: EFAULT. */
		EXPECT_TRUE(err == ENOMEM || err == EFAULT) TH_LOG("%s", strerror(err));
	}
	EXPECT_TRUE(device_intact(self->fd, self->size, self->want, self->got));
}

/* A write or read of 8 pages at an odd offset through the file position. */
#define FI_AT	100
#define FI_LEN	(8 * page_size)

static long fi_write(struct __test_metadata *_metadata,
		     FIXTURE_DATA(hostile) *self, void *ctx)
{
	if (lseek(self->fd, FI_AT, SEEK_SET) != FI_AT)
		return -2;
	return write(self->fd, ctx, FI_LEN);
}

/* The device holds the pattern but for @len bytes of @data at FI_AT. */
static void expect_written(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, const char *data, long len)
{
	struct vmalloc_demo_info info;

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(self->size, info.size);
	EXPECT_EQ(0, info.mappings);
	ASSERT_EQ(self->size, pread(self->fd, self->got, self->size, 0));
	EXPECT_EQ(0, memcmp(self->got, self->want, FI_AT));
	EXPECT_EQ(0, memcmp(self->got + FI_AT, data, len));
	EXPECT_EQ(0, memcmp(self->got + FI_AT + len, self->want + FI_AT + len,
			    self->size - FI_AT - len));
	ASSERT_EQ(len, pwrite(self->fd, self->want + FI_AT, len, FI_AT));
}

/*
 * What a write or read at FI_AT returned, and the file position it left:
 * the bytes it says it moved.
 */
static long expect_rw_result(struct __test_metadata *_metadata,
			     FIXTURE_DATA(hostile) *self, long ret, int err)
{
	long done = ret > 0 ? ret : 0;

	if (ret < 0) {
		EXPECT_TRUE(err == EFAULT || err == ENOMEM) TH_LOG("%s", strerror(err));
	} else if (err == FI_NOT_INJECTED) {
		EXPECT_EQ(FI_LEN, ret);
	}
	EXPECT_EQ(FI_AT + done, lseek(self->fd, 0, SEEK_CUR));
	return done;
}

static void fi_write_check(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	expect_written(_metadata, self, ctx, expect_rw_result(_metadata, self, ret, err));
}

static long fi_read(struct __test_metadata *_metadata,
		    FIXTURE_DATA(hostile) *self, void *ctx)
{
	if (lseek(self->fd, FI_AT, SEEK_SET) != FI_AT)
		return -2;
	memset(ctx, 0, FI_LEN);
	return read(self->fd, ctx, FI_LEN);
}

static void fi_read_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	long done = expect_rw_result(_metadata, self, ret, err);

	EXPECT_EQ(0, memcmp(ctx, self->want + FI_AT, done));
	EXPECT_TRUE(device_intact(self->fd, self->size, self->want, self->got));
}

static long fi_info(struct __test_metadata *_metadata,
		    FIXTURE_DATA(hostile) *self, void *ctx)
{
	return ioctl(self->fd, VMALLOC_DEMO_IOCINFO, ctx);
}

static void fi_info_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	struct vmalloc_demo_info *info = ctx;

	if (ret) {
		EXPECT_EQ(EFAULT, err);
	} else {
		EXPECT_EQ(self->size, info->size);
	}
	EXPECT_TRUE(device_intact(self->fd, self->size, self->want, self->got));
}

/*
 * Resize between small sizes, so that the vmap backend's page-by-page
 * allocation stays a few dozen steps: from `from` bytes to `to`.
 */
struct fi_resize {
	size_t from, to;
};

static long fi_resize(struct __test_metadata *_metadata,
		      FIXTURE_DATA(hostile) *self, void *ctx)
{
	struct fi_resize *r = ctx;

	return resize(self->fd, r->to);
}

static void fi_resize_check(struct __test_metadata *_metadata,
			    FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	struct fi_resize *r = ctx;
	size_t from = (r->from + page_size - 1) / page_size * page_size;
	size_t to = (r->to + page_size - 1) / page_size * page_size;
	size_t keep = from < to ? from : to;

	if (ret) {
		/* ENOMEM, and the old buffer exactly as it was. */
		EXPECT_EQ(ENOMEM, err);
		EXPECT_TRUE(device_intact(self->fd, from, self->want, self->got));
		return;
	}
	EXPECT_EQ(to, lseek(self->fd, 0, SEEK_END));
	ASSERT_EQ(to, pread(self->fd, self->got, to + 1, 0));
	EXPECT_EQ(0, memcmp(self->got, self->want, keep));
	EXPECT_EQ(-1, zero_check(self->got + keep, to - keep));
	ASSERT_EQ(0, reset_device(self->fd, from, self->want));
}

static long fi_mmap(struct __test_metadata *_metadata,
		    FIXTURE_DATA(hostile) *self, void *ctx)
{
	void *map = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, page_size);

	*(void **)ctx = map;
	return map == MAP_FAILED ? -1 : 0;
}

static void fi_mmap_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	char *map = *(char **)ctx;

	if (ret) {
		EXPECT_EQ(ENOMEM, err);
	} else {
		EXPECT_EQ(0, memcmp(map, self->want + page_size, 4 * page_size));
		munmap(map, 4 * page_size);
	}
	/* A failed mmap leaves no mapping counted: device_intact checks. */
	EXPECT_TRUE(device_intact(self->fd, self->size, self->want, self->got));
}

/*
 * A fault on the mapping inside the kernel: write(2) from a mapping of
 * the device whose pages were zapped, so that the user copy faults them
 * back in, with the fault's steps failed in turn.
 */
static long fi_fault(struct __test_metadata *_metadata,
		     FIXTURE_DATA(hostile) *self, void *ctx)
{
	char *map = ctx;

	if (madvise(map, FI_LEN, MADV_DONTNEED))
		return -2;
	if (lseek(self->fd, FI_AT, SEEK_SET) != FI_AT)
		return -2;
	return write(self->fd, map, FI_LEN);
}

static void fi_fault_check(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, void *ctx, long ret, int err)
{
	char *map = ctx;
	long done = expect_rw_result(_metadata, self, ret, err);

	/* The source is the tail of the buffer, which the write leaves alone. */
	ASSERT_EQ(done, pread(self->fd, self->got, done, FI_AT));
	EXPECT_EQ(0, memcmp(self->got, self->want + self->size - FI_LEN, done));
	EXPECT_EQ(0, memcmp(map, self->want + self->size - FI_LEN, FI_LEN));
	ASSERT_EQ(done, pwrite(self->fd, self->want + FI_AT, done, FI_AT));
	EXPECT_TRUE(contents_intact(self->fd, self->size, self->want, self->got));
}

/* Dozens of calls, each followed by a read of the whole buffer: more time. */
TEST_F_TIMEOUT(hostile, fault_injection_every_step, 300)
{
	char *data = malloc(FI_LEN), *buf = malloc(FI_LEN), *fault_map = NULL;
	struct vmalloc_demo_info info;
	struct fi_resize grow = { 5 * page_size, 9 * page_size };
	struct fi_resize shrink = { 5 * page_size, 2 * page_size - 1 };
	void *mapped = NULL;
	const struct fi_case cases[] = {
		{ "open", fi_open, fi_open_check, NULL },
		{ "write", fi_write, fi_write_check, data },
		{ "read", fi_read, fi_read_check, buf },
		{ "ioctl(INFO)", fi_info, fi_info_check, &info },
		{ "mmap", fi_mmap, fi_mmap_check, &mapped },
	};
	struct fi_case fault = { "write from a zapped mapping", fi_fault,
				 fi_fault_check, NULL };
	const struct fi_case resizes[] = {
		{ "ioctl(RESIZE) grow", fi_resize, fi_resize_check, &grow },
		{ "ioctl(RESIZE) shrink", fi_resize, fi_resize_check, &shrink },
	};
	int total = 0, n;
	unsigned int i;

	FAIL_NTH_REQUIRE();
	if (self->size < FI_AT + 2 * FI_LEN)
		SKIP(return, "buffer under 17 pages");
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, buf);
	memset(data, 'f', FI_LEN);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = run_fi(_metadata, self, &cases[i]);
		ASSERT_LE(0, n);
		total += n;
	}

	fault_map = mmap(NULL, FI_LEN, PROT_READ, MAP_SHARED, self->fd,
			 self->size - FI_LEN);
	ASSERT_NE(MAP_FAILED, fault_map);
	fault.ctx = fault_map;
	total += run_fi(_metadata, self, &fault);
	munmap(fault_map, FI_LEN);

	/* Resize: small buffers, grown and shrunk. */
	ASSERT_EQ(0, reset_device(self->fd, grow.from, self->want));
	for (i = 0; i < ARRAY_SIZE(resizes); i++) {
		n = run_fi(_metadata, self, &resizes[i]);
		EXPECT_LT(0, n)
			TH_LOG("%s: no failure injected (%s): fail_page_alloc and failslab need ignore-gfp-wait=N",
			       resizes[i].name, fi_layout());
		total += n;
	}
	ASSERT_EQ(0, reset_device(self->fd, self->size, self->want));
	TH_LOG("all paths: %d failures injected", total);
	free(data);
	free(buf);
}

TEST_HARNESS_MAIN
