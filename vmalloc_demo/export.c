// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo's buffer as a dma-buf: the same pages, handed to user space
 * as a file descriptor that a device driver (an importer) can attach to
 * and map for DMA, and that user space can mmap.
 *
 * The buffer is virtually contiguous and physically scattered, so an
 * importer gets a scatter-gather table of its pages (physically
 * contiguous pages merged into one entry as far as that device allows),
 * one table per attachment, mapped for that device with
 * dma_map_sgtable().  The CPU side needs nothing new: the buffer is
 * already in the kernel's address space (vmap hands out that address) and
 * its pages are ordinary pages, mapped to user space one by one as
 * /dev/vmalloc_demo maps them, so that a dma-buf mapping can be pinned
 * (O_DIRECT, io_uring fixed buffers) like any other.
 *
 * Lifetime: an export holds the buffer (&vmd_buf.holds), so the buffer
 * is not resized while a dma-buf of it lives; and the dma-buf holds the
 * module (exp_info.owner), so it is not unloaded either.  Both let go in
 * the release callback, after the last file reference, mapping and
 * attachment are gone.
 *
 * Locking: dma-buf may call map_dma_buf/unmap_dma_buf with the buffer's
 * reservation lock held.  Our own mutex, taken inside that lock and never
 * around it, guards the list of attachments and whether each is mapped,
 * for begin/end_cpu_access.
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

/*
 * One mapping per attachment at a time: a second map_dma_buf() before
 * the unmap is refused rather than mapping the same table twice.
 */
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

/*
 * DMA_BUF_IOCTL_SYNC and dma_buf_begin/end_cpu_access(): hand the pages
 * to the CPU and back for every importer that has them mapped.  Each is
 * synced in the direction it mapped for, as the DMA API requires (a
 * device that only reads has nothing to hand back, and the CPU's writes
 * still reach it at the end).
 */
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

/*
 * A mapping of the dma-buf holds its file, so the export (and with it the
 * hold on the buffer) outlives the mapping: no open/close to count.
 */
static const struct vm_operations_struct vmd_export_vm_ops = {
	.fault = vmd_export_fault,
};

/*
 * The pages are inserted as ordinary pages, as /dev/vmalloc_demo maps
 * them: the mapping is not VM_PFNMAP, so get_user_pages() and
 * pin_user_pages() work on it.  dma-buf has checked the range already.
 */
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
 * vmd_buf_export() - export a buffer as a dma-buf
 * @buf: the buffer; the caller serialises this against vmd_buf_resize()
 * @flags: the dma-buf file's access mode, %O_RDONLY or %O_RDWR (a
 *	read-only dma-buf cannot be mapped for writing)
 *
 * The dma-buf holds the buffer (it cannot be resized) and this module
 * until its release.  It is not yet in any file table: dma_buf_fd(), or
 * fd_install() of its file, gives it to user space; dma_buf_put() drops it.
 *
 * Return: the dma-buf, or ERR_PTR(): -EINVAL for other @flags, -EBUSY
 * while the buffer is being resized, -ENOMEM.
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
