import CCrawlerLinux

#if canImport(Glibc)
import Glibc
#endif

// Descriptors: pipes, reads and writes, polling, eventfd wake-ups.
extension Posix {
    /// pipe2(2) with O_CLOEXEC: a new pipe whose ends are not inherited by spawned processes.
    public static func pipe() throws(SystemCallError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        _ = try retryingInterrupts("pipe2") { ccl_pipe_cloexec(&ends) }
        return (ends[0], ends[1])
    }

    /// read(2) of up to `count` bytes into `buffer`: the count read (0 at end of file), or
    /// `.wouldBlock` if `descriptor` is non-blocking and has nothing yet.
    @inlinable
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(SystemCallError) -> IOResult<Int> {
        try retryingInterruptsNonBlocking("read") { Glibc.read(descriptor, buffer, count) }
    }

    /// write(2) of up to `count` bytes from `buffer`: the count written, or `.wouldBlock` if
    /// `descriptor` is non-blocking and full. `EPIPE` (the reader is gone) is thrown.
    @inlinable
    public static func write(_ descriptor: Int32, from buffer: UnsafeRawPointer, count: Int) throws(SystemCallError) -> IOResult<Int> {
        try retryingInterruptsNonBlocking("write") { Glibc.write(descriptor, buffer, count) }
    }

    /// writev(2) of `vectors`: the count written, or `.wouldBlock`.
    @inlinable
    public static func writev(_ descriptor: Int32, _ vectors: [iovec]) throws(SystemCallError) -> IOResult<Int> {
        try retryingInterruptsNonBlocking("writev") { Glibc.writev(descriptor, vectors, Int32(vectors.count)) }
    }

    /// vmsplice(2) without blocking: hands the pages under `vectors` to the pipe `descriptor`
    /// instead of copying them (they must stay unchanged until the reader has read them). The
    /// count handed over, or `.wouldBlock` when the pipe is full. `ENOSYS`, `EPERM` and `EINVAL`
    /// (not allowed here) are thrown like any other error: the caller may fall back to `writev`.
    @inlinable
    public static func vmsplice(_ descriptor: Int32, _ vectors: [iovec]) throws(SystemCallError) -> IOResult<Int> {
        try retryingInterruptsNonBlocking("vmsplice") { ccl_vmsplice(descriptor, vectors, UInt(vectors.count)) }
    }

    /// poll(2) on `descriptors` for at most `timeout` milliseconds (-1: no limit): how many are
    /// ready (0 when the time ran out), or nil when a signal interrupted the wait. Not retried:
    /// a caller with a deadline recomputes the timeout first.
    @inlinable
    public static func poll(_ descriptors: UnsafeMutablePointer<pollfd>, count: Int, timeout: Int32) throws(SystemCallError) -> Int32? {
        let ready = Glibc.poll(descriptors, nfds_t(count), timeout)
        if ready >= 0 { return ready }
        let code = Glibc.errno
        if code == EINTR { return nil }
        throw SystemCallError(call: "poll", errno: code)
    }

    /// `poll` on the descriptors of an array.
    @inlinable
    public static func poll(_ descriptors: inout [pollfd], timeout: Int32) throws(SystemCallError) -> Int32? {
        try poll(&descriptors, count: descriptors.count, timeout: timeout)
    }

    /// `poll` on one descriptor.
    @inlinable
    public static func poll(_ descriptor: inout pollfd, timeout: Int32) throws(SystemCallError) -> Int32? {
        try poll(&descriptor, count: 1, timeout: timeout)
    }

    /// fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy of `descriptor` numbered `minimum` or above.
    public static func duplicate(_ descriptor: Int32, atLeast minimum: Int32) throws(SystemCallError) -> Int32 {
        try retryingInterrupts("fcntl") { fcntl(descriptor, F_DUPFD_CLOEXEC, minimum) }
    }

    /// Sets O_NONBLOCK on `descriptor`.
    public static func setNonBlocking(_ descriptor: Int32) throws(SystemCallError) {
        let flags = try retryingInterrupts("fcntl") { fcntl(descriptor, F_GETFL) }
        _ = try retryingInterrupts("fcntl") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sets FD_CLOEXEC on `descriptor`.
    public static func setCloseOnExec(_ descriptor: Int32) throws(SystemCallError) {
        _ = try retryingInterrupts("fcntl") { fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    }

    /// fcntl(F_SETPIPE_SZ): asks for a pipe buffer of `bytes`; the size the kernel gave.
    @discardableResult
    public static func setPipeSize(_ descriptor: Int32, bytes: Int32) throws(SystemCallError) -> Int32 {
        try retryingInterrupts("fcntl(F_SETPIPE_SZ)") { ccl_set_pipe_size(descriptor, bytes) }
    }

    /// eventfd(2), non-blocking and close-on-exec: a descriptor that wakes a thread in `poll`.
    public static func eventfd() throws(SystemCallError) -> Int32 {
        try retryingInterrupts("eventfd") { ccl_eventfd() }
    }

    /// Makes the eventfd readable. Cannot fail in a way that matters: a full counter is readable.
    @inlinable
    public static func signalEventfd(_ descriptor: Int32) {
        ccl_eventfd_signal(descriptor)
    }

    /// Resets the eventfd's counter (it is not readable until signalled again).
    @inlinable
    public static func drainEventfd(_ descriptor: Int32) {
        ccl_eventfd_drain(descriptor)
    }
}
