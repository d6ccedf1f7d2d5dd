/// The five components of a URI reference (RFC 3986 section 3), and reference resolution
/// (section 5.2). Components are kept as written; `NormalizedURL` normalizes them.
public struct URIReference: Sendable, Hashable {
    /// `http`, `mailto`, …; nil for a relative reference.
    public var scheme: String?
    /// What follows `//` up to the path: `user@host:port`; nil when there is no `//`.
    public var authority: String?
    /// The path, possibly empty.
    public var path: String
    /// What follows `?`, without it; nil when there is no `?`.
    public var query: String?
    /// What follows `#`, without it; nil when there is no `#`.
    public var fragment: String?

    /// Components as given.
    public init(scheme: String? = nil, authority: String? = nil, path: String = "", query: String? = nil, fragment: String? = nil) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Splits a reference the way RFC 3986 appendix B does. Never fails: any string is a
    /// reference, though not every one is a valid URI.
    ///
    /// Works on UTF-8 bytes: every delimiter is ASCII, so the split falls on the same
    /// characters as a split by Unicode scalars would, at a fraction of the cost (this runs
    /// for every link of every page).
    public init(parsing string: String) {
        let utf8 = string.utf8
        let start = utf8.startIndex
        let end = utf8.endIndex
        func text(_ range: Range<String.Index>) -> String { String(Substring(utf8[range])) }
        var index = start
        // scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any of / ? #
        var cursor = start
        while cursor < end {
            let byte = utf8[cursor]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ":") { break }
            cursor = utf8.index(after: cursor)
        }
        if cursor > start, cursor < end, utf8[cursor] == UInt8(ascii: ":"), Self.isValidScheme(utf8[start..<cursor]) {
            scheme = text(start..<cursor)
            index = utf8.index(after: cursor)
        }
        if index < end, utf8[index] == UInt8(ascii: "/") {
            let next = utf8.index(after: index)
            if next < end, utf8[next] == UInt8(ascii: "/") {
                let authorityStart = utf8.index(after: next)
                var authorityEnd = authorityStart
                while authorityEnd < end {
                    let byte = utf8[authorityEnd]
                    if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
                    authorityEnd = utf8.index(after: authorityEnd)
                }
                authority = text(authorityStart..<authorityEnd)
                index = authorityEnd
            }
        }
        var pathEnd = index
        while pathEnd < end, utf8[pathEnd] != UInt8(ascii: "?"), utf8[pathEnd] != UInt8(ascii: "#") { pathEnd = utf8.index(after: pathEnd) }
        path = text(index..<pathEnd)
        index = pathEnd
        if index < end, utf8[index] == UInt8(ascii: "?") {
            let queryStart = utf8.index(after: index)
            var queryEnd = queryStart
            while queryEnd < end, utf8[queryEnd] != UInt8(ascii: "#") { queryEnd = utf8.index(after: queryEnd) }
            query = text(queryStart..<queryEnd)
            index = queryEnd
        }
        if index < end, utf8[index] == UInt8(ascii: "#") {
            fragment = text(utf8.index(after: index)..<end)
        }
    }

    private static func isValidScheme(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first, isASCIILetter(first) else { return false }
        return bytes.allSatisfy {
            isASCIILetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// The reference written back as a string (RFC 3986 section 5.3).
    public var string: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }

    /// This reference resolved against an absolute base URI: RFC 3986 section 5.2.2, strict.
    public func resolved(against base: URIReference) -> URIReference {
        var target = URIReference()
        if let scheme {
            target.scheme = scheme
            target.authority = authority
            target.path = Self.removeDotSegments(path)
            target.query = query
        } else {
            if authority != nil {
                target.authority = authority
                target.path = Self.removeDotSegments(path)
                target.query = query
            } else {
                if path.isEmpty {
                    target.path = base.path
                    target.query = query ?? base.query
                } else {
                    if path.hasPrefix("/") {
                        target.path = Self.removeDotSegments(path)
                    } else {
                        target.path = Self.removeDotSegments(Self.merge(base: base, path: path))
                    }
                    target.query = query
                }
                target.authority = base.authority
            }
            target.scheme = base.scheme
        }
        target.fragment = fragment
        return target
    }

    /// RFC 3986 section 5.2.3.
    private static func merge(base: URIReference, path: String) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + path }
        guard let slash = base.path.lastIndex(of: "/") else { return path }
        return String(base.path[...slash]) + path
    }

    /// Removes `.` and `..` segments: RFC 3986 section 5.2.4.
    public static func removeDotSegments(_ path: String) -> String {
        guard hasDotSegment(path.utf8) else { return path }
        var bytes = Array(path.utf8)
        let count = bytes.withUnsafeMutableBufferPointer { removeDotSegments(in: $0) }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }

    /// Whether `removeDotSegments` can change `path`: every rule needs a "." that starts a
    /// segment (at the start or after a "/").
    static func hasDotSegment(_ path: some Sequence<UInt8>) -> Bool {
        var previous = UInt8(ascii: "/")
        for byte in path {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }

    /// `removeDotSegments` on UTF-8 bytes (every pattern is ASCII), in place; returns the
    /// length of the result, which is left at the start of `bytes`.
    ///
    /// In place because the output never outgrows the input read so far: each rule consumes
    /// input and writes nothing or drops output, and a segment is copied by as many bytes as
    /// it consumes. (`ReferenceResolver` runs this on the buffer that becomes a URL's string.)
    static func removeDotSegments(in bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard hasDotSegment(bytes) else { return bytes.count }
        let count = bytes.count
        let dot = UInt8(ascii: "."), slash = UInt8(ascii: "/")
        var input = 0
        var output = 0  // bytes[..<output] is the output buffer; output <= input throughout
        func at(_ offset: Int) -> UInt8? { input + offset < count ? bytes[input + offset] : nil }
        func removeLastSegment() {
            // An output segment is "/" and no other "/", or (the first) no "/" at all: drop
            // back to the output's last "/", or to its start.
            while output > 0 {
                output -= 1
                if bytes[output] == slash { break }
            }
        }
        while input < count {
            let remaining = count - input
            if at(0) == dot, at(1) == dot, at(2) == slash {  // "../"
                input += 3
            } else if at(0) == dot, at(1) == slash {  // "./"
                input += 2
            } else if at(0) == slash, at(1) == dot, at(2) == slash {  // "/./" → "/"
                input += 2
            } else if remaining == 2, at(0) == slash, at(1) == dot {  // "/." → "/"
                input += 1
                bytes[input] = slash
            } else if at(0) == slash, at(1) == dot, at(2) == dot, at(3) == slash {  // "/../" → "/"
                input += 3
                removeLastSegment()
            } else if remaining == 3, at(0) == slash, at(1) == dot, at(2) == dot {  // "/.." → "/"
                input += 2
                bytes[input] = slash
                removeLastSegment()
            } else if (remaining == 1 && at(0) == dot) || (remaining == 2 && at(0) == dot && at(1) == dot) {
                input = count
            } else {
                var end = bytes[input] == slash ? input + 1 : input
                while end < count, bytes[end] != slash { end += 1 }
                while input < end {
                    bytes[output] = bytes[input]
                    output += 1
                    input += 1
                }
            }
        }
        return output
    }
}
