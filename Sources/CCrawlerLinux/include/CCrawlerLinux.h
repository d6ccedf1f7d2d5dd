// The Linux calls the crawler makes that Swift cannot reach: declared by glibc only for
// _GNU_SOURCE (which Swift's Glibc module is not built with), variadic (prctl), or macros
// (MAP_FAILED). One home for all of them, as swift-nio keeps its own in CNIOLinux; the
// libxml2 and libcurl shims keep only what is about their libraries. Prefixed ccl_.
//
// Swift code calls these through CrawlerSystem's `Posix` namespace, which retries EINTR and
// turns -1 and errno into a `SystemCallError`.
#ifndef CCRAWLERLINUX_H
#define CCRAWLERLINUX_H

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <pthread.h>

// MARK: - Descriptors

/// pipe2(2) with O_CLOEXEC, so a pipe end is never inherited by another spawned process.
static inline int ccl_pipe_cloexec(int fds[2]) {
    extern int pipe2(int pipefd[2], int flags);
    return pipe2(fds, O_CLOEXEC);
}

/// fcntl(F_SETPIPE_SZ): asks for a pipe buffer of `bytes` (the kernel rounds up to a power of
/// two pages and caps unprivileged callers at /proc/sys/fs/pipe-max-size). Returns the new size or -1.
static inline int ccl_set_pipe_size(int fd, int bytes) {
    return fcntl(fd, 1031 /* F_SETPIPE_SZ */, bytes);
}

/// vmsplice(2) without blocking: hands the pages under `iov` to the pipe `fd` instead of
/// copying them; they must stay unchanged until the reader has read them.
static inline long ccl_vmsplice(int fd, const struct iovec *iov, unsigned long count) {
    extern long vmsplice(int fd, const struct iovec *iov, unsigned long nr_segs, unsigned int flags);
    return vmsplice(fd, iov, count, 2 /* SPLICE_F_NONBLOCK */);
}

/// eventfd(2), non-blocking and close-on-exec: what wakes a thread sleeping in poll.
static inline int ccl_eventfd(void) {
    extern int eventfd(unsigned int initval, int flags);
    return eventfd(0, 02000000 /* EFD_CLOEXEC */ | 04000 /* EFD_NONBLOCK */);
}

/// Makes the eventfd readable (adds 1 to its counter).
static inline void ccl_eventfd_signal(int fd) {
    unsigned long long one = 1;
    ssize_t written = write(fd, &one, sizeof one);
    (void)written;  /* EAGAIN only if the counter is full: it is readable then anyway */
}

/// Resets the eventfd's counter (it is not readable until signalled again).
static inline void ccl_eventfd_drain(int fd) {
    unsigned long long count;
    ssize_t got = read(fd, &count, sizeof count);
    (void)got;
}

// MARK: - Shared memory

/// memfd_create(2) with MFD_CLOEXEC: an anonymous file in memory. -1 with errno set.
static inline int ccl_memfd_create(const char *name) {
    extern int memfd_create(const char *name, unsigned int flags);
    return memfd_create(name, 1 /* MFD_CLOEXEC */);
}

/// mmap(2) of a whole shared file, populated up front so its first use takes no page faults;
/// read-only when `writable` is 0. NULL (not MAP_FAILED) on failure, errno set.
static inline void *ccl_map_shared(int fd, size_t size, int writable) {
    void *address = mmap(NULL, size, writable ? (PROT_READ | PROT_WRITE) : PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
    return address == MAP_FAILED ? NULL : address;
}

// MARK: - Processes and threads

/// posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34+): the spawned child closes every
/// descriptor >= `lowest` before exec. Needed because SwiftNIO (accept4 without SOCK_CLOEXEC)
/// and libcurl open sockets that are not close-on-exec. Returns 0 or an error number.
static inline int ccl_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

/// The process environment (Swift 6 rejects the mutable C global `environ`).
static inline char **ccl_environ(void) {
    extern char **environ;
    return environ;
}

/// prctl(PR_SET_NAME): names the calling thread (15 bytes at most) for `top -H`, profilers and
/// the tests that look for a thread by name (Foundation's Thread.name does not reach Linux).
static inline int ccl_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/// prctl(PR_SET_PDEATHSIG, signal): the kernel sends `signal` when the parent dies.
static inline int ccl_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0);
}

// MARK: - A CPU-time limit on one thread

/// Exit status of a process whose thread CPU timer (ccl_cpu_timer_create) expired.
#define CCL_EXIT_CPU_TIMEOUT 87

static void ccl_cpu_timeout_handler(int signal) { (void)signal; _exit(CCL_EXIT_CPU_TIMEOUT); }

/// A timer on the calling thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) that raises SIGXCPU
/// when it expires; the handler ends the process with CCL_EXIT_CPU_TIMEOUT. Counting CPU
/// time rather than wall-clock time means work is timed out for what it costs, not for how
/// busy the machine is. Returns 0, or -1 with errno set.
static inline int ccl_cpu_timer_create(timer_t *timer) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ccl_cpu_timeout_handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGXCPU, &action, NULL) != 0) return -1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGXCPU);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGXCPU;
    return timer_create(CLOCK_THREAD_CPUTIME_ID, &event, timer);
}

/// Arms `timer` to expire after `nanoseconds` more CPU time of its thread; 0 disarms it.
/// Returns 0, or -1 with errno set.
static inline int ccl_cpu_timer_arm(timer_t timer, long long nanoseconds) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    spec.it_value.tv_sec = (time_t)(nanoseconds / 1000000000LL);
    spec.it_value.tv_nsec = (long)(nanoseconds % 1000000000LL);
    return timer_settime(timer, 0, &spec, NULL);
}

/// Test hook: uses `nanoseconds` of the calling thread's CPU time (forever if negative).
static inline void ccl_burn_cpu(long long nanoseconds) {
    struct timespec start, now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    volatile unsigned long long sink = 0;
    for (;;) {
        for (int i = 0; i < 10000; i++) sink += (unsigned long long)i;
        if (nanoseconds < 0) continue;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        long long used = (long long)(now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec);
        if (used >= nanoseconds) return;
    }
}

#endif
