// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo lifetime probe: what becomes of files, mappings and transfers
 * of /dev/dma_demo0 when the device goes away under them (docs/dma.md,
 * "Revocation"): mmap() racing an unbind, round after round; a PCI
 * hot-remove with a file open and mapped in each strategy and one in the
 * middle of a transfer, then a rescan; an unbind while a transfer waits
 * on a userfaultfd page, which the unbind does not wait for.  Every later
 * call fails with ENODEV, every mapping gives SIGBUS.
 * Needs dma_demo.ko loaded; runs as root; leaves the device bound.
 */
#define _GNU_SOURCE
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"
#include "uapi/dma_demo.h"

#define DEV	"/dev/dma_demo0"
#define SYSFS	"/sys/class/misc/dma_demo0"
#define DRIVER	"/sys/bus/pci/drivers/dma_demo"

#define RACE_ROUNDS	20
#define RACE_SECONDS	30	/* fewer rounds on a slow machine */
#define RACERS		3
#define RACE_RING	256	/* mappings each racer holds at most */
/*
 * An unbind blocked by user space never ends by itself; a prompt one takes
 * well under a second on the stock kernels, a few on a debug kernel under
 * emulation on a busy machine.
 */
#define UNBIND_PROMPT	10	/* seconds */
#define UNBIND_GIVE_UP	20

/* Bind the device again (after an unbind) and wait for its node. */
static int rebind(const char *addr)
{
	if (access(DEV, F_OK) && write_file(DRIVER "/bind", addr))
		return -1;
	return wait_for(DEV, 20);
}

static sigjmp_buf jump;

static void on_sigbus(int sig)
{
	siglongjmp(jump, sig);
}

/* Does reading @p give SIGBUS?  (A SIGBUS handler must be installed.) */
static int sigbus_at(volatile char *p)
{
	if (sigsetjmp(jump, 1))
		return 1;
	(void)*p;
	return 0;
}

FIXTURE(bound) {
	char addr[64];
};

FIXTURE_SETUP(bound)
{
	DMA_DEMO_REQUIRE(DEV);
	ASSERT_EQ(0, pci_address(self->addr, sizeof(self->addr)));
}

FIXTURE_TEARDOWN(bound)
{
	/* Whatever happened, leave the device bound for the next probe. */
	if (self->addr[0] && access(DEV, F_OK))
		rebind(self->addr);
}

/*
 * One racer: map one page of @fd and touch it, again and again, holding
 * the last RACE_RING mappings, until @unbound says the unbind returned;
 * then report how many of the mappings it holds can still be read.
 */
static void racer(int fd, volatile int *ready, volatile int *unbound, int out)
{
	volatile char *ring[RACE_RING] = { NULL };
	int made = 0, readable = 0, i;
	int result[2];

	signal(SIGBUS, on_sigbus);
	__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(unbound, __ATOMIC_SEQ_CST)) {
		char *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			continue;	/* ENODEV once the device is gone */
		i = made++ % RACE_RING;
		if (ring[i])
			munmap((void *)ring[i], page_size);
		ring[i] = p;
		if (!sigsetjmp(jump, 1))
			p[0] = 1;
	}
	for (i = 0; i < RACE_RING; i++)
		if (ring[i] && !sigbus_at(ring[i]))
			readable++;
	result[0] = made;
	result[1] = readable;
	_exit(write(out, result, sizeof(result)) == sizeof(result) ? 0 : 1);
}

TEST_F_TIMEOUT(bound, mmap_racing_unbind_gives_sigbus, 300)
{
	int *flags = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int round, made = 0, readable = 0, rounds = 0;
	double end = now_seconds() + RACE_SECONDS;

	ASSERT_NE(MAP_FAILED, flags);
	for (round = 0; round < RACE_ROUNDS && now_seconds() < end; round++) {
		volatile int *ready = &flags[0], *unbound = &flags[1];
		int fd = open(DEV, O_RDWR), pipefd[2], i, status;
		pid_t pid[RACERS];

		ASSERT_LE(0, fd) TH_LOG("round %d: open: %s", round, strerror(errno));
		ASSERT_EQ(0, pipe(pipefd));
		*ready = 0;
		*unbound = 0;
		for (i = 0; i < RACERS; i++) {
			pid[i] = fork();
			ASSERT_LE(0, pid[i]);
			if (!pid[i])
				racer(fd, ready, unbound, pipefd[1]);
		}
		while (__atomic_load_n(ready, __ATOMIC_SEQ_CST) < RACERS)
			usleep(1000);
		usleep(2000 * (round % 8));	/* a different moment each round */
		ASSERT_EQ(0, write_file(DRIVER "/unbind", self->addr));
		__atomic_store_n(unbound, 1, __ATOMIC_SEQ_CST);
		for (i = 0; i < RACERS; i++) {
			int result[2];

			ASSERT_EQ(sizeof(result), read(pipefd[0], result, sizeof(result)));
			made += result[0];
			readable += result[1];
		}
		for (i = 0; i < RACERS; i++) {
			ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
		}
		close(pipefd[0]);
		close(pipefd[1]);
		close(fd);
		ASSERT_EQ(0, rebind(self->addr)) TH_LOG("round %d: bind", round);
		rounds++;
	}
	TH_LOG("%d rounds, %d mappings made, %d still readable after the unbind",
	       rounds, made, readable);
	EXPECT_LE(5, rounds);
	EXPECT_LT(0, made);
	EXPECT_EQ(0, readable);
	munmap(flags, page_size);
}

/* pread in a loop until it fails: the errno, through the exit status. */
static void reader(int fd, int started[2])
{
	char buf[200];

	while (pread(fd, buf, sizeof(buf), 100) == sizeof(buf))
		say_started(started);
	_exit(errno);
}

/* After the device went away: every call ENODEV, the mapping SIGBUS. */
static void check_dead(struct __test_metadata *_metadata, int fd,
		       volatile char *map, const char *what)
{
	struct dma_demo_xfer x = { .dir = DMA_DEMO_TO_DEVICE, .len = 8 };
	unsigned int s = DMA_DEMO_COHERENT;
	char buf[16] = "gone";

	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0)) TH_LOG("%s", what);
	EXPECT_EQ(ENODEV, errno) TH_LOG("%s: read", what);
	EXPECT_EQ(-1, pwrite(fd, buf, sizeof(buf), 0)) TH_LOG("%s", what);
	EXPECT_EQ(ENODEV, errno) TH_LOG("%s: write", what);
	EXPECT_EQ(-1, ioctl(fd, DMA_DEMO_IOC_SET_STRATEGY, &s));
	EXPECT_EQ(ENODEV, errno) TH_LOG("%s: SET_STRATEGY", what);
	EXPECT_EQ(-1, ioctl(fd, DMA_DEMO_IOC_GET_STRATEGY, &s));
	EXPECT_EQ(ENODEV, errno) TH_LOG("%s: GET_STRATEGY", what);
	EXPECT_EQ(-1, ioctl(fd, DMA_DEMO_IOC_XFER, &x));
	EXPECT_EQ(ENODEV, errno) TH_LOG("%s: XFER", what);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(ENODEV, errno) TH_LOG("%s: mmap", what);
	if (map)
		EXPECT_TRUE(sigbus_at(map)) TH_LOG("%s: mapping readable", what);
}

TEST_F_TIMEOUT(bound, hot_remove_then_rescan, 120)
{
	static const char *const names[] = { "coherent", "streaming", "direct" };
	volatile char *map[DMA_DEMO_NR_STRATEGIES];
	int fd[DMA_DEMO_NR_STRATEGIES], busy, status, nfd, started[2];
	unsigned char buf[64], out[64];
	char path[256];
	unsigned int s;
	pid_t pid;

	for (s = 0; s < DMA_DEMO_NR_STRATEGIES; s++) {
		fd[s] = open(DEV, O_RDWR);
		ASSERT_LE(0, fd[s]);
		ASSERT_EQ(0, ioctl(fd[s], DMA_DEMO_IOC_SET_STRATEGY, &s));
		map[s] = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd[s], 0);
		ASSERT_NE(MAP_FAILED, map[s]);
		map[s][0] = s;
	}
	/* One more, streaming, in the middle of a transfer at the remove. */
	busy = open(DEV, O_RDWR);
	ASSERT_LE(0, busy);
	s = DMA_DEMO_STREAMING;
	ASSERT_EQ(0, ioctl(busy, DMA_DEMO_IOC_SET_STRATEGY, &s));
	ASSERT_EQ(0, pipe(started));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		reader(busy, started);
	ASSERT_EQ(0, wait_started(started)) TH_LOG("the busy reader's first read failed");

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", self->addr);
	ASSERT_EQ(0, write_file(path, "1")) TH_LOG("%s: %s", path, strerror(errno));
	EXPECT_NE(0, access(DEV, F_OK));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", self->addr);
	EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s still there", path);

	signal(SIGBUS, on_sigbus);
	for (s = 0; s < DMA_DEMO_NR_STRATEGIES; s++)
		check_dead(_metadata, fd[s], map[s], names[s]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == ENODEV)
		TH_LOG("the busy reader ended with status %#x", status);
	check_dead(_metadata, busy, NULL, "busy");

	ASSERT_EQ(0, write_file("/sys/bus/pci/rescan", "1"));
	ASSERT_EQ(0, wait_for(DEV, 20)) TH_LOG("no %s after the rescan", DEV);
	nfd = open(DEV, O_RDWR);
	ASSERT_LE(0, nfd) TH_LOG("open after the rescan: %s", strerror(errno));
	pattern_fill(buf, sizeof(buf), 0, 91);
	ASSERT_EQ(sizeof(buf), pwrite(nfd, buf, sizeof(buf), 300));
	ASSERT_EQ(sizeof(out), pread(nfd, out, sizeof(out), 300));
	EXPECT_EQ(-1, pattern_check(out, sizeof(out), 0, 91));
	close(nfd);
	/* The old files stay dead, their mappings too. */
	for (s = 0; s < DMA_DEMO_NR_STRATEGIES; s++) {
		check_dead(_metadata, fd[s], map[s], names[s]);
		munmap((void *)map[s], page_size);
		close(fd[s]);
	}
	signal(SIGBUS, SIG_DFL);
	close(busy);
}

/*
 * A transfer blocked on a page fault of its user buffer, which a
 * userfaultfd that nobody serves yet holds: the buffer's first page is
 * missing, and the call copies from it, copies into it, or pins it.
 */
FIXTURE(uffd) {
	char addr[64];
	int fd, uffd;
	char *area;
	ssize_t ret;
	int err;
};

FIXTURE_VARIANT(uffd) {
	unsigned int strategy;
	bool write;
};

FIXTURE_VARIANT_ADD(uffd, coherent_write) { DMA_DEMO_COHERENT, true };
FIXTURE_VARIANT_ADD(uffd, streaming_write) { DMA_DEMO_STREAMING, true };
FIXTURE_VARIANT_ADD(uffd, direct_write) { DMA_DEMO_DIRECT, true };
FIXTURE_VARIANT_ADD(uffd, direct_read) { DMA_DEMO_DIRECT, false };

FIXTURE_SETUP(uffd)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	self->fd = -1;
	self->uffd = -1;
	DMA_DEMO_REQUIRE(DEV);
	ASSERT_EQ(0, pci_address(self->addr, sizeof(self->addr)));
	self->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, self->uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->uffd, UFFDIO_API, &api));
	self->area = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->area);
	reg.range.start = (unsigned long)self->area;
	reg.range.len = page_size;
	ASSERT_EQ(0, ioctl(self->uffd, UFFDIO_REGISTER, &reg))
		TH_LOG("UFFDIO_REGISTER: %s", strerror(errno));
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY,
			   &variant->strategy));
}

FIXTURE_TEARDOWN(uffd)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->uffd >= 0)
		close(self->uffd);
	if (self->addr[0] && access(DEV, F_OK))
		rebind(self->addr);
}

struct blocked_call {
	int fd;
	char *buf;
	bool write;
	ssize_t ret;
	int err;
};

static void *blocked_call(void *arg)
{
	struct blocked_call *c = arg;

	c->ret = c->write ? pwrite(c->fd, c->buf, 200, 0) :
			    pread(c->fd, c->buf, 200, 0);
	c->err = errno;
	return NULL;
}

TEST_F_TIMEOUT(uffd, unbind_does_not_wait_for_a_blocked_fault, 120)
{
	struct blocked_call call = { self->fd, self->area + 100, variant->write };
	struct uffdio_copy copy = { .dst = (unsigned long)self->area,
				    .len = page_size };
	struct pollfd pfd = { .fd = self->uffd, .events = POLLIN };
	struct uffd_msg msg;
	char *page = malloc(page_size);
	double start, took = 0;
	pthread_t thread;
	pid_t pid;
	int status;

	ASSERT_NE(NULL, page);
	memset(page, 'u', page_size);
	copy.src = (unsigned long)page;
	ASSERT_EQ(0, pthread_create(&thread, NULL, blocked_call, &call));
	/* The call has reached the buffer and waits for us. */
	ASSERT_EQ(1, poll(&pfd, 1, 10000)) TH_LOG("the call never faulted");
	ASSERT_EQ(sizeof(msg), read(self->uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);

	/* Unbind from a child: if it hangs, the fault is served after all. */
	start = now_seconds();
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(write_file(DRIVER "/unbind", self->addr) ? 1 : 0);
	while (!waitpid(pid, &status, WNOHANG)) {
		if (now_seconds() - start > UNBIND_GIVE_UP)
			break;
		usleep(10000);
	}
	took = now_seconds() - start;
	EXPECT_GT(UNBIND_PROMPT, took)
		TH_LOG("the unbind waited %.1f s for user space", took);

	/* Now serve the fault: the call goes on, and finds the device gone. */
	ASSERT_EQ(0, ioctl(self->uffd, UFFDIO_COPY, &copy))
		TH_LOG("UFFDIO_COPY: %s", strerror(errno));
	if (took > UNBIND_GIVE_UP)
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(-1, call.ret);
	EXPECT_EQ(ENODEV, call.err) TH_LOG("the blocked call: %zd, %s",
					   call.ret, strerror(call.err));
	TH_LOG("unbind took %.3f s with the call blocked", took);
	ASSERT_EQ(0, rebind(self->addr));
	free(page);
}

TEST_HARNESS_MAIN
