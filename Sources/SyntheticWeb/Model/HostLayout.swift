import CrawlerCore

/// Which loopback address plays which role. Content host k is 127.0.0.(k+1); the fault host, when
/// enabled, is the next address, then the sitemap host, when enabled; the offsite host after
/// them is linked to but never bound, so a crawl that leaves the seeds' hosts meets a refused
/// connection.
public struct HostLayout: Sendable, Hashable {
    /// Content hosts.
    public let contentHosts: Int
    /// Whether the fault host exists.
    public let hasFaultHost: Bool
    /// Whether the sitemap host exists (pages linked only from its sitemaps).
    public let hasSitemapHost: Bool
    /// The port every host uses.
    public let port: Int

    /// The layout of a configuration once its port is known.
    public init(contentHosts: Int, hasFaultHost: Bool, hasSitemapHost: Bool = false, port: Int) {
        self.contentHosts = contentHosts
        self.hasFaultHost = hasFaultHost
        self.hasSitemapHost = hasSitemapHost
        self.port = port
    }

    /// The fault host's index, when enabled.
    public var faultHostIndex: Int? { hasFaultHost ? contentHosts : nil }
    /// The sitemap host's index, when enabled.
    public var sitemapHostIndex: Int? { hasSitemapHost ? contentHosts + (hasFaultHost ? 1 : 0) : nil }
    /// The offsite host's index: linked to, never bound.
    public var offsiteHostIndex: Int { servedHostCount }
    /// Hosts that are bound (content hosts, the fault host, the sitemap host).
    public var servedHostCount: Int { contentHosts + (hasFaultHost ? 1 : 0) + (hasSitemapHost ? 1 : 0) }

    /// The address of host `index`: "127.0.0.(index+1)".
    public static func address(_ index: Int) -> String { "127.0.0.\(index + 1)" }

    /// `127.0.0.(index+1):port`, the authority of host `index` in URLs (the port is always
    /// written since the synthetic web is never on port 80 unless asked to be).
    public func authority(_ index: Int) -> String {
        port == 80 ? Self.address(index) : "\(Self.address(index)):\(port)"
    }

    /// `http://127.0.0.(index+1):port`.
    public func origin(_ index: Int) -> String { "http://\(authority(index))" }

    /// The host index of a served address ("127.0.0.3" → 2), nil for anything else.
    public func servedHostIndex(address: String) -> Int? {
        guard address.hasPrefix("127.0.0."), let last = Int(address.dropFirst(8)), last >= 1 else { return nil }
        let index = last - 1
        return index < servedHostCount ? index : nil
    }

    /// The host index of a URL's authority, when it is one of the synthetic hosts (served or offsite).
    func hostIndex(of url: NormalizedURL) -> Int? {
        guard url.scheme == "http", url.port == (port == 80 ? nil : port) else { return nil }
        guard url.host.hasPrefix("127.0.0."), let last = Int(url.host.dropFirst(8)), last >= 1 else { return nil }
        let index = last - 1
        return index <= offsiteHostIndex ? index : nil
    }
}
