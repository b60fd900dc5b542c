// SPDX-License-Identifier: GPL-2.0
/*
 * load_cycles: COUNT cycles of load, use and unload of one driver in one
 * process (the fork+exec of insmod, dd and rmmod cost more than the module
 * work on a debug kernel under emulation).  A cycle takes every kind of
 * memory the driver hands out and gives it back (docs/testing.md, "Leaks";
 * the use_*() functions).  BLOCKDEV may be overwritten (the guest's RAM
 * disk).  Prints one TAP line: ok when every cycle loaded, used and
 * unloaded, else naming the step that failed.
 *   Usage: load_cycles MODULE.ko COUNT BLOCKDEV
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/dma-buf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"
#include "uapi/dma_demo.h"
#include "uapi/scullp.h"
#include "vmalloc_demo_ioctl.h"

static const char word[] = "kmm";
#define WORD_LEN (sizeof(word) - 1)
/* Bytes of the O_DIRECT read: within one page on every architecture. */
#define PIN_LEN 4096

static int blk = -1;			/* BLOCKDEV, O_DIRECT */
static unsigned char *blk_bytes;	/* its first PIN_LEN bytes */
static char why[256];			/* the step that failed */

/* Say which step failed, with errno as it was: returns -1. */
static int fail(const char *fmt, ...)
{
	int err = errno;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (err && n < sizeof(why))
		snprintf(why + n, sizeof(why) - n, " (%s)", strerror(err));
	return -1;
}

/* The first @len bytes of @fd's file must be @want. */
static int node_holds(int fd, const char *node, const void *want, size_t len)
{
	char got[PIN_LEN];

	errno = 0;
	if (pread(fd, got, len, 0) != (ssize_t)len)
		return fail("read %s", node);
	if (memcmp(got, want, len)) {
		errno = 0;
		return fail("%s: read back other bytes than written", node);
	}
	return 0;
}

/* Write the word to @fd's node and read it back. */
static int write_read(int fd, const char *node)
{
	errno = 0;
	if (pwrite(fd, word, WORD_LEN, 0) != (ssize_t)WORD_LEN)
		return fail("write %s", node);
	return node_holds(fd, node, word, WORD_LEN);
}

/*
 * The pin: an O_DIRECT read of BLOCKDEV into @map, a mapping of @node;
 * then the node (@fd) must hold the bytes read: they went to its pages.
 */
static int pin(void *map, int fd, const char *node)
{
	errno = 0;
	if (pread(blk, map, PIN_LEN, 0) != PIN_LEN)
		return fail("O_DIRECT read into a mapping of %s", node);
	if (memcmp(map, blk_bytes, PIN_LEN)) {
		errno = 0;
		return fail("O_DIRECT read into a mapping of %s: other bytes", node);
	}
	return node_holds(fd, node, blk_bytes, WORD_LEN);
}

/*
 * Map a page of @node shared, see @want (@len bytes) through it, pin it if
 * @pinned, unmap.  @fd is the driver's node the bytes were written to.
 */
static int map_node(const char *node, int fd, const void *want, size_t len,
		    bool pinned)
{
	int mfd = open(node, O_RDWR), ret = 0;
	void *map;

	if (mfd < 0)
		return fail("open %s", node);
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	close(mfd);
	if (map == MAP_FAILED)
		return fail("mmap %s", node);
	if (memcmp(map, want, len)) {
		errno = 0;
		ret = fail("mmap %s: the bytes written are not there", node);
	}
	if (!ret && pinned)
		ret = pin(map, fd, node);
	munmap(map, page_size);
	return ret;
}

/* Map a dma-buf, see @want through it between syncs, unmap, close it. */
static int map_dmabuf(int dbuf, const char *what, const void *want, size_t len)
{
	struct dma_buf_sync sync = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW };
	void *map;
	int ret = 0;

	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, dbuf, 0);
	if (map == MAP_FAILED) {
		ret = fail("mmap %s", what);
		goto out;
	}
	if (ioctl(dbuf, DMA_BUF_IOCTL_SYNC, &sync)) {
		ret = fail("%s: DMA_BUF_IOCTL_SYNC start", what);
		goto unmap;
	}
	if (memcmp(map, want, len)) {
		errno = 0;
		ret = fail("%s: its mapping does not show the buffer", what);
	}
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
	if (ioctl(dbuf, DMA_BUF_IOCTL_SYNC, &sync) && !ret)
		ret = fail("%s: DMA_BUF_IOCTL_SYNC end", what);
unmap:
	munmap(map, page_size);
out:
	close(dbuf);
	return ret;
}

/* scullp: the node's pages mapped and pinned; LDD3's query of qset. */
static int use_scullp(void)
{
	const char *node = "/dev/scullp0";
	int fd = open(node, O_RDWR), ret, qset;

	if (fd < 0)
		return fail("open %s", node);
	ret = write_read(fd, node);
	if (!ret)
		ret = map_node(node, fd, word, WORD_LEN, true);
	if (!ret) {
		errno = 0;
		qset = ioctl(fd, SCULLP_IOCQQSET);
		if (qset != SCULLP_QSET)
			ret = fail("SCULLP_IOCQQSET: %d, not %d", qset, SCULLP_QSET);
	}
	close(fd);
	return ret;
}

/* vmalloc_demo: the buffer mapped and pinned, its info, its export. */
static int use_vmalloc_demo(void)
{
	const char *node = "/dev/vmalloc_demo";
	struct vmalloc_demo_export exp = { .flags = O_RDWR | O_CLOEXEC };
	struct vmalloc_demo_info info;
	int fd = open(node, O_RDWR), ret;
	void *map;

	if (fd < 0)
		return fail("open %s", node);
	ret = write_read(fd, node);
	if (ret)
		goto out;
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		ret = fail("mmap %s", node);
		goto out;
	}
	if (memcmp(map, word, WORD_LEN)) {
		errno = 0;
		ret = fail("mmap %s: the bytes written are not there", node);
	} else if (get_info(fd, &info)) {
		ret = fail("VMALLOC_DEMO_IOCINFO");
	} else if (info.mappings != 1 || info.size != info.pages * page_size) {
		errno = 0;
		ret = fail("VMALLOC_DEMO_IOCINFO: %u mappings (1 live), %llu bytes in %llu pages",
			   info.mappings, (unsigned long long)info.size,
			   (unsigned long long)info.pages);
	} else {
		ret = pin(map, fd, node);
	}
	munmap(map, page_size);
	if (ret)
		goto out;
	if (ioctl(fd, VMALLOC_DEMO_IOCEXPORT, &exp)) {
		ret = fail("VMALLOC_DEMO_IOCEXPORT");
		goto out;
	}
	ret = map_dmabuf(exp.fd, "vmalloc_demo's dma-buf", blk_bytes, PIN_LEN);
out:
	close(fd);
	return ret;
}

/* mmap_demo: its three nodes mapped; fault and insert map pages, pinned. */
static int use_mmap_demo(void)
{
	const char *node = "/dev/mmap_demo_remap";
	int fd = open(node, O_RDWR), ret;

	if (fd < 0)
		return fail("open %s", node);
	ret = write_read(fd, node);
	if (!ret)	/* VM_PFNMAP: nothing to pin */
		ret = map_node(node, fd, word, WORD_LEN, false);
	if (!ret)
		ret = map_node("/dev/mmap_demo_fault", fd, word, WORD_LEN, true);
	if (!ret)	/* the fault node's pin left the block device's bytes */
		ret = map_node("/dev/mmap_demo_insert", fd, blk_bytes, PIN_LEN, true);
	close(fd);
	return ret;
}

static int set_strategy(int fd, __u32 strategy)
{
	__u32 got = -1;

	if (ioctl(fd, DMA_DEMO_IOC_SET_STRATEGY, &strategy))
		return fail("DMA_DEMO_IOC_SET_STRATEGY %u", strategy);
	if (ioctl(fd, DMA_DEMO_IOC_GET_STRATEGY, &got))
		return fail("DMA_DEMO_IOC_GET_STRATEGY");
	if (got != strategy) {
		errno = 0;
		return fail("DMA_DEMO_IOC_GET_STRATEGY: %u, not %u", got, strategy);
	}
	return 0;
}

/*
 * dma_demo: a dma-buf of its own, the word written from the dma-buf's
 * mapping in the direct strategy (its pages pinned for the DMA), read
 * back in the streaming one (the two strategies that allocate or pin for
 * each transfer, so that what one transfer loses adds up over the
 * cycles); the host buffer mapped and touched.  Two DMAs a cycle, about
 * 100 ms each under QEMU.
 */
static int use_dma_demo(void)
{
	const char *node = "/dev/dma_demo0";
	struct dma_buf_sync sync = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE };
	struct dma_demo_alloc alloc = { .size = page_size,
					.flags = O_RDWR | O_CLOEXEC };
	int fd = open(node, O_RDWR), ret = 0;
	char *map;

	if (fd < 0)
		return fail("open %s", node);
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		ret = fail("mmap %s", node);
		goto out;
	}
	map[page_size - 1] = 'k';
	if (map[page_size - 1] != 'k') {
		errno = 0;
		ret = fail("mmap %s: a byte written is not there", node);
	}
	munmap(map, page_size);
	if (ret)
		goto out;

	if (ioctl(fd, DMA_DEMO_IOC_ALLOC_DMABUF, &alloc)) {
		ret = fail("DMA_DEMO_IOC_ALLOC_DMABUF");
		goto out;
	}
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   alloc.fd, 0);
	if (map == MAP_FAILED) {
		ret = fail("mmap dma_demo's dma-buf");
		close(alloc.fd);
		goto out;
	}
	if (ioctl(alloc.fd, DMA_BUF_IOCTL_SYNC, &sync)) {
		ret = fail("dma_demo's dma-buf: DMA_BUF_IOCTL_SYNC start");
		goto unmap;
	}
	memcpy(map, word, WORD_LEN);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE;
	if (ioctl(alloc.fd, DMA_BUF_IOCTL_SYNC, &sync)) {
		ret = fail("dma_demo's dma-buf: DMA_BUF_IOCTL_SYNC end");
		goto unmap;
	}
	ret = set_strategy(fd, DMA_DEMO_DIRECT);
	if (ret)
		goto unmap;
	errno = 0;
	if (pwrite(fd, map, WORD_LEN, 0) != (ssize_t)WORD_LEN) {
		ret = fail("write %s from its dma-buf's mapping, direct", node);
		goto unmap;
	}
	ret = set_strategy(fd, DMA_DEMO_STREAMING);
	if (!ret)
		ret = node_holds(fd, node, word, WORD_LEN);
unmap:
	munmap(map, page_size);
	close(alloc.fd);
out:
	close(fd);
	return ret;
}

static const struct driver {
	const char *module;
	int (*use)(void);
	const char *what;	/* for the TAP line */
} drivers[] = {
	{ "scullp", use_scullp, "write, read, map, pin, ioctl" },
	{ "vmalloc_demo", use_vmalloc_demo, "write, read, map, ioctl, pin, dma-buf" },
	{ "mmap_demo", use_mmap_demo, "write, read, map (3 nodes), pin (2)" },
	{ "dma_demo", use_dma_demo, "map, dma-buf, ioctl, write (pinned), read" },
};

/* Open @path for O_DIRECT I/O and give its first PIN_LEN bytes a pattern. */
static int blockdev_setup(const char *path)
{
	blk = open(path, O_RDWR | O_DIRECT);
	if (blk < 0)
		return fail("open %s O_DIRECT", path);
	blk_bytes = mmap(NULL, PIN_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (blk_bytes == MAP_FAILED)
		return fail("mmap a buffer for %s", path);
	pattern_fill(blk_bytes, PIN_LEN, 0, 26);
	errno = 0;
	if (pwrite(blk, blk_bytes, PIN_LEN, 0) != PIN_LEN)
		return fail("write %s O_DIRECT", path);
	return 0;
}

int main(int argc, char **argv)
{
	double t_load = 0, t_use = 0, t_unload = 0, t;
	const struct driver *drv = NULL;
	const char *ko;
	char name[64], *dot;
	int count, i;
	bool ready, ok;
	size_t d;

	if (argc != 4) {
		fprintf(stderr, "usage: %s MODULE.ko COUNT BLOCKDEV\n", argv[0]);
		return 2;
	}
	ko = argv[1];
	count = atoi(argv[2]);
	snprintf(name, sizeof(name), "%s", basename(argv[1]));
	dot = strstr(name, ".ko");
	if (dot)
		*dot = '\0';
	for (d = 0; d < sizeof(drivers) / sizeof(drivers[0]); d++)
		if (!strcmp(drivers[d].module, name))
			drv = &drivers[d];

	printf("1..1\n");
	ready = drv && !blockdev_setup(argv[3]);
	if (!drv)
		printf("# no cycle for a module named %s\n", name);
	else if (!ready)
		printf("# %s\n", why);
	for (i = 0; ready && i < count; i++) {
		int fd = open(ko, O_RDONLY | O_CLOEXEC);

		t = now_seconds();
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
			printf("# cycle %d: loading %s: %s\n", i, ko, strerror(errno));
			if (fd >= 0)
				close(fd);
			break;
		}
		close(fd);
		t_load += now_seconds() - t;

		t = now_seconds();
		if (drv->use()) {
			printf("# cycle %d: %s\n", i, why);
			syscall(SYS_delete_module, name, O_NONBLOCK);
			break;
		}
		t_use += now_seconds() - t;

		t = now_seconds();
		if (syscall(SYS_delete_module, name, O_NONBLOCK)) {
			printf("# cycle %d: unloading %s: %s\n", i, name, strerror(errno));
			break;
		}
		t_unload += now_seconds() - t;
	}
	printf("# %d cycles: %.2f s loading, %.2f s using, %.2f s unloading\n",
	       i, t_load, t_use, t_unload);
	ok = ready && i == count;
	printf("%sok 1 %s: %d cycles of load, %s, unload\n", ok ? "" : "not ",
	       name, count, drv ? drv->what : "use");
	return ok ? 0 : 1;
}
