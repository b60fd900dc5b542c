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

/*
 * An importer's attach, map, unmap and detach of an exported buffer: @nents
 * as mapped once mapped, @dir none for attach and detach, the exporter's @ret.
 */
DECLARE_EVENT_CLASS(dma_demo_dmabuf,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret),
	TP_STRUCT__entry(
		__field(size_t, size)
		__field(unsigned int, orig_nents)
		__field(unsigned int, nents)
		__field(int, dir)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->size = attach->dmabuf->size;
		__entry->orig_nents = sgt->orig_nents;
		__entry->nents = sgt->nents;
		__entry->dir = dir;
		__entry->ret = ret;
	),
	TP_printk("size=%zu orig_nents=%u nents=%u dir=%s ret=%d",
		  __entry->size, __entry->orig_nents, __entry->nents,
		  __print_symbolic(__entry->dir,
				   { DMA_BIDIRECTIONAL, "bidirectional" },
				   { DMA_TO_DEVICE, "to_device" },
				   { DMA_FROM_DEVICE, "from_device" },
				   { DMA_NONE, "none" }),
		  __entry->ret)
);

DEFINE_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_attach,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

DEFINE_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_detach,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

DEFINE_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_map,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

DEFINE_EVENT(dma_demo_dmabuf, dma_demo_dmabuf_unmap,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

#endif /* _DMA_DEMO_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE dma_demo_trace
#include <trace/define_trace.h>
