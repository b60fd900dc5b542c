// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for dma_demo: the argument checks and the split of a user
 * range into DMA segments, on tables; and, when an edu device is bound,
 * a round trip through the driver's kernel interface, and a transfer that
 * a stray DMA-done interrupt must not end early.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../dma_demo/dma_demo.h"

/* dma_demo_clamp() */
struct clamp_case {
	const char *name;
	loff_t pos;
	size_t len;
	size_t size;
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
	{ "read of nothing", 5, 0, 4096, false, 0 },
	{ "read at a negative offset", -1, 10, 4096, false, -EINVAL },
	{ "write short at the end", 4090, 100, 4096, true, 6 },
	{ "write at the end: ENOSPC", 4096, 1, 4096, true, -ENOSPC },
	{ "write past the end: ENOSPC", 5000, 1, 4096, true, -ENOSPC },
	{ "write of nothing at the end", 4096, 0, 4096, true, 0 },
	{ "write on a 4095-byte file", 4094, 8, 4095, true, 1 },
	{ "write at the end of a 4095-byte file", 4095, 8, 4095, true, -ENOSPC },
	{ "huge length", 0, SIZE_MAX, 4096, true, 4096 },
};

static void clamp_desc(const struct clamp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(clamp, clamp_cases, clamp_desc);

static void dma_demo_test_clamp(struct kunit *test)
{
	const struct clamp_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->want,
			dma_demo_clamp(c->pos, c->len, c->size, c->write));
}

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

#define P PAGE_SIZE

static const struct split_case split_cases[] = {
	{ "one byte", 0x10000, 1, 4096, 4, 1, { { 0, 0, 1 } } },
	{ "an aligned page", 0x10000, P, 4096, 4, 1, { { 0, 0, P } } },
	{ "the last byte of a page", 0x10000 + P - 1, 1, 4096, 4, 1,
	  { { 0, P - 1, 1 } } },
	{ "two bytes across a page boundary", 0x10000 + P - 1, 2, 4096, 4, 2,
	  { { 0, P - 1, 1 }, { 1, 0, 1 } } },
	{ "a page's length, unaligned", 0x10003, P, 4096, 4, 2,
	  { { 0, 3, P - 3 }, { 1, 0, 3 } } },
	{ "three pages, unaligned", 0x10000 + 100, 2 * P, 4096, 4, 3,
	  { { 0, 100, P - 100 }, { 1, 0, P }, { 2, 0, 100 } } },
	{ "segments shorter than a page", 0x10000, 2500, 1000, 4, 3,
	  { { 0, 0, 1000 }, { 0, 1000, 1000 }, { 0, 2000, 500 } } },
	{ "nothing", 0x10000, 0, 4096, 4, 0, { } },
	{ "too many segments", 0x10000 + 1, 2 * P, 4096, 2, -E2BIG, { } },
	{ "a range that wraps", ULONG_MAX - 10, 100, 4096, 4, -EINVAL, { } },
	{ "segments of 0 bytes", 0x10000, 10, 0, 4, -EINVAL, { } },
};

static void split_desc(const struct split_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(split, split_cases, split_desc);

static void dma_demo_test_split(struct kunit *test)
{
	const struct split_case *c = test->param_value;
	struct dma_demo_seg segs[4];
	size_t total = 0;
	int n, i;

	memset(segs, 0xff, sizeof(segs));
	n = dma_demo_split(c->uaddr, c->len, c->max_seg, segs, c->max_segs);
	KUNIT_ASSERT_EQ(test, c->want, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, c->segs[i].page, segs[i].page, "seg %d", i);
		KUNIT_EXPECT_EQ_MSG(test, c->segs[i].offset, segs[i].offset, "seg %d", i);
		KUNIT_EXPECT_EQ_MSG(test, c->segs[i].len, segs[i].len, "seg %d", i);
		/* The invariants, whatever the table says. */
		KUNIT_EXPECT_LE(test, segs[i].offset + segs[i].len, PAGE_SIZE);
		KUNIT_EXPECT_LE(test, segs[i].len, c->max_seg);
		total += segs[i].len;
	}
	if (n >= 0)
		KUNIT_EXPECT_EQ(test, c->len, total);
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
	{ "device range past the end",
	  { DMA_DEMO_TO_DEVICE, 0, 4000, 0, 97 }, 4096, -EINVAL },
	{ "buffer range past the end",
	  { DMA_DEMO_TO_DEVICE, 0, 0, 4000, 97 }, 4096, -EINVAL },
	{ "an offset that would wrap",
	  { DMA_DEMO_TO_DEVICE, 0, ~0ULL - 10, 0, 20 }, 4096, -EINVAL },
	{ "unknown direction", { 2, 0, 0, 0, 16 }, 4096, -EINVAL },
	{ "a flag", { DMA_DEMO_TO_DEVICE, 1, 0, 0, 16 }, 4096, -EINVAL },
};

static void xfer_desc(const struct xfer_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xfer, xfer_cases, xfer_desc);

static void dma_demo_test_check_xfer(struct kunit *test)
{
	const struct xfer_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->want, dma_demo_check_xfer(&c->x, c->size));
}

/* A round trip through a bound device, if there is one. */
static void dma_demo_test_device_round_trip(struct kunit *test)
{
	struct dma_demo_dev *dev = dma_demo_get(0);
	u8 *in, *out;
	int i;

	if (!dev)
		kunit_skip(test, "no edu device bound to dma_demo");

	in = kunit_kmalloc(test, 300, GFP_KERNEL);
	out = kunit_kzalloc(test, 300, GFP_KERNEL);
	if (!in || !out) {
		dma_demo_put(dev);
		KUNIT_FAIL(test, "no memory");
		return;
	}
	for (i = 0; i < 300; i++)
		in[i] = i * 7 + 1;

	KUNIT_EXPECT_EQ(test, 300, dma_demo_kernel_io(dev, in, 300, 123, true));
	KUNIT_EXPECT_EQ(test, 300, dma_demo_kernel_io(dev, out, 300, 123, false));
	KUNIT_EXPECT_EQ(test, 0, memcmp(in, out, 300));
	/* Short at the end, EOF and ENOSPC past it. */
	KUNIT_EXPECT_EQ(test, 1, dma_demo_kernel_io(dev, in, 300, dev->size - 1, true));
	KUNIT_EXPECT_EQ(test, 1, dma_demo_kernel_io(dev, out, 300, dev->size - 1, false));
	KUNIT_EXPECT_EQ(test, in[0], out[0]);
	KUNIT_EXPECT_EQ(test, 0, dma_demo_kernel_io(dev, out, 1, dev->size, false));
	KUNIT_EXPECT_EQ(test, -ENOSPC, dma_demo_kernel_io(dev, in, 1, dev->size, true));
	KUNIT_EXPECT_GE(test, atomic64_read(&dev->transfers), 4);
	dma_demo_put(dev);
}

/*
 * A DMA-done interrupt that belongs to no transfer, as the late interrupt
 * of a transfer that timed out would be: raised by hand (the edu device's
 * IRQ_RAISE register) while the engine runs the next transfer.
 */
struct stray_irq {
	struct work_struct work;
	struct dma_demo_dev *dev;
	bool raised;
};

static void stray_irq_raise(struct work_struct *work)
{
	struct stray_irq *s = container_of(work, struct stray_irq, work);
	unsigned long end = jiffies + 2 * HZ;

	while (!(ioread32(s->dev->mmio + EDU_REG_DMA_CMD) & EDU_DMA_RUN)) {
		if (time_after(jiffies, end))
			return;
		usleep_range(50, 100);
	}
	iowrite32(EDU_IRQ_DMA, s->dev->mmio + EDU_REG_IRQ_RAISE);
	s->raised = true;
}

/* The read still gets the device's bytes: it waited for its own end. */
static void dma_demo_test_stray_irq(struct kunit *test)
{
	struct dma_demo_dev *dev = dma_demo_get(0);
	struct stray_irq s = { .dev = dev };
	s64 irqs;
	u8 *in, *out;
	ssize_t ret;
	int i;

	if (!dev)
		kunit_skip(test, "no edu device bound to dma_demo");
	in = kunit_kmalloc(test, 256, GFP_KERNEL);
	out = kunit_kzalloc(test, 256, GFP_KERNEL);
	if (!in || !out) {
		dma_demo_put(dev);
		KUNIT_FAIL(test, "no memory");
		return;
	}
	for (i = 0; i < 256; i++)
		in[i] = i * 13 + 5;
	ret = dma_demo_kernel_io(dev, in, 256, 500, true);
	/*
	 * Then other bytes elsewhere, so that no buffer the read may go
	 * through (the coherent bounce buffer, with swiotlb) holds @in.
	 */
	if (ret == 256) {
		memset(out, 0xa5, 256);
		ret = dma_demo_kernel_io(dev, out, 256, 1500, true);
		memset(out, 0, 256);
	}
	if (ret != 256) {
		dma_demo_put(dev);
		KUNIT_FAIL(test, "write: %zd", ret);
		return;
	}

	irqs = atomic64_read(&dev->interrupts);
	INIT_WORK_ONSTACK(&s.work, stray_irq_raise);
	schedule_work(&s.work);
	ret = dma_demo_kernel_io(dev, out, 256, 500, false);
	flush_work(&s.work);
	destroy_work_on_stack(&s.work);

	KUNIT_EXPECT_TRUE_MSG(test, s.raised, "the engine never seemed to run");
	KUNIT_EXPECT_EQ(test, 256, ret);
	KUNIT_EXPECT_EQ_MSG(test, 0, memcmp(in, out, 256),
			    "the read ended before its DMA did");
	KUNIT_EXPECT_GE(test, atomic64_read(&dev->interrupts), irqs + 2);
	dma_demo_put(dev);
}

static struct kunit_case dma_demo_cases[] = {
	KUNIT_CASE_PARAM(dma_demo_test_clamp, clamp_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_split, split_gen_params),
	KUNIT_CASE_PARAM(dma_demo_test_check_xfer, xfer_gen_params),
	KUNIT_CASE(dma_demo_test_device_round_trip),
	KUNIT_CASE(dma_demo_test_stray_irq),
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
