// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_demo_iopaths: splice, sendfile and io_uring on /dev/vmalloc_demo
 * (the cases are in iopaths.h).  The file sets FMODE_NOWAIT: a read or
 * write that finds the device's lock taken answers IOCB_NOWAIT with
 * EAGAIN.  A read stuck on a userfaultfd page holds no lock (it faults the
 * page in with the lock dropped), so the lock contention case has nothing
 * to wait for.
 */
#include "iopaths.h"
#include "vmalloc_demo_ioctl.h"

static void iodev_setup(struct __test_metadata *_metadata, struct iodev *dev)
{
	size_t size = param_size();

	ASSERT_LT(0, size) TH_LOG("vmalloc_demo is not loaded");
	iodev_buffer(dev, "/dev/vmalloc_demo", size);
}
