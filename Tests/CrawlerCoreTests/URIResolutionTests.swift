import Testing
@testable import CrawlerCore

/// RFC 3986 section 5.4: every normal and abnormal example, base `http://a/b/c/d;p?q`.
struct URIResolutionTests {
    static let base = URIReference(parsing: "http://a/b/c/d;p?q")

    static let normalExamples: [(String, String)] = [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
        (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("g;x?y#s", "http://a/b/c/g;x?y#s"),
        ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"),
        ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
        ("../../g", "http://a/g"),
    ]

    static let abnormalExamples: [(String, String)] = [
        ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"),
        ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."),
        ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("g;x=1/../y", "http://a/b/c/y"), ("g?y/./x", "http://a/b/c/g?y/./x"), ("g?y/../x", "http://a/b/c/g?y/../x"),
        ("g#s/./x", "http://a/b/c/g#s/./x"), ("g#s/../x", "http://a/b/c/g#s/../x"), ("http:g", "http:g"),
    ]

    @Test(arguments: normalExamples + abnormalExamples)
    func resolvesLikeRFC3986(reference: String, expected: String) {
        #expect(URIReference(parsing: reference).resolved(against: Self.base).string == expected)
    }

    @Test func parsesTheFiveComponents() {
        let reference = URIReference(parsing: "foo://example.com:8042/over/there?name=ferret#nose")
        #expect(reference.scheme == "foo")
        #expect(reference.authority == "example.com:8042")
        #expect(reference.path == "/over/there")
        #expect(reference.query == "name=ferret")
        #expect(reference.fragment == "nose")
    }

    @Test(arguments: [
        ("/a/b/c/./../../g", "/a/g"), ("mid/content=5/../6", "mid/6"), ("/a/./b/../c/", "/a/c/"), ("/..", "/"), ("", ""),
    ])
    func removesDotSegments(path: String, expected: String) {
        #expect(URIReference.removeDotSegments(path) == expected)
    }
}
