// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input that every device of one fixed-size buffer with a file
 * position answers alike: NULL, unmapped, PROT_NONE, kernel and read-only
 * user buffers, buffers with a PROT_NONE page in the middle and zero
 * lengths for read(2) and write(2), and offsets negative, past the end or
 * overflowing.  One variant per device node; the fixture checks that the
 * buffer holds what it held, and that no mapping is left counted.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "mmap_demo_stats.h"
#include "vmalloc_demo_ioctl.h"

#define SEED	7

/* A buffer of the loaded size holding pattern SEED; `want` is a copy. */
FIXTURE(buffer) {
	int fd;
	size_t size;
	long mappings;	/* what the driver counted at the start */
	char *want, *got;
};

FIXTURE_VARIANT(buffer) {
	const char *module;	/* not loaded: a skip; loaded: the node must open */
	const char *path;
	const char *name;	/* the node's line in mmap_demo's statistics */
	/* The size the module was loaded with, or 0. */
	size_t (*size)(void);
	/* Give the buffer @size bytes if it has others (NULL: fixed at load). */
	int (*fit)(int fd, size_t size);
	/* The live mappings the driver counts on the node, or -1. */
	long (*mappings)(int fd, const char *name);
};

static size_t mmap_demo_size(void)
{
	long long npages = module_param("mmap_demo", "npages");

	return npages > 0 ? npages * page_size : 0;
}

static long mmap_demo_mappings(int fd, const char *name)
{
	return live_vmas(name);
}

/* An earlier probe may have left it resized. */
static int vmalloc_demo_fit(int fd, size_t size)
{
	struct vmalloc_demo_info info;

	if (get_info(fd, &info))
		return -1;
	return info.size == size ? 0 : resize(fd, size);
}

static long vmalloc_demo_mappings(int fd, const char *name)
{
	struct vmalloc_demo_info info;

	return get_info(fd, &info) ? -1 : info.mappings;
}

/*
 * Each variant is named after its node, MODULE or MODULE_NODE: the guest's
 * plan runs a driver's variants (-v) by that name.
 */
FIXTURE_VARIANT_ADD(buffer, mmap_demo_remap) {
	.module = "mmap_demo",
	.path = "/dev/mmap_demo_remap",
	.name = "remap",
	.size = mmap_demo_size,
	.mappings = mmap_demo_mappings,
};

FIXTURE_VARIANT_ADD(buffer, mmap_demo_fault) {
	.module = "mmap_demo",
	.path = "/dev/mmap_demo_fault",
	.name = "fault",
	.size = mmap_demo_size,
	.mappings = mmap_demo_mappings,
};

FIXTURE_VARIANT_ADD(buffer, mmap_demo_insert) {
	.module = "mmap_demo",
	.path = "/dev/mmap_demo_insert",
	.name = "insert",
	.size = mmap_demo_size,
	.mappings = mmap_demo_mappings,
};

FIXTURE_VARIANT_ADD(buffer, vmalloc_demo) {
	.module = "vmalloc_demo",
	.path = "/dev/vmalloc_demo",
	.size = param_size,
	.fit = vmalloc_demo_fit,
	.mappings = vmalloc_demo_mappings,
};

FIXTURE_SETUP(buffer)
{
	char sys[64];

	snprintf(sys, sizeof(sys), "/sys/module/%s", variant->module);
	if (access(sys, F_OK))
		SKIP(return, "%s is not loaded", variant->module);
	self->size = variant->size();
	ASSERT_LT(0, self->size) TH_LOG("%s: no size", variant->module);
	self->fd = open(variant->path, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("%s: %s", variant->path, strerror(errno));
	self->want = malloc(self->size);
	self->got = malloc(self->size + 1);
	ASSERT_NE(NULL, self->want);
	ASSERT_NE(NULL, self->got);
	pattern_fill(self->want, self->size, 0, SEED);
	if (variant->fit)
		ASSERT_EQ(0, variant->fit(self->fd, self->size));
	ASSERT_EQ(self->size, pwrite(self->fd, self->want, self->size, 0));
	self->mappings = variant->mappings(self->fd, variant->name);
	ASSERT_LE(0, self->mappings) TH_LOG("%s: no count of mappings", variant->path);
}

FIXTURE_TEARDOWN(buffer)
{
	/* Whatever the case did, the buffer is as the setup left it. */
	EXPECT_TRUE(contents_intact(self->fd, self->size, self->want, self->got));
	EXPECT_EQ(self->mappings, variant->mappings(self->fd, variant->name));
	free(self->want);
	free(self->got);
	close(self->fd);
}

/* read(2) and write(2) with memory that is not there or not writable. */
TEST_F(buffer, read_write_bad_buffers)
{
	char *none = mmap(NULL, page_size, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	char *volatile bad[] = { NULL, (char *)1, none, (char *)-4096L,
				 BEYOND_USER(1UL << 47) };
	unsigned int i;

	ASSERT_NE(MAP_FAILED, none);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(10, lseek(self->fd, 10, SEEK_SET));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, write(self->fd, bad[i], 100)) TH_LOG("%p", bad[i]);
		EXPECT_EQ(EFAULT, errno);
		errno = 0;
		EXPECT_EQ(-1, read(self->fd, bad[i], 100)) TH_LOG("%p", bad[i]);
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
	}
	/* Reading into read-only memory: EFAULT; writing from it works. */
	EXPECT_ERRNO(EFAULT, read(self->fd, ro, 100));
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(100, pwrite(self->fd, ro, 100, 10));
	ASSERT_EQ(100, pread(self->fd, self->got, 100, 10));
	EXPECT_EQ(-1, zero_check(self->got, 100));
	ASSERT_EQ(100, pwrite(self->fd, self->want + 10, 100, 10));
	munmap(none, page_size);
	munmap(ro, page_size);
}

/* Three pages with the middle one PROT_NONE. */
static char *holed_buffer(void)
{
	char *buf = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		return NULL;
	memset(buf, 'w', 3 * page_size);
	if (mprotect(buf + page_size, page_size, PROT_NONE)) {
		munmap(buf, 3 * page_size);
		return NULL;
	}
	return buf;
}

/*
 * What a copy at @at to or from a holed buffer may move: up to the hole
 * (copied_up_to_hole()), or all of it when the device ends first.
 */
static long holed_copy_len(size_t size, off_t at)
{
	return page_size < (long)size - at ? page_size : (long)size - at;
}

/*
 * Copies stop at the hole: the call returns what it copied (at most what
 * fits before the end of the buffer), or EFAULT if nothing; the position
 * moves by that much, and the buffer holds those bytes and nothing else.
 */
TEST_F(buffer, write_from_buffer_with_hole)
{
	char *buf = holed_buffer();
	off_t at = 100;
	long room = holed_copy_len(self->size, at), done;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(at, lseek(self->fd, at, SEEK_SET));
	done = write(self->fd, buf, 3 * page_size);
	ASSERT_TRUE(copied_up_to_hole(done, room)) TH_LOG("wrote %ld of %ld", done, room);
	if (room < page_size)
		EXPECT_EQ(room, done);
	EXPECT_EQ(at + done, lseek(self->fd, 0, SEEK_CUR));
	if (at + done < (off_t)self->size) {
		EXPECT_ERRNO(EFAULT, write(self->fd, buf + page_size, page_size));
		EXPECT_EQ(at + done, lseek(self->fd, 0, SEEK_CUR));
	}
	ASSERT_EQ(self->size, pread(self->fd, self->got, self->size, 0));
	EXPECT_EQ(0, memcmp(self->got, self->want, at));
	EXPECT_EQ(0, memcmp(self->got + at, buf, done));
	EXPECT_EQ(0, memcmp(self->got + at + done, self->want + at + done,
			    self->size - at - done));
	ASSERT_EQ(done, pwrite(self->fd, self->want + at, done, at));
	munmap(buf, 3 * page_size);
}

TEST_F(buffer, read_into_buffer_with_hole)
{
	char *buf = holed_buffer();
	off_t at = 100;
	long room = holed_copy_len(self->size, at), done, i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(at, lseek(self->fd, at, SEEK_SET));
	done = read(self->fd, buf, 3 * page_size);
	ASSERT_TRUE(copied_up_to_hole(done, room)) TH_LOG("read %ld of %ld", done, room);
	if (room < page_size)
		EXPECT_EQ(room, done);
	EXPECT_EQ(at + done, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, memcmp(buf, self->want + at, done));
	/* Nothing past the count was stored: holed_buffer()'s 'w's. */
	for (i = done; i < room && buf[i] == 'w'; i++)
		;
	EXPECT_EQ(room, i);
	if (at + done < (off_t)self->size) {
		EXPECT_ERRNO(EFAULT, read(self->fd, buf + page_size, 10));
		EXPECT_EQ(at + done, lseek(self->fd, 0, SEEK_CUR));
	}
	/* The page after the hole was not touched. */
	EXPECT_EQ('w', buf[2 * page_size]);
	munmap(buf, 3 * page_size);
}

TEST_F(buffer, zero_lengths)
{
	EXPECT_EQ(0, write(self->fd, NULL, 0));
	EXPECT_EQ(0, read(self->fd, NULL, 0));
	EXPECT_EQ(0, pwrite(self->fd, (void *)1, 0, 1LL << 40));
	EXPECT_EQ(0, pread(self->fd, (void *)1, 0, 1LL << 40));
	/* A zero-length write at the end writes nothing, and says so. */
	EXPECT_EQ(0, pwrite(self->fd, self->want, 0, self->size));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 0, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
}

/* Negative offsets, offsets at and far past the end, pos + count overflows. */
TEST_F(buffer, huge_and_negative_offsets)
{
	char c[2] = "x";

	EXPECT_ERRNO(EINVAL, pread(self->fd, c, 1, -1));
	EXPECT_ERRNO(EINVAL, pwrite(self->fd, c, 1, -4096));
	EXPECT_ERRNO(EINVAL, pread(self->fd, c, 1, LLONG_MIN));
	EXPECT_ERRNO(EINVAL, pwrite(self->fd, c, 1, LLONG_MIN));
	EXPECT_EQ(0, pread(self->fd, c, 1, self->size));
	EXPECT_EQ(0, pread(self->fd, c, 1, LLONG_MAX - 1));
	EXPECT_ERRNO(ENOSPC, pwrite(self->fd, c, 1, self->size));
	EXPECT_ERRNO(ENOSPC, pwrite(self->fd, c, 1, LLONG_MAX - 1));
	/* Across the end: the part that fits, and not a byte more. */
	EXPECT_EQ(1, pwrite(self->fd, self->want + self->size - 1, 2, self->size - 1));
	EXPECT_EQ(1, pread(self->fd, c, 2, self->size - 1));
	/* pos + count overflows: the VFS refuses before the driver sees it. */
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, c, 2, LLONG_MAX));
	EXPECT_TRUE(errno == EINVAL || errno == EOVERFLOW) TH_LOG("%s", strerror(errno));
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, c, 2, LLONG_MAX));
	EXPECT_TRUE(errno == EINVAL || errno == EOVERFLOW) TH_LOG("%s", strerror(errno));
}

TEST_HARNESS_MAIN
