/* SPDX-License-Identifier: GPL-2.0 */
/* What the DMA API does for a device, asked once for all (docs/design.md). */
#ifndef KMM_DMA_H
#define KMM_DMA_H

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

/* An identity (passthrough) domain translates nothing. */
static inline bool kmm_dma_translated(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	return domain && iommu_is_dma_domain(domain);
}

/* Capped mapping size: swiotlb serves @dev, and its pool may be out of reach. */
static inline bool kmm_dma_would_bounce(struct device *dev)
{
	if (kmm_dma_translated(dev))
		return false;
	return dma_max_mapping_size(dev) != SIZE_MAX;
}

/* After dma_set_mask(): without an IOMMU, the mask decides. */
static inline bool kmm_dma_reaches_all(struct device *dev)
{
	return kmm_dma_translated(dev) || !dma_addressing_limited(dev);
}

/* Where caches alias a vmap view; 1 GiB at a time, the helpers take an int. */
static inline void kmm_vmap_sync(void *vaddr, size_t size, bool for_cpu)
{
	size_t off, len;

	for (off = 0; off < size; off += len) {
		len = min_t(size_t, size - off, SZ_1G);
		if (for_cpu)
			invalidate_kernel_vmap_range(vaddr + off, len);
		else
			flush_kernel_vmap_range(vaddr + off, len);
	}
}

/* In whole pages; 0, under a page, makes kmm_sgt_from_pages() fail. */
static inline unsigned int kmm_dma_max_segment(struct device *dev)
{
	size_t max = min_t(size_t, dma_get_max_seg_size(dev),
			   dma_max_mapping_size(dev));

	return min_t(size_t, max, UINT_MAX) & PAGE_MASK;
}

/* The page behind page @i of a buffer @owner. */
typedef struct page *(*kmm_page_at_t)(const void *owner, unsigned long i);

/* Count the segments kmm_sgt_from_pages() makes; fill them in if @sg. */
static inline unsigned int kmm_sg_segments(kmm_page_at_t page_at,
					   const void *owner,
					   unsigned long npages,
					   unsigned int max_segment,
					   unsigned long boundary,
					   struct scatterlist *sg)
{
	unsigned long i, pfn, start = 0;
	unsigned int nents = 0, len = 0;

	for (i = 0; i < npages; i++) {
		pfn = page_to_pfn(page_at(owner, i));
		if (len && pfn == start + (len >> PAGE_SHIFT) &&
		    len <= max_segment - PAGE_SIZE &&
		    !((PFN_PHYS(start) ^ (PFN_PHYS(pfn) + PAGE_SIZE - 1)) &
		      ~(u64)boundary)) {
			len += PAGE_SIZE;
			continue;
		}
		if (len && sg) {
			sg_set_page(sg, pfn_to_page(start), len, 0);
			sg = sg_next(sg);
		}
		start = pfn;
		len = PAGE_SIZE;
		nents++;
	}
	if (len && sg)
		sg_set_page(sg, pfn_to_page(start), len, 0);
	return nents;
}

/**
 * kmm_sgt_from_pages() - an unmapped table of a buffer's pages, runs merged
 * @sgt: the table to build; sg_free_table() frees it
 * @page_at: the page behind each page of the buffer
 * @owner: the buffer, handed to @page_at
 * @npages: its pages, at least one
 * @max_segment: the longest segment, in bytes (kmm_dma_max_segment())
 * @boundary: dma_get_seg_boundary(), applied to physical addresses
 * @gfp: for the table
 * Return: 0, -EINVAL if the limits do not admit a page per segment, -ENOMEM.
 */
static inline int kmm_sgt_from_pages(struct sg_table *sgt,
				     kmm_page_at_t page_at, const void *owner,
				     unsigned long npages,
				     unsigned int max_segment,
				     unsigned long boundary, gfp_t gfp)
{
	unsigned int nents;
	int ret;

	if (!npages || max_segment < PAGE_SIZE || boundary < PAGE_SIZE - 1)
		return -EINVAL;
	nents = kmm_sg_segments(page_at, owner, npages, max_segment, boundary,
				NULL);
	ret = sg_alloc_table(sgt, nents, gfp);
	if (ret)
		return ret;
	kmm_sg_segments(page_at, owner, npages, max_segment, boundary, sgt->sgl);
	return 0;
}

#endif /* KMM_DMA_H */
