import CrawlerCore

/// Where a bench's pages come from.
public enum BenchSource: Sendable, Hashable {
    /// The embedded web, started in this process on 127.0.0.x (the default).
    case embedded
    /// Given URLs: fetched as they are, crawled as seeds, and fetched once to make the parse corpus.
    case urls([NormalizedURL])
    /// A folder of `.html` files: the parse phase only.
    case corpus(directory: String)
}

/// Progress a bench reports as it goes, for the CLI to show.
public struct BenchProgress: Sendable, Hashable {
    /// What is being measured, e.g. `fetch async 256 in flight, 50 ms, run 2/3`.
    public var step: String
    /// Points measured so far.
    public var done: Int
    /// Points in all.
    public var total: Int
}
