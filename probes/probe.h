/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the probes.  The probes are kselftest-harness programs:
 * each TEST runs in its own child process and prints one TAP line.
 */
#ifndef PROBE_H
#define PROBE_H

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/*
 * SKIP_UNLESS_FAILED() - SKIP() in a kselftest test that may have failed
 * already: the harness reports SKIP() after a failed EXPECT as "ok ... #
 * SKIP", so then the reason is logged and the test stays failed.
 */
#define SKIP_UNLESS_FAILED(statement, fmt, ...) do {			\
	if (_metadata->exit_code == KSFT_FAIL) {			\
		TH_LOG("failed already, so no skip: " fmt, ##__VA_ARGS__); \
		statement;						\
	} else {							\
		SKIP(statement, fmt, ##__VA_ARGS__);			\
	}								\
} while (0)

/*
 * The probes are also built as 32-bit x86 programs (NAME-m32, with
 * _FILE_OFFSET_BITS=64), run on the same 64-bit kernels through its
 * compat entry points.  Two things differ there:
 *
 * BEYOND_USER: an address past the top of user space.  A 64-bit process
 * passes one past x86-64's 47-bit user half (and arm64's 48-bit one); a
 * 32-bit process on a 64-bit kernel has the 4 GiB less its top page
 * (TASK_SIZE 0xffffe000), so that page is its first address the kernel
 * refuses.
 */
#ifdef __LP64__
#define BEYOND_USER(high)	((void *)(high))
#else
#define BEYOND_USER(high)	((void *)0xffffe000UL)
#endif

/*
 * sys_mmap() - mmap(2) of @len bytes at byte offset @off straight to the
 * kernel, past the C library's own checks of the offset.  A 32-bit x86
 * process has mmap2, whose offset is 32 bits of 4 KiB units: offsets
 * past 4 GiB reach the kernel up to 16 TiB, and one beyond that is asked
 * as the last 4 KiB below 16 TiB (a 64-bit kernel sees no offset wrap
 * then: it is EINVAL where a 64-bit process gets EOVERFLOW).
 */
static inline void *sys_mmap(void *addr, size_t len, int prot, int flags,
			     int fd, off_t off)
{
#ifdef __i386__
	unsigned long long pgoff = (unsigned long long)off >> 12;

	if (pgoff > UINT32_MAX)
		pgoff = UINT32_MAX;
	return (void *)syscall(SYS_mmap2, addr, len, prot, flags, fd,
			       (unsigned long)pgoff);
#else
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
#endif
}

/* Seconds on the monotonic clock, for probes bounded in time. */
static inline double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Is the running kernel @major.@minor or later?  (Some rules changed.) */
static inline bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return true;
	return ma > major || (ma == major && mi >= minor);
}

/* CLOCK_MONOTONIC in nanoseconds, for the timing tools. */
static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/*
 * The median of @n times (sorting @v): what the timing tools print, since
 * a busy host stalls the guest now and then.
 */
static inline long long median_ll(long long *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The fuzzers' generator, xorshift64 (Marsaglia): small and the same on
 * every machine, so that a printed seed repeats a run.  *state must not
 * be 0.
 */
static inline unsigned long long xorshift64(unsigned long long *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/*
 * A seed for a random run: the number in environment variable @name, to
 * repeat a run, or else one from the clock.
 */
static inline unsigned long long seed_from_env(const char *name)
{
	const char *env = getenv(name);

	if (env)
		return strtoull(env, NULL, 0);
	return (unsigned long long)time(NULL) * 2654435761ULL;
}

/* The number a sysfs or proc file holds, or -1 if it cannot be read. */
static inline long long read_number(const char *path)
{
	long long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

/* A module parameter as a number, or -1 if it cannot be read. */
static inline long long module_param(const char *module, const char *param)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module, param);
	return read_number(path);
}

/*
 * Load module @name from next to the probes (the guest's layout, or the
 * source tree's) unless @node exists: 1 if loaded, 0 if it was there, -1
 * if it is not and cannot be.
 */
static inline int load_module_near(const char *name, const char *node)
{
	char exe[512], path[800], *slash;
	unsigned int i;
	ssize_t n;
	int fd;

	if (!access(node, F_OK))
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	for (i = 0; i < 2; i++) {
		if (i == 0)	/* the guest's layout */
			snprintf(path, sizeof(path), "%s/../modules/%s.ko",
				 exe, name);
		else		/* the source tree's */
			snprintf(path, sizeof(path), "%s/../%s/%s.ko", exe,
				 name, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = syscall(SYS_finit_module, fd, "", 0);
		close(fd);
		if (!n)
			return 1;
	}
	return -1;
}

/* The largest order the buddy allocator has: /proc/buddyinfo's columns. */
static inline int max_page_order(void)
{
	char line[512], *tok;
	int cols = 0;
	FILE *f = fopen("/proc/buddyinfo", "r");

	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	/* "Node 0, zone      DMA      1      1 ..." */
	for (tok = strtok(line, " \n"); tok; tok = strtok(NULL, " \n"))
		cols++;
	return cols - 4 - 1;
}

/*
 * The largest order the file tests store data at: the allocator's largest,
 * but no quantum above 4 MiB (the largest block with 4 KiB pages on
 * x86-64).  With 64 KiB pages (arm64) the largest order is 13: quanta of
 * 512 MiB, two or three of which a test cannot hold in a 1 GiB guest.
 */
static inline int largest_test_order(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int max = max_page_order(), order = 0;

	while (order < max && (page << (order + 1)) <= 4L << 20)
		order++;
	return order;
}

/*
 * A read or write whose user buffer has a hole @room bytes in: may it
 * return @ret?  The kernel's user copies stop at the fault or, where the
 * architecture copies in blocks, a little before it (arm64 does:
 * include/linux/uaccess.h allows it, "you don't have to squeeze as much
 * as possible"), never past it, and copy something if anything can be:
 * EFAULT is for a call that copied nothing.
 */
static inline bool copied_up_to_hole(ssize_t ret, size_t room)
{
	return ret > 0 && (size_t)ret <= room;
}

/* A byte that depends on the offset and a seed, never 0 for seed != 0. */
static inline unsigned char pattern_byte(uint64_t off, unsigned int seed)
{
	uint64_t x = (off + 1) * 0x9e3779b97f4a7c15ULL ^ seed;

	return (unsigned char)((x >> 29) | 1);
}

static inline void pattern_fill(void *buf, size_t len, uint64_t off,
				unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern_byte(off + i, seed);
}

/* Index of the first byte that differs from the pattern, or -1. */
static inline long long pattern_check(const void *buf, size_t len,
				      uint64_t off, unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern_byte(off + i, seed))
			return (long long)i;
	return -1;
}

/*
 * Does the file hold exactly @size bytes, those of @want?  @got is
 * scratch space of @size + 1 bytes, to see that nothing follows.
 */
static inline int contents_intact(int fd, size_t size, const char *want, char *got)
{
	if (lseek(fd, 0, SEEK_END) != (off_t)size)
		return 0;
	if (pread(fd, got, size + 1, 0) != (ssize_t)size)
		return 0;
	return !memcmp(got, want, size);
}

/* Is the page at @addr mapped in this process?  /proc/self/pagemap's bit 63. */
static inline bool page_present(const void *addr)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (uintptr_t)addr / sysconf(_SC_PAGESIZE) * sizeof(entry);

	if (fd < 0)
		return false;
	if (pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		entry = 0;
	close(fd);
	return entry >> 63;
}

/* Write @text to a file (a module parameter, say) in one write(): 0 or -errno. */
static inline int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Index of the first byte that is not zero, or -1. */
static inline long long zero_check(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return (long long)i;
	return -1;
}

#endif /* PROBE_H */
