import CTestSupport
import Foundation
import Synchronization

/// A child process started by a test, whose output is read and whose exit is awaited on
/// threads of their own, never on the cooperative pool.
///
/// Started with `posix_spawn` and reaped by a thread blocked in `waitpid` on its own pid, not
/// with Foundation's `Process`: on Linux, `Process.waitUntilExit` polls a run loop, and was seen
/// spinning a core at 100% for hours after `pg_ctl start` had exited. Every pipe end is opened
/// close-on-exec, so a long-lived grandchild (a server `pg_ctl` starts) never holds another
/// child's output open.
public final class ChildProcess: Sendable {
    /// The exit, once the waiter thread has reaped the process, and who is waiting for it.
    private struct ExitState {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    public let pid: Int32
    private let standardOutput: Int32?
    private let standardError: Int32?
    private let exit = Mutex(ExitState())

    /// How the process ended and what it printed.
    public struct Finished: Sendable {
        /// The exit status, or the signal's number when `signaled`.
        public var status: Int32
        /// Ended by a signal (a kill), not by exiting.
        public var signaled: Bool
        public var standardOutput: String
        public var standardError: String
    }

    /// Starts `executable` with `arguments`, stdin on /dev/null or fed `input`; `environment`
    /// nil inherits this process's. With `captureOutput` false, stdout and stderr go to /dev/null.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, captureOutput: Bool = true, input: Data? = nil) throws {
        var closeInParent: [Int32] = []
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        var inputWriter: Int32?
        if input != nil {
            let (read, write) = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, read, 0)
            closeInParent.append(read)
            inputWriter = write
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        var outputs: [Int32?] = []
        for target in [Int32(1), 2] {
            if captureOutput {
                let (read, write) = try Self.pipe()
                posix_spawn_file_actions_adddup2(&actions, write, target)
                closeInParent.append(write)
                outputs.append(read)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                outputs.append(nil)
            }
        }
        cts_spawn_file_actions_addclosefrom(&actions, 3)
        standardOutput = outputs[0]
        standardError = outputs[1]

        // Signals back to their defaults and none blocked, whatever this test process set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var spawned: pid_t = 0
        let result = Self.withCStrings([executable.path] + arguments) { argv in
            Self.withCStrings(environmentLines) { envp in
                posix_spawn(&spawned, executable.path, &actions, &attributes, argv, envp)
            }
        }
        for descriptor in closeInParent { close(descriptor) }
        guard result == 0 else {
            for descriptor in [inputWriter, standardOutput, standardError].compactMap({ $0 }) { close(descriptor) }
            throw ChildProcessError(description: "could not start \(executable.path): \(String(cString: strerror(result)))")
        }
        pid = spawned

        let child = spawned
        Thread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0, errno == EINTR {}
            let waiters = self.exit.withLock { state in
                state.status = status
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }.start()

        if let inputWriter, let input {
            // Written on a thread of its own: a pipe holds 64 KB, and the cooperative pool must not block.
            Thread {
                let handle = FileHandle(fileDescriptor: inputWriter, closeOnDealloc: true)
                try? handle.write(contentsOf: input)
                try? handle.close()
            }.start()
        }
    }

    /// Runs `executable` to its end.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws -> Finished {
        try await ChildProcess(executable, arguments, environment: environment).finish()
    }

    /// Not yet reaped.
    public var isRunning: Bool { exit.withLock { $0.status == nil } }

    /// Sends `signal` to the process, unless it has already been reaped (its pid may be reused).
    public func send(_ signal: Int32) {
        exit.withLock { state in
            if state.status == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for the exit, reading both outputs meanwhile (each on its own thread, so a full
    /// pipe never blocks the child).
    public func finish() async -> Finished {
        async let output = Self.readToEnd(standardOutput)
        async let errors = Self.readToEnd(standardError)
        let (printed, complained) = await (output, errors)
        let status = await exitStatus()
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Finished(
            status: signaled ? status & 0x7f : (status >> 8) & 0xff, signaled: signaled,
            standardOutput: printed, standardError: complained)
    }

    /// The raw `waitpid` status, once the process has ended.
    private func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known: Int32? = exit.withLock { state in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    private static func readToEnd(_ descriptor: Int32?) async -> String {
        guard let descriptor else { return "" }
        return await onOwnThread {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard cts_pipe_cloexec(&ends) == 0 else {
            throw ChildProcessError(description: "pipe2 failed: \(String(cString: strerror(errno)))")
        }
        return (ends[0], ends[1])
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}

/// A child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
}
