import CompressNIO
import NIOCore

/// gzip-compressed sitemaps (`sitemap.xml.gz`): recognized by their magic bytes, whatever the
/// URL or `Content-Type` says, and inflated through a fixed window so that no more than
/// `limit` bytes are ever held: a gzip bomb costs 50 MB, not the machine.
enum SitemapInflater {
    /// What inflating gave: the bytes, at most `limit` of them, and why it stopped early.
    struct Inflated {
        var bytes: [UInt8]
        /// More than `limit` bytes would have come out.
        var truncated = false
        /// zlib's complaint, when the stream is corrupt (the bytes before it are kept).
        var corruption: String?
    }

    /// Whether `body` starts with gzip's magic bytes (RFC 1952: 1f 8b).
    static func isGzip(_ body: [UInt8]) -> Bool {
        body.count >= 2 && body[0] == 0x1F && body[1] == 0x8B
    }

    /// Thrown from the window callback to stop at the limit.
    private struct LimitReached: Error {}

    /// Inflates a gzip `body`, keeping at most `limit` bytes.
    static func inflate(_ body: [UInt8], limit: Int) -> Inflated {
        var output: [UInt8] = []
        var result = Inflated(bytes: [])
        let decompressor = CompressionAlgorithm.gzip().decompressor
        decompressor.window = ByteBufferAllocator().buffer(capacity: 256 * 1024)
        var input = ByteBuffer(bytes: body)
        do {
            try decompressor.startStream()
            try input.decompressStream(with: decompressor) { window in
                let room = limit - output.count
                if window.readableBytes > room {
                    output += window.readableBytesView.prefix(room)
                    throw LimitReached()
                }
                output += window.readableBytesView
            }
        } catch is LimitReached {
            result.truncated = true
        } catch {
            result.corruption = "\(error)"
        }
        try? decompressor.finishStream()  // a stream cut short is reported by the XML parser that reads it
        result.bytes = output
        return result
    }
}
