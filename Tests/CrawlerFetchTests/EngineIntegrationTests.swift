import CrawlerCore
import Foundation
import Testing

@testable import CrawlerFetch

/// Every engine against a local web with a fault host. Serialized so that the fd and thread
/// counts of the leak test are not disturbed by other tests' servers.
@Suite(.serialized)
struct EngineIntegrationTests {
    static func options(_ model: FetchModel, _ configure: (inout FetchOptions) -> Void = { _ in }) -> FetchOptions {
        var options = FetchOptions()
        options.model = model
        options.concurrency = 8
        options.connectTimeoutSeconds = 5
        options.transferTimeoutSeconds = 10
        configure(&options)
        return options
    }

    /// A fetcher whose retries wait little, so the suite stays fast.
    static func fetcher(_ options: FetchOptions) -> PoliteFetcher {
        PoliteFetcher(
            engine: makeFetchEngine(options), options: options,
            retryPolicy: RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(200), maxRetryAfter: .seconds(5)))
    }

    @Test(arguments: FetchModel.allCases)
    func everyEngineReturnsTheSamePages(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 3)
        let fetcher = Self.fetcher(Self.options(model))
        let urls = (0..<3).flatMap { host in (0..<8).map { NormalizedURL(web.url(host: host, "/page/\($0)"))! } }
        let results = await withTaskGroup(of: (NormalizedURL, Result<FetchResponse, FetchError>).self) { group in
            for url in urls { group.addTask { (url, await fetcher.fetch(url)) } }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for url in urls {
            let response = try #require(try? results[url]?.get(), "\(url): \(String(describing: results[url]))")
            #expect(response.status == 200)
            #expect(response.finalURL == url)
            #expect(response.redirectChain.isEmpty)
            #expect(response.body == TestWebServer.pageBody(host: url.host, path: url.path))
            #expect(response.headers.mediaType == "text/html")
            #expect(response.headers.charset == "utf-8")
            #expect(response.headers.contentLength == response.body.count)
            #expect(response.timings.total > 0 && response.timings.total >= response.timings.firstByte)
        }
        let missing = await fetcher.fetch(NormalizedURL(web.url(host: 0, "/nothing-here"))!)
        #expect((try? missing.get().status) == 404)
        await fetcher.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func robotsTxtIsFetchedOnceAndObeyed(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 1)
        let fetcher = Self.fetcher(Self.options(model))
        let authority = "\(web.hostAddress(0)):\(web.port)"
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask { _ = await fetcher.fetch(NormalizedURL(web.url(host: 0, "/page/\(index)"))!) }
            }
        }
        let disallowed = await fetcher.fetch(NormalizedURL(web.url(host: 0, "/private/secret"))!)
        #expect(disallowed == .failure(.disallowedByRobots(url: web.url(host: 0, "/private/secret"))))
        let stats = try #require(web.requestStats[authority])
        #expect(stats.perPath["/robots.txt"] == 1)
        #expect(stats.perPath["/private/secret"] == nil)
        #expect(stats.perPath["/page/0"] == 1)

        // The fault host's robots.txt is a 404: everything allowed.
        let faultPage = await fetcher.fetch(NormalizedURL(web.faultURL("/doc.pdf"))!)
        #expect((try? faultPage.get().status) == 200)
        await fetcher.shutdown()

        // --ignore-robots fetches the disallowed page.
        let ignoring = Self.fetcher(Self.options(model) { $0.ignoreRobots = true })
        let fetched = await ignoring.fetch(NormalizedURL(web.url(host: 0, "/private/secret"))!)
        #expect((try? fetched.get().status) == 404)
        await ignoring.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func faultsBecomeTypedResults(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 1, slowSeconds: 8)
        let fetcher = Self.fetcher(Self.options(model) { $0.transferTimeoutSeconds = 1 })
        func fetch(_ path: String) async -> Result<FetchResponse, FetchError> { await fetcher.fetch(NormalizedURL(web.faultURL(path))!) }
        func url(_ path: String) -> NormalizedURL { NormalizedURL(web.faultURL(path))! }

        let chain = try await fetch("/redirect/0").get()
        #expect(chain.finalURL == url("/redirect/3"))
        #expect(chain.redirectChain == [url("/redirect/0"), url("/redirect/1"), url("/redirect/2")])
        #expect(chain.requestedURL == url("/redirect/0"))
        #expect(chain.body == Array("end of the chain".utf8))

        #expect(await fetch("/loop/a") == .failure(.tooManyRedirects(url: web.faultURL("/loop/a"), limit: 10)))

        let flaky = try await fetch("/flaky").get()
        #expect(flaky.status == 200)
        #expect(flaky.body == Array("recovered".utf8))

        let clock = ContinuousClock()
        let start = clock.now
        let limited = try await fetch("/rate-limited").get()
        #expect(limited.status == 200)
        #expect(clock.now - start >= .milliseconds(900))  // Retry-After: 1 was honoured

        #expect(await fetch("/slow") == .failure(.timeout(url: web.faultURL("/slow"), seconds: 1)))
        #expect(await fetch("/huge") == .failure(.tooLarge(url: web.faultURL("/huge"), limit: 10 << 20)))
        #expect(await fetch("/reset") == .failure(.connectionReset(url: web.faultURL("/reset"))))
        #expect(await fetch("/to-file") == .failure(.protocolNotAllowed(url: web.faultURL("/to-file"), scheme: "file")))

        let png = try await fetch("/image.png").get()
        #expect(png.headers.mediaType == "image/png")
        #expect(png.body.prefix(4) == [0x89, 0x50, 0x4E, 0x47])
        let pdf = try await fetch("/doc.pdf").get()
        #expect(pdf.headers.mediaType == "application/pdf")
        let binary = try await fetch("/binary").get()
        #expect(binary.body == (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })

        let refused = await fetcher.engine.fetch(NormalizedURL("http://127.0.0.1:1/")!)
        #expect(refused == .failure(.connectionRefused(host: "127.0.0.1:1")))

        let stats = try #require(web.requestStats["\(web.faultHost):\(web.port)"])
        #expect(stats.perPath["/flaky"] == 2)
        #expect(stats.perPath["/rate-limited"] == 2)
        #expect(stats.perPath["/slow"] == 1)  // timeouts are not retried
        await fetcher.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func perHostLimitsHold(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 2, latencyMs: 30)
        let fetcher = Self.fetcher(Self.options(model) { $0.perHostConcurrency = 2; $0.concurrency = 8 })
        await withTaskGroup(of: Void.self) { group in
            for host in 0..<2 {
                for index in 0..<16 {
                    group.addTask { _ = await fetcher.fetch(NormalizedURL(web.url(host: host, "/page/\(index)"))!) }
                }
            }
        }
        for host in 0..<2 {
            let stats = try #require(web.requestStats["\(web.hostAddress(host)):\(web.port)"])
            #expect(stats.total == 17)
            #expect(stats.maxInFlight <= 2)
        }
        await fetcher.shutdown()

        // A delay between request starts, measured loosely: 5 starts span at least 4 delays.
        web.resetStats()
        let delayed = Self.fetcher(Self.options(model) { $0.perHostDelaySeconds = 0.15; $0.ignoreRobots = true })
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<5 {
                group.addTask { _ = await delayed.fetch(NormalizedURL(web.url(host: 0, "/page/\(index)"))!) }
            }
        }
        let starts = try #require(web.requestStats["\(web.hostAddress(0)):\(web.port)"]?.starts)
        #expect(starts.count == 5)
        if let first = starts.min(), let last = starts.max() { #expect(last - first >= .milliseconds(550)) }
        await delayed.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func crawlDelayRaisesTheHostDelay(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 1, crawlDelay: 0.2)
        let fetcher = Self.fetcher(Self.options(model))
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                group.addTask { _ = await fetcher.fetch(NormalizedURL(web.url(host: 0, "/page/\(index)"))!) }
            }
        }
        // robots.txt, then 4 pages at least 0.2 s apart: the pages span at least 0.6 s (loosely, 0.5 s).
        let starts = try #require(web.requestStats["\(web.hostAddress(0)):\(web.port)"]?.starts).sorted().dropFirst()
        #expect(starts.count == 4)
        if let first = starts.first, let last = starts.last { #expect(last - first >= .milliseconds(500)) }
        await fetcher.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func cancellingATaskCancelsItsTransfer(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 1, slowSeconds: 20)
        let engine = makeFetchEngine(Self.options(model) { $0.transferTimeoutSeconds = 30 })
        let url = NormalizedURL(web.faultURL("/slow"))!
        let task = Task { await engine.fetch(url) }
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        #expect(await task.value == .failure(.cancelled(url: url.string)))
        #expect(clock.now - start < .seconds(5))  // generous: the stall lasts 20 s
        // The engine still works after a cancellation.
        #expect((try? await engine.fetch(NormalizedURL(web.faultURL("/doc.pdf"))!).get().status) == 200)
        let shutdownStart = clock.now
        await engine.shutdown()
        #expect(clock.now - shutdownStart < .seconds(5))
        #expect(await engine.fetch(url) == .failure(.cancelled(url: url.string)))
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func shutdownLeavesNoThreadOrDescriptorBehind(model: FetchModel) async throws {
        let web = try await TestWebServer.start(hosts: 2)
        let urls = (0..<2).flatMap { host in (0..<6).map { NormalizedURL(web.url(host: host, "/page/\($0)"))! } }
        func cycle() async {
            let fetcher = Self.fetcher(Self.options(model) { $0.concurrency = 4 })
            await withTaskGroup(of: Void.self) { group in
                for url in urls { group.addTask { _ = await fetcher.fetch(url) } }
            }
            await fetcher.shutdown()
        }
        await cycle()  // warms up the cooperative pool and curl's global state
        let before = (fds: Self.count("/proc/self/fd"), threads: Self.count("/proc/self/task"))
        await cycle()
        await cycle()
        // Threads exit and the server closes its side shortly after shutdown returns: poll.
        var after = (fds: 0, threads: 0)
        for _ in 0..<50 {
            after = (Self.count("/proc/self/fd"), Self.count("/proc/self/task"))
            if after.fds <= before.fds, after.threads <= before.threads { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(after.fds <= before.fds)
        #expect(after.threads <= before.threads)
        try await web.shutdown()
    }

    static func count(_ directory: String) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: directory).count) ?? -1
    }
}

extension Result<FetchResponse, FetchError> {
    /// For `#expect(result == .failure(...))`.
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.failure(let a), .failure(let b)): a == b
        case (.success(let a), .success(let b)): a == b
        default: false
        }
    }
}
