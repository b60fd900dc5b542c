// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo_trace: the dma_demo tracepoints seen through tracefs, each case
 * in a private instance (tracefs.h).  A read or write gives
 * dma_demo_xfer_start, a dma_demo_xfer_irq (EDU_IRQ_DMA) per DMA, then
 * dma_demo_xfer_complete, with the fields docs/tracing.md lists; a
 * transfer into a dma-buf of dma_demo's, or of vmalloc_demo's (loaded
 * from next to the probes), gives the exporter's attach, map, unmap and
 * detach where imports are mapped for the engine.
 * Needs dma_demo.ko loaded; runs as root.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "tracefs.h"
#include "uapi/dma_demo.h"
#include "uapi/vmalloc_demo.h"

#define DEV	"/dev/dma_demo0"
#define SYSFS	"/sys/class/misc/dma_demo0"
#define VMD	"/dev/vmalloc_demo"
#define EDU_IRQ_DMA	0x100
#define LEN	1000
#define DEV_ID	0	/* the N of DEV */
#define XFER_FIELDS	"id dir strategy"
#define DMABUF_FIELDS	"size orig_nents nents dir ret"

/* Does the kernel's command line hold @word (a whole word)? */
static bool cmdline_has(const char *word)
{
	char line[4096], *p;
	size_t n = strlen(word);
	FILE *f = fopen("/proc/cmdline", "r");
	bool found = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f))
		for (p = line; !found && (p = strstr(p, word)); p += n)
			found = (p == line || p[-1] == ' ') &&
				(p[n] == ' ' || p[n] == '\n' || !p[n]);
	fclose(f);
	return found;
}

static const char *const dma_demo_dmabuf_events[] = {
	"dma_demo_dmabuf_attach", "dma_demo_dmabuf_map",
	"dma_demo_dmabuf_unmap", "dma_demo_dmabuf_detach",
};

static const char *const vmalloc_demo_dmabuf_events[] = {
	"vmalloc_demo_dmabuf_attach", "vmalloc_demo_dmabuf_map",
	"vmalloc_demo_dmabuf_unmap", "vmalloc_demo_dmabuf_detach",
};

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
	assert_tracing(_metadata, "dma_demo");
}

FIXTURE_TEARDOWN(xfer)
{
	EXPECT_EQ(0, tracefs_release()) TH_LOG("rmdir instance: %s", strerror(errno));
	free(self->trace);
	close(self->fd);
	munmap(self->buf, 2 * page_size);
}

/*
 * The events of the one transfer in self->trace: start, at least one DMA
 * interrupt, complete, with the right fields; @bounced0: the sysfs
 * counter before it.  The pieces bounced are none for coherent or behind
 * an IOMMU (kmm.iommu), some for the others under swiotlb=force (the
 * plan's command line), else as many as the sysfs counter moved.
 */
static void check_xfer(struct __test_metadata *_metadata,
		       FIXTURE_DATA(xfer) *self, bool write, off_t pos,
		       const char *strategy_name, long long bounced0)
{
	const char *dir = write ? "to_device" : "from_device";
	long long bounced;
	char line[512], word[32];
	int i;

	assert_first_event(_metadata, self->trace, 1, "dma_demo_xfer_start",
			   XFER_FIELDS " pos bytes", line, sizeof(line));
	EXPECT_EQ(DEV_ID, trace_field(line, "id")) TH_LOG("%s", line);
	EXPECT_EQ(LEN, trace_field(line, "bytes")) TH_LOG("%s", line);
	EXPECT_EQ(pos, trace_field(line, "pos")) TH_LOG("%s", line);
	EXPECT_STREQ(dir, trace_word(line, "dir", word, sizeof(word)));
	EXPECT_STREQ(strategy_name,
		     trace_word(line, "strategy", word, sizeof(word)));

	ASSERT_LE(1, trace_count(self->trace, "dma_demo_xfer_irq"))
		TH_LOG("no interrupt traced:\n%s", self->trace);
	for (i = 0; trace_event(self->trace, "dma_demo_xfer_irq", i, line,
				sizeof(line)); i++) {
		EXPECT_STREQ("", trace_missing(line, "id status"))
			TH_LOG("%s", line);
		EXPECT_EQ(DEV_ID, trace_field(line, "id")) TH_LOG("%s", line);
		EXPECT_EQ(EDU_IRQ_DMA, trace_field(line, "status") & EDU_IRQ_DMA)
			TH_LOG("%s", line);
	}

	assert_first_event(_metadata, self->trace, 1, "dma_demo_xfer_complete",
			   XFER_FIELDS " bounced ret", line, sizeof(line));
	EXPECT_EQ(LEN, trace_field(line, "ret")) TH_LOG("%s", line);
	EXPECT_EQ(DEV_ID, trace_field(line, "id")) TH_LOG("%s", line);
	EXPECT_STREQ(dir, trace_word(line, "dir", word, sizeof(word)));
	EXPECT_STREQ(strategy_name,
		     trace_word(line, "strategy", word, sizeof(word)));
	/* The probe runs alone: the device's counter moved by ours only. */
	bounced = trace_field(line, "bounced");
	EXPECT_EQ(read_number(SYSFS "/bounced") - bounced0, bounced)
		TH_LOG("%s", line);
	if (!strcmp(strategy_name, "coherent") || cmdline_has("kmm.iommu")) {
		EXPECT_EQ(0, bounced) TH_LOG("%s", line);
	} else if (cmdline_has("swiotlb=force")) {
		EXPECT_LT(0, bounced) TH_LOG("%s", line);
	}
	/* Start, then the interrupts, then the end. */
	EXPECT_LT(strstr(self->trace, "dma_demo_xfer_start:"),
		  strstr(self->trace, "dma_demo_xfer_irq:"));
	EXPECT_LT(strstr(self->trace, "dma_demo_xfer_irq:"),
		  strstr(self->trace, "dma_demo_xfer_complete:"));
}

/* One read or write of LEN bytes at @pos in @strategy, then its events. */
static void one_xfer(struct __test_metadata *_metadata,
		     FIXTURE_DATA(xfer) *self, unsigned int strategy,
		     bool write, off_t pos, const char *strategy_name)
{
	long long bounced0 = read_number(SYSFS "/bounced");
	ssize_t n;

	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &strategy));
	/* Across a page boundary: the direct strategy pins two pages. */
	n = write ? pwrite(self->fd, self->buf + page_size - 100, LEN, pos) :
		    pread(self->fd, self->buf + page_size - 100, LEN, pos);
	ASSERT_EQ(LEN, n);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	check_xfer(_metadata, self, write, pos, strategy_name, bounced0);
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

TEST_F(xfer, write_coherent)
{
	one_xfer(_metadata, self, DMA_DEMO_COHERENT, true, 7, "coherent");
}

/*
 * sendfile() writes from a pipe's pages, a kernel iterator: the direct
 * strategy has no user pages to pin and runs streaming, as traced.
 */
TEST_F(xfer, direct_on_kernel_pages_runs_streaming)
{
	unsigned int strategy = DMA_DEMO_DIRECT;
	long long bounced0 = read_number(SYSFS "/bounced");
	int mfd = memfd_create("dma_demo_trace", 0);
	off_t from = 0;

	ASSERT_LE(0, mfd);
	ASSERT_EQ(LEN, write(mfd, self->buf, LEN));
	ASSERT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_SET_STRATEGY, &strategy));
	ASSERT_EQ(0, tracefs_enable("dma_demo"));
	ASSERT_EQ(64, lseek(self->fd, 64, SEEK_SET));
	ASSERT_EQ(LEN, sendfile(self->fd, mfd, &from, LEN))
		TH_LOG("sendfile: %s", strerror(errno));
	close(mfd);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	check_xfer(_metadata, self, true, 64, "streaming", bounced0);
}

/*
 * A transfer into a dma-buf: where imports are mapped for the engine
 * (dmabuf_direct 1, behind an IOMMU), the exporter's attach, map, unmap
 * and detach; where they bounce, none of them.
 */
TEST_F(xfer, dmabuf_attach_map_unmap)
{
	struct dma_demo_alloc alloc = { .size = 3 * page_size,
					.flags = O_RDWR | O_CLOEXEC };
	struct dma_demo_dmabuf_xfer x = { .dir = DMA_DEMO_FROM_DEVICE,
					  .len = LEN };
	char line[512], word[32];
	const char *ev;
	int i;

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
		for (i = 0; i < 4; i++) {
			ev = dma_demo_dmabuf_events[i];
			EXPECT_TRUE(tracefs_event_exists("dma_demo", ev))
				TH_LOG("no events/dma_demo/%s", ev);
			EXPECT_EQ(0, trace_count(self->trace, ev))
				TH_LOG("trace:\n%s", self->trace);
		}
		return;
	}

	assert_first_event(_metadata, self->trace, 1, "dma_demo_dmabuf_attach",
			   DMABUF_FIELDS, line, sizeof(line));
	EXPECT_EQ(3 * page_size, trace_field(line, "size")) TH_LOG("%s", line);
	EXPECT_LE(1, trace_field(line, "orig_nents")) TH_LOG("%s", line);
	EXPECT_STREQ("none", trace_word(line, "dir", word, sizeof(word)));

	assert_first_event(_metadata, self->trace, 1, "dma_demo_dmabuf_map",
			   DMABUF_FIELDS, line, sizeof(line));
	EXPECT_EQ(0, trace_field(line, "ret")) TH_LOG("%s", line);
	EXPECT_LE(1, trace_field(line, "nents")) TH_LOG("%s", line);
	EXPECT_STREQ("from_device", trace_word(line, "dir", word, sizeof(word)));

	assert_first_event(_metadata, self->trace, 1, "dma_demo_dmabuf_unmap",
			   DMABUF_FIELDS, line, sizeof(line));
	EXPECT_STREQ("from_device", trace_word(line, "dir", word, sizeof(word)));
	EXPECT_LT(strstr(self->trace, "dma_demo_dmabuf_attach:"),
		  strstr(self->trace, "dma_demo_dmabuf_map:"));
	EXPECT_LT(strstr(self->trace, "dma_demo_dmabuf_map:"),
		  strstr(self->trace, "dma_demo_dmabuf_unmap:"));

	/* The import ends with the transfer: the attachment goes. */
	assert_first_event(_metadata, self->trace, 1, "dma_demo_dmabuf_detach",
			   DMABUF_FIELDS, line, sizeof(line));
	EXPECT_EQ(3 * page_size, trace_field(line, "size")) TH_LOG("%s", line);
	EXPECT_STREQ("none", trace_word(line, "dir", word, sizeof(word)));
	EXPECT_LT(strstr(self->trace, "dma_demo_dmabuf_unmap:"),
		  strstr(self->trace, "dma_demo_dmabuf_detach:"));
}

/*
 * vmalloc_demo's export imported by dma_demo: where imports are mapped
 * for the engine, vmalloc_demo's attach, map (its table's entries, as
 * mapped), unmap and detach, in order; where they bounce, none of them.
 */
TEST_F(xfer, vmalloc_demo_export_attach_map_unmap)
{
	struct vmalloc_demo_export e = { .flags = O_RDWR | O_CLOEXEC, .fd = -1 };
	struct dma_demo_dmabuf_xfer x = { .dir = DMA_DEMO_FROM_DEVICE,
					  .len = LEN, .buf_offset = 5 };
	int loaded = load_module_near("vmalloc_demo", VMD), vfd;
	char line[512], word[32];
	const char *ev;
	bool exists[4];
	int i;

	ASSERT_LE(0, loaded) TH_LOG("vmalloc_demo is not loaded, and there is no vmalloc_demo.ko to load");
	vfd = open(VMD, O_RDWR);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, ioctl(vfd, VMALLOC_DEMO_IOCEXPORT, &e))
		TH_LOG("VMALLOC_DEMO_IOCEXPORT: %s", strerror(errno));
	ASSERT_EQ(0, tracefs_enable("dma_demo vmalloc_demo"));
	x.fd = e.fd;
	EXPECT_EQ(0, ioctl(self->fd, DMA_DEMO_IOC_DMABUF_XFER, &x))
		TH_LOG("DMABUF_XFER: %s", strerror(errno));
	self->trace = tracefs_read();
	/* Before the rmmod below takes vmalloc_demo's events away. */
	for (i = 0; i < 4; i++)
		exists[i] = tracefs_event_exists("vmalloc_demo",
						 vmalloc_demo_dmabuf_events[i]);
	close(e.fd);
	close(vfd);
	if (loaded)
		EXPECT_EQ(0, syscall(SYS_delete_module, "vmalloc_demo", O_NONBLOCK))
			TH_LOG("rmmod vmalloc_demo: %s", strerror(errno));
	ASSERT_NE(NULL, self->trace);
	EXPECT_LE(1, trace_count(self->trace, "dma_demo_xfer_irq"));
	if (read_number(SYSFS "/dmabuf_direct") != 1) {
		for (i = 0; i < 4; i++) {
			ev = vmalloc_demo_dmabuf_events[i];
			EXPECT_TRUE(exists[i]) TH_LOG("no events/vmalloc_demo/%s", ev);
			EXPECT_EQ(0, trace_count(self->trace, ev))
				TH_LOG("trace:\n%s", self->trace);
		}
		return;
	}
	for (i = 0; i < 4; i++) {
		ev = vmalloc_demo_dmabuf_events[i];
		ASSERT_EQ(1, trace_count(self->trace, ev))
			TH_LOG("%s:\n%s", ev, self->trace);
		ASSERT_TRUE(trace_event(self->trace, ev, 0, line, sizeof(line)));
		EXPECT_STREQ("", trace_missing(line, DMABUF_FIELDS))
			TH_LOG("%s", line);
		EXPECT_LE(page_size, trace_field(line, "size")) TH_LOG("%s", line);
		EXPECT_LE(1, trace_field(line, "orig_nents")) TH_LOG("%s", line);
		EXPECT_EQ(0, trace_field(line, "ret")) TH_LOG("%s", line);
		EXPECT_STREQ(i == 1 || i == 2 ? "from_device" : "none",
			     trace_word(line, "dir", word, sizeof(word)))
			TH_LOG("%s", line);
	}
	ASSERT_TRUE(trace_event(self->trace, "vmalloc_demo_dmabuf_map", 0, line,
				sizeof(line)));
	EXPECT_LE(1, trace_field(line, "nents")) TH_LOG("%s", line);
	EXPECT_LT(strstr(self->trace, "vmalloc_demo_dmabuf_attach:"),
		  strstr(self->trace, "vmalloc_demo_dmabuf_map:"));
	EXPECT_LT(strstr(self->trace, "vmalloc_demo_dmabuf_map:"),
		  strstr(self->trace, "vmalloc_demo_dmabuf_unmap:"));
	EXPECT_LT(strstr(self->trace, "vmalloc_demo_dmabuf_unmap:"),
		  strstr(self->trace, "vmalloc_demo_dmabuf_detach:"));
}

/* With the events off, nothing is traced: the probe sees only what fired. */
TEST_F(xfer, nothing_when_disabled)
{
	ASSERT_EQ(0, tracefs_enable(NULL));
	ASSERT_EQ(0, tracefs_write("tracing_on", "1"));
	ASSERT_EQ(LEN, pread(self->fd, self->buf, LEN, 0));
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	EXPECT_TRUE(tracefs_event_exists("dma_demo", "dma_demo_xfer_start"));
	EXPECT_EQ(0, trace_count(self->trace, "dma_demo_xfer_start"));
}

TEST_HARNESS_MAIN
