/* SPDX-License-Identifier: GPL-2.0 */
/* mmap_demo's buffer (buffer.c), for main.c and kunit/mmap_demo_kunit.c. */
#ifndef MMAP_DEMO_H
#define MMAP_DEMO_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/uio.h>

#define MMAP_DEMO_NPAGES	256		/* default buffer size, pages */
#define MMAP_DEMO_NPAGES_MAX	(SZ_1G / PAGE_SIZE)	/* 1 GiB of pages */
#define MMAP_DEMO_WINDOW	64		/* default pages per fault */

/**
 * struct mmap_demo_buf - the driver's buffer
 * @pages: @npages order-0 pages from the page allocator, zeroed
 * @npages: number of pages; fixed from allocation to free
 */
struct mmap_demo_buf {
	struct page **pages;
	unsigned long npages;
};

/**
 * struct mmap_demo_counters - what one node has done, for debugfs
 * @mmaps: successful mmap() calls
 * @vmas: live mappings: +1 at mmap() and .open (split, fork), -1 at .close
 * @faults: faults the .fault handler served
 * @sigbus: faults refused because they were past the end of the buffer
 * @prefaulted: pages the .fault handler mapped around the faulting one
 */
struct mmap_demo_counters {
	atomic_long_t mmaps;
	atomic_long_t vmas;
	atomic_long_t faults;
	atomic_long_t sigbus;
	atomic_long_t prefaulted;
};

static inline loff_t mmap_demo_size(const struct mmap_demo_buf *buf)
{
	return (loff_t)buf->npages << PAGE_SHIFT;
}

int mmap_demo_buf_alloc(struct mmap_demo_buf *buf, unsigned long npages);
void mmap_demo_buf_free(struct mmap_demo_buf *buf);
struct page *mmap_demo_page(const struct mmap_demo_buf *buf, pgoff_t pgoff);
unsigned long mmap_demo_run(const struct mmap_demo_buf *buf, pgoff_t pgoff,
			    unsigned long max);
ssize_t mmap_demo_copy(const struct mmap_demo_buf *buf, loff_t pos,
		       struct iov_iter *iter, bool write);
void mmap_demo_count_mmap(struct mmap_demo_counters *c);
void mmap_demo_count_open(struct mmap_demo_counters *c);
void mmap_demo_count_close(struct mmap_demo_counters *c);
vm_fault_t mmap_demo_fault_page(const struct mmap_demo_buf *buf,
				struct mmap_demo_counters *c, pgoff_t pgoff,
				struct page **pagep);

unsigned long mmap_demo_prefault(struct mmap_demo_buf *buf,
				 struct mmap_demo_counters *c,
				 struct vm_area_struct *vma, unsigned long addr,
				 unsigned int window, unsigned long *nr);

#endif /* MMAP_DEMO_H */
