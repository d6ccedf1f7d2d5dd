import DequeModule

/// Per-host politeness as a pure state machine: at most `limit` requests in flight to a host,
/// request starts at least `delay` apart, and no start before a back-off ends (429/503).
/// Time is passed in, so it is tested without clocks or I/O. The owner (`HostGate`) calls it
/// under a lock and resumes the returned waiters outside it.
///
/// A granted request gets a start instant: now, or later when the delay or a back-off says so;
/// it sleeps until then holding its slot, so slots are handed out in order and never raced for.
struct HostGateStateMachine<Waiter> {
    typealias Instant = ContinuousClock.Instant

    private struct Host {
        var inFlight = 0
        /// The earliest instant the next request may start.
        var nextStart: Instant?
        /// Per-host delay: the configured one, raised by Crawl-delay.
        var delay: Duration
        var waiters: Deque<(id: UInt64, waiter: Waiter)> = []
    }

    private var hosts: [String: Host] = [:]
    let limit: Int
    let defaultDelay: Duration

    init(limit: Int, delay: Duration) {
        self.limit = max(1, limit)
        self.defaultDelay = max(.zero, delay)
    }

    enum AcquireAction: Equatable {
        /// A slot is yours: start at this instant (sleep until then if it is later than now).
        case start(at: Instant)
        /// All slots are taken: your waiter was queued and will be returned by `release`.
        case queued
    }

    mutating func acquire(host: String, id: UInt64, waiter: Waiter, now: Instant) -> AcquireAction {
        var state = hosts[host] ?? Host(delay: defaultDelay)
        defer { hosts[host] = state }
        guard state.inFlight < limit, state.waiters.isEmpty else {
            state.waiters.append((id, waiter))
            return .queued
        }
        state.inFlight += 1
        return .start(at: Self.reserveStart(&state, now: now))
    }

    /// What a scheduler that never waits is told (`tryAcquire`).
    enum TryAcquireAction: Equatable {
        /// A slot is yours and the request may start now.
        case granted
        /// A slot is free but the host's delay or back-off says no start before this instant.
        case notBefore(Instant)
        /// Every slot of the host is taken (or others are queued for one): ask again after a release.
        case full
    }

    /// Takes a slot only if the request can start right now; never queues a waiter.
    mutating func tryAcquire(host: String, now: Instant) -> TryAcquireAction {
        var state = hosts[host] ?? Host(delay: defaultDelay)
        guard state.inFlight < limit, state.waiters.isEmpty else { return .full }
        if let next = state.nextStart, next > now { return .notBefore(next) }
        state.inFlight += 1
        state.nextStart = now + state.delay
        hosts[host] = state
        return .granted
    }

    /// A request finished; if one is waiting, the slot passes to it with its start instant.
    mutating func release(host: String, now: Instant) -> (waiter: Waiter, start: Instant)? {
        guard var state = hosts[host] else { return nil }
        if let next = state.waiters.popFirst() {
            let start = Self.reserveStart(&state, now: now)  // the slot changes hands
            hosts[host] = state
            return (next.waiter, start)
        }
        state.inFlight = max(0, state.inFlight - 1)
        if state.inFlight == 0, state.delay == defaultDelay, (state.nextStart ?? now) <= now {
            // Nothing left to remember: forget the host, so a long crawl's table stays small.
            hosts[host] = nil
            return nil
        }
        hosts[host] = state
        return nil
    }

    /// A queued waiter's task was cancelled: its waiter, if it was still queued.
    mutating func cancel(host: String, id: UInt64) -> Waiter? {
        guard var state = hosts[host], let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        let waiter = state.waiters.remove(at: index).waiter
        hosts[host] = state
        return waiter
    }

    /// Raises the host's delay (Crawl-delay); never lowers it below the configured delay.
    mutating func raiseDelay(host: String, to delay: Duration) {
        var state = hosts[host] ?? Host(delay: defaultDelay)
        state.delay = max(state.delay, delay)
        hosts[host] = state
    }

    /// No request to the host starts before `until` (a 429 or 503, with or without Retry-After).
    mutating func backOff(host: String, until: Instant) {
        var state = hosts[host] ?? Host(delay: defaultDelay)
        state.nextStart = max(state.nextStart ?? until, until)
        hosts[host] = state
    }

    /// Requests holding a slot of `host` (started or about to start).
    func inFlight(host: String) -> Int { hosts[host]?.inFlight ?? 0 }
    /// Requests queued for a slot of `host`.
    func queued(host: String) -> Int { hosts[host]?.waiters.count ?? 0 }
    /// The host's current delay.
    func delay(host: String) -> Duration { hosts[host]?.delay ?? defaultDelay }
    /// Hosts remembered (busy, delayed or backed off).
    var hostCount: Int { hosts.count }

    private static func reserveStart(_ state: inout Host, now: Instant) -> Instant {
        let start = max(now, state.nextStart ?? now)
        state.nextStart = start + state.delay
        return start
    }
}
