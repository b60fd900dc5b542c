// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo: /dev/vmalloc_demo, the file side of a vmalloc buffer
 * (buffer.c) and its dma-buf export (export.c); docs/vmalloc.md.
 *
 * Locking (docs/vmalloc.md, "Locking"): vmd_dev.lock is taken for writing
 * by writes and resizes, for reading by reads, INFO, exports and debugfs;
 * no user page is faulted in under it.  mmap() and resize meet on the
 * buffer's guard instead: a mapped or exported buffer is never resized.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/dma-buf.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "kmm_compat.h"
#include "kmm_dmabuf.h"
#include "vmalloc_demo.h"

#define CREATE_TRACE_POINTS
#include "vmalloc_demo_trace.h"

static unsigned long vmd_size = 4UL << 20;
module_param_named(size, vmd_size, ulong, 0444);
MODULE_PARM_DESC(size, "Buffer size in bytes (default 4 MiB)");

static char *vmd_backend_name = "vmalloc";
module_param_named(backend, vmd_backend_name, charp, 0444);
MODULE_PARM_DESC(backend, "How the buffer is built, vmalloc or vmap (default vmalloc)");

/**
 * struct vmd_dev - the device
 * @buf: the buffer
 * @lock: held for writing by what changes @buf, for reading by what reads it
 * @vmas: live mappings of the device, for VMALLOC_DEMO_IOCINFO
 * @misc: /dev/vmalloc_demo
 * @debugfs: the debugfs directory
 */
struct vmd_dev {
	struct vmd_buf buf;
	struct rw_semaphore lock;	/* writers change buf; not taken by mmap */
	atomic_t vmas;
	struct miscdevice misc;
	struct dentry *debugfs;
};

static struct vmd_dev vmd_dev;

static struct vmd_dev *vmd_from_file(struct file *filp)
{
	/* misc_open() points private_data at the miscdevice. */
	return container_of(filp->private_data, struct vmd_dev, misc);
}

/* FMODE_NOWAIT: I/O waits for the lock (IOCB_NOWAIT tries it) and user memory. */
static int vmd_open(struct inode *inode, struct file *filp)
{
	filp->f_mode |= FMODE_NOWAIT;
	return 0;
}

static int vmd_lock(struct vmd_dev *dev, struct kiocb *iocb, bool write)
{
	bool nowait = iocb->ki_flags & IOCB_NOWAIT;

	if (write) {
		if (nowait)
			return down_write_trylock(&dev->lock) ? 0 : -EAGAIN;
		return down_write_killable(&dev->lock) ? -ERESTARTSYS : 0;
	}
	if (nowait)
		return down_read_trylock(&dev->lock) ? 0 : -EAGAIN;
	return down_read_interruptible(&dev->lock) ? -ERESTARTSYS : 0;
}

/* One step of a read or write (kmm_copy_iter()). */
static ssize_t vmd_read_step(struct kmm_copy *c)
{
	struct vmd_dev *dev = vmd_from_file(c->iocb->ki_filp);
	ssize_t ret = vmd_lock(dev, c->iocb, false);

	if (ret)
		return ret;
	pagefault_disable();
	ret = vmd_buf_copy(&dev->buf, c->iocb->ki_pos, c->iter, false);
	pagefault_enable();
	up_read(&dev->lock);
	return ret;
}

static ssize_t vmd_write_step(struct kmm_copy *c)
{
	struct vmd_dev *dev = vmd_from_file(c->iocb->ki_filp);
	ssize_t ret = vmd_lock(dev, c->iocb, true);

	if (ret)
		return ret;
	if (c->iocb->ki_flags & IOCB_APPEND)
		c->iocb->ki_pos = dev->buf.size;
	pagefault_disable();
	ret = vmd_buf_copy(&dev->buf, c->iocb->ki_pos, c->iter, true);
	pagefault_enable();
	up_write(&dev->lock);
	return ret;
}

static ssize_t vmd_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return kmm_copy_iter(iocb, to, false, vmd_read_step);
}

static ssize_t vmd_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return kmm_copy_iter(iocb, from, true, vmd_write_step);
}

static loff_t vmd_llseek(struct file *filp, loff_t off, int whence)
{
	struct vmd_dev *dev = vmd_from_file(filp);

	/* Any position from 0 up; past the end reads get 0, writes -ENOSPC. */
	return generic_file_llseek_size(filp, off, whence, MAX_LFS_FILESIZE,
					READ_ONCE(dev->buf.size));
}

static long vmd_ioctl_info(struct vmd_dev *dev, void __user *argp)
{
	struct vmalloc_demo_info info = {};

	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	info.size = dev->buf.size;
	info.pages = dev->buf.nr_pages;
	info.runs = vmd_buf_runs(&dev->buf);
	info.backend = dev->buf.backend;
	info.mappings = atomic_read(&dev->vmas);
	up_read(&dev->lock);

	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static long vmd_ioctl_resize(struct vmd_dev *dev, struct file *filp,
			     u64 __user *argp)
{
	u64 size;
	int ret;

	/* A resize rewrites the buffer: it is a write, as ftruncate() is. */
	if (!(filp->f_mode & FMODE_WRITE))
		return -EBADF;
	if (get_user(size, argp))
		return -EFAULT;
	if (!vmd_valid_size(size))
		return -EINVAL;
	/* Past the load-time size, memory is the administrator's to give. */
	if (PAGE_ALIGN(size) > PAGE_ALIGN(vmd_size) && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	if (down_write_killable(&dev->lock))
		return -ERESTARTSYS;
	/* -EBUSY while mapped or exported. */
	ret = vmd_buf_resize(&dev->buf, size);
	up_write(&dev->lock);
	return ret;
}

/* The dma-buf's descriptor is installed last, by kmm_dmabuf_to_user(). */
static long vmd_ioctl_export(struct vmd_dev *dev, struct file *filp,
			     struct vmalloc_demo_export __user *argp)
{
	struct vmalloc_demo_export arg;
	struct dma_buf *dmabuf;

	if (copy_from_user(&arg, argp, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~(O_CLOEXEC | O_RDWR))
		return -EINVAL;
	if ((arg.flags & O_RDWR) && !(filp->f_mode & FMODE_WRITE))
		return -EACCES;

	/* Shared: the hold it takes keeps resize out from then on. */
	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	dmabuf = vmd_buf_export(&dev->buf, arg.flags & O_RDWR);
	up_read(&dev->lock);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	return kmm_dmabuf_to_user(dmabuf, arg.flags & O_CLOEXEC, argp, &arg,
				  sizeof(arg), &arg.fd);
}

static long vmd_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vmd_dev *dev = vmd_from_file(filp);

	switch (cmd) {
	case VMALLOC_DEMO_IOCINFO:
		return vmd_ioctl_info(dev, (void __user *)arg);
	case VMALLOC_DEMO_IOCRESIZE:
		return vmd_ioctl_resize(dev, filp, (u64 __user *)arg);
	case VMALLOC_DEMO_IOCEXPORT:
		return vmd_ioctl_export(dev, filp, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* A mapping copied by fork() or split by munmap(): one more hold. */
static void vmd_vma_open(struct vm_area_struct *vma)
{
	struct vmd_dev *dev = vma->vm_private_data;

	kmm_guard_get(&dev->buf.holds);
	atomic_inc(&dev->vmas);
}

static void vmd_vma_close(struct vm_area_struct *vma)
{
	struct vmd_dev *dev = vma->vm_private_data;

	atomic_dec(&dev->vmas);
	kmm_guard_put(&dev->buf.holds);
}

static vm_fault_t vmd_vma_fault(struct vm_fault *vmf)
{
	struct vmd_dev *dev = vmf->vma->vm_private_data;

	return vmd_buf_fault(&dev->buf, vmf);
}

static const struct vm_operations_struct vmd_vm_ops = {
	.open = vmd_vma_open,
	.close = vmd_vma_close,
	.fault = vmd_vma_fault,
};

/* Every page now, as an ordinary page, so that the mapping can be pinned. */
static int vmd_map_buf(struct vmd_buf *buf, struct vm_area_struct *vma)
{
	int ret = vmd_buf_insert_pages(buf, vma);

	if (!ret)
		vma->vm_ops = &vmd_vm_ops;
	return ret;
}

static int vmd_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct vmd_dev *dev = vmd_from_file(filp);
	int ret;

	/* The mapping shows the buffer itself: private copies are refused. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	/* Called under mmap_lock: dev->lock must not be taken here. */
	if (!kmm_guard_tryget(&dev->buf.holds))
		return -EBUSY;	/* being resized right now */

	ret = kmm_check_mmap_range(dev->buf.size, vma->vm_pgoff,
				   vma->vm_end - vma->vm_start);
	if (!ret)
		ret = vmd_map_buf(&dev->buf, vma);
	if (ret) {
		kmm_guard_put(&dev->buf.holds);
		return ret;
	}
	atomic_inc(&dev->vmas);
	vma->vm_private_data = dev;
	return 0;
}

static const struct file_operations vmd_fops = {
	.owner = THIS_MODULE,
	.open = vmd_open,
	.llseek = vmd_llseek,
	.read_iter = vmd_read_iter,
	.write_iter = vmd_write_iter,
	.splice_read = kmm_splice_read,
	.splice_write = iter_file_splice_write,
	.unlocked_ioctl = vmd_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vmd_mmap,
};

/* debugfs vmalloc_demo/pages: "index pfn", one line per page. */
static int vmd_pages_show(struct seq_file *m, void *v)
{
	struct vmd_dev *dev = m->private;
	unsigned long i;

	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	for (i = 0; i < dev->buf.nr_pages; i++)
		seq_printf(m, "%lu %lu\n", i,
			   page_to_pfn(vmd_buf_page(&dev->buf, i)));
	up_read(&dev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmd_pages);

static int __init vmd_parse_backend(const char *name, enum vmd_backend *backend)
{
	if (sysfs_streq(name, "vmalloc"))
		*backend = VMD_VMALLOC;
	else if (sysfs_streq(name, "vmap"))
		*backend = VMD_VMAP;
	else
		return -EINVAL;
	return 0;
}

static int __init vmd_init(void)
{
	struct vmd_dev *dev = &vmd_dev;
	enum vmd_backend backend;
	unsigned long runs;
	int ret;

	if (vmd_parse_backend(vmd_backend_name, &backend)) {
		pr_err("backend=%s: must be vmalloc or vmap\n",
		       vmd_backend_name);
		return -EINVAL;
	}
	if (!vmd_valid_size(vmd_size)) {
		pr_err("size=%lu: must be 1 to %llu\n", vmd_size,
		       VMALLOC_DEMO_MAX_SIZE);
		return -EINVAL;
	}

	init_rwsem(&dev->lock);
	atomic_set(&dev->vmas, 0);
	ret = vmd_buf_alloc(&dev->buf, backend, vmd_size, false);
	if (ret) {
		pr_err("cannot allocate %lu bytes: %d\n", vmd_size, ret);
		return ret;
	}
	/* Counted now: once registered, the buffer is the users'. */
	runs = vmd_buf_runs(&dev->buf);

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = KBUILD_MODNAME;
	dev->misc.fops = &vmd_fops;
	ret = misc_register(&dev->misc);
	if (ret) {
		pr_err("cannot register the device: %d\n", ret);
		goto free_buf;
	}

	/* debugfs is for people: its failures are not the driver's. */
	dev->debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("pages", 0400, dev->debugfs, dev, &vmd_pages_fops);

	pr_info("%lu pages (%lu physical runs) from %s\n",
		DIV_ROUND_UP(vmd_size, PAGE_SIZE), runs, vmd_backend_name);
	return 0;

free_buf:
	vmd_buf_free(&dev->buf);
	return ret;
}

static void __exit vmd_exit(void)
{
	struct vmd_dev *dev = &vmd_dev;

	debugfs_remove_recursive(dev->debugfs);
	misc_deregister(&dev->misc);
	vmd_buf_free(&dev->buf);
}

module_init(vmd_init);
module_exit(vmd_exit);

MODULE_DESCRIPTION("A vmalloc-backed buffer: virtually contiguous, physically scattered");
MODULE_AUTHOR("kmm-drivers developers");
MODULE_LICENSE("GPL");
