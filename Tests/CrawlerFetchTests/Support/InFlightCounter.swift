import Synchronization

/// Requests in flight per host authority, and the most seen at once: what the politeness tests
/// compare with `--per-host`. Sendable because its only state lives in a `Mutex`.
final class InFlightCounter: Sendable {
    private let counts = Mutex<(current: [String: Int], peak: [String: Int])>(([:], [:]))

    /// A request to `authority` started.
    func enter(_ authority: String) {
        counts.withLock { counts in
            counts.current[authority, default: 0] += 1
            counts.peak[authority] = max(counts.peak[authority] ?? 0, counts.current[authority]!)
        }
    }

    /// A request to `authority` finished.
    func leave(_ authority: String) {
        counts.withLock { $0.current[authority, default: 0] -= 1 }
    }

    /// The most requests in flight at once to `authority`.
    func peak(_ authority: String) -> Int {
        counts.withLock { $0.peak[authority] ?? 0 }
    }
}
