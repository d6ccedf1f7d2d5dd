import CrawlerCore
import Foundation
import Testing
@testable import Crawler

struct SeedListTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seeds-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsFilesAndURLsSkippingCommentsAndBadLines() throws {
        let path = try file("""
            # the synthetic web
            http://127.0.0.2:8080/

              HTTP://127.0.0.3:8080/index.html   # trailing comment
            not a url
            mailto:someone@example.com
            http://127.0.0.2:8080/
            """)
        let seeds = try SeedList(arguments: [path, "http://127.0.0.4:8080/x"])
        #expect(seeds.urls.map(\.string) == ["http://127.0.0.2:8080/", "http://127.0.0.3:8080/index.html", "http://127.0.0.4:8080/x"])
        #expect(seeds.problems.map(\.line) == [5, 6])
        #expect(seeds.problems[0].description.hasPrefix("\(path):5: skipped not a url"))
    }

    @Test func missingFileAndNoSeedsAreClearErrors() throws {
        #expect(throws: SeedListError.missingFile("/nonexistent/seeds.txt")) { try SeedList(arguments: ["/nonexistent/seeds.txt"]) }
        let empty = try file("# nothing here\n")
        #expect(throws: SeedListError.noSeeds(arguments: [empty], problems: 0)) { try SeedList(arguments: [empty]) }
        #expect(throws: SeedListError.unreadableFile("/tmp")) { try SeedList(arguments: ["/tmp"]) }
    }
}
