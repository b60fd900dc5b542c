// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo_trace: vmalloc_demo's fault tracepoint seen through
 * tracefs.  mmap() maps every page at once, so a touch traces nothing; a
 * page zapped with MADV_DONTNEED comes back through the fault handler,
 * one vmalloc_demo_fault with its address and offset, one page mapped
 * (handed to the core), result 0.  The same through a mapping of the
 * buffer exported as a dma-buf, which nothing imports: no attach, map,
 * unmap or detach (dma_demo_trace checks those, with dma_demo importing
 * the export).  Each case traces into a private tracefs instance
 * (tracefs.h).  Needs vmalloc_demo.ko loaded (any parameters); runs as
 * root.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "tracefs.h"
#include "vmalloc_demo_ioctl.h"

#define DEV	"/dev/vmalloc_demo"

FIXTURE(fault) {
	int fd;
	unsigned long npages;
	char *trace;
};

FIXTURE_SETUP(fault)
{
	off_t size;

	self->trace = NULL;
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	size = lseek(self->fd, 0, SEEK_END);
	ASSERT_LT(0, size);
	self->npages = (size + page_size - 1) / page_size;
}

FIXTURE_TEARDOWN(fault)
{
	EXPECT_EQ(0, tracefs_release()) TH_LOG("rmdir instance: %s", strerror(errno));
	free(self->trace);
	close(self->fd);
}

/*
 * Map page @k of @fd alone, touch it (no event), zap it, touch it again:
 * one event, for page @k at the mapping's address.
 */
static void refault(struct __test_metadata *_metadata,
		    FIXTURE_DATA(fault) *self, int fd, unsigned long k)
{
	char *map, line[512], word[32];
	const char *ev;
	int i;

	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, k * page_size);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	assert_tracing(_metadata, "vmalloc_demo");
	touch_byte(&map[5]);
	ASSERT_EQ(0, madvise(map, page_size, MADV_DONTNEED));
	touch_byte(&map[5]);
	self->trace = tracefs_read();
	munmap(map, page_size);
	ASSERT_NE(NULL, self->trace);
	assert_first_event(_metadata, self->trace, 1, "vmalloc_demo_fault",
			   "addr pgoff mapped ret", line, sizeof(line));
	EXPECT_EQ((unsigned long)map, trace_field(line, "addr"))
		TH_LOG("%s", line);
	EXPECT_EQ(k, trace_field(line, "pgoff")) TH_LOG("%s", line);
	EXPECT_EQ(1, trace_field(line, "mapped")) TH_LOG("%s", line);
	EXPECT_STREQ("0x0", trace_word(line, "ret", word, sizeof(word)))
		TH_LOG("%s", line);
	for (i = 0; i < 4; i++) {
		ev = (const char *const[]){ "vmalloc_demo_dmabuf_attach",
					    "vmalloc_demo_dmabuf_map",
					    "vmalloc_demo_dmabuf_unmap",
					    "vmalloc_demo_dmabuf_detach" }[i];
		EXPECT_TRUE(tracefs_event_exists("vmalloc_demo", ev))
			TH_LOG("no events/vmalloc_demo/%s", ev);
		EXPECT_EQ(0, trace_count(self->trace, ev));
	}
}

TEST_F(fault, device_mapping)
{
	refault(_metadata, self, self->fd, self->npages - 1);
}

TEST_F(fault, dmabuf_mapping)
{
	struct vmalloc_demo_export exp = { .flags = O_RDWR | O_CLOEXEC,
					   .fd = -1 };

	ASSERT_EQ(0, ioctl(self->fd, VMALLOC_DEMO_IOCEXPORT, &exp))
		TH_LOG("VMALLOC_DEMO_IOCEXPORT: %s", strerror(errno));
	refault(_metadata, self, exp.fd, self->npages / 2);
	close(exp.fd);
}

TEST_HARNESS_MAIN
