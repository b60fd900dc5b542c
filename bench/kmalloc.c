// SPDX-License-Identifier: GPL-2.0
/*
 * kmm_bench: /dev/kmm_bench_kmalloc, the baseline vmalloc_demo's buffer is
 * measured against.  One zeroed kmalloc() block of kmalloc_size bytes:
 * physically contiguous, addressed through the kernel's direct map, no
 * page table of its own.  read/write/lseek as vmalloc_demo's node (a
 * write that runs past the end is short, the next one fails with
 * -ENOSPC; a read past the end returns 0), under a mutex as vmalloc_demo
 * takes its own, so that a dd on either costs the same but for the
 * memory behind it.  No mmap: a small block shares its slab page with
 * other objects, which must not reach user space.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "kmm_bench.h"

static unsigned long kmalloc_size = SZ_4M;
module_param(kmalloc_size, ulong, 0444);
MODULE_PARM_DESC(kmalloc_size, "Size of /dev/kmm_bench_kmalloc in bytes (default 4 MiB)");

/**
 * struct kmb_kmalloc - the baseline device
 * @buf: the block
 * @size: its size in bytes
 * @lock: serialises reads and writes, as vmalloc_demo's
 * @misc: /dev/kmm_bench_kmalloc
 */
struct kmb_kmalloc {
	void *buf;
	size_t size;
	struct mutex lock;	/* see above */
	struct miscdevice misc;
};

static struct kmb_kmalloc kmb_kmalloc;

static ssize_t kmb_kmalloc_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct kmb_kmalloc *k = &kmb_kmalloc;
	size_t count = iov_iter_count(to), copied;
	loff_t pos = iocb->ki_pos;

	if (pos >= k->size || !count)
		return 0;
	if (mutex_lock_interruptible(&k->lock))
		return -ERESTARTSYS;
	copied = copy_to_iter(k->buf + pos, min_t(u64, count, k->size - pos), to);
	iocb->ki_pos += copied;
	mutex_unlock(&k->lock);
	return copied ? copied : -EFAULT;
}

static ssize_t kmb_kmalloc_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct kmb_kmalloc *k = &kmb_kmalloc;
	size_t count = iov_iter_count(from), copied;
	loff_t pos = iocb->ki_pos;

	if (!count)
		return 0;
	if (pos >= k->size)
		return -ENOSPC;
	if (mutex_lock_interruptible(&k->lock))
		return -ERESTARTSYS;
	copied = copy_from_iter(k->buf + pos, min_t(u64, count, k->size - pos),
				from);
	iocb->ki_pos += copied;
	mutex_unlock(&k->lock);
	return copied ? copied : -EFAULT;
}

static loff_t kmb_kmalloc_llseek(struct file *filp, loff_t off, int whence)
{
	return generic_file_llseek_size(filp, off, whence, MAX_LFS_FILESIZE,
					kmb_kmalloc.size);
}

static const struct file_operations kmb_kmalloc_fops = {
	.owner = THIS_MODULE,
	.llseek = kmb_kmalloc_llseek,
	.read_iter = kmb_kmalloc_read_iter,
	.write_iter = kmb_kmalloc_write_iter,
};

/**
 * kmb_kmalloc_init() - allocate the block and register its node
 *
 * Return: 0, -EINVAL for a kmalloc_size out of range, -ENOMEM, or
 * misc_register()'s error.
 */
int kmb_kmalloc_init(void)
{
	struct kmb_kmalloc *k = &kmb_kmalloc;
	int ret;

	if (!kmalloc_size || kmalloc_size > KMALLOC_MAX_SIZE) {
		pr_err("kmalloc_size=%lu: must be 1 to %lu\n", kmalloc_size,
		       (unsigned long)KMALLOC_MAX_SIZE);
		return -EINVAL;
	}
	k->buf = kzalloc(kmalloc_size, GFP_KERNEL | __GFP_RETRY_MAYFAIL |
			 __GFP_NOWARN);
	if (!k->buf)
		return -ENOMEM;
	k->size = kmalloc_size;
	mutex_init(&k->lock);

	k->misc.minor = MISC_DYNAMIC_MINOR;
	k->misc.name = KBUILD_MODNAME "_kmalloc";
	k->misc.fops = &kmb_kmalloc_fops;
	k->misc.mode = 0600;
	ret = misc_register(&k->misc);
	if (ret) {
		mutex_destroy(&k->lock);
		kfree(k->buf);
	}
	return ret;
}

/**
 * kmb_kmalloc_exit() - undo kmb_kmalloc_init()
 */
void kmb_kmalloc_exit(void)
{
	struct kmb_kmalloc *k = &kmb_kmalloc;

	misc_deregister(&k->misc);
	mutex_destroy(&k->lock);
	kfree(k->buf);
}
