import CrawlerCore
import Foundation
import TestSupport
import Testing

@testable import CrawlerParse

/// A worker must not outlive the process that started it, even when that process is killed -9
/// and the worker's stdin stays open (so end-of-file cannot be what ends it).
/// (The time limit: a worker that never answers would leave the test reading its pipe.)
@Suite(.timeLimit(.minutes(2))) struct WorkerLifetimeTests {
    /// Whether `pid` is gone or a zombie.
    static func isDead(_ pid: Int32) -> Bool {
        let state = processState(pid)
        return state == nil || state == "Z"
    }

    /// Reads `handle` (off the cooperative pool) onto `bytes` until `done` holds for them;
    /// false if the pipe ended first.
    static func read(_ handle: FileHandle, onto bytes: inout [UInt8], until done: @escaping @Sendable ([UInt8]) -> Bool) async -> Bool {
        let start = bytes
        let (read, complete) = await onOwnThread { () -> ([UInt8], Bool) in
            var read = start
            while !done(read) {
                let data = handle.availableData
                if data.isEmpty { return (read, false) }
                read += data
            }
            return (read, true)
        }
        bytes = read
        return complete
    }

    @Test func workerDiesWithItsParent() async throws {
        let binary = try workerExecutable()
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell starts the worker as its own child, on the shell's stdin (a pipe this test
        // keeps open) and stdout, prints the worker's pid and waits.
        shell.arguments = ["-c", "exec 3<&0; \"$0\" worker <&3 & echo $!; wait", binary]
        let input = Pipe()
        let output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        shell.standardError = FileHandle.nullDevice  // an orphaned worker must not hold the test runner's stderr
        try shell.run()
        let shellPID = shell.processIdentifier
        var bytes: [UInt8] = []
        #expect(await Self.read(output.fileHandleForReading, onto: &bytes) { $0.contains(UInt8(ascii: "\n")) })
        // The worker's ready frame shares the pipe with the pid line and may come first
        // (a pipe write this short is atomic, so it is whole).
        let readyFrame: [UInt8] = [1, 0, 0, 0, 0x84]
        if bytes.starts(with: readyFrame) { bytes.removeFirst(readyFrame.count) }
        let newline = try #require(bytes.firstIndex(of: UInt8(ascii: "\n")))
        let workerPID = try #require(Int32(String(decoding: bytes[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespaces)))
        // A page parsed and answered means the worker is past its start, where it asks for
        // PR_SET_PDEATHSIG (however long a loaded machine takes to get it there).
        let url = NormalizedURL("http://127.0.0.1/")!
        try input.fileHandleForWriting.write(contentsOf: Data(WireRoundTrip.requestFrame(for: ParseJob(url: url, body: Array("<a href=/a>a</a>".utf8)))))
        var answer = Array(bytes[(newline + 1)...])
        #expect(await Self.read(output.fileHandleForReading, onto: &answer) { (try? WireRoundTrip.decodeResponse($0)) != nil })
        #expect(try WireRoundTrip.decodeResponse(answer)?.links.map(\.target.path) == ["/a"])
        #expect(!Self.isDead(workerPID))
        kill(shellPID, SIGKILL)
        var dead = false
        for _ in 0..<200 where !dead {
            try await Task.sleep(for: .milliseconds(50))
            dead = Self.isDead(workerPID)
        }
        #expect(dead, "worker \(workerPID) outlived its parent")
        if !dead { kill(workerPID, SIGKILL) }
        try input.fileHandleForWriting.close()
        await onOwnThread { shell.waitUntilExit() }
    }
}
