// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo_iopaths: splice, sendfile and io_uring on /dev/dma_demo0 (the
 * cases are in iopaths.h), with the default (coherent) strategy; kernel
 * buffers, as splice and sendfile use, take the streaming path.  Every
 * transfer sleeps until the device's interrupt, so the file does not set
 * FMODE_NOWAIT: io_uring runs its reads and writes in a worker.  Copies
 * to the caller happen outside the driver's locks.
 */
#include "iopaths.h"
#include "dma_demo_dev.h"

static void iodev_setup(struct __test_metadata *_metadata, struct iodev *dev)
{
	char full = 'N';
	FILE *f;

	/* A skip without an edu device; with one but no node, a failure. */
	DMA_DEMO_REQUIRE("/dev/dma_demo0");
	f = fopen("/sys/module/dma_demo/parameters/full_buffer", "r");
	if (f) {
		if (fscanf(f, " %c", &full) != 1)
			full = 'N';
		fclose(f);
	}
	dev->path = "/dev/dma_demo0";
	dev->size = full == 'Y' ? 4096 : 4095;
	dev->nowait = false;
	dev->lock_over_copy = false;
	dev->slow = true;
}
