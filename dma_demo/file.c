// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: the file side of /dev/dma_demoN, its mappings and sysfs counters,
 * and the references that keep struct dma_demo_dev alive.
 *
 * A mapping never outlives what it maps: mmap() leaves it empty, faults
 * insert pages under demo->map_lock while !gone, and remove() sets gone
 * under that lock, then zaps every file's mappings (docs/dma.md, Revocation).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/security.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "kmm_compat.h"
#include "kmm_rules.h"
#include "dma_demo.h"
#include "dma_demo_trace.h"

/* The N of each dma_demoN in use, reserved from probe() to remove(). */
static DEFINE_IDA(dma_demo_ids);

static void dma_demo_release_dev(struct kref *kref)
{
	struct dma_demo_dev *demo = container_of(kref, struct dma_demo_dev, kref);

	pci_dev_put(demo->pdev);
	mutex_destroy(&demo->map_lock);
	mutex_destroy(&demo->import_lock);
	mutex_destroy(&demo->lock);
	kfree(demo);
}

/**
 * dma_demo_new() - a device's state, its one reference the caller's
 * @pdev: the PCI device, held until the last reference goes
 * Return: the new device, or NULL without memory.
 */
struct dma_demo_dev *dma_demo_new(struct pci_dev *pdev)
{
	struct dma_demo_dev *demo = kzalloc(sizeof(*demo), GFP_KERNEL);

	if (!demo)
		return NULL;
	kref_init(&demo->kref);
	mutex_init(&demo->lock);
	mutex_init(&demo->import_lock);
	mutex_init(&demo->map_lock);
	init_completion(&demo->done);
	INIT_LIST_HEAD(&demo->files);
	demo->pdev = pci_dev_get(pdev);
	return demo;
}

/**
 * dma_demo_put() - drop a reference taken by open() or probe()
 * @demo: the device
 */
void dma_demo_put(struct dma_demo_dev *demo)
{
	kref_put(&demo->kref, dma_demo_release_dev);
}

/**
 * dma_demo_name() - reserve N of /dev/dma_demoN and name @demo after it
 * @demo: the device, in probe()
 *
 * Return: 0, or ida_alloc()'s -ENOSPC or -ENOMEM.
 */
int dma_demo_name(struct dma_demo_dev *demo)
{
	int id = ida_alloc(&dma_demo_ids, GFP_KERNEL);

	if (id < 0)
		return id;
	demo->id = id;
	snprintf(demo->name, sizeof(demo->name), "dma_demo%d", demo->id);
	return 0;
}

/* N of /dev/dma_demoN is free again. */
void dma_demo_unname(struct dma_demo_dev *demo)
{
	ida_free(&dma_demo_ids, demo->id);
}

/**
 * dma_demo_disconnect() - cut the files off a device that is going away
 * @demo: the device, in remove()
 *
 * Waits for a transfer in progress (bounded: none waits on user space with
 * @demo->lock held), marks @demo gone, zaps every mapping, and waits for an
 * import's detach.  Afterwards nothing reaches the buffers, IRQ or BAR0.
 */
static void dma_demo_disconnect(struct dma_demo_dev *demo)
{
	struct dma_demo_file *f;

	mutex_lock(&demo->lock);
	mutex_lock(&demo->map_lock);
	demo->gone = true;
	list_for_each_entry(f, &demo->files, node)
		unmap_mapping_range(f->filp->f_mapping, 0, 0, 1);
	mutex_unlock(&demo->map_lock);
	mutex_unlock(&demo->lock);
	/* An import that attached before: it finds @gone, and detaches. */
	mutex_lock(&demo->import_lock);
	mutex_unlock(&demo->import_lock);
}

static int dma_demo_open(struct inode *inode, struct file *filp)
{
	/* misc_open() set private_data and holds misc_mtx: @demo is alive. */
	struct dma_demo_dev *demo = container_of(filp->private_data,
						struct dma_demo_dev, misc);
	struct dma_demo_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->demo = demo;
	f->filp = filp;
	f->strategy = DMA_DEMO_COHERENT;

	mutex_lock(&demo->map_lock);
	if (demo->gone) {
		mutex_unlock(&demo->map_lock);
		kfree(f);
		return -ENODEV;
	}
	list_add(&f->node, &demo->files);
	kref_get(&demo->kref);
	mutex_unlock(&demo->map_lock);
	filp->private_data = f;
	return 0;
}

/* No mapping is left: every VMA holds the file, so release() comes last. */
static int dma_demo_release(struct inode *inode, struct file *filp)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *demo = f->demo;

	mutex_lock(&demo->map_lock);
	list_del(&f->node);
	mutex_unlock(&demo->map_lock);
	kfree(f);
	dma_demo_put(demo);
	return 0;
}

/* Direct needs user pages: a kernel iterator runs streaming (as traced). */
static ssize_t dma_demo_io(struct dma_demo_dev *demo, u32 strategy,
			   struct iov_iter *iter, loff_t pos, bool write)
{
	unsigned int bounced = 0;
	ssize_t len, ret;

	if (READ_ONCE(demo->gone))
		return -ENODEV;
	if (READ_ONCE(demo->wedged))
		return -EIO;	/* decided again under the lock */
	len = kmm_rw_clamp(pos, iov_iter_count(iter), demo->size, write);
	if (len <= 0)
		return len;
	if (strategy == DMA_DEMO_DIRECT && !user_backed_iter(iter))
		strategy = DMA_DEMO_STREAMING;
	trace_dma_demo_xfer_start(demo, strategy, write, pos, len);
	if (strategy == DMA_DEMO_DIRECT)
		ret = dma_demo_io_direct(demo, iter, len, pos, &bounced);
	else
		ret = dma_demo_io_copy(demo, iter, len, pos,
				       strategy != DMA_DEMO_COHERENT, &bounced);
	trace_dma_demo_xfer_complete(demo, strategy, write, ret, bounced);
	return ret;
}

/*
 * No FMODE_NOWAIT, but io_uring passes IOCB_NOWAIT for an O_NONBLOCK file:
 * -EAGAIN sends the call to an io_uring worker, without the flag.
 */
static ssize_t dma_demo_rw(struct kiocb *iocb, struct iov_iter *iter,
			   bool write)
{
	struct dma_demo_file *f = iocb->ki_filp->private_data;
	ssize_t ret;

	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EAGAIN;
	ret = dma_demo_io(f->demo, READ_ONCE(f->strategy), iter, iocb->ki_pos,
			  write);
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static ssize_t dma_demo_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return dma_demo_rw(iocb, to, false);
}

static ssize_t dma_demo_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return dma_demo_rw(iocb, from, true);
}

static loff_t dma_demo_llseek(struct file *filp, loff_t off, int whence)
{
	struct dma_demo_file *f = filp->private_data;

	return fixed_size_llseek(filp, off, whence, f->demo->size);
}

static long dma_demo_ioctl_xfer(struct file *filp,
				struct dma_demo_xfer __user *uarg)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *demo = f->demo;
	struct dma_demo_xfer x;
	int ret;

	if (copy_from_user(&x, uarg, sizeof(x)))
		return -EFAULT;
	ret = dma_demo_check_xfer(&x, demo->size);
	if (ret)
		return ret;
	/* It writes or reads device memory: as write(2) and read(2) would. */
	if (!(filp->f_mode & (x.dir == DMA_DEMO_TO_DEVICE ? FMODE_WRITE :
							   FMODE_READ)))
		return -EBADF;
	if (mutex_lock_interruptible(&demo->lock))
		return -ERESTARTSYS;
	ret = dma_demo_engine_run(demo, demo->host_dma + x.buf_offset,
				  x.dev_offset, x.len,
				  x.dir == DMA_DEMO_FROM_DEVICE);
	mutex_unlock(&demo->lock);
	return ret;
}

static long dma_demo_ioctl_dmabuf_xfer(struct file *filp,
				       struct dma_demo_dmabuf_xfer __user *uarg)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dmabuf_xfer x;

	if (copy_from_user(&x, uarg, sizeof(x)))
		return -EFAULT;
	return dma_demo_dmabuf_xfer(f->demo, filp, &x);
}

static long dma_demo_ioctl(struct file *filp, unsigned int cmd,
			   unsigned long arg)
{
	struct dma_demo_file *f = filp->private_data;
	u32 __user *uval = (u32 __user *)arg;
	u32 val;

	switch (cmd) {
	case DMA_DEMO_IOC_SET_STRATEGY:
		if (READ_ONCE(f->demo->gone))
			return -ENODEV;
		if (get_user(val, uval))
			return -EFAULT;
		if (val >= DMA_DEMO_NR_STRATEGIES)
			return -EINVAL;
		WRITE_ONCE(f->strategy, val);
		return 0;
	case DMA_DEMO_IOC_GET_STRATEGY:
		if (READ_ONCE(f->demo->gone))
			return -ENODEV;
		return put_user(READ_ONCE(f->strategy), uval);
	case DMA_DEMO_IOC_XFER:
		return dma_demo_ioctl_xfer(filp, (void __user *)arg);
	case DMA_DEMO_IOC_ALLOC_DMABUF:
		return dma_demo_ioctl_alloc(f->demo, (void __user *)arg);
	case DMA_DEMO_IOC_DMABUF_XFER:
		return dma_demo_ioctl_dmabuf_xfer(filp, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* The host buffer lies in the linear map or, remapped, in vmalloc space. */
static unsigned long dma_demo_host_pfn(struct dma_demo_dev *demo,
				       pgoff_t pgoff)
{
	void *vaddr = demo->host + (pgoff << PAGE_SHIFT);

	if (is_vmalloc_addr(vaddr))
		return vmalloc_to_pfn(vaddr);
	return page_to_pfn(virt_to_page(vaddr));
}

/*
 * A frame of the host buffer, or of BAR0 if @regs, under @demo->map_lock while
 * !gone: remove() sets gone, then zaps.  The mm takes no reference on it.
 */
static vm_fault_t dma_demo_insert(struct vm_fault *vmf, bool regs)
{
	struct dma_demo_dev *demo = vmf->vma->vm_private_data;
	pgoff_t page = regs ? vmf->pgoff - DMA_DEMO_REGS_PGOFF : vmf->pgoff;
	pgoff_t pages = regs ? demo->bar_len >> PAGE_SHIFT : DMA_DEMO_HOST_PAGES;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	mutex_lock(&demo->map_lock);
	if (!demo->gone && page < pages)
		ret = vmf_insert_pfn(vmf->vma, vmf->address, regs ?
				     PHYS_PFN(pci_resource_start(demo->pdev, 0)) + page :
				     dma_demo_host_pfn(demo, page));
	mutex_unlock(&demo->map_lock);
	return ret;
}

/* The host buffer's protection is dma_mmap_attrs()'s (x86: PAT's memtype). */
static vm_fault_t dma_demo_vm_fault(struct vm_fault *vmf)
{
	return dma_demo_insert(vmf, false);
}

static const struct vm_operations_struct dma_demo_vm_ops = {
	.fault = dma_demo_vm_fault,
};

/* BAR0's pages, uncached: the protection mmap() chose. */
static vm_fault_t dma_demo_regs_fault(struct vm_fault *vmf)
{
	return dma_demo_insert(vmf, true);
}

static const struct vm_operations_struct dma_demo_regs_vm_ops = {
	.fault = dma_demo_regs_fault,
};

/* BAR0 as resource0 maps it: CAP_SYS_RAWIO, shared, uncached, no exec. */
static int dma_demo_mmap_regs(struct dma_demo_dev *demo,
			      struct vm_area_struct *vma)
{
	int ret;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	ret = security_locked_down(LOCKDOWN_PCI_ACCESS);
	if (ret)
		return ret;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (!(vma->vm_flags & VM_MAYSHARE) ||
	    dma_demo_regs_check(demo->bar_len, vma->vm_pgoff,
				vma->vm_end - vma->vm_start))
		return -EINVAL;
	if (READ_ONCE(demo->gone))	/* a courtesy: faults decide */
		return -ENODEV;
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_clear(vma, VM_MAYEXEC);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_ops = &dma_demo_regs_vm_ops;
	vma->vm_private_data = demo;
	return 0;
}

/*
 * Only dma_mmap_attrs() knows coherent memory's protection (uncached,
 * decrypted).  Its entries are zapped before @demo->map_lock is dropped, as
 * remove() cannot see this vma yet (docs/dma.md, The host buffer and its
 * protection).  The vma holds the file, and the file @demo, for the faults.
 */
static int dma_demo_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *demo = f->demo;
	unsigned long len = vma->vm_end - vma->vm_start;
	int ret;

	if (vma->vm_pgoff >= DMA_DEMO_REGS_PGOFF)
		return dma_demo_mmap_regs(demo, vma);
	if (!(vma->vm_flags & VM_MAYSHARE) || vma->vm_pgoff ||
	    kmm_check_mmap_range(DMA_DEMO_HOST_SIZE, vma->vm_pgoff, len))
		return -EINVAL;
	mutex_lock(&demo->map_lock);
	if (demo->gone) {
		ret = -ENODEV;
		goto unlock;
	}
	ret = dma_mmap_attrs(&demo->pdev->dev, vma, demo->host, demo->host_dma,
			     DMA_DEMO_HOST_SIZE, DMA_DEMO_HOST_ATTRS);
	if (ret)
		goto unlock;
	if (!(vma->vm_flags & VM_PFNMAP)) {
		/* Struct pages a fault could not put back; mmap() unmaps them. */
		dev_warn_once(&demo->pdev->dev, "DMA API mapped no page frames\n");
		ret = -ENXIO;
		goto unlock;
	}
	zap_vma_ptes(vma, vma->vm_start, len);
	vma->vm_ops = &dma_demo_vm_ops;
	vma->vm_private_data = demo;
unlock:
	mutex_unlock(&demo->map_lock);
	return ret;
}

static const struct file_operations dma_demo_fops = {
	.owner = THIS_MODULE,
	.open = dma_demo_open,
	.release = dma_demo_release,
	.read_iter = dma_demo_read_iter,
	.write_iter = dma_demo_write_iter,
	.splice_read = kmm_splice_read,
	.splice_write = iter_file_splice_write,
	.llseek = dma_demo_llseek,
	.unlocked_ioctl = dma_demo_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = dma_demo_mmap,
};

/* The counters, read-only attributes of the misc device. */
static struct dma_demo_dev *dma_demo_from_misc(struct device *dev)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct dma_demo_dev, misc);
}

/* A read-only attribute: one of the device's struct dma_demo_counters. */
struct dma_demo_counter_attr {
	struct device_attribute attr;
	size_t offset;		/* in struct dma_demo_counters */
};

static ssize_t dma_demo_counter_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct dma_demo_counter_attr *ca =
		container_of(attr, struct dma_demo_counter_attr, attr);
	atomic64_t *counter = (void *)&dma_demo_from_misc(dev)->count + ca->offset;

	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(counter));
}

/* Not __ATTR(): checkpatch would flag _name used twice, a member name. */
#define DMA_DEMO_COUNTER_ATTR(_name)					\
	struct dma_demo_counter_attr dma_demo_attr_##_name = {		\
		.attr.attr = { .name = #_name, .mode = 0444 },		\
		.attr.show = dma_demo_counter_show,			\
		.offset = offsetof(struct dma_demo_counters, _name),	\
	}

static DMA_DEMO_COUNTER_ATTR(transfers);
static DMA_DEMO_COUNTER_ATTR(bytes);
static DMA_DEMO_COUNTER_ATTR(interrupts);
static DMA_DEMO_COUNTER_ATTR(timeouts);
static DMA_DEMO_COUNTER_ATTR(bounced);
static DMA_DEMO_COUNTER_ATTR(stuck);

/* 1 when imported dma-bufs are mapped for the engine, 0 when they bounce. */
static ssize_t dmabuf_direct_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", dma_demo_from_misc(dev)->dmabuf_direct);
}
static DEVICE_ATTR_RO(dmabuf_direct);

static struct attribute *dma_demo_attrs[] = {
	&dma_demo_attr_transfers.attr.attr,
	&dma_demo_attr_bytes.attr.attr,
	&dma_demo_attr_interrupts.attr.attr,
	&dma_demo_attr_timeouts.attr.attr,
	&dma_demo_attr_bounced.attr.attr,
	&dma_demo_attr_stuck.attr.attr,
	&dev_attr_dmabuf_direct.attr,
	NULL,
};

static const struct attribute_group dma_demo_group = {
	.attrs = dma_demo_attrs,
};

static const struct attribute_group *dma_demo_groups[] = {
	&dma_demo_group,
	NULL,
};

/**
 * dma_demo_register() - /dev/dma_demoN for a named device
 * @demo: the device, its IRQ requested: an open file may start a transfer
 *
 * Return: 0, or misc_register()'s errno.
 */
int dma_demo_register(struct dma_demo_dev *demo)
{
	demo->misc.minor = MISC_DYNAMIC_MINOR;
	demo->misc.name = demo->name;
	demo->misc.fops = &dma_demo_fops;
	demo->misc.parent = &demo->pdev->dev;
	demo->misc.groups = dma_demo_groups;
	demo->misc.mode = 0600;	/* root's; udev may hand it to group kmm */
	return misc_register(&demo->misc);
}

/* No new opens, and the open files are cut off (dma_demo_disconnect()). */
void dma_demo_unregister(struct dma_demo_dev *demo)
{
	misc_deregister(&demo->misc);
	dma_demo_disconnect(demo);
}
