// SPDX-License-Identifier: GPL-2.0
/* The fail-nth driver of the hostile probes (fail_nth.h, its comments). */
#include <sys/personality.h>

#include "fail_nth.h"

const char *fi_case_now;
int fi_nth_now;

int fail_nth_fd(void)
{
	static int fd = -1;
	char path[64];

	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
			 (long)syscall(SYS_gettid));
		fd = open(path, O_RDWR);
	}
	return fd;
}

int set_fail_nth(int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", nth);
	ssize_t n;

	if (fail_nth_fd() < 0)
		return -errno;
	n = pwrite(fail_nth_fd(), buf, len, 0);
	if (n == len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

int fail_nth_left(void)
{
	char buf[16] = "";
	ssize_t n = pread(fail_nth_fd(), buf, sizeof(buf) - 1, 0);

	set_fail_nth(0);
	return n < 0 ? -1 : atoi(buf);
}

const char *fi_layout(void)
{
	static char desc[96];
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "r");
	int pers = personality(0xffffffff), va = -1;
	int norand = pers != -1 && (pers & ADDR_NO_RANDOMIZE);

	if (f) {
		if (fscanf(f, "%d", &va) != 1)
			va = -1;
		fclose(f);
	}
	snprintf(desc, sizeof(desc), "address space %s (randomize_va_space=%d%s)",
		 va == 0 || norand ? "not randomized" : "randomized", va,
		 norand ? ", personality ADDR_NO_RANDOMIZE" : "");
	return desc;
}

void *fi_map_spot(size_t len)
{
	const size_t span = 2UL << 20;	/* what one page table maps */
	size_t area_len = len + 2 * span;
	char *area, *start;

	area = mmap(NULL, area_len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return NULL;
	/* A page table of small pages, not one huge page. */
	madvise(area, area_len, MADV_NOHUGEPAGE);
	start = (char *)(((uintptr_t)area + span - 1) & ~(uintptr_t)(span - 1));
	*(volatile char *)start = 1;
	return start + sysconf(_SC_PAGESIZE);
}
