/*
 * What fuss needs from the host, ptrace and seccomp filters, and the one
 * line it prints when either is refused: what is missing and what to
 * change. The facts come from the host (Yama's sysctl, this process's
 * seccomp state, its capabilities) so the line names the likely cause
 * rather than every possible one. Formatting only uses snprintf, so the
 * seccomp line can be built in the forked child that hit the error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include "needs.h"

static const char *err_name(int err, char *buf, size_t len)
{
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, len, "errno %d", err);
	return buf;
}

static int read_int_field(const char *file, const char *key, int *out)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen(file, "re");
	int r = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && sscanf(line + klen, "%d", out) == 1) {
			r = 0;
			break;
		}
	}
	fclose(f);
	return r;
}

void tr_host_probe(struct tr_host *h)
{
	int seccomp = 0;
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	h->yama_scope = -1;
	read_int_field("/proc/sys/kernel/yama/ptrace_scope", "", &h->yama_scope);
	/* "Seccomp: 2" is filter mode: something above fuss filters it. */
	if (read_int_field("/proc/self/status", "Seccomp:", &seccomp) == 0)
		h->filtered = seccomp == 2;
	else
		h->filtered = false;
	if (caps) {
		cap_get_flag(caps, CAP_SYS_PTRACE, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	h->cap_sys_ptrace = v == CAP_SET;
}

int tr_needs_ptrace_msg(char *buf, size_t len, int err, const struct tr_host *h)
{
	char nbuf[24];
	const char *what = err == EPERM || err == EACCES ? "not permitted" : "not available";
	const char *why;

	/* Yama first: it applies whatever else is in the way, and 3 cannot
	 * be lowered without a reboot. Scope 1 lets a process trace its own
	 * children, which is all fuss does. */
	if (h->yama_scope >= 3)
		why = "kernel.yama.ptrace_scope is 3, which forbids ptrace until the "
		      "next reboot";
	else if (h->yama_scope == 2 && !h->cap_sys_ptrace)
		why = "kernel.yama.ptrace_scope is 2, which allows ptrace only with "
		      "CAP_SYS_PTRACE: run fuss with that capability, or set the sysctl "
		      "to 1 or 0";
	else if (h->filtered)
		why = "a seccomp filter on fuss refuses it: inside a container, use a "
		      "seccomp profile that allows ptrace (Docker's default profile "
		      "does on Linux 4.8 and later)";
	else
		why = "a security module (AppArmor, SELinux) or the container runtime "
		      "refuses it: allow fuss to trace its own child processes";
	return snprintf(buf, len, "ptrace is %s here (%s): %s", what,
			err_name(err, nbuf, sizeof(nbuf)), why);
}

int tr_needs_seccomp_msg(char *buf, size_t len, int err)
{
	char nbuf[24];

	return snprintf(buf, len,
			"seccomp filters are not available here (%s): fuss needs a kernel "
			"built with CONFIG_SECCOMP_FILTER and, inside a container, a seccomp "
			"profile that allows the seccomp() call",
			err_name(err, nbuf, sizeof(nbuf)));
}
