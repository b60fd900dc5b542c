/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The order and qset the scullp probes run at: the load-time values,
 * recorded before the first case.  A case that changes them (an ioctl
 * test, a map at another order) puts them back in its teardown with
 * scullp_restore() (SCULLP_IOCRESET gives the compile-time defaults) and
 * trims again any device it trimmed: the next case, probe and pass start
 * where the load left them.  Include after kselftest_harness.h: it defines
 * the first case, params_at_start, and SCULLP_HARNESS_MAIN (for
 * TEST_HARNESS_MAIN) adds the last, scullp_params.kept.
 */
#ifndef SCULLP_PARAMS_H
#define SCULLP_PARAMS_H

#include <sys/ioctl.h>

#include "uapi/scullp.h"

#define SCULLP_PARAMS_DEV	"/dev/scullp0"

/*
 * Recorded by main() before any case runs; the cases inherit them.  The
 * plan loads scullp afresh for each parameter set, so they are the load's.
 */
static struct {
	int order, qset;
} scullp_load = { -1, -1 };

static inline size_t scullp_load_quantum(void)
{
	return (size_t)sysconf(_SC_PAGESIZE) << scullp_load.order;
}

/* One ioctl on the device, opened read-only (an open to write would trim). */
static inline int scullp_ioctl(unsigned int cmd, unsigned long arg)
{
	int fd = open(SCULLP_PARAMS_DEV, O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, cmd, arg);
	close(fd);
	return ret;
}

/* SCULLP_IOCQORDER or SCULLP_IOCQQSET: the global value, or -1. */
static inline int scullp_query(unsigned int cmd)
{
	return scullp_ioctl(cmd, 0);
}

/* Set the global order (SCULLP_IOCTORDER): 0, or -1 with errno set. */
static inline int scullp_set_order(int order)
{
	return scullp_ioctl(SCULLP_IOCTORDER, order);
}

/* Put back the recorded order and qset: 0, or -1 with errno set. */
static inline int scullp_restore(void)
{
	int fd = open(SCULLP_PARAMS_DEV, O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, SCULLP_IOCTORDER, scullp_load.order);
	if (!ret)
		ret = ioctl(fd, SCULLP_IOCTQSET, scullp_load.qset);
	close(fd);
	return ret;
}

/*
 * Empty @path so that it takes the global order and qset again (a
 * write-only open trims, as in LDD3): 0, or -1 (EBUSY while mapped).
 */
static inline int scullp_retrim(const char *path)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Fields of one /proc/scullpmem line. */
struct scullpmem {
	long long size;
	unsigned int order, qset;
	unsigned long quanta, pages;
	int mappings;
};

/* Device @devno's line of /proc/scullpmem: 0, or -1 if there is none. */
static inline int read_scullpmem(int devno, struct scullpmem *m)
{
	char line[256], name[32];
	FILE *f = fopen("/proc/scullpmem", "r");
	int found = -1;

	if (!f)
		return -1;
	snprintf(name, sizeof(name), "scullp%d", devno);
	while (fgets(line, sizeof(line), f)) {
		char dev[32];

		if (sscanf(line, "%31s %lld %u %u %lu %lu %d", dev, &m->size,
			   &m->order, &m->qset, &m->quanta, &m->pages,
			   &m->mappings) == 7 && !strcmp(dev, name)) {
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/*
 * The value of @param in KMM_PARAMS (the plan's parameter set, as
 * "scullp_order=4 scullp_qset=7", or "" for the defaults): its number,
 * @dflt if the string does not name it, -1 if KMM_PARAMS is not set.
 */
static inline int kmm_param(const char *param, int dflt)
{
	const char *env = getenv("KMM_PARAMS"), *p;
	size_t len = strlen(param);

	if (!env)
		return -1;
	for (p = env; (p = strstr(p, param)); p += len)
		if ((p == env || p[-1] == ' ') && p[len] == '=')
			return atoi(p + len + 1);
	return dflt;
}

/* Every device, and the global values, at the recorded order and qset. */
static inline void expect_at_recorded(struct __test_metadata *_metadata)
{
	long long devs = module_param("scullp", "scullp_devs");
	struct scullpmem m;
	int i;

	EXPECT_EQ(scullp_load.order, scullp_query(SCULLP_IOCQORDER));
	EXPECT_EQ(scullp_load.qset, scullp_query(SCULLP_IOCQQSET));
	ASSERT_LT(0, devs);
	for (i = 0; i < devs; i++) {
		ASSERT_EQ(0, read_scullpmem(i, &m)) TH_LOG("scullp%d", i);
		EXPECT_EQ(scullp_load.order, m.order) TH_LOG("scullp%d", i);
		EXPECT_EQ(scullp_load.qset, m.qset) TH_LOG("scullp%d", i);
	}
}

/*
 * The first case: the values were read, are the ones the plan loaded
 * (when KMM_PARAMS says), and every device has them.
 */
TEST(params_at_start)
{
	int order = kmm_param("scullp_order", SCULLP_ORDER);
	int qset = kmm_param("scullp_qset", SCULLP_QSET);

	ASSERT_LE(0, scullp_load.order) TH_LOG("SCULLP_IOCQORDER: is scullp loaded?");
	ASSERT_LT(0, scullp_load.qset) TH_LOG("SCULLP_IOCQQSET: is scullp loaded?");
	if (order >= 0)
		EXPECT_EQ(order, scullp_load.order)
			TH_LOG("loaded with KMM_PARAMS=\"%s\"", getenv("KMM_PARAMS"));
	if (qset >= 0)
		EXPECT_EQ(qset, scullp_load.qset)
			TH_LOG("loaded with KMM_PARAMS=\"%s\"", getenv("KMM_PARAMS"));
	expect_at_recorded(_metadata);
}

/*
 * The last case: nothing the probe changed is left changed.  If something
 * is, say so, then put it back for the probes that follow.
 */
static inline void expect_kept(struct __test_metadata *_metadata)
{
	long long devs = module_param("scullp", "scullp_devs");
	char path[32];
	int i;

	expect_at_recorded(_metadata);
	if (_metadata->exit_code != KSFT_FAIL)
		return;
	TH_LOG("putting back scullp_order=%d scullp_qset=%d", scullp_load.order,
	       scullp_load.qset);
	ASSERT_EQ(0, scullp_restore());
	for (i = 0; i < devs; i++) {
		snprintf(path, sizeof(path), "/dev/scullp%d", i);
		EXPECT_EQ(0, scullp_retrim(path)) TH_LOG("%s: %s", path, strerror(errno));
	}
}

/*
 * Record the values and say which they are (a TAP comment), then run the
 * cases; the fixture, defined last, runs last.
 */
#define SCULLP_HARNESS_MAIN						\
	FIXTURE(scullp_params) {					\
		int unused;						\
	};								\
	FIXTURE_SETUP(scullp_params) {}					\
	FIXTURE_TEARDOWN(scullp_params) {}				\
	TEST_F(scullp_params, kept)					\
	{								\
		expect_kept(_metadata);					\
	}								\
	int main(int argc, char **argv)					\
	{								\
		scullp_load.order = scullp_query(SCULLP_IOCQORDER);	\
		scullp_load.qset = scullp_query(SCULLP_IOCQQSET);	\
		printf("# %s: runs at scullp_order=%d scullp_qset=%d\n", \
		       basename(argv[0]), scullp_load.order,		\
		       scullp_load.qset);				\
		fflush(stdout);						\
		return test_harness_run(argc, argv);			\
	}

#endif /* SCULLP_PARAMS_H */
