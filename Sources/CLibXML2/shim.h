// libxml2 for Swift. Two platform quirks are handled here (see PLATFORM-NOTES.md):
// 1. Debian's libxml2 headers pull in the system ICU, which clashes with the ICU that
//    Foundation bundles on Swift 6.3.0/6.3.1 ("'UErrorCode' has different definitions").
//    Undefining LIBXML_ICU_ENABLED after xmlversion.h keeps ICU out; only the tail of
//    xmlCharEncodingHandler depends on it and we never use that struct by value.
// 2. xmlFree is a macro/global Swift cannot call: cxml_free wraps it.
//
// CrawlerParse is the only user of this module, so the few POSIX calls its worker-process
// pool needs and Swift cannot reach (variadic prctl; pipe2, memfd_create and
// posix_spawn_file_actions_addclosefrom_np hidden behind _GNU_SOURCE; MAP_FAILED) are wrapped here too,
// with the same cxml_ prefix.
#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>

#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <pthread.h>
#include <time.h>

static inline void cxml_free(void *pointer) {
    xmlFree(pointer);
}

/// An HTML push-parser context that streams SAX events to `sax` with `user_data`, without
/// building a tree. `encoding` (an IANA name) is forced when not NULL; an unknown name sets
/// *unknown_encoding = 1 and leaves libxml2's default. The push parser is used because it
/// measured ~10% less CPU than the pull parser (htmlParseDocument) on the benchmark corpus.
static inline htmlParserCtxtPtr cxml_html_sax_context(const htmlSAXHandler *sax, void *user_data,
                                                      const char *encoding, int options,
                                                      int *unknown_encoding) {
    *unknown_encoding = 0;
    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt((htmlSAXHandlerPtr)sax, user_data, NULL, 0, NULL, XML_CHAR_ENCODING_NONE);
    if (ctxt == NULL) return NULL;
    htmlCtxtUseOptions(ctxt, options);
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) {
            xmlSwitchToEncoding(ctxt, handler);
        } else {
            *unknown_encoding = 1;
        }
    }
    return ctxt;
}

/// Feeds the whole document to the parser, frees the context, and returns libxml2's last
/// error number (0 if none).
static inline int cxml_html_sax_run(htmlParserCtxtPtr ctxt, const char *buffer, int size) {
    htmlParseChunk(ctxt, buffer, size, 1);
    int error = ctxt->errNo;
    if (ctxt->myDoc != NULL) { xmlFreeDoc(ctxt->myDoc); ctxt->myDoc = NULL; }
    htmlFreeParserCtxt(ctxt);
    return error;
}

/// libxml2's tree parser over an in-memory document, for the tree-vs-SAX measurement.
static inline htmlDocPtr cxml_html_read_tree(htmlParserCtxtPtr ctxt, const char *buffer, int size,
                                             const char *encoding, int options) {
    return htmlCtxtReadMemory(ctxt, buffer, size, NULL, encoding, options);
}

// MARK: - Worker-process support

/// pipe2(2) with O_CLOEXEC, so a pipe end is never inherited by another spawned worker.
static inline int cxml_pipe_cloexec(int fds[2]) {
    extern int pipe2(int pipefd[2], int flags);
    return pipe2(fds, O_CLOEXEC);
}

/// posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34+, declared only for _GNU_SOURCE):
/// the spawned child closes every descriptor >= `lowest` before exec. Needed because SwiftNIO
/// (accept4 without SOCK_CLOEXEC) and libcurl open sockets that are not close-on-exec.
static inline int cxml_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

/// fcntl(F_SETPIPE_SZ): asks for a pipe buffer of `bytes` (the kernel rounds up to a power of
/// two pages and caps unprivileged callers at /proc/sys/fs/pipe-max-size). Returns the new size or -1.
static inline int cxml_set_pipe_size(int fd, int bytes) {
    return fcntl(fd, 1031 /* F_SETPIPE_SZ */, bytes);
}

/// vmsplice(2) without blocking: hands the pages under `iov` to the pipe `fd` instead of
/// copying them; they must stay unchanged until the reader has read them.
static inline long cxml_vmsplice(int fd, const struct iovec *iov, unsigned long count) {
    extern long vmsplice(int fd, const struct iovec *iov, unsigned long nr_segs, unsigned int flags);
    return vmsplice(fd, iov, count, 2 /* SPLICE_F_NONBLOCK */);
}

/// memfd_create(2) with MFD_CLOEXEC (declared only for _GNU_SOURCE): an anonymous file in
/// memory, for the shared ring that carries page bodies to a worker. -1 with errno set.
static inline int cxml_memfd_create(const char *name) {
    extern int memfd_create(const char *name, unsigned int flags);
    return memfd_create(name, 1 /* MFD_CLOEXEC */);
}

/// eventfd(2), non-blocking and close-on-exec: what wakes a parse driver sleeping in poll.
static inline int cxml_eventfd(void) {
    extern int eventfd(unsigned int initval, int flags);
    return eventfd(0, 02000000 /* EFD_CLOEXEC */ | 04000 /* EFD_NONBLOCK */);
}

/// Makes the eventfd readable (adds 1 to its counter).
static inline void cxml_eventfd_signal(int fd) {
    unsigned long long one = 1;
    ssize_t written = write(fd, &one, sizeof one);
    (void)written;  /* EAGAIN only if the counter is full: it is readable then anyway */
}

/// Resets the eventfd's counter (it is not readable until signalled again).
static inline void cxml_eventfd_drain(int fd) {
    unsigned long long count;
    ssize_t got = read(fd, &count, sizeof count);
    (void)got;
}

/// mmap(2) of a whole shared file, populated up front so its first use takes no page faults;
/// read-only when `writable` is 0. NULL (not MAP_FAILED) on failure, errno set.
static inline void *cxml_map_shared(int fd, size_t size, int writable) {
    void *address = mmap(NULL, size, writable ? (PROT_READ | PROT_WRITE) : PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
    return address == MAP_FAILED ? NULL : address;
}

/// prctl(PR_SET_NAME): names the calling thread (15 bytes at most) for `top -H` and profilers.
static inline int cxml_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/// prctl(PR_SET_PDEATHSIG, signal): the kernel sends `signal` when the parent dies.
static inline int cxml_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0);
}

/// The process environment (Swift 6 rejects the mutable C global `environ`).
static inline char **cxml_environ(void) {
    extern char **environ;
    return environ;
}

/// Exit code of a worker whose libxml2 allocation failed (RLIMIT_AS reached).
#define CXML_EXIT_OUT_OF_MEMORY 86

static void *cxml_oom_malloc(size_t size) { void *p = malloc(size); if (p == NULL && size > 0) _exit(CXML_EXIT_OUT_OF_MEMORY); return p; }
static void *cxml_oom_realloc(void *q, size_t size) { void *p = realloc(q, size); if (p == NULL && size > 0) _exit(CXML_EXIT_OUT_OF_MEMORY); return p; }
static char *cxml_oom_strdup(const char *s) { char *p = strdup(s); if (p == NULL) _exit(CXML_EXIT_OUT_OF_MEMORY); return p; }

/// In a worker process: a libxml2 allocation that fails ends the process with
/// CXML_EXIT_OUT_OF_MEMORY, so the parent can tell a memory limit from a crash.
static inline int cxml_exit_on_out_of_memory(void) {
    return xmlMemSetup(free, cxml_oom_malloc, cxml_oom_realloc, cxml_oom_strdup);
}

/// Test hook: allocates through libxml2 until the memory limit is reached.
static inline void cxml_exhaust_memory(void) {
    for (;;) {
        char *p = (char *)xmlMalloc(64 * 1024 * 1024);
        if (p == NULL) _exit(CXML_EXIT_OUT_OF_MEMORY);
        memset(p, 1, 64 * 1024 * 1024);
    }
}

/// Exit code of a worker whose page used up its parse timeout of CPU time.
#define CXML_EXIT_PARSE_TIMEOUT 87

static void cxml_parse_timeout_handler(int signal) { (void)signal; _exit(CXML_EXIT_PARSE_TIMEOUT); }

/// A timer on the calling thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) that raises SIGXCPU
/// when it expires; the handler ends the process with CXML_EXIT_PARSE_TIMEOUT. Counting CPU
/// time rather than wall-clock time means a page is timed out for what it costs, not for how
/// busy the machine is. Returns 0, or -1 with errno set.
static inline int cxml_cpu_timer_create(timer_t *timer) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cxml_parse_timeout_handler;
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
static inline int cxml_cpu_timer_arm(timer_t timer, long long nanoseconds) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    spec.it_value.tv_sec = (time_t)(nanoseconds / 1000000000LL);
    spec.it_value.tv_nsec = (long)(nanoseconds % 1000000000LL);
    return timer_settime(timer, 0, &spec, NULL);
}

/// Test hook: uses `nanoseconds` of the calling thread's CPU time (forever if negative).
static inline void cxml_burn_cpu(long long nanoseconds) {
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
