import Testing
@testable import SyntheticWeb

struct HostSizesTests {
    /// Zipf sizes: every page given out, every host with its home page, sizes falling with the
    /// host's rank, and the largest host with about half the pages.
    @Test(arguments: [(40, 4000), (16, 40_000), (3, 90), (2, 10)])
    func zipfGivesTheLargestHostAboutHalf(hosts: Int, pages: Int) {
        let counts = HostSizes.zipf.pageCounts(pages: pages, hosts: hosts)
        #expect(counts.count == hosts)
        #expect(counts.reduce(0, +) == pages)
        #expect(counts.allSatisfy { $0 >= 1 })
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 })
        let share = Double(counts[0]) / Double(pages)
        #expect(share > 0.45 && share < 0.56, "largest host has \(counts[0]) of \(pages)")
    }

    @Test func equalSizesDifferByOneAtMost() {
        let counts = HostSizes.equal.pageCounts(pages: 1003, hosts: 4)
        #expect(counts == [251, 251, 251, 250])
    }

    /// The web a zipf configuration builds has those sizes, and its answer key lists them all.
    @Test func aZipfWebServesThoseSizes() {
        var config = SyntheticWebConfig(seed: 3, hosts: 6, pages: 300, meanPageKB: 2, port: 0)
        config.hostSizes = .zipf
        let model = SiteModel(config: config, port: 8080)
        #expect(model.hostPageRanges.map(\.count) == HostSizes.zipf.pageCounts(pages: 300, hosts: 6))
        #expect(model.contentPageURLs.count == 300)
    }

    /// Fewer pages than hosts (`bench-parse --pages 4` on a 4-host web): some hosts have none,
    /// and links that would go to them go offsite instead of crashing the generator.
    @Test func aWebWithFewerPagesThanHostsBuilds() {
        let model = SiteModel(config: SyntheticWebConfig(seed: 7, hosts: 8, pages: 3, meanPageKB: 24, port: 0), port: 8080)
        #expect(model.contentPageURLs.count == 3)
        #expect(model.hostPageRanges.contains { $0.isEmpty })
    }
}
