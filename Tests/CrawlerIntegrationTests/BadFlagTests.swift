import Foundation
import TestSupport
import Testing

/// Input that once crashed the binary gets a clear message naming the flag instead.
@Suite struct BadFlagTests {
    static let cases: [[String]] = [
        ["crawl", "http://127.0.0.1:1/", "--timeout", "1e300"],
        ["crawl", "http://127.0.0.1:1/", "--connect-timeout", "1e300"],
        ["crawl", "http://127.0.0.1:1/", "--parse-timeout", "1e300"],
        ["crawl", "http://127.0.0.1:1/", "--timeout", "inf"],
        ["crawl", "http://127.0.0.1:1/", "--timeout", "nan"],
        ["crawl", "http://127.0.0.1:1/", "--parse-workers", "1000"],
        ["crawl", "http://127.0.0.1:1/", "--delay", "9999999999"],
        ["crawl", "http://127.0.0.1:1/", "--user-agent", "bot\r\nX-Injected: 1"],
        ["serve", "--max-seconds", "inf"],
        ["serve", "--slow-seconds", "1e300"],
        ["stats", "--top", "0"],
        ["demo", "--latency", "999999"],
    ]

    @Test(arguments: cases)
    func outOfRangeValuesAreRefusedByName(arguments: [String]) async throws {
        let database = try temporaryDirectory().appendingPathComponent("c.sqlite").path
        let run = try await CrawlerRun.run(arguments + (arguments[0] == "crawl" ? ["--db", database] : []))
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
        let flag = arguments.first { $0.hasPrefix("--") }!
        #expect(run.stderr.contains("Error: \(flag)"), "\(run.stderr)")
        #expect(!run.stderr.contains("EncodingError") && !run.stderr.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
