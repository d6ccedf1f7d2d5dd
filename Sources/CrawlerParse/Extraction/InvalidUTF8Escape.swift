/// Carries the bytes of invalid UTF-8 through libxml2 unchanged.
///
/// libxml2 2.9 reads a byte that is not valid UTF-8 in a UTF-8 document as a Latin-1 character,
/// so `href="/caf\xE9"` came back as `/caf%C3%A9`, a URL the page never named. Before the parse,
/// each such byte `b` (0x80...0xFF) is replaced by the private-use character U+10FF00 + `b`,
/// which libxml2 passes through as any other character; afterwards an href gets the byte back,
/// percent-encoded as it was sent (`/caf%E9`, RFC 3986 §2.1), and text gets U+FFFD, as a browser
/// shows it. A document that already holds one of those 128 characters is left as it is (it
/// could not be told from an escaped byte), as is a valid one, which costs one scan.
enum InvalidUTF8Escape {
    /// The body with every byte of an invalid UTF-8 sequence escaped; nil when the body is
    /// valid UTF-8 or already holds an escape character.
    static func escaping(_ body: UnsafeRawBufferPointer) -> [UInt8]? {
        let bytes = body.bindMemory(to: UInt8.self)
        guard let first = firstInvalid(bytes) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        output.append(contentsOf: bytes[..<first])
        var index = first
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                output.append(byte)
                index += 1
                continue
            }
            let length = validSequenceLength(bytes, at: index)
            if length == 0 {
                output += escape(byte)
                index += 1
            } else {
                if isEscape(bytes, at: index) { return nil }
                output.append(contentsOf: bytes[index..<(index + length)])
                index += length
            }
        }
        return output
    }

    /// What an escaped byte becomes when restored.
    enum Restored {
        /// `%XX`, for URLs.
        case percentEncoded
        /// U+FFFD, for text.
        case replacementCharacter
    }

    /// `text` with every escape character restored as `restored` says, appended to `output`.
    static func restore(_ text: UnsafeBufferPointer<UInt8>, as restored: Restored, into output: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        var index = 0
        while index < text.count {
            if isEscape(text, at: index) {
                let byte = 0x80 | ((text[index + 2] & 1) << 6) | (text[index + 3] & 0x3F)
                switch restored {
                case .percentEncoded: output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                case .replacementCharacter: output += [0xEF, 0xBF, 0xBD]
                }
                index += 4
            } else {
                output.append(text[index])
                index += 1
            }
        }
    }

    /// The four UTF-8 bytes of U+10FF00 + `byte` (U+10FF80...U+10FFFF: F4 8F BE|BF 80...BF).
    static func escape(_ byte: UInt8) -> [UInt8] {
        [0xF4, 0x8F, 0xBE | ((byte >> 6) & 1), 0x80 | (byte & 0x3F)]
    }

    /// Whether an escape character starts at `index`.
    private static func isEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 3 < bytes.count && bytes[index] == 0xF4 && bytes[index + 1] == 0x8F && bytes[index + 2] & 0xFE == 0xBE
            && bytes[index + 3] & 0xC0 == 0x80
    }

    /// Where the first invalid sequence starts; nil for valid UTF-8 (and for a body that holds an
    /// escape character, which is then not escaped). ASCII is skipped eight bytes at a time.
    private static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let length = validSequenceLength(bytes, at: index)
            if length == 0 { return index }
            if isEscape(bytes, at: index) { return nil }
            index += length
        }
        return nil
    }

    /// The length of the valid UTF-8 sequence of a non-ASCII character at `index`, 0 if there is
    /// none (Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    private static func validSequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch lead {
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
