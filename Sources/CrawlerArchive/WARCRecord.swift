import CrawlerCore

/// The record types of WARC 1.1 (§6): the crawler writes `warcinfo`, `request`, `response`,
/// `revisit` and `metadata`; a reader meets any of them.
public enum WARCRecordType: String, Sendable, Hashable, CaseIterable {
    case warcinfo, response, resource, request, metadata, revisit, conversion, continuation
}

/// One named field of a record's header (`WARC-Target-URI: http://…`).
public struct WARCField: Sendable, Hashable {
    /// The field name, as written.
    public var name: String
    /// The value, on one line.
    public var value: String

    /// A field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One WARC record: its type, its named fields and its block (WARC 1.1 §4). `Content-Length`
/// is the block's length and is written by `serialized()`, never kept among `fields`.
public struct WARCRecord: Sendable, Hashable {
    /// `WARC-Type`.
    public var type: WARCRecordType
    /// The other named fields, in the order they are written (`WARC-Record-ID`, `WARC-Date`, …).
    public var fields: [WARCField]
    /// The record's content: an HTTP message for `request`/`response`, `application/warc-fields`
    /// text for `warcinfo`/`metadata`.
    public var block: [UInt8]

    /// A record.
    public init(type: WARCRecordType, fields: [WARCField], block: [UInt8]) {
        self.type = type
        self.fields = fields
        self.block = block
    }

    /// The value of the first field called `name`, compared without case (§4: field names are
    /// case-insensitive).
    public subscript(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// `WARC-Record-ID`, e.g. `<urn:uuid:…>`.
    public var id: String? { self["WARC-Record-ID"] }
    /// `WARC-Target-URI`.
    public var targetURI: String? { self["WARC-Target-URI"] }

    /// The record as written to a file: version line, fields, `Content-Length`, a blank line,
    /// the block and two CRLFs.
    public func serialized() -> [UInt8] {
        var header = "WARC/1.1\r\nWARC-Type: \(type.rawValue)\r\n"
        for field in fields { header += "\(field.name): \(field.value)\r\n" }
        header += "Content-Length: \(block.count)\r\n\r\n"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(header.utf8.count + block.count + 4)
        bytes.append(contentsOf: header.utf8)
        bytes.append(contentsOf: block)
        bytes.append(contentsOf: [13, 10, 13, 10])
        return bytes
    }

    /// For an HTTP `response` or `revisit` block: the part after the header block (the payload),
    /// or nil when the block has no blank line ending a header.
    public var httpPayload: ArraySlice<UInt8>? {
        guard let end = HTTPMessage.headerEnd(in: block[...]) else { return nil }
        return block[end...]
    }

    /// For an HTTP `response` block: the status code of its status line.
    public var httpStatus: Int? {
        guard let end = HTTPMessage.headerEnd(in: block[...]) else { return nil }
        return HTTPMessage.status(of: block[..<end])
    }

    /// For an HTTP `response` block: the value of header `name` (case-insensitive), if present.
    public func httpHeader(_ name: String) -> String? {
        guard let end = HTTPMessage.headerEnd(in: block[...]) else { return nil }
        return HTTPMessage.header(name, in: block[..<end])
    }
}

/// Byte-level helpers for the HTTP messages inside records.
enum HTTPMessage {
    /// The index just past the `\r\n\r\n` (or `\n\n`) that ends the header block.
    static func headerEnd(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 10 {
                if index + 1 < bytes.endIndex, bytes[index + 1] == 10 { return index + 2 }
                if index + 2 < bytes.endIndex, bytes[index + 1] == 13, bytes[index + 2] == 10 { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// The lines of a header block, without their line ends.
    static func lines(_ header: ArraySlice<UInt8>) -> [Substring] {
        String(decoding: header, as: UTF8.self).split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    static func status(of header: ArraySlice<UInt8>) -> Int? {
        guard let first = lines(header).first else { return nil }
        let parts = first.split(separator: " ", maxSplits: 2)
        return parts.count >= 2 ? Int(parts[1]) : nil
    }

    static func header(_ name: String, in header: ArraySlice<UInt8>) -> String? {
        let wanted = name.lowercased()
        for line in lines(header).dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == wanted { return line[line.index(after: colon)...].trimmingASCIIWhitespace() }
        }
        return nil
    }
}
