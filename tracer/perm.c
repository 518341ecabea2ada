/*
 * Permission checks for what fuss does on the caller's behalf (perm.h).
 * The rules are the kernel's generic ones: owner, group (fsgid or a
 * supplementary group), other; CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
 * CAP_FOWNER and CAP_CHOWN in the effective set bypass them as they do in
 * the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>
#include "perm.h"

int tr_proc_creds(pid_t tid, struct shm_creds *cr, uint64_t *cap)
{
	char path[64], buf[4096];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	memset(cr, 0, sizeof(*cr));
	cr->umask = 022;
	if (cap)
		*cap = 0;
	for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		unsigned a, b, c2, d;
		unsigned long long capv;

		if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &c2, &d) == 4)
			cr->fsuid = d;
		else if (sscanf(line, "Gid: %u %u %u %u", &a, &b, &c2, &d) == 4)
			cr->fsgid = d;
		else if (sscanf(line, "Umask: %o", &a) == 1)
			cr->umask = a;
		else if (cap && sscanf(line, "CapEff: %llx", &capv) == 1)
			*cap = capv;
		else if (strncmp(line, "Groups:", 7) == 0) {
			char *p = line + 7, *end;

			while (cr->ngroups < 32) {
				unsigned long g = strtoul(p, &end, 10);

				if (end == p)
					break;
				cr->groups[cr->ngroups++] = (uint32_t)g;
				p = end;
			}
		}
	}
	return 0;
}

static const struct tr_creds *creds_of(struct tr_call *c)
{
	struct tr_creds *cr = &c->t->creds;

	if (!cr->valid) {
		struct shm_creds s;
		uint64_t cap;

		if (tr_proc_creds(c->t->tid, &s, &cap) < 0)
			return NULL;
		cr->fsuid = s.fsuid;
		cr->fsgid = s.fsgid;
		cr->ngroups = s.ngroups;
		memcpy(cr->groups, s.groups, sizeof(cr->groups));
		cr->cap = cap;
		cr->valid = true;
	}
	return cr;
}

void tr_perm_forget(struct tr_thread *t)
{
	t->creds.valid = false;
}

static bool has_cap(const struct tr_creds *cr, int cap)
{
	return (cr->cap >> cap) & 1;
}

static bool in_group(const struct tr_creds *cr, uint32_t gid)
{
	if (cr->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < cr->ngroups && i < 32; i++)
		if (cr->groups[i] == gid)
			return true;
	return false;
}

/* generic_permission: mask of R_OK/W_OK/X_OK. */
static int may_access(const struct tr_creds *cr, const struct stat *st, int mask)
{
	unsigned bits;

	if (st->st_uid == cr->fsuid)
		bits = (st->st_mode >> 6) & 7;
	else if (in_group(cr, st->st_gid))
		bits = (st->st_mode >> 3) & 7;
	else
		bits = st->st_mode & 7;
	if ((bits & (unsigned)mask) == (unsigned)mask)
		return 0;
	if (has_cap(cr, CAP_DAC_OVERRIDE) &&
	    (!(mask & X_OK) || S_ISDIR(st->st_mode) || (st->st_mode & 0111)))
		return 0;
	if (has_cap(cr, CAP_DAC_READ_SEARCH) &&
	    (mask == R_OK || (S_ISDIR(st->st_mode) && !(mask & W_OK))))
		return 0;
	return -EACCES;
}

static bool owner_or_cap(const struct tr_creds *cr, const struct stat *st)
{
	return st->st_uid == cr->fsuid || has_cap(cr, CAP_FOWNER);
}

int tr_perm_search(struct tr_call *c, const struct tr_res *res, bool whole)
{
	const struct tr_creds *cr;
	struct shm_dval cur, next;
	char prefix[PATH_MAX];
	const char *p = res->vrel, *slash = strrchr(res->vrel, '/');
	size_t upto = whole ? res->vrel_len : slash ? (size_t)(slash - res->vrel) : 0;
	int err;

	if (!res->in_overlay || !res->search_hard)
		return 0;
	if (!(cr = creds_of(c)))
		return 0; /* the thread is gone: nothing to protect */
	if (has_cap(cr, CAP_DAC_OVERRIDE) || has_cap(cr, CAP_DAC_READ_SEARCH))
		return 0;
	/* Directories searched: the root, then each one in vrel down to the
	 * final name's parent (or every one when a name midway is absent). */
	if (shm_dcache_root(tr.shm, &cur) < 0)
		return -EIO;
	prefix[0] = '\0';
	for (;;) {
		struct stat st;

		if (fstatat(tr.layer_fd[cur.layer], *prefix ? prefix : ".", &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
		    may_access(cr, &st, X_OK) < 0)
			return -EACCES;
		if ((size_t)(p - res->vrel) >= upto || !*p)
			return 0;
		const char *end = strchrnul(p, '/');

		err = tr_lookup(c, &cur, prefix, p, (size_t)(end - p), &next);
		if (err < 0 || (next.flags & SHM_DF_NEG) || !S_ISDIR(next.mode))
			return 0;
		memcpy(prefix, res->vrel, (size_t)(end - res->vrel));
		prefix[end - res->vrel] = '\0';
		cur = next;
		p = *end ? end + 1 : end;
	}
}

static int top_stat(const struct tr_res *res, struct stat *st)
{
	char real[PATH_MAX];
	int err = tr_res_top(res, real, sizeof(real));

	if (err < 0)
		return err;
	return lstat(real, st) < 0 ? -errno : 0;
}

int tr_perm_may(struct tr_call *c, const struct tr_res *res, enum tr_intent intent)
{
	const struct tr_creds *cr = creds_of(c);
	struct stat st;

	if (!cr || !res->in_overlay || !res->exists)
		return 0;
	if (top_stat(res, &st) < 0)
		return 0; /* the kernel answers on the real path */
	switch (intent) {
	case TR_MAY_WRITE:
		return may_access(cr, &st, W_OK);
	case TR_MAY_EXEC:
		return may_access(cr, &st, X_OK);
	case TR_MAY_OWNER:
		return owner_or_cap(cr, &st) ? 0 : -EPERM;
	case TR_MAY_TIMES_NOW:
		if (owner_or_cap(cr, &st))
			return 0;
		return may_access(cr, &st, W_OK);
	}
	return 0;
}

int tr_perm_delete_mountpoint(struct tr_call *c)
{
	const struct tr_creds *cr = creds_of(c);
	char parent[PATH_MAX];
	struct stat dir, victim;
	const char *mp = tr.cfg->mountpoint;
	const char *slash = strrchr(mp, '/');
	size_t len = slash && slash != mp ? (size_t)(slash - mp) : 1;
	int err;

	if (!cr || len >= sizeof(parent))
		return 0;
	memcpy(parent, mp, len);
	parent[len] = '\0';
	if (lstat(parent, &dir) < 0 || lstat(mp, &victim) < 0)
		return 0; /* no host entry to delete: only the mount says no */
	if ((err = may_access(cr, &dir, W_OK | X_OK)) < 0)
		return err;
	if ((dir.st_mode & S_ISVTX) && dir.st_uid != cr->fsuid && !owner_or_cap(cr, &victim))
		return -EPERM;
	return 0;
}

int tr_perm_chown(struct tr_call *c, const struct tr_res *res, uint32_t uid, uint32_t gid)
{
	const struct tr_creds *cr = creds_of(c);
	struct stat st;

	if (!cr || !res->in_overlay || !res->exists || has_cap(cr, CAP_CHOWN))
		return 0;
	if (top_stat(res, &st) < 0)
		return 0;
	if (uid != (uint32_t)-1 && uid != st.st_uid)
		return -EPERM;
	if (gid != (uint32_t)-1 && gid != st.st_gid &&
	    (cr->fsuid != st.st_uid || !in_group(cr, gid)))
		return -EPERM;
	return 0;
}

int tr_perm_xattr(struct tr_call *c, const struct tr_res *res, const char *name)
{
	const struct tr_creds *cr = creds_of(c);
	struct stat st;

	if (!cr || !res->in_overlay || !res->exists)
		return 0;
	if (strncmp(name, "trusted.", 8) == 0)
		return has_cap(cr, CAP_SYS_ADMIN) ? 0 : -EPERM;
	if (strncmp(name, "user.", 5) != 0)
		return 0; /* security.*, system.*: the kernel's rules after copy-up */
	if (top_stat(res, &st) < 0)
		return 0;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return -EPERM;
	if (S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) && !owner_or_cap(cr, &st))
		return -EPERM;
	return may_access(cr, &st, W_OK);
}
