// SPDX-License-Identifier: GPL-2.0
/*
 * scullp_trace: scullp's tracepoints seen through tracefs.  A write into
 * an empty quantum gives scullp_quantum_alloc (qset, quantum, the order
 * the device was loaded with), and a write that stores nothing in it
 * gives it back (scullp_quantum_free); an open with O_TRUNC gives
 * scullp_trim (the size and quanta that go, the geometry that comes) and
 * a scullp_quantum_free for each quantum; a touch of a mapping gives
 * scullp_fault once handled (the address, the page offset, the window of
 * pages the fault covers and how many it mapped, no PMD, the result).
 * Needs scullp.ko loaded (any parameters); runs as root.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "scullp_params.h"
#include "tracefs.h"

#define DEV	"/dev/scullp0"
#define THP	"/sys/kernel/mm/transparent_hugepage/"
#define QUANTUM_FIELDS	"minor qset quantum order nr_quanta"

/* Does this kernel have event @event of scullp's system?  Say so if not. */
#define EXPECT_EVENT(event)						\
	EXPECT_TRUE(tracefs_event_exists("scullp", event))		\
		TH_LOG("no " TRACEFS "/events/scullp/%s", event)

FIXTURE(scullp) {
	int fd;
	long long order, qset, window;
	char *trace;
};

FIXTURE_SETUP(scullp)
{
	self->trace = NULL;
	self->order = module_param("scullp", "scullp_order");
	self->qset = module_param("scullp", "scullp_qset");
	self->window = module_param("scullp", "scullp_fault_window");
	ASSERT_LE(0, self->order);
	ASSERT_LT(0, self->qset);
	ASSERT_LT(0, self->window);
	self->fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	assert_tracing(_metadata, "scullp");
}

FIXTURE_TEARDOWN(scullp)
{
	EXPECT_EQ(0, tracefs_release()) TH_LOG("rmdir instance: %s", strerror(errno));
	free(self->trace);
	close(self->fd);
	self->fd = open(DEV, O_WRONLY | O_TRUNC);
	close(self->fd);
}

/* The first write into qset 0 and into qset 1: a quantum each, in order. */
TEST_F(scullp, write_allocates_quantum)
{
	off_t qset_bytes = (off_t)self->qset * (page_size << self->order);
	char data[100] = "scullp", line[512];

	ASSERT_EQ(sizeof(data), pwrite(self->fd, data, sizeof(data), 10));
	/* The same quantum again: no allocation. */
	ASSERT_EQ(sizeof(data), pwrite(self->fd, data, sizeof(data), 200));
	ASSERT_EQ(sizeof(data), pwrite(self->fd, data, sizeof(data),
				       qset_bytes + 1));
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	assert_first_event(_metadata, self->trace, 2, "scullp_quantum_alloc",
			   QUANTUM_FIELDS, line, sizeof(line));
	EXPECT_EQ(0, trace_field(line, "minor")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "qset")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "quantum")) TH_LOG("%s", line);
	EXPECT_EQ(self->order, trace_field(line, "order")) TH_LOG("%s", line);
	EXPECT_EQ(1, trace_field(line, "nr_quanta")) TH_LOG("%s", line);

	ASSERT_TRUE(trace_event(self->trace, "scullp_quantum_alloc", 1, line,
				sizeof(line)));
	EXPECT_STREQ("", trace_missing(line, QUANTUM_FIELDS)) TH_LOG("%s", line);
	EXPECT_EQ(1, trace_field(line, "qset")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "quantum")) TH_LOG("%s", line);
	EXPECT_EQ(self->order, trace_field(line, "order")) TH_LOG("%s", line);
	EXPECT_EQ(2, trace_field(line, "nr_quanta")) TH_LOG("%s", line);
	EXPECT_EVENT("scullp_trim");
	EXPECT_EQ(0, trace_count(self->trace, "scullp_trim"));
	EXPECT_EVENT("scullp_quantum_free");
	EXPECT_EQ(0, trace_count(self->trace, "scullp_quantum_free"));
}

/*
 * A write past the data from an unmapped buffer: the quantum it allocated
 * received nothing and goes at once, the free paired with the allocation.
 */
TEST_F(scullp, empty_write_frees_its_quantum)
{
	off_t pos = (off_t)self->qset * (page_size << self->order) + 3;
	char line[512];
	void *hole;

	hole = mmap(NULL, page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	EXPECT_EQ(-1, pwrite(self->fd, hole, 10, pos));
	EXPECT_EQ(EFAULT, errno);
	munmap(hole, page_size);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	ASSERT_EQ(1, trace_count(self->trace, "scullp_quantum_alloc"))
		TH_LOG("trace:\n%s", self->trace);
	assert_first_event(_metadata, self->trace, 1, "scullp_quantum_free",
			   QUANTUM_FIELDS, line, sizeof(line));
	EXPECT_EQ(1, trace_field(line, "qset")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "quantum")) TH_LOG("%s", line);
	EXPECT_EQ(self->order, trace_field(line, "order")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "nr_quanta")) TH_LOG("%s", line);
	EXPECT_LT(strstr(self->trace, "scullp_quantum_alloc:"),
		  strstr(self->trace, "scullp_quantum_free:"));
}

/* O_TRUNC on a device with data: one trim, of what was there. */
TEST_F(scullp, trim_on_o_trunc)
{
	size_t len = 2 * (page_size << self->order) + 5;
	char *data = calloc(1, len), line[512];
	long long i;
	int fd;

	ASSERT_NE(NULL, data);
	ASSERT_EQ(len, write(self->fd, data, len));
	free(data);
	ASSERT_EQ(0, tracefs_enable("scullp"));
	fd = open(DEV, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	close(fd);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	assert_first_event(_metadata, self->trace, 1, "scullp_trim",
			   "minor size nr_quanta order qset", line, sizeof(line));
	EXPECT_EQ(0, trace_field(line, "minor")) TH_LOG("%s", line);
	EXPECT_EQ(len, trace_field(line, "size")) TH_LOG("%s", line);
	EXPECT_EQ(3, trace_field(line, "nr_quanta")) TH_LOG("%s", line);
	EXPECT_EQ(self->order, trace_field(line, "order")) TH_LOG("%s", line);
	EXPECT_EQ(self->qset, trace_field(line, "qset")) TH_LOG("%s", line);
	EXPECT_EVENT("scullp_quantum_alloc");
	EXPECT_EQ(0, trace_count(self->trace, "scullp_quantum_alloc"));

	/* Each of the three quanta freed, in order, after the trim event. */
	ASSERT_EQ(3, trace_count(self->trace, "scullp_quantum_free"))
		TH_LOG("trace:\n%s", self->trace);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(trace_event(self->trace, "scullp_quantum_free", i,
					line, sizeof(line)));
		EXPECT_STREQ("", trace_missing(line, QUANTUM_FIELDS))
			TH_LOG("%s", line);
		EXPECT_EQ(i / self->qset, trace_field(line, "qset"))
			TH_LOG("%s", line);
		EXPECT_EQ(i % self->qset, trace_field(line, "quantum"))
			TH_LOG("%s", line);
		EXPECT_EQ(2 - i, trace_field(line, "nr_quanta"))
			TH_LOG("%s", line);
	}
	EXPECT_LT(strstr(self->trace, "scullp_trim:"),
		  strstr(self->trace, "scullp_quantum_free:"));
}

/*
 * A touch of page 5 of 8 pages of data: one fault, its offset and window,
 * every page of the window mapped, the faulting one included (a fresh
 * mapping), and the result: an order-0 page handed to the core (0,
 * printed as no flag), a compound quantum's page inserted by the driver
 * (NOPAGE).  A madvised mapping, so that at PMD order .huge_fault would
 * be asked too: 8 pages are no span, it falls back, untraced.
 */
TEST_F(scullp, fault_reports_offset_and_window)
{
	const unsigned long npages = 8, k = 5;
	size_t len = npages * page_size;
	char *data = calloc(1, len), *map, line[512], word[32];
	unsigned long addr, want;

	ASSERT_NE(NULL, data);
	ASSERT_EQ(len, write(self->fd, data, len));
	free(data);
	/* One page more than the data: the window stops at the data's end. */
	map = mmap(NULL, len + page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	madvise(map, len + page_size, MADV_HUGEPAGE);	/* EINVAL: no THP */
	ASSERT_EQ(0, tracefs_enable("scullp"));
	touch_byte(&map[k * page_size + 7]);
	self->trace = tracefs_read();
	munmap(map, len + page_size);
	ASSERT_NE(NULL, self->trace);
	ASSERT_EQ(1, trace_count(self->trace, "scullp_fault"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "scullp_fault", 0, line,
				sizeof(line)));
	/* The core hands the driver the faulting page's address. */
	addr = (unsigned long)map + k * page_size;
	want = fault_window(addr, (unsigned long)map,
			    (unsigned long)map + len + page_size, npages,
			    self->window, page_size);
	EXPECT_STREQ("", trace_missing(line, "addr pgoff window mapped ret"))
		TH_LOG("%s", line);
	EXPECT_EQ(addr, trace_field(line, "addr")) TH_LOG("%s", line);
	EXPECT_EQ(k, trace_field(line, "pgoff")) TH_LOG("%s", line);
	EXPECT_EQ(want, trace_field(line, "window")) TH_LOG("%s", line);
	EXPECT_EQ(want, trace_field(line, "mapped")) TH_LOG("%s", line);
	EXPECT_STREQ(self->order ? "0x100" : "0x0",
		     trace_word(line, "ret", word, sizeof(word)))
		TH_LOG("%s", line);
	EXPECT_EVENT("scullp_huge_fault");
	EXPECT_EQ(0, trace_count(self->trace, "scullp_huge_fault"))
		TH_LOG("trace:\n%s", self->trace);
}

/*
 * A device at PMD order (a quantum a PMD's span), one quantum of data
 * mapped and madvised, where the kernel maps it with PMD entries.  The
 * skips are scullp_huge's: no THP, a span too big for a test guest, no
 * huge pfn mappings (before 6.12) or THP "never".
 */
FIXTURE(huge) {
	int fd;
	size_t span;
	char *map;
	char *trace;
};

FIXTURE_SETUP(huge)
{
	long long pmd = read_number(THP "hpage_pmd_size");
	char buf[128] = "";
	int order = 0;
	FILE *f;

	self->trace = NULL;
	self->map = MAP_FAILED;
	self->fd = -1;
	if (pmd <= 0 && access(THP "hpage_pmd_size", F_OK) && errno == ENOENT)
		SKIP(return, "no transparent huge pages in this kernel: no PMD mappings");
	ASSERT_LT(0, pmd) TH_LOG("%shpage_pmd_size: unreadable", THP);
	self->span = pmd;
	while (((size_t)page_size << order) < self->span)
		order++;
	ASSERT_LE(0, max_page_order()) TH_LOG("/proc/buddyinfo: unreadable");
	if (order > max_page_order() || self->span > (64 << 20))
		SKIP(return, "a PMD's span (%zu MiB) is no quantum a test guest can hold",
		     self->span >> 20);
	if (!kernel_at_least(6, 12))
		SKIP(return, "page by page: no huge pfn mappings before 6.12");
	f = fopen(THP "enabled", "r");
	ASSERT_NE(NULL, f) TH_LOG("%senabled: no policy to read", THP);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	ASSERT_NE(NULL, strchr(buf, '[')) TH_LOG("%senabled: no policy to read", THP);
	if (strstr(buf, "[never]"))
		SKIP(return, "page by page: THP is \"never\"");

	ASSERT_EQ(0, scullp_set_order(order))
		TH_LOG("order %d: %s", order, strerror(errno));
	self->fd = open(DEV, O_RDWR | O_TRUNC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	/* Its last byte written: the one quantum, the data a whole span. */
	ASSERT_EQ(1, pwrite(self->fd, "x", 1, self->span - 1));
	self->map = mmap(NULL, self->span, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, madvise(self->map, self->span, MADV_HUGEPAGE));
	/* The driver lines a mapping of whole spans up with them. */
	ASSERT_EQ(0, (uintptr_t)self->map & (self->span - 1))
		TH_LOG("mapping at %p, a span is %zu KiB", self->map, self->span >> 10);
	assert_tracing(_metadata, "scullp");
}

FIXTURE_TEARDOWN(huge)
{
	EXPECT_EQ(0, tracefs_release()) TH_LOG("rmdir instance: %s", strerror(errno));
	free(self->trace);
	if (self->map != MAP_FAILED)
		munmap(self->map, self->span);
	if (self->fd < 0)
		return;
	close(self->fd);
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, scullp_retrim(DEV)) TH_LOG("%s", strerror(errno));
}

/*
 * A read of page 5 of the span: one scullp_huge_fault, for the span (its
 * pages the window), the entry empty before and a leaf after, NOPAGE; no
 * scullp_fault.  Another page of the span then faults no more.
 */
TEST_F(huge, read_maps_the_span_with_one_pmd_entry)
{
	const unsigned long k = 5;
	char line[512], word[32];

	touch_byte(&self->map[k * page_size + 3]);
	touch_byte(&self->map[self->span - 1]);
	self->trace = tracefs_read();
	ASSERT_NE(NULL, self->trace);
	assert_first_event(_metadata, self->trace, 1, "scullp_huge_fault",
			   "addr pgoff window was_none leaf_after ret", line, sizeof(line));
	EXPECT_EQ((unsigned long)self->map + k * page_size,
		  trace_field(line, "addr")) TH_LOG("%s", line);
	EXPECT_EQ(k, trace_field(line, "pgoff")) TH_LOG("%s", line);
	EXPECT_EQ(self->span / page_size, trace_field(line, "window"))
		TH_LOG("%s", line);
	EXPECT_EQ(1, trace_field(line, "was_none")) TH_LOG("%s", line);
	EXPECT_EQ(1, trace_field(line, "leaf_after")) TH_LOG("%s", line);
	EXPECT_STREQ("0x100", trace_word(line, "ret", word, sizeof(word)))
		TH_LOG("%s", line);
	EXPECT_EVENT("scullp_fault");
	EXPECT_EQ(0, trace_count(self->trace, "scullp_fault"))
		TH_LOG("trace:\n%s", self->trace);
}

SCULLP_HARNESS_MAIN
