import CrawlerCore
import Testing

@testable import CrawlerFetch

/// The redirect rules without any I/O.
struct RedirectChainTests {
    static let start = NormalizedURL("http://127.0.0.1:9/dir/start")!

    static func response(_ url: NormalizedURL, _ status: Int, location: String? = nil) -> FetchResponse {
        FetchResponse(
            requestedURL: url, finalURL: url, status: status, headers: ResponseHeaders(location: location),
            timings: FetchTimings(firstByte: 0.25, total: 0.5))
    }

    @Test(arguments: [
        (301, "next", RedirectChain.Step.redirect(to: NormalizedURL("http://127.0.0.1:9/dir/next")!)),
        (308, "//127.0.0.2/x", .redirect(to: NormalizedURL("http://127.0.0.2/x")!)),
        // Credentials in a Location are dropped: never sent, never stored.
        (302, "http://alice:hunter2@127.0.0.2/x", .redirect(to: NormalizedURL("http://127.0.0.2/x")!)),
        (302, "https://127.0.0.1:9/dir/start", .redirect(to: NormalizedURL("https://127.0.0.1:9/dir/start")!)),
        (303, "start#top", .failure(.tooManyRedirects(url: start.string, limit: 10))),
        (307, "mailto:a@b.c", .failure(.protocolNotAllowed(url: start.string, scheme: "mailto"))),
        (301, "http://127.0.0.1:99999/", .final),
        (304, "next", .final),
        (200, "next", .final),
        (404, "next", .final),
    ])
    func classifiesTheFirstResponse(status: Int, location: String, expected: RedirectChain.Step) {
        let chain = RedirectChain(requestedURL: Self.start, maxRedirects: 10)
        #expect(chain.step(after: Self.response(Self.start, status, location: location)) == expected)
    }

    @Test func aThreeXXWithoutLocationIsFinal() {
        let chain = RedirectChain(requestedURL: Self.start, maxRedirects: 10)
        #expect(chain.step(after: Self.response(Self.start, 302)) == .final)
    }

    @Test func theWholeResponseCarriesTheChain() {
        var chain = RedirectChain(requestedURL: Self.start, maxRedirects: 10)
        let next = NormalizedURL("http://127.0.0.2:9/next")!
        let first = Self.response(Self.start, 301, location: next.string)
        #expect(chain.step(after: first) == .redirect(to: next))
        chain.follow(first, to: next)
        #expect(chain.current == next)
        let whole = chain.response(endingWith: Self.response(next, 200))
        #expect(whole.requestedURL == Self.start)
        #expect(whole.finalURL == next)
        #expect(whole.redirects.map(\.url) == [Self.start])
        #expect(whole.redirects.map(\.status) == [301])
        #expect(whole.timings == FetchTimings(firstByte: 0.25, total: 1))
        // Back to an earlier URL: a loop.
        #expect(chain.step(after: Self.response(next, 302, location: Self.start.string)) == .failure(.tooManyRedirects(url: Self.start.string, limit: 10)))
    }

    @Test func laterFailuresNameTheRequestedURLButKeepTheHost() {
        var chain = RedirectChain(requestedURL: Self.start, maxRedirects: 10)
        let next = NormalizedURL("http://127.0.0.2:9/next")!
        #expect(chain.failure(.timeout(url: Self.start.string, seconds: 1)) == .timeout(url: Self.start.string, seconds: 1))
        chain.follow(Self.response(Self.start, 301, location: next.string), to: next)
        #expect(chain.failure(.timeout(url: next.string, seconds: 1)) == .timeout(url: Self.start.string, seconds: 1))
        #expect(chain.failure(.cancelled(url: next.string)) == .cancelled(url: Self.start.string))
        #expect(chain.failure(.connectionRefused(host: "127.0.0.2:9")) == .connectionRefused(host: "127.0.0.2:9"))
        #expect(chain.failure(.dns(host: "127.0.0.2")) == .dns(host: "127.0.0.2"))
    }
}
