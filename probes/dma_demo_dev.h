/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the dma_demo probes share: finding the edu device and its PCI
 * address, telling a machine without one (skip) from a driver that failed
 * to bind (fail), and writing the sysfs files that unbind and bind it.
 */
#ifndef DMA_DEMO_DEV_H
#define DMA_DEMO_DEV_H

#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define DMA_DEMO_SYSFS	"/sys/class/misc/dma_demo0"

/* Does /sys/bus/pci/devices/@dev/@attr start with @want? */
static inline int pci_attr_is(const char *dev, const char *attr, const char *want)
{
	char path[512], val[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", dev, attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(val, sizeof(val), f))
		val[0] = 0;
	fclose(f);
	return !strncmp(val, want, strlen(want));
}

/* Is there a QEMU edu device (1234:11e8) on the PCI bus at all? */
static inline int dma_demo_have_edu(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		found = pci_attr_is(e->d_name, "vendor", "0x1234") &&
			pci_attr_is(e->d_name, "device", "0x11e8");
	closedir(d);
	return found;
}

/* Wait up to @seconds for @path to exist (a node after a bind): 0, or -1. */
static inline int wait_for(const char *path, double seconds)
{
	double end = now_seconds() + seconds;

	while (access(path, F_OK)) {
		if (now_seconds() > end)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* Write @text to a sysfs file: 0, or -1. */
static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return ret;
}

/* The PCI address of dma_demo0, from its sysfs "device" link. */
static inline int pci_address(char *buf, size_t len)
{
	char link[512];
	ssize_t n = readlink(DMA_DEMO_SYSFS "/device", link, sizeof(link) - 1);

	if (n < 0)
		return -1;
	link[n] = 0;
	snprintf(buf, len, "%s", basename(link));
	return 0;
}

/*
 * A child busy with transfers, and its parent about to pull the device
 * from under it: the child says "started" once its first transfer went
 * through, so that the parent's unbind meets the next one in flight,
 * with no sleep to guess how long a fork and a first transfer take.
 * pipe() before the fork; the child calls say_started() after each
 * transfer (it writes once); the parent wait_started(), 0 or -1 if the
 * child ended first.
 */

static inline void say_started(int fds[2])
{
	if (fds[1] < 0)
		return;
	close(fds[0]);
	if (write(fds[1], "s", 1) != 1)
		_exit(111);
	close(fds[1]);
	fds[1] = -1;
}

static inline int wait_started(int fds[2])
{
	char c;
	ssize_t n;

	close(fds[1]);
	n = read(fds[0], &c, 1);	/* 0: every write end closed, no word */
	close(fds[0]);
	return n == 1 ? 0 : -1;
}

/*
 * In a kselftest FIXTURE_SETUP or TEST: skip on a machine without an edu
 * device; fail when there is one but not @path, since then the driver
 * did not bind it, and a skip would hide that.
 */
#define DMA_DEMO_REQUIRE(path) do {					\
	if (!access(path, F_OK))					\
		break;							\
	if (!dma_demo_have_edu())					\
		SKIP(return, "no QEMU edu device (PCI 1234:11e8)");	\
	ASSERT_EQ(0, access(path, F_OK))				\
		TH_LOG("%s missing, but there is an edu device: the driver did not bind it", \
		       path);						\
} while (0)

#endif /* DMA_DEMO_DEV_H */
