// SPDX-License-Identifier: GPL-2.0
/*
 * kmm_bench probe: the files of make bench's module answer as its header
 * says.  debugfs kmm_bench/vmalloc: a good run reports itself; a
 * malformed or out-of-range request is EINVAL (EFAULT for a bad pointer),
 * runs nothing and leaves the last result as it was.
 * /dev/kmm_bench_kmalloc reads and writes like vmalloc_demo's node.
 * Needs kmm_bench.ko loaded (default parameters); runs as root.
 * scripts/guest/bench.sh runs it before it measures with the module.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "probe.h"

#define DEBUGFS		"/sys/kernel/debug/kmm_bench"
#define VMALLOC_FILE	DEBUGFS "/vmalloc"
#define KMALLOC_DEV	"/dev/kmm_bench_kmalloc"

/* Write @len bytes of @s to @path in one write(2): 0, or the errno. */
static int write_errno(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, len) != (ssize_t)len)
		err = errno;
	close(fd);
	return err;
}

/* Read @path into @line: 0, or the errno. */
static int read_errno(const char *path, char *line, size_t size)
{
	int fd = open(path, O_RDONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = read(fd, line, size - 1);
	if (n < 0)
		err = errno;
	line[n > 0 ? n : 0] = 0;
	close(fd);
	return err;
}

/*
 * debugfs vmalloc: a good run reports itself; every malformed or
 * out-of-bounds request is EINVAL (EFAULT for a bad pointer), runs
 * nothing and leaves the last result as it was.
 */
TEST(vmalloc_input)
{
	static const char *const bad[] = {
		"\n", "1", "1\n", "0 1", "1 0", "1025 1", "1 100001",
		"1024 1025", "4294967297 1", "1 4294967297", "-1 1", "1 -1",
		"1  1", " 1 1", "1 1 1", "0x10 1", "abc def", "1 1x",
		"1000000000000000000000000000000000000000 1",
	};
	/* volatile: the compiler must not see that the pointer is bad. */
	const char *volatile nowhere = (const char *)8;
	unsigned int pages, reps;
	unsigned long long vm, vmap, map;
	char line[256], again[256];
	struct stat st;
	unsigned int i;

	ASSERT_EQ(0, stat(VMALLOC_FILE, &st)) TH_LOG("%s: %s", VMALLOC_FILE,
						     strerror(errno));
	EXPECT_EQ(0600, st.st_mode & 07777);

	ASSERT_EQ(0, write_errno(VMALLOC_FILE, "3 2\n", 4));
	ASSERT_EQ(0, read_errno(VMALLOC_FILE, line, sizeof(line)));
	ASSERT_EQ(5, sscanf(line, "pages=%u reps=%u vmalloc_ns=%llu vmap_ns=%llu map_ns=%llu",
			    &pages, &reps, &vm, &vmap, &map)) TH_LOG("%s", line);
	EXPECT_EQ(3, pages);
	EXPECT_EQ(2, reps);
	EXPECT_LT(0, vm);
	EXPECT_LT(0, vmap);
	EXPECT_LT(0, map);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, write_errno(VMALLOC_FILE, bad[i], strlen(bad[i])))
			TH_LOG("bad input %u was taken", i);
	}
	EXPECT_EQ(EFAULT, write_errno(VMALLOC_FILE, nowhere, 4));

	ASSERT_EQ(0, read_errno(VMALLOC_FILE, again, sizeof(again)));
	EXPECT_STREQ(line, again);
}

/*
 * /dev/kmm_bench_kmalloc: root's, kmalloc_size bytes, zeroed at load;
 * what is written reads back; a write past the end is short, then
 * ENOSPC; a read past the end returns 0.
 */
TEST(kmalloc_read_write)
{
	long long size = module_param("kmm_bench", "kmalloc_size");
	char in[3000], out[3000];
	struct stat st;
	off_t end;
	int fd;

	ASSERT_LT(sizeof(in), size);
	ASSERT_EQ(0, stat(KMALLOC_DEV, &st)) TH_LOG("%s: %s", KMALLOC_DEV,
						    strerror(errno));
	EXPECT_EQ(0600, st.st_mode & 07777);
	fd = open(KMALLOC_DEV, O_RDWR);
	ASSERT_LE(0, fd);

	end = lseek(fd, 0, SEEK_END);
	EXPECT_EQ(size, end);
	ASSERT_EQ(sizeof(out), pread(fd, out, sizeof(out), size / 2));
	EXPECT_EQ(-1, zero_check(out, sizeof(out)));

	pattern_fill(in, sizeof(in), 0, 7);
	ASSERT_EQ(sizeof(in), pwrite(fd, in, sizeof(in), 1000));
	ASSERT_EQ(sizeof(out), pread(fd, out, sizeof(out), 1000));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));

	EXPECT_EQ(100, pwrite(fd, in, sizeof(in), size - 100));
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, in, 1, size));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(100, pread(fd, out, sizeof(out), size - 100));
	EXPECT_EQ(0, memcmp(in, out, 100));
	EXPECT_EQ(0, pread(fd, out, sizeof(out), size));
	close(fd);
}

TEST_HARNESS_MAIN
