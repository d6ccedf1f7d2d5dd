/// One redirect a fetch followed: the URL that answered with a 3xx, and that status. A fetch's
/// hops, in order, lead from the requested URL to the final one.
public struct RedirectHop: Sendable, Hashable {
    /// The URL that redirected.
    public var url: NormalizedURL
    /// Its status: 301, 302, 303, 307 or 308.
    public var status: Int

    /// A hop as `RedirectChain` records it.
    public init(url: NormalizedURL, status: Int) {
        self.url = url
        self.status = status
    }
}
