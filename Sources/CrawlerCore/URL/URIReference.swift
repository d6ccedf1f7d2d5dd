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
    public init(parsing string: String) {
        let scalars = Array(string.unicodeScalars)
        var index = 0
        // scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any of / ? #
        var cursor = 0
        while cursor < scalars.count, !["/", "?", "#", ":"].contains(scalars[cursor]) { cursor += 1 }
        if cursor > 0, cursor < scalars.count, scalars[cursor] == ":", Self.isValidScheme(scalars[0..<cursor]) {
            scheme = String(String.UnicodeScalarView(scalars[0..<cursor]))
            index = cursor + 1
        }
        if index + 1 < scalars.count, scalars[index] == "/", scalars[index + 1] == "/" {
            var end = index + 2
            while end < scalars.count, !["/", "?", "#"].contains(scalars[end]) { end += 1 }
            authority = String(String.UnicodeScalarView(scalars[(index + 2)..<end]))
            index = end
        }
        var pathEnd = index
        while pathEnd < scalars.count, scalars[pathEnd] != "?", scalars[pathEnd] != "#" { pathEnd += 1 }
        path = String(String.UnicodeScalarView(scalars[index..<pathEnd]))
        index = pathEnd
        if index < scalars.count, scalars[index] == "?" {
            var end = index + 1
            while end < scalars.count, scalars[end] != "#" { end += 1 }
            query = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
            index = end
        }
        if index < scalars.count, scalars[index] == "#" {
            fragment = String(String.UnicodeScalarView(scalars[(index + 1)...]))
        }
    }

    private static func isValidScheme(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = scalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return scalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == ".") }
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
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []  // each element a segment written with its leading "/" (or none for the first)
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let searchStart = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[searchStart...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        return output.joined()
    }
}
