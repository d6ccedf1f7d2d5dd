import CrawlerCore
import Foundation
import Testing

@testable import CrawlerFetch

/// Redirects followed by `PoliteFetcher` hop by hop, over the scripted engine (which, like the
/// real ones, returns a 3xx as it is): robots.txt and the host gate apply to every hop.
struct PoliteRedirectTests {
    typealias ScriptedEngine = PoliteFetcherTests.ScriptedEngine

    static let origin = "http://127.0.0.1:9"
    static let otherOrigin = "http://127.0.0.2:9"
    static func url(_ path: String, _ origin: String = origin) -> NormalizedURL { NormalizedURL(origin + path)! }
    static func redirect(_ status: Int, to location: String) -> ScriptedEngine.Answer {
        (status, ResponseHeaders(contentType: "text/html", location: location), "moved")
    }
    static let robots: ScriptedEngine.Answer = (200, ResponseHeaders(), "User-agent: *\nDisallow: /private/\n")
    static let ok: ScriptedEngine.Answer = (200, ResponseHeaders(contentType: "text/html"), "ok")

    @Test func anOrdinaryChainKeepsItsContract() async throws {
        let engine = ScriptedEngine([
            "/robots.txt": [Self.robots],
            "/c1": [Self.redirect(301, to: Self.origin + "/c2")],  // absolute
            "/c2": [Self.redirect(302, to: "/dir/c3")],  // root-relative
            "/dir/c3": [Self.redirect(307, to: "../final")],  // relative
            "/final": [Self.ok],
        ])
        let response = try await PoliteFetcherTests.fetcher(engine).fetch(Self.url("/c1")).get()
        #expect(response.requestedURL == Self.url("/c1"))
        #expect(response.finalURL == Self.url("/final"))
        #expect(response.redirects.map(\.url) == [Self.url("/c1"), Self.url("/c2"), Self.url("/dir/c3")])
        #expect(response.redirects.map(\.status) == [301, 302, 307])
        #expect(response.status == 200)
        #expect(response.body == Array("ok".utf8))
        #expect(response.timings.total == 0.5)  // four hops of 0.125 s
        #expect(response.timings.firstByte == 0.0625)  // the last hop's
        #expect(engine.count("/robots.txt") == 1)
    }

    @Test func aRedirectIntoADisallowedPathIsNotFollowed() async throws {
        let engine = ScriptedEngine([
            "/robots.txt": [Self.robots],
            "/a": [Self.redirect(301, to: "/private/x")],
            "/b": [Self.redirect(302, to: "/c")],
            "/c": [Self.redirect(308, to: Self.origin + "/private/y")],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine)

        let direct = try await fetcher.fetch(Self.url("/a")).get()
        #expect(direct.status == 301)
        #expect(direct.requestedURL == Self.url("/a"))
        #expect(direct.finalURL == Self.url("/a"))
        #expect(direct.headers.location == "/private/x")
        #expect(direct.redirects.isEmpty)

        // After a hop that was followed: the 3xx that leads into /private/ is the final response.
        let later = try await fetcher.fetch(Self.url("/b")).get()
        #expect(later.status == 308)
        #expect(later.finalURL == Self.url("/c"))
        #expect(later.headers.location == Self.origin + "/private/y")
        #expect(later.redirects.map(\.url) == [Self.url("/b")])
        #expect(later.redirects.map(\.status) == [302])

        #expect(engine.count("/private/x") == 0)
        #expect(engine.count("/private/y") == 0)
        #expect(engine.count("/robots.txt") == 1)
    }

    @Test func aRedirectToAnotherHostIsCheckedAgainstThatHostsRobotsTxt() async throws {
        let engine = ScriptedEngine([
            Self.origin + "/robots.txt": [(404, ResponseHeaders(), "")],  // allows everything
            Self.otherOrigin + "/robots.txt": [Self.robots],
            Self.origin + "/private/away": [Self.redirect(301, to: Self.otherOrigin + "/private/x")],
            Self.origin + "/away": [Self.redirect(301, to: Self.otherOrigin + "/page")],
            Self.otherOrigin + "/page": [Self.ok],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine)
        let stopped = try await fetcher.fetch(Self.url("/private/away")).get()
        #expect(stopped.status == 301)
        #expect(stopped.finalURL == Self.url("/private/away"))
        #expect(engine.count(Self.otherOrigin + "/private/x") == 0)

        let followed = try await fetcher.fetch(Self.url("/away")).get()
        #expect(followed.status == 200)
        #expect(followed.finalURL == Self.url("/page", Self.otherOrigin))
        #expect(followed.redirects.map(\.url) == [Self.url("/away")])
        #expect(engine.count(Self.origin + "/robots.txt") == 1)
        #expect(engine.count(Self.otherOrigin + "/robots.txt") == 1)
    }

    /// With one request per host, redirects crossing between two hosts both ways: each hop is
    /// counted on its own host, and a hop gives its slot back before taking the next host's
    /// (holding one while waiting for the other would deadlock these two chains).
    @Test func eachHopTakesItsOwnHostsGate() async throws {
        var script: [String: [ScriptedEngine.Answer]] = ["/robots.txt": [(404, ResponseHeaders(), "")]]
        for index in 0..<4 {
            script[Self.origin + "/to-other/\(index)"] = [Self.redirect(302, to: Self.otherOrigin + "/page/\(index)")]
            script[Self.otherOrigin + "/to-first/\(index)"] = [Self.redirect(302, to: Self.origin + "/page/\(index)")]
            script["/page/\(index)"] = [Self.ok]
        }
        let engine = ScriptedEngine(script, latency: .milliseconds(20))
        let fetcher = PoliteFetcherTests.fetcher(engine) { $0.perHostConcurrency = 1 }
        let results = await withTaskGroup(of: Int?.self) { group in
            for index in 0..<4 {
                group.addTask { try? await fetcher.fetch(Self.url("/to-other/\(index)")).get().status }
                group.addTask { try? await fetcher.fetch(Self.url("/to-first/\(index)", Self.otherOrigin)).get().status }
            }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: 200, count: 8))
        #expect(engine.maxInFlight("127.0.0.1:9") == 1)
        #expect(engine.maxInFlight("127.0.0.2:9") == 1)
        #expect(engine.count(Self.otherOrigin + "/page/0") == 1)
        #expect(engine.count(Self.origin + "/page/0") == 1)
    }

    @Test func theHopsHostsCrawlDelayApplies() async throws {
        let engine = ScriptedEngine([
            Self.origin + "/robots.txt": [(404, ResponseHeaders(), "")],
            Self.otherOrigin + "/robots.txt": [(200, ResponseHeaders(), "User-agent: *\nCrawl-delay: 0.1\n")],
            Self.origin + "/away": [Self.redirect(301, to: Self.otherOrigin + "/page")],
            Self.otherOrigin + "/page": [Self.ok],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = await fetcher.fetch(Self.url("/away")) } }
        }
        let starts = engine.starts(Self.otherOrigin + "/page").sorted()
        #expect(starts.count == 3)
        if let first = starts.first, let last = starts.last { #expect(last - first >= .milliseconds(190)) }
    }

    @Test func loopsFailWhenTheyClose() async {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")],
            "/loop-a": [Self.redirect(301, to: "/loop-b")],
            "/loop-b": [Self.redirect(302, to: Self.origin + "/loop-a")],
            "/self": [Self.redirect(307, to: "self")],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine)
        #expect(await fetcher.fetch(Self.url("/loop-a")) == .failure(.tooManyRedirects(url: Self.url("/loop-a").string, limit: 10)))
        #expect(engine.count("/loop-a") == 1)
        #expect(engine.count("/loop-b") == 1)
        #expect(await fetcher.fetch(Self.url("/self")) == .failure(.tooManyRedirects(url: Self.url("/self").string, limit: 10)))
        #expect(engine.count("/self") == 1)
    }

    @Test(arguments: [(0, false), (2, false), (3, true)])
    func maxRedirectsIsTheNumberOfRedirectsFollowed(maxRedirects: Int, succeeds: Bool) async {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")],
            "/h1": [Self.redirect(301, to: "/h2")], "/h2": [Self.redirect(301, to: "/h3")], "/h3": [Self.redirect(301, to: "/h4")],
            "/h4": [Self.ok],
        ])
        let result = await PoliteFetcherTests.fetcher(engine) { $0.maxRedirects = maxRedirects }.fetch(Self.url("/h1"))
        if succeeds {
            #expect((try? result.get().redirects.map(\.url)) == [Self.url("/h1"), Self.url("/h2"), Self.url("/h3")])
        } else {
            #expect(result == .failure(.tooManyRedirects(url: Self.url("/h1").string, limit: maxRedirects)))
            #expect(engine.count("/h\(maxRedirects + 2)") == 0)  // the redirect past the limit is not requested
        }
    }

    @Test func locationForms() async throws {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")],
            "/dir/relative": [Self.redirect(302, to: "next?q=1#frag")],
            "/dir/next?q=1": [Self.ok],
            "/protocol-relative": [Self.redirect(301, to: "//127.0.0.2:9/there")],
            Self.otherOrigin + "/there": [Self.ok],
            "/javascript": [Self.redirect(302, to: "javascript:alert(1)")],
            "/ftp": [Self.redirect(301, to: "FTP://127.0.0.1/file")],
            "/not-modified": [(304, ResponseHeaders(location: "/elsewhere"), "")],
            "/no-location": [(302, ResponseHeaders(), "nowhere")],
            "/bad-port": [Self.redirect(301, to: "http://127.0.0.1:99999/")],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine)

        let relative = try await fetcher.fetch(Self.url("/dir/relative")).get()
        #expect(relative.finalURL == Self.url("/dir/next?q=1"))
        #expect(relative.status == 200)

        let protocolRelative = try await fetcher.fetch(Self.url("/protocol-relative")).get()
        #expect(protocolRelative.finalURL == Self.url("/there", Self.otherOrigin))
        #expect(protocolRelative.redirects.map(\.status) == [301])

        let javascript = Self.url("/javascript")
        #expect(await fetcher.fetch(javascript) == .failure(.protocolNotAllowed(url: javascript.string, scheme: "javascript")))
        let ftp = Self.url("/ftp")
        #expect(await fetcher.fetch(ftp) == .failure(.protocolNotAllowed(url: ftp.string, scheme: "ftp")))

        // Not redirects to follow: the response itself is final.
        for (path, status) in [("/not-modified", 304), ("/no-location", 302), ("/bad-port", 301)] {
            let response = try await fetcher.fetch(Self.url(path)).get()
            #expect(response.status == status, "\(path)")
            #expect(response.finalURL == Self.url(path))
            #expect(response.redirects.isEmpty)
        }
        #expect(engine.count("/elsewhere") == 0)
    }

    @Test func retriesApplyToEachHop() async throws {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")],
            "/first": [Self.redirect(301, to: "/flaky")],
            "/flaky": [(503, ResponseHeaders(), ""), (200, ResponseHeaders(), "ok")],
            "/to-reset": [Self.redirect(302, to: "/reset")],
            "/reset": [(0, ResponseHeaders(), "")],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine) { $0.retries = 1 }
        let response = try await fetcher.fetch(Self.url("/first")).get()
        #expect(response.status == 200)
        #expect(response.redirects.map(\.url) == [Self.url("/first")])
        #expect(engine.count("/first") == 1)  // the hop that answered is not asked again
        #expect(engine.count("/flaky") == 2)

        // A later hop's failure is reported for the requested URL, after that hop's retries.
        let toReset = Self.url("/to-reset")
        #expect(await fetcher.fetch(toReset) == .failure(.connectionReset(url: toReset.string)))
        #expect(engine.count("/to-reset") == 1)
        #expect(engine.count("/reset") == 2)
    }

    @Test func robotsTxtRedirectsAreFollowed() async {
        let engine = ScriptedEngine([
            Self.origin + "/robots.txt": [Self.redirect(301, to: Self.otherOrigin + "/shared/robots.txt")],
            Self.otherOrigin + "/shared/robots.txt": [Self.robots],
            "/page": [Self.ok],
        ])
        let fetcher = PoliteFetcherTests.fetcher(engine)
        let secret = Self.url("/private/secret")
        #expect(await fetcher.fetch(secret) == .failure(.disallowedByRobots(url: secret.string)))
        #expect((try? await fetcher.fetch(Self.url("/page")).get().status) == 200)
        #expect(engine.count(Self.otherOrigin + "/shared/robots.txt") == 1)
    }
}
