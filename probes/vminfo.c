// SPDX-License-Identifier: GPL-2.0
/*
 * vminfo: print what VMALLOC_DEMO_IOCINFO says about /dev/vmalloc_demo,
 * after resizing it first if asked.  A tool for people and scripts, not a
 * test (test programs are named vmalloc_demo_*).
 *   Usage: vminfo [-r BYTES] [DEVICE]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/vmalloc_demo.h"

int main(int argc, char **argv)
{
	const char *dev = "/dev/vmalloc_demo";
	struct vmalloc_demo_info info;
	int opt, fd;
	__u64 size = 0;
	char *end;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			goto usage;
		errno = 0;
		size = strtoull(optarg, &end, 0);
		if (errno || *end || !size)
			goto usage;
	}
	if (optind < argc)
		dev = argv[optind++];
	if (optind < argc)
		goto usage;

	fd = open(dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "vminfo: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (size && ioctl(fd, VMALLOC_DEMO_IOCRESIZE, &size)) {
		fprintf(stderr, "vminfo: resize to %llu: %s\n",
			(unsigned long long)size, strerror(errno));
		return 1;
	}
	if (ioctl(fd, VMALLOC_DEMO_IOCINFO, &info)) {
		fprintf(stderr, "vminfo: info: %s\n", strerror(errno));
		return 1;
	}
	printf("size %llu\npages %llu\nruns %llu\nbackend %s\nmappings %u\n",
	       (unsigned long long)info.size, (unsigned long long)info.pages,
	       (unsigned long long)info.runs,
	       info.backend == VMALLOC_DEMO_BACKEND_VMAP ? "vmap" : "vmalloc",
	       info.mappings);
	close(fd);
	return 0;

usage:
	fprintf(stderr, "usage: vminfo [-r BYTES] [DEVICE]\n");
	return 2;
}
