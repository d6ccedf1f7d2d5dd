#if canImport(Glibc)
import Glibc
#endif

/// A system call failed: which one, and the `errno` it left. Thrown by every `Posix` call, so
/// a caller can react to one error number (`errno == EAGAIN`) and a message can say what the
/// system said ("pipe2 failed: Too many open files (errno 24)").
///
/// What the crawler was doing when the call failed, and what the user can do about it, is
/// for the error that wraps this one (`SpawnError`, `GraphStoreError`) to say.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, as its manual page names it ("pipe2", "memfd_create").
    public let call: String
    /// The error number it reported.
    public let errno: Int32

    /// The failure of `call` with error number `errno`.
    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The system's words for `errno` ("Too many open files").
    public var reason: String { String(cString: strerror(errno)) }

    /// "pipe2 failed: Too many open files (errno 24)".
    public var description: String { "\(call) failed: \(reason) (errno \(errno))" }
}
