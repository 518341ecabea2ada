/*
 * Fuzz target: path resolution in the virtual namespace (tracer/resolve.c)
 * through the shared dentry cache and a real vfsd process.
 *
 * A fixed tree is built once: three layers (whiteouts, an opaque dir, a 0:0
 * device, symlinks relative, absolute, chained, looping, leaving the
 * overlay) and, as the mountpoint itself, a plain directory holding the
 * merged view those layers must show. The kernel walking that plain copy
 * is the reference. Each input is a path (the mountpoint, its parent or "/"
 * followed by names from the tree, "..", ".", empty components; or such
 * names relative to the cwd, a layer's copy of a merged dir) and a follow
 * flag. Checks, beyond "no crash":
 *   - a name fuss finds inside the overlay exists in the reference with the
 *     same type and the same canonical path; its real path lies in a layer
 *     and has that type too;
 *   - a name fuss finds absent is absent in the reference;
 *   - an error is the reference's error;
 *   - a result outside the overlay is outside the mountpoint in the
 *     reference too, and its host path never names the mountpoint.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "fuzz.h"
#include "../tracer/log.h"
#include "../tracer/path.h"
#include "../tracer/resolve.h"
#include "../tracer/worker.h"
#include "../vfsd/vfsd.h"

static char base[] = "/tmp/fuss-fuzz-resolve.XXXXXX";
static char mnt[128];
static char *layer[3];
static struct fuss_config cfg;
static struct shm_region shm;
static pid_t vfsd;
static struct tr_worker worker;
static struct tr_thread thread;
static struct tr_call call;

static const struct fz_node tree[] = {
	{ 'd', "up", NULL }, { 'd', "l1", NULL }, { 'd', "l2", NULL }, { 'd', "m", NULL },
	/* l2, the bottom */
	{ 'd', "l2/d", NULL }, { 'f', "l2/d/low", "low" }, { 'f', "l2/d/gone", "g" },
	{ 'd', "l2/opq", NULL }, { 'f', "l2/opq/hidden", "h" }, { 'f', "l2/f", "bottom" },
	{ 'd', "l2/sub", NULL }, { 'd', "l2/sub/deep", NULL }, { 'f', "l2/sub/deep/x", "x" },
	{ 'd', "l2/e", NULL }, { 'f', "l2/e/in", "" }, { 'd', "l2/fd", NULL },
	/* l1 */
	{ 'd', "l1/d", NULL }, { 'f', "l1/d/top", "top" }, { 'f', "l1/d/.wh.gone", "" },
	{ 'd', "l1/opq", NULL }, { 'f', "l1/opq/.wh..wh..opq", "" }, { 'f', "l1/f", "top" },
	{ 'l', "l1/rel", "f" }, { 'l', "l1/abs", "@/m/d" }, { 'l', "l1/chain", "rel" },
	{ 'l', "l1/loop1", "loop2" }, { 'l', "l1/loop2", "loop1" }, { 'l', "l1/d/up", "../f" },
	{ 'l', "l1/dangling", "missing" }, { 'l', "l1/dotdot", ".." },
	{ 'd', "l1/sub", NULL }, { 'l', "l1/sub/link2", "deep/x" },
	{ 'l', "l1/sub/esc", "../../.." }, { 'c', "l1/e", NULL }, { 'f', "l1/fd", "file over dir" },
	/* upper */
	{ 'd', "up/d", NULL }, { 'f', "up/d/new", "n" }, { 'l', "up/root", "/" },
	{ 'l', "up/sub", "d" },
	/* the merged view, by hand */
	{ 'd', "m/d", NULL }, { 'f', "m/d/low", "low" }, { 'f', "m/d/top", "top" },
	{ 'f', "m/d/new", "n" }, { 'l', "m/d/up", "../f" }, { 'd', "m/opq", NULL },
	{ 'f', "m/f", "top" }, { 'l', "m/rel", "f" }, { 'l', "m/abs", "@/m/d" },
	{ 'l', "m/chain", "rel" }, { 'l', "m/loop1", "loop2" }, { 'l', "m/loop2", "loop1" },
	{ 'l', "m/dangling", "missing" }, { 'l', "m/dotdot", ".." }, { 'l', "m/root", "/" },
	{ 'l', "m/sub", "d" }, { 'f', "m/fd", "file over dir" },
	/* beside the layers: leads into the overlay from outside */
	{ 'l', "into", "m/d" },
};

static const char *const words[] = {
	"d", "low", "top", "gone", "new", "up", "opq", "hidden", "f", "rel", "abs",
	"chain", "loop1", "dangling", "dotdot", "sub", "deep", "x", "link2", "esc",
	"e", "in", "fd", "root", "m", "into", "missing", "..", ".", "", "..",
	".wh.gone", ".wh..wh..opq",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct shm_params p = { .nworkers = 1 };
	char cwd[256];

	(void)argc;
	(void)argv;
	fuss_log_level = -1;
	fz_tree_build(base, tree, sizeof(tree) / sizeof(tree[0]));
	snprintf(mnt, sizeof(mnt), "%s/m", base);
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = { "up", "l1", "l2" };

		layer[i] = malloc(160);
		snprintf(layer[i], 160, "%s/%s", base, names[i]);
		cfg.layer[i] = layer[i];
		cfg.layer_len[i] = strlen(layer[i]);
	}
	cfg.mountpoint = mnt;
	cfg.mountpoint_len = strlen(mnt);
	cfg.nlayers = 3;
	cfg.workers = 1;
	FZ_CHECK(shm_region_create(&shm, &p) == 0);
	vfsd = fork();
	FZ_CHECK(vfsd >= 0);
	if (vfsd == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(vfsd_main(&cfg, &shm));
	}
	for (int i = 0; i < 5000 && __atomic_load_n(&shm.hdr->vfsd_state, __ATOMIC_ACQUIRE) != 1; i++)
		usleep(1000);
	FZ_CHECK(shm.hdr->vfsd_state == 1);
	tr.cfg = &cfg;
	tr.shm = &shm;
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		tr.layer_fd[i] = i < 3 ? open(cfg.layer[i], O_PATH | O_DIRECTORY) : -1;
	snprintf(cwd, sizeof(cwd), "%s/l2/d", base);
	FZ_CHECK(chdir(cwd) == 0);
	thread.tid = getpid();
	thread.slot = -1;
	call.w = &worker;
	call.t = &thread;
	return 0;
}

static bool under_mnt(const char *p)
{
	return tr_path_under(p, mnt, strlen(mnt));
}

/* The reference's canonical name of what the walk ends at, or NULL. */
static const char *ref_canonical(const char *path, bool follow, const struct stat *st)
{
	static char out[PATH_MAX * 2], dir[PATH_MAX], name[PATH_MAX];
	size_t len = strlen(path);

	if (follow || !S_ISLNK(st->st_mode) || path[len - 1] == '/')
		return realpath(path, out);
	memcpy(dir, path, len + 1);
	memcpy(name, path, len + 1);
	if (!realpath(dirname(dir), out))
		return NULL;
	snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
		 strcmp(out, "/") ? "/" : "", basename(name));
	return out;
}

/* `path` as the traced thread names it; `ref` the same name for the
 * kernel's walk of the reference (they differ for relative paths). */
static void check(const char *path, const char *ref, bool follow)
{
	struct tr_res res;
	struct stat st;
	char top[PATH_MAX], want[PATH_MAX * 2];
	int rc = tr_resolve(&call, AT_FDCWD, path, follow ? TR_RES_FOLLOW : 0, &res);
	int kerr = (follow ? stat(ref, &st) : lstat(ref, &st)) < 0 ? errno : 0;
	const char *canon = kerr ? NULL : ref_canonical(ref, follow, &st);

	if (rc < 0) {
		if (-rc != kerr)
			fprintf(stderr, "%s: fuss %d, reference %d\n", path, -rc, kerr);
		FZ_CHECK(-rc == kerr);
		return;
	}
	FZ_CHECK(rc == 0);
	if (!res.in_overlay) {
		FZ_CHECK(!under_mnt(res.host));
		if (canon && under_mnt(canon))
			fprintf(stderr, "%s: fuss outside (%s), reference %s\n", path, res.host, canon);
		FZ_CHECK(!canon || !under_mnt(canon));
		return;
	}
	FZ_CHECK(strstr(res.vrel, "//") == NULL && res.vrel[0] != '/');
	if (!res.exists) {
		if (kerr != ENOENT)
			fprintf(stderr, "%s: fuss absent (%s), reference %d\n", path, res.vrel, kerr);
		FZ_CHECK(kerr == ENOENT);
		return;
	}
	if (kerr || !canon)
		fprintf(stderr, "%s: fuss found %s, reference %d\n", path, res.vrel, kerr);
	FZ_CHECK(kerr == 0 && canon);
	snprintf(want, sizeof(want), "%s%s%s", mnt, res.vrel_len ? "/" : "", res.vrel);
	if (strcmp(want, canon) || (st.st_mode & S_IFMT) != (res.ent.mode & S_IFMT))
		fprintf(stderr, "%s: fuss %s (%o), reference %s (%o)\n", path, want,
			res.ent.mode, canon, st.st_mode);
	FZ_CHECK(strcmp(want, canon) == 0);
	FZ_CHECK((st.st_mode & S_IFMT) == (res.ent.mode & S_IFMT));
	/* The real object: in a layer, of the same type. */
	FZ_CHECK(tr_res_top(&res, top, sizeof(top)) > 0);
	FZ_CHECK(tr_path_layer_of(&cfg, top) >= 0);
	FZ_CHECK(lstat(top, &st) == 0 && (st.st_mode & S_IFMT) == (res.ent.mode & S_IFMT));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	static char path[PATH_MAX], ref[PATH_MAX + 256];
	uint8_t how = fz_u8(&in);
	const char *start = (how & 3) == 0 ? base : (how & 3) == 1 ? "" : mnt;
	int n;

	if ((how & 3) == 3) {
		/* Relative to the cwd, a layer's copy of d: the overlay's d. */
		if (!fz_words_path(&in, words, sizeof(words) / sizeof(words[0]), 12,
				   path, sizeof(path)) || path[0] == '/')
			return 0;
		snprintf(ref, sizeof(ref), "%s/d/%s", mnt, path);
		check(path, ref, how & 4);
		return 0;
	}
	n = snprintf(path, sizeof(path), "%s/", start);
	fz_words_path(&in, words, sizeof(words) / sizeof(words[0]), 12,
		      path + n, sizeof(path) - (size_t)n);
	check(path, path, how & 4);
	return 0;
}
