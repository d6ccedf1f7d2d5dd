import CrawlerCore
import Foundation
import SyntheticWeb
import TestSupport
import Testing

/// `crawler export --internal-only` and `--kinds` on a real crawl of the synthetic web.
@Suite struct ExportFilterCommandTests {
    @Test func internalOnlyKeepsTheCrawlsScopeAndKindsKeepTheirLinks() async throws {
        let config = SyntheticWebConfig(seed: 11, hosts: 3, pages: 60, meanPageKB: 6, port: 0)
        let server = try await SyntheticWebServer.start(config)
        let directory = try temporaryDirectory()
        let database = directory.appendingPathComponent("crawl.sqlite").path
        // Seeded with the first host only: the other hosts' pages it links to are out of scope.
        let seed = server.seedURLs[0]
        let crawl = try await CrawlerRun.run(["crawl", seed.string, "--db", database, "--fetch-concurrency", "4"])
        try await server.shutdown()
        #expect(crawl.status == 0, "\(crawl.stderr)")

        func targets(_ extra: [String]) async throws -> [(source: String, target: String)] {
            let output = directory.appendingPathComponent("edges-\(UUID().uuidString).tsv").path
            let run = try await CrawlerRun.run(["export", "--db", database, "--format", "edgelist", "--output", output] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map {
                let fields = $0.split(separator: "\t")
                return (String(fields[0]), String(fields[1]))
            }
        }
        let origin = "\(seed.scheme)://\(seed.authority)/"
        let all = try await targets([])
        #expect(all.contains { !$0.target.hasPrefix(origin) }, "the crawl met links to other hosts")
        let inside = try await targets(["--internal-only"])
        #expect(!inside.isEmpty)
        #expect(inside.allSatisfy { $0.source.hasPrefix(origin) && $0.target.hasPrefix(origin) })
        #expect(inside.count == all.filter { $0.target.hasPrefix(origin) }.count)

        let resources = try await targets(["--kinds", "img,script"])
        #expect(!resources.isEmpty)
        #expect(resources.allSatisfy { $0.target.hasSuffix(".png") || $0.target.hasSuffix(".js") })

        let bad = try await CrawlerRun.run(["export", "--db", database, "--format", "csv", "--kinds", "a,pictures"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'pictures' is not a link kind or role"), "\(bad.stderr)")
    }
}
