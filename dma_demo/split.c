// SPDX-License-Identifier: GPL-2.0
/* dma_demo: the logic that needs no device, tested by KUnit on its own. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <kunit/visibility.h>

#include "kmm_rules.h"
#include "dma_demo.h"

/**
 * dma_demo_split() - cut a user range into segments, none across a page
 * @uaddr: user address of the first byte
 * @len: bytes
 * @max_seg: the longest segment allowed
 * @segs: filled in order; pages counted from @uaddr's, as pinned
 * @max_segs: room in @segs
 * Return: the number of segments, -EINVAL for a @max_seg of 0 or a range
 * that wraps, -E2BIG if @segs is too small.
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

/*
 * The rule of both transfer ioctls: @len bytes, @dir either way, at
 * @dev_off in @size bytes of device memory and at @buf_off in @buf_size
 * bytes of the other side.  @len is bounded by both sizes before the
 * subtractions, so neither can wrap.
 */
static int dma_demo_check_ranges(u32 dir, u64 dev_off, u64 buf_off, u64 len,
				 u64 size, u64 buf_size)
{
	if (dir != DMA_DEMO_TO_DEVICE && dir != DMA_DEMO_FROM_DEVICE)
		return -EINVAL;
	if (!len || len > size || len > buf_size)
		return -EINVAL;
	if (dev_off > size - len || buf_off > buf_size - len)
		return -EINVAL;
	return 0;
}

/**
 * dma_demo_check_xfer() - check the arguments of DMA_DEMO_IOC_XFER
 * @x: as copied from user space
 * @size: bytes of device memory the file exposes
 * Return: 0, or -EINVAL (direction, flags, length, either range).
 */
int dma_demo_check_xfer(const struct dma_demo_xfer *x, size_t size)
{
	if (x->flags)
		return -EINVAL;
	return dma_demo_check_ranges(x->dir, x->dev_offset, x->buf_offset,
				     x->len, size, DMA_DEMO_DEV_SIZE);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_check_xfer);

/**
 * dma_demo_regs_check() - may a mapping of the registers cover this range?
 * @bar_len: bytes of BAR0
 * @pgoff: the mapping's vm_pgoff, at or past DMA_DEMO_REGS_OFFSET's page
 * @len: the mapping's length in bytes
 * Return: 0 if every page of the mapping lies in BAR0, else -EINVAL.
 */
int dma_demo_regs_check(resource_size_t bar_len, unsigned long pgoff,
			unsigned long len)
{
	/* Whole pages only: a page past a short BAR is another device's. */
	if (pgoff < DMA_DEMO_REGS_PGOFF || bar_len < PAGE_SIZE)
		return -EINVAL;
	return kmm_check_mmap_range(bar_len & PAGE_MASK,
				    pgoff - DMA_DEMO_REGS_PGOFF, len);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_regs_check);

/**
 * dma_demo_check_alloc() - check DMA_DEMO_IOC_ALLOC_DMABUF against the cap
 * @size: bytes asked for
 * @flags: as given (O_CLOEXEC and O_RDWR only)
 * @max: the cap in bytes, for one buffer and for all live ones together
 * @held: bytes the live buffers hold
 * Return: the buffer's pages, -EINVAL (flags, @size 0 or above @max), or
 * -ENOMEM when the live buffers and this one would exceed @max.
 */
long dma_demo_check_alloc(u64 size, u32 flags, u64 max, u64 held)
{
	/* Rounded up to pages without PAGE_ALIGN(), which wraps at the top. */
	u64 pages = (size >> PAGE_SHIFT) + !!offset_in_page(size);

	if (flags & ~(O_CLOEXEC | O_RDWR))
		return -EINVAL;
	if (!size || size > max || pages > max >> PAGE_SHIFT)
		return -EINVAL;
	if (held > max || pages > (max - held) >> PAGE_SHIFT)
		return -ENOMEM;
	return pages;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_check_alloc);

/**
 * dma_demo_check_dmabuf_xfer() - check DMA_DEMO_IOC_DMABUF_XFER
 * @x: as copied from user space
 * @size: bytes of device memory the file exposes
 * @buf_size: bytes of the dma-buf
 * Return: 0, or -EINVAL (direction, length, either range).
 */
int dma_demo_check_dmabuf_xfer(const struct dma_demo_dmabuf_xfer *x,
			       size_t size, u64 buf_size)
{
	return dma_demo_check_ranges(x->dir, x->dev_offset, x->buf_offset,
				     x->len, size, buf_size);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_check_dmabuf_xfer);

/**
 * dma_demo_sg_walk_start() - walk a mapped sg_table from a byte offset
 * @w: the walk
 * @sgt: a table mapped for DMA (its nents DMA segments are walked)
 * @off: offset of the first byte, in the buffer the table maps
 * @len: bytes to walk
 * Return: 0, or -EINVAL if the mapping ends first (never walked short).
 */
int dma_demo_sg_walk_start(struct dma_demo_sg_walk *w,
			   const struct sg_table *sgt, u64 off, u64 len)
{
	struct scatterlist *sg;
	u64 total = 0;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i)
		total += sg_dma_len(sg);
	if (off > total || len > total - off)
		return -EINVAL;
	w->sg = sgt->sgl;
	w->segs = sgt->nents;
	w->left = len;
	while (w->segs && off >= sg_dma_len(w->sg)) {
		off -= sg_dma_len(w->sg);
		w->sg = sg_next(w->sg);
		w->segs--;
	}
	w->skip = off;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_sg_walk_start);

/**
 * dma_demo_sg_walk_next() - the next piece of a walk
 * @w: the walk, from dma_demo_sg_walk_start()
 * @max: the longest piece the device takes
 * @dma: set to the bus address of the piece
 * @len: set to its length: at most @max, never across a DMA segment
 * Return: true with a piece, false at the end of the walk.
 */
bool dma_demo_sg_walk_next(struct dma_demo_sg_walk *w, size_t max,
			   dma_addr_t *dma, size_t *len)
{
	while (w->left && w->segs) {
		size_t seg = sg_dma_len(w->sg) - w->skip;

		if (seg) {
			*dma = sg_dma_address(w->sg) + w->skip;
			*len = min_t(u64, min(seg, max), w->left);
			w->skip += *len;
			w->left -= *len;
			if (w->skip < sg_dma_len(w->sg))
				return true;
		}
		w->sg = sg_next(w->sg);
		w->segs--;
		w->skip = 0;
		if (seg)
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_sg_walk_next);

/**
 * dma_demo_reachable() - can the device address a piece of host memory?
 * @dma: bus address of the first byte
 * @len: bytes, at least 1
 * @mask: the device's DMA mask
 * Return: true when every byte lies at or below @mask.
 */
bool dma_demo_reachable(dma_addr_t dma, size_t len, u64 mask)
{
	return len && dma <= mask && len - 1 <= mask - dma;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_reachable);
