// SPDX-License-Identifier: GPL-2.0
/*
 * stopwatch: run a command, its output to /dev/null, and print how long it
 * took in nanoseconds of CLOCK_MONOTONIC; for dd, the bytes it moved
 * follow ("NS BYTES"), taken from dd's own report.  -j N runs N copies at
 * once (N readers of one file), timed from before the first starts to
 * after the last has ended, their bytes added up.  For the benchmarks
 * (docs/bench.md, "The timing tools"): busybox has no clock finer than
 * seconds.
 *   Usage: stopwatch [-j N] COMMAND [ARGS...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS	16

/* dd's block sizes and counts: digits and a suffix (busybox's set). */
static int dd_number(const char *s, unsigned long long *v)
{
	static const struct { const char *sfx; unsigned long long mult; } sfx[] = {
		{ "", 1 }, { "c", 1 }, { "w", 2 }, { "b", 512 },
		{ "kB", 1000 }, { "k", 1024 }, { "K", 1024 },
		{ "MB", 1000000 }, { "M", 1 << 20 },
		{ "GB", 1000000000 }, { "G", 1 << 30 },
	};
	char *end;
	size_t i;

	*v = strtoull(s, &end, 10);
	if (end == s)
		return -1;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!strcmp(end, sfx[i].sfx)) {
			*v *= sfx[i].mult;
			return 0;
		}
	return -1;
}

struct dd_args {
	unsigned long long ibs, obs;
	unsigned long long asked;	/* 0: until the end of the input */
};

/* What dd was told: its block sizes, and the bytes count= asks for. */
static int dd_parse_args(char **argv, struct dd_args *a)
{
	unsigned long long count = 0, v;
	int have_count = 0, count_bytes = 0;

	a->ibs = a->obs = 512;
	for (; *argv; argv++) {
		const char *arg = *argv, *val = strchr(arg, '=');

		if (!val)
			continue;
		val++;
		if (!strncmp(arg, "iflag=", 6)) {
			count_bytes |= !!strstr(val, "count_bytes");
			continue;
		}
		if (strncmp(arg, "bs=", 3) && strncmp(arg, "ibs=", 4) &&
		    strncmp(arg, "obs=", 4) && strncmp(arg, "count=", 6))
			continue;
		if (dd_number(val, &v)) {
			fprintf(stderr, "stopwatch: dd %s: not a number I know\n", arg);
			return -1;
		}
		if (!strncmp(arg, "bs=", 3))
			a->ibs = a->obs = v;
		else if (!strncmp(arg, "ibs=", 4))
			a->ibs = v;
		else if (!strncmp(arg, "obs=", 4))
			a->obs = v;
		else
			count = v;
		have_count |= !strncmp(arg, "count=", 6);
	}
	a->asked = !have_count ? 0 : count_bytes ? count : count * a->ibs;
	return 0;
}

/*
 * The bytes one dd moved, from its report in @f; -1 if it has none.
 * @partial is set to the partial blocks it wrote, when it gives no byte
 * count of its own (busybox): each counts as 1 byte, the least it holds,
 * so that a short transfer can only look slower than it was.
 */
static long long dd_moved(FILE *f, const struct dd_args *a, unsigned long long *partial)
{
	unsigned long long full, part, bytes;
	long long moved = -1;
	char line[256];

	*partial = 0;
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llu bytes", &bytes) == 1 && strstr(line, " copied"))
			return bytes;
		if (sscanf(line, "%llu+%llu records out", &full, &part) == 2 &&
		    strstr(line, "records out")) {
			moved = full * a->obs + part;
			*partial = part;
		}
	}
	return moved;
}

int main(int argc, char **argv)
{
	FILE *err[MAX_JOBS];
	pid_t pid[MAX_JOBS];
	struct timespec t0, t1;
	unsigned long long partial, partials = 0;
	long long moved, total = 0;
	struct dd_args dd = { 0 };
	int jobs = 1, j, status, null, failed = 0, is_dd;
	const char *base;

	if (argc > 2 && !strcmp(argv[1], "-j")) {
		jobs = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || jobs < 1 || jobs > MAX_JOBS) {
		fprintf(stderr, "usage: stopwatch [-j 1-%d] COMMAND [ARGS...]\n", MAX_JOBS);
		return 2;
	}
	base = strrchr(argv[1], '/');
	base = base ? base + 1 : argv[1];
	is_dd = !strcmp(base, "dd");
	if (is_dd && dd_parse_args(argv + 2, &dd))
		return 2;
	/* Each copy's standard error goes to a file of its own, read after. */
	for (j = 0; j < jobs; j++) {
		err[j] = tmpfile();
		if (!err[j]) {
			perror("tmpfile");
			return 1;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (j = 0; j < jobs; j++) {
		pid[j] = fork();
		if (pid[j] < 0) {
			perror("fork");
			return 1;
		}
		if (pid[j] == 0) {
			null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(fileno(err[j]), 2);
			execvp(argv[1], argv + 1);
			_exit(127);
		}
	}
	for (j = 0; j < jobs; j++) {
		if (waitpid(pid[j], &status, 0) < 0) {
			perror("waitpid");
			return 1;
		}
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (failed) {
		fprintf(stderr, "%s failed\n", argv[1]);
		return 1;
	}

	for (j = 0; is_dd && j < jobs; j++) {
		moved = dd_moved(err[j], &dd, &partial);
		if (moved < 0) {
			fprintf(stderr, "stopwatch: dd did not say what it moved\n");
			return 1;
		}
		if (dd.asked && (unsigned long long)moved < dd.asked)
			fprintf(stderr, "stopwatch: dd moved %lld of the %llu bytes asked\n",
				moved, dd.asked);
		total += moved;
		partials += partial;
	}
	if (partials)
		fprintf(stderr, "stopwatch: dd wrote %llu partial blocks, counted as 1 byte each\n",
			partials);
	printf("%lld", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
		       (t1.tv_nsec - t0.tv_nsec));
	if (is_dd)
		printf(" %lld", total);
	printf("\n");
	return 0;
}
