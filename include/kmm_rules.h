/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules every driver here follows the same way, written once:
 *
 * - the mapping guard: a buffer whose pages user space holds (through a
 *   mapping, or an export) is not trimmed or resized, and while it is
 *   being trimmed or resized nothing new takes hold of it.  The two sides
 *   meet on one atomic count, so that mmap(), which runs under mmap_lock
 *   and must not take the driver's mutex, needs no lock at all;
 * - the mmap range check: a mapping lies inside the buffer, with no sum
 *   or shift that can overflow on the way;
 * - the read/write clamp of a fixed-size buffer: short at the end, EOF
 *   for a read and ENOSPC for a write at or past it;
 * - no user page is faulted in with a driver's lock held: a read or write
 *   copies with page faults disabled under the lock, and where the copy
 *   stops short it drops the lock, faults the caller's memory in with
 *   kmm_copy_again() and copies on (generic_perform_write()'s way).
 *   A userfaultfd or FUSE page then stalls only its own caller.
 *
 * kunit/kmm_rules_kunit.c tests them.
 */
#ifndef KMM_RULES_H
#define KMM_RULES_H

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/uio.h>

/**
 * struct kmm_guard - what holds a buffer's pages in place
 * @holds: live holds (mappings, exports); -1 while the buffer is frozen
 *	for a trim or a resize
 *
 * A new mapping or export takes a hold with kmm_guard_tryget(), a mapping
 * copied by fork() or split by munmap() (vm_operations .open) one more
 * with kmm_guard_get(), and each gives it back with kmm_guard_put().  The
 * owner changes the buffer only between kmm_guard_freeze(), which fails
 * while any hold lives, and kmm_guard_thaw().
 */
struct kmm_guard {
	atomic_t holds;
};

/**
 * kmm_guard_init() - a guard with no hold
 * @g: the guard
 */
static inline void kmm_guard_init(struct kmm_guard *g)
{
	atomic_set(&g->holds, 0);
}

/**
 * kmm_guard_tryget() - take a hold on a buffer, unless it is frozen
 * @g: the guard
 *
 * Return: true, or false while the buffer is being trimmed or resized
 * (the caller's mmap() or export then fails with -EBUSY).
 */
static inline bool kmm_guard_tryget(struct kmm_guard *g)
{
	/* Pairs with atomic_set_release() in kmm_guard_thaw(). */
	return atomic_inc_unless_negative(&g->holds);
}

/**
 * kmm_guard_get() - one more hold on a buffer already held
 * @g: the guard; the caller holds it (a mapping that is being copied)
 */
static inline void kmm_guard_get(struct kmm_guard *g)
{
	atomic_inc(&g->holds);
}

/**
 * kmm_guard_put() - give back a hold
 * @g: the guard, held by kmm_guard_tryget() or kmm_guard_get()
 */
static inline void kmm_guard_put(struct kmm_guard *g)
{
	atomic_dec(&g->holds);
}

/**
 * kmm_guard_freeze() - keep new holds out while the buffer changes
 * @g: the guard
 *
 * Return: 0, with the buffer frozen until kmm_guard_thaw(); or -EBUSY
 * while something holds it (the buffer is then left alone).
 */
static inline int kmm_guard_freeze(struct kmm_guard *g)
{
	return atomic_cmpxchg(&g->holds, 0, -1) ? -EBUSY : 0;
}

/**
 * kmm_guard_thaw() - let holds be taken again
 * @g: the guard, frozen by kmm_guard_freeze()
 *
 * Everything the owner changed before this call is seen by whoever takes
 * the next hold.
 */
static inline void kmm_guard_thaw(struct kmm_guard *g)
{
	atomic_set_release(&g->holds, 0);
}

/**
 * kmm_guard_holds() - the number of live holds, for statistics
 * @g: the guard
 *
 * Return: the holds, 0 while the buffer is frozen.
 */
static inline int kmm_guard_holds(const struct kmm_guard *g)
{
	return max(atomic_read(&g->holds), 0);
}

/**
 * kmm_pgoff_to_pos() - the byte offset of a page offset
 * @pgoff: a page offset (vm_pgoff, vmf->pgoff)
 * @pos: set to @pgoff << PAGE_SHIFT
 *
 * Return: true, or false if the byte offset does not fit in a loff_t.
 */
static inline bool kmm_pgoff_to_pos(unsigned long pgoff, loff_t *pos)
{
	return !check_shl_overflow(pgoff, PAGE_SHIFT, pos);
}

/**
 * kmm_check_mmap_range() - does a mapping lie inside a buffer?
 * @size: the buffer's size in bytes, not negative; a mapping may cover
 *	its last page whole when that page is partly outside it
 * @pgoff: the mapping's first page in the buffer (vm_pgoff)
 * @len: the mapping's length in bytes (vm_end - vm_start)
 *
 * Return: 0 if the mapping is not empty and every page of it holds bytes
 * of the buffer, else -EINVAL; whatever @pgoff and @len are.
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
 *
 * Return: the bytes to move, @len cut short at the end of the buffer; 0
 * for @len 0 and for a read at or past the end; -EINVAL for a negative
 * @pos; -ENOSPC for a write at or past the end.
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
 * kmm_copy_again() - may a copy that stopped short go on?
 * @ret: what the copy under the lock returned
 * @iter: the caller's buffer, where the copy (page faults disabled)
 *	stopped; the caller holds no lock now
 *
 * Only a copy cut short by a page that is not there (-EFAULT) goes on:
 * its user memory is faulted in, at most 1 MiB at a time (the pages of a
 * huge request could be reclaimed again before the copy reaches them).
 *
 * Return: true if some of it is there now and the caller is not being
 * killed; false for any other @ret, a bad address (the -EFAULT stands),
 * kernel memory (a copy never stops there for want of a fault), or a
 * fatal signal.
 */
static inline bool kmm_copy_again(ssize_t ret, const struct iov_iter *iter)
{
	size_t len = min_t(size_t, iov_iter_count(iter), SZ_1M);

	if (ret != -EFAULT || !len || !user_backed_iter(iter))
		return false;
	if (iov_iter_rw(iter) == WRITE)	/* the data comes from the user */
		len -= fault_in_iov_iter_readable(iter, len);
	else
		len -= fault_in_iov_iter_writeable(iter, len);
	return len && !fatal_signal_pending(current);
}

#endif /* KMM_RULES_H */
