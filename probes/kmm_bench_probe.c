// SPDX-License-Identifier: GPL-2.0
/*
 * kmm_bench probe: the files of make bench's module answer as docs/bench.md
 * ("The bench module") says; a malformed or out-of-range request is EINVAL
 * (EFAULT for a bad pointer), runs nothing and leaves the last result as
 * it was.  Needs kmm_bench.ko loaded (default parameters) and, for the
 * dma_map fixture, an edu device no driver holds; runs as root.
 * scripts/guest/bench.sh runs it before it measures with the module:
 * -F dma_map without the device, -f dma_map with it.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"

#define DEBUGFS		"/sys/kernel/debug/kmm_bench"
#define VMALLOC_FILE	DEBUGFS "/vmalloc"
#define DMA_MAP_FILE	DEBUGFS "/dma_map"
#define KMALLOC_DEV	"/dev/kmm_bench_kmalloc"
#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCI_DRIVER	"/sys/bus/pci/drivers/kmm_bench"

/* Write @len bytes of @s to @path in one write(2): 0, or the errno. */
static int write_errno(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, len) != (ssize_t)len)
		err = errno;
	close(fd);
	return err;
}

/* Read @path into @line: 0, or the errno. */
static int read_errno(const char *path, char *line, size_t size)
{
	int fd = open(path, O_RDONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = read(fd, line, size - 1);
	if (n < 0)
		err = errno;
	line[n > 0 ? n : 0] = 0;
	close(fd);
	return err;
}

/*
 * debugfs vmalloc: a good run reports itself; every malformed or
 * out-of-bounds request is EINVAL (EFAULT for a bad pointer), runs
 * nothing and leaves the last result as it was.
 */
TEST(vmalloc_input)
{
	static const char *const bad[] = {
		"\n", "1", "1\n", "0 1", "1 0", "1025 1", "1 100001",
		"1024 1025", "4294967297 1", "1 4294967297", "-1 1", "1 -1",
		"1  1", " 1 1", "1 1 1", "0x10 1", "abc def", "1 1x",
		"1000000000000000000000000000000000000000 1",
	};
	/* volatile: the compiler must not see that the pointer is bad. */
	const char *volatile nowhere = (const char *)8;
	unsigned int pages, reps;
	unsigned long long vm, vmap, map;
	char line[256], again[256];
	struct stat st;
	unsigned int i;

	ASSERT_EQ(0, stat(VMALLOC_FILE, &st)) TH_LOG("%s: %s", VMALLOC_FILE,
						     strerror(errno));
	EXPECT_EQ(0600, st.st_mode & 07777);

	ASSERT_EQ(0, write_errno(VMALLOC_FILE, "3 2\n", 4));
	ASSERT_EQ(0, read_errno(VMALLOC_FILE, line, sizeof(line)));
	ASSERT_EQ(5, sscanf(line, "pages=%u reps=%u vmalloc_ns=%llu vmap_ns=%llu map_ns=%llu",
			    &pages, &reps, &vm, &vmap, &map)) TH_LOG("%s", line);
	EXPECT_EQ(3, pages);
	EXPECT_EQ(2, reps);
	EXPECT_LT(0, vm);
	EXPECT_LT(0, vmap);
	EXPECT_LT(0, map);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, write_errno(VMALLOC_FILE, bad[i], strlen(bad[i])))
			TH_LOG("bad input %u was taken", i);
	}
	EXPECT_EQ(EFAULT, write_errno(VMALLOC_FILE, nowhere, 4));

	ASSERT_EQ(0, read_errno(VMALLOC_FILE, again, sizeof(again)));
	EXPECT_STREQ(line, again);
}

/*
 * /dev/kmm_bench_kmalloc: root's, kmalloc_size bytes, zeroed at load;
 * what is written reads back; a write past the end is short, then
 * ENOSPC; a read past the end returns 0.
 */
TEST(kmalloc_read_write)
{
	long long size = module_param("kmm_bench", "kmalloc_size");
	char in[3000], out[3000];
	struct stat st;
	off_t end;
	int fd;

	ASSERT_LT(sizeof(in), size);
	ASSERT_EQ(0, stat(KMALLOC_DEV, &st)) TH_LOG("%s: %s", KMALLOC_DEV,
						    strerror(errno));
	EXPECT_EQ(0600, st.st_mode & 07777);
	fd = open(KMALLOC_DEV, O_RDWR);
	ASSERT_LE(0, fd);

	end = lseek(fd, 0, SEEK_END);
	EXPECT_EQ(size, end);
	ASSERT_EQ(sizeof(out), pread(fd, out, sizeof(out), size / 2));
	EXPECT_EQ(-1, zero_check(out, sizeof(out)));

	pattern_fill(in, sizeof(in), 0, 7);
	ASSERT_EQ(sizeof(in), pwrite(fd, in, sizeof(in), 1000));
	ASSERT_EQ(sizeof(out), pread(fd, out, sizeof(out), 1000));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));

	EXPECT_EQ(100, pwrite(fd, in, sizeof(in), size - 100));
	EXPECT_ERRNO(ENOSPC, pwrite(fd, in, 1, size));
	EXPECT_EQ(100, pread(fd, out, sizeof(out), size - 100));
	EXPECT_EQ(0, memcmp(in, out, 100));
	EXPECT_EQ(0, pread(fd, out, sizeof(out), size));
	close(fd);
}

/* The PCI address of the first edu device: 0, or -1 if there is none. */
static int edu_address(char *buf, size_t len)
{
	DIR *d = opendir(PCI_DEVICES);
	struct dirent *e;
	int ret = -1;

	if (!d)
		return -1;
	while (ret && (e = readdir(d)))
		if (pci_attr_is(e->d_name, "vendor", "0x1234") &&
		    pci_attr_is(e->d_name, "device", "0x11e8")) {
			snprintf(buf, len, "%s", e->d_name);
			ret = 0;
		}
	closedir(d);
	return ret;
}

static int swiotlb_forced(void)
{
	char cmdline[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	return strstr(cmdline, "swiotlb=force") != NULL;
}

/* The edu device, handed to kmm_bench through driver_override. */
FIXTURE(dma_map) {
	char addr[256];
	char path[320];
	int bound;
};

FIXTURE_SETUP(dma_map)
{
	char driver[320];

	if (edu_address(self->addr, sizeof(self->addr)))
		SKIP(return, "no QEMU edu device (PCI 1234:11e8)");
	snprintf(driver, sizeof(driver), PCI_DEVICES "/%s/driver", self->addr);
	ASSERT_NE(0, access(driver, F_OK))
		TH_LOG("%s is bound to a driver: unload dma_demo first", self->addr);
	/* Nothing bound, nothing to measure with. */
	EXPECT_NE(0, access(DMA_MAP_FILE, F_OK));

	snprintf(self->path, sizeof(self->path), PCI_DEVICES "/%s/driver_override",
		 self->addr);
	ASSERT_EQ(0, write_file(self->path, "kmm_bench"));
	ASSERT_EQ(0, write_file(PCI_DRIVER "/bind", self->addr))
		TH_LOG("bind %s: %s", self->addr, strerror(errno));
	self->bound = 1;
	ASSERT_EQ(0, wait_for(DMA_MAP_FILE, 5));
}

FIXTURE_TEARDOWN(dma_map)
{
	if (self->bound)
		EXPECT_EQ(0, write_file(PCI_DRIVER "/unbind", self->addr));
	if (self->path[0])
		EXPECT_EQ(0, write_file(self->path, "\n"));
	/* The file goes with the device. */
	EXPECT_NE(0, access(DMA_MAP_FILE, F_OK));
}

/*
 * debugfs dma_map: nothing before the first measurement (ENODATA); a
 * measurement gives its figures; input that is not two numbers in range
 * gives EINVAL and leaves the last figures alone; with swiotlb forced,
 * where a mapping would bounce, EOPNOTSUPP.
 */
TEST_F(dma_map, input)
{
	static const char *const bad[] = {
		"\n", "64", "64\n", "0 10", "65537 10", "64 0", "64 100001",
		"abc 10", "64 ten", "-1 10", "64 -1", "64 10 7",
		"4294967360 10", "64                             10",
	};
	unsigned int bytes = 0, loops = 0;
	unsigned long long map_ns = 0, copy_ns = 0;
	char buf[128];
	struct stat st;
	unsigned int i;

	ASSERT_EQ(0, stat(DMA_MAP_FILE, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(ENODATA, read_errno(DMA_MAP_FILE, buf, sizeof(buf)));
	if (swiotlb_forced()) {
		EXPECT_EQ(EOPNOTSUPP, write_errno(DMA_MAP_FILE, "64 10", 5));
		return;
	}
	ASSERT_EQ(0, write_errno(DMA_MAP_FILE, "4096 1000", 9));
	ASSERT_EQ(0, read_errno(DMA_MAP_FILE, buf, sizeof(buf)));
	ASSERT_EQ(4, sscanf(buf, "bytes=%u loops=%u map_unmap_ns=%llu memcpy_ns=%llu",
			    &bytes, &loops, &map_ns, &copy_ns)) TH_LOG("read \"%s\"", buf);
	EXPECT_EQ(4096, bytes);
	EXPECT_EQ(1000, loops);
	EXPECT_LT(0, map_ns);
	EXPECT_LT(0, copy_ns);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, write_errno(DMA_MAP_FILE, bad[i], strlen(bad[i])))
			TH_LOG("\"%s\"", bad[i]);
	}
	ASSERT_EQ(0, read_errno(DMA_MAP_FILE, buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "bytes=4096 loops=1000 ", 22)) TH_LOG("read \"%s\"", buf);
	/* The largest measurement it takes, and the smallest. */
	EXPECT_EQ(0, write_errno(DMA_MAP_FILE, "65536 1", 7));
	EXPECT_EQ(0, write_errno(DMA_MAP_FILE, "1 1\n", 4));
}

/* The file goes with an unbind and comes back, new, with the next bind. */
TEST_F(dma_map, unbind_and_bind_again)
{
	char buf[128];

	ASSERT_EQ(0, write_file(PCI_DRIVER "/unbind", self->addr));
	self->bound = 0;
	EXPECT_NE(0, access(DMA_MAP_FILE, F_OK));
	ASSERT_EQ(0, write_file(PCI_DRIVER "/bind", self->addr));
	self->bound = 1;
	ASSERT_EQ(0, wait_for(DMA_MAP_FILE, 5));
	/* The device bound again has measured nothing yet. */
	EXPECT_EQ(ENODATA, read_errno(DMA_MAP_FILE, buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
