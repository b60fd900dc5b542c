// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the rules every driver shares (include/kmm_rules.h):
 * the mapping guard that keeps trims and resizes away from held pages,
 * the mmap range check on a table of good and hostile (offset, length)
 * pairs, the read/write clamp of a fixed-size buffer at its edges, the
 * copy loop's steps and errors, and (include/kmm_dma.h) the scatter-gather
 * tables the exporters hand to importing devices.  Sizes are in pages of
 * whatever size the kernel has.
 */

#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>

#include "kmm_compat.h"
#include "kmm_dma.h"
#include "kmm_rules.h"

#define P	PAGE_SIZE

/* A new mapping holds the buffer; so do its copies, until each goes. */
static void kmm_rules_test_guard_holds(struct kunit *test)
{
	struct kmm_guard g;

	kmm_guard_init(&g);
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&g), 0);
	KUNIT_EXPECT_TRUE(test, kmm_guard_tryget(&g));
	KUNIT_EXPECT_TRUE(test, kmm_guard_tryget(&g));
	kmm_guard_get(&g);
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&g), 3);
	kmm_guard_put(&g);
	kmm_guard_put(&g);
	kmm_guard_put(&g);
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&g), 0);
}

/* A held buffer is not frozen, and stays held. */
static void kmm_rules_test_guard_freeze_held(struct kunit *test)
{
	struct kmm_guard g;

	kmm_guard_init(&g);
	KUNIT_ASSERT_TRUE(test, kmm_guard_tryget(&g));
	KUNIT_EXPECT_EQ(test, kmm_guard_freeze(&g), -EBUSY);
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&g), 1);
	KUNIT_EXPECT_TRUE(test, kmm_guard_tryget(&g));
	kmm_guard_put(&g);
	kmm_guard_put(&g);
	KUNIT_EXPECT_EQ(test, kmm_guard_freeze(&g), 0);
}

/* A frozen buffer takes no hold and no second freeze; thawed, it does. */
static void kmm_rules_test_guard_frozen(struct kunit *test)
{
	struct kmm_guard g;

	kmm_guard_init(&g);
	KUNIT_ASSERT_EQ(test, kmm_guard_freeze(&g), 0);
	KUNIT_EXPECT_FALSE(test, kmm_guard_tryget(&g));
	KUNIT_EXPECT_EQ(test, kmm_guard_freeze(&g), -EBUSY);
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&g), 0);
	kmm_guard_thaw(&g);
	KUNIT_EXPECT_TRUE(test, kmm_guard_tryget(&g));
	KUNIT_EXPECT_EQ(test, kmm_guard_holds(&g), 1);
	kmm_guard_put(&g);
}

struct pos_case {
	const char *name;
	unsigned long pgoff;
	bool ok;
	loff_t pos;
};

static const struct pos_case pos_cases[] = {
	{ "page 0", 0, true, 0 },
	{ "page 1", 1, true, P },
	{ "page 1000", 1000, true, 1000 * (loff_t)P },
#if BITS_PER_LONG == 64
	{ "the last page a loff_t reaches", LLONG_MAX >> PAGE_SHIFT, true,
	  LLONG_MAX & PAGE_MASK },
	{ "one page further", (LLONG_MAX >> PAGE_SHIFT) + 1, false, 0 },
	{ "the top bit lost in the shift", 1UL << (BITS_PER_LONG - PAGE_SHIFT),
	  false, 0 },
	{ "the largest page offset", ULONG_MAX, false, 0 },
#endif
};

KUNIT_ARRAY_PARAM_DESC(pos, pos_cases, name);

static void kmm_rules_test_pgoff_to_pos(struct kunit *test)
{
	const struct pos_case *c = test->param_value;
	loff_t pos;
	bool ok = kmm_pgoff_to_pos(c->pgoff, &pos);

	KUNIT_EXPECT_EQ(test, ok, c->ok);
	if (c->ok)
		KUNIT_EXPECT_EQ(test, pos, c->pos);
}

struct range_case {
	const char *name;
	loff_t size;
	unsigned long pgoff;
	unsigned long len;
	int want;
};

static const struct range_case range_cases[] = {
	{ "the whole buffer", 4 * P, 0, 4 * P, 0 },
	{ "its first page", 4 * P, 0, P, 0 },
	{ "its last page", 4 * P, 3, P, 0 },
	{ "from page 1 to the end", 4 * P, 1, 3 * P, 0 },
	{ "pages in the middle", 16 * P, 5, 7 * P, 0 },
	{ "from the middle up to the end", 16 * P, 8, 8 * P, 0 },
	{ "empty", 4 * P, 0, 0, -EINVAL },
	{ "empty, past the end", 4 * P, 5, 0, -EINVAL },
	{ "one page too long", 4 * P, 0, 5 * P, -EINVAL },
	{ "past the end by one page", 4 * P, 1, 4 * P, -EINVAL },
	{ "starting at the end", 4 * P, 4, P, -EINVAL },
	{ "starting well past it", 4 * P, 100, P, -EINVAL },
	{ "crossing the end", 4 * P, 3, 2 * P, -EINVAL },
	{ "an empty buffer", 0, 0, P, -EINVAL },
	{ "a one-byte buffer", 1, 0, P, 0 },
	{ "a partial last page, with the rest", 3 * P + 10, 0, 4 * P, 0 },
	{ "a partial last page alone", 3 * P + 10, 3, P, 0 },
	{ "a page past a partial last page", 3 * P + 10, 0, 5 * P, -EINVAL },
	{ "starting past a partial last page", 3 * P + 10, 4, P, -EINVAL },
	{ "largest length", 4 * P, 0, ULONG_MAX, -EINVAL },
	{ "largest whole-page length", 4 * P, 1, ULONG_MAX & PAGE_MASK, -EINVAL },
	{ "offset + length wraps to 0", 4 * P, 1, ULONG_MAX - P + 1, -EINVAL },
	{ "offset + length wraps to a page", 4 * P, 2, ULONG_MAX - P + 1, -EINVAL },
	{ "largest offset", 4 * P, ULONG_MAX, P, -EINVAL },
	{ "both largest", 4 * P, ULONG_MAX, ULONG_MAX, -EINVAL },
	{ "largest byte offset", 4 * P, ULONG_MAX >> PAGE_SHIFT, P, -EINVAL },
	{ "an offset whose shift overflows", 4 * P, (ULONG_MAX >> PAGE_SHIFT) + 1,
	  P, -EINVAL },
	{ "an offset at the top bit", 4 * P, 1UL << (BITS_PER_LONG - PAGE_SHIFT - 1),
	  2 * P, -EINVAL },
#if BITS_PER_LONG == 64
	{ "a huge offset", 4 * P, 1UL << 40, P, -EINVAL },
	{ "the last page of the largest buffer", LLONG_MAX,
	  LLONG_MAX >> PAGE_SHIFT, P, 0 },
	{ "past the largest buffer", LLONG_MAX, LLONG_MAX >> PAGE_SHIFT, 2 * P,
	  -EINVAL },
	{ "an offset past a loff_t, in the largest buffer", LLONG_MAX,
	  1UL << (BITS_PER_LONG - PAGE_SHIFT - 1), P, -EINVAL },
#endif
};

KUNIT_ARRAY_PARAM_DESC(range, range_cases, name);

static void kmm_rules_test_mmap_range(struct kunit *test)
{
	const struct range_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, kmm_check_mmap_range(c->size, c->pgoff, c->len),
			c->want);
}

struct clamp_case {
	const char *name;
	loff_t pos;
	size_t len;
	loff_t size;
	bool write;
	ssize_t want;
};

static const struct clamp_case clamp_cases[] = {
	{ "read all", 0, 4096, 4096, false, 4096 },
	{ "read one byte", 17, 1, 4096, false, 1 },
	{ "read the last byte", 4095, 1, 4096, false, 1 },
	{ "read short at the end", 4000, 200, 4096, false, 96 },
	{ "read at the end: EOF", 4096, 10, 4096, false, 0 },
	{ "read past the end: EOF", 1 << 20, 10, 4096, false, 0 },
	{ "read at the largest position: EOF", LLONG_MAX, 10, 4096, false, 0 },
	{ "read of nothing", 5, 0, 4096, false, 0 },
	{ "read of an empty buffer", 0, 10, 0, false, 0 },
	{ "read at a negative offset", -1, 10, 4096, false, -EINVAL },
	{ "read of nothing at a negative offset", -1, 0, 4096, false, -EINVAL },
	{ "write all", 0, 2 * P, 2 * P, true, 2 * P },
	{ "write across a page", P - 30, 64, 2 * P, true, 64 },
	{ "write short at the end", 4090, 100, 4096, true, 6 },
	{ "write at the end: ENOSPC", 4096, 1, 4096, true, -ENOSPC },
	{ "write past the end: ENOSPC", 5000, 1, 4096, true, -ENOSPC },
	{ "write at the largest position", LLONG_MAX, 1, 4096, true, -ENOSPC },
	{ "write of nothing at the end", 4096, 0, 4096, true, 0 },
	{ "write of nothing past the end", 5000, 0, 4096, true, 0 },
	{ "write at a negative offset", -1, 1, 4096, true, -EINVAL },
	{ "write on a 4095-byte file", 4094, 8, 4095, true, 1 },
	{ "write at the end of a 4095-byte file", 4095, 8, 4095, true, -ENOSPC },
	{ "huge length", 0, SIZE_MAX, 4096, true, 4096 },
#if BITS_PER_LONG == 64
	{ "huge length, largest buffer", 1, SIZE_MAX, LLONG_MAX, false,
	  LLONG_MAX - 1 },
#endif
};

KUNIT_ARRAY_PARAM_DESC(clamp, clamp_cases, name);

static void kmm_rules_test_rw_clamp(struct kunit *test)
{
	const struct clamp_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, kmm_rw_clamp(c->pos, c->len, c->size, c->write),
			c->want);
}

static struct page *test_page_at(const void *owner, unsigned long i)
{
	return nth_page((struct page *)owner, i);
}

/*
 * 32 contiguous pages for a device that takes 3 pages a segment and has
 * a boundary every 8: each run of 8 goes as 3 + 3 + 2, every page once,
 * in order, no segment longer than 3 pages or across a boundary.  Limits
 * below a page cannot be met: -EINVAL.
 */
static void kmm_rules_test_sgt_limits(struct kunit *test)
{
	const unsigned long boundary = 8 * P - 1;
	struct page *first = alloc_pages(GFP_KERNEL, 5);
	unsigned long next;
	struct scatterlist *sg;
	struct sg_table sgt;
	unsigned int i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_EXPECT_EQ(test, kmm_sgt_from_pages(&sgt, test_page_at, first, 32,
						 0, boundary, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_sgt_from_pages(&sgt, test_page_at, first, 32,
						 P, P / 2, GFP_KERNEL), -EINVAL);
	ret = kmm_sgt_from_pages(&sgt, test_page_at, first, 32, 3 * P, boundary,
				 GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (ret) {
		__free_pages(first, 5);
		return;
	}
	KUNIT_EXPECT_EQ(test, sgt.orig_nents, 12U);
	next = page_to_pfn(first);
	for_each_sgtable_sg(&sgt, sg, i) {
		u64 start = page_to_phys(sg_page(sg));

		KUNIT_EXPECT_EQ(test, page_to_pfn(sg_page(sg)), next);
		KUNIT_EXPECT_LE(test, sg->length, 3 * P);
		KUNIT_EXPECT_EQ(test, start & ~(u64)boundary,
				(start + sg->length - 1) & ~(u64)boundary);
		next += sg->length >> PAGE_SHIFT;
	}
	KUNIT_EXPECT_EQ(test, next, page_to_pfn(first) + 32);
	sg_free_table(&sgt);
	__free_pages(first, 5);
}

/*
 * kmm_dma_max_segment(): the device's own limit rounded down to whole
 * pages, 0 below a page (a table of pages cannot serve it), and never
 * more than the DMA API maps in one piece.
 */
static void kmm_rules_test_max_segment(struct kunit *test)
{
	struct device_dma_parameters parms = { .max_segment_size = 5 * P + 1 };
	u64 mask = DMA_BIT_MASK(64);
	struct device dev = { .dma_parms = &parms, .dma_mask = &mask };

	KUNIT_EXPECT_EQ(test, kmm_dma_max_segment(&dev),
			min_t(size_t, 5 * P, dma_max_mapping_size(&dev) & PAGE_MASK));
	parms.max_segment_size = P - 1;
	KUNIT_EXPECT_EQ(test, kmm_dma_max_segment(&dev), 0U);
	parms.max_segment_size = UINT_MAX;
	KUNIT_EXPECT_EQ(test, kmm_dma_max_segment(&dev),
			min_t(size_t, UINT_MAX & PAGE_MASK,
			      dma_max_mapping_size(&dev) & PAGE_MASK));
}

/*
 * kmm_copy_iter() over a fake device of 64 bytes whose step copies at most
 * @chunk bytes, and at step @fail_at (1 the first) returns @err instead.
 */
struct copy_case {
	const char *name;
	size_t len;
	size_t chunk;
	int fail_at;
	ssize_t err;
	ssize_t want;
	int steps;
};

static const struct copy_case copy_cases[] = {
	{ "all of it, in steps", 64, 10, 0, 0, 64, 7 },
	{ "short at the end of the data", 100, 30, 0, 0, 64, 4 },
	{ "an error before any byte", 64, 10, 1, -ERESTARTSYS, -ERESTARTSYS, 1 },
	{ "an error after some bytes", 64, 10, 3, -EIO, 20, 3 },
	{ "the step ends it after some bytes", 64, 10, 2, 0, 10, 2 },
	{ "a fault on kernel memory: no retry", 64, 10, 1, -EFAULT, -EFAULT, 1 },
	{ "nothing asked: no step", 0, 10, 0, 0, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(copy, copy_cases, name);

struct copy_fake {
	struct kiocb iocb;
	struct kunit *test;
	const struct copy_case *c;
	char data[64];
	int steps;
};

static ssize_t copy_fake_step(struct kmm_copy *k)
{
	struct copy_fake *f = container_of(k->iocb, struct copy_fake, iocb);
	loff_t pos = k->iocb->ki_pos;
	size_t n;

	/* What the steps before copied, and the note the last one left. */
	KUNIT_EXPECT_EQ(f->test, k->done, (ssize_t)pos);
	KUNIT_EXPECT_EQ(f->test, k->seq, (unsigned long)f->steps);
	k->seq = ++f->steps;
	if (f->steps == f->c->fail_at)
		return f->c->err;
	n = min_t(size_t, f->c->chunk, sizeof(f->data) - pos);
	return copy_to_iter(f->data + pos, n, k->iter);
}

static void kmm_rules_test_copy_iter(struct kunit *test)
{
	const struct copy_case *c = test->param_value;
	struct copy_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	char *out = kunit_kzalloc(test, c->len + 1, GFP_KERNEL);
	struct kvec kv = { .iov_base = out, .iov_len = c->len };
	struct iov_iter to;
	ssize_t ret;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, out);
	f->test = test;
	f->c = c;
	for (i = 0; i < sizeof(f->data); i++)
		f->data[i] = i + 1;
	iov_iter_kvec(&to, ITER_DEST, &kv, 1, c->len);

	ret = kmm_copy_iter(&f->iocb, &to, false, copy_fake_step);
	KUNIT_EXPECT_EQ(test, ret, c->want);
	KUNIT_EXPECT_EQ(test, f->steps, c->steps);
	KUNIT_EXPECT_EQ(test, f->iocb.ki_pos, (loff_t)max_t(ssize_t, ret, 0));
	if (ret > 0)
		KUNIT_EXPECT_EQ(test, memcmp(out, f->data, ret), 0);
	/* Not a byte more. */
	KUNIT_EXPECT_NULL(test, memchr_inv(out + max_t(ssize_t, ret, 0), 0,
					   c->len - max_t(ssize_t, ret, 0)));
}

static struct kunit_case kmm_rules_test_cases[] = {
	KUNIT_CASE(kmm_rules_test_guard_holds),
	KUNIT_CASE(kmm_rules_test_guard_freeze_held),
	KUNIT_CASE(kmm_rules_test_guard_frozen),
	KUNIT_CASE_PARAM(kmm_rules_test_pgoff_to_pos, pos_gen_params),
	KUNIT_CASE_PARAM(kmm_rules_test_mmap_range, range_gen_params),
	KUNIT_CASE_PARAM(kmm_rules_test_rw_clamp, clamp_gen_params),
	KUNIT_CASE_PARAM(kmm_rules_test_copy_iter, copy_gen_params),
	KUNIT_CASE(kmm_rules_test_sgt_limits),
	KUNIT_CASE(kmm_rules_test_max_segment),
	{}
};

static struct kunit_suite kmm_rules_test_suite = {
	.name = "kmm_rules",
	.test_cases = kmm_rules_test_cases,
};

kunit_test_suite(kmm_rules_test_suite);

MODULE_DESCRIPTION("KUnit tests for the rules the drivers share");
MODULE_LICENSE("GPL");
