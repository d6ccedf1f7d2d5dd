import CrawlerCore

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
            case 6: error = .sitemap(url: url, problem: try reader.readString())
            default: throw WireFormatError(description: "unknown error kind \(kind)")
            }
            return .parsed(id: id, result: .failure(error))
        case .echoResponse:
            return .echoed(id: UInt32(truncatingIfNeeded: try reader.readVarint()))
        case .readyResponse:
            return .ready
        default:
            throw WireFormatError(description: "unknown response type \(type)")
        }
    }
}
