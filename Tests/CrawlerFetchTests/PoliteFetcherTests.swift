import CrawlerCore
import Foundation
import Synchronization
import Testing

@testable import CrawlerFetch

/// Politeness and retries over a scripted engine: the same code runs over every real engine.
struct PoliteFetcherTests {
    /// Answers each URL from a script (the last answer repeats) and records what was asked when.
    /// A script key is a full URL (`http://127.0.0.2:9/x`) or, for any host, a path.
    /// Status 0 answers with a connection reset. Every answer takes `latency` and reports
    /// `timings.total` 0.125 s (`firstByte` 0.0625 s).
    final class ScriptedEngine: FetchEngine, Sendable {
        typealias Answer = (status: Int, headers: ResponseHeaders, body: String)
        typealias Request = (url: String, path: String, at: ContinuousClock.Instant)
        let model = FetchModel.async
        private let latency: Duration
        /// What is left of the script, and every request as it arrived.
        private let state: Mutex<(script: [String: [Answer]], requests: [Request])>
        private let counter = InFlightCounter()

        init(_ script: [String: [Answer]], latency: Duration = .zero) {
            self.state = Mutex((script, []))
            self.latency = latency
        }

        func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
            counter.enter(url.authority)
            let answer = state.withLock { state -> Answer? in
                state.requests.append((url.string, url.pathAndQuery, .now))
                let key = state.script[url.string] != nil ? url.string : url.pathAndQuery
                guard var answers = state.script[key], let first = answers.first else { return nil }
                if answers.count > 1 { answers.removeFirst() }
                state.script[key] = answers
                return first
            }
            if latency > .zero { try? await Task.sleep(for: latency) }
            counter.leave(url.authority)
            let timings = FetchTimings(firstByte: 0.0625, total: 0.125)
            guard let answer else { return .success(FetchResponse(requestedURL: url, finalURL: url, status: 404, timings: timings)) }
            if answer.status == 0 { return .failure(.connectionReset(url: url.string)) }
            return .success(
                FetchResponse(
                    requestedURL: url, finalURL: url, status: answer.status, headers: answer.headers, body: Array(answer.body.utf8),
                    timings: timings))
        }

        func shutdown() async {}

        /// Requests of a path (any host) or of a full URL.
        func count(_ key: String) -> Int { starts(key).count }
        func starts(_ key: String) -> [ContinuousClock.Instant] {
            state.withLock { $0.requests.filter { $0.path == key || $0.url == key }.map(\.at) }
        }
        /// The most requests in flight at once to `authority`.
        func maxInFlight(_ authority: String) -> Int { counter.peak(authority) }
    }

    static func fetcher(_ engine: ScriptedEngine, _ configure: (inout FetchOptions) -> Void = { _ in }) -> PoliteFetcher {
        var options = FetchOptions()
        configure(&options)
        return PoliteFetcher(
            engine: engine, options: options,
            retryPolicy: RetryPolicy(baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(5)))
    }

    let url = NormalizedURL("http://127.0.0.1:9/page")!

    @Test func crawlDelayRaisesTheHostDelay() async {
        let engine = ScriptedEngine([
            "/robots.txt": [(200, ResponseHeaders(), "User-agent: *\nCrawl-delay: 0.2\n")], "/page": [(200, ResponseHeaders(), "ok")],
        ])
        let fetcher = Self.fetcher(engine)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = await fetcher.fetch(url) } }
        }
        let starts = engine.starts("/page").sorted()
        #expect(starts.count == 4)
        if let first = starts.first, let last = starts.last { #expect(last - first >= .milliseconds(550)) }
        #expect(engine.count("/robots.txt") == 1)
    }

    @Test func unreachableRobotsTxtDisallowsTheHost() async {
        let engine = ScriptedEngine(["/robots.txt": [(503, ResponseHeaders(), "")]])
        let fetcher = Self.fetcher(engine)
        // Said as what it is (the robots.txt answered 503), not as "robots.txt disallows".
        let unavailable = FetchError.robotsUnavailable(url: url.string, cause: .status(robotsURL: "http://127.0.0.1:9/robots.txt", status: 503))
        #expect(await fetcher.fetch(url) == .failure(unavailable))
        #expect(await fetcher.fetch(url) == .failure(unavailable))
        #expect(engine.count("/robots.txt") == 1)  // the failure is cached
        #expect(engine.count("/page") == 0)
        #expect(unavailable.kind == "robots-unavailable")
        #expect(unavailable.description.contains("http://127.0.0.1:9/robots.txt answered HTTP 503"), "\(unavailable)")
    }

    /// A robots.txt that cannot be fetched at all: the page's failure is the connection's (its
    /// kind too), through `fetch(_:)` and through the scheduler's `admission` + `fetch(_:holding:)`.
    @Test func robotsTxtFetchFailureIsThePagesFailure() async {
        let engine = ScriptedEngine(["/robots.txt": [(0, ResponseHeaders(), "")]])  // 0: a reset
        let fetcher = Self.fetcher(engine)
        let reset = FetchError.connectionReset(url: "http://127.0.0.1:9/robots.txt")
        let expected = FetchError.robotsUnavailable(url: url.string, cause: .fetch(reset))
        #expect(fetcher.admission(for: url) == .fetchRobots)
        await fetcher.fetchRobots(for: url)
        #expect(fetcher.admission(for: url) == .start(nil))  // refused without a request
        #expect(await fetcher.fetch(url, holding: nil) == .failure(expected))
        #expect(await fetcher.fetch(url) == .failure(expected))
        #expect(expected.kind == "reset")
        #expect(expected.description.contains("connection reset while fetching http://127.0.0.1:9/robots.txt"), "\(expected)")
        #expect(engine.count("/page") == 0)
    }

    @Test func transientFailuresAreRetriedUpToTheLimit() async throws {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")],
            "/page": [(500, ResponseHeaders(), ""), (0, ResponseHeaders(), ""), (200, ResponseHeaders(), "ok")],
            "/down": [(502, ResponseHeaders(), "")],
            "/gone": [(404, ResponseHeaders(), "")],
        ])
        let fetcher = Self.fetcher(engine) { $0.retries = 2 }
        #expect(try await fetcher.fetch(url).get().status == 200)
        #expect(engine.count("/page") == 3)
        let down = NormalizedURL("http://127.0.0.1:9/down")!
        #expect(try await fetcher.fetch(down).get().status == 502)  // the last response after the retries
        #expect(engine.count("/down") == 3)
        let gone = NormalizedURL("http://127.0.0.1:9/gone")!
        #expect(try await fetcher.fetch(gone).get().status == 404)
        #expect(engine.count("/gone") == 1)  // a 404 is not retried
    }

    @Test func tooManyRequestsBacksTheHostOff() async throws {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")],
            "/page": [(429, ResponseHeaders(retryAfter: "1"), ""), (200, ResponseHeaders(), "ok")],
        ])
        let fetcher = Self.fetcher(engine)
        #expect(try await fetcher.fetch(url).get().status == 200)
        let starts = engine.starts("/page")
        #expect(starts.count == 2)
        if starts.count == 2 { #expect(starts[1] - starts[0] >= .milliseconds(950)) }
    }

    @Test func ignoreRobotsSkipsRobotsTxt() async throws {
        let engine = ScriptedEngine(["/robots.txt": [(200, ResponseHeaders(), "User-agent: *\nDisallow: /\n")], "/page": [(200, ResponseHeaders(), "ok")]])
        #expect(try await Self.fetcher(engine) { $0.ignoreRobots = true }.fetch(url).get().status == 200)
        #expect(engine.count("/robots.txt") == 0)
    }

    @Test func cancelledWhileWaitingForAHostSlot() async {
        let engine = ScriptedEngine([
            "/robots.txt": [(404, ResponseHeaders(), "")], "/page": [(200, ResponseHeaders(), "ok")],
        ])
        // Without robots.txt, whose fetch would take the first turn.
        let fetcher = Self.fetcher(engine) { $0.perHostDelaySeconds = 30; $0.ignoreRobots = true }
        #expect((try? await fetcher.fetch(url).get().status) == 200)
        let waiting = Task { await fetcher.fetch(url) }  // must wait 30 s for its turn
        try? await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        #expect(await waiting.value == .failure(.cancelled(url: url.string)))
    }
}
