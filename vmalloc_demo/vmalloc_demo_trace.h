/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmalloc_demo's tracepoints (docs/tracing.md), defined the out-of-tree way
 * (samples/trace_events/): main.c creates them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vmalloc_demo

#if !defined(_VMALLOC_DEMO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VMALLOC_DEMO_TRACE_H

#include <linux/dma-buf.h>
#include <linux/dma-direction.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/tracepoint.h>

/*
 * A fault on a page zapped since mmap(), on the device's mapping or the
 * dma-buf's.  @ret prints in hex: perf and trace-cmd cannot read back
 * VM_FAULT_RESULT_TRACE's enum names from the format.
 */
TRACE_EVENT(vmalloc_demo_fault,
	TP_PROTO(const struct vm_fault *vmf, vm_fault_t ret),
	TP_ARGS(vmf, ret),
	TP_STRUCT__entry(
		__field(unsigned long, addr)
		__field(unsigned long, pgoff)
		__field(unsigned long, mapped)
		__field(unsigned int, ret)
	),
	TP_fast_assign(
		__entry->addr = vmf->address;
		__entry->pgoff = vmf->pgoff;
		__entry->mapped = ret ? 0 : 1;
		__entry->ret = (__force unsigned int)ret;
	),
	TP_printk("addr=0x%lx pgoff=%lu mapped=%lu ret=0x%x",
		  __entry->addr, __entry->pgoff, __entry->mapped,
		  __entry->ret)
);

TRACE_DEFINE_ENUM(DMA_BIDIRECTIONAL);
TRACE_DEFINE_ENUM(DMA_TO_DEVICE);
TRACE_DEFINE_ENUM(DMA_FROM_DEVICE);
TRACE_DEFINE_ENUM(DMA_NONE);

/* An importer's attach, map, unmap, detach; @nents as mapped once mapped. */
DECLARE_EVENT_CLASS(vmalloc_demo_dmabuf,
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

DEFINE_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_attach,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

DEFINE_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_detach,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

DEFINE_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_map,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

DEFINE_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_unmap,
	TP_PROTO(const struct dma_buf_attachment *attach,
		 const struct sg_table *sgt, enum dma_data_direction dir,
		 int ret),
	TP_ARGS(attach, sgt, dir, ret)
);

#endif /* _VMALLOC_DEMO_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE vmalloc_demo_trace
#include <trace/define_trace.h>
