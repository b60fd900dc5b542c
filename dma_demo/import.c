// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: DMA between device memory and any dma-buf, mapped or bounced
 * (docs/dma-buf.md, The importer's side).  Fences are waited for holding no
 * lock.  An exporter's attach and map may wait for its own work: they run
 * under demo->import_lock, and demo->lock covers only the DMA.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "kmm_compat.h"
#include "dma_demo.h"

/* One piece through @demo->bounce; under @demo->lock. */
static int dma_demo_bounce_piece(struct dma_demo_dev *demo,
				 struct iosys_map *map, size_t buf_off,
				 u32 dev_off, size_t len, bool to_dev)
{
	int ret;

	ret = dma_demo_refusal(demo);	/* @demo->bounce freed or the engine's */
	if (ret)
		return ret;
	if (to_dev)
		iosys_map_memcpy_from(demo->bounce, map, buf_off, len);
	ret = dma_demo_engine_run(demo, demo->bounce_dma, dev_off, len, !to_dev);
	if (ret)
		return ret;
	if (!to_dev)
		iosys_map_memcpy_to(map, buf_off, demo->bounce, len);
	atomic64_inc(&demo->count.bounced);
	return 0;
}

static int dma_demo_dmabuf_bounce(struct dma_demo_dev *demo,
				  struct dma_buf *dmabuf,
				  const struct dma_demo_dmabuf_xfer *x)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	/* Both ways: udmabuf keeps the first call's direction (dma-buf.md). */
	const enum dma_data_direction cpu_dir = DMA_BIDIRECTIONAL;
	struct iosys_map map;
	size_t done, len;
	int ret, end;

	if (READ_ONCE(demo->wedged))
		return -EIO;
	ret = dma_buf_vmap_unlocked(dmabuf, &map);
	if (ret)
		return ret;
	ret = dma_buf_begin_cpu_access(dmabuf, cpu_dir);
	if (ret)
		goto vunmap;
	if (mutex_lock_interruptible(&demo->lock)) {
		ret = -ERESTARTSYS;
		goto end_cpu;
	}
	for (done = 0; !ret && done < x->len; done += len) {
		len = min_t(u64, x->len - done, DMA_DEMO_DEV_SIZE);
		ret = dma_demo_bounce_piece(demo, &map, x->buf_offset + done,
					    x->dev_offset + done, len, to_dev);
	}
	mutex_unlock(&demo->lock);
end_cpu:
	end = dma_buf_end_cpu_access(dmabuf, cpu_dir);
	ret = ret ?: end;
vunmap:
	dma_buf_vunmap_unlocked(dmabuf, &map);
	return ret;
}

/* The DMA of a mapped range.  *@stuck: this call's transfer wedged it. */
static int dma_demo_dmabuf_engine(struct dma_demo_dev *demo,
				  struct sg_table *sgt,
				  const struct dma_demo_dmabuf_xfer *x,
				  bool *stuck)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	struct device *dev = &demo->pdev->dev;
	struct dma_demo_sg_walk w;
	u32 dev_off = x->dev_offset;
	dma_addr_t dma;
	size_t len;
	int ret;

	*stuck = false;
	ret = dma_demo_lock(demo);
	if (ret)
		return ret;
	ret = dma_demo_sg_walk_start(&w, sgt, x->buf_offset, x->len);
	while (!ret && dma_demo_sg_walk_next(&w, DMA_DEMO_DEV_SIZE, &dma, &len)) {
		/* The DMA API maps within the mask or fails: never here. */
		if (!dma_demo_reachable(dma, len, dma_get_mask(dev)))
			ret = -EIO;
		else
			ret = dma_demo_engine_run(demo, dma, dev_off, len, !to_dev);
		dev_off += len;
	}
	*stuck = dma_demo_note_stuck(demo, ret);
	mutex_unlock(&demo->lock);
	return ret;
}

/*
 * Wait for the fences there now, attach, map, DMA, unmap, detach.  A wedged
 * engine may still use the buffer: the mapping, the attachment and references
 * to the dma-buf and the struct device the exporter syncs against stay.
 */
static int dma_demo_dmabuf_direct(struct dma_demo_dev *demo,
				  struct dma_buf *dmabuf,
				  const struct dma_demo_dmabuf_xfer *x)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	enum dma_data_direction dir = to_dev ? DMA_TO_DEVICE :
					       DMA_FROM_DEVICE;
	struct device *dev = &demo->pdev->dev;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	bool stuck = false;
	long wait;
	int ret;

	if (READ_ONCE(demo->wedged))
		return -EIO;
	wait = dma_resv_wait_timeout(dmabuf->resv, dma_resv_usage_rw(!to_dev),
				     true, MAX_SCHEDULE_TIMEOUT);
	if (wait <= 0)
		return wait ?: -ETIMEDOUT;
	if (mutex_lock_interruptible(&demo->import_lock))
		return -ERESTARTSYS;
	if (READ_ONCE(demo->gone) || READ_ONCE(demo->wedged)) {
		ret = READ_ONCE(demo->gone) ? -ENODEV : -EIO;
		goto unlock;
	}
	attach = dma_buf_attach(dmabuf, dev);
	if (IS_ERR(attach)) {
		ret = PTR_ERR(attach);
		goto unlock;
	}
	sgt = dma_buf_map_attachment_unlocked(attach, dir);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto detach;
	}
	ret = dma_demo_dmabuf_engine(demo, sgt, x, &stuck);
	if (stuck) {
		get_dma_buf(dmabuf);
		get_device(dev);
		goto unlock;
	}
	dma_buf_unmap_attachment_unlocked(attach, sgt, dir);
detach:
	dma_buf_detach(dmabuf, attach);
unlock:
	mutex_unlock(&demo->import_lock);
	return ret;
}

/**
 * dma_demo_dmabuf_xfer() - DMA_DEMO_IOC_DMABUF_XFER
 * @demo: the device
 * @filp: the file, open for writing (to the device) or reading (from it)
 * @x: the arguments, copied from user space
 * Return: 0, or an errno (see include/uapi/dma_demo.h).
 */
long dma_demo_dmabuf_xfer(struct dma_demo_dev *demo, struct file *filp,
			  const struct dma_demo_dmabuf_xfer *x)
{
	bool to_dev = x->dir == DMA_DEMO_TO_DEVICE;
	struct dma_buf *dmabuf;
	int ret;

	if (READ_ONCE(demo->gone))
		return -ENODEV;
	if (x->dir != DMA_DEMO_TO_DEVICE && x->dir != DMA_DEMO_FROM_DEVICE)
		return -EINVAL;
	if (!(filp->f_mode & (to_dev ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	dmabuf = dma_buf_get(x->fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	ret = dma_demo_check_dmabuf_xfer(x, demo->size, dmabuf->size);
	/* The device writes into the dma-buf: it must be writable. */
	if (!ret && !to_dev && !(dmabuf->file->f_mode & FMODE_WRITE))
		ret = -EBADF;
	if (!ret && demo->dmabuf_direct)
		ret = dma_demo_dmabuf_direct(demo, dmabuf, x);
	else if (!ret)
		ret = dma_demo_dmabuf_bounce(demo, dmabuf, x);
	dma_buf_put(dmabuf);
	return ret;
}
