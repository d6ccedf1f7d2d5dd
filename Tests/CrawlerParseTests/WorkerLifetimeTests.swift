import Foundation
import Testing

/// A worker must not outlive the process that started it, even when that process is killed -9
/// and the worker's stdin stays open (so end-of-file cannot be what ends it).
@Suite struct WorkerLifetimeTests {
    /// Whether `pid` is gone or a zombie.
    static func isDead(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    @Test func workerDiesWithItsParent() async throws {
        let binary = try #require(WorkerBinary.path)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell starts the worker as its own child, on the shell's stdin (a pipe this test
        // keeps open), prints the worker's pid and waits.
        shell.arguments = ["-c", "exec 3<&0; \"$0\" worker <&3 & echo $!; wait", binary]
        let input = Pipe()
        let output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        shell.standardError = FileHandle.nullDevice  // an orphaned worker must not hold the test runner's stderr
        try shell.run()
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let workerPID = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        try await Task.sleep(for: .milliseconds(300))  // let the worker set PR_SET_PDEATHSIG
        #expect(!Self.isDead(workerPID))
        kill(shell.processIdentifier, SIGKILL)
        var dead = false
        for _ in 0..<50 where !dead {
            try await Task.sleep(for: .milliseconds(50))
            dead = Self.isDead(workerPID)
        }
        #expect(dead, "worker \(workerPID) outlived its parent")
        if !dead { kill(workerPID, SIGKILL) }
        try input.fileHandleForWriting.close()
        shell.waitUntilExit()
    }
}
