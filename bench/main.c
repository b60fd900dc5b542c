// SPDX-License-Identifier: GPL-2.0
/*
 * kmm_bench: what `make bench` measures the drivers with, kept out of the
 * drivers themselves, as lib/test_vmalloc.c and kernel/dma/map_benchmark.c
 * are kept apart from what they measure.  Built only when asked for
 * (KMM_BENCH=m), loaded only by `make bench`.  Its parts are listed in
 * kmm_bench.h; docs/bench.md, "The bench module", says what each offers.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>

#include "kmm_bench.h"

static struct dentry *kmb_debugfs;

static int __init kmb_init(void)
{
	int ret;

	/* debugfs failures cost only the files, not the module. */
	kmb_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	kmb_vmalloc_init(kmb_debugfs);
	ret = kmb_kmalloc_init();
	if (ret)
		goto remove_debugfs;
	ret = kmb_dma_init(kmb_debugfs);
	if (ret)
		goto exit_kmalloc;
	return 0;

exit_kmalloc:
	kmb_kmalloc_exit();
remove_debugfs:
	debugfs_remove_recursive(kmb_debugfs);
	return ret;
}

static void __exit kmb_exit(void)
{
	kmb_dma_exit();
	kmb_kmalloc_exit();
	debugfs_remove_recursive(kmb_debugfs);
}

module_init(kmb_init);
module_exit(kmb_exit);

MODULE_DESCRIPTION("Benchmarks and baselines for the kmm-drivers modules");
MODULE_AUTHOR("kmm-drivers developers");
MODULE_LICENSE("GPL");
