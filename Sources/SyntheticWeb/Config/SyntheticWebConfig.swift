/// Everything that shapes a synthetic web. The same configuration always gives the same web:
/// the same hosts, pages, links and bytes (only the port, when picked by the system, varies).
public struct SyntheticWebConfig: Sendable, Hashable {
    /// Seed of every random choice (pages, links, sizes, spellings).
    public var seed: UInt64 = 1
    /// Content hosts; host k listens on 127.0.0.(k+1).
    public var hosts: Int = 8
    /// Content pages across all content hosts (home pages included).
    public var pages: Int = 2000
    /// How the pages are shared among the hosts (`--host-sizes`).
    public var hostSizes: HostSizes = .equal
    /// What the pages look like (`--profile`): mixed articles or documentation pages.
    public var profile: SiteProfile = .mixed
    /// Mean size of a content page in KiB; sizes are long-tailed around it.
    public var meanPageKB: Double = 48
    /// The port every host listens on; 0 picks a free one.
    public var port: Int = SyntheticWebDefaults.port
    /// Delay of every response, in milliseconds (event-loop timers, no sleeping threads).
    public var latencyMs: Int = 0
    /// Plus a uniform random delay in 0...jitterMs milliseconds.
    public var jitterMs: Int = 0
    /// Adds the fault host (redirects, errors, stalls, huge and broken pages).
    public var faults: Bool = false
    /// Adds the sitemap host: pages no page links to, listed in a sitemap index (named by its
    /// robots.txt) of a gzip and a plain child sitemap.
    public var sitemapHost: Bool = false
    /// How long `/slow` on the fault host stalls before answering.
    public var slowResponseSeconds: Double = 40
    /// Bounded life: after this many seconds the server stops listening and closes its connections
    /// (`shutdown()` still releases its threads); nil runs until shut down.
    public var maxSeconds: Double? = nil

    /// The defaults: 8 hosts, 2000 pages of 48 KiB on average, port 8080, no latency, no faults.
    public init() {}

    /// A configuration with every setting given or defaulted.
    public init(
        seed: UInt64 = 1, hosts: Int = 8, pages: Int = 2000, meanPageKB: Double = 48,
        port: Int = SyntheticWebDefaults.port, latencyMs: Int = 0, jitterMs: Int = 0, faults: Bool = false,
        slowResponseSeconds: Double = 40, maxSeconds: Double? = nil, hostSizes: HostSizes = .equal, profile: SiteProfile = .mixed,
        sitemapHost: Bool = false
    ) {
        self.sitemapHost = sitemapHost
        self.hostSizes = hostSizes
        self.profile = profile
        self.seed = seed
        self.hosts = hosts
        self.pages = pages
        self.meanPageKB = meanPageKB
        self.port = port
        self.latencyMs = latencyMs
        self.jitterMs = jitterMs
        self.faults = faults
        self.slowResponseSeconds = slowResponseSeconds
        self.maxSeconds = maxSeconds
    }

    /// Checks the settings, saying which one to change.
    public func validate() throws(SyntheticWebError) {
        guard (1...200).contains(hosts) else {
            throw .invalidConfig("--hosts must be between 1 and 200 (loopback addresses 127.0.0.1 to 127.0.0.200); got \(hosts)")
        }
        guard pages >= hosts else {
            throw .invalidConfig("--pages must be at least --hosts (\(hosts)), one home page per host; got \(pages)")
        }
        guard pages <= 5_000_000 else { throw .invalidConfig("--pages must be at most 5,000,000; got \(pages)") }
        guard meanPageKB.isFinite, meanPageKB >= 1, meanPageKB <= 10_240 else {
            throw .invalidConfig("--mean-page-kb must be between 1 and 10240; got \(meanPageKB)")
        }
        guard (0...65535).contains(port) else { throw .invalidConfig("--port must be between 0 and 65535; got \(port)") }
        guard (0...600_000).contains(latencyMs), (0...600_000).contains(jitterMs) else {
            throw .invalidConfig("--latency and --jitter must be between 0 and 600000 milliseconds; got \(latencyMs) and \(jitterMs)")
        }
        // Finite and bounded: a Duration made from 1e300 or infinity seconds traps.
        guard slowResponseSeconds.isFinite, (0...172_800).contains(slowResponseSeconds) else {
            throw .invalidConfig("--slow-seconds must be between 0 and 172800 seconds (two days); got \(slowResponseSeconds)")
        }
        if let maxSeconds, !(maxSeconds.isFinite && maxSeconds > 0 && maxSeconds <= 31_536_000) {
            throw .invalidConfig("--max-seconds must be more than 0 and at most 31536000 (a year); got \(maxSeconds)")
        }
    }
}
