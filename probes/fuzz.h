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

#endif /* FUZZ_H */
