import CrawlerCore
import Foundation
import Testing

@testable import CrawlerBench

/// A point measured in a child process: the point goes in on standard input, the measurement
/// comes back on standard output, and a child that fails says how and why. The children here
/// are shell scripts standing in for `crawler bench --point`.
@Suite struct ChildPointTests {
    private static let shell = URL(fileURLWithPath: "/bin/sh")

    /// A fetch point of `urls` URLs (its JSON is about 40 bytes a URL).
    private static func point(urls: Int = 2) -> BenchPoint {
        .fetch(FetchPoint(model: .async, inFlight: 1, urls: (0..<urls).map { "http://127.0.0.1:8080/page/\($0)" }, latencyMs: nil))
    }

    private static func measure(_ script: String, _ arguments: [String] = [], point: BenchPoint = point()) async throws -> PointMeasurement {
        try await PointExecutor.childProcess(executable: shell, arguments: ["-c", script, "sh"] + arguments).measure(point)
    }

    private static func message(of body: () async throws -> PointMeasurement) async -> String? {
        do {
            _ = try await body()
            return nil
        } catch let error as BenchError {
            return error.description
        } catch {
            return "not a BenchError: \(error)"
        }
    }

    @Test func theChildsAnswerIsTheMeasurement() async throws {
        let measurement = PointMeasurement.fetch(FetchMeasurement(
            pages: 2, failures: 0, bodyBytes: 2048, wallSeconds: 0.5, pagesPerSecond: 4,
            latency: LatencyPercentiles(p50: 1, p90: 2, p99: 3, max: 4), cpuSecondsPer1000Pages: 0.25,
            peakRSSBytes: 1 << 20, threads: 3))
        let answer = String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self)
        // The script reads its point to the end first, as `crawler bench --point` does.
        #expect(try await Self.measure("cat > /dev/null; printf '%s' \"$1\"", [answer]) == measurement)
    }

    @Test func thePointArrivesOnStandardInput() async throws {
        // Echoed back, the point is not a measurement: the error quotes what the child said.
        let message = await Self.message { try await Self.measure("cat") }
        #expect(message?.hasPrefix("a measured point answered with something that is not a measurement: {\"fetch\":") == true, "\(message ?? "no error")")
    }

    @Test func aChildThatFailsGivesItsStatusAndItsMessage() async throws {
        // The child exits without reading a point larger than a pipe holds (2 MB): the bench
        // reports the child's exit, not a broken pipe, and is not killed by SIGPIPE.
        let message = await Self.message {
            try await Self.measure("echo 'no point for me' >&2; exit 3", point: Self.point(urls: 50_000))
        }
        #expect(message == "a measured point failed (sh exited with status 3): no point for me")
    }

    @Test func aChildKilledBySignalSaysSo() async throws {
        let message = await Self.message { try await Self.measure("cat > /dev/null; kill -KILL $$") }
        #expect(message == "a measured point failed (sh was killed by signal 9): no message")
    }

    @Test func anAnswerLargerThanSubprocesssDefaultLimitIsReadWhole() async throws {
        // 1 MB of output, beyond swift-subprocess's 128 KiB default: read, then refused as not a measurement.
        let message = await Self.message { try await Self.measure("cat > /dev/null; head -c 1000000 /dev/zero | tr '\\0' x") }
        #expect(message == "a measured point answered with something that is not a measurement: " + String(repeating: "x", count: 200))
    }

    @Test func aChildThatPrintsPastTheLimitIsRefused() async throws {
        // 2 MB on standard error, past its 1 MiB limit: refused with the limits named, not hung.
        let message = await Self.message { try await Self.measure("cat > /dev/null; head -c 2000000 /dev/zero >&2; exit 1") }
        #expect(message?.hasPrefix("a measured point printed more than 64 MiB on standard output or 1 MiB on standard error") == true, "\(message ?? "no error")")
    }

    @Test func aMissingExecutableCannotStart() async throws {
        let missing = URL(fileURLWithPath: "/nonexistent/crawler")
        let message = await Self.message {
            try await PointExecutor.childProcess(executable: missing, arguments: ["bench", "--point"]).measure(Self.point())
        }
        #expect(message?.hasPrefix("could not start /nonexistent/crawler to measure a point: ") == true, "\(message ?? "no error")")
    }
}
