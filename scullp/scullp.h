/* SPDX-License-Identifier: GPL-2.0 */
/* scullp's storage (storage.c), for main.c and kunit/scullp_kunit.c. */
#ifndef SCULLP_H
#define SCULLP_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/xarray.h>

#include "kmm_rules.h"

#define SCULLP_DEVS	4		/* scullp0 .. scullp3 */
#define SCULLP_QSET_MAX	65536		/* quanta per qset, upper bound */
#define SCULLP_MAX_SIZE	(256UL << 20)	/* bytes per device */
#define SCULLP_FAULT_WINDOW	64	/* default pages per fault */

/**
 * struct scullp_dev - one device: an in-memory file made of quanta
 * @qsets: qset number -> array of @qset quantum pointers (NULL: a hole)
 * @order: each quantum is PAGE_SIZE << @order bytes from the page allocator
 * @qset: quanta per qset
 * @size: bytes of data: one past the last byte ever written
 * @max_size: writes that start at or past it fail with -ENOSPC
 * @nr_quanta: quanta currently allocated
 * @trims: trims so far: a read or write that dropped @lock to fault in
 *	the caller's memory sees whether the device was emptied meanwhile
 * @vmas: holds live mappings; frozen while the device is being trimmed
 * @lock: taken for writing by every change to the fields above, for
 *	reading by what only reads them, so that readers copy side by side
 * @cdev: the character device
 *
 * @order and @qset change only at a trim, whatever the defaults do meanwhile.
 */
struct scullp_dev {
	struct xarray qsets;
	unsigned int order;
	unsigned int qset;
	loff_t size;
	loff_t max_size;
	unsigned long nr_quanta;
	unsigned long trims;
	struct kmm_guard vmas;
	struct rw_semaphore lock;	/* writers change all of the above */
	struct cdev cdev;
};

/**
 * struct scullp_pos - where a byte offset lives in a device
 * @qset: the qset number (the index in &scullp_dev.qsets)
 * @quantum: the quantum within that qset
 * @offset: the byte within that quantum
 */
struct scullp_pos {
	unsigned long qset;
	unsigned int quantum;
	size_t offset;
};

static inline size_t scullp_quantum_size(const struct scullp_dev *dev)
{
	return PAGE_SIZE << dev->order;
}

bool scullp_valid_order(int order);
bool scullp_valid_qset(int qset);
void scullp_setup(struct scullp_dev *dev, unsigned int order,
		  unsigned int qset, loff_t max_size);
void scullp_locate(const struct scullp_dev *dev, loff_t pos,
		   struct scullp_pos *where);
void **scullp_follow(struct scullp_dev *dev, unsigned long n);
int scullp_trim(struct scullp_dev *dev, unsigned int order, unsigned int qset);
ssize_t scullp_read(struct scullp_dev *dev, loff_t pos, struct iov_iter *to);
ssize_t scullp_write(struct scullp_dev *dev, loff_t pos,
		     struct iov_iter *from);
struct page *scullp_page(struct scullp_dev *dev, pgoff_t pgoff);

#endif /* SCULLP_H */
