// SPDX-License-Identifier: GPL-2.0
/*
 * finit: load a module with finit_module(2), once.  busybox's insmod
 * tries finit_module() and, on any error, init_module() with the same
 * parameters, so a module that refuses them runs its init twice: twice
 * the time on a debug kernel, two log lines for one refusal.
 *   Usage: finit MODULE.ko [PARAM=VALUE...]
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

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	int fd, i;

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
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "finit: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
