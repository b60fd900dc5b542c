// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo_trace: the dma_demo tracepoints seen through tracefs.  A read
 * or write gives dma_demo_xfer_start, then dma_demo_xfer_irq (EDU_IRQ_DMA)
 * for each DMA, then dma_demo_xfer_complete, with the direction, bytes,
 * strategy, result, and "bounced" as the sysfs counter says; a transfer
 * into a dma-buf of dma_demo's own gives dma_demo_dmabuf_attach, _map and
 * _unmap.  Needs dma_demo.ko loaded; runs as root.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "tracefs.h"
#include "uapi/dma_demo.h"

#define DEV	"/dev/dma_demo0"
#define SYSFS	"/sys/class/misc/dma_demo0"
#define EDU_IRQ_DMA	0x100
#define LEN	1000

static long page_size;

static void __attribute__((constructor)) init_page_size(void)
{
	page_size = sysconf(_SC_PAGESIZE);
}

FIXTURE(xfer) {
	int fd;
	char *buf;
	char *trace;
};

FIXTURE_SETUP(xfer)
{
	self->trace = NULL;
	self->buf = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
	memset(self->buf, 0x5a, 2 * page_size);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	ASSERT_EQ(0, tracefs_enable("dma_demo"))
		TH_LOG("tracefs at " TRACEFS ": %s", strerror(errno));
}

FIXTURE_TEARDOWN(xfer)
{
	tracefs_enable(NULL);
	free(self->trace);
	close(self->fd);
	munmap(self->buf, 2 * page_size);
}

/*
 * One read or write of LEN bytes at @pos in @strategy, then its events:
 * start, at least one DMA interrupt, complete, with the right fields.
 */
static void one_xfer(struct __test_metadata *_metadata,
		     FIXTURE_DATA(xfer) *self, unsigned int strategy,
		     bool write, off_t pos, const char *strategy_name)
{
	const char *dir = write ? "to_device" : "from_device";
	long long bounced0 = read_number(SYSFS "/bounced");
	char line[512], word[32];
	ssize_t n;
	int i;

	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &strategy));
	/* Across a page boundary: the direct strategy pins two pages. */
	n = write ? pwrite(self->fd, self->buf + page_size - 100, LEN, pos) :
		    pread(self->fd, self->buf + page_size - 100, LEN, pos);
	ASSERT_EQ(LEN, n);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);

	ASSERT_EQ(1, trace_count(self->trace, "dma_demo_xfer_start"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "dma_demo_xfer_start", 0, line,
				sizeof(line)));
	EXPECT_EQ(LEN, trace_field(line, "bytes")) TH_LOG("%s", line);
	EXPECT_EQ(pos, trace_field(line, "pos")) TH_LOG("%s", line);
	EXPECT_STREQ(dir, trace_word(line, "dir", word, sizeof(word)));
	EXPECT_STREQ(strategy_name,
		     trace_word(line, "strategy", word, sizeof(word)));

	ASSERT_LE(1, trace_count(self->trace, "dma_demo_xfer_irq"))
		TH_LOG("no interrupt traced:\n%s", self->trace);
	for (i = 0; trace_event(self->trace, "dma_demo_xfer_irq", i, line,
				sizeof(line)); i++)
		EXPECT_EQ(EDU_IRQ_DMA, trace_field(line, "status") & EDU_IRQ_DMA)
			TH_LOG("%s", line);

	ASSERT_EQ(1, trace_count(self->trace, "dma_demo_xfer_complete"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "dma_demo_xfer_complete", 0,
				line, sizeof(line)));
	EXPECT_EQ(LEN, trace_field(line, "ret")) TH_LOG("%s", line);
	EXPECT_STREQ(dir, trace_word(line, "dir", word, sizeof(word)));
	EXPECT_STREQ(strategy_name,
		     trace_word(line, "strategy", word, sizeof(word)));
	EXPECT_EQ(read_number(SYSFS "/bounced") != bounced0,
		  trace_field(line, "bounced")) TH_LOG("%s", line);
	/* Start, then the interrupts, then the end. */
	EXPECT_LT(strstr(self->trace, "dma_demo_xfer_start:"),
		  strstr(self->trace, "dma_demo_xfer_irq:"));
	EXPECT_LT(strstr(self->trace, "dma_demo_xfer_irq:"),
		  strstr(self->trace, "dma_demo_xfer_complete:"));
}

TEST_F(xfer, read_coherent)
{
	one_xfer(_metadata, self, DMA_DEMO_COHERENT, false, 0, "coherent");
}

TEST_F(xfer, write_streaming)
{
	one_xfer(_metadata, self, DMA_DEMO_STREAMING, true, 96, "streaming");
}

TEST_F(xfer, read_direct)
{
	one_xfer(_metadata, self, DMA_DEMO_DIRECT, false, 3000, "direct");
}

/*
 * A transfer into a dma-buf: where imports are mapped for the engine
 * (dmabuf_direct 1, behind an IOMMU), the exporter's attach, map and
 * unmap; where they bounce, none of them.
 */
TEST_F(xfer, dmabuf_attach_map_unmap)
{
	struct dma_demo_alloc alloc = { .size = 3 * page_size,
					.flags = O_RDWR | O_CLOEXEC };
	struct dma_demo_dmabuf_xfer x = { .dir = DMA_DEMO_FROM_DEVICE,
					  .len = LEN };
	char line[512], word[32];

	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_ALLOC_DMABUF, &alloc));
	x.fd = alloc.fd;
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_DMABUF_XFER, &x))
		TH_LOG("DMABUF_XFER: %s", strerror(errno));
	close(alloc.fd);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	EXPECT_LE(1, trace_count(self->trace, "dma_demo_xfer_irq"));
	if (read_number(SYSFS "/dmabuf_direct") != 1) {
		/* Bounced through the driver's buffer: nothing attaches. */
		EXPECT_EQ(0, trace_count(self->trace, "dma_demo_dmabuf_attach"))
			TH_LOG("trace:\n%s", self->trace);
		EXPECT_EQ(0, trace_count(self->trace, "dma_demo_dmabuf_map"));
		return;
	}

	ASSERT_EQ(1, trace_count(self->trace, "dma_demo_dmabuf_attach"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "dma_demo_dmabuf_attach", 0,
				line, sizeof(line)));
	EXPECT_EQ(3 * page_size, trace_field(line, "size")) TH_LOG("%s", line);
	EXPECT_LE(1, trace_field(line, "orig_nents")) TH_LOG("%s", line);
	EXPECT_STREQ("none", trace_word(line, "dir", word, sizeof(word)));

	ASSERT_EQ(1, trace_count(self->trace, "dma_demo_dmabuf_map"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "dma_demo_dmabuf_map", 0,
				line, sizeof(line)));
	EXPECT_EQ(0, trace_field(line, "ret")) TH_LOG("%s", line);
	EXPECT_LE(1, trace_field(line, "nents")) TH_LOG("%s", line);
	EXPECT_STREQ("from_device", trace_word(line, "dir", word, sizeof(word)));

	ASSERT_EQ(1, trace_count(self->trace, "dma_demo_dmabuf_unmap"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "dma_demo_dmabuf_unmap", 0,
				line, sizeof(line)));
	EXPECT_STREQ("from_device", trace_word(line, "dir", word, sizeof(word)));
	EXPECT_LT(strstr(self->trace, "dma_demo_dmabuf_attach:"),
		  strstr(self->trace, "dma_demo_dmabuf_map:"));
	EXPECT_LT(strstr(self->trace, "dma_demo_dmabuf_map:"),
		  strstr(self->trace, "dma_demo_dmabuf_unmap:"));
}

/* With the events off, nothing is traced: the probe sees only what fired. */
TEST_F(xfer, nothing_when_disabled)
{
	ASSERT_EQ(0, tracefs_enable(NULL));
	ASSERT_EQ(0, tracefs_write("tracing_on", "1"));
	ASSERT_EQ(LEN, pread(self->fd, self->buf, LEN, 0));
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	EXPECT_EQ(0, trace_count(self->trace, "dma_demo_xfer_start"));
}

TEST_HARNESS_MAIN
