import CrawlerCore
import Foundation
import SyntheticWeb
import Testing

@testable import CrawlerFetch

/// robots.txt through the real engines: its failures are told as what they are, and it is read
/// up to its own limit (RFC 9309 §2.5) whatever `--max-bytes` says.
@Suite(.serialized)
struct RobotsAvailabilityTests {
    /// Nothing listens on port 1: the robots.txt fetch is refused, and so is the page, as such.
    @Test(arguments: FetchModel.allCases)
    func anUnreachableHostIsReportedAsUnreachable(model: FetchModel) async throws {
        let fetcher = EngineIntegrationTests.fetcher(EngineIntegrationTests.options(model) { $0.retries = 0 })
        let page = NormalizedURL("http://127.0.0.1:1/page")!
        let result = await fetcher.fetch(page)
        #expect(result == .failure(.robotsUnavailable(url: page.string, cause: .fetch(.connectionRefused(host: "127.0.0.1:1")))))
        if case .failure(let error) = result {
            #expect(error.kind == "refused")
            #expect(error.description.contains("127.0.0.1:1 refused the connection"), "\(error)")
            #expect(!error.description.contains("robots.txt disallows"), "\(error)")
        }
        await fetcher.shutdown()
    }

    /// https to a server that speaks plain HTTP: the handshake fails, and the page says so.
    @Test(arguments: FetchModel.allCases)
    func aTLSFailureIsReportedAsOne(model: FetchModel) async throws {
        let web = try await EngineIntegrationTests.web(hosts: 1, pages: 5)
        let fetcher = EngineIntegrationTests.fetcher(EngineIntegrationTests.options(model) { $0.retries = 0 })
        let plain = web.model.contentPageURLs[0]
        let page = NormalizedURL("https://" + plain.authority + plain.pathAndQuery)!
        let result = await fetcher.fetch(page)
        guard case .failure(.robotsUnavailable(page.string, .fetch(.tls))) = result else {
            Issue.record("expected a TLS failure of robots.txt, got \(result)")
            await fetcher.shutdown()
            try await web.shutdown()
            return
        }
        if case .failure(let error) = result { #expect(error.kind == "tls") }
        await fetcher.shutdown()
        try await web.shutdown()
    }

    /// `--max-bytes` below robots.txt's size: robots.txt is still read (the allowed page is
    /// asked for, and fails on its own size), and its rules still apply.
    @Test(arguments: FetchModel.allCases)
    func robotsTxtIsNotCappedByMaxBytes(model: FetchModel) async throws {
        let web = try await EngineIntegrationTests.web(hosts: 1, pages: 20)
        let fetcher = EngineIntegrationTests.fetcher(EngineIntegrationTests.options(model) { $0.maxBodyBytes = 64 })
        let urls = web.model.contentPageURLs
        let allowed = try #require(urls.first { !EngineIntegrationTests.isDisallowed($0) })
        let disallowed = try #require(urls.first(where: EngineIntegrationTests.isDisallowed))
        #expect(await fetcher.fetch(allowed) == .failure(.tooLarge(url: allowed.string, limit: 64)))
        #expect(await fetcher.fetch(disallowed) == .failure(.disallowedByRobots(url: disallowed.string)))
        await fetcher.shutdown()
        try await web.shutdown()
    }

    /// A truncating limit keeps the first bytes of a body far larger than `--max-bytes` (the
    /// fault host's 12 MiB page, sent with its Content-Length), as robots.txt is read.
    @Test(arguments: FetchModel.allCases)
    func aTruncatingLimitKeepsTheFirstBytes(model: FetchModel) async throws {
        let web = try await EngineIntegrationTests.web(hosts: 1, pages: 5)
        let fetcher = EngineIntegrationTests.fetcher(EngineIntegrationTests.options(model))
        let huge = EngineIntegrationTests.faultURL(web, "/huge")
        let cut = try await fetcher.engine.fetch(huge, bodyLimit: .robotsTxt).get()
        #expect(cut.status == 200)
        #expect(cut.body.count == 500 * 1024)
        let chunk = try #require(web.model.body(for: huge))  // /huge repeats one chunk
        #expect(cut.body == Array(Array(repeating: chunk, count: 500 * 1024 / chunk.count + 1).joined().prefix(500 * 1024)))
        // The same handle then fetches a page under the page limit again.
        #expect(await fetcher.engine.fetch(huge) == .failure(.tooLarge(url: huge.string, limit: 10 << 20)))
        await fetcher.shutdown()
        try await web.shutdown()
    }
}
