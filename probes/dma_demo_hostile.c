// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo hostile input: every ioctl number of the magic with bad sizes
 * and bad pointers, transfers with each field made wrong, user buffers
 * that are unmapped, read-only, or have a hole in the middle, in every
 * buffer strategy; huge and negative offsets, zero lengths, bad mmap
 * requests; and, where the kernel has fault injection, every allocation
 * of open, read, write, the transfer ioctl and mmap failed in turn.  Each
 * case states the errno it expects, and the device must hold exactly what
 * it held before (the teardown reads it back).
 *
 * A DMA takes about 100 ms under QEMU: the pattern is written once, and
 * the cases that change the device put it back themselves.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "fail_nth.h"
#include "probe.h"
#include "uapi/dma_demo.h"

#define DEV	"/dev/dma_demo0"
#define SYSFS	"/sys/class/misc/dma_demo0"
#define SEED	5	/* the pattern the device holds between cases */

static off_t dev_size;			/* 4095, or 4096 with full_buffer=Y */
static unsigned char want[DMA_DEMO_DEV_SIZE];

/* Once, before the cases: the device holds pattern SEED. */
static void __attribute__((constructor)) init(void)
{
	int fd;

	fd = open(DEV, O_RDWR);
	if (fd < 0)
		return;
	dev_size = lseek(fd, 0, SEEK_END);
	pattern_fill(want, sizeof(want), 0, SEED);
	if (dev_size > 0 && pwrite(fd, want, dev_size, 0) != dev_size)
		dev_size = -1;
	close(fd);
}

static long long transfers(void)
{
	return read_number(SYSFS "/transfers");
}

/* Does the device hold exactly want[]?  Read with chk, a coherent file. */
static int device_intact(int chk)
{
	unsigned char got[DMA_DEMO_DEV_SIZE];

	return pread(chk, got, dev_size, 0) == dev_size &&
	       !memcmp(got, want, dev_size);
}

/* Put pattern SEED back at [pos, pos + len). */
static int restore(int chk, off_t pos, size_t len)
{
	return pwrite(chk, want + pos, len, pos) == (ssize_t)len ? 0 : -1;
}

/* Pages: the middle one (if any) PROT_NONE. */
static char *pages(int n, int hole)
{
	char *p = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (hole && mprotect(p + page_size, page_size, PROT_NONE))
		return NULL;
	return p;
}

static void check_intact(struct __test_metadata *_metadata, int chk)
{
	if (device_intact(chk))
		return;
	/* Report it, and give the next case the device it expects. */
	EXPECT_TRUE(0) TH_LOG("the device no longer holds its pattern");
	restore(chk, 0, dev_size);
}

/* chk: a coherent file for checking; fd: the case's own. */
FIXTURE(dev) {
	int fd, chk;
};

/* A fixture's two files on the device, which holds its pattern. */
static void open_fd_and_chk(struct __test_metadata *_metadata, int *fd, int *chk)
{
	ASSERT_LT(0, dev_size) TH_LOG("could not write the pattern");
	*fd = open(DEV, O_RDWR);
	*chk = open(DEV, O_RDWR);
	ASSERT_LE(0, *fd);
	ASSERT_LE(0, *chk);
}

/* Both teardowns: the device still holds its pattern, if it is there. */
static void close_fd_and_chk(struct __test_metadata *_metadata, int fd, int chk)
{
	if (access(DEV, F_OK))
		return;
	check_intact(_metadata, chk);
	close(fd);
	close(chk);
}

FIXTURE_SETUP(dev)
{
	DMA_DEMO_REQUIRE(DEV);
	open_fd_and_chk(_metadata, &self->fd, &self->chk);
}

FIXTURE_TEARDOWN(dev)
{
	close_fd_and_chk(_metadata, self->fd, self->chk);
}

static int known_ioctl(unsigned int cmd)
{
	return cmd == DMA_DEMO_IOC_SET_STRATEGY ||
	       cmd == DMA_DEMO_IOC_GET_STRATEGY || cmd == DMA_DEMO_IOC_XFER ||
	       cmd == DMA_DEMO_IOC_ALLOC_DMABUF ||
	       cmd == DMA_DEMO_IOC_DMABUF_XFER;
}

/* Every number of magic 'E', each direction, many sizes: only five exist. */
TEST_F(dev, every_ioctl_number_and_size)
{
	static const unsigned int sizes[] = {
		0, 1, 2, 3, 4, 8, 16, 24, 31, 32, 33, 64, 4096, 16383
	};
	unsigned int nr, dir, s, got = 99, n = 0;
	/* Zeros: a wrongly accepted transfer would fail EINVAL, not ENOTTY. */
	static unsigned char arg[16384];
	long long before = transfers();

	for (nr = 0; nr < 256; nr++)
		for (dir = 0; dir < 4; dir++)
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				unsigned int cmd = _IOC(dir, DMA_DEMO_IOC_MAGIC, nr, sizes[s]);

				if (known_ioctl(cmd))
					continue;
				n++;
				errno = 0;
				EXPECT_EQ(-1, ioctl(self->fd, cmd, arg)) TH_LOG("cmd %#x", cmd);
				EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmd);
			}
	/* Other magics, including the terminal's, and no argument at all. */
	EXPECT_EQ(-1, ioctl(self->fd, 0x5401 /* TCGETS */, arg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOW('K', 0, __u32), arg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, 0));
	EXPECT_EQ(ENOTTY, errno);
	TH_LOG("%u unknown commands: ENOTTY", n);
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	EXPECT_EQ(DMA_DEMO_COHERENT, got);
	EXPECT_EQ(before, transfers());
}

/*
 * Unmapped, partly mapped, kernel and read-only memory as the argument of
 * each known ioctl: EFAULT, and nothing changes.  Read-only memory may be
 * read from (SET_STRATEGY, XFER) but not written to (GET_STRATEGY, and
 * ALLOC_DMABUF, which then installs no fd).
 */
TEST_F(dev, known_ioctls_with_bad_pointers)
{
	static const unsigned int cmds[] = {
		DMA_DEMO_IOC_SET_STRATEGY, DMA_DEMO_IOC_GET_STRATEGY,
		DMA_DEMO_IOC_XFER, DMA_DEMO_IOC_ALLOC_DMABUF,
		DMA_DEMO_IOC_DMABUF_XFER,
	};
	char *two = pages(2, 0), *ro = pages(1, 0);
	struct dma_demo_xfer x = {
		.dir = DMA_DEMO_FROM_DEVICE, .dev_offset = 40, .buf_offset = 8,
		.len = 24,
	};
	struct dma_demo_alloc alloc = { .size = 1, .flags = O_RDWR, .fd = -1 };
	long long before = transfers();
	unsigned int i, j, got = 99;
	unsigned char *map;
	int next_fd;

	ASSERT_NE(NULL, two);
	ASSERT_NE(NULL, ro);
	ASSERT_EQ(0, mprotect(two + page_size, page_size, PROT_NONE));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		/* The argument's last bytes fall in the PROT_NONE page. */
		void *bad[] = { NULL, (void *)1, two + page_size,
				two + page_size - _IOC_SIZE(cmds[i]) / 2,
				(void *)-4096L, BEYOND_USER(1UL << 62) };

		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			errno = 0;
			EXPECT_EQ(-1, ioctl(self->fd, cmds[i], bad[j]));
			EXPECT_EQ(EFAULT, errno) TH_LOG("cmd %#x ptr %p", cmds[i], bad[j]);
		}
	}
	EXPECT_EQ(before, transfers());

	*(__u32 *)ro = DMA_DEMO_DIRECT;
	memcpy(ro + 64, &x, sizeof(x));
	memcpy(ro + 128, &alloc, sizeof(alloc));
	ASSERT_EQ(0, mprotect(ro, page_size, PROT_READ));
	/* An allocation whose answer cannot be written: EFAULT, and no fd. */
	next_fd = dup(0);
	ASSERT_LE(0, next_fd);
	close(next_fd);
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_ALLOC_DMABUF, ro + 128));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(next_fd, dup(0)) TH_LOG("an fd was left installed");
	close(next_fd);
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	EXPECT_EQ(DMA_DEMO_COHERENT, got);	/* unchanged by all of the above */
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, ro));
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	EXPECT_EQ(DMA_DEMO_DIRECT, got);

	/* Transfers described in read-only memory and at an odd address run. */
	map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	memset(map, 0, DMA_DEMO_DEV_SIZE);
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, ro + 64));
	EXPECT_EQ(0, memcmp(map + 8, want + 40, 24));
	x.dev_offset = 100;
	memcpy(two + 1, &x, sizeof(x));
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, two + 1));
	EXPECT_EQ(0, memcmp(map + 8, want + 100, 24));
	EXPECT_EQ(-1, zero_check(map, 8));
	EXPECT_EQ(-1, zero_check(map + 32, DMA_DEMO_DEV_SIZE - 32));
	munmap(map, DMA_DEMO_DEV_SIZE);
	munmap(two, 2 * page_size);
	munmap(ro, page_size);
}

TEST_F(dev, set_strategy_out_of_range)
{
	static const __u32 bad[] = {
		DMA_DEMO_NR_STRATEGIES, 4, 255, 256, 0x80000000u, ~0u
	};
	unsigned int i, got = 99;
	__u32 s = DMA_DEMO_STREAMING;

	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &s));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &bad[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("strategy %#x", bad[i]);
	}
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_GET_STRATEGY, &got));
	EXPECT_EQ(DMA_DEMO_STREAMING, got);
	/* Per file: the checking file still has the default. */
	EXPECT_EQ(0, ioctl(self->chk, DMA_DEMO_IOC_GET_STRATEGY, &got));
	EXPECT_EQ(DMA_DEMO_COHERENT, got);
}

struct bad_xfer {
	const char *what;
	__u32 dir, flags;
	__u64 dev_offset, buf_offset, len;
};

/*
 * Each field of a transfer made wrong in turn, both directions: EINVAL,
 * and neither the device nor the host buffer changes.  Lengths and offsets
 * past 32 bits would truncate to something harmless-looking if the driver
 * narrowed them before checking; sums that wrap must not pass either.
 */
TEST_F(dev, xfer_each_field_wrong)
{
	const __u64 size = dev_size, host = DMA_DEMO_DEV_SIZE;
	const struct bad_xfer bad[] = {
		{ "direction 2", 2, 0, 0, 0, 16 },
		{ "direction 0x100", 0x100, 0, 0, 0, 16 },
		{ "direction ~0", ~0u, 0, 0, 0, 16 },
		{ "flag 1", 0, 1, 0, 0, 16 },
		{ "flag 1 << 31", 0, 0x80000000u, 0, 0, 16 },
		{ "every flag", 0, ~0u, 0, 0, 16 },
		{ "length 0", 0, 0, 0, 0, 0 },
		{ "length past the device", 0, 0, 0, 0, size + 1 },
		{ "length past the host buffer", 0, 0, 0, 0, host + 1 },
		{ "length 2^32 + 16", 0, 0, 0, 0, (1ULL << 32) + 16 },
		{ "length 2^63", 0, 0, 0, 0, 1ULL << 63 },
		{ "length ~0", 0, 0, 0, 0, ~0ULL },
		{ "device offset at the end", 0, 0, size, 0, 1 },
		{ "device range one past the end", 0, 0, size - 15, 0, 16 },
		{ "device offset 2^32", 0, 0, 1ULL << 32, 0, 16 },
		{ "device offset + length wraps", 0, 0, ~0ULL - 14, 0, 16 },
		{ "device offset ~0", 0, 0, ~0ULL, 0, 1 },
		{ "host offset at the end", 0, 0, 0, host, 1 },
		{ "host range one past the end", 0, 0, 0, host - 15, 16 },
		{ "host offset 2^32", 0, 0, 0, 1ULL << 32, 16 },
		{ "host offset + length wraps", 0, 0, 0, ~0ULL - 14, 16 },
		{ "host offset ~0", 0, 0, 0, ~0ULL, 1 },
	};
	struct dma_demo_xfer last = {
		.dir = DMA_DEMO_FROM_DEVICE, .dev_offset = size - 7,
		.buf_offset = host - 7, .len = 7,
	};
	struct dma_demo_xfer all = {
		.dir = DMA_DEMO_FROM_DEVICE, .buf_offset = host - size, .len = size,
	};
	long long before = transfers();
	unsigned char *map;
	unsigned int i, dir;

	map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	pattern_fill(map, DMA_DEMO_DEV_SIZE, 0, 77);
	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct dma_demo_xfer x = {
				.dir = bad[i].dir ? bad[i].dir : dir,
				.flags = bad[i].flags,
				.dev_offset = bad[i].dev_offset,
				.buf_offset = bad[i].buf_offset,
				.len = bad[i].len,
			};

			errno = 0;
			EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_XFER, &x))
				TH_LOG("%s, dir %u", bad[i].what, dir);
			EXPECT_EQ(EINVAL, errno) TH_LOG("%s, dir %u", bad[i].what, dir);
		}
	EXPECT_EQ(before, transfers());
	EXPECT_EQ(-1, pattern_check(map, DMA_DEMO_DEV_SIZE, 0, 77));

	/* The edges that are allowed, at odd offsets and lengths. */
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, &last));
	EXPECT_EQ(0, memcmp(map + host - 7, want + size - 7, 7));
	EXPECT_EQ(-1, pattern_check(map, host - 7, 0, 77));
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_XFER, &all));
	EXPECT_EQ(0, memcmp(map + host - size, want, size));
	munmap(map, DMA_DEMO_DEV_SIZE);
}

/*
 * A transfer to the device writes it: not through a file opened for
 * reading only (EBADF, as write(2) says), and one from it reads it: not
 * through a file opened for writing only.
 */
TEST_F(dev, xfer_follows_the_open_mode)
{
	struct dma_demo_xfer to = { .dir = DMA_DEMO_TO_DEVICE, .len = 16 };
	struct dma_demo_xfer from = { .dir = DMA_DEMO_FROM_DEVICE, .len = 16 };
	int rd = open(DEV, O_RDONLY), wr = open(DEV, O_WRONLY);
	long long before = transfers();

	ASSERT_LE(0, rd);
	ASSERT_LE(0, wr);
	EXPECT_EQ(-1, ioctl(rd, DMA_DEMO_IOC_XFER, &to));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(wr, DMA_DEMO_IOC_XFER, &from));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(before, transfers());
	close(rd);
	close(wr);
}

TEST_F(dev, huge_and_negative_offsets)
{
	char c[2] = "x";

	EXPECT_EQ(-1, pread(self->fd, c, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(self->fd, c, 1, -4096));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(self->fd, c, 1, LLONG_MIN));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, pread(self->fd, c, 1, dev_size));
	EXPECT_EQ(0, pread(self->fd, c, 1, 1LL << 32));
	EXPECT_EQ(0, pread(self->fd, c, 1, LLONG_MAX - 1));
	EXPECT_EQ(-1, pwrite(self->fd, c, 1, dev_size));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, pwrite(self->fd, c, 1, (1LL << 32) + 10));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, pwrite(self->fd, c, 1, LLONG_MAX - 1));
	EXPECT_EQ(ENOSPC, errno);
	/* pos + count overflows: the VFS refuses before the driver sees it. */
	EXPECT_EQ(-1, pwrite(self->fd, c, 2, LLONG_MAX));
	EXPECT_EQ(EINVAL, errno);

	/* The position stays within the file: SEEK_SET, _CUR and _END. */
	EXPECT_EQ(dev_size, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(-1, lseek(self->fd, 1, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, dev_size + 1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MAX, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, LLONG_MIN, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -dev_size - 1, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	/* Only SET, CUR and END: no holes to look for, nor other whences. */
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_DATA));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_HOLE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, 99));
	EXPECT_EQ(EINVAL, errno);
	/* None of them moved it. */
	EXPECT_EQ(dev_size, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, read(self->fd, c, 1));
	EXPECT_EQ(-1, write(self->fd, c, 1));
	EXPECT_EQ(ENOSPC, errno);
}

/*
 * mmap: one page of the shared host buffer at offset 0; everything else
 * is refused, by the driver (EINVAL) or by mm before it (as noted).
 */
TEST_F(dev, bad_mmap_requests)
{
	const int rw = PROT_READ | PROT_WRITE;
	int wr = open(DEV, O_WRONLY), rd = open(DEV, O_RDONLY);
	char *map;

	ASSERT_LE(0, wr);
	ASSERT_LE(0, rd);
	/* Private: read-only or not, no copies of the buffer. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_PRIVATE, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, rw, MAP_PRIVATE, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	/* Longer than the buffer, or not at its start. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * page_size, rw, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size + 1, rw, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, rw, MAP_SHARED, self->fd, page_size));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, rw, MAP_SHARED, self->fd,
				   (off_t)1 << 40));
	EXPECT_EQ(EINVAL, errno);
	/* mm: unaligned offset, zero length, an offset that overflows. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, rw, MAP_SHARED, self->fd, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 0, rw, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, sys_mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd,
					 (off_t)(~0ULL & ~(page_size - 1))));
	EXPECT_TRUE(errno == EOVERFLOW || errno == EINVAL) TH_LOG("%s", strerror(errno));
	/* mm: a flag the driver does not offer, checked with MAP_SHARED_VALIDATE. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, rw, MAP_SHARED_VALIDATE | MAP_SYNC,
				   self->fd, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* mm: a file opened for writing only; writable on a read-only one. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED, wr, 0));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, rw, MAP_SHARED, rd, 0));
	EXPECT_EQ(EACCES, errno);

	/*
	 * Read-only and shared on a read-only file is fine: mm clears
	 * VM_SHARED for such a mapping (it can never write), not VM_MAYSHARE.
	 */
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, rd, 0);
	EXPECT_NE(MAP_FAILED, map) TH_LOG("%s", strerror(errno));
	if (map != MAP_FAILED)
		munmap(map, page_size);

	/* A page, less than a page: fine.  It cannot grow (mremap: EFAULT). */
	map = mmap(NULL, 100, rw, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(MAP_FAILED, mremap(map, page_size, 2 * page_size, MREMAP_MAYMOVE));
	EXPECT_EQ(EFAULT, errno);
	munmap(map, page_size);
	close(wr);
	close(rd);
}

/* What a call under fault injection works with. */
struct fi {
	int fd, chk;		/* the call's file, and a coherent one to check */
	unsigned char *map;	/* the host buffer, mapped */
	char *spot;		/* where fi_mmap maps: see fi_map_spot() */
	char *buf;		/* the call's user buffer */
	int dir;		/* for the transfer */
	long ret;		/* what the call returned (bytes, 0 or -1) */
	int err;		/* and its errno */
};

#define FI_POS	1000	/* where the reads, writes and transfers go */
#define FI_LEN	600
#define FI_DATA	91	/* the pattern written there */

/* Each call sets c->ret and c->err; before() prepares the next attempt. */
/* Nothing at all: what arming and reading fail-nth cost (must be 0). */
static void fi_nothing(struct fi *c)
{
	c->ret = 0;
	c->err = 0;
}

static void fi_open(struct fi *c)
{
	int fd = open(DEV, O_RDWR);

	c->ret = fd < 0 ? -1 : 0;
	c->err = errno;
	if (fd >= 0)
		close(fd);
}

static void fi_write(struct fi *c)
{
	c->ret = pwrite(c->fd, c->buf, FI_LEN, FI_POS);
	c->err = errno;
}

static void fi_read(struct fi *c)
{
	c->ret = pread(c->fd, c->buf, FI_LEN, FI_POS);
	c->err = errno;
}

static void fi_xfer(struct fi *c)
{
	struct dma_demo_xfer x = {
		.dir = c->dir, .dev_offset = FI_POS, .buf_offset = 3 * FI_POS,
		.len = FI_LEN,
	};

	c->ret = ioctl(c->fd, DMA_DEMO_IOC_XFER, &x);
	c->err = errno;
}

static void fi_mmap(struct fi *c)
{
	void *map = mmap(c->spot, page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, c->fd, 0);

	c->ret = map == MAP_FAILED ? -1 : 0;
	c->err = errno;
	if (map != MAP_FAILED)
		munmap(map, page_size);
}

/* Stores through a mapping whose page is in already: no fault to fail. */
static void fi_touch(struct fi *c)
{
	long i;

	for (i = 0; i < DMA_DEMO_DEV_SIZE; i += 64)
		c->map[i] = 0x5a;
	c->ret = 0;
	c->err = 0;
}

/* A fresh buffer for the call: pages the call itself must fault in. */
static void fi_fresh_buf(struct fi *c, int fill)
{
	if (c->buf)
		munmap(c->buf, 2 * page_size);
	c->buf = pages(2, 0);
	if (c->buf && fill)
		pattern_fill(c->buf, FI_LEN, FI_POS, FI_DATA);
}

/*
 * Is the outcome of one attempt right?  A failure is ENOMEM or EFAULT
 * (an allocation or, with fail_usercopy, a user copy), and leaves the
 * device as it was; a success did all of the call.  A read may also come
 * back short, with the bytes it counts: its copy to the fresh buffer met
 * the failure in a page fault and stopped, after arm64's user copy, which
 * tries one byte again after a fault, stored that byte.  Puts the device
 * back after a write or a transfer to it that went through.
 */
static void fi_judge(struct __test_metadata *_metadata, struct fi *c,
		     const char *what, int nth, int changes_device, long ok)
{
	int is_read = c->buf && !changes_device;

	if (c->ret < 0) {
		EXPECT_TRUE(c->err == ENOMEM || c->err == EFAULT)
			TH_LOG("%s, failure %d (%s): %s", what, nth, fi_layout(), strerror(c->err));
	} else if (is_read && nth && c->ret > 0 && c->ret < ok) {
		TH_LOG("%s, failure %d (%s): a short read, %ld of %ld bytes", what, nth,
		       fi_layout(), c->ret, ok);
	} else {
		EXPECT_EQ(ok, c->ret) TH_LOG("%s, failure %d (%s)", what, nth, fi_layout());
	}
	if (c->ret > 0 && is_read)
		EXPECT_EQ(0, memcmp(c->buf, want + FI_POS, c->ret))
			TH_LOG("%s, failure %d (%s): wrong data", what, nth, fi_layout());
	if (c->ret >= 0 && changes_device) {
		unsigned char got[FI_LEN];

		EXPECT_EQ(FI_LEN, pread(c->chk, got, FI_LEN, FI_POS));
		EXPECT_EQ(-1, pattern_check(got, FI_LEN, FI_POS, FI_DATA))
			TH_LOG("%s, failure %d (%s): the device lacks the data", what, nth,
			       fi_layout());
		EXPECT_EQ(0, restore(c->chk, FI_POS, FI_LEN));
	} else if (nth) {
		EXPECT_TRUE(device_intact(c->chk))
			TH_LOG("%s, failure %d (%s): the device changed", what, nth, fi_layout());
	}
}

/*
 * Fail the 1st, 2nd, ... injectable step of call() until it runs with
 * none failed.  Return how many were failed.
 */
static int fail_each(struct __test_metadata *_metadata, struct fi *c,
		     const char *what, void (*call)(struct fi *c),
		     int fresh_buf, int changes_device, long ok)
{
	int nth;

	for (nth = 1; nth < 200; nth++) {
		int left;

		if (fresh_buf)
			fi_fresh_buf(c, fresh_buf > 1);
		ASSERT_EQ(0, set_fail_nth(nth));
		call(c);
		left = fail_nth_left();
		fi_judge(_metadata, c, what, left ? 0 : nth, changes_device, ok);
		if (left) {
			EXPECT_LE(0, c->ret) TH_LOG("%s failed with no failure injected (after %d, %s)",
						     what, nth - 1, fi_layout());
			break;
		}
	}
	TH_LOG("%s: %d allocation failures injected in turn", what, nth - 1);
	return nth - 1;
}

/* fail_each() for a call that allocates: at least one failure injected. */
static int fail_some(struct __test_metadata *_metadata, struct fi *c,
		     const char *what, void (*call)(struct fi *c),
		     int fresh_buf, int changes_device, long ok)
{
	int n = fail_each(_metadata, c, what, call, fresh_buf, changes_device, ok);

	EXPECT_LT(0, n) TH_LOG("%s: no failure injected (%s)", what, fi_layout());
	return n;
}

static int dma_debug_disabled(void)
{
	char c = 'N';
	int fd = open("/sys/kernel/debug/dma-api/disabled", O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = 'N';
	close(fd);
	return c == 'Y';
}

/*
 * Where the kernel has fault injection (the test kernels): every path that
 * allocates, with each of its allocations failed in turn.
 */
TEST_F(dev, fault_injection_every_allocation)
{
	static const char *const names[] = { "coherent", "streaming", "direct" };
	struct fi c = { .fd = self->fd, .chk = self->chk };
	int total = 0, debug_off = dma_debug_disabled();
	char what[64];
	__u32 s;

	FAIL_NTH_REQUIRE();
	c.map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		     self->fd, 0);
	ASSERT_NE(MAP_FAILED, c.map);

	ASSERT_EQ(0, fail_each(_metadata, &c, "nothing (the measuring itself)",
			       fi_nothing, 0, 0, 0));
	total += fail_some(_metadata, &c, "open", fi_open, 0, 0, 0);
	for (s = 0; s < DMA_DEMO_NR_STRATEGIES; s++) {
		ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &s));
		snprintf(what, sizeof(what), "write, %s", names[s]);
		/* A direct write only pins the caller's pages: maybe nothing to fail. */
		if (s == DMA_DEMO_DIRECT)
			total += fail_each(_metadata, &c, what, fi_write, 2, 1, FI_LEN);
		else
			total += fail_some(_metadata, &c, what, fi_write, 2, 1, FI_LEN);
		snprintf(what, sizeof(what), "read, %s", names[s]);
		total += fail_some(_metadata, &c, what, fi_read, 1, 0, FI_LEN);

		/* The transfers: the host buffer holds the data to send. */
		c.dir = DMA_DEMO_TO_DEVICE;
		pattern_fill(c.map + 3 * FI_POS, FI_LEN, FI_POS, FI_DATA);
		snprintf(what, sizeof(what), "ioctl XFER to the device, %s", names[s]);
		total += fail_each(_metadata, &c, what, fi_xfer, 0, 1, 0);
		c.dir = DMA_DEMO_FROM_DEVICE;
		memset(c.map, 0, DMA_DEMO_DEV_SIZE);
		snprintf(what, sizeof(what), "ioctl XFER from the device, %s", names[s]);
		total += fail_each(_metadata, &c, what, fi_xfer, 0, 0, 0);
		EXPECT_EQ(0, memcmp(c.map + 3 * FI_POS, want + FI_POS, FI_LEN));
		EXPECT_EQ(-1, zero_check(c.map, 3 * FI_POS));
	}
	s = DMA_DEMO_COHERENT;
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &s));
	memset(c.map, 0x77, DMA_DEMO_DEV_SIZE);
	/* mmap() only checks; the fault handler maps (vmf_insert_pfn()). */
	c.spot = fi_map_spot(page_size);
	ASSERT_NE(NULL, c.spot);
	total += fail_some(_metadata, &c, "mmap", fi_mmap, 0, 0, 0);
	/* A failed mmap leaves the host buffer alone. */
	EXPECT_EQ(0x77, c.map[0]);
	EXPECT_EQ(0x77, c.map[DMA_DEMO_DEV_SIZE - 1]);
	/* The stores above faulted the page in: nothing left to allocate. */
	EXPECT_EQ(0, fail_each(_metadata, &c, "stores through a mapping",
			       fi_touch, 0, 0, 0));
	EXPECT_EQ(0x5a, c.map[64]);

	TH_LOG("%d allocation failures injected in all", total);
	EXPECT_LT(0, total);
	/* Failures inside DMA-API debug itself would switch it off. */
	EXPECT_EQ(debug_off, dma_debug_disabled());
	if (c.buf)
		munmap(c.buf, 2 * page_size);
	munmap(c.map, DMA_DEMO_DEV_SIZE);
}

/* The same cases under each buffer strategy. */
FIXTURE(strat) {
	int fd, chk;
};

FIXTURE_VARIANT(strat) {
	__u32 strategy;
};

FIXTURE_VARIANT_ADD(strat, coherent) { .strategy = DMA_DEMO_COHERENT };
FIXTURE_VARIANT_ADD(strat, streaming) { .strategy = DMA_DEMO_STREAMING };
FIXTURE_VARIANT_ADD(strat, direct) { .strategy = DMA_DEMO_DIRECT };

FIXTURE_SETUP(strat)
{
	DMA_DEMO_REQUIRE(DEV);
	open_fd_and_chk(_metadata, &self->fd, &self->chk);
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &variant->strategy));
}

FIXTURE_TEARDOWN(strat)
{
	close_fd_and_chk(_metadata, self->fd, self->chk);
}

/* NULL, unmapped, kernel and read-only buffers: EFAULT, position kept. */
TEST_F(strat, unmapped_and_read_only_buffers)
{
	char *none = mmap(NULL, page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = pages(1, 0);
	void *bad[] = { NULL, (void *)1, none, none + page_size - 8,
			(void *)-4096L, BEYOND_USER(1UL << 62), (void *)-100L };
	long long before = transfers();
	unsigned int i;

	ASSERT_NE(MAP_FAILED, none);
	ASSERT_NE(NULL, ro);
	memcpy(ro, want + 10, 100);
	ASSERT_EQ(0, mprotect(ro, page_size, PROT_READ));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(10, lseek(self->fd, 10, SEEK_SET));
		EXPECT_EQ(-1, read(self->fd, bad[i], 100));
		EXPECT_EQ(EFAULT, errno) TH_LOG("read into %p", bad[i]);
		EXPECT_EQ(-1, write(self->fd, bad[i], 100));
		EXPECT_EQ(EFAULT, errno) TH_LOG("write from %p", bad[i]);
		EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR)) TH_LOG("%p", bad[i]);
	}
	/* The device would write where the caller may not. */
	EXPECT_EQ(-1, read(self->fd, ro, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
	/*
	 * The direct strategy pins the pages before any DMA, so it finds
	 * them missing first; the others may read the device and then fail
	 * to copy out.  Nothing ends up in the device either way.
	 */
	if (variant->strategy == DMA_DEMO_DIRECT)
		EXPECT_EQ(before, transfers());
	/* Reading from read-only memory is fine: its bytes are the pattern's. */
	EXPECT_EQ(100, write(self->fd, ro, 100));
	EXPECT_EQ(110, lseek(self->fd, 0, SEEK_CUR));
	munmap(none, page_size);
	munmap(ro, page_size);
}

/*
 * A buffer of three pages, the middle one PROT_NONE.  The file is 4 KiB,
 * so a call reaches the hole only when the buffer starts inside the first
 * page.  A call that reaches it moves what it can or nothing: either bytes
 * done with the position moved by as many, or EFAULT with the position
 * kept; the device holds exactly what the count says.
 */
static void hole_case(struct __test_metadata *_metadata, int fd, int chk,
		      char *buf, off_t pos, size_t asked, int is_write,
		      ssize_t reachable)
{
	ssize_t ret;

	ASSERT_EQ(pos, lseek(fd, pos, SEEK_SET));
	if (is_write)
		pattern_fill(buf, reachable, pos, 33);
	else
		memset(buf, 0, reachable);
	errno = 0;
	ret = is_write ? write(fd, buf, asked) : read(fd, buf, asked);
	if (ret < 0) {
		EXPECT_EQ(EFAULT, errno) TH_LOG("pos %lld", (long long)pos);
		EXPECT_EQ(pos, lseek(fd, 0, SEEK_CUR));
		return;
	}
	EXPECT_GE(reachable, ret) TH_LOG("pos %lld", (long long)pos);
	EXPECT_LT(0, ret);
	EXPECT_EQ(pos + ret, lseek(fd, 0, SEEK_CUR));
	if (is_write) {
		unsigned char got[DMA_DEMO_DEV_SIZE];

		ASSERT_EQ(dev_size, pread(chk, got, dev_size, 0));
		EXPECT_EQ(-1, pattern_check(got + pos, ret, pos, 33));
		EXPECT_EQ(0, memcmp(got, want, pos));
		EXPECT_EQ(0, memcmp(got + pos + ret, want + pos + ret,
				    dev_size - pos - ret));
		EXPECT_EQ(0, restore(chk, pos, ret));
	} else {
		EXPECT_EQ(0, memcmp(buf, want + pos, ret));
	}
}

static void buffer_with_hole(struct __test_metadata *_metadata, int fd,
			     int chk, int is_write)
{
	char *buf = pages(3, 1), *hole;

	ASSERT_NE(NULL, buf);
	ASSERT_GE(page_size, dev_size);
	hole = buf + page_size;
	/* From the first byte: the device's 4 KiB end before the hole. */
	hole_case(_metadata, fd, chk, buf, 0, 3 * page_size, is_write, dev_size);
	EXPECT_EQ(dev_size, lseek(fd, 0, SEEK_CUR));
	/* 100 bytes, then the hole. */
	hole_case(_metadata, fd, chk, hole - 100, 0, 3 * page_size, is_write, 100);
	/* One byte before the hole, two asked. */
	hole_case(_metadata, fd, chk, hole - 1, 5, 2, is_write, 1);
	/* Up to the hole and no further: the end of the file. */
	hole_case(_metadata, fd, chk, hole - 50, dev_size - 50, 3 * page_size,
		  is_write, 50);
	EXPECT_EQ(dev_size, lseek(fd, 0, SEEK_CUR));
	munmap(buf, 3 * page_size);
}

TEST_F(strat, read_into_buffer_with_hole)
{
	buffer_with_hole(_metadata, self->fd, self->chk, 0);
}

TEST_F(strat, write_from_buffer_with_hole)
{
	buffer_with_hole(_metadata, self->fd, self->chk, 1);
}

/* Nothing asked, nothing done: whatever the pointer or the position. */
TEST_F(strat, zero_lengths)
{
	long long before = transfers();

	EXPECT_EQ(0, read(self->fd, NULL, 0));
	EXPECT_EQ(0, write(self->fd, NULL, 0));
	EXPECT_EQ(0, pread(self->fd, (void *)1, 0, 100));
	EXPECT_EQ(0, pwrite(self->fd, (void *)4096, 0, 100));
#ifdef __LP64__
	/* The VFS checks the range first: a kernel address even for nothing. */
	EXPECT_EQ(-1, pwrite(self->fd, (void *)-4096L, 0, 100));
	EXPECT_EQ(EFAULT, errno);
#else
	/*
	 * A 32-bit pointer is never a kernel address of a 64-bit kernel:
	 * access_ok() checks it against the 64-bit limit, so nothing asked
	 * is nothing done here too.
	 */
	EXPECT_EQ(0, pwrite(self->fd, (void *)-4096L, 0, 100));
#endif
	EXPECT_EQ(0, pread(self->fd, NULL, 0, dev_size));
	EXPECT_EQ(0, pwrite(self->fd, NULL, 0, dev_size));	/* not ENOSPC */
	EXPECT_EQ(0, pread(self->fd, NULL, 0, 1LL << 40));
	EXPECT_EQ(0, pwrite(self->fd, NULL, 0, 1LL << 40));
	EXPECT_EQ(-1, pwrite(self->fd, NULL, 0, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(before, transfers());
}

/*
 * The device's own host buffer, mapped, as the buffer of read and write.
 * The copying strategies copy to and from it like any memory; the direct
 * strategy cannot pin it (it has no struct pages to pin): EFAULT.
 */
TEST_F(strat, own_mapping_as_buffer)
{
	unsigned char *map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE,
				  MAP_SHARED, self->fd, 0);
	ssize_t ret;

	ASSERT_NE(MAP_FAILED, map);
	memset(map, 0, DMA_DEMO_DEV_SIZE);
	ret = pread(self->fd, map + 10, 200, 300);
	if (variant->strategy == DMA_DEMO_DIRECT) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, zero_check(map, DMA_DEMO_DEV_SIZE));
		memcpy(map + 10, want + 300, 200);
	} else {
		EXPECT_EQ(200, ret);
		EXPECT_EQ(0, memcmp(map + 10, want + 300, 200));
	}
	/* Back from it: the same bytes, or EFAULT for the direct strategy. */
	ret = pwrite(self->fd, map + 10, 200, 300);
	if (variant->strategy == DMA_DEMO_DIRECT) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(EFAULT, errno);
	} else {
		EXPECT_EQ(200, ret);
	}
	munmap(map, DMA_DEMO_DEV_SIZE);
}

TEST_HARNESS_MAIN
