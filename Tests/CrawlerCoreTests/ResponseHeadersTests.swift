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

    /// "\r\n" is one `Character`: trimming by characters kept it.
    @Test(arguments: [
        ("text/html\r\n", "text/html"),
        ("\r\n\t http://a/x \u{0C}\r\n", "http://a/x"),
        ("a b", "a b"),
        (" \r\n\t", ""),
        ("", ""),
        ("é\r\n", "é"),
        ("\u{A0}x\u{A0}", "\u{A0}x\u{A0}"),  // not ASCII whitespace: kept
        (" e\u{301} ", "e\u{301}"),
    ] as [(String, String)])
    func trimsASCIIWhitespaceIncludingCRLF(input: String, trimmed: String) {
        #expect(input.trimmingASCIIWhitespace() == trimmed)
        #expect(input[...].trimmingASCIIWhitespace() == trimmed)
    }

    @Test func aContentTypeEndingInCRLFIsStillHTML() {
        #expect(ResponseHeaders(contentType: "text/html; charset=UTF-8\r\n").charset == "utf-8")
        #expect(ResponseHeaders(contentType: "text/html\r\n").isHTML)
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
