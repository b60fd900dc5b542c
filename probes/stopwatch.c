// SPDX-License-Identifier: GPL-2.0
/*
 * stopwatch: run a command and print how long it took, in nanoseconds of
 * CLOCK_MONOTONIC, on standard output.  The command's own output goes to
 * /dev/null.  For the benchmarks: busybox has no clock finer than seconds.
 *   Usage: stopwatch COMMAND [ARGS...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int status, null;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s failed\n", argv[1]);
		return 1;
	}
	printf("%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
			 (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
