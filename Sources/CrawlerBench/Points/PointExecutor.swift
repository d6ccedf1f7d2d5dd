import Foundation
import Synchronization

/// Where measured points run.
public enum PointExecutor: Sendable {
    /// Each point in a fresh child process (`executable` + `arguments`, the point as JSON on its
    /// standard input, the measurement as JSON on its standard output): peak memory and thread
    /// counts are that point's alone, and the embedded web's CPU stays in the parent.
    case childProcess(executable: URL, arguments: [String])
    /// In this process (tests, or a library user without the CLI): peak memory is then the
    /// process's lifetime peak, and the server's CPU is counted with the client's.
    case inProcess(workerExecutable: URL?)

    /// Measures one point.
    public func measure(_ point: BenchPoint) async throws -> PointMeasurement {
        switch self {
        case .inProcess(let workerExecutable):
            return try await Self.measureHere(point, workerExecutable: workerExecutable)
        case .childProcess(let executable, let arguments):
            return try await ChildPoint.measure(point, executable: executable, arguments: arguments)
        }
    }

    /// Measures `point` in this process: what the child process runs.
    public static func measureHere(_ point: BenchPoint, workerExecutable: URL? = nil) async throws -> PointMeasurement {
        switch point {
        case .fetch(let fetch): .fetch(try await FetchPointRunner.run(fetch))
        case .parse(let parse): .parse(try await ParsePointRunner.run(parse, workerExecutable: workerExecutable))
        case .crawl(let crawl): .crawl(try await CrawlPointRunner.run(crawl, workerExecutable: workerExecutable))
        }
    }

    /// Reads a point from `input`, measures it here, and returns the measurement as JSON: the
    /// body of the hidden `crawler bench --point`.
    public static func answerPoint(input: Data) async throws -> Data {
        let point = try JSONDecoder().decode(BenchPoint.self, from: input)
        return try JSONEncoder().encode(try await measureHere(point))
    }
}

/// Runs one point in a child process.
enum ChildPoint {
    static func measure(_ point: BenchPoint, executable: URL, arguments: [String]) async throws -> PointMeasurement {
        let input = try JSONEncoder().encode(point)
        let (status, output, errors) = try await run(executable: executable, arguments: arguments, input: input)
        guard status == 0 else {
            let detail = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchError.point("a measured point failed (\(executable.lastPathComponent) exited with status \(status)): \(detail.isEmpty ? "no message" : detail)")
        }
        do {
            return try JSONDecoder().decode(PointMeasurement.self, from: output)
        } catch {
            throw BenchError.point("a measured point answered with something that is not a measurement: \(String(decoding: output.prefix(200), as: UTF8.self))")
        }
    }

    /// Runs the child to completion on a dispatch thread (Process blocks), feeding `input`.
    private static func run(executable: URL, arguments: [String], input: Data) async throws -> (Int32, Data, Data) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                let stdin = Pipe()
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardInput = stdin
                process.standardOutput = stdout
                process.standardError = stderr
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: BenchError.point("could not start \(executable.path) to measure a point: \(error)"))
                    return
                }
                // Standard error is drained on its own thread so a chatty child cannot block on a full pipe.
                let errorBox = DataBox()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errorBox.set(stderr.fileHandleForReading.readDataToEndOfFile())
                    group.leave()
                }
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, output, errorBox.get()))
            }
        }
    }
}

/// Hands one `Data` from the thread that reads it to the thread that waits for it.
private final class DataBox: Sendable {
    private let data = Mutex(Data())

    func set(_ value: Data) { data.withLock { $0 = value } }
    func get() -> Data { data.withLock { $0 } }
}
