/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the four fuzzers (the *_fuzz.c probes) share: one xorshift64()
 * state seeded from the printed seed, so that a seed repeats a run, and
 * the loop: each fuzzer keeps its run's state in its own struct fuzz and
 * has a table of operations on it, one function each, like a driver's
 * file_operations; fuzz_run() picks from the table at random.  Include
 * after kselftest_harness.h (ASSERT_*() and TH_LOG()).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "probe.h"

static unsigned long long rng;

/* The seed of this run, which the fuzzer prints so that it can be repeated. */
static unsigned long long seed;

/* The operation running, from 0: failures name it. */
static int op_nr;

static inline unsigned long long next(void)
{
	return xorshift64(&rng);
}

/* A number from 0 to @n - 1; 0 if @n is not positive. */
static inline long long pick(long long n)
{
	return n > 0 ? (long long)(next() % (unsigned long long)n) : 0;
}

/* @len random bytes into @buf: what the fuzzers write. */
static inline void fill_random(unsigned char *buf, long len)
{
	long i;

	for (i = 0; i < len; i++)
		buf[i] = next();
}

/* A syscall's result as the models write it: bytes, or -errno. */
static inline long result(long ret)
{
	return ret < 0 ? -errno : ret;
}

/*
 * FUZZ_MUNMAP() - in a fuzzer's TEST or operation: munmap the mapping at
 * index @at of the @n in @maps (each with .addr and .pages) and move the
 * last one into its place.
 */
#define FUZZ_MUNMAP(maps, n, at) do {					\
	long long __i = (at);						\
									\
	ASSERT_EQ(0, munmap((maps)[__i].addr, (maps)[__i].pages * page_size)); \
	(maps)[__i] = (maps)[--(n)];					\
} while (0)

/*
 * The state of one run: each fuzzer defines its own struct fuzz, which
 * the loop passes to the operations without looking inside.
 */
struct fuzz;

/* An entry of a fuzzer's table: an operation and what the log calls it. */
struct fuzz_op {
	const char *name;
	void (*run)(struct __test_metadata *_metadata, struct fuzz *s);
};

/*
 * fuzz_log_counts() - log how many operations ran in how long, and of
 * each kind: an operation listed more than once in the table is counted
 * once, under its name.
 */
static inline void fuzz_log_counts(struct __test_metadata *_metadata,
				   const struct fuzz_op *ops, int nr_ops,
				   const long *counts, double seconds)
{
	char summary[512] = "";
	size_t len = 0;
	int i, j;

	for (i = 0; i < nr_ops && len < sizeof(summary); i++) {
		const char *name = ops[i].name;
		long n = 0;

		for (j = 0; j < i && strcmp(ops[j].name, name); j++)
			;
		if (j < i)
			continue;	/* counted with its first entry */
		for (j = i; j < nr_ops; j++)
			if (!strcmp(ops[j].name, name))
				n += counts[j];
		len += snprintf(summary + len, sizeof(summary) - len,
				"%s%ld %s", len ? ", " : "", n, name);
	}
	TH_LOG("seed %llu: %d operations in %.1f s (%s)", seed, op_nr,
	       seconds, summary);
}

/*
 * fuzz_run() - the fuzzer's loop: run operations on @s, each picked at
 * random from the @nr_ops of table @ops, until @max_ops of them or
 * @max_seconds.  Before each, @draw (if not NULL) draws the arguments
 * that all of them take; after each, @check (if not NULL) checks what
 * must hold between any two.  A failed check ends the test there: the
 * harness's ASSERT_*() jump out of the loop.
 */
static inline void fuzz_run(struct __test_metadata *_metadata,
			    struct fuzz *s, const struct fuzz_op *ops,
			    int nr_ops, int max_ops, double max_seconds,
			    void (*draw)(struct fuzz *s),
			    void (*check)(struct __test_metadata *_metadata,
					  struct fuzz *s))
{
	long *counts = calloc(nr_ops, sizeof(*counts));
	double start = now_seconds();

	ASSERT_NE(NULL, counts);
	for (op_nr = 0; op_nr < max_ops &&
	     now_seconds() - start < max_seconds; op_nr++) {
		int i = pick(nr_ops);

		if (draw)
			draw(s);
		counts[i]++;
		ops[i].run(_metadata, s);
		if (check)
			check(_metadata, s);
	}
	fuzz_log_counts(_metadata, ops, nr_ops, counts, now_seconds() - start);
	free(counts);
}

#endif /* FUZZ_H */
