import CrawlerCore
import Testing
@testable import Crawler

/// What `--resume` keeps from the stored crawl and what it takes from the command line.
struct ResumeSettingsTests {
    func settings(_ edit: (inout FrontierOptions) -> Void, seeds: [String] = ["http://127.0.0.2/"]) -> CrawlSettings {
        var frontier = FrontierOptions()
        edit(&frontier)
        return CrawlSettings(seeds: seeds.compactMap(NormalizedURL.init), frontier: frontier)
    }

    /// A crawl stopped by --max-pages could never continue: the stored limit was always kept.
    @Test func aNewMaxPagesApplies() {
        let stored = settings { $0.maxPages = 5; $0.maxDepth = 3 }
        let merged = ResumeSettings(stored: stored, requested: settings({ $0.maxPages = 50 }, seeds: []))
        #expect(merged.settings.frontier.maxPages == 50)
        #expect(merged.settings.frontier.maxDepth == 3)
        #expect(merged.settings.seeds == stored.seeds)
        #expect(merged.ignored.isEmpty, "defaults are not reported: \(merged.ignored)")
        #expect(ResumeSettings(stored: stored, requested: settings({ _ in }, seeds: [])).settings.frontier.maxPages == 5)
    }

    @Test func changedScopeFlagsAndSeedsAreReportedAsIgnored() {
        let stored = settings { $0.maxDepth = 3 }
        let requested = settings({ $0.scope = .any; $0.maxDepth = 7; $0.exclude = ["x"] }, seeds: ["http://127.0.0.9/"])
        let merged = ResumeSettings(stored: stored, requested: requested)
        #expect(merged.settings.frontier == stored.frontier)
        #expect(merged.ignored == [
            "the seeds given (the crawl keeps the seeds it started with)", "--scope any (the crawl keeps host)", "--max-depth 7 (the crawl keeps 3)",
            "--exclude x (the crawl keeps none)",
        ])
    }
}
