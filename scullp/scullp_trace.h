/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scullp's tracepoints, in /sys/kernel/tracing/events/scullp/: the faults
 * of a mapping and the life of the quanta.  Defined the out-of-tree way
 * (samples/trace_events/): main.c creates them, with -I$(src) so that
 * define_trace.h finds this file again through TRACE_INCLUDE_PATH.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM scullp

#if !defined(_SCULLP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SCULLP_TRACE_H

#include <linux/kdev_t.h>
#include <linux/mm_types.h>
#include <linux/tracepoint.h>

#include "scullp.h"

/*
 * A vm_fault_t is printed in hex: VM_FAULT_RESULT_TRACE's names are enum
 * constants, which perf and trace-cmd could not read back from the
 * event's format without a TRACE_DEFINE_ENUM for each, kernel by kernel.
 */

/*
 * A fault through .fault, page by page, once handled: @window pages
 * around @addr could be covered (the prefault window), @mapped were
 * mapped by this fault, the faulting page included, and the handler
 * returned @ret.  An order-0 faulting page is handed to the core (ret 0)
 * and counts as one, though finish_fault() maps nothing if a racing fault
 * filled the PTE first; a page of a compound quantum counts once the
 * driver's own insert put it in (ret NOPAGE).
 */
TRACE_EVENT(scullp_fault,
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

/*
 * A fault through .huge_fault that asked for one PMD entry over @window
 * pages (a PMD's span) at @addr, and what can be said of it: whether the
 * entry was empty when the fault began (@was_none: pmd_none() of
 * vmf->orig_pmd; else a write fault upgrading a read-only entry), whether
 * a leaf entry is there after the insert (@leaf_after: a lockless look,
 * ours or a racing fault's, and gone already if MADV_DONTNEED came in
 * between), and the handler's result @ret.  vmf_insert_pfn_pmd() answers
 * NOPAGE also when it left a page table there alone: @ret does not say
 * that this fault mapped the span.  Only a span the driver can map this
 * way is traced: the rest falls back to .fault, traced as scullp_fault.
 */
TRACE_EVENT(scullp_huge_fault,
	TP_PROTO(const struct vm_fault *vmf, unsigned long window,
		 bool was_none, bool leaf_after, vm_fault_t ret),
	TP_ARGS(vmf, window, was_none, leaf_after, ret),
	TP_STRUCT__entry(
		__field(unsigned long, addr)
		__field(unsigned long, pgoff)
		__field(unsigned long, window)
		__field(bool, was_none)
		__field(bool, leaf_after)
		__field(unsigned int, ret)
	),
	TP_fast_assign(
		__entry->addr = vmf->address;
		__entry->pgoff = vmf->pgoff;
		__entry->window = window;
		__entry->was_none = was_none;
		__entry->leaf_after = leaf_after;
		__entry->ret = (__force unsigned int)ret;
	),
	TP_printk("addr=0x%lx pgoff=%lu window=%lu was_none=%d leaf_after=%d ret=0x%x",
		  __entry->addr, __entry->pgoff, __entry->window,
		  __entry->was_none, __entry->leaf_after,
		  __entry->ret)
);

/*
 * The quantum @quantum of qset @qset comes (a write) or goes (a trim, or
 * a write that stored nothing in it); @nr_quanta counts it.
 */
DECLARE_EVENT_CLASS(scullp_quantum,
	TP_PROTO(const struct scullp_dev *dev, unsigned long qset,
		 unsigned int quantum),
	TP_ARGS(dev, qset, quantum),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned long, qset)
		__field(unsigned int, quantum)
		__field(unsigned int, order)
		__field(unsigned long, nr_quanta)
	),
	TP_fast_assign(
		__entry->minor = MINOR(dev->cdev.dev);
		__entry->qset = qset;
		__entry->quantum = quantum;
		__entry->order = dev->order;
		__entry->nr_quanta = dev->nr_quanta;
	),
	TP_printk("minor=%u qset=%lu quantum=%u order=%u nr_quanta=%lu",
		  __entry->minor, __entry->qset, __entry->quantum,
		  __entry->order, __entry->nr_quanta)
);

DEFINE_EVENT(scullp_quantum, scullp_quantum_alloc,
	TP_PROTO(const struct scullp_dev *dev, unsigned long qset,
		 unsigned int quantum),
	TP_ARGS(dev, qset, quantum)
);

DEFINE_EVENT(scullp_quantum, scullp_quantum_free,
	TP_PROTO(const struct scullp_dev *dev, unsigned long qset,
		 unsigned int quantum),
	TP_ARGS(dev, qset, quantum)
);

/* A trim: @size bytes in @nr_quanta quanta go, the new geometry comes. */
TRACE_EVENT(scullp_trim,
	TP_PROTO(const struct scullp_dev *dev, unsigned int order,
		 unsigned int qset),
	TP_ARGS(dev, order, qset),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(loff_t, size)
		__field(unsigned long, nr_quanta)
		__field(unsigned int, order)
		__field(unsigned int, qset)
	),
	TP_fast_assign(
		__entry->minor = MINOR(dev->cdev.dev);
		__entry->size = dev->size;
		__entry->nr_quanta = dev->nr_quanta;
		__entry->order = order;
		__entry->qset = qset;
	),
	TP_printk("minor=%u size=%lld nr_quanta=%lu order=%u qset=%u",
		  __entry->minor, __entry->size, __entry->nr_quanta,
		  __entry->order, __entry->qset)
);

#endif /* _SCULLP_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE scullp_trace
#include <trace/define_trace.h>
