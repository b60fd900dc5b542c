/* SPDX-License-Identifier: GPL-2.0 */
/* Fault windows and PMD spans (docs/scullp.md, Prefault windows). */
#ifndef KMM_PREFAULT_H
#define KMM_PREFAULT_H

#include <linux/align.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/types.h>

/**
 * struct kmm_window - the pages one fault maps
 * @addr: user address of the first page
 * @pgoff: file page offset of the first page
 * @nr: number of pages, the faulting one included; 0 if it is past @limit
 */
struct kmm_window {
	unsigned long addr;
	pgoff_t pgoff;
	unsigned long nr;
};

/**
 * kmm_fault_window() - the window of pages a fault maps
 * @addr: the faulting address
 * @vm_start: start of the VMA
 * @vm_end: end of the VMA
 * @vm_pgoff: file page offset of @vm_start
 * @limit: first file page offset with nothing to map
 * @window: pages per fault, a power of two from 1 to PTRS_PER_PTE
 * Return: the window, @window-aligned, clipped to the VMA and to @limit.
 */
static inline struct kmm_window kmm_fault_window(unsigned long addr,
						 unsigned long vm_start,
						 unsigned long vm_end,
						 pgoff_t vm_pgoff, pgoff_t limit,
						 unsigned int window)
{
	unsigned long span = (unsigned long)window << PAGE_SHIFT;
	unsigned long start = max(ALIGN_DOWN(addr, span), vm_start);
	unsigned long end = min(ALIGN_DOWN(addr, span) + span, vm_end);
	pgoff_t pgoff = vm_pgoff + ((start - vm_start) >> PAGE_SHIFT);
	unsigned long nr = (end - start) >> PAGE_SHIFT;
	pgoff_t fault = vm_pgoff + ((addr - vm_start) >> PAGE_SHIFT);

	if (fault >= limit)
		return (struct kmm_window){ addr & PAGE_MASK, fault, 0 };
	if (pgoff + nr > limit)
		nr = limit - pgoff;
	return (struct kmm_window){ start, pgoff, nr };
}

/**
 * kmm_fault_pmd() - the PMD-sized span a fault can map with one entry
 * @addr: the faulting address
 * @vm_start: start of the VMA
 * @vm_end: end of the VMA
 * @vm_pgoff: file page offset of @vm_start
 * @limit: first file page offset with nothing to map
 * @order: memory comes in blocks of 1 << @order pages, aligned in RAM and file
 * Return: the span, PMD-aligned in the VMA, in one block and before @limit;
 * or @nr 0, and the fault goes page by page.
 */
static inline struct kmm_window kmm_fault_pmd(unsigned long addr,
					      unsigned long vm_start,
					      unsigned long vm_end,
					      pgoff_t vm_pgoff, pgoff_t limit,
					      unsigned int order)
{
	const unsigned long nr = PMD_SIZE >> PAGE_SHIFT;
	unsigned long start = addr & PMD_MASK;
	pgoff_t pgoff = vm_pgoff + ((start - vm_start) >> PAGE_SHIFT);
	struct kmm_window none = { addr & PAGE_MASK, 0, 0 };

	if (order < PMD_SHIFT - PAGE_SHIFT || start < vm_start ||
	    vm_end - start < PMD_SIZE)
		return none;
	if (!IS_ALIGNED(pgoff, nr) || pgoff >= limit || limit - pgoff < nr)
		return none;
	return (struct kmm_window){ start, pgoff, nr };
}

/* The page at file page offset @pgoff of @owner, or NULL for a hole. */
typedef struct page *(*kmm_pgoff_page_t)(void *owner, pgoff_t pgoff);

/**
 * kmm_prefault() - map a fault's window, all but the faulting page
 * @vma: the faulting VMA, VM_MIXEDMAP
 * @addr: the faulting address; its page is the caller's to map
 * @w: the window (kmm_fault_window())
 * @page_at: the page behind each offset of the window
 * @owner: handed to @page_at
 *
 * Best effort, as fault-around: a page mapped already or a hole is
 * skipped, any other failure ends the window.
 * Return: the pages inserted.
 */
static inline unsigned long kmm_prefault(struct vm_area_struct *vma,
					 unsigned long addr,
					 const struct kmm_window *w,
					 kmm_pgoff_page_t page_at, void *owner)
{
	unsigned long i, mapped = 0;

	for (i = 0; i < w->nr; i++) {
		unsigned long at = w->addr + (i << PAGE_SHIFT);
		struct page *page;
		int ret;

		if (at == (addr & PAGE_MASK))
			continue;
		page = page_at(owner, w->pgoff + i);
		if (!page)
			continue;
		ret = vm_insert_page(vma, at, page);
		if (!ret)
			mapped++;
		else if (ret != -EBUSY)	/* -EBUSY: a racing fault mapped it */
			break;
	}
	return mapped;
}

/* A window parameter: a power of two, 1 to PTRS_PER_PTE pages. */
static inline int kmm_param_set_window(const char *val,
				       const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (!n || n > PTRS_PER_PTE || !is_power_of_2(n))
		return -EINVAL;
	*(unsigned int *)kp->arg = n;
	return 0;
}

#endif /* KMM_PREFAULT_H */
