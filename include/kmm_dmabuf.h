/* SPDX-License-Identifier: GPL-2.0 */
/* One exporter's side of a dma-buf, for both exporters (docs/dma-buf.md). */
#ifndef KMM_DMABUF_H
#define KMM_DMABUF_H

#include <linux/dma-buf.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kmm_dma.h"

/**
 * struct kmm_exporter - what an exporter keeps of its importers
 * @lock: guards @attachments, each one's @dir, and @vaddr; taken inside
 *	the reservation lock, never around it
 * @attachments: struct kmm_attachment, one per attached device
 * @vaddr: the kernel mapping that CPU access syncs, or NULL
 */
struct kmm_exporter {
	struct mutex lock;	/* see above */
	struct list_head attachments;
	void *vaddr;
};

/**
 * struct kmm_attachment - one importer's view (dma_buf_attachment.priv)
 * @dev: the importing device
 * @sgt: the buffer's pages, within @dev's segment limits
 * @dir: the direction @sgt is mapped for, %DMA_NONE while it is not
 * @node: in &kmm_exporter.attachments
 */
struct kmm_attachment {
	struct device *dev;
	struct sg_table sgt;
	enum dma_data_direction dir;
	struct list_head node;
};

static inline void kmm_exporter_init(struct kmm_exporter *e, void *vaddr)
{
	mutex_init(&e->lock);
	INIT_LIST_HEAD(&e->attachments);
	e->vaddr = vaddr;
}

static inline void kmm_exporter_destroy(struct kmm_exporter *e)
{
	mutex_destroy(&e->lock);
}

/* After a vmap, before a vunmap: what CPU access syncs. */
static inline void kmm_exporter_set_vaddr(struct kmm_exporter *e, void *vaddr)
{
	mutex_lock(&e->lock);
	e->vaddr = vaddr;
	mutex_unlock(&e->lock);
}

/* A table of the @npages pages of @owner in segments @attach->dev takes. */
static inline int kmm_exporter_attach(struct kmm_exporter *e,
				      struct dma_buf_attachment *attach,
				      kmm_page_at_t page_at, const void *owner,
				      unsigned long npages)
{
	struct device *dev = attach->dev;
	struct kmm_attachment *a;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	/* Segments the device, and a bounce pool, take whole. */
	ret = kmm_sgt_from_pages(&a->sgt, page_at, owner, npages,
				 kmm_dma_max_segment(dev),
				 dma_get_seg_boundary(dev), GFP_KERNEL);
	if (ret) {
		kfree(a);
		return ret;
	}
	a->dev = dev;
	a->dir = DMA_NONE;
	attach->priv = a;
	mutex_lock(&e->lock);
	list_add(&a->node, &e->attachments);
	mutex_unlock(&e->lock);
	return 0;
}

static inline void kmm_exporter_detach(struct kmm_exporter *e,
				       struct dma_buf_attachment *attach)
{
	struct kmm_attachment *a = attach->priv;

	mutex_lock(&e->lock);
	list_del(&a->node);
	mutex_unlock(&e->lock);
	sg_free_table(&a->sgt);
	kfree(a);
}

/* One table, mapped once: a second map before the unmap is -EBUSY. */
static inline struct sg_table *
kmm_exporter_map(struct kmm_exporter *e, struct dma_buf_attachment *attach,
		 enum dma_data_direction dir)
{
	struct kmm_attachment *a = attach->priv;
	int ret = -EBUSY;

	mutex_lock(&e->lock);
	if (a->dir == DMA_NONE) {
		ret = dma_map_sgtable(a->dev, &a->sgt, dir, 0);
		if (!ret)
			a->dir = dir;
	}
	mutex_unlock(&e->lock);
	return ret ? ERR_PTR(ret) : &a->sgt;
}

static inline void kmm_exporter_unmap(struct kmm_exporter *e,
				      struct dma_buf_attachment *attach,
				      struct sg_table *sgt,
				      enum dma_data_direction dir)
{
	struct kmm_attachment *a = attach->priv;

	mutex_lock(&e->lock);
	dma_unmap_sgtable(a->dev, sgt, dir, 0);
	a->dir = DMA_NONE;
	mutex_unlock(&e->lock);
}

/*
 * begin/end_cpu_access: each mapped table in the direction it was mapped
 * for, as the DMA API wants (not the CPU's), and the kernel mapping.
 */
static inline void kmm_exporter_sync(struct kmm_exporter *e, size_t size,
				     bool for_cpu)
{
	struct kmm_attachment *a;

	mutex_lock(&e->lock);
	if (!for_cpu && e->vaddr)
		kmm_vmap_sync(e->vaddr, size, false);
	list_for_each_entry(a, &e->attachments, node) {
		if (a->dir == DMA_NONE)
			continue;
		if (for_cpu)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, a->dir);
		else
			dma_sync_sgtable_for_device(a->dev, &a->sgt, a->dir);
	}
	if (for_cpu && e->vaddr)
		kmm_vmap_sync(e->vaddr, size, true);
	mutex_unlock(&e->lock);
}

/**
 * kmm_dmabuf_to_user() - a new dma-buf to user space, as a file descriptor
 * @dmabuf: the dma-buf; its one reference goes to the fd, or is dropped
 * @fd_flags: %O_CLOEXEC or 0
 * @uarg: the ioctl's argument in user space
 * @arg: its kernel copy, copied out whole once @fd is set
 * @len: its size
 * @fd: the field of @arg the descriptor goes in
 *
 * The fd is installed last: from then on it is the caller's, and nothing
 * may fail.
 * Return: 0, or get_unused_fd_flags()'s errno or -EFAULT.
 */
static inline int kmm_dmabuf_to_user(struct dma_buf *dmabuf,
				     unsigned int fd_flags, void __user *uarg,
				     void *arg, size_t len, __s32 *fd)
{
	int ret = get_unused_fd_flags(fd_flags);

	if (ret < 0)
		goto put;
	*fd = ret;
	if (copy_to_user(uarg, arg, len)) {
		put_unused_fd(*fd);
		ret = -EFAULT;
		goto put;
	}
	fd_install(*fd, dmabuf->file);
	return 0;
put:
	dma_buf_put(dmabuf);
	return ret;
}

#endif /* KMM_DMABUF_H */
