// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_demo_iopaths: splice, sendfile and io_uring on mmap_demo's buffer,
 * through /dev/mmap_demo_fault (the three nodes share the file
 * operations; the cases are in iopaths.h).  Reads and writes take no
 * lock, so the file sets FMODE_NOWAIT and never has to say EAGAIN.
 */
#include "iopaths.h"

static void iodev_setup(struct __test_metadata *_metadata, struct iodev *dev)
{
	long long npages = module_param("mmap_demo", "npages");
	size_t size = npages > 0 ? npages * page_size : 0;

	ASSERT_LT(0, size) TH_LOG("mmap_demo is not loaded");
	iodev_buffer(dev, "/dev/mmap_demo_fault", size);
}
