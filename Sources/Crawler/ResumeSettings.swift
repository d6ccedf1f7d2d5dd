import CrawlerCore

/// The settings a `--resume` runs with: the stored crawl's seeds and scope (they decide which
/// pages the crawl finds, so changing them midway would give a graph no single crawl gives),
/// with the new run's fetch and parse settings (they decide only how fast) and a new
/// `--max-pages` when one is given (the limit counts every run's pages, so a crawl stopped by
/// it can only continue under a higher one).
public struct ResumeSettings: Sendable, Hashable {
    /// What the resumed run uses.
    public var settings: CrawlSettings
    /// One sentence per requested setting that is ignored, e.g. "--scope any (the crawl keeps host)".
    public var ignored: [String]

    /// Merges `requested` (the command line) into `stored` (the crawl's latest run). A frontier
    /// flag counts as requested when it differs from its default: a flag given with its default
    /// value cannot be told from an absent one, and is not reported.
    public init(stored: CrawlSettings, requested: CrawlSettings) {
        var settings = requested
        settings.seeds = stored.seeds
        settings.frontier = stored.frontier
        if let maxPages = requested.frontier.maxPages { settings.frontier.maxPages = maxPages }
        self.settings = settings

        let defaults = FrontierOptions()
        let (asked, kept) = (requested.frontier, stored.frontier)
        var ignored: [String] = []
        func check<Value: Equatable>(_ flag: String, _ key: KeyPath<FrontierOptions, Value>, _ show: (Value) -> String) {
            if asked[keyPath: key] != defaults[keyPath: key], asked[keyPath: key] != kept[keyPath: key] {
                ignored.append("\(flag) \(show(asked[keyPath: key])) (the crawl keeps \(show(kept[keyPath: key])))")
            }
        }
        func list(_ patterns: [String]) -> String { patterns.isEmpty ? "none" : patterns.joined(separator: " ") }
        if !requested.seeds.isEmpty, requested.seeds != stored.seeds {
            ignored.append("the seeds given (the crawl keeps the seeds it started with)")
        }
        check("--scope", \.scope, \.rawValue)
        check("--max-depth", \.maxDepth, String.init)
        check("--max-pages-per-host", \.maxPagesPerHost, String.init)
        check("--max-url-length", \.maxURLLength, String.init)
        check("--include", \.include, list)
        check("--exclude", \.exclude, list)
        check("--follow-nofollow", \.followNofollow) { $0 ? "on" : "off" }
        check("--follow-resources", \.followResources) { $0 ? "on" : "off" }
        self.ignored = ignored
    }
}
