import CrawlerCore
import DequeModule
import HeapModule

/// The scheduler's in-memory window of the frontier: a queue per host (Mercator's back queues,
/// BUbiNG's workbench) and which hosts may be asked for work now. A pure state machine: time
/// is passed in, nothing waits, and the pipeline that owns it performs what it decides.
///
/// A host is in exactly one of these states:
/// - **ready**: it has claimed URLs and nothing known stops it; hosts take turns (round robin),
///   so a host with most of the pages cannot starve the small ones;
/// - **timed**: its delay, Crawl-delay or back-off forbids a start before an instant (a heap
///   orders these hosts by that instant);
/// - **blocked**: all its slots are busy, or its robots.txt is being fetched; it is asked again
///   when a request finishes;
/// - **idle**: no claimed URLs in memory (the store may still have some: see `refills`).
///
/// Memory is bounded: at most `maxHosts` hosts, each with at most `perHostWindow` claimed URLs.
struct HostQueues {
    typealias Instant = ContinuousClock.Instant

    private struct Host {
        var entries: Deque<FrontierEntry> = []
        /// The store had fewer queued URLs than asked at the last claim.
        var exhaustedInStore = false
        /// A claim for this host is on its way.
        var refilling = false
        var state: State = .idle
    }

    private enum State: Equatable {
        case idle, ready, timed(Instant), blocked
    }

    private struct TimedHost: Comparable {
        var instant: Instant
        var host: String
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.instant < rhs.instant }
    }

    /// Claimed URLs kept in memory per host.
    let perHostWindow: Int
    /// Hosts kept in memory at once.
    let maxHosts: Int

    private var hosts: [String: Host] = [:]
    private var ready: Deque<String> = []
    private var timed = Heap<TimedHost>()
    private var blocked: Set<String> = []
    /// Claimed URLs held in memory, not yet started.
    private(set) var windowCount = 0

    init(perHostWindow: Int, maxHosts: Int) {
        self.perHostWindow = max(1, perHostWindow)
        self.maxHosts = max(1, maxHosts)
    }

    /// Hosts in memory.
    var hostCount: Int { hosts.count }
    /// Their names.
    var hostNames: Set<String> { Set(hosts.keys) }
    /// Hosts waiting for an instant (delay, Crawl-delay, back-off).
    var timedCount: Int { timed.count }
    /// Hosts waiting for a free slot or their robots.txt.
    var blockedCount: Int { blocked.count }
    /// The earliest instant a timed host may start.
    var earliestTimed: Instant? { timed.min?.instant }

    /// Adds claimed URLs; `asked` is how many were asked for (fewer means the store has no more).
    mutating func add(_ entries: [FrontierEntry], host name: String, asked: Int?) {
        var host = hosts[name] ?? Host()
        host.refilling = false
        host.entries.append(contentsOf: entries)
        windowCount += entries.count
        if let asked { host.exhaustedInStore = entries.count < asked }
        hosts[name] = host
        if host.state == .idle, !host.entries.isEmpty { makeReady(name) }
        if host.entries.isEmpty { forgetIfDone(name) }
    }

    /// New URLs were queued in the store for these hosts: their next claim may find some.
    mutating func storeQueued(hosts names: Set<String>) {
        for name in names where hosts[name] != nil { hosts[name]!.exhaustedInStore = false }
    }

    /// The next host to try and its first URL; due timed hosts become ready first. The host is
    /// taken off the ready queue: call `started`, `wait(_:until:)` or `block` next.
    mutating func next(now: Instant) -> (host: String, entry: FrontierEntry)? {
        while let top = timed.min, top.instant <= now {
            _ = timed.removeMin()
            if case .timed(let instant) = hosts[top.host]?.state, instant == top.instant { makeReady(top.host) }
        }
        while let name = ready.popFirst() {
            guard var host = hosts[name], host.state == .ready else { continue }
            guard let entry = host.entries.first else {
                host.state = .idle
                hosts[name] = host
                forgetIfDone(name)
                continue
            }
            host.state = .idle  // in hand; the caller says what comes next
            hosts[name] = host
            return (name, entry)
        }
        return nil
    }

    /// The host's first URL was started (or settled without a request); the host takes its
    /// turn again at the back of the ready queue.
    mutating func started(host name: String) {
        guard var host = hosts[name], !host.entries.isEmpty else { return }
        host.entries.removeFirst()
        windowCount -= 1
        hosts[name] = host
        if host.entries.isEmpty { forgetIfDone(name) } else { makeReady(name) }
    }

    /// The host may not start before `instant`.
    mutating func wait(host name: String, until instant: Instant) {
        guard hosts[name] != nil else { return }
        hosts[name]!.state = .timed(instant)
        timed.insert(TimedHost(instant: instant, host: name))
    }

    /// The host waits for one of its requests (or its robots.txt) to finish.
    mutating func block(host name: String) {
        guard hosts[name] != nil else { return }
        hosts[name]!.state = .blocked
        blocked.insert(name)
    }

    /// A request finished: blocked hosts are asked again (a slot or robots.txt may be free now).
    mutating func requestFinished() {
        for name in blocked where hosts[name]?.state == .blocked { makeReady(name) }
        blocked.removeAll(keepingCapacity: true)
    }

    /// What to claim from the store: hosts in memory whose window runs low and whose store queue
    /// may hold more (how many each), and how many new hosts to look for.
    mutating func refills() -> (hosts: [String: Int], discover: Int) {
        var wanted: [String: Int] = [:]
        for (name, host) in hosts where !host.refilling && !host.exhaustedInStore && host.entries.count * 2 <= perHostWindow {
            wanted[name] = perHostWindow - host.entries.count
            hosts[name]!.refilling = true
        }
        return (wanted, max(0, maxHosts - hosts.count))
    }

    /// A claim asked for `host` came back with nothing: the store has no queued URL of it, if
    /// `exhausted` (no commit finished since the claim was asked for, which it may not have seen).
    mutating func refillFailed(host name: String, exhausted: Bool) {
        guard hosts[name] != nil else { return }
        hosts[name]!.refilling = false
        if exhausted { hosts[name]!.exhaustedInStore = true }
        forgetIfDone(name)
    }

    /// Every URL held in memory, removed (to hand back to the store when the crawl stops).
    mutating func drain() -> [FrontierEntry] {
        let entries = hosts.values.flatMap(\.entries)
        hosts.removeAll()
        ready.removeAll()
        timed = Heap()
        blocked.removeAll()
        windowCount = 0
        return entries
    }

    private mutating func makeReady(_ name: String) {
        hosts[name]!.state = .ready
        ready.append(name)
    }

    /// An idle host with nothing claimed and nothing more in the store leaves memory.
    private mutating func forgetIfDone(_ name: String) {
        guard let host = hosts[name], host.entries.isEmpty, host.exhaustedInStore, !host.refilling else { return }
        if host.state == .idle || host.state == .ready { hosts[name] = nil }
    }
}
