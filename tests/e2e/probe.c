/*
 * probe: run one filesystem syscall and print its outcome, so end-to-end
 * scenarios can compare errno values between fuss and a kernel overlayfs
 * mount. Usage: probe [-C DIR] OP ARGS...
 *
 * Prints "OK", "OK <value>" or "ERR <ERRNONAME>" on stdout and exits 0
 * either way; bad usage exits 2. Errno names come from a fixed table, never
 * from strerror, so the output does not depend on the C library's wording.
 * Stat output leaves out inode, device and times, which legitimately differ
 * between two runs; a directory's size is printed as "-" because it depends
 * on how the directory was created, not on the overlay's rules.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

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

#undef N

static void probe_usage(void)
{
	fputs("usage: probe [-C DIR] OP ARGS...\n"
	      "  open PATH FLAGS [MODE]      openat-dirfd DIR PATH FLAGS [MODE]\n"
	      "  fifo-restart FIFO OTHER\n"
	      "  stat PATH   lstat PATH   statx PATH   access PATH MODE\n"
	      "  mkdir PATH MODE   rmdir PATH   unlink PATH   rename A B\n"
	      "  renameat2 A B FLAGS   link A B   symlink TARGET PATH\n"
	      "  readlink PATH   chmod PATH MODE   truncate PATH LEN   getcwd\n"
	      "  chdir DIR   mknod-fifo PATH MODE   utime PATH SECONDS\n"
	      "  getxattr PATH NAME   setxattr PATH NAME VALUE\n"
	      "  listxattr PATH   removexattr PATH NAME\n"
	      "  listdir PATH   listdir-types PATH   listdir-partial PATH BUFSIZE\n",
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

/*
 * Small-buffer reads across several calls, then lseek(fd, 0, SEEK_SET) and a
 * second full listing; also a rewind in the middle of a listing. Each pass
 * prints its names sorted; call counts are not printed because how many
 * entries fit in one call is the filesystem's choice.
 */
static int probe_listdir_partial(const char *path, const char *size_arg)
{
	struct probe_names names = { 0 };
	long long bufsize = probe_parse_num(size_arg);
	int calls = 0, fd;
	char *buf;

	if (bufsize <= 0 || bufsize > (1 << 20))
		probe_usage();
	buf = malloc((size_t)bufsize);
	if (!buf)
		exit(2);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return probe_result(-1);
	if (probe_getdents_pass(fd, buf, (size_t)bufsize, &names, &calls) < 0)
		goto fail;
	printf("OK\npass1 %zu\n", names.n);
	probe_names_print(&names);

	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (probe_getdents_pass(fd, buf, (size_t)bufsize, &names, &calls) < 0)
		goto fail;
	printf("pass2 %zu\n", names.n);
	probe_names_print(&names);

	/* Rewind after a single partial read, then list everything again. */
	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (syscall(SYS_getdents64, fd, buf, (size_t)bufsize) < 0)
		goto fail;
	if (lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (probe_getdents_pass(fd, buf, (size_t)bufsize, &names, &calls) < 0)
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

/* fifo-restart: open FIFO for reading blocks; a SIGALRM handler installed
 * with SA_RESTART opens OTHER meanwhile; a child opens FIFO for writing
 * later and writes a line. The restarted open must still name FIFO. */
static const char *restart_other;
static int restart_handler_ok;

static void restart_alarm(int sig)
{
	int fd = open(restart_other, O_RDONLY);

	(void)sig;
	if (fd >= 0) {
		restart_handler_ok = 1;
		close(fd);
	}
}

static int probe_fifo_restart(const char *fifo, const char *other)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	char buf[64] = "";
	pid_t pid;
	int fd, st;

	restart_other = other;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restart_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		usleep(400000);
		fd = open(fifo, O_WRONLY);
		if (fd < 0 || write(fd, "through the fifo\n", 17) != 17)
			_exit(1);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	fd = open(fifo, O_RDONLY);
	if (fd < 0) {
		printf("ERR %s\n", probe_errname(errno));
		waitpid(pid, &st, 0);
		return 0;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	waitpid(pid, &st, 0);
	printf("OK handler=%d %s", restart_handler_ok, buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *op;
	char **a;
	int n;

	if (argc >= 3 && strcmp(argv[1], "-C") == 0) {
		if (chdir(argv[2]) < 0) {
			printf("ERR %s\n", probe_errname(errno));
			return 0;
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
		NEED(2);
		return probe_fifo_restart(a[0], a[1]);
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
#undef NEED
	fprintf(stderr, "probe: unknown op '%s'\n", op);
	probe_usage();
	return 2;
}
