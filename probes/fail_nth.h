/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/self/task/<tid>/fail-nth: fail the calling thread's n-th
 * fault-injectable step (a slab or page allocation, or a user copy where
 * fail_usercopy is built in).  Only kernels with CONFIG_FAULT_INJECTION
 * have the file.
 */
#ifndef FAIL_NTH_H
#define FAIL_NTH_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * The thread's fail-nth file, opened once: opening it after a call would
 * itself allocate, and count against a failure the call did not reach.
 */
static inline int fail_nth_fd(void)
{
	static int fd = -1;
	char path[64];

	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
			 (long)syscall(SYS_gettid));
		fd = open(path, O_RDWR);
	}
	return fd;
}

/* Arm the n-th step (0 disarms); -1 if the kernel has no fault injection. */
static inline int set_fail_nth(int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", nth);

	if (fail_nth_fd() < 0)
		return -1;
	return pwrite(fail_nth_fd(), buf, len, 0) == len ? 0 : -1;
}

/*
 * Steps left before the armed failure: 0 once it was injected.  Anything
 * else (a count, or -1 if even this read was failed) means the call ran
 * without reaching it.  Disarms.
 */
static inline int fail_nth_left(void)
{
	char buf[16] = "";
	ssize_t n = pread(fail_nth_fd(), buf, sizeof(buf) - 1, 0);

	set_fail_nth(0);
	return n < 0 ? -1 : atoi(buf);
}

#endif /* FAIL_NTH_H */
