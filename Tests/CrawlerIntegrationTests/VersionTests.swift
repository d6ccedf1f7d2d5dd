import Foundation
import Testing

@Test func versionFlagPrintsTheLibraries() async throws {
    let run = try await CrawlerRun.run(["--version"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("SwiftCrawler"))
    #expect(run.stdout.contains("libcurl"))
}
