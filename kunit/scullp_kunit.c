// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for scullp's storage: quantum and qset lookup for every
 * order, growth and trimming, reads and writes across quantum and qset
 * boundaries, holes, the capacity limit, the fault path's page lookup, the
 * spans one PMD entry maps (kmm_prefault.h) at the edges of the VMA, the
 * data and the file offset, and failed allocations leaving the device as
 * it was.
 *
 * The tests drive storage.c directly, with kernel buffers (ITER_KVEC) and,
 * where the kernel has kunit_vm_mmap(), with real user memory (ITER_UBUF).
 * Every buffer a test allocates is KUnit's to free, however the test ends.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "kmm_compat.h"
#include "kmm_prefault.h"
#include "../scullp/scullp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* The device under test, trimmed (freed) by scullp_test_exit(). */
static struct scullp_dev *new_dev(struct kunit *test, unsigned int order,
				  unsigned int qset, loff_t max_size)
{
	struct scullp_dev *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	scullp_setup(dev, order, qset, max_size);
	test->priv = dev;
	return dev;
}

static void scullp_test_exit(struct kunit *test)
{
	struct scullp_dev *dev = test->priv;

	if (!dev)
		return;
	kmm_guard_init(&dev->vmas);	/* drop a mapping a test left */
	down_write(&dev->lock);
	scullp_trim(dev, 0, 1);
	up_write(&dev->lock);
}

static ssize_t write_buf(struct scullp_dev *dev, loff_t pos, const void *buf,
			 size_t len)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter from;
	ssize_t ret;

	iov_iter_kvec(&from, ITER_SOURCE, &kv, 1, len);
	down_write(&dev->lock);
	ret = scullp_write(dev, pos, &from);
	up_write(&dev->lock);
	return ret;
}

static ssize_t read_buf(struct scullp_dev *dev, loff_t pos, void *buf,
			size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter to;
	ssize_t ret;

	iov_iter_kvec(&to, ITER_DEST, &kv, 1, len);
	down_write(&dev->lock);
	ret = scullp_read(dev, pos, &to);
	up_write(&dev->lock);
	return ret;
}

static int trim(struct scullp_dev *dev, unsigned int order, unsigned int qset)
{
	int ret;

	down_write(&dev->lock);
	ret = scullp_trim(dev, order, qset);
	up_write(&dev->lock);
	return ret;
}

static void vfree_action(void *buf)
{
	vfree(buf);
}

/*
 * A zeroed buffer that KUnit frees when the test ends: vmalloc, since a
 * few quanta of the largest order are more than kmalloc gives.
 */
static void *test_vzalloc(struct kunit *test, size_t len)
{
	void *buf = vzalloc(len);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_action, buf), 0);
	return buf;
}

static u8 pattern(loff_t pos)
{
	return (u8)((pos * 7 + (pos >> 12)) | 1);
}

static void *pattern_buf(struct kunit *test, loff_t pos, size_t len)
{
	u8 *buf = test_vzalloc(test, len);
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(pos + i);
	return buf;
}

/* Orders to test: the small ones, and the largest the kernel has. */
static const unsigned int orders[] = { 0, 1, 2, 3, KMM_MAX_ORDER };

/*
 * The tests that store data hold several quanta at once, and as much
 * again in their buffers: their largest order is the largest with
 * quanta of at most 4 MiB (2^22 bytes), which is KMM_MAX_ORDER with 4 KiB
 * pages.  With 64 KiB pages KMM_MAX_ORDER is 13, quanta of 512 MiB: nine
 * of them do not fit in a test machine.
 */
#define STORE_MAX_ORDER	\
	(KMM_MAX_ORDER < 22 - PAGE_SHIFT ? KMM_MAX_ORDER : 22 - PAGE_SHIFT)
static const unsigned int store_orders[] = { 0, 1, 2, 3, STORE_MAX_ORDER };

static void order_desc(const unsigned int *order, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "order %u", *order);
}

KUNIT_ARRAY_PARAM(order, orders, order_desc);
KUNIT_ARRAY_PARAM(store_order, store_orders, order_desc);

static void scullp_test_valid_params(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, scullp_valid_order(0));
	KUNIT_EXPECT_TRUE(test, scullp_valid_order(KMM_MAX_ORDER));
	KUNIT_EXPECT_FALSE(test, scullp_valid_order(KMM_MAX_ORDER + 1));
	KUNIT_EXPECT_FALSE(test, scullp_valid_order(-1));
	KUNIT_EXPECT_TRUE(test, scullp_valid_qset(1));
	KUNIT_EXPECT_TRUE(test, scullp_valid_qset(SCULLP_QSET_MAX));
	KUNIT_EXPECT_FALSE(test, scullp_valid_qset(0));
	KUNIT_EXPECT_FALSE(test, scullp_valid_qset(SCULLP_QSET_MAX + 1));
	KUNIT_EXPECT_FALSE(test, scullp_valid_qset(-500));
}

/* Offsets split into (qset, quantum, offset) at the edges that matter. */
static void scullp_test_locate(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct scullp_dev *dev = new_dev(test, *order, 3, SCULLP_MAX_SIZE);
	loff_t q = scullp_quantum_size(dev), set = 3 * q;
	static const unsigned int qsets[] = { 1, 3, 500 };
	const struct {
		loff_t pos;
		struct scullp_pos want;
	} edges[] = {
		{ 0, { 0, 0, 0 } },
		{ q - 1, { 0, 0, q - 1 } },
		{ q, { 0, 1, 0 } },
		{ set - 1, { 0, 2, q - 1 } },
		{ set, { 1, 0, 0 } },
		{ 1000 * set + 2 * q + 7, { 1000, 2, 7 } },
	};
	struct scullp_pos w;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(edges); i++) {
		scullp_locate(dev, edges[i].pos, &w);
		KUNIT_EXPECT_EQ_MSG(test, w.qset, edges[i].want.qset,
				    "at %lld", edges[i].pos);
		KUNIT_EXPECT_EQ_MSG(test, w.quantum, edges[i].want.quantum,
				    "at %lld", edges[i].pos);
		KUNIT_EXPECT_EQ_MSG(test, w.offset, edges[i].want.offset,
				    "at %lld", edges[i].pos);
	}

	/* Any geometry: the parts put back together give the offset. */
	for (i = 0; i < ARRAY_SIZE(qsets); i++) {
		loff_t pos;

		dev->qset = qsets[i];
		for (pos = 0; pos < (loff_t)SZ_1G * 4; pos = pos * 3 + 4095) {
			scullp_locate(dev, pos, &w);
			KUNIT_EXPECT_LT(test, w.quantum, qsets[i]);
			KUNIT_EXPECT_LT(test, w.offset, q);
			KUNIT_EXPECT_EQ(test, (loff_t)w.qset * qsets[i] * q +
					(loff_t)w.quantum * q + w.offset, pos);
		}
	}
	dev->qset = 3;
}

/* One write and one read cross quantum and qset boundaries, in full. */
static void scullp_test_write_read_across(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct scullp_dev *dev = new_dev(test, *order, 3, SCULLP_MAX_SIZE);
	size_t q = scullp_quantum_size(dev), len = 7 * q + 100;
	loff_t pos = q - 50;
	u8 *in = pattern_buf(test, pos, len), *out = test_vzalloc(test, len);
	size_t done;

	KUNIT_ASSERT_EQ(test, write_buf(dev, pos, in, len), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, dev->size, pos + len);
	/* Bytes q - 50 to 8q + 49: quanta 0 to 8, in three qsets of 3. */
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 9);
	KUNIT_EXPECT_NOT_NULL(test, scullp_follow(dev, 2));
	KUNIT_EXPECT_NULL(test, scullp_follow(dev, 3));

	/* Read back in odd-sized pieces. */
	for (done = 0; done < len; ) {
		size_t chunk = min_t(size_t, len - done, q / 3 + 1);

		KUNIT_ASSERT_EQ(test, read_buf(dev, pos + done, out + done, chunk),
				(ssize_t)chunk);
		done += chunk;
	}
	KUNIT_EXPECT_EQ(test, memcmp(in, out, len), 0);

	/* The bytes before pos, inside the first quantum, are zeros. */
	KUNIT_ASSERT_EQ(test, read_buf(dev, 0, out, 50), 50);
	KUNIT_EXPECT_NULL(test, memchr_inv(out, 0, 50));
}

static void scullp_test_holes_read_as_zeros(struct kunit *test)
{
	struct scullp_dev *dev = new_dev(test, 0, 4, SCULLP_MAX_SIZE);
	loff_t far = 10 * 4 * PAGE_SIZE + 10;
	u8 *out = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_EQ(test, write_buf(dev, far, "data", 4), 4);
	KUNIT_EXPECT_EQ(test, dev->size, far + 4);
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 1);

	memset(out, 0xff, 3 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, read_buf(dev, 0, out, 3 * PAGE_SIZE), 3 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, memchr_inv(out, 0, 3 * PAGE_SIZE));

	KUNIT_ASSERT_EQ(test, read_buf(dev, far - 10, out, 100), 14);
	KUNIT_EXPECT_NULL(test, memchr_inv(out, 0, 10));
	KUNIT_EXPECT_EQ(test, memcmp(out + 10, "data", 4), 0);
	/* Reading a hole allocates nothing. */
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 1);
}

static void scullp_test_read_at_and_past_end(struct kunit *test)
{
	struct scullp_dev *dev = new_dev(test, 0, 500, SCULLP_MAX_SIZE);
	char buf[8];

	KUNIT_EXPECT_EQ(test, read_buf(dev, 0, buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, write_buf(dev, 0, "abc", 3), 3);
	KUNIT_EXPECT_EQ(test, read_buf(dev, 3, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, read_buf(dev, 1 << 30, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, read_buf(dev, 1, buf, sizeof(buf)), 2);
	KUNIT_EXPECT_EQ(test, read_buf(dev, -1, buf, sizeof(buf)), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_buf(dev, -1, buf, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_buf(dev, 0, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, dev->size, 3);
}

static void scullp_test_max_size(struct kunit *test)
{
	loff_t max = 3 * PAGE_SIZE + 10;
	struct scullp_dev *dev = new_dev(test, 0, 2, max);
	u8 *in = pattern_buf(test, 0, 100);

	KUNIT_EXPECT_EQ(test, write_buf(dev, max - 5, in, 100), 5);
	KUNIT_EXPECT_EQ(test, dev->size, max);
	KUNIT_EXPECT_EQ(test, write_buf(dev, max, in, 100), -ENOSPC);
	KUNIT_EXPECT_EQ(test, write_buf(dev, max + PAGE_SIZE, in, 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, dev->size, max);
	/* Only the quantum holding the last bytes was allocated. */
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 1);
}

static void scullp_test_trim(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct scullp_dev *dev = new_dev(test, *order, 2, SCULLP_MAX_SIZE);
	size_t len = 5 * scullp_quantum_size(dev);
	u8 *in = pattern_buf(test, 0, len);
	char c;

	KUNIT_ASSERT_EQ(test, write_buf(dev, 0, in, len), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 5);
	KUNIT_ASSERT_EQ(test, trim(dev, 1, 7), 0);
	KUNIT_EXPECT_EQ(test, dev->size, 0);
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 0);
	KUNIT_EXPECT_EQ(test, dev->order, 1);
	KUNIT_EXPECT_EQ(test, dev->qset, 7);
	KUNIT_EXPECT_TRUE(test, xa_empty(&dev->qsets));
	KUNIT_EXPECT_EQ(test, read_buf(dev, 0, &c, 1), 0);
	/* The new geometry is used from now on. */
	KUNIT_ASSERT_EQ(test, write_buf(dev, 0, in, len), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, DIV_ROUND_UP(len, 2 * PAGE_SIZE));
}

static void scullp_test_trim_refused_while_mapped(struct kunit *test)
{
	struct scullp_dev *dev = new_dev(test, 0, 500, SCULLP_MAX_SIZE);
	char buf[4];

	KUNIT_ASSERT_EQ(test, write_buf(dev, 0, "map", 3), 3);
	KUNIT_ASSERT_TRUE(test, kmm_guard_tryget(&dev->vmas)); /* scullp_mmap() */
	KUNIT_EXPECT_EQ(test, trim(dev, 0, 500), -EBUSY);
	KUNIT_EXPECT_EQ(test, dev->size, 3);
	KUNIT_ASSERT_EQ(test, read_buf(dev, 0, buf, 3), 3);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "map", 3), 0);
	kmm_guard_put(&dev->vmas);	/* munmap() */
	KUNIT_EXPECT_EQ(test, trim(dev, 0, 500), 0);
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&dev->vmas), 0);
	KUNIT_EXPECT_TRUE(test, kmm_guard_tryget(&dev->vmas));
}

/* The fault path's lookup: the page holding the data, or none. */
static void scullp_test_page_lookup(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct scullp_dev *dev = new_dev(test, *order, 2, SCULLP_MAX_SIZE);
	size_t q = scullp_quantum_size(dev);
	loff_t hole_end = 2 * q, end = 2 * q + 3 * PAGE_SIZE;
	pgoff_t pg;

	u8 *in = pattern_buf(test, hole_end, end - hole_end);

	KUNIT_ASSERT_EQ(test, write_buf(dev, hole_end, in, end - hole_end),
			end - hole_end);

	for (pg = 0; pg < hole_end >> PAGE_SHIFT; pg++)
		KUNIT_EXPECT_NULL(test, scullp_page(dev, pg));
	for (pg = hole_end >> PAGE_SHIFT; pg < end >> PAGE_SHIFT; pg++) {
		struct scullp_pos w;
		void **qs;

		scullp_locate(dev, (loff_t)pg << PAGE_SHIFT, &w);
		qs = scullp_follow(dev, w.qset);
		KUNIT_ASSERT_NOT_NULL(test, qs);
		KUNIT_EXPECT_PTR_EQ(test, scullp_page(dev, pg),
				    virt_to_page(qs[w.quantum] + w.offset));
	}
	KUNIT_EXPECT_NULL(test, scullp_page(dev, end >> PAGE_SHIFT));
	KUNIT_EXPECT_NULL(test, scullp_page(dev, ULONG_MAX >> PAGE_SHIFT));
}

/*
 * PMD spans (kmm_prefault.h), in pages from BASE, an address aligned to a
 * PMD's span, P pages a PMD: the VMA [start, end) maps file page pgoff at
 * start, the data ends at limit, the blocks behind it are of order
 * PMD_ORDER + order_delta; the fault is at page @at.
 */
#define BASE	SZ_1G
#define P	(PMD_SIZE >> PAGE_SHIFT)

struct pmd_case {
	unsigned long start, end, pgoff, limit, at;
	int order_delta;
	unsigned long want_start, want_pgoff;	/* want_start ~0UL: none */
	const char *desc;
};

static const struct pmd_case pmd_cases[] = {
	{ 0, 4 * P, 0, 4 * P, P + 5, 0, P, P, "inside the VMA and the data" },
	{ 0, 4 * P, 0, 4 * P, P + 5, -1, ~0UL, 0, "blocks smaller than a PMD" },
	{ 0, 4 * P, 0, 4 * P, 3 * P + 1, 1, 3 * P, 3 * P, "the second half of a larger block" },
	{ 1, 4 * P, 0, 4 * P, 5, 0, ~0UL, 0, "VMA starts inside the span" },
	{ 0, P + 1, 0, 4 * P, P, 0, ~0UL, 0, "VMA ends inside the span" },
	{ 0, 4 * P, 0, 4 * P, 4 * P - 1, 0, 3 * P, 3 * P, "VMA ends with the span" },
	{ 0, 4 * P, 1, 4 * P, P + 5, 0, ~0UL, 0, "file offset not aligned to the span" },
	{ 0, 4 * P, 2 * P, 8 * P, 5, 0, 0, 2 * P, "VMA at an aligned file offset" },
	{ 0, 4 * P, 0, P + P / 2, P + 1, 0, ~0UL, 0, "data ends inside the span" },
	{ 0, 4 * P, 0, P + P / 2, 3, 0, 0, 0, "the span before the data's end" },
	{ 0, 4 * P, 0, 2 * P, P, 0, P, P, "data ends with the span" },
	{ 0, 4 * P, 0, P, P + 3, 0, ~0UL, 0, "fault past the data" },
};

static void pmd_case_desc(const struct pmd_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s (fault at page %lu)",
		 c->desc, c->at);
}

KUNIT_ARRAY_PARAM(pmd, pmd_cases, pmd_case_desc);

static void scullp_test_pmd_span(struct kunit *test)
{
	const struct pmd_case *c = test->param_value;
	struct kmm_window w;

	w = kmm_fault_pmd(BASE + c->at * PAGE_SIZE + 123,
			  BASE + c->start * PAGE_SIZE, BASE + c->end * PAGE_SIZE,
			  c->pgoff, c->limit, PMD_ORDER + c->order_delta);
	if (c->want_start == ~0UL) {
		KUNIT_EXPECT_EQ(test, w.nr, 0UL);
		return;
	}
	KUNIT_EXPECT_EQ(test, w.nr, P);
	KUNIT_EXPECT_EQ(test, w.addr, BASE + c->want_start * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, w.pgoff, c->want_pgoff);
}

/*
 * What the huge fault maps on a real device at PMD order, where the page
 * allocator has blocks that large: a hole, a whole quantum of data, a quantum half full.  Only
 * the whole one is a span, its first page aligned to a PMD in physical
 * memory and part of one compound page.
 */
static void scullp_test_pmd_quanta(struct kunit *test)
{
	struct scullp_dev *dev;
	size_t q;
	struct kmm_window w;
	struct page *page;
	u8 *in;

	/* 64 KiB pages: 512 MiB, more than a test guest's memory. */
	if (PMD_ORDER > KMM_MAX_ORDER || PMD_SIZE > SZ_64M)
		kunit_skip(test, "a PMD's span (%lu MiB) is no quantum this test can have",
			   PMD_SIZE >> 20);
	dev = new_dev(test, PMD_ORDER, 4, SCULLP_MAX_SIZE);
	q = scullp_quantum_size(dev);
	in = pattern_buf(test, q, q + q / 2);
	KUNIT_ASSERT_EQ(test, write_buf(dev, q, in, q + q / 2), (ssize_t)(q + q / 2));

	/* The hole: a span, but no page; .fault will say SIGBUS. */
	w = kmm_fault_pmd(BASE, BASE, BASE + 3 * q, 0, dev->size >> PAGE_SHIFT,
			  dev->order);
	KUNIT_EXPECT_EQ(test, w.nr, P);
	KUNIT_EXPECT_NULL(test, scullp_page(dev, w.pgoff));

	w = kmm_fault_pmd(BASE + q + 5 * PAGE_SIZE, BASE, BASE + 3 * q, 0,
			  dev->size >> PAGE_SHIFT, dev->order);
	KUNIT_ASSERT_EQ(test, w.nr, P);
	page = scullp_page(dev, w.pgoff);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(page_to_pfn(page), P));
	KUNIT_EXPECT_TRUE(test, PageCompound(page));
	KUNIT_EXPECT_GE(test, folio_order(page_folio(page)), (unsigned int)PMD_ORDER);
	KUNIT_EXPECT_PTR_EQ(test, page_folio(page), page_folio(scullp_page(dev, w.pgoff + P - 1)));

	w = kmm_fault_pmd(BASE + 2 * q, BASE, BASE + 3 * q, 0,
			  dev->size >> PAGE_SHIFT, dev->order);
	KUNIT_EXPECT_EQ(test, w.nr, 0UL);
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * Run a write with the task's fail-nth set (the mechanism behind
 * /proc/self/task/<tid>/fail-nth): the nth fault-injectable allocation of
 * the call fails.  *@injected tells whether the call made that many.
 */
static ssize_t write_failing_nth(struct scullp_dev *dev, loff_t pos,
				 const void *buf, size_t len, unsigned int nth,
				 bool *injected)
{
	ssize_t ret;

	current->fail_nth = nth;
	ret = write_buf(dev, pos, buf, len);
	*injected = !current->fail_nth;
	current->fail_nth = 0;
	return ret;
}

/*
 * Fail the 1st, 2nd, ... allocation of a write until one runs with no
 * failure.  A write that fails must leave the size, the quanta and the
 * data as they were; one cut short must have written exactly what it
 * says; one whose failure was absorbed (the xarray retries) is whole.
 */
static void scullp_test_failed_allocations(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct scullp_dev *dev = new_dev(test, *order, 2, SCULLP_MAX_SIZE);
	size_t q = scullp_quantum_size(dev), len = 5 * q;
	loff_t pos = q / 2;
	u8 *old = pattern_buf(test, 0, len), *in = test_vzalloc(test, len);
	u8 *out = test_vzalloc(test, 2 * len);
	unsigned int nth, failures = 0;
	bool injected = true;
	ssize_t ret = 0;

	memset(in, 0xab, len);

	for (nth = 1; injected && nth < 256; nth++) {
		/* Each attempt starts from the same device: one full quantum. */
		KUNIT_ASSERT_EQ(test, trim(dev, *order, 2), 0);
		KUNIT_ASSERT_EQ(test, write_buf(dev, 0, old, q), (ssize_t)q);

		ret = write_failing_nth(dev, pos, in, len, nth, &injected);
		if (ret < 0) {
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			KUNIT_EXPECT_EQ(test, dev->size, q);
			KUNIT_EXPECT_EQ(test, dev->nr_quanta, 1);
		} else {
			KUNIT_EXPECT_GT(test, ret, 0);
			KUNIT_EXPECT_EQ(test, dev->size, max_t(loff_t, q, pos + ret));
		}
		failures += ret != (ssize_t)len;

		/* What was there before the write is still there... */
		KUNIT_ASSERT_EQ(test, read_buf(dev, 0, out, pos), (ssize_t)pos);
		KUNIT_EXPECT_EQ(test, memcmp(out, old, pos), 0);
		/* ...and what it says it wrote, it wrote. */
		if (ret > 0) {
			KUNIT_ASSERT_EQ(test, read_buf(dev, pos, out, ret), ret);
			KUNIT_EXPECT_NULL(test, memchr_inv(out, 0xab, ret));
		}
	}
	/* The last attempt ran out of allocations to fail: it is whole. */
	KUNIT_EXPECT_FALSE(test, injected);
	KUNIT_EXPECT_EQ(test, ret, (ssize_t)len);
	/*
	 * A quantum is a page allocation: with fault injection in reach,
	 * some write must have failed or been cut short.
	 */
	KUNIT_EXPECT_GT_MSG(test, nth - 2, 0U,
			    "no allocation failed: set fail_page_alloc and failslab ignore-gfp-wait to N, fail_page_alloc min-order to 0");
	KUNIT_EXPECT_GT_MSG(test, failures, 0U,
			    "no write failed: set fail_page_alloc ignore-gfp-wait to N and min-order to 0");
	kunit_info(test, "%u allocations failed in turn, %u writes cut short",
		   nth - 2, failures);
}
#endif /* CONFIG_FAULT_INJECTION */

#ifdef KMM_HAVE_KUNIT_VM_MMAP
/*
 * Real user memory (kunit_vm_mmap()): a write from a buffer whose second
 * page is unmapped writes the first page and stops; one from an unmapped
 * buffer writes nothing and leaves no quantum behind.
 */
static void scullp_test_user_copy(struct kunit *test)
{
	struct scullp_dev *dev = new_dev(test, 0, 500, SCULLP_MAX_SIZE);
	unsigned long addr;
	struct iov_iter iter;
	ssize_t ret;

	addr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0);
	KUNIT_ASSERT_EQ(test, clear_user((void __user *)addr, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(addr + PAGE_SIZE, PAGE_SIZE), 0);

	iov_iter_ubuf(&iter, ITER_SOURCE, (void __user *)addr, 2 * PAGE_SIZE);
	down_write(&dev->lock);
	ret = scullp_write(dev, 0, &iter);
	up_write(&dev->lock);
	KUNIT_EXPECT_EQ(test, ret, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dev->size, PAGE_SIZE);

	iov_iter_ubuf(&iter, ITER_SOURCE, (void __user *)addr + PAGE_SIZE, 10);
	down_write(&dev->lock);
	ret = scullp_write(dev, 5 * PAGE_SIZE, &iter);
	up_write(&dev->lock);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, dev->size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dev->nr_quanta, 1);

	iov_iter_ubuf(&iter, ITER_DEST, (void __user *)addr, 2 * PAGE_SIZE);
	down_write(&dev->lock);
	ret = scullp_read(dev, 0, &iter);
	up_write(&dev->lock);
	KUNIT_EXPECT_EQ(test, ret, PAGE_SIZE);
}
#endif /* KMM_HAVE_KUNIT_VM_MMAP */

static struct kunit_case scullp_test_cases[] = {
	KUNIT_CASE(scullp_test_valid_params),
	KUNIT_CASE_PARAM(scullp_test_locate, order_gen_params),
	KUNIT_CASE_PARAM(scullp_test_write_read_across, store_order_gen_params),
	KUNIT_CASE(scullp_test_holes_read_as_zeros),
	KUNIT_CASE(scullp_test_read_at_and_past_end),
	KUNIT_CASE(scullp_test_max_size),
	KUNIT_CASE_PARAM(scullp_test_trim, store_order_gen_params),
	KUNIT_CASE(scullp_test_trim_refused_while_mapped),
	KUNIT_CASE_PARAM(scullp_test_page_lookup, store_order_gen_params),
	KUNIT_CASE_PARAM(scullp_test_pmd_span, pmd_gen_params),
	KUNIT_CASE(scullp_test_pmd_quanta),
#ifdef CONFIG_FAULT_INJECTION
	KUNIT_CASE_PARAM(scullp_test_failed_allocations, store_order_gen_params),
#endif
#ifdef KMM_HAVE_KUNIT_VM_MMAP
	KUNIT_CASE(scullp_test_user_copy),
#endif
	{}
};

static struct kunit_suite scullp_test_suite = {
	.name = "scullp",
	.exit = scullp_test_exit,
	.test_cases = scullp_test_cases,
};

kunit_test_suite(scullp_test_suite);

MODULE_DESCRIPTION("KUnit tests for scullp's storage");
MODULE_LICENSE("GPL");
