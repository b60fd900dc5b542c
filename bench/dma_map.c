// SPDX-License-Identifier: GPL-2.0
/*
 * kmm_bench: what a streaming mapping costs against a copy, for the device
 * dma_demo drives, measured in the kernel in the manner of
 * kernel/dma/map_benchmark.c.  A PCI driver bound only through
 * driver_override, so that it never takes the edu device from dma_demo by
 * itself; it sets dma_demo's mask, takes buffers where dma_demo takes its
 * streaming ones, and maps and unmaps without a transfer: nothing reaches
 * the device.  docs/bench.md describes its debugfs file, kmm_bench/dma_map.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kmm_bench.h"
#include "kmm_dma.h"

#define KMB_DMA_BITS		28	/* the edu device's mask, as dma_demo */
#define KMB_DMA_MAX_BYTES	65536
#define KMB_DMA_MAX_LOOPS	100000
/* Loops timed in one go, as map_benchmark does: one is too short to time. */
#define KMB_DMA_CHUNK		64
/* Room for "BYTES LOOPS\n" and some blanks; longer input is not ours. */
#define KMB_DMA_INPUT		32

/**
 * struct kmb_dma - the bound device and its measurement
 * @dev: the device; the file is removed before it is unbound
 * @file: debugfs kmm_bench/dma_map
 * @gfp: where buffers come from so that the device reaches them, as
 *	dma_demo's streaming buffers (GFP_DMA where the mask limits what it
 *	reaches and no IOMMU translates)
 * @lock: one measurement at a time, and the figures with it
 * @bytes: size of the last measurement, 0 before the first
 * @loops: repetitions of the last measurement
 * @map_ns: total time of its map + unmap pairs
 * @copy_ns: total time of its memcpy() calls
 */
struct kmb_dma {
	struct device *dev;
	struct dentry *file;
	gfp_t gfp;
	struct mutex lock;	/* see above */
	u32 bytes;
	u32 loops;
	u64 map_ns;
	u64 copy_ns;
};

static struct dentry *kmb_dma_dir;
/* The one bound device, or NULL; taken by probe() and remove(). */
static DEFINE_MUTEX(kmb_dma_bound_lock);
static struct kmb_dma *kmb_dma_bound;

/* Parse "BYTES LOOPS", both in range. */
static int kmb_dma_parse(char *buf, u32 *bytes, u32 *loops)
{
	char *first = skip_spaces(buf);
	char *second = strpbrk(first, " \t");

	if (!second)
		return -EINVAL;
	*second++ = '\0';
	if (kstrtou32(first, 0, bytes) || kstrtou32(skip_spaces(second), 0, loops))
		return -EINVAL;
	if (!*bytes || *bytes > KMB_DMA_MAX_BYTES ||
	    !*loops || *loops > KMB_DMA_MAX_LOOPS)
		return -EINVAL;
	return 0;
}

/* Add the ns of @loops map + unmap pairs of @buf to @ns. */
static int kmb_dma_time_map(struct device *d, void *buf, u32 bytes,
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
static void kmb_dma_time_copy(void *dst, const void *src, u32 bytes,
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

static int kmb_dma_run(struct kmb_dma *b, u32 bytes, u32 loops)
{
	u64 map_ns = 0, copy_ns = 0;
	void *buf, *dst;
	u32 done, n;
	int ret = 0;

	if (kmm_dma_would_bounce(b->dev))
		return -EOPNOTSUPP;
	/* A buffer the device could reach, as dma_demo's read/write map. */
	buf = kmalloc(bytes, b->gfp);
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
		n = min_t(u32, loops - done, KMB_DMA_CHUNK);
		ret = kmb_dma_time_map(b->dev, buf, bytes, n, &map_ns);
		if (ret)
			goto out;
		kmb_dma_time_copy(dst, buf, bytes, n, &copy_ns);
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

static ssize_t kmb_dma_write(struct file *filp, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct kmb_dma *b = filp->private_data;
	char kbuf[KMB_DMA_INPUT];
	u32 bytes, loops;
	int ret;

	if (!len || len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, len))
		return -EFAULT;
	kbuf[len] = '\0';
	ret = kmb_dma_parse(kbuf, &bytes, &loops);
	if (ret)
		return ret;

	if (mutex_lock_interruptible(&b->lock))
		return -EINTR;
	ret = kmb_dma_run(b, bytes, loops);
	mutex_unlock(&b->lock);
	return ret ? ret : len;
}

static ssize_t kmb_dma_read(struct file *filp, char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct kmb_dma *b = filp->private_data;
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

static const struct file_operations kmb_dma_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = kmb_dma_read,
	.write = kmb_dma_write,
	.llseek = default_llseek,
};

static int kmb_dma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *d = &pdev->dev;
	struct kmb_dma *b;
	int ret;

	ret = dma_set_mask_and_coherent(d, DMA_BIT_MASK(KMB_DMA_BITS));
	if (ret) {
		dev_err(d, "no usable %d-bit DMA\n", KMB_DMA_BITS);
		return ret;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->dev = d;
	b->gfp = GFP_KERNEL;
	if (!kmm_dma_reaches_all(d))
		b->gfp |= GFP_DMA;
	mutex_init(&b->lock);

	mutex_lock(&kmb_dma_bound_lock);
	if (kmb_dma_bound) {
		mutex_unlock(&kmb_dma_bound_lock);
		dev_err(d, "measures one device at a time: %s is bound\n",
			dev_name(kmb_dma_bound->dev));
		mutex_destroy(&b->lock);
		kfree(b);
		return -EBUSY;
	}
	kmb_dma_bound = b;
	/* A debugfs failure leaves no file to measure with, and no harm. */
	b->file = debugfs_create_file("dma_map", 0600, kmb_dma_dir, b,
				      &kmb_dma_fops);
	mutex_unlock(&kmb_dma_bound_lock);

	pci_set_drvdata(pdev, b);
	dev_info(d, "debugfs %s/dma_map measures this device's mappings\n",
		 KBUILD_MODNAME);
	return 0;
}

static void kmb_dma_remove(struct pci_dev *pdev)
{
	struct kmb_dma *b = pci_get_drvdata(pdev);

	/* Waits for a measurement in progress: none reaches the device after. */
	debugfs_remove(b->file);
	mutex_lock(&kmb_dma_bound_lock);
	kmb_dma_bound = NULL;
	mutex_unlock(&kmb_dma_bound_lock);
	mutex_destroy(&b->lock);
	kfree(b);
}

/* No id_table: only a device whose driver_override names us binds. */
static struct pci_driver kmb_dma_driver = {
	.name = KBUILD_MODNAME,
	.probe = kmb_dma_probe,
	.remove = kmb_dma_remove,
};

/**
 * kmb_dma_init() - register the PCI driver
 * @dir: the module's debugfs directory, for the file of a bound device
 *
 * Return: 0 or pci_register_driver()'s error.
 */
int kmb_dma_init(struct dentry *dir)
{
	kmb_dma_dir = dir;
	return pci_register_driver(&kmb_dma_driver);
}

/**
 * kmb_dma_exit() - unregister it, unbinding a bound device
 */
void kmb_dma_exit(void)
{
	pci_unregister_driver(&kmb_dma_driver);
}
