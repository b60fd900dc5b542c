/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A memory cgroup (cgroup v2) of the caller's own, with a limit: what a
 * driver allocates for the caller with __GFP_ACCOUNT is charged there.
 * The kselftest harness runs each case in a child of its own, so the case
 * that enters one is the only process in it.
 */
#ifndef KMM_PROBE_MEMCG_H
#define KMM_PROBE_MEMCG_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "probe.h"

#define CGROUP_ROOT		"/sys/fs/cgroup"
#define CGROUP2_MAGIC		0x63677270	/* "cgrp", CGROUP2_SUPER_MAGIC */

/*
 * @max and @current stay open: in a full cgroup, opening a file (a
 * charged struct file) or touching a new page calls the cgroup's OOM
 * killer on the caller.
 */
struct memcg {
	char path[PATH_MAX];
	int max, current;
};

/* memory.current of @cg, or -1; allocates nothing. */
static inline long long memcg_current(const struct memcg *cg)
{
	char text[32];
	ssize_t n = pread(cg->current, text, sizeof(text) - 1, 0);

	if (n <= 0)
		return -1;
	text[n] = 0;
	return strtoll(text, NULL, 10);
}

/* A new memory.max for @cg: 0 or -errno; allocates nothing charged. */
static inline int memcg_set_max(const struct memcg *cg, long long max)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%lld", max);

	return pwrite(cg->max, text, len, 0) == len ? 0 : -errno;
}

static inline int memcg_write(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return write_text(path, text);
}

/*
 * memcg_enter() - move the calling process into a new cgroup @name
 * limited to @max bytes of memory and no swap.
 *
 * Return: 0; -ENOSYS when the kernel has no memory controller (no
 * CONFIG_MEMCG, or no cgroup v2); another -errno when a step failed.
 */
static inline int memcg_enter(struct memcg *cg, const char *name, long long max)
{
	char text[64], swap[PATH_MAX + 32];
	struct statfs fs;
	FILE *f;
	int ret;

	if (statfs(CGROUP_ROOT, &fs) || fs.f_type != CGROUP2_MAGIC) {
		if (mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
			return errno == ENODEV || errno == ENOENT ? -ENOSYS : -errno;
	}
	f = fopen(CGROUP_ROOT "/cgroup.controllers", "r");
	if (!f)
		return -errno;
	ret = -ENOSYS;
	while (fscanf(f, "%63s", text) == 1)
		if (!strcmp(text, "memory"))
			ret = 0;
	fclose(f);
	if (ret)
		return ret;
	ret = memcg_write(CGROUP_ROOT, "cgroup.subtree_control", "+memory");
	if (ret)
		return ret;
	snprintf(cg->path, sizeof(cg->path), "%s/%s", CGROUP_ROOT, name);
	rmdir(cg->path);		/* one an earlier run left */
	if (mkdir(cg->path, 0755))
		return -errno;
	snprintf(swap, sizeof(swap), "%s/memory.max", cg->path);
	cg->max = open(swap, O_WRONLY);
	snprintf(swap, sizeof(swap), "%s/memory.current", cg->path);
	cg->current = open(swap, O_RDONLY);
	ret = cg->max < 0 || cg->current < 0 ? -errno : memcg_set_max(cg, max);
	/* The first read allocates the file's buffer: do it here, outside. */
	if (!ret && memcg_current(cg) < 0)
		ret = -EIO;
	snprintf(swap, sizeof(swap), "%s/memory.swap.max", cg->path);
	if (!ret && access(swap, F_OK) == 0)	/* with CONFIG_SWAP */
		ret = memcg_write(cg->path, "memory.swap.max", "0");
	if (!ret)
		ret = memcg_write(cg->path, "cgroup.procs", "0");
	if (ret) {
		close(cg->max);
		close(cg->current);
		rmdir(cg->path);
	}
	return ret;
}

/* Back to the root cgroup, and @cg removed (what it was charged stays). */
static inline int memcg_leave(struct memcg *cg)
{
	int ret = memcg_write(CGROUP_ROOT, "cgroup.procs", "0");

	close(cg->max);
	close(cg->current);
	if (!ret && rmdir(cg->path))
		ret = -errno;
	return ret;
}

#endif /* KMM_PROBE_MEMCG_H */
