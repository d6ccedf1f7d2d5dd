import CrawlerCore

/// Decisions made from a body's first bytes, before libxml2 sees it: is it HTML at all, and
/// which character encoding to parse it in.
enum HTMLSniffer {
    /// How far into the body a `<meta charset>` is looked for (browsers look at 1024 bytes).
    static let charsetPrescanBytes = 2048
    /// How far into the body binary content is looked for.
    static let binaryPrescanBytes = 1024

    /// The media type a binary body looks like, or nil when it may be text.
    ///
    /// A NUL byte or a well-known magic number in the first bytes means binary: libxml2 would
    /// "recover" such a body into garbage links. A UTF-16 byte-order mark means text. Asked only
    /// of a body whose type says nothing (`ResponseHeaders.isUnknownType`): a declared HTML type
    /// is trusted, as WHATWG MIME Sniffing has browsers trust it.
    static func binaryMediaType(of body: some Collection<UInt8>) -> String? {
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) { return nil }
        let magic: [(bytes: [UInt8], type: String)] = [
            ([0x25, 0x50, 0x44, 0x46, 0x2D], "application/pdf"),  // %PDF-
            ([0x89, 0x50, 0x4E, 0x47], "image/png"),
            ([0x47, 0x49, 0x46, 0x38], "image/gif"),  // GIF8
            ([0xFF, 0xD8, 0xFF], "image/jpeg"),
            ([0x50, 0x4B, 0x03, 0x04], "application/zip"),
            ([0x1F, 0x8B], "application/gzip"),
            ([0x52, 0x49, 0x46, 0x46], "application/octet-stream"),  // RIFF (webp, wav, avi)
            ([0x7F, 0x45, 0x4C, 0x46], "application/octet-stream"),  // ELF
            ([0x00, 0x61, 0x73, 0x6D], "application/wasm"),
        ]
        for (bytes, type) in magic where body.starts(with: bytes) { return type }
        if body.prefix(binaryPrescanBytes).contains(0) { return "application/octet-stream" }
        return nil
    }

    /// The encoding to parse in: the header's charset, else a byte-order mark, else a
    /// `<meta charset>` or `<meta http-equiv content="...; charset=...">` in the first bytes,
    /// else UTF-8 (libxml2 2.9 would otherwise read undeclared bytes as Latin-1).
    static func encoding(headerCharset: String?, body: some Collection<UInt8>) -> String {
        if let headerCharset, !headerCharset.isEmpty { return canonicalEncodingName(headerCharset) }
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if body.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        if body.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        if let declared = metaCharset(in: ArraySlice(body.prefix(charsetPrescanBytes))) { return canonicalEncodingName(declared) }
        return "UTF-8"
    }

    /// WHATWG maps the Latin-1 labels to windows-1252, as browsers decode them.
    static func canonicalEncodingName(_ label: String) -> String {
        switch label.trimmingASCIIWhitespace().lowercased() {
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252":
            "WINDOWS-1252"
        case "utf8", "utf-8", "unicode-1-1-utf-8": "UTF-8"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis": "SHIFT_JIS"
        case let other: other.uppercased()
        }
    }

    /// The charset of the first `<meta>` that declares one in `bytes`, if any.
    static func metaCharset(in bytes: ArraySlice<UInt8>) -> String? {
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var index = 0
        let metaTag = Array("<meta".utf8)
        let charsetWord = Array("charset".utf8)
        while let start = find(metaTag, in: lower, from: index) {
            let tagEnd = lower[start...].firstIndex(of: UInt8(ascii: ">")) ?? lower.count
            var cursor = start + metaTag.count
            while let found = find(charsetWord, in: lower, from: cursor, before: tagEnd) {
                cursor = found + charsetWord.count
                while cursor < tagEnd, isSpace(lower[cursor]) { cursor += 1 }
                guard cursor < tagEnd, lower[cursor] == UInt8(ascii: "=") else { continue }
                cursor += 1
                while cursor < tagEnd, isSpace(lower[cursor]) || lower[cursor] == UInt8(ascii: "\"") || lower[cursor] == UInt8(ascii: "'") { cursor += 1 }
                var end = cursor
                while end < tagEnd, !isSpace(lower[end]), ![UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ";"), UInt8(ascii: "/")].contains(lower[end]) { end += 1 }
                if end > cursor { return String(decoding: lower[cursor..<end], as: UTF8.self) }
            }
            index = tagEnd
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
        let end = min(end ?? haystack.count, haystack.count)
        var index = max(start, 0)
        while index + needle.count <= end {
            if haystack[index] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] { matched = false; break }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
