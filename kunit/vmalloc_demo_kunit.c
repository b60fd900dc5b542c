// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for vmalloc_demo's buffer: every backend gives a zeroed,
 * virtually contiguous buffer whose pages are the ones the debugfs table
 * lists; resizing keeps the common prefix and leaves the buffer whole on
 * failure; contiguous runs are counted right; reads and writes stop at
 * the end; the scatter-gather table an importer gets lists every page in
 * order, within the device's segment limits; a dma-buf export holds the
 * buffer against resizing until its release, and hands out the buffer's
 * own kernel address.
 *
 * The tests drive buffer.c directly, with kernel buffers (ITER_KVEC).
 * What a test allocates is KUnit's to free, however the test ends.
 */

#include <kunit/test.h>
#include <linux/dma-buf.h>
#include <linux/dma-direction.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/scatterlist.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "../vmalloc_demo/vmalloc_demo.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(DMA_BUF);

/* The buffer under test, freed by vmd_test_exit(). */
static struct vmd_buf *new_buf(struct kunit *test, enum vmd_backend backend,
			       u64 size)
{
	struct vmd_buf *buf = kunit_kzalloc(test, sizeof(*buf), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, vmd_buf_alloc(buf, backend, size, false), 0);
	test->priv = buf;
	return buf;
}

static void vmd_test_exit(struct kunit *test)
{
	struct vmd_buf *buf = test->priv;

	if (buf)
		vmd_buf_free(buf);
}

/* A byte that depends on the offset and a seed, never 0. */
static u8 pattern(size_t off, u8 seed)
{
	return ((off * 131 + (off >> 12) * 7 + seed) & 0xff) | 1;
}

static void fill(struct vmd_buf *buf, size_t len, u8 seed)
{
	u8 *p = buf->vaddr;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern(i, seed);
}

/* The first offset below @len that does not hold the pattern, or -1. */
static long check(const struct vmd_buf *buf, size_t len, u8 seed)
{
	const u8 *p = buf->vaddr;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(i, seed))
			return i;
	return -1;
}

static const char *backend_name(enum vmd_backend backend)
{
	switch (backend) {
	case VMD_VMAP:
		return "vmap";
	default:
		return "vmalloc";
	}
}

static const enum vmd_backend backends[] = { VMD_VMALLOC, VMD_VMAP };

static void backend_desc(const enum vmd_backend *backend, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", backend_name(*backend));
}

KUNIT_ARRAY_PARAM(backend, backends, backend_desc);

static void vmd_test_valid_size(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, vmd_valid_size(0));
	KUNIT_EXPECT_TRUE(test, vmd_valid_size(1));
	KUNIT_EXPECT_TRUE(test, vmd_valid_size(PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, vmd_valid_size(VMALLOC_DEMO_MAX_SIZE));
	KUNIT_EXPECT_FALSE(test, vmd_valid_size(VMALLOC_DEMO_MAX_SIZE + 1));
	KUNIT_EXPECT_FALSE(test, vmd_valid_size(U64_MAX));
}

struct alloc_case {
	enum vmd_backend backend;
	u64 size;
};

static const struct alloc_case alloc_cases[] = {
	{ VMD_VMALLOC, 1 },
	{ VMD_VMALLOC, PAGE_SIZE },
	{ VMD_VMALLOC, 100000 },
	{ VMD_VMALLOC, 4 << 20 },
	{ VMD_VMAP, 1 },
	{ VMD_VMAP, PAGE_SIZE + 1 },
	{ VMD_VMAP, 100000 },
	{ VMD_VMAP, 4 << 20 },
};

static void alloc_case_desc(const struct alloc_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %llu bytes",
		 backend_name(c->backend), c->size);
}

KUNIT_ARRAY_PARAM(alloc, alloc_cases, alloc_case_desc);

/*
 * A new buffer: whole pages, page aligned (mmap needs it), zeroed, in the
 * vmalloc area.
 */
static void vmd_test_alloc(struct kunit *test)
{
	const struct alloc_case *c = test->param_value;
	unsigned long pages = DIV_ROUND_UP_ULL(c->size, PAGE_SIZE);
	struct vmd_buf *buf = new_buf(test, c->backend, c->size);

	KUNIT_EXPECT_EQ(test, buf->nr_pages, pages);
	KUNIT_EXPECT_EQ(test, buf->size, pages << PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, buf->backend, c->backend);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(buf->vaddr));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(buf->vaddr));
	KUNIT_EXPECT_EQ(test, !!buf->pages, c->backend == VMD_VMAP);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf->vaddr, 0, buf->size));
	KUNIT_EXPECT_NULL(test, vmd_buf_page(buf, pages));
}

/* Page @i of a table of PFNs, for vmd_count_runs(). */
static unsigned long table_pfn(const void *pfns, unsigned long i)
{
	return ((const unsigned long *)pfns)[i];
}

/*
 * Virtual contiguity: byte i of the buffer, written through its one
 * virtual address range, is byte i % PAGE_SIZE of page i / PAGE_SIZE of
 * the table that debugfs prints, read through that page's own mapping.
 * The table agrees with the kernel's page tables (vmalloc_to_page()),
 * and lists each page once.
 */
static void vmd_test_virtually_contiguous(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 1 << 20);
	unsigned long i, j, *pfns;

	pfns = kunit_kcalloc(test, buf->nr_pages, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	fill(buf, buf->size, 5);

	for (i = 0; i < buf->nr_pages; i++) {
		void *vaddr = buf->vaddr + (i << PAGE_SHIFT);
		struct page *page = vmd_buf_page(buf, i);
		const u8 *p;
		long bad = -1;

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_PTR_EQ(test, page, vmalloc_to_page(vaddr));
		pfns[i] = page_to_pfn(page);

		p = kmap_local_page(page);
		for (j = 0; j < PAGE_SIZE && bad < 0; j++)
			if (p[j] != pattern((i << PAGE_SHIFT) + j, 5))
				bad = j;
		kunmap_local(p);
		KUNIT_EXPECT_EQ_MSG(test, bad, -1, "page %lu, byte %ld", i, bad);
	}

	for (i = 0; i < buf->nr_pages; i++)
		for (j = i + 1; j < buf->nr_pages; j++)
			KUNIT_ASSERT_NE_MSG(test, pfns[i], pfns[j],
					    "pages %lu and %lu", i, j);

	i = vmd_buf_runs(buf);
	KUNIT_EXPECT_EQ(test, i, vmd_count_runs(table_pfn, pfns, buf->nr_pages));
	KUNIT_EXPECT_GE(test, i, 1);
	KUNIT_EXPECT_LE(test, i, buf->nr_pages);
	kunit_info(test, "%s: %lu pages in %lu physical runs\n",
		   backend_name(*backend), buf->nr_pages, i);
}

/* Resizing keeps the common prefix, zero-fills the rest, keeps the backend. */
static void vmd_test_resize(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 3 * PAGE_SIZE);

	fill(buf, buf->size, 7);

	KUNIT_ASSERT_EQ(test, vmd_buf_resize(buf, 5 * PAGE_SIZE + 1), 0);
	KUNIT_EXPECT_EQ(test, buf->nr_pages, 6);
	KUNIT_EXPECT_EQ(test, buf->size, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, buf->backend, *backend);
	KUNIT_EXPECT_EQ(test, check(buf, 3 * PAGE_SIZE, 7), -1);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf->vaddr + 3 * PAGE_SIZE, 0,
					   3 * PAGE_SIZE));

	KUNIT_ASSERT_EQ(test, vmd_buf_resize(buf, PAGE_SIZE + 10), 0);
	KUNIT_EXPECT_EQ(test, buf->nr_pages, 2);
	KUNIT_EXPECT_EQ(test, check(buf, 2 * PAGE_SIZE, 7), -1);

	KUNIT_ASSERT_EQ(test, vmd_buf_resize(buf, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, check(buf, 2 * PAGE_SIZE, 7), -1);
	KUNIT_EXPECT_EQ(test, buf->backend, *backend);
}

/* A resize that cannot be done leaves the buffer exactly as it was. */
static void vmd_test_resize_failure(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 2 * PAGE_SIZE);
	struct vmd_buf before;
	u64 too_big = ((u64)totalram_pages() + 1) << PAGE_SHIFT;

	fill(buf, buf->size, 9);
	before = *buf;

	KUNIT_EXPECT_EQ(test, vmd_buf_resize(buf, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmd_buf_resize(buf, VMALLOC_DEMO_MAX_SIZE + 1),
			-EINVAL);
	if (too_big <= VMALLOC_DEMO_MAX_SIZE)
		KUNIT_EXPECT_EQ(test, vmd_buf_resize(buf, too_big), -ENOMEM);

	KUNIT_EXPECT_PTR_EQ(test, buf->vaddr, before.vaddr);
	KUNIT_EXPECT_PTR_EQ(test, buf->pages, before.pages);
	KUNIT_EXPECT_EQ(test, buf->size, before.size);
	KUNIT_EXPECT_EQ(test, buf->nr_pages, before.nr_pages);
	KUNIT_EXPECT_EQ(test, check(buf, buf->size, 9), -1);
}

struct runs_case {
	const char *name;
	unsigned long pfns[8];
	unsigned long n;
	unsigned long runs;
};

static const struct runs_case runs_cases[] = {
	{ "empty", { 0 }, 0, 0 },
	{ "one page", { 42 }, 1, 1 },
	{ "contiguous", { 10, 11, 12, 13, 14, 15, 16, 17 }, 8, 1 },
	{ "scattered", { 9, 7, 5, 3, 1, 100, 50, 2 }, 8, 8 },
	{ "descending neighbours", { 20, 19, 18, 17 }, 4, 4 },
	{ "two runs", { 100, 101, 102, 7, 8, 9 }, 6, 2 },
	{ "gap of one", { 1, 2, 4, 5 }, 4, 2 },
	{ "repeated pfn", { 5, 5, 6 }, 3, 2 },
	{ "runs of one and three", { 30, 40, 41, 42, 60 }, 5, 3 },
	{ "no wrap at the top", { ULONG_MAX, 0 }, 2, 2 },
};

KUNIT_ARRAY_PARAM_DESC(runs, runs_cases, name);

static void vmd_test_count_runs(struct kunit *test)
{
	const struct runs_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vmd_count_runs(table_pfn, c->pfns, c->n), c->runs);
}

static ssize_t write_at(struct vmd_buf *buf, loff_t pos, const void *data,
			size_t len)
{
	struct kvec kv = { .iov_base = (void *)data, .iov_len = len };
	struct iov_iter from;

	iov_iter_kvec(&from, ITER_SOURCE, &kv, 1, len);
	return vmd_buf_copy(buf, pos, &from, true);
}

static ssize_t read_at(struct vmd_buf *buf, loff_t pos, void *data, size_t len)
{
	struct kvec kv = { .iov_base = data, .iov_len = len };
	struct iov_iter to;

	iov_iter_kvec(&to, ITER_DEST, &kv, 1, len);
	return vmd_buf_copy(buf, pos, &to, false);
}

/* Reads and writes stop at the end: short, then 0 or -ENOSPC. */
static void vmd_test_read_write_ends(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 2 * PAGE_SIZE);
	loff_t end = buf->size;
	u8 in[64], out[64];
	const u8 *p;

	memset(in, 0xa5, sizeof(in));
	KUNIT_EXPECT_EQ(test, write_at(buf, end - 20, in, sizeof(in)), 20);
	KUNIT_EXPECT_EQ(test, write_at(buf, end, in, sizeof(in)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, write_at(buf, end + 1000, in, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, write_at(buf, end, in, 0), 0);
	KUNIT_EXPECT_EQ(test, write_at(buf, -1, in, 1), -EINVAL);

	KUNIT_EXPECT_EQ(test, read_at(buf, end - 20, out, sizeof(out)), 20);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 20), 0);
	KUNIT_EXPECT_EQ(test, read_at(buf, end, out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, read_at(buf, LLONG_MAX, out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, read_at(buf, -1, out, 1), -EINVAL);

	/* Across the page boundary, through the one virtual range. */
	KUNIT_EXPECT_EQ(test, write_at(buf, PAGE_SIZE - 30, in, sizeof(in)),
			sizeof(in));
	KUNIT_EXPECT_EQ(test, read_at(buf, PAGE_SIZE - 30, out, sizeof(out)),
			sizeof(out));
	KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);
	p = kmap_local_page(vmd_buf_page(buf, 1));
	KUNIT_EXPECT_EQ(test, p[0], 0xa5);
	kunmap_local(p);
}

struct sgt_case {
	unsigned int max_segment;
	unsigned long boundary;
};

#define P PAGE_SIZE
static const struct sgt_case sgt_cases[] = {
	{ P, ULONG_MAX },		/* one page per entry */
	{ UINT_MAX, ULONG_MAX },	/* every run in one entry */
	{ 64 * 1024, ULONG_MAX },	/* dma_get_max_seg_size()'s default */
	{ 3 * P, ULONG_MAX },		/* a limit that is no power of two */
	{ UINT_MAX, 4 * P - 1 },	/* no entry across 4-page frames */
	{ 2 * P + 1, 8 * P - 1 },	/* both, and not page aligned */
};

#undef P

static void sg_free_table_action(void *sgt)
{
	sg_free_table(sgt);
}

/* The table of @buf for the limits @l, freed by KUnit when the test ends. */
static struct sg_table *buf_to_sgt(struct kunit *test, const struct vmd_buf *buf,
				   const struct sgt_case *l)
{
	struct sg_table *sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, kmm_sgt_from_pages(sgt, vmd_sg_page, buf,
						 buf->nr_pages, l->max_segment,
						 l->boundary, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sg_free_table_action,
							sgt), 0);
	return sgt;
}

/*
 * The table of one buffer for each device's limits in sgt_cases: its
 * pages are the buffer's, in order, each once; no entry breaks a limit;
 * an entry ends only where the next page does not follow physically or a
 * limit says so.  And limits that do not admit one page are refused.
 */
static void vmd_test_sgt(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 64 * PAGE_SIZE);
	struct sg_table *sgt, unused;
	struct sg_page_iter piter;
	struct scatterlist *sg;
	unsigned long i, pages;
	unsigned int c, n;

	for (c = 0; c < ARRAY_SIZE(sgt_cases); c++) {
		const struct sgt_case *l = &sgt_cases[c];
		u64 first, last;

		sgt = buf_to_sgt(test, buf, l);
		i = 0;
		for_each_sgtable_page(sgt, &piter, 0) {
			KUNIT_ASSERT_LT(test, i, buf->nr_pages);
			KUNIT_EXPECT_PTR_EQ_MSG(test, sg_page_iter_page(&piter),
						vmd_buf_page(buf, i),
						"case %u, page %lu", c, i);
			i++;
		}
		KUNIT_EXPECT_EQ_MSG(test, i, buf->nr_pages, "case %u", c);

		pages = 0;
		for_each_sgtable_sg(sgt, sg, n) {
			first = page_to_phys(sg_page(sg));
			last = first + sg->length - 1;
			KUNIT_EXPECT_EQ(test, sg->offset, 0);
			KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(sg->length));
			KUNIT_EXPECT_LE_MSG(test, sg->length, l->max_segment,
					    "case %u, entry %u", c, n);
			KUNIT_EXPECT_EQ_MSG(test, (first ^ last) & ~(u64)l->boundary, 0,
					    "case %u, entry %u", c, n);
			pages += sg->length >> PAGE_SHIFT;
			/* The next entry could not have been this one's tail. */
			if (!sg_is_last(sg) && sg->length + PAGE_SIZE <= l->max_segment &&
			    !(((first ^ (last + PAGE_SIZE)) & ~(u64)l->boundary)))
				KUNIT_EXPECT_NE_MSG(test, page_to_pfn(sg_page(sg_next(sg))),
						    PHYS_PFN(last + 1),
						    "case %u, entry %u", c, n);
		}
		KUNIT_EXPECT_EQ(test, pages, buf->nr_pages);
		if (l->max_segment == PAGE_SIZE)
			KUNIT_EXPECT_EQ(test, sgt->orig_nents, buf->nr_pages);
		if (l->max_segment == UINT_MAX && l->boundary == ULONG_MAX)
			KUNIT_EXPECT_EQ(test, sgt->orig_nents, vmd_buf_runs(buf));
	}

	KUNIT_EXPECT_EQ(test, kmm_sgt_from_pages(&unused, vmd_sg_page, buf,
						 buf->nr_pages, PAGE_SIZE - 1,
						 ULONG_MAX, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_sgt_from_pages(&unused, vmd_sg_page, buf,
						 buf->nr_pages, UINT_MAX,
						 PAGE_SIZE / 2 - 1, GFP_KERNEL),
			-EINVAL);
}

/* A dma-buf put by a kernel thread is released by a work item: wait for it. */
static void put_and_release(struct dma_buf *dmabuf)
{
	dma_buf_put(dmabuf);
	flush_delayed_fput();
}

/*
 * An export holds the buffer: resize is refused (-EBUSY, the buffer
 * untouched) until the last dma-buf of it is released, and works after.
 */
static void vmd_test_export_holds(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 4 * PAGE_SIZE);
	struct dma_buf *a, *b;
	void *vaddr = buf->vaddr;

	if (!IS_ENABLED(CONFIG_DMA_SHARED_BUFFER))
		kunit_skip(test, "a kernel without dma-buf");

	KUNIT_EXPECT_EQ(test, PTR_ERR(vmd_buf_export(buf, O_WRONLY)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmd_buf_export(buf, O_CLOEXEC)), -EINVAL);

	a = vmd_buf_export(buf, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_EXPECT_EQ(test, a->size, buf->size);
	b = vmd_buf_export(buf, O_RDONLY);
	KUNIT_EXPECT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, vmd_buf_resize(buf, PAGE_SIZE), -EBUSY);

	if (!IS_ERR(b)) {
		put_and_release(b);
		KUNIT_EXPECT_EQ(test, vmd_buf_resize(buf, PAGE_SIZE), -EBUSY);
	}
	KUNIT_EXPECT_PTR_EQ(test, buf->vaddr, vaddr);
	KUNIT_EXPECT_EQ(test, buf->nr_pages, 4);

	put_and_release(a);
	KUNIT_EXPECT_EQ(test, vmd_buf_resize(buf, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, buf->nr_pages, 1);
}

/*
 * What an importer's CPU sees: vmap gives the buffer's own address, the
 * same bytes; begin/end_cpu_access succeed with no device attached.
 */
static void vmd_test_export_vmap(struct kunit *test)
{
	const enum vmd_backend *backend = test->param_value;
	struct vmd_buf *buf = new_buf(test, *backend, 3 * PAGE_SIZE);
	struct iosys_map map;
	struct dma_buf *dmabuf;

	if (!IS_ENABLED(CONFIG_DMA_SHARED_BUFFER))
		kunit_skip(test, "a kernel without dma-buf");

	fill(buf, buf->size, 11);
	dmabuf = vmd_buf_export(buf, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));

	KUNIT_EXPECT_EQ(test, dma_buf_begin_cpu_access(dmabuf, DMA_BIDIRECTIONAL), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_vmap_unlocked(dmabuf, &map), 0);
	KUNIT_EXPECT_FALSE(test, map.is_iomem);
	KUNIT_EXPECT_PTR_EQ(test, map.vaddr, buf->vaddr);
	if (map.vaddr == buf->vaddr) {
		KUNIT_EXPECT_EQ(test, check(buf, buf->size, 11), -1);
		dma_buf_vunmap_unlocked(dmabuf, &map);
	}
	KUNIT_EXPECT_EQ(test, dma_buf_end_cpu_access(dmabuf, DMA_BIDIRECTIONAL), 0);
	put_and_release(dmabuf);
}

static struct kunit_case vmd_test_cases[] = {
	KUNIT_CASE(vmd_test_valid_size),
	KUNIT_CASE_PARAM(vmd_test_alloc, alloc_gen_params),
	KUNIT_CASE_PARAM(vmd_test_virtually_contiguous, backend_gen_params),
	KUNIT_CASE_PARAM(vmd_test_resize, backend_gen_params),
	KUNIT_CASE_PARAM(vmd_test_resize_failure, backend_gen_params),
	KUNIT_CASE_PARAM(vmd_test_count_runs, runs_gen_params),
	KUNIT_CASE_PARAM(vmd_test_read_write_ends, backend_gen_params),
	KUNIT_CASE_PARAM(vmd_test_sgt, backend_gen_params),
	KUNIT_CASE_PARAM(vmd_test_export_holds, backend_gen_params),
	KUNIT_CASE_PARAM(vmd_test_export_vmap, backend_gen_params),
	{}
};

static struct kunit_suite vmd_test_suite = {
	.name = "vmalloc_demo",
	.exit = vmd_test_exit,
	.test_cases = vmd_test_cases,
};

kunit_test_suite(vmd_test_suite);

MODULE_DESCRIPTION("KUnit tests for vmalloc_demo's buffer");
MODULE_LICENSE("GPL");
