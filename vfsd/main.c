/*
 * vfsd's process: opens the layer roots, publishes the root entry, then
 * serves the tracer's requests one at a time until SIGTERM.
 *
 * A request is copied out of the shared slot before anything reads it, and
 * the copy is validated field by field (op, lengths, NUL termination, path
 * shape, group count) the way a privileged helper treats input from a less
 * trusted side: the worker could be rewriting the slot meanwhile, and a
 * malformed path must never reach an *at call. vfsd is single-threaded, so
 * operations never overlap and the dcache has one writer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "do.h"
#include "layer.h"
#include "ops.h"
#include "vfsd.h"

static volatile sig_atomic_t vfsd_stop, vfsd_orphan;
static pid_t vfsd_parent;
static struct shm_hdr *vfsd_hdr;

/* The threads fuss was handing over between two workers: traced by nobody,
 * so fuss's death did not kill them. */
static void vfsd_kill_parked(void)
{
	for (int i = 0; i < SHM_MAX_PARKED; i++) {
		pid_t tid = __atomic_load_n(&vfsd_hdr->parked[i], __ATOMIC_ACQUIRE);

		if (tid > 0)
			kill(tid, SIGKILL);
	}
}

/* SIGTERM: the end of a run. SIGUSR1: fuss is dying (PR_SET_PDEATHSIG,
 * sent again each time the kernel gives vfsd another parent as fuss's
 * threads exit). Either way the operation under way is finished first, so
 * it leaves no temp entry. */
static void vfsd_on_signal(int sig)
{
	if (sig == SIGUSR1 && vfsd_hdr) {
		vfsd_orphan = 1;
		vfsd_kill_parked();
	}
	vfsd_stop = 1;
}

/* A worker that was still running when the first signal came may have
 * parked a thread since: once fuss's last thread is gone (vfsd's parent is
 * no longer fuss), look again. */
static void vfsd_orphan_end(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 100 && getppid() == vfsd_parent; i++)
		nanosleep(&ts, NULL);
	vfsd_kill_parked();
}

/*
 * Leftovers of an interrupted run. A temp name (VFSD_TMP_PREFIX) lives in
 * the directory of its target, so it can be anywhere in the upper tree. A
 * run marks the upper dir in use (VFSD_INUSE_NAME) and removes the mark
 * when vfsd ends (also when fuss died: vfsd finishes its operation first)
 * unless a temp entry could not be removed (vfsd_tmp_left); while the mark
 * is there, the whole upper tree is swept, otherwise only its root. A temp dir holds vfsd's own objects only
 * (markers, a copy-up's metadata), so it goes with everything in it.
 */
#define VFSD_SWEEP_DEPTH 256

static bool vfsd_sweep_is_dir(int fd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Sweeps the dir open at fd (and closes it), `level` deep in the layer:
 * temp entries go, with `purge` every entry does. Ordinary dirs are
 * entered down to `max` levels; mount points inside the layer never. */
static void vfsd_sweep_dir(int fd, dev_t dev, int level, int max, bool purge)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;

	if (fstat(fd, &st) < 0 || st.st_dev != dev || !(dir = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		bool tmp = purge || !strncmp(de->d_name, VFSD_TMP_PREFIX, VFSD_TMP_PREFIX_LEN);
		int sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (tmp && vfsd_do_unlinkat(fd, de->d_name, 0) != -EISDIR)
			continue;
		if (level >= (tmp ? VFSD_SWEEP_DEPTH : max) || !vfsd_sweep_is_dir(fd, de))
			continue;
		sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		vfsd_sweep_dir(sub, dev, level + 1, max, tmp);
		if (tmp)
			vfsd_do_unlinkat(fd, de->d_name, AT_REMOVEDIR);
	}
	closedir(dir);
}

static void vfsd_sweep_tmp(struct vfsd *v)
{
	struct stat st;
	bool killed;
	int fd;

	if (v->root[0] < 0)
		return;
	killed = fstatat(v->root[0], VFSD_INUSE_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0;
	fd = openat(v->root[0], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	vfsd_sweep_dir(fd, st.st_dev, 0, killed ? VFSD_SWEEP_DEPTH : 0, false);
}

/* The in-use mark of the upper dir (see vfsd_sweep_tmp). Without it a
 * killed run's temps below the root would stay, so say so. */
static void vfsd_mark_in_use(struct vfsd *v, bool on)
{
	int fd;

	if (v->root[0] < 0)
		return;
	if (!on) {
		vfsd_do_unlinkat(v->root[0], VFSD_INUSE_NAME, 0);
		return;
	}
	fd = vfsd_do_create(v->root[0], VFSD_INUSE_NAME,
			    O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		fuss_warn("cannot mark the upper dir in use: %s; if this run is killed, "
			  "the next one may not find its temp files", strerror(-fd));
	else
		close(fd);
}

int vfsd_init(struct vfsd *v, const struct fuss_config *cfg, struct shm_region *r)
{
	memset(v, 0, sizeof(*v));
	v->cfg = cfg;
	v->r = r;
	v->is_root = geteuid() == 0;
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		v->root[i] = -1;
	/* A VFS without layers (--vfs=passthrough): vfsd only keeps watch,
	 * for the threads in a hand-over and the alias dir when fuss dies. */
	if (cfg->nlayers == 1 && !cfg->layer[0])
		return 0;
	if (cfg->nlayers < 2 || cfg->nlayers > SHM_MAX_LAYERS)
		return -EINVAL;
	/* Modes are given exactly: the tracee's umask is applied per request. */
	umask(0);
	for (int i = 0; i < cfg->nlayers; i++) {
		if (!cfg->layer[i]) {
			if (i > 0)
				goto out_inval;
			continue;
		}
		v->root[i] = open(cfg->layer[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (v->root[i] < 0) {
			int err = -errno;

			fuss_err("layer %s: %s", cfg->layer[i], strerror(-err));
			vfsd_fini(v);
			return err;
		}
		v->present |= 1ull << i;
	}
	vfsd_sweep_tmp(v);
	return 0;

out_inval:
	vfsd_fini(v);
	return -EINVAL;
}

void vfsd_fini(struct vfsd *v)
{
	vfsd_fini_walk(v);
	vfsd_pool_drain(v);
	for (int i = 0; i < SHM_MAX_LAYERS; i++) {
		if (v->root[i] >= 0)
			close(v->root[i]);
		v->root[i] = -1;
	}
}

/* Overlay-relative: no leading '/', no empty, "." or ".." component. */
static int vfsd_path_check(const char *p, uint32_t len)
{
	if (len >= SHM_PATH_MAX || p[len] || strlen(p) != len)
		return -EINVAL;
	if (len == 0)
		return 0;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (p[0] == '.' && (n == 1 || (n == 2 && p[1] == '.'))))
			return -EINVAL;
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int vfsd_req_check(const struct shm_req *q)
{
	int err;

	if (q->op <= SHM_OP_NONE || q->op >= SHM_OP_MAX || q->creds.ngroups > 32)
		return -EINVAL;
	err = vfsd_path_check(q->path, q->path_len);
	if (err)
		return err;
	switch (q->op) {
	case SHM_OP_SYMLINK:
		if (q->path2_len >= SHM_PATH_MAX || q->path2[q->path2_len] ||
		    strlen(q->path2) != q->path2_len)
			return -EINVAL;
		return 0;
	case SHM_OP_LINK:
	case SHM_OP_RENAME:
		return vfsd_path_check(q->path2, q->path2_len);
	default:
		return 0;
	}
}

static int vfsd_serve(struct vfsd *v, struct shm_req *local, const struct shm_req *shared)
{
	int res;

	memcpy(local, shared, sizeof(*local));
	res = v->present ? vfsd_req_check(local) : -EROFS;
	if (!res)
		res = vfsd_dispatch(v, local);
	fuss_debug("req pid %u op %u \"%.*s\" -> %d", local->pid, local->op,
		   (int)strnlen(local->path, SHM_PATH_MAX - 1), local->path, res);
	return res;
}

static void vfsd_loop(struct vfsd *v, struct shm_req *local)
{
	while (!vfsd_stop && !shm_vfsd_stopping(v->r)) {
		int w = shm_req_next(v->r, false, &vfsd_stop);
		struct shm_req *q;

		/* Nothing asked: get a spare file ready, then look again. */
		if (w < 0 && vfsd_pool_fill(v))
			continue;
		if (w < 0)
			w = shm_req_next(v->r, true, &vfsd_stop);

		if (w < 0)
			continue;
		q = shm_worker_req(v->r, (uint32_t)w);
		if (q)
			shm_req_done(v->r, (uint32_t)w, vfsd_serve(v, local, q));
	}
}

int vfsd_main(const struct fuss_config *cfg, struct shm_region *r)
{
	struct sigaction sa = { .sa_handler = vfsd_on_signal };
	struct shm_req *local;
	struct vfsd v;
	int err;

	fuss_log_set_role("vfsd");
	vfsd_parent = getppid();
	vfsd_hdr = r->hdr;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	local = malloc(sizeof(*local));
	if (!local)
		return 1;
	err = vfsd_init(&v, cfg, r);
	if (!err && v.present)
		err = vfsd_root_fill(&v);
	if (err) {
		fuss_err("cannot start: %s", strerror(-err));
		free(local);
		vfsd_fini(&v);
		return 1;
	}
	vfsd_mark_in_use(&v, true);
	__atomic_store_n(&r->hdr->vfsd_state, SHM_VFSD_READY, __ATOMIC_RELEASE);
	vfsd_loop(&v, local);
	if (vfsd_orphan)
		vfsd_orphan_end();
	/* Every tracee is gone (or being killed): no call uses an alias. */
	shm_alias_dir_remove(r);
	if (!vfsd_tmp_left)
		vfsd_mark_in_use(&v, false);
	free(local);
	vfsd_fini(&v);
	return 0;
}
