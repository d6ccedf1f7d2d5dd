import CrawlerSystem

/// Cuts a byte stream that arrives in arbitrary chunks into frame payloads. Bytes are read
/// from a pipe straight into its buffer, and payloads are slices of that buffer, so a frame
/// is copied once, by the kernel.
struct FrameDecoder {
    /// Received bytes live in `buffer[head..<tail]`; the rest is room for the next read.
    private var buffer: [UInt8] = []
    private var head = 0
    private var tail = 0

    /// Bytes received but not yet returned as a frame.
    var bufferedByteCount: Int { tail - head }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        makeRoom(chunk.count)
        buffer.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[tail..<(tail + chunk.count)]).copyMemory(from: chunk) }
        tail += chunk.count
    }

    mutating func append(_ chunk: some Sequence<UInt8>) {
        let bytes = Array(chunk)
        bytes.withUnsafeBytes { append($0) }
    }

    /// Reads what `descriptor` has (up to `maximum` bytes) into the buffer: the count read
    /// (0 at end of file), or `.wouldBlock` if a non-blocking `descriptor` has nothing yet.
    mutating func read(from descriptor: Int32, maximum: Int = 256 * 1024) throws(SystemCallError) -> Posix.IOResult<Int> {
        makeRoom(maximum)
        let tail = tail
        // withUnsafeMutableBytes rethrows untyped errors: carry the typed one out in a Result.
        let outcome = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(SystemCallError) in try Posix.read(descriptor, into: bytes.baseAddress! + tail, count: maximum) }
        }
        let result = try outcome.get()
        if case .processed(let count) = result { self.tail += count }
        return result
    }

    /// The next complete payload, or nil until more bytes arrive. The slice shares the
    /// decoder's buffer: drop it before the next `append` or `read` (which would otherwise
    /// copy the whole buffer).
    mutating func nextPayload() throws -> ArraySlice<UInt8>? {
        guard tail - head >= 4 else { return nil }
        let length = Int(buffer[head]) | Int(buffer[head + 1]) << 8 | Int(buffer[head + 2]) << 16 | Int(buffer[head + 3]) << 24
        guard length > 0, length <= WireFormat.maxPayloadBytes else { throw WireFormatError(description: "frame length \(length) out of range") }
        guard tail - head - 4 >= length else { return nil }
        let payload = buffer[(head + 4)..<(head + 4 + length)]
        head += 4 + length
        return payload
    }

    /// Makes room for `count` more bytes after `tail`: moves what is buffered to the front
    /// when that is enough, else grows the buffer.
    private mutating func makeRoom(_ count: Int) {
        if head == tail {
            head = 0
            tail = 0
        }
        guard buffer.count - tail < count else { return }
        if head > 0 {
            let (start, end) = (head, tail)
            buffer.withUnsafeMutableBytes { bytes in
                bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + start, byteCount: end - start)
            }
            tail -= head
            head = 0
        }
        if buffer.count - tail < count {
            buffer.append(contentsOf: repeatElement(0, count: max(count - (buffer.count - tail), buffer.count)))
        }
    }
}
