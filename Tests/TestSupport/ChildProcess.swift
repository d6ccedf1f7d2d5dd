import Foundation

/// A child process started by a test, whose output is read and whose exit is awaited on
/// threads of their own (`onOwnThread`), never on the cooperative pool.
public final class ChildProcess: @unchecked Sendable {
    // Sendable proof: after `init`, `process` and the pipes are only touched through their
    // thread-safe calls (processIdentifier, isRunning, waitUntilExit, the termination
    // properties after the exit, reading a pipe's handle to its end).
    private let process: Process
    private let standardOutput: Pipe?
    private let standardError: Pipe?

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
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        standardOutput = captureOutput ? Pipe() : nil
        standardError = captureOutput ? Pipe() : nil
        process.standardOutput = standardOutput ?? FileHandle.nullDevice
        process.standardError = standardError ?? FileHandle.nullDevice
        try process.run()
        if let inputPipe, let input {
            // Written on a thread of its own: a pipe holds 64 KB, and the cooperative pool must not block.
            let writer = inputPipe.fileHandleForWriting
            Thread {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }.start()
        }
    }

    /// Runs `executable` to its end.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws -> Finished {
        try await ChildProcess(executable, arguments, environment: environment).finish()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit, reading both outputs meanwhile (each on its own thread, so a full
    /// pipe never blocks the child).
    public func finish() async -> Finished {
        async let output = Self.readToEnd(standardOutput)
        async let errors = Self.readToEnd(standardError)
        let (printed, complained) = await (output, errors)
        await onOwnThread { self.process.waitUntilExit() }
        return Finished(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            standardOutput: printed, standardError: complained)
    }

    private static func readToEnd(_ pipe: Pipe?) async -> String {
        guard let handle = pipe?.fileHandleForReading else { return "" }
        return await onOwnThread { String(decoding: handle.readDataToEndOfFile(), as: UTF8.self) }
    }
}
