/*
 * bind and connect of AF_UNIX sockets named by a path inside the overlay:
 * bind creates the socket file in upper (vfsd prepares the parent chain),
 * connect reaches the socket in its topmost layer. The address is rewritten
 * in the scratch area. A real path longer than sun_path allows fails with
 * ENAMETOOLONG (logged): the kernel has no way to name it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "log.h"
#include "observe.h"
#include "sys.h"
#include "vfs.h"

int sys_socket_enter(struct tr_call *c)
{
	struct sockaddr_un sun;
	unsigned long addr = arch_arg(&c->regs, 1);
	size_t len = arch_arg(&c->regs, 2);
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	bool bind = c->sys == FUSS_SYS_bind;
	char path[sizeof(sun.sun_path) + 1], real[PATH_MAX];
	struct tr_res res;
	int err;

	if (len <= off + 1 || len > sizeof(sun))
		return TR_RUN;
	memset(&sun, 0, sizeof(sun));
	if (tr_mem_read(c->t->tid, addr, &sun, len) != (ssize_t)len)
		return TR_RUN;
	if (sun.sun_family != AF_UNIX || sun.sun_path[0] == '\0')
		return TR_RUN; /* another family, or the abstract namespace */
	memcpy(path, sun.sun_path, len - off);
	path[len - off] = '\0';
	tr_log_path(c, 0, path);
	err = tr_resolve(c, AT_FDCWD, path, bind ? 0 : TR_RES_FOLLOW, &res);
	if (err < 0)
		return err;
	if (!res.in_overlay && !res.host_rewrite)
		return TR_RUN;
	if (res.in_overlay && bind) {
		if (res.exists)
			return -EADDRINUSE;
		if (!tr.cfg->layer[0])
			return -EROFS;
		if ((err = tr_check_new_name(&res)) < 0)
			return err;
	} else if (res.in_overlay) {
		if (!res.exists)
			return -ENOENT;
		if (!S_ISSOCK(res.ent.mode))
			return -ECONNREFUSED;
	}
	if (res.in_overlay)
		err = tr_res_real(&res, bind ? 0 : res.ent.layer, real,
				  sizeof(sun.sun_path)); /* aliased if longer */
	else
		err = (int)strlen(strcpy(real, res.host));
	if (err < 0)
		return err;
	if ((size_t)err >= sizeof(sun.sun_path)) {
		fuss_warn("tid %d: %s %s: the real path %s is longer than a unix "
			  "socket address allows", c->t->tid, bind ? "bind" : "connect",
			  path, real);
		return -ENAMETOOLONG;
	}
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if (res.in_overlay && bind) {
		err = tr_vfs_change(c, SHM_OP_PREP_CREATE, res.vrel, NULL, 0, 0, 0, true);
		if (err < 0)
			return err;
	}
	tr_log_real(c, 0, real);
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	strcpy(sun.sun_path, real);
	len = off + strlen(real) + 1;
	err = tr_mem_put(c, 1, &sun, len);
	if (err < 0)
		return err == -EAGAIN ? TR_INJECT : err;
	arch_set_arg(&c->regs, 2, len);
	return TR_RUN;
}
