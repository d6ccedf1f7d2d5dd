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
    private let machine = Mutex(RobotsCacheStateMachine<Waiter>())
    private let clock = ContinuousClock()

    init(userAgent: String) {
        self.userAgent = userAgent
    }

    func ticket(origin: String) async -> RobotsTicket {
        await withCheckedContinuation { (continuation: Waiter) in
            let now = clock.now
            let action = machine.withLock { $0.lookup(origin: origin, waiter: continuation, now: now) }
            if case .resume(let waiter, let ticket) = action {
                waiter.resume(returning: ticket)
            }
        }
    }

    func complete(origin: String, rules: RobotsRules, lifetime: Duration) {
        let expires = clock.now + lifetime
        let waiters = machine.withLock { $0.complete(origin: origin, rules: rules, expires: expires) }
        for waiter in waiters { waiter.resume(returning: .rules(rules)) }
    }

    func abandon(origin: String) {
        let next = machine.withLock { $0.abandon(origin: origin) }
        next?.resume(returning: .fetch)
    }

    /// What is known of `origin`'s robots.txt now, without waiting or starting a fetch.
    func peek(origin: String) -> RobotsPeek {
        let now = clock.now
        return machine.withLock { $0.peek(origin: origin, now: now) }
    }

    /// What a robots.txt response means (RFC 9309 §2.3.1): 2xx → its rules (of its first
    /// 500 KiB, `BodyLimit.robotsTxt`); 4xx → allow all; 429, 5xx, a failure to connect or anything
    /// else → disallow all, for `failureLifetime`, remembering why (`RobotsRules.unavailable`).
    static func rules(from result: Result<FetchResponse, FetchError>, userAgent: String) -> (RobotsRules, Duration) {
        switch result {
        case .success(let response) where (200..<300).contains(response.status):
            return (RobotsRules(parsing: String(decoding: response.body, as: UTF8.self), userAgent: userAgent), successLifetime)
        case .success(let response) where (400..<500).contains(response.status) && response.status != 429:
            return (.allowAll, successLifetime)
        case .success(let response):
            return (.unavailable(.status(robotsURL: response.finalURL.string, status: response.status)), failureLifetime)
        case .failure(let error):
            return (.unavailable(.fetch(error)), failureLifetime)
        }
    }
}
