/*
 * Tracee memory: reads and writes with process_vm_readv/writev (any tracer
 * thread may call them), and the per-process scratch area that holds
 * rewritten path strings. The scratch area is mapped by the tracee itself:
 * the dispatcher turns the current syscall into an mmap, takes the exit
 * stop, then restarts the original syscall (see arch_prepare_restart).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include "log.h"
#include "tracer.h"

ssize_t tr_mem_read(pid_t tid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

ssize_t tr_mem_write(pid_t tid, unsigned long addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

ssize_t tr_mem_read_str(pid_t tid, unsigned long addr, char *buf, size_t size)
{
	const size_t page = 4096;
	size_t got = 0;

	if (!addr)
		return -EFAULT;
	while (got < size) {
		/* Never cross a page in one read: the next page may be
		 * unmapped although the string ends before it. */
		size_t chunk = page - ((addr + got) % page);

		if (chunk > size - got)
			chunk = size - got;
		ssize_t n = tr_mem_read(tid, addr + got, buf + got, chunk);
		if (n <= 0)
			return got ? -EFAULT : (n < 0 ? n : -EFAULT);
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}

int tr_mem_read_str2(pid_t tid, const unsigned long addr[2], char *const buf[2],
		     const size_t size[2], ssize_t len[2])
{
	const size_t page = 4096;
	struct iovec local[2], remote[2];
	ssize_t got;

	for (int i = 0; i < 2; i++) {
		size_t chunk = page - addr[i] % page;

		if (chunk > size[i])
			chunk = size[i];
		local[i] = (struct iovec){ buf[i], chunk };
		remote[i] = (struct iovec){ (void *)addr[i], chunk };
		len[i] = -EFAULT;
	}
	if (addr[0] && addr[1]) {
		got = process_vm_readv(tid, local, 2, remote, 2, 0);
		for (int i = 0; i < 2 && got > 0; i++) {
			size_t have = (size_t)got < local[i].iov_len ? (size_t)got : local[i].iov_len;
			char *nul = memchr(buf[i], '\0', have);

			if (nul)
				len[i] = nul - buf[i];
			got -= (ssize_t)have;
		}
	}
	/* a string past its page, or a read that stopped short: alone */
	for (int i = 0; i < 2; i++)
		if (len[i] < 0)
			len[i] = tr_mem_read_str(tid, addr[i], buf[i], size[i]);
	return 0;
}

static int slot_take(struct tr_thread *t)
{
	struct tr_mm *mm = t->mm;
	int found = -ENOMEM;

	pthread_mutex_lock(&mm->lock);
	for (int i = 0; i < TR_SLOTS / 64 && found < 0; i++) {
		if (~mm->slots[i]) {
			int b = __builtin_ctzll(~mm->slots[i]);

			mm->slots[i] |= 1ull << b;
			found = i * 64 + b;
		}
	}
	pthread_mutex_unlock(&mm->lock);
	return found;
}

int tr_mem_put_path(struct tr_call *c, int arg, const char *s)
{
	return tr_mem_put(c, arg, s, strlen(s) + 1);
}

/* An item's room in a half: the next one stays aligned. */
static size_t item_span(size_t len)
{
	return (len + 7) & ~(size_t)7;
}

static unsigned long half_addr(const struct tr_thread *t, unsigned half)
{
	return t->mm->scratch + (unsigned long)t->slot * TR_SLOT_SIZE + half * TR_HALF_SIZE;
}

/* Write `len` bytes at `off` of the current half; the half's start is
 * remembered when that is where they go. */
static int half_write(struct tr_thread *t, unsigned long off, const void *s, size_t len)
{
	ssize_t n = tr_mem_write(t->tid, half_addr(t, t->half) + off, s, len);

	if (off == 0) {
		bool keep = n == (ssize_t)len && len <= TR_HELD_MAX;

		t->held_len[t->half] = keep ? (uint16_t)len : 0;
		if (keep)
			memcpy(t->held[t->half], s, len);
	}
	if (n != (ssize_t)len)
		return n < 0 ? (int)n : -EFAULT;
	return 0;
}

/*
 * Each syscall writes into the half its predecessor did not use (see
 * TR_HALF_SIZE), except that a first item equal to what the last one left
 * at the start of its half is used there as it is: nothing is written, so
 * whatever may still read that half (a syscall a signal handler
 * interrupted) reads the same bytes. A second item of such a syscall moves
 * it to the other half after all.
 */
int tr_mem_put_at(struct tr_call *c, const void *s, size_t len, unsigned long *addr)
{
	struct tr_thread *t = c->t;
	int err;

	if (!t->mm)
		return -EIO;
	if (!__atomic_load_n(&t->mm->scratch, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	if (t->slot < 0) {
		int slot = slot_take(t);

		if (slot < 0) {
			fuss_err("tid %d: more than %d threads of one process "
				 "rewrite paths at once", t->tid, TR_SLOTS);
			return slot;
		}
		t->slot = slot;
		t->held_len[0] = t->held_len[1] = 0;
	}
	size_t span = item_span(len);

	if (c->reused) {
		unsigned h = t->half;

		c->reused = false;
		t->half ^= 1;
		if ((err = half_write(t, 0, t->held[h], t->held_len[h])) < 0)
			return err;
		arch_set_arg(&c->regs, c->reused_arg, half_addr(t, t->half));
	}
	if (c->slot_used + span > TR_HALF_SIZE)
		return -ENAMETOOLONG;
	if (c->slot_used == 0)
		t->half ^= 1;
	*addr = half_addr(t, t->half) + c->slot_used;
	if ((err = half_write(t, c->slot_used, s, len)) < 0)
		return err;
	c->slot_used += span;
	return 0;
}

int tr_mem_put(struct tr_call *c, int arg, const void *s, size_t len)
{
	struct tr_thread *t = c->t;
	unsigned long addr;
	int err;

	if (c->slot_used == 0 && t->slot >= 0 && t->held_len[t->half] == len &&
	    memcmp(t->held[t->half], s, len) == 0 && t->mm &&
	    __atomic_load_n(&t->mm->scratch, __ATOMIC_ACQUIRE)) {
		addr = half_addr(t, t->half);
		c->slot_used = item_span(len);
		c->reused = true;
		c->reused_arg = arg;
	} else if ((err = tr_mem_put_at(c, s, len, &addr)) < 0) {
		return err;
	}
	arch_set_arg(&c->regs, arg, addr);
	c->dirty = true;
	return 0;
}

int tr_mem_inject_scratch(struct tr_call *c)
{
	struct tr_thread *t = c->t;
	bool mine;

	/* One thread of a process maps the area; the others run their
	 * syscall again until it is there. */
	pthread_mutex_lock(&t->mm->lock);
	mine = !t->mm->scratch && !t->mm->injecting;
	if (mine)
		t->mm->injecting = true;
	pthread_mutex_unlock(&t->mm->lock);
	if (!mine) {
		arch_retry(&c->regs);
		c->dirty = true;
		c->want_exit = false;
		return 0;
	}

	t->saved = c->regs;
	arch_set_sysno(&c->regs, arch_nr_mmap);
	arch_set_arg(&c->regs, 0, 0);
	arch_set_arg(&c->regs, 1, TR_SCRATCH_SIZE);
	arch_set_arg(&c->regs, 2, PROT_READ | PROT_WRITE);
	arch_set_arg(&c->regs, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	arch_set_arg(&c->regs, 4, (unsigned long)-1);
	arch_set_arg(&c->regs, 5, 0);
	c->dirty = true;
	c->want_exit = true;
	t->state = TR_T_INJECT;
	return 0;
}

int tr_mem_inject_done(struct tr_thread *t, struct arch_regs *regs)
{
	long addr = arch_ret(regs);

	t->state = TR_T_RUNNING;
	if (addr < 0 && addr > -4096) {
		/* The tracee is out of address space: fail its syscall. */
		fuss_err("tid %d: cannot map the scratch area: %s", t->tid,
			 strerror((int)-addr));
		pthread_mutex_lock(&t->mm->lock);
		t->mm->injecting = false;
		pthread_mutex_unlock(&t->mm->lock);
		*regs = t->saved;
		arch_set_ret(regs, -ENOMEM);
		return arch_regs_set(t->tid, regs);
	}
	pthread_mutex_lock(&t->mm->lock);
	__atomic_store_n(&t->mm->scratch, (unsigned long)addr, __ATOMIC_RELEASE);
	t->mm->injecting = false;
	pthread_mutex_unlock(&t->mm->lock);
	arch_prepare_restart(regs, &t->saved);
	return arch_regs_set(t->tid, regs);
}
