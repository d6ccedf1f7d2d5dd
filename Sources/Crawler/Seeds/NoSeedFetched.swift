import CrawlerGraph

/// A crawl that ended without fetching any seed: every one failed (refused, unknown host,
/// timeout, TLS, robots.txt unavailable or disallowing). The database holds why; the command
/// says it and exits non-zero, since nothing was crawled.
public struct NoSeedFetched: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why each seed failed, in seed order.
    public var failures: [SeedFailure]

    /// The error for these failures.
    public init(failures: [SeedFailure]) {
        self.failures = failures
    }

    /// How many seeds are listed; the rest are counted.
    static let shown = 10

    public var description: String {
        var text = failures.count == 1 ? "the seed could not be fetched, so nothing was crawled:" : "none of the \(failures.count) seeds could be fetched, so nothing was crawled:"
        // Each message names its URL or host.
        for failure in failures.prefix(Self.shown) { text += "\n  - \(failure.message)" }
        if failures.count > Self.shown { text += "\n  - and \(failures.count - Self.shown) more" }
        return text
    }
}
