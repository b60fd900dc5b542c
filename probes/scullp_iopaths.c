// SPDX-License-Identifier: GPL-2.0
/*
 * scullp_iopaths: splice, sendfile and io_uring on /dev/scullp0 (the
 * cases are in iopaths.h), which is emptied after each case.  The file
 * does not set FMODE_NOWAIT (a write allocates quanta, which may sleep):
 * io_uring runs its reads and writes in a worker.  A read stuck on a
 * userfaultfd page holds no lock (it faults the page in with the lock
 * dropped), so the lock contention case has nothing to wait for.
 */
#include "iopaths.h"

#define SCULLP_NODE "/dev/scullp0"

static void scullp_empty(void)
{
	int fd = open(SCULLP_NODE, O_RDWR | O_TRUNC);

	if (fd >= 0)
		close(fd);
}

static void iodev_setup(struct __test_metadata *_metadata, struct iodev *dev)
{
	long long max_size = module_param("scullp", "scullp_max_size");

	dev->path = SCULLP_NODE;
	dev->size = IODEV_MAX;
	dev->capacity = max_size > 0 ? max_size : 0;
	dev->nowait = false;
	dev->lock_over_copy = false;
	dev->done = scullp_empty;
}
