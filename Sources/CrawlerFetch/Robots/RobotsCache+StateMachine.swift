/// What a request waiting for an origin's robots.txt is told.
enum RobotsTicket: Equatable, Sendable {
    /// Use these rules.
    case rules(RobotsRules)
    /// Nobody is fetching robots.txt for the origin: you fetch it, then call `complete` (or `abandon`).
    case fetch
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
struct RobotsCacheStateMachine<Waiter> {
    typealias Instant = ContinuousClock.Instant

    private enum Entry {
        case fetching(waiters: [Waiter])
        case ready(RobotsRules, expires: Instant)
    }

    private var entries: [String: Entry] = [:]

    init() {}

    enum LookupAction {
        /// Resume the waiter with this ticket now.
        case resume(Waiter, RobotsTicket)
        /// Another request is fetching robots.txt; the waiter was queued for its result.
        case queued
    }

    mutating func lookup(origin: String, waiter: Waiter, now: Instant) -> LookupAction {
        switch entries[origin] {
        case .ready(let rules, let expires) where expires > now:
            return .resume(waiter, .rules(rules))
        case .fetching(var waiters):
            waiters.append(waiter)
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
    mutating func complete(origin: String, rules: RobotsRules, expires: Instant) -> [Waiter] {
        defer { entries[origin] = .ready(rules, expires: expires) }
        if case .fetching(let waiters) = entries[origin] { return waiters }
        return []
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
        return next
    }
}
