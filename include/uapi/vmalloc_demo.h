/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* /dev/vmalloc_demo: docs/vmalloc.md; magic 0xA6, free in ioctl-number.rst. */
#ifndef _UAPI_VMALLOC_DEMO_H
#define _UAPI_VMALLOC_DEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMALLOC_DEMO_MAX_SIZE	(4ULL << 30)	/* bytes: largest buffer */

/* Values of vmalloc_demo_info.backend */
#define VMALLOC_DEMO_BACKEND_VMALLOC	0	/* one __vmalloc() call */
#define VMALLOC_DEMO_BACKEND_VMAP	1	/* alloc_page() per page, vmap() */

/**
 * struct vmalloc_demo_info - what VMALLOC_DEMO_IOCINFO reports
 * @size: buffer size in bytes, a multiple of the page size
 * @pages: number of pages
 * @runs: runs of physically contiguous pages, 1 to @pages
 * @backend: one of VMALLOC_DEMO_BACKEND_*
 * @mappings: live mappings of /dev/vmalloc_demo (not of its dma-buf exports)
 */
struct vmalloc_demo_info {
	__u64 size;
	__u64 pages;
	__u64 runs;
	__u32 backend;
	__u32 mappings;
};

/**
 * struct vmalloc_demo_export - VMALLOC_DEMO_IOCEXPORT's argument
 * @flags: in: O_RDWR and/or O_CLOEXEC, or 0 (a read-only dma-buf)
 * @fd: out: the dma-buf's file descriptor
 */
struct vmalloc_demo_export {
	__u32 flags;
	__s32 fd;
};

#define VMALLOC_DEMO_IOC_MAGIC	0xA6

/* The buffer's shape. EFAULT, EINTR. */
#define VMALLOC_DEMO_IOCINFO	_IOR(VMALLOC_DEMO_IOC_MAGIC, 0, struct vmalloc_demo_info)
/*
 * Resize to *arg bytes, keeping the common prefix. EBADF (not open for
 * writing), EINVAL, EPERM, EBUSY (mapped or exported), ENOMEM, EFAULT.
 */
#define VMALLOC_DEMO_IOCRESIZE	_IOW(VMALLOC_DEMO_IOC_MAGIC, 1, __u64)
/* The buffer as a dma-buf. EINVAL, EACCES (O_RDWR), EMFILE, ENOMEM, EFAULT. */
#define VMALLOC_DEMO_IOCEXPORT	_IOWR(VMALLOC_DEMO_IOC_MAGIC, 2, struct vmalloc_demo_export)
/* Any other command: ENOTTY. */

#endif /* _UAPI_VMALLOC_DEMO_H */
