// SPDX-License-Identifier: GPL-2.0
/*
 * scullp storage: the in-memory file behind each device, quanta in qsets
 * found through an xarray.  No files or user space here: data moves through
 * an iov_iter, so the KUnit suite drives it with kernel buffers.
 *
 * Locking: dev->lock is held for writing by every change and for reading by
 * scullp_read().  The fault path's scullp_page() needs none: quanta are
 * freed only by scullp_trim(), which refuses while a mapping exists, and a
 * quantum is zeroed before its pointer is published with release semantics.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "scullp.h"
#include "scullp_trace.h"

/**
 * scullp_valid_order() - is @order one the page allocator can give?
 * @order: a quantum order, 0 for single pages
 *
 * Return: true for 0 to %KMM_MAX_ORDER.
 */
bool scullp_valid_order(int order)
{
	return order >= 0 && order <= KMM_MAX_ORDER;
}
EXPORT_SYMBOL_IF_KUNIT(scullp_valid_order);

/**
 * scullp_valid_qset() - is @qset a usable number of quanta per qset?
 * @qset: quanta per qset
 *
 * Return: true for 1 to %SCULLP_QSET_MAX.
 */
bool scullp_valid_qset(int qset)
{
	return qset > 0 && qset <= SCULLP_QSET_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(scullp_valid_qset);

/**
 * scullp_setup() - initialise an empty device
 * @dev: the device
 * @order: quantum order
 * @qset: quanta per qset
 * @max_size: the device's capacity in bytes
 */
void scullp_setup(struct scullp_dev *dev, unsigned int order,
		  unsigned int qset, loff_t max_size)
{
	xa_init_flags(&dev->qsets, XA_FLAGS_ACCOUNT);
	dev->order = order;
	dev->qset = qset;
	dev->size = 0;
	dev->max_size = max_size;
	dev->nr_quanta = 0;
	dev->trims = 0;
	kmm_guard_init(&dev->vmas);
	init_rwsem(&dev->lock);
}
EXPORT_SYMBOL_IF_KUNIT(scullp_setup);

/**
 * scullp_locate() - split a byte offset into qset, quantum and offset
 * @dev: the device, whose order and qset give the geometry
 * @pos: a byte offset, not negative
 * @where: the result
 */
void scullp_locate(const struct scullp_dev *dev, loff_t pos,
		   struct scullp_pos *where)
{
	unsigned int shift = PAGE_SHIFT + dev->order;
	u64 qset_bytes = (u64)dev->qset << shift;
	u64 rest;

	where->qset = div64_u64_rem(pos, qset_bytes, &rest);
	where->quantum = rest >> shift;
	where->offset = rest & (scullp_quantum_size(dev) - 1);
}
EXPORT_SYMBOL_IF_KUNIT(scullp_locate);

/**
 * scullp_follow() - the qset with number @n, or NULL if it has none
 * @dev: the device
 * @n: qset number
 *
 * Return: the qset's array of quantum pointers, or NULL.
 */
void **scullp_follow(struct scullp_dev *dev, unsigned long n)
{
	return xa_load(&dev->qsets, n);
}
EXPORT_SYMBOL_IF_KUNIT(scullp_follow);

/*
 * The writer's memory cgroup pays, as for tmpfs; a full cgroup or machine
 * gives -ENOMEM, not the OOM killer (which costly orders never call anyway).
 */
#define SCULLP_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

static void *scullp_alloc_quantum(unsigned int order)
{
	gfp_t gfp = SCULLP_GFP | __GFP_ZERO;

	if (order > PAGE_ALLOC_COSTLY_ORDER)
		gfp &= ~__GFP_RETRY_MAYFAIL;
	/* One reference count for the quantum: a fault may map any page of it. */
	if (order)
		gfp |= __GFP_COMP;
	return (void *)__get_free_pages(gfp, order);
}

static void scullp_free_qset(struct scullp_dev *dev, unsigned long n,
			     void **qs)
{
	unsigned int i;

	for (i = 0; i < dev->qset; i++) {
		if (qs[i]) {
			free_pages((unsigned long)qs[i], dev->order);
			dev->nr_quanta--;
			trace_scullp_quantum_free(dev, n, i);
		}
	}
	kvfree(qs);
}

/**
 * scullp_trim() - empty the device and give it a new geometry
 * @dev: the device, with @dev->lock held for writing
 * @order: the quantum order from now on
 * @qset: quanta per qset from now on
 *
 * Return: 0, or -EBUSY while the device is mapped.
 */
int scullp_trim(struct scullp_dev *dev, unsigned int order, unsigned int qset)
{
	unsigned long n;
	void **qs;

	lockdep_assert_held_write(&dev->lock);

	/* Keep mmap() out until we are done; a mapped device stays whole. */
	if (kmm_guard_freeze(&dev->vmas))
		return -EBUSY;
	trace_scullp_trim(dev, order, qset);

	xa_for_each(&dev->qsets, n, qs)
		scullp_free_qset(dev, n, qs);
	xa_destroy(&dev->qsets);
	WARN_ON_ONCE(dev->nr_quanta);

	dev->size = 0;
	dev->order = order;
	dev->qset = qset;
	dev->trims++;
	kmm_guard_thaw(&dev->vmas);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(scullp_trim);

/*
 * The quantum at @where, allocated (with its qset) if missing; *@fresh says
 * this call allocated it, so that a write that copies nothing gives it back.
 */
static void *scullp_get_quantum(struct scullp_dev *dev,
				const struct scullp_pos *where, bool *fresh)
{
	void **qs = scullp_follow(dev, where->qset);
	void *quantum;
	int err;

	*fresh = false;
	if (qs && qs[where->quantum])
		return qs[where->quantum];

	quantum = scullp_alloc_quantum(dev->order);
	if (!quantum)
		return ERR_PTR(-ENOMEM);

	if (!qs) {
		qs = kvcalloc(dev->qset, sizeof(*qs), SCULLP_GFP);
		if (!qs)
			goto free_quantum;
		err = xa_err(xa_store(&dev->qsets, where->qset, qs, SCULLP_GFP));
		if (err) {
			kvfree(qs);
			goto free_quantum;
		}
	}

	/* Pairs with smp_load_acquire() in scullp_page(). */
	smp_store_release(&qs[where->quantum], quantum);
	dev->nr_quanta++;
	trace_scullp_quantum_alloc(dev, where->qset, where->quantum);
	*fresh = true;
	return quantum;

free_quantum:
	free_pages((unsigned long)quantum, dev->order);
	return ERR_PTR(-ENOMEM);
}

/*
 * Give back a fresh quantum that received no data, if it lies wholly past
 * the end of the data: no fault can have mapped it.
 */
static void scullp_put_fresh_quantum(struct scullp_dev *dev,
				     const struct scullp_pos *where, loff_t start)
{
	void **qs = scullp_follow(dev, where->qset);
	unsigned int i;

	if (start < dev->size)
		return;

	free_pages((unsigned long)qs[where->quantum], dev->order);
	qs[where->quantum] = NULL;
	dev->nr_quanta--;
	trace_scullp_quantum_free(dev, where->qset, where->quantum);

	for (i = 0; i < dev->qset; i++)
		if (qs[i])
			return;
	xa_erase(&dev->qsets, where->qset);
	kvfree(qs);
}

/**
 * scullp_read() - copy data out of the device
 * @dev: the device, with @dev->lock held
 * @pos: where to start, not negative
 * @to: where the data goes; its count is how much is asked for
 *
 * Holes read as zeros; nothing is read at or past the end of the data.
 *
 * Return: the bytes copied (0 at the end), or -EFAULT if none could be.
 */
ssize_t scullp_read(struct scullp_dev *dev, loff_t pos, struct iov_iter *to)
{
	size_t quantum = scullp_quantum_size(dev);
	size_t count = iov_iter_count(to);
	size_t done = 0;

	lockdep_assert_held(&dev->lock);
	if (pos < 0)
		return -EINVAL;
	if (pos >= dev->size || !count)
		return 0;
	count = min_t(u64, count, dev->size - pos);

	while (done < count) {
		struct scullp_pos where;
		size_t chunk, copied;
		void **qs;

		scullp_locate(dev, pos + done, &where);
		chunk = min(count - done, quantum - where.offset);
		qs = scullp_follow(dev, where.qset);
		if (qs && qs[where.quantum])
			copied = copy_to_iter(qs[where.quantum] + where.offset,
					      chunk, to);
		else
			copied = iov_iter_zero(chunk, to);
		done += copied;
		if (copied < chunk)
			break;
	}
	return done ? done : -EFAULT;
}
EXPORT_SYMBOL_IF_KUNIT(scullp_read);

/**
 * scullp_write() - copy data into the device, growing it as needed
 * @dev: the device, with @dev->lock held for writing
 * @pos: where to start, not negative
 * @from: the data; its count is how much to write
 *
 * Writes what fits below &scullp_dev.max_size.  A failed allocation or copy
 * ends it early; a write that wrote nothing changes no byte (a quantum it
 * allocated in a hole stays: a fault may have mapped it).
 *
 * Return: the bytes written, or -ENOSPC, -ENOMEM or -EFAULT if none were.
 */
ssize_t scullp_write(struct scullp_dev *dev, loff_t pos,
		     struct iov_iter *from)
{
	size_t quantum = scullp_quantum_size(dev);
	size_t count = iov_iter_count(from);
	ssize_t err = 0;
	size_t done = 0;

	lockdep_assert_held_write(&dev->lock);
	if (pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if (pos >= dev->max_size)
		return -ENOSPC;
	count = min_t(u64, count, dev->max_size - pos);

	while (done < count) {
		struct scullp_pos where;
		size_t chunk, copied;
		void *data;
		bool fresh;

		scullp_locate(dev, pos + done, &where);
		chunk = min(count - done, quantum - where.offset);
		data = scullp_get_quantum(dev, &where, &fresh);
		if (IS_ERR(data)) {
			err = PTR_ERR(data);
			break;
		}
		copied = copy_from_iter(data + where.offset, chunk, from);
		if (!copied && fresh)
			scullp_put_fresh_quantum(dev, &where,
						 pos + done - where.offset);
		done += copied;
		if (copied < chunk) {
			err = -EFAULT;
			break;
		}
	}

	if (!done)
		return err;
	if (pos + done > dev->size)
		WRITE_ONCE(dev->size, pos + done);
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(scullp_write);

/**
 * scullp_page() - the page backing page @pgoff of a mapped device
 * @dev: the device; the caller holds a mapping of it, so nothing is freed
 * @pgoff: page offset in the device
 *
 * Called from the fault path without @dev->lock (see the top of this file).
 * NULL past the end of the data and in holes: a touch there gets SIGBUS.
 *
 * Return: the page, without a reference taken; or NULL.
 */
struct page *scullp_page(struct scullp_dev *dev, pgoff_t pgoff)
{
	struct scullp_pos where;
	void *quantum;
	void **qs;
	loff_t pos;

	if (!kmm_pgoff_to_pos(pgoff, &pos) || pos >= READ_ONCE(dev->size))
		return NULL;
	scullp_locate(dev, pos, &where);
	qs = scullp_follow(dev, where.qset);
	if (!qs)
		return NULL;
	/* Pairs with smp_store_release() in scullp_get_quantum(). */
	quantum = smp_load_acquire(&qs[where.quantum]);
	if (!quantum)
		return NULL;
	return virt_to_page(quantum + where.offset);
}
EXPORT_SYMBOL_IF_KUNIT(scullp_page);
