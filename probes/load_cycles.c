// SPDX-License-Identifier: GPL-2.0
/*
 * load_cycles: COUNT cycles of load, use, unload of one module, in one
 * process.  A cycle is finit_module(), a write of "kmm" to NODE and a read
 * back (through a shared mapping of MAPNODE when one is given), then
 * delete_module().  The guest's shell did the same with insmod, printf,
 * head and rmmod, and on a debug kernel under emulation the fork+exec of
 * those tools cost more than the module work itself.
 *
 *   load_cycles MODULE.ko COUNT NODE [MAPNODE]
 *
 * Prints one TAP line: ok when every cycle loaded, read back what it wrote
 * and unloaded; with the time spent in each part.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

static const char word[] = "kmm";
#define WORD_LEN (sizeof(word) - 1)

/* Write the word to @node and read it back, from @mapnode's mapping if set. */
static int use(const char *node, const char *mapnode)
{
	char back[WORD_LEN];
	int fd, ret = -1;

	fd = open(node, O_RDWR);
	if (fd < 0)
		return -1;
	if (pwrite(fd, word, WORD_LEN, 0) != (ssize_t)WORD_LEN)
		goto out;
	if (mapnode) {
		int mfd = open(mapnode, O_RDWR);
		void *p;

		if (mfd < 0)
			goto out;
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, mfd, 0);
		close(mfd);
		if (p == MAP_FAILED)
			goto out;
		memcpy(back, p, WORD_LEN);
		munmap(p, 4096);
	} else if (pread(fd, back, WORD_LEN, 0) != (ssize_t)WORD_LEN) {
		goto out;
	}
	ret = memcmp(back, word, WORD_LEN) ? -1 : 0;
out:
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	double t_load = 0, t_use = 0, t_unload = 0, t;
	const char *ko, *node, *mapnode;
	char name[64], *dot;
	int count, i;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: %s MODULE.ko COUNT NODE [MAPNODE]\n", argv[0]);
		return 2;
	}
	ko = argv[1];
	count = atoi(argv[2]);
	node = argv[3];
	mapnode = argc == 5 ? argv[4] : NULL;
	snprintf(name, sizeof(name), "%s", basename(argv[1]));
	dot = strstr(name, ".ko");
	if (dot)
		*dot = '\0';

	printf("1..1\n");
	for (i = 0; i < count; i++) {
		int fd = open(ko, O_RDONLY | O_CLOEXEC);

		t = now_seconds();
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
			printf("# cycle %d: loading %s: %s\n", i, ko, strerror(errno));
			break;
		}
		close(fd);
		t_load += now_seconds() - t;

		t = now_seconds();
		if (use(node, mapnode)) {
			printf("# cycle %d: %s did not read back what was written (%s)\n",
			       i, node, strerror(errno));
			syscall(SYS_delete_module, name, O_NONBLOCK);
			break;
		}
		t_use += now_seconds() - t;

		t = now_seconds();
		if (syscall(SYS_delete_module, name, O_NONBLOCK)) {
			printf("# cycle %d: unloading %s: %s\n", i, name, strerror(errno));
			break;
		}
		t_unload += now_seconds() - t;
	}
	printf("# %d cycles: %.2f s loading, %.2f s using, %.2f s unloading\n",
	       i, t_load, t_use, t_unload);
	printf("%sok 1 %s: %d cycles of load, use, unload\n",
	       i == count ? "" : "not ", name, count);
	return i == count ? 0 : 1;
}
