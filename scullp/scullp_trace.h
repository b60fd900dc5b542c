/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scullp's tracepoints (docs/tracing.md): the faults of a mapping and the
 * life of the quanta.  Defined the out-of-tree way (samples/trace_events/):
 * main.c creates them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM scullp

#if !defined(_SCULLP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SCULLP_TRACE_H

#include <linux/kdev_t.h>
#include <linux/mm_types.h>
#include <linux/tracepoint.h>

#include "kmm_trace.h"
#include "scullp.h"

/* A fault through .fault (kmm_trace.h). */
KMM_FAULT_EVENT(scullp_fault);

/*
 * A fault through .huge_fault on a span it can map with one PMD entry (the
 * rest falls back to scullp_fault): @was_none false is a write fault on a
 * read-only entry, and @leaf_after may be a racing fault's.
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

/* A quantum comes (a write) or goes (a trim, a write that stored nothing). */
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
