import NIOConcurrencyHelpers

/// A snapshot of what the server was asked, per host, since it started or was last reset: so
/// tests can check that robots.txt was fetched once, politeness limits held, nothing was fetched twice.
public struct RequestStats: Sendable, Hashable {
    /// Per host authority ("127.0.0.2:8080").
    public var hosts: [String: HostRequestStats]

    /// Stats from per-host figures.
    public init(hosts: [String: HostRequestStats] = [:]) { self.hosts = hosts }

    /// The figures of one host authority (zeros when it was never asked).
    public subscript(authority: String) -> HostRequestStats { hosts[authority] ?? HostRequestStats() }

    /// Requests over all hosts.
    public var totalRequests: Int { hosts.values.reduce(0) { $0 + $1.requests } }

    /// Paths requested more than once, as "authority/path?query", sorted.
    public var repeatedRequests: [String] {
        hosts.flatMap { authority, stats in stats.requestsPerPath.filter { $0.value > 1 }.map { authority + $0.key } }.sorted()
    }
}

/// What one host was asked.
public struct HostRequestStats: Sendable, Hashable {
    /// Requests received.
    public var requests = 0
    /// Requests received but not yet answered, now.
    public var inFlight = 0
    /// The most requests in flight at once.
    public var maxInFlight = 0
    /// Open connections, now.
    public var openConnections = 0
    /// The most connections open at once.
    public var maxOpenConnections = 0
    /// Requests per path and query (normalized; as received when it does not parse).
    public var requestsPerPath: [String: Int] = [:]
    /// The shortest time between two requests' arrivals, in seconds (nil before the second):
    /// what a crawler's per-host delay must keep above `--delay`.
    public var shortestGapSeconds: Double?
    /// The headers of the last request (names in lower case), to check what a client sends.
    public var lastRequestHeaders: [String: String] = [:]
    /// Every distinct `Cookie` header the host's requests carried.
    public var cookieHeaders: Set<String> = []
    /// When the first and the last request arrived.
    var firstArrival: ContinuousClock.Instant?
    var lastArrival: ContinuousClock.Instant?

    /// The mean time between two requests' arrivals, in seconds (nil before the second): a
    /// loaded machine can hold one request back and let it arrive right before the next, which
    /// moves the shortest gap but not the mean.
    public var meanGapSeconds: Double? {
        guard requests > 1, let first = firstArrival, let last = lastArrival else { return nil }
        let (seconds, attoseconds) = (last - first).components
        return (Double(seconds) + Double(attoseconds) * 1e-18) / Double(requests - 1)
    }

    /// Zeros.
    public init() {}
}

/// Counts requests and connections under one lock; every handler of every event loop reports here.
final class RequestStatsRecorder: Sendable {
    private let box = NIOLockedValueBox(RequestStats())

    var snapshot: RequestStats { box.withLockedValue { $0 } }

    /// Forgets everything except what is in flight or open now.
    func reset() {
        box.withLockedValue { stats in
            for (authority, host) in stats.hosts {
                var fresh = HostRequestStats()
                fresh.inFlight = host.inFlight
                fresh.maxInFlight = host.inFlight
                fresh.openConnections = host.openConnections
                fresh.maxOpenConnections = host.openConnections
                stats.hosts[authority] = fresh
            }
        }
    }

    func connectionOpened(_ authority: String) {
        box.withLockedValue { stats in
            var host = stats.hosts[authority] ?? HostRequestStats()
            host.openConnections += 1
            host.maxOpenConnections = max(host.maxOpenConnections, host.openConnections)
            stats.hosts[authority] = host
        }
    }

    func connectionClosed(_ authority: String) {
        box.withLockedValue { $0.hosts[authority]?.openConnections -= 1 }
    }

    func requestStarted(_ authority: String, path: String, headers: [(String, String)] = []) {
        box.withLockedValue { stats in
            var host = stats.hosts[authority] ?? HostRequestStats()
            host.requests += 1
            host.inFlight += 1
            host.maxInFlight = max(host.maxInFlight, host.inFlight)
            host.requestsPerPath[path, default: 0] += 1
            host.lastRequestHeaders = Dictionary(headers, uniquingKeysWith: { first, _ in first })
            for (name, value) in headers where name == "cookie" { host.cookieHeaders.insert(value) }
            let now = ContinuousClock.now
            if let last = host.lastArrival {
                let (seconds, attoseconds) = (now - last).components
                let gap = Double(seconds) + Double(attoseconds) * 1e-18
                host.shortestGapSeconds = min(host.shortestGapSeconds ?? gap, gap)
            }
            host.lastArrival = now
            if host.firstArrival == nil { host.firstArrival = now }
            stats.hosts[authority] = host
        }
    }

    func requestFinished(_ authority: String) {
        box.withLockedValue { $0.hosts[authority]?.inFlight -= 1 }
    }
}
