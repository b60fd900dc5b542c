/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A read or write stalled on a userfaultfd page, and other users of the
 * device timed while it stays stalled.  stall_io() starts the call and
 * returns once it has faulted on the page; stall_release() supplies it.
 * A driver that holds its lock across the copy holds it all that time.
 * stall_race() runs each of a table of operations in a process of its own
 * meanwhile, and releases the call after STALL_WAIT seconds even if they
 * are not done, so that the test always ends.
 */
#ifndef UFFD_STALL_H
#define UFFD_STALL_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define STALL_WAIT	3	/* seconds the others get before the release */
#define STALL_SEED	97	/* the pattern a stalled write writes */

struct stall {
	int fd, uffd;
	off_t off;
	size_t lead;		/* bytes before the page, a multiple of it */
	size_t len;		/* one page */
	bool write;
	char *buf;		/* the call's buffer: @lead bytes, then @page */
	char *page;		/* registered, missing until released */
	pthread_t thread;
	ssize_t ret;		/* the call's result, once released */
	int err;		/* its errno */
	bool running;
};

static void *stall_thread(void *arg)
{
	struct stall *s = arg;

	if (s->write)
		s->ret = pwrite(s->fd, s->buf, s->lead + s->len, s->off);
	else
		s->ret = pread(s->fd, s->buf, s->lead + s->len, s->off);
	s->err = errno;
	return NULL;
}

/*
 * Start a pread(2) or pwrite(2) (@write) of @fd at @off whose user buffer
 * is @lead bytes of ordinary memory, then a registered, missing page.
 * 0 with the call stalled on that page; or -1 and errno: ENOSYS for a
 * kernel without userfaultfd, ETIMEDOUT if the call never faulted.
 * stall_free() ends it and frees what it took, whatever this returned.
 */
static int stall_io(struct stall *s, int fd, off_t off, bool write,
		    size_t lead)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct pollfd pfd;
	struct uffd_msg msg;

	*s = (struct stall){ .fd = fd, .uffd = -1, .off = off, .lead = lead,
			     .write = write, .len = sysconf(_SC_PAGESIZE) };
	s->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0)
		return -1;
	if (ioctl(s->uffd, UFFDIO_API, &api))
		return -1;
	s->buf = mmap(NULL, lead + s->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->buf == MAP_FAILED) {
		s->buf = NULL;
		return -1;
	}
	memset(s->buf, 0, lead);	/* there: only the page is missing */
	s->page = s->buf + lead;
	reg.range.start = (unsigned long)s->page;
	reg.range.len = s->len;
	if (ioctl(s->uffd, UFFDIO_REGISTER, &reg))
		return -1;
	if (pthread_create(&s->thread, NULL, stall_thread, s))
		return -1;
	s->running = true;
	pfd = (struct pollfd){ .fd = s->uffd, .events = POLLIN };
	if (poll(&pfd, 1, 10000) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	return read(s->uffd, &msg, sizeof(msg)) == sizeof(msg) ? 0 : -1;
}

/*
 * Supply the page (pattern STALL_SEED at its offset in the device, which a
 * read then overwrites) and wait for the call to end.  The page stays mapped
 * for the test to look at, until stall_free().
 */
static void stall_release(struct stall *s)
{
	struct uffdio_copy copy = { .dst = (unsigned long)s->page, .len = s->len };
	char *src = malloc(s->len);

	if (src && s->uffd >= 0 && s->page) {
		pattern_fill(src, s->len, s->off + s->lead, STALL_SEED);
		copy.src = (unsigned long)src;
		ioctl(s->uffd, UFFDIO_COPY, &copy);
	}
	free(src);
	if (s->running)
		pthread_join(s->thread, NULL);
	s->running = false;
}

static void stall_free(struct stall *s)
{
	stall_release(s);
	if (s->buf)
		munmap(s->buf, s->lead + s->len);
	if (s->uffd >= 0)
		close(s->uffd);
}

/* One operation on the device: 0 if it did what it should. */
struct stall_op {
	const char *name;
	int (*run)(void);
};

/*
 * Run each of the @n operations in a child process of its own, at once,
 * with the call @s stalled; then release it.  @secs[i] is operation i's
 * time in seconds, or -1 if it failed.
 */
static void stall_race(struct stall *s, const struct stall_op *ops, int n,
		       double *secs)
{
	double *shared = mmap(NULL, n * sizeof(*shared), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid[16] = { 0 };
	double start = now_seconds();
	int i, left = n;

	for (i = 0; i < n; i++)
		secs[i] = -1;
	if (shared == MAP_FAILED || n > 16) {
		stall_release(s);
		return;
	}
	for (i = 0; i < n; i++) {
		shared[i] = -1;
		pid[i] = fork();
		if (pid[i] == 0) {
			double t = now_seconds();

			if (!ops[i].run())
				shared[i] = now_seconds() - t;
			_exit(0);
		}
	}
	/* The others get STALL_WAIT seconds; then the call is let go. */
	while (left && now_seconds() - start < STALL_WAIT) {
		usleep(10000);
		for (i = 0, left = 0; i < n; i++)
			if (pid[i] > 0 && waitpid(pid[i], NULL, WNOHANG) != pid[i])
				left++;
			else
				pid[i] = 0;
	}
	stall_release(s);
	for (i = 0; i < n; i++) {
		if (pid[i] > 0)
			waitpid(pid[i], NULL, 0);
		secs[i] = shared[i];
	}
	munmap(shared, n * sizeof(*shared));
}

/*
 * STALL_IO() - stall_io() in a kselftest TEST (after kselftest_harness.h):
 * a skip where the kernel has no userfaultfd, any other failure fails it.
 */
#define STALL_IO(s, fd, off, write, lead) do {				\
	if (stall_io(s, fd, off, write, lead)) {			\
		int __err = errno;					\
									\
		stall_free(s);						\
		if (__err == ENOSYS)					\
			SKIP(return, "no userfaultfd in this kernel: %s", strerror(__err)); \
		ASSERT_EQ(0, __err) TH_LOG("stalling a %s: %s",	\
					   (write) ? "write" : "read", strerror(__err)); \
	}								\
} while (0)

/*
 * expect_race_quick() - stall_race() in a kselftest TEST: each of the @n
 * operations (16 at the most) must succeed within a second and a half
 * of the stalled
 * call, @what ("read" or "write").
 */
static inline void expect_race_quick(struct __test_metadata *_metadata,
				     struct stall *s, const struct stall_op *ops,
				     int n, const char *what)
{
	double secs[16];
	int i;

	stall_race(s, ops, n, secs);
	for (i = 0; i < n && i < 16; i++) {
		EXPECT_LE(0, secs[i]) TH_LOG("%s failed", ops[i].name);
		EXPECT_GT(1.5, secs[i])
			TH_LOG("%s took %.2f s behind the stalled %s", ops[i].name,
			       secs[i], what);
	}
}

#endif /* UFFD_STALL_H */
