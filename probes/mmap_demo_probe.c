// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo probe: the three nodes used the way programs use them, and
 * the checks docs/design.md promises ("mmap_demo").  Needs mmap_demo.ko
 * loaded and debugfs mounted; runs as root.
 *
 * The node tests run once per node (a FIXTURE_VARIANT each) and follow
 * the checklist of the kernel's tools/testing/selftests/mm/pfnmap.c
 * (madvise, partial munmap, mremap, fork), with the answers each node is
 * documented to give.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "mmap_demo_stats.h"

/* The fault node's pages per fault (mmap_demo's fault_window). */
static long fault_window(void)
{
	return module_param("mmap_demo", "fault_window");
}

static long buf_pages(void)
{
	return module_param("mmap_demo", "npages");
}

/* Touch every page of a range for reading; the sum keeps the loads. */
static unsigned long touch(const char *p, size_t len)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < len; i += page_size)
		sum += *(volatile const char *)(p + i);
	return sum;
}

FIXTURE(node) {
	int fd;
	long npages;
	size_t size;
};

FIXTURE_VARIANT(node) {
	const char *path;
	const char *name;
	bool private_cow;	/* MAP_PRIVATE|PROT_WRITE is copy-on-write */
	bool grows;		/* mremap() may enlarge a mapping */
	bool dontneed;		/* MADV_DONTNEED allowed (not VM_PFNMAP) */
	bool filled;		/* every page mapped at mmap() time */
};

FIXTURE_VARIANT_ADD(node, remap) {
	.path = "/dev/mmap_demo_remap",
	.name = "remap",
	.filled = true,
};

FIXTURE_VARIANT_ADD(node, fault) {
	.path = "/dev/mmap_demo_fault",
	.name = "fault",
	.private_cow = true,
	.grows = true,
	.dontneed = true,
};

FIXTURE_VARIANT_ADD(node, insert) {
	.path = "/dev/mmap_demo_insert",
	.name = "insert",
	.dontneed = true,
	.filled = true,
};

FIXTURE_SETUP(node)
{
	self->npages = buf_pages();
	ASSERT_LT(0, self->npages) TH_LOG("is mmap_demo loaded?");
	self->size = self->npages * page_size;
	self->fd = open(variant->path, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", variant->path, strerror(errno));
}

FIXTURE_TEARDOWN(node)
{
	close(self->fd);
}

static char *map_shared(int fd, size_t len, off_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

/*
 * Grow a mapping from @old to @new bytes by moving it to a place of our
 * choosing: 6.12 grows no VM_SPECIAL mapping in place (ENOMEM), and the
 * fault node is VM_MIXEDMAP.  MAP_FAILED, or the new address.
 */
static char *grow(char *p, size_t old, size_t new)
{
	void *dst = mmap(NULL, new, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *q;

	if (dst == MAP_FAILED)
		return MAP_FAILED;
	q = mremap(p, old, new, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q == MAP_FAILED)
		munmap(dst, new);
	return q;
}

/* read/write/lseek of the fixed-size buffer. */
TEST_F(node, file_io_is_fixed_size)
{
	char buf[64];

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 11));
	EXPECT_EQ(-1, pattern_read_check(self->fd, self->size, 11));
	EXPECT_EQ(self->size, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(ENOSPC, errno);
	/* A write across the end: the bytes that fit, then ENOSPC. */
	EXPECT_EQ(10, pwrite(self->fd, buf, sizeof(buf), self->size - 10));
	EXPECT_EQ(-1, lseek(self->fd, self->size + 1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
}

/* A byte written through write(2) is in the mapping, and back. */
TEST_F(node, map_sees_write_and_read_sees_map)
{
	char *p;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 21));
	p = map_shared(self->fd, self->size, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", strerror(errno));
	EXPECT_EQ(-1, pattern_check(p, self->size, 0, 21));
	pattern_fill(p, self->size, 0, 22);
	EXPECT_EQ(-1, pattern_read_check(self->fd, self->size, 22));
	/* An offset mapping shows the pages from that offset on. */
	if (self->npages > 1) {
		char *q = map_shared(self->fd, page_size, page_size);

		ASSERT_NE(MAP_FAILED, q);
		EXPECT_EQ(-1, pattern_check(q, page_size, page_size, 22));
		munmap(q, page_size);
	}
	munmap(p, self->size);
}

/* What does not fit in the buffer is refused with EINVAL. */
TEST_F(node, bad_ranges_einval)
{
	struct { size_t len; off_t off; const char *what; } cases[] = {
		{ self->size + page_size, 0, "one page too long" },
		{ page_size, self->size, "offset at the end" },
		{ 2 * page_size, self->size - page_size, "crossing the end" },
		{ page_size, (off_t)1 << 50, "huge offset" },
		{ page_size, (off_t)((~0ULL >> 1) & ~(page_size - 1ULL)), "largest offset" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *p = map_shared(self->fd, cases[i].len, cases[i].off);

		EXPECT_EQ(MAP_FAILED, p) TH_LOG("%s: mapped", cases[i].what);
		if (p != MAP_FAILED) {
			munmap(p, cases[i].len);
			continue;
		}
		/* The core refuses an offset + length that overflows first. */
		EXPECT_TRUE(errno == EINVAL || errno == EOVERFLOW)
			TH_LOG("%s: %s", cases[i].what, strerror(errno));
	}
}

/* MAP_PRIVATE: copy-on-write on the fault node, read-only elsewhere. */
TEST_F(node, private_mapping)
{
	char *p, c;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 31));
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	if (!variant->private_cow) {
		EXPECT_EQ(MAP_FAILED, p);
		EXPECT_EQ(EINVAL, errno);
		p = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE, self->fd, 0);
		ASSERT_NE(MAP_FAILED, p) TH_LOG("read-only private: %s", strerror(errno));
		EXPECT_EQ(-1, pattern_check(p, page_size, 0, 31));
		EXPECT_EQ(-1, mprotect(p, page_size, PROT_READ | PROT_WRITE));
		EXPECT_EQ(EACCES, errno);
		munmap(p, page_size);
		return;
	}
	ASSERT_NE(MAP_FAILED, p) TH_LOG("private: %s", strerror(errno));
	EXPECT_EQ(-1, pattern_check(p, page_size, 0, 31));
	memset(p, 0x5a, page_size);
	/* The buffer did not change; the private copy did. */
	EXPECT_EQ(-1, pattern_read_check(self->fd, self->size, 31));
	ASSERT_EQ(1, pread(self->fd, &c, 1, 0));
	EXPECT_NE(0x5a, c);
	EXPECT_EQ(0x5a, p[page_size - 1]);
	munmap(p, page_size);
}

/* madvise(MADV_DONTNEED): refused on VM_PFNMAP; elsewhere pages come back. */
TEST_F(node, madvise_dontneed)
{
	struct counters before, after;
	char *p;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 41));
	p = map_shared(self->fd, self->size, 0);
	ASSERT_NE(MAP_FAILED, p);
	touch(p, self->size);
	ASSERT_EQ(0, read_counters(variant->name, &before));
	if (!variant->dontneed) {
		EXPECT_EQ(-1, madvise(p, self->size, MADV_DONTNEED));
		EXPECT_EQ(EINVAL, errno);
	} else {
		EXPECT_EQ(0, madvise(p, self->size, MADV_DONTNEED));
	}
	EXPECT_EQ(-1, pattern_check(p, self->size, 0, 41));
	ASSERT_EQ(0, read_counters(variant->name, &after));
	/* Zapped pages come back, each once: by its own fault or a neighbour's. */
	EXPECT_EQ(before.faults + before.prefaulted +
		  (variant->dontneed ? self->npages : 0),
		  after.faults + after.prefaulted);
	munmap(p, self->size);
}

/* Unmapping a page in the middle splits the mapping; the rest still works. */
TEST_F(node, partial_munmap)
{
	struct counters before, split, after;
	char *p;

	if (self->npages < 3)
		SKIP(return, "needs 3 pages, the buffer has %ld", self->npages);
	ASSERT_EQ(0, pattern_write(self->fd, self->size, 51));
	ASSERT_EQ(0, read_counters(variant->name, &before));
	p = map_shared(self->fd, 3 * page_size, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + page_size, page_size));
	ASSERT_EQ(0, read_counters(variant->name, &split));
	EXPECT_EQ(before.vmas + 2, split.vmas);
	EXPECT_EQ(-1, pattern_check(p, page_size, 0, 51));
	EXPECT_EQ(-1, pattern_check(p + 2 * page_size, page_size, 2 * page_size, 51));
	munmap(p, page_size);
	munmap(p + 2 * page_size, page_size);
	ASSERT_EQ(0, read_counters(variant->name, &after));
	EXPECT_EQ(before.vmas, after.vmas);
	EXPECT_EQ(before.mmaps + 1, after.mmaps);
}

/* mremap(): shrink and move work everywhere; growth only on the fault node. */
TEST_F(node, mremap_shrink_move_grow)
{
	size_t len = self->npages > 1 ? 2 * page_size : page_size;
	char *p, *q, *dst;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 61));
	p = map_shared(self->fd, len, 0);
	ASSERT_NE(MAP_FAILED, p);
	if (len > (size_t)page_size) {
		q = mremap(p, len, page_size, 0);
		ASSERT_EQ(p, q) TH_LOG("shrink: %s", strerror(errno));
		len = page_size;
	}
	/* Move to a place of our choosing. */
	dst = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, dst);
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_EQ(dst, q) TH_LOG("move: %s", strerror(errno));
	EXPECT_EQ(-1, pattern_check(q, len, 0, 61));
	q[0] = 'M';
	EXPECT_EQ(1, pread(self->fd, &q[1], 1, 0));
	EXPECT_EQ('M', q[1]);
	/* Growth. */
	p = grow(q, len, 2 * len);
	if (variant->grows) {
		ASSERT_NE(MAP_FAILED, p) TH_LOG("grow: %s", strerror(errno));
		EXPECT_EQ('M', p[0]);
		munmap(p, 2 * len);
	} else {
		EXPECT_EQ(MAP_FAILED, p);
		EXPECT_EQ(EFAULT, errno);	/* VM_DONTEXPAND */
		munmap(q, len);
	}
}

/* fork(): the child's mapping is the same pages, both ways. */
TEST_F(node, fork_shares_pages)
{
	struct counters before, during;
	int status, pipefd[2];
	char *p, go;
	pid_t pid;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 71));
	p = map_shared(self->fd, self->size, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, read_counters(variant->name, &before));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Wait for the parent to read the counters, then write. */
		if (read(pipefd[0], &go, 1) != 1)
			_exit(2);
		if (pattern_check(p, self->size, 0, 71) != -1)
			_exit(3);
		pattern_fill(p, self->size, 0, 72);
		_exit(0);
	}
	ASSERT_EQ(0, read_counters(variant->name, &during));
	EXPECT_EQ(before.vmas + 1, during.vmas);	/* the child's copy */
	ASSERT_EQ(1, write(pipefd[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-1, pattern_check(p, self->size, 0, 72));
	EXPECT_EQ(-1, pattern_read_check(self->fd, self->size, 72));
	ASSERT_EQ(0, read_counters(variant->name, &during));
	EXPECT_EQ(before.vmas, during.vmas);
	munmap(p, self->size);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* The counters follow what this test does. */
TEST_F(node, counters_match)
{
	struct counters before, mapped, after;
	char *p;

	ASSERT_EQ(0, read_counters(variant->name, &before));
	p = map_shared(self->fd, self->size, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, read_counters(variant->name, &mapped));
	EXPECT_EQ(before.mmaps + 1, mapped.mmaps);
	EXPECT_EQ(before.vmas + 1, mapped.vmas);
	EXPECT_EQ(before.faults, mapped.faults);	/* nothing touched yet */
	touch(p, self->size);
	touch(p, self->size);
	ASSERT_EQ(0, read_counters(variant->name, &after));
	/*
	 * The fault node maps each page once, by its own fault or around
	 * another's: at most a fault per window, plus one for an unaligned
	 * start.  None where mmap() filled all.
	 */
	EXPECT_EQ(before.faults + before.prefaulted + (variant->filled ? 0 : self->npages),
		  after.faults + after.prefaulted);
	EXPECT_GE(before.faults + (variant->filled ? 0 : self->npages / fault_window() + 1),
		  after.faults);
	EXPECT_EQ(before.sigbus, after.sigbus);
	munmap(p, self->size);
	ASSERT_EQ(0, read_counters(variant->name, &after));
	EXPECT_EQ(before.vmas, after.vmas);
}

/* The mapping keeps the module: closing the file does not end it. */
TEST_F(node, mapping_outlives_file_and_pins_module)
{
	char *p;

	ASSERT_EQ(0, pattern_write(self->fd, self->size, 81));
	p = map_shared(self->fd, self->size, 0);
	ASSERT_NE(MAP_FAILED, p);
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(-1, syscall(SYS_delete_module, "mmap_demo", O_NONBLOCK));
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY)
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_EQ(-1, pattern_check(p, self->size, 0, 81));
	munmap(p, self->size);
}

/*
 * Five paths: write(2), the three mappings and a forked child.  Whatever
 * one writes, every other reads back identically.
 */
enum { BY_WRITE, BY_REMAP, BY_FAULT, BY_INSERT, BY_CHILD, NR_PATHS };

static const char *const nodes[] = {
	"/dev/mmap_demo_remap", "/dev/mmap_demo_fault", "/dev/mmap_demo_insert",
};

TEST(five_paths_agree)
{
	long npages = buf_pages();
	size_t size = npages * page_size;
	char *map[3];
	int fd[3], writer, i, status;
	pid_t pid;

	ASSERT_LT(0, npages);
	for (i = 0; i < 3; i++) {
		fd[i] = open(nodes[i], O_RDWR);
		ASSERT_LE(0, fd[i]);
		map[i] = map_shared(fd[i], size, 0);
		ASSERT_NE(MAP_FAILED, map[i]);
	}
	for (writer = 0; writer < NR_PATHS; writer++) {
		unsigned int seed = 100 + writer;

		switch (writer) {
		case BY_WRITE:
			ASSERT_EQ(0, pattern_write(fd[0], size, seed));
			break;
		case BY_CHILD:
			pid = fork();
			ASSERT_LE(0, pid);
			if (!pid) {
				pattern_fill(map[writer % 3], size, 0, seed);
				_exit(0);
			}
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			ASSERT_EQ(0, status);
			break;
		default:
			pattern_fill(map[writer - BY_REMAP], size, 0, seed);
		}
		for (i = 0; i < 3; i++) {
			EXPECT_EQ(-1, pattern_read_check(fd[i], size, seed))
				TH_LOG("writer %d, read(2) of %s", writer, nodes[i]);
			EXPECT_EQ(-1, pattern_check(map[i], size, 0, seed))
				TH_LOG("writer %d, mapping of %s", writer, nodes[i]);
		}
		/* And a child reads what the parent's mappings show. */
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			for (i = 0; i < 3; i++)
				if (pattern_check(map[i], size, 0, seed) != -1)
					_exit(1 + i);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, status) TH_LOG("writer %d: child saw other data", writer);
	}
	for (i = 0; i < 3; i++) {
		munmap(map[i], size);
		close(fd[i]);
	}
}

/*
 * A port of LTP's mremap06: map N pages of the fault node, then move the
 * pages one at a time, in an interleaved order, to their places in
 * another range (MREMAP_MAYMOVE | MREMAP_FIXED), and check each page's
 * contents after every move and at the end.
 */
TEST(fault_piecewise_mremap)
{
	long npages = buf_pages();
	long n = npages < 16 ? npages : 16, i, k;
	struct counters before, after;
	char *src, *dst, *q;
	int fd;

	ASSERT_LT(0, npages);
	fd = open("/dev/mmap_demo_fault", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pattern_write(fd, npages * page_size, 91));
	ASSERT_EQ(0, read_counters("fault", &before));
	src = map_shared(fd, n * page_size, 0);
	ASSERT_NE(MAP_FAILED, src);
	dst = mmap(NULL, n * page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, dst);
	touch(src, n * page_size);
	/* Even pages first, then odd ones: every move splits a mapping. */
	for (k = 0; k < n; k++) {
		i = k < (n + 1) / 2 ? 2 * k : 2 * (k - (n + 1) / 2) + 1;
		q = mremap(src + i * page_size, page_size, page_size,
			   MREMAP_MAYMOVE | MREMAP_FIXED, dst + i * page_size);
		ASSERT_EQ(dst + i * page_size, q)
			TH_LOG("page %ld: %s", i, strerror(errno));
		EXPECT_EQ(-1, pattern_check(q, page_size, i * page_size, 91));
	}
	EXPECT_EQ(-1, pattern_check(dst, n * page_size, 0, 91));
	/* The moved pages are still the buffer's. */
	dst[page_size - 1] = 'x';
	EXPECT_EQ(1, pread(fd, &dst[0], 1, page_size - 1));
	EXPECT_EQ('x', dst[0]);
	ASSERT_EQ(0, read_counters("fault", &after));
	EXPECT_LE(before.vmas + 1, after.vmas);
	EXPECT_GE(before.vmas + n, after.vmas);
	munmap(dst, n * page_size);
	ASSERT_EQ(0, read_counters("fault", &after));
	EXPECT_EQ(before.vmas, after.vmas);
	close(fd);
}

/* A mapping of the fault node grown past the buffer: SIGBUS there. */
TEST_SIGNAL(fault_past_end_sigbus, SIGBUS)
{
	long npages = buf_pages();
	char *p, *q;
	int fd;

	ASSERT_LT(0, npages);
	fd = open("/dev/mmap_demo_fault", O_RDWR);
	ASSERT_LE(0, fd);
	p = map_shared(fd, page_size, (npages - 1) * page_size);
	ASSERT_NE(MAP_FAILED, p);
	q = grow(p, page_size, 2 * page_size);
	ASSERT_NE(MAP_FAILED, q);
	touch(q, page_size);		/* the last page: fine */
	touch(q + page_size, 1);	/* one past: SIGBUS */
}

static sigjmp_buf sigbus_env;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_env, 1);
}

/* The same SIGBUS, counted; and the mapping's good page still works. */
TEST(fault_past_end_counted)
{
	long npages = buf_pages();
	struct counters before, after;
	volatile int got = 0;
	char *p, *q;
	int fd;

	ASSERT_LT(0, npages);
	fd = open("/dev/mmap_demo_fault", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_counters("fault", &before));
	p = map_shared(fd, page_size, (npages - 1) * page_size);
	ASSERT_NE(MAP_FAILED, p);
	q = grow(p, page_size, 3 * page_size);
	ASSERT_NE(MAP_FAILED, q);
	signal(SIGBUS, on_sigbus);
	if (!sigsetjmp(sigbus_env, 1))
		touch(q + page_size, 1);
	else
		got++;
	if (!sigsetjmp(sigbus_env, 1))
		touch(q + 2 * page_size, 1);
	else
		got++;
	signal(SIGBUS, SIG_DFL);
	EXPECT_EQ(2, got);
	q[0] = 'z';
	ASSERT_EQ(0, read_counters("fault", &after));
	EXPECT_EQ(before.sigbus + 2, after.sigbus);
	EXPECT_EQ(before.faults + 1, after.faults);
	munmap(q, 3 * page_size);
	close(fd);
}

/*
 * The fault window.  Which pages a fault mapped is read from
 * /proc/self/pagemap (page_present()), the faults from the counters and
 * from getrusage()'s minor faults.
 */
#define FAULT_WINDOW_PARAM "/sys/module/mmap_demo/parameters/fault_window"

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

static int set_window(long pages)
{
	char text[32];

	snprintf(text, sizeof(text), "%ld", pages);
	return write_text(FAULT_WINDOW_PARAM, text);
}

/*
 * One fault maps the window around it, aligned in the address space and
 * clipped to the VMA: every page of it and no other.
 */
TEST(fault_window_maps_the_aligned_window)
{
	long npages = buf_pages(), w = fault_window(), i, minflt;
	long span = 3 * w < npages ? 3 * w : npages;
	struct counters before, after;
	uintptr_t first, start, end;
	char *p;
	int fd;

	ASSERT_LT(0, w);
	fd = open("/dev/mmap_demo_fault", O_RDWR);
	ASSERT_LE(0, fd);
	p = map_shared(fd, span * page_size, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, read_counters("fault", &before));
	minflt = minor_faults();
	touch(p + span / 2 * page_size, 1);
	minflt = minor_faults() - minflt;
	ASSERT_EQ(0, read_counters("fault", &after));
	EXPECT_EQ(1, minflt);
	EXPECT_EQ(before.faults + 1, after.faults);

	first = (uintptr_t)p + span / 2 * page_size;
	start = first & ~(w * page_size - 1);
	end = start + w * page_size;
	if (start < (uintptr_t)p)
		start = (uintptr_t)p;
	if (end > (uintptr_t)p + span * page_size)
		end = (uintptr_t)p + span * page_size;
	EXPECT_EQ(before.prefaulted + (long)((end - start) / page_size) - 1,
		  after.prefaulted);
	for (i = 0; i < span; i++) {
		uintptr_t at = (uintptr_t)p + i * page_size;

		EXPECT_EQ(at >= start && at < end, page_present((void *)at))
			TH_LOG("page %ld of %ld, window %ld", i, span, w);
	}
	munmap(p, span * page_size);
	close(fd);
}

/* fault_window=1 is LDD3's nopage: a fault per page, no neighbours. */
TEST(fault_window_one_is_a_fault_per_page)
{
	long npages = buf_pages(), w = fault_window(), minflt;
	struct counters before, after;
	char *p;
	int fd;

	ASSERT_LT(0, w);
	ASSERT_EQ(0, set_window(1));
	fd = open("/dev/mmap_demo_fault", O_RDWR);
	ASSERT_LE(0, fd);
	p = map_shared(fd, npages * page_size, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, read_counters("fault", &before));
	minflt = minor_faults();
	touch(p, npages * page_size);
	minflt = minor_faults() - minflt;
	ASSERT_EQ(0, read_counters("fault", &after));
	EXPECT_EQ(0, set_window(w));
	EXPECT_EQ(npages, minflt);
	EXPECT_EQ(before.faults + npages, after.faults);
	EXPECT_EQ(before.prefaulted, after.prefaulted);
	munmap(p, npages * page_size);
	close(fd);
}

/*
 * The window stops at a page the process unmapped (the VMA ends there) and
 * at the end of the buffer (past it, a grown mapping still gets SIGBUS).
 */
TEST(fault_window_stops_at_holes_and_the_buffer_end)
{
	long npages = buf_pages(), w = fault_window(), got = 0;
	char *p, *q;
	int fd;

	ASSERT_LT(0, w);
	ASSERT_LT(0, npages) TH_LOG("is mmap_demo loaded?");
	if (w < 4 || npages < 4)
		SKIP(return, "needs a window and a buffer of 4 pages or more");
	fd = open("/dev/mmap_demo_fault", O_RDWR);
	ASSERT_LE(0, fd);
	/* A hole in the middle of one window's worth of pages. */
	p = map_shared(fd, 4 * page_size, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 2 * page_size, page_size));
	touch(p + page_size, 1);
	EXPECT_FALSE(page_present(p + 2 * page_size));
	EXPECT_FALSE(page_present(p + 3 * page_size));	/* another VMA */
	munmap(p, 4 * page_size);

	/* The last page of the buffer, grown past the end by mremap(). */
	p = map_shared(fd, page_size, (npages - 1) * page_size);
	ASSERT_NE(MAP_FAILED, p);
	q = grow(p, page_size, w * page_size);
	ASSERT_NE(MAP_FAILED, q);
	touch(q, 1);
	EXPECT_FALSE(page_present(q + page_size));
	signal(SIGBUS, on_sigbus);
	if (!sigsetjmp(sigbus_env, 1))
		touch(q + page_size, 1);
	else
		got++;
	signal(SIGBUS, SIG_DFL);
	EXPECT_EQ(1, got);
	munmap(q, w * page_size);
	close(fd);
}

/*
 * The window is a power of two, 1 to a page table's worth of 8-byte
 * entries (512 with 4 KiB pages, 8192 with 64 KiB ones): that is taken,
 * anything else is refused.
 */
TEST(fault_window_rejects_bad_values)
{
	char twice[32];
	const char *const bad[] = { "0", "3", twice, "-1", "abc" };
	long w = fault_window();
	unsigned int i;

	ASSERT_LT(0, w);
	snprintf(twice, sizeof(twice), "%ld", page_size / 8 * 2);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, write_text(FAULT_WINDOW_PARAM, bad[i]))
			TH_LOG("fault_window=%s", bad[i]);
		EXPECT_EQ(w, fault_window());
	}
	EXPECT_EQ(0, set_window(page_size / 8));
	EXPECT_EQ(page_size / 8, fault_window());
	ASSERT_EQ(0, set_window(w));
}

TEST_HARNESS_MAIN
