/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmalloc_demo ioctl interface, on magic 0xA6 (free in the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst).
 *
 * VMALLOC_DEMO_IOCINFO fills a struct vmalloc_demo_info: the buffer's size
 * in bytes, its page count, and the number of runs of physically contiguous
 * pages (1 if the whole buffer is one physical block, pages if no page
 * follows its predecessor in physical memory).
 *
 * VMALLOC_DEMO_IOCRESIZE reads a __u64 byte count through its pointer and
 * gives the buffer that size, rounded up to whole pages.  The bytes both
 * sizes share are kept; bytes past the old end read as zeros.  Errors:
 * EBADF on a descriptor not open for writing (as write() gives), EINVAL
 * for 0 or more than VMALLOC_DEMO_MAX_SIZE, EBUSY while the buffer is
 * mapped or exported, ENOMEM if the new buffer cannot be allocated (the
 * old one is then left as it was), EFAULT for a bad pointer.
 *
 * VMALLOC_DEMO_IOCEXPORT exports the buffer as a dma-buf and returns a new
 * file descriptor for it in struct vmalloc_demo_export.fd.  .flags takes
 * O_RDWR (the dma-buf may be mapped for writing; the device must be open
 * for writing, else EACCES) and O_CLOEXEC (for the new descriptor);
 * anything else is EINVAL.  The dma-buf can be mmapped (MAP_SHARED, CPU
 * access bracketed by DMA_BUF_IOCTL_SYNC) and imported by device drivers.
 * While it lives the buffer cannot be resized (EBUSY) and the module
 * cannot be unloaded.
 *
 * Any other command fails with ENOTTY.
 */
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
 * @mappings: live user-space mappings of /dev/vmalloc_demo (mappings of
 *	a dma-buf export are the export's, not counted here)
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

#define VMALLOC_DEMO_IOCINFO	_IOR(VMALLOC_DEMO_IOC_MAGIC, 0, struct vmalloc_demo_info)
#define VMALLOC_DEMO_IOCRESIZE	_IOW(VMALLOC_DEMO_IOC_MAGIC, 1, __u64)
#define VMALLOC_DEMO_IOCEXPORT	_IOWR(VMALLOC_DEMO_IOC_MAGIC, 2, struct vmalloc_demo_export)

#endif /* _UAPI_VMALLOC_DEMO_H */
