/// Percent-encoding normalization (RFC 3986 sections 2.1, 2.3 and 6.2.2.2), on bytes.
enum PercentEncoding {
    /// Which characters a component may carry unescaped.
    enum Component {
        case userinfo, path, query

        func allows(_ byte: UInt8) -> Bool {
            if isUnreserved(byte) || isSubDelimiter(byte) { return true }
            switch self {
            case .userinfo: return byte == UInt8(ascii: ":")
            case .path: return byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/")
            case .query:
                return byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?")
            }
        }
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default: false
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Decodes escapes of unreserved characters, upper-cases the hex of the others, escapes
    /// every byte the component does not allow (non-ASCII as UTF-8), and escapes a `%` that
    /// does not start a valid escape as `%25`.
    static func normalize(_ text: some StringProtocol, as component: Component) -> String {
        // Fast path (most components): nothing escaped, nothing to escape.
        if text.utf8.allSatisfy({ $0 != UInt8(ascii: "%") && component.allows($0) }) { return String(text) }
        let growth = 2 * text.utf8.reduce(0) { $0 + (component.allows($1) ? 0 : 1) }
        return Array(text.utf8).withUnsafeBufferPointer { source in
            String(unsafeUninitializedCapacity: source.count + growth) { normalize(source, as: component, into: $0) }
        }
    }

    /// `normalize(_:as:)` from `source` into `output`, which has room for the source and two
    /// more bytes per byte the component does not allow (`%` included: the most a byte can
    /// become is an escape); returns the number of bytes written.
    static func normalize(_ source: UnsafeBufferPointer<UInt8>, as component: Component, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var index = 0
        var end = 0
        func append(_ byte: UInt8) {
            output[end] = byte
            end += 1
        }
        func appendEscape(of byte: UInt8) {
            append(UInt8(ascii: "%"))
            append(hexDigits[Int(byte >> 4)])
            append(hexDigits[Int(byte & 0x0F)])
        }
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < source.count, let high = hexValue(source[index + 1]), let low = hexValue(source[index + 2]) {
                    let decoded = high << 4 | low
                    if isUnreserved(decoded) {
                        append(decoded)
                    } else {
                        append(UInt8(ascii: "%"))
                        append(hexDigits[Int(high)])
                        append(hexDigits[Int(low)])
                    }
                    index += 3
                    continue
                }
                appendEscape(of: byte)
            } else if component.allows(byte) {
                append(byte)
            } else {
                appendEscape(of: byte)
            }
            index += 1
        }
        return end
    }

    /// `normalize(_:as:)` in place, for text whose every byte the component allows or starts a
    /// valid escape (`%` and two hex digits), as `ReferenceResolver` checks first. Such text has
    /// nothing to escape, so normalizing only decodes escapes of unreserved characters and
    /// upper-cases the others: it never grows, and the result is left at the start of `bytes`.
    /// Returns its length.
    static func normalizeEscapes(in bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let first = bytes.firstIndex(of: UInt8(ascii: "%")) else { return bytes.count }
        var input = first
        var output = first
        while input < bytes.count {
            let byte = bytes[input]
            if byte == UInt8(ascii: "%"), input + 2 < bytes.count, let high = hexValue(bytes[input + 1]), let low = hexValue(bytes[input + 2]) {
                let decoded = high << 4 | low
                if isUnreserved(decoded) {
                    bytes[output] = decoded
                    output += 1
                } else {
                    bytes[output] = UInt8(ascii: "%")
                    bytes[output + 1] = hexDigits[Int(high)]
                    bytes[output + 2] = hexDigits[Int(low)]
                    output += 3
                }
                input += 3
            } else {
                // Allowed, by the precondition (an invalid escape would need "%25": longer).
                bytes[output] = byte
                output += 1
                input += 1
            }
        }
        return output
    }

    /// Decodes every valid escape (used for host names, which are then IDNA-encoded).
    static func decodeAll(_ text: some StringProtocol) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
