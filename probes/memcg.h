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
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "probe.h"

#define CGROUP_ROOT		"/sys/fs/cgroup"
#define CGROUP2_MAGIC		0x63677270	/* "cgrp", CGROUP2_SUPER_MAGIC */

struct memcg {
	char path[PATH_MAX];
};

/* The value of @file in @cg as a number, or -1. */
static inline long long memcg_read(const struct memcg *cg, const char *file)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", cg->path, file);
	return read_number(path);
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
	snprintf(text, sizeof(text), "%lld", max);
	ret = memcg_write(cg->path, "memory.max", text);
	snprintf(swap, sizeof(swap), "%s/memory.swap.max", cg->path);
	if (!ret && access(swap, F_OK) == 0)	/* with CONFIG_SWAP */
		ret = memcg_write(cg->path, "memory.swap.max", "0");
	if (!ret)
		ret = memcg_write(cg->path, "cgroup.procs", "0");
	if (ret)
		rmdir(cg->path);
	return ret;
}

/* Back to the root cgroup, and @cg removed (what it was charged stays). */
static inline int memcg_leave(struct memcg *cg)
{
	int ret = memcg_write(CGROUP_ROOT, "cgroup.procs", "0");

	if (!ret && rmdir(cg->path))
		ret = -errno;
	return ret;
}

#endif /* KMM_PROBE_MEMCG_H */
