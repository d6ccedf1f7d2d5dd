import Testing
@testable import CrawlerCore

/// The in-place forms of dot-segment removal and escape normalization, which the general
/// code and `ReferenceResolver`'s fast path share.
struct InPlaceNormalizationTests {
    @Test(arguments: [
        ("/a/b/c/./../../g", "/a/g"), ("mid/content=5/../6", "mid/6"), ("/a/./b/../c/", "/a/c/"), ("/..", "/"), ("", ""), ("../x", "x"),
        ("/a/..", "/"), ("/a/.", "/a/"), ("a/../../b", "/b"), ("/a/b/..", "/a/"),
    ])
    func removesDotSegmentsInPlace(path: String, expected: String) {
        var bytes = Array(path.utf8)
        let count = bytes.withUnsafeMutableBufferPointer { URIReference.removeDotSegments(in: $0) }
        #expect(String(decoding: bytes[..<count], as: UTF8.self) == expected)
    }

    @Test(arguments: [("/a%7e%41", "/a~A"), ("%2f%2F", "%2F%2F"), ("/plain", "/plain"), ("%3a%3A", "%3A%3A"), ("%2e", ".")])
    func normalizesEscapesInPlace(text: String, expected: String) {
        var bytes = Array(text.utf8)
        let count = bytes.withUnsafeMutableBufferPointer { PercentEncoding.normalizeEscapes(in: $0) }
        #expect(String(decoding: bytes[..<count], as: UTF8.self) == expected)
        #expect(PercentEncoding.normalize(text, as: .path) == expected)
    }
}
