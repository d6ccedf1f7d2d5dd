import CrawlerCore

/// How much of a response body one request reads, and what happens beyond it.
public struct BodyLimit: Sendable, Hashable {
    /// What a body longer than `bytes` gives.
    public enum Overflow: Sendable, Hashable {
        /// The fetch fails with `FetchError.tooLarge` (a page: `--max-bytes`).
        case fail
        /// The first `bytes` bytes are kept and the transfer stops there (robots.txt).
        case truncate
    }

    /// The most body bytes kept.
    public var bytes: Int
    /// What a longer body gives.
    public var overflow: Overflow

    /// A limit as given.
    public init(bytes: Int, overflow: Overflow) {
        self.bytes = bytes
        self.overflow = overflow
    }

    /// A page's limit: `--max-bytes`, beyond which the page fails as too large.
    public static func page(_ options: FetchOptions) -> BodyLimit {
        BodyLimit(bytes: options.maxBodyBytes, overflow: .fail)
    }

    /// robots.txt's own limit, whatever `--max-bytes` says: RFC 9309 §2.5 has a crawler parse
    /// at least 500 KiB, so that much is read and what was read is parsed (a longer file is cut,
    /// never refused: refusing would disallow the whole site).
    public static let robotsTxt = BodyLimit(bytes: 500 * 1024, overflow: .truncate)
}
