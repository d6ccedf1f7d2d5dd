import CLibDeflate

/// Compresses a whole buffer into one gzip member (RFC 1952) with libdeflate: the one file of
/// this module that calls it. libdeflate rather than zlib because compression is most of what
/// archiving costs a crawl, and libdeflate's level 1 is the fastest of the two at a smaller
/// size (the README's "What archiving costs" table has the figures, measured with and without
/// `--warc` on a 2,000-page synthetic crawl).
///
/// Not thread-safe (libdeflate's compressor holds its match finder's state): one thread at a
/// time.
///
/// `@unchecked Sendable`: it moves between threads but is never used by two at once.
/// `WARCEncoder` is its only owner: `withCompressor` pops it off the pool under the encoder's
/// lock, one thread uses it, and puts it back under the lock; no other reference escapes.
final class GzipMemberCompressor: @unchecked Sendable {
    private let compressor: OpaquePointer

    /// A compressor at `level` (1 fastest … 12 smallest).
    init(level: Int32 = 1) throws {
        guard let compressor = libdeflate_alloc_compressor(level) else {
            throw WARCError.compression(detail: "libdeflate could not allocate a compressor at level \(level) (out of memory?)")
        }
        self.compressor = compressor
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// `bytes` as one complete gzip member.
    func member(of bytes: [UInt8]) throws -> [UInt8] {
        let bound = libdeflate_gzip_compress_bound(compressor, bytes.count)
        var written = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            written = bytes.withUnsafeBytes { input in
                libdeflate_gzip_compress(compressor, input.baseAddress, input.count, buffer.baseAddress, bound)
            }
            count = written
        }
        // The bound is libdeflate's own worst case, so 0 (did not fit) cannot happen for it.
        guard written > 0 else { throw WARCError.compression(detail: "libdeflate could not compress a record of \(bytes.count) bytes") }
        return output
    }
}
