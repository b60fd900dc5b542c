// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the edu device's DMA engine, one transfer at a time under
 * demo->lock (docs/dma.md, Doorbell, interrupt, wake).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <kunit/visibility.h>

#include "dma_demo.h"
#include "dma_demo_trace.h"

#define DMA_DEMO_TIMEOUT_MAX_MS	60000

static unsigned int timeout_ms = 2000;

/* 1 to 60000 ms, else EINVAL, an overflow too (at load the kernel logs it). */
static int dma_demo_set_timeout(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, DMA_DEMO_TIMEOUT_MAX_MS) ? -EINVAL : 0;
}

static const struct kernel_param_ops dma_demo_timeout_ops = {
	.set = dma_demo_set_timeout,
	.get = param_get_uint,
};
module_param_cb(timeout_ms, &dma_demo_timeout_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms, "Time a transfer may take before it fails, in ms (default 2000)");

/* After a timeout or a signal: how long to wait for the engine to stop. */
#define DMA_DEMO_GRACE_MS	10000

/* Is the engine still busy with the transfer it was last given? */
static bool dma_demo_running(struct dma_demo_dev *demo)
{
	return ioread32(demo->mmio + EDU_REG_DMA_CMD) & EDU_DMA_RUN;
}

/*
 * Sleep until the engine has finished its last transfer, at most @timeout
 * jiffies.  Return: > 0 when done, 0 on timeout, -ERESTARTSYS on a signal.
 */
static long dma_demo_wait(struct dma_demo_dev *demo, long timeout,
			  bool interruptible)
{
	unsigned long deadline = jiffies + timeout;
	long left = timeout;

	for (;;) {
		if (interruptible)
			left = wait_for_completion_interruptible_timeout(&demo->done,
									 left);
		else
			left = wait_for_completion_timeout(&demo->done, left);
		if (left <= 0)
			return left;
		if (!dma_demo_running(demo))
			return 1;
		/* An earlier transfer's interrupt: keep waiting for ours. */
		if (time_after_eq(jiffies, deadline))
			return 0;
		left = deadline - jiffies;
	}
}

/**
 * dma_demo_engine_run() - one DMA by the engine, host memory <-> device
 * @demo: the device; the caller holds @demo->lock
 * @host: bus address of the host side, within the device's 28-bit mask
 * @dev_off: byte offset in device memory
 * @len: bytes, 1 to @demo->size - @dev_off
 * @from_dev: true to move device memory to @host, false the other way
 *
 * After a timeout or a signal, waits until the engine stops, so that the
 * caller may unmap and free the host buffer.
 *
 * Return: 0, -ENODEV, -EINVAL, -ETIMEDOUT, -ERESTARTSYS, or -EIO if the
 * engine is stuck: the caller must then leave the host buffer alone.  A
 * device already wedged gives -EIO at once: callers check @demo->wedged
 * first, so that -EIO with it set means this transfer stuck.
 */
int dma_demo_engine_run(struct dma_demo_dev *demo, dma_addr_t host,
			u32 dev_off, u32 len, bool from_dev)
{
	u32 cmd = EDU_DMA_RUN | EDU_DMA_IRQ;
	u64 src, dst;
	long left;
	int ret;

	lockdep_assert_held(&demo->lock);
	ret = dma_demo_refusal(demo);
	if (ret)
		return ret;
	/* Never ask for more: QEMU's edu aborts on a range it refuses. */
	if (!len || dev_off >= demo->size || len > demo->size - dev_off)
		return -EINVAL;

	if (from_dev) {
		src = EDU_DMA_BASE + dev_off;
		dst = host;
		cmd |= EDU_DMA_FROM_DEV;
	} else {
		src = host;
		dst = EDU_DMA_BASE + dev_off;
	}

	/* Forgets earlier interrupts; dma_demo_wait() sorts out a late one. */
	reinit_completion(&demo->done);
	/* The 64-bit registers zero-extend a 32-bit write. */
	iowrite32(lower_32_bits(src), demo->mmio + EDU_REG_DMA_SRC);
	iowrite32(lower_32_bits(dst), demo->mmio + EDU_REG_DMA_DST);
	iowrite32(len, demo->mmio + EDU_REG_DMA_COUNT);
	iowrite32(cmd, demo->mmio + EDU_REG_DMA_CMD);

	left = dma_demo_wait(demo, msecs_to_jiffies(READ_ONCE(timeout_ms)),
			     true);
	if (left > 0) {
		atomic64_inc(&demo->count.transfers);
		atomic64_add(len, &demo->count.bytes);
		return 0;
	}

	if (!left)
		atomic64_inc(&demo->count.timeouts);
	if (!dma_demo_wait(demo, msecs_to_jiffies(DMA_DEMO_GRACE_MS), false) &&
	    dma_demo_running(demo)) {
		WRITE_ONCE(demo->wedged, true);
		dev_err(&demo->pdev->dev, "DMA engine stuck: device disabled\n");
		return -EIO;
	}
	return left ? left : -ETIMEDOUT;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_engine_run);

/**
 * dma_demo_irq() - acknowledge, and wake dma_demo_wait() on DMA done
 * @irq: the interrupt
 * @data: the device
 * Return: IRQ_HANDLED, or IRQ_NONE when the device raised nothing.
 */
irqreturn_t dma_demo_irq(int irq, void *data)
{
	struct dma_demo_dev *demo = data;
	u32 status = ioread32(demo->mmio + EDU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;	/* a shared INTx line: not ours */
	iowrite32(status, demo->mmio + EDU_REG_IRQ_ACK);
	trace_dma_demo_xfer_irq(demo, status);
	atomic64_inc(&demo->count.interrupts);
	if (status & EDU_IRQ_DMA)
		complete(&demo->done);
	return IRQ_HANDLED;
}
