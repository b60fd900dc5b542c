// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the transfers.  Three ways to buffer the host side of a DMA:
 * a coherent buffer, a streaming mapping of a kmalloc'd buffer, and the
 * caller's own pages; and which pages the device can reach.  Each DMA
 * goes to the engine (dma_demo_engine_run(), engine.c), one at a time
 * under dev->lock.
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
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "dma_demo.h"

/*
 * The edu device reaches only the low 256 MiB, and swiotlb's pool, where
 * there is one, usually lies out of its reach (see kmm_dma.h).  The driver
 * therefore looks before it maps:
 *  - behind an IOMMU that translates, every mapping gets an I/O virtual
 *    address below the mask wherever the page lies: nothing bounces;
 *  - with neither an IOMMU nor swiotlb, streaming buffers come from
 *    ZONE_DMA, and pinned user pages above the limit go through the
 *    coherent bounce buffer;
 *  - with swiotlb, streaming and direct transfers go through the
 *    coherent bounce buffer.
 * Where they bounce, the copies are counted in "bounced", and in the
 * caller's *@bounced for its completion event: the device counter is
 * shared by every transfer, so only a count of the call's own says which
 * transfer bounced.
 */

static bool dma_demo_unreachable(struct device *d, struct page *page,
				 unsigned int offset, size_t len)
{
	if (kmm_dma_would_bounce(d))
		return true;
	return !kmm_dma_reaches_all(d) &&
	       page_to_phys(page) + offset + len - 1 > dma_get_mask(d);
}

/*
 * One transfer of @len bytes between @kbuf and device memory, through the
 * coherent buffer @dev->bounce or, for @streaming, a streaming mapping of
 * @kbuf itself (through @dev->bounce too where swiotlb would bounce it,
 * see kmm_dma_would_bounce()).
 * The caller holds @dev->lock and has checked @dev->gone.  A streaming
 * transfer that went through @dev->bounce adds one to *@bounced.
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
			      bool streaming, unsigned int *bounced)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *d = &dev->pdev->dev;
	dma_addr_t addr;
	int ret;

	if (!streaming || kmm_dma_would_bounce(d)) {
		if (write)
			memcpy(dev->bounce, kbuf, len);
		ret = dma_demo_engine_run(dev, dev->bounce_dma, pos, len, !write);
		if (ret)
			return ret;
		if (!write)
			memcpy(kbuf, dev->bounce, len);
		if (streaming) {
			atomic64_inc(&dev->bounced);
			(*bounced)++;
		}
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
 * @bounced: incremented for each piece of this call that was bounced
 *	through the device's coherent buffer (never for @streaming false)
 *
 * The coherent buffer is the device's, shared by every file, so it is
 * touched only under @dev->lock; the user's bytes are staged in a buffer
 * of this call's own, copied outside the lock.
 *
 * Return: bytes moved, or an errno: a fault in @iter before any byte
 * moved gives -EFAULT, after some a short count.
 */
ssize_t dma_demo_io_copy(struct dma_demo_dev *dev, struct iov_iter *iter,
			 size_t len, loff_t pos, bool streaming,
			 unsigned int *bounced)
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
		ret = dma_demo_xfer_kbuf(dev, kbuf, len, pos, write, streaming,
					 bounced);
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

/*
 * One segment of a pinned page the device cannot reach: via @dev->bounce,
 * counted in the device's "bounced" and the caller's *@bounced.
 */
static int dma_demo_bounce_page(struct dma_demo_dev *dev, struct page *page,
				const struct dma_demo_seg *seg, loff_t pos,
				bool write, unsigned int *bounced)
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
	if (!ret) {
		atomic64_inc(&dev->bounced);
		(*bounced)++;
	}
	return ret;
}

/*
 * The segments of one pinned user range, under @dev->lock; those bounced
 * add to *@bounced.  Return: bytes moved, or an errno if none were; -EIO
 * with @dev->wedged: the engine may still use the pages and their
 * mappings, which are to be left alone.
 */
static ssize_t dma_demo_xfer_pages(struct dma_demo_dev *dev,
				   struct page **pages,
				   const struct dma_demo_seg *segs, int nsegs,
				   loff_t pos, bool write, unsigned int *bounced)
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
						   pos + done, write, bounced);
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
				     loff_t pos, bool write,
				     unsigned int *bounced)
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
		ret = dma_demo_xfer_pages(dev, pages, segs, nsegs, pos, write,
					  bounced);
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
 * @bounced: incremented for each piece of this call that was bounced
 *	through the device's coherent buffer (see dma_demo_unreachable())
 *
 * Each segment of @iter is pinned (writable when the device writes to
 * it), cut by dma_demo_split() into pieces that never cross a page, and
 * each piece mapped with dma_map_page() and moved by one DMA (or bounced,
 * see dma_demo_unreachable()).  A failure after the first byte gives a
 * short count.
 *
 * Return: bytes moved, or an errno if none were.
 */
ssize_t dma_demo_io_direct(struct dma_demo_dev *dev, struct iov_iter *iter,
			   size_t len, loff_t pos, unsigned int *bounced)
{
	bool write = iov_iter_rw(iter) == WRITE;
	size_t done = 0;
	ssize_t ret = 0;

	while (done < len && iov_iter_count(iter)) {
		size_t seg;
		void __user *ubuf = kmm_iter_user_seg(iter, &seg);

		/* An empty iovec (preadv() allows them): advance 0 skips it. */
		if (!seg) {
			iov_iter_advance(iter, 0);
			continue;
		}
		seg = min(seg, len - done);
		ret = dma_demo_direct_range(dev, (unsigned long)ubuf, seg,
					    pos + done, write, bounced);
		if (ret <= 0)
			break;
		iov_iter_advance(iter, ret);
		done += ret;
		if ((size_t)ret < seg)
			break;
	}
	return done ? done : ret;
}
