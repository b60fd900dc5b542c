// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo's buffer as a dma-buf: its own pages, one scatter-gather
 * table per attachment (docs/vmalloc.md, "The dma-buf export").
 *
 * An export holds the buffer (no resize) and the module until release;
 * what it keeps of its importers is kmm_dmabuf.h's.
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
#include "kmm_dmabuf.h"
#include "vmalloc_demo.h"
#include "vmalloc_demo_trace.h"

MODULE_IMPORT_NS(DMA_BUF);

/**
 * struct vmd_export - one dma-buf of the buffer (dma_buf.priv)
 * @buf: the buffer, held for as long as the dma-buf lives
 * @exp: its importers; its kernel mapping is the buffer's own
 */
struct vmd_export {
	struct vmd_buf *buf;
	struct kmm_exporter exp;
};

static int vmd_export_attach(struct dma_buf *dmabuf,
			     struct dma_buf_attachment *attach)
{
	struct vmd_export *exp = dmabuf->priv;
	struct kmm_attachment *a;
	int ret;

	ret = kmm_exporter_attach(&exp->exp, attach, vmd_sg_page, exp->buf,
				  exp->buf->nr_pages);
	if (ret)
		return ret;
	a = attach->priv;
	trace_vmalloc_demo_dmabuf_attach(attach, &a->sgt, DMA_NONE, 0);
	return 0;
}

static void vmd_export_detach(struct dma_buf *dmabuf,
			      struct dma_buf_attachment *attach)
{
	struct vmd_export *exp = dmabuf->priv;
	struct kmm_attachment *a = attach->priv;

	trace_vmalloc_demo_dmabuf_detach(attach, &a->sgt, DMA_NONE, 0);
	kmm_exporter_detach(&exp->exp, attach);
}

static struct sg_table *vmd_export_map(struct dma_buf_attachment *attach,
				       enum dma_data_direction dir)
{
	struct vmd_export *exp = attach->dmabuf->priv;
	struct kmm_attachment *a = attach->priv;
	struct sg_table *sgt;

	sgt = kmm_exporter_map(&exp->exp, attach, dir);
	trace_vmalloc_demo_dmabuf_map(attach, &a->sgt, dir, PTR_ERR_OR_ZERO(sgt));
	return sgt;
}

static void vmd_export_unmap(struct dma_buf_attachment *attach,
			     struct sg_table *sgt, enum dma_data_direction dir)
{
	struct vmd_export *exp = attach->dmabuf->priv;

	trace_vmalloc_demo_dmabuf_unmap(attach, sgt, dir, 0);
	kmm_exporter_unmap(&exp->exp, attach, sgt, dir);
}

static int vmd_export_begin_cpu(struct dma_buf *dmabuf,
				enum dma_data_direction dir)
{
	struct vmd_export *exp = dmabuf->priv;

	kmm_exporter_sync(&exp->exp, exp->buf->size, true);
	return 0;
}

static int vmd_export_end_cpu(struct dma_buf *dmabuf,
			      enum dma_data_direction dir)
{
	struct vmd_export *exp = dmabuf->priv;

	kmm_exporter_sync(&exp->exp, exp->buf->size, false);
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
	kmm_exporter_destroy(&exp->exp);
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
	kmm_exporter_init(&exp->exp, buf->vaddr);

	/* exp_info.owner is THIS_MODULE: the dma-buf holds the module. */
	exp_info.ops = &vmd_export_ops;
	exp_info.size = buf->size;
	exp_info.flags = flags;
	exp_info.priv = exp;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		kmm_guard_put(&buf->holds);
		kmm_exporter_destroy(&exp->exp);
		kfree(exp);
	}
	return dmabuf;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_export);
