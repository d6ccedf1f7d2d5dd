import Foundation
import Testing

/// Runs the real `crawler` binary and collects what it printed.
struct CrawlerRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `crawler arguments…` to completion with `input` on its standard input, started by
    /// `shell` (a `/bin/sh -c` script that ends in `exec "$@"`) when one is given.
    static func run(_ arguments: [String], input: Data? = nil, shell: String? = nil) async throws -> CrawlerRun {
        let process = try start(arguments, input: input, shell: shell)
        return await process.finish()
    }

    /// Starts `crawler arguments…` without waiting for it.
    static func start(_ arguments: [String], input: Data? = nil, shell: String? = nil) throws -> RunningCrawler {
        let process = Process()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell, "sh", CrawlerBinary.url.path] + arguments
        } else {
            process.executableURL = CrawlerBinary.url
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        try process.run()
        if let inputPipe, let input {
            // Written on a thread of its own: a pipe holds 64 KB, and the cooperative pool must not block.
            let writer = inputPipe.fileHandleForWriting
            Thread {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }.start()
        }
        return RunningCrawler(process: process, stdout: out, stderr: err)
    }
}

/// A `crawler` process started by a test.
struct RunningCrawler: @unchecked Sendable {
    // Sendable proof: Process and Pipe are only touched through their thread-safe calls
    // (terminate, processIdentifier, waitUntilExit, reading a pipe's handle to its end).
    let process: Process
    let stdout: Pipe
    let stderr: Pipe

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit and reads both outputs (read concurrently so a full pipe never blocks it).
    func finish() async -> CrawlerRun {
        async let out = Task.detached { String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }.value
        async let err = Task.detached { String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }.value
        let (o, e) = await (out, err)
        await Task.detached { process.waitUntilExit() }.value
        return CrawlerRun(status: process.terminationStatus, stdout: o, stderr: e)
    }
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("crawler-it-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
