// SPDX-License-Identifier: GPL-2.0
/*
 * scullp probe: uses /dev/scullp* the way programs do and checks what
 * docs/design.md promises ("scullp").  Needs scullp.ko loaded; runs as root.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "uapi/scullp.h"
#include "scullp_params.h"
#include "uffd_stall.h"

#define DEV0 "/dev/scullp0"
#define DEV1 "/dev/scullp1"

/* Open a device emptied: it takes the global order and qset. */
static int open_empty(const char *path)
{
	int fd = open(path, O_RDWR | O_TRUNC);

	return fd;
}

/*
 * The basic file semantics, on an emptied device, at the recorded order
 * and qset (scullp_params.h).
 */
FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open_empty(DEV0);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV0, strerror(errno));
}

/* A case may change the qset: back to the recorded values, DEV0 too. */
FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, scullp_retrim(DEV0)) TH_LOG("%s", strerror(errno));
}

TEST_F(dev, empty_reads_eof)
{
	char buf[16];

	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));
}

TEST_F(dev, write_then_read_back)
{
	char in[1000], out[1000];

	pattern_fill(in, sizeof(in), 0, 1);
	ASSERT_EQ(sizeof(in), write(self->fd, in, sizeof(in)));
	EXPECT_EQ(sizeof(in), lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, read(self->fd, out, sizeof(out)));	/* at the end */
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(sizeof(out), read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
}

TEST_F(dev, read_past_end_returns_zero)
{
	char buf[64];

	ASSERT_EQ(10, write(self->fd, "0123456789", 10));
	EXPECT_EQ(4, pread(self->fd, buf, sizeof(buf), 6));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 10));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 1 << 20));
}

TEST_F(dev, holes_read_as_zeros)
{
	size_t hole = 3 * scullp_load_quantum() + 123;
	char *buf = malloc(hole + 4);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(4, pwrite(self->fd, "tail", 4, hole));
	ASSERT_EQ(hole + 4, lseek(self->fd, 0, SEEK_END));
	ASSERT_EQ(hole + 4, pread(self->fd, buf, hole + 4, 0));
	EXPECT_EQ(-1, zero_check(buf, hole));
	EXPECT_EQ(0, memcmp(buf + hole, "tail", 4));
	free(buf);
}

/* One read(2) and one write(2) cover many quanta and qsets, in full. */
TEST_F(dev, full_io_across_quanta_and_qsets)
{
	size_t len = 5 * 1024 * 1024 + 77;
	char *in = malloc(len), *out = malloc(len);
	int qset = 3;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	/* Small qsets: 5 MiB spans dozens of qsets of 3 quanta or more. */
	ASSERT_EQ(0, ioctl(self->fd, SCULLP_IOCSQSET, &qset));
	close(self->fd);
	self->fd = open_empty(DEV0);
	ASSERT_LE(0, self->fd);

	pattern_fill(in, len, 0, 7);
	ASSERT_EQ(len, write(self->fd, in, len));
	ASSERT_EQ(len, pread(self->fd, out, len, 0));
	EXPECT_EQ(-1, pattern_check(out, len, 0, 7));
	/* An unaligned window that starts and ends inside quanta. */
	memset(out, 0, len);
	ASSERT_EQ(len - 5000, pread(self->fd, out, len - 5000, 4001));
	EXPECT_EQ(-1, pattern_check(out, len - 5000, 4001, 7));
	free(in);
	free(out);
}

TEST_F(dev, readv_writev)
{
	char a[3000], b[5000], c[8000];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };

	pattern_fill(a, sizeof(a), 0, 3);
	pattern_fill(b, sizeof(b), sizeof(a), 3);
	ASSERT_EQ(sizeof(a) + sizeof(b), writev(self->fd, iov, 2));
	ASSERT_EQ(sizeof(c), pread(self->fd, c, sizeof(c), 0));
	EXPECT_EQ(-1, pattern_check(c, sizeof(c), 0, 3));
}

TEST_F(dev, append_appends)
{
	char buf[16] = "";
	int fd;

	ASSERT_EQ(5, write(self->fd, "hello", 5));
	fd = open(DEV0, O_WRONLY | O_APPEND);	/* write-only empties it... */
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "first", 5));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(6, write(fd, "second", 6));	/* ...and O_APPEND appends */
	close(fd);
	ASSERT_EQ(11, pread(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "firstsecond", 11));
}

TEST_F(dev, rdwr_open_keeps_data)
{
	char buf[8];
	int fd;

	ASSERT_EQ(4, write(self->fd, "keep", 4));
	fd = open(DEV0, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	close(fd);
	fd = open(DEV0, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	close(fd);
}

TEST_F(dev, trunc_and_wronly_empty_it)
{
	int fd;

	ASSERT_EQ(4, write(self->fd, "gone", 4));
	fd = open(DEV0, O_RDWR | O_TRUNC);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));

	ASSERT_EQ(4, pwrite(self->fd, "gone", 4, 0));
	fd = open(DEV0, O_WRONLY);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));
}

TEST_F(dev, lseek_whence)
{
	ASSERT_EQ(100, pwrite(self->fd, memset(malloc(100), 'x', 100), 100, 0));
	EXPECT_EQ(10, lseek(self->fd, 10, SEEK_SET));
	EXPECT_EQ(15, lseek(self->fd, 5, SEEK_CUR));
	EXPECT_EQ(12, lseek(self->fd, -3, SEEK_CUR));
	EXPECT_EQ(90, lseek(self->fd, -10, SEEK_END));
	EXPECT_EQ(1100, lseek(self->fd, 1000, SEEK_END));	/* past the end */
}

TEST_F(dev, lseek_rejects_negative_and_overflow)
{
	ASSERT_EQ(50, lseek(self->fd, 50, SEEK_SET));
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -51, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, INT64_MAX, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, 42));
	EXPECT_EQ(EINVAL, errno);
	/* A failed lseek leaves the position alone. */
	EXPECT_EQ(50, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(dev, max_size_gives_enospc_after_what_fits)
{
	long long max = module_param("scullp", "scullp_max_size");
	char buf[100];

	ASSERT_LT(100, max);
	ASSERT_EQ(max - 10, lseek(self->fd, max - 10, SEEK_SET));
	pattern_fill(buf, sizeof(buf), 0, 9);
	EXPECT_EQ(10, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, pwrite(self->fd, buf, 1, max + 4096));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(max, lseek(self->fd, 0, SEEK_END));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(10, pread(self->fd, buf, sizeof(buf), max - 10));
	EXPECT_EQ(-1, pattern_check(buf, 10, 0, 9));
}

TEST_F(dev, zero_length_calls)
{
	EXPECT_EQ(0, write(self->fd, NULL, 0));
	EXPECT_EQ(0, read(self->fd, NULL, 0));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));
}

TEST_F(dev, bad_user_buffer_is_efault)
{
	void *volatile bad = (void *)8;	/* hidden from the compiler's checks */

	EXPECT_EQ(-1, write(self->fd, bad, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));	/* nothing written */
	ASSERT_EQ(3, write(self->fd, "abc", 3));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(-1, read(self->fd, bad, 3));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(dev, scullpmem_lists_every_device)
{
	long long devs = module_param("scullp", "scullp_devs");
	struct scullpmem m;
	int i;

	size_t q = scullp_load_quantum();

	ASSERT_LT(0, devs);
	/* Two quanta and one byte of a third. */
	ASSERT_EQ(2 * q + 1, pwrite(self->fd, calloc(1, 2 * q + 1), 2 * q + 1, 0));
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_EQ(2 * q + 1, m.size);
	EXPECT_EQ(scullp_load.order, m.order);
	EXPECT_EQ(scullp_load.qset, m.qset);
	EXPECT_EQ(3, m.quanta);
	EXPECT_EQ(3UL << scullp_load.order, m.pages);
	for (i = 1; i < devs; i++) {
		EXPECT_EQ(0, read_scullpmem(i, &m));
	}
	EXPECT_EQ(-1, read_scullpmem(devs, &m));
}

/* What another process does while a write is stalled (uffd_stall.h). */
static int stalled_read(void)
{
	char buf[4096];
	int fd = open(DEV0, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf), 0);

	close(fd);
	return n < 0;
}

static int stalled_query(void)
{
	int fd = open(DEV0, O_RDONLY);
	int qset = fd < 0 ? -1 : ioctl(fd, SCULLP_IOCQQSET);

	close(fd);
	return qset <= 0;
}

static int stalled_status(void)
{
	struct scullpmem m;

	return read_scullpmem(0, &m);
}

static int stalled_trunc(void)
{
	int fd = open(DEV0, O_WRONLY | O_TRUNC);

	close(fd);
	return fd < 0;
}

/*
 * A write whose user page stalls (userfaultfd, missing mode) holds nothing
 * up: another process reads the device, queries the qset, reads
 * /proc/scullpmem and empties the device with O_TRUNC, each within a
 * second and a half; once the page comes, the write ends with its data
 * in place.
 */
TEST_F(dev, stalled_write_holds_nothing_up)
{
	static const struct stall_op ops[] = {
		{ "read", stalled_read },
		{ "SCULLP_IOCQQSET", stalled_query },
		{ "/proc/scullpmem", stalled_status },
		{ "open O_TRUNC", stalled_trunc },
	};
	char *buf = calloc(1, page_size);
	struct stall s;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(page_size, pwrite(self->fd, buf, page_size, 0));
	STALL_IO(&s, self->fd, 0, true, 0);
	expect_race_quick(_metadata, &s, ops, ARRAY_SIZE(ops), "write");
	stall_free(&s);
	EXPECT_EQ(page_size, s.ret) TH_LOG("the write: %s", strerror(s.err));
	ASSERT_EQ(page_size, pread(self->fd, buf, page_size, 0));
	EXPECT_EQ(-1, pattern_check(buf, page_size, 0, STALL_SEED));
	free(buf);
}

static int stalled_write(void)
{
	char buf[4096] = "";
	int fd = open(DEV0, O_RDWR);
	ssize_t n = fd < 0 ? -1 : pwrite(fd, buf, sizeof(buf), 4 * page_size);

	close(fd);
	return n != sizeof(buf);
}

/*
 * A read whose user page stalls holds nothing up either: another process
 * writes the device (which takes its lock alone), queries the qset and
 * reads /proc/scullpmem, each within a second and a half; once the page
 * comes, the read ends with the data.
 */
TEST_F(dev, stalled_read_holds_nothing_up)
{
	static const struct stall_op ops[] = {
		{ "write", stalled_write },
		{ "SCULLP_IOCQQSET", stalled_query },
		{ "/proc/scullpmem", stalled_status },
	};
	char *buf = malloc(page_size);
	struct stall s;

	ASSERT_NE(NULL, buf);
	pattern_fill(buf, page_size, 0, 5);
	ASSERT_EQ(page_size, pwrite(self->fd, buf, page_size, 0));
	free(buf);
	STALL_IO(&s, self->fd, 0, false, 0);
	expect_race_quick(_metadata, &s, ops, ARRAY_SIZE(ops), "read");
	EXPECT_EQ(page_size, s.ret) TH_LOG("the read: %s", strerror(s.err));
	EXPECT_EQ(-1, pattern_check(s.page, page_size, 0, 5));
	stall_free(&s);
}

/* Empty the device, then write two pages of pattern 6. */
static int stalled_trim_and_write(void)
{
	char *buf = malloc(2 * page_size);
	int fd = open(DEV0, O_RDWR | O_TRUNC);
	ssize_t n = -1;

	if (fd >= 0 && buf) {
		pattern_fill(buf, 2 * page_size, 0, 6);
		n = pwrite(fd, buf, 2 * page_size, 0);
	}
	close(fd);
	free(buf);
	return n != 2 * page_size;
}

/*
 * A read that stops at a missing page of the caller's drops the device's
 * lock to fault it in.  If the device is trimmed and written meanwhile,
 * the read ends short with what it had read: never the old data followed
 * by the new.
 */
TEST_F(dev, read_cut_by_a_trim_ends_short)
{
	static const struct stall_op ops[] = {
		{ "open O_TRUNC and write", stalled_trim_and_write },
	};
	char *buf = malloc(2 * page_size);
	struct stall s;

	ASSERT_NE(NULL, buf);
	pattern_fill(buf, 2 * page_size, 0, 5);
	ASSERT_EQ(2 * page_size, pwrite(self->fd, buf, 2 * page_size, 0));
	free(buf);
	/* Its first page is there, its second a userfaultfd page. */
	STALL_IO(&s, self->fd, 0, false, page_size);
	expect_race_quick(_metadata, &s, ops, ARRAY_SIZE(ops), "read");
	EXPECT_EQ(page_size, s.ret) TH_LOG("the read: %s", strerror(s.err));
	EXPECT_EQ(-1, pattern_check(s.buf, page_size, 0, 5));
	stall_free(&s);
}

/*
 * The ioctls, with LDD3's meaning.  They start at the recorded values and
 * change them; the teardown puts them back (RESET would give the
 * compile-time defaults) and trims again the device a case trimmed.
 */
FIXTURE(ioc) {
	int fd;
};

FIXTURE_SETUP(ioc)
{
	self->fd = open(DEV1, O_RDONLY);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ioc)
{
	close(self->fd);
	if (geteuid())
		return;	/* changing_needs_cap_sys_admin: it changed nothing */
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, scullp_retrim(DEV0)) TH_LOG("%s", strerror(errno));
}

TEST_F(ioc, order_set_tell_get_query_exchange_shift)
{
	int val;

	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
	val = 2;
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCSORDER, &val));
	EXPECT_EQ(2, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCTORDER, 3));
	val = -1;
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCGORDER, &val));
	EXPECT_EQ(3, val);
	val = 1;
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCXORDER, &val));
	EXPECT_EQ(3, val);
	EXPECT_EQ(1, ioctl(self->fd, SCULLP_IOCHORDER, 4));
	EXPECT_EQ(4, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCRESET));
	EXPECT_EQ(SCULLP_ORDER, ioctl(self->fd, SCULLP_IOCQORDER));
}

TEST_F(ioc, qset_set_tell_get_query_exchange_shift)
{
	int val;

	EXPECT_EQ(scullp_load.qset, ioctl(self->fd, SCULLP_IOCQQSET));
	val = 10;
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCSQSET, &val));
	EXPECT_EQ(10, ioctl(self->fd, SCULLP_IOCQQSET));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCTQSET, 20));
	val = -1;
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCGQSET, &val));
	EXPECT_EQ(20, val);
	val = 30;
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCXQSET, &val));
	EXPECT_EQ(20, val);
	EXPECT_EQ(30, ioctl(self->fd, SCULLP_IOCHQSET, 40));
	EXPECT_EQ(40, ioctl(self->fd, SCULLP_IOCQQSET));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCRESET));
	EXPECT_EQ(SCULLP_QSET, ioctl(self->fd, SCULLP_IOCQQSET));
}

TEST_F(ioc, every_order_is_accepted_and_no_other)
{
	int max = max_page_order(), order, val;

	ASSERT_LE(1, max);
	for (order = 0; order <= max; order++) {
		EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCTORDER, order));
	}
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCTORDER, max + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCTORDER, -1));
	EXPECT_EQ(EINVAL, errno);
	val = max + 1;
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCSORDER, &val));
	EXPECT_EQ(EINVAL, errno);
	/* The failures left the last good value in place. */
	EXPECT_EQ(max, ioctl(self->fd, SCULLP_IOCQORDER));
}

/*
 * The largest order (quanta of 4 MiB with 4 KiB pages, of 512 MiB with
 * 64 KiB ones): a write stores its bytes in one such quantum, seen by read
 * and mmap, or, when no block that large is free, fails with ENOMEM and
 * leaves the device empty.
 */
TEST_F(ioc, largest_order_stores_or_says_enomem)
{
	int max = max_page_order(), fd;
	char *in = malloc(page_size), *out = malloc(page_size), *map;
	off_t at = page_size / 2;
	struct scullpmem m;
	ssize_t ret;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, ioctl(self->fd, SCULLP_IOCTORDER, max));
	fd = open_empty(DEV0);
	ASSERT_LE(0, fd);
	pattern_fill(in, page_size, at, 29);
	errno = 0;
	ret = pwrite(fd, in, page_size, at);
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_EQ(max, m.order);
	if (ret < 0) {
		EXPECT_EQ(ENOMEM, errno);
		EXPECT_EQ(0, m.size);
		EXPECT_EQ(0, m.quanta);
		TH_LOG("no free block of order %d (%ld MiB): ENOMEM", max,
		       (page_size << max) >> 20);
	} else {
		EXPECT_EQ(page_size, ret);
		EXPECT_EQ(at + page_size, m.size);
		EXPECT_EQ(1, m.quanta);
		EXPECT_EQ(1UL << max, m.pages);
		ASSERT_EQ(page_size, pread(fd, out, page_size, at));
		EXPECT_EQ(0, memcmp(in, out, page_size));
		map = mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, map);
		EXPECT_EQ(-1, zero_check(map, at));
		EXPECT_EQ(0, memcmp(map + at, in, page_size));
		munmap(map, 2 * page_size);
	}
	close(fd);
	free(in);
	free(out);
}

TEST_F(ioc, bad_values_are_einval_and_change_nothing)
{
	int val = 0;

	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCSQSET, &val));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCTQSET, 65537));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCHQSET, -5));
	EXPECT_EQ(EINVAL, errno);
	#ifdef __LP64__
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCTORDER, 1UL << 32));
#else
	/* A 32-bit process's argument has 32 bits: the largest of them. */
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCTORDER, ~0UL));
#endif
	EXPECT_EQ(EINVAL, errno);
	val = -3;
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCXQSET, &val));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-3, val);
	EXPECT_EQ(scullp_load.qset, ioctl(self->fd, SCULLP_IOCQQSET));
	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
}

TEST_F(ioc, bad_pointers_are_efault_and_change_nothing)
{
	int *ro = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCGORDER, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCSQSET, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCGQSET, ro));
	EXPECT_EQ(EFAULT, errno);
	/* Exchange with a read-only word: the old value cannot go out. */
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCXORDER, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(scullp_load.qset, ioctl(self->fd, SCULLP_IOCQQSET));
	munmap(ro, page_size);
}

TEST_F(ioc, unknown_commands_are_enotty)
{
	int val;

	EXPECT_EQ(-1, ioctl(self->fd, _IO(SCULLP_IOC_MAGIC, 13)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO('k', 4)));
	EXPECT_EQ(ENOTTY, errno);
	/*
	 * Right number, wrong size or direction (8 bytes: a 32-bit
	 * process's long is an int, SCULLP_IOCGORDER itself).
	 */
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(SCULLP_IOC_MAGIC, 3, long long), &val));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOW(SCULLP_IOC_MAGIC, 3, int), &val));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO(SCULLP_IOC_MAGIC, 255)));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(ioc, changing_needs_cap_sys_admin)
{
	int val = 1;

	ASSERT_EQ(0, setuid(65534));	/* nobody: no capabilities left */
	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCGQSET, &val));
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCTORDER, 1));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCSQSET, &val));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCXORDER, &val));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCHQSET, 5));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCRESET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(scullp_load.qset, ioctl(self->fd, SCULLP_IOCQQSET));
}

TEST_F(ioc, new_order_applies_at_next_trim)
{
	struct scullpmem m;
	int fd;

	fd = open(DEV0, O_RDWR | O_TRUNC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, ioctl(self->fd, SCULLP_IOCTORDER, 2));
	ASSERT_EQ(0, ioctl(self->fd, SCULLP_IOCTQSET, 7));
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_EQ(scullp_load.order, m.order);	/* not yet */
	EXPECT_EQ(scullp_load.qset, m.qset);
	close(fd);
	fd = open(DEV0, O_WRONLY);		/* trims */
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_EQ(2, m.order);
	EXPECT_EQ(7, m.qset);
	EXPECT_EQ(1, m.quanta);
	EXPECT_EQ(4, m.pages);
	close(fd);
}

/*
 * mmap at several orders, up to the largest a test can hold a few quanta
 * of (largest_test_order(): the largest there is with 4 KiB pages;
 * ioc.largest_order_stores_or_says_enomem takes the largest itself).
 */
FIXTURE(map) {
	int fd;
	size_t quantum;
};

FIXTURE_VARIANT(map) {
	int order;	/* -1: largest_test_order(); -2: the recorded one */
};

FIXTURE_VARIANT_ADD(map, load_order) { .order = -2 };
FIXTURE_VARIANT_ADD(map, order0) { .order = 0 };
FIXTURE_VARIANT_ADD(map, order1) { .order = 1 };
FIXTURE_VARIANT_ADD(map, order3) { .order = 3 };
FIXTURE_VARIANT_ADD(map, order_max) { .order = -1 };

FIXTURE_SETUP(map)
{
	int order = variant->order == -2 ? scullp_load.order :
		    variant->order == -1 ? largest_test_order() : variant->order;

	ASSERT_EQ(0, scullp_set_order(order));
	self->fd = open_empty(DEV0);
	ASSERT_LE(0, self->fd);
	self->quantum = (size_t)page_size << order;
}

FIXTURE_TEARDOWN(map)
{
	close(self->fd);
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	/* Give the memory back (large quanta are scarce), at those values. */
	EXPECT_EQ(0, scullp_retrim(DEV0)) TH_LOG("%s", strerror(errno));
}

TEST_F(map, mmap_sees_what_write_wrote)
{
	size_t len = 2 * self->quantum + 3 * page_size;
	char *in = malloc(len), *map;

	ASSERT_NE(NULL, in);
	pattern_fill(in, len, 0, 11);
	ASSERT_EQ(len, write(self->fd, in, len));
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, memcmp(in, map, len));
	munmap(map, len);
	free(in);
}

TEST_F(map, write_through_mmap_is_read_back)
{
	size_t len = self->quantum + 2 * page_size, off = page_size;
	char *map, *out = malloc(len);

	ASSERT_NE(NULL, out);
	ASSERT_EQ(len, pwrite(self->fd, calloc(1, len), len, 0));
	map = mmap(NULL, len - off, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, off);
	ASSERT_NE(MAP_FAILED, map);
	pattern_fill(map, len - off, off, 13);
	ASSERT_EQ(len, pread(self->fd, out, len, 0));
	EXPECT_EQ(-1, zero_check(out, off));
	EXPECT_EQ(-1, pattern_check(out + off, len - off, off, 13));
	munmap(map, len - off);
	free(out);
}

TEST_F(map, trim_refused_while_mapped)
{
	struct scullpmem m;
	char *map;
	int fd;

	ASSERT_EQ(page_size, pwrite(self->fd, calloc(1, page_size), page_size, 0));
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_EQ(1, m.mappings);
	EXPECT_EQ(-1, open(DEV0, O_RDWR | O_TRUNC));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, open(DEV0, O_WRONLY));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(page_size, lseek(self->fd, 0, SEEK_END));
	munmap(map, page_size);
	fd = open(DEV0, O_WRONLY);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));
}

/*
 * Two mappings side by side, of neighbouring offsets: the kernel could
 * merge them into one VMA (it does not: they are VM_MIXEDMAP); the device
 * must count them right either way.
 */
TEST_F(map, adjacent_mappings_are_counted_right)
{
	struct scullpmem m;
	char *a, *b;
	int fd;

	ASSERT_EQ(4 * page_size, pwrite(self->fd, calloc(1, 4 * page_size),
					4 * page_size, 0));
	a = mmap(NULL, 4 * page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_EQ(0, munmap(a + 2 * page_size, 2 * page_size));
	b = mmap(a + 2 * page_size, 2 * page_size, PROT_READ,
		 MAP_SHARED | MAP_FIXED, self->fd, 2 * page_size);
	ASSERT_EQ(a + 2 * page_size, b);
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_LE(1, m.mappings);
	EXPECT_EQ(0, munmap(a, 4 * page_size));
	ASSERT_EQ(0, read_scullpmem(0, &m));
	EXPECT_EQ(0, m.mappings);
	fd = open(DEV0, O_RDWR | O_TRUNC);	/* not EBUSY: nothing is mapped */
	EXPECT_LE(0, fd);
	close(fd);
}

/*
 * A fault maps the window of pages around it (scullp_fault_window), aligned
 * in the address space, but never a page without data: not the hole of a
 * missing quantum, not past the end.  Both still get SIGBUS.
 */
static sigjmp_buf sigbus_env;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_env, sig);
}

TEST_F(map, fault_window_skips_holes_and_stops_at_the_data_end)
{
	long w = module_param("scullp", "scullp_fault_window");
	size_t q = self->quantum / page_size, len = (2 * q + 2) * page_size, i;
	uintptr_t touched, start, end;
	int sigbus = 0;
	char *map;

	ASSERT_LT(0, w);
	/* Data in quantum 0 (its first page) and quantum 2: quantum 1 is a hole. */
	ASSERT_EQ(page_size, pwrite(self->fd, calloc(1, page_size), page_size, 0));
	ASSERT_EQ(page_size, pwrite(self->fd, calloc(1, page_size), page_size,
				    2 * self->quantum));
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	/* Windows, not the PMD spans of large quanta (scullp_huge's). */
	if (madvise(map, len, MADV_NOHUGEPAGE))
		ASSERT_EQ(EINVAL, errno);	/* a kernel without THP */
	touched = (uintptr_t)map + (q > 1 ? q - 1 : 0) * page_size;
	(void)*(volatile char *)touched;
	start = touched & ~(w * page_size - 1);
	end = start + w * page_size;
	for (i = 0; i < len / page_size; i++) {
		uintptr_t at = (uintptr_t)map + i * page_size;
		bool data = i < q || i == 2 * q;

		EXPECT_EQ(data && at >= start && at < end, page_present((void *)at))
			TH_LOG("page %zu: quantum %zu pages, window %ld", i, q, w);
	}
	signal(SIGBUS, on_sigbus);
	if (!sigsetjmp(sigbus_env, 1))
		(void)*(volatile char *)(map + q * page_size);	/* the hole */
	else
		sigbus++;
	if (!sigsetjmp(sigbus_env, 1))
		(void)*(volatile char *)(map + (2 * q + 1) * page_size);	/* past the end */
	else
		sigbus++;
	signal(SIGBUS, SIG_DFL);
	EXPECT_EQ(2, sigbus);
	munmap(map, len);
}

TEST_F(map, private_mapping_refused)
{
	ASSERT_EQ(1, write(self->fd, "x", 1));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_PRIVATE,
				   self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(map, mapping_past_capacity_refused)
{
	long long max = module_param("scullp", "scullp_max_size");

	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				   self->fd, (max + page_size) & ~(page_size - 1)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(map, fork_shares_the_mapping)
{
	char *map;
	pid_t pid;
	int status;

	ASSERT_EQ(page_size, pwrite(self->fd, calloc(1, page_size), page_size, 0));
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		strcpy(map, "from the child");
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_STREQ("from the child", map);
	munmap(map, page_size);
}

/* Past the end of the data, a mapping has no page: SIGBUS, as in LDD3. */
TEST_SIGNAL(fault_past_end_is_sigbus, SIGBUS)
{
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open_empty(DEV0);
	volatile char *map;

	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	map = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ('x', map[0]);
	(void)map[pg];	/* the second page has no data */
}

/* Concurrent writers and readers on one device. */
#define WRITERS	4
#define READERS	2
#define SPAN	(256 * 1024)	/* bytes per writer */
#define BLOCK	4096		/* bytes per write */

struct worker {
	int fd, id;
	volatile int *stop;
	long bad;
};

static void *writer(void *arg)
{
	struct worker *w = arg;
	char buf[BLOCK];
	off_t off;

	for (off = 0; off < SPAN; off += BLOCK) {
		off_t pos = (off_t)w->id * SPAN + off;

		pattern_fill(buf, BLOCK, pos, 21);
		if (pwrite(w->fd, buf, BLOCK, pos) != BLOCK)
			w->bad++;
	}
	return NULL;
}

/* A block is written by one pwrite under the device lock: all or nothing. */
static void *reader(void *arg)
{
	struct worker *w = arg;
	char buf[BLOCK];

	while (!*w->stop) {
		off_t pos = (off_t)(rand() % (WRITERS * SPAN / BLOCK)) * BLOCK;
		ssize_t n = pread(w->fd, buf, BLOCK, pos);

		if (n < 0 || (n == BLOCK && zero_check(buf, BLOCK) != -1 &&
			      pattern_check(buf, BLOCK, pos, 21) != -1))
			w->bad++;
	}
	return NULL;
}

TEST(concurrent_writers_and_readers)
{
	struct worker w[WRITERS + READERS];
	pthread_t t[WRITERS + READERS];
	volatile int stop = 0;
	char *all = malloc(WRITERS * SPAN);
	int fd = open_empty(DEV0), i;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, all);
	for (i = 0; i < WRITERS + READERS; i++) {
		w[i] = (struct worker){ .fd = fd, .id = i, .stop = &stop };
		ASSERT_EQ(0, pthread_create(&t[i], NULL,
					    i < WRITERS ? writer : reader, &w[i]));
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	stop = 1;
	for (i = WRITERS; i < WRITERS + READERS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < WRITERS + READERS; i++) {
		EXPECT_EQ(0, w[i].bad) TH_LOG("worker %d", i);
	}
	ASSERT_EQ(WRITERS * SPAN, pread(fd, all, WRITERS * SPAN, 0));
	EXPECT_EQ(-1, pattern_check(all, WRITERS * SPAN, 0, 21));
	free(all);
	close(fd);
}

SCULLP_HARNESS_MAIN
