import Testing
@testable import CrawlerCore

/// RFC 3986 section 6 normalization, one row per rule, plus what browsers strip.
struct NormalizedURLTests {
    @Test(arguments: [
        ("HTTP://Example.COM/", "http://example.com/"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("http://example.com:08080/a", "http://example.com:8080/a"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/%7Euser/%41bc", "http://example.com/~user/Abc"),
        ("http://example.com/a%2fb%3F", "http://example.com/a%2Fb%3F"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/caf\u{E9}", "http://example.com/caf%C3%A9"),
        ("http://example.com/a?", "http://example.com/a"),
        ("http://example.com/a?b=1&a=2", "http://example.com/a?b=1&a=2"),
        ("http://example.com/a?q=%7e%2f", "http://example.com/a?q=~%2F"),
        ("http://example.com/a#frag", "http://example.com/a"),
        ("http://example.com/100%", "http://example.com/100%25"),
        ("  http://example.com/a\n/b\t ", "http://example.com/a/b"),
        ("http://M\u{FC}nchen.example/", "http://xn--mnchen-3ya.example/"),
        ("http://user:pw@Example.com/", "http://user:pw@example.com/"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
        ("http://127.0.0.2:8080/x/../y", "http://127.0.0.2:8080/y"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(NormalizedURL(input)?.string == expected)
    }

    @Test(arguments: ["javascript:alert(1)", "mailto:a@b.c", "tel:+123", "data:text/html,hi", "ftp://example.com/", "file:///etc/passwd"])
    func rejectsOtherSchemes(input: String) {
        let base = NormalizedURL("http://example.com/")!
        #expect(base.resolve(input) == nil)
        guard case .failure(.unsupportedScheme) = NormalizedURL.normalize(input, relativeTo: base) else {
            Issue.record("expected unsupportedScheme for \(input)")
            return
        }
    }

    @Test(arguments: ["http://", "http:///a", "http://exa mple.com/", "http://example.com:99999/", "http://example.com:8a/", "/relative"])
    func rejectsInvalidURLs(input: String) {
        #expect(NormalizedURL(input) == nil)
    }

    @Test func resolvesAgainstABase() {
        let base = NormalizedURL("http://127.0.0.2:8080/docs/guide/index.html?x=1")!
        #expect(base.resolve("../api/")?.string == "http://127.0.0.2:8080/docs/api/")
        #expect(base.resolve("//127.0.0.3:8080/p")?.string == "http://127.0.0.3:8080/p")
        #expect(base.resolve("?y=2")?.string == "http://127.0.0.2:8080/docs/guide/index.html?y=2")
        #expect(base.resolve("#top")?.string == "http://127.0.0.2:8080/docs/guide/index.html?x=1")
        #expect(base.resolve("HTTP://127.0.0.2:8080/a")?.string == "http://127.0.0.2:8080/a")
    }

    @Test func exposesItsParts() {
        let url = NormalizedURL("https://Example.com:8443/a/b?c=d")!
        #expect(url.scheme == "https")
        #expect(url.host == "example.com")
        #expect(url.port == 8443)
        #expect(url.authority == "example.com:8443")
        #expect(url.origin == "https://example.com:8443")
        #expect(url.pathAndQuery == "/a/b?c=d")
    }

    /// Input, then what each part must be: string, scheme, host, port, path, query,
    /// authority, origin, pathAndQuery. The parts are cut from the string by offsets; these
    /// are the values the stored parts had.
    static let partsTable: [(String, [String?])] = [
        ("http://127.0.0.1:8080/a/b?x=1", ["http://127.0.0.1:8080/a/b?x=1", "http", "127.0.0.1", "8080", "/a/b", "x=1", "127.0.0.1:8080", "http://127.0.0.1:8080", "/a/b?x=1"]),
        ("HTTPS://Example.COM", ["https://example.com/", "https", "example.com", nil, "/", nil, "example.com", "https://example.com", "/"]),
        ("https://example.com:443/a?", ["https://example.com/a", "https", "example.com", nil, "/a", nil, "example.com", "https://example.com", "/a"]),
        ("http://example.com:80/a?b?c#d", ["http://example.com/a?b?c", "http", "example.com", nil, "/a", "b?c", "example.com", "http://example.com", "/a?b?c"]),
        ("https://example.com:80/", ["https://example.com:80/", "https", "example.com", "80", "/", nil, "example.com:80", "https://example.com:80", "/"]),
        ("http://example.com:0/", ["http://example.com:0/", "http", "example.com", "0", "/", nil, "example.com:0", "http://example.com:0", "/"]),
        ("http://[::1]:8080/p?q", ["http://[::1]:8080/p?q", "http", "[::1]", "8080", "/p", "q", "[::1]:8080", "http://[::1]:8080", "/p?q"]),
        ("https://[::1]/", ["https://[::1]/", "https", "[::1]", nil, "/", nil, "[::1]", "https://[::1]", "/"]),
        (
            "http://M\u{FC}nchen.example/stra\u{DF}e?x=\u{FC}",
            ["http://xn--mnchen-3ya.example/stra%C3%9Fe?x=%C3%BC", "http", "xn--mnchen-3ya.example", nil, "/stra%C3%9Fe", "x=%C3%BC", "xn--mnchen-3ya.example", "http://xn--mnchen-3ya.example", "/stra%C3%9Fe?x=%C3%BC"]
        ),
        (
            "https://user:pw@Example.com:8443/a/b/../c?q=1&r=2",
            ["https://user:pw@example.com:8443/a/c?q=1&r=2", "https", "example.com", "8443", "/a/c", "q=1&r=2", "example.com:8443", "https://example.com:8443", "/a/c?q=1&r=2"]
        ),
        ("http://user@h.test/", ["http://user@h.test/", "http", "h.test", nil, "/", nil, "h.test", "http://h.test", "/"]),
        (
            "http://a.very-long-host-name.example.org/a/long/path/to/page.html?with=a&long=query",
            [
                "http://a.very-long-host-name.example.org/a/long/path/to/page.html?with=a&long=query", "http", "a.very-long-host-name.example.org", nil, "/a/long/path/to/page.html",
                "with=a&long=query", "a.very-long-host-name.example.org", "http://a.very-long-host-name.example.org", "/a/long/path/to/page.html?with=a&long=query",
            ]
        ),
    ]

    @Test(arguments: partsTable)
    func partsAreCutFromTheString(input: String, expected: [String?]) throws {
        let url = try #require(NormalizedURL(input))
        #expect(url.parts == expected)
        // The same URL from the resolver's fast path (as a link, without user name and
        // password) and from the Codable form.
        var resolver = ReferenceResolver(base: NormalizedURL("http://other.test/x")!)
        var asLink = expected
        asLink[0] = expected[0].map { whole in
            guard let at = whole.firstIndex(of: "@") else { return whole }
            return "\(url.scheme)://" + whole[whole.index(after: at)...]
        }
        #expect(resolver.resolve(url.string)?.parts == asLink)
        #expect(NormalizedURL(validating: url.string, offsets: url.offsets)?.parts == expected)
        #expect(url.uriReference == URIReference(parsing: url.string))
    }

    @Test func offsetsThatDoNotFitAreRefused() {
        let string = "https://user@h.test:8080/a?q"
        typealias Offsets = NormalizedURL.Offsets
        #expect(NormalizedURL(validating: string, offsets: Offsets(hostStart: 13, hostEnd: 19, pathStart: 24, queryStart: 27))?.parts
            == [string, "https", "h.test", "8080", "/a", "q", "h.test:8080", "https://h.test:8080", "/a?q"])
        let wrong: [Offsets] = [
            Offsets(hostStart: 8, hostEnd: 19, pathStart: 24, queryStart: 27),  // userinfo in the host
            Offsets(hostStart: 12, hostEnd: 19, pathStart: 24, queryStart: 27),  // "@" in the host
            Offsets(hostStart: 13, hostEnd: 13, pathStart: 24, queryStart: 27),  // empty host
            Offsets(hostStart: 13, hostEnd: 20, pathStart: 24, queryStart: 27),  // port without ":"
            Offsets(hostStart: 13, hostEnd: 19, pathStart: 23, queryStart: 27),  // path without "/"
            Offsets(hostStart: 13, hostEnd: 19, pathStart: 24, queryStart: 26),  // query without "?"
            Offsets(hostStart: 13, hostEnd: 19, pathStart: 24, queryStart: 28),  // empty query
            Offsets(hostStart: 13, hostEnd: 19, pathStart: 24, queryStart: 99),
            Offsets(hostStart: 13, hostEnd: 19, pathStart: 99, queryStart: nil),
            Offsets(hostStart: 19, hostEnd: 13, pathStart: 24, queryStart: nil),
            Offsets(hostStart: -1, hostEnd: 19, pathStart: 24, queryStart: nil),
            Offsets(hostStart: 13, hostEnd: 19, pathStart: 24, queryStart: -5),
            Offsets(hostStart: 13, hostEnd: 19, pathStart: Int.max, queryStart: Int.max),
        ]
        for offsets in wrong { #expect(NormalizedURL(validating: string, offsets: offsets) == nil, "\(offsets)") }
        for bad in ["ftp://h.test/", "http:/h.test/", "http://h.test:99999/", "http://h.test:080/", "http://h.test:8a/", "http://h.test:/", "http://é.test/"] {
            let url = NormalizedURL(validating: bad, offsets: Offsets(hostStart: 7, hostEnd: 13, pathStart: bad.utf8.count - 1, queryStart: nil))
            #expect(url == nil, "\(bad)")
        }
    }

    @Test func equalityAndHashingAreTheString() {
        let a = NormalizedURL("http://h.test/a?b")!, b = NormalizedURL("HTTP://H.test:80/./a?b#c")!
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != NormalizedURL("http://h.test/a?c")!)
        #expect(a < NormalizedURL("http://h.test/b")!)
    }

    @Test func spellingsOfOneResourceAreEqual() {
        let spellings = ["http://127.0.0.2:8080/a/b", "HTTP://127.0.0.2:8080/a/b", "http://127.0.0.2:8080/a/./b",
                         "http://127.0.0.2:8080/a/c/../b", "http://127.0.0.2:8080/%61/b", "http://127.0.0.2:8080/a/b#x"]
        #expect(Set(spellings.compactMap(NormalizedURL.init)).count == 1)
    }
}

extension NormalizedURL {
    /// Every part, in the order of `NormalizedURLTests.partsTable`.
    var parts: [String?] { [string, scheme, host, port.map(String.init), path, query, authority, origin, pathAndQuery] }
}

/// RFC 3492 section 7.1 samples.
struct PunycodeTests {
    @Test(arguments: [
        ("b\u{FC}cher", "bcher-kva"),
        ("m\u{FC}nchen", "mnchen-3ya"),
        ("\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}", "ihqwcrb4cv8a8dqg056pqjye"),
        ("\u{043F}\u{043E}\u{0447}\u{0435}\u{043C}\u{0443}\u{0436}\u{0435}\u{043E}\u{043D}\u{0438}\u{043D}\u{0435}\u{0433}\u{043E}\u{0432}\u{043E}\u{0440}\u{044F}\u{0442}\u{043F}\u{043E}\u{0440}\u{0443}\u{0441}\u{0441}\u{043A}\u{0438}", "b1abfaaepdrnnbgefbadotcwatmq2g4l"),
    ])
    func encodes(label: String, expected: String) {
        #expect(Punycode.encode(label) == expected)
    }
}
