/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A driver's tracepoints read through tracefs, for the *_trace probes:
 * enable one event system, run the operation, then look the events up in
 * the trace buffer by name and read their fields ("name=value" as each
 * event's TP_printk prints them).  Mounts tracefs at /sys/kernel/tracing
 * where nothing is there yet.  The first tracefs_enable() of a process
 * (each test case is one) notes the events, tracing_on and trace_clock it
 * found, and tracefs_restore() puts them back; meanwhile the clock is
 * "global", so that events of different CPUs come in order.
 */
#ifndef TRACEFS_H
#define TRACEFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRACEFS		"/sys/kernel/tracing"
#define TRACE_BUF_MAX	(1024 * 1024)

static inline int tracefs_write(const char *file, const char *val)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* Append @val to @file without emptying it (set_event takes one per write). */
static inline int tracefs_append(const char *file, const char *val)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* @file's text, at most @size - 1 bytes; "" if unreadable. */
static inline char *tracefs_get(const char *file, char *buf, size_t size)
{
	char path[256];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* What the process found, for tracefs_restore(). */
static struct {
	bool saved;
	char set_event[16384];
	char tracing_on[8];
	char clock[32];
} tracefs_state;

/* Note set_event, tracing_on and trace_clock ("[local] global ..."). */
static inline void tracefs_save(void)
{
	char clocks[512], *open_br, *close_br;

	if (tracefs_state.saved)
		return;
	tracefs_get("set_event", tracefs_state.set_event,
		    sizeof(tracefs_state.set_event));
	tracefs_get("tracing_on", tracefs_state.tracing_on,
		    sizeof(tracefs_state.tracing_on));
	tracefs_get("trace_clock", clocks, sizeof(clocks));
	open_br = strchr(clocks, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (close_br)
		snprintf(tracefs_state.clock, sizeof(tracefs_state.clock),
			 "%.*s", (int)(close_br - open_br - 1), open_br + 1);
	tracefs_state.saved = true;
}

/* Put back what tracefs_save() noted; 0 if all of it went back. */
static inline int tracefs_restore(void)
{
	char *ev, *next;
	int ret = 0;

	if (!tracefs_state.saved)
		return 0;
	ret |= tracefs_write("tracing_on", "0");
	ret |= tracefs_write("set_event", "");
	for (ev = tracefs_state.set_event; *ev; ev = next) {
		next = ev + strcspn(ev, "\n");
		if (*next)
			*next++ = '\0';
		if (*ev)
			ret |= tracefs_append("set_event", ev);
	}
	if (tracefs_state.clock[0])
		ret |= tracefs_write("trace_clock", tracefs_state.clock);
	if (tracefs_state.tracing_on[0])
		ret |= tracefs_write("tracing_on", tracefs_state.tracing_on);
	tracefs_state.saved = false;
	return ret ? -1 : 0;
}

/* Mount tracefs if needed; 0 once TRACEFS/trace exists. */
static inline int tracefs_mount(void)
{
	if (access(TRACEFS "/trace", F_OK) == 0)
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -1;
	return access(TRACEFS "/trace", F_OK);
}

/*
 * Empty the buffer and trace only the events of @systems (separated by
 * spaces; none: NULL), on the global clock.
 */
static inline int tracefs_enable(const char *systems)
{
	char file[128];
	const char *s;
	size_t n;

	if (tracefs_mount())
		return -1;
	tracefs_save();
	if (tracefs_write("tracing_on", "0") || tracefs_write("set_event", "") ||
	    tracefs_write("trace_clock", "global") || tracefs_write("trace", ""))
		return -1;
	if (!systems)
		return 0;
	for (s = systems; *s; s += n + strspn(s + n, " ")) {
		n = strcspn(s, " ");
		snprintf(file, sizeof(file), "events/%.*s/enable", (int)n, s);
		if (tracefs_write(file, "1"))
			return -1;
	}
	return tracefs_write("tracing_on", "1");
}

/*
 * The trace buffer as text (at most TRACE_BUF_MAX bytes: a bounded read
 * of "trace", which does not consume it), tracing stopped first; the
 * caller frees it.  NULL if unreadable.
 */
static inline char *tracefs_read(void)
{
	char *buf = malloc(TRACE_BUF_MAX + 1);
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!buf || tracefs_write("tracing_on", "0"))
		goto fail;
	fd = open(TRACEFS "/trace", O_RDONLY);
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

#endif /* TRACEFS_H */
