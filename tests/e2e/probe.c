/*
 * probe: run one filesystem syscall and print its outcome, so end-to-end
 * scenarios can compare errno values between fuss and a kernel overlayfs
 * mount. Usage: probe [-C DIR] [-U UID[:GID]] OP ARGS...
 *
 * Prints "OK", "OK <value>" or "ERR <ERRNONAME>" on stdout and exits 0
 * either way; bad usage exits 2. Errno names come from a fixed table, never
 * from strerror, so the output does not depend on the C library's wording.
 * Stat output leaves out inode, device and times, which legitimately differ
 * between two runs; a directory's size is printed as "-" because it depends
 * on how the directory was created, not on the overlay's rules.
 *
 * The fd operations (fchmod, fchown, ftruncate, fsetxattr, fremovexattr,
 * futimens) open PATH with OFLAGS, run the call on that descriptor and
 * print a second line, "fstat ...", with what fstat on the same descriptor
 * then reports.
 *
 * Options apply in the order given: -C changes the working directory, -U
 * drops every privilege (no supplementary groups, real/effective/saved ids
 * set to UID and GID, GID defaulting to UID) before the operation runs.
 */
#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <sched.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT (1 << 2)
#endif

struct probe_name {
	const char *name;
	long value;
};

#define N(x) { #x, x }

static const struct probe_name probe_errnos[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(ENOTBLK), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV),
	N(ENOTDIR), N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY),
	N(ETXTBSY), N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK),
	N(EPIPE), N(EDOM), N(ERANGE), N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK),
	N(ENOSYS), N(ENOTEMPTY), N(ELOOP), N(ENOMSG), N(EIDRM), N(ENODATA),
	N(ENOSTR), N(ETIME), N(EOVERFLOW), N(EBADFD), N(EILSEQ), N(EUSERS),
	N(ENOTSOCK), N(EOPNOTSUPP), N(EAFNOSUPPORT), N(EADDRINUSE),
	N(ECONNREFUSED), N(ESTALE), N(EDQUOT), N(ECANCELED), N(EOWNERDEAD),
	N(ENOTRECOVERABLE), N(ENOTUNIQ), N(EREMOTE), N(ENOLINK), N(ENOMEDIUM),
	N(EMEDIUMTYPE), N(EUCLEAN), N(EKEYREVOKED),
};

static const struct probe_name probe_oflags[] = {
	N(O_RDONLY), N(O_WRONLY), N(O_RDWR), N(O_CREAT), N(O_EXCL),
	N(O_TRUNC), N(O_APPEND), N(O_DIRECTORY), N(O_NOFOLLOW), N(O_CLOEXEC),
	N(O_NONBLOCK), N(O_SYNC), N(O_DSYNC), N(O_NOCTTY), N(O_PATH),
	N(O_TMPFILE), N(O_NOATIME), N(O_LARGEFILE),
	{ "0", 0 },
};

static const struct probe_name probe_amodes[] = {
	N(F_OK), N(R_OK), N(W_OK), N(X_OK),
};

static const struct probe_name probe_rflags[] = {
	{ "NOREPLACE", RENAME_NOREPLACE }, { "EXCHANGE", RENAME_EXCHANGE },
	{ "WHITEOUT", RENAME_WHITEOUT },   N(RENAME_NOREPLACE),
	N(RENAME_EXCHANGE),                N(RENAME_WHITEOUT),
	{ "0", 0 },
};

static const struct probe_name probe_atflags[] = {
	N(AT_SYMLINK_NOFOLLOW), N(AT_SYMLINK_FOLLOW), N(AT_EMPTY_PATH),
	N(AT_EACCESS), N(AT_REMOVEDIR), N(AT_NO_AUTOMOUNT),
	N(AT_STATX_FORCE_SYNC), N(AT_STATX_DONT_SYNC),
	{ "0", 0 },
};

static const struct probe_name probe_statx_masks[] = {
	N(STATX_TYPE), N(STATX_MODE), N(STATX_NLINK), N(STATX_UID),
	N(STATX_GID), N(STATX_ATIME), N(STATX_MTIME), N(STATX_CTIME),
	N(STATX_INO), N(STATX_SIZE), N(STATX_BLOCKS), N(STATX_BASIC_STATS),
	N(STATX_BTIME), N(STATX_ALL),
	{ "0", 0 },
};

static const struct probe_name probe_resolve[] = {
	N(RESOLVE_NO_XDEV), N(RESOLVE_NO_MAGICLINKS), N(RESOLVE_NO_SYMLINKS),
	N(RESOLVE_BENEATH), N(RESOLVE_IN_ROOT), N(RESOLVE_CACHED),
	{ "0", 0 },
};

#undef N

static _Noreturn void probe_usage(void)
{
	fputs("usage: probe [-C DIR] [-U UID[:GID]] OP ARGS...\n"
	      "  open PATH FLAGS [MODE]      openat-dirfd DIR PATH FLAGS [MODE]\n"
	      "  fifo-restart FIFO OTHER [chld]   ptrace-escape\n"
	      "  clone-untraced PATH\n"
	      "  stat PATH   lstat PATH   statx PATH   access PATH MODE\n"
	      "  mkdir PATH MODE   rmdir PATH   unlink PATH   rename A B\n"
	      "  renameat2 A B FLAGS   link A B   symlink TARGET PATH\n"
	      "  readlink PATH   chmod PATH MODE   truncate PATH LEN   getcwd\n"
	      "  chdir DIR   mknod-fifo PATH MODE   utime PATH SECONDS\n"
	      "  getxattr PATH NAME   setxattr PATH NAME VALUE\n"
	      "  listxattr PATH   removexattr PATH NAME\n"
	      "  listdir PATH   listdir-types PATH   listdir-partial PATH BUFSIZE\n"
	      "  listdir-unlink PATH BUFSIZE   walk OP:PATH...\n"
	      "  statx-mask PATH MASK ATFLAGS   faccessat2 PATH MODE ATFLAGS\n"
	      "  fchmodat2 PATH MODE ATFLAGS   chown PATH UID GID\n"
	      "  lchown PATH UID GID   utimens PATH ATIME MTIME ATFLAGS\n"
	      "  futimens PATH OFLAGS ATIME MTIME   times PATH [atime]\n"
	      "  linkat A B ATFLAGS   link-fd PATH OFLAGS NEW\n"
	      "  mknod PATH TYPE MODE [MAJOR MINOR]   symlinkat TARGET DIR NAME\n"
	      "  statfs PATH   fstatat-empty PATH OFLAGS   tmpfile DIR MODE\n"
	      "  rmdir-getcwd DIR   inotify PATH   fanotify PATH\n"
	      "  openat2 DIR|- PATH OFLAGS RESOLVE   fchmod PATH OFLAGS MODE\n"
	      "  fchown PATH OFLAGS UID GID   ftruncate PATH OFLAGS LEN\n"
	      "  fsetxattr PATH OFLAGS NAME VALUE   fremovexattr PATH OFLAGS NAME\n"
	      "  fgetxattr PATH NAME\n"
	      "  execve PATH   bind PATH   connect PATH\n",
	      stderr);
	exit(2);
}

static const char *probe_errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(probe_errnos) / sizeof(probe_errnos[0]); i++)
		if (probe_errnos[i].value == err)
			return probe_errnos[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* Parses "A|B|C" against a table; a bare number is accepted too. */
static long probe_parse_flags(const char *s, const struct probe_name *tab,
			      size_t n)
{
	char *copy = strdup(s), *save = NULL, *tok, *end;
	long flags = 0;
	size_t i;

	if (!copy)
		exit(2);
	for (tok = strtok_r(copy, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		for (i = 0; i < n; i++)
			if (strcmp(tok, tab[i].name) == 0)
				break;
		if (i < n) {
			flags |= tab[i].value;
			continue;
		}
		errno = 0;
		long v = strtol(tok, &end, 0);
		if (errno || *end || end == tok) {
			fprintf(stderr, "probe: unknown flag '%s'\n", tok);
			exit(2);
		}
		flags |= v;
	}
	free(copy);
	return flags;
}

#define PARSE(s, tab) probe_parse_flags(s, tab, sizeof(tab) / sizeof(tab[0]))

static mode_t probe_parse_mode(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno || *end || end == s || v > 07777) {
		fprintf(stderr, "probe: bad mode '%s'\n", s);
		exit(2);
	}
	return (mode_t)v;
}

static long long probe_parse_num(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "probe: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static int probe_result(long ret)
{
	if (ret < 0)
		printf("ERR %s\n", probe_errname(errno));
	else
		printf("OK\n");
	return 0;
}

static const char *probe_typename(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "reg";
	case S_IFDIR:
		return "dir";
	case S_IFLNK:
		return "lnk";
	case S_IFCHR:
		return "chr";
	case S_IFBLK:
		return "blk";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "sock";
	}
	return "unknown";
}

static void probe_print_stat(mode_t mode, long long size, unsigned long nlink)
{
	if (S_ISDIR(mode))
		printf("OK type=%s mode=%04o size=- nlink=%lu\n",
		       probe_typename(mode), (unsigned)(mode & 07777), nlink);
	else
		printf("OK type=%s mode=%04o size=%lld nlink=%lu\n",
		       probe_typename(mode), (unsigned)(mode & 07777), size,
		       nlink);
}

static int probe_stat(const char *path, int follow)
{
	struct stat st;
	int ret = follow ? stat(path, &st) : lstat(path, &st);

	if (ret < 0)
		return probe_result(ret);
	probe_print_stat(st.st_mode, (long long)st.st_size,
			 (unsigned long)st.st_nlink);
	return 0;
}

static int probe_statx(const char *path)
{
	struct statx stx;
	unsigned int want = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_SIZE;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, want, &stx) < 0)
		return probe_result(-1);
	if ((stx.stx_mask & want) != want) {
		printf("OK partial-mask\n");
		return 0;
	}
	probe_print_stat(stx.stx_mode, (long long)stx.stx_size,
			 (unsigned long)stx.stx_nlink);
	return 0;
}

static int probe_readlink(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return probe_result(-1);
	buf[n] = '\0';
	printf("OK %s\n", buf);
	return 0;
}

static int probe_getcwd(void)
{
	char buf[4096];

	if (!getcwd(buf, sizeof(buf)))
		return probe_result(-1);
	printf("OK %s\n", buf);
	return 0;
}

/* A growable list of names, printed sorted. */
struct probe_names {
	char **v;
	size_t n, cap;
};

static void probe_names_add(struct probe_names *l, const char *name,
			    const char *suffix)
{
	size_t len = strlen(name) + strlen(suffix) + 1;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			exit(2);
	}
	l->v[l->n] = malloc(len);
	if (!l->v[l->n])
		exit(2);
	snprintf(l->v[l->n], len, "%s%s", name, suffix);
	l->n++;
}

static int probe_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void probe_names_print(struct probe_names *l)
{
	size_t i;

	qsort(l->v, l->n, sizeof(*l->v), probe_cmp);
	for (i = 0; i < l->n; i++) {
		printf("%s\n", l->v[i]);
		free(l->v[i]);
	}
	l->n = 0;
}

static const char *probe_dtype(unsigned char t)
{
	switch (t) {
	case DT_REG:
		return " reg";
	case DT_DIR:
		return " dir";
	case DT_LNK:
		return " lnk";
	case DT_CHR:
		return " chr";
	case DT_BLK:
		return " blk";
	case DT_FIFO:
		return " fifo";
	case DT_SOCK:
		return " sock";
	}
	return " unknown";
}

static int probe_listdir(const char *path, int types)
{
	struct probe_names names = { 0 };
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d)
		return probe_result(-1);
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		probe_names_add(&names, de->d_name,
				types ? probe_dtype(de->d_type) : "");
	}
	if (errno) {
		int err = errno;

		closedir(d);
		errno = err;
		return probe_result(-1);
	}
	closedir(d);
	printf("OK\n");
	probe_names_print(&names);
	free(names.v);
	return 0;
}

struct probe_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Reads the whole directory with getdents64 into BUFSIZE-byte chunks. */
static int probe_getdents_pass(int fd, char *buf, size_t bufsize,
			       struct probe_names *names, int *calls)
{
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, bufsize);
		long pos;

		if (n < 0)
			return -1;
		(*calls)++;
		if (n == 0)
			return 0;
		for (pos = 0; pos < n;) {
			struct probe_dirent64 *de =
				(struct probe_dirent64 *)(buf + pos);

			probe_names_add(names, de->d_name, "");
			pos += de->d_reclen;
		}
	}
}

/* A buffer of BUFSIZE bytes (1 MiB at most) and PATH opened as a
 * directory; the fd, or -1 with errno set. */
static int probe_dir_buf(const char *path, const char *size_arg, char **buf,
			 size_t *bufsize)
{
	long long n = probe_parse_num(size_arg);

	if (n <= 0 || n > (1 << 20))
		probe_usage();
	*bufsize = (size_t)n;
	*buf = malloc(*bufsize);
	if (!*buf)
		exit(2);
	return open(path, O_RDONLY | O_DIRECTORY);
}

/*
 * Reads the directory in BUFSIZE-byte getdents64 chunks and unlinks the
 * names of each chunk before reading the next (the directory changes
 * while it is being listed), then removes it; prints how many names were
 * seen and removed.
 */
static int probe_listdir_unlink(const char *path, const char *size_arg)
{
	long seen = 0, removed = 0;
	size_t bufsize;
	char *buf;
	int fd = probe_dir_buf(path, size_arg, &buf, &bufsize);

	if (fd < 0)
		return probe_result(-1);
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, bufsize);

		if (n < 0)
			return probe_result(-1);
		if (n == 0)
			break;
		for (long pos = 0; pos < n;) {
			struct probe_dirent64 *de = (struct probe_dirent64 *)(buf + pos);

			pos += de->d_reclen;
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			seen++;
			if (unlinkat(fd, de->d_name, 0) == 0)
				removed++;
		}
	}
	close(fd);
	free(buf);
	if (rmdir(path) < 0)
		return probe_result(-1);
	printf("OK\nseen %ld removed %ld\n", seen, removed);
	return 0;
}

/*
 * Small-buffer reads across several calls, then lseek(fd, 0, SEEK_SET) and a
 * second full listing; also a rewind in the middle of a listing. Each pass
 * prints its names sorted; call counts are not printed because how many
 * entries fit in one call is the filesystem's choice.
 */
static int probe_listdir_partial(const char *path, const char *size_arg)
{
	struct probe_names names = { 0 };
	size_t bufsize;
	int calls = 0;
	char *buf;
	int fd = probe_dir_buf(path, size_arg, &buf, &bufsize);

	if (fd < 0)
		return probe_result(-1);
	if (probe_getdents_pass(fd, buf, bufsize, &names, &calls) < 0)
		goto fail;
	printf("OK\npass1 %zu\n", names.n);
	probe_names_print(&names);

	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (probe_getdents_pass(fd, buf, bufsize, &names, &calls) < 0)
		goto fail;
	printf("pass2 %zu\n", names.n);
	probe_names_print(&names);

	/* Rewind after a single partial read, then list everything again. */
	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (syscall(SYS_getdents64, fd, buf, bufsize) < 0)
		goto fail;
	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (probe_getdents_pass(fd, buf, bufsize, &names, &calls) < 0)
		goto fail;
	printf("pass3 %zu\n", names.n);
	probe_names_print(&names);
	close(fd);
	free(buf);
	free(names.v);
	return 0;
fail:
	printf("ERR %s\n", probe_errname(errno));
	close(fd);
	free(buf);
	return 0;
}

/* Every directory below `path`, read to its end (nothing printed). */
static void probe_list_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char sub[4096];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		probe_list_tree(sub);
	}
	closedir(d);
}

/* OP:PATH steps in one process, each printed "OP PATH: result": list (a
 * tree read, as ls -R, du or find do before naming what they found),
 * stat, lstat, open (read-only), xattr (getxattr of user.none), unlink,
 * and read2 (the start of a file opened with openat2 and
 * RESOLVE_NO_SYMLINKS). */
static int probe_walk(char **steps, int n)
{
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(steps[i], ':');
		const char *path = colon ? colon + 1 : "";
		size_t oplen = colon ? (size_t)(colon - steps[i]) : strlen(steps[i]);
		char buf[64];
		int fd;

		printf("%.*s %s: ", (int)oplen, steps[i], path);
		if (strncmp(steps[i], "list:", 5) == 0) {
			probe_list_tree(path);
			printf("done\n");
		} else if (strncmp(steps[i], "stat:", 5) == 0) {
			probe_stat(path, 1);
		} else if (strncmp(steps[i], "lstat:", 6) == 0) {
			probe_stat(path, 0);
		} else if (strncmp(steps[i], "open:", 5) == 0) {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			probe_result(fd);
			if (fd >= 0)
				close(fd);
		} else if (strncmp(steps[i], "xattr:", 6) == 0) {
			probe_result(getxattr(path, "user.none", buf, sizeof(buf)));
		} else if (strncmp(steps[i], "unlink:", 7) == 0) {
			probe_result(unlink(path));
		} else if (strncmp(steps[i], "read2:", 6) == 0) {
			struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
						.resolve = RESOLVE_NO_SYMLINKS };
			ssize_t got;

			fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
			if (fd < 0 || (got = read(fd, buf, sizeof(buf) - 1)) < 0) {
				probe_result(-1);
			} else {
				buf[got] = '\0';
				printf("OK %s", buf);
			}
			if (fd >= 0)
				close(fd);
		} else {
			probe_usage();
		}
		fflush(stdout);
	}
	return 0;
}

static int probe_getxattr(const char *path, const char *name)
{
	char buf[4096];
	ssize_t n = lgetxattr(path, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return probe_result(-1);
	buf[n] = '\0';
	printf("OK %s\n", buf);
	return 0;
}

/* Prints the names sorted; trusted.* is left to the caller to filter. */
static int probe_listxattr(const char *path)
{
	struct probe_names names = { 0 };
	char buf[8192];
	ssize_t n = llistxattr(path, buf, sizeof(buf)), pos;

	if (n < 0)
		return probe_result(-1);
	for (pos = 0; pos < n; pos += (ssize_t)strlen(buf + pos) + 1)
		probe_names_add(&names, buf + pos, "");
	printf("OK\n");
	probe_names_print(&names);
	free(names.v);
	return 0;
}

static int probe_open(int dirfd, const char *path, const char *flags,
		      const char *mode)
{
	long f = PARSE(flags, probe_oflags);
	mode_t m = mode ? probe_parse_mode(mode) : 0644;

	return probe_result(openat(dirfd, path, (int)f, m));
}

/* fifo-restart: open FIFO for reading blocks; a signal handler installed
 * with SA_RESTART opens OTHER meanwhile; a child opens FIFO for writing
 * later and writes a line. The restarted open must still name FIFO. The
 * signal is SIGALRM from a timer, or with "chld" the SIGCHLD of a second
 * child that exits while the open is blocked. */
static const char *restart_other;
static int restart_handler_ok;

static void restart_handler(int sig)
{
	int fd = open(restart_other, O_RDONLY);

	(void)sig;
	if (fd >= 0) {
		restart_handler_ok = 1;
		close(fd);
	}
}

static int probe_fifo_restart(const char *fifo, const char *other, int chld)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	char buf[64] = "";
	pid_t pid, quick = -1;
	int fd, st;

	restart_other = other;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restart_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(chld ? SIGCHLD : SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		usleep(400000);
		fd = open(fifo, O_WRONLY);
		if (fd < 0 || write(fd, "through the fifo\n", 17) != 17)
			_exit(1);
		_exit(0);
	}
	if (chld) {
		quick = fork();
		if (quick == 0) {
			usleep(100000);
			_exit(0);
		}
	} else {
		setitimer(ITIMER_REAL, &it, NULL);
	}
	fd = open(fifo, O_RDONLY);
	if (fd < 0) {
		printf("ERR %s\n", probe_errname(errno));
	} else {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		close(fd);
		printf("OK handler=%d %s", restart_handler_ok, buf);
	}
	waitpid(pid, &st, 0);
	if (quick > 0)
		waitpid(quick, &st, 0);
	return 0;
}

/* The pid of the process tracing PID (TracerPid in /proc), -1 if unknown. */
static long probe_tracer(pid_t pid)
{
	char path[64], line[256];
	long tracer = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %ld", &tracer) == 1)
			break;
	fclose(f);
	return tracer;
}

static void probe_show(const char *what, long ret)
{
	printf("%s ", what);
	probe_result(ret);
	fflush(stdout);
}

/* A child that runs fn and exits; the caller waits for it. */
static pid_t probe_child(void (*fn)(pid_t), pid_t arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	return pid;
}

static void escape_sibling(pid_t unused)
{
	(void)unused;
	/* any process may trace me, as far as Yama is concerned */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	for (;;)
		pause();
}

static void escape_attacher(pid_t sibling)
{
	probe_show("attach-sibling", ptrace(PTRACE_ATTACH, sibling, 0, 0));
	probe_show("seize-sibling", ptrace(PTRACE_SEIZE, sibling, 0, 0));
	probe_show("attach-parent", ptrace(PTRACE_ATTACH, getppid(), 0, 0));
}

static void escape_traceme(pid_t unused)
{
	(void)unused;
	probe_show("traceme", ptrace(PTRACE_TRACEME, 0, 0, 0));
	raise(SIGSTOP);
	printf("traceme-continued tracer %ld\n", probe_tracer(getpid()));
}

/* ptrace-escape: every way a traced program has to get an untraced process
 * or to take another tracee over: PTRACE_ATTACH/SEIZE of a sibling that
 * allows any tracer (PR_SET_PTRACER_ANY) and of its parent, PTRACE_TRACEME
 * in a child followed by raise(SIGSTOP) (the parent sees the stop and
 * continues it, as a shell would). Prints each result, then "tracer N" of
 * every process involved, N being the TracerPid the kernel reports. */
static int probe_ptrace_escape(void)
{
	pid_t sib, pid;
	int st;

	sib = probe_child(escape_sibling, 0);
	usleep(100000);
	pid = probe_child(escape_attacher, sib);
	waitpid(pid, &st, 0);
	printf("sibling tracer %ld\n", probe_tracer(sib));
	pid = probe_child(escape_traceme, 0);
	if (waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st)) {
		printf("traceme-stopped tracer %ld\n", probe_tracer(pid));
		fflush(stdout);
		kill(pid, SIGCONT);
		waitpid(pid, &st, 0);
	}
	printf("self tracer %ld\n", probe_tracer(getpid()));
	kill(sib, SIGKILL);
	waitpid(sib, &st, 0);
	return 0;
}

/* clone-untraced PATH: a child made with CLONE_UNTRACED, which the tracer
 * is not attached to, tries to stat PATH and to become traced by its
 * parent; then, while it waits on a pipe, the parent reports its
 * TracerPid (the child could not open /proc itself: no path call of an
 * untraced process gets through fuss's seccomp filter). */
static int probe_clone_untraced(const char *path)
{
	struct stat sb;
	int ready[2], go[2], st;
	char c = 0;
	long pid;

	if (pipe(ready) < 0 || pipe(go) < 0)
		return probe_result(-1);
	fflush(stdout);
	pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		return probe_result(-1);
	if (pid == 0) {
		close(go[1]);
		probe_show("stat", stat(path, &sb));
		probe_show("traceme", ptrace(PTRACE_TRACEME, 0, 0, 0));
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) == 1)
		printf("untraced-child tracer %ld\n", probe_tracer((pid_t)pid));
	close(go[1]);
	waitpid((pid_t)pid, &st, 0);
	printf("child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

static const struct probe_name probe_inflags[] = {
	{ "ONLYDIR", IN_ONLYDIR }, { "DONT_FOLLOW", IN_DONT_FOLLOW },
	{ "0", 0 },
};

/* A time as seconds, or "now" when it is within the last hour. */
static void probe_print_time(const char *name, time_t t)
{
	time_t now = time(NULL);

	if (t <= now + 60 && t > now - 3600)
		printf(" %s=now", name);
	else
		printf(" %s=%lld", name, (long long)t);
}

/* "NOW", "OMIT" or a number of seconds. */
static void probe_parse_ts(const char *s, struct timespec *ts)
{
	ts->tv_sec = 0;
	if (strcmp(s, "NOW") == 0) {
		ts->tv_nsec = UTIME_NOW;
	} else if (strcmp(s, "OMIT") == 0) {
		ts->tv_nsec = UTIME_OMIT;
	} else {
		ts->tv_sec = (time_t)probe_parse_num(s);
		ts->tv_nsec = 0;
	}
}

/*
 * The mtime, and the atime only when asked: an atime that was not set
 * explicitly depends on who read the file before (the harness does).
 */
static int probe_times(const char *path, int atime)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return probe_result(-1);
	printf("OK");
	if (atime)
		probe_print_time("atime", st.st_atime);
	probe_print_time("mtime", st.st_mtime);
	printf("\n");
	return 0;
}

/* utimens PATH ATIME MTIME FLAGS; ATIME "-" passes a NULL times array. */
static int probe_utimens(const char *path, const char *at, const char *mt,
			 const char *flags)
{
	struct timespec ts[2];
	int f = (int)PARSE(flags, probe_atflags);

	if (strcmp(at, "-") == 0)
		return probe_result(syscall(SYS_utimensat, AT_FDCWD, path,
					    NULL, f));
	probe_parse_ts(at, &ts[0]);
	probe_parse_ts(mt, &ts[1]);
	return probe_result(syscall(SYS_utimensat, AT_FDCWD, path, ts, f));
}

static int probe_open_or_print(const char *path, const char *flags)
{
	int fd = open(path, (int)PARSE(flags, probe_oflags));

	if (fd < 0)
		probe_result(-1);
	return fd;
}

/*
 * After an fd operation, what fstat on the same descriptor reports: the
 * change must be visible through it. "fstat" then the stat fields, or with
 * TIMES the mtime (TIMES 2: the atime too).
 */
static int probe_fd_after(int fd, int times)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		printf("fstat ERR %s\n", probe_errname(errno));
		return 0;
	}
	printf("fstat ");
	if (times) {
		printf("OK");
		if (times == 2)
			probe_print_time("atime", st.st_atime);
		probe_print_time("mtime", st.st_mtime);
		printf("\n");
		return 0;
	}
	probe_print_stat(st.st_mode, (long long)st.st_size,
			 (unsigned long)st.st_nlink);
	return 0;
}

/* utimensat(fd, NULL, times, 0): the fd form glibc's futimens uses. */
static int probe_futimens(const char *path, const char *flags, const char *at,
			  const char *mt)
{
	struct timespec ts[2];
	int fd = probe_open_or_print(path, flags);
	long ret;

	if (fd < 0)
		return 0;
	if (strcmp(at, "-") == 0) {
		ret = syscall(SYS_utimensat, fd, NULL, NULL, 0);
	} else {
		probe_parse_ts(at, &ts[0]);
		probe_parse_ts(mt, &ts[1]);
		ret = syscall(SYS_utimensat, fd, NULL, ts, 0);
	}
	probe_result(ret);
	/* the atime is known only when this call set it */
	return probe_fd_after(fd, ret == 0 && strcmp(at, "OMIT") != 0 ? 2 : 1);
}

/*
 * Prints the fields asked for in MASK: a value when the kernel filled it,
 * "?" when it did not. Times, inode numbers and block counts only say
 * whether they were filled.
 */
static int probe_statx_mask(const char *path, const char *mask,
			    const char *flags)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} presence[] = {
		{ STATX_ATIME, "atime" }, { STATX_MTIME, "mtime" },
		{ STATX_CTIME, "ctime" }, { STATX_INO, "ino" },
		{ STATX_BLOCKS, "blocks" }, { STATX_BTIME, "btime" },
	};
	struct statx stx;
	unsigned int want = (unsigned int)PARSE(mask, probe_statx_masks);
	unsigned int got;
	size_t i;

	memset(&stx, 0, sizeof(stx));
	if (statx(AT_FDCWD, path, (int)PARSE(flags, probe_atflags), want,
		  &stx) < 0)
		return probe_result(-1);
	got = stx.stx_mask;
	printf("OK");
	if (want & STATX_TYPE) {
		if (got & STATX_TYPE)
			printf(" type=%s", probe_typename(stx.stx_mode));
		else
			printf(" type=?");
	}
	if (want & STATX_MODE) {
		if (got & STATX_MODE)
			printf(" mode=%04o", (unsigned)(stx.stx_mode & 07777));
		else
			printf(" mode=?");
	}
	if (want & STATX_NLINK) {
		if (got & STATX_NLINK)
			printf(" nlink=%u", stx.stx_nlink);
		else
			printf(" nlink=?");
	}
	if (want & STATX_UID) {
		if (got & STATX_UID)
			printf(" uid=%u", stx.stx_uid);
		else
			printf(" uid=?");
	}
	if (want & STATX_GID) {
		if (got & STATX_GID)
			printf(" gid=%u", stx.stx_gid);
		else
			printf(" gid=?");
	}
	if (want & STATX_SIZE) {
		if (!(got & STATX_SIZE))
			printf(" size=?");
		else if (S_ISDIR(stx.stx_mode))
			printf(" size=-");
		else
			printf(" size=%llu", (unsigned long long)stx.stx_size);
	}
	for (i = 0; i < sizeof(presence) / sizeof(presence[0]); i++)
		if (want & presence[i].bit)
			printf(" %s=%s", presence[i].name,
			       got & presence[i].bit ? "yes" : "no");
	printf("\n");
	return 0;
}

static int probe_mknod(const char *path, const char *type, const char *mode,
		       const char *major, const char *minor)
{
	mode_t t;
	dev_t dev = 0;

	if (strcmp(type, "fifo") == 0)
		t = S_IFIFO;
	else if (strcmp(type, "chr") == 0)
		t = S_IFCHR;
	else if (strcmp(type, "blk") == 0)
		t = S_IFBLK;
	else if (strcmp(type, "sock") == 0)
		t = S_IFSOCK;
	else if (strcmp(type, "reg") == 0)
		t = S_IFREG;
	else
		probe_usage();
	if (major)
		dev = makedev((unsigned)probe_parse_num(major),
			      (unsigned)probe_parse_num(minor));
	return probe_result(mknod(path, t | probe_parse_mode(mode), dev));
}

static int probe_fstatat_empty(const char *path, const char *flags)
{
	struct stat st;
	int fd = probe_open_or_print(path, flags);

	if (fd < 0)
		return 0;
	if (fstatat(fd, "", &st, AT_EMPTY_PATH) < 0)
		return probe_result(-1);
	probe_print_stat(st.st_mode, (long long)st.st_size,
			 (unsigned long)st.st_nlink);
	return 0;
}

/* An unnamed file in DIR: written to, then described by fstat. */
static int probe_tmpfile(const char *dir, const char *mode)
{
	struct stat st;
	int fd = open(dir, O_TMPFILE | O_RDWR, probe_parse_mode(mode));

	if (fd < 0)
		return probe_result(-1);
	if (write(fd, "tmpfile\n", 8) != 8 || fstat(fd, &st) < 0)
		return probe_result(-1);
	probe_print_stat(st.st_mode, (long long)st.st_size,
			 (unsigned long)st.st_nlink);
	return 0;
}

/* rmdir(DIR), then the raw getcwd syscall: one line for each. */
static int probe_rmdir_getcwd(const char *dir)
{
	char buf[4096];
	long n;

	probe_result(rmdir(dir));
	n = syscall(SYS_getcwd, buf, sizeof(buf));
	if (n < 0)
		return probe_result(-1);
	printf("OK %s\n", buf);
	return 0;
}

static int probe_inotify(const char *path, const char *flags)
{
	int fd = inotify_init1(IN_CLOEXEC);

	if (fd < 0)
		return probe_result(-1);
	return probe_result(inotify_add_watch(fd, path,
		IN_ALL_EVENTS | (uint32_t)PARSE(flags, probe_inflags)));
}

static int probe_fanotify(const char *path)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);

	if (fd < 0)
		return probe_result(-1);
	return probe_result(fanotify_mark(fd, FAN_MARK_ADD,
					  FAN_OPEN | FAN_CLOSE_WRITE,
					  AT_FDCWD, path));
}

static int probe_openat2(const char *dir, const char *path, const char *flags,
			 const char *resolve)
{
	struct open_how how;
	int dfd = AT_FDCWD;

	if (strcmp(dir, "-") != 0) {
		dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return probe_result(-1);
	}
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)PARSE(flags, probe_oflags);
	/* glibc's __O_TMPFILE holds O_DIRECTORY: test the whole O_TMPFILE. */
	if ((how.flags & O_CREAT) || (how.flags & O_TMPFILE) == O_TMPFILE)
		how.mode = 0644;
	how.resolve = (uint64_t)PARSE(resolve, probe_resolve);
	return probe_result(syscall(SYS_openat2, dfd, path, &how, sizeof(how)));
}

static int probe_fgetxattr(const char *path, const char *name)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return probe_result(-1);
	n = fgetxattr(fd, name, buf, sizeof(buf) - 1);
	if (n < 0)
		return probe_result(-1);
	buf[n] = '\0';
	printf("OK %s\n", buf);
	return 0;
}

/* fork + execve with output discarded; a CLOEXEC pipe carries the errno. */
static int probe_execve(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	char *envp[] = { NULL };
	int p[2], err = 0, st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return probe_result(-1);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return probe_result(-1);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		close(p[0]);
		dup2(null, 1);
		dup2(null, 2);
		execve(path, argv, envp);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	if (err) {
		errno = err;
		return probe_result(-1);
	}
	return probe_result(0);
}

static int probe_unix(const char *path, int do_bind)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return probe_result(-1);
	if (strlen(path) >= sizeof(sa.sun_path))
		probe_usage();
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if (do_bind)
		return probe_result(bind(fd, (struct sockaddr *)&sa,
					 sizeof(sa)));
	return probe_result(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

/* -U UID[:GID]: drop every privilege for good. */
static void probe_drop(const char *spec)
{
	char *end;
	unsigned long uid, gid;

	errno = 0;
	uid = strtoul(spec, &end, 10);
	if (errno || end == spec || (*end && *end != ':'))
		probe_usage();
	gid = uid;
	if (*end == ':') {
		const char *g = end + 1;

		gid = strtoul(g, &end, 10);
		if (errno || end == g || *end)
			probe_usage();
	}
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0) {
		fprintf(stderr, "probe: cannot drop to %lu:%lu: %s\n", uid, gid,
			probe_errname(errno));
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *op;
	char **a;
	int n;

	while (argc >= 3 && argv[1][0] == '-') {
		if (strcmp(argv[1], "-C") == 0) {
			if (chdir(argv[2]) < 0) {
				printf("ERR %s\n", probe_errname(errno));
				return 0;
			}
		} else if (strcmp(argv[1], "-U") == 0) {
			probe_drop(argv[2]);
		} else {
			probe_usage();
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 2)
		probe_usage();
	op = argv[1];
	a = argv + 2;
	n = argc - 2;

#define NEED(k)                 \
	do {                    \
		if (n != (k))   \
			probe_usage(); \
	} while (0)

	if (strcmp(op, "fifo-restart") == 0) {
		if (n == 3 && strcmp(a[2], "chld") != 0)
			probe_usage();
		if (n != 2 && n != 3)
			probe_usage();
		return probe_fifo_restart(a[0], a[1], n == 3);
	}
	if (strcmp(op, "ptrace-escape") == 0) {
		NEED(0);
		return probe_ptrace_escape();
	}
	if (strcmp(op, "clone-untraced") == 0) {
		NEED(1);
		return probe_clone_untraced(a[0]);
	}
	if (strcmp(op, "open") == 0) {
		if (n != 2 && n != 3)
			probe_usage();
		return probe_open(AT_FDCWD, a[0], a[1], n == 3 ? a[2] : NULL);
	}
	if (strcmp(op, "openat-dirfd") == 0) {
		int dfd;

		if (n != 3 && n != 4)
			probe_usage();
		dfd = open(a[0], O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return probe_result(-1);
		return probe_open(dfd, a[1], a[2], n == 4 ? a[3] : NULL);
	}
	if (strcmp(op, "stat") == 0) {
		NEED(1);
		return probe_stat(a[0], 1);
	}
	if (strcmp(op, "lstat") == 0) {
		NEED(1);
		return probe_stat(a[0], 0);
	}
	if (strcmp(op, "statx") == 0) {
		NEED(1);
		return probe_statx(a[0]);
	}
	if (strcmp(op, "access") == 0) {
		NEED(2);
		return probe_result(access(a[0], (int)PARSE(a[1], probe_amodes)));
	}
	if (strcmp(op, "mkdir") == 0) {
		NEED(2);
		return probe_result(mkdir(a[0], probe_parse_mode(a[1])));
	}
	if (strcmp(op, "rmdir") == 0) {
		NEED(1);
		return probe_result(rmdir(a[0]));
	}
	if (strcmp(op, "unlink") == 0) {
		NEED(1);
		return probe_result(unlink(a[0]));
	}
	if (strcmp(op, "rename") == 0) {
		NEED(2);
		return probe_result(rename(a[0], a[1]));
	}
	if (strcmp(op, "renameat2") == 0) {
		NEED(3);
		return probe_result(syscall(SYS_renameat2, AT_FDCWD, a[0],
					    AT_FDCWD, a[1],
					    (unsigned)PARSE(a[2], probe_rflags)));
	}
	if (strcmp(op, "link") == 0) {
		NEED(2);
		return probe_result(link(a[0], a[1]));
	}
	if (strcmp(op, "symlink") == 0) {
		NEED(2);
		return probe_result(symlink(a[0], a[1]));
	}
	if (strcmp(op, "readlink") == 0) {
		NEED(1);
		return probe_readlink(a[0]);
	}
	if (strcmp(op, "chmod") == 0) {
		NEED(2);
		return probe_result(chmod(a[0], probe_parse_mode(a[1])));
	}
	if (strcmp(op, "truncate") == 0) {
		NEED(2);
		return probe_result(truncate(a[0], (off_t)probe_parse_num(a[1])));
	}
	if (strcmp(op, "getcwd") == 0) {
		NEED(0);
		return probe_getcwd();
	}
	if (strcmp(op, "chdir") == 0) {
		NEED(1);
		return probe_result(chdir(a[0]));
	}
	if (strcmp(op, "mknod-fifo") == 0) {
		NEED(2);
		return probe_result(mknod(a[0], S_IFIFO | probe_parse_mode(a[1]), 0));
	}
	if (strcmp(op, "utime") == 0) {
		struct timespec ts[2];

		NEED(2);
		ts[0].tv_sec = ts[1].tv_sec = (time_t)probe_parse_num(a[1]);
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		return probe_result(utimensat(AT_FDCWD, a[0], ts, 0));
	}
	if (strcmp(op, "getxattr") == 0) {
		NEED(2);
		return probe_getxattr(a[0], a[1]);
	}
	if (strcmp(op, "setxattr") == 0) {
		NEED(3);
		return probe_result(lsetxattr(a[0], a[1], a[2], strlen(a[2]), 0));
	}
	if (strcmp(op, "listxattr") == 0) {
		NEED(1);
		return probe_listxattr(a[0]);
	}
	if (strcmp(op, "removexattr") == 0) {
		NEED(2);
		return probe_result(lremovexattr(a[0], a[1]));
	}
	if (strcmp(op, "listdir") == 0) {
		NEED(1);
		return probe_listdir(a[0], 0);
	}
	if (strcmp(op, "listdir-types") == 0) {
		NEED(1);
		return probe_listdir(a[0], 1);
	}
	if (strcmp(op, "listdir-partial") == 0) {
		NEED(2);
		return probe_listdir_partial(a[0], a[1]);
	}
	if (strcmp(op, "listdir-unlink") == 0) {
		NEED(2);
		return probe_listdir_unlink(a[0], a[1]);
	}
	if (strcmp(op, "walk") == 0)
		return probe_walk(a, n);
	if (strcmp(op, "statx-mask") == 0) {
		NEED(3);
		return probe_statx_mask(a[0], a[1], a[2]);
	}
	if (strcmp(op, "faccessat2") == 0) {
		NEED(3);
		return probe_result(syscall(SYS_faccessat2, AT_FDCWD, a[0],
					    (int)PARSE(a[1], probe_amodes),
					    (int)PARSE(a[2], probe_atflags)));
	}
	if (strcmp(op, "fchmodat2") == 0) {
		NEED(3);
		return probe_result(syscall(SYS_fchmodat2, AT_FDCWD, a[0],
					    probe_parse_mode(a[1]),
					    (int)PARSE(a[2], probe_atflags)));
	}
	if (strcmp(op, "chown") == 0 || strcmp(op, "lchown") == 0) {
		NEED(3);
		uid_t u = (uid_t)probe_parse_num(a[1]);
		gid_t g = (gid_t)probe_parse_num(a[2]);

		return probe_result(op[0] == 'c' ? chown(a[0], u, g) :
					lchown(a[0], u, g));
	}
	if (strcmp(op, "utimens") == 0) {
		NEED(4);
		return probe_utimens(a[0], a[1], a[2], a[3]);
	}
	if (strcmp(op, "futimens") == 0) {
		NEED(4);
		return probe_futimens(a[0], a[1], a[2], a[3]);
	}
	if (strcmp(op, "times") == 0) {
		if (n == 2 && strcmp(a[1], "atime") == 0)
			return probe_times(a[0], 1);
		NEED(1);
		return probe_times(a[0], 0);
	}
	if (strcmp(op, "linkat") == 0) {
		NEED(3);
		return probe_result(linkat(AT_FDCWD, a[0], AT_FDCWD, a[1],
					   (int)PARSE(a[2], probe_atflags)));
	}
	if (strcmp(op, "link-fd") == 0) {
		int fd;

		NEED(3);
		fd = probe_open_or_print(a[0], a[1]);
		if (fd < 0)
			return 0;
		return probe_result(linkat(fd, "", AT_FDCWD, a[2],
					   AT_EMPTY_PATH));
	}
	if (strcmp(op, "mknod") == 0) {
		if (n != 3 && n != 5)
			probe_usage();
		return probe_mknod(a[0], a[1], a[2], n == 5 ? a[3] : NULL,
				   n == 5 ? a[4] : NULL);
	}
	if (strcmp(op, "symlinkat") == 0) {
		int dfd;

		NEED(3);
		dfd = open(a[1], O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return probe_result(-1);
		return probe_result(symlinkat(a[0], dfd, a[2]));
	}
	if (strcmp(op, "statfs") == 0) {
		struct statfs sfs;

		NEED(1);
		return probe_result(statfs(a[0], &sfs));
	}
	if (strcmp(op, "fstatat-empty") == 0) {
		NEED(2);
		return probe_fstatat_empty(a[0], a[1]);
	}
	if (strcmp(op, "tmpfile") == 0) {
		NEED(2);
		return probe_tmpfile(a[0], a[1]);
	}
	if (strcmp(op, "rmdir-getcwd") == 0) {
		NEED(1);
		return probe_rmdir_getcwd(a[0]);
	}
	if (strcmp(op, "inotify") == 0) {
		if (n != 1 && n != 2)
			probe_usage();
		return probe_inotify(a[0], n == 2 ? a[1] : "0");
	}
	if (strcmp(op, "fanotify") == 0) {
		NEED(1);
		return probe_fanotify(a[0]);
	}
	if (strcmp(op, "openat2") == 0) {
		NEED(4);
		return probe_openat2(a[0], a[1], a[2], a[3]);
	}
	if (strcmp(op, "fchmod") == 0 || strcmp(op, "fchown") == 0 ||
	    strcmp(op, "ftruncate") == 0 || strcmp(op, "fsetxattr") == 0 ||
	    strcmp(op, "fremovexattr") == 0) {
		int fd;

		NEED(strcmp(op, "fchown") == 0 ||
		     strcmp(op, "fsetxattr") == 0 ? 4 : 3);
		fd = probe_open_or_print(a[0], a[1]);
		if (fd < 0)
			return 0;
		if (strcmp(op, "fchmod") == 0)
			probe_result(fchmod(fd, probe_parse_mode(a[2])));
		else if (strcmp(op, "fchown") == 0)
			probe_result(fchown(fd, (uid_t)probe_parse_num(a[2]),
					    (gid_t)probe_parse_num(a[3])));
		else if (strcmp(op, "ftruncate") == 0)
			probe_result(ftruncate(fd,
					       (off_t)probe_parse_num(a[2])));
		else if (strcmp(op, "fsetxattr") == 0)
			probe_result(fsetxattr(fd, a[2], a[3], strlen(a[3]),
					       0));
		else
			probe_result(fremovexattr(fd, a[2]));
		return probe_fd_after(fd, 0);
	}
	if (strcmp(op, "fgetxattr") == 0) {
		NEED(2);
		return probe_fgetxattr(a[0], a[1]);
	}
	if (strcmp(op, "execve") == 0) {
		NEED(1);
		return probe_execve(a[0]);
	}
	if (strcmp(op, "bind") == 0 || strcmp(op, "connect") == 0) {
		NEED(1);
		return probe_unix(a[0], op[0] == 'b');
	}
#undef NEED
	fprintf(stderr, "probe: unknown op '%s'\n", op);
	probe_usage();
	return 2;
}
