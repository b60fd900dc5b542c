// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo dma-buf probe: DMA_DEMO_IOC_ALLOC_DMABUF's sizes, flags, cap
 * and mmap rules, and DMA_DEMO_IOC_DMABUF_XFER with dma-bufs of every
 * exporter the kernel has, their fences, and buffers that outlive their
 * fds and the device (docs/dma-buf.md, "The tests").  udmabuf and the
 * system heap are skipped, with the reason, where the kernel has no node
 * for them; vmalloc_demo is loaded from next to the probes if need be.
 * Needs dma_demo.ko loaded; runs as root; leaves the device bound.
 */
#define _GNU_SOURCE
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"
#include "uapi/dma_demo.h"
#include "uapi/vmalloc_demo.h"

#define DEV	"/dev/dma_demo0"
#define SYSFS	"/sys/class/misc/dma_demo0"
#define DRIVER	"/sys/bus/pci/drivers/dma_demo"
#define BUFINFO	"/sys/kernel/debug/dma_buf/bufinfo"
#define VMD	"/dev/vmalloc_demo"

/* A dma-buf of dma_demo's: its fd, or -errno; *@size gets the size. */
static int alloc_buf(int fd, uint64_t want, uint32_t flags, uint64_t *size)
{
	struct dma_demo_alloc a = { .size = want, .flags = flags, .fd = -1 };

	if (ioctl(fd, DMA_DEMO_IOC_ALLOC_DMABUF, &a))
		return -errno;
	if (size)
		*size = a.size;
	return a.fd;
}

/* One DMA_DEMO_IOC_DMABUF_XFER: 0 or the errno. */
static int xfer(int fd, int buf, unsigned int dir, uint64_t dev_off,
		uint64_t buf_off, uint64_t len)
{
	struct dma_demo_dmabuf_xfer x = {
		.fd = buf, .dir = dir, .dev_offset = dev_off,
		.buf_offset = buf_off, .len = len,
	};

	return ioctl(fd, DMA_DEMO_IOC_DMABUF_XFER, &x) ? errno : 0;
}

static int buf_sync(int buf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(buf, DMA_BUF_IOCTL_SYNC, &s);
}

/* Fill @len bytes of a mapped dma-buf from @off, the CPU access bracketed. */
static int fill_mapped(int buf, unsigned char *map, size_t off, size_t len,
		       unsigned int seed)
{
	if (buf_sync(buf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE))
		return -1;
	pattern_fill(map + off, len, 0, seed);
	return buf_sync(buf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
}

/*
 * Index of the first of @len bytes at @off of a mapped dma-buf that is
 * off the pattern (from its byte @pat_off), or -1.
 */
static long long check_mapped(int buf, unsigned char *map, size_t off,
			      size_t len, size_t pat_off, unsigned int seed)
{
	long long bad;

	if (buf_sync(buf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ))
		return -2;
	bad = pattern_check(map + off, len, pat_off, seed);
	if (buf_sync(buf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ))
		return -2;
	return bad;
}

/*
 * Through the device and back: @len bytes at @src_off of @src to device
 * memory at 0, then from there to @dst_off of @dst.  0 or the errno.
 */
static int via_device(int fd, int src, uint64_t src_off, int dst,
		      uint64_t dst_off, uint64_t len)
{
	int ret = xfer(fd, src, DMA_DEMO_TO_DEVICE, 0, src_off, len);

	return ret ?: xfer(fd, dst, DMA_DEMO_FROM_DEVICE, 0, dst_off, len);
}

/* Does any line of bufinfo name dma_demo as exporter?  -errno: no bufinfo. */
static int bufinfo_has_ours(void)
{
	char line[512];
	int found = 0;
	FILE *f = fopen(BUFINFO, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		found |= !!strstr(line, "dma_demo");
	fclose(f);
	return found;
}

/* Is debugfs one of the running kernel's file systems? */
static bool kernel_has_debugfs(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "r");

	if (!f)
		return true;	/* cannot tell: no skip */
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nodev\tdebugfs\n");
	fclose(f);
	return found;
}

FIXTURE(dev) {
	int fd;
	size_t size;	/* bytes of device memory the file exposes */
	long long bounced;
	int direct;
};

FIXTURE_SETUP(dev)
{
	self->fd = -1;
	DMA_DEMO_REQUIRE(DEV);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->size = lseek(self->fd, 0, SEEK_END);
	ASSERT_LE(4095, self->size);
	self->direct = read_number(SYSFS "/dmabuf_direct");
	ASSERT_LE(0, self->direct);
	self->bounced = read_number(SYSFS "/bounced");
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * Did the transfers since the setup bounce as they should: at least
 * @pieces more where the device does not map dma-bufs, none where it does?
 */
static void check_bounced(struct __test_metadata *_metadata,
			  FIXTURE_DATA(dev) *self, long long pieces)
{
	long long now = read_number(SYSFS "/bounced");

	TH_LOG("dma-bufs %s: %lld pieces bounced",
	       self->direct ? "mapped for the device" : "bounced", now - self->bounced);
	if (self->direct) {
		EXPECT_EQ(self->bounced, now);
	} else {
		EXPECT_LE(self->bounced + pieces, now);
	}
}

TEST_F(dev, alloc_sizes_and_flags)
{
	long long max_mb = module_param("dma_demo", "dmabuf_max_mb");
	uint64_t size = 0;
	int buf, fl;

	ASSERT_LT(0, max_mb);
	EXPECT_EQ(-EINVAL, alloc_buf(self->fd, 0, O_RDWR, NULL));
	EXPECT_EQ(-EINVAL, alloc_buf(self->fd, (max_mb << 20) + 1, O_RDWR, NULL));
	EXPECT_EQ(-EINVAL, alloc_buf(self->fd, UINT64_MAX, O_RDWR, NULL));
	EXPECT_EQ(-EINVAL, alloc_buf(self->fd, page_size, O_WRONLY, NULL));
	EXPECT_EQ(-EINVAL, alloc_buf(self->fd, page_size, O_RDWR | O_NONBLOCK, NULL));
	EXPECT_EQ(-EINVAL, alloc_buf(self->fd, page_size, 1u << 31, NULL));
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_ALLOC_DMABUF, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_ALLOC_DMABUF, (void *)1));
	EXPECT_EQ(EFAULT, errno);

	/* One byte is a page; the fd's size says so too. */
	buf = alloc_buf(self->fd, 1, O_RDWR | O_CLOEXEC, &size);
	ASSERT_LE(0, buf) TH_LOG("alloc: %s", strerror(-buf));
	EXPECT_EQ(page_size, size);
	EXPECT_EQ(page_size, lseek(buf, 0, SEEK_END));
	fl = fcntl(buf, F_GETFD);
	EXPECT_TRUE(fl & FD_CLOEXEC);
	close(buf);
	buf = alloc_buf(self->fd, 3 * page_size - 5, 0, &size);
	ASSERT_LE(0, buf);
	EXPECT_EQ(3 * page_size, size);
	fl = fcntl(buf, F_GETFD);
	EXPECT_FALSE(fl & FD_CLOEXEC);
	close(buf);
}

TEST_F(dev, alloc_cap_covers_all_live_buffers)
{
	long long max = module_param("dma_demo", "dmabuf_max_mb") << 20;
	int whole, one, again;

	ASSERT_LT(0, max);
	whole = alloc_buf(self->fd, max, O_RDWR, NULL);
	ASSERT_LE(0, whole) TH_LOG("a buffer of the whole cap: %s", strerror(-whole));
	one = alloc_buf(self->fd, page_size, O_RDWR, NULL);
	EXPECT_EQ(-ENOMEM, one) TH_LOG("a page more than the cap");
	if (one >= 0)
		close(one);
	close(whole);
	again = alloc_buf(self->fd, max, O_RDWR, NULL);
	EXPECT_LE(0, again) TH_LOG("the cap again once freed: %s", strerror(-again));
	if (again >= 0)
		close(again);
}

TEST_F(dev, mmap_rules)
{
	uint64_t size;
	int buf = alloc_buf(self->fd, 2 * page_size, O_RDWR, &size);
	int ro = alloc_buf(self->fd, page_size, 0, NULL);
	unsigned char *map, *second;

	ASSERT_LE(0, buf);
	ASSERT_LE(0, ro);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, buf, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("MAP_PRIVATE");
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 3 * page_size, PROT_READ, MAP_SHARED, buf, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("past the end");
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED, buf,
				   2 * page_size));
	EXPECT_EQ(EINVAL, errno) TH_LOG("at the end");
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, ro, 0));
	EXPECT_EQ(EACCES, errno) TH_LOG("writable mapping of a read-only dma-buf");
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, ro, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, map[page_size - 1]);
	munmap(map, page_size);

	/* Zeroed; the second page through an offset is the same memory. */
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, map[0]);
	EXPECT_EQ(0, map[size - 1]);
	ASSERT_EQ(0, fill_mapped(buf, map, 0, size, 5));
	second = mmap(NULL, page_size, PROT_READ, MAP_SHARED, buf, page_size);
	ASSERT_NE(MAP_FAILED, second);
	EXPECT_EQ(-1, pattern_check(second, page_size, page_size, 5));
	munmap(second, page_size);
	munmap(map, size);
	/* A new mapping sees what the old one left. */
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, buf, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, check_mapped(buf, map, 0, size, 0, 5));
	munmap(map, size);
	close(ro);
	close(buf);
}

/* Own buffers: across a page boundary of one, into an offset of another. */
TEST_F(dev, own_buffers_round_trip)
{
	size_t len = self->size, a_size = 3 * page_size, b_size = 2 * page_size;
	int a = alloc_buf(self->fd, a_size, O_RDWR | O_CLOEXEC, NULL);
	int b = alloc_buf(self->fd, b_size, O_RDWR | O_CLOEXEC, NULL);
	unsigned char *ma, *mb, *dev = malloc(len);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_NE(NULL, dev);
	ma = mmap(NULL, a_size, PROT_READ | PROT_WRITE, MAP_SHARED, a, 0);
	mb = mmap(NULL, b_size, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0);
	ASSERT_NE(MAP_FAILED, ma);
	ASSERT_NE(MAP_FAILED, mb);
	ASSERT_EQ(0, fill_mapped(a, ma, page_size - 100, len, 17));

	ASSERT_EQ(0, xfer(self->fd, a, DMA_DEMO_TO_DEVICE, 0, page_size - 100, len));
	/* The device holds the bytes: read(2) says so. */
	ASSERT_EQ(len, pread(self->fd, dev, len, 0));
	EXPECT_EQ(-1, pattern_check(dev, len, 0, 17));
	ASSERT_EQ(0, xfer(self->fd, b, DMA_DEMO_FROM_DEVICE, 0, 7, len));
	EXPECT_EQ(-1, check_mapped(b, mb, 7, len, 0, 17));
	/* Nothing around the range was touched. */
	EXPECT_EQ(0, mb[6]);
	EXPECT_EQ(0, mb[7 + len]);
	/* A piece in the middle, to and from odd offsets. */
	ASSERT_EQ(0, xfer(self->fd, b, DMA_DEMO_TO_DEVICE, 1000, 7 + 333, 1500));
	ASSERT_EQ(0, xfer(self->fd, a, DMA_DEMO_FROM_DEVICE, 1000, 2 * page_size + 1, 1500));
	EXPECT_EQ(-1, check_mapped(a, ma, 2 * page_size + 1, 1500, 333, 17));
	check_bounced(_metadata, self, 4);
	munmap(ma, a_size);
	munmap(mb, b_size);
	close(a);
	close(b);
	free(dev);
}

/*
 * The mapping is of ordinary pages, so it can be pinned: it is the user
 * buffer of a direct-strategy write and read (pin_user_pages), which a
 * VM_PFNMAP mapping could not be (EFAULT).
 */
TEST_F(dev, mapping_can_be_pinned)
{
	size_t len = self->size, size = 2 * page_size;
	unsigned int s = DMA_DEMO_DIRECT;
	int buf = alloc_buf(self->fd, size, O_RDWR, NULL);
	unsigned char *map;

	ASSERT_LE(0, buf);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &s));
	ASSERT_EQ(0, fill_mapped(buf, map, 10, len, 71));
	EXPECT_EQ(len, pwrite(self->fd, map + 10, len, 0))
		TH_LOG("a direct write from the mapping: %s", strerror(errno));
	ASSERT_EQ(0, buf_sync(buf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE));
	EXPECT_EQ(len, pread(self->fd, map + page_size - 1, len, 0))
		TH_LOG("a direct read into the mapping: %s", strerror(errno));
	ASSERT_EQ(0, buf_sync(buf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE));
	EXPECT_EQ(-1, check_mapped(buf, map, page_size - 1, len, 0, 71));
	munmap(map, size);
	close(buf);
}

TEST_F(dev, xfer_bad_arguments)
{
	int buf = alloc_buf(self->fd, 2 * page_size, O_RDWR, NULL);
	int ro = alloc_buf(self->fd, page_size, 0, NULL);
	unsigned char *want = malloc(self->size), *got = malloc(self->size + 1);
	int rofd = open(DEV, O_RDONLY), wofd = open(DEV, O_WRONLY);
	uint64_t n = self->size;

	ASSERT_LE(0, buf);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, rofd);
	ASSERT_LE(0, wofd);
	pattern_fill(want, n, 0, 29);
	ASSERT_EQ(n, pwrite(self->fd, want, n, 0));

	EXPECT_EQ(EBADF, xfer(self->fd, -1, DMA_DEMO_TO_DEVICE, 0, 0, 8));
	EXPECT_EQ(EBADF, xfer(self->fd, 1000000, DMA_DEMO_TO_DEVICE, 0, 0, 8));
	EXPECT_EQ(EINVAL, xfer(self->fd, self->fd, DMA_DEMO_TO_DEVICE, 0, 0, 8))
		TH_LOG("an fd that is no dma-buf");
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, 2, 0, 0, 8));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_TO_DEVICE, 0, 0, 0));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_TO_DEVICE, 0, 0, n + 1));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_TO_DEVICE, n - 1, 0, 2));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_TO_DEVICE, UINT64_MAX, 0, 2));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_TO_DEVICE, 0, 2 * page_size - 1, 2));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_FROM_DEVICE, 0, 2 * page_size, 1));
	EXPECT_EQ(EINVAL, xfer(self->fd, buf, DMA_DEMO_FROM_DEVICE, 0, UINT64_MAX, 2));
	EXPECT_EQ(EINVAL, xfer(self->fd, ro, DMA_DEMO_TO_DEVICE, 0, 0, page_size + 1))
		TH_LOG("longer than the dma-buf");
	EXPECT_EQ(EBADF, xfer(self->fd, ro, DMA_DEMO_FROM_DEVICE, 0, 0, 8))
		TH_LOG("into a read-only dma-buf");
	EXPECT_EQ(EBADF, xfer(rofd, buf, DMA_DEMO_TO_DEVICE, 0, 0, 8))
		TH_LOG("to the device on a file open read-only");
	EXPECT_EQ(EBADF, xfer(wofd, buf, DMA_DEMO_FROM_DEVICE, 0, 0, 8))
		TH_LOG("from the device on a file open write-only");
	EXPECT_EQ(-1, ioctl(self->fd, DMA_DEMO_IOC_DMABUF_XFER, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* Device memory is as it was; a read-only dma-buf is a fine source. */
	EXPECT_TRUE(contents_intact(self->fd, n, (char *)want, (char *)got));
	EXPECT_EQ(0, xfer(self->fd, ro, DMA_DEMO_TO_DEVICE, 0, 0, 8));
	close(rofd);
	close(wofd);
	close(ro);
	close(buf);
	free(want);
	free(got);
}

/* The kernel's udmabuf: the pages of a memfd, written and read as a file. */
TEST_F(dev, udmabuf_round_trip)
{
	size_t len = self->size, size = 3 * page_size;
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
	unsigned char *in = malloc(size), *out = malloc(len);
	int ctl, mfd, buf;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ctl = open("/dev/udmabuf", O_RDWR);
	/* Only a missing node means the kernel has none; other errors fail. */
	if (ctl < 0 && errno == ENOENT)
		SKIP_UNLESS_FAILED(return, "no /dev/udmabuf: this kernel has no CONFIG_UDMABUF");
	ASSERT_LE(0, ctl) TH_LOG("/dev/udmabuf: %s", strerror(errno));
	mfd = memfd_create("dma_demo", MFD_ALLOW_SEALING);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, size));
	ASSERT_EQ(0, fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK));
	c.memfd = mfd;
	buf = ioctl(ctl, UDMABUF_CREATE, &c);
	ASSERT_LE(0, buf) TH_LOG("UDMABUF_CREATE: %s", strerror(errno));
	pattern_fill(in, size, 0, 41);
	ASSERT_EQ(size, pwrite(mfd, in, size, 0));

	if (!self->direct && !kernel_at_least(6, 2)) {
		/*
		 * udmabuf had no vmap before 6.2, and the bounce path reaches
		 * the pages through dma_buf_vmap(): the exporter's EINVAL.
		 */
		EXPECT_EQ(EINVAL, via_device(self->fd, buf, 50, buf, page_size + 3, len));
	} else {
		ASSERT_EQ(0, via_device(self->fd, buf, 50, buf, page_size + 3, len));
		ASSERT_EQ(len, pread(mfd, out, len, page_size + 3));
		EXPECT_EQ(-1, pattern_check(out, len, 50, 41));
		check_bounced(_metadata, self, 2);
	}
	close(buf);
	close(mfd);
	close(ctl);
	free(in);
	free(out);
}

/* The system DMA heap's buffers, mapped and synced as dma-bufs. */
TEST_F(dev, system_heap_round_trip)
{
	size_t len = self->size, size = 3 * page_size;
	struct dma_heap_allocation_data a = {
		.len = size, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	unsigned char *map;
	int heap, buf;

	heap = open("/dev/dma_heap/system", O_RDONLY);
	/* Only a missing node means the kernel has none; other errors fail. */
	if (heap < 0 && errno == ENOENT)
		SKIP(return, "no /dev/dma_heap/system: this kernel has no CONFIG_DMABUF_HEAPS_SYSTEM");
	ASSERT_LE(0, heap) TH_LOG("/dev/dma_heap/system: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a))
		TH_LOG("DMA_HEAP_IOCTL_ALLOC: %s", strerror(errno));
	buf = a.fd;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, fill_mapped(buf, map, 11, len, 43));
	ASSERT_EQ(0, via_device(self->fd, buf, 11, buf, 2 * page_size - 9, len));
	EXPECT_EQ(-1, check_mapped(buf, map, 2 * page_size - 9, len, 0, 43));
	check_bounced(_metadata, self, 2);
	munmap(map, size);
	close(buf);
	close(heap);
}

/* vmalloc_demo's buffer, exported: written and read through its file. */
TEST_F(dev, vmalloc_demo_round_trip)
{
	struct vmalloc_demo_export e = { .flags = O_RDWR | O_CLOEXEC, .fd = -1 };
	size_t len = self->size, size = 2 * page_size;
	unsigned char *in = malloc(size), *out = malloc(len);
	int loaded = load_module_near("vmalloc_demo", VMD), vfd, ret;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ASSERT_LE(0, loaded) TH_LOG("vmalloc_demo is not loaded, and there is no vmalloc_demo.ko to load");
	vfd = open(VMD, O_RDWR);
	ASSERT_LE(0, vfd);
	ret = ioctl(vfd, VMALLOC_DEMO_IOCEXPORT, &e);
	ASSERT_EQ(0, ret) TH_LOG("VMALLOC_DEMO_IOCEXPORT: %s", strerror(errno));
	ASSERT_LE(size, lseek(e.fd, 0, SEEK_END));
	pattern_fill(in, size, 0, 47);
	ASSERT_EQ(size, pwrite(vfd, in, size, 0));

	ASSERT_EQ(0, via_device(self->fd, e.fd, 99, e.fd, page_size + 5, len));
	ASSERT_EQ(len, pread(vfd, out, len, page_size + 5));
	EXPECT_EQ(-1, pattern_check(out, len, 99, 47));
	check_bounced(_metadata, self, 2);
	close(e.fd);
	close(vfd);
	if (loaded) {
		EXPECT_EQ(0, syscall(SYS_delete_module, "vmalloc_demo", O_NONBLOCK))
			TH_LOG("rmmod vmalloc_demo once its export is closed: %s",
			       strerror(errno));
	}
}

/* The dma-buf fd, its mapping, its dup and the device's file: any order. */
TEST_F(dev, close_in_any_order)
{
	size_t len = self->size, size = 2 * page_size;
	int buf = alloc_buf(self->fd, size, O_RDWR, NULL), dup_fd, other, buf2;
	unsigned char *map;

	ASSERT_LE(0, buf);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	ASSERT_NE(MAP_FAILED, map);
	dup_fd = dup(buf);
	ASSERT_LE(0, dup_fd);
	close(buf);
	/* The mapping and the dup keep it. */
	ASSERT_EQ(0, fill_mapped(dup_fd, map, 0, len, 53));
	ASSERT_EQ(0, via_device(self->fd, dup_fd, 0, dup_fd, page_size, len));
	close(dup_fd);
	/* The mapping alone keeps it. */
	EXPECT_EQ(-1, pattern_check(map + page_size, len, 0, 53));
	munmap(map, size);

	/* A buffer outlives the file it was made through. */
	other = open(DEV, O_RDWR);
	ASSERT_LE(0, other);
	buf2 = alloc_buf(other, size, O_RDWR, NULL);
	ASSERT_LE(0, buf2);
	close(other);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf2, 0);
	ASSERT_NE(MAP_FAILED, map);
	close(buf2);
	pattern_fill(map, len, 0, 59);
	EXPECT_EQ(-1, pattern_check(map, len, 0, 59));
	munmap(map, size);
}

/*
 * sw_sync (drivers/dma-buf/sw_sync.c): a timeline in debugfs whose fences
 * user space signals.  Its ABI is in no uapi header.
 */
struct sw_sync_create_fence_data {
	__u32 value;
	char name[32];
	__s32 fence;
};

#define SW_SYNC_IOC_CREATE_FENCE _IOWR('W', 0, struct sw_sync_create_fence_data)
#define SW_SYNC_IOC_INC		_IOW('W', 1, __u32)

/* Did child @pid exit within @ms milliseconds?  Its status in @status. */
static bool exited_within(pid_t pid, int ms, int *status)
{
	double end = now_seconds() + ms / 1000.0;

	do {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		usleep(10000);
	} while (now_seconds() < end);
	return false;
}

/*
 * Implicit fences: a transfer waits for the dma-buf's writers before the
 * device reads it, and for every user before the device writes it, on
 * every boot, mapped or bounced.  Where the device maps dma-bufs it waits
 * for no more: a reader's fence does not hold back a read.  (The bounced
 * way brackets its copy with DMA_BIDIRECTIONAL, so it waits for readers
 * too.)  Each fence is a sw_sync one, imported with
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE and signalled once the transfer is seen
 * waiting for two seconds (one takes a tenth of one), or once it is done.
 */
TEST_F(dev, xfer_waits_for_the_buffers_fences)
{
	static const struct {
		unsigned int dir;
		__u32 usage;
		bool waits;
		const char *what;
	} cases[] = {
		{ DMA_DEMO_TO_DEVICE, DMA_BUF_SYNC_WRITE, true,
		  "to the device, after a writer" },
		{ DMA_DEMO_FROM_DEVICE, DMA_BUF_SYNC_READ, true,
		  "from the device, after a reader" },
		{ DMA_DEMO_TO_DEVICE, DMA_BUF_SYNC_READ, false,
		  "to the device, beside a reader" },
	};
	int timeline = open("/sys/kernel/debug/sync/sw_sync", O_RDWR);
	unsigned int i;
	__u32 one = 1;

	/* debugfs is mounted where dma_buf/bufinfo is: ENOENT is sw_sync's. */
	if (timeline < 0 && errno == ENOENT &&
	    access("/sys/kernel/debug/dma_buf/bufinfo", F_OK) == 0)
		SKIP(return, "no sw_sync in this kernel (CONFIG_SW_SYNC)");
	ASSERT_LE(0, timeline) TH_LOG("sw_sync: %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sw_sync_create_fence_data f = { .value = i + 1 };
		struct dma_buf_import_sync_file imp = { .flags = cases[i].usage };
		int buf = alloc_buf(self->fd, page_size, O_RDWR, NULL), status;
		bool exited;
		pid_t pid;

		ASSERT_LE(0, buf);
		if (!cases[i].waits && !self->direct) {
			close(buf);
			continue;	/* the bounced way waits for readers */
		}
		ASSERT_EQ(0, ioctl(timeline, SW_SYNC_IOC_CREATE_FENCE, &f));
		imp.fd = f.fence;
		ASSERT_EQ(0, ioctl(buf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &imp));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(timeline);
			_exit(xfer(self->fd, buf, cases[i].dir, 0, 0, 64));
		}
		/* Two seconds to see it wait; as long as it takes to see it not. */
		exited = exited_within(pid, cases[i].waits ? 2000 : 30000, &status);
		EXPECT_EQ(!cases[i].waits, exited) TH_LOG("%s", cases[i].what);
		EXPECT_EQ(0, ioctl(timeline, SW_SYNC_IOC_INC, &one));
		if (!exited)
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("%s: status %#x", cases[i].what, status);
		close(f.fence);
		close(buf);
	}
	close(timeline);
}

/*
 * Buffers exported, mapped and in a transfer when the device goes away:
 * the transfer fails with ENODEV, the buffers and mappings live on with
 * their bytes, and once a device is back they work with it.
 */
FIXTURE(gone) {
	char addr[64];
};

FIXTURE_VARIANT(gone) {
	bool hot_remove;	/* else a driver unbind */
};

FIXTURE_VARIANT_ADD(gone, unbind) { false };
FIXTURE_VARIANT_ADD(gone, hot_remove) { true };

FIXTURE_SETUP(gone)
{
	DMA_DEMO_REQUIRE(DEV);
	ASSERT_EQ(0, pci_address(self->addr, sizeof(self->addr)));
}

FIXTURE_TEARDOWN(gone)
{
	if (self->addr[0] && access(DEV, F_OK)) {
		if (write_file(DRIVER "/bind", self->addr))
			write_file("/sys/bus/pci/rescan", "1");
		wait_for(DEV, 20);
	}
}

/* Transfers in a loop until one fails: its errno, as the exit status. */
static void busy_xfers(int fd, int buf, size_t len, int started[2])
{
	int ret;

	while (!(ret = via_device(fd, buf, 0, buf, 0, len)))
		say_started(started);
	_exit(ret);
}

TEST_F_TIMEOUT(gone, buffers_outlive_the_device, 120)
{
	size_t size = 2 * page_size, len;
	int fd = open(DEV, O_RDWR), buf, busy, status, nfd, other, started[2];
	unsigned char *map;
	char path[256];
	pid_t pid;

	ASSERT_LE(0, fd);
	len = lseek(fd, 0, SEEK_END);
	buf = alloc_buf(fd, size, O_RDWR, NULL);
	busy = alloc_buf(fd, size, O_RDWR, NULL);
	ASSERT_LE(0, buf);
	ASSERT_LE(0, busy);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, buf, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, fill_mapped(buf, map, 0, size, 61));
	ASSERT_EQ(0, pipe(started));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		busy_xfers(fd, busy, len, started);
	ASSERT_EQ(0, wait_started(started)) TH_LOG("the busy transfers' first failed");

	if (variant->hot_remove) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", self->addr);
		ASSERT_EQ(0, write_file(path, "1"));
	} else {
		ASSERT_EQ(0, write_file(DRIVER "/unbind", self->addr));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == ENODEV)
		TH_LOG("the busy transfers ended with status %#x", status);
	EXPECT_EQ(ENODEV, xfer(fd, buf, DMA_DEMO_TO_DEVICE, 0, 0, 8));
	EXPECT_EQ(-ENODEV, alloc_buf(fd, page_size, O_RDWR, NULL));
	/* The buffer is pages: still there, its bytes too. */
	EXPECT_EQ(-1, check_mapped(buf, map, 0, size, 0, 61));
	ASSERT_EQ(0, fill_mapped(buf, map, 0, size, 67));
	close(fd);
	other = buf;

	if (variant->hot_remove) {
		ASSERT_EQ(0, write_file("/sys/bus/pci/rescan", "1"));
	} else {
		ASSERT_EQ(0, write_file(DRIVER "/bind", self->addr));
	}
	ASSERT_EQ(0, wait_for(DEV, 20)) TH_LOG("no %s after the bind", DEV);
	nfd = open(DEV, O_RDWR);
	ASSERT_LE(0, nfd);
	/* The new device moves the old device's buffers. */
	ASSERT_EQ(0, via_device(nfd, other, 0, busy, 1, len));
	ASSERT_EQ(0, xfer(nfd, busy, DMA_DEMO_TO_DEVICE, 0, 1, len));
	ASSERT_EQ(0, xfer(nfd, other, DMA_DEMO_FROM_DEVICE, 0, page_size, len));
	EXPECT_EQ(-1, check_mapped(other, map, page_size, len, 0, 67));
	munmap(map, size);
	close(busy);
	close(other);
	close(nfd);
}

/*
 * Last (fixtures run in the order they are defined): bufinfo lists a
 * buffer of ours while it lives, and none once the tests above are done.
 */
FIXTURE(end) {
	int fd;
};

FIXTURE_SETUP(end)
{
	self->fd = -1;
	DMA_DEMO_REQUIRE(DEV);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(end)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(end, bufinfo_lists_ours_only_while_they_live)
{
	int ours = bufinfo_has_ours(), buf;

	/* The guest mounts debugfs: only a kernel without it may skip. */
	if (ours == -ENOENT && !kernel_has_debugfs())
		SKIP(return, "no %s: this kernel has no debugfs", BUFINFO);
	ASSERT_LE(0, ours) TH_LOG("%s: %s", BUFINFO, strerror(-ours));
	EXPECT_EQ(0, ours) TH_LOG("a dma-buf of dma_demo outlived its users");
	buf = alloc_buf(self->fd, page_size, O_RDWR, NULL);
	ASSERT_LE(0, buf);
	EXPECT_EQ(1, bufinfo_has_ours());
	close(buf);
	EXPECT_EQ(0, bufinfo_has_ours());
}

TEST_HARNESS_MAIN
