import CCrawlerLinux

#if canImport(Glibc)
import Glibc
#endif

/// The crawler's system calls, in one place (as swift-nio's `NIOPosix/System.swift` keeps its
/// own): each retries `EINTR` and throws a `SystemCallError` naming the call and its `errno`.
/// Calls whose "would block" is an answer rather than a failure (`read`, `write` on a
/// non-blocking descriptor) return an `IOResult` instead of throwing for it.
///
/// The calls on the worker pipes' hot paths are `@inlinable` and allocate nothing unless they
/// throw. The C side lives in `CCrawlerLinux`.
public enum Posix {
    /// What a call on a non-blocking descriptor did.
    public enum IOResult<Value: Sendable>: Sendable {
        /// It transferred `Value` (a byte count: 0 from `read` means end of file).
        case processed(Value)
        /// It would have blocked (`EAGAIN`): nothing was transferred.
        case wouldBlock
    }

    /// Runs `body` (a call that returns -1 and sets `errno` on failure) until it is not
    /// interrupted by a signal; its result, or a `SystemCallError` naming `call`.
    @inlinable
    @inline(__always)
    public static func retryingInterrupts<Result: FixedWidthInteger>(
        _ call: StaticString, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code != EINTR { throw SystemCallError(call: call.description, errno: code) }
        }
    }

    /// Like `retryingInterrupts`, for a non-blocking descriptor: `EAGAIN` (`EWOULDBLOCK`) is
    /// `.wouldBlock`, not an error.
    @inlinable
    @inline(__always)
    public static func retryingInterruptsNonBlocking<Result: FixedWidthInteger & Sendable>(
        _ call: StaticString, _ body: () -> Result
    ) throws(SystemCallError) -> IOResult<Result> {
        while true {
            let result = body()
            if result != -1 { return .processed(result) }
            let code = Glibc.errno
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            if code != EINTR { throw SystemCallError(call: call.description, errno: code) }
        }
    }

    /// For calls that return their error number instead of setting `errno` (`posix_spawn`,
    /// the `pthread_` calls): throws unless `body` returns 0.
    @inlinable
    public static func checkingReturnedError(_ call: StaticString, _ body: () -> Int32) throws(SystemCallError) {
        let code = body()
        if code != 0 { throw SystemCallError(call: call.description, errno: code) }
    }
}
