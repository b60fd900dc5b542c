// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo probe: /dev/dma_demo0 (QEMU's edu device) used the way programs
 * do, in each buffer strategy: round trips at awkward offsets and lengths,
 * EOF and ENOSPC, bad ioctls, the mmap + ioctl zero-copy path, timeouts,
 * signals, counters, and unbinding the device under an open file.
 * Needs dma_demo.ko loaded; runs as root.  Each DMA takes about 100 ms
 * under QEMU, so the counts are kept small.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"
#include "uapi/dma_demo.h"

#define DEV	"/dev/dma_demo0"
#define SYSFS	"/sys/class/misc/dma_demo0"
#define DRIVER	"/sys/bus/pci/drivers/dma_demo"

static long long counter(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), SYSFS "/%s", name);
	return read_number(path);
}

/* Two pages with nothing readable after them: buffers that cross a page. */
static unsigned char *two_pages(void)
{
	void *p = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

FIXTURE(dma) {
	int fd;
	off_t size;
};

FIXTURE_VARIANT(dma) {
	unsigned int strategy;
};

FIXTURE_VARIANT_ADD(dma, coherent) { .strategy = DMA_DEMO_COHERENT };
FIXTURE_VARIANT_ADD(dma, streaming) { .strategy = DMA_DEMO_STREAMING };
FIXTURE_VARIANT_ADD(dma, direct) { .strategy = DMA_DEMO_DIRECT };

FIXTURE_SETUP(dma)
{
	unsigned int got = 99;

	if (!dma_demo_have_edu())
		SKIP(return, "no QEMU edu device (PCI 1234:11e8)");
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &variant->strategy));
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	ASSERT_EQ(variant->strategy, got);
	self->size = lseek(self->fd, 0, SEEK_END);
	ASSERT_TRUE(self->size == DMA_DEMO_DEV_SIZE ||
		    self->size == DMA_DEMO_DEV_SIZE - 1);
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
}

FIXTURE_TEARDOWN(dma)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* pwrite len bytes of pattern seed at pos from buf, pread them back into out. */
static void round_trip(struct __test_metadata *_metadata, int fd,
		       unsigned char *buf, unsigned char *out, size_t len,
		       off_t pos, unsigned int seed)
{
	pattern_fill(buf, len, pos, seed);
	memset(out, 0, len);
	ASSERT_EQ((ssize_t)len, pwrite(fd, buf, len, pos))
		TH_LOG("pwrite %zu at %lld: %s", len, (long long)pos, strerror(errno));
	ASSERT_EQ((ssize_t)len, pread(fd, out, len, pos))
		TH_LOG("pread %zu at %lld: %s", len, (long long)pos, strerror(errno));
	ASSERT_EQ(-1, pattern_check(out, len, pos, seed));
}

TEST_F(dma, whole_device_round_trip)
{
	unsigned char *buf = malloc(self->size), *out = malloc(self->size);

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, out);
	/* read(2)/write(2) with the file position, not pread/pwrite. */
	pattern_fill(buf, self->size, 0, 11 + variant->strategy);
	ASSERT_EQ(self->size, write(self->fd, buf, self->size));
	ASSERT_EQ(self->size, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(self->size, read(self->fd, out, self->size));
	ASSERT_EQ(-1, pattern_check(out, self->size, 0, 11 + variant->strategy));
	ASSERT_EQ(0, read(self->fd, out, 1));		/* EOF */
	free(buf);
	free(out);
}

TEST_F(dma, one_byte_and_the_last_byte)
{
	unsigned char buf[16], out[16];

	round_trip(_metadata, self->fd, buf, out, 1, 0, 21);
	round_trip(_metadata, self->fd, buf, out, 1, 1000, 22);
	round_trip(_metadata, self->fd, buf, out, 1, self->size - 1, 23);
	/* Short at the boundary: 16 asked, 1 moved, either way. */
	pattern_fill(buf, sizeof(buf), 0, 24);
	ASSERT_EQ(1, pwrite(self->fd, buf, sizeof(buf), self->size - 1));
	ASSERT_EQ(1, pread(self->fd, out, sizeof(out), self->size - 1));
	ASSERT_EQ(buf[0], out[0]);
}

TEST_F(dma, page_crossing_unaligned_user_buffers)
{
	unsigned char *src = two_pages(), *dst = two_pages();
	size_t len = 301;

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	/* Both buffers straddle their page boundary at different points. */
	round_trip(_metadata, self->fd, src + page_size - 100,
		   dst + page_size - 201, len, 777, 31);
	/* And the whole device from and to odd addresses. */
	round_trip(_metadata, self->fd, src + 3, dst + 1, self->size, 0, 32);
	munmap(src, 2 * page_size);
	munmap(dst, 2 * page_size);
}

TEST_F(dma, neighbours_are_untouched)
{
	unsigned char buf[64], out[64];

	round_trip(_metadata, self->fd, buf, out, sizeof(buf), 100, 41);
	round_trip(_metadata, self->fd, buf, out, 10, 164, 42);
	/* The first write's bytes are still there. */
	ASSERT_EQ(sizeof(buf), pread(self->fd, out, sizeof(out), 100));
	ASSERT_EQ(-1, pattern_check(out, sizeof(out), 100, 41));
}

/*
 * Empty segments in a vector, leading and in the middle, are stepped
 * over in every strategy: preadv(2) and pwritev(2) move every byte of
 * the others (a write loop given 0 would spin).
 */
TEST_F(dma, empty_segments_in_a_vector)
{
	unsigned char buf[64], out[64];
	struct iovec w[] = { { buf, 0 }, { buf, 0 }, { buf, 40 }, { buf, 0 },
			     { buf + 40, 24 } };
	struct iovec r[] = { { out, 0 }, { out, 24 }, { out, 0 }, { out + 24, 40 } };

	pattern_fill(buf, sizeof(buf), 300, 51);
	memset(out, 0, sizeof(out));
	ASSERT_EQ((ssize_t)sizeof(buf), pwritev(self->fd, w, ARRAY_SIZE(w), 300));
	ASSERT_EQ((ssize_t)sizeof(out), preadv(self->fd, r, ARRAY_SIZE(r), 300));
	ASSERT_EQ(-1, pattern_check(out, sizeof(out), 300, 51));
	/* Only empty segments: nothing to move, and no error. */
	ASSERT_EQ(0, pwritev(self->fd, w, 2, 300));
	ASSERT_EQ(0, preadv(self->fd, r, 1, 300));
}

TEST_F(dma, eof_and_enospc)
{
	char c = 'x';

	ASSERT_EQ(0, pread(self->fd, &c, 1, self->size));
	ASSERT_EQ(0, pread(self->fd, &c, 1, self->size + 100000));
	ASSERT_EQ(-1, pwrite(self->fd, &c, 1, self->size));
	ASSERT_EQ(ENOSPC, errno);
	ASSERT_EQ(0, pwrite(self->fd, &c, 0, 0));
	ASSERT_EQ(-1, lseek(self->fd, self->size + 1, SEEK_SET));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(self->size - 10, lseek(self->fd, -10, SEEK_END));
}

TEST_F(dma, bad_user_pointers)
{
	char *ro = mmap(NULL, page_size, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *volatile null = NULL;	/* hidden from the compiler's checks */

	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(-1, pwrite(self->fd, null, 16, 0));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, pread(self->fd, null, 16, 0));
	ASSERT_EQ(EFAULT, errno);
	/* The device would write to memory the caller cannot write. */
	ASSERT_EQ(-1, pread(self->fd, ro, 16, 0));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, pread(self->fd, (void *)-4096L, 16, 0));
	ASSERT_EQ(EFAULT, errno);
	munmap(ro, page_size);
}

FIXTURE(dev) {
	int fd;
	off_t size;
};

FIXTURE_SETUP(dev)
{
	if (!dma_demo_have_edu())
		SKIP(return, "no QEMU edu device (PCI 1234:11e8)");
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	self->size = lseek(self->fd, 0, SEEK_END);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, bad_ioctls)
{
	struct dma_demo_xfer x = { .dir = DMA_DEMO_TO_DEVICE, .len = 16 };
	unsigned int val = DMA_DEMO_NR_STRATEGIES, got;

	ASSERT_EQ(-1, ioctl(self->fd, _IO(DMA_DEMO_IOC_MAGIC, 99)));
	ASSERT_EQ(ENOTTY, errno);
	/* The right number with the wrong size is another command. */
	ASSERT_EQ(-1, ioctl(self->fd, _IOW(DMA_DEMO_IOC_MAGIC, 0, __u64), &val));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &val));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	ASSERT_EQ(DMA_DEMO_COHERENT, got);	/* unchanged by the failures */
	ASSERT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_XFER, NULL));
	ASSERT_EQ(EFAULT, errno);

	/* Each a valid transfer with one field made wrong. */
	struct dma_demo_xfer bad[7];
	const char *what[7] = { "len 0", "len past the device",
		"range past the device", "range past the host buffer",
		"huge offset", "direction 2", "a flag" };

	for (size_t i = 0; i < 7; i++)
		bad[i] = x;
	bad[0].len = 0;
	bad[1].len = self->size + 1;
	bad[2].dev_offset = self->size - 8;
	bad[3].buf_offset = DMA_DEMO_DEV_SIZE - 8;
	bad[4].dev_offset = ~0ULL - 4;
	bad[5].dir = 2;
	bad[6].flags = 1;
	for (size_t i = 0; i < 7; i++) {
		EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_XFER, &bad[i])) TH_LOG("%s", what[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", what[i]);
	}
	/* The same transfer, unbroken, works. */
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, &x));
}

TEST_F(dev, mmap_and_ioctl_zero_copy)
{
	struct dma_demo_xfer x = { .len = 1000, .dev_offset = 2000, .buf_offset = 96 };
	unsigned char *map, out[1000];
	long long before = counter("transfers");

	map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	pattern_fill(map + 96, 1000, 0, 51);
	x.dir = DMA_DEMO_TO_DEVICE;
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, &x)) TH_LOG("%s", strerror(errno));
	/* What the device got, seen with read(2). */
	ASSERT_EQ(1000, pread(self->fd, out, 1000, 2000));
	ASSERT_EQ(-1, pattern_check(out, 1000, 0, 51));
	/* And back into another part of the mapping. */
	memset(map, 0, DMA_DEMO_DEV_SIZE);
	x.dir = DMA_DEMO_FROM_DEVICE;
	x.buf_offset = 3000;
	x.len = 500;
	x.dev_offset = 2100;
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, &x));
	ASSERT_EQ(-1, pattern_check(map + 3000, 500, 100, 51));
	ASSERT_EQ(-1, zero_check(map, 3000));
	ASSERT_LE(before + 3, counter("transfers"));
	munmap(map, DMA_DEMO_DEV_SIZE);
}

/*
 * The VmFlags line of /proc/self/smaps for the mapping at @addr, or ""
 * when there is none.
 */
static const char *vm_flags_of(const void *addr, char *out, size_t len)
{
	unsigned long lo, hi, want = (unsigned long)addr;
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;

	out[0] = 0;
	if (!f)
		return out;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			inside = lo <= want && want < hi;
		else if (inside && !strncmp(line, "VmFlags:", 8)) {
			snprintf(out, len, "%s", line + 8);
			break;
		}
	}
	fclose(f);
	return out;
}

/*
 * The host buffer is mapped with what the DMA API gives coherent memory:
 * dma_mmap_coherent()'s protection and flags, VM_IO and VM_PFNMAP ("io"
 * and "pf").  That it starts empty, as remove() needs, is
 * dma_demo_lifetime's mmap_racing_unbind_gives_sigbus.
 */
TEST_F(dev, mmap_has_the_dma_apis_flags)
{
	unsigned char *map;
	char flags[512];

	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	vm_flags_of(map, flags, sizeof(flags));
	EXPECT_NE(NULL, strstr(flags, " io")) TH_LOG("VmFlags:%s", flags);
	EXPECT_NE(NULL, strstr(flags, " pf")) TH_LOG("VmFlags:%s", flags);
	map[page_size - 1] = 0x5a;
	EXPECT_EQ(0x5a, map[page_size - 1]);
	munmap(map, page_size);
}

TEST_F(dev, mmap_refuses_what_it_cannot_map)
{
	void *p;

	p = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		 self->fd, 0);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);
	p = mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, page_size);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);
}

TEST_F(dev, counters_grow)
{
	long long t = counter("transfers"), b = counter("bytes");
	long long irq = counter("interrupts");
	char buf[100] = "counted";

	ASSERT_LE(0, t);
	ASSERT_LE(0, b);
	ASSERT_LE(0, irq);
	ASSERT_EQ(100, pwrite(self->fd, buf, 100, 0));
	ASSERT_EQ(100, pread(self->fd, buf, 100, 0));
	EXPECT_EQ(t + 2, counter("transfers"));
	EXPECT_EQ(b + 200, counter("bytes"));
	EXPECT_LE(irq + 2, counter("interrupts"));
}

/*
 * xfer_tries() - transfers that must fail with @err (a 1 ms timeout, a
 * signal 20 ms in): one can finish first when the host stalls the vCPU
 * past edu's 100 ms between the doorbell and the wait (seen once, on a
 * loaded host), so the case asks that most of XFER_TRIES fail, not all.
 * Each try is printed; @timer (if any) is armed before each.  It stops
 * once the majority is decided either way.
 * Return: how many tries failed with @err.
 */
#define XFER_TRIES	5	/* odd: a majority always decides */

static int xfer_tries(struct __test_metadata *_metadata, int fd, char *buf,
		      size_t len, off_t pos, bool to_device,
		      const struct itimerval *timer, int err)
{
	const struct itimerval off = { 0 };
	int tries = 0, failed = 0;

	while (failed <= XFER_TRIES / 2 && tries - failed <= XFER_TRIES / 2) {
		ssize_t n;
		int e;

		if (timer)
			ASSERT_EQ(0, setitimer(ITIMER_REAL, timer, NULL));
		n = to_device ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);
		e = errno;
		tries++;
		if (n == -1 && e == err)
			failed++;
		if (n == -1)
			fprintf(TH_LOG_STREAM, "# try %d/%d: %s%s\n", tries, XFER_TRIES,
				strerrorname_np(e), e == err ? ", as it should" : "");
		else
			fprintf(TH_LOG_STREAM, "# try %d/%d: moved %zd of %zu bytes\n",
				tries, XFER_TRIES, n, len);
	}
	/* A try that beat its timer must not have it go off later. */
	if (timer)
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &off, NULL));
	EXPECT_LT(XFER_TRIES / 2, failed)
		TH_LOG("%d of %d tries failed with %s: most must", failed, tries,
		       strerrorname_np(err));
	return failed;
}

TEST_F(dev, timeout_then_sane)
{
	const char *param = "/sys/module/dma_demo/parameters/timeout_ms";
	long long old = module_param("dma_demo", "timeout_ms");
	long long timeouts = counter("timeouts");
	char buf[64], out[64], text[32];
	int timed_out;

	ASSERT_LT(0, old);
	/* A DMA takes about 100 ms under QEMU: 1 ms is too short. */
	ASSERT_EQ(0, write_file(param, "1"));
	pattern_fill(buf, sizeof(buf), 0, 61);
	timed_out = xfer_tries(_metadata, self->fd, buf, sizeof(buf), 300, true,
			       NULL, ETIMEDOUT);
	snprintf(text, sizeof(text), "%lld", old);
	ASSERT_EQ(0, write_file(param, text));
	EXPECT_EQ(timeouts + timed_out, counter("timeouts"));
	/* The device finished it anyway and works on. */
	ASSERT_EQ(sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 300));
	ASSERT_EQ(sizeof(out), pread(self->fd, out, sizeof(out), 300));
	ASSERT_EQ(-1, pattern_check(out, sizeof(out), 0, 61));
}

/* timeout_ms takes 1 to 60000 ms: anything else is EINVAL, and changes nothing. */
TEST_F(dev, timeout_ms_is_checked)
{
	const char *param = "/sys/module/dma_demo/parameters/timeout_ms";
	const char *bad[] = { "0", "60001", "-1", "abc", "4294967296", "" };
	long long old = module_param("dma_demo", "timeout_ms");
	char text[32];

	ASSERT_LT(0, old);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = open(param, O_WRONLY);
		ssize_t n;

		ASSERT_LE(0, fd);
		errno = 0;
		n = write(fd, bad[i], strlen(bad[i]) ? strlen(bad[i]) : 1);
		EXPECT_EQ(-1, n) TH_LOG("\"%s\" accepted", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("\"%s\": %s", bad[i], strerror(errno));
		close(fd);
		EXPECT_EQ(old, module_param("dma_demo", "timeout_ms"));
	}
	EXPECT_EQ(0, write_file(param, "60000"));
	EXPECT_EQ(60000, module_param("dma_demo", "timeout_ms"));
	EXPECT_EQ(0, write_file(param, "1"));
	snprintf(text, sizeof(text), "%lld", old);
	ASSERT_EQ(0, write_file(param, text));
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(dev, signal_interrupts_a_transfer)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = 20000 } };
	char buf[64], out[64];

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	/* The signal comes 20 ms into a 100 ms transfer. */
	xfer_tries(_metadata, self->fd, buf, sizeof(buf), 0, false, &it, EINTR);
	/* Nothing was left running into the buffer: the next one is fine. */
	pattern_fill(buf, sizeof(buf), 0, 71);
	ASSERT_EQ(sizeof(buf), pwrite(self->fd, buf, sizeof(buf), 10));
	ASSERT_EQ(sizeof(out), pread(self->fd, out, sizeof(out), 10));
	ASSERT_EQ(-1, pattern_check(out, sizeof(out), 0, 71));
}

TEST_F(dev, concurrent_users_are_serialised)
{
	unsigned char buf[512], out[512];
	pid_t pid[3];
	int i, status;

	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			int fd = open(DEV, O_RDWR), j, bad = 0;
			unsigned int s = DMA_DEMO_STREAMING;

			if (i == 1)
				ioctl(fd, DMA_DEMO_IOC_SET_STRATEGY, &s);
			for (j = 0; j < 3; j++) {
				pattern_fill(buf, sizeof(buf), j, 80 + i);
				bad |= pwrite(fd, buf, sizeof(buf), i * 1024) != sizeof(buf);
				bad |= pread(fd, out, sizeof(out), i * 1024) != sizeof(out);
				bad |= pattern_check(out, sizeof(out), j, 80 + i) != -1;
			}
			_exit(bad);
		}
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

static sigjmp_buf jump;

static void on_sigbus(int sig)
{
	siglongjmp(jump, sig);
}

TEST_F(dev, unbind_while_open_then_rebind)
{
	unsigned char buf[32] = "still here", out[32];
	struct dma_demo_xfer x = { .dir = DMA_DEMO_TO_DEVICE, .len = 8 };
	unsigned int s = DMA_DEMO_DIRECT;
	char addr[64];
	volatile unsigned char *map;
	int fd, sig;

	ASSERT_EQ(0, pci_address(addr, sizeof(addr)));
	map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 1;

	ASSERT_EQ(0, write_file(DRIVER "/unbind", addr)) TH_LOG("unbind %s", addr);
	EXPECT_EQ(-1, pread(self->fd, out, 8, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, pwrite(self->fd, buf, 8, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &s));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_XFER, &x));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				   self->fd, 0));
	EXPECT_EQ(ENODEV, errno);
	/* The old mapping no longer reaches the freed buffer. */
	signal(SIGBUS, on_sigbus);
	sig = sigsetjmp(jump, 1);
	if (!sig)
		(void)map[0];
	EXPECT_EQ(SIGBUS, sig);
	signal(SIGBUS, SIG_DFL);
	EXPECT_NE(0, access(DEV, F_OK));

	ASSERT_EQ(0, write_file(DRIVER "/bind", addr)) TH_LOG("bind %s", addr);
	EXPECT_EQ(-1, pread(self->fd, out, 8, 0));	/* the old file stays dead */
	EXPECT_EQ(ENODEV, errno);
	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("open after rebind: %s", strerror(errno));
	ASSERT_EQ(sizeof(buf), pwrite(fd, buf, sizeof(buf), 50));
	ASSERT_EQ(sizeof(out), pread(fd, out, sizeof(out), 50));
	ASSERT_EQ(0, memcmp(buf, out, sizeof(buf)));
	close(fd);
	munmap((void *)map, DMA_DEMO_DEV_SIZE);
}

TEST_HARNESS_MAIN
