/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernels this project builds for (Debian's
 * 6.1 and 6.12), in one place, so that the drivers are written against
 * today's API and read as modern code.  Each entry names the release that
 * changed the interface.
 */
#ifndef KMM_COMPAT_H
#define KMM_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/uio.h>

/*
 * KMM_MAX_ORDER: the largest order the buddy allocator hands out.  Until
 * 6.4 MAX_ORDER was one past it; 6.4 made MAX_ORDER inclusive and 6.8
 * renamed it MAX_PAGE_ORDER.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define KMM_MAX_ORDER	MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define KMM_MAX_ORDER	MAX_ORDER
#else
#define KMM_MAX_ORDER	(MAX_ORDER - 1)
#endif

/* 6.3 made vma->vm_flags read-only and added accessors to change it. */
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

/*
 * KMM_HAVE_PMD_PFNMAP: a fault handler may map a PMD's worth of memory
 * with one entry, vmf_insert_pfn_pmd() in a VM_MIXEDMAP or VM_PFNMAP VMA,
 * the entry marked special.  6.12 gave PMD entries the special bit PTEs
 * have (huge pfn mappings, first for vfio-pci's BARs): mapping, fork and
 * zap take no page reference or mapcount for it, vm_normal_page_pmd()
 * finds no page, GUP-fast leaves it to the slow path, and that one takes
 * its references on the folio the entry points into (so in a VM_MIXEDMAP
 * VMA the memory must be one compound page: scullp's quanta are).  Before
 * 6.12 such an entry of ordinary memory was no different from a
 * transparent huge page's, with the rmap and mapcount a driver's pages do
 * not have; only device memory (devmap, DAX) was mapped by PMD.  The option
 * exists from 6.12 on, where the architecture has the bit.
 */
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#define KMM_HAVE_PMD_PFNMAP 1
#endif

/* PMD_ORDER: a PMD entry's span as a page order; 6.12 has it, 6.1 not. */
#ifndef PMD_ORDER
#define PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#endif

/*
 * kunit_vm_mmap() lets a KUnit test map user memory in its own mm; 6.12's
 * KUnit has it, 6.1's does not (there the probes cover user copies).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define KMM_HAVE_KUNIT_VM_MMAP 1
#endif

/*
 * kmm_splice_read: the .splice_read of a file that has only ->read_iter().
 * Until 6.5 generic_file_splice_read() called ->read_iter() with an
 * iterator over the pipe itself (ITER_PIPE); 6.5 gave that name's work to
 * the page cache (filemap_splice_read()) and left other files
 * copy_splice_read(), which reads into pages of its own and hands them
 * to the pipe.  Writes go through iter_file_splice_write() on both.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define kmm_splice_read	copy_splice_read
#else
#define kmm_splice_read	generic_file_splice_read
#endif

/*
 * kunit_add_action_or_reset() (6.5) calls a function when a test ends,
 * however it ends (a failed assertion included), or at once if it cannot
 * be registered.  Before 6.5 a test-managed resource does the same.
 */
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

/* kunit_device_register(), a struct device for a test to own, came in 6.8. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define KMM_HAVE_KUNIT_DEVICE 1
#endif

/* 6.8 renamed PCI_IRQ_LEGACY (INTx interrupts) to PCI_IRQ_INTX. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#include <linux/pci.h>
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * pcim_iomap_region() requests and maps one BAR, both undone by pcim when
 * the driver is unbound.  6.12 made it public and deprecated
 * pcim_iomap_regions() and pcim_iomap_table(), the way to the same
 * mapping before it.
 */
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

/**
 * kmm_iter_user_seg() - the user memory an iterator is at
 * @i: a user-backed iterator (ITER_UBUF or ITER_IOVEC)
 * @len: set to the bytes left in its current segment
 *
 * ITER_UBUF is one segment: its bytes left are the count (6.4's
 * iter_iov_len() reads the segment's length there, which is the count
 * only before the first advance).  ITER_IOVEC: the current iovec.
 *
 * Return: the user address of the iterator's next byte.
 */
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

/*
 * 6.2 made the dma-buf core take the reservation lock around the
 * exporter's vmap, and added the _unlocked calls for importers that do
 * not hold it; 6.1's dma_buf_vmap() takes a mutex of its own.  Debian's
 * 6.1 has the _unlocked attachment calls already (a stable update).
 */
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
