/// What a request waiting for an origin's robots.txt is told.
enum RobotsTicket: Equatable, Sendable {
    /// Use these rules.
    case rules(RobotsRules)
    /// Nobody is fetching robots.txt for the origin: you fetch it, then call `complete` (or `abandon`).
    case fetch
    /// The waiting task was cancelled.
    case cancelled
}

/// What a scheduler learns of an origin's robots.txt without waiting (`RobotsCache.peek`).
enum RobotsPeek: Equatable, Sendable {
    /// Rules cached and fresh.
    case known(RobotsRules)
    /// A request is fetching it now.
    case fetching
    /// Never fetched, or expired: the next request fetches it.
    case unknown
}

/// robots.txt per origin, fetched once: the first request to an origin fetches it, requests
/// arriving meanwhile wait for that one fetch, later ones use the cached rules until they
/// expire. A pure state machine, tested without I/O; `RobotsCache` owns it under a lock.
///
/// Bounded: past `capacity` origins, expired rules are forgotten first, then those that expire
/// soonest (their origin fetches robots.txt again when next asked), so a crawl of many hosts
/// keeps a flat memory.
struct RobotsCacheStateMachine<Waiter> {
    typealias Instant = ContinuousClock.Instant

    private enum Entry {
        case fetching(waiters: [(id: UInt64, waiter: Waiter)])
        case ready(RobotsRules, expires: Instant)
    }

    private var entries: [String: Entry] = [:]
    /// Origins kept at most (fetching ones are never dropped).
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Origins remembered.
    var count: Int { entries.count }

    enum LookupAction {
        /// Resume the waiter with this ticket now.
        case resume(Waiter, RobotsTicket)
        /// Another request is fetching robots.txt; the waiter was queued for its result.
        case queued
    }

    mutating func lookup(origin: String, id: UInt64 = 0, waiter: Waiter, now: Instant) -> LookupAction {
        switch entries[origin] {
        case .ready(let rules, let expires) where expires > now:
            return .resume(waiter, .rules(rules))
        case .fetching(var waiters):
            waiters.append((id, waiter))
            entries[origin] = .fetching(waiters: waiters)
            return .queued
        case .ready, nil:
            entries[origin] = .fetching(waiters: [])
            return .resume(waiter, .fetch)
        }
    }

    /// What is known of `origin` at `now`; changes nothing.
    func peek(origin: String, now: Instant) -> RobotsPeek {
        switch entries[origin] {
        case .ready(let rules, let expires) where expires > now: .known(rules)
        case .fetching: .fetching
        case .ready, nil: .unknown
        }
    }

    /// The fetch is done: cache `rules` until `expires`; returns the waiters to resume with them.
    mutating func complete(origin: String, rules: RobotsRules, expires: Instant, now: Instant? = nil) -> [Waiter] {
        var waiters: [Waiter] = []
        if case .fetching(let queued) = entries[origin] { waiters = queued.map(\.waiter) }
        entries[origin] = .ready(rules, expires: expires)
        if entries.count > capacity { evict(now: now ?? expires) }
        return waiters
    }

    /// A waiting task was cancelled: its waiter, if it still waits (resume it with `.cancelled`).
    mutating func cancel(origin: String, id: UInt64) -> Waiter? {
        guard case .fetching(var waiters) = entries[origin], let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        let waiter = waiters.remove(at: index).waiter
        entries[origin] = .fetching(waiters: waiters)
        return waiter
    }

    /// Forgets rules down to 90% of `capacity`: the expired ones, then those expiring soonest.
    private mutating func evict(now: Instant) {
        let target = capacity * 9 / 10
        var ready: [(origin: String, expires: Instant)] = []
        for (origin, entry) in entries {
            if case .ready(_, let expires) = entry { ready.append((origin, expires)) }
        }
        ready.sort { $0.expires < $1.expires }
        for (origin, expires) in ready where entries.count > target || expires <= now {
            entries[origin] = nil
        }
    }

    /// The fetching task gave up (it was cancelled): the first waiter, if any, fetches instead.
    mutating func abandon(origin: String) -> Waiter? {
        guard case .fetching(var waiters) = entries[origin] else { return nil }
        guard !waiters.isEmpty else {
            entries[origin] = nil
            return nil
        }
        let next = waiters.removeFirst()
        entries[origin] = .fetching(waiters: waiters)
        return next.waiter
    }
}
