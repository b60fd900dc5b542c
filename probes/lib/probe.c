// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers every probe shares (probe.h), compiled into each program.
 * Their comments are in probe.h.
 */
#include "probe.h"

long page_size;

/* First of all constructors: the probes' own may read page_size. */
__attribute__((constructor(101))) static void probe_page_size(void)
{
	page_size = sysconf(_SC_PAGESIZE);
}

void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
	       off_t off)
{
#ifdef __i386__
	unsigned long long pgoff = (unsigned long long)off >> 12;

	if (pgoff > UINT32_MAX)
		pgoff = UINT32_MAX;
	return (void *)syscall(SYS_mmap2, addr, len, prot, flags, fd,
			       (unsigned long)pgoff);
#else
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
#endif
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return true;
	return ma > major || (ma == major && mi >= minor);
}

long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

long long median_ll(long long *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

unsigned long long xorshift64(unsigned long long *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

unsigned long long seed_from_env(const char *name)
{
	const char *env = getenv(name);

	if (env)
		return strtoull(env, NULL, 0);
	return (unsigned long long)time(NULL) * 2654435761ULL;
}

long long read_number(const char *path)
{
	long long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

long long module_param(const char *module, const char *param)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module, param);
	return read_number(path);
}

int load_module_near(const char *name, const char *node)
{
	char exe[512], path[800], *slash;
	unsigned int i;
	ssize_t n;
	int fd;

	if (!access(node, F_OK))
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	for (i = 0; i < 2; i++) {
		if (i == 0)	/* the guest's layout */
			snprintf(path, sizeof(path), "%s/../modules/%s.ko",
				 exe, name);
		else		/* the source tree's */
			snprintf(path, sizeof(path), "%s/../%s/%s.ko", exe,
				 name, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = syscall(SYS_finit_module, fd, "", 0);
		close(fd);
		if (!n)
			return 1;
	}
	return -1;
}

int max_page_order(void)
{
	char line[512], *tok;
	int cols = 0;
	FILE *f = fopen("/proc/buddyinfo", "r");

	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	/* "Node 0, zone      DMA      1      1 ..." */
	for (tok = strtok(line, " \n"); tok; tok = strtok(NULL, " \n"))
		cols++;
	return cols - 4 - 1;
}

int largest_test_order(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int max = max_page_order(), order = 0;

	while (order < max && (page << (order + 1)) <= 4L << 20)
		order++;
	return order;
}

bool copied_up_to_hole(ssize_t ret, size_t room)
{
	return ret > 0 && (size_t)ret <= room;
}

unsigned char pattern_byte(uint64_t off, unsigned int seed)
{
	uint64_t x = (off + 1) * 0x9e3779b97f4a7c15ULL ^ seed;

	return (unsigned char)((x >> 29) | 1);
}

void pattern_fill(void *buf, size_t len, uint64_t off, unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern_byte(off + i, seed);
}

long long pattern_check(const void *buf, size_t len, uint64_t off,
			unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern_byte(off + i, seed))
			return (long long)i;
	return -1;
}

int pattern_write(int fd, size_t len, unsigned int seed)
{
	char *buf = malloc(len);
	ssize_t n;

	if (!buf)
		return -1;
	pattern_fill(buf, len, 0, seed);
	n = pwrite(fd, buf, len, 0);
	free(buf);
	return n == (ssize_t)len ? 0 : -1;
}

long long pattern_read_check(int fd, size_t len, unsigned int seed)
{
	char *buf = malloc(len);
	long long bad = 0;

	if (!buf)
		return 0;
	if (pread(fd, buf, len, 0) == (ssize_t)len)
		bad = pattern_check(buf, len, 0, seed);
	free(buf);
	return bad;
}

int contents_intact(int fd, size_t size, const char *want, char *got)
{
	if (lseek(fd, 0, SEEK_END) != (off_t)size)
		return 0;
	if (pread(fd, got, size + 1, 0) != (ssize_t)size)
		return 0;
	return !memcmp(got, want, size);
}

bool page_present(const void *addr)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (uintptr_t)addr / sysconf(_SC_PAGESIZE) * sizeof(entry);

	if (fd < 0)
		return false;
	if (pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		entry = 0;
	close(fd);
	return entry >> 63;
}

int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

long long zero_check(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return (long long)i;
	return -1;
}
