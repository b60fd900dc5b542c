// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the logic that needs no device, tested by KUnit on its own.
 *
 * Which part of a read or write the device's 4 KiB can serve, how a user
 * buffer is cut into DMA segments (never across a page, never longer than
 * the device takes at once), and the checks of DMA_DEMO_IOC_XFER.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <kunit/visibility.h>

#include "dma_demo.h"

/**
 * dma_demo_clamp() - the bytes of a read or write that the device holds
 * @pos: file position
 * @len: bytes asked for
 * @size: bytes of device memory the file exposes
 * @write: true for a write
 *
 * Return: the bytes to move (short at the end of device memory, 0 for a
 * read at or past it or for @len 0), -EINVAL for a negative @pos, or
 * -ENOSPC for a write at or past the end.
 */
ssize_t dma_demo_clamp(loff_t pos, size_t len, size_t size, bool write)
{
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (pos >= size)
		return write ? -ENOSPC : 0;
	return min_t(size_t, len, size - pos);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_clamp);

/**
 * dma_demo_split() - cut a user range into DMA segments
 * @uaddr: user address of the first byte
 * @len: bytes
 * @max_seg: the longest segment allowed
 * @segs: filled with the segments, in order
 * @max_segs: room in @segs
 *
 * No segment crosses a page boundary or is longer than @max_seg; the page
 * of a segment is counted from the page that holds @uaddr, which is how
 * pin_user_pages_fast() returns them.
 *
 * Return: the number of segments (0 for @len 0), -EINVAL for a @max_seg
 * of 0 or a range that wraps, -E2BIG if @segs is too small.
 */
int dma_demo_split(unsigned long uaddr, size_t len, size_t max_seg,
		   struct dma_demo_seg *segs, unsigned int max_segs)
{
	unsigned long start = uaddr & PAGE_MASK;
	unsigned int n = 0;

	if (!max_seg || uaddr + len < uaddr)
		return -EINVAL;
	while (len) {
		size_t off = offset_in_page(uaddr);
		size_t seg = min3(len, max_seg, PAGE_SIZE - off);

		if (n == max_segs)
			return -E2BIG;
		segs[n].page = (uaddr - start) >> PAGE_SHIFT;
		segs[n].offset = off;
		segs[n].len = seg;
		n++;
		uaddr += seg;
		len -= seg;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_split);

/**
 * dma_demo_check_xfer() - check the arguments of DMA_DEMO_IOC_XFER
 * @x: as copied from user space
 * @size: bytes of device memory the file exposes
 *
 * Return: 0, or -EINVAL for an unknown direction, a flag, a length of 0
 * or above @size, or a range outside the device's @size bytes or the
 * DMA_DEMO_DEV_SIZE bytes of the host buffer.
 */
int dma_demo_check_xfer(const struct dma_demo_xfer *x, size_t size)
{
	if (x->dir != DMA_DEMO_TO_DEVICE && x->dir != DMA_DEMO_FROM_DEVICE)
		return -EINVAL;
	if (x->flags || !x->len || x->len > size)
		return -EINVAL;
	if (x->dev_offset > size - x->len ||
	    x->buf_offset > DMA_DEMO_DEV_SIZE - x->len)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_check_xfer);
