import CrawlerCore
import CrawlerParse
import SyntheticWeb

/// The synthetic web the bench starts in its own process, described so a measuring child
/// process can rebuild the same pages without HTTP (the web is deterministic).
public struct EmbeddedWeb: Sendable, Hashable, Codable {
    /// Seed of the web.
    public var seed: UInt64
    /// Content hosts on 127.0.0.1….
    public var hosts: Int
    /// Content pages in all.
    public var pages: Int
    /// Mean page size, KiB.
    public var meanPageKB: Double
    /// How the pages are shared among the hosts.
    public var hostSizes: HostSizes
    /// What the content pages look like: articles (mixed) or documentation pages.
    public var profile: SiteProfile

    /// A description.
    public init(seed: UInt64 = 1, hosts: Int, pages: Int, meanPageKB: Double, hostSizes: HostSizes = .equal, profile: SiteProfile = .mixed) {
        self.seed = seed
        self.hosts = hosts
        self.pages = max(pages, hosts)
        self.meanPageKB = meanPageKB
        self.hostSizes = hostSizes
        self.profile = profile
    }

    /// The server's configuration: a free port, this latency, no fault host.
    public func config(latencyMs: Int) -> SyntheticWebConfig {
        SyntheticWebConfig(
            seed: seed, hosts: hosts, pages: pages, meanPageKB: meanPageKB, port: 0, latencyMs: latencyMs, faults: false, hostSizes: hostSizes,
            profile: profile)
    }

    /// Starts serving it.
    func start(latencyMs: Int) async throws -> SyntheticWebServer {
        do {
            return try await SyntheticWebServer.start(config(latencyMs: latencyMs))
        } catch {
            throw BenchError.webServer("could not start the embedded web on 127.0.0.1-127.0.0.\(hosts): \(error); check that loopback addresses are free, or pass --url or --corpus")
        }
    }

    /// The content pages as parse jobs, built in memory (the port only changes absolute links).
    public func parseJobs() -> [ParseJob] {
        let model = SiteModel(config: config(latencyMs: 0), port: SyntheticWebDefaults.port)
        return model.contentPageURLs.compactMap { url in
            model.body(for: url).map { ParseJob(url: url, headers: ResponseHeaders(contentType: "text/html; charset=utf-8"), body: $0) }
        }
    }
}
