import CrawlerCore
import DequeModule

/// The life of every submitted transfer, shared by the thread pool and the multi loop: the
/// racy part of both engines (a task may be cancelled before it submits, while queued, while
/// running, or after curl finished) as a pure state machine, in the manner of
/// async-http-client's `Transaction+StateMachine`. The owner calls it under its lock and
/// resumes the returned waiters outside it; every waiter is returned exactly once.
struct TransferRegistry<Waiter> {
    private enum Entry {
        /// An ID handed out; the task has not submitted yet (it may be cancelled first).
        case reserved(cancelled: Bool)
        case pending(NormalizedURL, Waiter)
        case running(Waiter)
    }

    private var entries: [UInt64: Entry] = [:]
    /// Submission order; cancelled IDs are skipped when taken.
    private var queue: Deque<UInt64> = []
    private var nextID: UInt64 = 0
    private(set) var isShutDown = false

    init() {}

    /// Hands out the ID a task will submit under (before it can be cancelled).
    mutating func reserveID() -> UInt64 {
        nextID += 1
        entries[nextID] = .reserved(cancelled: false)
        return nextID
    }

    enum SubmitAction {
        /// Queued: wake a worker (or the loop).
        case queued
        /// Not queued (shut down, or cancelled before it got here): resume the waiter with `.cancelled`.
        case reject(Waiter)
    }

    mutating func submit(_ id: UInt64, url: NormalizedURL, waiter: Waiter) -> SubmitAction {
        guard case .reserved(let cancelled) = entries[id], !cancelled, !isShutDown else {
            entries[id] = nil
            return .reject(waiter)
        }
        entries[id] = .pending(url, waiter)
        queue.append(id)
        return .queued
    }

    enum CancelAction {
        /// Already finished, or not submitted yet (submit will reject it): nothing to do now.
        case none
        /// Resume the waiter with `.cancelled`; if `wasRunning`, also stop its transfer.
        case resumeCancelled(Waiter, wasRunning: Bool)
    }

    mutating func cancel(_ id: UInt64) -> CancelAction {
        switch entries[id] {
        case .reserved:
            entries[id] = .reserved(cancelled: true)
            return .none
        case .pending(_, let waiter):
            entries[id] = nil
            return .resumeCancelled(waiter, wasRunning: false)
        case .running(let waiter):
            entries[id] = nil
            return .resumeCancelled(waiter, wasRunning: true)
        case nil:
            return .none
        }
    }

    /// Whether `takeNext` would return work.
    var hasPending: Bool { !queue.isEmpty }

    /// The oldest pending transfer, now running (a pool worker takes one at a time).
    mutating func takeNext() -> (id: UInt64, url: NormalizedURL, waiter: Waiter)? {
        while let id = queue.popFirst() {
            if case .pending(let url, let waiter) = entries[id] {
                entries[id] = .running(waiter)
                return (id, url, waiter)
            }
        }
        return nil
    }

    /// Every pending transfer, now running (the multi loop adds them all at once).
    mutating func takeAll() -> [(id: UInt64, url: NormalizedURL, waiter: Waiter)] {
        var taken: [(id: UInt64, url: NormalizedURL, waiter: Waiter)] = []
        while let next = takeNext() { taken.append(next) }
        return taken
    }

    /// The transfer finished; returns its waiter unless it was cancelled (already resumed).
    mutating func complete(_ id: UInt64) -> Waiter? {
        guard case .running(let waiter) = entries[id] else { return nil }
        entries[id] = nil
        return waiter
    }

    /// Stops accepting work; returns every waiter still pending or running, to be resumed
    /// with `.cancelled` (their transfers are abandoned).
    mutating func shutdown() -> [Waiter] {
        isShutDown = true
        var waiters: [Waiter] = []
        for (id, entry) in entries {
            switch entry {
            case .pending(_, let waiter), .running(let waiter):
                waiters.append(waiter)
                entries[id] = nil
            case .reserved:
                entries[id] = .reserved(cancelled: true)
            }
        }
        queue.removeAll()
        return waiters
    }

    /// Transfers submitted and not yet finished or cancelled.
    var inFlightCount: Int {
        entries.values.reduce(0) { count, entry in
            switch entry {
            case .pending, .running: count + 1
            case .reserved: count
            }
        }
    }
}
