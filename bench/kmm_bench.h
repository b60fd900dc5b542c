/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmm_bench: the parts of the benchmark module (main.c), each a baseline
 * or a measurement that `make bench` needs and no driver should carry.
 */
#ifndef KMM_BENCH_H
#define KMM_BENCH_H

struct dentry;

/* vmalloc.c: debugfs kmm_bench/vmalloc, vmalloc() against vmap() */
void kmb_vmalloc_init(struct dentry *dir);

/* kmalloc.c: /dev/kmm_bench_kmalloc, the physically contiguous baseline */
int kmb_kmalloc_init(void);
void kmb_kmalloc_exit(void);

/* dma_map.c: a PCI driver bound by driver_override; debugfs kmm_bench/dma_map */
int kmb_dma_init(struct dentry *dir);
void kmb_dma_exit(void);

#endif /* KMM_BENCH_H */
