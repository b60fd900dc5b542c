/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmap_demo's tracepoint, in /sys/kernel/tracing/events/mmap_demo/: a
 * fault of the fault or insert node, and the window of pages it mapped.
 * Defined the out-of-tree way (samples/trace_events/): main.c creates it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mmap_demo

#if !defined(_MMAP_DEMO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MMAP_DEMO_TRACE_H

#include <linux/mm_types.h>
#include <linux/tracepoint.h>

/*
 * A vm_fault_t is printed in hex: VM_FAULT_RESULT_TRACE's names are enum
 * constants, which perf and trace-cmd could not read back from the
 * event's format without a TRACE_DEFINE_ENUM for each, kernel by kernel.
 */

/*
 * A fault at @addr, once handled, with the handler's result @ret: a
 * window of @window pages around it, of which @mapped were mapped by this
 * fault, the faulting page included.  The faulting page is handed to the
 * core (ret 0) and counts as one, though finish_fault() maps nothing if a
 * racing fault filled the PTE first; past the buffer (SIGBUS) nothing is
 * mapped and no window is looked at.  The buffer's pages are order 0:
 * never a PMD entry.
 */
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
