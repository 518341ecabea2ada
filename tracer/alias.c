/*
 * Short names for long real paths. A layer's own path plus the path below
 * the mountpoint can reach PATH_MAX where the program's path does not (the
 * kernel overlay only limits the latter), and the kernel refuses a longer
 * string. Such a path is handed over as ALIASDIR/HASH/NAME, where HASH is a
 * symlink to the parent directory; a parent too long for one symlink target
 * points through the alias of its own leading part. The links never change
 * once made (a hash names one directory path), so any worker may make or
 * reuse one without a lock; a hash collision is detected and refused.
 *
 * ALIASDIR is a private directory (0755, so a tracee that changed its uid
 * can still follow the links) made on first need. Its name is published in
 * the segment's header: vfsd removes it when the run ends, also when fuss
 * died, and the CLI does after vfsd is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "alias.h"
#include "log.h"
#include "path.h"
#include "tracer.h"

/* A symlink target may hold PATH_MAX - 1 bytes; the tail of a long parent
 * that one link covers is kept well below that, so the alias of its head
 * (ALIASDIR/HASH, under 100 bytes) fits in front of it. */
#define ALIAS_TAIL_MAX 3072

static pthread_mutex_t alias_lock = PTHREAD_MUTEX_INITIALIZER;
static int alias_fd = -1;       /* O_PATH fd of ALIASDIR, -1 until made */
static int alias_err;           /* why it could not be made, once tried */
static char alias_dir[SHM_ALIAS_DIR_MAX];

/* A base for ALIASDIR: absolute, a directory, and not inside a layer (the
 * links would show in the merged view). */
static bool alias_base_ok(const char *base)
{
	struct stat st;

	return base && base[0] == '/' && strlen(base) + 20 < SHM_ALIAS_DIR_MAX &&
	       tr_path_layer_of(tr.cfg, base) < 0 && stat(base, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

static int alias_make_dir(void)
{
	const char *bases[] = { getenv("TMPDIR"), "/tmp", "/dev/shm", "/var/tmp" };

	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		char dir[SHM_ALIAS_DIR_MAX];

		if (!alias_base_ok(bases[i]))
			continue;
		snprintf(dir, sizeof(dir), "%s%sfuss-alias.XXXXXX", bases[i],
			 bases[i][1] ? "/" : "");
		if (!mkdtemp(dir))
			continue;
		int fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0 || chmod(dir, 0755) < 0) {
			if (fd >= 0)
				close(fd);
			rmdir(dir);
			continue;
		}
		memcpy(alias_dir, dir, strlen(dir) + 1);
		if (tr.shm) {
			memcpy(tr.shm->hdr->alias_dir, dir, strlen(dir) + 1);
			__atomic_store_n(&tr.shm->hdr->alias_set, 1u, __ATOMIC_RELEASE);
		}
		return fd;
	}
	fuss_warn("no directory for aliases of long layer paths (tried $TMPDIR, "
		  "/tmp, /dev/shm, /var/tmp): such paths give ENAMETOOLONG");
	return -ENAMETOOLONG;
}

static int alias_dirfd(void)
{
	int fd = __atomic_load_n(&alias_fd, __ATOMIC_ACQUIRE);

	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&alias_lock);
	if (alias_fd < 0 && !alias_err) {
		fd = alias_make_dir();
		if (fd < 0)
			alias_err = fd;
		else
			__atomic_store_n(&alias_fd, fd, __ATOMIC_RELEASE);
	}
	fd = alias_fd >= 0 ? alias_fd : alias_err;
	pthread_mutex_unlock(&alias_lock);
	return fd;
}

/* out = a short path naming the directory dir[0..len). */
static int alias_of_dir(const char *dir, size_t len, char *out, size_t size)
{
	char target[PATH_MAX], name[24], old[PATH_MAX];
	int fd = alias_dirfd(), n;

	if (fd < 0)
		return fd;
	if (len < PATH_MAX) {
		memcpy(target, dir, len);
		target[len] = '\0';
	} else {
		size_t k = len - ALIAS_TAIL_MAX;

		while (k < len && dir[k] != '/')
			k++;
		if (k == len)
			return -ENAMETOOLONG;
		if ((n = alias_of_dir(dir, k, target, sizeof(target))) < 0)
			return n;
		if ((size_t)n + (len - k) >= sizeof(target))
			return -ENAMETOOLONG;
		memcpy(target + n, dir + k, len - k);
		target[(size_t)n + len - k] = '\0';
	}
	snprintf(name, sizeof(name), "%016llx", (unsigned long long)tr_path_hash(dir, len));
	if (symlinkat(target, fd, name) < 0) {
		if (errno != EEXIST)
			return -errno;
		ssize_t m = readlinkat(fd, name, old, sizeof(old));

		if (m < 0 || (size_t)m != strlen(target) || memcmp(old, target, (size_t)m) != 0) {
			fuss_warn("alias %s/%s: hash collision, ENAMETOOLONG", alias_dir, name);
			return -ENAMETOOLONG;
		}
	}
	n = snprintf(out, size, "%s/%s", alias_dir, name);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

int tr_alias_path(const char *real, char *out, size_t size)
{
	size_t len = strlen(real), end = len, slash;

	if (len < size) {
		memcpy(out, real, len + 1);
		return (int)len;
	}
	if (real[0] != '/')
		return -ENAMETOOLONG;
	while (end > 1 && real[end - 1] == '/')
		end--;
	slash = end;
	while (slash > 0 && real[slash - 1] != '/')
		slash--;
	if (slash <= 1)
		return -ENAMETOOLONG;
	int n = alias_of_dir(real, slash - 1, out, size);

	if (n < 0)
		return n;
	if ((size_t)n + 1 + (len - slash) >= size)
		return -ENAMETOOLONG;
	out[n] = '/';
	memcpy(out + n + 1, real + slash, len - slash + 1);
	return (int)((size_t)n + 1 + len - slash);
}
