/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/self/task/<tid>/fail-nth: fail the calling thread's n-th
 * fault-injectable step (a slab or page allocation, or a user copy where
 * fail_usercopy is built in).  Only kernels with CONFIG_FAULT_INJECTION
 * have the file.
 */
#ifndef FAIL_NTH_H
#define FAIL_NTH_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

/*
 * The thread's fail-nth file, opened once: opening it after a call would
 * itself allocate, and count against a failure the call did not reach.
 */
int fail_nth_fd(void);

/*
 * Arm the n-th step (0 disarms): 0, or -errno; -ENOENT if the kernel has
 * no fault injection (no fail-nth file).
 */
int set_fail_nth(int nth);

/*
 * In a kselftest TEST: skip where the kernel has no fault injection (no
 * fail-nth file); any other failure to arm it fails the test.
 */
#define FAIL_NTH_REQUIRE() do {						\
	int __err = set_fail_nth(0);					\
									\
	if (__err == -ENOENT)						\
		SKIP_UNLESS_FAILED(return, "no fault injection in this kernel (no fail-nth)"); \
	ASSERT_EQ(0, __err) TH_LOG("fail-nth: %s", strerror(-__err));	\
} while (0)

/*
 * Steps left before the armed failure: 0 once it was injected.  Anything
 * else (a count, or -1 if even this read was failed) means the call ran
 * without reaching it.  Disarms.
 */
int fail_nth_left(void);

/*
 * fi_layout() - whether mmap() places this process's mappings at random,
 * for the message of a fault-injection failure.  Which page tables a call
 * needs, and so which step the n-th is, can depend on where its mappings
 * land: a failure repeats with the same nth and the same layout (no
 * randomisation: randomize_va_space=0, or setarch -R).  Call it with
 * fail-nth disarmed; the text is good until the next call.
 */
const char *fi_layout(void);

/*
 * fi_map_spot() - where to mmap() a device that maps with remap_pfn_range()
 * (dma_mmap_coherent() does too, on x86) while its steps are failed.
 *
 * If remap_pfn_range() fails before it has mapped the first page of the
 * VMA (the failed step was the allocation of that page's page table), its
 * clean-up zaps the VMA, untrack_pfn() finds no first page to learn the
 * memory type from, and get_pat_info() WARNs: a bug of the x86 PAT code in
 * 6.1 and 6.12, not of the driver, and one the log gate would rightly
 * count.  So such a mapping goes MAP_FIXED at the returned address: just
 * past an anonymous page at the start of a 2 MiB region, touched so that
 * the page table for the mapping's first page exists, and kept mapped so
 * that no munmap() frees that table.  Every other step of mmap(2) is still
 * failed in turn (and the page tables of a mapping longer than the rest of
 * that 2 MiB region).
 *
 * Returns the address for up to @len bytes, or NULL.  Call it before
 * arming fail-nth; the area stays mapped until the process exits.
 */
void *fi_map_spot(size_t len);

/* The fault-injection step under way (fi_run()), for a case cut short. */
extern const char *fi_case_now;
extern int fi_nth_now;

#ifdef __KSELFTEST_HARNESS_H
/*
 * fi_run() - in a kselftest TEST: call @step with its 1st, 2nd, ...
 * fault-injectable step failed, until it runs with none failed.  @step
 * makes the call with fail-nth armed and returns its result; @check then
 * sees the result and errno (FI_NOT_INJECTED where the call ran
 * unharmed), checks what it should and restores what the call changed.
 * A check that fails is reported with the step (nth) and the
 * address-space layout, what it takes to repeat it.
 *
 * Returns how many failures were injected.
 */
#define FI_NOT_INJECTED	(-1)

static inline int fi_run(struct __test_metadata *_metadata, const char *name,
			 long (*step)(struct __test_metadata *_metadata, void *arg),
			 void (*check)(struct __test_metadata *_metadata,
				       void *arg, long ret, int err),
			 void *arg)
{
	int nth, injected = 0;

	fi_case_now = name;
	for (nth = 1; nth < 10000; nth++) {
		int err, left, before = _metadata->exit_code;
		long ret;

		fi_nth_now = nth;
		ASSERT_EQ(0, set_fail_nth(nth)) TH_LOG("%s: arming nth %d", name, nth);
		errno = 0;
		ret = step(_metadata, arg);
		err = errno;
		left = fail_nth_left();
		/* Did this check fail?  (Not: had the case failed before?) */
		_metadata->exit_code = KSFT_PASS;
		check(_metadata, arg, ret, left ? FI_NOT_INJECTED : err);
		if (_metadata->exit_code == KSFT_FAIL) {
			TH_LOG("%s: failed at nth %d (%s), %s", name, nth,
			       left ? "none injected" : "injected", fi_layout());
			break;
		}
		_metadata->exit_code = before;
		if (left != 0)
			break;	/* the call ran with no failure injected */
		injected++;
	}
	fi_nth_now = 0;
	TH_LOG("%s: %d failures injected in turn", name, injected);
	return injected;
}

/* In a FIXTURE_TEARDOWN: an ASSERT during fi_run() ends the case here; say where. */
static inline void fi_log_stopped(struct __test_metadata *_metadata)
{
	if (fi_nth_now) {
		set_fail_nth(0);
		TH_LOG("%s: stopped at nth %d, %s", fi_case_now, fi_nth_now,
		       fi_layout());
	}
}
#endif /* __KSELFTEST_HARNESS_H */

#endif /* FAIL_NTH_H */
