// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo: a PCI driver for QEMU's edu device (PCI 1234:11e8).
 *
 * The PCI side (probe, remove, the interrupt) and the file side of
 * /dev/dma_demoN: read/write/lseek of the device's 4 KiB buffer, the
 * strategy and transfer ioctls, mmap() of the coherent host buffer, and
 * the counters in sysfs.  The transfers themselves are in dma.c, the
 * debugfs benchmark of streaming mappings in bench.c.
 *
 * Lifetime: the device struct is reference counted.  The bound PCI device
 * holds one reference and every open file another, so a file can outlive
 * remove(): remove() marks the device gone under its lock (every later
 * call fails with -ENODEV), unmaps every user mapping of the host buffer,
 * and frees what belongs to the PCI device before it returns.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "kmm_compat.h"
#include "dma_demo.h"

#define EDU_VENDOR_ID	0x1234
#define EDU_DEVICE_ID	0x11e8

static bool full_buffer;
module_param(full_buffer, bool, 0444);
MODULE_PARM_DESC(full_buffer, "Expose all 4096 bytes of device memory; QEMU before 8.2.1 aborts on a DMA that reaches the last one, so the file ends one byte short by default (default false)");

/* N of dma_demoN -> device, for the names and for dma_demo_get(). */
static DEFINE_XARRAY_ALLOC(dma_demo_ids);

/**
 * struct dma_demo_file - one open file
 * @dev: its device (a reference is held)
 * @filp: the file, to unmap its mappings when the device goes away
 * @strategy: DMA_DEMO_COHERENT, DMA_DEMO_STREAMING or DMA_DEMO_DIRECT
 * @node: in &dma_demo_dev.files
 */
struct dma_demo_file {
	struct dma_demo_dev *dev;
	struct file *filp;
	u32 strategy;
	struct list_head node;
};

static void dma_demo_release_dev(struct kref *kref)
{
	struct dma_demo_dev *dev = container_of(kref, struct dma_demo_dev, kref);

	mutex_destroy(&dev->map_lock);
	mutex_destroy(&dev->lock);
	kfree(dev);
}

/**
 * dma_demo_get() - a reference to a bound device
 * @id: N of /dev/dma_demoN
 *
 * Return: the device, to be released with dma_demo_put(), or NULL.
 */
struct dma_demo_dev *dma_demo_get(int id)
{
	struct dma_demo_dev *dev;

	xa_lock(&dma_demo_ids);
	dev = xa_load(&dma_demo_ids, id);
	if (dev)
		kref_get(&dev->kref);
	xa_unlock(&dma_demo_ids);
	return dev;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_get);

/**
 * dma_demo_put() - drop a reference taken by dma_demo_get()
 * @dev: the device
 */
void dma_demo_put(struct dma_demo_dev *dev)
{
	kref_put(&dev->kref, dma_demo_release_dev);
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_put);

/**
 * dma_demo_kernel_io() - read or write device memory from kernel code
 * @dev: the device
 * @buf: the data, or where it goes
 * @len: bytes
 * @pos: offset in device memory
 * @write: true to move @buf to the device
 *
 * Return: bytes moved (short at the end of the device), or an errno as
 * for read(2) and write(2).
 */
ssize_t dma_demo_kernel_io(struct dma_demo_dev *dev, void *buf, size_t len,
			   loff_t pos, bool write)
{
	ssize_t ret = dma_demo_clamp(pos, len, dev->size, write);
	void *kbuf;

	if (ret <= 0)
		return READ_ONCE(dev->gone) ? -ENODEV : ret;
	kbuf = dma_demo_alloc_streaming(dev, ret);
	if (!kbuf)
		return -ENOMEM;
	if (write)
		memcpy(kbuf, buf, ret);
	if (mutex_lock_interruptible(&dev->lock)) {
		kfree(kbuf);
		return -ERESTARTSYS;
	}
	if (dev->gone)
		ret = -ENODEV;
	else
		ret = dma_demo_io_streaming(dev, kbuf, NULL, false, ret, pos,
					    write);
	mutex_unlock(&dev->lock);
	if (ret > 0 && !write)
		memcpy(buf, kbuf, ret);
	if (!(ret == -EIO && dev->wedged))
		kfree(kbuf);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(dma_demo_kernel_io);

static int dma_demo_open(struct inode *inode, struct file *filp)
{
	/* misc_open() set private_data and holds misc_mtx: @dev is alive. */
	struct dma_demo_dev *dev = container_of(filp->private_data,
						struct dma_demo_dev, misc);
	struct dma_demo_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->dev = dev;
	f->filp = filp;
	f->strategy = DMA_DEMO_COHERENT;

	mutex_lock(&dev->lock);
	if (dev->gone) {
		mutex_unlock(&dev->lock);
		kfree(f);
		return -ENODEV;
	}
	list_add(&f->node, &dev->files);
	kref_get(&dev->kref);
	mutex_unlock(&dev->lock);
	filp->private_data = f;
	return 0;
}

static int dma_demo_release(struct inode *inode, struct file *filp)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *dev = f->dev;

	mutex_lock(&dev->lock);
	list_del(&f->node);
	mutex_unlock(&dev->lock);
	kfree(f);
	dma_demo_put(dev);
	return 0;
}

static ssize_t dma_demo_rw(struct file *filp, char __user *ubuf, size_t len,
			   loff_t *ppos, bool write)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *dev = f->dev;
	ssize_t ret = dma_demo_clamp(*ppos, len, dev->size, write);
	void *kbuf = NULL;

	if (ret > 0 && READ_ONCE(f->strategy) == DMA_DEMO_STREAMING) {
		kbuf = dma_demo_alloc_streaming(dev, ret);
		if (!kbuf)
			return -ENOMEM;
	}
	if (mutex_lock_interruptible(&dev->lock)) {
		kfree(kbuf);
		return -ERESTARTSYS;
	}
	if (dev->gone)
		ret = -ENODEV;
	else if (ret > 0 && kbuf)
		ret = dma_demo_io_streaming(dev, kbuf, ubuf, true, ret, *ppos,
					    write);
	else if (ret > 0 && f->strategy == DMA_DEMO_DIRECT)
		ret = dma_demo_io_direct(dev, ubuf, ret, *ppos, write);
	else if (ret > 0)
		ret = dma_demo_io_coherent(dev, ubuf, ret, *ppos, write);
	/* A stuck engine may still write to the buffer: leave it be. */
	if (!(ret == -EIO && dev->wedged))
		kfree(kbuf);
	mutex_unlock(&dev->lock);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t dma_demo_read(struct file *filp, char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	return dma_demo_rw(filp, ubuf, len, ppos, false);
}

static ssize_t dma_demo_write(struct file *filp, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	/* The device only reads the buffer; the direct strategy pins it read-only. */
	return dma_demo_rw(filp, (char __user *)ubuf, len, ppos, true);
}

static loff_t dma_demo_llseek(struct file *filp, loff_t off, int whence)
{
	struct dma_demo_file *f = filp->private_data;

	return fixed_size_llseek(filp, off, whence, f->dev->size);
}

static long dma_demo_ioctl_xfer(struct file *filp,
				struct dma_demo_xfer __user *uarg)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *dev = f->dev;
	struct dma_demo_xfer x;
	int ret;

	if (copy_from_user(&x, uarg, sizeof(x)))
		return -EFAULT;
	ret = dma_demo_check_xfer(&x, dev->size);
	if (ret)
		return ret;
	/* It writes or reads device memory: as write(2) and read(2) would. */
	if (!(filp->f_mode & (x.dir == DMA_DEMO_TO_DEVICE ? FMODE_WRITE :
							   FMODE_READ)))
		return -EBADF;
	if (mutex_lock_interruptible(&dev->lock))
		return -ERESTARTSYS;
	ret = dma_demo_dma(dev, dev->host_dma + x.buf_offset, x.dev_offset,
			   x.len, x.dir == DMA_DEMO_FROM_DEVICE);
	mutex_unlock(&dev->lock);
	return ret;
}

static long dma_demo_ioctl(struct file *filp, unsigned int cmd,
			   unsigned long arg)
{
	struct dma_demo_file *f = filp->private_data;
	u32 __user *uval = (u32 __user *)arg;
	u32 val;

	switch (cmd) {
	case DMA_DEMO_IOC_SET_STRATEGY:
		if (READ_ONCE(f->dev->gone))
			return -ENODEV;
		if (get_user(val, uval))
			return -EFAULT;
		if (val >= DMA_DEMO_NR_STRATEGIES)
			return -EINVAL;
		WRITE_ONCE(f->strategy, val);
		return 0;
	case DMA_DEMO_IOC_GET_STRATEGY:
		if (READ_ONCE(f->dev->gone))
			return -ENODEV;
		return put_user(READ_ONCE(f->strategy), uval);
	case DMA_DEMO_IOC_XFER:
		return dma_demo_ioctl_xfer(filp, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/*
 * No fault handler: once remove() has unmapped a mapping, touching it
 * gives SIGBUS instead of reaching freed memory.
 */
static const struct vm_operations_struct dma_demo_vm_ops = {
};

static int dma_demo_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct dma_demo_file *f = filp->private_data;
	struct dma_demo_dev *dev = f->dev;
	int ret;

	/* The one shared host buffer: no private copies, no offset. */
	if (!(vma->vm_flags & VM_MAYSHARE) || vma->vm_pgoff ||
	    vma->vm_end - vma->vm_start > PAGE_ALIGN(DMA_DEMO_DEV_SIZE))
		return -EINVAL;

	if (mutex_lock_interruptible(&dev->map_lock))
		return -ERESTARTSYS;
	if (dev->gone) {
		ret = -ENODEV;
	} else {
		vma->vm_ops = &dma_demo_vm_ops;
		ret = dma_mmap_coherent(&dev->pdev->dev, vma, dev->host,
					dev->host_dma, DMA_DEMO_DEV_SIZE);
	}
	mutex_unlock(&dev->map_lock);
	return ret;
}

static const struct file_operations dma_demo_fops = {
	.owner = THIS_MODULE,
	.open = dma_demo_open,
	.release = dma_demo_release,
	.read = dma_demo_read,
	.write = dma_demo_write,
	.llseek = dma_demo_llseek,
	.unlocked_ioctl = dma_demo_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = dma_demo_mmap,
};

/* The counters, read-only attributes of the misc device. */
static struct dma_demo_dev *dma_demo_from_misc(struct device *d)
{
	struct miscdevice *misc = dev_get_drvdata(d);

	return container_of(misc, struct dma_demo_dev, misc);
}

static ssize_t dma_demo_counter_show(char *buf, atomic64_t *counter)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(counter));
}

static ssize_t transfers_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return dma_demo_counter_show(buf, &dma_demo_from_misc(d)->transfers);
}
static DEVICE_ATTR_RO(transfers);

static ssize_t bytes_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return dma_demo_counter_show(buf, &dma_demo_from_misc(d)->bytes);
}
static DEVICE_ATTR_RO(bytes);

static ssize_t interrupts_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return dma_demo_counter_show(buf, &dma_demo_from_misc(d)->interrupts);
}
static DEVICE_ATTR_RO(interrupts);

static ssize_t timeouts_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return dma_demo_counter_show(buf, &dma_demo_from_misc(d)->timeouts);
}
static DEVICE_ATTR_RO(timeouts);

static ssize_t bounced_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	return dma_demo_counter_show(buf, &dma_demo_from_misc(d)->bounced);
}
static DEVICE_ATTR_RO(bounced);

static struct attribute *dma_demo_attrs[] = {
	&dev_attr_transfers.attr,
	&dev_attr_bytes.attr,
	&dev_attr_interrupts.attr,
	&dev_attr_timeouts.attr,
	&dev_attr_bounced.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dma_demo);

static irqreturn_t dma_demo_irq(int irq, void *data)
{
	struct dma_demo_dev *dev = data;
	u32 status = ioread32(dev->mmio + EDU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;	/* a shared INTx line: not ours */
	iowrite32(status, dev->mmio + EDU_REG_IRQ_ACK);
	atomic64_inc(&dev->interrupts);
	if (status & EDU_IRQ_DMA)
		complete(&dev->done);
	return IRQ_HANDLED;
}

/* Is this an edu device, and alive? */
static int dma_demo_check_hw(struct pci_dev *pdev, void __iomem *mmio)
{
	u32 id = ioread32(mmio + EDU_REG_ID);
	u32 probe = 0x5a5a1234 ^ id, back;

	if ((id & 0xff) != EDU_ID_MAGIC) {
		dev_err(&pdev->dev, "identification %#010x: not an edu device\n",
			id);
		return -ENODEV;
	}
	iowrite32(probe, mmio + EDU_REG_LIVENESS);
	back = ioread32(mmio + EDU_REG_LIVENESS);
	if (back != ~probe) {
		dev_err(&pdev->dev, "liveness check failed: wrote %#010x, read %#010x\n",
			probe, back);
		return -EIO;
	}
	dev_info(&pdev->dev, "edu version %u.%u\n", id >> 24, (id >> 16) & 0xff);
	return 0;
}

static int dma_demo_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct device *d = &pdev->dev;
	struct dma_demo_dev *dev;
	bool msi;
	u32 id;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	kref_init(&dev->kref);
	mutex_init(&dev->lock);
	mutex_init(&dev->map_lock);
	init_completion(&dev->done);
	INIT_LIST_HEAD(&dev->files);
	dev->pdev = pdev;
	dev->size = full_buffer ? DMA_DEMO_DEV_SIZE : DMA_DEMO_DEV_SIZE - 1;

	/*
	 * MSI before enabling the device: enabling one without MSI routes its
	 * INTx pin through ACPI's _PRT, which on QEMU's i440FX a debug kernel
	 * under TCG interprets for 30 s before it gives up.  INTx (shared)
	 * only when there is no MSI, once the device is enabled.  MSI needs
	 * the device in D0, which enabling would otherwise see to.
	 */
	ret = pci_set_power_state(pdev, PCI_D0);
	if (ret)
		goto put_dev;
	msi = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI) == 1;

	/* Enabling and BAR0 are undone by pcim when the driver is unbound. */
	ret = pcim_enable_device(pdev);
	if (ret)
		goto free_vectors;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		goto free_vectors;
	dev->mmio = pcim_iomap_table(pdev)[0];
	ret = dma_demo_check_hw(pdev, dev->mmio);
	if (ret)
		goto free_vectors;
	ret = dma_set_mask_and_coherent(d, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret) {
		dev_err(d, "no usable %d-bit DMA\n", EDU_DMA_BITS);
		goto free_vectors;
	}
	pci_set_master(pdev);
	if (!msi) {
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
		if (ret < 0) {
			dev_err(d, "neither MSI nor an INTx interrupt\n");
			goto free_vectors;
		}
	}

	ret = xa_alloc(&dma_demo_ids, &id, dev, xa_limit_31b, GFP_KERNEL);
	if (ret)
		goto free_vectors;
	dev->id = id;
	snprintf(dev->name, sizeof(dev->name), "dma_demo%d", dev->id);

	dev->bounce = dma_alloc_coherent(d, DMA_DEMO_DEV_SIZE, &dev->bounce_dma,
					 GFP_KERNEL);
	if (!dev->bounce) {
		ret = -ENOMEM;
		goto erase_id;
	}
	dev->host = dma_alloc_coherent(d, DMA_DEMO_DEV_SIZE, &dev->host_dma,
				       GFP_KERNEL);
	if (!dev->host) {
		ret = -ENOMEM;
		goto free_bounce;
	}

	/* Acknowledge what an earlier driver may have left pending. */
	iowrite32(ioread32(dev->mmio + EDU_REG_IRQ_STATUS),
		  dev->mmio + EDU_REG_IRQ_ACK);
	/*
	 * Not devm: the handler's data outlives the PCI device only as long
	 * as files are open, so the handler must be gone before remove()
	 * drops the device's reference.
	 */
	ret = request_irq(pci_irq_vector(pdev, 0), dma_demo_irq, IRQF_SHARED,
			  dev->name, dev);
	if (ret)
		goto free_host;

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = dev->name;
	dev->misc.fops = &dma_demo_fops;
	dev->misc.parent = d;
	dev->misc.groups = dma_demo_groups;
	dev->misc.mode = 0600;
	ret = misc_register(&dev->misc);
	if (ret)
		goto free_irq;

	pci_set_drvdata(pdev, dev);
	dma_demo_bench_add(dev);
	dev_info(d, "/dev/%s, %s interrupt, %d-bit DMA\n", dev->name,
		 pdev->msi_enabled ? "MSI" : "INTx", EDU_DMA_BITS);
	return 0;

free_irq:
	free_irq(pci_irq_vector(pdev, 0), dev);
free_host:
	dma_free_coherent(d, DMA_DEMO_DEV_SIZE, dev->host, dev->host_dma);
free_bounce:
	dma_free_coherent(d, DMA_DEMO_DEV_SIZE, dev->bounce, dev->bounce_dma);
erase_id:
	xa_erase(&dma_demo_ids, dev->id);
free_vectors:
	pci_free_irq_vectors(pdev);
put_dev:
	dma_demo_put(dev);
	return ret;
}

static void dma_demo_remove(struct pci_dev *pdev)
{
	struct dma_demo_dev *dev = pci_get_drvdata(pdev);
	struct device *d = &pdev->dev;
	struct dma_demo_file *f;

	dma_demo_bench_remove(dev);	/* waits for a measurement */
	xa_erase(&dma_demo_ids, dev->id);
	misc_deregister(&dev->misc);	/* no new opens */

	/* Waits for a transfer in progress; none starts after this. */
	mutex_lock(&dev->lock);
	mutex_lock(&dev->map_lock);
	dev->gone = true;
	mutex_unlock(&dev->map_lock);
	list_for_each_entry(f, &dev->files, node)
		unmap_mapping_range(f->filp->f_mapping, 0, 0, 1);
	mutex_unlock(&dev->lock);

	free_irq(pci_irq_vector(pdev, 0), dev);
	if (dev->wedged) {
		dev_err(d, "DMA engine stuck: leaving its buffers allocated\n");
	} else {
		dma_free_coherent(d, DMA_DEMO_DEV_SIZE, dev->host, dev->host_dma);
		dma_free_coherent(d, DMA_DEMO_DEV_SIZE, dev->bounce,
				  dev->bounce_dma);
	}
	pci_free_irq_vectors(pdev);
	dma_demo_put(dev);
}

static const struct pci_device_id dma_demo_ids_table[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, dma_demo_ids_table);

static struct pci_driver dma_demo_driver = {
	.name = KBUILD_MODNAME,
	.id_table = dma_demo_ids_table,
	.probe = dma_demo_probe,
	.remove = dma_demo_remove,
};

/* The module's debugfs directory exists before any device is bound. */
static int __init dma_demo_init(void)
{
	int ret;

	dma_demo_bench_init();
	ret = pci_register_driver(&dma_demo_driver);
	if (ret)
		dma_demo_bench_exit();
	return ret;
}

static void __exit dma_demo_exit(void)
{
	pci_unregister_driver(&dma_demo_driver);
	dma_demo_bench_exit();
}

module_init(dma_demo_init);
module_exit(dma_demo_exit);

MODULE_DESCRIPTION("DMA with QEMU's edu PCI device: coherent, streaming and pinned user pages");
MODULE_AUTHOR("kmm-drivers developers");
MODULE_LICENSE("GPL");
