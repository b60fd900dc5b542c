// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo_dmabuf: the buffer exported as a dma-buf
 * (VMALLOC_DEMO_IOCEXPORT), used the way a program uses a dma-buf:
 * mmap()ed, CPU access bracketed by DMA_BUF_IOCTL_SYNC, the same bytes as
 * the device's read() and write(); the buffer not resized while an export
 * lives (EBUSY), however its descriptors and mappings go away; the module
 * not unloaded while an export lives, and unloaded once it is gone; every
 * bad argument refused; nothing left in debugfs dma_buf/bufinfo.  Needs
 * vmalloc_demo.ko loaded (any parameters); runs as root.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "vmalloc_demo_ioctl.h"

#define DEV "/dev/vmalloc_demo"
#define BUFINFO "/sys/kernel/debug/dma_buf/bufinfo"

/* VMALLOC_DEMO_IOCEXPORT: the dma-buf's descriptor, or -1 with errno. */
static int export(int fd, unsigned int flags)
{
	struct vmalloc_demo_export exp = { .flags = flags, .fd = -1 };

	if (ioctl(fd, VMALLOC_DEMO_IOCEXPORT, &exp))
		return -1;
	return exp.fd;
}

static int dmabuf_sync(int dfd, unsigned long long flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl(dfd, DMA_BUF_IOCTL_SYNC, &sync);
}

/* Lines of debugfs dma_buf/bufinfo that name vmalloc_demo, -1 if unreadable. */
static int bufinfo_ours(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(BUFINFO, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "vmalloc_demo"))
			n++;
	fclose(f);
	return n;
}

/* The device open, at its load-time size. */
#define DMABUF_SETUP()							\
	do {								\
		struct vmalloc_demo_info info;				\
									\
		self->fd = open(DEV, O_RDWR);				\
		ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno)); \
		self->size = param_size();				\
		ASSERT_LT(0, self->size);				\
		ASSERT_EQ(0, get_info(self->fd, &info));		\
		if (info.size != self->size)				\
			ASSERT_EQ(0, resize(self->fd, self->size));	\
	} while (0)

#define DMABUF_TEARDOWN()						\
	do {								\
		if (self->fd >= 0) {					\
			resize(self->fd, self->size);			\
			close(self->fd);				\
		}							\
	} while (0)

FIXTURE(dmabuf) {
	int fd;
	size_t size;
};

FIXTURE_SETUP(dmabuf)
{
	DMABUF_SETUP();
}

FIXTURE_TEARDOWN(dmabuf)
{
	DMABUF_TEARDOWN();
}

/*
 * Bytes written with write(2) are the dma-buf mapping's, and bytes
 * stored through the mapping are what read(2) returns, with the CPU
 * access bracketed by DMA_BUF_IOCTL_SYNC.  The descriptor is close-on-exec
 * when asked, and its size is the buffer's.
 */
TEST_F(dmabuf, mmap_shows_the_device_bytes)
{
	char *map, *buf;
	int dfd;

	buf = malloc(self->size);
	ASSERT_NE(NULL, buf);
	pattern_fill(buf, self->size, 0, 21);
	ASSERT_EQ(self->size, pwrite(self->fd, buf, self->size, 0));

	dfd = export(self->fd, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dfd) TH_LOG("export: %s", strerror(errno));
	EXPECT_EQ(FD_CLOEXEC, fcntl(dfd, F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(dfd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(self->size, lseek(dfd, 0, SEEK_END));
	EXPECT_EQ(1, bufinfo_ours());

	map = mmap(NULL, self->size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, dmabuf_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ));
	EXPECT_EQ(-1, pattern_check(map, self->size, 0, 21));
	ASSERT_EQ(0, dmabuf_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ));

	ASSERT_EQ(0, dmabuf_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE));
	pattern_fill(map, self->size, 0, 22);
	ASSERT_EQ(0, dmabuf_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE));
	ASSERT_EQ(self->size, pread(self->fd, buf, self->size, 0));
	EXPECT_EQ(-1, pattern_check(buf, self->size, 0, 22));

	/* A part of the buffer, at an offset, is the same bytes. */
	munmap(map, self->size);
	if (self->size >= 2 * page_size) {
		map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, dfd, page_size);
		ASSERT_NE(MAP_FAILED, map);
		EXPECT_EQ(-1, pattern_check(map, page_size, page_size, 22));
		munmap(map, page_size);
	}
	close(dfd);
	free(buf);
	EXPECT_EQ(0, bufinfo_ours());
}

/* The core's answers to bad DMA_BUF_IOCTL_SYNC flags: EINVAL. */
TEST_F(dmabuf, sync_bad_flags)
{
	static const unsigned long long bad[] = {
		0,				/* neither read nor write */
		DMA_BUF_SYNC_END,		/* the same, at the end */
		DMA_BUF_SYNC_RW | (1 << 3),	/* an unknown bit */
		~0ULL,
	};
	unsigned int i;
	int dfd;

	dfd = export(self->fd, O_RDWR);
	ASSERT_LE(0, dfd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, dmabuf_sync(dfd, bad[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags %#llx", bad[i]);
	}
	EXPECT_EQ(0, dmabuf_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW));
	EXPECT_EQ(0, dmabuf_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW));
	close(dfd);
}

/* Every bad export is refused and leaves nothing behind. */
TEST_F(dmabuf, bad_exports)
{
	static const unsigned int bad[] = {
		O_WRONLY, O_NONBLOCK, O_RDWR | O_NONBLOCK, O_TRUNC, O_DIRECT,
		0x80000000u, ~0u,
	};
	unsigned int i;
	char *map;
	int ro, dfd;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, export(self->fd, bad[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags %#x", bad[i]);
	}
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, VMALLOC_DEMO_IOCEXPORT, NULL));

	/* A read-only file gives a read-only dma-buf, no writable one. */
	ro = open(DEV, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_ERRNO(EACCES, export(ro, O_RDWR));
	dfd = export(ro, 0);
	close(ro);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(0, fcntl(dfd, F_GETFD));	/* no O_CLOEXEC asked */
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, dfd, 0));
	EXPECT_EQ(EACCES, errno);
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, dfd, 0);
	EXPECT_NE(MAP_FAILED, map);
	if (map != MAP_FAILED)
		munmap(map, page_size);
	/* Private copies and ranges past the end are refused. */
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_PRIVATE, dfd, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED, dfd,
				   self->size));
	EXPECT_EQ(EINVAL, errno);
	close(dfd);

	/* Nothing refused holds the buffer. */
	EXPECT_EQ(0, resize(self->fd, page_size));
	EXPECT_EQ(0, bufinfo_ours());
}

/* How the last holder of an export goes away, in each order. */
FIXTURE(order) {
	int fd;
	size_t size;
};

FIXTURE_SETUP(order)
{
	DMABUF_SETUP();
}

FIXTURE_TEARDOWN(order)
{
	DMABUF_TEARDOWN();
}

FIXTURE_VARIANT(order) {
	int close_dev_first;	/* the device's own descriptor goes first */
	int munmap_first;	/* the mapping goes before the dma-buf's fd */
};

FIXTURE_VARIANT_ADD(order, fd_then_map) {
	.munmap_first = 0,
};

FIXTURE_VARIANT_ADD(order, map_then_fd) {
	.munmap_first = 1,
};

FIXTURE_VARIANT_ADD(order, dev_then_fd_then_map) {
	.close_dev_first = 1,
};

/*
 * Resize is refused (EBUSY) while any trace of an export lives: its
 * descriptor, a mapping of it, a second export; allowed once the last is
 * gone, in every order.  The device's mapping count does not include the
 * dma-buf's mappings.
 */
TEST_F(order, resize_refused_while_exported)
{
	struct vmalloc_demo_info info;
	size_t len = page_size;
	int dfd, dfd2;
	char *map;

	dfd = export(self->fd, O_RDWR);
	ASSERT_LE(0, dfd);
	EXPECT_ERRNO(EBUSY, resize(self->fd, self->size + page_size));

	/* A second export, gone again: the first still holds. */
	dfd2 = export(self->fd, O_RDWR);
	ASSERT_LE(0, dfd2);
	EXPECT_EQ(2, bufinfo_ours());
	close(dfd2);
	EXPECT_ERRNO(EBUSY, resize(self->fd, page_size));

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(0, info.mappings);
	EXPECT_EQ(self->size, info.size);

	if (variant->close_dev_first) {
		close(self->fd);
		self->fd = -1;
	}
	if (variant->munmap_first) {
		munmap(map, len);
		EXPECT_ERRNO(EBUSY, resize(self->fd, page_size));
		close(dfd);
	} else {
		close(dfd);
		/* The mapping keeps the dma-buf, and the dma-buf the buffer. */
		map[0] = 'x';
		if (self->fd >= 0) {
			EXPECT_ERRNO(EBUSY, resize(self->fd, page_size));
		}
		EXPECT_EQ(1, bufinfo_ours());
		munmap(map, len);
	}
	if (self->fd < 0) {
		self->fd = open(DEV, O_RDWR);
		ASSERT_LE(0, self->fd);
	}
	EXPECT_EQ(0, bufinfo_ours());
	EXPECT_EQ(0, resize(self->fd, page_size));
	EXPECT_EQ(0, resize(self->fd, self->size));
}

/* The file of the running program: where to look for vmalloc_demo.ko. */
static int find_module(char *path, size_t len)
{
	static const char *const rel[] = {
		"/../modules/vmalloc_demo.ko",		/* the test VM's /kmm */
		"/../vmalloc_demo/vmalloc_demo.ko",	/* the source tree */
	};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	unsigned int i;

	if (n <= 0)
		return -1;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (snprintf(path, len, "%s%s", exe, rel[i]) >= (int)len)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	return -1;
}

/* The parameters the module runs with, as insmod takes them. */
static void current_params(char *params, size_t len)
{
	char backend[32] = "vmalloc";
	FILE *f = fopen("/sys/module/vmalloc_demo/parameters/backend", "r");

	if (f) {
		if (fscanf(f, "%31s", backend) != 1)
			strcpy(backend, "vmalloc");
		fclose(f);
	}
	snprintf(params, len, "size=%lld backend=%s",
		 module_param("vmalloc_demo", "size"), backend);
}

/*
 * The dma-buf holds the module: with the device closed and only the
 * export left, rmmod is refused; once the export is gone the module
 * unloads (and is loaded again as it was).
 */
TEST_F(dmabuf, rmmod_refused_while_exported)
{
	char ko[PATH_MAX], params[128], *map;
	int dfd, kfd;

	dfd = export(self->fd, O_RDWR);
	ASSERT_LE(0, dfd);
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, map);
	close(self->fd);
	self->fd = -1;

	EXPECT_ERRNO(EWOULDBLOCK, syscall(SYS_delete_module, "vmalloc_demo", O_NONBLOCK));
	close(dfd);
	errno = 0;
	EXPECT_EQ(-1, syscall(SYS_delete_module, "vmalloc_demo", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno) TH_LOG("the mapping holds the dma-buf");
	munmap(map, page_size);
	EXPECT_EQ(0, read_number("/sys/module/vmalloc_demo/refcnt"));
	EXPECT_EQ(0, bufinfo_ours());

	if (find_module(ko, sizeof(ko))) {
		TH_LOG("vmalloc_demo.ko not found: not unloading it");
	} else {
		current_params(params, sizeof(params));
		kfd = open(ko, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, kfd);
		ASSERT_EQ(0, syscall(SYS_delete_module, "vmalloc_demo", O_NONBLOCK))
			TH_LOG("rmmod: %s", strerror(errno));
		ASSERT_EQ(0, syscall(SYS_finit_module, kfd, params, 0))
			TH_LOG("insmod %s %s: %s", ko, params, strerror(errno));
		close(kfd);
	}
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
}

TEST_HARNESS_MAIN
