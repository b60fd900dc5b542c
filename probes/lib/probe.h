/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the probes, defined in lib/probe.c and linked into
 * every probe program.  The probes are kselftest-harness programs: each
 * TEST runs in its own child process and prints one TAP line.
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
 * EXPECT_ERRNO() - in a kselftest test: @call, with errno cleared first,
 * must return -1 and set errno to @err.
 */
#define EXPECT_ERRNO(err, call) do {					\
	errno = 0;							\
	EXPECT_EQ(-1, call);						\
	EXPECT_EQ(err, errno);						\
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

/* The page size, set before main() (lib/probe.c). */
extern long page_size;

/*
 * sys_mmap() - mmap(2) of @len bytes at byte offset @off straight to the
 * kernel, past the C library's own checks of the offset.  A 32-bit x86
 * process has mmap2, whose offset is 32 bits of 4 KiB units: offsets
 * past 4 GiB reach the kernel up to 16 TiB, and one beyond that is asked
 * as the last 4 KiB below 16 TiB (a 64-bit kernel sees no offset wrap
 * then: it is EINVAL where a 64-bit process gets EOVERFLOW).
 */
void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
	       off_t off);

/* Seconds on the monotonic clock, for probes bounded in time. */
double now_seconds(void);

/* Is the running kernel @major.@minor or later?  (Some rules changed.) */
bool kernel_at_least(int major, int minor);

/* CLOCK_MONOTONIC in nanoseconds, for the timing tools. */
long long now_ns(void);

int cmp_ll(const void *a, const void *b);

/*
 * The median of @n times (sorting @v): what the timing tools print, since
 * a busy host stalls the guest now and then.
 */
long long median_ll(long long *v, size_t n);

/*
 * The fuzzers' generator, xorshift64 (Marsaglia): small and the same on
 * every machine, so that a printed seed repeats a run.  *state must not
 * be 0.
 */
unsigned long long xorshift64(unsigned long long *state);

/*
 * A seed for a random run: the number in environment variable @name, to
 * repeat a run, or else one from the clock.
 */
unsigned long long seed_from_env(const char *name);

/* The number a sysfs or proc file holds, or -1 if it cannot be read. */
long long read_number(const char *path);

/* A module parameter as a number, or -1 if it cannot be read. */
long long module_param(const char *module, const char *param);

/*
 * Load module @name from next to the probes (the guest's layout, or the
 * source tree's) unless @node exists: 1 if loaded, 0 if it was there, -1
 * if it is not and cannot be.
 */
int load_module_near(const char *name, const char *node);

/* The largest order the buddy allocator has: /proc/buddyinfo's columns. */
int max_page_order(void);

/*
 * The largest order the file tests store data at: the allocator's largest,
 * but no quantum above 4 MiB (the largest block with 4 KiB pages on
 * x86-64).  With 64 KiB pages (arm64) the largest order is 13: quanta of
 * 512 MiB, two or three of which a test cannot hold in a 1 GiB guest.
 */
int largest_test_order(void);

/*
 * A read or write whose user buffer has a hole @room bytes in: may it
 * return @ret?  The kernel's user copies stop at the fault or, where the
 * architecture copies in blocks, a little before it (arm64 does:
 * include/linux/uaccess.h allows it, "you don't have to squeeze as much
 * as possible"), never past it, and copy something if anything can be:
 * EFAULT is for a call that copied nothing.
 */
bool copied_up_to_hole(ssize_t ret, size_t room);

/* A byte that depends on the offset and a seed, never 0 for seed != 0. */
unsigned char pattern_byte(uint64_t off, unsigned int seed);

void pattern_fill(void *buf, size_t len, uint64_t off, unsigned int seed);

/* Index of the first byte that differs from the pattern, or -1. */
long long pattern_check(const void *buf, size_t len, uint64_t off,
			unsigned int seed);

/* Write pattern @seed over [0, @len) of @fd with one pwrite(2): 0, or -1. */
int pattern_write(int fd, size_t len, unsigned int seed);

/*
 * Read [0, @len) of @fd with one pread(2): -1 if it holds pattern @seed,
 * else the index of the first bad byte (0 for a short read).
 */
long long pattern_read_check(int fd, size_t len, unsigned int seed);

/*
 * Does the file hold exactly @size bytes, those of @want?  @got is
 * scratch space of @size + 1 bytes, to see that nothing follows.
 */
int contents_intact(int fd, size_t size, const char *want, char *got);

/* Is the page at @addr mapped in this process?  /proc/self/pagemap's bit 63. */
bool page_present(const void *addr);

/* Write @text to a file (a module parameter, say) in one write(): 0 or -errno. */
int write_text(const char *path, const char *text);

/* Index of the first byte that is not zero, or -1. */
long long zero_check(const void *buf, size_t len);

#endif /* PROBE_H */
