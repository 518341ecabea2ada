/*
 * The lower identity of files copied up during the run (origin.c).
 */
#ifndef FUSS_ORIGIN_H
#define FUSS_ORIGIN_H

#include <stdbool.h>
#include <sys/types.h>

/* vrel was copied up from a lower file with this (st_dev, st_ino). */
void tr_origin_note(const char *vrel, dev_t dev, ino_t ino);
/* The identity vrel had in its lower layer, if it was copied up. */
bool tr_origin_get(const char *vrel, dev_t *dev, ino_t *ino);
/* A rename in the overlay: records at `from` (and below) go to `to`; those
 * at `to` go to `from` with `exchange`, else they are dropped. */
void tr_origin_rename(const char *from, const char *to, bool exchange);
/* vrel is gone (unlink). */
void tr_origin_drop(const char *vrel);

#endif
