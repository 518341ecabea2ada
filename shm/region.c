/*
 * The shared segment: created once by the CLI before it forks vfsd and the
 * tracer, then attached by each of them. The segment is a memfd sized once
 * and sealed against growing or shrinking, so a size checked at attach stays
 * true and no process can take the mapping away from the others (SIGBUS).
 *
 * Every pointer into the segment goes through shm_ptr(), which checks the
 * range against the size this process mapped; the header's offsets are
 * validated at attach so later accesses only need that check.
 *
 * The CLI initialises the root entry (slot 0) with layer = SHM_LAYER_NONE;
 * vfsd fills in the real root with shm_dcache_update() once it has looked at
 * the layers, and shm_dcache_root() answers -EAGAIN until then.
 *
 * The memfd is not close-on-exec, so vfsd may be started from the CLI by
 * fork or exec alike; the tracer must not let it reach a tracee.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shm.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint32_t pow2_up(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void shm_root_init(struct shm_dent *root)
{
	root->state = SHM_DENT_USED;
	root->gen = 1;
	root->parent = SHM_DCACHE_ROOT;
	root->parent_gen = 0;
	root->mode = S_IFDIR;
	root->layer = SHM_LAYER_NONE;
}

/* CLI only: the table a budget of `bytes` buys, in whole power-of-two
 * tables (a probe wraps with a mask). */
uint32_t shm_dcache_slots_for(uint64_t bytes)
{
	uint32_t n = SHM_DCACHE_MIN_SLOTS;

	while (n < SHM_DCACHE_MAX_SLOTS && (uint64_t)n * 2 * sizeof(struct shm_dent) <= bytes)
		n *= 2;
	return n;
}

/* CLI only, before forking. */
int shm_region_create(struct shm_region *r, const struct shm_params *p)
{
	uint32_t nslots = p->dcache_nslots ? p->dcache_nslots : SHM_DCACHE_DEFAULT_SLOTS;
	uint64_t dcache_off, workers_off, size;
	struct shm_hdr *hdr;
	void *base;
	int fd, err;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (p->nworkers < 1 || p->nworkers > SHM_MAX_WORKERS || nslots > SHM_DCACHE_MAX_SLOTS)
		return -EINVAL;
	nslots = pow2_up(nslots < SHM_DCACHE_MIN_SLOTS ? SHM_DCACHE_MIN_SLOTS : nslots);

	dcache_off = align_up(sizeof(struct shm_hdr), SHM_CACHELINE);
	workers_off = align_up(dcache_off + (uint64_t)nslots * sizeof(struct shm_dent),
			       SHM_CACHELINE);
	size = align_up(workers_off + (uint64_t)p->nworkers * sizeof(struct shm_worker),
			(uint64_t)sysconf(_SC_PAGESIZE));

	fd = memfd_create("fuss-shm", MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		err = -errno;
		goto close_fd;
	}
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		err = -errno;
		goto close_fd;
	}

	/* A fresh memfd reads as zeroes: every field not set here starts at 0,
	 * which is EMPTY for slots, IDLE for requests, "starting" for vfsd. */
	hdr = base;
	hdr->magic = SHM_MAGIC;
	hdr->version = SHM_VERSION;
	hdr->hdr_size = sizeof(struct shm_hdr);
	hdr->region_size = size;
	hdr->dcache_off = dcache_off;
	hdr->dcache_nslots = nslots;
	hdr->nworkers = p->nworkers;
	hdr->workers_off = workers_off;
	hdr->worker_size = sizeof(struct shm_worker);
	hdr->dcache_used = 1;

	shm_root_init((struct shm_dent *)((char *)base + dcache_off));
	for (uint32_t i = 0; i < p->nworkers; i++) {
		struct shm_worker *w = (struct shm_worker *)((char *)base + workers_off) + i;

		ck_ring_init(&w->ring, SHM_RING_SIZE);
	}

	r->fd = fd;
	r->base = base;
	r->size = size;
	r->hdr = hdr;
	return 0;

close_fd:
	close(fd);
	return err;
}

/* [off, off + n * each) lies in [lo, size), without overflowing. */
static bool range_ok(uint64_t off, uint64_t n, uint64_t each, uint64_t lo, uint64_t size)
{
	if (off < lo || off > size || n > (size - off) / each)
		return false;
	return true;
}

/* 0 or -EPROTO: the header describes a layout this build can use. `h` is
 * a private copy, so nothing changes between the checks and their use. */
static int shm_hdr_check(const struct shm_hdr *h, uint64_t file_size)
{
	uint64_t dcache_end;

	if (h->magic != SHM_MAGIC || h->version != SHM_VERSION ||
	    h->hdr_size != sizeof(struct shm_hdr) || h->features != 0 ||
	    h->worker_size != sizeof(struct shm_worker))
		return -EPROTO;
	if (h->region_size > file_size)
		return -EINVAL;
	if (!is_pow2(h->dcache_nslots) || h->dcache_nslots < SHM_DCACHE_MIN_SLOTS ||
	    h->dcache_nslots > SHM_DCACHE_MAX_SLOTS ||
	    h->nworkers < 1 || h->nworkers > SHM_MAX_WORKERS)
		return -EPROTO;
	/* Regions in layout order, each aligned for its widest field. */
	if (h->dcache_off % _Alignof(struct shm_dent) ||
	    h->workers_off % _Alignof(struct shm_worker) ||
	    !range_ok(h->dcache_off, h->dcache_nslots, sizeof(struct shm_dent),
		      h->hdr_size, h->region_size))
		return -EPROTO;
	dcache_end = h->dcache_off + (uint64_t)h->dcache_nslots * sizeof(struct shm_dent);
	if (!range_ok(h->workers_off, h->nworkers, sizeof(struct shm_worker),
		      dcache_end, h->region_size))
		return -EPROTO;
	return 0;
}

/* Any process. The region gets its own descriptor (a close-on-exec dup of
 * `fd`), which shm_region_detach() closes; the caller keeps `fd`. */
int shm_region_attach(struct shm_region *r, int fd)
{
	struct shm_hdr h;
	struct stat st;
	void *base;
	int err, myfd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (fstat(fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size < sizeof(h))
		return -EINVAL;
	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -EIO;
	err = shm_hdr_check(&h, (uint64_t)st.st_size);
	if (err)
		return err;

	myfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (myfd < 0)
		return -errno;
	base = mmap(NULL, h.region_size, PROT_READ | PROT_WRITE, MAP_SHARED, myfd, 0);
	if (base == MAP_FAILED) {
		err = -errno;
		goto close_fd;
	}
	/* The rings' geometry is read by the consumer on every dequeue, so a
	 * bad one must not get that far. */
	for (uint32_t i = 0; i < h.nworkers; i++) {
		const struct shm_worker *w =
			(const struct shm_worker *)((char *)base + h.workers_off) + i;

		if (w->ring.size != SHM_RING_SIZE || w->ring.mask != SHM_RING_SIZE - 1) {
			err = -EPROTO;
			goto unmap;
		}
	}

	r->fd = myfd;
	r->base = base;
	r->size = h.region_size;
	r->hdr = base;
	return 0;

unmap:
	munmap(base, h.region_size);
close_fd:
	close(myfd);
	return err;
}

/* Any process: unmap and close this process's view; idempotent. */
void shm_region_detach(struct shm_region *r)
{
	if (r->base)
		munmap(r->base, r->size);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

void shm_alias_dir_remove(struct shm_region *r)
{
	char dir[SHM_ALIAS_DIR_MAX];
	struct dirent *de;
	DIR *d;
	int fd;

	if (!r->hdr || !__atomic_load_n(&r->hdr->alias_set, __ATOMIC_ACQUIRE))
		return;
	memcpy(dir, r->hdr->alias_dir, sizeof(dir));
	dir[sizeof(dir) - 1] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	/* Only the tracer's symlinks live there. */
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			unlinkat(fd, de->d_name, 0);
	closedir(d);
	rmdir(dir);
}

/* Any process. The pointer itself must be inside the mapping, so an empty
 * range at the very end is refused too. */
void *shm_ptr(const struct shm_region *r, uint64_t off, size_t len)
{
	if (!r->base || off >= r->size || len > r->size - off)
		return NULL;
	return (char *)r->base + off;
}
