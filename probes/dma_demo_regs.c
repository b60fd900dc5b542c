// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo register probe: BAR0 of QEMU's edu device, mapped through
 * /dev/dma_demo0 at DMA_DEMO_REGS_OFFSET as the PCI core's resource0 maps
 * it (docs/mmap.md, "Device I/O memory"): the registers read and written
 * through the mapping, uncached on x86; what mmap() refuses; SIGBUS after
 * an unbind and after a hot-remove; fork, partial munmap, and mmap()
 * racing an unbind.
 * Needs dma_demo.ko loaded; runs as root; leaves the device bound.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"
#include "uapi/dma_demo.h"

#define DEV	"/dev/dma_demo0"
#define DRIVER	"/sys/bus/pci/drivers/dma_demo"
#define PCI	"/sys/bus/pci/devices"
#define PAT	"/sys/kernel/debug/x86/pat_memtype_list"

#define EDU_ID_MAGIC		0xed	/* the identification's low byte */
#define FACTORIAL_SECONDS	5	/* edu's thread takes microseconds */
#define FACTORIAL_MAX		12	/* 13! does not fit the 32-bit register */
/*
 * An unbind and a bind take a second or more each on a debug kernel: at
 * least RACE_MIN_ROUNDS rounds, more while under RACE_SECONDS.
 */
#define RACE_MIN_ROUNDS	5
#define RACE_ROUNDS	8
#define RACE_SECONDS	15
#define RACERS		2
#define RACE_RING	64	/* mappings each racer holds at most */

/* A 32-bit register @off bytes into a mapping of the registers. */
static volatile uint32_t *reg(void *map, unsigned long off)
{
	return (volatile uint32_t *)((char *)map + off);
}

/* mmap() of @len bytes of BAR0 from byte @off (a multiple of the page size). */
static void *map_regs(int fd, unsigned long off, size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags, fd, DMA_DEMO_REGS_OFFSET + off);
}

/* What mmap() of the registers says: 0 (and the mapping goes) or errno. */
static int map_errno(int fd, unsigned long off, size_t len, int prot, int flags)
{
	void *p = map_regs(fd, off, len, prot, flags);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static sigjmp_buf jump;

static void on_fault(int sig)
{
	siglongjmp(jump, sig);
}

/*
 * One 32-bit read of @p into *@val, or write of *@val to it: 0, or the
 * signal it raised (SIGBUS, SIGSEGV), caught for this access only.
 */
static int touch(volatile uint32_t *p, bool write, uint32_t *val)
{
	struct sigaction sa = { .sa_handler = on_fault }, bus, segv;
	int sig;

	sigaction(SIGBUS, &sa, &bus);
	sigaction(SIGSEGV, &sa, &segv);
	sig = sigsetjmp(jump, 1);
	if (!sig) {
		if (write)
			*p = *val;
		else
			*val = *p;
	}
	sigaction(SIGBUS, &bus, NULL);
	sigaction(SIGSEGV, &segv, NULL);
	return sig;
}

static const char *sig_name(int sig)
{
	return sig ? sigabbrev_np(sig) : "no signal";
}

/*
 * After an unbind or a hot-remove: bind the device again, or rescan the
 * bus if it is gone from it, and wait for its node.  0, or -1.
 */
static int bring_back(const char *addr)
{
	char path[256];

	if (!access(DEV, F_OK))
		return 0;
	snprintf(path, sizeof(path), PCI "/%s", addr);
	if (access(path, F_OK) ? write_file("/sys/bus/pci/rescan", "1") :
				 write_file(DRIVER "/bind", addr))
		return -1;
	return wait_for(DEV, 20);
}

/* BAR0's start and length, from the first line of the device's "resource". */
static int bar0(const char *addr, unsigned long long *start,
		unsigned long long *len)
{
	unsigned long long end;
	char path[256];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), PCI "/%s/resource", addr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llx %llx", start, &end);
	fclose(f);
	if (n != 2 || end < *start)
		return -1;
	*len = end - *start + 1;
	return 0;
}

/* The identification through a new mapping of @fd: 0, or the signal. */
static int id_through_new_mapping(int fd, uint32_t *id)
{
	void *map = map_regs(fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	int sig;

	if (map == MAP_FAILED)
		return -1;
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, id);
	munmap(map, page_size);
	return sig;
}

FIXTURE(regs) {
	char addr[64];
	int fd;
};

FIXTURE_SETUP(regs)
{
	self->fd = -1;
	DMA_DEMO_REQUIRE(DEV);
	ASSERT_EQ(0, pci_address(self->addr, sizeof(self->addr)));
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
}

FIXTURE_TEARDOWN(regs)
{
	if (self->fd >= 0)
		close(self->fd);
	/* Whatever happened, leave the device bound for the next case. */
	if (self->addr[0] && bring_back(self->addr))
		TH_LOG("%s is not back: the next cases will fail", DEV);
}

/*
 * The identification read through our mapping is the one the PCI core's
 * own mapping of the BAR (resource0) gives.  CONFIG_IO_STRICT_DEVMEM
 * (Debian's kernels) refuses resource0 while a driver holds the region:
 * it is read with the device unbound.
 */
TEST_F_TIMEOUT(regs, identification_matches_resource0, 120)
{
	unsigned long long start, len;
	uint32_t id = 0, core = 0;
	char path[256];
	void *map;
	int fd, sig;

	ASSERT_EQ(0, bar0(self->addr, &start, &len));
	EXPECT_EQ(DMA_DEMO_REGS_SIZE, len) TH_LOG("BAR0: %#llx bytes at %#llx", len, start);
	map = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap of the registers: %s", strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	munmap(map, page_size);
	ASSERT_EQ(0, sig) TH_LOG("reading the identification: %s", sig_name(sig));
	EXPECT_EQ(EDU_ID_MAGIC, id & 0xff) TH_LOG("identification %#010x", id);

	ASSERT_EQ(0, write_file(DRIVER "/unbind", self->addr)) TH_LOG("unbind %s", self->addr);
	snprintf(path, sizeof(path), PCI "/%s/resource0", self->addr);
	fd = open(path, O_RDWR | O_SYNC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", path, strerror(errno));
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap %s: %s", path, strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &core);
	munmap(map, page_size);
	close(fd);
	ASSERT_EQ(0, bring_back(self->addr)) TH_LOG("bind %s", self->addr);
	ASSERT_EQ(0, sig) TH_LOG("reading resource0: %s", sig_name(sig));
	EXPECT_EQ(core, id) TH_LOG("through %s %#010x, through resource0 %#010x",
				   DEV, id, core);
	TH_LOG("identification %#010x: edu version %u.%u", id, id >> 24, (id >> 16) & 0xff);
}

/* Write x, read ~x: through one mapping, and read back through another. */
TEST_F(regs, liveness_through_the_mapping)
{
	static const uint32_t values[] = { 0, ~0u, 0x12345678, 0x80000001,
					   0xa5a55a5a, EDU_ID_MAGIC };
	void *map = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	void *other = map_regs(self->fd, 0, page_size, PROT_READ, MAP_SHARED);
	size_t i;

	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_NE(MAP_FAILED, other) TH_LOG("mmap read-only: %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		uint32_t x = values[i], got = 0, seen = 0;
		int sig;

		sig = touch(reg(map, DMA_DEMO_REG_LIVENESS), true, &x);
		ASSERT_EQ(0, sig) TH_LOG("write %#010x: %s", x, sig_name(sig));
		sig = touch(reg(map, DMA_DEMO_REG_LIVENESS), false, &got);
		ASSERT_EQ(0, sig) TH_LOG("read: %s", sig_name(sig));
		sig = touch(reg(other, DMA_DEMO_REG_LIVENESS), false, &seen);
		ASSERT_EQ(0, sig) TH_LOG("read through the other mapping: %s", sig_name(sig));
		EXPECT_EQ(~x, got) TH_LOG("wrote %#010x, read %#010x", x, got);
		EXPECT_EQ(~x, seen) TH_LOG("wrote %#010x, the other mapping read %#010x",
					   x, seen);
	}
	munmap(map, page_size);
	munmap(other, page_size);
}

static uint32_t factorial(unsigned int n)
{
	uint32_t f = 1;

	while (n > 1)
		f *= n--;
	return f;
}

/*
 * Wait until edu's factorial is no longer being computed, polling its
 * status register: 0, -1 after FACTORIAL_SECONDS, or the signal raised.
 */
static int wait_computed(void *map)
{
	double end = now_seconds() + FACTORIAL_SECONDS;
	uint32_t status;
	int sig;

	while (!(sig = touch(reg(map, DMA_DEMO_REG_STATUS), false, &status)) &&
	       (status & DMA_DEMO_STATUS_COMPUTING))
		if (now_seconds() > end)
			return -1;
	return sig;
}

/* n! for n = 0..12 by the device, through the mapping, as the CPU has it. */
TEST_F(regs, factorial_through_the_mapping)
{
	void *map = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	unsigned int n;

	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	/* Only the computing bit: 0x80 would raise interrupts nobody expects. */
	ASSERT_EQ(0, wait_computed(map)) TH_LOG("a factorial already in progress never ends");
	for (n = 0; n <= FACTORIAL_MAX; n++) {
		uint32_t val = n;
		int ret;

		ret = touch(reg(map, DMA_DEMO_REG_FACTORIAL), true, &val);
		ASSERT_EQ(0, ret) TH_LOG("write %u: %s", n, sig_name(ret));
		ret = wait_computed(map);
		ASSERT_EQ(0, ret) TH_LOG("%u!: %s", n, ret < 0 ?
					 "still computing after the time allowed" :
					 sig_name(ret));
		ret = touch(reg(map, DMA_DEMO_REG_FACTORIAL), false, &val);
		ASSERT_EQ(0, ret) TH_LOG("read %u!: %s", n, sig_name(ret));
		EXPECT_EQ(factorial(n), val) TH_LOG("%u! by the device %u, by the CPU %u",
						    n, val, factorial(n));
	}
	munmap(map, page_size);
}

#if defined(__x86_64__) || defined(__i386__)
/* Is there anything in @dir (a mount point whose file system is not mounted)? */
static bool dir_has_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return found;
}
#endif

/*
 * On x86, PAT keeps the memory type of every range mapped uncached or
 * write-combined: the entries covering the BAR's start say uncached
 * (uncached-minus is what ioremap() and pgprot_noncached() ask), none
 * write-back, while the registers are mapped and touched.
 */
TEST_F(regs, uncached_on_x86)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned long long start, len, lo, hi;
	int covering = 0, uncached = 0, sig;
	uint32_t id;
	char line[256], type[64];
	void *map;
	FILE *f;

	if (!dir_has_entries("/sys/kernel/debug"))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(PAT, R_OK))
		SKIP(return, "no %s: PAT is off or the kernel has no debugfs", PAT);
	ASSERT_EQ(0, bar0(self->addr, &start, &len));
	map = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	ASSERT_EQ(0, sig) TH_LOG("reading the identification: %s", sig_name(sig));

	f = fopen(PAT, "r");
	ASSERT_NE(NULL, f) TH_LOG("%s: %s", PAT, strerror(errno));
	/* "PAT: [mem 0x00000000fea00000-0x00000000feb00000] uncached-minus" */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "PAT: [mem %llx-%llx] %63s", &lo, &hi, type) != 3 ||
		    start < lo || start >= hi)
			continue;
		covering++;
		uncached += !strncmp(type, "uncached", 8);
		EXPECT_STRNE("write-back", type) TH_LOG("%s", line);
		TH_LOG("BAR0 at %#llx: %s", start, strtok(line, "\n"));
	}
	fclose(f);
	munmap(map, page_size);
	EXPECT_LT(0, covering) TH_LOG("no entry of %s covers BAR0 at %#llx", PAT, start);
	EXPECT_EQ(covering, uncached) TH_LOG("%d of the %d entries covering BAR0 say uncached",
					     uncached, covering);
#else
	SKIP(return, "PAT and its pat_memtype_list are x86's: nothing to read on this architecture");
#endif
}

/*
 * Without CAP_SYS_RAWIO, on a file root opened: EPERM for the registers,
 * while the host buffer still maps.  In a child that gives up root; its
 * exit status says what it saw.
 */
enum { UNPRIV_OK, UNPRIV_SETUID, UNPRIV_BUFFER, UNPRIV_MAPPED, UNPRIV_OTHER };

static void unprivileged(int fd)
{
	void *p;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		_exit(UNPRIV_SETUID);
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(UNPRIV_BUFFER);
	munmap(p, page_size);
	p = map_regs(fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	if (p != MAP_FAILED)
		_exit(UNPRIV_MAPPED);
	_exit(errno == EPERM ? UNPRIV_OK : UNPRIV_OTHER);
}

TEST_F(regs, refusals)
{
	static const char *const unpriv[] = {
		[UNPRIV_SETUID] = "setuid(65534) failed",
		[UNPRIV_BUFFER] = "the host buffer did not map either",
		[UNPRIV_MAPPED] = "the registers mapped",
		[UNPRIV_OTHER] = "the registers were refused, but not with EPERM",
	};
	const long bar = DMA_DEMO_REGS_SIZE, rw = PROT_READ | PROT_WRITE;
	const struct {
		const char *what;
		unsigned long off;
		size_t len;
		int prot, flags, err;
	} cases[] = {
		{ "MAP_PRIVATE", 0, page_size, rw, MAP_PRIVATE, EINVAL },
		{ "MAP_PRIVATE, read-only", 0, page_size, PROT_READ, MAP_PRIVATE, EINVAL },
		{ "an offset at the BAR's end", bar, page_size, rw, MAP_SHARED, EINVAL },
		{ "an offset far past the BAR", 64 * bar, page_size, rw, MAP_SHARED, EINVAL },
		{ "a length past the BAR", 0, bar + page_size, rw, MAP_SHARED, EINVAL },
		{ "a range across the BAR's end", bar - page_size, 2 * page_size, rw,
		  MAP_SHARED, EINVAL },
		{ "PROT_EXEC", 0, page_size, PROT_READ | PROT_EXEC, MAP_SHARED, EPERM },
		{ "PROT_EXEC, writable", 0, page_size, rw | PROT_EXEC, MAP_SHARED, EPERM },
		{ "the whole BAR", 0, bar, rw, MAP_SHARED, 0 },
		{ "the BAR's last page", bar - page_size, page_size, rw, MAP_SHARED, 0 },
	};
	uint32_t id = 0, last = 0, last_whole = 0;
	struct statvfs st;
	int status, sig, ret, err;
	void *map, *end;
	size_t i;
	pid_t pid;

	if (!statvfs(DEV, &st) && (st.f_flag & ST_NOEXEC))
		TH_LOG("%s is on a noexec mount: EPERM for PROT_EXEC may be the VFS's", DEV);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = map_errno(self->fd, cases[i].off, cases[i].len,
				    cases[i].prot, cases[i].flags);

		EXPECT_EQ(cases[i].err, err) TH_LOG("%s: %s, not %s", cases[i].what,
						    err ? strerrorname_np(err) : "mapped",
						    cases[i].err ? strerrorname_np(cases[i].err) :
								   "mapped");
	}

	/* The good ones read: the whole BAR and its last page agree. */
	map = map_regs(self->fd, 0, bar, rw, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("the whole BAR: %s", strerror(errno));
	end = map_regs(self->fd, bar - page_size, page_size, rw, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, end) TH_LOG("the last page: %s", strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	EXPECT_EQ(0, sig) TH_LOG("the whole BAR's first page: %s", sig_name(sig));
	EXPECT_EQ(EDU_ID_MAGIC, id & 0xff) TH_LOG("identification %#010x", id);
	sig = touch(reg(map, bar - 4), false, &last_whole);
	EXPECT_EQ(0, sig) TH_LOG("the whole BAR's last word: %s", sig_name(sig));
	sig = touch(reg(end, page_size - 4), false, &last);
	EXPECT_EQ(0, sig) TH_LOG("the last page's last word: %s", sig_name(sig));
	EXPECT_EQ(last_whole, last);

	/* mprotect() cannot make a mapping executable; the mapping stays. */
	ret = mprotect(map, page_size, PROT_READ | PROT_EXEC);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EACCES, err) TH_LOG("mprotect(PROT_READ | PROT_EXEC): %s",
				     ret ? strerrorname_np(err) : "done");
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	EXPECT_EQ(0, sig) TH_LOG("after the refused mprotect(): %s", sig_name(sig));
	munmap(map, bar);
	munmap(end, page_size);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		unprivileged(self->fd);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("the unprivileged child: status %#x", status);
	EXPECT_EQ(UNPRIV_OK, WEXITSTATUS(status))
		TH_LOG("without CAP_SYS_RAWIO: %s", WEXITSTATUS(status) < ARRAY_SIZE(unpriv) ?
		       unpriv[WEXITSTATUS(status)] : "?");
}

/*
 * The driver's unbind zaps the mappings: a touch, read or write, of one
 * touched before and of one never touched gets SIGBUS, and still does
 * after the device is bound again; a new file maps the new binding.
 */
TEST_F_TIMEOUT(regs, sigbus_after_unbind, 120)
{
	uint32_t id = 0, val = 0x12345678, again = 0;
	void *map, *untouched;
	int sig;

	map = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	untouched = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, untouched) TH_LOG("mmap: %s", strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	ASSERT_EQ(0, sig) TH_LOG("before the unbind: %s", sig_name(sig));
	ASSERT_EQ(EDU_ID_MAGIC, id & 0xff) TH_LOG("identification %#010x", id);

	ASSERT_EQ(0, write_file(DRIVER "/unbind", self->addr)) TH_LOG("unbind %s", self->addr);
	EXPECT_EQ(SIGBUS, sig = touch(reg(map, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("read after the unbind: %s", sig_name(sig));
	EXPECT_EQ(SIGBUS, sig = touch(reg(map, DMA_DEMO_REG_LIVENESS), true, &val))
		TH_LOG("write after the unbind: %s", sig_name(sig));
	EXPECT_EQ(SIGBUS, sig = touch(reg(untouched, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("first touch after the unbind: %s", sig_name(sig));
	EXPECT_EQ(ENODEV, map_errno(self->fd, 0, page_size, PROT_READ, MAP_SHARED));

	ASSERT_EQ(0, bring_back(self->addr)) TH_LOG("bind %s", self->addr);
	EXPECT_EQ(SIGBUS, sig = touch(reg(map, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("the old mapping after the bind: %s", sig_name(sig));
	close(self->fd);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open after the bind: %s", strerror(errno));
	sig = id_through_new_mapping(self->fd, &again);
	EXPECT_EQ(0, sig) TH_LOG("a new mapping: %s", sig < 0 ? strerror(errno) : sig_name(sig));
	EXPECT_EQ(id, again);
	munmap(map, page_size);
	munmap(untouched, page_size);
}

/*
 * PCI hot-remove zaps the mappings as the unbind does; a rescan brings
 * the device and its node back, and a new mapping reads it.
 */
TEST_F_TIMEOUT(regs, sigbus_after_hot_remove, 120)
{
	uint32_t id = 0, val = 0x12345678, again = 0;
	char path[256];
	void *map;
	int sig;

	map = map_regs(self->fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	ASSERT_EQ(0, sig) TH_LOG("before the remove: %s", sig_name(sig));

	snprintf(path, sizeof(path), PCI "/%s/remove", self->addr);
	ASSERT_EQ(0, write_file(path, "1")) TH_LOG("%s: %s", path, strerror(errno));
	EXPECT_NE(0, access(DEV, F_OK)) TH_LOG("%s still there", DEV);
	EXPECT_EQ(SIGBUS, sig = touch(reg(map, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("read after the remove: %s", sig_name(sig));
	EXPECT_EQ(SIGBUS, sig = touch(reg(map, DMA_DEMO_REG_LIVENESS), true, &val))
		TH_LOG("write after the remove: %s", sig_name(sig));
	EXPECT_EQ(ENODEV, map_errno(self->fd, 0, page_size, PROT_READ, MAP_SHARED));

	ASSERT_EQ(0, write_file("/sys/bus/pci/rescan", "1"));
	ASSERT_EQ(0, wait_for(DEV, 20)) TH_LOG("no %s after the rescan", DEV);
	ASSERT_EQ(0, pci_address(self->addr, sizeof(self->addr)));
	EXPECT_EQ(SIGBUS, sig = touch(reg(map, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("the old mapping after the rescan: %s", sig_name(sig));
	close(self->fd);
	self->fd = open(DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open after the rescan: %s", strerror(errno));
	sig = id_through_new_mapping(self->fd, &again);
	EXPECT_EQ(0, sig) TH_LOG("a new mapping: %s", sig < 0 ? strerror(errno) : sig_name(sig));
	EXPECT_EQ(id, again);
	munmap(map, page_size);
}

/* The child's exit status: what it read through the inherited mapping. */
enum { CHILD_READ_ID, CHILD_OTHER_VALUE, CHILD_SIGNAL };

TEST_F(regs, fork_and_partial_munmap)
{
	uint32_t id = 0, val = 0, beyond = 0;
	void *map, *whole;
	int status, sig;
	pid_t pid;

	map = map_regs(self->fd, 0, 2 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	sig = touch(reg(map, DMA_DEMO_REG_ID), false, &id);
	ASSERT_EQ(0, sig) TH_LOG("%s", sig_name(sig));
	ASSERT_EQ(EDU_ID_MAGIC, id & 0xff) TH_LOG("identification %#010x", id);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (touch(reg(map, DMA_DEMO_REG_ID), false, &val))
			_exit(CHILD_SIGNAL);
		_exit(val == id ? CHILD_READ_ID : CHILD_OTHER_VALUE);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_READ_ID)
		TH_LOG("the child: status %#x (%d: read the ID, %d: another value, %d: a signal)",
		       status, CHILD_READ_ID, CHILD_OTHER_VALUE, CHILD_SIGNAL);

	/* The second page goes: the first still reads, the second is no mapping. */
	ASSERT_EQ(0, munmap((char *)map + page_size, page_size));
	val = 0;
	EXPECT_EQ(0, sig = touch(reg(map, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("the first page: %s", sig_name(sig));
	EXPECT_EQ(id, val);
	EXPECT_EQ(SIGSEGV, sig = touch(reg(map, page_size), false, &val))
		TH_LOG("the unmapped second page: %s", sig_name(sig));
	munmap(map, page_size);

	/* The first page goes: the second reads the BAR past edu's registers. */
	whole = map_regs(self->fd, 0, DMA_DEMO_REGS_SIZE, PROT_READ, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, whole) TH_LOG("the whole BAR: %s", strerror(errno));
	ASSERT_EQ(0, touch(reg(whole, page_size), false, &beyond));
	munmap(whole, DMA_DEMO_REGS_SIZE);
	map = map_regs(self->fd, 0, 2 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, munmap(map, page_size));
	EXPECT_EQ(SIGSEGV, sig = touch(reg(map, DMA_DEMO_REG_ID), false, &val))
		TH_LOG("the unmapped first page: %s", sig_name(sig));
	val = ~beyond;
	EXPECT_EQ(0, sig = touch(reg(map, page_size), false, &val))
		TH_LOG("the second page: %s", sig_name(sig));
	EXPECT_EQ(beyond, val) TH_LOG("BAR0 at %#lx: %#010x through the whole BAR, %#010x "
				      "through the second page alone", page_size, beyond, val);
	munmap((char *)map + page_size, page_size);
}

/*
 * One racer: map a page of the registers and read the identification,
 * again and again, holding the last RACE_RING mappings, until @unbound
 * says the unbind returned; @ready once its first mapping was read.  It
 * reports how many it made, how many read something other than the
 * identification (a bus gone, not a SIGBUS), and how many of those it
 * holds at the end can still be read.
 */
static void racer(int fd, int *ready, int *unbound, int out)
{
	void *ring[RACE_RING] = { NULL };
	int made = 0, wrong = 0, readable = 0, i;
	bool said_ready = false;
	int result[3];
	uint32_t id;

	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* never outlive a failed case */
	while (!__atomic_load_n(unbound, __ATOMIC_SEQ_CST)) {
		void *p = map_regs(fd, 0, page_size, PROT_READ | PROT_WRITE, MAP_SHARED);

		if (p == MAP_FAILED)
			continue;	/* ENODEV once the device is gone */
		i = made++ % RACE_RING;
		if (ring[i])
			munmap(ring[i], page_size);
		ring[i] = p;
		if (touch(reg(p, DMA_DEMO_REG_ID), false, &id))
			continue;	/* SIGBUS: the unbind zapped it */
		wrong += (id & 0xff) != EDU_ID_MAGIC;
		if (!said_ready)
			__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
		said_ready = true;
	}
	for (i = 0; i < RACE_RING; i++)
		if (ring[i] && !touch(reg(ring[i], DMA_DEMO_REG_ID), false, &id))
			readable++;
	result[0] = made;
	result[1] = wrong;
	result[2] = readable;
	_exit(write(out, result, sizeof(result)) == sizeof(result) ? 0 : 1);
}

/*
 * mmap() racing the unbind, as dma_demo_lifetime's for the host buffer:
 * afterwards no mapping a racer made, before or during the unbind, can
 * be read.
 */
TEST_F_TIMEOUT(regs, mmap_racing_unbind, 180)
{
	int *flags = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int round, made = 0, wrong = 0, readable = 0, rounds = 0;
	double end = now_seconds() + RACE_SECONDS;

	ASSERT_NE(MAP_FAILED, flags);
	close(self->fd);	/* each round opens the node it binds */
	self->fd = -1;
	for (round = 0; round < RACE_ROUNDS &&
	     (round < RACE_MIN_ROUNDS || now_seconds() < end); round++) {
		int *ready = &flags[0], *unbound = &flags[1];
		int fd = open(DEV, O_RDWR), pipefd[2], i, status, started;
		double wait_end = now_seconds() + 20;
		pid_t pid[RACERS];

		ASSERT_LE(0, fd) TH_LOG("round %d: open: %s", round, strerror(errno));
		ASSERT_EQ(0, pipe(pipefd));
		__atomic_store_n(ready, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(unbound, 0, __ATOMIC_SEQ_CST);
		for (i = 0; i < RACERS; i++) {
			pid[i] = fork();
			ASSERT_LE(0, pid[i]);
			if (!pid[i])
				racer(fd, ready, unbound, pipefd[1]);
		}
		close(pipefd[1]);	/* a racer that dies unheard ends the read */
		while ((started = __atomic_load_n(ready, __ATOMIC_SEQ_CST)) < RACERS &&
		       now_seconds() < wait_end)
			usleep(1000);
		if (started == RACERS) {
			usleep(2000 * (round % 4));	/* a different moment each round */
			ASSERT_EQ(0, write_file(DRIVER "/unbind", self->addr))
				TH_LOG("round %d: unbind", round);
		}
		__atomic_store_n(unbound, 1, __ATOMIC_SEQ_CST);
		for (i = 0; i < RACERS; i++) {
			int result[3];

			ASSERT_EQ(sizeof(result), read(pipefd[0], result, sizeof(result)));
			made += result[0];
			wrong += result[1];
			readable += result[2];
		}
		for (i = 0; i < RACERS; i++) {
			ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
		}
		ASSERT_EQ(RACERS, started)
			TH_LOG("round %d: %d of %d racers read a first mapping in 20 s",
			       round, started, RACERS);
		close(pipefd[0]);
		close(fd);
		ASSERT_EQ(0, bring_back(self->addr)) TH_LOG("round %d: bind", round);
		rounds++;
	}
	TH_LOG("%d rounds, %d mappings made, %d read no identification, "
	       "%d still readable after the unbind", rounds, made, wrong, readable);
	EXPECT_LE(RACE_MIN_ROUNDS, rounds);
	EXPECT_LT(0, made);
	EXPECT_EQ(0, wrong);
	EXPECT_EQ(0, readable);
	munmap(flags, page_size);
}

TEST_HARNESS_MAIN
