/*
 * Lexical path helpers. Inside the overlay the tracer resolves paths
 * physically (symlinks first, then ".."); these helpers only serve the host
 * part of a path and the real<->virtual mapping of layer roots, where
 * lexical treatment is what the design asks for.
 */
#include <errno.h>
#include <string.h>
#include "path.h"

int tr_path_normalize(char *path)
{
	char *out = path, *p = path;

	if (*p != '/')
		return -EINVAL;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, p, len);
			out += len;
		}
		p = end;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
	return (int)(out - path);
}

int tr_path_join(char *out, size_t size, const char *base, const char *rel)
{
	size_t blen = strlen(base), rlen = strlen(rel);
	bool slash = blen == 0 || base[blen - 1] != '/';

	if (blen + slash + rlen + 1 > size)
		return -ENAMETOOLONG;
	memmove(out, base, blen);
	if (slash)
		out[blen++] = '/';
	memcpy(out + blen, rel, rlen + 1);
	return (int)(blen + rlen);
}

bool tr_path_under(const char *path, const char *prefix, size_t prefix_len)
{
	if (prefix_len == 1 && prefix[0] == '/')
		return path[0] == '/';
	if (strncmp(path, prefix, prefix_len) != 0)
		return false;
	return path[prefix_len] == '\0' || path[prefix_len] == '/';
}

int tr_path_layer_of(const struct fuss_config *cfg, const char *real)
{
	int best = -1;
	size_t best_len = 0;

	/* Longest root wins, so nested roots (rejected by the CLI today)
	 * would still map to the innermost layer. */
	for (int i = 0; i < cfg->nlayers; i++) {
		if (!cfg->layer[i])
			continue;
		if (tr_path_under(real, cfg->layer[i], cfg->layer_len[i]) &&
		    cfg->layer_len[i] >= best_len) {
			best = i;
			best_len = cfg->layer_len[i];
		}
	}
	return best;
}

int tr_path_real_to_virtual(const struct fuss_config *cfg, const char *real,
			    char *out, size_t size)
{
	int l = tr_path_layer_of(cfg, real);

	if (l < 0)
		return 0;
	const char *rest = real + cfg->layer_len[l];
	size_t rlen = strlen(rest);

	if (cfg->mountpoint_len + rlen + 1 > size)
		return -ENAMETOOLONG;
	memmove(out, cfg->mountpoint, cfg->mountpoint_len);
	memmove(out + cfg->mountpoint_len, rest, rlen + 1);
	return (int)(cfg->mountpoint_len + rlen);
}

uint64_t tr_path_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
