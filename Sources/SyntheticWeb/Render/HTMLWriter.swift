/// Appends markup to a byte array: raw markup, escaped text and attribute values.
struct HTMLWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    /// Markup as written.
    mutating func raw(_ markup: String) { bytes.append(contentsOf: markup.utf8) }

    /// Bytes as given (for pages in other encodings).
    mutating func raw(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    /// Text with `&`, `<` and `>` escaped.
    mutating func text(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            default: bytes.append(byte)
            }
        }
    }

    /// An attribute value escaped for double quotes (`&`, `"`, `<`, `>`), without the quotes.
    static func escapeAttribute(_ value: String, quote: Character = "\"") -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count + 8)
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quote == "\"": result += "&quot;"
            case "'" where quote == "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
