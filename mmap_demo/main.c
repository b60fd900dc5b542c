// SPDX-License-Identifier: GPL-2.0
/* mmap_demo: one buffer (buffer.c) mapped three ways; see docs/mmap.md. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "kmm_compat.h"
#include "kmm_prefault.h"
#include "kmm_rules.h"
#include "mmap_demo.h"

#define CREATE_TRACE_POINTS
#include "mmap_demo_trace.h"

static unsigned long npages = MMAP_DEMO_NPAGES;
module_param(npages, ulong, 0444);
MODULE_PARM_DESC(npages, "Buffer size in pages (default 256)");

static unsigned int fault_window = MMAP_DEMO_WINDOW;
static const struct kernel_param_ops mmap_demo_window_ops = {
	.set = kmm_param_set_window,
	.get = param_get_uint,
};
module_param_cb(fault_window, &mmap_demo_window_ops, &fault_window, 0644);
MODULE_PARM_DESC(fault_window, "Pages mapped per fault, a power of two (default 64)");

static struct mmap_demo_buf mmap_demo_buf;
static struct dentry *mmap_demo_debugfs;

/**
 * struct mmap_demo_node - one of the three device nodes
 * @misc: the misc device; file->private_data points to it after open
 * @name: the short name, in debugfs
 * @map: fills the page tables at mmap() time, or NULL to leave it to .fault
 * @vm_ops: the node's vm_operations
 * @private_cow: whether MAP_PRIVATE may be writable (copy-on-write)
 * @counters: what the node has done
 */
struct mmap_demo_node {
	struct miscdevice misc;
	const char *name;
	int (*map)(struct vm_area_struct *vma);
	const struct vm_operations_struct *vm_ops;
	bool private_cow;
	struct mmap_demo_counters counters;
};

static struct mmap_demo_node *mmap_demo_node_of(struct file *filp)
{
	return container_of(filp->private_data, struct mmap_demo_node, misc);
}

/* FMODE_NOWAIT: no lock, nothing to wait for but the caller's memory. */
static int mmap_demo_open(struct inode *inode, struct file *filp)
{
	filp->f_mode |= FMODE_NOWAIT;
	return 0;
}

static ssize_t mmap_demo_rw(struct kiocb *iocb, struct iov_iter *iter,
			    bool write)
{
	ssize_t ret = mmap_demo_copy(&mmap_demo_buf, iocb->ki_pos, iter, write);

	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static ssize_t mmap_demo_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return mmap_demo_rw(iocb, to, false);
}

static ssize_t mmap_demo_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return mmap_demo_rw(iocb, from, true);
}

static loff_t mmap_demo_llseek(struct file *filp, loff_t off, int whence)
{
	return fixed_size_llseek(filp, off, whence, mmap_demo_size(&mmap_demo_buf));
}

static void mmap_demo_vma_open(struct vm_area_struct *vma)
{
	struct mmap_demo_node *node = vma->vm_private_data;

	mmap_demo_count_open(&node->counters);
}

static void mmap_demo_vma_close(struct vm_area_struct *vma)
{
	struct mmap_demo_node *node = vma->vm_private_data;

	mmap_demo_count_close(&node->counters);
}

/* The core maps the faulting page: that copies it for a private write. */
static vm_fault_t mmap_demo_vma_fault(struct vm_fault *vmf)
{
	struct mmap_demo_node *node = vmf->vma->vm_private_data;
	unsigned long window = 0, mapped = 0;
	vm_fault_t ret;

	ret = mmap_demo_fault_page(&mmap_demo_buf, &node->counters,
				   vmf->pgoff, &vmf->page);
	if (!ret)
		mapped = mmap_demo_prefault(&mmap_demo_buf, &node->counters,
					    vmf->vma, vmf->address,
					    READ_ONCE(fault_window), &window) + 1;
	trace_mmap_demo_fault(vmf->vma, vmf->address, window, mapped, ret);
	return ret;
}

/* No .fault for remap: its VM_PFNMAP mapping is complete from mmap() on. */
static const struct vm_operations_struct mmap_demo_remap_vm_ops = {
	.open = mmap_demo_vma_open,
	.close = mmap_demo_vma_close,
};

static const struct vm_operations_struct mmap_demo_fault_vm_ops = {
	.open = mmap_demo_vma_open,
	.close = mmap_demo_vma_close,
	.fault = mmap_demo_vma_fault,
};

/* One remap_pfn_range() per run of physically consecutive pages. */
static int mmap_demo_map_remap(struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start, left = vma_pages(vma);
	pgoff_t pgoff = vma->vm_pgoff;
	int ret;

	while (left) {
		unsigned long run = mmap_demo_run(&mmap_demo_buf, pgoff, left);
		struct page *page = mmap_demo_page(&mmap_demo_buf, pgoff);

		ret = remap_pfn_range(vma, addr, page_to_pfn(page),
				      run << PAGE_SHIFT, vma->vm_page_prot);
		if (ret)
			return ret;	/* the caller unmaps what was mapped */
		addr += run << PAGE_SHIFT;
		pgoff += run;
		left -= run;
	}
	return 0;
}

/* Our range is the VMA's: -EFAULT can only mean no page-table memory. */
static int mmap_demo_map_insert(struct vm_area_struct *vma)
{
	unsigned long num = vma_pages(vma);
	int ret;

	ret = vm_insert_pages(vma, vma->vm_start,
			      &mmap_demo_buf.pages[vma->vm_pgoff], &num);
	return ret == -EFAULT ? -ENOMEM : ret;
}

static int mmap_demo_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct mmap_demo_node *node = mmap_demo_node_of(filp);
	int ret;

	if (kmm_check_mmap_range(mmap_demo_size(&mmap_demo_buf), vma->vm_pgoff,
				 vma->vm_end - vma->vm_start))
		return -EINVAL;

	if (!(vma->vm_flags & VM_SHARED) && !node->private_cow) {
		if (vma->vm_flags & VM_WRITE)
			return -EINVAL;
		vm_flags_clear(vma, VM_MAYWRITE);
	}

	/*
	 * remap and insert map it all now and cannot grow.  The fault node's
	 * vm_insert_page() needs VM_MIXEDMAP, set here: mmap_lock is held for
	 * writing.
	 */
	vma->vm_ops = node->vm_ops;
	vma->vm_private_data = node;
	if (node->map) {
		vm_flags_set(vma, VM_DONTEXPAND);
		ret = node->map(vma);
		if (ret)
			return ret;
	} else {
		vm_flags_set(vma, VM_MIXEDMAP);
	}
	mmap_demo_count_mmap(&node->counters);
	return 0;
}

static const struct file_operations mmap_demo_fops = {
	.owner = THIS_MODULE,
	.open = mmap_demo_open,
	.llseek = mmap_demo_llseek,
	.read_iter = mmap_demo_read_iter,
	.write_iter = mmap_demo_write_iter,
	.splice_read = kmm_splice_read,
	.splice_write = iter_file_splice_write,
	.mmap = mmap_demo_mmap,
};

static struct mmap_demo_node mmap_demo_nodes[] = {
	{
		.misc.name = "mmap_demo_remap",
		.name = "remap",
		.map = mmap_demo_map_remap,
		.vm_ops = &mmap_demo_remap_vm_ops,
	},
	{
		.misc.name = "mmap_demo_fault",
		.name = "fault",
		.vm_ops = &mmap_demo_fault_vm_ops,
		.private_cow = true,
	},
	{
		.misc.name = "mmap_demo_insert",
		.name = "insert",
		.map = mmap_demo_map_insert,
		.vm_ops = &mmap_demo_fault_vm_ops,
	},
};

static int mmap_demo_stats_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, "# npages %lu\n", mmap_demo_buf.npages);
	seq_printf(m, "# fault_window %u\n", READ_ONCE(fault_window));
	seq_puts(m, "# node mmaps vmas faults sigbus prefaulted\n");
	for (i = 0; i < ARRAY_SIZE(mmap_demo_nodes); i++) {
		struct mmap_demo_node *node = &mmap_demo_nodes[i];
		struct mmap_demo_counters *c = &node->counters;

		seq_printf(m, "%s %ld %ld %ld %ld %ld\n", node->name,
			   atomic_long_read(&c->mmaps), atomic_long_read(&c->vmas),
			   atomic_long_read(&c->faults),
			   atomic_long_read(&c->sigbus),
			   atomic_long_read(&c->prefaulted));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mmap_demo_stats);

static void mmap_demo_deregister(int count)
{
	while (count--)
		misc_deregister(&mmap_demo_nodes[count].misc);
}

static int __init mmap_demo_init(void)
{
	int ret, i;

	if (!npages || npages > MMAP_DEMO_NPAGES_MAX) {
		pr_err("npages=%lu: must be 1 to %lu\n", npages,
		       MMAP_DEMO_NPAGES_MAX);
		return -EINVAL;
	}
	ret = mmap_demo_buf_alloc(&mmap_demo_buf, npages);
	if (ret) {
		pr_err("npages=%lu: cannot allocate the buffer: %d\n", npages, ret);
		return ret;
	}

	for (i = 0; i < ARRAY_SIZE(mmap_demo_nodes); i++) {
		struct miscdevice *misc = &mmap_demo_nodes[i].misc;

		misc->minor = MISC_DYNAMIC_MINOR;
		misc->fops = &mmap_demo_fops;
		ret = misc_register(misc);
		if (ret) {
			pr_err("cannot register %s: %d\n", misc->name, ret);
			goto deregister;
		}
	}

	/* Failures here only cost the statistics: debugfs is not checked. */
	mmap_demo_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, mmap_demo_debugfs, NULL,
			    &mmap_demo_stats_fops);

	pr_info("%lu pages (%lu KiB), nodes remap, fault and insert\n",
		npages, npages << (PAGE_SHIFT - 10));
	return 0;

deregister:
	mmap_demo_deregister(i);
	mmap_demo_buf_free(&mmap_demo_buf);
	return ret;
}

static void __exit mmap_demo_exit(void)
{
	debugfs_remove(mmap_demo_debugfs);
	mmap_demo_deregister(ARRAY_SIZE(mmap_demo_nodes));
	mmap_demo_buf_free(&mmap_demo_buf);
}

module_init(mmap_demo_init);
module_exit(mmap_demo_exit);

MODULE_DESCRIPTION("One buffer mapped three ways: remap_pfn_range, fault, vm_insert_pages");
MODULE_AUTHOR("kmm-drivers developers");
MODULE_LICENSE("GPL");
