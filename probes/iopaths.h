/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's other ways into a driver's read_iter/write_iter, run
 * against one device node (docs/testing.md): splice(2) to and from a pipe,
 * sendfile(2) to and from a file (a memfd: tmpfs), and io_uring's reads
 * and writes (liburing, linked statically), every byte compared; and
 * IOCB_NOWAIT, with and without the device's lock held.
 *
 * A probe includes this after defining iodev_setup(), which fills in a
 * struct iodev for its driver (or SKIPs).
 */
#ifndef IOPATHS_H
#define IOPATHS_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "probe.h"

/**
 * struct iodev - the device under test
 * @path: its node
 * @size: bytes the tests may use, from offset 0 (at most IODEV_MAX)
 * @capacity: bytes the device holds from offset 0, for the long
 *	sendfile case (0: @size)
 * @nowait: the driver sets FMODE_NOWAIT
 * @lock_over_copy: a read holds the device's lock while it copies to the
 *	caller's memory (the contention case needs that)
 * @slow: each read is a DMA of about 100 ms that a signal restarts from
 *	the start, so the long sendfile case runs a few quiet rounds only
 * @done: if set, called at the end of each test (to empty the device)
 */
struct iodev {
	const char *path;
	size_t size;
	size_t capacity;
	bool nowait;
	bool lock_over_copy;
	bool slow;
	void (*done)(void);
};

#define IODEV_MAX	(64 * 1024)

/*
 * For iodev_setup(): a device that is one buffer of @size bytes (the
 * cases use IODEV_MAX of it at the most) and answers IOCB_NOWAIT.
 */
static inline void iodev_buffer(struct iodev *dev, const char *path, size_t size)
{
	dev->path = path;
	dev->size = size < IODEV_MAX ? size : IODEV_MAX;
	dev->capacity = size;
	dev->nowait = true;
	dev->lock_over_copy = false;
}

/* Move @len bytes from @in to @out through a new pipe, with splice(2). */
static ssize_t splice_through_pipe(int in, loff_t *in_off, int out,
				   loff_t *out_off, size_t len)
{
	int p[2];
	size_t done = 0;
	ssize_t n, m;

	if (pipe(p))
		return -1;
	while (done < len) {
		n = splice(in, in_off, p[1], NULL, len - done, 0);
		if (n <= 0)
			break;
		while (n > 0) {
			m = splice(p[0], NULL, out, out_off, n, 0);
			if (m <= 0)
				goto out;
			n -= m;
			done += m;
		}
	}
out:
	close(p[0]);
	close(p[1]);
	return done;
}

/*
 * sendfile(2) @len bytes from @in at *@off to @out at its file position,
 * as a program must: a short count is legal (a signal, among others, ends
 * the kernel's copy between two pipe-fulls), so go on from the offset it
 * returned until every byte arrived or it returns 0 or -1.  *@shorts, if
 * given, counts the short returns.  Returns the bytes moved, or -1 if
 * none were and sendfile failed.
 */
static ssize_t sendfile_all(int out, int in, off_t *off, size_t len,
			    unsigned int *shorts)
{
	size_t done = 0;
	ssize_t n = 0;

	while (done < len) {
		n = sendfile(out, in, off, len - done);
		if (n <= 0)
			break;
		done += n;
		if (done < len && shorts)
			(*shorts)++;
	}
	return done ? (ssize_t)done : n;
}

static void iodev_setup(struct __test_metadata *_metadata, struct iodev *dev);

/* Both fixtures: the device open, and a buffer for its bytes. */
#define IO_FIXTURE(name)						\
	FIXTURE(name) {							\
		struct iodev dev;					\
		int fd;							\
		char *buf;						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		self->fd = -1;						\
		self->buf = NULL;					\
		memset(&self->dev, 0, sizeof(self->dev));		\
		iodev_setup(_metadata, &self->dev);			\
		if (_metadata->exit_code)	/* SKIP */		\
			return;						\
		ASSERT_LE(self->dev.size, IODEV_MAX);			\
		self->fd = open(self->dev.path, O_RDWR);		\
		ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", self->dev.path, \
					      strerror(errno));		\
		self->buf = malloc(IODEV_MAX + 1);			\
		ASSERT_NE(NULL, self->buf);				\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		if (self->dev.done)					\
			self->dev.done();				\
		free(self->buf);					\
		if (self->fd >= 0)					\
			close(self->fd);				\
	}

IO_FIXTURE(io)

/* Device to pipe to memory, and memory to pipe to device. */
TEST_F(io, splice_to_and_from_a_pipe)
{
	size_t len = self->dev.size;
	loff_t off = 0;
	ssize_t n, got = 0;
	int p[2];

	ASSERT_EQ(0, pattern_write(self->fd, len, 31));
	ASSERT_EQ(0, pipe(p));
	/* A pipe holds 16 pages by default: read it as it fills. */
	while (got < (ssize_t)len) {
		n = splice(self->fd, &off, p[1], NULL, len - got, 0);
		ASSERT_LT(0, n) TH_LOG("splice from %s: %s", self->dev.path,
				       n ? strerror(errno) : "end of file");
		ASSERT_EQ(n, read(p[0], self->buf + got, n));
		got += n;
	}
	EXPECT_EQ(len, off);
	EXPECT_EQ(-1, pattern_check(self->buf, len, 0, 31));

	pattern_fill(self->buf, len, 0, 32);
	off = 0;
	got = 0;
	while (got < (ssize_t)len) {
		size_t chunk = len - got < 16384 ? len - got : 16384;

		ASSERT_EQ(chunk, write(p[1], self->buf + got, chunk));
		n = splice(p[0], NULL, self->fd, &off, chunk, 0);
		ASSERT_EQ(chunk, n) TH_LOG("splice to %s: %s", self->dev.path,
					   n < 0 ? strerror(errno) : "short");
		got += n;
	}
	EXPECT_EQ(-1, pattern_read_check(self->fd, len, 32));
	close(p[0]);
	close(p[1]);
}

/* sendfile(2) and splice(2) between the device and a tmpfs file. */
TEST_F(io, sendfile_to_and_from_a_file)
{
	size_t len = self->dev.size;
	int mfd = memfd_create("iopaths", MFD_CLOEXEC);
	loff_t off = 0, moff = 0;
	off_t soff = 0;
	ssize_t n;

	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, pattern_write(self->fd, len, 41));

	/* Device to file: the device is sendfile's input. */
	n = sendfile_all(mfd, self->fd, &soff, len, NULL);
	ASSERT_EQ(len, n) TH_LOG("sendfile from %s: %s", self->dev.path,
				 n < 0 ? strerror(errno) : "stopped short");
	EXPECT_EQ(len, soff);
	ASSERT_EQ(len, pread(mfd, self->buf, len + 1, 0));
	EXPECT_EQ(-1, pattern_check(self->buf, len, 0, 41));

	/* File to device: the device is the output, at its file position. */
	pattern_fill(self->buf, len, 0, 42);
	ASSERT_EQ(len, pwrite(mfd, self->buf, len, 0));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	soff = 0;
	n = sendfile_all(self->fd, mfd, &soff, len, NULL);
	ASSERT_EQ(len, n) TH_LOG("sendfile to %s: %s", self->dev.path,
				 n < 0 ? strerror(errno) : "stopped short");
	EXPECT_EQ(len, soff);
	EXPECT_EQ(len, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-1, pattern_read_check(self->fd, len, 42));

	/* And splice through a pipe, both ways, at offsets. */
	ASSERT_EQ(0, pattern_write(self->fd, len, 43));
	off = 0;
	moff = 0;
	ASSERT_EQ(len, splice_through_pipe(self->fd, &off, mfd, &moff, len));
	ASSERT_EQ(len, pread(mfd, self->buf, len, 0));
	EXPECT_EQ(-1, pattern_check(self->buf, len, 0, 43));
	pattern_fill(self->buf, len, 0, 44);
	ASSERT_EQ(len, pwrite(mfd, self->buf, len, 0));
	off = 0;
	moff = 0;
	ASSERT_EQ(len, splice_through_pipe(mfd, &moff, self->fd, &off, len));
	EXPECT_EQ(-1, pattern_read_check(self->fd, len, 44));
	close(mfd);
}

#define SENDFILE_LEN	300000
#define SENDFILE_ROUNDS	50
#define SENDFILE_SECONDS	8	/* a phase on a slow debug kernel */

static void sendfile_tick(int sig)
{
}

/*
 * Up to 300000 bytes sendfile'd from the device and from a tmpfs file
 * holding the same bytes into another, round after round, first quiet and
 * then under a SIGALRM every millisecond (an SA_RESTART handler, as a
 * program with an interval timer has).  A pending signal ends the kernel's
 * copy between two pipe-fulls (splice_from_pipe_next()) whatever the
 * source, so both may return short: the loop goes on, every byte arrives,
 * and the short returns of each source are counted and printed.
 */
TEST_F(io, sendfile_loops_on_short_counts)
{
	size_t len = self->dev.capacity ? self->dev.capacity : self->dev.size;
	struct sigaction sa = { .sa_handler = sendfile_tick, .sa_flags = SA_RESTART };
	struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } }, stop = { 0 };
	unsigned int shorts[2][2] = { { 0 } };	/* [phase][device, tmpfs] */
	int src, out, in[2], phase, round, rounds;
	char *got;
	ssize_t n;
	off_t off;

	if (len > SENDFILE_LEN)
		len = SENDFILE_LEN;
	got = malloc(len + 1);
	ASSERT_NE(NULL, got);
	ASSERT_EQ(0, pattern_write(self->fd, len, 45));
	src = memfd_create("iopaths-src", MFD_CLOEXEC);
	out = memfd_create("iopaths-out", MFD_CLOEXEC);
	ASSERT_LE(0, src);
	ASSERT_LE(0, out);
	pattern_fill(got, len, 0, 45);
	ASSERT_EQ(len, pwrite(src, got, len, 0));
	in[0] = self->fd;
	in[1] = src;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));

	/*
	 * A device whose every read is a DMA that a signal restarts from the
	 * start would never finish under the timer: a few quiet rounds.
	 */
	rounds = self->dev.slow ? SENDFILE_ROUNDS / 10 : SENDFILE_ROUNDS;
	for (phase = 0; phase < (self->dev.slow ? 1 : 2); phase++) {
		if (phase)
			ASSERT_EQ(0, setitimer(ITIMER_REAL, &every_ms, NULL));
		double end = now_seconds() + SENDFILE_SECONDS;

		/* Both sources at least twice, then as long as time allows. */
		for (round = 0; round < 2 * rounds &&
		     (round < 4 || now_seconds() < end); round++) {
			int s = round % 2;

			ASSERT_EQ(0, ftruncate(out, 0));
			ASSERT_EQ(0, lseek(out, 0, SEEK_SET));
			off = 0;
			n = sendfile_all(out, in[s], &off, len, &shorts[phase][s]);
			ASSERT_EQ(len, n) TH_LOG("sendfile from %s: %s",
						 s ? "a tmpfs file" : self->dev.path,
						 n < 0 ? strerror(errno) : "stopped short");
			ASSERT_EQ(len, off);
			ASSERT_EQ(len, pread(out, got, len + 1, 0));
			ASSERT_EQ(-1, pattern_check(got, len, 0, 45))
				TH_LOG("round %d from %s", round,
				       s ? "a tmpfs file" : self->dev.path);
		}
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &stop, NULL));
		TH_LOG("%s, %d sendfiles of %zu bytes each: short returns from %s %u, from a tmpfs file %u",
		       phase ? "a SIGALRM every 1 ms" : "quiet", round / 2,
		       len, self->dev.path, shorts[phase][0], shorts[phase][1]);
	}
	close(out);
	close(src);
	free(got);
}

/*
 * A ring, or SKIP when the kernel has no io_uring (ENOSYS); any other
 * error, io_uring_disabled's EPERM too, fails.  Cases call it after
 * checks, so a case that failed them stays failed.
 */
#define RING_INIT(ring)							\
	do {								\
		int __r = io_uring_queue_init(8, (ring), 0);		\
									\
		if (__r == -ENOSYS)					\
			SKIP_UNLESS_FAILED(return, "no io_uring in this kernel: %s", \
					   strerror(-__r));		\
		ASSERT_EQ(0, __r) TH_LOG("io_uring_queue_init: %s", strerror(-__r)); \
	} while (0)

/* Submit what is queued and wait for one completion: its result. */
static int ring_run(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_submit_and_wait(ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* write, read, readv (three uneven pieces) and read-fixed, at offsets. */
TEST_F(io, io_uring_read_write_readv_fixed)
{
	size_t len = self->dev.size, a = len / 3, b = len / 2 - a;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct iovec iov[3], fixed;
	char *out;

	RING_INIT(&ring);
	out = malloc(len);
	ASSERT_NE(NULL, out);

	pattern_fill(self->buf, len, 0, 51);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, self->fd, self->buf, len, 0);
	EXPECT_EQ(len, ring_run(&ring));
	EXPECT_EQ(-1, pattern_read_check(self->fd, len, 51));

	memset(out, 0, len);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, self->fd, out, len, 0);
	EXPECT_EQ(len, ring_run(&ring));
	EXPECT_EQ(-1, pattern_check(out, len, 0, 51));

	memset(out, 0, len);
	iov[0] = (struct iovec){ out, a };
	iov[1] = (struct iovec){ out + a, b };
	iov[2] = (struct iovec){ out + a + b, len - a - b - 1 };
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_readv(sqe, self->fd, iov, 3, 1);
	EXPECT_EQ(len - 1, ring_run(&ring));
	EXPECT_EQ(-1, pattern_check(out, len - 1, 1, 51));

	/* A registered buffer: io_uring pins it once, then reads into it. */
	fixed.iov_base = mmap(NULL, IODEV_MAX, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, fixed.iov_base);
	fixed.iov_len = IODEV_MAX;
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &fixed, 1));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, self->fd, fixed.iov_base, len, 0, 0);
	EXPECT_EQ(len, ring_run(&ring));
	EXPECT_EQ(-1, pattern_check(fixed.iov_base, len, 0, 51));
	/* And a write from it. */
	pattern_fill(fixed.iov_base, len, 0, 52);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write_fixed(sqe, self->fd, fixed.iov_base, len, 0, 0);
	EXPECT_EQ(len, ring_run(&ring));
	EXPECT_EQ(-1, pattern_read_check(self->fd, len, 52));

	io_uring_unregister_buffers(&ring);
	munmap(fixed.iov_base, IODEV_MAX);
	io_uring_queue_exit(&ring);
	free(out);
}

/*
 * The bytes a read left around the hole: the @h bytes before it and the
 * @h bytes after it (the hole itself cannot be looked at).
 */
static void snap(char *to, const char *area, size_t h)
{
	memcpy(to, area + page_size - h, h);
	memcpy(to + h, area + 2 * page_size, h);
}

static void unsnap(char *area, size_t h)
{
	memset(area + page_size - h, 0, h);
	memset(area + 2 * page_size, 0, h);
}

/*
 * An iovec around a PROT_NONE page: @h bytes before it, @h in it, @h
 * after it, as three segments and as one.  preadv(2) and io_uring's
 * readv give the same answer (count or error) and leave the same bytes.
 */
TEST_F(io, io_uring_readv_with_a_hole_answers_as_readv)
{
	size_t h = self->dev.size / 3 < page_size ? self->dev.size / 3 : page_size;
	char *area, *sys_bytes, *ring_bytes;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct iovec iov[3];
	ssize_t sys_ret, ring_ret;
	unsigned int shape;

	RING_INIT(&ring);
	ASSERT_EQ(0, pattern_write(self->fd, self->dev.size, 61));
	area = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	ASSERT_EQ(0, mprotect(area + page_size, page_size, PROT_NONE));
	sys_bytes = malloc(2 * h);
	ring_bytes = malloc(2 * h);
	ASSERT_NE(NULL, sys_bytes);
	ASSERT_NE(NULL, ring_bytes);

	for (shape = 0; shape < 2; shape++) {
		int n = shape ? 1 : 3;

		iov[0] = (struct iovec){ area + page_size - h, shape ? 3 * h : h };
		iov[1] = (struct iovec){ area + page_size, h };
		iov[2] = (struct iovec){ area + 2 * page_size, h };

		unsnap(area, h);
		errno = 0;
		sys_ret = preadv(self->fd, iov, n, 0);
		if (sys_ret < 0)
			sys_ret = -errno;
		snap(sys_bytes, area, h);

		unsnap(area, h);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_readv(sqe, self->fd, iov, n, 0);
		ring_ret = ring_run(&ring);
		snap(ring_bytes, area, h);

		TH_LOG("%s, %s of %zu bytes: preadv %zd, io_uring readv %zd",
		       self->dev.path, shape ? "one segment" : "three segments",
		       3 * h, sys_ret, ring_ret);
		EXPECT_EQ(sys_ret, ring_ret);
		EXPECT_EQ(0, memcmp(sys_bytes, ring_bytes, 2 * h));
		/*
		 * Either the bytes before the hole (one segment: perhaps a
		 * few fewer, copied_up_to_hole(); three: the first segment
		 * ends at the hole), or EFAULT; none past them.
		 */
		if (sys_ret >= 0) {
			EXPECT_TRUE(copied_up_to_hole(sys_ret, h));
			if (!shape)
				EXPECT_EQ(h, sys_ret);
			EXPECT_EQ(-1, pattern_check(sys_bytes, sys_ret, 0, 61));
			EXPECT_EQ(-1, zero_check(sys_bytes + sys_ret, h - sys_ret));
		} else {
			EXPECT_EQ(-EFAULT, sys_ret);
		}
		EXPECT_EQ(-1, zero_check(sys_bytes + h, h));
	}
	free(sys_bytes);
	free(ring_bytes);
	munmap(area, 3 * page_size);
	io_uring_queue_exit(&ring);
}

/*
 * IOCB_NOWAIT without contention: a FMODE_NOWAIT file reads with
 * RWF_NOWAIT (preadv2 and io_uring's inline try); another refuses it
 * (EOPNOTSUPP), and io_uring runs its calls in a worker.
 */
TEST_F(io, nowait_is_supported_or_refused)
{
	struct iovec iov = { self->buf, self->dev.size };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	ssize_t n;

	ASSERT_EQ(0, pattern_write(self->fd, self->dev.size, 71));
	errno = 0;
	n = preadv2(self->fd, &iov, 1, 0, RWF_NOWAIT);
	TH_LOG("%s: FMODE_NOWAIT %s; preadv2(RWF_NOWAIT): %zd (%s)", self->dev.path,
	       self->dev.nowait ? "set" : "not set", n, n < 0 ? strerror(errno) : "ok");
	if (self->dev.nowait) {
		EXPECT_EQ(self->dev.size, n);
		EXPECT_EQ(-1, pattern_check(self->buf, self->dev.size, 0, 71));
	} else {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EOPNOTSUPP, errno);
	}

	RING_INIT(&ring);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, self->fd, self->buf, self->dev.size, 0);
	sqe->rw_flags = RWF_NOWAIT;
	n = ring_run(&ring);
	EXPECT_EQ(self->dev.nowait ? (ssize_t)self->dev.size : -EOPNOTSUPP, n);
	io_uring_queue_exit(&ring);
}

/* A read stuck in a userfaultfd page, with the device's lock held. */
struct stuck_read {
	int fd, uffd;
	char *page;		/* the registered page, not yet there */
	pthread_t thread;
	ssize_t ret;
	volatile int submitted;	/* io_uring_submit() has returned */
	volatile int watchdog;	/* the watchdog had to free the read */
};

static void *stuck_read_thread(void *arg)
{
	struct stuck_read *s = arg;

	s->ret = pread(s->fd, s->page, page_size, 0);
	return NULL;
}

/* Resolve the fault: the stuck read completes and drops the lock. */
static void stuck_read_release(struct stuck_read *s)
{
	struct uffdio_zeropage zero = {
		.range = { .start = (unsigned long)s->page, .len = page_size },
	};

	ioctl(s->uffd, UFFDIO_ZEROPAGE, &zero);	/* EEXIST the second time */
}

/* If io_uring_submit() blocks on the lock, free it after 5 s. */
static void *watchdog_thread(void *arg)
{
	struct stuck_read *s = arg;
	int i;

	for (i = 0; i < 50 && !s->submitted; i++)
		usleep(100000);
	if (!s->submitted) {
		s->watchdog = 1;
		stuck_read_release(s);
	}
	return NULL;
}

IO_FIXTURE(lock)

FIXTURE_VARIANT(lock) {
	int open_flags;		/* of the file io_uring reads */
};

FIXTURE_VARIANT_ADD(lock, blocking) {
	.open_flags = 0,
};

/* io_uring takes a file opened O_NONBLOCK as supporting IOCB_NOWAIT. */
FIXTURE_VARIANT_ADD(lock, o_nonblock) {
	.open_flags = O_NONBLOCK,
};

/*
 * With the lock held (a read stuck on a userfaultfd page), RWF_NOWAIT is
 * EAGAIN (or EOPNOTSUPP without FMODE_NOWAIT), io_uring_submit() of a read
 * returns at once, and the read completes, right, once the lock is free.
 */
TEST_F(lock, io_uring_does_not_wait_for_a_held_lock)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct stuck_read s = { .ret = -2 };
	struct pollfd pfd;
	struct uffd_msg msg;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct iovec iov = { self->buf, self->dev.size };
	pthread_t dog;
	int rfd, ret;
	ssize_t n;

	if (!self->dev.lock_over_copy)
		SKIP(return, "%s holds no lock while it copies to the caller",
		     self->dev.path);
	RING_INIT(&ring);
	ASSERT_EQ(0, pattern_write(self->fd, self->dev.size, 81));
	rfd = open(self->dev.path, O_RDWR | variant->open_flags);
	ASSERT_LE(0, rfd);

	s.fd = self->fd;
	s.uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	/* Only a kernel without userfaultfd skips; EPERM and the rest fail. */
	if (s.uffd < 0 && errno == ENOSYS)
		SKIP_UNLESS_FAILED(return, "no userfaultfd in this kernel: %s",
				   strerror(errno));
	ASSERT_LE(0, s.uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(s.uffd, UFFDIO_API, &api));
	s.page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.page);
	reg.range.start = (unsigned long)s.page;
	reg.range.len = page_size;
	ASSERT_EQ(0, ioctl(s.uffd, UFFDIO_REGISTER, &reg));

	ASSERT_EQ(0, pthread_create(&s.thread, NULL, stuck_read_thread, &s));
	pfd = (struct pollfd){ .fd = s.uffd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 10000)) TH_LOG("the read never faulted");
	ASSERT_EQ(sizeof(msg), read(s.uffd, &msg, sizeof(msg)));
	/* Now the reader is stuck in its copy, with the lock held. */

	errno = 0;
	n = preadv2(rfd, &iov, 1, 0, RWF_NOWAIT);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(self->dev.nowait ? EAGAIN : EOPNOTSUPP, errno);

	ASSERT_EQ(0, pthread_create(&dog, NULL, watchdog_thread, &s));
	memset(self->buf, 0, self->dev.size);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, rfd, self->buf, self->dev.size, 0);
	ret = io_uring_submit(&ring);
	s.submitted = 1;
	EXPECT_EQ(1, ret);
	pthread_join(dog, NULL);
	EXPECT_EQ(0, s.watchdog) TH_LOG("io_uring_submit() waited for the lock");

	stuck_read_release(&s);
	pthread_join(s.thread, NULL);
	EXPECT_EQ(page_size, s.ret);
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(self->dev.size, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	EXPECT_EQ(-1, pattern_check(self->buf, self->dev.size, 0, 81));

	io_uring_queue_exit(&ring);
	munmap(s.page, page_size);
	close(s.uffd);
	close(rfd);
}

TEST_HARNESS_MAIN

#endif /* IOPATHS_H */
