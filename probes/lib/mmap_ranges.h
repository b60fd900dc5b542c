/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expect_bad_mmap_ranges(): mmap(2) ranges past the end of a device of
 * one fixed-size buffer, for the bad_mmap_requests case of each such
 * driver's hostile probe (mmap_demo, vmalloc_demo).
 */
#ifndef MMAP_RANGES_H
#define MMAP_RANGES_H

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "probe.h"

/* The errno the kernel gives an mmap of @len bytes at page @pgoff. */
static inline int mmap_range_errno(size_t size, unsigned long pgoff, size_t len)
{
	size_t pages = (len + page_size - 1) / page_size;

#ifdef __LP64__
	/* The core's own checks come first: offset + length must not wrap. */
	if (pgoff + pages < pgoff || pgoff > (ULONG_MAX - len) / page_size)
		return EOVERFLOW;
#endif
	/* (A 32-bit process's page offset cannot wrap the kernel's 64 bits.) */
	if (pgoff >= size / page_size || pages > size / page_size - pgoff)
		return EINVAL;
	return 0;
}

/*
 * mmap(2) of ranges of @fd, a buffer of @size bytes, that reach past the
 * buffer, or wrap: EINVAL or EOVERFLOW, the kernel's answer before the
 * driver's; then an unaligned offset and an unaligned MAP_FIXED address:
 * EINVAL.
 */
static inline void expect_bad_mmap_ranges(struct __test_metadata *_metadata,
					  int fd, size_t size)
{
	unsigned long pages = size / page_size;
	struct {
		unsigned long pgoff;
		size_t len;
	} ranges[] = {
		{ pages, page_size },
		{ 0, size + page_size },
		{ 1, size },
		{ pages - 1, 2 * page_size },
#ifdef __LP64__
		{ 1UL << 38, page_size },
		{ (1UL << 51) - 1, page_size },
		{ ~0UL >> 12, page_size },
		{ (~0UL >> 12) - 1, 2 * page_size },
#else
		/* mmap2's offsets past 4 GiB, up to its last page below 16 TiB. */
		{ 1UL << 20, page_size },
		{ 1UL << 31, page_size },
		{ ~0UL, page_size },
		{ ~0UL - 1, 2 * page_size },
#endif
	};
	unsigned int i;
	void *map;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		int want = mmap_range_errno(size, ranges[i].pgoff, ranges[i].len);

		errno = 0;
		map = sys_mmap(NULL, ranges[i].len, PROT_READ, MAP_SHARED, fd,
			       (off_t)((unsigned long long)ranges[i].pgoff * page_size));
		EXPECT_EQ(MAP_FAILED, map) TH_LOG("range %u mapped", i);
		EXPECT_EQ(want, errno) TH_LOG("pgoff %#lx len %zu: %s", ranges[i].pgoff,
					       ranges[i].len, strerror(errno));
		if (map != MAP_FAILED)
			munmap(map, ranges[i].len);
	}
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, 1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap((void *)(0x10000000UL + 1), page_size, PROT_READ,
				   MAP_SHARED | MAP_FIXED, fd, 0));
	EXPECT_EQ(EINVAL, errno);
}

#endif /* MMAP_RANGES_H */
