/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hostile input that every device made of one fixed-size buffer with a
 * file position must answer alike: NULL, unmapped, PROT_NONE, kernel and
 * read-only user buffers, buffers with a PROT_NONE page in the middle and
 * zero lengths for read(2) and write(2), and offsets negative, past the
 * end or overflowing, as TEST_F cases.  mmap_demo_hostile.c and
 * vmalloc_demo_hostile.c include this file, once, where these cases
 * belong in their TAP order.
 *
 * Before the include, the includer defines FIXTURE(hostile) with its
 * FIXTURE_SETUP and FIXTURE_TEARDOWN (TEST_F calls them), the fixture
 * having at least these fields, set up for each case:
 *
 *	int fd;		the device, open O_RDWR
 *	size_t size;	its size in bytes; writes past it are cut short
 *	char *want;	the size bytes the device holds at the start
 *	char *got;	scratch space of at least size bytes
 *
 * Each case leaves the device holding @want, for the includer's teardown
 * to check.
 */
#ifndef BUFFER_HOSTILE_H
#define BUFFER_HOSTILE_H

#include <limits.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "probe.h"

/* read(2) and write(2) with memory that is not there or not writable. */
TEST_F(hostile, read_write_bad_buffers)
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
TEST_F(hostile, write_from_buffer_with_hole)
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

TEST_F(hostile, read_into_buffer_with_hole)
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

TEST_F(hostile, zero_lengths)
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
TEST_F(hostile, huge_and_negative_offsets)
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

#endif /* BUFFER_HOSTILE_H */
