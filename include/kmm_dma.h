/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the DMA API will do for a device with a narrow DMA mask (QEMU's
 * edu: 28 bits), asked once by dma_demo and by make bench's kmm_bench so
 * that both bounce, and refuse, the same transfers.
 *
 * Behind an IOMMU that translates, every page maps to an I/O virtual
 * address within the mask and nothing bounces.  Without one, a page above
 * the mask is out of reach, and with swiotlb (a guest with more memory
 * than the mask covers, or swiotlb=force) its pool usually lies out of
 * reach too.
 */
#ifndef KMM_DMA_H
#define KMM_DMA_H

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

/**
 * kmm_dma_translated() - does an IOMMU translate @d's DMA addresses?
 * @d: the device
 *
 * Return: true when the DMA API maps for @d through a DMA domain (not an
 * identity one, where bus addresses are physical).  The domain does not
 * change while a driver is bound.
 */
static inline bool kmm_dma_translated(struct device *d)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(d);

	return domain && iommu_is_dma_domain(domain);
}

/**
 * kmm_dma_would_bounce() - would the DMA API bounce a streaming mapping?
 * @d: the device
 *
 * Return: true when swiotlb is in use for @d (it limits what it bounces
 * to the size of its slots), so that a mapping may land in a pool out of
 * the device's reach.  Behind an IOMMU a bounce slot is mapped like any
 * page: false.
 */
static inline bool kmm_dma_would_bounce(struct device *d)
{
	if (kmm_dma_translated(d))
		return false;
	return dma_max_mapping_size(d) != SIZE_MAX;
}

/**
 * kmm_dma_reaches_all() - can the DMA API map any page for the device?
 * @d: the device, its DMA mask set
 *
 * Return: true when every page maps to a bus address within @d's mask:
 * behind an IOMMU that translates, or when the mask covers all memory.
 * (dma_addressing_limited() says true behind an IOMMU for a mask below
 * 32 bits, though the IOMMU maps every page under it.)
 */
static inline bool kmm_dma_reaches_all(struct device *d)
{
	return kmm_dma_translated(d) || !dma_addressing_limited(d);
}

/**
 * kmm_vmap_sync() - the CPU's vmap view of a buffer, kept coherent
 * @vaddr: where the buffer is mapped with vmap() or vmalloc()
 * @size: its bytes
 * @for_cpu: invalidate before the CPU reads (true), or write back what
 *	it wrote (false)
 *
 * On a machine whose caches can alias (not x86 or arm64, where both are
 * no-ops) the vmap view is maintained apart from the pages' own.  The
 * kernel's helpers take an int: a buffer of 2 GiB or more goes in steps.
 */
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

/**
 * kmm_dma_max_segment() - the longest segment @d takes, in whole pages
 * @d: the device
 *
 * Return: the smaller of the device's own limit (dma_get_max_seg_size())
 * and what the DMA API maps for it in one piece (dma_max_mapping_size():
 * a swiotlb run where it bounces), rounded down to pages: 0 for a device
 * that takes less than a page, which a table of pages cannot serve.
 */
static inline unsigned int kmm_dma_max_segment(struct device *d)
{
	size_t max = min_t(size_t, dma_get_max_seg_size(d),
			   dma_max_mapping_size(d));

	return min_t(size_t, max, UINT_MAX) & PAGE_MASK;
}

/* The page behind page @i of a buffer @owner: how a table finds its pages. */
typedef struct page *(*kmm_page_at_t)(const void *owner, unsigned long i);

/*
 * Walk @npages pages, physically contiguous ones joined while a segment
 * stays within @max_segment bytes and does not cross a multiple of
 * @boundary + 1 (physical addresses stand for DMA addresses, which they
 * are without an IOMMU; an IOMMU keeps its own limits).  Count the
 * segments, and fill them in when @sg is not NULL.
 */
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
 * kmm_sgt_from_pages() - a buffer's pages in a table a device may take
 * @sgt: the table to build; sg_free_table() frees it
 * @page_at: the page behind each page of the buffer
 * @owner: the buffer, handed to @page_at
 * @npages: its pages, at least one
 * @max_segment: the longest segment, in bytes (kmm_dma_max_segment())
 * @boundary: the segment boundary mask (dma_get_seg_boundary())
 * @gfp: for the table
 *
 * Every page, in order; contiguous pages share a segment as far as the
 * limits allow.  The table is not mapped: dma_map_sgtable() does that.
 *
 * Return: 0, -EINVAL if the limits do not admit a page per segment, or
 * -ENOMEM.
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
