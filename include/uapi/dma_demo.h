/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* /dev/dma_demoN, QEMU's edu device: docs/dma.md and docs/dma-buf.md. */
#ifndef _UAPI_DMA_DEMO_H
#define _UAPI_DMA_DEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Device memory and host buffer bytes; lseek(SEEK_END) gives the file's. */
#define DMA_DEMO_DEV_SIZE	4096

/* How read/write buffer the host side of a transfer (per open file). */
#define DMA_DEMO_COHERENT	0	/* dma_alloc_coherent buffer + copy (default) */
#define DMA_DEMO_STREAMING	1	/* kmalloc + dma_map_single + copy */
#define DMA_DEMO_DIRECT		2	/* the caller's pages, pinned: no copy */
#define DMA_DEMO_NR_STRATEGIES	3

/* Directions of DMA_DEMO_IOC_XFER. */
#define DMA_DEMO_TO_DEVICE	0	/* mmap()ed host buffer -> device memory */
#define DMA_DEMO_FROM_DEVICE	1	/* device memory -> mmap()ed host buffer */

/**
 * struct dma_demo_xfer - one DMA between the mmap()able buffer and the device
 * @dir: DMA_DEMO_TO_DEVICE or DMA_DEMO_FROM_DEVICE
 * @flags: must be 0
 * @dev_offset: byte offset in device memory
 * @buf_offset: byte offset in the host buffer that mmap() maps
 * @len: bytes, 1 to DMA_DEMO_DEV_SIZE; both ranges must fit
 */
struct dma_demo_xfer {
	__u32 dir;
	__u32 flags;
	__u64 dev_offset;
	__u64 buf_offset;
	__u64 len;
};

/**
 * struct dma_demo_alloc - zeroed pages handed out as a dma-buf
 * @size: in: bytes, 1 to dmabuf_max_mb MiB (all live buffers' cap); out: paged
 * @flags: in: O_CLOEXEC, O_RDWR (without it the dma-buf is read-only)
 * @fd: out: the dma-buf file descriptor
 */
struct dma_demo_alloc {
	__u64 size;
	__u32 flags;
	__s32 fd;
};

/**
 * struct dma_demo_dmabuf_xfer - one DMA between device memory and a dma-buf
 * @fd: the dma-buf (any exporter's)
 * @dir: DMA_DEMO_TO_DEVICE (dma-buf -> device) or DMA_DEMO_FROM_DEVICE
 * @dev_offset: byte offset in device memory
 * @buf_offset: byte offset in the dma-buf
 * @len: bytes, 1 to the size of device memory; both ranges must fit
 */
struct dma_demo_dmabuf_xfer {
	__s32 fd;
	__u32 dir;
	__u64 dev_offset;
	__u64 buf_offset;
	__u64 len;
};

/*
 * mmap() at DMA_DEMO_REGS_OFFSET maps BAR0 (docs/mmap.md, Device I/O memory).
 * EPERM: no CAP_SYS_RAWIO, lockdown, PROT_EXEC; EINVAL: MAP_PRIVATE, past the
 * BAR; ENODEV once the device is gone, when a touch gets SIGBUS.
 */
#define DMA_DEMO_REGS_OFFSET	0x10000000	/* page-aligned on any page size */
#define DMA_DEMO_REGS_SIZE	0x100000	/* edu's; 32-bit accesses below 0x80 */
#define DMA_DEMO_REG_ID		0x00	/* 0xRRrr00ed: version RR.rr */
#define DMA_DEMO_REG_LIVENESS	0x04	/* reads back the inverse of a write */
#define DMA_DEMO_REG_FACTORIAL	0x08	/* write n, read n! once computed */
#define DMA_DEMO_REG_STATUS	0x20
#define DMA_DEMO_STATUS_COMPUTING 0x01	/* the factorial is not ready */

#define DMA_DEMO_IOC_MAGIC	'E'

/* This file's strategy. EINVAL (SET: no such strategy), EFAULT, ENODEV. */
#define DMA_DEMO_IOC_SET_STRATEGY	_IOW(DMA_DEMO_IOC_MAGIC, 0, __u32)
#define DMA_DEMO_IOC_GET_STRATEGY	_IOR(DMA_DEMO_IOC_MAGIC, 1, __u32)
/* Host buffer <-> device. EINVAL, EFAULT, EBADF, ENODEV, ETIMEDOUT, EINTR. */
#define DMA_DEMO_IOC_XFER		_IOW(DMA_DEMO_IOC_MAGIC, 2, struct dma_demo_xfer)
/* A new dma-buf. EINVAL (flags, size), ENOMEM (cap), EFAULT, ENODEV, EMFILE. */
#define DMA_DEMO_IOC_ALLOC_DMABUF	_IOWR(DMA_DEMO_IOC_MAGIC, 3, struct dma_demo_alloc)
/*
 * Device <-> any dma-buf. EBADF (fd, open mode, read-only dma-buf), EINVAL (no
 * dma-buf, dir, range), ENODEV, ETIMEDOUT, EINTR, and the exporter's errors.
 */
#define DMA_DEMO_IOC_DMABUF_XFER	_IOW(DMA_DEMO_IOC_MAGIC, 4, struct dma_demo_dmabuf_xfer)

#endif /* _UAPI_DMA_DEMO_H */
