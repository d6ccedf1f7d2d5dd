import CLibXML2
import CrawlerSystem
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
        var isParseTimeout: Bool { self == .exited(Posix.cpuTimeoutExitStatus) }

        var reason: String {
            switch self {
            case .exited(CXML_EXIT_OUT_OF_MEMORY): "ran out of memory"
            case .exited(Posix.cpuTimeoutExitStatus): "used up its parse timeout of CPU time"
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
    /// is copied. The original is closed either way.
    static func clearOfChildDescriptors(_ descriptor: Int32) throws(SystemCallError) -> Int32 {
        guard descriptor >= 0, descriptor <= bodyRingDescriptor else { return descriptor }
        defer { close(descriptor) }
        return try Posix.duplicate(descriptor, atLeast: bodyRingDescriptor + 1)
    }

    /// Starts `executable arguments...` with fresh pipes on stdin and stdout, and `bodyRing`
    /// (if any) as descriptor 3; stderr is shared.
    static func spawn(executable: String, arguments: [String], bodyRing: Int32? = nil) throws(SpawnError) -> WorkerProcess {
        var toChild: (read: Int32, write: Int32) = (-1, -1)
        var fromChild: (read: Int32, write: Int32) = (-1, -1)
        func closePipes() {
            for descriptor in [toChild.read, toChild.write, fromChild.read, fromChild.write] where descriptor >= 0 { close(descriptor) }
        }
        do {
            toChild = try Posix.pipe()
            fromChild = try Posix.pipe()
        } catch {
            closePipes()
            throw SpawnError("cannot create the pipes to a parse worker", cause: error)
        }
        // The ends the child gets are copied onto its 0 and 1 (and the ring onto 3). Moving one
        // closes the original, moved or not: forget it before.
        do {
            let childInput = toChild.read
            toChild.read = -1
            toChild.read = try clearOfChildDescriptors(childInput)
            let childOutput = fromChild.write
            fromChild.write = -1
            fromChild.write = try clearOfChildDescriptors(childOutput)
        } catch {
            closePipes()
            throw SpawnError("cannot move a parse worker's pipe clear of descriptors 0 to 3", cause: error)
        }
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        // dup2 clears close-on-exec on the child's 0 and 1.
        posix_spawn_file_actions_adddup2(&fileActions, toChild.read, 0)
        posix_spawn_file_actions_adddup2(&fileActions, fromChild.write, 1)
        if let bodyRing {
            // glibc clears close-on-exec also when the two numbers are the same.
            posix_spawn_file_actions_adddup2(&fileActions, bodyRing, bodyRingDescriptor)
        }
        // Then close everything else the parent has open (after the dup2s, so 0, 1 and 3 stay).
        // Close-on-exec is not enough: NIO's accepted sockets and curl's sockets lack it, and a
        // worker holding a socket keeps its connection alive after the parent closes it (no FIN;
        // with SO_LINGER 0, no RST either: the fault host's /reset then hangs its client).
        do {
            try Posix.addCloseFrom(&fileActions, lowest: bodyRing == nil ? 3 : bodyRingDescriptor + 1)
        } catch {
            closePipes()
            throw SpawnError("cannot keep the crawler's other descriptors out of a parse worker", cause: error)
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

        let pid: pid_t
        do {
            pid = try Posix.spawn(executable, arguments: [executable] + arguments, fileActions: &fileActions, attributes: &attributes)
        } catch {
            closePipes()
            throw SpawnError("cannot start the parse worker \(executable)", cause: error)
        }
        close(toChild.read)
        close(fromChild.write)
        // Room for a full batch of pages in flight each way, so neither side waits on the
        // pipe (64 KiB by default; if the system caps it lower, writes just wait for room).
        _ = try? Posix.setPipeSize(toChild.write, bytes: pipeBytes)
        _ = try? Posix.setPipeSize(fromChild.read, bytes: pipeBytes)
        try? Posix.setNonBlocking(toChild.write)
        try? Posix.setNonBlocking(fromChild.read)
        return WorkerProcess(pid: pid, requestFD: toChild.write, responseFD: fromChild.read)
    }

    /// Kills the worker (if `force`), closes the pipes and reaps it.
    func end(force: Bool) -> Ending {
        if force { kill(pid, SIGKILL) }
        close(requestFD)
        close(responseFD)
        // A failed wait (the child was reaped already) reads as status 0, as it always has.
        let status = (try? Posix.waitpid(pid)) ?? 0
        // WIFEXITED/WTERMSIG are macros Swift cannot see.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }
}

/// A parse worker (or what the engine needs to run one: its pipes, its body ring, its
/// drivers' wake-ups) could not be set up. Keeps the system call that failed, so a caller can
/// tell "out of descriptors" from "no such executable".
struct SpawnError: Error, CustomStringConvertible {
    /// What the engine could not do, in words ("cannot create the pipes to a parse worker").
    let action: String
    /// The system call that failed, if one did.
    let cause: SystemCallError?

    init(_ action: String, cause: SystemCallError? = nil) {
        self.action = action
        self.cause = cause
    }

    /// The error number of the call that failed, if one did.
    var errno: Int32? { cause?.errno }

    /// What happened, what the system said, and what to do when that is something a user can
    /// change: "cannot create the pipes to a parse worker: pipe2 failed: Too many open files
    /// (errno 24); raise the open-file limit (ulimit -n) or run fewer parse workers".
    var description: String {
        guard let cause else { return action }
        let remedy: String? =
            switch cause.errno {
            case EMFILE, ENFILE: "raise the open-file limit (ulimit -n) or run fewer parse workers"
            case ENOMEM, EAGAIN: "the system is short of memory or processes; run fewer parse workers or free memory"
            case ENOENT, EACCES, ENOEXEC: "check that the crawler's executable is still in place and executable"
            default: nil
            }
        return "\(action): \(cause)" + (remedy.map { "; \($0)" } ?? "")
    }
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
