// SPDX-License-Identifier: GPL-2.0
/*
 * pinnable: can a mapping a driver gives user space be the buffer of I/O
 * that pins user pages?  A variant per row and a case per column of the
 * table "What GUP can pin" in docs/mmap.md, which gives the rules each
 * cell asserts; where the I/O works its bytes are checked.  BLOCKDEV is a
 * block device the probe may overwrite (the guest's RAM disk, /dev/ram0).
 * A row whose driver is not loaded is skipped.
 *   Usage: pinnable BLOCKDEV [harness options]
 */
#define _GNU_SOURCE
#include <linux/dma-buf.h>
#include <linux/io_uring.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "uapi/dma_demo.h"
#include "vmalloc_demo_ioctl.h"

/* Bytes of each mapping the I/O uses: a pipe's default capacity. */
#define IO_LEN	(16 * 4096)

static const char *blockdev;

struct row {
	const char *module;	/* loaded, or the row is skipped */
	const char *node;
	bool pfnmap;		/* no struct page to pin */
	bool fill_first;	/* the mapping covers only data written before */
	bool dmabuf;		/* map the node's buffer exported as a dma-buf */
};

FIXTURE(pin) {
	int fd, blk, buf_fd;	/* buf_fd: what is mapped, fd or a dma-buf */
	unsigned char *map;
	size_t len;
	unsigned char *bounce;	/* page-aligned anonymous memory */
};

FIXTURE_VARIANT(pin) {
	struct row row;
};

FIXTURE_VARIANT_ADD(pin, scullp) {
	.row = { "scullp", "/dev/scullp0", false, true },
};

FIXTURE_VARIANT_ADD(pin, vmalloc_demo) {
	.row = { "vmalloc_demo", "/dev/vmalloc_demo", false, false },
};

FIXTURE_VARIANT_ADD(pin, vmalloc_demo_dmabuf) {
	.row = { "vmalloc_demo", "/dev/vmalloc_demo", false, false, true },
};

FIXTURE_VARIANT_ADD(pin, mmap_demo_remap) {
	.row = { "mmap_demo", "/dev/mmap_demo_remap", true, false },
};

FIXTURE_VARIANT_ADD(pin, mmap_demo_fault) {
	.row = { "mmap_demo", "/dev/mmap_demo_fault", false, false },
};

FIXTURE_VARIANT_ADD(pin, mmap_demo_insert) {
	.row = { "mmap_demo", "/dev/mmap_demo_insert", false, false },
};

FIXTURE_VARIANT_ADD(pin, dma_demo) {
	.row = { "dma_demo", "/dev/dma_demo0", true, false },
};

FIXTURE_VARIANT_ADD(pin, dma_demo_dmabuf) {
	.row = { "dma_demo", "/dev/dma_demo0", false, false, true },
};

/* 0 if module @name is loaded, else -errno: -ENOENT when it is not. */
static int module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) ? -errno : 0;
}

/* How many bytes of @node's buffer one shared mapping may cover. */
static size_t map_len(const struct row *row)
{
	if (!strcmp(row->module, "dma_demo"))	/* the 4 KiB host buffer */
		return row->dmabuf ? IO_LEN : page_size;
	if (!strcmp(row->module, "mmap_demo")) {
		long long npages = module_param("mmap_demo", "npages");

		return npages * page_size < IO_LEN ? npages * page_size : IO_LEN;
	}
	if (!strcmp(row->module, "vmalloc_demo")) {
		size_t size = param_size();

		return size < IO_LEN ? size : IO_LEN;
	}
	return IO_LEN;
}

FIXTURE_SETUP(pin)
{
	const struct row *row = &variant->row;
	int loaded = module_loaded(row->module);

	self->fd = self->blk = self->buf_fd = -1;
	self->map = MAP_FAILED;
	self->bounce = MAP_FAILED;
	/* The boot loads the drivers it tests; the manifest lists the rest. */
	if (loaded == -ENOENT)
		SKIP(return, "%s is not loaded", row->module);
	ASSERT_EQ(0, loaded) TH_LOG("/sys/module/%s: %s", row->module,
				    strerror(-loaded));
	self->fd = open(row->node, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("%s: %s", row->node, strerror(errno));
	self->len = map_len(row);
	ASSERT_LT(0, (long)self->len);
	if (row->fill_first) {
		unsigned char *data = malloc(self->len);

		ASSERT_NE(NULL, data);
		pattern_fill(data, self->len, 0, 1);
		ASSERT_EQ((ssize_t)self->len, pwrite(self->fd, data, self->len, 0));
		free(data);
	}
	self->buf_fd = self->fd;
	if (row->dmabuf && !strcmp(row->module, "dma_demo")) {
		struct dma_demo_alloc alloc = { .size = self->len,
						.flags = O_RDWR | O_CLOEXEC };

		ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_ALLOC_DMABUF, &alloc))
			TH_LOG("a dma-buf from %s: %s", row->node, strerror(errno));
		self->buf_fd = alloc.fd;
	} else if (row->dmabuf) {
		struct vmalloc_demo_export exp = { .flags = O_RDWR | O_CLOEXEC };

		ASSERT_EQ(0, ioctl(self->fd, VMALLOC_DEMO_IOCEXPORT, &exp))
			TH_LOG("export %s: %s", row->node, strerror(errno));
		self->buf_fd = exp.fd;
	}
	self->map = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->buf_fd, 0);
	ASSERT_NE(MAP_FAILED, self->map) TH_LOG("mmap %s: %s", row->node,
						 strerror(errno));
	self->bounce = mmap(NULL, self->len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->bounce);
	self->blk = open(blockdev, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->blk) TH_LOG("%s: %s", blockdev, strerror(errno));
}

FIXTURE_TEARDOWN(pin)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, self->len);
	if (self->bounce != MAP_FAILED)
		munmap(self->bounce, self->len);
	if (self->buf_fd >= 0 && self->buf_fd != self->fd)
		close(self->buf_fd);
	if (self->fd >= 0)
		close(self->fd);
	if (self->blk >= 0)
		close(self->blk);
}

/* A dma-buf's CPU access is bracketed by DMA_BUF_IOCTL_SYNC (its rule). */
static int cpu_access(int buf_fd, const struct row *row, __u64 when)
{
	struct dma_buf_sync sync = { .flags = when | DMA_BUF_SYNC_RW };

	return row->dmabuf ? ioctl(buf_fd, DMA_BUF_IOCTL_SYNC, &sync) : 0;
}

static long result(long ret)
{
	return ret < 0 ? -errno : ret;
}

/* One cell of the table, as docs/mmap.md shows it. */
static void cell(struct __test_metadata *_metadata, const struct row *row, long got)
{
	TH_LOG("%s%s: %s", row->node, row->dmabuf ? ", a dma-buf of it" : "",
	       got >= 0 ? "works" : strerrorname_np(-got));
}

/* What a pinning call on this row returns: @len if it works, or -errno. */
static long expected(const struct row *row, long len)
{
	return row->pfnmap ? -EFAULT : len;
}

TEST_F(pin, o_direct_read)
{
	long want = expected(&variant->row, self->len), got;

	ASSERT_EQ(0, cpu_access(self->buf_fd, &variant->row, DMA_BUF_SYNC_START));

	/* The block device gets a pattern through an anonymous buffer... */
	pattern_fill(self->bounce, self->len, 0, 2);
	ASSERT_EQ((ssize_t)self->len, pwrite(self->blk, self->bounce, self->len, 0));
	/* ...and reads it straight into the driver's pages. */
	got = result(pread(self->blk, self->map, self->len, 0));
	cell(_metadata, &variant->row, got);
	ASSERT_EQ(want, got);
	if (want > 0)
		ASSERT_EQ(-1, pattern_check(self->map, self->len, 0, 2));
	EXPECT_EQ(0, cpu_access(self->buf_fd, &variant->row, DMA_BUF_SYNC_END));
}

TEST_F(pin, o_direct_write)
{
	long want = expected(&variant->row, self->len), got;

	ASSERT_EQ(0, cpu_access(self->buf_fd, &variant->row, DMA_BUF_SYNC_START));

	pattern_fill(self->map, self->len, 0, 3);
	got = result(pwrite(self->blk, self->map, self->len, 0));
	cell(_metadata, &variant->row, got);
	ASSERT_EQ(want, got);
	if (want > 0) {
		ASSERT_EQ((ssize_t)self->len, pread(self->blk, self->bounce, self->len, 0));
		ASSERT_EQ(-1, pattern_check(self->bounce, self->len, 0, 3));
	}
	EXPECT_EQ(0, cpu_access(self->buf_fd, &variant->row, DMA_BUF_SYNC_END));
}

/* A long-term pin: the pages stay pinned until the buffers are unregistered. */
TEST_F(pin, io_uring_fixed)
{
	struct io_uring_params params = { 0 };
	struct iovec iov = { self->map, self->len };
	long want = expected(&variant->row, 0), got;
	int ring;

	ring = syscall(__NR_io_uring_setup, 4, &params);
	/* Only a kernel without io_uring skips; io_uring_disabled's EPERM fails. */
	if (ring < 0 && errno == ENOSYS)
		SKIP(return, "no io_uring in this kernel (%s)", strerror(errno));
	ASSERT_LE(0, ring) TH_LOG("io_uring_setup: %s", strerror(errno));
	/*
	 * Before 6.5 ("io_uring: rsrc: delegate VMA file-backed check to
	 * GUP"), io_uring took no file memory but shmem and hugetlbfs.
	 */
	if (want == 0 && !kernel_at_least(6, 5))
		want = -EOPNOTSUPP;
	got = result(syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS,
			     &iov, 1));
	cell(_metadata, &variant->row, got);
	ASSERT_EQ(want, got);
	close(ring);
}

TEST_F(pin, vmsplice)
{
	long want = expected(&variant->row, self->len);
	struct iovec iov = { self->map, self->len };
	unsigned char *back = self->bounce;
	int pipefd[2];
	ssize_t got, done = 0, n;

	ASSERT_EQ(0, cpu_access(self->buf_fd, &variant->row, DMA_BUF_SYNC_START));

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_LE((long)self->len, fcntl(pipefd[1], F_GETPIPE_SZ));
	pattern_fill(self->map, self->len, 0, 4);
	got = result(vmsplice(pipefd[1], &iov, 1, 0));
	cell(_metadata, &variant->row, got);
	ASSERT_EQ(want, got);
	while (want > 0 && done < want) {
		n = read(pipefd[0], back + done, want - done);
		ASSERT_LT(0, n);
		done += n;
	}
	if (want > 0)
		ASSERT_EQ(-1, pattern_check(back, self->len, 0, 4));
	close(pipefd[0]);
	close(pipefd[1]);
	EXPECT_EQ(0, cpu_access(self->buf_fd, &variant->row, DMA_BUF_SYNC_END));
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: %s BLOCKDEV [harness options]\n", argv[0]);
		return 2;
	}
	blockdev = argv[1];
	argv[1] = argv[0];
	return test_harness_run(argc - 1, argv + 1);
}
