/*
 * Fuzz target: the lexical path helpers (tracer/path.c).
 *
 * Input: a path, optionally followed by a NUL and a second string. Checks,
 * beyond "no crash": tr_path_normalize agrees with a reference model (a
 * stack of components), is idempotent, never grows the path and never
 * leaves an empty, "." or ".." component or a trailing '/'; tr_path_join
 * fits exactly when the reference length fits; tr_path_under agrees with a
 * component-wise comparison; tr_path_real_to_virtual maps a path inside a
 * layer root to the mountpoint plus the same rest, and nothing else.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../tracer/path.h"

#define FZ_PATH_MAX 4096

/* Reference: split on '/', drop "" and ".", pop on "..". */
static size_t ref_normalize(const char *in, char *out)
{
	size_t len = 0;

	out[0] = '\0';
	for (const char *p = in; *p;) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[--len] != '/')
				;
			out[len] = '\0';
		} else if (n && !(n == 1 && p[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
		}
		p = *end ? end + 1 : end;
	}
	if (!len) {
		out[len++] = '/';
		out[len] = '\0';
	}
	return len;
}

static void check_clean(const char *p, size_t len)
{
	FZ_CHECK(p[0] == '/' && strlen(p) == len);
	if (len == 1)
		return;
	FZ_CHECK(p[len - 1] != '/');
	for (const char *c = p + 1; ; ) {
		const char *end = strchrnul(c, '/');
		size_t n = (size_t)(end - c);

		FZ_CHECK(n > 0);
		FZ_CHECK(!(n == 1 && c[0] == '.'));
		FZ_CHECK(!(n == 2 && c[0] == '.' && c[1] == '.'));
		if (!*end)
			break;
		c = end + 1;
	}
}

static void fuzz_normalize(const char *in)
{
	static char buf[FZ_PATH_MAX], again[FZ_PATH_MAX], ref[FZ_PATH_MAX + 2];
	size_t inlen = strlen(in);
	int n;

	memcpy(buf, in, inlen + 1);
	n = tr_path_normalize(buf);
	if (in[0] != '/') {
		FZ_CHECK(n == -EINVAL);
		return;
	}
	FZ_CHECK(n > 0 && (size_t)n <= inlen);
	check_clean(buf, (size_t)n);
	FZ_CHECK(ref_normalize(in, ref) == (size_t)n && strcmp(ref, buf) == 0);
	memcpy(again, buf, (size_t)n + 1);
	FZ_CHECK(tr_path_normalize(again) == n && strcmp(again, buf) == 0);
}

static void fuzz_join(const char *base, const char *rel, size_t size)
{
	static char out[2 * FZ_PATH_MAX + 2];
	size_t blen = strlen(base), rlen = strlen(rel);
	size_t want = blen + (blen == 0 || base[blen - 1] != '/') + rlen;
	int n;

	memset(out, 'Z', sizeof(out));
	n = tr_path_join(out, size, base, rel);
	if (want + 1 > size) {
		FZ_CHECK(n == -ENAMETOOLONG);
		FZ_CHECK(out[0] == 'Z');  /* nothing written on failure */
		return;
	}
	FZ_CHECK(n >= 0 && (size_t)n == want && strlen(out) == want);
	FZ_CHECK(memcmp(out, base, blen) == 0);
	FZ_CHECK(strcmp(out + want - rlen, rel) == 0);
	FZ_CHECK(out[want - rlen - 1] == '/');
	FZ_CHECK(out[want + 1] == 'Z' || want + 1 == size);
}

static void fuzz_under(const char *path, const char *prefix)
{
	size_t plen = strlen(prefix), len = strlen(path);
	bool want;

	if (plen == 1 && prefix[0] == '/')
		want = path[0] == '/';
	else
		want = len >= plen && memcmp(path, prefix, plen) == 0 &&
		       (len == plen || path[plen] == '/');
	FZ_CHECK(tr_path_under(path, prefix, plen) == want);
}

/* Layer roots with a shared prefix ("/l/up" vs "/l/upx"), one at "/l". */
static void fuzz_real_to_virtual(const char *real, size_t size)
{
	static char upper[] = "/l/up", low1[] = "/l/upx", low2[] = "/l/low/deep";
	static char out[FZ_PATH_MAX + 64];
	struct fuss_config cfg = {
		.mountpoint = (char *)"/mnt/o", .mountpoint_len = 6,
		.layer = { upper, low1, NULL, low2 }, .nlayers = 4,
		.layer_len = { 5, 6, 0, 11 },
	};
	int l = tr_path_layer_of(&cfg, real), want = -1;
	size_t best = 0;

	for (int i = 0; i < cfg.nlayers; i++) {
		if (cfg.layer[i] && tr_path_under(real, cfg.layer[i], cfg.layer_len[i]) &&
		    cfg.layer_len[i] >= best) {
			want = i;
			best = cfg.layer_len[i];
		}
	}
	FZ_CHECK(l == want);
	memset(out, 'Z', sizeof(out));
	int n = tr_path_real_to_virtual(&cfg, real, out, size);

	if (l < 0) {
		FZ_CHECK(n == 0 && out[0] == 'Z');
		return;
	}
	const char *rest = real + cfg.layer_len[l];

	if (cfg.mountpoint_len + strlen(rest) + 1 > size) {
		FZ_CHECK(n == -ENAMETOOLONG);
		return;
	}
	FZ_CHECK(n == (int)(cfg.mountpoint_len + strlen(rest)));
	FZ_CHECK(tr_path_under(out, cfg.mountpoint, cfg.mountpoint_len));
	FZ_CHECK(strcmp(out + cfg.mountpoint_len, rest) == 0);
	FZ_CHECK(tr_path_layer_of(&cfg, out) < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char a[FZ_PATH_MAX], b[FZ_PATH_MAX], norm[FZ_PATH_MAX];
	size_t alen, blen;
	const uint8_t *nul;

	if (size < 1 || size >= FZ_PATH_MAX)
		return 0;
	/* The first byte picks the buffer sizes handed to join/real_to_virtual. */
	size_t osize = (size_t)data[0] * 16 + 1;

	data++;
	size--;
	nul = memchr(data, 0, size);
	alen = nul ? (size_t)(nul - data) : size;
	memcpy(a, data, alen);
	a[alen] = '\0';
	blen = nul ? strnlen((const char *)nul + 1, size - alen - 1) : 0;
	if (nul)
		memcpy(b, nul + 1, blen);
	b[blen] = '\0';

	fuzz_normalize(a);
	fuzz_normalize(b);
	fuzz_join(a, b, osize);
	if (a[0] != '/')
		return 0;
	memcpy(norm, a, alen + 1);
	tr_path_normalize(norm);
	fuzz_under(norm, "/");
	fuzz_under(norm, "/l/up");
	if (b[0] == '/' && tr_path_normalize(b) > 0)
		fuzz_under(norm, b);
	fuzz_real_to_virtual(norm, osize);
	fuzz_real_to_virtual(norm, sizeof(norm));
	return 0;
}
