/* SPDX-License-Identifier: GPL-2.0 */
/* mmap_demo's fault event (docs/tracing.md), created by main.c. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mmap_demo

#if !defined(_MMAP_DEMO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MMAP_DEMO_TRACE_H

#include <linux/mm_types.h>
#include <linux/tracepoint.h>

/* ret in hex: perf and trace-cmd cannot read VM_FAULT_RESULT_TRACE's names. */

/* A fault: @mapped of the @window pages around @addr (both 0 past the end). */
TRACE_EVENT(mmap_demo_fault,
	TP_PROTO(const struct vm_area_struct *vma, unsigned long addr,
		 unsigned long window, unsigned long mapped, vm_fault_t ret),
	TP_ARGS(vma, addr, window, mapped, ret),
	TP_STRUCT__entry(
		__field(unsigned long, addr)
		__field(unsigned long, pgoff)
		__field(unsigned long, window)
		__field(unsigned long, mapped)
		__field(unsigned int, ret)
	),
	TP_fast_assign(
		__entry->addr = addr;
		__entry->pgoff = vma->vm_pgoff +
				 ((addr - vma->vm_start) >> PAGE_SHIFT);
		__entry->window = window;
		__entry->mapped = mapped;
		__entry->ret = (__force unsigned int)ret;
	),
	TP_printk("addr=0x%lx pgoff=%lu window=%lu mapped=%lu ret=0x%x",
		  __entry->addr, __entry->pgoff, __entry->window,
		  __entry->mapped,
		  __entry->ret)
);

#endif /* _MMAP_DEMO_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE mmap_demo_trace
#include <trace/define_trace.h>
