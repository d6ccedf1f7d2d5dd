import CrawlerCore
import Foundation

/// The owner of `HostGateStateMachine`: tasks `acquire` a slot of a host (waiting their turn
/// and the host's delay) and `release` it when their request is done.
final class HostGate: @unchecked Sendable {
    // @unchecked Sendable: `machine` and `nextID` are only touched under `lock` (see below);
    // everything else is `let`. Waiters are resumed outside the lock.
    typealias Waiter = CheckedContinuation<ContinuousClock.Instant?, Never>
    /// Guards `machine` and `nextID`.
    private let lock = NSLock()
    private var machine: HostGateStateMachine<Waiter>
    private var nextID: UInt64 = 0
    private let clock = ContinuousClock()

    init(limit: Int, delaySeconds: Double) {
        machine = HostGateStateMachine(limit: limit, delay: .seconds(delaySeconds))
    }

    /// Waits for a slot of `host` and for its start instant. Returns false (holding no slot)
    /// if the task is cancelled meanwhile.
    func acquire(host: String) async -> Bool {
        // A task cancelled before it queues would otherwise wait for a slot it will give back.
        if Task.isCancelled { return false }
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        let start: ContinuousClock.Instant? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let action = lock.withLock { machine.acquire(host: host, id: id, waiter: continuation, now: clock.now) }
                if case .start(let instant) = action { continuation.resume(returning: instant) }
            }
        } onCancel: {
            let waiter = lock.withLock { machine.cancel(host: host, id: id) }
            waiter?.resume(returning: nil)
        }
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

    /// Gives the slot back; the next waiter of the host gets it.
    func release(host: String) {
        let next = lock.withLock { machine.release(host: host, now: clock.now) }
        next?.waiter.resume(returning: next?.start)
    }

    func raiseDelay(host: String, seconds: Double) {
        lock.withLock { machine.raiseDelay(host: host, to: .seconds(seconds)) }
    }

    func backOff(host: String, for duration: Duration) {
        lock.withLock { machine.backOff(host: host, until: clock.now + duration) }
    }
}
