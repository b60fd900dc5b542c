// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo probe: uses /dev/vmalloc_demo the way programs do and checks
 * what docs/design.md promises ("vmalloc_demo"): read/write/lseek on a
 * fixed-size buffer, mmap of every page, the info and resize ioctls and the
 * debugfs page table.  Needs vmalloc_demo.ko loaded (any parameters);
 * runs as root.  Every test leaves the buffer at the size it found.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "vmalloc_demo_ioctl.h"
#include "uffd_stall.h"

#define DEV "/dev/vmalloc_demo"
#define PAGES_FILE "/sys/kernel/debug/vmalloc_demo/pages"

static size_t round_up_page(unsigned long long n)
{
	return (n + page_size - 1) / page_size * page_size;
}

static int param_backend(void)
{
	char name[32] = "";
	FILE *f = fopen("/sys/module/vmalloc_demo/parameters/backend", "r");

	if (!f)
		return -1;
	if (!fgets(name, sizeof(name), f))
		name[0] = 0;
	fclose(f);
	if (!strcmp(name, "vmalloc\n"))
		return VMALLOC_DEMO_BACKEND_VMALLOC;
	if (!strcmp(name, "vmap\n"))
		return VMALLOC_DEMO_BACKEND_VMAP;
	return -1;
}

/* -1 if [off, off + len) holds pattern @seed, else the first bad offset. */
static long long check_pattern(int fd, off_t off, size_t len, unsigned int seed)
{
	char *buf = malloc(len);
	long long bad;

	if (!buf)
		return 0;
	if (pread(fd, buf, len, off) != (ssize_t)len)
		bad = off;
	else
		bad = pattern_check(buf, len, off, seed);
	free(buf);
	return bad < 0 ? -1 : off + bad;
}

static long long check_zero(int fd, off_t off, size_t len)
{
	char *buf = malloc(len);
	long long bad;

	if (!buf)
		return 0;
	if (pread(fd, buf, len, off) != (ssize_t)len)
		bad = 0;
	else
		bad = zero_check(buf, len);
	free(buf);
	return bad < 0 ? -1 : off + bad;
}

FIXTURE(dev) {
	int fd;
	size_t size;
};

FIXTURE_SETUP(dev)
{
	struct vmalloc_demo_info info;

	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	self->size = param_size();
	ASSERT_LT(0, self->size);
	/* A test that failed half-way may have left another size. */
	ASSERT_EQ(0, get_info(self->fd, &info));
	if (info.size != self->size)
		ASSERT_EQ(0, resize(self->fd, self->size));
}

FIXTURE_TEARDOWN(dev)
{
	resize(self->fd, self->size);
	close(self->fd);
}

TEST_F(dev, info_matches_parameters)
{
	struct vmalloc_demo_info info;

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(self->size, info.size);
	EXPECT_EQ(self->size / page_size, info.pages);
	EXPECT_LE(1, info.runs);
	EXPECT_GE(info.pages, info.runs);
	EXPECT_EQ(param_backend(), (int)info.backend);
	EXPECT_EQ(0, info.mappings);
}

TEST_F(dev, write_then_read_back_whole_buffer)
{
	char in[3000], out[3000];

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 11));
	EXPECT_EQ(-1, check_pattern(self->fd, 0, self->size, 11));

	/* Through the file position too, in odd-sized pieces. */
	if (self->size < 1234 + sizeof(in))
		return;
	pattern_fill(in, sizeof(in), 0, 12);
	ASSERT_EQ(1234, lseek(self->fd, 1234, SEEK_SET));
	ASSERT_EQ(sizeof(in), write(self->fd, in, sizeof(in)));
	EXPECT_EQ(1234 + sizeof(in), lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(1234, lseek(self->fd, 1234, SEEK_SET));
	ASSERT_EQ(sizeof(out), read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
}

TEST_F(dev, write_past_end_is_short_then_enospc)
{
	char buf[1000], out[100];
	int fd;

	pattern_fill(buf, sizeof(buf), 0, 3);
	ASSERT_EQ(self->size - 100,
		  lseek(self->fd, self->size - 100, SEEK_SET));
	EXPECT_EQ(100, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(self->size, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_ERRNO(ENOSPC, write(self->fd, buf, sizeof(buf)));
	EXPECT_ERRNO(ENOSPC, pwrite(self->fd, buf, 1, self->size + page_size));

	/* What fitted was written, and only that. */
	ASSERT_EQ(100, pread(self->fd, out, 100, self->size - 100));
	EXPECT_EQ(0, memcmp(buf, out, 100));

	/* O_APPEND starts at the end: nothing fits. */
	fd = open(DEV, O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(ENOSPC, write(fd, buf, 1));
	close(fd);
}

TEST_F(dev, read_past_end_returns_zero)
{
	char buf[100];

	EXPECT_EQ(10, pread(self->fd, buf, sizeof(buf), self->size - 10));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), self->size));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), self->size * 3));
	ASSERT_EQ(self->size + 5, lseek(self->fd, self->size + 5, SEEK_SET));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->fd, buf, 0));
	EXPECT_EQ(0, write(self->fd, buf, 0));
}

TEST_F(dev, lseek_whence_and_bad_positions)
{
	EXPECT_EQ(self->size, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(self->size - 7, lseek(self->fd, -7, SEEK_END));
	EXPECT_EQ(self->size - 4, lseek(self->fd, 3, SEEK_CUR));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_SET));

	EXPECT_ERRNO(EINVAL, lseek(self->fd, -1, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, -(off_t)self->size - 1, SEEK_END));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, -1, SEEK_CUR));
	/* The position did not move on those errors. */
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));

	ASSERT_EQ(INT64_MAX, lseek(self->fd, INT64_MAX, SEEK_SET));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, 1, SEEK_CUR));
	EXPECT_ERRNO(EINVAL, lseek(self->fd, INT64_MAX, SEEK_END));
}

TEST_F(dev, bad_user_buffer_is_efault)
{
	/* volatile: the compiler must not see that the pointer is bad. */
	char *volatile bad = (char *)8;

	EXPECT_ERRNO(EFAULT, pwrite(self->fd, bad, 16, 0));
	EXPECT_ERRNO(EFAULT, pread(self->fd, bad, 16, 0));
}

TEST_F(dev, resize_keeps_prefix_and_zero_fills)
{
	size_t big = self->size + 3 * page_size + 5, half = self->size / 2 + 1;
	struct vmalloc_demo_info info;
	char c;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 21));

	/* Grow: the old bytes stay, the new ones are zero. */
	ASSERT_EQ(0, resize(self->fd, big));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(round_up_page(big), info.size);
	EXPECT_EQ(round_up_page(big) / page_size, info.pages);
	EXPECT_EQ(-1, check_pattern(self->fd, 0, self->size, 21));
	EXPECT_EQ(-1, check_zero(self->fd, self->size,
				 round_up_page(big) - self->size));

	/* Shrink: what is left of the prefix stays. */
	ASSERT_EQ(0, resize(self->fd, half));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(round_up_page(half), info.size);
	EXPECT_EQ(-1, check_pattern(self->fd, 0, round_up_page(half), 21));
	EXPECT_EQ(0, pread(self->fd, &c, 1, round_up_page(half)));

	/* And back: the part cut off is gone for good. */
	ASSERT_EQ(0, resize(self->fd, self->size));
	EXPECT_EQ(-1, check_pattern(self->fd, 0, round_up_page(half), 21));
	if (self->size > round_up_page(half))
		EXPECT_EQ(-1, check_zero(self->fd, round_up_page(half),
					 self->size - round_up_page(half)));
}

TEST_F(dev, resize_rejects_bad_sizes_and_keeps_data)
{
	struct vmalloc_demo_info info;
	__u64 val;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 31));
	EXPECT_ERRNO(EINVAL, resize(self->fd, 0));
	EXPECT_ERRNO(EINVAL, resize(self->fd, VMALLOC_DEMO_MAX_SIZE + 1));
	EXPECT_ERRNO(EINVAL, resize(self->fd, ~0ULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCRESIZE, NULL));

	/* More than the machine has: the allocation fails, nothing is lost. */
	val = sysconf(_SC_PHYS_PAGES) * (__u64)page_size + page_size;
	if (val <= VMALLOC_DEMO_MAX_SIZE) {
		EXPECT_ERRNO(ENOMEM, resize(self->fd, val));
	}

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(self->size, info.size);
	EXPECT_EQ(-1, check_pattern(self->fd, 0, self->size, 31));
}

/*
 * Who may grow the buffer: anyone with the node open may shrink it and
 * grow it back to its load-time size; past that takes CAP_SYS_ADMIN
 * (EPERM), so that access to the node is not access to the machine's
 * memory.  A child opened as root drops to user nobody, and with it
 * every capability, keeping the file.
 */
TEST_F(dev, growth_past_load_size_needs_cap_sys_admin)
{
	struct vmalloc_demo_info info;
	int status, fail = 0;
	pid_t pid;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 41));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		errno = 0;
		if (resize(self->fd, self->size + page_size) != -1 ||
		    errno != EPERM)
			fail |= 1;
		if (resize(self->fd, self->size / 2 + 1))
			fail |= 2;
		if (resize(self->fd, self->size))
			fail |= 4;
		_exit(fail);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("nobody: %s%s%s%s", WEXITSTATUS(status) == 100 ? "cannot become nobody" : "",
		       WEXITSTATUS(status) & 1 ? "grew past the load-time size " : "",
		       WEXITSTATUS(status) & 2 ? "could not shrink " : "",
		       WEXITSTATUS(status) & 4 ? "could not grow back" : "");
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(self->size, info.size);
	/* Root may. */
	ASSERT_EQ(0, resize(self->fd, self->size + page_size));
	ASSERT_EQ(0, resize(self->fd, self->size));
}

TEST_F(dev, bad_ioctls)
{
	struct vmalloc_demo_info info;

	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(VMALLOC_DEMO_IOC_MAGIC, 2)));
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOR('K', 0, struct vmalloc_demo_info),
			    &info));
	EXPECT_EQ(ENOTTY, errno);
	/* Right number, wrong size or direction. */
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(VMALLOC_DEMO_IOC_MAGIC, 0, int),
			    &info));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(VMALLOC_DEMO_IOC_MAGIC, 1, __u64),
			    &info));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCINFO, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCINFO, (void *)8));
}

/* mmap: the same bytes through write(2) and through the mapping. */
TEST_F(dev, mmap_and_write_see_each_other)
{
	unsigned char *map;
	long long bad;

	map = mmap(NULL, self->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 41));
	bad = pattern_check(map, self->size, 0, 41);
	EXPECT_EQ(-1, bad) TH_LOG("mapping differs at %lld", bad);

	pattern_fill(map, self->size, 0, 42);
	EXPECT_EQ(-1, check_pattern(self->fd, 0, self->size, 42));
	EXPECT_EQ(0, munmap(map, self->size));
}

TEST_F(dev, mmap_at_an_offset)
{
	size_t pages = self->size / page_size;
	unsigned char *map;
	off_t off;

	if (pages < 2)
		SKIP(return, "buffer of one page");
	off = (pages / 2) * page_size;
	ASSERT_EQ(0, pattern_write(self->fd, self->size, 51));
	map = mmap(NULL, self->size - off, PROT_READ, MAP_SHARED, self->fd, off);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	EXPECT_EQ(-1, pattern_check(map, self->size - off, off, 51));
	EXPECT_EQ(0, munmap(map, self->size - off));

	/* The last page alone. */
	off = self->size - page_size;
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, off);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, pattern_check(map, page_size, off, 51));
	EXPECT_EQ(0, munmap(map, page_size));
}

TEST_F(dev, mmap_bad_ranges_are_einval)
{
	struct {
		size_t len;
		off_t off;
		int flags;
	} bad[] = {
		{ page_size, self->size, MAP_SHARED },
		{ self->size + page_size, 0, MAP_SHARED },
		{ self->size, page_size, MAP_SHARED },
		{ 2 * page_size, self->size - page_size, MAP_SHARED },
		{ page_size, (off_t)1 << 50, MAP_SHARED },
		{ page_size, INT64_MAX & ~(off_t)(page_size - 1), MAP_SHARED },
		{ page_size, 0, MAP_PRIVATE },
	};
	struct vmalloc_demo_info info;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		void *map;

		errno = 0;
		map = mmap(NULL, bad[i].len, PROT_READ, bad[i].flags,
			   self->fd, bad[i].off);
		EXPECT_EQ(MAP_FAILED, map) TH_LOG("case %u mapped", i);
		/* The kernel itself refuses an offset that wraps: EOVERFLOW. */
		if (map == MAP_FAILED && errno != EOVERFLOW)
			EXPECT_EQ(EINVAL, errno) TH_LOG("case %u: %s", i,
							strerror(errno));
		if (map != MAP_FAILED)
			munmap(map, bad[i].len);
	}
	/* Refused mappings leave no count behind: resize still works. */
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(0, info.mappings);
	EXPECT_EQ(0, resize(self->fd, self->size));
}

TEST_F(dev, mapping_cannot_grow)
{
	void *map, *bigger;

	if (self->size < 2 * page_size)
		SKIP(return, "buffer of one page");
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	bigger = mremap(map, page_size, 2 * page_size, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, bigger);
	if (bigger != MAP_FAILED)
		map = bigger;
	EXPECT_EQ(0, munmap(map, bigger != MAP_FAILED ? 2 * page_size : page_size));
}

TEST_F(dev, resize_is_ebusy_while_mapped)
{
	struct vmalloc_demo_info info;
	unsigned char *map;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 61));
	map = mmap(NULL, self->size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(1, info.mappings);

	EXPECT_ERRNO(EBUSY, resize(self->fd, self->size + page_size));
	/* The mapping still shows the data, and the size did not change. */
	EXPECT_EQ(-1, pattern_check(map, self->size, 0, 61));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(self->size, info.size);

	/* Closing the file does not end the mapping. */
	close(self->fd);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	EXPECT_ERRNO(EBUSY, resize(self->fd, self->size + page_size));

	ASSERT_EQ(0, munmap(map, self->size));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(0, info.mappings);
	EXPECT_EQ(0, resize(self->fd, self->size + page_size));
	EXPECT_EQ(-1, check_pattern(self->fd, 0, self->size, 61));
}

/* A split VMA is two mappings; each half keeps the buffer busy. */
TEST_F(dev, split_mapping_counts_both_halves)
{
	struct vmalloc_demo_info info;
	unsigned char *map;

	if (self->size < 3 * page_size)
		SKIP(return, "buffer under three pages");
	map = mmap(NULL, 3 * page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page_size, page_size));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(2, info.mappings);
	ASSERT_EQ(0, munmap(map, page_size));
	EXPECT_ERRNO(EBUSY, resize(self->fd, self->size));
	ASSERT_EQ(0, munmap(map + 2 * page_size, page_size));
	EXPECT_EQ(0, resize(self->fd, self->size));
}

/*
 * Two mappings side by side, with consecutive offsets: the kernel may merge
 * them into one VMA after the driver's mmap() ran.  The count must still
 * come back to zero when both are gone.
 */
TEST_F(dev, adjacent_mappings_do_not_leak_the_count)
{
	size_t half = (self->size / page_size / 2) * page_size;
	struct vmalloc_demo_info info;
	unsigned char *area, *lo, *hi;

	if (!half)
		SKIP(return, "buffer of one page");
	area = mmap(NULL, 2 * half, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	lo = mmap(area, half, PROT_READ, MAP_SHARED | MAP_FIXED, self->fd, 0);
	ASSERT_EQ(area, lo);
	hi = mmap(area + half, half, PROT_READ, MAP_SHARED | MAP_FIXED,
		  self->fd, half);
	ASSERT_EQ(area + half, hi);
	ASSERT_EQ(0, get_info(self->fd, &info));
	TH_LOG("mappings reported with both halves mapped: %u", info.mappings);
	EXPECT_EQ(0, munmap(area, 2 * half));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(0, info.mappings);
	EXPECT_EQ(0, resize(self->fd, self->size));
}

TEST_F(dev, fork_shares_the_mapping)
{
	unsigned char *map;
	pid_t pid;
	int status;

	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pattern_fill(map, page_size, 0, 71);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(-1, pattern_check(map, page_size, 0, 71));
	EXPECT_EQ(-1, check_pattern(self->fd, 0, page_size, 71));
	EXPECT_EQ(0, munmap(map, page_size));
	EXPECT_EQ(0, resize(self->fd, self->size));
}

/*
 * The mapping is of ordinary pages: MADV_DONTNEED drops them and the
 * fault handler brings the same page back.
 */
TEST_F(dev, dontneed_then_touch_maps_the_same_page)
{
	unsigned char *map;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 81));
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, madvise(map, page_size, MADV_DONTNEED));
	EXPECT_EQ(-1, pattern_check(map, page_size, 0, 81));
	EXPECT_EQ(0, munmap(map, page_size));
}

/* debugfs: one "index pfn" line per page, agreeing with the info ioctl. */
TEST_F(dev, debugfs_pages_table)
{
	unsigned long long idx, pfn, prev = 0, n = 0, runs = 0, dups = 0;
	unsigned long long *pfns;
	struct vmalloc_demo_info info;
	struct stat st;
	char line[128];
	FILE *f;

	ASSERT_EQ(0, stat(PAGES_FILE, &st)) TH_LOG("%s: %s", PAGES_FILE,
						   strerror(errno));
	EXPECT_EQ(0400, st.st_mode & 07777);
	ASSERT_EQ(0, get_info(self->fd, &info));
	pfns = calloc(info.pages, sizeof(*pfns));
	ASSERT_NE(NULL, pfns);

	f = fopen(PAGES_FILE, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		ASSERT_EQ(2, sscanf(line, "%llu %llu", &idx, &pfn))
			TH_LOG("line %llu: %s", n, line);
		ASSERT_EQ(n, idx);
		ASSERT_GT(info.pages, n);
		EXPECT_NE(0, pfn);
		if (!n || pfn != prev + 1)
			runs++;
		pfns[n++] = pfn;
		prev = pfn;
	}
	fclose(f);
	EXPECT_EQ(info.pages, n);
	EXPECT_EQ(info.runs, runs);

	/* No page twice: the buffer is made of distinct pages. */
	for (idx = 0; idx < n; idx++)
		for (pfn = idx + 1; pfn < n && pfn < idx + 64; pfn++)
			if (pfns[idx] == pfns[pfn])
				dups++;
	EXPECT_EQ(0, dups);
	free(pfns);
}

TEST_F(dev, debugfs_table_follows_a_resize)
{
	struct vmalloc_demo_info info;
	unsigned long long lines = 0;
	char line[128];
	FILE *f;

	ASSERT_EQ(0, resize(self->fd, self->size + 5 * page_size));
	ASSERT_EQ(0, get_info(self->fd, &info));
	f = fopen(PAGES_FILE, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	EXPECT_EQ(info.pages, lines);
	EXPECT_EQ(self->size / page_size + 5, lines);
}

/* What another process does while a write is stalled (uffd_stall.h). */
static int stalled_read(void)
{
	char buf[4096];
	int fd = open(DEV, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf), 0);

	close(fd);
	return n != sizeof(buf);
}

static int stalled_info(void)
{
	struct vmalloc_demo_info info;
	int fd = open(DEV, O_RDONLY);
	int ret = fd < 0 ? -1 : get_info(fd, &info);

	close(fd);
	return ret;
}

static int stalled_pages(void)
{
	char line[128];
	FILE *f = fopen(PAGES_FILE, "r");
	int lines = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return !lines;
}

/*
 * A write whose user page stalls (userfaultfd, missing mode) holds nothing
 * up: another process reads the buffer, runs INFO and reads the debugfs
 * table, each within a second and a half; once the page comes, the
 * write ends with its data in place.
 */
TEST_F(dev, stalled_write_holds_nothing_up)
{
	static const struct stall_op ops[] = {
		{ "read", stalled_read },
		{ "VMALLOC_DEMO_IOCINFO", stalled_info },
		{ PAGES_FILE, stalled_pages },
	};
	struct stall s;

	STALL_IO(&s, self->fd, 0, true, 0);
	expect_race_quick(_metadata, &s, ops, ARRAY_SIZE(ops), "write");
	stall_free(&s);
	EXPECT_EQ(page_size, s.ret) TH_LOG("the write: %s", strerror(s.err));
	EXPECT_EQ(-1, check_pattern(self->fd, 0, page_size, STALL_SEED));
}

static int stalled_write(void)
{
	char buf[4096] = "";
	int fd = open(DEV, O_RDWR);
	/* At the end, away from the page the stalled read reads. */
	ssize_t n = fd < 0 ? -1 : pwrite(fd, buf, sizeof(buf),
					 param_size() - sizeof(buf));

	close(fd);
	return n != sizeof(buf);
}

static int stalled_resize(void)
{
	int fd = open(DEV, O_RDWR);
	int ret = fd < 0 ? -1 : resize(fd, param_size());

	close(fd);
	return ret;
}

/*
 * A read whose user page stalls holds nothing up either: another process
 * writes the buffer and resizes it (each takes the lock alone), runs INFO
 * and reads the debugfs table, each within a second and a half; once the
 * page comes, the read ends with the data.
 */
TEST_F(dev, stalled_read_holds_nothing_up)
{
	static const struct stall_op ops[] = {
		{ "write", stalled_write },
		{ "VMALLOC_DEMO_IOCRESIZE", stalled_resize },
		{ "VMALLOC_DEMO_IOCINFO", stalled_info },
		{ PAGES_FILE, stalled_pages },
	};
	struct stall s;

	ASSERT_EQ(0, pattern_write(self->fd, page_size, 5));
	STALL_IO(&s, self->fd, 0, false, 0);
	expect_race_quick(_metadata, &s, ops, ARRAY_SIZE(ops), "read");
	EXPECT_EQ(page_size, s.ret) TH_LOG("the read: %s", strerror(s.err));
	EXPECT_EQ(-1, pattern_check(s.page, page_size, 0, 5));
	stall_free(&s);
}

TEST_HARNESS_MAIN
