/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expect_bad_mmap_ranges() and expect_mmap_requests(): mmap(2) ranges past
 * the end of a device of one fixed-size buffer, and mmap(2) flags and open
 * modes, for the bad_mmap_requests case of each such driver's hostile probe
 * (mmap_demo, vmalloc_demo).
 */
#ifndef MMAP_RANGES_H
#define MMAP_RANGES_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/*
 * mmap(2) of a page of a file of its own, opened from @path, for each way
 * of asking: mm's errno where mm refuses first, else the driver's, else a
 * mapping (0).  @private_err answers a read-only MAP_PRIVATE, and
 * @private_rw_err a writable one (0: mapped, its pages copied on write).
 * Read-only and shared on a read-only file maps: mm clears VM_SHARED for
 * it (it can never write), not VM_MAYSHARE.
 */
static inline void expect_mmap_requests(struct __test_metadata *_metadata,
					const char *path, int private_err,
					int private_rw_err)
{
	struct {
		int prot, flags, open_flags, err;
		const char *what;
	} reqs[] = {
		{ PROT_READ, MAP_PRIVATE, O_RDWR, private_err, "private" },
		{ PROT_READ | PROT_WRITE, MAP_PRIVATE, O_RDWR, private_rw_err,
		  "private writable" },
		{ PROT_READ, 0, O_RDWR, EINVAL, "neither shared nor private" },
		{ PROT_READ, 0x04, O_RDWR, EINVAL, "map type 4" },
		{ PROT_READ, 0x0f, O_RDWR, EINVAL, "map type 15" },
		{ PROT_READ, MAP_SHARED_VALIDATE | 0x200000, O_RDWR, EOPNOTSUPP,
		  "unknown flag, validated" },
		{ PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, O_RDWR, EOPNOTSUPP,
		  "MAP_SYNC" },
		{ PROT_READ, MAP_SHARED | MAP_HUGETLB, O_RDWR, EINVAL, "MAP_HUGETLB" },
		{ PROT_READ | PROT_WRITE, MAP_SHARED, O_RDONLY, EACCES,
		  "writable on a read-only file" },
		{ PROT_READ, MAP_SHARED, O_RDONLY, 0, "read-only on a read-only file" },
		{ PROT_READ, MAP_SHARED, O_WRONLY, EACCES, "on a write-only file" },
		{ PROT_READ, MAP_PRIVATE, O_WRONLY, EACCES,
		  "private on a write-only file" },
	};
	unsigned int i;
	void *map;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		int fd = open(path, reqs[i].open_flags);

		ASSERT_LE(0, fd);
		errno = 0;
		map = mmap(NULL, page_size, reqs[i].prot, reqs[i].flags, fd, 0);
		if (reqs[i].err) {
			EXPECT_EQ(MAP_FAILED, map) TH_LOG("%s: mapped", reqs[i].what);
			EXPECT_EQ(reqs[i].err, errno) TH_LOG("%s: %s", reqs[i].what,
							     strerror(errno));
		} else {
			EXPECT_NE(MAP_FAILED, map) TH_LOG("%s: %s", reqs[i].what,
							  strerror(errno));
		}
		if (map != MAP_FAILED)
			munmap(map, page_size);
		close(fd);
	}
}

#endif /* MMAP_RANGES_H */
