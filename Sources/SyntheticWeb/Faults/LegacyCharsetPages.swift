/// Pages in ISO-8859-1 and Shift_JIS, declared only by `<meta charset>` (the server sends plain
/// `text/html`). Each links to a path with non-ASCII characters, written in the page's encoding;
/// decoded correctly and normalized, it is the UTF-8 percent-encoded path of `charsetTarget`.
enum LegacyCharsetPages {
    static func body(_ charset: FaultResource.LegacyCharset) -> [UInt8] {
        var bytes: [UInt8] = []
        func ascii(_ text: String) { bytes += Array(text.utf8) }
        ascii("<!DOCTYPE html>\n<html><head>\n<meta charset=\"\(charset.rawValue)\">\n")
        switch charset {
        case .latin1:
            ascii("<title>Caf")
            bytes.append(0xE9)  // é
            ascii(" in ISO-8859-1</title>\n</head><body>\n<p>Cr")
            bytes.append(0xE8)  // è
            ascii("me br")
            bytes.append(0xFB)  // û
            ascii("l")
            bytes.append(0xE9)
            ascii("e, na")
            bytes.append(0xEF)  // ï
            ascii("ve fa")
            bytes.append(0xE7)  // ç
            ascii("ade, ")
            bytes.append(0xA9)  // ©
            ascii(" 2026.</p>\n<p><a href=\"/charset/caf")
            bytes.append(0xE9)
            ascii(".html\">Caf")
            bytes.append(0xE9)
            ascii("</a></p>\n")
        case .shiftJIS:
            ascii("<title>")
            bytes += [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]  // 日本語
            ascii(" Shift_JIS</title>\n</head><body>\n<p>")
            // こんにちは、世界。文字コードのテスト
            bytes += [
                0x82, 0xB1, 0x82, 0xF1, 0x82, 0xC9, 0x82, 0xBF, 0x82, 0xCD, 0x81, 0x41, 0x90, 0xA2, 0x8A, 0x45, 0x81, 0x42,
                0x95, 0xB6, 0x8E, 0x9A, 0x83, 0x52, 0x81, 0x5B, 0x83, 0x68, 0x82, 0xCC, 0x83, 0x65, 0x83, 0x58, 0x83, 0x67,
            ]
            ascii("</p>\n<p><a href=\"/charset/")
            bytes += [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]
            ascii(".html\">")
            bytes += [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]
            ascii("</a></p>\n")
        }
        ascii("<p><a href=\"/\">Fault host home</a></p>\n</body></html>\n")
        return bytes
    }
}
