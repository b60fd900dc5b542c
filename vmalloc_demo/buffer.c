// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo's buffer, built by __vmalloc() or by alloc_page() and vmap()
 * (docs/vmalloc.md).  No file here: data moves through an iov_iter, so
 * read(2) and the KUnit suite share the code.  Callers serialise changes;
 * what hands the pages out holds the buffer, and a held one is not resized.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "vmalloc_demo.h"
#include "vmalloc_demo_trace.h"

/* Both backends: a quiet -ENOMEM, no OOM killer (docs/vmalloc.md). */
#define VMD_GFP	(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/**
 * vmd_valid_size() - can a buffer be @size bytes?
 * @size: a requested size in bytes, before rounding up to pages
 * Return: true for 1 to %VMALLOC_DEMO_MAX_SIZE bytes.
 */
bool vmd_valid_size(u64 size)
{
	return size && size <= VMALLOC_DEMO_MAX_SIZE;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_valid_size);

static void *vmd_alloc_vmalloc(unsigned long nr_pages, gfp_t gfp)
{
	return __vmalloc(nr_pages << PAGE_SHIFT, gfp | __GFP_ZERO);
}

static void vmd_free_pages(struct page **pages, unsigned long nr_pages)
{
	while (nr_pages--)
		__free_page(pages[nr_pages]);
	kvfree(pages);
}

static void *vmd_alloc_vmap(unsigned long nr_pages, gfp_t gfp,
			    struct page ***pagesp)
{
	struct page **pages;
	unsigned long i;
	void *vaddr;

	pages = kvcalloc(nr_pages, sizeof(*pages), gfp);
	if (!pages)
		return NULL;

	for (i = 0; i < nr_pages; i++) {
		pages[i] = alloc_page(gfp | __GFP_ZERO);
		if (!pages[i])
			goto free_pages;
		cond_resched();
	}

	vaddr = vmap(pages, nr_pages, VM_MAP, PAGE_KERNEL);
	if (!vaddr)
		goto free_pages;
	*pagesp = pages;
	return vaddr;

free_pages:
	vmd_free_pages(pages, i);
	return NULL;
}

/**
 * vmd_buf_alloc() - allocate a zeroed buffer
 * @buf: the buffer, empty; filled in on success, untouched on failure
 * @backend: how to build it
 * @size: its size in bytes, rounded up to whole pages
 * @account: charge it to the caller's memory cgroup (a user's resize)
 * Return: 0, -EINVAL for a bad @size or @backend, or -ENOMEM.
 */
int vmd_buf_alloc(struct vmd_buf *buf, enum vmd_backend backend, u64 size,
		  bool account)
{
	gfp_t gfp = VMD_GFP | (account ? __GFP_ACCOUNT : 0);
	struct page **pages = NULL;
	unsigned long nr_pages;
	void *vaddr;

	if (!vmd_valid_size(size))
		return -EINVAL;
	nr_pages = DIV_ROUND_UP_ULL(size, PAGE_SIZE);
	/* More than the machine has: fail now, before vmalloc complains. */
	if (nr_pages > totalram_pages())
		return -ENOMEM;

	switch (backend) {
	case VMD_VMALLOC:
		vaddr = vmd_alloc_vmalloc(nr_pages, gfp);
		break;
	case VMD_VMAP:
		vaddr = vmd_alloc_vmap(nr_pages, gfp, &pages);
		break;
	default:
		return -EINVAL;
	}
	if (!vaddr)
		return -ENOMEM;

	buf->vaddr = vaddr;
	buf->size = nr_pages << PAGE_SHIFT;
	buf->nr_pages = nr_pages;
	buf->pages = pages;
	buf->backend = backend;
	kmm_guard_init(&buf->holds);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_alloc);

/**
 * vmd_buf_free() - free a buffer's memory and leave it empty, to free again
 * @buf: the buffer; nothing may still use its memory (no holds)
 */
void vmd_buf_free(struct vmd_buf *buf)
{
	WARN_ON_ONCE(kmm_guard_holds(&buf->holds));
	if (buf->pages) {
		vunmap(buf->vaddr);
		vmd_free_pages(buf->pages, buf->nr_pages);
	} else {
		vfree(buf->vaddr);
	}
	buf->vaddr = NULL;
	buf->size = 0;
	buf->nr_pages = 0;
	buf->pages = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_free);

/**
 * vmd_buf_resize() - give a buffer a new size, keeping its data
 * @buf: the buffer; the caller serialises it against reads and writes
 * @size: the new size in bytes, rounded up to whole pages
 * Return: 0, -EBUSY while held, -EINVAL, or -ENOMEM; @buf as it was on error.
 */
int vmd_buf_resize(struct vmd_buf *buf, u64 size)
{
	struct vmd_buf new;
	int ret;

	if (kmm_guard_freeze(&buf->holds))
		return -EBUSY;

	ret = vmd_buf_alloc(&new, buf->backend, size, true);
	if (!ret) {
		memcpy(new.vaddr, buf->vaddr, min(new.size, buf->size));
		vmd_buf_free(buf);
		buf->vaddr = new.vaddr;
		buf->size = new.size;
		buf->nr_pages = new.nr_pages;
		buf->pages = new.pages;
	}
	kmm_guard_thaw(&buf->holds);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_resize);

/**
 * vmd_buf_page() - the page behind page @index of a buffer
 * @buf: the buffer
 * @index: a page index in it
 * Return: the page (no reference taken), or NULL past the end.
 */
struct page *vmd_buf_page(const struct vmd_buf *buf, unsigned long index)
{
	if (index >= buf->nr_pages)
		return NULL;
	if (buf->pages)
		return buf->pages[index];
	return vmalloc_to_page(buf->vaddr + (index << PAGE_SHIFT));
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_page);

/* Is @pfn the frame right after @prev?  Not when @prev + 1 would wrap. */
static bool vmd_pfn_follows(unsigned long prev, unsigned long pfn)
{
	return prev != ULONG_MAX && pfn == prev + 1;
}

/**
 * vmd_count_runs() - runs of consecutive page frame numbers
 * @pfn_at: the PFN of each page
 * @owner: handed to @pfn_at
 * @n: pages
 * Return: the number of runs, 1 for contiguous pages, 0 for none.
 */
unsigned long vmd_count_runs(vmd_pfn_at_t pfn_at, const void *owner,
			     unsigned long n)
{
	unsigned long i, pfn, prev = 0, runs = 0;

	for (i = 0; i < n; i++, prev = pfn) {
		pfn = pfn_at(owner, i);
		if (!i || !vmd_pfn_follows(prev, pfn))
			runs++;
	}
	return runs;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_count_runs);

static unsigned long vmd_buf_pfn(const void *buf, unsigned long i)
{
	return page_to_pfn(vmd_buf_page(buf, i));
}

/* Runs of physically contiguous pages: 1 to @buf->nr_pages, 0 when empty. */
unsigned long vmd_buf_runs(const struct vmd_buf *buf)
{
	return vmd_count_runs(vmd_buf_pfn, buf, buf->nr_pages);
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_runs);

/**
 * vmd_buf_insert_pages() - insert the pages of a buffer into a user mapping
 * @buf: the buffer; it must not change while the mapping lives
 * @vma: the mapping; its offset (vm_pgoff) and length pick the part
 * Return: 0, -EINVAL outside the buffer, or vm_insert_page()'s -ENOMEM;
 * mmap() then fails, and the core unmaps what was mapped.
 */
int vmd_buf_insert_pages(const struct vmd_buf *buf,
			 struct vm_area_struct *vma)
{
	unsigned long addr, pgoff = vma->vm_pgoff;
	int ret;

	ret = kmm_check_mmap_range(buf->size, pgoff, vma->vm_end - vma->vm_start);
	if (ret)
		return ret;
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		ret = vm_insert_page(vma, addr, vmd_buf_page(buf, pgoff++));
		if (ret)
			return ret;
	}
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

/**
 * vmd_buf_fault() - map a page of a buffer again after it was zapped
 * @buf: the buffer; the mapping holds it unchanged, so no lock is needed
 * @vmf: the fault
 * Return: 0 with a reference in @vmf->page, or %VM_FAULT_SIGBUS past the end.
 */
vm_fault_t vmd_buf_fault(const struct vmd_buf *buf, struct vm_fault *vmf)
{
	struct page *page = vmd_buf_page(buf, vmf->pgoff);

	if (!page) {
		trace_vmalloc_demo_fault(vmf, VM_FAULT_SIGBUS);
		return VM_FAULT_SIGBUS;
	}
	get_page(page);
	vmf->page = page;
	trace_vmalloc_demo_fault(vmf, 0);
	return 0;
}

/* vmd_buf_page() as a kmm_page_at_t, for kmm_sgt_from_pages(). */
struct page *vmd_sg_page(const void *buf, unsigned long i)
{
	return vmd_buf_page(buf, i);
}
EXPORT_SYMBOL_IF_KUNIT(vmd_sg_page);

/**
 * vmd_buf_copy() - copy data out of a buffer, or into it
 * @buf: the buffer
 * @pos: where to start, not negative
 * @iter: where the data goes, or comes from; its count is how much
 * @write: true to copy from @iter into @buf, as the file op that called says
 * Return: the bytes copied, short at the end; 0 for a read at or past the
 * end, -ENOSPC for a write there; -EFAULT if none could be copied,
 * -EINVAL for a negative @pos.
 */
ssize_t vmd_buf_copy(struct vmd_buf *buf, loff_t pos, struct iov_iter *iter,
		     bool write)
{
	ssize_t count = kmm_rw_clamp(pos, iov_iter_count(iter), buf->size, write);
	size_t copied;

	if (count <= 0)
		return count;
	if (write)
		copied = copy_from_iter(buf->vaddr + pos, count, iter);
	else
		copied = copy_to_iter(buf->vaddr + pos, count, iter);
	return copied ? copied : -EFAULT;
}
EXPORT_SYMBOL_IF_KUNIT(vmd_buf_copy);
