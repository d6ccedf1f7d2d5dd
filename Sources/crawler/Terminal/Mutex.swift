import Foundation

/// A value behind an `NSLock`. Used instead of `Synchronization.Mutex`, which Thread Sanitizer
/// reports false races in on this toolchain (PLATFORM-NOTES.md).
final class Mutex<Value>: @unchecked Sendable {
    // Sendable proof: `value` is only read or written inside `lock.withLock`, so every access
    // is serialized; the wrapper hands out no references to it.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(&value) }
    }
}
