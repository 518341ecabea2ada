/*
 * i386: a 32-bit program without a C library, every call made with
 * int 0x80, so that nothing but the calls below reaches the kernel.
 *   i386 DIR
 * tries open(DIR/f), openat(DIR/new32, O_CREAT), stat64(DIR/f),
 * mkdir(DIR/dir32) and unlink(DIR/f), writes one line per call ("open 3",
 * "mkdir -38", ...) and exits with a status whose bit i is set when call i
 * returned -ENOSYS: 31 when all five were refused.
 * Build: cc -m32 -static -nostdlib -ffreestanding -fno-pie -no-pie
 */
#define NR_EXIT 1
#define NR_WRITE 4
#define NR_OPEN 5
#define NR_UNLINK 10
#define NR_MKDIR 39
#define NR_STAT64 195
#define NR_OPENAT 295
#define AT_FDCWD (-100)
#define O_WRONLY_CREAT 0101
#define ENOSYS 38

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static char path[4096];
static char line[64];
static char statbuf[128];

/* DIR/NAME into path */
static const char *join(const char *dir, const char *name)
{
	char *p = path;

	while (*dir && p < path + sizeof(path) - 64)
		*p++ = *dir++;
	*p++ = '/';
	while (*name)
		*p++ = *name++;
	*p = '\0';
	return path;
}

static void report(const char *call, long ret)
{
	char *p = line, digits[16];
	unsigned long v = ret < 0 ? (unsigned long)-ret : (unsigned long)ret;
	int n = 0;

	while (*call)
		*p++ = *call++;
	*p++ = ' ';
	if (ret < 0)
		*p++ = '-';
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	*p++ = '\n';
	sys3(NR_WRITE, 1, (long)line, p - line);
}

void start_c(long *sp) __attribute__((used, noreturn));
void start_c(long *sp)
{
	const char *dir = (const char *)sp[2];
	long r[5];
	int status = 0;

	if (sp[0] != 2)
		sys3(NR_EXIT, 2, 0, 0);
	r[0] = sys3(NR_OPEN, (long)join(dir, "f"), 0, 0);
	r[1] = sys3(NR_OPENAT, AT_FDCWD, (long)join(dir, "new32"), O_WRONLY_CREAT);
	r[2] = sys3(NR_STAT64, (long)join(dir, "f"), (long)statbuf, 0);
	r[3] = sys3(NR_MKDIR, (long)join(dir, "dir32"), 0755, 0);
	r[4] = sys3(NR_UNLINK, (long)join(dir, "f"), 0, 0);
	report("open", r[0]);
	report("openat", r[1]);
	report("stat64", r[2]);
	report("mkdir", r[3]);
	report("unlink", r[4]);
	for (int i = 0; i < 5; i++)
		if (r[i] == -ENOSYS)
			status |= 1 << i;
	for (;;)
		sys3(NR_EXIT, status, 0, 0);
}

__asm__(".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	movl %esp, %eax\n"
	"	andl $-16, %esp\n"
	"	subl $12, %esp\n"
	"	pushl %eax\n"
	"	call start_c\n"
	"	hlt\n");
