/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dma_demo: the ioctls of /dev/dma_demoN, the driver for QEMU's edu device.
 *
 * The file is the device's 4 KiB internal buffer; read/write move data
 * with the device's DMA engine.  The ioctls pick how the host side of a
 * transfer is buffered and drive the zero-copy path through mmap().
 */
#ifndef _UAPI_DMA_DEMO_H
#define _UAPI_DMA_DEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Bytes of device memory, and of the host buffer that mmap() maps.  The
 * file itself may end one byte short (module parameter full_buffer):
 * lseek(fd, 0, SEEK_END) tells its size.
 */
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
 *
 * A transfer to the device needs a file open for writing, one from it a
 * file open for reading (else EBADF).
 */
struct dma_demo_xfer {
	__u32 dir;
	__u32 flags;
	__u64 dev_offset;
	__u64 buf_offset;
	__u64 len;
};

#define DMA_DEMO_IOC_MAGIC	'E'

#define DMA_DEMO_IOC_SET_STRATEGY	_IOW(DMA_DEMO_IOC_MAGIC, 0, __u32)
#define DMA_DEMO_IOC_GET_STRATEGY	_IOR(DMA_DEMO_IOC_MAGIC, 1, __u32)
#define DMA_DEMO_IOC_XFER		_IOW(DMA_DEMO_IOC_MAGIC, 2, struct dma_demo_xfer)

#endif /* _UAPI_DMA_DEMO_H */
