/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A driver's tracepoints read through tracefs, for the *_trace probes:
 * enable one event system, run the operation, then look the events up in
 * the trace buffer by name and read their fields ("name=value" as each
 * event's TP_printk prints them).  Each process traces into an instance of
 * its own, instances/kmm_probe_<pid>, and reads or writes nothing global
 * (docs/tracing.md); the next tracefs_enable() removes an instance whose
 * process is gone (a harness timeout).  Mounts tracefs at
 * /sys/kernel/tracing where nothing is there yet.
 */
#ifndef TRACEFS_H
#define TRACEFS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRACEFS		"/sys/kernel/tracing"
#define TRACEFS_PREFIX	"kmm_probe_"
#define TRACE_BUF_MAX	(1024 * 1024)

/* The instance of this process ("" while there is none), and its owner. */
static char tracefs_inst[96];
static pid_t tracefs_owner;

/* @file of this process's instance; "" if it has none. */
static inline const char *tracefs_path(const char *file, char *path,
				       size_t size)
{
	if (!tracefs_inst[0] || tracefs_owner != getpid())
		return "";
	snprintf(path, size, "%s/%s", tracefs_inst, file);
	return path;
}

/* Write @val to @file of the instance: 0, or -1. */
static inline int tracefs_write(const char *file, const char *val)
{
	char path[256];
	int fd, ok;

	fd = open(tracefs_path(file, path, sizeof(path)), O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* Does event @event of @system exist (its directory under events/)? */
static inline bool tracefs_event_exists(const char *system, const char *event)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), TRACEFS "/events/%s/%s", system, event);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Remove this process's instance, if it has one: 0, or -1.  The fixtures'
 * teardown calls it, and so does exit() (atexit).
 */
static inline int tracefs_release(void)
{
	int ret;

	if (!tracefs_inst[0] || tracefs_owner != getpid())
		return 0;
	ret = rmdir(tracefs_inst);
	tracefs_inst[0] = '\0';
	return ret;
}

static void tracefs_atexit(void)
{
	tracefs_release();
}

/* Remove the instances of processes that are gone (killed, timed out). */
static inline void tracefs_remove_stale(void)
{
	DIR *d = opendir(TRACEFS "/instances");
	char path[384], *end;
	struct dirent *e;
	long pid;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, TRACEFS_PREFIX, strlen(TRACEFS_PREFIX)))
			continue;
		pid = strtol(e->d_name + strlen(TRACEFS_PREFIX), &end, 10);
		if (*end || pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), TRACEFS "/instances/%s", e->d_name);
		rmdir(path);
	}
	closedir(d);
}

/* Mount tracefs if needed; 0 once TRACEFS/instances exists. */
static inline int tracefs_mount(void)
{
	if (access(TRACEFS "/instances", F_OK) == 0)
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -1;
	return access(TRACEFS "/instances", F_OK);
}

/* This process's instance, made if it has none: 0, or -1. */
static inline int tracefs_instance(void)
{
	static bool registered;

	if (tracefs_inst[0] && tracefs_owner == getpid())
		return 0;
	if (tracefs_mount())
		return -1;
	tracefs_remove_stale();
	tracefs_owner = getpid();
	snprintf(tracefs_inst, sizeof(tracefs_inst),
		 TRACEFS "/instances/" TRACEFS_PREFIX "%d", (int)tracefs_owner);
	if (mkdir(tracefs_inst, 0700) && errno != EEXIST) {
		tracefs_inst[0] = '\0';
		return -1;
	}
	if (!registered)
		registered = !atexit(tracefs_atexit);
	return 0;
}

/*
 * Empty the instance's buffer and trace only the events of @systems
 * (separated by spaces; none: NULL), on the global clock, so that events
 * of different CPUs come in order.
 */
static inline int tracefs_enable(const char *systems)
{
	char file[128];
	const char *s;
	size_t n;

	if (tracefs_instance())
		return -1;
	if (tracefs_write("tracing_on", "0") || tracefs_write("set_event", "") ||
	    tracefs_write("trace_clock", "global") || tracefs_write("trace", ""))
		goto fail;
	if (!systems)
		return 0;
	for (s = systems; *s; s += n + strspn(s + n, " ")) {
		n = strcspn(s, " ");
		snprintf(file, sizeof(file), "events/%.*s/enable", (int)n, s);
		if (tracefs_write(file, "1"))
			goto fail;
	}
	if (!tracefs_write("tracing_on", "1"))
		return 0;
fail:
	tracefs_release();
	return -1;
}

/*
 * The instance's trace buffer as text (at most TRACE_BUF_MAX bytes: a
 * bounded read of "trace", which does not consume it), tracing stopped
 * first; the caller frees it.  NULL if unreadable.
 */
static inline char *tracefs_read(void)
{
	char *buf = malloc(TRACE_BUF_MAX + 1), path[256];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!buf || tracefs_write("tracing_on", "0"))
		goto fail;
	fd = open(tracefs_path("trace", path, sizeof(path)), O_RDONLY);
	if (fd < 0)
		goto fail;
	while (len < TRACE_BUF_MAX &&
	       (n = read(fd, buf + len, TRACE_BUF_MAX - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	return NULL;
}

/*
 * The @nth (from 0) line of @buf holding event @event ("name: " as the
 * trace prints it), copied into @line; false if there are fewer.
 */
static inline bool trace_event(const char *buf, const char *event, int nth,
			       char *line, size_t size)
{
	char tag[96];
	const char *p = buf;

	snprintf(tag, sizeof(tag), " %s: ", event);
	while ((p = strstr(p, tag))) {
		const char *start = p, *end = strchr(p, '\n');

		while (start > buf && start[-1] != '\n')
			start--;
		if (!end)
			end = p + strlen(p);
		if (nth-- == 0) {
			snprintf(line, size, "%.*s", (int)(end - start), start);
			return true;
		}
		p = end;
	}
	return false;
}

/* How many lines of @buf hold event @event. */
static inline int trace_count(const char *buf, const char *event)
{
	char line[512];
	int n = 0;

	while (trace_event(buf, event, n, line, sizeof(line)))
		n++;
	return n;
}

/* Field @name of an event's @line as a number (0x... too); -1 if absent. */
static inline long long trace_field(const char *line, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(line, key);
	return p ? strtoll(p + strlen(key), NULL, 0) : -1;
}

/*
 * The first of @names (separated by spaces) that @line lacks, or "" if it
 * has them all: EXPECT_STREQ("", trace_missing(line, "a b")) names it.
 */
static inline const char *trace_missing(const char *line, const char *names)
{
	static char missing[64];
	char key[72];
	size_t n;

	for (; *names; names += n + strspn(names + n, " ")) {
		n = strcspn(names, " ");
		snprintf(key, sizeof(key), " %.*s=", (int)n, names);
		if (!strstr(line, key)) {
			snprintf(missing, sizeof(missing), "%.*s", (int)n, names);
			return missing;
		}
	}
	return "";
}

/* Field @name as the word it prints ("coherent"), or "" if absent. */
static inline const char *trace_word(const char *line, const char *name,
				     char *word, size_t size)
{
	char key[64];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(line, key);
	word[0] = '\0';
	if (!p)
		return word;
	p += strlen(key);
	n = strcspn(p, "\n\t ");
	snprintf(word, size, "%.*s", (int)(n < size ? n : size - 1), p);
	return word;
}

/*
 * Pages a fault at @addr covers, as the drivers' fault window is computed
 * (include/kmm_prefault.h): @window pages aligned in the address space,
 * clipped to the mapping [@start, @end) and to the @limit pages of data
 * behind it (@limit counted from the mapping's first page).
 */
static inline unsigned long fault_window(unsigned long addr, unsigned long start,
					 unsigned long end, unsigned long limit,
					 unsigned long window, unsigned long page)
{
	unsigned long span = window * page;
	unsigned long lo = addr / span * span, hi = lo + span, nr;

	if (lo < start)
		lo = start;
	if (hi > end)
		hi = end;
	nr = (hi - lo) / page;
	if ((lo - start) / page + nr > limit)
		nr = limit - (lo - start) / page;
	return nr;
}

/* Read a byte of a mapping: a fault where it is not mapped. */
static inline char touch_byte(const char *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/*
 * In a kselftest TEST (tracefs.h after kselftest_harness.h):
 *
 * assert_tracing() - tracefs_enable(@systems), or the test fails.
 */
static inline void assert_tracing(struct __test_metadata *_metadata,
				  const char *systems)
{
	ASSERT_EQ(0, tracefs_enable(systems))
		TH_LOG("tracefs at " TRACEFS ": %s", strerror(errno));
}

/*
 * assert_first_event() - @trace holds @count events @event; the first
 * one's line, copied to @line (of @size bytes), has every field of
 * @fields.
 */
static inline void assert_first_event(struct __test_metadata *_metadata,
				      const char *trace, int count,
				      const char *event, const char *fields,
				      char *line, size_t size)
{
	ASSERT_EQ(count, trace_count(trace, event)) TH_LOG("trace:\n%s", trace);
	ASSERT_TRUE(trace_event(trace, event, 0, line, size));
	EXPECT_STREQ("", trace_missing(line, fields)) TH_LOG("%s", line);
}

#endif /* TRACEFS_H */
