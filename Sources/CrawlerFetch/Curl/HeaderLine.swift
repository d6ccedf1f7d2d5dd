/// One line curl hands to the header callback, classified on its bytes. Parsing at the byte
/// level matters: a String-based version (Character trimming, lower-casing every name) cost
/// about 5% of the async engine's CPU at zero latency, for four headers we keep.
enum HeaderLine: Equatable {
    /// `HTTP/1.1 301 Moved`: a new response (a redirect hop or the final one) begins.
    case status(Int)
    /// The blank line that ends a header block.
    case end
    /// A header the crawler keeps, with its value trimmed.
    case field(Name, String)
    /// Any other header, or a line that does not parse.
    case ignored

    /// The headers the crawler keeps.
    enum Name: Equatable {
        case contentType, contentLength, retryAfter, location
    }

    init(_ line: UnsafeRawBufferPointer) {
        var start = line.startIndex, end = line.endIndex
        while start < end, Self.isSpace(line[start]) { start += 1 }
        while end > start, Self.isSpace(line[end - 1]) { end -= 1 }
        guard start < end else {
            self = .end
            return
        }
        let text = UnsafeRawBufferPointer(rebasing: line[start..<end])
        if text.count >= 5, text.starts(with: "HTTP/".utf8) {
            // "HTTP/1.1 200 OK", "HTTP/2 200": the second field is the status.
            guard let space = text.firstIndex(of: UInt8(ascii: " ")) else {
                self = .status(0)
                return
            }
            var code = 0, index = space + 1, digits = 0
            while index < text.endIndex, digits < 3, (48...57).contains(text[index]) {
                code = code * 10 + Int(text[index] - 48)
                index += 1
                digits += 1
            }
            self = .status(digits == 3 ? code : 0)
            return
        }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else {
            self = .ignored
            return
        }
        let name: Name
        switch colon - text.startIndex {
        case 8 where Self.equalsLowercased(text, upTo: colon, "location"): name = .location
        case 11 where Self.equalsLowercased(text, upTo: colon, "retry-after"): name = .retryAfter
        case 12 where Self.equalsLowercased(text, upTo: colon, "content-type"): name = .contentType
        case 14 where Self.equalsLowercased(text, upTo: colon, "content-length"): name = .contentLength
        default:
            self = .ignored
            return
        }
        var valueStart = colon + 1
        while valueStart < text.endIndex, Self.isSpace(text[valueStart]) { valueStart += 1 }
        self = .field(name, String(decoding: text[valueStart...], as: UTF8.self))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Whether the bytes before `end` spell `name` (ASCII lower case) in any case.
    private static func equalsLowercased(_ text: UnsafeRawBufferPointer, upTo end: Int, _ name: StaticString) -> Bool {
        let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard end - text.startIndex == expected.count else { return false }
        for offset in 0..<expected.count {
            var byte = text[text.startIndex + offset]
            if (65...90).contains(byte) { byte += 32 }
            if byte != expected[offset] { return false }
        }
        return true
    }
}
