/* SPDX-License-Identifier: GPL-2.0 */
/* The buffer's API (buffer.c, export.c), for main.c and the KUnit suite. */
#ifndef VMALLOC_DEMO_H
#define VMALLOC_DEMO_H

#include <linux/err.h>
#include <linux/mm_types.h>
#include <linux/types.h>
#include <linux/uio.h>

#include "kmm_rules.h"
#include "uapi/vmalloc_demo.h"

struct dma_buf;
struct sg_table;
struct vm_fault;

/**
 * enum vmd_backend - how a buffer is built
 * @VMD_VMALLOC: one __vmalloc() call
 * @VMD_VMAP: alloc_page() for each page, then one vmap() over them
 */
enum vmd_backend {
	VMD_VMALLOC = VMALLOC_DEMO_BACKEND_VMALLOC,
	VMD_VMAP = VMALLOC_DEMO_BACKEND_VMAP,
};

/**
 * struct vmd_buf - a virtually contiguous buffer
 * @vaddr: its kernel virtual address, page aligned; NULL when empty
 * @size: its size in bytes, a multiple of PAGE_SIZE
 * @nr_pages: @size in pages
 * @pages: the pages under @vaddr, in order (vmap backend only, else NULL)
 * @backend: how it was built
 * @holds: user mappings and dma-buf exports; frozen while being resized
 */
struct vmd_buf {
	void *vaddr;
	size_t size;
	unsigned long nr_pages;
	struct page **pages;
	enum vmd_backend backend;
	struct kmm_guard holds;
};

bool vmd_valid_size(u64 size);
int vmd_buf_alloc(struct vmd_buf *buf, enum vmd_backend backend, u64 size,
		  bool account);
void vmd_buf_free(struct vmd_buf *buf);
int vmd_buf_resize(struct vmd_buf *buf, u64 size);
struct page *vmd_buf_page(const struct vmd_buf *buf, unsigned long index);
/* The PFN of page @i of a buffer @owner. */
typedef unsigned long (*vmd_pfn_at_t)(const void *owner, unsigned long i);
unsigned long vmd_count_runs(vmd_pfn_at_t pfn_at, const void *owner,
			     unsigned long n);
unsigned long vmd_buf_runs(const struct vmd_buf *buf);
int vmd_buf_insert_pages(const struct vmd_buf *buf,
			 struct vm_area_struct *vma);
vm_fault_t vmd_buf_fault(const struct vmd_buf *buf, struct vm_fault *vmf);
struct page *vmd_sg_page(const void *buf, unsigned long i);
ssize_t vmd_buf_copy(struct vmd_buf *buf, loff_t pos, struct iov_iter *iter,
		     bool write);

#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
struct dma_buf *vmd_buf_export(struct vmd_buf *buf, int flags);
#else
/* A kernel without dma-buf: nothing to export to. */
static inline struct dma_buf *vmd_buf_export(struct vmd_buf *buf, int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

#endif /* VMALLOC_DEMO_H */
