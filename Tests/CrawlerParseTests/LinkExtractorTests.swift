import CrawlerCore
import Testing

@testable import CrawlerParse

/// Parses `html` as the page at `url` with the inline extractor.
func extract(_ html: String, url: String = "http://example.test/dir/page.html", contentType: String? = "text/html", maxAnchorText: Int = 256) -> Result<ParsedPage, ParseError> {
    var options = ParseOptions()
    options.maxAnchorTextLength = maxAnchorText
    return LinkExtractor(options: options).extract(ParseJob(url: NormalizedURL(url)!, headers: ResponseHeaders(contentType: contentType), body: Array(html.utf8)))
}

func page(_ html: String, url: String = "http://example.test/dir/page.html", maxAnchorText: Int = 256) throws -> ParsedPage {
    try extract(html, url: url, maxAnchorText: maxAnchorText).get()
}

@Suite struct LinkExtractorTests {
    @Test func everyElementKind() throws {
        let parsed = try page("""
            <html><head><link rel="stylesheet" href="/style.css"><title> The   Title </title></head>
            <body><a href="a.html">An <b>anchor</b>
               text</a>
            <map><area href="/area" alt=" Area  alt "></map>
            <iframe src="frame1.html"></iframe>
            <frameset><frame src="//other.test/f"></frameset>
            <img src="/logo.png" srcset="/not-a-link-2x.png 2x"><script src="/app.js">document.write('<a href="/not-a-link-js">')</script>
            <video src="movie.webm" poster="/not-a-link-poster.png"><source src="movie.mp4"></video><audio src="/sound.ogg"></audio>
            <embed src="/applet.swf"><form action="/not-a-link"></form>
            </body></html>
            """)
        #expect(parsed.title == "The Title")
        #expect(parsed.links.map(\.target.string) == [
            "http://example.test/style.css", "http://example.test/dir/a.html", "http://example.test/area",
            "http://example.test/dir/frame1.html", "http://other.test/f", "http://example.test/logo.png", "http://example.test/app.js",
            "http://example.test/dir/movie.webm", "http://example.test/dir/movie.mp4", "http://example.test/sound.ogg", "http://example.test/applet.swf",
        ])
        #expect(parsed.links.map(\.kind) == [.link, .a, .area, .iframe, .frame, .img, .script, .video, .source, .audio, .embed])
        #expect(parsed.links.map(\.role) == [.resource, .hyperlink, .hyperlink, .hyperlink, .hyperlink, .resource, .resource, .resource, .resource, .resource, .resource])
        #expect(parsed.links[0].rel == "stylesheet")
        #expect(parsed.links[1].anchorText == "An anchor text")
        #expect(parsed.links[2].anchorText == "Area alt")
    }

    @Test func areaFallsBackToTitle() throws {
        let parsed = try page(#"<map><area href="/x" title="T"></map>"#)
        #expect(parsed.links.first?.anchorText == "T")
    }

    @Test func baseHrefAppliesToLinksBeforeAndAfterIt() throws {
        let parsed = try page("""
            <html><head><link rel=canonical href="canon"><base href="/base/sub/"><base href="http://ignored.test/"></head>
            <body><a href="x">x</a><a href="../y">y</a><a href="http://abs.test/z">z</a></body></html>
            """)
        #expect(parsed.links.map(\.target.string) == [
            "http://example.test/base/sub/canon", "http://example.test/base/sub/x", "http://example.test/base/y", "http://abs.test/z",
        ])
        #expect(parsed.canonicalURL?.string == "http://example.test/base/sub/canon")
    }

    @Test func invalidBaseFallsBackToThePageURL() throws {
        let parsed = try page(#"<base href="javascript:void(0)"><a href="x">x</a>"#)
        #expect(parsed.links.map(\.target.string) == ["http://example.test/dir/x"])
    }

    @Test func nofollowAndRel() throws {
        let parsed = try page(#"<a href="/1" rel="NoFollow noopener">1</a><a href="/2" rel="nofollowish">2</a><a href="/3">3</a><link rel="nofollow alternate" href="/4">"#)
        #expect(parsed.links.map(\.nofollow) == [true, false, false, true])
        #expect(parsed.links[0].rel == "nofollow noopener")
        #expect(parsed.links[2].rel == nil)
    }

    @Test(arguments: [
        ("<meta name=robots content='noindex, nofollow'>", MetaRobots(noindex: true, nofollow: true)),
        ("<meta name=ROBOTS content='NOINDEX'>", MetaRobots(noindex: true, nofollow: false)),
        ("<meta name=robots content='none'>", MetaRobots(noindex: true, nofollow: true)),
        ("<meta name=robots content='index,nofollow'>", MetaRobots(noindex: false, nofollow: true)),
        ("<meta name=googlebot content='noindex'>", MetaRobots()),
        ("<meta name=description content='noindex nofollow'>", MetaRobots()),
    ])
    func metaRobots(html: String, expected: MetaRobots) throws {
        #expect(try page("<html><head>\(html)</head><body></body></html>").robots == expected)
    }

    @Test func entitiesInHrefsAreDecoded() throws {
        let parsed = try page(#"<a href="/search?a=1&amp;b=2&#38;c=3">s</a><a href="/caf&eacute;">c</a>"#)
        #expect(parsed.links.map(\.target.string) == ["http://example.test/search?a=1&b=2&c=3", "http://example.test/caf%C3%A9"])
    }

    @Test func nonHTTPSchemesAreDropped() throws {
        let parsed = try page("""
            <a href="javascript:alert(1)">j</a><a href="mailto:a@b.test">m</a><a href="tel:+123">t</a>
            <a href="data:text/html,hi">d</a><a href="ftp://f.test/">f</a><a href="https://ok.test/">ok</a>
            <a href="http://[bad">bad</a><a name="no-href">n</a>
            """)
        #expect(parsed.links.map(\.target.string) == ["https://ok.test/"])
    }

    @Test func anchorTextIsCollapsedTrimmedAndBounded() throws {
        let long = String(repeating: "word ", count: 1000)
        let parsed = try page("<a href='/a'>\n\t \(long)</a><a href='/b'>  é  ü  </a><a href='/c'></a>", maxAnchorText: 12)
        #expect(parsed.links[0].anchorText == "word word wo")
        #expect(parsed.links[1].anchorText == "é ü")
        #expect(parsed.links[2].anchorText == "")
    }

    @Test func scriptStyleAndCommentsAreNotExtracted() throws {
        let parsed = try page("""
            <script>document.write('<a href="/script-link">x</a>')</script>
            <style>a { background: url(/style-link) }</style>
            <!-- <a href="/comment-link">c</a> -->
            <a href="/real">real <script>var x = "<b>no</b>";</script>text<!-- hidden --></a>
            <noscript><a href="/noscript">n</a></noscript>
            """)
        #expect(parsed.links.map(\.target.path) == ["/real", "/noscript"])
        #expect(parsed.links[0].anchorText == "real text")
    }

    @Test func duplicatesAndFragmentsAreKept() throws {
        let parsed = try page(##"<a href="/x#one">1</a><a href="/x#two">2</a><a href="#top">top</a><a href="">self</a>"##)
        #expect(parsed.links.map(\.target.string) == ["http://example.test/x", "http://example.test/x", "http://example.test/dir/page.html", "http://example.test/dir/page.html"])
    }

    @Test func nestedAnchorsCloseTheOuterOne() throws {
        let parsed = try page(#"<a href="/outer">outer <a href="/inner">inner</a> tail</a>"#)
        #expect(parsed.links.map(\.target.path) == ["/outer", "/inner"])
        #expect(parsed.links.map(\.anchorText) == ["outer", "inner"])
    }

    @Test func malformedMarkupIsRecovered() throws {
        let parsed = try page("<html><body><div><p><a href=/one>one<td><a href='/two' >two</div></span></table><a href=\"/three\"")
        #expect(parsed.links.map(\.target.path).prefix(2) == ["/one", "/two"])
    }

    @Test func nonHTMLContentTypeIsNotParsed() {
        let result = extract("<a href='/x'>x</a>", contentType: "application/pdf")
        #expect(result == .failure(.notHTML(url: "http://example.test/dir/page.html", mediaType: "application/pdf")))
    }

    /// A body whose type says nothing is sniffed (WHATWG MIME Sniffing): binary bytes are not HTML.
    @Test(arguments: [nil, "unknown/unknown", "application/unknown", "*/*"] as [String?])
    func binaryBodyWithoutATypeIsNotParsed(contentType: String?) {
        var body: [UInt8] = Array("<a href='/x'>".utf8) + [0, 1, 2, 0xFF]
        let job = ParseJob(url: NormalizedURL("http://example.test/")!, headers: ResponseHeaders(contentType: contentType), body: body)
        guard case .failure(.notHTML(_, let mediaType)) = LinkExtractor().extract(job) else {
            Issue.record("binary body was parsed")
            return
        }
        #expect(mediaType.contains("octet-stream"))
        body = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A] + Array("<a href='/x'>".utf8)
        guard case .failure(.notHTML(_, let png)) = LinkExtractor().extract(ParseJob(url: job.url, headers: job.headers, body: body)) else {
            Issue.record("PNG body was parsed")
            return
        }
        #expect(png.contains("image/png"))
    }

    /// A declared `text/html` is trusted, as browsers trust it: one NUL byte in the first
    /// kilobyte does not make the page binary, and its links are all found.
    @Test(arguments: ["text/html", "text/html; charset=utf-8", "application/xhtml+xml"])
    func declaredHTMLWithANULByteKeepsItsLinks(contentType: String) throws {
        let body = Array("<html><body><a href='/before'>before</a>".utf8) + [0] + Array("text<a href='/after'>after</a></body></html>".utf8)
        let job = ParseJob(url: NormalizedURL("http://example.test/")!, headers: ResponseHeaders(contentType: contentType), body: body)
        let parsed = try LinkExtractor().extract(job).get()
        #expect(parsed.links.map(\.target.path) == ["/before", "/after"])
        // Even a body that starts like a PNG: the declared type decides, not the bytes.
        let png = ParseJob(url: job.url, headers: job.headers, body: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A] + Array("<a href='/x'>x</a>".utf8))
        #expect(try LinkExtractor().extract(png).get().links.map(\.target.path) == ["/x"])
    }

    /// Bytes that are not UTF-8 in a UTF-8 page: an href keeps them as sent, percent-encoded
    /// (RFC 3986), not read as Latin-1 (`/caf%C3%A9`); valid UTF-8 around them is untouched,
    /// and text shows U+FFFD for them, as a browser does.
    @Test(arguments: ["text/html", "text/html; charset=utf-8"])
    func invalidUTF8InAnHrefKeepsItsBytes(contentType: String) throws {
        let body =
            Array("<html><head><title>caf".utf8) + [0xE9] + Array("</title><base href='/d".utf8) + [0xFF] + Array("/'></head><body><a href='/caf".utf8)
            + [0xE9] + Array("'>caf".utf8) + [0xE9] + Array("</a><a href='/日本'>y</a><a href='a".utf8) + [0xE6, 0x97] + Array("b?q=".utf8) + [0xC0, 0xAF]
            + Array("'>z</a><link rel=canonical href='/c".utf8) + [0x80] + Array("'></body></html>".utf8)
        let job = ParseJob(url: NormalizedURL("http://example.test/")!, headers: ResponseHeaders(contentType: contentType), body: body)
        let parsed = try LinkExtractor().extract(job).get()
        #expect(parsed.links.map(\.target.string) == [
            "http://example.test/caf%E9", "http://example.test/%E6%97%A5%E6%9C%AC", "http://example.test/d%FF/a%E6%97b?q=%C0%AF",
            "http://example.test/c%80",
        ])
        #expect(parsed.links.first?.anchorText == "caf\u{FFFD}")
        #expect(parsed.title == "caf\u{FFFD}")
        #expect(parsed.canonicalURL?.string == "http://example.test/c%80")
        // A page that already holds one of the escape characters is parsed as before.
        let escapeCharacter = InvalidUTF8Escape.escape(0xE9)
        let holding = ParseJob(url: job.url, headers: job.headers, body: Array("<a href='/x".utf8) + escapeCharacter + Array("'>x</a>".utf8) + [0xE9])
        #expect(try LinkExtractor().extract(holding).get().links.map(\.target.string) == ["http://example.test/x%F4%8F%BF%A9"])
    }

    /// Credentials in links (and in `<base>`) never reach the page's URLs: they would be stored
    /// in the database and every export.
    @Test func credentialsInLinksAreDropped() throws {
        let parsed = try page(
            "<base href='http://bob:secret@example.test/b/'><a href='http://alice:hunter2@other.test/x'>x</a><a href='y'>y</a>"
                + "<link rel=canonical href='//carol:pw@example.test/c'>")
        #expect(parsed.links.map(\.target.string) == ["http://other.test/x", "http://example.test/b/y", "http://example.test/c"])
        #expect(parsed.canonicalURL?.string == "http://example.test/c")
    }

    @Test func emptyBodyHasNoLinks() throws {
        #expect(try page("").links.isEmpty)
    }

    @Test func deeplyNestedDocumentDoesNotCrash() throws {
        let depth = 100_000
        let html = "<html><body><a href='/before'>b</a>" + String(repeating: "<div>", count: depth) + "<a href='/deep'>deep</a>"
            + String(repeating: "</div>", count: depth) + "<a href='/after'>a</a></body></html>"
        let parsed = try page(html)
        #expect(parsed.links.map(\.target.path) == ["/before", "/deep", "/after"])
    }

    @Test func unclosedDeepNestingDoesNotCrash() throws {
        let html = String(repeating: "<span><b>", count: 100_000) + "<a href='/deep'>deep</a>"
        #expect(try page(html).links.map(\.target.path) == ["/deep"])
    }
}

@Suite struct CharsetTests {
    func parse(_ body: [UInt8], contentType: String) -> ParsedPage? {
        try? LinkExtractor().extract(ParseJob(url: NormalizedURL("http://example.test/")!, headers: ResponseHeaders(contentType: contentType), body: body)).get()
    }

    @Test func undeclaredIsUTF8() {
        let parsed = parse(Array("<title>Café</title><a href='/café'>naïve</a>".utf8), contentType: "text/html")
        #expect(parsed?.title == "Café")
        #expect(parsed?.links.first?.anchorText == "naïve")
        #expect(parsed?.links.first?.target.path == "/caf%C3%A9")
    }

    @Test func latin1DeclaredByMetaOnly() {
        let body: [UInt8] = Array("<html><head><meta charset=\"ISO-8859-1\"><title>Caf".utf8) + [0xE9] + Array("</title></head><a href='/caf".utf8) + [0xE9] + Array("'>na".utf8) + [0xEF] + Array("ve</a>".utf8)
        let parsed = parse(body, contentType: "text/html")
        #expect(parsed?.title == "Café")
        #expect(parsed?.links.first?.anchorText == "naïve")
        #expect(parsed?.links.first?.target.path == "/caf%C3%A9")
    }

    @Test func httpEquivDeclaresTheCharset() {
        let body: [UInt8] = Array("<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'><title>Caf".utf8) + [0xE9] + Array("</title>".utf8)
        #expect(parse(body, contentType: "text/html")?.title == "Café")
    }

    @Test func shiftJISDeclaredByMetaOnly() {
        // 日本 in Shift_JIS: 93 FA 96 7B
        let body: [UInt8] = Array("<meta charset=shift_jis><title>".utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array("</title><a href='/".utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array("'>".utf8) + [0x93, 0xFA] + Array("</a>".utf8)
        let parsed = parse(body, contentType: "text/html")
        #expect(parsed?.title == "日本")
        #expect(parsed?.links.first?.anchorText == "日")
        #expect(parsed?.links.first?.target.path == "/%E6%97%A5%E6%9C%AC")
    }

    @Test func headerCharsetWinsOverMeta() {
        let body: [UInt8] = Array("<meta charset=shift_jis><title>Caf".utf8) + [0xE9] + Array("</title>".utf8)
        #expect(parse(body, contentType: "text/html; charset=ISO-8859-1")?.title == "Café")
    }

    @Test func metaPrescan() {
        #expect(HTMLSniffer.metaCharset(in: ArraySlice("<meta charset='utf-8'>".utf8)) == "utf-8")
        #expect(HTMLSniffer.metaCharset(in: ArraySlice("<META HTTP-EQUIV=Content-Type CONTENT=\"text/html; Charset=Shift_JIS\">".utf8)) == "shift_jis")
        #expect(HTMLSniffer.metaCharset(in: ArraySlice("<meta name=x><p>charset=koi8-r".utf8)) == nil)
        #expect(HTMLSniffer.encoding(headerCharset: nil, body: Array("<p>".utf8)) == "UTF-8")
    }
}
