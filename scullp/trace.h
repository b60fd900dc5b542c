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
 * A fault on a mapping of the device: @window pages around @addr were
 * covered by it (the prefault window, or one PMD entry when @pmd).
 */
TRACE_EVENT(scullp_fault,
	TP_PROTO(const struct vm_area_struct *vma, unsigned long addr,
		 unsigned long window, bool pmd),
	TP_ARGS(vma, addr, window, pmd),
	TP_STRUCT__entry(
		__field(unsigned long, addr)
		__field(unsigned long, pgoff)
		__field(unsigned long, window)
		__field(bool, pmd)
	),
	TP_fast_assign(
		__entry->addr = addr;
		__entry->pgoff = vma->vm_pgoff +
				 ((addr - vma->vm_start) >> PAGE_SHIFT);
		__entry->window = window;
		__entry->pmd = pmd;
	),
	TP_printk("addr=0x%lx pgoff=%lu window=%lu pmd=%d",
		  __entry->addr, __entry->pgoff, __entry->window, __entry->pmd)
);

/* A write allocated the quantum @quantum of qset @qset. */
TRACE_EVENT(scullp_quantum_alloc,
	TP_PROTO(const struct scullp_dev *dev, const struct scullp_pos *where),
	TP_ARGS(dev, where),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned long, qset)
		__field(unsigned int, quantum)
		__field(unsigned int, order)
		__field(unsigned long, nr_quanta)
	),
	TP_fast_assign(
		__entry->minor = MINOR(dev->cdev.dev);
		__entry->qset = where->qset;
		__entry->quantum = where->quantum;
		__entry->order = dev->order;
		__entry->nr_quanta = dev->nr_quanta;
	),
	TP_printk("minor=%u qset=%lu quantum=%u order=%u nr_quanta=%lu",
		  __entry->minor, __entry->qset, __entry->quantum,
		  __entry->order, __entry->nr_quanta)
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
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
