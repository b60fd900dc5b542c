/* SPDX-License-Identifier: GPL-2.0 */
/* Shared rules (docs/design.md, "Layout"), tested by kunit/kmm_rules_kunit.c */
#ifndef KMM_RULES_H
#define KMM_RULES_H

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/uio.h>

/**
 * struct kmm_guard - a buffer's holds, one atomic so that mmap() takes no lock
 * @holds: live holds (mappings, exports); -1 while frozen for a trim or resize
 */
struct kmm_guard {
	atomic_t holds;
};

static inline void kmm_guard_init(struct kmm_guard *g)
{
	atomic_set(&g->holds, 0);
}

/* False while frozen: mmap() or an export then fails with -EBUSY. */
static inline bool kmm_guard_tryget(struct kmm_guard *g)
{
	/* Pairs with atomic_set_release() in kmm_guard_thaw(). */
	return atomic_inc_unless_negative(&g->holds);
}

/* Only while held: vm_operations .open (fork(), a split). */
static inline void kmm_guard_get(struct kmm_guard *g)
{
	atomic_inc(&g->holds);
}

static inline void kmm_guard_put(struct kmm_guard *g)
{
	atomic_dec(&g->holds);
}

/* -EBUSY while anything holds @g; else no hold until kmm_guard_thaw(). */
static inline int kmm_guard_freeze(struct kmm_guard *g)
{
	return atomic_cmpxchg(&g->holds, 0, -1) ? -EBUSY : 0;
}

/* Release: the next hold sees what the owner changed while frozen. */
static inline void kmm_guard_thaw(struct kmm_guard *g)
{
	atomic_set_release(&g->holds, 0);
}

/* For statistics: 0 while frozen. */
static inline int kmm_guard_holds(const struct kmm_guard *g)
{
	return max(atomic_read(&g->holds), 0);
}

/* False if the byte offset does not fit in a loff_t. */
static inline bool kmm_pgoff_to_pos(unsigned long pgoff, loff_t *pos)
{
	return !check_shl_overflow(pgoff, PAGE_SHIFT, pos);
}

/**
 * kmm_check_mmap_range() - does a mapping lie inside a buffer?
 * @size: the buffer's bytes, not negative (a partial last page maps whole)
 * @pgoff: the mapping's first page in the buffer (vm_pgoff)
 * @len: the mapping's length in bytes (vm_end - vm_start)
 * Return: 0 if it is not empty and each page holds buffer bytes, else -EINVAL.
 */
static inline int kmm_check_mmap_range(loff_t size, unsigned long pgoff,
				       unsigned long len)
{
	loff_t pos;

	if (!len || !kmm_pgoff_to_pos(pgoff, &pos) || pos >= size)
		return -EINVAL;
	/* The mapping's last page starts inside the buffer. */
	if (((len - 1) & PAGE_MASK) >= (u64)(size - pos))
		return -EINVAL;
	return 0;
}

/**
 * kmm_rw_clamp() - the part of a read or write a fixed-size buffer holds
 * @pos: the file position
 * @len: the bytes asked for
 * @size: the buffer's size in bytes, not negative
 * @write: true for a write
 * Return: @len, cut short at the end; 0 for @len 0 or a read at or past the
 * end; -EINVAL for a negative @pos; -ENOSPC for a write at or past the end.
 */
static inline ssize_t kmm_rw_clamp(loff_t pos, size_t len, loff_t size,
				   bool write)
{
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (pos >= size)
		return write ? -ENOSPC : 0;
	return min_t(u64, len, size - pos);
}

/**
 * kmm_copy_again() - fault in, unlocked, the rest of a copy that stopped short
 * @ret: what the copy under the lock (page faults disabled) returned
 * @iter: where it stopped; at most 1 MiB is faulted in, lest it be reclaimed
 * @write: the copy is a write(2): its bytes come from the user, only read
 * Return: true if some of it is there now and no fatal signal is pending;
 * false for any @ret but -EFAULT, a bad address, or kernel memory.
 */
static inline bool kmm_copy_again(ssize_t ret, const struct iov_iter *iter,
				  bool write)
{
	size_t len = min_t(size_t, iov_iter_count(iter), SZ_1M);

	if (ret != -EFAULT || !len || !user_backed_iter(iter))
		return false;
	if (write)
		len -= fault_in_iov_iter_readable(iter, len);
	else
		len -= fault_in_iov_iter_writeable(iter, len);
	return len && !fatal_signal_pending(current);
}

/**
 * struct kmm_copy - one read(2) or write(2), copied in steps by kmm_copy_iter()
 * @iocb: the call; its ki_pos moves past what each step copied
 * @iter: the call's buffer
 * @done: the bytes the steps before copied
 * @seq: the step's own note from one step to the next (scullp: trims seen)
 */
struct kmm_copy {
	struct kiocb *iocb;
	struct iov_iter *iter;
	ssize_t done;
	unsigned long seq;
};

/**
 * kmm_copy_iter() - copy in steps, each under the device's lock
 * @iocb: the call
 * @iter: the call's buffer
 * @write: true for a write(2), as the file op says
 * @step: takes the lock, copies at ki_pos (which an append may move first)
 *	with page faults disabled and drops the lock; returns the bytes
 *	copied, 0 to end, or an errno
 *
 * No page fault is taken under the lock, so a user page that is not there
 * stalls only its caller: the step stops short, the rest is faulted in
 * unlocked (kmm_copy_again()), and the next step goes on from there.
 * Return: the bytes copied; if none were, the last step's result, or 0
 * for an empty @iter (no step runs).
 */
static __always_inline ssize_t
kmm_copy_iter(struct kiocb *iocb, struct iov_iter *iter, bool write,
	      ssize_t (*step)(struct kmm_copy *c))
{
	struct kmm_copy c = { .iocb = iocb, .iter = iter };
	ssize_t ret = 0;

	while (iov_iter_count(iter)) {
		ret = step(&c);
		if (ret > 0) {
			iocb->ki_pos += ret;
			c.done += ret;
		} else if (!kmm_copy_again(ret, iter, write)) {
			break;	/* the end, or an error */
		}
	}
	return c.done ? c.done : ret;
}

#endif /* KMM_RULES_H */
