import Foundation

/// Escaping of text for each export format. Every string that reaches an export file (URLs,
/// hosts, titles written by strangers) goes through one of these.
enum Escaping {
    /// XML 1.0 text safe both in element content and in a double- or single-quoted attribute:
    /// `& < > " '` as entities; tab, LF and CR as character references (attribute-value
    /// normalization would otherwise turn them into spaces); characters XML 1.0 forbids
    /// (other C0 controls, U+FFFE, U+FFFF) replaced by U+FFFD.
    static func xml(_ text: String) -> String {
        // Most URLs and titles need nothing: check the bytes before building a new string.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
            && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") && $0 != 0xEF }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                result.unicodeScalars.append("\u{FFFD}")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A DOT double-quoted string, quotes included: `"` and `\` escaped with a backslash
    /// (so a title ending in `\` cannot swallow the closing quote), newlines as `\n`, other
    /// control characters dropped.
    static func dot(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// An RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, CR or LF, or
    /// starts or ends with a space; otherwise as is.
    ///
    /// A field a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or
    /// CR: page titles are written by strangers) is defused as OWASP's "CSV Injection" page
    /// advises: a single quote in front, inside a quoted field, so the cell shows as text.
    static func csv(_ text: String) -> String {
        let startsFormula = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
        let needsQuotes = startsFormula || text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + (startsFormula ? "'" : "") + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A JSON string, quotes included (RFC 8259): `"` `\` and every control character
    /// below U+0020 escaped (the short forms where JSON has them, `\u00XX` otherwise).
    static func json(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A field of a tab-separated line: normalized URLs never hold tabs or line breaks, but a
    /// hand-edited database might, so they are percent-encoded rather than trusted.
    static func tsv(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return text }
        return text.replacingOccurrences(of: "\t", with: "%09")
            .replacingOccurrences(of: "\n", with: "%0A")
            .replacingOccurrences(of: "\r", with: "%0D")
    }
}
