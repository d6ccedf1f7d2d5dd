import Testing
@testable import CrawlerCore

struct ResponseHeadersTests {
    @Test(arguments: [
        ("text/html; charset=ISO-8859-1", "text/html", "iso-8859-1"),
        ("TEXT/HTML;Charset=\"Shift_JIS\"", "text/html", "shift_jis"),
        ("application/pdf", "application/pdf", nil),
    ] as [(String, String, String?)])
    func parsesContentType(header: String, mediaType: String, charset: String?) {
        let headers = ResponseHeaders(contentType: header)
        #expect(headers.mediaType == mediaType)
        #expect(headers.charset == charset)
    }

    @Test func decidesWhatIsHTML() {
        #expect(ResponseHeaders(contentType: "text/html").isHTML)
        #expect(ResponseHeaders(contentType: "application/xhtml+xml").isHTML)
        #expect(ResponseHeaders().isHTML)
        #expect(!ResponseHeaders(contentType: "image/png").isHTML)
    }

    @Test func errorsSayWhatToDo() {
        #expect(FetchError.tooLarge(url: "http://a/", limit: 10 << 20).description == "page http://a/ is larger than --max-bytes 10 MB; skipped")
        #expect(FetchError.disallowedByRobots(url: "http://a/x").description.contains("--ignore-robots"))
    }
}
