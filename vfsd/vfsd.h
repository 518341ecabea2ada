/*
 * vfsd: the only process that changes the layers' namespace (copy-up,
 * whiteouts, opaque dirs, mkdir/rmdir/unlink/rename/link/symlink/mknod) and
 * the only writer of the shared dentry cache.
 */
#ifndef FUSS_VFSD_H
#define FUSS_VFSD_H

#include "../shm/shm.h"
#include "../tracer/config.h"

/* Entry point of the vfsd process (forked by the CLI after the segment was
 * created). Fills the root entry, sets hdr->vfsd_state = 1, serves requests
 * until SIGTERM. Returns the process exit status. */
int vfsd_main(const struct fuss_config *cfg, struct shm_region *r);

#endif
