import CrawlerSystem

#if canImport(Glibc)
import Glibc
#endif

/// Byte runs waiting to go down a pipe, in order: small frame heads and the pages' bodies as
/// they lie in their jobs. Neither is copied into a frame buffer: they go with `vmsplice`,
/// which hands the pipe the pages themselves (the worker's read is the only copy), or with
/// `writev` where `vmsplice` is not allowed or the runs are too small to be worth pinning
/// (heads alone, when the bodies go through the shared ring).
///
/// Because of `vmsplice`, a run's bytes must stay alive and unchanged until the reader has
/// read them, not merely until `write` returns. The owner keeps them: the process engine
/// holds each frame's head and body in its job until the worker answers it.
struct PendingWrites {
    private var runs: [[UInt8]] = []
    /// The first run not completely written, and how much of it was.
    private var first = 0
    private var offset = 0

    /// False once `vmsplice` failed for a reason other than a full pipe (a seccomp filter,
    /// an old kernel): `writev` from then on.
    private(set) var splicing: Bool

    /// Writes with `vmsplice` when `splicing` (and the system allows it), else `writev`.
    init(splicing: Bool = true) {
        self.splicing = splicing
    }

    /// At most this many runs go into one `writev` (well under IOV_MAX).
    private static let runsPerCall = 32

    /// Below this many bytes in one call, `writev` copies them instead: pinning a page costs
    /// more than copying a few frame heads, and each spliced run takes a pipe slot of its own.
    static let spliceThreshold = 16 * 1024

    var isEmpty: Bool { first == runs.count }

    mutating func append(_ run: [UInt8]) {
        if !run.isEmpty { runs.append(run) }
    }

    mutating func removeAll() {
        runs.removeAll(keepingCapacity: true)
        first = 0
        offset = 0
    }

    /// Writes as much as `descriptor` takes: the byte count written, or `.wouldBlock` when
    /// the pipe is full. `EPIPE` (the worker is gone) is thrown.
    mutating func write(to descriptor: Int32) throws(SystemCallError) -> Posix.IOResult<Int> {
        guard !isEmpty else { return .processed(0) }
        let end = min(runs.count, first + Self.runsPerCall)
        var bytes = -offset
        for index in first..<end { bytes += runs[index].count }
        let spliced = splicing && bytes >= Self.spliceThreshold
        var vectors: [iovec] = []
        vectors.reserveCapacity(Self.runsPerCall)
        let result: Posix.IOResult<Int>
        do {
            result = try gather(first, end, &vectors) { vectors throws(SystemCallError) in
                spliced ? try Posix.vmsplice(descriptor, vectors) : try Posix.writev(descriptor, vectors)
            }
        } catch where spliced && (error.errno == ENOSYS || error.errno == EPERM || error.errno == EINVAL) {
            // vmsplice is not allowed here (a seccomp filter, an old kernel): writev from now on.
            splicing = false
            return try write(to: descriptor)
        }
        if case .processed(let written) = result, written > 0 { advance(by: written) }
        return result
    }

    /// Pins runs `index..<end` one inside the other (their pointers stay valid only inside
    /// `withUnsafeBytes`), then calls `body` with all of them.
    private func gather<Result>(
        _ index: Int, _ end: Int, _ vectors: inout [iovec], _ body: ([iovec]) throws(SystemCallError) -> Result
    ) throws(SystemCallError) -> Result {
        if index == end { return try body(vectors) }
        // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Swift.Result.
        let outcome = runs[index].withUnsafeBytes { bytes in
            let skip = index == first ? offset : 0
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip), iov_len: bytes.count - skip))
            return Swift.Result { () throws(SystemCallError) in try gather(index + 1, end, &vectors, body) }
        }
        return try outcome.get()
    }

    private mutating func advance(by count: Int) {
        var left = count
        while left > 0, first < runs.count {
            let rest = runs[first].count - offset
            if left < rest {
                offset += left
                return
            }
            left -= rest
            first += 1
            offset = 0
        }
        if first == runs.count { removeAll() }
    }
}
