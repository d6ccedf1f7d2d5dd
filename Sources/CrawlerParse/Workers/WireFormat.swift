import CrawlerCore

#if canImport(Glibc)
import Glibc
#endif

/// The parse workers' wire protocol: length-prefixed binary frames over a pipe.
///
/// A frame is a 4-byte little-endian payload length, then the payload; a payload starts with
/// a message type byte. Integers are LEB128 varints, strings a varint byte count and UTF-8,
/// optional values a presence byte. Hand-rolled rather than JSON: a parsed page with 100
/// links is about 6 KB and encodes/decodes with no intermediate objects.
/// The parent and the worker are the same binary, so there is no version negotiation.
enum WireFormat {
    /// Largest accepted payload: a bigger length prefix means a corrupt stream.
    static let maxPayloadBytes = 256 << 20

    /// Message type bytes.
    enum MessageType: UInt8 {
        case parseRequest = 1
        case echoRequest = 2
        /// A parse request whose body lies in the worker's `SharedBodies`, not in the frame.
        case parseSharedRequest = 3
        /// An echo request whose body lies in the worker's `SharedBodies`.
        case echoSharedRequest = 4
        case parsedResponse = 0x81
        case failedResponse = 0x82
        case echoResponse = 0x83
    }
}

/// A message from the parent to a worker.
enum WorkerRequest: Equatable {
    /// Parse this page (a worker with test hooks may act out `job.testFault` instead).
    case parse(id: UInt32, job: ParseJob)
    /// Send back an empty answer at once: measures the pipes' cost without parsing.
    case echo(id: UInt32, body: [UInt8])

    var id: UInt32 {
        switch self {
        case .parse(let id, _), .echo(let id, _): id
        }
    }
}

/// A `WorkerRequest` as a worker reads it: the body is where it lies, a slice of the frame it
/// came in or a range of the shared ring, so the worker parses it there instead of copying it.
enum WorkerRequestInPlace {
    case parse(id: UInt32, url: NormalizedURL, headers: ResponseHeaders, testFault: WorkerTestFault?, body: RequestBody)
    case echo(id: UInt32, body: RequestBody)
}

/// Where a request's body lies.
enum RequestBody: Equatable {
    /// In the frame, after the request's other fields.
    case inFrame(ArraySlice<UInt8>)
    /// In the worker's `SharedBodies`, at this range.
    case shared(Range<Int>)

    /// Calls `body` with the bytes, from the frame or from `sharedBodies`; a shared body
    /// without a ring, or outside it, is a malformed request.
    func withBytes<Value>(in sharedBodies: SharedBodies?, _ body: (UnsafeRawBufferPointer) throws(WireFormatError) -> Value) throws(WireFormatError) -> Value {
        switch self {
        case .inFrame(let slice):
            // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
            let result = slice.withUnsafeBytes { bytes in Result { () throws(WireFormatError) in try body(bytes) } }
            return try result.get()
        case .shared(let range):
            guard let sharedBodies else { throw WireFormatError(description: "a body in shared memory, but this worker has no shared ring") }
            return try body(try sharedBodies.bytes(range))
        }
    }
}

/// A message from a worker to the parent.
enum WorkerResponse: Equatable {
    /// The page, or why it could not be parsed.
    case parsed(id: UInt32, result: Result<ParsedPage, ParseError>)
    /// The answer to an `echo`.
    case echoed(id: UInt32)

    var id: UInt32 {
        switch self {
        case .parsed(let id, _), .echoed(let id): id
        }
    }
}

/// A malformed frame: the stream cannot be trusted any more.
struct WireFormatError: Error, Equatable, CustomStringConvertible {
    var description: String
}

// MARK: - Encoding

/// Appends wire values to a byte buffer.
struct WireWriter {
    var bytes: [UInt8] = []

    /// Starts a frame; `finishFrame` fills in its length.
    mutating func beginFrame(_ type: WireFormat.MessageType) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        bytes.append(type.rawValue)
        return start
    }

    mutating func finishFrame(startingAt start: Int, trailingBytes: Int = 0) {
        let length = UInt32(bytes.count - start - 4 + trailingBytes)
        bytes[start] = UInt8(truncatingIfNeeded: length)
        bytes[start + 1] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[start + 2] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[start + 3] = UInt8(truncatingIfNeeded: length >> 24)
    }

    mutating func writeByte(_ value: UInt8) { bytes.append(value) }

    mutating func write(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(varint value: Int) { write(varint: UInt64(max(0, value))) }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            write(varint: utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func writeOptional(_ string: String?) {
        if let string { writeByte(1); write(string) } else { writeByte(0) }
    }

    /// A URL as its string, then where its host starts and ends, where its path starts and
    /// where its query starts (0: none), as UTF-8 offsets: so the reader rebuilds it without
    /// normalizing again (the normalization is the worker's work, not the parent's).
    mutating func writeURL(_ url: NormalizedURL) {
        write(url.string)
        let offsets = url.offsets
        write(varint: offsets.hostStart)
        write(varint: offsets.hostEnd)
        write(varint: offsets.pathStart)
        write(varint: offsets.queryStart ?? 0)
    }

    mutating func writeOptionalURL(_ url: NormalizedURL?) {
        if let url { writeByte(1); writeURL(url) } else { writeByte(0) }
    }

    mutating func write(_ request: WorkerRequest) {
        bytes.append(contentsOf: writeExceptBody(request))
    }

    /// Writes `request` but for its body's bytes, which must follow on the wire (the frame's
    /// length counts them), and returns the body: so a caller can send it from where it lies.
    /// With `sharedBody`, the frame says the body lies at that range of the worker's shared
    /// ring instead, and nothing follows it (the result is empty).
    mutating func writeExceptBody(_ request: WorkerRequest, sharedBody: Range<Int>? = nil) -> [UInt8] {
        let start: Int
        let body: [UInt8]
        switch request {
        case .parse(let id, let job):
            start = beginFrame(sharedBody == nil ? .parseRequest : .parseSharedRequest)
            write(varint: UInt64(id))
            writeByte(job.testFault?.rawValue ?? 0)
            writeURL(job.url)
            writeOptional(job.headers.contentType)
            body = job.body
        case .echo(let id, let echoed):
            start = beginFrame(sharedBody == nil ? .echoRequest : .echoSharedRequest)
            write(varint: UInt64(id))
            body = echoed
        }
        if let sharedBody {
            precondition(sharedBody.count == body.count, "the shared ring holds \(sharedBody.count) bytes of a \(body.count)-byte body")
            write(varint: sharedBody.lowerBound)
            write(varint: sharedBody.count)
            finishFrame(startingAt: start)
            return []
        }
        write(varint: body.count)
        finishFrame(startingAt: start, trailingBytes: body.count)
        return body
    }

    mutating func write(_ response: WorkerResponse) {
        switch response {
        case .parsed(let id, .success(let page)):
            let start = beginFrame(.parsedResponse)
            write(varint: UInt64(id))
            writeURL(page.url)
            writeOptional(page.title)
            writeOptionalURL(page.canonicalURL)
            writeByte((page.robots.noindex ? 1 : 0) | (page.robots.nofollow ? 2 : 0))
            write(varint: page.links.count)
            for link in page.links {
                let kind = UInt8(LinkKind.allCases.firstIndex(of: link.kind)!)
                writeByte(kind | (link.nofollow ? 0x10 : 0) | (link.rel != nil ? 0x20 : 0))
                writeURL(link.target)
                if let rel = link.rel { write(rel) }
                write(link.anchorText)
            }
            finishFrame(startingAt: start)
        case .parsed(let id, .failure(let error)):
            let start = beginFrame(.failedResponse)
            write(varint: UInt64(id))
            switch error {
            case .notHTML(let url, let mediaType): writeByte(1); write(url); write(mediaType)
            case .workerCrashed(let url, let reason): writeByte(2); write(url); write(reason)
            case .timeout(let url, let seconds): writeByte(3); write(url); write(varint: seconds.bitPattern)
            case .memoryLimit(let url, let megabytes): writeByte(4); write(url); write(varint: megabytes)
            case .unparseable(let url, let reason): writeByte(5); write(url); write(reason)
            }
            finishFrame(startingAt: start)
        case .echoed(let id):
            let start = beginFrame(.echoResponse)
            write(varint: UInt64(id))
            finishFrame(startingAt: start)
        }
    }
}

// MARK: - Decoding

/// Reads wire values from one frame's payload, in place: a slice of the decoder's buffer,
/// so nothing is copied but the values themselves.
struct WireReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(payload: ArraySlice<UInt8>) {
        bytes = payload
        position = payload.startIndex
    }

    init(payload: [UInt8]) { self.init(payload: payload[...]) }

    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.endIndex else { throw WireFormatError(description: "frame ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw WireFormatError(description: "varint too long") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readInt() throws -> Int {
        let value = try readVarint()
        guard value <= UInt64(Int.max) else { throw WireFormatError(description: "integer out of range") }
        return Int(value)
    }

    /// The next `count`-prefixed run of bytes, as a range of `bytes`.
    mutating func readRange() throws -> Range<Int> {
        let count = try readInt()
        guard count <= bytes.endIndex - position else { throw WireFormatError(description: "length \(count) past the frame's end") }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func readString() throws -> String {
        String(decoding: bytes[try readRange()], as: UTF8.self)
    }

    mutating func readOptionalString() throws -> String? {
        try readByte() == 0 ? nil : try readString()
    }

    mutating func readDouble() throws -> Double {
        Double(bitPattern: try readVarint())
    }

    /// A URL written by `WireWriter.writeURL`: one string made from the frame's bytes, and
    /// the offsets checked to fit it (a worker's answer is untrusted input), not normalized
    /// again.
    mutating func readURL() throws -> NormalizedURL {
        let range = try readRange()
        let hostStart = try readInt()
        let hostEnd = try readInt()
        let pathStart = try readInt()
        let queryStart = try readInt()
        let offsets = NormalizedURL.Offsets(hostStart: hostStart, hostEnd: hostEnd, pathStart: pathStart, queryStart: queryStart == 0 ? nil : queryStart)
        // The string goes to the URL (not kept here for the error, which would copy it).
        guard let url = NormalizedURL(validating: String(decoding: bytes[range], as: UTF8.self), offsets: offsets) else {
            let string = String(decoding: bytes[range], as: UTF8.self)
            throw WireFormatError(description: "malformed URL \(string) (host \(hostStart)..<\(hostEnd), path at \(pathStart), query at \(queryStart))")
        }
        return url
    }

    /// A request's body: the rest of the frame, or where it lies in the shared ring.
    mutating func readBody(shared: Bool, in payload: ArraySlice<UInt8>) throws -> RequestBody {
        guard shared else { return .inFrame(payload[try readRange()]) }
        let start = try readInt()
        let count = try readInt()
        guard count > 0, count <= Int.max - start else { throw WireFormatError(description: "shared body of \(count) bytes at \(start)") }
        return .shared(start..<(start + count))
    }

    mutating func readOptionalURL() throws -> NormalizedURL? {
        try readByte() == 0 ? nil : try readURL()
    }

    /// The request in `payload`, its body copied out of the frame or of `sharedBodies`.
    static func request(from payload: ArraySlice<UInt8>, sharedBodies: SharedBodies? = nil) throws -> WorkerRequest {
        switch try requestInPlace(from: payload) {
        case .parse(let id, let url, let headers, let testFault, let body):
            .parse(id: id, job: ParseJob(url: url, headers: headers, body: try body.withBytes(in: sharedBodies) { Array($0) }, testFault: testFault))
        case .echo(let id, let body):
            .echo(id: id, body: try body.withBytes(in: sharedBodies) { Array($0) })
        }
    }

    /// The request in `payload`, its body left where it lies (a slice of the payload, or a
    /// range of the shared ring that the caller checks against the ring).
    static func requestInPlace(from payload: ArraySlice<UInt8>) throws -> WorkerRequestInPlace {
        var reader = WireReader(payload: payload)
        let type = try reader.readByte()
        switch WireFormat.MessageType(rawValue: type) {
        case .parseRequest, .parseSharedRequest:
            let id = UInt32(truncatingIfNeeded: try reader.readVarint())
            let faultByte = try reader.readByte()
            let url = try reader.readURL()
            let contentType = try reader.readOptionalString()
            let body = try reader.readBody(shared: type == WireFormat.MessageType.parseSharedRequest.rawValue, in: payload)
            return .parse(id: id, url: url, headers: ResponseHeaders(contentType: contentType), testFault: WorkerTestFault(rawValue: faultByte), body: body)
        case .echoRequest, .echoSharedRequest:
            let id = UInt32(truncatingIfNeeded: try reader.readVarint())
            return .echo(id: id, body: try reader.readBody(shared: type == WireFormat.MessageType.echoSharedRequest.rawValue, in: payload))
        default:
            throw WireFormatError(description: "unknown request type \(type)")
        }
    }

    static func response(from payload: ArraySlice<UInt8>) throws -> WorkerResponse {
        var reader = WireReader(payload: payload)
        let type = try reader.readByte()
        switch WireFormat.MessageType(rawValue: type) {
        case .parsedResponse:
            let id = UInt32(truncatingIfNeeded: try reader.readVarint())
            let url = try reader.readURL()
            let title = try reader.readOptionalString()
            let canonical = try reader.readOptionalURL()
            let robotsBits = try reader.readByte()
            let count = try reader.readInt()
            guard count <= payload.count else { throw WireFormatError(description: "link count \(count) too large") }
            var links: [Link] = []
            links.reserveCapacity(count)
            for _ in 0..<count {
                let flags = try reader.readByte()
                let kindIndex = Int(flags & 0x0F)
                guard kindIndex < LinkKind.allCases.count else { throw WireFormatError(description: "unknown link kind \(kindIndex)") }
                let target = try reader.readURL()
                let rel = flags & 0x20 != 0 ? try reader.readString() : nil
                let anchorText = try reader.readString()
                links.append(Link(target: target, kind: LinkKind.allCases[kindIndex], rel: rel, anchorText: anchorText, nofollow: flags & 0x10 != 0))
            }
            let robots = MetaRobots(noindex: robotsBits & 1 != 0, nofollow: robotsBits & 2 != 0)
            return .parsed(id: id, result: .success(ParsedPage(url: url, title: title, canonicalURL: canonical, robots: robots, links: links)))
        case .failedResponse:
            let id = UInt32(truncatingIfNeeded: try reader.readVarint())
            let kind = try reader.readByte()
            let url = try reader.readString()
            let error: ParseError
            switch kind {
            case 1: error = .notHTML(url: url, mediaType: try reader.readString())
            case 2: error = .workerCrashed(url: url, reason: try reader.readString())
            case 3: error = .timeout(url: url, seconds: try reader.readDouble())
            case 4: error = .memoryLimit(url: url, megabytes: try reader.readInt())
            case 5: error = .unparseable(url: url, reason: try reader.readString())
            default: throw WireFormatError(description: "unknown error kind \(kind)")
            }
            return .parsed(id: id, result: .failure(error))
        case .echoResponse:
            return .echoed(id: UInt32(truncatingIfNeeded: try reader.readVarint()))
        default:
            throw WireFormatError(description: "unknown response type \(type)")
        }
    }
}

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

    /// Reads what `descriptor` has (up to `maximum` bytes) into the buffer: the count read,
    /// 0 at end of file, or -1 with `errno` set.
    mutating func read(from descriptor: Int32, maximum: Int = 256 * 1024) -> Int {
        makeRoom(maximum)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + tail, maximum) }
        if count > 0 { tail += count }
        return count
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
