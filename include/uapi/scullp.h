/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * LDD3's ioctls on magic 'K' (docs/scullp.md): S/G set/get through a pointer,
 * T/Q tell/query by value, X/H exchange through a pointer/by value, returning
 * the old value. Global, applied at a device's next trim. EPERM (changing
 * without CAP_SYS_ADMIN), EINVAL, EFAULT, ENOTTY.
 */
#ifndef _UAPI_SCULLP_H
#define _UAPI_SCULLP_H

#include <linux/ioctl.h>

#define SCULLP_ORDER	0	/* default: one page per quantum */
#define SCULLP_QSET	500	/* default: quanta per qset */

#define SCULLP_IOC_MAGIC	'K'

#define SCULLP_IOCRESET		_IO(SCULLP_IOC_MAGIC, 0)
#define SCULLP_IOCSORDER	_IOW(SCULLP_IOC_MAGIC, 1, int)
#define SCULLP_IOCTORDER	_IO(SCULLP_IOC_MAGIC, 2)
#define SCULLP_IOCGORDER	_IOR(SCULLP_IOC_MAGIC, 3, int)
#define SCULLP_IOCQORDER	_IO(SCULLP_IOC_MAGIC, 4)
#define SCULLP_IOCXORDER	_IOWR(SCULLP_IOC_MAGIC, 5, int)
#define SCULLP_IOCHORDER	_IO(SCULLP_IOC_MAGIC, 6)
#define SCULLP_IOCSQSET		_IOW(SCULLP_IOC_MAGIC, 7, int)
#define SCULLP_IOCTQSET		_IO(SCULLP_IOC_MAGIC, 8)
#define SCULLP_IOCGQSET		_IOR(SCULLP_IOC_MAGIC, 9, int)
#define SCULLP_IOCQQSET		_IO(SCULLP_IOC_MAGIC, 10)
#define SCULLP_IOCXQSET		_IOWR(SCULLP_IOC_MAGIC, 11, int)
#define SCULLP_IOCHQSET		_IO(SCULLP_IOC_MAGIC, 12)

#define SCULLP_IOC_MAXNR	12

#endif /* _UAPI_SCULLP_H */
