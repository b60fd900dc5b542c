// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: pages handed out as dma-bufs (docs/dma-buf.md, The exporter's
 * side).  A buffer needs no device and outlives it; the dma-buf holds the
 * module.  What it keeps of its importers is kmm_dmabuf.h's.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "kmm_dmabuf.h"
#include "dma_demo.h"
#include "dma_demo_trace.h"

MODULE_IMPORT_NS(DMA_BUF);

#define DMA_DEMO_DMABUF_MAX_MB	4096

static unsigned int dmabuf_max_mb = 64;

static int dma_demo_set_max_mb(const char *val, const struct kernel_param *kp)
{
	/* EINVAL for anything else, ERANGE's overflow included. */
	return param_set_uint_minmax(val, kp, 1, DMA_DEMO_DMABUF_MAX_MB) ? -EINVAL : 0;
}

static const struct kernel_param_ops dma_demo_max_mb_ops = {
	.set = dma_demo_set_max_mb,
	.get = param_get_uint,
};
module_param_cb(dmabuf_max_mb, &dma_demo_max_mb_ops, &dmabuf_max_mb, 0644);
MODULE_PARM_DESC(dmabuf_max_mb, "Most MiB all live dma-bufs together may hold (default 64)");

/* Bytes the live buffers hold, against dmabuf_max_mb. */
static atomic64_t dma_demo_held = ATOMIC64_INIT(0);

/**
 * struct dma_demo_buf - one exported buffer
 * @pages: its pages, in order
 * @npages: how many
 * @exp: its importers, and its vmap while it has one
 */
struct dma_demo_buf {
	struct page **pages;
	pgoff_t npages;
	struct kmm_exporter exp;
};

static struct page *dma_demo_buf_page(const void *owner, unsigned long i)
{
	const struct dma_demo_buf *buf = owner;

	return buf->pages[i];
}

static int dma_demo_buf_attach(struct dma_buf *dmabuf,
			       struct dma_buf_attachment *attach)
{
	struct dma_demo_buf *buf = dmabuf->priv;
	struct kmm_attachment *a;
	int ret;

	ret = kmm_exporter_attach(&buf->exp, attach, dma_demo_buf_page, buf,
				  buf->npages);
	if (ret)
		return ret;
	a = attach->priv;
	trace_dma_demo_dmabuf_attach(attach, &a->sgt, DMA_NONE, 0);
	return 0;
}

static void dma_demo_buf_detach(struct dma_buf *dmabuf,
				struct dma_buf_attachment *attach)
{
	struct dma_demo_buf *buf = dmabuf->priv;
	struct kmm_attachment *a = attach->priv;

	trace_dma_demo_dmabuf_detach(attach, &a->sgt, DMA_NONE, 0);
	kmm_exporter_detach(&buf->exp, attach);
}

static struct sg_table *dma_demo_buf_map(struct dma_buf_attachment *attach,
					 enum dma_data_direction dir)
{
	struct dma_demo_buf *buf = attach->dmabuf->priv;
	struct kmm_attachment *a = attach->priv;
	struct sg_table *sgt;

	sgt = kmm_exporter_map(&buf->exp, attach, dir);
	trace_dma_demo_dmabuf_map(attach, &a->sgt, dir, PTR_ERR_OR_ZERO(sgt));
	return sgt;
}

static void dma_demo_buf_unmap(struct dma_buf_attachment *attach,
			       struct sg_table *sgt,
			       enum dma_data_direction dir)
{
	struct dma_demo_buf *buf = attach->dmabuf->priv;

	trace_dma_demo_dmabuf_unmap(attach, sgt, dir, 0);
	kmm_exporter_unmap(&buf->exp, attach, sgt, dir);
}

static int dma_demo_buf_begin_cpu(struct dma_buf *dmabuf,
				  enum dma_data_direction dir)
{
	struct dma_demo_buf *buf = dmabuf->priv;

	kmm_exporter_sync(&buf->exp, dmabuf->size, true);
	return 0;
}

static int dma_demo_buf_end_cpu(struct dma_buf *dmabuf,
				enum dma_data_direction dir)
{
	struct dma_demo_buf *buf = dmabuf->priv;

	kmm_exporter_sync(&buf->exp, dmabuf->size, false);
	return 0;
}

/* An ordinary, pinnable page; the vma's dma-buf file holds @buf. */
static vm_fault_t dma_demo_buf_fault(struct vm_fault *vmf)
{
	struct dma_demo_buf *buf = vmf->vma->vm_private_data;

	if (vmf->pgoff >= buf->npages)
		return VM_FAULT_SIGBUS;
	vmf->page = buf->pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct dma_demo_buf_vm_ops = {
	.fault = dma_demo_buf_fault,
};

/* The dma-buf core has checked that the range lies inside the buffer. */
static int dma_demo_buf_mmap(struct dma_buf *dmabuf,
			     struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;	/* private copies of a DMA buffer: no */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &dma_demo_buf_vm_ops;
	vma->vm_private_data = dmabuf->priv;
	return 0;
}

static int dma_demo_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct dma_demo_buf *buf = dmabuf->priv;
	void *vaddr;

	vaddr = vmap(buf->pages, buf->npages, VM_MAP, PAGE_KERNEL);
	if (!vaddr)
		return -ENOMEM;
	kmm_exporter_set_vaddr(&buf->exp, vaddr);
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void dma_demo_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct dma_demo_buf *buf = dmabuf->priv;

	kmm_exporter_set_vaddr(&buf->exp, NULL);
	vunmap(map->vaddr);
}

static void dma_demo_buf_free(struct dma_demo_buf *buf, pgoff_t npages)
{
	while (npages)
		__free_page(buf->pages[--npages]);
	kvfree(buf->pages);
	kmm_exporter_destroy(&buf->exp);
	kfree(buf);
}

/* The last user let go: no attachment, mapping or vmap is left. */
static void dma_demo_buf_release(struct dma_buf *dmabuf)
{
	struct dma_demo_buf *buf = dmabuf->priv;

	dma_demo_buf_free(buf, buf->npages);
	atomic64_sub(dmabuf->size, &dma_demo_held);
}

static const struct dma_buf_ops dma_demo_buf_ops = {
	.attach = dma_demo_buf_attach,
	.detach = dma_demo_buf_detach,
	.map_dma_buf = dma_demo_buf_map,
	.unmap_dma_buf = dma_demo_buf_unmap,
	.begin_cpu_access = dma_demo_buf_begin_cpu,
	.end_cpu_access = dma_demo_buf_end_cpu,
	.mmap = dma_demo_buf_mmap,
	.vmap = dma_demo_buf_vmap,
	.vunmap = dma_demo_buf_vunmap,
	.release = dma_demo_buf_release,
};

/* Charge dmabuf_max_mb.  Return: pages, or dma_demo_check_alloc()'s errno. */
static long dma_demo_charge(u64 size, u32 flags)
{
	u64 max = (u64)READ_ONCE(dmabuf_max_mb) << 20;
	s64 held = atomic64_read(&dma_demo_held);
	long npages;

	do {
		npages = dma_demo_check_alloc(size, flags, max, held);
		if (npages < 0)
			return npages;
	} while (!atomic64_try_cmpxchg(&dma_demo_held, &held,
				       held + ((u64)npages << PAGE_SHIFT)));
	return npages;
}

/* Already charged; quiet when memory is short: the caller gets ENOMEM. */
static struct dma_buf *dma_demo_buf_export(pgoff_t npages, u32 flags)
{
	const gfp_t gfp = GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT |
			  __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct dma_demo_buf *buf;
	struct dma_buf *dmabuf;
	pgoff_t i;
	int ret;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	kmm_exporter_init(&buf->exp, NULL);
	buf->pages = kvcalloc(npages, sizeof(*buf->pages),
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!buf->pages) {
		dma_demo_buf_free(buf, 0);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < npages; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto free;
		}
		buf->pages[i] = alloc_page(gfp);
		if (!buf->pages[i]) {
			ret = -ENOMEM;
			goto free;
		}
	}
	buf->npages = npages;

	exp_info.ops = &dma_demo_buf_ops;
	exp_info.size = (size_t)npages << PAGE_SHIFT;
	exp_info.flags = flags & O_ACCMODE;
	exp_info.priv = buf;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		goto free;
	}
	return dmabuf;

free:
	dma_demo_buf_free(buf, i);
	return ERR_PTR(ret);
}

/**
 * dma_demo_dmabuf_alloc() - a new buffer, exported, charged to the cap
 * @size: bytes, rounded up to pages
 * @flags: O_RDWR for a writable dma-buf; O_CLOEXEC is the caller's to use
 * Return: the dma-buf, its one reference the caller's, or an ERR_PTR:
 * -EINVAL, -ENOMEM, or -EINTR for a fatal signal.
 */
struct dma_buf *dma_demo_dmabuf_alloc(u64 size, u32 flags)
{
	struct dma_buf *dmabuf;
	long npages;

	npages = dma_demo_charge(size, flags);
	if (npages < 0)
		return ERR_PTR(npages);
	dmabuf = dma_demo_buf_export(npages, flags);
	/* Once exported, the release callback gives the charge back. */
	if (IS_ERR(dmabuf))
		atomic64_sub((u64)npages << PAGE_SHIFT, &dma_demo_held);
	return dmabuf;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_dmabuf_alloc);

/**
 * dma_demo_ioctl_alloc() - DMA_DEMO_IOC_ALLOC_DMABUF
 * @demo: the device of the file it came on
 * @uarg: struct dma_demo_alloc in user space
 * Return: 0, or an errno (see include/uapi/dma_demo.h).
 */
long dma_demo_ioctl_alloc(struct dma_demo_dev *demo,
			  struct dma_demo_alloc __user *uarg)
{
	struct dma_demo_alloc a;
	struct dma_buf *dmabuf;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (READ_ONCE(demo->gone))
		return -ENODEV;
	dmabuf = dma_demo_dmabuf_alloc(a.size, a.flags);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	a.size = dmabuf->size;
	return kmm_dmabuf_to_user(dmabuf, a.flags & O_CLOEXEC, uarg, &a,
				  sizeof(a), &a.fd);
}
