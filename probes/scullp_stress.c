// SPDX-License-Identifier: GPL-2.0
/*
 * scullp stress: several processes, each with two threads, hammer one
 * device for a bounded time with writes, reads, seeks, ioctls, mmaps,
 * munmaps and trims.  Each worker owns a region and checks every byte it
 * can attribute: a read of its region gives its last block or zeros (a
 * trim may have emptied the device); while it holds a mapping no trim can
 * run, so its block must then be there, through the mapping too.  At the
 * recorded order and qset (scullp_params.h), which it does not change.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "probe.h"
#include "uapi/scullp.h"
#include "scullp_params.h"

#define DEV		"/dev/scullp2"
#define PROCS		4
#define THREADS		2
#define REGION		(64 * 1024)	/* bytes per worker */
#define SECONDS		5
#define MIN_OPS		60	/* per worker */

struct result {
	long ops, bad, trims, busy;
};

static void worker(int id, struct result *res)
{
	int fd = open(DEV, O_RDWR);
	off_t base = (off_t)id * REGION;
	unsigned int seed = id * 7919 + 1, gen = 0;
	unsigned char *blk = malloc(REGION), *got = malloc(REGION);
	time_t end = time(NULL) + SECONDS;

	if (fd < 0 || !blk || !got) {
		res->bad++;
		return;
	}
	/* A few dozen operations at least, however slow the host: every kind runs. */
	while (res->ops < MIN_OPS || time(NULL) < end) {
		int op = rand_r(&seed) % 6;
		ssize_t n;
		char *map;
		int t;

		res->ops++;
		switch (op) {
		case 0:	/* write my block */
			pattern_fill(blk, REGION, base, ++gen);
			if (pwrite(fd, blk, REGION, base) != REGION)
				res->bad++;
			break;
		case 1:	/* read it: mine, or zeros after a trim */
			n = pread(fd, got, REGION, base);
			if (n < 0 || (n > 0 && memcmp(got, blk, n) && zero_check(got, n) != -1 &&
				      pattern_check(got, n, base, gen) != -1))
				res->bad++;
			break;
		case 2:	/* map, write, and see it through the map */
			if (rand_r(&seed) % 4)
				break;	/* a held mapping keeps every trim out */
			map = mmap(NULL, REGION, PROT_READ, MAP_SHARED, fd, base);
			if (map == MAP_FAILED) {
				if (errno != EBUSY)	/* a trim is running */
					res->bad++;
				else
					res->busy++;
				break;
			}
			pattern_fill(blk, REGION, base, ++gen);
			if (pwrite(fd, blk, REGION, base) != REGION ||
			    memcmp(map, blk, REGION))
				res->bad++;
			munmap(map, REGION);
			break;
		case 3:	/* trim, now and then */
			if (rand_r(&seed) % 4)
				break;
			t = open(DEV, O_RDWR | O_TRUNC);
			if (t >= 0) {
				res->trims++;
				close(t);
			} else if (errno == EBUSY) {
				res->busy++;
			} else {
				res->bad++;
			}
			break;
		case 4:	/* seek */
			if (lseek(fd, base + rand_r(&seed) % REGION, SEEK_SET) < 0 ||
			    lseek(fd, 0, SEEK_END) < 0)
				res->bad++;
			break;
		case 5:	/* ioctls that only read */
			if (ioctl(fd, SCULLP_IOCQQSET) != scullp_load.qset ||
			    ioctl(fd, SCULLP_IOCQORDER) != scullp_load.order)
				res->bad++;
			break;
		}
	}
	close(fd);
	free(blk);
	free(got);
}

struct thread_arg {
	int id;
	struct result res;
};

static void *thread_main(void *arg)
{
	struct thread_arg *a = arg;

	worker(a->id, &a->res);
	return NULL;
}

TEST(processes_and_threads)
{
	struct result *all = mmap(NULL, sizeof(*all) * PROCS * THREADS,
				  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct result sum = { 0 };
	int p, t;

	ASSERT_NE(MAP_FAILED, all);
	memset(all, 0, sizeof(*all) * PROCS * THREADS);

	for (p = 0; p < PROCS; p++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct thread_arg args[THREADS];
			pthread_t th[THREADS];

			for (t = 0; t < THREADS; t++) {
				args[t] = (struct thread_arg){ .id = p * THREADS + t };
				pthread_create(&th[t], NULL, thread_main, &args[t]);
			}
			for (t = 0; t < THREADS; t++) {
				pthread_join(th[t], NULL);
				all[p * THREADS + t] = args[t].res;
			}
			_exit(0);
		}
	}
	for (p = 0; p < PROCS; p++) {
		int status;

		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	for (t = 0; t < PROCS * THREADS; t++) {
		EXPECT_EQ(0, all[t].bad) TH_LOG("worker %d", t);
		sum.ops += all[t].ops;
		sum.bad += all[t].bad;
		sum.trims += all[t].trims;
		sum.busy += all[t].busy;
	}
	TH_LOG("%d workers, %d s: %ld operations, %ld trims, %ld EBUSY (trim vs mmap), %ld bad",
	       PROCS * THREADS, SECONDS, sum.ops, sum.trims, sum.busy, sum.bad);
	/*
	 * Trims were tried; whether one found no mapping held is the host's
	 * timing (a slow guest holds each mapping longer).  A hold leaked
	 * would make the last trim fail.
	 */
	EXPECT_LT(0, sum.trims + sum.busy);
	EXPECT_EQ(0, scullp_retrim(DEV));	/* give the memory back */
}

SCULLP_HARNESS_MAIN
