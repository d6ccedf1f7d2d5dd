import Testing

@testable import CrawlerCore

// The byte-level URIReference parser and dot-segment removal (rewritten for speed: they run
// for every link of every page) must agree with the straightforward scalar-level versions
// they replaced, kept here verbatim as the oracle.

struct OracleURIReference: Sendable, Hashable {
    /// `http`, `mailto`, …; nil for a relative reference.
    var scheme: String?
    /// What follows `//` up to the path: `user@host:port`; nil when there is no `//`.
    var authority: String?
    /// The path, possibly empty.
    var path: String
    /// What follows `?`, without it; nil when there is no `?`.
    var query: String?
    /// What follows `#`, without it; nil when there is no `#`.
    var fragment: String?

    /// Components as given.
    init(scheme: String? = nil, authority: String? = nil, path: String = "", query: String? = nil, fragment: String? = nil) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Splits a reference the way RFC 3986 appendix B does. Never fails: any string is a
    /// reference, though not every one is a valid URI.
    init(parsing string: String) {
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
    var string: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }

    /// This reference resolved against an absolute base URI: RFC 3986 section 5.2.2, strict.
    func resolved(against base: OracleURIReference) -> OracleURIReference {
        var target = OracleURIReference()
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
    private static func merge(base: OracleURIReference, path: String) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + path }
        guard let slash = base.path.lastIndex(of: "/") else { return path }
        return String(base.path[...slash]) + path
    }

    /// Removes `.` and `..` segments: RFC 3986 section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
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


@Suite struct URIReferenceOracleTests {
    static let pieces = [
        "http:", "https:", "HTTP:", "mailto:", "a+b-c.d:", "1bad:", "//", "//host", "//user@host:80", "/", "./", "../", ".", "..",
        "/./", "/../", "/.", "/..", "a", "b/", "c;p", "?", "?q=1", "#", "#frag", "%2e", "é", "日本", ":", "@", " ", "\t", "~", "!",
    ]

    static func samples() -> [String] {
        randomReferences(from: pieces, seed: 0x1234_5678) + ["", "http://a/b/c/d;p?q", "g:h", "../../../g", "/./g", "g/../h", "//g?y#s", "http://[::1]:80/a/./b/../c"]
    }

    @Test func parsingAgreesWithTheOracle() {
        for sample in Self.samples() {
            let new = URIReference(parsing: sample)
            let old = OracleURIReference(parsing: sample)
            #expect(new.scheme == old.scheme && new.authority == old.authority && new.path == old.path && new.query == old.query && new.fragment == old.fragment, "\(sample)")
        }
    }

    @Test func dotSegmentRemovalAgreesWithTheOracle() {
        for sample in Self.samples() {
            let path = URIReference(parsing: sample).path
            #expect(URIReference.removeDotSegments(path) == OracleURIReference.removeDotSegments(path), "\(path)")
        }
    }

    @Test func resolutionAgreesWithTheOracle() {
        let bases = ["http://a/b/c/d;p?q", "https://user@h.test:8443/x/", "http://h.test"]
        for base in bases {
            for sample in Self.samples().prefix(5000) {
                let new = URIReference(parsing: sample).resolved(against: URIReference(parsing: base)).string
                let old = OracleURIReference(parsing: sample).resolved(against: OracleURIReference(parsing: base)).string
                #expect(new == old, "\(sample) against \(base)")
            }
        }
    }

    @Test func normalizedURLComponentsAreTheirParsedString() {
        // NormalizedURL.resolve uses the URL's components instead of parsing its string again.
        var urls = ["http://a.test/b/c/d;p?q", "https://user@h.test:8443/x/", "http://h.test", "http://[::1]:8080/p?q=1&r?s", "http://xn--caf-dma.test/%C3%A9/", "http://u:p@h.test:81/?"]
            .compactMap { NormalizedURL($0) }
        let base = NormalizedURL("http://a.test/b/c/d;p?q")!
        urls += Self.samples().compactMap { base.resolve($0) }
        for url in urls {
            #expect(url.uriReference == URIReference(parsing: url.string), "\(url)")
        }
    }
}
