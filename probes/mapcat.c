// SPDX-License-Identifier: GPL-2.0
/*
 * mapcat: print LENGTH bytes of a device at OFFSET, read through a shared
 * mmap() instead of read(2).  A tool for the demo and for people.
 *   Usage: mapcat DEVICE LENGTH [OFFSET]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len, off, page = sysconf(_SC_PAGESIZE), skip;
	char *map;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DEVICE LENGTH [OFFSET]\n", argv[0]);
		return 2;
	}
	len = strtoul(argv[2], NULL, 0);
	off = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
	skip = off % page;	/* mmap offsets are whole pages */
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	map = mmap(NULL, len + skip, PROT_READ, MAP_SHARED, fd, off - skip);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (fwrite(map + skip, 1, len, stdout) != len)
		return 1;
	return 0;
}
