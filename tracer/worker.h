/* A tracer worker: one ptrace loop per thread (see worker.c). */
#ifndef FUSS_WORKER_H
#define FUSS_WORKER_H

#include <stdint.h>
#include <sys/types.h>
#include "../vfsd/layer.h"
#include "tracer.h"

#define TR_DIRCACHE 8

/* A merged listing kept between the getdents64 calls of one directory
 * stream (owner worker only). */
struct tr_dircache {
	pid_t tid;
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t used;
	bool valid;
	struct layer_listing list;
};

struct tr_worker {
	int id;
	pthread_t thread;
	char role[16];
	uint64_t clock;
	struct tr_dircache dirs[TR_DIRCACHE];
};

/* vfsd is gone: every later mutating call fails with EIO. */
void tr_fail_closed(void);

#endif
