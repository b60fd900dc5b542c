// SPDX-License-Identifier: GPL-2.0
/*
 * dma_demo stress: several processes of two threads each use the one
 * device at once for a bounded time.  DMAs run one at a time, about 100 ms
 * each under QEMU, so one thread of each process moves data in every
 * strategy, queueing on the device, while the other churns with calls that
 * need no DMA.  Each thread owns a slice of device memory and of the host
 * buffer: a read of its slice gives what it last put there, whichever way
 * it went in, and the rest of the device never changes; at the end the
 * whole device is read back and checked the same way.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "dma_demo_dev.h"
#include "probe.h"
#include "uapi/dma_demo.h"

#define DEV		"/dev/dma_demo0"
#define PROCS		3
#define THREADS		2
#define WORKERS		(PROCS * THREADS)
#define SLICE		600	/* bytes of device and host buffer per worker */
#define SECONDS		1.5
#define BASE_SEED	1000	/* what the device holds outside the slices */
#define TAIL		(WORKERS * SLICE)	/* where those bytes start */

enum { OP_WRITE, OP_READ, OP_XFER_TO, OP_XFER_FROM, OP_TAIL, OP_STRATEGY,
       OP_SEEK, OP_MAP, OP_BAD, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"writes", "reads", "xfers to the device", "xfers from it",
	"xfers of the unowned tail", "strategy switches", "seeks",
	"mmap/store/munmap", "refused calls",
};

/* The data mover's round: every kind of transfer, and a check after each. */
static const int dma_round[] = {
	OP_WRITE, OP_READ, OP_XFER_TO, OP_READ, OP_XFER_FROM, OP_READ,
};

struct result {
	long ops[NR_OPS];
	long bad;
	unsigned int gen;	/* the pattern the worker left in its slice */
	char why[96];		/* its first failure */
};

static off_t dev_size;

#define FAIL(res, ...) do {						\
	if (!(res)->bad++)						\
		snprintf((res)->why, sizeof((res)->why), __VA_ARGS__);	\
} while (0)

/* One worker: its own file, and one its process's threads share. */
struct worker {
	int id, fd, shared;
	off_t base;		/* its slice, in device and host buffer */
	unsigned int seed, gen, host_gen;
	unsigned char *blk, *got;
	struct result *res;
};

/* Pattern generation g of the slice: distinct for every worker and g. */
static unsigned int slice_seed(int id, unsigned int gen)
{
	return (id + 1) * 100003u + gen;
}

static void op_write(struct worker *w)
{
	int fd = rand_r(&w->seed) % 2 ? w->fd : w->shared;

	pattern_fill(w->blk, SLICE, w->base, slice_seed(w->id, w->gen + 1));
	if (pwrite(fd, w->blk, SLICE, w->base) != SLICE)
		FAIL(w->res, "write at %lld: %s", (long long)w->base, strerror(errno));
	else
		w->gen++;
}

static void op_read(struct worker *w)
{
	int fd = rand_r(&w->seed) % 2 ? w->fd : w->shared;
	ssize_t n = pread(fd, w->got, SLICE, w->base);

	if (n != SLICE)
		FAIL(w->res, "read at %lld: %zd, %s", (long long)w->base, n, strerror(errno));
	else if (pattern_check(w->got, SLICE, w->base, slice_seed(w->id, w->gen)) != -1)
		FAIL(w->res, "read at %lld: not generation %u", (long long)w->base, w->gen);
}

/* Map the host buffer; check this worker's slice of it on the way. */
static unsigned char *map_host(struct worker *w)
{
	unsigned char *map = mmap(NULL, DMA_DEMO_DEV_SIZE, PROT_READ | PROT_WRITE,
				  MAP_SHARED, w->fd, 0);

	if (map == MAP_FAILED) {
		FAIL(w->res, "mmap: %s", strerror(errno));
		return NULL;
	}
	if (w->host_gen &&
	    pattern_check(map + w->base, SLICE, w->base, slice_seed(w->id, w->host_gen)) != -1)
		FAIL(w->res, "host buffer slice at %lld: not generation %u",
		     (long long)w->base, w->host_gen);
	return map;
}

static void op_xfer(struct worker *w, int dir)
{
	struct dma_demo_xfer x = {
		.dir = dir, .dev_offset = w->base, .buf_offset = w->base, .len = SLICE,
	};
	unsigned char *map = map_host(w);

	if (!map)
		return;
	if (dir == DMA_DEMO_TO_DEVICE) {
		w->host_gen = w->gen + 1;
		pattern_fill(map + w->base, SLICE, w->base, slice_seed(w->id, w->host_gen));
	}
	if (ioctl(w->shared, DMA_DEMO_IOC_XFER, &x)) {
		FAIL(w->res, "xfer dir %d: %s", dir, strerror(errno));
	} else if (dir == DMA_DEMO_TO_DEVICE) {
		w->gen = w->host_gen;
	} else {
		w->host_gen = w->gen;
		if (pattern_check(map + w->base, SLICE, w->base,
				  slice_seed(w->id, w->gen)) != -1)
			FAIL(w->res, "xfer from the device: not generation %u", w->gen);
	}
	munmap(map, DMA_DEMO_DEV_SIZE);
}

/* Switch the shared file's strategy under the other thread's feet. */
static void op_strategy(struct worker *w)
{
	__u32 s = rand_r(&w->seed) % DMA_DEMO_NR_STRATEGIES, got = 99;

	if (ioctl(w->shared, DMA_DEMO_IOC_SET_STRATEGY, &s) ||
	    ioctl(w->shared, DMA_DEMO_IOC_GET_STRATEGY, &got) ||
	    got >= DMA_DEMO_NR_STRATEGIES)
		FAIL(w->res, "strategy %u: %s, got %u", s, strerror(errno), got);
	s = rand_r(&w->seed) % DMA_DEMO_NR_STRATEGIES;
	if (ioctl(w->fd, DMA_DEMO_IOC_SET_STRATEGY, &s) ||
	    ioctl(w->fd, DMA_DEMO_IOC_GET_STRATEGY, &got) || got != s)
		FAIL(w->res, "own strategy %u: %s, got %u", s, strerror(errno), got);
}

static void op_seek(struct worker *w)
{
	off_t off = rand_r(&w->seed) % (dev_size + 1);

	if (lseek(w->fd, off, SEEK_SET) != off ||
	    lseek(w->fd, 0, SEEK_END) != dev_size ||
	    lseek(w->fd, -off, SEEK_CUR) != dev_size - off)
		FAIL(w->res, "lseek %lld: %s", (long long)off, strerror(errno));
}

/* Map, check my slice of the host buffer, store a new generation, unmap. */
static void op_map(struct worker *w)
{
	unsigned char *map = map_host(w);

	if (!map)
		return;
	w->host_gen++;
	pattern_fill(map + w->base, SLICE, w->base, slice_seed(w->id, w->host_gen));
	munmap(map, DMA_DEMO_DEV_SIZE);
}

/* The bytes no thread owns, into my slice of the host buffer. */
static void op_tail(struct worker *w)
{
	struct dma_demo_xfer x = {
		.dir = DMA_DEMO_FROM_DEVICE, .dev_offset = TAIL, .buf_offset = w->base,
		.len = dev_size - TAIL,
	};
	unsigned char *map = map_host(w);

	if (!map)
		return;
	if (ioctl(w->fd, DMA_DEMO_IOC_XFER, &x))
		FAIL(w->res, "xfer of the tail: %s", strerror(errno));
	else if (pattern_check(map + w->base, x.len, TAIL, BASE_SEED) != -1)
		FAIL(w->res, "the unowned tail changed");
	/* What my slice holds now is no generation of mine: start again. */
	w->host_gen++;
	pattern_fill(map + w->base, SLICE, w->base, slice_seed(w->id, w->host_gen));
	munmap(map, DMA_DEMO_DEV_SIZE);
}

/*
 * Calls that must fail the same way however busy the device is; among
 * them a mapping one page longer than the host buffer (the device's 4 KiB
 * in whole pages: one page, whatever its size).
 */
static void op_bad(struct worker *w)
{
	struct dma_demo_xfer x = { .dir = 2, .len = SLICE };
	__u32 s = DMA_DEMO_NR_STRATEGIES;
	long page = sysconf(_SC_PAGESIZE);
	size_t too_long = (DMA_DEMO_DEV_SIZE + page - 1) / page * page + page;
	char c;

	if (ioctl(w->shared, DMA_DEMO_IOC_XFER, &x) != -1 || errno != EINVAL ||
	    ioctl(w->shared, DMA_DEMO_IOC_SET_STRATEGY, &s) != -1 || errno != EINVAL ||
	    ioctl(w->fd, _IO(DMA_DEMO_IOC_MAGIC, 9)) != -1 || errno != ENOTTY ||
	    pread(w->fd, &c, 1, dev_size) != 0 ||
	    pwrite(w->fd, &c, 1, dev_size) != -1 || errno != ENOSPC ||
	    mmap(NULL, too_long, PROT_READ, MAP_SHARED, w->fd, 0) != MAP_FAILED)
		FAIL(w->res, "a call that must fail did not, or not so: %s", strerror(errno));
}

/*
 * The churner's round: calls that need no DMA, and a transfer of the
 * tail first and every 32nd call.  Rounds, not chance: on a slow host
 * every kind still runs in a few calls.
 */
static int churn_op(int i)
{
	static const int ops[] = { OP_STRATEGY, OP_SEEK, OP_MAP, OP_BAD };

	return i % 32 == 0 ? OP_TAIL : ops[i % 4];
}

/* Thread 0 of each process moves data, thread 1 churns. */
static void run_worker(int id, int shared, struct result *res)
{
	struct worker w = {
		.id = id, .shared = shared, .base = (off_t)id * SLICE,
		.seed = id * 7919 + 1, .res = res,
	};
	int mover = id % THREADS == 0, round = mover ? id : 0, done;
	/* A whole round at least, however slow the host: every kind runs. */
	int at_least = mover ? sizeof(dma_round) / sizeof(dma_round[0]) : 5;
	double end;

	w.fd = open(DEV, O_RDWR);
	w.blk = malloc(SLICE);
	w.got = malloc(SLICE);
	if (w.fd < 0 || !w.blk || !w.got) {
		FAIL(res, "open: %s", strerror(errno));
		return;
	}
	end = now_seconds() + SECONDS;
	for (done = 0; done < at_least || now_seconds() < end; done++) {
		int op = mover ? dma_round[round++ % 6] : churn_op(round++);

		if (mover && rand_r(&w.seed) % 2) {
			res->ops[OP_STRATEGY]++;
			op_strategy(&w);
		}
		res->ops[op]++;
		switch (op) {
		case OP_WRITE: op_write(&w); break;
		case OP_READ: op_read(&w); break;
		case OP_XFER_TO: op_xfer(&w, DMA_DEMO_TO_DEVICE); break;
		case OP_XFER_FROM: op_xfer(&w, DMA_DEMO_FROM_DEVICE); break;
		case OP_TAIL: op_tail(&w); break;
		case OP_STRATEGY: op_strategy(&w); break;
		case OP_SEEK: op_seek(&w); break;
		case OP_MAP: op_map(&w); break;
		case OP_BAD: op_bad(&w); break;
		}
	}
	res->gen = w.gen;
	close(w.fd);
	free(w.blk);
	free(w.got);
}

struct thread_arg {
	int id, shared;
	struct result *res;
};

static void *thread_main(void *arg)
{
	struct thread_arg *a = arg;

	run_worker(a->id, a->shared, a->res);
	return NULL;
}

static void run_process(int p, struct result *all)
{
	struct thread_arg args[THREADS];
	pthread_t th[THREADS];
	int shared = open(DEV, O_RDWR), t;

	for (t = 0; t < THREADS; t++) {
		args[t] = (struct thread_arg){
			.id = p * THREADS + t, .shared = shared,
			.res = &all[p * THREADS + t],
		};
		if (pthread_create(&th[t], NULL, thread_main, &args[t]))
			all[p * THREADS + t].bad++;
	}
	for (t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	close(shared);
}

TEST(processes_and_threads)
{
	struct result *all = mmap(NULL, sizeof(*all) * WORKERS, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned char *dev = malloc(DMA_DEMO_DEV_SIZE), *want = malloc(DMA_DEMO_DEV_SIZE);
	long ops[NR_OPS] = { 0 }, total = 0, bad = 0;
	char summary[512];
	double start;
	int p, t, fd, len;

	DMA_DEMO_REQUIRE(DEV);
	ASSERT_NE(MAP_FAILED, all);
	memset(all, 0, sizeof(*all) * WORKERS);
	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd);
	dev_size = lseek(fd, 0, SEEK_END);
	ASSERT_LE(WORKERS * SLICE, dev_size);
	/* Every slice starts as generation 0 of its worker. */
	pattern_fill(want, DMA_DEMO_DEV_SIZE, 0, BASE_SEED);
	for (t = 0; t < WORKERS; t++)
		pattern_fill(want + t * SLICE, SLICE, t * SLICE, slice_seed(t, 0));
	ASSERT_EQ(dev_size, pwrite(fd, want, dev_size, 0));

	start = now_seconds();
	for (p = 0; p < PROCS; p++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			run_process(p, all);
			_exit(0);
		}
	}
	for (p = 0; p < PROCS; p++) {
		int status;

		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	for (t = 0; t < WORKERS; t++) {
		int op;

		EXPECT_EQ(0, all[t].bad) TH_LOG("worker %d: %s", t, all[t].why);
		bad += all[t].bad;
		for (op = 0; op < NR_OPS; op++) {
			ops[op] += all[t].ops[op];
			total += all[t].ops[op];
		}
		/* What the worker left in its slice. */
		pattern_fill(want + t * SLICE, SLICE, t * SLICE, slice_seed(t, all[t].gen));
	}
	ASSERT_EQ(dev_size, pread(fd, dev, dev_size, 0));
	for (t = 0; t < WORKERS; t++) {
		EXPECT_EQ(0, memcmp(dev + t * SLICE, want + t * SLICE, SLICE))
			TH_LOG("worker %d's slice is not its generation %u", t, all[t].gen);
	}
	EXPECT_EQ(0, memcmp(dev + WORKERS * SLICE, want + WORKERS * SLICE,
			    dev_size - WORKERS * SLICE)) TH_LOG("bytes no worker owns changed");

	for (t = 0, len = 0; t < NR_OPS; t++)
		len += snprintf(summary + len, sizeof(summary) - len, "%s%ld %s",
				t ? ", " : "", ops[t], op_names[t]);
	TH_LOG("%d processes x %d threads, %.1f s: %ld operations (%s), %ld bad",
	       PROCS, THREADS, now_seconds() - start, total, summary, bad);
	/* Every kind of operation ran, the DMAs included. */
	for (t = 0; t < NR_OPS; t++) {
		EXPECT_LT(0, ops[t]) TH_LOG("operation %d never ran", t);
	}
	close(fd);
	free(dev);
	free(want);
}

TEST_HARNESS_MAIN
