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

#include "kmm_trace.h"

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

KMM_DMABUF_EVENT_CLASS(vmalloc_demo_dmabuf);
KMM_DMABUF_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_attach);
KMM_DMABUF_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_detach);
KMM_DMABUF_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_map);
KMM_DMABUF_EVENT(vmalloc_demo_dmabuf, vmalloc_demo_dmabuf_unmap);

#endif /* _VMALLOC_DEMO_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE vmalloc_demo_trace
#include <trace/define_trace.h>
