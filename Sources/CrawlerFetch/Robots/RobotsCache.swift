import CrawlerCore
import Foundation
import Synchronization

/// The owner of `RobotsCacheStateMachine`: one robots.txt fetch per origin, shared by every
/// request that arrives meanwhile. The machine lives in a `Mutex`; continuations are resumed
/// after the lock is released.
final class RobotsCache: Sendable {
    typealias Waiter = CheckedContinuation<RobotsTicket, Never>
    /// RFC 9309 §2.4: cached rules should not be used for more than 24 hours.
    static let successLifetime: Duration = .seconds(24 * 3600)
    /// A 5xx or unreachable robots.txt disallows everything for this long, then is tried again.
    static let failureLifetime: Duration = .seconds(5 * 60)
    /// Crawl-delay beyond this is cut to it.
    static let maxCrawlDelaySeconds: Double = 60

    private let userAgent: String
    private struct State {
        var machine = RobotsCacheStateMachine<Waiter>()
        /// Ids cancelled before their waiter was queued (see `HostGate`).
        var cancelledEarly: Set<UInt64> = []
    }

    private let machine = Mutex(State())
    private let nextID = Atomic<UInt64>(0)
    private let clock = ContinuousClock()

    init(userAgent: String) {
        self.userAgent = userAgent
    }

    /// What a request for `origin` does about robots.txt: use the rules, fetch them, or (if its
    /// task is cancelled while another request fetches them) give up at once.
    func ticket(origin: String) async -> RobotsTicket {
        if Task.isCancelled { return .cancelled }
        let id = nextID.add(1, ordering: .relaxed).newValue
        let clock = clock
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let now = clock.now
                let action: RobotsCacheStateMachine<Waiter>.LookupAction? = machine.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return nil }
                    return state.machine.lookup(origin: origin, id: id, waiter: continuation, now: now)
                }
                switch action {
                case nil: continuation.resume(returning: .cancelled)
                case .resume(let waiter, let ticket): waiter.resume(returning: ticket)
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = machine.withLock { state in
                let waiter = state.machine.cancel(origin: origin, id: id)
                // Not queued yet: refuse it when it arrives, rather than let it wait for the fetch.
                if waiter == nil { state.cancelledEarly.insert(id) }
                return waiter
            }
            waiter?.resume(returning: .cancelled)
        }
    }

    func complete(origin: String, rules: RobotsRules, lifetime: Duration) {
        let expires = clock.now + lifetime
        let now = clock.now
        let waiters = machine.withLock { $0.machine.complete(origin: origin, rules: rules, expires: expires, now: now) }
        for waiter in waiters { waiter.resume(returning: .rules(rules)) }
    }

    func abandon(origin: String) {
        let next = machine.withLock { $0.machine.abandon(origin: origin) }
        next?.resume(returning: .fetch)
    }

    /// What is known of `origin`'s robots.txt now, without waiting or starting a fetch.
    func peek(origin: String) -> RobotsPeek {
        let now = clock.now
        return machine.withLock { $0.machine.peek(origin: origin, now: now) }
    }

    /// What a robots.txt response means (RFC 9309 §2.3.1): 2xx → its rules (of its first
    /// 500 KiB, `BodyLimit.robotsTxt`); 4xx → allow all; 429, 5xx, a failure to connect or anything
    /// else → disallow all, for `failureLifetime`, remembering why (`RobotsRules.unavailable`).
    static func rules(from result: Result<FetchResponse, FetchError>, userAgent: String) -> (RobotsRules, Duration) {
        switch result {
        case .success(let response) where (200..<300).contains(response.status):
            return (RobotsRules(parsing: String(decoding: response.body, as: UTF8.self), userAgent: userAgent, robotsURL: response.finalURL), successLifetime)
        case .success(let response) where (400..<500).contains(response.status) && response.status != 429:
            return (.allowAll, successLifetime)
        case .success(let response):
            return (.unavailable(.status(robotsURL: response.finalURL.string, status: response.status)), failureLifetime)
        case .failure(let error):
            return (.unavailable(.fetch(error)), failureLifetime)
        }
    }
}
