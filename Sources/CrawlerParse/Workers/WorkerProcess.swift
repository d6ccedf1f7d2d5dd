import CLibXML2
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running worker process, seen from the parent: its pid and the parent's ends of its
/// stdin and stdout pipes (close-on-exec, non-blocking). Owned by one driver thread.
struct WorkerProcess {
    let pid: pid_t
    /// Parent writes requests here (the worker's stdin).
    let requestFD: Int32
    /// Parent reads responses here (the worker's stdout).
    let responseFD: Int32

    /// How a worker ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)

        var isOutOfMemory: Bool { self == .exited(CXML_EXIT_OUT_OF_MEMORY) }

        /// The worker's CPU timer ended it: a page used up its parse timeout.
        var isParseTimeout: Bool { self == .exited(CXML_EXIT_PARSE_TIMEOUT) }

        var reason: String {
            switch self {
            case .exited(CXML_EXIT_OUT_OF_MEMORY): "ran out of memory"
            case .exited(CXML_EXIT_PARSE_TIMEOUT): "used up its parse timeout of CPU time"
            case .exited(let status): "exited with status \(status)"
            case .signaled(let signal): "killed by signal \(signal) (\(signalName(signal)))"
            }
        }
    }

    /// The pipe buffer each worker's pipes ask for (Linux's default cap for unprivileged users).
    static let pipeBytes: Int32 = 1 << 20

    /// The descriptor a worker gets its slot's shared body ring on.
    static let bodyRingDescriptor: Int32 = 3

    /// `descriptor` moved to 4 or above (close-on-exec), if it is below. A child's 0, 1 and 3
    /// are set from the parent's descriptors one after another, so a source that is itself 0,
    /// 1 or 3 (the parent started with stdin or stdout closed) would be overwritten before it
    /// is copied. -1 (errno set) if it cannot be moved; the original is closed either way.
    static func clearOfChildDescriptors(_ descriptor: Int32) -> Int32 {
        guard descriptor >= 0, descriptor <= bodyRingDescriptor else { return descriptor }
        let moved = fcntl(descriptor, F_DUPFD_CLOEXEC, bodyRingDescriptor + 1)
        let saved = errno
        close(descriptor)
        errno = saved
        return moved
    }

    /// Starts `executable arguments...` with fresh pipes on stdin and stdout, and `bodyRing`
    /// (if any) as descriptor 3; stderr is shared.
    static func spawn(executable: String, arguments: [String], bodyRing: Int32? = nil) throws -> WorkerProcess {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard cxml_pipe_cloexec(&toChild) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        guard cxml_pipe_cloexec(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        // The ends the child gets are copied onto its 0 and 1 (and the ring onto 3).
        toChild[0] = clearOfChildDescriptors(toChild[0])
        fromChild[1] = clearOfChildDescriptors(fromChild[1])
        guard toChild[0] >= 0, fromChild[1] >= 0 else {
            let reason = String(cString: strerror(errno))
            for descriptor in toChild + fromChild where descriptor >= 0 { close(descriptor) }
            throw SpawnError(description: "cannot move a pipe clear of descriptors 0 to 3: \(reason)")
        }
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        // dup2 clears close-on-exec on the child's 0 and 1.
        posix_spawn_file_actions_adddup2(&fileActions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&fileActions, fromChild[1], 1)
        if let bodyRing {
            // glibc clears close-on-exec also when the two numbers are the same.
            posix_spawn_file_actions_adddup2(&fileActions, bodyRing, bodyRingDescriptor)
        }
        // Then close everything else the parent has open (after the dup2s, so 0, 1 and 3 stay).
        // Close-on-exec is not enough: NIO's accepted sockets and curl's sockets lack it, and a
        // worker holding a socket keeps its connection alive after the parent closes it (no FIN;
        // with SO_LINGER 0, no RST either: the fault host's /reset then hangs its client).
        let closeFrom = cxml_spawn_file_actions_addclosefrom(&fileActions, bodyRing == nil ? 3 : bodyRingDescriptor + 1)
        guard closeFrom == 0 else {
            close(toChild[0]); close(toChild[1]); close(fromChild[0]); close(fromChild[1])
            throw SpawnError(description: "posix_spawn_file_actions_addclosefrom_np: \(String(cString: strerror(closeFrom)))")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The parent ignores SIGPIPE; the worker should die of a broken pipe like any filter.
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &fileActions, &attributes, argv, cxml_environ())
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        // Room for a full batch of pages in flight each way, so neither side waits on the
        // pipe (64 KiB by default; if the system caps it lower, writes just wait for room).
        _ = cxml_set_pipe_size(toChild[1], pipeBytes)
        _ = cxml_set_pipe_size(fromChild[0], pipeBytes)
        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fromChild[0], F_SETFL, fcntl(fromChild[0], F_GETFL) | O_NONBLOCK)
        return WorkerProcess(pid: pid, requestFD: toChild[1], responseFD: fromChild[0])
    }

    /// Kills the worker (if `force`), closes the pipes and reaps it.
    func end(force: Bool) -> Ending {
        if force { kill(pid, SIGKILL) }
        close(requestFD)
        close(responseFD)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED/WTERMSIG are macros Swift cannot see.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }
}

/// A worker could not be started.
struct SpawnError: Error, CustomStringConvertible {
    var description: String
}

private func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGKILL: "SIGKILL"
    case SIGSEGV: "SIGSEGV"
    case SIGABRT: "SIGABRT"
    case SIGBUS: "SIGBUS"
    case SIGILL: "SIGILL"
    case SIGTRAP: "SIGTRAP"
    case SIGTERM: "SIGTERM"
    case SIGPIPE: "SIGPIPE"
    default: "signal \(signal)"
    }
}
