import CrawlerCore
import Foundation

/// The fetcher the pipeline uses: any `FetchEngine` plus the manners every engine shares
/// identically: robots.txt (RFC 9309, cached per origin), at most `perHostConcurrency`
/// requests in flight per host, request starts `perHostDelaySeconds` apart (raised by
/// Crawl-delay), back-off on 429/503 honouring Retry-After, and `retries` retries of
/// transient failures with exponential back-off and full jitter.
public final class PoliteFetcher: Sendable {
    /// The engine doing the transfers.
    public let engine: any FetchEngine
    /// The options it was made with.
    public let options: FetchOptions
    private let gate: HostGate
    private let robots: RobotsCache
    let retryPolicy: RetryPolicy

    /// A polite fetcher over the engine `options.model` names.
    public convenience init(options: FetchOptions) {
        self.init(engine: makeFetchEngine(options), options: options)
    }

    /// A polite fetcher over a given engine (which it shuts down in `shutdown`).
    public convenience init(engine: any FetchEngine, options: FetchOptions) {
        self.init(engine: engine, options: options, retryPolicy: RetryPolicy())
    }

    init(engine: any FetchEngine, options: FetchOptions, retryPolicy: RetryPolicy) {
        self.engine = engine
        self.options = options
        self.gate = HostGate(limit: options.perHostConcurrency, delaySeconds: options.perHostDelaySeconds)
        self.robots = RobotsCache(userAgent: options.userAgent)
        self.retryPolicy = retryPolicy
    }

    /// Fetches `url` politely. `.disallowedByRobots` when robots.txt forbids it; after the
    /// retries, the last response (a 5xx is a response) or error.
    public func fetch(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        if !options.ignoreRobots {
            guard let rules = await robotsRules(for: url) else { return .failure(.cancelled(url: url.string)) }
            if !rules.allows(url.pathAndQuery) { return .failure(.disallowedByRobots(url: url.string)) }
        }
        var attempt = 0
        while true {
            let result = await fetchOnce(url)
            guard attempt < options.retries, RetryPolicy.isTransient(result), !Task.isCancelled else { return result }
            do {
                try await Task.sleep(for: retryPolicy.backoff(attempt: attempt))
            } catch {
                return .failure(.cancelled(url: url.string))
            }
            attempt += 1
        }
    }

    /// The robots.txt rules that apply to `url`'s origin for our user agent, fetching them
    /// once per origin; nil only if the task was cancelled while waiting.
    public func robotsRules(for url: NormalizedURL) async -> RobotsRules? {
        let origin = url.origin
        switch await robots.ticket(origin: origin) {
        case .rules(let rules):
            return rules
        case .fetch:
            guard let robotsURL = NormalizedURL(origin + "/robots.txt") else { return .allowAll }
            let result = await fetchOnce(robotsURL)
            if case .failure(.cancelled) = result {
                robots.abandon(origin: origin)
                return nil
            }
            let (rules, lifetime) = RobotsCache.rules(from: result, userAgent: options.userAgent)
            if let crawlDelay = rules.crawlDelay {
                // Capped so one robots.txt cannot park the crawl on a host.
                gate.raiseDelay(host: url.authority, seconds: min(crawlDelay, RobotsCache.maxCrawlDelaySeconds))
            }
            robots.complete(origin: origin, rules: rules, lifetime: lifetime)
            return rules
        }
    }

    /// Cancels what is in flight and stops the engine.
    public func shutdown() async {
        await engine.shutdown()
    }

    /// One attempt within the host's limits; a 429 or 503 backs the host off.
    private func fetchOnce(_ url: NormalizedURL) async -> Result<FetchResponse, FetchError> {
        let host = url.authority
        guard await gate.acquire(host: host) else { return .failure(.cancelled(url: url.string)) }
        let result = await engine.fetch(url)
        if case .success(let response) = result, RetryPolicy.asksToBackOff(response) {
            let wait = retryPolicy.retryAfter(response.headers.retryAfter) ?? retryPolicy.backoff(attempt: 0)
            gate.backOff(host: host, for: wait)
        }
        gate.release(host: host)
        return result
    }
}
