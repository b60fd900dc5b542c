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
#include "tracefs.h"

#define DEV	"/dev/scullp0"
#define VM_FAULT_NOPAGE	0x100	/* include/linux/mm_types.h */
#define QUANTUM_FIELDS	"minor qset quantum order nr_quanta"

static long page_size;

static void __attribute__((constructor)) init_page_size(void)
{
	page_size = sysconf(_SC_PAGESIZE);
}

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
	ASSERT_EQ(0, tracefs_enable("scullp"))
		TH_LOG("tracefs at " TRACEFS ": %s", strerror(errno));
}

FIXTURE_TEARDOWN(scullp)
{
	tracefs_restore();
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
	ASSERT_EQ(2, trace_count(self->trace, "scullp_quantum_alloc"))
		TH_LOG("trace:\n%s", self->trace);

	ASSERT_TRUE(trace_event(self->trace, "scullp_quantum_alloc", 0, line,
				sizeof(line)));
	EXPECT_STREQ("", trace_missing(line, QUANTUM_FIELDS)) TH_LOG("%s", line);
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
	EXPECT_EQ(0, trace_count(self->trace, "scullp_trim"));
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
	ASSERT_EQ(1, trace_count(self->trace, "scullp_quantum_free"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "scullp_quantum_free", 0, line,
				sizeof(line)));
	EXPECT_STREQ("", trace_missing(line, QUANTUM_FIELDS)) TH_LOG("%s", line);
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
	ASSERT_EQ(1, trace_count(self->trace, "scullp_trim"))
		TH_LOG("trace:\n%s", self->trace);
	ASSERT_TRUE(trace_event(self->trace, "scullp_trim", 0, line,
				sizeof(line)));
	EXPECT_STREQ("", trace_missing(line, "minor size nr_quanta order qset"))
		TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "minor")) TH_LOG("%s", line);
	EXPECT_EQ(len, trace_field(line, "size")) TH_LOG("%s", line);
	EXPECT_EQ(3, trace_field(line, "nr_quanta")) TH_LOG("%s", line);
	EXPECT_EQ(self->order, trace_field(line, "order")) TH_LOG("%s", line);
	EXPECT_EQ(self->qset, trace_field(line, "qset")) TH_LOG("%s", line);
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
 * every page of the window mapped (a fresh mapping), and the result: an
 * order-0 page handed back to the core (0), a compound quantum's page
 * inserted by the driver (VM_FAULT_NOPAGE).
 */
TEST_F(scullp, fault_reports_offset_and_window)
{
	const unsigned long npages = 8, k = 5;
	size_t len = npages * page_size;
	char *data = calloc(1, len), *map, line[512];
	unsigned long addr, want;

	ASSERT_NE(NULL, data);
	ASSERT_EQ(len, write(self->fd, data, len));
	free(data);
	/* One page more than the data: the window stops at the data's end. */
	map = mmap(NULL, len + page_size, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
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
	EXPECT_STREQ("", trace_missing(line, "addr pgoff window mapped pmd ret"))
		TH_LOG("%s", line);
	EXPECT_EQ(addr, trace_field(line, "addr")) TH_LOG("%s", line);
	EXPECT_EQ(k, trace_field(line, "pgoff")) TH_LOG("%s", line);
	EXPECT_EQ(want, trace_field(line, "window")) TH_LOG("%s", line);
	EXPECT_EQ(want, trace_field(line, "mapped")) TH_LOG("%s", line);
	EXPECT_EQ(0, trace_field(line, "pmd")) TH_LOG("%s", line);
	EXPECT_EQ(self->order ? VM_FAULT_NOPAGE : 0, trace_field(line, "ret"))
		TH_LOG("%s", line);
}

TEST_HARNESS_MAIN
