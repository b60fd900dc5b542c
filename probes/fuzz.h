/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzers' random numbers: one xorshift64() state per process, which
 * the fuzzer seeds with `rng = seed | 1` from seed_from_env(), so that
 * the printed seed repeats a run.  Included by the *_fuzz.c probes.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "probe.h"

static unsigned long long rng;

static inline unsigned long long next(void)
{
	return xorshift64(&rng);
}

/* A number from 0 to @n - 1; 0 if @n is not positive. */
static inline long long pick(long long n)
{
	return n > 0 ? (long long)(next() % (unsigned long long)n) : 0;
}

/*
 * FUZZ_MUNMAP() - in a fuzzer's TEST: munmap the mapping at index @at of
 * the @n in @maps (each with .addr and .pages) and move the last one into
 * its place.
 */
#define FUZZ_MUNMAP(maps, n, at) do {					\
	long long __i = (at);						\
									\
	ASSERT_EQ(0, munmap((maps)[__i].addr, (maps)[__i].pages * page_size)); \
	(maps)[__i] = (maps)[--(n)];					\
} while (0)

#endif /* FUZZ_H */
