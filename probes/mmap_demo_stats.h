/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmap_demo's debugfs statistics, one line per node: its name, then its
 * counts of mmaps, live mappings (vmas), faults, SIGBUS and pages mapped
 * around a faulting page (prefaulted).  Included by
 * the mmap_demo probes (probe, hostile, stress, fuzz), which check the
 * live mappings against those they made.
 */
#ifndef MMAP_DEMO_STATS_H
#define MMAP_DEMO_STATS_H

#include <stdio.h>
#include <string.h>

#define MMAP_DEMO_STATS	"/sys/kernel/debug/mmap_demo/stats"

struct counters {
	long mmaps, vmas, faults, sigbus, prefaulted;
};

/* One node's line of the statistics; 0 if found. */
static inline int read_counters(const char *node, struct counters *c)
{
	char line[256], name[32];
	FILE *f = fopen(MMAP_DEMO_STATS, "r");
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %ld %ld %ld %ld %ld", name, &c->mmaps,
			   &c->vmas, &c->faults, &c->sigbus, &c->prefaulted) == 6 &&
		    !strcmp(name, node)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* The node's live mappings, or -1. */
static inline long live_vmas(const char *node)
{
	struct counters c;

	return read_counters(node, &c) ? -1 : c.vmas;
}

/*
 * This process's VMAs on the node, as /proc/self/maps lists them: the
 * kernel's own count, which the driver's live count must match.  It can be
 * fewer than the mmap() calls made: on 6.12 a new mapping next to one of
 * the same file, flags and contiguous offset extends that VMA without
 * calling ->mmap() or ->open() (6.1 never merges a VMA that has ->close).
 */
static inline long own_vmas(const char *node)
{
	char line[512], suffix[64];
	FILE *f = fopen("/proc/self/maps", "r");
	size_t n;
	long count = 0;

	if (!f)
		return -1;
	n = snprintf(suffix, sizeof(suffix), "/dev/mmap_demo_%s\n", node);
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		count += len >= n && !strcmp(line + len - n, suffix);
	}
	fclose(f);
	return count;
}

#endif /* MMAP_DEMO_STATS_H */
