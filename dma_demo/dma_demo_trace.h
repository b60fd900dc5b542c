/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_demo's tracepoints (docs/tracing.md); pci.c creates them.  The device
 * is @id, the N of dma_demoN, fixed before the IRQ is requested: the misc
 * minor may change under a transfer (0 before register, reused after).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dma_demo

#if !defined(_DMA_DEMO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DMA_DEMO_TRACE_H

#include <linux/dma-buf.h>
#include <linux/dma-direction.h>
#include <linux/scatterlist.h>
#include <linux/tracepoint.h>

#include "dma_demo.h"
#include "kmm_trace.h"
#include "uapi/dma_demo.h"

#define dma_demo_show_strategy(s)					\
	__print_symbolic(s, { DMA_DEMO_COHERENT, "coherent" },		\
			 { DMA_DEMO_STREAMING, "streaming" },		\
			 { DMA_DEMO_DIRECT, "direct" })

/* A read or write of @bytes at @pos starts, in the @strategy that runs. */
TRACE_EVENT(dma_demo_xfer_start,
	TP_PROTO(const struct dma_demo_dev *dev, u32 strategy, bool write,
		 loff_t pos, size_t bytes),
	TP_ARGS(dev, strategy, write, pos, bytes),
	TP_STRUCT__entry(
		__field(int, id)
		__field(u32, strategy)
		__field(bool, write)
		__field(loff_t, pos)
		__field(size_t, bytes)
	),
	TP_fast_assign(
		__entry->id = dev->id;
		__entry->strategy = strategy;
		__entry->write = write;
		__entry->pos = pos;
		__entry->bytes = bytes;
	),
	TP_printk("id=%d dir=%s strategy=%s pos=%lld bytes=%zu",
		  __entry->id, __entry->write ? "to_device" : "from_device",
		  dma_demo_show_strategy(__entry->strategy), __entry->pos,
		  __entry->bytes)
);

/* The device raised @status (EDU_IRQ_DMA: a DMA ended). */
TRACE_EVENT(dma_demo_xfer_irq,
	TP_PROTO(const struct dma_demo_dev *dev, u32 status),
	TP_ARGS(dev, status),
	TP_STRUCT__entry(
		__field(int, id)
		__field(u32, status)
	),
	TP_fast_assign(
		__entry->id = dev->id;
		__entry->status = status;
	),
	TP_printk("id=%d status=0x%x", __entry->id, __entry->status)
);

/* It ends with @ret (bytes or an errno); @bounced: its own pieces bounced. */
TRACE_EVENT(dma_demo_xfer_complete,
	TP_PROTO(const struct dma_demo_dev *dev, u32 strategy, bool write,
		 ssize_t ret, unsigned int bounced),
	TP_ARGS(dev, strategy, write, ret, bounced),
	TP_STRUCT__entry(
		__field(int, id)
		__field(u32, strategy)
		__field(bool, write)
		__field(unsigned int, bounced)
		__field(ssize_t, ret)
	),
	TP_fast_assign(
		__entry->id = dev->id;
		__entry->strategy = strategy;
		__entry->write = write;
		__entry->bounced = bounced;
		__entry->ret = ret;
	),
	TP_printk("id=%d dir=%s strategy=%s bounced=%u ret=%zd",
		  __entry->id, __entry->write ? "to_device" : "from_device",
		  dma_demo_show_strategy(__entry->strategy), __entry->bounced,
		  __entry->ret)
);

TRACE_DEFINE_ENUM(DMA_BIDIRECTIONAL);
TRACE_DEFINE_ENUM(DMA_TO_DEVICE);
TRACE_DEFINE_ENUM(DMA_FROM_DEVICE);
TRACE_DEFINE_ENUM(DMA_NONE);

KMM_DMABUF_EVENT_CLASS(dma_demo_dmabuf);
KMM_DMABUF_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_attach);
KMM_DMABUF_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_detach);
KMM_DMABUF_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_map);
KMM_DMABUF_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_unmap);

#endif /* _DMA_DEMO_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE dma_demo_trace
#include <trace/define_trace.h>
