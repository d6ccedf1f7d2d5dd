import CrawlerCore
import Synchronization

/// The owner of `HostGateStateMachine`: tasks `acquire` a slot of a host (waiting their turn
/// and the host's delay) and `release` it when their request is done; a scheduler that never
/// waits asks `tryAcquire` instead. The machine lives in a `Mutex`, so the compiler checks
/// that it is only touched under the lock; waiters are resumed outside it.
final class HostGate: Sendable {
    typealias Waiter = CheckedContinuation<ContinuousClock.Instant?, Never>
    typealias Instant = ContinuousClock.Instant

    private struct State {
        var machine: HostGateStateMachine<Waiter>
        var nextID: UInt64 = 0
        /// Ids whose task was cancelled before its waiter was queued: the waiter is refused when
        /// it arrives instead of waiting for the host's next release (up to a crawl delay).
        var cancelledEarly: Set<UInt64> = []
    }

    private let state: Mutex<State>
    private let clock = ContinuousClock()

    init(limit: Int, delaySeconds: Double) {
        state = Mutex(State(machine: HostGateStateMachine(limit: limit, delay: .seconds(delaySeconds))))
    }

    /// Waits for a slot of `host` and for its start instant. Returns false (holding no slot)
    /// if the task is cancelled meanwhile.
    func acquire(host: String) async -> Bool {
        // A task cancelled before it queues would otherwise wait for a slot it will give back.
        if Task.isCancelled { return false }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let clock = clock
        let start: Instant? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let action: HostGateStateMachine<Waiter>.AcquireAction? = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return nil }
                    return state.machine.acquire(host: host, id: id, waiter: continuation, now: clock.now)
                }
                switch action {
                case nil: continuation.resume(returning: nil)
                case .start(let instant): continuation.resume(returning: instant)
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                let waiter = state.machine.cancel(host: host, id: id)
                // Not queued yet (the handler ran first): refuse it when it arrives. A waiter that
                // already got its slot is not here either; it sees the cancellation below.
                if waiter == nil, state.nextID >= id { state.cancelledEarly.insert(id) }
                return waiter
            }
            waiter?.resume(returning: nil)
        }
        // An id left in `cancelledEarly` (the waiter had already been granted) is dropped here.
        state.withLock { _ = $0.cancelledEarly.remove(id) }
        guard let start else { return false }
        if start > clock.now {
            do {
                try await Task.sleep(until: start, clock: clock)
            } catch {
                release(host: host)
                return false
            }
        }
        if Task.isCancelled {
            release(host: host)
            return false
        }
        return true
    }

    /// Takes a slot of `host` only if a request may start now; never waits.
    func tryAcquire(host: String) -> HostGateStateMachine<Waiter>.TryAcquireAction {
        let now = clock.now
        return state.withLock { $0.machine.tryAcquire(host: host, now: now) }
    }

    /// Gives the slot back; the next waiter of the host gets it.
    func release(host: String) {
        let now = clock.now
        let next = state.withLock { $0.machine.release(host: host, now: now) }
        next?.waiter.resume(returning: next?.start)
    }

    func raiseDelay(host: String, seconds: Double) {
        state.withLock { $0.machine.raiseDelay(host: host, to: .seconds(seconds)) }
    }

    func backOff(host: String, for duration: Duration) {
        let until = clock.now + duration
        state.withLock { $0.machine.backOff(host: host, until: until) }
    }
}
