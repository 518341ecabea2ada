/*
 * --stats: what every worker counted (each its own counters, summed here
 * once they are joined) and what vfsd counted in the segment's header, as
 * a table or one JSON object on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include "observe.h"
#include "worker.h"

static const char *const op_names[SHM_OP_MAX] = {
	[SHM_OP_NONE] = "none",
	[SHM_OP_LOOKUP] = "lookup",
	[SHM_OP_COPYUP] = "copyup",
	[SHM_OP_PREP_CREATE] = "prep_create",
	[SHM_OP_MKDIR] = "mkdir",
	[SHM_OP_MKNOD] = "mknod",
	[SHM_OP_SYMLINK] = "symlink",
	[SHM_OP_LINK] = "link",
	[SHM_OP_UNLINK] = "unlink",
	[SHM_OP_RMDIR] = "rmdir",
	[SHM_OP_RENAME] = "rename",
	[SHM_OP_NOTIFY] = "notify",
};

typedef unsigned long long ull;

struct stats {
	struct tr_sysstat sys[FUSS_SYS_MAX], total;
	int order[FUSS_SYS_MAX], nrows;
	uint64_t ops[SHM_OP_MAX], requests;
	uint64_t hits, misses, stops, max;
	const struct shm_hdr *h;
};

static void add_sys(struct tr_sysstat *to, const struct tr_sysstat *s)
{
	to->stops += s->stops;
	to->ns += s->ns;
	for (int k = 0; k < TR_OUT_N; k++)
		to->out[k] += s->out[k];
}

static const struct stats *sort_by;

/* Most tracer time first, then most stops, then by name. */
static int by_time(const void *a, const void *b)
{
	const struct tr_sysstat *x = &sort_by->sys[*(const int *)a];
	const struct tr_sysstat *y = &sort_by->sys[*(const int *)b];

	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	if (x->stops != y->stops)
		return x->stops < y->stops ? 1 : -1;
	return *(const int *)a - *(const int *)b;
}

static void collect(struct stats *s)
{
	s->h = tr.shm->hdr;
	/* Every tracee is gone, so no request is left for vfsd: its counters
	 * are final. A miss is a lookup sent to vfsd. */
	s->misses = __atomic_load_n(&s->h->stat_lookups, __ATOMIC_ACQUIRE);
	for (int i = 0; i < tr.nworkers; i++) {
		const struct tr_worker *w = &tr.workers[i];

		s->hits += w->dcache_hits;
		s->stops += w->stops;
		if (w->stops > s->max)
			s->max = w->stops;
		for (int k = 0; k < FUSS_SYS_MAX; k++)
			add_sys(&s->sys[k], &w->sys[k]);
		for (int k = 1; k < SHM_OP_MAX; k++) {
			s->ops[k] += w->vfsd_ops[k];
			s->requests += w->vfsd_ops[k];
		}
	}
	for (int k = FUSS_SYS_none + 1; k < FUSS_SYS_MAX; k++) {
		if (!s->sys[k].stops && !s->sys[k].ns)
			continue;
		add_sys(&s->total, &s->sys[k]);
		s->order[s->nrows++] = k;
	}
	sort_by = s;
	qsort(s->order, (size_t)s->nrows, sizeof(int), by_time);
}

static double us_per_call(const struct tr_sysstat *x)
{
	return x->stops ? (double)x->ns / 1e3 / (double)x->stops : 0.0;
}

static void table_row(const char *name, const struct tr_sysstat *x)
{
	fprintf(stderr, "fuss: stats: %-18s %9llu %9llu %9llu %9llu %9llu %11llu %9.2f\n",
		name, (ull)x->stops, (ull)x->out[TR_OUT_PASSED], (ull)x->out[TR_OUT_REWRITTEN],
		(ull)x->out[TR_OUT_EMULATED], (ull)x->out[TR_OUT_ERROR],
		(ull)(x->ns / 1000), us_per_call(x));
}

static void print_table(const struct stats *s)
{
	const struct shm_hdr *h = s->h;

	fprintf(stderr, "fuss: stats: %-18s %9s %9s %9s %9s %9s %11s %9s\n", "syscall",
		"stops", "passed", "rewritten", "emulated", "errors", "time_us", "us/call");
	for (int i = 0; i < s->nrows; i++)
		table_row(arch_sys_name(s->order[i]), &s->sys[s->order[i]]);
	table_row("(total)", &s->total);
	fprintf(stderr, "fuss: stats: copy-ups %llu (%llu bytes), whiteouts %llu\n",
		(ull)h->stat_copyups, (ull)h->stat_copyup_bytes, (ull)h->stat_whiteouts);
	fprintf(stderr, "fuss: stats: dcache %u slots (%.1f MiB), %llu hits, %llu misses "
		"(hit rate %.3f), %llu flushes\n", h->dcache_nslots,
		(double)h->dcache_nslots * sizeof(struct shm_dent) / (1 << 20),
		(ull)s->hits, (ull)s->misses,
		s->hits + s->misses ? (double)s->hits / (double)(s->hits + s->misses) : 0.0,
		(ull)shm_dcache_epoch(tr.shm));
	fprintf(stderr, "fuss: stats: vfsd %llu requests", (ull)s->requests);
	for (int k = 1; k < SHM_OP_MAX; k++)
		if (s->ops[k])
			fprintf(stderr, ", %s %llu", op_names[k], (ull)s->ops[k]);
	fputc('\n', stderr);
	fprintf(stderr, "fuss: stats: %-6s %10s %10s %12s %8s %8s\n", "worker", "stops",
		"busy_ms", "stops/s_busy", "adopted", "handed");
	for (int i = 0; i < tr.nworkers; i++) {
		const struct tr_worker *w = &tr.workers[i];
		double ms = (double)w->busy_ns / 1e6;

		fprintf(stderr, "fuss: stats: w%-5d %10llu %10.1f %12.0f %8llu %8llu\n", i,
			(ull)w->stops, ms, ms > 0 ? (double)w->stops * 1000.0 / ms : 0.0,
			(ull)w->adopted, (ull)w->handed);
	}
	fprintf(stderr, "fuss: stats: total %llu stops, max/mean across workers %.2f\n",
		(ull)s->stops,
		s->stops ? (double)s->max * tr.nworkers / (double)s->stops : 0.0);
}

static void json_sys(FILE *f, const struct tr_sysstat *x)
{
	fprintf(f, "{\"stops\":%llu,\"passed\":%llu,\"rewritten\":%llu,\"emulated\":%llu,"
		"\"errors\":%llu,\"time_us\":%llu,\"us_per_call\":%.2f}",
		(ull)x->stops, (ull)x->out[TR_OUT_PASSED], (ull)x->out[TR_OUT_REWRITTEN],
		(ull)x->out[TR_OUT_EMULATED], (ull)x->out[TR_OUT_ERROR], (ull)(x->ns / 1000),
		us_per_call(x));
}

/* One line: built in memory, written at once. */
static void print_json(const struct stats *s)
{
	const struct shm_hdr *h = s->h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	fputs("{\"syscalls\":{", f);
	for (int i = 0; i < s->nrows; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", arch_sys_name(s->order[i]));
		json_sys(f, &s->sys[s->order[i]]);
	}
	fputs("},\"total\":", f);
	json_sys(f, &s->total);
	fprintf(f, ",\"copyups\":{\"count\":%llu,\"bytes\":%llu},\"whiteouts\":%llu",
		(ull)h->stat_copyups, (ull)h->stat_copyup_bytes, (ull)h->stat_whiteouts);
	fprintf(f, ",\"dcache\":{\"slots\":%u,\"hits\":%llu,\"misses\":%llu,\"flushes\":%llu}",
		h->dcache_nslots, (ull)s->hits, (ull)s->misses, (ull)shm_dcache_epoch(tr.shm));
	fprintf(f, ",\"vfsd\":{\"requests\":%llu,\"lookups\":%llu,\"ops\":{", (ull)s->requests,
		(ull)s->misses);
	for (int k = 1; k < SHM_OP_MAX; k++)
		fprintf(f, "%s\"%s\":%llu", k > 1 ? "," : "", op_names[k], (ull)s->ops[k]);
	fputs("}},\"workers\":[", f);
	for (int i = 0; i < tr.nworkers; i++) {
		const struct tr_worker *w = &tr.workers[i];

		fprintf(f, "%s{\"stops\":%llu,\"busy_us\":%llu,\"adopted\":%llu,\"handed\":%llu}",
			i ? "," : "", (ull)w->stops, (ull)(w->busy_ns / 1000), (ull)w->adopted,
			(ull)w->handed);
	}
	fprintf(f, "],\"stops\":%llu}\n", (ull)s->stops);
	fclose(f);
	fwrite(buf, 1, len, stderr);
	free(buf);
}

void tr_stats_print(void)
{
	struct stats *s = calloc(1, sizeof(*s));

	if (!s)
		return;
	collect(s);
	if (tr.cfg->stats == FUSS_STATS_JSON)
		print_json(s);
	else
		print_table(s);
	free(s);
}
