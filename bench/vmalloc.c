// SPDX-License-Identifier: GPL-2.0
/*
 * kmm_bench: what a virtually contiguous buffer, vmalloc_demo's, costs to
 * make and unmake, measured in the kernel in the manner of
 * lib/test_vmalloc.c: vmalloc() against alloc_page() + vmap(), the two
 * ways vmalloc_demo builds it.  docs/bench.md describes its debugfs file,
 * kmm_bench/vmalloc.  vfree() and vunmap() both leave the TLB flush and
 * the release of the virtual range to a later, batched purge, so the two
 * ways pay it alike.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "kmm_bench.h"

#define KMB_VMALLOC_MAX_PAGES	1024
#define KMB_VMALLOC_MAX_REPS	100000
#define KMB_VMALLOC_MAX_WORK	(1024 * 1024)	/* pages * reps: seconds */
#define KMB_VMALLOC_GFP		(GFP_KERNEL | __GFP_NOWARN)

struct kmb_vmalloc_result {
	u32 pages;
	u32 reps;
	u64 vmalloc_ns;
	u64 vmap_ns;
	u64 map_ns;
};

/* The last result; the lock also keeps runs from overlapping. */
static DEFINE_MUTEX(kmb_vmalloc_lock);
static struct kmb_vmalloc_result kmb_vmalloc_last;

/* Between repetitions: let others run, and let a killed caller go. */
static bool kmb_vmalloc_stop(void)
{
	cond_resched();
	return fatal_signal_pending(current);
}

static void kmb_vmalloc_free_pages(struct page **pages, u32 n)
{
	while (n--)
		__free_page(pages[n]);
}

static int kmb_vmalloc_alloc_pages(struct page **pages, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(KMB_VMALLOC_GFP);
		if (!pages[i]) {
			kmb_vmalloc_free_pages(pages, i);
			return -ENOMEM;
		}
	}
	return 0;
}

/* One vmalloc() and vfree() of @n pages; adds the time taken to @ns. */
static int kmb_vmalloc_time_vmalloc(u32 n, u64 *ns)
{
	u64 start = ktime_get_ns();
	void *vaddr = __vmalloc(n << PAGE_SHIFT, KMB_VMALLOC_GFP);

	if (!vaddr)
		return -ENOMEM;
	vfree(vaddr);
	*ns += ktime_get_ns() - start;
	return 0;
}

/*
 * One vmap() and vunmap() of @n pages; adds the time taken to @ns.  With
 * @own_pages, the pages are allocated and freed in the timed part too.
 */
static int kmb_vmalloc_time_vmap(struct page **pages, u32 n, bool own_pages,
				 u64 *ns)
{
	u64 start = ktime_get_ns();
	void *vaddr;

	if (own_pages && kmb_vmalloc_alloc_pages(pages, n))
		return -ENOMEM;
	vaddr = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	if (vaddr)
		vunmap(vaddr);
	if (own_pages)
		kmb_vmalloc_free_pages(pages, n);
	if (!vaddr)
		return -ENOMEM;
	*ns += ktime_get_ns() - start;
	return 0;
}

static int kmb_vmalloc_run(struct kmb_vmalloc_result *res)
{
	struct page **pages, **ready;
	u32 i, n = res->pages;
	int ret;

	/* @pages for the vmap path; @ready, allocated once, for map alone. */
	pages = kcalloc(2 * n, sizeof(*pages), KMB_VMALLOC_GFP);
	if (!pages)
		return -ENOMEM;
	ready = pages + n;
	ret = kmb_vmalloc_alloc_pages(ready, n);
	if (ret)
		goto free_array;

	/* The three take turns: a pause of the machine costs each alike. */
	for (i = 0; !ret && i < res->reps; i++) {
		ret = kmb_vmalloc_time_vmalloc(n, &res->vmalloc_ns);
		if (!ret)
			ret = kmb_vmalloc_time_vmap(pages, n, true, &res->vmap_ns);
		if (!ret)
			ret = kmb_vmalloc_time_vmap(ready, n, false, &res->map_ns);
		if (!ret && kmb_vmalloc_stop())
			ret = -EINTR;
	}
	kmb_vmalloc_free_pages(ready, n);
free_array:
	kfree(pages);
	return ret;
}

/* "PAGES REPS", decimal, one space, an optional newline; else -EINVAL. */
static int kmb_vmalloc_parse(char *s, struct kmb_vmalloc_result *res)
{
	char *pages = strsep(&s, " ");

	if (!s || kstrtou32(pages, 10, &res->pages) ||
	    kstrtou32(s, 10, &res->reps))
		return -EINVAL;
	if (!res->pages || res->pages > KMB_VMALLOC_MAX_PAGES ||
	    !res->reps || res->reps > KMB_VMALLOC_MAX_REPS ||
	    res->pages * res->reps > KMB_VMALLOC_MAX_WORK)
		return -EINVAL;
	return 0;
}

static ssize_t kmb_vmalloc_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct kmb_vmalloc_result res = {};
	char buf[32];
	int ret;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = kmb_vmalloc_parse(buf, &res);
	if (ret)
		return ret;

	if (mutex_lock_interruptible(&kmb_vmalloc_lock))
		return -ERESTARTSYS;
	ret = kmb_vmalloc_run(&res);
	if (!ret)
		kmb_vmalloc_last = res;
	mutex_unlock(&kmb_vmalloc_lock);
	return ret ? ret : count;
}

static ssize_t kmb_vmalloc_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct kmb_vmalloc_result res;
	char buf[128];
	int len = 0;

	if (mutex_lock_interruptible(&kmb_vmalloc_lock))
		return -ERESTARTSYS;
	res = kmb_vmalloc_last;
	mutex_unlock(&kmb_vmalloc_lock);

	if (res.pages)
		len = scnprintf(buf, sizeof(buf),
				"pages=%u reps=%u vmalloc_ns=%llu vmap_ns=%llu map_ns=%llu\n",
				res.pages, res.reps, res.vmalloc_ns,
				res.vmap_ns, res.map_ns);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations kmb_vmalloc_fops = {
	.owner = THIS_MODULE,
	.read = kmb_vmalloc_read,
	.write = kmb_vmalloc_write,
	.llseek = default_llseek,
};

/**
 * kmb_vmalloc_init() - create debugfs kmm_bench/vmalloc
 * @dir: the module's debugfs directory
 */
void kmb_vmalloc_init(struct dentry *dir)
{
	debugfs_create_file("vmalloc", 0600, dir, NULL, &kmb_vmalloc_fops);
}
