// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo's buffer, behind the three nodes.  No lock: the pages live from
 * load to unload (a file or a mapping holds the module), racing stores are
 * the users' business as in any shared memory, and the counters are atomic.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "kmm_prefault.h"
#include "kmm_rules.h"
#include "mmap_demo.h"

/**
 * mmap_demo_buf_alloc() - allocate a zeroed buffer of single pages
 * @buf: the buffer to fill in
 * @npages: its size in pages, 1 to %MMAP_DEMO_NPAGES_MAX
 * Return: 0, -EINVAL for a bad size or -ENOMEM, in which case nothing
 * stays allocated and @buf is left empty.
 */
int mmap_demo_buf_alloc(struct mmap_demo_buf *buf, unsigned long npages)
{
	unsigned long i;

	buf->pages = NULL;
	buf->npages = 0;
	if (!npages || npages > MMAP_DEMO_NPAGES_MAX)
		return -EINVAL;

	buf->pages = kvcalloc(npages, sizeof(*buf->pages), GFP_KERNEL);
	if (!buf->pages)
		return -ENOMEM;
	for (i = 0; i < npages; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!buf->pages[i])
			goto free_pages;
		cond_resched();
	}
	buf->npages = npages;
	return 0;

free_pages:
	while (i--)
		__free_page(buf->pages[i]);
	kvfree(buf->pages);
	buf->pages = NULL;
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_buf_alloc);

/**
 * mmap_demo_buf_free() - give the pages back
 * @buf: a buffer from mmap_demo_buf_alloc(), or an empty one
 */
void mmap_demo_buf_free(struct mmap_demo_buf *buf)
{
	unsigned long i;

	for (i = 0; i < buf->npages; i++)
		__free_page(buf->pages[i]);
	kvfree(buf->pages);
	buf->pages = NULL;
	buf->npages = 0;
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_buf_free);

/**
 * mmap_demo_page() - the page at a page offset
 * @buf: the buffer
 * @pgoff: page index in the buffer
 * Return: the page, or NULL if @pgoff is past the end.
 */
struct page *mmap_demo_page(const struct mmap_demo_buf *buf, pgoff_t pgoff)
{
	if (pgoff >= buf->npages)
		return NULL;
	return buf->pages[pgoff];
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_page);

/**
 * mmap_demo_run() - length of the physically contiguous run at a page
 * @buf: the buffer
 * @pgoff: the first page of the run, inside the buffer
 * @max: the most pages wanted, at least 1
 * Return: the number of pages from @pgoff whose frames follow each other,
 * at most @max and never past the end of the buffer; 0 if @pgoff is
 * outside the buffer.
 */
unsigned long mmap_demo_run(const struct mmap_demo_buf *buf, pgoff_t pgoff,
			    unsigned long max)
{
	unsigned long n, pfn;

	if (pgoff >= buf->npages)
		return 0;
	max = min(max, buf->npages - pgoff);
	pfn = page_to_pfn(buf->pages[pgoff]);
	for (n = 1; n < max; n++)
		if (page_to_pfn(buf->pages[pgoff + n]) != pfn + n)
			break;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_run);

/*
 * One page's part of a copy.  Not copy_page_to_iter(): 6.1's ITER_PIPE
 * would take a reference to the page and hand it to a pipe.
 */
static size_t mmap_demo_copy_page(struct page *page, size_t off, size_t n,
				  struct iov_iter *iter, bool write)
{
	size_t copied;
	void *vaddr;

	if (write)
		return copy_page_from_iter(page, off, n, iter);
	vaddr = kmap_local_page(page);
	copied = copy_to_iter(vaddr + off, n, iter);
	kunmap_local(vaddr);
	return copied;
}

/**
 * mmap_demo_copy() - copy bytes of the buffer out, or into it
 * @buf: the buffer
 * @pos: the first byte, not negative
 * @iter: where the bytes go (a read: as many as it has room for) or come
 *	from (a write)
 * @write: true to copy from @iter into @buf, as the file op that called says
 * Return: the number of bytes copied; 0 for a read at or past the end,
 * -ENOSPC for a write there; -EFAULT if nothing could be copied.
 */
ssize_t mmap_demo_copy(const struct mmap_demo_buf *buf, loff_t pos,
		       struct iov_iter *iter, bool write)
{
	ssize_t len = kmm_rw_clamp(pos, iov_iter_count(iter),
				   mmap_demo_size(buf), write);
	ssize_t done = 0;

	if (len <= 0)
		return len;
	while (done < len) {
		size_t off = offset_in_page(pos), copied;
		size_t n = min_t(size_t, PAGE_SIZE - off, len - done);

		copied = mmap_demo_copy_page(buf->pages[pos >> PAGE_SHIFT], off,
					     n, iter, write);
		done += copied;
		pos += copied;
		if (copied < n)
			return done ? done : -EFAULT;
		cond_resched();
	}
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_copy);

/**
 * mmap_demo_count_mmap() - account a successful mmap()
 * @c: the node's counters
 */
void mmap_demo_count_mmap(struct mmap_demo_counters *c)
{
	atomic_long_inc(&c->mmaps);
	atomic_long_inc(&c->vmas);
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_count_mmap);

/**
 * mmap_demo_count_open() - account a mapping copied by a split or fork
 * @c: the node's counters
 */
void mmap_demo_count_open(struct mmap_demo_counters *c)
{
	atomic_long_inc(&c->vmas);
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_count_open);

/**
 * mmap_demo_count_close() - account a mapping that went away
 * @c: the node's counters
 */
void mmap_demo_count_close(struct mmap_demo_counters *c)
{
	atomic_long_dec(&c->vmas);
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_count_close);

/**
 * mmap_demo_fault_page() - the page a fault at a page offset maps
 * @buf: the buffer
 * @c: the node's counters
 * @pgoff: the faulting page's offset in the buffer (vmf->pgoff)
 * @pagep: set to the page, with a reference for the caller
 * Return: 0 with a referenced page in *@pagep, or %VM_FAULT_SIGBUS.
 */
vm_fault_t mmap_demo_fault_page(const struct mmap_demo_buf *buf,
				struct mmap_demo_counters *c, pgoff_t pgoff,
				struct page **pagep)
{
	struct page *page = mmap_demo_page(buf, pgoff);

	if (!page) {
		atomic_long_inc(&c->sigbus);
		return VM_FAULT_SIGBUS;
	}
	get_page(page);
	*pagep = page;
	atomic_long_inc(&c->faults);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mmap_demo_fault_page);

static struct page *mmap_demo_page_at(void *owner, pgoff_t pgoff)
{
	struct mmap_demo_buf *buf = owner;

	return buf->pages[pgoff];
}

/**
 * mmap_demo_prefault() - map the neighbours of a faulting page
 * @buf: the buffer
 * @c: the node's counters
 * @vma: the faulting VMA, VM_MIXEDMAP since mmap()
 * @addr: the faulting address, which the caller maps itself
 * @window: pages per fault, a power of two (see kmm_prefault.h)
 * @nr: set to the pages the window spans, the faulting one included
 * Return: the pages inserted, the faulting one not among them.
 */
unsigned long mmap_demo_prefault(struct mmap_demo_buf *buf,
				 struct mmap_demo_counters *c,
				 struct vm_area_struct *vma, unsigned long addr,
				 unsigned int window, unsigned long *nr)
{
	struct kmm_window w = kmm_fault_window(addr, vma->vm_start, vma->vm_end,
					       vma->vm_pgoff, buf->npages, window);
	unsigned long mapped = kmm_prefault(vma, addr, &w, mmap_demo_page_at, buf);

	atomic_long_add(mapped, &c->prefaulted);
	*nr = w.nr;
	return mapped;
}
