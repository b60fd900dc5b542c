// SPDX-License-Identifier: GPL-2.0
/*
 * scullpctl: print scullp's global order or qset, set it, or put both back
 * to the defaults, through LDD3's ioctls on /dev/scullp0 (setting needs
 * CAP_SYS_ADMIN).  A device takes the global values at its next trim: a
 * write-only or O_TRUNC open.  A tool for people and scripts, not a test
 * (test programs are named scullp_*).
 *   Usage: scullpctl order [N] | qset [N] | reset
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/scullp.h"

#define DEV "/dev/scullp0"

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	unsigned long query = 0, tell;
	long val = 0;
	char *end;
	int fd, ret;

	if (!strcmp(what, "order") && argc <= 3) {
		query = SCULLP_IOCQORDER;
		tell = SCULLP_IOCTORDER;
	} else if (!strcmp(what, "qset") && argc <= 3) {
		query = SCULLP_IOCQQSET;
		tell = SCULLP_IOCTQSET;
	} else if (!strcmp(what, "reset") && argc == 2) {
		tell = SCULLP_IOCRESET;
	} else {
		fprintf(stderr, "usage: scullpctl order [N] | qset [N] | reset\n");
		return 2;
	}
	if (argc == 3) {
		errno = 0;
		val = strtol(argv[2], &end, 0);
		if (errno || *end || end == argv[2] || val < 0 || val > INT_MAX) {
			fprintf(stderr, "scullpctl: %s %s: not a number from 0 up\n",
				what, argv[2]);
			return 2;
		}
	}

	/* Read-only: an open for writing would empty the device. */
	fd = open(DEV, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "scullpctl: %s: %s%s\n", DEV, strerror(errno),
			errno == ENOENT ? " (is scullp loaded?)" : "");
		return 1;
	}
	if (query && argc == 2) {
		ret = ioctl(fd, query);
		if (ret >= 0)
			printf("%d\n", ret);
	} else {
		ret = ioctl(fd, tell, (unsigned long)val);
	}
	if (ret < 0) {
		fprintf(stderr, "scullpctl: %s%s%s: %s%s\n", what, argc == 3 ? " " : "",
			argc == 3 ? argv[2] : "", strerror(errno),
			errno == EPERM ? " (needs CAP_SYS_ADMIN)" :
			errno == EINVAL ? " (out of scullp's range)" : "");
		return 1;
	}
	close(fd);
	return 0;
}
