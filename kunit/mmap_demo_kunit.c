// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for mmap_demo's buffer: page lookup by offset; the
 * physically contiguous runs remap_pfn_range() maps; reads and writes at
 * the edges of the fixed-size buffer; the counters kept by mmap(),
 * vm_operations .open/.close and .fault; and the window of pages a fault
 * maps (kmm_prefault.h) at the edges of the VMA, of the buffer and of a
 * page table.  The mmap range check is the kmm_rules suite's.
 */

#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/uio.h>

#include "../mmap_demo/mmap_demo.h"
#include "kmm_prefault.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define TEST_NPAGES	16

/* A buffer of TEST_NPAGES real pages, freed by mmap_demo_test_exit(). */
static struct mmap_demo_buf *new_buf(struct kunit *test)
{
	struct mmap_demo_buf *buf = kunit_kzalloc(test, sizeof(*buf), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, mmap_demo_buf_alloc(buf, TEST_NPAGES), 0);
	test->priv = buf;
	return buf;
}

static void mmap_demo_test_exit(struct kunit *test)
{
	if (test->priv)
		mmap_demo_buf_free(test->priv);
}

/*
 * Fault windows, in pages from BASE, an address aligned to a page table's
 * span: the VMA [start, end) maps file page pgoff at start; the buffer
 * ends at limit; the fault is at page @at.
 */
#define BASE	SZ_1G

struct window_case {
	unsigned long start, end, pgoff, limit, at;
	unsigned int window;
	unsigned long want_start, want_pgoff, want_nr;
	const char *desc;
};

static const struct window_case window_cases[] = {
	{ 0, 64, 0, 64, 20, 16, 16, 16, 16, "inside a large VMA" },
	{ 0, 64, 0, 64, 20, 1, 20, 20, 1, "window 1: the faulting page alone" },
	{ 5, 64, 0, 64, 7, 16, 5, 0, 11, "VMA starts inside the window" },
	{ 0, 20, 0, 64, 18, 16, 16, 16, 4, "VMA ends inside the window" },
	{ 0, 64, 0, 18, 17, 16, 16, 16, 2, "buffer ends inside the window" },
	{ 0, 64, 0, 21, 20, 16, 16, 16, 5, "buffer ends just past the fault" },
	{ 0, 64, 0, 18, 20, 16, 20, 20, 0, "fault past the buffer: nothing" },
	{ 0, 64, 100, 200, 3, 16, 0, 100, 16, "VMA at a file offset" },
	{ 0, 1024, 0, 1024, 20, 512, 0, 0, 512, "a whole page table" },
	{ 0, 1024, 0, 1024, 600, 512, 512, 512, 512, "the second page table" },
	{ 3, 4, 7, 64, 3, 16, 3, 7, 1, "a one-page VMA" },
};

static void window_case_desc(const struct window_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s (fault at %lu, window %u)",
		 c->desc, c->at, c->window);
}

KUNIT_ARRAY_PARAM(window, window_cases, window_case_desc);

static void mmap_demo_test_fault_window(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	struct kmm_window w;

	w = kmm_fault_window(BASE + c->at * PAGE_SIZE + 123,
			     BASE + c->start * PAGE_SIZE, BASE + c->end * PAGE_SIZE,
			     c->pgoff, c->limit, c->window);
	KUNIT_EXPECT_EQ(test, w.nr, c->want_nr);
	KUNIT_EXPECT_EQ(test, w.pgoff, c->want_pgoff);
	if (c->want_nr) {
		KUNIT_EXPECT_EQ(test, w.addr, BASE + c->want_start * PAGE_SIZE);
		/* Never a page table crossed. */
		KUNIT_EXPECT_EQ(test, w.addr >> PMD_SHIFT,
				(w.addr + w.nr * PAGE_SIZE - 1) >> PMD_SHIFT);
	}
}

static void mmap_demo_test_alloc_sizes(struct kunit *test)
{
	struct mmap_demo_buf buf;

	KUNIT_EXPECT_EQ(test, mmap_demo_buf_alloc(&buf, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, buf.npages, 0UL);
	KUNIT_EXPECT_NULL(test, buf.pages);
	KUNIT_EXPECT_EQ(test, mmap_demo_buf_alloc(&buf, MMAP_DEMO_NPAGES_MAX + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, buf.npages, 0UL);
	KUNIT_EXPECT_NULL(test, buf.pages);
	mmap_demo_buf_free(&buf);	/* an empty buffer: nothing to do */
}

/* Each offset finds its own zeroed order-0 page; nothing past the end. */
static void mmap_demo_test_page_lookup(struct kunit *test)
{
	struct mmap_demo_buf *buf = new_buf(test);
	unsigned long i, j;

	for (i = 0; i < TEST_NPAGES; i++) {
		struct page *page = mmap_demo_page(buf, i);
		char *p;

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_PTR_EQ(test, page, buf->pages[i]);
		KUNIT_EXPECT_EQ(test, page_count(page), 1);
		KUNIT_EXPECT_FALSE(test, PageSlab(page));
		KUNIT_EXPECT_FALSE(test, PageCompound(page));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, page, buf->pages[j]);
		p = kmap_local_page(page);
		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, PAGE_SIZE));
		kunmap_local(p);
	}
	KUNIT_EXPECT_NULL(test, mmap_demo_page(buf, TEST_NPAGES));
	KUNIT_EXPECT_NULL(test, mmap_demo_page(buf, ULONG_MAX));
}

/* The runs cover the buffer exactly, and each is physically contiguous. */
static void mmap_demo_test_runs(struct kunit *test)
{
	struct mmap_demo_buf *buf = new_buf(test);
	unsigned long pgoff = 0, run, k;

	while (pgoff < TEST_NPAGES) {
		run = mmap_demo_run(buf, pgoff, TEST_NPAGES);
		KUNIT_ASSERT_GE(test, run, 1UL);
		KUNIT_ASSERT_LE(test, run, TEST_NPAGES - pgoff);
		for (k = 1; k < run; k++)
			KUNIT_EXPECT_EQ(test, page_to_pfn(buf->pages[pgoff + k]),
					page_to_pfn(buf->pages[pgoff]) + k);
		/* A run ends where the next frame does not follow. */
		if (pgoff + run < TEST_NPAGES)
			KUNIT_EXPECT_NE(test, page_to_pfn(buf->pages[pgoff + run]),
					page_to_pfn(buf->pages[pgoff + run - 1]) + 1);
		pgoff += run;
	}
	KUNIT_EXPECT_EQ(test, pgoff, (unsigned long)TEST_NPAGES);
	KUNIT_EXPECT_EQ(test, mmap_demo_run(buf, 0, 1), 1UL);
	KUNIT_EXPECT_EQ(test, mmap_demo_run(buf, TEST_NPAGES, 1), 0UL);
	KUNIT_EXPECT_LE(test, mmap_demo_run(buf, TEST_NPAGES - 1, 100), 1UL);
}

static ssize_t kv_write(const struct mmap_demo_buf *buf, loff_t pos,
			const void *data, size_t len)
{
	struct kvec kv = { .iov_base = (void *)data, .iov_len = len };
	struct iov_iter from;

	iov_iter_kvec(&from, ITER_SOURCE, &kv, 1, len);
	return mmap_demo_copy(buf, pos, &from, true);
}

static ssize_t kv_read(const struct mmap_demo_buf *buf, loff_t pos, void *data,
		       size_t len)
{
	struct kvec kv = { .iov_base = data, .iov_len = len };
	struct iov_iter to;

	iov_iter_kvec(&to, ITER_DEST, &kv, 1, len);
	return mmap_demo_copy(buf, pos, &to, false);
}

/* Across a page boundary, and at the end of the fixed-size buffer. */
static void mmap_demo_test_read_write_edges(struct kunit *test)
{
	struct mmap_demo_buf *buf = new_buf(test);
	loff_t size = mmap_demo_size(buf);
	char in[100], out[100];
	int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i + 1;
	KUNIT_EXPECT_EQ(test, kv_write(buf, PAGE_SIZE - 50, in, sizeof(in)),
			(ssize_t)sizeof(in));
	KUNIT_EXPECT_EQ(test, kv_read(buf, PAGE_SIZE - 50, out, sizeof(out)),
			(ssize_t)sizeof(out));
	KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);
	/* The second half landed at the start of page 1. */
	KUNIT_EXPECT_EQ(test, ((char *)page_address(buf->pages[1]))[0], 51);

	KUNIT_EXPECT_EQ(test, kv_write(buf, size - 10, in, sizeof(in)), (ssize_t)10);
	KUNIT_EXPECT_EQ(test, kv_write(buf, size, in, sizeof(in)), (ssize_t)-ENOSPC);
	KUNIT_EXPECT_EQ(test, kv_write(buf, size, in, 0), (ssize_t)0);
	KUNIT_EXPECT_EQ(test, kv_read(buf, size - 10, out, sizeof(out)), (ssize_t)10);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 10), 0);
	KUNIT_EXPECT_EQ(test, kv_read(buf, size, out, sizeof(out)), (ssize_t)0);
	KUNIT_EXPECT_EQ(test, kv_read(buf, -1, out, sizeof(out)), (ssize_t)-EINVAL);
	KUNIT_EXPECT_EQ(test, kv_write(buf, -1, in, sizeof(in)), (ssize_t)-EINVAL);
}

/* mmap(), a split or fork (.open), munmap() (.close). */
static void mmap_demo_test_vma_counters(struct kunit *test)
{
	struct mmap_demo_counters c = {};

	mmap_demo_count_mmap(&c);
	mmap_demo_count_open(&c);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.mmaps), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.vmas), 2L);
	mmap_demo_count_close(&c);
	mmap_demo_count_close(&c);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.mmaps), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.vmas), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.faults), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.sigbus), 0L);
}

/* A fault takes a reference for the page table and counts; past the end, SIGBUS. */
static void mmap_demo_test_fault_counters(struct kunit *test)
{
	struct mmap_demo_buf *buf = new_buf(test);
	struct mmap_demo_counters c = {};
	struct page *page = NULL;

	KUNIT_EXPECT_EQ(test, mmap_demo_fault_page(buf, &c, 3, &page),
			(vm_fault_t)0);
	KUNIT_EXPECT_PTR_EQ(test, page, buf->pages[3]);
	/* The reference is the page table's: give it back whatever the page. */
	if (page) {
		KUNIT_EXPECT_EQ(test, page_count(page), 2);
		put_page(page);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.faults), 1L);

	page = NULL;
	KUNIT_EXPECT_EQ(test, mmap_demo_fault_page(buf, &c, TEST_NPAGES, &page),
			VM_FAULT_SIGBUS);
	KUNIT_EXPECT_EQ(test, mmap_demo_fault_page(buf, &c, ULONG_MAX, &page),
			VM_FAULT_SIGBUS);
	KUNIT_EXPECT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.faults), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.sigbus), 2L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c.vmas), 0L);
}

static struct kunit_case mmap_demo_test_cases[] = {
	KUNIT_CASE_PARAM(mmap_demo_test_fault_window, window_gen_params),
	KUNIT_CASE(mmap_demo_test_alloc_sizes),
	KUNIT_CASE(mmap_demo_test_page_lookup),
	KUNIT_CASE(mmap_demo_test_runs),
	KUNIT_CASE(mmap_demo_test_read_write_edges),
	KUNIT_CASE(mmap_demo_test_vma_counters),
	KUNIT_CASE(mmap_demo_test_fault_counters),
	{}
};

static struct kunit_suite mmap_demo_test_suite = {
	.name = "mmap_demo",
	.exit = mmap_demo_test_exit,
	.test_cases = mmap_demo_test_cases,
};

kunit_test_suite(mmap_demo_test_suite);

MODULE_DESCRIPTION("KUnit tests for mmap_demo's buffer");
MODULE_LICENSE("GPL");
