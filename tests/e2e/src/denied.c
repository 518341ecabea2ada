/*
 * denied: the calls fuss refuses so that nothing reaches a layer behind its
 * back. Each line: "<call> OK" or "<call> ERR <errno>".
 *   denied PATH [handle]
 * "handle": name_to_handle_at of PATH, then open_by_handle_at of the handle
 * it gave (a handle of a layer file taken outside the overlay).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *call, long r)
{
	if (r >= 0)
		printf("%s OK\n", call);
	else
		printf("%s ERR %s\n", call,
		       errno == ENOSYS ? "ENOSYS" : errno == EOPNOTSUPP ? "EOPNOTSUPP" :
		       errno == EPERM ? "EPERM" : errno == ENOENT ? "ENOENT" :
		       errno == EINVAL ? "EINVAL" : "other");
}

/* open(2) through the 32-bit entry point: i386 number 5. */
static long open_int80(const char *path)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(5L), "b"(path), "c"((long)O_RDONLY), "d"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* The x32 ABI: the native syscall instruction with bit 30 set in the
 * number; pointers are 32-bit, so PATH must lie below 4 GiB. */
#define X32_BIT 0x40000000L

static long x32_call(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr | X32_BIT), "D"(a), "S"(b), "d"(c)
			 : "memory", "rcx", "r11");
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static void x32_calls(const char *low)
{
	static char dir[4200];

	snprintf(dir, sizeof(dir), "%s.x32", low);
	show("x32-openat", x32_call(SYS_openat, AT_FDCWD, (long)low, O_RDONLY));
	show("x32-mkdirat", x32_call(SYS_mkdirat, AT_FDCWD, (long)dir, 0755));
	show("x32-unlink", x32_call(SYS_unlink, (long)low, 0, 0));
}

int main(int argc, char **argv)
{
	static char low[4096]; /* in .bss: below 4 GiB in a -no-pie build */
	struct io_uring_params p;
	struct {
		struct file_handle fh;
		unsigned char data[128];
	} h;
	int mnt;

	if (argc != 2 && argc != 3)
		return 2;
	if (argc == 3) {
		h.fh.handle_bytes = sizeof(h.data);
		show("name_to_handle_at",
		     syscall(SYS_name_to_handle_at, AT_FDCWD, argv[1], &h.fh, &mnt, 0));
		show("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, &h.fh, O_RDONLY));
		return 0;
	}
	/* int 0x80 reads the path from the low 4 GiB: copy it there. */
	snprintf(low, sizeof(low), "%s", argv[1]);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("int80-open", open_int80(low));
		fflush(stdout);
		_exit(0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf("int80-open signal %d\n", WTERMSIG(st));
	x32_calls(low);
	memset(&p, 0, sizeof(p));
	show("io_uring_setup", syscall(SYS_io_uring_setup, 4, &p));
	h.fh.handle_bytes = sizeof(h.data);
	show("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, argv[1], &h.fh, &mnt, 0));
	h.fh.handle_bytes = 8;
	h.fh.handle_type = 1;
	memset(h.data, 0, 8);
	show("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, &h.fh, O_RDONLY));
	show("mount", mount("none", argv[1], "tmpfs", 0, NULL));
	show("umount2", umount2(argv[1], MNT_DETACH));
	show("chroot", chroot(argv[1])); /* last: it may succeed outside */
	return 0;
}
