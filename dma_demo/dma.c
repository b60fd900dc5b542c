// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the transfers.  One DMA at a time (the caller holds dev->lock):
 * program the edu device's engine, sleep until the interrupt handler
 * completes dev->done, and never let go of a buffer the engine may still
 * be writing.  Three ways to buffer the host side: a coherent buffer, a
 * streaming mapping of a kmalloc'd buffer, and the caller's own pages.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "dma_demo.h"

static unsigned int timeout_ms = 2000;
module_param(timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "How long a transfer may take, in ms, before it fails with ETIMEDOUT (default 2000)");

/* After a timeout or a signal: how long to wait for the engine to stop. */
#define DMA_DEMO_GRACE_MS	10000

/*
 * The edu device reaches only the low 256 MiB, and on x86 the DMA API's
 * bounce buffers (swiotlb) do not help with that: a machine below 4 GiB
 * boots without them, and where they exist (more memory, or
 * swiotlb=force) their pool lies somewhere below 4 GiB, usually out of
 * the device's reach, so that a mapping through it fails (with a warning
 * on some kernels).  The driver therefore looks before it maps:
 *  - without swiotlb, streaming buffers come from ZONE_DMA, and pinned
 *    user pages above the limit go through the coherent bounce buffer;
 *  - with swiotlb, streaming and direct transfers go through the
 *    coherent bounce buffer.
 * Either way the copies are counted in "bounced".
 */

/**
 * dma_demo_swiotlb() - would the DMA API bounce a streaming mapping?
 * @d: the device
 *
 * Return: true when swiotlb is in use for @d, so that a mapping may land
 * in a pool out of the device's reach (see above).
 */
bool dma_demo_swiotlb(struct device *d)
{
	/* swiotlb limits what it bounces to the size of its slots. */
	return dma_max_mapping_size(d) != SIZE_MAX;
}

static bool dma_demo_unreachable(struct device *d, struct page *page,
				 unsigned int offset, size_t len)
{
	if (dma_demo_swiotlb(d))
		return true;
	return dma_addressing_limited(d) &&
	       page_to_phys(page) + offset + len - 1 > dma_get_mask(d);
}

/**
 * dma_demo_alloc_streaming() - a buffer for dma_demo_io_streaming()
 * @dev: the device
 * @len: bytes
 *
 * Return: a kmalloc'd buffer the device can reach once mapped, or NULL.
 */
void *dma_demo_alloc_streaming(struct dma_demo_dev *dev, size_t len)
{
	gfp_t gfp = GFP_KERNEL;

	if (dma_addressing_limited(&dev->pdev->dev))
		gfp |= GFP_DMA;
	return kmalloc(len, gfp);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_alloc_streaming);

/**
 * dma_demo_dma() - one DMA between host memory and the device's buffer
 * @dev: the device; the caller holds @dev->lock
 * @host: bus address of the host side, within the device's 28-bit mask
 * @dev_off: byte offset in device memory
 * @len: bytes, 1 to @dev->size - @dev_off
 * @from_dev: true to move device memory to @host, false the other way
 *
 * Sleeps until the interrupt handler reports the end of the transfer.
 * When it does not come in time, or a signal arrives, the engine may
 * still be using the host buffer: wait (without signals) until it stops
 * before returning, so that the caller may unmap and free the buffer.
 *
 * Return: 0; -ENODEV after unbind; -ETIMEDOUT; -ERESTARTSYS on a signal;
 * -EIO if the engine never stopped (the device is then not used again,
 * and the caller must leave the host buffer alone).
 */
int dma_demo_dma(struct dma_demo_dev *dev, dma_addr_t host, u32 dev_off,
		 u32 len, bool from_dev)
{
	u32 cmd = EDU_DMA_RUN | EDU_DMA_IRQ;
	u64 src, dst;
	long left;

	lockdep_assert_held(&dev->lock);
	if (dev->gone)
		return -ENODEV;
	if (dev->wedged)
		return -EIO;
	/* Never ask for more: QEMU's edu aborts on a range it refuses. */
	if (!len || dev_off >= dev->size || len > dev->size - dev_off)
		return -EINVAL;

	if (from_dev) {
		src = EDU_DMA_BASE + dev_off;
		dst = host;
		cmd |= EDU_DMA_FROM_DEV;
	} else {
		src = host;
		dst = EDU_DMA_BASE + dev_off;
	}

	/*
	 * The 64-bit registers take 32-bit writes, zero-extended: every
	 * address is below the 28-bit mask.  The command write starts it.
	 */
	reinit_completion(&dev->done);
	iowrite32(lower_32_bits(src), dev->mmio + EDU_REG_DMA_SRC);
	iowrite32(lower_32_bits(dst), dev->mmio + EDU_REG_DMA_DST);
	iowrite32(len, dev->mmio + EDU_REG_DMA_COUNT);
	iowrite32(cmd, dev->mmio + EDU_REG_DMA_CMD);

	left = msecs_to_jiffies(READ_ONCE(timeout_ms));
	left = wait_for_completion_interruptible_timeout(&dev->done, left);
	if (left > 0) {
		atomic64_inc(&dev->transfers);
		atomic64_add(len, &dev->bytes);
		return 0;
	}

	if (!left)
		atomic64_inc(&dev->timeouts);
	if (!wait_for_completion_timeout(&dev->done,
					 msecs_to_jiffies(DMA_DEMO_GRACE_MS)) &&
	    (ioread32(dev->mmio + EDU_REG_DMA_CMD) & EDU_DMA_RUN)) {
		dev->wedged = true;
		dev_err(&dev->pdev->dev, "DMA engine stuck: device disabled\n");
		return -EIO;
	}
	return left ? left : -ETIMEDOUT;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_dma);

/**
 * dma_demo_io_coherent() - read or write through the coherent bounce buffer
 * @dev: the device; the caller holds @dev->lock
 * @ubuf: the user's buffer
 * @len: bytes, already clamped to the device (dma_demo_clamp())
 * @pos: offset in device memory
 * @write: true to move @ubuf to the device
 *
 * Return: @len or an errno; a fault in @ubuf gives -EFAULT.
 */
ssize_t dma_demo_io_coherent(struct dma_demo_dev *dev, char __user *ubuf,
			     size_t len, loff_t pos, bool write)
{
	int ret;

	if (write) {
		if (copy_from_user(dev->bounce, ubuf, len))
			return -EFAULT;
		ret = dma_demo_dma(dev, dev->bounce_dma, pos, len, false);
	} else {
		ret = dma_demo_dma(dev, dev->bounce_dma, pos, len, true);
		if (!ret && copy_to_user(ubuf, dev->bounce, len))
			ret = -EFAULT;
	}
	return ret ? ret : len;
}

/* dma_demo_io_streaming() where swiotlb would bounce: via @dev->bounce. */
static ssize_t dma_demo_bounce_buf(struct dma_demo_dev *dev, void *kbuf,
				   char __user *ubuf, bool user, size_t len,
				   loff_t pos, bool write)
{
	int ret;

	if (write) {
		if (user && copy_from_user(kbuf, ubuf, len))
			return -EFAULT;
		memcpy(dev->bounce, kbuf, len);
		ret = dma_demo_dma(dev, dev->bounce_dma, pos, len, false);
	} else {
		ret = dma_demo_dma(dev, dev->bounce_dma, pos, len, true);
		if (ret)
			return ret;
		memcpy(kbuf, dev->bounce, len);
		if (user && copy_to_user(ubuf, kbuf, len))
			return -EFAULT;
	}
	if (ret)
		return ret;
	atomic64_inc(&dev->bounced);
	return len;
}

/**
 * dma_demo_io_streaming() - read or write through a streaming mapping
 * @dev: the device; the caller holds @dev->lock
 * @kbuf: a buffer of at least @len bytes from dma_demo_alloc_streaming()
 * @ubuf: the user's buffer, when @user
 * @user: copy between @ubuf and @kbuf (a NULL @ubuf then gives -EFAULT);
 *	false when @kbuf itself holds or receives the data
 * @len: bytes, already clamped to the device
 * @pos: offset in device memory
 * @write: true to move data to the device
 *
 * The buffer is mapped for one direction only, and handed between CPU and
 * device with dma_sync_single_for_cpu() and dma_sync_single_for_device()
 * (unless swiotlb is in the way, see dma_demo_swiotlb()).
 *
 * Return: @len or an errno.  On -EIO the engine may still own @kbuf: the
 * caller must not free it.
 */
ssize_t dma_demo_io_streaming(struct dma_demo_dev *dev, void *kbuf,
			      char __user *ubuf, bool user, size_t len,
			      loff_t pos, bool write)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *d = &dev->pdev->dev;
	dma_addr_t addr;
	int ret;

	if (dma_demo_swiotlb(d))
		return dma_demo_bounce_buf(dev, kbuf, ubuf, user, len, pos,
					   write);

	addr = dma_map_single(d, kbuf, len, dir);
	if (dma_mapping_error(d, addr))
		return -ENOMEM;

	if (write) {
		/* Mapped first, filled after: hand it back to the device. */
		dma_sync_single_for_cpu(d, addr, len, dir);
		if (user && copy_from_user(kbuf, ubuf, len)) {
			ret = -EFAULT;
			goto unmap;
		}
		dma_sync_single_for_device(d, addr, len, dir);
		ret = dma_demo_dma(dev, addr, pos, len, false);
	} else {
		ret = dma_demo_dma(dev, addr, pos, len, true);
		if (!ret) {
			dma_sync_single_for_cpu(d, addr, len, dir);
			if (user && copy_to_user(ubuf, kbuf, len))
				ret = -EFAULT;
		}
	}
	if (ret == -EIO && dev->wedged)
		return ret;	/* leave the mapping: the engine may use it */
unmap:
	dma_unmap_single(d, addr, len, dir);
	return ret ? ret : len;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_io_streaming);

/* One segment of a pinned page the device cannot reach: via @dev->bounce. */
static int dma_demo_bounce_page(struct dma_demo_dev *dev, struct page *page,
				const struct dma_demo_seg *seg, loff_t pos,
				bool write)
{
	void *vaddr;
	int ret;

	if (write) {
		vaddr = kmap_local_page(page);
		memcpy(dev->bounce, vaddr + seg->offset, seg->len);
		kunmap_local(vaddr);
		ret = dma_demo_dma(dev, dev->bounce_dma, pos, seg->len, false);
	} else {
		ret = dma_demo_dma(dev, dev->bounce_dma, pos, seg->len, true);
		if (!ret) {
			vaddr = kmap_local_page(page);
			memcpy(vaddr + seg->offset, dev->bounce, seg->len);
			kunmap_local(vaddr);
		}
	}
	if (!ret)
		atomic64_inc(&dev->bounced);
	return ret;
}

/**
 * dma_demo_io_direct() - read or write straight from the user's pages
 * @dev: the device; the caller holds @dev->lock
 * @ubuf: the user's buffer
 * @len: bytes, already clamped to the device
 * @pos: offset in device memory
 * @write: true to move @ubuf to the device
 *
 * The pages are pinned (writable when the device writes to them), and each
 * segment of dma_demo_split() is mapped with dma_map_page() and moved by
 * one DMA (or bounced, see dma_demo_unreachable()).  A failure after the
 * first segment gives a short count.
 *
 * Return: bytes moved, or an errno if none were.
 */
ssize_t dma_demo_io_direct(struct dma_demo_dev *dev, char __user *ubuf,
			   size_t len, loff_t pos, bool write)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct dma_demo_seg segs[DMA_DEMO_MAX_SEGS];
	struct page *pages[DMA_DEMO_MAX_SEGS];
	unsigned long uaddr = (unsigned long)ubuf;
	struct device *d = &dev->pdev->dev;
	int nsegs, npages, pinned, i, ret = 0;
	size_t done = 0;

	nsegs = dma_demo_split(uaddr, len, DMA_DEMO_DEV_SIZE, segs,
			       ARRAY_SIZE(segs));
	if (nsegs <= 0)
		return nsegs ? -EFAULT : 0;
	npages = segs[nsegs - 1].page + 1;
	pinned = pin_user_pages_fast(uaddr & PAGE_MASK, npages,
				     write ? 0 : FOLL_WRITE, pages);
	if (pinned < 0)
		return pinned;
	if (pinned < npages) {
		unpin_user_pages(pages, pinned);
		return -EFAULT;
	}

	for (i = 0; i < nsegs; i++) {
		struct page *page = pages[segs[i].page];
		dma_addr_t addr;

		if (dma_demo_unreachable(d, page, segs[i].offset, segs[i].len)) {
			ret = dma_demo_bounce_page(dev, page, &segs[i],
						   pos + done, write);
			if (ret)
				break;
			done += segs[i].len;
			continue;
		}
		addr = dma_map_page(d, page, segs[i].offset, segs[i].len, dir);
		if (dma_mapping_error(d, addr)) {
			ret = -ENOMEM;
			break;
		}
		ret = dma_demo_dma(dev, addr, pos + done, segs[i].len, !write);
		if (ret == -EIO && dev->wedged)
			return ret;	/* leave pages and mapping to the engine */
		dma_unmap_page(d, addr, segs[i].len, dir);
		if (ret)
			break;
		done += segs[i].len;
	}
	unpin_user_pages_dirty_lock(pages, pinned, !write && done);
	return done ? done : ret;
}
