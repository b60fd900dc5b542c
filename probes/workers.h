/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stress probes' workers: processes of several threads each, so that
 * a driver sees many mms and many threads of one mm at once.  Included
 * by mmap_demo_stress.c and vmalloc_demo_stress.c.
 */
#ifndef WORKERS_H
#define WORKERS_H

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*worker_fn)(int id, void *data);

struct worker_arg {
	worker_fn fn;
	void *data;
	int id;
};

static inline void *worker_thread(void *arg)
{
	struct worker_arg *w = arg;

	w->fn(w->id, w->data);
	return NULL;
}

/*
 * @len bytes the workers and the parent share (for their results):
 * anonymous MAP_SHARED memory, or MAP_FAILED.
 */
static inline void *shared_memory(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
}

/* A child's @threads workers, from @first on; exit 1 if one cannot start. */
static inline void worker_process(int first, int threads, worker_fn fn, void *data)
{
	struct worker_arg *args = calloc(threads, sizeof(*args));
	pthread_t *th = calloc(threads, sizeof(*th));
	int t;

	if (!args || !th)
		_exit(1);
	for (t = 0; t < threads; t++) {
		args[t] = (struct worker_arg){ fn, data, first + t };
		if (pthread_create(&th[t], NULL, worker_thread, &args[t]))
			_exit(1);
	}
	for (t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	_exit(0);
}

/*
 * fn(id, data) for every id from 0 to @procs * @threads - 1, thread t of
 * process p being worker p * @threads + t; @data should be shared memory
 * if the workers report through it.  Returns, once all have ended, how
 * many processes failed: could not fork, start a thread, or exit 0.
 */
static inline int run_workers(int procs, int threads, worker_fn fn, void *data)
{
	int p, started = 0, failed = 0;

	for (p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid == 0)
			worker_process(p * threads, threads, fn, data);
		if (pid < 0)
			failed++;
		else
			started++;
	}
	while (started--) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	return failed;
}

#endif /* WORKERS_H */
