// SPDX-License-Identifier: GPL-2.0
/*
 * scullp hostile input: every ioctl number of the magic with bad sizes and
 * bad pointers, buffers that stop being mapped half way, huge and negative
 * offsets, zero lengths, bad mmap requests; and, where the kernel has
 * fault injection, every allocation of a write failed in turn.  Each case
 * states the errno it expects, and checks that the device lost nothing.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "fail_nth.h"
#include "memcg.h"
#include "probe.h"
#include "uapi/scullp.h"
#include "scullp_params.h"

#define DEV "/dev/scullp1"

/*
 * A device holding a known pattern of `len` bytes, at the recorded order
 * and qset (scullp_params.h).
 */
FIXTURE(hostile) {
	int fd;
	size_t len;
	char *want;
};

FIXTURE_SETUP(hostile)
{
	self->fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, self->fd);
	self->len = 3 * page_size + 100;
	self->want = malloc(self->len);
	ASSERT_NE(NULL, self->want);
	pattern_fill(self->want, self->len, 0, 5);
	ASSERT_EQ(self->len, pwrite(self->fd, self->want, self->len, 0));
}

FIXTURE_TEARDOWN(hostile)
{
	char *got = malloc(self->len + 1);

	/* Whatever the case did, the device still holds the pattern. */
	EXPECT_EQ(self->len, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(self->len, pread(self->fd, got, self->len + 1, 0));
	EXPECT_EQ(-1, pattern_check(got, self->len, 0, 5));
	free(got);
	free(self->want);
	close(self->fd);
	/* A case that changed the global values puts them back. */
	EXPECT_EQ(scullp_load.order, scullp_query(SCULLP_IOCQORDER));
	EXPECT_EQ(scullp_load.qset, scullp_query(SCULLP_IOCQQSET));
	EXPECT_EQ(0, scullp_restore());
}

/* Every number of magic 'K': only LDD3's thirteen exist, each one way. */
TEST_F(hostile, every_ioctl_number_and_size)
{
	static const unsigned int sizes[] = { 0, 1, 2, 4, 8, 16, 4096, 16383 };
	unsigned int nr, dir, s;
	long long val = 0;

	for (nr = 0; nr < 256; nr++)
		for (dir = 0; dir < 4; dir++)
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				unsigned int cmd = _IOC(dir, SCULLP_IOC_MAGIC, nr, sizes[s]);
				bool known = nr <= SCULLP_IOC_MAXNR &&
					((nr == 0 || nr == 2 || nr == 4 || nr == 6 ||
					  nr == 8 || nr == 10 || nr == 12) ?
					 cmd == _IO(SCULLP_IOC_MAGIC, nr) :
					 sizes[s] == sizeof(int) &&
					 ((nr == 1 || nr == 7) ? dir == _IOC_WRITE :
					  (nr == 3 || nr == 9) ? dir == _IOC_READ :
					  dir == (_IOC_READ | _IOC_WRITE)));

				if (known)
					continue;
				errno = 0;
				EXPECT_EQ(-1, ioctl(self->fd, cmd, &val))
					TH_LOG("cmd %#x", cmd);
				EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmd);
			}
	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(scullp_load.qset, ioctl(self->fd, SCULLP_IOCQQSET));
}

TEST_F(hostile, pointer_ioctls_with_bad_pointers)
{
	static const unsigned int cmds[] = {
		SCULLP_IOCSORDER, SCULLP_IOCGORDER, SCULLP_IOCXORDER,
		SCULLP_IOCSQSET, SCULLP_IOCGQSET, SCULLP_IOCXQSET,
	};
	void *none = mmap(NULL, page_size, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int *ro = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *bad[] = { NULL, (void *)1, none, (char *)none + page_size - 2,
			(void *)-4096L };
	unsigned int i, j;

	ASSERT_NE(MAP_FAILED, none);
	ASSERT_NE(MAP_FAILED, ro);
	*ro = 10;
	ASSERT_EQ(0, mprotect(ro, page_size, PROT_READ));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			EXPECT_EQ(-1, ioctl(self->fd, cmds[i], bad[j]));
			EXPECT_EQ(EFAULT, errno) TH_LOG("cmd %#x ptr %p", cmds[i], bad[j]);
		}
	/*
	 * Read-only memory holding a valid qset: it can be set from, not got
	 * or exchanged into; the failed exchange changes nothing.
	 */
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCGQSET, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SCULLP_IOCXQSET, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(scullp_load.order, ioctl(self->fd, SCULLP_IOCQORDER));
	EXPECT_EQ(scullp_load.qset, ioctl(self->fd, SCULLP_IOCQQSET));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCSQSET, ro));
	EXPECT_EQ(10, ioctl(self->fd, SCULLP_IOCQQSET));
	EXPECT_EQ(0, ioctl(self->fd, SCULLP_IOCTQSET, scullp_load.qset));
	munmap(none, page_size);
	munmap(ro, page_size);
}

/*
 * A buffer whose middle page is PROT_NONE: the call copies up to the hole
 * (or a little short of it: copied_up_to_hole()) and returns that count,
 * or EFAULT if it copied nothing; the file position moves by what was
 * copied, and the file ends there.
 */
TEST_F(hostile, write_from_buffer_with_hole)
{
	char *buf = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *got = malloc(page_size);
	ssize_t done;

	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 'w', 3 * page_size);
	ASSERT_EQ(0, mprotect(buf + page_size, page_size, PROT_NONE));
	ASSERT_EQ(self->len, lseek(self->fd, 0, SEEK_END));
	done = write(self->fd, buf, 3 * page_size);
	ASSERT_TRUE(copied_up_to_hole(done, page_size)) TH_LOG("wrote %zd", done);
	EXPECT_EQ(self->len + done, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-1, write(self->fd, buf + page_size, page_size));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(self->len + done, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(done, pread(self->fd, got, page_size, self->len));
	EXPECT_EQ(0, memcmp(got, buf, done));
	/* Give the device back its old length for the teardown's check. */
	close(self->fd);
	self->fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(self->len, pwrite(self->fd, self->want, self->len, 0));
	munmap(buf, 3 * page_size);
	free(got);
}

TEST_F(hostile, read_into_buffer_with_hole)
{
	char *buf = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + page_size, page_size, PROT_NONE));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(page_size, read(self->fd, buf, 3 * page_size));
	EXPECT_EQ(page_size, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-1, pattern_check(buf, page_size, 0, 5));
	EXPECT_EQ(-1, read(self->fd, buf + page_size, 10));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(page_size, lseek(self->fd, 0, SEEK_CUR));
	munmap(buf, 3 * page_size);
}

TEST_F(hostile, huge_and_negative_offsets)
{
	char c[2] = "x";

	EXPECT_EQ(-1, pread(self->fd, c, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(self->fd, c, 1, -4096));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, pread(self->fd, c, 1, LLONG_MAX - 1));
	EXPECT_EQ(-1, pwrite(self->fd, c, 1, LLONG_MAX - 1));
	EXPECT_EQ(ENOSPC, errno);
	/* pos + count overflows: the VFS refuses before the driver sees it. */
	EXPECT_EQ(-1, pwrite(self->fd, c, 2, LLONG_MAX));
	EXPECT_NE(0, errno);
	EXPECT_EQ(LLONG_MAX - 5, lseek(self->fd, LLONG_MAX - 5, SEEK_SET));
	EXPECT_EQ(-1, lseek(self->fd, 10, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MAX, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MIN, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(hostile, zero_lengths)
{
	EXPECT_EQ(0, write(self->fd, NULL, 0));
	EXPECT_EQ(0, read(self->fd, NULL, 0));
	EXPECT_EQ(0, pwrite(self->fd, (void *)1, 0, 1 << 30));
	EXPECT_EQ(0, pread(self->fd, (void *)1, 0, 1 << 30));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 0, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(hostile, bad_mmap_requests)
{
	long long max = module_param("scullp", "scullp_max_size");
	long long max_pages = (max + page_size - 1) / page_size;
	void *map;
	int fd;

	ASSERT_LT(0, max);
	/* Private mappings are refused, read-only or not. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_PRIVATE,
				   self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	/* Past the capacity: offset, length, and both. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				   self->fd, max_pages * page_size));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, (max_pages + 1) * page_size, PROT_READ,
				   MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED,
				   self->fd, (max_pages - 1) * page_size));
	EXPECT_EQ(EINVAL, errno);
	/* A page offset so large that it overflows when shifted. */
	EXPECT_EQ(MAP_FAILED, sys_mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd,
					 (off_t)(~0ULL & ~(page_size - 1))));
	/* Unaligned offset. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				   self->fd, 1));
	EXPECT_EQ(EINVAL, errno);
	/*
	 * Read-only and shared on a read-only file is fine: mm clears
	 * VM_SHARED for such a mapping (it can never write), not VM_MAYSHARE.
	 */
	fd = open(DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, map) TH_LOG("%s", strerror(errno));
	if (map != MAP_FAILED)
		munmap(map, page_size);
	close(fd);
}

/* rmmod while a file is open or a mapping exists is refused. */
TEST_F(hostile, rmmod_refused_while_in_use)
{
	char *map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 0);

	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, syscall(SYS_delete_module, "scullp", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	close(self->fd);
	EXPECT_EQ(-1, syscall(SYS_delete_module, "scullp", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(-1, pattern_check(map, page_size, 0, 5));
	munmap(map, page_size);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
}

/*
 * Fail the 1st, 2nd, ... fault-injectable step (allocations, and user
 * copies where fail_usercopy is built in) of a large write and of an mmap
 * until each runs with none failed.  After every failure the device holds
 * exactly what it held before, plus what the call said it wrote.  Each
 * message names the step (nth) and the address-space layout: what it takes
 * to repeat the failure.
 */
/*
 * What a writer stores is charged to its memory cgroup: in a cgroup of
 * 64 MiB (or 8 quanta, if larger), a writer of three times that gets
 * ENOMEM near the limit, not the OOM killer, and every byte it was told
 * it wrote is there.  The limit is raised before anything else is done:
 * in a full cgroup the probe's own next page would call the OOM killer.
 */
TEST_F(hostile, memory_cgroup_limits_the_writer)
{
	size_t quantum = scullp_load_quantum(), chunk = 1 << 20;
	long long limit = quantum > (8 << 20) ? 8 * quantum : 64 << 20;
	size_t off = 0, total = 3 * limit, i;
	char *buf = malloc(chunk);
	long long charged;
	struct memcg cg;
	ssize_t n = 0;
	int fd, ret;

	ASSERT_NE(NULL, buf);
	memset(buf, 0, chunk);
	fd = open("/dev/scullp2", O_RDWR | O_TRUNC);
	ASSERT_LE(0, fd);
	ret = memcg_enter(&cg, "scullp_hostile", limit);
	if (ret == -ENOSYS)
		SKIP(return, "no memory cgroup controller in this kernel (CONFIG_MEMCG)");
	ASSERT_EQ(0, ret) TH_LOG("memory cgroup: %s", strerror(-ret));
	/* A writer's loop: on after a short count, to the first error. */
	while (off < total) {
		pattern_fill(buf, chunk, off, 9);
		n = pwrite(fd, buf, chunk - off % chunk, off);
		if (n <= 0)
			break;
		off += n;
	}
	ret = errno;
	ASSERT_EQ(0, memcg_set_max(&cg, 2 * total));
	charged = memcg_current(&cg);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(ENOMEM, ret);
	EXPECT_LE(off, (size_t)limit);
	EXPECT_GE(off, (size_t)limit / 2) TH_LOG("%zu bytes stored", off);
	EXPECT_GE(charged, (long long)off);
	EXPECT_EQ((off_t)off, lseek(fd, 0, SEEK_END));
	for (i = 0; i < off; i += n) {
		n = pread(fd, buf, chunk - i % chunk, i);
		ASSERT_LT(0, n) TH_LOG("read at %zu", i);
		ASSERT_EQ(-1, pattern_check(buf, n, i, 9)) TH_LOG("at %zu", i);
	}
	close(fd);
	/* Trimmed, the device gives the memory back. */
	fd = open("/dev/scullp2", O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_LT(memcg_current(&cg), (long long)off / 2);
	EXPECT_EQ(0, memcg_leave(&cg));
	free(buf);
}

TEST_F(hostile, fault_injection_every_allocation)
{
	size_t big = 64 * page_size;
	char *data = malloc(big), *got = malloc(self->len + big);
	int nth, injected = 0, failed = 0;

	FAIL_NTH_REQUIRE();
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, got);
	memset(data, 'f', big);

	for (nth = 1; nth < 1000; nth++) {
		ssize_t ret;
		int left, err;

		ASSERT_EQ(0, set_fail_nth(nth));
		ret = pwrite(self->fd, data, big, self->len);
		err = errno;
		left = fail_nth_left();
		if (left != 0) {
			/* No failure was injected: the whole write. */
			EXPECT_EQ(big, ret) TH_LOG("write, nth %d (none injected), %s: %s",
						   nth, fi_layout(), strerror(err));
			break;
		}
		injected++;
		if (ret != (ssize_t)big)
			failed++;
		/* An allocation (ENOMEM) or a user copy (EFAULT) was failed. */
		if (ret < 0) {
			EXPECT_TRUE(err == ENOMEM || err == EFAULT)
				TH_LOG("write, nth %d, %s: %s", nth, fi_layout(), strerror(err));
			EXPECT_EQ(self->len, lseek(self->fd, 0, SEEK_END))
				TH_LOG("write, nth %d, %s", nth, fi_layout());
		}
		ASSERT_EQ(self->len, pread(self->fd, got, self->len, 0))
			TH_LOG("write, nth %d, %s", nth, fi_layout());
		EXPECT_EQ(-1, pattern_check(got, self->len, 0, 5))
			TH_LOG("write, nth %d, %s", nth, fi_layout());
		if (ret > 0) {
			ASSERT_EQ(ret, pread(self->fd, got, ret, self->len))
				TH_LOG("write, nth %d, %s", nth, fi_layout());
			EXPECT_EQ(0, memcmp(got, data, ret))
				TH_LOG("write, nth %d, %s", nth, fi_layout());
		}
		/* Back to the pattern alone. */
		close(self->fd);
		self->fd = open(DEV, O_RDWR | O_TRUNC);
		ASSERT_LE(0, self->fd);
		ASSERT_EQ(self->len, pwrite(self->fd, self->want, self->len, 0));
	}
	TH_LOG("write: %d failures injected in turn, %d calls cut short", injected, failed);
	EXPECT_LT(0, injected)
		TH_LOG("write: no failure injected: fail_page_alloc and failslab ignore-gfp-wait must be N");

	/* Back to the pattern, then the same for mmap and a fault. */
	close(self->fd);
	self->fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(self->len, pwrite(self->fd, self->want, self->len, 0));
	for (nth = 1; nth < 1000; nth++) {
		char *map;
		int left, err;

		ASSERT_EQ(0, set_fail_nth(nth));
		map = mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED, self->fd, 0);
		err = errno;
		left = fail_nth_left();
		if (map != MAP_FAILED) {
			EXPECT_EQ(-1, pattern_check(map, 2 * page_size, 0, 5))
				TH_LOG("mmap, nth %d, %s", nth, fi_layout());
			munmap(map, 2 * page_size);
		} else {
			EXPECT_EQ(ENOMEM, err)
				TH_LOG("mmap, nth %d, %s: %s", nth, fi_layout(), strerror(err));
		}
		if (left != 0) {
			/* Nothing was injected: the mapping must be there. */
			EXPECT_NE(MAP_FAILED, map)
				TH_LOG("mmap, nth %d (none injected), %s", nth, fi_layout());
			break;
		}
	}
	TH_LOG("mmap: %d failures injected in turn", nth - 1);
	EXPECT_LT(1, nth)
		TH_LOG("mmap: no failure injected: failslab ignore-gfp-wait must be N");
	free(data);
	free(got);
}

SCULLP_HARNESS_MAIN
