import CrawlerCore
import Testing
@testable import CrawlerParse

/// The benchmarks' door into the wire format gives back exactly what went in.
@Test func wireRoundTripReturnsThePage() throws {
    let url = NormalizedURL("http://127.0.0.2:8080/a.html")!
    let page = ParsedPage(url: url, title: "A & B", links: [Link(target: url.resolve("/b")!, kind: .a, anchorText: "b", nofollow: true)])
    #expect(try WireRoundTrip.decodeResponse(WireRoundTrip.responseFrame(for: page)) == page)
    let frame = WireRoundTrip.requestFrame(for: ParseJob(url: url, body: Array("<a href=/b>b</a>".utf8)))
    #expect(frame.count > 16)
}
