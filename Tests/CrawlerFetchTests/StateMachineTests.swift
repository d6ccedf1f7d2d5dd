import CrawlerCore
import Testing

@testable import CrawlerFetch

/// The racy parts, tested as pure state machines without I/O or clocks.
struct TransferRegistryTests {
    let url = NormalizedURL("http://127.0.0.1/a")!

    @Test func runsInSubmissionOrderAndCompletesOnce() {
        var registry = TransferRegistry<String>()
        let a = registry.reserveID(), b = registry.reserveID()
        guard case .queued = registry.submit(a, url: url, waiter: "a"), case .queued = registry.submit(b, url: url, waiter: "b") else {
            Issue.record("not queued")
            return
        }
        #expect(registry.takeNext()?.waiter == "a")
        #expect(registry.takeAll().map(\.waiter) == ["b"])
        #expect(registry.complete(a) == "a")
        #expect(registry.complete(a) == nil)
        #expect(registry.inFlightCount == 1)
    }

    @Test func cancelBeforeSubmitRejectsTheSubmission() {
        var registry = TransferRegistry<String>()
        let id = registry.reserveID()
        guard case .none = registry.cancel(id) else { Issue.record("expected none"); return }
        guard case .reject("w") = registry.submit(id, url: url, waiter: "w") else { Issue.record("expected reject"); return }
        #expect(registry.takeNext() == nil)
    }

    @Test func cancelWhilePendingResumesAndSkips() {
        var registry = TransferRegistry<String>()
        let id = registry.reserveID()
        _ = registry.submit(id, url: url, waiter: "w")
        guard case .resumeCancelled("w", wasRunning: false) = registry.cancel(id) else { Issue.record("expected resume"); return }
        #expect(registry.takeNext() == nil)
    }

    @Test func cancelWhileRunningResumesOnceAndCompletionIsIgnored() {
        var registry = TransferRegistry<String>()
        let id = registry.reserveID()
        _ = registry.submit(id, url: url, waiter: "w")
        _ = registry.takeNext()
        guard case .resumeCancelled("w", wasRunning: true) = registry.cancel(id) else { Issue.record("expected resume"); return }
        #expect(registry.complete(id) == nil)
        guard case .none = registry.cancel(id) else { Issue.record("second cancel must do nothing"); return }
    }

    @Test func shutdownReturnsEveryWaiterAndRejectsNewWork() {
        var registry = TransferRegistry<String>()
        let a = registry.reserveID(), b = registry.reserveID(), c = registry.reserveID()
        _ = registry.submit(a, url: url, waiter: "a")
        _ = registry.submit(b, url: url, waiter: "b")
        _ = registry.takeNext()
        #expect(Set(registry.shutdown()) == ["a", "b"])
        guard case .reject("c") = registry.submit(c, url: url, waiter: "c") else { Issue.record("expected reject"); return }
        #expect(registry.complete(a) == nil)
        #expect(registry.inFlightCount == 0)
    }
}

struct HostGateStateMachineTests {
    let t0 = ContinuousClock.now

    /// A scheduler that never waits gets a slot only when a request may start now; otherwise it
    /// learns the instant (delay, back-off) or that the host is full, and nothing is queued.
    @Test func tryAcquireNeverQueues() {
        let t0 = ContinuousClock.now
        var gate = HostGateStateMachine<String>(limit: 2, delay: .milliseconds(100))
        #expect(gate.tryAcquire(host: "a", now: t0) == .granted)
        #expect(gate.tryAcquire(host: "a", now: t0) == .notBefore(t0 + .milliseconds(100)))
        #expect(gate.tryAcquire(host: "a", now: t0 + .milliseconds(100)) == .granted)
        #expect(gate.tryAcquire(host: "a", now: t0 + .seconds(1)) == .full, "both slots taken")
        #expect(gate.queued(host: "a") == 0)
        _ = gate.release(host: "a", now: t0 + .seconds(1))
        gate.backOff(host: "a", until: t0 + .seconds(5))
        #expect(gate.tryAcquire(host: "a", now: t0 + .seconds(2)) == .notBefore(t0 + .seconds(5)))
        #expect(gate.tryAcquire(host: "a", now: t0 + .seconds(5)) == .granted)
        #expect(gate.inFlight(host: "a") == 2)
    }

    @Test func limitsInFlightPerHostAndHandsSlotsOnInOrder() {
        var gate = HostGateStateMachine<String>(limit: 2, delay: .zero)
        #expect(gate.acquire(host: "a", id: 1, waiter: "1", now: t0) == .start(at: t0))
        #expect(gate.acquire(host: "a", id: 2, waiter: "2", now: t0) == .start(at: t0))
        #expect(gate.acquire(host: "a", id: 3, waiter: "3", now: t0) == .queued)
        #expect(gate.acquire(host: "a", id: 4, waiter: "4", now: t0) == .queued)
        #expect(gate.acquire(host: "b", id: 5, waiter: "5", now: t0) == .start(at: t0))  // other hosts unaffected
        #expect(gate.release(host: "a", now: t0)?.waiter == "3")
        #expect(gate.inFlight(host: "a") == 2)
        #expect(gate.cancel(host: "a", id: 4) == "4")
        #expect(gate.release(host: "a", now: t0) == nil)
        #expect(gate.inFlight(host: "a") == 1)
    }

    @Test func spacesStartsByTheDelay() {
        var gate = HostGateStateMachine<String>(limit: 8, delay: .seconds(1))
        #expect(gate.acquire(host: "a", id: 1, waiter: "1", now: t0) == .start(at: t0))
        #expect(gate.acquire(host: "a", id: 2, waiter: "2", now: t0) == .start(at: t0 + .seconds(1)))
        #expect(gate.acquire(host: "a", id: 3, waiter: "3", now: t0 + .seconds(5)) == .start(at: t0 + .seconds(5)))
    }

    @Test func crawlDelayRaisesButNeverLowers() {
        var gate = HostGateStateMachine<String>(limit: 8, delay: .seconds(1))
        gate.raiseDelay(host: "a", to: .seconds(3))
        gate.raiseDelay(host: "a", to: .milliseconds(500))
        #expect(gate.delay(host: "a") == .seconds(3))
        #expect(gate.delay(host: "b") == .seconds(1))
    }

    @Test func backOffDelaysTheNextStart() {
        var gate = HostGateStateMachine<String>(limit: 8, delay: .zero)
        gate.backOff(host: "a", until: t0 + .seconds(2))
        #expect(gate.acquire(host: "a", id: 1, waiter: "1", now: t0) == .start(at: t0 + .seconds(2)))
        #expect(gate.acquire(host: "b", id: 2, waiter: "2", now: t0) == .start(at: t0))
    }

    @Test func idleHostsAreForgottenUnlessTheyCarryState() {
        var gate = HostGateStateMachine<String>(limit: 2, delay: .zero)
        _ = gate.acquire(host: "a", id: 1, waiter: "1", now: t0)
        _ = gate.release(host: "a", now: t0)
        #expect(gate.hostCount == 0)
        gate.raiseDelay(host: "b", to: .seconds(1))
        _ = gate.acquire(host: "b", id: 2, waiter: "2", now: t0)
        _ = gate.release(host: "b", now: t0)
        #expect(gate.hostCount == 1)  // its Crawl-delay must survive
    }

    @Test func queuedWaiterGetsItsStartAfterTheDelay() {
        var gate = HostGateStateMachine<String>(limit: 1, delay: .seconds(1))
        _ = gate.acquire(host: "a", id: 1, waiter: "1", now: t0)
        #expect(gate.acquire(host: "a", id: 2, waiter: "2", now: t0) == .queued)
        let next = gate.release(host: "a", now: t0 + .milliseconds(100))
        #expect(next?.waiter == "2")
        #expect(next?.start == t0 + .seconds(1))
    }
}

struct RobotsCacheStateMachineTests {
    let t0 = ContinuousClock.now

    @Test func firstFetchesOthersWaitThenAllUseTheCache() {
        var cache = RobotsCacheStateMachine<String>()
        guard case .resume("a", .fetch) = cache.lookup(origin: "o", waiter: "a", now: t0) else { Issue.record("a fetches"); return }
        guard case .queued = cache.lookup(origin: "o", waiter: "b", now: t0) else { Issue.record("b waits"); return }
        guard case .queued = cache.lookup(origin: "o", waiter: "c", now: t0) else { Issue.record("c waits"); return }
        guard case .resume("x", .fetch) = cache.lookup(origin: "other", waiter: "x", now: t0) else { Issue.record("other origin"); return }
        #expect(cache.complete(origin: "o", rules: .disallowAll, expires: t0 + .seconds(60)) == ["b", "c"])
        guard case .resume("d", .rules(.disallowAll)) = cache.lookup(origin: "o", waiter: "d", now: t0 + .seconds(59)) else {
            Issue.record("cached"); return
        }
        guard case .resume("e", .fetch) = cache.lookup(origin: "o", waiter: "e", now: t0 + .seconds(61)) else {
            Issue.record("expired: fetch again"); return
        }
    }

    /// Past its capacity the cache forgets expired rules first, then those expiring soonest; an
    /// origin being fetched is never dropped, and a forgotten one is fetched again when asked.
    @Test func memoryStaysBounded() {
        var cache = RobotsCacheStateMachine<String>(capacity: 10)
        _ = cache.lookup(origin: "busy", waiter: "w", now: t0)
        for index in 0..<30 {
            let origin = "o\(index)"
            _ = cache.lookup(origin: origin, waiter: "x", now: t0)
            _ = cache.complete(origin: origin, rules: .allowAll, expires: t0 + .seconds(Double(100 + index)), now: t0)
            #expect(cache.count <= 10)
        }
        #expect(cache.peek(origin: "busy", now: t0) == .fetching)
        #expect(cache.peek(origin: "o29", now: t0) == .known(.allowAll), "the latest to expire is kept")
        #expect(cache.peek(origin: "o0", now: t0) == .unknown, "the soonest to expire was dropped")
    }

    /// A cancelled waiter leaves the queue; the others still get the rules.
    @Test func aCancelledWaiterLeavesTheQueue() {
        var cache = RobotsCacheStateMachine<String>()
        _ = cache.lookup(origin: "o", id: 1, waiter: "a", now: t0)
        _ = cache.lookup(origin: "o", id: 2, waiter: "b", now: t0)
        _ = cache.lookup(origin: "o", id: 3, waiter: "c", now: t0)
        #expect(cache.cancel(origin: "o", id: 2) == "b")
        #expect(cache.cancel(origin: "o", id: 2) == nil)
        #expect(cache.complete(origin: "o", rules: .allowAll, expires: t0 + .seconds(1)) == ["c"])
    }

    @Test func abandonedFetchPassesToTheNextWaiter() {
        var cache = RobotsCacheStateMachine<String>()
        _ = cache.lookup(origin: "o", waiter: "a", now: t0)
        _ = cache.lookup(origin: "o", waiter: "b", now: t0)
        _ = cache.lookup(origin: "o", waiter: "c", now: t0)
        #expect(cache.abandon(origin: "o") == "b")
        #expect(cache.complete(origin: "o", rules: .allowAll, expires: t0 + .seconds(1)) == ["c"])
        #expect(cache.abandon(origin: "o") == nil)
    }
}

struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func retryAfterInSecondsOrDateCapped() {
        #expect(policy.retryAfter("1") == .seconds(1))
        #expect(policy.retryAfter(" 0 ") == .zero)
        #expect(policy.retryAfter("86400") == policy.maxRetryAfter)
        #expect(policy.retryAfter(nil) == nil)
        #expect(policy.retryAfter("soon") == nil)
        let now = RetryPolicy.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT")!
        #expect(policy.retryAfter("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
        #expect(policy.retryAfter("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == .seconds(10))
        #expect(policy.retryAfter("Sun Nov  6 08:49:38 1994", now: now) == .seconds(1))
        #expect(policy.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)  // in the past
    }

    @Test func backoffIsJitteredWithinAnExponentialCeiling() {
        for attempt in 0..<8 {
            let ceiling = min(policy.maxDelay, policy.baseDelay * (1 << attempt))
            for _ in 0..<50 {
                let wait = policy.backoff(attempt: attempt)
                #expect(wait >= .zero && wait <= ceiling)
            }
        }
    }

    @Test func transientFailures() {
        let url = NormalizedURL("http://127.0.0.1/")!
        func response(_ status: Int) -> Result<FetchResponse, FetchError> {
            .success(FetchResponse(requestedURL: url, finalURL: url, status: status))
        }
        #expect(RetryPolicy.isTransient(response(500)))
        #expect(RetryPolicy.isTransient(response(503)))
        #expect(RetryPolicy.isTransient(response(429)))
        #expect(!RetryPolicy.isTransient(response(404)))
        #expect(!RetryPolicy.isTransient(response(200)))
        #expect(RetryPolicy.isTransient(.failure(.connectionRefused(host: "h"))))
        #expect(RetryPolicy.isTransient(.failure(.connectionReset(url: "u"))))
        #expect(!RetryPolicy.isTransient(.failure(.timeout(url: "u", seconds: 1))))
        #expect(!RetryPolicy.isTransient(.failure(.tooLarge(url: "u", limit: 1))))
    }
}
