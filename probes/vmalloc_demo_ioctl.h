/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmalloc_demo's two ioctls and its loaded size, as the vmalloc_demo
 * probes (probe, hostile, stress, fuzz) call them.
 */
#ifndef VMALLOC_DEMO_IOCTL_H
#define VMALLOC_DEMO_IOCTL_H

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "probe.h"
#include "uapi/vmalloc_demo.h"

/* VMALLOC_DEMO_IOCINFO, into an *info of 0xff bytes: what is not set shows. */
static inline int get_info(int fd, struct vmalloc_demo_info *info)
{
	memset(info, 0xff, sizeof(*info));
	return ioctl(fd, VMALLOC_DEMO_IOCINFO, info);
}

static inline int resize(int fd, unsigned long long size)
{
	__u64 val = size;

	return ioctl(fd, VMALLOC_DEMO_IOCRESIZE, &val);
}

/* The size the module was loaded with, rounded up to pages; 0 if unknown. */
static inline size_t param_size(void)
{
	long long size = module_param("vmalloc_demo", "size");
	long page = sysconf(_SC_PAGESIZE);

	return size > 0 ? (size + page - 1) / page * page : 0;
}

#endif /* VMALLOC_DEMO_IOCTL_H */
