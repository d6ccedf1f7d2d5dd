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

    /// Swift reads "\r\n" as one Character: a CRLF file once became a single (invalid) line.
    @Test func crlfLineEndsAndAByteOrderMarkAreAccepted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seeds-\(UUID().uuidString).txt").path
        let text = "\u{FEFF}http://127.0.0.2:8080/\r\n# comment\r\nhttp://127.0.0.3:8080/a\r\n\r\nnot a url\r\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        let seeds = try SeedList(arguments: [path])
        #expect(seeds.urls.map(\.string) == ["http://127.0.0.2:8080/", "http://127.0.0.3:8080/a"])
        #expect(seeds.problems.map(\.line) == [5])
    }

    @Test func aDashReadsTheListFromStandardInput() throws {
        var reads = 0
        let seeds = try SeedList(arguments: ["-", "http://127.0.0.4:8080/", "-"]) {
            reads += 1
            return Data("http://127.0.0.2:8080/\nbad\n".utf8)
        }
        #expect(reads == 1)
        #expect(seeds.urls.map(\.string) == ["http://127.0.0.2:8080/", "http://127.0.0.4:8080/"])
        #expect(seeds.problems.first?.description.hasPrefix("standard input:2: skipped bad") == true)
    }

    /// A password in a seed would be stored in the database and every export: refused, and the
    /// message does not repeat it.
    @Test func seedsWithCredentialsAreRefusedWithoutRepeatingThem() throws {
        let path = try file("http://127.0.0.2:8080/\nhttps://alice:s3cret@127.0.0.3/private\n")
        let error = try #require(throws: SeedListError.self) { try SeedList(arguments: [path]) }
        #expect(error == .credentials(place: "\(path):2", redactedURL: "https://***@127.0.0.3/private"))
        #expect(!error.description.contains("s3cret") && !error.description.contains("alice"))
        #expect(throws: SeedListError.self) { try SeedList(arguments: ["http://bob@127.0.0.2/"]) }
        #expect(try SeedList(arguments: ["http://127.0.0.2/a@b"]).urls.count == 1, "an @ in the path is no credential")
    }
}
