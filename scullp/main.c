// SPDX-License-Identifier: GPL-2.0
/*
 * scullp: LDD3's page-based scull device on current kernels (docs/scullp.md).
 * The file side: parameters, devices, file operations, ioctls, mmap and
 * /proc/scullpmem; the storage is in storage.c.  A live mapping holds the
 * device (&dev->vmas) and scullp_trim() then fails with -EBUSY, so that no
 * mapped page is ever freed under a user.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pfn_t.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kmm_compat.h"
#include "kmm_prefault.h"
#include "scullp.h"
#include "uapi/scullp.h"

#define CREATE_TRACE_POINTS
#include "scullp_trace.h"

static int scullp_major;
module_param(scullp_major, int, 0444);
MODULE_PARM_DESC(scullp_major, "Major number, 0 for a dynamic one (default 0)");

static int scullp_devs = SCULLP_DEVS;
module_param(scullp_devs, int, 0444);
MODULE_PARM_DESC(scullp_devs, "Number of devices (default 4)");

/* The two values the ioctls change; read by each device at its next trim. */
static int scullp_order = SCULLP_ORDER;
module_param(scullp_order, int, 0444);
MODULE_PARM_DESC(scullp_order, "Quantum order: quanta of PAGE_SIZE << order bytes (default 0)");

static int scullp_qset = SCULLP_QSET;
module_param(scullp_qset, int, 0444);
MODULE_PARM_DESC(scullp_qset, "Quanta per qset (default 500)");

static unsigned long scullp_max_size = SCULLP_MAX_SIZE;
module_param(scullp_max_size, ulong, 0444);
MODULE_PARM_DESC(scullp_max_size, "Capacity of each device in bytes (default 256 MiB)");

static unsigned int scullp_fault_window = SCULLP_FAULT_WINDOW;
static const struct kernel_param_ops scullp_window_ops = {
	.set = kmm_param_set_window,
	.get = param_get_uint,
};
module_param_cb(scullp_fault_window, &scullp_window_ops, &scullp_fault_window, 0644);
MODULE_PARM_DESC(scullp_fault_window, "Pages mapped per fault, a power of two (default 64)");

/* Serialises the ioctls that change scullp_order and scullp_qset. */
static DEFINE_MUTEX(scullp_param_lock);

static struct scullp_dev *scullp_devices;
static dev_t scullp_devt;
static struct class scullp_class = {
	.name = "scullp",
};

static int scullp_trim_default(struct scullp_dev *dev)
{
	return scullp_trim(dev, READ_ONCE(scullp_order), READ_ONCE(scullp_qset));
}

static int scullp_open(struct inode *inode, struct file *filp)
{
	struct scullp_dev *dev = container_of(inode->i_cdev, struct scullp_dev, cdev);
	int ret = 0;

	filp->private_data = dev;

	/* As LDD3: opening write-only empties the device, and so does O_TRUNC. */
	if ((filp->f_flags & O_ACCMODE) == O_WRONLY || (filp->f_flags & O_TRUNC)) {
		if (down_write_killable(&dev->lock))
			return -ERESTARTSYS;
		ret = scullp_trim_default(dev);
		up_write(&dev->lock);
	}
	return ret;
}

/*
 * One step of a read or write (kmm_copy_iter()).  A step resumed after a
 * fault ends the copy short if a trim came meanwhile: the bytes it would
 * go on with belong to another device's life.
 */
static ssize_t scullp_read_step(struct kmm_copy *c)
{
	struct scullp_dev *dev = c->iocb->ki_filp->private_data;
	ssize_t ret = 0;

	/* Shared: readers copy side by side. */
	if (down_read_interruptible(&dev->lock))
		return -ERESTARTSYS;
	if (!c->done || dev->trims == c->seq) {
		c->seq = dev->trims;
		pagefault_disable();
		ret = scullp_read(dev, c->iocb->ki_pos, c->iter);
		pagefault_enable();
	}
	up_read(&dev->lock);
	return ret;
}

static ssize_t scullp_write_step(struct kmm_copy *c)
{
	struct scullp_dev *dev = c->iocb->ki_filp->private_data;
	struct kiocb *iocb = c->iocb;
	bool append = iocb->ki_flags & IOCB_APPEND;
	ssize_t ret = 0;

	if (down_write_killable(&dev->lock))
		return -ERESTARTSYS;
	/* Nor may a resumed append land after someone else's data. */
	if (c->done && (dev->trims != c->seq ||
			(append && iocb->ki_pos != dev->size)))
		goto out;
	c->seq = dev->trims;
	if (append)
		iocb->ki_pos = dev->size;
	pagefault_disable();
	ret = scullp_write(dev, iocb->ki_pos, c->iter);
	pagefault_enable();
out:
	up_write(&dev->lock);
	return ret;
}

/*
 * No FMODE_NOWAIT (a write allocates, which may sleep), but io_uring passes
 * IOCB_NOWAIT for an O_NONBLOCK file: -EAGAIN sends the call to a worker.
 */
static ssize_t scullp_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EAGAIN;
	return kmm_copy_iter(iocb, to, false, scullp_read_step);
}

static ssize_t scullp_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EAGAIN;
	return kmm_copy_iter(iocb, from, true, scullp_write_step);
}

static loff_t scullp_llseek(struct file *filp, loff_t off, int whence)
{
	struct scullp_dev *dev = filp->private_data;

	/* Any position from 0 up is valid; one past the data leaves a hole. */
	return generic_file_llseek_size(filp, off, whence, MAX_LFS_FILESIZE,
					READ_ONCE(dev->size));
}

/* LDD3's ioctls: numbers 1 to 6 act on the order, 7 to 12 on the qset. */
enum scullp_op { SCULLP_SET, SCULLP_TELL, SCULLP_GET, SCULLP_QUERY,
		 SCULLP_EXCHANGE, SCULLP_SHIFT, SCULLP_NR_OPS };

static const unsigned int scullp_ioctls[] = {
	SCULLP_IOCRESET,
	SCULLP_IOCSORDER, SCULLP_IOCTORDER, SCULLP_IOCGORDER,
	SCULLP_IOCQORDER, SCULLP_IOCXORDER, SCULLP_IOCHORDER,
	SCULLP_IOCSQSET, SCULLP_IOCTQSET, SCULLP_IOCGQSET,
	SCULLP_IOCQQSET, SCULLP_IOCXQSET, SCULLP_IOCHQSET,
};

/*
 * GET and QUERY take no lock, so that nobody waits behind a changer; only an
 * exchange, by a privileged caller, holds scullp_param_lock across a user
 * copy, and it copies the old value out before it stores: -EFAULT changes
 * nothing.
 */
static long scullp_ioctl_param(enum scullp_op op, unsigned long arg,
			       int *param, bool (*valid)(int))
{
	int __user *uptr = (int __user *)arg;
	int old, val;
	long ret = 0;

	if (op == SCULLP_GET)
		return put_user(READ_ONCE(*param), uptr);
	if (op == SCULLP_QUERY)
		return READ_ONCE(*param);

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (op == SCULLP_SET || op == SCULLP_EXCHANGE) {
		if (get_user(val, uptr))
			return -EFAULT;
	} else {
		if (arg > INT_MAX)
			return -EINVAL;
		val = arg;
	}
	if (!valid(val))
		return -EINVAL;

	mutex_lock(&scullp_param_lock);
	old = *param;
	if (op == SCULLP_EXCHANGE && put_user(old, uptr))
		ret = -EFAULT;
	else
		WRITE_ONCE(*param, val);
	mutex_unlock(&scullp_param_lock);
	if (ret)
		return ret;
	return op == SCULLP_SHIFT ? old : 0;
}

static long scullp_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	unsigned int nr = _IOC_NR(cmd);
	bool is_order = nr <= SCULLP_NR_OPS;

	/* The whole command must match: type, number, direction and size. */
	if (nr >= ARRAY_SIZE(scullp_ioctls) || scullp_ioctls[nr] != cmd)
		return -ENOTTY;

	if (cmd == SCULLP_IOCRESET) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		mutex_lock(&scullp_param_lock);
		WRITE_ONCE(scullp_order, SCULLP_ORDER);
		WRITE_ONCE(scullp_qset, SCULLP_QSET);
		mutex_unlock(&scullp_param_lock);
		return 0;
	}
	return scullp_ioctl_param((nr - 1) % SCULLP_NR_OPS, arg,
				  is_order ? &scullp_order : &scullp_qset,
				  is_order ? scullp_valid_order : scullp_valid_qset);
}

/* A mapping copied by fork() or split by munmap(): one more hold. */
static void scullp_vma_open(struct vm_area_struct *vma)
{
	struct scullp_dev *dev = vma->vm_private_data;

	kmm_guard_get(&dev->vmas);
}

static void scullp_vma_close(struct vm_area_struct *vma)
{
	struct scullp_dev *dev = vma->vm_private_data;

	kmm_guard_put(&dev->vmas);
}

static struct page *scullp_page_at(void *dev, pgoff_t pgoff)
{
	return scullp_page(dev, pgoff);
}

/* The window's data pages but the faulting one; *@window: what it spans. */
static unsigned long scullp_prefault(struct scullp_dev *dev,
				     struct vm_area_struct *vma,
				     unsigned long addr, unsigned long *window)
{
	pgoff_t data_end = DIV_ROUND_UP(READ_ONCE(dev->size), PAGE_SIZE);
	struct kmm_window w = kmm_fault_window(addr, vma->vm_start, vma->vm_end,
					       vma->vm_pgoff, data_end,
					       READ_ONCE(scullp_fault_window));

	*window = w.nr;
	return kmm_prefault(vma, addr, &w, scullp_page_at, dev);
}

/* Map @page at the fault ourselves; *@mapped counts it if this call did. */
static vm_fault_t scullp_insert(struct vm_fault *vmf, struct page *page,
				unsigned long *mapped)
{
	int ret = vm_insert_page(vmf->vma, vmf->address, page);

	if (ret == -ENOMEM)
		return VM_FAULT_OOM;
	if (ret && ret != -EBUSY)	/* -EBUSY: a racing fault mapped it */
		return VM_FAULT_SIGBUS;
	if (!ret)
		(*mapped)++;
	return VM_FAULT_NOPAGE;
}

/*
 * Under mmap_lock (no ->map_pages: never the per-VMA lock alone), no other
 * lock.  A page of an order-0 quantum goes back in vmf->page, as LDD3's
 * nopage did; a compound quantum's is inserted here, since finish_fault()
 * could map it THP-style (docs/scullp.md, "Compound pages").
 */
static vm_fault_t scullp_vma_fault(struct vm_fault *vmf)
{
	struct scullp_dev *dev = vmf->vma->vm_private_data;
	struct page *page = scullp_page(dev, vmf->pgoff);
	unsigned long window = 0, mapped = 0;
	vm_fault_t ret = 0;

	if (!page) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	mapped = scullp_prefault(dev, vmf->vma, vmf->address, &window);
	if (PageCompound(page)) {
		ret = scullp_insert(vmf, page, &mapped);
		goto out;
	}
	get_page(page);
	vmf->page = page;
	mapped++;
out:
	trace_scullp_fault(vmf->vma, vmf->address, window, mapped, ret);
	return ret;
}

#ifdef KMM_HAVE_PMD_PFNMAP
/*
 * One PMD entry maps a PMD span wholly inside the VMA and the data; the rest
 * falls back to .fault (docs/scullp.md, "PMD mappings").  May run under the
 * per-VMA lock alone: it reads what a mapping freezes (the VMA, the order,
 * the quanta) and the size, which only grows while a mapping lives.
 *
 * A new entry is not marked written (as vfio-pci's): a fault that fell back
 * may have put a page table there meanwhile, which vmf_insert_pfn_pmd()
 * leaves alone but warns about when asked to write.  A write fault on our
 * entry, read-only for soft-dirty tracking, makes it writable.
 */
static vm_fault_t scullp_vma_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct scullp_dev *dev = vma->vm_private_data;
	pgoff_t data_end = DIV_ROUND_UP(READ_ONCE(dev->size), PAGE_SIZE);
	bool write = (vmf->flags & FAULT_FLAG_WRITE) && !pmd_none(vmf->orig_pmd);
	struct kmm_window w;
	struct page *page;
	vm_fault_t ret;

	if (order != PMD_ORDER)
		return VM_FAULT_FALLBACK;
	w = kmm_fault_pmd(vmf->address, vma->vm_start, vma->vm_end,
			  vma->vm_pgoff, data_end, dev->order);
	if (!w.nr)
		return VM_FAULT_FALLBACK;
	page = scullp_page(dev, w.pgoff);
	if (!page)
		return VM_FAULT_FALLBACK;	/* a hole: .fault says SIGBUS */
	ret = vmf_insert_pfn_pmd(vmf, page_to_pfn_t(page), write);
	/*
	 * NOPAGE also when a page table was there: the event says what the PMD
	 * held before and after (maybe a racing fault's), looked at only while on.
	 */
	if (trace_scullp_huge_fault_enabled())
		trace_scullp_huge_fault(vmf, w.nr, pmd_none(vmf->orig_pmd),
					pmd_leaf(pmdp_get_lockless(vmf->pmd)),
					ret);
	return ret;
}
#endif

static const struct vm_operations_struct scullp_vm_ops = {
	.open = scullp_vma_open,
	.close = scullp_vma_close,
	.fault = scullp_vma_fault,
#ifdef KMM_HAVE_PMD_PFNMAP
	.huge_fault = scullp_vma_huge_fault,
#endif
};

static int scullp_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct scullp_dev *dev = filp->private_data;

	/* Shared only: mm clears VM_SHARED for a file opened read-only. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (kmm_check_mmap_range(dev->max_size, vma->vm_pgoff,
				 vma->vm_end - vma->vm_start))
		return -EINVAL;
	if (!kmm_guard_tryget(&dev->vmas))
		return -EBUSY;	/* being trimmed right now */

	/*
	 * VM_MIXEDMAP for vm_insert_page(), set where mmap_lock is held for
	 * writing; being VM_SPECIAL, no mapping is merged unchecked and uncounted.
	 */
	vm_flags_set(vma, VM_MIXEDMAP);
	vma->vm_ops = &scullp_vm_ops;
	vma->vm_private_data = dev;
	return 0;
}

static const struct file_operations scullp_fops = {
	.owner = THIS_MODULE,
	.open = scullp_open,
	.llseek = scullp_llseek,
	.read_iter = scullp_read_iter,
	.write_iter = scullp_write_iter,
	.splice_read = kmm_splice_read,
	.splice_write = iter_file_splice_write,
	.unlocked_ioctl = scullp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = scullp_mmap,
#ifdef KMM_HAVE_PMD_PFNMAP
	/* A mapping of 2 MiB or more starts where its PMD spans can line up. */
	.get_unmapped_area = thp_get_unmapped_area,
#endif
};

static int scullp_proc_show(struct seq_file *m, void *v)
{
	int i;

	seq_puts(m, "# device size order qset quanta pages mappings\n");
	for (i = 0; i < scullp_devs; i++) {
		struct scullp_dev *dev = &scullp_devices[i];

		if (down_read_interruptible(&dev->lock))
			return -ERESTARTSYS;
		seq_printf(m, "scullp%d %lld %u %u %lu %lu %d\n", i, dev->size,
			   dev->order, dev->qset, dev->nr_quanta,
			   dev->nr_quanta << dev->order,
			   kmm_guard_holds(&dev->vmas));
		up_read(&dev->lock);
	}
	return 0;
}

static int __init scullp_check_params(void)
{
	if (scullp_devs < 1 || scullp_devs > 256) {
		pr_err("scullp_devs=%d: must be 1 to 256\n", scullp_devs);
		return -EINVAL;
	}
	if (!scullp_valid_order(scullp_order)) {
		pr_err("scullp_order=%d: must be 0 to %d\n", scullp_order,
		       KMM_MAX_ORDER);
		return -EINVAL;
	}
	if (!scullp_valid_qset(scullp_qset)) {
		pr_err("scullp_qset=%d: must be 1 to %d\n", scullp_qset,
		       SCULLP_QSET_MAX);
		return -EINVAL;
	}
	if (!scullp_max_size || scullp_max_size > MAX_LFS_FILESIZE) {
		pr_err("scullp_max_size=%lu: must be 1 to %lld\n",
		       scullp_max_size, (long long)MAX_LFS_FILESIZE);
		return -EINVAL;
	}
	/* MKDEV() wraps past 4095 into a valid major: refuse here. */
	if (scullp_major < 0 || scullp_major >= CHRDEV_MAJOR_MAX) {
		pr_err("scullp_major=%d: must be 0 (dynamic) to %d\n",
		       scullp_major, CHRDEV_MAJOR_MAX - 1);
		return -EINVAL;
	}
	return 0;
}

static void scullp_destroy_devices(int count)
{
	while (count--) {
		struct scullp_dev *dev = &scullp_devices[count];

		device_destroy(&scullp_class, scullp_devt + count);
		cdev_del(&dev->cdev);
		down_write(&dev->lock);
		scullp_trim(dev, dev->order, dev->qset);
		up_write(&dev->lock);
	}
}

static int __init scullp_init(void)
{
	struct device *device;
	int ret, i;

	ret = scullp_check_params();
	if (ret)
		return ret;

	if (scullp_major) {
		scullp_devt = MKDEV(scullp_major, 0);
		ret = register_chrdev_region(scullp_devt, scullp_devs, "scullp");
	} else {
		ret = alloc_chrdev_region(&scullp_devt, 0, scullp_devs, "scullp");
	}
	if (ret) {
		pr_err("cannot get a major number: %d\n", ret);
		return ret;
	}

	ret = class_register(&scullp_class);
	if (ret)
		goto unregister_region;

	scullp_devices = kcalloc(scullp_devs, sizeof(*scullp_devices), GFP_KERNEL);
	if (!scullp_devices) {
		ret = -ENOMEM;
		goto unregister_class;
	}

	for (i = 0; i < scullp_devs; i++) {
		struct scullp_dev *dev = &scullp_devices[i];

		scullp_setup(dev, scullp_order, scullp_qset, scullp_max_size);
		cdev_init(&dev->cdev, &scullp_fops);
		dev->cdev.owner = THIS_MODULE;
		ret = cdev_add(&dev->cdev, scullp_devt + i, 1);
		if (ret)
			goto destroy_devices;
		device = device_create(&scullp_class, NULL, scullp_devt + i,
				       NULL, "scullp%d", i);
		if (IS_ERR(device)) {
			ret = PTR_ERR(device);
			cdev_del(&dev->cdev);
			goto destroy_devices;
		}
	}

	if (!proc_create_single("scullpmem", 0444, NULL, scullp_proc_show)) {
		ret = -ENOMEM;
		goto destroy_devices;
	}

	pr_info("%d devices, major %d, order %d, qset %d\n", scullp_devs,
		MAJOR(scullp_devt), scullp_order, scullp_qset);
	return 0;

destroy_devices:
	scullp_destroy_devices(i);
	kfree(scullp_devices);
unregister_class:
	class_unregister(&scullp_class);
unregister_region:
	unregister_chrdev_region(scullp_devt, scullp_devs);
	return ret;
}

static void __exit scullp_exit(void)
{
	remove_proc_entry("scullpmem", NULL);
	scullp_destroy_devices(scullp_devs);
	kfree(scullp_devices);
	class_unregister(&scullp_class);
	unregister_chrdev_region(scullp_devt, scullp_devs);
}

module_init(scullp_init);
module_exit(scullp_exit);

MODULE_DESCRIPTION("LDD3's page-based scull device, on current kernels");
MODULE_AUTHOR("kmm-drivers developers");
MODULE_LICENSE("GPL");
