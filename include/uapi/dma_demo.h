/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dma_demo: the ioctls of /dev/dma_demoN, the driver for QEMU's edu device.
 *
 * The file is the device's 4 KiB internal buffer; read/write move data
 * with the device's DMA engine.  The ioctls pick how the host side of a
 * transfer is buffered, drive the zero-copy path through mmap(), hand out
 * DMA buffers as dma-buf file descriptors, and move data between device
 * memory and any dma-buf (the driver's own, udmabuf, a DMA heap's, ...).
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

/**
 * struct dma_demo_alloc - a DMA buffer handed out as a dma-buf
 * @size: in: bytes, at least 1; out: rounded up to whole pages.  At most
 *	the module parameter dmabuf_max_mb (MiB), which also caps the bytes
 *	all live buffers hold together
 * @flags: in: O_CLOEXEC and O_RDWR only (without O_RDWR the dma-buf, and
 *	any mapping of it, is read-only)
 * @fd: out: the dma-buf file descriptor
 *
 * The buffer is zeroed pages, scattered in physical memory.  mmap() of
 * the fd (MAP_SHARED) maps those pages; bracket CPU access with
 * DMA_BUF_IOCTL_SYNC.  It lives until the fd is closed and its last
 * mapping and importer let go, even if the device goes away first.
 * Errors: EINVAL for a bad flag or a size of 0 or above the cap, ENOMEM
 * when all live buffers would hold more than the cap (or no memory),
 * EFAULT, ENODEV after the device went away, EMFILE.
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
 *
 * Errors: EBADF for a bad @fd, a transfer to the device on a file not
 * open for writing, from it on one not open for reading or into a
 * read-only dma-buf; EINVAL for an @fd that is no dma-buf, a bad @dir, or
 * a range that does not fit; ENODEV, ETIMEDOUT, EINTR as for read(2);
 * whatever the exporter answers (ENOMEM, EOPNOTSUPP, ...).  Where the
 * device cannot reach the buffer's pages the bytes go through the
 * driver's own coherent buffer (sysfs counter "bounced").
 */
struct dma_demo_dmabuf_xfer {
	__s32 fd;
	__u32 dir;
	__u64 dev_offset;
	__u64 buf_offset;
	__u64 len;
};

/*
 * The device's registers: mmap() of DMA_DEMO_REGS_OFFSET maps BAR0, as
 * the PCI core's resource0 does, for a process with CAP_SYS_RAWIO only
 * (as /proc/bus/pci's mmap asks) and not under lockdown: MAP_SHARED,
 * uncached, never executable, at most the BAR's length (DMA_DEMO_REGS_SIZE
 * on QEMU's edu; a BAR shorter than a page is not mapped).  Accesses
 * below 0x80 are 32-bit.  Errors: EPERM without the capability, under
 * lockdown or with PROT_EXEC (READ_IMPLIES_EXEC included; mprotect()
 * cannot add it: EACCES), EINVAL for MAP_PRIVATE or a range past the BAR,
 * ENODEV after the device went away.  A touch of the mapping once the
 * device is unbound or removed raises SIGBUS.
 */
#define DMA_DEMO_REGS_OFFSET	0x10000000	/* page-aligned on any page size */
#define DMA_DEMO_REGS_SIZE	0x100000
#define DMA_DEMO_REG_ID		0x00	/* 0xRRrr00ed: version RR.rr */
#define DMA_DEMO_REG_LIVENESS	0x04	/* reads back the inverse of a write */
#define DMA_DEMO_REG_FACTORIAL	0x08	/* write n, read n! once computed */
#define DMA_DEMO_REG_STATUS	0x20
#define DMA_DEMO_STATUS_COMPUTING 0x01	/* the factorial is not ready */

#define DMA_DEMO_IOC_MAGIC	'E'

#define DMA_DEMO_IOC_SET_STRATEGY	_IOW(DMA_DEMO_IOC_MAGIC, 0, __u32)
#define DMA_DEMO_IOC_GET_STRATEGY	_IOR(DMA_DEMO_IOC_MAGIC, 1, __u32)
#define DMA_DEMO_IOC_XFER		_IOW(DMA_DEMO_IOC_MAGIC, 2, struct dma_demo_xfer)
#define DMA_DEMO_IOC_ALLOC_DMABUF	_IOWR(DMA_DEMO_IOC_MAGIC, 3, struct dma_demo_alloc)
#define DMA_DEMO_IOC_DMABUF_XFER	_IOW(DMA_DEMO_IOC_MAGIC, 4, struct dma_demo_dmabuf_xfer)

#endif /* _UAPI_DMA_DEMO_H */
