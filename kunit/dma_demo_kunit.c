// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for dma_demo: the argument checks (the read/write clamp is
 * the kmm_rules suite's), the split of a user range into DMA segments,
 * the size and cap checks of a dma-buf export,
 * the walk of an imported dma-buf's sg_table in pieces the device takes
 * and the bounce decision, on tables; and, where there is an edu device
 * (dma_demo must have bound it), through /dev/dma_demo0 opened as a kernel
 * user opens it: a round trip, a transfer that a stray DMA-done interrupt
 * must not end early, a wedged device that refuses and keeps nothing, and,
 * behind an IOMMU, a page out of the device's physical reach that the
 * engine writes all the same.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/iosys-map.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "../dma_demo/dma_demo.h"

#ifdef KMM_HAVE_KUNIT_DEVICE
#include <kunit/device.h>
#endif

/* dma_demo_split() */
struct split_case {
	const char *name;
	unsigned long uaddr;
	size_t len;
	size_t max_seg;
	unsigned int max_segs;
	int want;
	struct dma_demo_seg segs[4];
};

/*
 * The cases cut at page boundaries with segments of up to a page (P); the
 * driver cuts at the device's 4 KiB too, which is a page on x86-64 and a
 * sixteenth of one with 64 KiB pages.  0x10000 is page aligned for pages
 * of up to 64 KiB.
 */
#define P PAGE_SIZE
/* The first piece of 6000 bytes at offset 100 of a page, cut at 4 KiB. */
#define CUT4K (P - 100 < SZ_4K ? P - 100 : SZ_4K)

static const struct split_case split_cases[] = {
	{ "one byte", 0x10000, 1, P, 4, 1, { { 0, 0, 1 } } },
	{ "an aligned page", 0x10000, P, P, 4, 1, { { 0, 0, P } } },
	{ "the last byte of a page", 0x10000 + P - 1, 1, P, 4, 1,
	  { { 0, P - 1, 1 } } },
	{ "two bytes across a page boundary", 0x10000 + P - 1, 2, P, 4, 2,
	  { { 0, P - 1, 1 }, { 1, 0, 1 } } },
	{ "a page's length, unaligned", 0x10003, P, P, 4, 2,
	  { { 0, 3, P - 3 }, { 1, 0, 3 } } },
	{ "three pages, unaligned", 0x10000 + 100, 2 * P, P, 4, 3,
	  { { 0, 100, P - 100 }, { 1, 0, P }, { 2, 0, 100 } } },
	{ "segments shorter than a page", 0x10000, 2500, 1000, 4, 3,
	  { { 0, 0, 1000 }, { 0, 1000, 1000 }, { 0, 2000, 500 } } },
	{ "the device's 4 KiB pieces", 0x10000 + 100, 6000, SZ_4K, 4, 2,
	  { { 0, 100, CUT4K }, { (100 + CUT4K) / P, (100 + CUT4K) % P, 6000 - CUT4K } } },
	{ "nothing", 0x10000, 0, P, 4, 0, { } },
	{ "too many segments", 0x10000 + 1, 2 * P, P, 2, -E2BIG, { } },
	{ "a range that wraps", ULONG_MAX - 10, 100, P, 4, -EINVAL, { } },
	{ "segments of 0 bytes", 0x10000, 10, 0, 4, -EINVAL, { } },
};

KUNIT_ARRAY_PARAM_DESC(split, split_cases, name);

static void dma_demo_test_split(struct kunit *test)
{
	const struct split_case *c = test->param_value;
	struct dma_demo_seg segs[4];
	size_t total = 0;
	int n, i;

	memset(segs, 0xff, sizeof(segs));
	n = dma_demo_split(c->uaddr, c->len, c->max_seg, segs, c->max_segs);
	KUNIT_ASSERT_EQ(test, n, c->want);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, segs[i].page, c->segs[i].page, "seg %d", i);
		KUNIT_EXPECT_EQ_MSG(test, segs[i].offset, c->segs[i].offset, "seg %d", i);
		KUNIT_EXPECT_EQ_MSG(test, segs[i].len, c->segs[i].len, "seg %d", i);
		/* The invariants, whatever the table says. */
		KUNIT_EXPECT_LE(test, segs[i].offset + segs[i].len, PAGE_SIZE);
		KUNIT_EXPECT_LE(test, segs[i].len, c->max_seg);
		total += segs[i].len;
	}
	if (n >= 0)
		KUNIT_EXPECT_EQ(test, total, c->len);
}

/* dma_demo_check_xfer() */
struct xfer_case {
	const char *name;
	struct dma_demo_xfer x;
	size_t size;
	int want;
};

static const struct xfer_case xfer_cases[] = {
	{ "to the device", { DMA_DEMO_TO_DEVICE, 0, 0, 0, 4096 }, 4096, 0 },
	{ "from the device", { DMA_DEMO_FROM_DEVICE, 0, 4000, 96, 96 }, 4096, 0 },
	{ "the last byte", { DMA_DEMO_TO_DEVICE, 0, 4095, 4095, 1 }, 4096, 0 },
	{ "past the end of a 4095-byte device",
	  { DMA_DEMO_TO_DEVICE, 0, 4095, 0, 1 }, 4095, -EINVAL },
	{ "length 0", { DMA_DEMO_TO_DEVICE, 0, 0, 0, 0 }, 4096, -EINVAL },
	{ "too long", { DMA_DEMO_TO_DEVICE, 0, 0, 0, 4097 }, 4096, -EINVAL },
	{ "longer than the device's buffer",
	  { DMA_DEMO_TO_DEVICE, 0, 0, 0, 4097 }, 8192, -EINVAL },
	{ "device range past the end",
	  { DMA_DEMO_TO_DEVICE, 0, 4000, 0, 97 }, 4096, -EINVAL },
	{ "buffer range past the end",
	  { DMA_DEMO_TO_DEVICE, 0, 0, 4000, 97 }, 4096, -EINVAL },
	{ "an offset that would wrap",
	  { DMA_DEMO_TO_DEVICE, 0, ~0ULL - 10, 0, 20 }, 4096, -EINVAL },
	{ "a buffer offset that would wrap",
	  { DMA_DEMO_FROM_DEVICE, 0, 0, ~0ULL - 10, 20 }, 4096, -EINVAL },
	{ "unknown direction", { 2, 0, 0, 0, 16 }, 4096, -EINVAL },
	{ "a flag", { DMA_DEMO_TO_DEVICE, 1, 0, 0, 16 }, 4096, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(xfer, xfer_cases, name);

static void dma_demo_test_check_xfer(struct kunit *test)
{
	const struct xfer_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dma_demo_check_xfer(&c->x, c->size), c->want);
}

/* dma_demo_regs_check(): mappings of BAR0 (here 1 MiB, as edu's) */
struct regs_case {
	const char *name;
	resource_size_t bar_len;
	unsigned long pgoff;
	unsigned long len;
	int want;
};

#define BAR		DMA_DEMO_REGS_SIZE
#define REGS		DMA_DEMO_REGS_PGOFF
#define BAR_PAGES	(BAR >> PAGE_SHIFT)

static const struct regs_case regs_cases[] = {
	{ "the whole BAR", BAR, REGS, BAR, 0 },
	{ "its first page", BAR, REGS, PAGE_SIZE, 0 },
	{ "its last page", BAR, REGS + BAR_PAGES - 1, PAGE_SIZE, 0 },
	{ "one byte", BAR, REGS, 1, 0 },
	{ "the page past it", BAR, REGS + BAR_PAGES, PAGE_SIZE, -EINVAL },
	{ "a page too long", BAR, REGS, BAR + PAGE_SIZE, -EINVAL },
	{ "the last page and one more", BAR, REGS + BAR_PAGES - 1,
	  2 * PAGE_SIZE, -EINVAL },
	{ "length 0", BAR, REGS, 0, -EINVAL },
	{ "the page below", BAR, REGS - 1, PAGE_SIZE, -EINVAL },
	{ "an offset that would wrap", BAR, ULONG_MAX, PAGE_SIZE, -EINVAL },
	{ "a length that would wrap", BAR, REGS, ULONG_MAX & PAGE_MASK,
	  -EINVAL },
	{ "a BAR shorter than a page", PAGE_SIZE / 2, REGS, PAGE_SIZE,
	  -EINVAL },
	{ "a BAR that ends inside a page", BAR + PAGE_SIZE / 2,
	  REGS + BAR_PAGES, PAGE_SIZE, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(regs, regs_cases, name);

static void dma_demo_test_regs_check(struct kunit *test)
{
	const struct regs_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dma_demo_regs_check(c->bar_len, c->pgoff, c->len),
			c->want);
}

/* dma_demo_check_alloc() */
struct alloc_case {
	const char *name;
	u64 size;
	u32 flags;
	u64 max;
	u64 held;
	long want;
};

static const struct alloc_case alloc_cases[] = {
	{ "one byte is a page", 1, O_RDWR, SZ_64M, 0, 1 },
	{ "a page", P, O_RDWR | O_CLOEXEC, SZ_64M, 0, 1 },
	{ "a page and a byte", P + 1, 0, SZ_64M, 0, 2 },
	{ "the whole cap", SZ_64M, O_RDWR, SZ_64M, 0, SZ_64M / P },
	{ "the rest of the cap", SZ_1M, O_RDWR, SZ_64M, SZ_64M - SZ_1M, SZ_1M / P },
	{ "a page past the cap held", P, O_RDWR, SZ_64M, SZ_64M, -ENOMEM },
	{ "a byte past what is left", SZ_1M + 1, O_RDWR, SZ_64M, SZ_64M - SZ_1M,
	  -ENOMEM },
	{ "more held than the cap (lowered)", P, O_RDWR, SZ_1M, SZ_64M, -ENOMEM },
	{ "size 0", 0, O_RDWR, SZ_64M, 0, -EINVAL },
	{ "one byte over the cap", SZ_64M + 1, O_RDWR, SZ_64M, 0, -EINVAL },
	{ "a size that would wrap when rounded", U64_MAX, O_RDWR, U64_MAX, 0,
	  -EINVAL },
	{ "O_WRONLY", P, O_WRONLY, SZ_64M, 0, -EINVAL },
	{ "O_NONBLOCK", P, O_RDWR | O_NONBLOCK, SZ_64M, 0, -EINVAL },
	{ "a flag of no meaning", P, 1U << 31, SZ_64M, 0, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(alloc, alloc_cases, name);

static void dma_demo_test_check_alloc(struct kunit *test)
{
	const struct alloc_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dma_demo_check_alloc(c->size, c->flags, c->max, c->held),
			c->want);
}

/* dma_demo_check_dmabuf_xfer() */
struct dmabuf_xfer_case {
	const char *name;
	struct dma_demo_dmabuf_xfer x;
	size_t size;
	u64 buf_size;
	int want;
};

static const struct dmabuf_xfer_case dmabuf_xfer_cases[] = {
	{ "all of the device from a page", { 3, DMA_DEMO_TO_DEVICE, 0, 0, 4096 },
	  4096, 4096, 0 },
	{ "the end of a buffer", { 3, DMA_DEMO_FROM_DEVICE, 0, 3 * P - 100, 100 },
	  4096, 3 * P, 0 },
	{ "past the end of the buffer",
	  { 3, DMA_DEMO_FROM_DEVICE, 0, 3 * P - 100, 101 }, 4096, 3 * P, -EINVAL },
	{ "longer than the buffer", { 3, DMA_DEMO_TO_DEVICE, 0, 0, 200 },
	  4096, 100, -EINVAL },
	{ "past the end of the device", { 3, DMA_DEMO_TO_DEVICE, 4000, 0, 96 },
	  4095, P, -EINVAL },
	{ "longer than the device", { 3, DMA_DEMO_TO_DEVICE, 0, 0, 4097 },
	  4096, 2 * P, -EINVAL },
	{ "length 0", { 3, DMA_DEMO_TO_DEVICE, 0, 0, 0 }, 4096, P, -EINVAL },
	{ "a buffer offset that would wrap",
	  { 3, DMA_DEMO_TO_DEVICE, 0, U64_MAX - 10, 20 }, 4096, P, -EINVAL },
	{ "a device offset that would wrap",
	  { 3, DMA_DEMO_TO_DEVICE, U64_MAX - 10, 0, 20 }, 4096, P, -EINVAL },
	{ "unknown direction", { 3, 2, 0, 0, 16 }, 4096, P, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(dmabuf_xfer, dmabuf_xfer_cases, name);

static void dma_demo_test_check_dmabuf_xfer(struct kunit *test)
{
	const struct dmabuf_xfer_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dma_demo_check_dmabuf_xfer(&c->x, c->size, c->buf_size),
			c->want);
}

/* dma_demo_sg_walk_start() and _next(), on a hand-made mapped table */
struct sg_piece {
	u64 dma;
	u32 len;
};

struct sg_walk_case {
	const char *name;
	struct sg_piece segs[4];	/* the table's DMA segments */
	unsigned int nsegs;
	u64 off;
	u64 len;
	size_t max;
	int want;			/* pieces, or the errno of the start */
	struct sg_piece pieces[6];
};

static const struct sg_walk_case sg_walk_cases[] = {
	{ "one segment, all of it", { { 0x100000, 4096 } }, 1, 0, 4096, 4096, 1,
	  { { 0x100000, 4096 } } },
	{ "from an offset inside a segment", { { 0x100000, 8192 } }, 1, 100, 50,
	  4096, 1, { { 0x100064, 50 } } },
	{ "across two segments", { { 0x100000, 4096 }, { 0x300000, 4096 } }, 2,
	  4000, 200, 4096, 2, { { 0x100fa0, 96 }, { 0x300000, 104 } } },
	{ "a long segment in device-sized pieces", { { 0x200000, 3 * 4096 } }, 1,
	  10, 3 * 4096 - 10, 4096, 3,
	  { { 0x20000a, 4096 }, { 0x20100a, 4096 }, { 0x20200a, 4096 - 10 } } },
	{ "skipping whole segments",
	  { { 0x1000, 4096 }, { 0x9000, 4096 }, { 0x5000, 4096 } }, 3,
	  2 * 4096 + 1, 10, 4096, 1, { { 0x5001, 10 } } },
	{ "an offset at a segment boundary",
	  { { 0x1000, 4096 }, { 0x9000, 4096 } }, 2, 4096, 4096, 4096, 1,
	  { { 0x9000, 4096 } } },
	{ "a segment of 0 bytes between",
	  { { 0x1000, 100 }, { 0x2000, 0 }, { 0x3000, 100 } }, 3, 50, 100, 4096, 2,
	  { { 0x1032, 50 }, { 0x3000, 50 } } },
	{ "pieces smaller than segments", { { 0x1000, 4096 } }, 1, 0, 2500, 1000,
	  3, { { 0x1000, 1000 }, { 0x13e8, 1000 }, { 0x17d0, 500 } } },
	{ "a range past the table: refused", { { 0x1000, 4096 } }, 1, 4000, 97,
	  4096, -EINVAL, { } },
	{ "an offset past the table: refused", { { 0x1000, 4096 } }, 1, 8192, 1,
	  4096, -EINVAL, { } },
	{ "an offset that would wrap: refused", { { 0x1000, 4096 } }, 1,
	  U64_MAX, 2, 4096, -EINVAL, { } },
};

KUNIT_ARRAY_PARAM_DESC(sg_walk, sg_walk_cases, name);

static void sg_free_table_action(void *sgt)
{
	sg_free_table(sgt);
}

static void dma_demo_test_sg_walk(struct kunit *test)
{
	const struct sg_walk_case *c = test->param_value;
	struct dma_demo_sg_walk w;
	struct scatterlist *sg;
	struct sg_table *sgt;
	u64 total = 0;
	dma_addr_t dma;
	size_t len;
	int n = 0, i;

	sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, c->nsegs, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sg_free_table_action,
							sgt), 0);
	/* As a DMA mapping leaves it: addresses and lengths, nents of them. */
	for_each_sgtable_sg(sgt, sg, i) {
		sg_dma_address(sg) = c->segs[i].dma;
		sg_dma_len(sg) = c->segs[i].len;
	}
	sgt->nents = c->nsegs;

	if (c->want < 0) {
		KUNIT_EXPECT_EQ(test, dma_demo_sg_walk_start(&w, sgt, c->off, c->len),
				c->want);
		return;
	}
	KUNIT_ASSERT_EQ(test, dma_demo_sg_walk_start(&w, sgt, c->off, c->len), 0);
	while (dma_demo_sg_walk_next(&w, c->max, &dma, &len)) {
		KUNIT_ASSERT_LT_MSG(test, n, c->want, "more than %d pieces", c->want);
		KUNIT_EXPECT_EQ_MSG(test, (u64)dma, c->pieces[n].dma, "piece %d", n);
		KUNIT_EXPECT_EQ_MSG(test, len, c->pieces[n].len, "piece %d", n);
		KUNIT_EXPECT_LE(test, len, c->max);
		KUNIT_EXPECT_NE(test, len, 0);
		total += len;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, c->want);
	/* Nothing cut short, nothing made up. */
	KUNIT_EXPECT_EQ(test, total, c->len);
}

/* dma_demo_reachable(): the bounce decision */
struct reach_case {
	const char *name;
	u64 dma;
	size_t len;
	u64 mask;
	bool want;
};

static const struct reach_case reach_cases[] = {
	{ "low memory", 0x1000, 4096, DMA_BIT_MASK(28), true },
	{ "the last byte under the mask", DMA_BIT_MASK(28), 1, DMA_BIT_MASK(28),
	  true },
	{ "ends on the mask", DMA_BIT_MASK(28) - 4095, 4096, DMA_BIT_MASK(28),
	  true },
	{ "one byte over the mask", DMA_BIT_MASK(28) - 4094, 4096,
	  DMA_BIT_MASK(28), false },
	{ "above the mask", 1ULL << 28, 1, DMA_BIT_MASK(28), false },
	{ "at 1 GiB", 1ULL << 30, 4096, DMA_BIT_MASK(28), false },
	{ "a 64-bit device", U64_MAX - 4095, 4096, DMA_BIT_MASK(64), true },
	{ "nothing", 0x1000, 0, DMA_BIT_MASK(28), false },
};

KUNIT_ARRAY_PARAM_DESC(reach, reach_cases, name);

static void dma_demo_test_reachable(struct kunit *test)
{
	const struct reach_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, dma_demo_reachable(c->dma, c->len, c->mask),
			c->want);
}

#ifdef KMM_HAVE_KUNIT_DEVICE
/* What the export test holds, given back in reverse when the test ends. */
struct export_hold {
	struct dma_buf *dmabuf;
	struct iosys_map map;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

static void export_hold_release(void *data)
{
	struct export_hold *h = data;

	if (h->sgt)
		dma_buf_unmap_attachment_unlocked(h->attach, h->sgt,
						  DMA_BIDIRECTIONAL);
	if (h->attach)
		dma_buf_detach(h->dmabuf, h->attach);
	if (!iosys_map_is_null(&h->map))
		dma_buf_vunmap_unlocked(h->dmabuf, &h->map);
	if (h->dmabuf)
		dma_buf_put(h->dmabuf);
}

/*
 * The exporter, driven as an importer and the kernel would: a device of
 * the test's own (64-bit DMA) attached and mapped, CPU access with the
 * mapping live, vmap, and the walk over the table the exporter made.
 * Under swiotlb=force the mapping bounces.
 */
static void dma_demo_test_export(struct kunit *test)
{
	const size_t size = 40 * PAGE_SIZE;
	struct dma_buf_attachment *attach;
	struct dma_demo_sg_walk w;
	struct export_hold *h;
	struct scatterlist *sg;
	struct sg_table *sgt, *sgt2;
	struct dma_buf *dmabuf;
	u64 total = 0;
	struct device *dev;
	dma_addr_t dma;
	unsigned int i;
	size_t len;
	u8 *p;

	/* Registered first, so that it outlives the attachment. */
	dev = kunit_device_register(test, "dma_demo_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));
	dev->coherent_dma_mask = DMA_BIT_MASK(64);
	dev->dma_mask = &dev->coherent_dma_mask;
	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, export_hold_release,
							h), 0);

	dmabuf = dma_demo_dmabuf_alloc(size - 1, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	h->dmabuf = dmabuf;
	KUNIT_EXPECT_EQ(test, dmabuf->size, size);
	KUNIT_ASSERT_EQ(test, dma_buf_vmap_unlocked(dmabuf, &h->map), 0);
	p = h->map.vaddr;
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, size));	/* zeroed */
	KUNIT_EXPECT_EQ(test, dma_buf_begin_cpu_access(dmabuf, DMA_TO_DEVICE), 0);
	memset(p, 0x5a, size);
	KUNIT_EXPECT_EQ(test, dma_buf_end_cpu_access(dmabuf, DMA_TO_DEVICE), 0);

	attach = dma_buf_attach(dmabuf, dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(attach));
	h->attach = attach;
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sgt), "map: %ld", PTR_ERR(sgt));
	h->sgt = sgt;
	/* One table, mapped once: a second map before the unmap is refused. */
	sgt2 = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);
	KUNIT_EXPECT_PTR_EQ(test, sgt2, ERR_PTR(-EBUSY));
	if (!IS_ERR(sgt2) && sgt2 != sgt)
		dma_buf_unmap_attachment_unlocked(attach, sgt2, DMA_TO_DEVICE);

	for_each_sgtable_dma_sg(sgt, sg, i) {
		KUNIT_EXPECT_LE(test, sg_dma_len(sg), dma_get_max_seg_size(dev));
		total += sg_dma_len(sg);
	}
	KUNIT_EXPECT_EQ(test, total, size);
	KUNIT_EXPECT_EQ(test, dma_demo_sg_walk_start(&w, sgt, 100, size - 200), 0);
	for (total = 0; dma_demo_sg_walk_next(&w, SZ_4K, &dma, &len);)
		total += len;
	KUNIT_EXPECT_EQ(test, total, size - 200);
	KUNIT_EXPECT_EQ(test, dma_demo_sg_walk_start(&w, sgt, 100, size), -EINVAL);
	/* CPU access with a live mapping: synced both ways. */
	KUNIT_EXPECT_EQ(test, dma_buf_begin_cpu_access(dmabuf, DMA_FROM_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, p[size - 1], 0x5a);
	KUNIT_EXPECT_EQ(test, dma_buf_end_cpu_access(dmabuf, DMA_FROM_DEVICE), 0);
}
#endif /* KMM_HAVE_KUNIT_DEVICE */

static bool is_dma_demo_file(struct file *file)
{
	struct inode *inode = file_inode(file);

	return S_ISCHR(inode->i_mode) && imajor(inode) == MISC_MAJOR &&
	       file->f_op->owner &&
	       !strcmp(module_name(file->f_op->owner), "dma_demo");
}

/*
 * A case runs in a kthread, whose fput() would defer the release to a work
 * item: dma_demo's release needs nothing of the thread, so it runs here and
 * is over when the case ends.  (6.1 cleans up an aborted case in the
 * loading task: there the release waits until insmod returns.)
 */
static void close_file_action(void *file)
{
	if ((current->flags & PF_KTHREAD) && is_dma_demo_file(file))
		__fput_sync(file);
	else
		fput(file);
}

/* QEMU's edu device, the one dma_demo binds (as in dma_demo/pci.c). */
#define EDU_VENDOR_ID	0x1234
#define EDU_DEVICE_ID	0x11e8

/*
 * /dev/dma_demo0, the first device dma_demo bound, opened read-write.
 * Without it the case skips only where there is no edu device at all; an
 * edu device that dma_demo did not bind (no node: -ENOENT) fails it, since
 * a skip would hide that.
 */
static struct file *find_bound_device(struct kunit *test)
{
	struct file *file = filp_open("/dev/dma_demo0", O_RDWR, 0);
	struct pci_dev *edu;
	char name[32];

	if (!IS_ERR(file))
		return file;
	edu = pci_get_device(EDU_VENDOR_ID, EDU_DEVICE_ID, NULL);
	if (!edu)
		kunit_skip(test, "no edu device (PCI 1234:11e8)");
	strscpy(name, pci_name(edu), sizeof(name));
	pci_dev_put(edu);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file),
			       "edu device %s: /dev/dma_demo0: %pe (not bound to dma_demo?)",
			       name, file);
	return NULL;
}

/*
 * find_bound_device(), open until the test ends.  The open file holds a
 * reference on its struct dma_demo_dev, f->demo of f = file->private_data.
 */
static struct file *open_bound_device(struct kunit *test)
{
	struct file *file = find_bound_device(test);

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, close_file_action,
							file), 0);
	/* Whatever root put at that path, the case writes to its private_data. */
	KUNIT_ASSERT_TRUE_MSG(test, is_dma_demo_file(file), "%pD is not dma_demo's",
			      file);
	return file;
}

/*
 * A round trip through a bound device, if there is one, as read(2) and
 * write(2) make it in the streaming strategy (a buffer of the driver's own,
 * mapped for the device).
 */
static void dma_demo_test_device_round_trip(struct kunit *test)
{
	struct file *file = open_bound_device(test);
	struct dma_demo_file *f = file->private_data;
	loff_t end = f->demo->size;
	u8 *in, *out;
	loff_t pos;
	int i;

	in = kunit_kmalloc(test, 300, GFP_KERNEL);
	out = kunit_kzalloc(test, 300, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < 300; i++)
		in[i] = i * 7 + 1;
	WRITE_ONCE(f->strategy, DMA_DEMO_STREAMING);

	pos = 123;
	KUNIT_EXPECT_EQ(test, kernel_write(file, in, 300, &pos), 300);
	KUNIT_EXPECT_EQ(test, pos, 423);
	pos = 123;
	KUNIT_EXPECT_EQ(test, kernel_read(file, out, 300, &pos), 300);
	KUNIT_EXPECT_EQ(test, pos, 423);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 300), 0);
	/* Short at the end, EOF and ENOSPC past it. */
	pos = end - 1;
	KUNIT_EXPECT_EQ(test, kernel_write(file, in, 300, &pos), 1);
	KUNIT_EXPECT_EQ(test, pos, end);
	pos = end - 1;
	KUNIT_EXPECT_EQ(test, kernel_read(file, out, 300, &pos), 1);
	KUNIT_EXPECT_EQ(test, pos, end);
	KUNIT_EXPECT_EQ(test, out[0], in[0]);
	pos = end;
	KUNIT_EXPECT_EQ(test, kernel_read(file, out, 1, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos, end);
	pos = end;
	KUNIT_EXPECT_EQ(test, kernel_write(file, in, 1, &pos), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pos, end);
	KUNIT_EXPECT_GE(test, atomic64_read(&f->demo->count.transfers), 4);
}

static void dma_demo_unwedge(void *data)
{
	struct dma_demo_dev *demo = data;

	mutex_lock(&demo->lock);
	WRITE_ONCE(demo->wedged, false);
	mutex_unlock(&demo->lock);
}

/*
 * A device wedged by an earlier transfer refuses every later one and
 * keeps nothing of it: no buffer left to the engine (counted in @stuck),
 * no byte written into the coherent buffer the engine may still own
 * (where swiotlb=force bounces every streaming transfer through it).  The
 * flag is set by hand and cleared when the case ends.
 */
static void dma_demo_test_wedged_keeps_nothing(struct kunit *test)
{
	struct file *file = open_bound_device(test);
	struct dma_demo_file *f = file->private_data;
	struct dma_demo_dev *demo = f->demo;
	s64 stuck = atomic64_read(&demo->count.stuck);
	u8 *buf = kunit_kzalloc(test, 300, GFP_KERNEL);
	u8 *before = kunit_kzalloc(test, 300, GFP_KERNEL);
	loff_t pos;
	bool was;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, before);
	mutex_lock(&demo->lock);
	was = demo->wedged;
	if (!was) {
		memcpy(before, demo->bounce, 300);
		WRITE_ONCE(demo->wedged, true);
	}
	mutex_unlock(&demo->lock);
	KUNIT_ASSERT_FALSE_MSG(test, was, "the device is wedged already");
	/* Run before the file's close: the file keeps @demo until then. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_demo_unwedge, demo), 0);

	WRITE_ONCE(f->strategy, DMA_DEMO_STREAMING);
	for (i = 0; i < 64; i++) {
		memset(buf, ~before[i], 300);
		pos = 0;
		KUNIT_EXPECT_EQ(test, kernel_write(file, buf, 300, &pos), -EIO);
		pos = 0;
		KUNIT_EXPECT_EQ(test, kernel_read(file, buf, 300, &pos), -EIO);
	}
	KUNIT_EXPECT_EQ(test, atomic64_read(&demo->count.stuck), stuck);
	mutex_lock(&demo->lock);
	KUNIT_EXPECT_EQ(test, memcmp(before, demo->bounce, 300), 0);
	mutex_unlock(&demo->lock);
}

/*
 * A DMA-done interrupt that belongs to no transfer, as the late interrupt
 * of a transfer that timed out would be: raised by hand (the edu device's
 * IRQ_RAISE register) while the engine runs the next transfer.
 */
struct stray_irq {
	struct work_struct work;
	struct dma_demo_dev *demo;
	bool raised;
};

static void stray_irq_raise(struct work_struct *work)
{
	struct stray_irq *s = container_of(work, struct stray_irq, work);
	unsigned long end = jiffies + 2 * HZ;

	while (!(ioread32(s->demo->mmio + EDU_REG_DMA_CMD) & EDU_DMA_RUN)) {
		if (time_after(jiffies, end))
			return;
		usleep_range(50, 100);
	}
	iowrite32(EDU_IRQ_DMA, s->demo->mmio + EDU_REG_IRQ_RAISE);
	s->raised = true;
}

/* The read still gets the device's bytes: it waited for its own end. */
static void dma_demo_test_stray_irq(struct kunit *test)
{
	struct file *file = open_bound_device(test);
	struct dma_demo_file *f = file->private_data;
	struct dma_demo_dev *demo = f->demo;
	struct stray_irq s = { .demo = demo };
	s64 irqs;
	u8 *in, *out;
	ssize_t ret;
	loff_t pos;
	int i;

	in = kunit_kmalloc(test, 256, GFP_KERNEL);
	out = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < 256; i++)
		in[i] = i * 13 + 5;
	WRITE_ONCE(f->strategy, DMA_DEMO_STREAMING);
	pos = 500;
	ret = kernel_write(file, in, 256, &pos);
	/*
	 * Then other bytes elsewhere, so that no buffer the read may go
	 * through (the coherent bounce buffer, with swiotlb) holds @in.
	 */
	if (ret == 256) {
		memset(out, 0xa5, 256);
		pos = 1500;
		ret = kernel_write(file, out, 256, &pos);
		memset(out, 0, 256);
	}
	KUNIT_ASSERT_EQ_MSG(test, ret, 256, "write");

	irqs = atomic64_read(&demo->count.interrupts);
	INIT_WORK_ONSTACK(&s.work, stray_irq_raise);
	schedule_work(&s.work);
	pos = 500;
	ret = kernel_read(file, out, 256, &pos);
	flush_work(&s.work);
	destroy_work_on_stack(&s.work);

	KUNIT_EXPECT_TRUE_MSG(test, s.raised, "the engine never seemed to run");
	KUNIT_EXPECT_EQ(test, ret, 256);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(in, out, 256), 0,
			    "the read ended before its DMA did");
	KUNIT_EXPECT_GE(test, atomic64_read(&demo->count.interrupts), irqs + 2);
}

/*
 * A page above the device's physical reach: take pages until one lies
 * above the mask.  The allocator hands out free low pages as readily as
 * high ones, so hold each low one until then: there are at most as many
 * as the mask covers.
 */
static struct page *dma_demo_high_page(struct device *dev)
{
	unsigned long i, tries = (dma_get_mask(dev) >> PAGE_SHIFT) + 1;
	struct page *page = NULL, *p, *tmp;
	LIST_HEAD(low);

	for (i = 0; i < tries; i++) {
		p = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
		if (!p)
			break;
		if (page_to_phys(p) > dma_get_mask(dev)) {
			page = p;
			break;
		}
		list_add(&p->lru, &low);
	}
	list_for_each_entry_safe(p, tmp, &low, lru) {
		list_del(&p->lru);
		__free_page(p);
	}
	return page;
}

/*
 * Behind an IOMMU the driver knows that every page maps within the
 * device's 28-bit mask, so it bounces nothing, and it is right: a page
 * above 256 MiB, mapped for the device, gets an I/O virtual address below
 * the mask, and the engine writes the page through it.  Elsewhere there
 * is nothing to test.
 */
static void dma_demo_test_iommu_high_page(struct kunit *test)
{
	struct file *file = open_bound_device(test);
	struct dma_demo_file *f = file->private_data;
	struct dma_demo_dev *demo = f->demo;
	struct iommu_domain *domain;
	struct page *page;
	struct device *dev;
	phys_addr_t phys;
	bool was, stuck;
	dma_addr_t dma;
	ssize_t written;
	s64 bounced;
	loff_t pos;
	u8 *in, *out;
	int i, ret;

	dev = &demo->pdev->dev;
	domain = iommu_get_domain_for_dev(dev);
	if (!domain || !iommu_is_dma_domain(domain))
		kunit_skip(test, "no IOMMU translates the edu device's DMA");
	KUNIT_EXPECT_TRUE(test, kmm_dma_reaches_all(dev));
	KUNIT_EXPECT_FALSE(test, kmm_dma_would_bounce(dev));
	KUNIT_EXPECT_TRUE(test, demo->dmabuf_direct);
	KUNIT_EXPECT_FALSE(test, demo->dma_gfp & GFP_DMA);

	in = kunit_kmalloc(test, 256, GFP_KERNEL);
	page = dma_demo_high_page(dev);
	if (!in || !page) {
		if (page)
			__free_page(page);
		KUNIT_FAIL(test, "no page above the device's mask");
		return;
	}
	out = page_address(page);
	memset(out, 0, PAGE_SIZE);
	for (i = 0; i < 256; i++)
		in[i] = i * 11 + 3;

	bounced = atomic64_read(&demo->count.bounced);
	WRITE_ONCE(f->strategy, DMA_DEMO_STREAMING);
	pos = 700;
	written = kernel_write(file, in, 256, &pos);
	KUNIT_EXPECT_EQ(test, written, 256);
	dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	if (written != 256 || dma_mapping_error(dev, dma)) {
		if (!dma_mapping_error(dev, dma))
			dma_unmap_page(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
		__free_page(page);
		KUNIT_FAIL(test, "write %zd, or no mapping", written);
		return;
	}
	phys = page_to_phys(page);
	kunit_info(test, "page at %pa, mapped at %pad\n", &phys, &dma);
	KUNIT_EXPECT_LE(test, dma + PAGE_SIZE - 1, dma_get_mask(dev));

	mutex_lock(&demo->lock);
	was = demo->wedged;
	ret = demo->gone ? -ENODEV : was ? -EIO :
			  dma_demo_engine_run(demo, dma + 100, 700, 256, true);
	stuck = !was && ret == -EIO && demo->wedged;
	mutex_unlock(&demo->lock);
	if (stuck) {
		/* The engine may still write the page: leave it be. */
		KUNIT_FAIL(test, "the DMA engine is stuck");
		return;
	}
	dma_unmap_page(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, memcmp(in, out + 100, 256), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(out, 0, 100));
	KUNIT_EXPECT_NULL(test, memchr_inv(out + 356, 0, PAGE_SIZE - 356));
	KUNIT_EXPECT_EQ(test, bounced, atomic64_read(&demo->count.bounced));
	__free_page(page);
}

static struct kunit_case dma_demo_cases[] = {
	KUNIT_CASE_PARAM(dma_demo_test_split, split_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_check_xfer, xfer_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_regs_check, regs_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_check_alloc, alloc_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_check_dmabuf_xfer, dmabuf_xfer_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_sg_walk, sg_walk_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_reachable, reach_gen_params),
#ifdef KMM_HAVE_KUNIT_DEVICE
	KUNIT_CASE(dma_demo_test_export),
#endif
	KUNIT_CASE(dma_demo_test_device_round_trip),
	KUNIT_CASE(dma_demo_test_stray_irq),
	KUNIT_CASE(dma_demo_test_wedged_keeps_nothing),
	KUNIT_CASE(dma_demo_test_iommu_high_page),
	{}
};

static struct kunit_suite dma_demo_suite = {
	.name = "dma_demo",
	.test_cases = dma_demo_cases,
};

kunit_test_suite(dma_demo_suite);

MODULE_DESCRIPTION("KUnit tests for dma_demo");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(DMA_BUF);
