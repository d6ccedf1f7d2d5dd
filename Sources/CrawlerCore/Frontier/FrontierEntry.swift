/// A URL waiting in (or claimed from) the frontier, with its breadth-first depth.
public struct FrontierEntry: Sendable, Hashable {
    /// The URL to fetch.
    public var url: NormalizedURL
    /// Hops from the nearest seed (seeds are 0).
    public var depth: Int

    /// An entry.
    public init(url: NormalizedURL, depth: Int) {
        self.url = url
        self.depth = depth
    }
}
