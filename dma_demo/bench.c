// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: what a streaming mapping costs, measured in the kernel.
 *
 * debugfs dma_demo/dma_demoN/map_bench (root only), for `make bench`:
 *
 *   echo "BYTES LOOPS" > map_bench
 *	times LOOPS dma_map_single() + dma_unmap_single() pairs of a
 *	BYTES-byte buffer, then LOOPS memcpy() calls of BYTES bytes: the
 *	cost of mapping a buffer for the device against the cost of copying
 *	it into one that is mapped already, which is what the coherent
 *	strategy does.  1 <= BYTES <= 65536, 1 <= LOOPS <= 100000.
 *   cat map_bench
 *	"bytes=B loops=L map_unmap_ns=T memcpy_ns=T", totals over the
 *	loops, of the last measurement.
 *
 * As in the kernel's own dma_map_benchmark, ktime_get() is read around
 * many calls (a chunk of 64), not around each: one call is too short for
 * the clock under emulation.  Nothing reaches the device; the mappings are made and
 * undone without a transfer.
 *
 * Errors: a write that is not two numbers in range gives -EINVAL; where
 * swiotlb would bounce the mapping (whose pool the device may not reach,
 * see dma.c) -EOPNOTSUPP; -ENOMEM; a fatal signal -EINTR.  A read before
 * the first measurement gives -ENODATA.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dma_demo.h"

#define DMA_DEMO_BENCH_MAX_BYTES	65536
#define DMA_DEMO_BENCH_MAX_LOOPS	100000
#define DMA_DEMO_BENCH_CHUNK		64	/* loops timed in one go */
/* Room for "BYTES LOOPS\n" and some blanks; longer input is not ours. */
#define DMA_DEMO_BENCH_INPUT		32

/**
 * struct dma_demo_bench - the map_bench file of one device
 * @dev: the device; the file is removed before the device goes
 * @dir: debugfs dma_demo/dma_demoN
 * @lock: one measurement at a time, and @last with it
 * @bytes: size of the last measurement, 0 before the first
 * @loops: repetitions of the last measurement
 * @map_ns: total time of its map + unmap pairs
 * @copy_ns: total time of its memcpy() calls
 */
struct dma_demo_bench {
	struct dma_demo_dev *dev;
	struct dentry *dir;
	struct mutex lock;	/* see above */
	u32 bytes;
	u32 loops;
	u64 map_ns;
	u64 copy_ns;
};

static struct dentry *dma_demo_debugfs;

/* Parse "BYTES LOOPS", both in range. */
static int dma_demo_bench_parse(char *buf, u32 *bytes, u32 *loops)
{
	char *first = skip_spaces(buf);
	char *second = strpbrk(first, " \t");

	if (!second)
		return -EINVAL;
	*second++ = '\0';
	if (kstrtou32(first, 0, bytes) || kstrtou32(skip_spaces(second), 0, loops))
		return -EINVAL;
	if (!*bytes || *bytes > DMA_DEMO_BENCH_MAX_BYTES ||
	    !*loops || *loops > DMA_DEMO_BENCH_MAX_LOOPS)
		return -EINVAL;
	return 0;
}

/* Add the ns of @loops map + unmap pairs of @buf to @ns. */
static int dma_demo_bench_map(struct device *d, void *buf, u32 bytes,
			      u32 loops, u64 *ns)
{
	ktime_t start = ktime_get();
	dma_addr_t addr;
	u32 i;

	for (i = 0; i < loops; i++) {
		addr = dma_map_single(d, buf, bytes, DMA_TO_DEVICE);
		if (dma_mapping_error(d, addr))
			return -ENOMEM;
		dma_unmap_single(d, addr, bytes, DMA_TO_DEVICE);
	}
	*ns += ktime_to_ns(ktime_sub(ktime_get(), start));
	return 0;
}

/* Add the ns of @loops copies of @bytes to @ns. */
static void dma_demo_bench_copy(void *dst, const void *src, u32 bytes,
				u32 loops, u64 *ns)
{
	ktime_t start = ktime_get();
	u32 i;

	for (i = 0; i < loops; i++) {
		memcpy(dst, src, bytes);
		barrier();	/* every copy happens, none is merged away */
	}
	*ns += ktime_to_ns(ktime_sub(ktime_get(), start));
}

static int dma_demo_bench_run(struct dma_demo_bench *b, u32 bytes, u32 loops)
{
	struct device *d = &b->dev->pdev->dev;
	u64 map_ns = 0, copy_ns = 0;
	void *buf, *dst;
	u32 done, n;
	int ret = 0;

	if (dma_demo_swiotlb(d))
		return -EOPNOTSUPP;
	/* A buffer the device could reach, as read/write would map. */
	buf = kmalloc(bytes, b->dev->dma_gfp);
	dst = kmalloc(bytes, GFP_KERNEL);
	if (!buf || !dst) {
		ret = -ENOMEM;
		goto out;
	}
	memset(buf, 0x5a, bytes);
	/*
	 * Maps and copies take turns, a chunk at a time, so that a pause of
	 * the (emulated) CPU costs both alike.
	 */
	for (done = 0; done < loops; done += n) {
		n = min_t(u32, loops - done, DMA_DEMO_BENCH_CHUNK);
		ret = dma_demo_bench_map(d, buf, bytes, n, &map_ns);
		if (ret)
			goto out;
		dma_demo_bench_copy(dst, buf, bytes, n, &copy_ns);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		cond_resched();
	}
	b->bytes = bytes;
	b->loops = loops;
	b->map_ns = map_ns;
	b->copy_ns = copy_ns;
out:
	kfree(dst);
	kfree(buf);
	return ret;
}

static ssize_t dma_demo_bench_write(struct file *filp, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	struct dma_demo_bench *b = filp->private_data;
	char kbuf[DMA_DEMO_BENCH_INPUT];
	u32 bytes, loops;
	int ret;

	if (!len || len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, len))
		return -EFAULT;
	kbuf[len] = '\0';
	ret = dma_demo_bench_parse(kbuf, &bytes, &loops);
	if (ret)
		return ret;

	if (mutex_lock_interruptible(&b->lock))
		return -EINTR;
	ret = dma_demo_bench_run(b, bytes, loops);
	mutex_unlock(&b->lock);
	return ret ? ret : len;
}

static ssize_t dma_demo_bench_read(struct file *filp, char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct dma_demo_bench *b = filp->private_data;
	char kbuf[96];
	int n;

	if (mutex_lock_interruptible(&b->lock))
		return -EINTR;
	n = scnprintf(kbuf, sizeof(kbuf),
		      "bytes=%u loops=%u map_unmap_ns=%llu memcpy_ns=%llu\n",
		      b->bytes, b->loops, b->map_ns, b->copy_ns);
	if (!b->bytes)
		n = -ENODATA;
	mutex_unlock(&b->lock);
	if (n < 0)
		return n;
	return simple_read_from_buffer(ubuf, len, ppos, kbuf, n);
}

static const struct file_operations dma_demo_bench_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dma_demo_bench_read,
	.write = dma_demo_bench_write,
	.llseek = default_llseek,
};

/**
 * dma_demo_bench_add() - the debugfs files of a new device
 * @dev: the device, registered as dma_demoN
 *
 * Failures cost only the benchmark: nothing else depends on debugfs.
 */
void dma_demo_bench_add(struct dma_demo_dev *dev)
{
	struct dma_demo_bench *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return;
	b->dev = dev;
	mutex_init(&b->lock);
	b->dir = debugfs_create_dir(dev->name, dma_demo_debugfs);
	debugfs_create_file("map_bench", 0600, b->dir, b, &dma_demo_bench_fops);
	dev->bench = b;
}

/**
 * dma_demo_bench_remove() - undo dma_demo_bench_add()
 * @dev: the device, still bound
 *
 * debugfs_remove() waits for the calls in progress, so that none can
 * reach the device after this returns.
 */
void dma_demo_bench_remove(struct dma_demo_dev *dev)
{
	struct dma_demo_bench *b = dev->bench;

	if (!b)
		return;
	debugfs_remove(b->dir);
	mutex_destroy(&b->lock);
	kfree(b);
	dev->bench = NULL;
}

/**
 * dma_demo_bench_init() - create the module's debugfs directory
 */
void dma_demo_bench_init(void)
{
	dma_demo_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

/**
 * dma_demo_bench_exit() - remove it, once every device is gone
 */
void dma_demo_bench_exit(void)
{
	debugfs_remove(dma_demo_debugfs);
}
