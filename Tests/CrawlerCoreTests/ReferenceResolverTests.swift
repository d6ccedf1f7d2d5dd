import TestSupport
import Testing
@testable import CrawlerCore

/// `ReferenceResolver` must give exactly what `NormalizedURL.resolve` gives: its fast path
/// only for the shapes it can prove, everything else handed to the general code.
struct ReferenceResolverTests {
    static let base = NormalizedURL("http://example.com/dir/page.html?x=1")!

    /// Reference, expected URL (nil: rejected), and whether the fast path takes it.
    static let cases: [(String, String?, Bool)] = [
        // The common shapes: the fast path.
        ("page2.html", "http://example.com/dir/page2.html", true),
        ("sub/", "http://example.com/dir/sub/", true),
        ("/", "http://example.com/", true),
        ("/a/b?c=d&e=f", "http://example.com/a/b?c=d&e=f", true),
        ("../up.html#part", "http://example.com/up.html", true),
        ("./same.html", "http://example.com/dir/same.html", true),
        (".", "http://example.com/dir/", true),
        ("..", "http://example.com/", true),
        ("../../../../g", "http://example.com/g", true),
        ("/a/./b/../c/.", "http://example.com/a/c/", true),
        ("/Section3/./Page%7e12.html", "http://example.com/Section3/Page~12.html", true),
        ("/a%2fb%3f/%41", "http://example.com/a%2Fb%3F/A", true),
        ("/%2e%2E/x", "http://example.com/x", true),
        ("/a/%2e/b", "http://example.com/a/b", true),
        ("?q=%7e%2f", "http://example.com/dir/page.html?q=~%2F", true),
        ("?y", "http://example.com/dir/page.html?y", true),
        ("?", "http://example.com/dir/page.html", true),
        ("?q=%", "http://example.com/dir/page.html?q=%25", true),
        ("?q=%zz%4", "http://example.com/dir/page.html?q=%25zz%254", true),
        ("/search?q=caf\u{E9}&page=2", "http://example.com/search?q=caf%C3%A9&page=2", true),
        ("/search?q=\u{65E5}\u{672C}", "http://example.com/search?q=%E6%97%A5%E6%9C%AC", true),
        ("?a|b<c>\"d\\e^f`g{h}", "http://example.com/dir/page.html?a%7Cb%3Cc%3E%22d%5Ce%5Ef%60g%7Bh%7D", true),
        ("?q=??/@:", "http://example.com/dir/page.html?q=??/@:", true),
        ("?#f", "http://example.com/dir/page.html", true),
        ("#top", "http://example.com/dir/page.html?x=1", true),
        ("#", "http://example.com/dir/page.html?x=1", true),
        ("", "http://example.com/dir/page.html?x=1", true),
        ("g?", "http://example.com/dir/g", true),
        ("g#s/../x", "http://example.com/dir/g", true),
        ("#caf\u{E9}", "http://example.com/dir/page.html?x=1", true),
        ("http://other.test/a/../b", "http://other.test/b", true),
        ("https://other.test", "https://other.test/", true),
        ("http://other.test?q", "http://other.test/?q", true),
        ("//other.test/p.html", "http://other.test/p.html", true),
        ("//other.test", "http://other.test/", true),
        ("http://other.test:80/a", "http://other.test/a", true),
        ("https://other.test:443/a", "https://other.test/a", true),
        ("https://other.test:80/a", "https://other.test:80/a", true),
        ("//other.test:443/a", "http://other.test:443/a", true),
        ("//other.test:8080/a", "http://other.test:8080/a", true),
        ("http://127.0.0.7:8080/", "http://127.0.0.7:8080/", true),
        ("http://other.test:65535?q", "http://other.test:65535/?q", true),
        ("mailto:someone@example.com", nil, true),
        ("javascript:void(0)", nil, true),
        ("javascript: void(0)", nil, true),
        ("ftp://example.com/", nil, true),
        ("a+b-c.d:x", nil, true),
        // Shapes handed to the general code.
        ("HTTP://Example.COM/a", "http://example.com/a", false),
        ("http://Other.test/", "http://other.test/", false),
        ("//Other.test/", "http://other.test/", false),
        ("//other.test:/a", "http://other.test/a", false),
        ("//other.test:08080/a", "http://other.test:8080/a", false),
        ("//other.test:0/a", "http://other.test:0/a", false),
        ("http://other.test:99999/", nil, false),
        ("http://other.test:655350/", nil, false),
        ("http://other.test:8a/", nil, false),
        ("http://other.test:8080:80/", nil, false),
        // A user name and password in a link are dropped (never sent, never stored).
        ("//user@other.test/a", "http://other.test/a", false),
        ("http://alice:hunter2@other.test:8080/a", "http://other.test:8080/a", false),
        ("HTTPS://alice:hunter2@Other.test/", "https://other.test/", false),
        ("//:@other.test/a", "http://other.test/a", false),
        ("//", nil, false),
        ("http:/a", nil, false),
        ("http:a", nil, false),
        ("//[::1]/a", "http://[::1]/a", false),
        ("/100%", "http://example.com/100%25", false),
        ("/a%4", "http://example.com/a%254", false),
        ("/a%zz", "http://example.com/a%25zz", false),
        ("a b", "http://example.com/dir/a%20b", false),
        (" /a ", "http://example.com/a", false),
        ("\t/a\n/b\r", "http://example.com/a/b", false),
        ("/caf\u{E9}", "http://example.com/caf%C3%A9", false),
        ("/a|b", "http://example.com/a%7Cb", false),
        ("/a\\b", "http://example.com/a%5Cb", false),
        ("?q=a b", "http://example.com/dir/page.html?q=a%20b", false),
        ("#a b", "http://example.com/dir/page.html?x=1", false),
        ("1bad:x", "http://example.com/dir/1bad:x", false),
        ("//exa mple.com/", nil, false),
    ]

    @Test(arguments: cases)
    func resolves(reference: String, expected: String?, fast: Bool) {
        var resolver = ReferenceResolver(base: Self.base)
        let url = resolver.resolve(reference)
        #expect(url?.string == expected)
        #expect(url?.parts == Self.base.resolve(reference)?.parts)
        #expect(resolver.takesFastPath(reference) == fast)
    }

    static let bases = [
        "http://example.com/dir/page.html?x=1", "http://a.test/b/c/d;p?q", "https://user:pw@h.test:8443/x/", "http://h.test",
        "http://[::1]:8080/p?q=1&r", "http://xn--caf-dma.test/%C3%A9/x%2Fy/z", "http://h.test/%7Bx%7D/a%20b", "https://h.test:8443/?",
    ]

    static let pieces = [
        "http:", "https:", "HTTP:", "mailto:", "a+b-c.d:", "1bad:", "//", "//host", "//Host", "//h.test:80", "//h.test:443", "//h.test:8080", "//h.test:080", "//h.test:", "//h.test:99999", "//user@host:80",
        "/", "./", "../", ".", "..", "/./", "/../", "/.", "/..", "a", "b/", "c;p", "?", "?q=1", "#", "#frag", "%2e", "%2E", "%7e", "%41",
        "%2F", "%", "%4", "%zz", "é", "日本", "\u{1F600}", ":", "@", "<", "^", "`", "{", " ", "\t", "\n", "\u{01}", "\u{7F}", "~", "!", "|", "\\", "[", "]", "&", "=", "\"",
    ]

    /// Random concatenations of tricky pieces against bases of every shape: 20,000 samples
    /// against each base, about 9 s of CPU in a debug build (40 s on a loaded machine), so
    /// they run on a thread of their own rather than hold one of the cooperative pool's two
    /// threads, which every other test's tasks wait for. Disagreements are collected there
    /// and checked here.
    @Test func agreesWithTheGeneralCode() async {
        let samples = randomReferences(from: Self.pieces, seed: 0x9E37_79B9) + Self.cases.map(\.0)
        let (compared, disagreements) = await onOwnThread { Self.compareWithTheGeneralCode(samples) }
        #expect(compared == Self.bases.count * samples.count)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(10))")
    }

    /// Each sample resolved by `ReferenceResolver` (from a string and from bytes) and by
    /// `NormalizedURL.resolve` against every base: how many were compared, and where they differ.
    static func compareWithTheGeneralCode(_ samples: [String]) -> (compared: Int, disagreements: [String]) {
        var compared = 0
        var disagreements: [String] = []
        for text in bases {
            let base = NormalizedURL(text)!
            var resolver = ReferenceResolver(base: base)
            for sample in samples {
                let fast = resolver.resolve(sample)
                let general = base.resolve(sample)
                // Equality is the string's; the parts must agree too.
                if fast?.parts != general?.parts || fast?.offsets != general?.offsets {
                    disagreements.append("\(sample) against \(text): \(String(describing: fast)) vs \(String(describing: general))")
                }
                let fromBytes = Array(sample.utf8).withUnsafeBufferPointer { resolver.resolve(utf8: $0) }
                if fromBytes?.parts != general?.parts {
                    disagreements.append("\(sample) as bytes against \(text): \(String(describing: fromBytes)) vs \(String(describing: general))")
                }
                compared += 1
            }
        }
        return (compared, disagreements)
    }

    /// Bytes as libxml2 may hand them over, invalid UTF-8 included: read as `String(cString:)`
    /// reads them (U+FFFD for each invalid sequence).
    @Test(arguments: [
        [0x2F, 0x61], [0x2F, 0x61, 0xFF], [0x23, 0xFF], [0x61, 0x23, 0xC3], [0xC3], [0x3F, 0x71, 0x3D, 0xE6, 0x97], [0x3F, 0xC3, 0xA9], [0x3F, 0xC3, 0xA9, 0xFF], [0x3F, 0xED, 0xA0, 0x80], [0x3F, 0xC3, 0x23, 0xA9], [0x68, 0x74, 0x74, 0x70, 0x3A, 0xFF],
        [0x6D, 0x61, 0x69, 0x6C, 0x74, 0x6F, 0x3A, 0xFF], [0xFF, 0x3A, 0x61], [0x2F, 0x2F, 0x68, 0xFF, 0x2F], [],
    ] as [[UInt8]])
    func readsBytesAsACStringWould(bytes: [UInt8]) {
        var resolver = ReferenceResolver(base: Self.base)
        let text = (bytes + [0]).withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let url = bytes.withUnsafeBufferPointer { resolver.resolve(utf8: $0) }
        #expect(url?.parts == Self.base.resolve(text)?.parts)
    }
}
