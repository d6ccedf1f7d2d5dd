import Foundation

/// Runs `body` on a thread of its own and suspends until it returns.
///
/// For blocking calls in tests (`waitUntilExit`, reading a pipe to its end, `poll`, a blocking
/// SQLite call): made directly from a test, such a call holds a thread of Swift's cooperative
/// pool, which has one thread per core (two on CI), so every other test's tasks wait for it and
/// every wall-clock margin in the run stretches. Here the caller's pool thread is free while
/// `body` blocks.
public func onOwnThread<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }.start()
    }
    return try result.get()
}
