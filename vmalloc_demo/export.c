// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo's buffer as a dma-buf: its own pages, one scatter-gather
 * table per attachment (docs/vmalloc.md, "The dma-buf export").
 *
 * An export holds the buffer (no resize) and the module until release.
 * map_dma_buf/unmap_dma_buf may run under the reservation lock: our mutex
 * is taken inside it, never around it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/iosys-map.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "vmalloc_demo.h"
#include "vmalloc_demo_trace.h"

MODULE_IMPORT_NS(DMA_BUF);

/**
 * struct vmd_export - one dma-buf of the buffer (dma_buf.priv)
 * @buf: the buffer, held for as long as the dma-buf lives
 * @lock: guards @attachments and each attachment's @dir
 * @attachments: the importers' attachments (struct vmd_attachment)
 */
struct vmd_export {
	struct vmd_buf *buf;
	struct mutex lock;	/* guards attachments */
	struct list_head attachments;
};

/**
 * struct vmd_attachment - one importer's view (dma_buf_attachment.priv)
 * @dev: the importing device
 * @sgt: the buffer's pages, within @dev's segment limits
 * @dir: the direction @sgt is mapped for, %DMA_NONE while it is not
 * @node: in vmd_export.attachments
 */
struct vmd_attachment {
	struct device *dev;
	struct sg_table sgt;
	enum dma_data_direction dir;
	struct list_head node;
};

static int vmd_export_attach(struct dma_buf *dmabuf,
			     struct dma_buf_attachment *attach)
{
	struct vmd_export *exp = dmabuf->priv;
	struct vmd_attachment *a;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	ret = vmd_buf_to_sgt(exp->buf, &a->sgt,
			     kmm_dma_max_segment(attach->dev),
			     dma_get_seg_boundary(attach->dev));
	if (ret) {
		kfree(a);
		return ret;
	}
	a->dev = attach->dev;
	a->dir = DMA_NONE;
	attach->priv = a;

	mutex_lock(&exp->lock);
	list_add(&a->node, &exp->attachments);
	mutex_unlock(&exp->lock);
	trace_vmalloc_demo_dmabuf_attach(attach, &a->sgt, DMA_NONE, 0);
	return 0;
}

static void vmd_export_detach(struct dma_buf *dmabuf,
			      struct dma_buf_attachment *attach)
{
	struct vmd_export *exp = dmabuf->priv;
	struct vmd_attachment *a = attach->priv;

	mutex_lock(&exp->lock);
	list_del(&a->node);
	mutex_unlock(&exp->lock);
	trace_vmalloc_demo_dmabuf_detach(attach, &a->sgt, DMA_NONE, 0);
	sg_free_table(&a->sgt);
	kfree(a);
}

/* A second map before the unmap is refused: one table, mapped once. */
static struct sg_table *vmd_export_map(struct dma_buf_attachment *attach,
				       enum dma_data_direction dir)
{
	struct vmd_export *exp = attach->dmabuf->priv;
	struct vmd_attachment *a = attach->priv;
	int ret = -EBUSY;

	mutex_lock(&exp->lock);
	if (a->dir == DMA_NONE) {
		ret = dma_map_sgtable(a->dev, &a->sgt, dir, 0);
		if (!ret)
			a->dir = dir;
	}
	/* Under the lock: the table's nents are this map's, not a later one's. */
	trace_vmalloc_demo_dmabuf_map(attach, &a->sgt, dir, ret);
	mutex_unlock(&exp->lock);
	return ret ? ERR_PTR(ret) : &a->sgt;
}

static void vmd_export_unmap(struct dma_buf_attachment *attach,
			     struct sg_table *sgt, enum dma_data_direction dir)
{
	struct vmd_export *exp = attach->dmabuf->priv;
	struct vmd_attachment *a = attach->priv;

	mutex_lock(&exp->lock);
	trace_vmalloc_demo_dmabuf_unmap(attach, sgt, dir, 0);
	dma_unmap_sgtable(a->dev, sgt, dir, 0);
	a->dir = DMA_NONE;
	mutex_unlock(&exp->lock);
}

/* Each mapped attachment is synced in the direction it was mapped for. */
static int vmd_export_begin_cpu(struct dma_buf *dmabuf,
				enum dma_data_direction dir)
{
	struct vmd_export *exp = dmabuf->priv;
	struct vmd_attachment *a;

	mutex_lock(&exp->lock);
	list_for_each_entry(a, &exp->attachments, node)
		if (a->dir != DMA_NONE)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, a->dir);
	kmm_vmap_sync(exp->buf->vaddr, exp->buf->size, true);
	mutex_unlock(&exp->lock);
	return 0;
}

static int vmd_export_end_cpu(struct dma_buf *dmabuf,
			      enum dma_data_direction dir)
{
	struct vmd_export *exp = dmabuf->priv;
	struct vmd_attachment *a;

	mutex_lock(&exp->lock);
	kmm_vmap_sync(exp->buf->vaddr, exp->buf->size, false);
	list_for_each_entry(a, &exp->attachments, node)
		if (a->dir != DMA_NONE)
			dma_sync_sgtable_for_device(a->dev, &a->sgt, a->dir);
	mutex_unlock(&exp->lock);
	return 0;
}

static vm_fault_t vmd_export_fault(struct vm_fault *vmf)
{
	return vmd_buf_fault(vmf->vma->vm_private_data, vmf);
}

/* A mapping holds the dma-buf's file, and so the export: nothing to count. */
static const struct vm_operations_struct vmd_export_vm_ops = {
	.fault = vmd_export_fault,
};

/* Ordinary pages, as /dev/vmalloc_demo maps them: the mapping can be pinned. */
static int vmd_export_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct vmd_export *exp = dmabuf->priv;
	int ret;

	/* The mapping shows the buffer itself: private copies are refused. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	ret = vmd_buf_insert_pages(exp->buf, vma);
	if (ret)
		return ret;
	vma->vm_ops = &vmd_export_vm_ops;
	vma->vm_private_data = exp->buf;
	return 0;
}

/* The buffer is mapped in the kernel for as long as it lives. */
static int vmd_export_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct vmd_export *exp = dmabuf->priv;

	iosys_map_set_vaddr(map, exp->buf->vaddr);
	return 0;
}

static void vmd_export_release(struct dma_buf *dmabuf)
{
	struct vmd_export *exp = dmabuf->priv;

	kmm_guard_put(&exp->buf->holds);
	mutex_destroy(&exp->lock);
	kfree(exp);
}

static const struct dma_buf_ops vmd_export_ops = {
	.attach = vmd_export_attach,
	.detach = vmd_export_detach,
	.map_dma_buf = vmd_export_map,
	.unmap_dma_buf = vmd_export_unmap,
	.begin_cpu_access = vmd_export_begin_cpu,
	.end_cpu_access = vmd_export_end_cpu,
	.mmap = vmd_export_mmap,
	.vmap = vmd_export_vmap,
	.release = vmd_export_release,
};

/**
 * vmd_buf_export() - export a buffer as a dma-buf, in no file table yet
 * @buf: the buffer; the caller serialises this against vmd_buf_resize()
 * @flags: the dma-buf file's access mode, %O_RDONLY or %O_RDWR
 * Return: the dma-buf (dma_buf_put() drops it), or ERR_PTR(): -EINVAL for
 * other @flags, -EBUSY while the buffer is being resized, -ENOMEM.
 */
struct dma_buf *vmd_buf_export(struct vmd_buf *buf, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct vmd_export *exp;
	struct dma_buf *dmabuf;

	if (flags != O_RDONLY && flags != O_RDWR)
		return ERR_PTR(-EINVAL);

	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return ERR_PTR(-ENOMEM);
	if (!kmm_guard_tryget(&buf->holds)) {
		kfree(exp);
		return ERR_PTR(-EBUSY);
	}
	exp->buf = buf;
	mutex_init(&exp->lock);
	INIT_LIST_HEAD(&exp->attachments);

	/* exp_info.owner is THIS_MODULE: the dma-buf holds the module. */
	exp_info.ops = &vmd_export_ops;
	exp_info.size = buf->size;
	exp_info.flags = flags;
	exp_info.priv = exp;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		kmm_guard_put(&buf->holds);
		mutex_destroy(&exp->lock);
		kfree(exp);
	}
	return dmabuf;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_export);
