/*
 * watch: marks PATH with fanotify (FAN_OPEN) or inotify (IN_OPEN), opens
 * OPEN-PATH, and prints whether an event arrived:
 *   watch fanotify|inotify PATH OPEN-PATH
 * Prints "mark ERR <errno>" when the mark fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case ELOOP: return "ELOOP";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	default: return "other";
	}
}

int main(int argc, char **argv)
{
	int nfd, fd;
	bool fan;

	if (argc != 4)
		return 2;
	fan = strcmp(argv[1], "fanotify") == 0;
	if (fan) {
		nfd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
		if (nfd < 0) {
			printf("init ERR %s\n", errname(errno));
			return 0;
		}
		if (fanotify_mark(nfd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, argv[2]) < 0) {
			printf("mark ERR %s\n", errname(errno));
			return 0;
		}
	} else {
		nfd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (nfd < 0 || inotify_add_watch(nfd, argv[2], IN_OPEN) < 0) {
			printf("mark ERR %s\n", errname(errno));
			return 0;
		}
	}
	fd = open(argv[3], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("open ERR %s\n", errname(errno));
		return 0;
	}
	struct pollfd p = { .fd = nfd, .events = POLLIN };
	int n = poll(&p, 1, 2000);
	printf("mark OK, %s\n", n == 1 ? "event" : "no event");
	return 0;
}
