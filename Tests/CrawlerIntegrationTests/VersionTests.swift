import Foundation
import Testing

/// Locates the `crawler` binary next to the test bundle (the build products directory).
enum CrawlerBinary {
    static var url: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("crawler")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("crawler")
    }
}

@Test func versionFlagPrintsTheLibraries() async throws {
    let run = try await CrawlerRun.run(["--version"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("SwiftCrawler"))
    #expect(run.stdout.contains("libcurl"))
}
