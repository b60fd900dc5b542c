// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the transfers (docs/dma.md, Three buffer strategies).  User
 * copies and pins happen outside demo->lock: a fault may block as long as
 * user space likes, and remove() takes demo->lock, so it must wait only for
 * the device.  demo->lock is taken only for the DMA itself.
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
 * Look before mapping: swiotlb's pool usually lies out of edu's 28 bits
 * (docs/dma.md, The 28-bit mask, swiotlb and the IOMMU).  A piece that
 * bounces counts in the shared "bounced" and in the caller's *bounced.
 */
static bool dma_demo_unreachable(struct device *dev, struct page *page,
				 unsigned int offset, size_t len)
{
	if (kmm_dma_would_bounce(dev))
		return true;
	return !kmm_dma_reaches_all(dev) &&
	       page_to_phys(page) + offset + len - 1 > dma_get_mask(dev);
}

/*
 * @len bytes between @kbuf and the device via @demo->bounce or, @streaming,
 * a mapping of @kbuf, filled before map and read after unmap.  Under
 * @demo->lock, neither gone nor wedged.  Return: 0 or an errno; *@stuck:
 * the engine stuck with @kbuf mapped and may still own it, not to be freed.
 */
static int dma_demo_xfer_kbuf(struct dma_demo_dev *demo, void *kbuf,
			      size_t len, loff_t pos, bool write,
			      bool streaming, unsigned int *bounced,
			      bool *stuck)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *dev = &demo->pdev->dev;
	dma_addr_t addr;
	int ret;

	if (!streaming || kmm_dma_would_bounce(dev)) {
		if (write)
			memcpy(demo->bounce, kbuf, len);
		ret = dma_demo_engine_run(demo, demo->bounce_dma, pos, len, !write);
		if (ret)
			return ret;
		if (!write)
			memcpy(kbuf, demo->bounce, len);
		if (streaming) {
			atomic64_inc(&demo->count.bounced);
			(*bounced)++;
		}
		return 0;
	}

	addr = dma_map_single(dev, kbuf, len, dir);
	if (dma_mapping_error(dev, addr))
		return -ENOMEM;
	ret = dma_demo_engine_run(demo, addr, pos, len, !write);
	*stuck = dma_demo_note_stuck(demo, ret);
	if (*stuck)
		return ret;	/* leave the mapping: the engine may use it */
	dma_unmap_single(dev, addr, len, dir);
	return ret;
}

/**
 * dma_demo_io_copy() - read or write through a kernel buffer of the call's own
 * @demo: the device
 * @iter: the data for a write (%WRITE), or where a read puts it (%READ)
 * @len: bytes, already clamped to the device (kmm_rw_clamp())
 * @pos: offset in device memory
 * @streaming: map the kernel buffer; else go through the coherent buffer
 * @bounced: incremented per piece of a streaming call that bounced
 * Return: bytes moved, or an errno (-EFAULT: a fault before any byte).
 */
ssize_t dma_demo_io_copy(struct dma_demo_dev *demo, struct iov_iter *iter,
			 size_t len, loff_t pos, bool streaming,
			 unsigned int *bounced)
{
	bool write = iov_iter_rw(iter) == WRITE;
	void *kbuf = kmalloc(len, streaming ? demo->dma_gfp : GFP_KERNEL);
	bool stuck = false;
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

	ret = dma_demo_lock(demo);
	if (ret)
		goto free;
	ret = dma_demo_xfer_kbuf(demo, kbuf, len, pos, write, streaming,
				 bounced, &stuck);
	mutex_unlock(&demo->lock);
	if (stuck)
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

/* One segment of a pinned page the device cannot reach, via @demo->bounce. */
static int dma_demo_bounce_page(struct dma_demo_dev *demo, struct page *page,
				const struct dma_demo_seg *seg, loff_t pos,
				bool write, unsigned int *bounced)
{
	void *vaddr;
	int ret;

	if (write) {
		vaddr = kmap_local_page(page);
		memcpy(demo->bounce, vaddr + seg->offset, seg->len);
		kunmap_local(vaddr);
		ret = dma_demo_engine_run(demo, demo->bounce_dma, pos, seg->len, false);
	} else {
		ret = dma_demo_engine_run(demo, demo->bounce_dma, pos, seg->len, true);
		if (!ret) {
			vaddr = kmap_local_page(page);
			memcpy(vaddr + seg->offset, demo->bounce, seg->len);
			kunmap_local(vaddr);
		}
	}
	if (!ret) {
		atomic64_inc(&demo->count.bounced);
		(*bounced)++;
	}
	return ret;
}

/*
 * The segments of one pinned range, under @demo->lock, neither gone nor
 * wedged.  Return: bytes moved, or an errno; *@stuck: the engine stuck
 * with a page mapped: leave the pages and that mapping alone.
 */
static ssize_t dma_demo_xfer_pages(struct dma_demo_dev *demo,
				   struct page **pages,
				   const struct dma_demo_seg *segs, int nsegs,
				   loff_t pos, bool write, unsigned int *bounced,
				   bool *stuck)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *dev = &demo->pdev->dev;
	size_t done = 0;
	int i, ret = 0;

	for (i = 0; i < nsegs; i++) {
		struct page *page = pages[segs[i].page];
		dma_addr_t addr;

		if (dma_demo_unreachable(dev, page, segs[i].offset, segs[i].len)) {
			ret = dma_demo_bounce_page(demo, page, &segs[i],
						   pos + done, write, bounced);
			if (ret)
				break;
			done += segs[i].len;
			continue;
		}
		addr = dma_map_page(dev, page, segs[i].offset, segs[i].len, dir);
		if (dma_mapping_error(dev, addr)) {
			ret = -ENOMEM;
			break;
		}
		ret = dma_demo_engine_run(demo, addr, pos + done, segs[i].len, !write);
		*stuck = dma_demo_note_stuck(demo, ret);
		if (*stuck)
			return ret;
		dma_unmap_page(dev, addr, segs[i].len, dir);
		if (ret)
			break;
		done += segs[i].len;
	}
	return done ? done : ret;
}

/*
 * Pin outside the lock (it may fault and block), transfer, unpin.  Pages the
 * device was told to write are dirty even if cut short: it may have written.
 */
static ssize_t dma_demo_direct_range(struct dma_demo_dev *demo,
				     unsigned long uaddr, size_t len,
				     loff_t pos, bool write,
				     unsigned int *bounced)
{
	struct dma_demo_seg segs[DMA_DEMO_MAX_SEGS];
	struct page *pages[DMA_DEMO_MAX_SEGS];
	int nsegs, npages, pinned;
	bool told = false, stuck = false;
	ssize_t ret;

	nsegs = dma_demo_split(uaddr, len, DMA_DEMO_DEV_SIZE, segs,
			       ARRAY_SIZE(segs));
	if (nsegs <= 0)
		return nsegs ? -EFAULT : 0;
	npages = segs[nsegs - 1].page + 1;
	/* For a write the device only reads the pages: pinned read-only. */
	pinned = pin_user_pages_fast(uaddr & PAGE_MASK, npages,
				     write ? 0 : FOLL_WRITE, pages);
	if (pinned < 0)
		return pinned;
	if (pinned < npages) {
		ret = -EFAULT;
		goto unpin;
	}

	ret = dma_demo_lock(demo);
	if (ret)
		goto unpin;
	told = !write;
	ret = dma_demo_xfer_pages(demo, pages, segs, nsegs, pos, write,
				  bounced, &stuck);
	mutex_unlock(&demo->lock);
	if (stuck)
		return ret;	/* leave pages and mappings to the engine */
unpin:
	unpin_user_pages_dirty_lock(pages, pinned, told);
	return ret;
}

/**
 * dma_demo_io_direct() - read or write straight from the user's pages
 * @demo: the device
 * @iter: a user-backed iterator, as for dma_demo_io_copy()
 * @len: bytes, already clamped to the device
 * @pos: offset in device memory
 * @bounced: incremented for each piece bounced (dma_demo_unreachable())
 * Return: bytes moved (short after a failure), or an errno if none were.
 */
ssize_t dma_demo_io_direct(struct dma_demo_dev *demo, struct iov_iter *iter,
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
		ret = dma_demo_direct_range(demo, (unsigned long)ubuf, seg,
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
