// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: a PCI driver for QEMU's edu device (PCI 1234:11e8), docs/dma.md.
 * probe() and remove() mirror each other.
 *
 * The bound device and every open file hold a reference on struct
 * dma_demo_dev, which holds the pci_dev (file.c): a file or mapping may
 * outlive remove(), which cuts it off from the device, its IRQ and buffers.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "dma_demo.h"

#define CREATE_TRACE_POINTS
#include "dma_demo_trace.h"

#define EDU_VENDOR_ID	0x1234
#define EDU_DEVICE_ID	0x11e8

static bool full_buffer;
module_param(full_buffer, bool, 0444);
MODULE_PARM_DESC(full_buffer, "Expose all 4096 bytes of device memory, not 4095 (default false)");

/* Is this an edu device, and alive? */
static int dma_demo_check_hw(struct pci_dev *pdev, void __iomem *mmio)
{
	u32 id = ioread32(mmio + EDU_REG_ID);
	u32 probe = 0x5a5a1234 ^ id, back;

	if ((id & 0xff) != EDU_ID_MAGIC) {
		dev_err(&pdev->dev, "identification %#010x: not an edu device\n",
			id);
		return -ENODEV;
	}
	iowrite32(probe, mmio + EDU_REG_LIVENESS);
	back = ioread32(mmio + EDU_REG_LIVENESS);
	if (back != ~probe) {
		dev_err(&pdev->dev, "liveness check failed: wrote %#010x, read %#010x\n",
			probe, back);
		return -EIO;
	}
	dev_info(&pdev->dev, "edu version %u.%u\n", id >> 24, (id >> 16) & 0xff);
	return 0;
}

/* Enable the device, map BAR0, set the DMA mask, find an interrupt. */
static int dma_demo_setup_pci(struct dma_demo_dev *demo)
{
	struct pci_dev *pdev = demo->pdev;
	struct device *dev = &pdev->dev;
	bool msi;
	int ret;

	/*
	 * MSI, in D0, before enabling: else enabling routes INTx through ACPI
	 * (docs/dma.md, Probe).  INTx (shared) only when there is no MSI.
	 */
	ret = pci_set_power_state(pdev, PCI_D0);
	if (ret)
		return ret;
	msi = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI) == 1;

	/* Enabling and BAR0 are undone by pcim when the driver is unbound. */
	ret = pcim_enable_device(pdev);
	if (ret)
		goto free_vectors;
	demo->mmio = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(demo->mmio)) {
		ret = PTR_ERR(demo->mmio);
		goto free_vectors;
	}
	/* Only memory space maps as memory (an I/O BAR's "pfn" is a port). */
	if (pci_resource_flags(pdev, 0) & IORESOURCE_MEM &&
	    PAGE_ALIGNED(pci_resource_start(pdev, 0)))
		demo->bar_len = pci_resource_len(pdev, 0);
	ret = dma_demo_check_hw(pdev, demo->mmio);
	if (ret)
		goto free_vectors;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret) {
		dev_err(dev, "no usable %d-bit DMA\n", EDU_DMA_BITS);
		goto free_vectors;
	}
	/* Streaming buffers from where the device reaches (see dma.c). */
	demo->dma_gfp = GFP_KERNEL;
	if (!kmm_dma_reaches_all(dev))
		demo->dma_gfp |= GFP_DMA;
	/* Other exporters' pages may lie anywhere: map only if all reachable. */
	demo->dmabuf_direct = kmm_dma_reaches_all(dev) &&
			     !kmm_dma_would_bounce(dev);
	pci_set_master(pdev);
	if (!msi) {
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
		if (ret < 0) {
			dev_err(dev, "neither MSI nor an INTx interrupt\n");
			goto free_vectors;
		}
	}
	return 0;

free_vectors:
	pci_free_irq_vectors(pdev);
	return ret;
}

static int dma_demo_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct device *dev = &pdev->dev;
	struct dma_demo_dev *demo;
	int ret;

	demo = dma_demo_new(pdev);
	if (!demo)
		return -ENOMEM;
	demo->size = full_buffer ? DMA_DEMO_DEV_SIZE : DMA_DEMO_DEV_SIZE - 1;

	ret = dma_demo_setup_pci(demo);
	if (ret)
		goto put_dev;

	/* Reserve N now; /dev/dma_demoN appears once the device is complete. */
	ret = dma_demo_name(demo);
	if (ret)
		goto free_vectors;

	demo->bounce = dma_alloc_coherent(dev, DMA_DEMO_DEV_SIZE, &demo->bounce_dma,
					  GFP_KERNEL);
	if (!demo->bounce) {
		ret = -ENOMEM;
		goto unname;
	}
	demo->host = dma_alloc_attrs(dev, DMA_DEMO_HOST_SIZE, &demo->host_dma,
				     GFP_KERNEL, DMA_DEMO_HOST_ATTRS);
	if (!demo->host) {
		ret = -ENOMEM;
		goto free_bounce;
	}

	/* Acknowledge what an earlier driver may have left pending. */
	iowrite32(ioread32(demo->mmio + EDU_REG_IRQ_STATUS),
		  demo->mmio + EDU_REG_IRQ_ACK);
	/* Not devm: it must be gone before remove() drops our reference. */
	ret = request_irq(pci_irq_vector(pdev, 0), dma_demo_irq, IRQF_SHARED,
			  demo->name, demo);
	if (ret)
		goto free_host;

	ret = dma_demo_register(demo);
	if (ret)
		goto free_irq;
	pci_set_drvdata(pdev, demo);
	dev_info(dev, "/dev/%s, %s interrupt, %d-bit DMA\n", demo->name,
		 pdev->msi_enabled ? "MSI" : "INTx", EDU_DMA_BITS);
	return 0;

free_irq:
	free_irq(pci_irq_vector(pdev, 0), demo);
free_host:
	dma_free_attrs(dev, DMA_DEMO_HOST_SIZE, demo->host, demo->host_dma,
		       DMA_DEMO_HOST_ATTRS);
free_bounce:
	dma_free_coherent(dev, DMA_DEMO_DEV_SIZE, demo->bounce, demo->bounce_dma);
unname:
	dma_demo_unname(demo);
free_vectors:
	pci_free_irq_vectors(pdev);
put_dev:
	dma_demo_put(demo);
	return ret;
}

/* probe() backwards; the files let go in dma_demo_unregister(). */
static void dma_demo_remove(struct pci_dev *pdev)
{
	struct dma_demo_dev *demo = pci_get_drvdata(pdev);
	struct device *dev = &pdev->dev;

	/* Waits for a transfer in progress; none starts after this. */
	dma_demo_unregister(demo);

	free_irq(pci_irq_vector(pdev, 0), demo);
	if (READ_ONCE(demo->wedged)) {
		dev_err(dev, "DMA engine stuck: leaving its buffers allocated\n");
	} else {
		dma_free_attrs(dev, DMA_DEMO_HOST_SIZE, demo->host, demo->host_dma,
			       DMA_DEMO_HOST_ATTRS);
		dma_free_coherent(dev, DMA_DEMO_DEV_SIZE, demo->bounce,
				  demo->bounce_dma);
	}
	dma_demo_unname(demo);
	pci_free_irq_vectors(pdev);
	dma_demo_put(demo);
}

static const struct pci_device_id dma_demo_ids_table[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, dma_demo_ids_table);

static struct pci_driver dma_demo_driver = {
	.name = KBUILD_MODNAME,
	.id_table = dma_demo_ids_table,
	.probe = dma_demo_probe,
	.remove = dma_demo_remove,
};

module_pci_driver(dma_demo_driver);

MODULE_DESCRIPTION("DMA with QEMU's edu PCI device: coherent, streaming and pinned user pages");
MODULE_AUTHOR("kmm-drivers developers");
MODULE_LICENSE("GPL");
