// SPDX-License-Identifier: GPL-2.0
/*
 * scullp huge-mapping probe: a device whose quanta are of PMD size (order
 * 9 with 4 KiB pages on x86-64), mapped with MADV_HUGEPAGE and used the
 * way programs do.  Where docs/scullp.md ("PMD mappings") says a span
 * maps with one PMD entry, touching all of it costs one fault; elsewhere
 * it goes page by page.  Either way the bytes are the device's, a touch
 * past the data or in a hole gets SIGBUS, and munmap of a part, mprotect,
 * mremap, fork, MADV_DONTNEED, GUP and soft-dirty tracking work on it.
 * Needs scullp.ko loaded; runs as root.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "uapi/scullp.h"
#include "scullp_params.h"

#define DEV0 "/dev/scullp0"
#define THP "/sys/kernel/mm/transparent_hugepage/"

static size_t pmd_size;	/* 0: no transparent huge pages in this kernel */
static int pmd_order;

static void __attribute__((constructor)) init_sizes(void)
{
	long long pmd = read_number(THP "hpage_pmd_size");

	pmd_size = pmd > 0 ? pmd : 0;
	while (pmd_size && ((size_t)page_size << pmd_order) < pmd_size)
		pmd_order++;
}

/*
 * THP's policy is not "never" (then MADV_HUGEPAGE gets a PMD mapping):
 * 1 or 0; -1 if the policy cannot be read.
 */
static int thp_allowed(void)
{
	char buf[128] = "";
	FILE *f = fopen(THP "enabled", "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (!strchr(buf, '['))
		return -1;
	return !strstr(buf, "[never]");
}

/*
 * Whether a madvised mapping of whole quanta gets one PMD entry a span:
 * 6.12 has huge pfn mappings, 6.1 does not (scullp falls back there),
 * and THP "never" forbids them.  *@why says which, for the log or a skip.
 */
static bool pmds_expected(struct __test_metadata *_metadata, const char **why)
{
	int thp = thp_allowed();

	ASSERT_LE(0, thp) TH_LOG("%senabled: no policy to read", THP);
	if (!kernel_at_least(6, 12))
		*why = "page by page: no huge pfn mappings before 6.12";
	else if (!thp)
		*why = "page by page: THP is \"never\"";
	else
		*why = "one PMD entry a span: 6.12, THP not \"never\"";
	return kernel_at_least(6, 12) && thp;
}

/* pmds_expected(), the expectation it chose said in the test's log. */
static bool expect_pmds(struct __test_metadata *_metadata)
{
	const char *why;
	bool pmds = pmds_expected(_metadata, &why);

	TH_LOG("expecting %s", why);
	return pmds;
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Touch @len bytes a page at a time (a read, or a write of the pattern). */
static void touch(char *map, size_t len, bool write, size_t off, int seed)
{
	size_t i;

	for (i = 0; i < len; i += page_size) {
		if (write)
			map[i] = pattern_byte(off + i, seed);
		else
			(void)*(volatile char *)(map + i);
	}
}

/* The faults a touch of every page of [map, map + len) takes. */
static long faults_to_touch(char *map, size_t len)
{
	long before = minor_faults();

	touch(map, len, false, 0, 0);
	return minor_faults() - before;
}

/* One access, and the signal it got (SIGBUS, SIGSEGV), or 0. */
static sigjmp_buf sig_env;

static void on_signal(int sig)
{
	siglongjmp(sig_env, sig);
}

static int access_signal(char *at, bool write)
{
	int sig;

	signal(SIGBUS, on_signal);
	signal(SIGSEGV, on_signal);
	sig = sigsetjmp(sig_env, 1);
	if (!sig) {
		if (write)
			*(volatile char *)at = 1;
		else
			(void)*(volatile char *)at;
	}
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	return sig;
}

/*
 * An address range of @len bytes at which a mapping's start is aligned to
 * a PMD's span plus @skew bytes: reserved, to be replaced with MAP_FIXED.
 */
static char *reserve(size_t len, size_t skew)
{
	char *p = mmap(NULL, len + 2 * pmd_size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return (char *)(((uintptr_t)p + pmd_size - 1) & ~(pmd_size - 1)) + skew;
}

/* A line of /proc/self/status or /proc/meminfo, in kB; -1 if absent. */
static long kb_of(const char *path, const char *key)
{
	char line[256];
	long kb = -1;
	size_t n = strlen(key);
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return kb;
}

/* A counter of /proc/vmstat, or -1. */
static long vmstat(const char *key)
{
	char name[64];
	long val, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &val) == 2)
		if (!strcmp(name, key))
			found = val;
	fclose(f);
	return found;
}

/*
 * Free memory in kB, the pages parked on the per-cpu lists included
 * (MemFree leaves them out, and a freed quantum of PMD order can sit there).
 */
static long free_kb(void)
{
	char line[256];
	long pages = 0, n;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " pages free %ld", &n) == 1 ||
		    sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	}
	fclose(f);
	return pages * (page_size >> 10);
}

/* scullp_fault_window set to @w; the value it had, or -1. */
static long set_window(long w)
{
	long old = module_param("scullp", "scullp_fault_window");
	FILE *f = fopen("/sys/module/scullp/parameters/scullp_fault_window", "w");

	if (!f)
		return -1;
	if (fprintf(f, "%ld\n", w) < 0)
		old = -1;
	if (fclose(f))
		old = -1;
	return old;
}

/* The fault window the fixture found, put back by its teardown. */
static long window_at_start = -1;

/*
 * A device at PMD order holding the pattern in its first @quanta quanta,
 * @len bytes mapped at file offset 0.
 */
FIXTURE(huge) {
	int fd;
	size_t quantum, len;
	char *map;
};

FIXTURE_SETUP(huge)
{
	size_t q;
	char *buf;

	/* Only a kernel without THP has no hpage_pmd_size; else it is a number. */
	if (!pmd_size && access(THP "hpage_pmd_size", F_OK) && errno == ENOENT)
		SKIP(return, "no transparent huge pages in this kernel: no PMD mappings");
	ASSERT_LT(0, pmd_size) TH_LOG("%shpage_pmd_size: unreadable", THP);
	ASSERT_LE(0, max_page_order()) TH_LOG("/proc/buddyinfo: unreadable");
	if (pmd_order > max_page_order() || pmd_size > (64 << 20))
		SKIP(return, "a PMD's span (%zu MiB) is no quantum a test guest can hold",
		     pmd_size >> 20);
	self->quantum = pmd_size;
	self->len = 4 * self->quantum;
	window_at_start = module_param("scullp", "scullp_fault_window");
	ASSERT_EQ(0, scullp_set_order(pmd_order)) TH_LOG("order %d: %s", pmd_order, strerror(errno));
	self->fd = open(DEV0, O_RDWR | O_TRUNC);
	ASSERT_LE(0, self->fd);
	buf = malloc(self->quantum);
	ASSERT_NE(NULL, buf);
	for (q = 0; q < 4; q++) {
		pattern_fill(buf, self->quantum, q * self->quantum, 7);
		ASSERT_EQ(self->quantum, write(self->fd, buf, self->quantum));
	}
	free(buf);
	self->map = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	ASSERT_EQ(0, madvise(self->map, self->len, MADV_HUGEPAGE));
}

FIXTURE_TEARDOWN(huge)
{
	if (!pmd_size || pmd_size > (64 << 20))
		return;
	if (window_at_start > 0)	/* a case that changed it and stopped */
		set_window(window_at_start);
	munmap(self->map, self->len);
	close(self->fd);
	EXPECT_EQ(0, scullp_restore()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, scullp_retrim(DEV0)) TH_LOG("%s", strerror(errno));
}

/* Does [map, map + len) hold the pattern written at file offset @off? */
static long long check(const char *map, size_t len, size_t off)
{
	return pattern_check(map, len, off, 7);
}

TEST_F(huge, one_fault_per_pmd_span)
{
	size_t spans = self->len / pmd_size;
	long faults;

	faults = faults_to_touch(self->map, self->len);
	TH_LOG("%ld faults to touch %zu pages (%zu spans of %zu KiB)", faults,
	       self->len / page_size, spans, pmd_size >> 10);
	if (expect_pmds(_metadata)) {
		EXPECT_EQ(0, (uintptr_t)self->map & (pmd_size - 1))
			TH_LOG("a mapping of whole spans starts at a span's start");
		EXPECT_EQ(spans, faults);
	} else {
		EXPECT_LT(spans, faults) TH_LOG("this kernel maps page by page");
	}
	EXPECT_EQ(-1, check(self->map, self->len, 0));
}

/*
 * The driver places a mapping so that its spans line up
 * (thp_get_unmapped_area()) wherever the kernel would have put it: 6.12
 * lines up a mapping whose length is whole spans by itself, so these are
 * a page longer (that page lies past the data, never touched), each after
 * a page of anonymous memory.
 */
TEST_F(huge, mappings_line_up_with_the_spans)
{
	size_t len = self->len + page_size;
	const char *why;
	int i;

	/* Placement is for PMD entries: the manifest expects this skip or not. */
	if (!pmds_expected(_metadata, &why))
		SKIP(return, "%s: no placement to check", why);
	for (i = 0; i < 4; i++) {
		char *spacer = mmap(NULL, page_size, PROT_READ,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *map = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd, 0);

		ASSERT_NE(MAP_FAILED, spacer);
		ASSERT_NE(MAP_FAILED, map);
		ASSERT_EQ(0, madvise(map, len, MADV_HUGEPAGE));
		EXPECT_EQ(0, (uintptr_t)map & (pmd_size - 1))
			TH_LOG("mapping %d at %p, a span is %zu KiB", i, map, pmd_size >> 10);
		EXPECT_EQ(self->len / pmd_size, faults_to_touch(map, self->len));
		munmap(map, len);
	}
}

/* MADV_NOHUGEPAGE: page by page, a window a fault, the same bytes. */
TEST_F(huge, nohugepage_goes_page_by_page)
{
	long w = module_param("scullp", "scullp_fault_window");
	uintptr_t span = w * page_size, start = (uintptr_t)self->map;
	/* Windows are aligned in the address space: those the mapping meets. */
	long windows = (start + self->len - 1) / span - start / span + 1;

	ASSERT_LT(0, w) TH_LOG("scullp_fault_window: unreadable");
	ASSERT_EQ(0, madvise(self->map, self->len, MADV_NOHUGEPAGE));
	EXPECT_EQ(windows, faults_to_touch(self->map, self->len));
	EXPECT_EQ(-1, check(self->map, self->len, 0));
}

TEST_F(huge, writes_reach_the_device)
{
	char *out = malloc(self->len);

	ASSERT_NE(NULL, out);
	touch(self->map, self->len, false, 0, 0);
	pattern_fill(self->map, self->len, 0, 9);
	ASSERT_EQ(self->len, pread(self->fd, out, self->len, 0));
	EXPECT_EQ(-1, pattern_check(out, self->len, 0, 9));
	free(out);
}

/*
 * The data ends half-way into the last quantum: the spans before it map
 * whole, the rest page by page up to the data's end, and past it SIGBUS.
 */
TEST_F(huge, data_end_inside_a_quantum)
{
	size_t end = 4 * self->quantum + self->quantum / 2, mapped = 5 * self->quantum;
	char *buf = malloc(self->quantum / 2), *map;

	ASSERT_NE(NULL, buf);
	pattern_fill(buf, self->quantum / 2, 4 * self->quantum, 7);
	ASSERT_EQ(self->quantum / 2, pwrite(self->fd, buf, self->quantum / 2,
					    4 * self->quantum));
	free(buf);
	map = mmap(NULL, mapped, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, madvise(map, mapped, MADV_HUGEPAGE));
	EXPECT_EQ(-1, check(map, end, 0));
	EXPECT_EQ(0, access_signal(map + end - 1, false));
	EXPECT_EQ(SIGBUS, access_signal(map + end, false));
	EXPECT_EQ(SIGBUS, access_signal(map + mapped - 1, false));
	munmap(map, mapped);
}

/* A quantum never written is a hole: SIGBUS, its neighbours whole. */
TEST_F(huge, hole_quantum_is_sigbus)
{
	size_t mapped = 7 * self->quantum;
	char *buf = malloc(self->quantum), *map;

	ASSERT_NE(NULL, buf);
	pattern_fill(buf, self->quantum, 6 * self->quantum, 7);
	ASSERT_EQ(self->quantum, pwrite(self->fd, buf, self->quantum,
					6 * self->quantum));
	free(buf);
	map = mmap(NULL, mapped, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, madvise(map, mapped, MADV_HUGEPAGE));
	EXPECT_EQ(SIGBUS, access_signal(map + 4 * self->quantum, false));
	EXPECT_EQ(SIGBUS, access_signal(map + 5 * self->quantum + 5 * page_size, false));
	EXPECT_EQ(-1, check(map + 6 * self->quantum, self->quantum, 6 * self->quantum));
	EXPECT_EQ(-1, check(map, 4 * self->quantum, 0));
	munmap(map, mapped);
}

/* A mapping at a page's offset into the file: the spans that line up. */
TEST_F(huge, mapping_at_an_unaligned_offset)
{
	long w = module_param("scullp", "scullp_fault_window");
	size_t len = 3 * self->quantum;
	char *map = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd, page_size);
	long faults;

	ASSERT_LT(0, w) TH_LOG("scullp_fault_window: unreadable");
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, madvise(map, len, MADV_HUGEPAGE));
	faults = faults_to_touch(map, len);
	TH_LOG("%ld faults to touch %zu pages", faults, len / page_size);
	/* Two whole spans line up, file offsets 1 and 2 quanta. */
	if (expect_pmds(_metadata)) {
		EXPECT_GT(len / page_size / w, faults);
	} else {
		EXPECT_LE(len / page_size / w, faults);
	}
	EXPECT_EQ(-1, check(map, len, page_size));
	munmap(map, len);
}

/* At an address a page off a span's start nothing lines up: page by page. */
TEST_F(huge, mapping_at_an_unaligned_address)
{
	long w = module_param("scullp", "scullp_fault_window");
	char *at = reserve(self->len, page_size), *map;

	ASSERT_LT(0, w) TH_LOG("scullp_fault_window: unreadable");
	ASSERT_NE(NULL, at);
	map = mmap(at, self->len, PROT_READ, MAP_SHARED | MAP_FIXED, self->fd, 0);
	ASSERT_EQ(at, map);
	ASSERT_EQ(0, madvise(map, self->len, MADV_HUGEPAGE));
	EXPECT_LE(self->len / page_size / w, faults_to_touch(map, self->len));
	EXPECT_EQ(-1, check(map, self->len, 0));
	munmap(map, self->len);
}

/* A page unmapped out of a mapped span: gone; the rest still the device's. */
TEST_F(huge, munmap_of_one_page)
{
	char *hole = self->map + pmd_size + 3 * page_size;

	touch(self->map, self->len, false, 0, 0);
	ASSERT_EQ(0, munmap(hole, page_size));
	EXPECT_EQ(SIGSEGV, access_signal(hole, false));
	EXPECT_EQ(-1, check(self->map, hole - self->map, 0));
	EXPECT_EQ(-1, check(hole + page_size, self->map + self->len - hole - page_size,
			    hole + page_size - self->map));
}

TEST_F(huge, mprotect_of_a_page_and_of_a_span)
{
	char *out = malloc(self->len);

	ASSERT_NE(NULL, out);
	touch(self->map, self->len, false, 0, 0);
	ASSERT_EQ(0, mprotect(self->map + page_size, page_size, PROT_READ));
	ASSERT_EQ(0, mprotect(self->map + 2 * pmd_size, pmd_size, PROT_READ));
	EXPECT_EQ(SIGSEGV, access_signal(self->map + page_size, true));
	EXPECT_EQ(SIGSEGV, access_signal(self->map + 2 * pmd_size + 5, true));
	EXPECT_EQ(-1, check(self->map, self->len, 0));
	ASSERT_EQ(0, mprotect(self->map, self->len, PROT_READ | PROT_WRITE));
	pattern_fill(self->map, self->len, 0, 9);
	ASSERT_EQ(self->len, pread(self->fd, out, self->len, 0));
	EXPECT_EQ(-1, pattern_check(out, self->len, 0, 9));
	free(out);
}

/* Moved whole to an aligned address, and to one a page off. */
TEST_F(huge, mremap_moves_the_mapping)
{
	size_t skew;

	touch(self->map, self->len, false, 0, 0);
	for (skew = 0; skew <= (size_t)page_size; skew += page_size) {
		char *to = reserve(self->len, skew), *moved;

		ASSERT_NE(NULL, to);
		moved = mremap(self->map, self->len, self->len,
			       MREMAP_MAYMOVE | MREMAP_FIXED, to);
		ASSERT_EQ(to, moved) TH_LOG("mremap: %s", strerror(errno));
		self->map = moved;
		EXPECT_EQ(-1, check(moved, self->len, 0)) TH_LOG("skew %zu", skew);
	}
}

/* fork() copies the PMD entries; the child's writes are the device's. */
TEST_F(huge, fork_shares_the_spans)
{
	char *out = malloc(self->len);
	int status;
	pid_t pid;

	ASSERT_NE(NULL, out);
	touch(self->map, self->len, false, 0, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pattern_fill(self->map, self->len, 0, 5);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("the child: signal %d", WTERMSIG(status));
	EXPECT_EQ(-1, pattern_check(self->map, self->len, 0, 5));
	ASSERT_EQ(self->len, pread(self->fd, out, self->len, 0));
	EXPECT_EQ(-1, pattern_check(out, self->len, 0, 5));
	free(out);
}

/* MADV_DONTNEED drops the entries, not the data: a touch maps it again. */
TEST_F(huge, dontneed_drops_the_mapping_not_the_data)
{
	touch(self->map, self->len, false, 0, 0);
	ASSERT_EQ(0, madvise(self->map, self->len, MADV_DONTNEED));
	ASSERT_EQ(0, madvise(self->map + pmd_size, page_size, MADV_DONTNEED));
	EXPECT_EQ(-1, check(self->map, self->len, 0));
}

/*
 * GUP through the spans: process_vm_readv() pins pages of a mapping (its
 * own, here) through the slow path, vmsplice() through the fast one,
 * which leaves special entries to the slow path.  Each must see the
 * device's bytes and give its references back (the teardown frees the
 * quanta: a reference taken on the wrong page shows there, on a debug
 * kernel, as a bad page).
 */
TEST_F(huge, gup_reads_the_spans)
{
	size_t len = 2 * pmd_size, got = 0;
	char *out = malloc(len);
	struct iovec local = { out, len }, remote = { self->map + pmd_size, len };
	int pipefd[2];

	ASSERT_NE(NULL, out);
	touch(self->map, self->len, false, 0, 0);
	ASSERT_EQ(len, process_vm_readv(getpid(), &local, 1, &remote, 1, 0))
		TH_LOG("process_vm_readv: %s", strerror(errno));
	EXPECT_EQ(-1, check(out, len, pmd_size));

	memset(out, 0, len);
	ASSERT_EQ(0, pipe(pipefd));
	remote.iov_len = 16 * page_size;	/* what a pipe holds */
	ASSERT_EQ(remote.iov_len, vmsplice(pipefd[1], &remote, 1, 0))
		TH_LOG("vmsplice: %s", strerror(errno));
	while (got < remote.iov_len) {
		ssize_t n = read(pipefd[0], out + got, remote.iov_len - got);

		ASSERT_LT(0, n);
		got += n;
	}
	EXPECT_EQ(-1, check(out, remote.iov_len, pmd_size));
	close(pipefd[0]);
	close(pipefd[1]);
	free(out);
}

/*
 * Soft-dirty tracking write-protects the entries (clear_refs 4, where the
 * kernel has it), and fork() copies them so: the child's first write
 * faults and must make its entry writable, not loop.  Under an alarm.
 */
TEST_F(huge, writes_after_clear_refs)
{
	char *out = malloc(self->len);
	int status, fd;
	pid_t pid;

	ASSERT_NE(NULL, out);
	touch(self->map, self->len, true, 0, 7);
	fd = open("/proc/self/clear_refs", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "4", 1)) TH_LOG("clear_refs: %s", strerror(errno));
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		alarm(60);
		pattern_fill(self->map, self->len, 0, 3);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("the writes did not finish (signal %d)",
					      WTERMSIG(status));
	ASSERT_EQ(self->len, pread(self->fd, out, self->len, 0));
	EXPECT_EQ(-1, pattern_check(out, self->len, 0, 3));
	free(out);
}

/*
 * Is RssFile back to @before kB?  Within a quarter of a PMD's span: the
 * probe's own code, paged in as it runs, counts there too; a span the
 * mapping kept counts whole.
 */
static bool rss_back(long before)
{
	long now = kb_of("/proc/self/status", "RssFile");

	return before >= 0 && now >= 0 && now - before < (long)(pmd_size >> 12);
}

/*
 * @len bytes of the device mapped at a PMD-aligned address, so that the
 * first fault in each span finds its page table empty.
 */
static char *map_aligned(int fd, size_t len, int prot)
{
	char *at = reserve(len, 0);

	if (!at)
		return MAP_FAILED;
	return mmap(at, len, prot, MAP_SHARED | MAP_FIXED, fd, 0);
}

/*
 * Ten bytes in a quantum of PMD size, mapped at a PMD-aligned address: a
 * fault there finds the page table of the span empty, at any window (the
 * page alone has data).  Only that page maps; past it SIGBUS, and munmap
 * gives back every page the mapping counted.  (6.1's finish_fault() maps
 * a compound page it is handed in vmf->page with one PMD, THP-style, and
 * nothing undoes that for this mapping: 2 MiB past the data readable, and
 * the quantum and its counts kept for good.)
 */
TEST_F(huge, sparse_data_at_an_aligned_address)
{
	static const long windows[] = { 1, 0 };	/* 0: the default */
	size_t len = 2 * pmd_size;
	char buf[10];
	int i, fd;

	munmap(self->map, self->len);
	self->map = MAP_FAILED;
	fd = open(DEV0, O_RDWR | O_TRUNC);
	ASSERT_LE(0, fd);
	pattern_fill(buf, sizeof(buf), 0, 7);
	ASSERT_EQ(sizeof(buf), write(fd, buf, sizeof(buf)));
	for (i = 0; i < 2; i++) {
		long old = windows[i] ? set_window(windows[i]) : 0;
		long rss = kb_of("/proc/self/status", "RssFile");
		char *map;

		ASSERT_LE(0, old) TH_LOG("scullp_fault_window: cannot set");
		map = map_aligned(fd, len, PROT_READ);
		ASSERT_NE(MAP_FAILED, map);
		EXPECT_EQ(0, madvise(map, len, MADV_HUGEPAGE));
		EXPECT_EQ(-1, check(map, sizeof(buf), 0)) TH_LOG("window %ld", windows[i]);
		EXPECT_EQ(SIGBUS, access_signal(map + page_size, false))
			TH_LOG("window %ld: the page after the data", windows[i]);
		EXPECT_EQ(SIGBUS, access_signal(map + pmd_size - 1, false))
			TH_LOG("window %ld: the quantum's last byte", windows[i]);
		munmap(map, len);
		EXPECT_TRUE(rss_back(rss))
			TH_LOG("window %ld: RssFile %ld kB before, %ld after munmap",
			       windows[i], rss, kb_of("/proc/self/status", "RssFile"));
		if (windows[i])
			EXPECT_EQ(windows[i], set_window(old));
	}
	close(fd);
}

/*
 * Twenty cycles of: a quantum and a page of data, mapped at a PMD-aligned
 * address with a window of one page (LDD3's nopage), every page touched,
 * unmapped, the device emptied.  What the cycles took must come back.
 */
TEST_F(huge, map_unmap_trim_cycles_give_back_the_quanta)
{
	size_t data = pmd_size + page_size, len = 2 * pmd_size;
	long old, before, after, thp;
	char *buf = malloc(data);
	int cycle;

	ASSERT_NE(NULL, buf);
	munmap(self->map, self->len);
	self->map = MAP_FAILED;
	old = set_window(1);
	ASSERT_LE(0, old) TH_LOG("scullp_fault_window: cannot set");
	pattern_fill(buf, data, 0, 7);
	ASSERT_LE(0, close(open(DEV0, O_RDWR | O_TRUNC)));
	thp = vmstat("thp_file_mapped");
	before = free_kb();
	for (cycle = 0; cycle < 20; cycle++) {
		long rss = kb_of("/proc/self/status", "RssFile");
		int fd = open(DEV0, O_RDWR | O_TRUNC);
		char *map;

		ASSERT_LE(0, fd);
		ASSERT_EQ(data, write(fd, buf, data));
		map = map_aligned(fd, len, PROT_READ);
		ASSERT_NE(MAP_FAILED, map);
		EXPECT_EQ(0, madvise(map, len, MADV_HUGEPAGE));
		EXPECT_EQ(-1, check(map, data, 0)) TH_LOG("cycle %d", cycle);
		EXPECT_EQ(SIGBUS, access_signal(map + data, false)) TH_LOG("cycle %d", cycle);
		munmap(map, len);
		EXPECT_TRUE(rss_back(rss))
			TH_LOG("cycle %d: RssFile %ld kB before, %ld after munmap",
			       cycle, rss, kb_of("/proc/self/status", "RssFile"));
		close(fd);
	}
	ASSERT_LE(0, close(open(DEV0, O_RDWR | O_TRUNC)));
	after = free_kb();
	/* Two quanta lost a cycle are 40 of them; the allocator's noise, far less. */
	TH_LOG("free %ld kB before the cycles, %ld kB after", before, after);
	EXPECT_GT((long)(pmd_size >> 10) * 4, before - after);
	/* What 6.1's do_set_pmd() counts: no quantum was mapped THP-style. */
	EXPECT_EQ(thp, vmstat("thp_file_mapped"));
	EXPECT_EQ(1, set_window(old));
	free(buf);
}

SCULLP_HARNESS_MAIN
