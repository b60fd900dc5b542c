/* SPDX-License-Identifier: GPL-2.0 */
/* Today's API on 6.1 too: one line per change, named by release. */
#ifndef KMM_COMPAT_H
#define KMM_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/uio.h>

/* Largest buddy order. 6.4: MAX_ORDER made inclusive; 6.8: MAX_PAGE_ORDER. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define KMM_MAX_ORDER	MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define KMM_MAX_ORDER	MAX_ORDER
#else
#define KMM_MAX_ORDER	(MAX_ORDER - 1)
#endif

/* 6.3: vma->vm_flags is read-only, changed through vm_flags_set()/clear(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/* 6.12: special PMD entries (huge pfnmap); see docs/scullp.md, PMD mappings. */
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#define KMM_HAVE_PMD_PFNMAP 1
#endif

/* 6.12 has PMD_ORDER, a PMD's span as a page order; 6.1 not. */
#ifndef PMD_ORDER
#define PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#endif

/* 6.12: kunit_vm_mmap() (on 6.1 the probes cover user copies). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define KMM_HAVE_KUNIT_VM_MMAP 1
#endif

/* 6.5: a file with only ->read_iter() splices through copy_splice_read(). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define kmm_splice_read	copy_splice_read
#else
#define kmm_splice_read	generic_file_splice_read
#endif

/* 6.5: kunit_add_action_or_reset(); before, a test-managed resource. */
#if IS_ENABLED(CONFIG_KUNIT) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#include <kunit/resource.h>
#include <linux/slab.h>

struct kmm_kunit_action {
	void (*action)(void *ctx);
	void *ctx;
};

static inline void kmm_kunit_action_free(struct kunit_resource *res)
{
	struct kmm_kunit_action *a = res->data;

	a->action(a->ctx);
	kfree(a);
}

static inline int kunit_add_action_or_reset(struct kunit *test,
					    void (*action)(void *), void *ctx)
{
	struct kmm_kunit_action *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (a) {
		a->action = action;
		a->ctx = ctx;
		if (kunit_alloc_resource(test, NULL, kmm_kunit_action_free,
					 GFP_KERNEL, a))
			return 0;
		kfree(a);
	}
	action(ctx);
	return -ENOMEM;
}
#endif

/* 6.6: KUNIT_ARRAY_PARAM_DESC(), each parameter named by one of its members. */
#if IS_ENABLED(CONFIG_KUNIT) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0) && \
	!defined(KUNIT_ARRAY_PARAM_DESC)
#define KUNIT_ARRAY_PARAM_DESC(name, array, member)			\
static const void *name##_gen_params(const void *prev, char *desc)	\
{									\
	const typeof(array) *all = &(array);				\
	size_t i = prev ? (typeof(&(*all)[0]))prev - *all + 1 : 0;	\
									\
	if (i >= ARRAY_SIZE(*all))					\
		return NULL;						\
	strscpy(desc, (*all)[i].member, KUNIT_PARAM_DESC_SIZE);		\
	return &(*all)[i];						\
}
#endif

/* 6.8: kunit_device_register(). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define KMM_HAVE_KUNIT_DEVICE 1
#endif

/* 6.8: PCI_IRQ_LEGACY renamed PCI_IRQ_INTX. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#include <linux/pci.h>
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/* 6.12: pcim_iomap_region() replaces pcim_iomap_regions()/_table(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <linux/io.h>
#include <linux/pci.h>
static inline void __iomem *pcim_iomap_region(struct pci_dev *pdev, int bar,
					      const char *name)
{
	int ret = pcim_iomap_regions(pdev, BIT(bar), name);

	return ret ? IOMEM_ERR_PTR(ret) : pcim_iomap_table(pdev)[bar];
}
#endif

/* 6.4: iter_iov_addr()/_len(), but _len() of a ubuf that advanced is short. */
static inline void __user *
kmm_iter_user_seg(const struct iov_iter *i, size_t *len)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
	struct iovec v;
#endif

	if (iter_is_ubuf(i)) {
		*len = iov_iter_count(i);
		return i->ubuf + i->iov_offset;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	*len = min(iov_iter_count(i), iter_iov_len(i));
	return iter_iov_addr(i);
#else
	v = iov_iter_iovec(i);
	*len = v.iov_len;
	return v.iov_base;
#endif
}

/* 6.2: dma_buf_vmap_unlocked(); Debian's 6.1 has the other _unlocked calls. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#include <linux/dma-buf.h>
static inline int dma_buf_vmap_unlocked(struct dma_buf *dmabuf,
					struct iosys_map *map)
{
	return dma_buf_vmap(dmabuf, map);
}

static inline void dma_buf_vunmap_unlocked(struct dma_buf *dmabuf,
					   struct iosys_map *map)
{
	dma_buf_vunmap(dmabuf, map);
}
#endif

#endif /* KMM_COMPAT_H */
