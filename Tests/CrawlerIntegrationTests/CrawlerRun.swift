import Foundation
import TestSupport
import Testing

/// Runs the real `crawler` binary and collects what it printed.
struct CrawlerRun {
    var status: Int32
    /// Killed by the signal `status`, not exited.
    var signaled = false
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
        if let shell {
            return RunningCrawler(child: try ChildProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", shell, "sh", CrawlerBinary.url.path] + arguments, input: input))
        }
        return RunningCrawler(child: try ChildProcess(CrawlerBinary.url, arguments, input: input))
    }
}

/// A `crawler` process started by a test.
struct RunningCrawler: Sendable {
    let child: ChildProcess

    var pid: Int32 { child.pid }
    var isRunning: Bool { child.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { child.send(signal) }

    /// Waits for the exit and reads both outputs, off the cooperative pool (a test blocking a
    /// pool thread there stalls every other test's tasks). `status` is the signal's number
    /// when the process was killed.
    func finish() async -> CrawlerRun {
        let finished = await child.finish()
        return CrawlerRun(status: finished.status, signaled: finished.signaled, stdout: finished.standardOutput, stderr: finished.standardError)
    }
}
