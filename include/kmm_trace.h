/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events that two modules define alike, each under its own
 * TRACE_SYSTEM, as include/trace/events/ does with DEFINE_*_EVENT helpers.
 * A module's trace header includes this one, with the types its events
 * use, and names each event in full so that grep finds it there.
 */
#ifndef KMM_TRACE_H
#define KMM_TRACE_H

/*
 * A fault through .fault, once handled: of the @window pages around @addr,
 * @mapped were mapped by this fault, the faulting one included.  @ret
 * prints in hex: perf and trace-cmd cannot read VM_FAULT_RESULT_TRACE's
 * names back from the format.
 */
#define KMM_FAULT_EVENT(name)						\
TRACE_EVENT(name,							\
	TP_PROTO(const struct vm_area_struct *vma, unsigned long addr,	\
		 unsigned long window, unsigned long mapped, vm_fault_t ret), \
	TP_ARGS(vma, addr, window, mapped, ret),			\
	TP_STRUCT__entry(						\
		__field(unsigned long, addr)				\
		__field(unsigned long, pgoff)				\
		__field(unsigned long, window)				\
		__field(unsigned long, mapped)				\
		__field(unsigned int, ret)				\
	),								\
	TP_fast_assign(							\
		__entry->addr = addr;					\
		__entry->pgoff = vma->vm_pgoff +			\
				 ((addr - vma->vm_start) >> PAGE_SHIFT); \
		__entry->window = window;				\
		__entry->mapped = mapped;				\
		__entry->ret = (__force unsigned int)ret;		\
	),								\
	TP_printk("addr=0x%lx pgoff=%lu window=%lu mapped=%lu ret=0x%x", \
		  __entry->addr, __entry->pgoff, __entry->window,	\
		  __entry->mapped, __entry->ret)			\
)

/*
 * An importer's attach, map, unmap and detach of an exported buffer
 * (kmm_dmabuf.h): @nents as mapped once mapped, @dir none for attach and
 * detach, the exporter's @ret.  The class, then each event of it; the
 * includer has TRACE_DEFINE_ENUM() for the four DMA directions.
 */
#define KMM_DMABUF_EVENT_CLASS(class)					\
DECLARE_EVENT_CLASS(class,						\
	TP_PROTO(const struct dma_buf_attachment *attach,		\
		 const struct sg_table *sgt, enum dma_data_direction dir, \
		 int ret),						\
	TP_ARGS(attach, sgt, dir, ret),					\
	TP_STRUCT__entry(						\
		__field(size_t, size)					\
		__field(unsigned int, orig_nents)			\
		__field(unsigned int, nents)				\
		__field(int, dir)					\
		__field(int, ret)					\
	),								\
	TP_fast_assign(							\
		__entry->size = attach->dmabuf->size;			\
		__entry->orig_nents = sgt->orig_nents;			\
		__entry->nents = sgt->nents;				\
		__entry->dir = dir;					\
		__entry->ret = ret;					\
	),								\
	TP_printk("size=%zu orig_nents=%u nents=%u dir=%s ret=%d",	\
		  __entry->size, __entry->orig_nents, __entry->nents,	\
		  __print_symbolic(__entry->dir,			\
				   { DMA_BIDIRECTIONAL, "bidirectional" }, \
				   { DMA_TO_DEVICE, "to_device" },	\
				   { DMA_FROM_DEVICE, "from_device" },	\
				   { DMA_NONE, "none" }),		\
		  __entry->ret)						\
)

#define KMM_DMABUF_EVENT(class, name)					\
DEFINE_EVENT(class, name,						\
	TP_PROTO(const struct dma_buf_attachment *attach,		\
		 const struct sg_table *sgt, enum dma_data_direction dir, \
		 int ret),						\
	TP_ARGS(attach, sgt, dir, ret)					\
)

#endif /* KMM_TRACE_H */
