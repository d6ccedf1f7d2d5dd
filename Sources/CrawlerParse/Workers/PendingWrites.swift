import CLibXML2

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

    /// Writes as much as `descriptor` takes: the byte count written, or -1 with `errno` set.
    mutating func write(to descriptor: Int32) -> Int {
        guard !isEmpty else { return 0 }
        var vectors: [iovec] = []
        vectors.reserveCapacity(Self.runsPerCall)
        let splicing = splicing
        var spliced = false
        let written = gather(first, min(runs.count, first + Self.runsPerCall), &vectors) { vectors in
            spliced = splicing && vectors.reduce(0) { $0 + $1.iov_len } >= Self.spliceThreshold
            return spliced ? cxml_vmsplice(descriptor, vectors, UInt(vectors.count)) : writev(descriptor, vectors, Int32(vectors.count))
        }
        if written < 0, spliced, errno == ENOSYS || errno == EPERM || errno == EINVAL {
            self.splicing = false
            return write(to: descriptor)
        }
        if written > 0 { advance(by: written) }
        return written
    }

    /// Pins runs `index..<end` one inside the other (their pointers stay valid only inside
    /// `withUnsafeBytes`), then calls `body` with all of them.
    private func gather(_ index: Int, _ end: Int, _ vectors: inout [iovec], _ body: ([iovec]) -> Int) -> Int {
        if index == end { return body(vectors) }
        return runs[index].withUnsafeBytes { bytes in
            let skip = index == first ? offset : 0
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip), iov_len: bytes.count - skip))
            return gather(index + 1, end, &vectors, body)
        }
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
