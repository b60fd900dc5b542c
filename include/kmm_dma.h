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
#include <linux/iommu.h>

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

#endif /* KMM_DMA_H */
