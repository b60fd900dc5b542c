/* SPDX-License-Identifier: GPL-2.0 */
/* mmap_demo's fault event (docs/tracing.md), created by main.c. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mmap_demo

#if !defined(_MMAP_DEMO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MMAP_DEMO_TRACE_H

#include <linux/mm_types.h>
#include <linux/tracepoint.h>

#include "kmm_trace.h"

/* A fault: @mapped of the @window pages around @addr (both 0 past the end). */
KMM_FAULT_EVENT(mmap_demo_fault);

#endif /* _MMAP_DEMO_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE mmap_demo_trace
#include <trace/define_trace.h>
