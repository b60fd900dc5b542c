// SPDX-License-Identifier: GPL-2.0
/*
 * finit: load a module with one finit_module(2) and print what the load
 * added to the kernel log, read from /dev/kmsg; probes/bad_params.sh says
 * why not busybox's insmod and dmesg.
 *   Usage: finit MODULE.ko [PARAM=VALUE...]
 * Stdout: the log's new messages, one a line, without their headers.
 * Exit status 0 when loaded; otherwise 1 and "finit: MODULE.ko: <strerror>"
 * on stderr ("Invalid argument" for EINVAL, as insmod says it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Print the records of /dev/kmsg from FD's position on: "PRI,SEQ,TS,FLAGS;
 * TEXT\n" then continuation lines (" KEY=VALUE") of their own.  A record
 * overwritten before it was read is EPIPE: go on with the next.
 */
static void print_new_records(int fd)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text, *end;

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			return;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		printf("%s\n", text);
	}
}

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	int fd, kmsg, i, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s MODULE.ko [PARAM=VALUE...]\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fprintf(stderr, "finit: parameters too long\n");
			return 2;
		}
		len += n;
	}
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
		fprintf(stderr, "finit: /dev/kmsg: %s\n", strerror(errno));
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "finit: %s: %s\n", argv[1], strerror(errno));
		ret = 1;
	}
	if (fd >= 0)
		close(fd);
	print_new_records(kmsg);
	close(kmsg);
	return ret;
}
