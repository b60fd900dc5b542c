// SPDX-License-Identifier: GPL-2.0
/*
 * mapview: one page of mmap_demo's buffer seen five ways.  Writes TEXT at
 * page PAGE with write(2), prints the page's first bytes as each of the
 * three mappings and read(2) show them, then writes through each mapping
 * in turn and shows that everyone else sees it.  A tool for the demo and
 * for people (not a test: the probes are named mmap_demo_*).
 *   Usage: mapview [PAGE [TEXT]]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const names[] = { "remap", "fault", "insert" };

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long pgno = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;
	const char *text = argc > 2 ? argv[2] : "hello from write(2)";
	char path[64], got[48], *map[3];
	off_t off = (off_t)pgno * page;
	size_t len = strlen(text) + 1;
	int fd[3], i, w;

	if (len > sizeof(got))
		len = sizeof(got);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/dev/mmap_demo_%s", names[i]);
		fd[i] = open(path, O_RDWR);
		if (fd[i] < 0) {
			perror(path);
			return 1;
		}
		map[i] = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED,
			      fd[i], off);
		if (map[i] == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		printf("%-6s node: page %lu mapped at %p\n", names[i], pgno,
		       (void *)map[i]);
	}
	if (pwrite(fd[1], text, len, off) != (ssize_t)len) {
		perror("write");
		return 1;
	}
	printf("\nwrite(2) to the fault node: \"%s\"\n", text);
	for (w = -1; w < 3; w++) {
		if (w >= 0) {
			snprintf(map[w], len, "%s was here", names[w]);
			printf("\nstore through the %s mapping: \"%s\"\n",
			       names[w], map[w]);
		}
		for (i = 0; i < 3; i++)
			printf("  %-6s mapping shows \"%.*s\"\n", names[i],
			       (int)len - 1, map[i]);
		memset(got, 0, sizeof(got));
		if (pread(fd[(w + 3) % 3], got, len, off) < 0) {
			perror("read");
			return 1;
		}
		printf("  read(2) of the %s node gives \"%.*s\"\n",
		       names[(w + 3) % 3], (int)len - 1, got);
	}
	return 0;
}
