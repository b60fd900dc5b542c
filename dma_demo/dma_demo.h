/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_demo: a PCI driver for QEMU's edu device (PCI 1234:11e8).
 *
 * Shared by the PCI and file glue (main.c), the transfers (dma.c), the
 * logic that needs no device (split.c) and kunit/dma_demo_kunit.c.
 */
#ifndef DMA_DEMO_H
#define DMA_DEMO_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "uapi/dma_demo.h"

/* The edu device's registers in BAR0 (QEMU's docs/specs/edu.rst). */
#define EDU_REG_ID		0x00	/* 0xRRrr00ed */
#define EDU_REG_LIVENESS	0x04	/* reads back the inverse of a write */
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80	/* 64-bit */
#define EDU_REG_DMA_DST		0x88	/* 64-bit */
#define EDU_REG_DMA_COUNT	0x90	/* 64-bit */
#define EDU_REG_DMA_CMD		0x98	/* 64-bit */

#define EDU_ID_MAGIC		0xed	/* the identification's low byte */
#define EDU_IRQ_DMA		0x100	/* interrupt status: DMA done */
#define EDU_DMA_RUN		0x1	/* command: start / still running */
#define EDU_DMA_FROM_DEV	0x2	/* command: edu -> RAM (else RAM -> edu) */
#define EDU_DMA_IRQ		0x4	/* command: raise EDU_IRQ_DMA when done */
#define EDU_DMA_BASE		0x40000	/* device address of its buffer */
#define EDU_DMA_BITS		28	/* the host addresses it can reach */

/**
 * struct dma_demo_dev - one bound edu device
 * @pdev: the PCI device; NULL once it is unbound (see @gone)
 * @mmio: BAR0
 * @id: N of /dev/dma_demoN
 * @size: bytes of device memory the file exposes (see dma_demo_full_buffer)
 * @name: "dma_demoN"
 * @misc: the character device
 * @lock: serialises transfers, @gone, @files, and both buffers
 * @map_lock: taken by mmap() (under mmap_lock, so it cannot take @lock,
 *	which is held across user copies) to see @gone and @host together
 * @done: completed by the interrupt handler when a DMA has finished
 * @gone: the device was unbound: every call fails with -ENODEV
 * @wedged: a DMA never finished: the device is not used again (-EIO)
 * @files: the open files (struct dma_demo_file), to unmap them at unbind
 * @bounce: coherent buffer of the coherent strategy, DMA_DEMO_DEV_SIZE
 * @bounce_dma: its bus address
 * @host: coherent buffer that mmap() maps and DMA_DEMO_IOC_XFER uses
 * @host_dma: its bus address
 * @kref: the device, its open files and kernel users hold references
 * @transfers: DMA transfers completed
 * @bytes: bytes those moved
 * @interrupts: DMA-done interrupts handled
 * @timeouts: transfers that did not complete in time
 * @bounced: segments of pinned user pages copied through @bounce because
 *	the device cannot reach them and swiotlb is not there to bounce
 * @bench: the debugfs map_bench file (bench.c), or NULL
 */
struct dma_demo_dev {
	struct pci_dev *pdev;
	void __iomem *mmio;
	int id;
	unsigned int size;
	char name[16];
	struct miscdevice misc;
	struct mutex lock;	/* see above */
	struct mutex map_lock;	/* see above */
	struct completion done;
	bool gone;
	bool wedged;
	struct list_head files;
	void *bounce;
	dma_addr_t bounce_dma;
	void *host;
	dma_addr_t host_dma;
	struct kref kref;
	atomic64_t transfers;
	atomic64_t bytes;
	atomic64_t interrupts;
	atomic64_t timeouts;
	atomic64_t bounced;
	struct dma_demo_bench *bench;
};

/**
 * struct dma_demo_seg - one DMA segment of a user buffer
 * @page: index of the page, counting from the page of the buffer's start
 * @offset: first byte within that page
 * @len: bytes, at most PAGE_SIZE - @offset
 */
struct dma_demo_seg {
	unsigned int page;
	unsigned int offset;
	unsigned int len;
};

/* The most segments one transfer of DMA_DEMO_DEV_SIZE bytes can need. */
#define DMA_DEMO_MAX_SEGS	(DMA_DEMO_DEV_SIZE / PAGE_SIZE + 2)

/* split.c: no device needed */
ssize_t dma_demo_clamp(loff_t pos, size_t len, size_t size, bool write);
int dma_demo_split(unsigned long uaddr, size_t len, size_t max_seg,
		   struct dma_demo_seg *segs, unsigned int max_segs);
int dma_demo_check_xfer(const struct dma_demo_xfer *x, size_t size);

/* dma.c: transfers; the caller holds dev->lock */
bool dma_demo_swiotlb(struct device *d);
void *dma_demo_alloc_streaming(struct dma_demo_dev *dev, size_t len);
int dma_demo_dma(struct dma_demo_dev *dev, dma_addr_t host, u32 dev_off,
		 u32 len, bool from_dev);
ssize_t dma_demo_io_coherent(struct dma_demo_dev *dev, char __user *ubuf,
			     size_t len, loff_t pos, bool write);
ssize_t dma_demo_io_streaming(struct dma_demo_dev *dev, void *kbuf,
			      char __user *ubuf, bool user, size_t len,
			      loff_t pos, bool write);
ssize_t dma_demo_io_direct(struct dma_demo_dev *dev, char __user *ubuf,
			   size_t len, loff_t pos, bool write);

/* bench.c: debugfs map_bench, the cost of a streaming mapping */
void dma_demo_bench_init(void);
void dma_demo_bench_exit(void);
void dma_demo_bench_add(struct dma_demo_dev *dev);
void dma_demo_bench_remove(struct dma_demo_dev *dev);

/* main.c: for the KUnit suite */
struct dma_demo_dev *dma_demo_get(int id);
void dma_demo_put(struct dma_demo_dev *dev);
ssize_t dma_demo_kernel_io(struct dma_demo_dev *dev, void *buf, size_t len,
			   loff_t pos, bool write);

#endif /* DMA_DEMO_H */
