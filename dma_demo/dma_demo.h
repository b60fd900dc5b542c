/* SPDX-License-Identifier: GPL-2.0 */
/* dma_demo (QEMU's edu): shared by its files and kunit/dma_demo_kunit.c. */
#ifndef DMA_DEMO_H
#define DMA_DEMO_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/uio.h>

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
 * struct dma_demo_counters - a device's counters, each a read-only attribute
 *	in /sys/class/misc/dma_demoN/; nothing but atomic64_t, read by offset
 * @transfers: DMA transfers completed
 * @bytes: bytes those moved
 * @interrupts: DMA-done interrupts handled
 * @timeouts: transfers that did not complete in time
 * @bounced: pieces copied through &dma_demo_dev.bounce because the engine
 *	could not reach them (an imported dma-buf's: might not)
 * @stuck: buffers left to the engine by the transfer that wedged it
 */
struct dma_demo_counters {
	atomic64_t transfers;
	atomic64_t bytes;
	atomic64_t interrupts;
	atomic64_t timeouts;
	atomic64_t bounced;
	atomic64_t stuck;
};

/**
 * struct dma_demo_dev - one bound edu device
 * @pdev: referenced until the last put, but used only while !@gone, under
 *	@lock, @import_lock or @map_lock (a removed device has no DMA or IRQ)
 * @mmio: BAR0, unmapped by pcim after remove(): same rule as @pdev
 * @bar_len: bytes of BAR0 mmap() may map; 0 unless page-aligned memory
 * @id: N of /dev/dma_demoN
 * @size: bytes of device memory the file exposes (full_buffer)
 * @name: "dma_demoN"
 * @misc: the character device
 * @lock: serialises transfers, keeps @bounce, @host and the engine; held
 *	across a DMA (bounded), never a user copy, a pin or a page fault
 * @import_lock: an import's attach to detach, outside @lock; remove()
 *	takes it after @gone, so no unwedged attachment outlives remove()
 * @map_lock: @gone and @files for mmap() and the faults; remove() sets
 *	@gone and zaps under it, so no page is inserted after the zap
 * @done: completed by the interrupt handler on DMA done
 * @gone: removed: calls fail with -ENODEV, faults with SIGBUS; set under
 *	@lock and @map_lock
 * @wedged: a DMA never finished: later calls get -EIO and leave nothing
 *	with the engine
 * @files: the open files (struct dma_demo_file), to zap their mappings
 * @dma_gfp: GFP flags for streaming buffers, so the device reaches them
 * @dmabuf_direct: imported dma-bufs are mapped for the engine, not bounced
 * @bounce: coherent buffer of the coherent strategy, DMA_DEMO_DEV_SIZE
 * @bounce_dma: its bus address
 * @host: coherent buffer for mmap() and DMA_DEMO_IOC_XFER
 * @host_dma: its bus address
 * @kref: held by the bound device and its open files
 * @count: the counters sysfs shows
 */
struct dma_demo_dev {
	struct pci_dev *pdev;
	void __iomem *mmio;
	resource_size_t bar_len;
	int id;
	unsigned int size;
	char name[sizeof("dma_demo") + 10];	/* N: any id ida_alloc() gives */
	struct miscdevice misc;
	struct mutex lock;	/* see above */
	struct mutex import_lock;	/* see above */
	struct mutex map_lock;	/* see above */
	struct completion done;
	bool gone;
	bool wedged;
	struct list_head files;
	gfp_t dma_gfp;
	bool dmabuf_direct;
	void *bounce;
	dma_addr_t bounce_dma;
	void *host;
	dma_addr_t host_dma;
	struct kref kref;
	struct dma_demo_counters count;
};

/**
 * struct dma_demo_file - one open file
 * @demo: its device (a reference is held)
 * @filp: the file, to zap its mappings when the device goes away
 * @strategy: DMA_DEMO_COHERENT, DMA_DEMO_STREAMING or DMA_DEMO_DIRECT
 * @node: in &dma_demo_dev.files, under &dma_demo_dev.map_lock
 */
struct dma_demo_file {
	struct dma_demo_dev *demo;
	struct file *filp;
	u32 strategy;
	struct list_head node;
};

/* The host buffer that mmap() maps: whole pages. */
#define DMA_DEMO_HOST_SIZE	PAGE_ALIGN(DMA_DEMO_DEV_SIZE)
#define DMA_DEMO_HOST_PAGES	(DMA_DEMO_HOST_SIZE >> PAGE_SHIFT)
/* So that dma_mmap_attrs() maps page frames behind an IOMMU too (dma.md). */
#define DMA_DEMO_HOST_ATTRS	DMA_ATTR_FORCE_CONTIGUOUS
/* The page offset of the register mapping (uapi DMA_DEMO_REGS_OFFSET). */
#define DMA_DEMO_REGS_PGOFF	(DMA_DEMO_REGS_OFFSET >> PAGE_SHIFT)

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

/**
 * struct dma_demo_sg_walk - where a walk of a mapped sg_table is
 * @sg: the DMA segment the next piece starts in
 * @segs: DMA segments left, @sg included
 * @skip: bytes of @sg already walked
 * @left: bytes still to walk
 */
struct dma_demo_sg_walk {
	struct scatterlist *sg;
	unsigned int segs;
	size_t skip;
	u64 left;
};

/* split.c: no device needed */
int dma_demo_split(unsigned long uaddr, size_t len, size_t max_seg,
		   struct dma_demo_seg *segs, unsigned int max_segs);
int dma_demo_check_xfer(const struct dma_demo_xfer *x, size_t size);
int dma_demo_regs_check(resource_size_t bar_len, unsigned long pgoff,
			unsigned long len);
long dma_demo_check_alloc(u64 size, u32 flags, u64 max, u64 held);
int dma_demo_check_dmabuf_xfer(const struct dma_demo_dmabuf_xfer *x,
			       size_t size, u64 buf_size);
int dma_demo_sg_walk_start(struct dma_demo_sg_walk *w,
			   const struct sg_table *sgt, u64 off, u64 len);
bool dma_demo_sg_walk_next(struct dma_demo_sg_walk *w, size_t max,
			   dma_addr_t *dma, size_t *len);
bool dma_demo_reachable(dma_addr_t dma, size_t len, u64 mask);

/* engine.c: the DMA engine, one transfer at a time */
/*
 * Under @demo->lock: -ENODEV once removed, -EIO once wedged (nothing may be
 * handed to a stuck engine, nor @bounce touched), else 0.
 */
static inline int dma_demo_refusal(const struct dma_demo_dev *demo)
{
	return demo->gone ? -ENODEV : demo->wedged ? -EIO : 0;
}

/*
 * Take @demo->lock for transfers.  Return: 0 with it held; else, without
 * it, -ERESTARTSYS for a signal or dma_demo_refusal()'s errno.
 */
static inline int __must_check dma_demo_lock(struct dma_demo_dev *demo)
{
	int ret;

	if (mutex_lock_interruptible(&demo->lock))
		return -ERESTARTSYS;
	ret = dma_demo_refusal(demo);
	if (ret)
		mutex_unlock(&demo->lock);
	return ret;
}

/*
 * Under @demo->lock, once after a transfer's dma_demo_engine_run() gave
 * @ret: true if it wedged the engine, which may still use its buffer.
 * Counts it in "stuck".
 */
static inline bool dma_demo_note_stuck(struct dma_demo_dev *demo, int ret)
{
	lockdep_assert_held(&demo->lock);
	if (ret != -EIO || !demo->wedged)
		return false;
	atomic64_inc(&demo->count.stuck);
	return true;
}

int dma_demo_engine_run(struct dma_demo_dev *demo, dma_addr_t host,
			u32 dev_off, u32 len, bool from_dev);
irqreturn_t dma_demo_irq(int irq, void *data);

/* dma.c: transfers in each strategy, and what the device reaches */
ssize_t dma_demo_io_copy(struct dma_demo_dev *demo, struct iov_iter *iter,
			 size_t len, loff_t pos, bool streaming,
			 unsigned int *bounced);
ssize_t dma_demo_io_direct(struct dma_demo_dev *demo, struct iov_iter *iter,
			   size_t len, loff_t pos, unsigned int *bounced);

/* export.c: dma-bufs of the driver's own */
struct dma_buf *dma_demo_dmabuf_alloc(u64 size, u32 flags);
long dma_demo_ioctl_alloc(struct dma_demo_dev *demo,
			  struct dma_demo_alloc __user *uarg);

/* import.c: transfers between device memory and any dma-buf */
long dma_demo_dmabuf_xfer(struct dma_demo_dev *demo, struct file *filp,
			  const struct dma_demo_dmabuf_xfer *x);

/* file.c: /dev/dma_demoN and the device's references; pci.c calls in */
struct dma_demo_dev *dma_demo_new(struct pci_dev *pdev);
void dma_demo_put(struct dma_demo_dev *demo);
int dma_demo_name(struct dma_demo_dev *demo);
void dma_demo_unname(struct dma_demo_dev *demo);
int dma_demo_register(struct dma_demo_dev *demo);
void dma_demo_unregister(struct dma_demo_dev *demo);

#endif /* DMA_DEMO_H */
