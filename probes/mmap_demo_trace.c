// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo_trace: mmap_demo's tracepoint seen through tracefs.  A touch
 * of /dev/mmap_demo_fault gives one mmap_demo_fault: the page's address
 * and offset in the buffer, the window of pages the fault covers, how
 * many of them it mapped, the faulting one (handed to the core) included,
 * and the result; past the buffer (a mapping grown by mremap()) SIGBUS,
 * nothing mapped.  Each case traces into a private tracefs instance
 * (tracefs.h).  Needs mmap_demo.ko loaded (any npages); runs as root.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "tracefs.h"

#define DEV	"/dev/mmap_demo_fault"

FIXTURE(fault) {
	int fd;
	long long npages, window;
	char *trace;
};

FIXTURE_SETUP(fault)
{
	self->trace = NULL;
	self->npages = module_param("mmap_demo", "npages");
	self->window = module_param("mmap_demo", "fault_window");
	ASSERT_LT(0, self->npages);
	ASSERT_LT(0, self->window);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
}

FIXTURE_TEARDOWN(fault)
{
	EXPECT_EQ(0, tracefs_release()) TH_LOG("rmdir instance: %s", strerror(errno));
	free(self->trace);
	close(self->fd);
}

/*
 * Map @len pages from page @first of the buffer, touch page @k of the
 * mapping, and check the one event that gives.
 */
static void touch(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self,
		  unsigned long first, unsigned long len, unsigned long k)
{
	size_t bytes = len * page_size;
	unsigned long addr, want;
	char *map, line[512], word[32];

	map = mmap(NULL, bytes, PROT_READ, MAP_SHARED, self->fd,
		   first * page_size);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	assert_tracing(_metadata, "mmap_demo");
	touch_byte(&map[k * page_size + 3]);
	self->trace = tracefs_read();
	munmap(map, bytes);
	ASSERT_NE(NULL, self->trace);
	assert_first_event(_metadata, self->trace, 1, "mmap_demo_fault",
			   "addr pgoff window mapped ret", line, sizeof(line));
	addr = (unsigned long)map + k * page_size;
	want = fault_window(addr, (unsigned long)map,
			    (unsigned long)map + bytes, len, self->window,
			    page_size);
	EXPECT_EQ(addr, trace_field(line, "addr")) TH_LOG("%s", line);
	EXPECT_EQ(first + k, trace_field(line, "pgoff")) TH_LOG("%s", line);
	EXPECT_EQ(want, trace_field(line, "window")) TH_LOG("%s", line);
	/* A fresh mapping: every page of the window goes in. */
	EXPECT_EQ(want, trace_field(line, "mapped")) TH_LOG("%s", line);
	/* 0: the page handed to the core, printed as no flag. */
	EXPECT_STREQ("0x0", trace_word(line, "ret", word, sizeof(word)))
		TH_LOG("%s", line);
}

/* The whole buffer mapped, a page in its middle touched. */
TEST_F(fault, whole_buffer)
{
	touch(_metadata, self, 0, self->npages, self->npages / 2);
}

/* The last page mapped alone: its offset in the buffer, a window of one. */
TEST_F(fault, last_page_at_an_offset)
{
	touch(_metadata, self, self->npages - 1, 1, 0);
}

/*
 * A mapping of the last page grown by mremap() past the buffer: a touch
 * of the page past it is SIGBUS, traced with nothing mapped.
 */
TEST_F(fault, past_the_buffer_is_sigbus)
{
	char *map, *grown, line[512], word[32];
	pid_t pid;
	int status;

	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd,
		   (self->npages - 1) * page_size);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	grown = mremap(map, page_size, 2 * page_size, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, grown) TH_LOG("mremap: %s", strerror(errno));
	assert_tracing(_metadata, "mmap_demo");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		touch_byte(&grown[page_size]);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	self->trace = tracefs_read();
	munmap(grown, 2 * page_size);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS)
		TH_LOG("status 0x%x", status);
	ASSERT_NE(NULL, self->trace);
	ASSERT_EQ(1, trace_count(self->trace, "mmap_demo_fault"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "mmap_demo_fault", 0, line,
				sizeof(line)));
	EXPECT_EQ((unsigned long)grown + page_size, trace_field(line, "addr"))
		TH_LOG("%s", line);
	EXPECT_EQ(self->npages, trace_field(line, "pgoff")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "mapped")) TH_LOG("%s", line);
	EXPECT_STREQ("0x2", trace_word(line, "ret", word, sizeof(word)))
		TH_LOG("%s", line);
}

TEST_HARNESS_MAIN
