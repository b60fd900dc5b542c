// SPDX-License-Identifier: GPL-2.0
/*
 * edu_regs: the edu device's registers through a mapping of
 * /dev/dma_demo0 (offset DMA_DEMO_REGS_OFFSET, CAP_SYS_RAWIO): its
 * identification, and N! computed by the device next to the CPU's.  A
 * tool for people and make demo, not a test (those are dma_demo_*).
 *   Usage: edu_regs [DEVICE [N]]	(N from 0 to 12, 10 by default)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probe.h"
#include "uapi/dma_demo.h"

#define REG(regs, off)	(*(volatile uint32_t *)((char *)(regs) + (off)))

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/dma_demo0";
	unsigned int n = argc > 2 ? strtoul(argv[2], NULL, 0) : 10, i;
	long page_size = sysconf(_SC_PAGESIZE);
	uint32_t id, cpu = 1, got;
	double end;
	void *regs;
	int fd;

	if (argc > 3 || n > 12) {
		fprintf(stderr, "usage: edu_regs [DEVICE [N]]  (N from 0 to 12: n! fits 32 bits)\n");
		return 2;
	}
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "edu_regs: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	regs = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    DMA_DEMO_REGS_OFFSET);
	if (regs == MAP_FAILED) {
		fprintf(stderr, "edu_regs: mmap of the registers: %s\n", strerror(errno));
		return 1;
	}
	id = REG(regs, DMA_DEMO_REG_ID);
	printf("identification %#010x: edu version %u.%u (read through the mapping)\n",
	       id, id >> 24, (id >> 16) & 0xff);

	/* Write n; the device computes while its status says so. */
	REG(regs, DMA_DEMO_REG_FACTORIAL) = n;
	end = now_seconds() + 5;
	while (REG(regs, DMA_DEMO_REG_STATUS) & DMA_DEMO_STATUS_COMPUTING) {
		if (now_seconds() > end) {
			fprintf(stderr, "edu_regs: %u! still computing after 5 s\n", n);
			return 1;
		}
	}
	got = REG(regs, DMA_DEMO_REG_FACTORIAL);
	for (i = 2; i <= n; i++)
		cpu *= i;
	printf("%u! = %u computed by the device, %u by the CPU\n", n, got, cpu);
	munmap(regs, page_size);
	close(fd);
	return got == cpu ? 0 : 1;
}
