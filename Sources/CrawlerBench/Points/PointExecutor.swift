import Foundation
import Subprocess
import SystemPackage

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

/// Runs one point in a child process, through swift-subprocess.
enum ChildPoint {
    /// The most a child may print on standard output. A measurement is a few KB of JSON; the
    /// limit is generous (64 MiB) so no point's answer is ever cut, yet bounded so a runaway
    /// child cannot fill the bench's memory (Subprocess's own default is 128 KiB).
    static let outputLimit = 64 << 20
    /// The most of a child's standard error kept for the message (1 MiB: a crash report fits).
    static let errorLimit = 1 << 20

    static func measure(_ point: BenchPoint, executable: URL, arguments: [String]) async throws -> PointMeasurement {
        let input = try JSONEncoder().encode(point)
        let (status, output, errors) = try await run(executable: executable, arguments: arguments, input: input)
        guard status.isSuccess else {
            let detail = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchError.point("a measured point failed (\(executable.lastPathComponent) \(describe(status))): \(detail.isEmpty ? "no message" : detail)")
        }
        do {
            return try JSONDecoder().decode(PointMeasurement.self, from: output)
        } catch {
            throw BenchError.point("a measured point answered with something that is not a measurement: \(String(decoding: output.prefix(200), as: UTF8.self))")
        }
    }

    /// Runs the child to its end, feeding it `input`, and collects both outputs.
    private static func run(executable: URL, arguments: [String], input: Data) async throws -> (TerminationStatus, Data, Data) {
        // A child that exits without reading its point is reported by its status and standard
        // error: Subprocess stops writing once it sees the exit, but a write racing with the exit
        // meets a closed pipe, so SIGPIPE is ignored (as the process parse engine does) and a
        // failed write is not an error of its own.
        signal(SIGPIPE, SIG_IGN)
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable.path)),
                arguments: Arguments(arguments),
                input: .inputWriter,
                output: .data(limit: outputLimit),
                error: .data(limit: errorLimit)
            ) { execution in
                _ = try? await execution.standardInputWriter.write(Array(input))
                try? await execution.standardInputWriter.finish()
            }
            return (result.terminationStatus, result.standardOutput, result.standardError)
        } catch let error as SubprocessError where error.code == .outputLimitExceeded {
            throw BenchError.point("a measured point printed more than \(outputLimit >> 20) MiB on standard output or \(errorLimit >> 20) MiB on standard error (\(executable.path)); no measurement is that large")
        } catch let error as SubprocessError where [.spawnFailed, .executableNotFound, .failedToChangeWorkingDirectory].contains(error.code) {
            throw BenchError.point("could not start \(executable.path) to measure a point: \(error)")
        } catch {
            // Started, then lost: its output could not be read or its exit not awaited.
            throw BenchError.point("lost a measured point's child process (\(executable.path)): \(error)")
        }
    }

    private static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "was killed by signal \(signal)"
        }
    }
}
