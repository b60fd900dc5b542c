// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the engine between device memory and any dma-buf.
 *
 * DMA_DEMO_IOC_DMABUF_XFER takes a dma-buf from any exporter (the
 * driver's own, udmabuf, a DMA heap, vmalloc_demo...) and moves bytes
 * between an offset of it and device memory, in one of two ways:
 *  - direct, where the DMA API can map any page for the device (an IOMMU
 *    in front of it, or a mask that covers all memory): attach the
 *    device, map the attachment, and run the engine on each DMA segment
 *    of the range, in pieces of at most the device's 4 KiB;
 *  - bounced, everywhere else (the edu device reaches 256 MiB; without
 *    an IOMMU a mapping of a page above that fails, with a warning, and
 *    an importer cannot see the pages before it maps): the CPU copies
 *    between the driver's coherent buffer and the dma-buf, mapped in the
 *    kernel with dma_buf_vmap() and bracketed by begin/end_cpu_access,
 *    and the engine moves the coherent buffer.  Each piece counts in
 *    "bounced".
 * Nothing is cut short: a range outside the dma-buf or the device is
 * EINVAL, and a piece the engine cannot take is an error, not a skip.
 *
 * Locking, as for read and write (dma.c): dev->lock only across the
 * DMA and what the device must still be there for (its buffers, the
 * attachment of its struct device), which remove() waits for.  Calls
 * that may wait on others (vmap, begin_cpu_access, which waits for the
 * buffer's fences) come before it.  dev->lock nests outside the
 * dma-buf's reservation lock, which attach and map take.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "kmm_compat.h"
#include "dma_demo.h"

/* One piece through @dev->bounce; under @dev->lock. */
static int dma_demo_bounce_piece(struct dma_demo_dev *dev,
				 struct iosys_map *map, size_t buf_off,
				 u32 dev_off, size_t len, bool to_dev)
{
	int ret;

	if (dev->gone)
		return -ENODEV;	/* @dev->bounce is freed */
	if (to_dev)
		iosys_map_memcpy_from(dev->bounce, map, buf_off, len);
	ret = dma_demo_engine_run(dev, dev->bounce_dma, dev_off, len, !to_dev);
	if (ret)
		return ret;
	if (!to_dev)
		iosys_map_memcpy_to(map, buf_off, dev->bounce, len);
	atomic64_inc(&dev->bounced);
	return 0;
}

static int dma_demo_dmabuf_bounce(struct dma_demo_dev *dev,
				  struct dma_buf *dmabuf,
				  const struct dma_demo_dmabuf_xfer *x)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	/*
	 * DMA_BIDIRECTIONAL both ways: an exporter may keep the direction of
	 * the first begin_cpu_access (udmabuf does), and DMA-API debug
	 * reports a later call that names another.
	 */
	const enum dma_data_direction cpu_dir = DMA_BIDIRECTIONAL;
	struct iosys_map map;
	size_t done, len;
	int ret, end;

	ret = dma_buf_vmap_unlocked(dmabuf, &map);
	if (ret)
		return ret;
	ret = dma_buf_begin_cpu_access(dmabuf, cpu_dir);
	if (ret)
		goto vunmap;
	if (mutex_lock_interruptible(&dev->lock)) {
		ret = -ERESTARTSYS;
		goto end_cpu;
	}
	for (done = 0; !ret && done < x->len; done += len) {
		len = min_t(u64, x->len - done, DMA_DEMO_DEV_SIZE);
		ret = dma_demo_bounce_piece(dev, &map, x->buf_offset + done,
					    x->dev_offset + done, len, to_dev);
	}
	mutex_unlock(&dev->lock);
end_cpu:
	end = dma_buf_end_cpu_access(dmabuf, cpu_dir);
	ret = ret ?: end;
vunmap:
	dma_buf_vunmap_unlocked(dmabuf, &map);
	return ret;
}

/*
 * Under @dev->lock, the device there.  Return: 0 or an errno; -EIO with
 * @dev->wedged: the engine may still use the buffer, so the mapping, the
 * attachment and a reference to the dma-buf are left to it.
 */
static int dma_demo_dmabuf_engine(struct dma_demo_dev *dev,
				  struct dma_buf *dmabuf,
				  const struct dma_demo_dmabuf_xfer *x)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	enum dma_data_direction dir = to_dev ? DMA_TO_DEVICE :
					       DMA_FROM_DEVICE;
	struct device *d = &dev->pdev->dev;
	struct dma_buf_attachment *attach;
	struct dma_demo_sg_walk w;
	u32 dev_off = x->dev_offset;
	struct sg_table *sgt;
	dma_addr_t dma;
	size_t len;
	int ret;

	attach = dma_buf_attach(dmabuf, d);
	if (IS_ERR(attach))
		return PTR_ERR(attach);
	sgt = dma_buf_map_attachment_unlocked(attach, dir);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto detach;
	}
	ret = dma_demo_sg_walk_start(&w, sgt, x->buf_offset, x->len);
	while (!ret && dma_demo_sg_walk_next(&w, DMA_DEMO_DEV_SIZE, &dma, &len)) {
		/* The DMA API maps within the mask or fails: never here. */
		if (!dma_demo_reachable(dma, len, dma_get_mask(d)))
			ret = -EIO;
		else
			ret = dma_demo_engine_run(dev, dma, dev_off, len, !to_dev);
		dev_off += len;
	}
	if (ret == -EIO && dev->wedged) {
		get_dma_buf(dmabuf);
		return ret;
	}
	dma_buf_unmap_attachment_unlocked(attach, sgt, dir);
detach:
	dma_buf_detach(dmabuf, attach);
	return ret;
}

static int dma_demo_dmabuf_direct(struct dma_demo_dev *dev,
				  struct dma_buf *dmabuf,
				  const struct dma_demo_dmabuf_xfer *x)
{
	int ret;

	if (mutex_lock_interruptible(&dev->lock))
		return -ERESTARTSYS;
	if (dev->gone)
		ret = -ENODEV;
	else
		ret = dma_demo_dmabuf_engine(dev, dmabuf, x);
	mutex_unlock(&dev->lock);
	return ret;
}

/**
 * dma_demo_dmabuf_xfer() - DMA_DEMO_IOC_DMABUF_XFER
 * @dev: the device
 * @filp: the file the call came on: to the device needs it open for
 *	writing, from the device for reading, as write(2) and read(2)
 * @x: the arguments, copied from user space
 *
 * Return: 0, or an errno (see include/uapi/dma_demo.h).
 */
long dma_demo_dmabuf_xfer(struct dma_demo_dev *dev, struct file *filp,
			  const struct dma_demo_dmabuf_xfer *x)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	struct dma_buf *dmabuf;
	int ret;

	if (READ_ONCE(dev->gone))
		return -ENODEV;
	if (x->dir != DMA_DEMO_TO_DEVICE && x->dir != DMA_DEMO_FROM_DEVICE)
		return -EINVAL;
	if (!(filp->f_mode & (to_dev ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	dmabuf = dma_buf_get(x->fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	ret = dma_demo_check_dmabuf_xfer(x, dev->size, dmabuf->size);
	/* The device writes into the dma-buf: it must be writable. */
	if (!ret && !to_dev && !(dmabuf->file->f_mode & FMODE_WRITE))
		ret = -EBADF;
	if (!ret && dev->dmabuf_direct)
		ret = dma_demo_dmabuf_direct(dev, dmabuf, x);
	else if (!ret)
		ret = dma_demo_dmabuf_bounce(dev, dmabuf, x);
	dma_buf_put(dmabuf);
	return ret;
}
