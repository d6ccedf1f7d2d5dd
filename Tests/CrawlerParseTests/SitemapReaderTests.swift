import CompressNIO
import CrawlerCore
import NIOCore
import Testing

@testable import CrawlerParse

/// Sitemaps (sitemaps.org 0.9) read with libxml2's streaming reader: urlsets, indexes,
/// lastmod, gzip, and the protocol's limits, each broken on purpose.
struct SitemapReaderTests {
    static let base = NormalizedURL("http://127.0.0.1:8080/sitemap.xml")!

    static func urlset(_ entries: String) -> [UInt8] {
        Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
            \(entries)
            </urlset>
            """.utf8)
    }

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        return Array(try buffer.compress(with: .gzip()).readableBytesView)
    }

    @Test func urlsetGivesSitemapLinksWithLastmod() throws {
        let body = Self.urlset("""
              <url>
                <loc>
                  http://127.0.0.1:8080/a.html
                </loc>
                <lastmod>2026-01-02T03:04:05+00:00</lastmod>
                <priority>0.8</priority>
                <image:image><image:loc>http://127.0.0.1:8080/picture.png</image:loc></image:image>
              </url>
              <url><loc>http://127.0.0.1:8080/b?x=1&amp;y=2</loc></url>
              <url><lastmod>2026-01-01</lastmod></url>
              <url><loc>/relative.html</loc><lastmod></lastmod></url>
              <url><loc>ftp://127.0.0.1/file</loc></url>
            """)
        let document = try #require(SitemapReader.read(body, url: Self.base))
        #expect(document.kind == .urlset)
        #expect(document.links.map(\.target.string) == [
            "http://127.0.0.1:8080/a.html", "http://127.0.0.1:8080/b?x=1&y=2", "http://127.0.0.1:8080/relative.html",
        ])
        #expect(document.links.allSatisfy { $0.kind == .sitemap })
        #expect(document.links.map(\.lastmod) == ["2026-01-02T03:04:05+00:00", nil, nil])
        #expect(document.invalidEntries == 1)  // the ftp: one; the <url> without <loc> is no entry
        #expect(document.droppedEntries == 0)
        #expect(document.problem == nil)
    }

    @Test func indexListsChildSitemaps() throws {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>http://127.0.0.1:8080/s1.xml.gz</loc><lastmod>2026-03-01</lastmod></sitemap>
              <sitemap><loc>http://127.0.0.1:8080/s2.xml</loc></sitemap>
            </sitemapindex>
            """.utf8)
        let document = try #require(SitemapReader.read(body, url: Self.base))
        #expect(document.kind == .sitemapIndex)
        #expect(document.links.map(\.target.string) == ["http://127.0.0.1:8080/s1.xml.gz", "http://127.0.0.1:8080/s2.xml"])
        #expect(document.links.map(\.lastmod) == ["2026-03-01", nil])
    }

    @Test func gzipIsRecognizedByItsMagicBytes() throws {
        let plain = Self.urlset("<url><loc>http://127.0.0.1:8080/z.html</loc><lastmod>2026-05-05</lastmod></url>")
        let url = NormalizedURL("http://127.0.0.1:8080/served-as-anything")!
        let document = try #require(SitemapReader.read(try Self.gzip(plain), url: url))
        #expect(document.links.map(\.target.string) == ["http://127.0.0.1:8080/z.html"])
        #expect(document.links.first?.lastmod == "2026-05-05")
        #expect(document.problem == nil)
    }

    @Test func malformedXMLKeepsTheEntriesBeforeTheErrorAndSaysWhere() throws {
        let body = Self.urlset("""
              <url><loc>http://127.0.0.1:8080/one</loc></url>
              <url><loc>http://127.0.0.1:8080/two</loc></url>
              <url><loc>http://127.0.0.1:8080/three</lox></url>
              <url><loc>http://127.0.0.1:8080/four</loc></url>
            """)
        let document = try #require(SitemapReader.read(body, url: Self.base))
        #expect(document.links.map(\.target.path) == ["/one", "/two"], "\(document.links)")
        let problem = try #require(document.problem)
        #expect(problem.kind == "sitemap")
        #expect(problem.description.contains("malformed XML (line 5: Opening and ending tag mismatch"), "\(problem)")
        #expect(problem.description.contains("the 2 entries before the error were kept"))
    }

    /// A sitemap smaller than one slice whose error comes before its root element was handed
    /// over: the finer second read still finds the entry before the error.
    @Test func smallMalformedSitemapKeepsItsFirstEntry() throws {
        let body = Array("""
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>http://127.0.0.1/c.html</loc></url>
            <url><loc>http://127.0.0.1/d.html</lox></url>
            </urlset>
            """.utf8)
        #expect(body.count < SitemapParser.sliceBytes)
        let document = try #require(SitemapReader.read(body, url: Self.base))
        #expect(document.links.map(\.target.path) == ["/c.html"])
        #expect(document.problem?.kind == "sitemap")
    }

    @Test func corruptGzipSaysSo() throws {
        let good = try Self.gzip(Self.urlset("<url><loc>http://127.0.0.1:8080/z.html</loc></url>"))
        var corrupt = Array(good.prefix(10))
        corrupt += [UInt8](repeating: 0xFF, count: 40)
        let document = try #require(SitemapReader.read(corrupt, url: Self.base))
        #expect(document.links.isEmpty)
        #expect(document.problem?.description.contains("is not valid gzip") == true, "\(String(describing: document.problem))")
    }

    @Test func otherDocumentsAreNotSitemaps() {
        #expect(SitemapReader.read(Array("<?xml version=\"1.0\"?><rss><channel><link>http://a/</link></channel></rss>".utf8), url: Self.base) == nil)
        #expect(SitemapReader.read(Array("<html><body><a href=/x>x</a></body></html>".utf8), url: Self.base) == nil)
        #expect(SitemapReader.read(Array("just text".utf8), url: Self.base) == nil)
        #expect(SitemapReader.read([], url: Self.base) == nil)
    }

    @Test(arguments: [
        ("/sitemap.xml", "text/plain", true), ("/s.XML.GZ", nil, true), ("/page", "application/xml", true),
        ("/page", "text/xml", true), ("/page", "application/x-gzip", true), ("/feed", "application/rss+xml", false),
        ("/page.html", "text/html", false), ("/sitemap.xml.html", nil, false),
    ] as [(String, String?, Bool)])
    func candidatesByTypeOrName(path: String, mediaType: String?, expected: Bool) {
        #expect(SitemapReader.mayBeSitemap(url: NormalizedURL("http://127.0.0.1" + path)!, mediaType: mediaType) == expected)
    }

    /// 50,003 entries: the first 50,000 are kept, and the problem says how many were dropped.
    @Test func fiftyThousandURLsAtMost() throws {
        var entries = ""
        entries.reserveCapacity(50_003 * 48)
        for number in 0..<50_003 { entries += "<url><loc>http://127.0.0.1/p\(number)</loc></url>\n" }
        let document = try #require(SitemapReader.read(Self.urlset(entries), url: Self.base))
        #expect(document.links.count == SitemapLimits.maxEntries)
        #expect(document.links.last?.target.path == "/p49999")
        #expect(document.droppedEntries == 3)
        #expect(document.problem?.description.contains("lists 50003 URLs, more than the protocol's 50000; the first 50000 were kept and 3 dropped") == true)
    }

    /// More than 50 MB of plain XML: reading stops at 50 MB (the padding is one comment, so
    /// the test costs the bytes, not millions of nodes).
    @Test func fiftyMegabytesAtMostPlain() throws {
        var body = Self.urlset("<url><loc>http://127.0.0.1/kept</loc></url>\n<!-- ")
        body.removeLast("\n</urlset>".utf8.count)
        body += [UInt8](repeating: UInt8(ascii: "x"), count: SitemapLimits.maxBytes)
        body += Array(" -->\n<url><loc>http://127.0.0.1/beyond</loc></url></urlset>".utf8)
        let document = try #require(SitemapReader.read(body, url: Self.base))
        #expect(document.links.map(\.target.path) == ["/kept"])
        #expect(document.problem?.description.contains("larger than the protocol's 50 MB once inflated") == true, "\(String(describing: document.problem))")
    }

    /// A gzip bomb: a few hundred KB that inflate past 50 MB are read up to 50 MB, no further.
    /// Compressed in chunks (streaming), so the test never holds the inflated bytes itself.
    @Test func fiftyMegabytesAtMostInflated() throws {
        var head = Self.urlset("<url><loc>http://127.0.0.1/kept</loc><lastmod>2026-01-01</lastmod></url>\n<!-- ")
        head.removeLast("\n</urlset>".utf8.count)
        let compressor = CompressionAlgorithm.gzip().compressor
        compressor.window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        try compressor.startStream()
        var bomb: [UInt8] = []
        func feed(_ bytes: [UInt8], flush: CompressNIOFlush) throws {
            var input = ByteBuffer(bytes: bytes)
            try input.compressStream(with: compressor, flush: flush) { window in bomb += window.readableBytesView }
        }
        try feed(head, flush: .no)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<51 { try feed(chunk, flush: .no) }
        try feed(Array(" --></urlset>".utf8), flush: .finish)
        try compressor.finishStream()
        #expect(bomb.count < 1 << 20)
        let document = try #require(SitemapReader.read(bomb, url: Self.base))
        #expect(document.links.map(\.target.path) == ["/kept"])
        #expect(document.links.first?.lastmod == "2026-01-01")
        #expect(document.problem?.description.contains("larger than the protocol's 50 MB once inflated") == true, "\(String(describing: document.problem))")
        // A smaller limit cuts the same way: the limit is a parameter, not a constant in the code.
        let small = try #require(SitemapReader.read(bomb, url: Self.base, maxBytes: 4096))
        #expect(small.links.count == 1)
        #expect(small.problem?.description.contains("larger than the protocol's 0 MB") == true)
    }

    @Test func readOffPoolGivesTheSameDocument() async throws {
        let body = Self.urlset("<url><loc>http://127.0.0.1:8080/a.html</loc></url>")
        let (document, cpu) = await SitemapReader.readOffPool(body, url: Self.base)
        #expect(document == SitemapReader.read(body, url: Self.base))
        #expect(cpu >= 0)
    }
}
