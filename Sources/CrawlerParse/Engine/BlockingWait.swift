import Foundation

/// Runs a blocking wait (joining an engine's threads) on a thread of its own and resumes when it
/// returns, so a cooperative-pool thread is never parked on a condition variable.
func awaitBlocking(_ wait: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        let waiter = Thread {
            wait()
            done.resume()
        }
        waiter.start()
    }
}
