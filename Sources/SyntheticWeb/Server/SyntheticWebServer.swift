import CrawlerCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The synthetic web, served: every content host (and the fault host) listening on its own
/// loopback address, all on one port, until `shutdown()` or the configured `maxSeconds`.
public final class SyntheticWebServer: Sendable {
    /// The web being served.
    public let model: SiteModel
    private let group: MultiThreadedEventLoopGroup
    private let listeners: [any Channel]
    private let connections: OpenConnections
    private let planner: ResponsePlanner
    private let stats: RequestStatsRecorder
    private let stopped: EventLoopPromise<Void>
    private let state = NIOLockedValueBox(State())

    private struct State {
        var lifetimeTimer: Scheduled<Void>?
        var isShutDown = false
    }

    private init(
        model: SiteModel, group: MultiThreadedEventLoopGroup, listeners: [any Channel], connections: OpenConnections,
        planner: ResponsePlanner, stats: RequestStatsRecorder
    ) {
        self.model = model
        self.group = group
        self.listeners = listeners
        self.connections = connections
        self.planner = planner
        self.stats = stats
        stopped = group.next().makePromise(of: Void.self)
    }

    /// The cookie every content page sets, `synthetic-host=HOST; Path=/` (the page's host):
    /// what a crawler that keeps cookies sends back to that host alone.
    public static var cookieName: String { ResponsePlanner.cookieName }

    /// Generates the web and starts serving it. With `port` 0, picks a port free on every address.
    public static func start(_ config: SyntheticWebConfig) async throws -> SyntheticWebServer {
        try config.validate()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        do {
            let stats = RequestStatsRecorder()
            let served = HostLayout(contentHosts: config.hosts, hasFaultHost: config.faults, hasSitemapHost: config.sitemapHost, port: 0).servedHostCount
            let plannerBox = NIOLockedValueBox<ResponsePlanner?>(nil)
            let connections = OpenConnections()
            let binder = ListenerBinder(group: group, addresses: (0..<served).map(HostLayout.address)) { channel in
                guard let planner = plannerBox.withLockedValue({ $0 }),
                    let address = channel.localAddress?.ipAddress,
                    let host = planner.model.layout.servedHostIndex(address: address)
                else { return channel.close() }
                let number = connections.register(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPRequestHandler(host: host, planner: planner, stats: stats, connectionNumber: number))
                }
            }
            // Bind first so the model (whose absolute links carry the port) is built for the real port;
            // connections accepted meanwhile wait for the planner.
            let (port, listeners) = try await binder.bind(port: config.port)
            let model = SiteModel(config: config, port: port)
            let planner = ResponsePlanner(model: model)
            plannerBox.withLockedValue { $0 = planner }
            let server = SyntheticWebServer(
                model: model, group: group, listeners: listeners, connections: connections, planner: planner, stats: stats)
            server.scheduleLifetime()
            return server
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func scheduleLifetime() {
        guard let maxSeconds = model.config.maxSeconds else { return }
        let listeners = self.listeners
        let connections = self.connections
        let stopped = self.stopped
        let timer = group.next().scheduleTask(in: .nanoseconds(Int64(maxSeconds * 1e9))) {
            for listener in listeners { listener.close(promise: nil) }
            connections.closeAll()
            stopped.succeed()
        }
        state.withLockedValue { $0.lifetimeTimer = timer }
    }

    /// The port every host listens on.
    public var port: Int { model.layout.port }

    /// One seed per seeded host (its home page); the fault host's included when enabled.
    public var seedURLs: [NormalizedURL] { model.seedURLs }

    /// "127.0.0.(index+1)".
    public func hostAddress(_ index: Int) -> String { HostLayout.address(index) }

    /// The addresses and ports actually listened on ("127.0.0.1:8080", …).
    public var listeningAddresses: [String] {
        listeners.compactMap { channel in
            guard let address = channel.localAddress, let ip = address.ipAddress, let port = address.port else { return nil }
            return "\(ip):\(port)"
        }
    }

    /// The answer key of a crawl with these frontier options (and the crawler's default fetch options).
    public func answerKey(frontier: FrontierOptions = FrontierOptions(), ignoreRobots: Bool = false) -> AnswerKey {
        model.answerKey(frontier: frontier, ignoreRobots: ignoreRobots)
    }

    /// The answer key of a crawl with these frontier and fetch options.
    public func answerKey(frontier: FrontierOptions, fetch: FetchOptions) -> AnswerKey {
        model.answerKey(frontier: frontier, fetch: fetch)
    }

    /// A snapshot of requests per host authority since the start or the last `resetStats()`.
    public var requestStats: RequestStats { stats.snapshot }

    /// Zeroes the request statistics and restarts the fault host's "fails once" counters.
    public func resetStats() {
        stats.reset()
        planner.resetFaultCounters()
    }

    /// Returns when the server stops: after `maxSeconds`, or when `shutdown()` is called.
    public func waitUntilStopped() async {
        try? await stopped.futureResult.get()
    }

    /// Stops listening, closes every connection and releases the event-loop threads. Idempotent.
    public func shutdown() async throws {
        let proceed = state.withLockedValue { state -> Bool in
            guard !state.isShutDown else { return false }
            state.isShutDown = true
            state.lifetimeTimer?.cancel()
            return true
        }
        guard proceed else { return }
        for listener in listeners { try? await listener.close() }
        stopped.succeed()
        try await group.shutdownGracefully()
    }
}
