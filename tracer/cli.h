/* Command line parsing and start-up checks (CLI only). */
#ifndef FUSS_CLI_H
#define FUSS_CLI_H

#include "config.h"

#define FUSS_EXIT_USAGE 2
#define FUSS_EXIT_NO_PTRACE 3
/* 10 MiB buys 2^15 slots of 304 bytes (9.5 MiB). */
#define FUSS_CACHE_MB_DEFAULT 10

/* Parse argv into cfg. 0 on success; 1 when --help or --version printed
 * and fuss should exit 0; -1 after printing one line naming the problem
 * (exit FUSS_EXIT_USAGE). Checks every path; probes chardev whiteouts. */
int fuss_cli_parse(int argc, char **argv, struct fuss_config *cfg);

/* Free what fuss_cli_parse allocated (safe after a failed parse). */
void fuss_cli_free(struct fuss_config *cfg);

#endif
