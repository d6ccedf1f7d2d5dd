import CrawlerCore
import Foundation
import SyntheticWeb
import Testing

@testable import CrawlerFetch

/// Every engine against the synthetic web and its fault host. Serialized so that one test's
/// transfers do not slow another's: each fault the tests time out stalls for many times the
/// timeout, and the timeout is many times what a page takes (a loaded CI machine stretches
/// the latter; 1 s timeouts were too tight there).
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

    /// A small web with its fault host on a free port.
    static func web(hosts: Int = 2, pages: Int = 40, latencyMs: Int = 0, slowSeconds: Double = 20) async throws -> SyntheticWebServer {
        try await SyntheticWebServer.start(
            SyntheticWebConfig(
                seed: 7, hosts: hosts, pages: pages, meanPageKB: 4, port: 0, latencyMs: latencyMs, faults: true,
                slowResponseSeconds: slowSeconds))
    }

    static func faultURL(_ web: SyntheticWebServer, _ path: String) -> NormalizedURL {
        NormalizedURL(web.model.layout.origin(web.model.layout.faultHostIndex!) + path)!
    }

    /// What the synthetic web's robots.txt disallows for `*` (RFC 9309: the longer Allow wins).
    static func isDisallowed(_ url: NormalizedURL) -> Bool {
        url.path.hasPrefix("/private/") && !url.path.hasPrefix("/private/press/")
    }

    @Test(arguments: FetchModel.allCases)
    func everyEngineReturnsTheSamePages(model: FetchModel) async throws {
        let web = try await Self.web()
        let fetcher = Self.fetcher(Self.options(model))
        let urls = web.model.contentPageURLs
        let results = await withTaskGroup(of: (NormalizedURL, Result<FetchResponse, FetchError>).self) { group in
            for url in urls { group.addTask { (url, await fetcher.fetch(url)) } }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(urls.contains(where: Self.isDisallowed))
        for url in urls {
            if Self.isDisallowed(url) {
                #expect(results[url] == .failure(.disallowedByRobots(url: url.string)))
                continue
            }
            let response = try #require(try? results[url]?.get(), "\(url): \(String(describing: results[url]))")
            #expect(response.status == 200)
            #expect(response.finalURL == url)
            #expect(response.redirects.isEmpty)
            #expect(response.body == web.model.body(for: url))
            #expect(response.headers.mediaType == "text/html")
            #expect(response.headers.contentLength == nil || response.headers.contentLength == response.body.count)
            #expect(response.timings.total > 0 && response.timings.total >= response.timings.firstByte)
        }
        let missing = NormalizedURL(web.model.layout.origin(0) + "/no/such/page.html")!
        #expect((try? await fetcher.fetch(missing).get().status) == 404)
        // Nothing disallowed reached the server, nothing was fetched twice.
        #expect(web.requestStats.repeatedRequests.isEmpty)
        await fetcher.shutdown()
        try await web.shutdown()
    }

    /// The same web through each engine, side by side: identical outcomes, fault pages included.
    @Test func allEnginesAgree() async throws {
        let web = try await Self.web(hosts: 2, pages: 20, slowSeconds: 20)
        let faultPaths = ["/", "/redirect/chain-1", "/redirect/loop-a", "/flaky", "/rate-limited", "/slow", "/huge", "/binary", "/image.png", "/reset"]
        let urls = web.model.contentPageURLs + faultPaths.map { Self.faultURL(web, $0) }
        struct Outcome: Equatable {
            var status: Int?
            var error: String?
            var body: [UInt8]
            var finalURL: NormalizedURL?
            var chain: [NormalizedURL]
        }
        var outcomes: [FetchModel: [NormalizedURL: Outcome]] = [:]
        for model in FetchModel.allCases {
            web.resetStats()  // restarts the fault host's "fails once" counters
            let fetcher = Self.fetcher(Self.options(model) { $0.transferTimeoutSeconds = 4 })
            outcomes[model] = await withTaskGroup(of: (NormalizedURL, Outcome).self) { group in
                for url in urls {
                    group.addTask {
                        switch await fetcher.fetch(url) {
                        case .success(let r): (url, Outcome(status: r.status, body: r.body, finalURL: r.finalURL, chain: r.redirects.map(\.url)))
                        case .failure(let e): (url, Outcome(error: e.kind, body: [], chain: []))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            await fetcher.shutdown()
        }
        #expect(outcomes[.sequential]?.count == urls.count)
        for url in urls {
            #expect(outcomes[.threads]?[url] == outcomes[.sequential]?[url], "\(url)")
            #expect(outcomes[.async]?[url] == outcomes[.sequential]?[url], "\(url)")
        }
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func robotsTxtIsFetchedOnceAndObeyed(model: FetchModel) async throws {
        let web = try await Self.web(hosts: 1, pages: 30)
        let fetcher = Self.fetcher(Self.options(model))
        let authority = web.model.layout.authority(0)
        let origin = web.model.layout.origin(0)
        await withTaskGroup(of: Void.self) { group in
            for url in web.model.contentPageURLs { group.addTask { _ = await fetcher.fetch(url) } }
        }
        let secret = NormalizedURL(origin + "/private/secret.html")!
        #expect(await fetcher.fetch(secret) == .failure(.disallowedByRobots(url: secret.string)))
        let press = NormalizedURL(origin + "/private/press/release.html")!
        #expect((try? await fetcher.fetch(press).get().status) == 404)  // allowed again by the longer rule
        let stats = web.requestStats[authority]
        #expect(stats.requestsPerPath["/robots.txt"] == 1)
        #expect(stats.requestsPerPath["/private/secret.html"] == nil)
        await fetcher.shutdown()

        // --ignore-robots fetches the disallowed page.
        let ignoring = Self.fetcher(Self.options(model) { $0.ignoreRobots = true })
        #expect((try? await ignoring.fetch(secret).get().status) == 404)
        await ignoring.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func faultsBecomeTypedResults(model: FetchModel) async throws {
        let web = try await Self.web(hosts: 1, pages: 10, slowSeconds: 20)
        let fetcher = Self.fetcher(Self.options(model) { $0.transferTimeoutSeconds = 4 })
        func url(_ path: String) -> NormalizedURL { Self.faultURL(web, path) }
        func fetch(_ path: String) async -> Result<FetchResponse, FetchError> { await fetcher.fetch(url(path)) }

        // Absolute, root-relative and relative Locations, each hop recorded.
        let chain = try await fetch("/redirect/chain-1").get()
        #expect(chain.status == 200)
        #expect(chain.finalURL == url("/redirect/final.html"))
        #expect(chain.redirects.map(\.url) == [url("/redirect/chain-1"), url("/redirect/chain-2"), url("/redirect/chain-3")])
        #expect(chain.redirects.map(\.status) == [301, 302, 301])
        #expect(chain.body == web.model.body(for: url("/redirect/final.html")))

        // The engine itself follows no redirect: the 3xx comes back as it is.
        let hop = try await fetcher.engine.fetch(url("/redirect/chain-1")).get()
        #expect(hop.status == 301)
        #expect(hop.finalURL == url("/redirect/chain-1") && hop.redirects.isEmpty)
        #expect(hop.headers.location.flatMap { url("/redirect/chain-1").resolve($0) } == url("/redirect/chain-2"))

        #expect(await fetch("/redirect/loop-a") == .failure(.tooManyRedirects(url: url("/redirect/loop-a").string, limit: 10)))

        let flaky = try await fetch("/flaky").get()
        #expect(flaky.status == 200)

        let clock = ContinuousClock()
        let start = clock.now
        let limited = try await fetch("/rate-limited").get()
        #expect(limited.status == 200)
        #expect(clock.now - start >= .milliseconds(900))  // Retry-After: 1 was honoured

        #expect(await fetch("/slow") == .failure(.timeout(url: url("/slow").string, seconds: 4)))
        #expect(await fetch("/huge") == .failure(.tooLarge(url: url("/huge").string, limit: 10 << 20)))
        #expect(await fetch("/reset") == .failure(.connectionReset(url: url("/reset").string)))

        for (path, type) in [("/image.png", "image/png"), ("/document.pdf", "application/pdf"), ("/binary", "text/html")] {
            let response = try await fetch(path).get()
            #expect(response.status == 200)
            #expect(response.headers.mediaType == type)
            #expect(response.body == web.model.body(for: url(path)), "\(path)")
        }

        let refused = await fetcher.engine.fetch(NormalizedURL("http://127.0.0.1:1/")!)
        #expect(refused == .failure(.connectionRefused(host: "127.0.0.1:1")))

        let stats = web.requestStats[web.model.layout.authority(web.model.layout.faultHostIndex!)]
        #expect(stats.requestsPerPath["/flaky"] == 2)
        #expect(stats.requestsPerPath["/rate-limited"] == 2)
        #expect(stats.requestsPerPath["/slow"] == 1)  // timeouts are not retried
        await fetcher.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func perHostLimitsHold(model: FetchModel) async throws {
        let web = try await Self.web(hosts: 2, pages: 40, latencyMs: 30)
        let options = Self.options(model) { $0.perHostConcurrency = 2; $0.concurrency = 8 }
        let engine = InFlightCountingEngine(makeFetchEngine(options))
        let fetcher = PoliteFetcher(engine: engine, options: options)
        await withTaskGroup(of: Void.self) { group in
            for url in web.model.contentPageURLs { group.addTask { _ = await fetcher.fetch(url) } }
        }
        for host in 0..<2 {
            let authority = web.model.layout.authority(host)
            let stats = web.requestStats[authority]
            #expect(stats.requests > 10)
            // Exact, counted around the engine's transfers.
            #expect(engine.maxInFlight(authority) == 2)
            // As the server counts: it marks a request done only when its write completes, so
            // a client that got the response and sent the next one can be seen one over.
            #expect(stats.maxInFlight <= 2 + 1)
        }
        await fetcher.shutdown()

        // A delay between request starts, measured loosely: 5 requests take at least 4 delays.
        let delayed = Self.fetcher(Self.options(model) { $0.perHostDelaySeconds = 0.15; $0.ignoreRobots = true })
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for url in web.model.contentPageURLs.prefix(5) { group.addTask { _ = await delayed.fetch(url) } }
        }
        #expect(clock.now - start >= .milliseconds(550))
        await delayed.shutdown()
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func cancellingATaskCancelsItsTransfer(model: FetchModel) async throws {
        let web = try await Self.web(hosts: 1, pages: 10, slowSeconds: 20)
        let engine = makeFetchEngine(Self.options(model) { $0.transferTimeoutSeconds = 30 })
        let url = Self.faultURL(web, "/slow")
        let task = Task { await engine.fetch(url) }
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        #expect(await task.value == .failure(.cancelled(url: url.string)))
        #expect(clock.now - start < .seconds(5))  // generous: the stall lasts 20 s
        // The engine still works after a cancellation.
        #expect((try? await engine.fetch(Self.faultURL(web, "/document.pdf")).get().status) == 200)
        let shutdownStart = clock.now
        await engine.shutdown()
        #expect(clock.now - shutdownStart < .seconds(5))
        #expect(await engine.fetch(url) == .failure(.cancelled(url: url.string)))
        try await web.shutdown()
    }

    @Test(arguments: FetchModel.allCases)
    func shutdownLeavesNoThreadOrDescriptorBehind(model: FetchModel) async throws {
        let web = try await Self.web(hosts: 2, pages: 20)
        let urls = web.model.contentPageURLs
        func cycle() async {
            let fetcher = Self.fetcher(Self.options(model) { $0.concurrency = 4 })
            await withTaskGroup(of: Void.self) { group in
                for url in urls { group.addTask { _ = await fetcher.fetch(url) } }
            }
            // The count below finds the engine's threads by name: they must be there to find.
            if model != .sequential { #expect(Self.fetchThreads() > 0) }
            await fetcher.shutdown()
        }
        await cycle()  // warms up the cooperative pool and curl's global state
        // Only what this test can name is counted: other suites run at the same time and open
        // and close descriptors and threads of their own (pipes, servers, Dispatch's threads,
        // parse engines'). Threads are the engines' own (named fetch-…); descriptors are the
        // TCP connections to or from this web's port, both ends in this process. An engine
        // that leaked a curl handle would leak its kept-alive connections with it.
        let before = (sockets: Self.connections(port: web.port), threads: Self.fetchThreads())
        #expect(before.sockets >= 2, "the web's listening sockets are found (\(before.sockets))")
        await cycle()
        await cycle()
        // Threads exit and the server closes its side shortly after shutdown returns: poll.
        var after = (sockets: 0, threads: 0)
        for _ in 0..<100 {
            after = (Self.connections(port: web.port), Self.fetchThreads())
            if after.sockets <= before.sockets, after.threads <= before.threads { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(after.sockets <= before.sockets)
        #expect(after.threads <= before.threads)
        try await web.shutdown()
    }

    /// Descriptors of this process that are TCP sockets with `port` at either end (the
    /// listening sockets included), matched by inode against /proc/net/tcp and tcp6.
    static func connections(port: Int) -> Int {
        let hex = String(port, radix: 16, uppercase: true)
        let hexPort = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let lines = ((try? String(contentsOfFile: table, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
            for line in lines {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                let fields = line.split(separator: " ")
                guard fields.count > 9, fields[1].hasSuffix(hexPort) || fields[2].hasSuffix(hexPort) else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { descriptor in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)"),
                target.hasPrefix("socket:[")
            else { return false }
            return inodes.contains(String(target.dropFirst("socket:[".count).dropLast()))
        }.count
    }

    /// The fetch engines' threads now running (their names start with `fetch-`).
    static func fetchThreads() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
            return name.hasPrefix("fetch-")
        }.count
    }
}

/// Wraps an engine and counts transfers in flight per host authority.
final class InFlightCountingEngine: FetchEngine, Sendable {
    let base: any FetchEngine
    private let counter = InFlightCounter()

    init(_ base: any FetchEngine) { self.base = base }
    var model: FetchModel { base.model }

    func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        counter.enter(url.authority)
        defer { counter.leave(url.authority) }
        return await base.fetch(url)
    }

    func shutdown() async { await base.shutdown() }
    func maxInFlight(_ authority: String) -> Int { counter.peak(authority) }
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

extension Optional<Result<FetchResponse, FetchError>> {
    static func == (lhs: Self, rhs: Result<FetchResponse, FetchError>) -> Bool {
        guard let lhs else { return false }
        return lhs == rhs
    }
}
