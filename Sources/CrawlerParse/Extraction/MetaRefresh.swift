/// The URL of a `<meta http-equiv="refresh" content="…">`, read as HTML's "shared declarative
/// refresh steps" read it: a delay (digits and dots), then `;` or `,` or whitespace, then
/// optionally `url=`, then the URL, quoted or not.
enum MetaRefresh {
    /// The reference `content` sends the reader to; nil when it names none (a plain reload) or
    /// is not a refresh at all.
    static func url(in content: String) -> String? {
        var rest = Substring(content)
        func isSpace(_ character: Character) -> Bool { character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\u{0C}" }
        func skipSpaces() { while let first = rest.first, isSpace(first) { rest.removeFirst() } }
        skipSpaces()
        let delay = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !delay.isEmpty else { return nil }
        rest = rest.dropFirst(delay.count)
        guard let separator = rest.first, separator == ";" || separator == "," || isSpace(separator) else { return nil }
        skipSpaces()
        if rest.first == ";" || rest.first == "," { rest.removeFirst() }
        skipSpaces()
        if rest.prefix(3).lowercased() == "url" {
            let beforeURL = rest
            rest = rest.dropFirst(3)
            skipSpaces()
            if rest.first == "=" {
                rest.removeFirst()
                skipSpaces()
            } else {
                rest = beforeURL  // "url" was the start of the URL itself
            }
        }
        var reference: Substring
        if let quote = rest.first, quote == "'" || quote == "\"" {
            rest.removeFirst()
            reference = rest.prefix { $0 != quote }
        } else {
            reference = rest
        }
        while let last = reference.last, isSpace(last) { reference.removeLast() }
        return reference.isEmpty ? nil : String(reference)
    }
}
