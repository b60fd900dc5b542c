// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the transfers.  One DMA at a time, under dev->lock: program
 * the edu device's engine, sleep until the interrupt handler reports it
 * done, and never let go of a buffer the engine may still be writing.
 * Three ways to buffer the host side: a coherent buffer, a streaming
 * mapping of a kmalloc'd buffer, and the caller's own pages.
 *
 * What happens outside dev->lock: every copy from or to user space and
 * every pin of user pages.  Those may fault, and a fault may block as
 * long as user space likes (userfaultfd, FUSE); remove() takes dev->lock,
 * so it must only ever wait for the device, never for user space.  The
 * user's bytes therefore go through a kernel buffer of the call's own
 * (or pinned pages), and dev->lock is taken only for the DMA itself.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "dma_demo.h"

#define DMA_DEMO_TIMEOUT_MAX_MS	60000

static unsigned int timeout_ms = 2000;

/*
 * timeout_ms, at load and when root writes it: 1 to 60000 ms, else
 * EINVAL.  At load the kernel logs the refusal itself ("`0' invalid for
 * parameter `timeout_ms'"): one line, so none of our own.
 */
static int dma_demo_set_timeout(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;

	if (kstrtouint(val, 0, &ms) || !ms || ms > DMA_DEMO_TIMEOUT_MAX_MS)
		return -EINVAL;
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops dma_demo_timeout_ops = {
	.set = dma_demo_set_timeout,
	.get = param_get_uint,
};
module_param_cb(timeout_ms, &dma_demo_timeout_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms, "How long a transfer may take, in ms, before it fails with ETIMEDOUT: 1 to 60000 (default 2000)");

/* After a timeout or a signal: how long to wait for the engine to stop. */
#define DMA_DEMO_GRACE_MS	10000

/*
 * The edu device reaches only the low 256 MiB, and on x86 the DMA API's
 * bounce buffers (swiotlb) do not help with that: a machine below 4 GiB
 * boots without them, and where they exist (more memory, or
 * swiotlb=force) their pool lies somewhere below 4 GiB, usually out of
 * the device's reach, so that a mapping through it fails (with a warning
 * on some kernels).  The driver therefore looks before it maps:
 *  - behind an IOMMU that translates, every mapping gets an I/O virtual
 *    address below the mask wherever the page lies: nothing bounces;
 *  - with neither an IOMMU nor swiotlb, streaming buffers come from
 *    ZONE_DMA, and pinned user pages above the limit go through the
 *    coherent bounce buffer;
 *  - with swiotlb, streaming and direct transfers go through the
 *    coherent bounce buffer.
 * Where they bounce, the copies are counted in "bounced".
 */

/*
 * Does an IOMMU translate @d's DMA addresses: is the DMA API mapping for
 * it through a DMA domain (not an identity one, where bus addresses are
 * physical)?  The domain does not change while a driver is bound.
 */
static bool dma_demo_iommu(struct device *d)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(d);

	return domain && iommu_is_dma_domain(domain);
}

/**
 * dma_demo_would_bounce() - would the DMA API bounce a streaming mapping?
 * @d: the device
 *
 * Return: true when swiotlb is in use for @d, so that a mapping may land
 * in a pool out of the device's reach (see above).  Behind an IOMMU a
 * bounce slot is mapped like any page: false.
 */
bool dma_demo_would_bounce(struct device *d)
{
	if (dma_demo_iommu(d))
		return false;
	/* swiotlb limits what it bounces to the size of its slots. */
	return dma_max_mapping_size(d) != SIZE_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_would_bounce);

/**
 * dma_demo_reaches_all() - can the DMA API map any page for the device?
 * @d: the device, bound to the driver
 *
 * Return: true when every page maps to a bus address within @d's mask:
 * behind an IOMMU that translates, or when the mask covers all memory.
 * (dma_addressing_limited() says true behind an IOMMU for a mask below
 * 32 bits, though the IOMMU maps every page under it.)
 */
bool dma_demo_reaches_all(struct device *d)
{
	return dma_demo_iommu(d) || !dma_addressing_limited(d);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_reaches_all);

static bool dma_demo_unreachable(struct device *d, struct page *page,
				 unsigned int offset, size_t len)
{
	if (dma_demo_would_bounce(d))
		return true;
	return !dma_demo_reaches_all(d) &&
	       page_to_phys(page) + offset + len - 1 > dma_get_mask(d);
}

/* Is the engine still busy with the transfer it was last given? */
static bool dma_demo_running(struct dma_demo_dev *dev)
{
	return ioread32(dev->mmio + EDU_REG_DMA_CMD) & EDU_DMA_RUN;
}

/*
 * Sleep until the engine has finished the transfer it was last given, at
 * most @timeout jiffies.  An interrupt says only that *a* transfer ended:
 * one that comes while the engine still runs belongs to an earlier
 * transfer (one that timed out, its interrupt late), and does not end
 * this one.  Return: > 0 when done, 0 on timeout, -ERESTARTSYS on a
 * signal (@interruptible only).
 */
static long dma_demo_wait(struct dma_demo_dev *dev, long timeout,
			  bool interruptible)
{
	unsigned long deadline = jiffies + timeout;
	long left = timeout;

	for (;;) {
		if (interruptible)
			left = wait_for_completion_interruptible_timeout(&dev->done,
									 left);
		else
			left = wait_for_completion_timeout(&dev->done, left);
		if (left <= 0)
			return left;
		if (!dma_demo_running(dev))
			return 1;
		/* An earlier transfer's interrupt: keep waiting for ours. */
		if (time_after_eq(jiffies, deadline))
			return 0;
		left = deadline - jiffies;
	}
}

/**
 * dma_demo_engine_run() - one DMA by the engine, host memory <-> device
 * @dev: the device; the caller holds @dev->lock
 * @host: bus address of the host side, within the device's 28-bit mask
 * @dev_off: byte offset in device memory
 * @len: bytes, 1 to @dev->size - @dev_off
 * @from_dev: true to move device memory to @host, false the other way
 *
 * Sleeps until the engine reports the end of the transfer.  When that
 * does not come in time, or a signal arrives, the engine may still be
 * using the host buffer: wait (without signals) until it stops before
 * returning, so that the caller may unmap and free the buffer.
 *
 * Return: 0; -ENODEV after remove(); -ETIMEDOUT; -ERESTARTSYS on a signal;
 * -EIO if the engine never stopped (the device is then not used again,
 * and the caller must leave the host buffer alone).
 */
int dma_demo_engine_run(struct dma_demo_dev *dev, dma_addr_t host,
			u32 dev_off, u32 len, bool from_dev)
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
	 * An interrupt from before this point is forgotten here; one that
	 * comes later is sorted out by dma_demo_wait().
	 */
	reinit_completion(&dev->done);
	iowrite32(lower_32_bits(src), dev->mmio + EDU_REG_DMA_SRC);
	iowrite32(lower_32_bits(dst), dev->mmio + EDU_REG_DMA_DST);
	iowrite32(len, dev->mmio + EDU_REG_DMA_COUNT);
	iowrite32(cmd, dev->mmio + EDU_REG_DMA_CMD);

	left = dma_demo_wait(dev, msecs_to_jiffies(READ_ONCE(timeout_ms)),
			     true);
	if (left > 0) {
		atomic64_inc(&dev->transfers);
		atomic64_add(len, &dev->bytes);
		return 0;
	}

	if (!left)
		atomic64_inc(&dev->timeouts);
	if (!dma_demo_wait(dev, msecs_to_jiffies(DMA_DEMO_GRACE_MS), false) &&
	    dma_demo_running(dev)) {
		dev->wedged = true;
		dev_err(&dev->pdev->dev, "DMA engine stuck: device disabled\n");
		return -EIO;
	}
	return left ? left : -ETIMEDOUT;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_engine_run);

/**
 * dma_demo_irq() - the interrupt handler
 * @irq: the interrupt
 * @data: the device
 *
 * Acknowledges what the device raised and, for DMA done, wakes the
 * transfer waiting in dma_demo_wait(), which decides whether the
 * interrupt is its own.
 *
 * Return: IRQ_HANDLED, or IRQ_NONE when the device raised nothing.
 */
irqreturn_t dma_demo_irq(int irq, void *data)
{
	struct dma_demo_dev *dev = data;
	u32 status = ioread32(dev->mmio + EDU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;	/* a shared INTx line: not ours */
	iowrite32(status, dev->mmio + EDU_REG_IRQ_ACK);
	atomic64_inc(&dev->interrupts);
	if (status & EDU_IRQ_DMA)
		complete(&dev->done);
	return IRQ_HANDLED;
}

/*
 * One transfer of @len bytes between @kbuf and device memory, through the
 * coherent buffer @dev->bounce or, for @streaming, a streaming mapping of
 * @kbuf itself (through @dev->bounce too where swiotlb would bounce it,
 * see dma_demo_would_bounce()).
 * The caller holds @dev->lock and has checked @dev->gone.
 *
 * The streaming buffer is filled before it is mapped and read after it
 * is unmapped: dma_map_single() and dma_unmap_single() are the hand-overs
 * between CPU and device.  A buffer kept mapped across CPU accesses would
 * need dma_sync_single_for_cpu() and dma_sync_single_for_device() instead.
 *
 * Return: 0 or an errno.  On -EIO with @dev->wedged the engine may still
 * own @kbuf: the caller must not free it.
 */
static int dma_demo_xfer_kbuf(struct dma_demo_dev *dev, void *kbuf,
			      size_t len, loff_t pos, bool write,
			      bool streaming)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *d = &dev->pdev->dev;
	dma_addr_t addr;
	int ret;

	if (!streaming || dma_demo_would_bounce(d)) {
		if (write)
			memcpy(dev->bounce, kbuf, len);
		ret = dma_demo_engine_run(dev, dev->bounce_dma, pos, len, !write);
		if (ret)
			return ret;
		if (!write)
			memcpy(kbuf, dev->bounce, len);
		if (streaming)
			atomic64_inc(&dev->bounced);
		return 0;
	}

	addr = dma_map_single(d, kbuf, len, dir);
	if (dma_mapping_error(d, addr))
		return -ENOMEM;
	ret = dma_demo_engine_run(dev, addr, pos, len, !write);
	if (ret == -EIO && dev->wedged)
		return ret;	/* leave the mapping: the engine may use it */
	dma_unmap_single(d, addr, len, dir);
	return ret;
}

/**
 * dma_demo_io_copy() - read or write through a kernel buffer
 * @dev: the device
 * @iter: the caller's data for a write (a source, %WRITE), or where it
 *	goes for a read (a destination, %READ)
 * @len: bytes, already clamped to the device (kmm_rw_clamp())
 * @pos: offset in device memory
 * @streaming: DMA through a streaming mapping of the kernel buffer; else
 *	through the device's coherent buffer (the coherent strategy)
 *
 * The coherent buffer is the device's, shared by every file, so it is
 * touched only under @dev->lock; the user's bytes are staged in a buffer
 * of this call's own, copied outside the lock.
 *
 * Return: bytes moved, or an errno: a fault in @iter before any byte
 * moved gives -EFAULT, after some a short count.
 */
ssize_t dma_demo_io_copy(struct dma_demo_dev *dev, struct iov_iter *iter,
			 size_t len, loff_t pos, bool streaming)
{
	bool write = iov_iter_rw(iter) == WRITE;
	void *kbuf = kmalloc(len, streaming ? dev->dma_gfp : GFP_KERNEL);
	bool wedged;
	ssize_t ret;

	if (!kbuf)
		return -ENOMEM;
	if (write) {
		len = copy_from_iter(kbuf, len, iter);
		if (!len) {
			ret = -EFAULT;
			goto free;
		}
	}

	if (mutex_lock_interruptible(&dev->lock)) {
		ret = -ERESTARTSYS;
		goto free;
	}
	if (dev->gone)
		ret = -ENODEV;
	else
		ret = dma_demo_xfer_kbuf(dev, kbuf, len, pos, write, streaming);
	wedged = ret == -EIO && dev->wedged;
	mutex_unlock(&dev->lock);
	if (wedged && streaming)
		return ret;	/* the engine may still write to kbuf */
	if (!ret && !write) {
		len = copy_to_iter(kbuf, len, iter);
		ret = len ? len : -EFAULT;
	} else if (!ret) {
		ret = len;
	}
free:
	kfree(kbuf);
	return ret;
}

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
		ret = dma_demo_engine_run(dev, dev->bounce_dma, pos, seg->len, false);
	} else {
		ret = dma_demo_engine_run(dev, dev->bounce_dma, pos, seg->len, true);
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

/*
 * The segments of one pinned user range, under @dev->lock.  Return: bytes
 * moved, or an errno if none were; -EIO with @dev->wedged: the engine may
 * still use the pages and their mappings, which are to be left alone.
 */
static ssize_t dma_demo_xfer_pages(struct dma_demo_dev *dev,
				   struct page **pages,
				   const struct dma_demo_seg *segs, int nsegs,
				   loff_t pos, bool write)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *d = &dev->pdev->dev;
	size_t done = 0;
	int i, ret = 0;

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
		ret = dma_demo_engine_run(dev, addr, pos + done, segs[i].len, !write);
		if (ret == -EIO && dev->wedged)
			return ret;
		dma_unmap_page(d, addr, segs[i].len, dir);
		if (ret)
			break;
		done += segs[i].len;
	}
	return done ? done : ret;
}

/*
 * One user range of the direct strategy: pin (outside the lock: it may
 * fault, and the fault may block), transfer under the lock, unpin.  Pages
 * the device was told to write are marked dirty, even when the transfer
 * was cut short: the engine may have written them all the same.
 */
static ssize_t dma_demo_direct_range(struct dma_demo_dev *dev,
				     unsigned long uaddr, size_t len,
				     loff_t pos, bool write)
{
	struct dma_demo_seg segs[DMA_DEMO_MAX_SEGS];
	struct page *pages[DMA_DEMO_MAX_SEGS];
	int nsegs, npages, pinned;
	bool told = false, wedged;
	ssize_t ret;

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
		ret = -EFAULT;
		goto unpin;
	}

	if (mutex_lock_interruptible(&dev->lock)) {
		ret = -ERESTARTSYS;
		goto unpin;
	}
	if (dev->gone) {
		ret = -ENODEV;
	} else {
		told = !write;
		ret = dma_demo_xfer_pages(dev, pages, segs, nsegs, pos, write);
	}
	wedged = ret == -EIO && dev->wedged;
	mutex_unlock(&dev->lock);
	if (wedged)
		return ret;	/* leave pages and mappings to the engine */
unpin:
	unpin_user_pages_dirty_lock(pages, pinned, told);
	return ret;
}

/**
 * dma_demo_io_direct() - read or write straight from the user's pages
 * @dev: the device
 * @iter: a user-backed iterator (user_backed_iter()): the caller's data
 *	for a write (%WRITE), or where it goes for a read (%READ)
 * @len: bytes, already clamped to the device
 * @pos: offset in device memory
 *
 * Each segment of @iter is pinned (writable when the device writes to
 * it), cut by dma_demo_split() into pieces that never cross a page, and
 * each piece mapped with dma_map_page() and moved by one DMA (or bounced,
 * see dma_demo_unreachable()).  A failure after the first byte, or an
 * empty segment, gives a short count.
 *
 * Return: bytes moved, or an errno if none were.
 */
ssize_t dma_demo_io_direct(struct dma_demo_dev *dev, struct iov_iter *iter,
			   size_t len, loff_t pos)
{
	bool write = iov_iter_rw(iter) == WRITE;
	size_t done = 0;
	ssize_t ret = 0;

	while (done < len) {
		size_t seg;
		void __user *ubuf = kmm_iter_user_seg(iter, &seg);

		seg = min(seg, len - done);
		if (!seg)
			break;
		ret = dma_demo_direct_range(dev, (unsigned long)ubuf, seg,
					    pos + done, write);
		if (ret <= 0)
			break;
		iov_iter_advance(iter, ret);
		done += ret;
		if ((size_t)ret < seg)
			break;
	}
	return done ? done : ret;
}
