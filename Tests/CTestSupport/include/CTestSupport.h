#ifndef CTESTSUPPORT_H
#define CTESTSUPPORT_H

// What TestSupport's ChildProcess needs from glibc and Swift cannot reach: these are declared
// only for _GNU_SOURCE, which Swift's Glibc module is not built with.
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

/// pipe2(2) with O_CLOEXEC, so neither end is inherited by a child another test spawns.
static inline int cts_pipe_cloexec(int fds[2]) {
    extern int pipe2(int pipefd[2], int flags);
    return pipe2(fds, O_CLOEXEC);
}

/// posix_spawn_file_actions_addclosefrom_np(3): the child closes every descriptor >= `lowest`
/// before exec (SwiftNIO's sockets in a test process are not close-on-exec).
static inline int cts_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

#endif
