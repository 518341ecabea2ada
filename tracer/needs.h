/* Explaining a refused ptrace or seccomp (exit status 3). */
#ifndef FUSS_NEEDS_H
#define FUSS_NEEDS_H

#include <stdbool.h>
#include <stddef.h>

/* What decides whether ptrace is allowed here. */
struct tr_host {
	int yama_scope;       /* kernel.yama.ptrace_scope, -1 without Yama */
	bool filtered;        /* this process runs under a seccomp filter */
	bool cap_sys_ptrace;  /* in the effective set */
};

void tr_host_probe(struct tr_host *h);

/* One line, without "fuss: " and newline: ptrace failed with err (a
 * positive errno), why and what to change. snprintf's return. */
int tr_needs_ptrace_msg(char *buf, size_t len, int err, const struct tr_host *h);

/* The same for installing the seccomp filter. Any context after fork. */
int tr_needs_seccomp_msg(char *buf, size_t len, int err);

#endif
